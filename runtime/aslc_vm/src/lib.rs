//! The aslc virtual machine: runs a compiled [`Program`] the way AWS Step Functions runs
//! the definition.
//!
//! ```text
//! Program + input + RunOptions ──run──▶ Outcome { status, output, error, cause, transitions, events }
//! ```
//! Tasks are answered by mocks in the Step Functions Local mock-config format
//! ([`mocks`]) or by local handler commands ([`tasks`]); time is virtual unless
//! [`RunOptions::real_clock`] is set, so a workflow that waits a year finishes at once;
//! history events follow `GetExecutionHistory` ([`history`]). JSONata goes through the
//! [`query::QueryEngine`] seam; the default engine is [`jsonata_engine::Jsonata`].
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod choice;
pub mod distributed;
pub mod history;
pub mod integrations;
pub mod intrinsics;
pub mod jsonata_engine;
pub mod jsonpath;
pub mod mocks;
pub mod query;
pub mod s3;
pub mod tasks;
mod vm;

use aslc_bytecode::Program;
use serde_json::Value;

pub use vm::PAYLOAD_LIMIT;

/// Standard or Express.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum WorkflowType {
    /// Standard: history capped at 25,000 events.
    #[default]
    Standard,
    /// Express.
    Express,
}

/// How an execution ended.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Status {
    /// `SUCCEEDED`.
    Succeeded,
    /// `FAILED`.
    Failed,
    /// `TIMED_OUT`.
    TimedOut,
    /// `ABORTED`.
    Aborted,
}

impl Status {
    /// The AWS spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Succeeded => "SUCCEEDED",
            Status::Failed => "FAILED",
            Status::TimedOut => "TIMED_OUT",
            Status::Aborted => "ABORTED",
        }
    }
}

/// How to run.
pub struct RunOptions {
    /// Standard or Express.
    pub workflow_type: WorkflowType,
    /// Record the history events.
    pub history: bool,
    /// Record the states entered, with their time ([`Outcome::trace`]): the path taken,
    /// at a fraction of the cost of the full history.
    pub trace: bool,
    /// Sleep for real during Wait states and retry delays.
    pub real_clock: bool,
    /// The state machine's name (context object, ARNs).
    pub state_machine_name: String,
    /// The execution's name.
    pub execution_name: String,
    /// The execution's start time, epoch milliseconds.
    pub start_millis: i64,
    /// Seed of `States.UUID`, `States.MathRandom` and retry jitter.
    pub seed: u64,
    /// Mocked task answers.
    pub mocks: Option<mocks::MockCase>,
    /// Local task handlers.
    pub handlers: Vec<tasks::Handler>,
    /// The S3 objects Distributed Maps read and write, given locally.
    pub s3: Option<s3::LocalS3>,
    /// The JSONata evaluator.
    pub engine: Box<dyn query::QueryEngine>,
    /// The execution timeout, in milliseconds (default: the machine's `TimeoutSeconds`).
    pub timeout_millis: Option<i64>,
    /// Stop after this many state transitions (a harness failure, `aslc.StepBudgetExceeded`):
    /// a bound for fuzzing and for runaway loops in tests.
    pub max_transitions: Option<u64>,
}

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions {
            workflow_type: WorkflowType::Standard,
            history: false,
            trace: false,
            real_clock: false,
            state_machine_name: "StateMachine".into(),
            execution_name: "execution".into(),
            // 2024-01-01T00:00:00Z: a fixed start keeps virtual-clock runs reproducible.
            start_millis: 1_704_067_200_000,
            seed: 0,
            mocks: None,
            handlers: Vec::new(),
            s3: None,
            engine: Box::new(jsonata_engine::Jsonata::new()),
            timeout_millis: None,
            max_transitions: None,
        }
    }
}

/// The result of an execution.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// How it ended.
    pub status: Status,
    /// The output (when it succeeded).
    pub output: Option<Value>,
    /// The error name (when it failed).
    pub error: Option<String>,
    /// The cause (when it failed).
    pub cause: Option<String>,
    /// States entered.
    pub transitions: u64,
    /// The history events, when recorded.
    pub events: Vec<Value>,
    /// The states entered (with [`RunOptions::trace`]).
    pub trace: Vec<TraceEntry>,
}

/// A state entered, for [`Outcome::trace`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceEntry {
    /// When, in epoch milliseconds of the execution's clock.
    pub millis: i64,
    /// The state's name.
    pub state: String,
    /// The state's type (`Pass`, `Task`, …).
    pub kind: &'static str,
    /// Nesting depth: 0 at the top level, +1 inside each Parallel branch or Map iteration.
    pub depth: u32,
}

/// Runs `program` on `input`.
pub fn run(program: &Program, input: Value, options: &RunOptions) -> Outcome {
    let info = vm::Vm::info(options, input);
    vm::Vm::new(program, options, &info).run()
}
