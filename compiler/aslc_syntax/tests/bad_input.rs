//! Malformed, hostile and huge inputs: every reader must answer with a diagnostic that has
//! a range inside the input, never a panic, a stack overflow or a hang.
//!
//! Inputs the fuzz targets found crashing are kept at the end, each with a readable note.

use std::time::Instant;

use aslc_source::{Diagnostic, FileId};
use aslc_syntax::json::Parsed;
use aslc_syntax::{cfn, json, yaml};

/// Reads `bytes` as JSON, as YAML and (when it reads) as a template, checking that every
/// diagnostic's range lies inside the input. Returns the JSON and YAML results.
fn read_all(bytes: &[u8]) -> (Parsed, Parsed) {
    let from_json = json::parse_bytes(bytes, FileId(0));
    let from_yaml = yaml::parse_bytes(bytes, FileId(0));
    for parsed in [&from_json, &from_yaml] {
        check_ranges(&parsed.diagnostics, bytes.len());
        if let (Some(node), Ok(text)) = (&parsed.node, std::str::from_utf8(bytes)) {
            let template = cfn::extract(node, text, FileId(0));
            check_ranges(&template.diagnostics, bytes.len());
        }
    }
    (from_json, from_yaml)
}

fn check_ranges(diagnostics: &[Diagnostic], len: usize) {
    for diagnostic in diagnostics {
        let range = diagnostic.primary.range.as_usize();
        assert!(range.end <= len, "{diagnostic:?} outside {len} bytes");
        for label in &diagnostic.secondary {
            assert!(label.range.as_usize().end <= len);
        }
    }
}

/// `text` fails to read in both syntaxes, each with exactly one error of `code`.
fn rejected(text: &[u8], json_code: &str, yaml_code: &str) {
    let (from_json, from_yaml) = read_all(text);
    for (parsed, code, syntax) in [(from_json, json_code, "JSON"), (from_yaml, yaml_code, "YAML")] {
        assert!(parsed.node.is_none(), "{syntax} read {:?}", String::from_utf8_lossy(text));
        let codes: Vec<&str> = parsed.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, [code], "{syntax}: {:?}", String::from_utf8_lossy(text));
    }
}

#[test]
fn malformed_documents() {
    for text in ["{", "[1, 2", "\"unterminated", "{\"a\": [}]", "{\"a\": 1}}", "{\"a\": \"\\x\"}", "[1,,2]"] {
        rejected(text.as_bytes(), "S-JSON-SYNTAX", "S-JSON-SYNTAX");
    }
    // Valid YAML, but not JSON.
    for text in ["{\"a\": }", "{\"a\": 'single'}", "[01, +1]", "{a: b}", "x"] {
        let (from_json, from_yaml) = read_all(text.as_bytes());
        assert!(from_json.node.is_none(), "{text:?}");
        assert_eq!(from_json.diagnostics.len(), 1);
        assert!(from_yaml.node.is_some(), "{text:?}");
    }
    for text in ["a: b: c", "a:\n  - x\n  y: 1", "key: 'open", "- a\nb: c", "&a [*b]", "!<bad"] {
        let (_, from_yaml) = read_all(text.as_bytes());
        assert!(from_yaml.node.is_none(), "{text:?}");
        assert_eq!(from_yaml.diagnostics.len(), 1, "{text:?}");
    }
}

#[test]
fn deep_nesting() {
    let depth = 1_000_000;
    rejected("[".repeat(depth).as_bytes(), "S-JSON-DEPTH", "S-JSON-DEPTH");
    rejected("{\"a\":".repeat(depth).as_bytes(), "S-JSON-DEPTH", "S-JSON-DEPTH");
    let closed = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    rejected(closed.as_bytes(), "S-JSON-DEPTH", "S-JSON-DEPTH");
    // Block nesting: a sequence in a sequence in …, and mappings in sequences.
    let block = format!("{}x\n", "- ".repeat(depth));
    let (_, from_yaml) = read_all(block.as_bytes());
    assert_eq!(from_yaml.diagnostics[0].code, "S-JSON-DEPTH");
    let block = format!("{}x\n", "- a: ".repeat(depth / 10));
    let (_, from_yaml) = read_all(block.as_bytes());
    assert!(from_yaml.node.is_none());
}

#[test]
fn a_100_megabyte_document_reads_in_linear_time() {
    // Many definitions side by side: objects of a few members each, as real ones are.
    let definition = r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3, "BackoffRate": 1.5}], "Next": "B"}, "B": {"Type": "Succeed"}}}"#;
    let count = (100 << 20) / (definition.len() + 1);
    let mut text = String::with_capacity(count * (definition.len() + 1) + 2);
    text.push('[');
    for i in 0..count {
        if i > 0 {
            text.push(',');
        }
        text.push_str(definition);
    }
    text.push(']');
    let started = Instant::now();
    let parsed = json::parse(&text, FileId(0));
    eprintln!("read {} MB of JSON ({count} definitions) in {:?}", text.len() >> 20, started.elapsed());
    assert!(parsed.diagnostics.is_empty());
    assert_eq!(parsed.node.unwrap().as_array().unwrap().len(), count);
}

#[test]
fn invalid_utf8() {
    for bytes in [&b"{\"a\": \"\xff\"}"[..], b"a: \xc3\x28\n", b"\xed\xa0\x80", b"{\"a\xf0\x90\x80\": 1}"] {
        let (from_json, from_yaml) = read_all(bytes);
        for parsed in [from_json, from_yaml] {
            assert!(parsed.node.is_none());
            assert_eq!(parsed.diagnostics.len(), 1);
            assert_eq!(parsed.diagnostics[0].code, "S-JSON-SYNTAX");
            let first_bad = std::str::from_utf8(bytes).unwrap_err().valid_up_to();
            assert_eq!(parsed.diagnostics[0].primary.range.start() as usize, first_bad);
        }
    }
}

#[test]
fn nul_bytes() {
    for text in ["\0", "{\"a\": \"\0\"}", "{\0}", "a: x\0y\n", "a: \"x\0y\"\n", "[1, \0]"] {
        let (from_json, from_yaml) = read_all(text.as_bytes());
        assert!(from_json.node.is_none(), "{text:?}");
        assert!(from_yaml.node.is_none(), "{text:?}");
        assert!(!from_json.diagnostics.is_empty() && !from_yaml.diagnostics.is_empty());
    }
}

#[test]
fn lone_surrogate_escapes() {
    for text in [r#""\ud800""#, r#"{"a": "\udc00"}"#, r#"["\ud800\u0041"]"#, r#""\ud800\ud800""#] {
        rejected(text.as_bytes(), "S-JSON-SYNTAX", "S-JSON-SYNTAX");
    }
}

#[test]
fn definition_strings_that_are_not_json() {
    for (definition, expected) in [
        ("'not json'", "not"),
        ("'{\"StartAt\": \"A\",}'", ","),
        ("|\n        {\"a\": \"\\ud800\"}", "\\ud800"),
        ("\"{\\\"a\\\": 1 2}\"", "2"),
        ("''", ""),
    ] {
        let text = format!(
            "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: {definition}\n"
        );
        let root = yaml::parse(&text, FileId(0)).node.unwrap();
        let template = cfn::extract(&root, &text, FileId(0));
        check_ranges(&template.diagnostics, text.len());
        let found: Vec<(&str, &str)> =
            template.diagnostics.iter().map(|d| (d.code, &text[d.primary.range.as_usize()])).collect();
        let code = if expected == "," { "S-JSON-TRAILING-COMMA" } else { "S-JSON-SYNTAX" };
        assert_eq!(found, [(code, expected)], "{definition}");
    }
}

#[test]
fn alias_bombs_stop_early() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x]\n");
    let mut previous = "a".to_string();
    for level in 0..20 {
        let name = format!("l{level}");
        text.push_str(&format!("{name}: &{name} [{}]\n", vec![format!("*{previous}"); 16].join(", ")));
        previous = name;
    }
    let started = Instant::now();
    let (_, from_yaml) = read_all(text.as_bytes());
    eprintln!("stopped an alias bomb in {:?}", started.elapsed());
    assert_eq!(from_yaml.diagnostics[0].code, "S-YAML-ALIAS");
}
