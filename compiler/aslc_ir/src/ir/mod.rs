//! The typed IR of a state machine: one arena of states, one of scopes, every field
//! typed and spanned.
//!
//! The IR is what every later stage reads (validation, lints, the DSL printer, the
//! bytecode lowering), whichever syntax a workflow came from. Transitions still hold state
//! *names* (with spans) because an invalid definition may name states that do not exist;
//! [`Scope::lookup`] resolves them to a [`StateId`].

mod number;
mod shift;
mod state;
mod value;

pub use number::Number;
pub use shift::{erase_spans, Shift, Spans};
pub use state::*;
pub use value::*;

/// The string type of the IR, the tree's: short names and keys are stored inline.
pub use aslc_syntax::Text;

use aslc_source::{FileId, TextRange};
use rustc_hash::FxHashMap;

/// A value with the byte range it came from.
#[derive(Clone, PartialEq, Debug)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it is in the source.
    pub range: TextRange,
}

impl<T> Spanned<T> {
    /// Pairs a value with its range.
    pub fn new(value: T, range: TextRange) -> Spanned<T> {
        Spanned { value, range }
    }
}

/// A string with its range, such as a state name or a `Next` target.
pub type Name = Spanned<Text>;

/// Index of a state in [`Definition::states`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct StateId(pub u32);

/// Index of a scope in [`Definition::scopes`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct ScopeId(pub u32);

/// The two query languages of ASL.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub enum QueryLanguage {
    /// `JSONPath`, the default.
    #[default]
    JsonPath,
    /// `JSONata`.
    Jsonata,
}

impl QueryLanguage {
    /// The ASL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            QueryLanguage::JsonPath => "JSONPath",
            QueryLanguage::Jsonata => "JSONata",
        }
    }
}

/// Standard or Express: some constructs are valid in only one.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub enum WorkflowType {
    /// Standard workflows (the default).
    #[default]
    Standard,
    /// Express workflows.
    Express,
}

/// A whole state machine.
#[derive(Clone, Debug)]
pub struct Definition {
    /// The file it was read from (a template's file for embedded definitions).
    pub file: FileId,
    /// The range of the definition object.
    pub range: TextRange,
    /// The top-level scope; always `ScopeId(0)`.
    pub root: ScopeId,
    /// Every scope: the top level, then each Parallel branch and Map processor.
    pub scopes: Vec<Scope>,
    /// Every state of every scope.
    pub states: Vec<State>,
    /// `Comment`.
    pub comment: Option<Spanned<Text>>,
    /// `Version`.
    pub version: Option<Spanned<Text>>,
    /// `TimeoutSeconds`.
    pub timeout_seconds: Option<Spanned<Number>>,
    /// The `QueryLanguage` field as written.
    pub query_language_field: Option<Spanned<QueryLanguage>>,
    /// The top-level query language (the default for every state).
    pub query_language: QueryLanguage,
    /// Fields the IR has no place for (unknown or invalid), kept for printers.
    pub extra: Vec<Extra>,
}

/// One `StartAt` + `States` pair: the top level, a Parallel branch or a Map processor.
#[derive(Clone, Debug)]
pub struct Scope {
    /// What encloses it.
    pub kind: ScopeKind,
    /// The Parallel or Map state that owns this scope; `None` for the top level.
    pub parent: Option<StateId>,
    /// `StartAt`.
    pub start_at: Option<Name>,
    /// `Comment`.
    pub comment: Option<Spanned<Text>>,
    /// The states, in source order.
    pub states: Vec<StateId>,
    /// State name to id for this scope's states (the first of duplicates).
    pub by_name: FxHashMap<Text, StateId>,
    /// Range of the scope object (the definition, a branch, a processor).
    pub range: TextRange,
    /// Range of the `States` object, or of the scope object when it has none.
    pub states_range: TextRange,
    /// Range of the `States` key, or of the scope object's first byte when it has none.
    pub states_key_range: TextRange,
    /// AWS-style pointer of the scope object: `` (top level), `/States/P/Branches[0]`,
    /// `/States/M/ItemProcessor`.
    pub pointer: String,
    /// Nesting depth: 0 for the top level.
    pub depth: u32,
    /// `ProcessorConfig` of a Map processor (`ItemProcessor`, or `Iterator`, where AWS
    /// accepts it too).
    pub processor_config: Option<ProcessorConfig>,
    /// Fields the IR has no place for.
    pub extra: Vec<Extra>,
}

/// Where a scope sits.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ScopeKind {
    /// The state machine itself.
    Root,
    /// `Branches[i]` of a Parallel state.
    Branch(u32),
    /// A Map's `ItemProcessor`.
    ItemProcessor,
    /// A Map's deprecated `Iterator`.
    Iterator,
}

impl Scope {
    /// The state of this scope named `name`.
    pub fn lookup(&self, name: &str) -> Option<StateId> {
        self.by_name.get(name).copied()
    }
}

impl Definition {
    /// A definition of `file` spanning `range` with no scope, state or top-level field yet,
    /// for lowering to fill in.
    pub(crate) fn empty(file: FileId, range: TextRange, query_language: QueryLanguage) -> Definition {
        Definition {
            file,
            range,
            root: ScopeId(0),
            scopes: Vec::new(),
            states: Vec::new(),
            comment: None,
            version: None,
            timeout_seconds: None,
            query_language_field: None,
            query_language,
            extra: Vec::new(),
        }
    }

    /// The state with id `id`.
    pub fn state(&self, id: StateId) -> &State {
        &self.states[id.0 as usize]
    }

    /// The scope with id `id`.
    pub fn scope(&self, id: ScopeId) -> &Scope {
        &self.scopes[id.0 as usize]
    }

    /// Every state with its id.
    pub fn iter_states(&self) -> impl Iterator<Item = (StateId, &State)> {
        self.states.iter().enumerate().map(|(i, s)| (StateId(i as u32), s))
    }

    /// Every scope with its id.
    pub fn iter_scopes(&self) -> impl Iterator<Item = (ScopeId, &Scope)> {
        self.scopes.iter().enumerate().map(|(i, s)| (ScopeId(i as u32), s))
    }
}

/// A field kept as written because the IR has no typed place for it.
#[derive(Clone, PartialEq, Debug)]
pub struct Extra {
    /// The key as written.
    pub key: Name,
    /// The value as written.
    pub value: aslc_syntax::Node,
}
