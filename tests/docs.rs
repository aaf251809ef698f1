//! `docs/rules/` is generated from the rule registry; this test fails when it is stale.
//! Regenerate with `cargo run -- generate-docs`.

mod common;

use std::path::Path;

#[test]
fn rule_docs_are_current() {
    let scratch = std::env::temp_dir().join(format!("aslc-docs-{}", std::process::id()));
    let status = common::aslc().arg("generate-docs").arg("--out").arg(&scratch).status().expect("aslc runs");
    assert!(status.success());
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let mut stale = Vec::new();
    let mut generated: Vec<String> = std::fs::read_dir(&scratch)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    generated.sort();
    for name in &generated {
        let fresh = std::fs::read_to_string(scratch.join(name)).unwrap();
        if std::fs::read_to_string(committed.join(name)).ok().as_deref() != Some(fresh.as_str()) {
            stale.push(name.clone());
        }
    }
    let on_disk = std::fs::read_dir(&committed).map(|d| d.count()).unwrap_or(0);
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(
        stale.is_empty() && on_disk == generated.len(),
        "docs/rules is stale ({} pages differ: {:?}…; {} files on disk, {} generated); run `cargo run -- generate-docs`",
        stale.len(),
        stale.iter().take(5).collect::<Vec<_>>(),
        on_disk,
        generated.len()
    );
}

#[test]
fn every_rule_is_documented_and_explained() {
    let output = common::aslc().args(["rules", "--json"]).output().expect("aslc runs");
    let rules: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(rules.len() > 100, "only {} rules", rules.len());
    let mut codes: Vec<&str> = Vec::new();
    for rule in &rules {
        let code = rule["code"].as_str().unwrap();
        let doc = rule["doc"].as_str().unwrap();
        assert!(doc.contains("## What it does"), "{code} has no `## What it does` section");
        assert!(doc.contains("## Why is this bad?"), "{code} has no `## Why is this bad?` section");
        codes.push(code);
    }
    let mut unique = codes.clone();
    unique.dedup();
    assert_eq!(codes.len(), unique.len(), "duplicate rule codes");
    let explained = common::aslc().args(["explain", "s-next-exists"]).output().expect("aslc runs");
    assert!(explained.status.success());
    assert!(String::from_utf8_lossy(&explained.stdout).starts_with("# S-NEXT-EXISTS: "));
    let unknown = common::aslc().args(["explain", "NOPE-1"]).output().expect("aslc runs");
    assert_eq!(unknown.status.code(), Some(2));
}
