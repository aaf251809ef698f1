//! `L-NEXT-ALWAYS-FAILS`: the straight path from `StartAt` runs into a state that can only
//! fail.

use aslc_ir::ir::{State, StateKind, Transition};
use aslc_source::Diagnostic;

use crate::errors::{STATES_ALL, TASK_FAILED};
use crate::registry::declare_lint;
use crate::LintCtx;

declare_lint! {
    /// ## What it does
    /// Reports a `Next` into a Fail state on the straight path from `StartAt`: the states
    /// from `StartAt` to it are joined by `Next` alone, with no Choice on the way, so a run
    /// in which every one of them succeeds still fails.
    ///
    /// The reference names no rule for this; it is an aslc lint on the graph of
    /// structure.md §8.
    ///
    /// ## Why is this bad?
    /// When every state before it succeeds, the execution still fails: the success path
    /// was wired to the error handling, usually by a `Next` meant for a `Catch`.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "Charge", "States": {
    ///     "Charge": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "ChargeFailed",
    ///       "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "Done" } ] },
    ///     "ChargeFailed": { "Type": "Fail", "Error": "ChargeFailed" },
    ///     "Done": { "Type": "Succeed" } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "StartAt": "Charge", "States": {
    ///     "Charge": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Done",
    ///       "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "ChargeFailed" } ] },
    ///     "ChargeFailed": { "Type": "Fail", "Error": "ChargeFailed" },
    ///     "Done": { "Type": "Succeed" } } }
    /// ```
    /// ## Fix
    /// Point `Next` at the state that should follow success.
    "L-NEXT-ALWAYS-FAILS", Warn, "structure.md", "the straight path from `StartAt` does not end in a Fail state";
}

/// Follows `Next` from each scope's `StartAt` and reports a chain that ends in a Fail state.
pub(crate) fn check(ctx: &LintCtx<'_>, acc: &mut Vec<Diagnostic>) {
    let def = ctx.def;
    for (_, scope) in def.iter_scopes() {
        let Some(mut current) = scope.start_at.as_ref().and_then(|s| scope.lookup(&s.value)) else {
            continue;
        };
        let mut seen = vec![current];
        loop {
            let state = def.state(current);
            let Transition::Next(next) = &state.transition else { break };
            let Some(to) = scope.lookup(&next.value) else { break };
            let target = def.state(to);
            if matches!(target.kind, StateKind::Fail(_)) && !caught_outside(ctx, target) {
                acc.push(
                    ctx.diagnostic(&RULE, next.range, format!("after `{}` succeeds, the execution can only fail", state.name.value))
                        .with_label(format!("`{}` is a Fail state", next.value))
                        .with_secondary(def.file, target.name.range, "every run that succeeds up to here fails here")
                        .with_help("point `Next` at the state that should follow success")
                        .with_note("the states from `StartAt` to here are joined by `Next` alone, with no Choice on the way")
                        .at(state.field_pointer("Next")),
                );
                break;
            }
            if seen.contains(&to) || matches!(target.kind, StateKind::Choice(_)) {
                break;
            }
            seen.push(to);
            current = to;
        }
    }
}

/// Whether the error of a Fail state in a branch or processor is caught by an enclosing
/// Parallel or Map state: then the failure is a signal (stop the other branches, take this
/// catcher), a pattern of its own.
fn caught_outside(ctx: &LintCtx<'_>, fail: &State) -> bool {
    let StateKind::Fail(details) = &fail.kind else { return false };
    let error = details.error.as_ref().and_then(|e| e.literal()).map(|e| &*e.value);
    let mut parent = ctx.def.scope(fail.scope).parent;
    let mut guard = 0;
    while let Some(id) = parent {
        guard += 1;
        if guard > ctx.def.scopes.len() {
            break;
        }
        let state = ctx.def.state(id);
        let caught = state.errors.catch.iter().any(|catcher| {
            catcher.error_equals.iter().any(|name| match error {
                Some(error) => {
                    &*name.value == error
                        || &*name.value == STATES_ALL
                        || (&*name.value == TASK_FAILED && !error.starts_with("States."))
                }
                None => &*name.value == STATES_ALL,
            })
        });
        if caught {
            return true;
        }
        parent = ctx.def.scope(state.scope).parent;
    }
    false
}
