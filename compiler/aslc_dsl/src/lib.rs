//! The `.asld` workflow language: a textual syntax for Amazon States Language workflows
//! that compiles to ASL and that any ASL definition decompiles back into (`dsl.md`).
//!
//! ```text
//! .asld text ──lexer──▶ tokens ──parser──▶ ast::File ──lower──▶ Node (ASL, DSL spans)
//! ASL Node ──raise──▶ ast::File ──printer──▶ canonical .asld text
//! ```
//! Lowering targets the spanned [`Node`] tree the JSON reader produces, so
//! `aslc_ir::check` runs every spec rule on a DSL file and reports at DSL spans, and
//! [`print_asl`] writes the ASL of both syntaxes. Nothing downstream knows which syntax a
//! workflow came from.
//!
//! ```
//! use aslc_source::FileId;
//! let compiled = aslc_dsl::compile("pass Hello {\n  result { greeting: \"hi\" }\n}\n", FileId(0));
//! assert!(compiled.diagnostics.is_empty());
//! let json = aslc_dsl::print_asl(compiled.node.as_ref().unwrap());
//! assert!(json.contains("\"Result\": {\"greeting\": \"hi\"}"));
//! ```
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod asl_print;
pub mod ast;
pub mod lexer;
mod lower;
pub mod parser;
mod print;
mod raise;
pub mod rules;
mod validate;

use aslc_source::{Diagnostic, FileId};
use aslc_syntax::Node;

pub use asl_print::print_asl;
pub use parser::{parse, Parsed, MAX_NESTING};
pub use print::print;
pub use raise::{same, RaiseStats};
pub use rules::all_rules;

/// A compiled `.asld` file: the ASL definition tree and every DSL diagnostic.
#[derive(Debug)]
pub struct Compiled {
    /// The definition, spanned into the `.asld` text. Present even when there are errors
    /// (the parts that could not be read are left out), so the spec checks still run.
    pub node: Option<Node>,
    /// Lexer, parser and lowering diagnostics (`D-…`), sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Compiled {
    /// Whether an error was reported: the ASL should not be written then.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Compiles `.asld` text to the ASL definition tree.
pub fn compile(text: &str, file: FileId) -> Compiled {
    let parsed = parse(text, file);
    let mut diagnostics = parsed.diagnostics;
    let len = u32::try_from(text.len()).unwrap_or(u32::MAX);
    let (node, lowering) = lower::lower(&parsed.file, file, len);
    diagnostics.extend(lowering);
    diagnostics.sort_by_key(|d| d.sort_key());
    Compiled { node: Some(node), diagnostics }
}

/// Compiles `.asld` text and runs every spec rule of `aslc_ir` on the result, reporting
/// at DSL spans: what `aslc check FILE.asld` shows.
pub fn check(text: &str, file: FileId, options: &aslc_ir::CheckOptions) -> Vec<Diagnostic> {
    let compiled = compile(text, file);
    let mut diagnostics = compiled.diagnostics;
    if let Some(node) = &compiled.node {
        diagnostics.extend(aslc_ir::check(node, file, options).diagnostics);
    }
    diagnostics.sort_by_key(|d| d.sort_key());
    diagnostics
}

/// Decompiles an ASL definition to canonical `.asld` text (dsl.md §9), or `None` when the
/// root is not an object. Unknown and invalid members are kept through `raw`.
pub fn decompile(root: &Node) -> Option<String> {
    decompile_with_stats(root).map(|(text, _)| text)
}

/// [`decompile`], also telling how often the verification fallback fired.
pub fn decompile_with_stats(root: &Node) -> Option<(String, RaiseStats)> {
    let (file, stats) = raise::raise(root)?;
    // The DSL of a definition is about half as long as its formatted JSON: sizing the text
    // for that spares most of its regrowth.
    let capacity = root.range.len() as usize / 2 + 256;
    Some((print::print_into(&file, String::with_capacity(capacity)), stats))
}

/// The result of formatting a `.asld` file.
#[derive(Debug)]
pub struct Formatted {
    /// The canonical text, `None` when the file has syntax errors (it is left alone then).
    pub text: Option<String>,
    /// The parser's diagnostics.
    pub diagnostics: Vec<Diagnostic>,
}

/// Formats `.asld` text in the canonical layout (dsl.md §10), keeping `//` and `/* */`
/// comments and single blank lines; states are never reordered and policies stay as
/// written. A file with errors is not formatted.
pub fn fmt(text: &str, file: FileId) -> Formatted {
    let parsed = parse(text, file);
    if parsed.diagnostics.iter().any(Diagnostic::is_error) {
        return Formatted { text: None, diagnostics: parsed.diagnostics };
    }
    let mut ignored = Vec::new();
    let comments = lexer::lex(text, file, &mut ignored)
        .into_iter()
        .filter(|t| matches!(t.kind, lexer::Kind::LineComment | lexer::Kind::BlockComment))
        .map(|t| t.range)
        .collect();
    let out = print::print_with_comments(&parsed.file, text, comments);
    Formatted { text: Some(out), diagnostics: parsed.diagnostics }
}

/// Writes an ASL definition read from JSON or YAML in the canonical ASL layout: members in
/// the stable order of each state type, 2-space indent, numbers as written. It goes through
/// the DSL (decompile, then compile), which keeps every member and value; `None` when the
/// root is not an object.
pub fn format_asl(root: &Node) -> Option<String> {
    let text = decompile(root)?;
    let compiled = compile(&text, FileId(0));
    compiled.node.map(|node| print_asl(&node))
}
