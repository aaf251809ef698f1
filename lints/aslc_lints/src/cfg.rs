//! The control-flow graph of a definition: one petgraph `DiGraph` holding every scope (the
//! top level, each Parallel branch, each Map processor), each with its own entry, success
//! exit and error exit.
//!
//! It is the one place graph questions are answered (reachability, termination, which
//! states feed which); the lints, the graph printer and the language server all read it.
//! Transitions that name no state of their scope (already errors of `aslc_ir`) get no edge;
//! [`Cfg::is_complete`] tells rules that would misjudge such a scope to skip it.

use aslc_ir::ir::{Choice, Condition, Definition, ScopeId, State, StateId, StateKind, Transition};
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;

use crate::errors::STATES_ALL;

/// A node of the graph.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum CfgNode {
    /// A state.
    State(StateId),
    /// Where a scope starts; its one edge ([`Edge::Start`]) leads to the `StartAt` state.
    Entry(ScopeId),
    /// Where a scope ends successfully: reached from `Succeed` states and `"End": true`.
    Exit(ScopeId),
    /// Where a scope ends in failure: reached from `Fail` states and from states whose
    /// errors are not all caught.
    ErrorExit(ScopeId),
}

/// The kinds of edge.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Edge {
    /// From a scope's [`CfgNode::Entry`] to its `StartAt` state.
    Start,
    /// `"Next"` of a Pass, Task, Wait, Parallel or Map state.
    Next,
    /// `Choices[i].Next` of a Choice state: taken when rule `i` is the first that matches.
    ChoiceRule(u32),
    /// `Default` of a Choice state: taken when no rule matches.
    Default,
    /// `Catch[i].Next`: taken when catcher `i` is the first whose `ErrorEquals` matches an
    /// error the state raised (after its retriers gave up).
    Catch(u32),
    /// From a terminal state (`Succeed`, `"End": true`) to the scope's [`CfgNode::Exit`].
    End,
    /// From a `Fail` state to the scope's [`CfgNode::ErrorExit`].
    Fail,
    /// The implicit error exit, to the scope's [`CfgNode::ErrorExit`]: a Task, Parallel or
    /// Map state whose catchers do not end with `States.ALL` (its other errors propagate),
    /// or a Choice state without `Default` whose rules are not provably exhaustive
    /// (`States.NoChoiceMatched`). `States.Runtime`, which nothing catches and any state
    /// with a path can raise, is not drawn.
    Error,
    /// From a Parallel state to the [`CfgNode::Entry`] of its branch `i`.
    Branch(u32),
    /// From a Map state to the [`CfgNode::Entry`] of its processor.
    Processor,
}

impl Edge {
    /// Whether the edge is a transition between two states of one scope (or into its exits),
    /// as opposed to a link into a nested scope or out of an entry.
    pub fn is_flow(self) -> bool {
        !matches!(self, Edge::Start | Edge::Branch(_) | Edge::Processor)
    }

    /// A short label: `Next`, `Choices[0]`, `Default`, `Catch[1]`, `Branches[0]`, ….
    pub fn label(self) -> String {
        match self {
            Edge::Start => "StartAt".into(),
            Edge::Next => "Next".into(),
            Edge::ChoiceRule(i) => format!("Choices[{i}]"),
            Edge::Default => "Default".into(),
            Edge::Catch(i) => format!("Catch[{i}]"),
            Edge::End => "End".into(),
            Edge::Fail => "Fail".into(),
            Edge::Error => "error".into(),
            Edge::Branch(i) => format!("Branches[{i}]"),
            Edge::Processor => "ItemProcessor".into(),
        }
    }
}

/// The three structural nodes of a scope.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ScopeNodes {
    /// [`CfgNode::Entry`].
    pub entry: NodeIndex,
    /// [`CfgNode::Exit`].
    pub exit: NodeIndex,
    /// [`CfgNode::ErrorExit`].
    pub error_exit: NodeIndex,
}

/// The control-flow graph of one definition.
#[derive(Clone, Debug)]
pub struct Cfg {
    /// The graph. Node weights say what a node stands for, edge weights how control moves.
    pub graph: DiGraph<CfgNode, Edge>,
    /// Node of each state, indexed by `StateId`.
    state_nodes: Vec<NodeIndex>,
    /// Structural nodes of each scope, indexed by `ScopeId`.
    scope_nodes: Vec<ScopeNodes>,
    /// Per scope: every transition resolved and every state typed.
    complete: Vec<bool>,
    /// Per state: reachable from its scope's entry.
    reachable: Vec<bool>,
}

impl Cfg {
    /// Builds the graph of every scope of `def`.
    pub fn build(def: &Definition) -> Cfg {
        let mut graph = DiGraph::with_capacity(def.states.len() + 3 * def.scopes.len(), def.states.len() * 2);
        let state_nodes: Vec<NodeIndex> =
            def.iter_states().map(|(id, _)| graph.add_node(CfgNode::State(id))).collect();
        let scope_nodes: Vec<ScopeNodes> = def
            .iter_scopes()
            .map(|(id, _)| ScopeNodes {
                entry: graph.add_node(CfgNode::Entry(id)),
                exit: graph.add_node(CfgNode::Exit(id)),
                error_exit: graph.add_node(CfgNode::ErrorExit(id)),
            })
            .collect();
        let mut complete = vec![true; def.scopes.len()];
        for (scope_id, scope) in def.iter_scopes() {
            let nodes = scope_nodes[scope_id.0 as usize];
            match scope.start_at.as_ref().and_then(|start| scope.lookup(&start.value)) {
                Some(start) => {
                    graph.add_edge(nodes.entry, state_nodes[start.0 as usize], Edge::Start);
                }
                None => complete[scope_id.0 as usize] = false,
            }
        }
        for (id, state) in def.iter_states() {
            let from = state_nodes[id.0 as usize];
            let scope = def.scope(state.scope);
            let nodes = scope_nodes[state.scope.0 as usize];
            let mut unresolved = false;
            let mut target = |name: &str| match scope.lookup(name) {
                Some(to) => Some(state_nodes[to.0 as usize]),
                None => {
                    unresolved = true;
                    None
                }
            };
            match &state.transition {
                Transition::Next(next) => {
                    if let Some(to) = target(&next.value) {
                        graph.add_edge(from, to, Edge::Next);
                    }
                }
                Transition::End(_) => {
                    graph.add_edge(from, nodes.exit, Edge::End);
                }
                Transition::None => {}
            }
            match &state.kind {
                StateKind::Succeed => {
                    graph.add_edge(from, nodes.exit, Edge::End);
                }
                StateKind::Fail(_) => {
                    graph.add_edge(from, nodes.error_exit, Edge::Fail);
                }
                StateKind::Choice(choice) => {
                    for (i, rule) in choice.choices.iter().enumerate() {
                        if let Some(to) = rule.next.as_ref().and_then(|next| target(&next.value)) {
                            graph.add_edge(from, to, Edge::ChoiceRule(i as u32));
                        }
                    }
                    match &choice.default {
                        Some(default) => {
                            if let Some(to) = target(&default.value) {
                                graph.add_edge(from, to, Edge::Default);
                            }
                        }
                        None if !is_exhaustive(choice) => {
                            graph.add_edge(from, nodes.error_exit, Edge::Error);
                        }
                        None => {}
                    }
                }
                StateKind::Parallel(parallel) => {
                    for (i, branch) in parallel.branches.iter().enumerate() {
                        let entry = scope_nodes[branch.0 as usize].entry;
                        graph.add_edge(from, entry, Edge::Branch(i as u32));
                    }
                }
                StateKind::Map(map) => {
                    if let Some(processor) = map.processor {
                        graph.add_edge(from, scope_nodes[processor.0 as usize].entry, Edge::Processor);
                    }
                }
                StateKind::Invalid => {}
                StateKind::Pass(_) | StateKind::Task(_) | StateKind::Wait(_) => {}
            }
            for (i, catcher) in state.errors.catch.iter().enumerate() {
                if let Some(to) = catcher.next.as_ref().and_then(|next| target(&next.value)) {
                    graph.add_edge(from, to, Edge::Catch(i as u32));
                }
            }
            if can_fail(state) && !catches_all(state) {
                graph.add_edge(from, nodes.error_exit, Edge::Error);
            }
            if unresolved || matches!(state.kind, StateKind::Invalid) {
                complete[state.scope.0 as usize] = false;
            }
        }
        let mut cfg = Cfg { graph, state_nodes, scope_nodes, complete, reachable: Vec::new() };
        cfg.reachable = cfg.compute_reachable(def);
        cfg
    }

    fn compute_reachable(&self, def: &Definition) -> Vec<bool> {
        let mut reached = vec![false; def.states.len()];
        for nodes in &self.scope_nodes {
            let mut stack = vec![nodes.entry];
            while let Some(node) = stack.pop() {
                for edge in self.graph.edges(node) {
                    if matches!(edge.weight(), Edge::Branch(_) | Edge::Processor) {
                        continue;
                    }
                    if let CfgNode::State(id) = self.graph[edge.target()] {
                        if !reached[id.0 as usize] {
                            reached[id.0 as usize] = true;
                            stack.push(edge.target());
                        }
                    }
                }
            }
        }
        reached
    }

    /// The node of a state.
    pub fn node(&self, state: StateId) -> NodeIndex {
        self.state_nodes[state.0 as usize]
    }

    /// The entry and exits of a scope.
    pub fn scope(&self, scope: ScopeId) -> ScopeNodes {
        self.scope_nodes[scope.0 as usize]
    }

    /// Whether every transition of the scope names one of its states and every state has a
    /// valid type, so the graph is the whole truth about it.
    pub fn is_complete(&self, scope: ScopeId) -> bool {
        self.complete[scope.0 as usize]
    }

    /// Whether a state is reachable from its scope's `StartAt`.
    pub fn is_reachable(&self, state: StateId) -> bool {
        self.reachable[state.0 as usize]
    }

    /// The state a node stands for.
    pub fn state_of(&self, node: NodeIndex) -> Option<StateId> {
        match self.graph[node] {
            CfgNode::State(id) => Some(id),
            _ => None,
        }
    }

    /// Whether `other`, the graph of a definition that differs from this one's in state
    /// `state` alone, is the same graph: the same edges leave the state, and the same
    /// scopes are complete and the same states reachable. (The edges of the other states
    /// are built from their own fields, which are the same.)
    pub(crate) fn same_around(&self, other: &Cfg, state: StateId) -> bool {
        let edges = |cfg: &Cfg| -> Vec<(Edge, CfgNode)> {
            cfg.graph.edges(cfg.node(state)).map(|edge| (*edge.weight(), cfg.graph[edge.target()])).collect()
        };
        self.complete == other.complete
            && self.reachable == other.reachable
            && self.graph.node_count() == other.graph.node_count()
            && self.graph.edge_count() == other.graph.edge_count()
            && edges(self) == edges(other)
    }

    /// The flow edges leaving a state ([`Edge::is_flow`]) with their targets.
    pub fn successors(&self, state: StateId) -> impl Iterator<Item = (Edge, CfgNode)> + '_ {
        self.graph
            .edges(self.node(state))
            .filter(|edge| edge.weight().is_flow())
            .map(|edge| (*edge.weight(), self.graph[edge.target()]))
    }

    /// The flow edges entering a state, with the state they leave ([`Edge::Start`] has none
    /// and is left out).
    pub fn predecessors(&self, state: StateId) -> impl Iterator<Item = (Edge, StateId)> + '_ {
        self.graph.edges_directed(self.node(state), Direction::Incoming).filter_map(|edge| {
            let from = self.state_of(edge.source())?;
            edge.weight().is_flow().then_some((*edge.weight(), from))
        })
    }

    /// Whether the scope's `StartAt` names `state`.
    pub fn is_start(&self, state: StateId) -> bool {
        self.graph
            .edges_directed(self.node(state), Direction::Incoming)
            .any(|edge| *edge.weight() == Edge::Start)
    }

    /// The edges of the graph in index order (stable, for printers).
    pub fn edge_indices(&self) -> impl Iterator<Item = EdgeIndex> {
        self.graph.edge_indices()
    }

    /// For each state of `scope`, whether a node in `targets` can be reached from it over
    /// edges accepted by `follow`, indexed by `StateId` (other scopes' states are `false`).
    pub fn reaches(
        &self,
        def: &Definition,
        scope: ScopeId,
        targets: &[NodeIndex],
        follow: impl Fn(Edge) -> bool,
    ) -> Vec<bool> {
        let mut reached = vec![false; def.states.len()];
        let mut stack: Vec<NodeIndex> = targets.to_vec();
        let mut seen_targets = vec![false; targets.len()];
        while let Some(node) = stack.pop() {
            for edge in self.graph.edges_directed(node, Direction::Incoming) {
                if !edge.weight().is_flow() || !follow(*edge.weight()) {
                    continue;
                }
                let source = edge.source();
                if let Some(id) = self.state_of(source) {
                    if def.state(id).scope == scope && !reached[id.0 as usize] {
                        reached[id.0 as usize] = true;
                        stack.push(source);
                    }
                } else if let Some(i) = targets.iter().position(|t| *t == source) {
                    if !seen_targets[i] {
                        seen_targets[i] = true;
                        stack.push(source);
                    }
                }
            }
        }
        reached
    }
}

/// Whether a state does work that can raise an error a catcher could handle.
pub fn can_fail(state: &State) -> bool {
    matches!(state.kind, StateKind::Task(_) | StateKind::Parallel(_) | StateKind::Map(_))
}

/// Whether a state's catchers catch every catchable error (some catcher lists `States.ALL`).
pub fn catches_all(state: &State) -> bool {
    state.errors.catch.iter().any(|c| c.error_equals.iter().any(|name| &*name.value == STATES_ALL))
}

/// Whether some rule of a Choice always matches, so `States.NoChoiceMatched` cannot happen:
/// a JSONata `Condition: true`, or an `IsPresent: true` test of `$` (the input is always
/// present), or an `Or` holding such a rule.
pub fn is_exhaustive(choice: &Choice) -> bool {
    choice.choices.iter().any(|rule| always_true(&rule.condition, 0))
}

/// Whether a condition holds for every input. Conservative: `false` when unsure.
pub fn always_true(condition: &Condition, depth: usize) -> bool {
    if depth > 64 {
        return false;
    }
    match condition {
        Condition::Jsonata(aslc_ir::ir::Template::Literal(node)) => node.as_bool() == Some(true),
        Condition::Compare {
            variable: Some(variable),
            op: aslc_ir::ir::ChoiceOp::IsPresent,
            operand,
            ..
        } => variable.text.trim() == "$" && operand.as_bool() == Some(true),
        Condition::Or(_, rules) => rules.iter().any(|rule| always_true(rule, depth + 1)),
        Condition::And(_, rules) => {
            !rules.is_empty() && rules.iter().all(|rule| always_true(rule, depth + 1))
        }
        Condition::Not(_, inner) => always_false(inner, depth + 1),
        _ => false,
    }
}

fn always_false(condition: &Condition, depth: usize) -> bool {
    if depth > 64 {
        return false;
    }
    match condition {
        Condition::Jsonata(aslc_ir::ir::Template::Literal(node)) => node.as_bool() == Some(false),
        Condition::Compare {
            variable: Some(variable),
            op: aslc_ir::ir::ChoiceOp::IsPresent,
            operand,
            ..
        } => variable.text.trim() == "$" && operand.as_bool() == Some(false),
        Condition::And(_, rules) => rules.iter().any(|rule| always_false(rule, depth + 1)),
        Condition::Or(_, rules) => {
            !rules.is_empty() && rules.iter().all(|rule| always_false(rule, depth + 1))
        }
        Condition::Not(_, inner) => always_true(inner, depth + 1),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::definition;

    fn edges_of(cfg: &Cfg, def: &Definition, name: &str) -> Vec<String> {
        let (id, _) = def.iter_states().find(|(_, s)| &*s.name.value == name).unwrap();
        let mut out: Vec<String> = cfg
            .successors(id)
            .map(|(edge, to)| {
                let to = match to {
                    CfgNode::State(t) => def.state(t).name.value.to_string(),
                    CfgNode::Exit(_) => "exit".into(),
                    CfgNode::ErrorExit(_) => "error".into(),
                    CfgNode::Entry(_) => "entry".into(),
                };
                format!("{} -> {to}", edge.label())
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn draws_every_kind_of_edge() {
        let def = definition(
            r#"{ "StartAt": "C", "States": {
                "C": { "Type": "Choice", "Choices": [ { "Variable": "$.x", "IsPresent": true, "Next": "T" } ] },
                "T": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "P",
                       "Catch": [ { "ErrorEquals": ["X"], "Next": "F" } ] },
                "P": { "Type": "Parallel", "Branches": [ { "StartAt": "B", "States": { "B": { "Type": "Succeed" } } } ],
                       "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "F" } ], "End": true },
                "F": { "Type": "Fail" } } }"#,
        );
        let cfg = Cfg::build(&def);
        assert_eq!(edges_of(&cfg, &def, "C"), ["Choices[0] -> T", "error -> error"]);
        assert_eq!(edges_of(&cfg, &def, "T"), ["Catch[0] -> F", "Next -> P", "error -> error"]);
        assert_eq!(edges_of(&cfg, &def, "P"), ["Catch[0] -> F", "End -> exit"]);
        assert_eq!(edges_of(&cfg, &def, "F"), ["Fail -> error"]);
        assert_eq!(edges_of(&cfg, &def, "B"), ["End -> exit"]);
        assert!(def.iter_scopes().all(|(id, _)| cfg.is_complete(id)));
        assert!(def.iter_states().all(|(id, _)| cfg.is_reachable(id)));
    }

    #[test]
    fn unresolved_targets_mark_the_scope_incomplete() {
        let def = definition(
            r#"{ "StartAt": "A", "States": { "A": { "Type": "Pass", "Next": "Nope" }, "B": { "Type": "Succeed" } } }"#,
        );
        let cfg = Cfg::build(&def);
        assert!(!cfg.is_complete(def.root));
        let b = def.scope(def.root).lookup("B").unwrap();
        assert!(!cfg.is_reachable(b));
    }

    #[test]
    fn exhaustive_choices() {
        let def = definition(
            r#"{ "QueryLanguage": "JSONata", "StartAt": "C", "States": {
                "C": { "Type": "Choice", "Choices": [ { "Condition": true, "Next": "D" } ] },
                "D": { "Type": "Succeed" } } }"#,
        );
        let cfg = Cfg::build(&def);
        assert_eq!(edges_of(&cfg, &def, "C"), ["Choices[0] -> D"]);
    }
}
