//! Helpers shared by the integration tests: running the `aslc` binary and finding the
//! shared reference material.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The `aslc` binary under test.
pub fn aslc() -> Command {
    Command::new(env!("CARGO_BIN_EXE_aslc"))
}

/// Runs `aslc` with `args` from the repository root, with no standard input.
pub fn run(args: &[&str]) -> Output {
    aslc()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("aslc runs")
}

/// Standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The shared reference folder next to the checkout, if present.
pub fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    dir.is_dir().then_some(dir)
}

/// Runs `aslc check --format json` on `paths` and returns the exit code and the parsed
/// diagnostics.
pub fn check_json(paths: &[&Path], extra_args: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let output: Output = aslc()
        .arg("check")
        .arg("--format")
        .arg("json")
        .args(extra_args)
        .args(paths)
        .stdin(Stdio::null())
        .output()
        .expect("the aslc binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|err| {
        panic!(
            "`aslc check --format json` printed invalid JSON ({err}):\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let diagnostics = value["diagnostics"].as_array().cloned().unwrap_or_default();
    (output.status.code().unwrap_or(-1), diagnostics)
}

/// The error-level diagnostics among `diagnostics`.
pub fn errors(diagnostics: &[serde_json::Value]) -> Vec<&serde_json::Value> {
    diagnostics.iter().filter(|d| d["severity"] == "error").collect()
}

/// One line per diagnostic, for failure messages.
pub fn describe(diagnostics: &[&serde_json::Value]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            format!(
                "  {}:{}:{} {} [{}] {} (at {})",
                d["file"].as_str().unwrap_or(""),
                d["line"],
                d["column"],
                d["severity"].as_str().unwrap_or(""),
                d["code"].as_str().unwrap_or(""),
                d["message"].as_str().unwrap_or(""),
                d["location"].as_str().unwrap_or("")
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A fresh directory for one test's files, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    /// Creates `aslc-<name>-<pid>` in the system's temporary directory.
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("aslc-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        Scratch(dir)
    }

    /// Writes `text` to `name` in the directory and returns its path.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, text).expect("a temporary file");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
