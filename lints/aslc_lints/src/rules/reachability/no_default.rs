//! `C-NO-DEFAULT`: a Choice state without `Default` whose rules are not exhaustive.

use aslc_ir::ir::{ChoiceOp, Condition, StateKind};
use aslc_source::Diagnostic;

use crate::cfg::is_exhaustive;
use crate::registry::declare_lint;
use crate::rules::reachability::rule_shadowed::same_condition;
use crate::LintCtx;

declare_lint! {
    /// ## What it does
    /// Reports a Choice state without `Default` whose rules cannot be shown to cover every
    /// input. Rules are taken as covering when one always holds (`"Condition": true`,
    /// `IsPresent` on `$`), or when two are each other's complement for a value of the
    /// tested type: a rule and its `Not`, `BooleanEquals` `true` and `false`,
    /// `NumericLessThan` and `NumericGreaterThanEquals` of one literal, and the like.
    ///
    /// ## Why is this bad?
    /// An input that matches no rule fails the state with `States.NoChoiceMatched`, and
    /// with it the execution, unless an enclosing Parallel or Map catches it.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "Size", "States": {
    ///     "Size": { "Type": "Choice", "Choices": [
    ///       { "Variable": "$.total", "NumericGreaterThan": 100, "Next": "Big" } ] },
    ///     "Big": { "Type": "Succeed" } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "StartAt": "Size", "States": {
    ///     "Size": { "Type": "Choice", "Default": "Small", "Choices": [
    ///       { "Variable": "$.total", "NumericGreaterThan": 100, "Next": "Big" } ] },
    ///     "Big": { "Type": "Succeed" },
    ///     "Small": { "Type": "Succeed" } } }
    /// ```
    /// ## Fix
    /// Add a `Default` (a Fail state with a clear `Error` where no match is a bad input).
    "C-NO-DEFAULT", Warn, "choice.md", "a Choice state has a `Default` unless its rules are exhaustive";
}

/// Reports non-exhaustive Choice states without `Default`.
pub(crate) fn check(ctx: &LintCtx<'_>, acc: &mut Vec<Diagnostic>) {
    for (_, state) in ctx.states() {
        let StateKind::Choice(choice) = &state.kind else { continue };
        if choice.default.is_some() || choice.choices.is_empty() || is_exhaustive(choice) {
            continue;
        }
        let conditions: Vec<&Condition> = choice.choices.iter().map(|rule| &rule.condition).collect();
        if has_complementary_pair(&conditions)
            || conditions.iter().any(|c| matches!(c, Condition::Invalid(_)))
        {
            continue;
        }
        acc.push(
            ctx.diagnostic(
                &RULE,
                state.name.range,
                format!("Choice state `{}` has no `Default`", state.name.value),
            )
            .with_label("an input no rule matches fails here")
            .with_help("add a `Default` that names the state to go to when no rule matches")
            .with_note("an unmatched input raises `States.NoChoiceMatched`")
            .at(&state.pointer),
        );
    }
}

/// Pairs are compared one by one; past this many rules the question is not asked and the
/// rules are given the benefit of the doubt (the rule stays quiet rather than guess).
const MAX_PAIRED_RULES: usize = 512;

fn has_complementary_pair(conditions: &[&Condition]) -> bool {
    if conditions.len() > MAX_PAIRED_RULES {
        return true;
    }
    conditions.iter().enumerate().any(|(i, a)| conditions[i + 1..].iter().any(|b| complementary(a, b)))
}

/// Whether exactly one of `a` and `b` holds for every value of the tested type.
fn complementary(a: &Condition, b: &Condition) -> bool {
    match (a, b) {
        (Condition::Not(_, inner), other) | (other, Condition::Not(_, inner)) => {
            same_condition(inner, other, 0)
        }
        (
            Condition::Compare { variable: Some(va), op: oa, operand: xa, .. },
            Condition::Compare { variable: Some(vb), op: ob, operand: xb, .. },
        ) => {
            if va.text != vb.text {
                return false;
            }
            let same_operand = xa.to_json() == xb.to_json();
            let boolean_pair = oa == ob
                && xa.as_bool().is_some()
                && xb.as_bool().is_some()
                && xa.as_bool() != xb.as_bool()
                && matches!(
                    oa,
                    ChoiceOp::BooleanEquals
                        | ChoiceOp::IsPresent
                        | ChoiceOp::IsNull
                        | ChoiceOp::IsNumeric
                        | ChoiceOp::IsString
                        | ChoiceOp::IsBoolean
                        | ChoiceOp::IsTimestamp
                );
            boolean_pair || (same_operand && (is_split(*oa, *ob) || is_split(*ob, *oa)))
        }
        _ => false,
    }
}

/// Whether `a` and `b` split an ordered type at one literal (`<` and `>=`, `>` and `<=`).
fn is_split(a: ChoiceOp, b: ChoiceOp) -> bool {
    use ChoiceOp::*;
    matches!(
        (a, b),
        (NumericLessThan, NumericGreaterThanEquals)
            | (NumericGreaterThan, NumericLessThanEquals)
            | (StringLessThan, StringGreaterThanEquals)
            | (StringGreaterThan, StringLessThanEquals)
            | (TimestampLessThan, TimestampGreaterThanEquals)
            | (TimestampGreaterThan, TimestampLessThanEquals)
            | (NumericLessThanPath, NumericGreaterThanEqualsPath)
            | (NumericGreaterThanPath, NumericLessThanEqualsPath)
            | (StringLessThanPath, StringGreaterThanEqualsPath)
            | (StringGreaterThanPath, StringLessThanEqualsPath)
            | (TimestampLessThanPath, TimestampGreaterThanEqualsPath)
            | (TimestampGreaterThanPath, TimestampLessThanEqualsPath)
    )
}
