//! Round trip over the shared corpus (`../shared/corpus/real/`, `templates/` and
//! `feature-tests/`, JSON and YAML; every inline state machine of a template):
//! ASL → DSL → ASL gives the same JSON value, a second decompile is byte-identical, the
//! decompiler's verification fallback never fires, and nothing it puts in `raw` could be
//! a clause (`D-RAW-SUGAR`). One named test per definition.

use std::path::Path;

use aslc_source::FileId;
use libtest_mimic::{Arguments, Failed, Trial};

#[path = "support/corpus.rs"]
mod corpus;

fn round_trip(path: &Path) -> Result<(), Failed> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let parsed = if path.extension().is_some_and(|e| e == "json") {
        aslc_syntax::json::parse(&text, FileId(0))
    } else {
        aslc_syntax::yaml::parse(&text, FileId(0))
    };
    let Some(root) = parsed.node else {
        // Not JSON or YAML: nothing to round-trip (the readers' own tests cover it).
        return Ok(());
    };
    if aslc_syntax::cfn::is_template(&root) {
        let template = aslc_syntax::cfn::extract(&root, &text, FileId(0));
        for machine in template.state_machines {
            if let aslc_syntax::cfn::DefinitionSource::Inline(definition) = machine.definition {
                round_trip_definition(&definition)
                    .map_err(|e| format!("{}: {}", machine.logical_id, e.message().unwrap_or("")))?;
            }
        }
        return Ok(());
    }
    round_trip_definition(&root)
}

fn round_trip_definition(original: &aslc_syntax::Node) -> Result<(), Failed> {
    let original = original.clone();
    if original.as_object().is_none() {
        return Ok(());
    }
    let (dsl, stats) = aslc_dsl::decompile_with_stats(&original).ok_or("not an object")?;
    if stats.verification_fallbacks > 0 {
        return Err(
            format!("the verification fallback fired {} times\n{dsl}", stats.verification_fallbacks).into()
        );
    }
    let compiled = aslc_dsl::compile(&dsl, FileId(1));
    if compiled.has_errors() {
        return Err(
            format!("the decompiled text does not compile: {:#?}\n{dsl}", compiled.diagnostics).into()
        );
    }
    if let Some(d) = compiled.diagnostics.iter().find(|d| d.code == "D-RAW-SUGAR") {
        return Err(format!("the decompiler put what a clause says in `raw`: {}\n{dsl}", d.message).into());
    }
    let node = compiled.node.ok_or("no tree")?;
    if !aslc_dsl::same(&node, &original) {
        return Err(
            format!("ASL → DSL → ASL changed the definition\n{dsl}\n{}", aslc_dsl::print_asl(&node)).into()
        );
    }
    let again = aslc_dsl::decompile(&node).ok_or("not an object")?;
    if again != dsl {
        return Err(format!("a second decompile differs\n--- first\n{dsl}\n--- second\n{again}").into());
    }
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    let root = corpus::root();
    let files = corpus::files();
    assert!(
        files.len() > 600,
        "the shared corpus is missing: found {} definitions under {}",
        files.len(),
        root.display()
    );
    let trials = files
        .into_iter()
        .map(|path| {
            let name = path.strip_prefix(&root).unwrap_or(&path).display().to_string();
            Trial::test(name, move || round_trip(&path))
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
