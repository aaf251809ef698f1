//! A JSON reader that keeps spans, exact number text and duplicate keys.
//!
//! `serde_json` has no spans and silently keeps the last of two equal keys, so definitions
//! are read here. The reader is a byte-level recursive descent bounded by
//! [`MAX_DEPTH`](crate::MAX_DEPTH). It is strict JSON with one leniency: a trailing comma
//! before `]` or `}` is accepted with a warning, because SAM reads definition files with a
//! YAML reader and real `.asl.json` files deploy with them.

use std::hash::BuildHasher;

use rustc_hash::{FxBuildHasher, FxHashMap};

use aslc_source::{plain_run, Diagnostic, FileId, TextRange};

use crate::node::{Member, Node, NodeValue, Str};
use crate::{MAX_DEPTH, S_JSON_DEPTH, S_JSON_DUPKEY, S_JSON_SYNTAX, S_JSON_TRAILING_COMMA};

/// The result of reading a JSON text: the tree, unless the text was malformed, and what
/// was found on the way.
#[derive(Debug)]
pub struct Parsed {
    /// The value, `None` when a syntax error stopped the reader.
    pub node: Option<Node>,
    /// Syntax errors, duplicate keys, trailing-comma warnings.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads `text` as one JSON value.
pub fn parse(text: &str, file: FileId) -> Parsed {
    let mut reader = Reader::new(text, 0, file);
    let node = match reader.document() {
        Ok(node) => Some(node),
        Err(diagnostic) => {
            reader.diagnostics.push(*diagnostic);
            None
        }
    };
    Parsed { node, diagnostics: reader.diagnostics }
}

/// Reads the one value that starts at byte `start` of `text` exactly as [`parse`] reads it
/// when it meets that value at nesting depth `depth` (the number of arrays and objects
/// around it): spans are offsets into `text`, and the diagnostics are those found inside
/// the value. `None` when the value is malformed or `start` is not in `text`. An editor
/// re-reads one edited object this way; the caller checks that the value ends where the
/// rest of the old tree begins.
pub fn parse_value_at(
    text: &str,
    start: usize,
    depth: usize,
    file: FileId,
) -> Option<(Node, Vec<Diagnostic>)> {
    if start >= text.len() || !text.is_char_boundary(start) {
        return None;
    }
    let mut reader = Reader::new(text, start, file);
    let node = reader.value(depth).ok()?;
    Some((node, reader.diagnostics))
}

/// Reads bytes that should be UTF-8 JSON: invalid UTF-8 is a syntax error at the first
/// bad byte.
pub fn parse_bytes(bytes: &[u8], file: FileId) -> Parsed {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text, file),
        Err(err) => {
            let at = err.valid_up_to();
            let range = TextRange::from_usize(at, at + err.error_len().unwrap_or(0));
            let diagnostic = Diagnostic::error(S_JSON_SYNTAX, file, range, "the file is not valid UTF-8")
                .with_label("this byte does not start a UTF-8 character")
                .with_help("save the file as UTF-8");
            Parsed { node: None, diagnostics: vec![diagnostic] }
        }
    }
}

type Result<T> = std::result::Result<T, Box<Diagnostic>>;

/// Member count from which duplicate keys are found through a hash index.
const HASH_FROM: usize = 16;

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
    file: FileId,
    diagnostics: Vec<Diagnostic>,
    /// Offset of the last comma read, for the trailing-comma warning.
    comma_at: usize,
    /// The members of the objects being read, innermost last: an object's members are
    /// gathered here and copied into a vector of their exact number when it closes, so no
    /// vector grows (and moves its elements) one push at a time. It starts with one
    /// placeholder, never read, so that [`Vec::split_off`] always copies (at index 0 it
    /// would hand over the whole buffer).
    members: Vec<Member>,
    /// The elements of the arrays being read, as `members` holds members (with a
    /// placeholder at the bottom too).
    items: Vec<Node>,
}

impl<'a> Reader<'a> {
    fn new(text: &'a str, pos: usize, file: FileId) -> Reader<'a> {
        Reader {
            bytes: text.as_bytes(),
            text,
            pos,
            file,
            diagnostics: Vec::new(),
            comma_at: 0,
            members: vec![Member {
                key: Str::synthetic(""),
                key_range: TextRange::empty(0),
                value: Node::new(TextRange::empty(0), NodeValue::Null),
            }],
            items: vec![Node::new(TextRange::empty(0), NodeValue::Null)],
        }
    }

    fn document(&mut self) -> Result<Node> {
        self.skip_ws();
        if self.pos >= self.bytes.len() {
            return Err(self.error_at(self.pos, self.pos, "the document is empty", "expected a JSON value"));
        }
        let node = self.value(0)?;
        self.skip_ws();
        if self.pos < self.bytes.len() {
            let end = self.token_end(self.pos);
            return Err(self.error_at(
                self.pos,
                end,
                "unexpected text after the JSON value",
                "the value ended before this",
            ));
        }
        Ok(node)
    }

    fn value(&mut self, depth: usize) -> Result<Node> {
        let start = self.pos;
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let s = self.string()?;
                Ok(Node::new(TextRange::from_usize(start, self.pos), NodeValue::String(s)))
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.keyword("true", NodeValue::Bool(true)),
            Some(b'f') => self.keyword("false", NodeValue::Bool(false)),
            Some(b'n') => self.keyword("null", NodeValue::Null),
            Some(_) => {
                let end = self.token_end(start);
                Err(self.error_at(
                    start,
                    end,
                    "expected a JSON value",
                    "not a value: expected an object, array, string, number, `true`, `false` or `null`",
                ))
            }
            None => Err(self.error_at(start, start, "unexpected end of file", "expected a JSON value here")),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Node> {
        let start = self.pos;
        if depth >= MAX_DEPTH {
            return Err(self.too_deep(start));
        }
        self.pos += 1;
        let mut index = None;
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Node::new(TextRange::from_usize(start, self.pos), NodeValue::Object(Vec::new())));
        }
        // This object's members are `self.members[first..]`. On an error the stack is left
        // as it is: the reader stops there.
        let first = self.members.len();
        loop {
            self.skip_ws();
            let key_start = self.pos;
            match self.peek() {
                Some(b'"') => {}
                Some(b'}') if self.members.len() > first => {
                    // Trailing comma: the previous iteration consumed it.
                    self.trailing_comma_warning();
                    self.pos += 1;
                    break;
                }
                None => {
                    return Err(self.error_at(
                        key_start,
                        key_start,
                        "unexpected end of file inside an object",
                        "expected a key or `}`",
                    ))
                }
                Some(_) => {
                    let end = self.token_end(key_start);
                    return Err(self.error_at(
                        key_start,
                        end,
                        "expected a string key",
                        "object keys must be double-quoted strings",
                    ));
                }
            }
            let key = self.string()?;
            let key_range = TextRange::from_usize(key_start, self.pos);
            self.skip_ws();
            if self.peek() != Some(b':') {
                let at = self.pos;
                let end = self.token_end(at);
                return Err(self.error_at(
                    at,
                    end,
                    "expected `:` after the key",
                    "add a `:` between the key and its value",
                ));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            if let Some(earlier) = find_duplicate(&self.members[first..], &mut index, &key) {
                self.duplicate_key(&key, key_range, earlier);
            }
            self.members.push(Member { key, key_range, value });
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    self.comma_at = self.pos;
                    self.pos += 1;
                }
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                None => {
                    return Err(self.error_at(
                        self.pos,
                        self.pos,
                        "unexpected end of file inside an object",
                        "expected `,` or `}`",
                    ))
                }
                Some(_) => {
                    let at = self.pos;
                    let end = self.token_end(at);
                    return Err(self.error_at(
                        at,
                        end,
                        "expected `,` or `}` after an object member",
                        "add a comma between members",
                    ));
                }
            }
        }
        let members = self.members.split_off(first);
        Ok(Node::new(TextRange::from_usize(start, self.pos), NodeValue::Object(members)))
    }

    fn array(&mut self, depth: usize) -> Result<Node> {
        let start = self.pos;
        if depth >= MAX_DEPTH {
            return Err(self.too_deep(start));
        }
        self.pos += 1;
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Node::new(TextRange::from_usize(start, self.pos), NodeValue::Array(Vec::new())));
        }
        // As in `object`: this array's elements are `self.items[first..]`.
        let first = self.items.len();
        loop {
            self.skip_ws();
            if self.peek() == Some(b']') && self.items.len() > first {
                self.trailing_comma_warning();
                self.pos += 1;
                break;
            }
            let item = self.value(depth + 1)?;
            self.items.push(item);
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    self.comma_at = self.pos;
                    self.pos += 1;
                }
                Some(b']') => {
                    self.pos += 1;
                    break;
                }
                None => {
                    return Err(self.error_at(
                        self.pos,
                        self.pos,
                        "unexpected end of file inside an array",
                        "expected `,` or `]`",
                    ))
                }
                Some(_) => {
                    let at = self.pos;
                    let end = self.token_end(at);
                    return Err(self.error_at(
                        at,
                        end,
                        "expected `,` or `]` after an array element",
                        "add a comma between elements",
                    ));
                }
            }
        }
        let items = self.items.split_off(first);
        Ok(Node::new(TextRange::from_usize(start, self.pos), NodeValue::Array(items)))
    }

    fn string(&mut self) -> Result<Str> {
        let open = self.pos;
        self.pos += 1;
        let content_start = self.pos;
        // Fast path: scan to the closing quote; most strings have no escape.
        self.pos += plain_run(&self.bytes[content_start..]);
        match self.bytes.get(self.pos) {
            Some(b'"') => {
                let text = &self.text[content_start..self.pos];
                self.pos += 1;
                return Ok(Str { text: text.into(), verbatim: u32::try_from(content_start).ok() });
            }
            Some(b'\\') => {}
            Some(&b) => return Err(self.control_char(b)),
            None => return Err(self.unterminated(open)),
        }
        let mut out = String::with_capacity(self.pos - content_start + 16);
        out.push_str(&self.text[content_start..self.pos]);
        loop {
            let run_start = self.pos;
            self.pos += plain_run(&self.bytes[run_start..]);
            out.push_str(&self.text[run_start..self.pos]);
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Str { text: out.into(), verbatim: None });
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(&b) => return Err(self.control_char(b)),
                None => return Err(self.unterminated(open)),
            }
        }
    }

    /// A string opened at `open` that the text ends inside.
    fn unterminated(&self, open: usize) -> Box<Diagnostic> {
        self.error_at(open, self.pos, "unterminated string", "this string has no closing `\"`")
    }

    fn escape(&mut self, out: &mut String) -> Result<()> {
        let start = self.pos;
        self.pos += 1;
        let Some(&b) = self.bytes.get(self.pos) else {
            return Err(self.error_at(
                start,
                self.pos,
                "unterminated string",
                "the file ends inside an escape",
            ));
        };
        self.pos += 1;
        let ch = match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{08}',
            b'f' => '\u{0c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let high = self.hex4(start)?;
                if (0xD800..0xDC00).contains(&high) {
                    let low_start = self.pos;
                    if self.bytes.get(self.pos) == Some(&b'\\') && self.bytes.get(self.pos + 1) == Some(&b'u')
                    {
                        self.pos += 2;
                        let low = self.hex4(low_start)?;
                        if (0xDC00..0xE000).contains(&low) {
                            let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                            char::from_u32(code).unwrap_or('\u{FFFD}')
                        } else {
                            return Err(self.lone_surrogate(start, low_start));
                        }
                    } else {
                        return Err(self.lone_surrogate(start, self.pos));
                    }
                } else if (0xDC00..0xE000).contains(&high) {
                    return Err(self.lone_surrogate(start, self.pos));
                } else {
                    // Not a surrogate, so always a scalar value.
                    char::from_u32(high).unwrap_or('\u{FFFD}')
                }
            }
            _ => {
                let end = self.pos + self.text[self.pos - 1..].chars().next().map_or(1, char::len_utf8) - 1;
                return Err(self.error_at(
                    start,
                    end,
                    "invalid escape in a string",
                    "JSON allows only `\\\"`, `\\\\`, `\\/`, `\\b`, `\\f`, `\\n`, `\\r`, `\\t` and `\\uXXXX`",
                ));
            }
        };
        out.push(ch);
        Ok(())
    }

    fn hex4(&mut self, escape_start: usize) -> Result<u32> {
        let digits = self.bytes.get(self.pos..self.pos + 4);
        let value = digits.and_then(|d| std::str::from_utf8(d).ok()).and_then(|d| {
            if d.bytes().all(|b| b.is_ascii_hexdigit()) {
                u32::from_str_radix(d, 16).ok()
            } else {
                None
            }
        });
        match value {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => {
                let end = (self.pos + 4).min(self.bytes.len());
                let end = (self.pos..=end).rev().find(|&i| self.text.is_char_boundary(i)).unwrap_or(self.pos);
                Err(self.error_at(
                    escape_start,
                    end,
                    "invalid `\\u` escape",
                    "`\\u` must be followed by four hexadecimal digits",
                ))
            }
        }
    }

    fn lone_surrogate(&self, start: usize, end: usize) -> Box<Diagnostic> {
        self.error_at(
            start,
            end,
            "lone UTF-16 surrogate in a `\\u` escape",
            "a surrogate escape must be a high/low pair such as `\\ud83d\\ude00`",
        )
    }

    fn control_char(&self, byte: u8) -> Box<Diagnostic> {
        self.error_at(
            self.pos,
            self.pos + 1,
            &format!("unescaped control character U+{byte:04X} in a string"),
            "write it as an escape such as `\\n` or `\\u0000`",
        )
    }

    fn number(&mut self) -> Result<Node> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.bad_number(start)),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.bad_number(start));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.bad_number(start));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'.')) {
            return Err(self.bad_number(start));
        }
        let text = &self.text[start..self.pos];
        Ok(Node::new(TextRange::from_usize(start, self.pos), NodeValue::Number(text.into())))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    fn bad_number(&self, start: usize) -> Box<Diagnostic> {
        let end = self.token_end(start);
        self.error_at(
            start,
            end,
            "malformed number",
            "JSON numbers are `-?digits[.digits][e[+-]digits]` with no leading zeros",
        )
    }

    fn keyword(&mut self, word: &str, value: NodeValue) -> Result<Node> {
        let start = self.pos;
        // The word followed by the end of the text, ASCII whitespace or punctuation, as
        // `token_end` would delimit it, without walking the characters.
        let end = start + word.len();
        if self.bytes.get(start..end) == Some(word.as_bytes())
            && matches!(
                self.bytes.get(end),
                None | Some(b' ' | b'\t' | b'\n' | b'\r' | b',' | b':' | b'[' | b']' | b'{' | b'}' | b'"')
            )
        {
            self.pos = end;
            return Ok(Node::new(TextRange::from_usize(start, end), value));
        }
        let end = self.token_end(start);
        if &self.text[start..end] == word {
            self.pos = end;
            Ok(Node::new(TextRange::from_usize(start, end), value))
        } else {
            Err(self.error_at(
                start,
                end,
                "expected a JSON value",
                "not a value: expected an object, array, string, number, `true`, `false` or `null`",
            ))
        }
    }

    /// Reports the member `key` at `key_range` as a duplicate of `earlier`.
    fn duplicate_key(&mut self, key: &Str, key_range: TextRange, earlier: TextRange) {
        let diagnostic =
            Diagnostic::error(S_JSON_DUPKEY, self.file, key_range, format!("duplicate key `{}`", key.text))
                .with_label("this key is already used in this object")
                .with_secondary(self.file, earlier, "first used here")
                .with_help("remove one of the two members; AWS would silently keep only the last");
        self.diagnostics.push(diagnostic);
    }

    fn trailing_comma_warning(&mut self) {
        let at = self.comma_at;
        let diagnostic = Diagnostic::warning(
            S_JSON_TRAILING_COMMA,
            self.file,
            TextRange::from_usize(at, at + 1),
            "trailing comma",
        )
        .with_label("JSON allows no comma here")
        .with_help(
            "remove the comma: SAM's YAML reader accepts it, but AWS's API and most JSON tools reject it",
        );
        self.diagnostics.push(diagnostic);
    }

    fn too_deep(&self, start: usize) -> Box<Diagnostic> {
        Box::new(
            Diagnostic::error(
                S_JSON_DEPTH,
                self.file,
                TextRange::from_usize(start, start + 1),
                format!("the document nests deeper than {MAX_DEPTH} levels"),
            )
            .with_label("this value is too deeply nested")
            .with_help("flatten the document; no state machine needs this depth"),
        )
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        loop {
            match self.bytes.get(self.pos) {
                Some(b' ' | b'\t' | b'\r') => self.pos += 1,
                Some(b'\n') => {
                    self.pos += 1;
                    self.skip_indentation();
                }
                _ => return,
            }
        }
    }

    /// Skips the spaces after a line break eight bytes at a time: indentation is most of
    /// the whitespace of a pretty-printed definition.
    fn skip_indentation(&mut self) {
        const SPACES: u64 = u64::from_le_bytes([b' '; 8]);
        while let Some(chunk) = self.bytes.get(self.pos..self.pos + 8) {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            let differs = u64::from_le_bytes(word) ^ SPACES;
            if differs != 0 {
                // The lowest differing byte is the first that is not a space.
                self.pos += (differs.trailing_zeros() / 8) as usize;
                return;
            }
            self.pos += 8;
        }
    }

    /// End of the word starting at `start`, for a readable error span (at least one char).
    fn token_end(&self, start: usize) -> usize {
        let mut end = start;
        for (i, ch) in self.text[start..].char_indices() {
            if i > 0 && (ch.is_whitespace() || ",:[]{}\"".contains(ch)) {
                break;
            }
            end = start + i + ch.len_utf8();
            if end - start > 40 {
                break;
            }
        }
        end
    }

    fn error_at(&self, start: usize, end: usize, message: &str, label: &str) -> Box<Diagnostic> {
        Box::new(
            Diagnostic::error(S_JSON_SYNTAX, self.file, TextRange::from_usize(start, end), message)
                .with_label(label)
                .with_help("fix the JSON syntax; a definition must be one well-formed JSON object"),
        )
    }
}

/// The key range of the earlier member of `members` (the object read so far) that has
/// `key`, if any. Objects in definitions are small and a linear scan beats hashing there;
/// past [`HASH_FROM`] members a hash index (built on first need) keeps wide objects
/// linear. The index maps the hash of a key to the first member whose key has that hash,
/// so it copies no key; when that member's key differs (two keys with one hash), a scan
/// finds the answer.
fn find_duplicate(
    members: &[Member],
    index: &mut Option<FxHashMap<u64, usize>>,
    key: &Str,
) -> Option<TextRange> {
    let key = key.text.as_str();
    let scan = || members.iter().position(|m| m.key.text.as_str() == key);
    let first = if members.len() < HASH_FROM {
        scan()
    } else {
        let index = index.get_or_insert_with(|| {
            let mut map = FxHashMap::with_capacity_and_hasher(members.len() * 2, FxBuildHasher);
            for (i, m) in members.iter().enumerate() {
                map.entry(FxBuildHasher.hash_one(m.key.text.as_str())).or_insert(i);
            }
            map
        });
        // Members before this call are indexed; this key joins the index now.
        let hash = FxBuildHasher.hash_one(key);
        let found = match index.get(&hash) {
            Some(&i) if members[i].key.text.as_str() == key => Some(i),
            Some(_) => scan(),
            None => None,
        };
        index.entry(hash).or_insert(members.len());
        found
    };
    first.map(|i| members[i].key_range)
}
