//! The Jayway filter language inside `[?( … )]` (jsonpath.md §2.3).
//!
//! [`parse_filter`] answers `Ok(None)` for a balanced body that is not a Jayway filter: AWS
//! accepts such definitions, so the caller keeps the body opaque. Only a nesting deeper than
//! [`MAX_FILTER_DEPTH`](super::MAX_FILTER_DEPTH) is an error.

use aslc_source::TextRange;

use super::parser::{check_depth, is_depth_error, quoted, read_path, read_segments, Mode};
use super::{FilterExpr, FilterKind, FilterOp, Operand, OperandKind};
use crate::cursor::Cursor;
use crate::QueryError;

/// Why a body is not a Jayway filter (it stays opaque) — or a real error.
enum Fail {
    NotJayway,
    Error(QueryError),
}

type Res<T> = Result<T, Fail>;

/// Parses the filter body at `body` (the text between the parentheses) of `text`.
pub(super) fn parse_filter(
    text: &str,
    body: TextRange,
    depth: usize,
) -> Result<Option<FilterExpr>, QueryError> {
    check_depth(depth, body)?;
    let bounded = &text[..body.end() as usize];
    let mut cursor = Cursor::at(bounded, body.start() as usize);
    let mut reader = Reader { cursor: &mut cursor, depth };
    match reader.or_expr(0) {
        Ok(expr) => {
            reader.ws();
            Ok(reader.cursor.is_eof().then_some(expr))
        }
        Err(Fail::NotJayway) => Ok(None),
        Err(Fail::Error(err)) => Err(err),
    }
}

struct Reader<'a, 'b> {
    cursor: &'b mut Cursor<'a>,
    depth: usize,
}

/// Parenthesised filter groups nest; this bounds them like paths.
const MAX_GROUP_DEPTH: usize = 32;

impl Reader<'_, '_> {
    fn ws(&mut self) {
        self.cursor.eat_while(char::is_whitespace);
    }

    fn or_expr(&mut self, level: usize) -> Res<FilterExpr> {
        let mut lhs = self.and_expr(level)?;
        loop {
            self.ws();
            if !self.cursor.eat_str("||") {
                return Ok(lhs);
            }
            let rhs = self.and_expr(level)?;
            let range = lhs.range.cover(rhs.range);
            lhs = FilterExpr { kind: FilterKind::Or(Box::new(lhs), Box::new(rhs)), range };
        }
    }

    fn and_expr(&mut self, level: usize) -> Res<FilterExpr> {
        let mut lhs = self.unary(level)?;
        loop {
            self.ws();
            if !self.cursor.eat_str("&&") {
                return Ok(lhs);
            }
            let rhs = self.unary(level)?;
            let range = lhs.range.cover(rhs.range);
            lhs = FilterExpr { kind: FilterKind::And(Box::new(lhs), Box::new(rhs)), range };
        }
    }

    fn unary(&mut self, level: usize) -> Res<FilterExpr> {
        if level > MAX_GROUP_DEPTH {
            return Err(Fail::NotJayway);
        }
        self.ws();
        let start = self.cursor.pos();
        if self.cursor.peek() == Some('!') && self.cursor.peek2() != Some('=') {
            self.cursor.bump();
            let inner = self.unary(level + 1)?;
            return Ok(FilterExpr {
                kind: FilterKind::Not(Box::new(inner)),
                range: self.cursor.range_from(start),
            });
        }
        if self.cursor.eat('(') {
            let mut inner = self.or_expr(level + 1)?;
            self.ws();
            if !self.cursor.eat(')') {
                return Err(Fail::NotJayway);
            }
            inner.range = self.cursor.range_from(start);
            return Ok(inner);
        }
        let lhs = self.operand()?;
        self.ws();
        let Some(op) = self.operator() else {
            let range = lhs.range;
            return Ok(FilterExpr { kind: FilterKind::Exists(lhs), range });
        };
        self.ws();
        let rhs = self.operand()?;
        let range = lhs.range.cover(rhs.range);
        Ok(FilterExpr { kind: FilterKind::Compare { op, lhs, rhs }, range })
    }

    fn operator(&mut self) -> Option<FilterOp> {
        const SYMBOLS: &[(&str, FilterOp)] = &[
            ("===", FilterOp::StrictEq),
            ("!==", FilterOp::StrictNe),
            ("==", FilterOp::Eq),
            ("!=", FilterOp::Ne),
            ("<=", FilterOp::Le),
            (">=", FilterOp::Ge),
            ("=~", FilterOp::Matches),
            ("<", FilterOp::Lt),
            (">", FilterOp::Gt),
        ];
        const KEYWORDS: &[(&str, FilterOp)] = &[
            ("subsetof", FilterOp::SubsetOf),
            ("contains", FilterOp::Contains),
            ("noneof", FilterOp::NoneOf),
            ("anyof", FilterOp::AnyOf),
            ("exists", FilterOp::Exists),
            ("empty", FilterOp::Empty),
            ("size", FilterOp::Size),
            ("nin", FilterOp::Nin),
            ("all", FilterOp::All),
            ("in", FilterOp::In),
        ];
        for &(symbol, op) in SYMBOLS {
            if self.cursor.eat_str(symbol) {
                return Some(op);
            }
        }
        let rest = self.cursor.rest();
        for &(keyword, op) in KEYWORDS {
            let matches = rest.get(..keyword.len()).is_some_and(|head| head.eq_ignore_ascii_case(keyword))
                && rest[keyword.len()..].chars().next().is_none_or(|c| !is_word_char(c));
            if matches {
                self.cursor.eat_str(&rest[..keyword.len()]);
                return Some(op);
            }
        }
        None
    }

    fn operand(&mut self) -> Res<Operand> {
        self.ws();
        let start = self.cursor.pos();
        let kind = match self.cursor.peek() {
            Some('@') => {
                self.cursor.bump();
                let segments = read_segments(self.cursor, Mode::Filter, self.depth).map_err(Self::nested)?;
                OperandKind::Current(segments)
            }
            Some('$') => {
                let path = read_path(self.cursor, Mode::Filter, self.depth).map_err(Self::nested)?;
                OperandKind::Path(Box::new(path))
            }
            Some('\'') | Some('"') => {
                OperandKind::String(quoted(self.cursor).map_err(|_| Fail::NotJayway)?.as_str().into())
            }
            Some('/') => self.regex()?,
            Some('[') => self.list()?,
            Some(c)
                if c.is_ascii_digit()
                    || c == '-' && self.cursor.peek2().is_some_and(|d| d.is_ascii_digit()) =>
            {
                self.number()?
            }
            Some(c) if is_word_char(c) => {
                let word = self.cursor.eat_while(is_word_char);
                match word {
                    "true" => OperandKind::Bool(true),
                    "false" => OperandKind::Bool(false),
                    "null" => OperandKind::Null,
                    _ => OperandKind::Word(word.into()),
                }
            }
            _ => return Err(Fail::NotJayway),
        };
        Ok(Operand { kind, range: self.cursor.range_from(start) })
    }

    /// A path error inside a filter makes the body non-Jayway, except the depth bound.
    fn nested(err: QueryError) -> Fail {
        if is_depth_error(&err) {
            Fail::Error(err)
        } else {
            Fail::NotJayway
        }
    }

    fn number(&mut self) -> Res<OperandKind> {
        let start = self.cursor.pos();
        self.cursor.eat('-');
        self.cursor.eat_while(|c| c.is_ascii_digit());
        if self.cursor.peek() == Some('.') && self.cursor.peek2().is_some_and(|c| c.is_ascii_digit()) {
            self.cursor.bump();
            self.cursor.eat_while(|c| c.is_ascii_digit());
        }
        if matches!(self.cursor.peek(), Some('e' | 'E')) {
            let save = self.cursor.clone();
            self.cursor.bump();
            if matches!(self.cursor.peek(), Some('+' | '-')) {
                self.cursor.bump();
            }
            if self.cursor.eat_while(|c| c.is_ascii_digit()).is_empty() {
                *self.cursor = save;
            }
        }
        let text = &self.cursor.text()[start..self.cursor.pos()];
        let value = text.parse::<f64>().map_err(|_| Fail::NotJayway)?;
        if self.cursor.peek().is_some_and(is_word_char) {
            return Err(Fail::NotJayway);
        }
        Ok(OperandKind::Number { value, text: text.into() })
    }

    fn regex(&mut self) -> Res<OperandKind> {
        self.cursor.bump();
        let mut pattern = String::new();
        loop {
            match self.cursor.bump() {
                None => return Err(Fail::NotJayway),
                Some('/') => break,
                Some('\\') => {
                    pattern.push('\\');
                    if let Some(c) = self.cursor.bump() {
                        pattern.push(c);
                    }
                }
                Some(c) => pattern.push(c),
            }
        }
        let flags = self.cursor.eat_while(|c| c.is_ascii_alphabetic());
        Ok(OperandKind::Regex { pattern: pattern.into(), flags: flags.into() })
    }

    fn list(&mut self) -> Res<OperandKind> {
        self.cursor.bump();
        let mut items = Vec::new();
        self.ws();
        if self.cursor.eat(']') {
            return Ok(OperandKind::List(items));
        }
        loop {
            let item = self.operand()?;
            if matches!(item.kind, OperandKind::List(_)) {
                return Err(Fail::NotJayway);
            }
            items.push(item);
            self.ws();
            if self.cursor.eat(']') {
                return Ok(OperandKind::List(items));
            }
            if !self.cursor.eat(',') {
                return Err(Fail::NotJayway);
            }
        }
    }
}

/// Characters of a bare word or keyword inside a filter.
fn is_word_char(c: char) -> bool {
    !c.is_whitespace()
        && !matches!(
            c,
            '(' | ')' | '[' | ']' | '&' | '|' | '!' | '=' | '<' | '>' | ',' | '\'' | '"' | '@' | '$' | '/'
        )
}
