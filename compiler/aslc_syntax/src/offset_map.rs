//! Maps offsets in text that was built from a source file (a decoded `DefinitionString`,
//! a `Fn::Join` or `Fn::Sub` result) back to offsets in that file.

use aslc_source::TextRange;

/// A piecewise map from offsets in a derived text to ranges of the source file.
///
/// Each segment says: derived bytes `derived..derived + len` came from the source. An exact
/// segment maps byte for byte; an inexact one (an escape sequence, a substituted value)
/// maps every byte to the whole source range it came from.
#[derive(Clone, Debug, Default)]
pub struct OffsetMap {
    segments: Vec<Segment>,
}

#[derive(Clone, Copy, Debug)]
struct Segment {
    derived: u32,
    len: u32,
    source: TextRange,
    exact: bool,
}

impl OffsetMap {
    /// An empty map.
    pub fn new() -> OffsetMap {
        OffsetMap::default()
    }

    /// Records that the next `len` derived bytes, starting at `derived`, are `source` byte
    /// for byte (`exact`) or as a whole.
    pub fn push(&mut self, derived: u32, len: u32, source: TextRange, exact: bool) {
        if len == 0 {
            return;
        }
        if let Some(last) = self.segments.last_mut() {
            let contiguous = last.exact
                && exact
                && last.derived + last.len == derived
                && last.source.end() == source.start();
            if contiguous {
                last.len += len;
                last.source = last.source.cover(source);
                return;
            }
        }
        self.segments.push(Segment { derived, len, source, exact });
    }

    /// The source offset of derived offset `offset` (an inexact segment gives its start).
    fn point(&self, offset: u32, is_end: bool) -> u32 {
        if self.segments.is_empty() {
            return offset;
        }
        let idx = match self.segments.binary_search_by(|seg| {
            if offset < seg.derived {
                std::cmp::Ordering::Greater
            } else if offset >= seg.derived + seg.len {
                std::cmp::Ordering::Less
            } else {
                std::cmp::Ordering::Equal
            }
        }) {
            Ok(i) => i,
            Err(i) => {
                // Past the end of a segment: an end offset belongs to the segment before.
                let i = i.saturating_sub(1).min(self.segments.len() - 1);
                let seg = self.segments[i];
                return if offset >= seg.derived + seg.len { seg.source.end() } else { seg.source.start() };
            }
        };
        let seg = self.segments[idx];
        if seg.exact {
            seg.source.start() + (offset - seg.derived)
        } else if is_end {
            seg.source.end()
        } else {
            seg.source.start()
        }
    }

    /// Maps a derived range to the source range it came from.
    pub fn map(&self, range: TextRange) -> TextRange {
        if self.segments.is_empty() {
            return range;
        }
        let start = self.point(range.start(), false);
        let end = if range.is_empty() {
            start
        } else {
            // Map the last byte and extend past it, so an inexact last byte covers its
            // whole source.
            let last = self.point(range.end() - 1, true);
            let last_seg_exact = self.is_exact_at(range.end() - 1);
            if last_seg_exact {
                last + 1
            } else {
                last
            }
        };
        TextRange::new(start, end.max(start))
    }

    fn is_exact_at(&self, offset: u32) -> bool {
        self.segments
            .iter()
            .find(|seg| seg.derived <= offset && offset < seg.derived + seg.len)
            .is_some_and(|seg| seg.exact)
    }

    /// Whether derived `range` maps byte for byte into the source.
    pub fn is_exact(&self, range: TextRange) -> bool {
        if self.segments.is_empty() {
            return true;
        }
        self.segments
            .iter()
            .any(|seg| seg.exact && seg.derived <= range.start() && range.end() <= seg.derived + seg.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_and_inexact_segments() {
        // Derived "ab\nc" from source `"ab\\nc"` at offset 10: `ab` exact, `\n` from a
        // two-byte escape, `c` exact.
        let mut map = OffsetMap::new();
        map.push(0, 2, TextRange::new(11, 13), true);
        map.push(2, 1, TextRange::new(13, 15), false);
        map.push(3, 1, TextRange::new(15, 16), true);
        assert_eq!(map.map(TextRange::new(0, 2)), TextRange::new(11, 13));
        assert_eq!(map.map(TextRange::new(2, 3)), TextRange::new(13, 15));
        assert_eq!(map.map(TextRange::new(1, 4)), TextRange::new(12, 16));
        assert!(map.is_exact(TextRange::new(0, 2)));
        assert!(!map.is_exact(TextRange::new(1, 3)));
    }
}
