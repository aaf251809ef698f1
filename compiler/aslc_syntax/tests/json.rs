//! Tests of the spanned JSON reader.

use aslc_source::FileId;
use aslc_syntax::json::parse;
use aslc_syntax::NodeValue;

fn codes(text: &str) -> Vec<&'static str> {
    parse(text, FileId(0)).diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn keeps_exact_number_text() {
    let parsed = parse(r#"{"a": 1e400, "b": 123456789012345678901, "c": -0.50}"#, FileId(0));
    let node = parsed.node.unwrap();
    assert_eq!(node.get("a").unwrap().as_number_text(), Some("1e400"));
    assert_eq!(node.get("b").unwrap().as_number_text(), Some("123456789012345678901"));
    assert_eq!(node.get("c").unwrap().as_number_text(), Some("-0.50"));
}

#[test]
fn spans_of_keys_and_values() {
    let text = r#"{"Next": "Done"}"#;
    let node = parse(text, FileId(0)).node.unwrap();
    let member = node.member("Next").unwrap();
    assert_eq!(&text[member.key_range.as_usize()], "\"Next\"");
    assert_eq!(&text[member.value.range.as_usize()], "\"Done\"");
    let s = member.value.as_spanned_str().unwrap();
    assert_eq!(s.verbatim, Some(10));
}

#[test]
fn decodes_escapes_and_surrogate_pairs() {
    let node = parse(r#""a\n\u00e9\ud83c\udd97""#, FileId(0)).node.unwrap();
    assert_eq!(node.as_str(), Some("a\n\u{e9}\u{1F197}"));
    assert_eq!(node.as_spanned_str().unwrap().verbatim, None);
}

#[test]
fn rejects_lone_surrogates() {
    assert_eq!(codes(r#""\ud800""#), ["S-JSON-SYNTAX"]);
    assert_eq!(codes(r#""\udc00x""#), ["S-JSON-SYNTAX"]);
}

#[test]
fn reports_duplicate_keys() {
    assert_eq!(codes(r#"{"a": 1, "a": 2}"#), ["S-JSON-DUPKEY"]);
}

#[test]
fn trailing_commas_warn() {
    let parsed = parse(r#"{"a": [1, 2,], }"#, FileId(0));
    assert!(parsed.node.is_some());
    let codes: Vec<_> = parsed.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["S-JSON-TRAILING-COMMA", "S-JSON-TRAILING-COMMA"]);
}

#[test]
fn malformed_inputs_are_diagnostics() {
    for text in [
        "",
        "not a definition",
        "{",
        "[1 2]",
        "{\"a\" 1}",
        "01",
        "1.",
        "-",
        "\"\u{1}\"",
        "{} x",
        "nul",
        "\"\\x\"",
    ] {
        let parsed = parse(text, FileId(0));
        assert!(parsed.node.is_none(), "{text:?} parsed");
        assert_eq!(parsed.diagnostics.len(), 1, "{text:?}");
        assert_eq!(parsed.diagnostics[0].code, "S-JSON-SYNTAX");
    }
}

#[test]
fn deep_nesting_is_bounded() {
    let text = "[".repeat(1_000_000);
    let parsed = parse(&text, FileId(0));
    assert!(parsed.node.is_none());
    assert_eq!(parsed.diagnostics[0].code, "S-JSON-DEPTH");
}

#[test]
fn invalid_utf8_is_a_diagnostic() {
    let parsed = aslc_syntax::json::parse_bytes(b"{\"a\": \"\xff\"}", FileId(0));
    assert!(parsed.node.is_none());
    assert_eq!(parsed.diagnostics[0].primary.range.start(), 7);
}

#[test]
fn nul_bytes_are_diagnostics() {
    let parsed = parse("{\"a\": \"\0\"}", FileId(0));
    assert!(parsed.node.is_none());
    let parsed = parse("{\0}", FileId(0));
    assert!(parsed.node.is_none());
}

#[test]
fn values_round_trip_to_json() {
    let text = r#"{"a":[1,true,null,"x\"y"],"b":{}}"#;
    let node = parse(text, FileId(0)).node.unwrap();
    assert_eq!(node.to_json(), text);
    assert!(matches!(node.value, NodeValue::Object(_)));
}

#[test]
fn duplicate_keys_in_wide_objects() {
    let mut text = String::from("{");
    for i in 0..40_000 {
        text.push_str(&format!("\"k{i}\": {i},"));
    }
    text.push_str("\"k7\": 0, \"k39999\": 1}");
    let parsed = parse(&text, FileId(0));
    let dups: Vec<_> = parsed.diagnostics.iter().filter(|d| d.code == "S-JSON-DUPKEY").collect();
    assert_eq!(dups.len(), 2);
    assert!(dups[0].message.contains("`k7`"));
    assert!(dups[1].message.contains("`k39999`"));
}

#[test]
fn indentation_of_every_width_keeps_spans() {
    // Runs of spaces shorter than, equal to and longer than eight bytes, mixed with tabs
    // and carriage returns, before values, keys, separators and the end of the text.
    for width in 0..20 {
        let pad = " ".repeat(width);
        let text = format!(
            "{{\n{pad}\"a\"{pad}:\r\n{pad}[\n{pad}1,\n\t{pad}\"b\"\n{pad}]\n{pad},\"c\":\n{pad}{{}}{pad}\n}}\n{pad}"
        );
        let parsed = parse(&text, FileId(0));
        assert!(parsed.diagnostics.is_empty(), "{width}: {:?}", parsed.diagnostics);
        let node = parsed.node.unwrap();
        assert_eq!(node.to_json(), r#"{"a":[1,"b"],"c":{}}"#);
        let items = node.get("a").unwrap().as_array().unwrap();
        assert_eq!(&text[items[0].range.as_usize()], "1");
        assert_eq!(&text[items[1].range.as_usize()], "\"b\"");
        assert_eq!(&text[node.member("c").unwrap().key_range.as_usize()], "\"c\"");
    }
    assert_eq!(codes("{\n         \"a\": 1,\n         x}"), ["S-JSON-SYNTAX"]);
}

#[test]
fn containers_hold_exactly_their_elements() {
    // Nested objects and arrays of several sizes: each vector is allocated for its elements,
    // not grown by doubling.
    let text = r#"{"a": [1, 2, 3, 4, 5, [6, 7, 8, 9, 10, 11], {"x": 1, "y": [], "z": {}}],
                   "b": {"c": 1, "d": 2, "e": 3, "f": 4, "g": 5}, "h": [[[1]]]}"#;
    fn check(node: &aslc_syntax::Node) {
        match &node.value {
            NodeValue::Array(items) => {
                assert_eq!(items.capacity(), items.len(), "{}", node.to_json());
                items.iter().for_each(check);
            }
            NodeValue::Object(members) => {
                assert_eq!(members.capacity(), members.len(), "{}", node.to_json());
                members.iter().for_each(|m| check(&m.value));
            }
            _ => {}
        }
    }
    let node = parse(text, FileId(0)).node.unwrap();
    assert_eq!(
        node.to_json(),
        r#"{"a":[1,2,3,4,5,[6,7,8,9,10,11],{"x":1,"y":[],"z":{}}],"b":{"c":1,"d":2,"e":3,"f":4,"g":5},"h":[[[1]]]}"#
    );
    check(&node);
}

#[test]
fn short_keys_and_values_are_stored_inline() {
    let node = parse(
        r#"{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken"}"#,
        FileId(0),
    )
    .node
    .unwrap();
    let members = node.as_object().unwrap();
    assert!(members.iter().all(|m| !m.key.text.is_heap_allocated()));
    assert!(!node.get("Type").unwrap().as_spanned_str().unwrap().text.is_heap_allocated());
    // Longer text still reads back whole.
    assert_eq!(
        node.get("Resource").unwrap().as_str(),
        Some("arn:aws:states:::lambda:invoke.waitForTaskToken")
    );
}

#[test]
fn keywords_end_where_a_token_ends() {
    let text = "[true,false ,null]";
    let node = parse(text, FileId(0)).node.unwrap();
    assert_eq!(node.to_json(), "[true,false,null]");
    let items = node.as_array().unwrap();
    assert_eq!(&text[items[1].range.as_usize()], "false");
    assert_eq!(&text[items[2].range.as_usize()], "null");
    assert_eq!(parse("{\"a\":true}", FileId(0)).node.unwrap().to_json(), "{\"a\":true}");
    for text in ["truex", "[nul]", "[falsey]", "nullnull", "tru"] {
        assert_eq!(codes(text), ["S-JSON-SYNTAX"], "{text}");
    }
}

#[test]
fn duplicate_keys_are_found_whether_escaped_or_not() {
    assert_eq!(codes(r#"{"a": 1, "\u0061": 2}"#), ["S-JSON-DUPKEY"]);
    assert_eq!(codes(r#"{"\u0061": 1, "a": 2}"#), ["S-JSON-DUPKEY"]);
    assert_eq!(codes(r#"{"a\/": 1, "a/": 2}"#), ["S-JSON-DUPKEY"]);
    assert!(codes(r#"{"ab": 1, "a": 2, "ba": 3, "a\u0062c": 4}"#).is_empty());
    // Wide objects go through the hash index.
    let mut text = String::from("{");
    for i in 0..40 {
        text.push_str(&format!("\"k{i}\": {i}, "));
    }
    text.push_str(r#""k\u0031": 0}"#);
    assert_eq!(codes(&text), ["S-JSON-DUPKEY"]);
}
