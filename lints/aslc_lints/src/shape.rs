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
//!
//! Every state holds a shape, and a long chain of states passes mostly the same fields
//! along, so shapes are cheap to copy: member names are interned once per analysis
//! ([`FieldName`]), and an object's member list sits behind an `Arc`, shared by every state
//! that passes it on unchanged. A state that sets one member copies one list of at most
//! [`MAX_FIELDS`] small entries; nothing is deep-copied.

use std::sync::{Arc, Mutex, MutexGuard};

use aslc_ir::ir::{Definition, PathOrNull, ScopeId, State, StateId, StateKind, Template};
use aslc_query::jsonpath::{self, Axis, Path, Selector};
use aslc_syntax::{Node, NodeValue};
use rustc_hash::FxHashMap;

use crate::cfg::{Cfg, CfgNode, Edge};

/// Shapes are cut to [`Shape::Any`] below this depth, so loops that nest the input deeper
/// on every turn still converge.
pub(crate) const MAX_SHAPE_DEPTH: usize = 8;

/// Objects with more members than this are treated as open.
const MAX_FIELDS: usize = 64;

/// An interned member name. Member lists are sorted by this id (the order only has to be
/// the same everywhere, for merging and binary search).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub(crate) struct FieldName(u32);

/// The member names of one analysis.
#[derive(Default, Debug)]
pub(crate) struct FieldNames {
    ids: FxHashMap<Box<str>, FieldName>,
}

impl FieldNames {
    fn intern(&mut self, name: &str) -> FieldName {
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        // More than `u32::MAX` distinct names would need more text than a definition may
        // have; saturating keeps the analysis total all the same.
        let id = FieldName(u32::try_from(self.ids.len()).unwrap_or(u32::MAX));
        self.ids.insert(name.into(), id);
        id
    }

    /// The id of a name some shape uses; `None` when no shape has such a member.
    fn get(&self, name: &str) -> Option<FieldName> {
        self.ids.get(name).copied()
    }
}

/// What is known of a JSON value.
#[derive(Clone, PartialEq, Debug)]
pub(crate) enum Shape {
    /// Nothing.
    Any,
    /// An object.
    Object(Arc<Object>),
    /// An array.
    Array,
    /// A string, number, boolean or null.
    Scalar,
}

/// An object with at least the listed members; `open` when others may exist too.
#[derive(Debug)]
pub(crate) struct Object {
    /// Known members (on some path), sorted by [`FieldName`], without duplicates.
    fields: Vec<(FieldName, Shape)>,
    /// Whether members not listed may exist.
    open: bool,
    /// 1 + the greatest height of a member's shape (`Any` counts 0, arrays and scalars 1),
    /// so [`Shape::fits`] need not walk the members.
    height: usize,
}

impl PartialEq for Object {
    fn eq(&self, other: &Object) -> bool {
        // Shared lists are the common case: compare the pointers before the members.
        std::ptr::eq(self, other) || (self.open == other.open && self.fields == other.fields)
    }
}

impl Shape {
    fn closed(fields: Vec<(FieldName, Shape)>) -> Shape {
        let mut fields = fields;
        fields.sort_by_key(|field| field.0);
        fields.dedup_by(|a, b| a.0 == b.0);
        Shape::object(fields, false)
    }

    /// An object with `fields` (sorted by name), opened and forgotten when there are more
    /// than [`MAX_FIELDS`]: that bound keeps every step of the analysis linear in the
    /// definition, however many fields a long chain of states accumulates.
    fn object(mut fields: Vec<(FieldName, Shape)>, open: bool) -> Shape {
        if fields.len() > MAX_FIELDS {
            fields.clear();
            return Object::shape(fields, true);
        }
        Object::shape(fields, open)
    }

    /// The shape of a literal JSON value.
    fn of_node(node: &Node, depth: usize, names: &mut FieldNames) -> Shape {
        if depth > MAX_SHAPE_DEPTH {
            return Shape::Any;
        }
        match &node.value {
            NodeValue::Object(members) => Shape::closed(
                members
                    .iter()
                    .map(|m| (names.intern(&m.key.text), Shape::of_node(&m.value, depth + 1, names)))
                    .collect(),
            ),
            NodeValue::Array(_) => Shape::Array,
            NodeValue::String(s) if aslc_ir::ir::is_whole_placeholder(&s.text) => Shape::Any,
            _ => Shape::Scalar,
        }
    }

    /// The shape a payload template produces.
    fn of_template(template: &Template, depth: usize, names: &mut FieldNames) -> Shape {
        if depth > MAX_SHAPE_DEPTH {
            return Shape::Any;
        }
        match template {
            Template::Literal(node) => Shape::of_node(node, depth, names),
            Template::Object { members, .. } => Shape::closed(
                members
                    .iter()
                    .map(|m| (names.intern(&m.output_key), Shape::of_template(&m.value, depth + 1, names)))
                    .collect(),
            ),
            Template::Array { .. } => Shape::Array,
            Template::Dynamic(_) | Template::Jsonata(_) => Shape::Any,
        }
    }

    /// The shape of either of two values.
    fn join(&self, other: &Shape) -> Shape {
        match (self, other) {
            (Shape::Object(x), Shape::Object(y)) if Arc::ptr_eq(x, y) => self.clone(),
            (Shape::Object(x), Shape::Object(y)) => {
                let (a, b) = (&x.fields, &y.fields);
                // Both lists are sorted: merge them in one pass.
                let mut fields: Vec<(FieldName, Shape)> = Vec::with_capacity(a.len().max(b.len()));
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
                            fields.push((a[i].0, a[i].1.join(&b[j].1)));
                            i += 1;
                            j += 1;
                        }
                    }
                }
                Shape::object(fields, x.open || y.open)
            }
            (Shape::Array, Shape::Array) => Shape::Array,
            (Shape::Scalar, Shape::Scalar) => Shape::Scalar,
            _ => Shape::Any,
        }
    }

    /// `self` with everything at [`MAX_SHAPE_DEPTH`] and below forgotten, counting from
    /// `depth`.
    fn cut(&self, depth: usize) -> Shape {
        if self.fits(depth) {
            return self.clone();
        }
        match self {
            _ if depth >= MAX_SHAPE_DEPTH => Shape::Any,
            Shape::Object(object) => Object::shape(
                object.fields.iter().map(|(n, s)| (*n, s.cut(depth + 1))).collect(),
                object.open,
            ),
            other => other.clone(),
        }
    }

    /// Whether [`Shape::cut`] at `depth` leaves `self` as it is: `Any` always, anything
    /// else when no part of it reaches [`MAX_SHAPE_DEPTH`].
    fn fits(&self, depth: usize) -> bool {
        depth + self.height() <= MAX_SHAPE_DEPTH
    }

    fn height(&self) -> usize {
        match self {
            Shape::Any => 0,
            Shape::Object(object) => object.height,
            Shape::Array | Shape::Scalar => 1,
        }
    }

    /// The shape at a definite path, `Any` where unknown.
    fn at(&self, path: &Path, names: &FieldNames) -> Shape {
        let mut current = self;
        for segment in &path.segments {
            current = match (current, segment.axis, &segment.selector) {
                (Shape::Object(object), Axis::Child, Selector::Name(name)) => {
                    match names.get(name).and_then(|id| object.member(id)) {
                        Some(shape) => shape,
                        None => return Shape::Any,
                    }
                }
                _ => return Shape::Any,
            };
        }
        current.clone()
    }

    /// `self` with `value` placed at the member names `names`.
    fn set(&self, names: &[FieldName], value: Shape, depth: usize) -> Shape {
        let Some((first, rest)) = names.split_first() else { return value };
        if depth > MAX_SHAPE_DEPTH {
            return Shape::Any;
        }
        match self {
            Shape::Object(object) => {
                let mut fields = object.fields.clone();
                match fields.binary_search_by_key(first, |field| field.0) {
                    Ok(i) => fields[i].1 = fields[i].1.set(rest, value, depth + 1),
                    Err(i) => {
                        let open = Object::shape(Vec::new(), true);
                        fields.insert(i, (*first, open.set(rest, value, depth + 1)));
                    }
                }
                Shape::object(fields, object.open)
            }
            // Unknown input: the member is known, everything else is not.
            _ => Object::shape(vec![(*first, Shape::Any.set(rest, value, depth + 1))], true),
        }
    }
}

impl Object {
    fn shape(fields: Vec<(FieldName, Shape)>, open: bool) -> Shape {
        let height = 1 + fields.iter().map(|(_, shape)| shape.height()).max().unwrap_or(0);
        Shape::Object(Arc::new(Object { fields, open, height }))
    }

    fn member(&self, name: FieldName) -> Option<&Shape> {
        let i = self.fields.binary_search_by_key(&name, |field| field.0).ok()?;
        Some(&self.fields[i].1)
    }
}

/// The data a state sees, at the three points the pipeline reads it.
#[derive(Clone, Debug)]
pub(crate) struct StateShapes {
    /// The raw input.
    pub(crate) raw: Shape,
    /// After `InputPath`.
    pub(crate) effective: Shape,
    /// After `ResultPath` (what `OutputPath` reads), `None` for states without one, and
    /// for states with no `OutputPath` path (nothing reads it there).
    pub(crate) after_result: Option<Shape>,
}

/// The result of the analysis: per state, the joined input shape, or `None` when it is
/// unknown (unreachable, JSONata scope, unsettled).
#[derive(Debug)]
pub(crate) struct Shapes {
    inputs: Vec<Option<Shape>>,
    /// Locked only inside [`Shapes::of`] and [`Shapes::absent_segment`], which call
    /// nothing that locks it again. (A lock rather than a `RefCell` so that an editor can
    /// keep the analysis of one version for the next.)
    names: Mutex<FieldNames>,
}

impl Shapes {
    /// Runs the analysis over every scope.
    pub(crate) fn build(def: &Definition, cfg: &Cfg) -> Shapes {
        let mut inputs: Vec<Option<Shape>> = vec![None; def.states.len()];
        let mut names = FieldNames::default();
        for (scope_id, _) in def.iter_scopes() {
            if cfg.is_complete(scope_id) {
                analyse_scope(def, cfg, scope_id, &mut inputs, &mut names);
            }
        }
        Shapes { inputs, names: Mutex::new(names) }
    }

    /// What is known of a state's data, `None` when nothing is.
    pub(crate) fn of(&self, def: &Definition, state: StateId) -> Option<StateShapes> {
        let raw = self.inputs[state.0 as usize].clone()?;
        let state = def.state(state);
        let mut names = self.names();
        let effective = input_path(state, &raw, &names);
        let after_result = match &state.io.output_path {
            Some(PathOrNull::Path(_)) => output_before_path(state, &raw, &effective, &mut names),
            None | Some(PathOrNull::Null(_)) => None,
        };
        Some(StateShapes { raw, effective, after_result })
    }

    fn names(&self) -> MutexGuard<'_, FieldNames> {
        // A panic while the lock was held left the names whole (interning is one insert).
        self.names.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The first segment of a definite path that certainly selects nothing in `shape`: a
    /// member a closed object does not have, or a member of a string, number, boolean or
    /// null.
    pub(crate) fn absent_segment(&self, shape: &Shape, path: &Path) -> Option<usize> {
        if !path.is_definite() {
            return None;
        }
        let names = self.names();
        let mut current = shape;
        for (i, segment) in path.segments.iter().enumerate() {
            match (current, &segment.selector) {
                (Shape::Object(object), Selector::Name(name)) => {
                    match names.get(name).and_then(|id| object.member(id)) {
                        Some(shape) => current = shape,
                        None if !object.open => return Some(i),
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

fn analyse_scope(
    def: &Definition,
    cfg: &Cfg,
    scope_id: ScopeId,
    inputs: &mut [Option<Shape>],
    names: &mut FieldNames,
) {
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
            let out = edge_output(state, edge, &raw, names).cut(0);
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
fn input_path(state: &State, raw: &Shape, names: &FieldNames) -> Shape {
    if state.query_language != aslc_ir::ir::QueryLanguage::JsonPath {
        return Shape::Any;
    }
    match &state.io.input_path {
        None => raw.clone(),
        Some(PathOrNull::Null(_)) => Shape::closed(Vec::new()),
        Some(PathOrNull::Path(expr)) => match parse(expr) {
            Some(path) if path.root == jsonpath::Root::Data => raw.at(path, names),
            _ => Shape::Any,
        },
    }
}

/// The output before `OutputPath`, for states with a result.
fn output_before_path(
    state: &State,
    raw: &Shape,
    effective: &Shape,
    names: &mut FieldNames,
) -> Option<Shape> {
    if state.query_language != aslc_ir::ir::QueryLanguage::JsonPath {
        return Some(Shape::Any);
    }
    let result = match &state.kind {
        StateKind::Pass(pass) => match (&pass.result, &state.io.parameters) {
            (Some(node), _) => Shape::of_node(node, 0, names),
            (None, Some(template)) => Shape::of_template(template, 0, names),
            (None, None) => effective.clone(),
        },
        StateKind::Task(_) => match &state.io.result_selector {
            Some(template) => Shape::of_template(template, 0, names),
            None => Shape::Any,
        },
        StateKind::Parallel(_) | StateKind::Map(_) => match &state.io.result_selector {
            Some(template) => Shape::of_template(template, 0, names),
            None => Shape::Array,
        },
        StateKind::Wait(_) | StateKind::Choice(_) => return Some(effective.clone()),
        StateKind::Succeed | StateKind::Fail(_) | StateKind::Invalid => return None,
    };
    Some(place(raw, state.io.result_path.as_ref(), result, names))
}

/// `raw` with `result` placed at `ResultPath` (`$` when absent).
fn place(raw: &Shape, result_path: Option<&PathOrNull>, result: Shape, names: &mut FieldNames) -> Shape {
    match result_path {
        None => result,
        Some(PathOrNull::Null(_)) => raw.clone(),
        Some(PathOrNull::Path(expr)) => {
            let Some(path) = parse(expr) else { return Shape::Any };
            let members: Option<Vec<FieldName>> = path
                .segments
                .iter()
                .map(|seg| match (&seg.selector, seg.axis) {
                    (Selector::Name(name), Axis::Child) => Some(names.intern(name)),
                    _ => None,
                })
                .collect();
            match members {
                Some(members) if path.root == jsonpath::Root::Data => raw.set(&members, result, 0),
                _ => Shape::Any,
            }
        }
    }
}

/// Everything of a state that its transfer function ([`edge_output`], with
/// [`input_path`] and [`output_before_path`]) reads, spans left out: two states with equal
/// transfers pass on the same shapes from the same input. Keep it in step with those
/// functions.
#[derive(PartialEq, Debug)]
pub(crate) struct Transfer {
    query_language: aslc_ir::ir::QueryLanguage,
    kind: &'static str,
    result: Option<Node>,
    parameters: Option<Template>,
    result_selector: Option<Template>,
    input_path: Option<PathOrNull>,
    result_path: Option<PathOrNull>,
    output_path: Option<PathOrNull>,
    catch_result_paths: Vec<Option<PathOrNull>>,
}

impl Transfer {
    /// The transfer of `state`.
    pub(crate) fn of(state: &State) -> Transfer {
        use aslc_ir::ir::erase_spans;
        let io = &state.io;
        Transfer {
            query_language: state.query_language,
            kind: state.kind.type_name(),
            result: match &state.kind {
                StateKind::Pass(pass) => pass.result.clone().map(erase_spans),
                _ => None,
            },
            // Only a Pass state's `Parameters` and a result's `ResultSelector` shape it.
            parameters: match &state.kind {
                StateKind::Pass(_) => io.parameters.clone().map(erase_spans),
                _ => None,
            },
            result_selector: match &state.kind {
                StateKind::Task(_) | StateKind::Parallel(_) | StateKind::Map(_) => {
                    io.result_selector.clone().map(erase_spans)
                }
                _ => None,
            },
            input_path: io.input_path.clone().map(erase_spans),
            result_path: io.result_path.clone().map(erase_spans),
            output_path: io.output_path.clone().map(erase_spans),
            catch_result_paths: state
                .errors
                .catch
                .iter()
                .map(|c| c.result_path.clone().map(erase_spans))
                .collect(),
        }
    }
}

/// The output a state passes along `edge`.
fn edge_output(state: &State, edge: Edge, raw: &Shape, names: &mut FieldNames) -> Shape {
    if state.query_language != aslc_ir::ir::QueryLanguage::JsonPath {
        return Shape::Any;
    }
    if let Edge::Catch(i) = edge {
        let Some(catcher) = state.errors.catch.get(i as usize) else { return Shape::Any };
        let error = Shape::closed(vec![
            (names.intern("Cause"), Shape::Scalar),
            (names.intern("Error"), Shape::Scalar),
        ]);
        return place(raw, catcher.result_path.as_ref(), error, names);
    }
    let effective = input_path(state, raw, names);
    let Some(before) = output_before_path(state, raw, &effective, names) else { return Shape::Any };
    match &state.io.output_path {
        None => before,
        Some(PathOrNull::Null(_)) => Shape::closed(Vec::new()),
        Some(PathOrNull::Path(expr)) => match parse(expr) {
            Some(path) if path.root == jsonpath::Root::Data => before.at(path, names),
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
        shapes.absent_segment(&known.raw, &jsonpath::parse_path(path).unwrap())
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
