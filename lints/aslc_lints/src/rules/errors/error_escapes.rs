//! `L-ERROR-ESCAPES`: the errors that can end the whole execution, one report per state
//! that raises them, with the path that gets there.

use aslc_ir::ir::{StateId, StateKind};
use aslc_source::Diagnostic;

use crate::cfg::{CfgNode, Edge};
use crate::registry::declare_lint;
use crate::LintCtx;

declare_lint! {
    /// ## What it does
    /// Lists the errors that can fail the whole execution: each top-level state from which
    /// an error leaves the state machine unhandled (a Fail state, a Choice without
    /// `Default`, a Task, Parallel or Map state without a `States.ALL` catcher), with the
    /// shortest path from `StartAt` to it. Off unless selected: it is a report, not a
    /// finding.
    ///
    /// The reference names no rule for this; it is an aslc analysis on the graph of
    /// runtime-errors.md §2.
    ///
    /// ## Why is this bad?
    /// It is not bad in itself; the list shows where an execution can end in failure, to
    /// review before production.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "Call", "States": {
    ///     "Call": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "StartAt": "Call", "States": {
    ///     "Call": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
    ///       "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "Done" } ] },
    ///     "Done": { "Type": "Succeed" } } }
    /// ```
    /// ## Fix
    /// Catch the errors that should not end the execution.
    "L-ERROR-ESCAPES", Info, "runtime-errors.md", "report the errors that can end the execution unhandled";
}

/// Reports each top-level state with an edge to the error exit.
pub(crate) fn check(ctx: &LintCtx<'_>, acc: &mut Vec<Diagnostic>) {
    let def = ctx.def;
    let root = def.scope(def.root);
    let Some(start) = root.start_at.as_ref().and_then(|s| root.lookup(&s.value)) else { return };
    // Breadth-first parents, for the shortest path to each state.
    let mut parent: Vec<Option<StateId>> = vec![None; def.states.len()];
    let mut seen = vec![false; def.states.len()];
    seen[start.0 as usize] = true;
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(id) = queue.pop_front() {
        for (_, to) in ctx.cfg.successors(id) {
            if let CfgNode::State(to) = to {
                if !seen[to.0 as usize] {
                    seen[to.0 as usize] = true;
                    parent[to.0 as usize] = Some(id);
                    queue.push_back(to);
                }
            }
        }
    }
    for &id in &root.states {
        if !seen[id.0 as usize] {
            continue;
        }
        let state = def.state(id);
        let Some(edge) = ctx.cfg.successors(id).find_map(|(edge, to)| {
            (matches!(to, CfgNode::ErrorExit(_)) && matches!(edge, Edge::Error | Edge::Fail)).then_some(edge)
        }) else {
            continue;
        };
        let what = match (&state.kind, edge) {
            (StateKind::Fail(fail), _) => match fail.error.as_ref().and_then(|e| e.literal()) {
                Some(name) => format!("`{}`", name.value),
                None => "the error of this Fail state".to_string(),
            },
            (StateKind::Choice(_), _) => "`States.NoChoiceMatched`".to_string(),
            _ if state.errors.catch.is_empty() => "any error of this state".to_string(),
            _ => "errors its catchers do not list".to_string(),
        };
        let mut path = vec![id];
        let mut current = id;
        while let Some(p) = parent[current.0 as usize] {
            if path.len() > def.states.len() {
                break;
            }
            path.push(p);
            current = p;
        }
        path.reverse();
        let names: Vec<String> = path.iter().map(|s| format!("`{}`", def.state(*s).name.value)).collect();
        acc.push(
            ctx.diagnostic(
                &RULE,
                state.name.range,
                format!("{what} can end the execution at `{}`", state.name.value),
            )
            .with_label("unhandled errors leave the state machine here")
            .with_note(format!("path: {}", names.join(" → ")))
            .at(&state.pointer),
        );
    }
}
