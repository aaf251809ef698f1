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

use aslc_source::Diagnostic;
use serde_json::{json, Value};

use crate::{file_name, label_region, sorted, SourceMap};

/// The JSON document, pretty-printed, ending in a newline.
pub fn render_json(diagnostics: &[Diagnostic], sources: &dyn SourceMap) -> String {
    // One allocation of about the final size: growing the buffer by doubling costs more
    // than writing it when reports run to thousands of diagnostics.
    let mut bytes = Vec::with_capacity(64 + diagnostics.len() * 640);
    let written = serde_json::to_writer_pretty(&mut bytes, &json_value(diagnostics, sources));
    let mut out = match written.ok().and_then(|()| String::from_utf8(bytes).ok()) {
        Some(text) => text,
        None => String::from("{\"diagnostics\": []}"),
    };
    out.push('\n');
    out
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
