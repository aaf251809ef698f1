//! Byte ranges into source text and the id of the file they belong to.

use std::fmt;

/// Index of a source file in a run (the CLI's list of inputs, the server's open documents).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Default)]
pub struct FileId(pub u32);

/// A half-open byte range `start..end` into a source text.
///
/// Invariant: `start <= end`. Offsets are `u32`: inputs over 4 GiB are refused before parsing.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TextRange {
    start: u32,
    end: u32,
}

impl TextRange {
    /// The range `start..end`; the bounds are swapped if given in the wrong order.
    pub fn new(start: u32, end: u32) -> TextRange {
        if start <= end {
            TextRange { start, end }
        } else {
            TextRange { start: end, end: start }
        }
    }

    /// An empty range at `offset`.
    pub fn empty(offset: u32) -> TextRange {
        TextRange { start: offset, end: offset }
    }

    /// Builds a range from `usize` offsets, saturating at `u32::MAX`.
    pub fn from_usize(start: usize, end: usize) -> TextRange {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        TextRange::new(clamp(start), clamp(end))
    }

    /// First byte of the range.
    pub fn start(self) -> u32 {
        self.start
    }

    /// One past the last byte of the range.
    pub fn end(self) -> u32 {
        self.end
    }

    /// Length in bytes.
    pub fn len(self) -> u32 {
        self.end - self.start
    }

    /// Whether the range covers no byte.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest range covering both.
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    /// Whether `offset` lies in `start..=end` (the end is included so a cursor after the
    /// last character still touches the range).
    pub fn touches(self, offset: u32) -> bool {
        self.start <= offset && offset <= self.end
    }

    /// The empty range at the start, where a diagnostic about a whole object points.
    /// Empty, so it never splits a multi-byte character; renderers show it as a caret.
    pub fn start_point(self) -> TextRange {
        TextRange { start: self.start, end: self.start }
    }

    /// The range as `usize` bounds, for slicing.
    pub fn as_usize(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The range moved right by `delta` bytes.
    pub fn shift(self, delta: u32) -> TextRange {
        TextRange { start: self.start.saturating_add(delta), end: self.end.saturating_add(delta) }
    }
}

impl fmt::Debug for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}
