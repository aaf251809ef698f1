//! `R-RETRY-SHADOWED`: a retrier that can never be selected.

use aslc_ir::ir::Name;
use aslc_source::Diagnostic;

use super::shadowed;
use crate::registry::declare_lint;
use crate::LintCtx;

declare_lint! {
    /// ## What it does
    /// Reports a retrier whose every `ErrorEquals` name is already matched by earlier
    /// retriers of the same state: the same name again, or any name outside the `States.`
    /// namespace after `States.TaskFailed`. A retrier with `"MaxAttempts": 0` there
    /// (runtime-errors.md `R-RETRY-ZERO`) is dead the same way and reported by this rule.
    ///
    /// ## Why is this bad?
    /// The first retrier that matches an error is the only one consulted, even once it is
    /// exhausted, so the later retrier never runs and its settings never apply.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "Call", "States": { "Call": { "Type": "Task",
    ///     "Resource": "arn:aws:states:::lambda:invoke", "End": true,
    ///     "Retry": [ { "ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2 },
    ///                { "ErrorEquals": ["Lambda.TooManyRequestsException"], "MaxAttempts": 6 } ] } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "StartAt": "Call", "States": { "Call": { "Type": "Task",
    ///     "Resource": "arn:aws:states:::lambda:invoke", "End": true,
    ///     "Retry": [ { "ErrorEquals": ["Lambda.TooManyRequestsException"], "MaxAttempts": 6 },
    ///                { "ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2 } ] } } }
    /// ```
    /// ## Fix
    /// Put the specific retrier first, or delete the dead one.
    "R-RETRY-SHADOWED", Warn, "runtime-errors.md", "every retrier can be selected for some error";
}

/// Reports shadowed retriers.
pub(crate) fn check(ctx: &LintCtx<'_>, acc: &mut Vec<Diagnostic>) {
    for (_, state) in ctx.states() {
        let lists: Vec<&[Name]> = state.errors.retry.iter().map(|r| r.error_equals.as_slice()).collect();
        for (i, by) in shadowed(&lists) {
            acc.push(
                ctx.diagnostic(&RULE, state.errors.retry[i].error_equals_range, format!("retrier {i} of `{}` can never be selected", state.name.value))
                    .with_label("every error listed here is matched by an earlier retrier")
                    .with_secondary(ctx.def.file, state.errors.retry[by].error_equals_range, format!("retrier {by} matches them first"))
                    .with_help("move the more specific retrier first, or delete this one")
                    .with_note("only the first retrier whose `ErrorEquals` matches an error is used, even once it is exhausted")
                    .at(format!("{}/Retry[{i}]", state.pointer)),
            );
        }
    }
}
