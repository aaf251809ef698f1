//! Reachability and termination: loops with no way out, Choice states that can match
//! nothing, rules that can never be chosen, straight paths into failure.

pub(crate) mod default_dup;
pub(crate) mod next_always_fails;
pub(crate) mod no_default;
pub(crate) mod no_exit;
pub(crate) mod rule_shadowed;
