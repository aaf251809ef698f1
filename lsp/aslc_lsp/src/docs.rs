//! The reference text editors show: what each field and state type means, the predefined
//! error names, the context object, intrinsic signatures and the common optimized
//! integrations. Summaries of the ASL reference (`spec/`), one or two sentences each.

use aslc_query::intrinsic::{Function, Param, Returns};

/// Every field of a definition, a scope, a state, a retrier, a catcher or a Map's
/// configuration, with its documentation.
pub const FIELDS: &[(&str, &str)] = &[
    ("StartAt", "The name of the state the scope starts with; it must be a state of the same `States` object."),
    ("States", "The states of this scope, by name: an object whose members are the states."),
    ("Comment", "A human-readable description; ignored by the interpreter."),
    ("Version", "The version of the Amazon States Language the definition is written in (`1.0`)."),
    ("TimeoutSeconds", "The most seconds the machine (or task) may run before failing with `States.Timeout`."),
    ("QueryLanguage", "`JSONPath` (the default) or `JSONata`: the language of paths and expressions here and in nested states."),
    ("Type", "The state's type: `Task`, `Pass`, `Wait`, `Choice`, `Parallel`, `Map`, `Succeed` or `Fail`."),
    ("Next", "The name of the state to run next, in the same scope."),
    ("End", "`true` makes this a terminal state: the scope ends with this state's output."),
    ("InputPath", "JSONPath: selects the part of the state input the state works on (`$` by default; `null` for `{}`)."),
    ("OutputPath", "JSONPath: selects the part of the state's result passed on as output (`$` by default)."),
    ("Parameters", "JSONPath: a payload template building the task's parameters (the effective input); keys ending in `.$` take paths or intrinsics."),
    ("ResultSelector", "JSONPath: a payload template applied to the task's raw result before `ResultPath`."),
    ("ResultPath", "JSONPath: where in the state input the result is placed (`$` replaces the input; `null` discards the result)."),
    ("Result", "Pass: the fixed value the state outputs (instead of its input)."),
    ("Arguments", "JSONata: the arguments of the task (or Parallel input): a JSON value with `{% … %}` expressions."),
    ("Output", "JSONata: the state's output, a JSON value with `{% … %}` expressions (the result by default)."),
    ("Assign", "Stores workflow variables: an object of variable names to values (paths or expressions), read later as `$name`."),
    ("Retry", "Retriers, tried in order when the state fails: each names errors (`ErrorEquals`) and a backoff policy."),
    ("Catch", "Catchers, tried in order after retries run out: each names errors (`ErrorEquals`) and the state to go to (`Next`)."),
    ("Resource", "The task's resource: a Lambda or activity ARN, or an optimized/SDK integration `arn:aws:states:::service:action[.sync|.waitForTaskToken]`."),
    ("Credentials", "A role the task assumes (`RoleArn` or `RoleArn.$`), for cross-account calls."),
    ("HeartbeatSeconds", "The most seconds between heartbeats of an activity or callback task before `States.HeartbeatTimeout`; less than `TimeoutSeconds`."),
    ("TimeoutSecondsPath", "JSONPath: reads the task's timeout (seconds) from the input."),
    ("HeartbeatSecondsPath", "JSONPath: reads the task's heartbeat interval (seconds) from the input."),
    ("Choices", "Choice rules, tried in order: the first that matches names the next state (`Next`)."),
    ("Default", "The state to go to when no Choice rule matches; without it the execution fails with `States.NoChoiceMatched`."),
    ("Condition", "JSONata: the Choice rule's boolean expression (`{% … %}`)."),
    ("Variable", "JSONPath: the path whose value a Choice rule compares."),
    ("And", "JSONPath: all of these rules must match."),
    ("Or", "JSONPath: any of these rules must match."),
    ("Not", "JSONPath: this rule must not match."),
    ("Seconds", "Wait: how many seconds to wait (an integer; a `{% … %}` expression in JSONata)."),
    ("Timestamp", "Wait: the RFC 3339 time to wait until (`2026-01-01T00:00:00Z`)."),
    ("SecondsPath", "Wait (JSONPath): reads the seconds to wait from the input."),
    ("TimestampPath", "Wait (JSONPath): reads the time to wait until from the input."),
    ("Error", "Fail: the error name the execution fails with."),
    ("Cause", "Fail: a human-readable cause of the failure."),
    ("ErrorPath", "Fail (JSONPath): reads the error name from the input (a path or intrinsic)."),
    ("CausePath", "Fail (JSONPath): reads the cause from the input (a path or intrinsic)."),
    ("Branches", "Parallel: the branches run at once, each a scope with `StartAt` and `States`; the output is the array of their outputs."),
    ("ItemProcessor", "Map: the scope run for each item (`StartAt`, `States`) and its `ProcessorConfig` (`INLINE` or `DISTRIBUTED`)."),
    ("ProcessorConfig", "Map: `Mode` (`INLINE` or `DISTRIBUTED`) and, for distributed maps, `ExecutionType` (`STANDARD` or `EXPRESS`)."),
    ("Iterator", "Map (deprecated): the scope run for each item; use `ItemProcessor`."),
    ("ItemsPath", "Map (JSONPath): the path of the array to iterate over (`$` by default)."),
    ("Items", "Map (JSONata): the array to iterate over, an array or an expression."),
    ("ItemSelector", "Map: builds each iteration's input from the item (`$$.Map.Item.Value`) and the state input."),
    ("MaxConcurrency", "Map: the most iterations run at once (0 for no limit)."),
    ("MaxConcurrencyPath", "Map (JSONPath): reads the concurrency limit from the input."),
    ("ToleratedFailurePercentage", "Distributed Map: the percentage of failed items tolerated before the run fails."),
    ("ToleratedFailureCount", "Distributed Map: the number of failed items tolerated before the run fails."),
    ("ToleratedFailurePercentagePath", "Distributed Map (JSONPath): reads the tolerated failure percentage from the input."),
    ("ToleratedFailureCountPath", "Distributed Map (JSONPath): reads the tolerated failure count from the input."),
    ("ItemReader", "Distributed Map: reads the items from S3 (a CSV or JSON file, an inventory, a listing)."),
    ("ItemBatcher", "Distributed Map: groups items into batches for each child execution."),
    ("ResultWriter", "Distributed Map: writes the child executions' results to S3."),
    ("Label", "Distributed Map: a label for the map run's child executions (at most 40 characters)."),
    ("ErrorEquals", "The error names this retrier or catcher handles; `States.ALL` matches every error and must stand alone, last."),
    ("IntervalSeconds", "Retry: seconds before the first retry (1 by default)."),
    ("MaxAttempts", "Retry: how many retries at most (3 by default; 0 never retries)."),
    ("BackoffRate", "Retry: the multiplier of the interval after each attempt (2.0 by default; at least 1)."),
    ("MaxDelaySeconds", "Retry: the longest interval between retries, capping the backoff."),
    ("JitterStrategy", "Retry: `FULL` randomises each interval between 0 and its value; `NONE` (the default) does not."),
    ("Mode", "Map `ProcessorConfig`: `INLINE` (iterations inside this execution, at most 40 at once) or `DISTRIBUTED` (child executions)."),
    ("ExecutionType", "Distributed Map `ProcessorConfig`: `STANDARD` or `EXPRESS` child executions."),
    ("IsNull", "Choice rule: whether the value at `Variable` is `null` (`true`) or not (`false`)."),
    ("IsPresent", "Choice rule: whether `Variable` selects a value."),
    ("IsNumeric", "Choice rule: whether the value at `Variable` is a number."),
    ("IsString", "Choice rule: whether the value at `Variable` is a string."),
    ("IsBoolean", "Choice rule: whether the value at `Variable` is a boolean."),
    ("IsTimestamp", "Choice rule: whether the value at `Variable` is an RFC 3339 timestamp string."),
    ("StringMatches", "Choice rule: whether the string at `Variable` matches a pattern where `*` stands for any characters (`\\*` for a star)."),
];

/// The comparison operators of JSONPath Choice rules: `StringEquals`,
/// `NumericLessThanEqualsPath`, …
pub fn comparison_operators() -> Vec<String> {
    let mut out = Vec::new();
    for kind in ["String", "Numeric", "Timestamp"] {
        for op in ["Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"] {
            out.push(format!("{kind}{op}"));
            out.push(format!("{kind}{op}Path"));
        }
    }
    out.extend(["BooleanEquals", "BooleanEqualsPath", "StringMatches"].map(String::from));
    out.extend(
        ["IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"].map(String::from),
    );
    out
}

/// The documentation of a comparison operator such as `NumericGreaterThanPath`.
pub fn comparison(name: &str) -> Option<String> {
    if let Some(doc) = field(name).filter(|_| name.starts_with("Is") || name == "StringMatches") {
        return Some(doc.to_string());
    }
    let (base, path) = match name.strip_suffix("Path") {
        Some(base) => (base, true),
        None => (name, false),
    };
    let (kind, op) = ["String", "Numeric", "Boolean", "Timestamp"]
        .iter()
        .find_map(|k| base.strip_prefix(k).map(|op| (*k, op)))?;
    let relation = match op {
        "Equals" => "equals",
        "LessThan" => "is less than",
        "GreaterThan" => "is greater than",
        "LessThanEquals" => "is less than or equal to",
        "GreaterThanEquals" => "is greater than or equal to",
        _ => return None,
    };
    if kind == "Boolean" && op != "Equals" {
        return None;
    }
    let operand = if path { "the value at this path (a reference path)" } else { "this literal" };
    let article = if kind == "Timestamp" { "a timestamp" } else { &*format!("a {}", kind.to_lowercase()) };
    Some(format!(
        "Choice rule: matches when the value at `Variable` is {article} and {relation} {operand}; a value of another type never matches."
    ))
}

/// The documentation of a field.
pub fn field(name: &str) -> Option<&'static str> {
    FIELDS.iter().find(|(n, _)| *n == name).map(|(_, doc)| *doc)
}

/// The state types with their documentation.
pub const STATE_TYPES: &[(&str, &str)] = &[
    ("Task", "Runs one unit of work: a Lambda function, an activity, or an AWS service integration (`Resource`)."),
    ("Pass", "Passes its input to its output, optionally injecting `Result` (JSONPath) or shaping `Output` (JSONata)."),
    ("Wait", "Pauses for `Seconds` or until a `Timestamp`."),
    ("Choice", "Branches: the first matching rule of `Choices` names the next state, `Default` otherwise."),
    ("Parallel", "Runs its `Branches` at once and outputs the array of their results."),
    ("Map", "Runs its `ItemProcessor` for each item of an array, inline or as a distributed map over S3 data."),
    ("Succeed", "Ends the scope successfully with its input as output."),
    ("Fail", "Ends the execution with an `Error` and a `Cause`."),
];

/// The documentation of a state type.
pub fn state_type(name: &str) -> Option<&'static str> {
    STATE_TYPES.iter().find(|(n, _)| *n == name).map(|(_, doc)| *doc)
}

/// The predefined error names (runtime-errors.md) with what raises them.
pub const ERRORS: &[(&str, &str)] = &[
    ("States.ALL", "Matches every error name (but not `States.DataLimitExceeded` or `States.Runtime` in a retrier). Must be the only name of the last retrier or catcher."),
    ("States.HeartbeatTimeout", "A task sent no heartbeat for longer than `HeartbeatSeconds`."),
    ("States.Timeout", "A task ran longer than `TimeoutSeconds`, or sent no heartbeat in time; also the whole execution exceeding its timeout."),
    ("States.TaskFailed", "A task failed during its execution; matches every error except `States.Timeout`."),
    ("States.Permissions", "A task lacked the privileges to run its code."),
    ("States.ResultPathMatchFailure", "`ResultPath` cannot be applied to the state's input."),
    ("States.ParameterPathFailure", "A path in `Parameters` does not match the input."),
    ("States.QueryEvaluationError", "A JSONata expression failed to evaluate (wrong type, undefined result)."),
    ("States.BranchFailed", "A branch of a Parallel state failed."),
    ("States.NoChoiceMatched", "No Choice rule matched and there is no `Default`."),
    ("States.IntrinsicFailure", "An intrinsic function failed."),
    ("States.ExceedToleratedFailureThreshold", "A distributed Map's failed items exceeded the tolerated threshold."),
    ("States.ItemReaderFailed", "A distributed Map's `ItemReader` could not read its items."),
    ("States.ResultWriterFailed", "A distributed Map's `ResultWriter` could not write its results."),
    ("States.DataLimitExceeded", "An input or output exceeded the 256 KiB payload limit; not matched by `States.ALL` in retriers."),
    ("States.Runtime", "A runtime error such as an `InputPath` selecting nothing; never retried."),
    ("Lambda.ServiceException", "Lambda returned an internal error; transient, retry it."),
    ("Lambda.AWSLambdaException", "Lambda failed on AWS's side; transient, retry it."),
    ("Lambda.SdkClientException", "The Lambda call failed in the SDK (network, throttling); transient, retry it."),
    ("Lambda.TooManyRequestsException", "Lambda throttled the call; transient, retry it with backoff."),
];

/// The documentation of an error name.
pub fn error(name: &str) -> Option<&'static str> {
    ERRORS.iter().find(|(n, _)| *n == name).map(|(_, doc)| *doc)
}

/// The context object (`$$.`, `$states.context.` in JSONata) paths.
pub const CONTEXT_PATHS: &[(&str, &str)] = &[
    ("Execution.Id", "The execution's ARN."),
    ("Execution.Input", "The execution's original input."),
    ("Execution.Name", "The execution's name."),
    ("Execution.RoleArn", "The role the execution runs as."),
    ("Execution.StartTime", "When the execution started (RFC 3339)."),
    ("Execution.RedriveCount", "How often the execution was redriven."),
    ("Execution.RedriveTime", "When the execution was last redriven."),
    ("State.EnteredTime", "When the current state was entered."),
    ("State.Name", "The current state's name."),
    ("State.RetryCount", "How many times the current state was retried."),
    ("StateMachine.Id", "The state machine's ARN."),
    ("StateMachine.Name", "The state machine's name."),
    ("Task.Token", "The task token of a `.waitForTaskToken` task, to pass to the worker."),
    ("Map.Item.Index", "The index of the current Map item."),
    ("Map.Item.Value", "The current Map item."),
    ("Map.Item.Key", "The key of the current item, for a JSON object read by a distributed Map."),
    ("Map.Item.Source", "Where a distributed Map read the current item."),
];

/// The optimized integrations editors offer in `Resource`, with what they do.
pub const RESOURCES: &[(&str, &str)] = &[
    ("arn:aws:states:::lambda:invoke", "Invoke a Lambda function (request/response)."),
    (
        "arn:aws:states:::lambda:invoke.waitForTaskToken",
        "Invoke a Lambda function and wait for the task token.",
    ),
    ("arn:aws:states:::dynamodb:getItem", "Read an item from DynamoDB."),
    ("arn:aws:states:::dynamodb:putItem", "Write an item to DynamoDB."),
    ("arn:aws:states:::dynamodb:updateItem", "Update an item in DynamoDB."),
    ("arn:aws:states:::dynamodb:deleteItem", "Delete an item from DynamoDB."),
    ("arn:aws:states:::sns:publish", "Publish a message to an SNS topic."),
    ("arn:aws:states:::sqs:sendMessage", "Send a message to an SQS queue."),
    (
        "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Send a message to SQS and wait for the task token.",
    ),
    ("arn:aws:states:::events:putEvents", "Send events to EventBridge."),
    ("arn:aws:states:::ecs:runTask.sync", "Run an ECS task and wait for it to finish."),
    ("arn:aws:states:::batch:submitJob.sync", "Submit an AWS Batch job and wait for it."),
    ("arn:aws:states:::glue:startJobRun.sync", "Run a Glue job and wait for it."),
    (
        "arn:aws:states:::states:startExecution.sync:2",
        "Start a nested Step Functions execution and wait for it (output as JSON).",
    ),
    ("arn:aws:states:::states:startExecution", "Start a nested Step Functions execution."),
    ("arn:aws:states:::athena:startQueryExecution.sync", "Run an Athena query and wait for it."),
    ("arn:aws:states:::codebuild:startBuild.sync", "Run a CodeBuild build and wait for it."),
    ("arn:aws:states:::bedrock:invokeModel", "Invoke a Bedrock model."),
    ("arn:aws:states:::http:invoke", "Call an HTTPS API through an EventBridge connection."),
    (
        "arn:aws:states:::aws-sdk:s3:getObject",
        "Any AWS SDK action (`aws-sdk:service:action`): here S3 GetObject.",
    ),
];

/// `String`, `Number`…: how a parameter kind reads in a signature.
fn param_name(param: Param) -> &'static str {
    match param {
        Param::Any => "value",
        Param::String => "string",
        Param::Number => "number",
        Param::Integer => "integer",
        Param::Index => "index",
        Param::Size => "size",
        Param::Array => "array",
        Param::Object => "object",
        Param::HashAlgorithm => "algorithm",
        Param::False => "false",
        Param::Path => "path",
    }
}

fn returns_name(returns: Returns) -> &'static str {
    match returns {
        Returns::String => "string",
        Returns::Number => "number",
        Returns::Boolean => "boolean",
        Returns::Array => "array",
        Returns::Object => "object",
        Returns::Any => "value",
    }
}

/// The parameter names of a function, one per position up to its maximum (or one more
/// than the minimum, as `...`, for variadic ones).
fn params(function: Function) -> Vec<String> {
    let sig = function.signature();
    let shown = sig.max_args.unwrap_or(sig.min_args + 1);
    (0..shown)
        .map(|i| {
            let param = sig.params.get(i).or(sig.params.last()).copied().unwrap_or(Param::Any);
            let name = param_name(param);
            if sig.max_args.is_none() && i + 1 == shown {
                format!("{name}...")
            } else if i >= sig.min_args {
                format!("{name}?")
            } else {
                name.to_string()
            }
        })
        .collect()
}

/// `States.Format(string, value...) → string`.
pub fn signature(function: Function) -> String {
    format!(
        "States.{}({}) → {}",
        function.name(),
        params(function).join(", "),
        returns_name(function.signature().returns)
    )
}

/// What each intrinsic does.
pub fn intrinsic_doc(function: Function) -> &'static str {
    match function {
        Function::Format => {
            "Builds a string from a template with `{}` placeholders filled by the other arguments."
        }
        Function::StringToJson => "Parses a JSON string into a value.",
        Function::JsonToString => "Serialises the value at a path to a JSON string.",
        Function::Array => "Makes an array of its arguments.",
        Function::ArrayPartition => "Splits an array into chunks of the given size.",
        Function::ArrayContains => "Whether an array contains a value.",
        Function::ArrayRange => "An array of numbers from start to end (inclusive) by step.",
        Function::ArrayGetItem => "The array element at an index.",
        Function::ArrayLength => "The length of an array.",
        Function::ArrayUnique => "The array without duplicate values.",
        Function::Base64Encode => "Base64-encodes a string.",
        Function::Base64Decode => "Decodes a base64 string.",
        Function::Hash => "The hash of a string (`MD5`, `SHA-1`, `SHA-256`, `SHA-384`, `SHA-512`).",
        Function::JsonMerge => "Merges two objects (shallow: the third argument must be `false`).",
        Function::MathRandom => {
            "A random integer from start (inclusive) to end (exclusive), optionally seeded."
        }
        Function::MathAdd => "The sum of two numbers.",
        Function::StringSplit => "Splits a string at a delimiter.",
        Function::UUID => "A random version 4 UUID.",
    }
}

/// A snippet calling `function`, with a tab stop per required argument.
pub fn intrinsic_snippet(function: Function) -> String {
    let sig = function.signature();
    let args: Vec<String> = (0..sig.min_args)
        .map(|i| {
            let param = sig.params.get(i).or(sig.params.last()).copied().unwrap_or(Param::Any);
            format!("${{{}:{}}}", i + 1, param_name(param))
        })
        .collect();
    format!("States.{}({})", function.name(), args.join(", "))
}
