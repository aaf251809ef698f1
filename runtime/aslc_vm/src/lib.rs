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

use std::cell::OnceCell;
use std::rc::Rc;

use aslc_bytecode::Program;
use serde_json::Value;

use crate::query::{EngineValue, Kept};

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
    run_input(program, &Input::from_json(input), options)
}

/// Runs `program` on `input`, read from JSON text or not.
pub fn run_input(program: &Program, input: &Input, options: &RunOptions) -> Outcome {
    let info = vm::Vm::info(options, input);
    vm::Vm::new(program, options, &info).run()
}

/// An execution input. Read from JSON text for a workflow whose first state is a JSONata
/// state, the input goes to that state as the query engine read it
/// ([`query::QueryEngine::read_input`]), and becomes a `serde_json::Value` only if something
/// asks for one (a state that passes its input on unchanged, the context object, the
/// history): a JSONata workflow that transforms its input reads the text once, not twice.
pub struct Input {
    json: OnceCell<Value>,
    /// The text `json` is read from when it is first asked for.
    text: String,
    /// The input as the engine read the text, if it did.
    engine: Option<Rc<dyn EngineValue>>,
    /// At least the length of the compact JSON text of the input.
    max_json_len: Option<usize>,
}

impl Input {
    /// An input given as a value.
    pub fn from_json(json: Value) -> Input {
        Input { json: OnceCell::from(json), text: String::new(), engine: None, max_json_len: None }
    }

    /// Reads JSON text, as the input of `program` run with `options`.
    pub fn from_text(
        text: String,
        program: &Program,
        options: &RunOptions,
    ) -> Result<Input, serde_json::Error> {
        let machine = program.machine();
        let starts_in_jsonata = program
            .scope(machine.root)
            .start
            .is_some_and(|start| program.state(start).language == aslc_bytecode::Language::Jsonata);
        if starts_in_jsonata {
            if let Some((engine, max_json_len)) = options.engine.read_input(&text) {
                return Ok(Input {
                    json: OnceCell::new(),
                    text,
                    engine: Some(engine),
                    max_json_len: Some(max_json_len),
                });
            }
        }
        Ok(Input::from_json(serde_json::from_str(&text)?))
    }

    /// The input as a value.
    pub fn json(&self) -> &Value {
        // The engine read the text as JSON, so serde_json reads it too (the engine declines
        // what serde_json might refuse): the `Null` is never used.
        self.json.get_or_init(|| serde_json::from_str(&self.text).unwrap_or(Value::Null))
    }

    /// Whether the compact JSON text of the input is longer than `limit` bytes; `exceeds`
    /// answers for a value.
    pub(crate) fn exceeds(&self, limit: usize, exceeds: impl Fn(&Value, usize) -> bool) -> bool {
        match self.max_json_len {
            Some(max) if max <= limit => false,
            _ => exceeds(self.json(), limit),
        }
    }

    /// What the engine keeps of the input for one state's expressions, when it read it.
    pub(crate) fn prepared(&self) -> Option<Kept> {
        self.engine.as_ref().map(|engine| engine.prepared())
    }
}
