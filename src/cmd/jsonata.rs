//! `aslc jsonata`: evaluate JSONata expressions, for people (`aslc jsonata EXPR --input JSON`)
//! and for test harnesses (`aslc jsonata --batch`, the line protocol of the shared JSONata
//! suite: one JSON request per line on stdin, one JSON response per line on stdout).

use std::io::{BufRead, Write};
use std::time::Duration;

use anyhow::Context;
use aslc_jsonata::{evaluate, Bindings, EvalError};
use aslc_query::jsonata::{parse_jsonata, JsonataError};
use aslc_render::SourceFiles;
use aslc_source::{Diagnostic, TextRange};
use clap::Args;
use serde_json::{json, Value};

/// Arguments of `aslc jsonata`.
#[derive(Args)]
pub struct JsonataArgs {
    /// The expression to evaluate.
    #[arg(required_unless_present = "batch")]
    expr: Option<String>,
    /// The input document: JSON text, or `@FILE` to read it from a file (`@-` for stdin).
    #[arg(long)]
    input: Option<String>,
    /// Bind a variable: `--bind name=JSON` (repeatable).
    #[arg(long = "bind", value_name = "NAME=JSON")]
    bind: Vec<String>,
    /// Evaluate as a Step Functions workflow does: with `$partition`, `$range`, `$hash`,
    /// `$random(seed)`, `$uuid` and `$parse`, without `$eval`.
    #[arg(long)]
    step_functions: bool,
    /// Read requests from stdin, one JSON object per line, and answer each on one line.
    #[arg(long, conflicts_with_all = ["expr", "input"])]
    batch: bool,
}

pub fn run(args: JsonataArgs) -> anyhow::Result<u8> {
    if args.batch {
        return batch();
    }
    let text = args.expr.unwrap_or_default();
    let input: Option<Value> = match &args.input {
        None => None,
        Some(spec) => {
            let raw = match spec.strip_prefix('@') {
                Some("-") => std::io::read_to_string(std::io::stdin()).context("cannot read stdin")?,
                Some(path) => {
                    std::fs::read_to_string(path).with_context(|| format!("cannot read `{path}`"))?
                }
                None => spec.clone(),
            };
            Some(serde_json::from_str(&raw).context("the input is not JSON")?)
        }
    };
    let mut bindings = if args.step_functions { Bindings::step_functions() } else { Bindings::new() };
    for bind in &args.bind {
        let Some((name, value)) = bind.split_once('=') else {
            eprintln!("error: `--bind` takes NAME=JSON, got `{bind}`");
            return Ok(crate::exit::USAGE);
        };
        let value: Value =
            serde_json::from_str(value).with_context(|| format!("the value of `${name}` is not JSON"))?;
        bindings.insert(name.trim_start_matches('$'), value);
    }
    let outcome = parse_jsonata(&text)
        .map_err(|err| parse_failure(&err))
        .and_then(|expr| evaluate(&expr, input.as_ref(), &bindings).map_err(|err| eval_failure(&err)));
    match outcome {
        Ok(Some(value)) => {
            println!("{}", serde_json::to_string_pretty(&value)?);
            Ok(crate::exit::CLEAN)
        }
        Ok(None) => {
            eprintln!("(undefined)");
            Ok(crate::exit::CLEAN)
        }
        Err(failure) => {
            let mut sources = SourceFiles::new();
            let file = sources.add("<expression>", text.clone());
            // Positions may sit just before the token they mean: skip spaces to reach it, then
            // mark the token's first character.
            let mut start = failure.position.map_or(0, |p| (p as usize).min(text.len()));
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let skipped = text[start..].len() - text[start..].trim_start().len();
            start += skipped;
            let end = text[start..].chars().next().map_or(start, |c| start + c.len_utf8());
            let range = TextRange::from_usize(start, end);
            let diagnostic = Diagnostic::error(failure.code, file, range, failure.message);
            let color = std::io::IsTerminal::is_terminal(&std::io::stderr())
                && std::env::var_os("NO_COLOR").is_none();
            eprint!("{}", aslc_render::render_diagnostic(&diagnostic, &sources, color));
            Ok(crate::exit::FAILED)
        }
    }
}

/// A failed evaluation for display.
struct Failure {
    code: &'static str,
    message: String,
    position: Option<u32>,
}

fn human_message(message: &str) -> String {
    let trimmed = message.trim_end_matches('.');
    let mut chars = trimmed.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn parse_failure(err: &JsonataError) -> Failure {
    Failure {
        code: err.code.code().unwrap_or("S0201"),
        message: human_message(&err.jsonata_message()),
        position: Some(err.range.start()),
    }
}

fn eval_failure(err: &EvalError) -> Failure {
    Failure { code: err.code, message: human_message(&err.message), position: err.position }
}

/// The line protocol: requests `{"id", "expr", "data"?, "bindings", "timelimit"?, "depth"?}`,
/// responses `{"id", "result"}`, `{"id", "undefined": true}` or `{"id", "error": {…}}`.
fn batch() -> anyhow::Result<u8> {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in stdin.lock().lines() {
        let line = line.context("cannot read stdin")?;
        if line.trim().is_empty() {
            continue;
        }
        let response = answer(&line);
        writeln!(out, "{response}")?;
        out.flush()?;
    }
    Ok(crate::exit::CLEAN)
}

fn error_response(
    id: &Value,
    code: &str,
    message: &str,
    position: Option<u32>,
    token: Option<&str>,
) -> Value {
    let mut error = json!({"code": code, "message": message});
    if let Some(position) = position {
        error["position"] = json!(position);
    }
    if let Some(token) = token {
        error["token"] = json!(token);
    }
    json!({"id": id, "error": error})
}

fn answer(line: &str) -> Value {
    let request: Value = match serde_json::from_str(line) {
        Ok(request) => request,
        // `"id": null` answers the request in flight (the protocol's rule for unreadable requests).
        Err(err) => {
            return error_response(&Value::Null, "U0000", &format!("unreadable request: {err}"), None, None)
        }
    };
    let id = request.get("id").cloned().unwrap_or(Value::Null);
    let Some(text) = request.get("expr").and_then(Value::as_str) else {
        return error_response(&id, "S0201", "the request has no expression", None, None);
    };
    let mut bindings = Bindings::new();
    if let Some(Value::Object(vars)) = request.get("bindings") {
        for (name, value) in vars {
            bindings.insert(name.clone(), value.clone());
        }
    }
    if let Some(depth) = request.get("depth").and_then(Value::as_u64) {
        bindings = bindings.max_depth(depth as usize);
    }
    if let Some(limit) = request.get("timelimit").and_then(Value::as_u64) {
        bindings = bindings.time_limit(Duration::from_millis(limit));
    }
    let expr = match parse_jsonata(text) {
        Ok(expr) => expr,
        Err(err) => {
            let code = err.code.code().unwrap_or("S0201");
            let token = err.token.as_deref().map(|t| t.trim_matches('"').to_owned());
            return error_response(
                &id,
                code,
                &err.jsonata_message(),
                Some(err.range.start()),
                token.as_deref(),
            );
        }
    };
    match evaluate(&expr, request.get("data"), &bindings) {
        Ok(Some(value)) => json!({"id": id, "result": value}),
        Ok(None) => json!({"id": id, "undefined": true}),
        Err(err) => {
            let mut response =
                error_response(&id, err.code, &err.message, err.position, err.token.as_deref());
            if let Some(value) = err.value {
                response["error"]["value"] = *value;
            }
            response
        }
    }
}
