//! `aslc jsonata`: results, diagnostics and exit codes for people, and the batch line
//! protocol of the JSONata reference suite.

mod common;

use std::io::Write;
use std::process::{Output, Stdio};

fn run(args: &[&str]) -> Output {
    common::aslc()
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("the aslc binary runs")
}

fn batch(requests: &str) -> String {
    let mut child = common::aslc()
        .args(["jsonata", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the aslc binary runs");
    child.stdin.take().expect("stdin is piped").write_all(requests.as_bytes()).expect("requests are written");
    let output = child.wait_with_output().expect("the batch ends when stdin closes");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn evaluates_an_expression() {
    let output = run(&[
        "jsonata",
        "$sum(items.price) * $rate",
        "--input",
        r#"{"items":[{"price":2},{"price":3}]}"#,
        "--bind",
        "rate=10",
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "50\n");
}

#[test]
fn step_functions_functions_need_the_flag() {
    let output = run(&["jsonata", "--step-functions", "$partition([1,2,3], 2)"]);
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stdout), @r"
    [
      [
        1,
        2
      ],
      [
        3
      ]
    ]
    ");
    let output = run(&["jsonata", "$partition([1,2,3], 2)"]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn errors_are_diagnostics_inside_the_expression() {
    let output = run(&["jsonata", "1 + 'a'"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stderr));
    let output = run(&["jsonata", "[1, 2"]);
    assert_eq!(output.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stderr));
}

#[test]
fn batch_answers_each_request_on_one_line() {
    let requests = concat!(
        r#"{"id": 1, "expr": "a.b", "data": {"a": {"b": [1, 2]}}, "bindings": {}}"#,
        "\n",
        r#"{"id": 2, "expr": "nothing", "bindings": {}}"#,
        "\n",
        r#"{"id": 3, "expr": "$x + ", "bindings": {"x": 1}}"#,
        "\n",
        r#"{"id": 4, "expr": "($f := function($n) { $n + $f($n) }; $f(1))", "bindings": {}, "depth": 50, "timelimit": 1000}"#,
        "\n",
    );
    insta::assert_snapshot!(batch(requests));
}
