//! The typed IR.
