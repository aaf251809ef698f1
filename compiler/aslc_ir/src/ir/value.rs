//! Values that may hold code: payload templates, path fields, literal-or-expression
//! fields.
//!
//! Every string that is code is parsed once, while lowering, into the [`Query`] of its
//! [`Expr`]; validation reports what did not parse and the bytecode compiler reads the
//! trees.

use aslc_query::intrinsic::{self, Call};
use aslc_query::jsonata::{self, JsonataError};
use aslc_query::jsonpath::{self, Path};
use aslc_query::QueryError;
use aslc_source::TextRange;
use aslc_syntax::Node;

use super::{Name, Spanned, Text};

/// A string that is code (a JSONPath path, an intrinsic call, a JSONata expression) with
/// the information needed to point inside it.
#[derive(Clone, PartialEq, Debug)]
pub struct Expr {
    /// The decoded string, as the query language sees it (for JSONata: the whole
    /// `{% … %}` string).
    pub text: Text,
    /// Range of the string value in the file (with quotes for JSON).
    pub range: TextRange,
    /// File offset of the decoded text's first byte when it appears verbatim in the file.
    pub verbatim: Option<u32>,
    /// The text, parsed. Ranges inside it are relative to `text`; [`Expr::inner_range`]
    /// maps them into the file.
    pub query: Query,
}

/// The parsed form of an [`Expr`].
#[derive(Clone, PartialEq, Debug)]
pub enum Query {
    /// A JSONPath path (`$.a`, `$$.Execution.Id`, `$var.x`).
    Path(Box<Path>),
    /// An intrinsic function call (`States.Format(…)`).
    Intrinsic(Box<Call>),
    /// A JSONata expression: the text between `{%` and `%}`, with ranges relative to the
    /// whole string.
    Jsonata(Box<jsonata::Expr>),
    /// Text holding a `${…}` deployment placeholder: it cannot be judged before
    /// deployment, so it is not parsed.
    Opaque,
    /// A path or intrinsic call that does not parse; the error's range is relative to the
    /// text.
    Invalid(Box<QueryError>),
    /// A JSONata expression that does not parse, with JSONata's own error (which AWS
    /// repeats in its diagnostic).
    InvalidJsonata(Box<JsonataError>),
}

impl Expr {
    /// A JSONPath-state value from a string node: an intrinsic call when the text starts
    /// with `States.` (after any leading whitespace, which the call parser reports), a path
    /// otherwise.
    pub fn jsonpath(node: &Node) -> Option<Expr> {
        let s = node.as_spanned_str()?;
        let query = if has_placeholder(&s.text) {
            Query::Opaque
        } else if intrinsic::is_intrinsic_call(s.text.trim_start()) {
            match intrinsic::parse_intrinsic(&s.text) {
                Ok(call) => Query::Intrinsic(Box::new(call)),
                Err(err) => Query::Invalid(Box::new(err)),
            }
        } else {
            match jsonpath::parse_path(&s.text) {
                Ok(path) => Query::Path(Box::new(path)),
                Err(err) => Query::Invalid(Box::new(err)),
            }
        };
        Some(Expr { text: s.text.clone(), range: node.range, verbatim: s.verbatim, query })
    }

    /// A JSONata expression string from a string node; `None` when the node is not a
    /// string of the form `{% … %}`.
    pub fn jsonata(node: &Node) -> Option<Expr> {
        let s = node.as_spanned_str()?;
        let template = jsonata::jsonata_template(&s.text)?;
        let query = if has_placeholder(&s.text) {
            Query::Opaque
        } else {
            match template.parse(&s.text) {
                Ok(expr) => Query::Jsonata(Box::new(expr)),
                Err(err) => Query::InvalidJsonata(Box::new(err)),
            }
        };
        Some(Expr { text: s.text.clone(), range: node.range, verbatim: s.verbatim, query })
    }

    /// The path, when the text parsed as one.
    pub fn path(&self) -> Option<&Path> {
        match &self.query {
            Query::Path(path) => Some(path),
            _ => None,
        }
    }

    /// The intrinsic call, when the text parsed as one.
    pub fn call(&self) -> Option<&Call> {
        match &self.query {
            Query::Intrinsic(call) => Some(call),
            _ => None,
        }
    }

    /// The JSONata expression, when the text parsed as one.
    pub fn jsonata_expr(&self) -> Option<&jsonata::Expr> {
        match &self.query {
            Query::Jsonata(expr) => Some(expr),
            _ => None,
        }
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
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(open) = placeholder_open(bytes, from) {
        if placeholder_at(bytes, open) {
            return true;
        }
        from = open + 1;
    }
    false
}

/// Whether the `${` at byte `open` starts a placeholder: at least one byte of name and a
/// `}` after it.
fn placeholder_at(bytes: &[u8], open: usize) -> bool {
    bytes.get(open + 2).is_some_and(|&b| b != b'}') && bytes[open + 3..].contains(&b'}')
}

/// The offset of the first `${` at or after `from`. Strings are short and a `{` is rare in
/// them (a `$` is not: every path starts with one), so the bytes are scanned eight at a
/// time for a `{`, which costs less than setting up `memchr` or a substring search; only a
/// word holding one is looked at byte by byte, for a `$` just before it.
pub(crate) fn placeholder_open(bytes: &[u8], from: usize) -> Option<usize> {
    const BRACES: u64 = u64::from_le_bytes([b'{'; 8]);
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    // A `{` at `brace` opens a placeholder at `brace - 1`, which must not be before `from`.
    let opens_at = |brace: usize| bytes[brace] == b'{' && bytes[brace - 1] == b'$';
    let mut start = from.saturating_add(1);
    while let Some(chunk) = bytes.get(start..start + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word) ^ BRACES;
        // Non-zero exactly when some byte of `x` is zero, that is some byte is a `{`.
        if x.wrapping_sub(ONES) & !x & HIGHS != 0 {
            if let Some(brace) = (start..start + 8).find(|&b| opens_at(b)) {
                return Some(brace - 1);
            }
        }
        start += 8;
    }
    (start..bytes.len()).find(|&b| opens_at(b)).map(|brace| brace - 1)
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
    pub output_key: Text,
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

#[cfg(test)]
mod tests {
    use super::has_placeholder;

    /// The definition, as a substring search: some `${` whose first `}` after it is not
    /// the next byte.
    fn reference(text: &str) -> bool {
        let mut rest = text;
        while let Some(i) = rest.find("${") {
            let after = &rest[i + 2..];
            if after.find('}').is_some_and(|end| end > 0) {
                return true;
            }
            rest = after;
        }
        false
    }

    #[test]
    fn placeholders_are_found_as_the_substring_search_finds_them() {
        let cases = [
            "",
            "$",
            "${",
            "${}",
            "${a",
            "${a}",
            "x${a}y",
            "${}${b}",
            "${}}",
            "${{}",
            "$${a}",
            "$.a",
            "a}${",
            "${é}",
            "é${",
            "States.Format('${x}')",
            // Placeholders across and inside eight-byte words.
            "$.abcdef${x}",
            "arn:aws:lambda:${AWS::Region}:function",
            "0123456$${a}",
            "01234567${a}",
            "0123456789abcdef${",
            "0123456789abcdef${}x}",
            "$.a.b.c.d.e.f.g.h",
        ];
        for case in cases {
            assert_eq!(has_placeholder(case), reference(case), "{case:?}");
        }
        // Every string of up to five bytes over the interesting alphabet, after every
        // number of other bytes up to two eight-byte words, so that each lies across or
        // inside the words the scan reads.
        let alphabet = ['$', '{', '}', 'a'];
        let mut text = String::new();
        for pad in 0..=16 {
            for len in 0..=5u32 {
                for mut n in 0..alphabet.len().pow(len) {
                    text.clear();
                    text.extend(std::iter::repeat_n('.', pad));
                    for _ in 0..len {
                        text.push(alphabet[n % alphabet.len()]);
                        n /= alphabet.len();
                    }
                    assert_eq!(has_placeholder(&text), reference(&text), "{text:?}");
                }
            }
        }
    }
}
