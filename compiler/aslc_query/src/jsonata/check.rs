//! Definition-time checks of JSONata expressions in Step Functions (jsonata.md §5.2, §8) and
//! the variable references a validator needs for data-flow lints.
//!
//! Expressions run with no context item, so a bare field name at the top level reads from
//! nothing (AWS refuses it), `$$` is refused, and `$` at the top level is undefined. "Top
//! level" is everything not evaluated against a context item: not the later steps of a path,
//! its predicates, group-by or sort terms, not a transform (a function applied to its
//! input), and not a lambda body (whose context AWS does not document).

use aslc_source::TextRange;

use super::ast::{Binding, Expr, ExprKind, Stage};
use super::builtins::{builtin, Origin};
use crate::rules::{
    J_ARITY, J_NO_DOLLAR_DOLLAR, J_NO_TOP_DOLLAR, J_RESULT_SCOPE, J_STATES_MEMBER, J_TOP_LEVEL_REF,
    J_UNKNOWN_FUNCTION, R_CATCH_ERROROUTPUT_SCOPE,
};
use crate::QueryError;

/// What the field being checked makes available.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct JsonataContext {
    /// `$states.result` exists: the `Output` or `Assign` of a Task, Parallel or Map state.
    pub result: bool,
    /// `$states.errorOutput` exists: a catcher's `Output` or `Assign`.
    pub error_output: bool,
}

/// The members of `$states`.
const STATES_MEMBERS: &[&str] = &["input", "result", "errorOutput", "context"];

/// Checks an expression: `J-TOP-LEVEL-REF` (one error per distinct name, as AWS reports),
/// `J-NO-DOLLAR-DOLLAR`, `J-NO-TOP-DOLLAR`, `R-CATCH-ERROROUTPUT-SCOPE`, `J-RESULT-SCOPE`,
/// `J-STATES-MEMBER`, `J-UNKNOWN-FUNCTION` and `J-ARITY`. Ranges are those of the tree.
pub fn check_jsonata(expr: &Expr, ctx: JsonataContext) -> Vec<QueryError> {
    let mut checker =
        Checker { ctx, acc: Vec::new(), top_names: Vec::new(), scopes: vec![Vec::new()], refs: None };
    checker.walk(expr, true);
    checker.acc
}

/// The workflow variables an expression reads: every `$name` that is not bound inside the
/// expression, not `$states`, `$` or `$$`, and not a built-in function, in source order.
pub fn variable_references(expr: &Expr) -> Vec<Binding> {
    let mut checker = Checker {
        ctx: JsonataContext { result: true, error_output: true },
        acc: Vec::new(),
        top_names: Vec::new(),
        scopes: vec![Vec::new()],
        refs: Some(Vec::new()),
    };
    checker.walk(expr, true);
    checker.refs.unwrap_or_default()
}

struct Checker {
    ctx: JsonataContext,
    acc: Vec<QueryError>,
    /// Top-level names already reported.
    top_names: Vec<Box<str>>,
    /// Names bound in the expression, innermost scope last.
    scopes: Vec<Vec<Box<str>>>,
    /// Collected free variables, when asked for.
    refs: Option<Vec<Binding>>,
}

impl Checker {
    fn is_bound(&self, name: &str) -> bool {
        self.scopes.iter().any(|scope| scope.iter().any(|bound| &**bound == name))
    }

    fn bind(&mut self, name: &str) {
        if let Some(scope) = self.scopes.last_mut() {
            scope.push(name.into());
        }
    }

    fn in_scope(&mut self, f: impl FnOnce(&mut Checker)) {
        self.scopes.push(Vec::new());
        f(self);
        self.scopes.pop();
    }

    fn walk(&mut self, expr: &Expr, top: bool) {
        match &expr.kind {
            ExprKind::Variable(name) => self.variable(name, expr.range, top),
            ExprKind::Path(path) => {
                self.states_member(path.steps.first().map(|s| &s.expr), path.steps.get(1).map(|s| &s.expr));
                self.in_scope(|this| {
                    for (index, step) in path.steps.iter().enumerate() {
                        let first = index == 0;
                        match &step.expr.kind {
                            ExprKind::Name(name) if first && top => {
                                this.top_level_name(name, step.expr.range)
                            }
                            _ => this.walk(&step.expr, first && top),
                        }
                        if let Some(binding) = &step.index {
                            this.bind(&binding.name);
                        }
                        if let Some(binding) = &step.focus {
                            this.bind(&binding.name);
                        }
                        for stage in &step.stages {
                            match stage {
                                Stage::Filter(filter) => this.walk(filter, false),
                                Stage::Index(binding) => this.bind(&binding.name),
                            }
                        }
                    }
                    if let Some(group) = &path.group {
                        for pair in &group.pairs {
                            this.walk(&pair.key, false);
                            this.walk(&pair.value, false);
                        }
                    }
                });
            }
            ExprKind::Block(block) => self.in_scope(|this| {
                for part in &block.exprs {
                    this.walk(part, top);
                }
            }),
            ExprKind::Bind(bind) => {
                self.walk(&bind.value, top);
                self.bind(&bind.name.name);
            }
            ExprKind::Lambda(lambda) => self.in_scope(|this| {
                for param in &lambda.params {
                    this.bind(&param.name);
                }
                this.walk(&lambda.body, false);
            }),
            ExprKind::Call(call) => {
                self.call(&call.procedure, call.args.len(), false);
                self.walk(&call.procedure, top);
                for arg in &call.args {
                    self.walk(arg, top);
                }
            }
            ExprKind::Apply(apply) => {
                self.walk(&apply.lhs, top);
                match &apply.rhs.kind {
                    ExprKind::Call(call) => {
                        self.call(&call.procedure, call.args.len() + 1, true);
                        self.walk(&call.procedure, top);
                        for arg in &call.args {
                            self.walk(arg, top);
                        }
                    }
                    ExprKind::Variable(_) => {
                        self.call(&apply.rhs, 1, true);
                        self.walk(&apply.rhs, top);
                    }
                    _ => self.walk(&apply.rhs, top),
                }
            }
            ExprKind::Transform(transform) => {
                self.walk(&transform.pattern, false);
                self.walk(&transform.update, false);
                if let Some(delete) = &transform.delete {
                    self.walk(delete, false);
                }
            }
            ExprKind::Decorated(decorated) => {
                self.walk(&decorated.base, top);
                for filter in &decorated.filters {
                    self.walk(filter, false);
                }
                if let Some(group) = &decorated.group {
                    for pair in &group.pairs {
                        self.walk(&pair.key, false);
                        self.walk(&pair.value, false);
                    }
                }
            }
            ExprKind::Sort(terms) => {
                for term in terms {
                    self.walk(&term.expr, false);
                }
            }
            _ => {
                for child in expr.children() {
                    self.walk(child, top);
                }
            }
        }
    }

    fn variable(&mut self, name: &str, range: TextRange, top: bool) {
        match name {
            "$" => self.acc.push(
                QueryError::new(J_NO_DOLLAR_DOLLAR, range, "`$$` cannot be used in Step Functions")
                    .with_help(
                        "read the state input as `$states.input` and the context object as `$states.context`",
                    ),
            ),
            "" if top => self.acc.push(
                QueryError::new(J_NO_TOP_DOLLAR, range, "`$` has no value at the top level of an expression")
                    .with_help("read the state input as `$states.input`"),
            ),
            "" | "states" => {}
            _ => {
                if self.is_bound(name) || builtin(name).is_some() {
                    return;
                }
                if let Some(refs) = &mut self.refs {
                    refs.push(Binding { name: name.into(), range });
                }
            }
        }
    }

    fn top_level_name(&mut self, name: &str, range: TextRange) {
        if self.top_names.iter().any(|seen| &**seen == name) {
            return;
        }
        self.top_names.push(name.into());
        self.acc.push(
            QueryError::new(
                J_TOP_LEVEL_REF,
                range,
                format!("reference to `{name}` at the top level is not supported"),
            )
            .with_help(format!("there is no context item; read the state input as `$states.input.{name}`")),
        );
    }

    /// Checks `$states.<member>`.
    fn states_member(&mut self, first: Option<&Expr>, second: Option<&Expr>) {
        let (Some(first), Some(second)) = (first, second) else { return };
        if !matches!(&first.kind, ExprKind::Variable(name) if &**name == "states") || self.is_bound("states")
        {
            return;
        }
        let ExprKind::Name(member) = &second.kind else { return };
        let range = first.range.cover(second.range);
        match &**member {
            "errorOutput" if !self.ctx.error_output => self.acc.push(
                QueryError::new(R_CATCH_ERROROUTPUT_SCOPE, range, "`$states.errorOutput` exists only in a catcher")
                    .with_help("read the error output in the `Output` or `Assign` of a `Catch` entry"),
            ),
            "result" if !self.ctx.result => self.acc.push(
                QueryError::new(J_RESULT_SCOPE, range, "`$states.result` has no value here")
                    .with_help("`$states.result` exists only in the `Output` and `Assign` of Task, Parallel and Map states"),
            ),
            name if !STATES_MEMBERS.contains(&name) => self.acc.push(
                QueryError::new(J_STATES_MEMBER, second.range, format!("`$states` has no member `{name}`"))
                    .with_help("the members are `input`, `result`, `errorOutput` and `context`"),
            ),
            _ => {}
        }
    }

    /// Checks a call of `procedure` with `count` arguments.
    fn call(&mut self, procedure: &Expr, count: usize, applied: bool) {
        let ExprKind::Variable(name) = &procedure.kind else { return };
        if name.is_empty() || &**name == "$" || self.is_bound(name) {
            return;
        }
        let Some(function) = builtin(name) else {
            self.acc.push(
                QueryError::new(J_UNKNOWN_FUNCTION, procedure.range, format!("`${name}` is not a function"))
                    .with_help("JSONata reports `T1006: Attempted to invoke a non-function` when this runs"),
            );
            return;
        };
        if function.origin == Origin::Unavailable {
            self.acc.push(
                QueryError::new(
                    J_UNKNOWN_FUNCTION,
                    procedure.range,
                    format!("`${name}` is not available in Step Functions"),
                )
                .with_help("use `$parse` to read JSON text"),
            );
            return;
        }
        let too_many = function.max_args.is_some_and(|max| count > max);
        if count < function.min_args || too_many {
            let expected = match (function.min_args, function.max_args) {
                (min, Some(max)) if min == max => format!("{min}"),
                (min, Some(max)) => format!("{min} to {max}"),
                (min, None) => format!("at least {min}"),
            };
            let via = if applied { " (counting the value passed by `~>`)" } else { "" };
            self.acc.push(QueryError::new(
                J_ARITY,
                procedure.range,
                format!("`${name}` takes {expected} arguments, but is called with {count}{via}"),
            ));
        }
    }
}
