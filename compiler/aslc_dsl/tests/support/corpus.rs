//! The shared corpus as the DSL's round-trip test, corpus bench and profiling example read
//! it: every JSON and YAML file of `real/`, `templates/` and `feature-tests/`, and the
//! definitions in them. Included by path (`#[path = …] mod corpus;`) by each of them.

use std::path::{Path, PathBuf};

use aslc_source::FileId;
use aslc_syntax::Node;

/// `../shared/corpus` beside the repository.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

/// Every JSON and YAML file of `real/`, `templates/` and `feature-tests/`, in name order.
pub fn files() -> Vec<PathBuf> {
    let root = root();
    let mut out = Vec::new();
    for sub in ["real", "templates", "feature-tests"] {
        collect(&root.join(sub), &mut out);
    }
    out
}

/// Every JSON and YAML file under `dir`, in name order.
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

/// The JSON text of every object definition in `path`: a JSON file as it is, a YAML
/// definition or a template's inline state machines printed as ASL JSON.
#[allow(dead_code, reason = "the round-trip test reads the files itself")]
pub fn definitions(path: &Path, out: &mut Vec<String>) {
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

/// The corpus as the bench and the profiling example time it: the JSON text of every
/// definition, its spanned tree, and its decompiled DSL text.
#[allow(dead_code, reason = "the round-trip test reads the files itself")]
pub struct Inputs {
    pub json: Vec<String>,
    pub trees: Vec<Node>,
    pub dsl: Vec<String>,
}

/// Reads [`Inputs`]: every definition of [`files`], read and decompiled once.
#[allow(dead_code, reason = "the round-trip test reads the files itself")]
pub fn inputs() -> Inputs {
    let mut json = Vec::new();
    for path in &files() {
        definitions(path, &mut json);
    }
    let trees: Vec<Node> =
        json.iter().filter_map(|text| aslc_syntax::json::parse(text, FileId(0)).node).collect();
    let dsl: Vec<String> = trees.iter().filter_map(aslc_dsl::decompile).collect();
    Inputs { json, trees, dsl }
}
