//! Lowering Choice states and their rules (choice.md §2, §6).

use aslc_syntax::{Member, Node, NodeValue};

use super::reader::{self, is_jsonata_text, Fields};
use super::state::StateCx;
use super::{template, Cx, DiagExt, S_STRING_NONEMPTY};
use crate::ir::{Choice, ChoiceOp, ChoiceRule, Condition, Expr, OperandKind, Template};
use crate::rules::declare_rules;

declare_rules! { @spec "choice.md";
    /// ## What it does
    /// Reports a Choice state without `Choices`, or whose `Choices` is not a non-empty
    /// array of objects.
    ///
    /// ## Why is this bad?
    /// The rules are how a Choice decides; AWS rejects the state.
    ///
    /// ## Use instead
    /// `"Choices": [ { "Variable": "$.x", "NumericGreaterThan": 0, "Next": "Positive" } ]`.
    C_CHOICES = "C-CHOICES", Error, Some("SCHEMA_VALIDATION_FAILED"), "`Choices` is a non-empty array of objects";
    /// ## What it does
    /// Reports a top-level choice rule without a string `Next`.
    ///
    /// ## Why is this bad?
    /// A matching rule must say where to go; `End` is not allowed in a rule.
    ///
    /// ## Example
    /// ```json
    /// { "Variable": "$.done", "BooleanEquals": true, "End": true }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "Variable": "$.done", "BooleanEquals": true, "Next": "Finish" }
    /// ```
    C_RULE_NEXT = "C-RULE-NEXT", Error, Some("SCHEMA_VALIDATION_FAILED"), "every top-level rule has a string `Next`";
    /// ## What it does
    /// Reports `Next`, `Assign` or `Output` inside a nested rule (in `And`, `Or`, `Not`).
    ///
    /// ## Why is this bad?
    /// Only the top-level rule decides where to go and what to assign.
    ///
    /// ## Use instead
    /// Move the field to the enclosing top-level rule.
    C_NESTED_NO_NEXT = "C-NESTED-NO-NEXT", Error, Some("SCHEMA_VALIDATION_FAILED"), "nested rules have no `Next`, `Assign` or `Output`";
    /// ## What it does
    /// Reports a rule that is not exactly one of: a comparison, `And`, `Or`, `Not`.
    ///
    /// ## Why is this bad?
    /// A rule with none has nothing to test; one with several is ambiguous.
    ///
    /// ## Example
    /// ```json
    /// { "Next": "A" }
    /// ```
    /// ## Use instead
    /// `{ "Variable": "$.x", "IsPresent": true, "Next": "A" }`.
    C_RULE_KIND = "C-RULE-KIND", Error, Some("SCHEMA_VALIDATION_FAILED"), "each rule is exactly one of: comparison, `And`, `Or`, `Not`";
    /// ## What it does
    /// Reports a comparison with more than one operator.
    ///
    /// ## Why is this bad?
    /// Each comparison tests one thing; combine tests with `And`.
    ///
    /// ## Example
    /// ```json
    /// { "Variable": "$.n", "NumericGreaterThan": 1, "NumericLessThan": 9, "Next": "A" }
    /// ```
    /// ## Use instead
    /// `{ "And": [ { "Variable": "$.n", "NumericGreaterThan": 1 }, { "Variable": "$.n", "NumericLessThan": 9 } ], "Next": "A" }`.
    C_ONE_OPERATOR = "C-ONE-OPERATOR", Error, Some("SCHEMA_VALIDATION_FAILED"), "a comparison has exactly one operator";
    /// ## What it does
    /// Reports an operator without `Variable`, or `Variable` without an operator.
    ///
    /// ## Why is this bad?
    /// A comparison needs both a value to test and a test.
    ///
    /// ## Use instead
    /// `{ "Variable": "$.status", "StringEquals": "OK", "Next": "Done" }`.
    C_VARIABLE_REQUIRED = "C-VARIABLE-REQUIRED", Error, Some("SCHEMA_VALIDATION_FAILED"), "an operator needs `Variable` and `Variable` needs an operator";
    /// ## What it does
    /// Reports `And`/`Or` that are not non-empty arrays of objects, or `Not` that is not an
    /// object.
    ///
    /// ## Why is this bad?
    /// AWS rejects the rule.
    ///
    /// ## Use instead
    /// `"And": [ { … }, { … } ]`, `"Not": { … }`.
    C_AND_OR_ARRAY = "C-AND-OR-ARRAY", Error, Some("SCHEMA_VALIDATION_FAILED"), "`And`/`Or` are non-empty arrays of objects; `Not` is an object";
    /// ## What it does
    /// Reports an unknown field in a choice rule (often a misspelt operator).
    ///
    /// ## Why is this bad?
    /// AWS rejects it.
    ///
    /// ## Example
    /// ```json
    /// { "Variable": "$.x", "StringEqual": "a", "Next": "A" }
    /// ```
    /// ## Use instead
    /// `"StringEquals"`.
    C_RULE_FIELDS = "C-RULE-FIELDS", Error, Some("SCHEMA_VALIDATION_FAILED"), "no unknown field in a choice rule";
    /// ## What it does
    /// Reports an operand of the wrong type: `NumericEquals: "5"`, `BooleanEquals: "true"`,
    /// a `…Path` operator without a path string.
    ///
    /// ## Why is this bad?
    /// AWS rejects it ("the corresponding value must be of the appropriate type").
    ///
    /// ## Example
    /// ```json
    /// { "Variable": "$.n", "NumericEquals": "5", "Next": "A" }
    /// ```
    /// ## Use instead
    /// `"NumericEquals": 5`.
    C_OPERAND_TYPE = "C-OPERAND-TYPE", Error, Some("SCHEMA_VALIDATION_FAILED"), "an operator's operand has the operator's type";
    /// ## What it does
    /// Reports a JSONata rule without `Condition`, or with JSONPath rule fields
    /// (`Variable`, operators, `And`, `Or`, `Not`).
    ///
    /// ## Why is this bad?
    /// In JSONata states a rule is one `Condition` expression.
    ///
    /// ## Use instead
    /// `{ "Condition": "{% $states.input.n > 0 %}", "Next": "Positive" }`.
    C_JSONATA_RULE = "C-JSONATA-RULE", Error, Some("SCHEMA_VALIDATION_FAILED"), "a JSONata rule has `Condition` and `Next` and no JSONPath rule fields";
    /// ## What it does
    /// Reports `Condition` in a rule of a JSONPath state.
    ///
    /// ## Why is this bad?
    /// `Condition` is JSONata; AWS rejects it in JSONPath states.
    ///
    /// ## Use instead
    /// A comparison (`Variable` + operator), or make the state JSONata.
    C_JSONPATH_NO_CONDITION = "C-JSONPATH-NO-CONDITION", Error, Some("SCHEMA_VALIDATION_FAILED"), "no `Condition` in a JSONPath state's rule";
    /// ## What it does
    /// Reports a `Condition` that is neither a boolean nor a JSONata expression string.
    ///
    /// ## Why is this bad?
    /// A plain string such as `"$.x == 1"` is not evaluated; AWS rejects it.
    ///
    /// ## Use instead
    /// `"Condition": "{% $states.input.x = 1 %}"`.
    C_CONDITION_TYPE = "C-CONDITION-TYPE", Error, Some("SCHEMA_VALIDATION_FAILED"), "`Condition` is a boolean or a JSONata expression string";
    /// ## What it does
    /// Reports `Assign` on a nested choice rule.
    ///
    /// ## Why is this bad?
    /// Only the matching top-level rule assigns variables.
    ///
    /// ## Use instead
    /// Move `Assign` to the top-level rule.
    C_RULE_ASSIGN = "C-RULE-ASSIGN", Error, Some("SCHEMA_VALIDATION_FAILED"), "`Assign` only on top-level rules and on the state";
    /// ## What it does
    /// Reports `Output` on a nested rule, or on a rule of a JSONPath state.
    ///
    /// ## Why is this bad?
    /// `Output` is JSONata and belongs to the top-level rule.
    ///
    /// ## Use instead
    /// Move `Output` to the top-level rule of a JSONata state.
    C_RULE_OUTPUT = "C-RULE-OUTPUT", Error, Some("SCHEMA_VALIDATION_FAILED"), "`Output` only on top-level rules of JSONata states";
}

/// Lowers `Choices` and `Default` (the matrix already vetted the state's other fields).
pub(crate) fn lower_choice(cx: &mut Cx, fields: &mut Fields, scx: &StateCx) -> Choice {
    let mut choice = Choice::default();
    if let Some(m) = fields.take("Default") {
        choice.default = reader::string(cx, m, scx.field("Default"));
        if let Some(d) = &choice.default {
            if d.value.is_empty() {
                cx.error(S_STRING_NONEMPTY, d.range, scx.field("Default"), "`Default` is empty")
                    .label("no state has an empty name")
                    .help("name the state to go to when no rule matches");
            }
        }
    }
    let Some(member) = fields.take("Choices") else { return choice };
    let pointer = String::from(scx.field("Choices"));
    choice.choices_range = Some(member.value.range);
    let Some(items) = member.value.as_array() else {
        cx.error(
            C_CHOICES,
            member.value.range,
            &pointer,
            format!(
                "`Choices` must be an array of rules, not {}",
                crate::lower::reader::article(member.value.type_name())
            ),
        )
        .label("expected an array")
        .help("write `\"Choices\": [ { …, \"Next\": \"<state>\" } ]`");
        return choice;
    };
    if items.is_empty() {
        cx.error(C_CHOICES, member.value.range, &pointer, "`Choices` is empty")
            .label("a Choice state needs at least one rule")
            .help("add a rule, or replace the state with a Pass to its `Default`")
            .aws("SCHEMA_VALIDATION_FAILED", "Value cannot be empty");
    }
    for (i, item) in items.iter().enumerate() {
        let rule_pointer = crate::pointer::at(&pointer, i);
        if item.as_object().is_none() {
            cx.error(
                C_CHOICES,
                item.range,
                &rule_pointer,
                format!(
                    "a choice rule must be an object, not {}",
                    crate::lower::reader::article(item.type_name())
                ),
            )
            .label("expected a rule object")
            .help("write the rule as `{ \"Variable\": …, \"<Operator>\": …, \"Next\": … }`");
            continue;
        }
        choice.choices.push(lower_top_rule(cx, item, &rule_pointer, scx));
    }
    choice
}

fn lower_top_rule(cx: &mut Cx, node: &Node, pointer: &str, scx: &StateCx) -> ChoiceRule {
    let mut fields = Fields::new(node.as_object().unwrap_or_default());
    let next = match fields.take("Next") {
        Some(m) => {
            let next = reader::string(cx, m, crate::pointer::field(pointer, "Next"));
            if let Some(n) = &next {
                if n.value.is_empty() {
                    cx.error(
                        S_STRING_NONEMPTY,
                        n.range,
                        crate::pointer::field(pointer, "Next"),
                        "`Next` is empty",
                    )
                    .label("no state has an empty name")
                    .help("name the state to go to when this rule matches");
                }
            }
            next
        }
        None => {
            let (range, label) = match fields.take("End") {
                Some(end) => (end.key_range, "a rule cannot end the execution; it must name a state"),
                None => (node.range.start_point(), "this rule has nowhere to go"),
            };
            cx.error(C_RULE_NEXT, range, pointer, "choice rule has no `Next`")
                .label(label)
                .help("add `\"Next\": \"<state>\"`; to stop, go to a Succeed state")
                .aws("SCHEMA_VALIDATION_FAILED", "These fields are required: [Next]");
            None
        }
    };
    let jsonata = scx.jsonata();
    let assign = fields
        .take("Assign")
        .and_then(|m| template::lower_assign(cx, m, crate::pointer::field(pointer, "Assign"), jsonata));
    let output = fields.take("Output").and_then(|m| {
        if jsonata {
            Some(template::lower_value(cx, &m.value, crate::pointer::field(pointer, "Output"), true))
        } else {
            cx.error(C_RULE_OUTPUT, m.key_range, pointer, "`Output` is a JSONata field, but this state uses JSONPath")
                .label("not available in JSONPath states")
                .help("remove `Output`, or make the state JSONata")
                .aws("SCHEMA_VALIDATION_FAILED", "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage");
            None
        }
    });
    let comment =
        fields.take("Comment").and_then(|m| super::comment(cx, m, crate::pointer::field(pointer, "Comment")));
    let condition = lower_condition(cx, node, &mut fields, pointer, scx, true);
    let extra = fields.into_extra();
    ChoiceRule { range: node.range, condition, next, assign, output, comment, extra }
}

const BOOLEAN_KEYS: [&str; 3] = ["And", "Or", "Not"];

/// Lowers the test of a rule; `fields` has the rule's members minus those already taken.
fn lower_condition(
    cx: &mut Cx,
    node: &Node,
    fields: &mut Fields,
    pointer: &str,
    scx: &StateCx,
    top: bool,
) -> Condition {
    if scx.jsonata() {
        return lower_jsonata_condition(cx, node, fields, pointer);
    }
    if !top {
        for key in ["Next", "Assign", "Output"] {
            if let Some(m) = fields.take(key) {
                let code = match key {
                    "Assign" => C_RULE_ASSIGN,
                    "Output" => C_RULE_OUTPUT,
                    _ => C_NESTED_NO_NEXT,
                };
                cx.error(code, m.key_range, pointer, format!("a nested rule cannot have `{key}`"))
                    .label("only top-level rules have this field")
                    .help(format!("move `{key}` to the enclosing top-level rule"))
                    .aws("SCHEMA_VALIDATION_FAILED", format!("Field '{key}' is not supported"));
            }
        }
        if let Some(m) = fields.take("Comment") {
            super::comment(cx, m, crate::pointer::field(pointer, "Comment"));
        }
    }
    if let Some(m) = fields.take("Condition") {
        cx.error(C_JSONPATH_NO_CONDITION, m.key_range, pointer, "`Condition` is a JSONata field, but this state uses JSONPath")
            .label("not available in JSONPath states")
            .help("write a comparison (`Variable` + operator), or set `\"QueryLanguage\": \"JSONata\"` on the state")
            .aws("SCHEMA_VALIDATION_FAILED", "The QueryLanguage is set to 'JSONPath', but field 'Condition' is only supported for the 'JSONata' QueryLanguage");
    }
    let variable = fields.take("Variable");
    let operators: Vec<&Member> =
        fields.remaining().filter(|m| ChoiceOp::from_name(&m.key.text).is_some()).collect();
    let booleans: Vec<&Member> =
        fields.remaining().filter(|m| BOOLEAN_KEYS.contains(&&*m.key.text)).collect();
    for m in operators.iter().chain(&booleans) {
        fields.mark(m);
    }
    report_unknown_rule_fields(cx, fields, pointer);

    let kinds = usize::from(!operators.is_empty() || variable.is_some()) + booleans.len();
    if kinds == 0 {
        cx.error(C_RULE_KIND, node.range.start_point(), pointer, "choice rule has no test")
            .label("expected a comparison, `And`, `Or` or `Not`")
            .help("add a comparison such as `\"Variable\": \"$.x\", \"IsPresent\": true`");
        return Condition::Invalid(node.range);
    }
    if kinds > 1 {
        let second = booleans
            .get(usize::from(operators.is_empty() && variable.is_none()))
            .map_or(node.range, |m| m.key_range);
        cx.error(C_RULE_KIND, second, pointer, "choice rule mixes several kinds of test")
            .label("a rule is one comparison, or one of `And`, `Or`, `Not`")
            .help("nest the tests inside `And` or `Or`");
        return Condition::Invalid(node.range);
    }
    if let Some(m) = booleans.first() {
        return lower_boolean(cx, m, pointer, scx);
    }
    // A comparison.
    if operators.len() > 1 {
        // Each operator gets its own diagnostic, so an editor marks all of them.
        let n = operators.len();
        for (i, op) in operators.iter().enumerate() {
            cx.error(
                C_ONE_OPERATOR,
                op.key_range,
                pointer,
                "choice rule has more than one comparison operator",
            )
            .label(format!("one of {n} operators of this comparison"))
            .help("use one operator per comparison and combine comparisons with `And`");
            let file = cx.file;
            let diagnostic = cx.diagnostics.last_mut().expect("just pushed");
            for (j, other) in operators.iter().enumerate() {
                if i != j {
                    diagnostic.secondary.push(aslc_source::Label::new(
                        file,
                        other.key_range,
                        "another operator",
                    ));
                }
            }
        }
    }
    let Some(op_member) = operators.first() else {
        let v = variable.expect("kinds counted a variable");
        cx.error(C_VARIABLE_REQUIRED, v.key_range, pointer, "`Variable` has no comparison operator")
            .label("nothing to compare against")
            .help("add an operator such as `\"StringEquals\": \"…\"` or `\"IsPresent\": true`");
        return Condition::Invalid(node.range);
    };
    let op = ChoiceOp::from_name(&op_member.key.text).expect("filtered on known operators");
    let variable = match variable {
        Some(v) => reader::expr(cx, v, crate::pointer::field(pointer, "Variable")),
        None => {
            cx.error(
                C_VARIABLE_REQUIRED,
                op_member.key_range,
                pointer,
                format!("`{}` has no `Variable` to compare", op.as_str()),
            )
            .label("missing `Variable`")
            .help("add `\"Variable\": \"$.field\"` naming the value to test");
            None
        }
    };
    check_operand(cx, op, op_member, pointer);
    let path = if op.operand_kind() == OperandKind::Path { Expr::jsonpath(&op_member.value) } else { None };
    Condition::Compare {
        variable,
        operator: reader::key_name(op_member),
        op,
        operand: op_member.value.clone(),
        path,
    }
}

fn check_operand(cx: &mut Cx, op: ChoiceOp, member: &Member, pointer: &str) {
    let value = &member.value;
    let (ok, expected) = match op.operand_kind() {
        OperandKind::String | OperandKind::Timestamp | OperandKind::Path => {
            (value.as_str().is_some(), "a string")
        }
        OperandKind::Number => (matches!(value.value, NodeValue::Number(_)), "a number"),
        OperandKind::Boolean => (value.as_bool().is_some(), "a boolean"),
    };
    let placeholder = value.as_str().is_some_and(crate::ir::is_whole_placeholder);
    if !ok && !placeholder {
        let expected = if op.operand_kind() == OperandKind::Path { "a path string" } else { expected };
        cx.error(
            C_OPERAND_TYPE,
            value.range,
            crate::pointer::field(pointer, op.as_str()),
            format!("`{}` takes {expected}, not {}", op.as_str(), reader::article(value.type_name())),
        )
        .label(format!("expected {expected}"))
        .help(match op.operand_kind() {
            OperandKind::Number => "write the number without quotes".to_string(),
            OperandKind::Boolean => "write `true` or `false` without quotes".to_string(),
            OperandKind::Path => format!(
                "give a path such as \"$.other\", or use `{}` with a literal",
                op.as_str().trim_end_matches("Path")
            ),
            _ => "write the value as a JSON string".to_string(),
        });
    }
}

fn lower_boolean(cx: &mut Cx, member: &Member, pointer: &str, scx: &StateCx) -> Condition {
    let key = &*member.key.text;
    let field_pointer = crate::pointer::join(pointer, key);
    if key == "Not" {
        let Some(_) = member.value.as_object() else {
            cx.error(
                C_AND_OR_ARRAY,
                member.value.range,
                &field_pointer,
                format!(
                    "`Not` must be one rule object, not {}",
                    crate::lower::reader::article(member.value.type_name())
                ),
            )
            .label("expected an object")
            .help("write `\"Not\": { \"Variable\": …, \"<Operator>\": … }`");
            return Condition::Invalid(member.value.range);
        };
        return Condition::Not(
            member.value.range,
            Box::new(lower_nested(cx, &member.value, &field_pointer, scx)),
        );
    }
    let Some(items) = member.value.as_array() else {
        cx.error(
            C_AND_OR_ARRAY,
            member.value.range,
            &field_pointer,
            format!(
                "`{key}` must be an array of rules, not {}",
                crate::lower::reader::article(member.value.type_name())
            ),
        )
        .label("expected an array")
        .help(format!("write `\"{key}\": [ {{ … }}, {{ … }} ]`"));
        return Condition::Invalid(member.value.range);
    };
    if items.is_empty() {
        cx.error(C_AND_OR_ARRAY, member.value.range, &field_pointer, format!("`{key}` is empty"))
            .label("expected at least one rule")
            .help(format!("add rules to `{key}`, or remove it"));
    }
    let mut rules = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let item_pointer = crate::pointer::at(&field_pointer, i);
        if item.as_object().is_none() {
            cx.error(
                C_AND_OR_ARRAY,
                item.range,
                &item_pointer,
                format!(
                    "a rule in `{key}` must be an object, not {}",
                    crate::lower::reader::article(item.type_name())
                ),
            )
            .label("expected a rule object")
            .help("write the rule as `{ \"Variable\": …, \"<Operator>\": … }`");
            continue;
        }
        rules.push(lower_nested(cx, item, &item_pointer, scx));
    }
    if key == "And" {
        Condition::And(member.value.range, rules)
    } else {
        Condition::Or(member.value.range, rules)
    }
}

fn lower_nested(cx: &mut Cx, node: &Node, pointer: &str, scx: &StateCx) -> Condition {
    let mut fields = Fields::new(node.as_object().unwrap_or_default());
    lower_condition(cx, node, &mut fields, pointer, scx, false)
}

fn report_unknown_rule_fields(cx: &mut Cx, fields: &mut Fields, pointer: &str) {
    // Most rules have no unknown field: skip gathering the candidate names for them.
    if fields.remaining().next().is_none() {
        return;
    }
    let mut candidates: Vec<&str> = ChoiceOp::ALL.iter().map(|op| op.as_str()).collect();
    candidates.extend(["Variable", "And", "Or", "Not", "Next", "Assign", "Comment"]);
    reader::report_unknown(cx, fields, C_RULE_FIELDS, pointer, "a choice rule", &candidates);
    let unknown: Vec<&Member> = fields.remaining().collect();
    for m in unknown {
        fields.mark(m);
    }
}

fn lower_jsonata_condition(cx: &mut Cx, node: &Node, fields: &mut Fields, pointer: &str) -> Condition {
    let jsonpath_fields: Vec<&Member> = fields
        .remaining()
        .filter(|m| {
            &*m.key.text == "Variable"
                || BOOLEAN_KEYS.contains(&&*m.key.text)
                || ChoiceOp::from_name(&m.key.text).is_some()
        })
        .collect();
    for m in &jsonpath_fields {
        fields.mark(m);
        cx.error(C_JSONATA_RULE, m.key_range, pointer, format!("`{}` is a JSONPath rule field, but this state uses JSONata", m.key.text))
            .label("not available in JSONata states")
            .help("write the test as `\"Condition\": \"{% … %}\"`")
            .aws("SCHEMA_VALIDATION_FAILED", format!("The QueryLanguage is set to 'JSONata', but field '{}' is only supported for the 'JSONPath' QueryLanguage", m.key.text));
    }
    let condition = match fields.take("Condition") {
        None => {
            if jsonpath_fields.is_empty() {
                cx.error(
                    C_JSONATA_RULE,
                    node.range.start_point(),
                    pointer,
                    "JSONata choice rule has no `Condition`",
                )
                .label("missing `Condition`")
                .help("add `\"Condition\": \"{% … %}\"`")
                .aws("SCHEMA_VALIDATION_FAILED", "These fields are required: [Condition]");
            }
            Condition::Invalid(node.range)
        }
        Some(m) => match &m.value.value {
            NodeValue::Bool(_) => Condition::Jsonata(Template::Literal(m.value.clone())),
            NodeValue::String(s) if is_jsonata_text(&s.text) => match Expr::jsonata(&m.value) {
                Some(expr) => Condition::Jsonata(Template::Jsonata(expr)),
                None => Condition::Invalid(m.value.range),
            },
            NodeValue::String(s) if crate::ir::is_whole_placeholder(&s.text) => {
                Condition::Jsonata(Template::Literal(m.value.clone()))
            }
            _ => {
                cx.error(
                    C_CONDITION_TYPE,
                    m.value.range,
                    crate::pointer::field(pointer, "Condition"),
                    "`Condition` must be `true`, `false` or a JSONata expression",
                )
                .label("this is not evaluated")
                .help("wrap the test in `{% … %}`, e.g. \"{% $states.input.x = 1 %}\"");
                Condition::Invalid(m.value.range)
            }
        },
    };
    report_unknown_rule_fields(cx, fields, pointer);
    condition
}
