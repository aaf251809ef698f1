//! Table-driven tests of the path reader, its queries and its lints.

use super::*;

/// A compact rendering of a filter, for expectations.
fn filter_sexpr(expr: &FilterExpr) -> String {
    match &expr.kind {
        FilterKind::Or(a, b) => format!("(|| {} {})", filter_sexpr(a), filter_sexpr(b)),
        FilterKind::And(a, b) => format!("(&& {} {})", filter_sexpr(a), filter_sexpr(b)),
        FilterKind::Not(a) => format!("(! {})", filter_sexpr(a)),
        FilterKind::Compare { op, lhs, rhs } => {
            format!("({} {} {})", op.as_str(), operand(lhs), operand(rhs))
        }
        FilterKind::Exists(a) => format!("(exists {})", operand(a)),
    }
}

fn operand(op: &Operand) -> String {
    match &op.kind {
        OperandKind::Current(segs) => {
            let path = Path {
                root: Root::Data,
                root_range: op.range,
                segments: segs.clone(),
                range: op.range,
                trailing_whitespace: None,
            };
            format!("@{}", &path.to_string()[1..])
        }
        OperandKind::Path(path) => path.to_string(),
        OperandKind::Number { text, .. } => text.to_string(),
        OperandKind::String(s) => format!("'{s}'"),
        OperandKind::Bool(b) => b.to_string(),
        OperandKind::Null => "null".to_owned(),
        OperandKind::Regex { pattern, flags } => format!("/{pattern}/{flags}"),
        OperandKind::List(items) => format!("[{}]", items.iter().map(operand).collect::<Vec<_>>().join(",")),
        OperandKind::Word(w) => format!("word:{w}"),
    }
}

fn filters(path: &Path) -> Vec<String> {
    path.segments
        .iter()
        .filter_map(|seg| match &seg.selector {
            Selector::Filter(FilterBody::Parsed(expr)) => Some(filter_sexpr(expr)),
            Selector::Filter(FilterBody::Opaque(_)) => Some("opaque".to_owned()),
            _ => None,
        })
        .collect()
}

#[test]
fn valid_paths_normalise() {
    let cases: &[(&str, &str)] = &[
        ("$", "$"),
        ("$$", "$$"),
        ("$.a", "$['a']"),
        ("$.order.items[0]", "$['order']['items'][0]"),
        ("$['first name']", "$['first name']"),
        ("$[\"dq\"]", "$['dq']"),
        ("$$.Execution.Input", "$$['Execution']['Input']"),
        ("$$.Map.Item.Value", "$$['Map']['Item']['Value']"),
        ("$order", "$order"),
        ("$order.items[0].id", "$order['items'][0]['id']"),
        ("$_x1['b c']", "$_x1['b c']"),
        ("$.[*].['bucket', 'key']", "$[*]['bucket','key']"),
        ("$.Snapshots.[0].State", "$['Snapshots'][0]['State']"),
        ("$.items[-3:]", "$['items'][-3:]"),
        ("$.items[1:]", "$['items'][1:]"),
        ("$.items[:2]", "$['items'][:2]"),
        ("$.items[1:4]", "$['items'][1:4]"),
        ("$.items[0,2]", "$['items'][0,2]"),
        ("$.items[ 0 , 2 ]", "$['items'][0,2]"),
        ("$.books[-2]", "$['books'][-2]"),
        ("$.logs..pi", "$['logs']..['pi']"),
        ("$..x", "$..['x']"),
        ("$..*", "$..[*]"),
        ("$..[0]", "$..[0]"),
        ("$.a.*", "$['a'][*]"),
        ("$.a[*]", "$['a'][*]"),
        ("$.input-foo-bar", "$['input-foo-bar']"),
        ("$.a:b", "$['a:b']"),
        ("$.ünïcödé", "$['ünïcödé']"),
        ("$.a✓b.c", "$['a✓b']['c']"),
        ("$.store\\.book", "$['store.book']"),
        ("$.ab\\", "$['ab\\\\']"),
        ("$.a=b!c<d>e&f|g~h", "$['a=b!c<d>e&f|g~h']"),
        ("$['it\\'s']", "$['it\\'s']"),
        // Only `\\`, `\'` and the delimiter are escapes: `\"` in a `'`-quoted name keeps
        // its backslash, as AWS reads it.
        ("$['Test\\\"\"Name\"']", "$['Test\\\\\"\"Name\"']"),
        ("$[\"a\\\"b\"]", "$['a\"b']"),
        ("$['a\\\\b']", "$['a\\\\b']"),
        ("$['a\\nb']", "$['a\\\\nb']"),
        ("$.a.length()", "$['a']['length()']"),
        ("$.a[(@.length-1)]", "$['a'][()]"),
        ("$.a[?(@.b)]", "$['a'][?]"),
        ("$[ * ]", "$[*]"),
    ];
    for &(text, expected) in cases {
        let path = parse_path(text).unwrap_or_else(|err| panic!("{text}: {err}"));
        assert_eq!(path.to_string(), expected, "{text}");
        assert_eq!(path.range, aslc_source::TextRange::from_usize(0, text.len()), "{text}");
    }
}

#[test]
fn roots() {
    let cases: &[(&str, Root)] = &[
        ("$", Root::Data),
        ("$.a", Root::Data),
        ("$[0]", Root::Data),
        ("$$", Root::Context),
        ("$$.a", Root::Context),
        ("$$['a']", Root::Context),
        ("$x", Root::Variable("x".into())),
        ("$states.input", Root::Variable("states".into())),
    ];
    for (text, root) in cases {
        assert_eq!(&parse_path(text).unwrap().root, root, "{text}");
    }
}

#[test]
fn invalid_paths() {
    // (text, rule, error range start..end)
    let cases: &[(&str, &str, (u32, u32))] = &[
        ("", "P-SYNTAX", (0, 0)),
        ("a.b", "P-SYNTAX", (0, 1)),
        (" $.a", "P-SYNTAX", (0, 1)),
        ("$.", "P-SYNTAX", (1, 2)),
        ("..x", "P-SYNTAX", (0, 1)),
        ("$...", "P-SYNTAX", (3, 4)),
        ("$..", "P-SYNTAX", (1, 3)),
        ("()", "P-SYNTAX", (0, 1)),
        ("$$23", "P-CONTEXT-PREFIX", (0, 3)),
        ("$$x", "P-CONTEXT-PREFIX", (0, 3)),
        ("$1", "P-SYNTAX", (1, 2)),
        ("$-a", "P-SYNTAX", (1, 2)),
        ("$top-level", "P-SYNTAX", (4, 5)),
        ("$.a b", "P-SYNTAX", (4, 5)),
        ("$.a[", "P-SYNTAX", (3, 4)),
        ("$.a[]", "P-SYNTAX", (3, 5)),
        ("$.a[0", "P-SYNTAX", (3, 4)),
        ("$.a[x]", "P-SYNTAX", (4, 5)),
        ("$.a['x]", "P-SYNTAX", (4, 7)),
        ("$.a['x',]", "P-SYNTAX", (8, 9)),
        ("$.a[1:2:3]", "P-SYNTAX", (7, 8)),
        ("$.a[-]", "P-SYNTAX", (5, 6)),
        ("$.a[99999999999999999999]", "P-SYNTAX", (4, 24)),
        ("$.a[?@.b]", "P-SYNTAX", (5, 6)),
        ("$.a[?(@.b]", "P-SYNTAX", (5, 6)),
        ("$.a)", "P-SYNTAX", (3, 4)),
        ("$.a(", "P-SYNTAX", (3, 4)),
        ("$.a'", "P-SYNTAX", (3, 4)),
        ("$.a[0]x", "P-SYNTAX", (6, 7)),
        // A non-ASCII space ends a name as an ASCII one does.
        ("$.ab\u{a0}c", "P-SYNTAX", (6, 7)),
        ("$.ab\u{3000}c", "P-SYNTAX", (7, 8)),
    ];
    for &(text, rule, (start, end)) in cases {
        let err = parse_path(text).expect_err(text);
        assert_eq!(err.rule, rule, "{text}: {err}");
        assert_eq!((err.range.start(), err.range.end()), (start, end), "{text}: {err}");
        assert!(!err.message.ends_with('.'), "{text}: {err}");
    }
}

#[test]
fn reference_and_definite() {
    // (text, reference path, definite)
    let cases: &[(&str, bool, bool)] = &[
        ("$", true, true),
        ("$$", true, true),
        ("$.a.b", true, true),
        ("$['a'][0]", true, true),
        ("$.a[-1]", true, true),
        ("$var.x", true, true),
        ("$$.Execution.Input", true, true),
        ("$.a.length()", false, true),
        ("$.a[*]", false, false),
        ("$.*", false, false),
        ("$..a", false, false),
        ("$.a[0,1]", false, false),
        ("$['a','b']", false, false),
        ("$.a[1:2]", false, false),
        ("$.a[?(@.x)]", false, false),
        ("$.a[(@.length-1)]", false, false),
    ];
    for &(text, reference, definite) in cases {
        let path = parse_path(text).unwrap();
        assert_eq!(path.is_reference_path(), reference, "{text}");
        assert_eq!(path.is_definite(), definite, "{text}");
    }
    let path = parse_path("$.a..b[0]").unwrap();
    assert_eq!(path.reference_violation().map(|seg| seg.range), Some(aslc_source::TextRange::new(3, 6)));
    let err = reference_error(&path).expect("not a reference path");
    assert_eq!(
        (err.rule, err.message.as_str()),
        ("P-REFERENCE", "a reference path cannot contain a deep scan `..`")
    );
    assert!(reference_error(&parse_path("$.a[0].b").unwrap()).is_none());
}

#[test]
fn filters_parse() {
    let cases: &[(&str, &str)] = &[
        ("$.a[?(@.b)]", "(exists @['b'])"),
        ("$.a[?(@.price > 10)]", "(> @['price'] 10)"),
        ("$.a[?(@.price>=10.5)]", "(>= @['price'] 10.5)"),
        ("$.a[?(@.n == -1e3)]", "(== @['n'] -1e3)"),
        ("$.a[?(@.name == 'x')]", "(== @['name'] 'x')"),
        ("$.a[?(@.name == \"x\")]", "(== @['name'] 'x')"),
        ("$..QualityResults[?(@.constraint_status==Failure)]", "(== @['constraint_status'] word:Failure)"),
        ("$.approaches[?(@.workerId == $.agent_id)].approach", "(== @['workerId'] $['agent_id'])"),
        ("$.a[?(@.x == $v.y)]", "(== @['x'] $v['y'])"),
        ("$.a[?(@.x != null)]", "(!= @['x'] null)"),
        ("$.a[?(@.x === true)]", "(=== @['x'] true)"),
        ("$.a[?(@.x !== false)]", "(!== @['x'] false)"),
        ("$.a[?(@.x < 1 && @.y > 2)]", "(&& (< @['x'] 1) (> @['y'] 2))"),
        ("$.a[?(@.x < 1 || @.y > 2 && @.z)]", "(|| (< @['x'] 1) (&& (> @['y'] 2) (exists @['z'])))"),
        ("$.a[?(!(@.x))]", "(! (exists @['x']))"),
        ("$.a[?((@.x == 1))]", "(== @['x'] 1)"),
        ("$.a[?(@.name =~ /^a.*$/i)]", "(=~ @['name'] /^a.*$/i)"),
        ("$.a[?(@.t in ['a', 'b'])]", "(in @['t'] ['a','b'])"),
        ("$.a[?(@.t NIN [1,2])]", "(nin @['t'] [1,2])"),
        ("$.a[?(@.t subsetof ['a'])]", "(subsetof @['t'] ['a'])"),
        ("$.a[?(@.t anyof [])]", "(anyof @['t'] [])"),
        ("$.a[?(@.t noneof ['x'])]", "(noneof @['t'] ['x'])"),
        ("$.a[?(@.t size 2)]", "(size @['t'] 2)"),
        ("$.a[?(@.t empty true)]", "(empty @['t'] true)"),
        ("$.a[?(@.b[0].c == 1)]", "(== @['b'][0]['c'] 1)"),
        ("$.a[?(@ > 1)]", "(> @ 1)"),
        ("$.a[?(@['k'] == 'v')]", "(== @['k'] 'v')"),
        ("$.a[?(@.b[?(@.c)])]", "(exists @['b'][?])"),
        ("$.a[?(@.x == 'a)b')]", "(== @['x'] 'a)b')"),
        ("$.a[?(@.é!=1)]", "(!= @['é'] 1)"),
        ("$.a[?(@.x\u{a0}>1)]", "(> @['x'] 1)"),
        // Balanced bodies outside the Jayway grammar stay opaque.
        ("$.a[?(@.x ~ 1)]", "opaque"),
        ("$.a[?(@.x == 1 2)]", "opaque"),
        ("$.a[?(foo(1))]", "opaque"),
    ];
    for &(text, expected) in cases {
        let path = parse_path(text).unwrap_or_else(|err| panic!("{text}: {err}"));
        assert_eq!(filters(&path), vec![expected.to_owned()], "{text}");
    }
}

#[test]
fn filter_depth_is_bounded() {
    let mut text = String::from("$");
    for _ in 0..40 {
        text.push_str(".a[?(@");
    }
    for _ in 0..40 {
        text.push_str(")]");
    }
    let err = parse_path(&text).expect_err("too deep");
    assert_eq!(err.rule, "P-SYNTAX");
    let mut ok = String::from("$");
    for _ in 0..MAX_FILTER_DEPTH {
        ok.push_str(".a[?(@");
    }
    for _ in 0..MAX_FILTER_DEPTH {
        ok.push_str(")]");
    }
    parse_path(&ok).expect("within the bound");
}

#[test]
fn trailing_whitespace_is_kept_and_linted() {
    let path = parse_path("$$.Execution.Name ").unwrap();
    assert_eq!(path.trailing_whitespace, Some(aslc_source::TextRange::new(17, 18)));
    assert_eq!(path.range, aslc_source::TextRange::new(0, 17));
    let lints = lint_path(&path);
    assert_eq!(lints.iter().map(|e| e.rule).collect::<Vec<_>>(), ["P-WHITESPACE"]);
}

#[test]
fn lints() {
    let cases: &[(&str, &[&str])] = &[
        ("$.a.b", &[]),
        ("$.store\\.book", &["P-DOT-ESCAPE"]),
        ("$.a[?(@.Type==VENDOR_NAME)]", &["P-FILTER-UNQUOTED"]),
        ("$.a[?(@.Type=='VENDOR_NAME')]", &[]),
        ("$.a[(@.length-1)]", &["P-SCRIPT-EXPR"]),
        ("$states.input", &["P-VAR-STATES"]),
        ("$.a[?(@.x == $states.y)]", &["P-VAR-STATES"]),
        ("$.a.length()", &["P-NO-FUNCTIONS"]),
        ("$.a[?(@.b.length() > 1)]", &["P-NO-FUNCTIONS"]),
    ];
    for &(text, rules) in cases {
        let path = parse_path(text).unwrap_or_else(|err| panic!("{text}: {err}"));
        let got: Vec<&str> = lint_path(&path).iter().map(|e| e.rule).collect();
        assert_eq!(got, rules, "{text}");
    }
}

#[test]
fn context_members() {
    let cases: &[(&str, Option<(u32, u32)>)] = &[
        ("$$", None),
        ("$$.Execution.Input.anything.deep", None),
        ("$$.Execution.Id", None),
        ("$$.State.RetryCount", None),
        ("$$.Map.Item.Value.x", None),
        ("$$.Task.Token", None),
        ("$$.Execution.Foo", Some((12, 16))),
        ("$$.Exec", Some((2, 7))),
        ("$$.Map.Item.Nope", Some((11, 16))),
        ("$$.Map.Items", Some((6, 12))),
        ("$.Execution.Foo", None),
        ("$$[0]", None),
    ];
    for &(text, expected) in cases {
        let path = parse_path(text).unwrap();
        let got = context_member_error(&path).map(|e| (e.range.start(), e.range.end()));
        assert_eq!(got, expected, "{text}");
    }
}

#[test]
fn embedded_paths_stop_at_argument_boundaries() {
    let text = "f($.a[?(@.b == ',')], $$.x)";
    let (path, end) = parse_embedded(text, 2).unwrap();
    assert_eq!(&text[2..end], "$.a[?(@.b == ',')]");
    assert_eq!(path.to_string(), "$['a'][?]");
    let (path, end) = parse_embedded(text, 22).unwrap();
    assert_eq!(&text[22..end], "$$.x");
    assert_eq!(path.root, Root::Context);
    let (_, end) = parse_embedded("$ , x", 0).unwrap();
    assert_eq!(end, 1);
}
