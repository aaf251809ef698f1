//! The one seam through which the VM evaluates JSONata: [`QueryEngine`].
//!
//! JSONata-mode fields (`Arguments`, `Output`, `Assign`, `Condition`, `Items`, `{% %}`
//! values) are compiled into the program like everything else; at run time each
//! expression goes to the engine the caller installed. [`NoJsonata`] is the engine of a
//! build without a JSONata evaluator: every expression fails with
//! `States.QueryEvaluationError`, which Retry/Catch handle like AWS's own evaluation
//! failures.

use std::any::Any;
use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

use rustc_hash::FxHashMap;
use serde_json::Value;

/// What an engine keeps of a value it made or read, in its own form; only the engine that
/// made it knows its type.
pub type Kept = Box<dyn Any>;

/// What a JSONata expression can read: the workflow variables and `$states`.
pub struct Bindings<'a> {
    /// Workflow variables by name (without `$`).
    pub variables: &'a FxHashMap<Box<str>, Value>,
    /// `$states.input` and `$states.context`, shared by the expressions of one state.
    pub states: &'a States<'a>,
    /// The member `$states` has besides `input` and `context` where the field sees one:
    /// `("result", …)` or `("errorOutput", …)`.
    pub extra: Option<(&'a str, &'a Value)>,
}

/// The members of `$states` that every expression of one state sees alike. The context
/// object is built when an expression first asks for it, and an engine may keep what it
/// derives from these members ([`States::prepared`]) for the state's next expressions,
/// instead of reading the state's input again for each of them.
pub struct States<'a> {
    input: &'a dyn LazyJson,
    context: OnceCell<Value>,
    build_context: Box<dyn Fn() -> Value + 'a>,
    prepared: RefCell<Option<Kept>>,
}

impl<'a> States<'a> {
    /// `$states` with `input`, and the context object `build_context` makes on first use.
    pub fn new(input: &'a Value, build_context: impl Fn() -> Value + 'a) -> States<'a> {
        States::lazy(input, build_context)
    }

    /// `$states` with the input `input` gives when first asked (an engine that kept what it
    /// read of the input asks only when a state passes the input on as JSON), and the
    /// context object `build_context` makes on first use.
    pub fn lazy(input: &'a dyn LazyJson, build_context: impl Fn() -> Value + 'a) -> States<'a> {
        States {
            input,
            context: OnceCell::new(),
            build_context: Box::new(build_context),
            prepared: RefCell::new(None),
        }
    }

    /// These members with what the engine keeps of `input` when it has it in its own form
    /// ([`EngineValue::prepared`]).
    pub fn with_prepared(self, prepared: Option<Kept>) -> States<'a> {
        *self.prepared.borrow_mut() = prepared;
        self
    }

    /// `$states.input`.
    pub fn input(&self) -> &'a Value {
        self.input.json()
    }

    /// `$states.context`.
    pub fn context(&self) -> &Value {
        self.context.get_or_init(|| (self.build_context)())
    }

    /// Where the engine keeps what it derived from these members; it lives as long as the
    /// `States`, and only the engine that put something there knows its type.
    pub fn prepared(&self) -> &RefCell<Option<Kept>> {
        &self.prepared
    }
}

/// A value that may become JSON only when first asked for ([`States::lazy`]).
pub trait LazyJson {
    /// The value as JSON.
    fn json(&self) -> &Value;
}

impl LazyJson for Value {
    fn json(&self) -> &Value {
        self
    }
}

/// Why an expression gave no JSON value.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum QueryError {
    /// Evaluation failed; the cause suffix AWS reports (`<code>: <message>`).
    Threw(String),
    /// The result has no JSON form (a function).
    Unsupported,
}

/// Evaluates JSONata expressions.
pub trait QueryEngine {
    /// Evaluates `expr`. `Ok(None)` is JSONata's *undefined*.
    fn evaluate(
        &self,
        expr: &aslc_query::jsonata::Expr,
        input: Option<&Value>,
        bindings: &Bindings<'_>,
    ) -> Result<Option<Value>, QueryError>;

    /// [`QueryEngine::evaluate`] for a value that becomes the next state's input: the engine
    /// may give it in its own form, which the next state's expressions read as it is, and
    /// which becomes JSON only if something asks for JSON. By default it is JSON.
    fn evaluate_output(
        &self,
        expr: &aslc_query::jsonata::Expr,
        input: Option<&Value>,
        bindings: &Bindings<'_>,
    ) -> Result<Option<Output>, QueryError> {
        Ok(self.evaluate(expr, input, bindings)?.map(Output::Json))
    }

    /// Reads the execution input's JSON text ahead, for a workflow whose first state is a
    /// JSONata state: the input in the engine's form, and at least the length of its compact
    /// JSON text. `None` (the default) when the engine does not read it; the VM reads it
    /// with serde_json then.
    fn read_input(&self, text: &str) -> Option<(Rc<dyn EngineValue>, usize)> {
        let _ = text;
        None
    }
}

/// A value in a query engine's own form, shared by the states it is the input of.
pub trait EngineValue {
    /// What the engine keeps of the value for the expressions of one state
    /// ([`States::with_prepared`]).
    fn prepared(&self) -> Kept;

    /// The value as JSON.
    fn to_json(&self) -> Value;
}

/// The value of an expression whose result becomes the next state's input.
pub enum Output {
    /// JSON.
    Json(Value),
    /// The engine's own form.
    Engine(Rc<dyn EngineValue>),
}

/// The engine of a build without a JSONata evaluator.
pub struct NoJsonata;

impl QueryEngine for NoJsonata {
    fn evaluate(
        &self,
        _: &aslc_query::jsonata::Expr,
        _: Option<&Value>,
        _: &Bindings<'_>,
    ) -> Result<Option<Value>, QueryError> {
        Err(QueryError::Threw("JSONata evaluation is not available in this build".into()))
    }
}
