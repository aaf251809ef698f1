//! Lowering `Retry` and `Catch` (runtime-errors.md §3, §4) and their static rules.

use aslc_source::TextRange;
use aslc_syntax::{Member, Node};

use super::reader::{self, Fields};
use super::state::StateCx;
use super::{template, Cx, DiagExt};
use crate::ir::{Catcher, ErrorHandling, Name, Retrier, Spanned, Text};
use crate::pointer::Field;
use crate::rules::declare_rules;

declare_rules! { @spec "runtime-errors.md";
    /// ## What it does
    /// Reports `Retry` on a state other than Task, Parallel and Map.
    ///
    /// ## Why is this bad?
    /// Only those states can fail in a way worth retrying; AWS rejects the field
    /// (`Field 'Retry' is not supported`).
    ///
    /// ## Example
    /// ```json
    /// "A": { "Type": "Pass", "Retry": [ { "ErrorEquals": ["States.ALL"] } ], "End": true }
    /// ```
    /// ## Use instead
    /// Remove `Retry`, or move it to the Task that can fail.
    R_RETRY_PLACEMENT = "R-RETRY-PLACEMENT", Error, Some("SCHEMA_VALIDATION_FAILED"), "`Retry` only on Task, Parallel and Map";
    /// ## What it does
    /// Reports a `Retry` that is not an array of objects.
    ///
    /// ## Why is this bad?
    /// AWS's schema rejects it.
    ///
    /// ## Example
    /// ```json
    /// "Retry": { "ErrorEquals": ["States.ALL"] }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Retry": [ { "ErrorEquals": ["States.ALL"] } ]
    /// ```
    R_RETRY_ARRAY = "R-RETRY-ARRAY", Error, Some("SCHEMA_VALIDATION_FAILED"), "`Retry` is an array of objects";
    /// ## What it does
    /// Reports a retrier without `ErrorEquals`, or with an empty one or non-string entries.
    ///
    /// ## Why is this bad?
    /// `ErrorEquals` says which errors the retrier handles; without it, none.
    ///
    /// ## Example
    /// ```json
    /// "Retry": [ { "MaxAttempts": 2 } ]
    /// ```
    /// ## Use instead
    /// ```json
    /// "Retry": [ { "ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2 } ]
    /// ```
    R_RETRY_ERRORS = "R-RETRY-ERRORS", Error, Some("SCHEMA_VALIDATION_FAILED"), "`ErrorEquals` is a non-empty array of strings";
    /// ## What it does
    /// Reports an `ErrorEquals` that holds `States.ALL` next to other names.
    ///
    /// ## Why is this bad?
    /// `States.ALL` matches every error, so the other names mean nothing; AWS answers
    /// `States.ALL must appear alone and at end of list`.
    ///
    /// ## Example
    /// ```json
    /// "ErrorEquals": ["States.Timeout", "States.ALL"]
    /// ```
    /// ## Use instead
    /// ```json
    /// "ErrorEquals": ["States.ALL"]
    /// ```
    R_ALL_ALONE = "R-ALL-ALONE", Error, Some("SCHEMA_VALIDATION_FAILED"), "an `ErrorEquals` containing `States.ALL` contains nothing else";
    /// ## What it does
    /// Reports a `States.ALL` retrier or catcher that is not the last of its list.
    ///
    /// ## Why is this bad?
    /// Retriers and catchers are tried in order and `States.ALL` matches everything, so
    /// every entry after it is dead; AWS rejects the definition.
    ///
    /// ## Example
    /// ```json
    /// "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "F" }, { "ErrorEquals": ["X"], "Next": "G" } ]
    /// ```
    /// ## Use instead
    /// Move the `States.ALL` entry to the end.
    R_ALL_LAST = "R-ALL-LAST", Error, Some("SCHEMA_VALIDATION_FAILED"), "a `States.ALL` retrier or catcher is the last one";
    /// ## What it does
    /// Reports an `IntervalSeconds` that is not an integer in 1 … 99,999,999 (0 is a
    /// warning until AWS's behaviour is measured).
    ///
    /// ## Why is this bad?
    /// AWS's schema bounds the first retry delay.
    ///
    /// ## Example
    /// ```json
    /// "IntervalSeconds": 0.5
    /// ```
    /// ## Use instead
    /// A whole number of seconds, e.g. `"IntervalSeconds": 1`.
    R_RETRY_INTERVAL = "R-RETRY-INTERVAL", Error, Some("SCHEMA_VALIDATION_FAILED"), "`IntervalSeconds` is an integer in 1 … 99,999,999";
    /// ## What it does
    /// Reports a `MaxAttempts` that is not an integer in 0 … 99,999,999.
    ///
    /// ## Why is this bad?
    /// AWS's schema rejects it.
    ///
    /// ## Example
    /// ```json
    /// "MaxAttempts": -1
    /// ```
    /// ## Use instead
    /// `"MaxAttempts": 3` (0 means never retry).
    R_RETRY_MAXATTEMPTS = "R-RETRY-MAXATTEMPTS", Error, Some("SCHEMA_VALIDATION_FAILED"), "`MaxAttempts` is an integer in 0 … 99,999,999";
    /// ## What it does
    /// Reports a `BackoffRate` below 1.0.
    ///
    /// ## Why is this bad?
    /// A rate below 1 would shrink the delay on each retry; AWS rejects it.
    ///
    /// ## Example
    /// ```json
    /// "BackoffRate": 0.5
    /// ```
    /// ## Use instead
    /// `"BackoffRate": 2.0` (or `1.0` for a constant delay).
    R_RETRY_BACKOFF = "R-RETRY-BACKOFF", Error, Some("SCHEMA_VALIDATION_FAILED"), "`BackoffRate` is a number ≥ 1.0";
    /// ## What it does
    /// Reports a `MaxDelaySeconds` that is not an integer in 1 … 31,622,400.
    ///
    /// ## Why is this bad?
    /// AWS's schema bounds the cap to one leap year.
    ///
    /// ## Use instead
    /// A whole number of seconds within the range.
    R_RETRY_MAXDELAY = "R-RETRY-MAXDELAY", Error, Some("SCHEMA_VALIDATION_FAILED"), "`MaxDelaySeconds` is an integer in 1 … 31,622,400";
    /// ## What it does
    /// Reports a `JitterStrategy` other than `FULL` or `NONE`.
    ///
    /// ## Why is this bad?
    /// AWS knows only those two strategies.
    ///
    /// ## Example
    /// ```json
    /// "JitterStrategy": "RANDOM"
    /// ```
    /// ## Use instead
    /// `"JitterStrategy": "FULL"`.
    R_RETRY_JITTER = "R-RETRY-JITTER", Error, Some("SCHEMA_VALIDATION_FAILED"), "`JitterStrategy` is `FULL` or `NONE`";
    /// ## What it does
    /// Reports an unknown field in a retrier.
    ///
    /// ## Why is this bad?
    /// AWS rejects it; usually a typo (`MaxAttempt`, `Interval`).
    ///
    /// ## Use instead
    /// Use only `ErrorEquals`, `IntervalSeconds`, `MaxAttempts`, `BackoffRate`,
    /// `MaxDelaySeconds`, `JitterStrategy` and `Comment`.
    R_RETRY_FIELDS = "R-RETRY-FIELDS", Error, Some("SCHEMA_VALIDATION_FAILED"), "a retrier has only the fields of runtime-errors.md §3.1";
    /// ## What it does
    /// Reports `Catch` on a state other than Task, Parallel and Map.
    ///
    /// ## Why is this bad?
    /// AWS rejects the field (`Field 'Catch' is not supported`).
    ///
    /// ## Use instead
    /// Remove `Catch`, or move it to the state that can fail.
    R_CATCH_PLACEMENT = "R-CATCH-PLACEMENT", Error, Some("SCHEMA_VALIDATION_FAILED"), "`Catch` only on Task, Parallel and Map";
    /// ## What it does
    /// Reports a catcher without `ErrorEquals`, or with an empty one or non-string entries.
    ///
    /// ## Why is this bad?
    /// The catcher would catch nothing.
    ///
    /// ## Use instead
    /// `"ErrorEquals": ["States.ALL"]` to catch everything.
    R_CATCH_ERRORS = "R-CATCH-ERRORS", Error, Some("SCHEMA_VALIDATION_FAILED"), "a catcher's `ErrorEquals` is a non-empty array of strings";
    /// ## What it does
    /// Reports a catcher without `Next`, or whose `Next` names no state of the same scope.
    ///
    /// ## Why is this bad?
    /// A caught error must go somewhere; AWS answers `Missing 'Next' target`.
    ///
    /// ## Example
    /// ```json
    /// "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "HandleEror" } ]
    /// ```
    /// ## Use instead
    /// Name an existing state: `"Next": "HandleError"`.
    R_CATCH_NEXT = "R-CATCH-NEXT", Error, Some("MISSING_TRANSITION_TARGET"), "a catcher's `Next` names a state of the same scope";
    /// ## What it does
    /// Reports `ResultPath` in a JSONata state's catcher, or `Output` in a JSONPath
    /// state's catcher.
    ///
    /// ## Why is this bad?
    /// Catchers follow their state's query language; AWS rejects the other one's field.
    ///
    /// ## Use instead
    /// JSONata: `"Output": "{% $states.errorOutput %}"`; JSONPath: `"ResultPath": "$.error"`.
    R_CATCH_QL = "R-CATCH-QL", Error, Some("SCHEMA_VALIDATION_FAILED"), "catcher fields follow the state's query language";
    /// ## What it does
    /// Reports an unknown field in a catcher.
    ///
    /// ## Why is this bad?
    /// AWS rejects it; usually a typo.
    ///
    /// ## Use instead
    /// Use only `ErrorEquals`, `Next`, `ResultPath` (JSONPath) or `Output` (JSONata),
    /// `Assign` and `Comment`.
    R_CATCH_FIELDS = "R-CATCH-FIELDS", Error, Some("SCHEMA_VALIDATION_FAILED"), "a catcher has only the fields of runtime-errors.md §4.1";
}

/// Lowers `Retry` and `Catch` (already known to be allowed on this state type).
pub(crate) fn lower_error_handling(cx: &mut Cx, fields: &mut Fields, scx: &StateCx) -> ErrorHandling {
    let mut out = ErrorHandling::default();
    if let Some(member) = fields.take("Retry") {
        out.retry_range = Some(member.value.range);
        if let Some(items) = objects(cx, member, scx.field("Retry"), R_RETRY_ARRAY, "retrier") {
            for (i, item) in items.iter().enumerate() {
                out.retry.push(lower_retrier(cx, item, &crate::pointer::index(scx.pointer, "Retry", i)));
            }
            check_all_last(
                cx,
                out.retry.iter().map(|r| &r.error_equals[..]),
                crate::pointer::field(scx.pointer, "Retry"),
                "retrier",
            );
        }
    }
    if let Some(member) = fields.take("Catch") {
        out.catch_range = Some(member.value.range);
        if let Some(items) = objects(cx, member, scx.field("Catch"), R_RETRY_ARRAY, "catcher") {
            for (i, item) in items.iter().enumerate() {
                out.catch.push(lower_catcher(cx, item, &crate::pointer::index(scx.pointer, "Catch", i), scx));
            }
            check_all_last(
                cx,
                out.catch.iter().map(|c| &c.error_equals[..]),
                crate::pointer::field(scx.pointer, "Catch"),
                "catcher",
            );
        }
    }
    out
}

/// The elements of an array of objects; non-objects are reported and skipped.
fn objects<'n>(
    cx: &mut Cx,
    member: &'n Member,
    pointer: Field<'_>,
    code: &'static str,
    what: &str,
) -> Option<Vec<&'n Node>> {
    let code = if &*member.key.text == "Catch" { R_CATCH_ERRORS } else { code };
    let Some(items) = member.value.as_array() else {
        cx.error(
            code,
            member.value.range,
            pointer,
            format!("`{}` must be an array of {what}s, not {}", member.key.text, member.value.type_name()),
        )
        .label("expected an array")
        .help(format!("write `\"{}\": [ {{ \"ErrorEquals\": [\"States.ALL\"], … }} ]`", member.key.text));
        return None;
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if item.as_object().is_some() {
            out.push(item);
        } else {
            cx.error(
                code,
                item.range,
                &crate::pointer::index(pointer.base, pointer.name, i),
                format!(
                    "a {what} must be an object, not {}",
                    crate::lower::reader::article(item.type_name())
                ),
            )
            .label(format!("expected a {what} object"))
            .help(format!("write the {what} as `{{ \"ErrorEquals\": [\"…\"], … }}`"));
        }
    }
    Some(out)
}

fn error_equals(
    cx: &mut Cx,
    fields: &mut Fields,
    node: &Node,
    pointer: &str,
    code: &'static str,
    what: &str,
) -> (Vec<Name>, TextRange) {
    let Some(member) = fields.take("ErrorEquals") else {
        cx.error(code, node.range.start_point(), pointer, format!("this {what} has no `ErrorEquals`"))
            .label("missing `ErrorEquals`")
            .help("add `\"ErrorEquals\": [\"States.ALL\"]` or the error names to handle")
            .aws("SCHEMA_VALIDATION_FAILED", "These fields are required: [ErrorEquals]");
        return (Vec::new(), node.range);
    };
    let field_pointer = crate::pointer::field(pointer, "ErrorEquals");
    let Some(items) = member.value.as_array() else {
        cx.error(
            code,
            member.value.range,
            field_pointer,
            format!(
                "`ErrorEquals` must be an array of error names, not {}",
                crate::lower::reader::article(member.value.type_name())
            ),
        )
        .label("expected an array of strings")
        .help("write `\"ErrorEquals\": [\"States.ALL\"]`");
        return (Vec::new(), member.value.range);
    };
    if items.is_empty() {
        cx.error(code, member.value.range, field_pointer, "`ErrorEquals` is empty")
            .label("this handles no error")
            .help("list the error names to handle, or `\"States.ALL\"`")
            .aws("SCHEMA_VALIDATION_FAILED", "Value cannot be empty");
    }
    let mut names = Vec::with_capacity(items.len());
    for (j, item) in items.iter().enumerate() {
        match item.as_str() {
            Some(text) => names.push(Spanned::new(Text::from(text), item.range)),
            None => {
                cx.error(
                    code,
                    item.range,
                    &crate::pointer::index(pointer, "ErrorEquals", j),
                    format!(
                        "an error name must be a string, not {}",
                        crate::lower::reader::article(item.type_name())
                    ),
                )
                .label("expected a string")
                .help("write the error name as a string, e.g. \"States.Timeout\"");
            }
        }
    }
    if names.len() > 1 {
        if let Some((j, all)) = names.iter().enumerate().find(|(_, n)| &*n.value == "States.ALL") {
            cx.error(
                R_ALL_ALONE,
                all.range,
                &crate::pointer::index(pointer, "ErrorEquals", j),
                "`States.ALL` must be the only error name in its `ErrorEquals`",
            )
            .label("`States.ALL` already matches every error")
            .help("remove the other names, or move them to a separate entry before this one")
            .aws("SCHEMA_VALIDATION_FAILED", "States.ALL must appear alone and at end of list");
        }
    }
    (names, member.value.range)
}

fn check_all_last<'a>(cx: &mut Cx, lists: impl Iterator<Item = &'a [Name]>, pointer: Field<'_>, what: &str) {
    let lists: Vec<&[Name]> = lists.collect();
    let n = lists.len();
    for (i, names) in lists.iter().enumerate() {
        if i + 1 == n {
            break;
        }
        if let Some((j, all)) = names.iter().enumerate().find(|(_, n)| &*n.value == "States.ALL") {
            cx.error(
                R_ALL_LAST,
                all.range,
                &format!("{pointer}[{i}]/ErrorEquals[{j}]"),
                format!("a `States.ALL` {what} must be the last one"),
            )
            .label(format!("every {what} after this one can never be used"))
            .help(format!("move this {what} to the end of the list"))
            .aws("SCHEMA_VALIDATION_FAILED", "States.ALL must appear alone and at end of list");
        }
    }
}

fn lower_retrier(cx: &mut Cx, node: &Node, pointer: &str) -> Retrier {
    let mut fields = Fields::new(node.as_object().unwrap_or_default());
    let (error_equals, error_equals_range) =
        error_equals(cx, &mut fields, node, pointer, R_RETRY_ERRORS, "retrier");
    let number_field = |cx: &mut Cx,
                        fields: &mut Fields,
                        key: &str,
                        code: &'static str,
                        check: fn(&crate::ir::Number) -> bool,
                        expectation: &str| {
        let member = fields.take(key)?;
        let field_pointer = crate::pointer::field(pointer, key);
        let Some(value) = member.value.as_number_text().map(crate::ir::Number::new) else {
            cx.error(
                code,
                member.value.range,
                field_pointer,
                format!(
                    "`{key}` must be a number, not {}",
                    crate::lower::reader::article(member.value.type_name())
                ),
            )
            .label("expected a number")
            .help(format!("write `{key}` as {expectation}"));
            return None;
        };
        if !check(&value) {
            cx.error(code, member.value.range, field_pointer, format!("`{key}` {value} is out of range"))
                .label(format!("expected {expectation}"))
                .help(format!("use {expectation}"));
        }
        Some(Spanned::new(value, member.value.range))
    };
    let interval_seconds = fields.take("IntervalSeconds").and_then(|member| {
        let field_pointer = crate::pointer::field(pointer, "IntervalSeconds");
        let Some(value) = member.value.as_number_text().map(crate::ir::Number::new) else {
            cx.error(
                R_RETRY_INTERVAL,
                member.value.range,
                field_pointer,
                format!(
                    "`IntervalSeconds` must be a number, not {}",
                    crate::lower::reader::article(member.value.type_name())
                ),
            )
            .label("expected a number")
            .help("write `IntervalSeconds` as a whole number of seconds");
            return None;
        };
        if value.integer_in(0, 0) {
            cx.warning(
                R_RETRY_INTERVAL,
                member.value.range,
                field_pointer,
                "`IntervalSeconds` 0 retries without any delay",
            )
            .label("the spec requires a positive interval")
            .help("use at least 1 second");
        } else if !value.integer_in(1, 99_999_999) {
            cx.error(
                R_RETRY_INTERVAL,
                member.value.range,
                field_pointer,
                format!("`IntervalSeconds` {value} is out of range"),
            )
            .label("expected an integer from 1 to 99999999")
            .help("use a whole number of seconds from 1 to 99999999");
        }
        Some(Spanned::new(value, member.value.range))
    });
    let max_attempts = number_field(
        cx,
        &mut fields,
        "MaxAttempts",
        R_RETRY_MAXATTEMPTS,
        |n| n.integer_in(0, 99_999_999),
        "an integer from 0 to 99999999",
    );
    let backoff_rate = number_field(
        cx,
        &mut fields,
        "BackoffRate",
        R_RETRY_BACKOFF,
        |n| n.as_f64() >= 1.0,
        "a number of at least 1.0",
    );
    let max_delay_seconds = number_field(
        cx,
        &mut fields,
        "MaxDelaySeconds",
        R_RETRY_MAXDELAY,
        |n| n.integer_in(1, 31_622_400),
        "an integer from 1 to 31622400",
    );
    let jitter_strategy = fields.take("JitterStrategy").and_then(|member| {
        let field_pointer = crate::pointer::field(pointer, "JitterStrategy");
        let value = member.value.as_str();
        if !matches!(value, Some("FULL" | "NONE")) {
            cx.error(
                R_RETRY_JITTER,
                member.value.range,
                field_pointer,
                "`JitterStrategy` must be \"FULL\" or \"NONE\"",
            )
            .label("unknown jitter strategy")
            .help("use \"FULL\" to randomise delays or \"NONE\" for fixed ones")
            .aws(
                "SCHEMA_VALIDATION_FAILED",
                "The field 'JitterStrategy' should have one of these values: [FULL, NONE]",
            );
        }
        value.map(|v| Spanned::new(Text::from(v), member.value.range))
    });
    let comment =
        fields.take("Comment").and_then(|m| super::comment(cx, m, crate::pointer::field(pointer, "Comment")));
    const RETRIER_FIELDS: &[&str] = &[
        "ErrorEquals",
        "IntervalSeconds",
        "MaxAttempts",
        "BackoffRate",
        "MaxDelaySeconds",
        "JitterStrategy",
        "Comment",
    ];
    reader::report_unknown(cx, &fields, R_RETRY_FIELDS, pointer, "a retrier", RETRIER_FIELDS);
    let extra = fields.into_extra();
    Retrier {
        range: node.range,
        error_equals,
        error_equals_range,
        interval_seconds,
        max_attempts,
        backoff_rate,
        max_delay_seconds,
        jitter_strategy,
        comment,
        extra,
    }
}

fn lower_catcher(cx: &mut Cx, node: &Node, pointer: &str, scx: &StateCx) -> Catcher {
    let mut fields = Fields::new(node.as_object().unwrap_or_default());
    let (error_equals, error_equals_range) =
        error_equals(cx, &mut fields, node, pointer, R_CATCH_ERRORS, "catcher");
    let next = match fields.take("Next") {
        Some(m) => reader::string(cx, m, crate::pointer::field(pointer, "Next")),
        None => {
            cx.error(R_CATCH_NEXT, node.range.start_point(), pointer, "this catcher has no `Next`")
                .label("a caught error needs somewhere to go")
                .help("add `\"Next\": \"<state>\"` naming the state that handles the error")
                .aws("SCHEMA_VALIDATION_FAILED", "These fields are required: [Next]");
            None
        }
    };
    let jsonata = scx.jsonata();
    let mut result_path = None;
    let mut output = None;
    for (key, allowed) in [("ResultPath", !jsonata), ("Output", jsonata)] {
        let Some(m) = fields.take(key) else { continue };
        if allowed {
            if key == "ResultPath" {
                result_path = template::path_or_null(cx, m, crate::pointer::field(pointer, "ResultPath"));
            } else {
                output =
                    Some(template::lower_value(cx, &m.value, crate::pointer::field(pointer, "Output"), true));
            }
        } else {
            let (this, other, help) = if jsonata {
                ("JSONata", "JSONPath", "use `Output` with `$states.errorOutput` in JSONata catchers")
            } else {
                ("JSONPath", "JSONata", "use `ResultPath` in JSONPath catchers, or make the state JSONata")
            };
            cx.error(R_CATCH_QL, m.key_range, pointer, format!("`{key}` is a {other} catcher field, but this state uses {this}"))
                .label(format!("not available in {this} states"))
                .help(help)
                .aws("SCHEMA_VALIDATION_FAILED", format!("The QueryLanguage is set to '{this}', but field '{key}' is only supported for the '{other}' QueryLanguage"));
        }
    }
    let assign = fields
        .take("Assign")
        .and_then(|m| template::lower_assign(cx, m, crate::pointer::field(pointer, "Assign"), jsonata));
    let comment =
        fields.take("Comment").and_then(|m| super::comment(cx, m, crate::pointer::field(pointer, "Comment")));
    let catcher_fields: &[&str] = if jsonata {
        &["ErrorEquals", "Next", "Output", "Assign", "Comment"]
    } else {
        &["ErrorEquals", "Next", "ResultPath", "Assign", "Comment"]
    };
    reader::report_unknown(cx, &fields, R_CATCH_FIELDS, pointer, "a catcher", catcher_fields);
    let extra = fields.into_extra();
    Catcher {
        range: node.range,
        error_equals,
        error_equals_range,
        next,
        result_path,
        output,
        assign,
        comment,
        extra,
    }
}
