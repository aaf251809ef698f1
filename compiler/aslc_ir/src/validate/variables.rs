//! Variable names in `Assign` (variables.md §3).
//!
//! A name appearing twice in one `Assign` is reported where the object is read: as a
//! duplicate key (`S-JSON-DUPKEY`) or as `x` next to `x.$` (`PT-KEY-CLASH`).

use aslc_source::Diagnostic;

use super::walk;
use crate::ir::{AssignVar, Definition};
use crate::rules::declare_rules;

/// The longest variable name AWS accepts, in characters.
const MAX_NAME_CHARS: usize = 80;

declare_rules! { @spec "variables.md";
    /// ## What it does
    /// Reports an `Assign` key that names no variable: `""`, or `".$"` in a JSONPath state.
    ///
    /// ## Why is this bad?
    /// A variable needs a name to be read back.
    ///
    /// ## Example
    /// ```json
    /// "Assign": { "": 1 }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Assign": { "count": 1 }
    /// ```
    V_NAME_NONEMPTY = "V-NAME-NONEMPTY", Error, Some("SCHEMA_VALIDATION_FAILED"), "a variable name is not empty";
    /// ## What it does
    /// Reports a variable name longer than 80 characters.
    ///
    /// ## Why is this bad?
    /// AWS limits variable names to 80 characters.
    ///
    /// ## Use instead
    /// A shorter name.
    V_NAME_LENGTH = "V-NAME-LENGTH", Error, Some("SCHEMA_VALIDATION_FAILED"), "a variable name has at most 80 characters";
    /// ## What it does
    /// Reports an `Assign` key that is a path into a variable (`"x.y"`, `"x[2]"`) rather than
    /// a variable name.
    ///
    /// ## Why is this bad?
    /// Parts of a variable cannot be assigned; AWS rejects the definition.
    ///
    /// ## Example
    /// ```json
    /// "Assign": { "order.total": 10 }
    /// ```
    /// ## Use instead
    /// Assign the whole value: `"Assign": { "orderTotal": 10 }`.
    V_NAME_NO_PATH = "V-NAME-NO-PATH", Error, Some("SCHEMA_VALIDATION_FAILED"), "a variable name has no `.`, `[` or `]`";
    /// ## What it does
    /// Reports a variable named `states`.
    ///
    /// ## Why is this bad?
    /// `$states` is the variable through which JSONata expressions read the state input,
    /// result and context; it cannot be assigned.
    ///
    /// ## Example
    /// ```json
    /// "Assign": { "states": "{% $states.input %}" }
    /// ```
    /// ## Use instead
    /// Another name: `"Assign": { "savedInput": "{% $states.input %}" }`.
    V_NAME_RESERVED = "V-NAME-RESERVED", Error, Some("SCHEMA_VALIDATION_FAILED"), "no variable is named `states`";
    /// ## What it does
    /// Warns about a variable name that is not an identifier: it must start with a letter or
    /// `_` and continue with letters, digits and `_`.
    ///
    /// ## Why is this bad?
    /// Such a variable cannot be read: in `$top-level` the `-` is subtraction in JSONata
    /// and ends the name in a JSONPath path.
    ///
    /// ## Example
    /// ```json
    /// "Assign": { "top-level": 1 }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Assign": { "topLevel": 1 }
    /// ```
    V_NAME_IDENT = "V-NAME-IDENT", Warn, None, "a variable name is an identifier";
}

/// Checks every variable name of every `Assign`.
pub(crate) fn check(def: &Definition, focus: super::Focus<'_>, out: &mut Vec<Diagnostic>) {
    for site in walk::assigns(def, focus) {
        for var in &site.assign.vars {
            check_name(def, &site.pointer, var, out);
        }
    }
}

fn check_name(def: &Definition, pointer: &str, var: &AssignVar, out: &mut Vec<Diagnostic>) {
    let name = &*var.name;
    let range = var.key.range;
    let error =
        |code: &'static str, message: String| Diagnostic::error(code, def.file, range, message).at(pointer);
    let mut errors = Vec::new();
    if name.is_empty() {
        errors.push(
            error(V_NAME_NONEMPTY, "a variable name cannot be empty".to_string())
                .with_label("no name")
                .with_help("name the variable, such as `\"result\"`"),
        );
    }
    if name.contains(['.', '[', ']']) {
        errors.push(
            error(V_NAME_NO_PATH, format!("`{name}` is a path, not a variable name"))
                .with_label("only whole variables can be assigned")
                .with_help("assign the whole value to a variable without `.`, `[` or `]` in its name"),
        );
    }
    if name == "states" {
        errors.push(
            error(V_NAME_RESERVED, "the variable name `states` is reserved".to_string())
                .with_label("`$states` holds the state's input, result and context")
                .with_help("choose another name"),
        );
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        errors.push(
            error(
                V_NAME_LENGTH,
                format!("variable name is {chars} characters long; the limit is {MAX_NAME_CHARS}"),
            )
            .with_label("too long")
            .with_help("use a shorter name"),
        );
    }
    if errors.is_empty() && !is_identifier(name) {
        errors.push(
            Diagnostic::warning(
                V_NAME_IDENT,
                def.file,
                range,
                format!("`{name}` cannot be read back as `${name}`"),
            )
            .with_label("not an identifier")
            .with_help("use letters, digits and `_`, starting with a letter or `_`")
            .at(pointer),
        );
    }
    out.extend(errors);
}

/// Whether `name` can follow `$` in a path or a JSONata expression.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c == '_' || c.is_alphabetic())
        && chars.all(|c| c == '_' || c.is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use crate::validate::testing::{check, machine, only};

    fn pass(assign: &str) -> String {
        machine(&format!(r#"{{"Type": "Pass", "Assign": {assign}, "End": true}}"#))
    }

    #[test]
    fn names() {
        let long = "a".repeat(81);
        let cases: Vec<(String, &[&str])> = vec![
            (r#"{"x": 1, "_y2": 2, "nom": 3, "x2.$": "$.a"}"#.into(), &[]),
            (r#"{"": 1}"#.into(), &["V-NAME-NONEMPTY"]),
            (r#"{".$": "$.a"}"#.into(), &["V-NAME-NONEMPTY"]),
            (r#"{"x.y": 1}"#.into(), &["V-NAME-NO-PATH"]),
            (r#"{"x[2].$": "$.a"}"#.into(), &["V-NAME-NO-PATH"]),
            (r#"{"states": 1}"#.into(), &["V-NAME-RESERVED"]),
            (format!(r#"{{"{long}": 1}}"#), &["V-NAME-LENGTH"]),
            (format!(r#"{{"{}": 1}}"#, "a".repeat(80)), &[]),
            (r#"{"top-level": 1}"#.into(), &["V-NAME-IDENT"]),
            (r#"{"2x": 1}"#.into(), &["V-NAME-IDENT"]),
        ];
        for (assign, expected) in &cases {
            check(&pass(assign), expected);
        }
    }

    #[test]
    fn every_assign_is_checked() {
        let json = r#"{"StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsPresent": true, "Assign": {"states": 1}, "Next": "T"}], "Default": "T"},
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"a.b": 1}, "Next": "D"}], "End": true},
            "D": {"Type": "Succeed"}}}"#;
        check(json, &["V-NAME-RESERVED", "V-NAME-NO-PATH"]);
        let d = only(json, "V-NAME-NO-PATH");
        assert_eq!(d.location, "/States/T/Catch[0]/Assign");
        assert_eq!(&json[d.primary.range.as_usize()], "\"a.b\"");
    }

    #[test]
    fn jsonata_names() {
        let json =
            machine(r#"{"Type": "Pass", "QueryLanguage": "JSONata", "Assign": {"x.$": 1}, "End": true}"#);
        check(&json, &["V-NAME-NO-PATH"]);
    }
}
