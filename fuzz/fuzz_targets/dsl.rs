//! Arbitrary text into the `.asld` front end: lexer, parser, lowering, and then the spec
//! checks on whatever it produced. Nothing may panic; every diagnostic must point into the
//! text.
#![no_main]

use aslc_fuzz::check_diagnostics;
use aslc_source::FileId;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let compiled = aslc_dsl::compile(text, FileId(0));
    check_diagnostics(text, &compiled.diagnostics);
    let checked = aslc_dsl::check(text, FileId(0), &aslc_ir::CheckOptions::default());
    let own: Vec<_> = checked.into_iter().filter(|d| d.primary.file == FileId(0)).collect();
    check_diagnostics(text, &own);
    if !compiled.has_errors() {
        if let Some(node) = &compiled.node {
            // What compiles decompiles, and the decompiled text compiles again.
            let again = aslc_dsl::decompile(node).expect("a compiled definition is an object");
            let recompiled = aslc_dsl::compile(&again, FileId(1));
            assert!(!recompiled.has_errors(), "decompiled text does not compile:\n{again}");
        }
    }
});
