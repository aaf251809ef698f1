//! The JSONata engine of the VM: [`Jsonata`] evaluates expressions with the
//! `aslc_jsonata` evaluator, as a Step Functions workflow runs them.
//!
//! Each evaluation sees `$states` and the workflow variables in scope where the VM keeps
//! them: the evaluator looks a variable up when the expression first reads it and converts
//! only that one, so the variables in scope are neither copied nor converted per
//! evaluation. `$states.input` and `$states.context` are read into the evaluator's values
//! once per state and shared by the state's expressions (a state's input can be large, and
//! `Assign`, `Output` and `Arguments` all read it); the context, which holds the whole
//! execution input, is read only by an expression that names `$states.context`.

use std::rc::Rc;
use std::time::Duration;

use aslc_jsonata::{Document, DocumentEvaluation};
use aslc_query::jsonata::ast::{Expr, ExprKind};
use serde_json::Value;

use crate::query::{Bindings, EngineValue, Kept, Output, QueryEngine, QueryError, States};

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

/// The members of `$states` an expression can observe.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Members {
    context: bool,
    /// Whether the member besides `input` and `context` (`result`, `errorOutput`) is read.
    extra: bool,
}

impl Members {
    const ALL: Members = Members { context: true, extra: true };
    const INPUT: Members = Members { context: false, extra: false };

    fn union(self, other: Members) -> Members {
        Members { context: self.context || other.context, extra: self.extra || other.extra }
    }
}

/// Which members of `$states` `expr` can observe. `$states.name` reads one member; `$states`
/// used any other way (alone, as an argument, with a predicate or a binding on it) can reach
/// every member. A parameter or a local variable named `$states` only makes the answer
/// larger than needed, never smaller.
fn members_read(expr: &Expr) -> Members {
    let mut members = Members::INPUT;
    let mut pending = vec![expr];
    while let Some(expr) = pending.pop() {
        match &expr.kind {
            ExprKind::Variable(name) if &**name == "states" => return Members::ALL,
            ExprKind::Path(path) => {
                let first = &path.steps[0];
                let reads_member = matches!(&first.expr.kind, ExprKind::Variable(name) if &**name == "states")
                    && first.stages.is_empty()
                    && first.index.is_none()
                    && first.focus.is_none()
                    && first.ancestor.is_none()
                    && !first.tuple;
                if let (true, Some(second)) = (reads_member, path.steps.get(1)) {
                    match &second.expr.kind {
                        ExprKind::Name(member) => {
                            members = members.union(match &**member {
                                "input" => Members::INPUT,
                                "context" => Members { context: true, extra: false },
                                _ => Members { context: false, extra: true },
                            });
                        }
                        _ => return Members::ALL,
                    }
                    // Everything but the first step, which is accounted for.
                    let mut children = expr.children();
                    children.remove(0);
                    pending.extend(children);
                    continue;
                }
                pending.extend(expr.children());
            }
            _ => pending.extend(expr.children()),
        }
    }
    members
}

/// What the engine keeps in [`States::prepared`]: the state's input and context, read once.
#[derive(Default)]
struct Prepared {
    input: Option<Document>,
    context: Option<Document>,
}

/// `$states` for one expression: the shared members read once per state, the extra member
/// read for this expression.
fn states_document(states: &States<'_>, extra: Option<(&str, &Value)>, members: Members) -> Document {
    let mut slot = states.prepared().borrow_mut();
    if !slot.as_ref().is_some_and(|prepared| prepared.is::<Prepared>()) {
        *slot = Some(Box::new(Prepared::default()));
    }
    let prepared = slot.as_mut().and_then(|prepared| prepared.downcast_mut::<Prepared>());
    let Some(prepared) = prepared else { unreachable!("the slot was just filled with a `Prepared`") };
    let input = prepared.input.get_or_insert_with(|| Document::from_json(states.input())).clone();
    let mut out = vec![("input", input)];
    if members.context {
        let context = prepared.context.get_or_insert_with(|| Document::from_json(states.context())).clone();
        out.push(("context", context));
    }
    if let (true, Some((name, value))) = (members.extra, extra) {
        out.push((name, Document::from_json(value)));
    }
    Document::object(out)
}

/// `$states` and the workflow variables, as the evaluator looks them up.
struct Scope<'a, 'b> {
    bindings: &'a Bindings<'b>,
    members: Members,
}

impl aslc_jsonata::Variables for Scope<'_, '_> {
    fn variable(&self, name: &str) -> Option<&Value> {
        self.bindings.variables.get(name)
    }

    fn document(&self, name: &str) -> Option<Document> {
        (name == "states").then(|| states_document(self.bindings.states, self.bindings.extra, self.members))
    }
}

impl QueryEngine for Jsonata {
    fn evaluate(
        &self,
        expr: &aslc_query::jsonata::Expr,
        input: Option<&Value>,
        bindings: &Bindings<'_>,
    ) -> Result<Option<Value>, QueryError> {
        let scope = Scope { bindings, members: members_read(expr) };
        outcome(aslc_jsonata::evaluate_with(expr, input, &self.options, Some(&scope)))
    }

    fn evaluate_output(
        &self,
        expr: &aslc_query::jsonata::Expr,
        input: Option<&Value>,
        bindings: &Bindings<'_>,
    ) -> Result<Option<Output>, QueryError> {
        let scope = Scope { bindings, members: members_read(expr) };
        match aslc_jsonata::evaluate_document(expr, input, &self.options, Some(&scope)) {
            Ok(DocumentEvaluation::Undefined) => Ok(None),
            Ok(DocumentEvaluation::Document(document)) => Ok(Some(Output::Engine(Rc::new(Made(document))))),
            Ok(DocumentEvaluation::Function) => Err(QueryError::Unsupported),
            Err(err) => Err(QueryError::Threw(err.to_string())),
        }
    }

    fn read_input(&self, text: &str) -> Option<(Rc<dyn EngineValue>, usize)> {
        let read = Document::read(text)?;
        Some((Rc::new(Made(read.document)), read.max_json_len))
    }
}

/// A value the evaluator made or read, passed from state to state as it is.
struct Made(Document);

impl EngineValue for Made {
    fn prepared(&self) -> Kept {
        Box::new(Prepared { input: Some(self.0.clone()), context: None })
    }

    fn to_json(&self) -> Value {
        self.0.to_json()
    }
}

/// An evaluation's result as the VM sees it.
fn outcome(
    evaluation: Result<aslc_jsonata::Evaluation, aslc_jsonata::EvalError>,
) -> Result<Option<Value>, QueryError> {
    match evaluation {
        Ok(aslc_jsonata::Evaluation::Undefined) => Ok(None),
        Ok(aslc_jsonata::Evaluation::Value(value)) => Ok(Some(value)),
        Ok(aslc_jsonata::Evaluation::Function) => Err(QueryError::Unsupported),
        Err(err) => Err(QueryError::Threw(err.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use rustc_hash::FxHashMap;
    use serde_json::json;

    use super::*;

    fn parse(text: &str) -> Expr {
        aslc_query::jsonata::parse_jsonata(text).expect("the test expression parses")
    }

    fn eval(text: &str, vars: &[(&str, Value)]) -> Result<Option<Value>, QueryError> {
        let variables: FxHashMap<Box<str>, Value> =
            vars.iter().map(|(n, v)| (Box::from(*n), v.clone())).collect();
        let input = json!({"a": 2});
        let states = States::new(&input, || json!({"Execution": {"Name": "e"}}));
        let bindings = Bindings { variables: &variables, states: &states, extra: Some(("result", &input)) };
        Jsonata::new().evaluate(&parse(text), None, &bindings)
    }

    #[test]
    fn an_output_is_read_by_the_next_state_as_it_was_made() {
        let engine = Jsonata::new();
        let variables = FxHashMap::default();
        let first_input = json!({"rows": [{"k": "a", "n": -0.0}, {"k": "b", "n": 2}]});
        let first = States::new(&first_input, || json!({}));
        let bindings = Bindings { variables: &variables, states: &first, extra: None };
        let expr = parse("$states.input.rows.{'key': k, 'n': n, 'f': $sum}");
        let Ok(Some(Output::Engine(made))) = engine.evaluate_output(&expr, None, &bindings) else {
            panic!("the engine keeps what it made")
        };
        let output = made.to_json();
        assert_eq!(Ok(Some(output.clone())), engine.evaluate(&expr, None, &bindings));
        let second = States::new(&output, || json!({})).with_prepared(Some(made.prepared()));
        let bindings = Bindings { variables: &variables, states: &second, extra: None };
        let read = |text: &str| engine.evaluate(&parse(text), None, &bindings);
        // As if read from the JSON: a plain array, and `""` for the function.
        assert_eq!(read("$states.input"), Ok(Some(output.clone())));
        assert_eq!(read("$type($states.input[0].f)"), Ok(Some(json!("string"))));
        assert_eq!(read("$states.input.key"), Ok(Some(json!(["a", "b"]))));
    }

    #[test]
    fn states_has_every_member_when_read_whole() {
        assert_eq!(eval("$keys($states)", &[]), Ok(Some(json!(["input", "context", "result"]))));
        assert_eq!(eval("$states.context.Execution.Name", &[]), Ok(Some(json!("e"))));
        assert_eq!(eval("$states.result.a + $states.input.a", &[]), Ok(Some(json!(4))));
    }

    #[test]
    fn members_read_by_name_only() {
        let members = |text: &str| members_read(&parse(text));
        assert_eq!(members("$states.input.a"), Members::INPUT);
        assert_eq!(
            members("$states.input[x > 1].{'y': $states.result}"),
            Members { context: false, extra: true }
        );
        assert_eq!(members("$states.context.Execution.Id"), Members { context: true, extra: false });
        assert_eq!(members("$keys($states)"), Members::ALL);
        assert_eq!(members("$states[0]"), Members::ALL);
        assert_eq!(members("$states.*"), Members::ALL);
        assert_eq!(members("function($f) { $f($states) }"), Members::ALL);
    }

    #[test]
    fn the_context_is_built_only_when_read_and_the_input_read_once() {
        let built = std::cell::Cell::new(0);
        let input = json!({"a": [1, 2, 3]});
        let states = States::new(&input, || {
            built.set(built.get() + 1);
            json!({"State": {"Name": "S"}})
        });
        let variables = FxHashMap::default();
        let bindings = Bindings { variables: &variables, states: &states, extra: None };
        let engine = Jsonata::new();
        assert_eq!(engine.evaluate(&parse("$sum($states.input.a)"), None, &bindings), Ok(Some(json!(6))));
        assert_eq!(built.get(), 0);
        let first = states
            .prepared()
            .borrow()
            .as_ref()
            .and_then(|p| p.downcast_ref::<Prepared>())
            .and_then(|p| p.input.clone());
        assert!(first.is_some(), "the input is kept for the next expression");
        assert_eq!(
            engine.evaluate(&parse("$states.context.State.Name"), None, &bindings),
            Ok(Some(json!("S")))
        );
        assert_eq!(
            engine.evaluate(&parse("$states.context.State.Name"), None, &bindings),
            Ok(Some(json!("S")))
        );
        assert_eq!(built.get(), 1);
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
        let input = json!({});
        let states = States::new(&input, || json!({}));
        let bindings = Bindings { variables: &variables, states: &states, extra: None };
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
