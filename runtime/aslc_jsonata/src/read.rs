//! A JSON reader straight into the evaluator's values, for a host that has JSON text and
//! would otherwise parse it into `serde_json::Value` only to convert that again.
//!
//! The reader gives exactly what [`Value::from_json`] of `serde_json::from_str` gives:
//! numbers as serde_json reads them (integers exactly, then as `f64`; other numbers
//! correctly rounded), a repeated member name keeping its first place and its last value,
//! members in JavaScript's order. It takes only text serde_json takes, and declines
//! ([`read`] returns `None`) whatever it is not sure of: malformed text, lone surrogates,
//! numbers out of range, nesting deeper than [`MAX_DEPTH`]. A host then reads the text with
//! serde_json as before, which reports the error or handles the rare case. Member names and
//! short strings are shared across the document, as the records of a list repeat them.

use std::rc::Rc;

use crate::value::{same_text, Map, Value};

/// The deepest nesting the reader takes; serde_json's own limit is 128.
pub const MAX_DEPTH: usize = 100;

/// Strings longer than this are rarely repeated: they are not worth a lookup.
const MAX_SHARED_LEN: usize = 32;

/// The number of slots of the shared strings (a power of two).
const SHARED_SLOTS: usize = 1024;

/// The longest text serde_json writes for one number (`-1.2345678901234567e-308`).
const MAX_NUMBER_LEN: usize = 24;

/// What [`read`] makes of a JSON text.
pub struct Read {
    pub value: Value,
    /// At least the length of the compact JSON serde_json writes for the text's value.
    pub max_json_len: usize,
}

/// Reads a JSON text, or declines (see the module documentation).
pub fn read(text: &str) -> Option<Read> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        shared: vec![None; SHARED_SLOTS],
        members: Vec::new(),
        items: Vec::new(),
        widened: 0,
    };
    let value = reader.value(0)?;
    reader.skip_whitespace();
    if reader.pos != reader.bytes.len() {
        return None;
    }
    // Compact JSON never writes whitespace, and writes a string (or name) in at most the
    // bytes it took in the text; a number it stores as `f64` may take more.
    let max_json_len = text.len().saturating_add(reader.widened.saturating_mul(MAX_NUMBER_LEN));
    Some(Read { value, max_json_len })
}

struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    /// Short strings met so far, by a hash of their text: a string whose slot holds the
    /// same text shares it. A slot holds the last string of its hash, so a string that
    /// collides with another is only allocated again.
    shared: Vec<Option<Rc<str>>>,
    /// The members of the objects being read, innermost last: one buffer for the whole
    /// document instead of one per object.
    members: Vec<(Rc<str>, Value)>,
    /// The items of the arrays being read, innermost last.
    items: Vec<Value>,
    /// Numbers whose JSON serde_json may write longer than the text has them.
    widened: usize,
}

impl<'t> Reader<'t> {
    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        self.skip_whitespace();
        match *self.bytes.get(self.pos)? {
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b'"' => Some(Value::String(self.string()?)),
            b't' => self.literal("true", Value::Bool(true)),
            b'f' => self.literal("false", Value::Bool(false)),
            b'n' => self.literal("null", Value::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Option<Value> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Some(value)
        } else {
            None
        }
    }

    fn array(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.pos += 1;
        self.skip_whitespace();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Some(Value::array(Vec::new()));
        }
        let first = self.items.len();
        loop {
            let item = self.value(depth)?;
            self.items.push(item);
            self.skip_whitespace();
            match self.bytes.get(self.pos)? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(Value::array(self.items.split_off(first)));
                }
                _ => return None,
            }
        }
    }

    fn object(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.pos += 1;
        self.skip_whitespace();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Some(Value::object(Map::default()));
        }
        let first = self.members.len();
        loop {
            self.skip_whitespace();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return None;
            }
            let name = self.string()?;
            self.skip_whitespace();
            if self.bytes.get(self.pos) != Some(&b':') {
                return None;
            }
            self.pos += 1;
            let value = self.value(depth)?;
            self.members.push((name, value));
            self.skip_whitespace();
            match self.bytes.get(self.pos)? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    break;
                }
                _ => return None,
            }
        }
        let mut map = Map::with_capacity(self.members.len() - first);
        for (name, value) in self.members.drain(first..) {
            // As serde_json's map: a repeated name keeps its first place, takes the last value.
            map.insert(name, value);
        }
        Some(Value::object(map))
    }

    /// A string literal at `pos` (its opening quote).
    fn string(&mut self) -> Option<Rc<str>> {
        self.pos += 1;
        let start = self.pos;
        loop {
            match *self.bytes.get(self.pos)? {
                b'"' => {
                    // The quote is ASCII, so both ends are character boundaries.
                    let text = &self.text[start..self.pos];
                    self.pos += 1;
                    return Some(self.share(text));
                }
                b'\\' => break,
                0..=0x1f => return None,
                _ => self.pos += 1,
            }
        }
        let mut decoded = String::from(&self.text[start..self.pos]);
        loop {
            match *self.bytes.get(self.pos)? {
                b'"' => {
                    self.pos += 1;
                    return Some(Rc::from(decoded));
                }
                b'\\' => {
                    let escape = *self.bytes.get(self.pos + 1)?;
                    self.pos += 2;
                    match escape {
                        b'"' => decoded.push('"'),
                        b'\\' => decoded.push('\\'),
                        b'/' => decoded.push('/'),
                        b'b' => decoded.push('\u{8}'),
                        b'f' => decoded.push('\u{c}'),
                        b'n' => decoded.push('\n'),
                        b'r' => decoded.push('\r'),
                        b't' => decoded.push('\t'),
                        b'u' => decoded.push(self.unicode_escape()?),
                        _ => return None,
                    }
                }
                0..=0x1f => return None,
                _ => {
                    // Copy up to the next quote or backslash; both are ASCII.
                    let from = self.pos;
                    while let Some(&b) = self.bytes.get(self.pos) {
                        if b == b'"' || b == b'\\' || b < 0x20 {
                            break;
                        }
                        self.pos += 1;
                    }
                    decoded.push_str(&self.text[from..self.pos]);
                }
            }
        }
    }

    /// The character of a `\u` escape whose four digits start at `pos`: a surrogate pair
    /// makes one character, a lone surrogate is declined.
    fn unicode_escape(&mut self) -> Option<char> {
        let high = self.hex4()?;
        if !(0xd800..0xe000).contains(&high) {
            return char::from_u32(high);
        }
        if high >= 0xdc00 || !self.bytes[self.pos..].starts_with(b"\\u") {
            return None;
        }
        self.pos += 2;
        let low = self.hex4()?;
        if !(0xdc00..0xe000).contains(&low) {
            return None;
        }
        char::from_u32(0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00))
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.bytes.get(self.pos..self.pos + 4)?;
        let mut n = 0;
        for &d in digits {
            n = n * 16 + (d as char).to_digit(16)?;
        }
        self.pos += 4;
        Some(n)
    }

    fn share(&mut self, text: &'t str) -> Rc<str> {
        if text.len() > MAX_SHARED_LEN {
            return Rc::from(text);
        }
        // The first and the last four bytes (all of them up to eight) and the length: records
        // repeat names and codes that differ at their ends. A collision only costs a copy.
        let bytes = text.as_bytes();
        let len = bytes.len();
        let word = |at: usize| {
            let mut word = [0u8; 4];
            word.copy_from_slice(&bytes[at..at + 4]);
            u64::from(u32::from_le_bytes(word))
        };
        let key = if len >= 4 {
            word(0) << 32 | word(len - 4)
        } else {
            bytes.iter().fold(0u64, |key, &b| key << 8 | u64::from(b))
        };
        let hash = (key ^ (len as u64).rotate_right(8)).wrapping_mul(0x517c_c1b7_2722_0a95);
        let slot = &mut self.shared[(hash >> 54) as usize & (SHARED_SLOTS - 1)];
        match slot {
            Some(shared) if same_text(shared, text) => shared.clone(),
            _ => slot.insert(Rc::from(text)).clone(),
        }
    }

    /// A number token as JSON's grammar has it; its value as serde_json reads it.
    fn number(&mut self) -> Option<Value> {
        let start = self.pos;
        let negative = self.bytes[self.pos] == b'-';
        if negative {
            self.pos += 1;
        }
        let int_start = self.pos;
        match *self.bytes.get(self.pos)? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => {
                while let Some(b'0'..=b'9') = self.bytes.get(self.pos) {
                    self.pos += 1;
                }
            }
            _ => return None,
        }
        let int_digits = self.pos - int_start;
        let mut integer = true;
        if self.bytes.get(self.pos) == Some(&b'.') {
            integer = false;
            self.pos += 1;
            self.digits()?;
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.pos) {
            integer = false;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
            self.digits()?;
        }
        let token = &self.text[start..self.pos];
        if integer && int_digits <= 15 {
            // Exact in an `f64`, as serde_json's `u64`/`i64` is; but serde_json reads `-0` as
            // the `f64` `-0.0`, which it writes longer.
            let magnitude =
                token[usize::from(negative)..].bytes().fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
            let n = magnitude as f64;
            if negative && magnitude == 0 {
                self.widened += 1;
            }
            return Some(Value::Number(if negative { -n } else { n }));
        }
        // serde_json keeps a longer integer in a `u64`/`i64` when it fits (whose conversion
        // to `f64` rounds as parsing does) and otherwise reads it, like any other number,
        // as an `f64`, which it may write longer than the text has it.
        let fits =
            integer && (if negative { token.parse::<i64>().is_ok() } else { token.parse::<u64>().is_ok() });
        if !fits {
            self.widened += 1;
        }
        let n: f64 = token.parse().ok()?;
        // serde_json refuses numbers beyond `f64`'s range.
        n.is_finite().then_some(Value::Number(n))
    }

    fn digits(&mut self) -> Option<()> {
        let from = self.pos;
        while let Some(b'0'..=b'9') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
        (self.pos > from).then_some(())
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::*;
    use crate::value::tests::same;

    /// Reading `text` gives what serde_json and the conversion give, or declines; it never
    /// takes text serde_json refuses. Returns whether it read the text.
    fn check(text: &str) -> bool {
        let serde: Result<serde_json::Value, _> = serde_json::from_str(text);
        let Some(read) = read(text) else { return false };
        let json = serde.unwrap_or_else(|err| panic!("read text serde_json refuses ({err}): {text}"));
        assert!(same(&read.value, &Value::from_json(&json)), "{text}");
        let written = serde_json::to_string(&json).expect("a value serde_json read writes back");
        assert!(written.len() <= read.max_json_len, "{text}: {} > {}", written.len(), read.max_json_len);
        true
    }

    #[test]
    fn reads_as_serde_json_and_the_conversion_do() {
        let taken = [
            r#"{"a": [1, -2, 3.5, -0, -0.0, 0e0, 1E2, 2.5e-3, true, false, null], "b": {"c": "d"}}"#,
            r#" [ ] "#,
            r#"{}"#,
            r#""\u00e9\ud83d\ude00 \"\\\/\b\f\n\r\t x""#,
            r#"{"k": 1, "k": 2, "j": 3}"#,
            r#"{"b": 1, "10": 2, "2": 3, "01": 4}"#,
            "12345678901234567890",
            "-9223372036854775808",
            "-9223372036854775809",
            "9007199254740993",
            "123456789012345678901234567890",
            "1.7976931348623157e308",
            "5e-324",
            "1e-400",
            "-1e-400",
            "1e-99999999999999999999",
            "0e99999999999999999999",
            "-0.0e-5",
            "0.1",
            r#"{"text": "a long string that is not shared because it is longer than the limit"}"#,
            r#"[{"id": "a", "n": 1}, {"id": "a", "n": 2}]"#,
        ];
        for text in taken {
            assert!(check(text), "declined: {text}");
        }
        let declined = [
            "",
            " ",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "-",
            "1.",
            ".5",
            "1e",
            "+1",
            "[1 2]",
            "{\"a\" 1}",
            "{1: 2}",
            "tru",
            "nul",
            "\"abc",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\ud83d\"",
            "\"\\ude00\"",
            "\"\\ud83d\\u0041\"",
            "\"a\u{1}b\"",
            "1e999",
            "-1e999",
            "1e99999999999999999999",
            "[1] 2",
            "NaN",
            "[",
        ];
        for text in declined {
            assert!(!check(text), "read: {text:?}");
        }
    }

    #[test]
    fn declines_deep_nesting() {
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(!check(&deep));
        let fine = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(check(&fine));
    }

    fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                json_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }

    #[test]
    fn reads_the_shared_json_as_serde_json_does() {
        let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
        let mut files = Vec::new();
        for dir in ["jsonata-suite", "conformance", "bench/workflows"] {
            json_files(&shared.join(dir), &mut files);
        }
        assert!(files.len() > 100, "the shared JSON files are there: {}", files.len());
        let mut read_count = 0;
        for file in &files {
            let Ok(text) = std::fs::read_to_string(file) else { continue };
            if check(&text) {
                read_count += 1;
            }
        }
        assert!(read_count * 10 >= files.len() * 9, "{read_count} of {} read", files.len());
    }
}
