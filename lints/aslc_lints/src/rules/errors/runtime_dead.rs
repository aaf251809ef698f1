//! `R-ERR-RUNTIME-DEAD`: `States.Runtime` in an `ErrorEquals`.

use aslc_source::Diagnostic;

use crate::errors::RUNTIME;
use crate::registry::declare_lint;
use crate::LintCtx;

declare_lint! {
    /// ## What it does
    /// Reports `States.Runtime` in the `ErrorEquals` of a retrier or catcher.
    ///
    /// ## Why is this bad?
    /// `States.Runtime` (an invalid path, a wrongly typed `…Path` value) is never retried
    /// and never caught, not even when named explicitly: it fails the execution at once.
    /// The entry does nothing and suggests a safety net that is not there.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "Call", "States": {
    ///     "Call": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
    ///       "Catch": [ { "ErrorEquals": ["States.Runtime"], "Next": "Failed" } ] },
    ///     "Failed": { "Type": "Fail" } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "StartAt": "Call", "States": {
    ///     "Call": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
    ///       "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "Failed" } ] },
    ///     "Failed": { "Type": "Fail" } } }
    /// ```
    /// ## Fix
    /// Remove the name; guard the data instead (a Choice with `IsPresent` before the path).
    "R-ERR-RUNTIME-DEAD", Warn, "runtime-errors.md", "`States.Runtime` is not listed in `ErrorEquals`";
}

/// Reports every `States.Runtime` entry.
pub(crate) fn check(ctx: &LintCtx<'_>, acc: &mut Vec<Diagnostic>) {
    for (_, state) in ctx.states() {
        let retry = state.errors.retry.iter().map(|r| ("Retry", &r.error_equals));
        let catch = state.errors.catch.iter().map(|c| ("Catch", &c.error_equals));
        let mut counts = [0usize; 2];
        for (field, names) in retry.chain(catch) {
            let slot = usize::from(field == "Catch");
            let index = counts[slot];
            counts[slot] += 1;
            for (j, name) in names.iter().enumerate() {
                if &*name.value == RUNTIME {
                    acc.push(
                        ctx.diagnostic(&RULE, name.range, "`States.Runtime` can never be retried or caught")
                            .with_label("this entry has no effect")
                            .with_help("remove it, and guard the data that could fail instead")
                            .with_note("a runtime error fails the execution directly, whatever the retriers and catchers say")
                            .at(format!("{}/{field}[{index}]/ErrorEquals[{j}]", state.pointer)),
                    );
                }
            }
        }
    }
}
