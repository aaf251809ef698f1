//! Speed of the DSL over the whole shared corpus, against `serde_json` parsing the same
//! definitions into `Value`s: compiling every decompiled definition from DSL, and
//! decompiling every definition from ASL (JSON reading included).

use std::path::{Path, PathBuf};

use aslc_source::FileId;
use criterion::{criterion_group, criterion_main, Criterion};

fn collect(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            if let Ok(text) = std::fs::read_to_string(&path) {
                if serde_json::from_str::<serde_json::Value>(&text).is_ok_and(|v| v.is_object()) {
                    out.push(text);
                }
            }
        }
    }
}

fn corpus(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let mut json = Vec::new();
    for sub in ["real", "templates", "feature-tests"] {
        collect(&root.join(sub), &mut json);
    }
    let dsl: Vec<String> = json
        .iter()
        .filter_map(|text| {
            aslc_syntax::json::parse(text, FileId(0)).node.and_then(|n| aslc_dsl::decompile(&n))
        })
        .collect();
    let mut group = c.benchmark_group("corpus");
    group.bench_function("serde_json_parse", |b| {
        b.iter(|| {
            json.iter().map(|t| serde_json::from_str::<serde_json::Value>(t).is_ok() as usize).sum::<usize>()
        })
    });
    group.bench_function("dsl_compile", |b| {
        b.iter(|| dsl.iter().map(|t| aslc_dsl::compile(t, FileId(0)).diagnostics.len()).sum::<usize>())
    });
    group.bench_function("asl_decompile", |b| {
        b.iter(|| {
            json.iter()
                .filter_map(|t| {
                    aslc_syntax::json::parse(t, FileId(0)).node.and_then(|n| aslc_dsl::decompile(&n))
                })
                .map(|s| s.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, corpus);
criterion_main!(benches);
