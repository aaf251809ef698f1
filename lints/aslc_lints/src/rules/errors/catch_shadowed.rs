//! `R-CATCH-SHADOWED`: a catcher that can never be selected.

use aslc_ir::ir::Name;
use aslc_source::Diagnostic;

use super::shadowed;
use crate::registry::declare_lint;
use crate::LintCtx;

declare_lint! {
    /// ## What it does
    /// Reports a catcher whose every `ErrorEquals` name is already matched by earlier
    /// catchers of the same state (as `R-RETRY-SHADOWED` does for retriers).
    ///
    /// ## Why is this bad?
    /// The first matching catcher handles the error, so the later one never runs: its
    /// `Next` is never taken, its `ResultPath` or `Assign` never applied.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "Call", "States": {
    ///     "Call": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
    ///       "Catch": [ { "ErrorEquals": ["States.TaskFailed"], "Next": "Failed" },
    ///                  { "ErrorEquals": ["OrderNotFound"], "Next": "NotFound" } ] },
    ///     "Failed": { "Type": "Fail" }, "NotFound": { "Type": "Fail" } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "StartAt": "Call", "States": {
    ///     "Call": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
    ///       "Catch": [ { "ErrorEquals": ["OrderNotFound"], "Next": "NotFound" },
    ///                  { "ErrorEquals": ["States.TaskFailed"], "Next": "Failed" } ] },
    ///     "Failed": { "Type": "Fail" }, "NotFound": { "Type": "Fail" } } }
    /// ```
    /// ## Fix
    /// Put the specific catcher first, or delete the dead one.
    "R-CATCH-SHADOWED", Warn, "runtime-errors.md", "every catcher can be selected for some error";
}

/// Reports shadowed catchers.
pub(crate) fn check(ctx: &LintCtx<'_>, acc: &mut Vec<Diagnostic>) {
    for (_, state) in ctx.states() {
        let lists: Vec<&[Name]> = state.errors.catch.iter().map(|c| c.error_equals.as_slice()).collect();
        for (i, by) in shadowed(&lists) {
            acc.push(
                ctx.diagnostic(
                    &RULE,
                    state.errors.catch[i].error_equals_range,
                    format!("catcher {i} of `{}` can never be selected", state.name.value),
                )
                .with_label("every error listed here is matched by an earlier catcher")
                .with_secondary(
                    ctx.def.file,
                    state.errors.catch[by].error_equals_range,
                    format!("catcher {by} matches them first"),
                )
                .with_help("move the more specific catcher first, or delete this one")
                .with_note("only the first catcher whose `ErrorEquals` matches an error is used")
                .at(format!("{}/Catch[{i}]", state.pointer)),
            );
        }
    }
}
