//! Task attempts that take time (runtime-tasks.md §7): timeouts and missed heartbeats of
//! mocked tasks delayed with the `x-aslc` extension and of local handlers that run too
//! long, the events AWS records for them, `TimeoutSecondsPath`/`HeartbeatSecondsPath`,
//! `States.HeartbeatTimeout` matching; and what a used-up mock answers
//! (runtime-mocks.md §1.3).

mod common;

use aslc_vm::mocks::{Exhaustion, MockCase};
use aslc_vm::tasks::Handler;
use aslc_vm::{run, Outcome, RunOptions, Status};
use common::program;
use serde_json::{json, Value};

/// One Task state `Call` with `fields`, ending the execution, and its mocked `responses`.
fn run_call(fields: Value, responses: Value, input: Value) -> Outcome {
    let mut call = json!({"Type": "Task", "End": true});
    for (k, v) in fields.as_object().expect("fields") {
        call[k] = v.clone();
    }
    let definition = json!({"StartAt": "Call", "States": {"Call": call}});
    let config = json!({"StateMachines": {"M": {"TestCases": {"T": {"Call": "R"}}}},
                        "MockedResponses": {"R": responses}});
    let mocks = MockCase::from_config(&config, "T", None).expect("a mock config");
    let options = RunOptions { mocks: Some(mocks), history: true, ..RunOptions::default() };
    run(&program(&definition), input, &options)
}

fn types(out: &Outcome) -> Vec<&str> {
    out.events.iter().filter_map(|e| e["type"].as_str()).collect()
}

fn event<'a>(out: &'a Outcome, ty: &str) -> &'a Value {
    out.events.iter().find(|e| e["type"] == ty).unwrap_or_else(|| panic!("no {ty} in {:?}", types(out)))
}

/// Seconds between two events.
fn seconds_between(out: &Outcome, from: &str, to: &str) -> f64 {
    let at = |ty| event(out, ty)["timestamp"].as_f64().expect("a timestamp");
    at(to) - at(from)
}

const SQS: &str = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";
const LAMBDA: &str = "arn:aws:lambda:us-east-1:123456789012:function:f";

#[test]
fn a_slow_service_task_times_out() {
    let out = run_call(
        json!({"Resource": "arn:aws:states:::dynamodb:getItem", "TimeoutSeconds": 10,
               "Parameters": {"TableName": "t"}}),
        json!({"0": {"Return": {"Item": {}}, "x-aslc": {"DelaySeconds": 11}}}),
        json!({}),
    );
    assert_eq!(out.status, Status::Failed);
    assert_eq!(out.error.as_deref(), Some("States.Timeout"));
    assert_eq!(out.cause.as_deref(), Some(""));
    assert_eq!(
        types(&out),
        [
            "ExecutionStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskTimedOut",
            "ExecutionFailed"
        ]
    );
    let timed_out = event(&out, "TaskTimedOut");
    assert_eq!(
        timed_out["taskTimedOutEventDetails"],
        json!({"resourceType": "dynamodb", "resource": "getItem", "error": "States.Timeout"})
    );
    assert_eq!(seconds_between(&out, "TaskStarted", "TaskTimedOut"), 10.0);
    assert_eq!(event(&out, "TaskScheduled")["taskScheduledEventDetails"]["timeoutInSeconds"], 10);
}

#[test]
fn the_execution_times_out_while_a_task_runs() {
    let definition = json!({"TimeoutSeconds": 30, "StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": LAMBDA, "TimeoutSeconds": 100, "End": true}}});
    let config = json!({"StateMachines": {"M": {"TestCases": {"T": {"Call": "R"}}}},
                        "MockedResponses": {"R": {"0": {"Return": 1, "x-aslc": {"DelaySeconds": 50}}}}});
    let mocks = MockCase::from_config(&config, "T", None).expect("a mock config");
    let options = RunOptions { mocks: Some(mocks), history: true, ..RunOptions::default() };
    let out = run(&program(&definition), json!({}), &options);
    assert_eq!(out.status, Status::TimedOut);
    assert_eq!(types(&out)[3..], ["LambdaFunctionStarted", "ExecutionTimedOut"]);
    assert_eq!(seconds_between(&out, "ExecutionStarted", "ExecutionTimedOut"), 30.0);
}

#[test]
fn an_answer_within_the_timeout_succeeds_later() {
    let out = run_call(
        json!({"Resource": LAMBDA, "TimeoutSeconds": 10}),
        json!({"0": {"Return": "done", "x-aslc": {"DelaySeconds": 10}}}),
        json!({}),
    );
    assert_eq!(out.status, Status::Succeeded, "{:?} {:?}", out.error, out.cause);
    assert_eq!(out.output, Some(json!("done")));
    assert_eq!(seconds_between(&out, "LambdaFunctionStarted", "LambdaFunctionSucceeded"), 10.0);
}

#[test]
fn a_lambda_timeout_is_caught_with_an_empty_cause() {
    let definition = json!({"StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": LAMBDA, "TimeoutSeconds": 3,
                 "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "Wrong"},
                           {"ErrorEquals": ["States.Timeout"], "ResultPath": "$.error", "Next": "Caught"}],
                 "End": true},
        "Wrong": {"Type": "Fail", "Error": "Wrong"},
        "Caught": {"Type": "Succeed"}}});
    let config = json!({"StateMachines": {"M": {"TestCases": {"T": {"Call": "R"}}}},
                        "MockedResponses": {"R": {"0": {"Return": "late", "x-aslc": {"DelaySeconds": 60}}}}});
    let mocks = MockCase::from_config(&config, "T", None).expect("a mock config");
    let options = RunOptions { mocks: Some(mocks), history: true, ..RunOptions::default() };
    let out = run(&program(&definition), json!({"n": 1}), &options);
    // `States.TaskFailed` does not match a timeout.
    assert_eq!(out.status, Status::Succeeded, "{:?} {:?}", out.error, out.cause);
    assert_eq!(out.output, Some(json!({"n": 1, "error": {"Error": "States.Timeout", "Cause": ""}})));
    assert_eq!(
        event(&out, "LambdaFunctionTimedOut")["lambdaFunctionTimedOutEventDetails"],
        json!({"error": "States.Timeout"})
    );
}

#[test]
fn a_callback_without_heartbeats_misses_one() {
    let out = run_call(
        json!({"Resource": SQS, "TimeoutSeconds": 600, "HeartbeatSecondsPath": "$.beat",
               "Parameters": {"QueueUrl": "q", "MessageBody": {"Token.$": "$$.Task.Token"}}}),
        json!({"0": {"Return": {"ok": true}, "x-aslc": {"DelaySeconds": 300, "Heartbeats": [100, 200]}}}),
        json!({"beat": 120}),
    );
    // Heartbeats every 100 s keep a 120 s interval alive until the answer at 300 s.
    assert_eq!(out.status, Status::Succeeded, "{:?} {:?}", out.error, out.cause);
    assert_eq!(event(&out, "TaskScheduled")["taskScheduledEventDetails"]["heartbeatInSeconds"], 120);

    let out = run_call(
        json!({"Resource": SQS, "TimeoutSeconds": 600, "HeartbeatSecondsPath": "$.beat",
               "Parameters": {"QueueUrl": "q", "MessageBody": {"Token.$": "$$.Task.Token"}}}),
        json!({"0": {"Return": {"ok": true}, "x-aslc": {"DelaySeconds": 300, "Heartbeats": [100]}}}),
        json!({"beat": 120}),
    );
    // The last heartbeat at 100 s: the interval ends at 220 s.
    assert_eq!(out.status, Status::Failed);
    assert_eq!(out.error.as_deref(), Some("States.Timeout"));
    assert_eq!(
        types(&out)[2..],
        ["TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskTimedOut", "ExecutionFailed"]
    );
    assert_eq!(seconds_between(&out, "TaskStarted", "TaskTimedOut"), 220.0);
}

/// A callback task with a 50 s timeout, 20 s heartbeats, a retrier for missed heartbeats
/// and a catcher for timeouts, answered after `delay` seconds with `heartbeats`.
fn heartbeat_run(delay: u32, heartbeats: Value) -> Outcome {
    let program = program(&json!({"StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": SQS, "TimeoutSeconds": 50, "HeartbeatSeconds": 20,
                 "Parameters": {"QueueUrl": "q", "MessageBody.$": "$$.Task.Token"},
                 "Retry": [{"ErrorEquals": ["States.HeartbeatTimeout"], "MaxAttempts": 1}],
                 "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "TimedOut"}],
                 "End": true},
        "TimedOut": {"Type": "Pass", "End": true}}}));
    let config = json!({"StateMachines": {"M": {"TestCases": {"T": {"Call": "R"}}}},
                        "MockedResponses": {"R": {"0-1": {"Return": "late",
                            "x-aslc": {"DelaySeconds": delay, "Heartbeats": heartbeats}}}}});
    let mocks = MockCase::from_config(&config, "T", None).expect("a mock config");
    let options = RunOptions { mocks: Some(mocks), history: true, ..RunOptions::default() };
    run(&program, json!({}), &options)
}

#[test]
fn heartbeat_timeout_matches_only_missed_heartbeats() {
    // Heartbeats every 15 s until 45 s: the 50 s timeout fires before the heartbeat
    // interval after 45 s ends, and the heartbeat retrier does not take it.
    let out = heartbeat_run(70, json!([15, 30, 45]));
    assert_eq!(out.status, Status::Succeeded);
    assert_eq!(types(&out).iter().filter(|t| **t == "TaskTimedOut").count(), 1);
    // No heartbeat after 15 s: the heartbeat fires at 35 s, is retried once, then caught.
    let out = heartbeat_run(40, json!([15]));
    assert_eq!(out.status, Status::Succeeded);
    assert_eq!(types(&out).iter().filter(|t| **t == "TaskTimedOut").count(), 2);
}

#[test]
fn timeout_paths_are_read_from_the_input() {
    let out = run_call(
        json!({"Resource": "arn:aws:states:::lambda:invoke", "TimeoutSecondsPath": "$.limit",
               "Parameters": {"FunctionName": "f"}}),
        json!({"0": {"Return": {"Payload": 1}, "x-aslc": {"DelaySeconds": 8}}}),
        json!({"limit": 5}),
    );
    assert_eq!(out.error.as_deref(), Some("States.Timeout"));
    assert_eq!(event(&out, "TaskScheduled")["taskScheduledEventDetails"]["timeoutInSeconds"], 5);
    assert_eq!(seconds_between(&out, "TaskStarted", "TaskTimedOut"), 5.0);
}

#[test]
fn timeout_path_values_must_be_positive_integers() {
    for (value, problem) in [
        (json!(1.5), "not a valid integer"),
        (json!("10"), "not a valid integer"),
        (json!(0), "not a positive integer"),
    ] {
        let out = run_call(
            json!({"Resource": LAMBDA, "TimeoutSecondsPath": "$.limit"}),
            json!({"0": {"Return": 1}}),
            json!({"limit": value}),
        );
        assert_eq!(out.error.as_deref(), Some("States.Runtime"), "{value}");
        let cause = out.cause.clone().unwrap_or_default();
        assert!(cause.contains(problem) && cause.ends_with(": $.limit"), "{cause}");
        assert!(!types(&out).contains(&"LambdaFunctionScheduled"));
    }
}

#[test]
fn a_handler_past_its_timeout_is_killed() {
    let definition = json!({"StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": LAMBDA, "TimeoutSeconds": 1, "End": true}}});
    let options = RunOptions {
        handlers: vec![Handler { resource: LAMBDA.into(), command: "sleep 30; echo 1".into() }],
        history: true,
        ..RunOptions::default()
    };
    let began = std::time::Instant::now();
    let out = run(&program(&definition), json!({}), &options);
    assert!(began.elapsed().as_secs() < 20, "the handler was not killed");
    assert_eq!(out.status, Status::Failed);
    assert_eq!(out.error.as_deref(), Some("States.Timeout"));
    assert_eq!(
        types(&out)[2..],
        ["LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionTimedOut", "ExecutionFailed"]
    );
    assert_eq!(seconds_between(&out, "LambdaFunctionStarted", "LambdaFunctionTimedOut"), 1.0);

    // In time, the same handler answers.
    let options = RunOptions {
        handlers: vec![Handler { resource: LAMBDA.into(), command: "cat >/dev/null; echo 7".into() }],
        ..RunOptions::default()
    };
    let out = run(&program(&definition), json!({}), &options);
    assert_eq!(out.output, Some(json!(7)), "{:?} {:?}", out.error, out.cause);
}

#[test]
fn a_used_up_mock_fails_the_run_or_repeats() {
    let definition = json!({"StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": LAMBDA,
                 "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3, "IntervalSeconds": 1}],
                 "End": true}}});
    let config = json!({"StateMachines": {"M": {"TestCases": {"T": {"Call": "R"}}}},
                        "MockedResponses": {"R": {"0": {"Throw": {"Error": "Busy", "Cause": "try again"}}}}});
    let mocks = MockCase::from_config(&config, "T", None).expect("a mock config");
    let options = RunOptions { mocks: Some(mocks.clone()), ..RunOptions::default() };
    let out = run(&program(&definition), json!({}), &options);
    assert_eq!(out.error.as_deref(), Some("aslc.MockExhausted"));

    let options =
        RunOptions { mocks: Some(mocks.with_exhaustion(Exhaustion::RepeatLast)), ..RunOptions::default() };
    let out = run(&program(&definition), json!({}), &options);
    // Every attempt answers `Busy`: the retrier gives up after three retries.
    assert_eq!(out.error.as_deref(), Some("Busy"));
    assert_eq!(out.cause.as_deref(), Some("try again"));
}
