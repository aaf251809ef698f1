//! Intrinsic function calls (intrinsics.md §2, §3, §7): syntax, known names, arity, literal
//! arguments, nesting, the string-returning calls of `ErrorPath`/`CausePath`, and the lints.
//!
//! Calls in fields that take only a path are reported by `validate::paths`
//! (`P-NO-INTRINSIC`, which `I-PLACEMENT` names too); structure.md's umbrella rule
//! `S-INTRINSIC-SYNTAX` is reported under the ids below.

use aslc_query::intrinsic::{self, ArgKind, Call};
use aslc_query::QueryError;
use aslc_source::Diagnostic;

use super::paths::{query_diagnostic, template_value_message};
use super::walk::{PathField, PathSite};
use crate::ir::{Definition, Query};
use crate::rules::declare_rules;

declare_rules! { @spec "intrinsics.md";
    /// ## What it does
    /// Reports a `….$` value (or `ErrorPath`/`CausePath`) that starts like an intrinsic
    /// call but does not parse: unbalanced parentheses or quotes, a leading space, an
    /// indexed result (`States.StringSplit(…)[0]`), a bad argument.
    ///
    /// ## Why is this bad?
    /// AWS answers `The value for the field '<key>' must be a valid JSONPath or a valid
    /// intrinsic function call`.
    ///
    /// ## Example
    /// ```json
    /// "Parameters": { "list.$": " States.Array($.a)" }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Parameters": { "list.$": "States.Array($.a)" }
    /// ```
    I_SYNTAX = "I-SYNTAX", Error, Some("SCHEMA_VALIDATION_FAILED"), "an intrinsic call parses";
    /// ## What it does
    /// Reports a call of a function that is not one of the eighteen `States.*` intrinsics
    /// (names are case-sensitive).
    ///
    /// ## Why is this bad?
    /// AWS rejects the definition.
    ///
    /// ## Example
    /// ```json
    /// "Parameters": { "id.$": "States.Uuid()" }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Parameters": { "id.$": "States.UUID()" }
    /// ```
    I_KNOWN = "I-KNOWN", Error, Some("SCHEMA_VALIDATION_FAILED"), "the function is one of the eighteen intrinsics";
    /// ## What it does
    /// Reports a backslash sequence other than `\'`, `\{`, `\}` and `\\` inside an intrinsic
    /// string literal.
    ///
    /// ## Why is this bad?
    /// AWS rejects the definition. In JSON the backslash itself must be escaped, so `\'` is
    /// written `\\'`; a double quote needs no escape inside `'…'`.
    ///
    /// ## Example
    /// ```json
    /// "Parameters": { "msg.$": "States.Format('say \\\"hi\\\"')" }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Parameters": { "msg.$": "States.Format('say \"hi\"')" }
    /// ```
    I_ESCAPE = "I-ESCAPE", Error, Some("SCHEMA_VALIDATION_FAILED"), "only `\\'`, `\\{`, `\\}` and `\\\\` escapes in intrinsic strings";
    /// ## What it does
    /// Reports intrinsic calls nested more than 10 deep.
    ///
    /// ## Why is this bad?
    /// AWS documents a limit of 10 nested intrinsic functions per field.
    ///
    /// ## Use instead
    /// Split the computation over several states.
    I_NESTING = "I-NESTING", Error, Some("SCHEMA_VALIDATION_FAILED"), "intrinsic calls nest at most 10 deep";
    /// ## What it does
    /// Reports a call with the wrong number of arguments (`States.MathAdd` takes exactly 2,
    /// `States.UUID` none, …).
    ///
    /// ## Why is this bad?
    /// The call can never succeed.
    ///
    /// ## Example
    /// ```json
    /// "Parameters": { "sum.$": "States.MathAdd($.a)" }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Parameters": { "sum.$": "States.MathAdd($.a, 1)" }
    /// ```
    I_ARITY = "I-ARITY", Error, Some("SCHEMA_VALIDATION_FAILED"), "every call has the function's number of arguments";
    /// ## What it does
    /// Reports a literal argument of a type the function never accepts:
    /// `States.MathAdd('1', 2)`, `States.ArrayLength('x')`, `States.Hash($.x, 'MD4')`,
    /// `States.JsonMerge($.a, $.b, true)`.
    ///
    /// ## Why is this bad?
    /// The call fails every time it runs.
    ///
    /// ## Example
    /// ```json
    /// "Parameters": { "sum.$": "States.MathAdd($.a, '1')" }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Parameters": { "sum.$": "States.MathAdd($.a, 1)" }
    /// ```
    I_LITERAL_TYPE = "I-LITERAL-TYPE", Error, Some("SCHEMA_VALIDATION_FAILED"), "literal arguments have a type the function accepts";
    /// ## What it does
    /// Reports a `States.JsonToString` whose argument is not a path.
    ///
    /// ## Why is this bad?
    /// AWS documents that the argument must be a path.
    ///
    /// ## Example
    /// ```json
    /// "Parameters": { "text.$": "States.JsonToString('x')" }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Parameters": { "text.$": "States.JsonToString($.order)" }
    /// ```
    I_JSONTOSTRING_PATH = "I-JSONTOSTRING-PATH", Error, Some("SCHEMA_VALIDATION_FAILED"), "the argument of `States.JsonToString` is a path";
    /// ## What it does
    /// Reports an intrinsic in a Fail state's `ErrorPath` or `CausePath` that does not
    /// return a string (only `Format`, `JsonToString`, `ArrayGetItem`, `Base64Encode`,
    /// `Base64Decode`, `Hash` and `UUID` may be used there).
    ///
    /// ## Why is this bad?
    /// The error and the cause are strings; AWS rejects other functions.
    ///
    /// ## Example
    /// ```json
    /// "CausePath": "States.MathAdd($.a, 1)"
    /// ```
    /// ## Use instead
    /// ```json
    /// "CausePath": "States.Format('{}', States.MathAdd($.a, 1))"
    /// ```
    I_FAIL_STRING = "I-FAIL-STRING", Error, Some("SCHEMA_VALIDATION_FAILED"), "`ErrorPath`/`CausePath` call only string-returning intrinsics";
    /// ## What it does
    /// Warns about a `States.Format` whose literal template has a different number of `{}`
    /// placeholders than values.
    ///
    /// ## Why is this bad?
    /// The call fails at run time.
    ///
    /// ## Example
    /// ```json
    /// "Parameters": { "msg.$": "States.Format('{} and {}', $.a)" }
    /// ```
    /// ## Use instead
    /// One value per `{}`; write literal braces as `\\{` and `\\}`.
    I_FORMAT_ARITY = "I-FORMAT-ARITY", Warn, None, "`States.Format` has one value per placeholder";
    /// ## What it does
    /// Warns about `States.ArrayRange` with literal arguments that produce more than 1,000
    /// elements, or a step of 0.
    ///
    /// ## Why is this bad?
    /// The call fails at run time.
    ///
    /// ## Example
    /// ```json
    /// "Parameters": { "ids.$": "States.ArrayRange(1, 5000, 1)" }
    /// ```
    /// ## Use instead
    /// A smaller range, or a larger step.
    I_RANGE_SIZE = "I-RANGE-SIZE", Warn, None, "`States.ArrayRange` produces at most 1,000 elements";
    /// ## What it does
    /// Warns about a literal longer than 10,000 characters passed to `States.Base64Encode`,
    /// `States.Base64Decode` or `States.Hash`.
    ///
    /// ## Why is this bad?
    /// Those functions refuse longer input at run time.
    ///
    /// ## Use instead
    /// Pass shorter data.
    I_LITERAL_LENGTH = "I-LITERAL-LENGTH", Warn, None, "literal data for encoding and hashing stays within 10,000 characters";
    /// ## What it does
    /// Notes an intrinsic call whose arguments are all literals.
    ///
    /// ## Why is this bad?
    /// Its result never changes; a literal value is simpler and cheaper.
    ///
    /// ## Example
    /// ```json
    /// "Parameters": { "sum.$": "States.MathAdd(1, 2)" }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Parameters": { "sum": 3 }
    /// ```
    I_CONSTANT = "I-CONSTANT", Info, None, "intrinsic calls use at least one path";
    /// ## What it does
    /// Notes a `States.StringSplit` delimiter of several characters.
    ///
    /// ## Why is this bad?
    /// Each character of the delimiter splits on its own; the string is not split on the
    /// whole delimiter, which surprises most readers.
    ///
    /// ## Example
    /// ```json
    /// "Parameters": { "parts.$": "States.StringSplit($.csv, ', ')" }
    /// ```
    /// ## Use instead
    /// A one-character delimiter, when that is what is meant: `','`.
    I_STRINGSPLIT_MULTI = "I-STRINGSPLIT-MULTI", Info, None, "`States.StringSplit` delimiters are one character";
}

/// Checks every intrinsic call in a field that allows one.
pub(crate) fn check(def: &Definition, sites: &[PathSite<'_>], out: &mut Vec<Diagnostic>) {
    for site in sites {
        if !site.field.allows_intrinsic() || !intrinsic::is_intrinsic_call(site.expr.text.trim_start()) {
            continue;
        }
        match &site.expr.query {
            Query::Invalid(err) => out.push(with_template_message(site, query_diagnostic(def, site, err))),
            Query::Intrinsic(call) => check_call(def, site, call, out),
            Query::Path(_) | Query::Jsonata(_) | Query::InvalidJsonata(_) | Query::Opaque => {}
        }
    }
}

fn check_call(def: &Definition, site: &PathSite<'_>, call: &Call, out: &mut Vec<Diagnostic>) {
    let mut errors: Vec<QueryError> = intrinsic::check_call(call);
    if site.field == PathField::FailPath {
        errors.extend(intrinsic::check_fail_call(call));
    }
    errors.extend(intrinsic::lint_call(call));
    if let Some(range) = call.trailing_whitespace {
        errors.push(
            QueryError::new(
                aslc_query::rules::P_WHITESPACE,
                range,
                "trailing whitespace after the intrinsic call",
            )
            .with_help("remove the whitespace"),
        );
    }
    for err in &errors {
        out.push(with_template_message(site, query_diagnostic(def, site, err)));
    }
    for path in call_paths(call) {
        for err in aslc_query::jsonpath::lint_path(path) {
            out.push(query_diagnostic(def, site, &err));
        }
    }
}

/// Adds AWS's message for a `.$` value to the errors AWS reports with it.
fn with_template_message(site: &PathSite<'_>, diagnostic: Diagnostic) -> Diagnostic {
    let reported_by_aws =
        [I_SYNTAX, I_KNOWN, I_ESCAPE, super::paths::P_SYNTAX, super::paths::P_CONTEXT_PREFIX];
    match site.key {
        Some(key) if reported_by_aws.contains(&diagnostic.code) => {
            diagnostic.with_aws("SCHEMA_VALIDATION_FAILED", Some(template_value_message(&key.value)))
        }
        _ => diagnostic,
    }
}

/// The path arguments of a call and of every call nested in it.
pub(crate) fn call_paths(call: &Call) -> Vec<&aslc_query::jsonpath::Path> {
    let mut acc = Vec::new();
    let mut stack = vec![call];
    while let Some(call) = stack.pop() {
        for arg in &call.args {
            match &arg.kind {
                ArgKind::Path(path) => acc.push(path),
                ArgKind::Call(inner) => stack.push(inner),
                _ => {}
            }
        }
    }
    acc
}

#[cfg(test)]
mod tests {
    use crate::validate::testing::{check, machine, only};

    fn params(value: &str) -> String {
        machine(&format!(r#"{{"Type": "Pass", "Parameters": {{"v.$": "{value}"}}, "End": true}}"#))
    }

    #[test]
    fn codes_match_the_query_crate() {
        use aslc_query::rules as q;
        for (ours, theirs) in [
            (super::I_SYNTAX, q::I_SYNTAX),
            (super::I_KNOWN, q::I_KNOWN),
            (super::I_ESCAPE, q::I_ESCAPE),
            (super::I_NESTING, q::I_NESTING),
            (super::I_ARITY, q::I_ARITY),
            (super::I_LITERAL_TYPE, q::I_LITERAL_TYPE),
            (super::I_JSONTOSTRING_PATH, q::I_JSONTOSTRING_PATH),
            (super::I_FAIL_STRING, q::I_FAIL_STRING),
            (super::I_FORMAT_ARITY, q::I_FORMAT_ARITY),
            (super::I_RANGE_SIZE, q::I_RANGE_SIZE),
            (super::I_LITERAL_LENGTH, q::I_LITERAL_LENGTH),
            (super::I_CONSTANT, q::I_CONSTANT),
            (super::I_STRINGSPLIT_MULTI, q::I_STRINGSPLIT_MULTI),
        ] {
            assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn calls() {
        let cases: &[(&str, &[&str])] = &[
            ("States.Format('{} {}', $.a, $.b)", &[]),
            ("States.Array($.a, 'x', 1, true, null)", &[]),
            ("States.UUID()", &[]),
            ("States.Xyz($.a)", &["I-KNOWN"]),
            ("States.format('{}', $.a)", &["I-KNOWN"]),
            (" States.Array($.a)", &["I-SYNTAX"]),
            ("States.Array($.a", &["I-SYNTAX"]),
            ("States.StringSplit($.a, ',')[0]", &["I-SYNTAX"]),
            ("States.Format('a \\\\\\\"b\\\\\\\"', $.a)", &["I-ESCAPE"]),
            ("States.Format('{}', $.a[)", &["P-SYNTAX"]),
            ("States.MathAdd($.a)", &["I-ARITY"]),
            ("States.UUID($.a)", &["I-ARITY"]),
            ("States.MathAdd($.a, '1')", &["I-LITERAL-TYPE"]),
            ("States.Hash($.a, 'MD4')", &["I-LITERAL-TYPE"]),
            ("States.JsonMerge($.a, $.b, true)", &["I-LITERAL-TYPE"]),
            ("States.JsonToString('x')", &["I-JSONTOSTRING-PATH", "I-CONSTANT"]),
            ("States.JsonToString($.x)", &[]),
            ("States.Format('{} {}', $.a)", &["I-FORMAT-ARITY"]),
            ("States.ArrayRange(1, 5000, 1)", &["I-RANGE-SIZE", "I-CONSTANT"]),
            ("States.ArrayRange($.a, 5, 0)", &["I-RANGE-SIZE"]),
            ("States.MathAdd(1, 2)", &["I-CONSTANT"]),
            ("States.StringSplit($.a, ', ')", &["I-STRINGSPLIT-MULTI"]),
            ("States.ArrayLength($.a.length())", &["P-NO-FUNCTIONS"]),
            ("States.UUID() ", &["P-WHITESPACE"]),
        ];
        for (value, expected) in cases {
            check(&params(value), expected);
        }
    }

    #[test]
    fn nesting() {
        let deep = |n: usize| format!("{}$.a{}", "States.Array(".repeat(n), ")".repeat(n));
        check(&params(&deep(10)), &[]);
        check(&params(&deep(11)), &["I-NESTING"]);
        check(&params(&deep(100)), &["I-NESTING"]);
    }

    #[test]
    fn unknown_function_points_at_the_name() {
        let json = params("States.Xyz($.a)");
        let d = only(&json, "I-KNOWN");
        assert_eq!(&json[d.primary.range.as_usize()], "States.Xyz");
        assert_eq!(d.location, "/States/S/Parameters");
        assert!(d.aws.and_then(|a| a.message).is_some_and(|m| m.contains("'v.$'")));
    }

    #[test]
    fn fail_paths() {
        let fail = |fields: &str| machine(&format!(r#"{{"Type": "Fail", {fields}}}"#));
        let cases: &[(&str, &[&str])] = &[
            (r#""ErrorPath": "States.Format('{}', $.e)""#, &[]),
            (r#""CausePath": "States.JsonToString($.c)""#, &[]),
            (r#""ErrorPath": "States.StringToJson($.e)""#, &["I-FAIL-STRING"]),
            (r#""CausePath": "States.MathAdd($.a, $.b)""#, &["I-FAIL-STRING"]),
            (r#""CausePath": "States.Nope($.a)""#, &["I-KNOWN"]),
        ];
        for (fields, expected) in cases {
            check(&fail(fields), expected);
        }
    }

    #[test]
    fn other_template_fields() {
        let task = machine(
            r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "ResultSelector": {"a.$": "States.Nope()"},
            "Credentials": {"RoleArn.$": "States.Format('arn:aws:iam::{}:role/r', $.account)"},
            "Assign": {"x.$": "States.MathAdd($.a)"}, "End": true}"#,
        );
        check(&task, &["I-KNOWN", "I-ARITY"]);
    }
}
