//! The files a run read, as the views see them: a display name, the text and its line
//! index per [`FileId`], and the one place where byte spans become lines and columns.
//!
//! Spans come from every stage of the checker, so they are not trusted: offsets past the
//! end of the text are clamped to it and offsets inside a multi-byte character are moved
//! to its boundary (the start outwards to the left, the end outwards to the right), so a
//! span always covers whole characters and no view ever slices text mid-character.

use std::ops::Range;
use std::sync::OnceLock;

use aslc_source::{FileId, LineCol, LineIndex, TextRange};

/// One file as the views need it.
#[derive(Clone, Copy, Debug)]
pub struct SourceRef<'a> {
    /// The name shown to the user: the path as given on the command line, or `<stdin>`.
    pub name: &'a str,
    /// The full text of the file.
    pub text: &'a str,
    /// The line index of `text`.
    pub line_index: &'a LineIndex,
}

/// Where the views find the files diagnostics point into.
///
/// The caller owns its files; [`SourceFiles`] is a ready-made implementation.
pub trait SourceMap {
    /// The file with id `file`, or `None` if there is no such file.
    fn source(&self, file: FileId) -> Option<SourceRef<'_>>;

    /// How many files the run checked (for the summary line of the text view).
    fn file_count(&self) -> usize;
}

/// A file owned by [`SourceFiles`].
#[derive(Clone, Debug)]
pub struct SourceFile {
    name: String,
    text: String,
    /// Built on first use: most files of a run have no diagnostic and never need it.
    line_index: OnceLock<LineIndex>,
}

impl SourceFile {
    /// The display name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The line index of the text, built the first time it is asked for.
    pub fn line_index(&self) -> &LineIndex {
        self.line_index.get_or_init(|| LineIndex::new(&self.text))
    }
}

/// A list of files whose ids are their positions: the first file added is `FileId(0)`.
#[derive(Clone, Debug, Default)]
pub struct SourceFiles {
    files: Vec<SourceFile>,
}

impl SourceFiles {
    /// An empty list.
    pub fn new() -> SourceFiles {
        SourceFiles::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile { name: name.into(), text: text.into(), line_index: OnceLock::new() });
        id
    }

    /// Moves every file of `other` to the end of this list, keeping their order and line
    /// indexes; returns the id the first of them now has (ids shift by that much).
    pub fn append(&mut self, other: SourceFiles) -> FileId {
        let first = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.extend(other.files);
        first
    }

    /// The file with id `file`.
    pub fn get(&self, file: FileId) -> Option<&SourceFile> {
        self.files.get(file.0 as usize)
    }

    /// The number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether no file was added.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

impl SourceMap for SourceFiles {
    fn source(&self, file: FileId) -> Option<SourceRef<'_>> {
        let file = self.get(file)?;
        Some(SourceRef { name: &file.name, text: &file.text, line_index: file.line_index() })
    }

    fn file_count(&self) -> usize {
        self.files.len()
    }
}

/// The start and end of a span as 1-based lines and character columns; the end is
/// exclusive (the column of the character after the span).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Region {
    /// Position of the first character.
    pub start: LineCol,
    /// Position just after the last character (equal to `start` for an empty span).
    pub end: LineCol,
}

/// `range` limited to `text` and widened to whole characters.
pub(crate) fn clamp_range(text: &str, range: TextRange) -> Range<usize> {
    let len = text.len();
    let mut start = (range.start() as usize).min(len);
    let mut end = (range.end() as usize).min(len);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end.max(start)
}

/// The region of `range` in `source`.
pub(crate) fn region(source: Option<SourceRef<'_>>, range: TextRange) -> Region {
    let Some(source) = source else {
        let origin = LineCol { line: 1, column: 1 };
        return Region { start: origin, end: origin };
    };
    let bytes = clamp_range(source.text, range);
    let start = source.line_index.line_col(source.text, offset(bytes.start));
    let end = source.line_index.line_col(source.text, offset(bytes.end));
    Region { start, end }
}

/// A byte offset known to come from a `u32` range clamped to the text.
fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lc(line: u32, column: u32) -> LineCol {
        LineCol { line, column }
    }

    #[test]
    fn clamps_to_text_and_char_boundaries() {
        let text = "a\u{e9}b";
        // Inside `é` (bytes 1..3): the start moves left, the end right.
        assert_eq!(clamp_range(text, TextRange::new(2, 2)), 1..3);
        assert_eq!(clamp_range(text, TextRange::new(2, 4)), 1..4);
        assert_eq!(clamp_range(text, TextRange::new(0, 99)), 0..4);
        assert_eq!(clamp_range(text, TextRange::new(50, 99)), 4..4);
        assert_eq!(clamp_range("", TextRange::new(3, 7)), 0..0);
    }

    #[test]
    fn regions_count_characters_and_end_after_the_span() {
        let mut files = SourceFiles::new();
        let id = files.add("f.json", "{\n  \"\u{1F600}\": 1\r\n}");
        let source = files.source(id);
        // The value `1` follows a four-byte character.
        let one = "{\n  \"\u{1F600}\": ".len() as u32;
        let res = region(source, TextRange::new(one, one + 1));
        assert_eq!(res, Region { start: lc(2, 8), end: lc(2, 9) });
        // A span over the line break ends at the start of the next line.
        let res = region(source, TextRange::new(one + 1, one + 3));
        assert_eq!(res, Region { start: lc(2, 9), end: lc(3, 1) });
        let eof = region(source, TextRange::empty(1000));
        assert_eq!(eof, Region { start: lc(3, 2), end: lc(3, 2) });
        assert_eq!(region(None, TextRange::new(4, 9)), Region { start: lc(1, 1), end: lc(1, 1) });
    }
}
