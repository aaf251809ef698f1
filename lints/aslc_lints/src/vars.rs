//! The variable analysis of variables.md: where each workflow variable is assigned, where
//! it is read, and which variables are definitely assigned when each state is entered.
//!
//! Assignments take effect on the outgoing edges of the assigning state (variables.md §4,
//! §9): a state's own `Assign` on its `Next`/`End` edges (for a Choice: only `Default`), a
//! Choice rule's `Assign` on that rule's edge, a catcher's `Assign` on its `Catch` edge.
//! Reads happen on entry: every right-hand side sees the values the state was entered with.
//! A nested scope starts with what was definitely assigned when its Parallel or Map state
//! was entered, except a Distributed Map processor, whose children are separate executions
//! and start with nothing.

use aslc_ir::ir::{Assign, Definition, ScopeId, ScopeKind, StateId, StateKind};
use aslc_source::TextRange;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::cfg::{Cfg, CfgNode, Edge};
use crate::code::{each_reference, is_invalid, visit_state, Code};

/// Where an assignment takes effect.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) enum AssignOn {
    /// The state's own `Assign`.
    State,
    /// `Choices[i].Assign`.
    ChoiceRule(u32),
    /// `Catch[i].Assign`.
    Catch(u32),
}

/// One assigned variable.
#[derive(Clone, Debug)]
pub(crate) struct Assignment {
    /// The variable.
    pub(crate) name: aslc_ir::ir::Text,
    /// The key's range.
    pub(crate) range: TextRange,
    /// The assigning state.
    pub(crate) state: StateId,
    /// Which of the state's `Assign` objects.
    pub(crate) on: AssignOn,
}

/// One read of a variable.
#[derive(Clone, Debug)]
pub(crate) struct Read {
    /// The variable.
    pub(crate) name: aslc_ir::ir::Text,
    /// The `$name` range.
    pub(crate) range: TextRange,
    /// The reading state.
    pub(crate) state: StateId,
}

/// The result of the analysis.
#[derive(Debug)]
pub(crate) struct Variables {
    /// Every assignment, in state order.
    pub(crate) assignments: Vec<Assignment>,
    /// Every read, in state order.
    pub(crate) reads: Vec<Read>,
    /// Whether some expression could not be read, so the reads may be incomplete.
    pub(crate) unreadable_code: bool,
    /// Every `$name` written in a JSONata expression, bound there or not. JSONata's free
    /// variables leave out names of built-in functions (`$error`, `$count`), which a
    /// workflow variable of that name shadows; `V-UNUSED` counts these mentions as reads.
    pub(crate) mentions: FxHashSet<Box<str>>,
    /// Per read (same index as `reads`): whether some path reaches the read without
    /// assigning the variable. `false` for reads in unreachable states and incomplete scopes.
    pub(crate) maybe_unassigned: Vec<bool>,
}

/// A set of variable indexes.
#[derive(Clone, PartialEq, Eq, Debug)]
struct Set(Vec<u64>);

impl Set {
    fn empty(n: usize) -> Set {
        Set(vec![0; n.div_ceil(64)])
    }
    fn full(n: usize) -> Set {
        let mut set = Set(vec![u64::MAX; n.div_ceil(64)]);
        if n % 64 != 0 {
            if let Some(last) = set.0.last_mut() {
                *last = (1u64 << (n % 64)) - 1;
            }
        }
        set
    }
    fn insert(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
    fn contains(&self, i: usize) -> bool {
        self.0[i / 64] & (1 << (i % 64)) != 0
    }
    fn intersect(&mut self, other: &Set) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= b;
        }
    }
}

impl Variables {
    /// Collects assignments and reads and runs the definite-assignment analysis.
    pub(crate) fn build(def: &Definition, cfg: &Cfg) -> Variables {
        let mut assignments = Vec::new();
        let mut reads = Vec::new();
        let mut unreadable_code = false;
        let mut mentions = FxHashSet::default();
        for (id, state) in def.iter_states() {
            push_assign(state.assign.as_ref(), id, AssignOn::State, &mut assignments);
            if let StateKind::Choice(choice) = &state.kind {
                for (i, rule) in choice.choices.iter().enumerate() {
                    push_assign(rule.assign.as_ref(), id, AssignOn::ChoiceRule(i as u32), &mut assignments);
                }
            }
            for (i, catcher) in state.errors.catch.iter().enumerate() {
                push_assign(catcher.assign.as_ref(), id, AssignOn::Catch(i as u32), &mut assignments);
            }
            visit_state(state, &mut |_, code| {
                unreadable_code |= is_invalid(&code);
                if let Code::Jsonata(expr) = &code {
                    collect_mentions(&expr.text, &mut mentions);
                }
                each_reference(&code, &mut |reference| {
                    if let Some(name) = reference.variable {
                        reads.push(Read { name: name.into(), range: reference.range, state: id });
                    }
                });
            });
        }
        let mut vars =
            Variables { assignments, reads, unreadable_code, mentions, maybe_unassigned: Vec::new() };
        vars.maybe_unassigned = vars.definite_assignment(def, cfg);
        vars
    }

    /// Whether some state of `scope` assigns `name`.
    pub(crate) fn assigned_in(&self, def: &Definition, scope: ScopeId, name: &str) -> Option<&Assignment> {
        self.assignments.iter().find(|a| &*a.name == name && def.state(a.state).scope == scope)
    }

    fn definite_assignment(&self, def: &Definition, cfg: &Cfg) -> Vec<bool> {
        let mut index: FxHashMap<&str, usize> = FxHashMap::default();
        for name in self.assignments.iter().map(|a| &*a.name).chain(self.reads.iter().map(|r| &*r.name)) {
            let next = index.len();
            index.entry(name).or_insert(next);
        }
        let n = index.len();
        if n == 0 {
            return vec![false; self.reads.len()];
        }
        // What each state adds on each kind of outgoing edge.
        let mut on_state: Vec<Set> = vec![Set::empty(n); def.states.len()];
        let mut on_edge: FxHashMap<(StateId, AssignOn), Set> = FxHashMap::default();
        for a in &self.assignments {
            let i = index[&*a.name];
            match a.on {
                AssignOn::State => on_state[a.state.0 as usize].insert(i),
                on => on_edge.entry((a.state, on)).or_insert_with(|| Set::empty(n)).insert(i),
            }
        }
        // Entry sets: `None` until a path reaches the state.
        let mut entry: Vec<Option<Set>> = vec![None; def.states.len()];
        let mut scopes: Vec<ScopeId> = def.iter_scopes().map(|(id, _)| id).collect();
        scopes.sort_by_key(|id| def.scope(*id).depth);
        for scope_id in scopes {
            let scope = def.scope(scope_id);
            let Some(start) = scope.start_at.as_ref().and_then(|s| scope.lookup(&s.value)) else { continue };
            let distributed = matches!(scope.kind, ScopeKind::ItemProcessor | ScopeKind::Iterator)
                && scope.parent.is_some_and(
                    |p| matches!(&def.state(p).kind, StateKind::Map(m) if m.is_distributed(def)),
                );
            let initial = match scope.parent {
                _ if distributed => Set::empty(n),
                Some(parent) => entry[parent.0 as usize].clone().unwrap_or_else(|| Set::full(n)),
                None => Set::empty(n),
            };
            // Later edges into the start state only shrink this set.
            entry[start.0 as usize] = Some(initial);
            let mut work = vec![start];
            let mut guard = 0usize;
            let limit = 64 * (scope.states.len() + 1) * (n + 1);
            while let Some(id) = work.pop() {
                guard += 1;
                if guard > limit {
                    break;
                }
                let Some(in_set) = entry[id.0 as usize].clone() else { continue };
                for (edge, to) in cfg.successors(id) {
                    let CfgNode::State(to) = to else { continue };
                    let mut out = in_set.clone();
                    let added = match edge {
                        Edge::Next | Edge::Default => Some(&on_state[id.0 as usize]),
                        Edge::ChoiceRule(i) => on_edge.get(&(id, AssignOn::ChoiceRule(i))),
                        Edge::Catch(i) => on_edge.get(&(id, AssignOn::Catch(i))),
                        _ => None,
                    };
                    if let Some(added) = added {
                        for (a, b) in out.0.iter_mut().zip(&added.0) {
                            *a |= b;
                        }
                    }
                    let slot = &mut entry[to.0 as usize];
                    let changed = match slot {
                        None => {
                            *slot = Some(out);
                            true
                        }
                        Some(existing) => {
                            let before = existing.clone();
                            existing.intersect(&out);
                            *existing != before
                        }
                    };
                    if changed {
                        work.push(to);
                    }
                }
            }
        }
        self.reads
            .iter()
            .map(|read| {
                let state = def.state(read.state);
                if !cfg.is_reachable(read.state) || !cfg.is_complete(state.scope) {
                    return false;
                }
                match &entry[read.state.0 as usize] {
                    Some(set) => !set.contains(index[&*read.name]),
                    None => false,
                }
            })
            .collect()
    }
}

/// Adds every `$identifier` of `text` to `out`.
fn collect_mentions(text: &str, out: &mut FxHashSet<Box<str>>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            let start = i + 1;
            let mut end = start;
            while end < bytes.len()
                && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_' || bytes[end] >= 0x80)
            {
                end += 1;
            }
            if end > start {
                if let Some(name) = text.get(start..end) {
                    out.insert(name.into());
                }
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
}

fn push_assign(assign: Option<&Assign>, state: StateId, on: AssignOn, out: &mut Vec<Assignment>) {
    let Some(assign) = assign else { return };
    for var in &assign.vars {
        out.push(Assignment { name: var.name.clone(), range: var.key.range, state, on });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::definition;

    fn unassigned_reads(text: &str) -> Vec<String> {
        let def = definition(text);
        let cfg = Cfg::build(&def);
        let vars = Variables::build(&def, &cfg);
        vars.reads
            .iter()
            .zip(&vars.maybe_unassigned)
            .filter(|(_, maybe)| **maybe)
            .map(|(read, _)| format!("{}@{}", read.name, def.state(read.state).name.value))
            .collect()
    }

    #[test]
    fn assignment_on_one_path_only() {
        let text = r#"{ "QueryLanguage": "JSONata", "StartAt": "C", "States": {
            "C": { "Type": "Choice", "Choices": [ { "Condition": "{% $states.input.a %}", "Next": "Set" } ], "Default": "Use" },
            "Set": { "Type": "Pass", "Assign": { "x": 1 }, "Next": "Use" },
            "Use": { "Type": "Pass", "Output": "{% $x %}", "End": true } } }"#;
        assert_eq!(unassigned_reads(text), ["x@Use"]);
    }

    #[test]
    fn rule_assignments_count_on_their_edge() {
        let text = r#"{ "QueryLanguage": "JSONata", "StartAt": "C", "States": {
            "C": { "Type": "Choice", "Choices": [ { "Condition": "{% $states.input.a %}", "Assign": { "x": 1 }, "Next": "Use" } ],
                   "Default": "Use", "Assign": { "x": 2 } },
            "Use": { "Type": "Pass", "Output": "{% $x %}", "End": true } } }"#;
        assert!(unassigned_reads(text).is_empty());
    }

    #[test]
    fn nested_scopes_inherit_and_loops_converge() {
        let text = r#"{ "StartAt": "Init", "States": {
            "Init": { "Type": "Pass", "Assign": { "n": 0 }, "Next": "Loop" },
            "Loop": { "Type": "Map", "ItemsPath": "$.items", "ItemProcessor": { "StartAt": "R",
                "States": { "R": { "Type": "Pass", "Parameters": { "n.$": "$n" }, "End": true } } }, "Next": "Again" },
            "Again": { "Type": "Pass", "Assign": { "m.$": "$n" }, "Next": "Loop" } } }"#;
        assert!(unassigned_reads(text).is_empty());
    }
}
