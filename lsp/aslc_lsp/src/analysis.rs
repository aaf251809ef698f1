//! Checking one document: the same readers, template extraction, spec rules and lints as
//! `aslc check`, plus the state index every editor feature reads.
//!
//! A document is checked as a whole on every change; a 1 MiB definition takes a few
//! milliseconds, so there is no incremental reparse to keep in sync.

use aslc_ir::{CheckOptions, WorkflowType};
use aslc_lints::LintConfig;
use aslc_source::{Diagnostic, FileId, Severity, TextRange};
use aslc_syntax::cfn::{self, DefinitionSource};
use aslc_syntax::Node;

use crate::document::{Language, Snapshot};
use crate::index::StateIndex;

/// The one file of a document's analysis.
pub const FILE: FileId = FileId(0);

/// One state machine of a document.
#[derive(Debug)]
pub struct Machine {
    /// The template resource's logical id; `None` for a definition file.
    pub name: Option<String>,
    /// The logical id's range in a template.
    pub name_range: Option<TextRange>,
    /// The definition tree, spans in the document.
    pub node: Node,
    /// States, scopes and references.
    pub index: StateIndex,
    /// Standard or Express.
    pub workflow_type: WorkflowType,
}

/// Everything known about one version of a document.
#[derive(Debug)]
pub struct Analysis {
    /// The version analysed.
    pub version: i32,
    /// The template's tree, for a template (a definition's tree is its machine's).
    pub template: Option<Node>,
    /// Every state machine found.
    pub machines: Vec<Machine>,
    /// Syntax, spec and lint diagnostics, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    /// The tree of the whole file, when it could be read.
    pub fn tree(&self) -> Option<&Node> {
        self.template.as_ref().or_else(|| self.machines.first().map(|m| &m.node))
    }

    /// The machine whose definition contains `offset`.
    pub fn machine_at(&self, offset: u32) -> Option<&Machine> {
        self.machines.iter().find(|m| m.node.range.start() <= offset && offset <= m.node.range.end())
    }
}

/// Reads a document's text as its language says.
pub fn parse(text: &str, language: Language) -> (Option<Node>, Vec<Diagnostic>) {
    match language {
        Language::Json => {
            let parsed = aslc_syntax::json::parse(text, FILE);
            (parsed.node, parsed.diagnostics)
        }
        Language::Yaml => {
            let parsed = aslc_syntax::yaml::parse(text, FILE);
            (parsed.node, parsed.diagnostics)
        }
        Language::Dsl => {
            let compiled = aslc_dsl::compile(text, FILE);
            (compiled.node, compiled.diagnostics)
        }
    }
}

/// Checks one snapshot with the given lint configuration.
pub fn analyze(snapshot: &Snapshot, config: &LintConfig) -> Analysis {
    let text = &*snapshot.text;
    let (root, mut diagnostics) = parse(text, snapshot.language);
    let mut machines = Vec::new();
    let mut template_root = None;
    if let Some(root) = root {
        if snapshot.language != Language::Dsl && cfn::is_template(&root) {
            let template = cfn::extract(&root, text, FILE);
            let inline: Vec<TextRange> = template
                .state_machines
                .iter()
                .filter_map(|m| match &m.definition {
                    DefinitionSource::Inline(node) => Some(node.range),
                    _ => None,
                })
                .collect();
            // As `aslc check` does: a duplicate key outside every state machine is
            // CloudFormation's business, which keeps the last value.
            for diagnostic in &mut diagnostics {
                let range = diagnostic.primary.range;
                let inside = inline.iter().any(|r| r.start() <= range.start() && range.end() <= r.end());
                if diagnostic.code == aslc_syntax::S_JSON_DUPKEY && !inside {
                    diagnostic.severity = Severity::Warning;
                }
            }
            diagnostics.extend(template.diagnostics);
            for machine in template.state_machines {
                let workflow_type = match machine.workflow_type {
                    Some(cfn::WorkflowType::Express) => WorkflowType::Express,
                    _ => config.workflow_type,
                };
                // A `DefinitionUri` file is checked when it is opened itself.
                let DefinitionSource::Inline(node) = machine.definition else { continue };
                let options = CheckOptions { workflow_type, source_chars: None };
                diagnostics.extend(aslc_lints::check(&node, FILE, &options, config));
                let index = StateIndex::build(&node);
                machines.push(Machine {
                    name: Some(machine.logical_id),
                    name_range: Some(machine.logical_id_range),
                    node,
                    index,
                    workflow_type,
                });
            }
            template_root = Some(root);
        } else {
            let options = CheckOptions {
                workflow_type: config.workflow_type,
                source_chars: Some(text.chars().count()),
            };
            diagnostics.extend(aslc_lints::check(&root, FILE, &options, config));
            let index = StateIndex::build(&root);
            machines.push(Machine {
                name: None,
                name_range: None,
                node: root,
                index,
                workflow_type: config.workflow_type,
            });
        }
    }
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Analysis { version: snapshot.version, template: template_root, machines, diagnostics }
}
