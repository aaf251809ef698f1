//! `aslc run`, `aslc build` and `aslc disasm`: execute a definition on the VM, compile it
//! to a `.aslb` file, and list a `.aslb` file.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use aslc_bytecode::Program;
use aslc_render::SourceFiles;
use aslc_source::{Diagnostic, FileId};
use aslc_vm::{RunOptions, Status, WorkflowType};
use clap::{Args, ValueEnum};
use serde_json::Value;

use crate::driver::{self, Syntax};

/// Arguments of `aslc run`.
#[derive(Args)]
pub struct RunArgs {
    /// The definition: `.asl.json`, `.asl.yaml`, a CloudFormation/SAM template, or `.aslb`.
    definition: PathBuf,
    /// The execution input: a file, `-` for standard input, or JSON text (default `{}`).
    #[arg(long)]
    input: Option<String>,
    /// A mock configuration file in the Step Functions Local format.
    #[arg(long, requires = "test_case")]
    mock_config: Option<PathBuf>,
    /// The test case of the mock configuration: `TestCase` or `StateMachine#TestCase`.
    #[arg(long, requires = "mock_config")]
    test_case: Option<String>,
    /// What a mocked state answers once its mocked response is used up: `fail` the run with
    /// `aslc.MockExhausted`, or `repeat-last` answer.
    #[arg(long, value_enum, default_value_t = MockExhausted::Fail, requires = "mock_config")]
    mock_exhausted: MockExhausted,
    /// A folder standing for S3, for Distributed Map item readers and result writers: the
    /// object `s3://BUCKET/KEY` is the file `DIR/BUCKET/KEY`.
    #[arg(long, value_name = "DIR")]
    s3_dir: Option<PathBuf>,
    /// Run as this workflow type.
    #[arg(long, value_enum, default_value_t = WorkflowTypeArg::Standard)]
    workflow_type: WorkflowTypeArg,
    /// Include the execution history (GetExecutionHistory events) in JSON output, or
    /// every event in text output.
    #[arg(long)]
    history: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Sleep for real in Wait states and retry delays instead of using the virtual clock.
    #[arg(long)]
    real_clock: bool,
    /// Stop the run after this many state transitions (a loop without a Wait never ends on
    /// the virtual clock in an Express workflow).
    #[arg(long, value_name = "N")]
    max_transitions: Option<u64>,
    /// In a template, the state machine to run (its logical id); default: the only one.
    #[arg(long)]
    state_machine: Option<String>,
    /// A local task handler: `RESOURCE=COMMAND` (a trailing `*` in RESOURCE matches a
    /// prefix). The command reads the task input as JSON on stdin and prints the result.
    /// Handlers also come from the `[run.handlers]` table of the nearest `aslc.toml`; flags
    /// take precedence.
    #[arg(long = "handler", value_name = "RESOURCE=COMMAND")]
    handlers: Vec<String>,
}

/// The `[run.handlers]` table of the nearest `aslc.toml` (current folder or above):
/// `"<resource>" = "<command>"`.
fn configured_handlers() -> Result<Vec<aslc_vm::tasks::Handler>, String> {
    let mut dir = std::env::current_dir().ok();
    while let Some(d) = dir {
        let path = d.join("aslc.toml");
        if path.is_file() {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
            let table: toml::Table =
                text.parse().map_err(|e: toml::de::Error| format!("{}: {}", path.display(), e.message()))?;
            let Some(handlers) = table.get("run").and_then(|r| r.get("handlers")) else {
                return Ok(Vec::new());
            };
            let handlers = handlers
                .as_table()
                .ok_or_else(|| format!("{}: `run.handlers` must be a table", path.display()))?;
            let mut out = Vec::new();
            for (resource, command) in handlers {
                let command = command.as_str().ok_or_else(|| {
                    format!("{}: the handler of `{resource}` must be a command string", path.display())
                })?;
                out.push(aslc_vm::tasks::Handler { resource: resource.clone(), command: command.to_owned() });
            }
            return Ok(out);
        }
        dir = d.parent().map(Into::into);
    }
    Ok(Vec::new())
}

/// Arguments of `aslc build`.
#[derive(Args)]
pub struct BuildArgs {
    /// The definition to compile (`.asl.json`, `.asl.yaml`, a template).
    input: PathBuf,
    /// The `.aslb` file to write.
    #[arg(short, long)]
    output: PathBuf,
    /// In a template, the state machine to compile (its logical id).
    #[arg(long)]
    state_machine: Option<String>,
}

/// Arguments of `aslc disasm`.
#[derive(Args)]
pub struct DisasmArgs {
    /// A `.aslb` file, or a definition to compile first.
    input: PathBuf,
    /// In a template, the state machine to list.
    #[arg(long)]
    state_machine: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// The path taken, one line per state, with virtual time.
    Text,
    /// One JSON object: status, output, error, cause, transitions (and events).
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MockExhausted {
    /// Fail the run with `aslc.MockExhausted`.
    Fail,
    /// Give the last answer of the response again.
    RepeatLast,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum WorkflowTypeArg {
    Standard,
    Express,
}

/// A loaded program, or the exit code to stop with.
fn load(
    path: &Path,
    state_machine: Option<&str>,
    workflow: aslc_ir::WorkflowType,
) -> anyhow::Result<Result<(Program, String), u8>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let stem = path
        .file_name()
        .and_then(|n| n.to_str())
        .map(|n| n.split('.').next().unwrap_or(n).to_owned())
        .unwrap_or_else(|| "StateMachine".into());
    if bytes.starts_with(aslc_bytecode::MAGIC) {
        return match Program::decode(&bytes) {
            Ok(p) => Ok(Ok((p, stem))),
            Err(e) => {
                eprintln!("error: `{}`: {e}", path.display());
                Ok(Err(crate::exit::USAGE))
            }
        };
    }
    // The text the definition's ranges point into, for the line and column of each state.
    let (text, raw) = driver::source_text(bytes);
    // The file the diagnostics point into, put in a source map only when there is something
    // to report.
    let file = FileId(0);
    let report = |diagnostics: &[Diagnostic]| {
        let mut files = SourceFiles::new();
        files.add(path.display().to_string(), text.as_str());
        report(&files, diagnostics);
    };
    let syntax =
        driver::syntax_of(path).unwrap_or_else(|| driver::sniff(raw.as_deref().unwrap_or(text.as_bytes())));
    let (node, mut diagnostics) = match &raw {
        // Checked as UTF-8 above: not again.
        None => driver::parse_text(&text, syntax, file),
        Some(bytes) => driver::parse(bytes, syntax, file),
    };
    let Some(mut node) = node else {
        report(&diagnostics);
        return Ok(Err(crate::exit::USAGE));
    };
    let mut name = stem;
    // The text of the definition when it is not the file itself (a template's `DefinitionUri`).
    let mut definition_text = None;
    if syntax != Syntax::Dsl && aslc_syntax::cfn::is_template(&node) {
        let template = aslc_syntax::cfn::extract(&node, &text, file);
        let ids: Vec<String> = template.state_machines.iter().map(|m| m.logical_id.clone()).collect();
        let chosen = match state_machine {
            Some(n) => template.state_machines.into_iter().find(|m| m.logical_id == n),
            None if ids.len() == 1 => template.state_machines.into_iter().next(),
            None => None,
        };
        let Some(machine) = chosen else {
            eprintln!(
                "error: name the state machine with `--state-machine`; the template has: {}",
                ids.join(", ")
            );
            return Ok(Err(crate::exit::USAGE));
        };
        name = machine.logical_id.clone();
        node = match machine.definition {
            aslc_syntax::cfn::DefinitionSource::Inline(n) => n,
            aslc_syntax::cfn::DefinitionSource::Uri(uri, _) => {
                let p = path.parent().unwrap_or(Path::new(".")).join(uri);
                let b = std::fs::read(&p).with_context(|| format!("cannot read `{}`", p.display()))?;
                let s = driver::syntax_of(&p).unwrap_or_else(|| driver::sniff(&b));
                let (n, d) = driver::parse(&b, s, file);
                diagnostics.extend(d);
                definition_text = Some(String::from_utf8_lossy(&b).into_owned());
                match n {
                    Some(n) => aslc_syntax::cfn::substitute(&n, &machine.substitutions),
                    None => {
                        report(&diagnostics);
                        return Ok(Err(crate::exit::USAGE));
                    }
                }
            }
            aslc_syntax::cfn::DefinitionSource::NotLocal(reason) => {
                eprintln!("error: the definition of `{name}` is not available locally: {reason}");
                return Ok(Err(crate::exit::USAGE));
            }
        };
    }
    let options = aslc_ir::CheckOptions { workflow_type: workflow, source_chars: None };
    let checked = aslc_ir::check(&node, file, &options);
    // The process ends soon after the run: the trees are left to it rather than freed one
    // node at a time, which costs more than reading them did on a large definition.
    std::mem::forget(node);
    diagnostics.extend(checked.diagnostics);
    diagnostics.retain(Diagnostic::is_error);
    if !diagnostics.is_empty() {
        report(&diagnostics);
        return Ok(Err(crate::exit::USAGE));
    }
    let Some(def) = checked.definition else { return Ok(Err(crate::exit::USAGE)) };
    let compiled = aslc_bytecode::compile(&def, Some(definition_text.as_deref().unwrap_or(&text)));
    std::mem::forget(def);
    match compiled {
        Ok(p) => Ok(Ok((p, name))),
        Err(e) => {
            eprintln!("error: `{}` cannot be compiled: {e}", path.display());
            Ok(Err(crate::exit::USAGE))
        }
    }
}

fn report(files: &SourceFiles, diagnostics: &[Diagnostic]) {
    let color =
        std::io::IsTerminal::is_terminal(&std::io::stderr()) && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", aslc_render::render_human(diagnostics, files, color));
}

/// The execution input's JSON text: from a file, standard input or the argument itself.
fn read_input(input: Option<&str>) -> anyhow::Result<String> {
    Ok(match input {
        None => "{}".to_owned(),
        Some("-") => {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
                .context("cannot read standard input")?;
            s
        }
        Some(arg) => {
            let path = Path::new(arg);
            if path.is_file() {
                std::fs::read_to_string(path).with_context(|| format!("cannot read `{arg}`"))?
            } else {
                arg.to_owned()
            }
        }
    })
}

pub fn run(args: RunArgs) -> anyhow::Result<u8> {
    let workflow = match args.workflow_type {
        WorkflowTypeArg::Standard => aslc_ir::WorkflowType::Standard,
        WorkflowTypeArg::Express => aslc_ir::WorkflowType::Express,
    };
    let (program, name) = match load(&args.definition, args.state_machine.as_deref(), workflow)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let input_text = read_input(args.input.as_deref())?;
    let mut options = RunOptions {
        workflow_type: if workflow == aslc_ir::WorkflowType::Express {
            WorkflowType::Express
        } else {
            WorkflowType::Standard
        },
        history: args.history,
        trace: matches!(args.format, Format::Text),
        real_clock: args.real_clock,
        max_transitions: args.max_transitions,
        state_machine_name: name.clone(),
        ..RunOptions::default()
    };
    let input = match aslc_vm::Input::from_text(input_text, &program, &options) {
        Ok(input) => input,
        Err(e) => {
            eprintln!("error: the input is not JSON: {e}");
            return Ok(crate::exit::USAGE);
        }
    };
    if let (Some(path), Some(case)) = (&args.mock_config, &args.test_case) {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("cannot read `{}`", path.display()))?;
        let config: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("error: `{}` is not JSON: {e}", path.display());
                return Ok(crate::exit::USAGE);
            }
        };
        match aslc_vm::mocks::MockCase::from_config(&config, case, Some(&name)) {
            Ok(m) => {
                let exhaustion = match args.mock_exhausted {
                    MockExhausted::Fail => aslc_vm::mocks::Exhaustion::Fail,
                    MockExhausted::RepeatLast => aslc_vm::mocks::Exhaustion::RepeatLast,
                };
                options.mocks = Some(m.with_exhaustion(exhaustion));
            }
            Err(e) => {
                eprintln!("error: `{}`: {e}", path.display());
                return Ok(crate::exit::USAGE);
            }
        }
    }
    if let Some(dir) = &args.s3_dir {
        if !dir.is_dir() {
            eprintln!("error: `--s3-dir`: `{}` is not a folder", dir.display());
            return Ok(crate::exit::USAGE);
        }
        options.s3 = Some(aslc_vm::s3::LocalS3::new(dir));
    }
    for h in &args.handlers {
        let Some((resource, command)) = h.split_once('=') else {
            eprintln!("error: `--handler` takes `RESOURCE=COMMAND`, got `{h}`");
            return Ok(crate::exit::USAGE);
        };
        options.handlers.push(aslc_vm::tasks::Handler { resource: resource.into(), command: command.into() });
    }
    match configured_handlers() {
        Ok(handlers) => options.handlers.extend(handlers),
        Err(msg) => {
            eprintln!("error: {msg}");
            return Ok(crate::exit::USAGE);
        }
    }
    let outcome = aslc_vm::run_input(&program, &input, &options);
    // The process ends once the outcome is printed: freeing the input, which may be a large
    // document, or the program would only cost time.
    std::mem::forget(input);
    std::mem::forget(program);
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            // Written member by member rather than gathered in a `Value`, which would copy the
            // output and the events; the text is the same, compact, in the same order.
            let mut doc = Vec::with_capacity(256);
            let null = Value::Null;
            let _ = write!(doc, "{{\"status\":\"{}\",\"output\":", outcome.status.as_str());
            let _ = serde_json::to_writer(&mut doc, outcome.output.as_ref().unwrap_or(&null));
            doc.extend_from_slice(b",\"error\":");
            let _ = serde_json::to_writer(&mut doc, &outcome.error);
            doc.extend_from_slice(b",\"cause\":");
            let _ = serde_json::to_writer(&mut doc, &outcome.cause);
            let _ = write!(doc, ",\"transitions\":{}", outcome.transitions);
            if args.history {
                doc.extend_from_slice(b",\"events\":");
                let _ = serde_json::to_writer(&mut doc, &outcome.events);
            }
            doc.extend_from_slice(b"}\n");
            let _ = out.write_all(&doc);
        }
        Format::Text => {
            let start = options.start_millis;
            for entry in &outcome.trace {
                let indent = "  ".repeat(entry.depth as usize);
                let _ = writeln!(
                    out,
                    "{:>12} {indent}{} ({})",
                    format_offset(entry.millis - start),
                    entry.state,
                    entry.kind
                );
            }
            if args.history {
                for e in &outcome.events {
                    let _ = writeln!(out, "{e}");
                }
            }
            let _ = writeln!(out, "{} after {} transitions", outcome.status.as_str(), outcome.transitions);
            match outcome.status {
                Status::Succeeded => {
                    let _ = writeln!(out, "{}", outcome.output.as_ref().unwrap_or(&Value::Null));
                }
                _ => {
                    let _ = writeln!(
                        out,
                        "error: {}\ncause: {}",
                        outcome.error.as_deref().unwrap_or(""),
                        outcome.cause.as_deref().unwrap_or("")
                    );
                }
            }
        }
    }
    Ok(if outcome.status == Status::Succeeded { crate::exit::CLEAN } else { crate::exit::FAILED })
}

/// `+1d02:03:04.005` style offset from the execution start.
fn format_offset(millis: i64) -> String {
    let (d, rest) = (millis / 86_400_000, millis % 86_400_000);
    let (h, rest) = (rest / 3_600_000, rest % 3_600_000);
    let (m, rest) = (rest / 60_000, rest % 60_000);
    let (s, ms) = (rest / 1000, rest % 1000);
    if d > 0 {
        format!("+{d}d{h:02}:{m:02}:{s:02}.{ms:03}")
    } else {
        format!("+{h:02}:{m:02}:{s:02}.{ms:03}")
    }
}

pub fn build(args: BuildArgs) -> anyhow::Result<u8> {
    let (program, _) =
        match load(&args.input, args.state_machine.as_deref(), aslc_ir::WorkflowType::Standard)? {
            Ok(p) => p,
            Err(code) => return Ok(code),
        };
    std::fs::write(&args.output, program.encode())
        .with_context(|| format!("cannot write `{}`", args.output.display()))?;
    Ok(crate::exit::CLEAN)
}

pub fn disasm(args: DisasmArgs) -> anyhow::Result<u8> {
    let (program, _) =
        match load(&args.input, args.state_machine.as_deref(), aslc_ir::WorkflowType::Standard)? {
            Ok(p) => p,
            Err(code) => return Ok(code),
        };
    let _ = std::io::stdout().lock().write_all(program.disasm().as_bytes());
    Ok(crate::exit::CLEAN)
}
