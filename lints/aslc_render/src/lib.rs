//! The views of [`Diagnostic`] that `aslc check` prints: text for people
//! ([`render_human`]), a JSON document for scripts and the conformance runner
//! ([`render_json`]) and a SARIF 2.1.0 log for code-scanning services ([`render_sarif`]).
//!
//! Every view is a pure function from diagnostics and a [`SourceMap`] (the files of the
//! run: display name, text, line index) to a string; the caller decides where it goes and
//! whether colour is wanted. This crate knows the diagnostic model only, nothing of ASL.
//!
//! All views list diagnostics in the same order: by file, start offset, end offset, code,
//! then message. Lines and columns are 1-based and columns count characters (Unicode scalar
//! values); an end position is exclusive. Spans that overrun their text or split a
//! character are clamped, never a panic.
//!
//! ```
//! use aslc_render::{render_human, render_json, SourceFiles};
//! use aslc_source::{Diagnostic, TextRange};
//!
//! let mut files = SourceFiles::new();
//! let file = files.add("machine.asl.json", "{\"StartAt\": \"Nope\"}");
//! let message = "`StartAt` names a state that does not exist";
//! let diagnostic = Diagnostic::error("S-START-EXISTS", file, TextRange::new(12, 18), message)
//!     .with_label("no state named `Nope`")
//!     .at("/StartAt");
//! let text = render_human(std::slice::from_ref(&diagnostic), &files, false);
//! assert!(text.starts_with("error[S-START-EXISTS]: `StartAt` names a state that does not exist\n"));
//! assert!(text.ends_with("1 error, 0 warnings in 1 file\n"));
//! let json = render_json(&[diagnostic], &files);
//! assert!(json.contains("\"location\": \"/StartAt\""));
//! ```
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod human;
mod json;
mod sarif;
mod snippet;
mod source_map;

pub use human::{render_diagnostic, render_human, summary};
pub use json::{json_value, render_json, render_json_items, write_json, write_json_pieces};
pub use sarif::{render_sarif, sarif_value, RuleMeta, ToolInfo};
pub use source_map::{Region, SourceFile, SourceFiles, SourceMap, SourceRef};

use aslc_source::Diagnostic;

/// The diagnostics in output order: [`Diagnostic::sort_key`] (file, offset, code), then
/// message, so that equal keys still print in one order.
fn sorted(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    let mut out: Vec<&Diagnostic> = diagnostics.iter().collect();
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()).then_with(|| a.message.cmp(&b.message)));
    out
}

/// The region of `label` in `sources`, 1:1 when its file is unknown.
fn label_region(sources: &dyn SourceMap, label: &aslc_source::Label) -> Region {
    source_map::region(sources.source(label.file), label.range)
}

/// The display name of `file`, `<unknown>` when it is not in `sources`.
fn file_name(sources: &dyn SourceMap, file: aslc_source::FileId) -> &str {
    sources.source(file).map_or("<unknown>", |source| source.name)
}
