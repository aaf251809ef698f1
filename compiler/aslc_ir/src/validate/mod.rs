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

use aslc_source::Diagnostic;

use crate::ir::Definition;
use crate::CheckOptions;

/// Runs every validation pass over `def`.
pub(crate) fn validate(def: &Definition, options: &CheckOptions, out: &mut Vec<Diagnostic>) {
    graph::check(def, out);
    tasks::check(def, out);
    states::check(def, out);
    map::check(def, out);
    express::check(def, options, out);
    limits::check(def, options, out);
    // The path fields of the definition, gathered once for the three passes that read them.
    let sites = walk::path_sites(def);
    paths::check(def, &sites, out);
    intrinsics::check(def, &sites, out);
    jsonata::check(def, out);
    context::check(def, &sites, out);
    literals::check(def, out);
    timestamps::check(def, out);
    variables::check(def, out);
}

/// Whether a diagnostic is already reported at `location`. Lowering reports a field it
/// could not read (wrong type, other query language) at the field and drops it from the
/// IR; rules about missing fields use this to tell "absent" from "written but invalid".
pub(crate) fn reported_at(out: &[Diagnostic], location: &str) -> bool {
    out.iter().any(|d| d.location == location)
}
