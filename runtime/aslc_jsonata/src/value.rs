//! The evaluator's values: JSON plus functions, with JSONata's sequence flags.
//!
//! Arrays and objects sit behind `Rc`, so passing a value along a path or into a function
//! never copies it. An [`Array`] carries the flags the reference implementation hangs on its
//! arrays: whether it is a *sequence* (flattened and unwrapped when it has one item), whether a
//! singleton must stay an array (`[]`), whether it came from an array constructor, and whether
//! it wraps a top-level input array. Conversion from and to `serde_json::Value` happens only at
//! the API boundary.

use std::cell::Cell;
use std::cmp::Ordering;
use std::fmt::Write as _;
use std::rc::Rc;

use crate::function::Function;
pub use crate::map::Map;

/// A JSONata value. *Undefined* is `Option::None` wherever it can occur.
#[derive(Clone, Debug)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(Rc<str>),
    Array(Rc<Array>),
    Object(Rc<Object>),
    Function(Rc<Function>),
}

/// An object's members; dropped without recursion (see [`Array`]).
#[derive(Clone, Debug, Default)]
pub struct Object(pub Map);

impl std::ops::Deref for Object {
    type Target = Map;

    fn deref(&self) -> &Map {
        &self.0
    }
}

impl std::ops::DerefMut for Object {
    fn deref_mut(&mut self) -> &mut Map {
        &mut self.0
    }
}

thread_local! {
    /// How many container drops are running, nested, on this thread.
    static DROP_DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// How deep containers are dropped by recursion, the cheap way; deeper ones are dropped by
/// [`drop_iteratively`].
const MAX_DROP_DEPTH: usize = 128;

/// One level of containers dropped by recursion, while it lives.
struct DropLevel;

impl DropLevel {
    /// A further level, unless the drops running are [`MAX_DROP_DEPTH`] deep already.
    fn enter() -> Option<DropLevel> {
        let depth = DROP_DEPTH.get();
        (depth < MAX_DROP_DEPTH).then(|| {
            DROP_DEPTH.set(depth + 1);
            DropLevel
        })
    }
}

impl Drop for DropLevel {
    fn drop(&mut self) {
        DROP_DEPTH.set(DROP_DEPTH.get() - 1);
    }
}

/// Moves the children of containers that are about to be freed onto a list, so dropping a
/// structure nested a hundred thousand levels deep (which a `$reduce` can build) takes no
/// stack.
fn drop_iteratively(mut pending: Vec<Value>) {
    while let Some(value) = pending.pop() {
        match value {
            Value::Array(rc) => {
                if let Ok(mut array) = Rc::try_unwrap(rc) {
                    pending.append(&mut array.items);
                }
            }
            Value::Object(rc) => {
                if let Ok(mut object) = Rc::try_unwrap(rc) {
                    pending.extend(std::mem::take(&mut object.0).into_values());
                }
            }
            _ => {}
        }
    }
}

fn holds_container(values: &[Value]) -> bool {
    values.iter().any(|v| matches!(v, Value::Array(_) | Value::Object(_)))
}

impl Drop for Object {
    fn drop(&mut self) {
        if self.0.values().any(|v| matches!(v, Value::Array(_) | Value::Object(_))) {
            let members = std::mem::take(&mut self.0);
            match DropLevel::enter() {
                Some(_level) => drop(members),
                None => drop_iteratively(members.into_values().collect()),
            }
        }
    }
}

impl Drop for Array {
    fn drop(&mut self) {
        if holds_container(&self.items) {
            let items = std::mem::take(&mut self.items);
            match DropLevel::enter() {
                Some(_level) => drop(items),
                None => drop_iteratively(items),
            }
        }
    }
}

/// An array with JSONata's flags.
#[derive(Clone, Debug, Default)]
pub struct Array {
    pub items: Vec<Value>,
    /// A sequence: the result of a path or a function, flattened into enclosing sequences and
    /// unwrapped when it holds one item.
    pub sequence: bool,
    /// A singleton sequence that must stay an array (`[]` in a path).
    pub keep_singleton: bool,
    /// Built by an array constructor: never flattened by a path step.
    pub cons: bool,
    /// The sequence wrapping a top-level input array.
    pub outer_wrapper: bool,
}

impl Array {
    pub fn plain(items: Vec<Value>) -> Array {
        Array { items, ..Array::default() }
    }

    pub fn sequence(items: Vec<Value>) -> Array {
        Array { items, sequence: true, ..Array::default() }
    }
}

impl Value {
    pub fn string(text: &str) -> Value {
        Value::String(Rc::from(text))
    }

    pub fn array(items: Vec<Value>) -> Value {
        Value::Array(Rc::new(Array::plain(items)))
    }

    pub fn sequence(items: Vec<Value>) -> Value {
        Value::Array(Rc::new(Array::sequence(items)))
    }

    /// An object, its members in JavaScript's order: integer-like keys first, ascending,
    /// then the others as inserted (what `Object.keys`, `JSON.stringify` and so `$keys`,
    /// `$each`, `*` and `$string` see in the reference).
    pub fn object(map: Map) -> Value {
        let map = if map.keys().any(|k| is_array_index(k)) { js_order(map) } else { map };
        Value::Object(Rc::new(Object(map)))
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The items of an array, or the value alone.
    pub fn members(&self) -> &[Value] {
        match self {
            Value::Array(array) => &array.items,
            other => std::slice::from_ref(other),
        }
    }

    /// JSONata's type name (`$type`).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
            Value::Function(_) => "function",
        }
    }

    /// Reads a JSON value.
    pub fn from_json(json: &serde_json::Value) -> Value {
        Value::from_json_inner(json, &mut KeyCache::default())
    }

    fn from_json_inner<'j>(json: &'j serde_json::Value, keys: &mut KeyCache<'j>) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::string(s),
            // A `serde_json::Value` built in code may nest deeper than a parsed one.
            serde_json::Value::Array(items) => stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
                Value::array(items.iter().map(|item| Value::from_json_inner(item, keys)).collect())
            }),
            serde_json::Value::Object(members) => stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
                let mut map = Map::with_capacity(members.len());
                for (key, value) in members {
                    map.insert(keys.intern(key), Value::from_json_inner(value, keys));
                }
                Value::object(map)
            }),
        }
    }

    /// The value as JSON: functions become `""` as in `JSON.stringify` with JSONata's
    /// replacer; a non-finite number is an error (`D1001`).
    pub fn to_json(&self) -> Result<serde_json::Value, f64> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.to_json_inner())
    }

    fn to_json_inner(&self) -> Result<serde_json::Value, f64> {
        Ok(match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => json_number(*n).ok_or(*n)?,
            Value::String(s) => serde_json::Value::String(s.to_string()),
            Value::Array(array) => serde_json::Value::Array(
                array.items.iter().map(Value::to_json_inner).collect::<Result<_, _>>()?,
            ),
            Value::Object(map) => {
                let mut members = serde_json::Map::with_capacity(map.len());
                for (key, value) in map.iter() {
                    members.insert(key.to_string(), value.to_json()?);
                }
                serde_json::Value::Object(members)
            }
            Value::Function(_) => serde_json::Value::String(String::new()),
        })
    }
}

/// The member names met while reading one JSON document, so that the objects of a list of
/// records share one allocation per name instead of one per member.
#[derive(Default)]
struct KeyCache<'j> {
    names: rustc_hash::FxHashMap<&'j str, Rc<str>>,
}

impl<'j> KeyCache<'j> {
    /// Names longer than this are rarely repeated; they are not worth a lookup.
    const MAX_LEN: usize = 32;

    fn intern(&mut self, key: &'j str) -> Rc<str> {
        if key.len() > Self::MAX_LEN {
            return Rc::from(key);
        }
        self.names.entry(key).or_insert_with(|| Rc::from(key)).clone()
    }
}

impl Value {
    /// The value that reading its JSON form back gives ([`Value::from_json`] of
    /// [`Value::to_json`], for a value whose numbers are finite): arrays without their
    /// sequence flags, functions as `""`, `-0` as `0`. Parts that are plain already are
    /// shared, not copied.
    pub fn to_plain(&self) -> Value {
        self.plain_if_changed().unwrap_or_else(|| self.clone())
    }

    /// [`Value::to_plain`], or `None` when the value is plain already.
    fn plain_if_changed(&self) -> Option<Value> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || match self {
            Value::Number(n) if *n == 0.0 && n.is_sign_negative() => Some(Value::Number(0.0)),
            Value::Function(_) => Some(Value::string("")),
            Value::Array(array) => {
                let flagged = array.sequence || array.keep_singleton || array.cons || array.outer_wrapper;
                match plain_items(array.items.iter()) {
                    Some(items) => Some(Value::array(items)),
                    None if flagged => Some(Value::array(array.items.clone())),
                    None => None,
                }
            }
            Value::Object(map) => {
                let values = plain_items(map.values())?;
                let members = map.keys().cloned().zip(values).collect();
                Some(Value::object(members))
            }
            _ => None,
        })
    }
}

/// The plain forms of `items`, or `None` when every one is plain already.
fn plain_items<'v>(items: impl Iterator<Item = &'v Value> + Clone) -> Option<Vec<Value>> {
    let all = items.clone();
    let mut out: Option<Vec<Value>> = None;
    for (index, item) in items.enumerate() {
        // Each item is looked at once: a changed item's plain form is kept, not recomputed.
        match (item.plain_if_changed(), &mut out) {
            (Some(plain), Some(out)) => out.push(plain),
            (None, Some(out)) => out.push(item.clone()),
            (Some(plain), None) => {
                let mut before: Vec<Value> = all.clone().take(index).cloned().collect();
                before.push(plain);
                out = Some(before);
            }
            (None, None) => {}
        }
    }
    out
}

/// Whether JavaScript treats `key` as an array index (`"0"`, `"42"`, not `"01"`).
fn is_array_index(key: &str) -> bool {
    let bytes = key.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 10
        && bytes.iter().all(u8::is_ascii_digit)
        && (bytes[0] != b'0' || bytes.len() == 1)
        && key.parse::<u64>().is_ok_and(|n| n < u64::from(u32::MAX))
}

fn js_order(map: Map) -> Map {
    type Members = Vec<(Rc<str>, Value)>;
    let (mut indexes, others): (Members, Members) = map.into_iter().partition(|(key, _)| is_array_index(key));
    indexes.sort_by_key(|(key, _)| key.parse::<u64>().unwrap_or(0));
    indexes.into_iter().chain(others).collect()
}

/// A finite number as JSON, integral values as integers.
pub fn json_number(n: f64) -> Option<serde_json::Value> {
    if !n.is_finite() {
        return None;
    }
    if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        // Exact: the magnitude is below 2^53.
        return Some(serde_json::Value::from(n as i64));
    }
    serde_json::Number::from_f64(n).map(serde_json::Value::Number)
}

/// JavaScript's `Number.prototype.toString()`: shortest round-trip digits, plain notation
/// from 1e-7 up to 1e21, exponent notation outside.
pub fn js_number(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    if n == 0.0 {
        return "0".into();
    }
    if n.fract() == 0.0 && n.abs() < 1e15 {
        // Exact: an integer this small converts to i64 without loss.
        return (n as i64).to_string();
    }
    let sci = format!("{:e}", n.abs());
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let mut out = String::new();
    if n < 0.0 {
        out.push('-');
    }
    let k = digits.len() as i32;
    if (-6..21).contains(&exponent) {
        if exponent >= k - 1 {
            out.push_str(&digits);
            for _ in 0..(exponent - (k - 1)) {
                out.push('0');
            }
        } else if exponent >= 0 {
            let split = (exponent + 1) as usize;
            out.push_str(&digits[..split]);
            out.push('.');
            out.push_str(&digits[split..]);
        } else {
            out.push_str("0.");
            for _ in 0..(-exponent - 1) {
                out.push('0');
            }
            out.push_str(&digits);
        }
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exponent < 0 { '-' } else { '+' });
        let _ = write!(out, "{}", exponent.abs());
    }
    out
}

/// `Number(n.toPrecision(15))`: JSONata's rounding of numbers it turns into strings.
pub fn to_precision_15(n: f64) -> f64 {
    // Integers below 1e15 have at most 15 digits already.
    if !n.is_finite() || n == 0.0 || (n.fract() == 0.0 && n.abs() < 1e15) {
        return n;
    }
    format!("{n:.14e}").parse().unwrap_or(n)
}

/// JSON text of a value as `$string` writes it: numbers rounded to 15 significant digits,
/// functions as `""`, optionally indented by two spaces.
pub fn stringify(value: &Value, pretty: bool) -> String {
    let mut out = String::new();
    write_json(value, pretty, 0, &mut out);
    out
}

/// How deep a result may nest to be turned into JSON or text: deeper structures (which only
/// a loop building them can make) would exhaust the stack of whoever serialises them.
pub const MAX_NESTING: usize = 1000;

/// Whether `value` nests more than `limit` arrays and objects deep (without recursion).
pub fn nests_deeper_than(value: &Value, limit: usize) -> bool {
    unwritable(value, limit).0
}

/// What keeps `value` from being written as JSON, found in one walk (without recursion):
/// whether it nests more than `limit` arrays and objects deep, and its first non-finite
/// number in document order.
pub fn unwritable(value: &Value, limit: usize) -> (bool, Option<f64>) {
    let mut first_non_finite = None;
    let mut stack: Vec<(&Value, usize)> = vec![(value, 0)];
    while let Some((value, depth)) = stack.pop() {
        match value {
            Value::Number(n) if !n.is_finite() => {
                first_non_finite.get_or_insert(*n);
            }
            Value::Array(array) => {
                if depth >= limit {
                    return (true, first_non_finite);
                }
                // Reversed, so that the children come off the stack in order.
                stack.extend(array.items.iter().rev().map(|child| (child, depth + 1)));
            }
            Value::Object(map) => {
                if depth >= limit {
                    return (true, first_non_finite);
                }
                stack.extend(map.values().rev().map(|child| (child, depth + 1)));
            }
            _ => {}
        }
    }
    (false, first_non_finite)
}

/// The first non-finite number inside a value, which `JSON.stringify` with JSONata's
/// replacer refuses (`D1001`).
pub fn non_finite(value: &Value) -> Option<f64> {
    unwritable(value, usize::MAX).1
}

fn write_json(value: &Value, pretty: bool, level: usize, out: &mut String) {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || write_json_inner(value, pretty, level, out));
}

fn write_json_inner(value: &Value, pretty: bool, level: usize, out: &mut String) {
    let newline = |out: &mut String, level: usize| {
        if pretty {
            out.push('\n');
            for _ in 0..level {
                out.push_str("  ");
            }
        }
    };
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if n.is_finite() {
                out.push_str(&js_number(to_precision_15(*n)));
            } else {
                out.push_str("null");
            }
        }
        Value::String(s) => write_json_string(s, out),
        Value::Function(_) => out.push_str("\"\""),
        Value::Array(array) => {
            if array.items.is_empty() {
                out.push_str("[]");
                return;
            }
            out.push('[');
            for (i, item) in array.items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, level + 1);
                write_json(item, pretty, level + 1, out);
            }
            newline(out, level);
            out.push(']');
        }
        Value::Object(map) => {
            if map.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, level + 1);
                write_json_string(key, out);
                out.push(':');
                if pretty {
                    out.push(' ');
                }
                write_json(item, pretty, level + 1, out);
            }
            newline(out, level);
            out.push('}');
        }
    }
}

/// A JSON string literal as `JSON.stringify` writes it.
pub fn write_json_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// JSONata's deep equality (`=`): numbers by value, containers member by member, functions
/// by identity.
pub fn deep_equal(lhs: &Value, rhs: &Value) -> bool {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || deep_equal_inner(lhs, rhs))
}

fn deep_equal_inner(lhs: &Value, rhs: &Value) -> bool {
    match (lhs, rhs) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (Value::Number(a), Value::Number(b)) => a == b,
        (Value::String(a), Value::String(b)) => a == b,
        (Value::Array(a), Value::Array(b)) => {
            a.items.len() == b.items.len() && a.items.iter().zip(&b.items).all(|(x, y)| deep_equal(x, y))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(key, x)| b.get(key).is_some_and(|y| deep_equal(x, y)))
        }
        (Value::Function(a), Value::Function(b)) => Rc::ptr_eq(a, b),
        _ => false,
    }
}

/// JavaScript's `===`: primitives by value, containers by identity.
pub fn strict_equal(lhs: &Value, rhs: &Value) -> bool {
    match (lhs, rhs) {
        (Value::Array(a), Value::Array(b)) => Rc::ptr_eq(a, b),
        (Value::Object(a), Value::Object(b)) => Rc::ptr_eq(a, b),
        _ => deep_equal(lhs, rhs),
    }
}

/// Whether two names are the same text. Names (members, variables) are mostly short:
/// those are compared in place rather than by a call to `memcmp`.
#[inline]
pub fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let len = a.len();
    if len != b.len() {
        return false;
    }
    let word = |bytes: &[u8], at: usize| {
        let mut word = [0u8; 4];
        word.copy_from_slice(&bytes[at..at + 4]);
        u32::from_le_bytes(word)
    };
    match len {
        0 => true,
        // Every byte is one of the first, the middle or the last.
        1..=3 => a[0] == b[0] && a[len / 2] == b[len / 2] && a[len - 1] == b[len - 1],
        // The first four and the last four bytes cover all of them.
        4..=8 => word(a, 0) == word(b, 0) && word(a, len - 4) == word(b, len - 4),
        _ => a == b,
    }
}

/// Compares strings as JavaScript does: by UTF-16 code units.
pub fn compare_strings(a: &str, b: &str) -> Ordering {
    if a.is_ascii() && b.is_ascii() {
        return a.cmp(b);
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

/// The length of a string in UTF-16 code units, as JavaScript counts.
pub fn utf16_len(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().map(char::len_utf16).sum()
    }
}

/// JavaScript's truthiness (used where the reference tests a raw result with `if`).
pub fn js_truthy(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => *n != 0.0 && !n.is_nan(),
        Some(Value::String(s)) => !s.is_empty(),
        Some(_) => true,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_in_javascript() {
        let cases = [
            (1.0, "1"),
            (-2.5, "-2.5"),
            (1e20, "100000000000000000000"),
            (1e21, "1e+21"),
            (1.5e-7, "1.5e-7"),
            (1e-7, "1e-7"),
            (0.000001, "0.000001"),
            (123.456, "123.456"),
            (5890840712243076.0, "5890840712243076"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
        ];
        for (n, text) in cases {
            assert_eq!(js_number(n), text);
        }
        assert_eq!(js_number(to_precision_15(5890840712243076.0)), "5890840712243080");
        assert_eq!(js_number(to_precision_15(0.1 + 0.2)), "0.3");
    }

    /// Equal as values, with the same array flags and the same member order.
    pub(crate) fn same(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Array(x), Value::Array(y)) => {
                (x.sequence, x.keep_singleton, x.cons, x.outer_wrapper)
                    == (y.sequence, y.keep_singleton, y.cons, y.outer_wrapper)
                    && x.items.len() == y.items.len()
                    && x.items.iter().zip(&y.items).all(|(p, q)| same(p, q))
            }
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len() && x.iter().zip(y.iter()).all(|((k, p), (l, q))| k == l && same(p, q))
            }
            (Value::Number(x), Value::Number(y)) => x.to_bits() == y.to_bits(),
            _ => deep_equal(a, b),
        }
    }

    #[test]
    fn plain_values_are_what_their_json_reads_back_as() {
        let function =
            Value::Function(Rc::new(crate::function::Function::Native(crate::functions::Native::Sum)));
        let mut flagged = Array::sequence(vec![Value::Number(-0.0), Value::string("a")]);
        flagged.keep_singleton = true;
        let mut members = Map::default();
        members.insert(Rc::from("f"), function.clone());
        members.insert(Rc::from("s"), Value::Array(Rc::new(flagged)));
        members.insert(Rc::from("n"), Value::Number(2.5));
        let shared = Value::array(vec![Value::Null, Value::Bool(true), Value::Number(1e300)]);
        members.insert(Rc::from("p"), shared.clone());
        let value = Value::sequence(vec![Value::object(members), function, shared.clone()]);
        let read_back = Value::from_json(&value.to_json().expect("finite numbers"));
        assert!(same(&value.to_plain(), &read_back));
        let plain = shared.to_plain();
        let (Value::Array(before), Value::Array(after)) = (&shared, &plain) else { unreachable!("arrays") };
        assert!(Rc::ptr_eq(before, after), "a plain value is shared, not copied");
    }

    #[test]
    fn documents_of_results_are_their_json_read_back() {
        let input = serde_json::json!({"a": [{"b": [1, 2]}, {"b": 3}], "k": {"2": 1, "x": 2, "1": 3}});
        for text in [
            "a.b",
            "a.b[]",
            "[a.b]",
            "a[0].b",
            "{'s': a.b, 'f': $sum, 'z': -0, 'k': k}",
            "k",
            "$map(a, function($v) { $v.b })",
            "a.{'b': b}",
            "[[1], [2, [3]]]",
        ] {
            let expr = aslc_query::jsonata::parse_jsonata(text).expect("the test expression parses");
            let bindings = crate::Bindings::new();
            let json = crate::evaluate(&expr, Some(&input), &bindings).expect("evaluates").expect("a result");
            let crate::DocumentEvaluation::Document(document) =
                crate::evaluate_document(&expr, Some(&input), &bindings, None).expect("evaluates")
            else {
                panic!("{text}: a JSON result")
            };
            assert_eq!(document.to_json(), json, "{text}");
            let document = document.into_value();
            assert!(same(&document, &Value::from_json(&json)), "{text}");
        }
    }

    #[test]
    fn deep_values_drop_without_recursion() {
        let mut value = Value::Null;
        for i in 0..200_000 {
            value = if i % 2 == 0 {
                Value::array(vec![value, Value::array(vec![Value::Null])])
            } else {
                let mut members = Map::default();
                members.insert(Rc::from("next"), value);
                Value::object(members)
            };
        }
        drop(value);
        assert_eq!(DROP_DEPTH.get(), 0, "every level entered is left");
    }

    #[test]
    fn same_text_is_string_equality() {
        let texts = [
            "",
            "a",
            "b",
            "ab",
            "ba",
            "abc",
            "abd",
            "xbc",
            "abcd",
            "abce",
            "total",
            "totbl",
            "customer",
            "customes",
            "dustomer",
            "abcdefghi",
            "abcdefghj",
            "é",
            "ée",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(same_text(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn objects_keep_javascript_key_order() {
        let mut map = Map::default();
        for key in ["b", "10", "a", "2", "01"] {
            map.insert(Rc::from(key), Value::Null);
        }
        let Value::Object(object) = Value::object(map) else { unreachable!("an object was built") };
        let keys: Vec<&str> = object.keys().map(|k| &**k).collect();
        assert_eq!(keys, ["2", "10", "b", "a", "01"]);
    }
}
