//! The reader of intrinsic calls (intrinsics.md §2).

use aslc_source::TextRange;

use super::{Arg, ArgKind, Call, Function, StringLit, MAX_PARSE_NESTING};
use crate::cursor::{describe_next, Cursor};
use crate::jsonpath::parse_embedded;
use crate::rules::{I_ESCAPE, I_NESTING, I_SYNTAX};
use crate::QueryError;

pub(super) fn parse(text: &str) -> Result<Call, QueryError> {
    let mut cursor = Cursor::new(text);
    if cursor.peek().is_some_and(char::is_whitespace) {
        let ws = cursor.clone().eat_while(char::is_whitespace).len();
        return Err(QueryError::new(
            I_SYNTAX,
            TextRange::from_usize(0, ws),
            "an intrinsic function call cannot start with whitespace",
        )
        .with_help("remove the leading whitespace"));
    }
    let mut call = call(&mut cursor, 1)?;
    let ws_start = cursor.pos();
    cursor.eat_while(char::is_whitespace);
    if cursor.is_eof() {
        if cursor.pos() > ws_start {
            call.trailing_whitespace = Some(cursor.range_from(ws_start));
        }
        return Ok(call);
    }
    let mut err = QueryError::new(
        I_SYNTAX,
        TextRange::from_usize(cursor.pos(), text.len()),
        format!("unexpected {} after the intrinsic function call", describe_next(&cursor)),
    );
    err = match cursor.peek() {
        Some('[') | Some('.') => {
            err.with_help("the result of an intrinsic function cannot be indexed; use `States.ArrayGetItem`")
        }
        _ => err.with_help("a `.$` value holds exactly one call"),
    };
    Err(err)
}

fn spaces(cursor: &mut Cursor<'_>) {
    cursor.eat_while(|c| c == ' ' || c == '\t');
}

fn call(cursor: &mut Cursor<'_>, depth: usize) -> Result<Call, QueryError> {
    let start = cursor.pos();
    if depth > MAX_PARSE_NESTING {
        return Err(QueryError::new(
            I_NESTING,
            TextRange::from_usize(start, start + "States.".len()),
            format!("intrinsic functions are nested more than {MAX_PARSE_NESTING} deep"),
        )
        .with_help(format!("nest at most {} calls", super::MAX_NESTING)));
    }
    if !cursor.eat_str("States.") {
        return Err(QueryError::new(
            I_SYNTAX,
            cursor.next_char_range(),
            "expected an intrinsic function call starting with `States.`",
        ));
    }
    let name = cursor.eat_while(|c| c.is_ascii_alphanumeric() || c == '_');
    let name_range = cursor.range_from(start);
    if name.is_empty() {
        return Err(QueryError::new(
            I_SYNTAX,
            cursor.next_char_range(),
            format!("expected a function name after `States.`, found {}", describe_next(cursor)),
        ));
    }
    spaces(cursor);
    let open = cursor.pos();
    if !cursor.eat('(') {
        return Err(QueryError::new(
            I_SYNTAX,
            cursor.next_char_range(),
            format!("expected `(` after `States.{name}`, found {}", describe_next(cursor)),
        ));
    }
    let mut args = Vec::new();
    spaces(cursor);
    if !cursor.eat(')') {
        loop {
            spaces(cursor);
            args.push(arg(cursor, depth)?);
            spaces(cursor);
            if cursor.eat(',') {
                continue;
            }
            if cursor.eat(')') {
                break;
            }
            if cursor.is_eof() {
                return Err(QueryError::new(
                    I_SYNTAX,
                    TextRange::from_usize(open, open + 1),
                    "`(` is never closed",
                )
                .with_help("end the argument list with `)`"));
            }
            return Err(QueryError::new(
                I_SYNTAX,
                cursor.next_char_range(),
                format!("expected `,` or `)` after an argument, found {}", describe_next(cursor)),
            ));
        }
    }
    Ok(Call {
        function: Function::from_name(name),
        name: name.into(),
        name_range,
        args,
        range: cursor.range_from(start),
        trailing_whitespace: None,
    })
}

fn arg(cursor: &mut Cursor<'_>, depth: usize) -> Result<Arg, QueryError> {
    let start = cursor.pos();
    let kind = match cursor.peek() {
        Some('\'') => ArgKind::String(string(cursor)?),
        Some('$') => {
            let (path, end) = parse_embedded(cursor.text(), start)?;
            *cursor = Cursor::at(cursor.text(), end);
            ArgKind::Path(path)
        }
        Some(c) if c == '-' || c.is_ascii_digit() => number(cursor)?,
        Some('"') => {
            return Err(QueryError::new(
                I_SYNTAX,
                cursor.next_char_range(),
                "string literals use single quotes",
            )
            .with_help("write the string as `'text'`"));
        }
        Some(',') | Some(')') => {
            return Err(QueryError::new(
                I_SYNTAX,
                cursor.next_char_range(),
                format!("expected an argument, found {}", describe_next(cursor)),
            ));
        }
        None => {
            return Err(QueryError::new(
                I_SYNTAX,
                cursor.next_char_range(),
                "expected an argument, found the end",
            ));
        }
        Some(_) if cursor.starts_with("States.") => ArgKind::Call(Box::new(call(cursor, depth + 1)?)),
        Some(_) => {
            let word = cursor.clone().eat_while(|c| c.is_alphanumeric() || c == '_' || c == '.');
            match word {
                "true" | "false" | "null" if ends_token(cursor, word.len()) => {
                    cursor.eat_str(word);
                    match word {
                        "true" => ArgKind::Bool(true),
                        "false" => ArgKind::Bool(false),
                        _ => ArgKind::Null,
                    }
                }
                "" => {
                    return Err(QueryError::new(
                        I_SYNTAX,
                        cursor.next_char_range(),
                        format!("expected an argument, found {}", describe_next(cursor)),
                    ));
                }
                _ => {
                    let range = TextRange::from_usize(start, start + word.len());
                    return Err(QueryError::new(I_SYNTAX, range, format!("`{word}` is not an argument"))
                        .with_help("arguments are `'strings'`, numbers, `true`, `false`, `null`, paths and `States.` calls"));
                }
            }
        }
    };
    Ok(Arg { kind, range: cursor.range_from(start) })
}

/// Whether the `len` bytes at the cursor form a whole token.
fn ends_token(cursor: &Cursor<'_>, len: usize) -> bool {
    cursor.rest()[len..].chars().next().is_none_or(|c| c == ',' || c == ')' || c == ' ' || c == '\t')
}

/// `-?digits(.digits)?`, with an optional exponent (intrinsics.md leaves exponents open, so
/// they are accepted).
fn number(cursor: &mut Cursor<'_>) -> Result<ArgKind, QueryError> {
    let start = cursor.pos();
    cursor.eat('-');
    let int = cursor.eat_while(|c| c.is_ascii_digit());
    let mut ok = !int.is_empty();
    if cursor.eat('.') {
        ok &= !cursor.eat_while(|c| c.is_ascii_digit()).is_empty();
    }
    if cursor.peek().is_some_and(|c| c == 'e' || c == 'E') {
        cursor.bump();
        if cursor.peek().is_some_and(|c| c == '+' || c == '-') {
            cursor.bump();
        }
        ok &= !cursor.eat_while(|c| c.is_ascii_digit()).is_empty();
    }
    let text = &cursor.text()[start..cursor.pos()];
    if ok && ends_token(cursor, 0) {
        if let Ok(value) = text.parse::<f64>() {
            if value.is_finite() {
                return Ok(ArgKind::Number { value, text: text.into() });
            }
        }
    }
    let end = cursor.pos() + cursor.clone().eat_while(|c| !matches!(c, ',' | ')' | ' ' | '\t')).len();
    let bad = &cursor.text()[start..end];
    Err(QueryError::new(
        I_SYNTAX,
        TextRange::from_usize(start, end),
        format!("`{bad}` is not a valid number"),
    ))
}

/// A single-quoted literal: `\'`, `\{`, `\}` and `\\` are the only escapes (§2.1).
fn string(cursor: &mut Cursor<'_>) -> Result<StringLit, QueryError> {
    let open = cursor.pos();
    cursor.bump();
    let mut value = String::new();
    let mut placeholders = Vec::new();
    // Whether the last character pushed is an unescaped `{`.
    let mut open_brace = false;
    loop {
        let at = cursor.pos();
        match cursor.bump() {
            None => {
                return Err(QueryError::new(
                    I_SYNTAX,
                    cursor.range_from(open),
                    "the string literal is never closed",
                )
                .with_help("end the string with `'`"));
            }
            Some('\'') => {
                return Ok(StringLit { value: value.into(), placeholders: placeholders.into() });
            }
            Some('\\') => {
                match cursor.bump() {
                    Some(c @ ('\'' | '{' | '}' | '\\')) => value.push(c),
                    Some(other) => {
                        return Err(QueryError::new(
                            I_ESCAPE,
                            cursor.range_from(at),
                            format!("`\\{other}` is not an escape sequence of intrinsic strings"),
                        )
                        .with_help("only `\\'`, `\\{`, `\\}` and `\\\\` are escapes; write other characters as they are"));
                    }
                    None => {
                        return Err(QueryError::new(
                            I_ESCAPE,
                            cursor.range_from(at),
                            "a backslash ends the text",
                        )
                        .with_help("write a backslash as `\\\\`"));
                    }
                }
                open_brace = false;
            }
            Some(c) => {
                if c == '}' && open_brace {
                    let offset = u32::try_from(value.len() - 1).unwrap_or(u32::MAX);
                    placeholders.push(offset);
                    open_brace = false;
                } else {
                    open_brace = c == '{';
                }
                value.push(c);
            }
        }
    }
}
