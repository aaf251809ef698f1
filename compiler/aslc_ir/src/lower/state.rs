//! Lowering one state: the field matrix of structure.md §4, the common fields, and the
//! fields of each state type.

use std::sync::OnceLock;

use aslc_syntax::{Member, Node};
use rustc_hash::FxHashMap;

use super::reader::{self, Fields};
use super::{choice, distributed, errors, template, Cx, DiagExt, S_FIELD_TYPE, S_STRING_NONEMPTY};
use crate::ir::*;
use crate::pointer::Field;
use crate::rules::declare_rules;

declare_rules! { @spec "structure.md";
    /// ## What it does
    /// Reports a state name longer than 80 characters or empty.
    ///
    /// ## Why is this bad?
    /// The Step Functions API types every state name as 1 … 80 characters.
    ///
    /// ## Use instead
    /// A shorter name; put the details in `Comment`.
    S_NAME_LENGTH = "S-NAME-LENGTH", Error, Some("INVALID_STATE_NAME"), "a state name is 1 … 80 characters long";
    /// ## What it does
    /// Reports a state without `Type`.
    ///
    /// ## Why is this bad?
    /// The type says what the state does; AWS answers `These fields are required: [Type]`.
    ///
    /// ## Example
    /// ```json
    /// "A": { "Next": "B" }
    /// ```
    /// ## Use instead
    /// ```json
    /// "A": { "Type": "Pass", "Next": "B" }
    /// ```
    S_TYPE_REQUIRED = "S-TYPE-REQUIRED", Error, Some("SCHEMA_VALIDATION_FAILED"), "every state has `Type`";
    /// ## What it does
    /// Reports a `Type` that is not one of `Pass`, `Task`, `Choice`, `Wait`, `Succeed`,
    /// `Fail`, `Parallel`, `Map` (case-sensitive).
    ///
    /// ## Why is this bad?
    /// AWS rejects any other value.
    ///
    /// ## Example
    /// ```json
    /// "A": { "Type": "task", "Resource": "…", "End": true }
    /// ```
    /// ## Use instead
    /// ```json
    /// "A": { "Type": "Task", "Resource": "…", "End": true }
    /// ```
    S_TYPE_VALID = "S-TYPE-VALID", Error, Some("SCHEMA_VALIDATION_FAILED"), "`Type` is one of the eight state types";
    /// ## What it does
    /// Reports a field that the state's type does not have (structure.md §4), including
    /// unknown and misspelt field names.
    ///
    /// ## Why is this bad?
    /// AWS rejects the definition: `Field '<name>' is not supported`.
    ///
    /// ## Example
    /// ```json
    /// "Done": { "Type": "Succeed", "ResultPath": "$.x" }
    /// ```
    /// ## Use instead
    /// Remove the field, or move it to a state type that has it.
    S_FIELD_ALLOWED = "S-FIELD-ALLOWED", Error, Some("SCHEMA_VALIDATION_FAILED"), "a state has no field outside its column of the field matrix";
    /// ## What it does
    /// Reports a JSONPath-only field (`InputPath`, `Parameters`, `ResultPath`, …) in a
    /// JSONata state, or a JSONata-only field (`Arguments`, `Output`) in a JSONPath state.
    ///
    /// ## Why is this bad?
    /// Each query language has its own data-flow fields; AWS rejects the other language's.
    ///
    /// ## Example
    /// ```json
    /// "A": { "Type": "Pass", "QueryLanguage": "JSONata", "ResultPath": "$.x", "End": true }
    /// ```
    /// ## Use instead
    /// ```json
    /// "A": { "Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% … %}", "End": true }
    /// ```
    S_FIELD_QL = "S-FIELD-QL", Error, Some("SCHEMA_VALIDATION_FAILED"), "fields follow the state's effective query language";
    /// ## What it does
    /// Reports a missing required field of the state's type (`Resource` of a Task, …).
    ///
    /// ## Why is this bad?
    /// AWS answers `These fields are required: [<field>]`.
    ///
    /// ## Example
    /// ```json
    /// "Call": { "Type": "Task", "End": true }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Call": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true }
    /// ```
    S_FIELD_REQUIRED = "S-FIELD-REQUIRED", Error, Some("SCHEMA_VALIDATION_FAILED"), "every required field of the state's type is present";
    /// ## What it does
    /// Reports `null` in a field that does not accept it (only `InputPath`, `OutputPath`
    /// and `ResultPath` do).
    ///
    /// ## Why is this bad?
    /// AWS's schema rejects it; `null` does not mean "absent".
    ///
    /// ## Example
    /// ```json
    /// "A": { "Type": "Task", "Resource": "…", "Credentials": null, "End": true }
    /// ```
    /// ## Use instead
    /// Remove the field.
    S_FIELD_NULL = "S-FIELD-NULL", Error, Some("SCHEMA_VALIDATION_FAILED"), "`null` only where a field documents it";
    /// ## What it does
    /// Reports a Pass, Task, Wait, Parallel or Map state with neither `Next` nor
    /// `"End": true`.
    ///
    /// ## Why is this bad?
    /// The state has nowhere to go: AWS rejects the definition.
    ///
    /// ## Example
    /// ```json
    /// "A": { "Type": "Pass" }
    /// ```
    /// ## Use instead
    /// ```json
    /// "A": { "Type": "Pass", "End": true }
    /// ```
    S_TRANSITION_REQUIRED = "S-TRANSITION-REQUIRED", Error, Some("SCHEMA_VALIDATION_FAILED"), "a Pass/Task/Wait/Parallel/Map state has `Next` or `\"End\": true`";
    /// ## What it does
    /// Reports a state with both `Next` and `"End": true`.
    ///
    /// ## Why is this bad?
    /// A state leaves exactly one way; it is unclear which was meant.
    ///
    /// ## Example
    /// ```json
    /// "A": { "Type": "Pass", "Next": "B", "End": true }
    /// ```
    /// ## Use instead
    /// Keep one of the two.
    S_NEXT_END_EXCLUSIVE = "S-NEXT-END-EXCLUSIVE", Error, Some("SCHEMA_VALIDATION_FAILED"), "not both `Next` and `\"End\": true`";
    /// ## What it does
    /// Warns about `"End": false`.
    ///
    /// ## Why is this bad?
    /// With `Next` it is redundant; without `Next` the state has no transition at all.
    ///
    /// ## Use instead
    /// Remove `"End": false`.
    S_END_TRUE = "S-END-TRUE", Warn, None, "`End`, when present, is `true`";
    /// ## What it does
    /// Reports `Next` or `End` on a Choice, Succeed or Fail state.
    ///
    /// ## Why is this bad?
    /// A Choice leaves through its rules and `Default`; Succeed and Fail always end their
    /// scope. AWS rejects the field.
    ///
    /// ## Example
    /// ```json
    /// "Done": { "Type": "Succeed", "End": true }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Done": { "Type": "Succeed" }
    /// ```
    S_NO_TRANSITION_FIELDS = "S-NO-TRANSITION-FIELDS", Error, Some("SCHEMA_VALIDATION_FAILED"), "Choice, Succeed and Fail have no `Next`/`End`";
    /// ## What it does
    /// Reports `"QueryLanguage": "JSONPath"` on a state of a machine whose top level is
    /// `JSONata`.
    ///
    /// ## Why is this bad?
    /// A JSONPath machine may upgrade single states to JSONata, but not the reverse; AWS
    /// answers `'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state
    /// machine`.
    ///
    /// ## Use instead
    /// Remove the state's `QueryLanguage` and write it in JSONata, or make the machine
    /// JSONPath and upgrade the JSONata states one by one.
    QL_NO_DOWNGRADE = "QL-NO-DOWNGRADE", Error, Some("SCHEMA_VALIDATION_FAILED"), "no JSONPath state in a JSONata machine";
    /// ## What it does
    /// Reports `QueryLanguage` on an `ItemProcessor`/`Iterator` object.
    ///
    /// ## Why is this bad?
    /// Processors and branches take the machine's language; AWS rejects the field
    /// (`Field 'QueryLanguage' is not supported`).
    ///
    /// ## Use instead
    /// Set `QueryLanguage` on the states inside the processor.
    QL_NESTED_ROOT = "QL-NESTED-ROOT", Error, Some("SCHEMA_VALIDATION_FAILED"), "no `QueryLanguage` on `ItemProcessor`/`Iterator`";
    @spec "states.md";
    /// ## What it does
    /// Reports `Resource.$`: a Task's `Resource` cannot be computed.
    ///
    /// ## Why is this bad?
    /// `Type` and `Resource` must be constant strings; AWS rejects `Resource.$` as an
    /// unknown field.
    ///
    /// ## Use instead
    /// A literal `Resource`; pass the varying part (a function name) in `Parameters` or
    /// `Arguments`, e.g. `"FunctionName.$": "$.fn"` with `arn:aws:states:::lambda:invoke`.
    ST_TASK_RESOURCE_CONST = "ST-TASK-RESOURCE-CONST", Error, Some("SCHEMA_VALIDATION_FAILED"), "`Resource` is a literal string";
    @spec "runtime-tasks.md";
    /// ## What it does
    /// Reports `TimeoutSeconds`/`HeartbeatSeconds` (or their `…Path` forms) on a state
    /// other than Task, Parallel and Map (which have their own rules).
    ///
    /// ## Why is this bad?
    /// Only tasks time out; AWS rejects the field (`Field 'TimeoutSeconds' is not
    /// supported`).
    ///
    /// ## Use instead
    /// Move the timeout to the Task, or use the machine's top-level `TimeoutSeconds`.
    R_TASK_TIMEOUT_PLACEMENT = "R-TASK-TIMEOUT-PLACEMENT", Error, Some("SCHEMA_VALIDATION_FAILED"), "`TimeoutSeconds`/`HeartbeatSeconds` only on Task";
    /// ## What it does
    /// Reports `TimeoutSecondsPath`/`HeartbeatSecondsPath` in a JSONata state.
    ///
    /// ## Why is this bad?
    /// `…Path` fields are JSONPath; in JSONata the plain field takes an expression.
    ///
    /// ## Use instead
    /// `"TimeoutSeconds": "{% $states.input.timeout %}"`.
    R_TASK_TIMEOUT_QL = "R-TASK-TIMEOUT-QL", Error, Some("SCHEMA_VALIDATION_FAILED"), "`…Path` timeouts only in JSONPath states";
    @spec "runtime-map-parallel.md";
    /// ## What it does
    /// Reports `TimeoutSeconds`/`HeartbeatSeconds` on a Parallel state.
    ///
    /// ## Why is this bad?
    /// A Parallel state has no timeout; AWS rejects the field.
    ///
    /// ## Use instead
    /// Put timeouts on the tasks inside the branches.
    R_PAR_NOTIMEOUT = "R-PAR-NOTIMEOUT", Error, Some("SCHEMA_VALIDATION_FAILED"), "no `TimeoutSeconds`/`HeartbeatSeconds` on Parallel";
    /// ## What it does
    /// Reports `TimeoutSeconds`/`HeartbeatSeconds` on a Map state.
    ///
    /// ## Why is this bad?
    /// A Map state has no timeout; AWS rejects the field.
    ///
    /// ## Use instead
    /// Put timeouts on the tasks inside the processor.
    R_MAP_NOTIMEOUT = "R-MAP-NOTIMEOUT", Error, Some("SCHEMA_VALIDATION_FAILED"), "no `TimeoutSeconds`/`HeartbeatSeconds` on Map";
    /// ## What it does
    /// Reports `ItemsPath`, `MaxConcurrencyPath` and the other `…Path` Map fields in a
    /// JSONata state, and `Items` in a JSONPath state.
    ///
    /// ## Why is this bad?
    /// AWS rejects fields of the other query language.
    ///
    /// ## Use instead
    /// JSONata: `"Items": "{% $states.input.orders %}"`; JSONPath: `"ItemsPath": "$.orders"`.
    R_MAP_ITEMS_QL = "R-MAP-ITEMS-QL", Error, Some("SCHEMA_VALIDATION_FAILED"), "Map `…Path` fields only in JSONPath, `Items` only in JSONata";
    /// ## What it does
    /// Reports a Parallel state without `Branches`, or with an empty array.
    ///
    /// ## Why is this bad?
    /// AWS answers `Value cannot be empty`.
    ///
    /// ## Use instead
    /// Give at least one branch, each with `StartAt` and `States`.
    R_PAR_BRANCHES = "R-PAR-BRANCHES", Error, Some("SCHEMA_VALIDATION_FAILED"), "`Branches` is a non-empty array";
    /// ## What it does
    /// Reports a branch that is not an object with `StartAt` and `States` (and optionally
    /// `Comment`), or that has other fields.
    ///
    /// ## Why is this bad?
    /// Each branch is a complete state machine; AWS rejects anything else.
    ///
    /// ## Use instead
    /// `{ "StartAt": "A", "States": { "A": { … } } }`.
    R_PAR_BRANCH_SHAPE = "R-PAR-BRANCH-SHAPE", Error, Some("SCHEMA_VALIDATION_FAILED"), "each branch has `StartAt` and `States`, optional `Comment`, nothing else";
    /// ## What it does
    /// Reports a Map state with neither or both of `ItemProcessor` and `Iterator`, or a
    /// processor without `StartAt`/`States`.
    ///
    /// ## Why is this bad?
    /// The processor is what runs for each item; AWS rejects the definition.
    ///
    /// ## Use instead
    /// One `ItemProcessor` with `StartAt` and `States` (`Iterator` is its deprecated name).
    R_MAP_PROCESSOR = "R-MAP-PROCESSOR", Error, Some("SCHEMA_VALIDATION_FAILED"), "exactly one of `ItemProcessor`/`Iterator`, with `StartAt` and `States`";
    /// ## What it does
    /// Reports both `ItemSelector` and `Parameters` on a Map state.
    ///
    /// ## Why is this bad?
    /// `Parameters` is the deprecated spelling of `ItemSelector`; with both, one is ignored.
    ///
    /// ## Use instead
    /// Keep `ItemSelector`.
    R_MAP_SELECTOR_EXCL = "R-MAP-SELECTOR-EXCL", Error, Some("SCHEMA_VALIDATION_FAILED"), "not both `ItemSelector` and `Parameters`";
    @spec "variables.md";
    /// ## What it does
    /// Reports `Assign` on a Succeed or Fail state (or elsewhere it is not allowed).
    ///
    /// ## Why is this bad?
    /// Nothing runs after those states in their scope, so the variables could never be
    /// read; AWS rejects the field.
    ///
    /// ## Use instead
    /// Assign in the state before.
    V_ASSIGN_PLACEMENT = "V-ASSIGN-PLACEMENT", Error, Some("SCHEMA_VALIDATION_FAILED"), "`Assign` only where variables.md allows it";
}

/// How a field may appear in a state type (structure.md §4).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Cell {
    /// Required.
    R,
    /// Optional in both query languages.
    O,
    /// Optional, JSONPath states only.
    P,
    /// Optional, JSONata states only.
    A,
    /// Not allowed.
    N,
}
use Cell::{A, N, O, P, R};

/// Column order of the matrix.
const TYPES: [&str; 8] = ["Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"];

/// structure.md §4, row by row. `Next`/`End` are handled as transitions.
const MATRIX: &[(&str, [Cell; 8])] = &[
    ("Type", [R, R, R, R, R, R, R, R]),
    ("Comment", [O, O, O, O, O, O, O, O]),
    ("QueryLanguage", [O, O, O, O, O, O, O, O]),
    ("Next", [O, O, N, O, N, N, O, O]),
    ("End", [O, O, N, O, N, N, O, O]),
    ("InputPath", [P, P, P, P, P, N, P, P]),
    ("OutputPath", [P, P, P, P, P, N, P, P]),
    ("Parameters", [P, P, N, N, N, N, P, P]),
    ("ResultSelector", [N, P, N, N, N, N, P, P]),
    ("ResultPath", [P, P, N, N, N, N, P, P]),
    ("Result", [P, N, N, N, N, N, N, N]),
    ("Arguments", [N, A, N, N, N, N, A, N]),
    ("Output", [A, A, A, A, A, N, A, A]),
    ("Assign", [O, O, O, O, N, N, O, O]),
    ("Retry", [N, O, N, N, N, N, O, O]),
    ("Catch", [N, O, N, N, N, N, O, O]),
    ("Resource", [N, R, N, N, N, N, N, N]),
    ("Credentials", [N, O, N, N, N, N, N, N]),
    ("TimeoutSeconds", [N, O, N, N, N, N, N, N]),
    ("HeartbeatSeconds", [N, O, N, N, N, N, N, N]),
    ("TimeoutSecondsPath", [N, P, N, N, N, N, N, N]),
    ("HeartbeatSecondsPath", [N, P, N, N, N, N, N, N]),
    ("Choices", [N, N, R, N, N, N, N, N]),
    ("Default", [N, N, O, N, N, N, N, N]),
    ("Seconds", [N, N, N, O, N, N, N, N]),
    ("Timestamp", [N, N, N, O, N, N, N, N]),
    ("SecondsPath", [N, N, N, P, N, N, N, N]),
    ("TimestampPath", [N, N, N, P, N, N, N, N]),
    ("Error", [N, N, N, N, N, O, N, N]),
    ("Cause", [N, N, N, N, N, O, N, N]),
    ("ErrorPath", [N, N, N, N, N, P, N, N]),
    ("CausePath", [N, N, N, N, N, P, N, N]),
    ("Branches", [N, N, N, N, N, N, R, N]),
    ("ItemProcessor", [N, N, N, N, N, N, N, O]),
    ("Iterator", [N, N, N, N, N, N, N, O]),
    ("ItemsPath", [N, N, N, N, N, N, N, P]),
    ("Items", [N, N, N, N, N, N, N, A]),
    ("ItemSelector", [N, N, N, N, N, N, N, O]),
    ("MaxConcurrency", [N, N, N, N, N, N, N, O]),
    ("MaxConcurrencyPath", [N, N, N, N, N, N, N, P]),
    ("ToleratedFailurePercentage", [N, N, N, N, N, N, N, O]),
    ("ToleratedFailureCount", [N, N, N, N, N, N, N, O]),
    ("ToleratedFailurePercentagePath", [N, N, N, N, N, N, N, P]),
    ("ToleratedFailureCountPath", [N, N, N, N, N, N, N, P]),
    ("ItemReader", [N, N, N, N, N, N, N, O]),
    ("ItemBatcher", [N, N, N, N, N, N, N, O]),
    ("ResultWriter", [N, N, N, N, N, N, N, O]),
    ("Label", [N, N, N, N, N, N, N, O]),
];

fn cell(field: &str, type_idx: usize) -> Option<Cell> {
    // Every field of every state is looked up here: hash once rather than compare with
    // each row of the matrix.
    static ROWS: OnceLock<FxHashMap<&'static str, usize>> = OnceLock::new();
    let rows = ROWS.get_or_init(|| MATRIX.iter().enumerate().map(|(i, (name, _))| (*name, i)).collect());
    rows.get(field).map(|&row| MATRIX[row].1[type_idx])
}

/// The fields a state of type `type_idx` may have in language `ql`, for suggestions.
fn allowed_fields(type_idx: usize, ql: QueryLanguage) -> Vec<&'static str> {
    MATRIX
        .iter()
        .filter(|(_, cells)| match cells[type_idx] {
            R | O => true,
            P => ql == QueryLanguage::JsonPath,
            A => ql == QueryLanguage::Jsonata,
            N => false,
        })
        .map(|(name, _)| *name)
        .collect()
}

/// The state types, in the column order of the field matrix.
pub const STATE_TYPES: [&str; 8] = TYPES;

/// The fields a state of type `type_name` may have in query language `ql` (`Next` and
/// `End` included where the type transitions), in the order of structure.md §4; `None`
/// for an unknown type. Editors offer these as completions.
pub fn state_fields(type_name: &str, ql: QueryLanguage) -> Option<Vec<&'static str>> {
    TYPES.iter().position(|t| *t == type_name).map(|idx| allowed_fields(idx, ql))
}

/// Whether `field` is allowed on a state of type `type_name` in some query language.
pub fn is_state_field(type_name: &str, field: &str) -> bool {
    TYPES.iter().position(|t| *t == type_name).and_then(|idx| cell(field, idx)).is_some_and(|c| c != N)
}

/// Per-state context handed to the type-specific readers.
pub(crate) struct StateCx<'a> {
    pub(crate) pointer: &'a str,
    pub(crate) ql: QueryLanguage,
    pub(crate) depth: u32,
    pub(crate) id: StateId,
}

impl<'a> StateCx<'a> {
    /// The location of the state's field `name`.
    pub(crate) fn field<'n>(&self, name: &'n str) -> Field<'n>
    where
        'a: 'n,
    {
        Field { base: self.pointer, name }
    }

    pub(crate) fn jsonata(&self) -> bool {
        self.ql == QueryLanguage::Jsonata
    }
}

/// Lowers the state `member` (an object) of scope `scope`.
pub(crate) fn lower_state(
    cx: &mut Cx,
    scope: ScopeId,
    member: &Member,
    pointer: String,
    depth: u32,
) -> StateId {
    let id = StateId(cx.def.states.len() as u32);
    let node = &member.value;
    let members = node.as_object().unwrap_or_default();
    let name = reader::key_name(member);
    let name_len = name.value.chars().count();
    if name_len == 0 || name_len > 80 {
        let message = if name_len == 0 {
            "a state name cannot be empty".to_string()
        } else {
            format!("state name is {name_len} characters long; the limit is 80")
        };
        cx.error(S_NAME_LENGTH, member.key_range, &pointer, message)
            .label("state names are 1 to 80 characters")
            .help("use a shorter name and put details in `Comment`");
    }

    // Reserve the slot so nested scopes get ids after their parent.
    cx.def.states.push(State {
        name,
        scope,
        range: node.range,
        // Moved in when the state is done: the readers below borrow it meanwhile.
        pointer: String::new(),
        type_range: member.key_range,
        comment: None,
        query_language_field: None,
        query_language: cx.def.query_language,
        transition: Transition::None,
        conflicting_end: None,
        io: Io::default(),
        assign: None,
        errors: ErrorHandling::default(),
        kind: StateKind::Invalid,
        extra: Vec::new(),
    });

    let mut fields = Fields::new(members);
    let mut state_ql = cx.def.query_language;
    let mut ql_field = None;
    if let Some(m) = fields.take("QueryLanguage") {
        if let Some(ql) = super::query_language(cx, m, crate::pointer::field(&pointer, "QueryLanguage")) {
            // A Distributed Map's processor runs as child executions; AWS accepts JSONPath
            // states there under a JSONata machine (asl-validator's valid fixtures).
            if cx.def.query_language == QueryLanguage::Jsonata
                && ql.value == QueryLanguage::JsonPath
                && cx.distributed_depth == 0
            {
                cx.error(
                    QL_NO_DOWNGRADE,
                    ql.range,
                    &pointer,
                    "a state of a JSONata state machine cannot use JSONPath",
                )
                .label("the machine's top-level `QueryLanguage` is \"JSONata\"")
                .help("remove this `QueryLanguage` and write the state in JSONata")
                .aws(
                    "SCHEMA_VALIDATION_FAILED",
                    "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
                );
            }
            state_ql = ql.value;
            ql_field = Some(ql);
        }
    }

    let type_idx = match fields.take("Type") {
        None => {
            cx.error(
                S_TYPE_REQUIRED,
                member.key_range,
                &pointer,
                format!("state `{}` has no `Type`", member.key.text),
            )
            .label("this state needs a `Type`")
            .help("add `\"Type\"`: one of Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map")
            .aws("SCHEMA_VALIDATION_FAILED", "These fields are required: [Type]");
            None
        }
        Some(m) => {
            cx.def.states[id.0 as usize].type_range = m.value.range;
            match m.value.as_str() {
                Some(t) => match TYPES.iter().position(|known| *known == t) {
                    Some(idx) => Some(idx),
                    None => {
                        let help = super::suggest_help(
                            t,
                            &TYPES,
                            "use one of Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map",
                        );
                        cx.error(S_TYPE_VALID, m.value.range, crate::pointer::field(&pointer, "Type"), format!("unknown state type `{t}`"))
                            .label("not a state type")
                            .help(help)
                            .aws("SCHEMA_VALIDATION_FAILED", "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]");
                        None
                    }
                },
                None => {
                    cx.error(S_TYPE_VALID, m.value.range, crate::pointer::field(&pointer, "Type"), format!("`Type` must be a string, not {}", crate::lower::reader::article(m.value.type_name())))
                        .label("expected a state type name")
                        .help("use one of Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map")
                        .aws("SCHEMA_VALIDATION_FAILED", "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]");
                    None
                }
            }
        }
    };

    {
        let state = &mut cx.def.states[id.0 as usize];
        state.query_language = state_ql;
        state.query_language_field = ql_field;
    }
    if let Some(m) = fields.take("Comment") {
        let comment = super::comment(cx, m, crate::pointer::field(&pointer, "Comment"));
        cx.def.states[id.0 as usize].comment = comment;
    }

    let Some(type_idx) = type_idx else {
        // Without a type no field can be judged; keep them for printers.
        let extra = fields.into_extra();
        let state = &mut cx.def.states[id.0 as usize];
        state.extra = extra;
        state.pointer = pointer;
        return id;
    };

    let scx = StateCx { pointer: &pointer, ql: state_ql, depth, id };
    reject_misplaced(cx, &mut fields, type_idx, &scx, member);
    check_required(cx, &fields, type_idx, &scx, member);

    let transition = if matches!(type_idx, 2 | 4 | 5) {
        Transition::None
    } else {
        transition(cx, &mut fields, &scx, member)
    };
    let io = template::lower_io(cx, &mut fields, &scx);
    let assign =
        fields.take("Assign").and_then(|m| template::lower_assign(cx, m, scx.field("Assign"), scx.jsonata()));
    let errors = errors::lower_error_handling(cx, &mut fields, &scx);

    let kind = match TYPES[type_idx] {
        "Pass" => StateKind::Pass(lower_pass(cx, &mut fields, &scx)),
        "Task" => StateKind::Task(Box::new(lower_task(cx, &mut fields, &scx))),
        "Choice" => StateKind::Choice(choice::lower_choice(cx, &mut fields, &scx)),
        "Wait" => StateKind::Wait(lower_wait(cx, &mut fields, &scx)),
        "Succeed" => StateKind::Succeed,
        "Fail" => StateKind::Fail(lower_fail(cx, &mut fields, &scx)),
        "Parallel" => StateKind::Parallel(lower_parallel(cx, &mut fields, &scx)),
        _ => StateKind::Map(Box::new(lower_map(cx, &mut fields, &scx))),
    };

    let extra = fields.into_extra();
    let state = &mut cx.def.states[id.0 as usize];
    state.transition = transition;
    state.io = io;
    state.assign = assign;
    state.errors = errors;
    state.kind = kind;
    state.extra = extra;
    state.pointer = pointer;
    id
}

/// Reports every field the matrix does not allow for this type and language, marking it
/// taken so no reader sees it.
fn reject_misplaced(cx: &mut Cx, fields: &mut Fields, type_idx: usize, scx: &StateCx, state: &Member) {
    let type_name = TYPES[type_idx];
    let misplaced: Vec<&Member> = fields
        .remaining()
        .filter(|m| match cell(&m.key.text, type_idx) {
            None | Some(N) => true,
            Some(P) => scx.jsonata(),
            Some(A) => !scx.jsonata(),
            Some(R | O) => false,
        })
        .collect();
    for m in misplaced {
        fields.mark(m);
        let key = &*m.key.text;
        let not_supported = format!("Field '{key}' is not supported");
        match cell(key, type_idx) {
            Some(P) | Some(A) => {
                let (code, this_ql, other_ql) = ql_field_code(key, type_name, scx.ql);
                let (aws_message, location) = if scx.jsonata() {
                    (format!("The QueryLanguage is set to 'JSONata', but field '{key}' is only supported for the 'JSONPath' QueryLanguage"), String::from(scx.field(key)))
                } else {
                    (format!("The QueryLanguage is set to 'JSONPath', but field '{key}' is only supported for the 'JSONata' QueryLanguage"), scx.pointer.to_string())
                };
                let help = ql_help(key, scx.ql);
                cx.error(
                    code,
                    m.key_range,
                    &location,
                    format!("`{key}` is a {other_ql} field, but this state uses {this_ql}"),
                )
                .label(format!("not available in {this_ql} states"))
                .help(help)
                .aws("SCHEMA_VALIDATION_FAILED", aws_message);
            }
            _ => {
                let code = placement_code(key, type_name);
                let (message, help) = if code == S_NO_TRANSITION_FIELDS {
                    (
                        format!("a {type_name} state cannot have `{key}`"),
                        match type_name {
                            "Choice" => {
                                "a Choice leaves through its `Choices` rules and `Default`; remove this field"
                                    .to_string()
                            }
                            _ => format!("a {type_name} state always ends its scope; remove `{key}`"),
                        },
                    )
                } else if code == ST_TASK_RESOURCE_CONST {
                    (
                        "`Resource` cannot be computed with `Resource.$`".to_string(),
                        "use a literal `Resource` and pass the varying part in `Parameters` or `Arguments`"
                            .to_string(),
                    )
                } else if MATRIX.iter().any(|(name, _)| *name == key) {
                    let holders: Vec<&str> = TYPES
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| cell(key, *i).is_some_and(|c| c != N))
                        .map(|(_, t)| *t)
                        .collect();
                    (
                        format!("a {type_name} state cannot have `{key}`"),
                        format!("remove `{key}`: only {} states have it", holders.join(", ")),
                    )
                } else {
                    let allowed = allowed_fields(type_idx, scx.ql);
                    (
                        format!("unknown field `{key}` in a {type_name} state"),
                        super::suggest_help(key, &allowed, "remove it"),
                    )
                };
                let _ = state;
                cx.error(code, m.key_range, scx.pointer, message)
                    .label("not a field of this state type")
                    .help(help)
                    .aws("SCHEMA_VALIDATION_FAILED", not_supported);
            }
        }
    }
}

/// The specialised code for a field that the type does not allow (runtime-errors.md and
/// friends specialise `S-FIELD-ALLOWED`).
fn placement_code(key: &str, type_name: &str) -> &'static str {
    match key {
        "Retry" => errors::R_RETRY_PLACEMENT,
        "Catch" => errors::R_CATCH_PLACEMENT,
        "Next" | "End" if matches!(type_name, "Choice" | "Succeed" | "Fail") => S_NO_TRANSITION_FIELDS,
        "Assign" => V_ASSIGN_PLACEMENT,
        "Resource.$" => ST_TASK_RESOURCE_CONST,
        "TimeoutSeconds" | "HeartbeatSeconds" | "TimeoutSecondsPath" | "HeartbeatSecondsPath" => {
            match type_name {
                "Parallel" => R_PAR_NOTIMEOUT,
                "Map" => R_MAP_NOTIMEOUT,
                _ => R_TASK_TIMEOUT_PLACEMENT,
            }
        }
        _ => S_FIELD_ALLOWED,
    }
}

/// The code, this language and the field's language for a field of the other language.
fn ql_field_code(
    key: &str,
    type_name: &str,
    ql: QueryLanguage,
) -> (&'static str, &'static str, &'static str) {
    let code = match (type_name, key) {
        (
            "Map",
            "ItemsPath"
            | "Items"
            | "MaxConcurrencyPath"
            | "ToleratedFailurePercentagePath"
            | "ToleratedFailureCountPath",
        ) => R_MAP_ITEMS_QL,
        ("Task", "TimeoutSecondsPath" | "HeartbeatSecondsPath") => R_TASK_TIMEOUT_QL,
        _ => S_FIELD_QL,
    };
    match ql {
        QueryLanguage::JsonPath => (code, "JSONPath", "JSONata"),
        QueryLanguage::Jsonata => (code, "JSONata", "JSONPath"),
    }
}

fn ql_help(key: &str, ql: QueryLanguage) -> String {
    match (ql, key) {
        (QueryLanguage::Jsonata, "Parameters") => "use `Arguments` in JSONata states".into(),
        (QueryLanguage::Jsonata, "ResultSelector" | "ResultPath" | "OutputPath" | "InputPath") => {
            "shape the state's output with `Output` (and variables with `Assign`) in JSONata states".into()
        }
        (QueryLanguage::Jsonata, "ItemsPath") => "use `Items` with an expression in JSONata states".into(),
        (QueryLanguage::Jsonata, k) if k.ends_with("Path") => {
            format!("use `{}` with a `{{% … %}}` expression in JSONata states", &k[..k.len() - 4])
        }
        (QueryLanguage::Jsonata, "Result") => "use `Output` in JSONata states".into(),
        (QueryLanguage::JsonPath, "Arguments") => "use `Parameters` in JSONPath states, or set `\"QueryLanguage\": \"JSONata\"` on the state".into(),
        (QueryLanguage::JsonPath, "Output") => "use `ResultPath`/`OutputPath` in JSONPath states, or set `\"QueryLanguage\": \"JSONata\"` on the state".into(),
        (QueryLanguage::JsonPath, "Items") => "use `ItemsPath` in JSONPath states, or set `\"QueryLanguage\": \"JSONata\"` on the state".into(),
        _ => format!("remove `{key}` or change the state's `QueryLanguage`"),
    }
}

fn check_required(cx: &mut Cx, fields: &Fields, type_idx: usize, scx: &StateCx, state: &Member) {
    let type_name = TYPES[type_idx];
    let missing = |f: &str| !fields.has(f);
    match type_name {
        "Task" if missing("Resource") => {
            cx.error(
                S_FIELD_REQUIRED,
                state.key_range,
                scx.pointer,
                format!("Task state `{}` has no `Resource`", state.key.text),
            )
            .label("a Task needs a `Resource`")
            .help("add the ARN of what to run, e.g. `\"Resource\": \"arn:aws:states:::lambda:invoke\"`")
            .aws("SCHEMA_VALIDATION_FAILED", "These fields are required: [Resource]");
        }
        "Parallel" if missing("Branches") => {
            cx.error(
                R_PAR_BRANCHES,
                state.key_range,
                scx.pointer,
                format!("Parallel state `{}` has no `Branches`", state.key.text),
            )
            .label("a Parallel state needs `Branches`")
            .help("add `\"Branches\": [ { \"StartAt\": …, \"States\": { … } } ]`")
            .aws("SCHEMA_VALIDATION_FAILED", "These fields are required: [Branches]");
        }
        "Map" if missing("ItemProcessor") && missing("Iterator") => {
            cx.error(
                R_MAP_PROCESSOR,
                state.key_range,
                scx.pointer,
                format!("Map state `{}` has no `ItemProcessor`", state.key.text),
            )
            .label("a Map state needs an `ItemProcessor`")
            .help("add `\"ItemProcessor\": { \"StartAt\": …, \"States\": { … } }`")
            .aws("SCHEMA_VALIDATION_FAILED", "These fields are required: [ItemProcessor]");
        }
        "Choice" if missing("Choices") => {
            cx.error(
                choice::C_CHOICES,
                state.key_range,
                scx.pointer,
                format!("Choice state `{}` has no `Choices`", state.key.text),
            )
            .label("a Choice state needs `Choices`")
            .help("add `\"Choices\": [ { …, \"Next\": … } ]`")
            .aws("SCHEMA_VALIDATION_FAILED", "These fields are required: [Choices]");
        }
        _ => {}
    }
}

fn transition(cx: &mut Cx, fields: &mut Fields, scx: &StateCx, state: &Member) -> Transition {
    let next = fields.take("Next").and_then(|m| {
        let name = reader::string(cx, m, scx.field("Next"))?;
        if name.value.is_empty() {
            cx.error(S_STRING_NONEMPTY, name.range, scx.field("Next"), "`Next` is empty")
                .label("no state has an empty name")
                .help("name the state to go to next");
        }
        Some(name)
    });
    let end = fields.take("End").and_then(|m| reader::boolean(cx, m, scx.field("End")));
    match (next, end) {
        (Some(next), Some(end)) if end.value => {
            cx.error(
                S_NEXT_END_EXCLUSIVE,
                end.range,
                scx.pointer,
                "a state cannot have both `Next` and `\"End\": true`",
            )
            .label("`End` here")
            .help("keep `Next` to continue, or `\"End\": true` to stop here");
            cx.diagnostics.last_mut().expect("just pushed").secondary.push(aslc_source::Label::new(
                cx.file,
                next.range,
                "`Next` here",
            ));
            cx.def.states[scx.id.0 as usize].conflicting_end = Some(end.range);
            Transition::Next(next)
        }
        (Some(next), end) => {
            if let Some(end) = end {
                cx.warning(
                    S_END_TRUE,
                    end.range,
                    scx.field("End"),
                    "`\"End\": false` is redundant next to `Next`",
                )
                .help("remove `\"End\": false`");
            }
            Transition::Next(next)
        }
        (None, Some(end)) if end.value => Transition::End(end.range),
        (None, end) => {
            if let Some(end) = &end {
                cx.warning(
                    S_END_TRUE,
                    end.range,
                    scx.field("End"),
                    "`\"End\": false` does not end the state",
                )
                .help("write `\"End\": true`, or give the state a `Next`");
            }
            let has_malformed = fields.has("Next") || fields.has("End") && end.is_none();
            if !has_malformed {
                cx.error(
                    S_TRANSITION_REQUIRED,
                    state.key_range,
                    scx.pointer,
                    format!("state `{}` has neither `Next` nor `\"End\": true`", state.key.text),
                )
                .label("this state has nowhere to go")
                .help("add `\"Next\": \"<state>\"` or `\"End\": true`");
            }
            Transition::None
        }
    }
}

fn lower_pass(_cx: &mut Cx, fields: &mut Fields, _scx: &StateCx) -> Pass {
    Pass { result: fields.take("Result").map(|m| m.value.clone()) }
}

fn lower_task(cx: &mut Cx, fields: &mut Fields, scx: &StateCx) -> Task {
    let resource = fields.take("Resource").and_then(|m| {
        let name = reader::string(cx, m, scx.field("Resource"))?;
        if name.value.is_empty() {
            cx.error(S_STRING_NONEMPTY, name.range, scx.field("Resource"), "`Resource` is empty")
                .label("an empty resource cannot be invoked")
                .help("give the ARN of what to run");
        }
        Some(name)
    });
    let credentials = fields.take("Credentials").and_then(|m| lower_credentials(cx, m, scx));
    let jsonata = scx.jsonata();
    let timeout_seconds = fields
        .take("TimeoutSeconds")
        .and_then(|m| reader::dyn_number(cx, m, scx.field("TimeoutSeconds"), jsonata));
    let heartbeat_seconds = fields
        .take("HeartbeatSeconds")
        .and_then(|m| reader::dyn_number(cx, m, scx.field("HeartbeatSeconds"), jsonata));
    let timeout_seconds_path =
        fields.take("TimeoutSecondsPath").and_then(|m| reader::expr(cx, m, scx.field("TimeoutSecondsPath")));
    let heartbeat_seconds_path = fields
        .take("HeartbeatSecondsPath")
        .and_then(|m| reader::expr(cx, m, scx.field("HeartbeatSecondsPath")));
    Task {
        resource,
        credentials,
        timeout_seconds,
        timeout_seconds_path,
        heartbeat_seconds,
        heartbeat_seconds_path,
    }
}

fn lower_credentials(cx: &mut Cx, member: &Member, scx: &StateCx) -> Option<Credentials> {
    let pointer = String::from(scx.field("Credentials"));
    if member.value.is_null() {
        cx.error(S_FIELD_NULL, member.value.range, &pointer, "`Credentials` cannot be `null`")
            .label("expected an object with `RoleArn`")
            .help("remove `Credentials`, or give `{ \"RoleArn\": \"arn:aws:iam::…:role/…\" }`");
        return None;
    }
    let node = reader::object(cx, member, &pointer)?;
    let template = template::lower_template(cx, node, &pointer, scx.jsonata());
    let role_arn = match &template {
        Template::Literal(n) => n.get("RoleArn").map(|v| Template::Literal(v.clone())),
        Template::Object { members, .. } => {
            members.iter().find(|m| &*m.output_key == "RoleArn").map(|m| m.value.clone())
        }
        _ => None,
    };
    Some(Credentials { range: node.range, role_arn, object: template })
}

fn lower_wait(cx: &mut Cx, fields: &mut Fields, scx: &StateCx) -> Wait {
    let jsonata = scx.jsonata();
    Wait {
        seconds: fields
            .take("Seconds")
            .and_then(|m| reader::dyn_number(cx, m, scx.field("Seconds"), jsonata)),
        timestamp: fields
            .take("Timestamp")
            .and_then(|m| reader::dyn_string(cx, m, scx.field("Timestamp"), jsonata)),
        seconds_path: fields.take("SecondsPath").and_then(|m| reader::expr(cx, m, scx.field("SecondsPath"))),
        timestamp_path: fields
            .take("TimestampPath")
            .and_then(|m| reader::expr(cx, m, scx.field("TimestampPath"))),
    }
}

fn lower_fail(cx: &mut Cx, fields: &mut Fields, scx: &StateCx) -> Fail {
    let jsonata = scx.jsonata();
    Fail {
        error: fields.take("Error").and_then(|m| reader::dyn_string(cx, m, scx.field("Error"), jsonata)),
        cause: fields.take("Cause").and_then(|m| reader::dyn_string(cx, m, scx.field("Cause"), jsonata)),
        error_path: fields.take("ErrorPath").and_then(|m| reader::expr(cx, m, scx.field("ErrorPath"))),
        cause_path: fields.take("CausePath").and_then(|m| reader::expr(cx, m, scx.field("CausePath"))),
    }
}

fn lower_parallel(cx: &mut Cx, fields: &mut Fields, scx: &StateCx) -> Parallel {
    let mut parallel = Parallel::default();
    let Some(member) = fields.take("Branches") else { return parallel };
    let pointer = String::from(scx.field("Branches"));
    let Some(items) = reader::array(cx, member, &pointer) else { return parallel };
    parallel.branches_range = Some(member.value.range);
    if items.is_empty() {
        cx.error(R_PAR_BRANCHES, member.value.range, &pointer, "`Branches` is empty")
            .label("a Parallel state needs at least one branch")
            .help("add a branch `{ \"StartAt\": …, \"States\": { … } }`")
            .aws("SCHEMA_VALIDATION_FAILED", "Value cannot be empty");
    }
    for (i, branch) in items.iter().enumerate() {
        let branch_pointer = crate::pointer::at(&pointer, i);
        if let Some(scope) =
            nested_scope(cx, branch, &branch_pointer, ScopeKind::Branch(i as u32), scx, R_PAR_BRANCH_SHAPE)
        {
            parallel.branches.push(scope);
        }
    }
    parallel
}

/// Lowers a branch or processor object into a scope, reporting its shape.
fn nested_scope(
    cx: &mut Cx,
    node: &Node,
    pointer: &str,
    kind: ScopeKind,
    scx: &StateCx,
    shape_code: &'static str,
) -> Option<ScopeId> {
    let what = match kind {
        ScopeKind::Branch(_) => "a branch",
        ScopeKind::Iterator => "`Iterator`",
        _ => "`ItemProcessor`",
    };
    let Some(members) = node.as_object() else {
        cx.error(
            shape_code,
            node.range,
            pointer,
            format!("{what} must be an object, not {}", crate::lower::reader::article(node.type_name())),
        )
        .label("expected `{ \"StartAt\": …, \"States\": { … } }`")
        .help("write it as a nested state machine with `StartAt` and `States`");
        return None;
    };
    if scx.depth + 1 > super::MAX_SCOPE_DEPTH {
        cx.error(
            super::S_NESTING_DEPTH,
            node.range,
            pointer,
            format!("branches and processors nest deeper than {} levels", super::MAX_SCOPE_DEPTH),
        )
        .label("too deeply nested")
        .help("split the work into child state machines started with `states:startExecution`");
        return None;
    }
    let mut fields = Fields::new(members);
    let start_at = fields.take("StartAt");
    let states = fields.take("States");
    super::report_missing_scope_fields(
        cx,
        shape_code,
        node,
        pointer,
        what,
        (start_at.is_some(), states.is_some()),
        "a nested state machine needs `StartAt` and `States`",
    );
    let comment =
        fields.take("Comment").and_then(|m| super::comment(cx, m, crate::pointer::field(pointer, "Comment")));
    let processor_config = if matches!(kind, ScopeKind::ItemProcessor | ScopeKind::Iterator) {
        fields
            .take("ProcessorConfig")
            .and_then(|m| lower_processor_config(cx, m, &crate::pointer::join(pointer, "ProcessorConfig")))
    } else {
        None
    };
    let leftovers: Vec<&Member> = fields.remaining().collect();
    for m in &leftovers {
        let key = &*m.key.text;
        let code = if key == "QueryLanguage" && matches!(kind, ScopeKind::ItemProcessor | ScopeKind::Iterator)
        {
            QL_NESTED_ROOT
        } else {
            shape_code
        };
        let candidates: &[&str] = if matches!(kind, ScopeKind::ItemProcessor | ScopeKind::Iterator) {
            &["StartAt", "States", "Comment", "ProcessorConfig"]
        } else {
            &["StartAt", "States", "Comment"]
        };
        let help = if key == "QueryLanguage" {
            "set `QueryLanguage` on the states inside, or on the whole machine".to_string()
        } else {
            super::suggest_help(key, candidates, "remove it")
        };
        cx.error(code, m.key_range, pointer, format!("{what} cannot have `{key}`"))
            .label("not a field of a nested state machine")
            .help(help)
            .aws("SCHEMA_VALIDATION_FAILED", format!("Field '{key}' is not supported"));
    }
    let extra = fields.into_extra();
    let distributed =
        processor_config.as_ref().and_then(|c| c.mode.as_ref()).is_some_and(|m| &*m.value == "DISTRIBUTED");
    cx.distributed_depth += u32::from(distributed);
    let scope = super::lower_scope(
        cx,
        kind,
        Some(scx.id),
        node,
        start_at,
        states,
        pointer.to_string(),
        scx.depth + 1,
    );
    cx.distributed_depth -= u32::from(distributed);
    let s = &mut cx.def.scopes[scope.0 as usize];
    s.comment = comment;
    s.processor_config = processor_config;
    s.extra = extra;
    Some(scope)
}

fn lower_processor_config(cx: &mut Cx, member: &Member, pointer: &str) -> Option<ProcessorConfig> {
    let node = reader::object(cx, member, pointer)?;
    let mut fields = Fields::new(node.as_object().unwrap_or_default());
    let mode =
        fields.take("Mode").and_then(|m| reader::string(cx, m, crate::pointer::field(pointer, "Mode")));
    let execution_type = fields
        .take("ExecutionType")
        .and_then(|m| reader::string(cx, m, crate::pointer::field(pointer, "ExecutionType")));
    reader::report_unknown(
        cx,
        &fields,
        S_FIELD_ALLOWED,
        pointer,
        "`ProcessorConfig`",
        &["Mode", "ExecutionType"],
    );
    Some(ProcessorConfig { range: node.range, mode, execution_type })
}

fn lower_map(cx: &mut Cx, fields: &mut Fields, scx: &StateCx) -> Map {
    let jsonata = scx.jsonata();
    let mut map = Map::default();
    let processor = fields.take("ItemProcessor");
    let iterator = fields.take("Iterator");
    if let (Some(_), Some(it)) = (processor, iterator) {
        cx.error(
            R_MAP_PROCESSOR,
            it.key_range,
            scx.pointer,
            "a Map state cannot have both `ItemProcessor` and `Iterator`",
        )
        .label("`Iterator` is the deprecated name of `ItemProcessor`")
        .help("keep only `ItemProcessor`")
        .aws(
            "SCHEMA_VALIDATION_FAILED",
            "There should only be one of the following fields: [ItemProcessor, Iterator]",
        );
    }
    if let Some(m) = processor {
        map.processor = nested_scope(
            cx,
            &m.value,
            &String::from(scx.field("ItemProcessor")),
            ScopeKind::ItemProcessor,
            scx,
            R_MAP_PROCESSOR,
        );
    } else if let Some(m) = iterator {
        map.processor = nested_scope(
            cx,
            &m.value,
            &String::from(scx.field("Iterator")),
            ScopeKind::Iterator,
            scx,
            R_MAP_PROCESSOR,
        );
    }
    map.items_path = fields.take("ItemsPath").and_then(|m| reader::expr(cx, m, scx.field("ItemsPath")));
    map.items =
        fields.take("Items").map(|m| template::lower_value(cx, &m.value, scx.field("Items"), jsonata));
    if let Some(m) = fields.take("ItemSelector") {
        if fields.has("Parameters") && !jsonata {
            cx.error(
                R_MAP_SELECTOR_EXCL,
                m.key_range,
                scx.pointer,
                "a Map state cannot have both `ItemSelector` and `Parameters`",
            )
            .label("`Parameters` is the deprecated name of `ItemSelector`")
            .help("keep only `ItemSelector`")
            .aws(
                "SCHEMA_VALIDATION_FAILED",
                "There should only be one of the following fields: [ItemSelector, Parameters]",
            );
        }
        map.item_selector = template::lower_object_template(cx, m, scx.field("ItemSelector"), jsonata);
    }
    let num = |cx: &mut Cx, fields: &mut Fields, key: &str| {
        fields.take(key).and_then(|m| reader::dyn_number(cx, m, scx.field(key), jsonata))
    };
    map.max_concurrency = num(cx, fields, "MaxConcurrency");
    map.tolerated_failure_percentage = num(cx, fields, "ToleratedFailurePercentage");
    map.tolerated_failure_count = num(cx, fields, "ToleratedFailureCount");
    let path = |cx: &mut Cx, fields: &mut Fields, key: &str| {
        fields.take(key).and_then(|m| reader::expr(cx, m, scx.field(key)))
    };
    map.max_concurrency_path = path(cx, fields, "MaxConcurrencyPath");
    map.tolerated_failure_percentage_path = path(cx, fields, "ToleratedFailurePercentagePath");
    map.tolerated_failure_count_path = path(cx, fields, "ToleratedFailureCountPath");
    map.item_reader = fields.take("ItemReader").and_then(|m| distributed::lower_item_reader(cx, m, scx));
    map.item_batcher = fields.take("ItemBatcher").and_then(|m| distributed::lower_item_batcher(cx, m, scx));
    map.result_writer =
        fields.take("ResultWriter").and_then(|m| distributed::lower_result_writer(cx, m, scx));
    map.label = fields.take("Label").and_then(|m| reader::string(cx, m, scx.field("Label")));
    let _ = S_FIELD_TYPE;
    map
}
