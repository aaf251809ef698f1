//! The JSONata 2.0.6 tokenizer.
//!
//! Tokens are read on demand because one character means two things: after an operand `/`
//! divides, elsewhere it opens a regular expression. The parser says which position it is in
//! ([`Lexer::next`]'s `infix`). The rules are JSONata's own, quirks included: names run up to
//! whitespace or an operator character (so `a"b` is one name), `-` is never part of a number
//! literal, and strings know only the JSON escapes (`\'` is an error).

use aslc_source::TextRange;

use super::error::{ErrorCode, JsonataError};

/// A token and its span.
#[derive(Clone, Debug)]
pub(super) struct Token {
    pub(super) kind: TokenKind,
    pub(super) range: TextRange,
}

#[derive(Clone, Debug)]
pub(super) enum TokenKind {
    /// An operator or punctuation, by its spelling (`and`, `or`, `in` included).
    Operator(&'static str),
    /// A field name, backquoted or not.
    Name(Box<str>),
    /// `$name`, stored without the `$` (`$` alone is the empty name, `$$` is `$`).
    Variable(Box<str>),
    /// A string literal, escapes resolved.
    Str(Box<str>),
    /// A number literal.
    Number(f64),
    /// `true` / `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// `/pattern/flags`.
    Regex { pattern: Box<str>, flags: Box<str> },
    /// The end of the text.
    End,
}

/// The single-character operator spelled by `b`, from JSONata's table (`!` and `~` are there
/// only to end names; the parser rejects them alone).
const fn single_operator(b: u8) -> Option<&'static str> {
    Some(match b {
        b'.' => ".",
        b'[' => "[",
        b']' => "]",
        b'{' => "{",
        b'}' => "}",
        b'(' => "(",
        b')' => ")",
        b',' => ",",
        b'@' => "@",
        b'#' => "#",
        b';' => ";",
        b':' => ":",
        b'?' => "?",
        b'+' => "+",
        b'-' => "-",
        b'*' => "*",
        b'/' => "/",
        b'%' => "%",
        b'|' => "|",
        b'=' => "=",
        b'<' => "<",
        b'>' => ">",
        b'^' => "^",
        b'&' => "&",
        b'!' => "!",
        b'~' => "~",
        _ => return None,
    })
}

/// The two-character operator at the start of `rest`, if any.
fn double_operator(rest: &[u8]) -> Option<&'static str> {
    Some(match rest.get(..2)? {
        b".." => "..",
        b":=" => ":=",
        b"!=" => "!=",
        b">=" => ">=",
        b"<=" => "<=",
        b"**" => "**",
        b"~>" => "~>",
        _ => return None,
    })
}

/// JSONata's whitespace: space, tab, line feed, carriage return and vertical tab. All are
/// ASCII, so a byte that is not one of them never starts or continues one.
const fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b)
}

/// The bytes that end a name, indexed by byte: whitespace and the operator characters of
/// [`single_operator`]. All are ASCII, so the bytes of a multi-byte character never end a name.
const ENDS_NAME: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = is_space(b as u8) || single_operator(b as u8).is_some();
        b += 1;
    }
    table
};

/// Whether `b` ends a name: whitespace or an operator character.
fn ends_name(b: u8) -> bool {
    ENDS_NAME[usize::from(b)]
}

pub(super) struct Lexer<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Lexer<'a> {
    /// A lexer over `text[start..end]` whose ranges are offsets into `text`.
    pub(super) fn new(text: &'a str, start: usize, end: usize) -> Lexer<'a> {
        let end = end.min(text.len());
        Lexer { text: text.get(..end).unwrap_or(text), pos: start.min(end) }
    }

    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn err(&self, code: ErrorCode, start: usize, end: usize) -> JsonataError {
        JsonataError::new(code, TextRange::from_usize(start, end))
    }

    /// The next token. `infix` says the parser expects an operator here, so `/` is division
    /// rather than the start of a regular expression.
    pub(super) fn next(&mut self, infix: bool) -> Result<Token, JsonataError> {
        loop {
            self.pos += self.rest().bytes().take_while(|&b| is_space(b)).count();
            if self.rest().starts_with("/*") {
                let start = self.pos;
                match self.rest()[2..].find("*/") {
                    Some(end) => self.pos += 2 + end + 2,
                    None => {
                        self.pos = self.text.len();
                        return Err(self.err(ErrorCode::S0106, start, start + 2));
                    }
                }
                continue;
            }
            break;
        }
        let start = self.pos;
        // Every byte tested below is ASCII, so testing the first byte of the token is
        // testing its first character.
        let Some(&b) = self.text.as_bytes().get(start) else {
            return Ok(Token { kind: TokenKind::End, range: TextRange::from_usize(start, start) });
        };
        let token = |kind, end: usize| Token { kind, range: TextRange::from_usize(start, end) };
        if b == b'/' && !infix {
            self.pos += 1;
            let (pattern, flags) = self.regex()?;
            return Ok(token(TokenKind::Regex { pattern, flags }, self.pos));
        }
        if let Some(op) = double_operator(self.rest().as_bytes()) {
            self.pos += 2;
            return Ok(token(TokenKind::Operator(op), self.pos));
        }
        if let Some(op) = single_operator(b) {
            self.pos += 1;
            return Ok(token(TokenKind::Operator(op), self.pos));
        }
        if b == b'"' || b == b'\'' {
            let value = self.string(char::from(b))?;
            return Ok(token(TokenKind::Str(value), self.pos));
        }
        if b.is_ascii_digit() {
            let len = number_prefix(self.rest());
            let text = &self.rest()[..len];
            let value: f64 = text.parse().unwrap_or(f64::INFINITY);
            if !value.is_finite() {
                return Err(self.err(ErrorCode::S0102, start, start + len).with_token(text));
            }
            self.pos += len;
            return Ok(token(TokenKind::Number(value), self.pos));
        }
        if b == b'`' {
            return match self.rest()[1..].find('`') {
                Some(end) => {
                    let name = &self.rest()[1..1 + end];
                    self.pos += end + 2;
                    Ok(token(TokenKind::Name(name.into()), self.pos))
                }
                None => {
                    self.pos = self.text.len();
                    Err(self.err(ErrorCode::S0105, start, start + 1))
                }
            };
        }
        let len = self.rest().bytes().take_while(|&b| !ends_name(b)).count();
        let word = &self.rest()[..len];
        self.pos += len;
        let kind = if let Some(name) = word.strip_prefix('$') {
            TokenKind::Variable(name.into())
        } else {
            match word {
                "and" => TokenKind::Operator("and"),
                "or" => TokenKind::Operator("or"),
                "in" => TokenKind::Operator("in"),
                "true" => TokenKind::Bool(true),
                "false" => TokenKind::Bool(false),
                "null" => TokenKind::Null,
                _ => TokenKind::Name(word.into()),
            }
        };
        Ok(token(kind, self.pos))
    }

    /// The rest of a regular expression after its opening `/`: the closing `/` is the first
    /// one preceded by an even number of backslashes outside brackets and parentheses.
    #[inline(never)]
    fn regex(&mut self) -> Result<(Box<str>, Box<str>), JsonataError> {
        let open = self.pos - 1;
        let start = self.pos;
        let bytes = self.text.as_bytes();
        let mut depth: i64 = 0;
        let mut at = start;
        while at < bytes.len() {
            let b = bytes[at];
            let escaped = at > 0 && bytes[at - 1] == b'\\';
            if b == b'/' && depth == 0 {
                let backslashes = bytes[start..at].iter().rev().take_while(|&&c| c == b'\\').count();
                if backslashes % 2 == 0 {
                    if at == start {
                        return Err(self.err(ErrorCode::S0301, open, at + 1));
                    }
                    let pattern = &self.text[start..at];
                    let flags_len =
                        self.text[at + 1..].bytes().take_while(|&c| c == b'i' || c == b'm').count();
                    let flags = &self.text[at + 1..at + 1 + flags_len];
                    self.pos = at + 1 + flags_len;
                    return Ok((pattern.into(), flags.into()));
                }
            }
            if matches!(b, b'(' | b'[' | b'{') && !escaped {
                depth += 1;
            }
            if matches!(b, b')' | b']' | b'}') && !escaped {
                depth -= 1;
            }
            at += 1;
        }
        self.pos = self.text.len();
        Err(self.err(ErrorCode::S0302, open, self.text.len()))
    }

    /// A string literal from its opening quote. Not inlined, to keep the frame of
    /// [`Lexer::next`] small for the common tokens.
    #[inline(never)]
    fn string(&mut self, quote: char) -> Result<Box<str>, JsonataError> {
        let open = self.pos;
        self.pos += 1;
        // Most literals have no escape: their value is the text up to the closing quote.
        // The quote is ASCII, so the byte found is the quote character itself.
        let body = self.rest();
        if let Some(end) = body.bytes().position(|b| b == b'\\' || char::from(b) == quote) {
            if body.as_bytes()[end] != b'\\' {
                self.pos += end + 1;
                return Ok(body[..end].into());
            }
        }
        let mut value = String::new();
        // A high surrogate from `\uD8xx` waiting for its low half.
        let mut pending_high: Option<u32> = None;
        loop {
            let Some(c) = self.peek() else {
                if pending_high.take().is_some() {
                    value.push(char::REPLACEMENT_CHARACTER);
                }
                return Err(self.err(ErrorCode::S0101, open, self.text.len()));
            };
            let at = self.pos;
            self.pos += c.len_utf8();
            if c == '\\' {
                let Some(escape) = self.peek() else {
                    return Err(self.err(ErrorCode::S0101, open, self.text.len()));
                };
                self.pos += escape.len_utf8();
                let decoded = match escape {
                    '"' => '"',
                    '\\' => '\\',
                    '/' => '/',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    'u' => {
                        let hex = self.rest().get(..4).filter(|h| h.chars().all(|c| c.is_ascii_hexdigit()));
                        let Some(hex) = hex else {
                            return Err(self.err(ErrorCode::S0104, at, self.pos));
                        };
                        self.pos += 4;
                        let unit = u32::from_str_radix(hex, 16).unwrap_or(0xFFFD);
                        if let Some(high) = pending_high.take() {
                            if (0xDC00..0xE000).contains(&unit) {
                                let combined = 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00);
                                value.push(char::from_u32(combined).unwrap_or(char::REPLACEMENT_CHARACTER));
                                continue;
                            }
                            value.push(char::REPLACEMENT_CHARACTER);
                        }
                        if (0xD800..0xDC00).contains(&unit) {
                            pending_high = Some(unit);
                            continue;
                        }
                        char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER)
                    }
                    other => {
                        let mut buf = [0u8; 4];
                        return Err(self
                            .err(ErrorCode::S0103, at, self.pos)
                            .with_token(other.encode_utf8(&mut buf)));
                    }
                };
                if pending_high.take().is_some() {
                    value.push(char::REPLACEMENT_CHARACTER);
                }
                value.push(decoded);
            } else if c == quote {
                if pending_high.take().is_some() {
                    value.push(char::REPLACEMENT_CHARACTER);
                }
                return Ok(value.into());
            } else {
                if pending_high.take().is_some() {
                    value.push(char::REPLACEMENT_CHARACTER);
                }
                value.push(c);
            }
        }
    }
}

/// The length of the number literal at the start of `text`:
/// `(0|[1-9][0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)?`.
pub(super) fn number_prefix(text: &str) -> usize {
    let bytes = text.as_bytes();
    let digits_from =
        |at: usize| bytes[at.min(bytes.len())..].iter().take_while(|b| b.is_ascii_digit()).count();
    let mut len = if bytes.first() == Some(&b'0') { 1 } else { digits_from(0) };
    if bytes.get(len) == Some(&b'.') {
        let fraction = digits_from(len + 1);
        if fraction > 0 {
            len += 1 + fraction;
        }
    }
    if matches!(bytes.get(len), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(len + 1), Some(b'+' | b'-')));
        let exponent = digits_from(len + 1 + sign);
        if exponent > 0 {
            len += 1 + sign + exponent;
        }
    }
    len
}
