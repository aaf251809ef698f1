//! Variables (variables.md): reads before assignment, reads of names never assigned,
//! assignments never read, assignments that shadow an outer variable, and reads of outer
//! variables from Distributed Map children.

pub(crate) mod distributed;
pub(crate) mod never_assigned;
pub(crate) mod outer_write;
pub(crate) mod unused;
pub(crate) mod use_before_assign;
