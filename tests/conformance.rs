//! AWS's recorded verdicts as data-driven tests:
//! - `validation/…`: each `../shared/conformance/validation` case; aslc fails the definition
//!   exactly when AWS did (`FAIL` iff an error-level diagnostic), with AWS's workflow type;
//! - `accepted/…`: the definition of every recorded execution, which AWS accepted, checks
//!   with no error.
//!
//! The shared `conformance/run` script applies the same contract from outside; these tests
//! keep it in `cargo test`.

mod common;

use std::path::{Path, PathBuf};

use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let args = Arguments::from_args();
    let Some(shared) = common::shared() else {
        eprintln!("\n*** conformance tests SKIPPED: ../shared is not next to the checkout ***\n");
        libtest_mimic::run(&args, Vec::new()).exit();
    };
    let scratch = std::env::temp_dir().join(format!("aslc-conformance-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).expect("a temporary directory");
    let mut trials = Vec::new();
    for path in json_files(&shared.join("conformance/validation")) {
        let name = format!("validation/{}", path.file_stem().unwrap_or_default().to_string_lossy());
        let scratch = scratch.clone();
        trials.push(Trial::test(name, move || validation_case(&path, &scratch)));
    }
    let mut seen = std::collections::HashSet::new();
    let cases = shared.join("conformance/cases");
    for group in sorted_dirs(&cases) {
        for path in json_files(&group) {
            let Ok(case) = read_json(&path) else { continue };
            let definition = case["definition"].to_string();
            if !seen.insert(definition) {
                continue;
            }
            let name = format!(
                "accepted/{}.{}",
                group.file_name().unwrap_or_default().to_string_lossy(),
                path.file_stem().unwrap_or_default().to_string_lossy()
            );
            let scratch = scratch.clone();
            trials.push(Trial::test(name, move || accepted_case(&path, &scratch)));
        }
    }
    let conclusion = libtest_mimic::run(&args, trials);
    let _ = std::fs::remove_dir_all(&scratch);
    conclusion.exit();
}

fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    out.sort();
    out
}

fn read_json(path: &Path) -> Result<serde_json::Value, Failed> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()).into())
}

/// Writes the case's definition where `aslc` can read it.
fn write_definition(case: &serde_json::Value, path: &Path, scratch: &Path) -> Result<PathBuf, Failed> {
    let file = scratch.join(format!("{}.asl.json", path.file_stem().unwrap_or_default().to_string_lossy()));
    let text = match case.get("definition_text").and_then(|t| t.as_str()) {
        Some(text) => text.to_string(),
        None => serde_json::to_string_pretty(&case["definition"]).map_err(|e| e.to_string())?,
    };
    std::fs::write(&file, text).map_err(|e| e.to_string())?;
    Ok(file)
}

fn workflow_args(case: &serde_json::Value) -> Vec<&'static str> {
    if case["state_machine_type"] == "EXPRESS" {
        vec!["--workflow-type", "express"]
    } else {
        Vec::new()
    }
}

fn validation_case(path: &Path, scratch: &Path) -> Result<(), Failed> {
    let case = read_json(path)?;
    let file = write_definition(&case, path, scratch)?;
    let (code, diagnostics) = common::check_json(&[&file], &workflow_args(&case));
    let errors = common::errors(&diagnostics);
    let aws_fails = case["expected"]["result"] == "FAIL";
    match (aws_fails, errors.is_empty()) {
        (true, true) => Err(format!(
            "AWS rejects this definition ({}), aslc reports no error",
            case["expected"]["diagnostics"]
        )
        .into()),
        (false, false) => {
            Err(format!("AWS accepts this definition, aslc reports:\n{}", common::describe(&errors)).into())
        }
        _ if (code == 1) != aws_fails => Err(format!("exit code {code} disagrees with the verdict").into()),
        _ => Ok(()),
    }
}

fn accepted_case(path: &Path, scratch: &Path) -> Result<(), Failed> {
    let case = read_json(path)?;
    let file = write_definition(&case, path, scratch)?;
    let (_, diagnostics) = common::check_json(&[&file], &workflow_args(&case));
    let errors = common::errors(&diagnostics);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!("AWS ran this definition, aslc reports:\n{}", common::describe(&errors)).into())
    }
}
