//! `L-PASS-NOOP`: a Pass state that does nothing and only lengthens a chain.

use aslc_ir::ir::{StateKind, Transition};
use aslc_source::Diagnostic;

use crate::cfg::Edge;
use crate::registry::declare_lint;
use crate::LintCtx;

declare_lint! {
    /// ## What it does
    /// Reports a Pass state that changes nothing (no `Result`, `Parameters`, `InputPath`,
    /// `OutputPath`, `ResultPath`, `Output` or `Assign`; a `Comment` at most), has a
    /// `Next`, is not `StartAt`, and is entered only through `Next` transitions. Pass
    /// states that a Choice rule, a `Default` or a `Catch` lead to are not reported:
    /// there an empty Pass names an outcome ("Skip", "NothingToDo"). Off unless selected:
    /// real workflows use such states as milestones in the console's graph ("Ingestion
    /// Complete", "Clean-Up").
    ///
    /// The reference names no rule for this; it is an aslc lint on states.md §3.
    ///
    /// ## Why is this bad?
    /// It adds a state transition (billed in Standard workflows) and a history event,
    /// and the graph reads as if something happened there.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "Work", "States": {
    ///     "Work": { "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Next": "Continue" },
    ///     "Continue": { "Type": "Pass", "Comment": "go on", "Next": "Done" },
    ///     "Done": { "Type": "Succeed" } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "StartAt": "Work", "States": {
    ///     "Work": { "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Next": "Done" },
    ///     "Done": { "Type": "Succeed" } } }
    /// ```
    /// ## Fix
    /// Point the states before it at its `Next`, and delete it.
    "L-PASS-NOOP", Info, "states.md", "a Pass state on a plain chain does something";
}

/// Reports do-nothing Pass states in plain chains.
pub(crate) fn check(ctx: &LintCtx<'_>, acc: &mut Vec<Diagnostic>) {
    for (id, state) in ctx.def.iter_states() {
        let StateKind::Pass(pass) = &state.kind else { continue };
        let Transition::Next(next) = &state.transition else { continue };
        let io = &state.io;
        let does_something = pass.result.is_some()
            || io.parameters.is_some()
            || io.input_path.is_some()
            || io.output_path.is_some()
            || io.result_path.is_some()
            || io.output.is_some()
            || state.assign.is_some()
            || !state.extra.is_empty();
        if does_something || !ctx.cfg.is_reachable(id) || ctx.cfg.is_start(id) {
            continue;
        }
        let mut predecessors = ctx.cfg.predecessors(id).peekable();
        if predecessors.peek().is_none() || !predecessors.all(|(edge, _)| edge == Edge::Next) {
            continue;
        }
        acc.push(
            ctx.diagnostic(
                &RULE,
                state.name.range,
                format!("Pass state `{}` does nothing", state.name.value),
            )
            .with_label(format!("it only passes its input on to `{}`", next.value))
            .with_help(format!("let the states before it go to `{}` directly, and delete it", next.value))
            .at(&state.pointer),
        );
    }
}
