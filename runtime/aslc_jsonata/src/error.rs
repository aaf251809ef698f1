//! Evaluation errors: the reference implementation's codes and message templates.

use crate::value::{js_number, stringify, Value};

pub(crate) type Result<T> = std::result::Result<T, Error>;

/// An error under construction; the message is rendered from the code's template once the
/// token and position are known. Boxed, so results stay one word wide on the hot path.
#[derive(Clone, Debug)]
pub(crate) struct Error(Box<ErrorData>);

impl std::ops::Deref for Error {
    type Target = ErrorData;

    fn deref(&self) -> &ErrorData {
        &self.0
    }
}

impl std::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut ErrorData {
        &mut self.0
    }
}

/// The fields of an [`Error`].
#[derive(Clone, Debug)]
pub(crate) struct ErrorData {
    pub code: &'static str,
    pub position: Option<u32>,
    pub token: Option<String>,
    pub value: Option<Value>,
    pub value2: Option<Value>,
    pub index: Option<usize>,
    pub message: Option<String>,
    pub type_name: Option<&'static str>,
    pub function_name: Option<String>,
}

impl Error {
    pub fn new(code: &'static str) -> Error {
        Error(Box::new(ErrorData {
            code,
            position: None,
            token: None,
            value: None,
            value2: None,
            index: None,
            message: None,
            type_name: None,
            function_name: None,
        }))
    }

    pub fn with_position(mut self, position: u32) -> Error {
        self.position = Some(position);
        self
    }

    pub fn default_position(mut self, position: u32) -> Error {
        self.position.get_or_insert(position);
        self
    }

    pub fn default_at(self, expr: &aslc_query::jsonata::Expr) -> Error {
        self.default_position(expr.range.start())
    }

    pub fn token(mut self, token: &str) -> Error {
        self.token = Some(token.to_owned());
        self
    }

    pub fn default_token(mut self, token: &str) -> Error {
        if self.token.is_none() {
            self.token = Some(token.to_owned());
        }
        self
    }

    pub fn value(mut self, value: Value) -> Error {
        self.value = Some(value);
        self
    }

    pub fn value2(mut self, value: Value) -> Error {
        self.value2 = Some(value);
        self
    }

    pub fn index(mut self, index: usize) -> Error {
        self.index = Some(index);
        self
    }

    pub fn with_message(mut self, message: impl Into<String>) -> Error {
        self.message = Some(message.into());
        self
    }

    /// The reference's message for the error: `{{{field}}}` inserts the field as it is,
    /// `{{field}}` as JSON (`JSON.stringify`), as the reference fills its templates.
    pub fn render(&self) -> String {
        if let Some(message) = &self.message {
            return message.clone();
        }
        let template = template(self.code);
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some(open) = rest.find("{{") {
            out.push_str(&rest[..open]);
            let raw = rest[open..].starts_with("{{{");
            let (start, close) = if raw { (open + 3, "}}}") } else { (open + 2, "}}") };
            let Some(len) = rest[start..].find(close) else {
                out.push_str(&rest[open..]);
                rest = "";
                break;
            };
            let field = &rest[start..start + len];
            out.push_str(&self.field(field, raw));
            rest = &rest[start + len + close.len()..];
        }
        out.push_str(rest);
        out
    }

    fn field(&self, name: &str, raw: bool) -> String {
        let text = |s: &str| if raw { s.to_owned() } else { stringify(&Value::string(s), false) };
        let value = |v: &Option<Value>| match v {
            None => "undefined".to_owned(),
            Some(Value::String(s)) if raw => s.to_string(),
            Some(v) => show(v),
        };
        match name {
            "token" => self.token.as_deref().map_or_else(|| "undefined".to_owned(), text),
            "value" => value(&self.value),
            "value2" => value(&self.value2),
            "index" => self.index.map_or_else(|| "undefined".to_owned(), |i| i.to_string()),
            "type" => self.type_name.map_or_else(|| "undefined".to_owned(), text),
            "functionName" => self.function_name.as_deref().map_or_else(|| "undefined".to_owned(), text),
            _ => "undefined".to_owned(),
        }
    }
}

/// A value as `JSON.stringify` shows it in a message.
fn show(value: &Value) -> String {
    match value {
        Value::Number(n) if n.is_finite() => js_number(*n),
        Value::Number(_) => "null".to_owned(),
        other if crate::value::nests_deeper_than(other, crate::value::MAX_NESTING) => "…".to_owned(),
        other => stringify(other, false),
    }
}

fn template(code: &str) -> &'static str {
    match code {
        "T0410" => "Argument {{index}} of function {{token}} does not match function signature",
        "T0411" => "Context value is not a compatible type with argument {{index}} of function {{token}}",
        "T0412" => "Argument {{index}} of function {{token}} must be an array of {{type}}",
        "D1001" => "Number out of range: {{value}}",
        "D1002" => "Cannot negate a non-numeric value: {{value}}",
        "T1003" => "Key in object structure must evaluate to a string; got: {{value}}",
        "D1004" => "Regular expression matches zero length string",
        "T1005" => "Attempted to invoke a non-function. Did you mean ${{{token}}}?",
        "T1006" => "Attempted to invoke a non-function",
        "T1007" => "Attempted to partially apply a non-function. Did you mean ${{{token}}}?",
        "T1008" => "Attempted to partially apply a non-function",
        "D1009" => "Multiple key definitions evaluate to same key: {{value}}",
        "T1010" => "The matcher function argument passed to function {{token}} does not return the correct object structure",
        "T2001" => "The left side of the {{token}} operator must evaluate to a number",
        "T2002" => "The right side of the {{token}} operator must evaluate to a number",
        "T2003" => "The left side of the range operator (..) must evaluate to an integer",
        "T2004" => "The right side of the range operator (..) must evaluate to an integer",
        "T2006" => "The right side of the function application operator ~> must be a function",
        "T2007" => "Type mismatch when comparing values {{value}} and {{value2}} in order-by clause",
        "T2008" => "The expressions within an order-by clause must evaluate to numeric or string values",
        "T2009" => "The values {{value}} and {{value2}} either side of operator {{token}} must be of the same data type",
        "T2010" => "The expressions either side of operator {{token}} must evaluate to numeric or string values",
        "T2011" => "The insert/update clause of the transform expression must evaluate to an object: {{value}}",
        "T2012" => "The delete clause of the transform expression must evaluate to a string or array of strings: {{value}}",
        "T2013" => "The transform expression clones the input object using the $clone() function.  This has been overridden in the current scope by a non-function.",
        "D2014" => "The size of the sequence allocated by the range operator (..) must not exceed 1e6.  Attempted to allocate {{value}}.",
        "D3001" => "Attempting to invoke string function on Infinity or NaN",
        "D3010" => "Second argument of replace function cannot be an empty string",
        "D3011" => "Fourth argument of replace function must evaluate to a positive number",
        "D3012" => "Attempted to replace a matched string with a non-string value",
        "D3020" => "Third argument of split function must evaluate to a positive number",
        "D3030" => "Unable to cast value to a number: {{value}}",
        "D3040" => "Third argument of match function must evaluate to a positive number",
        "D3050" => "The second argument of reduce function must be a function with at least two arguments",
        "D3060" => "The sqrt function cannot be applied to a negative number: {{value}}",
        "D3061" => "The power function has resulted in a value that cannot be represented as a JSON number: base={{value}}, exponent={{value2}}",
        "D3070" => "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function",
        "D3080" => "The picture string must only contain a maximum of two sub-pictures",
        "D3081" => "The sub-picture must not contain more than one instance of the 'decimal-separator' character",
        "D3082" => "The sub-picture must not contain more than one instance of the 'percent' character",
        "D3083" => "The sub-picture must not contain more than one instance of the 'per-mille' character",
        "D3084" => "The sub-picture must not contain both a 'percent' and a 'per-mille' character",
        "D3085" => "A sub-picture must contain at least one character that is either an 'optional digit character' or a member of the 'decimal digit family'",
        "D3086" => "A sub-picture must not contain a passive character that is preceded by an active character and that is followed by another active character",
        "D3087" => "A sub-picture must not contain a 'grouping-separator' character that appears adjacent to a 'decimal-separator' character",
        "D3088" => "A sub-picture must not contain a 'grouping-separator' at the end of the integer part",
        "D3089" => "A sub-picture must not contain two adjacent instances of the 'grouping-separator' character",
        "D3090" => "The integer part of the sub-picture must not contain a member of the 'decimal digit family' that is followed by an instance of the 'optional digit character'",
        "D3091" => "The fractional part of the sub-picture must not contain an instance of the 'optional digit character' that is followed by a member of the 'decimal digit family'",
        "D3092" => "A sub-picture that contains a 'percent' or 'per-mille' character must not contain a character treated as an 'exponent-separator'",
        "D3093" => "The exponent part of the sub-picture must comprise only of one or more characters that are members of the 'decimal digit family'",
        "D3100" => "The radix of the formatBase function must be between 2 and 36.  It was given {{value}}",
        "D3110" => "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given {{value}}",
        "D3120" => "Syntax error in expression passed to function eval: {{value}}",
        "D3121" => "Dynamic error evaluating the expression passed to function eval: {{value}}",
        "D3130" => "Formatting or parsing an integer as a sequence starting with {{value}} is not supported by this implementation",
        "D3131" => "In a decimal digit pattern, all digits must be from the same decimal group",
        "D3132" => "Unknown component specifier {{value}} in date/time picture string",
        "D3133" => "The 'name' modifier can only be applied to months and days in the date/time picture string, not {{value}}",
        "D3134" => "The timezone integer format specifier cannot have more than four digits",
        "D3135" => "No matching closing bracket ']' in date/time picture string",
        "D3136" => "The date/time picture string is missing specifiers required to parse the timestamp",
        "D3138" => "The $single() function expected exactly 1 matching result.  Instead it matched more.",
        "D3139" => "The $single() function expected exactly 1 matching result.  Instead it matched 0.",
        "D3140" => "Malformed URL passed to ${{{functionName}}}(): {{value}}",
        "D3141" | "D3137" => "{{{value}}}",
        // Not a reference code: JavaScript accepts a few constructs (look-around,
        // back-references) that the `regex` crate does not.
        "S0303" => "The regular expression is invalid or uses a construct this implementation does not support (look-around, back-references)",
        "U1001" => "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive.",
        _ => "Evaluation error",
    }
}
