//! A byte-offset cursor over a `&str`, shared by the hand-written parsers of this crate.

use aslc_source::TextRange;

/// Reads a text one character at a time and remembers the byte offset.
///
/// Invariant: `pos` is always on a character boundary of `text` (it only moves by whole
/// characters or to offsets found by searching the text).
#[derive(Clone)]
pub(crate) struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(text: &'a str) -> Cursor<'a> {
        Cursor { text, pos: 0 }
    }

    /// A cursor at `pos`, which must be a character boundary of `text`.
    pub(crate) fn at(text: &'a str, pos: usize) -> Cursor<'a> {
        debug_assert!(text.is_char_boundary(pos));
        Cursor { text, pos }
    }

    pub(crate) fn text(&self) -> &'a str {
        self.text
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or("")
    }

    pub(crate) fn is_eof(&self) -> bool {
        self.pos >= self.text.len()
    }

    /// The next character; ASCII, nearly all text, is read without decoding.
    pub(crate) fn peek(&self) -> Option<char> {
        match self.text.as_bytes().get(self.pos) {
            Some(&byte) if byte.is_ascii() => Some(char::from(byte)),
            Some(_) => self.rest().chars().next(),
            None => None,
        }
    }

    /// The character after the next one.
    pub(crate) fn peek2(&self) -> Option<char> {
        let bytes = self.text.as_bytes();
        match (bytes.get(self.pos), bytes.get(self.pos + 1)) {
            (Some(first), Some(&second)) if first.is_ascii() && second.is_ascii() => Some(char::from(second)),
            _ => {
                let mut chars = self.rest().chars();
                chars.next();
                chars.next()
            }
        }
    }

    pub(crate) fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    pub(crate) fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    pub(crate) fn eat_str(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    pub(crate) fn starts_with(&self, s: &str) -> bool {
        self.rest().starts_with(s)
    }

    /// Skips characters while `pred` holds.
    pub(crate) fn eat_while(&mut self, mut pred: impl FnMut(char) -> bool) -> &'a str {
        let start = self.pos;
        while let Some(&byte) = self.text.as_bytes().get(self.pos) {
            // ASCII, nearly all text, needs no decoding.
            let c = if byte.is_ascii() {
                char::from(byte)
            } else {
                match self.peek() {
                    Some(c) => c,
                    None => break,
                }
            };
            if !pred(c) {
                break;
            }
            self.pos += c.len_utf8();
        }
        &self.text[start..self.pos]
    }

    pub(crate) fn range_from(&self, start: usize) -> TextRange {
        TextRange::from_usize(start, self.pos)
    }

    /// The range of the next character, or an empty range at the end.
    pub(crate) fn next_char_range(&self) -> TextRange {
        let len = self.peek().map_or(0, char::len_utf8);
        TextRange::from_usize(self.pos, self.pos + len)
    }
}

/// A short rendering of the character at the cursor for messages: `` `x` `` or "the end".
pub(crate) fn describe_next(cursor: &Cursor<'_>) -> String {
    match cursor.peek() {
        Some(c) if c.is_whitespace() => "whitespace".to_owned(),
        Some(c) => format!("`{c}`"),
        None => "the end".to_owned(),
    }
}
