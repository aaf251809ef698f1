//! JSONata as Step Functions runs it: version 2.0.6.
//!
//! [`parse_jsonata`] reads an expression into an [`Expr`] tree shaped for evaluation (see
//! [`ast`]); errors carry JSONata's own codes (`S0202`) and messages, which AWS repeats, and
//! convert into `J-PARSE` [`QueryError`](crate::QueryError)s. The parser reproduces the
//! reference implementation's grammar, including what it refuses: the `??` and `?:` operators
//! of JSONata 2.1 are syntax errors here, as they are on AWS.
//!
//! [`jsonata_template`] recognises `{% … %}` strings; [`check_jsonata`] applies the checks AWS
//! makes when a definition is created; [`variable_references`] lists the workflow variables
//! an expression reads.

pub mod ast;
mod builtins;
mod check;
mod error;
mod lexer;
mod parser;
mod process;
mod signature;
mod template;
#[cfg(test)]
mod tests;

use aslc_source::TextRange;

pub use ast::Expr;
pub use builtins::{builtin, Builtin, Origin, BUILTINS};
pub use check::{check_jsonata, variable_references, JsonataContext};
pub use error::{ErrorCode, JsonataError};
pub use signature::{parse_signature, ParamType, Signature, SignatureParam};
pub use template::{jsonata_template, template_lookalike, Template};

/// How deep an expression may nest (operands of operators, arguments, blocks, paths). Deeper
/// expressions are refused with [`ErrorCode::TooDeep`], which keeps the parser, the
/// post-parse pass, and every later walk of the tree far from the stack limit.
pub const MAX_DEPTH: usize = 100;

/// Parses a JSONata expression (the text between `{%` and `%}`, or any JSONata text).
pub fn parse_jsonata(text: &str) -> Result<Expr, JsonataError> {
    parse_range(text, TextRange::from_usize(0, text.len()))
}

/// Parses the expression at `range` of `text`; ranges in the result are offsets into `text`.
pub(crate) fn parse_range(text: &str, range: TextRange) -> Result<Expr, JsonataError> {
    let raw = parser::parse_raw(text, range)?;
    process::process(raw)
}
