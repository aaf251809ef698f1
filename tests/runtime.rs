//! AWS's recorded executions as data-driven tests of the VM: one test per
//! `../shared/conformance/cases/GROUP/NAME.json`. Each case is compiled and run in process
//! with its input and mocks; status, output, error and cause must equal AWS's, and where a
//! history was recorded the events must match as the shared runner compares them (strict
//! order, or as a multiset for concurrent branches).
//!
//! `runtime_known_failures.txt` lists the cases that do not pass yet, each with the reason.
//! A listed case that passes fails the test, so the list only shrinks.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use aslc_vm::{RunOptions, WorkflowType};
use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::{json, Value};

fn main() {
    let args = Arguments::from_args();
    let Some(shared) = common::shared() else {
        eprintln!("\n*** runtime tests SKIPPED: ../shared is not next to the checkout ***\n");
        libtest_mimic::run(&args, Vec::new()).exit();
    };
    let known = known_failures();
    let mut trials = Vec::new();
    let cases = shared.join("conformance/cases");
    let mut groups: Vec<PathBuf> = std::fs::read_dir(&cases)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    groups.sort();
    for group in groups {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&group)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for path in files {
            let name = format!(
                "{}/{}",
                group.file_name().unwrap_or_default().to_string_lossy(),
                path.file_stem().unwrap_or_default().to_string_lossy()
            );
            let expected_failure = known.get(&name).cloned();
            trials.push(Trial::test(name, move || {
                let problems = run_case(&path)?;
                match (problems.is_empty(), expected_failure) {
                    (true, None) => Ok(()),
                    (false, None) => Err(problems.join("\n").into()),
                    (false, Some(_)) => Ok(()),
                    (true, Some(reason)) => Err(format!(
                        "the case passes now: remove it from tests/runtime_known_failures.txt (listed as: {reason})"
                    )
                    .into()),
                }
            }));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}

/// `group/name` → reason, from the checked-in list.
fn known_failures() -> BTreeMap<String, String> {
    let text = include_str!("runtime_known_failures.txt");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(char::is_whitespace).map(|(n, r)| (n.to_owned(), r.trim().to_owned())))
        .collect()
}

fn run_case(path: &Path) -> Result<Vec<String>, Failed> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let case: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let definition = case["definition"].to_string();
    let Some(node) = aslc_syntax::json::parse(&definition, aslc_source::FileId(0)).node else {
        return Ok(vec!["the definition does not parse".into()]);
    };
    let express = case["state_machine_type"] == "EXPRESS";
    let workflow = if express { aslc_ir::WorkflowType::Express } else { aslc_ir::WorkflowType::Standard };
    let checked = aslc_ir::check(
        &node,
        aslc_source::FileId(0),
        &aslc_ir::CheckOptions { workflow_type: workflow, source_chars: None },
    );
    let Some(def) = checked.definition else { return Ok(vec!["the definition does not lower".into()]) };
    let program = match aslc_bytecode::compile(&def, Some(&definition)) {
        Ok(p) => p,
        Err(e) => return Ok(vec![format!("the definition does not compile: {e}")]),
    };
    // The round trip through the `.aslb` format must give the same program.
    let program = aslc_bytecode::Program::decode(&program.encode()).map_err(|e| e.to_string())?;
    let mut options = RunOptions {
        workflow_type: if express { WorkflowType::Express } else { WorkflowType::Standard },
        history: true,
        state_machine_name: "Conformance".into(),
        ..RunOptions::default()
    };
    if let Some(mocks) = case["mocks"].as_object() {
        let mut test_case = serde_json::Map::new();
        let mut responses = serde_json::Map::new();
        for (i, (state, seq)) in mocks.iter().enumerate() {
            let name = format!("R{i}");
            test_case.insert(state.clone(), json!(name));
            let answers: serde_json::Map<String, Value> = seq
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(k, r)| (k.to_string(), r.clone()))
                .collect();
            responses.insert(name, Value::Object(answers));
        }
        let config = json!({"StateMachines": {"Conformance": {"TestCases": {"Recorded": test_case}}},
                            "MockedResponses": responses});
        options.mocks = Some(
            aslc_vm::mocks::MockCase::from_config(&config, "Recorded", None).map_err(|e| e.to_string())?,
        );
    }
    let outcome = aslc_vm::run(&program, case["input"].clone(), &options);
    let actual = json!({
        "status": outcome.status.as_str(),
        "output": outcome.output,
        "error": outcome.error,
        "cause": outcome.cause,
    });
    let mut problems = compare_runtime(&case, &actual);
    if case.get("history").is_some() {
        problems.extend(compare_history(&case, &outcome.events));
    }
    Ok(problems)
}

fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(p), Some(q)) => p == q,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

/// Whether `text` matches `pattern` in which each token stands for any text.
fn token_match(pattern: &str, text: &str, tokens: &[String]) -> Option<bool> {
    let mut toks: Vec<&str> =
        tokens.iter().map(String::as_str).filter(|t| !t.is_empty() && pattern.contains(t)).collect();
    if toks.is_empty() {
        return None;
    }
    toks.sort_by_key(|t| std::cmp::Reverse(t.len()));
    // Split the pattern into literal pieces around the tokens.
    let mut pieces = vec![pattern.to_owned()];
    for tok in &toks {
        pieces = pieces.iter().flat_map(|p| p.split(tok).map(str::to_owned).collect::<Vec<_>>()).collect();
    }
    let (first, last) = (&pieces[0], &pieces[pieces.len() - 1]);
    if pieces.len() == 1 {
        return Some(text == first);
    }
    if !text.starts_with(first.as_str()) || !text[first.len()..].ends_with(last.as_str()) {
        return Some(false);
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for piece in &pieces[1..pieces.len() - 1] {
        match rest.find(piece.as_str()) {
            Some(i) => rest = &rest[i + piece.len()..],
            None => return Some(false),
        }
    }
    Some(true)
}

fn redacted_equal(exp: &Value, act: &Value, tokens: &[String]) -> bool {
    if tokens.is_empty() {
        return json_equal(exp, act);
    }
    match exp {
        Value::String(s) => {
            if tokens.contains(s) && !act.is_object() && !act.is_array() {
                return true;
            }
            match (token_match(s, act.as_str().unwrap_or(""), tokens), act) {
                (None, _) => act.as_str() == Some(s.as_str()),
                (Some(ok), Value::String(_)) => ok,
                _ => false,
            }
        }
        Value::Array(x) => act.as_array().is_some_and(|y| {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| redacted_equal(p, q, tokens))
        }),
        Value::Object(x) => {
            let Some(y) = act.as_object() else { return false };
            if x.len() != y.len() {
                return false;
            }
            let mut remaining = y.clone();
            for (k, v) in x {
                if let Some(w) = remaining.remove(k) {
                    if !redacted_equal(v, &w, tokens) {
                        return false;
                    }
                    continue;
                }
                let hit = remaining
                    .iter()
                    .find(|(ak, av)| {
                        token_match(k, ak, tokens) == Some(true) && redacted_equal(v, av, tokens)
                    })
                    .map(|(ak, _)| ak.clone());
                match hit {
                    Some(ak) => {
                        remaining.remove(&ak);
                    }
                    None => return false,
                }
            }
            remaining.is_empty()
        }
        _ => json_equal(exp, act),
    }
}

fn parse_json_text(v: &Value) -> Value {
    match v {
        Value::String(s) => serde_json::from_str(s).unwrap_or_else(|_| v.clone()),
        _ => v.clone(),
    }
}

fn tokens_of(v: &Value) -> Vec<String> {
    v.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect()
}

fn compare_runtime(case: &Value, actual: &Value) -> Vec<String> {
    let exp = &case["expected"];
    let tokens = tokens_of(&exp["redactions"]);
    let mut problems = Vec::new();
    if actual["status"] != exp["status"] {
        problems.push(format!("status: expected {}, got {}", exp["status"], actual["status"]));
    }
    if let Some(want) = exp.get("output") {
        if !json_equal(want, &actual["output"]) {
            problems.push(format!("output: expected {want}, got {}", actual["output"]));
        }
    }
    if let Some(want) = exp.get("output_redacted") {
        if !redacted_equal(want, &actual["output"], &tokens) {
            problems.push(format!("output (redacted): expected {want}, got {}", actual["output"]));
        }
    }
    if let Some(want) = exp.get("error") {
        if *want != actual["error"] {
            problems.push(format!("error: expected {want}, got {}", actual["error"]));
        }
    }
    for key in ["cause", "cause_redacted"] {
        let Some(want) = exp.get(key) else { continue };
        let got = if want.is_string() { actual["cause"].clone() } else { parse_json_text(&actual["cause"]) };
        let ok = if key == "cause_redacted" {
            redacted_equal(want, &got, &tokens)
        } else {
            json_equal(want, &got)
        };
        if !ok {
            problems.push(format!("cause: expected {want}, got {got}"));
        }
    }
    problems
}

const JSON_TEXT_FIELDS: &[&str] = &["input", "output", "parameters"];

fn norm_event(e: &Value) -> Value {
    let mut out = serde_json::Map::new();
    out.insert("type".into(), e["type"].clone());
    for (k, v) in e.as_object().into_iter().flatten() {
        if !k.ends_with("EventDetails") {
            continue;
        }
        let Some(d) = v.as_object() else { continue };
        let mut d = d.clone();
        for f in JSON_TEXT_FIELDS {
            if let Some(x) = d.get(*f) {
                let parsed = parse_json_text(x);
                d.insert((*f).into(), parsed);
            }
        }
        if let Some(Value::Object(vars)) = d.get("assignedVariables") {
            let parsed: serde_json::Map<String, Value> =
                vars.iter().map(|(a, b)| (a.clone(), parse_json_text(b))).collect();
            d.insert("assignedVariables".into(), Value::Object(parsed));
        }
        if let Some(Value::String(c)) = d.get("cause") {
            if c.starts_with('{') {
                let parsed = parse_json_text(&Value::String(c.clone()));
                d.insert("cause".into(), parsed);
            }
        }
        out.insert(k.clone(), Value::Object(d));
    }
    Value::Object(out)
}

fn details_match(exp: &Value, act: &Value, tokens: &[String]) -> Option<String> {
    for (k, v) in exp.as_object().into_iter().flatten() {
        if !k.ends_with("EventDetails") {
            continue;
        }
        let Some(got) = act.get(k).and_then(Value::as_object) else { return Some(format!("missing {k}")) };
        for (f, want) in v.as_object().into_iter().flatten() {
            let Some(g) = got.get(f) else { return Some(format!("{k}.{f} missing")) };
            if !redacted_equal(want, g, tokens) {
                return Some(format!("{k}.{f}: expected {want}, got {g}"));
            }
        }
    }
    None
}

fn compare_history(case: &Value, events: &[Value]) -> Vec<String> {
    let expected: Vec<&Value> = case["history"].as_array().into_iter().flatten().collect();
    let tokens = tokens_of(&case["history_redactions"]);
    let actual: Vec<Value> = events.iter().map(norm_event).collect();
    let mut problems = Vec::new();
    if case["history_order"].as_str().unwrap_or("strict") == "strict" {
        let et: Vec<&Value> = expected.iter().map(|e| &e["type"]).collect();
        let at: Vec<&Value> = actual.iter().map(|e| &e["type"]).collect();
        if et != at {
            return vec![format!("history: event types differ\n  expected: {et:?}\n  actual:   {at:?}")];
        }
        for (n, (x, (raw, y))) in expected.iter().zip(events.iter().zip(&actual)).enumerate() {
            for f in ["id", "previousEventId"] {
                if x.get(f).is_some() && raw.get(f) != x.get(f) {
                    problems.push(format!(
                        "history: event #{} {f}: expected {}, got {}",
                        n + 1,
                        x[f],
                        raw[f]
                    ));
                }
            }
            if let Some(msg) = details_match(x, y, &tokens) {
                problems.push(format!("history: event #{} ({}): {msg}", n + 1, x["type"]));
            }
        }
    } else {
        let mut pool = actual;
        for (n, x) in expected.iter().enumerate() {
            let hit =
                pool.iter().position(|y| y["type"] == x["type"] && details_match(x, y, &tokens).is_none());
            match hit {
                Some(i) => {
                    pool.remove(i);
                }
                None => {
                    problems.push(format!("history: no actual event matches expected event #{} {}", n + 1, x))
                }
            }
        }
        if problems.is_empty() && !pool.is_empty() {
            problems.push(format!("history: {} unexpected extra events, first: {}", pool.len(), pool[0]));
        }
    }
    problems
}
