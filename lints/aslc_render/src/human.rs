//! The text view: diagnostics drawn over their source with ariadne, for people.
//!
//! ariadne draws the source snippet, the carets and the label messages (see `snippet`);
//! the header line (`error[CODE]: message`), the `help:`/`note:` lines and the summary are
//! written here so their wording and colours follow our conventions rather than ariadne's
//! (`Error:`, `Help:`). Messages quote names from the definition, so control and
//! bidirectional formatting characters in them are escaped before they reach a terminal.

use std::fmt::Write as _;

use aslc_source::{Diagnostic, Severity};

use crate::snippet::{escape, snippet, SnippetCache};
use crate::{sorted, SourceMap};

/// Renders every diagnostic (sorted by file, offset and code), each followed by a blank
/// line, then the summary line (see [`summary`]) counting [`SourceMap::file_count`] files.
///
/// `color` adds ANSI colours; the caller decides (terminal, `--color`, `NO_COLOR`).
pub fn render_human(diagnostics: &[Diagnostic], sources: &dyn SourceMap, color: bool) -> String {
    let mut cache = SnippetCache::new(sources);
    let mut out = String::new();
    for diagnostic in sorted(diagnostics) {
        write_diagnostic(&mut out, diagnostic, &mut cache, color);
        out.push('\n');
    }
    out.push_str(&summary(diagnostics, sources.file_count(), color));
    out
}

/// Renders one diagnostic: header, source snippet with labels, `help:` and `note:` lines.
pub fn render_diagnostic(diagnostic: &Diagnostic, sources: &dyn SourceMap, color: bool) -> String {
    let mut out = String::new();
    write_diagnostic(&mut out, diagnostic, &mut SnippetCache::new(sources), color);
    out
}

/// The closing line: `2 errors, 1 warning in 3 files` (with `, N info` when there is
/// advice), ending in a newline.
pub fn summary(diagnostics: &[Diagnostic], n_files: usize, color: bool) -> String {
    let count = |severity| diagnostics.iter().filter(|d| d.severity == severity).count();
    let (n_errors, n_warnings, n_infos) =
        (count(Severity::Error), count(Severity::Warning), count(Severity::Info));
    let errors = plural(n_errors, "error", "errors");
    let warnings = plural(n_warnings, "warning", "warnings");
    let mut out = String::new();
    out.push_str(&paint(color && n_errors > 0, Style::ERROR, &errors));
    out.push_str(", ");
    out.push_str(&paint(color && n_warnings > 0, Style::WARNING, &warnings));
    if n_infos > 0 {
        out.push_str(", ");
        out.push_str(&paint(color, Style::INFO, &format!("{n_infos} info")));
    }
    let _ = writeln!(out, " in {}", plural(n_files, "file", "files"));
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// An ANSI SGR sequence.
#[derive(Clone, Copy)]
pub(crate) struct Style(&'static str);

impl Style {
    const ERROR: Style = Style("\x1b[1;31m");
    const WARNING: Style = Style("\x1b[1;33m");
    const INFO: Style = Style("\x1b[1;36m");
    const BOLD: Style = Style("\x1b[1m");
    const HELP: Style = Style("\x1b[1;36m");
    const NOTE: Style = Style("\x1b[1;34m");
    /// ariadne's margin colour (`Color::Fixed(246)`), for the lines we draw in its box.
    pub(crate) const MARGIN: Style = Style("\x1b[38;5;246m");
    const RESET: &'static str = "\x1b[0m";

    fn of(severity: Severity) -> Style {
        match severity {
            Severity::Error => Style::ERROR,
            Severity::Warning => Style::WARNING,
            Severity::Info => Style::INFO,
        }
    }
}

/// `text` in `style` when `color` is on.
pub(crate) fn paint(color: bool, style: Style, text: &str) -> String {
    if color {
        format!("{}{text}{}", style.0, Style::RESET)
    } else {
        text.to_owned()
    }
}

fn write_diagnostic(out: &mut String, diagnostic: &Diagnostic, cache: &mut SnippetCache<'_>, color: bool) {
    let head = format!("{}[{}]", diagnostic.severity.as_str(), escape(diagnostic.code));
    let _ = writeln!(
        out,
        "{}{}",
        paint(color, Style::of(diagnostic.severity), &head),
        paint(color, Style::BOLD, &format!(": {}", escape(&diagnostic.message))),
    );
    let mut trailer = Vec::new();
    if let Some(help) = &diagnostic.help {
        trailer.push(("help", Style::HELP, help.as_str()));
    }
    for note in &diagnostic.notes {
        trailer.push(("note", Style::NOTE, note.as_str()));
    }
    match snippet(diagnostic, cache, color) {
        Some(drawing) => {
            // Help and notes go inside the box, after a spacer, aligned with its margin.
            out.push_str(&drawing.body);
            let margin = format!("{}{}", " ".repeat(drawing.indent), paint(color, Style::MARGIN, "│"));
            if !trailer.is_empty() {
                let _ = writeln!(out, "{margin}");
            }
            for (kind, style, text) in &trailer {
                write_trailer(out, &format!("{margin} "), kind, *style, text, color);
            }
            let closing = format!("{}╯", "─".repeat(drawing.indent));
            let _ = writeln!(out, "{}", paint(color, Style::MARGIN, &closing));
        }
        None => {
            for (kind, style, text) in &trailer {
                write_trailer(out, "  = ", kind, *style, text, color);
            }
        }
    }
}

/// Writes `help: text` (or `note:`), continuation lines indented under the text.
fn write_trailer(out: &mut String, prefix: &str, kind: &str, style: Style, text: &str, color: bool) {
    let continuation = " ".repeat(kind.len() + 2);
    for (i, line) in text.split('\n').enumerate() {
        let line = escape(line.strip_suffix('\r').unwrap_or(line));
        if i == 0 {
            let _ = writeln!(out, "{prefix}{}: {line}", paint(color, style, kind));
        } else {
            let _ = writeln!(out, "{prefix}{continuation}{line}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aslc_source::{FileId, TextRange};

    #[test]
    fn summary_counts_and_pluralises() {
        let file = FileId(0);
        let at = TextRange::empty(0);
        let diagnostics = vec![
            Diagnostic::error("A", file, at, "a"),
            Diagnostic::error("B", file, at, "b"),
            Diagnostic::warning("C", file, at, "c"),
        ];
        assert_eq!(summary(&diagnostics, 1, false), "2 errors, 1 warning in 1 file\n");
        assert_eq!(summary(&[], 3, false), "0 errors, 0 warnings in 3 files\n");
        let info = Diagnostic::new("D", Severity::Info, file, at, "d");
        assert_eq!(summary(&[info], 2, false), "0 errors, 0 warnings, 1 info in 2 files\n");
        assert_eq!(summary(&diagnostics[..1], 1, true), "\x1b[1;31m1 error\x1b[0m, 0 warnings in 1 file\n");
    }
}
