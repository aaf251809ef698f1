//! Which lints run and how loudly: `select`/`ignore` selectors with prefix matching, per-rule
//! severity overrides and the workflow type, read from `aslc.toml` or built in code.

use std::fmt;

use aslc_ir::rules::Rule;
use aslc_ir::WorkflowType;
use aslc_source::{Diagnostic, Severity};

/// A configured severity for one rule.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RuleSeverity {
    /// Report as an error (fails `aslc check`).
    Error,
    /// Report as a warning.
    Warning,
    /// Report as advice.
    Info,
    /// Do not report.
    Off,
}

impl RuleSeverity {
    /// Reads `error`, `warning` (or `warn`), `info` or `off`.
    pub fn parse(text: &str) -> Option<RuleSeverity> {
        match text {
            "error" => Some(RuleSeverity::Error),
            "warning" | "warn" => Some(RuleSeverity::Warning),
            "info" => Some(RuleSeverity::Info),
            "off" => Some(RuleSeverity::Off),
            _ => None,
        }
    }

    fn severity(self) -> Option<Severity> {
        match self {
            RuleSeverity::Error => Some(Severity::Error),
            RuleSeverity::Warning => Some(Severity::Warning),
            RuleSeverity::Info => Some(Severity::Info),
            RuleSeverity::Off => None,
        }
    }
}

/// Lint selection and severities.
///
/// A selector is `ALL`, a whole code, or a prefix of codes that ends where a code has a `-`
/// (`R-EXP` selects `R-EXP-WAIT` but not `R-EXPORT`; `R-EXP-` works too). When a code
/// matches both a `select` and an `ignore` selector, the longer one wins, and `ignore` wins
/// a tie. With no `select`, every rule that is on by default runs; opt-in rules run only
/// when a `select` selector matches them.
#[derive(Clone, PartialEq, Debug, Default)]
pub struct LintConfig {
    /// Selectors of the rules to run; empty for the default set.
    pub select: Vec<String>,
    /// Selectors of rules not to run.
    pub ignore: Vec<String>,
    /// Severity overrides by selector; the most specific selector of a code applies.
    pub severity: Vec<(String, RuleSeverity)>,
    /// Standard or Express, from `workflow-type`: the CLI passes it on to the checker,
    /// whose Express rules (`R-EXP-…`) depend on it.
    pub workflow_type: WorkflowType,
}

/// A problem in a configuration file.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ConfigError {
    /// What is wrong, lower case, quoting the key or value.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

fn error(message: impl Into<String>) -> ConfigError {
    ConfigError { message: message.into() }
}

/// How specifically `selector` matches `code`: `None` when it does not, else the length of
/// the matched prefix (`ALL` matches everything with length 0).
fn specificity(selector: &str, code: &str) -> Option<usize> {
    if selector == "ALL" {
        return Some(0);
    }
    if !code.starts_with(selector) {
        return None;
    }
    let rest = &code[selector.len()..];
    let at_boundary = rest.is_empty() || selector.ends_with('-') || rest.starts_with('-');
    at_boundary.then_some(selector.len())
}

fn best(selectors: &[String], code: &str) -> Option<usize> {
    selectors.iter().filter_map(|s| specificity(s, code)).max()
}

impl LintConfig {
    /// The default configuration for a workflow type.
    pub fn for_workflow(workflow_type: WorkflowType) -> LintConfig {
        LintConfig { workflow_type, ..LintConfig::default() }
    }

    /// Whether the rule `code` runs; `default_enabled` is whether it runs unselected.
    pub fn is_enabled(&self, code: &str, default_enabled: bool) -> bool {
        let selected = best(&self.select, code);
        let ignored = best(&self.ignore, code);
        let on = match selected {
            Some(_) => true,
            None => self.select.is_empty() && default_enabled,
        };
        match (on, selected, ignored) {
            (false, _, _) => false,
            (true, _, None) => true,
            (true, Some(s), Some(i)) => s > i,
            (true, None, Some(_)) => false,
        }
    }

    /// The severity `code` reports with: the most specific override, else `default`;
    /// `None` when it is turned off.
    pub fn severity_of(&self, code: &str, default: Severity) -> Option<Severity> {
        let chosen = self
            .severity
            .iter()
            .filter_map(|(selector, severity)| specificity(selector, code).map(|n| (n, *severity)))
            .max_by_key(|(n, _)| *n);
        match chosen {
            Some((_, severity)) => severity.severity(),
            None => Some(default),
        }
    }

    /// Applies `ignore` and the severity overrides to diagnostics of other checkers (the
    /// validation warnings of `aslc_ir`). Error-level diagnostics are kept as they are:
    /// AWS rejects those definitions whatever the configuration says.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain_mut(|d| {
            if d.severity == Severity::Error {
                return true;
            }
            if best(&self.ignore, d.code).is_some()
                && best(&self.select, d.code) <= best(&self.ignore, d.code)
            {
                return false;
            }
            match self.severity_of(d.code, d.severity) {
                Some(severity) => {
                    d.severity = severity;
                    true
                }
                None => false,
            }
        });
    }

    /// Whether the configuration names rules at all (`select`, `ignore` or a severity): only
    /// then is there something for [`LintConfig::validate`] to check.
    pub fn names_rules(&self) -> bool {
        !self.select.is_empty() || !self.ignore.is_empty() || !self.severity.is_empty()
    }

    /// Checks that every selector matches at least one of `rules` (a typo would otherwise
    /// silently select nothing).
    pub fn validate(&self, rules: &[&Rule]) -> Result<(), ConfigError> {
        let selectors = self.select.iter().chain(&self.ignore).chain(self.severity.iter().map(|(s, _)| s));
        for selector in selectors {
            if !rules.iter().any(|rule| specificity(selector, rule.code).is_some()) {
                return Err(error(format!("`{selector}` matches no rule code")));
            }
        }
        Ok(())
    }

    /// Reads the `[lint]` table of an `aslc.toml`, or the `[tool.aslc.lint]` table of a
    /// file that hosts the configuration of several tools. A file with neither gives the
    /// default configuration. Selectors are checked against the lints and the validation
    /// rules.
    pub fn from_toml(text: &str) -> Result<LintConfig, ConfigError> {
        let table: toml::Table =
            text.parse().map_err(|e: toml::de::Error| error(e.message().to_lowercase()))?;
        let lint = match table.get("tool").and_then(|t| t.get("aslc")) {
            Some(aslc) => aslc.get("lint"),
            None => table.get("lint"),
        };
        let mut config = LintConfig::default();
        let Some(lint) = lint else {
            return Ok(config);
        };
        let lint = lint.as_table().ok_or_else(|| error("`lint` must be a table"))?;
        for (key, value) in lint {
            match key.as_str() {
                "select" => config.select = string_list(key, value)?,
                "ignore" => config.ignore = string_list(key, value)?,
                "workflow-type" => {
                    config.workflow_type = match value.as_str() {
                        Some("standard" | "STANDARD") => WorkflowType::Standard,
                        Some("express" | "EXPRESS") => WorkflowType::Express,
                        _ => return Err(error("`workflow-type` must be \"standard\" or \"express\"")),
                    }
                }
                "severity" => {
                    let table = value.as_table().ok_or_else(|| error("`lint.severity` must be a table"))?;
                    for (code, level) in table {
                        let severity = level.as_str().and_then(RuleSeverity::parse).ok_or_else(|| {
                            error(format!(
                                "the severity of `{code}` must be \"error\", \"warning\", \"info\" or \"off\""
                            ))
                        })?;
                        config.severity.push((code.clone(), severity));
                    }
                }
                other => return Err(error(format!("unknown key `lint.{other}`"))),
            }
        }
        let mut rules: Vec<&Rule> = crate::all_rules();
        rules.extend(aslc_ir::rules::all_rules().iter().copied());
        config.validate(&rules)?;
        Ok(config)
    }
}

fn string_list(key: &str, value: &toml::Value) -> Result<Vec<String>, ConfigError> {
    let items = value.as_array().ok_or_else(|| error(format!("`lint.{key}` must be an array of strings")))?;
    items
        .iter()
        .map(|item| {
            item.as_str()
                .map(str::to_string)
                .ok_or_else(|| error(format!("`lint.{key}` must be an array of strings")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(select: &[&str], ignore: &[&str]) -> LintConfig {
        LintConfig {
            select: select.iter().map(|s| s.to_string()).collect(),
            ignore: ignore.iter().map(|s| s.to_string()).collect(),
            ..LintConfig::default()
        }
    }

    #[test]
    fn prefixes_stop_at_dashes() {
        assert_eq!(specificity("R-EXP", "R-EXP-WAIT"), Some(5));
        assert_eq!(specificity("R-EXP-", "R-EXP-WAIT"), Some(6));
        assert_eq!(specificity("R-EX", "R-EXP-WAIT"), None);
        assert_eq!(specificity("R-EXP-WAIT", "R-EXP-WAIT"), Some(10));
        assert_eq!(specificity("ALL", "S-NO-EXIT"), Some(0));
    }

    #[test]
    fn the_most_specific_selector_wins() {
        let c = config(&["R"], &["R-EXP"]);
        assert!(c.is_enabled("R-RETRY-LAMBDA", true));
        assert!(!c.is_enabled("R-EXP-WAIT", true));
        let c = config(&["R-EXP-WAIT"], &["R-EXP"]);
        assert!(c.is_enabled("R-EXP-WAIT", true));
        assert!(!c.is_enabled("R-EXP-TIMEOUT", true));
        let c = config(&["S-NO-EXIT"], &["S-NO-EXIT"]);
        assert!(!c.is_enabled("S-NO-EXIT", true));
    }

    #[test]
    fn opt_in_rules_need_a_selector() {
        assert!(!config(&[], &[]).is_enabled("L-ERROR-ESCAPES", false));
        assert!(config(&["ALL"], &[]).is_enabled("L-ERROR-ESCAPES", false));
        assert!(config(&[], &[]).is_enabled("S-NO-EXIT", true));
        assert!(!config(&["C"], &[]).is_enabled("S-NO-EXIT", true));
    }

    #[test]
    fn reads_toml() {
        let c = LintConfig::from_toml(
            "[lint]\nselect = [\"ALL\"]\nignore = [\"V\"]\nworkflow-type = \"express\"\n[lint.severity]\nS-NO-EXIT = \"error\"\nR-EXP = \"off\"\n",
        )
        .unwrap();
        assert_eq!(c.workflow_type, WorkflowType::Express);
        assert!(!c.is_enabled("V-UNUSED", true));
        assert_eq!(c.severity_of("S-NO-EXIT", Severity::Warning), Some(Severity::Error));
        assert_eq!(c.severity_of("R-EXP-WAIT", Severity::Warning), None);
        assert_eq!(c.severity_of("C-NO-DEFAULT", Severity::Warning), Some(Severity::Warning));

        let c = LintConfig::from_toml("[tool.aslc.lint]\nignore = [\"S-NO-EXIT\"]\n").unwrap();
        assert_eq!(c.ignore, vec!["S-NO-EXIT".to_string()]);
        assert!(LintConfig::from_toml("title = 1").unwrap().select.is_empty());
    }

    #[test]
    fn rejects_bad_toml() {
        let bad = [
            ("[lint]\nselect = \"ALL\"", "`lint.select` must be an array of strings"),
            ("[lint]\nselct = []", "unknown key `lint.selct`"),
            ("[lint]\nignore = [\"S-NO-EXI\"]", "`S-NO-EXI` matches no rule code"),
            (
                "[lint.severity]\nS-NO-EXIT = \"loud\"",
                "the severity of `S-NO-EXIT` must be \"error\", \"warning\", \"info\" or \"off\"",
            ),
            ("[lint]\nworkflow-type = 1", "`workflow-type` must be \"standard\" or \"express\""),
        ];
        for (text, message) in bad {
            assert_eq!(LintConfig::from_toml(text).unwrap_err().message, message, "{text}");
        }
        assert!(LintConfig::from_toml("[lint").is_err());
    }

    #[test]
    fn apply_keeps_errors_and_adjusts_warnings() {
        use aslc_source::{FileId, TextRange};
        let mut c = config(&[], &["ST-PASS-PARAMS-DEAD"]);
        c.severity.push(("S-END-TRUE".into(), RuleSeverity::Info));
        let range = TextRange::empty(0);
        let mut diagnostics = vec![
            Diagnostic::error("S-NEXT-EXISTS", FileId(0), range, "x"),
            Diagnostic::warning("ST-PASS-PARAMS-DEAD", FileId(0), range, "x"),
            Diagnostic::warning("S-END-TRUE", FileId(0), range, "x"),
        ];
        c.apply(&mut diagnostics);
        let got: Vec<(&str, Severity)> = diagnostics.iter().map(|d| (d.code, d.severity)).collect();
        assert_eq!(got, vec![("S-NEXT-EXISTS", Severity::Error), ("S-END-TRUE", Severity::Info)]);
    }
}
