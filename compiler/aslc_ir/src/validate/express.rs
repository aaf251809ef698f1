//! Express workflows (runtime-workflow-types.md §2): the integration patterns and
//! activities an Express execution cannot use, and the lints about its five-minute limit
//! and at-least-once delivery.
//!
//! A state runs in an Express execution when the machine is Express and no Distributed
//! Map encloses it, or when the nearest enclosing Distributed Map has
//! `"ExecutionType": "EXPRESS"` (its children are Express executions, whatever the
//! parent's type). The machine-level rules apply only when checking with
//! [`WorkflowType::Express`], as AWS applies them only for `type: EXPRESS`.

use aslc_source::{Diagnostic, Severity, TextRange};

use super::resource::{self, Integration, Known, Pattern, Resource};
use crate::ir::{
    Definition, Dyn, Retrier, ScopeId, ScopeKind, State, StateId, StateKind, Task, Template, Wait,
    WorkflowType,
};
use crate::rules::declare_rules;
use crate::CheckOptions;

declare_rules! { @spec "runtime-workflow-types.md";
    /// ## What it does
    /// Reports a `.sync` integration in an Express state machine.
    ///
    /// ## Why is this bad?
    /// Express executions support Request Response only; AWS answers `Express state
    /// machine does not support '.sync' service integration`.
    ///
    /// ## Example
    /// ```json
    /// "Run": { "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync", "End": true }
    /// ```
    /// ## Use instead
    /// Start the job with Request Response and poll it, or make the machine Standard.
    R_EXP_SYNC = "R-EXP-SYNC", Error, Some("SCHEMA_VALIDATION_FAILED"), "no `.sync` integration in an Express state machine";
    /// ## What it does
    /// Reports a `.sync:2` integration in an Express state machine.
    ///
    /// ## Why is this bad?
    /// Express executions support Request Response only; AWS rejects the definition.
    ///
    /// ## Use instead
    /// Start the child with Request Response, or make the machine Standard.
    R_EXP_SYNC2 = "R-EXP-SYNC2", Error, Some("SCHEMA_VALIDATION_FAILED"), "no `.sync:2` integration in an Express state machine";
    /// ## What it does
    /// Reports a `.waitForTaskToken` integration in an Express state machine.
    ///
    /// ## Why is this bad?
    /// Express executions cannot wait for callbacks; AWS answers `Express state machine
    /// does not support '.waitForTaskToken' service integration`.
    ///
    /// ## Example
    /// ```json
    /// "Ask": { "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": true }
    /// ```
    /// ## Use instead
    /// Send the message with Request Response, or make the machine Standard.
    R_EXP_CALLBACK = "R-EXP-CALLBACK", Error, Some("SCHEMA_VALIDATION_FAILED"), "no `.waitForTaskToken` integration in an Express state machine";
    /// ## What it does
    /// Reports an activity ARN as a Task `Resource` in an Express state machine.
    ///
    /// ## Why is this bad?
    /// Activities are a Standard-only feature; AWS answers `Express state machine does not
    /// support Activity ARN`.
    ///
    /// ## Use instead
    /// Call the worker through Lambda or an integration, or make the machine Standard.
    R_EXP_ACTIVITY = "R-EXP-ACTIVITY", Error, Some("SCHEMA_VALIDATION_FAILED"), "no activity task in an Express state machine";
    /// ## What it does
    /// Reports `.sync`, `.sync:2`, `.waitForTaskToken` or an activity inside the
    /// processor of a Distributed Map whose `ExecutionType` is `EXPRESS`, whatever the
    /// machine's own type.
    ///
    /// ## Why is this bad?
    /// Each child of such a Map is an Express execution, with the same restrictions as an
    /// Express state machine.
    ///
    /// ## Use instead
    /// `"ExecutionType": "STANDARD"` for children that wait for jobs or callbacks.
    R_EXP_DMAP_CHILD = "R-EXP-DMAP-CHILD", Error, Some("SCHEMA_VALIDATION_FAILED"), "the children of an `EXPRESS` Distributed Map obey the Express rules";
    /// ## What it does
    /// Warns about a Distributed Map in an Express state machine.
    ///
    /// ## Why is this bad?
    /// Distributed Map is documented for Standard parents; an Express parent ends within
    /// five minutes, usually long before its Map Run.
    ///
    /// ## Use instead
    /// Run the Distributed Map from a Standard state machine.
    R_EXP_DMAP = "R-EXP-DMAP", Warn, None, "no Distributed Map in an Express state machine";
    /// ## What it does
    /// Warns about a Wait with a literal `Seconds` above 300 in an Express execution.
    ///
    /// ## Why is this bad?
    /// Express executions end after five minutes; the execution times out while waiting.
    ///
    /// ## Use instead
    /// Wait less, or make the machine Standard.
    R_EXP_WAIT = "R-EXP-WAIT", Warn, None, "an Express Wait is shorter than the five-minute limit";
    /// ## What it does
    /// Warns about a top-level `TimeoutSeconds` above 300 in an Express state machine.
    ///
    /// ## Why is this bad?
    /// An Express execution ends after five minutes anyway; the timeout never fires.
    ///
    /// ## Use instead
    /// A timeout of at most 300 seconds, or none.
    R_EXP_TIMEOUT = "R-EXP-TIMEOUT", Warn, None, "an Express machine's `TimeoutSeconds` is within five minutes";
    /// ## What it does
    /// Warns about a Task `TimeoutSeconds` or `HeartbeatSeconds` above 300 in an Express
    /// execution.
    ///
    /// ## Why is this bad?
    /// The execution ends after five minutes, before the timeout can fire.
    ///
    /// ## Use instead
    /// A timeout of at most 300 seconds.
    R_EXP_TASK_TIMEOUT = "R-EXP-TASK-TIMEOUT", Warn, None, "Express task timeouts are within five minutes";
    /// ## What it does
    /// Warns about a retrier whose worst-case total delay (every retry at its full, capped
    /// delay) exceeds 300 seconds in an Express execution.
    ///
    /// ## Why is this bad?
    /// The execution ends after five minutes, so the last retries never happen.
    ///
    /// ## Example
    /// ```json
    /// "Retry": [ { "ErrorEquals": ["States.ALL"], "IntervalSeconds": 10, "MaxAttempts": 6, "BackoffRate": 2 } ]
    /// ```
    /// ## Use instead
    /// Fewer attempts, a smaller backoff, or `MaxDelaySeconds`.
    R_EXP_RETRY_BUDGET = "R-EXP-RETRY-BUDGET", Warn, None, "Express retriers fit in five minutes";
    /// ## What it does
    /// Notes a task with a side effect that repeats if the Express execution runs twice:
    /// `sqs:sendMessage` to a non-FIFO queue, `sns:publish` to a non-FIFO topic (when the
    /// queue or topic is written literally),
    /// `dynamodb:putItem`/`updateItem` without a `ConditionExpression`,
    /// `states:startExecution` without a `Name`.
    ///
    /// ## Why is this bad?
    /// Asynchronous Express executions are at-least-once: the whole execution may run
    /// more than once.
    ///
    /// ## Use instead
    /// Make the call idempotent: a FIFO queue or topic with a deduplication id, a
    /// condition, an execution name.
    R_EXP_IDEMPOTENCY = "R-EXP-IDEMPOTENCY", Info, None, "Express side effects are idempotent";
    /// ## What it does
    /// Notes a Request Response `startExecution` in an Express execution.
    ///
    /// ## Why is this bad?
    /// It is allowed, but the child (often a Standard workflow) is not awaited and
    /// outlives the parent.
    ///
    /// ## Use instead
    /// Nothing, if fire-and-forget is intended.
    R_EXP_CHILD_STANDARD = "R-EXP-CHILD-STANDARD", Info, None, "an Express parent does not await the executions it starts";
}

/// The five-minute limit of an Express execution, in seconds.
const EXPRESS_LIMIT: f64 = 300.0;

/// How a scope's states run.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Run {
    /// In a Standard execution.
    Standard,
    /// In the Express state machine itself.
    Express,
    /// In a child execution of an `EXPRESS` Distributed Map (the Map state's id).
    ExpressChild(StateId),
}

/// The [`Run`] of every scope. Nested scopes are created after the scope that holds them,
/// so one pass in id order sees each parent first.
pub(crate) fn runs(def: &Definition, workflow: WorkflowType) -> Vec<Run> {
    let machine = if workflow == WorkflowType::Express { Run::Express } else { Run::Standard };
    let mut runs: Vec<Run> = Vec::with_capacity(def.scopes.len());
    for (id, scope) in def.iter_scopes() {
        let run = match scope.parent {
            None => machine,
            Some(parent) => {
                let distributed = matches!(scope.kind, ScopeKind::ItemProcessor | ScopeKind::Iterator)
                    && scope
                        .processor_config
                        .as_ref()
                        .and_then(|c| c.mode.as_ref())
                        .is_some_and(|m| &*m.value == "DISTRIBUTED");
                if distributed {
                    let express = scope
                        .processor_config
                        .as_ref()
                        .and_then(|c| c.execution_type.as_ref())
                        .is_some_and(|t| &*t.value == "EXPRESS");
                    if express {
                        Run::ExpressChild(parent)
                    } else {
                        Run::Standard
                    }
                } else {
                    let holder = def.state(parent).scope;
                    // A parent scope always has a smaller id; fall back to the machine's type.
                    if holder.0 < id.0 {
                        runs[holder.0 as usize]
                    } else {
                        machine
                    }
                }
            }
        };
        runs.push(run);
    }
    runs
}

/// Whether the states of `scope` run in an Express execution, given the [`runs`].
pub(crate) fn is_express(runs: &[Run], scope: ScopeId) -> bool {
    runs.get(scope.0 as usize).is_some_and(|run| *run != Run::Standard)
}

/// Checks the Express rules of the whole machine.
pub(crate) fn check_machine(def: &Definition, options: &CheckOptions, out: &mut Vec<Diagnostic>) {
    if options.workflow_type == WorkflowType::Express {
        check_machine_timeout(def, out);
    }
}

/// Checks the Express rules of the states in focus, given the [`runs`] of every scope.
pub(crate) fn check(def: &Definition, runs: &[Run], focus: super::Focus<'_>, out: &mut Vec<Diagnostic>) {
    let run_of = |scope: ScopeId| runs.get(scope.0 as usize).copied().unwrap_or(Run::Standard);
    for (_, state) in focus.states(def) {
        let run = run_of(state.scope);
        if run == Run::Standard {
            continue;
        }
        match &state.kind {
            StateKind::Task(task) => {
                check_task(def, state, task, run, out);
                check_task_lints(def, state, task, out);
            }
            StateKind::Wait(wait) => check_wait(def, state, wait, out),
            StateKind::Map(map) if run == Run::Express && map.is_distributed(def) => {
                let range = map
                    .processor
                    .and_then(|p| def.scope(p).processor_config.as_ref())
                    .and_then(|c| c.mode.as_ref())
                    .map_or(state.name.range, |m| m.range);
                out.push(
                    Diagnostic::warning(
                        R_EXP_DMAP,
                        def.file,
                        range,
                        "a Distributed Map in an Express state machine",
                    )
                    .with_label("Distributed Map is documented for Standard parents")
                    .with_help("run the Distributed Map from a Standard state machine")
                    .with_note("an Express execution ends after five minutes, usually before its Map Run")
                    .at(&state.pointer),
                );
            }
            _ => {}
        }
        check_retry_budget(def, state, out);
    }
}

fn check_machine_timeout(def: &Definition, out: &mut Vec<Diagnostic>) {
    let Some(timeout) = &def.timeout_seconds else { return };
    // Values outside the field's range are `S-TIMEOUT` errors already.
    if timeout.value.integer_in(0, 99_999_999) && timeout.value.as_f64() > EXPRESS_LIMIT {
        out.push(
            Diagnostic::warning(
                R_EXP_TIMEOUT,
                def.file,
                timeout.range,
                format!(
                    "`TimeoutSeconds` {} is beyond the five-minute limit of Express executions",
                    timeout.value
                ),
            )
            .with_label("never fires")
            .with_help("set `TimeoutSeconds` to 300 or less, or remove it")
            .at("/TimeoutSeconds"),
        );
    }
}

fn check_task(def: &Definition, state: &State, task: &Task, run: Run, out: &mut Vec<Diagnostic>) {
    let Some(resource) = &task.resource else { return };
    let (what, code, aws_message): (&str, &'static str, Option<&str>) =
        match resource::classify(&resource.value) {
            Resource::Activity { .. } => {
                ("activities", R_EXP_ACTIVITY, Some("Express state machine does not support Activity ARN"))
            }
            // Patterns the integration does not support at all are reported by the task
            // rules; only otherwise valid resources are judged for Express here.
            Resource::Integration(it @ Integration { sdk: false, .. })
                if resource::lookup(it.service, it.api, it.pattern) != Known::Supported =>
            {
                return
            }
            Resource::Integration(Integration { pattern, sdk, .. }) => match (pattern, sdk) {
                (Pattern::Sync, false) => (
                    "`.sync` integrations",
                    R_EXP_SYNC,
                    Some("Express state machine does not support '.sync' service integration"),
                ),
                (Pattern::Sync2, false) => ("`.sync:2` integrations", R_EXP_SYNC2, None),
                (Pattern::Callback, _) => (
                    "`.waitForTaskToken` integrations",
                    R_EXP_CALLBACK,
                    // AWS's message ends with a space.
                    Some("Express state machine does not support '.waitForTaskToken' service integration "),
                ),
                _ => return,
            },
            _ => return,
        };
    let pointer = state.field_pointer("Resource");
    let diagnostic = match run {
        Run::ExpressChild(map_id) => {
            let map = def.state(map_id);
            let mut d = Diagnostic::error(
                R_EXP_DMAP_CHILD,
                def.file,
                resource.range,
                format!(
                    "the children of Map `{}` are Express executions, which cannot use {what}",
                    map.name.value
                ),
            )
            .with_label("not available in Express executions")
            .with_help(format!(
                "set `\"ExecutionType\": \"STANDARD\"` on Map `{}`, or avoid {what} here",
                map.name.value
            ));
            if let Some(range) = execution_type_range(def, map) {
                d = d.with_secondary(def.file, range, "children run as Express executions");
            }
            d
        }
        _ => Diagnostic::error(
            code,
            def.file,
            resource.range,
            format!("an Express state machine cannot use {what}"),
        )
        .with_label("not available in Express workflows")
        .with_help("use Request Response (no suffix), or create the state machine as Standard")
        .with_aws_opt(aws_message),
    };
    out.push(diagnostic.at(pointer));
}

/// The range of a Distributed Map's `ExecutionType` value.
fn execution_type_range(def: &Definition, map: &State) -> Option<TextRange> {
    let StateKind::Map(m) = &map.kind else { return None };
    let scope = def.scope(m.processor?);
    scope.processor_config.as_ref()?.execution_type.as_ref().map(|t| t.range)
}

/// Sets the AWS message on a diagnostic whose code the registry fills in.
trait WithAwsOpt {
    fn with_aws_opt(self, message: Option<&str>) -> Self;
}

impl WithAwsOpt for Diagnostic {
    fn with_aws_opt(self, message: Option<&str>) -> Diagnostic {
        match message {
            Some(message) => self.with_aws("SCHEMA_VALIDATION_FAILED", Some(message.to_string())),
            None => self,
        }
    }
}

fn check_task_lints(def: &Definition, state: &State, task: &Task, out: &mut Vec<Diagnostic>) {
    for (field, value) in
        [("TimeoutSeconds", &task.timeout_seconds), ("HeartbeatSeconds", &task.heartbeat_seconds)]
    {
        let Some(Dyn::Literal(value)) = value else { continue };
        if value.value.integer_in(1, 99_999_999) && value.value.as_f64() > EXPRESS_LIMIT {
            out.push(
                Diagnostic::warning(
                    R_EXP_TASK_TIMEOUT,
                    def.file,
                    value.range,
                    format!(
                        "`{field}` {} is beyond the five-minute limit of Express executions",
                        value.value
                    ),
                )
                .with_label("the execution ends first")
                .with_help(format!("set `{field}` to 300 or less"))
                .at(state.field_pointer(field)),
            );
        }
    }
    let Some(resource) = &task.resource else { return };
    let Resource::Integration(it) = resource::classify(&resource.value) else { return };
    if it.pattern != Pattern::RequestResponse {
        return;
    }
    let request = state.io.parameters.as_ref().or(state.io.arguments.as_ref());
    let service = if it.sdk && it.service == "sfn" { "states" } else { it.service };
    let repeats = match (service, it.api) {
        ("sqs", "sendMessage") => {
            literal_string(request, "QueueUrl").is_some_and(|url| !url.ends_with(".fifo"))
        }
        ("sns", "publish") => literal_string(request, "TopicArn").is_some_and(|arn| !arn.ends_with(".fifo")),
        ("dynamodb", "putItem" | "updateItem") => {
            request.is_some() && !has_member(request, "ConditionExpression")
        }
        ("states", "startExecution") => request.is_some() && !has_member(request, "Name"),
        _ => false,
    };
    if repeats {
        out.push(
            Diagnostic::new(
                R_EXP_IDEMPOTENCY,
                Severity::Info,
                def.file,
                resource.range,
                format!(
                    "`{}:{}` may run more than once: Express executions are at-least-once",
                    it.service, it.api
                ),
            )
            .with_label("not idempotent")
            .with_help(match (service, it.api) {
                ("sqs", _) => "send to a FIFO queue with a `MessageDeduplicationId`",
                ("sns", _) => "publish to a FIFO topic with a `MessageDeduplicationId`",
                ("dynamodb", _) => "add a `ConditionExpression` so a repeated write changes nothing",
                _ => "give the execution a `Name` derived from the input, so a repeat is refused",
            })
            .at(state.field_pointer("Resource")),
        );
    }
    if service == "states" && it.api == "startExecution" {
        out.push(
            Diagnostic::new(
                R_EXP_CHILD_STANDARD,
                Severity::Info,
                def.file,
                resource.range,
                "the started execution is not awaited and may outlive this Express execution",
            )
            .with_label("fire and forget")
            .with_help("nothing to do if that is intended; a Standard parent can wait with `.sync`")
            .at(state.field_pointer("Resource")),
        );
    }
}

/// The literal string member `key` of a request template.
fn literal_string<'a>(request: Option<&'a Template>, key: &str) -> Option<&'a str> {
    match request? {
        Template::Literal(node) => node.get(key)?.as_str(),
        Template::Object { members, .. } => {
            members.iter().find(|m| &*m.key.value == key).and_then(|m| match &m.value {
                Template::Literal(node) => node.as_str(),
                _ => None,
            })
        }
        _ => None,
    }
}

/// Whether a request template has the member `key` (literal or evaluated). A request that
/// is one expression might have anything, and counts as having it.
fn has_member(request: Option<&Template>, key: &str) -> bool {
    match request {
        None => false,
        Some(Template::Literal(node)) => {
            node.as_object().is_none_or(|m| m.iter().any(|m| &*m.key.text == key))
        }
        Some(Template::Object { members, .. }) => members.iter().any(|m| &*m.output_key == key),
        Some(_) => true,
    }
}

fn check_wait(def: &Definition, state: &State, wait: &Wait, out: &mut Vec<Diagnostic>) {
    let Some(Dyn::Literal(seconds)) = &wait.seconds else { return };
    if seconds.value.integer_in(0, 99_999_999) && seconds.value.as_f64() > EXPRESS_LIMIT {
        out.push(
            Diagnostic::warning(
                R_EXP_WAIT,
                def.file,
                seconds.range,
                format!(
                    "waiting {} seconds exceeds the five-minute limit of Express executions",
                    seconds.value
                ),
            )
            .with_label("the execution times out while waiting")
            .with_help("wait at most 300 seconds, or make the state machine Standard")
            .at(state.field_pointer("Seconds")),
        );
    }
}

fn check_retry_budget(def: &Definition, state: &State, out: &mut Vec<Diagnostic>) {
    for (i, retrier) in state.errors.retry.iter().enumerate() {
        let total = worst_case_delay(retrier);
        if total > EXPRESS_LIMIT {
            out.push(
                Diagnostic::warning(
                    R_EXP_RETRY_BUDGET,
                    def.file,
                    retrier.range,
                    format!("this retrier can wait more than {EXPRESS_LIMIT} seconds in total"),
                )
                .with_label(format!("worst case {} seconds", display_seconds(total)))
                .with_help("lower `MaxAttempts`, `IntervalSeconds` or `BackoffRate`, or cap each delay with `MaxDelaySeconds`")
                .with_note("an Express execution ends after five minutes, so the last retries never run")
                .at(crate::pointer::index(&state.pointer, "Retry", i)),
            );
        }
    }
}

fn display_seconds(total: f64) -> String {
    if total.is_finite() && total < 1e15 {
        format!("{}", total.round() as i64)
    } else {
        "more than 10^15".to_string()
    }
}

/// The sum of a retrier's delays when every retry happens at its full delay
/// (runtime-errors.md §3.3): `min(IntervalSeconds × BackoffRate^(n−1), MaxDelaySeconds)`.
/// Stops as soon as the answer is clear, so huge `MaxAttempts` cost nothing.
fn worst_case_delay(retrier: &Retrier) -> f64 {
    let number = |v: &Option<crate::ir::Spanned<crate::ir::Number>>, default: f64| {
        v.as_ref().map_or(default, |n| n.value.as_f64())
    };
    let interval = number(&retrier.interval_seconds, 1.0);
    let attempts = number(&retrier.max_attempts, 3.0);
    let backoff = number(&retrier.backoff_rate, 2.0);
    let cap = retrier.max_delay_seconds.as_ref().map(|n| n.value.as_f64());
    // Out-of-range values are reported by the retrier rules; nothing to add here.
    let valid = interval.is_finite() && attempts.is_finite() && backoff.is_finite();
    if !valid || interval <= 0.0 || attempts < 1.0 || backoff < 1.0 {
        return 0.0;
    }
    let attempts = attempts.floor();
    let mut total = 0.0;
    let mut delay = interval;
    let mut n = 0.0;
    // Each step adds at least `interval`, or ends the loop once delays stop growing; the
    // step bound only matters for intervals far below one second.
    for _ in 0..100_000 {
        if n >= attempts {
            break;
        }
        if backoff == 1.0 || cap.is_some_and(|c| delay >= c) {
            // Every remaining delay equals this one.
            let constant = cap.map_or(delay, |c| delay.min(c));
            return total + constant * (attempts - n);
        }
        total += delay;
        if total > EXPRESS_LIMIT {
            return total;
        }
        delay *= backoff;
        n += 1.0;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check, check_express, machine};
    use super::*;

    fn task(resource: &str, extra: &str) -> String {
        machine(&format!(r#"{{"Type": "Task", "Resource": "{resource}"{extra}, "End": true}}"#))
    }

    #[test]
    fn express_integrations() {
        let token = r#", "Parameters": {"T.$": "$$.Task.Token"}, "TimeoutSeconds": 60"#;
        let cases: &[(&str, &str, &[&str])] = &[
            ("arn:aws:states:::lambda:invoke", "", &[]),
            ("arn:aws:states:::states:startExecution.sync", "", &["R-EXP-SYNC"]),
            ("arn:aws:states:::states:startExecution.sync:2", "", &["R-EXP-SYNC2"]),
            ("arn:aws:states:::sqs:sendMessage.waitForTaskToken", token, &["R-EXP-CALLBACK"]),
            ("arn:aws:states:::aws-sdk:s3:listBuckets.waitForTaskToken", token, &["R-EXP-CALLBACK"]),
            (
                "arn:aws:states:us-east-1:111111111111:activity:a",
                ", \"TimeoutSeconds\": 60",
                &["R-EXP-ACTIVITY"],
            ),
            ("arn:${AWS::Partition}:states:::batch:submitJob.sync", "", &["R-EXP-SYNC"]),
            ("arn:aws:states:::lambda:invoke.sync", "", &["R-TASK-PATTERN"]),
        ];
        for (resource, extra, expected) in cases {
            let json = task(resource, extra);
            check_express(&json, expected);
            let standard: Vec<&str> = expected.iter().copied().filter(|c| !c.starts_with("R-EXP")).collect();
            check(&json, &standard);
        }
    }

    #[test]
    fn aws_messages() {
        let json = task(
            "arn:aws:states:::sns:publish.waitForTaskToken",
            r#", "Parameters": {"M.$": "$$.Task.Token"}, "TimeoutSeconds": 9"#,
        );
        let options = CheckOptions { workflow_type: WorkflowType::Express, ..CheckOptions::default() };
        let d = super::super::testing::diagnostics(&json, &options)
            .into_iter()
            .find(|d| d.code == R_EXP_CALLBACK);
        let d = d.expect("R-EXP-CALLBACK");
        assert_eq!(d.location, "/States/S/Resource");
        assert_eq!(
            d.aws.and_then(|a| a.message).as_deref(),
            Some("Express state machine does not support '.waitForTaskToken' service integration ")
        );
    }

    fn dmap(execution_type: &str, resource: &str) -> String {
        machine(&format!(
            r#"{{"Type": "Map", "ItemProcessor": {{"ProcessorConfig": {{"Mode": "DISTRIBUTED", "ExecutionType": "{execution_type}"}},
                "StartAt": "T", "States": {{"T": {{"Type": "Task", "Resource": "{resource}", "End": true}}}}}}, "End": true}}"#
        ))
    }

    #[test]
    fn distributed_children() {
        check(&dmap("EXPRESS", "arn:aws:states:::states:startExecution.sync"), &["R-EXP-DMAP-CHILD"]);
        check(&dmap("STANDARD", "arn:aws:states:::states:startExecution.sync"), &[]);
        check(&dmap("EXPRESS", "arn:aws:states:::lambda:invoke"), &[]);
        check_express(&dmap("STANDARD", "arn:aws:states:::states:startExecution.sync"), &["R-EXP-DMAP"]);
        check_express(&dmap("EXPRESS", "arn:aws:states:::lambda:invoke"), &["R-EXP-DMAP"]);
        let nested = machine(
            r#"{"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                "StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [{"StartAt": "T", "States": {
                "T": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.sync", "End": true}}}], "End": true}}}, "End": true}"#,
        );
        check(&nested, &["R-EXP-DMAP-CHILD"]);
    }

    #[test]
    fn express_lints() {
        check_express(&machine(r#"{"Type": "Wait", "Seconds": 300, "End": true}"#), &[]);
        check_express(&machine(r#"{"Type": "Wait", "Seconds": 301, "End": true}"#), &["R-EXP-WAIT"]);
        check(&machine(r#"{"Type": "Wait", "Seconds": 301, "End": true}"#), &[]);
        let timeout = r#"{"TimeoutSeconds": 600, "StartAt": "S", "States": {"S": {"Type": "Succeed"}}}"#;
        check_express(timeout, &["R-EXP-TIMEOUT"]);
        check(timeout, &[]);
        check_express(
            &task("arn:aws:states:::lambda:invoke", r#", "TimeoutSeconds": 900"#),
            &["R-EXP-TASK-TIMEOUT"],
        );
        check_express(
            &task("arn:aws:states:::lambda:invoke", r#", "TimeoutSeconds": 60, "HeartbeatSeconds": 30"#),
            &[],
        );
    }

    #[test]
    fn retry_budget() {
        let with =
            |retrier: &str| task("arn:aws:states:::lambda:invoke", &format!(r#", "Retry": [{retrier}]"#));
        let cases: &[(&str, &[&str])] = &[
            (r#"{"ErrorEquals": ["States.ALL"]}"#, &[]),
            (
                r#"{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 10, "MaxAttempts": 6, "BackoffRate": 2}"#,
                &["R-EXP-RETRY-BUDGET"],
            ),
            (
                r#"{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 10, "MaxAttempts": 6, "BackoffRate": 2, "MaxDelaySeconds": 30}"#,
                &[],
            ),
            (
                r#"{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 99999999, "BackoffRate": 1}"#,
                &["R-EXP-RETRY-BUDGET"],
            ),
            (
                r#"{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 3, "MaxAttempts": 100, "BackoffRate": 1}"#,
                &[],
            ),
            (
                r#"{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 3, "MaxAttempts": 101, "BackoffRate": 1}"#,
                &["R-EXP-RETRY-BUDGET"],
            ),
            (
                r#"{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 3, "MaxAttempts": 0, "BackoffRate": 5}"#,
                &[],
            ),
        ];
        for (retrier, expected) in cases {
            check_express(&with(retrier), expected);
        }
        check(
            &with(
                r#"{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 10, "MaxAttempts": 6, "BackoffRate": 2}"#,
            ),
            &[],
        );
    }

    #[test]
    fn idempotency() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "arn:aws:states:::sqs:sendMessage",
                r#", "Parameters": {"QueueUrl": "https://q/orders"}"#,
                &["R-EXP-IDEMPOTENCY"],
            ),
            (
                "arn:aws:states:::sqs:sendMessage",
                r#", "Parameters": {"QueueUrl": "https://q/orders.fifo"}"#,
                &[],
            ),
            ("arn:aws:states:::sqs:sendMessage", r#", "Parameters": {"QueueUrl.$": "$.queue"}"#, &[]),
            (
                "arn:aws:states:::sns:publish",
                r#", "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:1:t"}"#,
                &["R-EXP-IDEMPOTENCY"],
            ),
            (
                "arn:aws:states:::sns:publish",
                r#", "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:1:t.fifo"}"#,
                &[],
            ),
            (
                "arn:aws:states:::dynamodb:putItem",
                r#", "Parameters": {"TableName": "t"}"#,
                &["R-EXP-IDEMPOTENCY"],
            ),
            (
                "arn:aws:states:::dynamodb:updateItem",
                r#", "Parameters": {"TableName": "t", "ConditionExpression": "x"}"#,
                &[],
            ),
            (
                "arn:aws:states:::states:startExecution",
                r#", "Parameters": {"StateMachineArn": "a"}"#,
                &["R-EXP-IDEMPOTENCY", "R-EXP-CHILD-STANDARD"],
            ),
            (
                "arn:aws:states:::states:startExecution",
                r#", "Parameters": {"StateMachineArn": "a", "Name.$": "$.id"}"#,
                &["R-EXP-CHILD-STANDARD"],
            ),
        ];
        for (resource, extra, expected) in cases {
            check_express(&task(resource, extra), expected);
            check(&task(resource, extra), &[]);
        }
    }

    #[test]
    fn worst_case_is_bounded() {
        let json = task(
            "arn:aws:states:::lambda:invoke",
            r#", "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 99999999, "BackoffRate": 1.0000001}]"#,
        );
        check_express(&json, &["R-EXP-RETRY-BUDGET"]);
    }
}
