//! The text of a `DefinitionString`: a string, or one assembled by `Fn::Sub` or
//! `Fn::Join`, with `${…}` placeholders resolved where the template gives their value.
//!
//! Resolution follows the order of deployment. CloudFormation evaluates `Fn::Sub` first:
//! `${Var}` takes the value of a `Fn::Sub` variable, `${!Name}` is the literal text
//! `${Name}`, and any other `${…}` (a parameter, a resource, `${AWS::Region}`) is only known
//! at deployment. Step Functions then replaces `${Name}` with its `DefinitionSubstitutions`
//! value. Whatever stays unknown is left as `${…}` text, which the checker treats as an
//! opaque value; an intrinsic function inside `Fn::Join` becomes such a placeholder too.
//! Every replaced piece maps to the source text it stands for.

use aslc_source::TextRange;

use super::mapped::{string_map, Mapped};
use super::Substitution;
use crate::node::{Node, NodeValue};

/// Why a `DefinitionString` has no text aslc can read.
pub(super) enum Problem {
    /// Its value is only known at deployment (`!Ref Param`, `!If`, …).
    NotLocal { reason: String, range: TextRange },
    /// It is not a string or a well-formed `Fn::Sub`/`Fn::Join`.
    Malformed { message: String, range: TextRange },
}

/// Where `${Name}` placeholders take their values.
enum Mode<'v> {
    /// A plain string: `DefinitionSubstitutions` only.
    Plain,
    /// A `Fn::Sub` string with its variables.
    Sub(&'v [Var]),
}

/// A `Fn::Sub` variable: its value when it is a literal.
struct Var {
    name: crate::Text,
    value: Option<String>,
}

pub(super) struct Deriver<'a> {
    pub(super) source: &'a str,
    pub(super) substitutions: &'a [Substitution],
}

impl Deriver<'_> {
    /// The text of a `DefinitionString` value.
    pub(super) fn definition_string(&self, node: &Node) -> Result<Mapped, Problem> {
        match &node.value {
            NodeValue::String(_) => Ok(self.expand(&string_map(self.source, node), &Mode::Plain)),
            NodeValue::Object(members) if members.len() == 1 => {
                let member = &members[0];
                match &*member.key.text {
                    "Fn::Sub" => self.sub(&member.value),
                    "Fn::Join" => self.join(&member.value),
                    name if is_intrinsic(name) => Err(Problem::NotLocal {
                        reason: format!("the `DefinitionString` is computed by `{name}` at deployment"),
                        range: node.range,
                    }),
                    _ => Err(malformed(node, "`DefinitionString` must be a string")),
                }
            }
            _ => Err(malformed(node, "`DefinitionString` must be a string")),
        }
    }

    fn sub(&self, argument: &Node) -> Result<Mapped, Problem> {
        match &argument.value {
            NodeValue::String(_) => Ok(self.expand(&string_map(self.source, argument), &Mode::Sub(&[]))),
            NodeValue::Array(items) => {
                let [template, variables] = items.as_slice() else {
                    return Err(malformed(
                        argument,
                        "`Fn::Sub` takes a string, or a string and a map of variables",
                    ));
                };
                if template.as_str().is_none() {
                    return Err(malformed(template, "the first argument of `Fn::Sub` must be a string"));
                }
                let Some(members) = variables.as_object() else {
                    return Err(malformed(
                        variables,
                        "the second argument of `Fn::Sub` must be a map of variables",
                    ));
                };
                let vars: Vec<Var> = members
                    .iter()
                    .map(|m| Var { name: m.key.text.clone(), value: literal_text(&m.value) })
                    .collect();
                Ok(self.expand(&string_map(self.source, template), &Mode::Sub(&vars)))
            }
            _ => Err(malformed(argument, "`Fn::Sub` takes a string, or a string and a map of variables")),
        }
    }

    fn join(&self, argument: &Node) -> Result<Mapped, Problem> {
        let Some([separator, parts]) =
            argument.as_array().and_then(|items| <&[Node; 2]>::try_from(items).ok())
        else {
            return Err(malformed(argument, "`Fn::Join` takes a separator and a list of values"));
        };
        if separator.as_str().is_none() {
            return Err(malformed(separator, "the separator of `Fn::Join` must be a string"));
        }
        let separator = string_map(self.source, separator);
        let Some(parts) = parts.as_array() else {
            return Err(Problem::NotLocal {
                reason: "the `DefinitionString` joins a list computed at deployment".to_string(),
                range: parts.range,
            });
        };
        let mut out = Mapped::default();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                out.push_slice(&separator, 0..separator.text.len());
            }
            let piece = self.part(part)?;
            out.push_slice(&piece, 0..piece.text.len());
        }
        Ok(out)
    }

    /// One value joined by `Fn::Join`.
    fn part(&self, part: &Node) -> Result<Mapped, Problem> {
        let mut out = Mapped::default();
        match &part.value {
            NodeValue::String(_) => return Ok(self.expand(&string_map(self.source, part), &Mode::Plain)),
            NodeValue::Number(text) => out.push_whole(text, part.range),
            NodeValue::Bool(b) => out.push_whole(if *b { "true" } else { "false" }, part.range),
            NodeValue::Object(members) if members.len() == 1 && is_intrinsic(&members[0].key.text) => {
                let member = &members[0];
                match &*member.key.text {
                    "Fn::Sub" => return self.sub(&member.value),
                    "Fn::Join" => return self.join(&member.value),
                    _ => out.push_whole(&placeholder(&member.key.text, &member.value), part.range),
                }
            }
            _ => return Err(malformed(part, "`Fn::Join` joins strings")),
        }
        Ok(out)
    }

    /// Resolves the `${…}` placeholders of `input` that the template gives a value.
    fn expand(&self, input: &Mapped, mode: &Mode<'_>) -> Mapped {
        let text = input.text.as_str();
        let mut out = Mapped::default();
        let mut copied = 0;
        let mut at = 0;
        while let Some(found) = text[at..].find("${") {
            let open = at + found;
            let Some(close) = text[open + 2..].find('}').map(|i| open + 2 + i) else {
                break;
            };
            let name = &text[open + 2..close];
            let value = match mode {
                Mode::Plain => self.substitution(name).map(str::to_string),
                Mode::Sub(vars) => match name.strip_prefix('!') {
                    // `${!Name}` is the literal `${Name}`, which Step Functions may substitute.
                    Some(literal) => Some(
                        self.substitution(literal).map_or_else(|| format!("${{{literal}}}"), str::to_string),
                    ),
                    None => vars.iter().find(|v| &*v.name == name).and_then(|v| v.value.clone()),
                },
            };
            if let Some(value) = value {
                out.push_slice(input, copied..open);
                let source = input.source_of(open..close + 1).unwrap_or_default();
                out.push_whole(&value, source);
                copied = close + 1;
            }
            at = close + 1;
        }
        out.push_slice(input, copied..text.len());
        out
    }

    fn substitution(&self, name: &str) -> Option<&str> {
        self.substitutions.iter().find(|s| s.name == name).and_then(|s| s.value.as_deref())
    }
}

/// Whether `key` names an intrinsic function (`Ref`, `Condition`, `Fn::…`).
pub(super) fn is_intrinsic(key: &str) -> bool {
    key == "Ref" || key == "Condition" || key.starts_with("Fn::")
}

/// The text of a literal value (string, number, boolean); `None` for anything computed.
pub(super) fn literal_text(node: &Node) -> Option<String> {
    match &node.value {
        NodeValue::String(s) => Some(s.text.to_string()),
        NodeValue::Number(text) => Some(text.to_string()),
        NodeValue::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The opaque `${…}` text standing for an intrinsic function's value: `${Name}` for
/// `Ref`, `${Resource.Attribute}` for `Fn::GetAtt` (the spelling `Fn::Sub` uses), and
/// `${Fn::Name}` for the others.
fn placeholder(function: &str, argument: &Node) -> String {
    match function {
        "Ref" => match argument.as_str() {
            Some(name) => format!("${{{name}}}"),
            None => "${Ref}".to_string(),
        },
        "Fn::GetAtt" => {
            let parts: Vec<&str> = match &argument.value {
                NodeValue::String(s) => vec![&s.text],
                NodeValue::Array(items) => items.iter().filter_map(Node::as_str).collect(),
                _ => Vec::new(),
            };
            if parts.is_empty() {
                "${Fn::GetAtt}".to_string()
            } else {
                format!("${{{}}}", parts.join("."))
            }
        }
        other => format!("${{{other}}}"),
    }
}

fn malformed(node: &Node, message: &str) -> Problem {
    Problem::Malformed { message: message.to_string(), range: node.range }
}
