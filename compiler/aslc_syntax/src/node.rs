//! The spanned value tree shared by the JSON and YAML readers.

use aslc_source::TextRange;

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
    Number(Box<str>),
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
    pub text: Box<str>,
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
    pub fn synthetic(text: impl Into<Box<str>>) -> Str {
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

/// Appends `text` as a JSON string literal with the escapes JSON requires.
pub fn write_json_string(text: &str, out: &mut String) {
    out.reserve(text.len() + 2);
    out.push('"');
    // Runs of bytes that need no escape are copied whole; every escaped character is
    // ASCII, so the runs end on character boundaries.
    let bytes = text.as_bytes();
    let mut run = 0;
    loop {
        let end = run + plain_run(&bytes[run..]);
        out.push_str(&text[run..end]);
        let Some(&byte) = bytes.get(end) else {
            break;
        };
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 0xf)]));
            }
        }
        run = end + 1;
    }
    out.push('"');
}

/// The length of the run of plain string content at the start of `bytes`: up to the
/// closing quote, an escape, a control character (an error) or the end.
///
/// Eight bytes are tested at a time: a byte of the word is flagged when it is below `0x20`
/// or equal to `"` or `\`. The borrows of the subtractions can flag bytes above a flagged
/// one, never below it, so the lowest flag is the first special byte.
pub(crate) fn plain_run(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut done = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        let quote = word ^ (ONES * u64::from(b'"'));
        let backslash = word ^ (ONES * u64::from(b'\\'));
        let flags = (word.wrapping_sub(ONES * 0x20) & !word
            | quote.wrapping_sub(ONES) & !quote
            | backslash.wrapping_sub(ONES) & !backslash)
            & HIGHS;
        if flags != 0 {
            return done + (flags.trailing_zeros() / 8) as usize;
        }
        done += 8;
    }
    let rest = chunks.remainder();
    done + rest.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(rest.len())
}

#[cfg(test)]
mod tests {
    use super::{plain_run, write_json_string};

    #[test]
    fn json_strings_escape_quotes_backslashes_and_controls_only() {
        let mut out = String::new();
        write_json_string("plain ü \"q\" \\ \n\r\t\u{08}\u{0c}\u{01}\u{1f} end", &mut out);
        assert_eq!(out, "\"plain ü \\\"q\\\" \\\\ \\n\\r\\t\\b\\f\\u0001\\u001f end\"");
        let mut empty = String::new();
        write_json_string("", &mut empty);
        assert_eq!(empty, "\"\"");
    }

    /// The word-at-a-time scan stops where a byte-by-byte scan does, for a special byte at
    /// every position of a word and next to bytes that could carry a borrow.
    #[test]
    fn plain_run_stops_at_the_first_special_byte() {
        let naive = |bytes: &[u8]| {
            bytes.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(bytes.len())
        };
        let fillers: [u8; 8] = [b'a', b' ', b'!', b'#', b'[', b']', 0x7f, 0xc3];
        for len in 0..24 {
            for at in 0..=len {
                for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                    for filler in fillers {
                        let mut bytes = vec![filler; len];
                        if at < len {
                            bytes[at] = special;
                            if at + 1 < len {
                                bytes[at + 1] = 0x00;
                            }
                        }
                        assert_eq!(plain_run(&bytes), naive(&bytes), "{bytes:?}");
                    }
                }
            }
        }
        assert_eq!(plain_run("héllo wörld, ünïcode\"".as_bytes()), "héllo wörld, ünïcode".len());
    }
}
