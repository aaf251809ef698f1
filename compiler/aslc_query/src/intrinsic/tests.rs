//! Table-driven tests of the intrinsic reader and checks.

use super::*;

/// A compact rendering of a call, for expectations.
fn render(call: &Call) -> String {
    let args: Vec<String> = call.args.iter().map(|arg| render_arg(&arg.kind)).collect();
    format!("{}({})", call.name, args.join(", "))
}

fn render_arg(kind: &ArgKind) -> String {
    match kind {
        ArgKind::String(s) => format!("{:?}", &*s.value),
        ArgKind::Number { text, .. } => format!("#{text}"),
        ArgKind::Bool(b) => b.to_string(),
        ArgKind::Null => "null".to_owned(),
        ArgKind::Path(path) => path.to_string(),
        ArgKind::Call(call) => render(call),
    }
}

const NINE_DEEP: &str = "States.Format('{}.{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))";

#[test]
fn valid_calls() {
    let cases: &[(&str, &str)] = &[
        ("States.UUID()", "UUID()"),
        ("States.Array()", "Array()"),
        ("States.Array( )", "Array()"),
        ("States.Format('Hello, my name is {}.', $.name)", r#"Format("Hello, my name is {}.", $['name'])"#),
        ("States.Array('Foo', 2022, $.someJson, null)", r#"Array("Foo", #2022, $['someJson'], null)"#),
        ("States.Array(true,false,-1.5,0)", "Array(true, false, #-1.5, #0)"),
        ("States.Array(1e3)", "Array(#1e3)"),
        ("States.MathAdd($$.Map.Item.Index, 1)", "MathAdd($$['Map']['Item']['Index'], #1)"),
        ("States.Format('{}', $var.x[0])", r#"Format("{}", $var['x'][0])"#),
        ("States.JsonToString($)", "JsonToString($)"),
        ("States.Array($, $$)", "Array($, $$)"),
        ("States.Array($.a[?(@.b == ',')], $.c)", "Array($['a'][?], $['c'])"),
        ("States.Array($.a['x, y'])", "Array($['a']['x, y'])"),
        ("States.Array(\t$.a\t,\t1\t)", "Array($['a'], #1)"),
        (r"States.Format('\{{}\}', 'x')", r#"Format("{{}}", "x")"#),
        (r"States.Format('it\'s \\ ok')", r#"Format("it's \\ ok")"#),
        (r#"States.StringToJson('{"a": "false"}')"#, r#"StringToJson("{\"a\": \"false\"}")"#),
        ("States.StringSplit('Hello\nWorld', '\n')", r#"StringSplit("Hello\nWorld", "\n")"#),
        ("States.Xyz(1)", "Xyz(#1)"),
        ("States.Hash($.x, 'SHA-256')", r#"Hash($['x'], "SHA-256")"#),
        ("States.Array(States.Array(States.UUID()))", "Array(Array(UUID()))"),
    ];
    for &(text, expected) in cases {
        let call = parse_intrinsic(text).unwrap_or_else(|err| panic!("{text}: {err}"));
        assert_eq!(render(&call), expected, "{text}");
        assert_eq!(call.range, aslc_source::TextRange::from_usize(0, text.len()), "{text}");
    }
    let call = parse_intrinsic(NINE_DEEP).unwrap();
    assert_eq!(call.depth(), 5);
    assert!(check_call(&call).is_empty());
}

#[test]
fn invalid_calls() {
    // (text, rule, range)
    let cases: &[(&str, &str, (u32, u32))] = &[
        ("", "I-SYNTAX", (0, 0)),
        (" States.Array($.a)", "I-SYNTAX", (0, 1)),
        ("States.", "I-SYNTAX", (7, 7)),
        ("States.Array", "I-SYNTAX", (12, 12)),
        ("States.Array(", "I-SYNTAX", (13, 13)),
        ("States.Array(1", "I-SYNTAX", (12, 13)),
        ("States.Array(1,)", "I-SYNTAX", (15, 16)),
        ("States.Array(,1)", "I-SYNTAX", (13, 14)),
        ("States.Array(1 2)", "I-SYNTAX", (15, 16)),
        ("States.Array(\"x\")", "I-SYNTAX", (13, 14)),
        ("States.Array(foo)", "I-SYNTAX", (13, 16)),
        ("States.Array(True)", "I-SYNTAX", (13, 17)),
        ("States.Array(1.)", "I-SYNTAX", (13, 15)),
        ("States.Array(1x)", "I-SYNTAX", (13, 15)),
        ("States.Array(-)", "I-SYNTAX", (13, 14)),
        ("States.Array('abc", "I-SYNTAX", (13, 17)),
        ("States.Array($.)", "P-SYNTAX", (15, 16)),
        ("States.Array($$23)", "P-CONTEXT-PREFIX", (13, 16)),
        ("States.StringSplit($.a, ',')[0]", "I-SYNTAX", (28, 31)),
        ("States.Array(1) x", "I-SYNTAX", (16, 17)),
        ("States.Array(1) + 1", "I-SYNTAX", (16, 19)),
        // The two recorded AWS refusals (conformance `illegal_escapes`): `\"` inside a literal.
        (r#"States.StringToJson('{"text":"An \"escaped double quote\" here"}')"#, "I-ESCAPE", (33, 35)),
        (r#"States.Format('He said, \"Hello, {}!\"', 'Test \"Name\" Here')"#, "I-ESCAPE", (24, 26)),
        (r"States.Format('a\nb')", "I-ESCAPE", (16, 18)),
        ("States.Format('a\\", "I-ESCAPE", (16, 17)),
    ];
    for &(text, rule, (start, end)) in cases {
        let err = parse_intrinsic(text).expect_err(text);
        assert_eq!(err.rule, rule, "{text}: {err}");
        assert_eq!((err.range.start(), err.range.end()), (start, end), "{text}: {err}");
    }
}

#[test]
fn trailing_whitespace() {
    let call = parse_intrinsic("States.UUID() ").unwrap();
    assert_eq!(call.trailing_whitespace, Some(aslc_source::TextRange::new(13, 14)));
    assert_eq!(call.range, aslc_source::TextRange::new(0, 13));
}

#[test]
fn nesting_is_bounded() {
    let deep = |n: usize| format!("{}1{}", "States.Array(".repeat(n), ")".repeat(n));
    let ten = parse_intrinsic(&deep(10)).unwrap();
    assert!(check_call(&ten).is_empty());
    let eleven = parse_intrinsic(&deep(11)).unwrap();
    assert_eq!(check_call(&eleven).iter().map(|e| e.rule).collect::<Vec<_>>(), ["I-NESTING"]);
    let err = parse_intrinsic(&deep(MAX_PARSE_NESTING + 1)).expect_err("too deep to read");
    assert_eq!(err.rule, "I-NESTING");
    parse_intrinsic(&deep(MAX_PARSE_NESTING)).expect("at the bound");
}

#[test]
fn placeholders() {
    let cases: &[(&str, &[&str])] = &[
        ("'{}'", &["", ""]),
        ("'a {} b {}'", &["a ", " b ", ""]),
        (r"'\{}'", &["{}"]),
        (r"'{\}'", &["{}"]),
        (r"'\{{}\}'", &["{", "}"]),
        ("'{ }'", &["{ }"]),
        ("'{{}}'", &["{", "}"]),
    ];
    for &(literal, pieces) in cases {
        let call = parse_intrinsic(&format!("States.Format({literal})")).unwrap();
        let ArgKind::String(lit) = &call.args[0].kind else { panic!("{literal}: not a string") };
        assert_eq!(lit.format_pieces(), pieces, "{literal}");
    }
}

#[test]
fn checks() {
    let cases: &[(&str, &[&str])] = &[
        ("States.Format('{}', $.a)", &[]),
        ("States.Format($.template, $.a)", &[]),
        ("States.Format()", &["I-ARITY"]),
        ("States.Format(1)", &["I-LITERAL-TYPE"]),
        ("States.UUID(1)", &["I-ARITY"]),
        ("States.MathAdd(1)", &["I-ARITY"]),
        ("States.MathAdd(1, 2, 3)", &["I-ARITY"]),
        ("States.MathAdd('1', 2)", &["I-LITERAL-TYPE"]),
        ("States.MathAdd(1.5, -2)", &[]),
        ("States.MathRandom(1, 10)", &[]),
        ("States.MathRandom(1, 10, 2.5)", &["I-LITERAL-TYPE"]),
        ("States.MathRandom(1)", &["I-ARITY"]),
        ("States.ArrayLength('x')", &["I-LITERAL-TYPE"]),
        ("States.ArrayLength($.x)", &[]),
        ("States.ArrayLength(States.Array(1))", &[]),
        ("States.ArrayGetItem($.a, -1)", &["I-LITERAL-TYPE"]),
        ("States.ArrayGetItem($.a, 1.0)", &[]),
        ("States.ArrayPartition($.a, 0)", &["I-LITERAL-TYPE"]),
        ("States.ArrayRange(0, 10, 'x')", &["I-LITERAL-TYPE"]),
        ("States.Hash($.x, 'MD4')", &["I-LITERAL-TYPE"]),
        ("States.Hash($.x, 'SHA-512')", &[]),
        ("States.Hash(1, 'MD5')", &["I-LITERAL-TYPE"]),
        ("States.JsonMerge($.a, $.b, true)", &["I-LITERAL-TYPE"]),
        ("States.JsonMerge($.a, $.b, false)", &[]),
        ("States.JsonMerge($.a, null, false)", &["I-LITERAL-TYPE"]),
        ("States.JsonToString('x')", &["I-JSONTOSTRING-PATH"]),
        ("States.JsonToString($.x)", &[]),
        ("States.StringToJson(null)", &["I-LITERAL-TYPE"]),
        ("States.Xyz()", &["I-KNOWN"]),
        ("States.format('x')", &["I-KNOWN"]),
        ("States.Default($.a)", &["I-KNOWN"]),
        ("States.Array(States.Nope(), States.MathAdd(1))", &["I-KNOWN", "I-ARITY"]),
    ];
    for &(text, rules) in cases {
        let call = parse_intrinsic(text).unwrap_or_else(|err| panic!("{text}: {err}"));
        let got: Vec<&str> = check_call(&call).iter().map(|e| e.rule).collect();
        assert_eq!(got, rules, "{text}");
    }
    let call = parse_intrinsic("States.format('x')").unwrap();
    assert_eq!(check_call(&call)[0].help.as_deref(), Some("did you mean `States.Format`?"));
    let call = parse_intrinsic("States.ArrayLenght($.a)").unwrap();
    assert_eq!(check_call(&call)[0].help.as_deref(), Some("did you mean `States.ArrayLength`?"));
}

#[test]
fn fail_path_calls() {
    let cases: &[(&str, bool)] = &[
        ("States.Format('{}', $.a)", true),
        ("States.JsonToString($.a)", true),
        ("States.UUID()", true),
        ("States.Array($.a)", false),
        ("States.MathAdd(1, $.a)", false),
        ("States.Nope()", true),
    ];
    for &(text, allowed) in cases {
        let call = parse_intrinsic(text).unwrap();
        assert_eq!(check_fail_call(&call).is_none(), allowed, "{text}");
    }
}

#[test]
fn lints() {
    let long = format!("States.Base64Encode('{}')", "x".repeat(10_001));
    let cases: &[(&str, &[&str])] = &[
        ("States.Format('{} {}', $.a)", &["I-FORMAT-ARITY"]),
        ("States.Format('{}', $.a)", &[]),
        ("States.Format('none', $.a)", &["I-FORMAT-ARITY"]),
        ("States.ArrayRange(0, 2000, 1)", &["I-CONSTANT", "I-RANGE-SIZE"]),
        ("States.ArrayRange(0, 999, 1)", &["I-CONSTANT"]),
        ("States.ArrayRange($.a, 10, 0)", &["I-RANGE-SIZE"]),
        (long.as_str(), &["I-CONSTANT", "I-LITERAL-LENGTH"]),
        ("States.StringSplit($.a, ', ')", &["I-STRINGSPLIT-MULTI"]),
        ("States.StringSplit($.a, ',')", &[]),
        ("States.UUID()", &[]),
        ("States.MathRandom(1, 2)", &[]),
        ("States.Array('a', 1)", &["I-CONSTANT"]),
    ];
    for &(text, rules) in cases {
        let call = parse_intrinsic(text).unwrap_or_else(|err| panic!("{text}: {err}"));
        let got: Vec<&str> = lint_call(&call).iter().map(|e| e.rule).collect();
        assert_eq!(got, rules, "{text}");
    }
}

#[test]
fn function_table() {
    assert_eq!(Function::ALL.len(), 18);
    for &f in Function::ALL {
        assert_eq!(Function::from_name(f.name()), Some(f));
        let sig = f.signature();
        assert!(sig.max_args.is_none_or(|max| max >= sig.min_args), "{}", f.name());
    }
    assert!(is_intrinsic_call("States.Format('x')"));
    assert!(!is_intrinsic_call("$.a"));
    assert!(!is_intrinsic_call(" States.UUID()"));
}
