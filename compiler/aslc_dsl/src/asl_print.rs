//! The canonical ASL JSON printer (dsl.md §10): 2-space indent, a container on one line
//! (`{"k": v, "k2": v}`, `[a, b]`) when that line fits in 100 columns counting a following
//! comma, otherwise one member per line; numbers are written from their lexeme, strings
//! with minimal escapes, and the output ends with a newline.
//!
//! It prints members in the order of the tree: lowering already emits them in the
//! canonical order, and [`crate::format_asl`] reorders a definition read from JSON.

use aslc_syntax::{write_json_string, Node, NodeValue};

/// The line width containers are fitted into.
pub const WIDTH: usize = 100;

/// Prints `node` as canonical ASL JSON.
pub fn print_asl(node: &Node) -> String {
    let mut out = String::new();
    write(node, 0, 0, 0, &mut out);
    out.push('\n');
    out
}

/// Writes `node` whose first character sits at column `column` of a line indented
/// `indent` levels; `trailer` columns (a comma) follow it on its last line.
fn write(node: &Node, indent: usize, column: usize, trailer: usize, out: &mut String) {
    let budget = WIDTH.saturating_sub(column + trailer);
    if !is_nonempty_container(node) {
        inline_into(node, out);
        return;
    }
    // Build the one-line form only as far as it can fit, so deep trees stay linear.
    let mut one_line = String::new();
    if inline_capped(node, &mut one_line, budget * 4) && one_line.chars().count() <= budget {
        out.push_str(&one_line);
        return;
    }
    let pad = "  ".repeat(indent + 1);
    match &node.value {
        NodeValue::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad);
                let comma = usize::from(i + 1 < items.len());
                write(item, indent + 1, pad.len(), comma, out);
                if comma == 1 {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&"  ".repeat(indent));
            out.push(']');
        }
        NodeValue::Object(members) => {
            out.push_str("{\n");
            for (i, m) in members.iter().enumerate() {
                out.push_str(&pad);
                let before = out.len();
                write_json_string(&m.key.text, out);
                out.push_str(": ");
                let key_cols = out[before..].chars().count();
                let comma = usize::from(i + 1 < members.len());
                write(&m.value, indent + 1, pad.len() + key_cols, comma, out);
                if comma == 1 {
                    out.push(',');
                }
                out.push('\n');
            }
            out.push_str(&"  ".repeat(indent));
            out.push('}');
        }
        _ => inline_into(node, out),
    }
}

/// Writes the one-line form of `node`, stopping (and returning `false`) once `out` is
/// longer than `cap` bytes.
fn inline_capped(node: &Node, out: &mut String, cap: usize) -> bool {
    match &node.value {
        NodeValue::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if !inline_capped(item, out, cap) {
                    return false;
                }
            }
            out.push(']');
        }
        NodeValue::Object(members) => {
            out.push('{');
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_json_string(&m.key.text, out);
                out.push_str(": ");
                if !inline_capped(&m.value, out, cap) {
                    return false;
                }
            }
            out.push('}');
        }
        _ => inline_into(node, out),
    }
    out.len() <= cap
}

fn is_nonempty_container(node: &Node) -> bool {
    match &node.value {
        NodeValue::Array(items) => !items.is_empty(),
        NodeValue::Object(members) => !members.is_empty(),
        _ => false,
    }
}

fn inline_into(node: &Node, out: &mut String) {
    match &node.value {
        NodeValue::Null => out.push_str("null"),
        NodeValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        NodeValue::Number(text) => out.push_str(text),
        NodeValue::String(s) => write_json_string(&s.text, out),
        NodeValue::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                inline_into(item, out);
            }
            out.push(']');
        }
        NodeValue::Object(members) => {
            out.push('{');
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_json_string(&m.key.text, out);
                out.push_str(": ");
                inline_into(&m.value, out);
            }
            out.push('}');
        }
    }
}
