//! `S-UNUSED-NESTED`: a Parallel state with a single branch that adds nothing.

use aslc_ir::ir::StateKind;
use aslc_source::Diagnostic;

use crate::registry::declare_lint;
use crate::LintCtx;

declare_lint! {
    /// ## What it does
    /// Reports a Parallel state with a single branch, neither `Retry` nor `Catch`, and no
    /// input or output field (`InputPath`, `Parameters`, `ResultSelector`, `ResultPath`,
    /// `OutputPath`, `Arguments`, `Output`, `Assign`). A one-branch Parallel with a `Catch`
    /// or `Retry` is the usual way to handle errors of a group of states, and one with
    /// `ResultPath: null` or a selector keeps the group's data to itself; neither is
    /// reported.
    ///
    /// ## Why is this bad?
    /// Nothing runs in parallel: the branch could be written inline. The nesting adds a
    /// scope, wraps the output in a one-element array, and hides the states from the
    /// top-level graph.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "Wrap", "States": { "Wrap": { "Type": "Parallel", "End": true,
    ///     "Branches": [ { "StartAt": "Work", "States": { "Work": { "Type": "Pass", "End": true } } } ] } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "StartAt": "Work", "States": { "Work": { "Type": "Pass", "End": true } } }
    /// ```
    /// ## Fix
    /// Move the branch's states into the enclosing scope.
    "S-UNUSED-NESTED", Info, "structure.md", "a Parallel state has more than one branch, or handles errors";
}

/// Reports single-branch Parallel states without error handling.
pub(crate) fn check(ctx: &LintCtx<'_>, acc: &mut Vec<Diagnostic>) {
    for (_, state) in ctx.states() {
        let StateKind::Parallel(parallel) = &state.kind else { continue };
        if parallel.branches.len() != 1 || !state.errors.retry.is_empty() || !state.errors.catch.is_empty() {
            continue;
        }
        // A branch whose data stays inside (`ResultPath: null`, a `ResultSelector`, …)
        // isolates its data flow, which inline states could not do.
        if state.io != aslc_ir::ir::Io::default() || state.assign.is_some() {
            continue;
        }
        acc.push(
            ctx.diagnostic(
                &RULE,
                state.name.range,
                format!("Parallel state `{}` has a single branch", state.name.value),
            )
            .with_label("nothing runs in parallel here")
            .with_help(
                "move the branch's states into this scope, or add the branches that should run alongside",
            )
            .at(&state.pointer),
        );
    }
}
