//! The SARIF 2.1.0 view: a log that code-scanning services (GitHub among them) ingest.
//!
//! One run: `tool.driver` names aslc and lists one rule per code that appears (described
//! by the caller's rule lookup), `columnKind` is `unicodeCodePoints` because our columns
//! count characters, and each diagnostic is a result with its primary span as the location
//! and its secondary labels as related locations. Artifact URIs are the display names made
//! URI references: forward slashes, percent-encoded, absolute paths as `file://` URIs.
//! The JSON pointer of a diagnostic, where it has one, is the result's logical location.
//!
//! Results carry no `partialFingerprints`: GitHub reads only its own
//! `primaryLocationLineHash`, which its upload action computes from the files.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use aslc_source::{Diagnostic, Label, Severity};
use serde_json::{json, Map, Value};

use crate::{file_name, label_region, sorted, SourceMap};

/// The SARIF schema the log declares.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// What the log says about a rule, from the caller's rule registry.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct RuleMeta {
    /// The rule's kebab-case name (`name`).
    pub name: String,
    /// One line: what the rule requires (`shortDescription`).
    pub summary: String,
    /// The rule's default level (`defaultConfiguration.level`).
    pub level: Severity,
    /// Where the rule is documented (`helpUri`), if anywhere.
    pub help_uri: Option<String>,
    /// The rule's documentation in Markdown (`help`), if any.
    pub help: Option<String>,
}

/// The tool that produced the log (`tool.driver`).
#[derive(Clone, Copy, Debug)]
pub struct ToolInfo<'a> {
    /// The version of aslc.
    pub version: &'a str,
    /// Where aslc is documented (`informationUri`), an absolute URI.
    pub information_uri: &'a str,
}

/// The SARIF log, pretty-printed, ending in a newline.
///
/// `rules` describes a code; codes it does not know are listed with the code as their
/// description and the level of their first diagnostic.
pub fn render_sarif(
    diagnostics: &[Diagnostic],
    sources: &dyn SourceMap,
    tool: ToolInfo<'_>,
    rules: &dyn Fn(&str) -> Option<RuleMeta>,
) -> String {
    let mut out = serde_json::to_string_pretty(&sarif_value(diagnostics, sources, tool, rules))
        .unwrap_or_else(|_| String::from("{}"));
    out.push('\n');
    out
}

/// The SARIF log as a value.
pub fn sarif_value(
    diagnostics: &[Diagnostic],
    sources: &dyn SourceMap,
    tool: ToolInfo<'_>,
    rules: &dyn Fn(&str) -> Option<RuleMeta>,
) -> Value {
    let diagnostics = sorted(diagnostics);

    // Rules sorted by code; a result refers to its rule by index.
    let mut rule_levels: BTreeMap<&str, Severity> = BTreeMap::new();
    for diagnostic in &diagnostics {
        rule_levels.entry(diagnostic.code).or_insert(diagnostic.severity);
    }
    let rule_index: BTreeMap<&str, usize> =
        rule_levels.keys().enumerate().map(|(i, code)| (*code, i)).collect();
    let rule_list: Vec<Value> = rule_levels.iter().map(|(code, level)| rule(code, *level, rules)).collect();

    let results: Vec<Value> = diagnostics
        .iter()
        .map(|diagnostic| {
            let index = rule_index.get(diagnostic.code).copied().unwrap_or_default();
            result(diagnostic, index, sources)
        })
        .collect();

    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "aslc",
                    "version": tool.version,
                    "informationUri": tool.information_uri,
                    "rules": rule_list,
                },
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule(code: &str, seen: Severity, rules: &dyn Fn(&str) -> Option<RuleMeta>) -> Value {
    let meta = rules(code);
    let (summary, severity) = match &meta {
        Some(meta) => (meta.summary.as_str(), meta.level),
        None => (code, seen),
    };
    let mut object = Map::new();
    object.insert("id".to_owned(), Value::from(code));
    if let Some(meta) = &meta {
        object.insert("name".to_owned(), Value::from(meta.name.as_str()));
    }
    object.insert("shortDescription".to_owned(), json!({ "text": summary }));
    // GitHub shows `fullDescription` with each alert; a one-line summary is all we have.
    object.insert("fullDescription".to_owned(), json!({ "text": summary }));
    if let Some(uri) = meta.as_ref().and_then(|meta| meta.help_uri.as_deref()) {
        object.insert("helpUri".to_owned(), Value::from(uri));
    }
    if let Some(help) = meta.as_ref().and_then(|meta| meta.help.as_deref()) {
        object.insert("help".to_owned(), json!({ "text": help, "markdown": help }));
    }
    object.insert("defaultConfiguration".to_owned(), json!({ "level": level(severity) }));
    Value::Object(object)
}

fn result(diagnostic: &Diagnostic, rule_index: usize, sources: &dyn SourceMap) -> Value {
    let mut text = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        let _ = write!(text, "\nhelp: {help}");
    }
    let related: Vec<Value> = diagnostic
        .secondary
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let mut location = Map::new();
            location.insert("id".to_owned(), Value::from(i));
            location.insert("physicalLocation".to_owned(), physical_location(label, sources));
            if !label.message.is_empty() {
                location.insert("message".to_owned(), json!({ "text": label.message }));
            }
            Value::Object(location)
        })
        .collect();
    let mut object = Map::new();
    object.insert("ruleId".to_owned(), Value::from(diagnostic.code));
    object.insert("ruleIndex".to_owned(), Value::from(rule_index));
    object.insert("level".to_owned(), Value::from(level(diagnostic.severity)));
    object.insert("message".to_owned(), json!({ "text": text }));
    let mut location = Map::new();
    location.insert("physicalLocation".to_owned(), physical_location(&diagnostic.primary, sources));
    if !diagnostic.location.is_empty() {
        // The JSON pointer names the place in the definition, as AWS reports it.
        location
            .insert("logicalLocations".to_owned(), json!([{ "fullyQualifiedName": diagnostic.location }]));
    }
    object.insert("locations".to_owned(), json!([location]));
    if !related.is_empty() {
        object.insert("relatedLocations".to_owned(), Value::Array(related));
    }
    Value::Object(object)
}

fn physical_location(label: &Label, sources: &dyn SourceMap) -> Value {
    let region = label_region(sources, label);
    json!({
        "artifactLocation": { "uri": artifact_uri(file_name(sources, label.file)) },
        "region": {
            "startLine": region.start.line,
            "startColumn": region.start.column,
            "endLine": region.end.line,
            "endColumn": region.end.column,
        },
    })
}

/// The URI reference of a file named `name` on the command line.
///
/// Backslashes become slashes (Windows paths), a leading `./` is dropped, absolute paths
/// become `file://` URIs, and every byte outside the unreserved set and `/` is
/// percent-encoded (so a relative path with a `:` cannot read as a URI scheme).
fn artifact_uri(name: &str) -> String {
    let path = name.replace('\\', "/");
    let mut path = path.as_str();
    while let Some(rest) = path.strip_prefix("./") {
        path = rest;
    }
    let bytes = path.as_bytes();
    let is_drive = bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    if is_drive {
        // `C:/dir/file` is `file:///C:/dir/file`.
        let (drive, rest) = path.split_at(2);
        format!("file:///{drive}{}", percent_encode(rest))
    } else if path.starts_with('/') {
        format!("file://{}", percent_encode(path))
    } else {
        percent_encode(path)
    }
}

fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_encoded_references() {
        assert_eq!(artifact_uri("machines/order flow.asl.json"), "machines/order%20flow.asl.json");
        assert_eq!(artifact_uri("./a/b.json"), "a/b.json");
        assert_eq!(artifact_uri("dir\\sub\\x.yaml"), "dir/sub/x.yaml");
        assert_eq!(artifact_uri("/abs/p#1.json"), "file:///abs/p%231.json");
        assert_eq!(artifact_uri("C:\\defs\\m.json"), "file:///C:/defs/m.json");
        assert_eq!(artifact_uri("a:b.json"), "a%3Ab.json");
        assert_eq!(artifact_uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(artifact_uri("caf\u{e9}.json"), "caf%C3%A9.json");
        assert_eq!(artifact_uri("../up.json"), "../up.json");
    }
}
