//! Table-driven tests of the JSONata parser, post-parse pass and checks.

use super::ast::*;
use super::*;

/// A compact S-expression of a tree, for expectations.
fn sexpr(expr: &Expr) -> String {
    match &expr.kind {
        ExprKind::Number(n) => n.text.to_string(),
        ExprKind::String(s) => format!("{s:?}"),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Null => "null".into(),
        ExprKind::Regex(r) => {
            format!(
                "/{}/{}{}",
                r.pattern,
                if r.ignore_case { "i" } else { "" },
                if r.multiline { "m" } else { "" }
            )
        }
        ExprKind::Variable(name) => format!("${name}"),
        ExprKind::Name(name) => name.to_string(),
        ExprKind::Wildcard => "*".into(),
        ExprKind::Descendant => "**".into(),
        ExprKind::Parent(label) => format!("%{}", label.0),
        ExprKind::Path(path) => {
            let mut parts: Vec<String> = path.steps.iter().map(step).collect();
            if path.keep_singleton_array {
                parts.push("keep".into());
            }
            if path.tuple {
                parts.push("tuple".into());
            }
            if let Some(group) = &path.group {
                parts.push(format!("group{}", pairs(&group.pairs)));
            }
            format!("(path {})", parts.join(" "))
        }
        ExprKind::Negate(inner) => format!("(- {})", sexpr(inner)),
        ExprKind::Binary(b) => format!("({} {} {})", b.op.as_str(), sexpr(&b.lhs), sexpr(&b.rhs)),
        ExprKind::Array(a) => format!("[{}]", a.items.iter().map(sexpr).collect::<Vec<_>>().join(" ")),
        ExprKind::Object(p) => format!("{{{}}}", pairs(p)),
        ExprKind::Call(c) => {
            let args: String = c.args.iter().map(|arg| format!(" {}", sexpr(arg))).collect();
            format!("(call {}{args})", sexpr(&c.procedure))
        }
        ExprKind::Placeholder => "?".into(),
        ExprKind::Lambda(l) => {
            let params: Vec<String> = l.params.iter().map(|p| format!("${}", p.name)).collect();
            let sig = l.signature.as_ref().map(|s| format!(" {}", s.text)).unwrap_or_default();
            format!("(fn ({}){} {})", params.join(" "), sig, sexpr(&l.body))
        }
        ExprKind::Condition(c) => match &c.otherwise {
            Some(o) => format!("(? {} {} {})", sexpr(&c.condition), sexpr(&c.then), sexpr(o)),
            None => format!("(? {} {})", sexpr(&c.condition), sexpr(&c.then)),
        },
        ExprKind::Transform(t) => match &t.delete {
            Some(d) => format!("(| {} {} {})", sexpr(&t.pattern), sexpr(&t.update), sexpr(d)),
            None => format!("(| {} {})", sexpr(&t.pattern), sexpr(&t.update)),
        },
        ExprKind::Block(b) => format!("(block {})", b.exprs.iter().map(sexpr).collect::<Vec<_>>().join(" ")),
        ExprKind::Bind(b) => format!("(:= ${} {})", b.name.name, sexpr(&b.value)),
        ExprKind::Apply(a) => format!("(~> {} {})", sexpr(&a.lhs), sexpr(&a.rhs)),
        ExprKind::Sort(terms) => {
            let terms: Vec<String> = terms
                .iter()
                .map(|t| format!("{}{}", if t.descending { ">" } else { "<" }, sexpr(&t.expr)))
                .collect();
            format!("(sort {})", terms.join(" "))
        }
        ExprKind::Decorated(d) => {
            let mut parts = vec![sexpr(&d.base)];
            parts.extend(d.filters.iter().map(|f| format!("[{}]", sexpr(f))));
            if let Some(group) = &d.group {
                parts.push(format!("group{}", pairs(&group.pairs)));
            }
            if d.keep_array {
                parts.push("keep".into());
            }
            format!("(dec {})", parts.join(" "))
        }
    }
}

fn pairs(pairs: &[Pair]) -> String {
    pairs.iter().map(|p| format!("{}:{}", sexpr(&p.key), sexpr(&p.value))).collect::<Vec<_>>().join(",")
}

fn step(step: &Step) -> String {
    let mut s = sexpr(&step.expr);
    if let Some(index) = &step.index {
        s.push_str(&format!("#${}", index.name));
    }
    if let Some(focus) = &step.focus {
        s.push_str(&format!("@${}", focus.name));
    }
    for stage in &step.stages {
        match stage {
            Stage::Filter(f) => s.push_str(&format!("[{}]", sexpr(f))),
            Stage::Index(b) => s.push_str(&format!("#${}", b.name)),
        }
    }
    if let Some(label) = step.ancestor {
        s.push_str(&format!("^{}", label.0));
    }
    if step.cons_array {
        s.push_str("!cons");
    }
    s
}

fn parse(text: &str) -> String {
    match parse_jsonata(text) {
        Ok(expr) => sexpr(&expr),
        Err(err) => panic!("{text}: {:?} {}", err.code, err.jsonata_message()),
    }
}

#[test]
fn literals_and_operators() {
    let cases: &[(&str, &str)] = &[
        ("1", "1"),
        ("1.5e3", "1.5e3"),
        ("-5", "-5"),
        ("- 5", "-5"),
        ("\"a\\nb\"", "\"a\\nb\""),
        ("'it\"s'", "\"it\\\"s\""),
        ("\"\\u00e9\\ud83d\\ude00\"", "\"é😀\""),
        ("true", "true"),
        ("null", "null"),
        ("/ab+c/i", "/ab+c/i"),
        ("/a\\/b/m", "/a\\/b/m"),
        ("1 + 2 * 3", "(+ 1 (* 2 3))"),
        ("(1 + 2) * 3", "(* (block (+ 1 2)) 3)"),
        ("1 - 2 - 3", "(- (- 1 2) 3)"),
        ("a and b or c", "(or (and (path a) (path b)) (path c))"),
        ("a = 1 and b != 2", "(and (= (path a) 1) (!= (path b) 2))"),
        ("x < 1 or x >= 2", "(or (< (path x) 1) (>= (path x) 2))"),
        ("'a' & 'b' & 'c'", "(& (& \"a\" \"b\") \"c\")"),
        ("x in [1, 2]", "(in (path x) [1 2])"),
        ("10 % 3", "(% 10 3)"),
        ("-$x", "(- $x)"),
        ("$x ? 1 : 2", "(? $x 1 2)"),
        ("$x ? 1", "(? $x 1)"),
        ("a ? b ? 1 : 2 : 3", "(? (path a) (? (path b) 1 2) 3)"),
        ("[1..5]", "[(.. 1 5)]"),
        ("[1, 2..3, $x]", "[1 (.. 2 3) $x]"),
        ("[]", "[]"),
        ("{}", "{}"),
        ("{'a': 1, \"b\": [2]}", "{\"a\":1,\"b\":[2]}"),
        ("$x := 5", "(:= $x 5)"),
        ("$x := $y := 1", "(:= $x (:= $y 1))"),
        ("($a := 1; $a + 1)", "(block (:= $a 1) (+ $a 1))"),
        ("()", "(block )"),
        ("/* c */ 1 /* d */", "1"),
        ("$", "$"),
        ("$$", "$$"),
        ("and", "(path and)"),
        ("`a b`", "(path a b)"),
    ];
    for &(text, expected) in cases {
        assert_eq!(parse(text), expected, "{text}");
    }
}

#[test]
fn paths() {
    let cases: &[(&str, &str)] = &[
        ("a", "(path a)"),
        ("a.b.c", "(path a b c)"),
        ("$states.input.x", "(path $states input x)"),
        ("a.'b c'.d", "(path a b c d)"),
        ("a[0]", "(path a[0])"),
        ("a[0][1]", "(path a[0][1])"),
        ("a.b[price > 10].c", "(path a b[(> (path price) 10)] c)"),
        ("$x[0]", "(dec $x [0])"),
        ("$x[0].a", "(path (dec $x [0]) a)"),
        ("a[]", "(path a keep)"),
        ("a.b[].c", "(path a b c keep)"),
        ("$x[]", "(dec $x keep)"),
        ("*", "*"),
        ("a.*.b", "(path a * b)"),
        ("**.b", "(path ** b)"),
        ("a{b: c}", "(path a group(path b):(path c))"),
        ("a.b{b: c}", "(path a b group(path b):(path c))"),
        ("$x{'k': 1}", "(dec $x group\"k\":1)"),
        ("a^(b)", "(path a (sort <(path b)))"),
        ("a^(>b, <c)", "(path a (sort >(path b) <(path c)))"),
        ("a#$i.b", "(path a#$i b)"),
        ("a[0]#$i", "(path a[0]#$i)"),
        ("a@$x.b", "(path a@$x b)"),
        ("$x#$i", "(path $x#$i)"),
        ("a.(b + 1)", "(path a (block (+ (path b) 1)))"),
        ("[1,2].a", "(path [1 2]!cons a)"),
        ("a.[b, c]", "(path a [(path b) (path c)]!cons)"),
        ("a.$uppercase()", "(path a (call $uppercase))"),
        ("a.b.%.c", "(path a b^0 %0 c)"),
    ];
    for &(text, expected) in cases {
        assert_eq!(parse(text), expected, "{text}");
    }
}

#[test]
fn parents_are_tied_to_steps() {
    // `%` refers to the input of the step before it; the step records the label.
    let cases: &[(&str, &str)] = &[
        // The step before `%` keeps its input: the parent of its own value.
        ("a.b.%", "(path a b^0 %0)"),
        ("a.b.%.%", "(path a^1 b^0 %0 %1)"),
        (
            "Account.Order.Product.{'n': %.OrderID}",
            "(path Account Order Product^0 {\"n\":(path %0 OrderID)})",
        ),
        ("a.b[%.c = 1]", "(path a b[(= (path %0 c) 1)]^0)"),
        ("a.b.c.%.%", "(path a b^1 c^0 %0 %1)"),
    ];
    for &(text, expected) in cases {
        let got = parse(text);
        let normal = got.replace(" tuple", "");
        assert_eq!(normal, expected, "{text}");
    }
}

#[test]
fn functions() {
    let cases: &[(&str, &str)] = &[
        ("$sum(a)", "(call $sum (path a))"),
        ("$f()", "(call $f)"),
        ("$substring(?, 0, 2)", "(call $substring ? 0 2)"),
        ("function($x) { $x * 2 }", "(fn ($x) (* $x 2))"),
        ("λ($x, $y) { $x + $y }", "(fn ($x $y) (+ $x $y))"),
        ("function($x)<n:n> { $x }", "(fn ($x) <n:n> $x)"),
        ("function($a)<a<n>:n> { $a }", "(fn ($a) <a<n>:n> $a)"),
        ("function($x){$x}(5)", "(call (fn ($x) $x) 5)"),
        ("$x ~> $uppercase", "(~> $x $uppercase)"),
        ("$x ~> $substring(1) ~> $trim()", "(~> (~> $x (call $substring 1)) (call $trim))"),
        ("$ ~> |a|{'b': 1}|", "(~> $ (| (path a) {\"b\":1}))"),
        ("|a|{}, ['x']|", "(| (path a) {} [\"x\"])"),
        ("$f($g(1))(2)", "(call (call $f (call $g 1)) 2)"),
    ];
    for &(text, expected) in cases {
        assert_eq!(parse(text), expected, "{text}");
    }
    let Ok(expr) = parse_jsonata("function($x)<s-n?:s> { $x }") else { panic!("signature") };
    let ExprKind::Lambda(lambda) = &expr.kind else { panic!("not a lambda") };
    let sig = lambda.signature.as_ref().expect("signature");
    assert_eq!(sig.params.len(), 2);
    assert!(sig.params[0].context && sig.params[1].optional);
}

#[test]
fn syntax_errors() {
    // (text, code, JSONata's message as AWS reports it)
    let cases: &[(&str, ErrorCode, &str)] = &[
        ("", ErrorCode::S0207, "Unexpected end of expression"),
        ("1 +", ErrorCode::S0207, "Unexpected end of expression"),
        ("[1, 2", ErrorCode::S0203, "Expected \"]\" before end of expression"),
        ("a[1,2]", ErrorCode::S0202, "Expected \"]\", got \",\""),
        ("\"abc", ErrorCode::S0101, "String literal must be terminated by a matching quote"),
        ("{}}", ErrorCode::S0201, "Syntax error: \"}\""),
        ("}", ErrorCode::S0211, "The symbol \"}\" cannot be used as a unary operator"),
        // `*` is the wildcard, so the `2` after it is the unexpected token.
        ("10 + * 2", ErrorCode::S0201, "Syntax error: 2"),
        ("/abc", ErrorCode::S0302, "No terminating / in regular expression"),
        ("//", ErrorCode::S0301, "Empty regular expressions are not allowed"),
        ("'it\\'s'", ErrorCode::S0103, "Unsupported escape sequence: \\\"'\""),
        ("\"\\u12g4\"", ErrorCode::S0104, "The escape sequence \\u must be followed by 4 hex digits"),
        ("`abc", ErrorCode::S0105, "Quoted property name must be terminated with a backquote (`)"),
        ("1 /* x", ErrorCode::S0106, "Comment has no closing tag"),
        ("1e999", ErrorCode::S0102, "Number out of range: \"1e999\""),
        ("a ! b", ErrorCode::S0204, "Unknown operator: \"!\""),
        ("a ~ b", ErrorCode::S0204, "Unknown operator: \"~\""),
        (
            "function(x) { 1 }",
            ErrorCode::S0208,
            "Parameter 1 of function definition must be a variable name (start with $)",
        ),
        ("a := 1", ErrorCode::S0212, "The left side of := must be a variable name (start with $)"),
        ("a.1", ErrorCode::S0213, "The literal value 1 cannot be used as a step within a path expression"),
        (
            "a.true",
            ErrorCode::S0213,
            "The literal value true cannot be used as a step within a path expression",
        ),
        ("a@b", ErrorCode::S0214, "The right side of \"@\" must be a variable name (start with $)"),
        ("a#1", ErrorCode::S0214, "The right side of \"#\" must be a variable name (start with $)"),
        ("a[0]@$x", ErrorCode::S0215, "A context variable binding must precede any predicates on a step"),
        (
            "a^(b)@$x",
            ErrorCode::S0216,
            "A context variable binding must precede the 'order-by' clause on a step",
        ),
        (
            "%",
            ErrorCode::S0217,
            "The object representing the 'parent' cannot be derived from this expression",
        ),
        (
            "$x.%",
            ErrorCode::S0217,
            "The object representing the 'parent' cannot be derived from this expression",
        ),
        ("$x{'a':1}[0]", ErrorCode::S0209, "A predicate cannot follow a grouping expression in a step"),
        ("a{'a':1}{'b':2}", ErrorCode::S0210, "Each step can only have one grouping expression"),
        (
            "function($x)<n<n>> { 1 }",
            ErrorCode::S0401,
            "Type parameters can only be applied to functions and arrays",
        ),
        (
            "function($x)<(sa<n>)> { 1 }",
            ErrorCode::S0402,
            "Choice groups containing parameterized types are not supported",
        ),
        // JSONata 2.1 operators do not exist in 2.0.6.
        ("a ?? b", ErrorCode::S0211, "The symbol \"?\" cannot be used as a unary operator"),
        ("a ?: b", ErrorCode::S0211, "The symbol \":\" cannot be used as a unary operator"),
        // After `(` the next token is read in operator position, as in the reference.
        ("(/a/)", ErrorCode::S0211, "The symbol \"/\" cannot be used as a unary operator"),
        // The asl-validator fixtures with malformed expressions.
        ("420.", ErrorCode::S0207, "Unexpected end of expression"),
        (
            "$states.input.a[?(@.b == 1)]",
            ErrorCode::S0211,
            "The symbol \"?\" cannot be used as a unary operator",
        ),
        ("($states.input", ErrorCode::S0203, "Expected \")\" before end of expression"),
    ];
    for &(text, code, message) in cases {
        let err = parse_jsonata(text).expect_err(text);
        assert_eq!(err.code, code, "{text}: {}", err.jsonata_message());
        assert_eq!(err.jsonata_message(), message, "{text}");
        let query = err.to_query_error();
        assert_eq!(query.rule, "J-PARSE");
        assert!(
            !query.message.ends_with('.') && query.message.chars().next().is_some_and(|c| !c.is_uppercase()),
            "{text}: {}",
            query.message
        );
    }
}

#[test]
fn error_ranges() {
    let cases: &[(&str, (u32, u32))] = &[
        ("a[1,2]", (3, 4)),
        ("1 +", (3, 3)),
        ("}", (0, 1)),
        ("\"abc", (0, 4)),
        ("a.1", (2, 3)),
        ("foo bar", (4, 7)),
        ("'x\\q'", (2, 4)),
    ];
    for &(text, (start, end)) in cases {
        let err = parse_jsonata(text).expect_err(text);
        assert_eq!((err.range.start(), err.range.end()), (start, end), "{text}: {}", err.jsonata_message());
    }
}

#[test]
fn ranges_cover_their_text() {
    let text = "$sum($states.input.items[price > 10].price) + 1";
    let expr = parse_jsonata(text).unwrap();
    assert_eq!(expr.range, aslc_source::TextRange::new(0, text.len() as u32));
    let ExprKind::Binary(binary) = &expr.kind else { panic!("binary") };
    assert_eq!(&text[binary.lhs.range.as_usize()], "$sum($states.input.items[price > 10].price)");
    let ExprKind::Call(call) = &binary.lhs.kind else { panic!("call") };
    assert_eq!(&text[call.args[0].range.as_usize()], "$states.input.items[price > 10].price");
    let ExprKind::Path(path) = &call.args[0].kind else { panic!("path") };
    assert_eq!(&text[path.steps[2].expr.range.as_usize()], "items");
}

/// Shapes nested as deep as the bound allows, each parsed, checked and dropped on a test
/// thread (2 MiB of stack): the bound must keep every stage within it.
#[test]
fn deepest_accepted_expressions_fit_the_stack() {
    let n = MAX_DEPTH - 3;
    let shapes = [
        format!("{}1{}", "(".repeat(n), ")".repeat(n)),
        format!("{}1{}", "[".repeat(n), "]".repeat(n)),
        format!("{}1{}", "$f(".repeat(n), ")".repeat(n)),
        format!("{}1{}", "{'a':".repeat(n), "}".repeat(n)),
        format!("{}1{}", "a[".repeat(n), "]".repeat(n)),
        format!("{}$x{}", "function($x){".repeat(n), "}".repeat(n)),
        format!("{}1{}", "$x ? (".repeat(n / 2), ") : 2".repeat(n / 2)),
        format!("{}x{}", "a.(".repeat(n / 2), ")".repeat(n / 2)),
        format!("{}1", "-".repeat(n)),
        vec!["1"; n].join(" + "),
        vec!["a"; n].join("."),
        format!("{}1{}", "| a | {'b': ".repeat(n / 3), "} |".repeat(n / 3)),
    ];
    for text in &shapes {
        let expr = parse_jsonata(text).unwrap_or_else(|err| panic!("{}…: {:?}", &text[..20], err.code));
        let _ = check_jsonata(&expr, JsonataContext::default());
        let _ = variable_references(&expr);
        drop(expr);
    }
}

#[test]
fn depth_is_bounded() {
    let nested = |n: usize| format!("{}1{}", "(".repeat(n), ")".repeat(n));
    assert_eq!(parse_jsonata(&nested(MAX_DEPTH + 5)).unwrap_err().code, ErrorCode::TooDeep);
    parse_jsonata(&nested(MAX_DEPTH / 2)).expect("moderate nesting parses");
    let chain = vec!["a"; 2000].join(".");
    assert_eq!(parse_jsonata(&chain).unwrap_err().code, ErrorCode::TooDeep);
    let sum = vec!["1"; MAX_DEPTH + 5].join("+");
    assert_eq!(parse_jsonata(&sum).unwrap_err().code, ErrorCode::TooDeep);
    let long_path = vec!["a"; MAX_DEPTH - 2].join(".");
    parse_jsonata(&long_path).expect("paths within the bound parse");
    let negations = format!("{}1", "-".repeat(MAX_DEPTH + 5));
    assert_eq!(parse_jsonata(&negations).unwrap_err().code, ErrorCode::TooDeep);
    let arrays = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_eq!(parse_jsonata(&arrays).unwrap_err().code, ErrorCode::TooDeep);
}

fn rules(text: &str, ctx: JsonataContext) -> Vec<&'static str> {
    let expr = parse_jsonata(text).unwrap_or_else(|err| panic!("{text}: {}", err.jsonata_message()));
    check_jsonata(&expr, ctx).iter().map(|e| e.rule).collect()
}

#[test]
fn checks() {
    let plain = JsonataContext::default();
    let cases: &[(&str, &[&str])] = &[
        ("$states.input.x", &[]),
        ("$states.context.Execution.Id", &[]),
        ("phone", &["J-TOP-LEVEL-REF"]),
        ("order.id", &["J-TOP-LEVEL-REF"]),
        ("Account.Order[0]", &["J-TOP-LEVEL-REF"]),
        ("$count(items)", &["J-TOP-LEVEL-REF"]),
        ("{'a': b}", &["J-TOP-LEVEL-REF"]),
        ("a & a & b", &["J-TOP-LEVEL-REF", "J-TOP-LEVEL-REF"]),
        ("$states.input.items[price > 100].name", &[]),
        ("$states.input.items{name: price}", &[]),
        ("$states.input.items^(price)", &[]),
        ("$states.input ~> |items|{'x': y}|", &[]),
        ("$map($states.input, function($v) { name })", &[]),
        ("$$.x", &["J-NO-DOLLAR-DOLLAR"]),
        ("$states.input[$$.x]", &["J-NO-DOLLAR-DOLLAR"]),
        ("$.x", &["J-NO-TOP-DOLLAR"]),
        ("$", &["J-NO-TOP-DOLLAR"]),
        ("$states.input.items[$.price > 10]", &[]),
        ("$states.errorOutput", &["R-CATCH-ERROROUTPUT-SCOPE"]),
        ("$states.result.Payload", &["J-RESULT-SCOPE"]),
        ("$states.function", &["J-STATES-MEMBER"]),
        ("($states := {'x': 1}; $states.x)", &[]),
        ("$randomSeeded(1)", &["J-UNKNOWN-FUNCTION"]),
        ("$eval('1')", &["J-UNKNOWN-FUNCTION"]),
        ("$myVar()", &["J-UNKNOWN-FUNCTION"]),
        ("($f := function($x) { $x }; $f(1))", &[]),
        ("$uuid()", &[]),
        ("$partition($states.input, 2)", &[]),
        ("$hash('a', 'MD5')", &[]),
        ("$random(1)", &[]),
        ("$parse('{}')", &[]),
        ("$sum(1, 2)", &["J-ARITY"]),
        ("$substring()", &["J-ARITY"]),
        ("$states.input ~> $substring(1, 2)", &[]),
        ("$states.input ~> $substring(1, 2, 3)", &["J-ARITY"]),
        ("$states.input ~> $uppercase", &[]),
        ("$zip([1], [2], [3])", &[]),
        ("$uuid(1)", &["J-ARITY"]),
    ];
    for &(text, expected) in cases {
        assert_eq!(rules(text, plain), expected, "{text}");
    }
    let catcher = JsonataContext { result: false, error_output: true };
    assert!(rules("$states.errorOutput.Cause", catcher).is_empty());
    let task_output = JsonataContext { result: true, error_output: false };
    assert!(rules("$states.result.Payload", task_output).is_empty());
}

#[test]
fn top_level_ref_message_matches_aws() {
    let expr = parse_jsonata("phone & phone").unwrap();
    let errors = check_jsonata(&expr, JsonataContext::default());
    assert_eq!(errors.len(), 1, "one error per distinct name");
    assert_eq!(errors[0].message, "reference to `phone` at the top level is not supported");
    assert_eq!(errors[0].range, aslc_source::TextRange::new(0, 5));
}

#[test]
fn variable_references_are_free_variables() {
    let cases: &[(&str, &[&str])] = &[
        ("$x", &["x"]),
        ("$states.input.a & $name", &["name"]),
        ("($a := 1; $a + $b)", &["b"]),
        ("$map($list, function($v) { $v + $k })", &["list", "k"]),
        ("$states.input.items#$i[$i > $limit]", &["limit"]),
        ("$sum($nums) + $string(1)", &["nums"]),
        ("$ + $$", &[]),
    ];
    for &(text, expected) in cases {
        let expr = parse_jsonata(text).unwrap();
        let got: Vec<String> = variable_references(&expr).iter().map(|b| b.name.to_string()).collect();
        assert_eq!(got, expected, "{text}");
    }
}
