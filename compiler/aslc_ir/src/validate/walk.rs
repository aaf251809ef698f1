//! Every place of a definition that holds code, with what the place allows.
//!
//! The query-language checks (paths, intrinsics, JSONata, timestamps, variables) all need
//! the same walk over the IR and the same facts about each place: which field it is, which
//! state it belongs to, and the AWS-style location a diagnostic about it carries. This
//! module does the walk once per check and hands out those facts; the checks themselves stay
//! independent of each other.

use aslc_query::jsonata::JsonataContext;
use aslc_syntax::{Node, NodeValue};

use super::Focus;
use crate::ir::{
    Assign, ChoiceOp, Condition, Definition, Dyn, Expr, Name, PathOrNull, QueryLanguage, State, StateKind,
    Template,
};
use crate::pointer::Location;

/// What a JSONPath-state field holding a path (or a `.$` value) is, as far as the rules of
/// jsonpath.md §2.4 care.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum PathField {
    /// `InputPath`.
    InputPath,
    /// `OutputPath`.
    OutputPath,
    /// A state's `ResultPath`.
    ResultPath,
    /// A catcher's `ResultPath`.
    CatchResultPath,
    /// A Map's `ItemsPath`.
    ItemsPath,
    /// The number-valued `…Path` fields of Map, `ItemReader.ReaderConfig` and
    /// `ItemBatcher` (`MaxConcurrencyPath`, `MaxItemsPath`, …).
    MapNumberPath,
    /// A Task's `TimeoutSecondsPath` or `HeartbeatSecondsPath`.
    TaskTimingPath,
    /// A Wait's `SecondsPath` or `TimestampPath`.
    WaitPath,
    /// A choice rule's `Variable`.
    Variable,
    /// The operand of a `…Path` choice operator.
    ChoiceOperand,
    /// A Fail's `ErrorPath` or `CausePath`.
    FailPath,
    /// The value of a `….$` member of a payload template.
    Template(TemplateField),
}

/// Which payload template a `.$` member belongs to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum TemplateField {
    /// `Parameters` of a Pass, Task or Parallel state.
    Parameters,
    /// `ResultSelector`.
    ResultSelector,
    /// A Map's `ItemSelector`, or its deprecated `Parameters`: the only place where
    /// `$$.Map.Item` exists.
    ItemSelector,
    /// `ItemReader.Parameters`, `ResultWriter.Parameters` or `ItemBatcher.BatchInput`.
    Distributed,
    /// A Task's `Credentials`.
    Credentials,
    /// `Assign` (state, choice rule or catcher).
    Assign,
}

impl PathField {
    /// Whether the field takes an intrinsic call (intrinsics.md §1).
    pub(crate) fn allows_intrinsic(self) -> bool {
        matches!(self, PathField::Template(_) | PathField::FailPath)
    }
}

/// One JSONPath-state string that is code: a path field or a `.$` value.
pub(crate) struct PathSite<'d> {
    /// The state the field belongs to.
    pub(crate) state: &'d State,
    /// What the field is.
    pub(crate) field: PathField,
    /// The field's name as written, for messages (`InputPath`, `Parameters`, `Variable`).
    pub(crate) name: &'static str,
    /// AWS-style location: the field, or for a `.$` value the template field that holds it
    /// (AWS reports template problems there, not at the key).
    pub(crate) pointer: String,
    /// The `….$` key of a template value.
    pub(crate) key: Option<&'d Name>,
    /// The string.
    pub(crate) expr: &'d Expr,
}

/// One JSONPath payload template, for the checks on its literal members.
pub(crate) struct TemplateSite<'d> {
    /// Which template it is.
    pub(crate) field: TemplateField,
    /// The template's field name (`Parameters`, `Assign`, …).
    pub(crate) name: &'static str,
    /// AWS-style location of the template field.
    pub(crate) pointer: Location<'d>,
    /// The key the template sits under, for an `Assign` value (`name` or `name.$`).
    pub(crate) key: Option<&'d Name>,
    /// The template.
    pub(crate) template: &'d Template,
}

/// One `Assign` object with its location.
pub(crate) struct AssignSite<'d> {
    /// AWS-style location of the `Assign` field.
    pub(crate) pointer: String,
    /// The object.
    pub(crate) assign: &'d Assign,
}

/// One comparison of a JSONPath choice rule, at any nesting depth.
pub(crate) struct ComparisonSite<'d> {
    /// The Choice state.
    pub(crate) state: &'d State,
    /// AWS-style location of the rule object (`/States/C/Choices[0]/And[1]`).
    pub(crate) pointer: String,
    /// `Variable`.
    pub(crate) variable: Option<&'d Expr>,
    /// The operator.
    pub(crate) op: ChoiceOp,
    /// The operator's value as written.
    pub(crate) operand: &'d Node,
    /// The operand of a `…Path` operator, parsed.
    pub(crate) path: Option<&'d Expr>,
}

/// Every JSONPath path field and `.$` value of the definition, in document order per state.
pub(crate) fn path_sites<'d>(def: &'d Definition, focus: Focus<'_>) -> Vec<PathSite<'d>> {
    let mut acc = Vec::new();
    for (_, state) in focus.states(def) {
        collect_state_paths(state, &mut acc);
    }
    for site in comparisons(def, focus) {
        let rule = site.pointer.clone();
        if let Some(variable) = site.variable {
            acc.push(PathSite {
                state: site.state,
                field: PathField::Variable,
                name: "Variable",
                pointer: crate::pointer::join(&rule, "Variable"),
                key: None,
                expr: variable,
            });
        }
        if let Some(path) = site.path {
            acc.push(PathSite {
                state: site.state,
                field: PathField::ChoiceOperand,
                name: site.op.as_str(),
                pointer: crate::pointer::join(&rule, site.op.as_str()),
                key: None,
                expr: path,
            });
        }
    }
    acc
}

fn collect_state_paths<'d>(state: &'d State, acc: &mut Vec<PathSite<'d>>) {
    // Pointers are only built for fields that are present: most are absent.
    let mut field =
        |field: PathField, name: &'static str, expr: Option<&'d Expr>, pointer: &dyn Fn() -> String| {
            if let Some(expr) = expr {
                acc.push(PathSite { state, field, name, pointer: pointer(), key: None, expr });
            }
        };
    let io = &state.io;
    field(PathField::InputPath, "InputPath", path_of(&io.input_path), &|| state.field_pointer("InputPath"));
    field(PathField::OutputPath, "OutputPath", path_of(&io.output_path), &|| {
        state.field_pointer("OutputPath")
    });
    field(PathField::ResultPath, "ResultPath", path_of(&io.result_path), &|| {
        state.field_pointer("ResultPath")
    });
    for (i, catcher) in state.errors.catch.iter().enumerate() {
        field(PathField::CatchResultPath, "ResultPath", path_of(&catcher.result_path), &|| {
            crate::pointer::index_field(&state.pointer, "Catch", i, "ResultPath")
        });
    }
    match &state.kind {
        StateKind::Task(task) => {
            field(
                PathField::TaskTimingPath,
                "TimeoutSecondsPath",
                task.timeout_seconds_path.as_ref(),
                &|| state.field_pointer("TimeoutSecondsPath"),
            );
            field(
                PathField::TaskTimingPath,
                "HeartbeatSecondsPath",
                task.heartbeat_seconds_path.as_ref(),
                &|| state.field_pointer("HeartbeatSecondsPath"),
            );
        }
        StateKind::Wait(wait) => {
            field(PathField::WaitPath, "SecondsPath", wait.seconds_path.as_ref(), &|| {
                state.field_pointer("SecondsPath")
            });
            field(PathField::WaitPath, "TimestampPath", wait.timestamp_path.as_ref(), &|| {
                state.field_pointer("TimestampPath")
            });
        }
        StateKind::Fail(fail) => {
            field(PathField::FailPath, "ErrorPath", fail.error_path.as_ref(), &|| {
                state.field_pointer("ErrorPath")
            });
            field(PathField::FailPath, "CausePath", fail.cause_path.as_ref(), &|| {
                state.field_pointer("CausePath")
            });
        }
        StateKind::Map(map) => {
            field(PathField::ItemsPath, "ItemsPath", map.items_path.as_ref(), &|| {
                state.field_pointer("ItemsPath")
            });
            let numbers = [
                ("MaxConcurrencyPath", &map.max_concurrency_path),
                ("ToleratedFailurePercentagePath", &map.tolerated_failure_percentage_path),
                ("ToleratedFailureCountPath", &map.tolerated_failure_count_path),
            ];
            for (name, expr) in numbers {
                field(PathField::MapNumberPath, name, expr.as_ref(), &|| state.field_pointer(name));
            }
            if let Some(config) = map.item_reader.as_ref().and_then(|r| r.reader_config.as_ref()) {
                field(PathField::MapNumberPath, "MaxItemsPath", config.max_items_path.as_ref(), &|| {
                    state.field_pointer("ItemReader/ReaderConfig/MaxItemsPath")
                });
            }
            if let Some(batcher) = &map.item_batcher {
                let numbers = [
                    ("MaxItemsPerBatchPath", &batcher.max_items_per_batch_path),
                    ("MaxInputBytesPerBatchPath", &batcher.max_input_bytes_per_batch_path),
                ];
                for (name, expr) in numbers {
                    field(PathField::MapNumberPath, name, expr.as_ref(), &|| {
                        state.field_pointer(&format!("ItemBatcher/{name}"))
                    });
                }
            }
        }
        _ => {}
    }
    for site in templates(state) {
        collect_template_exprs(site.template, site.key, &mut |key, expr| {
            acc.push(PathSite {
                state,
                field: PathField::Template(site.field),
                name: site.name,
                pointer: String::from(&site.pointer),
                key,
                expr,
            });
        });
    }
}

fn path_of(value: &Option<PathOrNull>) -> Option<&Expr> {
    match value {
        Some(PathOrNull::Path(expr)) => Some(expr),
        _ => None,
    }
}

/// Calls `f` with every `.$` value of a JSONPath template and the key it sits under.
fn collect_template_exprs<'d>(
    template: &'d Template,
    key: Option<&'d Name>,
    f: &mut impl FnMut(Option<&'d Name>, &'d Expr),
) {
    match template {
        Template::Literal(_) | Template::Jsonata(_) => {}
        Template::Dynamic(expr) => f(key, expr),
        Template::Object { members, .. } => {
            for member in members {
                collect_template_exprs(&member.value, Some(&member.key), f);
            }
        }
        Template::Array { items, .. } => {
            for item in items {
                collect_template_exprs(item, key, f);
            }
        }
    }
}

/// Every payload template of `state` (including `Assign` values and `Credentials`), with
/// its location. JSONata templates are included too; callers looking for `.$` values find
/// none in them.
pub(crate) fn templates<'d>(state: &'d State) -> Vec<TemplateSite<'d>> {
    use TemplateField as F;
    let mut acc = Vec::new();
    let mut push =
        |field: TemplateField, name: &'static str, pointer: &'static str, template: Option<&'d Template>| {
            if let Some(template) = template {
                let pointer = Location::Field(crate::pointer::field(&state.pointer, pointer));
                acc.push(TemplateSite { field, name, pointer, key: None, template });
            }
        };
    let is_map = matches!(state.kind, StateKind::Map(_));
    let parameters = if is_map { F::ItemSelector } else { F::Parameters };
    push(parameters, "Parameters", "Parameters", state.io.parameters.as_ref());
    push(F::ResultSelector, "ResultSelector", "ResultSelector", state.io.result_selector.as_ref());
    match &state.kind {
        StateKind::Task(task) => {
            let credentials = task.credentials.as_ref().map(|c| &c.object);
            push(F::Credentials, "Credentials", "Credentials", credentials);
        }
        StateKind::Map(map) => {
            push(F::ItemSelector, "ItemSelector", "ItemSelector", map.item_selector.as_ref());
            if let Some(reader) = &map.item_reader {
                push(F::Distributed, "Parameters", "ItemReader/Parameters", reader.parameters.as_ref());
            }
            if let Some(writer) = &map.result_writer {
                push(F::Distributed, "Parameters", "ResultWriter/Parameters", writer.parameters.as_ref());
            }
            if let Some(batcher) = &map.item_batcher {
                push(F::Distributed, "BatchInput", "ItemBatcher/BatchInput", batcher.batch_input.as_ref());
            }
        }
        _ => {}
    }
    for site in assigns_of(state) {
        for var in &site.assign.vars {
            acc.push(TemplateSite {
                field: F::Assign,
                name: "Assign",
                pointer: Location::Written(site.pointer.clone()),
                key: Some(&var.key),
                template: &var.value,
            });
        }
    }
    acc
}

/// Every `Assign` object of the definition: on states, top-level choice rules and catchers.
pub(crate) fn assigns<'d>(def: &'d Definition, focus: Focus<'_>) -> Vec<AssignSite<'d>> {
    focus.states(def).flat_map(|(_, state)| assigns_of(state)).collect()
}

fn assigns_of(state: &State) -> Vec<AssignSite<'_>> {
    assigns_with_pointers(state).into_iter().map(|(pointer, assign)| AssignSite { pointer, assign }).collect()
}

/// The `Assign` objects of one state (state level, top-level choice rules, catchers).
fn assigns_with_pointers(state: &State) -> Vec<(String, &Assign)> {
    let mut acc = Vec::new();
    if let Some(assign) = &state.assign {
        acc.push((state.field_pointer("Assign"), assign));
    }
    if let StateKind::Choice(choice) = &state.kind {
        for (i, rule) in choice.choices.iter().enumerate() {
            if let Some(assign) = &rule.assign {
                acc.push((crate::pointer::index_field(&state.pointer, "Choices", i, "Assign"), assign));
            }
        }
    }
    for (i, catcher) in state.errors.catch.iter().enumerate() {
        if let Some(assign) = &catcher.assign {
            acc.push((crate::pointer::index_field(&state.pointer, "Catch", i, "Assign"), assign));
        }
    }
    acc
}

/// Every comparison of every JSONPath Choice state, nested ones included.
pub(crate) fn comparisons<'d>(def: &'d Definition, focus: Focus<'_>) -> Vec<ComparisonSite<'d>> {
    let mut acc = Vec::new();
    for (_, state) in focus.states(def) {
        if let StateKind::Choice(choice) = &state.kind {
            for (i, rule) in choice.choices.iter().enumerate() {
                let pointer = crate::pointer::index(&state.pointer, "Choices", i);
                collect_comparisons(state, &rule.condition, pointer, &mut acc);
            }
        }
    }
    acc
}

fn collect_comparisons<'d>(
    state: &'d State,
    condition: &'d Condition,
    pointer: String,
    acc: &mut Vec<ComparisonSite<'d>>,
) {
    match condition {
        Condition::Compare { variable, op, operand, path, .. } => acc.push(ComparisonSite {
            state,
            pointer,
            variable: variable.as_ref(),
            op: *op,
            operand,
            path: path.as_ref(),
        }),
        Condition::And(_, rules) | Condition::Or(_, rules) => {
            let key = if matches!(condition, Condition::And(..)) { "And" } else { "Or" };
            for (i, rule) in rules.iter().enumerate() {
                collect_comparisons(state, rule, crate::pointer::index(&pointer, key, i), acc);
            }
        }
        Condition::Not(_, rule) => {
            collect_comparisons(state, rule, crate::pointer::join(&pointer, "Not"), acc)
        }
        Condition::Jsonata(_) | Condition::Invalid(_) => {}
    }
}

/// One JSONata expression string with the field it sits in.
pub(crate) struct JsonataSite<'d> {
    /// AWS-style location: the field, then `/key` per object level and `[i]` per array
    /// element of a template (`/States/S/Output/total`).
    pub(crate) pointer: String,
    /// What `$states` holds where the expression is evaluated.
    pub(crate) context: JsonataContext,
    /// The string.
    pub(crate) expr: &'d Expr,
}

/// One literal string of a JSONata template or literal-or-expression field.
pub(crate) struct JsonataLiteral<'d> {
    /// AWS-style location, as for [`JsonataSite`].
    pub(crate) pointer: String,
    /// The string node.
    pub(crate) node: &'d Node,
}

/// Every JSONata expression string and every literal string of the JSONata fields.
pub(crate) struct JsonataFields<'d> {
    /// The expressions.
    pub(crate) exprs: Vec<JsonataSite<'d>>,
    /// The literal strings of templates.
    pub(crate) literals: Vec<JsonataLiteral<'d>>,
}

/// Walks the JSONata fields of every state.
pub(crate) fn jsonata_fields<'d>(def: &'d Definition, focus: Focus<'_>) -> JsonataFields<'d> {
    let mut acc = JsonataFields { exprs: Vec::new(), literals: Vec::new() };
    for (_, state) in focus.states(def) {
        collect_jsonata(state, &mut acc);
    }
    acc
}

fn collect_jsonata<'d>(state: &'d State, acc: &mut JsonataFields<'d>) {
    if state.query_language != QueryLanguage::Jsonata {
        return;
    }
    let plain = JsonataContext::default();
    let with_result = JsonataContext {
        result: matches!(state.kind, StateKind::Task(_) | StateKind::Parallel(_) | StateKind::Map(_)),
        ..plain
    };
    let in_catcher = JsonataContext { error_output: true, ..plain };
    let template = |acc: &mut JsonataFields<'d>, template: Option<&'d Template>, pointer: String, context| {
        if let Some(template) = template {
            collect_jsonata_template(template, pointer, context, acc);
        }
    };
    template(acc, state.io.arguments.as_ref(), state.field_pointer("Arguments"), plain);
    template(acc, state.io.output.as_ref(), state.field_pointer("Output"), with_result);
    for (pointer, assign) in assigns_with_pointers(state) {
        let context = if pointer.contains("/Catch[") {
            in_catcher
        } else if pointer.contains("/Choices[") {
            plain
        } else {
            with_result
        };
        for var in &assign.vars {
            template(acc, Some(&var.value), crate::pointer::join(&pointer, &var.name), context);
        }
    }
    for (i, catcher) in state.errors.catch.iter().enumerate() {
        template(
            acc,
            catcher.output.as_ref(),
            crate::pointer::index_field(&state.pointer, "Catch", i, "Output"),
            in_catcher,
        );
    }
    let dyn_expr = |value: Option<&'d Expr>, name: &str, acc: &mut JsonataFields<'d>| {
        if let Some(expr) = value {
            acc.exprs.push(JsonataSite { pointer: state.field_pointer(name), context: plain, expr });
        }
    };
    match &state.kind {
        StateKind::Choice(choice) => {
            for (i, rule) in choice.choices.iter().enumerate() {
                let pointer = crate::pointer::index(&state.pointer, "Choices", i);
                if let Condition::Jsonata(condition) = &rule.condition {
                    template(acc, Some(condition), crate::pointer::join(&pointer, "Condition"), plain);
                }
                template(acc, rule.output.as_ref(), crate::pointer::join(&pointer, "Output"), plain);
            }
        }
        StateKind::Task(task) => {
            if let Some(credentials) = &task.credentials {
                template(acc, Some(&credentials.object), state.field_pointer("Credentials"), plain);
            }
            dyn_expr(jsonata_of(&task.timeout_seconds), "TimeoutSeconds", acc);
            dyn_expr(jsonata_of(&task.heartbeat_seconds), "HeartbeatSeconds", acc);
        }
        StateKind::Wait(wait) => {
            dyn_expr(jsonata_of(&wait.seconds), "Seconds", acc);
            dyn_expr(jsonata_of(&wait.timestamp), "Timestamp", acc);
        }
        StateKind::Fail(fail) => {
            dyn_expr(jsonata_of(&fail.error), "Error", acc);
            dyn_expr(jsonata_of(&fail.cause), "Cause", acc);
        }
        StateKind::Map(map) => {
            template(acc, map.items.as_ref(), state.field_pointer("Items"), plain);
            template(acc, map.item_selector.as_ref(), state.field_pointer("ItemSelector"), plain);
            dyn_expr(jsonata_of(&map.max_concurrency), "MaxConcurrency", acc);
            dyn_expr(jsonata_of(&map.tolerated_failure_percentage), "ToleratedFailurePercentage", acc);
            dyn_expr(jsonata_of(&map.tolerated_failure_count), "ToleratedFailureCount", acc);
            if let Some(reader) = &map.item_reader {
                template(acc, reader.arguments.as_ref(), state.field_pointer("ItemReader/Arguments"), plain);
                if let Some(config) = &reader.reader_config {
                    dyn_expr(jsonata_of(&config.max_items), "ItemReader/ReaderConfig/MaxItems", acc);
                }
            }
            if let Some(batcher) = &map.item_batcher {
                dyn_expr(jsonata_of(&batcher.max_items_per_batch), "ItemBatcher/MaxItemsPerBatch", acc);
                dyn_expr(
                    jsonata_of(&batcher.max_input_bytes_per_batch),
                    "ItemBatcher/MaxInputBytesPerBatch",
                    acc,
                );
                let pointer = state.field_pointer("ItemBatcher/BatchInput");
                template(acc, batcher.batch_input.as_ref(), pointer, plain);
            }
            if let Some(writer) = &map.result_writer {
                template(
                    acc,
                    writer.arguments.as_ref(),
                    state.field_pointer("ResultWriter/Arguments"),
                    plain,
                );
            }
        }
        _ => {}
    }
}

fn jsonata_of<T>(value: &Option<Dyn<T>>) -> Option<&Expr> {
    match value {
        Some(Dyn::Jsonata(expr)) => Some(expr),
        _ => None,
    }
}

fn collect_jsonata_template<'d>(
    template: &'d Template,
    pointer: String,
    context: JsonataContext,
    acc: &mut JsonataFields<'d>,
) {
    match template {
        Template::Jsonata(expr) => acc.exprs.push(JsonataSite { pointer, context, expr }),
        Template::Object { members, .. } => {
            for member in members {
                let pointer = crate::pointer::join(&pointer, &member.output_key);
                collect_jsonata_template(&member.value, pointer, context, acc);
            }
        }
        Template::Array { items, .. } => {
            for (i, item) in items.iter().enumerate() {
                collect_jsonata_template(item, crate::pointer::at(&pointer, i), context, acc);
            }
        }
        Template::Literal(node) => collect_jsonata_literals(node, pointer, acc),
        Template::Dynamic(_) => {}
    }
}

fn collect_jsonata_literals<'d>(node: &'d Node, pointer: String, acc: &mut JsonataFields<'d>) {
    match &node.value {
        NodeValue::String(_) => acc.literals.push(JsonataLiteral { pointer, node }),
        NodeValue::Object(members) => {
            for member in members {
                collect_jsonata_literals(
                    &member.value,
                    crate::pointer::join(&pointer, &member.key.text),
                    acc,
                );
            }
        }
        NodeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_jsonata_literals(item, crate::pointer::at(&pointer, i), acc);
            }
        }
        _ => {}
    }
}
