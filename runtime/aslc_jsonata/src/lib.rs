//! The JSONata 2.0.6 evaluator, with the functions AWS Step Functions adds.
//!
//! [`evaluate`] runs an expression parsed by [`aslc_query::jsonata::parse_jsonata`] against
//! an optional input document, with variables and options from [`Bindings`]. The semantics
//! are the reference implementation's (jsonata-js 2.0.6): sequences and their flattening,
//! paths with predicates, wildcards, descendants, `@`/`#`/`%` tuple bindings, order-by,
//! group-by, `~>` chains, lambdas and closures with tail calls, partial application, function
//! signatures, regular expressions, transforms and the whole function library, with the
//! reference's error codes (`T2001`, `D3030`, …). Evaluation depth and time are bounded
//! (`U1001`), so no expression can overflow the stack or run forever when a limit is set.
//!
//! ```
//! use aslc_jsonata::{evaluate, Bindings};
//! use aslc_query::jsonata::parse_jsonata;
//!
//! let expr = parse_jsonata("$sum(items.price) * $rate").unwrap();
//! let input = serde_json::json!({"items": [{"price": 2}, {"price": 3}]});
//! let bindings = Bindings::new().with("rate", serde_json::json!(10));
//! assert_eq!(evaluate(&expr, Some(&input), &bindings).unwrap(), Some(serde_json::json!(50)));
//! ```
//!
//! A Step Functions workflow evaluates with [`Bindings::step_functions`]: `$partition`,
//! `$range`, `$hash`, `$random(seed)`, `$uuid` and `$parse` are defined and `$eval` is not.

#![warn(missing_docs)]

mod datetime;
mod error;
mod eval;
mod format;
mod function;
mod functions;
mod hash;
mod map;
mod read;
mod regexp;
mod signature;
#[cfg(test)]
mod tests;
mod value;

use std::rc::Rc;
use std::time::Duration;

use aslc_query::jsonata::Expr;

use crate::eval::Evaluator;
use crate::function::Frame;
use crate::value::{Array, Value};

/// How deep evaluation may nest by default (entries into the evaluator, about three per
/// level of a recursive JSONata function) before `U1001` is raised.
pub const DEFAULT_MAX_DEPTH: usize = 10_000;

/// Evaluation options.
#[derive(Clone, Debug)]
pub(crate) struct Options {
    pub step_functions: bool,
    pub eval: bool,
    pub max_depth: usize,
    pub time_limit: Option<Duration>,
    pub seed: Option<u64>,
    pub now_millis: Option<f64>,
}

/// The variables an expression sees (names without `$`) and the evaluation options.
#[derive(Clone, Debug)]
pub struct Bindings {
    vars: Vec<(String, serde_json::Value)>,
    options: Options,
}

impl Default for Bindings {
    fn default() -> Bindings {
        Bindings::new()
    }
}

impl Bindings {
    /// No variables; plain JSONata 2.0.6 (with `$eval`, without the Step Functions functions).
    pub fn new() -> Bindings {
        Bindings {
            vars: Vec::new(),
            options: Options {
                step_functions: false,
                eval: true,
                max_depth: DEFAULT_MAX_DEPTH,
                time_limit: None,
                seed: None,
                now_millis: None,
            },
        }
    }

    /// No variables; JSONata as a Step Functions workflow runs it: the Step Functions
    /// functions are defined, `$eval` is not.
    pub fn step_functions() -> Bindings {
        let mut bindings = Bindings::new();
        bindings.options.step_functions = true;
        bindings.options.eval = false;
        bindings
    }

    /// Binds `$name` to `value`.
    pub fn with(mut self, name: impl Into<String>, value: serde_json::Value) -> Bindings {
        self.insert(name, value);
        self
    }

    /// Binds `$name` to `value`, replacing an earlier binding of the name.
    pub fn insert(&mut self, name: impl Into<String>, value: serde_json::Value) {
        let name = name.into();
        match self.vars.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.vars.push((name, value)),
        }
    }

    /// Limits the nesting of evaluation (`U1001` beyond it).
    pub fn max_depth(mut self, depth: usize) -> Bindings {
        self.options.max_depth = depth;
        self
    }

    /// Limits the evaluation time (`U1001` beyond it).
    pub fn time_limit(mut self, limit: Duration) -> Bindings {
        self.options.time_limit = Some(limit);
        self
    }

    /// The evaluation time limit set with [`Bindings::time_limit`], if any.
    pub fn current_time_limit(&self) -> Option<Duration> {
        self.options.time_limit
    }

    /// Seeds the generator behind `$random()`, `$shuffle` and `$uuid`, for repeatable runs.
    pub fn seed(mut self, seed: u64) -> Bindings {
        self.options.seed = Some(seed);
        self
    }

    /// Fixes the time `$now()` and `$millis()` report (milliseconds since the epoch).
    pub fn now_millis(mut self, millis: f64) -> Bindings {
        self.options.now_millis = Some(millis);
        self
    }
}

/// An evaluation error: the reference implementation's code and message.
#[derive(Clone, PartialEq, Debug)]
pub struct EvalError {
    /// The JSONata error code, e.g. `T2001`.
    pub code: &'static str,
    /// The reference's message.
    pub message: String,
    /// The byte offset in the expression the error is attached to, when known.
    pub position: Option<u32>,
    /// The operator or function name the error is attached to, when known.
    pub token: Option<String>,
    /// The offending value, when the error names one.
    pub value: Option<Box<serde_json::Value>>,
}

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for EvalError {}

impl From<error::Error> for EvalError {
    fn from(err: error::Error) -> EvalError {
        let message = err.render();
        EvalError {
            code: err.code,
            message,
            position: err.position,
            token: err.token.clone(),
            value: err.value.as_ref().and_then(|v| v.to_json().ok()).map(Box::new),
        }
    }
}

/// Variables the caller keeps in its own store, looked up by name (without `$`) when an
/// expression first reads them: nothing is copied for the variables an expression ignores.
pub trait Variables {
    /// The value of `$name`, when bound.
    fn variable(&self, name: &str) -> Option<&serde_json::Value>;

    /// The value of `$name` already read into a [`Document`], when the caller keeps it so;
    /// asked before [`Variables::variable`]. A caller that evaluates several expressions
    /// over the same large value reads it once this way instead of once per evaluation.
    fn document(&self, name: &str) -> Option<Document> {
        let _ = name;
        None
    }
}

/// A JSON value read into the evaluator's own representation, ready to be bound as a
/// variable ([`Variables::document`]) in any number of evaluations. Cloning it is cheap:
/// its arrays and objects are shared, and evaluation never changes them.
#[derive(Clone, Debug)]
pub struct Document(Value);

impl Document {
    /// Reads a JSON value.
    pub fn from_json(json: &serde_json::Value) -> Document {
        Document(Value::from_json(json))
    }

    /// An object of the given members, in order (a later member replaces an earlier one of
    /// the same name).
    pub fn object<'a>(members: impl IntoIterator<Item = (&'a str, Document)>) -> Document {
        let map = members.into_iter().map(|(name, member)| (std::rc::Rc::from(name), member.0)).collect();
        Document(Value::object(map))
    }

    /// Reads JSON text: the document [`Document::from_json`] makes of what
    /// `serde_json::from_str` reads, without building the `serde_json::Value` in between.
    /// `None` when the reader is not sure to read the text as serde_json does (the text is
    /// not JSON, or has a lone surrogate, a number out of range, or nesting deeper than a
    /// hundred levels): read it with serde_json then.
    pub fn read(text: &str) -> Option<ReadDocument> {
        let read = read::read(text)?;
        Some(ReadDocument { document: Document(read.value), max_json_len: read.max_json_len })
    }

    /// The document as JSON: integral numbers as integers, as [`evaluate`] writes results.
    pub fn to_json(&self) -> serde_json::Value {
        // A document's numbers are finite: read from JSON, or checked when it was made.
        self.0.to_json().unwrap_or(serde_json::Value::Null)
    }

    pub(crate) fn into_value(self) -> Value {
        self.0
    }
}

/// A JSON text read by [`Document::read`].
#[derive(Clone, Debug)]
pub struct ReadDocument {
    /// The document.
    pub document: Document,
    /// At least the length of the compact JSON text (`serde_json::to_string`) of the value
    /// the text holds: a host that bounds the size of its values needs the exact length only
    /// when this bound is over its limit.
    pub max_json_len: usize,
}

/// Evaluates `expr` against `input` (`None`: no input) with `bindings`. `Ok(None)` is
/// JSONata's *undefined*; a function result comes out as `""`.
pub fn evaluate(
    expr: &Expr,
    input: Option<&serde_json::Value>,
    bindings: &Bindings,
) -> Result<Option<serde_json::Value>, EvalError> {
    Ok(match evaluate_with(expr, input, bindings, None)? {
        Evaluation::Undefined => None,
        Evaluation::Value(value) => Some(value),
        Evaluation::Function => Some(serde_json::Value::String(String::new())),
    })
}

/// What an expression evaluated to, for a host that accepts JSON only.
#[derive(Clone, PartialEq, Debug)]
pub enum Evaluation {
    /// JSONata's *undefined*.
    Undefined,
    /// A JSON value.
    Value(serde_json::Value),
    /// A function, which has no JSON form.
    Function,
}

/// [`evaluate`] with further variables (a name not bound in `bindings` is looked up in
/// `more`), telling a function result apart from JSON.
pub fn evaluate_with(
    expr: &Expr,
    input: Option<&serde_json::Value>,
    bindings: &Bindings,
    more: Option<&dyn Variables>,
) -> Result<Evaluation, EvalError> {
    evaluate_inner(expr, input, bindings, more)
}

/// What an expression evaluated to, for a host that passes a result on as a [`Document`].
#[derive(Clone, Debug)]
pub enum DocumentEvaluation {
    /// JSONata's *undefined*.
    Undefined,
    /// A value with a JSON form: the value reading that JSON would give, without writing it
    /// ([`Document::to_json`] writes it when needed).
    Document(Document),
    /// A function, which has no JSON form.
    Function,
}

/// [`evaluate_with`], giving a result that has a JSON form as a [`Document`]. A caller that
/// passes the result on to the next evaluation (a workflow state's output is the next
/// state's input) binds it without writing its JSON and reading it back. The errors are
/// [`evaluate_with`]'s, including those of a result that has no JSON form.
pub fn evaluate_document(
    expr: &Expr,
    input: Option<&serde_json::Value>,
    bindings: &Bindings,
    more: Option<&dyn Variables>,
) -> Result<DocumentEvaluation, EvalError> {
    let result = evaluate_value(expr, input, bindings, more)?;
    Ok(match result {
        None => DocumentEvaluation::Undefined,
        Some(Value::Function(_)) => DocumentEvaluation::Function,
        Some(value) => {
            match value::unwritable(&value, value::MAX_NESTING) {
                (true, _) => return Err(functions::too_deep().into()),
                (false, Some(n)) => {
                    return Err(EvalError::from(error::Error::new("D1001").value(Value::Number(n))))
                }
                (false, None) => {}
            }
            DocumentEvaluation::Document(Document(value.to_plain()))
        }
    })
}

fn evaluate_inner(
    expr: &Expr,
    input: Option<&serde_json::Value>,
    bindings: &Bindings,
    more: Option<&dyn Variables>,
) -> Result<Evaluation, EvalError> {
    match evaluate_value(expr, input, bindings, more)? {
        None => Ok(Evaluation::Undefined),
        Some(Value::Function(_)) => Ok(Evaluation::Function),
        Some(value) if value::nests_deeper_than(&value, value::MAX_NESTING) => {
            Err(functions::too_deep().into())
        }
        Some(value) => {
            let json = value
                .to_json()
                .map_err(|n| EvalError::from(error::Error::new("D1001").value(Value::Number(n))))?;
            Ok(Evaluation::Value(json))
        }
    }
}

/// The value of `expr`.
fn evaluate_value(
    expr: &Expr,
    input: Option<&serde_json::Value>,
    bindings: &Bindings,
    more: Option<&dyn Variables>,
) -> Result<Option<Value>, EvalError> {
    let env = Frame::root();
    // Variables are read into values when the expression first uses them: a workflow binds
    // every variable in scope, an expression reads a few.
    let mut evaluator = Evaluator::new(&bindings.options, &bindings.vars, more, env.clone());
    let input = input.map(Value::from_json);
    env.bind("$", input.clone());
    let input = match input {
        Some(Value::Array(array)) => {
            let mut wrapper = Array::sequence(vec![Value::Array(array)]);
            wrapper.outer_wrapper = true;
            Some(Value::Array(Rc::new(wrapper)))
        }
        other => other,
    };
    let env = Frame::child(&env);
    Ok(evaluator.eval(expr, input.as_ref(), &env)?)
}

/// `functions::round` for the picture modules.
pub(crate) fn functions_round(value: f64, precision: f64) -> f64 {
    functions::round(value, Some(precision))
}
