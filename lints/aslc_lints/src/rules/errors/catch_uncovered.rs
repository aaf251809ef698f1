//! `R-CATCH-UNCOVERED`: one task left without error handling among covered ones.

use aslc_ir::ir::{Definition, StateId, StateKind};
use aslc_source::Diagnostic;

use crate::cfg::{CfgNode, Edge};
use crate::registry::declare_lint;
use crate::LintCtx;

declare_lint! {
    /// ## What it does
    /// Reports a Task with neither `Retry` nor `Catch` in a workflow whose other tasks (at
    /// least two) all handle errors. A task inside a Parallel branch or Map processor
    /// counts as handled when an enclosing Parallel or Map state has a `Catch`. Tasks
    /// reached only through a `Catch` (error handlers, notifications of a failure) are left
    /// out: the execution is already failing there.
    ///
    /// ## Why is this bad?
    /// The workflow's author handles errors everywhere else; the one task left out is
    /// most likely an oversight, and its failure ends the execution without the cleanup
    /// the other tasks get.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "A", "States": {
    ///     "A": { "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Next": "B",
    ///       "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "Failed" } ] },
    ///     "B": { "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Next": "C",
    ///       "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "Failed" } ] },
    ///     "C": { "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true },
    ///     "Failed": { "Type": "Fail" } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "StartAt": "A", "States": {
    ///     "A": { "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Next": "B",
    ///       "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "Failed" } ] },
    ///     "B": { "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Next": "C",
    ///       "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "Failed" } ] },
    ///     "C": { "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true,
    ///       "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "Failed" } ] },
    ///     "Failed": { "Type": "Fail" } } }
    /// ```
    /// ## Fix
    /// Give the task the same `Retry`/`Catch` as its neighbours.
    "R-CATCH-UNCOVERED", Info, "runtime-errors.md", "every task handles errors when the others do";
}

fn handled(def: &Definition, id: StateId) -> bool {
    let state = def.state(id);
    if !state.errors.retry.is_empty() || !state.errors.catch.is_empty() {
        return true;
    }
    let mut scope = def.scope(state.scope);
    let mut guard = 0;
    while let Some(parent) = scope.parent {
        guard += 1;
        if guard > def.scopes.len() {
            break;
        }
        let parent = def.state(parent);
        if !parent.errors.catch.is_empty() {
            return true;
        }
        scope = def.scope(parent.scope);
    }
    false
}

/// For each state, whether it is reached from its scope's `StartAt` without taking a
/// `Catch` edge: on the normal path rather than only in error handling.
fn on_normal_path(ctx: &LintCtx<'_>) -> Vec<bool> {
    let def = ctx.def;
    let mut normal = vec![false; def.states.len()];
    for (_, scope) in def.iter_scopes() {
        let Some(start) = scope.start_at.as_ref().and_then(|s| scope.lookup(&s.value)) else { continue };
        normal[start.0 as usize] = true;
        let mut stack = vec![start];
        while let Some(id) = stack.pop() {
            for (edge, to) in ctx.cfg.successors(id) {
                if let (false, CfgNode::State(to)) = (matches!(edge, Edge::Catch(_)), to) {
                    if !normal[to.0 as usize] {
                        normal[to.0 as usize] = true;
                        stack.push(to);
                    }
                }
            }
        }
    }
    normal
}

/// Reports the uncovered tasks when they are the exception.
pub(crate) fn check(ctx: &LintCtx<'_>, acc: &mut Vec<Diagnostic>) {
    let normal = on_normal_path(ctx);
    let tasks: Vec<StateId> = ctx
        .def
        .iter_states()
        .filter(|(id, s)| matches!(s.kind, StateKind::Task(_)) && normal[id.0 as usize])
        .map(|(id, _)| id)
        .collect();
    let uncovered: Vec<StateId> = tasks.iter().copied().filter(|id| !handled(ctx.def, *id)).collect();
    if uncovered.len() != 1 || tasks.len() < 3 {
        return;
    }
    let state = ctx.def.state(uncovered[0]);
    acc.push(
        ctx.diagnostic(
            &RULE,
            state.name.range,
            format!("task `{}` has neither `Retry` nor `Catch`", state.name.value),
        )
        .with_label("every other task of this workflow handles its errors")
        .with_help("give it the `Retry` and `Catch` its neighbours have")
        .at(&state.pointer),
    );
}
