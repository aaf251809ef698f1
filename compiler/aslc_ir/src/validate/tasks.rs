//! Task states (runtime-tasks.md, states.md §2): the `Resource` forms and integration
//! patterns, timeouts and heartbeats, `Credentials`, and the callback lints.
//!
//! `${…}` placeholders and CloudFormation intrinsic objects stand for values only known at
//! deployment; a resource holding one is never judged (a placeholder partition alone,
//! `arn:${AWS::Partition}:states:::…`, leaves the rest of the ARN judgeable).

use aslc_source::{Diagnostic, TextRange};
use aslc_syntax::Node;

use super::resource::{self, Integration, Known, Pattern, Resource};
use crate::ir::{Definition, Dyn, Name, Number, State, StateKind, Task, Template};
use crate::lower::reader::is_opaque;
use crate::pointer::Field;
use crate::rules::declare_rules;

declare_rules! { @spec "runtime-tasks.md";
    /// ## What it does
    /// Reports a Task `Resource` that is not a resource Step Functions can run: not an
    /// ARN at all (`InvalidArn`), a malformed ARN, a Lambda function ARN with a bad name or
    /// qualifier, an activity ARN without a name, or a `${…}` placeholder that never
    /// closes.
    ///
    /// ## Why is this bad?
    /// AWS rejects the definition. A resource is a Lambda function ARN, an activity ARN,
    /// or an integration ARN in the `arn:<partition>:states:::` namespace.
    ///
    /// ## Example
    /// ```json
    /// "Call": { "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Hello:", "End": true }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Call": { "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Hello", "End": true }
    /// ```
    R_TASK_RESOURCE = "R-TASK-RESOURCE", Error, Some("SCHEMA_VALIDATION_FAILED"), "`Resource` is an ARN of one of the forms Step Functions runs";
    /// ## What it does
    /// Warns about a Task `Resource` that is a URI but not an ARN (`foo:bar`), or an ARN of
    /// a service Step Functions does not invoke directly (`arn:aws:swf:…`).
    ///
    /// ## Why is this bad?
    /// The ASL specification only asks for a URI, so other tools accept these, but the
    /// Step Functions service runs only Lambda functions, activities and integrations in
    /// the `arn:<partition>:states:::` namespace and rejects anything else at deployment.
    ///
    /// ## Example
    /// ```json
    /// "Call": { "Type": "Task", "Resource": "foo:bar", "End": true }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Call": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": { "FunctionName": "bar" }, "End": true }
    /// ```
    R_TASK_RESOURCE_URI = "R-TASK-RESOURCE-URI", Warn, None, "`Resource` is a Step Functions resource, not just any URI";
    /// ## What it does
    /// Reports an optimized integration `arn:<partition>:states:::<service>:<api>` whose
    /// service or API is not one Step Functions integrates (`dynamodb:query`,
    /// `lambda:listFunctions`, `s3:getObject`, …).
    ///
    /// ## Why is this bad?
    /// AWS rejects it: `The resource provided … is not recognized`. Optimized integrations
    /// cover a few APIs per service; every other API is reached through the AWS SDK
    /// integration.
    ///
    /// ## Example
    /// ```json
    /// "Query": { "Type": "Task", "Resource": "arn:aws:states:::dynamodb:query", "End": true }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Query": { "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:query", "End": true }
    /// ```
    R_TASK_RESOURCE_KNOWN = "R-TASK-RESOURCE-KNOWN", Error, Some("SCHEMA_VALIDATION_FAILED"), "an optimized `<service>:<api>` is one Step Functions integrates";
    /// ## What it does
    /// Reports an integration pattern suffix (`.sync`, `.sync:2`, `.waitForTaskToken`) that
    /// the optimized API does not support, such as `dynamodb:putItem.waitForTaskToken` or
    /// `lambda:invoke.sync`.
    ///
    /// ## Why is this bad?
    /// Each optimized API supports only some patterns (runtime-tasks.md §3.4); AWS
    /// rejects the others.
    ///
    /// ## Example
    /// ```json
    /// "Run": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.sync", "End": true }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Run": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true }
    /// ```
    R_TASK_PATTERN = "R-TASK-PATTERN", Error, Some("SCHEMA_VALIDATION_FAILED"), "the pattern suffix is supported by the integration";
    /// ## What it does
    /// Reports `.sync` or `.sync:2` on an AWS SDK integration (`aws-sdk:…`).
    ///
    /// ## Why is this bad?
    /// SDK integrations support Request Response and `.waitForTaskToken` only; AWS
    /// rejects `.sync`.
    ///
    /// ## Example
    /// ```json
    /// "Build": { "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:codebuild:startBuild.sync", "End": true }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Build": { "Type": "Task", "Resource": "arn:aws:states:::codebuild:startBuild.sync", "End": true }
    /// ```
    /// (the optimized integration waits for the job), or poll the job with a Wait and a
    /// Choice state.
    R_TASK_SDK_NO_SYNC = "R-TASK-SDK-NO-SYNC", Error, Some("SCHEMA_VALIDATION_FAILED"), "`aws-sdk:` integrations never take `.sync`";
    /// ## What it does
    /// Warns about an `aws-sdk:<service>:<action>` whose names cannot be an SDK action:
    /// service identifiers are lower case, actions start with a lower-case letter
    /// (`getObject`, not `GetObject`). aslc does not ship the SDK model, so actions are
    /// checked by shape only.
    ///
    /// ## Why is this bad?
    /// The action is looked up by name at deployment; a wrong case is not found.
    ///
    /// ## Example
    /// ```json
    /// "Get": { "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:GetObject", "End": true }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Get": { "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject", "End": true }
    /// ```
    R_TASK_SDK_KNOWN = "R-TASK-SDK-KNOWN", Warn, None, "an `aws-sdk:<service>:<action>` is spelt as SDK actions are";
    /// ## What it does
    /// Warns when the resources of one definition use different partitions (`aws` and
    /// `aws-cn`, …).
    ///
    /// ## Why is this bad?
    /// A state machine runs in one partition; cross-partition references are not
    /// supported.
    ///
    /// ## Use instead
    /// Use the partition the machine is deployed to everywhere, or
    /// `arn:${AWS::Partition}:…` in templates.
    R_TASK_PARTITION = "R-TASK-PARTITION", Warn, None, "all ARNs of one definition use one partition";
    /// ## What it does
    /// Reports a literal `TimeoutSeconds` or `HeartbeatSeconds` that is not an integer in
    /// 1 … 99,999,999.
    ///
    /// ## Why is this bad?
    /// AWS's schema rejects it.
    ///
    /// ## Example
    /// ```json
    /// "TimeoutSeconds": 0
    /// ```
    /// ## Use instead
    /// A whole number of seconds, e.g. `"TimeoutSeconds": 300`.
    R_TASK_TIMEOUT_RANGE = "R-TASK-TIMEOUT-RANGE", Error, Some("SCHEMA_VALIDATION_FAILED"), "`TimeoutSeconds` and `HeartbeatSeconds` are integers in 1 … 99,999,999";
    /// ## What it does
    /// Reports a Task with both `TimeoutSeconds` and `TimeoutSecondsPath`, or both
    /// `HeartbeatSeconds` and `HeartbeatSecondsPath`.
    ///
    /// ## Why is this bad?
    /// The two say the same thing two ways; AWS answers `There should only be one of the
    /// following fields: [TimeoutSeconds, TimeoutSecondsPath]`.
    ///
    /// ## Example
    /// ```json
    /// "TimeoutSeconds": 60, "TimeoutSecondsPath": "$.timeout"
    /// ```
    /// ## Use instead
    /// Keep one of them.
    R_TASK_TIMEOUT_EXCL = "R-TASK-TIMEOUT-EXCL", Error, Some("SCHEMA_VALIDATION_FAILED"), "not both a timeout and its `…Path` form";
    /// ## What it does
    /// Reports a literal `HeartbeatSeconds` that is not below the literal
    /// `TimeoutSeconds` of the same Task.
    ///
    /// ## Why is this bad?
    /// The heartbeat must fire before the timeout to mean anything; AWS rejects the
    /// definition.
    ///
    /// ## Example
    /// ```json
    /// "TimeoutSeconds": 60, "HeartbeatSeconds": 60
    /// ```
    /// ## Use instead
    /// ```json
    /// "TimeoutSeconds": 60, "HeartbeatSeconds": 20
    /// ```
    R_TASK_HEARTBEAT_LT = "R-TASK-HEARTBEAT-LT", Error, Some("SCHEMA_VALIDATION_FAILED"), "`HeartbeatSeconds` is below `TimeoutSeconds`";
    /// ## What it does
    /// Warns about a `.waitForTaskToken` task or an activity task with no
    /// `TimeoutSeconds` and no `HeartbeatSeconds` (nor their `…Path` forms).
    ///
    /// ## Why is this bad?
    /// If the callback never comes, the task waits until the execution's one-year limit.
    ///
    /// ## Use instead
    /// Give the task a `TimeoutSeconds`, or a `HeartbeatSeconds` the worker refreshes.
    R_TASK_CALLBACK_NOTIMEOUT = "R-TASK-CALLBACK-NOTIMEOUT", Warn, None, "a callback or activity task has a timeout or a heartbeat";
    /// ## What it does
    /// Warns about a `.waitForTaskToken` task whose `Parameters`/`Arguments` never read
    /// the task token (`$$.Task.Token`, `$states.context.Task.Token`).
    ///
    /// ## Why is this bad?
    /// The token is the only way to complete the task; if it is not sent anywhere, no one
    /// can call `SendTaskSuccess` and the task hangs until it times out.
    ///
    /// ## Example
    /// ```json
    /// "Ask": { "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    ///          "Parameters": { "QueueUrl": "…", "MessageBody": { "order.$": "$.order" } }, "End": true }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Parameters": { "QueueUrl": "…", "MessageBody": { "order.$": "$.order", "token.$": "$$.Task.Token" } }
    /// ```
    R_TASK_TOKEN_PASSED = "R-TASK-TOKEN-PASSED", Warn, None, "a `.waitForTaskToken` task sends its task token";
    @spec "states.md";
    /// ## What it does
    /// Warns about `"HeartbeatSeconds": 99999999` on a Task without `TimeoutSeconds`.
    ///
    /// ## Why is this bad?
    /// The default timeout is also 99,999,999 seconds, so the heartbeat is not below it;
    /// whether AWS applies `R-TASK-HEARTBEAT-LT` against the default is not known.
    ///
    /// ## Use instead
    /// Set a `TimeoutSeconds` above the heartbeat, or a shorter heartbeat.
    ST_TASK_HEARTBEAT_DEFAULT = "ST-TASK-HEARTBEAT-DEFAULT", Warn, None, "a heartbeat is below the default timeout";
    /// ## What it does
    /// Reports `Credentials` without `RoleArn` (in JSONPath states, `RoleArn.$`).
    ///
    /// ## Why is this bad?
    /// The role to assume is what `Credentials` is for; AWS answers `The field 'RoleArn'
    /// is required but was missing`.
    ///
    /// ## Example
    /// ```json
    /// "Credentials": {}
    /// ```
    /// ## Use instead
    /// ```json
    /// "Credentials": { "RoleArn": "arn:aws:iam::111122223333:role/Target" }
    /// ```
    R_TASK_CREDENTIALS = "R-TASK-CREDENTIALS", Error, Some("SCHEMA_VALIDATION_FAILED"), "`Credentials` contains `RoleArn`";
    /// ## What it does
    /// Reports `Credentials` with members other than `RoleArn`/`RoleArn.$`, or with a
    /// `RoleArn` that is not a string (or, in JSONata, an expression). Both `RoleArn` and
    /// `RoleArn.$` at once is reported as `PT-KEY-CLASH`.
    ///
    /// ## Why is this bad?
    /// `Credentials` holds exactly one role ARN; anything else is a typo or is ignored.
    ///
    /// ## Example
    /// ```json
    /// "Credentials": { "RoleArn": "arn:aws:iam::111122223333:role/Target", "Role": "Target" }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Credentials": { "RoleArn": "arn:aws:iam::111122223333:role/Target" }
    /// ```
    ST_TASK_CREDENTIALS_FIELDS = "ST-TASK-CREDENTIALS-FIELDS", Error, Some("SCHEMA_VALIDATION_FAILED"), "`Credentials` has exactly one `RoleArn` and nothing else";
}

/// The AWS message for an integration ARN it does not recognize.
fn not_recognized(text: &str) -> String {
    format!(
        "The resource provided {text} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."
    )
}

/// Checks every Task state.
/// Checks the tasks in focus; `first` is the [`first_partition`] of the definition.
pub(crate) fn check(
    def: &Definition,
    first: Option<(&str, TextRange)>,
    focus: super::Focus<'_>,
    out: &mut Vec<Diagnostic>,
) {
    for (_, state) in focus.states(def) {
        let StateKind::Task(task) = &state.kind else { continue };
        if let Some(resource) = &task.resource {
            let kind = resource::classify(&resource.value);
            check_resource(def, state, resource, kind, out);
            check_partition(def, state, resource, kind, first, out);
            check_callback(def, state, task, resource, kind, out);
        }
        check_timeouts(def, state, task, out);
        check_credentials(def, state, task, out);
    }
}

/// The partition of the first task (in state order) whose `Resource` names one, with the
/// range of that `Resource`: every other task is compared with it.
pub(crate) fn first_partition(def: &Definition) -> Option<(&str, TextRange)> {
    def.iter_states().find_map(|(_, state)| {
        let StateKind::Task(task) = &state.kind else { return None };
        let resource = task.resource.as_ref()?;
        Some((partition(resource::classify(&resource.value))?, resource.range))
    })
}

/// The partition a resource names, when it is a real partition name (`<PARTITION>` and
/// similar stand-ins are not compared).
fn partition(kind: Resource<'_>) -> Option<&str> {
    let partition = match kind {
        Resource::LambdaFunction { partition }
        | Resource::Activity { partition }
        | Resource::OtherArn { partition, .. } => partition,
        Resource::Integration(Integration { partition: Some(partition), .. }) => partition,
        _ => return None,
    };
    partition.chars().all(|c| c.is_ascii_lowercase() || c == '-').then_some(partition)
}

fn check_resource(
    def: &Definition,
    state: &State,
    resource: &Name,
    kind: Resource,
    out: &mut Vec<Diagnostic>,
) {
    let text = &*resource.value;
    let pointer = crate::pointer::field(&state.pointer, "Resource");
    let error =
        |code, message: String| Diagnostic::error(code, def.file, resource.range, message).at(pointer);
    match kind {
        Resource::Malformed(reason) => {
            let help = match reason {
                resource::Malformed::UnterminatedPlaceholder => {
                    "close the placeholder with `}`, e.g. `${LambdaArn}`".to_string()
                }
                resource::Malformed::LambdaQualifier => {
                    "end the ARN with the function name, or add `:$LATEST`, a version number or an alias name".to_string()
                }
                resource::Malformed::LambdaName | resource::Malformed::LambdaShape => {
                    "write `arn:<partition>:lambda:<region>:<account>:function:<name>`, or use `arn:aws:states:::lambda:invoke` with `FunctionName`".to_string()
                }
                resource::Malformed::ActivityName => {
                    "write `arn:<partition>:states:<region>:<account>:activity:<name>`".to_string()
                }
                _ => "use an ARN such as `arn:aws:states:::lambda:invoke`, a Lambda function ARN or an activity ARN".to_string(),
            };
            out.push(
                error(R_TASK_RESOURCE, format!("`Resource` `{text}` {}", reason.describe()))
                    .with_label("not a resource Step Functions can run")
                    .with_help(help),
            );
        }
        Resource::Uri | Resource::OtherArn { .. } => {
            let message = match kind {
                Resource::OtherArn { service, .. } => {
                    format!("`Resource` is an ARN of `{service}`, which Step Functions does not run directly")
                }
                _ => format!("`Resource` `{text}` is a URI, not an ARN Step Functions can run"),
            };
            out.push(
                Diagnostic::warning(R_TASK_RESOURCE_URI, def.file, resource.range, message)
                    .with_label("the service rejects this at deployment")
                    .with_help("use a Lambda function ARN, an activity ARN, or an integration such as `arn:aws:states:::aws-sdk:<service>:<action>`")
                    .at(pointer),
            );
        }
        Resource::UnknownStates => {
            out.push(
                error(R_TASK_RESOURCE_KNOWN, format!("`Resource` `{text}` is not an integration Step Functions knows"))
                    .with_label("expected `<service>:<api>` or `aws-sdk:<service>:<action>` after `states:::`")
                    .with_help("write `arn:aws:states:::<service>:<api>` for an optimized integration or `arn:aws:states:::aws-sdk:<service>:<action>` for any SDK action")
                    .with_aws("SCHEMA_VALIDATION_FAILED", Some(not_recognized(text))),
            );
        }
        Resource::Integration(integration) if integration.sdk => {
            check_sdk(def, resource, pointer, integration, out);
        }
        Resource::Integration(integration) => {
            check_optimized(def, resource, pointer, integration, out);
        }
        Resource::Opaque | Resource::LambdaFunction { .. } | Resource::Activity { .. } => {}
    }
}

fn check_optimized(
    def: &Definition,
    resource: &Name,
    pointer: Field<'_>,
    it: Integration,
    out: &mut Vec<Diagnostic>,
) {
    let text = &*resource.value;
    let Integration { service, api, pattern, .. } = it;
    let partition = it.partition.unwrap_or("aws");
    // Written only for a diagnostic: nearly every integration is supported.
    let sdk_form = || format!("arn:{partition}:states:::aws-sdk:{service}:{api}{}", pattern.suffix());
    let diagnostic = match resource::lookup(service, api, pattern) {
        Known::Supported => return,
        Known::UnknownService => {
            let sdk_form = sdk_form();
            let services = resource::services();
            let help = match crate::lower::nearest(service, &services) {
                Some(best) => format!(
                    "did you mean `{best}`? or call the API through the AWS SDK integration `{sdk_form}`"
                ),
                None => format!("call the API through the AWS SDK integration: `{sdk_form}`"),
            };
            Diagnostic::error(
                R_TASK_RESOURCE_KNOWN,
                def.file,
                resource.range,
                format!("`{service}` has no optimized integration"),
            )
            .with_label("not an optimized integration")
            .with_help(help)
        }
        Known::UnknownApi => {
            let sdk_form = sdk_form();
            let apis = resource::apis_of(service);
            let help = match crate::lower::nearest(api, &apis) {
                Some(best) => {
                    format!("did you mean `{service}:{best}`? other APIs are reached through the AWS SDK integration `{sdk_form}`")
                }
                _ => format!(
                    "use the AWS SDK integration `{sdk_form}`; the optimized `{service}` APIs are {}",
                    apis.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
                ),
            };
            Diagnostic::error(
                R_TASK_RESOURCE_KNOWN,
                def.file,
                resource.range,
                format!("`{service}:{api}` is not an optimized integration"),
            )
            .with_label("Step Functions does not integrate this API directly")
            .with_help(help)
        }
        Known::PatternUnsupported(supported) => {
            let suffix = pattern.suffix();
            let help = if supported.is_empty() {
                format!("remove `{suffix}`: `{service}:{api}` supports Request Response only")
            } else {
                format!(
                    "remove `{suffix}`, or use a pattern `{service}:{api}` supports: {}",
                    supported.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
                )
            };
            Diagnostic::error(
                R_TASK_PATTERN,
                def.file,
                resource.range,
                format!("`{service}:{api}` does not support the `{suffix}` pattern"),
            )
            .with_label("unsupported integration pattern")
            .with_help(help)
        }
    };
    out.push(diagnostic.with_aws("SCHEMA_VALIDATION_FAILED", Some(not_recognized(text))).at(pointer));
}

fn check_sdk(
    def: &Definition,
    resource: &Name,
    pointer: Field<'_>,
    it: Integration,
    out: &mut Vec<Diagnostic>,
) {
    let Integration { service, api, pattern, .. } = it;
    if matches!(pattern, Pattern::Sync | Pattern::Sync2) {
        let suffix = pattern.suffix();
        let help = match resource::lookup(service, api, Pattern::Sync) {
            Known::Supported => format!(
                "remove `{suffix}`, or use the optimized integration `arn:{}:states:::{service}:{api}.sync`, which waits for the job",
                it.partition.unwrap_or("aws")
            ),
            _ => format!("remove `{suffix}` and poll the job's status with a Wait and a Choice state"),
        };
        out.push(
            Diagnostic::error(
                R_TASK_SDK_NO_SYNC,
                def.file,
                resource.range,
                format!("AWS SDK integrations do not support `{suffix}`"),
            )
            .with_label("`aws-sdk:` takes Request Response or `.waitForTaskToken` only")
            .with_help(help)
            .at(pointer),
        );
    }
    let service_ok = service.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let api_ok =
        api.starts_with(|c: char| c.is_ascii_lowercase()) && api.chars().all(|c| c.is_ascii_alphanumeric());
    if !service_ok || !api_ok {
        let mut fixed_api = api.to_string();
        if let Some(first) = fixed_api.get(..1) {
            fixed_api.replace_range(..1, &first.to_ascii_lowercase());
        }
        let fixed = format!("aws-sdk:{}:{fixed_api}", service.to_ascii_lowercase());
        out.push(
            Diagnostic::warning(
                R_TASK_SDK_KNOWN,
                def.file,
                resource.range,
                format!("`aws-sdk:{service}:{api}` is not spelt like an SDK action"),
            )
            .with_label("service identifiers are lower case; actions start with a lower-case letter")
            .with_help(format!("did you mean `{fixed}`?"))
            .at(pointer),
        );
    }
}

fn check_partition(
    def: &Definition,
    state: &State,
    resource: &Name,
    kind: Resource<'_>,
    first: Option<(&str, TextRange)>,
    out: &mut Vec<Diagnostic>,
) {
    let (Some(partition), Some((seen, seen_range))) = (partition(kind), first) else { return };
    // The first task is the one compared with.
    if resource.range == seen_range || seen == partition {
        return;
    }
    out.push(
        Diagnostic::warning(
            R_TASK_PARTITION,
            def.file,
            resource.range,
            format!("`Resource` is in partition `{partition}`, but an earlier one is in `{seen}`"),
        )
        .with_label(format!("partition `{partition}`"))
        .with_secondary(def.file, seen_range, format!("partition `{seen}`"))
        .with_help("use one partition throughout, or `arn:${AWS::Partition}:…` in a template")
        .at(state.field_pointer("Resource")),
    );
}

fn check_callback(
    def: &Definition,
    state: &State,
    task: &Task,
    resource: &Name,
    kind: Resource,
    out: &mut Vec<Diagnostic>,
) {
    let callback = matches!(kind, Resource::Integration(Integration { pattern: Pattern::Callback, .. }));
    let activity = matches!(kind, Resource::Activity { .. });
    if !callback && !activity {
        return;
    }
    let has_limit = task.timeout_seconds.is_some()
        || task.timeout_seconds_path.is_some()
        || task.heartbeat_seconds.is_some()
        || task.heartbeat_seconds_path.is_some();
    if !has_limit {
        let what = if activity { "an activity task" } else { "a `.waitForTaskToken` task" };
        out.push(
            Diagnostic::warning(
                R_TASK_CALLBACK_NOTIMEOUT,
                def.file,
                resource.range,
                format!("{what} without `TimeoutSeconds` or `HeartbeatSeconds` can wait for a year"),
            )
            .with_label("waits until someone reports back")
            .with_help(
                "add `TimeoutSeconds`, or a `HeartbeatSeconds` the worker refreshes with `SendTaskHeartbeat`",
            )
            .at(&state.pointer),
        );
    }
    if callback {
        let request = state.io.parameters.as_ref().or(state.io.arguments.as_ref());
        let opaque = matches!(request, Some(Template::Literal(node)) if is_opaque(node));
        let sends_token = request
            .is_some_and(|t| t.exprs().iter().any(|e| e.text.contains("Task.Token") || e.has_placeholder()));
        if !sends_token && !opaque {
            let field = if state.io.arguments.is_some()
                || state.query_language == crate::ir::QueryLanguage::Jsonata
            {
                ("Arguments", "\"{% $states.context.Task.Token %}\"")
            } else {
                ("Parameters", "`\"TaskToken.$\": \"$$.Task.Token\"`")
            };
            let range = request.map_or(resource.range, Template::range);
            out.push(
                Diagnostic::warning(
                    R_TASK_TOKEN_PASSED,
                    def.file,
                    range,
                    "this `.waitForTaskToken` task never sends its task token",
                )
                .with_label("no reference to the task token here")
                .with_help(format!("pass the token in `{}`, e.g. {}", field.0, field.1))
                .with_note(
                    "only a `SendTaskSuccess`/`SendTaskFailure` call with the token completes the task",
                )
                .at(&state.pointer),
            );
        }
    }
}

/// The literal number of a timeout field, if it is one.
fn literal(value: &Option<Dyn<Number>>) -> Option<(&Number, TextRange)> {
    value.as_ref().and_then(Dyn::literal).map(|v| (&v.value, v.range))
}

fn check_timeouts(def: &Definition, state: &State, task: &Task, out: &mut Vec<Diagnostic>) {
    const MAX: i64 = 99_999_999;
    let timeout = literal(&task.timeout_seconds);
    let heartbeat = literal(&task.heartbeat_seconds);
    let mut valid = [true, true];
    for (i, (field, value)) in
        [("TimeoutSeconds", timeout), ("HeartbeatSeconds", heartbeat)].into_iter().enumerate()
    {
        let Some((number, range)) = value else { continue };
        if number.integer_in(1, MAX) {
            continue;
        }
        valid[i] = false;
        out.push(
            Diagnostic::error(
                R_TASK_TIMEOUT_RANGE,
                def.file,
                range,
                format!("`{field}` {number} is out of range"),
            )
            .with_label("expected a whole number of seconds from 1 to 99999999")
            .with_help(format!("set `{field}` to an integer from 1 to 99999999"))
            .at(state.field_pointer(field)),
        );
    }
    let pairs = [
        ("TimeoutSeconds", task.timeout_seconds.as_ref().map(Dyn::range), task.timeout_seconds_path.as_ref()),
        (
            "HeartbeatSeconds",
            task.heartbeat_seconds.as_ref().map(Dyn::range),
            task.heartbeat_seconds_path.as_ref(),
        ),
    ];
    for (field, plain, path) in pairs {
        let (Some(plain), Some(path)) = (plain, path) else { continue };
        out.push(
            Diagnostic::error(
                R_TASK_TIMEOUT_EXCL,
                def.file,
                plain,
                format!("a Task cannot have both `{field}` and `{field}Path`"),
            )
            .with_label(format!("`{field}` here"))
            .with_secondary(def.file, path.range, format!("`{field}Path` here"))
            .with_help(format!(
                "keep the literal `{field}` or the `{field}Path` read from the input, not both"
            ))
            .with_aws(
                "SCHEMA_VALIDATION_FAILED",
                Some(format!("There should only be one of the following fields: [{field}, {field}Path]")),
            )
            .at(&state.pointer),
        );
    }
    if let (Some((t, t_range)), Some((h, h_range)), [true, true]) = (timeout, heartbeat, valid) {
        if h.as_f64() >= t.as_f64() {
            out.push(
                Diagnostic::error(
                    R_TASK_HEARTBEAT_LT,
                    def.file,
                    h_range,
                    format!("`HeartbeatSeconds` {h} is not below `TimeoutSeconds` {t}"),
                )
                .with_label("the heartbeat must be shorter than the timeout")
                .with_secondary(def.file, t_range, "the timeout")
                .with_help("make `HeartbeatSeconds` smaller than `TimeoutSeconds`")
                .at(state.field_pointer("HeartbeatSeconds")),
            );
        }
    }
    if let (Some((h, h_range)), true) = (heartbeat, valid[1]) {
        let no_timeout = task.timeout_seconds.is_none() && task.timeout_seconds_path.is_none();
        if no_timeout && h.as_i64() == Some(MAX) {
            out.push(
                Diagnostic::warning(
                    ST_TASK_HEARTBEAT_DEFAULT,
                    def.file,
                    h_range,
                    "`HeartbeatSeconds` is not below the default `TimeoutSeconds` of 99999999",
                )
                .with_label("equal to the default timeout")
                .with_help("set a `TimeoutSeconds` above the heartbeat, or lower the heartbeat")
                .at(state.field_pointer("HeartbeatSeconds")),
            );
        }
    }
}

/// One member of a `Credentials` object: the key, its range, and the value when literal.
struct CredentialMember<'a> {
    key: &'a str,
    key_range: TextRange,
    literal: Option<&'a Node>,
}

fn credential_members(object: &Template) -> Vec<CredentialMember<'_>> {
    match object {
        Template::Literal(node) => node
            .as_object()
            .unwrap_or_default()
            .iter()
            .map(|m| CredentialMember { key: &m.key.text, key_range: m.key_range, literal: Some(&m.value) })
            .collect(),
        Template::Object { members, .. } => members
            .iter()
            .map(|m| CredentialMember {
                key: &m.key.value,
                key_range: m.key.range,
                literal: match &m.value {
                    Template::Literal(node) => Some(node),
                    _ => None,
                },
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn check_credentials(def: &Definition, state: &State, task: &Task, out: &mut Vec<Diagnostic>) {
    let Some(credentials) = &task.credentials else { return };
    if matches!(&credentials.object, Template::Literal(node) if is_opaque(node)) {
        return;
    }
    let pointer = state.field_pointer("Credentials");
    let jsonata = state.query_language == crate::ir::QueryLanguage::Jsonata;
    let members = credential_members(&credentials.object);
    let role_keys: &[&str] = if jsonata { &["RoleArn"] } else { &["RoleArn", "RoleArn.$"] };
    let roles: Vec<&CredentialMember> = members.iter().filter(|m| role_keys.contains(&m.key)).collect();
    if roles.is_empty() {
        let help = if members.iter().any(|m| m.key == "RoleArn.$") {
            "`RoleArn.$` is JSONPath; in a JSONata state write `\"RoleArn\": \"{% … %}\"`"
        } else {
            "add `\"RoleArn\": \"arn:aws:iam::<account>:role/<name>\"`"
        };
        out.push(
            Diagnostic::error(
                R_TASK_CREDENTIALS,
                def.file,
                credentials.range,
                "`Credentials` has no `RoleArn`",
            )
            .with_label("the role to assume is missing")
            .with_help(help)
            .with_aws(
                "SCHEMA_VALIDATION_FAILED",
                Some("The field 'RoleArn' is required but was missing".into()),
            )
            .at(&pointer),
        );
        // AWS reports only the missing role here, whatever else the object holds.
        return;
    }
    let fields = |range: TextRange, message: String, help: &str| {
        Diagnostic::error(ST_TASK_CREDENTIALS_FIELDS, def.file, range, message).with_help(help).at(&pointer)
    };
    for member in members.iter().filter(|m| !role_keys.contains(&m.key)) {
        out.push(
            fields(
                member.key_range,
                format!("unknown field `{}` in `Credentials`", member.key),
                &crate::lower::suggest_help(
                    member.key,
                    role_keys,
                    "remove it: `Credentials` holds only `RoleArn`",
                ),
            )
            .with_label("not a field of `Credentials`"),
        );
    }
    for role in roles.iter().filter(|m| m.key == "RoleArn") {
        let Some(node) = role.literal else { continue };
        if node.as_str().is_some() || is_opaque(node) {
            continue;
        }
        let expected = if jsonata { "a string or a JSONata expression" } else { "a string" };
        out.push(
            fields(
                node.range,
                format!("`RoleArn` must be {expected}, not {}", node.type_name()),
                "give the role's ARN, e.g. \"arn:aws:iam::111122223333:role/Target\"",
            )
            .with_label("not an ARN string"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check, machine, only};

    fn task(fields: &str) -> String {
        machine(&format!(r#"{{"Type": "Task", {fields}, "End": true}}"#))
    }

    fn resource(text: &str) -> String {
        task(&format!(r#""Resource": "{text}""#))
    }

    #[test]
    fn resource_forms() {
        let cases: &[(&str, &[&str])] = &[
            ("arn:aws:states:::lambda:invoke", &[]),
            ("arn:aws:lambda:us-east-1:123456789012:function:Hello", &[]),
            ("arn:aws:lambda:region-1:1234567890:function:FUNCTION_NAME:$LATEST", &[]),
            ("arn:aws:lambda:region-1:1234567890:function:FUNCTION_NAME:AZaz12-_", &[]),
            ("arn:aws:states:us-east-1:123456789012:activity:Approve", &["R-TASK-CALLBACK-NOTIMEOUT"]),
            ("arn:aws:states:::aws-sdk:dynamodb:query", &[]),
            ("arn:aws:states:::states:startExecution.sync:2", &[]),
            ("arn:aws:states:::ecs:runTask.sync", &[]),
            ("arn:aws:states:::http:invoke", &[]),
            ("arn:aws:states:us-east-1:123456789012:aws-sdk:s3:putObject", &[]),
            ("${LambdaArn}", &[]),
            ("arn:${AWS::Partition}:states:::lambda:invoke", &[]),
            ("arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:F", &[]),
            ("InvalidArn", &["R-TASK-RESOURCE"]),
            ("${lambdaArn", &["R-TASK-RESOURCE"]),
            ("arn:aws:lambda:region-1:1234567890:function:FUNCTION_NAME:", &["R-TASK-RESOURCE"]),
            ("arn:aws:lambda:region-1:1234567890:function:FUNCTION_NAME:$*#$7485", &["R-TASK-RESOURCE"]),
            ("arn:aws::lambda:us-east-1:111122223333:function:F", &["R-TASK-RESOURCE"]),
            ("foo:bar", &["R-TASK-RESOURCE-URI"]),
            ("arn:aws:swf:us-east-1:123456789012:task:X", &["R-TASK-RESOURCE-URI"]),
            ("arn:aws:states:::dynamodb:query", &["R-TASK-RESOURCE-KNOWN"]),
            ("arn:aws:states:::lambda:listFunctions", &["R-TASK-RESOURCE-KNOWN"]),
            ("arn:aws:states:::s3:getObject", &["R-TASK-RESOURCE-KNOWN"]),
            ("arn:aws:states:::lambda", &["R-TASK-RESOURCE-KNOWN"]),
            ("arn:${AWS::Partition}:states:::dynamodb:query", &["R-TASK-RESOURCE-KNOWN"]),
            ("arn:aws:states:::lambda:invoke.sync", &["R-TASK-PATTERN"]),
            (
                "arn:aws:states:::dynamodb:putItem.waitForTaskToken",
                &["R-TASK-PATTERN", "R-TASK-CALLBACK-NOTIMEOUT", "R-TASK-TOKEN-PASSED"],
            ),
            ("arn:aws:states:::batch:submitJob.sync:2", &["R-TASK-PATTERN"]),
            ("arn:aws:states:::aws-sdk:codebuild:startBuild.sync", &["R-TASK-SDK-NO-SYNC"]),
            ("arn:aws:states:::aws-sdk:s3:listBuckets.sync:2", &["R-TASK-SDK-NO-SYNC"]),
            ("arn:aws:states:::aws-sdk:s3:GetObject", &["R-TASK-SDK-KNOWN"]),
            ("arn:aws:states:::aws-sdk:S3:getObject", &["R-TASK-SDK-KNOWN"]),
        ];
        for (text, expected) in cases {
            check(&resource(text), expected);
        }
    }

    #[test]
    fn unrecognized_integration_carries_aws_message() {
        let d = only(&resource("arn:aws:states:::dynamodb:query"), "R-TASK-RESOURCE-KNOWN");
        assert_eq!(d.location, "/States/S/Resource");
        let aws = d.aws.expect("aws info");
        assert_eq!(aws.code, "SCHEMA_VALIDATION_FAILED");
        assert_eq!(
            aws.message.as_deref(),
            Some("The resource provided arn:aws:states:::dynamodb:query is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.")
        );
        assert!(d.help.expect("help").contains("arn:aws:states:::aws-sdk:dynamodb:query"));
    }

    #[test]
    fn partitions_agree() {
        let two = r#"{"StartAt": "A", "States": {
            "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "B"},
            "B": {"Type": "Task", "Resource": "arn:aws-cn:states:::lambda:invoke", "End": true}}}"#;
        check(two, &["R-TASK-PARTITION"]);
        let same = two.replace("aws-cn", "aws");
        check(&same, &[]);
        let stand_in = two.replace("aws-cn", "<PARTITION>");
        check(&stand_in, &[]);
    }

    #[test]
    fn timeouts() {
        let r = r#""Resource": "arn:aws:states:::lambda:invoke""#;
        let cases: &[(&str, &[&str])] = &[
            (r#""TimeoutSeconds": 60, "HeartbeatSeconds": 10"#, &[]),
            (r#""TimeoutSeconds": 99999999"#, &[]),
            (r#""TimeoutSeconds": 0"#, &["R-TASK-TIMEOUT-RANGE"]),
            (r#""TimeoutSeconds": 1.5"#, &["R-TASK-TIMEOUT-RANGE"]),
            (r#""HeartbeatSeconds": 100000000"#, &["R-TASK-TIMEOUT-RANGE"]),
            (r#""TimeoutSeconds": 60, "TimeoutSecondsPath": "$.t""#, &["R-TASK-TIMEOUT-EXCL"]),
            (r#""HeartbeatSeconds": 6, "HeartbeatSecondsPath": "$.h""#, &["R-TASK-TIMEOUT-EXCL"]),
            (r#""TimeoutSecondsPath": "$.t", "HeartbeatSecondsPath": "$.h""#, &[]),
            (r#""TimeoutSeconds": 60, "HeartbeatSeconds": 60"#, &["R-TASK-HEARTBEAT-LT"]),
            (r#""TimeoutSeconds": 60, "HeartbeatSeconds": 90"#, &["R-TASK-HEARTBEAT-LT"]),
            (r#""TimeoutSeconds": 0, "HeartbeatSeconds": 90"#, &["R-TASK-TIMEOUT-RANGE"]),
            (r#""HeartbeatSeconds": 99999999"#, &["ST-TASK-HEARTBEAT-DEFAULT"]),
            (r#""HeartbeatSeconds": 99999998"#, &[]),
        ];
        for (fields, expected) in cases {
            check(&task(&format!("{r}, {fields}")), expected);
        }
        let jsonata = machine(
            r#"{"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::lambda:invoke",
                "TimeoutSeconds": "{% $states.input.t %}", "HeartbeatSeconds": 5, "End": true}"#,
        );
        check(&jsonata, &[]);
    }

    #[test]
    fn timeout_exclusivity_is_reported_at_the_state() {
        let d = only(
            &task(
                r#""Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 60, "TimeoutSecondsPath": "$.t""#,
            ),
            "R-TASK-TIMEOUT-EXCL",
        );
        assert_eq!(d.location, "/States/S");
        assert_eq!(
            d.aws.and_then(|a| a.message).as_deref(),
            Some("There should only be one of the following fields: [TimeoutSeconds, TimeoutSecondsPath]")
        );
    }

    #[test]
    fn credentials() {
        let r = r#""Resource": "arn:aws:states:::lambda:invoke""#;
        let cases: &[(&str, &[&str])] = &[
            (r#""Credentials": {"RoleArn": "arn:aws:iam::111122223333:role/Target"}"#, &[]),
            (r#""Credentials": {"RoleArn.$": "$.role"}"#, &[]),
            (r#""Credentials": {"RoleArn": {"Fn::GetAtt": ["Role", "Arn"]}}"#, &[]),
            (r#""Credentials": {"Fn::If": ["C", {"RoleArn": "a"}, {"RoleArn": "b"}]}"#, &[]),
            (r#""Credentials": {}"#, &["R-TASK-CREDENTIALS"]),
            (r#""Credentials": {"InvalidField": "invalid"}"#, &["R-TASK-CREDENTIALS"]),
            (r#""Credentials": {"flag": true, "expectPath.$": "$.x", "baz": 5}"#, &["R-TASK-CREDENTIALS"]),
            (r#""Credentials": {"RoleArn": "a", "Role": "b"}"#, &["ST-TASK-CREDENTIALS-FIELDS"]),
            (r#""Credentials": {"RoleArn": "a", "RoleArn.$": "$.r"}"#, &["PT-KEY-CLASH"]),
            (r#""Credentials": {"RoleArn": 5}"#, &["ST-TASK-CREDENTIALS-FIELDS"]),
        ];
        for (fields, expected) in cases {
            check(&task(&format!("{r}, {fields}")), expected);
        }
        let jsonata = |credentials: &str| {
            machine(&format!(
                r#"{{"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::lambda:invoke",
                    "Credentials": {credentials}, "End": true}}"#
            ))
        };
        check(&jsonata(r#"{"RoleArn": "{% 'arn:aws:iam::' & $account & ':role/R' %}"}"#), &[]);
        check(&jsonata(r#"{"RoleArn.$": "$.role"}"#), &["R-TASK-CREDENTIALS", "J-LITERAL-LOOKALIKE"]);
        check(&jsonata(r#"{"RoleArn": ["a"]}"#), &["ST-TASK-CREDENTIALS-FIELDS"]);
    }

    #[test]
    fn missing_role_matches_aws() {
        let d = only(
            &task(r#""Resource": "arn:aws:states:::lambda:invoke", "Credentials": {}"#),
            "R-TASK-CREDENTIALS",
        );
        assert_eq!(d.location, "/States/S/Credentials");
        assert_eq!(
            d.aws.and_then(|a| a.message).as_deref(),
            Some("The field 'RoleArn' is required but was missing")
        );
    }

    #[test]
    fn callbacks() {
        let sqs = r#""Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken""#;
        let cases: &[(&str, &[&str])] = &[
            (r#""Parameters": {"MessageBody": {"token.$": "$$.Task.Token"}}, "TimeoutSeconds": 60"#, &[]),
            (
                r#""Parameters": {"MessageBody.$": "States.Format('{}', $$.Task.Token)"}, "HeartbeatSeconds": 60"#,
                &[],
            ),
            (
                r#""Parameters": {"MessageBody": {"order.$": "$.order"}}, "TimeoutSecondsPath": "$.t""#,
                &["R-TASK-TOKEN-PASSED"],
            ),
            (
                r#""Parameters": {"MessageBody": "$$.Task.Token"}, "TimeoutSeconds": 60"#,
                &["R-TASK-TOKEN-PASSED", "PT-MISSING-DOLLAR"],
            ),
            (r#""TimeoutSeconds": 60"#, &["R-TASK-TOKEN-PASSED"]),
            (
                r#""Parameters": {"MessageBody": {"token.$": "$$.Task.Token"}}"#,
                &["R-TASK-CALLBACK-NOTIMEOUT"],
            ),
        ];
        for (fields, expected) in cases {
            check(&task(&format!("{sqs}, {fields}")), expected);
        }
        let jsonata = machine(
            r#"{"Type": "Task", "QueryLanguage": "JSONata", "Resource": "arn:aws:states:::sns:publish.waitForTaskToken",
                "Arguments": {"Message": "{% $states.context.Task.Token %}"}, "TimeoutSeconds": 5, "End": true}"#,
        );
        check(&jsonata, &[]);
    }
}
