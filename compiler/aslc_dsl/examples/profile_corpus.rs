//! Runs one stage of the corpus bench a fixed number of times, for profilers that count
//! instructions (`valgrind --tool=callgrind`), where criterion's timing loop only adds noise.
//!
//! `cargo run --profile bench -p aslc_dsl --example profile_corpus -- STAGE [N]` with STAGE
//! one of `serde`, `compile`, `decompile`, `decompile_tree`, `read`; `digest` prints a hash
//! of every decompiled and compiled text instead, to check that a change kept the output;
//! `ratio` times N interleaved passes of `serde`, `compile` and `decompile` and prints the
//! median of each pass's time over the `serde` pass next to it, which a busy machine
//! disturbs less than separate timings.
//! A pass costs half the difference between runs with `N` and `N + 2`.

use aslc_source::FileId;
use aslc_syntax::Node;

#[path = "../tests/support/corpus.rs"]
mod corpus;

#[inline(never)]
fn stage_serde(json: &[String]) -> usize {
    json.iter().map(|t| usize::from(serde_json::from_str::<serde_json::Value>(t).is_ok())).sum()
}

#[inline(never)]
fn stage_compile(dsl: &[String]) -> usize {
    dsl.iter().map(|t| aslc_dsl::compile(t, FileId(0)).diagnostics.len()).sum()
}

#[inline(never)]
fn stage_decompile(json: &[String]) -> usize {
    json.iter()
        .filter_map(|t| aslc_syntax::json::parse(t, FileId(0)).node.and_then(|n| aslc_dsl::decompile(&n)))
        .map(|s| s.len())
        .sum()
}

#[inline(never)]
fn stage_decompile_tree(trees: &[Node]) -> usize {
    trees.iter().filter_map(aslc_dsl::decompile).map(|s| s.len()).sum()
}

#[inline(never)]
fn stage_read(json: &[String]) -> usize {
    json.iter().filter_map(|t| aslc_syntax::json::parse(t, FileId(0)).node).count()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let stage = args.get(1).map_or("decompile", String::as_str);
    let n: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(10);
    let corpus::Inputs { json, trees, dsl } = corpus::inputs();
    if stage == "digest" {
        // A digest of every decompiled and every compiled text, to compare two builds.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for text in dsl.iter().chain(
            dsl.iter()
                .filter_map(|t| aslc_dsl::compile(t, FileId(0)).node.map(|n| aslc_dsl::print_asl(&n)))
                .collect::<Vec<_>>()
                .iter(),
        ) {
            for b in text.bytes() {
                hash = (hash ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
            }
        }
        println!("{hash:016x}");
        return;
    }
    if stage == "ratio" {
        let time = |f: &dyn Fn() -> usize| {
            let start = std::time::Instant::now();
            std::hint::black_box(f());
            start.elapsed().as_secs_f64()
        };
        let (mut compile, mut decompile) = (Vec::new(), Vec::new());
        for _ in 0..n.max(1) {
            let serde = time(&|| stage_serde(&json));
            compile.push(time(&|| stage_compile(&dsl)) / serde);
            decompile.push(time(&|| stage_decompile(&json)) / serde);
        }
        let median = |mut v: Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        println!("dsl_compile {:.2}x, asl_decompile {:.2}x", median(compile), median(decompile));
        return;
    }
    let start = std::time::Instant::now();
    let mut acc = 0;
    for _ in 0..n {
        acc += match stage {
            "serde" => stage_serde(&json),
            "compile" => stage_compile(&dsl),
            "decompile" => stage_decompile(&json),
            "decompile_tree" => stage_decompile_tree(&trees),
            "read" => stage_read(&json),
            other => {
                eprintln!("unknown stage `{other}`");
                std::process::exit(2);
            }
        };
    }
    eprintln!("{stage}: {:?} per run ({acc})", start.elapsed() / n as u32);
}
