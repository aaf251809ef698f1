//! Validation of a lowered definition: the spec rules that need the whole IR (names,
//! transitions, graph shape), as opposed to the per-field rules checked while lowering.

pub(crate) mod graph;

use aslc_source::Diagnostic;

use crate::ir::Definition;
use crate::CheckOptions;

/// Runs every validation pass over `def`.
pub(crate) fn validate(def: &Definition, options: &CheckOptions, out: &mut Vec<Diagnostic>) {
    let _ = options;
    graph::check(def, out);
}
