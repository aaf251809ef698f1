//! Documentation of the rules the syntax layer reports (the JSON/YAML readers live in
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
}

#[cfg(test)]
mod tests {
    #[test]
    fn codes_match_the_syntax_crate() {
        assert_eq!(super::S_JSON_SYNTAX, aslc_syntax::S_JSON_SYNTAX);
        assert_eq!(super::S_JSON_DUPKEY, aslc_syntax::S_JSON_DUPKEY);
        assert_eq!(super::S_JSON_TRAILING_COMMA, aslc_syntax::S_JSON_TRAILING_COMMA);
        assert_eq!(super::S_JSON_DEPTH, aslc_syntax::S_JSON_DEPTH);
    }
}
