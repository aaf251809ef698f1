//! A fast reader for the block-style YAML that definitions and templates are written in.
//!
//! `saphyr-parser` reads any YAML, but at some two hundred instructions per byte: it
//! decodes characters one at a time, allocates per token and goes through an event stream.
//! Most definitions use a small part of YAML: block mappings and sequences, plain, quoted
//! and `|`/`>` scalars, comments, CloudFormation short-form tags and `[…]`/`{…}` collections
//! on one line. This reader handles exactly that part, byte by byte, and builds the tree the
//! general reader would build (values, ranges, key ranges, verbatim offsets), reusing its
//! scalar resolution ([`super::scalar`]) and tags ([`super::tags`]).
//!
//! It declines (returns `None`) on anything else: flow collections over several lines or
//! with empty entries, trailing commas, comments or single-pair mappings, anchors and aliases,
//! directives and document markers past the first `---`, tabs, carriage returns, control
//! characters, indentation it does not expect, and any input for which the general reader
//! would report a diagnostic (duplicate keys, `.inf`, unknown tags, syntax errors). The
//! general reader then reads the text as before, so every diagnostic comes from it.
//! Ranges follow `saphyr-parser`'s spans as the general reader turns them into nodes, quirks
//! included: a quoted scalar's range runs over the blanks and comment after it, an empty
//! value sits at its mapping's `:` or at the end of its sequence entry's line, a block
//! scalar's range runs from its header to where the next token starts, a flow collection's
//! over the blanks after its closing bracket.

use std::hash::BuildHasher;

use rustc_hash::{FxBuildHasher, FxHashSet};
use saphyr_parser::ScalarStyle;

use aslc_source::TextRange;

use super::scalar::{self, Resolved};
use super::{split_get_att, tags, verbatim_offset};
use crate::node::{Member, Node, NodeValue, Str};

/// How deeply collections may nest before the reader declines; far below the general
/// reader's bound, so recursion stays shallow.
const MAX_NESTING: usize = 64;

/// The longest key the reader accepts: YAML bounds simple keys at 1024 characters.
const MAX_KEY_LEN: usize = 1000;

/// Mappings with more members than this look duplicate keys up in a hash set.
const SCAN_LIMIT: usize = 16;

/// The tree of `text` when it is in the subset this reader handles exactly.
pub(super) fn read(text: &str) -> Option<Node> {
    if u32::try_from(text.len()).is_err() || !supported_bytes(text.as_bytes()) {
        return None;
    }
    let mut reader = Fast { text, bytes: text.as_bytes(), pos: 0, line_start: 0, col: -1, depth: 0 };
    reader.document()
}

/// Whether `bytes` holds only characters the reader treats exactly: no tabs, carriage
/// returns or other control characters, no byte order mark, no line or paragraph
/// separators, no non-characters, and no last line of blanks alone.
fn supported_bytes(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        // Eight printable ASCII characters and line breaks at a time.
        if let Some(chunk) = bytes.get(i..i + 8) {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            if printable_ascii(u64::from_le_bytes(word)) {
                i += 8;
                continue;
            }
        }
        match bytes[i] {
            b'\n' | 0x20..=0x7e | 0x80..=0xc1 | 0xc3..=0xe1 | 0xe3..=0xee | 0xf0..=0xf4 => {}
            // C1 controls, U+0085 (a line break to YAML 1.1) among them.
            0xc2 => {
                if matches!(bytes.get(i + 1), Some(0x80..=0x9f)) {
                    return false;
                }
            }
            // U+2028 and U+2029.
            0xe2 => {
                if bytes.get(i + 1) == Some(&0x80) && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9)) {
                    return false;
                }
            }
            // U+FEFF (a byte order mark), U+FFFE and U+FFFF.
            0xef => match (bytes.get(i + 1), bytes.get(i + 2)) {
                (Some(0xbb), Some(0xbf)) | (Some(0xbf), Some(0xbe | 0xbf)) => return false,
                _ => {}
            },
            _ => return false,
        }
        i += 1;
    }
    // A last line of spaces alone, with no line break, changes how a block scalar before it
    // ends; such files are left to the general reader.
    let last_line = bytes.rsplit(|&b| b == b'\n').next().unwrap_or_default();
    last_line.is_empty() || last_line.iter().any(|&b| b != b' ')
}

/// Whether each byte of `word` is a line break or printable ASCII (`0x20..=0x7e`).
fn printable_ascii(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    if word & HIGH != 0 {
        return false;
    }
    // Every byte is below 0x80 now, so no sum below carries into the next byte.
    let control = !(word + 0x60 * ONES) & HIGH;
    let delete = (word + ONES) & HIGH;
    let line_break = !((word ^ (b'\n' as u64 * ONES)) + 0x7f * ONES) & HIGH;
    (control & !line_break) | delete == 0
}

/// Why a plain scalar's text stopped on its line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// At a `:` followed by a blank or the end of the line: the scalar is a key.
    Colon,
    /// At a ` #` comment.
    Comment,
    /// At the line break or the end of the text.
    Eol,
}

/// A mapping key read, up to its `:`.
struct Key {
    key: Str,
    range: TextRange,
    /// Offset of the `:`.
    colon: usize,
}

/// A quoted scalar read, up to its closing quote.
struct Quoted {
    value: String,
    style: ScalarStyle,
    start: usize,
    /// Offset just past the closing quote.
    close_end: usize,
    multiline: bool,
}

struct Fast<'a> {
    text: &'a str,
    bytes: &'a [u8],
    /// The read position.
    pos: usize,
    /// Start of the line `pos` is on.
    line_start: usize,
    /// Between nodes: the column of the content at `pos`, or -1 at the end of the text.
    col: isize,
    depth: usize,
}

fn blank_or_end(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | 0)
}

impl<'a> Fast<'a> {
    /// The byte at `i`, or 0 past the end (the text holds no NUL).
    fn byte(&self, i: usize) -> u8 {
        self.bytes.get(i).copied().unwrap_or(0)
    }

    fn skip_spaces(&self, mut i: usize) -> usize {
        while self.byte(i) == b' ' {
            i += 1;
        }
        i
    }

    fn line_end(&self, i: usize) -> usize {
        match self.bytes[i.min(self.bytes.len())..].iter().position(|&b| b == b'\n') {
            Some(n) => i + n,
            None => self.bytes.len(),
        }
    }

    /// Whether `i` starts a `---` or `...` document marker.
    fn document_marker(&self, i: usize) -> bool {
        let three = &self.bytes[i.min(self.bytes.len())..];
        (three.starts_with(b"---") || three.starts_with(b"...")) && blank_or_end(self.byte(i + 3))
    }

    /// From the start of a line, skips empty and comment lines to the next content, setting
    /// `col`; declines at a document marker.
    fn next_line(&mut self) -> Option<()> {
        let (start, i) = self.skip_empty_lines();
        self.at_content(start, i)
    }

    /// Skips empty and comment lines from the start of a line; returns the start of the
    /// first other line and where its content begins.
    fn skip_empty_lines(&mut self) -> (usize, usize) {
        loop {
            let start = self.pos;
            let i = self.skip_spaces(start);
            match self.byte(i) {
                b'\n' => self.pos = i + 1,
                b'#' => self.pos = (self.line_end(i) + 1).min(self.bytes.len()),
                _ => return (start, i),
            }
        }
    }

    /// Moves to the content at `i` of the line starting at `start` (the end of the text
    /// sets `col` to -1); declines at a document marker.
    fn at_content(&mut self, start: usize, i: usize) -> Option<()> {
        self.pos = i;
        self.line_start = start;
        if self.byte(i) == 0 {
            self.col = -1;
            return Some(());
        }
        if i == start && self.document_marker(i) {
            return None;
        }
        self.col = isize::try_from(i - start).ok()?;
        Some(())
    }

    /// Skips the blanks and comment that end the line at `pos`, then the line break, then
    /// empty and comment lines; declines at other content. Returns where the line's blanks
    /// and comment end (its line break, or the end of the text).
    fn finish_line(&mut self) -> Option<usize> {
        let i = self.skip_spaces(self.pos);
        let stop = match self.byte(i) {
            b'#' if i > self.pos || i == self.line_start => self.line_end(i),
            b'\n' | 0 => i,
            _ => return None,
        };
        self.pos = (stop + 1).min(self.bytes.len());
        self.next_line()?;
        Some(stop)
    }

    fn document(&mut self) -> Option<Node> {
        self.next_line_or_marker()?;
        if self.col != 0 {
            return None;
        }
        let node = self.node(-1, true, true)?;
        if self.col != -1 || !matches!(node.value, NodeValue::Object(_) | NodeValue::Array(_)) {
            return None;
        }
        Some(node)
    }

    /// The first content of the text, past a leading `---` line.
    fn next_line_or_marker(&mut self) -> Option<()> {
        let (start, i) = self.skip_empty_lines();
        if i == start && self.bytes[i..].starts_with(b"---") && blank_or_end(self.byte(i + 3)) {
            self.pos = i + 3;
            self.line_start = start;
            let after = self.skip_spaces(self.pos);
            if after == self.pos && self.byte(after) == b'#' {
                return None;
            }
            self.finish_line()?;
            return Some(());
        }
        self.at_content(start, i)
    }

    /// Reads the node at `pos` inside a block indented `indent` columns. `compact`: a block
    /// collection may start here (the node begins its line or follows `- `); `resolve`: a
    /// plain scalar is resolved by the core schema (it is untagged).
    fn node(&mut self, indent: isize, compact: bool, resolve: bool) -> Option<Node> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return None;
        }
        let node = self.node_inner(indent, compact, resolve);
        self.depth -= 1;
        node
    }

    fn node_inner(&mut self, indent: isize, compact: bool, resolve: bool) -> Option<Node> {
        let col = self.pos - self.line_start;
        let first = self.byte(self.pos);
        match first {
            b'-' if blank_or_end(self.byte(self.pos + 1)) => {
                if !compact {
                    return None;
                }
                self.sequence(col, isize::try_from(col).ok()?, false)
            }
            b'!' => self.tagged(indent),
            b'|' | b'>' => self.block_scalar(indent),
            b'"' | b'\'' => {
                let quoted = self.quoted(indent)?;
                let after = self.skip_spaces(quoted.close_end);
                if self.byte(after) == b':' && blank_or_end(self.byte(after + 1)) {
                    if !compact || quoted.multiline {
                        return None;
                    }
                    let key = self.quoted_key(quoted, after)?;
                    return self.mapping(col, key);
                }
                self.quoted_value(quoted)
            }
            b'[' | b'{' => {
                // A flow collection that starts its line is left to the general reader.
                if self.bytes[self.line_start..self.pos].iter().all(|&b| b == b' ') {
                    return None;
                }
                self.flow_value()
            }
            b'&' | b'*' | b'?' | b':' | b'%' | b'@' | b'`' | b',' | b']' | b'}' | b'#' => None,
            _ => {
                let start = self.pos;
                let (end, stop, at) = self.plain_line(start);
                if stop == Stop::Colon {
                    if !compact || at - start > MAX_KEY_LEN {
                        return None;
                    }
                    let key = Key {
                        key: Str {
                            text: self.text[start..end].into(),
                            verbatim: Some(u32::try_from(start).ok()?),
                        },
                        range: TextRange::from_usize(start, end),
                        colon: at,
                    };
                    return self.mapping(col, key);
                }
                self.plain(indent, resolve, start, end, stop, at)
            }
        }
    }

    /// The first line of a plain scalar starting at `start`: where its text ends (trailing
    /// blanks excluded), why, and where it stopped.
    fn plain_line(&self, start: usize) -> (usize, Stop, usize) {
        let mut i = start;
        let (stop, at) = loop {
            match self.byte(i) {
                b'\n' | 0 => break (Stop::Eol, i),
                b':' if blank_or_end(self.byte(i + 1)) => break (Stop::Colon, i),
                b'#' if i > start && self.byte(i - 1) == b' ' => break (Stop::Comment, i),
                _ => i += 1,
            }
        };
        let mut end = at;
        while end > start && self.byte(end - 1) == b' ' {
            end -= 1;
        }
        (end, stop, at)
    }

    /// A mapping whose first key, at column `col`, is read.
    fn mapping(&mut self, col: usize, first: Key) -> Option<Node> {
        let indent = isize::try_from(col).ok()?;
        let start = first.range.start() as usize;
        let mut end = start;
        let mut members: Vec<Member> = Vec::new();
        let mut hashes = FxHashSet::default();
        let mut key = first;
        loop {
            if Self::duplicate(&members, &mut hashes, &key.key.text) {
                return None;
            }
            self.pos = key.colon + 1;
            let value = self.mapping_value(indent, key.colon)?;
            end = end.max(key.range.end() as usize).max(value.range.end() as usize);
            members.push(Member { key: key.key, key_range: key.range, value });
            match self.col.cmp(&indent) {
                std::cmp::Ordering::Equal => key = self.key()?,
                std::cmp::Ordering::Less => break,
                std::cmp::Ordering::Greater => return None,
            }
        }
        Some(Node::new(TextRange::from_usize(start, end), NodeValue::Object(members)))
    }

    /// Whether `key` is already a key of `members`; small mappings are scanned, large ones
    /// keep the hashes of their keys and scan only when a hash repeats.
    fn duplicate(members: &[Member], hashes: &mut FxHashSet<u64>, key: &str) -> bool {
        if members.len() < SCAN_LIMIT {
            return members.iter().any(|m| &*m.key.text == key);
        }
        let hasher = FxBuildHasher;
        if hashes.is_empty() {
            hashes.extend(members.iter().map(|m| hasher.hash_one(&*m.key.text)));
        }
        !hashes.insert(hasher.hash_one(key)) && members.iter().any(|m| &*m.key.text == key)
    }

    /// The value after a key's `:` (at `pos`, just past it).
    fn mapping_value(&mut self, indent: isize, colon: usize) -> Option<Node> {
        let i = self.skip_spaces(self.pos);
        match self.byte(i) {
            b'\n' | 0 | b'#' => {
                self.finish_line()?;
                let col = self.col;
                if col > indent {
                    self.node(indent, true, true)
                } else if col == indent && self.dash_entry(self.pos) {
                    // A sequence at its key's indentation.
                    self.depth += 1;
                    if self.depth > MAX_NESTING {
                        return None;
                    }
                    let node = self.sequence(self.pos - self.line_start, indent, true);
                    self.depth -= 1;
                    node
                } else {
                    Some(Node::new(TextRange::from_usize(colon, colon), NodeValue::Null))
                }
            }
            _ => {
                self.pos = i;
                self.node(indent, false, true)
            }
        }
    }

    fn dash_entry(&self, i: usize) -> bool {
        self.byte(i) == b'-' && blank_or_end(self.byte(i + 1))
    }

    /// A key at `pos`, which starts a line of a mapping.
    fn key(&mut self) -> Option<Key> {
        let start = self.pos;
        match self.byte(start) {
            b'"' | b'\'' => {
                let quoted = self.quoted(self.col)?;
                if quoted.multiline {
                    return None;
                }
                let after = self.skip_spaces(quoted.close_end);
                if self.byte(after) != b':' || !blank_or_end(self.byte(after + 1)) {
                    return None;
                }
                self.quoted_key(quoted, after)
            }
            b'-' | b'?' | b':' if blank_or_end(self.byte(start + 1)) => None,
            b'[' | b'{' | b'!' | b'&' | b'*' | b'|' | b'>' | b'%' | b'@' | b'`' | b',' | b']' | b'}'
            | b'#' => None,
            _ => {
                let (end, stop, at) = self.plain_line(start);
                if stop != Stop::Colon || at - start > MAX_KEY_LEN {
                    return None;
                }
                Some(Key {
                    key: Str {
                        text: self.text[start..end].into(),
                        verbatim: Some(u32::try_from(start).ok()?),
                    },
                    range: TextRange::from_usize(start, end),
                    colon: at,
                })
            }
        }
    }

    /// A quoted key whose `:` is at `colon`: its range runs to the `:`, blanks included.
    fn quoted_key(&self, quoted: Quoted, colon: usize) -> Option<Key> {
        if colon - quoted.start > MAX_KEY_LEN {
            return None;
        }
        let verbatim = verbatim_offset(self.text, &quoted.value, quoted.style, quoted.start, colon);
        let range = TextRange::from_usize(quoted.start, colon);
        Some(Key { key: Str { text: quoted.value.into(), verbatim }, range, colon })
    }

    /// A sequence whose first `-` is at `pos`, column `col`; its entries' content belongs
    /// to a block indented `indent` columns (`col`, or its key's for a sequence at its key's
    /// indentation: `indentless`).
    fn sequence(&mut self, col: usize, indent: isize, indentless: bool) -> Option<Node> {
        let col = isize::try_from(col).ok()?;
        let mut start = self.pos;
        let mut end = start;
        let mut items = Vec::new();
        loop {
            self.pos += 1;
            let i = self.skip_spaces(self.pos);
            let first = items.is_empty();
            let item = match self.byte(i) {
                b'\n' | 0 | b'#' => {
                    // The general reader starts a sequence at its key's indentation where its
                    // first entry's content starts; such starts are left to it.
                    if indentless && first && self.byte(i) == b'#' {
                        return None;
                    }
                    let stop = self.finish_line()?;
                    if self.col > indent {
                        if indentless && first {
                            return None;
                        }
                        self.node(indent, true, true)?
                    } else {
                        Node::new(TextRange::from_usize(stop, stop), NodeValue::Null)
                    }
                }
                b'|' | b'>' | b'[' | b'{' if indentless && first => return None,
                _ => {
                    self.pos = i;
                    if indentless && first && self.byte(i) == b'-' {
                        start = i;
                    }
                    self.node(indent, true, true)?
                }
            };
            end = end.max(item.range.end() as usize);
            items.push(item);
            if self.col == col && self.dash_entry(self.pos) {
                continue;
            }
            if self.col > col {
                return None;
            }
            break;
        }
        Some(Node::new(TextRange::from_usize(start, end), NodeValue::Array(items)))
    }

    /// A node with a CloudFormation short-form tag, in its long form.
    fn tagged(&mut self, indent: isize) -> Option<Node> {
        let tag_start = self.pos;
        let mut i = tag_start + 1;
        while self.byte(i).is_ascii_alphanumeric() {
            i += 1;
        }
        let key = tags::cfn_key(&self.text[tag_start + 1..i])?;
        let tag_range = TextRange::from_usize(tag_start, i);
        if !matches!(self.byte(i), b' ' | b'\n') {
            return None;
        }
        self.pos = i;
        let content = self.skip_spaces(i);
        let node = match self.byte(content) {
            b'\n' | b'#' => {
                self.finish_line()?;
                if self.col <= indent {
                    return None;
                }
                self.node(indent, true, false)?
            }
            b'!' | 0 => return None,
            b'-' if blank_or_end(self.byte(content + 1)) => return None,
            b'[' | b'{' => {
                self.pos = content;
                self.flow_value()?
            }
            _ => {
                self.pos = content;
                self.scalar(indent)?
            }
        };
        Some(wrap_cfn(key, tag_range, node))
    }

    /// A flow collection at `pos` that ends its line.
    fn flow_value(&mut self) -> Option<Node> {
        let node = self.flow()?;
        self.pos = node.range.end() as usize;
        self.finish_line()?;
        Some(node)
    }

    /// A `[…]` or `{…}` collection at `pos`, on one line, with no empty entries, trailing
    /// commas, comments or single-pair mappings. Its range runs over the blanks (and a
    /// comment ending the line) after its closing bracket; `pos` is left past the bracket.
    fn flow(&mut self) -> Option<Node> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return None;
        }
        let open = self.pos;
        let sequence = self.byte(open) == b'[';
        let close = if sequence { b']' } else { b'}' };
        let mut items = Vec::new();
        let mut members: Vec<Member> = Vec::new();
        let mut hashes = FxHashSet::default();
        self.pos = self.skip_spaces(open + 1);
        if self.byte(self.pos) != close {
            loop {
                if sequence {
                    items.push(self.flow_node(true)?);
                } else {
                    let key = self.flow_key()?;
                    if Self::duplicate(&members, &mut hashes, &key.key.text) {
                        return None;
                    }
                    self.pos = self.skip_spaces(key.colon + 1);
                    let value = self.flow_node(true)?;
                    members.push(Member { key: key.key, key_range: key.range, value });
                }
                self.pos = self.skip_spaces(self.pos);
                match self.byte(self.pos) {
                    b',' => {
                        self.pos = self.skip_spaces(self.pos + 1);
                        if matches!(self.byte(self.pos), b']' | b'}' | b',') {
                            return None;
                        }
                    }
                    b if b == close => break,
                    _ => return None,
                }
            }
        }
        self.pos += 1;
        let end = self.after_token(self.pos);
        self.depth -= 1;
        let value = if sequence { NodeValue::Array(items) } else { NodeValue::Object(members) };
        Some(Node::new(TextRange::from_usize(open, end), value))
    }

    /// Where the blanks after a token at `i` end, with a comment that ends the line.
    fn after_token(&self, i: usize) -> usize {
        let j = self.skip_spaces(i);
        if self.byte(j) == b'#' && j > i {
            self.line_end(j)
        } else {
            j
        }
    }

    /// A node inside a flow collection, at `pos`; `pos` is left just past it (past a quoted
    /// scalar's blanks). `resolve`: a plain scalar is resolved by the core schema.
    fn flow_node(&mut self, resolve: bool) -> Option<Node> {
        let start = self.pos;
        match self.byte(start) {
            b'[' | b'{' => {
                let node = self.flow()?;
                self.pos = node.range.end() as usize;
                Some(node)
            }
            b'!' if resolve => {
                let mut i = start + 1;
                while self.byte(i).is_ascii_alphanumeric() {
                    i += 1;
                }
                let key = tags::cfn_key(&self.text[start + 1..i])?;
                if self.byte(i) != b' ' {
                    return None;
                }
                let tag_range = TextRange::from_usize(start, i);
                self.pos = self.skip_spaces(i);
                let node = self.flow_node(false)?;
                Some(wrap_cfn(key, tag_range, node))
            }
            b'"' | b'\'' => {
                let quoted = self.quoted(isize::MAX)?;
                let end = self.skip_spaces(quoted.close_end);
                let verbatim = verbatim_offset(self.text, &quoted.value, quoted.style, start, end);
                self.pos = end;
                let range = TextRange::from_usize(start, end);
                Some(Node::new(range, NodeValue::String(Str { text: quoted.value.into(), verbatim })))
            }
            b'-' if matches!(self.byte(start + 1), b' ' | b'\n' | 0 | b',' | b'[' | b']' | b'{' | b'}') => {
                None
            }
            b'!' | b'&' | b'*' | b'?' | b':' | b'%' | b'@' | b'`' | b',' | b']' | b'}' | b'#' | b'|'
            | b'>' => None,
            _ => {
                let end = self.flow_plain(start)?;
                if self.byte(self.skip_spaces(end)) == b':' {
                    return None;
                }
                self.pos = end;
                let text = &self.text[start..end];
                let range = TextRange::from_usize(start, end);
                let verbatim = Some(u32::try_from(start).ok()?);
                let value = match if resolve { scalar::resolve_plain(text) } else { Resolved::String } {
                    Resolved::Null => NodeValue::Null,
                    Resolved::Bool(b) => NodeValue::Bool(b),
                    Resolved::Number(number) => NodeValue::Number(number.into()),
                    Resolved::String => NodeValue::String(Str { text: text.into(), verbatim }),
                    Resolved::Unrepresentable => return None,
                };
                Some(Node::new(range, value))
            }
        }
    }

    /// The end of a plain scalar in a flow collection (trailing blanks excluded), or `None`
    /// when it does not end on its line or meets a comment.
    fn flow_plain(&self, start: usize) -> Option<usize> {
        let mut i = start;
        loop {
            match self.byte(i) {
                b'\n' | 0 => return None,
                // `- ]` reads differently across readers; left to the general one.
                b',' | b'[' | b']' | b'{' | b'}' if self.byte(i - 1) == b'-' => return None,
                b',' | b'[' | b']' | b'{' | b'}' => break,
                b':' if matches!(self.byte(i + 1), b' ' | b'\n' | 0 | b',' | b'[' | b']' | b'{' | b'}') => {
                    break
                }
                b'#' if self.byte(i - 1) == b' ' => return None,
                _ => i += 1,
            }
        }
        while i > start && self.byte(i - 1) == b' ' {
            i -= 1;
        }
        (i > start).then_some(i)
    }

    /// A key in a flow mapping, at `pos`, followed by `: `.
    fn flow_key(&mut self) -> Option<Key> {
        let start = self.pos;
        let key = match self.byte(start) {
            b'"' | b'\'' => {
                let quoted = self.quoted(isize::MAX)?;
                let colon = self.skip_spaces(quoted.close_end);
                if self.byte(colon) != b':' {
                    return None;
                }
                self.quoted_key(quoted, colon)?
            }
            b'-' | b'!' | b'&' | b'*' | b'?' | b':' | b'%' | b'@' | b'`' | b',' | b'[' | b']' | b'{'
            | b'}' | b'#' | b'|' | b'>' => return None,
            _ => {
                let end = self.flow_plain(start)?;
                let colon = self.skip_spaces(end);
                if self.byte(colon) != b':' || colon - start > MAX_KEY_LEN {
                    return None;
                }
                Key {
                    key: Str {
                        text: self.text[start..end].into(),
                        verbatim: Some(u32::try_from(start).ok()?),
                    },
                    range: TextRange::from_usize(start, end),
                    colon,
                }
            }
        };
        (self.byte(key.colon + 1) == b' ').then_some(key)
    }

    /// A tagged scalar: a string whatever it looks like.
    fn scalar(&mut self, indent: isize) -> Option<Node> {
        match self.byte(self.pos) {
            b'|' | b'>' => self.block_scalar(indent),
            b'"' | b'\'' => {
                let quoted = self.quoted(indent)?;
                self.quoted_value(quoted)
            }
            b'&' | b'*' | b'?' | b':' | b'%' | b'@' | b'`' | b',' | b']' | b'}' | b'#' => None,
            _ => {
                let start = self.pos;
                let (end, stop, at) = self.plain_line(start);
                if stop == Stop::Colon {
                    return None;
                }
                self.plain(indent, false, start, end, stop, at)
            }
        }
    }

    /// A plain scalar whose first line is read; `resolve`: by the core schema (untagged).
    fn plain(
        &mut self,
        indent: isize,
        resolve: bool,
        start: usize,
        first_end: usize,
        stop: Stop,
        at: usize,
    ) -> Option<Node> {
        let mut end = first_end;
        let mut folded: Option<String> = None;
        let mut stop = stop;
        let mut at = at;
        // Continuation lines: indented past the block, neither empty nor comments.
        while stop == Stop::Eol && at < self.bytes.len() {
            let mut breaks = 0;
            let mut line = at + 1;
            let content = loop {
                let i = self.skip_spaces(line);
                if self.byte(i) == b'\n' {
                    breaks += 1;
                    line = i + 1;
                } else {
                    break i;
                }
            };
            let col = isize::try_from(content - line).ok()?;
            let first = self.byte(content);
            if first == 0 || first == b'#' || col <= indent {
                break;
            }
            if matches!(
                first,
                b'-' | b'?'
                    | b':'
                    | b'['
                    | b'{'
                    | b'!'
                    | b'&'
                    | b'*'
                    | b'|'
                    | b'>'
                    | b'%'
                    | b'@'
                    | b'`'
                    | b','
                    | b']'
                    | b'}'
                    | b'\''
                    | b'"'
            ) {
                return None;
            }
            let (line_end, line_stop, line_at) = self.plain_line(content);
            if line_stop == Stop::Colon {
                return None;
            }
            let value = folded.get_or_insert_with(|| self.text[start..first_end].to_owned());
            if breaks == 0 {
                value.push(' ');
            } else {
                value.extend(std::iter::repeat_n('\n', breaks));
            }
            value.push_str(&self.text[content..line_end]);
            end = line_end;
            stop = line_stop;
            at = line_at;
        }
        let range = TextRange::from_usize(start, end);
        let (resolved, verbatim) = {
            let text: &str = folded.as_deref().unwrap_or(&self.text[start..end]);
            let resolved = if resolve { scalar::resolve_plain(text) } else { Resolved::String };
            (resolved, verbatim_offset(self.text, text, ScalarStyle::Plain, start, end))
        };
        let value = match resolved {
            Resolved::Null => NodeValue::Null,
            Resolved::Bool(b) => NodeValue::Bool(b),
            Resolved::Number(number) => NodeValue::Number(number.into()),
            Resolved::String => {
                let text = match folded {
                    Some(value) => value.into(),
                    None => self.text[start..end].into(),
                };
                NodeValue::String(Str { text, verbatim })
            }
            Resolved::Unrepresentable => return None,
        };
        self.pos = end;
        self.finish_line()?;
        Some(Node::new(range, value))
    }

    /// A quoted scalar at `pos` whose continuation lines must be indented past `indent`.
    fn quoted(&mut self, indent: isize) -> Option<Quoted> {
        let start = self.pos;
        let single = self.byte(start) == b'\'';
        let style = if single { ScalarStyle::SingleQuoted } else { ScalarStyle::DoubleQuoted };
        let quote = self.byte(start);
        // One line with no escape: the text between the quotes.
        let mut i = start + 1;
        loop {
            match self.byte(i) {
                b'\n' | 0 | b'\\' => break,
                b if b == quote => {
                    if single && self.byte(i + 1) == b'\'' {
                        break;
                    }
                    return Some(Quoted {
                        value: self.text[start + 1..i].to_owned(),
                        style,
                        start,
                        close_end: i + 1,
                        multiline: false,
                    });
                }
                _ => i += 1,
            }
        }
        self.quoted_slow(start, single, indent)
    }

    /// A quoted scalar with escapes or line breaks, read as `saphyr-parser` reads it.
    fn quoted_slow(&self, start: usize, single: bool, indent: isize) -> Option<Quoted> {
        let style = if single { ScalarStyle::SingleQuoted } else { ScalarStyle::DoubleQuoted };
        let mut value = String::new();
        let mut i = start + 1;
        let mut multiline = false;
        let mut leading_break = false;
        let mut trailing_breaks = 0usize;
        // The start of the line last broken to, until its indentation is checked.
        let mut line: Option<usize> = None;
        loop {
            let mut leading_blanks = false;
            // Non-blank characters.
            let mut run = i;
            loop {
                match self.byte(i) {
                    b' ' | b'\n' | 0 => break,
                    b'\'' if single && self.byte(i + 1) == b'\'' => {
                        value.push_str(&self.text[run..=i]);
                        i += 2;
                        run = i;
                    }
                    b'\'' if single => break,
                    b'"' if !single => break,
                    b'\\' if !single && self.byte(i + 1) == b'\n' => {
                        value.push_str(&self.text[run..i]);
                        i += 2;
                        run = i;
                        multiline = true;
                        leading_blanks = true;
                        line = Some(i);
                        break;
                    }
                    b'\\' if !single => {
                        value.push_str(&self.text[run..i]);
                        let (ch, len) = self.escape(i)?;
                        value.push(ch);
                        i += len;
                        run = i;
                    }
                    _ => i += 1,
                }
            }
            value.push_str(&self.text[run..i]);
            let b = self.byte(i);
            if (single && b == b'\'') || (!single && b == b'"') {
                break;
            }
            if b == 0 {
                return None;
            }
            // Blanks and line breaks: blanks before a break are dropped, one break folds
            // to a space, more breaks to all but one of them.
            let whitespace = i;
            loop {
                match self.byte(i) {
                    b' ' => i += 1,
                    b'\n' => {
                        multiline = true;
                        if leading_blanks {
                            trailing_breaks += 1;
                        } else {
                            leading_break = true;
                            leading_blanks = true;
                        }
                        i += 1;
                        line = Some(i);
                    }
                    _ => break,
                }
            }
            if let Some(line) = line.take() {
                // Content after a line break must be indented past the block.
                let col = isize::try_from(i - line).ok()?;
                if col <= indent || self.byte(i) == 0 {
                    return None;
                }
            }
            if leading_blanks {
                if leading_break && trailing_breaks == 0 {
                    value.push(' ');
                } else {
                    value.extend(std::iter::repeat_n('\n', trailing_breaks));
                }
                leading_break = false;
                trailing_breaks = 0;
            } else {
                value.push_str(&self.text[whitespace..i]);
            }
        }
        Some(Quoted { value, style, start, close_end: i + 1, multiline })
    }

    /// The character a double-quoted escape at `i` stands for, and the escape's length.
    fn escape(&self, i: usize) -> Option<(char, usize)> {
        let simple = match self.byte(i + 1) {
            b'0' => '\0',
            b'a' => '\x07',
            b'b' => '\x08',
            b't' => '\t',
            b'n' => '\n',
            b'v' => '\x0b',
            b'f' => '\x0c',
            b'r' => '\r',
            b'e' => '\x1b',
            b' ' => ' ',
            b'"' => '"',
            b'/' => '/',
            b'\\' => '\\',
            b'N' => '\u{85}',
            b'_' => '\u{a0}',
            b'L' => '\u{2028}',
            b'P' => '\u{2029}',
            b'x' => return self.hex_escape(i, 2),
            b'u' => return self.hex_escape(i, 4),
            b'U' => return self.hex_escape(i, 8),
            _ => return None,
        };
        Some((simple, 2))
    }

    fn hex_escape(&self, i: usize, digits: usize) -> Option<(char, usize)> {
        let hex = self.text.get(i + 2..i + 2 + digits)?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let code = u32::from_str_radix(hex, 16).ok()?;
        Some((char::from_u32(code)?, 2 + digits))
    }

    /// A quoted scalar as a value: its range runs over the blanks and comment after it.
    fn quoted_value(&mut self, quoted: Quoted) -> Option<Node> {
        self.pos = quoted.close_end;
        let end = self.finish_line()?;
        let verbatim = verbatim_offset(self.text, &quoted.value, quoted.style, quoted.start, end);
        let range = TextRange::from_usize(quoted.start, end);
        Some(Node::new(range, NodeValue::String(Str { text: quoted.value.into(), verbatim })))
    }

    /// A `|` or `>` block scalar whose header is at `pos`, in a block indented `indent`.
    fn block_scalar(&mut self, indent: isize) -> Option<Node> {
        let header = self.pos;
        // A header that starts its line is left to the general reader.
        if self.bytes[self.line_start..header].iter().all(|&b| b == b' ') {
            return None;
        }
        let literal = self.byte(header) == b'|';
        let mut i = header + 1;
        let chomping = match self.byte(i) {
            b'-' => {
                i += 1;
                Chomping::Strip
            }
            b'+' => {
                i += 1;
                Chomping::Keep
            }
            _ => Chomping::Clip,
        };
        let j = self.skip_spaces(i);
        let line_break = match self.byte(j) {
            b'#' if j > i => self.line_end(j),
            _ => j,
        };
        if self.byte(line_break) != b'\n' {
            return None;
        }
        // Leading empty lines, then the first content line sets the indentation.
        let mut line = line_break + 1;
        let mut trailing_breaks = 0usize;
        let mut max_empty = 0;
        let first = loop {
            let k = self.skip_spaces(line);
            if self.byte(k) == b'\n' {
                max_empty = max_empty.max(k - line);
                trailing_breaks += 1;
                line = k + 1;
            } else {
                break k;
            }
        };
        let content_indent = first - line;
        if self.byte(first) == 0
            || max_empty > content_indent
            || isize::try_from(content_indent).ok()? <= indent
        {
            return None;
        }
        let mut value = String::new();
        let mut leading_break = false;
        let mut leading_blank = false;
        let mut k = first;
        loop {
            // At a content line's first character past the indentation.
            let trailing_blank = self.byte(k) == b' ';
            if !literal && leading_break && !leading_blank && !trailing_blank {
                if trailing_breaks == 0 {
                    value.push(' ');
                }
            } else if leading_break {
                value.push('\n');
            }
            value.extend(std::iter::repeat_n('\n', trailing_breaks));
            leading_break = false;
            trailing_breaks = 0;
            leading_blank = trailing_blank;
            let end = self.line_end(k);
            value.push_str(&self.text[k..end]);
            if end == self.bytes.len() {
                k = end;
                break;
            }
            leading_break = true;
            line = end + 1;
            // The indentation of the following lines, and the empty ones among them.
            loop {
                k = line;
                while k - line < content_indent && self.byte(k) == b' ' {
                    k += 1;
                }
                if self.byte(k) == b'\n' {
                    trailing_breaks += 1;
                    line = k + 1;
                } else {
                    break;
                }
            }
            if k - line < content_indent || self.byte(k) == 0 {
                break;
            }
        }
        if chomping != Chomping::Strip {
            if leading_break {
                value.push('\n');
            }
            if k == self.bytes.len() && k - line >= content_indent.max(1) {
                value.push('\n');
            }
        }
        if chomping == Chomping::Keep {
            value.extend(std::iter::repeat_n('\n', trailing_breaks));
        }
        let range = TextRange::from_usize(header, k);
        self.pos = line;
        self.next_line()?;
        Some(Node::new(range, NodeValue::String(Str { text: value.into(), verbatim: None })))
    }
}

/// The long form of a node tagged with a CloudFormation short form: `{key: node}`.
fn wrap_cfn(key: &'static str, tag_range: TextRange, node: Node) -> Node {
    let node = match &node.value {
        NodeValue::String(_) if key == "Fn::GetAtt" => split_get_att(node),
        _ => node,
    };
    // `Ref` and `Condition` are spelled in the tag right after the `!`.
    let verbatim = (!key.starts_with("Fn::")).then(|| tag_range.start() + 1);
    let range = tag_range.cover(node.range);
    let member = Member { key: Str { text: key.into(), verbatim }, key_range: tag_range, value: node };
    Node::new(range, NodeValue::Object(vec![member]))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Chomping {
    Strip,
    Clip,
    Keep,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_ascii_words() {
        let word = |bytes: &[u8; 8]| printable_ascii(u64::from_le_bytes(*bytes));
        assert!(word(b"abc: ~\n "));
        assert!(word(b"\n\n\n\n\n\n\n\n"));
        assert!(word(b"~~~~ !!!"));
        assert!(!word(b"abc\tdef "));
        assert!(!word(b"abc\rdef "));
        assert!(!word(b"abc\x7fdef "));
        assert!(!word(b"abc\x00def "));
        assert!(!word(b"abc\x1fdef "));
        assert!(!word(b"abc\x0bdef "));
        assert!(!word(&[b'a', 0xc3, 0xa9, b'b', b'c', b'd', b'e', b'f']));
    }

    #[test]
    fn supported_text() {
        assert!(supported_bytes("a: é日本\n".as_bytes()));
        assert!(supported_bytes(b"a: 12345678901234567890\nb: 1\n"));
        assert!(!supported_bytes(b"a: 12345678901234567890\tb: 1\n"));
        assert!(!supported_bytes("a: 1234567890\u{85}\n".as_bytes()));
        assert!(!supported_bytes("a: 1234567890\u{2028}\n".as_bytes()));
        assert!(!supported_bytes("\u{feff}a: 1234567890\n".as_bytes()));
        assert!(!supported_bytes(b"a: 1\n  "));
        // Every byte value, alone among printable ones.
        for b in 0..=0x7fu8 {
            let mut text = *b"abcdefghijklmnop";
            text[5] = b;
            assert_eq!(supported_bytes(&text), b == b'\n' || (0x20..=0x7e).contains(&b), "{b:#x}");
        }
    }
}
