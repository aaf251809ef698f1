//! The language server in a real editor: headless Neovim with `editors/nvim` opens ASL
//! JSON, YAML and DSL fixtures, and the diagnostics, hover text, completion items, goto
//! and rename results it receives from `aslc lsp` are checked. Neovim is installed with
//! `scripts/install-neovim` when missing; the test is skipped, loudly, only where that
//! fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::Scratch;

fn have_nvim() -> bool {
    Command::new("nvim")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn codes(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .map_or_else(Vec::new, |a| a.iter().map(|d| d["code"].as_str().unwrap_or("").to_string()).collect())
}

fn strings(list: &serde_json::Value) -> Vec<&str> {
    list.as_array().map_or_else(Vec::new, |a| a.iter().filter_map(|v| v.as_str()).collect())
}

#[test]
fn neovim_client() {
    if !have_nvim() {
        let _ = Command::new(root().join("scripts/install-neovim")).status();
    }
    if !have_nvim() {
        eprintln!("\n==========\nSKIPPED neovim_client: Neovim is not installed and scripts/install-neovim could not install it\n==========\n");
        return;
    }
    let scratch = Scratch::new("neovim");
    let fixtures = root().join("lsp/aslc_lsp/tests/fixtures");
    for name in ["order.asl.json", "order.asl.yaml", "order.asld"] {
        let text = std::fs::read_to_string(fixtures.join(name)).expect("fixture");
        scratch.write(name, &text);
    }
    let out = scratch.0.join("out.json");
    let mut child = Command::new("nvim")
        .args(["--headless", "-u", "NONE", "-i", "NONE", "-n", "-c"])
        .arg(format!("luafile {}", root().join("tests/nvim/run.lua").display()))
        .env("ASLC_BIN", env!("CARGO_BIN_EXE_aslc"))
        .env("ASLC_NVIM", root().join("editors/nvim"))
        .env("FIXTURES", &scratch.0)
        .env("OUT", &out)
        .env("XDG_CACHE_HOME", scratch.0.join("cache"))
        .env("XDG_STATE_HOME", scratch.0.join("state"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("nvim starts");
    let started = Instant::now();
    while child.try_wait().expect("waitable").is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("headless Neovim did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let text = std::fs::read_to_string(&out)
        .unwrap_or_else(|_| panic!("Neovim wrote no results to {}", out.display()));
    let results: serde_json::Value = serde_json::from_str(&text).expect("JSON results");
    check(&results, &scratch.0);
}

fn check(results: &serde_json::Value, _dir: &Path) {
    assert!(results.get("error").is_none(), "the Neovim script failed: {}", results["error"]);
    assert_eq!(results["json_filetype"], "json");
    assert_eq!(results["dsl_filetype"], "asld");

    let json = codes(&results["json_diagnostics"]);
    assert_eq!(json, ["R-RETRY-LAMBDA", "C-NO-DEFAULT", "S-UNUSED-NESTED"], "{results:#}");
    assert!(
        results["json_hover"].as_str().unwrap_or("").contains("**`Route`**: `Choice` state"),
        "{results:#}"
    );
    assert_eq!(strings(&results["json_completion"]), ["Validate", "Route", "Fanout", "Done", "Failed"]);
    // `Failed` is declared on line 24 (line 23 counted from 0).
    assert_eq!(results["json_definition"], 23);
    // The declaration and the one `Next` were renamed; no `Route` is left.
    assert_eq!(results["json_renamed"], 2, "{results:#}");
    assert_eq!(results["json_route_left"], 0);
    assert_eq!(results["json_rename_refused"]["error"], "a state named `Failed` already exists");

    assert_eq!(codes(&results["yaml_diagnostics"]), ["R-RETRY-LAMBDA", "C-NO-DEFAULT"], "{results:#}");
    assert!(results["yaml_hover"].as_str().unwrap_or("").contains("`Choice` state"), "{results:#}");
    assert_eq!(results["yaml_definition"], 20);

    assert_eq!(codes(&results["dsl_diagnostics"]), ["R-RETRY-LAMBDA", "R-RETRY-LAMBDA"], "{results:#}");
    assert_eq!(strings(&results["dsl_completion"]), ["Reserve", "Charge", "Done", "Failed"]);
    assert_eq!(results["dsl_definition"], 13);
}
