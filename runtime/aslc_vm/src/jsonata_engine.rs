//! The JSONata engine of the VM: [`Jsonata`] evaluates expressions with the
//! `aslc_jsonata` evaluator, as a Step Functions workflow runs them.
//!
//! Each evaluation binds `$states` and the workflow variables in scope. The evaluator
//! reads a variable into its own value representation only when the expression uses it,
//! so binding every variable in scope costs a copy of the JSON, never a conversion.

use serde_json::Value;

use crate::query::{Bindings, QueryEngine};

/// The JSONata engine: JSONata 2.0.6 with the Step Functions functions (`$partition`,
/// `$range`, `$hash`, `$random`, `$uuid`, `$parse`) and without `$eval`.
pub struct Jsonata {
    seed: Option<u64>,
    now_millis: Option<f64>,
}

impl Jsonata {
    /// An engine whose `$random()`, `$uuid()` and `$now()` are those of the host.
    pub fn new() -> Jsonata {
        Jsonata { seed: None, now_millis: None }
    }

    /// Seeds `$random()`, `$shuffle` and `$uuid()`, for repeatable executions.
    pub fn seed(mut self, seed: u64) -> Jsonata {
        self.seed = Some(seed);
        self
    }

    /// Fixes the time `$now()` and `$millis()` report (milliseconds since the epoch).
    pub fn now_millis(mut self, millis: f64) -> Jsonata {
        self.now_millis = Some(millis);
        self
    }
}

impl Default for Jsonata {
    fn default() -> Jsonata {
        Jsonata::new()
    }
}

impl QueryEngine for Jsonata {
    fn evaluate(
        &self,
        expr: &aslc_query::jsonata::Expr,
        input: Option<&Value>,
        bindings: &Bindings<'_>,
    ) -> Result<Option<Value>, String> {
        let mut b = aslc_jsonata::Bindings::step_functions();
        if let Some(seed) = self.seed {
            b = b.seed(seed);
        }
        if let Some(millis) = self.now_millis {
            b = b.now_millis(millis);
        }
        for (name, value) in bindings.variables {
            b.insert(name.as_ref(), value.clone());
        }
        b.insert("states", bindings.states.clone());
        aslc_jsonata::evaluate(expr, input, &b).map_err(|err| err.to_string())
    }
}

#[cfg(test)]
mod tests {
    use rustc_hash::FxHashMap;
    use serde_json::json;

    use super::*;

    fn eval(text: &str, vars: &[(&str, Value)]) -> Result<Option<Value>, String> {
        let expr = aslc_query::jsonata::parse_jsonata(text).map_err(|e| format!("{e:?}"))?;
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
        assert_eq!(eval("$eval('1')", &[]), Err("T1006: Attempted to invoke a non-function".to_owned()));
    }
}
