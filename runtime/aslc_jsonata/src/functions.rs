//! The built-in function library of JSONata 2.0.6 and the functions Step Functions adds.
//!
//! Each built-in has the reference's signature (checked before the call, see
//! [`signature`](crate::signature)) and its JavaScript `length`, which decides how many
//! arguments higher-order functions pass to it.

use std::rc::Rc;

use crate::error::{Error, Result};
use crate::eval::Evaluator;
use crate::function::{Env, Function};
use crate::regexp::{byte_offset, found_object, Found};
use crate::value::{deep_equal, js_number, js_truthy, stringify, to_precision_15, Array, Map, Value};
use crate::{datetime, format, Options};

macro_rules! natives {
    ($($variant:ident = $name:literal, $sig:literal, $arity:literal;)*) => {
        /// A built-in function.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
        pub enum Native { $($variant,)* }

        impl Native {
            const ALL: &'static [Native] = &[$(Native::$variant,)*];

            /// The name without `$`.
            pub fn name(self) -> &'static str {
                match self { $(Native::$variant => $name,)* }
            }

            /// The reference's signature.
            pub fn signature(self) -> &'static str {
                match self { $(Native::$variant => $sig,)* }
            }

            /// The number of parameters of the reference's implementation.
            pub fn arity(self) -> usize {
                match self { $(Native::$variant => $arity,)* }
            }
        }
    };
}

natives! {
    Sum = "sum", "<a<n>:n>", 1;
    Count = "count", "<a:n>", 1;
    Max = "max", "<a<n>:n>", 1;
    Min = "min", "<a<n>:n>", 1;
    Average = "average", "<a<n>:n>", 1;
    String = "string", "<x-b?:s>", 1;
    Substring = "substring", "<s-nn?:s>", 3;
    SubstringBefore = "substringBefore", "<s-s:s>", 2;
    SubstringAfter = "substringAfter", "<s-s:s>", 2;
    Lowercase = "lowercase", "<s-:s>", 1;
    Uppercase = "uppercase", "<s-:s>", 1;
    Length = "length", "<s-:n>", 1;
    Trim = "trim", "<s-:s>", 1;
    Pad = "pad", "<s-ns?:s>", 3;
    Match = "match", "<s-f<s:o>n?:a<o>>", 3;
    Contains = "contains", "<s-(sf):b>", 2;
    Replace = "replace", "<s-(sf)(sf)n?:s>", 4;
    Split = "split", "<s-(sf)n?:a<s>>", 3;
    Join = "join", "<a<s>s?:s>", 2;
    FormatNumber = "formatNumber", "<n-so?:s>", 3;
    FormatBase = "formatBase", "<n-n?:s>", 2;
    FormatInteger = "formatInteger", "<n-s:s>", 2;
    ParseInteger = "parseInteger", "<s-s:n>", 2;
    Number = "number", "<(nsb)-:n>", 1;
    Floor = "floor", "<n-:n>", 1;
    Ceil = "ceil", "<n-:n>", 1;
    Round = "round", "<n-n?:n>", 2;
    Abs = "abs", "<n-:n>", 1;
    Sqrt = "sqrt", "<n-:n>", 1;
    Power = "power", "<n-n:n>", 2;
    Random = "random", "<:n>", 0;
    Boolean = "boolean", "<x-:b>", 1;
    Not = "not", "<x-:b>", 1;
    Map = "map", "<af>", 2;
    Zip = "zip", "<a+>", 0;
    Filter = "filter", "<af>", 2;
    Single = "single", "<af?>", 2;
    Reduce = "reduce", "<afj?:j>", 3;
    Sift = "sift", "<o-f?:o>", 2;
    Keys = "keys", "<x-:a<s>>", 1;
    Lookup = "lookup", "<x-s:x>", 2;
    Append = "append", "<xx:a>", 2;
    Exists = "exists", "<x:b>", 1;
    Spread = "spread", "<x-:a<o>>", 1;
    Merge = "merge", "<a<o>:o>", 1;
    Reverse = "reverse", "<a:a>", 1;
    Each = "each", "<o-f:a>", 2;
    Error = "error", "<s?:x>", 1;
    Assert = "assert", "<bs?:x>", 2;
    Type = "type", "<x:s>", 1;
    Sort = "sort", "<af?:a>", 2;
    Shuffle = "shuffle", "<a:a>", 1;
    Distinct = "distinct", "<x:x>", 1;
    Base64Encode = "base64encode", "<s-:s>", 1;
    Base64Decode = "base64decode", "<s-:s>", 1;
    EncodeUrlComponent = "encodeUrlComponent", "<s-:s>", 1;
    EncodeUrl = "encodeUrl", "<s-:s>", 1;
    DecodeUrlComponent = "decodeUrlComponent", "<s-:s>", 1;
    DecodeUrl = "decodeUrl", "<s-:s>", 1;
    Eval = "eval", "<sx?:x>", 2;
    ToMillis = "toMillis", "<s-s?:n>", 2;
    FromMillis = "fromMillis", "<n-s?s?:s>", 3;
    Clone = "clone", "<(oa)-:o>", 1;
    Now = "now", "<s?s?:s>", 2;
    Millis = "millis", "<:n>", 0;
    Partition = "partition", "<an:a>", 2;
    Range = "range", "<nnn?:a<n>>", 3;
    Hash = "hash", "<s-s:s>", 2;
    RandomSeeded = "random", "<n?:n>", 1;
    Uuid = "uuid", "<:s>", 0;
    Parse = "parse", "<s-:j>", 1;
}

impl Native {
    /// The built-in called `name` under `options`.
    pub fn lookup(name: &str, options: &Options) -> Option<Native> {
        static BY_NAME: std::sync::OnceLock<rustc_hash::FxHashMap<&'static str, Vec<Native>>> =
            std::sync::OnceLock::new();
        let by_name = BY_NAME.get_or_init(|| {
            let mut map: rustc_hash::FxHashMap<&'static str, Vec<Native>> = rustc_hash::FxHashMap::default();
            for native in Native::ALL {
                map.entry(native.name()).or_default().push(*native);
            }
            map
        });
        let found = by_name.get(name)?.iter().copied().find(|n| match n {
            Native::Random => !options.step_functions,
            Native::RandomSeeded
            | Native::Partition
            | Native::Range
            | Native::Hash
            | Native::Uuid
            | Native::Parse => options.step_functions,
            Native::Eval => options.eval,
            _ => true,
        });
        found
    }
}

fn arg(args: &[Option<Value>], i: usize) -> Option<&Value> {
    args.get(i).and_then(Option::as_ref)
}

fn str_arg(args: &[Option<Value>], i: usize) -> Option<&str> {
    arg(args, i).and_then(Value::as_str)
}

fn num_arg(args: &[Option<Value>], i: usize) -> Option<f64> {
    arg(args, i).and_then(Value::as_number)
}

fn number(n: f64) -> Option<Value> {
    Some(Value::Number(n))
}

fn string(text: impl AsRef<str>) -> Option<Value> {
    Some(Value::string(text.as_ref()))
}

/// `$boolean`: JSONata's truthiness; undefined stays undefined.
pub(crate) fn boolean(value: Option<&Value>) -> Option<bool> {
    let value = value?;
    Some(match value {
        Value::Array(array) => match array.items.len() {
            0 => false,
            1 => boolean(Some(&array.items[0])).unwrap_or(false),
            _ => array.items.iter().any(|item| boolean(Some(item)) == Some(true)),
        },
        Value::String(s) => !s.is_empty(),
        Value::Number(n) => *n != 0.0 && !n.is_nan(),
        Value::Object(map) => !map.is_empty(),
        Value::Bool(b) => *b,
        Value::Null | Value::Function(_) => false,
    })
}

/// `$string` of a defined value.
pub(crate) fn to_string(value: &Value) -> Result<String> {
    string_of(value, false)
}

fn string_of(value: &Value, pretty: bool) -> Result<String> {
    Ok(match value {
        Value::String(s) => s.to_string(),
        Value::Function(_) => String::new(),
        Value::Number(n) if !n.is_finite() => return Err(Error::new("D3001").value(value.clone())),
        other => {
            let other = match other {
                Value::Array(array) if array.outer_wrapper && !array.items.is_empty() => &array.items[0],
                other => other,
            };
            if crate::value::nests_deeper_than(other, crate::value::MAX_NESTING) {
                return Err(too_deep());
            }
            if let Some(n) = crate::value::non_finite(other) {
                return Err(Error::new("D1001").value(Value::Number(n)));
            }
            stringify(other, pretty)
        }
    })
}

/// A value too deep to serialise.
pub(crate) fn too_deep() -> Error {
    Error::new("U1001").with_message(format!(
        "The value nests more than {} arrays and objects deep",
        crate::value::MAX_NESTING
    ))
}

fn chars_of(text: &str) -> Vec<char> {
    text.chars().collect()
}

/// JavaScript's `ToIntegerOrInfinity`, clamped into an index range.
fn js_int(n: f64) -> f64 {
    if n.is_nan() {
        0.0
    } else {
        n.trunc()
    }
}

fn substring(text: &str, start: f64, length: Option<f64>) -> String {
    let chars = chars_of(text);
    let len = chars.len() as f64;
    let mut start = js_int(start);
    if len + start < 0.0 {
        start = 0.0;
    }
    let slice = |from: f64, to: f64| -> String {
        let norm = |i: f64| if i < 0.0 { (len + i).max(0.0) } else { i.min(len) };
        let (from, to) = (norm(from), norm(to));
        if from >= to {
            return String::new();
        }
        chars[from as usize..to as usize].iter().collect()
    };
    match length {
        Some(length) => {
            if length <= 0.0 {
                return String::new();
            }
            let end = if start >= 0.0 { start + js_int(length) } else { len + start + js_int(length) };
            slice(start, end)
        }
        None => slice(start, len),
    }
}

fn js_round(n: f64) -> f64 {
    (n + 0.5).floor()
}

pub(crate) fn round(value: f64, precision: Option<f64>) -> f64 {
    let precision = precision.filter(|p| *p != 0.0 && !p.is_nan()).map(|p| p as i32);
    let shift = |n: f64, by: i32| -> f64 {
        let text = js_number(n);
        let (mantissa, exponent) = match text.split_once('e') {
            Some((m, e)) => (m.to_owned(), e.parse::<i32>().unwrap_or(0)),
            None => (text, 0),
        };
        format!("{mantissa}e{}", exponent + by).parse().unwrap_or(f64::NAN)
    };
    let mut arg = value;
    if let Some(p) = precision {
        arg = shift(arg, p);
    }
    let mut result = js_round(arg);
    let diff = result - arg;
    if diff.abs() == 0.5 && (result % 2.0).abs() == 1.0 {
        result -= 1.0;
    }
    if let Some(p) = precision {
        result = shift(result, -p);
    }
    if result == 0.0 {
        result = 0.0;
    }
    result
}

fn number_of(value: &Value) -> Result<Option<Value>> {
    Ok(match value {
        Value::Number(n) => Some(Value::Number(*n)),
        Value::Bool(b) => number(if *b { 1.0 } else { 0.0 }),
        Value::String(s) => match parse_js_number(s) {
            Some(n) => number(n),
            None => return Err(Error::new("D3030").value(value.clone()).index(1)),
        },
        _ => return Err(Error::new("D3030").value(value.clone()).index(1)),
    })
}

fn parse_js_number(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let radix = |prefix: &[u8], radix: u32| -> Option<f64> {
        if bytes.len() > 2 && prefix.contains(&bytes[1]) && bytes[0] == b'0' {
            u64::from_str_radix(&text[2..], radix).ok().map(|n| n as f64)
        } else {
            None
        }
    };
    if let Some(n) = radix(b"xX", 16).or_else(|| radix(b"oO", 8)).or_else(|| radix(b"bB", 2)) {
        return Some(n);
    }
    // ^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$
    let mut i = 0;
    if bytes.first() == Some(&b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < bytes.len() && bytes[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return None;
    }
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        if !digits(&mut i) {
            return None;
        }
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        i += 1;
        if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
            i += 1;
        }
        if !digits(&mut i) {
            return None;
        }
    }
    if i != bytes.len() {
        return None;
    }
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

fn trim(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            if !in_space {
                out.push(' ');
                in_space = true;
            }
        } else {
            out.push(c);
            in_space = false;
        }
    }
    let out = out.strip_prefix(' ').unwrap_or(&out);
    out.strip_suffix(' ').unwrap_or(out).to_owned()
}

/// The widest `$pad` result: JavaScript strings end long before (and the reference fails).
const MAX_PAD: f64 = 1e8;

fn pad(text: &str, width: f64, fill: Option<&str>) -> String {
    let fill = match fill {
        Some(f) if !f.is_empty() => f,
        _ => " ",
    };
    let pad_len = width.abs().trunc() - text.chars().count() as f64;
    if pad_len <= 0.0 {
        return text.to_owned();
    }
    let pad_len = pad_len as usize;
    let padding: String = fill.chars().cycle().take(pad_len).collect();
    if width > 0.0 {
        format!("{text}{padding}")
    } else {
        format!("{padding}{text}")
    }
}

/// The matches of a pattern argument: a regular expression, or a custom matcher function.
fn find_all(
    ev: &mut Evaluator,
    pattern: &Value,
    text: &str,
    limit: Option<usize>,
    env: &Env,
) -> Result<Vec<Found>> {
    let Value::Function(function) = pattern else { return Ok(Vec::new()) };
    if let Function::Regex(matcher) = &**function {
        return matcher.all(text, limit);
    }
    // A custom matcher: called with the string, returns `{match, start, end, groups, next}`.
    let mut out = Vec::new();
    let mut result = ev.apply(Some(pattern), vec![Some(Value::string(text))], None, env)?;
    while let Some(found) = result {
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
        let Value::Object(map) = &found else { return Err(Error::new("T1010")) };
        let (Some(Value::Number(start)), Some(Value::Number(end))) = (map.get("start"), map.get("end"))
        else {
            return Err(Error::new("T1010"));
        };
        let groups = match map.get("groups") {
            Some(Value::Array(g)) => g.items.iter().map(|_| None).collect(),
            _ => Vec::new(),
        };
        out.push(Found {
            start: byte_offset(text, *start as usize),
            end: byte_offset(text, *end as usize),
            groups,
        });
        result = match map.get("next") {
            Some(next @ Value::Function(_)) => ev.apply(Some(next), Vec::new(), None, env)?,
            _ => None,
        };
    }
    Ok(out)
}

fn limit_arg(args: &[Option<Value>], i: usize, code: &'static str) -> Result<Option<usize>> {
    match num_arg(args, i) {
        None => Ok(None),
        Some(n) if n < 0.0 => Err(Error::new(code).index(i + 1).value(Value::Number(n))),
        Some(n) => Ok(Some(n as usize)),
    }
}

fn substitute(replacement: &str, text: &str, found: &Found) -> String {
    let matched = &text[found.start..found.end];
    let groups: Vec<&str> = found.groups.iter().map(|g| g.map_or("", |(s, e)| &text[s..e])).collect();
    let chars: Vec<char> = replacement.chars().collect();
    let mut out = String::new();
    let mut position = 0;
    while position < chars.len() {
        let Some(offset) = chars[position..].iter().position(|c| *c == '$') else { break };
        let index = position + offset;
        out.extend(&chars[position..index]);
        position = index + 1;
        match chars.get(position) {
            Some('$') => {
                out.push('$');
                position += 1;
            }
            Some('0') => {
                out.push_str(matched);
                position += 1;
            }
            _ => {
                let max_digits =
                    if groups.is_empty() { 1 } else { (groups.len() as f64).log10().floor() as usize + 1 };
                let digits_from = |n: usize| -> Option<usize> {
                    let text: String =
                        chars[position..].iter().take(n).take_while(|c| c.is_ascii_digit()).collect();
                    text.parse().ok()
                };
                let mut number = digits_from(max_digits);
                if max_digits > 1 && number.is_some_and(|n| n > groups.len()) {
                    number = digits_from(max_digits - 1);
                }
                match number {
                    Some(n) => {
                        if !groups.is_empty() && n >= 1 {
                            if let Some(group) = groups.get(n - 1) {
                                out.push_str(group);
                            }
                        }
                        position += n.to_string().len();
                    }
                    None => out.push('$'),
                }
            }
        }
    }
    if position < chars.len() {
        out.extend(&chars[position..]);
    }
    out
}

fn hof_args(function: &Value, first: Value, second: Value, third: &Value) -> Vec<Option<Value>> {
    let arity = match function {
        Value::Function(f) => f.arity(),
        _ => 1,
    };
    let mut args = vec![Some(first)];
    if arity >= 2 {
        args.push(Some(second));
    }
    if arity >= 3 {
        args.push(Some(third.clone()));
    }
    args
}

fn deep_clone(value: &Value) -> Value {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || deep_clone_inner(value))
}

fn deep_clone_inner(value: &Value) -> Value {
    match value {
        Value::Number(n) => Value::Number(to_precision_15(*n)),
        Value::Function(_) => Value::string(""),
        Value::Array(array) => Value::array(array.items.iter().map(deep_clone).collect()),
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (key, item) in map.iter() {
                out.insert(key.clone(), deep_clone(item));
            }
            Value::object(out)
        }
        other => other.clone(),
    }
}

fn spread(value: &Value) -> Value {
    match value {
        Value::Array(array) => {
            let mut out = Vec::new();
            for item in &array.items {
                match spread(item) {
                    Value::Array(inner) => out.extend(inner.items.iter().cloned()),
                    other => out.push(other),
                }
            }
            Value::array(out)
        }
        Value::Object(map) => {
            let items = map
                .iter()
                .map(|(key, item)| {
                    let mut one = Map::default();
                    one.insert(key.clone(), item.clone());
                    Value::object(one)
                })
                .collect();
            Value::sequence(items)
        }
        other => other.clone(),
    }
}

fn keys(value: &Value, out: &mut Vec<Rc<str>>) {
    match value {
        Value::Array(array) => {
            for item in &array.items {
                keys(item, out);
            }
        }
        Value::Object(map) => {
            for key in map.keys() {
                if !out.contains(key) {
                    out.push(key.clone());
                }
            }
        }
        _ => {}
    }
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(BASE64[(n >> 18) as usize & 63] as char);
        out.push(BASE64[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 { BASE64[(n >> 6) as usize & 63] as char } else { '=' });
        out.push(if chunk.len() > 2 { BASE64[n as usize & 63] as char } else { '=' });
    }
    out
}

fn base64_decode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let Some(v) = BASE64.iter().position(|b| *b == c) else { continue };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

fn encode_uri(text: &str, keep: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || "-_.!~*'()".contains(c) || keep.contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

fn decode_uri(text: &str, reserved: &str, name: &str) -> Result<String> {
    let bytes = text.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let malformed = || Error::new("D3140").value(Value::string(text)).function(name);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3).ok_or_else(malformed)?;
            let byte = u8::from_str_radix(hex, 16).map_err(|_| malformed())?;
            if byte < 0x80 && reserved.contains(byte as char) {
                out.extend_from_slice(&bytes[i..i + 3]);
            } else {
                out.push(byte);
            }
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| malformed())
}

impl Error {
    fn function(mut self, name: &str) -> Error {
        self.function_name = Some(name.to_owned());
        self
    }
}

fn sort_default(items: &[Value]) -> Result<Vec<Value>> {
    let all_numbers = items.iter().all(|v| matches!(v, Value::Number(_)));
    let all_strings = items.iter().all(|v| matches!(v, Value::String(_)));
    if !all_numbers && !all_strings {
        return Err(Error::new("D3070").index(1));
    }
    let order = crate::eval::merge_sort_indices(items.len(), &mut |a, b| {
        Ok(match (&items[a], &items[b]) {
            (Value::Number(x), Value::Number(y)) => x > y,
            (Value::String(x), Value::String(y)) => crate::value::compare_strings(x, y).is_gt(),
            _ => false,
        })
    })?;
    Ok(order.into_iter().map(|i| items[i].clone()).collect())
}

/// Calls a built-in with checked arguments.
pub(crate) fn call(
    ev: &mut Evaluator,
    native: Native,
    args: Vec<Option<Value>>,
    input: Option<&Value>,
    env: &Env,
) -> Result<Option<Value>> {
    let a0 = arg(&args, 0);
    Ok(match native {
        Native::Sum => match a0 {
            None => None,
            Some(v) => number(v.members().iter().filter_map(Value::as_number).sum()),
        },
        Native::Count => number(a0.map_or(0, |v| v.members().len()) as f64),
        Native::Max | Native::Min => match a0 {
            None => None,
            Some(v) if v.members().is_empty() => None,
            Some(v) => {
                let numbers = v.members().iter().filter_map(Value::as_number);
                number(if native == Native::Max {
                    numbers.fold(f64::NEG_INFINITY, f64::max)
                } else {
                    numbers.fold(f64::INFINITY, f64::min)
                })
            }
        },
        Native::Average => match a0 {
            None => None,
            Some(v) if v.members().is_empty() => None,
            Some(v) => {
                let items = v.members();
                number(items.iter().filter_map(Value::as_number).sum::<f64>() / items.len() as f64)
            }
        },
        Native::String => match a0 {
            None => None,
            Some(v) => {
                let pretty = matches!(arg(&args, 1), Some(Value::Bool(true)));
                string(string_of(v, pretty)?)
            }
        },
        Native::Substring => match str_arg(&args, 0) {
            None => None,
            Some(text) => string(substring(text, num_arg(&args, 1).unwrap_or(0.0), num_arg(&args, 2))),
        },
        Native::SubstringBefore => match str_arg(&args, 0) {
            None => None,
            Some(text) => {
                let chars = str_arg(&args, 1).unwrap_or("undefined");
                string(text.find(chars).map_or(text, |i| &text[..i]))
            }
        },
        Native::SubstringAfter => match str_arg(&args, 0) {
            None => None,
            Some(text) => {
                let chars = str_arg(&args, 1).unwrap_or("undefined");
                string(text.find(chars).map_or(text, |i| &text[i + chars.len()..]))
            }
        },
        Native::Lowercase => str_arg(&args, 0).map(|s| Value::string(&s.to_lowercase())),
        Native::Uppercase => str_arg(&args, 0).map(|s| Value::string(&s.to_uppercase())),
        Native::Length => str_arg(&args, 0).map(|s| Value::Number(s.chars().count() as f64)),
        Native::Trim => str_arg(&args, 0).map(|s| Value::string(&trim(s))),
        Native::Pad => match str_arg(&args, 0) {
            None => None,
            Some(_) if num_arg(&args, 1).is_some_and(|w| w.is_nan() || w.abs() >= MAX_PAD) => {
                return Err(Error::new("D1001").value(Value::Number(num_arg(&args, 1).unwrap_or(f64::NAN))))
            }
            Some(text) => string(pad(text, num_arg(&args, 1).unwrap_or(0.0), str_arg(&args, 2))),
        },
        Native::Match => match str_arg(&args, 0) {
            None => None,
            Some(text) => {
                let limit = limit_arg(&args, 2, "D3040")?;
                let pattern = arg(&args, 1).cloned().unwrap_or(Value::Null);
                let found = find_all(ev, &pattern, text, limit, env)?;
                Some(Value::sequence(found.iter().map(|f| found_object(text, f, false)).collect()))
            }
        },
        Native::Contains => match str_arg(&args, 0) {
            None => None,
            Some(text) => match arg(&args, 1) {
                Some(Value::String(token)) => Some(Value::Bool(text.contains(&**token))),
                Some(pattern @ Value::Function(_)) => {
                    let pattern = pattern.clone();
                    Some(Value::Bool(!find_all(ev, &pattern, text, Some(1), env)?.is_empty()))
                }
                _ => Some(Value::Bool(false)),
            },
        },
        Native::Replace => match str_arg(&args, 0) {
            None => None,
            Some(text) => {
                let pattern = arg(&args, 1).cloned();
                if matches!(&pattern, Some(Value::String(s)) if s.is_empty()) {
                    return Err(Error::new("D3010").index(2));
                }
                let limit = limit_arg(&args, 3, "D3011")?;
                let replacement = arg(&args, 2).cloned();
                string(replace(ev, text, pattern, replacement, limit, env)?)
            }
        },
        Native::Split => match str_arg(&args, 0) {
            None => None,
            Some(text) => {
                let limit = limit_arg(&args, 2, "D3020")?;
                let mut parts: Vec<Value> = Vec::new();
                match arg(&args, 1) {
                    Some(Value::String(sep)) => {
                        if sep.is_empty() {
                            let units: Vec<u16> = text.encode_utf16().collect();
                            for unit in units {
                                parts.push(Value::string(&String::from_utf16_lossy(&[unit])));
                            }
                        } else {
                            parts = text.split(&**sep).map(Value::string).collect();
                        }
                        if let Some(limit) = limit {
                            parts.truncate(limit);
                        }
                    }
                    Some(pattern @ Value::Function(_)) => {
                        if limit != Some(0) {
                            let pattern = pattern.clone();
                            let found = find_all(ev, &pattern, text, limit, env)?;
                            let mut start = 0;
                            for f in &found {
                                parts.push(Value::string(&text[start.min(f.start)..f.start]));
                                start = f.end;
                            }
                            if limit.is_none_or(|l| found.len() < l) {
                                parts.push(Value::string(&text[start.min(text.len())..]));
                            }
                        }
                    }
                    _ => parts.push(Value::string(text)),
                }
                Some(Value::array(parts))
            }
        },
        Native::Join => match a0 {
            None => None,
            Some(v) => {
                let sep = str_arg(&args, 1).unwrap_or("");
                let parts: Vec<&str> = v.members().iter().filter_map(Value::as_str).collect();
                string(parts.join(sep))
            }
        },
        Native::FormatNumber => match num_arg(&args, 0) {
            None => None,
            Some(n) => string(format::format_number(n, str_arg(&args, 1).unwrap_or(""), arg(&args, 2))?),
        },
        Native::FormatBase => match num_arg(&args, 0) {
            None => None,
            Some(n) => string(format::format_base(n, num_arg(&args, 1))?),
        },
        Native::FormatInteger => match num_arg(&args, 0) {
            None => None,
            Some(n) => string(format::format_integer(n, str_arg(&args, 1).unwrap_or(""))?),
        },
        Native::ParseInteger => match str_arg(&args, 0) {
            None => None,
            Some(text) => format::parse_integer(text, str_arg(&args, 1).unwrap_or(""))?.map(Value::Number),
        },
        Native::Number => match a0 {
            None => None,
            Some(v) => number_of(v)?,
        },
        Native::Floor => num_arg(&args, 0).map(|n| Value::Number(n.floor())),
        Native::Ceil => num_arg(&args, 0).map(|n| Value::Number(n.ceil())),
        Native::Abs => num_arg(&args, 0).map(|n| Value::Number(n.abs())),
        Native::Round => num_arg(&args, 0).map(|n| Value::Number(round(n, num_arg(&args, 1)))),
        Native::Sqrt => match num_arg(&args, 0) {
            None => None,
            Some(n) if n < 0.0 => return Err(Error::new("D3060").index(1).value(Value::Number(n))),
            Some(n) => number(n.sqrt()),
        },
        Native::Power => match num_arg(&args, 0) {
            None => None,
            Some(base) => {
                let exponent = num_arg(&args, 1).unwrap_or(f64::NAN);
                let result = base.powf(exponent);
                if !result.is_finite() {
                    return Err(Error::new("D3061")
                        .index(1)
                        .value(Value::Number(base))
                        .value2(Value::Number(exponent)));
                }
                number(result)
            }
        },
        Native::Random => number(ev.next_random()),
        Native::RandomSeeded => match num_arg(&args, 0) {
            None => number(ev.next_random()),
            Some(seed) => number(seeded_random(seed)),
        },
        Native::Boolean => boolean(a0).map(Value::Bool),
        Native::Not => boolean(a0).map(|b| Value::Bool(!b)),
        Native::Map => match a0 {
            None => None,
            Some(v) => {
                let function = arg(&args, 1).cloned().unwrap_or(Value::Null);
                let mut out = Vec::new();
                for (i, item) in v.members().iter().enumerate() {
                    let call_args = hof_args(&function, item.clone(), Value::Number(i as f64), v);
                    if let Some(res) = ev.apply(Some(&function), call_args, None, env)? {
                        out.push(res);
                    }
                }
                Some(Value::sequence(out))
            }
        },
        Native::Filter => match a0 {
            None => None,
            Some(v) => {
                let function = arg(&args, 1).cloned().unwrap_or(Value::Null);
                let mut out = Vec::new();
                for (i, item) in v.members().iter().enumerate() {
                    let call_args = hof_args(&function, item.clone(), Value::Number(i as f64), v);
                    let res = ev.apply(Some(&function), call_args, None, env)?;
                    if boolean(res.as_ref()) == Some(true) {
                        out.push(item.clone());
                    }
                }
                Some(Value::sequence(out))
            }
        },
        Native::Single => match a0 {
            None => None,
            Some(v) => {
                let function = arg(&args, 1).cloned();
                let mut result = None;
                for (i, item) in v.members().iter().enumerate() {
                    let positive = match &function {
                        None => true,
                        Some(function) => {
                            let call_args = hof_args(function, item.clone(), Value::Number(i as f64), v);
                            let res = ev.apply(Some(function), call_args, None, env)?;
                            boolean(res.as_ref()) == Some(true)
                        }
                    };
                    if positive {
                        if result.is_some() {
                            return Err(Error::new("D3138").index(i));
                        }
                        result = Some(item.clone());
                    }
                }
                if result.is_none() {
                    return Err(Error::new("D3139"));
                }
                result
            }
        },
        Native::Reduce => match a0 {
            None => None,
            Some(v) => {
                let function = arg(&args, 1).cloned().unwrap_or(Value::Null);
                let arity = match &function {
                    Value::Function(f) => f.arity(),
                    _ => 0,
                };
                if arity < 2 {
                    return Err(Error::new("D3050").index(1));
                }
                let items = v.members();
                let init = args.get(2).cloned().flatten();
                let (mut acc, start) = match init {
                    None if !items.is_empty() => (Some(items[0].clone()), 1),
                    init => (init, 0),
                };
                for (index, item) in items.iter().enumerate().skip(start) {
                    let mut call_args = vec![acc, Some(item.clone())];
                    if arity >= 3 {
                        call_args.push(Some(Value::Number(index as f64)));
                    }
                    if arity >= 4 {
                        call_args.push(Some(v.clone()));
                    }
                    acc = ev.apply(Some(&function), call_args, None, env)?;
                }
                acc
            }
        },
        Native::Sift => match a0 {
            Some(Value::Object(map)) => {
                let function = arg(&args, 1).cloned().unwrap_or(Value::Null);
                let whole = Value::Object(map.clone());
                let mut out = Map::default();
                for (key, item) in map.iter() {
                    let call_args = hof_args(&function, item.clone(), Value::String(key.clone()), &whole);
                    let res = ev.apply(Some(&function), call_args, None, env)?;
                    if boolean(res.as_ref()) == Some(true) {
                        out.insert(key.clone(), item.clone());
                    }
                }
                if out.is_empty() {
                    None
                } else {
                    Some(Value::object(out))
                }
            }
            _ => None,
        },
        Native::Each => match a0 {
            Some(Value::Object(map)) => {
                let function = arg(&args, 1).cloned().unwrap_or(Value::Null);
                let whole = Value::Object(map.clone());
                let mut out = Vec::new();
                for (key, item) in map.iter() {
                    let call_args = hof_args(&function, item.clone(), Value::String(key.clone()), &whole);
                    if let Some(res) = ev.apply(Some(&function), call_args, None, env)? {
                        out.push(res);
                    }
                }
                Some(Value::sequence(out))
            }
            _ => Some(Value::sequence(Vec::new())),
        },
        Native::Zip => {
            let arrays: Vec<&[Value]> =
                args.iter().map(|a| a.as_ref().map_or(&[][..], |v| v.members())).collect();
            let len = arrays.iter().map(|a| a.len()).min().unwrap_or(0);
            let rows =
                (0..len).map(|i| Value::array(arrays.iter().map(|a| a[i].clone()).collect())).collect();
            Some(Value::array(rows))
        }
        Native::Keys => match a0 {
            None => Some(Value::sequence(Vec::new())),
            Some(v) => {
                let mut out = Vec::new();
                keys(v, &mut out);
                Some(Value::sequence(out.into_iter().map(Value::String).collect()))
            }
        },
        Native::Lookup => match a0 {
            Some(Value::Function(_)) | None => None,
            Some(v) => crate::eval::lookup(Some(v), str_arg(&args, 1).unwrap_or("undefined")),
        },
        Native::Append => {
            let a1 = args.get(1).cloned().flatten();
            match (a0.cloned(), a1) {
                (None, other) | (other, None) => other,
                (Some(first), Some(second)) => {
                    let mut items = first.members().to_vec();
                    items.extend(second.members().iter().cloned());
                    Some(Value::array(items))
                }
            }
        }
        Native::Exists => Some(Value::Bool(a0.is_some())),
        Native::Spread => a0.map(spread),
        Native::Merge => match a0 {
            None => None,
            Some(v) => {
                let mut out = Map::default();
                for item in v.members() {
                    if let Value::Object(map) = item {
                        for (key, value) in map.iter() {
                            out.insert(key.clone(), value.clone());
                        }
                    }
                }
                Some(Value::object(out))
            }
        },
        Native::Reverse => match a0 {
            None => None,
            Some(v) if v.members().len() <= 1 => Some(v.clone()),
            Some(v) => Some(Value::array(v.members().iter().rev().cloned().collect())),
        },
        Native::Error => {
            let message = str_arg(&args, 0).unwrap_or("$error() function evaluated");
            return Err(Error::new("D3137").with_message(message));
        }
        Native::Assert => {
            if !js_truthy(a0) {
                let message = str_arg(&args, 1).unwrap_or("$assert() statement failed");
                return Err(Error::new("D3141").with_message(message));
            }
            None
        }
        Native::Type => a0.map(|v| Value::string(v.type_name())),
        Native::Sort => match a0 {
            None => None,
            Some(v) if v.members().len() <= 1 => Some(v.clone()),
            Some(v) => {
                let items = v.members().to_vec();
                let sorted = match arg(&args, 1).cloned() {
                    None => sort_default(&items)?,
                    Some(function) => {
                        let order = crate::eval::merge_sort_indices(items.len(), &mut |a, b| {
                            let res = ev.apply(
                                Some(&function),
                                vec![Some(items[a].clone()), Some(items[b].clone())],
                                None,
                                env,
                            )?;
                            Ok(js_truthy(res.as_ref()))
                        })?;
                        order.into_iter().map(|i| items[i].clone()).collect()
                    }
                };
                Some(Value::array(sorted))
            }
        },
        Native::Shuffle => match a0 {
            None => None,
            Some(v) if v.members().len() <= 1 => Some(v.clone()),
            Some(v) => {
                let mut items = v.members().to_vec();
                for i in (1..items.len()).rev() {
                    let j = (ev.next_random() * (i + 1) as f64) as usize;
                    items.swap(i, j.min(i));
                }
                Some(Value::array(items))
            }
        },
        Native::Distinct => match a0 {
            None => None,
            Some(Value::Array(array)) if array.items.len() > 1 => {
                let mut out: Vec<Value> = Vec::new();
                for item in &array.items {
                    if !out.iter().any(|seen| deep_equal(seen, item)) {
                        out.push(item.clone());
                    }
                }
                Some(Value::Array(Rc::new(Array {
                    items: out,
                    sequence: array.sequence,
                    ..Array::default()
                })))
            }
            Some(v) => Some(v.clone()),
        },
        Native::Base64Encode => str_arg(&args, 0).map(|s| Value::string(&base64_encode(s.as_bytes()))),
        Native::Base64Decode => {
            str_arg(&args, 0).map(|s| Value::string(&String::from_utf8_lossy(&base64_decode(s))))
        }
        Native::EncodeUrlComponent => match str_arg(&args, 0) {
            None => None,
            Some(s) => string(encode_uri(s, "")),
        },
        Native::EncodeUrl => match str_arg(&args, 0) {
            None => None,
            Some(s) => string(encode_uri(s, ";,/?:@&=+$#")),
        },
        Native::DecodeUrlComponent => match str_arg(&args, 0) {
            None => None,
            Some(s) => string(decode_uri(s, "", "decodeUrlComponent")?),
        },
        Native::DecodeUrl => match str_arg(&args, 0) {
            None => None,
            Some(s) => string(decode_uri(s, ";,/?:@&=+$#", "decodeUrl")?),
        },
        Native::Eval => match str_arg(&args, 0) {
            None => None,
            Some(text) => {
                let expr = aslc_query::jsonata::parse_jsonata(text)
                    .map_err(|err| Error::new("D3120").value(Value::string(&err.jsonata_message())))?;
                let focus = match args.get(1).cloned().flatten() {
                    Some(Value::Array(array)) if !array.sequence => {
                        let mut wrapper = Array::sequence(vec![Value::Array(array)]);
                        wrapper.outer_wrapper = true;
                        Some(Value::Array(Rc::new(wrapper)))
                    }
                    Some(other) => Some(other),
                    None => input.cloned(),
                };
                ev.eval(&expr, focus.as_ref(), env).map_err(|err| {
                    let message = err.render();
                    Error::new("D3121").value(Value::string(&message))
                })?
            }
        },
        Native::ToMillis => match str_arg(&args, 0) {
            None => None,
            Some(text) => datetime::to_millis(text, str_arg(&args, 1))?.map(Value::Number),
        },
        Native::FromMillis => match num_arg(&args, 0) {
            None => None,
            Some(millis) => string(datetime::from_millis(millis, str_arg(&args, 1), str_arg(&args, 2))?),
        },
        Native::Now => string(datetime::from_millis(ev.now_millis, str_arg(&args, 0), str_arg(&args, 1))?),
        Native::Millis => number(ev.now_millis),
        Native::Clone => a0.map(deep_clone),
        Native::Partition => match a0 {
            None => None,
            Some(v) => {
                let size = num_arg(&args, 1).unwrap_or(0.0);
                if size < 1.0 || size.fract() != 0.0 {
                    return Err(Error::new("D3030")
                        .with_message("The second argument of $partition must be a positive integer"));
                }
                let chunks = v.members().chunks(size as usize).map(|c| Value::array(c.to_vec())).collect();
                Some(Value::array(chunks))
            }
        },
        Native::Range => {
            let start = num_arg(&args, 0).unwrap_or(0.0);
            let end = num_arg(&args, 1).unwrap_or(0.0);
            let step = num_arg(&args, 2).unwrap_or(1.0);
            if step == 0.0 || !step.is_finite() {
                return Err(Error::new("D3030").with_message("The step of $range must not be 0"));
            }
            let mut out = Vec::new();
            let mut current = start;
            while (step > 0.0 && current <= end) || (step < 0.0 && current >= end) {
                out.push(Value::Number(current));
                if out.len() > 10_000_000 {
                    return Err(Error::new("D2014").value(Value::Number(out.len() as f64)));
                }
                current += step;
            }
            // A sequence, as AWS's `$range` returns: one number comes out as that number.
            Some(Value::sequence(out))
        }
        Native::Hash => match str_arg(&args, 0) {
            None => None,
            Some(text) => {
                let algorithm = str_arg(&args, 1).unwrap_or("");
                match crate::hash::hex_digest(text.as_bytes(), algorithm) {
                    Some(digest) => string(digest),
                    None => {
                        return Err(Error::new("D3030").with_message(format!(
                            "The hash algorithm must be one of MD5, SHA-1, SHA-256, SHA-384 or SHA-512; got {algorithm}"
                        )))
                    }
                }
            }
        },
        Native::Uuid => {
            let mut bytes = [0u8; 16];
            for chunk in bytes.chunks_mut(4) {
                let r = (ev.next_random() * 4_294_967_296.0) as u32;
                chunk.copy_from_slice(&r.to_be_bytes());
            }
            bytes[6] = (bytes[6] & 0x0f) | 0x40;
            bytes[8] = (bytes[8] & 0x3f) | 0x80;
            let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            string(format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]))
        }
        Native::Parse => match str_arg(&args, 0) {
            None => None,
            Some(text) => match serde_json::from_str::<serde_json::Value>(text) {
                Ok(json) => Some(Value::from_json(&json)),
                Err(_) => {
                    return Err(
                        Error::new("D3030").with_message(format!("Unable to parse the JSON text: {text}"))
                    )
                }
            },
        },
    })
}

fn replace(
    ev: &mut Evaluator,
    text: &str,
    pattern: Option<Value>,
    replacement: Option<Value>,
    limit: Option<usize>,
    env: &Env,
) -> Result<String> {
    if limit == Some(0) {
        return Ok(text.to_owned());
    }
    let mut out = String::with_capacity(text.len());
    match &pattern {
        Some(Value::String(needle)) => {
            let replacement = match &replacement {
                Some(Value::String(s)) => s.to_string(),
                _ => String::new(),
            };
            let mut position = 0;
            let mut count = 0;
            while let Some(found) = text[position..].find(&**needle) {
                if limit.is_some_and(|l| count >= l) {
                    break;
                }
                out.push_str(&text[position..position + found]);
                out.push_str(&replacement);
                position += found + needle.len();
                count += 1;
            }
            out.push_str(&text[position..]);
        }
        Some(pattern @ Value::Function(_)) => {
            let found = find_all(ev, pattern, text, limit, env)?;
            let mut position = 0;
            for f in &found {
                out.push_str(&text[position.min(f.start)..f.start]);
                match &replacement {
                    Some(Value::String(s)) => out.push_str(&substitute(s, text, f)),
                    Some(function @ Value::Function(_)) => {
                        let object = found_object(text, f, true);
                        match ev.apply(Some(function), vec![Some(object)], None, env)? {
                            Some(Value::String(s)) => out.push_str(&s),
                            other => {
                                let err = Error::new("D3012");
                                return Err(match other {
                                    Some(v) => err.value(v),
                                    None => err,
                                });
                            }
                        }
                    }
                    _ => {}
                }
                position = f.end;
            }
            out.push_str(&text[position.min(text.len())..]);
        }
        _ => out.push_str(text),
    }
    Ok(out)
}

/// `$random(seed)`: the same seed gives the same number in `[0, 1)` (SplitMix64 of the seed).
fn seeded_random(seed: f64) -> f64 {
    let mut z = (seed as i64 as u64).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    (z >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(trim("  a \n b  "), "a b");
        assert_eq!(substring("hello", -3.0, Some(2.0)), "ll");
        assert_eq!(round(2.5, None), 2.0);
        assert_eq!(round(3.5, None), 4.0);
        assert_eq!(round(1.255, Some(2.0)), 1.26);
        assert_eq!(parse_js_number("1e3"), Some(1000.0));
        assert_eq!(parse_js_number("0x1F"), Some(31.0));
        assert_eq!(parse_js_number("1."), None);
        assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
        assert_eq!(base64_decode("aGVsbG8="), b"hello");
        assert_eq!(crate::value::utf16_len("a😀"), 3);
    }
}
