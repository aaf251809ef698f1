//! The recursive-descent reader of paths (jsonpath.md §2.1).
//!
//! One reader serves three contexts that differ only in where a dot name ends: a whole field
//! value, a path argument inside an intrinsic call (which ends at whitespace, `,` or `)`),
//! and a path inside a filter (which also ends at a comparison operator, as in
//! `@.status==Failure`).

use aslc_source::TextRange;

use super::filter;
use super::{Axis, FilterBody, Name, Path, Root, Segment, Selector, MAX_FILTER_DEPTH};
use crate::cursor::{describe_next, Cursor};
use crate::rules::{P_CONTEXT_PREFIX, P_SYNTAX};
use crate::QueryError;

/// Where a path is being read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Mode {
    /// A whole field value.
    Standalone,
    /// An argument of an intrinsic call.
    Embedded,
    /// An operand inside a filter.
    Filter,
}

pub(super) fn parse_standalone(text: &str) -> Result<Path, QueryError> {
    let mut cursor = Cursor::new(text);
    if let Some(c) = cursor.peek() {
        if c.is_whitespace() {
            let ws = cursor.clone().eat_while(char::is_whitespace).len();
            return Err(QueryError::new(
                P_SYNTAX,
                TextRange::from_usize(0, ws),
                "a path cannot start with whitespace",
            )
            .with_help("remove the leading whitespace"));
        }
    }
    let mut path = read_path(&mut cursor, Mode::Standalone, 0)?;
    if cursor.is_eof() {
        return Ok(path);
    }
    if cursor.peek().is_some_and(char::is_whitespace) {
        let ws_start = cursor.pos();
        cursor.eat_while(char::is_whitespace);
        if cursor.is_eof() {
            path.trailing_whitespace = Some(cursor.range_from(ws_start));
            return Ok(path);
        }
        return Err(QueryError::new(
            P_SYNTAX,
            cursor.next_char_range(),
            format!("unexpected {} after whitespace in a path", describe_next(&cursor)),
        )
        .with_help("whitespace is not allowed inside a path; quote names with spaces as `['a b']`"));
    }
    Err(unexpected_after_path(&cursor))
}

/// Reads a path that starts at `start` inside a larger text (an intrinsic argument) and
/// returns it with the offset where it ends. Ranges are relative to `text`.
pub(crate) fn parse_embedded(text: &str, start: usize) -> Result<(Path, usize), QueryError> {
    let mut cursor = Cursor::at(text, start);
    let path = read_path(&mut cursor, Mode::Embedded, 0)?;
    Ok((path, cursor.pos()))
}

fn unexpected_after_path(cursor: &Cursor<'_>) -> QueryError {
    let mut err = QueryError::new(
        P_SYNTAX,
        cursor.next_char_range(),
        format!("unexpected {} after the path", describe_next(cursor)),
    );
    if cursor.peek() == Some('(') {
        err =
            err.with_help("a path cannot call functions; use an intrinsic function in a `.$` field instead");
    }
    err
}

/// Reads a root and its segments; stops at the first character that cannot continue the
/// path, leaving it to the caller.
pub(super) fn read_path(cursor: &mut Cursor<'_>, mode: Mode, depth: usize) -> Result<Path, QueryError> {
    let start = cursor.pos();
    if !cursor.eat('$') {
        return Err(QueryError::new(
            P_SYNTAX,
            cursor.next_char_range(),
            format!("expected a path starting with `$`, found {}", describe_next(cursor)),
        ));
    }
    let root = if cursor.eat('$') {
        match cursor.peek() {
            None | Some('.') | Some('[') => Root::Context,
            Some(c) if c.is_whitespace() || mode != Mode::Standalone && ends_dot_name(c, mode) => {
                Root::Context
            }
            Some(_) => {
                return Err(QueryError::new(
                    P_CONTEXT_PREFIX,
                    TextRange::from_usize(start, cursor.pos() + cursor.peek().map_or(0, char::len_utf8)),
                    "`$$` must be followed by `.`, `[` or the end of the path",
                )
                .with_help("write a context path as `$$.Execution.Id`"));
            }
        }
    } else if cursor.peek().is_some_and(is_var_start) {
        let name = cursor.eat_while(is_var_continue);
        if cursor.peek().is_some_and(|c| !ends_var_name(c, mode)) {
            return Err(QueryError::new(
                P_SYNTAX,
                cursor.next_char_range(),
                format!("unexpected {} in the variable name `${name}`", describe_next(cursor)),
            )
            .with_help("a variable name has letters, digits and `_` only"));
        }
        Root::Variable(name.into())
    } else {
        match cursor.peek() {
            None | Some('.') | Some('[') => Root::Data,
            Some(c) if c.is_whitespace() || mode != Mode::Standalone && ends_dot_name(c, mode) => Root::Data,
            Some(_) => {
                return Err(QueryError::new(
                    P_SYNTAX,
                    cursor.next_char_range(),
                    format!("unexpected {} after `$`", describe_next(cursor)),
                )
                .with_help("follow `$` with `.name`, `['name']`, `[index]` or a variable name"));
            }
        }
    };
    let root_range = cursor.range_from(start);
    let segments = read_segments(cursor, mode, depth)?;
    Ok(Path { root, root_range, segments, range: cursor.range_from(start), trailing_whitespace: None })
}

fn is_var_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_var_continue(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

fn ends_var_name(c: char, mode: Mode) -> bool {
    c == '.' || c == '[' || c.is_whitespace() || ends_dot_name(c, mode)
}

/// Whether `c` ends a dot name in `mode` (jsonpath.md §2.1 `dot-name`).
const fn ends_dot_name(c: char, mode: Mode) -> bool {
    let always = matches!(c, '.' | '[' | ']' | '(' | ')' | '*' | ',' | '\'' | '"') || c.is_whitespace();
    always || matches!(mode, Mode::Filter) && matches!(c, '=' | '!' | '<' | '>' | '&' | '|' | '~')
}

/// For each byte, whether a plain run of a dot name in `mode` stops there: the ASCII
/// characters that end a name, `\` (which starts an escape), and every byte of a non-ASCII
/// character, which is decoded and looked at whole.
const fn name_stops(mode: Mode) -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = b >= 0x80 || b == b'\\' as usize || ends_dot_name(b as u8 as char, mode);
        b += 1;
    }
    table
}

/// [`name_stops`] outside filters.
const NAME_STOPS: [bool; 256] = name_stops(Mode::Standalone);

/// [`name_stops`] inside a filter, where comparison characters also end a name.
const FILTER_NAME_STOPS: [bool; 256] = name_stops(Mode::Filter);

/// Takes the longest run of characters that neither end a dot name in `mode` nor start an
/// escape; ASCII, nearly all names, is checked a byte at a time against a table.
fn plain_name_run<'a>(cursor: &mut Cursor<'a>, mode: Mode) -> &'a str {
    let stops = if mode == Mode::Filter { &FILTER_NAME_STOPS } else { &NAME_STOPS };
    let rest = cursor.rest();
    let bytes = rest.as_bytes();
    let mut len = 0;
    while let Some(&byte) = bytes.get(len) {
        if !stops[usize::from(byte)] {
            len += 1;
            continue;
        }
        if byte.is_ascii() {
            break;
        }
        match rest.get(len..).and_then(|tail| tail.chars().next()) {
            Some(c) if !ends_dot_name(c, mode) => len += c.len_utf8(),
            _ => break,
        }
    }
    let run = &rest[..len];
    *cursor = Cursor::at(cursor.text(), cursor.pos() + len);
    run
}

/// The room a path's segments are first given: as a vector's first growth would give, without
/// going through it.
const SEGMENTS_ALLOCATED: usize = 4;

/// Reads segments until a character that does not start one.
pub(super) fn read_segments(
    cursor: &mut Cursor<'_>,
    mode: Mode,
    depth: usize,
) -> Result<Vec<Segment>, QueryError> {
    if !matches!(cursor.peek(), Some('.' | '[')) {
        return Ok(Vec::new());
    }
    let mut segments = Vec::with_capacity(SEGMENTS_ALLOCATED);
    loop {
        let start = cursor.pos();
        match cursor.peek() {
            Some('.') if cursor.peek2() == Some('.') => {
                cursor.bump();
                cursor.bump();
                segments.push(after_dot(cursor, start, Axis::Descendant, mode, depth)?);
            }
            Some('.') => {
                cursor.bump();
                segments.push(after_dot(cursor, start, Axis::Child, mode, depth)?);
            }
            Some('[') => segments.push(bracket(cursor, start, Axis::Child, depth)?),
            _ => return Ok(segments),
        }
    }
}

/// What follows `.` or `..`: a name, `*`, or a bracket.
fn after_dot(
    cursor: &mut Cursor<'_>,
    start: usize,
    axis: Axis,
    mode: Mode,
    depth: usize,
) -> Result<Segment, QueryError> {
    let dots = if axis == Axis::Descendant { "`..`" } else { "`.`" };
    match cursor.peek() {
        Some('*') => {
            cursor.bump();
            Ok(Segment {
                axis,
                selector: Selector::Wildcard,
                range: cursor.range_from(start),
                dot_escape: false,
            })
        }
        Some('[') => bracket(cursor, start, axis, depth),
        Some(c) if !ends_dot_name(c, mode) => {
            // The plain run is taken as one slice; escapes, which are rare, go char by char.
            let run = plain_name_run(cursor, mode);
            let dot_escape = cursor.peek() == Some('\\');
            let name = if dot_escape { escaped_name(cursor, run, mode) } else { Name::from(run) };
            if cursor.peek() == Some('(') {
                function_parens(cursor)?;
                return Ok(Segment {
                    axis,
                    selector: Selector::Function(name),
                    range: cursor.range_from(start),
                    dot_escape,
                });
            }
            Ok(Segment { axis, selector: Selector::Name(name), range: cursor.range_from(start), dot_escape })
        }
        _ => Err(QueryError::new(
            P_SYNTAX,
            if cursor.is_eof() { cursor.range_from(start) } else { cursor.next_char_range() },
            format!("expected a member name, `*` or `[` after {dots}, found {}", describe_next(cursor)),
        )),
    }
}

/// The rest of a dot name whose plain start `run` is followed by a backslash: each `\\`
/// escapes the character after it (a `\\` at the end stands for itself).
fn escaped_name(cursor: &mut Cursor<'_>, run: &str, mode: Mode) -> Name {
    let mut name = String::from(run);
    while let Some(c) = cursor.peek() {
        if c == '\\' {
            cursor.bump();
            match cursor.bump() {
                Some(escaped) => name.push(escaped),
                None => name.push('\\'),
            }
        } else if ends_dot_name(c, mode) {
            break;
        } else {
            cursor.bump();
            name.push(c);
        }
    }
    Name::from(name)
}

/// The parentheses of a function step: balanced, contents ignored (AWS does not call
/// functions, it reads the step as a member name).
fn function_parens(cursor: &mut Cursor<'_>) -> Result<(), QueryError> {
    let open = cursor.pos();
    cursor.bump();
    let close = find_closing_paren(cursor.text(), cursor.pos()).ok_or_else(|| unclosed(open, "("))?;
    *cursor = Cursor::at(cursor.text(), close + 1);
    Ok(())
}

fn unclosed(at: usize, what: &str) -> QueryError {
    QueryError::new(P_SYNTAX, TextRange::from_usize(at, at + what.len()), format!("`{what}` is never closed"))
}

/// Skips spaces and tabs (the only whitespace allowed inside brackets).
fn skip_ws(cursor: &mut Cursor<'_>) {
    cursor.eat_while(|c| c == ' ' || c == '\t');
}

fn expect_close_bracket(cursor: &mut Cursor<'_>, open: usize) -> Result<(), QueryError> {
    skip_ws(cursor);
    if cursor.eat(']') {
        return Ok(());
    }
    if cursor.is_eof() {
        return Err(unclosed(open, "["));
    }
    Err(QueryError::new(
        P_SYNTAX,
        cursor.next_char_range(),
        format!("expected `]`, found {}", describe_next(cursor)),
    ))
}

/// A bracket segment; `start` is where the segment began (the `.` of `.[0]` if any).
fn bracket(cursor: &mut Cursor<'_>, start: usize, axis: Axis, depth: usize) -> Result<Segment, QueryError> {
    let open = cursor.pos();
    cursor.bump();
    skip_ws(cursor);
    let selector = match cursor.peek() {
        Some('*') => {
            cursor.bump();
            Selector::Wildcard
        }
        Some('?') => {
            cursor.bump();
            skip_ws(cursor);
            let paren = cursor.pos();
            if !cursor.eat('(') {
                return Err(QueryError::new(
                    P_SYNTAX,
                    cursor.next_char_range(),
                    format!("expected `(` after `[?`, found {}", describe_next(cursor)),
                )
                .with_help("write a filter as `[?(@.price > 10)]`"));
            }
            let close =
                find_closing_paren(cursor.text(), cursor.pos()).ok_or_else(|| unclosed(paren, "("))?;
            let body = TextRange::from_usize(cursor.pos(), close);
            let parsed = filter::parse_filter(cursor.text(), body, depth + 1)?;
            *cursor = Cursor::at(cursor.text(), close + 1);
            Selector::Filter(
                parsed.map_or(FilterBody::Opaque(body), |expr| FilterBody::Parsed(Box::new(expr))),
            )
        }
        Some('(') => {
            let close = find_closing_paren(cursor.text(), cursor.pos() + 1)
                .ok_or_else(|| unclosed(cursor.pos(), "("))?;
            *cursor = Cursor::at(cursor.text(), close + 1);
            Selector::Script
        }
        Some('\'') | Some('"') => {
            let mut names = vec![quoted(cursor)?];
            loop {
                skip_ws(cursor);
                if !cursor.eat(',') {
                    break;
                }
                skip_ws(cursor);
                if !matches!(cursor.peek(), Some('\'') | Some('"')) {
                    return Err(QueryError::new(
                        P_SYNTAX,
                        cursor.next_char_range(),
                        format!("expected a quoted name after `,`, found {}", describe_next(cursor)),
                    ));
                }
                names.push(quoted(cursor)?);
            }
            if names.len() == 1 {
                Selector::Name(names.swap_remove(0))
            } else {
                Selector::Names(names)
            }
        }
        Some(c) if c == '-' || c == ':' || c.is_ascii_digit() => indexes(cursor)?,
        Some(']') => {
            return Err(QueryError::new(
                P_SYNTAX,
                TextRange::from_usize(open, cursor.pos() + 1),
                "empty brackets `[]`",
            )
            .with_help("write an index (`[0]`), a quoted name (`['a']`), `[*]` or a filter"));
        }
        None => return Err(unclosed(open, "[")),
        Some(_) => {
            let mut err = QueryError::new(
                P_SYNTAX,
                cursor.next_char_range(),
                format!(
                    "expected an index, a quoted name, `*` or a filter after `[`, found {}",
                    describe_next(cursor)
                ),
            );
            if cursor.peek().is_some_and(char::is_alphabetic) {
                err = err.with_help("quote member names in brackets: `['name']`");
            }
            return Err(err);
        }
    };
    expect_close_bracket(cursor, open)?;
    Ok(Segment { axis, selector, range: cursor.range_from(start), dot_escape: false })
}

/// `[1]`, `[1, 2]`, `[1:2]`, `[:2]`, `[-2:]`.
fn indexes(cursor: &mut Cursor<'_>) -> Result<Selector, QueryError> {
    let first = optional_int(cursor)?;
    skip_ws(cursor);
    if cursor.eat(':') {
        skip_ws(cursor);
        let end = optional_int(cursor)?;
        skip_ws(cursor);
        if cursor.peek() == Some(':') {
            return Err(QueryError::new(P_SYNTAX, cursor.next_char_range(), "a slice cannot have a step")
                .with_help("write the slice as `[start:end]`"));
        }
        return Ok(Selector::Slice { start: first, end });
    }
    let Some(first) = first else {
        return Err(QueryError::new(
            P_SYNTAX,
            cursor.next_char_range(),
            format!("expected an index, found {}", describe_next(cursor)),
        ));
    };
    let mut all = vec![first];
    while cursor.eat(',') {
        skip_ws(cursor);
        match optional_int(cursor)? {
            Some(n) => all.push(n),
            None => {
                return Err(QueryError::new(
                    P_SYNTAX,
                    cursor.next_char_range(),
                    format!("expected an index after `,`, found {}", describe_next(cursor)),
                ))
            }
        }
        skip_ws(cursor);
    }
    Ok(if all.len() == 1 { Selector::Index(first) } else { Selector::Indexes(all) })
}

fn optional_int(cursor: &mut Cursor<'_>) -> Result<Option<i64>, QueryError> {
    let start = cursor.pos();
    let negative = cursor.eat('-');
    let digits = cursor.eat_while(|c| c.is_ascii_digit());
    if digits.is_empty() {
        if negative {
            return Err(QueryError::new(
                P_SYNTAX,
                cursor.next_char_range(),
                format!("expected digits after `-`, found {}", describe_next(cursor)),
            ));
        }
        return Ok(None);
    }
    let text = &cursor.text()[start..cursor.pos()];
    text.parse::<i64>().map(Some).map_err(|_| {
        QueryError::new(P_SYNTAX, cursor.range_from(start), format!("index `{text}` is out of range"))
    })
}

/// A quoted name in brackets. Only `\\`, `\'` and the delimiter escaped (`\"` in a
/// `"`-quoted name) are escapes; any other backslash is kept as written, as AWS reads
/// `$['a\"b']` as the name `a\"b` (jsonpath.md §2.1; recorded in the
/// `ESCAPE_SEQUENCES_JSONPATH` conformance case).
pub(super) fn quoted(cursor: &mut Cursor<'_>) -> Result<Name, QueryError> {
    let open = cursor.pos();
    let Some(quote) = cursor.bump() else {
        return Err(unclosed(open, "'"));
    };
    let mut value = Name::default();
    loop {
        match cursor.bump() {
            None => {
                return Err(QueryError::new(
                    P_SYNTAX,
                    cursor.range_from(open),
                    "the quoted name is never closed",
                )
                .with_help(format!("end the name with `{quote}`")));
            }
            Some(c) if c == quote => return Ok(value),
            Some('\\') => match cursor.bump() {
                Some(c @ ('\'' | '\\')) => value.push(c),
                Some(c) if c == quote => value.push(c),
                Some(other) => {
                    value.push('\\');
                    value.push(other);
                }
                None => value.push('\\'),
            },
            Some(c) => value.push(c),
        }
    }
}

/// The offset of the `)` that closes a parenthesis opened just before `from`, skipping
/// quoted strings and nested `()`/`[]`; `None` when the text ends first.
pub(super) fn find_closing_paren(text: &str, from: usize) -> Option<usize> {
    let mut depth = 1usize;
    let mut cursor = Cursor::at(text, from);
    while let Some(c) = cursor.peek() {
        let at = cursor.pos();
        cursor.bump();
        match c {
            '\'' | '"' => loop {
                match cursor.bump() {
                    None => return None,
                    Some('\\') => {
                        cursor.bump();
                    }
                    Some(q) if q == c => break,
                    Some(_) => {}
                }
            },
            '(' | '[' => depth += 1,
            ')' | ']' => {
                depth -= 1;
                if depth == 0 {
                    return (c == ')').then_some(at);
                }
            }
            _ => {}
        }
    }
    None
}

const DEPTH_MESSAGE: &str = "filters are nested too deeply";

/// Checks the filter nesting bound.
pub(super) fn check_depth(depth: usize, range: TextRange) -> Result<(), QueryError> {
    if depth > MAX_FILTER_DEPTH {
        return Err(QueryError::new(P_SYNTAX, range, DEPTH_MESSAGE)
            .with_help(format!("nest at most {MAX_FILTER_DEPTH} filters")));
    }
    Ok(())
}

/// Whether `err` is the nesting-bound error of [`check_depth`], which must propagate out of
/// filters that would otherwise be kept opaque.
pub(super) fn is_depth_error(err: &QueryError) -> bool {
    err.rule == P_SYNTAX && err.message == DEPTH_MESSAGE
}
