//! Speed of the DSL over the whole shared corpus, against `serde_json` parsing the same
//! definitions' text into `Value`s.
//!
//! The definitions are every JSON and YAML file of `real/` and `feature-tests/` and every
//! inline state machine of the templates in `templates/`. Each becomes one JSON text: a
//! JSON file as it is, a YAML definition or a template's state machine printed as ASL JSON.
//! Outside the timed loops the texts are decompiled once to get the DSL inputs. Timed:
//! - `serde_json_parse`: every JSON text to a `serde_json::Value` (the baseline);
//! - `dsl_compile`: every DSL text to the spanned ASL tree, with its diagnostics;
//! - `asl_decompile`: every JSON text read into a spanned tree and decompiled to DSL text,
//!   so it starts from the same text as the baseline;
//! - `asl_decompile_tree`: the same from trees read beforehand (decompilation alone).

use aslc_source::FileId;
use criterion::{criterion_group, criterion_main, Criterion};

#[path = "../tests/support/corpus.rs"]
mod corpus;

fn corpus(c: &mut Criterion) {
    let corpus::Inputs { json, trees, dsl } = corpus::inputs();
    assert!(json.len() > 700 && dsl.len() == json.len(), "the shared corpus is missing");
    eprintln!(
        "{} definitions: {} bytes of JSON, {} bytes of DSL",
        json.len(),
        json.iter().map(String::len).sum::<usize>(),
        dsl.iter().map(String::len).sum::<usize>()
    );

    let mut group = c.benchmark_group("corpus");
    group.bench_function("serde_json_parse", |b| {
        b.iter(|| {
            json.iter()
                .map(|t| usize::from(serde_json::from_str::<serde_json::Value>(t).is_ok()))
                .sum::<usize>()
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
    group.bench_function("asl_decompile_tree", |b| {
        b.iter(|| trees.iter().filter_map(aslc_dsl::decompile).map(|s| s.len()).sum::<usize>())
    });
    group.finish();
}

criterion_group!(benches, corpus);
criterion_main!(benches);
