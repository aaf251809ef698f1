//! `aslc rules`: the rule table.

use std::fmt::Write as _;

use clap::Args;

/// Arguments of `aslc rules`.
#[derive(Args)]
pub struct RulesArgs {
    /// Print the rules as JSON (with each rule's documentation page).
    #[arg(long)]
    json: bool,
}

pub fn run(args: RulesArgs) -> anyhow::Result<u8> {
    let rules = crate::registry::all_rules();
    let mut out = String::new();
    if args.json {
        let list: Vec<serde_json::Value> = rules
            .iter()
            .map(|r| {
                serde_json::json!({
                    "code": r.code,
                    "name": r.name(),
                    "level": r.level.as_str(),
                    "summary": r.summary,
                    "aws_code": r.aws_code,
                    "spec": r.spec,
                    "doc": r.markdown(),
                })
            })
            .collect();
        out = serde_json::to_string_pretty(&list)?;
        out.push('\n');
    } else {
        let names: Vec<String> = rules.iter().map(|r| r.name()).collect();
        let code_width = rules.iter().map(|r| r.code.len()).max().unwrap_or(0);
        let name_width = names.iter().map(String::len).max().unwrap_or(0);
        for (r, name) in rules.iter().zip(&names) {
            let _ = writeln!(
                out,
                "{:code_width$}  {name:name_width$}  {:7}  {}",
                r.code,
                r.level.as_str(),
                r.summary
            );
        }
    }
    crate::output::print_stdout(&out);
    Ok(crate::exit::CLEAN)
}
