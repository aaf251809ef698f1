//! The registry of every rule aslc reports: code, level, one-line summary, documentation
//! and AWS's code for the same finding.
//!
//! Each module that reports diagnostics declares its rules with [`declare_rules!`], next to
//! the code that checks them; the doc comments become `aslc explain CODE` and the
//! generated reference in `docs/rules/`. Codes are the rule ids of the ASL reference
//! (`S-NEXT-EXISTS`, `R-ALL-LAST`, …): stable, never renumbered or reused.

/// How a rule reports by default.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Level {
    /// AWS rejects the definition.
    Error,
    /// Accepted by AWS, almost certainly a mistake.
    Warn,
    /// Advice.
    Info,
}

impl Level {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warn => "warning",
            Level::Info => "info",
        }
    }

    /// The diagnostic severity of this level.
    pub fn severity(self) -> aslc_source::Severity {
        match self {
            Level::Error => aslc_source::Severity::Error,
            Level::Warn => aslc_source::Severity::Warning,
            Level::Info => aslc_source::Severity::Info,
        }
    }
}

/// One rule.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// The stable code, e.g. `S-NEXT-EXISTS`.
    pub code: &'static str,
    /// Default level.
    pub level: Level,
    /// One line: what the rule requires.
    pub summary: &'static str,
    /// Markdown documentation: what it finds, why, an example, how to fix.
    pub doc: &'static str,
    /// AWS's `ValidateStateMachineDefinition` code for the same finding, if any.
    pub aws_code: Option<&'static str>,
    /// The spec file that defines the rule, or `aslc` for rules of aslc's own.
    pub spec: &'static str,
}

/// Declares rules: a `pub const` per code and a `RULES` table for the registry.
///
/// ```text
/// declare_rules! { @spec "structure.md";
///     /// Documentation (markdown) …
///     S_NEXT_EXISTS = "S-NEXT-EXISTS", Error, Some("MISSING_TRANSITION_TARGET"),
///         "every `Next` names a state of the same scope";
/// }
/// ```
macro_rules! declare_rules {
    ($( @spec $spec:literal; $( $(#[doc = $doc:literal])* $ident:ident = $code:literal, $level:ident, $aws:expr, $summary:literal; )* )*) => {
        $($(
            #[doc = concat!("Rule `", $code, "`: ", $summary, ".")]
            #[allow(dead_code)]
            pub const $ident: &str = $code;
        )*)*
        /// The rules declared in this module.
        pub(crate) const RULES: &[$crate::rules::Rule] = &[
            $($( $crate::rules::Rule {
                code: $code,
                level: $crate::rules::Level::$level,
                summary: $summary,
                doc: concat!($($doc, "\n"),*),
                aws_code: $aws,
                spec: $spec,
            }, )*)*
        ];
    };
}
pub(crate) use declare_rules;

/// Every rule, sorted by code.
pub fn all_rules() -> &'static [&'static Rule] {
    static RULES: std::sync::OnceLock<Vec<&'static Rule>> = std::sync::OnceLock::new();
    RULES.get_or_init(collect_rules)
}

fn collect_rules() -> Vec<&'static Rule> {
    let tables: &[&[Rule]] = &[
        crate::syntax_rules::RULES,
        crate::lower::RULES,
        crate::lower::state::RULES,
        crate::lower::choice::RULES,
        crate::lower::errors::RULES,
        crate::lower::template::RULES,
        crate::validate::graph::RULES,
        crate::validate::tasks::RULES,
        crate::validate::states::RULES,
        crate::validate::map::RULES,
        crate::validate::express::RULES,
        crate::validate::limits::RULES,
        crate::validate::paths::RULES,
        crate::validate::intrinsics::RULES,
        crate::validate::jsonata::RULES,
        crate::validate::context::RULES,
        crate::validate::literals::RULES,
        crate::validate::timestamps::RULES,
        crate::validate::variables::RULES,
    ];
    let mut rules: Vec<&'static Rule> = tables.iter().flat_map(|t| t.iter()).collect();
    rules.sort_by_key(|r| r.code);
    rules
}

/// The rule with code `code`.
pub fn rule(code: &str) -> Option<&'static Rule> {
    let rules = all_rules();
    match rules.binary_search_by(|r| r.code.cmp(code)) {
        Ok(i) => Some(rules[i]),
        Err(_) => rules.iter().copied().find(|r| r.code.eq_ignore_ascii_case(code)),
    }
}

/// Fills [`Diagnostic::aws`](aslc_source::Diagnostic::aws) from the registry for
/// diagnostics whose rule has an AWS code and that did not set one.
pub fn fill_aws_codes(diagnostics: &mut [aslc_source::Diagnostic]) {
    for diagnostic in diagnostics {
        if diagnostic.aws.is_none() {
            if let Some(aws_code) = rule(diagnostic.code).and_then(|r| r.aws_code) {
                diagnostic.aws = Some(aslc_source::AwsInfo { code: aws_code, message: None });
            }
        }
    }
}

/// The area word of each code prefix, for rule names (`S-NEXT-EXISTS` is `structure-next-exists`).
const AREAS: &[(&str, &str)] = &[
    ("S", "structure"),
    ("QL", "query-language"),
    ("ST", "state"),
    ("C", "choice"),
    ("P", "path"),
    ("PT", "payload"),
    ("CTX", "context"),
    ("I", "intrinsic"),
    ("J", "jsonata"),
    ("V", "variable"),
    ("R", "runtime"),
    ("L", "lint"),
    ("D", "dsl"),
    ("CFN", "template"),
];

impl Rule {
    /// The rule's kebab-case name: the area of its prefix followed by the rest of the code,
    /// e.g. `choice-no-default` for `C-NO-DEFAULT`. Derived from the code, so as stable as it.
    pub fn name(&self) -> String {
        let (prefix, rest) = self.code.split_once('-').unwrap_or(("", self.code));
        let area = AREAS.iter().find(|(p, _)| *p == prefix).map_or(prefix, |(_, area)| area);
        let mut name = area.to_ascii_lowercase();
        if !rest.is_empty() {
            name.push('-');
            name.push_str(&rest.to_ascii_lowercase());
        }
        name
    }

    /// The rule's documentation page in markdown, as `aslc explain` prints it and as
    /// `docs/rules/<CODE>.md` holds it.
    pub fn markdown(&self) -> String {
        let mut out = format!("# {}: {}\n\n", self.code, self.summary);
        out.push_str(&format!("Name: `{}`. ", self.name()));
        let level = self.level.as_str();
        if self.spec == "aslc" {
            out.push_str(&format!("Default level: {level}. An aslc rule, not in the ASL reference."));
        } else if self.code.starts_with("L-") {
            out.push_str(&format!(
                "Default level: {level}. An aslc lint, not in the ASL reference; background in `{}`.",
                self.spec
            ));
        } else {
            out.push_str(&format!("Default level: {level}. Defined in the ASL reference, `{}`.", self.spec));
        }
        if let Some(aws) = self.aws_code {
            out.push_str(&format!(" AWS reports it as `{aws}`."));
        }
        out.push_str("\n\n");
        // Doc comments keep the space after `///`.
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }
}
