//! JSONPath paths in JSONPath states (jsonpath.md §2): syntax, reference paths, the roots
//! and intrinsic calls each field allows, `.$` values, and the lints on parsed paths.
//!
//! Each finding is reported under one id. The generic rules (`P-SYNTAX`, `P-REFERENCE`,
//! `P-ROOT-ALLOWED`, `P-NO-INTRINSIC`) give way to the rule of the field where the spec has
//! one: `ResultPath` (`P-RESULTPATH-REF`, `R-CATCH-RESULTPATH`), the Map `…Path` fields
//! (`R-MAP-REFPATH`), choice rules (`C-VARIABLE-PATH`, `C-PATH-OPERAND`) and the Fail paths
//! (`ST-FAIL-PATH`). structure.md's umbrella rule `S-PATH-SYNTAX` is reported under these
//! ids. Intrinsic calls are checked in `validate::intrinsics`.

use aslc_query::jsonpath::{self, Axis, Path, Root, Segment, Selector};
use aslc_query::QueryError;
use aslc_source::{Diagnostic, Severity, TextRange};

use super::walk::{PathField, PathSite};
use crate::ir::{Definition, Query};
use crate::rules::declare_rules;

declare_rules! { @spec "jsonpath.md";
    /// ## What it does
    /// Reports a path field (`InputPath`, `ItemsPath`, `Variable`, …) or a `….$` value that
    /// does not parse as a path of the JSONPath dialect AWS runs (jsonpath.md §2.1).
    ///
    /// ## Why is this bad?
    /// AWS rejects the definition (`SCHEMA_VALIDATION_FAILED`; for payload templates `The
    /// value for the field '<key>' must be a valid JSONPath or a valid intrinsic function
    /// call`).
    ///
    /// ## Example
    /// ```json
    /// "InputPath": "$.orders[0"
    /// ```
    /// ## Use instead
    /// ```json
    /// "InputPath": "$.orders[0]"
    /// ```
    P_SYNTAX = "P-SYNTAX", Error, Some("SCHEMA_VALIDATION_FAILED"), "every path-valued field and `….$` value parses as a path";
    /// ## What it does
    /// Reports a context path whose `$$` is not followed by `.`, `[` or the end (`$$23`).
    ///
    /// ## Why is this bad?
    /// `$$` reads the context object; anything else glued to it is not a path, and AWS
    /// rejects the definition.
    ///
    /// ## Example
    /// ```json
    /// "Parameters": { "id.$": "$$Execution.Id" }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Parameters": { "id.$": "$$.Execution.Id" }
    /// ```
    P_CONTEXT_PREFIX = "P-CONTEXT-PREFIX", Error, Some("SCHEMA_VALIDATION_FAILED"), "a context path starts with exactly `$$` followed by `.`, `[` or the end";
    /// ## What it does
    /// Reports a wildcard, deep scan, slice, union, filter or function in a field that takes
    /// a reference path: `TimeoutSecondsPath`, `HeartbeatSecondsPath`, `SecondsPath`,
    /// `TimestampPath`.
    ///
    /// ## Why is this bad?
    /// These fields read exactly one value; AWS answers `Value is not a Reference Path`.
    ///
    /// ## Example
    /// ```json
    /// "SecondsPath": "$.delays[*]"
    /// ```
    /// ## Use instead
    /// ```json
    /// "SecondsPath": "$.delays[0]"
    /// ```
    P_REFERENCE = "P-REFERENCE", Error, Some("SCHEMA_VALIDATION_FAILED"), "fields that take a reference path hold only names and indexes";
    /// ## What it does
    /// Reports a `ResultPath` (of a state or a catcher) that starts with `$$` or reads a
    /// variable (`$name`).
    ///
    /// ## Why is this bad?
    /// `ResultPath` says where to put the result inside the state's input; the context object
    /// and variables cannot be written, and AWS rejects the definition.
    ///
    /// ## Example
    /// ```json
    /// "ResultPath": "$result"
    /// ```
    /// ## Use instead
    /// `"ResultPath": "$.result"`, or store the result in a variable with
    /// `"Assign": { "result.$": "$" }`.
    P_ROOT_ALLOWED = "P-ROOT-ALLOWED", Error, Some("SCHEMA_VALIDATION_FAILED"), "`$$` and `$var` roots only where the field allows them";
    /// ## What it does
    /// Reports an intrinsic function call in a field that takes only a path: `InputPath`,
    /// `OutputPath`, `ItemsPath` and the `…Path` timing and Map fields.
    ///
    /// ## Why is this bad?
    /// Intrinsics are evaluated only in `….$` values and in a Fail state's `ErrorPath` and
    /// `CausePath`; AWS rejects the definition.
    ///
    /// ## Example
    /// ```json
    /// "InputPath": "States.Array($.a, $.b)"
    /// ```
    /// ## Use instead
    /// ```json
    /// "Parameters": { "pair.$": "States.Array($.a, $.b)" }
    /// ```
    P_NO_INTRINSIC = "P-NO-INTRINSIC", Error, Some("SCHEMA_VALIDATION_FAILED"), "an intrinsic call only where the field allows one";
    /// ## What it does
    /// Reports a state's `ResultPath` that is not a reference path (a wildcard, filter,
    /// slice, …) or that is an intrinsic call.
    ///
    /// ## Why is this bad?
    /// `ResultPath` names the one place the result is written to; AWS rejects anything that
    /// could name several.
    ///
    /// ## Example
    /// ```json
    /// "ResultPath": "$.results[*]"
    /// ```
    /// ## Use instead
    /// ```json
    /// "ResultPath": "$.result"
    /// ```
    P_RESULTPATH_REF = "P-RESULTPATH-REF", Error, Some("SCHEMA_VALIDATION_FAILED"), "a state's `ResultPath` is `null` or a reference path";
    /// ## What it does
    /// Reports a `….$` value that is neither a path (starting with `$`) nor an intrinsic call
    /// (starting with `States.`).
    ///
    /// ## Why is this bad?
    /// The `.$` suffix asks for the value to be evaluated; AWS answers `The value for the
    /// field '<key>' must be a valid JSONPath or a valid intrinsic function call`.
    ///
    /// ## Example
    /// ```json
    /// "Parameters": { "order.$": "order" }
    /// ```
    /// ## Use instead
    /// `"order.$": "$.order"`, or `"order": "order"` for the literal string.
    PT_DOLLAR_VALUE = "PT-DOLLAR-VALUE", Error, Some("SCHEMA_VALIDATION_FAILED"), "a `….$` value is a path or an intrinsic call";
    /// ## What it does
    /// Warns about a path step that calls a Jayway function, such as `$.items.length()`.
    ///
    /// ## Why is this bad?
    /// AWS does not run path functions: it reads `length()` as a member name, and the path
    /// fails at run time with `Property ['length()'] not found`.
    ///
    /// ## Example
    /// ```json
    /// "Parameters": { "count.$": "$.items.length()" }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Parameters": { "count.$": "States.ArrayLength($.items)" }
    /// ```
    P_NO_FUNCTIONS = "P-NO-FUNCTIONS", Warn, None, "no Jayway function calls in paths";
    /// ## What it does
    /// Warns about a backslash escape inside a dot name (`$.a\.b`).
    ///
    /// ## Why is this bad?
    /// The escape is spec syntax that the Jayway dialect AWS runs does not honour.
    ///
    /// ## Use instead
    /// Bracket notation: `$['a.b']`.
    P_DOT_ESCAPE = "P-DOT-ESCAPE", Warn, None, "no backslash escapes in dot names";
    /// ## What it does
    /// Warns about whitespace after a path (`"$$.Execution.Name "`).
    ///
    /// ## Why is this bad?
    /// AWS trims it, but it is almost always a typo and other tools do not.
    ///
    /// ## Use instead
    /// Remove the whitespace.
    P_WHITESPACE = "P-WHITESPACE", Warn, None, "no trailing whitespace after a path";
    /// ## What it does
    /// Warns about a bare word compared inside a filter (`[?(@.type == VENDOR)]`).
    ///
    /// ## Why is this bad?
    /// A bare word is not a Jayway filter value: the path fails at run time.
    ///
    /// ## Use instead
    /// Quote the word: `[?(@.type == 'VENDOR')]`.
    P_FILTER_UNQUOTED = "P-FILTER-UNQUOTED", Warn, None, "no unquoted words in filters";
    /// ## What it does
    /// Warns about a script index `[( … )]`, such as `$.items[(@.length-1)]`.
    ///
    /// ## Why is this bad?
    /// AWS accepts the definition but never evaluates scripts; the path fails at run time.
    ///
    /// ## Use instead
    /// A negative index (`$.items[-1]`) or a slice (`$.items[-1:]`).
    P_SCRIPT_EXPR = "P-SCRIPT-EXPR", Warn, None, "no script indexes `[( … )]`";
    /// ## What it does
    /// Warns about `$states` in a path of a JSONPath state.
    ///
    /// ## Why is this bad?
    /// `$states` exists only in JSONata; here it reads a variable named `states`, which can
    /// never be assigned, so the path always fails.
    ///
    /// ## Example
    /// ```json
    /// "InputPath": "$states.input.order"
    /// ```
    /// ## Use instead
    /// ```json
    /// "InputPath": "$.order"
    /// ```
    P_VAR_STATES = "P-VAR-STATES", Warn, None, "no `$states` in JSONPath fields";
    @spec "choice.md";
    /// ## What it does
    /// Reports a choice rule `Variable` that is an intrinsic call or a JSONata expression
    /// instead of a path.
    ///
    /// ## Why is this bad?
    /// `Variable` names the value to test; it is read as a path and nothing else.
    ///
    /// ## Example
    /// ```json
    /// { "Variable": "States.ArrayLength($.items)", "NumericGreaterThan": 0, "Next": "Some" }
    /// ```
    /// ## Use instead
    /// Compute the value first (`"Parameters": { "count.$": "States.ArrayLength($.items)" }`)
    /// and test `"Variable": "$.count"`.
    C_VARIABLE_PATH = "C-VARIABLE-PATH", Error, Some("SCHEMA_VALIDATION_FAILED"), "`Variable` is a path";
    /// ## What it does
    /// Reports a `…Path` comparison operator (`StringEqualsPath`, …) whose value is not a
    /// reference path: an intrinsic call, a wildcard, a filter.
    ///
    /// ## Why is this bad?
    /// The operand must name exactly one value to compare against.
    ///
    /// ## Example
    /// ```json
    /// { "Variable": "$.a", "NumericEqualsPath": "$.values[*]", "Next": "Same" }
    /// ```
    /// ## Use instead
    /// `"NumericEqualsPath": "$.values[0]"`.
    C_PATH_OPERAND = "C-PATH-OPERAND", Error, Some("SCHEMA_VALIDATION_FAILED"), "a `…Path` operator's value is a reference path";
    @spec "states.md";
    /// ## What it does
    /// Reports a Fail state's `ErrorPath` or `CausePath` that is a path but not a reference
    /// path.
    ///
    /// ## Why is this bad?
    /// The error and cause are single strings; AWS rejects wildcards, filters and slices.
    ///
    /// ## Example
    /// ```json
    /// "ErrorPath": "$.errors[*].code"
    /// ```
    /// ## Use instead
    /// `"ErrorPath": "$.errors[0].code"`.
    ST_FAIL_PATH = "ST-FAIL-PATH", Error, Some("SCHEMA_VALIDATION_FAILED"), "`ErrorPath`/`CausePath` is a reference path or a string-returning intrinsic";
    @spec "runtime-map-parallel.md";
    /// ## What it does
    /// Reports a Map `…Path` field (`ItemsPath`, `MaxConcurrencyPath`,
    /// `ToleratedFailure…Path`, `ReaderConfig.MaxItemsPath`, `ItemBatcher.…Path`) that is
    /// not a reference path, or (except `ItemsPath`) that reads the context object.
    ///
    /// ## Why is this bad?
    /// AWS answers `Value is not a Reference Path`.
    ///
    /// ## Example
    /// ```json
    /// "MaxConcurrencyPath": "$$.Execution.Input.limit"
    /// ```
    /// ## Use instead
    /// Pass the value in the state input: `"MaxConcurrencyPath": "$.limit"`.
    R_MAP_REFPATH = "R-MAP-REFPATH", Error, Some("SCHEMA_VALIDATION_FAILED"), "Map `…Path` fields are reference paths";
    @spec "runtime-errors.md";
    /// ## What it does
    /// Reports a catcher's `ResultPath` that is not a reference path or that is an intrinsic
    /// call.
    ///
    /// ## Why is this bad?
    /// It names where the error output goes inside the state's input; AWS rejects anything
    /// that could name several places.
    ///
    /// ## Example
    /// ```json
    /// "Catch": [ { "ErrorEquals": ["States.ALL"], "ResultPath": "$.errors[*]", "Next": "Handle" } ]
    /// ```
    /// ## Use instead
    /// `"ResultPath": "$.error"`.
    R_CATCH_RESULTPATH = "R-CATCH-RESULTPATH", Error, Some("SCHEMA_VALIDATION_FAILED"), "a catcher's `ResultPath` is `null` or a reference path";
}

/// AWS's message for a `.$` value that is neither a path nor an intrinsic call.
pub(crate) fn template_value_message(key: &str) -> String {
    format!("The value for the field '{key}' must be a valid JSONPath or a valid intrinsic function call")
}

/// AWS's message for a field that must be a reference path.
const NOT_REFERENCE: &str = "Value is not a Reference Path";

/// Checks every path field and `.$` value of the definition.
pub(crate) fn check(def: &Definition, sites: &[PathSite<'_>], out: &mut Vec<Diagnostic>) {
    for site in sites {
        check_site(def, site, out);
    }
}

fn check_site(def: &Definition, site: &PathSite<'_>, out: &mut Vec<Diagnostic>) {
    let expr = site.expr;
    let intrinsic_like = aslc_query::intrinsic::is_intrinsic_call(expr.text.trim_start());
    if intrinsic_like && !site.field.allows_intrinsic() {
        report_intrinsic_placement(def, site, out);
        return;
    }
    match &expr.query {
        // JSONPath sites hold only paths and calls.
        Query::Opaque | Query::Intrinsic(_) | Query::Jsonata(_) | Query::InvalidJsonata(_) => {}
        // Intrinsic calls that do not parse are reported with the intrinsic rules.
        Query::Invalid(_) if intrinsic_like => {}
        Query::Invalid(err) => report_parse_error(def, site, err, out),
        Query::Path(path) => {
            check_path(def, site, path, out);
            lint(def, site, path, out);
        }
    }
}

/// Where a diagnostic about a site is: the field, or the `.$` key of a template value.
fn subject(site: &PathSite<'_>) -> String {
    match site.key {
        Some(key) => format!("`{}`", key.value),
        None => format!("`{}`", site.name),
    }
}

fn new_diag(
    def: &Definition,
    code: &'static str,
    severity: Severity,
    site: &PathSite<'_>,
    inner: TextRange,
    message: String,
) -> Diagnostic {
    Diagnostic::new(code, severity, def.file, site.expr.inner_range(inner), message).at(&site.pointer)
}

fn report_intrinsic_placement(def: &Definition, site: &PathSite<'_>, out: &mut Vec<Diagnostic>) {
    let expr = site.expr;
    let inner = match &expr.query {
        Query::Intrinsic(call) => call.name_range,
        _ => TextRange::from_usize(0, expr.text.len()),
    };
    let (code, help) = match site.field {
        PathField::Variable => (
            C_VARIABLE_PATH,
            "compute the value in an earlier state (`\"Parameters\": { \"value.$\": \"States.…\" }`) and test it with a path".to_string(),
        ),
        PathField::ChoiceOperand => (
            C_PATH_OPERAND,
            "compute the value in an earlier state and compare against its path".to_string(),
        ),
        PathField::ResultPath => (P_RESULTPATH_REF, "write where the result goes, such as \"$.result\"".to_string()),
        PathField::CatchResultPath => (
            R_CATCH_RESULTPATH,
            "write where the error output goes, such as \"$.error\"".to_string(),
        ),
        _ => (
            P_NO_INTRINSIC,
            format!(
                "`{}` takes a path; call intrinsic functions in a `….$` value of `Parameters` or `ResultSelector`",
                site.name
            ),
        ),
    };
    let diagnostic = new_diag(
        def,
        code,
        Severity::Error,
        site,
        inner,
        format!("`{}` cannot call an intrinsic function", site.name),
    )
    .with_label("intrinsic functions are not evaluated here")
    .with_help(help);
    out.push(diagnostic);
}

fn report_parse_error(def: &Definition, site: &PathSite<'_>, err: &QueryError, out: &mut Vec<Diagnostic>) {
    let expr = site.expr;
    let text = expr.text.trim_start();
    if site.field == PathField::Variable && crate::lower::reader::is_jsonata_text(text) {
        out.push(
            new_diag(
                def,
                C_VARIABLE_PATH,
                Severity::Error,
                site,
                TextRange::from_usize(0, expr.text.len()),
                "`Variable` cannot be a JSONata expression".to_string(),
            )
            .with_label("JSONPath states read `Variable` as a path")
            .with_help("write a path such as \"$.value\", or make the state JSONata and use `Condition`"),
        );
        return;
    }
    if let (PathField::Template(_), Some(key)) = (site.field, site.key) {
        if !text.starts_with('$') {
            let mut diagnostic = new_diag(
                def,
                PT_DOLLAR_VALUE,
                Severity::Error,
                site,
                TextRange::from_usize(0, expr.text.len()),
                format!("the value of `{}` is neither a path nor an intrinsic function call", key.value),
            )
            .with_label("expected a path starting with `$` or a call starting with `States.`")
            .with_aws("SCHEMA_VALIDATION_FAILED", Some(template_value_message(&key.value)));
            let output_key = key.value.strip_suffix(".$").unwrap_or(&key.value);
            diagnostic = diagnostic.with_help(if text.to_ascii_lowercase().starts_with("states.") {
                "intrinsic function names start with `States.`, with a capital `S`".to_string()
            } else {
                format!("write a path such as \"$.{output_key}\", or remove `.$` from the key to send the string as it is")
            });
            out.push(diagnostic);
            return;
        }
    }
    let code = if err.rule == aslc_query::rules::P_CONTEXT_PREFIX { P_CONTEXT_PREFIX } else { P_SYNTAX };
    let mut diagnostic = new_diag(
        def,
        code,
        Severity::Error,
        site,
        err.range,
        format!("{} is not a valid path: {}", subject(site), err.message),
    );
    if let Some(help) = &err.help {
        diagnostic = diagnostic.with_help(help.clone());
    } else if crate::lower::reader::is_jsonata_text(text) {
        diagnostic = diagnostic
            .with_help("`{% … %}` expressions are JSONata; set `\"QueryLanguage\": \"JSONata\"` to use them");
    }
    if let Some(key) = site.key {
        diagnostic =
            diagnostic.with_aws("SCHEMA_VALIDATION_FAILED", Some(template_value_message(&key.value)));
    }
    out.push(diagnostic);
}

/// The rules on a parsed path that depend on the field: roots and reference paths.
fn check_path(def: &Definition, site: &PathSite<'_>, path: &Path, out: &mut Vec<Diagnostic>) {
    let field = site.field;
    // Roots.
    let root_error = match (&path.root, field) {
        (Root::Context | Root::Variable(_), PathField::ResultPath | PathField::CatchResultPath) => {
            Some((P_ROOT_ALLOWED, "write where the result goes inside the state input, such as \"$.result\"; to keep a value in a variable use `Assign`"))
        }
        (Root::Context, PathField::MapNumberPath) => {
            Some((R_MAP_REFPATH, "pass the value in the state input and read it with a `$` path"))
        }
        _ => None,
    };
    if let Some((code, help)) = root_error {
        let what = match &path.root {
            Root::Variable(name) => format!("cannot read the variable `${name}`"),
            _ => "cannot read the context object (`$$`)".to_string(),
        };
        let mut diagnostic =
            new_diag(def, code, Severity::Error, site, path.root_range, format!("`{}` {what}", site.name))
                .with_label("this root is not allowed here")
                .with_help(help);
        if code == R_MAP_REFPATH {
            diagnostic = diagnostic.with_aws("SCHEMA_VALIDATION_FAILED", Some(NOT_REFERENCE.to_string()));
        }
        out.push(diagnostic);
        return;
    }
    // Reference paths.
    let code = match field {
        PathField::ResultPath => P_RESULTPATH_REF,
        PathField::CatchResultPath => R_CATCH_RESULTPATH,
        PathField::ItemsPath | PathField::MapNumberPath => R_MAP_REFPATH,
        PathField::TaskTimingPath | PathField::WaitPath => P_REFERENCE,
        PathField::ChoiceOperand => C_PATH_OPERAND,
        PathField::FailPath => ST_FAIL_PATH,
        PathField::InputPath | PathField::OutputPath | PathField::Variable | PathField::Template(_) => return,
    };
    if let Some(segment) = path.reference_violation() {
        out.push(
            new_diag(
                def,
                code,
                Severity::Error,
                site,
                segment.range,
                format!("`{}` must be a reference path, but it has {}", site.name, describe_step(segment)),
            )
            .with_label("a reference path names one value")
            .with_help("use only `.name`, `['name']` and `[index]` steps")
            .with_aws("SCHEMA_VALIDATION_FAILED", Some(NOT_REFERENCE.to_string())),
        );
    }
}

/// What makes a segment unfit for a reference path, for messages.
pub(crate) fn describe_step(segment: &Segment) -> &'static str {
    if segment.axis == Axis::Descendant {
        return "a deep scan `..`";
    }
    match segment.selector {
        Selector::Name(_) | Selector::Index(_) => "a single step",
        Selector::Names(_) => "a union of names",
        Selector::Indexes(_) => "a union of indexes",
        Selector::Slice { .. } => "a slice",
        Selector::Wildcard => "a wildcard",
        Selector::Filter(_) => "a filter",
        Selector::Script => "a script index",
        Selector::Function(_) => "a function call",
    }
}

/// The lints of a parsed path (jsonpath.md §9).
fn lint(def: &Definition, site: &PathSite<'_>, path: &Path, out: &mut Vec<Diagnostic>) {
    for err in jsonpath::lint_path(path) {
        out.push(query_diagnostic(def, site, &err));
    }
}

/// A diagnostic for a [`QueryError`] about a site's text, at the rule's level.
pub(crate) fn query_diagnostic(def: &Definition, site: &PathSite<'_>, err: &QueryError) -> Diagnostic {
    let severity = match aslc_query::rules::level(err.rule) {
        Some(aslc_query::rules::Level::Error) => Severity::Error,
        Some(aslc_query::rules::Level::Info) => Severity::Info,
        _ => Severity::Warning,
    };
    let mut diagnostic = new_diag(def, err.rule, severity, site, err.range, err.message.clone());
    if let Some(help) = &err.help {
        diagnostic = diagnostic.with_help(help.clone());
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use crate::validate::testing::{check, machine, only};

    fn pass(fields: &str) -> String {
        machine(&format!(r#"{{"Type": "Pass", {fields}, "End": true}}"#))
    }

    #[test]
    fn codes_match_the_query_crate() {
        use aslc_query::rules as q;
        for (ours, theirs) in [
            (super::P_SYNTAX, q::P_SYNTAX),
            (super::P_CONTEXT_PREFIX, q::P_CONTEXT_PREFIX),
            (super::P_REFERENCE, q::P_REFERENCE),
            (super::P_ROOT_ALLOWED, q::P_ROOT_ALLOWED),
            (super::P_NO_INTRINSIC, q::P_NO_INTRINSIC),
            (super::P_RESULTPATH_REF, q::P_RESULTPATH_REF),
            (super::P_NO_FUNCTIONS, q::P_NO_FUNCTIONS),
            (super::P_DOT_ESCAPE, q::P_DOT_ESCAPE),
            (super::P_WHITESPACE, q::P_WHITESPACE),
            (super::P_FILTER_UNQUOTED, q::P_FILTER_UNQUOTED),
            (super::P_SCRIPT_EXPR, q::P_SCRIPT_EXPR),
            (super::P_VAR_STATES, q::P_VAR_STATES),
        ] {
            assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn syntax() {
        let cases: &[(&str, &[&str])] = &[
            (r#""InputPath": "$.a.b[0]""#, &[]),
            (r#""InputPath": "$$.Execution.Input""#, &[]),
            (r#""InputPath": "$var.x""#, &[]),
            (r#""InputPath": "$.items[?(@.price > 10)]""#, &[]),
            (r#""InputPath": "bug$.library.movies""#, &["P-SYNTAX"]),
            (r#""InputPath": "$.a[0""#, &["P-SYNTAX"]),
            (r#""ResultPath": "..guid""#, &["P-SYNTAX"]),
            (r#""ResultPath": "$...""#, &["P-SYNTAX"]),
            (r#""OutputPath": "{% $x %}""#, &["P-SYNTAX"]),
            (r#""Parameters": {"a.$": "$$23"}"#, &["P-CONTEXT-PREFIX"]),
            (r#""Parameters": {"a.$": "$.a b"}"#, &["P-SYNTAX"]),
            (r#""InputPath": "${Path}""#, &[]),
            (r#""Parameters": {"a.$": "$.${Name}"}"#, &[]),
        ];
        for (fields, expected) in cases {
            check(&pass(fields), expected);
        }
    }

    #[test]
    fn syntax_points_inside_the_string() {
        let json = pass(r#""InputPath": "$.a(""#);
        let d = only(&json, "P-SYNTAX");
        assert_eq!(&json[d.primary.range.as_usize()], "(");
        assert_eq!(d.location, "/States/S/InputPath");
    }

    #[test]
    fn template_values() {
        let cases: &[(&str, &[&str])] = &[
            (r#""Parameters": {"a.$": "$.a", "b.$": "States.UUID()"}"#, &[]),
            (r#""Parameters": {"lorem.$": "ipsum"}"#, &["PT-DOLLAR-VALUE"]),
            (r#""Parameters": {"lorem.$": ""}"#, &["PT-DOLLAR-VALUE"]),
            (r#""Parameters": {"x": {"lorem.$": "states.Array()"}}"#, &["PT-DOLLAR-VALUE"]),
            (r#""Assign": {"v.$": "ipsum"}"#, &["PT-DOLLAR-VALUE"]),
        ];
        for (fields, expected) in cases {
            check(&pass(fields), expected);
        }
        let json = pass(r#""Parameters": {"lorem.$": "ipsum"}"#);
        let d = only(&json, "PT-DOLLAR-VALUE");
        assert_eq!(d.location, "/States/S/Parameters");
        assert_eq!(
            d.aws.and_then(|a| a.message).as_deref(),
            Some("The value for the field 'lorem.$' must be a valid JSONPath or a valid intrinsic function call")
        );
    }

    #[test]
    fn intrinsic_placement() {
        let cases: &[(&str, &[&str])] = &[
            (r#""InputPath": "States.Array($.a)""#, &["P-NO-INTRINSIC"]),
            (r#""OutputPath": "States.Nope(""#, &["P-NO-INTRINSIC"]),
            (r#""ResultPath": "States.Array($.a)""#, &["P-RESULTPATH-REF"]),
            (r#""Parameters": {"a.$": "States.Array($.a)"}"#, &[]),
        ];
        for (fields, expected) in cases {
            check(&pass(fields), expected);
        }
        let task = |fields: &str| {
            machine(&format!(
                r#"{{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", {fields}, "End": true}}"#
            ))
        };
        check(&task(r#""TimeoutSecondsPath": "States.MathAdd($.a, 1)""#), &["P-NO-INTRINSIC"]);
    }

    #[test]
    fn result_path() {
        let cases: &[(&str, &[&str])] = &[
            (r#""ResultPath": "$.a.b[0]""#, &[]),
            (r#""ResultPath": "$""#, &[]),
            (r#""ResultPath": null"#, &[]),
            (r#""ResultPath": "$foo""#, &["P-ROOT-ALLOWED"]),
            (r#""ResultPath": "$$.Execution""#, &["P-ROOT-ALLOWED"]),
            (r#""ResultPath": "$.a[*]""#, &["P-RESULTPATH-REF"]),
            (r#""ResultPath": "$..a""#, &["P-RESULTPATH-REF"]),
        ];
        for (fields, expected) in cases {
            check(&pass(fields), expected);
        }
        let json = pass(r#""ResultPath": "$foo""#);
        let d = only(&json, "P-ROOT-ALLOWED");
        assert_eq!(&json[d.primary.range.as_usize()], "$foo");
    }

    fn task_with_catch(catcher: &str) -> String {
        format!(
            r#"{{"StartAt": "T", "States": {{"T": {{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Catch": [{{"ErrorEquals": ["States.ALL"], {catcher}, "Next": "D"}}], "End": true}},
            "D": {{"Type": "Succeed"}}}}}}"#
        )
    }

    #[test]
    fn catcher_result_path() {
        let cases: &[(&str, &[&str])] = &[
            (r#""ResultPath": "$.error""#, &[]),
            (r#""ResultPath": null"#, &[]),
            (r#""ResultPath": "$.errors[?(@.x)]""#, &["R-CATCH-RESULTPATH"]),
            (r#""ResultPath": "States.Format('x')""#, &["R-CATCH-RESULTPATH"]),
            (r#""ResultPath": "$err""#, &["P-ROOT-ALLOWED"]),
        ];
        for (catcher, expected) in cases {
            check(&task_with_catch(catcher), expected);
        }
    }

    fn timing(fields: &str) -> String {
        machine(&format!(r#"{{"Type": "Wait", {fields}, "End": true}}"#))
    }

    #[test]
    fn reference_fields() {
        let cases: &[(&str, &[&str])] = &[
            (r#""SecondsPath": "$.delay""#, &[]),
            (r#""SecondsPath": "$delay""#, &[]),
            (r#""SecondsPath": "$$.Execution.Input.delay""#, &[]),
            (r#""SecondsPath": "$.delays[*]""#, &["P-REFERENCE"]),
            (r#""TimestampPath": "$.t[1:2]""#, &["P-REFERENCE"]),
        ];
        for (fields, expected) in cases {
            check(&timing(fields), expected);
        }
    }

    fn map(fields: &str) -> String {
        machine(&format!(
            r#"{{"Type": "Map", {fields}, "ItemProcessor": {{"StartAt": "I", "States": {{"I": {{"Type": "Succeed"}}}}}}, "End": true}}"#
        ))
    }

    #[test]
    fn map_fields() {
        let cases: &[(&str, &[&str])] = &[
            (r#""ItemsPath": "$.items""#, &[]),
            (r#""ItemsPath": "$$.Execution.Input.items""#, &[]),
            (r#""ItemsPath": "$items""#, &[]),
            (r#""ItemsPath": "$.items[*].id""#, &["R-MAP-REFPATH"]),
            (r#""ItemsPath": "States.Array(1)""#, &["P-NO-INTRINSIC"]),
            (r#""MaxConcurrencyPath": "$.limit""#, &[]),
            (r#""MaxConcurrencyPath": "$limit""#, &[]),
            (r#""MaxConcurrencyPath": "$$.Execution.Input.limit""#, &["R-MAP-REFPATH"]),
            (r#""MaxConcurrencyPath": "$.a..b""#, &["R-MAP-REFPATH"]),
        ];
        for (fields, expected) in cases {
            check(&map(fields), expected);
        }
        let json = map(r#""ItemsPath": "$.items[*].id""#);
        let d = only(&json, "R-MAP-REFPATH");
        assert_eq!(&json[d.primary.range.as_usize()], "[*]");
        assert_eq!(d.aws.and_then(|a| a.message).as_deref(), Some("Value is not a Reference Path"));
    }

    fn choice(rule: &str) -> String {
        format!(
            r#"{{"StartAt": "C", "States": {{"C": {{"Type": "Choice", "Choices": [{rule}], "Default": "D"}},
            "D": {{"Type": "Succeed"}}}}}}"#
        )
    }

    #[test]
    fn choice_paths() {
        let cases: &[(&str, &[&str])] = &[
            (r#"{"Variable": "$.a", "IsPresent": true, "Next": "D"}"#, &[]),
            (r#"{"Variable": "$.a[*]", "IsPresent": true, "Next": "D"}"#, &[]),
            (r#"{"Variable": "$$.Execution.Id", "IsPresent": true, "Next": "D"}"#, &[]),
            (
                r#"{"Variable": "States.ArrayLength($.a)", "NumericEquals": 1, "Next": "D"}"#,
                &["C-VARIABLE-PATH"],
            ),
            (r#"{"Variable": "{% $x %}", "IsPresent": true, "Next": "D"}"#, &["C-VARIABLE-PATH"]),
            (r#"{"Variable": "$.a[", "IsPresent": true, "Next": "D"}"#, &["P-SYNTAX"]),
            (r#"{"Variable": "$.a", "StringEqualsPath": "$.b", "Next": "D"}"#, &[]),
            (r#"{"Variable": "$.a", "StringEqualsPath": "$b", "Next": "D"}"#, &[]),
            (r#"{"Variable": "$.a", "StringEqualsPath": "$.b[*]", "Next": "D"}"#, &["C-PATH-OPERAND"]),
            (
                r#"{"Variable": "$.a", "StringEqualsPath": "States.Format('x')", "Next": "D"}"#,
                &["C-PATH-OPERAND"],
            ),
            (
                r#"{"Not": {"And": [{"Variable": "$.a", "NumericEqualsPath": "$.b..c"}]}, "Next": "D"}"#,
                &["C-PATH-OPERAND"],
            ),
        ];
        for (rule, expected) in cases {
            check(&choice(rule), expected);
        }
        let json = choice(r#"{"Not": {"Variable": "$.a", "NumericEqualsPath": "$.b[*]"}, "Next": "D"}"#);
        assert_eq!(only(&json, "C-PATH-OPERAND").location, "/States/C/Choices[0]/Not/NumericEqualsPath");
    }

    fn fail(fields: &str) -> String {
        machine(&format!(r#"{{"Type": "Fail", {fields}}}"#))
    }

    #[test]
    fn fail_paths() {
        let cases: &[(&str, &[&str])] = &[
            (r#""ErrorPath": "$.e", "CausePath": "$$.Execution.Id""#, &[]),
            (r#""ErrorPath": "$err""#, &[]),
            (r#""ErrorPath": "Error""#, &["P-SYNTAX"]),
            (r#""ErrorPath": "$.errors[*]""#, &["ST-FAIL-PATH"]),
            (r#""CausePath": "$.c[?(@.x)]""#, &["ST-FAIL-PATH"]),
        ];
        for (fields, expected) in cases {
            check(&fail(fields), expected);
        }
    }

    #[test]
    fn lints() {
        let cases: &[(&str, &[&str])] = &[
            (r#""InputPath": "$.a ""#, &["P-WHITESPACE"]),
            (r#""Parameters": {"n.$": "$.items.length()"}"#, &["P-NO-FUNCTIONS"]),
            (r#""Parameters": {"n.$": "$.a\\.b"}"#, &["P-DOT-ESCAPE"]),
            (r#""Parameters": {"n.$": "$.a[?(@.t == VENDOR)]"}"#, &["P-FILTER-UNQUOTED"]),
            (r#""Parameters": {"n.$": "$.a[(@.length-1)]"}"#, &["P-SCRIPT-EXPR"]),
            (r#""InputPath": "$states.input""#, &["P-VAR-STATES"]),
            (r#""InputPath": "$.a""#, &[]),
        ];
        for (fields, expected) in cases {
            check(&pass(fields), expected);
        }
    }
}
