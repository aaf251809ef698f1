//! Validation of a lowered definition: the spec rules that need the whole IR (names,
//! transitions, graph shape), as opposed to the per-field rules checked while lowering.

pub(crate) mod express;
pub(crate) mod graph;
pub(crate) mod limits;
pub(crate) mod map;
mod resource;
pub(crate) mod states;
pub(crate) mod tasks;
#[cfg(test)]
mod testing;

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
}

/// Whether a diagnostic is already reported at `location`. Lowering reports a field it
/// could not read (wrong type, other query language) at the field and drops it from the
/// IR; rules about missing fields use this to tell "absent" from "written but invalid".
pub(crate) fn reported_at(out: &[Diagnostic], location: &str) -> bool {
    out.iter().any(|d| d.location == location)
}
