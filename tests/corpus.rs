//! The shared corpus as data-driven tests, one named test per file:
//! - `real/…` and `templates/…`: real-world definitions and templates, which must check
//!   with no error;
//! - `valid/…`, `disputed/…`: validator fixtures that must get no error;
//! - `invalid/…`: fixtures that must get an error, at the location `EXPECTED.tsv` lists;
//! - `feature/…`: AWS-validated feature tests (minus those not deployable as they stand).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use aslc_source::{FileId, LineIndex};
use libtest_mimic::{Arguments, Failed, Trial};

fn main() {
    let args = Arguments::from_args();
    let Some(shared) = common::shared() else {
        eprintln!("\n*** corpus tests SKIPPED: ../shared (the shared reference material) is not next to the checkout ***\n");
        libtest_mimic::run(&args, Vec::new()).exit();
    };
    let corpus = shared.join("corpus");
    // Files the corpus expects to pass that AWS itself would reject, with the rule and the
    // evidence: they must get exactly that error, so a change in either direction shows.
    let known: BTreeMap<String, String> =
        read_tsv(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus-invalid-on-aws.tsv"))
            .into_iter()
            .map(|row| (row[0].clone(), row[1].clone()))
            .collect();
    let judge = move |path: PathBuf, key: String| -> Box<dyn FnOnce() -> Result<(), Failed> + Send> {
        match known.get(&key).cloned() {
            Some(code) => Box::new(move || expect_error_code(&path, &code)),
            None => Box::new(move || expect_no_error(&path, &[])),
        }
    };
    let mut trials = Vec::new();
    for (group, dir) in [
        ("real", "real"),
        ("templates", "templates"),
        ("valid", "validator/valid"),
        ("disputed", "validator/disputed"),
    ] {
        for path in files(&corpus.join(dir)) {
            let name = format!("{group}/{}", rel(&corpus.join(dir), &path));
            let key = rel(&corpus, &path);
            trials.push(Trial::test(name, judge(path, key)));
        }
    }
    let not_deployable = read_tsv(&corpus.join("feature-tests/NOT_DEPLOYABLE_AS_IS.tsv"));
    let skip: Vec<String> = not_deployable.iter().map(|row| row[0].clone()).collect();
    for path in files(&corpus.join("feature-tests")) {
        let name = rel(&corpus, &path);
        let ignored = skip.contains(&name);
        let test_name = format!("feature/{}", rel(&corpus.join("feature-tests"), &path));
        // Templates for a test harness (placeholders to fill in): their verdict means
        // nothing, but they must be read and reported on without a crash.
        trials.push(if ignored {
            Trial::test(test_name, move || expect_verdict(&path))
        } else {
            Trial::test(test_name, judge(path, name.clone()))
        });
    }
    let mut expected: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in read_tsv(&corpus.join("validator/EXPECTED.tsv")) {
        expected.entry(row[0].clone()).or_default().push(row.get(2).cloned().unwrap_or_default());
    }
    for path in files(&corpus.join("validator/invalid")) {
        let key = rel(&corpus, &path);
        let locations = expected.get(&key).cloned().unwrap_or_default();
        let name = format!("invalid/{}", rel(&corpus.join("validator/invalid"), &path));
        // The corpus README: these are invalid only when checked as Express workflows.
        let express = name.contains("localstack--express--");
        trials.push(Trial::test(name, move || expect_errors_at(&path, &locations, express)));
    }
    libtest_mimic::run(&args, trials).exit();
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("json" | "yaml" | "yml")) {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn rel(base: &Path, path: &Path) -> String {
    path.strip_prefix(base).unwrap_or(path).to_string_lossy().replace('\\', "/")
}

fn read_tsv(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

fn expect_no_error(path: &Path, args: &[&str]) -> Result<(), Failed> {
    let (code, diagnostics) = common::check_json(&[path], args);
    let errors = common::errors(&diagnostics);
    if !errors.is_empty() {
        return Err(format!("expected no error, got:\n{}", common::describe(&errors)).into());
    }
    if code != 0 {
        return Err(format!("no error reported but exit code {code}").into());
    }
    Ok(())
}

fn expect_verdict(path: &Path) -> Result<(), Failed> {
    let (code, _) = common::check_json(&[path], &[]);
    match code {
        0 | 1 => Ok(()),
        other => Err(format!("exit code {other}").into()),
    }
}

fn expect_error_code(path: &Path, code: &str) -> Result<(), Failed> {
    let (_, diagnostics) = common::check_json(&[path], &[]);
    let errors = common::errors(&diagnostics);
    let unexpected: Vec<_> = errors.iter().copied().filter(|d| d["code"] != code).collect();
    if !errors.iter().any(|d| d["code"] == code) || !unexpected.is_empty() {
        return Err(format!(
            "expected exactly the known `{code}` error (tests/data/corpus-invalid-on-aws.tsv), got:\n{}",
            common::describe(&errors)
        )
        .into());
    }
    Ok(())
}

/// A 1-based (line, column) range.
type Span = ((u64, u64), (u64, u64));

fn expect_errors_at(path: &Path, locations: &[String], express: bool) -> Result<(), Failed> {
    let args: &[&str] = if express { &["--workflow-type", "express"] } else { &[] };
    let (code, diagnostics) = common::check_json(&[path], args);
    let errors = common::errors(&diagnostics);
    if errors.is_empty() {
        return Err("expected at least one error, got none".into());
    }
    if code != 1 {
        return Err(format!("errors reported but exit code {code}").into());
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let tree = aslc_syntax::json::parse(&text, FileId(0)).node;
    for location in locations {
        // `EXPECTED.tsv` writes `/States/x/Next (value; line 3, col 9)` for some fixtures.
        let pointer = location.split(" (").next().unwrap_or("").trim();
        if pointer.is_empty() {
            continue;
        }
        let Some(tree) = &tree else { continue };
        let Some(span) = pointer_span(tree, &text, pointer) else {
            return Err(format!("EXPECTED.tsv location {pointer} is not in the file").into());
        };
        let hit = errors.iter().any(|d| {
            let start = (d["line"].as_u64().unwrap_or(0), d["column"].as_u64().unwrap_or(0));
            let end = (d["end_line"].as_u64().unwrap_or(0), d["end_column"].as_u64().unwrap_or(0));
            let inside = span.0 <= start && end <= span.1;
            let same_pointer = d["location"].as_str().map(normalise_pointer).as_deref() == Some(pointer);
            inside || same_pointer
        });
        if !hit {
            return Err(format!(
                "no error at {pointer} (lines {}:{}–{}:{}); got:\n{}",
                span.0 .0,
                span.0 .1,
                span.1 .0,
                span.1 .1,
                common::describe(&errors)
            )
            .into());
        }
    }
    Ok(())
}

/// `/States/A/Retry[0]/ErrorEquals[1]` → `/States/A/Retry/0/ErrorEquals/1`.
fn normalise_pointer(location: &str) -> String {
    location.replace('[', "/").replace(']', "")
}

/// The (line, column) range of the member or element at `pointer`, key included.
fn pointer_span(root: &aslc_syntax::Node, text: &str, pointer: &str) -> Option<Span> {
    let index = LineIndex::new(text);
    let mut node = root;
    let mut range = root.range;
    for part in pointer.split('/').skip(1).filter(|p| !p.is_empty()) {
        if let Some(members) = node.as_object() {
            let member = members.iter().find(|m| &*m.key.text == part)?;
            range = member.key_range.cover(member.value.range);
            node = &member.value;
        } else if let Some(items) = node.as_array() {
            let item = items.get(part.parse::<usize>().ok()?)?;
            range = item.range;
            node = item;
        } else {
            return None;
        }
    }
    let start = index.line_col(text, range.start());
    let end = index.line_col(text, range.end());
    Some(((start.line as u64, start.column as u64), (end.line as u64, end.column as u64)))
}
