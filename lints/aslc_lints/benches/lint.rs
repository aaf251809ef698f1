//! Checking the JSON definitions of the real-world corpus (`../shared/corpus/real`) with
//! and without the lints.
//! The lints should cost at most half again the time of checking alone. A generated chain of
//! 8,000 states, each adding a field, keeps the shape analysis honest about its growth.

use std::path::{Path, PathBuf};

use aslc_lints::{lint, LintConfig};
use aslc_source::FileId;
use aslc_syntax::Node;
use criterion::{criterion_group, criterion_main, Criterion};

fn corpus() -> Vec<Node> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/real");
    let mut files: Vec<PathBuf> = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut nodes = Vec::new();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        // The JSON definitions (344 of the 362); the YAML reader's cost is not the lints'.
        if path.extension().is_some_and(|e| e == "json") {
            nodes.extend(aslc_syntax::json::parse(&text, FileId(0)).node);
        }
    }
    nodes
}

fn bench(c: &mut Criterion) {
    let nodes = corpus();
    let options = aslc_ir::CheckOptions::default();
    let config = LintConfig::default();
    let mut group = c.benchmark_group("corpus-real");
    group.bench_function("check", |b| {
        b.iter(|| {
            let mut n = 0;
            for node in &nodes {
                n += aslc_ir::check(node, FileId(0), &options).diagnostics.len();
            }
            n
        })
    });
    group.bench_function("check+lint", |b| {
        b.iter(|| {
            let mut n = 0;
            for node in &nodes {
                let checked = aslc_ir::check(node, FileId(0), &options);
                n += checked.diagnostics.len();
                if let Some(def) = &checked.definition {
                    n += lint(def, &config).len();
                }
            }
            n
        })
    });
    group.finish();

    // A long chain in which every state adds a field: the shape analysis must stay linear.
    let chain = long_chain(8_000);
    let mut group = c.benchmark_group("long-chain-8000");
    group.sample_size(10);
    group.bench_function("check+lint", |b| {
        b.iter(|| {
            let checked = aslc_ir::check(&chain, FileId(0), &options);
            checked.definition.as_ref().map_or(0, |def| lint(def, &config).len())
        })
    });
    group.finish();
}

/// `n` Pass states in a row, each writing its own `ResultPath` and reading the previous one.
fn long_chain(n: usize) -> Node {
    let mut states = Vec::with_capacity(n);
    for i in 0..n {
        let next = if i + 1 < n { format!(r#""Next": "S{}""#, i + 1) } else { r#""End": true"#.to_owned() };
        let read =
            if i > 0 { format!(r#""Parameters": {{ "prev.$": "$.f{}" }},"#, i - 1) } else { String::new() };
        states.push(format!(r#""S{i}": {{ "Type": "Pass", {read} "ResultPath": "$.f{i}", {next} }}"#));
    }
    let text = format!(r#"{{ "StartAt": "S0", "States": {{ {} }} }}"#, states.join(",\n"));
    aslc_syntax::json::parse(&text, FileId(0)).node.expect("the generated chain is JSON")
}

criterion_group!(benches, bench);
criterion_main!(benches);
