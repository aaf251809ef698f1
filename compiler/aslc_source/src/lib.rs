//! Source text, spans and diagnostics: the leaf crate every other aslc crate builds on.
//!
//! A span is a byte [`TextRange`] into one source file; it is turned into a line and
//! column only at the edges (the renderers and the language server) through a
//! [`LineIndex`]. A [`Diagnostic`] is plain data: rules produce them, views render them.
#![warn(missing_docs)]

mod diagnostic;
mod json_string;
mod line_index;
mod range;

pub use diagnostic::{AwsInfo, Diagnostic, Label, Severity};
pub use json_string::{plain_run, write_json_string};
pub use line_index::{LineCol, LineIndex};
pub use range::{FileId, TextRange};
