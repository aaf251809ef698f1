//! Helpers of the unit tests: a definition from JSON text.

use aslc_ir::Definition;
use aslc_source::FileId;

/// Lowers `text`, which must be a JSON object.
pub(crate) fn definition(text: &str) -> Definition {
    let node = aslc_syntax::json::parse(text, FileId(0)).node.expect("test JSON parses");
    aslc_ir::check(&node, FileId(0), &aslc_ir::CheckOptions::default())
        .definition
        .expect("test JSON is an object")
}
