//! `L-PATH-ABSENT`: a JSONPath reference to a field no path into the state provides.

use aslc_ir::ir::QueryLanguage;
use aslc_query::jsonpath::Selector;
use aslc_source::Diagnostic;

use crate::code::{each_reference, visit_state, Site};
use crate::registry::declare_lint;
use crate::LintCtx;

declare_lint! {
    /// ## What it does
    /// Reports a definite JSONPath path (`$.a.b`, a `Variable`, a `…Path` field, a `.$`
    /// value) that reads a field which no path into the state can provide, where the data
    /// is known: after a Pass `Result` or `Parameters`, a `ResultSelector`, `InputPath` or
    /// `OutputPath` narrowing, `ResultPath: null`, or a catcher's error output
    /// (`{"Error", "Cause"}` replaces the input unless the catcher sets `ResultPath`).
    /// Fields of the execution input and of task results are never judged.
    ///
    /// This is the certain case of the reference's `P-MAY-BE-MISSING` (jsonpath.md): the
    /// field is missing on every path, not just on some.
    ///
    /// ## Why is this bad?
    /// A path that selects nothing fails the state with `States.Runtime`, which no
    /// retrier or catcher handles: the execution fails.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "Call", "States": {
    ///     "Call": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
    ///       "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "Notify" } ] },
    ///     "Notify": { "Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": true,
    ///       "Parameters": { "TopicArn": "arn:aws:sns:us-east-1:123456789012:alerts", "Message.$": "$.orderId" } } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "StartAt": "Call", "States": {
    ///     "Call": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
    ///       "Catch": [ { "ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Notify" } ] },
    ///     "Notify": { "Type": "Task", "Resource": "arn:aws:states:::sns:publish", "End": true,
    ///       "Parameters": { "TopicArn": "arn:aws:sns:us-east-1:123456789012:alerts", "Message.$": "$.orderId" } } } }
    /// ```
    /// ## Fix
    /// Keep the field on the way (`ResultPath` on the catcher or the state before), or read
    /// the field that is there.
    "L-PATH-ABSENT", Warn, "jsonpath.md", "a path reads a field some path into the state provides";
}

/// Reports paths into fields that are certainly absent.
pub(crate) fn check(ctx: &LintCtx<'_>, acc: &mut Vec<Diagnostic>) {
    let def = ctx.def;
    for (id, state) in ctx.states() {
        if state.query_language != QueryLanguage::JsonPath || !ctx.cfg.is_reachable(id) {
            continue;
        }
        let analysis = ctx.shapes();
        let Some(shapes) = analysis.of(def, id) else { continue };
        visit_state(state, &mut |site, code| {
            let shape = match site {
                Site::RawInput => &shapes.raw,
                Site::EffectiveInput => &shapes.effective,
                Site::Output => match &shapes.after_result {
                    Some(shape) => shape,
                    None => return,
                },
                Site::Other => return,
            };
            each_reference(&code, &mut |reference| {
                let (None, Some(path)) = (reference.variable, reference.path) else { return };
                let Some(i) = analysis.absent_segment(shape, path) else { return };
                let field = match &path.segments[i].selector {
                    Selector::Name(name) => name.to_string(),
                    _ => return,
                };
                let read = match site {
                    Site::EffectiveInput if state.io.input_path.is_some() => "the input after `InputPath`",
                    Site::RawInput | Site::EffectiveInput => "the state input",
                    _ => "the output before `OutputPath`",
                };
                acc.push(
                    ctx.diagnostic(&RULE, reference.range, format!("`{}` reads `{field}`, which no path into `{}` provides", reference.text, state.name.value))
                        .with_label(format!("`{field}` is not in {read} on any path"))
                        .with_help("keep the field on the way here (for example with `ResultPath`), or read a field that is there")
                        .with_note("a path that selects nothing fails the state with `States.Runtime`, which nothing can catch")
                        .at(&state.pointer),
                );
            });
        });
    }
}
