//! `aslc rules`: the rule table.

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
    if args.json {
        let list: Vec<serde_json::Value> = rules
            .iter()
            .map(|r| {
                serde_json::json!({
                    "code": r.code,
                    "level": r.level.as_str(),
                    "summary": r.summary,
                    "aws_code": r.aws_code,
                    "spec": r.spec,
                    "doc": r.markdown(),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&list)?);
    } else {
        let width = rules.iter().map(|r| r.code.len()).max().unwrap_or(0);
        for r in rules {
            println!("{:width$}  {:7}  {}", r.code, r.level.as_str(), r.summary);
        }
    }
    Ok(crate::exit::CLEAN)
}
