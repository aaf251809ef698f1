//! Parses every expression of the JSONata reference suite (`../shared/jsonata-suite/`).
//!
//! A case whose expected outcome is not a syntax error (`S0…`) must parse, except the cases
//! that entered the suite after JSONata 2.0.6 and fail on it (the `??` and `?:` operators of
//! 2.1, which Step Functions does not have): those must be refused. The counts are pinned so
//! that a change in what parses shows up as a diff.

use std::path::{Path, PathBuf};

use aslc_query::jsonata::parse_jsonata;
use serde_json::Value;

fn suite() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/jsonata-suite")
}

struct Case {
    id: String,
    expr: String,
    /// The expected error code, if any.
    code: Option<String>,
}

fn load_cases() -> Vec<Case> {
    let groups = suite().join("groups");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&groups)
        .expect("the JSONata suite is in ../shared/jsonata-suite")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut cases = Vec::new();
    for dir in dirs {
        let group = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("group folder")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for file in files {
            let stem = file.file_stem().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
            let text = std::fs::read_to_string(&file).expect("case file");
            let json: Value = serde_json::from_str(&text)
                .or_else(|_| serde_json::from_str(&replace_lone_surrogates(&text)))
                .unwrap_or_else(|err| panic!("{}: {err}", file.display()));
            let (entries, indexed) = match json {
                Value::Array(items) => (items, true),
                other => (vec![other], false),
            };
            for (i, entry) in entries.into_iter().enumerate() {
                let id = if indexed { format!("{group}/{stem}[{i}]") } else { format!("{group}/{stem}") };
                let expr = match (entry.get("expr"), entry.get("expr-file")) {
                    (Some(Value::String(expr)), _) => expr.clone(),
                    (_, Some(Value::String(name))) => {
                        std::fs::read_to_string(dir.join(name)).expect("expr-file")
                    }
                    _ => panic!("{id}: no expression"),
                };
                let code = entry
                    .get("code")
                    .or_else(|| entry.get("error").and_then(|e| e.get("code")))
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                cases.push(Case { id, expr, code });
            }
        }
    }
    cases
}

/// Two cases hold a lone UTF-16 surrogate escape (`"\uD800"`), which JavaScript accepts and
/// serde_json refuses; such escapes become U+FFFD (the expressions are still JSONata text
/// with the escape, as it appears inside the `expr` string, only the JSON decoding differs).
fn replace_lone_surrogates(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("\\u") {
        out.push_str(&rest[..at]);
        let hex = rest.get(at + 2..at + 6).unwrap_or("");
        let unit = u32::from_str_radix(hex, 16).ok();
        let next_is_low = rest
            .get(at + 6..at + 12)
            .and_then(|next| next.strip_prefix("\\u"))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .is_some_and(|u| (0xDC00..0xE000).contains(&u));
        match unit {
            Some(u) if (0xD800..0xDC00).contains(&u) && next_is_low => {
                out.push_str(&rest[at..at + 12]);
                rest = &rest[at + 12..];
            }
            Some(u) if (0xD800..0xE000).contains(&u) => {
                out.push_str("\\uFFFD");
                rest = &rest[at + 6..];
            }
            _ => {
                out.push_str("\\u");
                rest = &rest[at + 2..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The cases added after 2.0.6 that JSONata 2.0.6 itself fails, by id.
fn fails_on_2_0_6() -> Vec<String> {
    let text = std::fs::read_to_string(suite().join("added-after-2.0.6.txt")).expect("added-after-2.0.6.txt");
    text.lines()
        .filter(|line| !line.starts_with('#') && line.contains("fails on 2.0.6"))
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn reference_suite_parses() {
    let cases = load_cases();
    assert_eq!(cases.len(), 1686, "the suite has 1686 cases");
    let newer = fails_on_2_0_6();
    let mut parsed = 0;
    let mut syntax_errors_found = 0;
    let mut newer_refused = 0;
    let mut failures = Vec::new();
    for case in &cases {
        let result = parse_jsonata(&case.expr);
        let expects_syntax_error = case.code.as_deref().is_some_and(|code| code.starts_with('S'));
        let is_newer_operator =
            newer.contains(&case.id) && (case.expr.contains("??") || case.expr.contains("?:"));
        match (&result, expects_syntax_error, is_newer_operator) {
            (Err(_), _, true) => newer_refused += 1,
            (Ok(_), _, true) => failures.push(format!("{}: 2.1 operator accepted: {}", case.id, case.expr)),
            (Ok(_), false, false) => parsed += 1,
            (Err(err), false, false) => {
                failures.push(format!("{}: {:?} {}: {}", case.id, err.code, err.jsonata_message(), case.expr))
            }
            (Err(err), true, false) => {
                syntax_errors_found += 1;
                let expected = case.code.as_deref().unwrap_or_default();
                if err.code.code() != Some(expected) {
                    failures.push(format!(
                        "{}: expected {expected}, got {:?} ({}): {}",
                        case.id,
                        err.code,
                        err.jsonata_message(),
                        case.expr
                    ));
                }
            }
            (Ok(_), true, false) => {
                failures.push(format!("{}: expected {:?}, parsed: {}", case.id, case.code, case.expr));
            }
        }
    }
    let report = failures.join("\n");
    assert!(failures.is_empty(), "{} failures:\n{report}", failures.len());
    assert_eq!((parsed, syntax_errors_found, newer_refused), (1611, 41, 34), "counts changed");
}
