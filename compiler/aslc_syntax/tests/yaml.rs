//! Tests of the YAML reader: the core schema, CloudFormation tags, spans, and the bounds
//! that keep hostile input cheap.

use aslc_source::{FileId, TextRange};
use aslc_syntax::yaml::parse;
use aslc_syntax::Node;

/// The tree of `text`, which must read without diagnostics.
fn tree(text: &str) -> Node {
    let parsed = parse(text, FileId(0));
    assert!(parsed.diagnostics.is_empty(), "{:#?}", parsed.diagnostics);
    parsed.node.expect("a tree")
}

/// The compact JSON of `text`, which must read without diagnostics.
fn json(text: &str) -> String {
    tree(text).to_json()
}

/// Each diagnostic of `text` as `code` and the source text it points at.
fn diagnostics(text: &str) -> Vec<(&'static str, &str)> {
    parse(text, FileId(0)).diagnostics.iter().map(|d| (d.code, &text[d.primary.range.as_usize()])).collect()
}

fn at(text: &str, range: TextRange) -> &str {
    &text[range.as_usize()]
}

#[test]
fn core_schema_scalars() {
    assert_eq!(
        json("a: ~\nb:\nc: null\nd: True\ne: FALSE\nf: 12\ng: -1.5e3\nh: Yes\ni: No\nj: on\nk: off\n"),
        r#"{"a":null,"b":null,"c":null,"d":true,"e":false,"f":12,"g":-1.5e3,"h":"Yes","i":"No","j":"on","k":"off"}"#
    );
    // Quoted and block scalars are strings whatever they look like.
    assert_eq!(json("a: 'true'\nb: \"12\"\nc: |\n  null\n"), r#"{"a":"true","b":"12","c":"null\n"}"#);
}

#[test]
fn numbers_become_json_numbers() {
    assert_eq!(json("[+1, 007, 0x1F, 0o17, .5, 1., 1.50, 1e400]"), "[1,7,31,15,0.5,1.0,1.50,1e400]");
    assert_eq!(diagnostics("a: .inf\nb: -.Inf\nc: .NaN\n").len(), 3);
    let node = parse("a: .inf\n", FileId(0)).node.unwrap();
    assert_eq!(node.get("a").unwrap().as_str(), Some(".inf"));
    assert_eq!(diagnostics("a: .nan\n"), [("S-YAML-NUMBER", ".nan")]);
}

#[test]
fn keys_are_their_text() {
    assert_eq!(json("1: a\ntrue: b\n~: c\n'q': d\n"), r#"{"1":"a","true":"b","~":"c","q":"d"}"#);
    assert_eq!(diagnostics("[a]: 1\n"), [("S-JSON-SYNTAX", "[a]")]);
}

#[test]
fn yes_and_no_state_names_stay_strings() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/corpus/real/serverless-patterns/lambda-sfn-sls__stateMachine.asl.yaml"
    ))
    .unwrap();
    let node = tree(&text);
    let states = node.get("States").unwrap().as_object().unwrap();
    let names: Vec<&str> = states.iter().map(|m| &*m.key.text).collect();
    assert!(names.contains(&"Yes") && names.contains(&"No"), "{names:?}");
}

#[test]
fn every_corpus_yaml_definition_reads_like_its_json() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/real");
    let mut count = 0;
    for source in std::fs::read_dir(dir).unwrap() {
        for entry in std::fs::read_dir(source.unwrap().path()).unwrap() {
            let path = entry.unwrap().path();
            let name = path.to_string_lossy().into_owned();
            if !name.ends_with(".asl.yaml") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let node = tree(&text);
            assert!(node.get("StartAt").is_some() && node.get("States").is_some(), "{name}");
            count += 1;
        }
    }
    assert_eq!(count, 18);
}

#[test]
fn spans_of_keys_and_values() {
    let text = "Next: Done\n'Quoted': \"x\"\nList:\n- one\n- two\nBlock: |\n  a\n";
    let node = tree(text);
    let next = node.member("Next").unwrap();
    assert_eq!(at(text, next.key_range), "Next");
    assert_eq!(at(text, next.value.range), "Done");
    assert_eq!(next.value.as_spanned_str().unwrap().verbatim, Some(6));
    let quoted = node.member("Quoted").unwrap();
    assert_eq!(at(text, quoted.key_range), "'Quoted'");
    assert_eq!(quoted.key.verbatim, Some(12));
    assert_eq!(at(text, quoted.value.range), "\"x\"");
    let list = node.get("List").unwrap();
    assert_eq!(at(text, list.range), "- one\n- two");
    let block = node.get("Block").unwrap();
    assert_eq!(at(text, block.range), "|\n  a\n");
    assert_eq!(block.as_spanned_str().unwrap().verbatim, None);
    assert_eq!(at(text, node.range), text);
}

#[test]
fn verbatim_only_where_the_text_is_in_the_source() {
    let node = tree("a: 'it''s'\nb: \"x\\ny\"\nc: one\n  two\nd: 'plain'\ne: \"é\"\n");
    let verbatim = |key: &str| node.get(key).unwrap().as_spanned_str().unwrap().verbatim;
    assert_eq!(verbatim("a"), None);
    assert_eq!(verbatim("b"), None);
    assert_eq!(verbatim("c"), None);
    assert!(verbatim("d").is_some());
    assert!(verbatim("e").is_some());
}

#[test]
fn offsets_are_bytes_after_multibyte_text() {
    let text = "ä: 'ü€'\nnext: x\n";
    let node = tree(text);
    let member = node.member("next").unwrap();
    assert_eq!(at(text, member.key_range), "next");
    assert_eq!(at(text, member.value.range), "x");
    assert_eq!(at(text, node.get("ä").unwrap().range), "'ü€'");
}

#[test]
fn cloudformation_tags_become_long_forms() {
    let text = "a: !Ref Bucket\nb: !Sub 'arn:${AWS::Region}'\nc: !GetAtt Fn.Arn\nd: !GetAtt [Fn, Arn]\n\
                e: !Join ['', [x, !Ref y]]\nf: !GetAZs ''\ng: !If [C, 1, 2]\n";
    assert_eq!(
        json(text),
        concat!(
            r#"{"a":{"Ref":"Bucket"},"b":{"Fn::Sub":"arn:${AWS::Region}"},"c":{"Fn::GetAtt":["Fn","Arn"]},"#,
            r#""d":{"Fn::GetAtt":["Fn","Arn"]},"e":{"Fn::Join":["",["x",{"Ref":"y"}]]},"f":{"Fn::GetAZs":""},"#,
            r#""g":{"Fn::If":["C",1,2]}}"#
        )
    );
    let node = tree(text);
    let reference = node.get("a").unwrap();
    assert_eq!(at(text, reference.range), "!Ref Bucket");
    let member = reference.member("Ref").unwrap();
    assert_eq!(at(text, member.key_range), "!Ref");
    assert_eq!(at(text, member.value.range), "Bucket");
    let get_att = node.get("c").unwrap().get("Fn::GetAtt").unwrap().as_array().unwrap();
    assert_eq!(at(text, get_att[0].range), "Fn");
    assert_eq!(at(text, get_att[1].range), "Arn");
    // A tagged scalar is a string, as CloudFormation reads it.
    assert_eq!(json("a: !Ref 12\n"), r#"{"a":{"Ref":"12"}}"#);
    // Block collections under a tag.
    let text = "a: !Sub\n  - '${X}'\n  - X: 1\n";
    let node = tree(text);
    assert_eq!(at(text, node.get("a").unwrap().range), "!Sub\n  - '${X}'\n  - X: 1");
}

#[test]
fn unknown_tags_keep_their_value_and_warn() {
    let text = "a: !Custom 12\nb: !!str 12\nc: !!int x\n";
    assert_eq!(diagnostics(text), [("S-YAML-TAG", "!Custom"), ("S-YAML-TAG", "!!int")]);
    let node = parse(text, FileId(0)).node.unwrap();
    assert_eq!(node.to_json(), r#"{"a":12,"b":"12","c":"x"}"#);
}

#[test]
fn duplicate_keys() {
    let text = "a: 1\nb: 2\na: 3\n";
    let parsed = parse(text, FileId(0));
    assert_eq!(parsed.diagnostics.len(), 1);
    let diagnostic = &parsed.diagnostics[0];
    assert_eq!(diagnostic.code, "S-JSON-DUPKEY");
    assert_eq!(diagnostic.primary.range, TextRange::new(10, 11));
    assert_eq!(diagnostic.secondary[0].range, TextRange::new(0, 1));
    // Large mappings index their keys; duplicates are still found.
    let mut text: String = (0..100).map(|i| format!("k{i}: {i}\n")).collect();
    text.push_str("k42: again\n");
    assert_eq!(diagnostics(&text), [("S-JSON-DUPKEY", "k42")]);
}

#[test]
fn anchors_and_aliases_expand() {
    let text = "base: &b {Type: Pass, End: true}\ncopy: *b\n";
    let node = tree(text);
    assert_eq!(node.to_json(), r#"{"base":{"Type":"Pass","End":true},"copy":{"Type":"Pass","End":true}}"#);
    assert_eq!(at(text, node.get("copy").unwrap().range), "*b");
    // `<<` is an ordinary key in YAML 1.2.
    assert_eq!(json("a: &a {x: 1}\nb: {<<: *a}\n"), r#"{"a":{"x":1},"b":{"<<":{"x":1}}}"#);
}

#[test]
fn alias_expansion_is_bounded() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let mut previous = 'a';
    for name in 'b'..='j' {
        text.push_str(&format!("{name}: &{name} [{}]\n", vec![format!("*{previous}"); 10].join(", ")));
        previous = name;
    }
    let parsed = parse(&text, FileId(0));
    assert!(parsed.node.is_none());
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(parsed.diagnostics[0].code, "S-YAML-ALIAS");
}

#[test]
fn an_alias_inside_its_anchor_is_an_error() {
    assert_eq!(diagnostics("a: &x [1, *x]\n"), [("S-YAML-ALIAS", "*x")]);
}

#[test]
fn one_document_per_file() {
    let text = "a: 1\n---\nb: 2\n";
    let parsed = parse(text, FileId(0));
    assert_eq!(parsed.node.unwrap().to_json(), r#"{"a":1}"#);
    assert_eq!(diagnostics(text), [("S-YAML-MULTIDOC", "---")]);
    // One explicit document is fine.
    assert_eq!(json("---\na: 1\n...\n"), r#"{"a":1}"#);
}

#[test]
fn empty_documents() {
    let parsed = parse("", FileId(0));
    assert!(parsed.node.is_none());
    assert_eq!(parsed.diagnostics[0].code, "S-JSON-SYNTAX");
    assert_eq!(diagnostics("# only a comment\n")[0].0, "S-JSON-SYNTAX");
    assert_eq!(json("---\n"), "null");
}

#[test]
fn syntax_errors_point_at_the_problem() {
    for (text, expected) in [
        ("a: [1, 2\n", ""),
        ("a: 'open\n", "'"),
        ("a: b: c\n", ":"),
        ("a:\n  - x\n  y: 1\n", "y"),
        ("a: \"\\q\"\n", "\""),
        ("{a: 1}}\n", "}"),
    ] {
        let found = diagnostics(text);
        assert_eq!(found.len(), 1, "{text:?}: {found:?}");
        assert_eq!(found[0].0, "S-JSON-SYNTAX", "{text:?}");
        assert_eq!(found[0].1, expected, "{text:?}");
        assert!(parse(text, FileId(0)).node.is_none());
    }
}

#[test]
fn flow_content_less_indented_than_its_key_is_accepted() {
    // YAML forbids it; CloudFormation's and SAM's readers accept it.
    let text =
        "Statement:\n  - Action: [\n      \"s3:GetObject\",\n    ]\n    Resource: {\n  a: b\n}\nAfter: x\n";
    let node = tree(text);
    let statement = &node.get("Statement").unwrap().as_array().unwrap()[0];
    assert_eq!(at(text, statement.get("Action").unwrap().range), "[\n      \"s3:GetObject\",\n    ]");
    assert_eq!(at(text, statement.get("Resource").unwrap().range), "{\n  a: b\n}");
    assert_eq!(at(text, node.member("After").unwrap().key_range), "After");
    assert_eq!(node.get("After").unwrap().as_spanned_str().unwrap().verbatim, Some(text.len() as u32 - 2));
}

#[test]
fn nesting_is_bounded() {
    let flow = "[".repeat(1_000_000);
    let parsed = parse(&flow, FileId(0));
    assert!(parsed.node.is_none());
    assert_eq!(parsed.diagnostics[0].code, "S-JSON-DEPTH");
    let block = format!("{}x\n", "- ".repeat(1_000_000));
    let parsed = parse(&block, FileId(0));
    assert!(parsed.node.is_none());
    assert_eq!(parsed.diagnostics[0].code, "S-JSON-DEPTH");
    // Within the bound, deep documents read.
    let ok = format!("{}x\n", "- ".repeat(aslc_syntax::MAX_DEPTH));
    assert!(parse(&ok, FileId(0)).node.is_some());
    let too_deep = format!("{}x\n", "- ".repeat(aslc_syntax::MAX_DEPTH + 1));
    assert_eq!(diagnostics(&too_deep)[0].0, "S-JSON-DEPTH");
}
