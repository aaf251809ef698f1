//! Error-handling coverage: retriers and catchers that can never run, error names that
//! can never match, Lambda tasks without the transient-error retrier, tasks left
//! uncovered, errors that can escape the state machine.

pub(crate) mod catch_all_missing;
pub(crate) mod catch_shadowed;
pub(crate) mod catch_uncovered;
pub(crate) mod error_escapes;
pub(crate) mod retry_lambda;
pub(crate) mod retry_shadowed;
pub(crate) mod runtime_dead;
pub(crate) mod unknown_reserved;

use aslc_ir::ir::Name;

use crate::errors::covering;

/// For each entry (index) of a list of `ErrorEquals` arrays, the earlier entry whose names
/// already match everything it matches, with the covering name of each of its names.
pub(super) fn shadowed(lists: &[&[Name]]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, names) in lists.iter().enumerate() {
        if names.is_empty() {
            continue;
        }
        // Every name must be covered by the names of earlier entries; report the latest
        // entry that covers one of them.
        let mut by: Option<usize> = None;
        let all_covered = names.iter().all(|name| {
            let found = lists[..i]
                .iter()
                .enumerate()
                .rev()
                .find(|(_, earlier)| covering(earlier.iter().map(|n| &*n.value), &name.value).is_some());
            if let Some((j, _)) = found {
                by = Some(by.map_or(j, |b: usize| b.max(j)));
            }
            found.is_some()
        });
        if let (true, Some(j)) = (all_covered, by) {
            out.push((i, j));
        }
    }
    out
}
