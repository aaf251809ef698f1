//! `C-RULE-SHADOWED`: a Choice rule that can never be chosen.

use aslc_ir::ir::{Condition, StateKind, Template};
use aslc_source::Diagnostic;

use crate::cfg::always_true;
use crate::registry::declare_lint;
use crate::LintCtx;

declare_lint! {
    /// ## What it does
    /// Reports a Choice rule that can never be chosen: it repeats an earlier rule's
    /// condition, or follows a rule that always holds (`"Condition": true`, `IsPresent`
    /// on `$`).
    ///
    /// ## Why is this bad?
    /// Rules are tried in order and the first match wins, so the later rule is dead; it
    /// usually means a copy-paste slip (the wrong variable or operator).
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "Route", "States": {
    ///     "Route": { "Type": "Choice", "Default": "Other", "Choices": [
    ///       { "Variable": "$.kind", "StringEquals": "a", "Next": "A" },
    ///       { "Variable": "$.kind", "StringEquals": "a", "Next": "B" } ] },
    ///     "A": { "Type": "Succeed" }, "B": { "Type": "Succeed" }, "Other": { "Type": "Succeed" } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "StartAt": "Route", "States": {
    ///     "Route": { "Type": "Choice", "Default": "Other", "Choices": [
    ///       { "Variable": "$.kind", "StringEquals": "a", "Next": "A" },
    ///       { "Variable": "$.kind", "StringEquals": "b", "Next": "B" } ] },
    ///     "A": { "Type": "Succeed" }, "B": { "Type": "Succeed" }, "Other": { "Type": "Succeed" } } }
    /// ```
    /// ## Fix
    /// Correct the rule's test, or delete it.
    "C-RULE-SHADOWED", Warn, "choice.md", "every Choice rule can be chosen";
}

/// Reports dead rules.
pub(crate) fn check(ctx: &LintCtx<'_>, acc: &mut Vec<Diagnostic>) {
    for (_, state) in ctx.def.iter_states() {
        let StateKind::Choice(choice) = &state.kind else { continue };
        for (i, rule) in choice.choices.iter().enumerate() {
            let earlier = &choice.choices[..i];
            let (why, other) = if let Some(j) = earlier.iter().position(|e| always_true(&e.condition, 0)) {
                ("always holds", j)
            } else if let Some(j) =
                earlier.iter().position(|e| same_condition(&e.condition, &rule.condition, 0))
            {
                ("tests the same condition", j)
            } else {
                continue;
            };
            acc.push(
                ctx.diagnostic(
                    &RULE,
                    rule.range,
                    format!("rule {i} of `{}` can never be chosen", state.name.value),
                )
                .with_label("this rule is never tried with an input it could match")
                .with_secondary(ctx.def.file, choice.choices[other].range, format!("rule {other} {why}"))
                .with_help("correct the rule's test, or delete the rule")
                .with_note("the first matching rule wins")
                .at(format!("{}/Choices[{i}]", state.pointer)),
            );
        }
    }
}

/// Whether two conditions are the same test (ignoring layout and spans).
pub(crate) fn same_condition(a: &Condition, b: &Condition, depth: usize) -> bool {
    if depth > 64 {
        return false;
    }
    match (a, b) {
        (
            Condition::Compare { variable: va, op: oa, operand: xa, .. },
            Condition::Compare { variable: vb, op: ob, operand: xb, .. },
        ) => {
            oa == ob
                && va.as_ref().map(|v| v.text.trim()) == vb.as_ref().map(|v| v.text.trim())
                && va.is_some()
                && xa.to_json() == xb.to_json()
        }
        (Condition::And(_, xs), Condition::And(_, ys)) | (Condition::Or(_, xs), Condition::Or(_, ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same_condition(x, y, depth + 1))
        }
        (Condition::Not(_, x), Condition::Not(_, y)) => same_condition(x, y, depth + 1),
        (Condition::Jsonata(x), Condition::Jsonata(y)) => match (x, y) {
            (Template::Jsonata(ex), Template::Jsonata(ey)) => ex.text.trim() == ey.text.trim(),
            (Template::Literal(nx), Template::Literal(ny)) => nx.to_json() == ny.to_json(),
            _ => false,
        },
        _ => false,
    }
}
