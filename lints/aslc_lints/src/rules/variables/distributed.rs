//! `V-SCOPE-DISTRIBUTED`: a Distributed Map child reads a variable of an outer scope.

use aslc_source::Diagnostic;

use crate::registry::declare_lint;
use crate::LintCtx;

declare_lint! {
    /// ## What it does
    /// Reports a read of `$name`, inside the processor of a Distributed Map, of a variable
    /// assigned only outside that processor.
    ///
    /// ## Why is this bad?
    /// Each item of a Distributed Map runs as a separate child execution that starts with
    /// no variables: the read fails at run time.
    ///
    /// ## Example
    /// ```json
    /// { "QueryLanguage": "JSONata", "StartAt": "Init", "States": {
    ///     "Init": { "Type": "Pass", "Assign": { "rate": 2 }, "Next": "Each" },
    ///     "Each": { "Type": "Map", "Items": "{% $states.input.items %}", "End": true,
    ///       "ItemProcessor": { "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" },
    ///         "StartAt": "Scale", "States": {
    ///           "Scale": { "Type": "Pass", "Output": "{% $states.input * $rate %}", "End": true } } } } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "QueryLanguage": "JSONata", "StartAt": "Init", "States": {
    ///     "Init": { "Type": "Pass", "Assign": { "rate": 2 }, "Next": "Each" },
    ///     "Each": { "Type": "Map", "Items": "{% $states.input.items %}", "End": true,
    ///       "ItemSelector": { "item": "{% $states.context.Map.Item.Value %}", "rate": "{% $rate %}" },
    ///       "ItemProcessor": { "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" },
    ///         "StartAt": "Scale", "States": {
    ///           "Scale": { "Type": "Pass", "Output": "{% $states.input.item * $states.input.rate %}", "End": true } } } } } }
    /// ```
    /// ## Fix
    /// Pass the value in through `ItemSelector`.
    "V-SCOPE-DISTRIBUTED", Warn, "variables.md", "a Distributed Map child reads no variable of an outer scope";
}

/// Reports reads that cross into a distributed processor.
pub(crate) fn check(ctx: &LintCtx<'_>, acc: &mut Vec<Diagnostic>) {
    let vars = ctx.variables();
    for read in &vars.reads {
        let state = ctx.def.state(read.state);
        let chain = ctx.scope_chain(state.scope);
        // The scopes up to and including the first distributed processor are visible.
        let Some(cut) = chain.iter().position(|s| ctx.is_distributed_processor(*s)) else {
            continue;
        };
        let (inside, outside) = chain.split_at(cut + 1);
        if inside.iter().any(|s| vars.assigned_in(ctx.def, *s, &read.name).is_some()) {
            continue;
        }
        let Some(outer) = outside.iter().find_map(|s| vars.assigned_in(ctx.def, *s, &read.name)) else {
            continue;
        };
        acc.push(
            ctx.diagnostic(
                &RULE,
                read.range,
                format!("`${}` is not visible in a Distributed Map child", read.name),
            )
            .with_label("each item runs as a separate execution without the parent's variables")
            .with_secondary(ctx.def.file, outer.range, "assigned in the parent execution")
            .with_help("pass the value in through `ItemSelector`")
            .at(&state.pointer),
        );
    }
}
