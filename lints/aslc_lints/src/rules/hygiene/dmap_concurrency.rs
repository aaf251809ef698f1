//! `L-DMAP-CONCURRENCY`: a Distributed Map that invokes Lambda with no concurrency limit.

use aslc_ir::ir::{Definition, Dyn, ScopeId, StateKind};
use aslc_source::Diagnostic;

use crate::registry::declare_lint;
use crate::resource::classify;
use crate::LintCtx;

declare_lint! {
    /// ## What it does
    /// Reports a Distributed Map that reads its items with an `ItemReader` (an S3 object or
    /// listing: any number of items), whose processor invokes a Lambda function, and that
    /// sets neither `MaxConcurrency` (or sets it to 0, unlimited) nor `MaxConcurrencyPath`.
    /// Inline Maps are not reported (they run about 40 iterations at a time whatever the
    /// setting), nor Maps over an array of the input, which the 256 KiB payload limit keeps
    /// small (and which load generators use to fan out on purpose).
    ///
    /// The reference names no rule for this; it is an aslc lint on runtime-map-parallel.md.
    ///
    /// ## Why is this bad?
    /// A Distributed Map runs up to 10,000 child executions at once; each invoking Lambda
    /// exhausts the account's Lambda concurrency (1,000 by default), throttling this and
    /// every other function of the account.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "Each", "States": { "Each": { "Type": "Map", "End": true,
    ///     "ItemReader": { "Resource": "arn:aws:states:::s3:getObject",
    ///       "ReaderConfig": { "InputType": "JSON" }, "Parameters": { "Bucket": "b", "Key": "k" } },
    ///     "ItemProcessor": { "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" },
    ///       "StartAt": "Call", "States": { "Call": { "Type": "Task",
    ///         "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "End": true } } } } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "StartAt": "Each", "States": { "Each": { "Type": "Map", "End": true, "MaxConcurrency": 100,
    ///     "ItemReader": { "Resource": "arn:aws:states:::s3:getObject",
    ///       "ReaderConfig": { "InputType": "JSON" }, "Parameters": { "Bucket": "b", "Key": "k" } },
    ///     "ItemProcessor": { "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" },
    ///       "StartAt": "Call", "States": { "Call": { "Type": "Task",
    ///         "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "End": true } } } } } }
    /// ```
    /// ## Fix
    /// Set `MaxConcurrency` to what the function can take.
    "L-DMAP-CONCURRENCY", Warn, "runtime-map-parallel.md", "a Distributed Map that invokes Lambda limits its concurrency";
}

/// Whether some state of `scope` or of a scope nested in it invokes Lambda.
fn invokes_lambda(def: &Definition, scope: ScopeId, depth: usize) -> bool {
    if depth > def.scopes.len() {
        return false;
    }
    def.scope(scope).states.iter().any(|id| match &def.state(*id).kind {
        StateKind::Task(task) => task.resource.as_ref().is_some_and(|r| classify(&r.value).lambda),
        StateKind::Parallel(parallel) => parallel.branches.iter().any(|b| invokes_lambda(def, *b, depth + 1)),
        StateKind::Map(map) => map.processor.is_some_and(|p| invokes_lambda(def, p, depth + 1)),
        _ => false,
    })
}

/// Reports unbounded Distributed Maps over Lambda.
pub(crate) fn check(ctx: &LintCtx<'_>, acc: &mut Vec<Diagnostic>) {
    for (_, state) in ctx.states() {
        let StateKind::Map(map) = &state.kind else { continue };
        if !map.is_distributed(ctx.def) || map.item_reader.is_none() || map.max_concurrency_path.is_some() {
            continue;
        }
        let unlimited = match &map.max_concurrency {
            None => true,
            Some(Dyn::Literal(n)) => n.value.as_f64() == 0.0,
            Some(_) => false,
        };
        let Some(processor) = map.processor else { continue };
        if !unlimited || !invokes_lambda(ctx.def, processor, 0) {
            continue;
        }
        acc.push(
            ctx.diagnostic(
                &RULE,
                state.name.range,
                format!("Distributed Map `{}` invokes Lambda with no concurrency limit", state.name.value),
            )
            .with_label("up to 10,000 children can call the function at once")
            .with_help(
                "set `MaxConcurrency` to what the function and the account's Lambda concurrency can take",
            )
            .at(&state.pointer),
        );
    }
}
