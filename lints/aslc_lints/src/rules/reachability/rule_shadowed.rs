//! `C-RULE-SHADOWED`: a Choice rule that can never be chosen.

use aslc_ir::ir::{Condition, StateKind, Template};
use aslc_source::Diagnostic;
use rustc_hash::FxHashMap;

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
    for (_, state) in ctx.states() {
        let StateKind::Choice(choice) = &state.kind else { continue };
        // One pass: the first earlier rule that always holds, and the first earlier rule
        // with each condition (by its key), so that a Choice with thousands of rules costs
        // thousands of steps, not millions.
        let mut first_always: Option<usize> = None;
        let mut first_with: FxHashMap<String, usize> = FxHashMap::default();
        for (i, rule) in choice.choices.iter().enumerate() {
            let key = condition_key(&rule.condition);
            let shadow = match (first_always, &key) {
                (Some(j), _) => Some(("always holds", j)),
                (None, Some(key)) => first_with.get(key).map(|&j| ("tests the same condition", j)),
                (None, None) => None,
            };
            if first_always.is_none() && always_true(&rule.condition, 0) {
                first_always = Some(i);
            }
            if let Some(key) = key {
                first_with.entry(key).or_insert(i);
            }
            let Some((why, other)) = shadow else { continue };
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

/// A key that two conditions share exactly when [`same_condition`] holds for them; `None`
/// for a condition that is never the same as another.
fn condition_key(condition: &Condition) -> Option<String> {
    let mut key = String::new();
    write_key(condition, 0, &mut key).then_some(key)
}

fn write_key(condition: &Condition, depth: usize, key: &mut String) -> bool {
    // Each part is written with its length first, so no two different conditions share a key.
    fn part(key: &mut String, tag: char, text: &str) {
        push_count(key, tag, text.len());
        key.push(':');
        key.push_str(text);
    }
    // A tag and a count, without a temporary string.
    fn push_count(key: &mut String, tag: char, count: usize) {
        use std::fmt::Write as _;
        let _ = write!(key, "{tag}{count}");
    }
    if depth > 64 {
        return false;
    }
    match condition {
        Condition::Compare { variable: Some(variable), op, operand, .. } => {
            part(key, 'c', op.as_str());
            part(key, 'v', variable.text.trim());
            part(key, 'o', &operand.to_json());
            true
        }
        Condition::And(_, rules) | Condition::Or(_, rules) => {
            push_count(key, if matches!(condition, Condition::And(..)) { '&' } else { '|' }, rules.len());
            key.push('(');
            let ok = rules.iter().all(|rule| write_key(rule, depth + 1, key));
            key.push(')');
            ok
        }
        Condition::Not(_, rule) => {
            key.push('!');
            write_key(rule, depth + 1, key)
        }
        Condition::Jsonata(Template::Jsonata(expr)) => {
            part(key, 'j', expr.text.trim());
            true
        }
        Condition::Jsonata(Template::Literal(node)) => {
            part(key, 'l', &node.to_json());
            true
        }
        _ => false,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::definition;

    #[test]
    fn keys_agree_with_the_pairwise_comparison() {
        let rules = [
            r#"{ "Variable": "$.a", "NumericEquals": 1, "Next": "E" }"#,
            r#"{ "Variable": " $.a ", "NumericEquals": 1, "Next": "E" }"#,
            r#"{ "Variable": "$.a", "NumericEquals": 2, "Next": "E" }"#,
            r#"{ "Variable": "$.a", "NumericGreaterThan": 1, "Next": "E" }"#,
            r#"{ "Variable": "$.b", "StringEquals": "1", "Next": "E" }"#,
            r#"{ "Variable": "$.b", "StringEquals": "1:", "Next": "E" }"#,
            r#"{ "And": [ { "Variable": "$.a", "NumericEquals": 1 }, { "Variable": "$.b", "IsNull": true } ], "Next": "E" }"#,
            r#"{ "And": [ { "Variable": "$.a", "NumericEquals": 1 }, { "Variable": "$.b", "IsNull": true } ], "Next": "E" }"#,
            r#"{ "Or": [ { "Variable": "$.a", "NumericEquals": 1 }, { "Variable": "$.b", "IsNull": true } ], "Next": "E" }"#,
            r#"{ "Not": { "Variable": "$.a", "NumericEquals": 1 }, "Next": "E" }"#,
            r#"{ "Not": { "Variable": "$.a", "NumericEquals": 1 }, "Next": "E" }"#,
            r#"{ "Or": [ { "Variable": "$.a", "NumericEquals": 1 } ], "Next": "E" }"#,
        ];
        let text = format!(
            r#"{{ "StartAt": "C", "States": {{ "C": {{ "Type": "Choice", "Choices": [ {} ], "Default": "E" }}, "E": {{ "Type": "Succeed" }} }} }}"#,
            rules.join(",")
        );
        let def = definition(&text);
        let StateKind::Choice(choice) = &def.iter_states().next().unwrap().1.kind else { panic!("a Choice") };
        for a in &choice.choices {
            for b in &choice.choices {
                let same = same_condition(&a.condition, &b.condition, 0);
                let keys =
                    condition_key(&a.condition).is_some_and(|k| Some(k) == condition_key(&b.condition));
                assert_eq!(same, keys, "{:?} / {:?}", a.range, b.range);
            }
        }
    }
}
