//! The lint rules, one file per rule, grouped by subject. [`LINTS`] is the registry: adding
//! a rule means adding its file, its line here, its fixture folder and its snapshots.

use crate::registry::Lint;

mod dataflow;
mod errors;
mod hygiene;
mod reachability;
mod variables;

/// A registry line.
macro_rules! lints {
    ($($group:ident :: $rule:ident $(, $off:ident)?;)*) => {
        /// Every lint, in registry order (the order rules run; output is sorted anyway).
        pub(crate) static LINTS: &[Lint] = &[
            $(Lint { rule: &$group::$rule::RULE, check: $group::$rule::check, default_enabled: lints!(@on $($off)?) },)*
        ];
    };
    (@on) => { true };
    (@on off) => { false };
}

lints! {
    reachability::no_exit;
    reachability::no_default;
    reachability::rule_shadowed;
    reachability::default_dup;
    reachability::next_always_fails;
    errors::retry_shadowed;
    errors::catch_shadowed;
    errors::runtime_dead;
    errors::unknown_reserved;
    errors::retry_lambda;
    errors::catch_uncovered;
    errors::catch_all_missing, off;
    errors::error_escapes, off;
    dataflow::path_absent;
    variables::use_before_assign;
    variables::never_assigned;
    variables::unused;
    variables::outer_write;
    variables::distributed;
    hygiene::unused_nested;
    hygiene::inner_ql_ignored;
    hygiene::payload_limit;
    hygiene::pass_noop, off;
    hygiene::dmap_concurrency;
}
