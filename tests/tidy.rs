//! House rules that are cheap to check: every crate is on the architecture map, every
//! Rust file says what it is for, and no debugging or stub macro is left behind.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') || name == "target" || name == "fixtures" || name == "snapshots" {
            continue;
        }
        if path.is_dir() {
            rust_files(&path, out);
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_crate_is_on_the_architecture_map() {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let architecture = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let members: Vec<&str> = manifest
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('"') && l.ends_with("\","))
        .map(|l| l.trim_matches(|c| c == '"' || c == ','))
        .collect();
    assert!(members.len() >= 5, "no workspace members found");
    for member in members {
        assert!(
            architecture.contains(&format!("`{member}`")),
            "ARCHITECTURE.md does not describe `{member}`"
        );
    }
}

#[test]
fn every_rust_file_opens_with_a_module_doc() {
    let mut files = Vec::new();
    for dir in ["src", "compiler", "lints", "runtime", "tests", "fuzz"] {
        rust_files(&root().join(dir), &mut files);
    }
    let missing: Vec<String> = files
        .iter()
        .filter(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            !text.trim_start().starts_with("//!")
        })
        .map(|p| p.strip_prefix(root()).unwrap_or(p).display().to_string())
        .collect();
    assert!(missing.is_empty(), "files without a `//!` paragraph: {missing:#?}");
}

#[test]
fn no_stub_or_debug_macros() {
    let mut files = Vec::new();
    for dir in ["src", "compiler", "lints", "runtime"] {
        rust_files(&root().join(dir), &mut files);
    }
    let banned = [concat!("todo", "!("), concat!("unimplemented", "!("), concat!("dbg", "!(")];
    let mut found = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            if banned.iter().any(|b| line.contains(b)) {
                found.push(format!("{}:{}", path.display(), i + 1));
            }
        }
    }
    assert!(found.is_empty(), "stub or debug macros: {found:#?}");
}
