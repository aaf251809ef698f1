//! The lint rules, one file per rule, grouped by subject. [`LINTS`] is the registry: adding
//! a rule means adding its file, its line here, its fixture folder and its snapshots.

use crate::registry::Lint;

mod dataflow;
mod errors;
mod hygiene;
mod reachability;
mod variables;

/// A registry line: the rule, what it reads (`state`: one state, its scope's context and
/// the states nested in it; `data_flow`: that and the data-flow analysis of the state;
/// `graph`: anything), and `off` when it is opt-in.
macro_rules! lints {
    ($($group:ident :: $rule:ident : $reads:ident $(, $off:ident)?;)*) => {
        /// Every lint, in registry order (the order rules run; output is sorted anyway).
        pub(crate) static LINTS: &[Lint] = &[
            $(Lint {
                rule: &$group::$rule::RULE,
                check: $group::$rule::check,
                default_enabled: lints!(@on $($off)?),
                reads: lints!(@reads $reads),
            },)*
        ];
    };
    (@reads state) => { crate::registry::Reads::State };
    (@reads data_flow) => { crate::registry::Reads::DataFlow };
    (@reads graph) => { crate::registry::Reads::Graph };
    (@on) => { true };
    (@on off) => { false };
}

lints! {
    reachability::no_exit: graph;
    reachability::no_default: state;
    reachability::rule_shadowed: state;
    reachability::default_dup: state;
    reachability::next_always_fails: graph;
    errors::retry_shadowed: state;
    errors::catch_shadowed: state;
    errors::runtime_dead: state;
    errors::unknown_reserved: graph;
    errors::retry_lambda: state;
    errors::catch_uncovered: graph;
    errors::catch_all_missing: state, off;
    errors::error_escapes: graph, off;
    dataflow::path_absent: data_flow;
    variables::use_before_assign: graph;
    variables::never_assigned: graph;
    variables::unused: graph;
    variables::outer_write: graph;
    variables::distributed: graph;
    hygiene::unused_nested: state;
    hygiene::inner_ql_ignored: state;
    hygiene::payload_limit: state;
    hygiene::pass_noop: graph, off;
    hygiene::dmap_concurrency: state;
}
