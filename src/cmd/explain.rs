//! `aslc explain CODE`: a rule's documentation.

use clap::Args;

/// Arguments of `aslc explain`.
#[derive(Args)]
pub struct ExplainArgs {
    /// The rule code or name, e.g. `S-NEXT-EXISTS` or `structure-next-exists` (case-insensitive).
    code: String,
}

pub fn run(args: ExplainArgs) -> anyhow::Result<u8> {
    let Some(rule) = crate::registry::rule(&args.code) else {
        eprintln!("error: no rule `{}`; `aslc rules` lists them all", args.code);
        return Ok(crate::exit::USAGE);
    };
    crate::output::print_stdout(&rule.markdown());
    Ok(crate::exit::CLEAN)
}

/// Arguments of `aslc generate-docs`.
#[derive(Args)]
pub struct GenerateDocsArgs {
    /// The folder to write (replaced entirely).
    #[arg(long, default_value = "docs/rules")]
    out: std::path::PathBuf,
}

/// Writes `docs/rules/`: `README.md` (the index) and `<CODE>.md` per rule.
pub fn generate_docs(args: GenerateDocsArgs) -> anyhow::Result<u8> {
    use anyhow::Context;
    if args.out.exists() {
        std::fs::remove_dir_all(&args.out)
            .with_context(|| format!("cannot clear `{}`", args.out.display()))?;
    }
    std::fs::create_dir_all(&args.out).with_context(|| format!("cannot create `{}`", args.out.display()))?;
    std::fs::write(args.out.join("README.md"), crate::registry::markdown_index())?;
    for rule in crate::registry::all_rules() {
        std::fs::write(args.out.join(format!("{}.md", rule.code)), rule.markdown())?;
    }
    Ok(crate::exit::CLEAN)
}
