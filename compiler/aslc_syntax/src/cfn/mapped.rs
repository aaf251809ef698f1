//! Text built from pieces of a source file, with where each piece came from.
//!
//! A `DefinitionString` is decoded from a YAML or JSON string (escapes, folded lines,
//! block indentation), then assembled by `Fn::Sub`/`Fn::Join` and substitutions. Each step
//! appends to a [`Mapped`] text, which records for every derived byte range its source
//! range: byte for byte where the text is copied, as a whole where it was rewritten.
//! The result becomes an [`OffsetMap`] that moves the spans of the parsed definition into
//! the template.

use std::ops::Range;

use aslc_source::{Diagnostic, TextRange};

use crate::node::{Member, Node, NodeValue, Str};
use crate::OffsetMap;

/// Derived text and its source map.
#[derive(Clone, Debug, Default)]
pub(crate) struct Mapped {
    pub(crate) text: String,
    segments: Vec<Segment>,
}

#[derive(Clone, Copy, Debug)]
struct Segment {
    derived: usize,
    len: usize,
    source: TextRange,
    exact: bool,
}

impl Mapped {
    /// Appends `text`, found byte for byte at `source_start`.
    pub(crate) fn push_exact(&mut self, text: &str, source_start: usize) {
        let source = TextRange::from_usize(source_start, source_start + text.len());
        self.push(text, source, true);
    }

    /// Appends `text`, which stands for the whole of `source`.
    pub(crate) fn push_whole(&mut self, text: &str, source: TextRange) {
        self.push(text, source, false);
    }

    fn push(&mut self, text: &str, source: TextRange, exact: bool) {
        if text.is_empty() {
            return;
        }
        let derived = self.text.len();
        self.text.push_str(text);
        if let Some(last) = self.segments.last_mut() {
            if exact
                && last.exact
                && last.derived + last.len == derived
                && last.source.end() == source.start()
            {
                last.len += text.len();
                last.source = last.source.cover(source);
                return;
            }
        }
        self.segments.push(Segment { derived, len: text.len(), source, exact });
    }

    /// Appends `other.text[range]` with its mapping.
    pub(crate) fn push_slice(&mut self, other: &Mapped, range: Range<usize>) {
        let Some(text) = other.text.get(range.clone()) else {
            return;
        };
        if text.is_empty() {
            return;
        }
        let base = self.text.len();
        self.text.push_str(text);
        for seg in &other.segments {
            let seg_end = seg.derived + seg.len;
            let from = seg.derived.max(range.start);
            let to = seg_end.min(range.end);
            if from >= to {
                continue;
            }
            let source = if seg.exact {
                let offset = (from - seg.derived) as u32;
                TextRange::new(seg.source.start() + offset, seg.source.start() + offset + (to - from) as u32)
            } else {
                seg.source
            };
            let derived = base + (from - range.start);
            let len = to - from;
            if let Some(last) = self.segments.last_mut() {
                if seg.exact
                    && last.exact
                    && last.derived + last.len == derived
                    && last.source.end() == source.start()
                {
                    last.len += len;
                    last.source = last.source.cover(source);
                    continue;
                }
            }
            self.segments.push(Segment { derived, len, source, exact: seg.exact });
        }
    }

    /// The source range `range` of the derived text came from.
    pub(crate) fn source_of(&self, range: Range<usize>) -> Option<TextRange> {
        let mut acc: Option<TextRange> = None;
        for seg in &self.segments {
            let from = seg.derived.max(range.start);
            let to = (seg.derived + seg.len).min(range.end);
            if from >= to {
                continue;
            }
            let source = if seg.exact {
                let offset = (from - seg.derived) as u32;
                TextRange::new(seg.source.start() + offset, seg.source.start() + offset + (to - from) as u32)
            } else {
                seg.source
            };
            acc = Some(acc.map_or(source, |a| a.cover(source)));
        }
        acc
    }

    /// Cuts the text to its first `len` bytes.
    fn truncate(&mut self, len: usize) {
        self.text.truncate(len);
        self.segments.retain(|seg| seg.derived < len);
        if let Some(last) = self.segments.last_mut() {
            if last.derived + last.len > len {
                let cut = last.derived + last.len - len;
                last.len -= cut;
                if last.exact {
                    last.source = TextRange::new(last.source.start(), last.source.end() - cut as u32);
                }
            }
        }
    }

    /// The offset map of the whole text.
    pub(crate) fn offset_map(&self) -> OffsetMap {
        let mut map = OffsetMap::new();
        for seg in &self.segments {
            map.push(seg.derived as u32, seg.len as u32, seg.source, seg.exact);
        }
        map
    }
}

/// The decoded text of a string node mapped to the bytes of `source` it was read from.
///
/// The reader keeps only whether a string is verbatim; here the string's source text is
/// decoded again (JSON or YAML double-quoted escapes, single quotes, folded plain lines,
/// literal and folded block scalars) while recording where each byte came from. When the
/// decoding does not reproduce the node's text the whole text maps to the node's range,
/// which is coarse but never wrong.
pub(crate) fn string_map(source: &str, node: &Node) -> Mapped {
    let NodeValue::String(s) = &node.value else {
        return Mapped::default();
    };
    let mut out = Mapped::default();
    if let Some(base) = s.verbatim {
        out.push_exact(&s.text, base as usize);
        return out;
    }
    let range = node.range.as_usize();
    let decoded = source.get(range.clone()).and_then(|slice| {
        let mut out = Mapped::default();
        let ok = match slice.as_bytes().first() {
            Some(b'"') => quoted(slice, range.start, b'"', &mut out),
            Some(b'\'') => quoted(slice, range.start, b'\'', &mut out),
            Some(b'|' | b'>') => block(slice, range.start, &s.text, &mut out),
            Some(_) => plain(slice, range.start, &mut out),
            None => false,
        };
        (ok && settle(&mut out, &s.text, node.range.end())).then_some(out)
    });
    match decoded {
        Some(mapped) => mapped,
        None => {
            out.push_whole(&s.text, node.range);
            out
        }
    }
}

/// Makes `out` equal `expected` where they differ only by block chomping (trailing line
/// breaks); `false` when they differ otherwise.
fn settle(out: &mut Mapped, expected: &str, end: u32) -> bool {
    if out.text == expected {
        return true;
    }
    if expected.len() < out.text.len() && out.text.starts_with(expected) {
        out.truncate(expected.len());
        return true;
    }
    if let Some(rest) = expected.strip_prefix(out.text.as_str()) {
        if rest.bytes().all(|b| b == b'\n') {
            out.push_whole(rest, TextRange::empty(end));
            return true;
        }
    }
    false
}

/// Decodes a JSON string or a YAML single- or double-quoted scalar starting at its quote.
fn quoted(slice: &str, base: usize, quote: u8, out: &mut Mapped) -> bool {
    let bytes = slice.as_bytes();
    let mut pos = 1;
    // Blanks are held back: before a line break they are not content.
    let mut blanks: Option<usize> = None;
    let flush = |blanks: &mut Option<usize>, pos: usize, out: &mut Mapped| {
        if let Some(start) = blanks.take() {
            out.push_exact(&slice[start..pos], base + start);
        }
    };
    while pos < bytes.len() {
        let b = bytes[pos];
        if b == quote {
            if quote == b'\'' && bytes.get(pos + 1) == Some(&b'\'') {
                flush(&mut blanks, pos, out);
                out.push_whole("'", TextRange::from_usize(base + pos, base + pos + 2));
                pos += 2;
                continue;
            }
            flush(&mut blanks, pos, out);
            return true;
        }
        match b {
            b'\\' if quote == b'"' => {
                flush(&mut blanks, pos, out);
                let Some(end) = escape(slice, pos, base, out) else {
                    return false;
                };
                pos = end;
            }
            b' ' | b'\t' => {
                blanks.get_or_insert(pos);
                pos += 1;
            }
            b'\r' | b'\n' => {
                blanks = None;
                pos = fold(slice, pos, base, out);
            }
            _ => {
                flush(&mut blanks, pos, out);
                let len = utf8_len(b);
                let Some(ch) = slice.get(pos..pos + len) else {
                    return false;
                };
                out.push_exact(ch, base + pos);
                pos += len;
            }
        }
    }
    false
}

/// Decodes a plain multi-line scalar.
fn plain(slice: &str, base: usize, out: &mut Mapped) -> bool {
    let bytes = slice.as_bytes();
    let mut pos = 0;
    let mut blanks: Option<usize> = None;
    while pos < bytes.len() {
        match bytes[pos] {
            b' ' | b'\t' => {
                blanks.get_or_insert(pos);
                pos += 1;
            }
            b'\r' | b'\n' => {
                blanks = None;
                pos = fold(slice, pos, base, out);
            }
            b => {
                if let Some(start) = blanks.take() {
                    out.push_exact(&slice[start..pos], base + start);
                }
                let len = utf8_len(b);
                let Some(ch) = slice.get(pos..pos + len) else {
                    return false;
                };
                out.push_exact(ch, base + pos);
                pos += len;
            }
        }
    }
    true
}

/// Folds the line break at `pos` and the empty lines after it: one break is a space,
/// `n` further empty lines are `n` line feeds. Returns where the next line's content starts.
fn fold(slice: &str, pos: usize, base: usize, out: &mut Mapped) -> usize {
    let bytes = slice.as_bytes();
    let start = pos;
    let mut pos = skip_break(bytes, pos);
    let mut empty_lines = 0;
    loop {
        while matches!(bytes.get(pos), Some(b' ' | b'\t')) {
            pos += 1;
        }
        if matches!(bytes.get(pos), Some(b'\r' | b'\n')) {
            empty_lines += 1;
            pos = skip_break(bytes, pos);
        } else {
            break;
        }
    }
    let source = TextRange::from_usize(base + start, base + pos);
    if empty_lines == 0 {
        out.push_whole(" ", source);
    } else {
        out.push_whole(&"\n".repeat(empty_lines), source);
    }
    pos
}

fn skip_break(bytes: &[u8], pos: usize) -> usize {
    match (bytes.get(pos), bytes.get(pos + 1)) {
        (Some(b'\r'), Some(b'\n')) => pos + 2,
        _ => pos + 1,
    }
}

/// Decodes the escape at `pos` (a backslash); returns the offset after it.
fn escape(slice: &str, pos: usize, base: usize, out: &mut Mapped) -> Option<usize> {
    let bytes = slice.as_bytes();
    let code = *bytes.get(pos + 1)?;
    let simple = match code {
        b'0' => Some('\0'),
        b'a' => Some('\u{07}'),
        b'b' => Some('\u{08}'),
        b't' | b'\t' => Some('\t'),
        b'n' => Some('\n'),
        b'v' => Some('\u{0b}'),
        b'f' => Some('\u{0c}'),
        b'r' => Some('\r'),
        b'e' => Some('\u{1b}'),
        b' ' => Some(' '),
        b'"' => Some('"'),
        b'/' => Some('/'),
        b'\\' => Some('\\'),
        b'N' => Some('\u{85}'),
        b'_' => Some('\u{a0}'),
        b'L' => Some('\u{2028}'),
        b'P' => Some('\u{2029}'),
        _ => None,
    };
    if let Some(ch) = simple {
        let end = pos + 2;
        out.push_whole(ch.encode_utf8(&mut [0; 4]), TextRange::from_usize(base + pos, base + end));
        return Some(end);
    }
    match code {
        // An escaped line break joins the lines without a space.
        b'\r' | b'\n' => {
            let mut end = skip_break(bytes, pos + 1);
            while matches!(bytes.get(end), Some(b' ' | b'\t')) {
                end += 1;
            }
            Some(end)
        }
        b'x' | b'u' | b'U' => {
            let width = match code {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            let digits = slice.get(pos + 2..pos + 2 + width)?;
            let value = u32::from_str_radix(digits, 16).ok()?;
            let mut end = pos + 2 + width;
            let ch = if (0xD800..0xDC00).contains(&value) && code == b'u' {
                // A JSON surrogate pair `\ud83d\ude00`.
                if slice.get(end..end + 2) != Some("\\u") {
                    return None;
                }
                let low = u32::from_str_radix(slice.get(end + 2..end + 6)?, 16).ok()?;
                if !(0xDC00..0xE000).contains(&low) {
                    return None;
                }
                end += 6;
                char::from_u32(0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00))?
            } else {
                char::from_u32(value)?
            };
            out.push_whole(ch.encode_utf8(&mut [0; 4]), TextRange::from_usize(base + pos, base + end));
            Some(end)
        }
        _ => None,
    }
}

/// Decodes a literal (`|`) or folded (`>`) block scalar starting at its header.
fn block(slice: &str, base: usize, expected: &str, out: &mut Mapped) -> bool {
    let folded = slice.starts_with('>');
    let Some(header_end) = slice.find('\n') else {
        return false;
    };
    let body = &slice[header_end + 1..];
    let body_base = base + header_end + 1;
    // Split the body into lines: (start in body, content without the line break).
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let content = line.strip_suffix('\n').unwrap_or(line);
        let content = content.strip_suffix('\r').unwrap_or(content);
        lines.push((offset, content));
        offset += line.len();
    }
    // The indentation: the first content line's, less the spaces the decoded text keeps.
    let Some(&(_, first)) = lines.iter().find(|(_, l)| !l.trim_start_matches(' ').is_empty()) else {
        return false;
    };
    let kept = expected.trim_start_matches('\n');
    let kept = kept.len() - kept.trim_start_matches(' ').len();
    let leading = first.len() - first.trim_start_matches(' ').len();
    let Some(indent) = leading.checked_sub(kept) else {
        return false;
    };
    let content_of = |line: &str| -> Option<usize> {
        if line.len() >= indent && line.as_bytes()[..indent].iter().all(|&b| b == b' ') {
            Some(indent)
        } else if line.trim_start_matches(' ').is_empty() {
            None
        } else {
            Some(usize::MAX)
        }
    };
    // Previous content line: whether it was more indented (starts with a blank).
    let mut previous: Option<bool> = None;
    let mut empty_run: Vec<usize> = Vec::new();
    for &(start, line) in &lines {
        let cut = match content_of(line) {
            None => {
                empty_run.push(start);
                continue;
            }
            Some(usize::MAX) => break,
            Some(cut) => cut,
        };
        let text = &line[cut..];
        if text.is_empty() {
            empty_run.push(start);
            continue;
        }
        let more_indented = text.starts_with([' ', '\t']);
        // The line breaks between the previous content line and this one.
        if let Some(prev_more) = previous {
            let break_at = body_base + start;
            let breaks = empty_run.len() + 1;
            let source = TextRange::from_usize(break_at.saturating_sub(1), break_at);
            if folded && !prev_more && !more_indented {
                if breaks == 1 {
                    out.push_whole(" ", source);
                } else {
                    out.push_whole(&"\n".repeat(breaks - 1), source);
                }
            } else {
                out.push_whole(&"\n".repeat(breaks), source);
            }
        } else {
            for &empty in &empty_run {
                out.push_whole("\n", TextRange::from_usize(body_base + empty, body_base + empty));
            }
        }
        empty_run.clear();
        out.push_exact(text, body_base + start + cut);
        previous = Some(more_indented);
    }
    if previous.is_some() {
        // The final line break and trailing empty lines; `settle` applies the chomping.
        let at = base + slice.len();
        out.push_whole(&"\n".repeat(empty_run.len() + 1), TextRange::from_usize(at, at));
    }
    true
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Moves every span of a tree parsed from derived text into the source.
pub(crate) fn remap_node(node: &Node, map: &OffsetMap) -> Node {
    let value = match &node.value {
        NodeValue::String(s) => NodeValue::String(remap_str(s, map)),
        NodeValue::Array(items) => NodeValue::Array(items.iter().map(|item| remap_node(item, map)).collect()),
        NodeValue::Object(members) => NodeValue::Object(
            members
                .iter()
                .map(|m| Member {
                    key: remap_str(&m.key, map),
                    key_range: map.map(m.key_range),
                    value: remap_node(&m.value, map),
                })
                .collect(),
        ),
        other => other.clone(),
    };
    Node::new(map.map(node.range), value)
}

fn remap_str(s: &Str, map: &OffsetMap) -> Str {
    let verbatim = s.verbatim.and_then(|base| {
        let derived = TextRange::new(base, base.saturating_add(s.text.len() as u32));
        map.is_exact(derived).then(|| map.map(derived).start())
    });
    Str { text: s.text.clone(), verbatim }
}

pub(crate) fn remap_diagnostic(mut diagnostic: Diagnostic, map: &OffsetMap) -> Diagnostic {
    diagnostic.primary.range = map.map(diagnostic.primary.range);
    for label in &mut diagnostic.secondary {
        label.range = map.map(label.range);
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{json, yaml};
    use aslc_source::FileId;

    /// Every decoded byte of the string at `key` maps to itself in `source`, except
    /// rewritten pieces.
    fn check(source: &str, key: &str, pieces: &[(&str, &str)]) {
        let root = if source.starts_with('{') {
            json::parse(source, FileId(0)).node.unwrap()
        } else {
            yaml::parse(source, FileId(0)).node.unwrap()
        };
        let node = root.get(key).unwrap();
        let mapped = string_map(source, node);
        assert_eq!(mapped.text, node.as_str().unwrap());
        for (derived, expected_source) in pieces {
            let at = mapped.text.find(derived).unwrap();
            let range = mapped.source_of(at..at + derived.len()).unwrap();
            assert_eq!(&source[range.as_usize()], *expected_source, "{derived:?} in {source:?}");
        }
    }

    #[test]
    fn json_escapes() {
        check(r#"{"a": "x\"y\n\u00e9z"}"#, "a", &[("x", "x"), ("\"", "\\\""), ("y", "y"), ("é", "\\u00e9")]);
    }

    #[test]
    fn yaml_quoted() {
        check("a: 'it''s\n  here'\n", "a", &[("it", "it"), ("'", "''"), ("here", "here")]);
        check("a: \"one\\ttwo\n\n  three\"\n", "a", &[("\t", "\\t"), ("three", "three")]);
    }

    #[test]
    fn yaml_plain_folding() {
        check("a: one\n  two\n", "a", &[("one", "one"), ("two", "two")]);
    }

    #[test]
    fn yaml_block_scalars() {
        let source = "a: |-\n  {\n    \"StartAt\": \"A\"\n  }\nb: 1\n";
        check(source, "a", &[("\"StartAt\"", "\"StartAt\""), ("\"A\"", "\"A\"")]);
        let source = "a: >\n  one\n  two\n\n  three\n";
        check(source, "a", &[("one", "one"), ("two", "two"), ("three", "three")]);
        let source = "a: |2\n    indented\n  base\n";
        check(source, "a", &[("  indented", "  indented"), ("base", "base")]);
    }
}
