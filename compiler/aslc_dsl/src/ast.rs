//! The syntax tree of a `.asld` file.
//!
//! The parser builds it from text and the decompiler builds it from ASL; the printer writes
//! it in the canonical layout and lowering turns it into ASL. Every node keeps the byte
//! range it was parsed from (an empty range for trees built by the decompiler).

use aslc_source::TextRange;

/// A string with its range.
#[derive(Clone, PartialEq, Debug)]
pub struct Text {
    /// The decoded text.
    pub text: String,
    /// Where it is.
    pub range: TextRange,
}

impl Text {
    /// A text with a range.
    pub fn new(text: impl Into<String>, range: TextRange) -> Text {
        Text { text: text.into(), range }
    }

    /// A text with no source.
    pub fn synthetic(text: impl Into<String>) -> Text {
        Text { text: text.into(), range: TextRange::default() }
    }
}

/// A whole file.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct File {
    /// `//!` lines.
    pub inner_docs: Vec<Text>,
    /// Header lines, in order.
    pub headers: Vec<Header>,
    /// `policy` declarations.
    pub policies: Vec<Policy>,
    /// The top-level states.
    pub states: Vec<State>,
}

/// One header line.
#[derive(Clone, PartialEq, Debug)]
pub struct Header {
    /// What it says.
    pub kind: HeaderKind,
    /// The whole line.
    pub range: TextRange,
    /// The leading word.
    pub word_range: TextRange,
}

/// The header lines of dsl.md §6.
#[derive(Clone, PartialEq, Debug)]
pub enum HeaderKind {
    /// `comment V`.
    Comment(Value),
    /// `query …`.
    Query(QueryLang),
    /// `version V`.
    Version(Value),
    /// `timeout V`.
    Timeout(Value),
    /// `start N` / `start none`.
    Start(Option<Text>),
    /// `raw { … }`.
    Raw(Value),
}

/// `jsonpath`, `jsonata` or any value.
#[derive(Clone, PartialEq, Debug)]
pub enum QueryLang {
    /// `jsonpath`.
    JsonPath(TextRange),
    /// `jsonata`.
    Jsonata(TextRange),
    /// A value, verbatim.
    Value(Value),
}

/// `policy P { … }`.
#[derive(Clone, PartialEq, Debug)]
pub struct Policy {
    /// Its name.
    pub name: Text,
    /// Its `retry`, `catch` and `use` lines.
    pub items: Vec<Clause>,
    /// The whole declaration.
    pub range: TextRange,
}

/// A state statement.
#[derive(Clone, PartialEq, Debug)]
pub struct State {
    /// `///` lines before it.
    pub docs: Vec<Text>,
    /// The keyword and its header operands.
    pub head: Head,
    /// The name.
    pub name: Text,
    /// The clauses (and, for a choice, the rules).
    pub body: Option<Body>,
    /// `goto N`, `goto none` or `end` after the body.
    pub trans: Option<Trans>,
    /// The keyword's range.
    pub keyword_range: TextRange,
    /// The whole statement.
    pub range: TextRange,
}

/// The kind of a state with the operands of its header.
#[derive(Clone, PartialEq, Debug)]
pub enum Head {
    /// `task N RES`.
    Task(Resource),
    /// `pass N`.
    Pass,
    /// `wait N [seconds V | until V]`.
    Wait(Option<(WaitWord, Value)>),
    /// `choice N`.
    Choice,
    /// `parallel N`.
    Parallel,
    /// `map N [over V]`.
    Map(Option<Value>),
    /// `succeed N`.
    Succeed,
    /// `fail N [error V] [cause V]`.
    Fail(Vec<(FailWord, Value)>),
    /// `state N V`: the state object verbatim.
    Raw(Value),
}

/// `seconds` or `until`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum WaitWord {
    /// `seconds`.
    Seconds,
    /// `until`.
    Until,
}

/// `error` or `cause`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FailWord {
    /// `error`.
    Error,
    /// `cause`.
    Cause,
}

/// A task resource.
#[derive(Clone, PartialEq, Debug)]
pub struct Resource {
    /// Its form.
    pub kind: ResourceKind,
    /// Where it is.
    pub range: TextRange,
}

/// The forms of a resource.
#[derive(Clone, PartialEq, Debug)]
pub enum ResourceKind {
    /// `[sdk] svc.action [sync | sync:N | waitForTaskToken]`.
    Service {
        /// `sdk` given.
        sdk: bool,
        /// The service.
        service: String,
        /// The action.
        action: String,
        /// `sync`, `sync:2`, `waitForTaskToken`.
        suffix: Option<String>,
    },
    /// `lambda "S"`, `activity "S"` or `resource "S"`.
    Literal {
        /// The word.
        word: LiteralWord,
        /// The ARN.
        text: String,
    },
}

/// The documenting word of a literal resource.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LiteralWord {
    /// `lambda`.
    Lambda,
    /// `activity`.
    Activity,
    /// `resource`.
    Resource,
}

impl Resource {
    /// The `Resource` string this lowers to.
    pub fn arn(&self) -> String {
        match &self.kind {
            ResourceKind::Service { sdk, service, action, suffix } => {
                const PREFIX: &str = "arn:aws:states:::";
                let len = PREFIX.len()
                    + if *sdk { "aws-sdk:".len() } else { 0 }
                    + service.len()
                    + 1
                    + action.len()
                    + suffix.as_ref().map_or(0, |s| s.len() + 1);
                let mut out = String::with_capacity(len);
                out.push_str(PREFIX);
                if *sdk {
                    out.push_str("aws-sdk:");
                }
                out.push_str(service);
                out.push(':');
                out.push_str(action);
                if let Some(suffix) = suffix {
                    out.push('.');
                    out.push_str(suffix);
                }
                out
            }
            ResourceKind::Literal { text, .. } => text.clone(),
        }
    }
}

/// A state's `{ … }`.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Body {
    /// The clauses, in order.
    pub clauses: Vec<Clause>,
    /// A choice's rules.
    pub rules: Vec<Rule>,
    /// A choice's `else`.
    pub else_: Option<Else>,
    /// The braces.
    pub range: TextRange,
}

/// A transition after a state.
#[derive(Clone, PartialEq, Debug)]
pub struct Trans {
    /// Where it goes.
    pub kind: TransKind,
    /// The whole `goto N`.
    pub range: TextRange,
}

/// The transitions.
#[derive(Clone, PartialEq, Debug)]
pub enum TransKind {
    /// `goto N`.
    Goto(Text),
    /// `goto none`.
    None,
    /// `end`.
    End,
}

/// One clause of a body.
#[derive(Clone, PartialEq, Debug)]
pub struct Clause {
    /// `///` lines before it.
    pub docs: Vec<Text>,
    /// What it says.
    pub kind: ClauseKind,
    /// The leading word.
    pub word_range: TextRange,
    /// The whole clause.
    pub range: TextRange,
}

/// The clauses of dsl.md §5.
#[derive(Clone, PartialEq, Debug)]
pub enum ClauseKind {
    /// A clause word and its value.
    Value(Word, Value),
    /// `query …`.
    Query(QueryLang),
    /// `branch { … }`.
    Branch(Block),
    /// `process …` / `iterator …`.
    Process {
        /// `iterator` instead of `process`.
        iterator: bool,
        /// `inline`, `distributed`, `standard`, `express`.
        modes: Vec<Text>,
        /// The states.
        block: Block,
    },
    /// `reader RES { … }`.
    Reader(Resource, Option<Io>),
    /// `writer [RES] { … }`.
    Writer(Option<Resource>, Option<Io>),
    /// `retry …`.
    Retry(Retry),
    /// `catch …`.
    Catch(Catch),
    /// `use P`.
    Use(Text),
    /// `raw { … }`.
    Raw(Value),
}

/// The clause words that take one value.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum Word {
    /// `comment`.
    Comment,
    /// `credentials`.
    Credentials,
    /// `input`.
    Input,
    /// `args`.
    Args,
    /// `each`.
    Each,
    /// `batch`.
    Batch,
    /// `concurrency`.
    Concurrency,
    /// `tolerate_percent`.
    TolerancePercent,
    /// `tolerate_count`.
    TolerateCount,
    /// `label`.
    Label,
    /// `result`.
    Result,
    /// `timeout`.
    Timeout,
    /// `heartbeat`.
    Heartbeat,
    /// `select`.
    Select,
    /// `into`.
    Into,
    /// `output`.
    Output,
    /// `assign`.
    Assign,
}

impl Word {
    /// Every value clause word.
    pub const ALL: [Word; 17] = [
        Word::Comment,
        Word::Credentials,
        Word::Input,
        Word::Args,
        Word::Each,
        Word::Batch,
        Word::Concurrency,
        Word::TolerancePercent,
        Word::TolerateCount,
        Word::Label,
        Word::Result,
        Word::Timeout,
        Word::Heartbeat,
        Word::Select,
        Word::Into,
        Word::Output,
        Word::Assign,
    ];

    /// The DSL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Word::Comment => "comment",
            Word::Credentials => "credentials",
            Word::Input => "input",
            Word::Args => "args",
            Word::Each => "each",
            Word::Batch => "batch",
            Word::Concurrency => "concurrency",
            Word::TolerancePercent => "tolerate_percent",
            Word::TolerateCount => "tolerate_count",
            Word::Label => "label",
            Word::Result => "result",
            Word::Timeout => "timeout",
            Word::Heartbeat => "heartbeat",
            Word::Select => "select",
            Word::Into => "into",
            Word::Output => "output",
            Word::Assign => "assign",
        }
    }

    /// The word spelt `text`.
    pub fn from_text(text: &str) -> Option<Word> {
        Word::ALL.into_iter().find(|w| w.as_str() == text)
    }
}

/// `{ config V args V raw {…} }` of a reader or writer.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Io {
    /// `config V`.
    pub config: Vec<(TextRange, Value)>,
    /// `args V`.
    pub args: Vec<(TextRange, Value)>,
    /// `raw { … }`.
    pub raw: Vec<Value>,
}

/// A nested scope or an inline block: `{ start …; raw …; states }`.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct Block {
    /// `start N` / `start none` (the first one counts).
    pub start: Vec<(TextRange, Option<Text>)>,
    /// `raw { … }` lines.
    pub raw: Vec<Value>,
    /// The states.
    pub states: Vec<State>,
    /// The braces.
    pub range: TextRange,
}

/// `retry …`.
#[derive(Clone, PartialEq, Debug)]
pub enum Retry {
    /// `retry raw { … }`.
    Raw(Value),
    /// `retry ERRORS options`.
    Sugar {
        /// The error names.
        errors: Errors,
        /// The options, in order.
        options: Vec<(RetryOption, TextRange, Value)>,
    },
}

/// The options of a retrier.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RetryOption {
    /// `interval`.
    Interval,
    /// `attempts`.
    Attempts,
    /// `backoff`.
    Backoff,
    /// `max_delay`.
    MaxDelay,
    /// `jitter` (`full` and `none` become strings).
    Jitter,
}

impl RetryOption {
    /// The DSL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RetryOption::Interval => "interval",
            RetryOption::Attempts => "attempts",
            RetryOption::Backoff => "backoff",
            RetryOption::MaxDelay => "max_delay",
            RetryOption::Jitter => "jitter",
        }
    }

    /// The ASL member.
    pub fn member(self) -> &'static str {
        match self {
            RetryOption::Interval => "IntervalSeconds",
            RetryOption::Attempts => "MaxAttempts",
            RetryOption::Backoff => "BackoffRate",
            RetryOption::MaxDelay => "MaxDelaySeconds",
            RetryOption::Jitter => "JitterStrategy",
        }
    }
}

/// `catch …`.
#[derive(Clone, PartialEq, Debug)]
pub enum Catch {
    /// `catch raw { … }`.
    Raw(Value),
    /// `catch ERRORS options target`.
    Sugar {
        /// The error names.
        errors: Errors,
        /// `into`, `output`, `assign`, in order.
        options: Vec<(Opt, TextRange, Value)>,
        /// Where it goes.
        target: Target,
    },
}

/// The options of catchers and rules.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Opt {
    /// `into`.
    Into,
    /// `output`.
    Output,
    /// `assign`.
    Assign,
}

impl Opt {
    /// The DSL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Opt::Into => "into",
            Opt::Output => "output",
            Opt::Assign => "assign",
        }
    }
}

/// `ERRORS`: one name or a list.
#[derive(Clone, PartialEq, Debug)]
pub struct Errors {
    /// The names.
    pub names: Vec<Text>,
    /// Written as `[…]`.
    pub list: bool,
    /// Where it is.
    pub range: TextRange,
}

/// `goto N` or a block.
#[derive(Clone, PartialEq, Debug)]
pub enum Target {
    /// `goto N`.
    Goto(Text),
    /// `{ states }`.
    Block(Block),
}

/// `if …` / `else if …`.
#[derive(Clone, PartialEq, Debug)]
pub struct Rule {
    /// `///` lines before it.
    pub docs: Vec<Text>,
    /// Written `else if`.
    pub else_if: bool,
    /// What it says.
    pub kind: RuleKind,
    /// The whole rule.
    pub range: TextRange,
    /// The `if` keyword.
    pub if_range: TextRange,
}

/// A rule's forms.
#[derive(Clone, PartialEq, Debug)]
pub enum RuleKind {
    /// `if raw { … }`.
    Raw(Value),
    /// `if COND options target`.
    Sugar {
        /// The condition.
        cond: Cond,
        /// `assign`, `output`.
        options: Vec<(Opt, TextRange, Value)>,
        /// Where it goes.
        target: Target,
    },
}

/// `else …`.
#[derive(Clone, PartialEq, Debug)]
pub struct Else {
    /// Where it goes.
    pub kind: ElseKind,
    /// The whole line.
    pub range: TextRange,
}

/// The forms of `else`.
#[derive(Clone, PartialEq, Debug)]
pub enum ElseKind {
    /// `else goto N`.
    Goto(Text),
    /// `else none`.
    None,
    /// `else { … }`.
    Block(Block),
}

/// A condition.
#[derive(Clone, PartialEq, Debug)]
pub struct Cond {
    /// Its form.
    pub kind: CondKind,
    /// Where it is.
    pub range: TextRange,
}

/// The forms of a condition.
#[derive(Clone, PartialEq, Debug)]
pub enum CondKind {
    /// `a and b …` (two or more) or `all(…)`.
    And(Vec<Cond>),
    /// `a or b …` (two or more) or `any(…)`.
    Or(Vec<Cond>),
    /// `not a`.
    Not(Box<Cond>),
    /// `[type] P op operand`.
    Compare {
        /// The type word.
        type_word: Option<TypeWord>,
        /// The path.
        path: Text,
        /// The operator.
        op: CmpOp,
        /// The right-hand side.
        operand: Value,
    },
    /// `P is [not] …`.
    Is {
        /// The path.
        path: Text,
        /// `not` given.
        negated: bool,
        /// What is tested.
        test: IsTest,
    },
    /// A JSONata expression or literal (JSONata mode).
    Literal(Value),
}

/// The type words.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TypeWord {
    /// `string`.
    String,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
    /// `timestamp`.
    Timestamp,
}

impl TypeWord {
    /// The DSL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TypeWord::String => "string",
            TypeWord::Number => "number",
            TypeWord::Boolean => "boolean",
            TypeWord::Timestamp => "timestamp",
        }
    }

    /// The ASL operator family.
    pub fn family(self) -> &'static str {
        match self {
            TypeWord::String => "String",
            TypeWord::Number => "Numeric",
            TypeWord::Boolean => "Boolean",
            TypeWord::Timestamp => "Timestamp",
        }
    }

    /// The word spelt `text`.
    pub fn from_text(text: &str) -> Option<TypeWord> {
        match text {
            "string" => Some(TypeWord::String),
            "number" => Some(TypeWord::Number),
            "boolean" => Some(TypeWord::Boolean),
            "timestamp" => Some(TypeWord::Timestamp),
            _ => None,
        }
    }
}

/// Comparison operators.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CmpOp {
    /// `==`.
    Eq,
    /// `!=`.
    Ne,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `matches`.
    Matches,
}

impl CmpOp {
    /// The DSL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Matches => "matches",
        }
    }

    /// The ASL operator suffix after the family (`Equals`, `LessThan`, …).
    pub fn suffix(self) -> &'static str {
        match self {
            CmpOp::Eq | CmpOp::Ne => "Equals",
            CmpOp::Lt => "LessThan",
            CmpOp::Le => "LessThanEquals",
            CmpOp::Gt => "GreaterThan",
            CmpOp::Ge => "GreaterThanEquals",
            CmpOp::Matches => "Matches",
        }
    }
}

/// What `is` tests.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum IsTest {
    /// `present`.
    Present,
    /// `null`.
    Null,
    /// `string`.
    String,
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
    /// `timestamp`.
    Timestamp,
}

impl IsTest {
    /// The DSL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            IsTest::Present => "present",
            IsTest::Null => "null",
            IsTest::String => "string",
            IsTest::Number => "number",
            IsTest::Boolean => "boolean",
            IsTest::Timestamp => "timestamp",
        }
    }

    /// The ASL member.
    pub fn member(self) -> &'static str {
        match self {
            IsTest::Present => "IsPresent",
            IsTest::Null => "IsNull",
            IsTest::String => "IsString",
            IsTest::Number => "IsNumeric",
            IsTest::Boolean => "IsBoolean",
            IsTest::Timestamp => "IsTimestamp",
        }
    }

    /// All tests.
    pub const ALL: [IsTest; 6] =
        [IsTest::Present, IsTest::Null, IsTest::String, IsTest::Number, IsTest::Boolean, IsTest::Timestamp];
}

/// A value: JSON plus paths, intrinsics and JSONata.
#[derive(Clone, PartialEq, Debug)]
pub struct Value {
    /// Its form.
    pub kind: ValueKind,
    /// Where it is.
    pub range: TextRange,
}

/// The forms of a value.
#[derive(Clone, PartialEq, Debug)]
pub enum ValueKind {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number lexeme.
    Number(String),
    /// A decoded string.
    String(String),
    /// A path, verbatim.
    Path(String),
    /// An intrinsic call, verbatim.
    Intrinsic(String),
    /// `{% … %}`, verbatim.
    Jsonata(String),
    /// `[…]`.
    Array(Vec<Value>),
    /// `{…}`.
    Object(Vec<Member>),
    /// What could not be parsed (already reported).
    Error,
}

/// `key: value`.
#[derive(Clone, PartialEq, Debug)]
pub struct Member {
    /// The key, decoded.
    pub key: Text,
    /// The value.
    pub value: Value,
}

impl Value {
    /// A value with no source.
    pub fn synthetic(kind: ValueKind) -> Value {
        Value { kind, range: TextRange::default() }
    }

    /// Whether this is a path or intrinsic token.
    pub fn is_path(&self) -> bool {
        matches!(self.kind, ValueKind::Path(_) | ValueKind::Intrinsic(_))
    }
}
