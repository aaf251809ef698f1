//! The states, scopes and state references of one definition, read from its spanned tree
//! so that navigation works on definitions the IR cannot lower yet; and the path from the
//! root to the node under the cursor.

use aslc_ir::ir::Shift;
use aslc_source::TextRange;
use aslc_syntax::{Member, Node, Str, Text};

/// How deep scopes may nest before the index stops descending (the checker reports
/// deeper nesting).
const MAX_DEPTH: usize = 64;

/// One `StartAt` + `States` pair.
#[derive(Debug)]
pub struct ScopeInfo {
    /// The Parallel or Map state owning it; `None` for the top level.
    pub parent: Option<usize>,
    /// The scope object.
    pub range: TextRange,
    /// Its states, in source order.
    pub states: Vec<usize>,
    /// How it is named in outlines: `Branch 1`, `ItemProcessor`.
    pub label: String,
}

/// One state.
#[derive(Debug)]
pub struct StateInfo {
    /// The name.
    pub name: Text,
    /// The scope it belongs to.
    pub scope: usize,
    /// The name's range (a key; the name itself in the DSL).
    pub key_range: TextRange,
    /// The exact range of the name's text, when it is written verbatim (no escapes).
    pub name_range: Option<TextRange>,
    /// The state's value (object).
    pub range: TextRange,
    /// `Type`, when a string.
    pub type_name: Option<Text>,
    /// The scopes it owns (Parallel branches, a Map processor).
    pub children: Vec<usize>,
    /// Its own references (not those of nested scopes): a range of [`StateIndex::refs`].
    refs: std::ops::Range<usize>,
}

/// Where a state name is referred to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RefKind {
    /// `StartAt`.
    StartAt,
    /// A state's `Next`.
    Next,
    /// A Choice's `Default`.
    Default,
    /// A Choice rule's `Next`.
    ChoiceNext,
    /// A catcher's `Next`.
    CatchNext,
}

impl RefKind {
    /// The field spelling.
    pub fn field(self) -> &'static str {
        match self {
            RefKind::StartAt => "StartAt",
            RefKind::Next | RefKind::ChoiceNext | RefKind::CatchNext => "Next",
            RefKind::Default => "Default",
        }
    }
}

/// A reference to a state by name.
#[derive(Debug)]
pub struct Reference {
    /// The name referred to.
    pub name: Text,
    /// The scope the name is looked up in.
    pub scope: usize,
    /// The string's range (with quotes in JSON).
    pub range: TextRange,
    /// The exact range of the name's text, when written verbatim.
    pub name_range: Option<TextRange>,
    /// Which field.
    pub kind: RefKind,
}

/// States, scopes and references of one definition.
#[derive(Debug, Default)]
pub struct StateIndex {
    /// Every scope; the top level first.
    pub scopes: Vec<ScopeInfo>,
    /// Every state of every scope.
    pub states: Vec<StateInfo>,
    /// Every reference, in source order within each scope.
    pub refs: Vec<Reference>,
}

fn verbatim_range(text: &Str) -> Option<TextRange> {
    let start = text.verbatim?;
    let len = u32::try_from(text.text.len()).ok()?;
    Some(TextRange::new(start, start + len))
}

impl StateIndex {
    /// Indexes the definition `root`.
    pub fn build(root: &Node) -> StateIndex {
        let mut index = StateIndex::default();
        if root.as_object().is_some() {
            index.scope(root, None, "States".into(), 0);
        }
        index
    }

    /// Updates the index of a definition after an edit inside the object of the state
    /// whose key is at `key_range`: `root` is the new tree, `shift` moves the offsets after
    /// the state. Returns `false`, leaving the index as it was, when the state holds
    /// scopes (before or after) or is not found; the caller then builds the index anew.
    pub(crate) fn update(&mut self, root: &Node, key_range: TextRange, shift: Shift) -> bool {
        let Ok(i) = self.states.binary_search_by_key(&key_range.start(), |s| s.key_range.start()) else {
            return false;
        };
        if self.states[i].key_range != key_range || !self.states[i].children.is_empty() {
            return false;
        }
        let Some(member) = crate::checked::member_at(root, key_range) else { return false };
        let mut part = StateIndex::default();
        part.state(member, self.states[i].scope, 0, 0);
        if !part.scopes.is_empty() || part.states.len() != 1 {
            return false;
        }
        let old = self.states[i].refs.clone();
        let added = part.refs.len();
        // States are indexed in the order their references are: the references of the
        // states after this one follow its own.
        for (j, state) in self.states.iter_mut().enumerate() {
            state.key_range = shift.range(state.key_range);
            state.name_range = state.name_range.map(|r| shift.range(r));
            state.range = shift.range(state.range);
            if j > i {
                state.refs = state.refs.start - old.len() + added..state.refs.end - old.len() + added;
            }
        }
        for scope in &mut self.scopes {
            scope.range = shift.range(scope.range);
        }
        for reference in &mut self.refs {
            reference.range = shift.range(reference.range);
            reference.name_range = reference.name_range.map(|r| shift.range(r));
        }
        let mut state = part.states.swap_remove(0);
        state.refs = old.start..old.start + added;
        self.states[i] = state;
        self.refs.splice(old, part.refs);
        true
    }

    fn scope(&mut self, node: &Node, parent: Option<usize>, label: String, depth: usize) -> usize {
        let scope = self.scopes.len();
        self.scopes.push(ScopeInfo { parent, range: node.range, states: Vec::new(), label });
        if depth > MAX_DEPTH {
            return scope;
        }
        if let Some(start_at) = node.get("StartAt") {
            self.reference(start_at, scope, RefKind::StartAt);
        }
        let Some(states) = node.get("States").and_then(Node::as_object) else { return scope };
        for member in states {
            let id = self.states.len();
            self.scopes[scope].states.push(id);
            self.state(member, scope, id, depth);
        }
        scope
    }

    fn reference(&mut self, node: &Node, scope: usize, kind: RefKind) {
        if let Some(text) = node.as_spanned_str() {
            self.refs.push(Reference {
                name: text.text.clone(),
                scope,
                range: node.range,
                name_range: verbatim_range(text),
                kind,
            });
        }
    }

    fn state(&mut self, member: &Member, scope: usize, id: usize, depth: usize) {
        let node = &member.value;
        // One pass over the members, keeping the first of each key as `Node::get` does: a
        // large definition has thousands of states.
        let mut fields: [Option<&Node>; 8] = [None; 8];
        for m in node.as_object().unwrap_or_default() {
            let slot = match &*m.key.text {
                "Type" => 0,
                "Next" => 1,
                "Default" => 2,
                "Choices" => 3,
                "Catch" => 4,
                "Branches" => 5,
                "ItemProcessor" => 6,
                "Iterator" => 7,
                _ => continue,
            };
            fields[slot].get_or_insert(&m.value);
        }
        let [type_name, next, default, choices, catch, branches, item_processor, iterator] = fields;
        let first_ref = self.refs.len();
        self.states.push(StateInfo {
            name: member.key.text.clone(),
            scope,
            key_range: member.key_range,
            name_range: verbatim_range(&member.key),
            range: node.range,
            type_name: type_name.and_then(Node::as_str).map(Into::into),
            children: Vec::new(),
            refs: first_ref..first_ref,
        });
        if let Some(next) = next {
            self.reference(next, scope, RefKind::Next);
        }
        if let Some(default) = default {
            self.reference(default, scope, RefKind::Default);
        }
        for rule in choices.and_then(Node::as_array).unwrap_or_default() {
            if let Some(next) = rule.get("Next") {
                self.reference(next, scope, RefKind::ChoiceNext);
            }
        }
        for catcher in catch.and_then(Node::as_array).unwrap_or_default() {
            if let Some(next) = catcher.get("Next") {
                self.reference(next, scope, RefKind::CatchNext);
            }
        }
        self.states[id].refs.end = self.refs.len();
        for (i, branch) in branches.and_then(Node::as_array).unwrap_or_default().iter().enumerate() {
            if branch.as_object().is_some() {
                let child = self.scope(branch, Some(id), format!("Branch {}", i + 1), depth + 1);
                self.states[id].children.push(child);
            }
        }
        for (field, processor) in [("ItemProcessor", item_processor), ("Iterator", iterator)] {
            if let Some(processor) = processor.filter(|n| n.as_object().is_some()) {
                let child = self.scope(processor, Some(id), field.into(), depth + 1);
                self.states[id].children.push(child);
            }
        }
    }

    /// The first state named `name` in `scope`.
    pub fn lookup(&self, scope: usize, name: &str) -> Option<usize> {
        self.scopes.get(scope)?.states.iter().copied().find(|&s| &*self.states[s].name == name)
    }

    /// The state a reference names, if it exists.
    pub fn target(&self, reference: &Reference) -> Option<usize> {
        self.lookup(reference.scope, &reference.name)
    }

    /// The state whose name is at `offset`.
    pub fn state_named_at(&self, offset: u32) -> Option<usize> {
        self.states.iter().position(|s| s.key_range.touches(offset))
    }

    /// The reference at `offset`.
    pub fn reference_at(&self, offset: u32) -> Option<&Reference> {
        self.refs.iter().find(|r| r.range.touches(offset))
    }

    /// The state declared or referred to at `offset`.
    pub fn symbol_at(&self, offset: u32) -> Option<usize> {
        self.state_named_at(offset).or_else(|| self.reference_at(offset).and_then(|r| self.target(r)))
    }

    /// The innermost state whose value contains `offset`.
    pub fn state_containing(&self, offset: u32) -> Option<usize> {
        self.states
            .iter()
            .enumerate()
            .filter(|(_, s)| s.range.start() <= offset && offset <= s.range.end())
            .min_by_key(|(_, s)| s.range.len())
            .map(|(i, _)| i)
    }

    /// The innermost scope whose object contains `offset` (the top level otherwise).
    pub fn scope_containing(&self, offset: u32) -> usize {
        self.scopes
            .iter()
            .enumerate()
            .filter(|(_, s)| s.range.start() <= offset && offset <= s.range.end())
            .min_by_key(|(_, s)| s.range.len())
            .map_or(0, |(i, _)| i)
    }

    /// Every reference to state `state`.
    pub fn references_to(&self, state: usize) -> impl Iterator<Item = &Reference> {
        let info = &self.states[state];
        self.refs.iter().filter(move |r| r.scope == info.scope && r.name == info.name)
    }
}

/// One step of the path from a tree's root to a position.
#[derive(Clone, Copy, Debug)]
pub struct Step<'a> {
    /// The member key that led here, `None` for an array element or the root.
    pub key: Option<&'a str>,
    /// The node reached.
    pub node: &'a Node,
}

/// The path from the root to the deepest node at `offset`, and the member whose key is at
/// `offset`, if any.
pub fn locate(root: &Node, offset: u32) -> (Vec<Step<'_>>, Option<&Member>) {
    let mut path = vec![Step { key: None, node: root }];
    let mut node = root;
    let inside = |n: &Node| n.range.start() <= offset && offset <= n.range.end();
    // Bounded by the tree's depth, which the readers bound.
    loop {
        if let Some(members) = node.as_object() {
            if let Some(member) = members.iter().find(|m| m.key_range.touches(offset)) {
                return (path, Some(member));
            }
            let Some(member) = members.iter().find(|m| inside(&m.value)) else { break };
            path.push(Step { key: Some(&member.key.text), node: &member.value });
            node = &member.value;
        } else if let Some(items) = node.as_array() {
            let Some(item) = items.iter().find(|n| inside(n)) else { break };
            path.push(Step { key: None, node: item });
            node = item;
        } else {
            break;
        }
    }
    (path, None)
}

/// The node with exactly `range` under `root`.
pub fn node_at(root: &Node, range: TextRange) -> Option<&Node> {
    let mut node = root;
    loop {
        if node.range == range {
            return Some(node);
        }
        let children: Vec<&Node> = match &node.value {
            aslc_syntax::NodeValue::Object(members) => members.iter().map(|m| &m.value).collect(),
            aslc_syntax::NodeValue::Array(items) => items.iter().collect(),
            _ => return None,
        };
        node = children
            .into_iter()
            .find(|c| c.range.start() <= range.start() && range.end() <= c.range.end())?;
    }
}
