//! The `.asld` lexer (dsl.md §7), built with `logos`.
//!
//! Lexing never fails: text that is no token becomes an [`Kind::Error`] token with a
//! diagnostic, and the parser skips it. Trivia (whitespace and `//`, `/* */` comments) stays
//! in the token vector for the formatter; [`significant`] filters it out before parsing.
//! Hard keywords are their own kinds; contextual words (`args`, `retry`, …) are
//! [`Kind::Ident`] and are matched by text.

use aslc_source::{Diagnostic, FileId, TextRange};
use logos::Logos;

use crate::rules::{D_SYNTAX, D_UNTERMINATED};

/// What failed to lex.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum LexError {
    /// A byte that starts no token.
    #[default]
    Unexpected,
    /// An unclosed string, `{%`, path bracket, intrinsic or block comment.
    Unterminated(Unclosed),
    /// A string with an escape JSON does not allow, or a raw control character.
    BadString,
}

/// The construct an [`LexError::Unterminated`] leaves open.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Unclosed {
    /// `"…`.
    String,
    /// `{% …`.
    Jsonata,
    /// `$.a[…`.
    PathBracket,
    /// `States.Format(…`.
    Intrinsic,
    /// `/* …`.
    BlockComment,
}

/// The kinds of token.
#[derive(Logos, Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[logos(error = LexError)]
pub enum Kind {
    /// Spaces, tabs, line breaks, form feeds and byte-order marks.
    #[regex(r"[ \t\r\n\x0C\u{FEFF}]+")]
    Whitespace,
    /// `// …`.
    #[regex(r"//[^\n]*", priority = 1, allow_greedy = true)]
    LineComment,
    /// `/// …`: documents what follows.
    #[regex(r"///([^/\n][^\n]*)?", priority = 10, allow_greedy = true)]
    Doc,
    /// `//! …`: the machine's `Comment`.
    #[regex(r"//![^\n]*", priority = 10, allow_greedy = true)]
    InnerDoc,
    /// `/* … */`, not nested.
    #[token("/*", block_comment)]
    BlockComment,
    /// A JSON string.
    #[token("\"", string)]
    String,
    /// A JSON number; its lexeme is kept.
    #[regex(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?")]
    Number,
    /// A JSONPath or context path: `$.a[0]`, `$$.Task.Token`, `$var`.
    #[token("$", path)]
    Path,
    /// An intrinsic call: `States.Format('{}', $.x)`.
    #[regex(r"States\.[A-Za-z0-9_]+\(", intrinsic)]
    Intrinsic,
    /// `{% … %}`.
    #[token("{%", jsonata)]
    Jsonata,
    /// A word: a name, key or contextual keyword.
    #[regex(r"[\p{XID_Start}_][\p{XID_Continue}-]*")]
    Ident,

    /// `task`.
    #[token("task")]
    Task,
    /// `pass`.
    #[token("pass")]
    Pass,
    /// `wait`.
    #[token("wait")]
    Wait,
    /// `choice`.
    #[token("choice")]
    Choice,
    /// `parallel`.
    #[token("parallel")]
    Parallel,
    /// `map`.
    #[token("map")]
    Map,
    /// `succeed`.
    #[token("succeed")]
    Succeed,
    /// `fail`.
    #[token("fail")]
    Fail,
    /// `state`.
    #[token("state")]
    State,
    /// `policy`.
    #[token("policy")]
    Policy,
    /// `goto`.
    #[token("goto")]
    Goto,
    /// `end`.
    #[token("end")]
    End,
    /// `none`.
    #[token("none")]
    None,
    /// `if`.
    #[token("if")]
    If,
    /// `else`.
    #[token("else")]
    Else,
    /// `raw`.
    #[token("raw")]
    Raw,
    /// `start`.
    #[token("start")]
    Start,
    /// `true`.
    #[token("true")]
    True,
    /// `false`.
    #[token("false")]
    False,
    /// `null`.
    #[token("null")]
    Null,
    /// `and`.
    #[token("and")]
    And,
    /// `or`.
    #[token("or")]
    Or,
    /// `not`.
    #[token("not")]
    Not,

    /// `{`.
    #[token("{")]
    LBrace,
    /// `}`.
    #[token("}")]
    RBrace,
    /// `[`.
    #[token("[")]
    LBracket,
    /// `]`.
    #[token("]")]
    RBracket,
    /// `(`.
    #[token("(")]
    LParen,
    /// `)`.
    #[token(")")]
    RParen,
    /// `,`.
    #[token(",")]
    Comma,
    /// `:`.
    #[token(":")]
    Colon,
    /// `.`.
    #[token(".")]
    Dot,
    /// `==`.
    #[token("==")]
    EqEq,
    /// `!=`.
    #[token("!=")]
    NotEq,
    /// `<`.
    #[token("<")]
    Lt,
    /// `<=`.
    #[token("<=")]
    LtEq,
    /// `>`.
    #[token(">")]
    Gt,
    /// `>=`.
    #[token(">=")]
    GtEq,

    /// A broken string, `{%`, path or intrinsic (reported by the lexer); the parser reads
    /// it as a value.
    Error,
    /// A character that starts no token (reported by the lexer); the parser skips it.
    Garbage,
}

/// The hard keywords, in the order of dsl.md §6.
pub const HARD_KEYWORDS: &[&str] = &[
    "task", "pass", "wait", "choice", "parallel", "map", "succeed", "fail", "state", "policy", "goto", "end",
    "none", "if", "else", "raw", "start", "true", "false", "null", "and", "or", "not",
];

impl Kind {
    /// Whether the parser never sees this kind.
    pub fn is_trivia(self) -> bool {
        matches!(self, Kind::Whitespace | Kind::LineComment | Kind::BlockComment)
    }

    /// Whether this is a hard keyword.
    pub fn is_keyword(self) -> bool {
        matches!(
            self,
            Kind::Task
                | Kind::Pass
                | Kind::Wait
                | Kind::Choice
                | Kind::Parallel
                | Kind::Map
                | Kind::Succeed
                | Kind::Fail
                | Kind::State
                | Kind::Policy
                | Kind::Goto
                | Kind::End
                | Kind::None
                | Kind::If
                | Kind::Else
                | Kind::Raw
                | Kind::Start
                | Kind::True
                | Kind::False
                | Kind::Null
                | Kind::And
                | Kind::Or
                | Kind::Not
        )
    }

    /// Whether a statement starts with this kind (a recovery point).
    pub fn starts_statement(self) -> bool {
        matches!(
            self,
            Kind::Task
                | Kind::Pass
                | Kind::Wait
                | Kind::Choice
                | Kind::Parallel
                | Kind::Map
                | Kind::Succeed
                | Kind::Fail
                | Kind::State
                | Kind::Policy
        )
    }
}

/// One token: its kind, its text and where it is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Tok<'a> {
    /// The kind.
    pub kind: Kind,
    /// The exact source text.
    pub text: &'a str,
    /// Where it is.
    pub range: TextRange,
}

impl std::fmt::Display for Tok<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text: String = self.text.chars().take(30).collect();
        write!(f, "`{text}`")
    }
}

/// Lexes `text` completely, trivia included, reporting text that is no token.
pub fn lex<'a>(text: &'a str, file: FileId, diagnostics: &mut Vec<Diagnostic>) -> Vec<Tok<'a>> {
    let mut out = Vec::with_capacity(text.len() / 4);
    let mut lexer = Kind::lexer(text);
    while let Some(res) = lexer.next() {
        let span = lexer.span();
        let range = TextRange::from_usize(span.start, span.end);
        let slice = lexer.slice();
        match res {
            Ok(kind) => out.push(Tok { kind, text: slice, range }),
            Err(err) => {
                diagnostics.push(lex_error(err, slice, range, file));
                let kind = if err == LexError::Unexpected { Kind::Garbage } else { Kind::Error };
                out.push(Tok { kind, text: slice, range });
            }
        }
    }
    out
}

/// The tokens the parser reads: no trivia.
pub fn significant<'a>(tokens: &[Tok<'a>]) -> Vec<Tok<'a>> {
    tokens.iter().copied().filter(|t| !t.kind.is_trivia()).collect()
}

/// Whether `text` lexes as exactly one token of kind `kind`.
pub fn is_single(text: &str, kind: Kind) -> bool {
    let mut lexer = Kind::lexer(text);
    matches!(lexer.next(), Some(Ok(k)) if k == kind)
        && lexer.span().end == text.len()
        && lexer.next().is_none()
}

/// Whether `text` prints bare as a path or intrinsic.
pub fn is_path_text(text: &str) -> bool {
    is_single(text, Kind::Path) || is_single(text, Kind::Intrinsic)
}

/// Whether ASCII `text` is one identifier or hard keyword token; `None` for other text.
/// Printing asks this of every name and key, and most are ASCII: the answer is the
/// lexer's without running it (an ASCII `Ident` is `[A-Za-z_][A-Za-z0-9_-]*`).
fn ascii_word(text: &str) -> Option<bool> {
    let bytes = text.as_bytes();
    let mut word = bytes.first().is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_');
    for &b in bytes.iter().skip(1) {
        if !b.is_ascii() {
            return None;
        }
        word &= b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-');
    }
    match bytes.first() {
        Some(b) if !b.is_ascii() => None,
        _ => Some(word),
    }
}

/// Whether `text` is a word that prints bare as a key: an identifier or a hard keyword.
pub fn is_word(text: &str) -> bool {
    if let Some(word) = ascii_word(text) {
        return word;
    }
    let mut lexer = Kind::lexer(text);
    matches!(lexer.next(), Some(Ok(k)) if k == Kind::Ident || k.is_keyword())
        && lexer.span().end == text.len()
        && lexer.next().is_none()
}

/// Whether `text` prints bare as a name: an identifier that is no hard keyword.
pub fn is_name(text: &str) -> bool {
    match ascii_word(text) {
        Some(word) => word && !HARD_KEYWORDS.contains(&text),
        None => is_single(text, Kind::Ident),
    }
}

fn lex_error(err: LexError, slice: &str, range: TextRange, file: FileId) -> Diagnostic {
    match err {
        LexError::Unexpected => {
            let shown: String = slice.chars().take(20).collect();
            let mut diagnostic = Diagnostic::error(D_SYNTAX, file, range, format!("unexpected character `{shown}`"))
                .with_label("no token starts here");
            if shown == "'" {
                diagnostic = diagnostic.with_help("strings use double quotes: `\"text\"`");
            }
            diagnostic
        }
        LexError::BadString => {
            Diagnostic::error(D_SYNTAX, file, range, "invalid string").with_label("this string is not valid JSON").with_help(
                "JSON strings allow only `\\\"`, `\\\\`, `\\/`, `\\b`, `\\f`, `\\n`, `\\r`, `\\t`, `\\uXXXX` and no raw control characters",
            )
        }
        LexError::Unterminated(what) => {
            let (name, close) = match what {
                Unclosed::String => ("string", "\""),
                Unclosed::Jsonata => ("JSONata expression", "%}"),
                Unclosed::PathBracket => ("path bracket", "]"),
                Unclosed::Intrinsic => ("intrinsic call", ")"),
                Unclosed::BlockComment => ("block comment", "*/"),
            };
            let opening = TextRange::new(range.start(), range.start() + if what == Unclosed::String { 1 } else { 2 }.min(range.len()));
            Diagnostic::error(D_UNTERMINATED, file, opening, format!("unterminated {name}"))
                .with_label(format!("this {name} is never closed"))
                .with_help(format!("close it with `{close}`"))
        }
    }
}

type Lx<'a> = logos::Lexer<'a, Kind>;

fn block_comment(lex: &mut Lx<'_>) -> Result<(), LexError> {
    match lex.remainder().find("*/") {
        Some(at) => {
            lex.bump(at + 2);
            Ok(())
        }
        None => {
            lex.bump(lex.remainder().len());
            Err(LexError::Unterminated(Unclosed::BlockComment))
        }
    }
}

fn jsonata(lex: &mut Lx<'_>) -> Result<(), LexError> {
    match lex.remainder().find("%}") {
        Some(at) => {
            lex.bump(at + 2);
            Ok(())
        }
        None => {
            lex.bump(lex.remainder().len());
            Err(LexError::Unterminated(Unclosed::Jsonata))
        }
    }
}

fn string(lex: &mut Lx<'_>) -> Result<(), LexError> {
    let bytes = lex.remainder().as_bytes();
    let mut i = 0;
    let mut bad = false;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                lex.bump(i + 1);
                return if bad { Err(LexError::BadString) } else { Ok(()) };
            }
            b'\n' => break,
            b'\\' => {
                match bytes.get(i + 1) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                    Some(b'u') => {
                        let hex = bytes.get(i + 2..i + 6);
                        if hex.is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                            i += 6;
                        } else {
                            bad = true;
                            i += 2;
                        }
                    }
                    Some(b'\n') | None => {
                        bad = true;
                        i += 1;
                    }
                    Some(_) => {
                        bad = true;
                        i += 2;
                    }
                }
                continue;
            }
            b if b < 0x20 => {
                bad = true;
                i += 1;
            }
            _ => i += 1,
        }
    }
    // Unterminated: the token runs to the end of the line (without a CR before the LF).
    let mut end = i.min(bytes.len());
    if end > 0 && bytes.get(end - 1) == Some(&b'\r') {
        end -= 1;
    }
    lex.bump(floor_char_boundary(lex.remainder(), end));
    Err(LexError::Unterminated(Unclosed::String))
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

fn path(lex: &mut Lx<'_>) -> Result<(), LexError> {
    let rest = lex.remainder();
    let mut at = 0;
    if rest.starts_with('$') {
        at = 1;
    }
    at += name_len(&rest[at..]);
    loop {
        let tail = &rest[at..];
        let dots = if tail.starts_with("..") {
            2
        } else if tail.starts_with('.') {
            1
        } else {
            0
        };
        let after = &tail[dots..];
        if dots > 0 && after.starts_with('*') {
            at += dots + 1;
        } else if dots > 0 && name_len(after) > 0 {
            at += dots + name_len(after);
        } else if after.starts_with('[') {
            match bracket_len(after) {
                Some(n) => at += dots + n,
                None => {
                    let line_end = after.find('\n').unwrap_or(after.len());
                    let line = &after[..line_end];
                    let line_end = line.strip_suffix('\r').map_or(line_end, str::len);
                    lex.bump(at + dots + line_end);
                    return Err(LexError::Unterminated(Unclosed::PathBracket));
                }
            }
        } else {
            break;
        }
    }
    lex.bump(at);
    Ok(())
}

fn name_len(text: &str) -> usize {
    // ASCII bytes are checked as bytes; from the first other byte on, characters.
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        if !b.is_ascii() {
            let rest = &text[at..];
            return at + rest.char_indices().find(|&(_, c)| !is_name_char(c)).map_or(rest.len(), |(i, _)| i);
        }
        if !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
            return at;
        }
        at += 1;
    }
    at
}

/// Length of a balanced `[…]` group at the start of `text`, or `None` when the line ends
/// first.
fn bracket_len(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '[' | '(' => depth += 1,
            ']' | ')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            '\'' | '"' => loop {
                match chars.next() {
                    Some((_, '\\')) => {
                        chars.next();
                    }
                    Some((_, q)) if q == c => break,
                    Some((_, '\n')) | None => return None,
                    Some(_) => {}
                }
            },
            '\n' => return None,
            _ => {}
        }
    }
    None
}

fn intrinsic(lex: &mut Lx<'_>) -> Result<(), LexError> {
    let rest = lex.remainder();
    let mut depth = 1usize;
    let mut chars = rest.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    lex.bump(i + 1);
                    return Ok(());
                }
            }
            '\'' => loop {
                match chars.next() {
                    Some((_, '\\')) => {
                        chars.next();
                    }
                    Some((_, '\'')) => break,
                    Some((_, c)) if c < ' ' => break,
                    None => break,
                    Some(_) => {}
                }
            },
            c if c < ' ' => break,
            _ => {}
        }
    }
    let line_end = rest.find('\n').unwrap_or(rest.len());
    let line = &rest[..line_end];
    lex.bump(line.strip_suffix('\r').map_or(line_end, str::len));
    Err(LexError::Unterminated(Unclosed::Intrinsic))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        let mut diagnostics = Vec::new();
        let tokens = lex(text, FileId(0), &mut diagnostics);
        significant(&tokens).into_iter().map(|t| (t.kind, t.text)).collect()
    }

    #[test]
    fn paths_take_brackets_filters_and_stop_at_punctuation() {
        assert_eq!(kinds("$.items[?(@.price < 10)]"), vec![(Kind::Path, "$.items[?(@.price < 10)]")]);
        assert_eq!(kinds("$.n==1"), vec![(Kind::Path, "$.n"), (Kind::EqEq, "=="), (Kind::Number, "1")]);
        assert_eq!(kinds("$$.Task.Token"), vec![(Kind::Path, "$$.Task.Token")]);
        assert_eq!(kinds("$myVar.a..b.*[0]"), vec![(Kind::Path, "$myVar.a..b.*[0]")]);
        assert_eq!(kinds("$.a."), vec![(Kind::Path, "$.a"), (Kind::Dot, ".")]);
    }

    #[test]
    fn words_docs_and_numbers() {
        assert_eq!(kinds("check-stock end"), vec![(Kind::Ident, "check-stock"), (Kind::End, "end")]);
        assert_eq!(
            kinds("/// doc\n//// not\n//! top"),
            vec![(Kind::Doc, "/// doc"), (Kind::InnerDoc, "//! top")]
        );
        assert_eq!(kinds("30s"), vec![(Kind::Number, "30"), (Kind::Ident, "s")]);
        assert_eq!(kinds("States.Format('{)}', $.x) States.ALL").len(), 4);
    }

    #[test]
    fn the_ascii_shortcut_agrees_with_the_lexer() {
        let samples = [
            "",
            "a",
            "_",
            "-",
            "a-b",
            "check-stock",
            "9a",
            "a9",
            "task",
            "tasks",
            "end",
            "none",
            "true",
            "States",
            "States.ALL",
            "a.b",
            "a b",
            "$",
            "$.a",
            "\"q\"",
            "a_b-c_",
            "A",
            "ü",
            "prüfen",
            "x:y",
            "-a",
            "a--",
            "null",
            "nul",
            "if",
            "iff",
            "raw",
            "start",
            "{",
            "a{",
        ];
        for text in samples {
            let by_lexer_word = {
                let mut lexer = Kind::lexer(text);
                matches!(lexer.next(), Some(Ok(k)) if k == Kind::Ident || k.is_keyword())
                    && lexer.span().end == text.len()
                    && lexer.next().is_none()
            };
            assert_eq!(is_word(text), by_lexer_word, "{text:?}");
            assert_eq!(is_name(text), is_single(text, Kind::Ident), "{text:?}");
        }
    }

    #[test]
    fn unterminated_constructs_report_at_their_opening() {
        let mut diagnostics = Vec::new();
        lex("\"abc\nx {% y", FileId(0), &mut diagnostics);
        let codes: Vec<_> = diagnostics.iter().map(|d| (d.code, d.primary.range)).collect();
        assert_eq!(
            codes,
            vec![(D_UNTERMINATED, TextRange::new(0, 1)), (D_UNTERMINATED, TextRange::new(7, 9))]
        );
    }
}
