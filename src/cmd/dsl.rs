//! The workflow-language commands: `aslc compile` (DSL → ASL), `aslc decompile`
//! (ASL → DSL) and `aslc fmt` (canonical layout of DSL and ASL files).

use std::io::Write;
use std::path::{Path, PathBuf};

use aslc_render::SourceFiles;
use aslc_source::{Diagnostic, FileId};
use clap::{Args, ValueEnum};

use crate::driver::{self, Syntax};

/// Arguments of `aslc compile`.
#[derive(Args)]
pub struct CompileArgs {
    /// The `.asld` file to compile (`-` for standard input).
    input: PathBuf,
    /// Where to write the ASL (default: standard output).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// The ASL syntax to write.
    #[arg(long, value_enum, default_value_t = AslFormat::Json)]
    format: AslFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum AslFormat {
    /// ASL JSON (canonical layout, two-space indent).
    Json,
    /// ASL YAML.
    Yaml,
}

/// Arguments of `aslc decompile`.
#[derive(Args)]
pub struct DecompileArgs {
    /// An ASL definition (`.asl.json`, `.asl.yaml`) or a CloudFormation/SAM template.
    input: PathBuf,
    /// Where to write the DSL (default: standard output).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// In a template, the state machine to decompile (its logical id); default: the only one.
    #[arg(long)]
    state_machine: Option<String>,
}

/// Arguments of `aslc fmt`.
#[derive(Args)]
pub struct FmtArgs {
    /// Files to format in place: `.asld`, `.asl.json`, `.json`.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Do not write: list the files that are not formatted and exit 1 if any.
    #[arg(long)]
    check: bool,
}

fn read(path: &Path) -> anyhow::Result<(String, Vec<u8>)> {
    use anyhow::Context;
    if path.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
            .context("cannot read standard input")?;
        Ok(("<stdin>".to_string(), bytes))
    } else {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
        Ok((path.display().to_string(), bytes))
    }
}

fn write_out(output: Option<&Path>, text: &str) -> anyhow::Result<()> {
    use anyhow::Context;
    match output {
        Some(path) => {
            std::fs::write(path, text).with_context(|| format!("cannot write `{}`", path.display()))
        }
        None => {
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
            Ok(())
        }
    }
}

/// Prints diagnostics for people on standard error; returns whether one is an error.
fn report(files: &SourceFiles, diagnostics: &[Diagnostic]) -> bool {
    if !diagnostics.is_empty() {
        let color =
            std::io::IsTerminal::is_terminal(&std::io::stderr()) && std::env::var_os("NO_COLOR").is_none();
        eprint!("{}", aslc_render::render_human(diagnostics, files, color));
    }
    diagnostics.iter().any(Diagnostic::is_error)
}

pub fn compile(args: CompileArgs) -> anyhow::Result<u8> {
    let (name, bytes) = read(&args.input)?;
    let mut files = SourceFiles::new();
    let file = files.add(name, String::from_utf8_lossy(&bytes).into_owned());
    let (node, mut diagnostics) = driver::parse(&bytes, Syntax::Dsl, file);
    if let Some(node) = &node {
        diagnostics.extend(aslc_ir::check(node, file, &aslc_ir::CheckOptions::default()).diagnostics);
    }
    if report(&files, &diagnostics) {
        return Ok(crate::exit::FAILED);
    }
    let Some(node) = node else { return Ok(crate::exit::FAILED) };
    let text = match args.format {
        AslFormat::Json => aslc_dsl::print_asl(&node),
        AslFormat::Yaml => aslc_syntax::yaml::print(&node),
    };
    write_out(args.output.as_deref(), &text)?;
    Ok(crate::exit::CLEAN)
}

pub fn decompile(args: DecompileArgs) -> anyhow::Result<u8> {
    let (name, bytes) = read(&args.input)?;
    let mut files = SourceFiles::new();
    let file = files.add(name, String::from_utf8_lossy(&bytes).into_owned());
    let syntax = driver::syntax_of(&args.input).unwrap_or_else(|| driver::sniff(&bytes));
    let (node, diagnostics) = driver::parse(&bytes, syntax, file);
    if report(&files, &diagnostics) {
        return Ok(crate::exit::FAILED);
    }
    let Some(mut node) = node else { return Ok(crate::exit::FAILED) };
    if aslc_syntax::cfn::is_template(&node) {
        match pick_machine(&node, &files, file, &args)? {
            Some(definition) => node = definition,
            None => return Ok(crate::exit::USAGE),
        }
    }
    match aslc_dsl::decompile(&node) {
        Some(text) => {
            write_out(args.output.as_deref(), &text)?;
            Ok(crate::exit::CLEAN)
        }
        None => {
            eprintln!("error: the definition is not a JSON object");
            Ok(crate::exit::FAILED)
        }
    }
}

/// The definition of the state machine `--state-machine` names (or the only one).
fn pick_machine(
    root: &aslc_syntax::Node,
    files: &SourceFiles,
    file: FileId,
    args: &DecompileArgs,
) -> anyhow::Result<Option<aslc_syntax::Node>> {
    let text = files.get(file).map(|f| f.text().to_string()).unwrap_or_default();
    let template = aslc_syntax::cfn::extract(root, &text, file);
    let names: Vec<String> = template.state_machines.iter().map(|m| m.logical_id.clone()).collect();
    let chosen = match &args.state_machine {
        Some(name) => template.state_machines.into_iter().find(|m| &m.logical_id == name),
        None if names.len() == 1 => template.state_machines.into_iter().next(),
        None => None,
    };
    let Some(machine) = chosen else {
        eprintln!(
            "error: name the state machine with `--state-machine`; the template has: {}",
            names.join(", ")
        );
        return Ok(None);
    };
    match machine.definition {
        aslc_syntax::cfn::DefinitionSource::Inline(node) => Ok(Some(node)),
        aslc_syntax::cfn::DefinitionSource::Uri(uri, _) => {
            let path = args.input.parent().unwrap_or(Path::new(".")).join(uri);
            let (_, bytes) = read(&path)?;
            let syntax = driver::syntax_of(&path).unwrap_or_else(|| driver::sniff(&bytes));
            let (node, _) = driver::parse(&bytes, syntax, file);
            Ok(node.map(|n| aslc_syntax::cfn::substitute(&n, &machine.substitutions)))
        }
        aslc_syntax::cfn::DefinitionSource::NotLocal(reason) => {
            eprintln!("error: the definition of `{}` is not available locally: {reason}", machine.logical_id);
            Ok(None)
        }
    }
}

pub fn fmt(args: FmtArgs) -> anyhow::Result<u8> {
    let mut unformatted = 0;
    let mut failed = false;
    for path in &args.paths {
        let (name, bytes) = read(path)?;
        let mut files = SourceFiles::new();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let file = files.add(name, text.clone());
        let syntax = driver::syntax_of(path).unwrap_or_else(|| driver::sniff(&bytes));
        let formatted = match syntax {
            Syntax::Dsl => {
                let formatted = aslc_dsl::fmt(&text, file);
                if report(&files, &formatted.diagnostics) {
                    failed = true;
                    continue;
                }
                formatted.text
            }
            Syntax::Json => {
                let (node, diagnostics) = driver::parse(&bytes, syntax, file);
                if report(&files, &diagnostics) {
                    failed = true;
                    continue;
                }
                node.and_then(|n| aslc_dsl::format_asl(&n))
            }
            Syntax::Yaml => {
                eprintln!("error: `{}`: `aslc fmt` formats `.asld` and ASL JSON files", path.display());
                failed = true;
                continue;
            }
        };
        let Some(formatted) = formatted else {
            failed = true;
            continue;
        };
        if formatted != text {
            unformatted += 1;
            if args.check {
                crate::output::print_stdout(&format!("{}\n", path.display()));
            } else {
                std::fs::write(path, formatted)?;
            }
        }
    }
    Ok(if failed || args.check && unformatted > 0 { crate::exit::FAILED } else { crate::exit::CLEAN })
}
