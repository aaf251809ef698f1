//! Function signatures `<n-n?:s>` of JSONata function definitions.
//!
//! Read the way JSONata 2.0.6 reads them: one symbol per parameter, modifiers `?` (optional),
//! `+` (one or more) and `-` (taken from the context when missing), `(…)` for a choice of
//! types, `<…>` for the element type of an array or the signature of a function argument.
//! Everything after `:` (the return type) is ignored, as JSONata does; unknown symbols are
//! skipped.

use aslc_source::TextRange;

use super::error::{ErrorCode, JsonataError};

/// A parsed signature.
#[derive(Clone, PartialEq, Debug)]
pub struct Signature {
    /// The parameters in order.
    pub params: Vec<SignatureParam>,
    /// The signature as written between and including the angle brackets (without
    /// whitespace, as JSONata rebuilds it from tokens).
    pub text: Box<str>,
    /// Its span.
    pub range: TextRange,
}

/// One parameter of a signature.
#[derive(Clone, PartialEq, Debug)]
pub struct SignatureParam {
    /// The accepted type.
    pub ty: ParamType,
    /// The element type of an array (`a<n>`) or the signature of a function (`f<n:n>`), as
    /// written.
    pub subtype: Option<Box<str>>,
    /// `?`: may be omitted.
    pub optional: bool,
    /// `+`: one or more arguments.
    pub variadic: bool,
    /// `-`: the context value is used when the argument is missing.
    pub context: bool,
}

/// The type symbols.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ParamType {
    /// `s`
    String,
    /// `n`
    Number,
    /// `b`
    Boolean,
    /// `l`
    Null,
    /// `o`
    Object,
    /// `a`
    Array,
    /// `f`
    Function,
    /// `j`: any JSON value
    Json,
    /// `x`: anything
    Any,
    /// `(sn…)`: any of the listed symbols
    Choice(Vec<ParamType>),
}

impl ParamType {
    fn from_symbol(symbol: char) -> Option<ParamType> {
        Some(match symbol {
            's' => ParamType::String,
            'n' => ParamType::Number,
            'b' => ParamType::Boolean,
            'l' => ParamType::Null,
            'o' => ParamType::Object,
            'a' => ParamType::Array,
            'f' => ParamType::Function,
            'j' => ParamType::Json,
            'x' => ParamType::Any,
            _ => return None,
        })
    }
}

/// Parses the signature `text` (which starts with `<`) found at `range`.
pub fn parse_signature(text: &str, range: TextRange) -> Result<Signature, JsonataError> {
    let chars: Vec<char> = text.chars().collect();
    let mut params: Vec<SignatureParam> = Vec::new();
    let mut position = 1;
    let error_at = |code: ErrorCode, value: &str| JsonataError::new(code, range).with_value(value);
    while position < chars.len() {
        let symbol = chars[position];
        if symbol == ':' {
            break;
        }
        match symbol {
            '-' => {
                if let Some(prev) = params.last_mut() {
                    prev.context = true;
                    prev.optional = true;
                }
            }
            '?' => {
                if let Some(prev) = params.last_mut() {
                    prev.optional = true;
                }
            }
            '+' => {
                if let Some(prev) = params.last_mut() {
                    prev.variadic = true;
                }
            }
            '(' => {
                let end = closing(&chars, position, '(', ')');
                let choice: String = chars[position + 1..end.min(chars.len())].iter().collect();
                if choice.contains('<') {
                    return Err(error_at(ErrorCode::S0402, &choice));
                }
                let types = choice.chars().filter_map(ParamType::from_symbol).collect();
                params.push(SignatureParam::new(ParamType::Choice(types)));
                position = end;
            }
            '<' => {
                let prev_ty = params.last().map(|p| p.ty.clone());
                match (prev_ty, params.last_mut()) {
                    (Some(ParamType::Array | ParamType::Function), Some(prev)) => {
                        let end = closing(&chars, position, '<', '>');
                        prev.subtype =
                            Some(chars[position + 1..end.min(chars.len())].iter().collect::<String>().into());
                        position = end;
                    }
                    (prev, _) => {
                        let shown = match prev {
                            Some(ty) => symbol_of(&ty),
                            None => "undefined".to_owned(),
                        };
                        return Err(error_at(ErrorCode::S0401, &shown));
                    }
                }
            }
            other => {
                if let Some(ty) = ParamType::from_symbol(other) {
                    params.push(SignatureParam::new(ty));
                }
            }
        }
        position += 1;
    }
    Ok(Signature { params, text: text.into(), range })
}

impl SignatureParam {
    fn new(ty: ParamType) -> SignatureParam {
        SignatureParam { ty, subtype: None, optional: false, variadic: false, context: false }
    }
}

fn symbol_of(ty: &ParamType) -> String {
    match ty {
        ParamType::String => "s".into(),
        ParamType::Number => "n".into(),
        ParamType::Boolean => "b".into(),
        ParamType::Null => "l".into(),
        ParamType::Object => "o".into(),
        ParamType::Array => "a".into(),
        ParamType::Function => "f".into(),
        ParamType::Json => "j".into(),
        ParamType::Any => "x".into(),
        ParamType::Choice(types) => format!("({})", types.iter().map(symbol_of).collect::<String>()),
    }
}

/// The index of the symbol closing the `open` at `start`, or the length when it never closes.
fn closing(chars: &[char], start: usize, open: char, close: char) -> usize {
    let mut depth = 1;
    let mut position = start;
    while position < chars.len() {
        position += 1;
        match chars.get(position) {
            Some(&c) if c == close => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            Some(&c) if c == open => depth += 1,
            _ => {}
        }
    }
    position
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(sig: &Signature) -> Vec<String> {
        sig.params
            .iter()
            .map(|p| {
                let mut s = symbol_of(&p.ty);
                if let Some(sub) = &p.subtype {
                    s.push_str(&format!("<{sub}>"));
                }
                if p.context {
                    s.push('-');
                } else if p.optional {
                    s.push('?');
                }
                if p.variadic {
                    s.push('+');
                }
                s
            })
            .collect()
    }

    #[test]
    fn signatures() {
        let range = TextRange::empty(0);
        let cases: &[(&str, &[&str])] = &[
            ("<n:n>", &["n"]),
            ("<nn:n>", &["n", "n"]),
            ("<s-nn?:s>", &["s-", "n", "n?"]),
            ("<a<n>:n>", &["a<n>"]),
            ("<af>", &["a", "f"]),
            ("<a+>", &["a+"]),
            ("<n+s-:a<n>>", &["n+", "s-"]),
            ("<(sf)(sf)n?:s>", &["(sf)", "(sf)", "n?"]),
            ("<f<n:n>a>", &["f<n:n>", "a"]),
            ("<xyz>", &["x"]),
            ("<>", &[]),
        ];
        for &(text, expected) in cases {
            let sig = parse_signature(text, range).unwrap_or_else(|err| panic!("{text}: {err:?}"));
            assert_eq!(render(&sig), expected, "{text}");
        }
    }

    #[test]
    fn errors() {
        let range = TextRange::empty(0);
        let cases: &[(&str, ErrorCode)] =
            &[("<n<n>>", ErrorCode::S0401), ("<(sa<n>)>", ErrorCode::S0402), ("<<n>>", ErrorCode::S0401)];
        for &(text, code) in cases {
            assert_eq!(parse_signature(text, range).unwrap_err().code, code, "{text}");
        }
    }
}
