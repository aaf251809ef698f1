//! Function values: lambdas (closures over their frame), built-ins, partial applications,
//! regular expressions, `~>` chains of functions, and transforms.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use aslc_query::jsonata::ast;

use crate::functions::Native;
use crate::regexp::Matcher;
use crate::value::{same_text, Value};

/// A function value.
#[derive(Debug)]
pub enum Function {
    /// `function($x) { … }` with the input and frame it was created in.
    Lambda { lambda: Arc<ast::Lambda>, input: Option<Value>, env: Env, params: Option<Rc<[Rc<str>]>> },
    /// A built-in function.
    Native(Native),
    /// `f(?, 2)`: a built-in with some arguments fixed.
    Partial { target: Value, args: Vec<PartialArg>, arity: usize },
    /// A regular expression literal, called as a matcher.
    Regex(Rc<Matcher>),
    /// `f ~> g`: applies `f`, then `g` to its result.
    Chain(Value, Value),
    /// `| pattern | update, delete |`.
    Transform { transform: Arc<ast::Transform>, env: Env },
}

impl Function {
    /// How many arguments the function declares (JavaScript's `length`), which decides how
    /// many a higher-order function passes to it.
    pub fn arity(&self) -> usize {
        match self {
            Function::Lambda { lambda, params, .. } => match params {
                Some(params) => params.len(),
                None => lambda.params.len(),
            },
            Function::Native(native) => native.arity(),
            Function::Partial { arity, .. } => *arity,
            Function::Regex(_) => 2,
            Function::Chain(..) | Function::Transform { .. } => 1,
        }
    }
}

/// An argument of a partial application.
#[derive(Debug)]
pub enum PartialArg {
    /// `?`: supplied by the caller.
    Hole,
    /// An argument given, possibly undefined.
    Fixed(Option<Value>),
}

/// A frame of variables; lookups walk out to the enclosing frames.
#[derive(Debug, Default)]
pub struct Frame {
    vars: RefCell<Vec<(Rc<str>, Option<Value>)>>,
    parent: Option<Env>,
}

/// A shared frame.
pub type Env = Rc<Frame>;

impl Frame {
    pub fn root() -> Env {
        Rc::new(Frame::default())
    }

    pub fn child(parent: &Env) -> Env {
        Rc::new(Frame { vars: RefCell::new(Vec::new()), parent: Some(parent.clone()) })
    }

    /// A frame with `vars` bound in order (a later binding of a name replaces an earlier one,
    /// as when a lambda names a parameter twice).
    pub fn with_vars(parent: &Env, vars: impl Iterator<Item = (Rc<str>, Option<Value>)>) -> Env {
        let mut bound: Vec<(Rc<str>, Option<Value>)> = Vec::with_capacity(vars.size_hint().0);
        for (name, value) in vars {
            match bound.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = value,
                None => bound.push((name, value)),
            }
        }
        Rc::new(Frame { vars: RefCell::new(bound), parent: Some(parent.clone()) })
    }

    pub fn bind(&self, name: &str, value: Option<Value>) {
        let mut vars = self.vars.borrow_mut();
        if let Some(slot) = vars.iter_mut().find(|(n, _)| &**n == name) {
            slot.1 = value;
        } else {
            vars.push((Rc::from(name), value));
        }
    }

    pub fn bind_rc(&self, name: &Rc<str>, value: Option<Value>) {
        let mut vars = self.vars.borrow_mut();
        if let Some(slot) = vars.iter_mut().find(|(n, _)| n == name) {
            slot.1 = value;
        } else {
            vars.push((name.clone(), value));
        }
    }

    /// The value bound to `name` here or in an enclosing frame: `None` when unbound,
    /// `Some(None)` when bound to undefined.
    pub fn lookup(&self, name: &str) -> Option<Option<Value>> {
        let mut frame = self;
        loop {
            if let Some((_, value)) = frame.vars.borrow().iter().find(|(n, _)| same_text(n, name)) {
                return Some(value.clone());
            }
            match &frame.parent {
                Some(parent) => frame = parent,
                None => return None,
            }
        }
    }
}
