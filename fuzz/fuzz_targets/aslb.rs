//! Arbitrary bytes into the `.aslb` loader, then whatever loads onto the VM with a step
//! budget.
//!
//! Odd first bytes seal the rest as a body under a valid header, so the decoder and the
//! verifier are reached past the checksum; even first bytes are used as a whole file.
#![no_main]

use aslc_bytecode::{codec, Program, FORMAT_VERSION, MAGIC};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let bytes = if mode & 1 == 1 {
        let mut file = MAGIC.to_vec();
        file.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        file.extend_from_slice(&codec::checksum(rest).to_le_bytes());
        file.extend_from_slice(rest);
        file
    } else {
        rest.to_vec()
    };
    let Ok(program) = Program::decode(&bytes) else { return };
    let _ = program.disasm();
    let again = Program::decode(&program.encode()).expect("a loaded program encodes to a loadable file");
    assert_eq!(again.tables, program.tables);
    let options = aslc_vm::RunOptions { max_transitions: Some(10_000), ..aslc_vm::RunOptions::default() };
    let _ = aslc_vm::run(&program, serde_json::json!({"items": [1, 2, 3], "a": {"b": "c"}}), &options);
});
