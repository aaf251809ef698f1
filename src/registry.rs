//! Every rule aslc can report, across the crates that declare rules: spec validation
//! (`aslc_ir`), lints (`aslc_lints`) and the workflow language (`aslc_dsl`).

use aslc_ir::rules::Rule;

/// Every rule, sorted by code: the list the language server links diagnostics to.
pub fn all_rules() -> &'static [&'static Rule] {
    aslc_lsp::rules::all_rules()
}

/// The rule with code or name `key` (case-insensitive).
pub fn rule(key: &str) -> Option<&'static Rule> {
    all_rules()
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(key) || r.name().eq_ignore_ascii_case(key))
}

/// The index page of `docs/rules/`: one table row per rule.
pub fn markdown_index() -> String {
    let mut out = String::from(
        "# Rules\n\nEvery rule aslc reports, generated from the rule registry (`aslc rules`).\nRun `aslc explain CODE` for a rule's page.\n\n| code | name | level | summary |\n| --- | --- | --- | --- |\n",
    );
    for rule in all_rules() {
        out.push_str(&format!(
            "| [`{0}`]({0}.md) | `{3}` | {1} | {2} |\n",
            rule.code,
            rule.level.as_str(),
            rule.summary.replace('|', "\\|"),
            rule.name()
        ));
    }
    out
}
