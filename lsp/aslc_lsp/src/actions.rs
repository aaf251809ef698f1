//! Code actions and formatting: quick fixes for the lints that have one (a Choice
//! `Default`, a final `States.ALL` catcher, the recommended Lambda retrier, a timeout for
//! callback tasks), converting a file between ASL and the DSL, and the canonical printers.

use aslc_source::TextRange;
use aslc_syntax::Node;

use crate::analysis::{Analysis, Machine, FILE};
use crate::document::{Language, Snapshot};
use crate::index::node_at;

/// One code action, before it becomes LSP.
#[derive(Debug)]
pub struct Action {
    /// What it does, shown in the menu.
    pub title: String,
    /// A quick fix of a diagnostic (otherwise a rewrite).
    pub quick_fix: bool,
    /// Edits to the document.
    pub edits: Vec<(TextRange, String)>,
    /// A file to create (URI, text) instead.
    pub new_file: Option<(String, String)>,
    /// The index of the diagnostic it fixes.
    pub diagnostic: Option<usize>,
}

/// The retrier AWS recommends on every Lambda task.
const LAMBDA_RETRIER: &str = r#"{"ErrorEquals": ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"], "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2, "JitterStrategy": "FULL"}"#;

/// The document in its canonical layout: `.asld` files and ASL JSON definitions (as
/// `aslc fmt` does); `None` when the text has syntax errors or is not formatted by aslc.
pub fn format(snapshot: &Snapshot, analysis: &Analysis) -> Option<String> {
    match snapshot.language {
        Language::Dsl => aslc_dsl::fmt(&snapshot.text, FILE).text,
        Language::Json => {
            let parsed = aslc_syntax::json::parse(&snapshot.text, FILE);
            if analysis.template.is_some() || parsed.diagnostics.iter().any(aslc_source::Diagnostic::is_error)
            {
                return None;
            }
            parsed.node.as_ref().and_then(aslc_dsl::format_asl)
        }
        Language::Yaml => None,
    }
}

/// The actions available for `range`.
pub fn code_actions(snapshot: &Snapshot, analysis: &Analysis, range: TextRange, uri: &str) -> Vec<Action> {
    let mut out = Vec::new();
    if snapshot.language != Language::Dsl {
        for (i, diagnostic) in analysis.diagnostics.iter().enumerate() {
            let at = diagnostic.primary.range;
            if at.end() < range.start() || range.end() < at.start() {
                continue;
            }
            quick_fixes(snapshot, analysis, diagnostic.code, at.start(), i, &mut out);
        }
    }
    convert(snapshot, analysis, uri, &mut out);
    out
}

fn quick_fixes(
    snapshot: &Snapshot,
    analysis: &Analysis,
    code: &str,
    offset: u32,
    diagnostic: usize,
    out: &mut Vec<Action>,
) {
    let Some(machine) = analysis.machine_at(offset) else { return };
    let index = &machine.index;
    let Some(state) = index.state_named_at(offset).or_else(|| index.state_containing(offset)) else { return };
    let info = &index.states[state];
    let Some(node) = node_at(&machine.node, info.range) else { return };
    let mut push = |title: String, edit: Option<(TextRange, String)>| {
        if let Some(edit) = edit {
            out.push(Action {
                title,
                quick_fix: true,
                edits: vec![edit],
                new_file: None,
                diagnostic: Some(diagnostic),
            });
        }
    };
    let quote = |name: &str| {
        let mut quoted = String::new();
        aslc_syntax::write_json_string(name, &mut quoted);
        quoted
    };
    match code {
        "C-NO-DEFAULT" => {
            for target in targets(machine, state) {
                let edit = add_member(snapshot, node, "Default", &quote(target));
                push(format!("Add `Default` going to `{target}`"), edit);
            }
        }
        "L-CATCH-ALL-MISSING" => {
            for target in targets(machine, state) {
                let catcher = format!(r#"{{"ErrorEquals": ["States.ALL"], "Next": {}}}"#, quote(target));
                let edit = match node.get("Catch").filter(|c| c.as_array().is_some()) {
                    Some(array) => append_item(snapshot, array, &catcher),
                    None => add_member(snapshot, node, "Catch", &format!("[{catcher}]")),
                };
                push(format!("Add a final `States.ALL` catcher going to `{target}`"), edit);
            }
        }
        "R-RETRY-LAMBDA" => {
            let edit = match node.get("Retry").filter(|r| r.as_array().is_some()) {
                Some(array) => prepend_item(snapshot, array, LAMBDA_RETRIER),
                None => add_member(snapshot, node, "Retry", &format!("[{LAMBDA_RETRIER}]")),
            };
            push("Add the recommended retrier for transient Lambda errors".into(), edit);
        }
        "R-TASK-CALLBACK-NOTIMEOUT" => {
            let edit = add_member(snapshot, node, "TimeoutSeconds", "3600");
            push("Add `TimeoutSeconds` (one hour)".into(), edit);
            let edit = add_member(snapshot, node, "HeartbeatSeconds", "300");
            push("Add `HeartbeatSeconds` (five minutes)".into(), edit);
        }
        _ => {}
    }
}

/// States a new transition from `state` may go to: the scope's `Fail` states first, then
/// the others; at most three.
fn targets(machine: &Machine, state: usize) -> Vec<&str> {
    let index = &machine.index;
    let scope = &index.scopes[index.states[state].scope];
    let mut names: Vec<(bool, &str)> = scope
        .states
        .iter()
        .filter(|&&s| s != state)
        .map(|&s| (index.states[s].type_name.as_deref() != Some("Fail"), &*index.states[s].name))
        .collect();
    names.sort_by_key(|(not_fail, _)| *not_fail);
    names.into_iter().take(3).map(|(_, n)| n).collect()
}

/// Whether `node` is written in flow/JSON style (`{…}`, `[…]`) rather than YAML block style.
fn is_flow(snapshot: &Snapshot, node: &Node) -> bool {
    snapshot.language == Language::Json
        || snapshot.text.get(node.range.as_usize()).is_some_and(|text| text.starts_with(['{', '[']))
}

/// The end of the line holding `offset` (before its line break).
fn line_end(snapshot: &Snapshot, offset: u32) -> u32 {
    let rest = snapshot.text.get(offset as usize..).unwrap_or("");
    offset + rest.find('\n').unwrap_or(rest.len()) as u32
}

/// An edit adding `"key": value` (JSON text, which YAML reads too) to an object.
fn add_member(snapshot: &Snapshot, object: &Node, key: &str, value: &str) -> Option<(TextRange, String)> {
    let members = object.as_object()?;
    let Some(last) = members.last() else {
        let at = object.range.start() + 1;
        return Some((TextRange::empty(at), format!(" \"{key}\": {value} ")));
    };
    let indent = snapshot.indent_at(last.key_range.start()).to_string();
    let same_line = snapshot.line_index.line_of(object.range.start())
        == snapshot.line_index.line_of(last.key_range.start());
    if is_flow(snapshot, object) {
        let at = last.value.range.end();
        let text = if same_line {
            format!(", \"{key}\": {value}")
        } else {
            format!(",\n{indent}\"{key}\": {value}")
        };
        Some((TextRange::empty(at), text))
    } else {
        let column = snapshot.position(last.key_range.start()).character as usize;
        let at = line_end(snapshot, last.value.range.end().max(last.key_range.end()));
        Some((TextRange::empty(at), format!("\n{}{key}: {value}", " ".repeat(column))))
    }
}

/// An edit adding an item (JSON text) at the end of an array.
fn append_item(snapshot: &Snapshot, array: &Node, item: &str) -> Option<(TextRange, String)> {
    let items = array.as_array()?;
    let Some(last) = items.last() else {
        return Some((TextRange::empty(array.range.start() + 1), item.to_string()));
    };
    if is_flow(snapshot, array) {
        return Some((TextRange::empty(last.range.end()), format!(", {item}")));
    }
    let dash = dash_column(snapshot, last)?;
    let at = line_end(snapshot, last.range.end());
    Some((TextRange::empty(at), format!("\n{}- {item}", " ".repeat(dash))))
}

/// An edit adding an item (JSON text) at the start of an array.
fn prepend_item(snapshot: &Snapshot, array: &Node, item: &str) -> Option<(TextRange, String)> {
    let items = array.as_array()?;
    let Some(first) = items.first() else {
        return Some((TextRange::empty(array.range.start() + 1), item.to_string()));
    };
    if is_flow(snapshot, array) {
        return Some((TextRange::empty(first.range.start()), format!("{item}, ")));
    }
    let dash = dash_column(snapshot, first)?;
    let line = snapshot.line_index.line_of(first.range.start());
    let at = snapshot.line_index.line_start(line)?;
    Some((TextRange::empty(at), format!("{}- {item}\n", " ".repeat(dash))))
}

/// The column of the `- ` introducing a YAML block sequence item.
fn dash_column(snapshot: &Snapshot, item: &Node) -> Option<usize> {
    let before = snapshot.text.get(..item.range.start() as usize)?;
    let dash = before.trim_end_matches(' ').strip_suffix('-')?.len();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Some(snapshot.text.get(line_start..dash)?.chars().count())
}

/// The sibling file name with another extension: `flow.asl.json` → `flow.asld`.
fn sibling(uri: &str, to: &str) -> String {
    let lower = uri.to_ascii_lowercase();
    let stem_len = [".asl.json", ".asl.yaml", ".asl.yml", ".asld", ".json", ".yaml", ".yml"]
        .iter()
        .find(|ext| lower.ends_with(*ext))
        .map_or(uri.len(), |ext| uri.len() - ext.len());
    format!("{}{to}", &uri[..stem_len])
}

fn convert(snapshot: &Snapshot, analysis: &Analysis, uri: &str, out: &mut Vec<Action>) {
    if analysis.template.is_some() {
        return;
    }
    let Some(machine) = analysis.machines.first() else { return };
    match snapshot.language {
        Language::Dsl => {
            if analysis.diagnostics.iter().any(|d| d.is_error() && d.code.starts_with("D-")) {
                return;
            }
            let mut text = aslc_dsl::print_asl(&machine.node);
            if !text.ends_with('\n') {
                text.push('\n');
            }
            let target = sibling(uri, ".asl.json");
            out.push(Action {
                title: format!("Convert to ASL JSON (`{}`)", target.rsplit('/').next().unwrap_or(&target)),
                quick_fix: false,
                edits: Vec::new(),
                new_file: Some((target, text)),
                diagnostic: None,
            });
        }
        Language::Json | Language::Yaml => {
            let Some(text) = aslc_dsl::decompile(&machine.node) else { return };
            let target = sibling(uri, ".asld");
            out.push(Action {
                title: format!(
                    "Convert to the workflow language (`{}`)",
                    target.rsplit('/').next().unwrap_or(&target)
                ),
                quick_fix: false,
                edits: Vec::new(),
                new_file: Some((target, text)),
                diagnostic: None,
            });
        }
    }
}
