//! The `.asld` parser (dsl.md §6), built with `chumsky` over the lexer's tokens.
//!
//! Parsing never fails: it returns a [`File`] and diagnostics. Recovery points are the
//! statements (skip to the next statement keyword), the clauses and rules of a body (skip
//! to the next clause word, rule or `}`), always skipping balanced brackets, so one typo
//! gives one diagnostic and the rest of the file is still read. Nesting is bounded before
//! parsing by [`MAX_NESTING`]: a deeper group is reported and read as empty.
//!
//! Tracking what was expected at every failed alternative is most of chumsky's work, and
//! only a broken file needs it. So a file is parsed first with errors that record nothing;
//! only when that parse fails is it parsed again with `Rich` errors for the messages. The
//! grammar is the same both times, so a file without syntax errors gives the same tree.
//!
//! The grammar is a little more permissive than dsl.md §6 where that gives a better
//! message: `///` lines are items of their own and attach to what follows, header lines
//! may appear anywhere, clauses may follow rules, and any state may carry a transition;
//! [`crate::validate`] reports what is misplaced.

use aslc_source::{Diagnostic, FileId, TextRange};
use chumsky::cache::{Cache, Cached};
use chumsky::error::{EmptyErr, LabelError, Rich, RichPattern, RichReason};
use chumsky::extra::SimpleState;
use chumsky::input::MapExtra;
use chumsky::prelude::*;

use crate::ast::*;
use crate::lexer::{self, Kind, Tok};
use crate::rules::{D_KEYWORD_NAME, D_POLICY, D_SYNTAX};

/// How deep `{}`, `[]` and `()` may nest. Deeper groups are reported and read as empty, so
/// no later tree walk can exhaust the stack.
pub const MAX_NESTING: usize = 128;

type In<'a> = &'a [Tok<'a>];
type Ex<'a, E> = extra::Full<E, SimpleState<Cx<'a>>, ()>;
type P<'a, T, E> = Boxed<'a, 'a, In<'a>, T, Ex<'a, E>>;

/// The error type of a parse. The parser runs first with [`EmptyErr`], which records
/// nothing and costs nothing; only a file with a syntax error is parsed again with [`Rich`]
/// errors, which list what was expected.
trait ParseError<'a>: chumsky::error::Error<'a, In<'a>> + LabelError<'a, In<'a>, &'static str> + 'a {
    fn custom(span: SimpleSpan, message: &'static str) -> Self;
}

impl<'a> ParseError<'a> for Rich<'a, Tok<'a>> {
    fn custom(span: SimpleSpan, message: &'static str) -> Self {
        Rich::custom(span, message)
    }
}

impl<'a> ParseError<'a> for EmptyErr {
    fn custom(_: SimpleSpan, _: &'static str) -> Self {
        EmptyErr::default()
    }
}

/// The parse of one file: the tree and every lexing and parsing diagnostic.
#[derive(Debug)]
pub struct Parsed {
    /// The tree; parts that could not be read are left out.
    pub file: File,
    /// Lexer, parser and placement diagnostics, sorted by position.
    pub diagnostics: Vec<Diagnostic>,
}

/// The parser, built once per thread for each error type (building it costs about as much
/// as parsing a small file).
struct FileParser<E>(std::marker::PhantomData<E>);

impl<E> Default for FileParser<E> {
    fn default() -> Self {
        FileParser(std::marker::PhantomData)
    }
}

impl Cached for FileParser<EmptyErr> {
    type Parser<'a> = P<'a, File, EmptyErr>;

    fn make_parser<'a>(self) -> Self::Parser<'a> {
        file_parser()
    }
}

impl Cached for FileParser<Rich<'static, Tok<'static>>> {
    type Parser<'a> = P<'a, File, Rich<'a, Tok<'a>>>;

    fn make_parser<'a>(self) -> Self::Parser<'a> {
        file_parser()
    }
}

thread_local! {
    static FAST: Cache<FileParser<EmptyErr>> = Cache::default();
    static RICH: Cache<FileParser<Rich<'static, Tok<'static>>>> = Cache::default();
}

/// Parses `text` as a `.asld` file.
pub fn parse(text: &str, file: FileId) -> Parsed {
    let mut diagnostics = Vec::new();
    let all = lexer::lex(text, file, &mut diagnostics);
    let garbage: Vec<TextRange> = all.iter().filter(|t| t.kind == Kind::Garbage).map(|t| t.range).collect();
    let mut tokens: Vec<Tok<'_>> =
        all.iter().copied().filter(|t| !t.kind.is_trivia() && t.kind != Kind::Garbage).collect();
    bound_nesting(&mut tokens, file, &mut diagnostics);
    let eof = TextRange::empty(u32::try_from(text.len()).unwrap_or(u32::MAX));
    let mut cx = SimpleState(Cx { toks: &tokens, side: Vec::new(), file, eof });
    let fast = FAST.with(|parser| parser.get().parse_with_state(&tokens[..], &mut cx));
    let (output, errors) = if fast.has_errors() || !fast.has_output() {
        drop(fast);
        cx.side.clear();
        RICH.with(|parser| parser.get().parse_with_state(&tokens[..], &mut cx).into_output_errors())
    } else {
        (fast.into_output(), Vec::new())
    };
    let cx = cx.0;
    for error in errors {
        let range = cx.range(*error.span());
        // A token dropped by the lexer right before the error was already reported.
        let prev_end =
            error.span().start.checked_sub(1).and_then(|i| tokens.get(i)).map_or(0, |t| t.range.end());
        if garbage.iter().any(|g| g.start() >= prev_end && g.end() <= range.start().max(prev_end)) {
            continue;
        }
        diagnostics.push(syntax_error(&error, range, file));
    }
    diagnostics.extend(cx.side);
    let file_ast = output.unwrap_or_default();
    crate::validate::validate(&file_ast, file, &mut diagnostics);
    diagnostics.sort_by_key(|d| d.sort_key());
    diagnostics.dedup_by(|a, b| a.code == b.code && a.primary.range == b.primary.range);
    Parsed { file: file_ast, diagnostics }
}

fn is_opener(kind: Kind) -> bool {
    matches!(kind, Kind::LBrace | Kind::LBracket | Kind::LParen)
}

fn is_closer(kind: Kind) -> bool {
    matches!(kind, Kind::RBrace | Kind::RBracket | Kind::RParen)
}

/// Empties every group nested deeper than [`MAX_NESTING`], reporting the first of each.
fn bound_nesting(tokens: &mut Vec<Tok<'_>>, file: FileId, diagnostics: &mut Vec<Diagnostic>) {
    let mut depth = 0usize;
    let mut skipping: Option<usize> = None;
    tokens.retain(|t| {
        if is_opener(t.kind) {
            depth += 1;
            if depth == MAX_NESTING + 1 && skipping.is_none() {
                skipping = Some(depth);
                diagnostics.push(
                    Diagnostic::error(
                        D_SYNTAX,
                        file,
                        t.range,
                        format!("nesting deeper than {MAX_NESTING} levels"),
                    )
                    .with_label("this group is too deeply nested and is read as empty")
                    .with_help("flatten the value or split the workflow"),
                );
                return true;
            }
        } else if is_closer(t.kind) {
            let closing = depth;
            depth = depth.saturating_sub(1);
            if skipping == Some(closing) {
                skipping = None;
                return true;
            }
        }
        skipping.is_none()
    });
}

fn syntax_error(error: &Rich<'_, Tok<'_>>, range: TextRange, file: FileId) -> Diagnostic {
    let found = match error.found() {
        Some(tok) => format!("{tok}"),
        None => "end of file".to_owned(),
    };
    let mut expected: Vec<String> = error
        .expected()
        .filter_map(|p| match p {
            RichPattern::Label(label) => Some(label.to_string()),
            RichPattern::Token(tok) => Some(format!("{}", &**tok)),
            RichPattern::EndOfInput => Some("end of file".to_owned()),
            RichPattern::Identifier(name) => Some(format!("`{name}`")),
            _ => None,
        })
        .collect();
    expected.sort();
    expected.dedup();
    let message = match error.reason() {
        RichReason::Custom(msg) => msg.clone(),
        _ if expected.is_empty() => format!("unexpected {found}"),
        _ => {
            let shown = if expected.len() > 8 { &expected[..8] } else { &expected[..] };
            let more = if expected.len() > 8 { ", …" } else { "" };
            format!("unexpected {found}, expected {}{more}", shown.join(", "))
        }
    };
    let label = if error.found().is_some() { "not expected here" } else { "the file ends here" };
    Diagnostic::error(D_SYNTAX, file, range, message).with_label(label)
}

/// What the parser reads besides the tokens, as its state: where each token is (spans
/// are token indices), and the diagnostics it reports on the side.
struct Cx<'a> {
    toks: &'a [Tok<'a>],
    side: Vec<Diagnostic>,
    file: FileId,
    eof: TextRange,
}

/// The parser's state, from a `map_with` closure.
fn cx_of<'a, 'b, E: ParseError<'a>>(e: &'b mut MapExtra<'a, '_, In<'a>, Ex<'a, E>>) -> &'b mut Cx<'a> {
    e.state()
}

/// The text range of what a `map_with` closure matched.
fn range_of<'a, E: ParseError<'a>>(e: &mut MapExtra<'a, '_, In<'a>, Ex<'a, E>>) -> TextRange {
    let span = e.span();
    e.state().range(span)
}

impl Cx<'_> {
    fn range(&self, span: SimpleSpan) -> TextRange {
        let start = self.toks.get(span.start).map_or(self.eof, |t| t.range);
        if span.end > span.start {
            let end = self.toks.get(span.end - 1).map_or(self.eof, |t| t.range);
            start.cover(end)
        } else {
            TextRange::empty(start.start())
        }
    }
}

fn tk<'a, E: ParseError<'a>>(
    kind: Kind,
    label: &'static str,
) -> impl Parser<'a, In<'a>, Tok<'a>, Ex<'a, E>> + Clone {
    any().filter(move |t: &Tok<'a>| t.kind == kind).labelled(label)
}

fn word<'a, E: ParseError<'a>>(
    text: &'static str,
    label: &'static str,
) -> impl Parser<'a, In<'a>, Tok<'a>, Ex<'a, E>> + Clone {
    any().filter(move |t: &Tok<'a>| t.kind == Kind::Ident && t.text == text).labelled(label)
}

fn text_of(tok: &Tok<'_>) -> Text {
    Text::new(tok.text, tok.range)
}

/// Decodes a JSON string token (quotes included); `None` for a malformed one.
pub(crate) fn decode_string(raw: &str) -> Option<String> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    if !inner.contains('\\') {
        return Some(inner.to_owned());
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            '"' => out.push('"'),
            '\\' => out.push('\\'),
            '/' => out.push('/'),
            'b' => out.push('\u{08}'),
            'f' => out.push('\u{0c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'u' => {
                let high = hex4(&mut chars)?;
                let code = if (0xD800..0xDC00).contains(&high) {
                    let rest = chars.as_str();
                    let low =
                        rest.strip_prefix("\\u").and_then(|r| u32::from_str_radix(r.get(..4)?, 16).ok());
                    match low {
                        Some(low) if (0xDC00..0xE000).contains(&low) => {
                            chars.nth(5);
                            0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                        }
                        _ => 0xFFFD,
                    }
                } else {
                    high
                };
                out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
            }
            _ => return None,
        }
    }
    Some(out)
}

fn hex4(chars: &mut std::str::Chars<'_>) -> Option<u32> {
    let digits: String = chars.take(4).collect();
    if digits.len() == 4 {
        u32::from_str_radix(&digits, 16).ok()
    } else {
        None
    }
}

/// Skips a broken item: at least one token, then balanced groups up to the next token at
/// depth 0 for which `stop` holds, or a closing bracket. Fails at once on a closer, the
/// end of the file, or a token for which `refuse` holds.
fn skip_item<'a, E: ParseError<'a>>(
    stop: fn(&Tok<'_>) -> bool,
    refuse: fn(&Tok<'_>) -> bool,
) -> impl Parser<'a, In<'a>, (), Ex<'a, E>> + Clone {
    custom(move |inp: &mut chumsky::input::InputRef<'a, '_, In<'a>, Ex<'a, E>>| {
        let before = inp.cursor();
        match inp.peek() {
            Some(t) if !is_closer(t.kind) && !refuse(&t) => {}
            _ => return Err(E::custom(inp.span_since(&before), "nothing to skip")),
        }
        let mut depth = 0usize;
        let mut first = true;
        while let Some(t) = inp.peek() {
            if depth == 0 && !first && (stop(&t) || is_closer(t.kind)) {
                break;
            }
            if depth == 0 && is_closer(t.kind) {
                break;
            }
            if is_opener(t.kind) {
                depth += 1;
            } else if is_closer(t.kind) {
                depth -= 1;
            }
            inp.skip();
            first = false;
        }
        Ok(())
    })
}

/// The words that start a clause inside a state body (also what editors highlight as
/// keywords there).
pub const CLAUSE_WORDS: &[&str] = &[
    "comment",
    "credentials",
    "input",
    "args",
    "each",
    "batch",
    "concurrency",
    "tolerate_percent",
    "tolerate_count",
    "label",
    "result",
    "timeout",
    "heartbeat",
    "select",
    "into",
    "output",
    "assign",
    "query",
    "branch",
    "process",
    "iterator",
    "reader",
    "writer",
    "retry",
    "catch",
    "use",
];

const HEADER_WORDS: &[&str] = &["query", "version", "timeout", "comment"];

fn starts_clause(t: &Tok<'_>) -> bool {
    matches!(t.kind, Kind::Raw | Kind::If | Kind::Else | Kind::Doc)
        || (t.kind == Kind::Ident && CLAUSE_WORDS.contains(&t.text))
        || t.kind.starts_statement()
}

fn starts_top_item(t: &Tok<'_>) -> bool {
    t.kind.starts_statement()
        || matches!(t.kind, Kind::Doc | Kind::Start | Kind::Raw)
        || (t.kind == Kind::Ident && HEADER_WORDS.contains(&t.text))
}

fn refuse_statement(t: &Tok<'_>) -> bool {
    t.kind.starts_statement()
}

fn refuse_nothing(_: &Tok<'_>) -> bool {
    false
}

fn value_parser<'a, E: ParseError<'a>>() -> P<'a, Value, E> {
    recursive(move |value| {
        let key = any()
            .filter(|t: &Tok<'a>| {
                matches!(t.kind, Kind::String | Kind::Ident | Kind::Error) || t.kind.is_keyword()
            })
            .labelled("a key")
            .map(|t: Tok<'a>| match t.kind {
                Kind::String => Text::new(decode_string(t.text).unwrap_or_default(), t.range),
                _ => text_of(&t),
            });
        let member = key
            .then_ignore(tk(Kind::Colon, "`:`"))
            .then(value.clone())
            .map(|(key, value)| Member { key, value })
            .boxed();
        let object = member
            .separated_by(tk(Kind::Comma, "`,`"))
            .allow_trailing()
            .collect::<Vec<_>>()
            .delimited_by(tk(Kind::LBrace, "`{`"), tk(Kind::RBrace, "`}`"))
            .map_with(move |members, e| Value { kind: ValueKind::Object(members), range: range_of(e) });
        let array = value
            .clone()
            .separated_by(tk(Kind::Comma, "`,`"))
            .allow_trailing()
            .collect::<Vec<_>>()
            .delimited_by(tk(Kind::LBracket, "`[`"), tk(Kind::RBracket, "`]`"))
            .map_with(move |items, e| Value { kind: ValueKind::Array(items), range: range_of(e) });
        let scalar = any()
            .filter(|t: &Tok<'a>| {
                matches!(
                    t.kind,
                    Kind::String
                        | Kind::Number
                        | Kind::True
                        | Kind::False
                        | Kind::Null
                        | Kind::Path
                        | Kind::Intrinsic
                        | Kind::Jsonata
                        | Kind::Error
                )
            })
            .map(|t: Tok<'a>| {
                let kind = match t.kind {
                    Kind::String => ValueKind::String(decode_string(t.text).unwrap_or_default()),
                    Kind::Number => ValueKind::Number(t.text.to_owned()),
                    Kind::True => ValueKind::Bool(true),
                    Kind::False => ValueKind::Bool(false),
                    Kind::Null => ValueKind::Null,
                    Kind::Path => ValueKind::Path(t.text.to_owned()),
                    Kind::Intrinsic => ValueKind::Intrinsic(t.text.to_owned()),
                    Kind::Jsonata => ValueKind::Jsonata(t.text.to_owned()),
                    _ => ValueKind::Error,
                };
                Value { kind, range: t.range }
            });
        choice((object, array, scalar)).labelled("a value").boxed()
    })
    .boxed()
}

fn name_parser<'a, E: ParseError<'a>>() -> P<'a, Text, E> {
    any()
        .filter(|t: &Tok<'a>| {
            matches!(t.kind, Kind::Ident | Kind::String | Kind::Error) || t.kind.is_keyword()
        })
        .labelled("a name")
        .map_with(|t: Tok<'a>, e| match t.kind {
            Kind::String => Text::new(decode_string(t.text).unwrap_or_default(), t.range),
            Kind::Ident | Kind::Error => text_of(&t),
            _ => {
                let cx = cx_of(e);
                cx.side.push(
                    Diagnostic::error(
                        D_KEYWORD_NAME,
                        cx.file,
                        t.range,
                        format!("`{}` is a keyword, not a name", t.text),
                    )
                    .with_label("a name is expected here")
                    .with_help(format!("quote the name: `\"{}\"`", t.text)),
                );
                text_of(&t)
            }
        })
        .boxed()
}

fn resource_parser<'a, E: ParseError<'a>>() -> P<'a, Resource, E> {
    let literal_word = any()
        .filter(|t: &Tok<'a>| t.kind == Kind::Ident && matches!(t.text, "lambda" | "activity" | "resource"))
        .map(|t: Tok<'a>| match t.text {
            "lambda" => LiteralWord::Lambda,
            "activity" => LiteralWord::Activity,
            _ => LiteralWord::Resource,
        });
    let literal = literal_word
        .then(tk(Kind::String, "a string"))
        .map(|(word, s)| ResourceKind::Literal { word, text: decode_string(s.text).unwrap_or_default() });
    let ident = tk(Kind::Ident, "a service name");
    let suffix = choice((
        word("sync", "`sync`")
            .then(tk(Kind::Colon, "`:`").ignore_then(tk(Kind::Number, "a number")).or_not())
            .map(|(_, n)| match n {
                Some(n) => format!("sync:{}", n.text),
                None => "sync".to_owned(),
            }),
        word("waitForTaskToken", "`waitForTaskToken`").to("waitForTaskToken".to_owned()),
    ));
    let service = word("sdk", "`sdk`")
        .or_not()
        .then(ident)
        .then_ignore(tk(Kind::Dot, "`.`"))
        .then(tk(Kind::Ident, "an action name"))
        .then(suffix.or_not())
        .map(|(((sdk, service), action), suffix)| ResourceKind::Service {
            sdk: sdk.is_some(),
            service: service.text.to_owned(),
            action: action.text.to_owned(),
            suffix,
        });
    choice((literal, service))
        .labelled("a resource")
        .map_with(move |kind, e| Resource { kind, range: range_of(e) })
        .boxed()
}

#[derive(Clone)]
enum TopItem {
    Doc(Text),
    InnerDoc(Text),
    Header(Header),
    Policy(Policy),
    State(Box<State>),
}

#[derive(Clone)]
enum BodyItem {
    Doc(Text),
    Clause(Clause),
    Rule(Rule),
    Else(Else),
    Block(BlockLine),
    State(State),
}

#[derive(Clone)]
enum BlockLine {
    Start(TextRange, Option<Text>),
    Raw(Value),
}

fn doc_text(tok: &Tok<'_>) -> Text {
    let body = tok.text.get(3..).unwrap_or("");
    let body = body.strip_suffix('\r').unwrap_or(body);
    let body = body.strip_prefix(' ').unwrap_or(body);
    Text::new(body, tok.range)
}

fn report_dangling(cx: &mut Cx<'_>, docs: &[Text]) {
    if let (Some(first), Some(last)) = (docs.first(), docs.last()) {
        cx.side.push(
            Diagnostic::warning(
                crate::rules::D_DOC_DANGLING,
                cx.file,
                first.range.cover(last.range),
                "this `///` comment documents nothing",
            )
            .with_label("no state, branch, rule, retry or catch follows")
            .with_help("use `//` for a plain comment"),
        );
    }
}

fn file_parser<'a, E: ParseError<'a>>() -> P<'a, File, E> {
    let value = value_parser();
    let name = name_parser();
    let resource = resource_parser();
    let object = value
        .clone()
        .filter(|v: &Value| matches!(v.kind, ValueKind::Object(_) | ValueKind::Error))
        .labelled("an object")
        .boxed();
    let doc = tk(Kind::Doc, "`///`").map(|t| doc_text(&t)).boxed();

    let qlang = choice((
        word("jsonpath", "`jsonpath`").map(|t| QueryLang::JsonPath(t.range)),
        word("jsonata", "`jsonata`").map(|t| QueryLang::Jsonata(t.range)),
        value.clone().map(QueryLang::Value),
    ))
    .boxed();

    let target_name = choice((tk(Kind::None, "`none`").to(None), name.clone().map(Some))).boxed();

    let errors = {
        let ename = choice((
            tk(Kind::String, "an error name")
                .map(|t| Text::new(decode_string(t.text).unwrap_or_default(), t.range)),
            tk(Kind::Ident, "an error name")
                .separated_by(tk(Kind::Dot, "`.`"))
                .at_least(1)
                .collect::<Vec<_>>()
                .map(|parts: Vec<Tok<'a>>| {
                    let text: Vec<&str> = parts.iter().map(|p| p.text).collect();
                    let range = parts[0].range.cover(parts[parts.len() - 1].range);
                    Text::new(text.join("."), range)
                }),
        ))
        .boxed();
        choice((
            ename
                .clone()
                .separated_by(tk(Kind::Comma, "`,`"))
                .allow_trailing()
                .collect::<Vec<_>>()
                .delimited_by(tk(Kind::LBracket, "`[`"), tk(Kind::RBracket, "`]`"))
                .map_with(move |names, e| Errors { names, list: true, range: range_of(e) }),
            ename.map(|n| Errors { range: n.range, names: vec![n], list: false }),
        ))
        .boxed()
    };

    let opt = |allowed: &'static [&'static str]| {
        any()
            .filter(move |t: &Tok<'a>| t.kind == Kind::Ident && allowed.contains(&t.text))
            .labelled("an option")
            .map(|t: Tok<'a>| {
                let o = match t.text {
                    "into" => Opt::Into,
                    "output" => Opt::Output,
                    _ => Opt::Assign,
                };
                (o, t.range)
            })
    };

    let retry = {
        let option = choice((
            word("jitter", "`jitter`")
                .then(choice((
                    word("full", "`full`")
                        .map(|t| Value { kind: ValueKind::String("FULL".into()), range: t.range }),
                    tk(Kind::None, "`none`")
                        .map(|t| Value { kind: ValueKind::String("NONE".into()), range: t.range }),
                    value.clone(),
                )))
                .map(|(w, v)| (RetryOption::Jitter, w.range, v)),
            any()
                .filter(|t: &Tok<'a>| {
                    t.kind == Kind::Ident
                        && matches!(t.text, "interval" | "attempts" | "backoff" | "max_delay")
                })
                .labelled("a retry option")
                .then(value.clone())
                .map(|(w, v)| {
                    let o = match w.text {
                        "interval" => RetryOption::Interval,
                        "attempts" => RetryOption::Attempts,
                        "backoff" => RetryOption::Backoff,
                        _ => RetryOption::MaxDelay,
                    };
                    (o, w.range, v)
                }),
        ));
        word("retry", "`retry`")
            .ignore_then(choice((
                tk(Kind::Raw, "`raw`").ignore_then(object.clone()).map(Retry::Raw),
                errors
                    .clone()
                    .then(option.repeated().collect::<Vec<_>>())
                    .map(|(errors, options)| Retry::Sugar { errors, options }),
            )))
            .boxed()
    };

    // A policy's `catch` names its handler with `goto` (dsl.md §6): a block's states would
    // be copied into every state that uses the policy. A block is read as a balanced group
    // and reported, and the catcher is left out.
    let policy_catch_target = choice((
        tk(Kind::Goto, "`goto`").ignore_then(name.clone()).map(|n| Some(Target::Goto(n))),
        tk(Kind::LBrace, "`{`")
            .then(custom(|inp: &mut chumsky::input::InputRef<'a, '_, In<'a>, Ex<'a, E>>| {
                let mut depth = 0usize;
                while let Some(t) = inp.peek() {
                    if is_opener(t.kind) {
                        depth += 1;
                    } else if is_closer(t.kind) {
                        if depth == 0 {
                            break;
                        }
                        depth -= 1;
                    }
                    inp.skip();
                }
                Ok(())
            }))
            .then(tk(Kind::RBrace, "`}`"))
            .map_with(|_, e| {
                let range = range_of(e);
                let cx = cx_of(e);
                cx.side.push(
                    Diagnostic::error(D_POLICY, cx.file, range, "a catch block inside a policy")
                        .with_label("a policy's `catch` names its handler with `goto`")
                        .with_help("move the handler states out of the policy and write `goto` with the first one's name")
                        .with_note("the catch targets of a policy resolve in the scope of each state that uses it"),
                );
                None
            }),
    ));

    let shared = (
        value.clone(),
        name.clone(),
        resource.clone(),
        object.clone(),
        doc.clone(),
        qlang.clone(),
        target_name.clone(),
        errors.clone(),
        retry.clone(),
    );
    let state = recursive(move |state: Recursive<dyn Parser<'a, In<'a>, State, Ex<'a, E>> + 'a>| {
        let (value, name, resource, object, doc, qlang, target_name, errors, retry) = shared;
        let block = {
            let line = choice((
                tk(Kind::Start, "`start`")
                    .then(target_name.clone())
                    .map(|(kw, n)| BodyItem::Block(BlockLine::Start(kw.range, n))),
                tk(Kind::Raw, "`raw`")
                    .ignore_then(object.clone())
                    .map(|v| BodyItem::Block(BlockLine::Raw(v))),
                doc.clone().map(BodyItem::Doc),
                state.clone().map(BodyItem::State),
            ))
            .map(Some)
            .recover_with(via_parser(
                skip_item(|t| t.kind.starts_statement() || t.kind == Kind::Doc, refuse_nothing).to(None),
            ));
            line.repeated()
                .collect::<Vec<_>>()
                .delimited_by(tk(Kind::LBrace, "`{`"), tk(Kind::RBrace, "`}`"))
                .map_with(move |items, e| {
                    let mut block = Block { range: range_of(e), ..Block::default() };
                    let mut docs = Vec::new();
                    for item in items.into_iter().flatten() {
                        match item {
                            BodyItem::Doc(d) => docs.push(d),
                            BodyItem::State(mut s) => {
                                s.docs.append(&mut docs);
                                block.states.push(s);
                            }
                            BodyItem::Block(BlockLine::Start(kw, n)) => {
                                report_dangling(cx_of(e), &std::mem::take(&mut docs));
                                block.start.push((kw, n));
                            }
                            BodyItem::Block(BlockLine::Raw(v)) => {
                                report_dangling(cx_of(e), &std::mem::take(&mut docs));
                                block.raw.push(v);
                            }
                            _ => {}
                        }
                    }
                    report_dangling(cx_of(e), &docs);
                    block
                })
                .boxed()
        };

        let target = choice((
            tk(Kind::Goto, "`goto`").ignore_then(name.clone()).map(Target::Goto),
            block.clone().map(Target::Block),
        ))
        .boxed();

        let catch = word("catch", "`catch`")
            .ignore_then(choice((
                tk(Kind::Raw, "`raw`").ignore_then(object.clone()).map(Catch::Raw),
                errors
                    .clone()
                    .then(
                        opt(&["into", "output", "assign"])
                            .then(value.clone())
                            .map(|((o, r), v)| (o, r, v))
                            .repeated()
                            .collect::<Vec<_>>(),
                    )
                    .then(target.clone())
                    .map(|((errors, options), target)| Catch::Sugar { errors, options, target }),
            )))
            .boxed();

        let io = choice((
            word("config", "`config`").then(value.clone()).map(|(w, v)| (0u8, w.range, v)),
            word("args", "`args`").then(value.clone()).map(|(w, v)| (1u8, w.range, v)),
            tk(Kind::Raw, "`raw`").then(object.clone()).map(|(w, v)| (2u8, w.range, v)),
        ))
        .repeated()
        .collect::<Vec<_>>()
        .delimited_by(tk(Kind::LBrace, "`{`"), tk(Kind::RBrace, "`}`"))
        .map(|items| {
            let mut io = Io::default();
            for (which, range, v) in items {
                match which {
                    0 => io.config.push((range, v)),
                    1 => io.args.push((range, v)),
                    _ => io.raw.push(v),
                }
            }
            io
        })
        .boxed();

        let value_clause = any()
            .filter(|t: &Tok<'a>| t.kind == Kind::Ident && Word::from_text(t.text).is_some())
            .labelled("a clause")
            .then(value.clone())
            .map(|(w, v)| (ClauseKind::Value(Word::from_text(w.text).unwrap_or(Word::Comment), v), w.range));
        let clause = choice((
            word("query", "a clause").then(qlang.clone()).map(|(w, q)| (ClauseKind::Query(q), w.range)),
            word("branch", "a clause").then(block.clone()).map(|(w, b)| (ClauseKind::Branch(b), w.range)),
            any()
                .filter(|t: &Tok<'a>| t.kind == Kind::Ident && matches!(t.text, "process" | "iterator"))
                .labelled("a clause")
                .then(
                    any()
                        .filter(|t: &Tok<'a>| {
                            t.kind == Kind::Ident
                                && matches!(t.text, "inline" | "distributed" | "standard" | "express")
                        })
                        .labelled("a processor mode")
                        .map(|t| text_of(&t))
                        .repeated()
                        .collect::<Vec<_>>(),
                )
                .then(block.clone())
                .map(|((w, modes), block)| {
                    (ClauseKind::Process { iterator: w.text == "iterator", modes, block }, w.range)
                }),
            word("reader", "a clause")
                .then(resource.clone())
                .then(io.clone().or_not())
                .map(|((w, r), io)| (ClauseKind::Reader(r, io), w.range)),
            word("writer", "a clause")
                .then(resource.clone().or_not())
                .then(io.clone().or_not())
                .map(|((w, r), io)| (ClauseKind::Writer(r, io), w.range)),
            word("retry", "a clause")
                .rewind()
                .then(retry.clone())
                .map(|(w, r)| (ClauseKind::Retry(r), w.range)),
            word("catch", "a clause")
                .rewind()
                .then(catch.clone())
                .map(|(w, c)| (ClauseKind::Catch(c), w.range)),
            word("use", "a clause")
                .then(tk(Kind::Ident, "a policy name"))
                .map(|(w, p)| (ClauseKind::Use(text_of(&p)), w.range)),
            tk(Kind::Raw, "a clause").then(object.clone()).map(|(w, v)| (ClauseKind::Raw(v), w.range)),
            value_clause,
        ))
        .map_with(move |(kind, word_range), e| Clause {
            docs: Vec::new(),
            kind,
            word_range,
            range: range_of(e),
        })
        .boxed();

        // Conditions.
        let cond = recursive(|cond: Recursive<dyn Parser<'a, In<'a>, Cond, Ex<'a, E>> + 'a>| {
            let type_word = any()
                .filter(|t: &Tok<'a>| t.kind == Kind::Ident && TypeWord::from_text(t.text).is_some())
                .map(|t| TypeWord::from_text(t.text).unwrap_or(TypeWord::String));
            let path = tk(Kind::Path, "a path").map(|t| text_of(&t));
            let op = any()
                .filter(|t: &Tok<'a>| {
                    matches!(t.kind, Kind::EqEq | Kind::NotEq | Kind::Lt | Kind::LtEq | Kind::Gt | Kind::GtEq)
                        || (t.kind == Kind::Ident && t.text == "matches")
                })
                .labelled("a comparison operator")
                .map(|t: Tok<'a>| match t.kind {
                    Kind::EqEq => CmpOp::Eq,
                    Kind::NotEq => CmpOp::Ne,
                    Kind::Lt => CmpOp::Lt,
                    Kind::LtEq => CmpOp::Le,
                    Kind::Gt => CmpOp::Gt,
                    Kind::GtEq => CmpOp::Ge,
                    _ => CmpOp::Matches,
                });
            let operand = value
                .clone()
                .filter(|v: &Value| {
                    !matches!(v.kind, ValueKind::Object(_) | ValueKind::Array(_) | ValueKind::Jsonata(_))
                })
                .labelled("an operand");
            let compare =
                type_word.or_not().then(path.clone()).then(op).then(operand).map(
                    |(((type_word, path), op), operand)| CondKind::Compare { type_word, path, op, operand },
                );
            let test = any()
                .filter(|t: &Tok<'a>| {
                    t.kind == Kind::Null
                        || (t.kind == Kind::Ident && IsTest::ALL.iter().any(|x| x.as_str() == t.text))
                })
                .labelled("`present`, `null` or a type")
                .map(|t| IsTest::ALL.into_iter().find(|x| x.as_str() == t.text).unwrap_or(IsTest::Null));
            let is = path
                .then_ignore(word("is", "`is`"))
                .then(tk(Kind::Not, "`not`").or_not())
                .then(test)
                .map(|((path, not), test)| CondKind::Is { path, negated: not.is_some(), test });
            let group = any()
                .filter(|t: &Tok<'a>| t.kind == Kind::Ident && matches!(t.text, "all" | "any"))
                .then(
                    cond.clone()
                        .separated_by(tk(Kind::Comma, "`,`"))
                        .collect::<Vec<_>>()
                        .delimited_by(tk(Kind::LParen, "`(`"), tk(Kind::RParen, "`)`")),
                )
                .map(|(w, items)| if w.text == "all" { CondKind::And(items) } else { CondKind::Or(items) });
            let literal = any()
                .filter(|t: &Tok<'a>| {
                    matches!(t.kind, Kind::Jsonata | Kind::String | Kind::Number | Kind::True | Kind::False)
                })
                .labelled("a condition")
                .map(|t: Tok<'a>| {
                    let kind = match t.kind {
                        Kind::Jsonata => ValueKind::Jsonata(t.text.to_owned()),
                        Kind::String => ValueKind::String(decode_string(t.text).unwrap_or_default()),
                        Kind::Number => ValueKind::Number(t.text.to_owned()),
                        Kind::True => ValueKind::Bool(true),
                        _ => ValueKind::Bool(false),
                    };
                    CondKind::Literal(Value { kind, range: t.range })
                });
            let atom = choice((
                cond.clone()
                    .delimited_by(tk(Kind::LParen, "`(`"), tk(Kind::RParen, "`)`"))
                    .map(|c: Cond| c.kind),
                group,
                is,
                compare,
                literal,
            ))
            .labelled("a condition")
            .map_with(move |kind, e| Cond { kind, range: range_of(e) })
            .boxed();
            let neg = recursive(|neg: Recursive<dyn Parser<'a, In<'a>, Cond, Ex<'a, E>> + 'a>| {
                choice((
                    tk(Kind::Not, "`not`")
                        .ignore_then(neg)
                        .map_with(move |c, e| Cond { kind: CondKind::Not(Box::new(c)), range: range_of(e) }),
                    atom,
                ))
            });
            let chain = |op: Kind, label: &'static str, inner: P<'a, Cond, E>, and: bool| {
                inner
                    .separated_by(tk(op, label))
                    .at_least(1)
                    .collect::<Vec<_>>()
                    .map_with(move |mut items: Vec<Cond>, e| {
                        if items.len() == 1 {
                            items.pop().unwrap_or(Cond {
                                kind: CondKind::And(Vec::new()),
                                range: TextRange::default(),
                            })
                        } else {
                            let kind = if and { CondKind::And(items) } else { CondKind::Or(items) };
                            Cond { kind, range: range_of(e) }
                        }
                    })
                    .boxed()
            };
            let conj = chain(Kind::And, "`and`", neg.boxed(), true);
            chain(Kind::Or, "`or`", conj, false)
        })
        .boxed();

        let rule_body = choice((
            tk(Kind::Raw, "`raw`").ignore_then(object.clone()).map(RuleKind::Raw),
            cond.then(
                opt(&["assign", "output"])
                    .then(value.clone())
                    .map(|((o, r), v)| (o, r, v))
                    .repeated()
                    .collect::<Vec<_>>(),
            )
            .then(target.clone())
            .map(|((cond, options), target)| RuleKind::Sugar { cond, options, target }),
        ))
        .boxed();
        let rule = tk(Kind::Else, "`else`")
            .or_not()
            .then(tk(Kind::If, "`if`"))
            .then(rule_body)
            .map_with(move |((else_kw, if_kw), kind), e| Rule {
                docs: Vec::new(),
                else_if: else_kw.is_some(),
                kind,
                range: range_of(e),
                if_range: if_kw.range,
            })
            .boxed();
        let else_ = tk(Kind::Else, "`else`")
            .ignore_then(choice((
                tk(Kind::Goto, "`goto`").ignore_then(name.clone()).map(ElseKind::Goto),
                tk(Kind::None, "`none`").to(ElseKind::None),
                block.clone().map(ElseKind::Block),
            )))
            .map_with(move |kind, e| Else { kind, range: range_of(e) })
            .boxed();

        let body_item = choice((
            doc.clone().map(BodyItem::Doc),
            rule.map(BodyItem::Rule),
            else_.map(BodyItem::Else),
            clause.clone().map(BodyItem::Clause),
        ))
        .map(Some)
        .recover_with(via_parser(skip_item(starts_clause, refuse_statement).to(None)))
        .boxed();
        let body = body_item
            .repeated()
            .collect::<Vec<_>>()
            .delimited_by(tk(Kind::LBrace, "`{`"), tk(Kind::RBrace, "`}`"))
            .map_with(move |items, e| {
                let mut body = Body { range: range_of(e), ..Body::default() };
                let mut docs = Vec::new();
                for item in items.into_iter().flatten() {
                    match item {
                        BodyItem::Doc(d) => docs.push(d),
                        BodyItem::Clause(mut c) => {
                            if matches!(
                                c.kind,
                                ClauseKind::Retry(_)
                                    | ClauseKind::Catch(_)
                                    | ClauseKind::Branch(_)
                                    | ClauseKind::Process { .. }
                            ) {
                                c.docs.append(&mut docs);
                            } else {
                                report_dangling(cx_of(e), &std::mem::take(&mut docs));
                            }
                            body.clauses.push(c);
                        }
                        BodyItem::Rule(mut r) => {
                            r.docs.append(&mut docs);
                            body.rules.push(r);
                        }
                        BodyItem::Else(els) => {
                            report_dangling(cx_of(e), &std::mem::take(&mut docs));
                            if body.else_.is_none() {
                                body.else_ = Some(els);
                            } else {
                                let cx = cx_of(e);
                                cx.side.push(
                                    Diagnostic::error(
                                        crate::rules::D_PLACEMENT,
                                        cx.file,
                                        els.range,
                                        "a second `else` in a choice",
                                    )
                                    .with_label("this choice already has an `else`")
                                    .with_help("remove one of the two"),
                                );
                            }
                        }
                        _ => {}
                    }
                }
                report_dangling(cx_of(e), &docs);
                body
            })
            .boxed();

        let trans = choice((
            tk(Kind::Goto, "`goto`").then(target_name.clone()).map(|(_, n)| match n {
                Some(n) => TransKind::Goto(n),
                None => TransKind::None,
            }),
            tk(Kind::End, "`end`").to(TransKind::End),
        ))
        .map_with(move |kind, e| Trans { kind, range: range_of(e) })
        .boxed();

        let head = choice((
            tk(Kind::Task, "a state")
                .then(name.clone())
                .then(resource.clone())
                .map(|((k, n), r)| (k, n, Head::Task(r))),
            tk(Kind::Pass, "a state").then(name.clone()).map(|(k, n)| (k, n, Head::Pass)),
            tk(Kind::Wait, "a state")
                .then(name.clone())
                .then(
                    any()
                        .filter(|t: &Tok<'a>| t.kind == Kind::Ident && matches!(t.text, "seconds" | "until"))
                        .labelled("`seconds` or `until`")
                        .then(value.clone())
                        .map(|(w, v)| {
                            (if w.text == "seconds" { WaitWord::Seconds } else { WaitWord::Until }, v)
                        })
                        .or_not(),
                )
                .map(|((k, n), op)| (k, n, Head::Wait(op))),
            tk(Kind::Choice, "a state").then(name.clone()).map(|(k, n)| (k, n, Head::Choice)),
            tk(Kind::Parallel, "a state").then(name.clone()).map(|(k, n)| (k, n, Head::Parallel)),
            tk(Kind::Map, "a state")
                .then(name.clone())
                .then(word("over", "`over`").ignore_then(value.clone()).or_not())
                .map(|((k, n), over)| (k, n, Head::Map(over))),
            tk(Kind::Succeed, "a state").then(name.clone()).map(|(k, n)| (k, n, Head::Succeed)),
            tk(Kind::Fail, "a state")
                .then(name.clone())
                .then(
                    any()
                        .filter(|t: &Tok<'a>| t.kind == Kind::Ident && matches!(t.text, "error" | "cause"))
                        .labelled("`error` or `cause`")
                        .then(value.clone())
                        .map(|(w, v)| (if w.text == "error" { FailWord::Error } else { FailWord::Cause }, v))
                        .repeated()
                        .collect::<Vec<_>>(),
                )
                .map(|((k, n), ops)| (k, n, Head::Fail(ops))),
            tk(Kind::State, "a state")
                .then(name.clone())
                .then(value.clone())
                .map(|((k, n), v)| (k, n, Head::Raw(v))),
        ))
        .boxed();

        head.then(body.or_not())
            .then(trans.or_not())
            .map_with(move |(((kw, name, head), body), trans), e| State {
                docs: Vec::new(),
                head,
                name,
                body,
                trans,
                keyword_range: kw.range,
                range: range_of(e),
            })
            .boxed()
    })
    .boxed();

    let header = choice((
        word("query", "a header line").then(qlang.clone()).map(|(w, q)| (w.range, HeaderKind::Query(q))),
        word("version", "a header line").then(value.clone()).map(|(w, v)| (w.range, HeaderKind::Version(v))),
        word("timeout", "a header line").then(value.clone()).map(|(w, v)| (w.range, HeaderKind::Timeout(v))),
        word("comment", "a header line").then(value.clone()).map(|(w, v)| (w.range, HeaderKind::Comment(v))),
        tk(Kind::Start, "a header line")
            .then(target_name.clone())
            .map(|(w, n)| (w.range, HeaderKind::Start(n))),
        tk(Kind::Raw, "a header line").then(object.clone()).map(|(w, v)| (w.range, HeaderKind::Raw(v))),
    ))
    .map_with(move |(word_range, kind), e| Header { kind, range: range_of(e), word_range })
    .boxed();

    let policy_item = choice((
        doc.clone().map(|d| (Some(d), None)),
        choice((
            retry.clone().map(|r| Some(ClauseKind::Retry(r))),
            word("catch", "`catch`")
                .ignore_then(choice((
                    tk(Kind::Raw, "`raw`").ignore_then(object.clone()).map(|v| Some(Catch::Raw(v))),
                    errors
                        .clone()
                        .then(
                            opt(&["into", "output", "assign"])
                                .then(value.clone())
                                .map(|((o, r), v)| (o, r, v))
                                .repeated()
                                .collect::<Vec<_>>(),
                        )
                        .then(policy_catch_target)
                        .map(|((errors, options), target)| {
                            target.map(|target| Catch::Sugar { errors, options, target })
                        }),
                )))
                .map(|c| c.map(ClauseKind::Catch)),
            word("use", "`use`")
                .ignore_then(tk(Kind::Ident, "a policy name"))
                .map(|p| Some(ClauseKind::Use(text_of(&p)))),
        ))
        .map_with(move |kind, e| {
            let range = range_of(e);
            let clause = kind.map(|kind| Clause {
                docs: Vec::new(),
                kind,
                word_range: TextRange::new(range.start(), range.start()),
                range,
            });
            (None, clause)
        }),
    ))
    .map(Some)
    .recover_with(via_parser(skip_item(starts_clause, refuse_statement).to(None)))
    .boxed();
    let policy = tk(Kind::Policy, "a policy")
        .ignore_then(tk(Kind::Ident, "a policy name"))
        .then(
            policy_item
                .repeated()
                .collect::<Vec<_>>()
                .delimited_by(tk(Kind::LBrace, "`{`"), tk(Kind::RBrace, "`}`")),
        )
        .map_with(move |(name, items), e| {
            let mut docs = Vec::new();
            let mut clauses = Vec::new();
            for (d, c) in items.into_iter().flatten() {
                if let Some(d) = d {
                    docs.push(d);
                }
                if let Some(mut c) = c {
                    c.docs.append(&mut docs);
                    c.word_range = TextRange::new(c.range.start(), c.range.start() + 5);
                    clauses.push(c);
                }
            }
            report_dangling(cx_of(e), &docs);
            Policy { name: text_of(&name), items: clauses, range: range_of(e) }
        })
        .boxed();

    let top_item = choice((
        tk(Kind::InnerDoc, "`//!`").map(|t| {
            let mut text = doc_text(&t);
            text.text = t.text.get(3..).unwrap_or("").trim_end_matches('\r').to_owned();
            text.text = text.text.strip_prefix(' ').map(str::to_owned).unwrap_or(text.text);
            TopItem::InnerDoc(text)
        }),
        doc.map(TopItem::Doc),
        header.map(TopItem::Header),
        policy.map(TopItem::Policy),
        state.map(|s| TopItem::State(Box::new(s))),
    ))
    .map(Some)
    .recover_with(via_parser(skip_item(starts_top_item, refuse_nothing).to(None)))
    .boxed();

    top_item
        .repeated()
        .collect::<Vec<_>>()
        .then_ignore(end().labelled("a state"))
        .map_with(|items, e| {
            let mut file = File::default();
            let mut docs = Vec::new();
            for item in items.into_iter().flatten() {
                match item {
                    TopItem::InnerDoc(d) => {
                        if file.headers.is_empty()
                            && file.policies.is_empty()
                            && file.states.is_empty()
                            && docs.is_empty()
                        {
                            file.inner_docs.push(d);
                        } else {
                            let cx = cx_of(e);
                            cx.side.push(
                                Diagnostic::error(
                                    crate::rules::D_PLACEMENT,
                                    cx.file,
                                    d.range,
                                    "a `//!` line after the top of the file",
                                )
                                .with_label("`//!` lines document the machine and come first")
                                .with_help("move it to the top of the file, or use `//`"),
                            );
                        }
                    }
                    TopItem::Doc(d) => docs.push(d),
                    TopItem::Header(h) => {
                        report_dangling(cx_of(e), &std::mem::take(&mut docs));
                        file.headers.push(h);
                    }
                    TopItem::Policy(p) => {
                        report_dangling(cx_of(e), &std::mem::take(&mut docs));
                        file.policies.push(p);
                    }
                    TopItem::State(mut s) => {
                        s.docs.append(&mut docs);
                        file.states.push(*s);
                    }
                }
            }
            report_dangling(cx_of(e), &docs);
            file
        })
        .boxed()
}
