//! `C-DEFAULT-DUP`: a Choice state whose every rule and `Default` lead to one state.

use aslc_ir::ir::StateKind;
use aslc_source::Diagnostic;

use crate::registry::declare_lint;
use crate::LintCtx;

declare_lint! {
    /// ## What it does
    /// Reports a Choice state whose `Default` names the same state as every rule, when no
    /// rule assigns variables or shapes the output differently.
    ///
    /// ## Why is this bad?
    /// Whatever the input, execution goes to the same place: the Choice decides nothing.
    /// Usually one of the targets is a slip.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "Route", "States": {
    ///     "Route": { "Type": "Choice", "Default": "Ship", "Choices": [
    ///       { "Variable": "$.express", "BooleanEquals": true, "Next": "Ship" } ] },
    ///     "Ship": { "Type": "Succeed" } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "StartAt": "Route", "States": {
    ///     "Route": { "Type": "Choice", "Default": "Ship", "Choices": [
    ///       { "Variable": "$.express", "BooleanEquals": true, "Next": "ShipFast" } ] },
    ///     "Ship": { "Type": "Succeed" },
    ///     "ShipFast": { "Type": "Succeed" } } }
    /// ```
    /// ## Fix
    /// Point a rule at the intended state, or replace the Choice with a transition.
    "C-DEFAULT-DUP", Info, "choice.md", "a Choice state's rules and `Default` do not all lead to one state";
}

/// Reports pointless Choice states.
pub(crate) fn check(ctx: &LintCtx<'_>, acc: &mut Vec<Diagnostic>) {
    for (_, state) in ctx.states() {
        let StateKind::Choice(choice) = &state.kind else { continue };
        let Some(default) = &choice.default else { continue };
        if choice.choices.is_empty() || state.assign.is_some() || state.io.output.is_some() {
            continue;
        }
        let all_same = choice.choices.iter().all(|rule| {
            rule.assign.is_none()
                && rule.output.is_none()
                && rule.next.as_ref().is_some_and(|next| next.value == default.value)
        });
        if all_same {
            acc.push(
                ctx.diagnostic(
                    &RULE,
                    default.range,
                    format!(
                        "every rule of `{}` leads to `{}`, as `Default` does",
                        state.name.value, default.value
                    ),
                )
                .with_label("the Choice decides nothing")
                .with_help(
                    "point a rule at the state it should lead to, or replace the Choice with a transition",
                )
                .at(state.field_pointer("Default")),
            );
        }
    }
}
