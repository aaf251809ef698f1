//! Error recovery: a file with ten independent mistakes gives ten diagnostics, each at
//! its own span, and the rest of the file is still checked.

use aslc_source::{FileId, LineIndex};

fn render(text: &str) -> String {
    let compiled = aslc_dsl::compile(text, FileId(0));
    let index = LineIndex::new(text);
    let mut out = String::new();
    for d in &compiled.diagnostics {
        let at = index.line_col(text, d.primary.range.start());
        let snippet = &text[d.primary.range.as_usize()];
        out.push_str(&format!(
            "{}:{} {} {}: {} [{}]\n",
            at.line,
            at.column,
            d.code,
            d.severity.as_str(),
            d.message,
            snippet
        ));
    }
    out
}

#[test]
fn ten_mistakes_give_ten_diagnostics() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ten-mistakes.asld");
    let text = std::fs::read_to_string(path).expect("fixture exists");
    let rendered = render(&text);
    assert_eq!(rendered.lines().count(), 10, "{rendered}");
    insta::assert_snapshot!(rendered);
}

#[test]
fn deep_nesting_is_bounded_with_a_diagnostic() {
    for (open, close) in [("{ a: ", " }"), ("[", "]"), ("(", ")")] {
        let depth = 100_000;
        let text = format!("pass P {{\n  result {}1{}\n}}\n", open.repeat(depth), close.repeat(depth));
        let compiled = aslc_dsl::compile(&text, FileId(0));
        assert!(compiled.diagnostics.iter().any(|d| d.code == "D-SYNTAX"), "{open}");
    }
    let blocks = "choice C {\n  if $.a == 1 {\n".repeat(5_000);
    let compiled = aslc_dsl::compile(&blocks, FileId(0));
    assert!(compiled.has_errors());
}
