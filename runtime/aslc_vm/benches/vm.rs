//! VM speed: the Pass/Choice counter loop (state transitions per second, Express, no
//! history) over 10,000 and 1,000,000 iterations, the 10,000 with history recorded, and a
//! Map over 10,000 items.
//!
//! `cargo bench -p aslc_vm --bench vm`; the whole-process comparison with moto is
//! `../shared/bench/vm`.

use aslc_bytecode::Program;
use aslc_vm::{run, RunOptions, WorkflowType};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde_json::{json, Value};

fn program(definition: &Value) -> Program {
    let text = definition.to_string();
    let node = aslc_syntax::json::parse(&text, aslc_source::FileId(0)).node.expect("valid JSON");
    let checked = aslc_ir::check(&node, aslc_source::FileId(0), &aslc_ir::CheckOptions::default());
    aslc_bytecode::compile(&checked.definition.expect("a definition"), Some(&text)).expect("compiles")
}

fn bench(c: &mut Criterion) {
    let counter = program(&json!({
        "StartAt": "Init",
        "States": {
            "Init": {"Type": "Pass", "Parameters": {"i": 0, "limit.$": "$.limit"}, "Next": "Check"},
            "Check": {"Type": "Choice",
                      "Choices": [{"Variable": "$.i", "NumericLessThanPath": "$.limit", "Next": "Increment"}],
                      "Default": "Done"},
            "Increment": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)", "limit.$": "$.limit"}, "Next": "Check"},
            "Done": {"Type": "Succeed"}
        }
    }));
    let express = RunOptions { workflow_type: WorkflowType::Express, ..RunOptions::default() };
    let mut group = c.benchmark_group("counter_loop");
    group.throughput(Throughput::Elements(20_003));
    group.bench_function("express_10k_iterations", |b| {
        b.iter(|| run(&counter, json!({"limit": 10_000}), &express))
    });
    let history = RunOptions { workflow_type: WorkflowType::Express, history: true, ..RunOptions::default() };
    group.bench_function("express_10k_iterations_with_history", |b| {
        b.iter(|| run(&counter, json!({"limit": 10_000}), &history))
    });
    group.finish();

    // The acceptance figure: a million iterations, two million transitions, in one run.
    let mut group = c.benchmark_group("counter_loop_1m");
    group.sample_size(10);
    group.throughput(Throughput::Elements(2_000_003));
    group.bench_function("express_1m_iterations", |b| {
        b.iter(|| run(&counter, json!({"limit": 1_000_000}), &express))
    });
    group.finish();

    let map = program(&json!({
        "StartAt": "Each",
        "States": {
            "Each": {"Type": "Map", "ItemsPath": "$.items",
                     "ItemProcessor": {"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "Result": 1, "End": true}}},
                     "End": true}
        }
    }));
    let items = json!({"items": vec![0; 10_000]});
    let mut group = c.benchmark_group("map");
    group.throughput(Throughput::Elements(10_001));
    group.bench_function("inline_10k_items", |b| b.iter(|| run(&map, items.clone(), &express)));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
