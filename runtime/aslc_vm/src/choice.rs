//! The comparison operators of Choice rules (choice.md §4): typed, never coercing; a value
//! of the wrong type makes the comparison false.

use std::cmp::Ordering;

use aslc_ir::ir::ChoiceOp;
use aslc_query::timestamp;
use serde_json::Value;

/// Whether `op` holds between the variable's value (`None` when the path found nothing)
/// and the operand (the literal, or the value of a `…Path` operand).
pub fn compare(op: ChoiceOp, value: Option<&Value>, operand: &Value) -> bool {
    use ChoiceOp as O;
    let want = || operand.as_bool().unwrap_or(false);
    match op {
        O::IsPresent => value.is_some() == want(),
        O::IsNull => value.is_some_and(Value::is_null) == want(),
        O::IsNumeric => value.is_some_and(Value::is_number) == want(),
        O::IsString => value.is_some_and(Value::is_string) == want(),
        O::IsBoolean => value.is_some_and(Value::is_boolean) == want(),
        O::IsTimestamp => {
            value.and_then(Value::as_str).is_some_and(|s| timestamp::parse_timestamp(s).is_ok()) == want()
        }
        O::StringEquals | O::StringEqualsPath => ord_string(value, operand) == Some(Ordering::Equal),
        O::StringLessThan | O::StringLessThanPath => ord_string(value, operand) == Some(Ordering::Less),
        O::StringGreaterThan | O::StringGreaterThanPath => {
            ord_string(value, operand) == Some(Ordering::Greater)
        }
        O::StringLessThanEquals | O::StringLessThanEqualsPath => {
            matches!(ord_string(value, operand), Some(Ordering::Less | Ordering::Equal))
        }
        O::StringGreaterThanEquals | O::StringGreaterThanEqualsPath => {
            matches!(ord_string(value, operand), Some(Ordering::Greater | Ordering::Equal))
        }
        O::StringMatches => match (value.and_then(Value::as_str), operand.as_str()) {
            (Some(s), Some(p)) => string_matches(s, p),
            _ => false,
        },
        O::NumericEquals | O::NumericEqualsPath => ord_number(value, operand) == Some(Ordering::Equal),
        O::NumericLessThan | O::NumericLessThanPath => ord_number(value, operand) == Some(Ordering::Less),
        O::NumericGreaterThan | O::NumericGreaterThanPath => {
            ord_number(value, operand) == Some(Ordering::Greater)
        }
        O::NumericLessThanEquals | O::NumericLessThanEqualsPath => {
            matches!(ord_number(value, operand), Some(Ordering::Less | Ordering::Equal))
        }
        O::NumericGreaterThanEquals | O::NumericGreaterThanEqualsPath => {
            matches!(ord_number(value, operand), Some(Ordering::Greater | Ordering::Equal))
        }
        O::BooleanEquals | O::BooleanEqualsPath => match (value, operand) {
            (Some(Value::Bool(a)), Value::Bool(b)) => a == b,
            _ => false,
        },
        O::TimestampEquals | O::TimestampEqualsPath => ord_timestamp(value, operand) == Some(Ordering::Equal),
        O::TimestampLessThan | O::TimestampLessThanPath => {
            ord_timestamp(value, operand) == Some(Ordering::Less)
        }
        O::TimestampGreaterThan | O::TimestampGreaterThanPath => {
            ord_timestamp(value, operand) == Some(Ordering::Greater)
        }
        O::TimestampLessThanEquals | O::TimestampLessThanEqualsPath => {
            matches!(ord_timestamp(value, operand), Some(Ordering::Less | Ordering::Equal))
        }
        O::TimestampGreaterThanEquals | O::TimestampGreaterThanEqualsPath => {
            matches!(ord_timestamp(value, operand), Some(Ordering::Greater | Ordering::Equal))
        }
    }
}

/// Strings order by UTF-16 code units, as Java's `String.compareTo`.
fn ord_string(value: Option<&Value>, operand: &Value) -> Option<Ordering> {
    let (a, b) = (value?.as_str()?, operand.as_str()?);
    Some(a.encode_utf16().cmp(b.encode_utf16()))
}

fn ord_number(value: Option<&Value>, operand: &Value) -> Option<Ordering> {
    let (Value::Number(a), Value::Number(b)) = (value?, operand) else { return None };
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return Some(x.cmp(&y));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}

fn ord_timestamp(value: Option<&Value>, operand: &Value) -> Option<Ordering> {
    let a = timestamp::parse_timestamp(value?.as_str()?).ok()?;
    let b = timestamp::parse_timestamp(operand.as_str()?).ok()?;
    Some(a.cmp(&b))
}

/// `StringMatches`: `*` matches any run of characters, `\*` and `\\` are literal.
pub fn string_matches(text: &str, pattern: &str) -> bool {
    #[derive(PartialEq)]
    enum Tok {
        Star,
        Char(char),
    }
    let mut toks = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next() {
                    toks.push(Tok::Char(n));
                }
            }
            '*' => toks.push(Tok::Star),
            c => toks.push(Tok::Char(c)),
        }
    }
    let t: Vec<char> = text.chars().collect();
    // Greedy matching with one backtrack point per star: linear in practice.
    let (mut ti, mut pi) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match toks.get(pi) {
            Some(Tok::Char(c)) if *c == t[ti] => {
                ti += 1;
                pi += 1;
            }
            Some(Tok::Star) => {
                star = Some((pi, ti));
                pi += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    toks[pi..].iter().all(|t| *t == Tok::Star)
}
