//! Values that may hold code: payload templates, path fields, literal-or-expression
//! fields.

use aslc_source::TextRange;
use aslc_syntax::Node;

use super::{Name, Spanned};

/// A string that is code (a JSONPath path, an intrinsic call, a JSONata expression) with
/// the information needed to point inside it.
#[derive(Clone, PartialEq, Debug)]
pub struct Expr {
    /// The decoded string, as the query language sees it (for JSONata: the whole
    /// `{% … %}` string).
    pub text: Box<str>,
    /// Range of the string value in the file (with quotes for JSON).
    pub range: TextRange,
    /// File offset of the decoded text's first byte when it appears verbatim in the file.
    pub verbatim: Option<u32>,
}

impl Expr {
    /// An expression from a string node.
    pub fn from_node(node: &Node) -> Option<Expr> {
        let s = node.as_spanned_str()?;
        Some(Expr { text: s.text.clone(), range: node.range, verbatim: s.verbatim })
    }

    /// The file range of a range inside the decoded text (the whole string when the text
    /// is not verbatim in the file).
    pub fn inner_range(&self, inner: TextRange) -> TextRange {
        match self.verbatim {
            Some(base) => inner.shift(base),
            None => self.range,
        }
    }

    /// Whether the text contains a `${…}` deployment placeholder (CloudFormation, SAM,
    /// Terraform, CDK) and so cannot be judged before deployment.
    pub fn has_placeholder(&self) -> bool {
        has_placeholder(&self.text)
    }
}

/// Whether `text` contains a `${Name}` deployment placeholder.
pub fn has_placeholder(text: &str) -> bool {
    let mut rest = text;
    while let Some(i) = rest.find("${") {
        let after = &rest[i + 2..];
        if let Some(end) = after.find('}') {
            if end > 0 {
                return true;
            }
        }
        rest = after;
    }
    false
}

/// Whether `text` is exactly one `${Name}` placeholder, standing for a value of any type.
pub fn is_whole_placeholder(text: &str) -> bool {
    text.len() > 3
        && text.starts_with("${")
        && text.ends_with('}')
        && !text[2..text.len() - 1].contains(['{', '}'])
}

/// A payload template (`Parameters`, `ResultSelector`, `ItemSelector`, `Arguments`,
/// `Output`, `Assign` values, `Result`): JSON in which some values are expressions.
#[derive(Clone, PartialEq, Debug)]
pub enum Template {
    /// A JSON value with no expression anywhere inside.
    Literal(Node),
    /// An object with at least one dynamic member somewhere below.
    Object {
        /// The object's range.
        range: TextRange,
        /// Members in source order.
        members: Vec<TemplateMember>,
    },
    /// An array with at least one dynamic element somewhere below.
    Array {
        /// The array's range.
        range: TextRange,
        /// Elements in order.
        items: Vec<Template>,
    },
    /// The value of a JSONPath `key.$` member: a path or an intrinsic call.
    Dynamic(Expr),
    /// A JSONata `{% … %}` expression string.
    Jsonata(Expr),
}

/// One member of a template object.
#[derive(Clone, PartialEq, Debug)]
pub struct TemplateMember {
    /// The key as written (with its `.$` suffix, if any).
    pub key: Name,
    /// The key of the produced object: the written key without a `.$` suffix.
    pub output_key: Box<str>,
    /// The value.
    pub value: Template,
}

impl Template {
    /// The template's range in the file.
    pub fn range(&self) -> TextRange {
        match self {
            Template::Literal(node) => node.range,
            Template::Object { range, .. } | Template::Array { range, .. } => *range,
            Template::Dynamic(expr) | Template::Jsonata(expr) => expr.range,
        }
    }

    /// Every expression in the template, depth first.
    pub fn exprs(&self) -> Vec<&Expr> {
        let mut out = Vec::new();
        self.collect_exprs(&mut out);
        out
    }

    fn collect_exprs<'a>(&'a self, out: &mut Vec<&'a Expr>) {
        match self {
            Template::Literal(_) => {}
            Template::Object { members, .. } => {
                for member in members {
                    member.value.collect_exprs(out);
                }
            }
            Template::Array { items, .. } => {
                for item in items {
                    item.collect_exprs(out);
                }
            }
            Template::Dynamic(expr) | Template::Jsonata(expr) => out.push(expr),
        }
    }
}

/// A JSONPath-mode path field that also accepts `null` (`InputPath`, `OutputPath`,
/// `ResultPath`).
#[derive(Clone, PartialEq, Debug)]
pub enum PathOrNull {
    /// `null`: discard (see jsonpath.md §3.4).
    Null(TextRange),
    /// A path string.
    Path(Expr),
}

/// A field that takes a literal or, in JSONata states, an expression string
/// (`TimeoutSeconds`, `Seconds`, `MaxConcurrency`, `Error`, …).
#[derive(Clone, PartialEq, Debug)]
pub enum Dyn<T> {
    /// A literal of the field's type.
    Literal(Spanned<T>),
    /// A JSONata expression string.
    Jsonata(Expr),
    /// A `${…}` deployment placeholder standing for a value of the field's type.
    Placeholder(Name),
}

impl<T> Dyn<T> {
    /// The value's range.
    pub fn range(&self) -> TextRange {
        match self {
            Dyn::Literal(v) => v.range,
            Dyn::Jsonata(e) => e.range,
            Dyn::Placeholder(n) => n.range,
        }
    }

    /// The literal, if it is one.
    pub fn literal(&self) -> Option<&Spanned<T>> {
        match self {
            Dyn::Literal(v) => Some(v),
            _ => None,
        }
    }
}
