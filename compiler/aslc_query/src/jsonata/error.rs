//! JSONata syntax errors: JSONata's own codes and wording (which AWS repeats in
//! `INVALID_JSONATA_EXPRESSION`), and aslc's rendering as a `J-PARSE` [`QueryError`].

use aslc_source::TextRange;

use crate::rules::J_PARSE;
use crate::QueryError;

/// The syntax error codes of JSONata 2.0.6 (`S01xx` from the tokenizer, `S02xx` from the
/// parser, `S03xx` regular expressions, `S04xx` function signatures), plus aslc's own
/// nesting bound.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[allow(missing_docs)]
pub enum ErrorCode {
    S0101,
    S0102,
    S0103,
    S0104,
    S0105,
    S0106,
    S0201,
    S0202,
    S0203,
    S0204,
    S0207,
    S0208,
    S0209,
    S0210,
    S0211,
    S0212,
    S0213,
    S0214,
    S0215,
    S0216,
    S0217,
    S0301,
    S0302,
    S0401,
    S0402,
    /// The expression nests deeper than [`MAX_DEPTH`](super::MAX_DEPTH); not a JSONata code.
    TooDeep,
}

impl ErrorCode {
    /// The JSONata code (`S0202`), `None` for [`ErrorCode::TooDeep`].
    pub fn code(self) -> Option<&'static str> {
        Some(match self {
            ErrorCode::S0101 => "S0101",
            ErrorCode::S0102 => "S0102",
            ErrorCode::S0103 => "S0103",
            ErrorCode::S0104 => "S0104",
            ErrorCode::S0105 => "S0105",
            ErrorCode::S0106 => "S0106",
            ErrorCode::S0201 => "S0201",
            ErrorCode::S0202 => "S0202",
            ErrorCode::S0203 => "S0203",
            ErrorCode::S0204 => "S0204",
            ErrorCode::S0207 => "S0207",
            ErrorCode::S0208 => "S0208",
            ErrorCode::S0209 => "S0209",
            ErrorCode::S0210 => "S0210",
            ErrorCode::S0211 => "S0211",
            ErrorCode::S0212 => "S0212",
            ErrorCode::S0213 => "S0213",
            ErrorCode::S0214 => "S0214",
            ErrorCode::S0215 => "S0215",
            ErrorCode::S0216 => "S0216",
            ErrorCode::S0217 => "S0217",
            ErrorCode::S0301 => "S0301",
            ErrorCode::S0302 => "S0302",
            ErrorCode::S0401 => "S0401",
            ErrorCode::S0402 => "S0402",
            ErrorCode::TooDeep => return None,
        })
    }
}

/// A JSONata syntax error.
#[derive(Clone, PartialEq, Debug)]
pub struct JsonataError {
    /// Which error.
    pub code: ErrorCode,
    /// Where, relative to the parsed expression.
    pub range: TextRange,
    /// The offending token as JSONata renders it in messages: JSON text (`"]"`, `5`).
    pub token: Option<Box<str>>,
    /// The expected token or other value JSONata puts in the message, as JSON text.
    pub value: Option<Box<str>>,
}

impl JsonataError {
    pub(super) fn new(code: ErrorCode, range: TextRange) -> JsonataError {
        JsonataError { code, range, token: None, value: None }
    }

    /// Sets the token from its plain text (rendered as a JSON string).
    pub(super) fn with_token(mut self, token: &str) -> JsonataError {
        self.token = Some(json_string(token).into());
        self
    }

    /// Sets the token from text that is already JSON (a number, `true`, `null`).
    pub(super) fn with_raw_token(mut self, token: &str) -> JsonataError {
        self.token = Some(token.into());
        self
    }

    pub(super) fn with_value(mut self, value: &str) -> JsonataError {
        self.value = Some(json_string(value).into());
        self
    }

    pub(super) fn with_raw_value(mut self, value: &str) -> JsonataError {
        self.value = Some(value.into());
        self
    }

    fn token_text(&self) -> &str {
        self.token.as_deref().unwrap_or("undefined")
    }

    fn value_text(&self) -> &str {
        self.value.as_deref().unwrap_or("undefined")
    }

    /// JSONata's message for the error, without the code: what AWS reports in
    /// `INVALID_JSONATA_EXPRESSION` (`Expected "]", got ","`).
    pub fn jsonata_message(&self) -> String {
        let token = self.token_text();
        let value = self.value_text();
        match self.code {
            ErrorCode::S0101 => "String literal must be terminated by a matching quote".to_owned(),
            ErrorCode::S0102 => format!("Number out of range: {token}"),
            ErrorCode::S0103 => format!("Unsupported escape sequence: \\{token}"),
            ErrorCode::S0104 => "The escape sequence \\u must be followed by 4 hex digits".to_owned(),
            ErrorCode::S0105 => "Quoted property name must be terminated with a backquote (`)".to_owned(),
            ErrorCode::S0106 => "Comment has no closing tag".to_owned(),
            ErrorCode::S0201 => format!("Syntax error: {token}"),
            ErrorCode::S0202 => format!("Expected {value}, got {token}"),
            ErrorCode::S0203 => format!("Expected {value} before end of expression"),
            ErrorCode::S0204 => format!("Unknown operator: {token}"),
            ErrorCode::S0207 => "Unexpected end of expression".to_owned(),
            ErrorCode::S0208 => {
                format!("Parameter {value} of function definition must be a variable name (start with $)")
            }
            ErrorCode::S0209 => "A predicate cannot follow a grouping expression in a step".to_owned(),
            ErrorCode::S0210 => "Each step can only have one grouping expression".to_owned(),
            ErrorCode::S0211 => format!("The symbol {token} cannot be used as a unary operator"),
            ErrorCode::S0212 => "The left side of := must be a variable name (start with $)".to_owned(),
            ErrorCode::S0213 => {
                format!("The literal value {value} cannot be used as a step within a path expression")
            }
            ErrorCode::S0214 => format!("The right side of {token} must be a variable name (start with $)"),
            ErrorCode::S0215 => "A context variable binding must precede any predicates on a step".to_owned(),
            ErrorCode::S0216 => {
                "A context variable binding must precede the 'order-by' clause on a step".to_owned()
            }
            ErrorCode::S0217 => {
                "The object representing the 'parent' cannot be derived from this expression".to_owned()
            }
            ErrorCode::S0301 => "Empty regular expressions are not allowed".to_owned(),
            ErrorCode::S0302 => "No terminating / in regular expression".to_owned(),
            ErrorCode::S0401 => "Type parameters can only be applied to functions and arrays".to_owned(),
            ErrorCode::S0402 => "Choice groups containing parameterized types are not supported".to_owned(),
            ErrorCode::TooDeep => {
                format!("The expression is nested more than {} levels deep", super::MAX_DEPTH)
            }
        }
    }

    /// The error as a `J-PARSE` query error in aslc's style.
    pub fn to_query_error(&self) -> QueryError {
        let token = to_code(self.token_text());
        let value = to_code(self.value_text());
        let (message, help): (String, Option<&str>) = match self.code {
            ErrorCode::S0101 => {
                ("the string literal is never closed".into(), Some("end it with the quote it starts with"))
            }
            ErrorCode::S0102 => (format!("the number {token} is out of range"), None),
            ErrorCode::S0103 => (
                format!("`\\{}` is not an escape sequence", unquote(self.token_text())),
                Some("JSONata strings know the JSON escapes only; write a quote of the other kind as it is"),
            ),
            ErrorCode::S0104 => ("`\\u` must be followed by 4 hex digits".into(), None),
            ErrorCode::S0105 => {
                ("the backquoted name is never closed".into(), Some("end the name with `` ` ``"))
            }
            ErrorCode::S0106 => ("the comment is never closed".into(), Some("end the comment with `*/`")),
            ErrorCode::S0201 => (format!("unexpected {token}"), None),
            ErrorCode::S0202 => (format!("expected {value}, found {token}"), None),
            ErrorCode::S0203 => (format!("expected {value} before the end of the expression"), None),
            ErrorCode::S0204 => (
                format!("unknown operator {token}"),
                Some("JSONata has no `!` or `~` operators; use `!=`, `$not()` or `~>`"),
            ),
            ErrorCode::S0207 => ("unexpected end of the expression".into(), None),
            ErrorCode::S0208 => (
                format!("parameter {value} of a function definition must be a variable"),
                Some("name parameters with `$`, as in `function($x) { $x + 1 }`"),
            ),
            ErrorCode::S0209 => ("a predicate cannot follow a grouping expression in a step".into(), None),
            ErrorCode::S0210 => ("a step can have only one grouping expression".into(), None),
            ErrorCode::S0211 => (format!("{token} cannot start an expression"), None),
            ErrorCode::S0212 => (
                "the left side of `:=` must be a variable".into(),
                Some("assign to a name that starts with `$`"),
            ),
            ErrorCode::S0213 => (format!("the literal {value} cannot be a step of a path"), None),
            ErrorCode::S0214 => (format!("the right side of {token} must be a variable"), None),
            ErrorCode::S0215 => {
                ("a context variable binding must come before the predicates of a step".into(), None)
            }
            ErrorCode::S0216 => {
                ("a context variable binding must come before the order-by clause of a step".into(), None)
            }
            ErrorCode::S0217 => ("the parent `%` cannot be derived from this expression".into(), None),
            ErrorCode::S0301 => ("empty regular expressions are not allowed".into(), None),
            ErrorCode::S0302 => ("the regular expression is never closed".into(), Some("end it with `/`")),
            ErrorCode::S0401 => {
                ("type parameters apply only to functions and arrays in a signature".into(), None)
            }
            ErrorCode::S0402 => {
                ("choice groups in a signature cannot contain parameterized types".into(), None)
            }
            ErrorCode::TooDeep => (
                format!("the expression is nested more than {} levels deep", super::MAX_DEPTH),
                Some("split the expression with variables (`$x := …;`)"),
            ),
        };
        let err = QueryError::new(J_PARSE, self.range, message);
        match help {
            Some(help) => err.with_help(help),
            None => err,
        }
    }
}

/// Renders JSON text (a token as JSONata prints it) as code for an aslc message: `"]"`
/// becomes `` `]` ``, `5` becomes `` `5` ``.
fn to_code(json: &str) -> String {
    format!("`{}`", unquote(json))
}

fn unquote(json: &str) -> &str {
    json.strip_prefix('"').and_then(|s| s.strip_suffix('"')).unwrap_or(json)
}

/// `text` as a JSON string literal.
pub(super) fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
