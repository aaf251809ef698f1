//! `aslc`: the command-line entry point. Parses arguments with clap and dispatches to
//! one module per subcommand under `cmd/`. Only this package knows clap, terminals and
//! exit codes.

// On Linux with glibc the process starts in `entry::main` rather than through Rust's
// runtime start-up (see there); elsewhere, and in the profile-gathering build of
// `scripts/build-release` (`--cfg aslc_profile`, whose profile is written by the runtime's
// exit), in `main` below.
#![cfg_attr(all(target_os = "linux", target_env = "gnu", not(test), not(aslc_profile)), no_main)]

#[allow(unsafe_code)]
mod alloc;
mod cmd;
mod driver;
#[cfg(all(target_os = "linux", target_env = "gnu", not(test), not(aslc_profile)))]
#[allow(unsafe_code)]
mod entry;
mod output;
mod registry;

use clap::{Parser, Subcommand};

#[global_allocator]
static GLOBAL: alloc::Allocator = alloc::Allocator;

/// Checker, compiler and tooling for the Amazon States Language (AWS Step Functions).
#[derive(Parser)]
#[command(name = "aslc", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check ASL definitions and CloudFormation/SAM templates against the ASL spec.
    Check(cmd::check::CheckArgs),
    /// Compile a `.asld` workflow to ASL.
    Compile(cmd::dsl::CompileArgs),
    /// Turn an ASL definition (or a template's state machine) into `.asld`.
    Decompile(cmd::dsl::DecompileArgs),
    /// Format `.asld` and ASL JSON files in their canonical layout.
    Fmt(cmd::dsl::FmtArgs),
    /// List every rule: code, default level and summary.
    Rules(cmd::rules::RulesArgs),
    /// Evaluate a JSONata expression (`--batch`: the JSONata test suite's line protocol).
    Jsonata(cmd::jsonata::JsonataArgs),
    /// Print the documentation of a rule.
    Explain(cmd::explain::ExplainArgs),
    /// Run the language server on standard input and output.
    Lsp(cmd::lsp::LspArgs),
    /// Run a state machine on the local VM.
    Run(cmd::run::RunArgs),
    /// Compile a definition to a `.aslb` bytecode file.
    Build(cmd::run::BuildArgs),
    /// List a `.aslb` bytecode file (or a definition, compiled first).
    Disasm(cmd::run::DisasmArgs),
    /// Write the rule reference (`docs/rules/`): one page per rule and an index.
    #[command(hide = true)]
    GenerateDocs(cmd::explain::GenerateDocsArgs),
}

/// Exit codes: 0 clean, 1 error-level diagnostics, 2 usage, I/O or internal failure.
pub(crate) mod exit {
    pub const CLEAN: u8 = 0;
    pub const FAILED: u8 = 1;
    pub const USAGE: u8 = 2;
}

#[cfg(not(all(target_os = "linux", target_env = "gnu", not(test), not(aslc_profile))))]
fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(run())
}

/// Runs the command line's subcommand; the process's exit status.
fn run() -> u8 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() { exit::USAGE } else { exit::CLEAN };
        }
    };
    let code = match cli.command {
        Command::Check(args) => cmd::check::run(args),
        Command::Rules(args) => cmd::rules::run(args),
        Command::Compile(args) => cmd::dsl::compile(args),
        Command::Decompile(args) => cmd::dsl::decompile(args),
        Command::Fmt(args) => cmd::dsl::fmt(args),
        Command::Explain(args) => cmd::explain::run(args),
        Command::Jsonata(args) => cmd::jsonata::run(args),
        Command::GenerateDocs(args) => cmd::explain::generate_docs(args),
        Command::Lsp(args) => cmd::lsp::run(args),
        Command::Run(args) => cmd::run::run(args),
        Command::Build(args) => cmd::run::build(args),
        Command::Disasm(args) => cmd::run::disasm(args),
    };
    match code {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            exit::USAGE
        }
    }
}
