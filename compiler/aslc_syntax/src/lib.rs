//! Syntax: source text to spanned trees, with no knowledge of ASL semantics.
//!
//! JSON and YAML both lower to one [`Node`] tree in which every key and value keeps its
//! byte range and numbers keep their exact text. Parsing never fails: it returns the tree
//! it could build (if any) and the diagnostics it found, so a checker can report every
//! problem of a file in one run.
#![warn(missing_docs)]

pub mod cfn;
pub mod json;
mod node;
mod offset_map;
pub mod yaml;

pub use aslc_source::write_json_string;
pub use node::{Member, Node, NodeValue, Str, Text};
pub use offset_map::OffsetMap;

/// Rule id of malformed JSON/YAML text.
pub const S_JSON_SYNTAX: &str = "S-JSON-SYNTAX";
/// Rule id of an object with the same key twice.
pub const S_JSON_DUPKEY: &str = "S-JSON-DUPKEY";
/// Rule id of a trailing comma accepted the way AWS's deploy tooling accepts it.
pub const S_JSON_TRAILING_COMMA: &str = "S-JSON-TRAILING-COMMA";
/// Rule id of a document nested deeper than aslc reads.
pub const S_JSON_DEPTH: &str = "S-JSON-DEPTH";

/// How deep arrays and objects may nest before the reader stops with a diagnostic.
///
/// Real definitions nest a few dozen levels at most; the bound keeps recursion (in the
/// reader and in every later tree walk) far from the stack limit.
pub const MAX_DEPTH: usize = 400;
