//! Criterion benchmarks over the JSONata reference suite (`../shared/jsonata-suite/`):
//! parsing every expression, evaluating every case that has a result against its input
//! (the cases with a time or depth guard are left out), and the three cases that map
//! 200 000 items on their own; and the JSONata states of the VM bench's `jsonata_transform`
//! workflow (`../shared/bench/workflows/`) over its 500 orders.

use std::path::{Path, PathBuf};

// The allocator of the `aslc` binary, so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use aslc_jsonata::{evaluate, Bindings};
use aslc_query::jsonata::{parse_jsonata, Expr};
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::Value;

struct Case {
    id: String,
    text: String,
    input: Option<Value>,
    bindings: Bindings,
}

fn suite_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/jsonata-suite")
}

fn load(dir: &Path) -> Vec<Case> {
    let mut out = Vec::new();
    let Ok(groups) = std::fs::read_dir(dir.join("groups")) else { return out };
    let mut groups: Vec<PathBuf> = groups.flatten().map(|e| e.path()).collect();
    groups.sort();
    for group in groups {
        let group_name = group.file_name().and_then(|n| n.to_str()).unwrap_or("").to_owned();
        let Ok(files) = std::fs::read_dir(&group) else { continue };
        let mut files: Vec<PathBuf> = files
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        for file in files {
            let stem = file.file_stem().and_then(|n| n.to_str()).unwrap_or("").to_owned();
            let Ok(text) = std::fs::read_to_string(&file) else { continue };
            let Ok(json) = serde_json::from_str::<Value>(&text) else { continue };
            let items = match json {
                Value::Array(items) => items,
                one => vec![one],
            };
            for (i, case) in items.into_iter().enumerate() {
                if case.get("result").is_none() && case.get("undefinedResult").is_none() {
                    continue;
                }
                let expr = match (case.get("expr"), case.get("expr-file")) {
                    (Some(Value::String(e)), _) => e.clone(),
                    (_, Some(Value::String(f))) => std::fs::read_to_string(group.join(f)).unwrap_or_default(),
                    _ => continue,
                };
                let input = match case.get("data") {
                    Some(data) => Some(data.clone()),
                    None => match case.get("dataset") {
                        Some(Value::String(name)) => {
                            std::fs::read_to_string(dir.join(format!("datasets/{name}.json")))
                                .ok()
                                .and_then(|t| serde_json::from_str(&t).ok())
                        }
                        _ => None,
                    },
                };
                let mut bindings = Bindings::new().now_millis(1_700_000_000_000.0).seed(1);
                if let Some(Value::Object(vars)) = case.get("bindings") {
                    for (name, value) in vars {
                        bindings.insert(name.clone(), value.clone());
                    }
                }
                let guarded = case.get("timelimit").is_some() || case.get("depth").is_some();
                let id = format!("{group_name}/{stem}[{i}]");
                if !guarded || id.starts_with("flattening/large") {
                    out.push(Case { id, text: expr, input, bindings });
                }
            }
        }
    }
    out
}

/// The case that maps 200 000 items, measured on its own.
fn is_large(case: &Case) -> bool {
    case.id.starts_with("flattening/large")
}

type Parsed<'c> = (Expr, &'c Case);

fn benches(c: &mut Criterion) {
    let dir = suite_dir();
    let cases = load(&dir);
    if cases.is_empty() {
        eprintln!("JSONata suite benchmarks skipped: ../shared/jsonata-suite is not next to the checkout");
        return;
    }
    let parsed: Vec<Parsed> =
        cases.iter().filter_map(|case| parse_jsonata(&case.text).ok().map(|expr| (expr, case))).collect();
    let (large, regular): (Vec<&Parsed>, Vec<&Parsed>) = parsed.iter().partition(|(_, c)| is_large(c));
    eprintln!("{} cases evaluated per iteration, {} large ones apart", regular.len(), large.len());
    let mut slowest: Vec<(std::time::Duration, &str)> = regular
        .iter()
        .map(|(expr, case)| {
            let start = std::time::Instant::now();
            let _ = evaluate(expr, case.input.as_ref(), &case.bindings);
            (start.elapsed(), case.id.as_str())
        })
        .collect();
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    eprintln!("slowest cases: {:?}", &slowest[..slowest.len().min(8)]);

    c.bench_function("parse every suite expression", |b| {
        b.iter(|| cases.iter().filter(|case| parse_jsonata(&case.text).is_ok()).count())
    });
    c.bench_function("evaluate every suite case", |b| {
        b.iter(|| {
            regular
                .iter()
                .filter(|(expr, case)| evaluate(expr, case.input.as_ref(), &case.bindings).is_ok())
                .count()
        })
    });
    // What a workflow state does: read `$states`, filter, reshape, aggregate.
    let states = serde_json::json!({
        "input": {
            "orders": (0..50).map(|i| serde_json::json!({
                "id": format!("o{i}"), "customer": {"name": format!("c{}", i % 7), "tier": if i % 3 == 0 { "gold" } else { "std" }},
                "lines": [{"sku": "a", "qty": i % 4 + 1, "price": 9.5}, {"sku": "b", "qty": 2, "price": 1.25}]
            })).collect::<Vec<_>>()
        },
        "context": {"Execution": {"Id": "arn:aws:states:us-east-1:123456789012:execution:m:e"}}
    });
    let workflow = Bindings::step_functions().with("states", states).with("threshold", serde_json::json!(20));
    let transform = parse_jsonata(
        "$states.input.orders[customer.tier = 'gold'].{ 'id': id, 'who': $uppercase(customer.name), \
         'total': $sum(lines.(qty * price)), 'big': $sum(lines.(qty * price)) > $threshold } ~> $sort(function($a, $b) { $a.total < $b.total })",
    )
    .expect("the workflow expression parses");
    c.bench_function("workflow transform over $states", |b| {
        b.iter(|| evaluate(&transform, None, &workflow).is_ok())
    });
    if let Some(pipeline) = bench_workflow(&suite_dir().join("../bench/workflows")) {
        c.bench_function("vm bench jsonata_transform over 500 orders", |b| {
            b.iter(|| pipeline.run().is_some())
        });
    }
    let mut group = c.benchmark_group("large");
    group.sample_size(10);
    for (expr, case) in large {
        group.bench_function(&case.id, |b| {
            b.iter(|| evaluate(expr, case.input.as_ref(), &case.bindings).is_ok())
        });
    }
    group.finish();
}

/// The JSONata states of the VM bench's `jsonata_transform` workflow, in order: each
/// state's `Output` expression, `Assign` expressions bound for the states after it.
struct Pipeline {
    input: Value,
    states: Vec<PipelineState>,
}

/// A state of [`Pipeline`]: its `Assign` expressions by variable, and its `Output`.
struct PipelineState {
    assign: Vec<(String, Expr)>,
    output: Option<Expr>,
}

impl Pipeline {
    /// Runs the states one after another as the VM does, each with `$states.input` the
    /// previous output; `None` when an expression fails.
    fn run(&self) -> Option<Value> {
        let mut input = self.input.clone();
        let mut bindings = Bindings::step_functions();
        for PipelineState { assign, output } in &self.states {
            let states = serde_json::json!({ "input": input });
            let with_states = bindings.clone().with("states", states);
            for (name, expr) in assign {
                let value = evaluate(expr, None, &with_states).ok()??;
                bindings.insert(name.clone(), value);
            }
            if let Some(output) = output {
                input = evaluate(output, None, &with_states).ok()??;
            }
        }
        Some(input)
    }
}

/// The workflow's Pass states along its path (`Totals`, `Paid`, `Summarise`), when the bench
/// folder is next to the checkout.
fn bench_workflow(dir: &Path) -> Option<Pipeline> {
    let read = |name: &str| -> Option<Value> {
        serde_json::from_str(&std::fs::read_to_string(dir.join(name)).ok()?).ok()
    };
    let definition = read("jsonata_transform.asl.json")?;
    let input = read("jsonata_transform.input.json")?;
    let body = |text: &Value| -> Option<Expr> {
        let text = text.as_str()?.trim().strip_prefix("{%")?.strip_suffix("%}")?;
        parse_jsonata(text).ok()
    };
    let mut states = Vec::new();
    for name in ["Totals", "Paid", "Summarise"] {
        let state = definition.get("States")?.get(name)?;
        let mut assign = Vec::new();
        if let Some(Value::Object(members)) = state.get("Assign") {
            for (var, text) in members {
                assign.push((var.clone(), body(text)?));
            }
        }
        let output = match state.get("Output") {
            Some(text) => Some(body(text)?),
            None => None,
        };
        states.push(PipelineState { assign, output });
    }
    Some(Pipeline { input, states })
}

criterion_group!(suite, benches);
criterion_main!(suite);
