//! Reading the members of an object once each, with typed accessors that report
//! wrong types.

use aslc_source::Diagnostic;
use aslc_syntax::{Member, Node, NodeValue};

use super::{Cx, DiagExt};
use crate::ir::{is_whole_placeholder, Dyn, Expr, Extra, Name, Number, Spanned, Text};
use crate::lower::S_FIELD_TYPE;
use crate::pointer::Pointer;

/// The members of one object, each taken at most once; what is left is reported or kept
/// as [`Extra`].
pub(crate) struct Fields<'n> {
    members: &'n [Member],
    /// Per member, its key and whether it was taken. The keys are read out of the tree once
    /// here: a state asks for each of the few dozen fields it may have, and every question
    /// compares against every key.
    keys: Vec<(&'n str, bool)>,
    /// Bit `n % 64` is set when some key is `n` bytes long: most fields asked for are
    /// absent, and most absent fields are answered by this word without reading a key.
    lengths: u64,
}

impl<'n> Fields<'n> {
    pub(crate) fn new(members: &'n [Member]) -> Fields<'n> {
        let keys: Vec<(&'n str, bool)> = members.iter().map(|m| (m.key.text.as_str(), false)).collect();
        let lengths = keys.iter().fold(0, |acc, (name, _)| acc | length_bit(name));
        Fields { members, keys, lengths }
    }

    /// Takes the first member named `key`.
    pub(crate) fn take(&mut self, key: &str) -> Option<&'n Member> {
        if self.lengths & length_bit(key) == 0 {
            return None;
        }
        let mut first = None;
        for (i, (name, used)) in self.keys.iter_mut().enumerate() {
            if *name == key {
                // Duplicates were reported by the reader; later ones are skipped with the
                // first.
                *used = true;
                first = first.or(Some(i));
            }
        }
        first.map(|i| &self.members[i])
    }

    /// Whether a member named `key` exists (taken or not).
    pub(crate) fn has(&self, key: &str) -> bool {
        self.lengths & length_bit(key) != 0 && self.keys.iter().any(|(name, _)| *name == key)
    }

    /// Marks a member as dealt with.
    pub(crate) fn mark(&mut self, member: &Member) {
        for (m, (_, used)) in self.members.iter().zip(&mut self.keys) {
            if std::ptr::eq(m, member) {
                *used = true;
            }
        }
    }

    /// The members not taken yet.
    pub(crate) fn remaining(&self) -> impl Iterator<Item = &'n Member> + '_ {
        self.members.iter().zip(&self.keys).filter(|(_, (_, used))| !*used).map(|(m, _)| m)
    }

    /// Takes every remaining member, as [`Extra`]s.
    pub(crate) fn into_extra(self) -> Vec<Extra> {
        self.remaining().map(extra).collect()
    }
}

/// The bit of [`Fields::lengths`] for a key of `key`'s length.
fn length_bit(key: &str) -> u64 {
    1 << (key.len() % 64)
}

/// Reports every member of `fields` not taken yet as an unknown field of `what` (e.g.
/// "a retrier"), suggesting the nearest of `known`, in AWS's `Field '<f>' is not supported`
/// form. The members stay in `fields` so they are kept as [`Extra`]s.
pub(crate) fn report_unknown(
    cx: &mut Cx,
    fields: &Fields,
    code: &'static str,
    pointer: impl Pointer,
    what: &str,
    known: &[&str],
) {
    for member in fields.remaining() {
        let key = &*member.key.text;
        cx.error(code, member.key_range, pointer, format!("unknown field `{key}` in {what}"))
            .label(format!("not a field of {what}"))
            .help(super::suggest_help(key, known, "remove it"))
            .aws("SCHEMA_VALIDATION_FAILED", format!("Field '{key}' is not supported"));
    }
}

/// A member kept as written.
pub(crate) fn extra(member: &Member) -> Extra {
    Extra { key: key_name(member), value: member.value.clone() }
}

/// The member's key with its range.
pub(crate) fn key_name(member: &Member) -> Name {
    Spanned::new(member.key.text.clone(), member.key_range)
}

/// Whether `node` stands for a value only known at deployment: a `${Name}` placeholder
/// string or a CloudFormation intrinsic object (`{"Ref": …}`, `{"Fn::GetAtt": …}`).
/// Such values are accepted wherever a value of any type is expected.
pub(crate) fn is_opaque(node: &Node) -> bool {
    match &node.value {
        NodeValue::String(s) => is_whole_placeholder(&s.text),
        NodeValue::Object(members) => {
            members.len() == 1 && {
                let key = &*members[0].key.text;
                key == "Ref" || key == "Condition" || key.starts_with("Fn::")
            }
        }
        _ => false,
    }
}

fn type_error(cx: &mut Cx, member: &Member, pointer: impl Pointer, expected: &str) {
    type_error_as(cx, S_FIELD_TYPE, member, pointer, expected);
}

fn type_error_as(cx: &mut Cx, code: &'static str, member: &Member, pointer: impl Pointer, expected: &str) {
    if is_opaque(&member.value) {
        return;
    }
    let found = member.value.type_name();
    let diagnostic = Diagnostic::error(
        code,
        cx.file,
        member.value.range,
        format!("`{}` must be {expected}, not {}", member.key.text, article(found)),
    )
    .with_label(format!("this is {}", article(found)))
    .with_help(format!("write `{}` as {expected}", member.key.text))
    .at(pointer);
    cx.push(diagnostic);
}

pub(crate) fn article(type_name: &str) -> String {
    match type_name {
        "object" | "array" | "integer" => format!("an {type_name}"),
        "null" => "`null`".to_string(),
        _ => format!("a {type_name}"),
    }
}

/// Reads a string field; reports and returns `None` for another type.
pub(crate) fn string(cx: &mut Cx, member: &Member, pointer: impl Pointer) -> Option<Name> {
    match &member.value.value {
        NodeValue::String(s) => Some(Spanned::new(s.text.clone(), member.value.range)),
        _ => {
            type_error(cx, member, pointer, "a string");
            None
        }
    }
}

/// Reads a boolean field.
pub(crate) fn boolean(cx: &mut Cx, member: &Member, pointer: impl Pointer) -> Option<Spanned<bool>> {
    match member.value.value {
        NodeValue::Bool(b) => Some(Spanned::new(b, member.value.range)),
        _ => {
            type_error(cx, member, pointer, "a boolean");
            None
        }
    }
}

/// Reads a number field.
pub(crate) fn number(cx: &mut Cx, member: &Member, pointer: impl Pointer) -> Option<Spanned<Number>> {
    match &member.value.value {
        NodeValue::Number(text) => Some(Spanned::new(Number::new(text.clone()), member.value.range)),
        NodeValue::String(s) if is_whole_placeholder(&s.text) => None,
        _ => {
            type_error(cx, member, pointer, "a number");
            None
        }
    }
}

/// Reads an object field, returning its node.
pub(crate) fn object<'n>(cx: &mut Cx, member: &'n Member, pointer: impl Pointer) -> Option<&'n Node> {
    match member.value.value {
        NodeValue::Object(_) => Some(&member.value),
        _ => {
            type_error(cx, member, pointer, "an object");
            None
        }
    }
}

/// Reads an array field, returning its elements.
pub(crate) fn array<'n>(cx: &mut Cx, member: &'n Member, pointer: impl Pointer) -> Option<&'n [Node]> {
    match &member.value.value {
        NodeValue::Array(items) => Some(items),
        _ => {
            type_error(cx, member, pointer, "an array");
            None
        }
    }
}

/// Reads a string that is code (a path), keeping what is needed to point inside it.
pub(crate) fn expr(cx: &mut Cx, member: &Member, pointer: impl Pointer) -> Option<Expr> {
    match Expr::jsonpath(&member.value) {
        Some(e) => Some(e),
        None => {
            type_error(cx, member, pointer, "a string");
            None
        }
    }
}

/// Whether `text` is a JSONata expression string (`{%` … `%}`), per jsonata.md §2.
pub(crate) fn is_jsonata_text(text: &str) -> bool {
    text.len() >= 4 && text.starts_with("{%") && text.ends_with("%}")
}

/// Reads a field that holds a literal of type `T` or, in JSONata states, an expression
/// string; `${…}` placeholders stand for any value.
pub(crate) fn dynamic<T>(
    cx: &mut Cx,
    member: &Member,
    pointer: impl Pointer,
    jsonata: bool,
    expected: &str,
    literal: impl FnOnce(&Node) -> Option<T>,
) -> Option<Dyn<T>> {
    if let NodeValue::String(s) = &member.value.value {
        if jsonata && is_jsonata_text(&s.text) {
            return Expr::jsonata(&member.value).map(Dyn::Jsonata);
        }
        if is_whole_placeholder(&s.text) {
            return Some(Dyn::Placeholder(Spanned::new(s.text.clone(), member.value.range)));
        }
    }
    match literal(&member.value) {
        Some(value) => Some(Dyn::Literal(Spanned::new(value, member.value.range))),
        None => {
            if jsonata {
                // A JSONata field's value forms are jsonata.md's `J-FIELD-FORM`.
                let expected = format!("{expected} or a JSONata expression");
                type_error_as(cx, crate::validate::jsonata::J_FIELD_FORM, member, pointer, &expected);
            } else {
                type_error(cx, member, pointer, expected);
            }
            None
        }
    }
}

/// Reads a number-or-expression field.
pub(crate) fn dyn_number(
    cx: &mut Cx,
    member: &Member,
    pointer: impl Pointer,
    jsonata: bool,
) -> Option<Dyn<Number>> {
    dynamic(cx, member, pointer, jsonata, "a number", |node| node.as_number_text().map(Number::new))
}

/// Reads a string-or-expression field.
pub(crate) fn dyn_string(
    cx: &mut Cx,
    member: &Member,
    pointer: impl Pointer,
    jsonata: bool,
) -> Option<Dyn<Text>> {
    dynamic(cx, member, pointer, jsonata, "a string", |node| node.as_str().map(Text::from))
}
