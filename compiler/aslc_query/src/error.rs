//! The one error type of the query parsers and checks.

use aslc_source::TextRange;

/// A problem found in the text of one query (a path, an intrinsic call, a JSONata
/// expression, a timestamp).
///
/// `range` is relative to the start of the text that was parsed; the caller shifts it into the
/// file. `rule` is the spec's rule id (see [`crate::rules`]), which is also the diagnostic
/// code; [`crate::rules::level`] gives its default level.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct QueryError {
    /// The narrowest span of the problem, relative to the parsed text.
    pub range: TextRange,
    /// The spec rule id, e.g. `P-SYNTAX`.
    pub rule: &'static str,
    /// What is wrong: lower-case, no trailing period, code in backticks.
    pub message: String,
    /// How to fix it, when there is something specific to say.
    pub help: Option<String>,
}

impl QueryError {
    /// An error without help.
    pub fn new(rule: &'static str, range: TextRange, message: impl Into<String>) -> QueryError {
        QueryError { range, rule, message: message.into(), help: None }
    }

    /// The same error with a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> QueryError {
        self.help = Some(help.into());
        self
    }

    /// The same error moved right by `delta` bytes (for a text embedded in a larger one).
    pub fn shifted(mut self, delta: u32) -> QueryError {
        self.range = self.range.shift(delta);
        self
    }
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} at {:?}", self.rule, self.message, self.range)
    }
}

impl std::error::Error for QueryError {}
