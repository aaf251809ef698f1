//! Documentation of the rules the syntax layer reports (JSON, YAML, CloudFormation/SAM) (the JSON/YAML readers live in
//! `aslc_syntax`, which knows no ASL; their codes are documented here with the others).

use crate::rules::declare_rules;

declare_rules! { @spec "structure.md";
    /// ## What it does
    /// Reports text that is not well-formed JSON (or YAML): a missing comma or quote, an
    /// invalid escape, a lone UTF-16 surrogate, bytes that are not UTF-8.
    ///
    /// ## Why is this bad?
    /// AWS rejects the definition with `INVALID_JSON_DESCRIPTION` before looking at it.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "A" "States": {} }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "StartAt": "A", "States": {} }
    /// ```
    S_JSON_SYNTAX = "S-JSON-SYNTAX", Error, Some("INVALID_JSON_DESCRIPTION"), "the text is well-formed JSON";
    /// ## What it does
    /// Reports an object that has the same key twice.
    ///
    /// ## Why is this bad?
    /// JSON readers disagree on which value wins; AWS's keeps the last one silently, so a
    /// duplicated `Next` or state name is a bug that deploys.
    ///
    /// ## Example
    /// ```json
    /// { "Type": "Pass", "Next": "A", "Next": "B" }
    /// ```
    /// ## Use instead
    /// Keep one of the two members.
    S_JSON_DUPKEY = "S-JSON-DUPKEY", Error, None, "no object contains the same key twice";
    @spec "aslc";
    /// ## What it does
    /// Warns about a comma before `]` or `}`.
    ///
    /// ## Why is this bad?
    /// SAM reads `DefinitionUri` files with a YAML reader, which accepts it, so such files
    /// deploy; but the Step Functions API, the console and most JSON tools reject them.
    ///
    /// ## Example
    /// ```json
    /// { "Type": "Succeed", }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "Type": "Succeed" }
    /// ```
    S_JSON_TRAILING_COMMA = "S-JSON-TRAILING-COMMA", Warn, None, "no trailing comma in arrays or objects";
    /// ## What it does
    /// Reports a document nested deeper than aslc reads (400 levels).
    ///
    /// ## Why is this bad?
    /// No state machine needs it, and unbounded nesting is how malformed or hostile input
    /// exhausts a reader's stack.
    ///
    /// ## Use instead
    /// Flatten the document.
    S_JSON_DEPTH = "S-JSON-DEPTH", Error, None, "the document nests at most 400 levels deep";
    /// ## What it does
    /// Reports a YAML tag aslc does not know, or one that does not fit its value
    /// (`!!int abc`). CloudFormation short forms (`!Ref`, `!Sub`, `!GetAtt`, …) are known.
    ///
    /// ## Why is this bad?
    /// The value is read as if it had no tag, which may not be what the author meant.
    ///
    /// ## Use instead
    /// Remove the tag, or use the long form (`Fn::…`) of a CloudFormation function.
    S_YAML_TAG = "S-YAML-TAG", Warn, None, "YAML tags are known and fit their values";
    /// ## What it does
    /// Reports a YAML alias that cannot be expanded: one that refers to a node containing
    /// it, or one whose expansion would create more than a million nodes.
    ///
    /// ## Why is this bad?
    /// Recursive or exponential aliases ("billion laughs") describe no finite JSON value.
    ///
    /// ## Use instead
    /// Write the value out, or alias a smaller node.
    S_YAML_ALIAS = "S-YAML-ALIAS", Error, None, "YAML aliases expand to a finite, reasonably sized value";
    /// ## What it does
    /// Reports a file with more than one YAML document (`---` separators).
    ///
    /// ## Why is this bad?
    /// A definition or template is one document; the others would be ignored.
    ///
    /// ## Use instead
    /// One document per file.
    S_YAML_MULTIDOC = "S-YAML-MULTIDOC", Error, None, "a YAML file holds one document";
    /// ## What it does
    /// Warns about a YAML number JSON cannot write (`.inf`, `.nan`); it is kept as a string.
    ///
    /// ## Why is this bad?
    /// AWS reads the definition as JSON, where these values do not exist.
    ///
    /// ## Use instead
    /// A finite number, or a quoted string if text was meant.
    S_YAML_NUMBER = "S-YAML-NUMBER", Warn, None, "YAML numbers are finite";
    /// ## What it does
    /// Reports a state machine resource of a CloudFormation/SAM template with no
    /// definition: no `Definition`, `DefinitionString`, `DefinitionS3Location` or (SAM)
    /// `DefinitionUri`.
    ///
    /// ## Why is this bad?
    /// CloudFormation rejects the resource.
    ///
    /// ## Use instead
    /// Give the definition inline (`Definition`) or in a file (`DefinitionUri`).
    CFN_DEFINITION_MISSING = "CFN-DEFINITION-MISSING", Error, None, "a state machine resource has a definition";
    /// ## What it does
    /// Reports a state machine resource that gives its definition more than one way.
    ///
    /// ## Why is this bad?
    /// CloudFormation accepts exactly one of the definition properties.
    ///
    /// ## Use instead
    /// Keep one of `Definition`, `DefinitionString`, `DefinitionS3Location`, `DefinitionUri`.
    CFN_DEFINITION_CONFLICT = "CFN-DEFINITION-CONFLICT", Error, None, "a state machine resource gives its definition one way";
    /// ## What it does
    /// Reports a definition property of the wrong shape: a `Definition` that is not a
    /// mapping, a `DefinitionString` that is not a string (or a well-formed `Fn::Sub` or
    /// `Fn::Join`), a `DefinitionUri` that is neither a path nor an S3 location.
    ///
    /// ## Why is this bad?
    /// CloudFormation cannot build a definition from it.
    ///
    /// ## Use instead
    /// The property's documented form.
    CFN_DEFINITION_TYPE = "CFN-DEFINITION-TYPE", Error, None, "definition properties have their documented shape";
    /// ## What it does
    /// Notes a definition aslc cannot check locally: stored in S3, or computed by an
    /// intrinsic function at deployment.
    ///
    /// ## Why is this bad?
    /// Nothing is wrong; the definition is simply not checked.
    ///
    /// ## Use instead
    /// Check the definition file itself with `aslc check`.
    CFN_DEFINITION_NOT_LOCAL = "CFN-DEFINITION-NOT-LOCAL", Info, None, "definitions are available locally";
    /// ## What it does
    /// Reports a `DefinitionUri` file that cannot be read.
    ///
    /// ## Why is this bad?
    /// The state machine cannot be checked, and `sam deploy` would fail the same way.
    ///
    /// ## Use instead
    /// Fix the path: it is relative to the template's folder and case-sensitive.
    CFN_DEFINITION_URI = "CFN-DEFINITION-URI", Warn, None, "`DefinitionUri` names a readable file";
    /// ## What it does
    /// Reports a `StateMachineType` (or SAM `Type`) other than `STANDARD` or `EXPRESS`.
    ///
    /// ## Why is this bad?
    /// CloudFormation rejects it.
    ///
    /// ## Use instead
    /// `STANDARD` or `EXPRESS`.
    CFN_WORKFLOW_TYPE = "CFN-WORKFLOW-TYPE", Error, None, "the workflow type is `STANDARD` or `EXPRESS`";
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_match_the_syntax_crate() {
        assert_eq!(super::S_JSON_SYNTAX, aslc_syntax::S_JSON_SYNTAX);
        assert_eq!(super::S_JSON_DUPKEY, aslc_syntax::S_JSON_DUPKEY);
        assert_eq!(super::S_JSON_TRAILING_COMMA, aslc_syntax::S_JSON_TRAILING_COMMA);
        assert_eq!(super::S_JSON_DEPTH, aslc_syntax::S_JSON_DEPTH);
        assert_eq!(super::S_YAML_TAG, aslc_syntax::yaml::S_YAML_TAG);
        assert_eq!(super::S_YAML_ALIAS, aslc_syntax::yaml::S_YAML_ALIAS);
        assert_eq!(super::S_YAML_MULTIDOC, aslc_syntax::yaml::S_YAML_MULTIDOC);
        assert_eq!(super::S_YAML_NUMBER, aslc_syntax::yaml::S_YAML_NUMBER);
        assert_eq!(super::CFN_DEFINITION_MISSING, aslc_syntax::cfn::CFN_DEFINITION_MISSING);
        assert_eq!(super::CFN_DEFINITION_CONFLICT, aslc_syntax::cfn::CFN_DEFINITION_CONFLICT);
        assert_eq!(super::CFN_DEFINITION_TYPE, aslc_syntax::cfn::CFN_DEFINITION_TYPE);
        assert_eq!(super::CFN_DEFINITION_NOT_LOCAL, aslc_syntax::cfn::CFN_DEFINITION_NOT_LOCAL);
        assert_eq!(super::CFN_DEFINITION_URI, aslc_syntax::cfn::CFN_DEFINITION_URI);
        assert_eq!(super::CFN_WORKFLOW_TYPE, aslc_syntax::cfn::CFN_WORKFLOW_TYPE);
    }
}
