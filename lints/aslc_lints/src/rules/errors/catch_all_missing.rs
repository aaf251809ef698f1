//! `L-CATCH-ALL-MISSING`: a `Catch` list that lets some errors escape.

use aslc_source::Diagnostic;

use crate::cfg::{can_fail, catches_all};
use crate::registry::declare_lint;
use crate::LintCtx;

declare_lint! {
    /// ## What it does
    /// Reports a Task, Parallel or Map state that has catchers, none of them for
    /// `States.ALL`: errors it does not list still fail the execution (or the enclosing
    /// branch). Off unless selected: a deliberate list of expected errors is common.
    ///
    /// The reference names no rule for this; it is an aslc lint on runtime-errors.md §4.
    ///
    /// ## Why is this bad?
    /// A `Catch` reads as "errors are handled here", but an unexpected error (a timeout,
    /// a permissions error, a Lambda crash) skips the handler and its cleanup.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "Call", "States": {
    ///     "Call": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
    ///       "Catch": [ { "ErrorEquals": ["OrderNotFound"], "Next": "NotFound" } ] },
    ///     "NotFound": { "Type": "Fail" } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "StartAt": "Call", "States": {
    ///     "Call": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
    ///       "Catch": [ { "ErrorEquals": ["OrderNotFound"], "Next": "NotFound" },
    ///                  { "ErrorEquals": ["States.ALL"], "Next": "Failed" } ] },
    ///     "NotFound": { "Type": "Fail" }, "Failed": { "Type": "Fail" } } }
    /// ```
    /// ## Fix
    /// End the list with a `States.ALL` catcher.
    "L-CATCH-ALL-MISSING", Info, "runtime-errors.md", "a `Catch` list ends with a `States.ALL` catcher";
}

/// Reports catch lists without a catch-all.
pub(crate) fn check(ctx: &LintCtx<'_>, acc: &mut Vec<Diagnostic>) {
    for (_, state) in ctx.states() {
        let Some(range) = state.errors.catch_range else { continue };
        if state.errors.catch.is_empty() || !can_fail(state) || catches_all(state) {
            continue;
        }
        acc.push(
            ctx.diagnostic(
                &RULE,
                range,
                format!("errors not listed in the `Catch` of `{}` are not handled", state.name.value),
            )
            .with_label("no catcher lists `States.ALL`")
            .with_help("add a last catcher with `\"ErrorEquals\": [\"States.ALL\"]`")
            .at(state.field_pointer("Catch")),
        );
    }
}
