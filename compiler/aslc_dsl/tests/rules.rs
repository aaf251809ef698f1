//! The fixtures of the `D-` rules, `tests/fixtures/rules/<CODE>/`: every `invalid_*.asld`
//! raises its code and every `valid_*.asld` does not; each file's diagnostics are
//! snapshotted, so a change of span or message shows as a diff.

use std::path::{Path, PathBuf};

use aslc_source::{FileId, LineIndex};

fn render(text: &str) -> String {
    let compiled = aslc_dsl::compile(text, FileId(0));
    let index = LineIndex::new(text);
    let mut out = String::new();
    for d in &compiled.diagnostics {
        let at = index.line_col(text, d.primary.range.start());
        let snippet: String = text[d.primary.range.as_usize()].lines().next().unwrap_or("").to_owned();
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

fn fixtures() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&root).expect("the rule fixtures exist").flatten() {
        let code = dir.file_name().to_string_lossy().into_owned();
        for file in std::fs::read_dir(dir.path()).expect("a rule's fixtures").flatten() {
            out.push((code.clone(), file.path()));
        }
    }
    out.sort();
    out
}

#[test]
fn invalid_fixtures_raise_their_code_and_valid_ones_do_not() {
    let all = fixtures();
    assert!(all.len() >= 5, "only {} fixtures", all.len());
    for (code, path) in all {
        let text = std::fs::read_to_string(&path).expect("a fixture is readable");
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let rendered = render(&text);
        let fired = rendered.lines().any(|line| line.split(' ').nth(1) == Some(code.as_str()));
        if stem.starts_with("invalid_") {
            assert!(fired, "{} does not raise {code}:\n{rendered}", path.display());
        } else {
            assert!(!fired, "{} raises {code}:\n{rendered}", path.display());
        }
        insta::assert_snapshot!(format!("{code}__{stem}"), rendered);
    }
}
