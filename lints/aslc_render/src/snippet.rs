//! The source snippet of the text view: ariadne's drawing of a diagnostic's labels over
//! its files, made to agree with the other views and safe to print.
//!
//! ariadne runs with [`IndexType::Byte`] (it counts characters by default) over a copy of
//! each text in which every character that ariadne would take for a line break but our
//! [`aslc_source::LineIndex`] would not (a lone `\r`, form feed, U+2028, …), or that would
//! drive the terminal (control and bidirectional formatting characters), is replaced by a
//! character of the same UTF-8 length; byte offsets, character columns and line numbers
//! stay those of the JSON and SARIF views.
//!
//! ariadne is given only the lines it draws: the lines before the first label are left
//! empty (keeping line numbers) and the text after the last is dropped, so a diagnostic in
//! a large file costs what its lines cost, not what the file does.
//!
//! Lines longer than [`LINE_LIMIT`] characters (minified definitions, a
//! `DefinitionString` on one line) are cut down to [`CONTEXT`] characters around each label
//! end, the rest shown as `…`. Since that moves columns, the `file:line:col` lines are
//! written here from the uncut text rather than by ariadne.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

use ariadne::{CharSet, Color, Config, IndexType, Label, Report, ReportKind, Source};
use aslc_source::{Diagnostic, FileId, Label as DiagLabel, LineIndex, Severity};

use crate::human::{paint, Style};
use crate::source_map::{clamp_range, SourceMap};

/// Lines with more characters than this are cut around the labels.
const LINE_LIMIT: usize = 160;

/// Characters kept on each side of a label's start and end in a cut line.
const CONTEXT: usize = 40;

/// The files drawn so far in one rendering, as display-safe text.
pub(crate) struct SnippetCache<'a> {
    sources: &'a dyn SourceMap,
    files: HashMap<FileId, Drawn<'a>>,
}

/// A file ready for ariadne.
struct Drawn<'a> {
    name: String,
    /// The original text.
    text: &'a str,
    line_index: &'a LineIndex,
}

impl<'a> SnippetCache<'a> {
    pub(crate) fn new(sources: &'a dyn SourceMap) -> SnippetCache<'a> {
        SnippetCache { sources, files: HashMap::new() }
    }

    /// Loads `file`; `false` if it is unknown.
    fn load(&mut self, file: FileId) -> bool {
        if self.files.contains_key(&file) {
            return true;
        }
        let Some(source) = self.sources.source(file) else {
            return false;
        };
        let drawn = Drawn {
            name: escape(source.name).into_owned(),
            text: source.text,
            line_index: source.line_index,
        };
        self.files.insert(file, drawn);
        true
    }
}

/// A label resolved against its file.
struct Placed<'d> {
    file: FileId,
    /// Where the span starts in the original text, for the `file:line:col` line.
    start: usize,
    /// The clamped span, widened to one character when empty.
    range: Range<usize>,
    message: &'d str,
    color: Color,
    /// The label's position in the diagnostic: 0 for the primary.
    order: i32,
}

/// The drawing of a diagnostic's labels, without the header and the closing line.
pub(crate) struct Drawing {
    /// The location lines and ariadne's drawing, each line ending in a newline.
    pub(crate) body: String,
    /// The column of the box's vertical bar (the width of the line-number margin).
    pub(crate) indent: usize,
}

/// The drawing of the labels of `diagnostic`, or `None` when the primary span's file is
/// unknown.
///
/// Each file is drawn by its own ariadne report and the pieces are joined under one box:
/// ariadne 0.5 reads a character offset as a byte offset when it places the
/// `file:line:col` line of a second file, which can split a character and panic, and our
/// location lines must show the position before any cutting of long lines.
pub(crate) fn snippet(diagnostic: &Diagnostic, cache: &mut SnippetCache<'_>, color: bool) -> Option<Drawing> {
    let primary_color = match diagnostic.severity {
        Severity::Error => Color::Red,
        Severity::Warning => Color::Yellow,
        Severity::Info => Color::Cyan,
    };
    let mut placed = Vec::with_capacity(1 + diagnostic.secondary.len());
    let labels = std::iter::once((&diagnostic.primary, primary_color))
        .chain(diagnostic.secondary.iter().map(|label| (label, Color::Blue)));
    for (i, (label, label_color)) in labels.enumerate() {
        if !cache.load(label.file) {
            if i == 0 {
                return None;
            }
            continue;
        }
        let drawn = cache.files.get(&label.file)?;
        placed.push(Placed {
            file: label.file,
            start: clamp_range(drawn.text, label.range).start,
            range: caret_range(drawn, label),
            message: &label.message,
            color: label_color,
            order: i32::try_from(i).unwrap_or(i32::MAX),
        });
    }

    // One section per file, the primary's first, the others in order of first label.
    let mut files: Vec<FileId> = Vec::new();
    for label in &placed {
        if !files.contains(&label.file) {
            files.push(label.file);
        }
    }
    let config =
        Config::default().with_index_type(IndexType::Byte).with_char_set(CharSet::Unicode).with_color(color);
    let mut sections = Vec::with_capacity(files.len());
    for file in &files {
        let drawn = cache.files.get(file)?;
        let labels: Vec<&Placed<'_>> = placed.iter().filter(|label| label.file == *file).collect();
        let spans: Vec<Range<usize>> = labels.iter().map(|label| label.range.clone()).collect();
        let (shown, spans) = match cut_long_lines(drawn, &spans) {
            Some(cut) => cut,
            None => drawn_lines(drawn, &spans),
        };
        let source = Source::from(shown);
        let ariadne_labels = labels.iter().zip(&spans).map(|(label, span)| {
            // ariadne underlines only labels that have a message; an empty one keeps the
            // caret.
            Label::new(span.clone())
                .with_message(escape(label.message))
                .with_color(label.color)
                .with_order(label.order)
                .with_priority(i32::from(label.order == 0))
        });
        let report = Report::build(ReportKind::Error, spans.first()?.clone())
            .with_config(config)
            .with_labels(ariadne_labels)
            .finish();
        let mut bytes = Vec::new();
        report.write(&source, &mut bytes).ok()?;
        let start = labels.first().map_or(0, |label| label.start);
        let start = drawn.line_index.line_col(drawn.text, u32::try_from(start).unwrap_or(u32::MAX));
        let reference = format!("{}:{}:{}", drawn.name, start.line, start.column);
        sections.push((reference, String::from_utf8_lossy(&bytes).into_owned()));
    }

    // ariadne's output: a header line, the location line (indented by the margin width),
    // the drawing, and a closing line.
    let margin_width = |text: &str| {
        let location = text.lines().nth(1).unwrap_or("");
        location.len() - location.trim_start_matches(' ').len()
    };
    let indent = sections.iter().map(|(_, text)| margin_width(text)).max()?;
    let margin = |text: &str| paint(color, Style::MARGIN, text);
    let mut body = String::new();
    for (i, (reference, text)) in sections.iter().enumerate() {
        let shift = " ".repeat(indent - margin_width(text));
        if i > 0 {
            let _ = writeln!(body, "{}{}", " ".repeat(indent), margin("│"));
        }
        let corner = if i == 0 { "╭─[" } else { "├─[" };
        let _ = writeln!(body, "{}{} {reference} {}", " ".repeat(indent), margin(corner), margin("]"));
        let lines: Vec<&str> = text.lines().collect();
        for line in lines.iter().take(lines.len().saturating_sub(1)).skip(2) {
            let _ = writeln!(body, "{shift}{}", line.trim_end_matches(' '));
        }
    }
    Some(Drawing { body, indent })
}

/// The span of `label` as drawn: clamped to the text and, when empty, widened to the
/// character after it (a line break, or the space [`display_text`] adds at the end),
/// because ariadne draws no caret under an empty span.
fn caret_range(drawn: &Drawn<'_>, label: &DiagLabel) -> Range<usize> {
    let mut range = clamp_range(drawn.text, label.range);
    if range.is_empty() {
        // The display text has a character of the same length at every offset, and a
        // space after the end.
        range.end += drawn.text[range.start..].chars().next().map_or(1, char::len_utf8);
    }
    range
}

/// The display length of `drawn`'s text: the text and the space [`display_text`] adds.
fn display_len(drawn: &Drawn<'_>) -> usize {
    drawn.text.len() + 1
}

/// `range` of the display copy of `drawn`'s text (see [`display_text`]), without making
/// the copy of the whole text.
fn display_slice(drawn: &Drawn<'_>, range: Range<usize>) -> String {
    let text = drawn.text;
    let end = range.end.min(text.len());
    // One character more, so that a `\r` at the end sees the `\n` after it.
    let more = text[end..].chars().next().map_or(0, char::len_utf8);
    let mut out = display_text(&text[range.start.min(end)..end + more]);
    out.truncate(end - range.start.min(end));
    if range.end > text.len() {
        out.push(' ');
    }
    out
}

/// The byte range of line `line` of the display text, without its line break.
fn display_line_range(drawn: &Drawn<'_>, line: usize) -> Range<usize> {
    let len = display_len(drawn);
    let start = drawn.line_index.line_start(line).map_or(len, |n| n as usize);
    let end = drawn.line_index.line_start(line + 1).map_or(len, |n| (n as usize).saturating_sub(1));
    start.min(len)..end.min(len).max(start.min(len))
}

/// The text ariadne needs to draw `spans`: an empty line for each line before the first
/// line of a span, then the display text up to the end of the last line of a span; and
/// `spans` moved back by the content the emptied lines lost.
fn drawn_lines(drawn: &Drawn<'_>, spans: &[Range<usize>]) -> (String, Vec<Range<usize>>) {
    let line_of = |offset: usize| drawn.line_index.line_of(u32::try_from(offset).unwrap_or(u32::MAX));
    let first = spans.iter().map(|span| line_of(span.start)).min().unwrap_or(0);
    let last = spans.iter().map(|span| line_of(span.end)).max().unwrap_or(first).max(first);
    let from = display_line_range(drawn, first).start;
    let to = display_line_range(drawn, last).end;
    // The line break after the last line, as the whole text has it.
    let to = if to < drawn.text.len() { to + 1 } else { display_len(drawn) };
    let mut out = "\n".repeat(first);
    let shift = from - first;
    out.push_str(&display_slice(drawn, from..to));
    let moved = spans.iter().map(|span| span.start - shift..span.end - shift).collect();
    (out, moved)
}

/// The text of `drawn` with the lines holding a span end cut down when they are long, and
/// `spans` moved to it; `None` when no such line is long. ariadne draws only those lines,
/// so the others up to the last of them are left empty (keeping line numbers) and the rest
/// of the text is dropped.
fn cut_long_lines(drawn: &Drawn<'_>, spans: &[Range<usize>]) -> Option<(String, Vec<Range<usize>>)> {
    let text_len = display_len(drawn);
    let line_range = |line: usize| display_line_range(drawn, line);
    let line_of = |offset: usize| drawn.line_index.line_of(u32::try_from(offset).unwrap_or(u32::MAX));

    // Every span end, by line.
    let mut points: Vec<usize> = spans.iter().flat_map(|span| [span.start, span.end]).collect();
    points.sort_unstable();
    points.dedup();
    let mut lines: Vec<usize> = points.iter().map(|&p| line_of(p)).collect();
    lines.dedup();
    if !lines.iter().any(|&line| display_slice(drawn, line_range(line)).chars().count() > LINE_LIMIT) {
        return None;
    }

    let last_line = *lines.last()?;
    let mut out = String::new();
    let mut moved: HashMap<usize, usize> = HashMap::new();
    for line in 0..=last_line {
        let bounds = line_range(line);
        if lines.binary_search(&line).is_ok() {
            let shown = display_slice(drawn, bounds.clone());
            let content = shown.as_str();
            let line_points: Vec<usize> =
                points.iter().filter(|&&p| line_of(p) == line).map(|&p| p - bounds.start).collect();
            let windows = if content.chars().count() > LINE_LIMIT {
                windows(content, &line_points)
            } else {
                std::iter::once(0..content.len()).collect()
            };
            let mut shown = 0;
            for window in &windows {
                if window.start > shown {
                    out.push('…');
                }
                for &p in &line_points {
                    if window.start <= p && p <= window.end {
                        moved.entry(bounds.start + p).or_insert(out.len() + (p - window.start));
                    }
                }
                out.push_str(&content[window.clone()]);
                shown = window.end;
            }
            if shown < content.len() {
                out.push('…');
            }
            // A point past the line's content sits on its line break.
            for &p in &line_points {
                moved.entry(bounds.start + p).or_insert(out.len());
            }
        }
        if line < last_line || bounds.end < text_len {
            out.push('\n');
        }
    }
    let mapped = spans
        .iter()
        .map(|span| {
            let start = moved.get(&span.start).copied().unwrap_or(0);
            let end = moved.get(&span.end).copied().unwrap_or(start).max(start);
            start..end.min(out.len())
        })
        .collect();
    Some((out, mapped))
}

/// The byte ranges of `content` to keep: [`CONTEXT`] characters on each side of every
/// point, merged when they touch or are close.
fn windows(content: &str, points: &[usize]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for &point in points {
        let point = point.min(content.len());
        let start = content[..point].char_indices().rev().nth(CONTEXT - 1).map_or(0, |(i, _)| i);
        let end = content[point..].char_indices().nth(CONTEXT).map_or(content.len(), |(i, _)| point + i);
        match out.last_mut() {
            // Merging across a short gap shows more text for the same width as `…`.
            Some(last) if start <= last.end + 8 => last.end = last.end.max(end),
            _ => out.push(start..end),
        }
    }
    out
}

/// `text` with every character that ariadne would treat differently from our line index,
/// or that would drive the terminal, replaced by one of the same UTF-8 length, and a space
/// added at the end. Offsets into `text` are offsets into the result.
fn display_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 1);
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        let replacement = match ch {
            '\n' | '\t' => ch,
            '\r' if chars.peek() == Some(&'\n') => ch,
            ch if is_unsafe(ch) => match ch.len_utf8() {
                1 => ' ',
                // U+0080..U+07FF: C1 controls, U+061C.
                2 => '\u{a0}',
                // Line and paragraph separators, bidirectional controls, BOM: visible.
                _ => '\u{fffd}',
            },
            ch => ch,
        };
        out.push(replacement);
    }
    // ariadne has no line after a final line break and puts the end of the text at the end
    // of the last line; our line index puts it on a line of its own. A space there gives
    // ariadne that line, and a character for a caret at the end of the text.
    out.push(' ');
    out
}

/// Whether `ch` must not reach a terminal as it is: control characters (including line
/// breaks other than `\n`) and the formatting characters that reorder or hide text.
fn is_unsafe(ch: char) -> bool {
    ch.is_control()
        // Arabic letter mark, zero-width and directional marks, line and paragraph
        // separators, embeddings and overrides, invisible operators and isolates, BOM.
        || matches!(ch, '\u{061c}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}')
        || matches!(ch, '\u{2060}'..='\u{2069}' | '\u{feff}')
}

/// `text` with unsafe characters written as escapes (`\n`, `\t`, `\r`, else `\u{…}`).
pub(crate) fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        match ch {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            ch if is_unsafe(ch) => {
                let _ = write!(out, "\\u{{{:x}}}", ch as u32);
            }
            ch => out.push(ch),
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_text_keeps_every_offset() {
        let text = "a\rb\u{b}\u{c}\u{85}\u{2028}\u{202e}x\r\n\u{1b}[31m\t\u{7f}";
        let shown = display_text(text);
        assert_eq!(shown, "a b  \u{a0}\u{fffd}\u{fffd}x\r\n [31m\t  ");
        for (offset, ch) in text.char_indices() {
            assert_eq!(shown[offset..].chars().next().map(char::len_utf8), Some(ch.len_utf8()));
        }
    }

    /// ariadne's drawing of `spans` over `source`.
    fn draw(source: &str, spans: &[Range<usize>]) -> String {
        let config = Config::default().with_index_type(IndexType::Byte).with_color(false);
        let labels = spans.iter().enumerate().map(|(i, span)| {
            Label::new(span.clone())
                .with_message(format!("label {i}"))
                .with_order(i32::try_from(i).unwrap_or(0))
        });
        let report = Report::build(ReportKind::Error, spans[0].clone())
            .with_config(config)
            .with_labels(labels)
            .finish();
        let mut bytes = Vec::new();
        report.write(Source::from(source), &mut bytes).expect("drawn");
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// Drawing only the lines of the labels gives what drawing the whole text gives.
    #[test]
    fn drawing_the_labelled_lines_is_drawing_the_whole_text() {
        let texts = [
            "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\"Type\": \"Pass\", \"End\": true}\n  }\n}\n",
            "a\r\nbé\r\n\r\nc\u{2028}d\n\tlast",
            "line\n\n\nmore\nend\n",
            "x",
        ];
        let mut seed = 7u64;
        let mut next = |bound: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            usize::try_from(seed >> 33).unwrap_or(0) % bound.max(1)
        };
        for text in texts {
            let line_index = LineIndex::new(text);
            let drawn = Drawn { name: String::new(), text, line_index: &line_index };
            let boundaries: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
            for _ in 0..200 {
                let count = 1 + next(3);
                let spans: Vec<Range<usize>> = (0..count)
                    .map(|_| {
                        let a = boundaries[next(boundaries.len())];
                        let b = boundaries[next(boundaries.len())];
                        let label = DiagLabel::new(
                            FileId(0),
                            aslc_source::TextRange::new(a.min(b) as u32, a.max(b) as u32),
                            "",
                        );
                        caret_range(&drawn, &label)
                    })
                    .collect();
                let (window, moved) = drawn_lines(&drawn, &spans);
                assert_eq!(draw(&window, &moved), draw(&display_text(text), &spans), "{text:?} {spans:?}");
            }
        }
    }

    #[test]
    fn escape_quotes_control_characters() {
        assert_eq!(escape("plain `name`"), "plain `name`");
        assert_eq!(escape("a\nb\u{1b}[0m\u{202e}"), "a\\nb\\u{1b}[0m\\u{202e}");
    }

    #[test]
    fn windows_keep_context_around_points() {
        let content = "x".repeat(300);
        // Windows 110..190 and 115..195 merge.
        let merged = windows(&content, &[150, 155]);
        assert_eq!((merged.len(), merged.first().cloned()), (1, Some(110..195)));
        assert_eq!(windows(&content, &[0, 299]), [0..40, 259..300]);
        let wide = "\u{e9}".repeat(100);
        for window in windows(&wide, &[100]) {
            assert!(wide.is_char_boundary(window.start) && wide.is_char_boundary(window.end));
        }
    }
}
