//! The three report formats of `aslc check`, over `aslc_render`'s views.

use aslc_render::{RuleMeta, ToolInfo};

use crate::driver::Report;

/// Diagnostics with source snippets and a summary line.
pub fn human(report: &Report, color: bool) -> String {
    aslc_render::render_human(&report.diagnostics, &report.sources, color)
}

/// The JSON contract, `{"diagnostics": [...]}`, written to `writer` as it is made.
pub fn write_json(report: &Report, writer: &mut dyn std::io::Write) -> std::io::Result<()> {
    match &report.json_pieces {
        Some(pieces) => aslc_render::write_json_pieces(pieces.iter().map(String::as_str), writer),
        None => aslc_render::write_json(&report.diagnostics, &report.sources, writer),
    }
}

/// A SARIF 2.1.0 log whose rules come from the registry.
pub fn sarif(report: &Report) -> String {
    let tool = ToolInfo {
        version: env!("CARGO_PKG_VERSION"),
        information_uri: "https://states-language.net/spec.html",
    };
    let lookup = |code: &str| {
        crate::registry::rule(code).map(|rule| RuleMeta {
            name: rule.name(),
            summary: rule.summary.to_string(),
            level: rule.level.severity(),
            help_uri: None,
            help: Some(rule.markdown()),
        })
    };
    aslc_render::render_sarif(&report.diagnostics, &report.sources, tool, &lookup)
}

/// Writes `text` to standard output. A closed pipe (`aslc rules | head`) is not an error:
/// whoever reads has what they wanted, so the rest is dropped quietly.
pub fn print_stdout(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
