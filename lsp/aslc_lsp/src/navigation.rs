//! State names as symbols: goto definition, find references, rename (every reference of
//! the scope, names AWS would reject refused), the outline, and folding ranges.

use aslc_source::TextRange;
use aslc_syntax::{Node, NodeValue};

use crate::analysis::{Analysis, Machine};
use crate::document::{Language, Snapshot};

/// The declaration of the state named or referred to at `offset`.
pub fn definition(analysis: &Analysis, offset: u32) -> Option<TextRange> {
    let machine = analysis.machine_at(offset)?;
    let state = machine.index.symbol_at(offset)?;
    let info = &machine.index.states[state];
    Some(info.name_range.unwrap_or(info.key_range))
}

/// Where a reference points in the text: its name, or the whole string.
fn reference_range(language: Language, range: TextRange, name_range: Option<TextRange>) -> Option<TextRange> {
    match (language, name_range) {
        (_, Some(r)) => Some(r),
        // The DSL's implicit transitions (falling through to the next state) are not
        // written anywhere.
        (Language::Dsl, None) => None,
        (_, None) => Some(range),
    }
}

/// Every place the state at `offset` is named: its declaration (when asked for) and each
/// reference in its scope.
pub fn references(
    snapshot: &Snapshot,
    analysis: &Analysis,
    offset: u32,
    declaration: bool,
) -> Vec<TextRange> {
    let Some(machine) = analysis.machine_at(offset) else { return Vec::new() };
    let Some(state) = machine.index.symbol_at(offset) else { return Vec::new() };
    let info = &machine.index.states[state];
    let mut out = Vec::new();
    if declaration {
        out.push(info.name_range.unwrap_or(info.key_range));
    }
    for reference in machine.index.references_to(state) {
        if let Some(range) = reference_range(snapshot.language, reference.range, reference.name_range) {
            if !out.contains(&range) {
                out.push(range);
            }
        }
    }
    out
}

/// The name's range, if the symbol at `offset` can be renamed.
pub fn prepare_rename(analysis: &Analysis, offset: u32) -> Option<(TextRange, String)> {
    let machine = analysis.machine_at(offset)?;
    let state = machine.index.symbol_at(offset)?;
    let info = &machine.index.states[state];
    let at = if let Some(reference) = machine.index.reference_at(offset) {
        reference.name_range.unwrap_or(reference.range)
    } else {
        info.name_range.unwrap_or(info.key_range)
    };
    Some((at, info.name.to_string()))
}

/// Why a name cannot be a state's name, if it cannot.
fn invalid_name(name: &str, language: Language) -> Option<String> {
    let chars = name.chars().count();
    if chars == 0 {
        return Some("a state name cannot be empty".into());
    }
    if chars > 80 {
        return Some(format!("a state name has at most 80 characters, this one has {chars}"));
    }
    if name.chars().any(char::is_control) {
        return Some("a state name cannot contain control characters".into());
    }
    match language {
        Language::Json => None,
        // Names are rewritten in place; ones that would need quoting or escapes in YAML
        // or the DSL are refused rather than mangled.
        Language::Yaml => {
            let special_start = name.starts_with([
                '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@',
                '`', ' ',
            ]);
            (special_start || name.contains([':', '#', '"', '\'', '\\']) || name.ends_with(' '))
                .then(|| format!("`{name}` would need quoting in YAML; rename it in the file by hand"))
        }
        Language::Dsl => {
            let mut chars = name.chars();
            let first = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_');
            let ident = first && chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-');
            (!ident).then(|| format!("`{name}` is not a DSL identifier (letters, digits, `_` and `-`)"))
        }
    }
}

/// The edits renaming the state at `offset` to `new_name`, or why it cannot be renamed.
pub fn rename(
    snapshot: &Snapshot,
    analysis: &Analysis,
    offset: u32,
    new_name: &str,
) -> Result<Vec<(TextRange, String)>, String> {
    let Some(machine) = analysis.machine_at(offset) else { return Err("no state here".into()) };
    let Some(state) = machine.index.symbol_at(offset) else { return Err("no state here".into()) };
    if let Some(why) = invalid_name(new_name, snapshot.language) {
        return Err(why);
    }
    let info = &machine.index.states[state];
    // AWS requires state names to be unique in the whole machine, not only the scope.
    if &*info.name != new_name && machine.index.states.iter().any(|s| &*s.name == new_name) {
        return Err(format!("a state named `{new_name}` already exists"));
    }
    let replacement = match snapshot.language {
        Language::Json => {
            let mut quoted = String::new();
            aslc_syntax::write_json_string(new_name, &mut quoted);
            quoted[1..quoted.len() - 1].to_string()
        }
        _ => new_name.to_string(),
    };
    let mut edits = Vec::new();
    let Some(declaration) = info.name_range else {
        return Err(format!("the name `{}` is written with escapes; rename it by hand", info.name));
    };
    edits.push((declaration, replacement.clone()));
    for reference in machine.index.references_to(state) {
        match (reference.name_range, snapshot.language) {
            (Some(range), _) => {
                if !edits.iter().any(|(r, _)| *r == range) {
                    edits.push((range, replacement.clone()));
                }
            }
            (None, Language::Dsl) => {}
            (None, _) => {
                return Err(format!(
                    "a reference to `{}` is written with escapes; rename it by hand",
                    info.name
                ));
            }
        }
    }
    edits.sort_by_key(|(r, _)| r.start());
    Ok(edits)
}

/// A node of the outline.
#[derive(Debug)]
pub struct Symbol {
    /// Shown name.
    pub name: String,
    /// Shown detail (the state type).
    pub detail: Option<String>,
    /// The whole element.
    pub range: TextRange,
    /// The name.
    pub selection: TextRange,
    /// What kind of thing.
    pub kind: SymbolKind,
    /// Nested symbols.
    pub children: Vec<Symbol>,
}

/// What a symbol is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SymbolKind {
    /// A template's state machine resource.
    Machine,
    /// A state.
    State,
    /// A Parallel branch or Map processor.
    Scope,
}

fn span(a: TextRange, b: TextRange) -> TextRange {
    TextRange::new(a.start().min(b.start()), a.end().max(b.end()))
}

fn scope_symbols(machine: &Machine, scope: usize) -> Vec<Symbol> {
    let index = &machine.index;
    index.scopes[scope]
        .states
        .iter()
        .map(|&s| {
            let info = &index.states[s];
            let children = info
                .children
                .iter()
                .map(|&c| {
                    let scope = &index.scopes[c];
                    Symbol {
                        name: scope.label.clone(),
                        detail: None,
                        range: scope.range,
                        selection: scope.range.start_point(),
                        kind: SymbolKind::Scope,
                        children: scope_symbols(machine, c),
                    }
                })
                .collect();
            Symbol {
                name: info.name.to_string(),
                detail: info.type_name.as_deref().map(str::to_string),
                range: span(info.key_range, info.range),
                selection: info.key_range,
                kind: SymbolKind::State,
                children,
            }
        })
        .collect()
}

/// The outline: the states of every machine, nested by scope.
pub fn symbols(analysis: &Analysis) -> Vec<Symbol> {
    let mut out = Vec::new();
    for machine in &analysis.machines {
        let states = scope_symbols(machine, 0);
        match (&machine.name, machine.name_range) {
            (Some(name), Some(name_range)) => out.push(Symbol {
                name: name.clone(),
                detail: Some("state machine".into()),
                range: span(name_range, machine.node.range),
                selection: name_range,
                kind: SymbolKind::Machine,
                children: states,
            }),
            _ => out.extend(states),
        }
    }
    out
}

/// Folding ranges as (first line, last line): every object and array over several lines;
/// the DSL's braces and block comments.
pub fn folding(snapshot: &Snapshot, analysis: &Analysis) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    if snapshot.language == Language::Dsl {
        let mut ignored = Vec::new();
        let mut open = Vec::new();
        for token in aslc_dsl::lexer::lex(&snapshot.text, crate::analysis::FILE, &mut ignored) {
            match token.kind {
                aslc_dsl::lexer::Kind::LBrace | aslc_dsl::lexer::Kind::LBracket => {
                    open.push(token.range.start())
                }
                aslc_dsl::lexer::Kind::RBrace | aslc_dsl::lexer::Kind::RBracket => {
                    if let Some(start) = open.pop() {
                        push_fold(snapshot, TextRange::new(start, token.range.end()), &mut out);
                    }
                }
                aslc_dsl::lexer::Kind::BlockComment => push_fold(snapshot, token.range, &mut out),
                _ => {}
            }
        }
    } else if let Some(tree) = analysis.tree() {
        let mut stack = vec![(tree, 0usize)];
        while let Some((node, depth)) = stack.pop() {
            match &node.value {
                NodeValue::Object(members) => {
                    push_fold(snapshot, node.range, &mut out);
                    if depth < 256 {
                        stack.extend(members.iter().map(|m| (&m.value, depth + 1)));
                    }
                }
                NodeValue::Array(items) => {
                    push_fold(snapshot, node.range, &mut out);
                    if depth < 256 {
                        stack.extend(items.iter().map(|n: &Node| (n, depth + 1)));
                    }
                }
                _ => {}
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn push_fold(snapshot: &Snapshot, range: TextRange, out: &mut Vec<(u32, u32)>) {
    let start = snapshot.line_index.line_of(range.start()) as u32;
    let end = snapshot.line_index.line_of(range.end()) as u32;
    if end > start {
        out.push((start, end));
    }
}
