//! The typed ASL IR, lowering from spanned trees, and validation against the ASL spec.
//!
//! ```text
//! Node tree ──lower──▶ Definition (IR) + diagnostics ──validate──▶ more diagnostics
//! ```
//! [`check`] runs both. Only this crate spells ASL field names; everything downstream
//! reads the typed [`ir`].
#![warn(missing_docs)]

pub mod ir;
mod lower;
mod pointer;
pub mod rules;
mod syntax_rules;
mod validate;

use aslc_source::{Diagnostic, FileId};
use aslc_syntax::Node;

pub use ir::{Definition, WorkflowType};
pub use lower::state::{is_state_field, state_fields, STATE_TYPES};
pub use lower::{lower, relower_state, MAX_SCOPE_DEPTH};
pub use validate::limits::MAX_DEFINITION_CHARS;
pub use validate::{StateContext, Validation};

/// What to check a definition against.
#[derive(Clone, Copy, Debug, Default)]
pub struct CheckOptions {
    /// Standard or Express: Express-only rules apply only to Express.
    pub workflow_type: WorkflowType,
    /// The length of the definition's JSON text in characters, as the Step Functions API
    /// measures its `definition` parameter (for an embedded definition, the text it would
    /// be sent as). `None` skips the size limit (`R-LIM-DEF-SIZE`).
    pub source_chars: Option<usize>,
}

/// A checked definition: the IR (when the tree was an object) and every diagnostic.
#[derive(Debug)]
pub struct Checked {
    /// The lowered definition.
    pub definition: Option<Definition>,
    /// Lowering and validation diagnostics, in the order found.
    pub diagnostics: Vec<Diagnostic>,
}

/// Lowers and validates one definition tree.
pub fn check(root: &Node, file: FileId, options: &CheckOptions) -> Checked {
    let (definition, mut diagnostics) = lower(root, file);
    if let Some(def) = &definition {
        validate::validate(def, options, &mut diagnostics);
    }
    rules::fill_aws_codes(&mut diagnostics);
    Checked { definition, diagnostics }
}
