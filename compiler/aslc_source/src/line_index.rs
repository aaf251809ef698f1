//! Offset to line/column conversion, computed once per file.

/// A 1-based line and column; the column counts Unicode scalar values, as editors and SARIF's
/// `unicodeCodePoints` column kind do.
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord)]
pub struct LineCol {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

/// The byte offset of every line start of a text.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    /// Per line, whether it is all ASCII: then a column is a byte difference, which keeps
    /// positions cheap on minified definitions that are one long line. Empty when the whole
    /// text is ASCII, as nearly every definition is.
    ascii: Vec<bool>,
    /// The whole text is ASCII.
    all_ascii: bool,
}

/// Appends the offset just past every `\n` of `bytes` to `line_starts`, in order.
///
/// On x86-64 the search uses SSE2, which every such processor has, rather than letting
/// `memchr` pick the widest vector unit at run time: the pick asks the processor with `cpuid`,
/// which a virtual machine answers in microseconds, a noticeable part of a short `aslc run`
/// whose only search this is. Lines are short, so the wider unit would gain little.
fn push_line_starts(bytes: &[u8], line_starts: &mut Vec<u32>) {
    let start = |i: usize| u32::try_from(i + 1).unwrap_or(u32::MAX);
    #[cfg(target_arch = "x86_64")]
    if let Some(newline) = memchr::arch::x86_64::sse2::memchr::One::new(b'\n') {
        line_starts.extend(newline.iter(bytes).map(start));
        return;
    }
    line_starts.extend(memchr::memchr_iter(b'\n', bytes).map(start));
}

impl LineIndex {
    /// Indexes `text`. Lines end at `\n`; a `\r` before it belongs to the line it ends.
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = Vec::with_capacity(text.len() / 32 + 1);
        line_starts.push(0);
        push_line_starts(text.as_bytes(), &mut line_starts);
        let bytes = text.as_bytes();
        if bytes.is_ascii() {
            return LineIndex { line_starts, ascii: Vec::new(), all_ascii: true };
        }
        let ascii = (0..line_starts.len())
            .map(|line| {
                let start = line_starts[line] as usize;
                let end = line_starts.get(line + 1).map_or(bytes.len(), |&n| n as usize);
                bytes.get(start..end).is_some_and(<[u8]>::is_ascii)
            })
            .collect();
        LineIndex { line_starts, ascii, all_ascii: false }
    }

    /// Whether the 0-based `line` is all ASCII.
    fn is_ascii_line(&self, line: usize) -> bool {
        self.all_ascii || self.ascii.get(line).copied().unwrap_or(false)
    }

    /// Number of lines (an empty text has one).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset of the start of the 0-based `line`, if it exists.
    pub fn line_start(&self, line: usize) -> Option<u32> {
        self.line_starts.get(line).copied()
    }

    /// The 0-based line containing `offset`.
    pub fn line_of(&self, offset: u32) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// 1-based line and character column of byte `offset` in `text` (the text this index
    /// was built from). An offset inside a multi-byte character counts as that character.
    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let offset = offset.min(u32::try_from(text.len()).unwrap_or(u32::MAX));
        let line = self.line_of(offset);
        let start = self.line_starts[line] as usize;
        if self.is_ascii_line(line) {
            return LineCol { line: line as u32 + 1, column: offset - start as u32 + 1 };
        }
        let mut end = offset as usize;
        while end > start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let column = text[start..end].chars().count();
        LineCol { line: line as u32 + 1, column: column as u32 + 1 }
    }

    /// Like [`LineIndex::line_col`] but the column counts UTF-16 code units (the LSP default).
    pub fn line_col_utf16(&self, text: &str, offset: u32) -> LineCol {
        let offset = offset.min(u32::try_from(text.len()).unwrap_or(u32::MAX));
        let line = self.line_of(offset);
        let start = self.line_starts[line] as usize;
        if self.is_ascii_line(line) {
            return LineCol { line: line as u32 + 1, column: offset - start as u32 + 1 };
        }
        let mut end = offset as usize;
        while end > start && !text.is_char_boundary(end) {
            end -= 1;
        }
        let column: usize = text[start..end].chars().map(char::len_utf16).sum();
        LineCol { line: line as u32 + 1, column: column as u32 + 1 }
    }

    /// Byte offset of a 0-based line and UTF-16 column (clamped to the line's end).
    pub fn offset_utf16(&self, text: &str, line: u32, column: u32) -> u32 {
        let Some(start) = self.line_start(line as usize) else {
            return text.len() as u32;
        };
        let line_end = self.line_start(line as usize + 1).map_or(text.len(), |n| n as usize);
        let mut units = 0u32;
        for (i, ch) in text[start as usize..line_end].char_indices() {
            if units >= column || ch == '\n' {
                return start + i as u32;
            }
            units += ch.len_utf16() as u32;
        }
        line_end as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let text = "ab\n\u{e9}x\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(index.line_col(text, 3), LineCol { line: 2, column: 1 });
        // `x` follows a two-byte character.
        assert_eq!(index.line_col(text, 5), LineCol { line: 2, column: 2 });
        assert_eq!(index.line_col(text, 7), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn ascii_and_other_lines_agree_with_counting() {
        let text = "{\"a\": 1}\n  \"\u{e9}t\u{e9}\": \"\u{1F600}x\"\nplain";
        let index = LineIndex::new(text);
        for (offset, _) in text.char_indices() {
            let line = index.line_of(offset as u32);
            let start = index.line_start(line).unwrap() as usize;
            let chars = text[start..offset].chars().count() as u32;
            let units: u32 = text[start..offset].chars().map(|c| c.len_utf16() as u32).sum();
            assert_eq!(index.line_col(text, offset as u32).column, chars + 1, "offset {offset}");
            assert_eq!(index.line_col_utf16(text, offset as u32).column, units + 1, "offset {offset}");
        }
    }

    #[test]
    fn an_all_ascii_text_agrees_with_counting() {
        let text = "{\n  \"StartAt\": \"A\",\r\n\n  \"States\": {}\n}";
        let index = LineIndex::new(text);
        assert!(index.all_ascii);
        for offset in 0..=text.len() {
            let line = index.line_of(offset as u32);
            let start = index.line_start(line).unwrap() as usize;
            let expected = LineCol { line: line as u32 + 1, column: (offset - start) as u32 + 1 };
            assert_eq!(index.line_col(text, offset as u32), expected, "offset {offset}");
            assert_eq!(index.line_col_utf16(text, offset as u32), expected, "offset {offset}");
        }
    }

    #[test]
    fn utf16_round_trip() {
        let text = "a\u{1F600}b\nc";
        let index = LineIndex::new(text);
        let b = text.find('b').unwrap() as u32;
        let lc = index.line_col_utf16(text, b);
        assert_eq!(lc, LineCol { line: 1, column: 4 });
        assert_eq!(index.offset_utf16(text, 0, 3), b);
    }
}
