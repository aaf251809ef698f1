//! `V-NEVER-ASSIGNED`: a variable read that no `Assign` in scope ever writes.

use aslc_source::Diagnostic;

use crate::registry::declare_lint;
use crate::LintCtx;

declare_lint! {
    /// ## What it does
    /// Reports a read of `$name` where no `Assign` of the state's scope or of an enclosing
    /// scope assigns `name` (inner scopes' variables are discarded when the branch or
    /// iteration ends, so they do not count).
    ///
    /// ## Why is this bad?
    /// The variable can never have a value: the state fails whenever it reads it. AWS
    /// accepts the definition all the same.
    ///
    /// ## Example
    /// ```json
    /// { "QueryLanguage": "JSONata", "StartAt": "Greet", "States": {
    ///     "Greet": { "Type": "Pass", "Output": "{% 'Hello ' & $userName %}", "End": true } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "QueryLanguage": "JSONata", "StartAt": "Load", "States": {
    ///     "Load": { "Type": "Pass", "Assign": { "userName": "{% $states.input.name %}" }, "Next": "Greet" },
    ///     "Greet": { "Type": "Pass", "Output": "{% 'Hello ' & $userName %}", "End": true } } }
    /// ```
    /// ## Fix
    /// Correct the name, or assign the variable before it is read.
    "V-NEVER-ASSIGNED", Warn, "variables.md", "every variable read is assigned somewhere in scope";
}

/// Reports reads of names nothing in scope assigns.
pub(crate) fn check(ctx: &LintCtx<'_>, acc: &mut Vec<Diagnostic>) {
    let vars = ctx.variables();
    for read in &vars.reads {
        let state = ctx.def.state(read.state);
        let chain = ctx.scope_chain(state.scope);
        if chain.iter().any(|scope| vars.assigned_in(ctx.def, *scope, &read.name).is_some()) {
            continue;
        }
        let mut diagnostic = ctx
            .diagnostic(&RULE, read.range, format!("`${}` is never assigned", read.name))
            .with_label("no `Assign` in scope sets this variable")
            .at(&state.pointer);
        let names: Vec<&str> = vars
            .assignments
            .iter()
            .filter(|a| chain.contains(&ctx.def.state(a.state).scope))
            .map(|a| &*a.name)
            .collect();
        diagnostic = match names.iter().find(|n| n.eq_ignore_ascii_case(&read.name)) {
            Some(near) => diagnostic.with_help(format!("did you mean `${near}`?")),
            None => diagnostic.with_help("assign the variable before this state, or correct the name"),
        };
        if let Some(inner) = vars.assignments.iter().find(|a| a.name == read.name) {
            diagnostic = diagnostic.with_secondary(
                ctx.def.file,
                inner.range,
                "assigned only in a nested scope, whose variables are discarded",
            );
        }
        acc.push(diagnostic);
    }
}
