//! Raising (dsl.md §9): any ASL definition to the `.asld` syntax tree.
//!
//! States are laid out along greedy `Next`/`Default` chains from `StartAt`; a chain of up
//! to five states reached only from one rule or catcher is printed inline in an `if` or
//! `catch` block; a `goto`/`end` is printed only where the real target differs from the
//! fallthrough of the layout. What the sugar cannot say goes to `raw`: unknown or invalid
//! members, retriers, catchers and rules with anything unusual, and whole states (`state N
//! {…}`) that lack what their kind needs.
//!
//! Verification (dsl.md §9.6): the raised file is lowered again and compared with the
//! definition. When they differ, the definition is raised again with every sugared state
//! lowered and compared on its own before layout, and a state that does not match falls
//! back to `state N {…}`. Lowering the file once costs far less than lowering each state,
//! and nested states once more for every scope around them. The whole-file check lowers
//! the structure only: each value (a clause's, an option's, a `raw` member's, an operand)
//! is compared with the definition's value as lowering would build it, without building it
//! ([`crate::lower::lower_with_placeholders`]), which halves the cost of the check.

use aslc_source::{FileId, TextRange};
use aslc_syntax::{Member as NodeMember, Node, NodeValue};
use rustc_hash::FxHashMap;

use crate::ast::*;
use crate::lexer::{self, Kind};
use crate::lower::Flow;

/// Inline blocks hold at most this many states.
const MAX_INLINE: usize = 5;

/// What raising found besides the tree.
#[derive(Clone, Debug, Default)]
pub struct RaiseStats {
    /// States whose sugar did not lower back to the original and were printed as
    /// `state N {…}` instead.
    pub verification_fallbacks: usize,
}

/// Raises an ASL definition. `None` when the root is not an object.
///
/// The whole file is raised and lowered again once; only when that does not give back the
/// definition is it raised again verifying each state on its own, so that a state whose
/// sugar is wrong falls back to `state N {…}` and the rest keeps its sugar.
pub fn raise(root: &Node) -> Option<(File, RaiseStats)> {
    let file = raise_with(root, false)?.0;
    let (lowered, values) = crate::lower::lower_with_placeholders(&file);
    if same_with_placeholders(&lowered, root, &values) {
        return Some((file, RaiseStats::default()));
    }
    raise_with(root, true)
}

/// The positions of the members of a state object that the decompiler would print through
/// `raw`, or `None` when it would print the whole state as `state N {…}`: what
/// `D-RAW-SUGAR` compares a state's `raw` members with.
pub(crate) fn raw_members(node: &Node, top_jsonata: bool) -> Option<Vec<usize>> {
    let members = node.as_object()?;
    let kind = node.get("Type").and_then(Node::as_str).and_then(Kindof::from_type)?;
    if whole_state_raw(node, members, kind) {
        return None;
    }
    let mut raiser = Raiser { top_jsonata, verify: false, stats: RaiseStats::default() };
    let mut raw_at = Vec::new();
    raiser.state_noting_raw("", node, Some(kind), &Flow::End, &mut raw_at);
    Some(raw_at)
}

fn raise_with(root: &Node, verify: bool) -> Option<(File, RaiseStats)> {
    let members = root.as_object()?;
    let mut raiser = Raiser { top_jsonata: false, verify, stats: RaiseStats::default() };
    let dups = duplicate_keys(members);
    if let Some(q) = members.iter().find(|m| &*m.key.text == "QueryLanguage" && !dups.contains(&&*m.key.text))
    {
        raiser.top_jsonata = match q.value.as_str() {
            Some(text) => text != "JSONPath",
            None => true,
        };
    }
    let mut file = File::default();
    let mut raw = Vec::new();
    let mut states_node = None;
    let mut start_at: Option<&Node> = None;
    let mut seen: Vec<&str> = Vec::new();
    let ctx = Ctx { jsonata: raiser.top_jsonata, in_result: false };
    for m in members {
        let k = &*m.key.text;
        let first = !seen.contains(&k);
        seen.push(k);
        if dups.contains(&k) || !first {
            raw.push(raiser.member(m, ctx));
            continue;
        }
        match k {
            "Comment" => match m.value.as_str() {
                Some(text) if doc_printable(text) => file.inner_docs.push(Text::synthetic(text)),
                Some(_) => file.headers.push(header(HeaderKind::Comment(raiser.value(&m.value, ctx)))),
                None => raw.push(raiser.member(m, ctx)),
            },
            "QueryLanguage" => {
                file.headers.push(header(HeaderKind::Query(query_lang(&m.value, &mut raiser))))
            }
            "Version" => file.headers.push(header(HeaderKind::Version(raiser.value(&m.value, ctx)))),
            "TimeoutSeconds" => file.headers.push(header(HeaderKind::Timeout(raiser.value(&m.value, ctx)))),
            "StartAt" => start_at = Some(&m.value),
            "States" => states_node = Some(m),
            _ => raw.push(raiser.member(m, ctx)),
        }
    }
    let scope = raiser.scope(states_node, start_at, &mut raw, ctx);
    file.states = scope.states;
    if let Some(start) = scope.start {
        file.headers.push(header(HeaderKind::Start(start)));
    }
    if !raw.is_empty() {
        file.headers.push(header(HeaderKind::Raw(object(raw))));
    }
    Some((file, raiser.stats))
}

fn header(kind: HeaderKind) -> Header {
    Header { kind, range: TextRange::default(), word_range: TextRange::default() }
}

fn object(members: Vec<Member>) -> Value {
    Value::synthetic(ValueKind::Object(members))
}

fn query_lang(v: &Node, raiser: &mut Raiser) -> QueryLang {
    match v.as_str() {
        Some("JSONPath") => QueryLang::JsonPath(TextRange::default()),
        Some("JSONata") => QueryLang::Jsonata(TextRange::default()),
        _ => QueryLang::Value(raiser.value(v, Ctx { jsonata: false, in_result: false })),
    }
}

/// Whether `text` can be written as `///` (or `//!`) lines and read back unchanged.
pub(crate) fn doc_printable(text: &str) -> bool {
    text.split('\n')
        .all(|line| !line.chars().any(|c| c.is_control()) && !line.ends_with(|c: char| c.is_whitespace()))
}

fn duplicate_keys(members: &[NodeMember]) -> Vec<&str> {
    let mut dups = Vec::new();
    for (i, m) in members.iter().enumerate() {
        if members[..i].iter().any(|o| o.key.text == m.key.text) && !dups.contains(&&*m.key.text) {
            dups.push(&*m.key.text);
        }
    }
    dups
}

#[derive(Clone, Copy)]
struct Ctx {
    jsonata: bool,
    in_result: bool,
}

struct Raiser {
    top_jsonata: bool,
    /// Whether each state's sugar is lowered again and compared with the original.
    verify: bool,
    stats: RaiseStats,
}

/// A raised scope.
struct Scope {
    states: Vec<State>,
    /// `Some` when a `start` line is needed: the name, or `None` for `start none`.
    start: Option<Option<Text>>,
}

/// The kinds of state the sugar covers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kindof {
    Task,
    Pass,
    Wait,
    Choice,
    Parallel,
    Map,
    Succeed,
    Fail,
}

impl Kindof {
    fn from_type(text: &str) -> Option<Kindof> {
        Some(match text {
            "Task" => Kindof::Task,
            "Pass" => Kindof::Pass,
            "Wait" => Kindof::Wait,
            "Choice" => Kindof::Choice,
            "Parallel" => Kindof::Parallel,
            "Map" => Kindof::Map,
            "Succeed" => Kindof::Succeed,
            "Fail" => Kindof::Fail,
            _ => return None,
        })
    }

    fn has_transition(self) -> bool {
        matches!(self, Kindof::Task | Kindof::Pass | Kindof::Wait | Kindof::Parallel | Kindof::Map)
    }
}

/// One state of a scope, as the layout sees it.
struct Entry<'n> {
    name: &'n str,
    node: &'n Node,
    kind: Option<Kindof>,
    /// Printed as `state N {…}`.
    raw: bool,
    /// `Next` (or a choice's `Default`) when it names a state of this scope.
    succ: Option<usize>,
    /// The real transition: `Next`, `End` or neither (task-like states only).
    real: Option<Flow<'n>>,
    /// The sugar, raised once and verified with every transition explicit; the layout
    /// later drops what falls through and puts inline blocks in.
    raised: Option<State>,
    placed: bool,
    preds: u32,
}

/// A placed state with the chains inlined under its rules and catchers.
struct Placed {
    idx: usize,
    rule_blocks: Vec<(usize, Vec<Placed>)>,
    catch_blocks: Vec<(usize, Vec<Placed>)>,
}

impl Raiser {
    // ---- values -------------------------------------------------------------------------

    fn value(&mut self, node: &Node, ctx: Ctx) -> Value {
        let kind = match &node.value {
            NodeValue::Null => ValueKind::Null,
            NodeValue::Bool(b) => ValueKind::Bool(*b),
            NodeValue::Number(n) => ValueKind::Number(String::from(&**n)),
            NodeValue::String(s) => {
                if ctx.jsonata && !s.contains(['\n', '\r']) && lexer::is_single(&s.text, Kind::Jsonata) {
                    ValueKind::Jsonata(String::from(&*s.text))
                } else {
                    ValueKind::String(String::from(&*s.text))
                }
            }
            NodeValue::Array(items) => ValueKind::Array(items.iter().map(|i| self.value(i, ctx)).collect()),
            NodeValue::Object(members) => {
                ValueKind::Object(members.iter().map(|m| self.member(m, ctx)).collect())
            }
        };
        Value::synthetic(kind)
    }

    fn member(&mut self, m: &NodeMember, ctx: Ctx) -> Member {
        if !ctx.jsonata && !ctx.in_result {
            if let (Some(stripped), Some(text)) = (m.key.text.strip_suffix(".$"), m.value.as_str()) {
                if let Some(kind) = path_kind(text) {
                    return Member { key: Text::synthetic(stripped), value: Value::synthetic(kind) };
                }
            }
        }
        Member { key: Text::synthetic(&*m.key.text), value: self.value(&m.value, ctx) }
    }

    /// The value of a clause whose text goes into the member itself (`input`, `into`, …):
    /// a string that is a whole path prints bare.
    fn path_or_value(&mut self, node: &Node, ctx: Ctx) -> Value {
        if let Some(kind) = node.as_str().and_then(path_kind) {
            if !ctx.jsonata {
                return Value::synthetic(kind);
            }
        }
        self.value(node, ctx)
    }

    // ---- scopes -------------------------------------------------------------------------

    fn scope(
        &mut self,
        states_member: Option<&NodeMember>,
        start_at: Option<&Node>,
        raw: &mut Vec<Member>,
        ctx: Ctx,
    ) -> Scope {
        let states_obj = states_member.and_then(|m| m.value.as_object());
        let sugar_states = match states_obj {
            Some(members) if !members.is_empty() && duplicate_keys(members).is_empty() => Some(members),
            _ => None,
        };
        if sugar_states.is_none() {
            if let Some(m) = states_member {
                raw.push(self.member(m, ctx));
            }
        }
        let members = sugar_states.unwrap_or(&[]);
        let mut entries: Vec<Entry<'_>> = members.iter().map(|m| self.entry(m)).collect();
        let index: FxHashMap<&str, usize> = entries.iter().enumerate().map(|(i, e)| (e.name, i)).collect();
        for i in 0..entries.len() {
            let node = entries[i].node;
            let targets = transitions(node);
            for t in targets {
                if let Some(&j) = index.get(t) {
                    entries[j].preds += 1;
                }
            }
            entries[i].succ = match entries[i].kind {
                Some(k) if k.has_transition() => {
                    node.get("Next").and_then(Node::as_str).and_then(|n| index.get(n).copied())
                }
                Some(Kindof::Choice) => {
                    node.get("Default").and_then(Node::as_str).and_then(|n| index.get(n).copied())
                }
                _ => None,
            };
            if entries[i].raw {
                entries[i].succ = None;
            }
        }
        let start_name = start_at.and_then(Node::as_str);
        let start_idx = start_name.and_then(|n| index.get(n).copied());
        if let Some(i) = start_idx {
            entries[i].preds += 1;
        }
        let start = match start_at {
            Some(node) => match node.as_str() {
                Some(n) if start_idx.is_some() => {
                    let _ = n;
                    None
                }
                Some(n) => Some(Some(Text::synthetic(n))),
                None => {
                    raw.push(Member { key: Text::synthetic("StartAt"), value: self.value(node, ctx) });
                    (!members.is_empty()).then_some(None)
                }
            },
            None => (!members.is_empty()).then_some(None),
        };

        // Greedy chains from StartAt, then in source order.
        let mut top: Vec<Placed> = Vec::new();
        let order: Vec<usize> = start_idx.into_iter().chain(0..entries.len()).collect();
        for s0 in order {
            let mut s = Some(s0);
            while let Some(i) = s {
                if entries[i].placed {
                    break;
                }
                entries[i].placed = true;
                let succ = entries[i].succ.filter(|&j| !entries[j].placed);
                let ft = match succ {
                    Some(j) => Ft::Name(j),
                    None => Ft::Unknown,
                };
                let placed = self.place(&mut entries, &index, i, ft);
                top.push(placed);
                s = entries[i].succ.filter(|&j| !entries[j].placed);
            }
        }
        let states = self.emit_sequence(&mut entries, &top, &Flow::End);
        Scope { states, start }
    }

    fn entry<'n>(&mut self, m: &'n NodeMember) -> Entry<'n> {
        let node = &m.value;
        let kind = node.get("Type").and_then(Node::as_str).and_then(Kindof::from_type);
        let mut raw = match (node.as_object(), kind) {
            (Some(members), Some(k)) => whole_state_raw(node, members, k),
            _ => true,
        };
        let real = match kind {
            Some(k) if k.has_transition() && !raw => transition_slot(node).0,
            _ => None,
        };
        let mut raised = None;
        if !raw {
            // Raised with every transition explicit and no inline block; when verifying,
            // lowered again and compared with the original.
            let ft = real.unwrap_or(Flow::End);
            let state = self.state(&m.key.text, node, kind, &ft);
            let mut lowered = Vec::new();
            if self.verify {
                crate::lower::lower_one(&state, self.top_jsonata, &ft, &mut lowered);
            }
            if !self.verify || matches!(lowered.first(), Some(l) if same(&l.value, node)) {
                raised = Some(state);
            } else {
                self.stats.verification_fallbacks += 1;
                raw = true;
            }
        }
        Entry { name: &m.key.text, node, kind, raw, succ: None, real, raised, placed: false, preds: 0 }
    }

    /// Places `i` and inlines private chains under its rules and catchers.
    fn place(
        &mut self,
        entries: &mut [Entry<'_>],
        index: &FxHashMap<&str, usize>,
        i: usize,
        ft: Ft,
    ) -> Placed {
        let mut placed = Placed { idx: i, rule_blocks: Vec::new(), catch_blocks: Vec::new() };
        let node = entries[i].node;
        let jsonata = state_jsonata(node, self.top_jsonata);
        if entries[i].kind == Some(Kindof::Choice) {
            if let Some(rules) = node.get("Choices").and_then(Node::as_array) {
                for (r, rule) in rules.iter().enumerate() {
                    if !rule_printable(rule, jsonata) {
                        continue;
                    }
                    let Some(t) = rule.get("Next").and_then(Node::as_str).and_then(|n| index.get(n).copied())
                    else {
                        continue;
                    };
                    if let Some(chain) = private(entries, t, ft) {
                        let block = self.place_chain(entries, index, &chain, ft);
                        placed.rule_blocks.push((r, block));
                    }
                }
            }
        }
        let has_successor = entries[i].kind.is_some_and(Kindof::has_transition) && entries[i].real.is_some();
        if has_successor {
            let succ_ft = match &entries[i].real {
                Some(Flow::Name(n, _)) => index.get(n).map_or(Ft::Unknown, |&j| Ft::Name(j)),
                Some(Flow::End) => Ft::End,
                None => Ft::Unknown,
            };
            if let Some(catchers) = node.get("Catch").and_then(Node::as_array) {
                for (c, catcher) in catchers.iter().enumerate() {
                    if !catcher_printable(catcher) {
                        continue;
                    }
                    let Some(t) =
                        catcher.get("Next").and_then(Node::as_str).and_then(|n| index.get(n).copied())
                    else {
                        continue;
                    };
                    if let Some(chain) = private(entries, t, succ_ft) {
                        let block = self.place_chain(entries, index, &chain, succ_ft);
                        placed.catch_blocks.push((c, block));
                    }
                }
            }
        }
        placed
    }

    fn place_chain(
        &mut self,
        entries: &mut [Entry<'_>],
        index: &FxHashMap<&str, usize>,
        chain: &[usize],
        cont: Ft,
    ) -> Vec<Placed> {
        for &c in chain {
            entries[c].placed = true;
        }
        let mut out = Vec::new();
        for (k, &c) in chain.iter().enumerate() {
            let ft = chain.get(k + 1).map_or(cont, |&n| Ft::Name(n));
            out.push(self.place(entries, index, c, ft));
        }
        out
    }

    fn emit_sequence<'n>(
        &mut self,
        entries: &mut [Entry<'n>],
        seq: &[Placed],
        cont: &Flow<'n>,
    ) -> Vec<State> {
        let mut out = Vec::new();
        for (k, p) in seq.iter().enumerate() {
            let ft = match seq.get(k + 1) {
                Some(next) => Flow::Name(entries[next.idx].name, TextRange::default()),
                None => *cont,
            };
            out.push(self.emit_state(entries, p, &ft));
        }
        out
    }

    fn emit_state<'n>(&mut self, entries: &mut [Entry<'n>], p: &Placed, ft: &Flow<'n>) -> State {
        let rule_blocks: Vec<(usize, Vec<State>)> =
            p.rule_blocks.iter().map(|(r, seq)| (*r, self.emit_sequence(entries, seq, ft))).collect();
        let successor = entries[p.idx].real.unwrap_or(Flow::End);
        let catch_blocks: Vec<(usize, Vec<State>)> = p
            .catch_blocks
            .iter()
            .map(|(c, seq)| (*c, self.emit_sequence(entries, seq, &successor)))
            .collect();
        let e = &mut entries[p.idx];
        let Some(mut state) = e.raised.take().filter(|_| !e.raw) else {
            let jsonata = state_jsonata(e.node, self.top_jsonata);
            let value = self.value(e.node, Ctx { jsonata, in_result: false });
            return State {
                docs: Vec::new(),
                head: Head::Raw(value),
                name: Text::synthetic(e.name),
                body: None,
                trans: None,
                keyword_range: TextRange::default(),
                range: TextRange::default(),
            };
        };
        // The state was raised with its real transition as fallthrough: print the
        // transition and the `else` only where they differ from the layout's fallthrough.
        if state.trans.is_none() {
            if let Some(real) = e.real.as_ref().filter(|real| *real != ft) {
                state.trans = Some(Trans {
                    kind: match real {
                        Flow::Name(n, _) => TransKind::Goto(Text::synthetic(*n)),
                        Flow::End => TransKind::End,
                    },
                    range: TextRange::default(),
                });
            }
        }
        if let Some(body) = state.body.as_mut() {
            if let Some(Else { kind: ElseKind::Goto(target), .. }) = &body.else_ {
                if ft.name() == Some(target.text.as_str()) {
                    body.else_ = None;
                }
            }
            for (r, states) in rule_blocks {
                if let Some(Rule { kind: RuleKind::Sugar { target, .. }, .. }) = body.rules.get_mut(r) {
                    *target = Target::Block(Block { states, ..Block::default() });
                }
            }
            let mut catches = body.clauses.iter_mut().filter_map(|c| match &mut c.kind {
                ClauseKind::Catch(Catch::Sugar { target, .. }) => Some(Some(target)),
                ClauseKind::Catch(Catch::Raw(_)) => Some(None),
                _ => None,
            });
            let mut at = 0;
            for (c, states) in catch_blocks {
                if let Some(Some(target)) = catches.nth(c - at) {
                    *target = Target::Block(Block { states, ..Block::default() });
                }
                at = c + 1;
            }
        }
        state
    }

    // ---- one state ----------------------------------------------------------------------

    fn state(&mut self, name: &str, node: &Node, kind: Option<Kindof>, ft: &Flow<'_>) -> State {
        self.state_noting_raw(name, node, kind, ft, &mut Vec::new())
    }

    /// [`Raiser::state`], noting in `raw_at` the positions of the members that go to `raw`.
    fn state_noting_raw(
        &mut self,
        name: &str,
        node: &Node,
        kind: Option<Kindof>,
        ft: &Flow<'_>,
        raw_at: &mut Vec<usize>,
    ) -> State {
        let kind = kind.unwrap_or(Kindof::Pass);
        let fail_order = |w: &FailWord| usize::from(*w == FailWord::Cause);
        let members = node.as_object().unwrap_or(&[]);
        let jsonata = state_jsonata(node, self.top_jsonata);
        let ctx = Ctx { jsonata, in_result: false };
        let mut docs = Vec::new();
        // A few clauses at first: a request of more than 1 KiB makes the system allocator
        // consolidate its free lists.
        let mut clauses: Vec<Clause> = Vec::with_capacity(4);
        let mut raw: Vec<Member> = Vec::new();
        let mut taken: Vec<&'static str> = Vec::with_capacity(members.len() + 1);
        let mut wait_op = None;
        let mut over = None;
        let mut fail_ops: Vec<(FailWord, Value)> = Vec::new();
        let mut resource_ast = None;
        let mut rules = Vec::new();
        let mut else_ = None;
        let (real, transition_key) = if kind.has_transition() { transition_slot(node) } else { (None, None) };
        let mut raw_transition = false;
        let clause = |kind: ClauseKind| Clause {
            docs: Vec::new(),
            kind,
            word_range: TextRange::default(),
            range: TextRange::default(),
        };
        for (at, m) in members.iter().enumerate() {
            let k = &*m.key.text;
            let v = &m.value;
            // Which slot the member would take, and the clause it prints as.
            let take = |slot: &'static str, taken: &mut Vec<&'static str>| -> bool {
                if taken.contains(&slot) {
                    false
                } else {
                    taken.push(slot);
                    true
                }
            };
            let sugared = match k {
                "Type" => take("Type", &mut taken),
                "Comment" => match v.as_str() {
                    Some(text) if doc_printable(text) && take("Comment", &mut taken) => {
                        docs.push(Text::synthetic(text));
                        true
                    }
                    _ if take("Comment", &mut taken) => {
                        clauses.push(clause(ClauseKind::Value(Word::Comment, self.value(v, ctx))));
                        true
                    }
                    _ => false,
                },
                "QueryLanguage" if take("QueryLanguage", &mut taken) => {
                    clauses.push(clause(ClauseKind::Query(query_lang(v, self))));
                    true
                }
                "Resource"
                    if kind == Kindof::Task && v.as_str().is_some() && take("Resource", &mut taken) =>
                {
                    resource_ast = Some(resource_of(v.as_str().unwrap_or_default()));
                    true
                }
                "Credentials" if take("Credentials", &mut taken) => {
                    clauses.push(clause(ClauseKind::Value(Word::Credentials, self.value(v, ctx))));
                    true
                }
                "Error" | "ErrorPath" | "Cause" | "CausePath" if kind == Kindof::Fail => {
                    let (slot, word) = if k.starts_with("Error") {
                        ("Error", FailWord::Error)
                    } else {
                        ("Cause", FailWord::Cause)
                    };
                    match self.twin_value(k.ends_with("Path"), v, ctx) {
                        Some(value) if take(slot, &mut taken) => {
                            fail_ops.push((word, value));
                            true
                        }
                        _ => false,
                    }
                }
                "Seconds" | "SecondsPath" | "Timestamp" | "TimestampPath" if kind == Kindof::Wait => {
                    let word = if k.starts_with("Seconds") { WaitWord::Seconds } else { WaitWord::Until };
                    match self.twin_value(k.ends_with("Path"), v, ctx) {
                        Some(value) if take("wait", &mut taken) => {
                            wait_op = Some((word, value));
                            true
                        }
                        _ => false,
                    }
                }
                "InputPath" if !jsonata && take("InputPath", &mut taken) => {
                    clauses.push(clause(ClauseKind::Value(Word::Input, self.path_or_value(v, ctx))));
                    true
                }
                "ItemsPath" if kind == Kindof::Map && !jsonata && take("over", &mut taken) => {
                    over = Some(self.path_or_value(v, ctx));
                    true
                }
                "Items" if kind == Kindof::Map && jsonata && take("over", &mut taken) => {
                    over = Some(self.value(v, ctx));
                    true
                }
                "Parameters" if !jsonata && take("args", &mut taken) => {
                    clauses.push(clause(ClauseKind::Value(Word::Args, self.value(v, ctx))));
                    true
                }
                "Arguments" if jsonata && take("args", &mut taken) => {
                    clauses.push(clause(ClauseKind::Value(Word::Args, self.value(v, ctx))));
                    true
                }
                "ItemSelector" if take(k_static(k), &mut taken) => {
                    clauses.push(clause(ClauseKind::Value(Word::Each, self.value(v, ctx))));
                    true
                }
                "ItemBatcher" if take(k_static(k), &mut taken) => {
                    clauses.push(clause(ClauseKind::Value(Word::Batch, self.value(v, ctx))));
                    true
                }
                "MaxConcurrency" | "MaxConcurrencyPath" => {
                    self.twin(&mut clauses, &mut taken, Word::Concurrency, k, v, ctx)
                }
                "ToleratedFailurePercentage" | "ToleratedFailurePercentagePath" => {
                    self.twin(&mut clauses, &mut taken, Word::TolerancePercent, k, v, ctx)
                }
                "ToleratedFailureCount" | "ToleratedFailureCountPath" => {
                    self.twin(&mut clauses, &mut taken, Word::TolerateCount, k, v, ctx)
                }
                "TimeoutSeconds" | "TimeoutSecondsPath" => {
                    self.twin(&mut clauses, &mut taken, Word::Timeout, k, v, ctx)
                }
                "HeartbeatSeconds" | "HeartbeatSecondsPath" => {
                    self.twin(&mut clauses, &mut taken, Word::Heartbeat, k, v, ctx)
                }
                "Label" if take("Label", &mut taken) => {
                    clauses.push(clause(ClauseKind::Value(Word::Label, self.value(v, ctx))));
                    true
                }
                "Result" if take("Result", &mut taken) => {
                    let value = self.value(v, Ctx { jsonata, in_result: true });
                    clauses.push(clause(ClauseKind::Value(Word::Result, value)));
                    true
                }
                "ResultSelector" if !jsonata && take("ResultSelector", &mut taken) => {
                    clauses.push(clause(ClauseKind::Value(Word::Select, self.value(v, ctx))));
                    true
                }
                "ResultPath" if !jsonata && take("ResultPath", &mut taken) => {
                    clauses.push(clause(ClauseKind::Value(Word::Into, self.path_or_value(v, ctx))));
                    true
                }
                "OutputPath" if !jsonata && take("output", &mut taken) => {
                    clauses.push(clause(ClauseKind::Value(Word::Output, self.path_or_value(v, ctx))));
                    true
                }
                "Output" if jsonata && take("output", &mut taken) => {
                    clauses.push(clause(ClauseKind::Value(Word::Output, self.value(v, ctx))));
                    true
                }
                "Assign" if take("Assign", &mut taken) => {
                    clauses.push(clause(ClauseKind::Value(Word::Assign, self.value(v, ctx))));
                    true
                }
                "ItemReader" => match self.io(v, ctx, "ReaderConfig", true) {
                    Some((Some(res), io)) if take("ItemReader", &mut taken) => {
                        clauses.push(clause(ClauseKind::Reader(res, io)));
                        true
                    }
                    _ => false,
                },
                "ResultWriter" => match self.io(v, ctx, "WriterConfig", false) {
                    Some((res, io)) if take("ResultWriter", &mut taken) => {
                        clauses.push(clause(ClauseKind::Writer(res, io)));
                        true
                    }
                    _ => false,
                },
                "ItemProcessor" | "Iterator" => match v.as_object() {
                    Some(obj) if duplicate_keys(obj).is_empty() && take(k_static(k), &mut taken) => {
                        let (block, modes, comment) = self.nested(v, true);
                        let mut c = clause(ClauseKind::Process { iterator: k == "Iterator", modes, block });
                        c.docs = comment;
                        clauses.push(c);
                        true
                    }
                    _ => false,
                },
                "Branches" => match v.as_array() {
                    Some(items)
                        if items
                            .iter()
                            .all(|b| b.as_object().is_some_and(|o| duplicate_keys(o).is_empty()))
                            && take("Branches", &mut taken) =>
                    {
                        for b in items {
                            let (block, _, comment) = self.nested(b, false);
                            let mut c = clause(ClauseKind::Branch(block));
                            c.docs = comment;
                            clauses.push(c);
                        }
                        true
                    }
                    _ => false,
                },
                "Retry" => match v.as_array() {
                    Some(items) if take("Retry", &mut taken) => {
                        for r in items {
                            clauses.push(self.retrier(r, ctx));
                        }
                        !items.is_empty()
                    }
                    _ => false,
                },
                "Catch" => match v.as_array() {
                    Some(items) if take("Catch", &mut taken) => {
                        for catcher in items {
                            clauses.push(self.catcher(catcher, ctx));
                        }
                        !items.is_empty()
                    }
                    _ => false,
                },
                "Choices" if kind == Kindof::Choice && take("Choices", &mut taken) => {
                    if let Some(items) = v.as_array() {
                        for (r, rule) in items.iter().enumerate() {
                            rules.push(self.rule(rule, jsonata, r > 0));
                        }
                    }
                    true
                }
                "Default"
                    if kind == Kindof::Choice && v.as_str().is_some() && take("Default", &mut taken) =>
                {
                    let target = v.as_str().unwrap_or_default();
                    if ft.name() != Some(target) {
                        else_ = Some(Else {
                            kind: ElseKind::Goto(Text::synthetic(target)),
                            range: TextRange::default(),
                        });
                    }
                    true
                }
                "Next" | "End" if transition_key == Some(m as *const NodeMember) => true,
                _ => false,
            };
            if !sugared {
                if matches!(k, "Next" | "End") && kind.has_transition() {
                    raw_transition = true;
                }
                if kind == Kindof::Choice && k == "Default" {
                    taken.push("Default");
                }
                raw_at.push(at);
                raw.push(self.member(m, ctx));
            }
        }
        if kind == Kindof::Choice && !taken.contains(&"Default") {
            else_ = Some(Else { kind: ElseKind::None, range: TextRange::default() });
        }
        // ASL emits `Retry` before `Catch` whatever their order in the source.
        clauses.sort_by_key(|c| usize::from(matches!(c.kind, ClauseKind::Catch(_))));
        if !raw.is_empty() {
            clauses.push(clause(ClauseKind::Raw(object(raw))));
        }
        let trans = if kind.has_transition() {
            let print = match &real {
                _ if raw_transition => true,
                Some(flow) => flow != ft,
                None => true,
            };
            print.then(|| Trans {
                kind: match &real {
                    Some(Flow::Name(n, _)) => TransKind::Goto(Text::synthetic(*n)),
                    Some(Flow::End) => TransKind::End,
                    None => TransKind::None,
                },
                range: TextRange::default(),
            })
        } else {
            None
        };
        let head = match kind {
            Kindof::Task => Head::Task(resource_ast.unwrap_or_else(|| resource_of(""))),
            Kindof::Pass => Head::Pass,
            Kindof::Wait => Head::Wait(wait_op),
            Kindof::Choice => Head::Choice,
            Kindof::Parallel => Head::Parallel,
            Kindof::Map => Head::Map(over),
            Kindof::Succeed => Head::Succeed,
            Kindof::Fail => {
                fail_ops.sort_by_key(|(w, _)| fail_order(w));
                Head::Fail(fail_ops)
            }
        };
        let body = Body { clauses, rules, else_, range: TextRange::default() };
        State {
            docs,
            head,
            name: Text::synthetic(name),
            body: Some(body),
            trans,
            keyword_range: TextRange::default(),
            range: TextRange::default(),
        }
    }

    /// A header operand with a `…Path` twin: the twin needs a whole path.
    fn twin_value(&mut self, is_path: bool, v: &Node, ctx: Ctx) -> Option<Value> {
        if is_path {
            if ctx.jsonata {
                return None;
            }
            v.as_str().and_then(path_kind).map(Value::synthetic)
        } else {
            Some(self.value(v, ctx))
        }
    }

    fn twin(
        &mut self,
        clauses: &mut Vec<Clause>,
        taken: &mut Vec<&'static str>,
        word: Word,
        k: &str,
        v: &Node,
        ctx: Ctx,
    ) -> bool {
        let slot = word.as_str();
        if taken.contains(&slot) {
            return false;
        }
        let Some(value) = self.twin_value(k.ends_with("Path"), v, ctx) else {
            return false;
        };
        taken.push(slot);
        clauses.push(Clause {
            docs: Vec::new(),
            kind: ClauseKind::Value(word, value),
            word_range: TextRange::default(),
            range: TextRange::default(),
        });
        true
    }

    fn io(
        &mut self,
        v: &Node,
        ctx: Ctx,
        config_key: &str,
        needs_resource: bool,
    ) -> Option<(Option<Resource>, Option<Io>)> {
        let members = v.as_object()?;
        if !duplicate_keys(members).is_empty() {
            return None;
        }
        let args_key = if ctx.jsonata { "Arguments" } else { "Parameters" };
        let mut res = None;
        let mut io = Io::default();
        for m in members {
            let k = &*m.key.text;
            if k == "Resource" && m.value.as_str().is_some() {
                res = Some(resource_of(m.value.as_str().unwrap_or_default()));
            } else if k == config_key {
                io.config.push((TextRange::default(), self.value(&m.value, ctx)));
            } else if k == args_key {
                io.args.push((TextRange::default(), self.value(&m.value, ctx)));
            } else {
                let member = self.member(m, ctx);
                match io.raw.first_mut() {
                    Some(Value { kind: ValueKind::Object(ms), .. }) => ms.push(member),
                    _ => io.raw.push(object(vec![member])),
                }
            }
        }
        if needs_resource && res.is_none() {
            return None;
        }
        let io = (!io.config.is_empty() || !io.args.is_empty() || !io.raw.is_empty()).then_some(io);
        Some((res, io))
    }

    /// A branch or processor: its block, processor modes and documentation.
    fn nested(&mut self, v: &Node, processor: bool) -> (Block, Vec<Text>, Vec<Text>) {
        let members = v.as_object().unwrap_or(&[]);
        let ctx = Ctx { jsonata: self.top_jsonata, in_result: false };
        let mut raw = Vec::new();
        let mut docs = Vec::new();
        let mut modes = Vec::new();
        let mut start_at = None;
        let mut states = None;
        for m in members {
            match &*m.key.text {
                "Comment" if m.value.as_str().is_some_and(doc_printable) => {
                    docs.push(Text::synthetic(m.value.as_str().unwrap_or_default()));
                }
                "ProcessorConfig" if processor && processor_modes(&m.value).is_some() => {
                    modes = processor_modes(&m.value).unwrap_or_default();
                }
                "StartAt" => start_at = Some(&m.value),
                "States" => states = Some(m),
                _ => raw.push(self.member(m, ctx)),
            }
        }
        let scope = self.scope(states, start_at, &mut raw, ctx);
        let mut block = Block { states: scope.states, ..Block::default() };
        if let Some(start) = scope.start {
            block.start.push((TextRange::default(), start));
        }
        if !raw.is_empty() {
            block.raw.push(object(raw));
        }
        (block, modes, docs)
    }

    fn retrier(&mut self, r: &Node, ctx: Ctx) -> Clause {
        let clause = |kind| Clause {
            docs: Vec::new(),
            kind,
            word_range: TextRange::default(),
            range: TextRange::default(),
        };
        let Some(members) = r.as_object().filter(|ms| retrier_printable(ms)) else {
            return clause(ClauseKind::Retry(Retry::Raw(self.value(r, ctx))));
        };
        let mut docs = Vec::new();
        let mut errors = None;
        let mut options = Vec::new();
        for m in members {
            let option = match &*m.key.text {
                "Comment" => {
                    docs.push(Text::synthetic(m.value.as_str().unwrap_or_default()));
                    continue;
                }
                "ErrorEquals" => {
                    errors = Some(errors_of(&m.value));
                    continue;
                }
                "IntervalSeconds" => RetryOption::Interval,
                "MaxAttempts" => RetryOption::Attempts,
                "BackoffRate" => RetryOption::Backoff,
                "MaxDelaySeconds" => RetryOption::MaxDelay,
                _ => RetryOption::Jitter,
            };
            options.push((option, TextRange::default(), self.value(&m.value, ctx)));
        }
        let order = |o: &RetryOption| match o {
            RetryOption::Interval => 0,
            RetryOption::Attempts => 1,
            RetryOption::Backoff => 2,
            RetryOption::MaxDelay => 3,
            RetryOption::Jitter => 4,
        };
        options.sort_by_key(|(o, _, _)| order(o));
        let errors = errors.unwrap_or(Errors { names: Vec::new(), list: true, range: TextRange::default() });
        let mut c = clause(ClauseKind::Retry(Retry::Sugar { errors, options }));
        c.docs = docs;
        c
    }

    fn catcher(&mut self, c: &Node, ctx: Ctx) -> Clause {
        let clause = |kind| Clause {
            docs: Vec::new(),
            kind,
            word_range: TextRange::default(),
            range: TextRange::default(),
        };
        let Some(members) = c.as_object().filter(|_| catcher_printable(c)) else {
            return clause(ClauseKind::Catch(Catch::Raw(self.value(c, ctx))));
        };
        let mut docs = Vec::new();
        let mut errors = None;
        let mut options = Vec::new();
        let mut next = String::new();
        for m in members {
            match &*m.key.text {
                "Comment" => docs.push(Text::synthetic(m.value.as_str().unwrap_or_default())),
                "ErrorEquals" => errors = Some(errors_of(&m.value)),
                "ResultPath" => {
                    options.push((Opt::Into, TextRange::default(), self.path_or_value(&m.value, ctx)))
                }
                "Output" => options.push((Opt::Output, TextRange::default(), self.value(&m.value, ctx))),
                "Assign" => options.push((Opt::Assign, TextRange::default(), self.value(&m.value, ctx))),
                _ => next = m.value.as_str().unwrap_or_default().to_owned(),
            }
        }
        let order = |o: &Opt| match o {
            Opt::Into => 0,
            Opt::Output => 1,
            Opt::Assign => 2,
        };
        options.sort_by_key(|(o, _, _)| order(o));
        let target = Target::Goto(Text::synthetic(next));
        let errors = errors.unwrap_or(Errors { names: Vec::new(), list: true, range: TextRange::default() });
        let mut out = clause(ClauseKind::Catch(Catch::Sugar { errors, options, target }));
        out.docs = docs;
        out
    }

    fn rule(&mut self, rule: &Node, jsonata: bool, else_if: bool) -> Rule {
        let ctx = Ctx { jsonata, in_result: false };
        let mut out = Rule {
            docs: Vec::new(),
            else_if,
            kind: RuleKind::Raw(Value::synthetic(ValueKind::Null)),
            range: TextRange::default(),
            if_range: TextRange::default(),
        };
        if !rule_printable(rule, jsonata) {
            out.kind = RuleKind::Raw(self.value(rule, ctx));
            return out;
        }
        let members = rule.as_object().unwrap_or(&[]);
        let mut options = Vec::new();
        let mut next = String::new();
        for m in members {
            match &*m.key.text {
                "Comment" => out.docs.push(Text::synthetic(m.value.as_str().unwrap_or_default())),
                "Assign" => options.push((Opt::Assign, TextRange::default(), self.value(&m.value, ctx))),
                "Output" => options.push((Opt::Output, TextRange::default(), self.value(&m.value, ctx))),
                "Next" => next = m.value.as_str().unwrap_or_default().to_owned(),
                _ => {}
            }
        }
        options.sort_by_key(|(o, _, _)| usize::from(*o == Opt::Output));
        let cond = condition(rule, jsonata, self)
            .unwrap_or(Cond { kind: CondKind::And(Vec::new()), range: TextRange::default() });
        let target = Target::Goto(Text::synthetic(next));
        out.kind = RuleKind::Sugar { cond, options, target };
        out
    }
}

/// Whether a state of a known kind prints as `state N {…}` (dsl.md §9.5).
fn whole_state_raw(node: &Node, members: &[NodeMember], kind: Kindof) -> bool {
    !duplicate_keys(members).is_empty()
        || (kind == Kindof::Task && node.get("Resource").and_then(Node::as_str).is_none())
        || (kind == Kindof::Choice
            && node.get("Choices").and_then(Node::as_array).is_none_or(<[Node]>::is_empty))
}

/// Where the layout expects a state to continue.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ft {
    Name(usize),
    End,
    Unknown,
}

/// The chain starting at `t` when it may be inlined in a block continuing at `ft`.
fn private(entries: &[Entry<'_>], t: usize, ft: Ft) -> Option<Vec<usize>> {
    let ok = |i: usize| !entries[i].placed && entries[i].preds == 1 && !entries[i].raw;
    if !ok(t) {
        return None;
    }
    let mut chain = vec![t];
    let mut cur = t;
    loop {
        let e = &entries[cur];
        let terminal = matches!(e.kind, Some(Kindof::Succeed | Kindof::Fail)) || e.real == Some(Flow::End);
        if terminal {
            return Some(chain);
        }
        match e.succ {
            Some(n) if Ft::Name(n) == ft || entries[n].placed => return Some(chain),
            Some(n) if ok(n) && !chain.contains(&n) => {
                chain.push(n);
                if chain.len() > MAX_INLINE {
                    return None;
                }
                cur = n;
            }
            _ => return None,
        }
    }
}

/// The names a state transitions to: `Next`, `Default`, rule and catcher `Next`s.
fn transitions(node: &Node) -> Vec<&str> {
    let mut out = Vec::new();
    for key in ["Next", "Default"] {
        if let Some(n) = node.get(key).and_then(Node::as_str) {
            out.push(n);
        }
    }
    for key in ["Choices", "Catch"] {
        if let Some(items) = node.get(key).and_then(Node::as_array) {
            out.extend(items.iter().filter_map(|i| i.get("Next").and_then(Node::as_str)));
        }
    }
    out
}

/// The transition slot of a task-like state: the first `Next` (string) or `End: true` in
/// member order, and that member.
fn transition_slot(node: &Node) -> (Option<Flow<'_>>, Option<*const NodeMember>) {
    for m in node.as_object().unwrap_or(&[]) {
        match (&*m.key.text, &m.value.value) {
            ("Next", NodeValue::String(s)) => {
                return (Some(Flow::Name(&s.text, TextRange::default())), Some(m))
            }
            ("End", NodeValue::Bool(true)) => return (Some(Flow::End), Some(m)),
            _ => {}
        }
    }
    (None, None)
}

fn state_jsonata(node: &Node, top: bool) -> bool {
    match node.get("QueryLanguage").map(Node::as_str) {
        Some(Some(q)) => q != "JSONPath",
        _ => top,
    }
}

fn k_static(k: &str) -> &'static str {
    match k {
        "ItemSelector" => "ItemSelector",
        "ItemBatcher" => "ItemBatcher",
        "ItemProcessor" | "Iterator" => "processor",
        _ => "other",
    }
}

/// A string that lexes completely as a path or intrinsic, as that token.
fn path_kind(text: &str) -> Option<ValueKind> {
    // Every path starts with `$` and every intrinsic with `States.`; most strings are
    // neither, and need no lexing.
    if !text.starts_with('$') && !text.starts_with("States.") {
        return None;
    }
    if lexer::is_single(text, Kind::Path) {
        Some(ValueKind::Path(text.to_owned()))
    } else if lexer::is_single(text, Kind::Intrinsic) {
        Some(ValueKind::Intrinsic(text.to_owned()))
    } else {
        None
    }
}

pub(crate) fn processor_modes(v: &Node) -> Option<Vec<Text>> {
    let members = v.as_object()?;
    if members.is_empty() || !duplicate_keys(members).is_empty() {
        return None;
    }
    let mut modes = Vec::new();
    for m in members {
        let word = match (&*m.key.text, m.value.as_str()?) {
            ("Mode", "INLINE") => "inline",
            ("Mode", "DISTRIBUTED") => "distributed",
            ("ExecutionType", "STANDARD") => "standard",
            ("ExecutionType", "EXPRESS") => "express",
            _ => return None,
        };
        modes.push(Text::synthetic(word));
    }
    Some(modes)
}

/// The resource syntax for an ARN.
pub(crate) fn resource_of(arn: &str) -> Resource {
    let literal = |word| Resource {
        kind: ResourceKind::Literal { word, text: arn.to_owned() },
        range: TextRange::default(),
    };
    if let Some(rest) = arn.strip_prefix("arn:aws:states:::") {
        let (sdk, rest) = match rest.strip_prefix("aws-sdk:") {
            Some(r) => (true, r),
            None => (false, rest),
        };
        if let Some((service, tail)) = rest.split_once(':') {
            let (action, suffix) = match tail.split_once('.') {
                Some((a, s)) => (a, Some(s)),
                None => (tail, None),
            };
            let suffix_ok = match suffix {
                None => true,
                Some("sync" | "waitForTaskToken") => true,
                Some(s) => s
                    .strip_prefix("sync:")
                    .is_some_and(|n| lexer::is_single(n, Kind::Number) && !n.starts_with('-')),
            };
            if lexer::is_name(service)
                && lexer::is_name(action)
                && suffix_ok
                && !(sdk && service == "aws-sdk")
            {
                let candidate = Resource {
                    kind: ResourceKind::Service {
                        sdk,
                        service: service.to_owned(),
                        action: action.to_owned(),
                        suffix: suffix.map(str::to_owned),
                    },
                    range: TextRange::default(),
                };
                if candidate.arn() == arn && (sdk || service != "aws-sdk") && service != "sdk" {
                    return candidate;
                }
            }
        }
    }
    let parts: Vec<&str> = arn.split(':').collect();
    if parts.len() > 2 && parts[0] == "arn" && parts[2] == "lambda" {
        literal(LiteralWord::Lambda)
    } else if parts.len() > 5 && parts[0] == "arn" && parts[2] == "states" && parts[5] == "activity" {
        literal(LiteralWord::Activity)
    } else {
        literal(LiteralWord::Resource)
    }
}

fn errors_of(v: &Node) -> Errors {
    let names = v
        .as_array()
        .unwrap_or(&[])
        .iter()
        .map(|n| Text::synthetic(n.as_str().unwrap_or_default()))
        .collect::<Vec<_>>();
    let list = names.len() != 1;
    Errors { names, list, range: TextRange::default() }
}

fn error_list_printable(v: &Node) -> bool {
    v.as_array().is_some_and(|items| items.iter().all(|i| i.as_str().is_some()))
}

fn retrier_printable(members: &[NodeMember]) -> bool {
    duplicate_keys(members).is_empty()
        && members.iter().any(|m| &*m.key.text == "ErrorEquals")
        && members.iter().all(|m| match &*m.key.text {
            "Comment" => m.value.as_str().is_some_and(doc_printable),
            "ErrorEquals" => error_list_printable(&m.value),
            "IntervalSeconds" | "MaxAttempts" | "BackoffRate" | "MaxDelaySeconds" | "JitterStrategy" => true,
            _ => false,
        })
}

fn catcher_printable(c: &Node) -> bool {
    let Some(members) = c.as_object() else {
        return false;
    };
    duplicate_keys(members).is_empty()
        && members.iter().any(|m| &*m.key.text == "ErrorEquals")
        && members.iter().any(|m| &*m.key.text == "Next")
        && members.iter().all(|m| match &*m.key.text {
            "Comment" => m.value.as_str().is_some_and(doc_printable),
            "ErrorEquals" => error_list_printable(&m.value),
            "Next" => m.value.as_str().is_some(),
            "ResultPath" | "Output" | "Assign" => true,
            _ => false,
        })
}

fn rule_printable(rule: &Node, jsonata: bool) -> bool {
    let Some(members) = rule.as_object() else {
        return false;
    };
    if !duplicate_keys(members).is_empty() || !members.iter().any(|m| &*m.key.text == "Next") {
        return false;
    }
    let outer_ok = members.iter().all(|m| match &*m.key.text {
        "Comment" => m.value.as_str().is_some_and(doc_printable),
        "Next" => m.value.as_str().is_some(),
        _ => true,
    });
    let cond_members: Vec<&NodeMember> = members
        .iter()
        .filter(|m| !matches!(&*m.key.text, "Comment" | "Next" | "Assign" | "Output"))
        .collect();
    outer_ok && cond_printable(&cond_members, jsonata, 0)
}

/// Whether condition members (a rule without `Comment`, `Next`, `Assign`, `Output`) print
/// as a sugared condition.
fn cond_printable(members: &[&NodeMember], jsonata: bool, depth: usize) -> bool {
    if depth > 64 {
        return false;
    }
    if jsonata {
        return members.len() == 1
            && &*members[0].key.text == "Condition"
            && matches!(
                members[0].value.value,
                NodeValue::String(_) | NodeValue::Number(_) | NodeValue::Bool(_)
            );
    }
    match members {
        [one] => match &*one.key.text {
            "And" | "Or" => one.value.as_array().is_some_and(|items| {
                items.iter().all(|i| {
                    i.as_object().is_some_and(|ms| {
                        duplicate_keys(ms).is_empty()
                            && cond_printable(&ms.iter().collect::<Vec<_>>(), false, depth + 1)
                    })
                })
            }),
            "Not" => one.value.as_object().is_some_and(|ms| {
                duplicate_keys(ms).is_empty()
                    && cond_printable(&ms.iter().collect::<Vec<_>>(), false, depth + 1)
            }),
            _ => false,
        },
        [a, b] => {
            let (var, op) = if &*a.key.text == "Variable" { (a, b) } else { (b, a) };
            &*var.key.text == "Variable"
                && var.value.as_str().is_some_and(|t| lexer::is_single(t, Kind::Path))
                && comparison(&op.key.text, &op.value).is_some()
        }
        _ => false,
    }
}

/// The sugar of one ASL comparison operator and operand: type word, operator, operand, or
/// an `is` test.
fn comparison(op: &str, value: &Node) -> Option<CondKind> {
    let dummy = Text::synthetic("");
    for test in IsTest::ALL {
        if op == test.member() {
            let b = value.as_bool()?;
            return Some(CondKind::Is { path: dummy, negated: !b, test });
        }
    }
    let (family, rest) = ["String", "Numeric", "Boolean", "Timestamp"]
        .iter()
        .find_map(|f| op.strip_prefix(f).map(|r| (*f, r)))?;
    let (rest, is_path) = match rest.strip_suffix("Path") {
        Some(r) => (r, true),
        None => (rest, false),
    };
    let cmp = match rest {
        "Equals" => CmpOp::Eq,
        "LessThan" => CmpOp::Lt,
        "LessThanEquals" => CmpOp::Le,
        "GreaterThan" => CmpOp::Gt,
        "GreaterThanEquals" => CmpOp::Ge,
        "Matches" if family == "String" && !is_path => CmpOp::Matches,
        _ => return None,
    };
    if family == "Boolean" && cmp != CmpOp::Eq {
        return None;
    }
    let word = match family {
        "String" => TypeWord::String,
        "Numeric" => TypeWord::Number,
        "Boolean" => TypeWord::Boolean,
        _ => TypeWord::Timestamp,
    };
    let (type_word, operand) = if is_path {
        let text = value.as_str().filter(|t| lexer::is_single(t, Kind::Path))?;
        (Some(word), ValueKind::Path(text.to_owned()))
    } else {
        match (word, &value.value) {
            (TypeWord::String, NodeValue::String(s)) => (None, ValueKind::String(String::from(&*s.text))),
            (TypeWord::Timestamp, NodeValue::String(s)) => {
                (Some(word), ValueKind::String(String::from(&*s.text)))
            }
            (TypeWord::Number, NodeValue::Number(n)) => (None, ValueKind::Number(String::from(&**n))),
            (TypeWord::Boolean, NodeValue::Bool(b)) => (None, ValueKind::Bool(*b)),
            _ => return None,
        }
    };
    Some(CondKind::Compare { type_word, path: dummy, op: cmp, operand: Value::synthetic(operand) })
}

fn condition(rule: &Node, jsonata: bool, raiser: &mut Raiser) -> Option<Cond> {
    let members: Vec<&NodeMember> = rule
        .as_object()?
        .iter()
        .filter(|m| !matches!(&*m.key.text, "Comment" | "Next" | "Assign" | "Output"))
        .collect();
    cond_of(&members, jsonata, raiser)
}

fn cond_of(members: &[&NodeMember], jsonata: bool, raiser: &mut Raiser) -> Option<Cond> {
    let wrap = |kind| Some(Cond { kind, range: TextRange::default() });
    if jsonata {
        let v = raiser.value(&members.first()?.value, Ctx { jsonata: true, in_result: false });
        return wrap(CondKind::Literal(v));
    }
    match members {
        [one] => match &*one.key.text {
            "And" | "Or" => {
                let mut items = Vec::new();
                for i in one.value.as_array()? {
                    let ms: Vec<&NodeMember> = i.as_object()?.iter().collect();
                    items.push(cond_of(&ms, false, raiser)?);
                }
                wrap(if &*one.key.text == "And" { CondKind::And(items) } else { CondKind::Or(items) })
            }
            "Not" => {
                let ms: Vec<&NodeMember> = one.value.as_object()?.iter().collect();
                let inner = cond_of(&ms, false, raiser)?;
                // `Not` around an `…Equals…` comparison prints as `!=`.
                if let CondKind::Compare { type_word, path, op: CmpOp::Eq, operand } = &inner.kind {
                    return wrap(CondKind::Compare {
                        type_word: *type_word,
                        path: path.clone(),
                        op: CmpOp::Ne,
                        operand: operand.clone(),
                    });
                }
                wrap(CondKind::Not(Box::new(inner)))
            }
            _ => None,
        },
        [a, b] => {
            let (var, op) = if &*a.key.text == "Variable" { (a, b) } else { (b, a) };
            let path = Text::synthetic(var.value.as_str()?);
            let kind = match comparison(&op.key.text, &op.value)? {
                CondKind::Is { negated, test, .. } => CondKind::Is { path, negated, test },
                CondKind::Compare { type_word, op, operand, .. } => {
                    CondKind::Compare { type_word, path, op, operand }
                }
                other => other,
            };
            wrap(kind)
        }
        _ => None,
    }
}

/// Structural equality of two JSON trees: object members compared as multisets of keys
/// (each key's values in order), arrays in order, numbers by lexeme.
pub fn same(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (NodeValue::Null, NodeValue::Null) => true,
        (NodeValue::Bool(x), NodeValue::Bool(y)) => x == y,
        (NodeValue::Number(x), NodeValue::Number(y)) => x == y,
        (NodeValue::String(x), NodeValue::String(y)) => x.text == y.text,
        (NodeValue::Array(x), NodeValue::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (NodeValue::Object(x), NodeValue::Object(y)) => {
            pair_members(x, y, node_key, node_key, |p, q| same(&p.value, &q.value))
        }
        _ => false,
    }
}

/// [`same`] between a tree lowered with placeholders for its values
/// ([`crate::lower::lower_with_placeholders`]) and the definition: a placeholder matches
/// the definition's value when its value lowers to it.
fn same_with_placeholders(lowered: &Node, source: &Node, values: &[&Value]) -> bool {
    if let Some(v) = crate::lower::placeholder(lowered, values) {
        return crate::lower::value_lowers_to(v, source, 0);
    }
    match (&lowered.value, &source.value) {
        (NodeValue::Array(x), NodeValue::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_with_placeholders(p, q, values))
        }
        (NodeValue::Object(x), NodeValue::Object(y)) => {
            pair_members(x, y, node_key, node_key, |p, q| same_with_placeholders(&p.value, &q.value, values))
        }
        _ => same(lowered, source),
    }
}

/// An object key as a text and a suffix written after it (`.$` for a path member of the
/// DSL), so that keys compare without being built.
type Key<'a> = (&'a str, &'static str);

fn node_key(m: &NodeMember) -> Key<'_> {
    (&m.key.text, "")
}

fn key_eq(a: Key<'_>, b: Key<'_>) -> bool {
    if a.1 == b.1 {
        return a.0 == b.0;
    }
    a.0.len() + a.1.len() == b.0.len() + b.1.len()
        && a.0.bytes().chain(a.1.bytes()).eq(b.0.bytes().chain(b.1.bytes()))
}

fn key_cmp(a: Key<'_>, b: Key<'_>) -> std::cmp::Ordering {
    a.0.bytes().chain(a.1.bytes()).cmp(b.0.bytes().chain(b.1.bytes()))
}

/// Whether the members of two objects pair up as AWS reads objects: member order does not
/// matter, but the k-th member of `x` with a key pairs with the k-th member of `y` with
/// that key, and each pair satisfies `same_value`.
pub(crate) fn pair_members<A, B>(
    x: &[A],
    y: &[B],
    key_x: impl Fn(&A) -> Key<'_>,
    key_y: impl Fn(&B) -> Key<'_>,
    same_value: impl Fn(&A, &B) -> bool,
) -> bool {
    // As both have as many members, every member of `y` is paired once.
    if x.len() != y.len() {
        return false;
    }
    if x.iter().zip(y).all(|(p, q)| key_eq(key_x(p), key_y(q))) {
        // The same keys in the same order pair by position.
        return x.iter().zip(y).all(|(p, q)| same_value(p, q));
    }
    if x.len() <= 64 {
        // Each member of `x`, in order, takes the first member of `y` with its key not
        // taken yet: so the k-th of a key pairs with the k-th.
        let mut taken = 0u64;
        return x.iter().all(|p| {
            let pair =
                y.iter().enumerate().find(|(j, q)| taken & (1 << j) == 0 && key_eq(key_x(p), key_y(q)));
            pair.is_some_and(|(j, q)| {
                taken |= 1 << j;
                same_value(p, q)
            })
        });
    }
    // Stable sorts by key keep each key's members in order.
    let mut xs: Vec<&A> = x.iter().collect();
    let mut ys: Vec<&B> = y.iter().collect();
    xs.sort_by(|p, q| key_cmp(key_x(p), key_x(q)));
    ys.sort_by(|p, q| key_cmp(key_y(p), key_y(q)));
    xs.iter().zip(&ys).all(|(p, q)| key_eq(key_x(p), key_y(q)) && same_value(p, q))
}

/// The file id used for trees built while verifying.
pub(crate) const VERIFY_FILE: FileId = FileId(u32::MAX);

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Node {
        aslc_syntax::json::parse(text, FileId(0)).node.expect("valid JSON")
    }

    /// Objects are compared as AWS reads them: member order does not matter, but the k-th
    /// member with a key pairs with the k-th member with that key.
    #[test]
    fn same_pairs_members_by_key_and_occurrence() {
        let same_text = |a: &str, b: &str| same(&tree(a), &tree(b));
        assert!(same_text(r#"{"a": 1, "b": [2, {"c": 3}]}"#, r#"{"b": [2, {"c": 3}], "a": 1}"#));
        assert!(same_text(r#"{"a": 1, "b": 2, "a": 3}"#, r#"{"b": 2, "a": 1, "a": 3}"#));
        assert!(!same_text(r#"{"a": 1, "b": 2, "a": 3}"#, r#"{"a": 3, "b": 2, "a": 1}"#));
        assert!(!same_text(r#"{"a": 1, "b": 2}"#, r#"{"a": 1, "c": 2}"#));
        assert!(!same_text(r#"{"a": 1}"#, r#"{"a": 1, "a": 1}"#));
        let wide = |order: &mut dyn Iterator<Item = usize>| {
            let members: Vec<String> = order.map(|i| format!(r#""k{}": {i}"#, i % 70)).collect();
            format!("{{{}}}", members.join(", "))
        };
        assert!(same_text(&wide(&mut (0..80)), &wide(&mut (0..70).rev().chain(70..80))));
        assert!(!same_text(&wide(&mut (0..80)), &wide(&mut (0..80).rev())));
    }

    /// A definition with values of every kind in the places a decompiled file holds them.
    const VALUES: &str = r#"{"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Parameters": {"FunctionName": "f", "Payload.$": "$.input",
                             "List": [1, "two", {"k.$": "$.x"}, "$.y"]},
              "ResultSelector": {"v.$": "$.Payload"}, "ResultPath": "$.r",
              "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 3}], "Next": "B"},
        "B": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1.50, "Next": "C"}],
              "Default": "C"},
        "C": {"Type": "Pass", "Result": {"p.$": "$.not.a.path", "n": null, "t": true},
              "Assign": {"a": "{% $x %}"}, "Unknown": {"u": [true]}, "End": true}}}"#;

    fn definitions() -> Vec<Node> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/spec/dsl-examples");
        let mut out = vec![tree(VALUES)];
        for entry in std::fs::read_dir(&dir).expect("the examples exist") {
            let path = entry.expect("a directory entry").path();
            if path.to_string_lossy().ends_with(".asl.json") {
                let text = std::fs::read_to_string(&path).expect("an example is readable");
                out.push(tree(&text));
            }
        }
        out
    }

    /// Where the verification tree has a placeholder, the fully lowered tree has a value
    /// that [`crate::lower::value_lowers_to`] accepts; everywhere else the trees are equal.
    fn check_placeholders(ph: &Node, full: &Node, values: &[&Value], seen: &mut usize) {
        if let Some(v) = crate::lower::placeholder(ph, values) {
            assert!(crate::lower::value_lowers_to(v, full, 0), "{v:?} does not lower to {full:?}");
            *seen += 1;
            return;
        }
        match (&ph.value, &full.value) {
            (NodeValue::Array(x), NodeValue::Array(y)) => {
                assert_eq!(x.len(), y.len());
                for (p, q) in x.iter().zip(y) {
                    check_placeholders(p, q, values, seen);
                }
            }
            (NodeValue::Object(x), NodeValue::Object(y)) => {
                assert_eq!(x.len(), y.len());
                for (p, q) in x.iter().zip(y) {
                    assert_eq!(p.key.text, q.key.text);
                    check_placeholders(&p.value, &q.value, values, seen);
                }
            }
            _ => assert!(same(ph, full), "{ph:?} differs from {full:?}"),
        }
    }

    /// Comparing values without lowering them accepts exactly what lowering builds.
    #[test]
    fn placeholders_stand_for_what_lowering_builds() {
        for root in definitions() {
            let (file, _) = raise_with(&root, false).expect("an object");
            let (full, _) = crate::lower::lower(&file, VERIFY_FILE, 0);
            let (ph, values) = crate::lower::lower_with_placeholders(&file);
            let mut seen = 0;
            check_placeholders(&ph, &full, &values, &mut seen);
            assert_eq!(seen, values.len());
            assert!(same(&full, &root) && same_with_placeholders(&ph, &root, &values));
        }
    }

    /// The verification tells a definition from one with any value changed.
    #[test]
    fn verification_with_placeholders_sees_changed_values() {
        let root = tree(VALUES);
        let (file, _) = raise_with(&root, false).expect("an object");
        let (ph, values) = crate::lower::lower_with_placeholders(&file);
        assert!(values.len() >= 8, "{}", values.len());
        assert!(same_with_placeholders(&ph, &root, &values));
        let edits = [
            (r#""Payload.$""#, r#""Payload""#),
            (r#""$.input""#, r#""$.inputs""#),
            (r#""two""#, r#""three""#),
            (r#""k.$""#, r#""k""#),
            (r#""$.y"]"#, r#""$.z"]"#),
            ("1.50", "1.5"),
            (r#""n": null"#, r#""n": false"#),
            (r#""n": null, "#, ""),
            (r#""$.r""#, r#""$.s""#),
            (r#""MaxAttempts": 3"#, r#""MaxAttempts": 4"#),
            (r#""{% $x %}""#, r#""{% $y %}""#),
            ("[true]", "[true, false]"),
            (r#""p.$""#, r#""q.$""#),
        ];
        for (from, to) in edits {
            assert_eq!(VALUES.matches(from).count(), 1, "{from}");
            let edited = tree(&VALUES.replacen(from, to, 1));
            assert!(!same_with_placeholders(&ph, &edited, &values), "{from} -> {to}");
        }
    }

    /// Raising with each state verified on its own (the path taken when the whole file does
    /// not lower back) gives the same file as the one-pass raise.
    #[test]
    fn verifying_each_state_gives_the_same_file() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/spec/dsl-examples");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).expect("the examples exist") {
            let path = entry.expect("a directory entry").path();
            if !path.to_string_lossy().ends_with(".asl.json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("an example is readable");
            let root = aslc_syntax::json::parse(&text, FileId(0)).node.expect("an example is JSON");
            let (fast, _) = raise_with(&root, false).expect("an object");
            let (checked, stats) = raise_with(&root, true).expect("an object");
            assert_eq!(stats.verification_fallbacks, 0, "{}", path.display());
            assert_eq!(crate::print::print(&fast), crate::print::print(&checked), "{}", path.display());
            seen += 1;
        }
        assert_eq!(seen, 7);
    }
}
