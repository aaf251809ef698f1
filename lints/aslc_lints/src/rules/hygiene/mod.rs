//! Limits and hygiene: literal payloads beyond AWS's limit, nested machines and states
//! that do nothing, query-language declarations that have no effect, unbounded fan-out.
//!
//! The other limits of runtime-limits.md (`R-LIM-…`) and the Express rules (`R-EXP-…`)
//! are checked by `aslc_ir`.

pub(crate) mod dmap_concurrency;
pub(crate) mod inner_ql_ignored;
pub(crate) mod pass_noop;
pub(crate) mod payload_limit;
pub(crate) mod unused_nested;
