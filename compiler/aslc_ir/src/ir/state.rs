//! States: the fields every state may have, and one struct per state type.

use aslc_source::TextRange;
use aslc_syntax::Node;

use super::{Dyn, Expr, Extra, Name, Number, PathOrNull, QueryLanguage, ScopeId, Spanned, Template, Text};

/// One state.
#[derive(Clone, Debug)]
pub struct State {
    /// The state's name (the key in `States`) and the key's range.
    pub name: Name,
    /// The scope whose `States` holds it.
    pub scope: super::ScopeId,
    /// The range of the state object.
    pub range: TextRange,
    /// AWS-style pointer of the state: `/States/A`, `/States/P/Branches[0]/States/B`.
    pub pointer: String,
    /// The `Type` field's value range (the key's range when absent or invalid).
    pub type_range: TextRange,
    /// `Comment`.
    pub comment: Option<Spanned<Text>>,
    /// The state's own `QueryLanguage` field.
    pub query_language_field: Option<Spanned<QueryLanguage>>,
    /// The effective query language: the state's own, else the machine's.
    pub query_language: QueryLanguage,
    /// How the state leaves (for Choice, Succeed and Fail: [`Transition::None`]).
    pub transition: Transition,
    /// `"End": true` written next to `Next` (an error, already reported). AWS's
    /// terminal-state check looks for `End`, so the state still counts as terminal there.
    pub conflicting_end: Option<TextRange>,
    /// The input/output fields.
    pub io: Io,
    /// `Assign`.
    pub assign: Option<Assign>,
    /// `Retry` and `Catch`.
    pub errors: ErrorHandling,
    /// What the state does.
    pub kind: StateKind,
    /// Fields the IR has no place for (unknown, not allowed here, or of the wrong type).
    pub extra: Vec<Extra>,
}

impl State {
    /// The ASL name of the state's type.
    pub fn type_name(&self) -> &'static str {
        self.kind.type_name()
    }

    /// Whether reaching this state ends its scope: `Succeed`, `Fail`, or `"End": true`.
    pub fn is_terminal(&self) -> bool {
        matches!(self.kind, StateKind::Succeed | StateKind::Fail(_))
            || matches!(self.transition, Transition::End(_))
            || self.conflicting_end.is_some()
    }

    /// Pointer of a field of this state: `/States/A/Next`.
    pub fn field_pointer(&self, field: &str) -> String {
        crate::pointer::join(&self.pointer, field)
    }
}

/// How a Pass, Task, Wait, Parallel or Map state leaves.
#[derive(Clone, PartialEq, Debug)]
pub enum Transition {
    /// `"Next": "<name>"`.
    Next(Name),
    /// `"End": true` (the range of `true`).
    End(TextRange),
    /// Neither (an error for the types that need one, the normal case for the others).
    None,
}

/// The data-flow fields. Which are allowed depends on the state type and the query
/// language (structure.md §4); lowering reports misplaced ones and leaves them `None`.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Io {
    /// `InputPath` (JSONPath).
    pub input_path: Option<PathOrNull>,
    /// `OutputPath` (JSONPath).
    pub output_path: Option<PathOrNull>,
    /// `Parameters` (JSONPath; on Map the deprecated spelling of `ItemSelector`).
    pub parameters: Option<Template>,
    /// `ResultSelector` (JSONPath).
    pub result_selector: Option<Template>,
    /// `ResultPath` (JSONPath).
    pub result_path: Option<PathOrNull>,
    /// `Arguments` (JSONata).
    pub arguments: Option<Template>,
    /// `Output` (JSONata).
    pub output: Option<Template>,
}

/// An `Assign` object.
#[derive(Clone, PartialEq, Debug)]
pub struct Assign {
    /// The object's range.
    pub range: TextRange,
    /// One entry per variable.
    pub vars: Vec<AssignVar>,
}

/// One `name: value` of `Assign`.
#[derive(Clone, PartialEq, Debug)]
pub struct AssignVar {
    /// The key as written (JSONPath: maybe with `.$`).
    pub key: Name,
    /// The variable's name (the key without `.$`).
    pub name: Text,
    /// The value.
    pub value: Template,
}

/// `Retry` and `Catch` of a Task, Parallel or Map state.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct ErrorHandling {
    /// The `Retry` array's range, when present.
    pub retry_range: Option<TextRange>,
    /// Retriers in order.
    pub retry: Vec<Retrier>,
    /// The `Catch` array's range, when present.
    pub catch_range: Option<TextRange>,
    /// Catchers in order.
    pub catch: Vec<Catcher>,
}

/// One element of `Retry`.
#[derive(Clone, PartialEq, Debug)]
pub struct Retrier {
    /// The retrier object's range.
    pub range: TextRange,
    /// `ErrorEquals`.
    pub error_equals: Vec<Name>,
    /// The `ErrorEquals` array's range (the retrier's when absent).
    pub error_equals_range: TextRange,
    /// `IntervalSeconds`.
    pub interval_seconds: Option<Spanned<Number>>,
    /// `MaxAttempts`.
    pub max_attempts: Option<Spanned<Number>>,
    /// `BackoffRate`.
    pub backoff_rate: Option<Spanned<Number>>,
    /// `MaxDelaySeconds`.
    pub max_delay_seconds: Option<Spanned<Number>>,
    /// `JitterStrategy`.
    pub jitter_strategy: Option<Name>,
    /// `Comment`.
    pub comment: Option<Spanned<Text>>,
    /// Unknown fields.
    pub extra: Vec<Extra>,
}

/// One element of `Catch`.
#[derive(Clone, PartialEq, Debug)]
pub struct Catcher {
    /// The catcher object's range.
    pub range: TextRange,
    /// `ErrorEquals`.
    pub error_equals: Vec<Name>,
    /// The `ErrorEquals` array's range (the catcher's when absent).
    pub error_equals_range: TextRange,
    /// `Next`.
    pub next: Option<Name>,
    /// `ResultPath` (JSONPath).
    pub result_path: Option<PathOrNull>,
    /// `Output` (JSONata).
    pub output: Option<Template>,
    /// `Assign`.
    pub assign: Option<Assign>,
    /// `Comment`.
    pub comment: Option<Spanned<Text>>,
    /// Unknown fields.
    pub extra: Vec<Extra>,
}

/// What a state does, by type.
#[derive(Clone, PartialEq, Debug)]
pub enum StateKind {
    /// `Pass`.
    Pass(Pass),
    /// `Task`.
    Task(Box<Task>),
    /// `Choice`.
    Choice(Choice),
    /// `Wait`.
    Wait(Wait),
    /// `Succeed`.
    Succeed,
    /// `Fail`.
    Fail(Fail),
    /// `Parallel`.
    Parallel(Parallel),
    /// `Map`.
    Map(Box<Map>),
    /// A state whose `Type` is missing or not one of the eight (already reported).
    Invalid,
}

impl StateKind {
    /// The ASL name of the type.
    pub fn type_name(&self) -> &'static str {
        match self {
            StateKind::Pass(_) => "Pass",
            StateKind::Task(_) => "Task",
            StateKind::Choice(_) => "Choice",
            StateKind::Wait(_) => "Wait",
            StateKind::Succeed => "Succeed",
            StateKind::Fail(_) => "Fail",
            StateKind::Parallel(_) => "Parallel",
            StateKind::Map(_) => "Map",
            StateKind::Invalid => "?",
        }
    }
}

/// A `Pass` state.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Pass {
    /// `Result` (JSONPath), a literal JSON value.
    pub result: Option<Node>,
}

/// A `Task` state.
#[derive(Clone, PartialEq, Debug)]
pub struct Task {
    /// `Resource`.
    pub resource: Option<Name>,
    /// `Credentials`.
    pub credentials: Option<Credentials>,
    /// `TimeoutSeconds`.
    pub timeout_seconds: Option<Dyn<Number>>,
    /// `TimeoutSecondsPath` (JSONPath).
    pub timeout_seconds_path: Option<Expr>,
    /// `HeartbeatSeconds`.
    pub heartbeat_seconds: Option<Dyn<Number>>,
    /// `HeartbeatSecondsPath` (JSONPath).
    pub heartbeat_seconds_path: Option<Expr>,
}

/// A Task's `Credentials` object.
#[derive(Clone, PartialEq, Debug)]
pub struct Credentials {
    /// The object's range.
    pub range: TextRange,
    /// `RoleArn` (a literal, or an expression in JSONata states) or `RoleArn.$`.
    pub role_arn: Option<Template>,
    /// The whole object lowered as a template, every member included (the checks of
    /// states.md §2.1 need the members other than `RoleArn`).
    pub object: Template,
}

/// A `Choice` state.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Choice {
    /// The `Choices` array's range.
    pub choices_range: Option<TextRange>,
    /// The top-level rules.
    pub choices: Vec<ChoiceRule>,
    /// `Default`.
    pub default: Option<Name>,
}

/// A top-level choice rule: a condition plus where to go.
#[derive(Clone, PartialEq, Debug)]
pub struct ChoiceRule {
    /// The rule object's range.
    pub range: TextRange,
    /// The test.
    pub condition: Condition,
    /// `Next`.
    pub next: Option<Name>,
    /// `Assign` (on top-level rules only).
    pub assign: Option<Assign>,
    /// `Output` (JSONata, top-level rules only).
    pub output: Option<Template>,
    /// `Comment`.
    pub comment: Option<Spanned<Text>>,
    /// Unknown fields.
    pub extra: Vec<Extra>,
}

/// The test of a choice rule.
#[derive(Clone, PartialEq, Debug)]
pub enum Condition {
    /// `Variable` + one comparison operator (JSONPath).
    Compare {
        /// `Variable`.
        variable: Option<Expr>,
        /// The operator field, e.g. `StringEquals`.
        operator: Name,
        /// The operator, decoded.
        op: ChoiceOp,
        /// The operand: a literal or, for `…Path` operators, a path string.
        operand: Node,
        /// The operand of a `…Path` operator, parsed (`None` for the other operators and
        /// for an operand that is not a string).
        path: Option<Expr>,
    },
    /// `And`: every rule holds.
    And(TextRange, Vec<Condition>),
    /// `Or`: some rule holds.
    Or(TextRange, Vec<Condition>),
    /// `Not`.
    Not(TextRange, Box<Condition>),
    /// JSONata `Condition`: `true`, `false` or an expression string.
    Jsonata(Template),
    /// A rule too malformed to classify (already reported).
    Invalid(TextRange),
}

/// The comparison operators of choice.md §4.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[allow(missing_docs)]
pub enum ChoiceOp {
    StringEquals,
    StringEqualsPath,
    StringLessThan,
    StringLessThanPath,
    StringGreaterThan,
    StringGreaterThanPath,
    StringLessThanEquals,
    StringLessThanEqualsPath,
    StringGreaterThanEquals,
    StringGreaterThanEqualsPath,
    StringMatches,
    NumericEquals,
    NumericEqualsPath,
    NumericLessThan,
    NumericLessThanPath,
    NumericGreaterThan,
    NumericGreaterThanPath,
    NumericLessThanEquals,
    NumericLessThanEqualsPath,
    NumericGreaterThanEquals,
    NumericGreaterThanEqualsPath,
    BooleanEquals,
    BooleanEqualsPath,
    TimestampEquals,
    TimestampEqualsPath,
    TimestampLessThan,
    TimestampLessThanPath,
    TimestampGreaterThan,
    TimestampGreaterThanPath,
    TimestampLessThanEquals,
    TimestampLessThanEqualsPath,
    TimestampGreaterThanEquals,
    TimestampGreaterThanEqualsPath,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

/// The operand type a comparison operator takes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OperandKind {
    /// A string literal.
    String,
    /// A number literal.
    Number,
    /// A boolean literal.
    Boolean,
    /// A timestamp string literal.
    Timestamp,
    /// A path (the `…Path` operators).
    Path,
}

macro_rules! choice_ops {
    ($($op:ident => $kind:ident),* $(,)?) => {
        impl ChoiceOp {
            /// Every operator, in the order of choice.md.
            pub const ALL: &'static [ChoiceOp] = &[$(ChoiceOp::$op),*];

            /// The ASL field name.
            pub fn as_str(self) -> &'static str {
                match self { $(ChoiceOp::$op => stringify!($op)),* }
            }

            /// The operator named `name`.
            pub fn from_name(name: &str) -> Option<ChoiceOp> {
                match name { $(stringify!($op) => Some(ChoiceOp::$op),)* _ => None }
            }

            /// The operand the operator takes.
            pub fn operand_kind(self) -> OperandKind {
                match self { $(ChoiceOp::$op => OperandKind::$kind),* }
            }
        }
    };
}

choice_ops! {
    StringEquals => String, StringEqualsPath => Path,
    StringLessThan => String, StringLessThanPath => Path,
    StringGreaterThan => String, StringGreaterThanPath => Path,
    StringLessThanEquals => String, StringLessThanEqualsPath => Path,
    StringGreaterThanEquals => String, StringGreaterThanEqualsPath => Path,
    StringMatches => String,
    NumericEquals => Number, NumericEqualsPath => Path,
    NumericLessThan => Number, NumericLessThanPath => Path,
    NumericGreaterThan => Number, NumericGreaterThanPath => Path,
    NumericLessThanEquals => Number, NumericLessThanEqualsPath => Path,
    NumericGreaterThanEquals => Number, NumericGreaterThanEqualsPath => Path,
    BooleanEquals => Boolean, BooleanEqualsPath => Path,
    TimestampEquals => Timestamp, TimestampEqualsPath => Path,
    TimestampLessThan => Timestamp, TimestampLessThanPath => Path,
    TimestampGreaterThan => Timestamp, TimestampGreaterThanPath => Path,
    TimestampLessThanEquals => Timestamp, TimestampLessThanEqualsPath => Path,
    TimestampGreaterThanEquals => Timestamp, TimestampGreaterThanEqualsPath => Path,
    IsNull => Boolean, IsPresent => Boolean, IsNumeric => Boolean,
    IsString => Boolean, IsBoolean => Boolean, IsTimestamp => Boolean,
}

/// A `Wait` state.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Wait {
    /// `Seconds`.
    pub seconds: Option<Dyn<Number>>,
    /// `Timestamp`.
    pub timestamp: Option<Dyn<Text>>,
    /// `SecondsPath` (JSONPath).
    pub seconds_path: Option<Expr>,
    /// `TimestampPath` (JSONPath).
    pub timestamp_path: Option<Expr>,
}

/// A `Fail` state.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Fail {
    /// `Error`.
    pub error: Option<Dyn<Text>>,
    /// `ErrorPath` (JSONPath).
    pub error_path: Option<Expr>,
    /// `Cause`.
    pub cause: Option<Dyn<Text>>,
    /// `CausePath` (JSONPath).
    pub cause_path: Option<Expr>,
}

/// A `Parallel` state.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Parallel {
    /// The `Branches` array's range.
    pub branches_range: Option<TextRange>,
    /// One scope per branch.
    pub branches: Vec<ScopeId>,
}

/// A `Map` state.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Map {
    /// The processor (`ItemProcessor` or `Iterator`).
    pub processor: Option<ScopeId>,
    /// `ItemsPath` (JSONPath).
    pub items_path: Option<Expr>,
    /// `Items` (JSONata): an array or an expression.
    pub items: Option<Template>,
    /// `ItemSelector` (or, in JSONPath, the deprecated `Parameters`, which is in
    /// [`Io::parameters`]).
    pub item_selector: Option<Template>,
    /// `MaxConcurrency`.
    pub max_concurrency: Option<Dyn<Number>>,
    /// `MaxConcurrencyPath` (JSONPath).
    pub max_concurrency_path: Option<Expr>,
    /// `ToleratedFailurePercentage`.
    pub tolerated_failure_percentage: Option<Dyn<Number>>,
    /// `ToleratedFailurePercentagePath` (JSONPath).
    pub tolerated_failure_percentage_path: Option<Expr>,
    /// `ToleratedFailureCount`.
    pub tolerated_failure_count: Option<Dyn<Number>>,
    /// `ToleratedFailureCountPath` (JSONPath).
    pub tolerated_failure_count_path: Option<Expr>,
    /// `ItemReader` (distributed).
    pub item_reader: Option<ItemReader>,
    /// `ItemBatcher` (distributed).
    pub item_batcher: Option<ItemBatcher>,
    /// `ResultWriter` (distributed).
    pub result_writer: Option<ResultWriter>,
    /// `Label` (distributed).
    pub label: Option<Name>,
}

/// A Map's `ItemReader`: where a Distributed Map reads its items (states.md §9.2).
#[derive(Clone, PartialEq, Debug)]
pub struct ItemReader {
    /// The object's range.
    pub range: TextRange,
    /// `Resource`: `arn:<p>:states:::s3:getObject` or `…:s3:listObjectsV2`.
    pub resource: Option<Name>,
    /// `Parameters` (JSONPath).
    pub parameters: Option<Template>,
    /// `Arguments` (JSONata).
    pub arguments: Option<Template>,
    /// `ReaderConfig`.
    pub reader_config: Option<ReaderConfig>,
}

/// An `ItemReader`'s `ReaderConfig`.
#[derive(Clone, PartialEq, Debug)]
pub struct ReaderConfig {
    /// The object's range.
    pub range: TextRange,
    /// `InputType`: `CSV`, `JSON`, `JSONL`, `PARQUET` or `MANIFEST`.
    pub input_type: Option<Name>,
    /// `CSVHeaderLocation`: `FIRST_ROW` or `GIVEN`.
    pub csv_header_location: Option<Name>,
    /// `CSVHeaders`: the header names, with the array's range.
    pub csv_headers: Option<Spanned<Vec<Name>>>,
    /// `CSVDelimiter`: `COMMA`, `PIPE`, `SEMICOLON`, `SPACE` or `TAB`.
    pub csv_delimiter: Option<Name>,
    /// `ManifestType`: `S3_INVENTORY` or `ATHENA_DATA`.
    pub manifest_type: Option<Name>,
    /// `Transformation`: `NONE` or `LOAD_AND_FLATTEN`.
    pub transformation: Option<Name>,
    /// `ItemsPointer`: a JSON Pointer into a JSON document.
    pub items_pointer: Option<Name>,
    /// `MaxItems`.
    pub max_items: Option<Dyn<Number>>,
    /// `MaxItemsPath` (JSONPath).
    pub max_items_path: Option<Expr>,
}

/// A Map's `ItemBatcher`: how a Distributed Map groups items per child (states.md §9.3).
#[derive(Clone, PartialEq, Debug)]
pub struct ItemBatcher {
    /// The object's range.
    pub range: TextRange,
    /// `MaxItemsPerBatch`.
    pub max_items_per_batch: Option<Dyn<Number>>,
    /// `MaxItemsPerBatchPath` (JSONPath).
    pub max_items_per_batch_path: Option<Expr>,
    /// `MaxInputBytesPerBatch`.
    pub max_input_bytes_per_batch: Option<Dyn<Number>>,
    /// `MaxInputBytesPerBatchPath` (JSONPath).
    pub max_input_bytes_per_batch_path: Option<Expr>,
    /// `BatchInput`: added to every batch.
    pub batch_input: Option<Template>,
}

/// A Map's `ResultWriter`: where a Distributed Map exports child results (states.md §9.4).
#[derive(Clone, PartialEq, Debug)]
pub struct ResultWriter {
    /// The object's range.
    pub range: TextRange,
    /// `Resource`: `arn:<p>:states:::s3:putObject`.
    pub resource: Option<Name>,
    /// `Parameters` (JSONPath).
    pub parameters: Option<Template>,
    /// `Arguments` (JSONata).
    pub arguments: Option<Template>,
    /// `WriterConfig`.
    pub writer_config: Option<WriterConfig>,
}

/// A `ResultWriter`'s `WriterConfig`.
#[derive(Clone, PartialEq, Debug)]
pub struct WriterConfig {
    /// The object's range.
    pub range: TextRange,
    /// `OutputType`: `JSON` or `JSONL`.
    pub output_type: Option<Name>,
    /// `Transformation`: `NONE`, `COMPACT` or `FLATTEN`.
    pub transformation: Option<Name>,
}

/// An `ItemProcessor`'s `ProcessorConfig`.
#[derive(Clone, PartialEq, Debug)]
pub struct ProcessorConfig {
    /// The object's range.
    pub range: TextRange,
    /// `Mode`: `INLINE` or `DISTRIBUTED`.
    pub mode: Option<Name>,
    /// `ExecutionType`: `STANDARD` or `EXPRESS` (distributed only).
    pub execution_type: Option<Name>,
}

impl Map {
    /// Whether the processor runs in distributed mode. Needs the definition to read the
    /// processor's `ProcessorConfig`.
    pub fn is_distributed(&self, def: &super::Definition) -> bool {
        self.processor
            .and_then(|scope| def.scope(scope).processor_config.as_ref())
            .and_then(|config| config.mode.as_ref())
            .is_some_and(|mode| &*mode.value == "DISTRIBUTED")
    }
}
