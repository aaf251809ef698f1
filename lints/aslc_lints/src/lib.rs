//! Lints: warning-level rules over a control-flow graph of a checked definition.
//!
//! `aslc_ir` decides whether AWS accepts a definition; this crate reports what AWS accepts
//! but is almost certainly a mistake: loops with no way out, Choice states that can fail
//! with `States.NoChoiceMatched`, retriers that can never run, Lambda tasks without the
//! transient-error retrier, paths that read a field no predecessor produced, variables read
//! before they are assigned. (Express compatibility and the service limits are checked by
//! `aslc_ir`, which knows the workflow type from its `CheckOptions`.)
//!
//! ```text
//! Definition (IR) ──Cfg::build──▶ Cfg ──▶ LintCtx ──every enabled rule──▶ Vec<Diagnostic>
//! ```
//! The [`Cfg`] is built once per definition and shared by every rule through the
//! [`LintCtx`]; rules never mutate the IR or depend on each other.
//!
//! # Rules
//! [`all_rules`] lists the lints (code, level, docs). Codes are the rule ids of the ASL
//! reference where it defines the lint (`S-NO-EXIT`, `C-NO-DEFAULT`, `R-RETRY-LAMBDA`, …);
//! lints the reference has no id for use the `L-` prefix (`L-PATH-ABSENT`). Lints
//! default to their level (mostly warnings); a few analyses that report intended code
//! too are off until selected (see [`default_enabled`]).
//!
//! # Configuration
//! [`LintConfig`] selects rules like ruff's `--select`/`--ignore`: a selector is a code or
//! a prefix ending at a `-` (`R-EXP` selects every `R-EXP-…` rule), or `ALL`. The most
//! specific selector wins; on a tie `ignore` wins. An `aslc.toml` (or the `[tool.aslc]`
//! table of another file) configures it:
//!
//! ```toml
//! [lint]
//! select = ["ALL"]                 # default: every rule that is on by default
//! ignore = ["R-EXP", "V-UNUSED"]
//! workflow-type = "express"        # default: standard (for the checker's Express rules)
//!
//! [lint.severity]
//! S-NO-EXIT = "error"              # "error", "warning", "info" or "off"
//! ```
//!
//! ```
//! use aslc_lints::{lint, LintConfig};
//!
//! let text = r#"{ "StartAt": "A", "States": { "A": { "Type": "Pass", "Next": "A" },
//!                 "B": { "Type": "Succeed" } } }"#;
//! let node = aslc_syntax::json::parse(text, aslc_source::FileId(0)).node.unwrap();
//! let checked = aslc_ir::check(&node, aslc_source::FileId(0), &Default::default());
//! let config = LintConfig::from_toml("[lint]\nselect = [\"S-NO-EXIT\"]").unwrap();
//! let diagnostics = lint(checked.definition.as_ref().unwrap(), &config);
//! assert_eq!(diagnostics[0].code, "S-NO-EXIT");
//! ```
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod cfg;
mod code;
mod config;
mod context;
pub mod dot;
mod errors;
mod registry;
mod resource;
mod rules;
mod shape;
#[cfg(test)]
mod testing;
mod vars;

use aslc_ir::rules::Rule;
use aslc_ir::Definition;
use aslc_source::Diagnostic;

pub use cfg::{Cfg, CfgNode, Edge, ScopeNodes};
pub use config::{ConfigError, LintConfig, RuleSeverity};
pub use context::LintCtx;

/// Every lint, sorted by code (the validation rules are in `aslc_ir::rules::all_rules`).
pub fn all_rules() -> Vec<&'static Rule> {
    let mut rules: Vec<&'static Rule> = rules::LINTS.iter().map(|lint| lint.rule).collect();
    rules.sort_by_key(|rule| rule.code);
    rules
}

/// Whether a lint runs when no `select` names it: every lint except the opt-in analyses.
pub fn default_enabled(code: &str) -> bool {
    rules::LINTS.iter().find(|lint| lint.rule.code == code).is_some_and(|lint| lint.default_enabled)
}

/// Checks one definition tree: the spec rules of `aslc_ir`, then the lints, then the
/// configured selection and severities. What `aslc check` and the language server report
/// for one state machine.
pub fn check(
    node: &aslc_syntax::Node,
    file: aslc_source::FileId,
    options: &aslc_ir::CheckOptions,
    config: &LintConfig,
) -> Vec<Diagnostic> {
    let checked = aslc_ir::check(node, file, options);
    let mut diagnostics = checked.diagnostics;
    if let Some(def) = &checked.definition {
        let mut config = config.clone();
        config.workflow_type = options.workflow_type;
        diagnostics.extend(lint(def, &config));
    }
    config.apply(&mut diagnostics);
    diagnostics
}

/// Runs every enabled lint on `def` and returns the diagnostics, sorted by position and
/// with the configured severities applied.
pub fn lint(def: &Definition, config: &LintConfig) -> Vec<Diagnostic> {
    let cfg = Cfg::build(def);
    lint_with_cfg(def, &cfg, config)
}

/// Like [`lint`], with a graph the caller already built (the language server keeps one).
pub fn lint_with_cfg(def: &Definition, cfg: &Cfg, config: &LintConfig) -> Vec<Diagnostic> {
    let ctx = LintCtx::new(def, cfg, config);
    let mut acc = run(&ctx, |_| true);
    acc.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    acc
}

/// The lints of one definition split the way an editor re-checks it, as
/// [`aslc_ir::Validation`] splits the spec rules: the rules that follow the graph or
/// compare states ([`Linting::graph`]); the rules of one state, which read nothing but the
/// state, its scope's context and the states nested in it ([`Linting::states`]); and the
/// rules of one state that also read the data-flow analysis of the definition
/// ([`Linting::data_flow`]). Together they report what [`lint`] reports, unsorted; the
/// configured severities are applied, the selection of [`LintConfig::apply`] is not.
pub struct Linting<'a> {
    def: &'a Definition,
    cfg: Cfg,
    config: &'a LintConfig,
    analyses: context::Analyses,
    data_flow_kept: bool,
}

/// What a [`Linting`] keeps of one version of a definition for the next: its graph and
/// its data-flow analysis.
#[derive(Debug)]
pub struct Kept {
    cfg: Cfg,
    shapes: Option<shape::Shapes>,
}

impl<'a> Linting<'a> {
    /// Prepares the lints of `def` (builds its graph).
    pub fn new(def: &'a Definition, config: &'a LintConfig) -> Linting<'a> {
        let cfg = Cfg::build(def);
        Linting { def, cfg, config, analyses: context::Analyses::default(), data_flow_kept: false }
    }

    /// Prepares the lints of `def`, which differs from the definition `kept` comes from in
    /// state `edited` alone, whose fields were `old`. The data-flow analysis is kept when
    /// the edit cannot change it: the graph is the same and the state passes on the same
    /// data as before.
    pub fn after_edit(
        def: &'a Definition,
        config: &'a LintConfig,
        kept: Kept,
        edited: aslc_ir::ir::StateId,
        old: &aslc_ir::ir::State,
    ) -> Linting<'a> {
        let mut linting = Linting::new(def, config);
        let Some(new) = def.states.get(edited.0 as usize) else { return linting };
        if let Some(shapes) = kept.shapes {
            if kept.cfg.same_around(&linting.cfg, edited)
                && shape::Transfer::of(old) == shape::Transfer::of(new)
            {
                // The analysis is a fixpoint over the graph of the states' transfers, all
                // the same as before.
                let _ = linting.analyses.shapes.set(shapes);
                linting.data_flow_kept = true;
            }
        }
        linting
    }

    /// Whether the data-flow analysis was kept from the previous version, so that the
    /// [`Linting::data_flow`] diagnostics of the states not edited are what they were.
    pub fn data_flow_kept(&self) -> bool {
        self.data_flow_kept
    }

    /// The lints that follow the graph or compare states.
    pub fn graph(&self) -> Vec<Diagnostic> {
        run(&self.ctx(None), |reads| reads == registry::Reads::Graph)
    }

    /// The per-state lints of `states`.
    pub fn states(&self, states: &[aslc_ir::ir::StateId]) -> Vec<Diagnostic> {
        run(&self.ctx(Some(states)), |reads| reads == registry::Reads::State)
    }

    /// The per-state lints of `states` that read the data-flow analysis.
    pub fn data_flow(&self, states: &[aslc_ir::ir::StateId]) -> Vec<Diagnostic> {
        run(&self.ctx(Some(states)), |reads| reads == registry::Reads::DataFlow)
    }

    /// What to keep for the next version.
    pub fn keep(self) -> Kept {
        Kept { cfg: self.cfg, shapes: self.analyses.shapes.into_inner() }
    }

    fn ctx<'c>(&'c self, focus: Option<&'c [aslc_ir::ir::StateId]>) -> LintCtx<'c> {
        LintCtx::sharing(self.def, &self.cfg, self.config, &self.analyses, focus)
    }
}

/// Runs the enabled lints that `which` picks, with their configured severities.
fn run(ctx: &LintCtx<'_>, which: impl Fn(registry::Reads) -> bool) -> Vec<Diagnostic> {
    let config = ctx.config;
    let mut acc = Vec::new();
    for lint in rules::LINTS.iter().filter(|lint| which(lint.reads)) {
        if !config.is_enabled(lint.rule.code, lint.default_enabled) {
            continue;
        }
        let Some(severity) = config.severity_of(lint.rule.code, lint.rule.level.severity()) else {
            continue;
        };
        let before = acc.len();
        (lint.check)(ctx, &mut acc);
        for diagnostic in &mut acc[before..] {
            diagnostic.severity = severity;
        }
    }
    acc
}
