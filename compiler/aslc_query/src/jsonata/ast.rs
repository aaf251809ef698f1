//! The JSONata syntax tree, after JSONata's own post-parse pass.
//!
//! The tree has the shape the reference implementation evaluates: location paths are
//! flattened into [`Path`]s of [`Step`]s that carry their predicates, `#`/`@` bindings,
//! parent (`%`) bookkeeping and group-by; everything else is a plain expression. Every node
//! has a byte range relative to the parsed expression.

use aslc_source::TextRange;

/// An expression with its span.
#[derive(Clone, PartialEq, Debug)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// Its span in the expression text.
    pub range: TextRange,
}

/// The forms of a JSONata expression.
#[derive(Clone, PartialEq, Debug)]
pub enum ExprKind {
    /// A number literal.
    Number(Number),
    /// A string literal, escapes resolved. Inside a path a string is a field name and
    /// appears as [`ExprKind::Name`] instead.
    String(Box<str>),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// A regular expression literal `/pattern/flags`.
    Regex(Regex),
    /// `$name`, stored without the `$`: the empty name is the context item `$`, the name `$`
    /// is the root `$$`.
    Variable(Box<str>),
    /// A field name; only ever a step of a [`Path`].
    Name(Box<str>),
    /// `*`: every field value of the context item; a step of a path.
    Wildcard,
    /// `**`: every descendant value; a step of a path.
    Descendant,
    /// `%`: the parent of the context item, found through the step labelled with the same
    /// [`Label`] (see [`Step::ancestor`]).
    Parent(Label),
    /// A location path.
    Path(Box<Path>),
    /// Unary minus on a non-literal (`-$x`); `-5` is folded into the number.
    Negate(Box<Expr>),
    /// A binary operator other than the ones with their own variant.
    Binary(Box<Binary>),
    /// An array constructor `[a, b, 1..5]`.
    Array(Box<ArrayConstructor>),
    /// An object constructor `{k: v}`.
    Object(Vec<Pair>),
    /// A function call `f(a, b)`, or a partial application when an argument is `?`.
    Call(Box<Call>),
    /// The `?` argument of a partial application.
    Placeholder,
    /// A function definition `function($x) { … }` / `λ($x) { … }`.
    Lambda(std::sync::Arc<Lambda>),
    /// `condition ? then : else`.
    Condition(Box<Condition>),
    /// `| pattern | update, delete |`.
    Transform(std::sync::Arc<Transform>),
    /// `(a; b; c)`.
    Block(Box<Block>),
    /// `$name := value`.
    Bind(Box<Bind>),
    /// `lhs ~> rhs`: `rhs` is applied to `lhs` (as its first argument when it is a call).
    Apply(Box<Apply>),
    /// `^(…)` order-by; only ever a step of a [`Path`].
    Sort(Vec<SortTerm>),
    /// A non-path expression with predicates, a group-by or `[]` attached, evaluated in that
    /// order after the base expression (`$x[0]`, `$x{…}`, `$x[]`).
    Decorated(Box<Decorated>),
}

/// A number literal: the value and the text it was written as (with a folded leading `-`).
#[derive(Clone, PartialEq, Debug)]
pub struct Number {
    /// The value.
    pub value: f64,
    /// The literal as written.
    pub text: Box<str>,
}

/// A regular expression literal.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Regex {
    /// The pattern between the slashes, in JavaScript syntax.
    pub pattern: Box<str>,
    /// The `i` flag.
    pub ignore_case: bool,
    /// The `m` flag.
    pub multiline: bool,
}

/// The label that ties a parent operator `%` to the step whose context it refers to.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Label(pub u32);

/// A location path `a.b[0].c`.
#[derive(Clone, PartialEq, Debug)]
pub struct Path {
    /// The steps, at least one.
    pub steps: Vec<Step>,
    /// A group-by applied to the whole path's result (`a.b{k: v}`).
    pub group: Option<Group>,
    /// Whether a `[]` somewhere in the path keeps singleton results as arrays.
    pub keep_singleton_array: bool,
    /// Whether the path must be evaluated as a tuple stream (it binds `@`, `#` or a parent).
    pub tuple: bool,
}

/// One step of a path with what is attached to it.
#[derive(Clone, PartialEq, Debug)]
pub struct Step {
    /// What the step evaluates: a name, `*`, `**`, `%`, a sort, or any expression.
    pub expr: Expr,
    /// Predicates and `#` bindings applied to the step's results, in order.
    pub stages: Vec<Stage>,
    /// `#$i` written before any predicate: the position of each result within its input item.
    pub index: Option<Binding>,
    /// `@$v`: the step's results are bound to `$v` and the context stays unchanged.
    pub focus: Option<Binding>,
    /// A later `%` refers to this step's input; the label it uses.
    pub ancestor: Option<Label>,
    /// Whether the step binds tuple variables.
    pub tuple: bool,
    /// Whether the step is an array constructor whose result is kept as one value (first or
    /// last step `[…]`).
    pub cons_array: bool,
}

/// What is applied to the results of a step.
#[derive(Clone, PartialEq, Debug)]
pub enum Stage {
    /// A predicate `[expr]`: a filter, or an index when it evaluates to a number.
    Filter(Expr),
    /// `#$i` after a predicate: the position of each result in the filtered sequence.
    Index(Binding),
}

/// A variable bound by `@` or `#`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Binding {
    /// The name without the `$`.
    pub name: Box<str>,
    /// The span of `$name`.
    pub range: TextRange,
}

/// A group-by `{key: value, …}` attached to a path or an expression.
#[derive(Clone, PartialEq, Debug)]
pub struct Group {
    /// The key/value pairs.
    pub pairs: Vec<Pair>,
    /// The span of the braces.
    pub range: TextRange,
}

/// One `key: value` of an object constructor or group-by.
#[derive(Clone, PartialEq, Debug)]
pub struct Pair {
    /// The key expression.
    pub key: Expr,
    /// The value expression.
    pub value: Expr,
}

/// The binary operators.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BinaryOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `&` string concatenation
    Concat,
    /// `and`
    And,
    /// `or`
    Or,
    /// `in`
    In,
    /// `..` inside an array constructor
    Range,
}

impl BinaryOp {
    /// The operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Mod => "%",
            BinaryOp::Eq => "=",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Concat => "&",
            BinaryOp::And => "and",
            BinaryOp::Or => "or",
            BinaryOp::In => "in",
            BinaryOp::Range => "..",
        }
    }
}

/// `lhs op rhs`.
#[derive(Clone, PartialEq, Debug)]
pub struct Binary {
    /// The operator.
    pub op: BinaryOp,
    /// Left operand.
    pub lhs: Expr,
    /// Right operand.
    pub rhs: Expr,
}

/// `[items]`.
#[derive(Clone, PartialEq, Debug)]
pub struct ArrayConstructor {
    /// The items; a `a..b` item is a [`BinaryOp::Range`].
    pub items: Vec<Expr>,
}

/// `procedure(args)`.
#[derive(Clone, PartialEq, Debug)]
pub struct Call {
    /// What is called (usually a variable such as `$sum`).
    pub procedure: Expr,
    /// The arguments; [`ExprKind::Placeholder`] marks a partial application.
    pub args: Vec<Expr>,
}

impl Call {
    /// Whether an argument is `?`.
    pub fn is_partial(&self) -> bool {
        self.args.iter().any(|arg| arg.kind == ExprKind::Placeholder)
    }
}

/// `function($a, $b)<sig> { body }`.
#[derive(Clone, PartialEq, Debug)]
pub struct Lambda {
    /// The parameters.
    pub params: Vec<Binding>,
    /// The signature between `<` and `>`, if written.
    pub signature: Option<super::signature::Signature>,
    /// The body.
    pub body: Expr,
}

/// `condition ? then : otherwise`.
#[derive(Clone, PartialEq, Debug)]
pub struct Condition {
    /// The test.
    pub condition: Expr,
    /// The value when the test is truthy.
    pub then: Expr,
    /// The value otherwise (undefined when absent).
    pub otherwise: Option<Expr>,
}

/// `| pattern | update, delete |`.
#[derive(Clone, PartialEq, Debug)]
pub struct Transform {
    /// Selects the objects to change.
    pub pattern: Expr,
    /// An object whose fields are merged into each selected object.
    pub update: Expr,
    /// Field names to remove from each selected object.
    pub delete: Option<Expr>,
}

/// `(a; b)`.
#[derive(Clone, PartialEq, Debug)]
pub struct Block {
    /// The expressions, evaluated in order; the block's value is the last one's.
    pub exprs: Vec<Expr>,
    /// Whether the block holds an array constructor whose result is kept as one value.
    pub cons_array: bool,
    /// Whether evaluating the block can bind a variable in the block's own scope: a `:=`
    /// that is not inside a nested block or a lambda body (which have scopes of their own).
    /// A block without one needs no scope of its own.
    pub binds: bool,
}

impl Block {
    /// A block of `exprs`, with [`Block::binds`] worked out from them.
    pub fn new(exprs: Vec<Expr>) -> Block {
        let binds = binds_in_scope(&exprs);
        Block { exprs, cons_array: false, binds }
    }
}

/// Whether some `:=` among `exprs` binds in their scope (not inside a nested block or a
/// lambda body). A transform's update runs later in the scope it was created in, so it is
/// looked into like any other expression.
fn binds_in_scope(exprs: &[Expr]) -> bool {
    let mut pending: Vec<&Expr> = exprs.iter().collect();
    while let Some(expr) = pending.pop() {
        match &expr.kind {
            ExprKind::Bind(_) => return true,
            ExprKind::Block(_) | ExprKind::Lambda(_) => {}
            _ => pending.extend(expr.children()),
        }
    }
    false
}

/// `$name := value`.
#[derive(Clone, PartialEq, Debug)]
pub struct Bind {
    /// The variable (without `$`) and its span.
    pub name: Binding,
    /// The value.
    pub value: Expr,
}

/// `lhs ~> rhs`.
#[derive(Clone, PartialEq, Debug)]
pub struct Apply {
    /// The value passed on.
    pub lhs: Expr,
    /// The function (or call) it is passed to.
    pub rhs: Expr,
}

/// One term of an order-by.
#[derive(Clone, PartialEq, Debug)]
pub struct SortTerm {
    /// `>` sorts descending; `<` or nothing ascending.
    pub descending: bool,
    /// The sort key, evaluated per item.
    pub expr: Expr,
}

/// An expression with predicates, group-by or `[]` attached (outside a path).
#[derive(Clone, PartialEq, Debug)]
pub struct Decorated {
    /// The expression.
    pub base: Expr,
    /// Predicates, applied in order.
    pub filters: Vec<Expr>,
    /// A group-by applied after the predicates.
    pub group: Option<Group>,
    /// `[]`: keep a singleton result as an array.
    pub keep_array: bool,
}

impl Expr {
    /// The direct sub-expressions, in source order.
    pub fn children(&self) -> Vec<&Expr> {
        fn pairs<'a>(pairs: &'a [Pair], acc: &mut Vec<&'a Expr>) {
            for pair in pairs {
                acc.push(&pair.key);
                acc.push(&pair.value);
            }
        }
        let mut acc = Vec::new();
        match &self.kind {
            ExprKind::Number(_)
            | ExprKind::String(_)
            | ExprKind::Bool(_)
            | ExprKind::Null
            | ExprKind::Regex(_)
            | ExprKind::Variable(_)
            | ExprKind::Name(_)
            | ExprKind::Wildcard
            | ExprKind::Descendant
            | ExprKind::Parent(_)
            | ExprKind::Placeholder => {}
            ExprKind::Path(path) => {
                for step in &path.steps {
                    acc.push(&step.expr);
                    for stage in &step.stages {
                        if let Stage::Filter(expr) = stage {
                            acc.push(expr);
                        }
                    }
                }
                if let Some(group) = &path.group {
                    pairs(&group.pairs, &mut acc);
                }
            }
            ExprKind::Negate(inner) => acc.push(inner),
            ExprKind::Binary(binary) => {
                acc.push(&binary.lhs);
                acc.push(&binary.rhs);
            }
            ExprKind::Array(array) => acc.extend(array.items.iter()),
            ExprKind::Object(object) => pairs(object, &mut acc),
            ExprKind::Call(call) => {
                acc.push(&call.procedure);
                acc.extend(call.args.iter());
            }
            ExprKind::Lambda(lambda) => acc.push(&lambda.body),
            ExprKind::Condition(cond) => {
                acc.push(&cond.condition);
                acc.push(&cond.then);
                acc.extend(cond.otherwise.iter());
            }
            ExprKind::Transform(transform) => {
                acc.push(&transform.pattern);
                acc.push(&transform.update);
                acc.extend(transform.delete.iter());
            }
            ExprKind::Block(block) => acc.extend(block.exprs.iter()),
            ExprKind::Bind(bind) => acc.push(&bind.value),
            ExprKind::Apply(apply) => {
                acc.push(&apply.lhs);
                acc.push(&apply.rhs);
            }
            ExprKind::Sort(terms) => acc.extend(terms.iter().map(|term| &term.expr)),
            ExprKind::Decorated(decorated) => {
                acc.push(&decorated.base);
                acc.extend(decorated.filters.iter());
                if let Some(group) = &decorated.group {
                    pairs(&group.pairs, &mut acc);
                }
            }
        }
        acc
    }
}
