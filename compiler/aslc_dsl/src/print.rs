//! The canonical `.asld` printer (dsl.md §10): what the decompiler writes and what
//! `aslc fmt` produces.
//!
//! Clauses are printed in the emission order of dsl.md §5, so printing and lowering agree
//! on member order. A container stays on one line when the line fits in 100 columns
//! (counting a following comma), otherwise it prints one member per line with a trailing
//! comma; a rule or catch that does not fit moves its options and target to continuation
//! lines indented 4.

use aslc_source::TextRange;
use aslc_syntax::write_json_string;

use crate::ast::*;
use crate::lexer;

/// The line width.
pub const WIDTH: usize = 100;

/// Prints `file` in the canonical layout.
pub fn print(file: &File) -> String {
    print_into(file, String::new())
}

/// [`print`], appending to `out` (which the caller may have sized for the text).
pub(crate) fn print_into(file: &File, out: String) -> String {
    let mut p = Printer { out, src: "", comments: Vec::new(), emitted: Vec::new(), last_end: 0 };
    p.file(file);
    p.out
}

/// Prints `file`, parsed from `src`, in the canonical layout, keeping the `//` and `/* */`
/// comments of `comments` (sorted ranges into `src`) and the single blank lines the author
/// wrote between items.
pub(crate) fn print_with_comments(file: &File, src: &str, comments: Vec<TextRange>) -> String {
    let emitted = vec![false; comments.len()];
    let mut p = Printer { out: String::new(), src, comments, emitted, last_end: 0 };
    p.file(file);
    p.flush_comments(u32::MAX, 0);
    if p.out.ends_with("\n\n") {
        p.out.pop();
    }
    p.out
}

struct Printer<'s> {
    out: String,
    /// The text being formatted (empty when printing a decompiled tree).
    src: &'s str,
    /// The comments of `src`, in source order.
    comments: Vec<TextRange>,
    /// Which comments are placed.
    emitted: Vec<bool>,
    /// Where the last placed item or comment ended in `src`.
    last_end: u32,
}

/// Writes a name: bare when identifier-shaped and not a hard keyword, else a JSON string.
fn name_into(text: &str, out: &mut String) {
    if lexer::is_name(text) {
        out.push_str(text);
    } else {
        write_json_string(text, out);
    }
}

/// Writes a key: bare when it is a word, else a JSON string.
fn key_into(text: &str, out: &mut String) {
    if lexer::is_word(text) {
        out.push_str(text);
    } else {
        write_json_string(text, out);
    }
}

/// Writes an error name: bare when every dot-separated segment is a name.
fn error_name_into(text: &str, out: &mut String) {
    if !text.is_empty() && text.split('.').all(lexer::is_name) {
        out.push_str(text);
    } else {
        write_json_string(text, out);
    }
}

/// One item after the head of a `retry`, `catch` or `if` line.
enum Part<'a> {
    /// A word alone (`jitter full`).
    Word(&'static str),
    /// An option and its value (`into $.x`).
    Option(&'static str, &'a Value),
    /// `goto` and a state name.
    Goto(&'a str),
}

fn inline_into(v: &Value, out: &mut String) {
    match &v.kind {
        ValueKind::Null | ValueKind::Error => out.push_str("null"),
        ValueKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        ValueKind::Number(n) => out.push_str(n),
        ValueKind::String(s) => write_json_string(s, out),
        ValueKind::Path(t) | ValueKind::Intrinsic(t) | ValueKind::Jsonata(t) => out.push_str(t),
        ValueKind::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                inline_into(item, out);
            }
            out.push(']');
        }
        ValueKind::Object(members) => {
            if members.is_empty() {
                out.push_str("{}");
                return;
            }
            out.push_str("{ ");
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                key_into(&m.key.text, out);
                out.push_str(": ");
                inline_into(&m.value, out);
            }
            out.push_str(" }");
        }
    }
}

/// Writes the one-line form of `v` into `out`, stopping (and returning `false`) once
/// `out` is longer than `cap` bytes.
fn inline_capped(v: &Value, out: &mut String, cap: usize) -> bool {
    match &v.kind {
        ValueKind::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if !inline_capped(item, out, cap) {
                    return false;
                }
            }
            out.push(']');
        }
        ValueKind::Object(members) if !members.is_empty() => {
            out.push_str("{ ");
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                key_into(&m.key.text, out);
                out.push_str(": ");
                if !inline_capped(&m.value, out, cap) {
                    return false;
                }
            }
            out.push_str(" }");
        }
        _ => inline_into(v, out),
    }
    out.len() <= cap
}

fn width(text: &str) -> usize {
    text.chars().count()
}

impl Printer<'_> {
    /// Whether the author left a blank line between `from` and `to`.
    fn blank_between(&self, from: u32, to: u32) -> bool {
        let gap = self.src.get(from as usize..to as usize).unwrap_or("");
        let mut newlines = 0;
        for c in gap.chars() {
            if c == '\n' {
                newlines += 1;
                if newlines >= 2 {
                    return true;
                }
            } else if !c.is_whitespace() {
                newlines = 0;
            }
        }
        false
    }

    fn blank_line(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    /// Places the unplaced comments that start in `from..to` on lines of their own.
    fn emit_window(&mut self, from: u32, to: u32, indent: usize) {
        for i in 0..self.comments.len() {
            let range = self.comments[i];
            if self.emitted[i] || range.start() < from || range.start() >= to {
                continue;
            }
            // A comment on the line where the window opens trails the item before it.
            let on_open_line = from > 0
                && !self.src.get(from as usize..range.start() as usize).unwrap_or("\n").contains('\n');
            if on_open_line && to != u32::MAX && from != 0 && self.comments_window_is_item(from) {
                continue;
            }
            self.emitted[i] = true;
            let text = self.src.get(range.as_usize()).unwrap_or("").to_owned();
            if self.blank_between(self.last_end, range.start()) {
                self.blank_line();
            }
            for line in text.split('\n') {
                self.line(indent, line.trim_end_matches('\r').trim_start_matches([' ', '\t']));
            }
            self.last_end = self.last_end.max(range.end());
        }
    }

    /// Whether `offset` is the end of a printed item (so same-line comments trail it).
    fn comments_window_is_item(&self, offset: u32) -> bool {
        offset <= self.last_end
            || self.src.as_bytes().get(offset as usize - 1).is_some_and(|b| !b.is_ascii_whitespace())
    }

    /// Places the comments before `offset`.
    fn flush_comments(&mut self, offset: u32, indent: usize) {
        self.emit_window(0, offset, indent);
    }

    /// Appends the comments on the source line after `end` to the last output line.
    fn trailing(&mut self, end: u32) {
        let line_end = self
            .src
            .get(end as usize..)
            .and_then(|rest| rest.find('\n'))
            .map_or(self.src.len(), |i| end as usize + i);
        for i in 0..self.comments.len() {
            let range = self.comments[i];
            if self.emitted[i]
                || (range.start() as usize) < end as usize
                || range.start() as usize >= line_end
            {
                continue;
            }
            let text = self.src.get(range.as_usize()).unwrap_or("").trim_end_matches('\r').to_owned();
            if text.contains('\n') || !self.out.ends_with('\n') {
                continue;
            }
            self.emitted[i] = true;
            self.out.pop();
            self.out.push(' ');
            self.out.push_str(&text);
            self.out.push('\n');
            self.last_end = self.last_end.max(range.end());
        }
    }

    /// Before an item that starts at `start`: its leading comments and blank line.
    fn before(&mut self, range: TextRange, indent: usize) {
        if self.src.is_empty() || range == TextRange::default() {
            return;
        }
        self.flush_comments(range.start(), indent);
        if self.blank_between(self.last_end, range.start()) {
            self.blank_line();
        }
        self.last_end = self.last_end.max(range.start());
    }

    /// After an item that ended at `end`.
    fn after(&mut self, range: TextRange) {
        if !self.src.is_empty() && range != TextRange::default() {
            self.last_end = self.last_end.max(range.end());
            self.trailing(range.end());
        }
    }

    fn line(&mut self, indent: usize, text: &str) {
        self.pad(indent * 2);
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// A line `word name`, the name bare or quoted.
    fn name_line(&mut self, indent: usize, word: &str, target: &str) {
        self.pad(indent * 2);
        self.out.push_str(word);
        name_into(target, &mut self.out);
        self.out.push('\n');
    }

    /// Appends `v` to the current (unfinished) line whose text so far is `column` wide;
    /// `trailer` columns follow it on its last line.
    fn value(&mut self, v: &Value, indent: usize, column: usize, trailer: usize) {
        let container = match &v.kind {
            ValueKind::Array(items) => !items.is_empty(),
            ValueKind::Object(members) => !members.is_empty(),
            _ => false,
        };
        if !container {
            inline_into(v, &mut self.out);
            return;
        }
        let budget = WIDTH.saturating_sub(column + trailer);
        // Write the one-line form only as far as it can fit, so deep containers stay
        // linear, and take it back when it does not fit.
        // A one-line form of at most `budget` bytes fits; past that, an ASCII one does not,
        // and only text with wider characters needs the count of characters.
        let mark = self.out.len();
        if inline_capped(v, &mut self.out, mark + budget) {
            return;
        }
        if !self.out[mark..].is_ascii() {
            self.out.truncate(mark);
            if inline_capped(v, &mut self.out, mark + budget * 4) && width(&self.out[mark..]) <= budget {
                return;
            }
        }
        self.out.truncate(mark);
        let pad = (indent + 1) * 2;
        match &v.kind {
            ValueKind::Array(items) => {
                self.out.push_str("[\n");
                for item in items {
                    self.pad(pad);
                    self.value(item, indent + 1, pad, 1);
                    self.out.push_str(",\n");
                }
                self.pad(indent * 2);
                self.out.push(']');
            }
            ValueKind::Object(members) => {
                self.out.push_str("{\n");
                for m in members {
                    self.pad(pad);
                    let key_start = self.out.len();
                    key_into(&m.key.text, &mut self.out);
                    let key_width = width(&self.out[key_start..]);
                    self.out.push_str(": ");
                    self.value(&m.value, indent + 1, pad + key_width + 2, 1);
                    self.out.push_str(",\n");
                }
                self.pad(indent * 2);
                self.out.push('}');
            }
            _ => inline_into(v, &mut self.out),
        }
    }

    fn pad(&mut self, spaces: usize) {
        self.out.extend(std::iter::repeat_n(' ', spaces));
    }

    /// A line `prefix value suffix`.
    fn value_line(&mut self, indent: usize, prefix: &str, v: &Value, suffix: &str) {
        self.value_line_parts(indent, &[prefix], v, suffix);
    }

    /// A line whose prefix is the concatenation of `prefix`, then `value suffix`.
    fn value_line_parts(&mut self, indent: usize, prefix: &[&str], v: &Value, suffix: &str) {
        self.pad(indent * 2);
        let mut column = indent * 2;
        for part in prefix {
            self.out.push_str(part);
            column += width(part);
        }
        self.value(v, indent, column, width(suffix));
        self.out.push_str(suffix);
        self.out.push('\n');
    }

    fn docs(&mut self, indent: usize, docs: &[Text], marker: &str) {
        for doc in docs {
            for line in doc.text.split('\n') {
                self.pad(indent * 2);
                self.out.push_str(marker);
                if !line.is_empty() {
                    self.out.push(' ');
                    self.out.push_str(line);
                }
                self.out.push('\n');
            }
        }
    }

    fn file(&mut self, file: &File) {
        self.docs(0, &file.inner_docs, "//!");
        let order = |h: &Header| match h.kind {
            HeaderKind::Comment(_) => 0,
            HeaderKind::Query(_) => 1,
            HeaderKind::Version(_) => 2,
            HeaderKind::Timeout(_) => 3,
            HeaderKind::Start(_) => 4,
            HeaderKind::Raw(_) => 5,
        };
        let mut headers: Vec<&Header> = file.headers.iter().collect();
        headers.sort_by_key(|h| order(h));
        for h in headers {
            self.before(h.range, 0);
            match &h.kind {
                HeaderKind::Comment(v) => self.value_line(0, "comment ", v, ""),
                HeaderKind::Query(q) => self.query(0, q),
                HeaderKind::Version(v) => self.value_line(0, "version ", v, ""),
                HeaderKind::Timeout(v) => self.value_line(0, "timeout ", v, ""),
                HeaderKind::Start(n) => self.start(0, n.as_ref()),
                HeaderKind::Raw(v) => self.value_line(0, "raw ", v, ""),
            }
            self.after(h.range);
        }
        if !self.out.is_empty() && (!file.policies.is_empty() || !file.states.is_empty()) {
            self.out.push('\n');
        }
        for policy in &file.policies {
            self.before(policy.range, 0);
            self.line(0, &format!("policy {} {{", policy.name.text));
            for item in &policy.items {
                self.clause(1, item);
            }
            if policy.range != TextRange::default() {
                self.flush_comments(policy.range.end().saturating_sub(1), 1);
            }
            self.line(0, "}");
            self.after(policy.range);
            self.blank_line();
        }
        let n = file.states.len();
        for (i, state) in file.states.iter().enumerate() {
            let before = self.out.len();
            self.state(0, state);
            let multi_line = self.out[before..].trim_end_matches('\n').contains('\n');
            // The decompiler separates multi-line states; `fmt` keeps the author's blank
            // lines instead (the `before` hook), as the examples of dsl.md §4 do.
            if multi_line && i + 1 < n && self.src.is_empty() {
                self.blank_line();
            }
        }
    }

    fn query(&mut self, indent: usize, q: &QueryLang) {
        match q {
            QueryLang::JsonPath(_) => self.line(indent, "query jsonpath"),
            QueryLang::Jsonata(_) => self.line(indent, "query jsonata"),
            QueryLang::Value(v) => self.value_line(indent, "query ", v, ""),
        }
    }

    fn start(&mut self, indent: usize, n: Option<&Text>) {
        match n {
            Some(n) => self.name_line(indent, "start ", &n.text),
            None => self.line(indent, "start none"),
        }
    }

    fn state(&mut self, indent: usize, s: &State) {
        let start = s.docs.first().map_or(s.range, |d| d.range.cover(s.range));
        self.before(start, indent);
        self.docs(indent, &s.docs, "///");
        let keyword = match &s.head {
            Head::Task(_) => "task ",
            Head::Pass => "pass ",
            Head::Wait(_) => "wait ",
            Head::Choice => "choice ",
            Head::Parallel => "parallel ",
            Head::Map(_) => "map ",
            Head::Succeed => "succeed ",
            Head::Fail(_) => "fail ",
            Head::Raw(_) => "state ",
        };
        let body_needed = matches!(s.head, Head::Choice | Head::Parallel | Head::Map(_));
        let has_body = s
            .body
            .as_ref()
            .is_some_and(|b| !b.clauses.is_empty() || !b.rules.is_empty() || b.else_.is_some());
        let opener = if has_body {
            " {"
        } else if body_needed {
            " {}"
        } else {
            ""
        };
        self.pad(indent * 2);
        self.out.push_str(keyword);
        name_into(&s.name.text, &mut self.out);
        match &s.head {
            Head::Task(r) => {
                self.out.push(' ');
                resource_into(r, &mut self.out);
            }
            Head::Wait(Some((w, _))) => {
                self.out.push_str(if *w == WaitWord::Seconds { " seconds" } else { " until" })
            }
            Head::Map(Some(_)) => self.out.push_str(" over"),
            _ => {}
        }
        // Header operands that are values are printed through the value printer so long
        // containers break like any other.
        match &s.head {
            Head::Wait(Some((_, v))) | Head::Map(Some(v)) | Head::Raw(v) => {
                self.operand("", v, indent, opener.len())
            }
            Head::Fail(items) => {
                for (w, v) in items {
                    let word = if *w == FailWord::Error { "error" } else { "cause" };
                    self.operand(word, v, indent, opener.len());
                }
            }
            _ => {}
        }
        self.out.push_str(opener);
        self.out.push('\n');
        if has_body {
            if let Some(body) = &s.body {
                self.body(indent + 1, body);
                if body.range != TextRange::default() {
                    self.flush_comments(body.range.end().saturating_sub(1), indent + 1);
                }
            }
            self.line(indent, "}");
        }
        if let Some(t) = &s.trans {
            self.before(t.range, indent);
            match &t.kind {
                TransKind::Goto(target) => self.name_line(indent, "goto ", &target.text),
                TransKind::None => self.line(indent, "goto none"),
                TransKind::End => self.line(indent, "end"),
            }
        }
        self.after(s.range);
    }

    /// ` word value` after a state's head, `value` printed at the column it starts at.
    fn operand(&mut self, word: &str, v: &Value, indent: usize, trailer: usize) {
        self.out.push(' ');
        if !word.is_empty() {
            self.out.push_str(word);
            self.out.push(' ');
        }
        let column = self.current_line_width();
        self.value(v, indent, column, trailer);
    }

    fn current_line_width(&self) -> usize {
        let start = self.out.rfind('\n').map_or(0, |i| i + 1);
        width(&self.out[start..])
    }

    fn body(&mut self, indent: usize, body: &Body) {
        let mut clauses: Vec<&Clause> = body.clauses.iter().collect();
        // Decompiled bodies come in order already.
        if !clauses.is_sorted_by_key(|c| clause_rank(c)) {
            clauses.sort_by_key(|c| clause_rank(c));
        }
        for c in clauses {
            if !self.src.is_empty() && c.range != TextRange::default() {
                // The comments between the clause before this one in the source and this
                // one move with it.
                let start = c.docs.first().map_or(c.range.start(), |d| d.range.start());
                let lower = body
                    .clauses
                    .iter()
                    .map(|o| o.range.end())
                    .filter(|&end| end <= start)
                    .max()
                    .unwrap_or(body.range.start());
                self.emit_window(lower, start, indent);
                if self.blank_between(self.last_end, start) {
                    self.blank_line();
                }
                self.last_end = self.last_end.max(start);
            }
            self.clause_placed(indent, c);
        }
        for rule in &body.rules {
            self.rule(indent, rule);
        }
        if let Some(e) = &body.else_ {
            self.before(e.range, indent);
            match &e.kind {
                ElseKind::Goto(n) => self.name_line(indent, "else goto ", &n.text),
                ElseKind::None => self.line(indent, "else none"),
                ElseKind::Block(b) => {
                    self.line(indent, "else {");
                    self.block(indent + 1, b);
                    self.line(indent, "}");
                }
            }
            self.after(e.range);
        }
    }

    fn block(&mut self, indent: usize, b: &Block) {
        for (_, n) in &b.start {
            self.start(indent, n.as_ref());
        }
        for raw in &b.raw {
            self.value_line(indent, "raw ", raw, "");
        }
        for s in &b.states {
            self.state(indent, s);
        }
    }

    /// `word errors`: one error name, or a list of them.
    fn errors_head(word: &str, e: &Errors) -> String {
        let mut out = String::with_capacity(64);
        out.push_str(word);
        if !e.list && e.names.len() == 1 {
            error_name_into(&e.names[0].text, &mut out);
            return out;
        }
        out.push('[');
        for (i, n) in e.names.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            error_name_into(&n.text, &mut out);
        }
        out.push(']');
        out
    }

    /// Prints `head` followed by `parts` on one line, or, when it does not fit, the parts
    /// on continuation lines indented 4; `tail` (` {` or nothing) ends the last line.
    fn options_line(&mut self, indent: usize, head: &str, parts: &[Part<'_>], tail: &str) {
        let mark = self.out.len();
        self.pad(indent * 2);
        self.out.push_str(head);
        for part in parts {
            self.out.push(' ');
            match part {
                Part::Word(word) => self.out.push_str(word),
                Part::Option(word, v) => {
                    self.out.push_str(word);
                    self.out.push(' ');
                    inline_into(v, &mut self.out);
                }
                Part::Goto(target) => {
                    self.out.push_str("goto ");
                    name_into(target, &mut self.out);
                }
            }
        }
        self.out.push_str(tail);
        if width(&self.out[mark..]) <= WIDTH || parts.is_empty() {
            // Containers of a fitting line are inline by construction.
            self.out.push('\n');
            return;
        }
        self.out.truncate(mark);
        self.line(indent, head);
        let n = parts.len();
        for (i, part) in parts.iter().enumerate() {
            let suffix = if i + 1 == n { tail } else { "" };
            match part {
                Part::Option(word, v) => self.value_line_parts(indent + 2, &[word, " "], v, suffix),
                Part::Word(word) => {
                    self.pad((indent + 2) * 2);
                    self.out.push_str(word);
                    self.out.push_str(suffix);
                    self.out.push('\n');
                }
                Part::Goto(target) => {
                    self.pad((indent + 2) * 2);
                    self.out.push_str("goto ");
                    name_into(target, &mut self.out);
                    self.out.push_str(suffix);
                    self.out.push('\n');
                }
            }
        }
    }

    fn clause(&mut self, indent: usize, c: &Clause) {
        let start = c.docs.first().map_or(c.range, |d| d.range.cover(c.range));
        self.before(start, indent);
        self.clause_placed(indent, c);
    }

    /// A clause whose leading comments are already placed.
    fn clause_placed(&mut self, indent: usize, c: &Clause) {
        self.clause_inner(indent, c);
        self.after(c.range);
    }

    fn clause_inner(&mut self, indent: usize, c: &Clause) {
        if matches!(
            c.kind,
            ClauseKind::Retry(_) | ClauseKind::Catch(_) | ClauseKind::Branch(_) | ClauseKind::Process { .. }
        ) {
            self.docs(indent, &c.docs, "///");
        }
        match &c.kind {
            ClauseKind::Value(word, v) => self.value_line_parts(indent, &[word.as_str(), " "], v, ""),
            ClauseKind::Query(q) => self.query(indent, q),
            ClauseKind::Branch(b) => {
                self.line(indent, "branch {");
                self.block(indent + 1, b);
                self.line(indent, "}");
            }
            ClauseKind::Process { iterator, modes, block } => {
                self.pad(indent * 2);
                self.out.push_str(if *iterator { "iterator" } else { "process" });
                for m in modes {
                    self.out.push(' ');
                    self.out.push_str(&m.text);
                }
                self.out.push_str(" {\n");
                self.block(indent + 1, block);
                self.line(indent, "}");
            }
            ClauseKind::Reader(r, io) => self.io(indent, "reader", Some(r), io.as_ref()),
            ClauseKind::Writer(r, io) => self.io(indent, "writer", r.as_ref(), io.as_ref()),
            ClauseKind::Retry(Retry::Raw(v)) => self.value_line(indent, "retry raw ", v, ""),
            ClauseKind::Retry(Retry::Sugar { errors, options }) => {
                let head = Self::errors_head("retry ", errors);
                let parts: Vec<Part<'_>> = options
                    .iter()
                    .map(|(o, _, v)| match (o, &v.kind) {
                        (RetryOption::Jitter, ValueKind::String(s)) if s == "FULL" => {
                            Part::Word("jitter full")
                        }
                        (RetryOption::Jitter, ValueKind::String(s)) if s == "NONE" => {
                            Part::Word("jitter none")
                        }
                        _ => Part::Option(o.as_str(), v),
                    })
                    .collect();
                self.options_line(indent, &head, &parts, "");
            }
            ClauseKind::Catch(Catch::Raw(v)) => self.value_line(indent, "catch raw ", v, ""),
            ClauseKind::Catch(Catch::Sugar { errors, options, target }) => {
                let head = Self::errors_head("catch ", errors);
                let mut parts: Vec<Part<'_>> =
                    options.iter().map(|(o, _, v)| Part::Option(o.as_str(), v)).collect();
                match target {
                    Target::Goto(n) => {
                        parts.push(Part::Goto(&n.text));
                        self.options_line(indent, &head, &parts, "");
                    }
                    Target::Block(b) => {
                        self.options_line(indent, &head, &parts, " {");
                        self.block(indent + 1, b);
                        self.line(indent, "}");
                    }
                }
            }
            ClauseKind::Use(p) => self.line(indent, &format!("use {}", p.text)),
            ClauseKind::Raw(v) => self.value_line(indent, "raw ", v, ""),
        }
    }

    fn io(&mut self, indent: usize, word: &str, r: Option<&Resource>, io: Option<&Io>) {
        self.pad(indent * 2);
        self.out.push_str(word);
        if let Some(r) = r {
            self.out.push(' ');
            resource_into(r, &mut self.out);
        }
        let Some(io) = io else {
            self.out.push('\n');
            return;
        };
        self.out.push_str(" {\n");
        for (_, v) in &io.config {
            self.value_line(indent + 1, "config ", v, "");
        }
        for (_, v) in &io.args {
            self.value_line(indent + 1, "args ", v, "");
        }
        for v in &io.raw {
            self.value_line(indent + 1, "raw ", v, "");
        }
        self.line(indent, "}");
    }

    fn rule(&mut self, indent: usize, rule: &Rule) {
        let start = rule.docs.first().map_or(rule.range, |d| d.range.cover(rule.range));
        self.before(start, indent);
        self.rule_inner(indent, rule);
        self.after(rule.range);
    }

    fn rule_inner(&mut self, indent: usize, rule: &Rule) {
        self.docs(indent, &rule.docs, "///");
        let kw = if rule.else_if { "else if" } else { "if" };
        match &rule.kind {
            RuleKind::Raw(v) => self.value_line_parts(indent, &[kw, " raw "], v, ""),
            RuleKind::Sugar { cond: c, options, target } => {
                let mut head = String::with_capacity(64);
                head.push_str(kw);
                head.push(' ');
                cond_into(c, &mut head);
                let mut parts: Vec<Part<'_>> =
                    options.iter().map(|(o, _, v)| Part::Option(o.as_str(), v)).collect();
                match target {
                    Target::Goto(n) => {
                        parts.push(Part::Goto(&n.text));
                        self.options_line(indent, &head, &parts, "");
                    }
                    Target::Block(b) => {
                        self.options_line(indent, &head, &parts, " {");
                        self.block(indent + 1, b);
                        self.line(indent, "}");
                    }
                }
            }
        }
    }
}

/// Writes the text of a resource.
fn resource_into(r: &Resource, out: &mut String) {
    match &r.kind {
        ResourceKind::Service { sdk, service, action, suffix } => {
            if *sdk {
                out.push_str("sdk ");
            }
            out.push_str(service);
            out.push('.');
            out.push_str(action);
            if let Some(suffix) = suffix {
                out.push(' ');
                out.push_str(suffix);
            }
        }
        ResourceKind::Literal { word, text } => {
            out.push_str(match word {
                LiteralWord::Lambda => "lambda ",
                LiteralWord::Activity => "activity ",
                LiteralWord::Resource => "resource ",
            });
            write_json_string(text, out);
        }
    }
}

/// Writes the text of a condition.
fn cond_into(c: &Cond, out: &mut String) {
    match &c.kind {
        CondKind::And(items) | CondKind::Or(items) => {
            let and = matches!(c.kind, CondKind::And(_));
            if items.len() < 2 {
                out.push_str(if and { "all(" } else { "any(" });
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    cond_into(item, out);
                }
                out.push(')');
                return;
            }
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(if and { " and " } else { " or " });
                }
                let needs_parens = match &item.kind {
                    CondKind::And(inner) => inner.len() >= 2 && and,
                    CondKind::Or(inner) => inner.len() >= 2,
                    _ => false,
                };
                parenthesized(item, needs_parens, out);
            }
        }
        CondKind::Not(inner) => {
            let needs_parens = match &inner.kind {
                CondKind::And(i) | CondKind::Or(i) => i.len() >= 2,
                CondKind::Not(_) | CondKind::Literal(_) => false,
                CondKind::Compare { .. } | CondKind::Is { .. } => true,
            };
            out.push_str("not ");
            parenthesized(inner, needs_parens, out);
        }
        CondKind::Compare { type_word, path, op, operand } => {
            if let Some(t) = type_word {
                out.push_str(t.as_str());
                out.push(' ');
            }
            out.push_str(&path.text);
            out.push(' ');
            out.push_str(op.as_str());
            out.push(' ');
            inline_into(operand, out);
        }
        CondKind::Is { path, negated, test } => {
            out.push_str(&path.text);
            out.push_str(if *negated { " is not " } else { " is " });
            out.push_str(test.as_str());
        }
        CondKind::Literal(v) => inline_into(v, out),
    }
}

fn parenthesized(c: &Cond, parens: bool, out: &mut String) {
    if parens {
        out.push('(');
        cond_into(c, out);
        out.push(')');
    } else {
        cond_into(c, out);
    }
}

/// The position of a clause in dsl.md §5 order.
fn clause_rank(c: &Clause) -> u8 {
    match &c.kind {
        ClauseKind::Value(w, _) => match w {
            Word::Comment => 1,
            Word::Credentials => 3,
            Word::Input => 4,
            Word::Args => 6,
            Word::Each => 7,
            Word::Batch => 8,
            Word::Concurrency => 9,
            Word::TolerancePercent => 10,
            Word::TolerateCount => 11,
            Word::Label => 12,
            Word::Result => 16,
            Word::Timeout => 17,
            Word::Heartbeat => 18,
            Word::Select => 19,
            Word::Into => 20,
            Word::Output => 21,
            Word::Assign => 22,
        },
        ClauseKind::Query(_) => 2,
        ClauseKind::Reader(..) => 5,
        ClauseKind::Branch(_) => 13,
        ClauseKind::Process { .. } => 14,
        ClauseKind::Writer(..) => 15,
        ClauseKind::Retry(_) | ClauseKind::Catch(_) | ClauseKind::Use(_) => 23,
        ClauseKind::Raw(_) => 24,
    }
}
