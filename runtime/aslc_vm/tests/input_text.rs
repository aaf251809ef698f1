//! Execution inputs given as JSON text ([`Input::from_text`]): a workflow that starts in a
//! JSONata state reads the text through the engine, and runs exactly as it does on the
//! same input given as a value: passed on unchanged, in the context object, in the
//! history, at the payload limit, and when the engine declines the text.

mod common;

use aslc_vm::{run, run_input, Input, Outcome, RunOptions, PAYLOAD_LIMIT};
use common::program;
use serde_json::{json, Value};

/// The outcome of running `definition` on `text`, checked to be the outcome of running it
/// on the value the text holds, history included.
fn check(definition: &Value, text: &str) -> Outcome {
    let program = program(definition);
    let options = RunOptions { history: true, ..RunOptions::default() };
    let input = Input::from_text(text.to_owned(), &program, &options).expect("the input is JSON");
    let from_text = run_input(&program, &input, &options);
    let value: Value = serde_json::from_str(text).expect("the input is JSON");
    let from_value = run(&program, value, &options);
    assert_eq!(from_text.status, from_value.status);
    assert_eq!(from_text.output, from_value.output);
    assert_eq!(from_text.error, from_value.error);
    assert_eq!(from_text.cause, from_value.cause);
    assert_eq!(from_text.events, from_value.events);
    from_text
}

fn jsonata(states: Value, start: &str) -> Value {
    json!({"QueryLanguage": "JSONata", "StartAt": start, "States": states})
}

#[test]
fn a_transform_reads_the_text() {
    let definition = jsonata(
        json!({"T": {"Type": "Pass", "Output": "{% $states.input.a.{'n': n * 2, 'k': k} %}", "End": true}}),
        "T",
    );
    let outcome =
        check(&definition, r#"{"a": [{"n": 1, "k": "x"}, {"n": -0.5, "k": "\u00e9"}], "a": [{"n": 3}]}"#);
    assert_eq!(outcome.output, Some(json!({"n": 6})));
}

#[test]
fn an_input_passed_on_unchanged_is_its_json() {
    let definition = jsonata(
        json!({
            "P": {"Type": "Pass", "Next": "C"},
            "C": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.x > 1 %}", "Next": "Done"}],
                  "Default": "Done"},
            "Done": {"Type": "Pass", "Output": "{% [$states.input, $states.context.Execution.Input] %}", "End": true}
        }),
        "P",
    );
    let outcome = check(&definition, r#" {"x": 2, "big": 12345678901234567890, "f": 1E2, "z": -0} "#);
    // As JSONata writes the numbers it read.
    let expected = json!({"x": 2, "big": 1.2345678901234567e19, "f": 100, "z": 0});
    assert_eq!(outcome.output, Some(json!([expected, expected])));
}

#[test]
fn a_jsonpath_workflow_reads_the_text_as_json() {
    let definition =
        json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.a", "End": true}}});
    let outcome = check(&definition, r#"{"a": {"b": [1, 2.5]}}"#);
    assert_eq!(outcome.output, Some(json!({"b": [1, 2.5]})));
}

#[test]
fn text_the_engine_declines_runs_as_json() {
    let definition =
        jsonata(json!({"T": {"Type": "Pass", "Output": "{% $count($states.input) %}", "End": true}}), "T");
    let deep = format!("{}1{}", "[".repeat(110), "]".repeat(110));
    assert_eq!(check(&definition, &deep).output, Some(json!(1)));
    let program = program(&definition);
    let options = RunOptions::default();
    assert!(Input::from_text("[1,]".to_owned(), &program, &options).is_err());
    assert!(Input::from_text("1e999".to_owned(), &program, &options).is_err());
}

#[test]
fn the_payload_limit_holds_for_text() {
    let definition =
        jsonata(json!({"T": {"Type": "Pass", "Output": "{% $count($states.input) %}", "End": true}}), "T");
    // Compact JSON just within the limit, and written out with spaces well beyond it.
    let fits = format!("[\"{}\"]", "a".repeat(PAYLOAD_LIMIT - 4));
    assert_eq!(check(&definition, &fits).output, Some(json!(1)));
    let spaced = format!("[{}\"{}\"]", " ".repeat(PAYLOAD_LIMIT), "a".repeat(PAYLOAD_LIMIT - 8));
    assert_eq!(check(&definition, &spaced).output, Some(json!(1)));
    let over = format!("[\"{}\"]", "a".repeat(PAYLOAD_LIMIT - 3));
    assert_eq!(check(&definition, &over).error.as_deref(), Some("States.DataLimitExceeded"));
    // Numbers serde_json writes longer than the text has them count at their longest.
    let numbers = format!("[{}1E0]", "9e15,".repeat(PAYLOAD_LIMIT / 5 - 1));
    check(&definition, &numbers);
}
