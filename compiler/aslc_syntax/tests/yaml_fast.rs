//! The fast reader of block-style YAML against the general reader: on every YAML file of
//! the shared corpus and of this repository, and on generated documents, the fast reader
//! either declines or gives exactly the general reader's tree (every range, key range and
//! verbatim offset) with no diagnostics.

use std::path::{Path, PathBuf};

use aslc_source::FileId;
use aslc_syntax::yaml::{parse_fast, parse_general};

/// Whether the fast reader accepts `text`; panics when it accepts it and differs from the
/// general reader.
fn agrees(text: &str, name: &str) -> bool {
    let Some(fast) = parse_fast(text) else {
        return false;
    };
    let general = parse_general(text, FileId(0));
    assert!(
        general.diagnostics.is_empty() && fast.diagnostics.is_empty(),
        "{name}: {:#?}",
        general.diagnostics
    );
    assert_eq!(fast.node, general.node, "{name}: the fast reader differs from the general one");
    true
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if name != "target" && name != ".git" {
                yaml_files(&path, out);
            }
        } else if path.extension().is_some_and(|ext| ext == "yaml" || ext == "yml") {
            out.push(path);
        }
    }
}

/// Reads every file and returns how many there are and how many the fast reader accepts.
fn check_files(root: &Path) -> (usize, usize) {
    let mut files = Vec::new();
    yaml_files(root, &mut files);
    files.sort();
    let mut accepted = 0;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        if agrees(&text, &path.display().to_string()) {
            accepted += 1;
        }
    }
    (files.len(), accepted)
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn corpus_definitions_read_alike_and_mostly_fast() {
    let (total, accepted) = check_files(&root().join("../shared/corpus/real"));
    println!("real definitions: {accepted} of {total} read by the fast reader");
    assert!(total > 0);
    assert!(accepted * 10 >= total * 9, "the fast reader accepts {accepted} of {total} definitions");
}

#[test]
fn every_shared_yaml_file_reads_alike() {
    let (total, accepted) = check_files(&root().join("../shared"));
    println!("shared YAML files: {accepted} of {total} read by the fast reader");
    assert!(total > 0);
}

#[test]
fn every_repository_yaml_file_reads_alike() {
    let (total, accepted) = check_files(&root());
    println!("repository YAML files: {accepted} of {total} read by the fast reader");
}

/// Reads `text` with both readers and says whether the fast one accepted it.
fn accepted(text: &str) -> bool {
    agrees(text, text)
}

#[test]
fn typical_layouts_are_read_fast() {
    let definition = "---\n# A definition\nComment: >-\n  Two lines\n  folded\nStartAt: First\nStates:\n  First:\n    Type: Pass\n    Result:\n      n: 1.50\n      s: 'it''s'\n      d: \"tab\\there\"  # a comment\n      code: |\n        line one\n\n        line three\n      list:\n      - a\n      - k: v\n        w: ~\n      -\n    Next: Last\n  Last:\n    Type: Succeed\n";
    assert!(accepted(definition));
    let template = "Resources:\n  Machine:\n    Properties:\n      RoleArn: !GetAtt Role.Arn\n      Name: !Ref Name\n      DefinitionString: !Sub |\n        {\"StartAt\": \"${Start}\"}\n      Items: !Join\n        - ''\n        - - a\n          - b\n";
    assert!(accepted(template));
    assert!(accepted("- 1\n- - 2\n  - 3\n- \"x\n  y\"\n- plain\n  folded\n"));
    let flow = "Action: [ 's3:GetObject' , s3:PutObject ]  # c\nValue: !Join ['', [!Ref A, {\"Fn::GetAtt\" : [B, C]}, {x: 1}]]\n";
    assert!(accepted(flow));
}

#[test]
fn other_yaml_is_left_to_the_general_reader() {
    for text in [
        "a: [1,\n  2]\n",
        "a: [1, 2,]\n",
        "a: [b: 1]\n",
        "a: {b}\n",
        "a: [1, # c\n  2]\n",
        "a:\n  [1, 2]\n",
        "a: &x 1\nb: *x\n",
        "a:\tb\n",
        "a: b\r\n",
        "%YAML 1.2\n---\na: 1\n",
        "a: 1\n---\nb: 2\n",
        "a: 1\na: 2\n",
        "a: .inf\n",
        "a: !Unknown x\n",
        "a: !!str 1\n",
        "? a\n: b\n",
        "a: b: c\n",
        "a: x # c\n  y\n",
        "a: |2\n   x\n",
        "just a scalar\n",
        "",
    ] {
        assert!(parse_fast(text).is_none(), "{text:?}");
    }
    // YAML bounds a key, up to its `:`, at 1024 characters.
    let long_key = format!("a{}: 1\n", " ".repeat(1100));
    assert!(parse_fast(&long_key).is_none());
    let long_key = format!("'{}': 1\n", "a".repeat(1100));
    assert!(parse_fast(&long_key).is_none());
    // The general reader still reports what it reports.
    assert_eq!(aslc_syntax::yaml::parse("a: 1\na: 2\n", FileId(0)).diagnostics.len(), 1);
}
