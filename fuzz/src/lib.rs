//! Checks shared by the fuzz targets: whatever the input, every span a reader returns lies
//! inside the text on character boundaries, and every tree prints as JSON that reads back.
#![forbid(unsafe_code)]

use aslc_source::{Diagnostic, FileId, TextRange};
use aslc_syntax::{json, Node, NodeValue};

/// Panics unless `range` is a slice of `text`.
pub fn check_range(text: &str, range: TextRange, what: &str) {
    assert!(
        text.get(range.as_usize()).is_some(),
        "{what} range {range:?} is not a slice of {} bytes",
        text.len()
    );
}

/// Panics unless every label of every diagnostic is a slice of `text`.
pub fn check_diagnostics(text: &str, diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        check_range(text, diagnostic.primary.range, diagnostic.code);
        for label in &diagnostic.secondary {
            check_range(text, label.range, diagnostic.code);
        }
    }
}

/// Panics unless every range of the tree is a slice of `text` and every verbatim string
/// is found where it says.
pub fn check_tree(text: &str, node: &Node) {
    check_range(text, node.range, "node");
    match &node.value {
        NodeValue::String(s) => check_verbatim(text, &s.text, s.verbatim),
        NodeValue::Array(items) => items.iter().for_each(|item| check_tree(text, item)),
        NodeValue::Object(members) => {
            for member in members {
                check_range(text, member.key_range, "key");
                check_verbatim(text, &member.key.text, member.key.verbatim);
                check_tree(text, &member.value);
            }
        }
        _ => {}
    }
}

fn check_verbatim(text: &str, decoded: &str, verbatim: Option<u32>) {
    if let Some(base) = verbatim {
        let start = base as usize;
        assert_eq!(text.get(start..start + decoded.len()), Some(decoded), "verbatim string at {base}");
    }
}

/// Panics unless the tree prints as JSON that reads back to the same tree.
pub fn check_round_trip(node: &Node) {
    let printed = node.to_json();
    let parsed = json::parse(&printed, FileId(1));
    assert!(parsed.diagnostics.iter().all(|d| !d.is_error() || d.code == "S-JSON-DUPKEY"), "{printed}");
    let reread = parsed.node.expect("printed JSON reads");
    assert_eq!(reread.to_json(), printed);
}
