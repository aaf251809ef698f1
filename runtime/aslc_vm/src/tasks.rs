//! What a `Resource` is (runtime-tasks.md §1) and how a task is answered when no mock
//! covers it: local handlers, commands that read the task input as JSON on stdin.

use std::io::{Read, Write as _};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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

/// What a local handler did.
#[derive(Clone, Debug, PartialEq)]
pub enum Handled {
    /// It answered (or failed) within the time limit.
    Answered(MockAnswer),
    /// It was still running at the time limit and was killed.
    TimedOut,
}

/// Runs the handler of `resource`, if one is configured. The command gets the task input
/// as JSON on stdin; exit status 0 with JSON on stdout is the result; any other exit is a
/// failure whose error is the `Error` (or `errorType`) member of a JSON object on stdout,
/// `States.TaskFailed` otherwise, with stderr or stdout as the cause. A handler still
/// running after `limit` is killed, with the processes it started.
pub fn run_handler(
    handlers: &[Handler],
    resource: &str,
    input: &Value,
    limit: Option<Duration>,
) -> Option<Handled> {
    let handler = handlers.iter().find(|h| match h.resource.strip_suffix('*') {
        Some(prefix) => resource.starts_with(prefix),
        None => h.resource == resource,
    })?;
    let failed =
        |cause: String| Handled::Answered(MockAnswer::Throw { error: "States.TaskFailed".into(), cause });
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg(&handler.command)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Its own process group, so that a time limit kills what the shell started too.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = match command.spawn() {
        Ok(c) => c,
        Err(e) => return Some(failed(format!("cannot start handler `{}`: {e}", handler.command))),
    };
    // Input and output go through threads, so a handler that neither reads all its input
    // nor finishes cannot block the VM past its time limit.
    let text = input.to_string();
    let stdin = child.stdin.take();
    let writer = std::thread::spawn(move || {
        if let Some(mut stdin) = stdin {
            let _ = stdin.write_all(text.as_bytes());
        }
    });
    let read = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = read(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let stderr = read(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let started = Instant::now();
    let mut pause = Duration::from_millis(1);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => {}
            Err(e) => return Some(failed(e.to_string())),
        }
        if limit.is_some_and(|limit| started.elapsed() >= limit) {
            kill_group(&mut child);
            // The pipes close when the last process of the group is gone; the reading
            // threads are left to finish on their own.
            return Some(Handled::TimedOut);
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(20));
    };
    let _ = writer.join();
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    let stdout = String::from_utf8_lossy(&stdout);
    let parsed: Option<Value> = serde_json::from_str(stdout.trim()).ok();
    if status.success() {
        return Some(match parsed {
            Some(v) => Handled::Answered(MockAnswer::Return(v)),
            None => failed(format!("handler `{}` did not print JSON", handler.command)),
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
        .unwrap_or_else(|| String::from_utf8_lossy(&stderr).trim().to_owned());
    Some(Handled::Answered(MockAnswer::Throw { error, cause }))
}

/// Kills `child` and, on Unix, every process of its group.
fn kill_group(child: &mut Child) {
    #[cfg(unix)]
    {
        let group = format!("-{}", child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}
