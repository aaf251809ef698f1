//! Checking one document: the same readers, template extraction, spec rules and lints as
//! `aslc check`, plus the state index every editor feature reads.
//!
//! A change is checked in proportion to what it touched, in three layers, each of which
//! falls back to doing the whole document when its conditions do not hold:
//! - **Reading** ([`crate::incremental`]): a JSON document is not read again from the
//!   start; the object or array that encloses the edit is re-read and the rest of the
//!   previous tree is reused, moved in place. That gives exactly the tree a full read gives.
//! - **Checking** (`checked.rs`): a definition file keeps its IR and its diagnostics
//!   split per state. After an edit strictly inside the object of a state that holds no
//!   scope, that state alone is lowered and checked again, the spans of the rest of the IR
//!   and of the kept diagnostics are moved, and only the rules that relate states run over
//!   the whole definition (with the data-flow analysis kept when the edit cannot change it).
//! - **Indexing** (`StateIndex::update`): the state index of such an edit is moved and
//!   the edited state's entry replaced.
//!
//! The checks are kept from a document's first edit on, so a document only opened costs
//! its tree and index in memory. Templates, YAML and the DSL are read and checked whole.
//! The result is always what a check from scratch gives, in the same order (diagnostics
//! are sorted by position, code and text); randomised edit tests over generated and corpus
//! definitions compare the two, and both with `aslc_lints::check`.
//!
//! What a one-character edit costs on a 1 MiB chain of 6,150 states (callgrind, the
//! `analyze_after` call): about 22 million instructions, of which 5 million move the tree
//! and 3 million the IR, and most of the rest run the rules that relate states (names and
//! transitions, the graph, variables); re-reading and checking the whole definition cost
//! 137 million. `cargo bench -p aslc_lsp` measures the time from `didChange` to
//! `publishDiagnostics`: about 5 ms on a busy two-core machine.

use std::sync::Arc;

use aslc_ir::{CheckOptions, WorkflowType};
use aslc_lints::LintConfig;
use aslc_source::{Diagnostic, FileId, Severity, TextRange};
use aslc_syntax::cfn::{self, DefinitionSource};
use aslc_syntax::Node;

use crate::checked::{Checked, Edited};
use crate::document::{Language, Snapshot};
use crate::incremental;
use crate::incremental::Change;
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
    /// The checks kept for the next edit (definition files only).
    checked: Option<Checked>,
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
    /// For a JSON document that could be read: the text and what the reader reported, so
    /// the next version can re-read only what changed.
    source: Option<Source>,
    /// Whether the checks were updated from the previous version's rather than run anew.
    rechecked: bool,
}

/// A JSON text and its reader's diagnostics (the tree is the analysis's).
#[derive(Debug)]
struct Source {
    text: Arc<str>,
    diagnostics: Vec<Diagnostic>,
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

impl Analysis {
    /// The JSON text analysed and its reader's diagnostics, when it could be read.
    #[cfg(test)]
    pub(crate) fn source_text(&self) -> Option<(&str, &[Diagnostic])> {
        self.source.as_ref().map(|s| (&*s.text, &s.diagnostics[..]))
    }

    /// Whether the checks were updated from the previous version's, re-checking only the
    /// state an edit was inside, rather than run anew.
    pub fn rechecked(&self) -> bool {
        self.rechecked
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
    analyze_after(None, snapshot, config).0
}

/// Checks one snapshot, re-reading only the part of the text that changed since the one
/// `previous` analysed, where that is possible; the result is the same as [`analyze`]'s.
/// When `previous` is the only reference to its analysis, its tree is reused in place
/// rather than copied. Returns the analysis and `previous` unless its tree was used up.
pub fn analyze_after(
    previous: Option<Arc<Analysis>>,
    snapshot: &Snapshot,
    config: &LintConfig,
) -> (Analysis, Option<Arc<Analysis>>) {
    let text = &*snapshot.text;
    // The checks are kept for the next version from a document's first edit on: a
    // document only opened costs its tree and index, not its IR and diagnostics per state.
    let keep_checks = previous.is_some();
    let plan = previous.as_deref().filter(|_| snapshot.language == Language::Json).and_then(|previous| {
        let source = previous.source.as_ref()?;
        incremental::Reread::plan(&source.text, previous.tree()?, text)
    });
    let change = plan.as_ref().map(incremental::Reread::change);
    let (reread, kept, previous) = match (plan, previous) {
        (Some(plan), Some(previous)) => reread(plan, previous),
        (_, previous) => (None, Kept::default(), previous),
    };
    let (root, mut diagnostics) = match reread {
        Some((root, diagnostics)) => (Some(root), diagnostics),
        None => parse(text, snapshot.language),
    };
    let source = (snapshot.language == Language::Json && root.is_some())
        .then(|| Source { text: snapshot.text.clone(), diagnostics: diagnostics.clone() });
    let mut machines = Vec::new();
    let mut template_root = None;
    let mut rechecked = false;
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
                diagnostics.extend(Checked::new(&node, &options, config).1);
                let index = StateIndex::build(&node);
                machines.push(Machine {
                    name: Some(machine.logical_id),
                    name_range: Some(machine.logical_id_range),
                    node,
                    index,
                    workflow_type,
                    checked: None,
                });
            }
            template_root = Some(root);
        } else {
            let options = CheckOptions {
                workflow_type: config.workflow_type,
                source_chars: Some(text.chars().count()),
            };
            let (checked, found, edited) = check(&root, kept.checked, change, &options, config);
            rechecked = edited.is_some();
            diagnostics.extend(found);
            let updated = match (edited, kept.index) {
                (Some(edited), Some(mut index)) => {
                    index.update(&root, edited.key_range, edited.shift).then_some(index)
                }
                _ => None,
            };
            let index = updated.unwrap_or_else(|| StateIndex::build(&root));
            machines.push(Machine {
                name: None,
                name_range: None,
                node: root,
                index,
                workflow_type: config.workflow_type,
                checked: checked.filter(|_| keep_checks),
            });
        }
    }
    diagnostics.sort_by(order);
    let analysis = Analysis {
        version: snapshot.version,
        template: template_root,
        machines,
        diagnostics,
        source,
        rechecked,
    };
    (analysis, previous)
}

/// The order diagnostics are published in: by position and code, then by text, so that
/// the order does not depend on the order the rules ran in.
pub(crate) fn order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    (a.sort_key(), &a.message, &a.location, &a.help).cmp(&(b.sort_key(), &b.message, &b.location, &b.help))
}

/// Checks a definition file's tree: after an edit inside one state, from the checks `kept`
/// of the previous version where that is possible (the state re-checked is returned),
/// else from scratch.
fn check(
    root: &Node,
    kept: Option<Checked>,
    change: Option<Change>,
    options: &CheckOptions,
    config: &LintConfig,
) -> (Option<Checked>, Vec<Diagnostic>, Option<Edited>) {
    if let (Some(kept), Some(change)) = (kept, change) {
        if let Some((checked, diagnostics, edited)) = kept.update(root, change, options, config) {
            return (Some(checked), diagnostics, Some(edited));
        }
    }
    let (checked, diagnostics) = Checked::new(root, options, config);
    (checked, diagnostics, None)
}

/// What a definition file's analysis hands on to the next version's besides its tree.
#[derive(Default)]
struct Kept {
    checked: Option<Checked>,
    index: Option<StateIndex>,
}

/// A tree and its reader's diagnostics.
type Read = (Node, Vec<Diagnostic>);

/// The tree and reader diagnostics of a re-read text: moved out of `previous` when nothing
/// else holds it and it is a definition file, copied otherwise; the checks kept by the
/// previous version when they were moved too; and `previous` unless it was used up.
fn reread(plan: incremental::Reread, previous: Arc<Analysis>) -> (Option<Read>, Kept, Option<Arc<Analysis>>) {
    match Arc::try_unwrap(previous) {
        Ok(Analysis { template: None, mut machines, source: Some(source), .. }) if machines.len() == 1 => {
            // A definition file's one machine holds the file's tree.
            let machine = machines.swap_remove(0);
            let kept = Kept { checked: machine.checked, index: Some(machine.index) };
            (Some(plan.in_place(machine.node, source.diagnostics)), kept, None)
        }
        Ok(owned) => copy(plan, Arc::new(owned)),
        Err(shared) => copy(plan, shared),
    }
}

fn copy(plan: incremental::Reread, previous: Arc<Analysis>) -> (Option<Read>, Kept, Option<Arc<Analysis>>) {
    let reread = match (previous.tree(), &previous.source) {
        (Some(tree), Some(source)) => Some(plan.copying(tree, &source.diagnostics)),
        _ => None,
    };
    (reread, Kept::default(), Some(previous))
}
