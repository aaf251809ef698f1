//! The shape analysis: what is known, on every path, of the JSON a JSONPath state receives.
//!
//! Shapes come from what the definition writes itself: a Pass `Result`, a `Parameters` or
//! `ResultSelector` template, `ResultPath: null`, `InputPath: null`, `OutputPath`
//! narrowing, and the `{"Error", "Cause"}` object a catcher passes on (jsonpath.md §4,
//! runtime-errors.md §4.2). Execution input, task results and anything a JSONata state
//! produces are unknown. Shapes of several paths into a state are joined, so a field is
//! *absent* only when no path can provide it.
//!
//! The fixpoint is bounded: shapes are cut at [`MAX_SHAPE_DEPTH`], and a scope whose
//! iteration does not settle within its budget is marked unknown, never half-computed.

use aslc_ir::ir::{Definition, PathOrNull, ScopeId, State, StateId, StateKind, Template};
use aslc_query::jsonpath::{self, Axis, Path, Selector};
use aslc_syntax::{Node, NodeValue};

use crate::cfg::{Cfg, CfgNode, Edge};

/// Shapes are cut to [`Shape::Any`] below this depth, so loops that nest the input deeper
/// on every turn still converge.
pub(crate) const MAX_SHAPE_DEPTH: usize = 8;

/// Objects with more members than this are treated as open.
const MAX_FIELDS: usize = 64;

/// What is known of a JSON value.
#[derive(Clone, PartialEq, Debug)]
pub(crate) enum Shape {
    /// Nothing.
    Any,
    /// An object with at least these members; `open` when others may exist too.
    Object {
        /// Known members (on some path), sorted by name.
        fields: Vec<(Box<str>, Shape)>,
        /// Whether members not listed may exist.
        open: bool,
    },
    /// An array.
    Array,
    /// A string, number, boolean or null.
    Scalar,
}

impl Shape {
    fn closed(fields: Vec<(Box<str>, Shape)>) -> Shape {
        let mut fields = fields;
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        fields.dedup_by(|a, b| a.0 == b.0);
        Shape::object(fields, false)
    }

    /// An object with `fields` (sorted by name), opened and forgotten when there are more
    /// than [`MAX_FIELDS`]: that bound keeps every step of the analysis linear in the
    /// definition, however many fields a long chain of states accumulates.
    fn object(mut fields: Vec<(Box<str>, Shape)>, open: bool) -> Shape {
        if fields.len() > MAX_FIELDS {
            fields.clear();
            return Shape::Object { fields, open: true };
        }
        Shape::Object { fields, open }
    }

    /// The shape of a literal JSON value.
    pub(crate) fn of_node(node: &Node, depth: usize) -> Shape {
        if depth > MAX_SHAPE_DEPTH {
            return Shape::Any;
        }
        match &node.value {
            NodeValue::Object(members) => Shape::closed(
                members.iter().map(|m| (m.key.text.clone(), Shape::of_node(&m.value, depth + 1))).collect(),
            ),
            NodeValue::Array(_) => Shape::Array,
            NodeValue::String(s) if aslc_ir::ir::is_whole_placeholder(&s.text) => Shape::Any,
            _ => Shape::Scalar,
        }
    }

    /// The shape a payload template produces.
    fn of_template(template: &Template, depth: usize) -> Shape {
        if depth > MAX_SHAPE_DEPTH {
            return Shape::Any;
        }
        match template {
            Template::Literal(node) => Shape::of_node(node, depth),
            Template::Object { members, .. } => Shape::closed(
                members
                    .iter()
                    .map(|m| (m.output_key.clone(), Shape::of_template(&m.value, depth + 1)))
                    .collect(),
            ),
            Template::Array { .. } => Shape::Array,
            Template::Dynamic(_) | Template::Jsonata(_) => Shape::Any,
        }
    }

    /// The shape of either of two values.
    fn join(&self, other: &Shape) -> Shape {
        match (self, other) {
            (Shape::Object { fields: a, open: oa }, Shape::Object { fields: b, open: ob }) => {
                // Both lists are sorted by name: merge them in one pass.
                let mut fields: Vec<(Box<str>, Shape)> = Vec::with_capacity(a.len().max(b.len()));
                let (mut i, mut j) = (0, 0);
                while i < a.len() || j < b.len() {
                    let order = match (a.get(i), b.get(j)) {
                        (Some(x), Some(y)) => x.0.cmp(&y.0),
                        (Some(_), None) => std::cmp::Ordering::Less,
                        _ => std::cmp::Ordering::Greater,
                    };
                    match order {
                        std::cmp::Ordering::Less => {
                            fields.push(a[i].clone());
                            i += 1;
                        }
                        std::cmp::Ordering::Greater => {
                            fields.push(b[j].clone());
                            j += 1;
                        }
                        std::cmp::Ordering::Equal => {
                            fields.push((a[i].0.clone(), a[i].1.join(&b[j].1)));
                            i += 1;
                            j += 1;
                        }
                    }
                }
                Shape::object(fields, *oa || *ob)
            }
            (Shape::Array, Shape::Array) => Shape::Array,
            (Shape::Scalar, Shape::Scalar) => Shape::Scalar,
            _ => Shape::Any,
        }
    }

    fn cut(&self, depth: usize) -> Shape {
        match self {
            _ if depth >= MAX_SHAPE_DEPTH => Shape::Any,
            Shape::Object { fields, open } => Shape::Object {
                fields: fields.iter().map(|(n, s)| (n.clone(), s.cut(depth + 1))).collect(),
                open: *open,
            },
            other => other.clone(),
        }
    }

    /// The shape at a definite path, `Any` where unknown.
    fn at(&self, path: &Path) -> Shape {
        let mut current = self.clone();
        for segment in &path.segments {
            current = match (&current, segment.axis, &segment.selector) {
                (Shape::Object { fields, .. }, Axis::Child, Selector::Name(name)) => {
                    fields.iter().find(|(n, _)| n == name).map_or(Shape::Any, |(_, s)| s.clone())
                }
                _ => return Shape::Any,
            };
        }
        current
    }

    /// `self` with `value` placed at the member names `names`.
    fn set(&self, names: &[&str], value: Shape, depth: usize) -> Shape {
        let Some((first, rest)) = names.split_first() else { return value };
        if depth > MAX_SHAPE_DEPTH {
            return Shape::Any;
        }
        match self {
            Shape::Object { fields, open } => {
                let mut fields = fields.clone();
                match fields.binary_search_by(|(n, _)| (**n).cmp(*first)) {
                    Ok(i) => fields[i].1 = fields[i].1.set(rest, value, depth + 1),
                    Err(i) => {
                        let inner =
                            Shape::Object { fields: Vec::new(), open: true }.set(rest, value, depth + 1);
                        fields.insert(i, ((*first).into(), inner));
                    }
                }
                Shape::object(fields, *open)
            }
            // Unknown input: the member is known, everything else is not.
            _ => Shape::Object {
                fields: vec![((*first).into(), Shape::Any.set(rest, value, depth + 1))],
                open: true,
            },
        }
    }

    /// The first segment of a definite path that certainly selects nothing: a member a
    /// closed object does not have, or a member of a string, number, boolean or null.
    pub(crate) fn absent_segment(&self, path: &Path) -> Option<usize> {
        if !path.is_definite() {
            return None;
        }
        let mut current = self;
        for (i, segment) in path.segments.iter().enumerate() {
            match (current, &segment.selector) {
                (Shape::Object { fields, open }, Selector::Name(name)) => {
                    match fields.iter().find(|(n, _)| n == name) {
                        Some((_, shape)) => current = shape,
                        None if !open => return Some(i),
                        None => return None,
                    }
                }
                (Shape::Scalar, Selector::Name(_)) => return Some(i),
                _ => return None,
            }
        }
        None
    }
}

/// The data a state sees, at the three points the pipeline reads it.
#[derive(Clone, Debug)]
pub(crate) struct StateShapes {
    /// The raw input.
    pub(crate) raw: Shape,
    /// After `InputPath`.
    pub(crate) effective: Shape,
    /// After `ResultPath` (what `OutputPath` reads), `None` for states without one.
    pub(crate) after_result: Option<Shape>,
}

/// The result of the analysis: per state, the joined input shape, or `None` when it is
/// unknown (unreachable, JSONata scope, unsettled).
#[derive(Debug)]
pub(crate) struct Shapes {
    inputs: Vec<Option<Shape>>,
}

impl Shapes {
    /// Runs the analysis over every scope.
    pub(crate) fn build(def: &Definition, cfg: &Cfg) -> Shapes {
        let mut inputs: Vec<Option<Shape>> = vec![None; def.states.len()];
        for (scope_id, _) in def.iter_scopes() {
            if cfg.is_complete(scope_id) {
                analyse_scope(def, cfg, scope_id, &mut inputs);
            }
        }
        Shapes { inputs }
    }

    /// What is known of a state's data, `None` when nothing is.
    pub(crate) fn of(&self, def: &Definition, state: StateId) -> Option<StateShapes> {
        let raw = self.inputs[state.0 as usize].clone()?;
        let state = def.state(state);
        let effective = input_path(state, &raw);
        let after_result = output_before_path(state, &raw, &effective);
        Some(StateShapes { raw, effective, after_result })
    }
}

fn analyse_scope(def: &Definition, cfg: &Cfg, scope_id: ScopeId, inputs: &mut [Option<Shape>]) {
    let scope = def.scope(scope_id);
    let Some(start) = scope.start_at.as_ref().and_then(|s| scope.lookup(&s.value)) else { return };
    inputs[start.0 as usize] = Some(Shape::Any);
    let mut work = vec![start];
    let budget = 32 * (scope.states.len() + 1);
    let mut steps = 0usize;
    while let Some(id) = work.pop() {
        steps += 1;
        if steps > budget {
            // Not settled: forget the scope rather than report on a partial result.
            for id in &scope.states {
                inputs[id.0 as usize] = None;
            }
            return;
        }
        let Some(raw) = inputs[id.0 as usize].clone() else { continue };
        let state = def.state(id);
        for (edge, to) in cfg.successors(id) {
            let CfgNode::State(to) = to else { continue };
            let out = edge_output(state, edge, &raw).cut(0);
            let slot = &mut inputs[to.0 as usize];
            let joined = match slot {
                Some(existing) => existing.join(&out),
                None => out,
            };
            if slot.as_ref() != Some(&joined) {
                *slot = Some(joined);
                work.push(to);
            }
        }
    }
}

fn parse(expr: &aslc_ir::ir::Expr) -> Option<&Path> {
    expr.path()
}

/// The input after `InputPath`.
fn input_path(state: &State, raw: &Shape) -> Shape {
    if state.query_language != aslc_ir::ir::QueryLanguage::JsonPath {
        return Shape::Any;
    }
    match &state.io.input_path {
        None => raw.clone(),
        Some(PathOrNull::Null(_)) => Shape::closed(Vec::new()),
        Some(PathOrNull::Path(expr)) => match parse(expr) {
            Some(path) if path.root == jsonpath::Root::Data => raw.at(path),
            _ => Shape::Any,
        },
    }
}

/// The output before `OutputPath`, for states with a result.
fn output_before_path(state: &State, raw: &Shape, effective: &Shape) -> Option<Shape> {
    if state.query_language != aslc_ir::ir::QueryLanguage::JsonPath {
        return Some(Shape::Any);
    }
    let parameters = || match &state.io.parameters {
        Some(template) => Shape::of_template(template, 0),
        None => effective.clone(),
    };
    let selected = |result: Shape| match &state.io.result_selector {
        Some(template) => Shape::of_template(template, 0),
        None => result,
    };
    let result = match &state.kind {
        StateKind::Pass(pass) => match &pass.result {
            Some(node) => Shape::of_node(node, 0),
            None => parameters(),
        },
        StateKind::Task(_) => selected(Shape::Any),
        StateKind::Parallel(_) | StateKind::Map(_) => selected(Shape::Array),
        StateKind::Wait(_) | StateKind::Choice(_) => return Some(effective.clone()),
        StateKind::Succeed | StateKind::Fail(_) | StateKind::Invalid => return None,
    };
    Some(place(raw, state.io.result_path.as_ref(), result))
}

/// `raw` with `result` placed at `ResultPath` (`$` when absent).
fn place(raw: &Shape, result_path: Option<&PathOrNull>, result: Shape) -> Shape {
    match result_path {
        None => result,
        Some(PathOrNull::Null(_)) => raw.clone(),
        Some(PathOrNull::Path(expr)) => {
            let Some(path) = parse(expr) else { return Shape::Any };
            let names: Option<Vec<&str>> = path
                .segments
                .iter()
                .map(|seg| match (&seg.selector, seg.axis) {
                    (Selector::Name(name), Axis::Child) => Some(&**name),
                    _ => None,
                })
                .collect();
            match names {
                Some(names) if path.root == jsonpath::Root::Data => raw.set(&names, result, 0),
                _ => Shape::Any,
            }
        }
    }
}

/// The output a state passes along `edge`.
fn edge_output(state: &State, edge: Edge, raw: &Shape) -> Shape {
    if state.query_language != aslc_ir::ir::QueryLanguage::JsonPath {
        return Shape::Any;
    }
    if let Edge::Catch(i) = edge {
        let Some(catcher) = state.errors.catch.get(i as usize) else { return Shape::Any };
        let error = Shape::closed(vec![("Cause".into(), Shape::Scalar), ("Error".into(), Shape::Scalar)]);
        return place(raw, catcher.result_path.as_ref(), error);
    }
    let effective = input_path(state, raw);
    let Some(before) = output_before_path(state, raw, &effective) else { return Shape::Any };
    match &state.io.output_path {
        None => before,
        Some(PathOrNull::Null(_)) => Shape::closed(Vec::new()),
        Some(PathOrNull::Path(expr)) => match parse(expr) {
            Some(path) if path.root == jsonpath::Root::Data => before.at(path),
            _ => Shape::Any,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::definition;

    fn absent(text: &str, state: &str, path: &str) -> Option<usize> {
        let def = definition(text);
        let cfg = Cfg::build(&def);
        let shapes = Shapes::build(&def, &cfg);
        let id = def.iter_states().find(|(_, s)| &*s.name.value == state).unwrap().0;
        let known = shapes.of(&def, id)?;
        known.raw.absent_segment(&jsonpath::parse_path(path).unwrap())
    }

    #[test]
    fn pass_results_and_result_paths() {
        let text = r#"{ "StartAt": "A", "States": {
            "A": { "Type": "Pass", "Result": { "a": { "b": 1 } }, "Next": "B" },
            "B": { "Type": "Pass", "Result": "x", "ResultPath": "$.c", "Next": "C" },
            "C": { "Type": "Succeed" } } }"#;
        assert_eq!(absent(text, "B", "$.a.b"), None);
        assert_eq!(absent(text, "B", "$.z"), Some(0));
        assert_eq!(absent(text, "B", "$.a.b.c"), Some(2));
        assert_eq!(absent(text, "C", "$.c"), None);
        assert_eq!(absent(text, "C", "$.a.x"), Some(1));
    }

    #[test]
    fn joins_paths_and_catchers() {
        let text = r#"{ "StartAt": "T", "States": {
            "T": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "ResultPath": null, "Next": "H",
                   "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "H" } ] },
            "H": { "Type": "Succeed" } } }"#;
        // The normal path keeps the unknown input, so nothing is certainly absent.
        assert_eq!(absent(text, "H", "$.order"), None);
        let text = r#"{ "StartAt": "T", "States": {
            "T": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
                   "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "H" } ] },
            "H": { "Type": "Succeed" } } }"#;
        assert_eq!(absent(text, "H", "$.order"), Some(0));
        assert_eq!(absent(text, "H", "$.Cause"), None);
    }

    #[test]
    fn objects_with_too_many_fields_are_forgotten() {
        // `S0` replaces the unknown execution input by `{}`; every later state adds a field.
        let mut states = vec![r#""S0": { "Type": "Pass", "Result": {}, "Next": "S1" }"#.to_owned()];
        states.extend((1..MAX_FIELDS + 10).map(|i| {
            format!(
                r#""S{i}": {{ "Type": "Pass", "Result": 1, "ResultPath": "$.f{i}", "Next": "S{}" }}"#,
                i + 1
            )
        }));
        let text = format!(
            r#"{{ "StartAt": "S0", "States": {{ {}, "S{}": {{ "Type": "Succeed" }} }} }}"#,
            states.join(","),
            MAX_FIELDS + 10
        );
        // Early on the object is still closed and known field by field.
        assert_eq!(absent(&text, "S3", "$.f1"), None);
        assert_eq!(absent(&text, "S3", "$.f7"), Some(0));
        // Past the bound nothing is claimed absent any more.
        let last = format!("S{}", MAX_FIELDS + 10);
        assert_eq!(absent(&text, &last, "$.f1"), None);
        assert_eq!(absent(&text, &last, "$.nowhere"), None);
    }

    #[test]
    fn loops_settle() {
        let text = r#"{ "StartAt": "A", "States": {
            "A": { "Type": "Pass", "ResultPath": "$.again", "Next": "C" },
            "C": { "Type": "Choice", "Choices": [ { "Variable": "$.done", "IsPresent": true, "Next": "E" } ], "Default": "A" },
            "E": { "Type": "Succeed" } } }"#;
        assert_eq!(absent(text, "E", "$.again"), None);
    }
}
