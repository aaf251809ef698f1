//! The one seam through which the VM evaluates JSONata: [`QueryEngine`].
//!
//! JSONata-mode fields (`Arguments`, `Output`, `Assign`, `Condition`, `Items`, `{% %}`
//! values) are compiled into the program like everything else; at run time each
//! expression goes to the engine the caller installed. [`NoJsonata`] is the engine of a
//! build without a JSONata evaluator: every expression fails with
//! `States.QueryEvaluationError`, which Retry/Catch handle like AWS's own evaluation
//! failures.

use rustc_hash::FxHashMap;
use serde_json::Value;

/// What a JSONata expression can read: the workflow variables and `$states`.
pub struct Bindings<'a> {
    /// Workflow variables by name (without `$`).
    pub variables: &'a FxHashMap<Box<str>, Value>,
    /// `$states`: `input`, `context`, and where available `result` and `errorOutput`.
    pub states: Value,
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
