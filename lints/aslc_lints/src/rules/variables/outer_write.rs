//! `V-SCOPE-NO-OUTER-WRITE`: a nested scope assigns a name of an enclosing scope.

use aslc_source::Diagnostic;

use crate::registry::declare_lint;
use crate::LintCtx;

declare_lint! {
    /// ## What it does
    /// Reports an `Assign` inside a Parallel branch or Map processor of a name that an
    /// enclosing scope also assigns. (The reference's `V-SCOPE-NO-SHADOW` is the same
    /// finding seen from the outer scope; it is reported once, here.)
    ///
    /// ## Why is this bad?
    /// Inner scopes cannot write outer variables: the assignment makes a new variable that
    /// shadows the outer one and is discarded when the branch or iteration ends, so the
    /// outer states never see the value.
    ///
    /// ## Example
    /// ```json
    /// { "QueryLanguage": "JSONata", "StartAt": "Init", "States": {
    ///     "Init": { "Type": "Pass", "Assign": { "count": 0 }, "Next": "Each" },
    ///     "Each": { "Type": "Map", "Items": "{% $states.input.items %}", "Next": "Report",
    ///       "ItemProcessor": { "StartAt": "Add", "States": {
    ///         "Add": { "Type": "Pass", "Assign": { "count": "{% $count + 1 %}" }, "End": true } } } },
    ///     "Report": { "Type": "Pass", "Output": "{% $count %}", "End": true } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "QueryLanguage": "JSONata", "StartAt": "Each", "States": {
    ///     "Each": { "Type": "Map", "Items": "{% $states.input.items %}", "Next": "Report",
    ///       "Assign": { "count": "{% $count($states.result) %}" },
    ///       "ItemProcessor": { "StartAt": "Add", "States": {
    ///         "Add": { "Type": "Pass", "End": true } } } },
    ///     "Report": { "Type": "Pass", "Output": "{% $count %}", "End": true } } }
    /// ```
    /// ## Fix
    /// Return the value through the branch's output and assign it on the Parallel or Map
    /// state, or give the inner variable its own name.
    "V-SCOPE-NO-OUTER-WRITE", Warn, "variables.md", "a nested scope does not assign a variable of an enclosing scope";
}

/// Reports inner assignments of outer names.
pub(crate) fn check(ctx: &LintCtx<'_>, acc: &mut Vec<Diagnostic>) {
    let vars = ctx.variables();
    let mut reported: Vec<(&str, aslc_ir::ir::ScopeId)> = Vec::new();
    for assignment in &vars.assignments {
        let scope = ctx.def.state(assignment.state).scope;
        let chain = ctx.scope_chain(scope);
        let Some(outer) = chain[1..].iter().find_map(|s| vars.assigned_in(ctx.def, *s, &assignment.name))
        else {
            continue;
        };
        if reported.contains(&(&*assignment.name, scope)) {
            continue;
        }
        reported.push((&assignment.name, scope));
        let state = ctx.def.state(assignment.state);
        acc.push(
            ctx.diagnostic(&RULE, assignment.range, format!("`{}` is also a variable of an enclosing scope", assignment.name))
                .with_label("this makes a new inner variable; the outer one is not changed")
                .with_secondary(ctx.def.file, outer.range, "the outer variable is assigned here")
                .with_help("return the value through the output and assign it on the enclosing state, or rename the inner variable")
                .at(&state.pointer),
        );
    }
}
