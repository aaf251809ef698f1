//! JSONata expressions in JSONata states (jsonata.md §2–§5): syntax, the references AWS
//! refuses at definition time, `$states.errorOutput` outside catchers, the value forms of
//! the fields, and the lints on expressions and on strings that only look like them.
//!
//! structure.md's umbrella rule `S-EXPR-SYNTAX` is reported as `J-PARSE`.

use aslc_query::jsonata;
use aslc_query::QueryError;
use aslc_source::{Diagnostic, Severity};
use aslc_syntax::NodeValue;

use super::walk::{self, JsonataSite};
use crate::ir::{has_placeholder, is_whole_placeholder, Definition, Query, StateKind, Template};
use crate::rules::declare_rules;

declare_rules! { @spec "jsonata.md";
    /// ## What it does
    /// Reports a `{% … %}` expression that does not parse as JSONata 2.0.6, the version
    /// Step Functions runs (an empty `{%%}` included).
    ///
    /// ## Why is this bad?
    /// AWS answers `INVALID_JSONATA_EXPRESSION` with JSONata's message, such as
    /// `Expected "]", got ","` or `Unexpected end of expression`.
    ///
    /// ## Example
    /// ```json
    /// "Output": "{% 10 + * 2 %}"
    /// ```
    /// ## Use instead
    /// ```json
    /// "Output": "{% 10 * 2 %}"
    /// ```
    J_PARSE = "J-PARSE", Error, Some("INVALID_JSONATA_EXPRESSION"), "every expression parses as JSONata 2.0.6";
    /// ## What it does
    /// Reports a path whose first step is a bare field name (`phone`, `order.id`,
    /// `$count(items)`).
    ///
    /// ## Why is this bad?
    /// Expressions run without a context item, so a bare name reads from nothing; AWS
    /// answers `Reference to 'phone' at the top level is not supported.`
    ///
    /// ## Example
    /// ```json
    /// "Output": "{% order.total %}"
    /// ```
    /// ## Use instead
    /// ```json
    /// "Output": "{% $states.input.order.total %}"
    /// ```
    J_TOP_LEVEL_REF = "J-TOP-LEVEL-REF", Error, Some("UNSUPPORTED_JSONATA_EXPRESSION"), "no bare field name at the top level of an expression";
    /// ## What it does
    /// Reports `$$` in a JSONata expression.
    ///
    /// ## Why is this bad?
    /// `$$` is JSONPath's context object; JSONata states read it as `$states.context`, and
    /// AWS refuses the definition.
    ///
    /// ## Example
    /// ```json
    /// "Output": "{% $$.Execution.Id %}"
    /// ```
    /// ## Use instead
    /// ```json
    /// "Output": "{% $states.context.Execution.Id %}"
    /// ```
    J_NO_DOLLAR_DOLLAR = "J-NO-DOLLAR-DOLLAR", Error, Some("UNSUPPORTED_JSONATA_EXPRESSION"), "no `$$` in expressions";
    /// ## What it does
    /// Reports a JSONata-state field whose value is neither of its forms: a plain string in
    /// `TimeoutSeconds`, a number in `Items`, …
    ///
    /// ## Why is this bad?
    /// AWS rejects it (`Incorrect type. Expected one of integer, JSONata expression`).
    ///
    /// ## Example
    /// ```json
    /// "TimeoutSeconds": "30"
    /// ```
    /// ## Use instead
    /// `"TimeoutSeconds": 30` or `"TimeoutSeconds": "{% $states.input.timeout %}"`.
    J_FIELD_FORM = "J-FIELD-FORM", Error, Some("SCHEMA_VALIDATION_FAILED"), "a JSONata field holds a literal of its type or an expression";
    /// ## What it does
    /// Warns about `$` used as the context item at the top level of an expression (`$`,
    /// `$.x`).
    ///
    /// ## Why is this bad?
    /// There is no context item, so it evaluates to nothing and the field fails at run time.
    ///
    /// ## Example
    /// ```json
    /// "Output": "{% $.order %}"
    /// ```
    /// ## Use instead
    /// ```json
    /// "Output": "{% $states.input.order %}"
    /// ```
    J_NO_TOP_DOLLAR = "J-NO-TOP-DOLLAR", Warn, None, "no `$` context item at the top level";
    /// ## What it does
    /// Warns about `$states.result` where no result exists: `Arguments`, `Condition`,
    /// `Items`, the timing fields, a catcher, the `Output` of a Pass, Wait or Choice.
    ///
    /// ## Why is this bad?
    /// It evaluates to nothing, so the field fails at run time.
    ///
    /// ## Example
    /// ```json
    /// "Arguments": { "previous": "{% $states.result %}" }
    /// ```
    /// ## Use instead
    /// Read the input (`$states.input`) or a variable assigned earlier.
    J_RESULT_SCOPE = "J-RESULT-SCOPE", Warn, None, "`$states.result` only where a result exists";
    /// ## What it does
    /// Warns about a call of a function that is neither a JSONata 2.0.6 built-in, a Step
    /// Functions function (`$partition`, `$range`, `$hash`, `$random`, `$uuid`, `$parse`),
    /// nor bound in the expression. `$eval` is not available either.
    ///
    /// ## Why is this bad?
    /// AWS accepts the definition; the call fails at run time with `T1006: Attempted to
    /// invoke a non-function`.
    ///
    /// ## Example
    /// ```json
    /// "Output": "{% $uppercas($states.input.name) %}"
    /// ```
    /// ## Use instead
    /// ```json
    /// "Output": "{% $uppercase($states.input.name) %}"
    /// ```
    J_UNKNOWN_FUNCTION = "J-UNKNOWN-FUNCTION", Warn, None, "only known functions are called";
    /// ## What it does
    /// Warns about a built-in function called with the wrong number of arguments.
    ///
    /// ## Why is this bad?
    /// The call fails at run time.
    ///
    /// ## Example
    /// ```json
    /// "Output": "{% $substring() %}"
    /// ```
    /// ## Use instead
    /// `"{% $substring($states.input.name, 0, 3) %}"`.
    J_ARITY = "J-ARITY", Warn, None, "built-ins get the number of arguments they take";
    /// ## What it does
    /// Warns about a member of `$states` other than `input`, `result`, `errorOutput` and
    /// `context`. (The reference does not name this check; AWS accepts the definition.)
    ///
    /// ## Why is this bad?
    /// The member never exists, so the expression evaluates to nothing.
    ///
    /// ## Example
    /// ```json
    /// "Output": "{% $states.inputs %}"
    /// ```
    /// ## Use instead
    /// `"{% $states.input %}"`.
    J_STATES_MEMBER = "J-STATES-MEMBER", Warn, None, "`$states` members are `input`, `result`, `errorOutput`, `context`";
    /// ## What it does
    /// Notes an expression string not written as `{% expr %}` with one space inside each
    /// delimiter.
    ///
    /// ## Why is this bad?
    /// It is only style: AWS evaluates `{%expr%}` the same way.
    ///
    /// ## Use instead
    /// `"{% $states.input %}"`.
    J_DELIM_SPACING = "J-DELIM-SPACING", Info, None, "one space inside each `{%` `%}` delimiter";
    /// ## What it does
    /// Warns about a string in a JSONata field that is almost an expression (whitespace
    /// outside `{% … %}`, only one delimiter) or looks like JSONPath (`$.x`, `$$.x`).
    ///
    /// ## Why is this bad?
    /// Only exact `{% … %}` strings are evaluated; this one is used as the literal text.
    ///
    /// ## Example
    /// ```json
    /// "Output": { "id": " {% $states.input.id %}" }
    /// ```
    /// ## Use instead
    /// `"Output": { "id": "{% $states.input.id %}" }`.
    J_LITERAL_LOOKALIKE = "J-LITERAL-LOOKALIKE", Warn, None, "strings in JSONata fields are expressions or plain literals";
    @spec "runtime-errors.md";
    /// ## What it does
    /// Reports `$states.errorOutput` outside a catcher's `Output` and `Assign`.
    ///
    /// ## Why is this bad?
    /// The error output exists only while a catcher handles an error; AWS refuses the
    /// definition.
    ///
    /// ## Example
    /// ```json
    /// "Output": "{% $states.errorOutput %}"
    /// ```
    /// ## Use instead
    /// `"Catch": [ { "ErrorEquals": ["States.ALL"], "Output": "{% $states.errorOutput %}", "Next": "Handle" } ]`.
    R_CATCH_ERROROUTPUT_SCOPE = "R-CATCH-ERROROUTPUT-SCOPE", Error, Some("UNSUPPORTED_JSONATA_EXPRESSION"), "`$states.errorOutput` only in a catcher's `Output`/`Assign`";
}

/// Checks every JSONata expression and JSONata-field literal of the definition.
pub(crate) fn check(def: &Definition, focus: super::Focus<'_>, out: &mut Vec<Diagnostic>) {
    let fields = walk::jsonata_fields(def, focus);
    for site in &fields.exprs {
        check_expr(def, site, out);
    }
    for literal in &fields.literals {
        let Some(text) = literal.node.as_str() else { continue };
        if has_placeholder(text) {
            continue;
        }
        if let Some(err) = jsonata::template_lookalike(text) {
            let mut diagnostic =
                Diagnostic::warning(J_LITERAL_LOOKALIKE, def.file, literal.node.range, err.message)
                    .at(&literal.pointer);
            if let Some(help) = err.help {
                diagnostic = diagnostic.with_help(help);
            }
            out.push(diagnostic);
        }
    }
    check_items(def, focus, out);
}

fn check_expr(def: &Definition, site: &JsonataSite<'_>, out: &mut Vec<Diagnostic>) {
    let expr = site.expr;
    let template = jsonata::jsonata_template(&expr.text);
    match &expr.query {
        Query::InvalidJsonata(err) => {
            let query = err.to_query_error();
            let mut diagnostic = diagnostic(def, site, &query, Severity::Error)
                .with_aws("INVALID_JSONATA_EXPRESSION", Some(err.jsonata_message()));
            if query.help.is_none() {
                if let Some(template) = template {
                    let inner = expr.text.get(template.inner.as_usize()).unwrap_or("").trim();
                    if inner.is_empty() {
                        diagnostic = diagnostic.with_help("write an expression between `{%` and `%}`");
                    }
                }
            }
            out.push(diagnostic);
        }
        Query::Jsonata(tree) => {
            for err in jsonata::check_jsonata(tree, site.context) {
                let severity = severity(err.rule);
                let mut diagnostic = diagnostic(def, site, &err, severity);
                if err.rule == J_TOP_LEVEL_REF {
                    let name = expr.text.get(err.range.as_usize()).unwrap_or("");
                    diagnostic = diagnostic.with_aws(
                        "UNSUPPORTED_JSONATA_EXPRESSION",
                        Some(format!("Reference to '{name}' at the top level is not supported.")),
                    );
                }
                out.push(diagnostic);
            }
        }
        Query::Opaque | Query::Path(_) | Query::Intrinsic(_) | Query::Invalid(_) => {}
    }
    if let (Some(template), false) = (template, matches!(expr.query, Query::Opaque)) {
        if let Some(err) = template.spacing_lint(&expr.text) {
            out.push(diagnostic(def, site, &err, Severity::Info));
        }
    }
}

/// A Map's `Items` is an array or an expression (jsonata.md §3).
fn check_items(def: &Definition, focus: super::Focus<'_>, out: &mut Vec<Diagnostic>) {
    for (_, state) in focus.states(def) {
        let StateKind::Map(map) = &state.kind else { continue };
        let Some(Template::Literal(node)) = &map.items else { continue };
        let fits = match &node.value {
            NodeValue::Array(_) => true,
            NodeValue::String(s) => is_whole_placeholder(&s.text),
            NodeValue::Object(_) => crate::lower::reader::is_opaque(node),
            _ => false,
        };
        if !fits {
            out.push(
                Diagnostic::error(
                    J_FIELD_FORM,
                    def.file,
                    node.range,
                    format!("`Items` must be an array or a JSONata expression, not {}", describe(node)),
                )
                .with_label("not a list of items")
                .with_help("write an array, or an expression such as \"{% $states.input.items %}\"")
                .with_aws(
                    "SCHEMA_VALIDATION_FAILED",
                    Some("Incorrect type. Expected one of array, JSONata expression".to_string()),
                )
                .at(state.field_pointer("Items")),
            );
        }
    }
}

fn describe(node: &aslc_syntax::Node) -> String {
    match node.value {
        NodeValue::String(_) => "a plain string".to_string(),
        NodeValue::Object(_) => "an object".to_string(),
        NodeValue::Null => "`null`".to_string(),
        _ => format!("a {}", node.type_name()),
    }
}

fn severity(rule: &str) -> Severity {
    match aslc_query::rules::level(rule) {
        Some(aslc_query::rules::Level::Error) => Severity::Error,
        Some(aslc_query::rules::Level::Info) => Severity::Info,
        _ => Severity::Warning,
    }
}

fn diagnostic(def: &Definition, site: &JsonataSite<'_>, err: &QueryError, severity: Severity) -> Diagnostic {
    let mut diagnostic =
        Diagnostic::new(err.rule, severity, def.file, site.expr.inner_range(err.range), err.message.clone())
            .at(&site.pointer);
    if let Some(help) = &err.help {
        diagnostic = diagnostic.with_help(help.clone());
    }
    diagnostic
}

/// The context of a site, for tests.
#[cfg(test)]
fn context_of(json: &str, pointer: &str) -> Option<aslc_query::jsonata::JsonataContext> {
    let parsed = aslc_syntax::json::parse(json, aslc_source::FileId(0));
    let (def, _) = crate::lower(&parsed.node?, aslc_source::FileId(0));
    let def = def?;
    let fields = walk::jsonata_fields(&def, super::Focus::ALL);
    fields.exprs.iter().find(|site| site.pointer == pointer).map(|site| site.context)
}

#[cfg(test)]
mod tests {
    use super::context_of;
    use crate::validate::testing::{check, machine, only};

    fn pass(fields: &str) -> String {
        machine(&format!(r#"{{"Type": "Pass", "QueryLanguage": "JSONata", {fields}, "End": true}}"#))
    }

    #[test]
    fn codes_match_the_query_crate() {
        use aslc_query::rules as q;
        for (ours, theirs) in [
            (super::J_PARSE, q::J_PARSE),
            (super::J_TOP_LEVEL_REF, q::J_TOP_LEVEL_REF),
            (super::J_NO_DOLLAR_DOLLAR, q::J_NO_DOLLAR_DOLLAR),
            (super::J_NO_TOP_DOLLAR, q::J_NO_TOP_DOLLAR),
            (super::J_RESULT_SCOPE, q::J_RESULT_SCOPE),
            (super::J_UNKNOWN_FUNCTION, q::J_UNKNOWN_FUNCTION),
            (super::J_ARITY, q::J_ARITY),
            (super::J_STATES_MEMBER, q::J_STATES_MEMBER),
            (super::J_DELIM_SPACING, q::J_DELIM_SPACING),
            (super::J_LITERAL_LOOKALIKE, q::J_LITERAL_LOOKALIKE),
            (super::R_CATCH_ERROROUTPUT_SCOPE, q::R_CATCH_ERROROUTPUT_SCOPE),
        ] {
            assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn expressions() {
        let cases: &[(&str, &[&str])] = &[
            (r#""Output": "{% $states.input.a + 1 %}""#, &[]),
            (r#""Output": {"a": ["{% $states.input.a %}", 1], "b": "text"}"#, &[]),
            (r#""Output": "{% 10 + * 2 %}""#, &["J-PARSE"]),
            (r#""Output": "{% ($states.input %}""#, &["J-PARSE"]),
            (r#""Output": "{%%}""#, &["J-PARSE"]),
            (r#""Output": "{% $x ?? 1 %}""#, &["J-PARSE"]),
            (r#""Output": {"v": "{% phone %}"}"#, &["J-TOP-LEVEL-REF"]),
            (r#""Output": "{% $count(items) %}""#, &["J-TOP-LEVEL-REF"]),
            (r#""Output": "{% $states.input.items[price > 10].name %}""#, &[]),
            (r#""Output": "{% $$.Execution.Id %}""#, &["J-NO-DOLLAR-DOLLAR"]),
            (r#""Output": "{% $.x %}""#, &["J-NO-TOP-DOLLAR"]),
            (r#""Output": "{% $states.result %}""#, &["J-RESULT-SCOPE"]),
            (r#""Output": "{% $states.errorOutput %}""#, &["R-CATCH-ERROROUTPUT-SCOPE"]),
            (r#""Output": "{% $states.inputs %}""#, &["J-STATES-MEMBER"]),
            (r#""Output": "{% $uppercas('a') %}""#, &["J-UNKNOWN-FUNCTION"]),
            (r#""Output": "{% $eval('1') %}""#, &["J-UNKNOWN-FUNCTION"]),
            (r#""Output": "{% $substring() %}""#, &["J-ARITY"]),
            (r#""Output": "{% $anything %}""#, &[]),
            (r#""Output": "{% ($f := function($v) { $v }; $f(1)) %}""#, &[]),
            (r#""Output": "{%$states.input%}""#, &["J-DELIM-SPACING"]),
            (r#""Output": "{% ${Param} %}""#, &[]),
        ];
        for (fields, expected) in cases {
            check(&pass(fields), expected);
        }
    }

    #[test]
    fn parse_error_carries_jsonata_message() {
        let json = pass(r#""Output": {"v": "{% [1, 2 %}"}"#);
        let d = only(&json, "J-PARSE");
        assert_eq!(d.location, "/States/S/Output/v");
        let aws = d.aws.expect("aws");
        assert_eq!(aws.code, "INVALID_JSONATA_EXPRESSION");
        assert!(aws.message.is_some_and(|m| m.starts_with("Expected")));
    }

    #[test]
    fn top_level_ref_matches_aws() {
        let json = pass(r#""Output": {"v": "{% phone %}"}"#);
        let d = only(&json, "J-TOP-LEVEL-REF");
        assert_eq!(&json[d.primary.range.as_usize()], "phone");
        assert_eq!(d.location, "/States/S/Output/v");
        assert_eq!(
            d.aws.and_then(|a| a.message).as_deref(),
            Some("Reference to 'phone' at the top level is not supported.")
        );
    }

    #[test]
    fn contexts() {
        let task = r#"{"QueryLanguage": "JSONata", "StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Arguments": {"a": "{% $states.input %}"},
                  "Output": "{% $states.result %}",
                  "Assign": {"r": "{% $states.result %}"},
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% $states.errorOutput %}",
                             "Assign": {"e": "{% $states.errorOutput %}"}, "Next": "D"}],
                  "End": true},
            "D": {"Type": "Succeed"}}}"#;
        check(task, &[]);
        assert!(context_of(task, "/States/T/Output").is_some_and(|c| c.result && !c.error_output));
        assert!(context_of(task, "/States/T/Assign/r").is_some_and(|c| c.result));
        assert!(context_of(task, "/States/T/Arguments/a").is_some_and(|c| !c.result));
        assert!(context_of(task, "/States/T/Catch[0]/Output").is_some_and(|c| c.error_output && !c.result));
        assert!(context_of(task, "/States/T/Catch[0]/Assign/e").is_some_and(|c| c.error_output));
    }

    #[test]
    fn other_fields() {
        let wait =
            machine(r#"{"Type": "Wait", "QueryLanguage": "JSONata", "Seconds": "{% foo %}", "End": true}"#);
        check(&wait, &["J-TOP-LEVEL-REF"]);
        let fail = machine(
            r#"{"Type": "Fail", "QueryLanguage": "JSONata", "Error": "{% $$ %}", "Cause": "{% ) %}"}"#,
        );
        check(&fail, &["J-NO-DOLLAR-DOLLAR", "J-PARSE"]);
        let choice = r#"{"QueryLanguage": "JSONata", "StartAt": "C", "States": {"C": {"Type": "Choice",
            "Choices": [{"Condition": "{% $states.input.x = %}", "Next": "D"}], "Default": "D"},
            "D": {"Type": "Succeed"}}}"#;
        let d = only(choice, "J-PARSE");
        assert_eq!(d.location, "/States/C/Choices[0]/Condition");
    }

    #[test]
    fn lookalikes() {
        let cases: &[(&str, &[&str])] = &[
            (r#""Output": {"a": " {% $states.input %}"}"#, &["J-LITERAL-LOOKALIKE"]),
            (r#""Output": {"a": "$.x"}"#, &["J-LITERAL-LOOKALIKE"]),
            (r#""Output": {"a": "plain", "b": "${Param}"}"#, &[]),
        ];
        for (fields, expected) in cases {
            check(&pass(fields), expected);
        }
    }

    #[test]
    fn items() {
        let map = |items: &str| {
            machine(&format!(
                r#"{{"Type": "Map", "QueryLanguage": "JSONata", "Items": {items},
                "ItemProcessor": {{"StartAt": "I", "States": {{"I": {{"Type": "Succeed"}}}}}}, "End": true}}"#
            ))
        };
        check(&map("[1, 2]"), &[]);
        check(&map(r#""{% $states.input.list %}""#), &[]);
        check(&map(r#""${Items}""#), &[]);
        check(&map("5"), &["J-FIELD-FORM"]);
        check(&map(r#""list""#), &["J-FIELD-FORM"]);
    }
}
