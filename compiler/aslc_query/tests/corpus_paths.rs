//! Every path and intrinsic call in the definitions AWS accepts must parse and pass the
//! definition-time checks: the shared corpus's real definitions, AWS-validated feature tests
//! and valid validator fixtures, plus the recorded AWS refusals of the conformance suite.

use std::path::{Path, PathBuf};

use aslc_query::{intrinsic, jsonpath, timestamp};
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

/// ASL fields whose string value is a path (or, for the Fail fields, possibly an intrinsic).
fn is_path_field(key: &str) -> bool {
    const FIELDS: &[&str] = &[
        "InputPath",
        "OutputPath",
        "ResultPath",
        "ItemsPath",
        "Variable",
        "SecondsPath",
        "TimestampPath",
        "TimeoutSecondsPath",
        "HeartbeatSecondsPath",
        "ErrorPath",
        "CausePath",
        "MaxConcurrencyPath",
        "ToleratedFailureCountPath",
        "ToleratedFailurePercentagePath",
        "MaxItemsPath",
        "MaxItemsPerBatchPath",
        "MaxInputBytesPerBatchPath",
    ];
    let choice_operator = ["String", "Numeric", "Boolean", "Timestamp"].iter().any(|p| key.starts_with(p))
        && key.ends_with("Path");
    FIELDS.contains(&key) || choice_operator
}

/// Definitions that cannot be checked as they stand (placeholders filled in by a harness).
fn not_deployable() -> Vec<String> {
    let list =
        std::fs::read_to_string(shared("corpus/feature-tests/NOT_DEPLOYABLE_AS_IS.tsv")).unwrap_or_default();
    list.lines().skip(1).filter_map(|line| line.split('\t').next()).map(str::to_owned).collect()
}

struct Found {
    text: String,
    intrinsic_allowed: bool,
}

/// Collects the path-valued strings of a definition, skipping JSONata states (where `.$`
/// keys are plain keys).
fn collect(value: &Value, jsonata: bool, acc: &mut Vec<Found>) {
    match value {
        Value::Object(map) => {
            let jsonata = match map.get("QueryLanguage").and_then(Value::as_str) {
                Some("JSONata") => true,
                Some("JSONPath") => false,
                _ => jsonata,
            };
            for (key, member) in map {
                // A Pass `Result` is copied verbatim: its `.$` keys are not evaluated.
                if key == "Result" {
                    continue;
                }
                if let Value::String(text) = member {
                    if jsonata || text.starts_with("{%") {
                        continue;
                    }
                    if key.ends_with(".$") {
                        acc.push(Found { text: text.clone(), intrinsic_allowed: true });
                    } else if is_path_field(key) {
                        let fail_field = key == "ErrorPath" || key == "CausePath";
                        acc.push(Found { text: text.clone(), intrinsic_allowed: fail_field });
                    }
                } else {
                    collect(member, jsonata, acc);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect(item, jsonata, acc)),
        _ => {}
    }
}

#[test]
fn accepted_definitions_have_valid_paths_and_intrinsics() {
    let mut files = Vec::new();
    for dir in ["corpus/real", "corpus/feature-tests", "corpus/validator/valid"] {
        json_files(&shared(dir), &mut files);
    }
    assert!(files.len() > 500, "the shared corpus was not found ({} files)", files.len());
    let skipped = not_deployable();
    assert!(!skipped.is_empty(), "NOT_DEPLOYABLE_AS_IS.tsv was not found");
    let mut checked = 0;
    let mut failures = Vec::new();
    for file in &files {
        if skipped.iter().any(|rel| file.ends_with(rel)) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(file) else { continue };
        let Ok(json) = serde_json::from_str::<Value>(&text) else { continue };
        let mut found = Vec::new();
        collect(&json, false, &mut found);
        for item in found {
            checked += 1;
            let problem = if intrinsic::is_intrinsic_call(&item.text) && item.intrinsic_allowed {
                match intrinsic::parse_intrinsic(&item.text) {
                    Ok(call) => intrinsic::check_call(&call).into_iter().next(),
                    Err(err) => Some(err),
                }
            } else {
                jsonpath::parse_path(&item.text).err()
            };
            if let Some(err) = problem {
                failures.push(format!("{}: {:?}: {err}", file.display(), item.text));
            }
        }
    }
    assert!(checked > 2000, "only {checked} paths found");
    assert!(failures.is_empty(), "{} of {checked} failed:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn recorded_aws_refusals_of_intrinsics() {
    let dir = shared("conformance/validation");
    let mut seen = 0;
    for name in [
        "base_scenarios__illegal_escapes__ESCAPE_SEQUENCES_ILLEGAL_INTRINSIC_FUNCTION.json",
        "base_scenarios__illegal_escapes__ESCAPE_SEQUENCES_ILLEGAL_INTRINSIC_FUNCTION_2.json",
    ] {
        let text = std::fs::read_to_string(dir.join(name)).expect("conformance case");
        let json: Value = serde_json::from_str(&text).expect("json");
        let value = json["definition"]["States"]["IntrinsicEscape"]["Parameters"]["parsed.$"]
            .as_str()
            .expect("value");
        let err = intrinsic::parse_intrinsic(value).expect_err(value);
        assert_eq!(err.rule, "I-ESCAPE", "{value}");
        seen += 1;
    }
    assert_eq!(seen, 2);
}

/// The first problem of a `.$` value, read the way a validator reads it.
fn template_value_problem(text: &str) -> Option<&'static str> {
    if intrinsic::is_intrinsic_call(text) {
        match intrinsic::parse_intrinsic(text) {
            Ok(call) => intrinsic::check_call(&call).first().map(|err| err.rule),
            Err(err) => Some(err.rule),
        }
    } else {
        jsonpath::parse_path(text).err().map(|err| err.rule)
    }
}

#[test]
fn values_of_rejected_fixtures_are_rejected() {
    // `.$` values and path fields of `corpus/validator/invalid/` that EXPECTED.tsv names.
    let cases: &[(&str, &str)] = &[
        ("  States.Format($.template, $.firstName, $.lastName)", "P-SYNTAX"),
        ("States.JsonToString($", "I-SYNTAX"),
        ("States.StringToJson $.escaped)", "I-SYNTAX"),
        ("States. ", "I-SYNTAX"),
        ("JsonToString($)", "P-SYNTAX"),
        ("something else    ", "P-SYNTAX"),
        ("States\nJsonToString($)", "P-SYNTAX"),
        ("", "P-SYNTAX"),
        ("prod-v1", "P-SYNTAX"),
        ("23", "P-SYNTAX"),
        ("$$23", "P-CONTEXT-PREFIX"),
        ("ipsum", "P-SYNTAX"),
        (" States.Array('Foo', $.xyz, 'Bar', 2.3)", "P-SYNTAX"),
        ("States.Xyz($.result)", "I-KNOWN"),
        ("States.MathAdd(1,'-1')", "I-LITERAL-TYPE"),
        ("not a path", "P-SYNTAX"),
        ("bug$.library.movies", "P-SYNTAX"),
        (".guid", "P-SYNTAX"),
        ("..guid", "P-SYNTAX"),
        ("()", "P-SYNTAX"),
        ("$...", "P-SYNTAX"),
    ];
    for &(text, rule) in cases {
        assert_eq!(template_value_problem(text), Some(rule), "{text:?}");
    }
    for good in ["$.g1", "$.b[23]", "$.x.y.z[2]", "$$", "$$.g5", "$$.Task.Token", "$.sit.amet"] {
        assert_eq!(template_value_problem(good), None, "{good:?}");
    }
}

#[test]
fn recorded_aws_refusals_of_timestamps() {
    let dir = shared("conformance/validation");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("conformance cases")
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| name.starts_with("base_scenarios__wait_timestamp_invalid__"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 6, "{names:?}");
    for name in names {
        let text = std::fs::read_to_string(dir.join(&name)).expect("conformance case");
        let json: Value = serde_json::from_str(&text).expect("json");
        let value = json["definition"]["States"]["WaitUntil"]["Timestamp"].as_str().expect("Timestamp");
        assert_eq!(json["expected"]["diagnostics"][0]["message"], "String does not match RFC3339 timestamp");
        assert!(timestamp::parse_timestamp(value).is_err(), "{name}: {value}");
    }
}
