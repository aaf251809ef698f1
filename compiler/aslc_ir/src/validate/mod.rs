//! Validation of a lowered definition: the spec rules that need the whole IR (names,
//! transitions, graph shape), as opposed to the per-field rules checked while lowering.

pub(crate) mod context;
pub(crate) mod express;
pub(crate) mod graph;
pub(crate) mod intrinsics;
pub(crate) mod jsonata;
pub(crate) mod limits;
pub(crate) mod literals;
pub(crate) mod map;
pub(crate) mod paths;
mod resource;
pub(crate) mod states;
pub(crate) mod tasks;
#[cfg(test)]
mod testing;
pub(crate) mod timestamps;
pub(crate) mod variables;
mod walk;

use aslc_source::{Diagnostic, TextRange};
use rustc_hash::FxHashSet;

use crate::ir::{Definition, State, StateId};
use crate::CheckOptions;

/// Runs every validation pass over `def`; `out` holds the lowering diagnostics.
pub(crate) fn validate(def: &Definition, options: &CheckOptions, out: &mut Vec<Diagnostic>) {
    let prior = Prior::default();
    let runs = express::runs(def, options.workflow_type);
    let all = Focus::ALL;
    let variables = literals::assigned(def);
    graph::check(def, out);
    tasks::check(def, tasks::first_partition(def), all, out);
    states::check(def, all, &prior, out);
    map::check(def, all, &prior, out);
    map::check_labels(def, out);
    express::check_machine(def, options, out);
    express::check(def, &runs, all, out);
    limits::check_machine(def, options, out);
    limits::check(def, &runs, all, out);
    // The path fields of the definition, gathered once for the three passes that read them.
    let sites = walk::path_sites(def, all);
    paths::check(def, &sites, out);
    intrinsics::check(def, &sites, out);
    jsonata::check(def, all, out);
    context::check(def, &sites, out);
    literals::check(def, &variables, all, out);
    timestamps::check(def, all, out);
    variables::check(def, all, out);
}

/// The validation of one definition split the way an editor re-checks it: the rules that
/// relate states to each other ([`Validation::graph`]) and the rules of one state, which
/// read nothing but the state, the scopes around it and the states nested in it
/// ([`Validation::states`]). Together they report what [`crate::check`] reports.
///
/// A state's rules read its scope's context (the query language, whether the scope runs
/// in an Express execution), for a Parallel or Map state the scopes it holds, and the
/// [`StateContext`] of the definition; an editor that re-lowers one state re-checks it and
/// the states that enclose it, and every state when the context changed.
pub struct Validation<'d> {
    def: &'d Definition,
    options: CheckOptions,
    runs: Vec<express::Run>,
    prior: Prior,
    variables: FxHashSet<&'d str>,
    first_partition: Option<(&'d str, TextRange)>,
}

/// What the rules of one state read of the other states: the variables assigned anywhere
/// (a literal `$name` is a forgotten `.$` only when `name` is assigned), and the partition
/// of the first task (every other task's is compared with it).
#[derive(Clone, PartialEq, Debug)]
pub struct StateContext {
    variables: Vec<Box<str>>,
    first_partition: Option<(Box<str>, TextRange)>,
}

impl crate::ir::Spans for StateContext {
    fn shift(&mut self, by: crate::ir::Shift) {
        let StateContext { variables: _, first_partition } = self;
        if let Some((_, range)) = first_partition {
            range.shift(by);
        }
    }
}

impl<'d> Validation<'d> {
    /// Prepares the validation of `def`, whose lowering reported `lowered`.
    pub fn new(def: &'d Definition, options: &CheckOptions, lowered: &[Diagnostic]) -> Validation<'d> {
        let prior = Prior { locations: lowered.iter().map(|d| d.location.clone()).collect() };
        Validation {
            def,
            options: *options,
            runs: express::runs(def, options.workflow_type),
            prior,
            variables: literals::assigned(def),
            first_partition: tasks::first_partition(def),
        }
    }

    /// What the rules of one state read of the others.
    pub fn context(&self) -> StateContext {
        let mut variables: Vec<Box<str>> = self.variables.iter().map(|&name| name.into()).collect();
        variables.sort_unstable();
        let first_partition = self.first_partition.map(|(partition, range)| (partition.into(), range));
        StateContext { variables, first_partition }
    }

    /// The rules that relate states to each other or read the whole definition: names,
    /// transitions and reachability, unique Map labels, the machine's limits.
    pub fn graph(&self) -> Vec<Diagnostic> {
        let (def, options) = (self.def, &self.options);
        let mut out = Vec::new();
        graph::check(def, &mut out);
        map::check_labels(def, &mut out);
        express::check_machine(def, options, &mut out);
        limits::check_machine(def, options, &mut out);
        crate::rules::fill_aws_codes(&mut out);
        out
    }

    /// The rules of the given states (each state's own fields, in its scope's context).
    pub fn states(&self, states: &[StateId]) -> Vec<Diagnostic> {
        let (def, prior) = (self.def, &self.prior);
        let focus = Focus(Some(states));
        let mut out = Vec::new();
        tasks::check(def, self.first_partition, focus, &mut out);
        states::check(def, focus, prior, &mut out);
        map::check(def, focus, prior, &mut out);
        express::check(def, &self.runs, focus, &mut out);
        limits::check(def, &self.runs, focus, &mut out);
        let sites = walk::path_sites(def, focus);
        paths::check(def, &sites, &mut out);
        intrinsics::check(def, &sites, &mut out);
        jsonata::check(def, focus, &mut out);
        context::check(def, &sites, &mut out);
        literals::check(def, &self.variables, focus, &mut out);
        timestamps::check(def, focus, &mut out);
        variables::check(def, focus, &mut out);
        crate::rules::fill_aws_codes(&mut out);
        out
    }
}

/// The states a per-state pass looks at: every state, or a few named ones.
#[derive(Clone, Copy)]
pub(crate) struct Focus<'f>(Option<&'f [StateId]>);

impl<'f> Focus<'f> {
    /// Every state of the definition.
    pub(crate) const ALL: Focus<'static> = Focus(None);

    /// The states in focus, with their ids.
    pub(crate) fn states<'d>(
        self,
        def: &'d Definition,
    ) -> impl Iterator<Item = (StateId, &'d State)> + use<'d, 'f> {
        let all = self.0.is_none().then(|| def.iter_states()).into_iter().flatten();
        let some = self
            .0
            .unwrap_or_default()
            .iter()
            .filter_map(move |&id| Some((id, def.states.get(id.0 as usize)?)));
        all.chain(some)
    }
}

/// The locations of the lowering diagnostics when they are not in the pass's output (a
/// per-state check starts from an empty output).
#[derive(Default)]
pub(crate) struct Prior {
    locations: FxHashSet<String>,
}

/// Whether a diagnostic is already reported at `location`. Lowering reports a field it
/// could not read (wrong type, other query language) at the field and drops it from the
/// IR; rules about missing fields use this to tell "absent" from "written but invalid".
pub(crate) fn reported_at(prior: &Prior, out: &[Diagnostic], location: &str) -> bool {
    prior.locations.contains(location) || out.iter().any(|d| d.location == location)
}
