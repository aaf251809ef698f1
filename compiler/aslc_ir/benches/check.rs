//! Checking speed over the real-world corpus (`../shared/corpus/real`, JSON files): the
//! whole pipeline (read tree, lower, validate) per definition, next to `serde_json`
//! parsing the same bytes into a `Value` as a yardstick.
//!
//! `cargo bench -p aslc_ir --bench check`; the peer comparison is
//! `../shared/bench/check-corpus`.

use std::path::{Path, PathBuf};

use aslc_ir::CheckOptions;
use aslc_source::FileId;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn corpus() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/real");
    let mut files: Vec<PathBuf> = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files.iter().filter_map(|p| std::fs::read(p).ok()).collect()
}

fn bench(c: &mut Criterion) {
    let files = corpus();
    if files.is_empty() {
        eprintln!("*** ../shared/corpus/real not found: nothing to measure ***");
        return;
    }
    let bytes: usize = files.iter().map(Vec::len).sum();
    let mut group = c.benchmark_group("corpus-real");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("serde_json-parse", |b| {
        b.iter(|| {
            for file in &files {
                let value: Result<serde_json::Value, _> = serde_json::from_slice(file);
                std::hint::black_box(value.ok());
            }
        })
    });
    group.bench_function("read-tree", |b| {
        b.iter(|| {
            for file in &files {
                std::hint::black_box(aslc_syntax::json::parse_bytes(file, FileId(0)));
            }
        })
    });
    group.bench_function("check", |b| {
        let options = CheckOptions::default();
        b.iter(|| {
            for file in &files {
                let parsed = aslc_syntax::json::parse_bytes(file, FileId(0));
                if let Some(node) = parsed.node {
                    std::hint::black_box(aslc_ir::check(&node, FileId(0), &options));
                }
            }
        })
    });
    group.finish();
    eprintln!("{} definitions, {} bytes", files.len(), bytes);
}

criterion_group!(benches, bench);
criterion_main!(benches);
