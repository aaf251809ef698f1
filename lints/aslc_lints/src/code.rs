//! Every string of a state that is code (JSONPath paths, intrinsic calls, JSONata
//! expressions), with what data it reads, and the references it makes: to workflow
//! variables (`$name`) and to the state's data (`$.a.b`).
//!
//! The variable and shape analyses both walk states through [`visit_state`], so they agree
//! on which fields are read and when.

use std::borrow::Cow;

use aslc_ir::ir::{Condition, Dyn, Expr, OperandKind, PathOrNull, Query, State, StateKind, Template};
use aslc_query::intrinsic::{ArgKind, Call};
use aslc_query::jsonata;
use aslc_query::jsonpath::{Path, Root};
use aslc_source::TextRange;

/// What data a field reads (jsonpath.md §4, the input/output pipeline).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Site {
    /// The raw state input: `InputPath`.
    RawInput,
    /// The input after `InputPath` (before `Parameters`): `Parameters`, Choice paths, Wait
    /// and Fail paths, `ItemsPath`, `ItemSelector`, the Map's count paths.
    EffectiveInput,
    /// The output after `ResultPath`: `OutputPath`.
    Output,
    /// Anything else (the task result, the error output, `Assign` values): not analysed
    /// for shape.
    Other,
}

/// One piece of code.
#[derive(Clone, Debug)]
pub(crate) enum Code<'a> {
    /// A path field (`InputPath`, `ItemsPath`, Choice `Variable`, …); owned for the path
    /// operands of Choice rules, which the IR keeps as nodes.
    Path(Cow<'a, Expr>),
    /// A template `key.$` value: a path or an intrinsic call.
    Dynamic(&'a Expr),
    /// A JSONata `{% … %}` string.
    Jsonata(&'a Expr),
}

/// Calls `f` for every piece of code of `state`, its catchers and its Choice rules, with
/// the data it reads. `IsPresent` tests are reported with [`Site::Other`]: they do not
/// fail on a missing field.
pub(crate) fn visit_state<'a>(state: &'a State, f: &mut dyn FnMut(Site, Code<'a>)) {
    let io = &state.io;
    path_or_null(io.input_path.as_ref(), Site::RawInput, f);
    template(io.parameters.as_ref(), Site::EffectiveInput, f);
    template(io.result_selector.as_ref(), Site::Other, f);
    template(io.arguments.as_ref(), Site::Other, f);
    template(io.output.as_ref(), Site::Other, f);
    path_or_null(io.output_path.as_ref(), Site::Output, f);
    if let Some(assign) = &state.assign {
        for var in &assign.vars {
            template(Some(&var.value), Site::Other, f);
        }
    }
    for catcher in &state.errors.catch {
        template(catcher.output.as_ref(), Site::Other, f);
        if let Some(assign) = &catcher.assign {
            for var in &assign.vars {
                template(Some(&var.value), Site::Other, f);
            }
        }
    }
    match &state.kind {
        StateKind::Task(task) => {
            dynamic(task.timeout_seconds.as_ref(), f);
            dynamic(task.heartbeat_seconds.as_ref(), f);
            // Whether these read the input before or after `Parameters` is not recorded;
            // the shape analysis leaves them alone.
            path(task.timeout_seconds_path.as_ref(), Site::Other, f);
            path(task.heartbeat_seconds_path.as_ref(), Site::Other, f);
            if let Some(credentials) = &task.credentials {
                template(Some(&credentials.object), Site::Other, f);
            }
        }
        StateKind::Choice(choice) => {
            for rule in &choice.choices {
                condition(&rule.condition, 0, f);
                template(rule.output.as_ref(), Site::Other, f);
                if let Some(assign) = &rule.assign {
                    for var in &assign.vars {
                        template(Some(&var.value), Site::Other, f);
                    }
                }
            }
        }
        StateKind::Wait(wait) => {
            dynamic(wait.seconds.as_ref(), f);
            dynamic(wait.timestamp.as_ref(), f);
            path(wait.seconds_path.as_ref(), Site::EffectiveInput, f);
            path(wait.timestamp_path.as_ref(), Site::EffectiveInput, f);
        }
        StateKind::Fail(fail) => {
            dynamic(fail.error.as_ref(), f);
            dynamic(fail.cause.as_ref(), f);
            path(fail.error_path.as_ref(), Site::EffectiveInput, f);
            path(fail.cause_path.as_ref(), Site::EffectiveInput, f);
        }
        StateKind::Map(map) => {
            path(map.items_path.as_ref(), Site::EffectiveInput, f);
            template(map.items.as_ref(), Site::Other, f);
            // Item selectors also read `$$.Map.Item`; their `$` is the effective input.
            template(map.item_selector.as_ref(), Site::EffectiveInput, f);
            dynamic(map.max_concurrency.as_ref(), f);
            path(map.max_concurrency_path.as_ref(), Site::EffectiveInput, f);
            dynamic(map.tolerated_failure_percentage.as_ref(), f);
            path(map.tolerated_failure_percentage_path.as_ref(), Site::EffectiveInput, f);
            dynamic(map.tolerated_failure_count.as_ref(), f);
            path(map.tolerated_failure_count_path.as_ref(), Site::EffectiveInput, f);
            if let Some(reader) = &map.item_reader {
                template(reader.parameters.as_ref(), Site::Other, f);
                template(reader.arguments.as_ref(), Site::Other, f);
                if let Some(config) = &reader.reader_config {
                    dynamic(config.max_items.as_ref(), f);
                    path(config.max_items_path.as_ref(), Site::EffectiveInput, f);
                }
            }
            if let Some(batcher) = &map.item_batcher {
                dynamic(batcher.max_items_per_batch.as_ref(), f);
                path(batcher.max_items_per_batch_path.as_ref(), Site::EffectiveInput, f);
                dynamic(batcher.max_input_bytes_per_batch.as_ref(), f);
                path(batcher.max_input_bytes_per_batch_path.as_ref(), Site::EffectiveInput, f);
                template(batcher.batch_input.as_ref(), Site::Other, f);
            }
            if let Some(writer) = &map.result_writer {
                template(writer.parameters.as_ref(), Site::Other, f);
                template(writer.arguments.as_ref(), Site::Other, f);
            }
        }
        StateKind::Pass(_) | StateKind::Succeed | StateKind::Parallel(_) | StateKind::Invalid => {}
    }
}

fn path<'a>(expr: Option<&'a Expr>, site: Site, f: &mut dyn FnMut(Site, Code<'a>)) {
    if let Some(expr) = expr {
        f(site, Code::Path(Cow::Borrowed(expr)));
    }
}

fn path_or_null<'a>(value: Option<&'a PathOrNull>, site: Site, f: &mut dyn FnMut(Site, Code<'a>)) {
    if let Some(PathOrNull::Path(expr)) = value {
        f(site, Code::Path(Cow::Borrowed(expr)));
    }
}

fn dynamic<'a, T>(value: Option<&'a Dyn<T>>, f: &mut dyn FnMut(Site, Code<'a>)) {
    if let Some(Dyn::Jsonata(expr)) = value {
        f(Site::Other, Code::Jsonata(expr));
    }
}

fn template<'a>(value: Option<&'a Template>, site: Site, f: &mut dyn FnMut(Site, Code<'a>)) {
    let Some(value) = value else { return };
    match value {
        Template::Literal(_) => {}
        Template::Object { members, .. } => {
            for member in members {
                template(Some(&member.value), site, f);
            }
        }
        Template::Array { items, .. } => {
            for item in items {
                template(Some(item), site, f);
            }
        }
        Template::Dynamic(expr) => f(site, Code::Dynamic(expr)),
        Template::Jsonata(expr) => f(Site::Other, Code::Jsonata(expr)),
    }
}

fn condition<'a>(value: &'a Condition, depth: usize, f: &mut dyn FnMut(Site, Code<'a>)) {
    if depth > aslc_syntax::MAX_DEPTH {
        return;
    }
    match value {
        Condition::Compare { variable, op, operand, .. } => {
            let site =
                if *op == aslc_ir::ir::ChoiceOp::IsPresent { Site::Other } else { Site::EffectiveInput };
            path(variable.as_ref(), site, f);
            if op.operand_kind() == OperandKind::Path {
                if let Some(expr) = Expr::jsonpath(operand) {
                    f(site, Code::Path(Cow::Owned(expr)));
                }
            }
        }
        Condition::And(_, rules) | Condition::Or(_, rules) => {
            for rule in rules {
                condition(rule, depth + 1, f);
            }
        }
        Condition::Not(_, inner) => condition(inner, depth + 1, f),
        Condition::Jsonata(value) => template(Some(value), Site::Other, f),
        Condition::Invalid(_) => {}
    }
}

/// One reference made by a piece of code.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reference<'p> {
    /// The variable name, or `None` for a path into the state's data (`$`).
    pub(crate) variable: Option<&'p str>,
    /// The path, for data and variable paths of JSONPath code.
    pub(crate) path: Option<&'p Path>,
    /// The reference as written.
    pub(crate) text: &'p str,
    /// Where it is in the file.
    pub(crate) range: TextRange,
}

/// Calls `f` with every variable and data reference of one piece of code. Code that does
/// not parse (an error of `aslc_ir`) or holds a deployment placeholder yields none.
pub(crate) fn each_reference(code: &Code<'_>, f: &mut dyn FnMut(Reference<'_>)) {
    let expr: &Expr = match code {
        Code::Path(expr) => expr,
        Code::Dynamic(expr) | Code::Jsonata(expr) => expr,
    };
    match &expr.query {
        Query::Path(path) => path_reference(expr, path, f),
        Query::Intrinsic(call) => call_paths(expr, call, 0, f),
        Query::Jsonata(tree) => {
            for binding in jsonata::variable_references(tree) {
                let text = expr.text.get(binding.range.as_usize()).unwrap_or(&binding.name);
                f(Reference {
                    variable: Some(&binding.name),
                    path: None,
                    text,
                    range: expr.inner_range(binding.range),
                });
            }
        }
        Query::Opaque | Query::Invalid(_) | Query::InvalidJsonata(_) => {}
    }
}

/// Whether a piece of code failed to parse.
pub(crate) fn is_invalid(code: &Code<'_>) -> bool {
    let expr: &Expr = match code {
        Code::Path(expr) => expr,
        Code::Dynamic(expr) | Code::Jsonata(expr) => expr,
    };
    matches!(expr.query, Query::Invalid(_) | Query::InvalidJsonata(_))
}

fn path_reference(expr: &Expr, path: &Path, f: &mut dyn FnMut(Reference<'_>)) {
    let text = expr.text.get(path.range.as_usize()).unwrap_or(&expr.text);
    match &path.root {
        Root::Data => {
            f(Reference { variable: None, path: Some(path), text, range: expr.inner_range(path.range) })
        }
        Root::Variable(name) => f(Reference {
            variable: Some(name),
            path: Some(path),
            text,
            range: expr.inner_range(path.root_range),
        }),
        Root::Context => {}
    }
}

fn call_paths(expr: &Expr, call: &Call, depth: usize, f: &mut dyn FnMut(Reference<'_>)) {
    if depth > 16 {
        return;
    }
    for arg in &call.args {
        match &arg.kind {
            ArgKind::Path(path) => path_reference(expr, path, f),
            ArgKind::Call(inner) => call_paths(expr, inner, depth + 1, f),
            _ => {}
        }
    }
}
