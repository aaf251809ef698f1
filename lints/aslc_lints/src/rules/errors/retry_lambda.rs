//! `R-RETRY-LAMBDA`: a Lambda task without a retrier for the transient Lambda errors.

use aslc_ir::ir::StateKind;
use aslc_source::Diagnostic;

use crate::errors::{STATES_ALL, TASK_FAILED};
use crate::registry::declare_lint;
use crate::resource::classify;
use crate::LintCtx;

/// The errors AWS recommends retrying on every Lambda task.
const TRANSIENT: &[&str] = &[
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
];

declare_lint! {
    /// ## What it does
    /// Reports a Task that invokes Lambda (a function ARN or `lambda:invoke`) without a
    /// retrier for `Lambda.ServiceException`, `Lambda.AWSLambdaException`,
    /// `Lambda.SdkClientException` and `Lambda.TooManyRequestsException`, the transient
    /// errors AWS recommends retrying. A retrier for `States.TaskFailed` or `States.ALL`
    /// covers them too.
    ///
    /// ## Why is this bad?
    /// These errors come from the Lambda service (throttling, a brief outage), not from the
    /// function; without a retrier one throttled call fails the whole execution.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "Call", "States": { "Call": { "Type": "Task",
    ///     "Resource": "arn:aws:states:::lambda:invoke",
    ///     "Arguments": { "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:f" },
    ///     "QueryLanguage": "JSONata", "End": true } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "StartAt": "Call", "States": { "Call": { "Type": "Task",
    ///     "Resource": "arn:aws:states:::lambda:invoke",
    ///     "Arguments": { "FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:f" },
    ///     "QueryLanguage": "JSONata", "End": true,
    ///     "Retry": [ { "ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException",
    ///                                  "Lambda.SdkClientException", "Lambda.TooManyRequestsException"],
    ///                  "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2, "JitterStrategy": "FULL" } ] } } }
    /// ```
    /// ## Fix
    /// Add the retrier above (the console adds it to every new Lambda task).
    "R-RETRY-LAMBDA", Info, "runtime-errors.md", "a Lambda task retries the transient Lambda service errors";
}

/// Reports Lambda tasks that leave a transient error unretried.
pub(crate) fn check(ctx: &LintCtx<'_>, acc: &mut Vec<Diagnostic>) {
    for (_, state) in ctx.states() {
        let StateKind::Task(task) = &state.kind else { continue };
        let Some(resource) = &task.resource else { continue };
        if !classify(&resource.value).lambda {
            continue;
        }
        let retried = |error: &str| {
            state.errors.retry.iter().find(|r| {
                r.error_equals
                    .iter()
                    .any(|n| &*n.value == error || &*n.value == STATES_ALL || &*n.value == TASK_FAILED)
            })
        };
        let missing: Vec<&str> = TRANSIENT
            .iter()
            .copied()
            .filter(|error| match retried(error) {
                // The first matching retrier decides; with `MaxAttempts: 0` it never retries.
                Some(retrier) => retrier.max_attempts.as_ref().is_some_and(|m| m.value.as_i64() == Some(0)),
                None => true,
            })
            .collect();
        if missing.is_empty() {
            continue;
        }
        let list = missing.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", ");
        let range = state.errors.retry_range.unwrap_or(resource.range);
        acc.push(
            ctx.diagnostic(&RULE, range, format!("Lambda task `{}` does not retry {list}", state.name.value))
                .with_label(if state.errors.retry_range.is_some() {
                    "no retrier covers them"
                } else {
                    "this task has no `Retry`"
                })
                .with_help("add a retrier for the transient Lambda errors, with backoff")
                .with_note(
                    "these errors come from the Lambda service, not the function, and usually pass on retry",
                )
                .at(&state.pointer),
        );
    }
}
