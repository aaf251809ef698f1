//! Literal strings that look like code in JSONPath states: a path or intrinsic call under a
//! key without `.$` (AWS warning `NO_DOLLAR`), a path in a field whose name does not end in
//! `Path` (AWS warning `NO_PATH`), and a JSONata `{% … %}` string. All are sent or compared
//! as the string they are.

use aslc_query::jsonpath::{self, Root};
use aslc_query::{intrinsic, jsonata};
use aslc_source::Diagnostic;
use aslc_syntax::{Node, NodeValue};
use rustc_hash::FxHashSet;

use super::walk::{self, TemplateSite};
use crate::ir::{Definition, Dyn, OperandKind, QueryLanguage, StateKind, Template};
use crate::pointer::Pointer;
use crate::rules::declare_rules;

declare_rules! { @spec "jsonpath.md";
    /// ## What it does
    /// Warns about a payload template member whose key has no `.$` suffix but whose string
    /// value looks like a path (`$.x`, `$$.x`, an assigned `$variable`) or an intrinsic call.
    ///
    /// ## Why is this bad?
    /// Without `.$` the value is sent as the literal string `"$.x"`; the `.$` was almost
    /// certainly forgotten. AWS reports the warning `NO_DOLLAR`.
    ///
    /// ## Example
    /// ```json
    /// "Parameters": { "order": "$.order" }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Parameters": { "order.$": "$.order" }
    /// ```
    PT_MISSING_DOLLAR = "PT-MISSING-DOLLAR", Warn, Some("NO_DOLLAR"), "a key without `.$` does not hold a path or intrinsic call";
    /// ## What it does
    /// Warns about a literal field whose value looks like a path: a Fail state's `Error` or
    /// `Cause`, a string comparison's operand (`StringEquals: "$.other"`).
    ///
    /// ## Why is this bad?
    /// The value is used as the string `"$.other"`, not read from the input. AWS reports the
    /// warning `NO_PATH`.
    ///
    /// ## Example
    /// ```json
    /// { "Variable": "$.a", "StringEquals": "$.b", "Next": "Same" }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "Variable": "$.a", "StringEqualsPath": "$.b", "Next": "Same" }
    /// ```
    P_NO_PATH_SUFFIX = "P-NO-PATH-SUFFIX", Warn, Some("NO_PATH"), "a field whose name does not end in `Path` holds no path";
    @spec "jsonata.md";
    /// ## What it does
    /// Warns about a `{% … %}` string in a JSONPath state: in a payload template, an
    /// `Assign` value, or a Fail state's `Error` or `Cause`.
    ///
    /// ## Why is this bad?
    /// Only JSONata states evaluate expressions; here the string is used as it is.
    ///
    /// ## Example
    /// ```json
    /// "A": { "Type": "Pass", "Parameters": { "total": "{% $states.input.a + 1 %}" }, "End": true }
    /// ```
    /// ## Use instead
    /// Make the state JSONata: `"QueryLanguage": "JSONata", "Output": { "total": "{% … %}" }`.
    J_IN_JSONPATH = "J-IN-JSONPATH", Warn, None, "no `{% … %}` strings in JSONPath states";
}

/// What a literal string looks like.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Lookalike {
    Path,
    Call,
}

/// The names of the variables some `Assign` of the definition assigns.
pub(crate) fn assigned(def: &Definition) -> FxHashSet<&str> {
    walk::assigns(def, super::Focus::ALL)
        .into_iter()
        .flat_map(|site| site.assign.vars.iter().map(|var| &*var.name))
        .collect()
}

/// Checks the literal strings of the JSONPath states in focus; `vars` are the names of
/// the variables assigned anywhere ([`assigned`]).
pub(crate) fn check(
    def: &Definition,
    vars: &FxHashSet<&str>,
    focus: super::Focus<'_>,
    out: &mut Vec<Diagnostic>,
) {
    for (_, state) in focus.states(def) {
        if state.query_language != QueryLanguage::JsonPath {
            continue;
        }
        for site in walk::templates(state) {
            check_template(def, &site, vars, out);
        }
        if let StateKind::Fail(fail) = &state.kind {
            for (name, value) in [("Error", &fail.error), ("Cause", &fail.cause)] {
                let Some(Dyn::Literal(literal)) = value else { continue };
                if jsonata::jsonata_template(&literal.value).is_some() {
                    out.push(in_jsonpath(def, literal.range, &state.field_pointer(name)));
                } else if lookalike(&literal.value, vars) == Some(Lookalike::Path) {
                    out.push(
                        Diagnostic::warning(
                            P_NO_PATH_SUFFIX,
                            def.file,
                            literal.range,
                            format!("`{name}` holds a path, but it is used as the literal string"),
                        )
                        .with_label("not read from the input")
                        .with_help(format!("write `\"{name}Path\": \"{}\"` to read the value", literal.value))
                        .at(state.field_pointer(name)),
                    );
                }
            }
        }
    }
    for site in walk::comparisons(def, focus) {
        if site.op.operand_kind() != OperandKind::String {
            continue;
        }
        let Some(text) = site.operand.as_str() else { continue };
        if lookalike(text, vars) == Some(Lookalike::Path) {
            let op = site.op.as_str();
            let help = if op == "StringMatches" {
                "`StringMatches` takes a pattern; compare against a path with an operator ending in `Path`"
                    .to_string()
            } else {
                format!("write `\"{op}Path\": \"{text}\"` to compare against the value at the path")
            };
            out.push(
                Diagnostic::warning(
                    P_NO_PATH_SUFFIX,
                    def.file,
                    site.operand.range,
                    format!("`{op}` compares against the literal string `{text}`"),
                )
                .with_label("this looks like a path but is not read from the input")
                .with_help(help)
                .at(format!("{}/{op}", site.pointer)),
            );
        }
    }
}

fn check_template(
    def: &Definition,
    site: &TemplateSite<'_>,
    vars: &FxHashSet<&str>,
    out: &mut Vec<Diagnostic>,
) {
    match (site.key, site.template) {
        (Some(key), Template::Literal(node)) if !key.value.ends_with(".$") => {
            // An `Assign` value: the variable's key decides.
            if let Some(text) = node.as_str() {
                warn_missing_dollar(def, site, &key.value, node, text, vars, out);
            } else {
                check_node(def, site, node, vars, out);
            }
        }
        (_, template) => check_members(def, site, template, vars, out),
    }
}

fn check_members(
    def: &Definition,
    site: &TemplateSite<'_>,
    template: &Template,
    vars: &FxHashSet<&str>,
    out: &mut Vec<Diagnostic>,
) {
    match template {
        Template::Literal(node) => check_node(def, site, node, vars, out),
        Template::Object { members, .. } => {
            for member in members {
                if member.key.value.ends_with(".$") {
                    continue;
                }
                match &member.value {
                    Template::Literal(node) if node.as_str().is_some() => {
                        let text = node.as_str().unwrap_or_default();
                        warn_missing_dollar(def, site, &member.key.value, node, text, vars, out);
                    }
                    value => check_members(def, site, value, vars, out),
                }
            }
        }
        Template::Array { items, .. } => {
            items.iter().for_each(|item| check_members(def, site, item, vars, out))
        }
        Template::Dynamic(_) | Template::Jsonata(_) => {}
    }
}

/// Looks for lookalikes under the keys of a literal part of a template.
fn check_node(
    def: &Definition,
    site: &TemplateSite<'_>,
    node: &Node,
    vars: &FxHashSet<&str>,
    out: &mut Vec<Diagnostic>,
) {
    match &node.value {
        NodeValue::Object(members) => {
            for member in members {
                match member.value.as_str() {
                    Some(text) => {
                        warn_missing_dollar(def, site, &member.key.text, &member.value, text, vars, out)
                    }
                    None => check_node(def, site, &member.value, vars, out),
                }
            }
        }
        NodeValue::Array(items) => items.iter().for_each(|item| check_node(def, site, item, vars, out)),
        _ => {}
    }
}

fn warn_missing_dollar(
    def: &Definition,
    site: &TemplateSite<'_>,
    key: &str,
    node: &Node,
    text: &str,
    vars: &FxHashSet<&str>,
    out: &mut Vec<Diagnostic>,
) {
    if jsonata::jsonata_template(text).is_some() {
        out.push(in_jsonpath(def, node.range, &site.pointer));
        return;
    }
    let Some(kind) = lookalike(text, vars) else { return };
    let what = match kind {
        Lookalike::Path => "a path",
        Lookalike::Call => "an intrinsic function call",
    };
    out.push(
        Diagnostic::warning(
            PT_MISSING_DOLLAR,
            def.file,
            node.range,
            format!("`{key}` holds {what}, but it is sent as the literal string"),
        )
        .with_label("not evaluated: the key has no `.$`")
        .with_help(format!("rename the key to `{key}.$` to evaluate the value"))
        .at(&site.pointer),
    );
}

fn in_jsonpath(def: &Definition, range: aslc_source::TextRange, pointer: impl Pointer) -> Diagnostic {
    Diagnostic::warning(
        J_IN_JSONPATH,
        def.file,
        range,
        "JSONata expressions are not evaluated in JSONPath states",
    )
    .with_label("used as the literal string")
    .with_help("set `\"QueryLanguage\": \"JSONata\"` on the state (or the state machine) to evaluate it")
    .at(pointer)
}

/// Whether `text` reads as a path or an intrinsic call. A `$name` path counts only when some
/// `Assign` of the definition assigns `name`, so that `"$LATEST"` and prices such as `"$5"`
/// stay quiet.
fn lookalike(text: &str, vars: &FxHashSet<&str>) -> Option<Lookalike> {
    if crate::ir::has_placeholder(text) {
        return None;
    }
    if intrinsic::is_intrinsic_call(text) {
        let call = intrinsic::parse_intrinsic(text).ok()?;
        return call.function.map(|_| Lookalike::Call);
    }
    if !text.starts_with('$') || text == "$" {
        return None;
    }
    let path = jsonpath::parse_path(text).ok()?;
    match &path.root {
        Root::Variable(name) if !vars.contains(&**name) => None,
        Root::Data if path.segments.is_empty() => None,
        _ => Some(Lookalike::Path),
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::testing::{check, machine, only};

    fn pass(fields: &str) -> String {
        machine(&format!(r#"{{"Type": "Pass", {fields}, "End": true}}"#))
    }

    #[test]
    fn missing_dollar() {
        let cases: &[(&str, &[&str])] = &[
            (r#""Parameters": {"order.$": "$.order", "fixed": "text"}"#, &[]),
            (r#""Parameters": {"order": "$.order"}"#, &["PT-MISSING-DOLLAR"]),
            (r#""Parameters": {"a": {"b": "$$.Execution.Id"}}"#, &["PT-MISSING-DOLLAR"]),
            (r#""Parameters": {"a.$": "$.a", "b": {"c": "States.UUID()"}}"#, &["PT-MISSING-DOLLAR"]),
            (r#""Parameters": {"price": "$5", "version": "$LATEST", "cash": "$"}"#, &[]),
            (r#""Parameters": {"call": "States.Nope()"}"#, &[]),
            (r#""Parameters": {"p": "${Param}"}"#, &[]),
            (r#""Assign": {"x": "$.y"}"#, &["PT-MISSING-DOLLAR"]),
            (r#""Assign": {"x": 1, "y": "$x"}"#, &["PT-MISSING-DOLLAR"]),
            (r#""Assign": {"x.$": "$.y"}"#, &[]),
            (r#""Parameters": {"a": {"b": "{% $states.input %}"}}"#, &["J-IN-JSONPATH"]),
            (r#""Assign": {"x": "{% 1 %}"}"#, &["J-IN-JSONPATH"]),
            (r#""Parameters": {"a": "{% no end"}"#, &[]),
        ];
        for (fields, expected) in cases {
            check(&pass(fields), expected);
        }
        let json = pass(r#""Parameters": {"order": "$.order"}"#);
        let d = only(&json, "PT-MISSING-DOLLAR");
        assert_eq!(d.location, "/States/S/Parameters");
        assert_eq!(d.aws.map(|a| a.code), Some("NO_DOLLAR"));
    }

    #[test]
    fn jsonata_states_are_not_checked() {
        // JSONata has its own warning for strings that look like references.
        let json =
            machine(r#"{"Type": "Pass", "QueryLanguage": "JSONata", "Assign": {"x": "$.y"}, "End": true}"#);
        check(&json, &["J-LITERAL-LOOKALIKE"]);
    }

    #[test]
    fn no_path_suffix() {
        let fail = machine(r#"{"Type": "Fail", "Error": "$.code", "Cause": "plain"}"#);
        check(&fail, &["P-NO-PATH-SUFFIX"]);
        let fail = machine(r#"{"Type": "Fail", "Error": "Oops", "Cause": "costs $5"}"#);
        check(&fail, &[]);
        let fail = machine(r#"{"Type": "Fail", "Error": "{% 'E' %}"}"#);
        check(&fail, &["J-IN-JSONPATH"]);
        let choice = |rule: &str| {
            format!(
                r#"{{"StartAt": "C", "States": {{"C": {{"Type": "Choice", "Choices": [{rule}], "Default": "D"}},
                "D": {{"Type": "Succeed"}}}}}}"#
            )
        };
        check(&choice(r#"{"Variable": "$.a", "StringEquals": "$.b", "Next": "D"}"#), &["P-NO-PATH-SUFFIX"]);
        check(&choice(r#"{"Variable": "$.a", "StringEquals": "b", "Next": "D"}"#), &[]);
        check(&choice(r#"{"Variable": "$.a", "StringEqualsPath": "$.b", "Next": "D"}"#), &[]);
        let d =
            only(&choice(r#"{"Variable": "$.a", "StringEquals": "$.b", "Next": "D"}"#), "P-NO-PATH-SUFFIX");
        assert_eq!(d.location, "/States/C/Choices[0]/StringEquals");
        assert_eq!(d.aws.map(|a| a.code), Some("NO_PATH"));
    }
}
