//! Payload templates evaluated again and again (`Parameters` in loops and branches): the
//! VM reuses what it can of earlier evaluations (a loop's input object, an object of the
//! template's keys), and the results must be exactly those of a first evaluation.

mod common;

use aslc_vm::{run, Outcome, RunOptions, Status, WorkflowType};
use common::program;
use serde_json::{json, Value};

fn check(definition: Value, input: Value, expect: &str) -> Outcome {
    let options = RunOptions { workflow_type: WorkflowType::Express, history: true, ..RunOptions::default() };
    let out = run(&program(&definition), input, &options);
    assert_eq!(out.status, Status::Succeeded, "{:?} {:?}", out.error, out.cause);
    // Compared as text: the members' order is part of the result.
    assert_eq!(out.output.as_ref().map(Value::to_string).as_deref(), Some(expect));
    out
}

/// A loop of `Step` until `$.n` reaches 3, `Step`'s `Parameters` given.
fn looping(parameters: Value) -> Value {
    json!({
        "StartAt": "Check",
        "States": {
            "Check": {"Type": "Choice",
                      "Choices": [{"Variable": "$.n", "NumericLessThan": 3, "Next": "Step"}],
                      "Default": "Done"},
            "Step": {"Type": "Pass", "Parameters": parameters, "Next": "Check"},
            "Done": {"Type": "Succeed"}
        }
    })
}

#[test]
fn members_read_from_the_object_they_are_written_into() {
    // The input has the template's keys, so the result takes the input's place: every
    // member must still read the input as it was before the state, not half-written.
    let definition = looping(json!({"n.$": "States.MathAdd($.n, 1)", "a.$": "$.b", "b.$": "$.a"}));
    check(definition, json!({"n": 0, "a": "x", "b": "y"}), r#"{"n":3,"a":"y","b":"x"}"#);
}

#[test]
fn members_keep_the_order_of_the_template() {
    // Same keys as the input, in another order: the template's order wins.
    let definition = looping(json!({"n.$": "States.MathAdd($.n, 1)", "a.$": "$.a"}));
    check(definition, json!({"a": 1, "n": 0}), r#"{"n":3,"a":1}"#);
    // Fewer and more keys than the input.
    let definition = looping(json!({"n.$": "States.MathAdd($.n, 1)"}));
    check(definition, json!({"a": 1, "n": 0}), r#"{"n":3}"#);
    let definition = looping(json!({"n.$": "States.MathAdd($.n, 1)", "seen.$": "$", "k": [1, {"x": 2}]}));
    check(definition, json!({"n": 2}), r#"{"n":3,"seen":{"n":2},"k":[1,{"x":2}]}"#);
}

#[test]
fn the_input_is_not_reused_when_result_path_needs_it() {
    let definition = json!({
        "StartAt": "Check",
        "States": {
            "Check": {"Type": "Choice",
                      "Choices": [{"Variable": "$.n", "NumericLessThan": 3, "Next": "Step"}],
                      "Default": "Done"},
            "Step": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)", "old.$": "$.n"},
                     "ResultPath": "$.step", "Next": "Copy"},
            "Copy": {"Type": "Pass", "Parameters": {"n.$": "$.step.n", "old.$": "$.step.old"}, "Next": "Check"},
            "Done": {"Type": "Succeed"}
        }
    });
    check(definition, json!({"n": 0}), r#"{"n":3,"old":2}"#);
}

#[test]
fn an_object_template_evaluated_many_times_gives_fresh_values() {
    // The iterations' templates are evaluated once per item: from the second on, the VM
    // starts from an object of the keys.
    let definition = json!({
        "StartAt": "Each",
        "States": {
            "Each": {"Type": "Map", "ItemsPath": "$.items",
                     "ItemSelector": {"value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index", "tag": "t"},
                     "ItemProcessor": {"StartAt": "Wrap", "States": {
                         "Wrap": {"Type": "Pass", "Parameters": {"v.$": "$.value", "i.$": "$.index", "nested": {"t.$": "$.tag"}}, "End": true}
                     }},
                     "End": true}
        }
    });
    check(
        definition,
        json!({"items": ["a", "b", "c"]}),
        r#"[{"v":"a","i":0,"nested":{"t":"t"}},{"v":"b","i":1,"nested":{"t":"t"}},{"v":"c","i":2,"nested":{"t":"t"}}]"#,
    );
}

#[test]
fn a_failing_member_leaves_the_run_failing_as_before() {
    // The member after the one that fails is never evaluated; the error quotes the input.
    let definition = looping(json!({"n.$": "States.MathAdd($.n, 1)", "m.$": "$.missing"}));
    let options = RunOptions { workflow_type: WorkflowType::Express, ..RunOptions::default() };
    let out = run(&program(&definition), json!({"n": 0, "m": 1}), &options);
    assert_eq!(out.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        out.cause.as_deref(),
        Some("An error occurred while executing the state 'Step' (entered at the event id #4). The JSONPath '$.missing' specified for the field 'm.$' could not be found in the input '{\"n\":0,\"m\":1}'")
    );
}

#[test]
fn history_shows_each_iteration_output() {
    let definition = looping(json!({"n.$": "States.MathAdd($.n, 1)"}));
    let out = check(definition, json!({"n": 0}), r#"{"n":3}"#);
    let outputs: Vec<&str> = out
        .events
        .iter()
        .filter(|e| e["type"] == "PassStateExited")
        .filter_map(|e| e["stateExitedEventDetails"]["output"].as_str())
        .collect();
    assert_eq!(outputs, [r#"{"n":1}"#, r#"{"n":2}"#, r#"{"n":3}"#]);
}
