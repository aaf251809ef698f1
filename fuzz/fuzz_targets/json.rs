//! Arbitrary bytes into the JSON reader.
#![no_main]

use aslc_fuzz::{check_diagnostics, check_round_trip, check_tree};
use aslc_source::FileId;
use aslc_syntax::json;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let parsed = json::parse_bytes(bytes, FileId(0));
    let Ok(text) = std::str::from_utf8(bytes) else {
        // Not UTF-8: one diagnostic at the first bad byte.
        assert!(parsed.node.is_none());
        assert!(parsed.diagnostics.iter().all(|d| d.primary.range.end() as usize <= bytes.len()));
        return;
    };
    check_diagnostics(text, &parsed.diagnostics);
    if let Some(node) = &parsed.node {
        check_tree(text, node);
        check_round_trip(node);
    }
});
