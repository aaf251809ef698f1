//! The JSON view: one document, `{"diagnostics": [...]}`, for scripts and the conformance
//! runner.
//!
//! Each diagnostic is an object with, in this order: `file`, `severity` (`error`,
//! `warning` or `info`), `code`, `message`, `location` (the AWS-style JSON pointer, `null`
//! when there is none), `line`, `column`, `end_line`, `end_column` (1-based, character
//! columns, the end exclusive), `help` (string or `null`), `notes` (array of strings),
//! `related` (the secondary labels: `file`, `line`, `column`, `end_line`, `end_column`,
//! `message`) and, only when AWS reports the same finding, `aws` (`code`, and `message` or
//! `null`). The key order and the diagnostic order are stable; consumers must accept keys
//! added later.

use std::fmt::Write as _;

use aslc_source::Diagnostic;
use serde_json::{json, Value};

use crate::{file_name, label_region, sorted, SourceMap};

/// The JSON document, pretty-printed, ending in a newline.
///
/// Written straight into the output buffer, in exactly the layout `serde_json`'s pretty
/// printer gives [`json_value`] (a test holds the two together): building a `Value` per
/// diagnostic first costs several times more than the checking of a typical file.
pub fn render_json(diagnostics: &[Diagnostic], sources: &dyn SourceMap) -> String {
    let mut document = Document::new(None, 64 + diagnostics.len() * 640);
    // Nothing is handed on before the end, so nothing can fail.
    let _ = write_items(&mut document, diagnostics, sources);
    document.finish().unwrap_or_default()
}

/// [`render_json`], written to `writer` in pieces of about 32 KiB: a large report never
/// needs a buffer of its whole size, which for a big check is fresh memory the system must
/// clear first.
pub fn write_json(
    diagnostics: &[Diagnostic],
    sources: &dyn SourceMap,
    writer: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut document = Document::new(Some(writer), PIECE + 4096);
    write_items(&mut document, diagnostics, sources)?;
    document.finish().map(drop)
}

/// The items of the JSON document for `diagnostics`, in the document's order, each written
/// as it reads after an earlier item (`,` then the object). Pieces rendered separately
/// (one per input file, on the threads that checked them) and joined by
/// [`write_json_pieces`] give exactly [`write_json`]'s document, as long as no diagnostic
/// of a later piece sorts before one of an earlier piece.
pub fn render_json_items(diagnostics: &[Diagnostic], sources: &dyn SourceMap, out: &mut String) {
    for diagnostic in sorted(diagnostics) {
        write_item(out, diagnostic, sources);
    }
}

/// The JSON document made of `pieces` from [`render_json_items`], in order, written to
/// `writer` in pieces of about 32 KiB.
pub fn write_json_pieces<'p>(
    pieces: impl IntoIterator<Item = &'p str>,
    writer: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut document = Document::new(Some(writer), PIECE + 4096);
    for piece in pieces {
        document.push_items(piece)?;
    }
    document.finish().map(drop)
}

/// About how much of the document is handed to the writer at a time.
const PIECE: usize = 32 << 10;

/// One item of the document as it reads after an earlier one: `,` then the object.
fn write_item(out: &mut String, diagnostic: &Diagnostic, sources: &dyn SourceMap) {
    out.push_str(",\n    {");
    write_diagnostic(out, diagnostic, sources);
    out.push_str("\n    }");
}

/// Writes `diagnostics` as items of `document`, in the document's order.
fn write_items(
    document: &mut Document<'_>,
    diagnostics: &[Diagnostic],
    sources: &dyn SourceMap,
) -> std::io::Result<()> {
    let mut item = String::new();
    for diagnostic in sorted(diagnostics) {
        item.clear();
        write_item(&mut item, diagnostic, sources);
        document.push_items(&item)?;
    }
    Ok(())
}

/// The document around its items: the opening before the first (whose leading `,` it
/// drops), the closing after the last, or the empty list; handed to the writer, if there
/// is one, in pieces of about [`PIECE`] bytes.
struct Document<'w> {
    out: String,
    empty: bool,
    writer: Option<&'w mut dyn std::io::Write>,
}

impl<'w> Document<'w> {
    fn new(writer: Option<&'w mut dyn std::io::Write>, capacity: usize) -> Document<'w> {
        Document { out: String::with_capacity(capacity), empty: true, writer }
    }

    /// Appends items written by [`write_item`] (any number, including none).
    fn push_items(&mut self, items: &str) -> std::io::Result<()> {
        let items = match items.strip_prefix(',') {
            Some(first) if self.empty => {
                self.out.push_str("{\n  \"diagnostics\": [");
                self.empty = false;
                first
            }
            _ => items,
        };
        self.out.push_str(items);
        match &mut self.writer {
            Some(writer) if self.out.len() >= PIECE => {
                writer.write_all(self.out.as_bytes())?;
                self.out.clear();
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Closes the document; returns what was not handed to a writer.
    fn finish(mut self) -> std::io::Result<String> {
        self.out.push_str(if self.empty { "{\n  \"diagnostics\": []\n}\n" } else { "\n  ]\n}\n" });
        match self.writer {
            Some(writer) => writer.write_all(self.out.as_bytes()).map(|()| String::new()),
            None => Ok(self.out),
        }
    }
}

/// The members of one diagnostic object, at the indentation of the document's items.
fn write_diagnostic(out: &mut String, diagnostic: &Diagnostic, sources: &dyn SourceMap) {
    const IN: &str = "\n      ";
    let region = label_region(sources, &diagnostic.primary);
    let mut w = Members { out, indent: IN, first: true };
    w.string("file", file_name(sources, diagnostic.primary.file));
    w.string("severity", diagnostic.severity.as_str());
    w.string("code", diagnostic.code);
    w.string("message", &diagnostic.message);
    match diagnostic.location.as_str() {
        "" => w.raw("location", "null"),
        pointer => w.string("location", pointer),
    }
    w.number("line", region.start.line);
    w.number("column", region.start.column);
    w.number("end_line", region.end.line);
    w.number("end_column", region.end.column);
    match &diagnostic.help {
        Some(help) => w.string("help", help),
        None => w.raw("help", "null"),
    }
    w.key("notes");
    if diagnostic.notes.is_empty() {
        w.out.push_str("[]");
    } else {
        w.out.push('[');
        for (i, note) in diagnostic.notes.iter().enumerate() {
            w.out.push_str(if i == 0 { "\n        " } else { ",\n        " });
            push_json_string(w.out, note);
        }
        w.out.push_str("\n      ]");
    }
    w.key("related");
    if diagnostic.secondary.is_empty() {
        w.out.push_str("[]");
    } else {
        w.out.push('[');
        for (i, label) in diagnostic.secondary.iter().enumerate() {
            w.out.push_str(if i == 0 { "\n        {" } else { ",\n        {" });
            let region = label_region(sources, label);
            let mut inner = Members { out: &mut *w.out, indent: "\n          ", first: true };
            inner.string("file", file_name(sources, label.file));
            inner.number("line", region.start.line);
            inner.number("column", region.start.column);
            inner.number("end_line", region.end.line);
            inner.number("end_column", region.end.column);
            inner.string("message", &label.message);
            w.out.push_str("\n        }");
        }
        w.out.push_str("\n      ]");
    }
    if let Some(aws) = &diagnostic.aws {
        w.key("aws");
        w.out.push('{');
        let mut inner = Members { out: &mut *w.out, indent: "\n        ", first: true };
        inner.string("code", aws.code);
        match &aws.message {
            Some(message) => inner.string("message", message),
            None => inner.raw("message", "null"),
        }
        w.out.push_str("\n      }");
    }
}

/// Writes the members of one object: `"key": value` pairs, comma-separated, one per line.
struct Members<'o> {
    out: &'o mut String,
    indent: &'static str,
    first: bool,
}

impl Members<'_> {
    /// Keys are the format's own names, plain identifiers: written without escaping.
    fn key(&mut self, key: &'static str) {
        debug_assert!(key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
        if !self.first {
            self.out.push(',');
        }
        self.first = false;
        self.out.push_str(self.indent);
        self.out.push('"');
        self.out.push_str(key);
        self.out.push_str("\": ");
    }

    fn string(&mut self, key: &'static str, value: &str) {
        self.key(key);
        push_json_string(self.out, value);
    }

    fn number(&mut self, key: &'static str, value: u32) {
        self.key(key);
        let _ = write!(self.out, "{value}");
    }

    fn raw(&mut self, key: &'static str, value: &str) {
        self.key(key);
        self.out.push_str(value);
    }
}

/// `text` as a JSON string literal, escaped as `serde_json` escapes it.
fn push_json_string(out: &mut String, text: &str) {
    aslc_source::write_json_string(text, out);
}

/// The JSON document as a value.
pub fn json_value(diagnostics: &[Diagnostic], sources: &dyn SourceMap) -> Value {
    let items: Vec<Value> = sorted(diagnostics).into_iter().map(|d| diagnostic(d, sources)).collect();
    json!({ "diagnostics": items })
}

fn diagnostic(diagnostic: &Diagnostic, sources: &dyn SourceMap) -> Value {
    let region = label_region(sources, &diagnostic.primary);
    let location = match diagnostic.location.as_str() {
        "" => Value::Null,
        pointer => Value::from(pointer),
    };
    let related: Vec<Value> = diagnostic
        .secondary
        .iter()
        .map(|label| {
            let region = label_region(sources, label);
            json!({
                "file": file_name(sources, label.file),
                "line": region.start.line,
                "column": region.start.column,
                "end_line": region.end.line,
                "end_column": region.end.column,
                "message": label.message,
            })
        })
        .collect();
    let mut object = json!({
        "file": file_name(sources, diagnostic.primary.file),
        "severity": diagnostic.severity.as_str(),
        "code": diagnostic.code,
        "message": diagnostic.message,
        "location": location,
        "line": region.start.line,
        "column": region.start.column,
        "end_line": region.end.line,
        "end_column": region.end.column,
        "help": diagnostic.help,
        "notes": diagnostic.notes,
        "related": related,
    });
    if let (Some(aws), Some(map)) = (&diagnostic.aws, object.as_object_mut()) {
        map.insert("aws".to_owned(), json!({ "code": aws.code, "message": aws.message }));
    }
    object
}

#[cfg(test)]
mod tests {
    use super::push_json_string;

    fn escaped(text: &str) -> String {
        let mut out = String::new();
        push_json_string(&mut out, text);
        out
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        // Every ASCII character at every position of a 20-byte string, so that each one
        // is met both in the eight-byte scan and in the byte-by-byte tail.
        for c in (0u8..0x80).map(char::from) {
            for at in 0..20 {
                let mut text: String = "abcdefghijklmnopqrst".into();
                text.replace_range(at..=at, &c.to_string());
                assert_eq!(escaped(&text), serde_json::to_string(&text).unwrap(), "{text:?}");
            }
        }
        for text in ["", "é", "naïve \"quoted\"\n", "\u{7f}\u{80}\u{2028}😀", "\\\\\\\\\\\\\\\\\\"] {
            assert_eq!(escaped(text), serde_json::to_string(text).unwrap(), "{text:?}");
        }
    }
}
