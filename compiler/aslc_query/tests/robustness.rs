//! Bad input never panics: thousands of generated texts go through every parser and check,
//! and every reported range must lie inside the text on character boundaries.

use aslc_query::{intrinsic, jsonata, jsonpath, timestamp, QueryError};
use aslc_source::TextRange;

/// A small deterministic generator (64-bit LCG), so failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() as usize) % items.len()]
    }
}

/// Fragments that exercise the grammars: operators, quotes, escapes, brackets, keywords and
/// multi-byte characters.
const PIECES: &[&str] = &[
    "$",
    "$$",
    "$.",
    "..",
    ".",
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    "'",
    "\"",
    "\\",
    "\\u",
    "\\'",
    ",",
    ":",
    ";",
    "?",
    "?(",
    "@",
    "#",
    "%",
    "*",
    "**",
    "/",
    "/*",
    "*/",
    "=",
    "==",
    "!=",
    "<",
    ">",
    "&",
    "|",
    "~>",
    ":=",
    "^(",
    "-",
    "+",
    " ",
    "\t",
    "\n",
    "a",
    "b1",
    "States.",
    "Format",
    "Array",
    "function",
    "λ",
    "($x)",
    "true",
    "null",
    "in",
    "and",
    "0",
    "12",
    "1.5",
    "1e5",
    "-3",
    "é",
    "😀",
    "`",
    "{%",
    "%}",
    "T",
    "Z",
    "2016-03-14",
    "T01:59:00",
    "+01:00",
    ".5",
    "length()",
    "[?(@.x > 1)]",
    "[-1:]",
    "['a', 'b']",
    "$states",
    "input",
];

fn within(range: TextRange, text: &str) -> bool {
    let (start, end) = (range.start() as usize, range.end() as usize);
    start <= end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end)
}

fn check_error(err: &QueryError, text: &str) {
    assert!(within(err.range, text), "range {:?} outside {text:?}: {err}", err.range);
    assert!(!err.message.is_empty() && !err.message.ends_with('.'), "{text:?}: {err}");
}

fn exercise(text: &str) {
    match jsonpath::parse_path(text) {
        Ok(path) => {
            assert!(within(path.range, text), "{text:?}");
            for err in jsonpath::lint_path(&path) {
                check_error(&err, text);
            }
            let _ = (path.is_definite(), path.is_reference_path(), path.to_string());
        }
        Err(err) => check_error(&err, text),
    }
    match intrinsic::parse_intrinsic(text) {
        Ok(call) => {
            assert!(within(call.range, text), "{text:?}");
            for err in intrinsic::check_call(&call).iter().chain(&intrinsic::lint_call(&call)) {
                check_error(err, text);
            }
        }
        Err(err) => check_error(&err, text),
    }
    match jsonata::parse_jsonata(text) {
        Ok(expr) => {
            assert!(within(expr.range, text), "{text:?}");
            for err in jsonata::check_jsonata(&expr, jsonata::JsonataContext::default()) {
                check_error(&err, text);
            }
            let _ = jsonata::variable_references(&expr);
        }
        Err(err) => {
            check_error(&err.to_query_error(), text);
            assert!(!err.jsonata_message().is_empty());
        }
    }
    if let Some(template) = jsonata::jsonata_template(text) {
        if let Err(err) = template.parse(text) {
            check_error(&err.to_query_error(), text);
        }
    }
    if let Err(err) = timestamp::parse_timestamp(text) {
        assert!(within(err.range, text), "{text:?}");
    }
}

#[test]
fn generated_texts_never_panic() {
    let mut rng = Lcg(0x5eed);
    for _ in 0..20_000 {
        let len = 1 + rng.next() % 12;
        let text: String = (0..len).map(|_| rng.pick(PIECES)).collect();
        exercise(&text);
    }
}

#[test]
fn prefixes_of_valid_texts_never_panic() {
    let valid = [
        "$.order.items[?(@.price >= 10 && @.tags anyof ['a'])].name",
        "States.Format('{} \\{x\\}', States.ArrayGetItem(States.StringSplit($.a, ','), 0))",
        "$map($states.input.items, function($v, $i) { $v.price * (1 + $i) })[0]",
        "Account.Order.Product{`Product Name`: $sum(Price * Quantity)}^(>$)",
        "($x := [1..5]; $x#$i[$i > 1].$string() ~> $join(', '))",
        "a.b.%.c@$o.d[%.e = 'x']",
        "2016-03-05T21:29:29.243167252+01:30",
        "{% $states.context.Execution.Id & \"\\u00e9\" %}",
    ];
    for text in valid {
        for (at, _) in text.char_indices() {
            exercise(&text[..at]);
            exercise(&text[at..]);
        }
    }
}
