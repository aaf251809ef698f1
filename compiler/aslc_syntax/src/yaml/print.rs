//! Writing a [`Node`] tree as block-style YAML, for `aslc compile --format yaml`.
//!
//! Strings are written plain where every YAML reader (1.1 and 1.2 alike) reads them back
//! as the same string, and as double-quoted JSON strings otherwise, so `Yes`, `1.0`,
//! `null` or `a: b` stay strings. Numbers keep their exact text.

use aslc_source::write_json_string;

use crate::node::{Node, NodeValue};

/// The YAML text of `node`, ending in a newline.
pub fn print(node: &Node) -> String {
    let mut out = String::new();
    match &node.value {
        NodeValue::Object(members) if !members.is_empty() => write_members(node, 0, &mut out),
        NodeValue::Array(items) if !items.is_empty() => write_items(node, 0, &mut out),
        _ => {
            write_scalar(node, &mut out);
            out.push('\n');
        }
    }
    out
}

fn indent(level: usize, out: &mut String) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

/// Writes the members of an object at `level`, one per line.
fn write_members(node: &Node, level: usize, out: &mut String) {
    let Some(members) = node.as_object() else { return };
    for member in members {
        indent(level, out);
        write_string(&member.key.text, out);
        out.push(':');
        write_value_after_key(&member.value, level, out);
    }
}

fn write_value_after_key(value: &Node, level: usize, out: &mut String) {
    match &value.value {
        NodeValue::Object(members) if !members.is_empty() => {
            out.push('\n');
            write_members(value, level + 1, out);
        }
        NodeValue::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_items(value, level + 1, out);
        }
        _ => {
            out.push(' ');
            write_scalar(value, out);
            out.push('\n');
        }
    }
}

/// Writes the elements of an array at `level`, one `- ` per element.
fn write_items(node: &Node, level: usize, out: &mut String) {
    let Some(items) = node.as_array() else { return };
    for item in items {
        indent(level, out);
        out.push_str("- ");
        match &item.value {
            NodeValue::Object(members) if !members.is_empty() => {
                // The first member shares the dash's line; the others align with it.
                let mut first = String::new();
                write_members(item, level + 1, &mut first);
                out.push_str(first.trim_start());
            }
            NodeValue::Array(items) if !items.is_empty() => {
                out.push('\n');
                write_items(item, level + 1, out);
            }
            _ => {
                write_scalar(item, out);
                out.push('\n');
            }
        }
    }
}

fn write_scalar(node: &Node, out: &mut String) {
    match &node.value {
        NodeValue::Null => out.push_str("null"),
        NodeValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        NodeValue::Number(text) => out.push_str(text),
        NodeValue::String(s) => write_string(&s.text, out),
        NodeValue::Object(_) => out.push_str("{}"),
        NodeValue::Array(_) => out.push_str("[]"),
    }
}

fn write_string(text: &str, out: &mut String) {
    if is_plain_safe(text) {
        out.push_str(text);
    } else {
        // A JSON string literal is a valid YAML double-quoted scalar.
        write_json_string(text, out);
    }
}

/// Whether `text` reads back as the same string when written plain.
fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else { return false };
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) || first.is_whitespace() {
        return false;
    }
    if text.ends_with(char::is_whitespace) || text.ends_with(':') {
        return false;
    }
    if text.contains(": ") || text.contains(" #") || text.chars().any(|c| c.is_control() || c == '\u{feff}') {
        return false;
    }
    // Words YAML 1.1 or 1.2 resolve to null, booleans or numbers.
    let lower = text.to_ascii_lowercase();
    let reserved =
        ["null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", ".inf", "-.inf", "+.inf", ".nan"];
    if reserved.contains(&lower.as_str()) {
        return false;
    }
    let looks_numeric =
        text.chars().all(|c| c.is_ascii_digit() || "+-._eExXoObB".contains(c) || c.is_ascii_hexdigit())
            && text.chars().any(|c| c.is_ascii_digit());
    !looks_numeric
}

#[cfg(test)]
mod tests {
    use super::*;
    use aslc_source::FileId;

    fn round_trip(json: &str) {
        let node = crate::json::parse(json, FileId(0)).node.unwrap();
        let yaml = print(&node);
        let back = crate::yaml::parse(&yaml, FileId(0));
        assert!(back.diagnostics.is_empty(), "{yaml}\n{:?}", back.diagnostics);
        assert_eq!(back.node.unwrap().to_json(), node.to_json(), "{yaml}");
    }

    #[test]
    fn values_survive_a_round_trip() {
        round_trip(
            r##"{"StartAt": "Yes", "States": {"Yes": {"Type": "Pass", "Result": [1, "2", "1.0", null, true, "null", "a: b", "#x", "", " s", {"k": []}, [[1], {}]], "End": true}}}"##,
        );
        round_trip(
            r#"{"n": 1e400, "big": 123456789012345678901, "s": "line\nbreak", "q": "it's \"quoted\"", "p.$": "$.x"}"#,
        );
        round_trip(r#"[{"a": 1, "b": {"c": [1, 2]}}, "-", "on"]"#);
    }

    #[test]
    fn layout_is_block_style() {
        let node = crate::json::parse(r#"{"A": {"B": [1, {"C": "d", "E": "f"}]}}"#, FileId(0)).node.unwrap();
        assert_eq!(print(&node), "A:\n  B:\n    - 1\n    - C: d\n      E: f\n");
    }
}
