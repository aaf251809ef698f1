//! Every rule aslc can report (spec rules, lints, DSL rules), one list for the server and the
//! CLI, and where each rule's page is: `codeDescription` links point at the page of the
//! running version.

use std::path::PathBuf;
use std::sync::OnceLock;

use aslc_ir::rules::Rule;

/// Every rule, sorted by code.
pub fn all_rules() -> &'static [&'static Rule] {
    static RULES: OnceLock<Vec<&'static Rule>> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut rules: Vec<&'static Rule> = aslc_ir::rules::all_rules().to_vec();
        rules.extend(aslc_lints::all_rules());
        rules.extend(aslc_dsl::all_rules());
        rules.sort_by_key(|r| r.code);
        rules.dedup_by_key(|r| r.code);
        rules
    })
}

/// The rule with code `code`.
pub fn rule(code: &str) -> Option<&'static Rule> {
    let rules = all_rules();
    rules.binary_search_by(|r| r.code.cmp(code)).ok().map(|i| rules[i])
}

/// Where rule pages are linked from diagnostics.
#[derive(Clone, Debug)]
pub enum RuleLinks {
    /// A URL template with `{code}` in it, from the client's settings.
    Template(String),
    /// A folder of `CODE.md` pages the server wrote (the output of `aslc explain CODE`).
    Folder(PathBuf),
    /// No links.
    None,
}

impl RuleLinks {
    /// Writes every rule page under `folder` (once per version) and links to them.
    pub fn write_pages(folder: PathBuf) -> RuleLinks {
        let marker = folder.join("README.md");
        if !marker.exists() {
            if std::fs::create_dir_all(&folder).is_err() {
                return RuleLinks::None;
            }
            for rule in all_rules() {
                if std::fs::write(folder.join(format!("{}.md", rule.code)), rule.markdown()).is_err() {
                    return RuleLinks::None;
                }
            }
            let index: String =
                all_rules().iter().map(|r| format!("- [{0}]({0}.md): {1}\n", r.code, r.summary)).collect();
            if std::fs::write(&marker, format!("# aslc rules\n\n{index}")).is_err() {
                return RuleLinks::None;
            }
        }
        RuleLinks::Folder(folder)
    }

    /// The default folder: the user's cache, per version.
    pub fn default_folder() -> Option<PathBuf> {
        let base = std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
        Some(base.join("aslc").join(env!("CARGO_PKG_VERSION")).join("rules"))
    }

    /// The link of rule `code`.
    pub fn url(&self, code: &str) -> Option<String> {
        match self {
            RuleLinks::Template(template) => Some(template.replace("{code}", code)),
            RuleLinks::Folder(folder) => {
                let path = folder.join(format!("{code}.md"));
                Some(format!("file://{}", path.display().to_string().replace(' ', "%20")))
            }
            RuleLinks::None => None,
        }
    }
}
