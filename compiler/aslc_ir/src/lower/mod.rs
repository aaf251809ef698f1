//! Lowering: a spanned [`Node`] tree to the typed IR, reporting every structural problem
//! (unknown fields, wrong types, misplaced fields, missing required fields) on the way.
//!
//! Lowering never fails: whatever is malformed is reported and left out of the typed
//! fields (kept as [`Extra`](crate::ir::Extra) where a printer may need it), so later
//! checks run on whatever could be understood.

pub(crate) mod choice;
pub(crate) mod distributed;
pub(crate) mod errors;
pub(crate) mod reader;
pub(crate) mod state;
pub(crate) mod template;

use aslc_source::{Diagnostic, FileId, TextRange};
use aslc_syntax::{Node, NodeValue};
use rustc_hash::FxHashMap;

use crate::ir::{Definition, QueryLanguage, Scope, ScopeId, ScopeKind, Spanned, StateId, StateKind, Text};
use crate::pointer::Pointer;
use crate::rules::declare_rules;
use reader::Fields;

declare_rules! { @spec "structure.md";
    /// ## What it does
    /// Reports a definition whose top-level value is not an object.
    ///
    /// ## Why is this bad?
    /// A state machine is one JSON object with `StartAt` and `States`; AWS answers
    /// `Definition must be a valid JSON object`.
    ///
    /// ## Example
    /// ```json
    /// ["StartAt", "A"]
    /// ```
    /// ## Use instead
    /// ```json
    /// { "StartAt": "A", "States": { "A": { "Type": "Succeed" } } }
    /// ```
    S_JSON_OBJECT = "S-JSON-OBJECT", Error, Some("SCHEMA_VALIDATION_FAILED"), "the top-level value is an object";
    /// ## What it does
    /// Reports a definition without `StartAt` or `States`.
    ///
    /// ## Why is this bad?
    /// Without them there is nothing to run; AWS answers
    /// `These fields are required: [States, StartAt]`.
    ///
    /// ## Example
    /// ```json
    /// { "States": { "A": { "Type": "Succeed" } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "StartAt": "A", "States": { "A": { "Type": "Succeed" } } }
    /// ```
    S_ROOT_REQUIRED = "S-ROOT-REQUIRED", Error, Some("SCHEMA_VALIDATION_FAILED"), "`StartAt` and `States` are present";
    /// ## What it does
    /// Reports a top-level field other than `StartAt`, `States`, `Comment`, `Version`,
    /// `TimeoutSeconds` and `QueryLanguage`.
    ///
    /// ## Why is this bad?
    /// AWS rejects unknown fields (`Field '<name>' is not supported`); usually the field is
    /// misspelt or belongs to a state.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "A", "Timeout": 60, "States": { "A": { "Type": "Succeed" } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "StartAt": "A", "TimeoutSeconds": 60, "States": { "A": { "Type": "Succeed" } } }
    /// ```
    S_ROOT_FIELDS = "S-ROOT-FIELDS", Error, Some("SCHEMA_VALIDATION_FAILED"), "no top-level field other than the six of the spec";
    /// ## What it does
    /// Reports a `States` that is not an object, or a state that is not an object.
    ///
    /// ## Why is this bad?
    /// `States` maps state names to state objects; anything else cannot run.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "A", "States": [ { "Type": "Succeed" } ] }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "StartAt": "A", "States": { "A": { "Type": "Succeed" } } }
    /// ```
    S_STATES_OBJECT = "S-STATES-OBJECT", Error, Some("SCHEMA_VALIDATION_FAILED"), "`States` is an object and every member value is an object";
    /// ## What it does
    /// Reports an empty `States` object.
    ///
    /// ## Why is this bad?
    /// `StartAt` must name one of its states, so an empty `States` can never be valid.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "A", "States": {} }
    /// ```
    /// ## Use instead
    /// Add the state `StartAt` names.
    S_STATES_NONEMPTY = "S-STATES-NONEMPTY", Error, Some("MISSING_TRANSITION_TARGET"), "`States` has at least one member";
    /// ## What it does
    /// Reports a `Version` other than `"1.0"`.
    ///
    /// ## Why is this bad?
    /// `1.0` is the only version of the Amazon States Language.
    ///
    /// ## Example
    /// ```json
    /// { "Version": "2.0", "StartAt": "A", "States": { "A": { "Type": "Succeed" } } }
    /// ```
    /// ## Use instead
    /// Remove `Version` or set it to `"1.0"`.
    S_VERSION = "S-VERSION", Error, Some("SCHEMA_VALIDATION_FAILED"), "`Version`, when present, is the string `\"1.0\"`";
    /// ## What it does
    /// Reports a top-level `TimeoutSeconds` that is not an integer in 0 … 99,999,999.
    ///
    /// ## Why is this bad?
    /// AWS's schema bounds the execution timeout; other values are rejected.
    ///
    /// ## Example
    /// ```json
    /// { "TimeoutSeconds": 1.5, "StartAt": "A", "States": { "A": { "Type": "Succeed" } } }
    /// ```
    /// ## Use instead
    /// A whole number of seconds, e.g. `"TimeoutSeconds": 3600`.
    S_TIMEOUT = "S-TIMEOUT", Error, Some("SCHEMA_VALIDATION_FAILED"), "`TimeoutSeconds` is an integer in 0 … 99,999,999";
    /// ## What it does
    /// Reports a `QueryLanguage` other than `"JSONPath"` or `"JSONata"`.
    ///
    /// ## Why is this bad?
    /// AWS accepts exactly those two spellings (case-sensitive).
    ///
    /// ## Example
    /// ```json
    /// { "QueryLanguage": "jsonata", … }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "QueryLanguage": "JSONata", … }
    /// ```
    QL_VALUE = "QL-VALUE", Error, Some("SCHEMA_VALIDATION_FAILED"), "a `QueryLanguage` value is exactly `\"JSONPath\"` or `\"JSONata\"`";
    /// ## What it does
    /// Reports a field of the wrong JSON type: `End` that is not a boolean, `Next` that is
    /// not a string, `Retry` that is not an array, …
    ///
    /// ## Why is this bad?
    /// AWS's schema rejects it.
    ///
    /// ## Example
    /// ```json
    /// { "Type": "Pass", "End": "true" }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "Type": "Pass", "End": true }
    /// ```
    S_FIELD_TYPE = "S-FIELD-TYPE", Error, Some("SCHEMA_VALIDATION_FAILED"), "every field has the JSON type the spec gives it";
    /// ## What it does
    /// Reports a `Comment` that is not a string.
    ///
    /// ## Why is this bad?
    /// Comments are free text; AWS's schema types them as strings.
    ///
    /// ## Example
    /// ```json
    /// { "Type": "Succeed", "Comment": ["done"] }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "Type": "Succeed", "Comment": "done" }
    /// ```
    S_COMMENT = "S-COMMENT", Error, Some("SCHEMA_VALIDATION_FAILED"), "`Comment`, wherever allowed, is a string";
    /// ## What it does
    /// Reports an empty string where a name is needed: `StartAt`, `Next`, `Default`,
    /// `Type`, `Resource`.
    ///
    /// ## Why is this bad?
    /// No state is called `""`, and an empty resource cannot be invoked.
    ///
    /// ## Example
    /// ```json
    /// { "Type": "Pass", "Next": "" }
    /// ```
    /// ## Use instead
    /// Name an existing state.
    S_STRING_NONEMPTY = "S-STRING-NONEMPTY", Error, Some("SCHEMA_VALIDATION_FAILED"), "names and targets are non-empty strings";
    /// ## What it does
    /// Reports Parallel branches and Map processors nested deeper than AWS allows.
    ///
    /// ## Why is this bad?
    /// AWS answers `TOO_DEEPLY_NESTED`. aslc stops descending at 40 levels of nested
    /// scopes, far beyond any real workflow.
    ///
    /// ## Use instead
    /// Split the work into child state machines (`states:startExecution`).
    S_NESTING_DEPTH = "S-NESTING-DEPTH", Error, Some("TOO_DEEPLY_NESTED"), "nesting of branches and processors stays within AWS's limit";
}

/// The deepest scope nesting aslc lowers; deeper scopes are reported and skipped.
pub const MAX_SCOPE_DEPTH: u32 = 40;

/// Lowering state shared by every lowering function.
pub(crate) struct Cx {
    pub(crate) file: FileId,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) def: Definition,
    /// How many Distributed Map processors enclose the scope being lowered.
    pub(crate) distributed_depth: u32,
}

impl Cx {
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub(crate) fn error(
        &mut self,
        code: &'static str,
        range: TextRange,
        pointer: impl Pointer,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic::error(code, self.file, range, message).at(pointer));
        self.diagnostics.last_mut().expect("just pushed")
    }

    pub(crate) fn warning(
        &mut self,
        code: &'static str,
        range: TextRange,
        pointer: impl Pointer,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic::warning(code, self.file, range, message).at(pointer));
        self.diagnostics.last_mut().expect("just pushed")
    }
}

/// Adds a help line to a diagnostic pushed through [`Cx::error`].
pub(crate) trait DiagExt {
    fn help(&mut self, help: impl Into<String>) -> &mut Self;
    fn label(&mut self, label: impl Into<String>) -> &mut Self;
    fn aws(&mut self, code: &'static str, message: impl Into<String>) -> &mut Self;
}

impl DiagExt for Diagnostic {
    fn help(&mut self, help: impl Into<String>) -> &mut Self {
        self.help = Some(help.into());
        self
    }
    fn label(&mut self, label: impl Into<String>) -> &mut Self {
        self.primary.message = label.into();
        self
    }
    fn aws(&mut self, code: &'static str, message: impl Into<String>) -> &mut Self {
        self.aws = Some(aslc_source::AwsInfo { code, message: Some(message.into()) });
        self
    }
}

/// Lowers a definition tree. Returns `None` (with a diagnostic) when the tree is not an
/// object at all.
pub fn lower(root: &Node, file: FileId) -> (Option<Definition>, Vec<Diagnostic>) {
    let Some(members) = root.as_object() else {
        let diagnostic = Diagnostic::error(
            S_JSON_OBJECT,
            file,
            root.range,
            format!(
                "a definition must be a JSON object, not {}",
                crate::lower::reader::article(root.type_name())
            ),
        )
        .with_label("expected an object with `StartAt` and `States`")
        .with_help("write the state machine as `{ \"StartAt\": …, \"States\": { … } }`")
        .with_aws("SCHEMA_VALIDATION_FAILED", Some("Definition must be a valid JSON object".into()));
        return (None, vec![diagnostic]);
    };
    let def = Definition::empty(file, root.range, QueryLanguage::JsonPath);
    let mut cx = Cx { file, diagnostics: Vec::new(), def, distributed_depth: 0 };
    let mut fields = Fields::new(members);

    if let Some(member) = fields.take("QueryLanguage") {
        if let Some(ql) = query_language(&mut cx, member, "/QueryLanguage") {
            cx.def.query_language = ql.value;
            cx.def.query_language_field = Some(ql);
        }
    }
    if let Some(member) = fields.take("Comment") {
        cx.def.comment = comment(&mut cx, member, "/Comment");
    }
    if let Some(member) = fields.take("Version") {
        if let Some(version) = reader::string(&mut cx, member, "/Version") {
            if &*version.value != "1.0" {
                cx.error(
                    S_VERSION,
                    version.range,
                    "/Version",
                    format!("unknown `Version` `{}`", version.value),
                )
                .label("the only version of the language is \"1.0\"")
                .help("remove `Version` or set it to \"1.0\"");
            }
            cx.def.version = Some(version);
        }
    }
    if let Some(member) = fields.take("TimeoutSeconds") {
        if let Some(timeout) = reader::number(&mut cx, member, "/TimeoutSeconds") {
            if !timeout.value.integer_in(0, 99_999_999) {
                cx.error(
                    S_TIMEOUT,
                    timeout.range,
                    "/TimeoutSeconds",
                    format!("`TimeoutSeconds` {} is out of range", timeout.value),
                )
                .label("expected a whole number of seconds from 0 to 99999999")
                .help("use an integer number of seconds no greater than 99999999");
            }
            cx.def.timeout_seconds = Some(timeout);
        }
    }

    let start_at = fields.take("StartAt");
    let states = fields.take("States");
    report_missing_scope_fields(
        &mut cx,
        S_ROOT_REQUIRED,
        root,
        "/",
        "the definition",
        (start_at.is_some(), states.is_some()),
        "a state machine needs `StartAt` (the first state) and `States` (every state by name)",
    );

    for member in fields.remaining() {
        cx.error(
            S_ROOT_FIELDS,
            member.key_range,
            "/",
            format!("unknown top-level field `{}`", member.key.text),
        )
        .label("not a field of a state machine")
        .help(suggest_help(
            &member.key.text,
            &["StartAt", "States", "Comment", "Version", "TimeoutSeconds", "QueryLanguage"],
            "remove it",
        ))
        .aws("SCHEMA_VALIDATION_FAILED", format!("Field '{}' is not supported", member.key.text));
    }
    cx.def.extra = fields.into_extra();

    lower_scope(&mut cx, ScopeKind::Root, None, root, start_at, states, String::new(), 0);
    let Cx { diagnostics, def, .. } = cx;
    (Some(def), diagnostics)
}

/// Reports a scope object (the definition, a branch, a processor) that lacks `StartAt` or
/// `States` (`present` says which it has), in AWS's "These fields are required" form.
pub(crate) fn report_missing_scope_fields(
    cx: &mut Cx,
    code: &'static str,
    object: &Node,
    pointer: &str,
    what: &str,
    present: (bool, bool),
    help: &str,
) {
    let (has_start_at, has_states) = present;
    let missing: Vec<&str> =
        [("States", !has_states), ("StartAt", !has_start_at)].iter().filter(|m| m.1).map(|m| m.0).collect();
    if missing.is_empty() {
        return;
    }
    let list = missing.join(", ");
    let named = missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(" or ");
    cx.error(code, object.range.start_point(), pointer, format!("{what} has no {named}"))
        .label(format!("missing {list}"))
        .help(help)
        .aws("SCHEMA_VALIDATION_FAILED", format!("These fields are required: [{list}]"));
}

/// How many states and scopes a definition holds, counted ahead of lowering so that the
/// arenas are sized once and never copied into larger ones.
#[derive(Default)]
struct Sizes {
    states: usize,
    scopes: usize,
}

impl Sizes {
    /// Counts a scope whose `States` object has `members`, and the Parallel branches and Map
    /// processors inside it. Anything that is not shaped like a scope counts for nothing
    /// here (lowering reports it).
    fn count_scope(&mut self, members: &[aslc_syntax::Member]) {
        self.scopes += 1;
        self.states += members.len();
        for field in members.iter().filter_map(|member| member.value.as_object()).flatten() {
            match field.key.text.as_str() {
                "Branches" => {
                    field.value.as_array().unwrap_or_default().iter().for_each(|b| self.count_nested(b))
                }
                "ItemProcessor" | "Iterator" => self.count_nested(&field.value),
                _ => {}
            }
        }
    }

    /// Counts a nested scope object (`{"StartAt": …, "States": {…}}`).
    fn count_nested(&mut self, scope: &Node) {
        if let Some(members) = scope.get("States").and_then(Node::as_object) {
            self.count_scope(members);
        }
    }
}

/// Lowers one `StartAt` + `States` pair and, recursively, every scope inside it.
#[allow(clippy::too_many_arguments)]
pub(crate) fn lower_scope(
    cx: &mut Cx,
    kind: ScopeKind,
    parent: Option<StateId>,
    object: &Node,
    start_at: Option<&aslc_syntax::Member>,
    states: Option<&aslc_syntax::Member>,
    pointer: String,
    depth: u32,
) -> ScopeId {
    let scope_id = ScopeId(cx.def.scopes.len() as u32);
    let start_at = start_at.and_then(|m| {
        let name = reader::string(cx, m, crate::pointer::field(&pointer, "StartAt"))?;
        if name.value.is_empty() {
            cx.error(
                S_STRING_NONEMPTY,
                name.range,
                crate::pointer::field(&pointer, "StartAt"),
                "`StartAt` is empty",
            )
            .help("name the first state to run");
        }
        Some(name)
    });
    let states_range = states.map_or(object.range, |m| m.value.range);
    let states_key_range = states.map_or(object.range.start_point(), |m| m.key_range);
    cx.def.scopes.push(Scope {
        kind,
        parent,
        start_at,
        comment: None,
        states: Vec::new(),
        by_name: FxHashMap::default(),
        range: object.range,
        states_range,
        states_key_range,
        pointer: pointer.clone(),
        depth,
        processor_config: None,
        extra: Vec::new(),
    });
    let Some(states) = states else { return scope_id };
    let Some(members) = states.value.as_object() else {
        cx.error(
            S_STATES_OBJECT,
            states.value.range,
            crate::pointer::field(&pointer, "States"),
            format!(
                "`States` must be an object, not {}",
                crate::lower::reader::article(states.value.type_name())
            ),
        )
        .label("expected an object mapping state names to states")
        .help("write `\"States\": { \"Name\": { \"Type\": … } }`");
        return scope_id;
    };
    if members.is_empty() {
        cx.error(
            S_STATES_NONEMPTY,
            states.value.range,
            crate::pointer::field(&pointer, "States"),
            "`States` is empty",
        )
        .label("a state machine needs at least one state")
        .help("add the state that `StartAt` names");
    }
    // Every member is a state of the scope (the invalid ones are skipped).
    let scope = &mut cx.def.scopes[scope_id.0 as usize];
    scope.states.reserve_exact(members.len());
    scope.by_name.reserve(members.len());
    // States and scopes are large: their arenas are sized once, for the whole definition.
    if depth == 0 {
        let mut sizes = Sizes::default();
        sizes.count_scope(members);
        cx.def.states.reserve_exact(sizes.states);
        // This scope is in already.
        cx.def.scopes.reserve_exact(sizes.scopes - 1);
    }
    for member in members {
        let state_pointer = [pointer.as_ref(), "/States/", member.key.text.as_str()].concat();
        if !matches!(member.value.value, NodeValue::Object(_)) {
            cx.error(
                S_STATES_OBJECT,
                member.value.range,
                &state_pointer,
                format!("state `{}` must be an object, not {}", member.key.text, member.value.type_name()),
            )
            .label("expected a state object with a `Type`")
            .help("write the state as `{ \"Type\": …, … }`");
            continue;
        }
        let state_id = state::lower_state(cx, scope_id, member, state_pointer, depth);
        let scope = &mut cx.def.scopes[scope_id.0 as usize];
        scope.states.push(state_id);
        scope.by_name.entry(member.key.text.clone()).or_insert(state_id);
    }
    scope_id
}

/// Reads a `QueryLanguage` field (`QL-VALUE`). Any value other than the exact string
/// `JSONPath` counts as JSONata afterwards, as AWS does (structure.md §5).
pub(crate) fn query_language(
    cx: &mut Cx,
    member: &aslc_syntax::Member,
    pointer: impl Pointer,
) -> Option<Spanned<QueryLanguage>> {
    let value = reader::string(cx, member, pointer)?;
    let ql = match &*value.value {
        "JSONPath" => QueryLanguage::JsonPath,
        "JSONata" => QueryLanguage::Jsonata,
        other => {
            let suggestion = if other.eq_ignore_ascii_case("jsonpath") {
                "write `\"JSONPath\"` (the value is case-sensitive)"
            } else if other.eq_ignore_ascii_case("jsonata") {
                "write `\"JSONata\"` (the value is case-sensitive)"
            } else {
                "use `\"JSONPath\"` or `\"JSONata\"`"
            };
            cx.error(QL_VALUE, value.range, pointer, format!("unknown query language `{other}`"))
                .label("expected \"JSONPath\" or \"JSONata\"")
                .help(suggestion)
                .aws(
                    "SCHEMA_VALIDATION_FAILED",
                    "The field 'QueryLanguage' should have one of these values: [JSONPath, JSONata]",
                );
            QueryLanguage::Jsonata
        }
    };
    Some(Spanned::new(ql, value.range))
}

/// Reads a `Comment` field (`S-COMMENT`).
pub(crate) fn comment(
    cx: &mut Cx,
    member: &aslc_syntax::Member,
    pointer: impl Pointer,
) -> Option<Spanned<Text>> {
    match member.value.as_str() {
        Some(text) => Some(Spanned::new(text.into(), member.value.range)),
        None => {
            cx.error(
                S_COMMENT,
                member.value.range,
                pointer,
                format!(
                    "`Comment` must be a string, not {}",
                    crate::lower::reader::article(member.value.type_name())
                ),
            )
            .label("expected a string")
            .help("write the comment as a JSON string");
            None
        }
    }
}

/// A help line suggesting the nearest of `candidates` to a misspelt `name`.
pub(crate) fn suggest_help(name: &str, candidates: &[&str], otherwise: &str) -> String {
    match nearest(name, candidates) {
        Some(best) => format!("did you mean `{best}`?"),
        None => otherwise.to_string(),
    }
}

/// The candidate closest to `name` by edit distance, if close enough to be a typo.
pub(crate) fn nearest<'c>(name: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let lower = name.to_ascii_lowercase();
    candidates
        .iter()
        .map(|c| (edit_distance(&lower, &c.to_ascii_lowercase()), *c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Lowers state `id` of `def` again from `member`, its new `"Name": { … }` member, in the
/// context the rest of the definition gives it (scope, query language, enclosing
/// Distributed Maps); returns the lowering diagnostics of the state, as [`lower`] reports
/// them.
///
/// Only a state that holds no scope, before and after, can be lowered on its own: the
/// scopes of a Parallel or Map state take ids after it, which would shift the ids of every
/// later state. Returns `None`, leaving `def` unchanged, when the old or the new state
/// holds scopes, when the member is not an object, or when its name is not the state's.
pub fn relower_state(
    def: &mut Definition,
    id: StateId,
    member: &aslc_syntax::Member,
) -> Option<Vec<Diagnostic>> {
    let old = def.states.get(id.0 as usize)?;
    let holds_scopes = |kind: &StateKind| matches!(kind, StateKind::Parallel(_) | StateKind::Map(_));
    if holds_scopes(&old.kind)
        || !matches!(member.value.value, NodeValue::Object(_))
        || *old.name.value != *member.key.text
    {
        return None;
    }
    let scope = def.scopes.get(old.scope.0 as usize)?;
    let depth = scope.depth;
    // As `lower_scope` counts them: the processors in `DISTRIBUTED` mode around the scope.
    let mut distributed_depth = 0;
    let mut current = Some(old.scope);
    let mut steps = 0;
    while let (Some(scope_id), true) = (current, steps <= MAX_SCOPE_DEPTH) {
        let scope = def.scopes.get(scope_id.0 as usize)?;
        let distributed = scope
            .processor_config
            .as_ref()
            .and_then(|c| c.mode.as_ref())
            .is_some_and(|mode| &*mode.value == "DISTRIBUTED");
        distributed_depth += u32::from(distributed);
        current = scope.parent.and_then(|parent| def.states.get(parent.0 as usize)).map(|s| s.scope);
        steps += 1;
    }
    let alone = Definition::empty(def.file, def.range, def.query_language);
    let mut cx = Cx { file: def.file, diagnostics: Vec::new(), def: alone, distributed_depth };
    let pointer = old.pointer.clone();
    state::lower_state(&mut cx, old.scope, member, pointer, depth);
    let Cx { def: alone, mut diagnostics, .. } = cx;
    let [new] = <[crate::ir::State; 1]>::try_from(alone.states).ok()?;
    if !alone.scopes.is_empty() || holds_scopes(&new.kind) {
        return None;
    }
    def.states[id.0 as usize] = new;
    crate::rules::fill_aws_codes(&mut diagnostics);
    Some(diagnostics)
}
