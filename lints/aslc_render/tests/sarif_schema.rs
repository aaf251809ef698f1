//! The SARIF view against the SARIF 2.1.0 specification (OASIS, sarif-v2.1.0-os) and the
//! subset GitHub code scanning ingests: required properties, value types, enumerations,
//! ranges and cross-references, checked on logs made from varied diagnostics.

use aslc_render::{sarif_value, RuleMeta, SourceFiles, ToolInfo};
use aslc_source::{Diagnostic, FileId, Severity, TextRange};
use serde_json::{Map, Value};

/// Collects violations with the JSON path where they occur.
#[derive(Default)]
struct Checker {
    errors: Vec<String>,
}

impl Checker {
    fn fail(&mut self, path: &str, what: &str) {
        self.errors.push(format!("{path}: {what}"));
    }

    fn object<'v>(&mut self, value: &'v Value, path: &str) -> Option<&'v Map<String, Value>> {
        let object = value.as_object();
        if object.is_none() {
            self.fail(path, "expected an object");
        }
        object
    }

    fn required<'v>(&mut self, object: &'v Map<String, Value>, key: &str, path: &str) -> Option<&'v Value> {
        let value = object.get(key);
        if value.is_none() {
            self.fail(path, &format!("missing required `{key}`"));
        }
        value
    }

    fn non_empty_string(&mut self, value: Option<&Value>, path: &str) {
        match value.and_then(Value::as_str) {
            Some(text) if !text.is_empty() => {}
            _ => self.fail(path, "expected a non-empty string"),
        }
    }

    fn integer_at_least(&mut self, value: Option<&Value>, min: i64, path: &str) -> Option<i64> {
        match value.and_then(Value::as_i64) {
            Some(n) if n >= min => Some(n),
            _ => {
                self.fail(path, &format!("expected an integer >= {min}"));
                None
            }
        }
    }

    fn one_of(&mut self, value: Option<&Value>, allowed: &[&str], path: &str) {
        if !value.and_then(Value::as_str).is_some_and(|v| allowed.contains(&v)) {
            self.fail(path, &format!("expected one of {allowed:?}"));
        }
    }

    /// §3.11 message: `text` (or `id`) is required; GitHub needs `text`.
    fn message(&mut self, value: &Value, path: &str) {
        if let Some(message) = self.object(value, path) {
            self.non_empty_string(message.get("text"), &format!("{path}.text"));
        }
    }

    /// §3.4.3: a URI reference: no spaces, backslashes or other characters outside RFC 3986,
    /// and `%` only before two hex digits.
    fn uri_reference(&mut self, value: Option<&Value>, path: &str) {
        let Some(uri) = value.and_then(Value::as_str) else {
            self.fail(path, "expected a URI string");
            return;
        };
        let bytes = uri.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let byte = bytes[i];
            if byte == b'%' {
                let hex = bytes.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit));
                if !hex {
                    self.fail(path, &format!("bad percent-encoding in {uri:?}"));
                }
                i += 3;
                continue;
            }
            let allowed = byte.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&byte);
            if !allowed {
                self.fail(path, &format!("character {:?} not allowed in {uri:?}", char::from(byte)));
            }
            i += 1;
        }
        if uri.is_empty() {
            self.fail(path, "empty URI");
        }
    }

    /// §3.28 location with a §3.29 physicalLocation, §3.4 artifactLocation, §3.30 region.
    fn location(&mut self, value: &Value, path: &str, needs_id: bool) {
        let Some(location) = self.object(value, path) else { return };
        if needs_id {
            self.integer_at_least(location.get("id"), -1, &format!("{path}.id"));
        }
        if let Some(message) = location.get("message") {
            self.message(message, &format!("{path}.message"));
        }
        if let Some(logical) = location.get("logicalLocations") {
            for (i, item) in logical.as_array().into_iter().flatten().enumerate() {
                let path = format!("{path}.logicalLocations[{i}]");
                if let Some(item) = self.object(item, &path) {
                    self.non_empty_string(
                        item.get("fullyQualifiedName"),
                        &format!("{path}.fullyQualifiedName"),
                    );
                }
            }
        }
        let path = format!("{path}.physicalLocation");
        let Some(physical) = location.get("physicalLocation") else {
            self.fail(&path, "missing (GitHub needs it)");
            return;
        };
        let Some(physical) = self.object(physical, &path) else { return };
        if let Some(artifact) = self.required(physical, "artifactLocation", &path) {
            let path = format!("{path}.artifactLocation");
            if let Some(artifact) = self.object(artifact, &path) {
                self.uri_reference(artifact.get("uri"), &format!("{path}.uri"));
            }
        }
        let Some(region) = self.required(physical, "region", &path) else { return };
        let path = format!("{path}.region");
        let Some(region) = self.object(region, &path) else { return };
        let start_line = self.integer_at_least(region.get("startLine"), 1, &format!("{path}.startLine"));
        let start_column =
            self.integer_at_least(region.get("startColumn"), 1, &format!("{path}.startColumn"));
        let end_line = self.integer_at_least(region.get("endLine"), 1, &format!("{path}.endLine"));
        let end_column = self.integer_at_least(region.get("endColumn"), 1, &format!("{path}.endColumn"));
        // §3.30.5-8: the end does not precede the start.
        if let (Some(sl), Some(sc), Some(el), Some(ec)) = (start_line, start_column, end_line, end_column) {
            if (el, ec) < (sl, sc) {
                self.fail(&path, "region ends before it starts");
            }
        }
    }

    fn log(&mut self, log: &Value) {
        let Some(root) = self.object(log, "$") else { return };
        self.non_empty_string(root.get("$schema"), "$.$schema");
        if root.get("version").and_then(Value::as_str) != Some("2.1.0") {
            self.fail("$.version", "must be \"2.1.0\"");
        }
        let Some(runs) = self.required(root, "runs", "$").and_then(Value::as_array) else {
            self.fail("$.runs", "expected an array");
            return;
        };
        if runs.is_empty() {
            self.fail("$.runs", "GitHub needs at least one run");
        }
        for (r, run) in runs.iter().enumerate() {
            self.run(run, &format!("$.runs[{r}]"));
        }
    }

    fn run(&mut self, run: &Value, path: &str) {
        let Some(run) = self.object(run, path) else { return };
        self.one_of(
            run.get("columnKind"),
            &["utf16CodeUnits", "unicodeCodePoints"],
            &format!("{path}.columnKind"),
        );
        let Some(tool) = self.required(run, "tool", path) else { return };
        let Some(tool) = self.object(tool, &format!("{path}.tool")) else { return };
        let Some(driver) = self.required(tool, "driver", &format!("{path}.tool")) else { return };
        let driver_path = format!("{path}.tool.driver");
        let Some(driver) = self.object(driver, &driver_path) else { return };
        self.non_empty_string(driver.get("name"), &format!("{driver_path}.name"));
        if let Some(version) = driver.get("version") {
            self.non_empty_string(Some(version), &format!("{driver_path}.version"));
        }
        if let Some(uri) = driver.get("informationUri") {
            self.uri_reference(Some(uri), &format!("{driver_path}.informationUri"));
        }
        let rules = driver.get("rules").and_then(Value::as_array).cloned().unwrap_or_default();
        let mut ids = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            let path = format!("{driver_path}.rules[{i}]");
            let Some(rule) = self.object(rule, &path) else { continue };
            // §3.49.3: `id` is required.
            self.non_empty_string(rule.get("id"), &format!("{path}.id"));
            let id = rule.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
            if ids.contains(&id) {
                self.fail(&path, "duplicate rule id");
            }
            ids.push(id);
            for key in ["shortDescription", "fullDescription", "help"] {
                if let Some(text) = rule.get(key) {
                    self.message(text, &format!("{path}.{key}"));
                }
            }
            if let Some(uri) = rule.get("helpUri") {
                self.uri_reference(Some(uri), &format!("{path}.helpUri"));
            }
            if let Some(config) = rule.get("defaultConfiguration") {
                let path = format!("{path}.defaultConfiguration");
                if let Some(config) = self.object(config, &path) {
                    self.one_of(
                        config.get("level"),
                        &["none", "note", "warning", "error"],
                        &format!("{path}.level"),
                    );
                }
            }
        }
        let Some(results) = run.get("results").and_then(Value::as_array) else {
            self.fail(&format!("{path}.results"), "GitHub needs a results array");
            return;
        };
        for (i, result) in results.iter().enumerate() {
            self.result(result, &format!("{path}.results[{i}]"), &ids);
        }
    }

    fn result(&mut self, result: &Value, path: &str, rule_ids: &[String]) {
        let Some(result) = self.object(result, path) else { return };
        // §3.27.11: `message` is required.
        if let Some(message) = self.required(result, "message", path) {
            self.message(message, &format!("{path}.message"));
        }
        let rule_id = result.get("ruleId").and_then(Value::as_str);
        if rule_id.is_none() {
            self.fail(path, "missing `ruleId`");
        }
        // §3.27.6: `ruleIndex` refers to the rule with the same id.
        if let Some(index) = self.integer_at_least(result.get("ruleIndex"), -1, &format!("{path}.ruleIndex"))
        {
            let named = usize::try_from(index).ok().and_then(|index| rule_ids.get(index));
            if named.map(String::as_str) != rule_id {
                self.fail(path, "`ruleIndex` does not name the rule of `ruleId`");
            }
        }
        self.one_of(result.get("level"), &["none", "note", "warning", "error"], &format!("{path}.level"));
        match result.get("locations").and_then(Value::as_array) {
            Some(locations) if !locations.is_empty() && locations.len() <= 10 => {
                for (i, location) in locations.iter().enumerate() {
                    self.location(location, &format!("{path}.locations[{i}]"), false);
                }
            }
            _ => self.fail(&format!("{path}.locations"), "GitHub needs 1 to 10 locations"),
        }
        if let Some(related) = result.get("relatedLocations") {
            let mut ids = Vec::new();
            for (i, location) in related.as_array().into_iter().flatten().enumerate() {
                self.location(location, &format!("{path}.relatedLocations[{i}]"), true);
                let id = location.get("id").and_then(Value::as_i64);
                if ids.contains(&id) {
                    self.fail(path, "related location ids are not unique");
                }
                ids.push(id);
            }
        }
        if let Some(fingerprints) = result.get("partialFingerprints") {
            let values = fingerprints.as_object().map(|map| map.values().all(Value::is_string));
            if values != Some(true) {
                self.fail(path, "`partialFingerprints` must map to strings");
            }
        }
    }
}

fn check(log: &Value) {
    let mut checker = Checker::default();
    checker.log(log);
    assert!(checker.errors.is_empty(), "{}\n{log:#}", checker.errors.join("\n"));
}

fn rules(code: &str) -> Option<RuleMeta> {
    (code == "S-KNOWN").then(|| RuleMeta {
        name: "structure-known".to_owned(),
        summary: "a rule the registry knows".to_owned(),
        level: Severity::Warning,
        help_uri: Some("https://example.com/rules/S-KNOWN".to_owned()),
        help: Some("Markdown *documentation*.".to_owned()),
    })
}

const TOOL: ToolInfo<'static> = ToolInfo { version: "0.1.0", information_uri: "https://example.com/aslc" };

#[test]
fn logs_of_varied_diagnostics_follow_the_specification() {
    let text = "{\n  \"StartAt\": \"\u{e9}\",\r\n  \"States\": {}\n}";
    let mut files = SourceFiles::new();
    let file = files.add("dir with space/m\u{e9}.asl.json", text);
    let other = files.add("C:\\defs\\other.json", "[]");
    let stdin = files.add("<stdin>", "");
    let diagnostics = vec![
        Diagnostic::error("S-UNKNOWN", file, TextRange::new(14, 18), "an error")
            .with_label("here")
            .with_secondary(file, TextRange::new(22, 30), "")
            .with_secondary(other, TextRange::new(0, 2), "in another file")
            .with_help("fix it")
            .at("/StartAt"),
        Diagnostic::warning("S-KNOWN", file, TextRange::empty(u32::MAX), "past the end"),
        Diagnostic::new("S-KNOWN", Severity::Info, stdin, TextRange::empty(0), "in an empty text"),
        Diagnostic::error("S-NO-FILE", FileId(7), TextRange::new(3, 1), "in no file"),
    ];
    let log = sarif_value(&diagnostics, &files, TOOL, &rules);
    check(&log);

    // Sanity of the checker itself: a broken log is caught.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["ruleIndex"] = Value::from(1);
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    broken["runs"][0]["tool"]["driver"]["rules"][0].as_object_mut().map(|rule| rule.remove("id"));
    let mut checker = Checker::default();
    checker.log(&broken);
    for expected in [
        "$.runs[0].tool.driver.rules[0].id: expected a non-empty string",
        "$.runs[0].results[0]: `ruleIndex` does not name the rule of `ruleId`",
        "$.runs[0].results[0].locations[0].physicalLocation.region.startLine: expected an integer >= 1",
    ] {
        assert!(checker.errors.iter().any(|error| error == expected), "{expected} in {:?}", checker.errors);
    }
}

#[test]
fn an_empty_log_follows_the_specification() {
    let files = SourceFiles::new();
    let log = sarif_value(&[], &files, TOOL, &rules);
    check(&log);
    assert_eq!(log["runs"][0]["results"], Value::Array(Vec::new()));
    assert_eq!(log["runs"][0]["tool"]["driver"]["rules"], Value::Array(Vec::new()));
}

#[test]
fn rules_are_listed_once_with_their_registry_level() {
    let mut files = SourceFiles::new();
    let file = files.add("a.json", "[1, 2]");
    let diagnostics = vec![
        Diagnostic::error("S-KNOWN", file, TextRange::new(1, 2), "raised to an error"),
        Diagnostic::warning("S-KNOWN", file, TextRange::new(4, 5), "as registered"),
        Diagnostic::new("S-OTHER", Severity::Info, file, TextRange::new(0, 1), "unregistered"),
    ];
    let log = sarif_value(&diagnostics, &files, TOOL, &rules);
    check(&log);
    let rules = &log["runs"][0]["tool"]["driver"]["rules"];
    assert_eq!(rules.as_array().map(Vec::len), Some(2));
    assert_eq!(rules[0]["id"], "S-KNOWN");
    assert_eq!(rules[0]["defaultConfiguration"]["level"], "warning");
    assert_eq!(rules[1]["id"], "S-OTHER");
    assert_eq!(rules[1]["shortDescription"]["text"], "S-OTHER");
    assert_eq!(rules[1]["defaultConfiguration"]["level"], "note");
    let levels: Vec<&Value> =
        log["runs"][0]["results"].as_array().into_iter().flatten().map(|r| &r["level"]).collect();
    assert_eq!(levels, ["note", "error", "warning"]);
}
