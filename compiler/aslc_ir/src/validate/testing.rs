//! Test support for the validation rules: check a JSON definition and compare the codes
//! it reports, so each rule's tests are one line per case.

use aslc_source::{Diagnostic, FileId};

use crate::{CheckOptions, WorkflowType};

/// Every diagnostic for `json` under `options`.
pub(crate) fn diagnostics(json: &str, options: &CheckOptions) -> Vec<Diagnostic> {
    let parsed = aslc_syntax::json::parse(json, FileId(0));
    assert!(parsed.diagnostics.is_empty(), "test input does not parse: {:?}", parsed.diagnostics);
    let node = parsed.node.expect("parsed");
    crate::check(&node, FileId(0), options).diagnostics
}

/// Asserts that `json` (a Standard workflow) reports exactly `expected`, in any order.
#[track_caller]
pub(crate) fn check(json: &str, expected: &[&str]) {
    check_with(json, &CheckOptions::default(), expected);
}

/// Asserts that `json` as an Express workflow reports exactly `expected`.
#[track_caller]
pub(crate) fn check_express(json: &str, expected: &[&str]) {
    let options = CheckOptions { workflow_type: WorkflowType::Express, ..CheckOptions::default() };
    check_with(json, &options, expected);
}

/// Asserts that `json` under `options` reports exactly `expected`, in any order.
#[track_caller]
pub(crate) fn check_with(json: &str, options: &CheckOptions, expected: &[&str]) {
    let found = diagnostics(json, options);
    let mut codes: Vec<&str> = found.iter().map(|d| d.code).collect();
    codes.sort_unstable();
    let mut want = expected.to_vec();
    want.sort_unstable();
    assert_eq!(codes, want, "for {json}\n{found:#?}");
}

/// The one diagnostic with `code` for `json` (Standard).
#[track_caller]
pub(crate) fn only(json: &str, code: &str) -> Diagnostic {
    let found: Vec<Diagnostic> =
        diagnostics(json, &CheckOptions::default()).into_iter().filter(|d| d.code == code).collect();
    assert_eq!(found.len(), 1, "expected one {code} for {json}: {found:#?}");
    found.into_iter().next().expect("one")
}

/// A machine whose only state is `state` (a JSON object text), named `S`.
pub(crate) fn machine(state: &str) -> String {
    format!(r#"{{"StartAt": "S", "States": {{"S": {state}}}}}"#)
}
