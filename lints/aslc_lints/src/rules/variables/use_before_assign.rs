//! `V-USE-BEFORE-ASSIGN`: a variable read where some path has not assigned it.

use aslc_source::Diagnostic;

use crate::registry::declare_lint;
use crate::LintCtx;

declare_lint! {
    /// ## What it does
    /// Reports a read of `$name` in a state that some path from `StartAt` (or from the
    /// entry of an enclosing scope) reaches without passing an `Assign` of `name`. A
    /// state's `Assign` takes effect when it leaves (a Choice's own `Assign` only on
    /// `Default`, a rule's only on that rule, a catcher's only on its `Catch`). Names no
    /// state assigns are `V-NEVER-ASSIGNED` instead.
    ///
    /// ## Why is this bad?
    /// On that path the variable has no value: a JSONata expression evaluates to nothing
    /// (`States.QueryEvaluationError`), a JSONPath read fails the state.
    ///
    /// ## Example
    /// ```json
    /// { "QueryLanguage": "JSONata", "StartAt": "Check", "States": {
    ///     "Check": { "Type": "Choice", "Default": "Use",
    ///       "Choices": [ { "Condition": "{% $states.input.vip %}", "Next": "Discount" } ] },
    ///     "Discount": { "Type": "Pass", "Assign": { "rate": 0.1 }, "Next": "Use" },
    ///     "Use": { "Type": "Pass", "Output": "{% $states.input.total * (1 - $rate) %}", "End": true } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "QueryLanguage": "JSONata", "StartAt": "Check", "States": {
    ///     "Check": { "Type": "Choice", "Default": "Use", "Assign": { "rate": 0 },
    ///       "Choices": [ { "Condition": "{% $states.input.vip %}", "Next": "Discount" } ] },
    ///     "Discount": { "Type": "Pass", "Assign": { "rate": 0.1 }, "Next": "Use" },
    ///     "Use": { "Type": "Pass", "Output": "{% $states.input.total * (1 - $rate) %}", "End": true } } }
    /// ```
    /// ## Fix
    /// Assign the variable on every path, for example a default before the branch.
    "V-USE-BEFORE-ASSIGN", Warn, "variables.md", "a variable is assigned on every path before it is read";
}

/// Reports reads that some path reaches unassigned.
pub(crate) fn check(ctx: &LintCtx<'_>, acc: &mut Vec<Diagnostic>) {
    let vars = ctx.variables();
    for (read, maybe) in vars.reads.iter().zip(&vars.maybe_unassigned) {
        if !maybe {
            continue;
        }
        let state = ctx.def.state(read.state);
        let chain = ctx.visible_scopes(state.scope);
        let Some(assignment) = chain.iter().find_map(|scope| vars.assigned_in(ctx.def, *scope, &read.name))
        else {
            continue;
        };
        acc.push(
            ctx.diagnostic(&RULE, read.range, format!("`${}` may be read before it is assigned", read.name))
                .with_label(format!(
                    "some path reaches `{}` without assigning `{}`",
                    state.name.value, read.name
                ))
                .with_secondary(ctx.def.file, assignment.range, "assigned here, but not on every path")
                .with_help("assign the variable on every path to this state, for example before the branch")
                .at(&state.pointer),
        );
    }
}
