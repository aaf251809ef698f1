//! Every JSONata expression string in the definitions AWS accepts must parse and pass the
//! definition-time checks; the expressions of the rejected validator fixtures must not.

use std::path::{Path, PathBuf};

use aslc_query::jsonata::{check_jsonata, jsonata_template, JsonataContext};
use aslc_query::rules::{level, Level};
use serde_json::Value;

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared").join(rel)
}

fn json_files(dir: &Path, acc: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            json_files(&path, acc);
        } else if path.extension().is_some_and(|ext| ext == "json") {
            acc.push(path);
        }
    }
}

/// Expression strings of JSONata states (the machine's or the state's `QueryLanguage`).
fn collect(value: &Value, jsonata: bool, acc: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            let jsonata = match map.get("QueryLanguage").and_then(Value::as_str) {
                Some("JSONata") => true,
                Some("JSONPath") => false,
                _ => jsonata,
            };
            for member in map.values() {
                match member {
                    Value::String(text) if jsonata && jsonata_template(text).is_some() => {
                        acc.push(text.clone())
                    }
                    other => collect(other, jsonata, acc),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect(item, jsonata, acc)),
        _ => {}
    }
}

fn expressions_of(file: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(file) else { return Vec::new() };
    let Ok(json) = serde_json::from_str::<Value>(&text) else { return Vec::new() };
    let mut found = Vec::new();
    collect(&json, false, &mut found);
    found
}

/// The first error-level problem of an expression string, by rule.
fn problem(text: &str) -> Option<String> {
    let template = jsonata_template(text)?;
    let expr = match template.parse(text) {
        Ok(expr) => expr,
        Err(err) => return Some(format!("J-PARSE {}", err.jsonata_message())),
    };
    // Every field of every state is checked with everything available: only the
    // definition-time refusals that do not depend on the field are expected to be absent.
    let ctx = JsonataContext { result: true, error_output: true };
    check_jsonata(&expr, ctx)
        .into_iter()
        .find(|err| level(err.rule) == Some(Level::Error))
        .map(|err| format!("{} {}", err.rule, err.message))
}

#[test]
fn accepted_definitions_have_valid_expressions() {
    let skipped: Vec<String> =
        std::fs::read_to_string(shared("corpus/feature-tests/NOT_DEPLOYABLE_AS_IS.tsv"))
            .unwrap_or_default()
            .lines()
            .skip(1)
            .filter_map(|line| line.split('\t').next())
            .map(str::to_owned)
            .collect();
    let mut files = Vec::new();
    for dir in ["corpus/real", "corpus/feature-tests", "corpus/validator/valid"] {
        json_files(&shared(dir), &mut files);
    }
    let mut checked = 0;
    let mut failures = Vec::new();
    for file in &files {
        if skipped.iter().any(|rel| file.ends_with(rel)) {
            continue;
        }
        for text in expressions_of(file) {
            checked += 1;
            if let Some(problem) = problem(&text) {
                failures.push(format!("{}: {text:?}: {problem}", file.display()));
            }
        }
    }
    assert!(checked > 300, "only {checked} expressions found");
    assert!(failures.is_empty(), "{} of {checked} failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn rejected_fixtures_have_invalid_expressions() {
    let cases: &[(&str, &str)] = &[
        ("asl-validator--invalid-jsonata-syntax-arithmetic.json", "J-PARSE"),
        ("asl-validator--invalid-jsonata-syntax-mismatched-parens.json", "J-PARSE"),
        ("asl-validator--invalid-jsonata-syntax-jsonpath-in-jsonata-surround.json", "J-PARSE"),
        ("asl-validator--invalid-assign.asl.json", "J-PARSE"),
    ];
    for &(name, rule) in cases {
        let file = shared("corpus/validator/invalid").join(name);
        let problems: Vec<String> = expressions_of(&file).iter().filter_map(|text| problem(text)).collect();
        assert!(problems.iter().any(|p| p.starts_with(rule)), "{name}: {problems:?}");
    }
}
