//! Arbitrary bytes into the YAML reader; where the fast reader of block-style YAML accepts
//! the text, it must give exactly the general reader's tree, with no diagnostics.
#![no_main]

use aslc_fuzz::{check_diagnostics, check_round_trip, check_tree};
use aslc_source::FileId;
use aslc_syntax::yaml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let parsed = yaml::parse_bytes(bytes, FileId(0));
    let Ok(text) = std::str::from_utf8(bytes) else {
        // Not UTF-8: one diagnostic at the first bad byte.
        assert!(parsed.node.is_none());
        assert!(parsed.diagnostics.iter().all(|d| d.primary.range.end() as usize <= bytes.len()));
        return;
    };
    if let Some(fast) = yaml::parse_fast(text) {
        let general = yaml::parse_general(text, FileId(0));
        assert!(general.diagnostics.is_empty(), "{:?}", general.diagnostics);
        assert!(fast.diagnostics.is_empty());
        assert_eq!(fast.node, general.node);
    }
    check_diagnostics(text, &parsed.diagnostics);
    if let Some(node) = &parsed.node {
        check_tree(text, node);
        check_round_trip(node);
    }
});
