//! JSONata regular expressions on the `regex` crate.
//!
//! Patterns are written in JavaScript syntax; the common subset means the same in both.
//! `\d`, `\w`, `\s` and `\b` are narrowed to their JavaScript (ASCII) meaning. Positions
//! reported to expressions (`index`, `start`, `end`) count UTF-16 code units, as JavaScript
//! strings do. The reference matches with the global flag and refuses a later match of
//! the empty string, which would never advance (`D1004`).

use std::rc::Rc;

use aslc_query::jsonata::ast;

use crate::error::{Error, Result};
use crate::value::{utf16_len, Map, Value};

/// A compiled regular expression.
#[derive(Debug)]
pub struct Matcher {
    regex: regex::Regex,
}

/// One match: byte offsets into the subject and the capture groups.
#[derive(Debug, Clone)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub groups: Vec<Option<(usize, usize)>>,
}

fn translate(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('d') => out.push_str(if in_class { "0-9" } else { "[0-9]" }),
                Some('D') => out.push_str(if in_class { "\\D" } else { "[^0-9]" }),
                Some('w') => out.push_str(if in_class { "A-Za-z0-9_" } else { "[A-Za-z0-9_]" }),
                Some('W') => out.push_str(if in_class { "\\W" } else { "[^A-Za-z0-9_]" }),
                Some('b') if !in_class => out.push_str("(?-u:\\b)"),
                Some('B') if !in_class => out.push_str("(?-u:\\B)"),
                Some('/') => out.push('/'),
                Some('u') => {
                    let hex: String = chars.clone().take(4).collect();
                    if hex.len() == 4 && hex.chars().all(|h| h.is_ascii_hexdigit()) {
                        for _ in 0..4 {
                            chars.next();
                        }
                        out.push_str(&format!("\\x{{{hex}}}"));
                    } else {
                        out.push('u');
                    }
                }
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push_str("\\\\"),
            },
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    // `[]` matches nothing and `[^]` anything in JavaScript.
                    chars.next();
                    in_class = false;
                    if out.ends_with('^') {
                        out.pop();
                        out.pop();
                        out.push_str("(?s:.)");
                    } else {
                        out.pop();
                        out.push_str("[^\\x00-\\x{10FFFF}]");
                    }
                }
            }
            '[' => out.push_str("\\["),
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            '&' | '~' | '-' if in_class => {
                if c == '-' {
                    out.push('-');
                } else {
                    out.push('\\');
                    out.push(c);
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Compiled regular expressions by flags (`i`, `m`) and pattern.
type Cache = std::cell::RefCell<rustc_hash::FxHashMap<(bool, bool, Box<str>), Rc<Matcher>>>;

thread_local! {
    /// A literal in a lambda or a predicate is evaluated many times; it is compiled once.
    static CACHE: Cache = std::cell::RefCell::new(rustc_hash::FxHashMap::default());
}

impl Matcher {
    /// The compiled form of a literal, compiled once per thread.
    pub fn cached(literal: &ast::Regex) -> std::result::Result<Rc<Matcher>, &'static str> {
        let key = (literal.ignore_case, literal.multiline, literal.pattern.clone());
        if let Some(found) = CACHE.with(|cache| cache.borrow().get(&key).cloned()) {
            return Ok(found);
        }
        let matcher = Rc::new(Matcher::new(literal)?);
        CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.len() > 1024 {
                cache.clear();
            }
            cache.insert(key, matcher.clone());
        });
        Ok(matcher)
    }

    /// Compiles a regular expression literal.
    pub fn new(literal: &ast::Regex) -> std::result::Result<Matcher, &'static str> {
        Matcher::from_parts(&literal.pattern, literal.ignore_case, literal.multiline)
    }

    pub fn from_parts(
        pattern: &str,
        ignore_case: bool,
        multiline: bool,
    ) -> std::result::Result<Matcher, &'static str> {
        let mut flags = String::new();
        if ignore_case {
            flags.push('i');
        }
        if multiline {
            flags.push('m');
        }
        let translated = translate(pattern);
        let source = if flags.is_empty() { translated } else { format!("(?{flags}){translated}") };
        regex::Regex::new(&source).map(|regex| Matcher { regex }).map_err(|_| "S0303")
    }

    fn exec(&self, text: &str, from: usize) -> Option<Found> {
        let caps = self.regex.captures_at(text, from)?;
        let whole = caps.get(0)?;
        let groups = (1..caps.len()).map(|i| caps.get(i).map(|m| (m.start(), m.end()))).collect();
        Some(Found { start: whole.start(), end: whole.end(), groups })
    }

    /// Every match as JavaScript's global matching finds them, at most `limit`.
    pub fn all(&self, text: &str, limit: Option<usize>) -> Result<Vec<Found>> {
        let mut out = Vec::new();
        if limit == Some(0) {
            return Ok(out);
        }
        let Some(mut found) = self.exec(text, 0) else { return Ok(out) };
        loop {
            let last_index = found.end;
            out.push(found);
            if limit.is_some_and(|limit| out.len() >= limit) || last_index >= text.len() {
                return Ok(out);
            }
            match self.exec(text, last_index) {
                None => return Ok(out),
                Some(next) if next.start == next.end => return Err(Error::new("D1004")),
                Some(next) => found = next,
            }
        }
    }

    /// The match object the regular expression returns when called as a function.
    pub fn match_object(&self, text: &str, from_utf16: usize) -> Option<Value> {
        let from = byte_offset(text, from_utf16);
        let found = self.exec(text, from)?;
        Some(found_object(text, &found, true))
    }
}

/// The byte offset of a UTF-16 position.
pub fn byte_offset(text: &str, utf16: usize) -> usize {
    if text.is_ascii() {
        return utf16.min(text.len());
    }
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// The UTF-16 position of a byte offset.
pub fn utf16_offset(text: &str, byte: usize) -> usize {
    utf16_len(&text[..byte.min(text.len())])
}

/// `{match, start, end, groups}` (with `index` instead of `start`/`end` for `$match`).
pub fn found_object(text: &str, found: &Found, start_end: bool) -> Value {
    let mut map = Map::default();
    map.insert(Rc::from("match"), Value::string(&text[found.start..found.end]));
    let start = utf16_offset(text, found.start);
    if start_end {
        map.insert(Rc::from("start"), Value::Number(start as f64));
        map.insert(Rc::from("end"), Value::Number(utf16_offset(text, found.end) as f64));
    } else {
        map.insert(Rc::from("index"), Value::Number(start as f64));
    }
    let groups = found
        .groups
        .iter()
        .map(|g| match g {
            Some((s, e)) => Value::string(&text[*s..*e]),
            None => Value::string(""),
        })
        .collect();
    map.insert(Rc::from("groups"), Value::array(groups));
    Value::object(map)
}
