//! Lowering (dsl.md §8): a parsed `.asld` file to the spanned ASL tree.
//!
//! The target is the same [`Node`] tree the JSON and YAML readers produce, with every key
//! and value spanned into the `.asld` text. So `aslc_ir::check` runs every spec rule on a
//! DSL file and reports at DSL spans, and one printer writes ASL whatever the source was.
//! Generated members with no text of their own (an implicit `Next`, a `Type`) point at
//! the state header.
//!
//! Lowering never invents states and never refuses what ASL can express: an unknown `goto`
//! target or a clause the state kind does not allow lowers faithfully and is left to the
//! spec checks. Only DSL with no ASL meaning is reported here.

use aslc_source::{Diagnostic, FileId, TextRange};
use aslc_syntax::{Member as NodeMember, Node, NodeValue, Str};
use rustc_hash::FxHashMap;

use crate::ast::*;
use crate::rules::*;

/// The position of a state member in the emission order of dsl.md §5; unknown members
/// come last.
fn state_rank(key: &str) -> usize {
    match key {
        "Type" => 0,
        "Comment" => 1,
        "QueryLanguage" => 2,
        "Resource" => 3,
        "Credentials" => 4,
        "Error" => 5,
        "ErrorPath" => 6,
        "Cause" => 7,
        "CausePath" => 8,
        "Seconds" => 9,
        "SecondsPath" => 10,
        "Timestamp" => 11,
        "TimestampPath" => 12,
        "InputPath" => 13,
        "ItemsPath" => 14,
        "Items" => 15,
        "ItemReader" => 16,
        "Parameters" => 17,
        "Arguments" => 18,
        "ItemSelector" => 19,
        "ItemBatcher" => 20,
        "MaxConcurrency" => 21,
        "MaxConcurrencyPath" => 22,
        "ToleratedFailurePercentage" => 23,
        "ToleratedFailurePercentagePath" => 24,
        "ToleratedFailureCount" => 25,
        "ToleratedFailureCountPath" => 26,
        "Label" => 27,
        "Choices" => 28,
        "Default" => 29,
        "Branches" => 30,
        "ItemProcessor" => 31,
        "Iterator" => 32,
        "ResultWriter" => 33,
        "Result" => 34,
        "TimeoutSeconds" => 35,
        "TimeoutSecondsPath" => 36,
        "HeartbeatSeconds" => 37,
        "HeartbeatSecondsPath" => 38,
        "ResultSelector" => 39,
        "ResultPath" => 40,
        "OutputPath" => 41,
        "Output" => 42,
        "Assign" => 43,
        "Retry" => 44,
        "Catch" => 45,
        "Next" => 46,
        "End" => 47,
        _ => 48,
    }
}

/// Where a sequence continues after its last statement.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Flow<'a> {
    /// The state named so.
    Name(&'a str, TextRange),
    /// The run of the scope ends.
    End,
}

impl<'a> Flow<'a> {
    pub(crate) fn name(&self) -> Option<&'a str> {
        match self {
            Flow::Name(n, _) => Some(n),
            Flow::End => None,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum EdgeKind {
    Fallthrough,
    Explicit,
    Catch,
}

struct Edge {
    from_name: String,
    from: TextRange,
    to: String,
    kind: EdgeKind,
}

/// Lowers `file` to the ASL definition tree.
pub fn lower(file: &File, file_id: FileId, source_len: u32) -> (Node, Vec<Diagnostic>) {
    let mut lowerer = Lowerer::new(file_id, None);
    for policy in &file.policies {
        lowerer.policies.entry(policy.name.text.as_str()).or_insert(policy);
    }
    let node = lowerer.machine(file, source_len);
    (node, lowerer.diagnostics)
}

/// Lowers a decompiled `file` to check it against the definition it came from, leaving
/// out the values: each value (a clause's, an option's, a `raw` member's, a comparison's
/// operand) lowers to a placeholder `null` at `0..i + 1` for the `i`-th value of the
/// returned list, to be compared with the definition by [`value_lowers_to`]. Nothing in a
/// verification tree has a range of its own (a decompiled file is synthetic, at `0..0`
/// throughout), so placeholders cannot be confused with lowered nodes.
pub(crate) fn lower_with_placeholders(file: &File) -> (Node, Vec<&Value>) {
    let mut lowerer = Lowerer::new(crate::raise::VERIFY_FILE, Some(Vec::new()));
    for policy in &file.policies {
        lowerer.policies.entry(policy.name.text.as_str()).or_insert(policy);
    }
    let node = lowerer.machine(file, 0);
    (node, lowerer.placeholders.unwrap_or_default())
}

/// The value of a verification tree's placeholder, if `node` is one.
pub(crate) fn placeholder<'v>(node: &Node, values: &[&'v Value]) -> Option<&'v Value> {
    match node.value {
        NodeValue::Null if node.range.start() == 0 && node.range.end() > 0 => {
            values.get(node.range.end() as usize - 1).copied()
        }
        _ => None,
    }
}

/// Whether `v` lowers to a value equal to `node` (as `raise::same` compares): what
/// [`Lowerer::value`] builds, compared as it would be built. Lowering a value depends on
/// nothing but the value (the query language and `result` only change what is reported).
pub(crate) fn value_lowers_to(v: &Value, node: &Node, depth: usize) -> bool {
    if depth > crate::MAX_NESTING * 4 {
        return false;
    }
    match (&v.kind, &node.value) {
        (ValueKind::Null | ValueKind::Error, NodeValue::Null) => true,
        (ValueKind::Bool(a), NodeValue::Bool(b)) => a == b,
        (ValueKind::Number(a), NodeValue::Number(b)) => a.as_str() == &**b,
        (ValueKind::String(t), NodeValue::String(b))
        | (ValueKind::Path(t) | ValueKind::Intrinsic(t) | ValueKind::Jsonata(t), NodeValue::String(b)) => {
            t.as_str() == &*b.text
        }
        (ValueKind::Array(items), NodeValue::Array(nodes)) => {
            items.len() == nodes.len()
                && items.iter().zip(nodes).all(|(i, n)| value_lowers_to(i, n, depth + 1))
        }
        (ValueKind::Object(members), NodeValue::Object(nodes)) => crate::raise::pair_members(
            members,
            nodes,
            // A path member lowers to a `.$` key.
            |m| (m.key.text.as_str(), if m.value.is_path() { ".$" } else { "" }),
            |n| (&*n.key.text, ""),
            |m, n| value_lowers_to(&m.value, &n.value, depth + 1),
        ),
        _ => false,
    }
}

/// Lowers `state` alone, continuing at `ft`: the decompiler's check that a printed state
/// means what the original did.
pub(crate) fn lower_one(state: &State, top_jsonata: bool, ft: &Flow<'_>, out: &mut Vec<NodeMember>) {
    let mut lowerer = Lowerer {
        file: crate::raise::VERIFY_FILE,
        diagnostics: Vec::new(),
        policies: FxHashMap::default(),
        top_ql: top_jsonata.then(|| "JSONata".to_owned()),
        edges: Vec::new(),
        placeholders: None,
    };
    lowerer.state(state, ft, out);
}

impl<'f> Lowerer<'f> {
    fn new(file: FileId, placeholders: Option<Vec<&'f Value>>) -> Lowerer<'f> {
        Lowerer {
            file,
            diagnostics: Vec::new(),
            policies: FxHashMap::default(),
            top_ql: None,
            edges: Vec::new(),
            placeholders,
        }
    }
}

struct Lowerer<'f> {
    file: FileId,
    diagnostics: Vec<Diagnostic>,
    policies: FxHashMap<&'f str, &'f Policy>,
    /// The header's `query` as ASL text.
    top_ql: Option<String>,
    /// Transitions of the scope being lowered, for `D-FALL-INTO-HANDLER`.
    edges: Vec<Edge>,
    /// When lowering to verify a decompiled file, the values left out so far
    /// ([`lower_with_placeholders`]).
    placeholders: Option<Vec<&'f Value>>,
}

/// Builds an object, reporting members generated twice.
struct Obj {
    members: Vec<NodeMember>,
    /// Whether the members are put in the state member order of dsl.md §5 (other objects
    /// are built in order).
    state_order: bool,
}

impl Obj {
    fn new() -> Obj {
        // Most states have at most eight members, and a request of more than 1 KiB makes
        // the system allocator consolidate its free lists.
        Obj { members: Vec::with_capacity(8), state_order: true }
    }

    fn in_order(members: Vec<NodeMember>) -> Obj {
        Obj { members, state_order: false }
    }

    fn first_range(&self, key: &str) -> Option<TextRange> {
        self.members.iter().find(|m| &*m.key.text == key).map(|m| m.key_range)
    }
}

fn str_node(text: &str, range: TextRange, verbatim: Option<u32>) -> Node {
    Node::new(range, NodeValue::String(Str { text: text.into(), verbatim }))
}

fn key(text: &str, verbatim: Option<u32>) -> Str {
    Str { text: text.into(), verbatim }
}

fn member(key_text: &str, key_range: TextRange, value: Node) -> NodeMember {
    NodeMember { key: key(key_text, None), key_range, value }
}

fn cover(nodes: &[Node], fallback: TextRange) -> TextRange {
    match (nodes.first(), nodes.last()) {
        (Some(a), Some(b)) => a.range.cover(b.range),
        _ => fallback,
    }
}

fn is_jsonata(ql: Option<&str>) -> bool {
    ql.is_some_and(|q| q != "JSONPath")
}

/// A string token's decoded text appears verbatim after its quote when it had no escape
/// (every escape is longer than what it decodes to).
fn string_verbatim(text: &str, range: TextRange) -> Option<u32> {
    (text.len() + 2 == range.len() as usize).then_some(range.start() + 1)
}

impl<'f> Lowerer<'f> {
    fn report(
        &mut self,
        code: &'static str,
        range: TextRange,
        message: impl Into<String>,
        label: &str,
        help: &str,
    ) {
        let severity = level(code).severity();
        let mut d = Diagnostic::new(code, severity, self.file, range, message).with_label(label);
        if !help.is_empty() {
            d = d.with_help(help);
        }
        self.diagnostics.push(d);
    }

    fn push(&mut self, obj: &mut Obj, key_text: &str, key_range: TextRange, value: Node) {
        if let Some(first) = obj.first_range(key_text) {
            let d = Diagnostic::error(
                D_DUP_MEMBER,
                self.file,
                key_range,
                format!("`{key_text}` is produced twice"),
            )
            .with_label("this produces it again")
            .with_secondary(self.file, first, "first produced here")
            .with_help("keep one of the two");
            self.diagnostics.push(d);
        }
        obj.members.push(member(key_text, key_range, value));
    }

    /// Sorted members, then the `raw` objects' members as written.
    fn finish(&mut self, obj: Obj, raws: &[&'f Value], jsonata: bool, range: TextRange) -> Node {
        let mut members = obj.members;
        if obj.state_order {
            members.sort_by_key(|m| state_rank(&m.key.text));
        }
        let generated = members.len();
        for raw in raws {
            if let ValueKind::Object(raw_members) = &raw.kind {
                for m in raw_members {
                    let lowered = self.member(m, jsonata, false);
                    if let Some(first) = members[..generated].iter().find(|g| g.key.text == lowered.key.text)
                    {
                        let d = Diagnostic::error(
                            D_DUP_MEMBER,
                            self.file,
                            lowered.key_range,
                            format!("`{}` is produced by a clause and by `raw`", lowered.key.text),
                        )
                        .with_label("this `raw` member repeats it")
                        .with_secondary(self.file, first.key_range, "produced here")
                        .with_help("remove the `raw` member or the clause");
                        self.diagnostics.push(d);
                    }
                    members.push(lowered);
                }
            }
        }
        Node::new(range, NodeValue::Object(members))
    }

    // ---- values -------------------------------------------------------------------------

    fn check_ql(&mut self, v: &Value, jsonata: bool) {
        match &v.kind {
            ValueKind::Path(_) | ValueKind::Intrinsic(_) if jsonata => self.report(
                D_QL_MISMATCH,
                v.range,
                "a path in a JSONata state",
                "JSONata states do not evaluate paths",
                "write a `{% … %}` expression",
            ),
            ValueKind::Jsonata(_) if !jsonata => self.report(
                D_QL_MISMATCH,
                v.range,
                "a JSONata expression in a JSONPath state",
                "JSONPath states do not evaluate `{% %}`",
                "set `query jsonata` on the state, or use a path",
            ),
            _ => {}
        }
    }

    /// A value as it stands in a template: paths and intrinsics become `.$` members.
    fn value(&mut self, v: &'f Value, jsonata: bool) -> Node {
        if let Some(values) = &mut self.placeholders {
            values.push(v);
            let at = u32::try_from(values.len()).unwrap_or(u32::MAX);
            return Node::new(TextRange::new(0, at), NodeValue::Null);
        }
        self.check_ql(v, jsonata);
        match &v.kind {
            ValueKind::Null | ValueKind::Error => Node::new(v.range, NodeValue::Null),
            ValueKind::Bool(b) => Node::new(v.range, NodeValue::Bool(*b)),
            ValueKind::Number(n) => Node::new(v.range, NodeValue::Number(n.as_str().into())),
            ValueKind::String(s) => str_node(s, v.range, string_verbatim(s, v.range)),
            ValueKind::Path(t) | ValueKind::Intrinsic(t) | ValueKind::Jsonata(t) => {
                str_node(t, v.range, Some(v.range.start()))
            }
            ValueKind::Array(items) => {
                let nodes = items
                    .iter()
                    .map(|item| {
                        if item.is_path() {
                            self.report(
                                D_PATH_IN_ARRAY,
                                item.range,
                                "a path as an array element",
                                "ASL evaluates only `.$` members, so this stays a string",
                                "build the array with `States.Array(…)`",
                            );
                        }
                        self.value(item, jsonata)
                    })
                    .collect();
                Node::new(v.range, NodeValue::Array(nodes))
            }
            ValueKind::Object(members) => {
                let nodes = members.iter().map(|m| self.member(m, jsonata, false)).collect();
                Node::new(v.range, NodeValue::Object(nodes))
            }
        }
    }

    fn member(&mut self, m: &'f Member, jsonata: bool, in_result: bool) -> NodeMember {
        let key_verbatim = if m.key.text.len() == m.key.range.len() as usize {
            Some(m.key.range.start())
        } else {
            string_verbatim(&m.key.text, m.key.range)
        };
        if m.value.is_path() {
            if in_result {
                self.report(
                    D_PATH_IN_RESULT,
                    m.value.range,
                    "a path inside `result`",
                    "ASL does not evaluate `Result`: this is kept as a `.$` member",
                    "use `args` to build the value from the input",
                );
            }
            let node = self.value(&m.value, jsonata);
            let mut path_key = String::with_capacity(m.key.text.len() + 2);
            path_key.push_str(&m.key.text);
            path_key.push_str(".$");
            let path_key = Str { text: path_key.into(), verbatim: None };
            NodeMember { key: path_key, key_range: m.key.range, value: node }
        } else {
            let node =
                if in_result { self.result_value(&m.value, jsonata) } else { self.value(&m.value, jsonata) };
            NodeMember { key: key(&m.key.text, key_verbatim), key_range: m.key.range, value: node }
        }
    }

    fn result_value(&mut self, v: &'f Value, jsonata: bool) -> Node {
        match &v.kind {
            ValueKind::Object(members) => {
                let nodes = members.iter().map(|m| self.member(m, jsonata, true)).collect();
                Node::new(v.range, NodeValue::Object(nodes))
            }
            _ => self.value(v, jsonata),
        }
    }

    /// The value of a clause with no path form.
    fn template(&mut self, word: &str, v: &'f Value, jsonata: bool) -> Node {
        if v.is_path() {
            self.report(
                D_PATH_ALONE,
                v.range,
                format!("a path as the whole value of `{word}`"),
                "this clause has no path form, so this would be a plain string",
                "wrap it in an object (`{ key: $.x }`), or use `input`",
            );
        }
        self.value(v, jsonata)
    }

    /// A clause with a `…Path` twin: a bare path selects `path_key`.
    fn path_twin(
        &mut self,
        obj: &mut Obj,
        plain: &str,
        path_key: &str,
        word_range: TextRange,
        v: &'f Value,
        jsonata: bool,
    ) {
        if v.is_path() {
            let node = self.value(v, jsonata);
            self.push(obj, path_key, word_range, node);
        } else {
            let node = self.value(v, jsonata);
            self.push(obj, plain, word_range, node);
        }
    }

    fn docs_node(docs: &[Text]) -> Option<Node> {
        let first = docs.first()?;
        let last = docs.last()?;
        let range = first.range.cover(last.range);
        if docs.len() == 1 {
            return Some(str_node(&first.text, range, None));
        }
        let mut text = String::with_capacity(docs.iter().map(|d| d.text.len() + 1).sum());
        for (i, doc) in docs.iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            text.push_str(&doc.text);
        }
        Some(str_node(&text, range, None))
    }

    // ---- machine and scopes -------------------------------------------------------------

    fn machine(&mut self, file: &'f File, source_len: u32) -> Node {
        let range = TextRange::new(0, source_len);
        let mut obj: Vec<NodeMember> = Vec::with_capacity(8);
        let mut seen: Vec<(&str, TextRange)> = Vec::with_capacity(8);
        for header in &file.headers {
            if let HeaderKind::Query(q) = &header.kind {
                self.top_ql = Some(ql_text(q));
            }
        }
        let top_jsonata = is_jsonata(self.top_ql.as_deref());
        let mut push =
            |this: &mut Self, k: &'static str, kr: TextRange, v: Node, obj: &mut Vec<NodeMember>| {
                if let Some((_, first)) = seen.iter().find(|(s, _)| *s == k) {
                    let d =
                        Diagnostic::error(D_DUP_MEMBER, this.file, kr, format!("`{k}` is produced twice"))
                            .with_label("this produces it again")
                            .with_secondary(this.file, *first, "first produced here")
                            .with_help("keep one of the two");
                    this.diagnostics.push(d);
                }
                seen.push((k, kr));
                obj.push(member(k, kr, v));
            };
        if let Some(node) = Self::docs_node(&file.inner_docs) {
            let kr = node.range;
            push(self, "Comment", kr, node, &mut obj);
        }
        let order = ["comment", "query", "version", "timeout"];
        for word in order {
            for header in &file.headers {
                let (k, node) = match (&header.kind, word) {
                    (HeaderKind::Comment(v), "comment") => ("Comment", self.value(v, top_jsonata)),
                    (HeaderKind::Query(q), "query") => ("QueryLanguage", self.ql_node(q)),
                    (HeaderKind::Version(v), "version") => ("Version", self.value(v, top_jsonata)),
                    (HeaderKind::Timeout(v), "timeout") => ("TimeoutSeconds", self.value(v, top_jsonata)),
                    _ => continue,
                };
                push(self, k, header.word_range, node, &mut obj);
            }
        }
        let start: Vec<(TextRange, Option<Text>)> = file
            .headers
            .iter()
            .filter_map(|h| match &h.kind {
                HeaderKind::Start(n) => Some((h.word_range, n.clone())),
                _ => None,
            })
            .collect();
        let (start_at, states) = self.scope(&file.states, &start, range);
        if let Some((kr, v)) = start_at {
            push(self, "StartAt", kr, v, &mut obj);
        }
        if let Some((kr, v)) = states {
            push(self, "States", kr, v, &mut obj);
        }
        let raws: Vec<&Value> = file
            .headers
            .iter()
            .filter_map(|h| match &h.kind {
                HeaderKind::Raw(v) => Some(v),
                _ => None,
            })
            .collect();
        let generated = Obj::in_order(obj);
        let node = self.finish(generated, &raws, top_jsonata, range);
        // What the decompiler writes as header lines (dsl.md §9.1).
        self.raw_sugar_members(&node, &raws, |m| match (&*m.key.text, &m.value.value) {
            ("Comment", NodeValue::String(_)) => Some("`//!` lines or `comment`"),
            ("QueryLanguage", _) => Some("`query`"),
            ("Version", _) => Some("`version`"),
            ("TimeoutSeconds", _) => Some("`timeout`"),
            ("StartAt", NodeValue::String(_)) => Some("`start`"),
            ("States", NodeValue::Object(states)) if !states.is_empty() => Some("states"),
            _ => None,
        });
        node
    }

    #[allow(clippy::type_complexity)]
    fn scope(
        &mut self,
        states: &'f [State],
        start: &[(TextRange, Option<Text>)],
        range: TextRange,
    ) -> (Option<(TextRange, Node)>, Option<(TextRange, Node)>) {
        let outer_edges = std::mem::take(&mut self.edges);
        let mut out = Vec::new();
        self.sequence(states, &Flow::End, &mut out);
        let start_at = match start.first() {
            Some((kr, Some(name))) => {
                Some((*kr, str_node(&name.text, name.range, string_verbatim_name(name))))
            }
            Some((_, None)) => None,
            None => states.first().map(|s| (s.name.range, str_node(&s.name.text, s.name.range, None))),
        };
        self.fall_into_handler(&out, start_at.as_ref().and_then(|(_, n)| n.as_str()));
        self.edges = outer_edges;
        let states_node = if out.is_empty() {
            None
        } else {
            let key_range = states.first().map_or(range, |s| s.keyword_range);
            let r = match (out.first(), out.last()) {
                (Some(a), Some(b)) => a.value.range.cover(b.value.range),
                _ => range,
            };
            Some((key_range, Node::new(r, NodeValue::Object(out))))
        };
        (start_at, states_node)
    }

    fn fall_into_handler(&mut self, states: &[NodeMember], start_at: Option<&str>) {
        let edges = std::mem::take(&mut self.edges);
        // The main path: what runs from `StartAt` without an error.
        let mut main: Vec<&str> = start_at.into_iter().collect();
        let mut i = 0;
        while i < main.len() {
            let from = main[i];
            for e in edges.iter().filter(|e| e.kind != EdgeKind::Catch && e.from_name == from) {
                if !main.contains(&e.to.as_str()) {
                    main.push(&e.to);
                }
            }
            i += 1;
        }
        for state in states {
            let name = &*state.key.text;
            if start_at == Some(name) {
                continue;
            }
            let into: Vec<&Edge> = edges.iter().filter(|e| e.to == name).collect();
            let catches = into.iter().filter(|e| e.kind == EdgeKind::Catch).count();
            let falls: Vec<&&Edge> = into.iter().filter(|e| e.kind == EdgeKind::Fallthrough).collect();
            if catches > 0 && !falls.is_empty() && catches + falls.len() == into.len() {
                for fall in falls.into_iter().filter(|f| main.contains(&f.from_name.as_str())) {
                    self.report(
                        D_FALL_INTO_HANDLER,
                        fall.from,
                        format!("this state falls through into `{name}`, an error handler"),
                        "falls through here",
                        "end the main path with `end` or `succeed`, or move the handler",
                    );
                }
            }
        }
    }

    fn sequence(&mut self, states: &'f [State], cont: &Flow<'f>, out: &mut Vec<NodeMember>) {
        for (i, state) in states.iter().enumerate() {
            let ft = match states.get(i + 1) {
                Some(next) => Flow::Name(&next.name.text, next.name.range),
                None => *cont,
            };
            self.state(state, &ft, out);
        }
    }

    fn block_target(&mut self, block: &Block, what: &str, at: TextRange) -> Option<Node> {
        match block.states.first() {
            Some(first) => Some(str_node(&first.name.text, first.name.range, None)),
            None => {
                self.report(
                    D_EMPTY_BLOCK,
                    at,
                    format!("an empty `{what}` block"),
                    "this block has no state",
                    "add a state, or use `goto`",
                );
                None
            }
        }
    }

    // ---- states -------------------------------------------------------------------------

    /// Lowers one state (and, after it, the states of its inline blocks) into `out`.
    pub(crate) fn state(&mut self, s: &'f State, ft: &Flow<'f>, out: &mut Vec<NodeMember>) {
        let header = s.name.range;
        if let Head::Raw(v) = &s.head {
            let jsonata = match &v.kind {
                ValueKind::Object(ms) => {
                    match ms.iter().find(|m| m.key.text == "QueryLanguage").map(|m| &m.value.kind) {
                        Some(ValueKind::String(q)) => q != "JSONPath",
                        _ => is_jsonata(self.top_ql.as_deref()),
                    }
                }
                _ => is_jsonata(self.top_ql.as_deref()),
            };
            let node = self.value(v, jsonata);
            out.push(NodeMember { key: key(&s.name.text, None), key_range: s.name.range, value: node });
            return;
        }
        let clauses_in: &'f [Clause] = s.body.as_ref().map_or(&[], |b| &b.clauses);
        let rules_in: &'f [Rule] = s.body.as_ref().map_or(&[], |b| &b.rules);
        let else_in: Option<&'f Else> = s.body.as_ref().and_then(|b| b.else_.as_ref());
        let own_ql = clauses_in.iter().rev().find_map(|c| match &c.kind {
            ClauseKind::Query(q) => Some(ql_text(q)),
            _ => None,
        });
        let jsonata = is_jsonata(own_ql.as_deref().or(self.top_ql.as_deref()));
        let mut obj = Obj::new();
        let type_name = match s.head {
            Head::Task(_) => "Task",
            Head::Pass => "Pass",
            Head::Wait(_) => "Wait",
            Head::Choice => "Choice",
            Head::Parallel => "Parallel",
            Head::Map(_) => "Map",
            Head::Succeed => "Succeed",
            Head::Fail(_) => "Fail",
            Head::Raw(_) => "",
        };
        self.push(&mut obj, "Type", s.keyword_range, str_node(type_name, s.keyword_range, None));
        if let Some(node) = Self::docs_node(&s.docs) {
            let r = node.range;
            self.push(&mut obj, "Comment", r, node);
        }
        match &s.head {
            Head::Task(res) => {
                let arn = Str { text: res.arn().into(), verbatim: None };
                self.push(&mut obj, "Resource", res.range, Node::new(res.range, NodeValue::String(arn)));
            }
            Head::Wait(Some((word, v))) => {
                let (plain, path) = match word {
                    WaitWord::Seconds => ("Seconds", "SecondsPath"),
                    WaitWord::Until => ("Timestamp", "TimestampPath"),
                };
                self.path_twin(&mut obj, plain, path, v.range, v, jsonata);
            }
            Head::Map(Some(v)) => {
                let node = self.value(v, jsonata);
                self.push(&mut obj, if jsonata { "Items" } else { "ItemsPath" }, v.range, node);
            }
            Head::Fail(items) => {
                for (word, v) in items {
                    let (plain, path) = match word {
                        FailWord::Error => ("Error", "ErrorPath"),
                        FailWord::Cause => ("Cause", "CausePath"),
                    };
                    self.path_twin(&mut obj, plain, path, v.range, v, jsonata);
                }
            }
            _ => {}
        }

        // Work to do after this state is in `out`: inline blocks with their continuation.
        let mut blocks: Vec<(&'f Block, Flow<'f>)> = Vec::new();
        let mut raws: Vec<&Value> = Vec::new();
        let mut retries: Vec<Node> = Vec::new();
        let mut retry_key: Option<TextRange> = None;
        let mut catches: Vec<Node> = Vec::new();
        let mut catch_key: Option<TextRange> = None;
        let mut branches: Vec<Node> = Vec::new();
        let mut branch_key: Option<TextRange> = None;
        let raw_transition = clauses_in.iter().any(|c| match &c.kind {
            ClauseKind::Raw(Value { kind: ValueKind::Object(ms), .. }) => {
                ms.iter().any(|m| matches!(m.key.text.as_str(), "Next" | "End"))
            }
            _ => false,
        });
        let successor = match s.trans.as_ref().map(|t| &t.kind) {
            Some(TransKind::Goto(n)) => Some(Flow::Name(&n.text, n.range)),
            Some(TransKind::End) => Some(Flow::End),
            Some(TransKind::None) => None,
            None if raw_transition => clauses_in.iter().find_map(|c| match &c.kind {
                ClauseKind::Raw(Value { kind: ValueKind::Object(ms), .. }) => {
                    ms.iter().find_map(|m| match (&*m.key.text, &m.value.kind) {
                        ("Next", ValueKind::String(n)) => Some(Flow::Name(n, m.value.range)),
                        ("End", ValueKind::Bool(true)) => Some(Flow::End),
                        _ => None,
                    })
                }
                _ => None,
            }),
            None => Some(*ft),
        };

        let mut expanding: Vec<&str> = Vec::new();
        let mut clauses: Vec<(&'f Clause, Option<TextRange>)> = Vec::with_capacity(clauses_in.len());
        for c in clauses_in {
            self.expand(c, None, &mut expanding, &mut clauses);
        }
        for (c, use_range) in clauses {
            let wr = c.word_range;
            match &c.kind {
                ClauseKind::Value(word, v) => self.value_clause(&mut obj, *word, wr, v, jsonata),
                ClauseKind::Query(q) => {
                    let node = self.ql_node(q);
                    self.push(&mut obj, "QueryLanguage", wr, node);
                }
                ClauseKind::Raw(v) => raws.push(v),
                ClauseKind::Use(_) => {}
                ClauseKind::Retry(r) => {
                    retry_key.get_or_insert(wr);
                    retries.push(self.retrier(c, r, jsonata));
                }
                ClauseKind::Catch(cat) => {
                    catch_key.get_or_insert(wr);
                    let (node, block) = self.catcher(c, cat, jsonata, use_range);
                    if let Some(block) = block {
                        match &successor {
                            Some(flow) => blocks.push((block, *flow)),
                            None => {
                                self.report(
                                    D_CATCH_NO_SUCC,
                                    c.word_range,
                                    "a catch block on a state without a successor",
                                    "the block's last state would continue after this state, which has `goto none`",
                                    "give the state a `goto` or `end`, or end the block with `succeed` or `fail`",
                                );
                                blocks.push((block, Flow::End));
                            }
                        }
                    }
                    if let Some(Node { value: NodeValue::Object(ms), .. }) = Some(&node) {
                        if let Some(next) =
                            ms.iter().find(|m| &*m.key.text == "Next").and_then(|m| m.value.as_str())
                        {
                            self.edge(&s.name.text, c.range, next, EdgeKind::Catch);
                        }
                    }
                    catches.push(node);
                }
                ClauseKind::Branch(block) => {
                    branch_key.get_or_insert(wr);
                    let node = self.nested_scope(c, block, None);
                    branches.push(node);
                }
                ClauseKind::Process { iterator, modes, block } => {
                    let node = self.nested_scope(c, block, Some(modes));
                    self.push(&mut obj, if *iterator { "Iterator" } else { "ItemProcessor" }, wr, node);
                }
                ClauseKind::Reader(res, io) => {
                    let node = self.io_object(c.range, Some(res), io.as_ref(), "ReaderConfig", jsonata);
                    self.push(&mut obj, "ItemReader", wr, node);
                }
                ClauseKind::Writer(res, io) => {
                    let node = self.io_object(c.range, res.as_ref(), io.as_ref(), "WriterConfig", jsonata);
                    self.push(&mut obj, "ResultWriter", wr, node);
                }
            }
        }
        if let Some(kr) = branch_key {
            let r = cover(&branches, kr);
            self.push(&mut obj, "Branches", kr, Node::new(r, NodeValue::Array(branches)));
        }
        if let Some(kr) = retry_key {
            let r = cover(&retries, kr);
            self.push(&mut obj, "Retry", kr, Node::new(r, NodeValue::Array(retries)));
        }
        if let Some(kr) = catch_key {
            let r = cover(&catches, kr);
            self.push(&mut obj, "Catch", kr, Node::new(r, NodeValue::Array(catches)));
        }

        // Choice rules.
        if matches!(s.head, Head::Choice) {
            let mut rules = Vec::new();
            let mut rules_key = None;
            for rule in rules_in {
                rules_key.get_or_insert(rule.if_range);
                let (node, block) = self.rule(rule, jsonata);
                if let Some(block) = block {
                    blocks.push((block, *ft));
                }
                if let Some(next) = node.get("Next").and_then(Node::as_str) {
                    self.edge(&s.name.text, rule.range, next, EdgeKind::Explicit);
                }
                rules.push(node);
            }
            let kr = rules_key.unwrap_or(header);
            let r = cover(&rules, kr);
            self.push(&mut obj, "Choices", kr, Node::new(r, NodeValue::Array(rules)));
            let raw_default = raws.iter().any(|r| match &r.kind {
                ValueKind::Object(ms) => ms.iter().any(|m| m.key.text == "Default"),
                _ => false,
            });
            if !raw_default {
                match else_in.map(|e| (&e.kind, e.range)) {
                    Some((ElseKind::Goto(n), range)) => {
                        if ft.name() == Some(n.text.as_str()) {
                            self.report(
                                D_REDUNDANT_GOTO,
                                range,
                                format!(
                                    "`else goto {}` names the state this choice falls through to",
                                    n.text
                                ),
                                "redundant",
                                "delete the `else` line",
                            );
                        }
                        self.edge(&s.name.text, range, &n.text, EdgeKind::Explicit);
                        self.push(
                            &mut obj,
                            "Default",
                            range,
                            str_node(&n.text, n.range, string_verbatim_name(n)),
                        );
                    }
                    Some((ElseKind::None, _)) => {}
                    Some((ElseKind::Block(block), range)) => {
                        if let Some(node) = self.block_target(block, "else", range) {
                            if let Some(n) = node.as_str() {
                                self.edge(&s.name.text, range, n, EdgeKind::Explicit);
                            }
                            self.push(&mut obj, "Default", range, node);
                        }
                        blocks.push((block, *ft));
                    }
                    None => match ft {
                        Flow::Name(n, r) => {
                            self.edge(&s.name.text, header, n, EdgeKind::Explicit);
                            self.push(&mut obj, "Default", header, str_node(n, *r, None));
                        }
                        Flow::End => self.report(
                            D_CHOICE_END,
                            header,
                            format!("the choice `{}` ends its sequence without `else`", s.name.text),
                            "a choice cannot end a run, and no state follows to be its `Default`",
                            "add `else goto …` or `else none`",
                        ),
                    },
                }
            }
        }

        // Transitions.
        if matches!(s.head, Head::Task(_) | Head::Pass | Head::Wait(_) | Head::Parallel | Head::Map(_)) {
            match s.trans.as_ref().map(|t| (&t.kind, t.range)) {
                Some((TransKind::Goto(n), range)) => {
                    if ft.name() == Some(n.text.as_str()) {
                        self.report(
                            D_REDUNDANT_GOTO,
                            range,
                            format!("`goto {}` names the state this one falls through to", n.text),
                            "redundant",
                            "delete the `goto`",
                        );
                    }
                    self.edge(&s.name.text, range, &n.text, EdgeKind::Explicit);
                    self.push(&mut obj, "Next", range, str_node(&n.text, n.range, string_verbatim_name(n)));
                }
                Some((TransKind::End, range)) => {
                    self.push(&mut obj, "End", range, Node::new(range, NodeValue::Bool(true)))
                }
                Some((TransKind::None, _)) => {}
                None if raw_transition => {}
                None => match ft {
                    Flow::Name(n, r) => {
                        self.edge(&s.name.text, header, n, EdgeKind::Fallthrough);
                        self.push(&mut obj, "Next", header, str_node(n, *r, None));
                    }
                    Flow::End => self.push(&mut obj, "End", header, Node::new(header, NodeValue::Bool(true))),
                },
            }
        }

        let node = self.finish(obj, &raws, jsonata, s.range);
        if !raws.is_empty() {
            self.raw_sugar(&node, &raws);
        }
        out.push(NodeMember {
            key: key(&s.name.text, string_verbatim_name(&s.name)),
            key_range: s.name.range,
            value: node,
        });
        for (block, cont) in blocks {
            self.sequence(&block.states, &cont, out);
        }
    }

    /// Records a transition for `D-FALL-INTO-HANDLER`; a tree built to verify a decompiled
    /// file has no use for them.
    fn edge(&mut self, from_name: &str, from: TextRange, to: &str, kind: EdgeKind) {
        if self.file != crate::raise::VERIFY_FILE {
            self.edges.push(Edge { from_name: from_name.to_owned(), from, to: to.to_owned(), kind });
        }
    }

    /// Reports the members of a state's `raw` objects that the decompiler would write as a
    /// clause (`D-RAW-SUGAR`): exactly those a clause can say.
    fn raw_sugar(&mut self, node: &Node, raws: &[&Value]) {
        if self.file == crate::raise::VERIFY_FILE {
            return;
        }
        let Some(raw_at) = crate::raise::raw_members(node, is_jsonata(self.top_ql.as_deref())) else {
            return;
        };
        let members = node.as_object().unwrap_or(&[]);
        self.raw_sugar_members(node, raws, |m| {
            let stays_raw = raw_at.iter().any(|&at| std::ptr::eq(&members[at], m));
            (!stays_raw).then(|| clause_for(&m.key.text))
        });
    }

    /// Reports the members of the `raw` objects of `node` for which `clause` names the DSL
    /// that writes them, when their key is not produced twice (that is `D-DUP-MEMBER`).
    fn raw_sugar_members(
        &mut self,
        node: &Node,
        raws: &[&Value],
        clause: impl Fn(&NodeMember) -> Option<&'static str>,
    ) {
        if raws.is_empty() || self.file == crate::raise::VERIFY_FILE {
            return;
        }
        let Some(members) = node.as_object() else {
            return;
        };
        let written: usize =
            raws.iter().map(|r| if let ValueKind::Object(ms) = &r.kind { ms.len() } else { 0 }).sum();
        for m in members.iter().skip(members.len().saturating_sub(written)) {
            if members.iter().filter(|o| o.key.text == m.key.text).count() > 1 {
                continue;
            }
            if let Some(clause) = clause(m) {
                self.report(
                    D_RAW_SUGAR,
                    m.key_range,
                    format!("`{}` in `raw` can be written as {clause}", m.key.text),
                    "a clause can say this",
                    &format!("write it as {clause} and remove it from `raw`"),
                );
            }
        }
    }

    /// Expands `use` lines in place, recursively.
    fn expand(
        &mut self,
        c: &'f Clause,
        use_range: Option<TextRange>,
        expanding: &mut Vec<&'f str>,
        out: &mut Vec<(&'f Clause, Option<TextRange>)>,
    ) {
        let ClauseKind::Use(name) = &c.kind else {
            out.push((c, use_range));
            return;
        };
        let Some(policy) = self.policies.get(name.text.as_str()).copied() else {
            let known: Vec<&str> = self.policies.keys().copied().collect();
            let help = match known.first() {
                Some(_) => {
                    format!("declare `policy {} {{ … }}`, or use one of: {}", name.text, known.join(", "))
                }
                None => format!("declare `policy {} {{ … }}` before the states", name.text),
            };
            self.report(
                D_POLICY,
                name.range,
                format!("unknown policy `{}`", name.text),
                "no policy has this name",
                &help,
            );
            return;
        };
        if expanding.contains(&policy.name.text.as_str()) || expanding.len() > 64 {
            self.report(
                D_POLICY,
                name.range,
                format!("policy `{}` uses itself", name.text),
                "this `use` closes a cycle",
                "remove the `use` that leads back here",
            );
            return;
        }
        expanding.push(policy.name.text.as_str());
        for item in &policy.items {
            self.expand(item, Some(use_range.unwrap_or(c.range)), expanding, out);
        }
        expanding.pop();
    }

    fn value_clause(&mut self, obj: &mut Obj, word: Word, wr: TextRange, v: &'f Value, jsonata: bool) {
        let name = word.as_str();
        match word {
            Word::Comment => {
                let node = self.template(name, v, jsonata);
                self.push(obj, "Comment", wr, node);
            }
            Word::Credentials => {
                let node = self.template(name, v, jsonata);
                self.push(obj, "Credentials", wr, node);
            }
            Word::Input => {
                let node = self.value(v, jsonata);
                self.push(obj, "InputPath", wr, node);
            }
            Word::Args => {
                let node = self.template(name, v, jsonata);
                self.push(obj, if jsonata { "Arguments" } else { "Parameters" }, wr, node);
            }
            Word::Each => {
                let node = self.template(name, v, jsonata);
                self.push(obj, "ItemSelector", wr, node);
            }
            Word::Batch => {
                let node = self.template(name, v, jsonata);
                self.push(obj, "ItemBatcher", wr, node);
            }
            Word::Concurrency => self.path_twin(obj, "MaxConcurrency", "MaxConcurrencyPath", wr, v, jsonata),
            Word::TolerancePercent => self.path_twin(
                obj,
                "ToleratedFailurePercentage",
                "ToleratedFailurePercentagePath",
                wr,
                v,
                jsonata,
            ),
            Word::TolerateCount => {
                self.path_twin(obj, "ToleratedFailureCount", "ToleratedFailureCountPath", wr, v, jsonata)
            }
            Word::Label => {
                let node = self.template(name, v, jsonata);
                self.push(obj, "Label", wr, node);
            }
            Word::Result => {
                if v.is_path() {
                    self.template(name, v, jsonata);
                }
                let node = self.result_value(v, jsonata);
                self.push(obj, "Result", wr, node);
            }
            Word::Timeout => self.path_twin(obj, "TimeoutSeconds", "TimeoutSecondsPath", wr, v, jsonata),
            Word::Heartbeat => {
                self.path_twin(obj, "HeartbeatSeconds", "HeartbeatSecondsPath", wr, v, jsonata)
            }
            Word::Select => {
                let node = self.template(name, v, jsonata);
                self.push(obj, "ResultSelector", wr, node);
            }
            Word::Into => {
                let node = self.value(v, jsonata);
                self.push(obj, "ResultPath", wr, node);
            }
            Word::Output => {
                if jsonata {
                    let node = self.template(name, v, jsonata);
                    self.push(obj, "Output", wr, node);
                } else {
                    let node = self.value(v, jsonata);
                    self.push(obj, "OutputPath", wr, node);
                }
            }
            Word::Assign => {
                let node = self.template(name, v, jsonata);
                self.push(obj, "Assign", wr, node);
            }
        }
    }

    fn ql_node(&mut self, q: &'f QueryLang) -> Node {
        match q {
            QueryLang::JsonPath(r) => str_node("JSONPath", *r, None),
            QueryLang::Jsonata(r) => str_node("JSONata", *r, None),
            QueryLang::Value(v) => self.value(v, false),
        }
    }

    fn errors_node(errors: &Errors) -> Node {
        let items =
            errors.names.iter().map(|n| str_node(&n.text, n.range, string_verbatim_name(n))).collect();
        Node::new(errors.range, NodeValue::Array(items))
    }

    fn retrier(&mut self, c: &Clause, r: &'f Retry, jsonata: bool) -> Node {
        match r {
            Retry::Raw(v) => self.value(v, jsonata),
            Retry::Sugar { errors, options } => {
                let mut members = Vec::new();
                if let Some(doc) = Self::docs_node(&c.docs) {
                    members.push(member("Comment", doc.range, doc));
                }
                members.push(member("ErrorEquals", errors.range, Self::errors_node(errors)));
                let order = [
                    RetryOption::Interval,
                    RetryOption::Attempts,
                    RetryOption::Backoff,
                    RetryOption::MaxDelay,
                    RetryOption::Jitter,
                ];
                for which in order {
                    let mut first: Option<TextRange> = None;
                    for (o, wr, v) in options.iter().filter(|(o, _, _)| *o == which) {
                        if let Some(first) = first {
                            let d = Diagnostic::error(
                                D_DUP_MEMBER,
                                self.file,
                                *wr,
                                format!("`{}` is given twice", o.as_str()),
                            )
                            .with_label("this produces it again")
                            .with_secondary(self.file, first, "first given here")
                            .with_help("keep one of the two");
                            self.diagnostics.push(d);
                        }
                        first = Some(*wr);
                        let node = self.value(v, jsonata);
                        members.push(member(o.member(), *wr, node));
                    }
                }
                Node::new(c.range, NodeValue::Object(members))
            }
        }
    }

    fn options(
        &mut self,
        members: &mut Vec<NodeMember>,
        options: &'f [(Opt, TextRange, Value)],
        jsonata: bool,
    ) {
        for which in [Opt::Into, Opt::Output, Opt::Assign] {
            let mut first: Option<TextRange> = None;
            for (o, wr, v) in options.iter().filter(|(o, _, _)| *o == which) {
                if let Some(first) = first {
                    let d = Diagnostic::error(
                        D_DUP_MEMBER,
                        self.file,
                        *wr,
                        format!("`{}` is given twice", o.as_str()),
                    )
                    .with_label("this produces it again")
                    .with_secondary(self.file, first, "first given here")
                    .with_help("keep one of the two");
                    self.diagnostics.push(d);
                }
                first = Some(*wr);
                let (k, node) = match o {
                    Opt::Into => ("ResultPath", self.value(v, jsonata)),
                    Opt::Output => ("Output", self.template("output", v, jsonata)),
                    Opt::Assign => ("Assign", self.template("assign", v, jsonata)),
                };
                members.push(member(k, *wr, node));
            }
        }
    }

    fn catcher(
        &mut self,
        c: &'f Clause,
        cat: &'f Catch,
        jsonata: bool,
        _use: Option<TextRange>,
    ) -> (Node, Option<&'f Block>) {
        match cat {
            Catch::Raw(v) => (self.value(v, jsonata), None),
            Catch::Sugar { errors, options, target } => {
                let mut members = Vec::new();
                if let Some(doc) = Self::docs_node(&c.docs) {
                    members.push(member("Comment", doc.range, doc));
                }
                members.push(member("ErrorEquals", errors.range, Self::errors_node(errors)));
                self.options(&mut members, options, jsonata);
                let block = match target {
                    Target::Goto(n) => {
                        members.push(member(
                            "Next",
                            n.range,
                            str_node(&n.text, n.range, string_verbatim_name(n)),
                        ));
                        None
                    }
                    Target::Block(block) => {
                        if let Some(node) = self.block_target(block, "catch", c.word_range) {
                            members.push(member("Next", block.range, node));
                        }
                        Some(block)
                    }
                };
                (Node::new(c.range, NodeValue::Object(members)), block)
            }
        }
    }

    fn rule(&mut self, rule: &'f Rule, jsonata: bool) -> (Node, Option<&'f Block>) {
        match &rule.kind {
            RuleKind::Raw(v) => (self.value(v, jsonata), None),
            RuleKind::Sugar { cond, options, target } => {
                let mut members = Vec::new();
                if let Some(doc) = Self::docs_node(&rule.docs) {
                    members.push(member("Comment", doc.range, doc));
                }
                self.condition(cond, jsonata, &mut members);
                // A rule has no `into`: only these two options lower.
                for which in [Opt::Assign, Opt::Output] {
                    let mut first: Option<TextRange> = None;
                    for (o, wr, v) in options.iter().filter(|(o, _, _)| *o == which) {
                        if let Some(first) = first {
                            let d = Diagnostic::error(
                                D_DUP_MEMBER,
                                self.file,
                                *wr,
                                format!("`{}` is given twice", o.as_str()),
                            )
                            .with_label("this produces it again")
                            .with_secondary(self.file, first, "first given here")
                            .with_help("keep one of the two");
                            self.diagnostics.push(d);
                        }
                        first = Some(*wr);
                        let (k, node) = match o {
                            Opt::Output => ("Output", self.template("output", v, jsonata)),
                            _ => ("Assign", self.template("assign", v, jsonata)),
                        };
                        members.push(member(k, *wr, node));
                    }
                }
                let block = match target {
                    Target::Goto(n) => {
                        members.push(member(
                            "Next",
                            n.range,
                            str_node(&n.text, n.range, string_verbatim_name(n)),
                        ));
                        None
                    }
                    Target::Block(block) => {
                        if let Some(node) = self.block_target(block, "if", rule.if_range) {
                            members.push(member("Next", block.range, node));
                        }
                        Some(block)
                    }
                };
                (Node::new(rule.range, NodeValue::Object(members)), block)
            }
        }
    }

    fn condition(&mut self, cond: &'f Cond, jsonata: bool, members: &mut Vec<NodeMember>) {
        if jsonata && !matches!(cond.kind, CondKind::Literal(_)) {
            self.report(
                D_QL_MISMATCH,
                cond.range,
                "a comparison in a JSONata state",
                "JSONata rules take one `{% … %}` condition",
                "write the condition as a `{% … %}` expression",
            );
        }
        match &cond.kind {
            CondKind::And(items) | CondKind::Or(items) => {
                let k = if matches!(cond.kind, CondKind::And(_)) { "And" } else { "Or" };
                let nodes = items.iter().map(|c| self.condition_object(c, jsonata)).collect();
                members.push(member(k, cond.range, Node::new(cond.range, NodeValue::Array(nodes))));
            }
            CondKind::Not(inner) => {
                let node = self.condition_object(inner, jsonata);
                members.push(member("Not", cond.range, node));
            }
            CondKind::Is { path, negated, test } => {
                members.push(member(
                    "Variable",
                    path.range,
                    str_node(&path.text, path.range, Some(path.range.start())),
                ));
                members.push(member(
                    test.member(),
                    cond.range,
                    Node::new(cond.range, NodeValue::Bool(!negated)),
                ));
            }
            CondKind::Literal(v) => {
                let node = self.value(v, jsonata);
                members.push(member("Condition", v.range, node));
            }
            CondKind::Compare { type_word, path, op, operand } => {
                let variable = member(
                    "Variable",
                    path.range,
                    str_node(&path.text, path.range, Some(path.range.start())),
                );
                let Some(op_member) = self.operator(cond.range, *type_word, *op, operand) else {
                    members.push(variable);
                    return;
                };
                let value = self.value(operand, false);
                if *op == CmpOp::Ne {
                    let inner = Node::new(
                        cond.range,
                        NodeValue::Object(vec![variable, member(&op_member, cond.range, value)]),
                    );
                    members.push(member("Not", cond.range, inner));
                } else {
                    members.push(variable);
                    members.push(member(&op_member, operand.range, value));
                }
            }
        }
    }

    fn condition_object(&mut self, cond: &'f Cond, jsonata: bool) -> Node {
        let mut members = Vec::new();
        self.condition(cond, jsonata, &mut members);
        Node::new(cond.range, NodeValue::Object(members))
    }

    /// The ASL operator of a comparison, or `None` (reported) when it has none.
    fn operator(
        &mut self,
        range: TextRange,
        type_word: Option<TypeWord>,
        op: CmpOp,
        operand: &Value,
    ) -> Option<String> {
        let path_operand = operand.is_path();
        let family = match (type_word, &operand.kind) {
            (Some(t), _) => t,
            (None, ValueKind::String(_)) => TypeWord::String,
            (None, ValueKind::Number(_)) => TypeWord::Number,
            (None, ValueKind::Bool(_)) => TypeWord::Boolean,
            (None, ValueKind::Path(_) | ValueKind::Intrinsic(_)) if op == CmpOp::Matches => TypeWord::String,
            (None, ValueKind::Path(_) | ValueKind::Intrinsic(_)) => {
                self.report(
                    D_CMP_TYPE,
                    range,
                    "two paths compared without a type word",
                    "ASL needs to know whether to compare strings, numbers, booleans or timestamps",
                    "start the comparison with `string`, `number`, `boolean` or `timestamp`",
                );
                return None;
            }
            (None, ValueKind::Null) => {
                self.report(
                    D_CMP_TYPE,
                    range,
                    "a comparison with `null`",
                    "ASL has no `…Equals` for null",
                    "write `is null`",
                );
                return None;
            }
            (None, _) => {
                self.report(
                    D_CMP_TYPE,
                    range,
                    "this operand cannot be compared",
                    "no ASL operator takes it",
                    "compare with a string, number, boolean or path",
                );
                return None;
            }
        };
        if matches!(operand.kind, ValueKind::Null) {
            self.report(
                D_CMP_TYPE,
                range,
                "a comparison with `null`",
                "ASL has no `…Equals` for null",
                "write `is null`",
            );
            return None;
        }
        if op == CmpOp::Matches {
            if family != TypeWord::String || !matches!(operand.kind, ValueKind::String(_)) {
                self.report(
                    D_CMP_TYPE,
                    range,
                    "`matches` without a string literal",
                    "`StringMatches` takes a literal pattern",
                    "write the pattern as a string: `matches \"log-*\"`",
                );
                return None;
            }
            return Some("StringMatches".to_owned());
        }
        if family == TypeWord::Boolean && !matches!(op, CmpOp::Eq | CmpOp::Ne) {
            self.report(
                D_CMP_TYPE,
                range,
                "an ordering comparison on booleans",
                "ASL has only `BooleanEquals`",
                "use `==` or `!=`",
            );
            return None;
        }
        Some(format!("{}{}{}", family.family(), op.suffix(), if path_operand { "Path" } else { "" }))
    }

    fn nested_scope(&mut self, c: &'f Clause, block: &'f Block, modes: Option<&Vec<Text>>) -> Node {
        let saved = std::mem::take(&mut self.edges);
        let mut members = Vec::new();
        if let Some(doc) = Self::docs_node(&c.docs) {
            members.push(member("Comment", doc.range, doc));
        }
        if let Some(modes) = modes.filter(|m| !m.is_empty()) {
            let mut config = Vec::new();
            for m in modes {
                let (k, v) = match m.text.as_str() {
                    "inline" => ("Mode", "INLINE"),
                    "distributed" => ("Mode", "DISTRIBUTED"),
                    "standard" => ("ExecutionType", "STANDARD"),
                    _ => ("ExecutionType", "EXPRESS"),
                };
                if config.iter().any(|cm: &NodeMember| &*cm.key.text == k) {
                    self.report(
                        D_DUP_MEMBER,
                        m.range,
                        format!("`{k}` is given twice"),
                        "this sets it again",
                        "keep one of the two",
                    );
                }
                config.push(member(k, m.range, str_node(v, m.range, None)));
            }
            let r = modes[0].range.cover(modes[modes.len() - 1].range);
            members.push(member("ProcessorConfig", r, Node::new(r, NodeValue::Object(config))));
        }
        let (start_at, states) = self.scope(&block.states, &block.start, block.range);
        if let Some((kr, v)) = start_at {
            members.push(member("StartAt", kr, v));
        }
        if let Some((kr, v)) = states {
            members.push(member("States", kr, v));
        }
        self.edges = saved;
        let raws: Vec<&Value> = block.raw.iter().collect();
        let top = is_jsonata(self.top_ql.as_deref());
        let obj = Obj::in_order(members);
        let node = self.finish(obj, &raws, top, c.range);
        // What the decompiler writes as a block's lines (dsl.md §9.2).
        let processor = modes.is_some();
        self.raw_sugar_members(&node, &raws, |m| match (&*m.key.text, &m.value.value) {
            ("Comment", NodeValue::String(s)) if crate::raise::doc_printable(&s.text) => Some("`///` lines"),
            ("ProcessorConfig", _) if processor && crate::raise::processor_modes(&m.value).is_some() => {
                Some("processor modes")
            }
            ("StartAt", NodeValue::String(_)) => Some("`start`"),
            ("States", NodeValue::Object(states)) if !states.is_empty() => Some("states"),
            _ => None,
        });
        node
    }

    fn io_object(
        &mut self,
        range: TextRange,
        res: Option<&Resource>,
        io: Option<&'f Io>,
        config_key: &str,
        jsonata: bool,
    ) -> Node {
        let mut members = Vec::new();
        if let Some(res) = res {
            members.push(member("Resource", res.range, str_node(&res.arn(), res.range, None)));
        }
        let mut raws: Vec<&Value> = Vec::new();
        if let Some(io) = io {
            for (wr, v) in &io.config {
                let node = self.template("config", v, jsonata);
                members.push(member(config_key, *wr, node));
            }
            for (wr, v) in &io.args {
                let node = self.template("args", v, jsonata);
                members.push(member(if jsonata { "Arguments" } else { "Parameters" }, *wr, node));
            }
            raws.extend(&io.raw);
        }
        let obj = Obj::in_order(members);
        let node = self.finish(obj, &raws, jsonata, range);
        // What the decompiler writes as the reader's or writer's resource and lines.
        let args_key = if jsonata { "Arguments" } else { "Parameters" };
        self.raw_sugar_members(&node, &raws, |m| match (&*m.key.text, &m.value.value) {
            ("Resource", NodeValue::String(_)) => Some("the resource"),
            (k, _) if k == config_key => Some("`config`"),
            (k, _) if k == args_key => Some("`args`"),
            _ => None,
        });
        node
    }
}

/// The DSL that writes a state member, for `D-RAW-SUGAR`.
fn clause_for(member: &str) -> &'static str {
    match member {
        "Comment" => "`///` lines or `comment`",
        "QueryLanguage" => "`query`",
        "Resource" => "the task's resource",
        "Credentials" => "`credentials`",
        "Error" | "ErrorPath" => "`error`",
        "Cause" | "CausePath" => "`cause`",
        "Seconds" | "SecondsPath" => "`seconds`",
        "Timestamp" | "TimestampPath" => "`until`",
        "InputPath" => "`input`",
        "ItemsPath" | "Items" => "`over`",
        "Parameters" | "Arguments" => "`args`",
        "ItemSelector" => "`each`",
        "ItemBatcher" => "`batch`",
        "MaxConcurrency" | "MaxConcurrencyPath" => "`concurrency`",
        "ToleratedFailurePercentage" | "ToleratedFailurePercentagePath" => "`tolerate_percent`",
        "ToleratedFailureCount" | "ToleratedFailureCountPath" => "`tolerate_count`",
        "Label" => "`label`",
        "Result" => "`result`",
        "TimeoutSeconds" | "TimeoutSecondsPath" => "`timeout`",
        "HeartbeatSeconds" | "HeartbeatSecondsPath" => "`heartbeat`",
        "ResultSelector" => "`select`",
        "ResultPath" => "`into`",
        "OutputPath" | "Output" => "`output`",
        "Assign" => "`assign`",
        "ItemReader" => "`reader`",
        "ResultWriter" => "`writer`",
        "ItemProcessor" => "`process`",
        "Iterator" => "`iterator`",
        "Branches" => "`branch` blocks",
        "Retry" => "`retry` lines",
        "Catch" => "`catch` lines",
        "Choices" => "`if` rules",
        "Default" => "`else`",
        "Next" => "`goto`",
        "End" => "`end`",
        _ => "a clause",
    }
}

fn string_verbatim_name(name: &Text) -> Option<u32> {
    if name.text.len() == name.range.len() as usize {
        Some(name.range.start())
    } else {
        string_verbatim(&name.text, name.range)
    }
}

fn ql_text(q: &QueryLang) -> String {
    match q {
        QueryLang::JsonPath(_) => "JSONPath".to_owned(),
        QueryLang::Jsonata(_) => "JSONata".to_owned(),
        QueryLang::Value(Value { kind: ValueKind::String(s), .. }) => s.clone(),
        // Any value other than exactly `JSONPath` counts as JSONata (structure.md §5).
        QueryLang::Value(_) => String::new(),
    }
}
