//! Tests of CloudFormation/SAM extraction: every template of the shared corpus, and each
//! way a template gives a definition, with the spans of what is found.

use std::collections::BTreeMap;
use std::path::Path;

use aslc_source::{FileId, Severity, TextRange};
use aslc_syntax::cfn::{
    self, DefinitionSource, ResourceKind, StateMachineSource, Substitution, Template, WorkflowType,
};
use aslc_syntax::{json, yaml, Node, NodeValue};

/// The shared corpus, `../shared/corpus` from the repository root.
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus");
const TEMPLATES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/templates");

fn read_yaml(text: &str) -> Node {
    let parsed = yaml::parse(text, FileId(0));
    let errors: Vec<_> = parsed.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    parsed.node.expect("a tree")
}

fn extract(text: &str) -> Template {
    let root = read_yaml(text);
    assert!(cfn::is_template(&root));
    cfn::extract(&root, text, FileId(0))
}

fn inline(machine: &StateMachineSource) -> &Node {
    match &machine.definition {
        DefinitionSource::Inline(node) => node,
        other => panic!("expected an inline definition, found {other:?}"),
    }
}

/// The source text at `range`.
fn at(text: &str, range: TextRange) -> &str {
    &text[range.as_usize()]
}

/// Every range lies in `text` on character boundaries, and every verbatim string (and
/// key) is found in `text` where it says.
fn check_spans(node: &Node, text: &str) {
    let in_text = |range: TextRange| text.get(range.as_usize()).is_some();
    assert!(in_text(node.range), "{:?} outside the text", node.range);
    match &node.value {
        NodeValue::String(s) => {
            if let Some(base) = s.verbatim {
                let range = TextRange::new(base, base + s.text.len() as u32);
                assert_eq!(text.get(range.as_usize()), Some(&*s.text));
            }
        }
        NodeValue::Array(items) => items.iter().for_each(|item| check_spans(item, text)),
        NodeValue::Object(members) => {
            for member in members {
                assert!(in_text(member.key_range));
                if let Some(base) = member.key.verbatim {
                    let range = TextRange::new(base, base + member.key.text.len() as u32);
                    assert_eq!(text.get(range.as_usize()), Some(&*member.key.text));
                }
                check_spans(&member.value, text);
            }
        }
        _ => {}
    }
}

fn to_value(node: &Node) -> serde_json::Value {
    serde_json::from_str(&node.to_json()).expect("a JSON text")
}

struct Row {
    logical_id: String,
    kind: String,
    has_substitutions: bool,
    uri: String,
    definition_file: String,
}

#[test]
fn every_corpus_template() {
    let tsv = std::fs::read_to_string(Path::new(TEMPLATES).join("TEMPLATES.tsv")).unwrap();
    let mut rows: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for line in tsv.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let file = cols[0].strip_prefix("templates/").unwrap().to_string();
        let definition_file = cols[6].trim_end_matches(" (identical copy)").to_string();
        rows.entry(file).or_default().push(Row {
            logical_id: cols[1].into(),
            kind: cols[2].into(),
            has_substitutions: cols[3] == "yes",
            uri: cols[5].into(),
            definition_file,
        });
    }
    let mut files = 0;
    let mut machines = 0;
    let mut compared = 0;
    let mut unexpected = Vec::new();
    let mut paths = Vec::new();
    for source in std::fs::read_dir(TEMPLATES).unwrap() {
        let source = source.unwrap().path();
        if source.is_dir() {
            paths.extend(std::fs::read_dir(source).unwrap().map(|entry| entry.unwrap().path()));
        }
    }
    paths.sort();
    for path in paths {
        let name = path.strip_prefix(TEMPLATES).unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed = yaml::parse(&text, FileId(0));
        for d in &parsed.diagnostics {
            unexpected.push(format!("{name}: {} {}", d.code, d.message));
        }
        let root = parsed.node.unwrap_or_else(|| panic!("{name} has no tree"));
        check_spans(&root, &text);
        assert!(cfn::is_template(&root), "{name}");
        let template = cfn::extract(&root, &text, FileId(0));
        for d in &template.diagnostics {
            assert!(text.get(d.primary.range.as_usize()).is_some());
            unexpected.push(format!("{name}: {} {}", d.code, d.message));
        }
        let expected = rows.get(&name).unwrap_or_else(|| panic!("{name} is not in TEMPLATES.tsv"));
        assert_eq!(template.state_machines.len(), expected.len(), "{name}");
        for row in expected {
            let machine = template
                .state_machines
                .iter()
                .find(|m| m.logical_id == row.logical_id)
                .unwrap_or_else(|| panic!("{name}: `{}` not found", row.logical_id));
            assert_eq!(at(&text, machine.logical_id_range), row.logical_id);
            let properties = root.get("Resources").and_then(|r| r.get(&row.logical_id)).unwrap();
            let properties = properties.get("Properties").unwrap();
            let given = properties.get("DefinitionSubstitutions").map(|s| s.as_object().unwrap());
            assert_eq!(given.is_some(), row.has_substitutions, "{name}");
            assert_eq!(machine.substitutions.len(), given.map_or(0, <[_]>::len), "{name}");
            match (row.kind.as_str(), &machine.definition) {
                ("DefinitionUri", DefinitionSource::Uri(uri, range)) => {
                    assert_eq!(uri, &row.uri, "{name}");
                    assert_eq!(at(&text, *range).trim_matches(['"', '\'']), row.uri);
                }
                ("DefinitionUri", DefinitionSource::NotLocal(_)) => assert_eq!(row.uri, "", "{name}"),
                ("Definition", DefinitionSource::Inline(node)) => {
                    assert_eq!(node.range, properties.get("Definition").unwrap().range);
                }
                ("DefinitionString" | "DefinitionString(Fn::Sub)", DefinitionSource::Inline(node)) => {
                    let string = properties.get("DefinitionString").unwrap();
                    let inside =
                        string.range.start() <= node.range.start() && node.range.end() <= string.range.end();
                    assert!(inside, "{name}: {:?} outside {:?}", node.range, string.range);
                    // Keys point at their quotes, escaped where the string is double-quoted.
                    for member in node.as_object().unwrap() {
                        let key = at(&text, member.key_range).replace("\\\"", "\"");
                        assert_eq!(key, format!("\"{}\"", member.key.text), "{name}");
                    }
                }
                (kind, definition) => panic!("{name}: {kind} read as {definition:?}"),
            }
            if let DefinitionSource::Inline(node) = &machine.definition {
                check_spans(node, &text);
                if !row.definition_file.is_empty() {
                    let expected =
                        std::fs::read_to_string(Path::new(CORPUS).join(&row.definition_file)).unwrap();
                    let expected = json::parse(&expected, FileId(1)).node.unwrap();
                    let expected = cfn::substitute(&expected, &machine.substitutions);
                    assert_eq!(to_value(node), to_value(&expected), "{name}: {}", row.logical_id);
                    compared += 1;
                }
            }
            machines += 1;
        }
        files += 1;
    }
    assert_eq!(files, 117);
    assert_eq!(machines, 146);
    assert_eq!(compared, 31);
    assert_eq!(
        unexpected,
        [
            "aws-stepfunctions-examples/sam__app-dataquality-using-lambda__template.yaml: S-JSON-DUPKEY duplicate key `DataQualityUsingLambdaTopicArn`",
            "sfn-workflows-collection/emit-and-wait__template.yaml: CFN-DEFINITION-NOT-LOCAL the definition is not checked",
            "sfn-workflows-collection/sfn-dynamodb-batchwriteitem__template.yaml: S-JSON-DUPKEY duplicate key `AWSTemplateFormatVersion`",
            "sfn-workflows-collection/sfn-dynamodb-batchwriteitem__template.yaml: S-JSON-DUPKEY duplicate key `Handler`",
        ]
    );
}

/// A template holding one state machine resource of `resource_type` with `properties`
/// (YAML, indented by six spaces).
fn template(resource_type: &str, properties: &str) -> String {
    format!("Resources:\n  Machine:\n    Type: {resource_type}\n    Properties:\n{properties}")
}

const SFN: &str = "AWS::StepFunctions::StateMachine";
const SAM: &str = "AWS::Serverless::StateMachine";

/// The one state machine of `text` and the template's diagnostics as `code` and the text
/// they point at.
fn one(text: &str) -> (StateMachineSource, Vec<(&'static str, &str)>) {
    let template = extract(text);
    let found = template.diagnostics.iter().map(|d| (d.code, at(text, d.primary.range))).collect();
    assert_eq!(template.state_machines.len(), 1);
    (template.state_machines.into_iter().next().unwrap(), found)
}

#[test]
fn inline_definition_with_substitutions() {
    let text = template(
        SAM,
        "      Type: EXPRESS\n      DefinitionSubstitutions:\n        FnArn: arn:aws:lambda:us-east-1:1:function:f\n        \
         Other: !GetAtt Queue.Arn\n        Count: 3\n      Definition:\n        StartAt: A\n        States:\n          A:\n            \
         Type: Task\n            Resource: ${FnArn}\n            Next: ${Other}\n            Comment: ${Count} of ${Missing}\n",
    );
    let (machine, found) = one(&text);
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(machine.kind, ResourceKind::Serverless);
    assert_eq!(machine.workflow_type, Some(WorkflowType::Express));
    assert_eq!(at(&text, machine.logical_id_range), "Machine");
    let names: Vec<(&str, Option<&str>)> =
        machine.substitutions.iter().map(|s| (s.name.as_str(), s.value.as_deref())).collect();
    assert_eq!(
        names,
        [("FnArn", Some("arn:aws:lambda:us-east-1:1:function:f")), ("Other", None), ("Count", Some("3"))]
    );
    assert_eq!(at(&text, machine.substitutions[1].range), "!GetAtt Queue.Arn");
    let state = inline(&machine).get("States").unwrap().get("A").unwrap();
    assert_eq!(state.get("Resource").unwrap().as_str(), Some("arn:aws:lambda:us-east-1:1:function:f"));
    assert_eq!(at(&text, state.get("Resource").unwrap().range), "${FnArn}");
    assert_eq!(state.get("Next").unwrap().as_str(), Some("${Other}"));
    assert_eq!(state.get("Comment").unwrap().as_str(), Some("3 of ${Missing}"));
    assert_eq!(at(&text, state.member("Type").unwrap().key_range), "Type");
}

#[test]
fn definition_string_in_a_block_scalar() {
    let text = template(
        SFN,
        "      StateMachineType: STANDARD\n      DefinitionString: |-\n        {\n          \"StartAt\": \"A\",\n          \
         \"States\": {\"A\": {\"Type\": \"Succeed\"}}\n        }\n",
    );
    let (machine, found) = one(&text);
    assert!(found.is_empty(), "{found:?}");
    assert_eq!(machine.workflow_type, Some(WorkflowType::Standard));
    let definition = inline(&machine);
    assert_eq!(
        at(&text, definition.range),
        "{\n          \"StartAt\": \"A\",\n          \"States\": {\"A\": {\"Type\": \"Succeed\"}}\n        }"
    );
    let start_at = definition.member("StartAt").unwrap();
    assert_eq!(at(&text, start_at.key_range), "\"StartAt\"");
    assert_eq!(at(&text, start_at.value.range), "\"A\"");
    check_spans(definition, &text);
}

#[test]
fn definition_string_syntax_errors_point_inside_the_template() {
    let text = template(
        SFN,
        "      DefinitionString: |\n        {\n          \"StartAt\": \"A\"\n          \"States\": {}\n        }\n",
    );
    let (machine, found) = one(&text);
    assert!(matches!(machine.definition, DefinitionSource::NotLocal(_)));
    assert_eq!(found, [("S-JSON-SYNTAX", "\"States")]);
    // The same in a double-quoted YAML string with escapes, and a duplicate key.
    let text = template(
        SFN,
        "      DefinitionString: \"{\\\"StartAt\\\": \\\"A\\\", \\\"StartAt\\\": \\\"B\\\", \\\"States\\\": {}}\"\n",
    );
    let (machine, found) = one(&text);
    assert_eq!(found, [("S-JSON-DUPKEY", "\\\"StartAt\\\"")]);
    let definition = inline(&machine);
    assert_eq!(at(&text, definition.get("StartAt").unwrap().range), "\\\"A\\\"");
    check_spans(definition, &text);
}

#[test]
fn definition_string_by_fn_sub() {
    let text = template(
        SFN,
        "      DefinitionSubstitutions:\n        Literal: from-substitutions\n      DefinitionString: !Sub\n        - |\n          \
         {\"StartAt\": \"A\", \"TimeoutSeconds\": ${Timeout}, \"States\": {\"A\": {\"Type\": \"Task\",\n           \
         \"Resource\": \"arn:aws:states:${AWS::Region}:${Account}:activity:${Name}\", \"Comment\": \"${!Literal}\", \"End\": true}}}\n        \
         - Timeout: 30\n          Name: !Ref Activity\n          Account: '123456789012'\n",
    );
    let (machine, found) = one(&text);
    assert!(found.is_empty(), "{found:?}");
    let definition = inline(&machine);
    let timeout = definition.get("TimeoutSeconds").unwrap();
    assert_eq!(timeout.as_number_text(), Some("30"));
    assert_eq!(at(&text, timeout.range), "${Timeout}");
    let state = definition.get("States").unwrap().get("A").unwrap();
    let resource = state.get("Resource").unwrap();
    assert_eq!(resource.as_str(), Some("arn:aws:states:${AWS::Region}:123456789012:activity:${Name}"));
    assert_eq!(at(&text, resource.range), "\"arn:aws:states:${AWS::Region}:${Account}:activity:${Name}\"");
    assert_eq!(resource.as_spanned_str().unwrap().verbatim, None);
    // `${!Literal}` is the text `${Literal}`, which `DefinitionSubstitutions` then fills.
    assert_eq!(state.get("Comment").unwrap().as_str(), Some("from-substitutions"));
    assert_eq!(at(&text, state.member("End").unwrap().key_range), "\"End\"");
}

#[test]
fn definition_string_by_fn_join_in_a_json_template() {
    let text = r#"{"Resources": {"Machine": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
  "DefinitionString": {"Fn::Join": ["", [
    "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Task\",\"Resource\":\"",
    {"Fn::GetAtt": ["Fn", "Arn"]},
    "\",\"Next\":\"", {"Ref": "NextName"}, "\"},\"B\":{\"Type\":\"Succeed\"}}}"
  ]]}}}}}"#;
    let root = json::parse(text, FileId(0)).node.unwrap();
    assert!(cfn::is_template(&root));
    let template = cfn::extract(&root, text, FileId(0));
    assert!(template.diagnostics.is_empty(), "{:#?}", template.diagnostics);
    let machine = &template.state_machines[0];
    let state = inline(machine).get("States").unwrap().get("A").unwrap();
    let resource = state.get("Resource").unwrap();
    assert_eq!(resource.as_str(), Some("${Fn.Arn}"));
    // The string spans the literal quotes around the intrinsic and the intrinsic itself.
    assert_eq!(at(text, resource.range), "\\\"\",\n    {\"Fn::GetAtt\": [\"Fn\", \"Arn\"]},\n    \"\\\"");
    assert_eq!(state.get("Next").unwrap().as_str(), Some("${NextName}"));
    let b = inline(machine).get("States").unwrap().member("B").unwrap();
    assert_eq!(at(text, b.key_range), "\\\"B\\\"");
}

#[test]
fn definition_uris() {
    let text = template(SAM, "      DefinitionUri: statemachine/flow.asl.json\n");
    let (machine, found) = one(&text);
    assert!(found.is_empty());
    let DefinitionSource::Uri(uri, _) = &machine.definition else { panic!("{:?}", machine.definition) };
    assert_eq!(uri, "statemachine/flow.asl.json");
    for (properties, expected) in [
        ("      DefinitionUri: s3://bucket/flow.asl.json\n", "s3://bucket/flow.asl.json"),
        ("      DefinitionUri:\n        Bucket: b\n        Key: k\n", "Bucket: b\n        Key: k"),
        ("      DefinitionUri: !Sub '${Prefix}/flow.json'\n", "!Sub '${Prefix}/flow.json'"),
    ] {
        let text = template(SAM, properties);
        let (machine, found) = one(&text);
        assert!(matches!(machine.definition, DefinitionSource::NotLocal(_)), "{properties}");
        assert_eq!(found, [("CFN-DEFINITION-NOT-LOCAL", expected)]);
    }
    let text = template(SFN, "      DefinitionS3Location:\n        Bucket: b\n        Key: k\n");
    let template = extract(&text);
    assert_eq!(template.diagnostics[0].severity, Severity::Info);
    assert_eq!(template.diagnostics[0].code, "CFN-DEFINITION-NOT-LOCAL");
}

#[test]
fn missing_conflicting_and_malformed_definitions() {
    let text = template(SFN, "      RoleArn: x\n");
    let (machine, found) = one(&text);
    assert!(matches!(machine.definition, DefinitionSource::NotLocal(_)));
    assert_eq!(found, [("CFN-DEFINITION-MISSING", "Machine")]);
    let (_, found) = one("Resources:\n  Machine:\n    Type: AWS::Serverless::StateMachine\n");
    assert_eq!(found, [("CFN-DEFINITION-MISSING", "Machine")]);
    let text = template(
        SFN,
        "      Definition: {StartAt: A, States: {A: {Type: Succeed}}}\n      DefinitionString: '{}'\n",
    );
    let (machine, found) = one(&text);
    assert!(matches!(machine.definition, DefinitionSource::Inline(_)));
    assert_eq!(found, [("CFN-DEFINITION-CONFLICT", "DefinitionString")]);
    for (properties, expected) in [
        ("      Definition: 42\n", ("CFN-DEFINITION-TYPE", "42")),
        ("      DefinitionString: [a]\n", ("CFN-DEFINITION-TYPE", "[a]")),
        ("      DefinitionString: !Sub [a, b, c]\n", ("CFN-DEFINITION-TYPE", "[a, b, c]")),
        ("      DefinitionString: !Join [',', [!Ref A, [x]]]\n", ("CFN-DEFINITION-TYPE", "[x]")),
        ("      DefinitionString: !Ref Param\n", ("CFN-DEFINITION-NOT-LOCAL", "!Ref Param")),
        ("      Definition: !If [C, {}, {}]\n", ("CFN-DEFINITION-NOT-LOCAL", "!If [C, {}, {}]")),
        ("      DefinitionString: '{\"StartAt\": }'\n", ("S-JSON-SYNTAX", "}")),
        ("      StateMachineType: express\n      DefinitionString: '{}'\n", ("CFN-WORKFLOW-TYPE", "express")),
    ] {
        let text = template(SFN, properties);
        let (_, found) = one(&text);
        assert_eq!(found, [expected], "{properties}");
    }
}

#[test]
fn substitute_replaces_literal_values_in_keys_and_strings() {
    let text = r#"{"States": {"${Name}": {"Resource": "arn:${Fn}:x", "Next": "${Unknown}", "N": 1}}}"#;
    let node = json::parse(text, FileId(0)).node.unwrap();
    let substitutions = [
        Substitution { name: "Name".into(), value: Some("First".into()), range: TextRange::default() },
        Substitution { name: "Fn".into(), value: Some("lambda".into()), range: TextRange::default() },
        Substitution { name: "Unknown".into(), value: None, range: TextRange::default() },
    ];
    let out = cfn::substitute(&node, &substitutions);
    assert_eq!(
        out.to_json(),
        r#"{"States":{"First":{"Resource":"arn:lambda:x","Next":"${Unknown}","N":1}}}"#
    );
    let state = out.get("States").unwrap().member("First").unwrap();
    assert_eq!(at(text, state.key_range), "\"${Name}\"");
    assert_eq!(state.key.verbatim, None);
    let next = state.value.get("Next").unwrap().as_spanned_str().unwrap();
    assert!(next.verbatim.is_some());
}

#[test]
fn definitions_are_not_templates() {
    let node =
        json::parse(r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}"#, FileId(0)).node.unwrap();
    assert!(!cfn::is_template(&node));
    assert!(cfn::extract(&node, "", FileId(0)).state_machines.is_empty());
    let node = json::parse(r#"{"Resources": {"A": {"Properties": {}}}}"#, FileId(0)).node.unwrap();
    assert!(!cfn::is_template(&node));
}
