//! Pass, Wait and Fail states (states.md §3, §5, §7): the field groups that exclude each
//! other, the `Seconds` range, and the lints on static `Result`s and reserved error names.
//!
//! Succeed (§6) has no rule of its own beyond the field matrix, which lowering enforces.
//! The timestamp format of `Wait.Timestamp` and the path syntax of `ErrorPath`/`CausePath`
//! are query-language checks and live with the path and timestamp parsers.

use aslc_source::{Diagnostic, TextRange};
use aslc_syntax::{Node, NodeValue};

use crate::ir::{Definition, Dyn, Fail, Pass, State, StateKind, Wait};
use crate::rules::declare_rules;

declare_rules! { @spec "states.md";
    /// ## What it does
    /// Warns about a Pass state `Result` that holds a key ending in `.$` or a string that
    /// looks like a path (`$.x`) or an intrinsic call (`States.Format(…)`).
    ///
    /// ## Why is this bad?
    /// `Result` is never evaluated: the key and the string are copied literally. AWS
    /// itself warns (`PASS_RESULT_IS_STATIC`).
    ///
    /// ## Example
    /// ```json
    /// "Inject": { "Type": "Pass", "Result": { "id.$": "$.id" }, "End": true }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Inject": { "Type": "Pass", "Parameters": { "id.$": "$.id" }, "End": true }
    /// ```
    ST_PASS_RESULT_STATIC = "ST-PASS-RESULT-STATIC", Warn, Some("PASS_RESULT_IS_STATIC"), "a Pass `Result` holds no paths, since it is not evaluated";
    /// ## What it does
    /// Warns about a Pass state with both `Parameters` and `Result`.
    ///
    /// ## Why is this bad?
    /// `Result` replaces the effective input that `Parameters` builds, so the template's
    /// output is never used; its paths can still fail the state.
    ///
    /// ## Example
    /// ```json
    /// "P": { "Type": "Pass", "Parameters": { "a.$": "$.a" }, "Result": { "b": 1 }, "End": true }
    /// ```
    /// ## Use instead
    /// Keep one of them.
    ST_PASS_PARAMS_DEAD = "ST-PASS-PARAMS-DEAD", Warn, None, "a Pass state does not have both `Parameters` and `Result`";
    /// ## What it does
    /// Reports a Wait state without exactly one of `Seconds`, `SecondsPath`, `Timestamp`
    /// and `TimestampPath` (in JSONata states: `Seconds` or `Timestamp`).
    ///
    /// ## Why is this bad?
    /// The state must know how long to wait; AWS requires exactly one of the four.
    ///
    /// ## Example
    /// ```json
    /// "W": { "Type": "Wait", "Seconds": 10, "SecondsPath": "$.delay", "Next": "N" }
    /// ```
    /// ## Use instead
    /// ```json
    /// "W": { "Type": "Wait", "SecondsPath": "$.delay", "Next": "N" }
    /// ```
    ST_WAIT_ONE_OF = "ST-WAIT-ONE-OF", Error, Some("SCHEMA_VALIDATION_FAILED"), "a Wait state has exactly one of `Seconds`, `SecondsPath`, `Timestamp`, `TimestampPath`";
    /// ## What it does
    /// Reports a literal `Seconds` that is not an integer in 0 … 99,999,999.
    ///
    /// ## Why is this bad?
    /// AWS's schema bounds the delay; fractions and negative numbers are rejected.
    ///
    /// ## Example
    /// ```json
    /// "Seconds": 1.5
    /// ```
    /// ## Use instead
    /// A whole number of seconds, e.g. `"Seconds": 2`.
    ST_WAIT_SECONDS = "ST-WAIT-SECONDS", Error, Some("SCHEMA_VALIDATION_FAILED"), "`Seconds` is an integer in 0 … 99,999,999";
    /// ## What it does
    /// Reports a Fail state with both `Error` and `ErrorPath`.
    ///
    /// ## Why is this bad?
    /// The error name is either fixed or read from the input, not both; AWS rejects the
    /// definition.
    ///
    /// ## Example
    /// ```json
    /// "F": { "Type": "Fail", "Error": "Failed", "ErrorPath": "$.error" }
    /// ```
    /// ## Use instead
    /// ```json
    /// "F": { "Type": "Fail", "ErrorPath": "$.error" }
    /// ```
    ST_FAIL_ERROR_EXCL = "ST-FAIL-ERROR-EXCL", Error, Some("SCHEMA_VALIDATION_FAILED"), "not both `Error` and `ErrorPath`";
    /// ## What it does
    /// Reports a Fail state with both `Cause` and `CausePath`.
    ///
    /// ## Why is this bad?
    /// The cause is either fixed or read from the input, not both; AWS rejects the
    /// definition.
    ///
    /// ## Example
    /// ```json
    /// "F": { "Type": "Fail", "Cause": "Bad input", "CausePath": "$.cause" }
    /// ```
    /// ## Use instead
    /// ```json
    /// "F": { "Type": "Fail", "CausePath": "$.cause" }
    /// ```
    ST_FAIL_CAUSE_EXCL = "ST-FAIL-CAUSE-EXCL", Error, Some("SCHEMA_VALIDATION_FAILED"), "not both `Cause` and `CausePath`";
    /// ## What it does
    /// Warns about a literal Fail `Error` that begins with `States.`.
    ///
    /// ## Why is this bad?
    /// The `States.` prefix is reserved for the errors Step Functions raises; a catcher
    /// for `States.TaskFailed` would also catch this error, and readers of the history
    /// cannot tell the two apart.
    ///
    /// ## Example
    /// ```json
    /// "F": { "Type": "Fail", "Error": "States.TaskFailed" }
    /// ```
    /// ## Use instead
    /// ```json
    /// "F": { "Type": "Fail", "Error": "OrderRejected" }
    /// ```
    ST_FAIL_RESERVED_ERROR = "ST-FAIL-RESERVED-ERROR", Warn, None, "a Fail `Error` does not use the reserved `States.` prefix";
}

/// Checks every Pass, Wait and Fail state. `out` already holds the lowering diagnostics:
/// a field lowering rejected still counts as present for `ST-WAIT-ONE-OF`.
pub(crate) fn check(
    def: &Definition,
    focus: super::Focus<'_>,
    prior: &super::Prior,
    out: &mut Vec<Diagnostic>,
) {
    for (_, state) in focus.states(def) {
        match &state.kind {
            StateKind::Pass(pass) => check_pass(def, state, pass, out),
            StateKind::Wait(wait) => check_wait(def, state, wait, prior, out),
            StateKind::Fail(fail) => check_fail(def, state, fail, out),
            _ => {}
        }
    }
}

fn check_pass(def: &Definition, state: &State, pass: &Pass, out: &mut Vec<Diagnostic>) {
    let Some(result) = &pass.result else { return };
    if let Some((range, what)) = find_path_like(result) {
        out.push(
            Diagnostic::warning(
                ST_PASS_RESULT_STATIC,
                def.file,
                range,
                format!("{what} in `Result` is copied literally, not evaluated"),
            )
            .with_label("`Result` is static JSON")
            .with_help("build the value with `Parameters` (JSONPath) to evaluate paths, or drop the `.$`/path if the literal text is meant")
            .with_aws("PASS_RESULT_IS_STATIC", Some("Attempt to use a path in the result of a pass state".into()))
            .at(state.field_pointer("Result")),
        );
    }
    if let Some(parameters) = &state.io.parameters {
        out.push(
            Diagnostic::warning(
                ST_PASS_PARAMS_DEAD,
                def.file,
                parameters.range(),
                "`Parameters` is never used: `Result` replaces its output",
            )
            .with_label("its output is discarded")
            .with_secondary(def.file, result.range, "`Result` is the state's result")
            .with_help("remove `Parameters`, or remove `Result` to pass the `Parameters` output on")
            .at(state.field_pointer("Parameters")),
        );
    }
}

/// The first `….$` key or path-like string inside `node`, with what it is. Walks with an
/// explicit stack: the reader bounds depth, but no recursion is needed.
fn find_path_like(node: &Node) -> Option<(TextRange, &'static str)> {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        match &node.value {
            NodeValue::String(s) if looks_like_path(&s.text) => return Some((node.range, "a path")),
            NodeValue::String(s) if looks_like_intrinsic(&s.text) => {
                return Some((node.range, "an intrinsic function call"))
            }
            NodeValue::Object(members) => {
                if let Some(m) = members.iter().find(|m| m.key.text.ends_with(".$")) {
                    return Some((m.key_range, "a `.$` key"));
                }
                stack.extend(members.iter().rev().map(|m| &m.value));
            }
            NodeValue::Array(items) => stack.extend(items.iter().rev()),
            _ => {}
        }
    }
    None
}

fn looks_like_path(text: &str) -> bool {
    text == "$" || text == "$$" || text.starts_with("$.") || text.starts_with("$[") || text.starts_with("$$.")
}

fn looks_like_intrinsic(text: &str) -> bool {
    text.starts_with("States.") && text.ends_with(')') && text.contains('(')
}

fn check_wait(def: &Definition, state: &State, wait: &Wait, prior: &super::Prior, out: &mut Vec<Diagnostic>) {
    let present: Vec<(&str, TextRange)> = [
        ("Seconds", wait.seconds.as_ref().map(Dyn::range)),
        ("SecondsPath", wait.seconds_path.as_ref().map(|e| e.range)),
        ("Timestamp", wait.timestamp.as_ref().map(Dyn::range)),
        ("TimestampPath", wait.timestamp_path.as_ref().map(|e| e.range)),
    ]
    .into_iter()
    .filter_map(|(name, range)| range.map(|r| (name, r)))
    .collect();
    let fields = if state.query_language == crate::ir::QueryLanguage::Jsonata {
        "`Seconds` or `Timestamp`"
    } else {
        "`Seconds`, `SecondsPath`, `Timestamp` or `TimestampPath`"
    };
    match present.as_slice() {
        [] => {
            // A field whose value lowering rejected (wrong type, other query language)
            // was written; it was reported where it is.
            let written = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"]
                .iter()
                .any(|f| super::reported_at(prior, out, &state.field_pointer(f)));
            if !written {
                out.push(
                    Diagnostic::error(
                        ST_WAIT_ONE_OF,
                        def.file,
                        state.name.range,
                        format!("Wait state `{}` does not say how long to wait", state.name.value),
                    )
                    .with_label("no duration or timestamp")
                    .with_help(format!("add one of {fields}"))
                    .at(&state.pointer),
                );
            }
        }
        [_] => {}
        [(first, first_range), rest @ ..] => {
            for (name, range) in rest {
                out.push(
                    Diagnostic::error(
                        ST_WAIT_ONE_OF,
                        def.file,
                        *range,
                        format!("a Wait state cannot have both `{first}` and `{name}`"),
                    )
                    .with_label(format!("`{name}` here"))
                    .with_secondary(def.file, *first_range, format!("`{first}` here"))
                    .with_help(format!("keep exactly one of {fields}"))
                    .at(&state.pointer),
                );
            }
        }
    }
    if let Some(Dyn::Literal(seconds)) = &wait.seconds {
        if !seconds.value.integer_in(0, 99_999_999) {
            out.push(
                Diagnostic::error(
                    ST_WAIT_SECONDS,
                    def.file,
                    seconds.range,
                    format!("`Seconds` {} is out of range", seconds.value),
                )
                .with_label("expected a whole number of seconds from 0 to 99999999")
                .with_help("wait a whole number of seconds from 0 to 99999999")
                .at(state.field_pointer("Seconds")),
            );
        }
    }
}

fn check_fail(def: &Definition, state: &State, fail: &Fail, out: &mut Vec<Diagnostic>) {
    let pairs = [
        ("Error", ST_FAIL_ERROR_EXCL, fail.error.as_ref().map(Dyn::range), fail.error_path.as_ref()),
        ("Cause", ST_FAIL_CAUSE_EXCL, fail.cause.as_ref().map(Dyn::range), fail.cause_path.as_ref()),
    ];
    for (field, code, plain, path) in pairs {
        let (Some(plain), Some(path)) = (plain, path) else { continue };
        out.push(
            Diagnostic::error(
                code,
                def.file,
                path.range,
                format!("a Fail state cannot have both `{field}` and `{field}Path`"),
            )
            .with_label(format!("`{field}Path` here"))
            .with_secondary(def.file, plain, format!("`{field}` here"))
            .with_help(format!("keep the fixed `{field}` or the `{field}Path` read from the input, not both"))
            .at(&state.pointer),
        );
    }
    if let Some(Dyn::Literal(error)) = &fail.error {
        if error.value.starts_with("States.") {
            out.push(
                Diagnostic::warning(
                    ST_FAIL_RESERVED_ERROR,
                    def.file,
                    error.range,
                    format!("`{}` uses the `States.` prefix reserved for Step Functions errors", error.value),
                )
                .with_label("reserved prefix")
                .with_help("name the error after what went wrong, without the `States.` prefix")
                .at(state.field_pointer("Error")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check, machine, only};

    #[test]
    fn pass() {
        let cases: &[(&str, &[&str])] = &[
            (r#""Result": {"x": 1, "y": ["$ 5", "States"]}"#, &[]),
            (r#""Result": {"x": 1, "y.$": "$.a"}"#, &["ST-PASS-RESULT-STATIC"]),
            (r#""Result": {"x": [{"y": "$.a"}]}"#, &["ST-PASS-RESULT-STATIC"]),
            (r#""Result": "$$.Execution.Id""#, &["ST-PASS-RESULT-STATIC"]),
            (r#""Result": {"f": "States.Format('{}', $.a)"}"#, &["ST-PASS-RESULT-STATIC"]),
            (r#""Parameters": {"a.$": "$.a"}"#, &[]),
            (r#""Parameters": {"a.$": "$.a"}, "Result": 1"#, &["ST-PASS-PARAMS-DEAD"]),
        ];
        for (fields, expected) in cases {
            check(&machine(&format!(r#"{{"Type": "Pass", {fields}, "End": true}}"#)), expected);
        }
        let d = only(
            &machine(r#"{"Type": "Pass", "Result": {"y.$": "$.a"}, "End": true}"#),
            "ST-PASS-RESULT-STATIC",
        );
        assert_eq!(d.location, "/States/S/Result");
        assert_eq!(d.aws.map(|a| a.code), Some("PASS_RESULT_IS_STATIC"));
    }

    #[test]
    fn wait() {
        let cases: &[(&str, &[&str])] = &[
            (r#""Seconds": 10"#, &[]),
            (r#""Seconds": 0"#, &[]),
            (r#""SecondsPath": "$.s""#, &[]),
            (r#""Timestamp": "2016-03-14T01:59:00Z""#, &[]),
            (r#""TimestampPath": "$.t""#, &[]),
            (r#""Seconds": "${Delay}""#, &[]),
            ("\"Comment\": \"x\"", &["ST-WAIT-ONE-OF"]),
            (r#""Seconds": 10, "SecondsPath": "$.s""#, &["ST-WAIT-ONE-OF"]),
            (r#""Timestamp": "2016-03-14T01:59:00Z", "TimestampPath": "$.t""#, &["ST-WAIT-ONE-OF"]),
            (
                r#""Seconds": 1, "SecondsPath": "$.s", "TimestampPath": "$.t""#,
                &["ST-WAIT-ONE-OF", "ST-WAIT-ONE-OF"],
            ),
            (r#""Seconds": "10""#, &["S-FIELD-TYPE"]),
            (r#""Seconds": -1"#, &["ST-WAIT-SECONDS"]),
            (r#""Seconds": 1.5"#, &["ST-WAIT-SECONDS"]),
            (r#""Seconds": 100000000"#, &["ST-WAIT-SECONDS"]),
        ];
        for (fields, expected) in cases {
            check(&machine(&format!(r#"{{"Type": "Wait", {fields}, "End": true}}"#)), expected);
        }
        let jsonata = |fields: &str| {
            machine(&format!(r#"{{"Type": "Wait", "QueryLanguage": "JSONata", {fields}, "End": true}}"#))
        };
        check(&jsonata(r#""Seconds": "{% $states.input.s %}""#), &[]);
        check(&jsonata(r#""Seconds": 1, "Timestamp": "{% $t %}""#), &["ST-WAIT-ONE-OF"]);
        check(&jsonata(r#""SecondsPath": "$.s""#), &["S-FIELD-QL"]);
    }

    #[test]
    fn fail() {
        let cases: &[(&str, &[&str])] = &[
            (r#""Error": "E", "Cause": "C""#, &[]),
            (r#""ErrorPath": "$.e", "CausePath": "$.c""#, &[]),
            (r#""Error": "E", "ErrorPath": "$.e""#, &["ST-FAIL-ERROR-EXCL"]),
            (r#""Cause": "C", "CausePath": "$.c""#, &["ST-FAIL-CAUSE-EXCL"]),
            (r#""Error": "States.TaskFailed""#, &["ST-FAIL-RESERVED-ERROR"]),
            (r#""Error": "MyStates.Failure""#, &[]),
        ];
        for (fields, expected) in cases {
            check(&machine(&format!(r#"{{"Type": "Fail", {fields}}}"#)), expected);
        }
        let d = only(&machine(r#"{"Type": "Fail", "Cause": "C", "CausePath": "$.c"}"#), "ST-FAIL-CAUSE-EXCL");
        assert_eq!(d.location, "/States/S");
    }
}
