//! How a lint is declared: [`declare_lint!`] turns a doc comment and a code into an
//! `aslc_ir::rules::Rule`, so lints and validation rules share one registry shape and
//! `aslc explain` prints either the same way.

use aslc_ir::rules::Rule;
use aslc_source::Diagnostic;

use crate::LintCtx;

/// A lint: its rule and the function that checks it.
pub(crate) struct Lint {
    /// Code, level, summary and documentation.
    pub(crate) rule: &'static Rule,
    /// Appends the rule's diagnostics for one definition.
    pub(crate) check: fn(&LintCtx<'_>, &mut Vec<Diagnostic>),
    /// Whether the rule runs when no `select` names it.
    pub(crate) default_enabled: bool,
    /// What the rule reads, which says what an edit of one state makes it check again.
    pub(crate) reads: Reads,
}

/// What a lint reads.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Reads {
    /// One state at a time, through [`LintCtx::states`]: its fields, its scope's context
    /// and the states nested in it.
    State,
    /// One state at a time, through [`LintCtx::states`], and what the data-flow analysis
    /// ([`LintCtx::shapes`]) and the graph's reachability say of it.
    DataFlow,
    /// Anything: the graph, several states.
    Graph,
}

/// Declares a lint's rule as a `static RULE`.
///
/// ```text
/// declare_lint! {
///     /// ## What it does … ## Why is this bad? … ## Example … ## Use instead … ## Fix …
///     "S-NO-EXIT", Warn, "structure.md", "a reachable state can reach a terminal state";
/// }
/// ```
/// The doc lines become the rule's markdown page; the spec file is the reference file that
/// defines the code, or for an `L-` lint the file whose subject it checks.
macro_rules! declare_lint {
    ($(#[doc = $doc:literal])* $code:literal, $level:ident, $spec:literal, $summary:literal;) => {
        $(#[doc = $doc])*
        pub(crate) static RULE: aslc_ir::rules::Rule = aslc_ir::rules::Rule {
            code: $code,
            level: aslc_ir::rules::Level::$level,
            summary: $summary,
            doc: concat!($($doc, "\n"),*),
            aws_code: None,
            spec: $spec,
        };
    };
}
pub(crate) use declare_lint;
