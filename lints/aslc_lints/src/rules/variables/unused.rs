//! `V-UNUSED`: a variable assigned but never read.

use aslc_source::Diagnostic;

use crate::registry::declare_lint;
use crate::LintCtx;

declare_lint! {
    /// ## What it does
    /// Reports an assigned variable that no state of its scope, or of a scope nested in
    /// it, ever reads.
    ///
    /// ## Why is this bad?
    /// The assignment costs evaluation and history space for nothing, and an unread
    /// variable is often a misspelling of one that is read.
    ///
    /// ## Example
    /// ```json
    /// { "QueryLanguage": "JSONata", "StartAt": "Load", "States": {
    ///     "Load": { "Type": "Pass", "Assign": { "total": "{% $states.input.total %}" }, "Next": "Done" },
    ///     "Done": { "Type": "Succeed" } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "QueryLanguage": "JSONata", "StartAt": "Load", "States": {
    ///     "Load": { "Type": "Pass", "Assign": { "total": "{% $states.input.total %}" }, "Next": "Done" },
    ///     "Done": { "Type": "Succeed", "Output": "{% $total %}" } } }
    /// ```
    /// ## Fix
    /// Read the variable, or delete the assignment.
    "V-UNUSED", Warn, "variables.md", "every assigned variable is read";
}

/// Reports assignments of names read nowhere they are visible.
pub(crate) fn check(ctx: &LintCtx<'_>, acc: &mut Vec<Diagnostic>) {
    let vars = ctx.variables();
    if vars.unreadable_code {
        // An expression that does not parse may hold the read.
        return;
    }
    let mut reported: Vec<(&str, aslc_ir::ir::ScopeId)> = Vec::new();
    for assignment in &vars.assignments {
        let scope = ctx.def.state(assignment.state).scope;
        if reported.contains(&(&*assignment.name, scope)) {
            continue;
        }
        let read = vars.reads.iter().any(|read| {
            read.name == assignment.name && ctx.scope_chain(ctx.def.state(read.state).scope).contains(&scope)
        });
        if read || vars.mentions.contains(&*assignment.name) {
            continue;
        }
        reported.push((&assignment.name, scope));
        let state = ctx.def.state(assignment.state);
        acc.push(
            ctx.diagnostic(
                &RULE,
                assignment.range,
                format!("variable `{}` is assigned but never read", assignment.name),
            )
            .with_label("no state reads this variable")
            .with_help("read it where it is needed, or delete the assignment")
            .at(&state.pointer),
        );
    }
}
