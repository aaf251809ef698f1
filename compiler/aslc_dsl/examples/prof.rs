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

use std::path::{Path, PathBuf};

use aslc_source::FileId;
use aslc_syntax::Node;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "json" || e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

/// The JSON text of every object definition in `path`.
fn definitions(path: &Path, out: &mut Vec<String>) {
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    if path.extension().is_some_and(|e| e == "json") {
        if serde_json::from_str::<serde_json::Value>(&text).is_ok_and(|v| v.is_object()) {
            out.push(text);
        }
        return;
    }
    let Some(root) = aslc_syntax::yaml::parse(&text, FileId(0)).node else {
        return;
    };
    let mut nodes: Vec<Node> = Vec::new();
    if aslc_syntax::cfn::is_template(&root) {
        for machine in aslc_syntax::cfn::extract(&root, &text, FileId(0)).state_machines {
            if let aslc_syntax::cfn::DefinitionSource::Inline(definition) = machine.definition {
                nodes.push(definition);
            }
        }
    } else {
        nodes.push(root);
    }
    for node in nodes.iter().filter(|n| n.as_object().is_some()) {
        let json = aslc_dsl::print_asl(node);
        if serde_json::from_str::<serde_json::Value>(&json).is_ok() {
            out.push(json);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let what = args[1].clone();
    let n: usize = args[2].parse().unwrap();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let mut files = Vec::new();
    for sub in ["real", "templates", "feature-tests"] {
        collect(&root.join(sub), &mut files);
    }
    let mut json = Vec::new();
    for path in &files {
        definitions(path, &mut json);
    }
    let trees: Vec<Node> =
        json.iter().filter_map(|text| aslc_syntax::json::parse(text, FileId(0)).node).collect();
    let dsl: Vec<String> = trees.iter().filter_map(aslc_dsl::decompile).collect();
    let parsed: Vec<aslc_dsl::Parsed> = dsl.iter().map(|t| aslc_dsl::parse(t, FileId(0))).collect();
    let mut acc = 0usize;
    for _ in 0..n {
        acc += match what.as_str() {
            "serde" => json
                .iter()
                .map(|t| usize::from(serde_json::from_str::<serde_json::Value>(t).is_ok()))
                .sum::<usize>(),
            "compile" => dsl.iter().map(|t| aslc_dsl::compile(t, FileId(0)).diagnostics.len()).sum::<usize>(),
            "parse" => dsl.iter().map(|t| aslc_dsl::parse(t, FileId(0)).diagnostics.len()).sum::<usize>(),
            "lex" => {
                dsl.iter().map(|t| aslc_dsl::lexer::lex(t, FileId(0), &mut Vec::new()).len()).sum::<usize>()
            }
            "json" => {
                json.iter().map(|t| aslc_syntax::json::parse(t, FileId(0)).diagnostics.len()).sum::<usize>()
            }
            "decompile" => json
                .iter()
                .filter_map(|t| {
                    aslc_syntax::json::parse(t, FileId(0)).node.and_then(|n| aslc_dsl::decompile(&n))
                })
                .map(|s| s.len())
                .sum::<usize>(),
            "decompile_tree" => trees.iter().filter_map(aslc_dsl::decompile).map(|s| s.len()).sum::<usize>(),
            "print" => parsed.iter().map(|p| aslc_dsl::print(&p.file).len()).sum::<usize>(),
            "same" => trees.iter().map(|t| usize::from(aslc_dsl::same(t, t))).sum::<usize>(),
            "parse_empty" => {
                dsl.iter().map(|_| aslc_dsl::parse("", FileId(0)).diagnostics.len()).sum::<usize>()
            }
            _ => 0,
        };
    }
    println!("{acc}");
}
