//! Hover: state summaries at state names and references, field and state-type docs,
//! error names, intrinsic signatures, context paths, integrations, and the rules of the
//! diagnostics under the cursor.

use aslc_query::intrinsic::Function;
use aslc_source::TextRange;
use aslc_syntax::Node;

use crate::analysis::{Analysis, Machine};
use crate::docs;
use crate::document::{Language, Snapshot};
use crate::index::{locate, node_at};
use crate::rules::{rule, RuleLinks};

/// The markdown shown at `offset`, and the range it is about.
pub fn hover(
    snapshot: &Snapshot,
    analysis: &Analysis,
    offset: u32,
    links: &RuleLinks,
) -> Option<(String, TextRange)> {
    let mut sections = Vec::new();
    let mut range = None;
    if let Some((text, at)) = subject(snapshot, analysis, offset) {
        sections.push(text);
        range = Some(at);
    }
    for diagnostic in analysis.diagnostics.iter().filter(|d| d.primary.range.touches(offset)) {
        let Some(rule) = rule(diagnostic.code) else { continue };
        let link = links.url(rule.code).map(|url| format!(" ([docs]({url}))")).unwrap_or_default();
        let section = format!("`{}` ({}): {}{link}", rule.code, rule.level.as_str(), rule.summary);
        if !sections.contains(&section) {
            sections.push(section);
        }
        range.get_or_insert(diagnostic.primary.range);
    }
    if sections.is_empty() {
        return None;
    }
    Some((sections.join("\n\n---\n\n"), range.unwrap_or(TextRange::empty(offset))))
}

fn subject(snapshot: &Snapshot, analysis: &Analysis, offset: u32) -> Option<(String, TextRange)> {
    let machine = analysis.machine_at(offset);
    if let Some(machine) = machine {
        if let Some(state) = machine.index.state_named_at(offset) {
            return Some((state_summary(machine, state), machine.index.states[state].key_range));
        }
        if let Some(reference) = machine.index.reference_at(offset) {
            let text = match machine.index.target(reference) {
                Some(state) => state_summary(machine, state),
                None => format!("`{}`: no state of this scope has this name", reference.name),
            };
            return Some((text, reference.range));
        }
    }
    let (word, word_range) = word_at(&snapshot.text, offset);
    if let Some(text) = word_doc(word) {
        return Some((text, word_range));
    }
    if snapshot.language == Language::Dsl {
        return dsl_keyword(word).map(|text| (text, word_range));
    }
    let root = machine.map(|m| &m.node)?;
    let (path, key) = locate(root, offset);
    if let Some(member) = key {
        let parent = path.last().map(|s| s.key);
        if parent == Some(Some("States")) {
            return None;
        }
        let doc = docs::comparison(&member.key.text)
            .or_else(|| docs::field(&member.key.text).map(str::to_string))?;
        return Some((format!("**`{}`**\n\n{doc}", member.key.text), member.key_range));
    }
    let leaf = path.last()?;
    let value = leaf.node.as_str()?;
    let field = path.iter().rev().find_map(|s| s.key)?;
    let text = match field {
        "Type" => docs::state_type(value).map(|doc| format!("**`{value}` state**\n\n{doc}")),
        "Resource" => docs::RESOURCES
            .iter()
            .find(|(arn, _)| *arn == value)
            .map(|(arn, doc)| format!("**`{arn}`**\n\n{doc}")),
        _ => None,
    }?;
    Some((text, leaf.node.range))
}

/// The identifier-like word at `offset` (letters, digits, `_`, `.`, `$`, `-`, `:`).
pub fn word_at(text: &str, offset: u32) -> (&str, TextRange) {
    let offset = (offset as usize).min(text.len());
    let is_word = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '$' | '-');
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end =
        text[offset..].char_indices().find(|(_, c)| !is_word(*c)).map_or(text.len(), |(i, _)| offset + i);
    (&text[start..end], TextRange::from_usize(start, end))
}

/// Docs for a word that means the same wherever it is: an error name, an intrinsic, a
/// context path.
fn word_doc(word: &str) -> Option<String> {
    let word = word.trim_end_matches('.');
    if let Some(doc) = docs::error(word) {
        return Some(format!("**`{word}`** (error name)\n\n{doc}"));
    }
    if let Some(name) = word.strip_prefix("States.") {
        if let Some(function) = Function::from_name(name) {
            return Some(format!(
                "```\n{}\n```\n\n{}",
                docs::signature(function),
                docs::intrinsic_doc(function)
            ));
        }
    }
    let context = word.strip_prefix("$$.").or_else(|| word.strip_prefix("$states.context."))?;
    let (path, doc) = docs::CONTEXT_PATHS.iter().find(|(p, _)| *p == context)?;
    Some(format!("**`$$.{path}`** (context object)\n\n{doc}"))
}

/// The DSL's state keywords document their state types.
fn dsl_keyword(word: &str) -> Option<String> {
    let type_name = match word {
        "task" => "Task",
        "pass" => "Pass",
        "wait" => "Wait",
        "choice" => "Choice",
        "parallel" => "Parallel",
        "map" => "Map",
        "succeed" => "Succeed",
        "fail" => "Fail",
        _ => return None,
    };
    docs::state_type(type_name).map(|doc| format!("**`{word}`**: a `{type_name}` state\n\n{doc}"))
}

/// A state's type, transitions, retriers and catchers, in markdown.
pub fn state_summary(machine: &Machine, state: usize) -> String {
    let info = &machine.index.states[state];
    let type_name = info.type_name.as_deref().unwrap_or("?");
    let mut out = format!("**`{}`**: `{type_name}` state", info.name);
    let Some(node) = node_at(&machine.node, info.range) else { return out };
    if let Some(comment) = node.get("Comment").and_then(Node::as_str) {
        out.push_str(&format!("\n\n{comment}"));
    }
    let mut lines = Vec::new();
    if let Some(resource) = node.get("Resource").and_then(Node::as_str) {
        lines.push(format!("resource: `{resource}`"));
    }
    if let Some(next) = node.get("Next").and_then(Node::as_str) {
        lines.push(format!("next: `{next}`"));
    } else if node.get("End").and_then(Node::as_bool) == Some(true) || matches!(type_name, "Succeed" | "Fail")
    {
        lines.push("ends its scope".to_string());
    }
    let rules = node.get("Choices").and_then(Node::as_array).map_or(0, <[Node]>::len);
    if type_name == "Choice" {
        let default =
            node.get("Default").and_then(Node::as_str).map_or("none".to_string(), |d| format!("`{d}`"));
        lines.push(format!("{rules} rule(s), default: {default}"));
    }
    let errors = |item: &Node| -> String {
        item.get("ErrorEquals")
            .and_then(Node::as_array)
            .map(|names| {
                names.iter().filter_map(Node::as_str).map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            })
            .unwrap_or_default()
    };
    for retrier in node.get("Retry").and_then(Node::as_array).unwrap_or_default() {
        let attempts = retrier.get("MaxAttempts").and_then(Node::as_number_text).unwrap_or("3");
        lines.push(format!("retries {} (up to {attempts} times)", errors(retrier)));
    }
    for catcher in node.get("Catch").and_then(Node::as_array).unwrap_or_default() {
        let next = catcher.get("Next").and_then(Node::as_str).unwrap_or("?");
        lines.push(format!("catches {} → `{next}`", errors(catcher)));
    }
    for &scope in &info.children {
        let label = &machine.index.scopes[scope].label;
        let count = machine.index.scopes[scope].states.len();
        lines.push(format!("{label}: {count} state(s)"));
    }
    let references = machine.index.references_to(state).count();
    lines.push(format!("referred to {references} time(s)"));
    for line in lines {
        out.push_str(&format!("\n- {line}"));
    }
    out
}
