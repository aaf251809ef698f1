//! JSONPath as JSONPath states use it: the Jayway dialect of jsonpath.md §2.1.
//!
//! [`parse_path`] reads a whole field value (`$.a.b[0]`, `$$.Execution.Id`, `$var['x']`,
//! `$..items[?(@.price > 10)]`) into a [`Path`]. A path has one of three roots and a list of
//! segments; each segment selects children (or, after `..`, descendants) of the values the
//! previous segment selected. Filter bodies are parsed into [`FilterExpr`] when they use the
//! Jayway operators the VM evaluates; any other balanced body is kept as
//! [`FilterBody::Opaque`], because AWS accepts definitions with such filters (they fail at
//! run time instead).
//!
//! Queries for the validator: [`Path::is_reference_path`], [`Path::is_definite`],
//! [`Path::reference_violation`], [`reference_error`], [`context_member_error`],
//! [`lint_path`].

mod filter;
mod lint;
mod parser;
#[cfg(test)]
mod tests;

use aslc_source::TextRange;
use compact_str::CompactString;

pub use lint::{context_member_error, lint_path, reference_error};
pub(crate) use parser::parse_embedded;

use crate::QueryError;

/// Paths inside filters nest (`$.a[?(@.b[?(@.c)])]`); deeper than this is refused so parsing
/// stays far from the stack limit.
pub const MAX_FILTER_DEPTH: usize = 16;

/// Parses a whole path field value.
///
/// Trailing whitespace is accepted (AWS trims it) and recorded in
/// [`Path::trailing_whitespace`] for the `P-WHITESPACE` lint; anything else after the path is
/// a `P-SYNTAX` error. A malformed `$$` prefix (`$$23`) is `P-CONTEXT-PREFIX`.
pub fn parse_path(text: &str) -> Result<Path, QueryError> {
    parser::parse_standalone(text)
}

/// A member or variable name of a path. Names of up to 24 bytes, nearly all of them, are
/// stored inline, without an allocation.
pub type Name = CompactString;

/// A parsed path.
#[derive(Clone, PartialEq, Debug)]
pub struct Path {
    /// What the path starts from.
    pub root: Root,
    /// The span of the root (`$`, `$$`, `$name`).
    pub root_range: TextRange,
    /// The steps after the root, in order.
    pub segments: Vec<Segment>,
    /// The span of the whole path, without trailing whitespace.
    pub range: TextRange,
    /// Whitespace after the path, which AWS ignores.
    pub trailing_whitespace: Option<TextRange>,
}

/// The value a path starts from (jsonpath.md §1).
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Root {
    /// `$`: the state data the field applies to.
    Data,
    /// `$$`: the context object.
    Context,
    /// `$name`: the value of a workflow variable (the name is stored without the `$`).
    Variable(Name),
}

/// One step of a path.
#[derive(Clone, PartialEq, Debug)]
pub struct Segment {
    /// Children (`.x`, `[0]`) or descendants at any depth (`..x`).
    pub axis: Axis,
    /// What is selected.
    pub selector: Selector,
    /// The span of the segment, its `.`, `..` or brackets included.
    pub range: TextRange,
    /// Whether a dot name contained a backslash escape (`$.a\.b`), which the Jayway dialect
    /// does not honour (`P-DOT-ESCAPE`).
    pub dot_escape: bool,
}

/// Where a segment looks.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Axis {
    /// The members or elements of each selected value.
    Child,
    /// The selected values themselves and everything below them (`..`).
    Descendant,
}

/// What a segment selects.
#[derive(Clone, PartialEq, Debug)]
pub enum Selector {
    /// One member: `.name` or `['name']`.
    Name(Name),
    /// Several members: `['a', 'b']` (at least two).
    Names(Vec<Name>),
    /// One element; negative indexes count from the end: `[0]`, `[-1]`.
    Index(i64),
    /// Several elements: `[0, 2]` (at least two).
    Indexes(Vec<i64>),
    /// A range of elements, end exclusive: `[1:3]`, `[-2:]`, `[:2]`.
    Slice {
        /// First index, from the start when absent.
        start: Option<i64>,
        /// Index after the last, to the end when absent.
        end: Option<i64>,
    },
    /// Every member or element: `*`, `[*]`.
    Wildcard,
    /// The elements (or members) for which a filter holds: `[?(…)]`.
    Filter(FilterBody),
    /// A script index `[( … )]`: accepted by AWS, never evaluated (`P-SCRIPT-EXPR`).
    Script,
    /// A Jayway function step such as `.length()`. AWS does not run functions: it reads the
    /// step as the member named `length()` (`P-NO-FUNCTIONS`), so the VM does the same.
    Function(Name),
}

impl Selector {
    /// The member name the VM looks up for a [`Selector::Function`] step (`length()`).
    pub fn function_member_name(name: &str) -> String {
        format!("{name}()")
    }
}

/// The body of a `[?( … )]` filter.
#[derive(Clone, PartialEq, Debug)]
pub enum FilterBody {
    /// A body in the Jayway filter language, boxed so that the rare filter does not make
    /// every [`Segment`] as large as an expression.
    Parsed(Box<FilterExpr>),
    /// A balanced body that is not a Jayway filter; it fails when evaluated. The span covers
    /// the text between the parentheses.
    Opaque(TextRange),
}

/// A Jayway filter expression.
#[derive(Clone, PartialEq, Debug)]
pub struct FilterExpr {
    /// What the expression is.
    pub kind: FilterKind,
    /// Its span in the path text.
    pub range: TextRange,
}

/// The forms of a filter expression.
#[derive(Clone, PartialEq, Debug)]
pub enum FilterKind {
    /// `a || b`.
    Or(Box<FilterExpr>, Box<FilterExpr>),
    /// `a && b`.
    And(Box<FilterExpr>, Box<FilterExpr>),
    /// `!a`.
    Not(Box<FilterExpr>),
    /// `lhs op rhs`.
    Compare {
        /// The operator.
        op: FilterOp,
        /// Left operand.
        lhs: Operand,
        /// Right operand.
        rhs: Operand,
    },
    /// An operand alone: true when it exists (`[?(@.isbn)]`) — for a literal, when it is
    /// truthy.
    Exists(Operand),
}

/// The relational operators of Jayway filters.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FilterOp {
    /// `==`
    Eq,
    /// `===` (no type coercion)
    StrictEq,
    /// `!=`
    Ne,
    /// `!==`
    StrictNe,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `=~` against a `/regex/flags` literal
    Matches,
    /// `in`: the left value is one of the right array's elements
    In,
    /// `nin`: not `in`
    Nin,
    /// `subsetof`
    SubsetOf,
    /// `anyof`
    AnyOf,
    /// `noneof`
    NoneOf,
    /// `contains`
    Contains,
    /// `all`
    All,
    /// `size`: the string or array length equals the number on the right
    Size,
    /// `empty`: emptiness equals the boolean on the right
    Empty,
    /// `exists`: existence equals the boolean on the right
    Exists,
}

impl FilterOp {
    /// The operator as written (keywords in lower case).
    pub fn as_str(self) -> &'static str {
        match self {
            FilterOp::Eq => "==",
            FilterOp::StrictEq => "===",
            FilterOp::Ne => "!=",
            FilterOp::StrictNe => "!==",
            FilterOp::Lt => "<",
            FilterOp::Le => "<=",
            FilterOp::Gt => ">",
            FilterOp::Ge => ">=",
            FilterOp::Matches => "=~",
            FilterOp::In => "in",
            FilterOp::Nin => "nin",
            FilterOp::SubsetOf => "subsetof",
            FilterOp::AnyOf => "anyof",
            FilterOp::NoneOf => "noneof",
            FilterOp::Contains => "contains",
            FilterOp::All => "all",
            FilterOp::Size => "size",
            FilterOp::Empty => "empty",
            FilterOp::Exists => "exists",
        }
    }
}

/// An operand of a filter comparison.
#[derive(Clone, PartialEq, Debug)]
pub struct Operand {
    /// What the operand is.
    pub kind: OperandKind,
    /// Its span in the path text.
    pub range: TextRange,
}

/// The forms of a filter operand.
#[derive(Clone, PartialEq, Debug)]
pub enum OperandKind {
    /// `@` followed by segments: relative to the item being tested.
    Current(Vec<Segment>),
    /// A path with its own root (`$.limit`, `$$.x`, `$var`).
    Path(Box<Path>),
    /// A number; `text` is as written.
    Number {
        /// The value.
        value: f64,
        /// The literal as written.
        text: Box<str>,
    },
    /// A quoted string, escapes resolved.
    String(Box<str>),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// `/pattern/flags`.
    Regex {
        /// The pattern between the slashes.
        pattern: Box<str>,
        /// The flag letters after the closing slash.
        flags: Box<str>,
    },
    /// A JSON-like array of operands: `['a', 'b']`, `[1, 2]`.
    List(Vec<Operand>),
    /// An unquoted word (`@.type == VENDOR`): not a Jayway operand, it fails at run time
    /// (`P-FILTER-UNQUOTED`).
    Word(Box<str>),
}

impl Path {
    /// Whether every segment is a single child name or a single index, so the path can
    /// identify at most one node (jsonpath.md §2.4 "reference path").
    pub fn is_reference_path(&self) -> bool {
        self.reference_violation().is_none()
    }

    /// The first segment that stops this path from being a reference path.
    pub fn reference_violation(&self) -> Option<&Segment> {
        self.segments.iter().find(|seg| {
            seg.axis == Axis::Descendant || !matches!(seg.selector, Selector::Name(_) | Selector::Index(_))
        })
    }

    /// Whether the path is definite (jsonpath.md §2.2): it yields one value or fails, instead
    /// of an array of matches. A function step is read as a member name, so it keeps the path
    /// definite.
    pub fn is_definite(&self) -> bool {
        self.segments.iter().all(|seg| {
            seg.axis == Axis::Child
                && matches!(seg.selector, Selector::Name(_) | Selector::Index(_) | Selector::Function(_))
        })
    }

    /// The leading member names of the path, up to the first segment that is not a single
    /// child name (`$$.Execution.Input[0].x` gives `Execution`, `Input`).
    pub fn leading_names(&self) -> impl Iterator<Item = (&str, TextRange)> {
        self.segments.iter().map_while(|seg| match (&seg.selector, seg.axis) {
            (Selector::Name(name), Axis::Child) => Some((&**name, seg.range)),
            _ => None,
        })
    }
}

/// Writes the path in Jayway's normalised bracket form, as AWS quotes paths in run-time
/// errors: `$['order']['items'][0]`. Filters and scripts print as `[?]` and `[()]`.
impl std::fmt::Display for Path {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.root {
            Root::Data => f.write_str("$")?,
            Root::Context => f.write_str("$$")?,
            Root::Variable(name) => write!(f, "${name}")?,
        }
        for seg in &self.segments {
            if seg.axis == Axis::Descendant {
                f.write_str("..")?;
            }
            match &seg.selector {
                Selector::Name(name) => write!(f, "['{}']", escape_quoted(name))?,
                Selector::Names(names) => {
                    let quoted: Vec<String> =
                        names.iter().map(|n| format!("'{}'", escape_quoted(n))).collect();
                    write!(f, "[{}]", quoted.join(","))?;
                }
                Selector::Index(i) => write!(f, "[{i}]")?,
                Selector::Indexes(all) => {
                    let list: Vec<String> = all.iter().map(i64::to_string).collect();
                    write!(f, "[{}]", list.join(","))?;
                }
                Selector::Slice { start, end } => {
                    let show = |n: &Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
                    write!(f, "[{}:{}]", show(start), show(end))?;
                }
                Selector::Wildcard => f.write_str("[*]")?,
                Selector::Filter(_) => f.write_str("[?]")?,
                Selector::Script => f.write_str("[()]")?,
                Selector::Function(name) => write!(f, "['{}()']", escape_quoted(name))?,
            }
        }
        Ok(())
    }
}

fn escape_quoted(name: &str) -> String {
    name.replace('\\', "\\\\").replace('\'', "\\'")
}
