//! `aslc check`: validate definitions and templates, print diagnostics, set the exit code.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use aslc_ir::WorkflowType;
use clap::{Args, ValueEnum};

use crate::driver;
use crate::output;

/// Arguments of `aslc check`.
#[derive(Args)]
pub struct CheckArgs {
    /// Files or directories to check (`-` reads standard input). Directories are walked for
    /// `*.asl.json`/`*.asl.yaml` files and for JSON/YAML files holding a state machine or a
    /// CloudFormation/SAM template.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Check as this workflow type (default: the template's type, else standard).
    #[arg(long, value_enum)]
    workflow_type: Option<WorkflowTypeArg>,
    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// The file name to report for standard input; its extension picks the syntax.
    #[arg(long)]
    stdin_filename: Option<String>,
    /// Rules to run: codes or code prefixes (`R-RETRY`, `ALL`), comma-separated. Replaces
    /// the default set; opt-in lints run only when selected.
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Rules not to report: codes or code prefixes, comma-separated.
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Fail (exit 1) on warnings too: `--deny warnings`.
    #[arg(long, value_enum)]
    deny: Option<Deny>,
    /// Configuration file (default: the nearest `aslc.toml` in the current folder or above).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Ignore every `aslc.toml`.
    #[arg(long, conflicts_with = "config")]
    no_config: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Deny {
    /// Warnings make the check fail.
    Warnings,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Diagnostics with source snippets, for people.
    Human,
    /// One JSON object with every diagnostic (a stable contract).
    Json,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
}

#[derive(Clone, Copy, ValueEnum)]
enum WorkflowTypeArg {
    Standard,
    Express,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

pub fn run(args: CheckArgs) -> anyhow::Result<u8> {
    let inputs = match driver::collect(&args.paths) {
        Ok(inputs) => inputs,
        Err(err) => {
            eprintln!("error: {err}");
            return Ok(crate::exit::USAGE);
        }
    };
    let mut lint = match load_config(&args) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(crate::exit::USAGE);
        }
    };
    if !args.select.is_empty() {
        lint.select = args.select.clone();
    }
    lint.ignore.extend(args.ignore.iter().cloned());
    // Only selectors need the rule list, which is costly to gather for a short run.
    if lint.names_rules() {
        if let Err(err) = lint.validate(crate::registry::all_rules()) {
            eprintln!("error: {}", err.message);
            return Ok(crate::exit::USAGE);
        }
    }
    let options = driver::Options {
        workflow_type: args.workflow_type.map(|t| match t {
            WorkflowTypeArg::Standard => WorkflowType::Standard,
            WorkflowTypeArg::Express => WorkflowType::Express,
        }),
        lint,
        render_json: matches!(args.format, Format::Json),
    };
    let report = match driver::run(&inputs, args.stdin_filename.as_deref(), &options) {
        Ok(report) => report,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(crate::exit::USAGE);
        }
    };
    let deny_warnings = matches!(args.deny, Some(Deny::Warnings));
    let failed = report
        .diagnostics
        .iter()
        .any(|d| d.is_error() || deny_warnings && d.severity == aslc_source::Severity::Warning);
    let stdout = std::io::stdout();
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let mut lock = stdout.lock();
    // A closed pipe (`aslc check … | head`) is not an error worth reporting.
    let _ = match args.format {
        Format::Human => lock.write_all(output::human(&report, color).as_bytes()),
        Format::Json => output::write_json(&report, &mut lock),
        Format::Sarif => lock.write_all(output::sarif(&report).as_bytes()),
    };
    let _ = lock.flush();
    // The process ends here: the sources and diagnostics are left for the operating system
    // to reclaim rather than freed one allocation at a time.
    std::mem::forget(report);
    Ok(if failed { crate::exit::FAILED } else { crate::exit::CLEAN })
}

/// The lint configuration: `--config`, else the nearest `aslc.toml` from the current folder
/// up, else the defaults.
fn load_config(args: &CheckArgs) -> Result<aslc_lints::LintConfig, String> {
    let path = if args.no_config {
        None
    } else if let Some(path) = &args.config {
        Some(path.clone())
    } else {
        let mut dir = std::env::current_dir().ok();
        let mut found = None;
        while let Some(d) = dir {
            let candidate = d.join("aslc.toml");
            if candidate.is_file() {
                found = Some(candidate);
                break;
            }
            dir = d.parent().map(Into::into);
        }
        found
    };
    let Some(path) = path else { return Ok(aslc_lints::LintConfig::default()) };
    let text =
        std::fs::read_to_string(&path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    aslc_lints::LintConfig::from_toml(&text).map_err(|e| format!("{}: {}", path.display(), e.message))
}
