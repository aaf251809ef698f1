//! Helpers shared by the VM's integration tests.

use aslc_bytecode::Program;
use serde_json::Value;

/// `definition` checked (no errors allowed) and compiled, its JSON text the source.
pub fn program(definition: &Value) -> Program {
    let text = definition.to_string();
    let node = aslc_syntax::json::parse(&text, aslc_source::FileId(0)).node.expect("valid JSON");
    let checked = aslc_ir::check(&node, aslc_source::FileId(0), &aslc_ir::CheckOptions::default());
    assert!(checked.diagnostics.iter().all(|d| !d.is_error()), "{:?}", checked.diagnostics);
    aslc_bytecode::compile(&checked.definition.expect("a definition"), Some(&text)).expect("compiles")
}
