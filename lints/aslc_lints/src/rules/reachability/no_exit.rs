//! `S-NO-EXIT`: a reachable state from which no terminal state of its scope can be reached.

use aslc_source::Diagnostic;

use crate::cfg::Edge;
use crate::registry::declare_lint;
use crate::LintCtx;

declare_lint! {
    /// ## What it does
    /// Reports a reachable state from which no terminal state of its scope (a Succeed or
    /// Fail state, or a state with `"End": true`) can be reached: a loop with no way out.
    /// A loop is fine when some Choice rule, `Default` or `Catch` of it leads out.
    ///
    /// ## Why is this bad?
    /// Once entered, the loop runs until the execution times out (a year for a Standard
    /// workflow, billed per transition) or a state in it fails.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "Mode", "States": {
    ///     "Mode": { "Type": "Choice", "Default": "Done",
    ///       "Choices": [ { "Variable": "$.poll", "BooleanEquals": true, "Next": "Poll" } ] },
    ///     "Poll": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Wait" },
    ///     "Wait": { "Type": "Wait", "Seconds": 60, "Next": "Poll" },
    ///     "Done": { "Type": "Succeed" } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "StartAt": "Mode", "States": {
    ///     "Mode": { "Type": "Choice", "Default": "Done",
    ///       "Choices": [ { "Variable": "$.poll", "BooleanEquals": true, "Next": "Poll" } ] },
    ///     "Poll": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Ready?" },
    ///     "Ready?": { "Type": "Choice", "Default": "Wait",
    ///       "Choices": [ { "Variable": "$.Payload.ready", "BooleanEquals": true, "Next": "Done" } ] },
    ///     "Wait": { "Type": "Wait", "Seconds": 60, "Next": "Poll" },
    ///     "Done": { "Type": "Succeed" } } }
    /// ```
    /// ## Fix
    /// Add a Choice with a way out of the loop, or end it.
    "S-NO-EXIT", Warn, "structure.md", "every reachable state can reach a terminal state of its scope";
}

/// Reports the states where control enters each inescapable region.
pub(crate) fn check(ctx: &LintCtx<'_>, acc: &mut Vec<Diagnostic>) {
    let def = ctx.def;
    for (scope_id, scope) in def.iter_scopes() {
        if !ctx.cfg.is_complete(scope_id) || scope.states.is_empty() {
            continue;
        }
        let nodes = ctx.cfg.scope(scope_id);
        let ends =
            ctx.cfg.reaches(def, scope_id, &[nodes.exit, nodes.error_exit], |edge| edge != Edge::Error);
        let trapped = |id: aslc_ir::ir::StateId| ctx.cfg.is_reachable(id) && !ends[id.0 as usize];
        for &id in &scope.states {
            if !trapped(id) {
                continue;
            }
            let entered_from_outside =
                ctx.cfg.is_start(id) || ctx.cfg.predecessors(id).any(|(_, from)| !trapped(from));
            if !entered_from_outside {
                continue;
            }
            let state = def.state(id);
            let mut loop_states: Vec<&str> =
                scope.states.iter().filter(|s| trapped(**s)).map(|s| &*def.state(*s).name.value).collect();
            let more = loop_states.len().saturating_sub(6);
            loop_states.truncate(6);
            let mut list = loop_states.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
            if more > 0 {
                list.push_str(&format!(" and {more} more"));
            }
            acc.push(
                ctx.diagnostic(
                    &RULE,
                    state.name.range,
                    format!("no terminal state can be reached from `{}`", state.name.value),
                )
                .with_label("execution that gets here never ends")
                .with_help(
                    "give the loop a way out: a Choice rule or `Default` that leads to a terminal state",
                )
                .with_note(format!("the states that never end: {list}"))
                .at(&state.pointer),
            );
        }
    }
}
