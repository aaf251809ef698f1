//! `aslc run`, `aslc build` and `aslc disasm` from the command line: output formats
//! (snapshots), exit codes, mocks, local handlers, templates and `.aslb` files.

mod common;

use std::process::{Output, Stdio};

fn fixture(name: &str) -> String {
    format!("tests/fixtures/run/{name}")
}

use common::{run, stdout};

fn order(case: &str, extra: &[&str]) -> Output {
    let (def, mock) = (fixture("order.asl.json"), fixture("order.mock.json"));
    let mut args = vec!["run", &def, "--mock-config", &mock, "--test-case", case];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn text_output_shows_the_path_on_the_virtual_clock() {
    let output = order("Paid", &[]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn json_output_with_history() {
    let output = order("Paid", &["--format", "json", "--history"]);
    assert_eq!(output.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("one JSON object");
    insta::assert_json_snapshot!(doc);
}

#[test]
fn a_failed_execution_exits_1() {
    let output = order("Refused", &["--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("one JSON object");
    assert_eq!(doc["status"], "FAILED");
    assert_eq!(doc["error"], "Payment.Refused");
    assert_eq!(doc["cause"], "the card was refused");
}

#[test]
fn a_used_up_mock_fails_unless_the_last_answer_repeats() {
    let json = |output: &Output| -> serde_json::Value {
        serde_json::from_str(&stdout(output)).expect("one JSON object")
    };
    let output = order("Throttled", &["--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(json(&output)["error"], "aslc.MockExhausted");
    let output = order("Throttled", &["--format", "json", "--mock-exhausted", "repeat-last"]);
    assert_eq!(output.status.code(), Some(1));
    // Both retries get the throttle again; then the retrier gives up.
    assert_eq!(json(&output)["error"], "Lambda.TooManyRequestsException");
    assert_eq!(json(&output)["transitions"], 2 + 1);
}

#[test]
fn distributed_maps_read_the_s3_folder() {
    let output =
        run(&["run", &fixture("s3-reader.asl.json"), "--s3-dir", &fixture("s3"), "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("one JSON object");
    assert_eq!(doc["output"], serde_json::json!([{"id": "1", "name": "ann"}, {"id": "2", "name": "bo"}]));
    let output = run(&["run", &fixture("s3-reader.asl.json"), "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("one JSON object");
    assert_eq!(doc["error"], "aslc.NoS3");
    let output = run(&["run", &fixture("s3-reader.asl.json"), "--s3-dir", &fixture("no-such-folder")]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_definition_with_errors_exits_2_with_diagnostics() {
    let output = run(&["run", &fixture("invalid.asl.json")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("Missing"));
}

#[test]
fn unusable_input_exits_2() {
    let output = run(&["run", &fixture("echo.asl.json"), "--input", "{not json"]);
    assert_eq!(output.status.code(), Some(2));
    let output = order("NoSuchCase", &[]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_task_without_mock_or_handler_fails_the_run() {
    let output = run(&["run", &fixture("echo.asl.json"), "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("one JSON object");
    assert_eq!(doc["error"], "aslc.NoHandler");
}

#[test]
fn local_handlers_answer_tasks() {
    let def = fixture("echo.asl.json");
    let ok = run(&[
        "run",
        &def,
        "--input",
        r#"{"x": [1, 2]}"#,
        "--format",
        "json",
        "--handler",
        "arn:aws:lambda:*=cat",
    ]);
    assert_eq!(ok.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&ok)).expect("one JSON object");
    assert_eq!(doc["output"], serde_json::json!({"x": [1, 2]}));
    let failing = r#"arn:aws:lambda:us-east-1:123456789012:function:echo=echo '{"Error": "Oops", "Cause": "no"}'; exit 1"#;
    let failed = run(&["run", &def, "--format", "json", "--handler", failing]);
    assert_eq!(failed.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&failed)).expect("one JSON object");
    assert_eq!((doc["error"].as_str(), doc["cause"].as_str()), (Some("Oops"), Some("no")));
}

#[test]
fn templates_run_with_state_machine() {
    let output = run(&[
        "run",
        &fixture("template.yaml"),
        "--state-machine",
        "Greeter",
        "--input",
        r#"{"name": "Ada"}"#,
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("one JSON object");
    assert_eq!(doc["output"], serde_json::json!({"greeting": "Hello, Ada!"}));
}

#[test]
fn build_then_disasm_and_run_the_aslb_file() {
    let scratch = common::Scratch::new("run-aslb");
    let aslb = scratch.0.join("order.aslb");
    let aslb = aslb.to_str().expect("a UTF-8 path");
    let built = run(&["build", &fixture("order.asl.json"), "-o", aslb]);
    assert_eq!(built.status.code(), Some(0), "{}", String::from_utf8_lossy(&built.stderr));
    let from_file = run(&["disasm", aslb]);
    let from_source = run(&["disasm", &fixture("order.asl.json")]);
    assert_eq!(stdout(&from_file), stdout(&from_source));
    insta::assert_snapshot!(stdout(&from_file));
    let mock = fixture("order.mock.json");
    let ran = run(&["run", aslb, "--mock-config", &mock, "--test-case", "Paid", "--format", "json"]);
    let direct = order("Paid", &["--format", "json"]);
    assert_eq!(stdout(&ran), stdout(&direct));
}

#[test]
fn a_corrupt_aslb_file_is_a_diagnostic() {
    let scratch = common::Scratch::new("run-corrupt");
    let aslb = scratch.0.join("order.aslb");
    let aslb = aslb.to_str().expect("a UTF-8 path");
    assert_eq!(run(&["build", &fixture("order.asl.json"), "-o", aslb]).status.code(), Some(0));
    let mut bytes = std::fs::read(aslb).expect("the file was written");
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(aslb, &bytes).expect("writable");
    let output = run(&["run", aslb]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("checksum mismatch"));
    bytes.truncate(20);
    std::fs::write(aslb, &bytes).expect("writable");
    let output = run(&["disasm", aslb]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn handlers_from_aslc_toml() {
    let scratch = common::Scratch::new("run-toml");
    scratch.write(
        "aslc.toml",
        "[run.handlers]\n\"arn:aws:lambda:us-east-1:123456789012:function:echo\" = \"cat\"\n",
    );
    let def = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture("echo.asl.json"));
    let output = common::aslc()
        .current_dir(&scratch.0)
        .args(["run", def.to_str().expect("a UTF-8 path"), "--input", r#"{"v": 1}"#, "--format", "json"])
        .stdin(Stdio::null())
        .output()
        .expect("aslc runs");
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("one JSON object");
    assert_eq!(doc["output"], serde_json::json!({"v": 1}));
}

#[test]
fn array_ranges_count_their_elements_before_building_them() {
    let scratch = common::Scratch::new("array-range");
    let range = |args: &str| -> serde_json::Value {
        let definition = serde_json::json!({
            "StartAt": "R",
            "States": { "R": { "Type": "Pass", "Parameters": { "r.$": format!("States.ArrayRange({args})") }, "End": true } }
        });
        let path = scratch.write(&format!("range-{}.asl.json", args.len()), &definition.to_string());
        let output = run(&["run", path.to_str().expect("a UTF-8 path"), "--format", "json"]);
        serde_json::from_str(&stdout(&output)).expect("one JSON object")
    };
    assert_eq!(range("0, -4, -2")["output"]["r"], serde_json::json!([0, -2, -4]));
    assert_eq!(range("5, 1, 1")["output"]["r"], serde_json::json!([]));
    assert_eq!(range("1, 1000, 1")["output"]["r"].as_array().map(Vec::len), Some(1000));
    let over = range("1, 1001, 1");
    assert_eq!(over["error"], "States.IntrinsicFailure");
    assert_eq!(
        range("2147483640, 2147483647, 5")["output"]["r"],
        serde_json::json!([2147483640, 2147483645])
    );
}
