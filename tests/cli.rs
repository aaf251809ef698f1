//! The `aslc` command line: output formats (snapshots), exit codes, stdin, selection.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::Stdio;

fn fixture(name: &str) -> String {
    format!("tests/fixtures/cli/{name}")
}

use common::{run, stdout};

#[test]
fn human_output() {
    let output = run(&["check", "--color", "never", &fixture("broken.asl.json")]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn json_output() {
    let output = run(&["check", "--format", "json", &fixture("broken.asl.json")]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn sarif_output() {
    let output = run(&["check", "--format", "sarif", &fixture("broken.asl.json")]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output).replace(env!("CARGO_PKG_VERSION"), "[version]");
    let log: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(log["version"], "2.1.0");
    insta::assert_snapshot!(text);
}

#[test]
fn template_diagnostics_point_into_the_template() {
    let output = run(&["check", "--color", "never", &fixture("template.yaml")]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn malformed_json_is_a_located_error() {
    let output = run(&["check", "--format", "json", &fixture("malformed.json")]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let syntax =
        report["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "S-JSON-SYNTAX").cloned();
    let syntax = syntax.expect("a syntax error");
    assert_eq!(syntax["severity"], "error");
    assert_eq!(syntax["line"], 1);
}

#[test]
fn stdin_is_read_with_a_name() {
    let mut child = common::aslc()
        .args(["check", "--format", "json", "--stdin-filename", "flow.asl.json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}"#)
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let codes: Vec<&str> =
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"S-NEXT-EXISTS"), "{codes:?}");
    assert_eq!(report["diagnostics"][0]["file"], "flow.asl.json");
}

#[test]
fn a_path_to_a_pipe_is_read_to_its_end() {
    // `/dev/stdin` names the pipe, so it is read as a file is; the writer pauses halfway, and
    // a read that comes back short must not be taken for the end.
    let mut child = common::aslc()
        .args(["check", "--format", "json", "/dev/stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let text = br#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}"#;
    stdin.write_all(&text[..20]).unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    stdin.write_all(&text[20..]).unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["diagnostics"], serde_json::json!([]));
}

#[test]
fn exit_codes() {
    assert_eq!(run(&["check", "examples"]).status.code(), Some(0));
    assert_eq!(run(&["check", "does-not-exist.asl.json"]).status.code(), Some(2));
    assert_eq!(run(&["check", "--format", "nope", "examples"]).status.code(), Some(2));
    assert_eq!(run(&["check"]).status.code(), Some(2));
}

#[test]
fn warnings_fail_only_when_denied() {
    let unused = fixture("unused.asl.json");
    let plain = run(&["check", "--format", "json", &unused]);
    assert_eq!(plain.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert!(report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "V-UNUSED" && d["severity"] == "warning"));
    assert_eq!(run(&["check", "--deny", "warnings", &unused]).status.code(), Some(1));
    // Opt-in lints run only when selected.
    let lints = fixture("lints.asl.json");
    let selected = run(&["check", "--select", "L-ERROR-ESCAPES", "--format", "json", &lints]);
    let report: serde_json::Value = serde_json::from_slice(&selected.stdout).unwrap();
    assert!(report["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "L-ERROR-ESCAPES"));
}

#[test]
fn ignore_removes_a_rule() {
    let lints = fixture("lints.asl.json");
    let all = run(&["check", "--format", "json", &lints]);
    let some: serde_json::Value = serde_json::from_slice(&all.stdout).unwrap();
    assert!(some["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "R-RETRY-LAMBDA"));
    let ignored = run(&["check", "--format", "json", "--ignore", "R-RETRY-LAMBDA", &lints]);
    let none: serde_json::Value = serde_json::from_slice(&ignored.stdout).unwrap();
    assert!(!none["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "R-RETRY-LAMBDA"));
    assert_eq!(run(&["check", "--select", "NO-SUCH-RULE", &lints]).status.code(), Some(2));
}

#[test]
fn express_rules_follow_the_workflow_type() {
    let dir = common::Scratch::new("cli");
    let file = dir.write(
        "sync.asl.json",
        r#"{"StartAt": "Run", "States": {"Run": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.sync", "Parameters": {"Cluster": "c"}, "End": true}}}"#,
    );
    let path = file.to_str().unwrap();
    assert_eq!(run(&["check", path]).status.code(), Some(0));
    assert_eq!(run(&["check", "--workflow-type", "express", path]).status.code(), Some(1));
}

#[test]
fn dsl_compiles_and_decompiles() {
    let dir = common::Scratch::new("dsl");
    let asld = dir.0.join("flow.asld");
    let decompiled = run(&["decompile", "-o", asld.to_str().unwrap(), "examples/order-fulfilment.asl.json"]);
    assert_eq!(decompiled.status.code(), Some(0));
    let compiled = run(&["compile", asld.to_str().unwrap()]);
    assert_eq!(compiled.status.code(), Some(0));
    let original: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/order-fulfilment.asl.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let back: serde_json::Value = serde_json::from_slice(&compiled.stdout).unwrap();
    assert_eq!(original, back);
    assert_eq!(run(&["check", asld.to_str().unwrap()]).status.code(), Some(0));
    assert_eq!(run(&["fmt", "--check", asld.to_str().unwrap()]).status.code(), Some(0));
}

#[test]
fn empty_and_blank_dsl_files_are_diagnosed() {
    // Found by fuzzing the DSL front end: an empty file lowers to an empty definition
    // whose diagnostics must still point inside the (empty) text.
    let dir = common::Scratch::new("empty");
    for (name, text) in [("empty.asld", ""), ("blank.asld", "\n\n  \n")] {
        let file = dir.write(name, text);
        let output = run(&["check", "--format", "json", file.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(1), "{name}");
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert!(
            report["diagnostics"].as_array().unwrap().iter().any(|d| d["code"] == "S-ROOT-REQUIRED"),
            "{name}"
        );
        let human = run(&["check", file.to_str().unwrap()]);
        assert_eq!(human.status.code(), Some(1), "{name}");
    }
    // In process: every span lies inside the text on character boundaries, also for a file
    // that starts with a multi-byte character (another fuzzer find).
    let multibyte = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture("fuzz-multibyte-start.asld")),
    )
    .unwrap();
    for text in ["", "\n", multibyte.as_str()] {
        let diagnostics = aslc_dsl::check(text, aslc_source::FileId(0), &aslc_ir::CheckOptions::default());
        assert!(!diagnostics.is_empty());
        for d in diagnostics {
            assert!(
                text.get(d.primary.range.as_usize()).is_some(),
                "{} at {:?} in {text:?}",
                d.code,
                d.primary.range
            );
        }
    }
}

#[test]
fn rules_have_unique_names_and_explain_takes_either() {
    let output = run(&["rules", "--json"]);
    assert_eq!(output.status.code(), Some(0));
    let rules: serde_json::Value = serde_json::from_slice(&output.stdout).expect("rules --json is JSON");
    let rules = rules.as_array().expect("an array of rules");
    let mut names = std::collections::HashSet::new();
    for rule in rules {
        let name = rule["name"].as_str().expect("every rule has a name");
        assert!(name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{name}");
        assert!(names.insert(name.to_owned()), "two rules are named `{name}`");
    }
    let by_code = run(&["explain", "C-NO-DEFAULT"]);
    let by_name = run(&["explain", "choice-no-default"]);
    assert_eq!(by_name.status.code(), Some(0));
    assert_eq!(stdout(&by_code), stdout(&by_name));
    assert!(stdout(&by_name).contains("Name: `choice-no-default`"));
}

#[test]
fn a_closed_pipe_is_not_a_crash() {
    let mut child = common::aslc()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("rules")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("aslc runs");
    drop(child.stdout.take());
    let output = child.wait_with_output().expect("aslc ends");
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("panicked"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Output into a pipe whose reader is gone fails the write (`EPIPE`) rather than killing the
/// process with `SIGPIPE`: `aslc` ends with an exit status of its own.
#[test]
fn a_pipe_closed_before_the_start_ends_with_a_status() {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let status = common::aslc()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "--format", "json", &fixture("broken.asl.json")])
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::null())
        .status()
        .expect("aslc runs");
    assert_eq!(status.code(), Some(1), "{status:?}");
}

/// Past a handful of paths, `check` does not look at each one before the run: a folder or a
/// missing file among many must still give what it gives among few.
#[test]
fn many_paths_report_as_few_do() {
    let folder = "tests/fixtures/cli";
    let file = fixture("broken.asl.json");
    // The folder alone, and the folder after enough copies of one file to pass the
    // threshold: the folder's diagnostics are the same and come last.
    let alone = run(&["check", "--format", "json", folder]);
    let mut args = vec!["check", "--format", "json"];
    args.extend(std::iter::repeat_n(file.as_str(), 20));
    args.push(folder);
    let many = run(&args);
    assert_eq!(many.status.code(), alone.status.code());
    let diagnostics = |output: &std::process::Output| -> Vec<serde_json::Value> {
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        report["diagnostics"].as_array().unwrap().clone()
    };
    let (alone, many) = (diagnostics(&alone), diagnostics(&many));
    assert!(!alone.is_empty());
    assert_eq!(many[many.len() - alone.len()..], alone[..]);

    // A missing path is a usage error naming it, however many paths there are.
    for count in [1, 20] {
        let mut args = vec!["check"];
        args.extend(std::iter::repeat_n(file.as_str(), count));
        args.push("tests/fixtures/cli/no-such-file.asl.json");
        let output = run(&args);
        assert_eq!(output.status.code(), Some(2), "{count} paths");
        assert!(output.stdout.is_empty());
        assert_eq!(
            String::from_utf8_lossy(&output.stderr),
            "error: `tests/fixtures/cli/no-such-file.asl.json` does not exist\n"
        );
    }
}

/// The definition size limit counts characters, as the Step Functions API does: a file
/// over the limit in bytes but not in characters passes.
#[test]
fn the_size_limit_counts_characters() {
    let scratch = common::Scratch::new("size-limit");
    let definition = |comment: &str| {
        format!(r#"{{"Comment": "{comment}", "StartAt": "A", "States": {{"A": {{"Type": "Succeed"}}}}}}"#)
    };
    let limit = 1_048_576;
    let codes = |path: &Path| -> Vec<String> {
        let output = run(&["check", "--format", "json", path.to_str().unwrap()]);
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect()
    };
    // 600,000 two-byte characters: 1.2 MB, but well under the limit in characters.
    let wide = scratch.write("wide.asl.json", &definition(&"é".repeat(600_000)));
    assert!(std::fs::metadata(&wide).unwrap().len() > limit);
    assert!(!codes(&wide).contains(&"R-LIM-DEF-SIZE".to_string()));
    let long = scratch.write("long.asl.json", &definition(&"e".repeat(limit as usize)));
    assert!(codes(&long).contains(&"R-LIM-DEF-SIZE".to_string()));
}

/// A definition file that a template in the same run names by `DefinitionUri` is reported
/// once, through the template (which knows the substitutions), in every format; JSON
/// reports rendered per file must not keep the file's own check.
#[test]
fn a_definition_named_by_a_template_is_reported_once_in_every_format() {
    let dir = common::Scratch::new("superseded");
    dir.write(
        "template.yaml",
        "Resources:\n  Machine:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      \
         DefinitionUri: flow.asl.json\n      DefinitionSubstitutions:\n        Fn: arn:aws:lambda:us-east-1:123456789012:function:f\n",
    );
    dir.write(
        "flow.asl.json",
        r#"{"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "${Fn}", "Next": "Nowhere"}}}"#,
    );
    let folder = dir.0.to_str().unwrap();
    let json = run(&["check", "--format", "json", folder]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let codes: Vec<&str> =
        report["diagnostics"].as_array().unwrap().iter().map(|d| d["code"].as_str().unwrap()).collect();
    let sarif = run(&["check", "--format", "sarif", folder]);
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let rule_ids: Vec<&str> =
        log["runs"][0]["results"].as_array().unwrap().iter().map(|r| r["ruleId"].as_str().unwrap()).collect();
    assert_eq!(codes, rule_ids);
    // The unknown `Next` target once, not once per check of the file.
    let unknown_next = codes.iter().filter(|code| **code == codes[0]).count();
    assert_eq!(unknown_next, 1, "{codes:?}");
    assert_eq!(json.status.code(), Some(1));
}
