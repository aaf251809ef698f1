//! Placement checks on a parsed file (dsl.md §11, `D-PLACEMENT`): what the permissive
//! parser accepts but the grammar places elsewhere.

use aslc_source::{Diagnostic, FileId, TextRange};

use crate::ast::*;
use crate::rules::{D_PLACEMENT, D_SYNTAX};

/// Reports misplaced constructs of `file`.
pub(crate) fn validate(file: &File, file_id: FileId, diagnostics: &mut Vec<Diagnostic>) {
    let first_item = file
        .policies
        .iter()
        .map(|p| p.range.start())
        .chain(file.states.iter().map(|s| s.range.start()))
        .min();
    if let Some(first) = first_item {
        for header in &file.headers {
            if header.range.start() > first {
                diagnostics.push(
                    Diagnostic::error(
                        D_PLACEMENT,
                        file_id,
                        header.word_range,
                        "a header line after the first policy or state",
                    )
                    .with_label("header lines come before every policy and state")
                    .with_help("move this line to the top of the file"),
                );
            }
        }
    }
    if let Some(first_state) = file.states.first() {
        for policy in &file.policies {
            if policy.range.start() > first_state.range.start() {
                diagnostics.push(
                    Diagnostic::error(
                        D_PLACEMENT,
                        file_id,
                        policy.name.range,
                        "a policy after the first state",
                    )
                    .with_label("policies come before the states")
                    .with_help("move the policy above the first state"),
                );
            }
        }
    }
    for state in &file.states {
        check_state(state, file_id, diagnostics);
    }
}

fn placement(file: FileId, range: TextRange, message: &str, label: &str, help: &str) -> Diagnostic {
    Diagnostic::error(D_PLACEMENT, file, range, message).with_label(label).with_help(help)
}

fn check_block(block: &Block, file: FileId, diagnostics: &mut Vec<Diagnostic>) {
    if let Some(first) = block.states.first() {
        for (range, _) in &block.start {
            if range.start() > first.range.start() {
                diagnostics.push(placement(
                    file,
                    *range,
                    "`start` after the first state of a block",
                    "`start` and `raw` lines come first",
                    "move it above the states",
                ));
            }
        }
        for raw in &block.raw {
            if raw.range.start() > first.range.start() {
                diagnostics.push(placement(
                    file,
                    raw.range,
                    "`raw` after the first state of a block",
                    "`start` and `raw` lines come first",
                    "move it above the states",
                ));
            }
        }
    }
    for state in &block.states {
        check_state(state, file, diagnostics);
    }
}

fn check_state(state: &State, file: FileId, diagnostics: &mut Vec<Diagnostic>) {
    let kind = match state.head {
        Head::Succeed => Some("succeed"),
        Head::Fail(_) => Some("fail"),
        Head::Choice => Some("choice"),
        Head::Raw(_) => Some("state"),
        _ => None,
    };
    if let (Some(kind), Some(trans)) = (kind, &state.trans) {
        let help = if kind == "choice" { "use `else goto …` inside the choice" } else { "remove it" };
        diagnostics.push(placement(
            file,
            trans.range,
            &format!("a transition after `{kind}`"),
            &format!("a `{kind}` state has no `Next` or `End`"),
            help,
        ));
    }
    let Some(body) = &state.body else {
        if matches!(state.head, Head::Choice) {
            diagnostics.push(
                Diagnostic::error(D_SYNTAX, file, state.name.range, "a choice without rules")
                    .with_label("expected `{` with at least one `if`")
                    .with_help("add `{ if … goto … }`"),
            );
        }
        return;
    };
    let is_choice = matches!(state.head, Head::Choice);
    if is_choice {
        if body.rules.is_empty() {
            diagnostics.push(
                Diagnostic::error(D_SYNTAX, file, state.name.range, "a choice without rules")
                    .with_label("this choice has no `if`")
                    .with_help("add at least one `if … goto …` rule"),
            );
        }
        for (i, rule) in body.rules.iter().enumerate() {
            if i > 0 && !rule.else_if {
                diagnostics.push(placement(
                    file,
                    rule.if_range,
                    "a second `if` in a choice",
                    "rules after the first are `else if`",
                    "write `else if`",
                ));
            } else if i == 0 && rule.else_if {
                diagnostics.push(placement(
                    file,
                    rule.range,
                    "`else if` before any `if`",
                    "the first rule is `if`",
                    "write `if`",
                ));
            }
        }
        if let (Some(first_rule), Some(else_)) = (body.rules.first(), &body.else_) {
            if let Some(last) = body.rules.last() {
                if else_.range.start() < last.range.start() {
                    diagnostics.push(placement(
                        file,
                        else_.range,
                        "`else` before a rule",
                        "`else` comes last",
                        "move `else` after the rules",
                    ));
                }
            }
            let _ = first_rule;
        }
        if let Some(first_rule) = body.rules.first() {
            for clause in &body.clauses {
                if clause.range.start() > first_rule.range.start() {
                    diagnostics.push(placement(
                        file,
                        clause.word_range,
                        "a state clause after a rule",
                        "clauses of a choice come before its rules",
                        "move the clause above the first `if`",
                    ));
                }
            }
        }
    } else {
        for rule in &body.rules {
            diagnostics.push(placement(
                file,
                rule.if_range,
                "a rule outside a choice",
                "only a `choice` has rules",
                "use a `choice` state",
            ));
        }
        if let Some(else_) = &body.else_ {
            diagnostics.push(placement(
                file,
                else_.range,
                "`else` outside a choice",
                "only a `choice` has `else`",
                "use a `choice` state",
            ));
        }
    }
    for clause in &body.clauses {
        match &clause.kind {
            ClauseKind::Branch(block) | ClauseKind::Process { block, .. } => {
                check_block(block, file, diagnostics)
            }
            ClauseKind::Catch(Catch::Sugar { target: Target::Block(block), .. }) => {
                check_block(block, file, diagnostics)
            }
            _ => {}
        }
    }
    for rule in &body.rules {
        if let RuleKind::Sugar { target: Target::Block(block), .. } = &rule.kind {
            check_block(block, file, diagnostics);
        }
    }
    if let Some(Else { kind: ElseKind::Block(block), .. }) = &body.else_ {
        check_block(block, file, diagnostics);
    }
}
