//! How fast an edit turns into published diagnostics, and how much memory open documents
//! take: the server runs in process, driven by JSON-RPC messages as an editor drives it.
//!
//! `cargo bench -p aslc_lsp` measures, on a generated 1 MiB definition, the time from a
//! one-character `didChange` to the `publishDiagnostics` that answers it (debounce off,
//! as the server's default), then prints the resident memory before and after opening
//! 100 documents.
//!
//! The bench allocates with mimalloc, as the `aslc` binary that serves `aslc lsp` does.

use std::time::{Duration, Instant};

use aslc_lsp::{service, ClientSocket, LspService};
use criterion::{criterion_group, criterion_main, Criterion};
use futures::StreamExt;
use serde_json::{json, Value};
use tower::{Service, ServiceExt};
use tower_lsp_server::jsonrpc::Request;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A definition of about `bytes` bytes: a chain of Task, Pass and Choice states. Results
/// go to sixteen fields in turn: a chain where every state adds a field of its own makes
/// the `L-PATH-ABSENT` analysis quadratic (see the crate's notes).
fn definition(bytes: usize) -> String {
    let mut states = Vec::new();
    let mut i = 0;
    let mut len = 0;
    while len < bytes {
        let next = format!("S{}", i + 1);
        let state = match i % 3 {
            0 => format!(
                r#"    "S{i}": {{ "Type": "Task", "Comment": "step {i}", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {{ "FunctionName": "f{i}", "Payload.$": "$" }}, "Retry": [ {{ "ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2 }} ], "ResultPath": "$.r{}", "Next": "{next}" }}"#,
                i % 16
            ),
            1 => format!(
                r#"    "S{i}": {{ "Type": "Pass", "Result": {{ "n": {i} }}, "ResultPath": "$.p{}", "Next": "{next}" }}"#,
                i % 16
            ),
            _ => format!(
                r#"    "S{i}": {{ "Type": "Choice", "Choices": [ {{ "Variable": "$.p{}.n", "NumericGreaterThan": 10, "Next": "{next}" }} ], "Default": "S{}" }}"#,
                (i - 1) % 16,
                i + 2
            ),
        };
        len += state.len() + 2;
        states.push(state);
        i += 1;
    }
    // The last Choice's `Default` skips past the end: point it at the final state, so the
    // definition is valid and every lint runs.
    if let Some(last) = states.last_mut() {
        *last = last.replace(&format!(r#""Default": "S{}""#, i + 1), &format!(r#""Default": "S{i}""#));
    }
    states.push(format!(r#"    "S{i}": {{ "Type": "Succeed" }}"#));
    format!("{{\n  \"StartAt\": \"S0\",\n  \"States\": {{\n{}\n  }}\n}}\n", states.join(",\n"))
}

struct Client {
    service: LspService<aslc_lsp::Backend>,
    socket: ClientSocket,
}

impl Client {
    async fn start() -> Client {
        let (service, socket) = service();
        let mut client = Client { service, socket };
        let init = Request::build("initialize")
            .params(json!({ "capabilities": {}, "initializationOptions": { "rulesUrl": "file:///rules/{code}.md" } }))
            .id(1)
            .finish();
        client.call(init).await;
        client.call(Request::build("initialized").params(json!({})).finish()).await;
        client
    }

    async fn call(&mut self, request: Request) {
        let service = self.service.ready().await.expect("ready");
        service.call(request).await.expect("no transport error");
    }

    async fn notify(&mut self, method: &'static str, params: Value) {
        self.call(Request::build(method).params(params).finish()).await;
    }

    /// Waits for the diagnostics of `uri` at `version`; returns how many there were.
    async fn diagnostics(&mut self, uri: &str, version: i64) -> usize {
        loop {
            let message = self.socket.next().await.expect("socket open");
            let message = serde_json::to_value(message).expect("serializable");
            let params = &message["params"];
            if message["method"] == "textDocument/publishDiagnostics"
                && params["uri"] == uri
                && params["version"] == version
            {
                return params["diagnostics"].as_array().map_or(0, Vec::len);
            }
        }
    }
}

fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn edit_to_diagnostics(c: &mut Criterion) {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let mut group = c.benchmark_group("lsp");
    group.sample_size(40).measurement_time(Duration::from_secs(8));
    // Just under the 1,048,576-character limit of a definition, and a large real-world size.
    for (name, size) in
        [("edit_1mib_to_diagnostics", (1 << 20) - 400), ("edit_20kib_to_diagnostics", 20 << 10)]
    {
        let text = definition(size);
        let uri = format!("file:///bench/{name}.asl.json");
        // The one character edited: the `0` of `"step 0"`, line 3.
        let line = 3;
        let column = text.lines().nth(line).and_then(|l| l.find("step 0")).expect("edited text") + 5;
        let mut client = runtime.block_on(async {
            let mut client = Client::start().await;
            client
                .notify(
                    "textDocument/didOpen",
                    json!({ "textDocument": { "uri": uri, "languageId": "json", "version": 0, "text": text } }),
                )
                .await;
            let n = client.diagnostics(&uri, 0).await;
            eprintln!("{name}: {} bytes, {n} diagnostics", text.len());
            client
        });
        let mut version = 0i64;
        group.bench_function(name, |b| {
            b.iter_custom(|iterations| {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    version += 1;
                    let digit = ((version % 9) + 1).to_string();
                    let change = json!({
                        "textDocument": { "uri": uri, "version": version },
                        "contentChanges": [ { "range": { "start": { "line": line, "character": column }, "end": { "line": line, "character": column + 1 } }, "text": digit } ]
                    });
                    let started = Instant::now();
                    runtime.block_on(async {
                        client.notify("textDocument/didChange", change).await;
                        client.diagnostics(&uri, version).await;
                    });
                    total += started.elapsed();
                }
                total
            });
        });
    }
    group.finish();
    memory_of_open_documents(&runtime);
}

/// Prints the resident memory with 100 open documents of about 20 KiB each (the size of a
/// large real-world definition) and with 100 copies of the 1 MiB one.
fn memory_of_open_documents(runtime: &tokio::runtime::Runtime) {
    for (label, size) in [("20 KiB", 20 << 10), ("1 MiB", 1 << 20)] {
        let text = definition(size);
        runtime.block_on(async {
            let mut client = Client::start().await;
            let before = resident_kib().unwrap_or(0);
            for i in 0..100 {
                let uri = format!("file:///bench/doc{i}.asl.json");
                client
                    .notify(
                        "textDocument/didOpen",
                        json!({ "textDocument": { "uri": uri, "languageId": "json", "version": 0, "text": text } }),
                    )
                    .await;
                client.diagnostics(&uri, 0).await;
            }
            let after = resident_kib().unwrap_or(0);
            eprintln!(
                "100 open documents of {label}: resident memory {} MiB -> {} MiB (+{} MiB)",
                before / 1024,
                after / 1024,
                after.saturating_sub(before) / 1024
            );
        });
    }
}

criterion_group!(benches, edit_to_diagnostics);
criterion_main!(benches);
