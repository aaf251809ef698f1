//! Semantic tokens for `.asld` files, from the DSL's own lexer: keywords, state names,
//! strings, numbers, comments, paths, intrinsics and JSONata.

use tower_lsp_server::ls_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokensLegend,
};

use aslc_dsl::lexer::{lex, Kind};

use crate::analysis::FILE;
use crate::document::Snapshot;

const KEYWORD: u32 = 0;
const STRING: u32 = 1;
const NUMBER: u32 = 2;
const COMMENT: u32 = 3;
const FUNCTION: u32 = 4;
const VARIABLE: u32 = 5;
const OPERATOR: u32 = 6;
const CLASS: u32 = 7;
const PROPERTY: u32 = 8;
const MACRO: u32 = 9;

/// The token types and modifiers, in the order their indices are used.
pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: vec![
            SemanticTokenType::KEYWORD,
            SemanticTokenType::STRING,
            SemanticTokenType::NUMBER,
            SemanticTokenType::COMMENT,
            SemanticTokenType::FUNCTION,
            SemanticTokenType::VARIABLE,
            SemanticTokenType::OPERATOR,
            SemanticTokenType::CLASS,
            SemanticTokenType::PROPERTY,
            SemanticTokenType::MACRO,
        ],
        token_modifiers: vec![SemanticTokenModifier::DECLARATION, SemanticTokenModifier::DOCUMENTATION],
    }
}

const DECLARATION: u32 = 1;
const DOCUMENTATION: u32 = 2;

/// Words of a state body's inner lines (Wait, Fail, retry and catch details) that are
/// keywords too, besides the clause words of [`aslc_dsl::parser::CLAUSE_WORDS`].
const DETAIL_WORDS: &[&str] = &[
    "seconds",
    "until",
    "error",
    "cause",
    "version",
    "interval",
    "attempts",
    "backoff",
    "max_delay",
    "jitter",
    "default",
];

/// The encoded tokens of a `.asld` snapshot.
pub fn tokens(snapshot: &Snapshot) -> Vec<SemanticToken> {
    let mut ignored = Vec::new();
    let tokens = lex(&snapshot.text, FILE, &mut ignored);
    let mut out = Vec::new();
    let (mut prev_line, mut prev_start) = (0u32, 0u32);
    let mut previous = Kind::Whitespace;
    for token in &tokens {
        let (kind, modifiers) = match token.kind {
            Kind::Whitespace => continue,
            Kind::LineComment | Kind::BlockComment => (COMMENT, 0),
            Kind::Doc | Kind::InnerDoc => (COMMENT, DOCUMENTATION),
            Kind::String => (STRING, 0),
            Kind::Number => (NUMBER, 0),
            Kind::Path => (VARIABLE, 0),
            Kind::Intrinsic => (FUNCTION, 0),
            Kind::Jsonata => (MACRO, 0),
            Kind::Ident => match previous {
                Kind::Task
                | Kind::Pass
                | Kind::Wait
                | Kind::Choice
                | Kind::Parallel
                | Kind::Map
                | Kind::Succeed
                | Kind::Fail
                | Kind::State
                | Kind::Policy => (CLASS, DECLARATION),
                Kind::Goto | Kind::Start => (CLASS, 0),
                _ if aslc_dsl::parser::CLAUSE_WORDS.contains(&token.text)
                    || DETAIL_WORDS.contains(&token.text) =>
                {
                    (KEYWORD, 0)
                }
                _ => (PROPERTY, 0),
            },
            Kind::EqEq | Kind::NotEq | Kind::Lt | Kind::LtEq | Kind::Gt | Kind::GtEq => (OPERATOR, 0),
            Kind::LBrace
            | Kind::RBrace
            | Kind::LBracket
            | Kind::RBracket
            | Kind::LParen
            | Kind::RParen
            | Kind::Comma
            | Kind::Colon
            | Kind::Dot
            | Kind::Error
            | Kind::Garbage => {
                previous = token.kind;
                continue;
            }
            _ => (KEYWORD, 0),
        };
        previous = token.kind;
        // A token over several lines is sent line by line, as clients expect.
        let mut start = token.range.start();
        let end = token.range.end();
        while start < end {
            let line_end =
                snapshot.text[start as usize..end as usize].find('\n').map_or(end, |i| start + i as u32);
            if line_end > start {
                let from = snapshot.position(start);
                let to = snapshot.position(line_end);
                let delta_line = from.line - prev_line;
                let delta_start = if delta_line == 0 { from.character - prev_start } else { from.character };
                out.push(SemanticToken {
                    delta_line,
                    delta_start,
                    length: to.character - from.character,
                    token_type: kind,
                    token_modifiers_bitset: modifiers,
                });
                prev_line = from.line;
                prev_start = from.character;
            }
            start = line_end + 1;
        }
    }
    out
}
