//! Lowering payload templates, the JSONata value fields, path fields and `Assign`.
//!
//! JSONPath templates mark dynamic members with a `.$` key suffix (jsonpath.md §5);
//! JSONata templates mark them with `{% … %}` string values at any depth (jsonata.md §3).
//! Both lower to [`Template`]; the expressions inside are kept as [`Expr`] text for the
//! query-language checks.

use aslc_syntax::{Member, Node, NodeValue};

use super::reader::{self, is_jsonata_text, Fields};
use super::state::StateCx;
use super::{Cx, DiagExt};
use crate::ir::{Assign, AssignVar, Expr, Io, PathOrNull, Spanned, Template, TemplateMember};
use crate::pointer::Pointer;
use crate::rules::declare_rules;

declare_rules! { @spec "jsonpath.md";
    /// ## What it does
    /// Reports a payload template (`Parameters`, `ResultSelector`, `ItemSelector`, …) that
    /// is not a JSON object.
    ///
    /// ## Why is this bad?
    /// A template describes the object to build. AWS accepts other JSON values (arrays are
    /// evaluated element by element, other values sent as they are), so this is a
    /// warning: a string such as `"$.order"` here is sent literally, which is rarely what
    /// was meant.
    ///
    /// ## Example
    /// ```json
    /// "Parameters": "$.order"
    /// ```
    /// ## Use instead
    /// ```json
    /// "InputPath": "$.order"
    /// ```
    /// or `"Parameters": { "order.$": "$.order" }`.
    PT_OBJECT = "PT-OBJECT", Warn, Some("SCHEMA_VALIDATION_FAILED"), "payload templates are JSON objects";
    /// ## What it does
    /// Reports a `key.$` member whose value is not a string.
    ///
    /// ## Why is this bad?
    /// The `.$` suffix says "evaluate this string as a path or intrinsic"; a number,
    /// object, array, boolean or `null` cannot be evaluated.
    ///
    /// ## Example
    /// ```json
    /// "Parameters": { "count.$": 3 }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Parameters": { "count": 3 }
    /// ```
    PT_DOLLAR_STRING = "PT-DOLLAR-STRING", Error, Some("SCHEMA_VALIDATION_FAILED"), "the value of a `….$` key is a string";
    /// ## What it does
    /// Reports an object holding both `k` and `k.$`.
    ///
    /// ## Why is this bad?
    /// Both produce the output key `k`; one silently overwrites the other.
    ///
    /// ## Example
    /// ```json
    /// "Parameters": { "id": "fixed", "id.$": "$.id" }
    /// ```
    /// ## Use instead
    /// Keep one of them.
    PT_KEY_CLASH = "PT-KEY-CLASH", Error, Some("SCHEMA_VALIDATION_FAILED"), "an object does not contain both `k` and `k.$`";
    @spec "variables.md";
    /// ## What it does
    /// Reports an `Assign` that is not a JSON object.
    ///
    /// ## Why is this bad?
    /// `Assign` maps variable names to values; AWS's schema rejects anything else.
    ///
    /// ## Example
    /// ```json
    /// "Assign": "{% $states.result %}"
    /// ```
    /// ## Use instead
    /// ```json
    /// "Assign": { "result": "{% $states.result %}" }
    /// ```
    V_ASSIGN_OBJECT = "V-ASSIGN-OBJECT", Error, Some("SCHEMA_VALIDATION_FAILED"), "`Assign` is a JSON object";
    @spec "states.md";
    /// ## What it does
    /// Reports `Arguments` that is neither an object nor a JSONata expression string.
    ///
    /// ## Why is this bad?
    /// `Arguments` is the request sent to the task or the input of each branch; AWS
    /// rejects numbers, arrays, booleans and plain strings.
    ///
    /// ## Example
    /// ```json
    /// "Arguments": "order"
    /// ```
    /// ## Use instead
    /// ```json
    /// "Arguments": { "order": "{% $states.input.order %}" }
    /// ```
    ST_TASK_ARGUMENTS = "ST-TASK-ARGUMENTS", Error, Some("SCHEMA_VALIDATION_FAILED"), "`Arguments` is an object or a JSONata expression string";
}

/// Lowers the data-flow fields the matrix allowed.
pub(crate) fn lower_io(cx: &mut Cx, fields: &mut Fields, scx: &StateCx) -> Io {
    let jsonata = scx.jsonata();
    let mut io = Io {
        input_path: fields.take("InputPath").and_then(|m| path_or_null(cx, m, scx.field("InputPath"))),
        output_path: fields.take("OutputPath").and_then(|m| path_or_null(cx, m, scx.field("OutputPath"))),
        result_path: fields.take("ResultPath").and_then(|m| path_or_null(cx, m, scx.field("ResultPath"))),
        parameters: fields
            .take("Parameters")
            .and_then(|m| lower_object_template(cx, m, scx.field("Parameters"), false)),
        result_selector: fields
            .take("ResultSelector")
            .and_then(|m| lower_object_template(cx, m, scx.field("ResultSelector"), false)),
        ..Io::default()
    };
    if let Some(m) = fields.take("Arguments") {
        let pointer = scx.field("Arguments");
        let ok = match &m.value.value {
            NodeValue::Object(_) => true,
            NodeValue::String(s) => is_jsonata_text(&s.text) || crate::ir::is_whole_placeholder(&s.text),
            _ => false,
        };
        if ok {
            io.arguments = Some(lower_value(cx, &m.value, pointer, jsonata));
        } else {
            cx.error(
                ST_TASK_ARGUMENTS,
                m.value.range,
                pointer,
                format!("`Arguments` must be an object or a JSONata expression, not {}", describe(&m.value)),
            )
            .label("expected an object or \"{% … %}\"")
            .help("write `\"Arguments\": { \"key\": \"{% … %}\" }` or `\"Arguments\": \"{% … %}\"`")
            .aws("SCHEMA_VALIDATION_FAILED", "Incorrect type. Expected one of object, JSONata expression");
        }
    }
    io.output = fields.take("Output").map(|m| lower_value(cx, &m.value, scx.field("Output"), jsonata));
    io
}

fn describe(node: &Node) -> String {
    match &node.value {
        NodeValue::String(_) => "a plain string".into(),
        other => {
            let name = node.type_name();
            let _ = other;
            if name == "array" {
                "an array".into()
            } else {
                format!("a {name}")
            }
        }
    }
}

/// Reads a field that holds a path or `null` (`InputPath`, `OutputPath`, `ResultPath`).
pub(crate) fn path_or_null(cx: &mut Cx, member: &Member, pointer: impl Pointer) -> Option<PathOrNull> {
    if member.value.is_null() {
        return Some(PathOrNull::Null(member.value.range));
    }
    reader::expr(cx, member, pointer).map(PathOrNull::Path)
}

/// Reads a template field that must be an object (`PT-OBJECT`).
pub(crate) fn lower_object_template(
    cx: &mut Cx,
    member: &Member,
    pointer: impl Pointer,
    jsonata: bool,
) -> Option<Template> {
    let is_object = matches!(member.value.value, NodeValue::Object(_));
    let is_expr = jsonata && member.value.as_str().is_some_and(is_jsonata_text);
    let placeholder = member.value.as_str().is_some_and(crate::ir::is_whole_placeholder);
    if !is_object && !is_expr && !placeholder {
        let expected = if jsonata { "an object or a JSONata expression" } else { "an object" };
        let key = &member.key.text;
        let help = match member.value.as_str() {
            Some(text) if text.starts_with('$') => format!(
                "this string is sent literally; to select input use `\"InputPath\": \"{text}\"` or `\"{key}\": {{ \"value.$\": \"{text}\" }}`"
            ),
            _ => format!("write `\"{key}\": {{ \"key\": … }}`"),
        };
        cx.warning(
            PT_OBJECT,
            member.value.range,
            pointer,
            format!(
                "`{key}` should be {expected}, not {}",
                crate::lower::reader::article(member.value.type_name())
            ),
        )
        .label("not a payload template object")
        .help(help);
    }
    Some(lower_value(cx, &member.value, pointer, jsonata))
}

/// Lowers a template value of either language.
pub(crate) fn lower_value(cx: &mut Cx, node: &Node, pointer: impl Pointer, jsonata: bool) -> Template {
    if jsonata {
        lower_jsonata(node)
    } else {
        lower_template(cx, node, pointer, false)
    }
}

/// Lowers a JSONPath payload template (`.$` members) or, with `jsonata`, a JSONata one.
pub(crate) fn lower_template(cx: &mut Cx, node: &Node, pointer: impl Pointer, jsonata: bool) -> Template {
    if jsonata {
        return lower_jsonata(node);
    }
    // Most templates are mostly literal: a subtree without any `.$` key needs no lowering
    // (and cannot hold a `k`/`k.$` clash).
    if !has_dollar_key(node) {
        return Template::Literal(node.clone());
    }
    match &node.value {
        NodeValue::Object(members) => {
            check_key_clash(cx, members, pointer);
            let mut dynamic = false;
            let mut out = Vec::with_capacity(members.len());
            for member in members {
                let key = &*member.key.text;
                let value = if let Some(output_key) = key.strip_suffix(".$") {
                    dynamic = true;
                    let value = match Expr::jsonpath(&member.value) {
                        Some(expr) => Template::Dynamic(expr),
                        None => {
                            cx.error(PT_DOLLAR_STRING, member.value.range, pointer, format!("the value of `{key}` must be a path or intrinsic string, not {}", crate::lower::reader::article(member.value.type_name())))
                                .label("`.$` keys take a string to evaluate")
                                .help(format!("remove the `.$` suffix to send this value literally (`\"{output_key}\"`), or give a path such as \"$.value\""));
                            Template::Literal(member.value.clone())
                        }
                    };
                    (output_key, value)
                } else {
                    let value = lower_template(cx, &member.value, pointer, false);
                    dynamic |= !matches!(value, Template::Literal(_));
                    (key, value)
                };
                out.push(TemplateMember {
                    key: reader::key_name(member),
                    output_key: value.0.into(),
                    value: value.1,
                });
            }
            if dynamic {
                Template::Object { range: node.range, members: out }
            } else {
                Template::Literal(node.clone())
            }
        }
        NodeValue::Array(items) => {
            let lowered: Vec<Template> =
                items.iter().map(|item| lower_template(cx, item, pointer, false)).collect();
            if lowered.iter().all(|t| matches!(t, Template::Literal(_))) {
                Template::Literal(node.clone())
            } else {
                Template::Array { range: node.range, items: lowered }
            }
        }
        _ => Template::Literal(node.clone()),
    }
}

/// Whether some string in `node` is a `{% … %}` expression.
fn has_jsonata_string(node: &Node) -> bool {
    match &node.value {
        NodeValue::String(s) => is_jsonata_text(&s.text),
        NodeValue::Object(members) => members.iter().any(|m| has_jsonata_string(&m.value)),
        NodeValue::Array(items) => items.iter().any(has_jsonata_string),
        _ => false,
    }
}

/// Whether some object in `node` has a key ending in `.$`.
fn has_dollar_key(node: &Node) -> bool {
    match &node.value {
        NodeValue::Object(members) => {
            members.iter().any(|m| m.key.text.ends_with(".$") || has_dollar_key(&m.value))
        }
        NodeValue::Array(items) => items.iter().any(has_dollar_key),
        _ => false,
    }
}

/// Lowers a JSONata template: `{% … %}` strings at any depth are expressions.
fn lower_jsonata(node: &Node) -> Template {
    if matches!(node.value, NodeValue::Object(_) | NodeValue::Array(_)) && !has_jsonata_string(node) {
        return Template::Literal(node.clone());
    }
    match &node.value {
        NodeValue::String(s) if is_jsonata_text(&s.text) => match Expr::jsonata(node) {
            Some(expr) => Template::Jsonata(expr),
            None => Template::Literal(node.clone()),
        },
        NodeValue::Object(members) => {
            let lowered: Vec<TemplateMember> = members
                .iter()
                .map(|m| TemplateMember {
                    key: reader::key_name(m),
                    output_key: m.key.text.clone(),
                    value: lower_jsonata(&m.value),
                })
                .collect();
            if lowered.iter().all(|m| matches!(m.value, Template::Literal(_))) {
                Template::Literal(node.clone())
            } else {
                Template::Object { range: node.range, members: lowered }
            }
        }
        NodeValue::Array(items) => {
            let lowered: Vec<Template> = items.iter().map(lower_jsonata).collect();
            if lowered.iter().all(|t| matches!(t, Template::Literal(_))) {
                Template::Literal(node.clone())
            } else {
                Template::Array { range: node.range, items: lowered }
            }
        }
        _ => Template::Literal(node.clone()),
    }
}

fn check_key_clash(cx: &mut Cx, members: &[Member], pointer: impl Pointer) {
    for member in members {
        let Some(plain) = member.key.text.strip_suffix(".$") else { continue };
        if let Some(other) = members.iter().find(|m| &*m.key.text == plain) {
            cx.error(
                PT_KEY_CLASH,
                member.key_range,
                pointer,
                format!("both `{plain}` and `{plain}.$` produce the key `{plain}`"),
            )
            .label("this key clashes")
            .help(format!("keep either the literal `{plain}` or the evaluated `{plain}.$`"));
            cx.diagnostics.last_mut().expect("just pushed").secondary.push(aslc_source::Label::new(
                cx.file,
                other.key_range,
                "the literal key",
            ));
        }
    }
}

/// Lowers an `Assign` object (state, choice rule or catcher).
pub(crate) fn lower_assign(
    cx: &mut Cx,
    member: &Member,
    pointer: impl Pointer,
    jsonata: bool,
) -> Option<Assign> {
    let Some(members) = member.value.as_object() else {
        cx.error(
            V_ASSIGN_OBJECT,
            member.value.range,
            pointer,
            format!(
                "`Assign` must be an object, not {}",
                crate::lower::reader::article(member.value.type_name())
            ),
        )
        .label("expected an object of variable names to values")
        .help("write `\"Assign\": { \"name\": value }`");
        return None;
    };
    if !jsonata {
        check_key_clash(cx, members, pointer);
    }
    let mut vars = Vec::with_capacity(members.len());
    for m in members {
        let key = &*m.key.text;
        let (name, value) = match key.strip_suffix(".$") {
            Some(name) if !jsonata => {
                let value = match Expr::jsonpath(&m.value) {
                    Some(expr) => Template::Dynamic(expr),
                    None => {
                        cx.error(
                            PT_DOLLAR_STRING,
                            m.value.range,
                            pointer,
                            format!(
                                "the value of `{key}` must be a path or intrinsic string, not {}",
                                m.value.type_name()
                            ),
                        )
                        .label("`.$` keys take a string to evaluate")
                        .help(format!(
                            "remove the `.$` suffix to assign this value literally (`\"{name}\"`)"
                        ));
                        Template::Literal(m.value.clone())
                    }
                };
                (name, value)
            }
            _ => (key, lower_value(cx, &m.value, pointer, jsonata)),
        };
        vars.push(AssignVar { key: reader::key_name(m), name: name.into(), value });
    }
    let _ = Spanned::new((), member.value.range);
    Some(Assign { range: member.value.range, vars })
}
