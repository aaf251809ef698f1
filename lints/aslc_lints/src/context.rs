//! What every rule reads: the definition, its graph, the configuration, and the analyses
//! several rules share, computed on first use and kept for the rest of the run.

use std::cell::OnceCell;

use aslc_ir::ir::{Definition, ScopeId, ScopeKind, State, StateId, StateKind};
use aslc_ir::rules::Rule;
use aslc_source::{Diagnostic, TextRange};

use crate::cfg::Cfg;
use crate::config::LintConfig;
use crate::shape::Shapes;
use crate::vars::Variables;

/// The shared state of one lint run over one definition.
pub struct LintCtx<'a> {
    /// The definition.
    pub def: &'a Definition,
    /// Its control-flow graph, built once.
    pub cfg: &'a Cfg,
    /// The configuration.
    pub config: &'a LintConfig,
    /// The states the per-state rules look at; `None` for every state.
    focus: Option<&'a [StateId]>,
    analyses: Held<'a>,
}

/// The analyses several rules share, computed on first use.
#[derive(Default)]
pub(crate) struct Analyses {
    pub(crate) variables: OnceCell<Variables>,
    pub(crate) shapes: OnceCell<Shapes>,
}

/// The analyses of a context: its own, or those of a [`crate::Linting`] that runs several
/// contexts over one definition.
enum Held<'a> {
    Own(Analyses),
    Shared(&'a Analyses),
}

impl<'a> LintCtx<'a> {
    /// A context over a definition and its graph.
    pub fn new(def: &'a Definition, cfg: &'a Cfg, config: &'a LintConfig) -> LintCtx<'a> {
        LintCtx { def, cfg, config, focus: None, analyses: Held::Own(Analyses::default()) }
    }

    /// A context sharing `analyses`, whose per-state rules look at `states` only (at
    /// every state when `None`).
    pub(crate) fn sharing(
        def: &'a Definition,
        cfg: &'a Cfg,
        config: &'a LintConfig,
        analyses: &'a Analyses,
        focus: Option<&'a [StateId]>,
    ) -> LintCtx<'a> {
        LintCtx { def, cfg, config, focus, analyses: Held::Shared(analyses) }
    }

    fn analyses(&self) -> &Analyses {
        match &self.analyses {
            Held::Own(analyses) => analyses,
            Held::Shared(analyses) => analyses,
        }
    }

    /// The states a per-state rule checks: every state, or those the context focuses on.
    pub fn states(&self) -> impl Iterator<Item = (StateId, &'a State)> + use<'a> {
        let def = self.def;
        let all = self.focus.is_none().then(|| def.iter_states()).into_iter().flatten();
        let some = self
            .focus
            .unwrap_or_default()
            .iter()
            .filter_map(move |&id| Some((id, def.states.get(id.0 as usize)?)));
        all.chain(some)
    }

    /// A diagnostic of `rule` at `range` with the rule's default severity.
    pub fn diagnostic(&self, rule: &Rule, range: TextRange, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(rule.code, rule.level.severity(), self.def.file, range, message)
    }

    /// The variable analysis (assignments and references per state).
    pub(crate) fn variables(&self) -> &Variables {
        self.analyses().variables.get_or_init(|| Variables::build(self.def, self.cfg))
    }

    /// The shape analysis (what is known of each state's input).
    pub(crate) fn shapes(&self) -> &Shapes {
        self.analyses().shapes.get_or_init(|| Shapes::build(self.def, self.cfg))
    }

    /// The scopes enclosing `scope`, innermost first, `scope` included.
    pub fn scope_chain(&self, scope: ScopeId) -> Vec<ScopeId> {
        let mut chain = vec![scope];
        let mut current = self.def.scope(scope).parent;
        while let Some(parent) = current {
            let outer = self.def.state(parent).scope;
            if chain.contains(&outer) {
                break;
            }
            chain.push(outer);
            current = self.def.scope(outer).parent;
        }
        chain
    }

    /// The scopes whose variables a state of `scope` can read: the scope chain, cut after
    /// the first Distributed Map processor (its children are separate executions).
    pub fn visible_scopes(&self, scope: ScopeId) -> Vec<ScopeId> {
        let mut chain = self.scope_chain(scope);
        if let Some(cut) = chain.iter().position(|s| self.is_distributed_processor(*s)) {
            chain.truncate(cut + 1);
        }
        chain
    }

    /// Whether `scope` is the processor of a Distributed Map.
    pub fn is_distributed_processor(&self, scope: ScopeId) -> bool {
        let scope = self.def.scope(scope);
        matches!(scope.kind, ScopeKind::ItemProcessor | ScopeKind::Iterator)
            && scope.parent.is_some_and(|p| self.is_distributed_map(self.def.state(p)))
    }

    /// Whether a state is a Distributed Map.
    pub fn is_distributed_map(&self, state: &State) -> bool {
        matches!(&state.kind, StateKind::Map(map) if map.is_distributed(self.def))
    }
}
