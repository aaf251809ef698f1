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

fn decompile(json: &str) -> String {
    let parsed = aslc_syntax::json::parse(json, FileId(0));
    let node = parsed.node.expect("golden ASL parses");
    aslc_dsl::decompile(&node).expect("golden ASL is an object")
}

#[test]
fn legacy_export_decompiles_to_its_golden_dsl() {
    let actual = decompile(&read("7-legacy.asl.json"));
    assert_eq!(actual, read("7-legacy.asld"));
    let recompiled = aslc_dsl::compile(&actual, FileId(0));
    let original = aslc_syntax::json::parse(&read("7-legacy.asl.json"), FileId(0)).node.expect("parses");
    assert!(aslc_dsl::same(recompiled.node.as_ref().expect("tree"), &original));
}

#[test]
fn decompiling_the_compiled_examples_is_stable() {
    for stem in ["1-order-saga", "2-approval", "3-etl", "4-fanout", "5-jsonata", "6-router", "7-legacy"] {
        let asld = read(&format!("{stem}.asld"));
        let first = decompile(&compile(&format!("{stem}.asld")));
        let second = decompile(&aslc_dsl::print_asl(
            aslc_dsl::compile(&first, FileId(0)).node.as_ref().expect("tree"),
        ));
        assert_eq!(first, second, "{stem}: decompiling again changed the text");
        if matches!(stem, "2-approval" | "3-etl" | "4-fanout" | "5-jsonata" | "7-legacy") {
            assert_eq!(first, asld, "{stem}: decompiling the compiled example should give the example back");
        }
    }
}

#[test]
fn examples_are_formatted_canonically() {
    for stem in ["1-order-saga", "2-approval", "3-etl", "4-fanout", "5-jsonata", "6-router", "7-legacy"] {
        let text = read(&format!("{stem}.asld"));
        let formatted = aslc_dsl::fmt(&text, FileId(0)).text.expect("the example has no errors");
        assert_eq!(formatted, text, "{stem}: fmt changed a canonical file");
    }
}

#[test]
fn fmt_keeps_comments_and_is_idempotent() {
    let text = "//! Top.\ntimeout 60 // seconds\n\n// Before the first state.\npass A {\n  // about the result\n  result { a: 1 } /* inline */\n  comment \"x\"\n}\n\n\n// Trailing.\n";
    let once = aslc_dsl::fmt(text, FileId(0)).text.expect("formats");
    for comment in
        ["// seconds", "// Before the first state.", "// about the result", "/* inline */", "// Trailing."]
    {
        assert!(once.contains(comment), "lost {comment}:\n{once}");
    }
    assert!(once.find("comment \"x\"") < once.find("result"), "clauses are sorted:\n{once}");
    let twice = aslc_dsl::fmt(&once, FileId(0)).text.expect("formats");
    assert_eq!(once, twice);
    let a = aslc_dsl::compile(text, FileId(0)).node.expect("tree");
    let b = aslc_dsl::compile(&once, FileId(0)).node.expect("tree");
    assert!(aslc_dsl::same(&a, &b));
}
