//! What a `Resource` is (runtime-tasks.md §1) and how a task is answered when no mock
//! covers it: local handlers, commands that read the task input as JSON on stdin.

use std::io::Write as _;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::mocks::MockAnswer;

/// The kinds of task resource, which decide the history events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResourceKind {
    /// A Lambda function ARN: `LambdaFunction*` events.
    Lambda,
    /// An activity ARN: `Activity*` events.
    Activity,
    /// An optimized or SDK integration: `Task*` events with these fields.
    Service {
        /// `resourceType` (`lambda`, `aws-sdk:dynamodb`).
        resource_type: String,
        /// `resource` (`invoke`, `getItem`, `sendMessage.waitForTaskToken`).
        resource: String,
    },
}

/// Classifies a `Resource` ARN.
pub fn classify(arn: &str) -> ResourceKind {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    match parts.as_slice() {
        ["arn", _, "lambda", ..] => ResourceKind::Lambda,
        ["arn", _, "states", _, _, rest] if rest.starts_with("activity:") => ResourceKind::Activity,
        ["arn", _, "states", "", "", rest] => {
            if let Some(sdk) = rest.strip_prefix("aws-sdk:") {
                let (service, action) = sdk.split_once(':').unwrap_or((sdk, ""));
                ResourceKind::Service {
                    resource_type: format!("aws-sdk:{service}"),
                    resource: action.to_owned(),
                }
            } else {
                let (service, api) = rest.split_once(':').unwrap_or((rest, ""));
                ResourceKind::Service { resource_type: service.to_owned(), resource: api.to_owned() }
            }
        }
        _ => ResourceKind::Service { resource_type: String::new(), resource: arn.to_owned() },
    }
}

/// A local handler: tasks calling `resource` run `command` (through `sh -c`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handler {
    /// The `Resource` it answers (exact match, or a prefix ending in `*`).
    pub resource: String,
    /// The shell command.
    pub command: String,
}

/// Runs the handler of `resource`, if one is configured. The command gets the task input
/// as JSON on stdin; exit status 0 with JSON on stdout is the result; any other exit is a
/// failure whose error is the `Error` (or `errorType`) member of a JSON object on stdout,
/// `States.TaskFailed` otherwise, with stderr or stdout as the cause.
pub fn run_handler(handlers: &[Handler], resource: &str, input: &Value) -> Option<MockAnswer> {
    let handler = handlers.iter().find(|h| match h.resource.strip_suffix('*') {
        Some(prefix) => resource.starts_with(prefix),
        None => h.resource == resource,
    })?;
    let child = Command::new("sh")
        .arg("-c")
        .arg(&handler.command)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            return Some(MockAnswer::Throw {
                error: "States.TaskFailed".into(),
                cause: format!("cannot start handler `{}`: {e}", handler.command),
            })
        }
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input.to_string().as_bytes());
    }
    let out = match child.wait_with_output() {
        Ok(o) => o,
        Err(e) => return Some(MockAnswer::Throw { error: "States.TaskFailed".into(), cause: e.to_string() }),
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let parsed: Option<Value> = serde_json::from_str(stdout.trim()).ok();
    if out.status.success() {
        return Some(match parsed {
            Some(v) => MockAnswer::Return(v),
            None => MockAnswer::Throw {
                error: "States.TaskFailed".into(),
                cause: format!("handler `{}` did not print JSON", handler.command),
            },
        });
    }
    let error = parsed
        .as_ref()
        .and_then(|v| v.get("Error").or_else(|| v.get("errorType")))
        .and_then(Value::as_str)
        .unwrap_or("States.TaskFailed")
        .to_owned();
    let cause = parsed
        .as_ref()
        .and_then(|v| v.get("Cause").or_else(|| v.get("errorMessage")))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| String::from_utf8_lossy(&out.stderr).trim().to_owned());
    Some(MockAnswer::Throw { error, cause })
}
