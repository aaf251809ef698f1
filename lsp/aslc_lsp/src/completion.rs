//! Completion: state names where a state is named, fields valid for the state type and
//! query language, state types, error names, intrinsics (as snippets), context paths,
//! common integrations, and the DSL's keywords.
//!
//! The text being typed is rarely valid, so the context comes from the text before the
//! cursor; the object a new key goes into is found by reading the document again with the
//! half-typed key removed.

use aslc_query::intrinsic::Function;
use aslc_source::TextRange;
use aslc_syntax::Node;
use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, InsertTextFormat, MarkupContent,
    MarkupKind, TextEdit,
};

use crate::analysis::{parse, Analysis, Machine};
use crate::docs;
use crate::document::{Language, Snapshot};
use crate::index::locate;

/// What is completed and the range the item replaces.
struct Item {
    label: String,
    kind: CompletionItemKind,
    detail: Option<String>,
    doc: Option<String>,
    insert: String,
    snippet: bool,
}

impl Item {
    fn new(label: impl Into<String>, kind: CompletionItemKind) -> Item {
        let label = label.into();
        Item { insert: label.clone(), label, kind, detail: None, doc: None, snippet: false }
    }

    fn detail(mut self, detail: impl Into<String>) -> Item {
        self.detail = Some(detail.into());
        self
    }

    fn doc(mut self, doc: impl Into<String>) -> Item {
        self.doc = Some(doc.into());
        self
    }

    fn insert(mut self, insert: impl Into<String>) -> Item {
        self.insert = insert.into();
        self
    }

    fn into_lsp(self, snapshot: &Snapshot, replace: TextRange) -> CompletionItem {
        CompletionItem {
            label: self.label,
            kind: Some(self.kind),
            detail: self.detail,
            documentation: self.doc.map(|value| {
                Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value })
            }),
            insert_text_format: Some(if self.snippet {
                InsertTextFormat::SNIPPET
            } else {
                InsertTextFormat::PLAIN_TEXT
            }),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(snapshot.range(replace), self.insert))),
            ..CompletionItem::default()
        }
    }
}

/// The completions at `offset`.
pub fn complete(snapshot: &Snapshot, analysis: &Analysis, offset: u32) -> Vec<CompletionItem> {
    let text = &*snapshot.text;
    let offset = offset.min(u32::try_from(text.len()).unwrap_or(u32::MAX));
    let before = &text[..offset as usize];
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let machine = analysis.machine_at(offset).or(analysis.machines.first());
    let (items, replace) = if snapshot.language == Language::Dsl {
        dsl(line, offset, machine)
    } else {
        asl(snapshot, before, line, offset, machine)
    };
    items.into_iter().map(|item| item.into_lsp(snapshot, replace)).collect()
}

/// The start of the token being typed: letters, digits and `_.$:-/` back from `offset`.
fn token_start(before: &str, offset: u32) -> u32 {
    let len = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '$' | ':' | '-' | '/'))
        .map(char::len_utf8)
        .sum::<usize>();
    offset - len as u32
}

fn state_names(machine: Option<&Machine>, scope: usize) -> Vec<Item> {
    let Some(machine) = machine else { return Vec::new() };
    let Some(scope) = machine.index.scopes.get(scope) else { return Vec::new() };
    scope
        .states
        .iter()
        .map(|&s| {
            let state = &machine.index.states[s];
            Item::new(&*state.name, CompletionItemKind::REFERENCE)
                .detail(format!("{} state", state.type_name.as_deref().unwrap_or("?")))
        })
        .collect()
}

/// The value of one of `fields` is being typed: `"Next": "Fo` (JSON, on any line) or
/// `Next: Fo` (YAML).
fn value_of<'a>(before: &str, fields: &[&'a str]) -> Option<&'a str> {
    let is_token = |c: char| c.is_alphanumeric() || "_.$:-/".contains(c);
    let mut rest = before.trim_end_matches(is_token);
    // A token starting with `:` began at the key's colon (`"Next":"Fo`).
    if before[rest.len()..].starts_with(':') {
        rest = &before[..rest.len() + 1];
    }
    let rest = rest.strip_suffix(['"', '\'']).unwrap_or(rest).trim_end_matches([' ', '\t']);
    let rest = rest.strip_suffix(':')?.trim_end_matches([' ', '\t']);
    let key = match rest.strip_suffix(['"', '\'']) {
        Some(inner) => &inner[inner.rfind(['"', '\'']).map_or(0, |i| i + 1)..],
        None => {
            &rest[rest
                .rfind(|c: char| c.is_whitespace() || c == '-' || c == '{' || c == ',')
                .map_or(0, |i| i + 1)..]
        }
    };
    fields.iter().find(|f| **f == key).copied()
}

fn asl(
    snapshot: &Snapshot,
    before: &str,
    line: &str,
    offset: u32,
    machine: Option<&Machine>,
) -> (Vec<Item>, TextRange) {
    let start = token_start(before, offset);
    let token = &before[start as usize..];
    let replace = TextRange::new(start, offset);
    if let Some(field) = value_of(before, &["Next", "Default", "StartAt"]) {
        let scope = machine.map_or(0, |m| {
            if field == "StartAt" {
                m.index.scope_containing(offset)
            } else {
                m.index.state_containing(offset).map_or(0, |s| m.index.states[s].scope)
            }
        });
        return (state_names(machine, scope), replace);
    }
    if value_of(before, &["Type"]).is_some() {
        let items = docs::STATE_TYPES
            .iter()
            .map(|(name, doc)| Item::new(*name, CompletionItemKind::ENUM_MEMBER).doc(*doc))
            .collect();
        return (items, replace);
    }
    if value_of(before, &["Resource"]).is_some() {
        let items = docs::RESOURCES
            .iter()
            .map(|(arn, doc)| Item::new(*arn, CompletionItemKind::VALUE).doc(*doc))
            .collect();
        return (items, replace);
    }
    if in_error_list(before) {
        let items = docs::ERRORS
            .iter()
            .map(|(name, doc)| Item::new(*name, CompletionItemKind::CONSTANT).detail("error name").doc(*doc))
            .collect();
        return (items, replace);
    }
    if token.starts_with("$$") || token.starts_with("$states.context") {
        let prefix = if token.starts_with("$$") { "$$." } else { "$states.context." };
        let items = docs::CONTEXT_PATHS
            .iter()
            .map(|(path, doc)| Item::new(format!("{prefix}{path}"), CompletionItemKind::FIELD).doc(*doc))
            .collect();
        return (items, replace);
    }
    if token.starts_with("States.") || (token.starts_with('S') && inside_string(line)) {
        return (intrinsics(), replace);
    }
    if let Some((items, replace)) = keys(snapshot, before, offset, machine) {
        return (items, replace);
    }
    (Vec::new(), replace)
}

fn inside_string(line: &str) -> bool {
    line.chars().filter(|c| *c == '"').count() % 2 == 1
}

fn intrinsics() -> Vec<Item> {
    Function::ALL
        .iter()
        .map(|&f| {
            let mut item = Item::new(format!("States.{}", f.name()), CompletionItemKind::FUNCTION)
                .detail(docs::signature(f))
                .doc(docs::intrinsic_doc(f))
                .insert(docs::intrinsic_snippet(f));
            item.snippet = true;
            item
        })
        .collect()
}

/// Whether the cursor is inside the array of an `ErrorEquals`.
fn in_error_list(before: &str) -> bool {
    let Some(at) = before.rfind("ErrorEquals") else { return false };
    let rest = &before[at..];
    if rest.contains([']', '}']) {
        return false;
    }
    // JSON arrays open with `[`; YAML block sequences have `- ` items.
    rest.contains('[')
        || rest.lines().skip(1).all(|l| l.trim_start().starts_with('-') || l.trim().is_empty())
            && rest.contains('\n')
}

/// Field names for the object a key is being typed in.
fn keys(
    snapshot: &Snapshot,
    before: &str,
    offset: u32,
    machine: Option<&Machine>,
) -> Option<(Vec<Item>, TextRange)> {
    let text = &*snapshot.text;
    let start = token_start(before, offset);
    let (cut_start, cut_end, replace) = match snapshot.language {
        Language::Json => {
            // A key position: after `{` or `,`, maybe inside an opened string.
            let head = before[..start as usize].strip_suffix('"').unwrap_or(&before[..start as usize]);
            if !head.trim_end().ends_with(['{', ',']) {
                return None;
            }
            let quote = head.len() as u32;
            let rest = &text[offset as usize..];
            let tail = rest.len() - rest.trim_start_matches(|c: char| c.is_alphanumeric()).len();
            let mut end = offset + tail as u32;
            if text[end as usize..].starts_with('"') {
                end += 1;
            }
            (quote, end, TextRange::new(quote, end))
        }
        _ => {
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            if !before[line_start..start as usize].trim().is_empty() {
                return None;
            }
            let rest = &text[offset as usize..];
            let line_end = offset as usize + rest.find('\n').unwrap_or(rest.len());
            (start, line_end as u32, TextRange::new(start, line_end as u32))
        }
    };
    let mut patched = String::with_capacity(text.len());
    patched.push_str(&text[..cut_start as usize]);
    patched.push_str(&text[cut_end as usize..]);
    let (tree, _) = parse(&patched, snapshot.language);
    let tree = tree?;
    let (node, key, holder, is_root) = match snapshot.language {
        Language::Json => {
            let (path, _) = locate(&tree, cut_start);
            let last = path.iter().rposition(|s| s.node.as_object().is_some())?;
            let holder = last.checked_sub(1).and_then(|i| path[i].key);
            (path[last].node, path[last].key, holder, last == 0)
        }
        _ => {
            let column = snapshot.position(start).character;
            yaml_object(&tree, &patched, cut_start, column)?
        }
    };
    let is_root = (is_root && !aslc_syntax::cfn::is_template(node)) || key == Some("Definition");
    let ql_root =
        machine.and_then(|m| m.node.get("QueryLanguage")).and_then(Node::as_str).unwrap_or("JSONPath");
    let existing: Vec<&str> = node.as_object().unwrap_or_default().iter().map(|m| &*m.key.text).collect();
    let fields: Vec<&'static str> = if let Some(type_name) = node.get("Type").and_then(Node::as_str) {
        let ql = match node.get("QueryLanguage").and_then(Node::as_str).unwrap_or(ql_root) {
            "JSONata" => aslc_ir::ir::QueryLanguage::Jsonata,
            _ => aslc_ir::ir::QueryLanguage::JsonPath,
        };
        aslc_ir::state_fields(type_name, ql)?
    } else if key == Some("States") {
        return Some((state_snippets(snapshot.language, ql_root == "JSONata"), replace));
    } else if holder == Some("States") {
        vec!["Type", "Comment"]
    } else if is_root {
        vec!["StartAt", "States", "Comment", "TimeoutSeconds", "Version", "QueryLanguage"]
    } else if matches!(key, Some("ItemProcessor" | "Iterator")) {
        vec!["StartAt", "States", "Comment", "ProcessorConfig"]
    } else if holder == Some("Branches") {
        vec!["StartAt", "States", "Comment"]
    } else if holder == Some("Retry") {
        vec![
            "ErrorEquals",
            "IntervalSeconds",
            "MaxAttempts",
            "BackoffRate",
            "MaxDelaySeconds",
            "JitterStrategy",
            "Comment",
        ]
    } else if matches!(holder, Some("Choices" | "And" | "Or" | "Not")) || key == Some("Not") {
        // A JSONata rule is a `Condition`; a JSONPath rule compares a `Variable` (the
        // state's own `QueryLanguage` is not known here, the machine's is).
        let jsonata = ql_root == "JSONata";
        let mut fields: Vec<String> = if jsonata {
            ["Condition", "Next", "Assign", "Output", "Comment"].map(String::from).to_vec()
        } else {
            ["Variable", "Next", "And", "Or", "Not", "Assign", "Comment"].map(String::from).to_vec()
        };
        if holder != Some("Choices") {
            fields.retain(|f| !matches!(f.as_str(), "Next" | "Assign" | "Output" | "Condition" | "Comment"));
        }
        if !jsonata {
            fields.extend(docs::comparison_operators());
        }
        let items = fields
            .into_iter()
            .filter(|f| !existing.contains(&f.as_str()))
            .map(|field| {
                let insert = match snapshot.language {
                    Language::Json => format!("\"{field}\": "),
                    _ => format!("{field}: "),
                };
                let doc = docs::comparison(&field).or_else(|| docs::field(&field).map(str::to_string));
                let item = Item::new(field, CompletionItemKind::PROPERTY).insert(insert);
                match doc {
                    Some(doc) => item.doc(doc),
                    None => item,
                }
            })
            .collect();
        return Some((items, replace));
    } else if holder == Some("Catch") {
        vec!["ErrorEquals", "Next", "ResultPath", "Output", "Assign", "Comment"]
    } else {
        return None;
    };
    let items = fields
        .into_iter()
        .filter(|f| !existing.contains(f))
        .map(|field| {
            let insert = match snapshot.language {
                Language::Json => format!("\"{field}\": "),
                _ => format!("{field}: "),
            };
            let mut item = Item::new(field, CompletionItemKind::PROPERTY).insert(insert);
            if let Some(doc) = docs::field(field) {
                item = item.doc(doc);
            }
            item
        })
        .collect();
    Some((items, replace))
}

/// A new state of each type, as a snippet: its name, then the fields it needs.
fn state_snippets(language: Language, jsonata: bool) -> Vec<Item> {
    let bodies: [(&str, &str); 8] = [
        ("Task", r#""Type": "Task", "Resource": "${2:arn:aws:states:::lambda:invoke}", "Next": "$3""#),
        ("Pass", r#""Type": "Pass", "Next": "$2""#),
        ("Wait", r#""Type": "Wait", "Seconds": ${2:10}, "Next": "$3""#),
        (
            "Choice",
            if jsonata {
                r#""Type": "Choice", "Choices": [{"Condition": "{% ${2:true} %}", "Next": "$3"}], "Default": "$4""#
            } else {
                r#""Type": "Choice", "Choices": [{"Variable": "\$.${2:field}", "StringEquals": "${3:value}", "Next": "$4"}], "Default": "$5""#
            },
        ),
        ("Parallel", r#""Type": "Parallel", "Branches": [{"StartAt": "$2", "States": {}}], "Next": "$3""#),
        ("Map", r#""Type": "Map", "ItemProcessor": {"StartAt": "$2", "States": {}}, "Next": "$3""#),
        ("Succeed", r#""Type": "Succeed""#),
        ("Fail", r#""Type": "Fail", "Error": "${2:Error}", "Cause": "${3:cause}""#),
    ];
    bodies
        .iter()
        .map(|(type_name, body)| {
            let name = match language {
                Language::Json => r#""${1:Name}""#,
                _ => "${1:Name}",
            };
            let mut item = Item::new(format!("{type_name} state"), CompletionItemKind::SNIPPET)
                .detail(format!("a new `{type_name}` state"))
                .insert(format!("{name}: {{{body}}}"));
            if let Some(doc) = docs::state_type(type_name) {
                item = item.doc(doc);
            }
            item.snippet = true;
            item
        })
        .collect()
}

/// An object, the key that leads to it, the key of its parent, and whether it is the root.
type ObjectContext<'a> = (&'a Node, Option<&'a str>, Option<&'a str>, bool);

/// The YAML mapping a key typed at `column` on the line of `offset` goes into: the last
/// mapping before `offset` whose keys start at that column.
fn yaml_object<'a>(tree: &'a Node, text: &str, offset: u32, column: u32) -> Option<ObjectContext<'a>> {
    let index = aslc_source::LineIndex::new(text);
    let mut best: Option<(u32, ObjectContext<'a>)> = None;
    // Each entry: an object context and its depth.
    let mut stack: Vec<(ObjectContext<'a>, usize)> = vec![((tree, None, None, true), 0)];
    while let Some(((node, key, holder, is_root), depth)) = stack.pop() {
        if depth > 128 {
            continue;
        }
        match &node.value {
            aslc_syntax::NodeValue::Object(members) => {
                if let Some(first) = members.first() {
                    let col = index.line_col_utf16(text, first.key_range.start()).column - 1;
                    if col == column && first.key_range.start() < offset {
                        let last = members
                            .iter()
                            .map(|m| m.key_range.start())
                            .filter(|&s| s < offset)
                            .max()
                            .unwrap_or(0);
                        if best.as_ref().is_none_or(|(b, _)| last > *b) {
                            best = Some((last, (node, key, holder, is_root)));
                        }
                    }
                }
                for member in members {
                    stack.push(((&member.value, Some(&member.key.text), key, false), depth + 1));
                }
            }
            aslc_syntax::NodeValue::Array(items) => {
                for item in items {
                    stack.push(((item, None, key, false), depth + 1));
                }
            }
            _ => {}
        }
    }
    best.map(|(_, ctx)| ctx)
}

/// The DSL: state names after `goto` and `start`, keywords elsewhere.
fn dsl(line: &str, offset: u32, machine: Option<&Machine>) -> (Vec<Item>, TextRange) {
    let start = token_start(line, offset);
    let replace = TextRange::new(start, offset);
    let prefix = line[..line.len() - (offset - start) as usize].trim_end();
    if prefix.ends_with("goto") || prefix.ends_with("start") || prefix.ends_with("default") {
        let scope =
            machine.map_or(0, |m| m.index.state_containing(offset).map_or(0, |s| m.index.states[s].scope));
        return (state_names(machine, scope), replace);
    }
    if prefix.split_whitespace().next().is_some_and(|w| w == "task") && prefix.split_whitespace().count() == 2
    {
        let items = docs::RESOURCES
            .iter()
            .filter_map(|(arn, doc)| {
                let action = arn.strip_prefix("arn:aws:states:::")?;
                let (service, call) = action.split_once(':')?;
                (!call.contains([':', '.']))
                    .then(|| Item::new(format!("{service}.{call}"), CompletionItemKind::VALUE).doc(*doc))
            })
            .collect();
        return (items, replace);
    }
    let token = &line[line.len() - (offset - start) as usize..];
    if token.starts_with("States.") {
        return (intrinsics(), replace);
    }
    let mut items: Vec<Item> = ["task", "pass", "wait", "choice", "parallel", "map", "succeed", "fail"]
        .iter()
        .map(|k| {
            let type_name = match *k {
                "task" => "Task",
                "pass" => "Pass",
                "wait" => "Wait",
                "choice" => "Choice",
                "parallel" => "Parallel",
                "map" => "Map",
                "succeed" => "Succeed",
                _ => "Fail",
            };
            Item::new(*k, CompletionItemKind::KEYWORD).doc(docs::state_type(type_name).unwrap_or_default())
        })
        .collect();
    items.extend(
        [
            "goto",
            "end",
            "policy",
            "args",
            "select",
            "into",
            "output",
            "assign",
            "retry",
            "catch",
            "use",
            "timeout",
            "heartbeat",
            "comment",
            "input",
            "result",
            "branch",
            "process",
            "each",
            "if",
            "else",
            "raw",
            "query",
        ]
        .iter()
        .map(|k| Item::new(*k, CompletionItemKind::KEYWORD)),
    );
    (items, replace)
}
