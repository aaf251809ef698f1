//! The spanned value tree shared by the JSON and YAML readers.

use aslc_source::{write_json_string, TextRange};

/// The string type of the tree and of everything read from it: up to 24 bytes are stored
/// inline, so keys (`Type`, `Next`, `Resource`) and most short values cost no allocation
/// to read, clone or drop.
pub type Text = compact_str::CompactString;

/// A JSON value with the byte range it was read from.
#[derive(Clone, PartialEq, Debug)]
pub struct Node {
    /// The whole value in the source: a string's range includes its quotes.
    pub range: TextRange,
    /// The value.
    pub value: NodeValue,
}

/// The kinds of JSON value.
#[derive(Clone, PartialEq, Debug)]
pub enum NodeValue {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, kept as its exact source text (`1e400` and 20-digit integers survive).
    Number(Text),
    /// A string, decoded.
    String(Str),
    /// An array.
    Array(Vec<Node>),
    /// An object, members in source order (duplicates are kept and reported by the reader).
    Object(Vec<Member>),
}

/// A decoded string and, where its text appears verbatim in the source, where.
#[derive(Clone, PartialEq, Debug)]
pub struct Str {
    /// The decoded text.
    pub text: Text,
    /// Offset of the decoded text's first byte in the source when every decoded byte `i`
    /// sits at `verbatim + i` (no escapes, no folding); `None` otherwise.
    pub verbatim: Option<u32>,
}

/// One `key: value` pair of an object.
#[derive(Clone, PartialEq, Debug)]
pub struct Member {
    /// The decoded key.
    pub key: Str,
    /// The key's range in the source (with quotes for JSON).
    pub key_range: TextRange,
    /// The value.
    pub value: Node,
}

impl Node {
    /// A node of `value` at `range`.
    pub fn new(range: TextRange, value: NodeValue) -> Node {
        Node { range, value }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::String(s) => Some(&s.text),
            _ => None,
        }
    }

    /// The string with its source mapping, if this is one.
    pub fn as_spanned_str(&self) -> Option<&Str> {
        match &self.value {
            NodeValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.value {
            NodeValue::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            NodeValue::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            NodeValue::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The number's source text, if this is a number.
    pub fn as_number_text(&self) -> Option<&str> {
        match &self.value {
            NodeValue::Number(text) => Some(text),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self.value, NodeValue::Null)
    }

    /// The first member named `key`, if this is an object that has one.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.member(key).map(|m| &m.value)
    }

    /// The first member named `key`, with its key span.
    pub fn member(&self, key: &str) -> Option<&Member> {
        self.as_object()?.iter().find(|m| &*m.key.text == key)
    }

    /// The JSON type name, as used in messages: `object`, `array`, `string`, `number`,
    /// `boolean`, `null`.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            NodeValue::Null => "null",
            NodeValue::Bool(_) => "boolean",
            NodeValue::Number(_) => "number",
            NodeValue::String(_) => "string",
            NodeValue::Array(_) => "array",
            NodeValue::Object(_) => "object",
        }
    }

    /// The byte range of a part of this string value: `inner` is a range into the decoded
    /// text. Where the text is not verbatim in the source the whole node's range is used.
    pub fn inner_range(&self, inner: TextRange) -> TextRange {
        match &self.value {
            NodeValue::String(Str { verbatim: Some(base), .. }) => inner.shift(*base),
            _ => self.range,
        }
    }

    /// Converts to a `serde_json`-free plain JSON text, compactly (numbers as written).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_json(self, &mut out);
        out
    }
}

impl Str {
    /// A string with no source mapping.
    pub fn synthetic(text: impl Into<Text>) -> Str {
        Str { text: text.into(), verbatim: None }
    }
}

impl std::ops::Deref for Str {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

fn write_json(node: &Node, out: &mut String) {
    match &node.value {
        NodeValue::Null => out.push_str("null"),
        NodeValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        NodeValue::Number(text) => out.push_str(text),
        NodeValue::String(s) => write_json_string(&s.text, out),
        NodeValue::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(item, out);
            }
            out.push(']');
        }
        NodeValue::Object(members) => {
            out.push('{');
            for (i, member) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json_string(&member.key.text, out);
                out.push(':');
                write_json(&member.value, out);
            }
            out.push('}');
        }
    }
}
