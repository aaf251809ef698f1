//! The eighteen intrinsic functions at run time (intrinsics.md §5).

use std::borrow::Cow;

use aslc_query::intrinsic::{ArgKind, Call, Function};
use serde_json::{Number, Value};
use sha1::Digest as _;

use crate::jsonpath::{self, Roots};

/// Why a call could not produce a value.
#[derive(Clone, Debug)]
pub enum IntrinsicError {
    /// A path argument found nothing: fails like a template path.
    PathMissing(String),
    /// The function refused its arguments (`States.IntrinsicFailure` unless AWS says
    /// otherwise).
    Failed(String),
}

/// The source of randomness for `States.UUID` and `States.MathRandom`: deterministic per
/// execution so runs on the virtual clock are reproducible.
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9e37_79b9_7f4a_7c15)
    }

    /// The next 64 random bits (splitmix64).
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A random version-4 UUID.
    pub fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&a.to_be_bytes());
        bytes[8..].copy_from_slice(&b.to_be_bytes());
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
    }
}

fn fail<T>(msg: impl Into<String>) -> Result<T, IntrinsicError> {
    Err(IntrinsicError::Failed(msg.into()))
}

/// Evaluates `call` with paths over `data`.
pub fn eval(call: &Call, data: &Value, roots: &dyn Roots, rng: &mut Rng) -> Result<Value, IntrinsicError> {
    // Up to four arguments live on the stack: most calls have two or three. A path argument
    // borrows what it finds: `States.ArrayLength($.items)` copies no array.
    let n = call.args.len();
    let mut inline: [Cow<'_, Value>; 4] = Default::default();
    let mut spill: Vec<Cow<'_, Value>> = Vec::new();
    let args: &mut [Cow<'_, Value>] = if n <= inline.len() {
        &mut inline[..n]
    } else {
        spill.resize(n, Cow::Owned(Value::Null));
        &mut spill
    };
    for (slot, arg) in args.iter_mut().zip(&call.args) {
        let value = match &arg.kind {
            ArgKind::String(s) => Cow::Owned(Value::String(s.value.to_string())),
            ArgKind::Number { value, text } => Cow::Owned(
                if value.fract() == 0.0 && value.abs() < 9.0e15 && !text.contains(['.', 'e', 'E']) {
                    Value::from(*value as i64)
                } else {
                    text.parse::<Number>()
                        .ok()
                        .or_else(|| Number::from_f64(*value))
                        .map_or(Value::Null, Value::Number)
                },
            ),
            ArgKind::Bool(b) => Cow::Owned(Value::Bool(*b)),
            ArgKind::Null => Cow::Owned(Value::Null),
            ArgKind::Path(p) => {
                jsonpath::select(p, data, roots).map_err(|_| IntrinsicError::PathMissing(p.to_string()))?
            }
            ArgKind::Call(inner) => Cow::Owned(eval(inner, data, roots, rng)?),
        };
        // The slot still holds its null: put the value in without dropping it.
        std::mem::forget(std::mem::replace(slot, value));
    }
    let Some(function) = call.function else { return fail(format!("unknown function States.{}", call.name)) };
    let result = apply(function, call, &mut Args(args), rng);
    // Arguments that own nothing need no drop: the common call on numbers and paths
    // (`MathAdd`) skips dropping every slot one by one.
    if spill.is_empty()
        && inline.iter().all(|v| {
            matches!(v, Cow::Borrowed(_) | Cow::Owned(Value::Null | Value::Bool(_) | Value::Number(_)))
        })
    {
        std::mem::forget(inline);
    }
    result
}

/// The evaluated arguments of a call, borrowed from the data or made by the call.
struct Args<'s, 'v>(&'s mut [Cow<'v, Value>]);

impl Args<'_, '_> {
    fn first(&self) -> Option<&Value> {
        self.get(0)
    }

    fn get(&self, index: usize) -> Option<&Value> {
        self.0.get(index).map(|v| &**v)
    }

    fn iter(&self) -> impl Iterator<Item = &Value> {
        self.0.iter().map(|v| &**v)
    }

    /// The arguments as values of their own.
    fn take_all(&mut self) -> Vec<Value> {
        self.0.iter_mut().map(|v| std::mem::take(v).into_owned()).collect()
    }
}

/// Applies `function` to the evaluated arguments of `call`.
fn apply(
    function: Function,
    call: &Call,
    args: &mut Args<'_, '_>,
    rng: &mut Rng,
) -> Result<Value, IntrinsicError> {
    match function {
        Function::Format => format(call, args),
        Function::StringToJson => match args.first() {
            Some(Value::String(s)) if s.trim().is_empty() => Ok(Value::Null),
            Some(Value::String(s)) => serde_json::from_str(s).or_else(|_| fail(format!("invalid JSON: {s}"))),
            _ => fail("States.StringToJson needs a string"),
        },
        Function::JsonToString => Ok(Value::String(args.first().map(|v| v.to_string()).unwrap_or_default())),
        Function::Array => Ok(Value::Array(args.take_all())),
        Function::ArrayPartition => {
            let (Some(Value::Array(a)), Some(size)) = (args.first(), args.get(1).and_then(integer)) else {
                return fail("States.ArrayPartition needs an array and a size");
            };
            if size < 1 {
                return fail("States.ArrayPartition needs a size of at least 1");
            }
            Ok(Value::Array(a.chunks(size as usize).map(|c| Value::Array(c.to_vec())).collect()))
        }
        Function::ArrayContains => match (args.first(), args.get(1)) {
            (Some(Value::Array(a)), Some(v)) => Ok(Value::Bool(a.iter().any(|x| json_eq(x, v)))),
            _ => fail("States.ArrayContains needs an array"),
        },
        Function::ArrayRange => {
            let nums: Vec<Option<i64>> = args.iter().map(integer).collect();
            let (Some(Some(first)), Some(Some(last)), Some(Some(step))) =
                (nums.first(), nums.get(1), nums.get(2))
            else {
                return fail("States.ArrayRange needs three integers");
            };
            if *step == 0 {
                return fail("States.ArrayRange needs a non-zero step");
            }
            let (first, last, step) = (i128::from(*first), i128::from(*last), i128::from(*step));
            let count = if (step > 0 && first <= last) || (step < 0 && first >= last) {
                (last - first) / step + 1
            } else {
                0
            };
            if count > 1000 {
                return fail("States.ArrayRange produces more than 1000 elements");
            }
            // `count` is at most 1000 and every element lies between `first` and `last`.
            let out = (0..count)
                .map(|k| Value::from(i64::try_from(first + k * step).unwrap_or_default()))
                .collect();
            Ok(Value::Array(out))
        }
        Function::ArrayGetItem => match (args.first(), args.get(1).and_then(integer)) {
            (Some(Value::Array(a)), Some(i)) if i >= 0 && (i as usize) < a.len() => Ok(a[i as usize].clone()),
            _ => fail("States.ArrayGetItem needs an array and an index in range"),
        },
        Function::ArrayLength => match args.first() {
            Some(Value::Array(a)) => Ok(Value::from(a.len())),
            _ => fail("States.ArrayLength needs an array"),
        },
        Function::ArrayUnique => match args.first() {
            Some(Value::Array(a)) => {
                let mut out: Vec<Value> = Vec::new();
                for v in a {
                    if !out.iter().any(|x| json_eq(x, v)) {
                        out.push(v.clone());
                    }
                }
                Ok(Value::Array(out))
            }
            _ => fail("States.ArrayUnique needs an array"),
        },
        Function::Base64Encode => match args.first() {
            Some(Value::String(s)) if s.chars().count() <= 10_000 => {
                Ok(Value::String(base64_encode(s.as_bytes())))
            }
            _ => fail("States.Base64Encode needs a string of at most 10000 characters"),
        },
        Function::Base64Decode => match args.first() {
            Some(Value::String(s)) if s.chars().count() <= 10_000 => match base64_decode(s) {
                Some(bytes) => String::from_utf8(bytes).map(Value::String).or_else(|_| fail("not UTF-8")),
                None => fail("States.Base64Decode needs valid Base64"),
            },
            _ => fail("States.Base64Decode needs a string of at most 10000 characters"),
        },
        Function::Hash => {
            let (Some(Value::String(data)), Some(Value::String(algorithm))) = (args.first(), args.get(1))
            else {
                return fail("States.Hash needs a string and an algorithm");
            };
            if data.chars().count() > 10_000 {
                return fail("States.Hash needs a string of at most 10000 characters");
            }
            let bytes = data.as_bytes();
            let digest: Vec<u8> = match &**algorithm {
                "MD5" => md5::Md5::digest(bytes).to_vec(),
                "SHA-1" => sha1::Sha1::digest(bytes).to_vec(),
                "SHA-256" => sha2::Sha256::digest(bytes).to_vec(),
                "SHA-384" => sha2::Sha384::digest(bytes).to_vec(),
                "SHA-512" => sha2::Sha512::digest(bytes).to_vec(),
                other => return fail(format!("unknown hash algorithm {other}")),
            };
            Ok(Value::String(digest.iter().map(|b| format!("{b:02x}")).collect()))
        }
        Function::JsonMerge => match (args.first(), args.get(1), args.get(2)) {
            (Some(Value::Object(a)), Some(Value::Object(b)), Some(Value::Bool(false))) => {
                let mut out = a.clone();
                for (k, v) in b {
                    out.insert(k.clone(), v.clone());
                }
                Ok(Value::Object(out))
            }
            _ => fail("States.JsonMerge needs two objects and `false`"),
        },
        Function::MathRandom => {
            let (Some(start), Some(end)) =
                (args.first().and_then(Value::as_f64), args.get(1).and_then(Value::as_f64))
            else {
                return fail("States.MathRandom needs two numbers");
            };
            let (lo, hi) = (java_round(start), java_round(end));
            if hi < lo {
                return fail("States.MathRandom needs start <= end");
            }
            let span = (hi - lo) as u64 + 1;
            let mut draw = match args.get(2).and_then(integer) {
                Some(seed) => Rng::new(seed as u64),
                None => Rng::new(rng.next_u64()),
            };
            Ok(Value::from(lo + (draw.next_u64() % span) as i64))
        }
        Function::MathAdd => match (args.first().and_then(rounded), args.get(1).and_then(rounded)) {
            (Some(a), Some(b)) => Ok(Value::from(a.wrapping_add(b))),
            _ => fail("States.MathAdd needs two numbers"),
        },
        Function::StringSplit => match (args.first(), args.get(1)) {
            (Some(Value::String(s)), Some(Value::String(d))) => Ok(Value::Array(
                s.split(|c| d.contains(c))
                    .filter(|p| !p.is_empty())
                    .map(|p| Value::String(p.into()))
                    .collect(),
            )),
            _ => fail("States.StringSplit needs two strings"),
        },
        Function::UUID => Ok(Value::String(rng.uuid())),
    }
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        _ => None,
    }
}

fn integer(v: &Value) -> Option<i64> {
    let f = number(v)?;
    (f.fract() == 0.0 && f.abs() < 9.2e18).then_some(f as i64)
}

/// A number rounded as `States.MathAdd` rounds its arguments; integers need no rounding.
fn rounded(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(java_round)),
        _ => None,
    }
}

/// Java's `Math.round`: half rounds toward positive infinity.
fn java_round(f: f64) -> i64 {
    (f + 0.5).floor() as i64
}

/// Structural equality with numbers compared by value.
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_eq(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

fn format(call: &Call, args: &Args<'_, '_>) -> Result<Value, IntrinsicError> {
    let pieces: Vec<String> = match call.args.first().map(|a| &a.kind) {
        Some(ArgKind::String(lit)) => lit.format_pieces().into_iter().map(str::to_owned).collect(),
        _ => match args.first() {
            Some(Value::String(s)) => s.split("{}").map(str::to_owned).collect(),
            _ => return fail("States.Format needs a string template"),
        },
    };
    let values = &args.0[1..];
    if pieces.len() != values.len() + 1 {
        return fail(format!(
            "States.Format has {} placeholders but {} arguments",
            pieces.len() - 1,
            values.len()
        ));
    }
    let mut out = pieces[0].clone();
    for (v, piece) in values.iter().zip(&pieces[1..]) {
        render(v, &mut out);
        out.push_str(piece);
    }
    Ok(Value::String(out))
}

fn render(v: &Value, out: &mut String) {
    match v {
        Value::String(s) => out.push_str(s),
        Value::Object(o) => {
            out.push('{');
            for (i, (k, v)) in o.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push('=');
                render(v, out);
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                render(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if bytes.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        let mut pad = 0;
        for (i, &c) in chunk.iter().enumerate() {
            let v = match c {
                b'=' if i >= 2 => {
                    pad += 1;
                    0
                }
                _ if pad > 0 => return None,
                _ => B64.iter().position(|&x| x == c)? as u32,
            };
            n = (n << 6) | v;
        }
        out.push((n >> 16) as u8);
        if pad < 2 {
            out.push((n >> 8) as u8);
        }
        if pad < 1 {
            out.push(n as u8);
        }
    }
    Some(out)
}
