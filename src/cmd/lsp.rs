//! `aslc lsp`: the language server over standard input and output.

use clap::Args;

/// Arguments of `aslc lsp`.
#[derive(Args)]
pub struct LspArgs {
    /// Accepted for clients that pass it; stdio is the only transport.
    #[arg(long)]
    stdio: bool,
}

pub fn run(args: LspArgs) -> anyhow::Result<u8> {
    let _ = args.stdio;
    aslc_lsp::run_stdio()?;
    Ok(crate::exit::CLEAN)
}
