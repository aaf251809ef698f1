//! The JSONata engine of the VM: [`Jsonata`] evaluates expressions with the
//! `aslc_jsonata` evaluator, as a Step Functions workflow runs them.
//!
//! Each evaluation sees `$states` and the workflow variables in scope where the VM keeps
//! them: the evaluator looks a variable up when the expression first reads it and converts
//! only that one, so the variables in scope are neither copied nor converted per
//! evaluation.

use std::time::Duration;

use serde_json::Value;

use crate::query::{Bindings, QueryEngine, QueryError};

/// How long one expression may run before it fails with `U1001`. Depth is bounded by the
/// evaluator itself, but a tail-recursive loop that never ends grows no depth: without a
/// clock it would hang the execution.
pub const DEFAULT_TIME_LIMIT: Duration = Duration::from_secs(10);

/// The JSONata engine: JSONata 2.0.6 with the Step Functions functions (`$partition`,
/// `$range`, `$hash`, `$random`, `$uuid`, `$parse`) and without `$eval`.
pub struct Jsonata {
    options: aslc_jsonata::Bindings,
}

impl Jsonata {
    /// An engine whose `$random()`, `$uuid()` and `$now()` are those of the host.
    pub fn new() -> Jsonata {
        Jsonata { options: aslc_jsonata::Bindings::step_functions().time_limit(DEFAULT_TIME_LIMIT) }
    }

    /// Limits the time one expression may run ([`DEFAULT_TIME_LIMIT`] otherwise).
    pub fn time_limit(mut self, limit: Duration) -> Jsonata {
        self.options = self.options.time_limit(limit);
        self
    }

    /// Seeds `$random()`, `$shuffle` and `$uuid()`, for repeatable executions.
    pub fn seed(mut self, seed: u64) -> Jsonata {
        self.options = self.options.seed(seed);
        self
    }

    /// Fixes the time `$now()` and `$millis()` report (milliseconds since the epoch).
    pub fn now_millis(mut self, millis: f64) -> Jsonata {
        self.options = self.options.now_millis(millis);
        self
    }
}

impl Default for Jsonata {
    fn default() -> Jsonata {
        Jsonata::new()
    }
}

/// `$states` and the workflow variables, as the evaluator looks them up.
struct Scope<'a, 'b>(&'a Bindings<'b>);

impl aslc_jsonata::Variables for Scope<'_, '_> {
    fn variable(&self, name: &str) -> Option<&Value> {
        if name == "states" {
            return Some(&self.0.states);
        }
        self.0.variables.get(name)
    }
}

impl QueryEngine for Jsonata {
    fn evaluate(
        &self,
        expr: &aslc_query::jsonata::Expr,
        input: Option<&Value>,
        bindings: &Bindings<'_>,
    ) -> Result<Option<Value>, QueryError> {
        match aslc_jsonata::evaluate_with(expr, input, &self.options, Some(&Scope(bindings))) {
            Ok(aslc_jsonata::Evaluation::Undefined) => Ok(None),
            Ok(aslc_jsonata::Evaluation::Value(value)) => Ok(Some(value)),
            Ok(aslc_jsonata::Evaluation::Function) => Err(QueryError::Unsupported),
            Err(err) => Err(QueryError::Threw(err.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use rustc_hash::FxHashMap;
    use serde_json::json;

    use super::*;

    fn eval(text: &str, vars: &[(&str, Value)]) -> Result<Option<Value>, QueryError> {
        let expr =
            aslc_query::jsonata::parse_jsonata(text).map_err(|e| QueryError::Threw(format!("{e:?}")))?;
        let variables: FxHashMap<Box<str>, Value> =
            vars.iter().map(|(n, v)| (Box::from(*n), v.clone())).collect();
        let bindings = Bindings { variables: &variables, states: json!({"input": {"a": 2}}) };
        Jsonata::new().evaluate(&expr, None, &bindings)
    }

    #[test]
    fn reads_states_and_variables() {
        assert_eq!(eval("$states.input.a * $x", &[("x", json!(5))]), Ok(Some(json!(10))));
    }

    #[test]
    fn undefined_is_none() {
        assert_eq!(eval("$states.input.missing", &[]), Ok(None));
    }

    #[test]
    fn eval_is_not_defined() {
        assert_eq!(
            eval("$eval('1')", &[]),
            Err(QueryError::Threw("T1006: Attempted to invoke a non-function".to_owned()))
        );
    }

    #[test]
    fn expressions_are_timed_by_default() {
        assert_eq!(Jsonata::new().options.current_time_limit(), Some(DEFAULT_TIME_LIMIT));
    }

    #[test]
    fn an_endless_loop_ends() {
        let expr = aslc_query::jsonata::parse_jsonata("($f := function(){ $f() }; $f())").expect("parses");
        let variables = FxHashMap::default();
        let bindings = Bindings { variables: &variables, states: json!({}) };
        let engine = Jsonata::new().time_limit(Duration::from_millis(50));
        match engine.evaluate(&expr, None, &bindings) {
            Err(QueryError::Threw(message)) => assert!(message.starts_with("U1001"), "{message}"),
            other => panic!("expected U1001, got {other:?}"),
        }
    }

    #[test]
    fn a_function_is_unsupported() {
        assert_eq!(eval("function($x){$x}", &[]), Err(QueryError::Unsupported));
    }
}
