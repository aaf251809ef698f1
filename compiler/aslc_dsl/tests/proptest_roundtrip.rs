//! Property: random valid state machines (every state type, nested scopes, both query
//! languages, odd names, big and exact numbers) survive ASL → DSL → ASL as the same JSON
//! value, and decompiling again gives the same text.

use aslc_source::{FileId, TextRange};
use aslc_syntax::{Member, Node, NodeValue, Str};
use proptest::prelude::*;

fn node(value: NodeValue) -> Node {
    Node::new(TextRange::default(), value)
}

fn string(text: &str) -> Node {
    node(NodeValue::String(Str::synthetic(text)))
}

fn number(text: &str) -> Node {
    node(NodeValue::Number(text.into()))
}

fn object(members: Vec<(String, Node)>) -> Node {
    node(NodeValue::Object(
        members
            .into_iter()
            .map(|(k, v)| Member { key: Str::synthetic(k), key_range: TextRange::default(), value: v })
            .collect(),
    ))
}

fn array(items: Vec<Node>) -> Node {
    node(NodeValue::Array(items))
}

#[derive(Clone, Debug)]
enum Payload {
    Null,
    Bool(bool),
    Number(&'static str),
    Text(String),
    Path(&'static str),
    Array(Vec<Payload>),
    Object(Vec<(String, Payload)>),
}

const NUMBERS: &[&str] = &["0", "7", "2.0", "-0.5", "1.50", "12345678901234567890123", "1e400", "3E-2"];
const PATHS: &[&str] =
    &["$", "$.a", "$.items[0].id", "$$.Execution.Id", "States.Format('{}', $.x)", "$.b[?(@.p < 10)]"];
const NAMES: &[&str] = &["end", "Job Done?", "Bestellung_prüfen", "check-stock", "if", "a\"b", "Ω", "x.y"];
const ERRORS: &[&str] = &["States.ALL", "States.Timeout", "Lambda.ServiceException", "My Error", "end.x"];
const RESOURCES: &[&str] = &[
    "arn:aws:states:::lambda:invoke",
    "arn:aws:states:::aws-sdk:s3:listObjectsV2",
    "arn:aws:states:::states:startExecution.sync:2",
    "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "arn:aws:lambda:us-east-1:123456789012:function:f",
    "${SomeFunctionArn}",
];

fn payload() -> impl Strategy<Value = Payload> {
    let leaf = prop_oneof![
        Just(Payload::Null),
        any::<bool>().prop_map(Payload::Bool),
        proptest::sample::select(NUMBERS).prop_map(Payload::Number),
        "[ -~]{0,8}".prop_map(Payload::Text),
        Just(Payload::Text("{% $states.input %}".to_owned())),
        proptest::sample::select(PATHS).prop_map(Payload::Path),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(Payload::Array),
            proptest::collection::vec(("[a-zA-Z][a-z0-9]{0,4}|[ -~]{1,4}", inner), 0..4)
                .prop_map(Payload::Object),
        ]
    })
}

fn to_node(p: &Payload) -> Node {
    match p {
        Payload::Null => node(NodeValue::Null),
        Payload::Bool(b) => node(NodeValue::Bool(*b)),
        Payload::Number(n) => number(n),
        Payload::Text(t) => string(t),
        Payload::Path(p) => string(p),
        Payload::Array(items) => array(items.iter().map(to_node).collect()),
        Payload::Object(members) => {
            // A path payload is written under a `.$` key, as ASL templates do.
            let mut seen = Vec::new();
            let mut out = Vec::new();
            for (k, v) in members {
                let key = if matches!(v, Payload::Path(_)) { format!("{k}.$") } else { k.clone() };
                if !seen.contains(&key) {
                    seen.push(key.clone());
                    out.push((key, to_node(v)));
                }
            }
            object(out)
        }
    }
}

#[derive(Clone, Debug)]
struct StatePlan {
    kind: u8,
    name: String,
    next: usize,
    end: bool,
    payload: Payload,
    options: Vec<u8>,
    number: &'static str,
    path: &'static str,
    rules: Vec<(u8, usize, &'static str)>,
    catches: Vec<(&'static str, usize)>,
    jsonata: bool,
}

fn name() -> BoxedStrategy<String> {
    prop_oneof![
        3 => "[A-Z][a-zA-Z0-9_]{0,6}",
        1 => proptest::sample::select(NAMES).prop_map(str::to_owned),
    ]
    .boxed()
}

fn state_plan() -> impl Strategy<Value = StatePlan> {
    (
        (0u8..8, name(), 0usize..8, any::<bool>()),
        (
            payload(),
            proptest::collection::vec(0u8..12, 0..5),
            proptest::sample::select(NUMBERS),
            proptest::sample::select(PATHS),
        ),
        (
            proptest::collection::vec((0u8..10, 0usize..8, proptest::sample::select(NUMBERS)), 1..4),
            proptest::collection::vec((proptest::sample::select(ERRORS), 0usize..8), 0..3),
            proptest::bool::weighted(0.2),
        ),
    )
        .prop_map(
            |((kind, name, next, end), (payload, options, number, path), (rules, catches, jsonata))| {
                StatePlan { kind, name, next, end, payload, options, number, path, rules, catches, jsonata }
            },
        )
}

fn scope_plan() -> impl Strategy<Value = Vec<(StatePlan, Vec<StatePlan>)>> {
    proptest::collection::vec((state_plan(), proptest::collection::vec(state_plan(), 1..4)), 1..7)
}

fn build_scope(plans: &[(StatePlan, Vec<StatePlan>)], depth: usize) -> Node {
    let mut names: Vec<String> = Vec::new();
    for (p, _) in plans {
        let mut name = p.name.clone();
        while names.contains(&name) {
            name.push('2');
        }
        names.push(name);
    }
    let mut states = Vec::new();
    for (i, (p, nested)) in plans.iter().enumerate() {
        states.push((names[i].clone(), build_state(p, nested, &names, depth)));
    }
    object(vec![("StartAt".to_owned(), string(&names[0])), ("States".to_owned(), object(states))])
}

fn build_state(p: &StatePlan, nested: &[StatePlan], names: &[String], depth: usize) -> Node {
    let target = |i: usize| string(&names[i % names.len()]);
    let kinds = ["Task", "Pass", "Wait", "Choice", "Parallel", "Map", "Succeed", "Fail"];
    let kind = kinds[p.kind as usize % 8];
    let kind = if depth > 0 && matches!(kind, "Parallel" | "Map") { "Pass" } else { kind };
    let mut m: Vec<(String, Node)> = vec![("Type".to_owned(), string(kind))];
    if p.jsonata {
        m.push(("QueryLanguage".to_owned(), string("JSONata")));
    }
    let nested_plans: Vec<(StatePlan, Vec<StatePlan>)> =
        nested.iter().map(|s| (s.clone(), Vec::new())).collect();
    match kind {
        "Task" => m.push(("Resource".to_owned(), string(RESOURCES[p.options.len() % RESOURCES.len()]))),
        "Wait" => {
            if p.jsonata {
                m.push(("Seconds".to_owned(), number(p.number)));
            } else {
                m.push(("SecondsPath".to_owned(), string("$.wait")));
            }
        }
        "Fail" => {
            m.push(("Error".to_owned(), string("Oops")));
            if !p.jsonata {
                m.push(("CausePath".to_owned(), string(p.path)));
            }
        }
        "Choice" => {
            let mut rules = Vec::new();
            for (form, to, n) in &p.rules {
                let cond: Vec<(String, Node)> = if p.jsonata {
                    vec![("Condition".to_owned(), string("{% $states.input.ok %}"))]
                } else {
                    match form % 10 {
                        0 => vec![
                            ("Variable".to_owned(), string("$.a")),
                            ("NumericLessThan".to_owned(), number(n)),
                        ],
                        1 => vec![
                            ("Variable".to_owned(), string("$.a")),
                            ("StringEquals".to_owned(), string("x")),
                        ],
                        2 => vec![
                            ("Variable".to_owned(), string("$.a")),
                            ("BooleanEquals".to_owned(), node(NodeValue::Bool(true))),
                        ],
                        3 => vec![
                            ("Variable".to_owned(), string("$.t")),
                            ("TimestampLessThan".to_owned(), string("2020-01-01T00:00:00Z")),
                        ],
                        4 => vec![
                            ("Variable".to_owned(), string("$.a")),
                            ("NumericGreaterThanPath".to_owned(), string("$.b")),
                        ],
                        5 => vec![
                            ("Variable".to_owned(), string("$.a")),
                            ("IsPresent".to_owned(), node(NodeValue::Bool(false))),
                        ],
                        6 => vec![(
                            "And".to_owned(),
                            array(vec![
                                object(vec![
                                    ("Variable".to_owned(), string("$.a")),
                                    ("StringMatches".to_owned(), string("x*")),
                                ]),
                                object(vec![(
                                    "Or".to_owned(),
                                    array(vec![object(vec![
                                        ("Variable".to_owned(), string("$.b")),
                                        ("IsNull".to_owned(), node(NodeValue::Bool(true))),
                                    ])]),
                                )]),
                            ]),
                        )],
                        7 => vec![(
                            "Not".to_owned(),
                            object(vec![
                                ("Variable".to_owned(), string("$.a")),
                                ("StringEquals".to_owned(), string("y")),
                            ]),
                        )],
                        8 => vec![
                            ("Variable".to_owned(), string("$.a")),
                            ("StringEquals".to_owned(), number(n)),
                        ],
                        _ => vec![
                            ("Variable".to_owned(), string("$.a")),
                            ("Comment".to_owned(), string("odd rule")),
                        ],
                    }
                };
                let mut rule = cond;
                rule.push(("Next".to_owned(), target(*to)));
                rules.push(object(rule));
            }
            m.push(("Choices".to_owned(), array(rules)));
            if !p.end {
                m.push(("Default".to_owned(), target(p.next)));
            }
        }
        "Parallel" => m.push((
            "Branches".to_owned(),
            array(vec![build_scope(&nested_plans, depth + 1), build_scope(&nested_plans[..1], depth + 1)]),
        )),
        "Map" => {
            let mut processor = build_scope(&nested_plans, depth + 1);
            if let NodeValue::Object(ms) = &mut processor.value {
                let config = object(vec![
                    ("Mode".to_owned(), string("DISTRIBUTED")),
                    ("ExecutionType".to_owned(), string("EXPRESS")),
                ]);
                ms.insert(
                    0,
                    Member {
                        key: Str::synthetic("ProcessorConfig"),
                        key_range: TextRange::default(),
                        value: config,
                    },
                );
            }
            m.push(("ItemProcessor".to_owned(), processor));
        }
        _ => {}
    }
    for option in &p.options {
        let (k, v) = match (option, p.jsonata) {
            (0, false) => ("InputPath", string(p.path)),
            (1, false) => ("Parameters", to_node(&p.payload)),
            (1, true) => ("Arguments", to_node(&p.payload)),
            (2, false) => ("ResultSelector", to_node(&p.payload)),
            (3, false) => ("ResultPath", if p.end { node(NodeValue::Null) } else { string("$.r") }),
            (4, false) => ("OutputPath", string(p.path)),
            (4, true) => ("Output", to_node(&p.payload)),
            (5, _) => ("Assign", to_node(&p.payload)),
            (6, _) => ("TimeoutSeconds", number(p.number)),
            (7, false) => ("HeartbeatSecondsPath", string("$.hb")),
            (8, _) => ("Comment", string(if p.end { "line one\nline two" } else { "trailing blank " })),
            (9, _) => ("Result", to_node(&p.payload)),
            (10, _) => ("Unknown", to_node(&p.payload)),
            (11, _) => (
                "Retry",
                array(vec![object(vec![
                    ("ErrorEquals".to_owned(), array(vec![string("States.ALL")])),
                    ("BackoffRate".to_owned(), number(p.number)),
                    ("JitterStrategy".to_owned(), string("FULL")),
                ])]),
            ),
            _ => continue,
        };
        if !m.iter().any(|(key, _)| key == k) {
            m.push((k.to_owned(), v));
        }
    }
    if matches!(kind, "Task" | "Parallel" | "Map") && !p.catches.is_empty() {
        let catchers = p
            .catches
            .iter()
            .map(|(e, to)| {
                object(vec![
                    ("ErrorEquals".to_owned(), array(vec![string(e)])),
                    ("Next".to_owned(), target(*to)),
                ])
            })
            .collect();
        m.push(("Catch".to_owned(), array(catchers)));
    }
    if matches!(kind, "Task" | "Pass" | "Wait" | "Parallel" | "Map") {
        if p.end {
            m.push(("End".to_owned(), node(NodeValue::Bool(true))));
        } else {
            m.push(("Next".to_owned(), target(p.next)));
        }
    }
    object(m)
}

fn machine() -> impl Strategy<Value = Node> {
    (scope_plan(), any::<bool>(), proptest::sample::select(NUMBERS)).prop_map(|(plans, jsonata, timeout)| {
        let mut root = build_scope(&plans, 0);
        if let NodeValue::Object(ms) = &mut root.value {
            let mut head = vec![Member {
                key: Str::synthetic("Comment"),
                key_range: TextRange::default(),
                value: string("generated"),
            }];
            if jsonata {
                head.push(Member {
                    key: Str::synthetic("QueryLanguage"),
                    key_range: TextRange::default(),
                    value: string("JSONata"),
                });
            }
            head.push(Member {
                key: Str::synthetic("TimeoutSeconds"),
                key_range: TextRange::default(),
                value: number(timeout),
            });
            ms.splice(0..0, head);
        }
        root
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn random_machines_round_trip(original in machine()) {
        let dsl = aslc_dsl::decompile(&original).expect("an object");
        let compiled = aslc_dsl::compile(&dsl, FileId(0));
        prop_assert!(!compiled.has_errors(), "{:#?}\n{dsl}", compiled.diagnostics);
        let lowered = compiled.node.expect("a tree");
        prop_assert!(aslc_dsl::same(&lowered, &original), "{dsl}\n{}\n{}", aslc_dsl::print_asl(&lowered), aslc_dsl::print_asl(&original));
        let again = aslc_dsl::decompile(&lowered).expect("an object");
        prop_assert_eq!(again, dsl);
    }
}
