//! Property: random trees written as YAML in many layouts (quoting styles, folded and block
//! scalars, CloudFormation tags, comments, indentation widths, blank lines, trailing blanks,
//! CRLF line ends) read the same through the fast reader, when it accepts them, as through
//! the general reader. The text need not mean the tree: it only has to look like what
//! people write, near the edges of what the fast reader accepts.

use aslc_source::FileId;
use aslc_syntax::yaml::{parse_fast, parse_general};
use proptest::prelude::*;
use proptest::strategy::ValueTree;

/// A tree to write.
#[derive(Clone, Debug)]
enum Value {
    Scalar(String),
    Seq(Vec<Value>),
    Map(Vec<(String, Value)>),
    Tagged(&'static str, Box<Value>),
}

/// Pieces of scalar text, with the characters YAML gives meaning to.
const PIECES: &[&str] = &[
    "a", "Bc", "state", " ", "  ", ":", ": ", "#", " #", "-", "- ", "'", "\"", "\\", "\n", "é", "日本", "1",
    "0x1F", "-2.5e3", ".", ".inf", "~", "null", "true", "Yes", "!", "|", ">", "[", "]", "{", "}", ",", "&",
    "*", "%", "@", "$.x", "${Name}", "\t", "\u{85}", "?", "\\n",
];

const TAGS: &[&str] = &["!Ref", "!Sub", "!GetAtt", "!Join", "!If", "!Foo", "!!str", "!"];

/// Words most scalars are made of.
const WORDS: &[&str] =
    &["a", "Bc", "state", " ", "1", "arn:aws:states:::lambda:invoke", "$.x", "-", "é", "x.y", "'"];

fn scalar() -> impl Strategy<Value = String> {
    let piece = prop_oneof![4 => prop::sample::select(WORDS), 1 => prop::sample::select(PIECES)];
    prop::collection::vec(piece, 0..6).prop_map(|pieces| pieces.concat())
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(&["StartAt", "States", "Type", "Next", "End", "a", "b", "Parameters", "x.$"][..])
            .prop_map(str::to_owned),
        1 => scalar(),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = scalar().prop_map(Value::Scalar);
    leaf.prop_recursive(5, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Seq),
            prop::collection::vec((key(), inner.clone()), 0..5).prop_map(Value::Map),
            (prop::sample::select(TAGS), inner).prop_map(|(tag, value)| Value::Tagged(tag, Box::new(value))),
        ]
    })
}

/// A small deterministic generator of layout choices.
struct Choices(u64);

impl Choices {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    fn one_in(&mut self, n: u64) -> bool {
        self.next(n) == 0
    }
}

struct Writer {
    out: String,
    choices: Choices,
}

impl Writer {
    fn pad(&mut self, indent: usize) {
        self.out.extend(std::iter::repeat_n(' ', indent));
    }

    /// Ends a line, maybe with trailing blanks, a comment, blank lines and comment lines.
    fn newline(&mut self, indent: usize) {
        if self.choices.one_in(8) {
            self.out.push_str("  ");
        }
        if self.choices.one_in(8) {
            self.out.push_str(" # note: x");
        }
        self.out.push('\n');
        for _ in 0..self.choices.next(4).saturating_sub(2) {
            match self.choices.next(3) {
                0 => {}
                1 => {
                    let blanks = self.choices.next(indent as u64 + 3) as usize;
                    self.pad(blanks);
                }
                _ => {
                    let at = self.choices.next(indent as u64 + 3) as usize;
                    self.pad(at);
                    self.out.push_str("# comment");
                }
            }
            self.out.push('\n');
        }
    }

    fn step(&mut self) -> usize {
        match self.choices.next(10) {
            0 => 1,
            1 => 4,
            2 => 3,
            _ => 2,
        }
    }

    /// Writes `value` after `key:` or `- ` (`after_dash`), in a block indented `indent`.
    fn value(&mut self, value: &Value, indent: usize, after_dash: bool) {
        match value {
            Value::Scalar(text) => {
                self.out.push(' ');
                self.scalar(text, indent);
                self.newline(indent);
            }
            Value::Tagged(tag, inner) => {
                self.out.push(' ');
                self.out.push_str(tag);
                match &**inner {
                    Value::Scalar(text) => {
                        self.out.push(' ');
                        self.scalar(text, indent);
                        self.newline(indent);
                    }
                    other if self.choices.one_in(2) => {
                        self.out.push(' ');
                        self.flow(other);
                        self.newline(indent);
                    }
                    other => {
                        self.newline(indent);
                        let child = indent + self.step();
                        self.block(other, child);
                    }
                }
            }
            Value::Seq(_) | Value::Map(_) if self.choices.one_in(3) => {
                self.out.push(' ');
                self.flow(value);
                self.newline(indent);
            }
            Value::Seq(items) if !items.is_empty() => {
                if after_dash && self.choices.one_in(2) {
                    // `- - a`: the sequence shares the dash's line.
                    self.out.push(' ');
                    let column = self.out.len() - self.out.rfind('\n').map_or(0, |i| i + 1);
                    self.items(items, column, true);
                    return;
                }
                self.newline(indent);
                // A sequence may sit at its key's indentation.
                let child = if !after_dash && self.choices.one_in(3) { indent } else { indent + self.step() };
                self.block(value, child);
            }
            Value::Map(members) if !members.is_empty() => {
                if after_dash && self.choices.next(3) > 0 {
                    self.out.push(' ');
                    let column = self.out.len() - self.out.rfind('\n').map_or(0, |i| i + 1);
                    self.members(members, column, true);
                    return;
                }
                self.newline(indent);
                let child = indent + self.step();
                self.block(value, child);
            }
            Value::Seq(_) => {
                self.out.push_str(" []");
                self.newline(indent);
            }
            Value::Map(_) => {
                if self.choices.one_in(2) {
                    self.out.push_str(" {}");
                }
                self.newline(indent);
            }
        }
    }

    /// Writes `value` in flow style, on one line.
    fn flow(&mut self, value: &Value) {
        match value {
            Value::Scalar(text) => match self.choices.next(3) {
                0 => self.double_quoted(text, usize::MAX),
                1 => {
                    self.out.push('\'');
                    self.out.push_str(&text.replace('\'', "''"));
                    self.out.push('\'');
                }
                _ => self.out.push_str(text),
            },
            Value::Tagged(tag, inner) => {
                self.out.push_str(tag);
                self.out.push(' ');
                self.flow(inner);
            }
            Value::Seq(items) => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.flow_blank();
                    self.flow(item);
                    self.flow_blank();
                }
                self.out.push(']');
            }
            Value::Map(members) => {
                self.out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.flow_blank();
                    self.key(key);
                    self.out.push(':');
                    if !self.choices.one_in(8) {
                        self.out.push(' ');
                    }
                    self.flow(value);
                    self.flow_blank();
                }
                self.out.push('}');
            }
        }
    }

    fn flow_blank(&mut self) {
        match self.choices.next(6) {
            0 => {}
            1 => self.out.push_str("  "),
            2 if self.choices.one_in(4) => {
                self.out.push('\n');
                self.pad(2);
            }
            _ => self.out.push(' '),
        }
    }

    /// Writes a collection on lines of its own at `indent`.
    fn block(&mut self, value: &Value, indent: usize) {
        match value {
            Value::Seq(items) if !items.is_empty() => self.items(items, indent, false),
            Value::Map(members) if !members.is_empty() => self.members(members, indent, false),
            other => {
                self.pad(indent);
                self.out.push('x');
                self.value(other, indent, false);
            }
        }
    }

    fn items(&mut self, items: &[Value], indent: usize, first_placed: bool) {
        for (i, item) in items.iter().enumerate() {
            if i > 0 || !first_placed {
                self.pad(indent);
            }
            self.out.push('-');
            self.value(item, indent, true);
        }
    }

    fn members(&mut self, members: &[(String, Value)], indent: usize, first_placed: bool) {
        for (i, (key, value)) in members.iter().enumerate() {
            if i > 0 || !first_placed {
                self.pad(indent);
            }
            self.key(key);
            self.out.push(':');
            self.value(value, indent, false);
        }
    }

    fn key(&mut self, key: &str) {
        match self.choices.next(4) {
            0 => self.double_quoted(key, usize::MAX),
            1 => {
                self.out.push('\'');
                self.out.push_str(&key.replace('\'', "''"));
                self.out.push('\'');
            }
            _ => self.out.push_str(key),
        }
        if self.choices.one_in(10) {
            self.out.push(' ');
        }
    }

    /// Writes a scalar whose continuation lines are indented past `indent`.
    fn scalar(&mut self, text: &str, indent: usize) {
        let continuation = indent + 1 + self.choices.next(3) as usize;
        match self.choices.next(6) {
            0 => self.double_quoted(text, continuation),
            1 => {
                self.out.push('\'');
                let quoted = text.replace('\'', "''");
                self.folded_words(&quoted, continuation);
                self.out.push('\'');
            }
            2 => self.block_scalar(text, continuation),
            3 => self.folded_words(text, continuation),
            _ => self.out.push_str(text),
        }
    }

    /// Writes `text`, breaking some spaces into line breaks and blank lines.
    fn folded_words(&mut self, text: &str, continuation: usize) {
        for (i, word) in text.split(' ').enumerate() {
            if i > 0 {
                if self.choices.one_in(3) {
                    if self.choices.one_in(4) {
                        self.out.push('\n');
                    }
                    self.out.push('\n');
                    self.pad(continuation);
                } else {
                    self.out.push(' ');
                }
            }
            self.out.push_str(word);
        }
    }

    fn double_quoted(&mut self, text: &str, continuation: usize) {
        self.out.push('"');
        for ch in text.chars() {
            match ch {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                '\t' => self.out.push_str("\\t"),
                '\u{85}' => self.out.push_str("\\N"),
                'é' => self.out.push_str("\\u00e9"),
                ' ' if continuation != usize::MAX && self.choices.one_in(4) => {
                    // An escaped line break joins the lines with no space.
                    self.out.push_str(" \\\n");
                    self.pad(continuation);
                }
                ' ' if continuation != usize::MAX && self.choices.one_in(4) => {
                    self.out.push('\n');
                    self.pad(continuation);
                }
                ch => self.out.push(ch),
            }
        }
        self.out.push('"');
    }

    fn block_scalar(&mut self, text: &str, continuation: usize) {
        self.out.push(if self.choices.one_in(2) { '|' } else { '>' });
        match self.choices.next(3) {
            0 => self.out.push('-'),
            1 => self.out.push('+'),
            _ => {}
        }
        if self.choices.one_in(6) {
            self.out.push_str(" # header");
        }
        let extra = self.choices.next(3) as usize;
        for line in text.split('\n') {
            self.out.push('\n');
            if !line.is_empty() || self.choices.one_in(3) {
                self.pad(continuation);
            }
            if self.choices.one_in(5) {
                self.pad(extra);
            }
            self.out.push_str(line);
        }
        if self.choices.one_in(3) {
            self.out.push('\n');
        }
    }
}

fn write(value: &Value, seed: u64) -> String {
    let mut writer = Writer { out: String::new(), choices: Choices(seed | 1) };
    if writer.choices.one_in(4) {
        writer.out.push_str("---\n");
    }
    if writer.choices.one_in(4) {
        writer.out.push_str("# A state machine\n\n");
    }
    match value {
        Value::Seq(items) if !items.is_empty() => writer.items(items, 0, false),
        Value::Map(members) if !members.is_empty() => writer.members(members, 0, false),
        other => writer.members(&[("StartAt".to_owned(), other.clone())], 0, false),
    }
    if writer.choices.one_in(6) {
        writer.out = writer.out.replace('\n', "\r\n");
    }
    writer.out
}

/// The fast reader declines `text` or reads it as the general reader does.
fn check(text: &str) -> bool {
    let Some(fast) = parse_fast(text) else {
        return false;
    };
    let general = parse_general(text, FileId(0));
    assert!(general.diagnostics.is_empty(), "{text:?}\n{:#?}", general.diagnostics);
    assert_eq!(fast.node, general.node, "{text:?}");
    true
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn fast_reader_agrees_with_general_reader(value in value(), seed in any::<u64>()) {
        let text = write(&value, seed);
        check(&text);
    }
}

/// The generated layouts are mostly inside the subset: the property tests the fast reader,
/// not only its refusals.
#[test]
fn most_generated_documents_are_read_fast() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = (value(), any::<u64>());
    let (mut accepted, total) = (0, 500);
    for _ in 0..total {
        let (value, seed) = strategy.new_tree(&mut runner).unwrap().current();
        if check(&write(&value, seed)) {
            accepted += 1;
        }
    }
    println!("{accepted} of {total} generated documents read by the fast reader");
    assert!(accepted * 5 >= total, "only {accepted} of {total}");
}
