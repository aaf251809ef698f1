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
    let mut out = String::with_capacity(64 + diagnostics.len() * 640);
    // Nothing is handed on before the end, so nothing can fail.
    let _ = emit_json(diagnostics, sources, &mut out, &mut |_| Ok(()));
    out
}

/// [`render_json`], written to `writer` in pieces of about 32 KiB: a large report never
/// needs a buffer of its whole size, which for a big check is fresh memory the system must
/// clear first.
pub fn write_json(
    diagnostics: &[Diagnostic],
    sources: &dyn SourceMap,
    writer: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    const PIECE: usize = 32 << 10;
    let mut out = String::with_capacity(PIECE + 4096);
    emit_json(diagnostics, sources, &mut out, &mut |out: &mut String| {
        if out.len() >= PIECE {
            writer.write_all(out.as_bytes())?;
            out.clear();
        }
        Ok(())
    })?;
    writer.write_all(out.as_bytes())
}

/// The items of the JSON document for `diagnostics`, in the document's order, each written
/// as it reads after an earlier item (`,` then the object). Pieces rendered separately
/// (one per input file, on the threads that checked them) and joined by
/// [`write_json_pieces`] give exactly [`write_json`]'s document, as long as no diagnostic
/// of a later piece sorts before one of an earlier piece.
pub fn render_json_items(diagnostics: &[Diagnostic], sources: &dyn SourceMap, out: &mut String) {
    for diagnostic in sorted(diagnostics) {
        out.push_str(",\n    {");
        write_diagnostic(out, diagnostic, sources);
        out.push_str("\n    }");
    }
}

/// The JSON document made of `pieces` from [`render_json_items`], in order, written to
/// `writer` in pieces of about 32 KiB.
pub fn write_json_pieces<'p>(
    pieces: impl IntoIterator<Item = &'p str>,
    writer: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    const PIECE: usize = 32 << 10;
    let mut out = String::with_capacity(PIECE + 4096);
    let mut empty = true;
    for piece in pieces {
        let piece = match piece.strip_prefix(',') {
            Some(first) if empty => {
                out.push_str("{\n  \"diagnostics\": [");
                empty = false;
                first
            }
            _ => piece,
        };
        out.push_str(piece);
        if out.len() >= PIECE {
            writer.write_all(out.as_bytes())?;
            out.clear();
        }
    }
    out.push_str(if empty { "{\n  \"diagnostics\": []\n}\n" } else { "\n  ]\n}\n" });
    writer.write_all(out.as_bytes())
}

/// Writes the document into `out`, offering it to `hand_on` after each diagnostic.
fn emit_json(
    diagnostics: &[Diagnostic],
    sources: &dyn SourceMap,
    out: &mut String,
    hand_on: &mut dyn FnMut(&mut String) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let sorted = sorted(diagnostics);
    if sorted.is_empty() {
        out.push_str("{\n  \"diagnostics\": []\n}\n");
        return Ok(());
    }
    out.push_str("{\n  \"diagnostics\": [");
    for (i, diagnostic) in sorted.into_iter().enumerate() {
        out.push_str(if i == 0 { "\n    {" } else { ",\n    {" });
        write_diagnostic(out, diagnostic, sources);
        out.push_str("\n    }");
        hand_on(out)?;
    }
    out.push_str("\n  ]\n}\n");
    Ok(())
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
