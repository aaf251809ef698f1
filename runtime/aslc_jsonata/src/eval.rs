//! The tree-walking evaluator, shaped after the reference implementation's `evaluate`.
//!
//! Each expression evaluates to a value or *undefined* (`None`). Paths work on sequences and,
//! when they bind `@`, `#` or a parent `%`, on tuple streams whose tuples carry those
//! bindings. Every entry into [`Evaluator::eval`] counts towards the depth guard, as every
//! entry into the reference's `evaluate` does, so the `U1001` limits of the reference suite
//! mean the same here; the host stack grows on demand, and calls in tail position of a
//! lambda body are trampolined so tail recursion runs in constant depth.

use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use aslc_query::jsonata::ast::{
    self, Binary, BinaryOp, Decorated, Expr, ExprKind, Group, Path, SortTerm, Stage, Step,
};

use crate::error::{Error, Result};
use crate::function::{Env, Frame, Function, PartialArg};
use crate::functions;
use crate::regexp::Matcher;
use crate::signature;
use crate::value::{compare_strings, deep_equal, strict_equal, Array, Map, Value};
use crate::Options;
use rustc_hash::FxHashMap;

/// A tuple of a tuple stream: the context value (`@`) and the variables bound along the path.
#[derive(Clone, Debug)]
pub(crate) struct Tuple {
    pub at: Value,
    pub vars: Vec<(Rc<str>, Value)>,
}

impl Tuple {
    fn new(at: Value) -> Tuple {
        Tuple { at, vars: Vec::new() }
    }

    fn set(&mut self, name: &Rc<str>, value: Value) {
        if let Some(slot) = self.vars.iter_mut().find(|(n, _)| n == name) {
            slot.1 = value;
        } else {
            self.vars.push((name.clone(), value));
        }
    }

    fn frame(&self, env: &Env) -> Env {
        let frame = Frame::child(env);
        for (name, value) in &self.vars {
            frame.bind_rc(name, Some(value.clone()));
        }
        frame
    }
}

/// What a step or a filter produces inside a path.
enum Stream {
    Values(Vec<Value>),
    Tuples(Vec<Tuple>),
}

/// The result of a lambda body: a value, or a call in tail position still to be made (its
/// function and arguments already evaluated in the body's frame).
pub(crate) enum Tail {
    Value(Option<Value>),
    Call { procedure: Option<Value>, args: Vec<Option<Value>>, name: Rc<str>, position: u32 },
}

/// The evaluation state of one top-level evaluation.
pub(crate) struct Evaluator<'o> {
    pub options: &'o Options,
    /// The caller's variables, read into values on first use and then bound in `root`.
    globals: &'o [(String, serde_json::Value)],
    /// Further caller variables, looked up by name after `globals`.
    more: Option<&'o dyn crate::Variables>,
    root: Env,
    /// The values of the string literals evaluated so far, by the literal's address in the
    /// expression: an object constructor's keys are made once, not once per object.
    literals: FxHashMap<*const u8, Rc<str>>,
    /// The built-in functions looked up so far, by name: found once per evaluation.
    natives: FxHashMap<Box<str>, Option<Value>>,
    depth: usize,
    ticks: u32,
    started: Instant,
    /// The time `$now()` and `$millis()` report, fixed for one evaluation.
    pub now_millis: f64,
    pub rng: u64,
}

fn label_name(label: ast::Label) -> Rc<str> {
    Rc::from(format!("%{}", label.0))
}

impl<'o> Evaluator<'o> {
    pub fn new(
        options: &'o Options,
        globals: &'o [(String, serde_json::Value)],
        more: Option<&'o dyn crate::Variables>,
        root: Env,
    ) -> Evaluator<'o> {
        let now_millis = options.now_millis.unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_millis() as f64)
                .unwrap_or(0.0)
        });
        let rng = options.seed.unwrap_or_else(|| {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(0x9e37_79b9_7f4a_7c15);
            nanos ^ 0x2545_f491_4f6c_dd1d
        });
        Evaluator {
            options,
            globals,
            more,
            root,
            literals: FxHashMap::default(),
            natives: FxHashMap::default(),
            depth: 0,
            ticks: 0,
            started: Instant::now(),
            now_millis,
            rng: rng | 1,
        }
    }

    /// A number in `[0, 1)` from the evaluation's generator (xorshift64*).
    pub fn next_random(&mut self) -> f64 {
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        (x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }

    #[inline]
    fn enter(&mut self, expr: &Expr) -> Result<()> {
        self.depth += 1;
        if self.depth > self.options.max_depth {
            return Err(Error::new("U1001").at(expr).with_message(
                "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive.",
            ));
        }
        self.check_time(expr)
    }

    #[inline]
    fn check_time(&mut self, expr: &Expr) -> Result<()> {
        if let Some(limit) = self.options.time_limit {
            self.ticks = self.ticks.wrapping_add(1);
            if self.ticks.is_multiple_of(256) && self.started.elapsed() > limit {
                return Err(Error::new("U1001")
                    .at(expr)
                    .with_message("Expression evaluation timeout: Check for infinite loop"));
            }
        }
        Ok(())
    }

    /// Evaluates `expr` against `input` in `env`.
    pub fn eval(&mut self, expr: &Expr, input: Option<&Value>, env: &Env) -> Result<Option<Value>> {
        self.enter(expr)?;
        let result = match &expr.kind {
            // Leaves never recurse: no need to check the stack.
            ExprKind::Number(n) => Ok(Some(Value::Number(n.value))),
            ExprKind::String(s) => Ok(Some(Value::String(self.literal(s)))),
            ExprKind::Variable(name) => Ok(self.eval_variable(name, input, env)),
            ExprKind::Path(path) if is_simple_path(path) => self.eval_simple_path(path, input),
            ExprKind::Path(path) if is_variable_path(path) => self.eval_variable_path(path, input, env),
            _ => stacker::maybe_grow(64 * 1024, 2 * 1024 * 1024, || self.eval_inner(expr, input, env)),
        };
        self.depth -= 1;
        Ok(normalize(result?, false))
    }

    fn eval_inner(&mut self, expr: &Expr, input: Option<&Value>, env: &Env) -> Result<Option<Value>> {
        Ok(match &expr.kind {
            ExprKind::Number(n) => Some(Value::Number(n.value)),
            ExprKind::String(s) => Some(Value::String(self.literal(s))),
            ExprKind::Bool(b) => Some(Value::Bool(*b)),
            ExprKind::Null => Some(Value::Null),
            ExprKind::Regex(regex) => {
                let matcher = Matcher::cached(regex).map_err(|code| Error::new(code).at(expr))?;
                Some(Value::Function(Rc::new(Function::Regex(matcher))))
            }
            ExprKind::Variable(name) => self.eval_variable(name, input, env),
            ExprKind::Name(name) => lookup(input, name),
            ExprKind::Wildcard => wildcard(input),
            ExprKind::Descendant => descendants(input),
            ExprKind::Parent(label) => env.lookup(&label_name(*label)).flatten(),
            ExprKind::Path(path) => self.eval_path(path, input, env)?,
            ExprKind::Negate(inner) => match self.eval(inner, input, env)? {
                None => None,
                Some(Value::Number(n)) => Some(Value::Number(-n)),
                Some(other) => return Err(Error::new("D1002").at(expr).token("-").value(other)),
            },
            ExprKind::Binary(binary) => self.eval_binary(binary, expr, input, env)?,
            ExprKind::Array(array) => {
                let mut items = Vec::with_capacity(array.items.len());
                for item in &array.items {
                    let value = self.eval(item, input, env)?;
                    let Some(value) = value else { continue };
                    let nested = match &item.kind {
                        ExprKind::Array(_) => true,
                        ExprKind::Decorated(d) => matches!(d.base.kind, ExprKind::Array(_)),
                        _ => false,
                    };
                    if nested {
                        items.push(value);
                    } else {
                        match value {
                            Value::Array(array) => items.extend(array.items.iter().cloned()),
                            other => items.push(other),
                        }
                    }
                }
                Some(Value::array(items))
            }
            ExprKind::Object(pairs) => {
                let items = match input {
                    Some(Value::Array(array)) => array.items.as_slice(),
                    Some(other) => std::slice::from_ref(other),
                    None => &[],
                };
                Some(self.eval_group_values(pairs, expr, items, env)?)
            }
            ExprKind::Call(call) => {
                if call.is_partial() {
                    self.eval_partial(call, expr, input, env)?
                } else {
                    self.eval_call(call, expr, input, env, None)?
                }
            }
            ExprKind::Placeholder => None,
            ExprKind::Lambda(lambda) => Some(Value::Function(Rc::new(Function::Lambda {
                lambda: lambda.clone(),
                input: input.cloned(),
                env: env.clone(),
                // The names once per closure rather than once per call.
                params: Some(lambda.params.iter().map(|p| Rc::from(&*p.name)).collect()),
            }))),
            ExprKind::Condition(cond) => {
                let test = self.eval(&cond.condition, input, env)?;
                if functions::boolean(test.as_ref()) == Some(true) {
                    self.eval(&cond.then, input, env)?
                } else if let Some(otherwise) = &cond.otherwise {
                    self.eval(otherwise, input, env)?
                } else {
                    None
                }
            }
            ExprKind::Transform(transform) => Some(Value::Function(Rc::new(Function::Transform {
                transform: transform.clone(),
                env: env.clone(),
            }))),
            ExprKind::Block(block) => {
                let frame = block_frame(block, env);
                let mut result = None;
                for item in &block.exprs {
                    result = self.eval(item, input, &frame)?;
                }
                result
            }
            ExprKind::Bind(bind) => {
                let value = self.eval(&bind.value, input, env)?;
                env.bind(&bind.name.name, value.clone());
                value
            }
            ExprKind::Apply(apply) => self.eval_apply(apply, expr, input, env)?,
            ExprKind::Sort(terms) => {
                let items = input.map(|v| v.members().to_vec()).unwrap_or_default();
                Some(Value::sequence(self.sort_values(items, terms, expr, env)?))
            }
            ExprKind::Decorated(decorated) => self.eval_decorated(decorated, input, env)?,
        })
    }

    fn eval_variable(&mut self, name: &str, input: Option<&Value>, env: &Env) -> Option<Value> {
        if name.is_empty() {
            return match input {
                Some(Value::Array(array)) if array.outer_wrapper => array.items.first().cloned(),
                other => other.cloned(),
            };
        }
        match self.lookup_var(name, env) {
            Some(value) => value,
            None => self.native(name),
        }
    }

    /// The built-in function `$name`, when there is one.
    fn native(&mut self, name: &str) -> Option<Value> {
        if let Some(native) = self.natives.get(name) {
            return native.clone();
        }
        let native = functions::Native::lookup(name, self.options)
            .map(|native| Value::Function(Rc::new(Function::Native(native))));
        self.natives.insert(Box::from(name), native.clone());
        native
    }

    /// The value of a string literal of the expression.
    fn literal(&mut self, text: &str) -> Rc<str> {
        // An expression `$eval` parsed may be freed and its addresses reused within one
        // evaluation: a cached value is used only when its text is the literal's.
        match self.literals.get(&text.as_ptr()) {
            Some(value) if **value == *text => value.clone(),
            _ => {
                let value: Rc<str> = Rc::from(text);
                self.literals.insert(text.as_ptr(), value.clone());
                value
            }
        }
    }

    /// A variable bound in `env`, or else one of the caller's variables (read into a value
    /// once per evaluation): `None` when unbound.
    pub fn lookup_var(&self, name: &str, env: &Env) -> Option<Option<Value>> {
        if let Some(value) = env.lookup(name) {
            return Some(value);
        }
        let value = match self.globals.iter().find(|(n, _)| n == name) {
            Some((_, json)) => Value::from_json(json),
            None => {
                let more = self.more?;
                match more.document(name) {
                    Some(document) => document.into_value(),
                    None => Value::from_json(more.variable(name)?),
                }
            }
        };
        self.root.bind(name, Some(value.clone()));
        Some(Some(value))
    }

    fn eval_decorated(
        &mut self,
        decorated: &Decorated,
        input: Option<&Value>,
        env: &Env,
    ) -> Result<Option<Value>> {
        // The base is evaluated as part of this node (one entry of the depth guard), as the
        // reference evaluates predicates and group-bys on the node that carries them.
        let mut result = self.eval_inner(&decorated.base, input, env)?;
        for filter in &decorated.filters {
            let items = match result {
                None => Vec::new(),
                Some(Value::Array(array)) => array.items.clone(),
                Some(other) => vec![other],
            };
            result = Some(Value::sequence(self.filter_values(filter, items, env)?));
        }
        if let Some(group) = &decorated.group {
            let items = match &result {
                Some(Value::Array(array)) => array.items.clone(),
                Some(other) => vec![other.clone()],
                None => Vec::new(),
            };
            result = Some(self.eval_group(group, items, env)?);
        }
        if decorated.keep_array {
            if let Some(Value::Array(array)) = &mut result {
                if array.sequence {
                    Rc::make_mut(array).keep_singleton = true;
                }
            }
        }
        Ok(result)
    }

    // ---- paths ----

    fn eval_path(&mut self, path: &Path, input: Option<&Value>, env: &Env) -> Result<Option<Value>> {
        if is_simple_path(path) {
            return self.eval_simple_path(path, input);
        }
        if is_variable_path(path) {
            return self.eval_variable_path(path, input, env);
        }
        let first_is_variable = matches!(path.steps[0].expr.kind, ExprKind::Variable(_));
        // The reference's `createSequence(undefined)` holds one undefined item: a path from
        // no input still evaluates its first step once.
        let (mut input_items, mut input_undefined) = match input {
            Some(Value::Array(array)) if !first_is_variable => (array.items.clone(), false),
            Some(other) => (vec![other.clone()], false),
            None => (Vec::new(), true),
        };
        // Every branch of the loop below sets `result` before reading it.
        let mut result = Value::Null;
        let mut tuples: Option<Vec<Tuple>> = None;
        let mut is_tuple = false;
        let last = path.steps.len() - 1;
        for (i, step) in path.steps.iter().enumerate() {
            if step.tuple {
                is_tuple = true;
            }
            if i == 0 && step.cons_array {
                let seq = Value::sequence(input_items.clone());
                let context = if input_undefined { None } else { Some(&seq) };
                result = match self.eval(&step.expr, context, env)? {
                    Some(Value::Array(mut array)) => {
                        Rc::make_mut(&mut array).cons = true;
                        Value::Array(array)
                    }
                    Some(other) => other,
                    None => Value::sequence(Vec::new()),
                };
            } else if is_tuple {
                let (current, undefined) = match tuples.take() {
                    Some(current) => (current, false),
                    None if input_undefined => (vec![Tuple::new(Value::Null)], true),
                    None => (input_items.iter().cloned().map(Tuple::new).collect(), false),
                };
                tuples = Some(self.eval_tuple_step(step, current, env, undefined)?);
            } else {
                let step_input = if input_undefined { None } else { Some(input_items.as_slice()) };
                result = self.eval_step(step, step_input, env, i == last)?;
            }
            if !is_tuple && result.members().is_empty() {
                break;
            }
            // The next step's input; after the last step `result` is the answer.
            if step.focus.is_none() && !is_tuple && i < last {
                input_items = into_members(std::mem::replace(&mut result, Value::Null));
                input_undefined = false;
            }
        }
        if is_tuple {
            let tuples = tuples.unwrap_or_default();
            if let Some(group) = &path.group {
                return Ok(Some(self.eval_group_tuples(group, tuples, env)?));
            }
            result = Value::sequence(tuples.into_iter().map(|t| t.at).collect());
        }
        if path.keep_singleton_array {
            if let Value::Array(array) = &mut result {
                if array.cons && !array.sequence {
                    let inner = Value::Array(array.clone());
                    *array = Rc::new(Array::sequence(vec![inner]));
                }
                Rc::make_mut(array).keep_singleton = true;
            }
        }
        if let Some(group) = &path.group {
            let items = result.members().to_vec();
            return Ok(Some(self.eval_group(group, items, env)?));
        }
        Ok(Some(result))
    }

    /// A path of plain field names (`Account.Order.Product`), the commonest path, evaluated
    /// without the general machinery; same results as [`Evaluator::eval_path`].
    fn eval_simple_path(&mut self, path: &Path, input: Option<&Value>) -> Result<Option<Value>> {
        // Each step is one more (leaf) entry of the evaluator in the reference.
        if self.depth + 1 > self.options.max_depth {
            return Err(Error::new("U1001").with_position(path.steps[0].expr.range.start()).with_message(
                "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive.",
            ));
        }
        let Some(input) = input else { return Ok(None) };
        if let (Value::Object(map), [step]) = (input, path.steps.as_slice()) {
            // One field of one object: the field's value as it is (an array stays whole).
            let ExprKind::Name(name) = &step.expr.kind else { return Ok(None) };
            return Ok(map.get(name).cloned());
        }
        let items: Vec<Value> = match input {
            Value::Array(array) => array.items.clone(),
            other => vec![other.clone()],
        };
        Ok(name_steps(items, &path.steps))
    }

    /// A variable followed by field names (`$order.items.price`), as common in lambdas as
    /// plain names are elsewhere; same results as [`Evaluator::eval_path`].
    fn eval_variable_path(&mut self, path: &Path, input: Option<&Value>, env: &Env) -> Result<Option<Value>> {
        // The variable and then each name are one more (leaf) entry of the evaluator in the
        // reference.
        if self.depth + 1 > self.options.max_depth {
            return Err(Error::new("U1001").with_position(path.steps[0].expr.range.start()).with_message(
                "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive.",
            ));
        }
        let ExprKind::Variable(name) = &path.steps[0].expr.kind else { return Ok(None) };
        // A path that starts with a variable evaluates it once, against the whole input.
        let Some(value) = normalize(self.eval_variable(name, input, env), false) else { return Ok(None) };
        if let (Value::Object(map), [step]) = (&value, &path.steps[1..]) {
            if let Some(field) = field_of_one(map, step) {
                return Ok(field);
            }
        }
        let items = match value {
            Value::Array(array) if !array.cons => array.items.clone(),
            other => vec![other],
        };
        if items.is_empty() {
            return Ok(None);
        }
        Ok(name_steps(items, &path.steps[1..]))
    }

    /// One step over the input sequence: the flattened results, or (second member) the
    /// step's single array result kept whole when it is the last step.
    fn eval_step(&mut self, step: &Step, input: Option<&[Value]>, env: &Env, last: bool) -> Result<Value> {
        if let ExprKind::Sort(terms) = &step.expr.kind {
            let items = input.map(<[Value]>::to_vec).unwrap_or_default();
            let mut values = self.sort_values(items, terms, &step.expr, env)?;
            for stage in &step.stages {
                if let Stage::Filter(filter) = stage {
                    values = self.filter_values(filter, values, env)?;
                }
            }
            return Ok(Value::sequence(values));
        }
        // No input is one undefined item.
        let count = input.map_or(1, <[Value]>::len);
        let mut results: Vec<Value> = Vec::with_capacity(count);
        for index in 0..count {
            let item = input.map(|items| &items[index]);
            let mut res = self.eval(&step.expr, item, env)?;
            for stage in &step.stages {
                if let Stage::Filter(filter) = stage {
                    let values = match res {
                        None => Vec::new(),
                        Some(Value::Array(array)) => array.items.clone(),
                        Some(other) => vec![other],
                    };
                    res = Some(Value::sequence(self.filter_values(filter, values, env)?));
                }
            }
            if let Some(res) = res {
                match res {
                    // The last step's array constructor is kept whole, never flattened.
                    Value::Array(mut array) if step.cons_array && !array.sequence => {
                        Rc::make_mut(&mut array).cons = true;
                        results.push(Value::Array(array));
                    }
                    other => results.push(other),
                }
            }
        }
        if last && results.len() == 1 {
            if let Value::Array(array) = &results[0] {
                if !array.sequence {
                    return Ok(results.pop().unwrap_or(Value::Null));
                }
            }
        }
        let mut flat = Vec::with_capacity(results.len());
        for res in results {
            match res {
                Value::Array(array) if !array.cons => flat.extend(array.items.iter().cloned()),
                other => flat.push(other),
            }
        }
        Ok(Value::sequence(flat))
    }

    fn eval_tuple_step(
        &mut self,
        step: &Step,
        input: Vec<Tuple>,
        env: &Env,
        undefined: bool,
    ) -> Result<Vec<Tuple>> {
        if let ExprKind::Sort(terms) = &step.expr.kind {
            let mut result = self.sort_tuples(input, terms, &step.expr, env)?;
            if let Some(index) = &step.index {
                let name: Rc<str> = Rc::from(&*index.name);
                for (i, tuple) in result.iter_mut().enumerate() {
                    tuple.set(&name, Value::Number(i as f64));
                }
            }
            return self.apply_stages(&step.stages, result, env);
        }
        let mut result = Vec::new();
        let focus: Option<Rc<str>> = step.focus.as_ref().map(|b| Rc::from(&*b.name));
        let index: Option<Rc<str>> = step.index.as_ref().map(|b| Rc::from(&*b.name));
        let ancestor = step.ancestor.map(label_name);
        for tuple in input {
            let frame = tuple.frame(env);
            let at = if undefined { None } else { Some(&tuple.at) };
            match self.eval_maybe_tuples(&step.expr, at, &frame)? {
                Stream::Tuples(inner) => {
                    for res in inner {
                        let mut out = tuple.clone();
                        out.at = res.at.clone();
                        for (name, value) in res.vars {
                            out.set(&name, value);
                        }
                        result.push(out);
                    }
                }
                Stream::Values(values) => {
                    for (i, res) in values.into_iter().enumerate() {
                        let mut out = tuple.clone();
                        if let Some(focus) = &focus {
                            out.set(focus, res);
                        } else {
                            out.at = res;
                        }
                        if let Some(index) = &index {
                            out.set(index, Value::Number(i as f64));
                        }
                        if let Some(ancestor) = &ancestor {
                            out.set(ancestor, tuple.at.clone());
                        }
                        result.push(out);
                    }
                }
            }
        }
        self.apply_stages(&step.stages, result, env)
    }

    /// Evaluates a step of a tuple stream: a nested path or block that itself binds tuple
    /// variables yields tuples; anything else yields its values.
    fn eval_maybe_tuples(&mut self, expr: &Expr, input: Option<&Value>, env: &Env) -> Result<Stream> {
        match &expr.kind {
            ExprKind::Path(path) if path.tuple => {
                self.enter(expr)?;
                let res = stacker::maybe_grow(64 * 1024, 2 * 1024 * 1024, || {
                    self.eval_path_tuples(path, input, env)
                });
                self.depth -= 1;
                res.map(Stream::Tuples)
            }
            ExprKind::Block(block) if block_is_tuple(block) => {
                self.enter(expr)?;
                let frame = block_frame(block, env);
                let mut out = Stream::Values(Vec::new());
                let n = block.exprs.len();
                for (i, item) in block.exprs.iter().enumerate() {
                    if i + 1 == n {
                        out = self.eval_maybe_tuples(item, input, &frame)?;
                    } else {
                        self.eval(item, input, &frame)?;
                    }
                }
                self.depth -= 1;
                Ok(out)
            }
            ExprKind::Decorated(decorated) if decorated.group.is_none() && is_tuple_expr(&decorated.base) => {
                self.enter(expr)?;
                let res = self.eval_maybe_tuples(&decorated.base, input, env);
                let res = match res {
                    Ok(Stream::Tuples(mut tuples)) => {
                        let mut failed = None;
                        for filter in &decorated.filters {
                            match self.filter_tuples(filter, tuples, env) {
                                Ok(kept) => tuples = kept,
                                Err(err) => {
                                    failed = Some(err);
                                    tuples = Vec::new();
                                    break;
                                }
                            }
                        }
                        match failed {
                            Some(err) => Err(err),
                            None => Ok(Stream::Tuples(tuples)),
                        }
                    }
                    other => other,
                };
                self.depth -= 1;
                res
            }
            _ => {
                let value = self.eval(expr, input, env)?;
                Ok(Stream::Values(match value {
                    None => Vec::new(),
                    Some(Value::Array(array)) => array.items.clone(),
                    Some(other) => vec![other],
                }))
            }
        }
    }

    /// A path evaluated for its tuples (it is a step of an enclosing tuple stream).
    fn eval_path_tuples(&mut self, path: &Path, input: Option<&Value>, env: &Env) -> Result<Vec<Tuple>> {
        let first_is_variable = matches!(path.steps[0].expr.kind, ExprKind::Variable(_));
        let input_seq: Vec<Value> = match input {
            Some(Value::Array(array)) if !first_is_variable => array.items.clone(),
            Some(other) => vec![other.clone()],
            None => Vec::new(),
        };
        let mut tuples: Vec<Tuple> = input_seq.into_iter().map(Tuple::new).collect();
        for step in &path.steps {
            tuples = self.eval_tuple_step(step, tuples, env, false)?;
        }
        Ok(tuples)
    }

    fn apply_stages(&mut self, stages: &[Stage], mut tuples: Vec<Tuple>, env: &Env) -> Result<Vec<Tuple>> {
        for stage in stages {
            match stage {
                Stage::Filter(filter) => tuples = self.filter_tuples(filter, tuples, env)?,
                Stage::Index(binding) => {
                    let name: Rc<str> = Rc::from(&*binding.name);
                    for (i, tuple) in tuples.iter_mut().enumerate() {
                        tuple.set(&name, Value::Number(i as f64));
                    }
                }
            }
        }
        Ok(tuples)
    }

    // ---- predicates ----

    fn filter_values(&mut self, predicate: &Expr, input: Vec<Value>, env: &Env) -> Result<Vec<Value>> {
        if let ExprKind::Number(n) = &predicate.kind {
            return Ok(match literal_index(n.value, input.len()).map(|i| &input[i]) {
                Some(Value::Array(array)) => array.items.clone(),
                Some(other) => vec![other.clone()],
                None => Vec::new(),
            });
        }
        let mut results = Vec::new();
        let len = input.len();
        for (index, item) in input.iter().enumerate() {
            let res = self.eval(predicate, Some(item), env)?;
            if predicate_selects(res.as_ref(), index, len) {
                results.push(item.clone());
            }
        }
        Ok(results)
    }

    fn filter_tuples(&mut self, predicate: &Expr, input: Vec<Tuple>, env: &Env) -> Result<Vec<Tuple>> {
        if let ExprKind::Number(n) = &predicate.kind {
            return Ok(literal_index(n.value, input.len()).map(|i| input[i].clone()).into_iter().collect());
        }
        let mut results = Vec::new();
        let len = input.len();
        for (index, tuple) in input.into_iter().enumerate() {
            let frame = tuple.frame(env);
            let res = self.eval(predicate, Some(&tuple.at), &frame)?;
            if predicate_selects(res.as_ref(), index, len) {
                results.push(tuple);
            }
        }
        Ok(results)
    }

    // ---- grouping ----

    fn eval_group(&mut self, group: &Group, items: Vec<Value>, env: &Env) -> Result<Value> {
        let expr = Expr { kind: ExprKind::Null, range: group.range };
        self.eval_group_values(&group.pairs, &expr, &items, env)
    }

    fn eval_group_values(
        &mut self,
        pairs: &[ast::Pair],
        at: &Expr,
        items: &[Value],
        env: &Env,
    ) -> Result<Value> {
        if items.len() <= 1 && pairs.len() <= SMALL_OBJECT {
            return self.eval_object(pairs, at, items.first(), env);
        }
        let mut groups: indexmap::IndexMap<Rc<str>, (Vec<Value>, usize), rustc_hash::FxBuildHasher> =
            indexmap::IndexMap::default();
        // No items: one undefined item, so that a constant object is still built.
        let slots: Vec<Option<&Value>> =
            if items.is_empty() { vec![None] } else { items.iter().map(Some).collect() };
        for item in slots {
            for (pair_index, pair) in pairs.iter().enumerate() {
                let key = self.eval(&pair.key, item, env)?;
                let key = match key {
                    None => continue,
                    Some(Value::String(s)) => s,
                    Some(other) => return Err(Error::new("T1003").at(at).value(other)),
                };
                match groups.get_mut(&key) {
                    Some((data, existing)) => {
                        if *existing != pair_index {
                            return Err(Error::new("D1009").at(at).value(Value::String(key)));
                        }
                        if let Some(item) = item {
                            data.push(item.clone());
                        }
                    }
                    None => {
                        groups.insert(key, (item.cloned().into_iter().collect(), pair_index));
                    }
                }
            }
        }
        let mut result = Map::default();
        for (key, (data, pair_index)) in groups {
            let context = match data.len() {
                0 => None,
                1 => data.into_iter().next(),
                _ => Some(Value::array(data)),
            };
            let value = self.eval(&pairs[pair_index].value, context.as_ref(), env)?;
            if let Some(value) = value {
                result.insert(key, value);
            }
        }
        Ok(Value::object(result))
    }

    /// An object constructor over at most one item, the commonest case (`orders.{…}` builds
    /// one object per order): no grouping is needed, so the keys are checked with a linear
    /// scan and the values see the item itself. Same results and errors as
    /// [`Evaluator::eval_group_values`]: every key first, in order, then the values.
    fn eval_object(
        &mut self,
        pairs: &[ast::Pair],
        at: &Expr,
        item: Option<&Value>,
        env: &Env,
    ) -> Result<Value> {
        let mut keys: Vec<(Rc<str>, usize)> = Vec::with_capacity(pairs.len());
        for (pair_index, pair) in pairs.iter().enumerate() {
            let key = match self.eval(&pair.key, item, env)? {
                None => continue,
                Some(Value::String(s)) => s,
                Some(other) => return Err(Error::new("T1003").at(at).value(other)),
            };
            // One item: a key seen before came from another pair.
            if keys.iter().any(|(seen, _)| *seen == key) {
                return Err(Error::new("D1009").at(at).value(Value::String(key)));
            }
            keys.push((key, pair_index));
        }
        let mut result = Map::with_capacity(keys.len());
        for (key, pair_index) in keys {
            if let Some(value) = self.eval(&pairs[pair_index].value, item, env)? {
                result.insert(key, value);
            }
        }
        Ok(Value::object(result))
    }

    fn eval_group_tuples(&mut self, group: &Group, tuples: Vec<Tuple>, env: &Env) -> Result<Value> {
        let at = Expr { kind: ExprKind::Null, range: group.range };
        let mut groups: indexmap::IndexMap<Rc<str>, (Vec<Tuple>, usize), rustc_hash::FxBuildHasher> =
            indexmap::IndexMap::default();
        for tuple in &tuples {
            let frame = tuple.frame(env);
            for (pair_index, pair) in group.pairs.iter().enumerate() {
                let key = match self.eval(&pair.key, Some(&tuple.at), &frame)? {
                    None => continue,
                    Some(Value::String(s)) => s,
                    Some(other) => return Err(Error::new("T1003").at(&at).value(other)),
                };
                match groups.get_mut(&key) {
                    Some((data, existing)) => {
                        if *existing != pair_index {
                            return Err(Error::new("D1009").at(&at).value(Value::String(key)));
                        }
                        data.push(tuple.clone());
                    }
                    None => {
                        groups.insert(key, (vec![tuple.clone()], pair_index));
                    }
                }
            }
        }
        if tuples.is_empty() {
            for pair in &group.pairs {
                let key = self.eval(&pair.key, None, env)?;
                if let Some(key) = key {
                    if !matches!(key, Value::String(_)) {
                        return Err(Error::new("T1003").at(&at).value(key));
                    }
                }
            }
        }
        let mut result = Map::default();
        for (key, (data, pair_index)) in groups {
            // Merge the tuples: each variable collects its values across the group.
            let mut vars: Vec<(Rc<str>, Value)> = Vec::new();
            let mut context: Option<Value> = None;
            for tuple in data {
                context = Some(append_value(context, tuple.at));
                for (name, value) in tuple.vars {
                    match vars.iter_mut().find(|(n, _)| *n == name) {
                        Some(slot) => {
                            let prev = std::mem::replace(&mut slot.1, Value::Null);
                            slot.1 = append_value(Some(prev), value);
                        }
                        None => vars.push((name, value)),
                    }
                }
            }
            let frame = Frame::child(env);
            for (name, value) in vars {
                frame.bind_rc(&name, Some(value));
            }
            let value = self.eval(&group.pairs[pair_index].value, context.as_ref(), &frame)?;
            if let Some(value) = value {
                result.insert(key, value);
            }
        }
        Ok(Value::object(result))
    }

    // ---- sorting ----

    fn sort_values(
        &mut self,
        items: Vec<Value>,
        terms: &[SortTerm],
        at: &Expr,
        env: &Env,
    ) -> Result<Vec<Value>> {
        if items.len() <= 1 {
            return Ok(items);
        }
        let mut keys = Vec::with_capacity(items.len());
        for item in &items {
            let mut row = Vec::with_capacity(terms.len());
            for term in terms {
                row.push(self.eval(&term.expr, Some(item), env)?);
            }
            keys.push(row);
        }
        let order = merge_sort_indices(items.len(), &mut |a, b| compare_keys(&keys[a], &keys[b], terms, at))?;
        Ok(order.into_iter().map(|i| items[i].clone()).collect())
    }

    fn sort_tuples(
        &mut self,
        items: Vec<Tuple>,
        terms: &[SortTerm],
        at: &Expr,
        env: &Env,
    ) -> Result<Vec<Tuple>> {
        if items.len() <= 1 {
            return Ok(items);
        }
        let mut keys = Vec::with_capacity(items.len());
        for tuple in &items {
            let frame = tuple.frame(env);
            let mut row = Vec::with_capacity(terms.len());
            for term in terms {
                row.push(self.eval(&term.expr, Some(&tuple.at), &frame)?);
            }
            keys.push(row);
        }
        let order = merge_sort_indices(items.len(), &mut |a, b| compare_keys(&keys[a], &keys[b], terms, at))?;
        Ok(order.into_iter().map(|i| items[i].clone()).collect())
    }

    // ---- operators ----

    fn eval_binary(
        &mut self,
        binary: &Binary,
        expr: &Expr,
        input: Option<&Value>,
        env: &Env,
    ) -> Result<Option<Value>> {
        let lhs = self.eval(&binary.lhs, input, env)?;
        let op = binary.op;
        if matches!(op, BinaryOp::And | BinaryOp::Or) {
            let left = functions::boolean(lhs.as_ref()).unwrap_or(false);
            let value = match op {
                BinaryOp::And => {
                    left && functions::boolean(self.eval(&binary.rhs, input, env)?.as_ref()).unwrap_or(false)
                }
                _ => {
                    left || functions::boolean(self.eval(&binary.rhs, input, env)?.as_ref()).unwrap_or(false)
                }
            };
            return Ok(Some(Value::Bool(value)));
        }
        let rhs = self.eval(&binary.rhs, input, env)?;
        let token = op.as_str();
        // Operator errors sit on the operator: the first token after the left operand.
        let fail = |code: &'static str| Error::new(code).with_position(binary.lhs.range.end()).token(token);
        Ok(match op {
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => {
                let l = match &lhs {
                    None => None,
                    Some(Value::Number(n)) if !n.is_finite() => {
                        return Err(fail("D1001").value(Value::Number(*n)))
                    }
                    Some(Value::Number(n)) => Some(*n),
                    Some(other) => return Err(fail("T2001").value(other.clone())),
                };
                let r = match &rhs {
                    None => None,
                    Some(Value::Number(n)) if !n.is_finite() => {
                        return Err(fail("D1001").value(Value::Number(*n)))
                    }
                    Some(Value::Number(n)) => Some(*n),
                    Some(other) => return Err(fail("T2002").value(other.clone())),
                };
                let (Some(l), Some(r)) = (l, r) else { return Ok(None) };
                let n = match op {
                    BinaryOp::Add => l + r,
                    BinaryOp::Sub => l - r,
                    BinaryOp::Mul => l * r,
                    BinaryOp::Div => l / r,
                    _ => l % r,
                };
                Some(Value::Number(n))
            }
            BinaryOp::Eq | BinaryOp::Ne => {
                let (Some(l), Some(r)) = (&lhs, &rhs) else { return Ok(Some(Value::Bool(false))) };
                let equal = deep_equal(l, r);
                Some(Value::Bool(if op == BinaryOp::Eq { equal } else { !equal }))
            }
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                let comparable =
                    |v: &Option<Value>| matches!(v, None | Some(Value::Number(_) | Value::String(_)));
                if !comparable(&lhs) || !comparable(&rhs) {
                    let culprit =
                        if matches!(lhs, Some(Value::Number(_) | Value::String(_))) { rhs } else { lhs };
                    let err = fail("T2010");
                    return Err(match culprit {
                        Some(v) => err.value(v),
                        None => err,
                    });
                }
                let (Some(l), Some(r)) = (lhs, rhs) else { return Ok(None) };
                let ordering = match (&l, &r) {
                    (Value::Number(a), Value::Number(b)) => a.partial_cmp(b),
                    (Value::String(a), Value::String(b)) => Some(compare_strings(a, b)),
                    _ => return Err(fail("T2009").value(l).value2(r)),
                };
                let Some(ordering) = ordering else { return Ok(Some(Value::Bool(false))) };
                Some(Value::Bool(match op {
                    BinaryOp::Lt => ordering.is_lt(),
                    BinaryOp::Le => ordering.is_le(),
                    BinaryOp::Gt => ordering.is_gt(),
                    _ => ordering.is_ge(),
                }))
            }
            BinaryOp::Concat => {
                let mut text = String::new();
                if let Some(l) = &lhs {
                    text.push_str(&functions::to_string(l).map_err(|e| e.at(expr))?);
                }
                if let Some(r) = &rhs {
                    text.push_str(&functions::to_string(r).map_err(|e| e.at(expr))?);
                }
                Some(Value::string(&text))
            }
            BinaryOp::Range => {
                let is_int = |v: &Option<Value>| match v {
                    None => true,
                    Some(Value::Number(n)) => n.fract() == 0.0 && n.is_finite(),
                    _ => false,
                };
                if !is_int(&lhs) {
                    return Err(fail("T2003").value(lhs.unwrap_or(Value::Null)));
                }
                if !is_int(&rhs) {
                    return Err(fail("T2004").value(rhs.unwrap_or(Value::Null)));
                }
                let (Some(Value::Number(l)), Some(Value::Number(r))) = (lhs, rhs) else { return Ok(None) };
                if l > r {
                    return Ok(None);
                }
                let size = r - l + 1.0;
                if size > 1e7 {
                    return Err(fail("D2014").value(Value::Number(size)));
                }
                let items = (0..size as i64).map(|i| Value::Number(l + i as f64)).collect();
                Some(Value::sequence(items))
            }
            BinaryOp::In => {
                let (Some(l), Some(r)) = (&lhs, &rhs) else { return Ok(Some(Value::Bool(false))) };
                Some(Value::Bool(r.members().iter().any(|item| strict_equal(item, l))))
            }
            BinaryOp::And | BinaryOp::Or => None,
        })
    }

    // ---- functions ----

    fn eval_call(
        &mut self,
        call: &ast::Call,
        expr: &Expr,
        input: Option<&Value>,
        env: &Env,
        applied: Option<Option<Value>>,
    ) -> Result<Option<Value>> {
        let procedure = self.eval(&call.procedure, input, env)?;
        let name = procedure_name(&call.procedure);
        if procedure.is_none() {
            if let ExprKind::Path(path) = &call.procedure.kind {
                if let ExprKind::Name(first) = &path.steps[0].expr.kind {
                    if self.lookup_var(first, env).is_some()
                        || functions::Native::lookup(first, self.options).is_some()
                    {
                        return Err(Error::new("T1005").at(expr).token(first));
                    }
                }
            }
        }
        let mut args = Vec::with_capacity(call.args.len() + 1);
        if let Some(context) = applied {
            args.push(context);
        }
        for arg in &call.args {
            args.push(self.eval(arg, input, env)?);
        }
        self.apply(procedure.as_ref(), args, input, env)
            .map_err(|err| err.default_at(expr).default_token(name))
    }

    /// Applies a function, running tail calls of lambda bodies in a loop.
    pub fn apply(
        &mut self,
        procedure: Option<&Value>,
        args: Vec<Option<Value>>,
        input: Option<&Value>,
        env: &Env,
    ) -> Result<Option<Value>> {
        let mut tail = self.apply_inner(procedure, args, input, env)?;
        loop {
            match tail {
                Tail::Value(value) => return Ok(value),
                Tail::Call { procedure, args, name, position } => {
                    tail = self
                        .apply_inner(procedure.as_ref(), args, input, env)
                        .map_err(|err| err.default_token(&name).default_position(position))?;
                }
            }
        }
    }

    fn apply_inner(
        &mut self,
        procedure: Option<&Value>,
        args: Vec<Option<Value>>,
        input: Option<&Value>,
        env: &Env,
    ) -> Result<Tail> {
        let Some(Value::Function(function)) = procedure else {
            return Err(Error::new("T1006"));
        };
        match &**function {
            Function::Lambda { lambda, input: lambda_input, env: lambda_env, params } => {
                let args = match &lambda.signature {
                    Some(sig) => signature::validate(sig, args, input)?,
                    None => args,
                };
                let mut args = args.into_iter();
                let frame = match params {
                    Some(params) => Frame::with_vars(
                        lambda_env,
                        params.iter().map(|name| (name.clone(), args.next().flatten())),
                    ),
                    None => Frame::with_vars(
                        lambda_env,
                        lambda.params.iter().map(|param| (Rc::from(&*param.name), args.next().flatten())),
                    ),
                };
                self.eval_body(&lambda.body, lambda_input.clone(), frame)
            }
            Function::Native(native) => {
                let args = signature::validate_native(*native, args, input)?;
                Ok(Tail::Value(functions::call(self, *native, args, input, env)?))
            }
            Function::Partial { target, args: fixed, .. } => {
                let mut supplied = args.into_iter();
                let full: Vec<Option<Value>> = fixed
                    .iter()
                    .map(|arg| match arg {
                        PartialArg::Fixed(value) => value.clone(),
                        PartialArg::Hole => supplied.next().flatten(),
                    })
                    .collect();
                let Value::Function(inner) = target else { return Err(Error::new("T1006")) };
                match &**inner {
                    // A partially applied built-in is called without checking its signature,
                    // as the reference does.
                    Function::Native(native) => {
                        Ok(Tail::Value(functions::call(self, *native, full, input, env)?))
                    }
                    _ => Ok(Tail::Value(self.apply(Some(target), full, input, env)?)),
                }
            }
            Function::Regex(matcher) => {
                let text = match args.first() {
                    Some(Some(Value::String(s))) => s.clone(),
                    _ => return Ok(Tail::Value(None)),
                };
                let from = match args.get(1) {
                    Some(Some(Value::Number(n))) => *n as usize,
                    _ => 0,
                };
                Ok(Tail::Value(matcher.match_object(&text, from)))
            }
            Function::Chain(first, second) => {
                let arg = args.into_iter().next().flatten();
                let mid = self.apply(Some(first), vec![arg], None, env)?;
                Ok(Tail::Value(self.apply(Some(second), vec![mid], None, env)?))
            }
            Function::Transform { transform, env: transform_env } => {
                let arg = args.into_iter().next().flatten();
                let arg = signature::validate_transform(arg)?;
                Ok(Tail::Value(self.apply_transform(transform, transform_env, arg)?))
            }
        }
    }

    /// Evaluates a lambda body, leaving a call in tail position to the caller's loop.
    fn eval_body(&mut self, body: &Expr, input: Option<Value>, env: Env) -> Result<Tail> {
        match &body.kind {
            ExprKind::Call(call) if !call.is_partial() => {
                self.enter(body)?;
                let res = self.eval_tail_call(call, body, input.as_ref(), &env);
                self.depth -= 1;
                res
            }
            ExprKind::Condition(cond) => {
                self.enter(body)?;
                let test = self.eval(&cond.condition, input.as_ref(), &env);
                let res = match test {
                    Err(err) => Err(err),
                    Ok(test) => {
                        if functions::boolean(test.as_ref()) == Some(true) {
                            self.eval_body(&cond.then, input, env)
                        } else if let Some(otherwise) = &cond.otherwise {
                            self.eval_body(otherwise, input, env)
                        } else {
                            Ok(Tail::Value(None))
                        }
                    }
                };
                self.depth -= 1;
                res.map(|tail| match tail {
                    Tail::Value(value) => Tail::Value(normalize(value, false)),
                    call => call,
                })
            }
            ExprKind::Block(block) if !block.exprs.is_empty() => {
                self.enter(body)?;
                let frame = block_frame(block, &env);
                let n = block.exprs.len();
                let mut res = Ok(Tail::Value(None));
                for (i, item) in block.exprs.iter().enumerate() {
                    if i + 1 == n {
                        res = self.eval_body(item, input.clone(), frame.clone());
                    } else if let Err(err) = self.eval(item, input.as_ref(), &frame) {
                        res = Err(err);
                        break;
                    }
                }
                self.depth -= 1;
                res.map(|tail| match tail {
                    Tail::Value(value) => Tail::Value(normalize(value, false)),
                    call => call,
                })
            }
            _ => Ok(Tail::Value(self.eval(body, input.as_ref(), &env)?)),
        }
    }

    fn eval_tail_call(
        &mut self,
        call: &ast::Call,
        expr: &Expr,
        input: Option<&Value>,
        env: &Env,
    ) -> Result<Tail> {
        let procedure = self.eval(&call.procedure, input, env)?;
        let name = procedure_name(&call.procedure);
        if procedure.is_none() {
            self.check_missing_dollar(call, expr, env, "T1005")?;
        }
        let mut args = Vec::with_capacity(call.args.len());
        for arg in &call.args {
            args.push(self.eval(arg, input, env)?);
        }
        Ok(Tail::Call { procedure, args, name: Rc::from(name), position: expr.range.start() })
    }

    /// `T1005`/`T1007`: calling `name(…)` where `$name(…)` exists.
    fn check_missing_dollar(
        &self,
        call: &ast::Call,
        expr: &Expr,
        env: &Env,
        code: &'static str,
    ) -> Result<()> {
        if let ExprKind::Path(path) = &call.procedure.kind {
            if let ExprKind::Name(first) = &path.steps[0].expr.kind {
                if self.lookup_var(first, env).is_some()
                    || functions::Native::lookup(first, self.options).is_some()
                {
                    return Err(Error::new(code).at(expr).token(first));
                }
            }
        }
        Ok(())
    }

    fn eval_partial(
        &mut self,
        call: &ast::Call,
        expr: &Expr,
        input: Option<&Value>,
        env: &Env,
    ) -> Result<Option<Value>> {
        let mut args = Vec::with_capacity(call.args.len());
        for arg in &call.args {
            if arg.kind == ExprKind::Placeholder {
                args.push(None);
            } else {
                args.push(Some(self.eval(arg, input, env)?));
            }
        }
        let procedure = self.eval(&call.procedure, input, env)?;
        let Some(Value::Function(function)) = &procedure else {
            if let ExprKind::Path(path) = &call.procedure.kind {
                if let ExprKind::Name(first) = &path.steps[0].expr.kind {
                    if self.lookup_var(first, env).is_some()
                        || functions::Native::lookup(first, self.options).is_some()
                    {
                        return Err(Error::new("T1007").at(expr).token(first));
                    }
                }
            }
            return Err(Error::new("T1008").at(expr).token(procedure_name(&call.procedure)));
        };
        if let Function::Lambda { lambda, input: lambda_input, env: lambda_env, params } = &**function {
            let frame = Frame::child(lambda_env);
            let names: Vec<Rc<str>> = match params {
                Some(params) => params.to_vec(),
                None => lambda.params.iter().map(|p| Rc::from(&*p.name)).collect(),
            };
            let mut unbound = Vec::new();
            for (i, name) in names.into_iter().enumerate() {
                match args.get(i) {
                    Some(None) => unbound.push(name),
                    Some(Some(value)) => frame.bind_rc(&name, value.clone()),
                    None => frame.bind_rc(&name, None),
                }
            }
            return Ok(Some(Value::Function(Rc::new(Function::Lambda {
                lambda: lambda.clone(),
                input: lambda_input.clone(),
                env: frame,
                params: Some(unbound.into()),
            }))));
        }
        let holes = args.iter().filter(|a| a.is_none()).count();
        let args = args.into_iter().map(|a| a.map_or(PartialArg::Hole, PartialArg::Fixed)).collect();
        Ok(Some(Value::Function(Rc::new(Function::Partial {
            target: Value::Function(function.clone()),
            args,
            arity: holes,
        }))))
    }

    fn eval_apply(
        &mut self,
        apply: &ast::Apply,
        expr: &Expr,
        input: Option<&Value>,
        env: &Env,
    ) -> Result<Option<Value>> {
        let lhs = self.eval(&apply.lhs, input, env)?;
        if let ExprKind::Decorated(decorated) = &apply.rhs.kind {
            if let ExprKind::Call(call) = &decorated.base.kind {
                if !call.is_partial() && decorated.filters.is_empty() && decorated.group.is_none() {
                    self.enter(&apply.rhs)?;
                    let res = self.eval_call(call, &apply.rhs, input, env, Some(lhs));
                    self.depth -= 1;
                    let mut res = res?;
                    if decorated.keep_array {
                        if let Some(Value::Array(array)) = &mut res {
                            if array.sequence {
                                Rc::make_mut(array).keep_singleton = true;
                            }
                        }
                    }
                    return Ok(res);
                }
            }
        }
        if let ExprKind::Call(call) = &apply.rhs.kind {
            if !call.is_partial() {
                // The depth guard counts the call node as the reference does.
                self.enter(&apply.rhs)?;
                let res = self.eval_call(call, &apply.rhs, input, env, Some(lhs));
                self.depth -= 1;
                return res;
            }
        }
        let function = self.eval(&apply.rhs, input, env)?;
        if !matches!(function, Some(Value::Function(_))) {
            let err = Error::new("T2006").at(expr);
            return Err(match function {
                Some(v) => err.value(v),
                None => err,
            });
        }
        if let Some(Value::Function(_)) = &lhs {
            let (Some(first), Some(second)) = (lhs, function) else { return Ok(None) };
            return Ok(Some(Value::Function(Rc::new(Function::Chain(first, second)))));
        }
        self.apply(function.as_ref(), vec![lhs], None, env)
    }

    // ---- transforms ----

    fn apply_transform(
        &mut self,
        transform: &Arc<ast::Transform>,
        env: &Env,
        arg: Option<Value>,
    ) -> Result<Option<Value>> {
        let Some(arg) = arg else { return Ok(None) };
        let at = Expr { kind: ExprKind::Null, range: transform.pattern.range };
        let clone = match self.lookup_var("clone", env) {
            Some(value) => value,
            None => Some(Value::Function(Rc::new(Function::Native(functions::Native::Clone)))),
        };
        if !matches!(clone, Some(Value::Function(_))) {
            return Err(Error::new("T2013").at(&at));
        }
        let result = self.apply(clone.as_ref(), vec![Some(arg)], None, env)?;
        let Some(result) = result else { return Ok(None) };
        let matches = self.eval(&transform.pattern, Some(&result), env)?;
        let Some(matches) = matches else { return Ok(Some(result)) };
        let mut edits: Vec<(*const crate::value::Object, Map, Vec<Rc<str>>)> = Vec::new();
        for matched in matches.members() {
            let update = self.eval(&transform.update, Some(matched), env)?;
            let mut updates = Map::default();
            match update {
                None => {}
                Some(Value::Object(map)) => updates = map.0.clone(),
                Some(other) => return Err(Error::new("T2011").at(&transform.update).value(other)),
            }
            let mut deletions = Vec::new();
            if let Some(delete) = &transform.delete {
                if let Some(value) = self.eval(delete, Some(matched), env)? {
                    for item in value.members() {
                        match item {
                            Value::String(s) => deletions.push(s.clone()),
                            _ => return Err(Error::new("T2012").at(delete).value(value.clone())),
                        }
                    }
                }
            }
            if let Value::Object(map) = matched {
                edits.push((Rc::as_ptr(map), updates, deletions));
            }
        }
        if edits.is_empty() {
            return Ok(Some(result));
        }
        Ok(Some(rebuild(&result, &edits)))
    }
}

/// Rebuilds a cloned tree with the updates and deletions of a transform applied to the
/// objects they matched (found by identity: the clone shares no object with anything else).
fn rebuild(value: &Value, edits: &[(*const crate::value::Object, Map, Vec<Rc<str>>)]) -> Value {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || rebuild_inner(value, edits))
}

fn rebuild_inner(value: &Value, edits: &[(*const crate::value::Object, Map, Vec<Rc<str>>)]) -> Value {
    match value {
        Value::Object(map) => {
            let ptr = Rc::as_ptr(map);
            let mut out = Map::with_capacity(map.len());
            for (key, item) in map.iter() {
                out.insert(key.clone(), rebuild(item, edits));
            }
            for (target, updates, deletions) in edits {
                if *target == ptr {
                    for (key, item) in updates.iter() {
                        out.insert(key.clone(), item.clone());
                    }
                    for key in deletions {
                        out.shift_remove(key);
                    }
                }
            }
            Value::object(out)
        }
        Value::Array(array) => {
            let items = array.items.iter().map(|item| rebuild(item, edits)).collect();
            let mut rebuilt = Array::plain(items);
            rebuilt.sequence = array.sequence;
            rebuilt.keep_singleton = array.keep_singleton;
            rebuilt.cons = array.cons;
            rebuilt.outer_wrapper = array.outer_wrapper;
            Value::Array(Rc::new(rebuilt))
        }
        other => other.clone(),
    }
}

/// The most members an object constructor may have for [`Evaluator::eval_object`], which
/// looks for duplicate keys with a linear scan.
const SMALL_OBJECT: usize = 16;

/// The scope a block's expressions run in: a new one when the block binds variables, else
/// the enclosing one (nothing would ever be bound in a new one).
fn block_frame(block: &ast::Block, env: &Env) -> Env {
    if block.binds {
        Frame::child(env)
    } else {
        env.clone()
    }
}

/// Whether a path is only field names, without predicates, bindings or grouping.
fn is_simple_path(path: &Path) -> bool {
    path.steps.iter().all(|step| matches!(step.expr.kind, ExprKind::Name(_))) && is_plain_path(path)
}

/// Whether a path is a variable followed by field names only, without predicates, bindings
/// or grouping.
fn is_variable_path(path: &Path) -> bool {
    path.steps.len() > 1
        && matches!(path.steps[0].expr.kind, ExprKind::Variable(_))
        && path.steps[1..].iter().all(|step| matches!(step.expr.kind, ExprKind::Name(_)))
        && is_plain_path(path)
}

/// Whether no step of a path has predicates, bindings or an array constructor, and the path
/// has no grouping and no `[]`.
fn is_plain_path(path: &Path) -> bool {
    !path.tuple
        && path.group.is_none()
        && !path.keep_singleton_array
        && path.steps.iter().all(|step| {
            step.stages.is_empty()
                && step.index.is_none()
                && step.focus.is_none()
                && step.ancestor.is_none()
                && !step.tuple
                && !step.cons_array
        })
}

/// The items of a sequence (or the value alone), taken out of it when nothing else holds it.
fn into_members(value: Value) -> Vec<Value> {
    match value {
        Value::Array(array) => match Rc::try_unwrap(array) {
            Ok(mut array) => std::mem::take(&mut array.items),
            Err(shared) => shared.items.clone(),
        },
        other => vec![other],
    }
}

/// One name step over one object, when its result is the field's value as it is (anything
/// but a sequence, which the general loop flattens): `None` when the loop must run.
fn field_of_one(map: &Map, step: &Step) -> Option<Option<Value>> {
    let ExprKind::Name(name) = &step.expr.kind else { return None };
    match map.get(name) {
        None => Some(None),
        Some(Value::Array(array)) if array.sequence => None,
        Some(value) => Some(Some(value.clone())),
    }
}

/// Field-name steps over the items of a sequence: what [`Evaluator::eval_path`] does for
/// them, without its general machinery.
fn name_steps(mut items: Vec<Value>, steps: &[Step]) -> Option<Value> {
    if let ([Value::Object(map)], [step]) = (items.as_slice(), steps) {
        if let Some(field) = field_of_one(map, step) {
            return field;
        }
    }
    let last = steps.len() - 1;
    for (i, step) in steps.iter().enumerate() {
        let ExprKind::Name(name) = &step.expr.kind else { break };
        let mut results: Vec<Value> = Vec::with_capacity(items.len());
        for item in &items {
            match item {
                Value::Object(map) => {
                    if let Some(value) = map.get(name) {
                        results.push(value.clone());
                    }
                }
                Value::Array(_) => {
                    if let Some(value) = lookup(Some(item), name) {
                        if !matches!(&value, Value::Array(a) if a.sequence && a.items.is_empty()) {
                            results.push(value);
                        }
                    }
                }
                _ => {}
            }
        }
        if i == last && results.len() == 1 {
            if let Value::Array(array) = &results[0] {
                if !array.sequence {
                    return results.pop();
                }
            }
        }
        let mut flat = Vec::with_capacity(results.len());
        for res in results {
            match res {
                Value::Array(array) if !array.cons => flat.extend(array.items.iter().cloned()),
                other => flat.push(other),
            }
        }
        items = flat;
        if items.is_empty() {
            return None;
        }
    }
    if items.len() == 1 {
        return items.pop();
    }
    Some(Value::sequence(items))
}

fn is_tuple_expr(expr: &Expr) -> bool {
    match &expr.kind {
        ExprKind::Path(path) => path.tuple,
        ExprKind::Block(block) => block_is_tuple(block),
        _ => false,
    }
}

fn block_is_tuple(block: &ast::Block) -> bool {
    match block.exprs.last().map(|e| &e.kind) {
        Some(ExprKind::Path(path)) => path.tuple,
        Some(ExprKind::Block(inner)) => block_is_tuple(inner),
        _ => false,
    }
}

fn procedure_name(procedure: &Expr) -> &str {
    match &procedure.kind {
        ExprKind::Variable(name) => name,
        ExprKind::Path(path) => match &path.steps[0].expr.kind {
            ExprKind::Name(name) | ExprKind::Variable(name) => name,
            _ => "",
        },
        _ => "",
    }
}

/// Whether a predicate's result selects the item at `index` of `len`: numbers are
/// positions (negative from the end), anything else is tested for truth.
fn predicate_selects(res: Option<&Value>, index: usize, len: usize) -> bool {
    let selects_position = |n: f64| {
        let mut i = n.floor();
        if i < 0.0 {
            i += len as f64;
        }
        i == index as f64
    };
    match res {
        Some(Value::Number(n)) => selects_position(*n),
        Some(Value::Array(array))
            if !array.items.is_empty() && array.items.iter().all(|v| matches!(v, Value::Number(_))) =>
        {
            array.items.iter().any(|v| selects_position(v.as_number().unwrap_or(f64::NAN)))
        }
        other => functions::boolean(other) == Some(true),
    }
}

/// `fn.append` of two values into one (used when tuples of a group are merged).
fn append_value(acc: Option<Value>, value: Value) -> Value {
    match acc {
        None => value,
        Some(Value::Array(array)) if array.sequence || !array.cons => {
            let mut items = array.items.clone();
            match value {
                Value::Array(more) => items.extend(more.items.iter().cloned()),
                other => items.push(other),
            }
            Value::array(items)
        }
        Some(first) => {
            let mut items = vec![first];
            match value {
                Value::Array(more) => items.extend(more.items.iter().cloned()),
                other => items.push(other),
            }
            Value::array(items)
        }
    }
}

fn compare_keys(a: &[Option<Value>], b: &[Option<Value>], terms: &[SortTerm], at: &Expr) -> Result<bool> {
    let mut comp = 0;
    for (i, term) in terms.iter().enumerate() {
        if comp != 0 {
            break;
        }
        let (aa, bb) = (&a[i], &b[i]);
        let (aa, bb) = match (aa, bb) {
            (None, None) => {
                comp = 0;
                continue;
            }
            (None, _) => {
                comp = 1;
                continue;
            }
            (_, None) => {
                comp = -1;
                continue;
            }
            (Some(x), Some(y)) => (x, y),
        };
        let ok = |v: &Value| matches!(v, Value::Number(_) | Value::String(_));
        if !ok(aa) || !ok(bb) {
            let culprit = if ok(aa) { bb } else { aa };
            return Err(Error::new("T2008").at(at).value(culprit.clone()));
        }
        let ordering = match (aa, bb) {
            (Value::Number(x), Value::Number(y)) => x.partial_cmp(y).unwrap_or(std::cmp::Ordering::Equal),
            (Value::String(x), Value::String(y)) => compare_strings(x, y),
            _ => return Err(Error::new("T2007").at(at).value(aa.clone()).value2(bb.clone())),
        };
        comp = match ordering {
            std::cmp::Ordering::Less => -1,
            std::cmp::Ordering::Equal => 0,
            std::cmp::Ordering::Greater => 1,
        };
        if term.descending {
            comp = -comp;
        }
    }
    Ok(comp == 1)
}

/// The reference's merge sort over positions: `swap(a, b)` says whether `b` goes first.
/// Stable, and it asks the same questions the reference asks, so errors come out alike.
pub(crate) fn merge_sort_indices(
    len: usize,
    swap: &mut dyn FnMut(usize, usize) -> Result<bool>,
) -> Result<Vec<usize>> {
    fn sort(items: &[usize], swap: &mut dyn FnMut(usize, usize) -> Result<bool>) -> Result<Vec<usize>> {
        if items.len() <= 1 {
            return Ok(items.to_vec());
        }
        let middle = items.len() / 2;
        let left = sort(&items[..middle], swap)?;
        let right = sort(&items[middle..], swap)?;
        let mut out = Vec::with_capacity(items.len());
        let (mut i, mut j) = (0, 0);
        while i < left.len() && j < right.len() {
            if swap(left[i], right[j])? {
                out.push(right[j]);
                j += 1;
            } else {
                out.push(left[i]);
                i += 1;
            }
        }
        out.extend_from_slice(&left[i..]);
        out.extend_from_slice(&right[j..]);
        Ok(out)
    }
    let items: Vec<usize> = (0..len).collect();
    sort(&items, swap)
}

/// The reference's post-processing of every result: an empty sequence is undefined, a
/// singleton sequence is its item unless it must stay an array.
// Always inlined: it runs on every result, and most results are not sequences.
#[inline(always)]
pub(crate) fn normalize(value: Option<Value>, keep: bool) -> Option<Value> {
    match value {
        Some(Value::Array(array)) if array.sequence => normalize_sequence(array, keep),
        other => other,
    }
}

/// [`normalize`] of a sequence.
fn normalize_sequence(mut array: Rc<Array>, keep: bool) -> Option<Value> {
    if keep && !array.keep_singleton {
        Rc::make_mut(&mut array).keep_singleton = true;
    }
    match array.items.len() {
        0 => None,
        1 if !array.keep_singleton => array.items.first().cloned(),
        _ => Some(Value::Array(array)),
    }
}

/// `fn.lookup`: a field of an object, or of every object in an array, flattened.
pub(crate) fn lookup(input: Option<&Value>, key: &str) -> Option<Value> {
    match input? {
        Value::Array(array) => {
            let mut out = Vec::new();
            for item in &array.items {
                match lookup(Some(item), key) {
                    None => {}
                    Some(Value::Array(inner)) => out.extend(inner.items.iter().cloned()),
                    Some(other) => out.push(other),
                }
            }
            Some(Value::sequence(out))
        }
        Value::Object(map) => map.get(key).cloned(),
        _ => None,
    }
}

fn flatten_into(value: &Value, out: &mut Vec<Value>) {
    match value {
        Value::Array(array) => array.items.iter().for_each(|item| flatten_into(item, out)),
        other => out.push(other.clone()),
    }
}

fn wildcard(input: Option<&Value>) -> Option<Value> {
    let mut input = input?;
    if let Value::Array(array) = input {
        if array.outer_wrapper && !array.items.is_empty() {
            input = &array.items[0];
        }
    }
    let mut out = Vec::new();
    match input {
        Value::Object(map) => {
            for value in map.values() {
                flatten_into(value, &mut out);
            }
        }
        Value::Array(array) => {
            for value in &array.items {
                flatten_into(value, &mut out);
            }
        }
        _ => {}
    }
    Some(Value::sequence(out))
}

fn descendants(input: Option<&Value>) -> Option<Value> {
    fn walk(value: &Value, out: &mut Vec<Value>) {
        match value {
            Value::Array(array) => array.items.iter().for_each(|item| walk(item, out)),
            Value::Object(map) => {
                out.push(value.clone());
                map.values().for_each(|item| walk(item, out));
            }
            other => out.push(other.clone()),
        }
    }
    let input = input?;
    let mut out = Vec::new();
    walk(input, &mut out);
    if out.len() == 1 {
        return out.pop();
    }
    Some(Value::sequence(out))
}

impl Error {
    fn at(self, expr: &Expr) -> Error {
        self.with_position(expr.range.start())
    }
}

/// The position a literal number predicate `[n]` selects in a sequence of `len`: rounded
/// down, counted from the end when negative; `None` when out of range.
fn literal_index(n: f64, len: usize) -> Option<usize> {
    let len_f = len as f64;
    let mut index = n.floor();
    if index < 0.0 {
        index += len_f;
    }
    (index >= 0.0 && index < len_f).then_some(index as usize)
}
