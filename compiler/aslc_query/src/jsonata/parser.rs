//! The JSONata 2.0.6 Pratt parser: tokens to a raw tree, before the post-parse pass of
//! [`process`](super::process).
//!
//! Binding powers, the prefix (`nud`) and infix (`led`) forms of each symbol, and the places
//! where the next token is read in operator position all follow the reference parser, since
//! they decide which texts AWS accepts: after `(`, `[` or `{` that opens an expression the
//! next token is read in operator position (so `(/a/)` is a syntax error in JSONata too), and
//! after `]` of an empty predicate `a[]` it is read in operand position.

use aslc_source::TextRange;

use super::ast::Binding;
use super::error::{json_string, ErrorCode, JsonataError};
use super::lexer::{Lexer, Token, TokenKind};
use super::signature::{parse_signature, Signature};
use super::MAX_DEPTH;

/// A node of the raw tree.
#[derive(Debug)]
pub(super) struct RawNode {
    pub(super) kind: Raw,
    pub(super) range: TextRange,
    /// `[]` was written after this node.
    pub(super) keep_array: bool,
    /// The height of the subtree, bounded by [`MAX_DEPTH`].
    height: usize,
}

#[derive(Debug)]
pub(super) enum Raw {
    End,
    Name(Box<str>),
    Variable(Box<str>),
    Str(Box<str>),
    Number(f64, Box<str>),
    Bool(bool),
    Null,
    Regex {
        pattern: Box<str>,
        flags: Box<str>,
    },
    /// `and`, `or` or `in` in operand position: a field name.
    KeywordName(&'static str),
    Wildcard,
    Descendant,
    Parent,
    Negate(Box<RawNode>),
    /// `.`, `[`, `:=`, `@`, `#`, `~>`, `..` and the arithmetic, comparison and boolean
    /// operators.
    /// The operands share one allocation.
    Infix {
        op: &'static str,
        operands: Box<(RawNode, RawNode)>,
    },
    Group {
        lhs: Box<RawNode>,
        pairs: Vec<(RawNode, RawNode)>,
        range: TextRange,
    },
    Sort {
        lhs: Box<RawNode>,
        terms: Vec<(bool, RawNode)>,
        range: TextRange,
    },
    Array(Vec<RawNode>),
    Object(Vec<(RawNode, RawNode)>),
    Call {
        procedure: Box<RawNode>,
        args: Vec<RawNode>,
    },
    Placeholder,
    Lambda {
        params: Vec<Binding>,
        signature: Option<Box<Signature>>,
        body: Box<RawNode>,
    },
    Condition {
        condition: Box<RawNode>,
        then: Box<RawNode>,
        otherwise: Option<Box<RawNode>>,
    },
    Transform {
        pattern: Box<RawNode>,
        update: Box<RawNode>,
        delete: Option<Box<RawNode>>,
    },
    Block(Vec<RawNode>),
}

type Result<T> = std::result::Result<T, JsonataError>;

/// Parses `text[range]` into a raw tree; ranges are offsets into `text`.
pub(super) fn parse_raw(text: &str, range: TextRange) -> Result<RawNode> {
    let mut lexer = Lexer::new(text, range.start() as usize, range.end() as usize);
    let first = lexer.next(false)?;
    let mut parser = Parser { lexer, text, node: first, last_end: 0, depth: 0 };
    parser.check_operator()?;
    let expr = parser.expression(0)?;
    if !matches!(parser.node.kind, TokenKind::End) {
        return Err(parser.token_error(ErrorCode::S0201, &parser.node.clone()));
    }
    Ok(expr)
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    text: &'a str,
    /// The current token.
    node: Token,
    /// The end of the last token consumed.
    last_end: u32,
    /// Nesting of [`Parser::expression`] calls.
    depth: usize,
}

/// The left binding power of a token (JSONata's operator table; symbols created without a
/// binding power, such as `:` and `;`, have 0).
fn lbp(token: &Token) -> u8 {
    match token.kind {
        TokenKind::Operator(op) => match op {
            "." => 75,
            "[" | "(" | "@" | "#" => 80,
            "{" => 70,
            "*" | "/" | "%" => 60,
            "+" | "-" | "&" => 50,
            "=" | "<" | ">" | "!=" | "<=" | ">=" | "~>" | "in" | "^" => 40,
            "and" => 30,
            "or" => 25,
            "?" => 20,
            ":=" => 10,
            _ => 0,
        },
        _ => 0,
    }
}

/// The id the parser compares tokens with: the operator, or a class.
fn id(token: &Token) -> &'static str {
    match token.kind {
        TokenKind::Operator(op) => op,
        TokenKind::Name(_) | TokenKind::Variable(_) => "(name)",
        TokenKind::Str(_) | TokenKind::Number(_) | TokenKind::Bool(_) | TokenKind::Null => "(literal)",
        TokenKind::Regex { .. } => "(regex)",
        TokenKind::End => "(end)",
    }
}

/// A number as JavaScript prints it (for messages and signatures).
pub(super) fn js_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e21 {
        format!("{value:.0}")
    } else {
        format!("{value}")
    }
}

/// The token's value as JSON text, as JSONata renders it in messages.
fn token_json(token: &Token) -> String {
    match &token.kind {
        TokenKind::Operator(op) => json_string(op),
        TokenKind::Name(s) | TokenKind::Variable(s) | TokenKind::Str(s) => json_string(s),
        TokenKind::Number(n) => js_number(*n),
        TokenKind::Bool(b) => b.to_string(),
        TokenKind::Null => "null".to_owned(),
        TokenKind::Regex { .. } => "{}".to_owned(),
        TokenKind::End => "undefined".to_owned(),
    }
}

/// The token's value as JSONata concatenates it when it rebuilds a signature.
fn token_text(token: &Token) -> String {
    match &token.kind {
        TokenKind::Operator(op) => (*op).to_owned(),
        TokenKind::Name(s) | TokenKind::Variable(s) | TokenKind::Str(s) => s.to_string(),
        TokenKind::Number(n) => js_number(*n),
        TokenKind::Bool(b) => b.to_string(),
        TokenKind::Null => "null".to_owned(),
        TokenKind::Regex { pattern, flags } => format!("/{pattern}/{flags}g"),
        TokenKind::End => String::new(),
    }
}

impl RawNode {
    fn new(kind: Raw, range: TextRange) -> Result<RawNode> {
        let children = match &kind {
            Raw::Negate(inner) => inner.height,
            Raw::Infix { operands, .. } => operands.0.height.max(operands.1.height),
            Raw::Group { lhs, pairs, .. } => {
                lhs.height.max(pairs.iter().map(|(k, v)| k.height.max(v.height)).max().unwrap_or(0))
            }
            Raw::Sort { lhs, terms, .. } => {
                lhs.height.max(terms.iter().map(|(_, t)| t.height).max().unwrap_or(0))
            }
            Raw::Array(items) | Raw::Block(items) => items.iter().map(|i| i.height).max().unwrap_or(0),
            Raw::Object(pairs) => pairs.iter().map(|(k, v)| k.height.max(v.height)).max().unwrap_or(0),
            Raw::Call { procedure, args } => {
                procedure.height.max(args.iter().map(|a| a.height).max().unwrap_or(0))
            }
            Raw::Lambda { body, .. } => body.height,
            Raw::Condition { condition, then, otherwise } => {
                condition.height.max(then.height).max(otherwise.as_ref().map_or(0, |o| o.height))
            }
            Raw::Transform { pattern, update, delete } => {
                pattern.height.max(update.height).max(delete.as_ref().map_or(0, |d| d.height))
            }
            _ => 0,
        };
        let height = children + 1;
        if height > MAX_DEPTH {
            return Err(JsonataError::new(ErrorCode::TooDeep, range));
        }
        Ok(RawNode { kind, range, keep_array: false, height })
    }
}

impl Parser<'_> {
    fn token_error(&self, code: ErrorCode, token: &Token) -> JsonataError {
        JsonataError::new(code, token.range).with_raw_token(&token_json(token))
    }

    /// `!` and `~` alone are in the operator table only to end names; reading one is S0204.
    fn check_operator(&self) -> Result<()> {
        if let TokenKind::Operator(op @ ("!" | "~")) = self.node.kind {
            return Err(JsonataError::new(ErrorCode::S0204, self.node.range).with_token(op));
        }
        Ok(())
    }

    /// Checks that the current token is `expected` (if given) and reads the next one;
    /// `infix` says the next token is in operator position. Returns the token it moved past.
    fn advance(&mut self, expected: Option<&str>, infix: bool) -> Result<Token> {
        if let Some(expected) = expected {
            if id(&self.node) != expected {
                let err = if matches!(self.node.kind, TokenKind::End) {
                    JsonataError::new(ErrorCode::S0203, self.node.range)
                } else {
                    self.token_error(ErrorCode::S0202, &self.node)
                };
                return Err(err.with_value(expected));
            }
        }
        self.last_end = self.node.range.end();
        let next = self.lexer.next(infix)?;
        let token = std::mem::replace(&mut self.node, next);
        self.check_operator()?;
        Ok(token)
    }

    fn is(&self, op: &str) -> bool {
        matches!(self.node.kind, TokenKind::Operator(o) if o == op)
    }

    fn range_from(&self, start: TextRange) -> TextRange {
        TextRange::new(start.start(), self.last_end.max(start.start()))
    }

    fn expression(&mut self, rbp: u8) -> Result<RawNode> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(JsonataError::new(ErrorCode::TooDeep, self.node.range));
        }
        let token = self.advance(None, true)?;
        let mut left = self.nud(token)?;
        while rbp < lbp(&self.node) {
            let token = self.advance(None, false)?;
            left = self.led(token, left)?;
        }
        self.depth -= 1;
        Ok(left)
    }

    fn nud(&mut self, token: Token) -> Result<RawNode> {
        let range = token.range;
        let kind = match token.kind {
            TokenKind::End => Raw::End,
            TokenKind::Name(name) => Raw::Name(name),
            TokenKind::Variable(name) => Raw::Variable(name),
            TokenKind::Str(value) => Raw::Str(value),
            TokenKind::Number(value) => {
                let text = self.text.get(range.as_usize()).unwrap_or_default();
                Raw::Number(value, text.into())
            }
            TokenKind::Bool(value) => Raw::Bool(value),
            TokenKind::Null => Raw::Null,
            TokenKind::Regex { pattern, flags } => Raw::Regex { pattern, flags },
            TokenKind::Operator(op @ ("and" | "or" | "in")) => Raw::KeywordName(op),
            TokenKind::Operator("-") => self.negate()?,
            TokenKind::Operator("*") => Raw::Wildcard,
            TokenKind::Operator("**") => Raw::Descendant,
            TokenKind::Operator("%") => Raw::Parent,
            TokenKind::Operator("(") => self.block()?,
            TokenKind::Operator("[") => self.array()?,
            TokenKind::Operator("{") => Raw::Object(self.object_pairs()?),
            TokenKind::Operator("|") => self.transform()?,
            TokenKind::Operator(_) => return Err(self.token_error(ErrorCode::S0211, &token)),
        };
        let range = self.range_from(range);
        RawNode::new(kind, range)
    }

    // The prefix forms that recurse live in their own functions so that the frame of the
    // recursive `expression`/`nud` pair stays small (see `MAX_DEPTH`).

    #[inline(never)]
    fn negate(&mut self) -> Result<Raw> {
        Ok(Raw::Negate(Box::new(self.expression(70)?)))
    }

    #[inline(never)]
    fn block(&mut self) -> Result<Raw> {
        let mut exprs = Vec::new();
        while !self.is(")") {
            exprs.push(self.expression(0)?);
            if !self.is(";") {
                break;
            }
            self.advance(Some(";"), false)?;
        }
        self.advance(Some(")"), true)?;
        Ok(Raw::Block(exprs))
    }

    #[inline(never)]
    fn array(&mut self) -> Result<Raw> {
        let mut items = Vec::new();
        if !self.is("]") {
            loop {
                let mut item = self.expression(0)?;
                if self.is("..") {
                    self.advance(Some(".."), false)?;
                    let rhs = self.expression(0)?;
                    let range = item.range.cover(rhs.range);
                    item = RawNode::new(Raw::Infix { op: "..", operands: Box::new((item, rhs)) }, range)?;
                }
                items.push(item);
                if !self.is(",") {
                    break;
                }
                self.advance(Some(","), false)?;
            }
        }
        self.advance(Some("]"), true)?;
        Ok(Raw::Array(items))
    }

    #[inline(never)]
    fn transform(&mut self) -> Result<Raw> {
        let pattern = self.expression(0)?;
        self.advance(Some("|"), false)?;
        let update = self.expression(0)?;
        let delete = if self.is(",") {
            self.advance(Some(","), false)?;
            Some(Box::new(self.expression(0)?))
        } else {
            None
        };
        self.advance(Some("|"), false)?;
        Ok(Raw::Transform { pattern: Box::new(pattern), update: Box::new(update), delete })
    }

    /// The pairs of an object constructor or group-by, after `{`, through `}`.
    #[inline(never)]
    fn object_pairs(&mut self) -> Result<Vec<(RawNode, RawNode)>> {
        let mut pairs = Vec::new();
        if !self.is("}") {
            loop {
                let key = self.expression(0)?;
                self.advance(Some(":"), false)?;
                let value = self.expression(0)?;
                pairs.push((key, value));
                if !self.is(",") {
                    break;
                }
                self.advance(Some(","), false)?;
            }
        }
        self.advance(Some("}"), true)?;
        Ok(pairs)
    }

    fn led(&mut self, token: Token, left: RawNode) -> Result<RawNode> {
        let TokenKind::Operator(op) = token.kind else {
            // Only operators have a binding power above 0.
            return Err(self.token_error(ErrorCode::S0201, &token));
        };
        let start = left.range;
        let kind = match op {
            "(" => return self.call(left),
            "[" => match self.predicate(left)? {
                Ok(kind) => kind,
                Err(kept) => return Ok(kept),
            },
            "^" => self.sort(left, token.range)?,
            "{" => {
                let pairs = self.object_pairs()?;
                Raw::Group { lhs: Box::new(left), pairs, range: self.range_from(token.range) }
            }
            ":=" => self.bind(left)?,
            "@" | "#" => self.binding(op, left)?,
            "?" => self.condition(left)?,
            _ => self.infix(op, lbp(&token), left)?,
        };
        let range = self.range_from(start);
        RawNode::new(kind, range)
    }

    /// `left[…]`; for `left[]` the marked `left` itself (as `Err`).
    #[inline(never)]
    fn predicate(&mut self, left: RawNode) -> Result<std::result::Result<Raw, RawNode>> {
        if self.is("]") {
            // `a[]`: keep singleton arrays; marks the innermost predicated step.
            let mut left = left;
            mark_keep_array(&mut left);
            self.advance(Some("]"), false)?;
            return Ok(Err(left));
        }
        let rhs = self.expression(0)?;
        self.advance(Some("]"), true)?;
        Ok(Ok(Raw::Infix { op: "[", operands: Box::new((left, rhs)) }))
    }

    #[inline(never)]
    fn sort(&mut self, left: RawNode, caret: TextRange) -> Result<Raw> {
        self.advance(Some("("), false)?;
        let mut terms = Vec::new();
        loop {
            let mut descending = false;
            if self.is("<") {
                self.advance(Some("<"), false)?;
            } else if self.is(">") {
                descending = true;
                self.advance(Some(">"), false)?;
            }
            terms.push((descending, self.expression(0)?));
            if !self.is(",") {
                break;
            }
            self.advance(Some(","), false)?;
        }
        self.advance(Some(")"), false)?;
        Ok(Raw::Sort { lhs: Box::new(left), terms, range: self.range_from(caret) })
    }

    #[inline(never)]
    fn bind(&mut self, left: RawNode) -> Result<Raw> {
        if !matches!(left.kind, Raw::Variable(_)) {
            return Err(JsonataError::new(ErrorCode::S0212, left.range));
        }
        let rhs = self.expression(9)?;
        Ok(Raw::Infix { op: ":=", operands: Box::new((left, rhs)) })
    }

    /// `@$v` and `#$i`.
    #[inline(never)]
    fn binding(&mut self, op: &'static str, left: RawNode) -> Result<Raw> {
        let rhs = self.expression(80)?;
        if !matches!(rhs.kind, Raw::Variable(_)) {
            return Err(JsonataError::new(ErrorCode::S0214, rhs.range).with_token(op));
        }
        Ok(Raw::Infix { op, operands: Box::new((left, rhs)) })
    }

    #[inline(never)]
    fn condition(&mut self, left: RawNode) -> Result<Raw> {
        let then = self.expression(0)?;
        let otherwise = if self.is(":") {
            self.advance(Some(":"), false)?;
            Some(Box::new(self.expression(0)?))
        } else {
            None
        };
        Ok(Raw::Condition { condition: Box::new(left), then: Box::new(then), otherwise })
    }

    #[inline(never)]
    fn infix(&mut self, op: &'static str, bp: u8, left: RawNode) -> Result<Raw> {
        let rhs = self.expression(bp)?;
        Ok(Raw::Infix { op, operands: Box::new((left, rhs)) })
    }

    /// A call `left(args)`, which is a function definition when `left` is the name
    /// `function` or `λ`.
    #[inline(never)]
    fn call(&mut self, procedure: RawNode) -> Result<RawNode> {
        let start = procedure.range;
        let mut args = Vec::new();
        if !self.is(")") {
            loop {
                if self.is("?") {
                    let range = self.node.range;
                    self.advance(Some("?"), false)?;
                    args.push(RawNode::new(Raw::Placeholder, range)?);
                } else {
                    args.push(self.expression(0)?);
                }
                if !self.is(",") {
                    break;
                }
                self.advance(Some(","), false)?;
            }
        }
        self.advance(Some(")"), true)?;
        let is_lambda = matches!(&procedure.kind, Raw::Name(name) if &**name == "function" || &**name == "λ");
        if !is_lambda {
            let range = self.range_from(start);
            return RawNode::new(Raw::Call { procedure: Box::new(procedure), args }, range);
        }
        let mut params = Vec::with_capacity(args.len());
        for (index, arg) in args.into_iter().enumerate() {
            match arg.kind {
                Raw::Variable(name) => params.push(Binding { name, range: arg.range }),
                other => {
                    let token = match other {
                        Raw::Name(s) | Raw::Str(s) => json_string(&s),
                        Raw::Number(n, _) => js_number(n),
                        Raw::Placeholder => json_string("?"),
                        _ => "undefined".to_owned(),
                    };
                    return Err(JsonataError::new(ErrorCode::S0208, arg.range)
                        .with_raw_token(&token)
                        .with_raw_value(&(index + 1).to_string()));
                }
            }
        }
        let signature = if self.is("<") { Some(Box::new(self.signature()?)) } else { None };
        self.advance(Some("{"), false)?;
        let body = self.expression(0)?;
        self.advance(Some("}"), false)?;
        let range = self.range_from(start);
        RawNode::new(Raw::Lambda { params, signature, body: Box::new(body) }, range)
    }

    /// A signature `<…>`, rebuilt from its tokens as JSONata does.
    fn signature(&mut self) -> Result<Signature> {
        let start = self.node.range;
        let mut depth = 1;
        let mut text = String::from("<");
        while depth > 0 && !self.is("{") && !matches!(self.node.kind, TokenKind::End) {
            self.advance(None, false)?;
            if self.is(">") {
                depth -= 1;
            } else if self.is("<") {
                depth += 1;
            }
            text.push_str(&token_text(&self.node));
        }
        self.advance(Some(">"), false)?;
        parse_signature(&text, self.range_from(start))
    }
}

/// Marks the innermost step of a chain of predicates `a[x][y]` for `[]`.
fn mark_keep_array(node: &mut RawNode) {
    match &mut node.kind {
        Raw::Infix { op: "[", operands } => mark_keep_array(&mut operands.0),
        _ => node.keep_array = true,
    }
}
