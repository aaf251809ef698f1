//! JSONata's post-parse pass: the raw tree of [`parser`](super::parser) becomes the
//! [`ast`](super::ast).
//!
//! Location paths are flattened into steps, predicates, `#`/`@` bindings and group-bys are
//! attached to the step they follow, string steps become names, and each parent operator `%`
//! is tied to the step whose input it denotes. The rules and the errors they raise
//! (`S0209`–`S0217`) are the reference implementation's; the work happens on a mutable
//! intermediate node, [`PNode`], that mirrors the reference's objects (where "absent" and
//! "empty" differ), and is then lowered into the typed tree.

use aslc_source::TextRange;

use super::ast::{
    Apply, ArrayConstructor, Binary, BinaryOp, Bind, Binding, Block, Call, Condition, Decorated, Expr,
    ExprKind, Group, Label, Lambda, Number, Pair, Path, Regex, SortTerm, Stage, Step, Transform,
};
use super::error::{ErrorCode, JsonataError};
use super::parser::{js_number, Raw, RawNode};
use super::signature::Signature;

type Result<T> = std::result::Result<T, JsonataError>;

/// Processes a raw tree into the final tree.
pub(super) fn process(raw: RawNode) -> Result<Expr> {
    let mut processor = Processor { slots: Vec::new() };
    let node = processor.process(raw)?;
    if matches!(node.kind, PKind::Parent(_)) || node.seeking().is_some() {
        return Err(JsonataError::new(ErrorCode::S0217, node.range).with_token(node.kind.type_name()));
    }
    Ok(processor.lower(node))
}

/// A parent slot: which step a `%` refers to, found by walking back `level` steps.
struct Slot {
    label: u32,
    level: i64,
}

type SlotId = usize;

/// The steps a new path has room for: a path usually grows by `.` from its first step, and
/// most paths in definitions have a few steps (`$states.input.field`).
const PATH_CAPACITY: usize = 4;

/// A node under processing, with every property the reference may attach to a node. The
/// properties most nodes never get live in [`Attached`], allocated when the first is set, so
/// that a node stays small to move.
struct PNode {
    kind: PKind,
    range: TextRange,
    keep_array: bool,
    tuple: bool,
    cons_array: bool,
    ancestor: Option<SlotId>,
    attached: Option<Box<Attached>>,
}

/// The rarer properties of a [`PNode`].
#[derive(Default)]
struct Attached {
    /// Predicates on a node outside a path (evaluated with the node).
    predicate: Option<Vec<PStage>>,
    /// Predicates and index bindings on a path step.
    stages: Option<Vec<PStage>>,
    group: Option<PGroup>,
    focus: Option<Binding>,
    index: Option<Binding>,
    /// Parent slots not yet tied to a step.
    seeking: Option<Vec<SlotId>>,
}

enum PStage {
    Filter(Box<PNode>),
    Index(Binding),
}

struct PGroup {
    pairs: Vec<(PNode, PNode)>,
    range: TextRange,
}

enum PKind {
    Path { steps: Vec<PNode>, keep_singleton_array: bool },
    Name(Box<str>),
    String(Box<str>),
    Number(f64, Box<str>),
    Bool(bool),
    Null,
    Regex { pattern: Box<str>, flags: Box<str> },
    Variable(Box<str>),
    Wildcard,
    Descendant,
    Parent(SlotId),
    Negate(Box<PNode>),
    Binary { op: BinaryOp, lhs: Box<PNode>, rhs: Box<PNode> },
    Array(Vec<PNode>),
    Object(Vec<(PNode, PNode)>),
    Call { procedure: Box<PNode>, args: Vec<PNode> },
    Placeholder,
    Lambda { params: Vec<Binding>, signature: Option<Box<Signature>>, body: Box<PNode> },
    Condition { condition: Box<PNode>, then: Box<PNode>, otherwise: Option<Box<PNode>> },
    Transform { pattern: Box<PNode>, update: Box<PNode>, delete: Option<Box<PNode>> },
    Block(Vec<PNode>),
    Bind { name: Binding, value: Box<PNode> },
    Apply { lhs: Box<PNode>, rhs: Box<PNode> },
    Sort(Vec<(bool, PNode)>),
}

impl PKind {
    /// The reference's node type names, used in `S0217` messages.
    fn type_name(&self) -> &'static str {
        match self {
            PKind::Path { .. } => "path",
            PKind::Name(_) => "name",
            PKind::String(_) => "string",
            PKind::Number(..) => "number",
            PKind::Bool(_) | PKind::Null => "value",
            PKind::Regex { .. } => "regex",
            PKind::Variable(_) => "variable",
            PKind::Wildcard => "wildcard",
            PKind::Descendant => "descendant",
            PKind::Parent(_) => "parent",
            PKind::Negate(_) | PKind::Array(_) | PKind::Object(_) => "unary",
            PKind::Binary { .. } => "binary",
            PKind::Call { .. } => "function",
            PKind::Placeholder => "operator",
            PKind::Lambda { .. } => "lambda",
            PKind::Condition { .. } => "condition",
            PKind::Transform { .. } => "transform",
            PKind::Block(_) => "block",
            PKind::Bind { .. } => "bind",
            PKind::Apply { .. } => "apply",
            PKind::Sort(_) => "sort",
        }
    }
}

impl PNode {
    fn new(kind: PKind, range: TextRange) -> PNode {
        PNode {
            kind,
            range,
            keep_array: false,
            tuple: false,
            cons_array: false,
            ancestor: None,
            attached: None,
        }
    }

    /// The rarer properties, for changing; allocated on first use.
    fn attached_mut(&mut self) -> &mut Attached {
        self.attached.get_or_insert_with(Box::default)
    }

    fn stages(&self) -> Option<&Vec<PStage>> {
        self.attached.as_ref().and_then(|attached| attached.stages.as_ref())
    }

    fn predicate(&self) -> Option<&Vec<PStage>> {
        self.attached.as_ref().and_then(|attached| attached.predicate.as_ref())
    }

    fn has_group(&self) -> bool {
        self.attached.as_ref().is_some_and(|attached| attached.group.is_some())
    }

    fn has_focus(&self) -> bool {
        self.attached.as_ref().is_some_and(|attached| attached.focus.is_some())
    }

    fn seeking(&self) -> Option<&Vec<SlotId>> {
        self.attached.as_ref().and_then(|attached| attached.seeking.as_ref())
    }

    /// A node that becomes a step carries its predicates as the step's stages.
    fn predicate_to_stages(&mut self) {
        if let Some(attached) = &mut self.attached {
            if let Some(predicate) = attached.predicate.take() {
                attached.stages = Some(predicate);
            }
        }
    }

    fn path(steps: Vec<PNode>) -> PNode {
        let range = cover(steps.iter().map(|s| s.range));
        PNode::new(PKind::Path { steps, keep_singleton_array: false }, range)
    }

    /// A path of the one step `step`, with room for the steps a `.` usually joins to it.
    fn single_step_path(step: PNode) -> PNode {
        let mut steps = Vec::with_capacity(PATH_CAPACITY);
        steps.push(step);
        PNode::path(steps)
    }

    fn is_path(&self) -> bool {
        matches!(self.kind, PKind::Path { .. })
    }

    /// The last step of a path, or the node itself.
    fn step_mut(&mut self) -> &mut PNode {
        let has_steps = matches!(&self.kind, PKind::Path { steps, .. } if !steps.is_empty());
        if !has_steps {
            return self;
        }
        match &mut self.kind {
            PKind::Path { steps, .. } => match steps.last_mut() {
                Some(last) => last,
                // `has_steps` was checked just above.
                None => unreachable!("a path checked to have steps has none"),
            },
            _ => unreachable!("a node checked to be a path is not one"),
        }
    }
}

fn cover(mut ranges: impl Iterator<Item = TextRange>) -> TextRange {
    let first = ranges.next().unwrap_or_default();
    ranges.fold(first, TextRange::cover)
}

/// The reference's `pushAncestry`: unresolved parent slots of `value` move up to `result`.
fn push_ancestry(result: &mut PNode, value: &PNode) {
    let is_parent = matches!(value.kind, PKind::Parent(_));
    let seeking = value.seeking();
    if seeking.is_none() && !is_parent {
        return;
    }
    let mut slots = seeking.cloned().unwrap_or_default();
    if let PKind::Parent(slot) = value.kind {
        slots.push(slot);
    }
    result.attached_mut().seeking.get_or_insert_with(Vec::new).extend(slots);
}

fn binary_op(op: &str) -> Option<BinaryOp> {
    Some(match op {
        "+" => BinaryOp::Add,
        "-" => BinaryOp::Sub,
        "*" => BinaryOp::Mul,
        "/" => BinaryOp::Div,
        "%" => BinaryOp::Mod,
        "=" => BinaryOp::Eq,
        "!=" => BinaryOp::Ne,
        "<" => BinaryOp::Lt,
        "<=" => BinaryOp::Le,
        ">" => BinaryOp::Gt,
        ">=" => BinaryOp::Ge,
        "&" => BinaryOp::Concat,
        "and" => BinaryOp::And,
        "or" => BinaryOp::Or,
        "in" => BinaryOp::In,
        ".." => BinaryOp::Range,
        _ => return None,
    })
}

fn binding(node: RawNode) -> Binding {
    match node.kind {
        Raw::Variable(name) => Binding { name, range: node.range },
        // The parser only builds `:=`, `@` and `#` with a variable on the right.
        _ => Binding { name: "".into(), range: node.range },
    }
}

/// The step of a field name (`Raw::Name` or `Raw::KeywordName`); any other node is handed
/// back.
fn name_step(raw: RawNode) -> std::result::Result<PNode, RawNode> {
    let name = match raw.kind {
        Raw::Name(name) => name,
        Raw::KeywordName(name) => name.into(),
        _ => return Err(raw),
    };
    let mut step = PNode::new(PKind::Name(name), raw.range);
    step.keep_array = raw.keep_array;
    Ok(step)
}

/// A field name outside a path is a path of one step.
fn name_path(step: PNode) -> PNode {
    let keep_array = step.keep_array;
    let mut path = PNode::single_step_path(step);
    if let PKind::Path { keep_singleton_array, .. } = &mut path.kind {
        *keep_singleton_array = keep_array;
    }
    path
}

/// A node handed to the wrong handler by [`Processor::process`], which matches on the same
/// kinds the handlers destructure; reported as a syntax error rather than a panic.
fn misrouted(range: TextRange) -> JsonataError {
    JsonataError::new(ErrorCode::S0201, range)
}

struct Processor {
    slots: Vec<Slot>,
}

impl Processor {
    fn boxed(&mut self, raw: RawNode) -> Result<Box<PNode>> {
        self.process(raw).map(Box::new)
    }

    /// Processes one node. The work for each kind of node is in its own function, chosen
    /// here and called once, so the frame of this recursive function stays small: the
    /// nesting bound of [`MAX_DEPTH`](super::MAX_DEPTH) must fit a thread's default stack in
    /// unoptimised builds too.
    fn process(&mut self, raw: RawNode) -> Result<PNode> {
        let keep_array = raw.keep_array;
        let handler: fn(&mut Processor, RawNode) -> Result<PNode> = match &raw.kind {
            Raw::Infix { op: ".", .. } => Processor::dot,
            Raw::Infix { op: "[", .. } => Processor::predicate,
            Raw::Infix { op: ":=", .. } => Processor::bind,
            Raw::Infix { op: "@", .. } => Processor::focus,
            Raw::Infix { op: "#", .. } => Processor::index,
            Raw::Infix { op: "~>", .. } => Processor::apply,
            Raw::Infix { .. } => Processor::binary,
            Raw::Group { .. } => Processor::group,
            Raw::Sort { .. } => Processor::sort,
            Raw::Negate(_) => Processor::negate,
            Raw::Array(_) => Processor::array,
            Raw::Object(_) => Processor::object,
            Raw::Call { .. } => Processor::call,
            Raw::Lambda { .. } => Processor::lambda,
            Raw::Condition { .. } => Processor::condition,
            Raw::Transform { .. } => Processor::transform,
            Raw::Block(_) => Processor::block,
            _ => Processor::leaf,
        };
        let mut result = handler(self, raw)?;
        if keep_array {
            result.keep_array = true;
        }
        Ok(result)
    }

    /// Nodes without children.
    fn leaf(&mut self, raw: RawNode) -> Result<PNode> {
        let raw = match name_step(raw) {
            Ok(step) => return Ok(name_path(step)),
            Err(raw) => raw,
        };
        let RawNode { kind, range, .. } = raw;
        Ok(match kind {
            Raw::Parent => {
                let label = u32::try_from(self.slots.len()).unwrap_or(u32::MAX);
                self.slots.push(Slot { label, level: 1 });
                PNode::new(PKind::Parent(self.slots.len() - 1), range)
            }
            Raw::Str(value) => PNode::new(PKind::String(value), range),
            Raw::Number(value, text) => PNode::new(PKind::Number(value, text), range),
            Raw::Bool(value) => PNode::new(PKind::Bool(value), range),
            Raw::Regex { pattern, flags } => PNode::new(PKind::Regex { pattern, flags }, range),
            Raw::Variable(name) => PNode::new(PKind::Variable(name), range),
            Raw::Wildcard => PNode::new(PKind::Wildcard, range),
            Raw::Descendant => PNode::new(PKind::Descendant, range),
            Raw::Placeholder => PNode::new(PKind::Placeholder, range),
            Raw::Null => PNode::new(PKind::Null, range),
            Raw::End => return Err(JsonataError::new(ErrorCode::S0207, range)),
            _ => return Err(misrouted(range)),
        })
    }

    fn bind(&mut self, raw: RawNode) -> Result<PNode> {
        let Raw::Infix { operands, .. } = raw.kind else { return Err(misrouted(raw.range)) };
        let (lhs, rhs) = *operands;
        let value = self.process(rhs)?;
        let mut result = PNode::new(PKind::Null, raw.range);
        push_ancestry(&mut result, &value);
        result.kind = PKind::Bind { name: binding(lhs), value: Box::new(value) };
        Ok(result)
    }

    fn focus(&mut self, raw: RawNode) -> Result<PNode> {
        let Raw::Infix { operands, .. } = raw.kind else { return Err(misrouted(raw.range)) };
        let (lhs, rhs) = *operands;
        let mut result = self.process(lhs)?;
        let step = result.step_mut();
        if step.stages().is_some() || step.predicate().is_some() {
            return Err(JsonataError::new(ErrorCode::S0215, raw.range));
        }
        if matches!(step.kind, PKind::Sort(_)) {
            return Err(JsonataError::new(ErrorCode::S0216, raw.range));
        }
        if raw.keep_array {
            step.keep_array = true;
        }
        step.attached_mut().focus = Some(binding(rhs));
        step.tuple = true;
        Ok(result)
    }

    fn index(&mut self, raw: RawNode) -> Result<PNode> {
        let Raw::Infix { operands, .. } = raw.kind else { return Err(misrouted(raw.range)) };
        let (lhs, rhs) = *operands;
        let mut result = self.process(lhs)?;
        if !result.is_path() {
            result.predicate_to_stages();
            result = PNode::single_step_path(result);
        }
        let step = result.step_mut();
        let bound = binding(rhs);
        let attached = step.attached_mut();
        match &mut attached.stages {
            None => attached.index = Some(bound),
            Some(stages) => stages.push(PStage::Index(bound)),
        }
        step.tuple = true;
        Ok(result)
    }

    fn apply(&mut self, raw: RawNode) -> Result<PNode> {
        let Raw::Infix { operands, .. } = raw.kind else { return Err(misrouted(raw.range)) };
        let (lhs, rhs) = *operands;
        let lhs = self.boxed(lhs)?;
        let rhs = self.boxed(rhs)?;
        Ok(PNode::new(PKind::Apply { lhs, rhs }, raw.range))
    }

    fn binary(&mut self, raw: RawNode) -> Result<PNode> {
        let Raw::Infix { op, operands } = raw.kind else { return Err(misrouted(raw.range)) };
        let (lhs, rhs) = *operands;
        let lhs = self.boxed(lhs)?;
        let rhs = self.boxed(rhs)?;
        let Some(op) = binary_op(op) else {
            return Err(JsonataError::new(ErrorCode::S0201, raw.range).with_token(op));
        };
        let mut result = PNode::new(PKind::Null, raw.range);
        push_ancestry(&mut result, &lhs);
        push_ancestry(&mut result, &rhs);
        result.kind = PKind::Binary { op, lhs, rhs };
        Ok(result)
    }

    fn group(&mut self, raw: RawNode) -> Result<PNode> {
        let Raw::Group { lhs, pairs, range } = raw.kind else { return Err(misrouted(raw.range)) };
        let mut result = self.process(*lhs)?;
        if result.has_group() {
            return Err(JsonataError::new(ErrorCode::S0210, range));
        }
        let pairs = self.pairs(pairs, None)?;
        result.attached_mut().group = Some(PGroup { pairs, range });
        Ok(result)
    }

    fn sort(&mut self, raw: RawNode) -> Result<PNode> {
        let Raw::Sort { lhs, terms, range } = raw.kind else { return Err(misrouted(raw.range)) };
        let mut result = self.process(*lhs)?;
        if !result.is_path() {
            result = PNode::single_step_path(result);
        }
        let mut sort = PNode::new(PKind::Null, range);
        let mut processed = Vec::with_capacity(terms.len());
        for (descending, term) in terms {
            let term = self.process(term)?;
            push_ancestry(&mut sort, &term);
            processed.push((descending, term));
        }
        sort.kind = PKind::Sort(processed);
        if let PKind::Path { steps, .. } = &mut result.kind {
            steps.push(sort);
        }
        result.range = result.range.cover(range);
        self.resolve_ancestry(&mut result)?;
        Ok(result)
    }

    fn negate(&mut self, raw: RawNode) -> Result<PNode> {
        let Raw::Negate(inner) = raw.kind else { return Err(misrouted(raw.range)) };
        let inner = self.process(*inner)?;
        Ok(match inner.kind {
            PKind::Number(value, text) => {
                PNode::new(PKind::Number(-value, format!("-{text}").into()), raw.range)
            }
            _ => {
                let mut result = PNode::new(PKind::Null, raw.range);
                push_ancestry(&mut result, &inner);
                result.kind = PKind::Negate(Box::new(inner));
                result
            }
        })
    }

    fn array(&mut self, raw: RawNode) -> Result<PNode> {
        let Raw::Array(items) = raw.kind else { return Err(misrouted(raw.range)) };
        let mut result = PNode::new(PKind::Null, raw.range);
        let mut processed = Vec::with_capacity(items.len());
        for item in items {
            let item = self.process(item)?;
            push_ancestry(&mut result, &item);
            processed.push(item);
        }
        result.kind = PKind::Array(processed);
        Ok(result)
    }

    fn object(&mut self, raw: RawNode) -> Result<PNode> {
        let Raw::Object(pairs) = raw.kind else { return Err(misrouted(raw.range)) };
        let mut result = PNode::new(PKind::Null, raw.range);
        let pairs = self.pairs(pairs, Some(&mut result))?;
        result.kind = PKind::Object(pairs);
        Ok(result)
    }

    fn call(&mut self, raw: RawNode) -> Result<PNode> {
        let Raw::Call { procedure, args } = raw.kind else { return Err(misrouted(raw.range)) };
        let mut result = PNode::new(PKind::Null, raw.range);
        let mut processed = Vec::with_capacity(args.len());
        for arg in args {
            let arg = self.process(arg)?;
            push_ancestry(&mut result, &arg);
            processed.push(arg);
        }
        let procedure = self.boxed(*procedure)?;
        result.kind = PKind::Call { procedure, args: processed };
        Ok(result)
    }

    fn lambda(&mut self, raw: RawNode) -> Result<PNode> {
        let Raw::Lambda { params, signature, body } = raw.kind else { return Err(misrouted(raw.range)) };
        let body = self.boxed(*body)?;
        Ok(PNode::new(PKind::Lambda { params, signature, body }, raw.range))
    }

    fn condition(&mut self, raw: RawNode) -> Result<PNode> {
        let Raw::Condition { condition, then, otherwise } = raw.kind else {
            return Err(misrouted(raw.range));
        };
        let mut result = PNode::new(PKind::Null, raw.range);
        let condition = self.boxed(*condition)?;
        push_ancestry(&mut result, &condition);
        let then = self.boxed(*then)?;
        push_ancestry(&mut result, &then);
        let otherwise = match otherwise {
            Some(otherwise) => {
                let otherwise = self.boxed(*otherwise)?;
                push_ancestry(&mut result, &otherwise);
                Some(otherwise)
            }
            None => None,
        };
        result.kind = PKind::Condition { condition, then, otherwise };
        Ok(result)
    }

    fn transform(&mut self, raw: RawNode) -> Result<PNode> {
        let Raw::Transform { pattern, update, delete } = raw.kind else { return Err(misrouted(raw.range)) };
        let pattern = self.boxed(*pattern)?;
        let update = self.boxed(*update)?;
        let delete = match delete {
            Some(delete) => Some(self.boxed(*delete)?),
            None => None,
        };
        Ok(PNode::new(PKind::Transform { pattern, update, delete }, raw.range))
    }

    fn block(&mut self, raw: RawNode) -> Result<PNode> {
        let Raw::Block(exprs) = raw.kind else { return Err(misrouted(raw.range)) };
        let mut result = PNode::new(PKind::Null, raw.range);
        let mut processed = Vec::with_capacity(exprs.len());
        for expr in exprs {
            let part = self.process(expr)?;
            push_ancestry(&mut result, &part);
            let first_step_cons = match &part.kind {
                PKind::Path { steps, .. } => steps.first().is_some_and(|s| s.cons_array),
                _ => false,
            };
            if part.cons_array || first_step_cons {
                result.cons_array = true;
            }
            processed.push(part);
        }
        result.kind = PKind::Block(processed);
        Ok(result)
    }

    fn pairs(
        &mut self,
        pairs: Vec<(RawNode, RawNode)>,
        mut ancestry: Option<&mut PNode>,
    ) -> Result<Vec<(PNode, PNode)>> {
        let mut processed = Vec::with_capacity(pairs.len());
        for (key, value) in pairs {
            let key = self.process(key)?;
            if let Some(result) = ancestry.as_deref_mut() {
                push_ancestry(result, &key);
            }
            let value = self.process(value)?;
            if let Some(result) = ancestry.as_deref_mut() {
                push_ancestry(result, &value);
            }
            processed.push((key, value));
        }
        Ok(processed)
    }

    /// `lhs.rhs`: joins the steps of both sides into one path.
    fn dot(&mut self, raw: RawNode) -> Result<PNode> {
        let Raw::Infix { operands, .. } = raw.kind else { return Err(misrouted(raw.range)) };
        let (lhs, rhs) = *operands;
        let lstep = self.process(lhs)?;
        let parent_slot = match lstep.kind {
            PKind::Parent(slot) => Some(slot),
            _ => None,
        };
        let mut result = if lstep.is_path() { lstep } else { PNode::single_step_path(lstep) };
        if let Some(slot) = parent_slot {
            result.attached_mut().seeking = Some(vec![slot]);
        }
        let mut rest = self.dot_rhs(rhs)?;
        result.range = result.range.cover(rest.range);
        let PKind::Path { steps, keep_singleton_array } = &mut result.kind else {
            // `result` was made a path just above.
            return Ok(result);
        };
        match rest.kind {
            PKind::Path { steps: rest_steps, .. } => steps.extend(rest_steps),
            _ => {
                rest.predicate_to_stages();
                steps.push(rest);
            }
        }
        for step in steps.iter_mut() {
            let literal = match &step.kind {
                PKind::Number(value, _) => Some(js_number(*value)),
                PKind::Bool(value) => Some(value.to_string()),
                PKind::Null => Some("null".to_owned()),
                _ => None,
            };
            if let Some(value) = literal {
                return Err(JsonataError::new(ErrorCode::S0213, step.range).with_raw_value(&value));
            }
            if let PKind::String(name) = &mut step.kind {
                let name = std::mem::take(name);
                step.kind = PKind::Name(name);
            }
        }
        if steps.iter().any(|step| step.keep_array) {
            *keep_singleton_array = true;
        }
        if let Some(first) = steps.first_mut() {
            if matches!(first.kind, PKind::Array(_)) {
                first.cons_array = true;
            }
        }
        if let Some(last) = steps.last_mut() {
            if matches!(last.kind, PKind::Array(_)) {
                last.cons_array = true;
            }
        }
        self.resolve_ancestry(&mut result)?;
        Ok(result)
    }

    /// The right side of `lhs.rhs`. A field name becomes the step itself: processed alone it
    /// would be a path of that one step, which [`Processor::dot`] takes apart again.
    fn dot_rhs(&mut self, rhs: RawNode) -> Result<PNode> {
        name_step(rhs).or_else(|rhs| self.process(rhs))
    }

    /// `lhs[rhs]`: a predicate on the last step (in a path) or on the node itself.
    fn predicate(&mut self, raw: RawNode) -> Result<PNode> {
        let Raw::Infix { operands, .. } = raw.kind else { return Err(misrouted(raw.range)) };
        let (lhs, rhs) = *operands;
        let range = raw.range;
        let mut result = self.process(lhs)?;
        let in_path = result.is_path();
        if result.step_mut().has_group() {
            return Err(JsonataError::new(ErrorCode::S0209, range));
        }
        let predicate = self.process(rhs)?;
        let step = result.step_mut();
        let attached = step.attached_mut();
        if in_path {
            attached.stages.get_or_insert_with(Vec::new);
        } else {
            attached.predicate.get_or_insert_with(Vec::new);
        }
        if let Some(seeking) = predicate.seeking().cloned() {
            for slot in seeking {
                if self.slots[slot].level == 1 {
                    self.seek_parent(step, slot)?;
                } else {
                    self.slots[slot].level -= 1;
                }
            }
            push_ancestry(step, &predicate);
        }
        let attached = step.attached_mut();
        let list = if in_path { &mut attached.stages } else { &mut attached.predicate };
        list.get_or_insert_with(Vec::new).push(PStage::Filter(Box::new(predicate)));
        result.range = result.range.cover(range);
        Ok(result)
    }

    /// The reference's `seekParent`: walks back from `node` to tie `slot` to a step.
    fn seek_parent(&mut self, node: &mut PNode, slot: SlotId) -> Result<()> {
        let tuple = match &node.kind {
            PKind::Block(exprs) => !exprs.is_empty(),
            PKind::Path { .. } => true,
            _ => false,
        };
        if tuple {
            node.tuple = true;
        }
        match &mut node.kind {
            PKind::Name(_) | PKind::Wildcard => {
                self.slots[slot].level -= 1;
                if self.slots[slot].level == 0 {
                    if let Some(existing) = node.ancestor {
                        self.slots[slot].label = self.slots[existing].label;
                    }
                    node.ancestor = Some(slot);
                    node.tuple = true;
                }
            }
            PKind::Parent(_) => self.slots[slot].level += 1,
            PKind::Block(exprs) => {
                if let Some(last) = exprs.last_mut() {
                    self.seek_parent(last, slot)?;
                }
            }
            PKind::Path { steps, .. } => {
                let mut index = steps.len();
                while index > 0 {
                    index -= 1;
                    self.seek_parent(&mut steps[index], slot)?;
                    if self.slots[slot].level <= 0 {
                        break;
                    }
                }
            }
            other => {
                return Err(JsonataError::new(ErrorCode::S0217, node.range).with_token(other.type_name()));
            }
        }
        Ok(())
    }

    /// The reference's `resolveAncestry`: ties the parent slots the last step of `path` is
    /// looking for to earlier steps; those that reach past the first step stay unresolved on
    /// the path.
    fn resolve_ancestry(&mut self, path: &mut PNode) -> Result<()> {
        let PKind::Path { steps, .. } = &mut path.kind else { return Ok(()) };
        let Some(last) = steps.last() else { return Ok(()) };
        let mut slots = last.seeking().cloned().unwrap_or_default();
        if let PKind::Parent(slot) = last.kind {
            slots.push(slot);
        }
        let mut unresolved = Vec::new();
        for slot in slots {
            let mut index = steps.len() as isize - 2;
            while self.slots[slot].level > 0 {
                if index < 0 {
                    unresolved.push(slot);
                    break;
                }
                let mut step_index = index as usize;
                index -= 1;
                // Contiguous steps that bind the focus are skipped together.
                while index >= 0 && steps[step_index].has_focus() && steps[index as usize].has_focus() {
                    step_index = index as usize;
                    index -= 1;
                }
                self.seek_parent(&mut steps[step_index], slot)?;
            }
        }
        if !unresolved.is_empty() {
            path.attached_mut().seeking.get_or_insert_with(Vec::new).extend(unresolved);
        }
        Ok(())
    }

    fn label(&self, slot: SlotId) -> Label {
        Label(self.slots[slot].label)
    }

    /// The typed tree of a processed node.
    fn lower(&self, node: PNode) -> Expr {
        let PNode { kind, range, keep_array, tuple, cons_array, attached, .. } = node;
        let (predicate, group) = match attached {
            Some(attached) => {
                let Attached { predicate, group, .. } = *attached;
                (predicate, group)
            }
            None => (None, None),
        };
        if let PKind::Path { steps, keep_singleton_array } = kind {
            let path = Path {
                steps: self.lower_steps(steps),
                group: group.map(|group| self.lower_group(group)),
                keep_singleton_array: keep_singleton_array || keep_array,
                tuple,
            };
            return Expr { kind: ExprKind::Path(Box::new(path)), range };
        }
        let mut kind = self.lower_kind(kind);
        if let ExprKind::Block(block) = &mut kind {
            block.cons_array = cons_array;
        }
        let base = Expr { kind, range };
        self.decorate(base, predicate, group, keep_array)
    }

    fn decorate(
        &self,
        base: Expr,
        predicate: Option<Vec<PStage>>,
        group: Option<PGroup>,
        keep_array: bool,
    ) -> Expr {
        // Most nodes have nothing attached.
        if predicate.is_none() && group.is_none() && !keep_array {
            return base;
        }
        let mut filters = Vec::new();
        for stage in predicate.unwrap_or_default() {
            if let PStage::Filter(expr) = stage {
                filters.push(self.lower(*expr));
            }
        }
        if filters.is_empty() && group.is_none() && !keep_array {
            return base;
        }
        let range = base.range;
        let group = group.map(|group| self.lower_group(group));
        Expr { kind: ExprKind::Decorated(Box::new(Decorated { base, filters, group, keep_array })), range }
    }

    fn lower_step(&self, node: PNode) -> Step {
        let PNode { kind, range, ancestor, tuple, cons_array, attached, .. } = node;
        let Attached { predicate, stages, group, focus, index, .. } =
            attached.map(|attached| *attached).unwrap_or_default();
        let expr = match kind {
            kind @ PKind::Path { .. } => self.lower(PNode::new(kind, range)),
            kind => {
                let base = Expr { kind: self.lower_kind(kind), range };
                self.decorate(base, predicate, group, false)
            }
        };
        let mut lowered = Vec::new();
        for stage in stages.unwrap_or_default() {
            lowered.push(match stage {
                PStage::Filter(expr) => Stage::Filter(self.lower(*expr)),
                PStage::Index(binding) => Stage::Index(binding),
            });
        }
        let stages = lowered;
        Step {
            expr,
            stages,
            index,
            focus,
            ancestor: ancestor.map(|slot| self.label(slot)),
            tuple,
            cons_array,
        }
    }

    fn lower_group(&self, group: PGroup) -> Group {
        Group { pairs: self.lower_pairs(group.pairs), range: group.range }
    }

    // Plain loops rather than iterator chains: in unoptimised builds every adapter of a
    // chain is a stack frame on the recursive path.

    fn lower_pairs(&self, pairs: Vec<(PNode, PNode)>) -> Vec<Pair> {
        let mut lowered = Vec::with_capacity(pairs.len());
        for (key, value) in pairs {
            lowered.push(Pair { key: self.lower(key), value: self.lower(value) });
        }
        lowered
    }

    fn lower_all(&self, nodes: Vec<PNode>) -> Vec<Expr> {
        let mut lowered = Vec::with_capacity(nodes.len());
        for node in nodes {
            lowered.push(self.lower(node));
        }
        lowered
    }

    fn lower_steps(&self, steps: Vec<PNode>) -> Vec<Step> {
        let mut lowered = Vec::with_capacity(steps.len());
        for step in steps {
            lowered.push(self.lower_step(step));
        }
        lowered
    }

    /// The typed kind of a processed kind. Leaves and kinds with children are lowered by
    /// separate functions, keeping the frames on the recursive path small (see `process`).
    fn lower_kind(&self, kind: PKind) -> ExprKind {
        let leaf = matches!(
            kind,
            PKind::Name(_)
                | PKind::String(_)
                | PKind::Number(..)
                | PKind::Bool(_)
                | PKind::Null
                | PKind::Regex { .. }
                | PKind::Variable(_)
                | PKind::Wildcard
                | PKind::Descendant
                | PKind::Parent(_)
                | PKind::Placeholder
        );
        if leaf {
            self.lower_leaf(kind)
        } else {
            self.lower_compound(kind)
        }
    }

    #[inline(never)]
    fn lower_leaf(&self, kind: PKind) -> ExprKind {
        match kind {
            PKind::Name(name) => ExprKind::Name(name),
            PKind::String(value) => ExprKind::String(value),
            PKind::Number(value, text) => ExprKind::Number(Number { value, text }),
            PKind::Bool(value) => ExprKind::Bool(value),
            PKind::Null => ExprKind::Null,
            PKind::Regex { pattern, flags } => ExprKind::Regex(Regex {
                pattern,
                ignore_case: flags.contains('i'),
                multiline: flags.contains('m'),
            }),
            PKind::Variable(name) => ExprKind::Variable(name),
            PKind::Wildcard => ExprKind::Wildcard,
            PKind::Descendant => ExprKind::Descendant,
            PKind::Parent(slot) => ExprKind::Parent(self.label(slot)),
            PKind::Placeholder => ExprKind::Placeholder,
            // `lower_kind` sends only leaves here.
            compound => self.lower_compound(compound),
        }
    }

    #[inline(never)]
    fn lower_compound(&self, kind: PKind) -> ExprKind {
        match kind {
            PKind::Path { steps, keep_singleton_array } => ExprKind::Path(Box::new(Path {
                steps: self.lower_steps(steps),
                group: None,
                keep_singleton_array,
                tuple: false,
            })),
            PKind::Negate(inner) => ExprKind::Negate(Box::new(self.lower(*inner))),
            PKind::Binary { op, lhs, rhs } => {
                ExprKind::Binary(Box::new(Binary { op, lhs: self.lower(*lhs), rhs: self.lower(*rhs) }))
            }
            PKind::Array(items) => {
                ExprKind::Array(Box::new(ArrayConstructor { items: self.lower_all(items) }))
            }
            PKind::Object(pairs) => ExprKind::Object(self.lower_pairs(pairs)),
            PKind::Call { procedure, args } => ExprKind::Call(Box::new(Call {
                procedure: self.lower(*procedure),
                args: self.lower_all(args),
            })),
            PKind::Lambda { params, signature, body } => ExprKind::Lambda(std::sync::Arc::new(Lambda {
                params,
                signature: signature.map(|signature| *signature),
                body: self.lower(*body),
            })),
            PKind::Condition { condition, then, otherwise } => ExprKind::Condition(Box::new(Condition {
                condition: self.lower(*condition),
                then: self.lower(*then),
                otherwise: otherwise.map(|o| self.lower(*o)),
            })),
            PKind::Transform { pattern, update, delete } => {
                ExprKind::Transform(std::sync::Arc::new(Transform {
                    pattern: self.lower(*pattern),
                    update: self.lower(*update),
                    delete: delete.map(|d| self.lower(*d)),
                }))
            }
            PKind::Block(exprs) => ExprKind::Block(Box::new(Block::new(self.lower_all(exprs)))),
            PKind::Bind { name, value } => ExprKind::Bind(Box::new(Bind { name, value: self.lower(*value) })),
            PKind::Apply { lhs, rhs } => {
                ExprKind::Apply(Box::new(Apply { lhs: self.lower(*lhs), rhs: self.lower(*rhs) }))
            }
            PKind::Sort(terms) => {
                let mut lowered = Vec::with_capacity(terms.len());
                for (descending, expr) in terms {
                    lowered.push(SortTerm { descending, expr: self.lower(expr) });
                }
                ExprKind::Sort(lowered)
            }
            // `lower_kind` sends only compound kinds here.
            leaf => self.lower_leaf(leaf),
        }
    }
}
