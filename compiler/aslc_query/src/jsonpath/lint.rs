//! Lints over a parsed path (jsonpath.md §2, §6, §9): things AWS accepts but that cannot
//! work as written.

use super::{FilterBody, FilterExpr, FilterKind, Operand, OperandKind, Path, Root, Segment, Selector};
use crate::rules::{
    CTX_MEMBERS, P_DOT_ESCAPE, P_FILTER_UNQUOTED, P_NO_FUNCTIONS, P_REFERENCE, P_SCRIPT_EXPR, P_VAR_STATES,
    P_WHITESPACE,
};
use crate::QueryError;

/// The path lints: `P-DOT-ESCAPE`, `P-WHITESPACE`, `P-FILTER-UNQUOTED`, `P-SCRIPT-EXPR`,
/// `P-VAR-STATES` and `P-NO-FUNCTIONS`, for the path and the paths inside its filters.
pub fn lint_path(path: &Path) -> Vec<QueryError> {
    let mut acc = Vec::new();
    if let Some(range) = path.trailing_whitespace {
        acc.push(
            QueryError::new(P_WHITESPACE, range, "trailing whitespace after the path")
                .with_help("remove the whitespace"),
        );
    }
    lint_inner(path, &mut acc);
    acc
}

fn lint_inner(path: &Path, acc: &mut Vec<QueryError>) {
    if let Root::Variable(name) = &path.root {
        if &**name == "states" {
            acc.push(
                QueryError::new(P_VAR_STATES, path.root_range, "`$states` is not available in a JSONPath state")
                    .with_help("read the state input as `$` and the context object as `$$`, or switch the state to JSONata"),
            );
        }
    }
    lint_segments(&path.segments, acc);
}

fn lint_segments(segments: &[Segment], acc: &mut Vec<QueryError>) {
    for seg in segments {
        if seg.dot_escape {
            acc.push(
                QueryError::new(
                    P_DOT_ESCAPE,
                    seg.range,
                    "a backslash escape in a dot name is not honoured by AWS",
                )
                .with_help("use bracket notation for names with special characters: `['a.b']`"),
            );
        }
        match &seg.selector {
            Selector::Script => acc.push(
                QueryError::new(P_SCRIPT_EXPR, seg.range, "script expressions `[( … )]` are not evaluated")
                    .with_help("use a negative index (`[-1]`) or a slice instead"),
            ),
            Selector::Function(name) => acc.push(
                QueryError::new(
                    P_NO_FUNCTIONS,
                    seg.range,
                    format!("`{name}()` is not called: AWS reads it as a member named `{name}()`"),
                )
                .with_help("compute the value with an intrinsic function (for example `States.ArrayLength`)"),
            ),
            Selector::Filter(FilterBody::Parsed(expr)) => lint_filter(expr, acc),
            _ => {}
        }
    }
}

fn lint_filter(expr: &FilterExpr, acc: &mut Vec<QueryError>) {
    match &expr.kind {
        FilterKind::Or(lhs, rhs) | FilterKind::And(lhs, rhs) => {
            lint_filter(lhs, acc);
            lint_filter(rhs, acc);
        }
        FilterKind::Not(inner) => lint_filter(inner, acc),
        FilterKind::Compare { lhs, rhs, .. } => {
            lint_operand(lhs, acc);
            lint_operand(rhs, acc);
        }
        FilterKind::Exists(operand) => lint_operand(operand, acc),
    }
}

fn lint_operand(operand: &Operand, acc: &mut Vec<QueryError>) {
    match &operand.kind {
        OperandKind::Word(word) => acc.push(
            QueryError::new(
                P_FILTER_UNQUOTED,
                operand.range,
                format!("the bare word `{word}` is not a filter value"),
            )
            .with_help(format!("quote it: `'{word}'`")),
        ),
        OperandKind::Current(segments) => lint_segments(segments, acc),
        OperandKind::Path(path) => lint_inner(path, acc),
        OperandKind::List(items) => items.iter().for_each(|item| lint_operand(item, acc)),
        _ => {}
    }
}

/// `P-REFERENCE`: the first segment that stops `path` from being a reference path, for a
/// field that needs one (`ResultPath`, `ItemsPath`, the `…Path` fields of Map and Wait).
pub fn reference_error(path: &Path) -> Option<QueryError> {
    let seg = path.reference_violation()?;
    let what = match (&seg.selector, seg.axis) {
        (_, super::Axis::Descendant) => "a deep scan `..`",
        (Selector::Wildcard, _) => "a wildcard",
        (Selector::Names(_), _) | (Selector::Indexes(_), _) => "a union",
        (Selector::Slice { .. }, _) => "a slice",
        (Selector::Filter(_), _) => "a filter",
        (Selector::Script, _) => "a script expression",
        (Selector::Function(_), _) => "a function",
        (Selector::Name(_) | Selector::Index(_), _) => "a step that selects several values",
    };
    Some(
        QueryError::new(P_REFERENCE, seg.range, format!("a reference path cannot contain {what}"))
            .with_help("use only member names and single indexes, as in `$.items[0].id`"),
    )
}

/// The members of the context object (jsonpath.md §6), by top-level member.
const CONTEXT_MEMBERS: &[(&str, &[&str])] = &[
    ("Execution", &["Id", "Input", "StartTime", "Name", "RoleArn", "RedriveCount", "RedriveTime"]),
    ("StateMachine", &["Id", "Name"]),
    ("State", &["Name", "EnteredTime", "RetryCount"]),
    ("Task", &["Token"]),
    ("Map", &["Item"]),
];

/// Members of `$$.Map.Item`.
const MAP_ITEM_MEMBERS: &[&str] = &["Index", "Value", "Key", "Source"];

/// `CTX-MEMBERS`: a context path (`$$…`) naming a member the context object never has.
/// Only the leading names are checked; `Execution.Input` and `Map.Item.Value` hold user data.
pub fn context_member_error(path: &Path) -> Option<QueryError> {
    if path.root != Root::Context {
        return None;
    }
    let mut names = path.leading_names();
    let (top, top_range) = names.next()?;
    let Some((_, members)) = CONTEXT_MEMBERS.iter().find(|(name, _)| *name == top) else {
        let known: Vec<&str> = CONTEXT_MEMBERS.iter().map(|(name, _)| *name).collect();
        return Some(unknown_member("$$", top, top_range, &known));
    };
    let (member, member_range) = names.next()?;
    if !members.contains(&member) {
        return Some(unknown_member(&format!("$$.{top}"), member, member_range, members));
    }
    if top == "Map" {
        let (item_member, range) = names.next()?;
        if !MAP_ITEM_MEMBERS.contains(&item_member) {
            return Some(unknown_member("$$.Map.Item", item_member, range, MAP_ITEM_MEMBERS));
        }
    }
    None
}

fn unknown_member(parent: &str, name: &str, range: aslc_source::TextRange, known: &[&str]) -> QueryError {
    let list: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
    QueryError::new(CTX_MEMBERS, range, format!("the context object has no member `{parent}.{name}`"))
        .with_help(format!("use one of {}", list.join(", ")))
}
