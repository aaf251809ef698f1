//! AWS's execution limits on the VM (runtime-limits.md §2): the 25,000-event history of
//! Standard workflows, the 256 KiB payload limit, execution timeouts, a Map over 100,000
//! items; and the error names of run-time failures the recordings do not settle.

mod common;

use aslc_vm::{run, RunOptions, Status, WorkflowType};
use common::program;
use serde_json::{json, Value};

fn counter_loop() -> Value {
    json!({
        "StartAt": "Init",
        "States": {
            "Init": {"Type": "Pass", "Parameters": {"i": 0, "limit.$": "$.limit"}, "Next": "Check"},
            "Check": {"Type": "Choice",
                      "Choices": [{"Variable": "$.i", "NumericLessThanPath": "$.limit", "Next": "Increment"}],
                      "Default": "Done"},
            "Increment": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)", "limit.$": "$.limit"}, "Next": "Check"},
            "Done": {"Type": "Succeed"}
        }
    })
}

#[test]
fn standard_history_stops_at_25000_events() {
    let p = program(&counter_loop());
    for history in [false, true] {
        let options = RunOptions { history, ..RunOptions::default() };
        let out = run(&p, json!({"limit": 1_000_000}), &options);
        assert_eq!(out.status, Status::Failed);
        assert_eq!(out.error.as_deref(), Some("States.Runtime"));
        assert_eq!(
            out.cause.as_deref(),
            Some("The execution reached the maximum number of history events (25000).")
        );
        if history {
            assert_eq!(out.events.len(), 25_000);
            let last = &out.events[24_999];
            assert_eq!(last["type"], "ExecutionFailed");
            assert_eq!(last["id"], 25_000);
        }
    }
}

#[test]
fn express_runs_a_million_iterations() {
    let p = program(&counter_loop());
    let options = RunOptions { workflow_type: WorkflowType::Express, ..RunOptions::default() };
    let out = run(&p, json!({"limit": 1_000_000}), &options);
    assert_eq!(out.status, Status::Succeeded);
    assert_eq!(out.output, Some(json!({"i": 1_000_000, "limit": 1_000_000})));
    assert_eq!(out.transitions, 2_000_003);
}

#[test]
fn state_output_over_256_kib_fails_the_execution() {
    let big = "x".repeat(200_000);
    let definition = json!({
        "StartAt": "Grow",
        "States": {
            "Grow": {"Type": "Pass", "Parameters": {"a.$": "$.s", "b.$": "$.s"}, "End": true}
        }
    });
    let out = run(&program(&definition), json!({"s": big}), &RunOptions::default());
    assert_eq!(out.status, Status::Failed);
    assert_eq!(out.error.as_deref(), Some("States.DataLimitExceeded"));
    assert_eq!(
        out.cause.as_deref(),
        Some("The state/task 'Grow' returned a result with a size exceeding the maximum number of bytes service limit.")
    );
}

#[test]
fn execution_input_over_256_kib_fails() {
    let definition = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}});
    let out = run(&program(&definition), json!({"s": "y".repeat(300_000)}), &RunOptions::default());
    assert_eq!(out.error.as_deref(), Some("States.DataLimitExceeded"));
}

#[test]
fn task_result_over_256_kib_is_a_catchable_task_failure() {
    let definition = json!({
        "StartAt": "Call",
        "States": {
            "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                     "Parameters": {"FunctionName": "f"},
                     "Catch": [{"ErrorEquals": ["States.DataLimitExceeded"], "Next": "Caught"}], "End": true},
            "Caught": {"Type": "Pass", "End": true}
        }
    });
    let config = json!({
        "StateMachines": {"M": {"TestCases": {"T": {"Call": "Big"}}}},
        "MockedResponses": {"Big": {"0": {"Return": {"Payload": "z".repeat(300_000)}}}}
    });
    let mocks = aslc_vm::mocks::MockCase::from_config(&config, "T", None).expect("a mock config");
    let options = RunOptions { mocks: Some(mocks), ..RunOptions::default() };
    let out = run(&program(&definition), json!({}), &options);
    assert_eq!(out.status, Status::Succeeded, "{:?} {:?}", out.error, out.cause);
    assert_eq!(out.output.as_ref().and_then(|o| o.get("Error")), Some(&json!("States.DataLimitExceeded")));
    assert_eq!(
        out.output.as_ref().and_then(|o| o.get("Cause")),
        Some(&json!("The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit."))
    );
}

#[test]
fn map_over_100000_items() {
    // 100,000 zeros are 200,000 bytes of JSON: under the payload limit.
    let items = vec![0; 100_000];
    let definition = json!({
        "StartAt": "Items",
        "States": {
            "Items": {"Type": "Pass", "Result": items, "ResultPath": "$.items", "Next": "Each"},
            "Each": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": null, "MaxConcurrency": 40,
                     "ItemProcessor": {"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "Result": 1, "End": true}}},
                     "OutputPath": "$.done", "End": true}
        }
    });
    let options = RunOptions { workflow_type: WorkflowType::Express, ..RunOptions::default() };
    let out = run(&program(&definition), json!({"done": "yes"}), &options);
    assert_eq!(out.status, Status::Succeeded, "{:?} {:?}", out.error, out.cause);
    assert_eq!(out.output, Some(json!("yes")));
    assert_eq!(out.transitions, 2 + 100_000);
}

#[test]
fn executions_time_out_on_the_virtual_clock() {
    let definition = json!({
        "TimeoutSeconds": 60,
        "StartAt": "Sleep",
        "States": {
            "Sleep": {"Type": "Wait", "Seconds": 3600, "Next": "After"},
            "After": {"Type": "Pass", "End": true}
        }
    });
    let out = run(&program(&definition), json!({}), &RunOptions { history: true, ..RunOptions::default() });
    assert_eq!(out.status, Status::TimedOut);
    assert_eq!(out.events.last().map(|e| e["type"].clone()), Some(json!("ExecutionTimedOut")));
    // Express executions end after five minutes whatever the definition says.
    let definition = json!({
        "StartAt": "Sleep",
        "States": {
            "Sleep": {"Type": "Wait", "Seconds": 301, "Next": "After"},
            "After": {"Type": "Pass", "End": true}
        }
    });
    let options = RunOptions { workflow_type: WorkflowType::Express, ..RunOptions::default() };
    assert_eq!(run(&program(&definition), json!({}), &options).status, Status::TimedOut);
    let standard = run(&program(&definition), json!({}), &RunOptions::default());
    assert_eq!(standard.status, Status::Succeeded);
}

#[test]
fn failing_intrinsics_raise_a_catchable_intrinsic_failure() {
    // intrinsics.md §4: no AWS recording names the error; the spec's `States.IntrinsicFailure`.
    let definition = json!({
        "StartAt": "Get",
        "States": {
            "Get": {"Type": "Pass", "Parameters": {"x.$": "States.ArrayGetItem($.a, 5)"}, "End": true}
        }
    });
    let out = run(&program(&definition), json!({"a": [1]}), &RunOptions::default());
    assert_eq!(out.error.as_deref(), Some("States.IntrinsicFailure"));
}
