//! The interpreter: runs a verified [`Program`] state by state.
//!
//! Payloads move through a state's pipeline by value (InputPath borrows, `ResultPath`
//! merges into the raw input in place), so a transition clones nothing it does not have
//! to. Parallel branches and Map iterations run one after another on a deterministic
//! schedule; each is a *thread* with its own chain of `previousEventId`s and its own copy
//! of the workflow variables.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::rc::Rc;

use aslc_bytecode::*;
use aslc_ir::ir::ChoiceOp;
use aslc_query::timestamp;
use rustc_hash::FxHashMap;
use serde_json::{json, Map, Value};

use crate::distributed::{self, IoFailure};
use crate::history::{self, Recorder, STANDARD_HISTORY_LIMIT};
use crate::intrinsics::{self, IntrinsicError, Rng};
use crate::jsonpath::{self, Roots};
use crate::mocks::{MockAnswer, Timing};
use crate::query::{Bindings, EngineValue, Kept, LazyJson, Output, QueryError, States};
use crate::tasks::{self, Handled, ResourceKind};
use crate::{Input, Outcome, RunOptions, Status, TraceEntry, WorkflowType};

/// The payload limit (runtime-limits.md `R-LIM-PAYLOAD`).
pub const PAYLOAD_LIMIT: usize = 262_144;

/// The account of the ARNs the VM makes up.
pub(crate) const ACCOUNT: &str = "123456789012";

/// The region of the ARNs the VM makes up and of `TaskScheduled.region`.
pub(crate) const REGION: &str = "us-east-1";

/// Bound on nested Parallel/Map depth at run time (the checker bounds definitions too).
const MAX_DEPTH: u32 = 64;

type Vars = FxHashMap<Box<str>, Value>;

/// A failure travelling up: an error name and cause, and whether Retry/Catch may handle it.
#[derive(Clone, Debug)]
pub(crate) struct Failure {
    pub error: String,
    pub cause: String,
    pub catchable: bool,
    /// For history: the event the failure follows.
    pub event: u64,
    /// A `Fail` state without `Error` (AWS reports no error name).
    pub no_error: bool,
    /// A `Fail` state without `Cause`.
    pub no_cause: bool,
    /// Raised by a Parallel branch or Map iteration: the state's `…StateFailed` event
    /// follows when no retrier takes it.
    pub nested: bool,
    /// A `States.Timeout` fired by a missed heartbeat, which `States.HeartbeatTimeout`
    /// also matches.
    pub heartbeat: bool,
}

impl Failure {
    /// The error output object of a caught failure (runtime-errors.md §5).
    fn error_output(&self) -> Value {
        let mut m = Map::new();
        if !self.no_error {
            m.insert("Error".into(), Value::String(self.error.clone()));
        }
        if !self.no_cause {
            m.insert("Cause".into(), Value::String(self.cause.clone()));
        }
        Value::Object(m)
    }

    fn new(error: &str, cause: impl Into<String>, event: u64) -> Box<Failure> {
        Box::new(Failure {
            error: error.to_owned(),
            cause: cause.into(),
            catchable: error != "States.Runtime",
            event,
            no_error: false,
            no_cause: false,
            nested: false,
            heartbeat: false,
        })
    }
}

/// One thread of execution: the top level, a branch or an iteration.
struct Thread {
    /// The last event of this thread (`previousEventId` of the next one).
    prev: u64,
    vars: Vars,
    depth: u32,
}

/// What the context object describes for one evaluation.
#[derive(Clone)]
struct StateCtx<'a> {
    name: &'a str,
    entered_millis: i64,
    retry_count: Option<u32>,
    task_token: Option<String>,
    map_item: Option<(usize, &'a Value)>,
    /// The task's `TimeoutSeconds`/`TimeoutSecondsPath` value.
    timeout: Option<f64>,
    /// The task's `HeartbeatSeconds`/`HeartbeatSecondsPath` value.
    heartbeat: Option<f64>,
}

/// The roots of paths in one evaluation: the context object (built on first use) and the
/// variables.
struct Env<'a> {
    exec: &'a ExecInfo<'a>,
    state: &'a StateCtx<'a>,
    vars: &'a Vars,
    /// Boxed: most evaluations never build it, and an empty box is dropped without a call.
    context: OnceCell<Box<Value>>,
}

impl Roots for Env<'_> {
    fn context(&self) -> &Value {
        self.context.get_or_init(|| Box::new(self.exec.context(self.state)))
    }
    fn variable(&self, name: &str) -> Option<&Value> {
        self.vars.get(name)
    }
}

/// Fixed facts about the execution.
pub(crate) struct ExecInfo<'i> {
    pub input: &'i Input,
    pub start_millis: i64,
    pub execution_name: String,
    pub machine_name: String,
    pub express: bool,
}

pub(crate) fn iso_millis(millis: i64) -> String {
    timestamp::Timestamp::from_unix(millis.div_euclid(1000), (millis.rem_euclid(1000) * 1_000_000) as u32)
        .map(|t| t.to_utc_millis_string())
        .unwrap_or_default()
}

impl ExecInfo<'_> {
    fn context(&self, state: &StateCtx<'_>) -> Value {
        let kind = if self.express { "express" } else { "execution" };
        let machine_arn = format!("arn:aws:states:us-east-1:123456789012:stateMachine:{}", self.machine_name);
        let mut state_obj = Map::new();
        state_obj.insert("Name".into(), Value::String(state.name.to_owned()));
        state_obj.insert("EnteredTime".into(), Value::String(iso_millis(state.entered_millis)));
        if let Some(n) = state.retry_count {
            state_obj.insert("RetryCount".into(), json!(n));
        }
        let mut ctx = Map::new();
        // Express execution ARNs carry a third part after the name; Express executions
        // cannot be redriven, so they have no `RedriveCount`.
        let id = if self.express {
            format!(
                "arn:aws:states:us-east-1:123456789012:{kind}:{}:{}:00000000-0000-4000-8000-000000000000",
                self.machine_name, self.execution_name
            )
        } else {
            format!(
                "arn:aws:states:us-east-1:123456789012:{kind}:{}:{}",
                self.machine_name, self.execution_name
            )
        };
        // Built member by member: `json!` would serialise the execution input into a new
        // value, several times slower than cloning it.
        let mut execution = Map::new();
        execution.insert("Id".into(), Value::String(id));
        execution.insert("Input".into(), self.input.json().clone());
        execution.insert("StartTime".into(), Value::String(iso_millis(self.start_millis)));
        execution.insert("Name".into(), Value::String(self.execution_name.clone()));
        execution.insert("RoleArn".into(), json!("arn:aws:iam::123456789012:role/aslc-execution-role"));
        if !self.express {
            execution.insert("RedriveCount".into(), json!(0));
        }
        ctx.insert("Execution".into(), Value::Object(execution));
        ctx.insert("StateMachine".into(), json!({"Id": machine_arn, "Name": self.machine_name}));
        ctx.insert("State".into(), Value::Object(state_obj));
        if let Some(token) = &state.task_token {
            ctx.insert("Task".into(), json!({ "Token": token }));
        }
        if let Some((index, value)) = state.map_item {
            ctx.insert("Map".into(), json!({"Item": {"Index": index, "Value": value}}));
        }
        Value::Object(ctx)
    }
}

/// Objects of at most this many members are evaluated on the stack.
const SMALL_OBJECT: usize = 8;

/// What the VM keeps of an object template between evaluations ([`Vm::skeleton`]).
enum Skeleton {
    /// Not evaluated yet.
    Unseen,
    /// Evaluated once.
    Seen,
    /// The template's keys, with null values.
    Keys(Map<String, Value>),
    /// The template repeats a key.
    Repeated,
}

pub(crate) struct Vm<'p> {
    pub program: &'p Program,
    pub options: &'p RunOptions,
    pub info: &'p ExecInfo<'p>,
    pub rec: Recorder,
    pub transitions: u64,
    pub rng: Rng,
    pub invocations: FxHashMap<StateId, u64>,
    pub harness_failure: Option<Box<Failure>>,
    token_counter: u64,
    /// The execution timeout: the option, else the machine's `TimeoutSeconds`.
    timeout_millis: Option<i64>,
    /// `previousEventId` of an `EvaluationFailed` event in the current JSONata state.
    evaluation_prev: u64,
    /// The states entered, when traced.
    trace: Vec<TraceEntry>,
    /// Per template, what is kept of it between evaluations.
    skeletons: Vec<Skeleton>,
}

enum Step<'v> {
    Next(StateId, Raw<'v>),
    End(Raw<'v>),
}

/// A state's input or output: JSON, the execution input, or a value in the query engine's
/// form. The last two become JSON only when something asks for JSON; a JSONata state reads
/// them in the engine's form, so a chain of JSONata states passes its data on without
/// writing it as JSON and reading it back at every state.
#[derive(Clone)]
enum Raw<'v> {
    Json(Cow<'v, Value>),
    Execution(&'v Input),
    Engine(Rc<EngineOutput>),
}

/// A value an expression made in the engine's form, and its JSON once asked for.
struct EngineOutput {
    value: Rc<dyn EngineValue>,
    json: OnceCell<Value>,
}

impl LazyJson for Raw<'_> {
    fn json(&self) -> &Value {
        match self {
            Raw::Json(json) => json,
            Raw::Execution(input) => input.json(),
            Raw::Engine(output) => output.json.get_or_init(|| output.value.to_json()),
        }
    }
}

impl From<Value> for Raw<'_> {
    fn from(json: Value) -> Self {
        Raw::Json(Cow::Owned(json))
    }
}

impl Raw<'_> {
    #[inline(always)]
    fn into_owned(self) -> Value {
        match self {
            Raw::Json(json) => json.into_owned(),
            Raw::Execution(input) => input.json().clone(),
            Raw::Engine(output) => match Rc::try_unwrap(output) {
                Ok(output) => output.json.into_inner().unwrap_or_else(|| output.value.to_json()),
                Err(shared) => Raw::Engine(shared).json().clone(),
            },
        }
    }

    /// What the engine keeps of the value for one state's expressions, when it has the value
    /// in its form.
    fn prepared(&self) -> Option<Kept> {
        match self {
            Raw::Json(_) => None,
            Raw::Execution(input) => input.prepared(),
            Raw::Engine(output) => Some(output.value.prepared()),
        }
    }
}

fn size_exceeds(v: &Value, limit: usize) -> bool {
    // A small object of numbers, booleans, nulls and short strings, as a loop carries from
    // state to state, is far below any limit the VM checks: its text needs no counting.
    if let Value::Object(object) = v {
        if object.len() <= 16
            && limit >= 64 * 1024
            && object.iter().all(|(k, v)| {
                k.len() <= 256
                    && match v {
                        Value::Null | Value::Bool(_) | Value::Number(_) => true,
                        Value::String(s) => s.len() <= 256,
                        _ => false,
                    }
            })
        {
            return false;
        }
    }
    fn walk(v: &Value, budget: &mut isize) {
        if *budget < 0 {
            return;
        }
        match v {
            Value::Null => *budget -= 4,
            Value::Bool(_) => *budget -= 5,
            Value::Number(_) => *budget -= 8,
            Value::String(s) => *budget -= s.len() as isize + 2,
            Value::Array(a) => {
                *budget -= 2;
                for x in a {
                    walk(x, budget);
                    *budget -= 1;
                }
            }
            Value::Object(o) => {
                *budget -= 2;
                for (k, x) in o {
                    *budget -= k.len() as isize + 4;
                    walk(x, budget);
                }
            }
        }
    }
    let mut budget = limit as isize / 2;
    walk(v, &mut budget);
    budget < 0 && v.to_string().len() > limit
}

impl<'p> Vm<'p> {
    pub fn info<'i>(options: &RunOptions, input: &'i Input) -> ExecInfo<'i> {
        ExecInfo {
            input,
            start_millis: options.start_millis,
            execution_name: options.execution_name.clone(),
            machine_name: options.state_machine_name.clone(),
            express: options.workflow_type == WorkflowType::Express,
        }
    }

    pub fn new(program: &'p Program, options: &'p RunOptions, info: &'p ExecInfo<'p>) -> Vm<'p> {
        let mut rec = Recorder::new(options.history);
        rec.now_millis = options.start_millis;
        if options.workflow_type == WorkflowType::Standard {
            rec.limit = Some(STANDARD_HISTORY_LIMIT);
        }
        Vm {
            program,
            options,
            info,
            rec,
            transitions: 0,
            rng: Rng::new(options.seed),
            invocations: FxHashMap::default(),
            harness_failure: None,
            token_counter: 0,
            evaluation_prev: 0,
            trace: Vec::new(),
            skeletons: Vec::new(),
            // The machine's own `TimeoutSeconds`, within the service ceiling: one year for
            // Standard, five minutes for Express (runtime-limits.md `R-LIM-DURATION`).
            timeout_millis: options.timeout_millis.or_else(|| {
                let ceiling: i64 =
                    if options.workflow_type == WorkflowType::Express { 300_000 } else { 31_536_000_000 };
                let own = program.machine().timeout.map(|s| (s * 1000.0) as i64);
                Some(own.map_or(ceiling, |own| own.min(ceiling)))
            }),
        }
    }

    fn emit(&mut self, prev: u64, ty: &str, details: impl FnOnce() -> Option<(&'static str, Value)>) -> u64 {
        self.rec.emit(prev, ty, details)
    }

    pub fn run(mut self) -> Outcome {
        // The first state reads the execution input where `ExecInfo` keeps it: a JSONata state
        // never needs a copy of its input, a JSONPath state makes one as it takes it.
        let info = self.info;
        let input = info.input;
        let started = self.emit(0, "ExecutionStarted", || {
            Some((
                "executionStartedEventDetails",
                json!({"input": history::text(input.json()), "inputDetails": history::not_truncated(),
                       "roleArn": "arn:aws:iam::123456789012:role/aslc-execution-role"}),
            ))
        });
        let root = self.program.machine().root;
        let mut thread = Thread { prev: 0, vars: Vars::default(), depth: 0 };
        let result = if input.exceeds(PAYLOAD_LIMIT, size_exceeds) {
            Err(Failure::new(
                "States.DataLimitExceeded",
                "The state/task 'execution input' returned a result with a size exceeding the maximum number of bytes service limit.",
                started,
            ))
        } else {
            self.run_scope(root, Raw::Execution(input), &mut thread)
        };
        let result = match (self.rec.overflow, result) {
            // The cap was reached inside a state: the execution fails at once.
            (true, Ok(_)) => Err(Box::new(Failure {
                error: "States.Runtime".into(),
                cause: format!(
                    "The execution reached the maximum number of history events ({STANDARD_HISTORY_LIMIT})."
                ),
                catchable: false,
                event: thread.prev,
                no_error: false,
                no_cause: false,
                nested: false,
                heartbeat: false,
            })),
            (_, r) => r,
        };
        // The last id is kept for the closing event.
        self.rec.limit = None;
        let result = match self.harness_failure.take() {
            Some(f) => Err(f),
            None => result,
        };
        match result {
            Ok(output) => {
                let prev = thread.prev;
                self.emit(prev, "ExecutionSucceeded", || {
                    Some((
                        "executionSucceededEventDetails",
                        json!({"output": history::text(&output), "outputDetails": history::not_truncated()}),
                    ))
                });
                Outcome {
                    status: Status::Succeeded,
                    output: Some(output),
                    error: None,
                    cause: None,
                    transitions: self.transitions,
                    events: self.rec.into_events(),
                    trace: self.trace,
                }
            }
            Err(f) => {
                let timed_out = f.error == "States.Timeout" && f.cause == "execution timed out";
                let (ty, key) = if timed_out {
                    ("ExecutionTimedOut", "executionTimedOutEventDetails")
                } else {
                    ("ExecutionFailed", "executionFailedEventDetails")
                };
                let error = (!f.no_error).then(|| f.error.clone());
                let cause = (!f.no_cause).then(|| f.cause.clone());
                self.emit(f.event, ty, || {
                    Some((key, history::error_details(error.as_deref(), cause.as_deref())))
                });
                Outcome {
                    status: if timed_out { Status::TimedOut } else { Status::Failed },
                    output: None,
                    error,
                    cause,
                    transitions: self.transitions,
                    events: self.rec.into_events(),
                    trace: self.trace,
                }
            }
        }
    }

    fn run_scope(
        &mut self,
        scope: ScopeId,
        input: Raw<'p>,
        thread: &mut Thread,
    ) -> Result<Value, Box<Failure>> {
        let program = self.program;
        let Some(mut state) = program.scope(scope).start else {
            return Err(Failure::new("States.Runtime", "the scope has no `StartAt` state", thread.prev));
        };
        let mut input = input;
        loop {
            if let Some(f) = &self.harness_failure {
                return Err(f.clone());
            }
            if let Some(limit) = self.timeout_millis {
                if self.rec.now_millis - self.info.start_millis > limit {
                    return Err(execution_timed_out(thread.prev));
                }
            }
            if self.rec.overflow {
                return Err(Box::new(Failure {
                    error: "States.Runtime".into(),
                    cause: format!(
                        "The execution reached the maximum number of history events ({STANDARD_HISTORY_LIMIT})."
                    ),
                    catchable: false,
                    event: thread.prev, no_error: false, no_cause: false, nested: false, heartbeat: false}));
            }
            self.transitions += 1;
            if self.options.max_transitions.is_some_and(|max| self.transitions > max) {
                let f = Box::new(Failure {
                    error: "aslc.StepBudgetExceeded".into(),
                    cause: format!("the run took more than {} state transitions", self.transitions - 1),
                    catchable: false,
                    event: thread.prev,
                    no_error: false,
                    no_cause: false,
                    nested: false,
                    heartbeat: false,
                });
                self.harness_failure = Some(f.clone());
                return Err(f);
            }
            match self.step(state, input, thread)? {
                Step::Next(next, output) => {
                    state = next;
                    input = output;
                }
                Step::End(output) => return Ok(output.into_owned()),
            }
        }
    }

    fn step(&mut self, id: StateId, raw: Raw<'p>, thread: &mut Thread) -> Result<Step<'p>, Box<Failure>> {
        let program = self.program;
        let state = program.state(id);
        let name = program.str(state.name);
        let entered_millis = self.rec.now_millis;
        let kind = state.kind;
        let entered_prev = thread.prev;
        let entered = self.emit(thread.prev, entered_type(kind), || {
            Some((
                "stateEnteredEventDetails",
                json!({"name": name, "input": history::text(raw.json()), "inputDetails": history::not_truncated()}),
            ))
        });
        thread.prev = entered;
        if self.options.trace && self.rec.muted == 0 {
            self.trace.push(TraceEntry {
                millis: entered_millis,
                state: name.to_owned(),
                kind: kind.name(),
                depth: thread.depth,
            });
        }
        let mut sctx = StateCtx {
            name,
            entered_millis,
            retry_count: matches!(kind, StateKind::Task | StateKind::Parallel | StateKind::Map).then_some(0),
            task_token: None,
            map_item: None,
            timeout: None,
            heartbeat: None,
        };
        let runtime = |msg: String| {
            Failure::new(
                "States.Runtime",
                format!("An error occurred while executing the state '{name}' (entered at the event id #{entered}). {msg}"),
                entered,
            )
        };
        if state.language == Language::Jsonata {
            // `EvaluationFailed` follows the event before the state's entered event (the
            // entered event itself in a Wait state), as AWS's histories show.
            self.evaluation_prev = if kind == StateKind::Wait { entered } else { entered_prev };
            return self.step_jsonata(id, &raw, thread, entered, &mut sctx);
        }
        let raw = raw.into_owned();
        // InputPath. `moved` holds the effective input when it differs from the raw input;
        // otherwise the raw input itself is the effective input and moves on without a copy.
        let moved: Option<Value> = match state.input_path_mode {
            PathMode::Default => None,
            PathMode::Null => Some(Value::Object(Map::new())),
            PathMode::Path => {
                let expr = state.input_path.expect("verified: a Path mode has its path");
                let env = Env { exec: self.info, state: &sctx, vars: &thread.vars, context: OnceCell::new() };
                match self.path(expr, &raw, &env) {
                    Ok(v) => Some(v.into_owned()),
                    Err(m) => {
                        return Err(runtime(format!(
                            "Invalid path '{}' : {}",
                            program.expr_text(expr),
                            m.message()
                        )))
                    }
                }
            }
        };
        let effective: &Value = moved.as_ref().unwrap_or(&raw);
        match kind {
            StateKind::Pass => {
                if let (None, Some(t), PathMode::Default) =
                    (state.result, state.parameters, state.result_path_mode)
                {
                    // `Parameters` is the result and nothing reads the input after it: the
                    // input's object may hold the result, when it has the same members.
                    let data = moved.unwrap_or(raw);
                    let env =
                        Env { exec: self.info, state: &sctx, vars: &thread.vars, context: OnceCell::new() };
                    let result = self.template_reusing(t, data, &env, entered, name)?;
                    drop(env);
                    return self.finish(id, Value::Null, result, thread, entered, &sctx);
                }
                let params = match state.parameters {
                    Some(_) => Some(
                        self.parameters(state, Cow::Borrowed(effective), &sctx, &thread.vars, entered)?
                            .into_owned(),
                    ),
                    None => None,
                };
                let (raw, result) = match (state.result, params) {
                    (Some(c), _) => (raw, program.constant(c).clone()),
                    (None, Some(p)) => (raw, p),
                    // The effective input is the result; with the default `ResultPath` the
                    // raw input is not needed any more, so nothing is copied.
                    (None, None) if state.result_path_mode == PathMode::Default => {
                        (Value::Null, moved.unwrap_or(raw))
                    }
                    (None, None) => {
                        let result = moved.unwrap_or_else(|| raw.clone());
                        (raw, result)
                    }
                };
                self.finish(id, raw, result, thread, entered, &sctx)
            }
            StateKind::Succeed => {
                let output = self.output_path(state, moved.unwrap_or(raw), &sctx, &thread.vars, entered)?;
                self.exited(id, &output, None, thread);
                Ok(Step::End(output.into()))
            }
            StateKind::Choice => {
                let choice = &program.tables.choices[state.choice.expect("verified").0 as usize];
                let env = Env { exec: self.info, state: &sctx, vars: &thread.vars, context: OnceCell::new() };
                let mut target = None;
                for rule_id in choice.rules.iter() {
                    let rule = &program.tables.rules[rule_id.0 as usize];
                    if self.condition(rule.condition, effective, &env, entered, name)? {
                        target = Some((rule.next, rule.assign));
                        break;
                    }
                }
                let (next, assign) = match target {
                    Some(t) => t,
                    None => match choice.default {
                        Some(d) => (d, state.assign),
                        None => {
                            return Err(Failure::new(
                                "States.NoChoiceMatched",
                                format!("No Matches! at state '{name}'"),
                                entered,
                            ))
                        }
                    },
                };
                let assigned = match assign {
                    Some(t) => Some(self.eval_assign(t, effective, &env, entered, name)?),
                    None => None,
                };
                drop(env);
                let output = self.output_path(state, moved.unwrap_or(raw), &sctx, &thread.vars, entered)?;
                self.apply_assign(assigned.as_ref(), thread);
                self.exited(id, &output, assigned.as_ref(), thread);
                Ok(Step::Next(next, output.into()))
            }
            StateKind::Wait => {
                let wait = &program.tables.waits[state.wait.expect("verified").0 as usize];
                let env = Env { exec: self.info, state: &sctx, vars: &thread.vars, context: OnceCell::new() };
                let until = self.wait_until(wait, effective, &env, entered_millis).map_err(runtime)?;
                let assigned = match state.assign {
                    Some(t) => Some(self.eval_assign(t, effective, &env, entered, name)?),
                    None => None,
                };
                drop(env);
                // A Wait is not cut at the execution's deadline: the next state sees it.
                // Cutting it would fail the recorded `wait_timestamppath__*` cases, whose
                // timestamps lie years after the VM's fixed start date.
                self.sleep_until(until);
                let output = self.output_path(state, moved.unwrap_or(raw), &sctx, &thread.vars, entered)?;
                self.apply_assign(assigned.as_ref(), thread);
                self.exited(id, &output, assigned.as_ref(), thread);
                self.next_or_end(state, output)
            }
            StateKind::Fail => {
                let fail = &program.tables.fails[state.fail.expect("verified").0 as usize];
                let env = Env { exec: self.info, state: &sctx, vars: &thread.vars, context: OnceCell::new() };
                let field = |vm: &mut Vm<'_>, lit: Option<TmplId>, path: Option<ExprId>, field: &str| {
                    if let Some(t) = lit {
                        let v = vm.template(t, &raw, &env, entered, name)?;
                        return Ok(v.as_str().map(str::to_owned));
                    }
                    if let Some(p) = path {
                        return match vm.eval_expr(p, &raw, &env) {
                            Ok(v) => Ok(Some(match v {
                                Value::String(s) => s,
                                other => other.to_string(),
                            })),
                            Err(_) => Err(Failure::new(
                                "States.Runtime",
                                format!(
                                    "An error occurred while executing the state '{name}' (entered at the event id #{entered}). The JSONPath '{}' specified for the field '{field}' could not be found in the input '{}'",
                                    vm.program.expr_text(p),
                                    raw
                                ),
                                entered,
                            )),
                        };
                    }
                    Ok(None)
                };
                let error = field(self, fail.error, fail.error_path, "ErrorPath")?;
                let cause = field(self, fail.cause, fail.cause_path, "CausePath")?;
                Err(Box::new(Failure {
                    no_error: error.is_none(),
                    no_cause: cause.is_none(),
                    nested: false,
                    heartbeat: false,
                    error: error.unwrap_or_default(),
                    cause: cause.unwrap_or_default(),
                    catchable: true,
                    event: entered,
                }))
                .map_err(|mut f: Box<Failure>| {
                    f.catchable = true;
                    f
                })
            }
            StateKind::Task | StateKind::Parallel | StateKind::Map => {
                if let Some(task) = state.task {
                    self.prepare_task(
                        &program.tables.tasks[task.0 as usize],
                        effective,
                        &mut sctx,
                        &thread.vars,
                    )
                    .map_err(runtime)?;
                }
                // `Parameters` is evaluated per attempt, inside the retry loop: it may read
                // `$$.State.RetryCount`.
                let attempt = self.with_retry(id, effective, thread, entered, &mut sctx);
                match attempt {
                    Ok(result) => {
                        let last = thread.prev;
                        self.finish(id, raw, result, thread, entered, &sctx).map_err(|mut f| {
                            f.event = last;
                            f
                        })
                    }
                    Err(f) => self.catch(id, raw, f, thread, &sctx),
                }
            }
        }
    }

    /// The task token and the timeouts, which `Parameters` and the events need.
    fn prepare_task(
        &mut self,
        task: &TaskRec,
        effective: &Value,
        sctx: &mut StateCtx<'_>,
        vars: &Vars,
    ) -> Result<(), String> {
        let program = self.program;
        let resource = program.str(task.resource);
        if resource.ends_with(".waitForTaskToken") || resource.contains(".sync") {
            self.token_counter += 1;
            sctx.task_token =
                Some(format!("aslc-task-token-{}-{}", self.info.execution_name, self.token_counter));
        }
        let constant = |t: Option<TmplId>| {
            t.and_then(|t| program.template(t).value).and_then(|c| program.constant(c).as_f64())
        };
        sctx.timeout = constant(task.timeout);
        sctx.heartbeat = constant(task.heartbeat);
        for (path, slot) in [(task.timeout_path, 0), (task.heartbeat_path, 1)] {
            let Some(p) = path else { continue };
            let env = Env { exec: self.info, state: sctx, vars, context: OnceCell::new() };
            let text = program.expr_text(p);
            let value = match self.path(p, effective, &env) {
                Ok(v) => v,
                Err(m) => return Err(format!("Invalid path '{text}' : {}", m.message())),
            };
            // The value must be a positive integer (runtime-tasks.md §7); the wording of
            // the error is the Map paths' (runtime-map-parallel.md §2.3), AWS's own for
            // these fields is unrecorded.
            let field = if slot == 0 { "TimeoutSecondsPath" } else { "HeartbeatSecondsPath" };
            let shown = match &*value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let value = match value.as_i64() {
                Some(n) if n >= 1 => Some(n as f64),
                Some(_) => {
                    return Err(format!(
                    "The {field} field refers to value \"{shown}\" which is not a positive integer: {text}"
                ))
                }
                None => {
                    return Err(format!(
                        "The {field} field refers to value \"{shown}\" which is not a valid integer: {text}"
                    ))
                }
            };
            if slot == 0 {
                sctx.timeout = value;
            } else {
                sctx.heartbeat = value;
            }
        }
        Ok(())
    }

    fn next_or_end<'v>(
        &self,
        state: &StateRec,
        output: impl Into<Raw<'v>>,
    ) -> Result<Step<'v>, Box<Failure>> {
        Ok(match state.next {
            Some(n) => Step::Next(n, output.into()),
            None => Step::End(output.into()),
        })
    }

    /// ResultSelector, ResultPath, Assign, OutputPath, then the exited event.
    fn finish(
        &mut self,
        id: StateId,
        raw: Value,
        result: Value,
        thread: &mut Thread,
        entered: u64,
        sctx: &StateCtx<'_>,
    ) -> Result<Step<'static>, Box<Failure>> {
        let program = self.program;
        let state = program.state(id);
        let name = program.str(state.name);
        let env = Env { exec: self.info, state: sctx, vars: &thread.vars, context: OnceCell::new() };
        let result = match state.result_selector {
            Some(t) => self.template(t, &result, &env, entered, name)?,
            None => result,
        };
        let assigned = match state.assign {
            Some(t) => Some(self.eval_assign(t, &result, &env, entered, name)?),
            None => None,
        };
        drop(env);
        let merged =
            self.result_path(state.result_path_mode, state.result_path, raw, result, entered, name)?;
        let output = self.output_path(state, merged, sctx, &thread.vars, entered)?;
        if size_exceeds(&output, PAYLOAD_LIMIT) {
            return Err(Box::new(Failure {
                error: "States.DataLimitExceeded".into(),
                cause: format!(
                    "The state/task '{name}' returned a result with a size exceeding the maximum number of bytes service limit."
                ),
                catchable: false,
                event: thread.prev, no_error: false, no_cause: false, nested: false, heartbeat: false}));
        }
        self.apply_assign(assigned.as_ref(), thread);
        self.exited(id, &output, assigned.as_ref(), thread);
        self.next_or_end(state, output)
    }

    /// The exited event of state `id`: without history, only its id.
    #[inline(always)]
    fn exited(
        &mut self,
        id: StateId,
        output: &dyn LazyJson,
        assigned: Option<&Map<String, Value>>,
        thread: &mut Thread,
    ) {
        if self.rec.keeps() {
            self.exited_recorded(id, output, assigned, thread);
        } else {
            thread.prev = self.rec.emit(thread.prev, "", || None);
        }
    }

    fn exited_recorded(
        &mut self,
        id: StateId,
        output: &dyn LazyJson,
        assigned: Option<&Map<String, Value>>,
        thread: &mut Thread,
    ) {
        let program = self.program;
        let state = program.state(id);
        let name = program.str(state.name);
        let prev = thread.prev;
        thread.prev = self.emit(prev, exited_type(state.kind), || {
            let mut d = Map::new();
            d.insert("name".into(), Value::String(name.to_owned()));
            d.insert("output".into(), history::text(output.json()));
            d.insert("outputDetails".into(), history::not_truncated());
            if let Some(vars) = assigned {
                let texts: Map<String, Value> =
                    vars.iter().map(|(k, v)| (k.clone(), history::text(v))).collect();
                d.insert("assignedVariables".into(), Value::Object(texts));
                d.insert("assignedVariablesDetails".into(), history::not_truncated());
            }
            Some(("stateExitedEventDetails", Value::Object(d)))
        });
    }

    #[inline(always)]
    fn apply_assign(&self, assigned: Option<&Map<String, Value>>, thread: &mut Thread) {
        if let Some(vars) = assigned {
            for (k, v) in vars {
                thread.vars.insert(k.as_str().into(), v.clone());
            }
        }
    }

    fn eval_assign(
        &mut self,
        t: TmplId,
        data: &Value,
        env: &Env<'_>,
        entered: u64,
        name: &str,
    ) -> Result<Map<String, Value>, Box<Failure>> {
        match self.template(t, data, env, entered, name)? {
            Value::Object(m) => Ok(m),
            _ => Ok(Map::new()),
        }
    }

    fn parameters<'v>(
        &mut self,
        state: &StateRec,
        effective: Cow<'v, Value>,
        sctx: &StateCtx<'_>,
        vars: &Vars,
        entered: u64,
    ) -> Result<Cow<'v, Value>, Box<Failure>> {
        match state.parameters {
            Some(t) => {
                let env = Env { exec: self.info, state: sctx, vars, context: OnceCell::new() };
                let name = self.program.str(state.name);
                Ok(Cow::Owned(self.template(t, &effective, &env, entered, name)?))
            }
            None => Ok(effective),
        }
    }

    #[inline(always)]
    fn output_path(
        &mut self,
        state: &StateRec,
        value: Value,
        sctx: &StateCtx<'_>,
        vars: &Vars,
        entered: u64,
    ) -> Result<Value, Box<Failure>> {
        match state.output_path_mode {
            PathMode::Default => Ok(value),
            _ => self.output_path_selected(state, value, sctx, vars, entered),
        }
    }

    /// `OutputPath` when it is given.
    fn output_path_selected(
        &mut self,
        state: &StateRec,
        value: Value,
        sctx: &StateCtx<'_>,
        vars: &Vars,
        entered: u64,
    ) -> Result<Value, Box<Failure>> {
        match state.output_path_mode {
            PathMode::Default => Ok(value),
            PathMode::Null => Ok(Value::Object(Map::new())),
            PathMode::Path => {
                let expr = state.output_path.expect("verified: a Path mode has its path");
                let env = Env { exec: self.info, state: sctx, vars, context: OnceCell::new() };
                match self.path(expr, &value, &env) {
                    Ok(v) => Ok(v.into_owned()),
                    Err(m) => {
                        let name = self.program.str(state.name);
                        Err(Failure::new(
                            "States.Runtime",
                            format!(
                                "An error occurred while executing the state '{name}' (entered at the event id #{entered}). Invalid path '{}' : {}",
                                self.program.expr_text(expr),
                                m.message()
                            ),
                            entered,
                        ))
                    }
                }
            }
        }
    }

    #[inline(always)]
    fn result_path(
        &self,
        mode: PathMode,
        path: Option<ExprId>,
        raw: Value,
        result: Value,
        entered: u64,
        name: &str,
    ) -> Result<Value, Box<Failure>> {
        match mode {
            PathMode::Default => Ok(result),
            _ => self.result_path_merged(mode, path, raw, result, entered, name),
        }
    }

    /// `ResultPath` when it is null or a path.
    fn result_path_merged(
        &self,
        mode: PathMode,
        path: Option<ExprId>,
        raw: Value,
        result: Value,
        entered: u64,
        name: &str,
    ) -> Result<Value, Box<Failure>> {
        match mode {
            PathMode::Default => Ok(result),
            PathMode::Null => Ok(raw),
            PathMode::Path => {
                let expr = path.expect("verified: a Path mode has its path");
                let Compiled::Path(p) = self.program.expr(expr) else { return Ok(result) };
                let mut out = raw;
                if jsonpath::set_at(&mut out, p, result) {
                    Ok(out)
                } else {
                    Err(Failure::new(
                        "States.ResultPathMatchFailure",
                        format!(
                            "An error occurred while executing the state '{name}' (entered at the event id #{entered}). Unable to apply ResultPath '{}' to input '{}'",
                            self.program.expr_text(expr),
                            out
                        ),
                        entered,
                    ))
                }
            }
        }
    }

    #[inline(always)]
    fn path<'v>(
        &self,
        expr: ExprId,
        data: &'v Value,
        env: &'v Env<'_>,
    ) -> Result<Cow<'v, Value>, jsonpath::Missing> {
        match self.program.expr(expr) {
            Compiled::Path(p) => jsonpath::select(p, data, env),
            _ => Err(jsonpath::Missing::NoResults(self.program.expr_text(expr).to_owned())),
        }
    }

    /// A path or intrinsic call in a JSONPath field.
    fn eval_expr(&mut self, expr: ExprId, data: &Value, env: &Env<'_>) -> Result<Value, IntrinsicError> {
        match self.program.expr(expr) {
            Compiled::Path(p) => {
                jsonpath::select_owned(p, data, env).map_err(|_| IntrinsicError::PathMissing(String::new()))
            }
            Compiled::Intrinsic(call) => intrinsics::eval(call, data, env, &mut self.rng),
            Compiled::Jsonata(_) => {
                Err(IntrinsicError::Failed("a JSONata expression in a JSONPath field".into()))
            }
        }
    }

    /// Evaluates a template (`Parameters`, `ResultSelector`, `ItemSelector`, `Assign`, …).
    fn template(
        &mut self,
        t: TmplId,
        data: &Value,
        env: &Env<'_>,
        entered: u64,
        name: &str,
    ) -> Result<Value, Box<Failure>> {
        self.template_at(t, data, env, entered, name, "")
    }

    /// Evaluates a template over `data`, which is not needed afterwards. An object template
    /// whose keys are `data`'s, in order, is written into `data`'s object: a loop that
    /// carries the same members from state to state allocates, hashes and frees nothing.
    fn template_reusing(
        &mut self,
        t: TmplId,
        data: Value,
        env: &Env<'_>,
        entered: u64,
        name: &str,
    ) -> Result<Value, Box<Failure>> {
        let program = self.program;
        let rec = program.template(t);
        let same_keys = |object: &Map<String, Value>| {
            object.len() == rec.members.len as usize
                && object
                    .keys()
                    .zip(rec.members.iter())
                    .all(|(k, m)| k.as_str() == program.str(program.tables.members[m.0 as usize].key))
        };
        match &data {
            Value::Object(object)
                if rec.kind == TmplKind::Object && object.len() <= SMALL_OBJECT && same_keys(object) => {}
            _ => return self.template(t, &data, env, entered, name),
        }
        let mut values: [Value; SMALL_OBJECT] = Default::default();
        for (slot, m) in values.iter_mut().zip(rec.members.iter()) {
            let member = &program.tables.members[m.0 as usize];
            let k = program.str(member.key);
            let value = self.member_value(member.value, &data, env, entered, name, k)?;
            // The slot still holds its null: nothing to drop.
            std::mem::forget(std::mem::replace(slot, value));
        }
        let Value::Object(mut object) = data else { unreachable!("matched as an object above") };
        for (value, slot) in object.values_mut().zip(values.iter_mut()) {
            std::mem::swap(value, slot);
        }
        // The slots hold the input's values now; numbers and the like need no drop.
        if values.iter().all(|v| matches!(v, Value::Null | Value::Bool(_) | Value::Number(_))) {
            std::mem::forget(values);
        }
        Ok(Value::Object(object))
    }

    /// The object of an object template's keys, with null values, once the template is
    /// evaluated a second time: cloning it copies the keys' hashes, where building the
    /// object hashes every key again (serde_json's map hashes with SipHash).
    fn skeleton(&mut self, t: TmplId) -> Option<&Map<String, Value>> {
        let index = t.0 as usize;
        if self.skeletons.len() <= index {
            self.skeletons
                .resize_with(self.program.tables.templates.len().max(index + 1), || Skeleton::Unseen);
        }
        let program = self.program;
        let slot = &mut self.skeletons[index];
        match slot {
            Skeleton::Unseen => {
                *slot = Skeleton::Seen;
                return None;
            }
            Skeleton::Seen => {
                let rec = program.template(t);
                let mut keys = Map::with_capacity(rec.members.len as usize);
                for m in rec.members.iter() {
                    let k = program.str(program.tables.members[m.0 as usize].key);
                    keys.insert(k.to_owned(), Value::Null);
                }
                // Repeated keys (the last value wins) are built member by member.
                *slot = if keys.len() == rec.members.len as usize {
                    Skeleton::Keys(keys)
                } else {
                    Skeleton::Repeated
                };
            }
            Skeleton::Keys(_) | Skeleton::Repeated => {}
        }
        match slot {
            Skeleton::Keys(keys) => Some(keys),
            _ => None,
        }
    }

    /// The value of an object member or array element: a constant or a path is taken
    /// here, anything else through [`Vm::template_at`].
    #[inline(always)]
    fn member_value(
        &mut self,
        t: TmplId,
        data: &Value,
        env: &Env<'_>,
        entered: u64,
        name: &str,
        key: &str,
    ) -> Result<Value, Box<Failure>> {
        let program = self.program;
        let rec = program.template(t);
        match (rec.kind, rec.value, rec.expr) {
            (TmplKind::Const, Some(c), _) => Ok(program.constant(c).clone()),
            (TmplKind::Expr, _, Some(expr)) => self.expr_value(expr, data, env, entered, name, key),
            _ => self.template_at(t, data, env, entered, name, key),
        }
    }

    /// The value of an expression member: a path's selection or an intrinsic call's result.
    #[inline(always)]
    fn expr_value(
        &mut self,
        expr: ExprId,
        data: &Value,
        env: &Env<'_>,
        entered: u64,
        name: &str,
        key: &str,
    ) -> Result<Value, Box<Failure>> {
        match self.program.expr(expr) {
            Compiled::Path(p) => jsonpath::select_owned(p, data, env)
                .map_err(|_| self.path_not_found(expr, data, entered, name, key)),
            Compiled::Intrinsic(call) => intrinsics::eval(call, data, env, &mut self.rng)
                .map_err(|e| intrinsic_failure(e, data, entered, name, key)),
            Compiled::Jsonata(_) => Err(Failure::new(
                "States.QueryEvaluationError",
                "a JSONata expression in a JSONPath state",
                entered,
            )),
        }
    }

    /// The failure of a template path that found nothing.
    fn path_not_found(
        &self,
        expr: ExprId,
        data: &Value,
        entered: u64,
        name: &str,
        key: &str,
    ) -> Box<Failure> {
        Failure::new(
            "States.Runtime",
            format!(
                "An error occurred while executing the state '{name}' (entered at the event id #{entered}). The JSONPath '{}' specified for the field '{key}.$' could not be found in the input '{}'",
                self.program.expr_text(expr),
                data
            ),
            entered,
        )
    }

    fn template_at(
        &mut self,
        t: TmplId,
        data: &Value,
        env: &Env<'_>,
        entered: u64,
        name: &str,
        key: &str,
    ) -> Result<Value, Box<Failure>> {
        let program = self.program;
        let rec = program.template(t);
        match rec.kind {
            TmplKind::Const => Ok(program.constant(rec.value.expect("verified")).clone()),
            TmplKind::Object => {
                if let Some(keys) = self.skeleton(t) {
                    let mut out = keys.clone();
                    for (slot, m) in out.values_mut().zip(rec.members.iter()) {
                        let member = &program.tables.members[m.0 as usize];
                        let k = program.str(member.key);
                        *slot = self.member_value(member.value, data, env, entered, name, k)?;
                    }
                    return Ok(Value::Object(out));
                }
                let mut out = Map::with_capacity(rec.members.len as usize);
                for m in rec.members.iter() {
                    let member = &program.tables.members[m.0 as usize];
                    let k = program.str(member.key);
                    let v = self.member_value(member.value, data, env, entered, name, k)?;
                    out.insert(k.to_owned(), v);
                }
                Ok(Value::Object(out))
            }
            TmplKind::Array => {
                let mut out = Vec::with_capacity(rec.items.len as usize);
                for it in rec.items.iter() {
                    let item = &program.tables.items[it.0 as usize];
                    out.push(self.template_at(item.value, data, env, entered, name, key)?);
                }
                Ok(Value::Array(out))
            }
            TmplKind::Expr => self.expr_value(rec.expr.expect("verified"), data, env, entered, name, key),
        }
    }

    fn condition(
        &mut self,
        c: CondId,
        data: &Value,
        env: &Env<'_>,
        entered: u64,
        name: &str,
    ) -> Result<bool, Box<Failure>> {
        let program = self.program;
        let rec = &program.tables.conditions[c.0 as usize];
        let child = |k: CondChildId| program.tables.cond_children[k.0 as usize].condition;
        match rec.kind {
            CondKind::And => {
                for k in rec.children.iter() {
                    if !self.condition(child(k), data, env, entered, name)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            CondKind::Or => {
                for k in rec.children.iter() {
                    if self.condition(child(k), data, env, entered, name)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            CondKind::Not => {
                let k = rec.children.iter().next().expect("verified: Not has one child");
                Ok(!self.condition(child(k), data, env, entered, name)?)
            }
            CondKind::Jsonata => Err(Failure::new(
                "States.QueryEvaluationError",
                "a JSONata condition in a JSONPath state",
                entered,
            )),
            CondKind::Compare => {
                let op = rec.op.expect("verified");
                let var = rec.variable.expect("verified");
                let value = match self.path(var, data, env) {
                    Ok(v) => Some(v),
                    Err(_) if op == ChoiceOp::IsPresent => None,
                    Err(_) => {
                        return Err(Failure::new(
                            "States.Runtime",
                            format!(
                                "An error occurred while executing the state '{name}' (entered at the event id #{entered}). Invalid path '{}': The choice state's condition path references an invalid value.",
                                program.expr_text(var)
                            ),
                            entered,
                        ))
                    }
                };
                let operand: Cow<'_, Value> = match (rec.operand, rec.operand_path) {
                    (Some(k), _) => Cow::Borrowed(program.constant(k)),
                    (None, Some(p)) => match self.path(p, data, env) {
                        Ok(v) => v,
                        Err(_) => {
                            return Err(Failure::new(
                                "States.Runtime",
                                format!(
                                    "An error occurred while executing the state '{name}' (entered at the event id #{entered}). Invalid path '{}': The choice state's condition path references an invalid value.",
                                    program.expr_text(p)
                                ),
                                entered,
                            ))
                        }
                    },
                    (None, None) => Cow::Owned(Value::Null),
                };
                Ok(crate::choice::compare(op, value.as_deref(), &operand))
            }
        }
    }

    fn wait_until(
        &mut self,
        wait: &WaitRec,
        data: &Value,
        env: &Env<'_>,
        entered_millis: i64,
    ) -> Result<i64, String> {
        let program = self.program;
        if let Some(t) = wait.seconds {
            let secs =
                program.template(t).value.map(|c| program.constant(c).as_f64().unwrap_or(0.0)).unwrap_or(0.0);
            return seconds_until(secs, entered_millis);
        }
        if let Some(p) = wait.seconds_path {
            let path = program.expr_text(p);
            let value = self.path(p, data, env).map_err(|_| {
                format!("The SecondsPath parameter does not reference an input value: {path}")
            })?;
            let secs = match &*value {
                Value::Number(n) if n.is_i64() || n.is_u64() => n.as_f64().unwrap_or(0.0),
                other => {
                    return Err(format!(
                        "The SecondsPath parameter cannot be parsed as a long value: {path} == {other}"
                    ))
                }
            };
            if secs < 0.0 {
                return Err(format!(
                    "The SecondsPath parameter references a negative value: {path} == {}",
                    value
                ));
            }
            return seconds_until(secs, entered_millis);
        }
        if let Some(t) = wait.timestamp {
            let text = program.template(t).value.and_then(|c| program.constant(c).as_str()).unwrap_or("");
            return timestamp::parse_timestamp(text)
                .map(|ts| ts.unix_millis())
                .map_err(|_| format!("The Timestamp parameter cannot be parsed: {text}"));
        }
        if let Some(p) = wait.timestamp_path {
            let path = program.expr_text(p);
            let bad = |v: &Value| {
                format!(
                    "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {path} == {v}"
                )
            };
            let value = self.path(p, data, env).map_err(|_| {
                format!("The TimestampPath parameter does not reference an input value: {path}")
            })?;
            let Value::String(s) = &*value else { return Err(bad(&value)) };
            let bad = |_: &Value| {
                format!(
                    "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {path} == {s}"
                )
            };
            return timestamp::parse_timestamp(s).map(|ts| ts.unix_millis()).map_err(|_| bad(&value));
        }
        Ok(entered_millis)
    }

    /// Moves the clock to `until`: by sleeping on the real clock, unless the time was
    /// already spent (`spent`, a handler process ran meanwhile).
    fn advance(&mut self, until: i64, spent: bool) {
        if spent {
            self.rec.now_millis = self.rec.now_millis.max(until);
        } else {
            self.sleep_until(until);
        }
    }

    /// Waits until `until`, unless the execution times out first: then the clock stops at
    /// the deadline and the execution fails after event `event` (runtime-limits.md
    /// `R-LIM-DURATION`).
    fn wait_for(&mut self, until: i64, event: u64) -> Result<(), Box<Failure>> {
        self.advance_within(until, false, event)
    }

    /// [`Vm::advance`] bounded by the execution's deadline.
    fn advance_within(&mut self, until: i64, spent: bool, event: u64) -> Result<(), Box<Failure>> {
        if let Some(limit) = self.timeout_millis {
            let deadline = self.info.start_millis.saturating_add(limit);
            if until > deadline {
                self.advance(deadline, spent);
                return Err(execution_timed_out(event));
            }
        }
        self.advance(until, spent);
        Ok(())
    }

    fn sleep_until(&mut self, until: i64) {
        if until > self.rec.now_millis {
            if self.options.real_clock {
                let millis = (until - self.rec.now_millis) as u64;
                std::thread::sleep(std::time::Duration::from_millis(millis));
            }
            self.rec.now_millis = until;
        }
    }

    /// Runs the work of a Task, Parallel or Map state under its retriers.
    fn with_retry(
        &mut self,
        id: StateId,
        effective: &Value,
        thread: &mut Thread,
        entered: u64,
        sctx: &mut StateCtx<'_>,
    ) -> Result<Value, Box<Failure>> {
        let program = self.program;
        let state = program.state(id);
        let mut counts = vec![0u32; state.retry.len as usize];
        let mut retry_count = 0u32;
        loop {
            sctx.retry_count = Some(retry_count);
            let res = match self.parameters(state, Cow::Borrowed(effective), sctx, &thread.vars, entered) {
                Err(f) => Err(f),
                Ok(args) => match state.kind {
                    StateKind::Task => self.task(id, &args, thread, sctx),
                    StateKind::Parallel => self.parallel(id, &args, thread),
                    _ => self.map(id, &args, thread, sctx),
                },
            };
            let f = match res {
                Ok(v) => return Ok(v),
                Err(f) => f,
            };
            if !f.catchable || self.harness_failure.is_some() {
                return Err(self.state_failed(state.kind, f, thread));
            }
            let matched = state.retry.iter().enumerate().find(|(_, r)| {
                let rec = &program.tables.retriers[r.0 as usize];
                self.error_matches(rec.errors, &f)
            });
            let Some((i, r)) = matched else { return Err(self.state_failed(state.kind, f, thread)) };
            let rec = &program.tables.retriers[r.0 as usize];
            if counts[i] >= rec.max_attempts {
                return Err(self.state_failed(state.kind, f, thread));
            }
            let mut delay = rec.interval * rec.backoff.powi(counts[i] as i32);
            if let Some(max) = rec.max_delay {
                delay = delay.min(max);
            }
            if rec.jitter == Jitter::Full {
                delay *= (self.rng.next_u64() % 1_000_001) as f64 / 1_000_000.0;
            }
            counts[i] += 1;
            retry_count += 1;
            let until = self.rec.now_millis + (delay * 1000.0) as i64;
            self.wait_for(until, f.event)?;
            thread.prev = f.event;
        }
    }

    /// The `MapStateFailed`/`ParallelStateFailed` event of a failure no retrier takes.
    fn state_failed(&mut self, kind: StateKind, f: Box<Failure>, thread: &mut Thread) -> Box<Failure> {
        if !f.nested {
            return f;
        }
        let ty = if kind == StateKind::Map { "MapStateFailed" } else { "ParallelStateFailed" };
        let failed = self.emit(f.event, ty, || None);
        thread.prev = failed;
        Box::new(Failure { event: failed, nested: false, ..*f })
    }

    /// Whether `ErrorEquals` matches `failure` (runtime-errors.md §1.4).
    /// The first catcher of `state` that handles `failure`; `None` when none does or the
    /// failure cannot be caught (a harness failure never is).
    fn catcher_for(&self, state: &StateRec, failure: &Failure) -> Option<&'p CatcherRec> {
        if !failure.catchable || self.harness_failure.is_some() {
            return None;
        }
        let program = self.program;
        state
            .catch
            .iter()
            .map(|c| &program.tables.catchers[c.0 as usize])
            .find(|rec| self.error_matches(rec.errors, failure))
    }

    fn error_matches(&self, names: List<ErrorNameId>, failure: &Failure) -> bool {
        let error = failure.error.as_str();
        names.iter().any(|n| {
            let name = self.program.str(self.program.tables.error_names[n.0 as usize].name);
            name == error
                || (name == "States.HeartbeatTimeout" && failure.heartbeat)
                || (name == "States.ALL" && error != "States.Runtime")
                || (name == "States.TaskFailed"
                    && error != "States.Timeout"
                    && error != "States.Runtime"
                    && (!error.starts_with("States.")
                        || matches!(
                            error,
                            "States.TaskFailed" | "States.Permissions" | "States.DataLimitExceeded"
                        )))
        })
    }

    fn catch(
        &mut self,
        id: StateId,
        raw: Value,
        f: Box<Failure>,
        thread: &mut Thread,
        sctx: &StateCtx<'_>,
    ) -> Result<Step<'static>, Box<Failure>> {
        let program = self.program;
        let state = program.state(id);
        let Some(catcher) = self.catcher_for(state, &f) else {
            return Err(f);
        };
        let name = program.str(state.name);
        let error_output = f.error_output();
        thread.prev = f.event;
        let env = Env { exec: self.info, state: sctx, vars: &thread.vars, context: OnceCell::new() };
        let assigned = match catcher.assign {
            Some(t) => Some(self.eval_assign(t, &error_output, &env, f.event, name)?),
            None => None,
        };
        drop(env);
        let output = self.result_path(
            catcher.result_path_mode,
            catcher.result_path,
            raw,
            error_output,
            f.event,
            name,
        )?;
        self.apply_assign(assigned.as_ref(), thread);
        self.exited(id, &output, assigned.as_ref(), thread);
        Ok(Step::Next(catcher.next, output.into()))
    }

    fn task(
        &mut self,
        id: StateId,
        effective: &Value,
        thread: &mut Thread,
        sctx: &mut StateCtx<'_>,
    ) -> Result<Value, Box<Failure>> {
        let program = self.program;
        let state = program.state(id);
        let task = &program.tables.tasks[state.task.expect("verified").0 as usize];
        let resource = program.str(task.resource);
        let name = program.str(state.name);
        let kind = tasks::classify(resource);
        let (timeout, heartbeat) = (sctx.timeout, sctx.heartbeat);
        let callback = resource.ends_with(".waitForTaskToken");
        let sync = resource.contains(".sync");
        // Scheduled and started.
        let prev = thread.prev;
        let scheduled = match &kind {
            ResourceKind::Lambda => self.emit(prev, "LambdaFunctionScheduled", || {
                let mut d = Map::new();
                d.insert("resource".into(), Value::String(resource.to_owned()));
                d.insert("input".into(), history::text(effective));
                d.insert("inputDetails".into(), history::not_truncated());
                if let Some(t) = timeout {
                    d.insert("timeoutInSeconds".into(), json!(t as i64));
                }
                Some(("lambdaFunctionScheduledEventDetails", Value::Object(d)))
            }),
            ResourceKind::Activity => self.emit(prev, "ActivityScheduled", || {
                let mut d = Map::new();
                d.insert("resource".into(), Value::String(resource.to_owned()));
                d.insert("input".into(), history::text(effective));
                d.insert("inputDetails".into(), history::not_truncated());
                if let Some(t) = timeout {
                    d.insert("timeoutInSeconds".into(), json!(t as i64));
                }
                if let Some(h) = heartbeat {
                    d.insert("heartbeatInSeconds".into(), json!(h as i64));
                }
                Some(("activityScheduledEventDetails", Value::Object(d)))
            }),
            ResourceKind::Service { resource_type, resource: res } => {
                self.emit(prev, "TaskScheduled", || {
                    let mut d = Map::new();
                    d.insert("resourceType".into(), Value::String(resource_type.clone()));
                    d.insert("resource".into(), Value::String(res.clone()));
                    d.insert("region".into(), Value::String("us-east-1".into()));
                    d.insert("parameters".into(), history::text(effective));
                    if let Some(t) = timeout {
                        d.insert("timeoutInSeconds".into(), json!(t as i64));
                    }
                    if let Some(h) = heartbeat {
                        d.insert("heartbeatInSeconds".into(), json!(h as i64));
                    }
                    Some(("taskScheduledEventDetails", Value::Object(d)))
                })
            }
        };
        let started = match &kind {
            ResourceKind::Lambda => self.emit(scheduled, "LambdaFunctionStarted", || None),
            ResourceKind::Activity => {
                self.emit(scheduled, "ActivityStarted", || Some(("activityStartedEventDetails", json!({}))))
            }
            ResourceKind::Service { resource_type, resource: res } => {
                self.emit(scheduled, "TaskStarted", || {
                    Some(("taskStartedEventDetails", json!({"resourceType": resource_type, "resource": res})))
                })
            }
        };
        // The answer, before `TaskSubmitted`: a mocked `.sync` job description names the
        // execution the start call created.
        let n = {
            let counter = self.invocations.entry(id).or_insert(0);
            let n = *counter;
            *counter += 1;
            n
        };
        // Heartbeats are sent by callback receivers and activity workers only.
        let beats = callback || kind == ResourceKind::Activity;
        let heartbeat = heartbeat.filter(|_| beats);
        let started_millis = self.rec.now_millis;
        // Whether the answer came from a process, whose real time has already passed.
        let mut ran = false;
        let answer: Result<(MockAnswer, Timing), Box<Failure>> = match self
            .options
            .mocks
            .as_ref()
            .and_then(|m| m.answer(name, n))
        {
            Some(Ok(m)) => Ok((m.answer.clone(), m.timing.clone())),
            Some(Err(msg)) => Err(Failure::new("aslc.MockExhausted", msg, 0)),
            None => {
                // A handler runs on the real clock: the time limit is the first of the
                // timeout and the heartbeat interval (a handler sends no heartbeats).
                let limit = [timeout, heartbeat]
                    .into_iter()
                    .flatten()
                    .filter(|s| *s > 0.0)
                    .min_by(f64::total_cmp)
                    .map(std::time::Duration::from_secs_f64);
                let began = std::time::Instant::now();
                let handled = tasks::run_handler(&self.options.handlers, resource, effective, limit);
                let elapsed = began.elapsed().as_secs_f64();
                ran = handled.is_some();
                match handled {
                        Some(Handled::Answered(a)) => {
                            // On the virtual clock a handler answers at once.
                            let delay = if self.options.real_clock { elapsed } else { 0.0 };
                            Ok((a, Timing { delay_seconds: delay, heartbeats: Vec::new() }))
                        }
                        Some(Handled::TimedOut) => {
                            // Past the limit: the timing makes the timeout fire below.
                            let delay = limit.map_or(elapsed, |l| l.as_secs_f64()) + 1.0;
                            let dummy = MockAnswer::Return(Value::Null);
                            Ok((dummy, Timing { delay_seconds: delay, heartbeats: Vec::new() }))
                        }
                        None => Err(Failure::new(
                            "aslc.NoHandler",
                            format!(
                                "state `{name}` calls `{resource}`, which has no mock in the test case and no local handler"
                            ),
                            0,
                        )),
                    }
            }
        };
        let mut last = started;
        if callback || sync {
            if let ResourceKind::Service { resource_type, resource: res } = &kind {
                let result = match &answer {
                    Ok((MockAnswer::Return(v), _)) => Some(v),
                    _ => None,
                };
                let submitted = crate::integrations::start_response(
                    resource_type,
                    res,
                    effective,
                    result,
                    self.rec.now_millis,
                    &mut self.rng,
                );
                last = self.emit(started, "TaskSubmitted", || {
                    Some((
                        "taskSubmittedEventDetails",
                        json!({"resourceType": resource_type, "resource": res, "output": history::text(&submitted), "outputDetails": history::not_truncated()}),
                    ))
                });
            }
        }
        let (answer, timing) = match answer {
            Ok(a) => a,
            Err(mut f) => {
                // Harness failures: no mock answer, no handler.
                f.catchable = false;
                f.event = last;
                self.harness_failure = Some(f.clone());
                return Err(f);
            }
        };
        // Time passes on the execution's clock until the answer or a timeout.
        if let Some((after, by_heartbeat)) = fires(&timing, timeout, heartbeat) {
            self.advance_within(started_millis + (after * 1000.0) as i64, ran, last)?;
            let done = match &kind {
                ResourceKind::Lambda => self.emit(last, "LambdaFunctionTimedOut", || {
                    Some(("lambdaFunctionTimedOutEventDetails", json!({"error": "States.Timeout"})))
                }),
                ResourceKind::Activity => self.emit(last, "ActivityTimedOut", || {
                    Some(("activityTimedOutEventDetails", json!({"error": "States.Timeout"})))
                }),
                ResourceKind::Service { resource_type, resource: res } => self.emit(last, "TaskTimedOut", || {
                    Some((
                        "taskTimedOutEventDetails",
                        json!({"resourceType": resource_type, "resource": res, "error": "States.Timeout"}),
                    ))
                }),
            };
            thread.prev = done;
            // A timeout has no cause; the error output's `Cause` is empty (runtime-errors.md §5).
            let mut f = Failure::new("States.Timeout", "", done);
            f.heartbeat = by_heartbeat;
            return Err(f);
        }
        self.advance_within(started_millis + (timing.delay_seconds * 1000.0) as i64, ran, last)?;
        let answer = match answer {
            MockAnswer::Return(v) if size_exceeds(&v, PAYLOAD_LIMIT) => {
                let who = match &kind {
                    ResourceKind::Lambda | ResourceKind::Activity => resource.to_owned(),
                    ResourceKind::Service { resource_type, .. } => resource_type.clone(),
                };
                MockAnswer::Throw {
                    error: "States.DataLimitExceeded".into(),
                    cause: format!(
                        "The state/task '{who}' returned a result with a size exceeding the maximum number of bytes service limit."
                    ),
                }
            }
            other => other,
        };
        match answer {
            MockAnswer::Return(result) => {
                let done = match &kind {
                    ResourceKind::Lambda => self.emit(last, "LambdaFunctionSucceeded", || {
                        Some((
                            "lambdaFunctionSucceededEventDetails",
                            json!({"output": history::text(&result), "outputDetails": history::not_truncated()}),
                        ))
                    }),
                    ResourceKind::Activity => self.emit(last, "ActivitySucceeded", || {
                        Some((
                            "activitySucceededEventDetails",
                            json!({"output": history::text(&result), "outputDetails": history::not_truncated()}),
                        ))
                    }),
                    ResourceKind::Service { resource_type, resource: res } => self.emit(last, "TaskSucceeded", || {
                        Some((
                            "taskSucceededEventDetails",
                            json!({"resourceType": resource_type, "resource": res,
                                   "output": history::text(&result), "outputDetails": history::not_truncated()}),
                        ))
                    }),
                };
                thread.prev = done;
                Ok(result)
            }
            MockAnswer::Throw { error, cause } => {
                let done = match &kind {
                    ResourceKind::Lambda => self.emit(last, "LambdaFunctionFailed", || {
                        Some((
                            "lambdaFunctionFailedEventDetails",
                            history::error_details(Some(&error), Some(&cause)),
                        ))
                    }),
                    ResourceKind::Activity => self.emit(last, "ActivityFailed", || {
                        Some((
                            "activityFailedEventDetails",
                            history::error_details(Some(&error), Some(&cause)),
                        ))
                    }),
                    ResourceKind::Service { resource_type, resource: res } => {
                        self.emit(last, "TaskFailed", || {
                            let mut d = history::error_details(Some(&error), Some(&cause));
                            if let Value::Object(m) = &mut d {
                                m.insert("resourceType".into(), Value::String(resource_type.clone()));
                                m.insert("resource".into(), Value::String(res.clone()));
                            }
                            Some(("taskFailedEventDetails", d))
                        })
                    }
                };
                thread.prev = done;
                Err(Box::new(Failure {
                    error,
                    cause,
                    catchable: true,
                    event: done,
                    no_error: false,
                    no_cause: false,
                    nested: false,
                    heartbeat: false,
                }))
            }
        }
    }

    fn parallel(
        &mut self,
        id: StateId,
        effective: &Value,
        thread: &mut Thread,
    ) -> Result<Value, Box<Failure>> {
        let program = self.program;
        let state = program.state(id);
        let par = &program.tables.parallels[state.parallel.expect("verified").0 as usize];
        let started = self.emit(thread.prev, "ParallelStateStarted", || None);
        let mut results = Vec::with_capacity(par.branches.len as usize);
        let mut last = started;
        for b in par.branches.iter() {
            let scope = program.tables.branches[b.0 as usize].scope;
            let mut branch = Thread { prev: started, vars: thread.vars.clone(), depth: thread.depth + 1 };
            if branch.depth > MAX_DEPTH {
                return Err(Failure::new(
                    "States.Runtime",
                    "Parallel and Map states nest too deeply",
                    started,
                ));
            }
            match self.run_scope(scope, Raw::from(effective.clone()), &mut branch) {
                Ok(v) => {
                    results.push(v);
                    last = branch.prev;
                }
                Err(f) => return Err(Box::new(Failure { nested: true, ..*f })),
            }
        }
        self.emit(last, "ParallelStateSucceeded", || None);
        thread.prev = last;
        Ok(Value::Array(results))
    }

    fn map(
        &mut self,
        id: StateId,
        effective: &Value,
        thread: &mut Thread,
        sctx: &StateCtx<'_>,
    ) -> Result<Value, Box<Failure>> {
        let program = self.program;
        let state = program.state(id);
        let name = program.str(state.name);
        let map = &program.tables.maps[state.map.expect("verified").0 as usize];
        let entered = thread.prev;
        let runtime = |msg: String| {
            Failure::new(
                "States.Runtime",
                format!("An error occurred while executing the state '{name}' (entered at the event id #{entered}). {msg}"),
                entered,
            )
        };
        let jsonata = state.language == Language::Jsonata;
        // Items from an `ItemReader` (distributed only) make `ItemsPath` moot; a reader
        // failure surfaces once the Map Run has started.
        let mut reader_failure: Option<String> = None;
        let read_items = match map.reader_resource.filter(|_| map.distributed) {
            None => None,
            Some(resource) => {
                let max_items = self.reader_max_items(map, effective, thread, sctx, entered, jsonata)?;
                let parameters =
                    self.io_parameters(map.reader_parameters, effective, thread, sctx, entered, jsonata)?;
                let config = map.reader_config.map_or(&Value::Null, |c| program.constant(c));
                if max_items < 0 {
                    reader_failure = Some("field MaxItems must be positive".into());
                    Some(Vec::new())
                } else {
                    let s3 = self.options.s3.as_ref();
                    match distributed::read_items(
                        s3,
                        program.str(resource),
                        &parameters,
                        config,
                        max_items as u64,
                    ) {
                        Ok(items) => Some(items),
                        Err(IoFailure::Failed(cause)) => {
                            reader_failure = Some(cause);
                            Some(Vec::new())
                        }
                        Err(IoFailure::NoS3) => return Err(self.no_s3(name, thread.prev)),
                    }
                }
            }
        };
        // `MapStateStarted.length` is 0 when the items come from a reader.
        let from_reader = read_items.is_some();
        let items: Cow<'_, Value> = if let Some(read) = read_items {
            Cow::Owned(Value::Array(read))
        } else {
            match map.items_path {
                _ if jsonata => match map.items {
                    Some(t) => {
                        let value = self
                            .map_field(t, effective, &thread.vars, sctx, entered, "Items")
                            .map_err(|f| self.map_failed(f))?;
                        if !value.is_array() {
                            let rec = program.template(t);
                            let text =
                                rec.expr.map(|e| jsonata_body(program.expr_text(e))).unwrap_or_default();
                            let cause = format!(
                            "An error occurred while executing the state '{name}' (entered at the event id #{entered}). The JSONata expression '{text}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '{}' for value: {value}",
                            js_type(&value)
                        );
                            let failure = self.evaluation_failed(name, cause, Some("Items"));
                            return Err(self.map_failed(failure));
                        }
                        Cow::Owned(value)
                    }
                    None => Cow::Borrowed(effective),
                },
                Some(p) => {
                    let env =
                        Env { exec: self.info, state: sctx, vars: &thread.vars, context: OnceCell::new() };
                    match self.path(p, effective, &env) {
                        Ok(v) => Cow::Owned(v.into_owned()),
                        Err(m) => {
                            return Err(runtime(format!(
                                "Invalid path '{}' : {}",
                                program.expr_text(p),
                                m.message()
                            )))
                        }
                    }
                }
                None => Cow::Borrowed(effective),
            }
        };
        let Value::Array(items) = &*items else {
            if jsonata {
                let cause = format!(
                    "An error occurred while executing the state '{name}' (entered at the event id #{entered}). Map state input must be an array but was: {items}"
                );
                let failure = self.evaluation_failed(name, cause, None);
                return Err(self.map_failed(failure));
            }
            return Err(runtime(format!(
                "Item reader has failed. Expected the ItemsPath to point to a JSON array but got '{}'",
                items
            )));
        };
        let constant = |t: Option<TmplId>| {
            t.and_then(|t| program.template(t).value).and_then(|c| program.constant(c).as_f64())
        };
        let mut max_concurrency = constant(map.max_concurrency).unwrap_or(0.0);
        let mut started = None;
        let mut tolerated_count = constant(map.tolerated_count);
        let mut tolerated_pct = constant(map.tolerated_percentage);
        if jsonata {
            let fields = [
                (map.max_concurrency, "MaxConcurrency"),
                (map.tolerated_count, "ToleratedFailureCount"),
                (map.tolerated_percentage, "ToleratedFailurePercentage"),
            ];
            for (i, (t, field)) in fields.into_iter().enumerate() {
                let Some(t) = t.filter(|t| !matches!(program.template(*t).kind, TmplKind::Const)) else {
                    continue;
                };
                let number = self
                    .map_field(t, effective, &thread.vars, sctx, entered, field)
                    .map_err(|f| self.map_failed(f))?
                    .as_f64();
                match i {
                    0 => max_concurrency = number.unwrap_or(0.0),
                    1 => tolerated_count = number,
                    _ => tolerated_pct = number,
                }
            }
        }
        {
            let env = Env { exec: self.info, state: sctx, vars: &thread.vars, context: OnceCell::new() };
            let fields = [
                (map.max_concurrency_path, "MaxConcurrencyPath", "integer"),
                (map.tolerated_count_path, "ToleratedFailureCountPath", "integer"),
                (map.tolerated_percentage_path, "ToleratedFailurePercentagePath", "float"),
            ];
            // `MaxConcurrencyPath` is read before the Map starts, the tolerated-failure
            // paths after (as AWS's histories show).
            for (i, (path, field, kind)) in fields.into_iter().enumerate() {
                if i >= 1 && started.is_none() {
                    started = Some(self.emit(thread.prev, "MapStateStarted", || {
                        Some((
                            "mapStateStartedEventDetails",
                            json!({"length": if from_reader { 0 } else { items.len() }}),
                        ))
                    }));
                }
                let Some(p) = path else { continue };
                let text = program.expr_text(p);
                let value = match self.path(p, effective, &env) {
                    Ok(v) => v.into_owned(),
                    Err(m) => return Err(runtime(format!("Invalid path '{text}' : {}", m.message()))),
                };
                let number = match &value {
                    Value::Number(n) if kind == "float" || n.is_i64() || n.is_u64() => n.as_f64(),
                    Value::String(s) if kind == "float" => s.trim().parse::<f64>().ok(),
                    Value::String(s) => s.trim().parse::<i64>().ok().map(|n| n as f64),
                    _ => None,
                };
                let Some(number) = number else {
                    let shown = match &value {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    return Err(runtime(format!(
                        "The {field} field refers to value \"{shown}\" which is not a valid {kind}: {text}"
                    )));
                };
                match i {
                    0 => max_concurrency = number,
                    1 => tolerated_count = Some(number),
                    _ => tolerated_pct = Some(number),
                }
            }
        }
        let started = match started {
            Some(s) => s,
            None => self.emit(thread.prev, "MapStateStarted", || {
                Some((
                    "mapStateStartedEventDetails",
                    json!({"length": if from_reader { 0 } else { items.len() }}),
                ))
            }),
        };
        if tolerated_count.is_some_and(|c| c < 0.0) {
            return Err(runtime("ToleratedFailureCount cannot be negative.".into()));
        }
        if tolerated_pct.is_some_and(|p| !(0.0..=100.0).contains(&p)) {
            return Err(runtime("ToleratedFailurePercentage must be between 0 and 100.".into()));
        }
        let mut run_started = started;
        // The Map Run's ids come from their own generator, so `States.UUID` draws the same
        // values with or without a Distributed Map before it.
        let mut ids = Rng::new(self.options.seed ^ self.transitions.rotate_left(32) ^ 0x6d61_7052_756e);
        let label = map.label.map_or(name, |l| program.str(l));
        let machine = &self.info.machine_name;
        let map_run_id = ids.uuid();
        let map_run_arn = format!("arn:aws:states:{REGION}:{ACCOUNT}:mapRun:{machine}/{label}:{map_run_id}");
        if map.distributed {
            run_started = self.emit(started, "MapRunStarted", || {
                Some(("mapRunStartedEventDetails", json!({"mapRunArn": map_run_arn})))
            });
        }
        if let Some(cause) = reader_failure {
            return Err(self.map_run_failed(run_started, "States.ItemReaderFailed", cause, thread));
        }
        let exporting = map.distributed && map.writer_resource.is_some();
        let mut children: Vec<distributed::Child> = Vec::new();
        // A result nobody reads (`"ResultPath": null`, no `ResultSelector`, no `Assign`)
        // is not kept: a Map over many items then runs in memory bounded by one iteration.
        let keep_results = !(state.result_path_mode == PathMode::Null
            && state.result_selector.is_none()
            && state.assign.is_none());
        let mut results = Vec::with_capacity(if keep_results { items.len() } else { 0 });
        let mut last = started;
        let mut failures = 0usize;
        let batches = self.batches(map, items, effective, thread, sctx, entered, jsonata)?;
        let units: &[Value] = batches.as_ref().map_or(items.as_slice(), |b| &b.inputs);
        for (index, item) in units.iter().enumerate() {
            let input = match &batches {
                Some(_) => item.clone(),
                None => self.iteration_input(map, index, item, effective, thread, sctx, entered, jsonata)?,
            };
            let iter_prev = if map.distributed {
                run_started
            } else {
                let after = if max_concurrency == 1.0 { last } else { started };
                self.emit(after, "MapIterationStarted", || {
                    Some(("mapIterationStartedEventDetails", json!({"name": name, "index": index})))
                })
            };
            let mut iteration =
                Thread { prev: iter_prev, vars: thread.vars.clone(), depth: thread.depth + 1 };
            if iteration.depth > MAX_DEPTH {
                return Err(Failure::new(
                    "States.Runtime",
                    "Parallel and Map states nest too deeply",
                    started,
                ));
            }
            if map.distributed {
                self.rec.muted += 1;
            }
            let child_input = exporting.then(|| input.clone());
            let child_start = self.rec.now_millis;
            let outcome = self.run_scope(map.processor, Raw::from(input), &mut iteration);
            if let Some(input) = child_input {
                if self.harness_failure.is_none() {
                    children.push(distributed::Child {
                        name: ids.uuid(),
                        input,
                        outcome: match &outcome {
                            Ok(v) => Ok(v.clone()),
                            Err(f) => Err((
                                (!f.no_error).then(|| f.error.clone()),
                                (!f.no_cause).then(|| f.cause.clone()),
                            )),
                        },
                        start_millis: child_start,
                        stop_millis: self.rec.now_millis,
                    });
                }
            }
            if map.distributed {
                self.rec.muted -= 1;
            }
            match outcome {
                Ok(v) => {
                    if keep_results && !exporting {
                        results.push(v);
                    }
                    if map.distributed {
                        continue;
                    }
                    last = self.emit(iteration.prev, "MapIterationSucceeded", || {
                        Some(("mapIterationSucceededEventDetails", json!({"name": name, "index": index})))
                    });
                }
                Err(f) => {
                    if self.harness_failure.is_some() {
                        return Err(f);
                    }
                    if map.distributed {
                        // Every item of a failed batch counts.
                        failures += batches.as_ref().map_or(1, |b| b.sizes[index]);
                        let pct_ok =
                            tolerated_pct.is_some_and(|p| failures as f64 * 100.0 / items.len() as f64 <= p);
                        let count_ok = tolerated_count.is_some_and(|c| failures as f64 <= c);
                        if pct_ok || count_ok {
                            if !exporting {
                                results.push(f.error_output());
                            }
                            continue;
                        }
                        let run_failed = self.emit(run_started, "MapRunFailed", || {
                            Some((
                                "mapRunFailedEventDetails",
                                history::error_details(
                                    Some("States.ExceedToleratedFailureThreshold"),
                                    Some("The specified tolerated failure threshold was exceeded"),
                                ),
                            ))
                        });
                        let failed = self.emit(run_failed, "MapStateFailed", || None);
                        thread.prev = failed;
                        return Err(Box::new(Failure {
                            error: "States.ExceedToleratedFailureThreshold".into(),
                            cause: "The specified tolerated failure threshold was exceeded".into(),
                            catchable: true,
                            event: failed,
                            no_error: false,
                            no_cause: false,
                            nested: false,
                            heartbeat: false,
                        }));
                    }
                    self.emit(f.event, "MapIterationFailed", || {
                        Some(("mapIterationFailedEventDetails", json!({"name": name, "index": index})))
                    });
                    return Err(Box::new(Failure { nested: true, ..*f }));
                }
            }
        }
        if map.distributed {
            let writer_config = map.writer_config.map_or(&Value::Null, |c| program.constant(c));
            if exporting {
                let parameters =
                    self.io_parameters(map.writer_parameters, effective, thread, sctx, entered, jsonata)?;
                let export = distributed::Export {
                    parameters: &parameters,
                    config: writer_config,
                    map_run_arn: &map_run_arn,
                    map_run_id: &map_run_id,
                    child_machine_arn: &format!(
                        "arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{machine}/{label}"
                    ),
                };
                match distributed::write_results(self.options.s3.as_ref(), &export, &children) {
                    Ok(summary) => results = vec![summary],
                    Err(IoFailure::Failed(cause)) => {
                        return Err(self.map_run_failed(
                            run_started,
                            "States.ResultWriterFailed",
                            cause,
                            thread,
                        ))
                    }
                    Err(IoFailure::NoS3) => return Err(self.no_s3(name, thread.prev)),
                }
            } else if !writer_config.is_null() {
                results = distributed::transform(writer_config, results);
            }
            let run_done = self.emit(run_started, "MapRunSucceeded", || None);
            self.emit(run_done, "MapStateSucceeded", || None);
            thread.prev = run_started;
        } else {
            self.emit(last, "MapStateSucceeded", || None);
            thread.prev = last;
        }
        if exporting {
            return Ok(results.pop().unwrap_or_default());
        }
        Ok(Value::Array(results))
    }

    /// `MapRunFailed` and `MapStateFailed` for a Map Run that cannot go on.
    fn map_run_failed(
        &mut self,
        run_started: u64,
        error: &str,
        cause: String,
        thread: &mut Thread,
    ) -> Box<Failure> {
        let run_failed = self.emit(run_started, "MapRunFailed", || {
            Some(("mapRunFailedEventDetails", history::error_details(Some(error), Some(&cause))))
        });
        let failed = self.emit(run_failed, "MapStateFailed", || None);
        thread.prev = failed;
        Failure::new(error, cause, failed)
    }

    /// The harness failure of a Distributed Map that reads or writes S3 without a local
    /// S3 folder.
    fn no_s3(&mut self, name: &str, event: u64) -> Box<Failure> {
        let mut f = Failure::new(
            "aslc.NoS3",
            format!(
                "state `{name}` reads or writes S3 objects, but the run has no local S3 folder (`--s3-dir`)"
            ),
            event,
        );
        f.catchable = false;
        self.harness_failure = Some(f.clone());
        f
    }

    /// The evaluated `Parameters` (JSONPath) or `Arguments` (JSONata) of an `ItemReader`
    /// or `ResultWriter`: `{}` without any.
    fn io_parameters(
        &mut self,
        t: Option<TmplId>,
        effective: &Value,
        thread: &Thread,
        sctx: &StateCtx<'_>,
        entered: u64,
        jsonata: bool,
    ) -> Result<Value, Box<Failure>> {
        let Some(t) = t else { return Ok(Value::Object(Map::new())) };
        if jsonata {
            return self.map_field(t, effective, &thread.vars, sctx, entered, "Arguments");
        }
        let env = Env { exec: self.info, state: sctx, vars: &thread.vars, context: OnceCell::new() };
        self.template(t, effective, &env, entered, sctx.name)
    }

    /// `ReaderConfig.MaxItems` or `MaxItemsPath`, clipped at 100,000,000; 0 without one.
    fn reader_max_items(
        &mut self,
        map: &MapRec,
        effective: &Value,
        thread: &Thread,
        sctx: &StateCtx<'_>,
        entered: u64,
        jsonata: bool,
    ) -> Result<i64, Box<Failure>> {
        const CEILING: i64 = 100_000_000;
        let field = (map.reader_max_items, map.reader_max_items_path, "MaxItems");
        let n = self.integer_field(field, effective, thread, sctx, entered, jsonata)?;
        Ok(n.map_or(0, |n| n.min(CEILING)))
    }

    /// An integer Map field given as a literal, a JSONata expression or a `…Path` (named
    /// `field` + `Path`); `None` when absent. A path to something other than an integer
    /// is `States.Runtime` (runtime-map-parallel.md §4.2).
    fn integer_field(
        &mut self,
        (literal, path, field): (Option<TmplId>, Option<ExprId>, &str),
        effective: &Value,
        thread: &Thread,
        sctx: &StateCtx<'_>,
        entered: u64,
        jsonata: bool,
    ) -> Result<Option<i64>, Box<Failure>> {
        let program = self.program;
        let name = sctx.name;
        let value = match (literal, path) {
            (Some(t), _) if jsonata => self.map_field(t, effective, &thread.vars, sctx, entered, field)?,
            (Some(t), _) => program.template(t).value.map_or(Value::Null, |c| program.constant(c).clone()),
            (None, Some(p)) => {
                let env = Env { exec: self.info, state: sctx, vars: &thread.vars, context: OnceCell::new() };
                let text = program.expr_text(p);
                let prefix = format!(
                    "An error occurred while executing the state '{name}' (entered at the event id #{entered})."
                );
                let value = match self.path(p, effective, &env) {
                    Ok(v) => v.into_owned(),
                    Err(m) => {
                        return Err(Failure::new(
                            "States.Runtime",
                            format!("{prefix} Invalid path '{text}' : {}", m.message()),
                            entered,
                        ))
                    }
                };
                if value.as_i64().is_none() {
                    let shown = match &value {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    return Err(Failure::new(
                        "States.Runtime",
                        format!("{prefix} The {field}Path field refers to value \"{shown}\" which is not a valid integer: {text}"),
                        entered,
                    ));
                }
                value
            }
            (None, None) => return Ok(None),
        };
        Ok(value.as_f64().map(|n| n as i64))
    }

    /// The input of iteration `index` over `item`: the `ItemSelector`'s value, else the item.
    #[allow(clippy::too_many_arguments)]
    fn iteration_input(
        &mut self,
        map: &MapRec,
        index: usize,
        item: &Value,
        effective: &Value,
        thread: &Thread,
        sctx: &StateCtx<'_>,
        entered: u64,
        jsonata: bool,
    ) -> Result<Value, Box<Failure>> {
        let Some(t) = map.item_selector else { return Ok(item.clone()) };
        let item_ctx = StateCtx {
            name: sctx.name,
            entered_millis: sctx.entered_millis,
            retry_count: sctx.retry_count,
            task_token: None,
            map_item: Some((index, item)),
            timeout: None,
            heartbeat: None,
        };
        if jsonata {
            return self.map_field(t, effective, &thread.vars, &item_ctx, entered, "ItemSelector");
        }
        let env = Env { exec: self.info, state: &item_ctx, vars: &thread.vars, context: OnceCell::new() };
        self.template(t, effective, &env, entered, sctx.name)
    }

    /// The children's inputs of a Distributed Map with an `ItemBatcher`
    /// (runtime-map-parallel.md §4.3): `{"Items": […], "BatchInput": …}`, filled in item
    /// order (after `ItemSelector`) until `MaxItemsPerBatch` items or
    /// `MaxInputBytesPerBatch` bytes of input would be exceeded; `None` without a batcher.
    #[allow(clippy::too_many_arguments)]
    fn batches(
        &mut self,
        map: &MapRec,
        items: &[Value],
        effective: &Value,
        thread: &Thread,
        sctx: &StateCtx<'_>,
        entered: u64,
        jsonata: bool,
    ) -> Result<Option<Batches>, Box<Failure>> {
        let batching = map.batch_max_items.is_some()
            || map.batch_max_items_path.is_some()
            || map.batch_max_bytes.is_some()
            || map.batch_max_bytes_path.is_some();
        if !map.distributed || !batching {
            return Ok(None);
        }
        let field = (map.batch_max_items, map.batch_max_items_path, "MaxItemsPerBatch");
        let max_items = self.integer_field(field, effective, thread, sctx, entered, jsonata)?;
        let field = (map.batch_max_bytes, map.batch_max_bytes_path, "MaxInputBytesPerBatch");
        let max_bytes = self.integer_field(field, effective, thread, sctx, entered, jsonata)?;
        let max_items = max_items.filter(|n| *n > 0).map(|n| n as usize);
        let max_bytes = max_bytes.filter(|n| *n > 0).map(|n| n as usize);
        let batch_input = match map.batch_input {
            Some(t) => Some(self.io_parameters(Some(t), effective, thread, sctx, entered, jsonata)?),
            None => None,
        };
        // `{"Items":[]}` plus `,"BatchInput":…`.
        let base = 12 + batch_input.as_ref().map_or(0, |b| 14 + b.to_string().len());
        let mut out = Batches { inputs: Vec::new(), sizes: Vec::new() };
        let mut current: Vec<Value> = Vec::new();
        let mut bytes = base;
        let flush = |current: &mut Vec<Value>, out: &mut Batches| {
            let mut child = Map::new();
            out.sizes.push(current.len());
            child.insert("Items".into(), Value::Array(std::mem::take(current)));
            if let Some(b) = &batch_input {
                child.insert("BatchInput".into(), b.clone());
            }
            out.inputs.push(Value::Object(child));
        };
        for (index, item) in items.iter().enumerate() {
            let input = self.iteration_input(map, index, item, effective, thread, sctx, entered, jsonata)?;
            let len = input.to_string().len();
            // A comma before every item but the first.
            let full = max_items.is_some_and(|m| current.len() >= m)
                || max_bytes.is_some_and(|m| bytes + 1 + len > m);
            if full && !current.is_empty() {
                flush(&mut current, &mut out);
                bytes = base;
            }
            bytes += len + usize::from(!current.is_empty());
            current.push(input);
        }
        if !current.is_empty() {
            flush(&mut current, &mut out);
        }
        Ok(Some(out))
    }

    /// A JSONata-mode state: every expression goes through the query engine.
    fn step_jsonata(
        &mut self,
        id: StateId,
        raw: &Raw<'p>,
        thread: &mut Thread,
        entered: u64,
        sctx: &mut StateCtx<'_>,
    ) -> Result<Step<'p>, Box<Failure>> {
        let program = self.program;
        let state = program.state(id);
        let name = program.str(state.name);
        // The context as the state was entered: later changes to `sctx` (a task token, the
        // timeouts) are not part of it.
        let info = self.info;
        let facts = sctx.clone();
        let states = States::lazy(raw, move || info.context(&facts)).with_prepared(raw.prepared());
        let eval = |vm: &mut Vm<'_>, t: TmplId, extra: Option<(&str, &Value)>, vars: &Vars, field: &str| {
            vm.jsonata_template(t, &states, extra, vars, entered, name, field)
        };
        // Leaving the state: `Output` (else `plain`, what the state passes on without one)
        // and `Assign`, both evaluated before any variable changes, with `extra` in
        // `$states`; then the assignment and the exit event.
        let finish = |vm: &mut Vm<'_>,
                      thread: &mut Thread,
                      extra: Option<(&str, &Value)>,
                      plain: &dyn Fn() -> Raw<'p>,
                      output: Option<TmplId>,
                      assign: Option<TmplId>|
         -> Result<Raw<'p>, Box<Failure>> {
            let output = match output {
                Some(t) => vm.jsonata_output(t, &states, extra, &thread.vars, entered, name)?,
                None => plain(),
            };
            let assigned = match assign {
                Some(t) => match eval(vm, t, extra, &thread.vars, "Assign")? {
                    Value::Object(m) => Some(m),
                    _ => None,
                },
                None => None,
            };
            vm.apply_assign(assigned.as_ref(), thread);
            vm.exited(id, &output, assigned.as_ref(), thread);
            Ok(output)
        };
        match state.kind {
            StateKind::Pass | StateKind::Succeed | StateKind::Wait => {
                if state.kind == StateKind::Wait {
                    let wait = &program.tables.waits[state.wait.expect("verified").0 as usize];
                    let secs = match wait.seconds {
                        Some(t) => Some(eval(self, t, None, &thread.vars, "Seconds")?),
                        None => None,
                    };
                    if let Some(s) = secs.as_ref().and_then(Value::as_f64) {
                        let until = self.rec.now_millis + (s * 1000.0) as i64;
                        self.sleep_until(until);
                    }
                    if let Some(t) = wait.timestamp {
                        let value = eval(self, t, None, &thread.vars, "Timestamp")?;
                        let text = match &value {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        match timestamp::parse_timestamp(&text) {
                            Ok(ts) => self.sleep_until(ts.unix_millis()),
                            Err(_) => {
                                let cause = format!(
                                    "An error occurred while executing the state '{name}' (entered at the event id #{entered}). The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {text}"
                                );
                                return Err(self.evaluation_failed(name, cause, Some("Timestamp")));
                            }
                        }
                    }
                }
                let result = finish(self, thread, None, &|| raw.clone(), state.output, state.assign)?;
                if state.kind == StateKind::Succeed {
                    return Ok(Step::End(result));
                }
                self.next_or_end(state, result)
            }
            StateKind::Fail => {
                let fail = &program.tables.fails[state.fail.expect("verified").0 as usize];
                let error = match fail.error {
                    Some(t) => eval(self, t, None, &thread.vars, "Error")?.as_str().map(str::to_owned),
                    None => None,
                };
                let cause = match fail.cause {
                    Some(t) => eval(self, t, None, &thread.vars, "Cause")?.as_str().map(str::to_owned),
                    None => None,
                };
                Err(Box::new(Failure {
                    no_error: error.is_none(),
                    no_cause: cause.is_none(),
                    error: error.unwrap_or_default(),
                    cause: cause.unwrap_or_default(),
                    catchable: true,
                    event: entered,
                    nested: false,
                    heartbeat: false,
                }))
            }
            StateKind::Choice => {
                let choice = &program.tables.choices[state.choice.expect("verified").0 as usize];
                for rule_id in choice.rules.iter() {
                    let rule = &program.tables.rules[rule_id.0 as usize];
                    let cond = &program.tables.conditions[rule.condition.0 as usize];
                    let Some(t) = cond.expr else { continue };
                    if eval(self, t, None, &thread.vars, "Condition")? == Value::Bool(true) {
                        let output = finish(
                            self,
                            thread,
                            None,
                            &|| raw.clone(),
                            rule.output.or(state.output),
                            rule.assign,
                        )?;
                        return Ok(Step::Next(rule.next, output));
                    }
                }
                match choice.default {
                    Some(d) => {
                        let output = finish(self, thread, None, &|| raw.clone(), state.output, state.assign)?;
                        Ok(Step::Next(d, output))
                    }
                    None => Err(Failure::new(
                        "States.NoChoiceMatched",
                        format!("No Matches! at state '{name}'"),
                        entered,
                    )),
                }
            }
            StateKind::Task | StateKind::Parallel | StateKind::Map => {
                if let Some(task) = state.task {
                    let task = &program.tables.tasks[task.0 as usize];
                    if let Err(msg) = self.prepare_task(task, raw.json(), sctx, &thread.vars) {
                        return Err(Failure::new(
                            "States.Runtime",
                            format!("An error occurred while executing the state '{name}' (entered at the event id #{entered}). {msg}"),
                            entered,
                        ));
                    }
                    let fields = [(task.timeout, "TimeoutSeconds"), (task.heartbeat, "HeartbeatSeconds")];
                    for (i, (t, field)) in fields.into_iter().enumerate() {
                        let Some(t) = t.filter(|t| !matches!(program.template(*t).kind, TmplKind::Const))
                        else {
                            continue;
                        };
                        let seconds = eval(self, t, None, &thread.vars, field)?.as_f64();
                        if i == 0 {
                            sctx.timeout = seconds;
                        } else {
                            sctx.heartbeat = seconds;
                        }
                    }
                }
                let args = match state.arguments {
                    Some(t) => eval(self, t, None, &thread.vars, "Arguments")?,
                    None => raw.json().clone(),
                };
                match self.with_retry(id, &args, thread, entered, sctx) {
                    Ok(result) => {
                        let extra = Some(("result", &result));
                        let plain = || Raw::from(result.clone());
                        let output = finish(self, thread, extra, &plain, state.output, state.assign)?;
                        self.next_or_end(state, output)
                    }
                    Err(f) => {
                        let Some(catcher) = self.catcher_for(state, &f) else {
                            return Err(f);
                        };
                        let error_output = f.error_output();
                        thread.prev = f.event;
                        let extra = Some(("errorOutput", &error_output));
                        let output = finish(
                            self,
                            thread,
                            extra,
                            &|| Raw::from(error_output.clone()),
                            catcher.output,
                            catcher.assign,
                        )?;
                        Ok(Step::Next(catcher.next, output))
                    }
                }
            }
        }
    }

    /// Evaluates a state's `Output` template, whose value becomes the next state's input: an
    /// expression's value stays in the engine's form when the engine gives it so.
    fn jsonata_output<'v>(
        &mut self,
        t: TmplId,
        states: &States<'_>,
        extra: Option<(&str, &Value)>,
        vars: &Vars,
        entered: u64,
        name: &str,
    ) -> Result<Raw<'v>, Box<Failure>> {
        let rec = self.program.template(t);
        if rec.kind != TmplKind::Expr {
            return self.jsonata_template(t, states, extra, vars, entered, name, "Output").map(Raw::from);
        }
        let expr = rec.expr.expect("verified");
        Ok(match self.jsonata_expr(expr, states, extra, vars, entered, name, "Output", true)? {
            Output::Json(json) => Raw::from(json),
            Output::Engine(value) => Raw::Engine(Rc::new(EngineOutput { value, json: OnceCell::new() })),
        })
    }

    /// Evaluates a JSONata-mode template: literals as they are, `{% %}` strings through
    /// the query engine.
    #[allow(clippy::too_many_arguments)]
    fn jsonata_template(
        &mut self,
        t: TmplId,
        states: &States<'_>,
        extra: Option<(&str, &Value)>,
        vars: &Vars,
        entered: u64,
        name: &str,
        field: &str,
    ) -> Result<Value, Box<Failure>> {
        let program = self.program;
        let rec = program.template(t);
        match rec.kind {
            TmplKind::Const => Ok(program.constant(rec.value.expect("verified")).clone()),
            TmplKind::Object => {
                let mut out = Map::new();
                for m in rec.members.iter() {
                    let member = &program.tables.members[m.0 as usize];
                    let k = program.str(member.key);
                    let at = format!("{field}/{k}");
                    let v = self.jsonata_template(member.value, states, extra, vars, entered, name, &at)?;
                    out.insert(k.to_owned(), v);
                }
                Ok(Value::Object(out))
            }
            TmplKind::Array => {
                let mut out = Vec::new();
                for (i, it) in rec.items.iter().enumerate() {
                    let item = &program.tables.items[it.0 as usize];
                    let at = format!("{field}[{i}]");
                    out.push(self.jsonata_template(item.value, states, extra, vars, entered, name, &at)?);
                }
                Ok(Value::Array(out))
            }
            TmplKind::Expr => {
                let expr = rec.expr.expect("verified");
                Ok(match self.jsonata_expr(expr, states, extra, vars, entered, name, field, false)? {
                    Output::Json(json) => json,
                    Output::Engine(value) => value.to_json(),
                })
            }
        }
    }

    /// Evaluates a `{% %}` expression; `output`: its value becomes the next state's input,
    /// and may stay in the engine's form.
    #[allow(clippy::too_many_arguments)]
    fn jsonata_expr(
        &mut self,
        expr: ExprId,
        states: &States<'_>,
        extra: Option<(&str, &Value)>,
        vars: &Vars,
        entered: u64,
        name: &str,
        field: &str,
        output: bool,
    ) -> Result<Output, Box<Failure>> {
        let program = self.program;
        let text = program.expr_text(expr);
        let Compiled::Jsonata(e) = program.expr(expr) else {
            return Err(Failure::new(
                "States.QueryEvaluationError",
                "a JSONPath expression in a JSONata state",
                entered,
            ));
        };
        let bindings = Bindings { variables: vars, states, extra };
        let fail = |vm: &mut Vm<'_>, cause: String| vm.evaluation_failed(name, cause, Some(field));
        let evaluated = if output {
            self.options.engine.evaluate_output(e, None, &bindings)
        } else {
            self.options.engine.evaluate(e, None, &bindings).map(|value| value.map(Output::Json))
        };
        match evaluated {
                    Ok(Some(v)) => Ok(v),
                    Ok(None) => Err(fail(
                        self,
                        format!(
                            "An error occurred while executing the state '{name}' (entered at the event id #{entered}). The JSONata expression '{}' specified for the field '{field}' returned nothing (undefined).",
                            jsonata_body(text)
                        ),
                    )),
                    Err(QueryError::Unsupported) => Err(fail(
                        self,
                        format!(
                            "An error occurred while executing the state '{name}' (entered at the event id #{entered}). The JSONata expression '{}' specified for the field '{field}' returned an unsupported result type.",
                            jsonata_body(text)
                        ),
                    )),
                    Err(QueryError::Threw(msg)) => Err(fail(
                        self,
                        format!(
                            "An error occurred while executing the state '{name}' (entered at the event id #{entered}). The JSONata expression '{}' specified for the field '{field}' threw an error during evaluation. {msg}",
                            jsonata_body(text)
                        ),
                    )),
                }
    }
}

impl Vm<'_> {
    /// A `States.QueryEvaluationError` with its `EvaluationFailed` event; `location` is the
    /// field whose expression failed, when one did.
    fn evaluation_failed(&mut self, name: &str, cause: String, location: Option<&str>) -> Box<Failure> {
        let prev = self.evaluation_prev;
        let event = self.emit(prev, "EvaluationFailed", || {
            let mut details = json!({"state": name, "error": "States.QueryEvaluationError", "cause": cause});
            if let Some(location) = location {
                details["location"] = json!(location);
            }
            Some(("evaluationFailedEventDetails", details))
        });
        Failure::new("States.QueryEvaluationError", cause, event)
    }

    /// A Map state failing before its iterations start: `MapStateFailed` follows the
    /// failure's event.
    fn map_failed(&mut self, mut failure: Box<Failure>) -> Box<Failure> {
        failure.event = self.emit(failure.event, "MapStateFailed", || None);
        failure
    }

    /// The value of a JSONata-mode Map field (`Items`, `MaxConcurrency`, …): `$states.input`
    /// is the state's input.
    fn map_field(
        &mut self,
        t: TmplId,
        effective: &Value,
        vars: &Vars,
        sctx: &StateCtx<'_>,
        entered: u64,
        field: &str,
    ) -> Result<Value, Box<Failure>> {
        let info = self.info;
        let states = States::new(effective, || info.context(sctx));
        self.jsonata_template(t, &states, None, vars, entered, sctx.name, field)
    }
}

/// The failure of an execution that reached its `TimeoutSeconds` or the service's
/// ceiling, after event `event`: not catchable, and `ExecutionTimedOut` ends the history.
/// The failure of an intrinsic call in the template member `key` of state `name`.
fn intrinsic_failure(e: IntrinsicError, data: &Value, entered: u64, name: &str, key: &str) -> Box<Failure> {
    match e {
        IntrinsicError::PathMissing(p) => Failure::new(
            "States.Runtime",
            format!(
                "An error occurred while executing the state '{name}' (entered at the event id #{entered}). The JSONPath '{p}' specified for the field '{key}.$' could not be found in the input '{data}'"
            ),
            entered,
        ),
        IntrinsicError::Failed(msg) => Failure::new(
            "States.IntrinsicFailure",
            format!(
                "An error occurred while executing the state '{name}' (entered at the event id #{entered}). {msg}"
            ),
            entered,
        ),
    }
}

fn execution_timed_out(event: u64) -> Box<Failure> {
    Box::new(Failure {
        error: "States.Timeout".into(),
        cause: "execution timed out".into(),
        catchable: false,
        event,
        no_error: false,
        no_cause: false,
        nested: false,
        heartbeat: false,
    })
}

/// The children's inputs of a batching Distributed Map and how many items each holds.
struct Batches {
    inputs: Vec<Value>,
    sizes: Vec<usize>,
}

/// JavaScript's name of a JSON value's type, as AWS's messages give it.
fn js_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn jsonata_body(text: &str) -> &str {
    let t = text.trim();
    t.strip_prefix("{%").and_then(|t| t.strip_suffix("%}")).map(str::trim).unwrap_or(t)
}

/// When a task attempt times out, in seconds after it started, and whether a missed
/// heartbeat fired it: the answer arrives `timing.delay_seconds` after the start; the
/// worker's heartbeats at `timing.heartbeats` (runtime-tasks.md §7). An answer exactly at
/// the limit is in time.
fn fires(timing: &Timing, timeout: Option<f64>, heartbeat: Option<f64>) -> Option<(f64, bool)> {
    let delay = timing.delay_seconds;
    let by_timeout = timeout.filter(|t| delay > *t).map(|t| (t, false));
    let by_heartbeat = heartbeat.and_then(|interval| {
        let mut last_beat = 0.0;
        for &beat in timing.heartbeats.iter().filter(|b| **b < delay).chain(std::iter::once(&delay)) {
            if beat - last_beat > interval {
                return Some((last_beat + interval, true));
            }
            last_beat = beat;
        }
        None
    });
    match (by_timeout, by_heartbeat) {
        (Some(t), Some(h)) => Some(if h.0 < t.0 { h } else { t }),
        (t, h) => t.or(h),
    }
}

fn seconds_until(secs: f64, entered_millis: i64) -> Result<i64, String> {
    if secs >= 2_147_483_648.0 {
        return Err("Wait state delay is too long.".into());
    }
    Ok(entered_millis + (secs * 1000.0) as i64)
}

fn entered_type(kind: StateKind) -> &'static str {
    match kind {
        StateKind::Pass => "PassStateEntered",
        StateKind::Task => "TaskStateEntered",
        StateKind::Choice => "ChoiceStateEntered",
        StateKind::Wait => "WaitStateEntered",
        StateKind::Succeed => "SucceedStateEntered",
        StateKind::Fail => "FailStateEntered",
        StateKind::Parallel => "ParallelStateEntered",
        StateKind::Map => "MapStateEntered",
    }
}

fn exited_type(kind: StateKind) -> &'static str {
    match kind {
        StateKind::Pass => "PassStateExited",
        StateKind::Task => "TaskStateExited",
        StateKind::Choice => "ChoiceStateExited",
        StateKind::Wait => "WaitStateExited",
        StateKind::Succeed => "SucceedStateExited",
        StateKind::Fail => "FailStateExited",
        StateKind::Parallel => "ParallelStateExited",
        StateKind::Map => "MapStateExited",
    }
}
