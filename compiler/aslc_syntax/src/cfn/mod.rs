//! State machines embedded in CloudFormation and SAM templates.
//!
//! A template is a JSON/YAML tree with a `Resources` map. [`extract`] finds every
//! `AWS::StepFunctions::StateMachine` and `AWS::Serverless::StateMachine` resource and
//! says where its definition is:
//! - an inline `Definition` object: the tree itself, spans in the template;
//! - a `DefinitionString`: decoded, assembled by `Fn::Sub`/`Fn::Join` where used, parsed
//!   as JSON, and every span of the result (and of its diagnostics) moved back into the
//!   template through an [`OffsetMap`](crate::OffsetMap), so a problem in the definition
//!   points inside the template's string;
//! - a SAM `DefinitionUri` path: for the caller to load relative to the template, then
//!   pass through [`substitute`];
//! - an S3 location or a value computed at deployment: not checkable here.
//!
//! `${Name}` placeholders are replaced by their `DefinitionSubstitutions` value when the
//! template gives a literal; otherwise they stay `${Name}`, which the checker treats as an
//! opaque value.
//!
//! Codes reported here:
//! - [`CFN_DEFINITION_MISSING`] (error): a state machine resource has no definition.
//! - [`CFN_DEFINITION_CONFLICT`] (error): it has more than one (the first is used).
//! - [`CFN_DEFINITION_TYPE`] (error): the definition property has the wrong shape.
//! - [`CFN_DEFINITION_NOT_LOCAL`] (info): the definition is in S3 or computed at deployment.
//! - [`CFN_WORKFLOW_TYPE`] (error): the workflow type is not `STANDARD` or `EXPRESS`.
//! - [`CFN_DEFINITION_URI`] (warning, reported by the caller): a `DefinitionUri` file
//!   cannot be read.
//!
//! A `DefinitionString` that is not JSON is reported with the JSON reader's codes
//! (`S-JSON-SYNTAX`, …), located inside the template's string.

mod derive;
pub(crate) mod mapped;

use aslc_source::{Diagnostic, FileId, Severity, TextRange};

use crate::json;
use crate::node::{Member, Node, NodeValue, Str};

use derive::{is_intrinsic, literal_text, Deriver, Problem};
use mapped::{remap_diagnostic, remap_node};

/// Rule id of a state machine resource without `Definition`, `DefinitionString`,
/// `DefinitionS3Location` or (SAM) `DefinitionUri`: CloudFormation rejects it.
pub const CFN_DEFINITION_MISSING: &str = "CFN-DEFINITION-MISSING";
/// Rule id of a state machine resource giving its definition more than one way.
pub const CFN_DEFINITION_CONFLICT: &str = "CFN-DEFINITION-CONFLICT";
/// Rule id of a definition property of the wrong shape: a `Definition` that is not a map,
/// a `DefinitionString` that is not a string (or a well-formed `Fn::Sub`/`Fn::Join`), a
/// `DefinitionUri` that is neither a path nor an S3 location.
pub const CFN_DEFINITION_TYPE: &str = "CFN-DEFINITION-TYPE";
/// Rule id (info) of a definition aslc cannot check locally: stored in S3, or computed by
/// an intrinsic function at deployment.
pub const CFN_DEFINITION_NOT_LOCAL: &str = "CFN-DEFINITION-NOT-LOCAL";
/// Rule id of a `DefinitionUri` file that cannot be read (reported by whoever loads it).
pub const CFN_DEFINITION_URI: &str = "CFN-DEFINITION-URI";
/// Rule id of a `StateMachineType` (or SAM `Type`) other than `STANDARD` or `EXPRESS`.
pub const CFN_WORKFLOW_TYPE: &str = "CFN-WORKFLOW-TYPE";

/// The state machines found in a template.
#[derive(Debug, Default)]
pub struct Template {
    /// One entry per state machine resource, in template order.
    pub state_machines: Vec<StateMachineSource>,
    /// Problems with the resources and their `DefinitionString`s.
    pub diagnostics: Vec<Diagnostic>,
}

/// The resource type declaring a state machine.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ResourceKind {
    /// `AWS::StepFunctions::StateMachine`.
    StepFunctions,
    /// `AWS::Serverless::StateMachine` (SAM).
    Serverless,
}

impl ResourceKind {
    /// The CloudFormation resource type.
    pub fn type_name(self) -> &'static str {
        match self {
            ResourceKind::StepFunctions => "AWS::StepFunctions::StateMachine",
            ResourceKind::Serverless => "AWS::Serverless::StateMachine",
        }
    }
}

/// The workflow type a resource declares.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum WorkflowType {
    /// `STANDARD`.
    Standard,
    /// `EXPRESS`.
    Express,
}

/// One `DefinitionSubstitutions` entry.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Substitution {
    /// The placeholder name, as in `${Name}`.
    pub name: String,
    /// The text substituted, when the template gives a literal (a string, number or
    /// boolean); `None` when it is computed at deployment (`!GetAtt`, `!Ref`, …).
    pub value: Option<String>,
    /// The value's range in the template.
    pub range: TextRange,
}

/// Where a state machine's definition is.
#[derive(Clone, Debug)]
pub enum DefinitionSource {
    /// The definition tree, spans in the template (substitutions applied).
    Inline(Node),
    /// A SAM `DefinitionUri` path relative to the template's folder, and the range of the
    /// path in the template. Load it, parse it, then apply [`substitute`].
    Uri(String, TextRange),
    /// No definition aslc can check here, and why; a diagnostic says where.
    NotLocal(String),
}

/// A state machine resource of a template.
#[derive(Clone, Debug)]
pub struct StateMachineSource {
    /// The resource's logical id.
    pub logical_id: String,
    /// The logical id's range.
    pub logical_id_range: TextRange,
    /// The resource type.
    pub kind: ResourceKind,
    /// The definition.
    pub definition: DefinitionSource,
    /// `DefinitionSubstitutions`, in template order.
    pub substitutions: Vec<Substitution>,
    /// `StateMachineType` (or SAM `Type`) when given as a literal.
    pub workflow_type: Option<WorkflowType>,
    /// The whole resource.
    pub range: TextRange,
}

/// Whether `root` is a CloudFormation/SAM template: a map whose `Resources` map holds at
/// least one resource with a string `Type`.
pub fn is_template(root: &Node) -> bool {
    root.get("Resources").and_then(Node::as_object).is_some_and(|resources| {
        resources.iter().any(|r| r.value.get("Type").and_then(Node::as_str).is_some())
    })
}

/// Finds the state machines of a template; `text` is the template's source.
pub fn extract(root: &Node, text: &str, file: FileId) -> Template {
    let mut template = Template::default();
    let Some(resources) = root.get("Resources").and_then(Node::as_object) else {
        return template;
    };
    for resource in resources {
        let kind = match resource.value.get("Type").and_then(Node::as_str) {
            Some("AWS::StepFunctions::StateMachine") => ResourceKind::StepFunctions,
            Some("AWS::Serverless::StateMachine") => ResourceKind::Serverless,
            _ => continue,
        };
        let machine =
            Extractor { text, file, diagnostics: &mut template.diagnostics }.resource(resource, kind);
        template.state_machines.push(machine);
    }
    template
}

/// Replaces the `${Name}` placeholders of every string and key of `node` whose
/// substitution has a literal value. A changed string keeps its node's range (the
/// substituted text maps to the whole string) and is no longer verbatim.
pub fn substitute(node: &Node, substitutions: &[Substitution]) -> Node {
    if substitutions.iter().all(|s| s.value.is_none()) {
        return node.clone();
    }
    substitute_node(node, substitutions)
}

fn substitute_node(node: &Node, substitutions: &[Substitution]) -> Node {
    let value = match &node.value {
        NodeValue::String(s) => NodeValue::String(substitute_str(s, substitutions)),
        NodeValue::Array(items) => {
            NodeValue::Array(items.iter().map(|item| substitute_node(item, substitutions)).collect())
        }
        NodeValue::Object(members) => NodeValue::Object(
            members
                .iter()
                .map(|m| Member {
                    key: substitute_str(&m.key, substitutions),
                    key_range: m.key_range,
                    value: substitute_node(&m.value, substitutions),
                })
                .collect(),
        ),
        other => other.clone(),
    };
    Node::new(node.range, value)
}

fn substitute_str(s: &Str, substitutions: &[Substitution]) -> Str {
    if !s.text.contains("${") {
        return s.clone();
    }
    let mut out = String::with_capacity(s.text.len());
    let mut rest: &str = &s.text;
    let mut changed = false;
    while let Some(open) = rest.find("${") {
        let Some(close) = rest[open + 2..].find('}').map(|i| open + 2 + i) else {
            break;
        };
        let name = &rest[open + 2..close];
        match substitutions.iter().find(|sub| sub.name == name).and_then(|sub| sub.value.as_deref()) {
            Some(value) => {
                out.push_str(&rest[..open]);
                out.push_str(value);
                changed = true;
            }
            None => out.push_str(&rest[..=close]),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    if changed {
        Str::synthetic(out)
    } else {
        s.clone()
    }
}

struct Extractor<'a> {
    text: &'a str,
    file: FileId,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Extractor<'_> {
    fn resource(&mut self, resource: &Member, kind: ResourceKind) -> StateMachineSource {
        let properties = resource.value.get("Properties");
        let substitutions = properties.map(substitutions).unwrap_or_default();
        let type_key = match kind {
            ResourceKind::StepFunctions => "StateMachineType",
            ResourceKind::Serverless => "Type",
        };
        let workflow_type = properties.and_then(|p| p.member(type_key)).and_then(|m| self.workflow_type(m));
        let definition = self.definition(resource, properties, kind, &substitutions);
        StateMachineSource {
            logical_id: resource.key.text.to_string(),
            logical_id_range: resource.key_range,
            kind,
            definition,
            substitutions,
            workflow_type,
            range: resource.value.range,
        }
    }

    fn workflow_type(&mut self, member: &Member) -> Option<WorkflowType> {
        match member.value.as_str()? {
            "STANDARD" => Some(WorkflowType::Standard),
            "EXPRESS" => Some(WorkflowType::Express),
            other => {
                let diagnostic = Diagnostic::error(
                    CFN_WORKFLOW_TYPE,
                    self.file,
                    member.value.range,
                    format!("`{}` must be `STANDARD` or `EXPRESS`, not `{other}`", member.key.text),
                )
                .with_label("unknown workflow type")
                .with_help("write `STANDARD` or `EXPRESS` (upper case)");
                self.diagnostics.push(diagnostic);
                None
            }
        }
    }

    fn definition(
        &mut self,
        resource: &Member,
        properties: Option<&Node>,
        kind: ResourceKind,
        substitutions: &[Substitution],
    ) -> DefinitionSource {
        let keys: &[&str] = match kind {
            ResourceKind::StepFunctions => &["Definition", "DefinitionString", "DefinitionS3Location"],
            ResourceKind::Serverless => &["Definition", "DefinitionUri"],
        };
        let given: Vec<&Member> =
            keys.iter().filter_map(|key| properties.and_then(|p| p.member(key))).collect();
        let Some(&first) = given.first() else {
            let names: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
            let diagnostic = Diagnostic::error(
                CFN_DEFINITION_MISSING,
                self.file,
                resource.key_range,
                format!("the state machine `{}` has no definition", resource.key.text),
            )
            .with_label(format!("this `{}` resource has no definition", kind.type_name()))
            .with_help(format!("add one of {} to its `Properties`", names.join(", ")));
            self.diagnostics.push(diagnostic);
            return DefinitionSource::NotLocal("the resource has no definition".to_string());
        };
        for other in &given[1..] {
            let diagnostic = Diagnostic::error(
                CFN_DEFINITION_CONFLICT,
                self.file,
                other.key_range,
                format!("`{}` and `{}` are both given", first.key.text, other.key.text),
            )
            .with_label("a second definition")
            .with_secondary(self.file, first.key_range, "the definition aslc checks")
            .with_help("give the definition one way only");
            self.diagnostics.push(diagnostic);
        }
        match &*first.key.text {
            "Definition" => self.inline(first, substitutions),
            "DefinitionString" => self.definition_string(first, substitutions),
            "DefinitionUri" => self.definition_uri(first),
            _ => self.not_local(first.key_range, "the definition is stored in S3 (`DefinitionS3Location`)"),
        }
    }

    fn inline(&mut self, member: &Member, substitutions: &[Substitution]) -> DefinitionSource {
        let value = &member.value;
        match value.as_object() {
            Some([only]) if is_intrinsic(&only.key.text) => self.not_local(
                value.range,
                &format!("the `Definition` is computed by `{}` at deployment", only.key.text),
            ),
            Some(_) => DefinitionSource::Inline(substitute(value, substitutions)),
            None => self.malformed(value.range, "`Definition` must be a map holding the state machine"),
        }
    }

    fn definition_string(&mut self, member: &Member, substitutions: &[Substitution]) -> DefinitionSource {
        let deriver = Deriver { source: self.text, substitutions };
        let mapped = match deriver.definition_string(&member.value) {
            Ok(mapped) => mapped,
            Err(Problem::NotLocal { reason, range }) => return self.not_local(range, &reason),
            Err(Problem::Malformed { message, range }) => return self.malformed(range, &message),
        };
        let map = mapped.offset_map();
        let parsed = json::parse(&mapped.text, self.file);
        self.diagnostics.extend(parsed.diagnostics.into_iter().map(|d| remap_diagnostic(d, &map)));
        match parsed.node {
            Some(node) => DefinitionSource::Inline(remap_node(&node, &map)),
            None => DefinitionSource::NotLocal("the `DefinitionString` is not valid JSON".to_string()),
        }
    }

    fn definition_uri(&mut self, member: &Member) -> DefinitionSource {
        let value = &member.value;
        match &value.value {
            NodeValue::String(s) if s.text.starts_with("s3://") => {
                self.not_local(value.range, "the definition is stored in S3 (`DefinitionUri`)")
            }
            NodeValue::String(s) => DefinitionSource::Uri(s.text.to_string(), value.range),
            NodeValue::Object(members) if members.len() == 1 && is_intrinsic(&members[0].key.text) => self
                .not_local(
                    value.range,
                    &format!("the `DefinitionUri` is computed by `{}` at deployment", members[0].key.text),
                ),
            NodeValue::Object(_) => self.not_local(
                value.range,
                "the definition is stored in S3 (`DefinitionUri` with `Bucket` and `Key`)",
            ),
            _ => self.malformed(value.range, "`DefinitionUri` must be a file path or an S3 location"),
        }
    }

    fn not_local(&mut self, range: TextRange, reason: &str) -> DefinitionSource {
        let diagnostic = Diagnostic::new(
            CFN_DEFINITION_NOT_LOCAL,
            Severity::Info,
            self.file,
            range,
            "the definition is not checked",
        )
        .with_label(reason)
        .with_help("check the definition file itself, or write the definition inline");
        self.diagnostics.push(diagnostic);
        DefinitionSource::NotLocal(reason.to_string())
    }

    fn malformed(&mut self, range: TextRange, message: &str) -> DefinitionSource {
        let diagnostic = Diagnostic::error(CFN_DEFINITION_TYPE, self.file, range, message)
            .with_label("CloudFormation rejects this value")
            .with_help("give the state machine as a `Definition` map or a JSON `DefinitionString`");
        self.diagnostics.push(diagnostic);
        DefinitionSource::NotLocal(message.to_string())
    }
}

fn substitutions(properties: &Node) -> Vec<Substitution> {
    let Some(members) = properties.get("DefinitionSubstitutions").and_then(Node::as_object) else {
        return Vec::new();
    };
    members
        .iter()
        .map(|m| Substitution {
            name: m.key.text.to_string(),
            value: literal_text(&m.value),
            range: m.value.range,
        })
        .collect()
}
