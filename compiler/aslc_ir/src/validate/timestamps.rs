//! Literal timestamps (states.md §5.1): a Wait state's `Timestamp` and the operands of the
//! `Timestamp…` choice operators must be RFC 3339 in the form AWS accepts.

use aslc_query::timestamp::parse_timestamp;
use aslc_source::{Diagnostic, TextRange};

use super::walk;
use crate::ir::{has_placeholder, Definition, Dyn, OperandKind, StateKind};
use crate::rules::declare_rules;

declare_rules! { @spec "states.md";
    /// ## What it does
    /// Reports a Wait state's literal `Timestamp` that is not an RFC 3339 timestamp with an
    /// upper-case `T`, seconds and a zone (`Z` or `±hh:mm`). In a JSONPath state a
    /// `{% … %}` value is a literal too, so it is reported.
    ///
    /// ## Why is this bad?
    /// AWS answers `String does not match RFC3339 timestamp`.
    ///
    /// ## Example
    /// ```json
    /// "Timestamp": "2016-03-14 01:59:00"
    /// ```
    /// ## Use instead
    /// ```json
    /// "Timestamp": "2016-03-14T01:59:00Z"
    /// ```
    ST_WAIT_TIMESTAMP = "ST-WAIT-TIMESTAMP", Error, Some("SCHEMA_VALIDATION_FAILED"), "a literal `Timestamp` is an RFC 3339 timestamp";
    @spec "choice.md";
    /// ## What it does
    /// Reports a `TimestampEquals`, `TimestampLessThan`, … operand that is not an RFC 3339
    /// timestamp in the form AWS accepts.
    ///
    /// ## Why is this bad?
    /// The comparison can never be made.
    ///
    /// ## Example
    /// ```json
    /// { "Variable": "$.when", "TimestampLessThan": "2024-01-01", "Next": "Early" }
    /// ```
    /// ## Use instead
    /// `"TimestampLessThan": "2024-01-01T00:00:00Z"`.
    C_TIMESTAMP_LITERAL = "C-TIMESTAMP-LITERAL", Error, Some("SCHEMA_VALIDATION_FAILED"), "a `Timestamp…` operand is an RFC 3339 timestamp";
}

/// AWS's message for a malformed literal timestamp.
const AWS_MESSAGE: &str = "String does not match RFC3339 timestamp";

/// Checks literal timestamps.
pub(crate) fn check(def: &Definition, focus: super::Focus<'_>, out: &mut Vec<Diagnostic>) {
    for (_, state) in focus.states(def) {
        let StateKind::Wait(wait) = &state.kind else { continue };
        let Some(Dyn::Literal(literal)) = &wait.timestamp else { continue };
        let text = &*literal.value;
        if has_placeholder(text) {
            continue;
        }
        if let Err(err) = parse_timestamp(text) {
            out.push(
                Diagnostic::error(
                    ST_WAIT_TIMESTAMP,
                    def.file,
                    literal_inner(text, literal.range, err.range),
                    format!("`Timestamp` is not a valid timestamp: {}", err.message),
                )
                .with_help(help(text, "TimestampPath"))
                .with_aws("SCHEMA_VALIDATION_FAILED", Some(AWS_MESSAGE.to_string()))
                .at(state.field_pointer("Timestamp")),
            );
        }
    }
    for site in walk::comparisons(def, focus) {
        if site.op.operand_kind() != OperandKind::Timestamp {
            continue;
        }
        let Some(text) = site.operand.as_str() else { continue };
        if has_placeholder(text) {
            continue;
        }
        if let Err(err) = parse_timestamp(text) {
            let op = site.op.as_str();
            out.push(
                Diagnostic::error(
                    C_TIMESTAMP_LITERAL,
                    def.file,
                    site.operand.inner_range(err.range),
                    format!("`{op}` takes a timestamp: {}", err.message),
                )
                .with_help(help(text, &format!("{op}Path")))
                .with_aws("SCHEMA_VALIDATION_FAILED", Some(AWS_MESSAGE.to_string()))
                .at(format!("{}/{op}", site.pointer)),
            );
        }
    }
}

fn help(text: &str, path_field: &str) -> String {
    if text.starts_with('$') {
        format!("to read the timestamp from the input, use `{path_field}`")
    } else if crate::lower::reader::is_jsonata_text(text) {
        "`{% … %}` is evaluated only in JSONata states; set `\"QueryLanguage\": \"JSONata\"`".to_string()
    } else {
        "write an RFC 3339 timestamp such as `2016-03-14T01:59:00Z` or `2016-03-14T01:59:00.5+01:00`"
            .to_string()
    }
}

/// The file range of `inner` (a range of the decoded `text`) when the literal's range shows
/// the text verbatim: a JSON string whose escapes would have made it longer, or a plain
/// scalar. Otherwise the whole literal.
fn literal_inner(text: &str, range: TextRange, inner: TextRange) -> TextRange {
    let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
    if range.len() == len.saturating_add(2) {
        // Every JSON escape is longer than what it stands for, so equal lengths mean none.
        inner.shift(range.start() + 1)
    } else if range.len() == len {
        inner.shift(range.start())
    } else {
        range
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::testing::{check, machine, only};

    fn wait(timestamp: &str) -> String {
        machine(&format!(r#"{{"Type": "Wait", "Timestamp": "{timestamp}", "End": true}}"#))
    }

    #[test]
    fn wait_timestamp() {
        let cases: &[(&str, &[&str])] = &[
            ("2016-03-14T01:59:00Z", &[]),
            ("2016-03-05T21:29:29.243167252Z", &[]),
            ("2016-03-14T01:59:00+01:00", &[]),
            ("${When}", &[]),
            ("2016-12-05 21:29:29Z", &["ST-WAIT-TIMESTAMP"]),
            ("2016-12-05T21:29:29", &["ST-WAIT-TIMESTAMP"]),
            ("2016-13-05T21:29:29Z", &["ST-WAIT-TIMESTAMP"]),
            ("2016-12-05T25:29:29Z", &["ST-WAIT-TIMESTAMP"]),
            ("05-12-2016T21:29:29Z", &["ST-WAIT-TIMESTAMP"]),
            ("{% $now() %}", &["ST-WAIT-TIMESTAMP"]),
            ("$.when", &["ST-WAIT-TIMESTAMP"]),
        ];
        for (timestamp, expected) in cases {
            check(&wait(timestamp), expected);
        }
        let json = wait("2016-13-05T21:29:29Z");
        let d = only(&json, "ST-WAIT-TIMESTAMP");
        assert_eq!(&json[d.primary.range.as_usize()], "13");
        assert_eq!(d.location, "/States/S/Timestamp");
        assert_eq!(d.aws.and_then(|a| a.message).as_deref(), Some("String does not match RFC3339 timestamp"));
    }

    #[test]
    fn jsonata_expressions_are_not_literals() {
        let json =
            machine(r#"{"Type": "Wait", "QueryLanguage": "JSONata", "Timestamp": "{% $t %}", "End": true}"#);
        check(&json, &[]);
    }

    #[test]
    fn choice_timestamps() {
        let choice = |operand: &str| {
            format!(
                r#"{{"StartAt": "C", "States": {{"C": {{"Type": "Choice", "Choices": [
                {{"And": [{{"Variable": "$.t", "TimestampLessThan": "{operand}"}}], "Next": "D"}}], "Default": "D"}},
                "D": {{"Type": "Succeed"}}}}}}"#
            )
        };
        check(&choice("2024-01-01T00:00:00Z"), &[]);
        check(&choice("2024-01-01"), &["C-TIMESTAMP-LITERAL"]);
        let d = only(&choice("2024-01-01"), "C-TIMESTAMP-LITERAL");
        assert_eq!(d.location, "/States/C/Choices[0]/And[0]/TimestampLessThan");
    }
}
