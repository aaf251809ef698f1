//! The checks of one definition kept per state, so that an edit inside one state re-checks
//! that state and the rules that relate states, not every state.
//!
//! A definition's diagnostics are five parts, each computed by the same code `aslc check`
//! runs ([`aslc_ir::lower`], [`aslc_ir::Validation`], [`aslc_lints::Linting`]):
//! - the lowering diagnostics, each inside the `"Name": { … }` member of the state that
//!   reported it, or outside every state (top-level and scope fields);
//! - per state, the spec rules and lints that read only that state, its scope's context,
//!   the states nested in it and what [`aslc_ir::StateContext`] says of the others (the
//!   variables assigned anywhere, the first task's partition);
//! - per state, the lints that read the state and the data-flow analysis of the whole
//!   definition (`L-PATH-ABSENT`);
//! - the spec rules that relate states (names, transitions, reachability, unique labels,
//!   limits of the machine);
//! - the lints that follow the graph (termination, data flow, variables).
//!
//! After an edit strictly inside the object of a state that holds no scope (not a
//! Parallel or Map state, before or after), [`Checked::update`] moves every span after the
//! edit ([`aslc_ir::ir::Spans`]), lowers the edited state again in its scope's context
//! ([`aslc_ir::relower_state`]), replaces its lowering diagnostics, re-runs the per-state
//! rules of it and of the states that enclose it (which may read it), and runs the
//! whole-definition rules again. The per-state diagnostics of every other state are moved,
//! not recomputed, unless the [`aslc_ir::StateContext`] changed, when every state's rules
//! run again. The data-flow analysis (a fixpoint over the graph) is kept too when the
//! graph is the same and the edited state passes on the same data as before
//! ([`aslc_lints::Linting::after_edit`]); otherwise it and the lints that read it run over
//! every state again. Whatever falls outside those conditions is checked from scratch.
//!
//! The split is exact: the per-state rules are the ones that read nothing else, which the
//! rule registries say (`Validation::states`, lints registered as `state` or `data_flow`), and a
//! randomised test compares every incremental result with `aslc_lints::check` from
//! scratch.

use aslc_ir::ir::{Definition, Shift, Spans, StateId, StateKind};
use aslc_ir::{CheckOptions, StateContext, Validation};
use aslc_lints::{Kept, LintConfig, Linting};
use aslc_source::Diagnostic;
use aslc_syntax::{Member, Node, NodeValue};

use crate::analysis::FILE;
use crate::incremental::Change;

/// A definition's IR and the parts of its diagnostics that an edit of one state can keep.
#[derive(Debug)]
pub struct Checked {
    /// The configuration the checks ran with (its workflow type is the options').
    config: LintConfig,
    def: Definition,
    /// The lowering diagnostics.
    lowered: Vec<Diagnostic>,
    /// What the per-state spec rules read of the other states.
    context: StateContext,
    /// Per state (by id): the per-state spec rules and lints.
    per_state: Vec<Vec<Diagnostic>>,
    /// Per state (by id): the per-state lints that read the data-flow analysis.
    data_flow: Vec<Vec<Diagnostic>>,
    /// The graph and data-flow analysis of the lints.
    lints: Option<Kept>,
}

impl Checked {
    /// Checks a definition tree from scratch. Returns what to keep for the next edit (when
    /// the tree is an object) and the diagnostics, with the configuration applied, in no
    /// particular order.
    pub fn new(
        root: &Node,
        options: &CheckOptions,
        config: &LintConfig,
    ) -> (Option<Checked>, Vec<Diagnostic>) {
        let config = effective(config, options);
        let (def, mut lowered) = aslc_ir::lower(root, FILE);
        aslc_ir::rules::fill_aws_codes(&mut lowered);
        let Some(def) = def else {
            let mut diagnostics = lowered;
            config.apply(&mut diagnostics);
            return (None, diagnostics);
        };
        let validation = Validation::new(&def, options, &lowered);
        let linting = Linting::new(&def, &config);
        let ids = || (0..def.states.len() as u32).map(StateId);
        let per_state = ids().map(|id| state_diagnostics(&validation, &linting, id)).collect();
        let data_flow = ids().map(|id| linting.data_flow(&[id])).collect();
        let graph = graph_diagnostics(&validation, &linting);
        let context = validation.context();
        drop(validation);
        let lints = Some(linting.keep());
        let checked = Checked { config, def, lowered, context, per_state, data_flow, lints };
        let diagnostics = checked.diagnostics(graph);
        (Some(checked), diagnostics)
    }

    /// Checks `root`, the tree of a text that differs from the checked one by `change`, by
    /// re-checking only the state the change is inside; `None` when that is not possible
    /// (the caller then checks from scratch).
    pub fn update(
        mut self,
        root: &Node,
        change: Change,
        options: &CheckOptions,
        config: &LintConfig,
    ) -> Option<(Checked, Vec<Diagnostic>, Edited)> {
        let config = effective(config, options);
        if config != self.config {
            return None;
        }
        let start = u32::try_from(change.start).ok()?;
        let old_end = u32::try_from(change.old_end).ok()?;
        let delta = i64::try_from(change.new_end).ok()? - i64::try_from(change.old_end).ok()?;
        let edited = innermost_state(&self.def, start, old_end)?;
        let old = self.def.state(edited);
        if matches!(old.kind, StateKind::Parallel(_) | StateKind::Map(_))
            || !unique_in_scope(&self.def, edited)
        {
            return None;
        }
        // The key precedes the edit, so its range is the same in the new tree.
        let member = member_at(root, old.name.range)?;
        // The state's `"Name": { … }` member in the old text.
        let old_span = (old.name.range.start(), old.range.end());
        let shift = Shift { from: old.range.end(), delta };
        let edited_key = Edited { key_range: old.name.range, shift };
        let old = old.clone();

        self.def.shift(shift);
        let relowered = aslc_ir::relower_state(&mut self.def, edited, member)?;
        self.lowered.retain(|d| {
            let range = d.primary.range;
            !(old_span.0 <= range.start() && range.end() <= old_span.1)
        });
        let kept = self.per_state.iter_mut().chain(self.data_flow.iter_mut()).flatten();
        for diagnostic in self.lowered.iter_mut().chain(kept) {
            move_diagnostic(diagnostic, shift);
        }
        self.lowered.extend(relowered);

        let validation = Validation::new(&self.def, options, &self.lowered);
        let linting = match self.lints.take() {
            Some(kept) => Linting::after_edit(&self.def, &self.config, kept, edited, &old),
            None => Linting::new(&self.def, &self.config),
        };
        // The edited state and the states around it, whose per-state rules may read it.
        let mut again = vec![edited];
        let mut scope = self.def.state(edited).scope;
        while let Some(parent) = self.def.scope(scope).parent {
            if again.contains(&parent) || again.len() > aslc_ir::MAX_SCOPE_DEPTH as usize + 1 {
                break;
            }
            again.push(parent);
            scope = self.def.state(parent).scope;
        }
        // When what the per-state rules read of the other states changed (a variable
        // assigned, the first partition), every state is checked again.
        let mut context = validation.context();
        self.context.shift(shift);
        std::mem::swap(&mut self.context, &mut context);
        let states: Vec<StateId> = if context == self.context {
            again.clone()
        } else {
            (0..self.def.states.len() as u32).map(StateId).collect()
        };
        for id in states {
            let diagnostics = state_diagnostics(&validation, &linting, id);
            if let Some(slot) = self.per_state.get_mut(id.0 as usize) {
                *slot = diagnostics;
            }
        }
        // With the data-flow analysis kept, only the states re-checked can report
        // differently; otherwise any state can.
        let data_flow: Vec<StateId> = if linting.data_flow_kept() {
            again
        } else {
            (0..self.def.states.len() as u32).map(StateId).collect()
        };
        for id in data_flow {
            let diagnostics = linting.data_flow(&[id]);
            if let Some(slot) = self.data_flow.get_mut(id.0 as usize) {
                *slot = diagnostics;
            }
        }
        let graph = graph_diagnostics(&validation, &linting);
        drop(validation);
        self.lints = Some(linting.keep());
        let diagnostics = self.diagnostics(graph);
        Some((self, diagnostics, edited_key))
    }

    /// Every diagnostic: the kept parts and the whole-definition ones, configured.
    fn diagnostics(&self, graph: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let mut diagnostics = self.lowered.clone();
        diagnostics.extend(self.per_state.iter().chain(&self.data_flow).flatten().cloned());
        diagnostics.extend(graph);
        self.config.apply(&mut diagnostics);
        diagnostics
    }
}

/// The state an update re-checked: its key, and how the offsets after it moved.
#[derive(Clone, Copy, Debug)]
pub struct Edited {
    /// The state's key (the same in both texts).
    pub key_range: aslc_source::TextRange,
    /// How offsets after the state moved.
    pub shift: Shift,
}

/// The configuration as `aslc_lints::check` uses it: the options decide the workflow type.
fn effective(config: &LintConfig, options: &CheckOptions) -> LintConfig {
    let mut config = config.clone();
    config.workflow_type = options.workflow_type;
    config
}

fn state_diagnostics(validation: &Validation<'_>, linting: &Linting<'_>, id: StateId) -> Vec<Diagnostic> {
    let mut diagnostics = validation.states(&[id]);
    diagnostics.extend(linting.states(&[id]));
    diagnostics
}

fn graph_diagnostics(validation: &Validation<'_>, linting: &Linting<'_>) -> Vec<Diagnostic> {
    let mut diagnostics = validation.graph();
    diagnostics.extend(linting.graph());
    diagnostics
}

/// The innermost state whose object's braces enclose `start..end`.
fn innermost_state(def: &Definition, start: u32, end: u32) -> Option<StateId> {
    def.iter_states()
        .filter(|(_, s)| s.range.start() < start && end < s.range.end())
        .min_by_key(|(_, s)| s.range.len())
        .map(|(id, _)| id)
}

/// Whether no other state of its scope has the name of `id` (a duplicate's diagnostics
/// carry the same location, which some rules read).
fn unique_in_scope(def: &Definition, id: StateId) -> bool {
    let state = def.state(id);
    def.scope(state.scope)
        .states
        .iter()
        .all(|&other| other == id || def.state(other).name.value != state.name.value)
}

/// The object member of `node` whose key is at `key_range`, found by descending through
/// the containers that hold `offset`.
pub(crate) fn member_at(node: &Node, key_range: aslc_source::TextRange) -> Option<&Member> {
    let offset = key_range.start();
    let mut node = node;
    // Nesting is bounded by the reader's depth limit; the loop descends one level a turn.
    loop {
        match &node.value {
            NodeValue::Object(members) => {
                let i = members.partition_point(|m| m.key_range.start() <= offset).checked_sub(1)?;
                let member = &members[i];
                if member.key_range == key_range {
                    return Some(member);
                }
                node = &member.value;
            }
            NodeValue::Array(items) => {
                let i = items.partition_point(|item| item.range.start() <= offset).checked_sub(1)?;
                node = &items[i];
            }
            _ => return None,
        }
        if !(node.range.start() <= offset && offset < node.range.end()) {
            return None;
        }
    }
}

fn move_diagnostic(diagnostic: &mut Diagnostic, shift: Shift) {
    diagnostic.primary.range = shift.range(diagnostic.primary.range);
    for label in &mut diagnostic.secondary {
        label.range = shift.range(label.range);
    }
}
