//! The JSONata reference suite (`../shared/jsonata-suite/`) as one named test per case.
//!
//! Cases are judged as the suite's runner judges them: results deeply equal (numbers as
//! doubles, object keys unordered, arrays ordered unless the case says `unordered`),
//! *undefined* apart from `null`, errors by code (`U1001` also met by `D1011`/`D1012`).
//! The cases added to the suite after JSONata 2.0.6 (`added-after-2.0.6.txt`) are not run:
//! they specify later versions. Cases that still fail are listed with a reason in
//! `known-failures.txt`; a listed case that passes fails its test, so the list only shrinks.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use aslc_jsonata::{evaluate, Bindings};
use aslc_query::jsonata::parse_jsonata;
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::Value;

fn suite_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/jsonata-suite")
}

fn known_failures() -> HashMap<String, String> {
    let text = include_str!("known-failures.txt");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once('#') {
            Some((id, reason)) => (id.trim().to_owned(), reason.trim().to_owned()),
            None => (l.to_owned(), String::new()),
        })
        .collect()
}

fn skip_list(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("added-after-2.0.6.txt")).unwrap_or_default();
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

/// A case object and the group folder it came from, or why it could not be read.
type Loaded = Result<(Value, PathBuf), String>;

/// Every case with its id.
fn cases(dir: &Path) -> Vec<(String, Loaded)> {
    let mut out = Vec::new();
    let Ok(groups) = std::fs::read_dir(dir.join("groups")) else { return out };
    let mut groups: Vec<PathBuf> = groups.flatten().map(|e| e.path()).collect();
    groups.sort();
    for group in groups {
        let group_name = group.file_name().and_then(|n| n.to_str()).unwrap_or("").to_owned();
        let Ok(files) = std::fs::read_dir(&group) else { continue };
        let mut files: Vec<PathBuf> = files
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for file in files {
            let stem = file.file_stem().and_then(|n| n.to_str()).unwrap_or("").to_owned();
            let id = format!("{group_name}/{stem}");
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            match serde_json::from_str::<Value>(&text) {
                Ok(Value::Array(items)) => {
                    for (i, item) in items.into_iter().enumerate() {
                        out.push((format!("{id}[{i}]"), Ok((item, group.clone()))));
                    }
                }
                Ok(case) => out.push((id, Ok((case, group.clone())))),
                Err(err) => out.push((id, Err(format!("the case file cannot be read as JSON: {err}")))),
            }
        }
    }
    out
}

fn numbers_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| numbers_equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| numbers_equal(v, w)))
        }
        _ => a == b,
    }
}

fn unordered_equal(expected: &Value, actual: &Value) -> bool {
    let (Value::Array(expected), Value::Array(actual)) = (expected, actual) else {
        return numbers_equal(expected, actual);
    };
    if expected.len() != actual.len() {
        return false;
    }
    let mut used = vec![false; actual.len()];
    expected.iter().all(|e| {
        let found = actual.iter().enumerate().position(|(i, a)| !used[i] && numbers_equal(e, a));
        if let Some(i) = found {
            used[i] = true;
        }
        found.is_some()
    })
}

fn run_case(case: &Value, group: &Path, datasets: &Path) -> Result<(), String> {
    let expr_text = match (case.get("expr"), case.get("expr-file")) {
        (Some(Value::String(expr)), _) => expr.clone(),
        (_, Some(Value::String(file))) => {
            std::fs::read_to_string(group.join(file)).map_err(|e| format!("cannot read `{file}`: {e}"))?
        }
        _ => return Err("the case has no expression".into()),
    };
    let input: Option<Value> = match case.get("data") {
        Some(data) => Some(data.clone()),
        None => match case.get("dataset") {
            Some(Value::String(name)) => {
                let text = std::fs::read_to_string(datasets.join(format!("{name}.json")))
                    .map_err(|e| format!("cannot read dataset `{name}`: {e}"))?;
                Some(serde_json::from_str(&text).map_err(|e| format!("dataset `{name}`: {e}"))?)
            }
            _ => None,
        },
    };
    let mut bindings = Bindings::new();
    if let Some(Value::Object(vars)) = case.get("bindings") {
        for (name, value) in vars {
            bindings.insert(name.clone(), value.clone());
        }
    }
    if let Some(depth) = case.get("depth").and_then(Value::as_u64) {
        bindings = bindings.max_depth(depth as usize);
    }
    if let Some(limit) = case.get("timelimit").and_then(Value::as_u64) {
        bindings = bindings.time_limit(Duration::from_millis(limit));
    }
    let outcome = match parse_jsonata(&expr_text) {
        Err(err) => Err(err.code.code().unwrap_or("S0201").to_owned()),
        Ok(expr) => evaluate(&expr, input.as_ref(), &bindings).map_err(|err| err.code.to_owned()),
    };
    let expected_code = case
        .get("code")
        .and_then(Value::as_str)
        .or_else(|| case.get("error").and_then(|e| e.get("code")).and_then(Value::as_str));
    if let Some(code) = expected_code {
        return match outcome {
            Err(actual)
                if actual == code || (code == "U1001" && (actual == "D1011" || actual == "D1012")) =>
            {
                Ok(())
            }
            Err(actual) => Err(format!("expected error {code}, got error {actual}")),
            Ok(value) => Err(format!("expected error {code}, got {value:?}")),
        };
    }
    if case.get("undefinedResult").is_some() {
        return match outcome {
            Ok(None) => Ok(()),
            other => Err(format!("expected undefined, got {other:?}")),
        };
    }
    let expected = case.get("result").ok_or("the case has no expected outcome")?;
    let unordered = case.get("unordered").and_then(Value::as_bool) == Some(true);
    match outcome {
        Ok(Some(actual)) => {
            let equal =
                if unordered { unordered_equal(expected, &actual) } else { numbers_equal(expected, &actual) };
            if equal {
                Ok(())
            } else {
                Err(format!("expected {expected}, got {actual}"))
            }
        }
        other => Err(format!("expected {expected}, got {other:?}")),
    }
}

fn main() {
    let args = Arguments::from_args();
    let dir = suite_dir();
    if !dir.join("groups").is_dir() {
        eprintln!(
            "\n*** JSONata suite tests SKIPPED: ../shared/jsonata-suite is not next to the checkout ***\n"
        );
        libtest_mimic::run(&args, Vec::new()).exit();
    }
    let datasets = dir.join("datasets");
    let skipped = skip_list(&dir);
    let known = known_failures();
    let all = cases(&dir);
    assert!(all.len() > 1600, "the suite has {} cases, expected the whole suite", all.len());
    let mut trials = Vec::new();
    let ids: Vec<String> = all.iter().map(|(id, _)| id.clone()).collect();
    let listed: Vec<String> = known.keys().cloned().collect();
    trials.push(Trial::test("known-failures.txt names only suite cases", move || {
        let stale: Vec<&String> = listed.iter().filter(|id| !ids.contains(id)).collect();
        if stale.is_empty() {
            Ok(())
        } else {
            Err(Failed::from(format!("known-failures.txt names cases that do not exist: {stale:?}")))
        }
    }));
    for (id, case) in all {
        if skipped.contains(&id) {
            continue;
        }
        let reason = known.get(&id).cloned();
        let datasets = datasets.clone();
        let name = id.clone();
        trials.push(Trial::test(name, move || {
            let outcome = case.and_then(|(case, group)| run_case(&case, &group, &datasets));
            match (outcome, reason) {
                (Ok(()), None) => Ok(()),
                (Err(why), None) => Err(Failed::from(why)),
                (Err(_), Some(_)) => Ok(()),
                (Ok(()), Some(reason)) => Err(Failed::from(format!(
                    "`{id}` passes now: remove it from known-failures.txt (listed because: {reason})"
                ))),
            }
        }));
    }
    libtest_mimic::run(&args, trials).exit();
}
