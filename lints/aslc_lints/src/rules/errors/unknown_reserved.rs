//! `R-ERR-UNKNOWN-RESERVED`: a `States.` name that is not a reserved error name.

use aslc_ir::ir::StateKind;
use aslc_source::Diagnostic;

use crate::errors::{is_reserved, RESERVED};
use crate::registry::declare_lint;
use crate::LintCtx;

declare_lint! {
    /// ## What it does
    /// Reports an `ErrorEquals` entry that starts with `States.` but is none of the
    /// reserved error names (and not in the `States.Http.StatusCode.<n>` family), unless a
    /// Fail state of the definition raises that very name.
    ///
    /// ## Why is this bad?
    /// Only Step Functions raises `States.` errors, and only the reserved ones, so the
    /// entry can never match; it is usually a misspelling such as `States.Timeouts`.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "Call", "States": { "Call": { "Type": "Task",
    ///     "Resource": "arn:aws:states:::lambda:invoke", "End": true,
    ///     "Retry": [ { "ErrorEquals": ["States.TimeOut"] } ] } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "StartAt": "Call", "States": { "Call": { "Type": "Task",
    ///     "Resource": "arn:aws:states:::lambda:invoke", "End": true,
    ///     "Retry": [ { "ErrorEquals": ["States.Timeout"] } ] } } }
    /// ```
    /// ## Fix
    /// Correct the name.
    "R-ERR-UNKNOWN-RESERVED", Warn, "runtime-errors.md", "every `States.` name in `ErrorEquals` is a reserved error name";
}

/// Reports unknown `States.` names.
pub(crate) fn check(ctx: &LintCtx<'_>, acc: &mut Vec<Diagnostic>) {
    // A Fail state may raise a `States.` name of its own (`ST-FAIL-RESERVED-ERROR` warns
    // about that); catchers of such a name are then live.
    let raised: Vec<&str> = ctx
        .def
        .iter_states()
        .filter_map(|(_, s)| match &s.kind {
            StateKind::Fail(fail) => fail.error.as_ref().and_then(|e| e.literal()).map(|e| &*e.value),
            _ => None,
        })
        .collect();
    for (_, state) in ctx.def.iter_states() {
        let retry = state.errors.retry.iter().enumerate().map(|(i, r)| ("Retry", i, &r.error_equals));
        let catch = state.errors.catch.iter().enumerate().map(|(i, c)| ("Catch", i, &c.error_equals));
        for (field, index, names) in retry.chain(catch) {
            for (j, name) in names.iter().enumerate() {
                if !name.value.starts_with("States.")
                    || is_reserved(&name.value)
                    || raised.contains(&&*name.value)
                {
                    continue;
                }
                let mut diagnostic = ctx
                    .diagnostic(
                        &RULE,
                        name.range,
                        format!("`{}` is not an error Step Functions raises", name.value),
                    )
                    .with_label("this entry can never match")
                    .at(format!("{}/{field}[{index}]/ErrorEquals[{j}]", state.pointer));
                diagnostic = match nearest(&name.value) {
                    Some(best) => diagnostic.with_help(format!("did you mean `{best}`?")),
                    None => diagnostic.with_help(
                        "use one of the reserved `States.` names, or a name without the `States.` prefix",
                    ),
                };
                acc.push(diagnostic);
            }
        }
    }
}

/// The reserved name closest to `name` by case-insensitive edit distance, if close.
fn nearest(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    RESERVED
        .iter()
        .map(|r| (distance(&lower, &r.to_ascii_lowercase()), *r))
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, r)| r)
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}
