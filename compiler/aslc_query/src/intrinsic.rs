//! Intrinsic functions: `States.Format('{}', $.x)` and the other seventeen (intrinsics.md).
//!
//! [`parse_intrinsic`] reads the whole value of a `.$` field into a [`Call`]; arguments are
//! literals, paths (read with the [`jsonpath`](crate::jsonpath) reader, spans relative to the
//! same text) and nested calls. [`check_call`] applies the definition-time rules of
//! intrinsics.md §3 that the text alone decides; [`lint_call`] the lints of §7.

mod check;
mod parser;
#[cfg(test)]
mod tests;

use aslc_source::TextRange;

pub use check::{check_call, check_fail_call, lint_call};

use crate::jsonpath::Path;
use crate::QueryError;

/// At most this many calls may nest in one field (intrinsics.md §2), the outermost counting 1.
pub const MAX_NESTING: usize = 10;

/// The reader refuses nesting beyond this (far above [`MAX_NESTING`], which [`check_call`]
/// reports), so recursion stays bounded.
pub const MAX_PARSE_NESTING: usize = 64;

/// Parses the whole value of a `.$` field as one intrinsic call (intrinsics.md §2).
///
/// Unknown function names parse (into [`Call::function`] `None`) so that [`check_call`] can
/// report them as `I-KNOWN`. Whitespace after the closing parenthesis is accepted and kept in
/// [`Call::trailing_whitespace`].
pub fn parse_intrinsic(text: &str) -> Result<Call, QueryError> {
    parser::parse(text)
}

/// Whether a `.$` value is meant as an intrinsic call rather than a path: it starts with
/// `States.` (paths start with `$`).
pub fn is_intrinsic_call(text: &str) -> bool {
    text.starts_with("States.")
}

/// A call `States.Name(arg, …)`.
#[derive(Clone, PartialEq, Debug)]
pub struct Call {
    /// The function, `None` when the name is not one of the eighteen.
    pub function: Option<Function>,
    /// The name after `States.` as written.
    pub name: Box<str>,
    /// The span of `States.Name`.
    pub name_range: TextRange,
    /// The arguments in order.
    pub args: Vec<Arg>,
    /// The span from `States.` to the closing parenthesis.
    pub range: TextRange,
    /// Whitespace after the closing parenthesis (outermost call only).
    pub trailing_whitespace: Option<TextRange>,
}

impl Call {
    /// The nesting depth: 1 for a call without nested calls.
    pub fn depth(&self) -> usize {
        1 + self
            .args
            .iter()
            .filter_map(|arg| match &arg.kind {
                ArgKind::Call(call) => Some(call.depth()),
                _ => None,
            })
            .max()
            .unwrap_or(0)
    }
}

/// One argument of a call.
#[derive(Clone, PartialEq, Debug)]
pub struct Arg {
    /// What the argument is.
    pub kind: ArgKind,
    /// Its span.
    pub range: TextRange,
}

/// The forms of an argument.
#[derive(Clone, PartialEq, Debug)]
pub enum ArgKind {
    /// A single-quoted string literal.
    String(StringLit),
    /// A number literal; `text` is as written.
    Number {
        /// The value as a double.
        value: f64,
        /// The literal as written.
        text: Box<str>,
    },
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// A path with any root.
    Path(Path),
    /// A nested call.
    Call(Box<Call>),
}

impl ArgKind {
    /// Whether the argument is a literal (not a path or a call).
    pub fn is_literal(&self) -> bool {
        !matches!(self, ArgKind::Path(_) | ArgKind::Call(_))
    }
}

/// A string literal with its escapes resolved.
///
/// `States.Format` needs to tell a placeholder `{}` from escaped braces `\{\}`, which look the
/// same once resolved, so the literal keeps where its placeholders are.
#[derive(Clone, PartialEq, Debug)]
pub struct StringLit {
    /// The characters of the literal, escapes resolved.
    pub value: Box<str>,
    /// Byte offsets into `value` of each unescaped `{}` pair, in order.
    pub placeholders: Box<[u32]>,
}

impl StringLit {
    /// The pieces of the literal between its placeholders (one more than placeholders).
    pub fn format_pieces(&self) -> Vec<&str> {
        let mut pieces = Vec::with_capacity(self.placeholders.len() + 1);
        let mut from = 0usize;
        for &at in self.placeholders.iter() {
            let at = at as usize;
            pieces.push(self.value.get(from..at).unwrap_or(""));
            from = at + 2;
        }
        pieces.push(self.value.get(from..).unwrap_or(""));
        pieces
    }
}

macro_rules! functions {
    ($($variant:ident = $name:literal,)*) => {
        /// The eighteen intrinsic functions.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
        pub enum Function {
            $(
                #[doc = concat!("`States.", $name, "`")]
                $variant,
            )*
        }

        impl Function {
            /// Every function, in the order of intrinsics.md §5.
            pub const ALL: &'static [Function] = &[$(Function::$variant),*];

            /// The name after `States.`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Function::$variant => $name,)*
                }
            }

            /// The function with this (case-sensitive) name.
            pub fn from_name(name: &str) -> Option<Function> {
                match name {
                    $($name => Some(Function::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

functions! {
    Format = "Format",
    StringToJson = "StringToJson",
    JsonToString = "JsonToString",
    Array = "Array",
    ArrayPartition = "ArrayPartition",
    ArrayContains = "ArrayContains",
    ArrayRange = "ArrayRange",
    ArrayGetItem = "ArrayGetItem",
    ArrayLength = "ArrayLength",
    ArrayUnique = "ArrayUnique",
    Base64Encode = "Base64Encode",
    Base64Decode = "Base64Decode",
    Hash = "Hash",
    JsonMerge = "JsonMerge",
    MathRandom = "MathRandom",
    MathAdd = "MathAdd",
    StringSplit = "StringSplit",
    UUID = "UUID",
}

/// What an argument position accepts, as far as a literal can show it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Param {
    /// Any value.
    Any,
    /// A string.
    String,
    /// A number.
    Number,
    /// A number with an integral value.
    Integer,
    /// An integral number ≥ 0 (an index).
    Index,
    /// An integral number ≥ 1 (a chunk size).
    Size,
    /// An array (no literal is one).
    Array,
    /// An object (no literal is one).
    Object,
    /// One of the `States.Hash` algorithm names.
    HashAlgorithm,
    /// The boolean `false` (`States.JsonMerge` has only the shallow mode).
    False,
    /// A path (`States.JsonToString`).
    Path,
}

/// The kind of value a function returns.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Returns {
    /// A string.
    String,
    /// A number.
    Number,
    /// A boolean.
    Boolean,
    /// An array.
    Array,
    /// An object.
    Object,
    /// Whatever the input holds.
    Any,
}

/// The static description of one function.
#[derive(Clone, Copy, Debug)]
pub struct Signature {
    /// Fewest arguments.
    pub min_args: usize,
    /// Most arguments, `None` for no limit.
    pub max_args: Option<usize>,
    /// What each position accepts; positions past the end take the last entry.
    pub params: &'static [Param],
    /// What the function returns.
    pub returns: Returns,
}

/// The `States.Hash` algorithms (exact spelling).
pub const HASH_ALGORITHMS: &[&str] = &["MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512"];

impl Function {
    /// Arity, parameter kinds and result kind (intrinsics.md §5).
    pub fn signature(self) -> Signature {
        use Param as P;
        let sig = |min_args, max_args, params, returns| Signature { min_args, max_args, params, returns };
        match self {
            Function::Format => sig(1, None, &[P::String, P::Any], Returns::String),
            Function::StringToJson => sig(1, Some(1), &[P::String], Returns::Any),
            Function::JsonToString => sig(1, Some(1), &[P::Path], Returns::String),
            Function::Array => sig(0, None, &[P::Any], Returns::Array),
            Function::ArrayPartition => sig(2, Some(2), &[P::Array, P::Size], Returns::Array),
            Function::ArrayContains => sig(2, Some(2), &[P::Array, P::Any], Returns::Boolean),
            Function::ArrayRange => sig(3, Some(3), &[P::Integer], Returns::Array),
            Function::ArrayGetItem => sig(2, Some(2), &[P::Array, P::Index], Returns::Any),
            Function::ArrayLength => sig(1, Some(1), &[P::Array], Returns::Number),
            Function::ArrayUnique => sig(1, Some(1), &[P::Array], Returns::Array),
            Function::Base64Encode => sig(1, Some(1), &[P::String], Returns::String),
            Function::Base64Decode => sig(1, Some(1), &[P::String], Returns::String),
            Function::Hash => sig(2, Some(2), &[P::String, P::HashAlgorithm], Returns::String),
            Function::JsonMerge => sig(3, Some(3), &[P::Object, P::Object, P::False], Returns::Object),
            Function::MathRandom => sig(2, Some(3), &[P::Number, P::Number, P::Integer], Returns::Number),
            Function::MathAdd => sig(2, Some(2), &[P::Number], Returns::Number),
            Function::StringSplit => sig(2, Some(2), &[P::String], Returns::Array),
            Function::UUID => sig(0, Some(0), &[], Returns::String),
        }
    }

    /// Whether the function may be used in a Fail state's `ErrorPath`/`CausePath`
    /// (intrinsics.md §1: the functions returning a string).
    pub fn allowed_in_fail_path(self) -> bool {
        matches!(
            self,
            Function::Format
                | Function::JsonToString
                | Function::ArrayGetItem
                | Function::Base64Encode
                | Function::Base64Decode
                | Function::Hash
                | Function::UUID
        )
    }
}

impl Signature {
    /// What argument `index` (0-based) accepts.
    pub fn param(&self, index: usize) -> Param {
        self.params.get(index).or(self.params.last()).copied().unwrap_or(Param::Any)
    }
}
