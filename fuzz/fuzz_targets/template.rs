//! Arbitrary text into CloudFormation/SAM extraction.
//!
//! The first byte picks where the rest goes: the whole template, the body of a
//! `DefinitionString` block scalar, a double-quoted `DefinitionString`, a `!Sub` string with
//! substitutions, or an inline `Definition`; so the fuzzer reaches the string decoding and
//! span remapping without first having to invent a template.

#![no_main]

use aslc_fuzz::{check_diagnostics, check_round_trip, check_tree};
use aslc_source::FileId;
use aslc_syntax::cfn::{self, DefinitionSource};
use aslc_syntax::{json, yaml};
use libfuzzer_sys::fuzz_target;

const HEAD: &str =
    "Resources:\n  Machine:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      \
                    DefinitionSubstitutions:\n        A: x\n        B: 2\n        C: !GetAtt F.Arn\n";

fn indent(body: &str, by: &str) -> String {
    body.lines().map(|line| format!("{by}{line}\n")).collect()
}

fn wrap(selector: u8, body: &str) -> String {
    match selector % 6 {
        0 => body.to_string(),
        1 => format!("{HEAD}      DefinitionString: |\n{}", indent(body, "        ")),
        2 => format!("{HEAD}      DefinitionString: \"{}\"\n", body.replace('\n', " ")),
        3 => format!(
            "{HEAD}      DefinitionString: !Sub\n        - |\n{}        - A: y\n",
            indent(body, "          ")
        ),
        4 => format!(
            "{HEAD}      DefinitionString: !Join\n        - ''\n        - - '{}'\n          - !Ref P\n",
            body.replace(['\n', '\''], " ")
        ),
        _ => format!("{HEAD}      Definition:\n{}", indent(body, "        ")),
    }
}

fuzz_target!(|bytes: &[u8]| {
    let Some((&selector, rest)) = bytes.split_first() else {
        return;
    };
    let Ok(body) = std::str::from_utf8(rest) else {
        return;
    };
    let text = wrap(selector, body);
    let parsed = if selector % 6 == 0 && text.trim_start().starts_with('{') {
        json::parse(&text, FileId(0))
    } else {
        yaml::parse(&text, FileId(0))
    };
    check_diagnostics(&text, &parsed.diagnostics);
    let Some(root) = parsed.node else {
        return;
    };
    let template = cfn::extract(&root, &text, FileId(0));
    check_diagnostics(&text, &template.diagnostics);
    for machine in &template.state_machines {
        check_range_of(&text, machine.range);
        for substitution in &machine.substitutions {
            check_range_of(&text, substitution.range);
        }
        match &machine.definition {
            DefinitionSource::Inline(node) => {
                check_tree(&text, node);
                check_round_trip(node);
                check_tree(&text, &cfn::substitute(node, &machine.substitutions));
            }
            DefinitionSource::Uri(_, range) => check_range_of(&text, *range),
            DefinitionSource::NotLocal(_) => {}
        }
    }
});

fn check_range_of(text: &str, range: aslc_source::TextRange) {
    aslc_fuzz::check_range(text, range, "template");
}
