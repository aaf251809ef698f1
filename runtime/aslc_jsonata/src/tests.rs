//! Unit tests of the evaluator, one line per case through [`check`], grouped by area.

use serde_json::{json, Value};

use crate::{evaluate, Bindings};
use aslc_query::jsonata::parse_jsonata;

fn run(expr: &str, input: Option<Value>, bindings: &Bindings) -> Result<Option<Value>, &'static str> {
    let expr = parse_jsonata(expr).map_err(|err| err.code.code().unwrap_or("S0201"))?;
    evaluate(&expr, input.as_ref(), bindings).map_err(|err| err.code)
}

/// Evaluates `expr` against `input` and compares with `expected` (`None`: undefined).
fn check(expr: &str, input: Value, expected: Option<Value>) {
    assert_eq!(run(expr, Some(input), &Bindings::new()), Ok(expected), "{expr}");
}

fn check_error(expr: &str, input: Value, code: &str) {
    assert_eq!(run(expr, Some(input), &Bindings::new()), Err(code), "{expr}");
}

fn check_sfn(expr: &str, expected: Value) {
    assert_eq!(run(expr, None, &Bindings::step_functions()), Ok(Some(expected)), "{expr}");
}

#[test]
fn paths_and_sequences() {
    let data = json!({"a": [{"b": 1}, {"b": [2, 3]}, {"c": 4}], "x": {"y": {"z": 5}}});
    check("a.b", data.clone(), Some(json!([1, 2, 3])));
    check("a[0].b", data.clone(), Some(json!(1)));
    check("a.b[]", json!({"a": {"b": 1}}), Some(json!([1])));
    check("a.c", data.clone(), Some(json!(4)));
    check("a.nothing", data.clone(), None);
    check("x.*.z", data.clone(), Some(json!(5)));
    check("**.z", data.clone(), Some(json!(5)));
    check("$count(a)", data.clone(), Some(json!(3)));
    check("a[-1].c", data.clone(), Some(json!(4)));
    check("a[c = 4].c", data, Some(json!(4)));
    check("$", json!([1, 2]), Some(json!([1, 2])));
    check("[1, [2, 3], 4..6]", json!(null), Some(json!([1, [2, 3], 4, 5, 6])));
}

#[test]
fn operators() {
    check("1 + 2 * 3", json!(null), Some(json!(7)));
    check("7 % 4", json!(null), Some(json!(3)));
    check("'a' & 1 & true", json!(null), Some(json!("a1true")));
    check("1 = 1.0 and 'a' < 'b'", json!(null), Some(json!(true)));
    check("3 in [1, 2, 3]", json!(null), Some(json!(true)));
    check("x ? 'yes' : 'no'", json!({"x": 0}), Some(json!("no")));
    check_error("'a' + 1", json!(null), "T2001");
    check_error("1 < 'a'", json!(null), "T2009");
    check_error("[1..1e8]", json!(null), "D2014");
    check_error("-'a'", json!(null), "D1002");
}

#[test]
fn sorting_grouping_and_bindings() {
    let data = json!({"items": [{"k": "b", "v": 2}, {"k": "a", "v": 1}, {"k": "b", "v": 3}]});
    check("items^(k, >v).v", data.clone(), Some(json!([1, 3, 2])));
    check("items{k: $sum(v)}", data.clone(), Some(json!({"b": 5, "a": 1})));
    check("items#$i[$i > 0].v", data.clone(), Some(json!([1, 3])));
    check("items@$o.($o.k)", data.clone(), Some(json!(["b", "a", "b"])));
    check("items.{'k': k, 'n': %.items[0].v}", json!({"items": {"k": 1}}), Some(json!({"k": 1})));
    check_error("items{k: v, 'b': 1}", data, "D1009");
}

#[test]
fn functions_and_closures() {
    check("($add := function($a, $b) { $a + $b }; $add(2, 3))", json!(null), Some(json!(5)));
    check("($f := function($x) { function($y) { $x * $y } }; $f(3)(4))", json!(null), Some(json!(12)));
    check("($p := $substring(?, 0, 2); $p('hello'))", json!(null), Some(json!("he")));
    check("[1, 2, 3] ~> $map(function($v) { $v * 2 }) ~> $sum()", json!(null), Some(json!(12)));
    check("($inc := function($n) { $n + 1 }; ($inc ~> $inc)(1))", json!(null), Some(json!(3)));
    check("$reduce([1, 2, 3, 4], function($a, $b) { $a + $b })", json!(null), Some(json!(10)));
    check_error("function($x)<n:n> { $x }('a')", json!(null), "T0410");
    check_error("$nothing()", json!(null), "T1006");
}

#[test]
fn recursion_is_bounded() {
    // A tail-recursive loop runs in constant depth.
    let tail = "($loop := function($n, $acc) { $n = 0 ? $acc : $loop($n - 1, $acc + 1) }; $loop(100000, 0))";
    check(tail, json!(null), Some(json!(100000)));
    // Deep non-tail recursion stops with U1001 instead of overflowing the stack.
    let deep = "($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(1000000))";
    check_error(deep, json!(null), "U1001");
    let limited = Bindings::new().max_depth(30);
    assert_eq!(run(deep, None, &limited), Err("U1001"));
}

#[test]
fn strings_regexes_and_transforms() {
    check("$uppercase('abc') & $length('héllo')", json!(null), Some(json!("ABC5")));
    check("$split('a,b,,c', ',')", json!(null), Some(json!(["a", "b", "", "c"])));
    check("$replace('John Smith', /(\\w+)\\s(\\w+)/, '$2, $1')", json!(null), Some(json!("Smith, John")));
    check("$match('ab12cd345', /\\d+/).match", json!(null), Some(json!(["12", "345"])));
    check("$contains('abc', /B/i)", json!(null), Some(json!(true)));
    check("$string({'a': [1, 2.5]})", json!(null), Some(json!("{\"a\":[1,2.5]}")));
    check("$ ~> |a|{'c': 3}, ['b']|", json!({"a": {"b": 1, "d": 2}}), Some(json!({"a": {"d": 2, "c": 3}})));
    check_error("$match('aaa', /x*/)", json!(null), "D1004");
    check_error("$match('ab', /(?<=a)b/)", json!(null), "S0303");
}

#[test]
fn pictures_and_dates() {
    check("$formatNumber(1234.5, '#,##0.00')", json!(null), Some(json!("1,234.50")));
    check("$formatInteger(42, 'w')", json!(null), Some(json!("forty-two")));
    check("$parseInteger('XLII', 'I')", json!(null), Some(json!(42)));
    check("$formatBase(255, 16)", json!(null), Some(json!("ff")));
    check("$fromMillis(0)", json!(null), Some(json!("1970-01-01T00:00:00.000Z")));
    check(
        "$fromMillis(0, '[FNn], [D1o] [MNn] [Y]', '+0100')",
        json!(null),
        Some(json!("Thursday, 1st January 1970")),
    );
    check("$toMillis('1970-01-02')", json!(null), Some(json!(86_400_000)));
}

#[test]
fn step_functions_additions() {
    check_sfn("$partition([1, 2, 3, 4, 5], 2)", json!([[1, 2], [3, 4], [5]]));
    check_sfn("$range(0, 10, 5)", json!([0, 5, 10]));
    check_sfn("$range(3, 1, -1)", json!([3, 2, 1]));
    check_sfn("$range(1, 9, 9)", json!(1));
    check_sfn(
        "$hash('hello', 'SHA-256')",
        json!("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"),
    );
    check_sfn("$parse('{\"a\": [1]}')", json!({"a": [1]}));
    check_sfn("$random(7) = $random(7)", json!(true));
    check_sfn("$length($uuid())", json!(36));
    let bindings = Bindings::step_functions();
    assert_eq!(run("$eval('1')", None, &bindings), Err("T1006"));
    assert_eq!(run("$eval('1 + 1')", None, &Bindings::new()), Ok(Some(json!(2))));
    assert_eq!(run("$partition([1], 2)", None, &Bindings::new()), Err("T1006"));
}

#[test]
fn bindings_and_clock() {
    let bindings = Bindings::new().with("x", json!(2)).now_millis(0.0);
    assert_eq!(run("$x * 21", None, &bindings), Ok(Some(json!(42))));
    assert_eq!(run("$now()", None, &bindings), Ok(Some(json!("1970-01-01T00:00:00.000Z"))));
    assert_eq!(run("$millis()", None, &bindings), Ok(Some(json!(0))));
    let seeded = Bindings::new().seed(1);
    assert_eq!(run("$random()", None, &seeded), run("$random()", None, &Bindings::new().seed(1)));
}

#[test]
fn hostile_input_fails_cleanly() {
    for expr in [
        "$formatInteger(1e300, 'w')",
        "$formatInteger(0/0, 'I')",
        "$formatInteger(1e20, 'I')",
        "$fromMillis(1e300)",
        "$toMillis('99999999999999999', '[Y]')",
        "$pad('x', 1e15)",
        "$formatNumber(1e300, '#,##0.00e0')",
        "$formatBase(1e300, 36)",
        "$substring('abc', -1e300, 1e300)",
        "[1..1e6] ~> $count()",
        "$fromMillis(0, '[Y,1000000000]')",
        "$replace('aaa', /a*?/, 'b')",
        "$split('abc', /(?=b)/)",
        "$reduce([1..30000], function($acc, $x) { {'a': $acc} }, {})",
        "$string($reduce([1..30000], function($acc, $x) { {'a': $acc} }, {}))",
        "($x := $reduce([1..30000], function($acc, $x) { {'a': $acc} }, {}); [$x = $x, $clone($x) ~> $type()])",
    ] {
        // Any outcome but a panic or a hang.
        let _ = run(expr, None, &Bindings::new());
    }
}

#[test]
fn caller_variables_are_shadowed_by_local_ones() {
    let bindings = Bindings::new().with("x", json!(5)).with("unused", json!({"big": [1, 2, 3]}));
    assert_eq!(run("($x := 1; $x)", None, &bindings), Ok(Some(json!(1))));
    assert_eq!(run("$x + ($x := 1; $x) + $x", None, &bindings), Ok(Some(json!(11))));
    assert_eq!(run("(function() { $x * 2 })()", None, &bindings), Ok(Some(json!(10))));
    assert_eq!(run("x()", None, &bindings), Err("T1005"));
}

#[test]
fn variable_paths() {
    let data =
        json!({"o": {"items": [{"q": 3}, {"q": 1}], "one": [7], "n": {"m": null}, "deep": [{"q": [2, 3]}]}});
    let bound = |expr: &str| format!("($x := o; {expr})");
    check(&bound("$x.items.q"), data.clone(), Some(json!([3, 1])));
    check(&bound("$x.deep.q"), data.clone(), Some(json!([2, 3])));
    check(&bound("$x.one"), data.clone(), Some(json!([7])));
    check(&bound("$x.n.m"), data.clone(), Some(json!(null)));
    check(&bound("$x.missing.q"), data.clone(), None);
    check(&bound("$y.q"), data.clone(), None);
    check("($x := [[1, 2], [3]]; $x.a)", json!(null), None);
    check("($x := [{'a': 1}, [{'a': 2}]]; $x.a)", json!(null), Some(json!([1, 2])));
    check("$.o.one", data.clone(), Some(json!([7])));
    check("($x := [[{'a': [[1, 2]]}]]; $x.a)", json!(null), Some(json!([1, 2])));
    check("$sort(o.items, function($l, $r) { $l.q > $r.q })[0].q", data, Some(json!(1)));
}

#[test]
fn one_item_object_constructors() {
    let data = json!({"rows": [{"k": "a", "v": 1}, {"k": "b", "v": 2}], "row": {"k": "c", "v": 3}});
    check("rows.{k: v}", data.clone(), Some(json!([{"a": 1}, {"b": 2}])));
    check("row.{k: v, 'w': nothing, '2': v, '1': k}", data.clone(), Some(json!({"1": "c", "2": 3, "c": 3})));
    check("{'x': 1, 'y': row.v}", data.clone(), Some(json!({"x": 1, "y": 3})));
    check_error("row.{k: 1, 'c': 2}", data.clone(), "D1009");
    check_error("row.{v: 1}", data.clone(), "T1003");
    check_error("row.{'a': 1, 'a': $undefined_function()}", data, "D1009");
}

#[test]
fn scopes_of_blocks_and_lambdas() {
    let data = json!({"n": 2});
    check("($f := function($a, $a) { $a }; $f(1, 2))", data.clone(), Some(json!(2)));
    check("($x := 1; ($x := 2); $x)", data.clone(), Some(json!(1)));
    check("($x := 1; ($x + 1); $x)", data.clone(), Some(json!(1)));
    check("($x := 1; ($y := 5; $x := $y); $x)", data.clone(), Some(json!(1)));
    check("($x := 1; $f := function() { ($x := 3; $x) }; [$f(), $x])", data.clone(), Some(json!([3, 1])));
    check("($g := (function() { $x }); $x := 4; $g())", data.clone(), Some(json!(4)));
    check("(($x := n); $x)", data, None);
}

#[test]
fn literals_and_built_ins_made_once_keep_their_meaning() {
    // Expressions `$eval` parses are freed as evaluation goes on; their literals must not be
    // taken for one another.
    let evals = (0..50).map(|i| format!("$eval(\"'v{i}'\")")).collect::<Vec<_>>().join(", ");
    let expected: Vec<Value> = (0..50).map(|i| json!(format!("v{i}"))).collect();
    check(&format!("[{evals}]"), json!(null), Some(Value::Array(expected)));
    check("[1, 2, 3].{'k': $string($)}.k", json!(null), Some(json!(["1", "2", "3"])));
    // A built-in is one function throughout an evaluation, as in the reference.
    check("$sum = $sum", json!(null), Some(json!(true)));
    check("($sum := function($x) { 7 }; $sum([1]))", json!(null), Some(json!(7)));
}
