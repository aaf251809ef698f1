//! Every lint against its fixtures and its documentation: each `invalid_*` fixture raises
//! the rule's code and each `valid_*` one does not, with a snapshot of the diagnostics;
//! every rule has fixtures and the five documentation sections; every `## Example` fires
//! and every `## Use instead` is clean.

use std::path::{Path, PathBuf};

use aslc_lints::{all_rules, lint, LintConfig};
use aslc_render::SourceFiles;
use aslc_source::{Diagnostic, FileId};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Checks and lints `text` with only `code` selected; also returns the checker's errors.
fn run(code: &str, text: &str, file: FileId) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    let node = aslc_syntax::json::parse(text, file).node.expect("fixture JSON parses");
    let checked = aslc_ir::check(&node, file, &aslc_ir::CheckOptions::default());
    let errors: Vec<Diagnostic> = checked.diagnostics.into_iter().filter(Diagnostic::is_error).collect();
    let def = checked.definition.expect("fixture is an object");
    let config = LintConfig { select: vec![code.to_string()], ..LintConfig::default() };
    (lint(&def, &config), errors)
}

fn fixture_files(code: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures_dir().join(code))
        .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.to_string_lossy().ends_with(".asl.json"));
    files.sort();
    files
}

#[test]
fn fixtures_raise_exactly_where_expected() {
    let mut failures = Vec::new();
    for rule in all_rules() {
        for path in fixture_files(rule.code) {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
            let text = std::fs::read_to_string(&path).expect("fixture is readable");
            let mut sources = SourceFiles::new();
            let file = sources.add(format!("{}/{name}", rule.code), text.clone());
            let (diagnostics, errors) = run(rule.code, &text, file);
            if !errors.is_empty() {
                failures.push(format!("{name}: not a valid definition: {}", errors[0].message));
            }
            let fired = diagnostics.iter().any(|d| d.code == rule.code);
            let invalid = name.starts_with("invalid_");
            if fired != invalid {
                failures.push(format!(
                    "{}/{name}: expected {}",
                    rule.code,
                    if invalid { "a hit" } else { "no hit" }
                ));
            }
            let stem = name.trim_end_matches(".asl.json");
            let rendered = aslc_render::render_human(&diagnostics, &sources, false);
            insta::assert_snapshot!(format!("{}__{stem}", rule.code), rendered);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_fixtures_both_ways() {
    for rule in all_rules() {
        let names: Vec<String> = fixture_files(rule.code)
            .iter()
            .filter_map(|p| p.file_name().and_then(|n| n.to_str()).map(str::to_string))
            .collect();
        assert!(names.iter().any(|n| n.starts_with("invalid_")), "{} has no invalid fixture", rule.code);
        assert!(names.iter().any(|n| n.starts_with("valid_")), "{} has no valid fixture", rule.code);
    }
    // No folder for a rule that does not exist.
    for entry in std::fs::read_dir(fixtures_dir()).expect("fixtures folder") {
        let name = entry.expect("entry").file_name().to_string_lossy().to_string();
        assert!(all_rules().iter().any(|r| r.code == name), "fixture folder {name} names no rule");
    }
}

#[test]
fn every_rule_is_documented() {
    let sections = ["## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Fix"];
    for rule in all_rules() {
        for section in sections {
            assert!(rule.doc.contains(section), "{} lacks `{section}`", rule.code);
        }
        assert!(!rule.summary.ends_with('.'), "{}: summary ends with a period", rule.code);
        assert!(rule.markdown().starts_with(&format!("# {}: ", rule.code)));
    }
}

#[test]
fn codes_are_unique_and_distinct_from_validation() {
    let mut codes: Vec<&str> = all_rules().iter().map(|r| r.code).collect();
    let n = codes.len();
    codes.dedup();
    assert_eq!(codes.len(), n, "duplicate lint code");
    for code in codes {
        assert!(aslc_ir::rules::rule(code).is_none(), "{code} is also a validation rule");
    }
}

/// The first ```json block after `heading` in a rule's doc.
fn json_block(doc: &str, heading: &str) -> Option<String> {
    let lines: Vec<&str> = doc.lines().map(|l| l.strip_prefix(' ').unwrap_or(l)).collect();
    let start = lines.iter().position(|l| l.trim() == heading)?;
    let mut block = None;
    for line in &lines[start + 1..] {
        if line.starts_with("## ") && block.is_none() {
            return None;
        }
        match (&mut block, line.trim()) {
            (None, "```json") => block = Some(String::new()),
            (Some(text), "```") => return Some(std::mem::take(text)),
            (Some(text), _) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, _) => {}
        }
    }
    None
}

#[test]
fn doc_examples_fire_and_fixes_are_clean() {
    for rule in all_rules() {
        // The payload rule's example is a description: a 256 KiB literal has no place in docs.
        let Some(example) = json_block(rule.doc, "## Example") else {
            assert_eq!(rule.code, "L-PAYLOAD-LIMIT", "{} has no JSON example", rule.code);
            continue;
        };
        let (diagnostics, errors) = run(rule.code, &example, FileId(0));
        assert!(errors.is_empty(), "{}: example is not valid ASL: {:?}", rule.code, errors[0].message);
        assert!(diagnostics.iter().any(|d| d.code == rule.code), "{}: example does not fire", rule.code);
        let fixed = json_block(rule.doc, "## Use instead").expect("a JSON fix");
        let (diagnostics, errors) = run(rule.code, &fixed, FileId(0));
        assert!(errors.is_empty(), "{}: fix is not valid ASL: {:?}", rule.code, errors[0].message);
        assert!(diagnostics.is_empty(), "{}: fix still fires: {:?}", rule.code, diagnostics[0].message);
    }
}

#[test]
fn default_set_and_opt_in_rules() {
    let opt_in: Vec<&str> =
        all_rules().iter().filter(|r| !aslc_lints::default_enabled(r.code)).map(|r| r.code).collect();
    assert_eq!(opt_in, ["L-CATCH-ALL-MISSING", "L-ERROR-ESCAPES", "L-PASS-NOOP"]);
}

#[test]
fn severity_overrides_apply() {
    let text = r#"{ "StartAt": "A", "States": { "A": { "Type": "Pass", "Next": "A" }, "B": { "Type": "Succeed" } } }"#;
    let node = aslc_syntax::json::parse(text, FileId(0)).node.expect("parses");
    let def = aslc_ir::check(&node, FileId(0), &Default::default()).definition.expect("object");
    let config = LintConfig::from_toml("[lint.severity]\nS-NO-EXIT = \"error\"\n").expect("valid config");
    let diagnostics = lint(&def, &config);
    assert!(diagnostics.iter().any(|d| d.code == "S-NO-EXIT" && d.is_error()));
    let config = LintConfig::from_toml("[lint.severity]\nS = \"off\"\n").expect("valid config");
    assert!(lint(&def, &config).iter().all(|d| !d.code.starts_with("S-")));
}
