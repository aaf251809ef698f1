//! Diagnostic views.
