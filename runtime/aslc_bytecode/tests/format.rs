//! The `.aslb` format: round trips, a disassembly snapshot, and bad files (corrupt,
//! truncated, wrong version) that must be errors, never panics.

use aslc_bytecode::{DecodeError, Program, FORMAT_VERSION, MAGIC};

const LOOP: &str = r#"{
  "Comment": "a counter loop with a retried task and a Map",
  "StartAt": "Init",
  "States": {
    "Init": { "Type": "Pass", "Parameters": { "i": 0, "limit.$": "$.limit" }, "Next": "Check" },
    "Check": {
      "Type": "Choice",
      "Choices": [
        { "And": [ { "Variable": "$.i", "IsPresent": true }, { "Variable": "$.i", "NumericLessThanPath": "$.limit" } ], "Next": "Increment" }
      ],
      "Default": "Work"
    },
    "Increment": { "Type": "Pass", "Parameters": { "i.$": "States.MathAdd($.i, 1)", "limit.$": "$.limit" }, "Next": "Check" },
    "Work": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": { "FunctionName": "f", "Payload.$": "$" },
      "Retry": [ { "ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 1.5 } ],
      "Catch": [ { "ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed" } ],
      "ResultSelector": { "value.$": "$.Payload" },
      "ResultPath": "$.result",
      "Next": "Each"
    },
    "Each": {
      "Type": "Map",
      "ItemsPath": "$.items",
      "ItemSelector": { "item.$": "$$.Map.Item.Value" },
      "ItemProcessor": { "StartAt": "Echo", "States": { "Echo": { "Type": "Pass", "End": true } } },
      "End": true
    },
    "Failed": { "Type": "Fail", "Error": "Broken", "Cause": "the task failed" }
  }
}"#;

fn program(text: &str) -> Program {
    let node = aslc_syntax::json::parse(text, aslc_source::FileId(0)).node.expect("valid JSON");
    let checked = aslc_ir::check(&node, aslc_source::FileId(0), &aslc_ir::CheckOptions::default());
    assert!(checked.diagnostics.iter().all(|d| !d.is_error()), "{:?}", checked.diagnostics);
    aslc_bytecode::compile(&checked.definition.expect("a definition"), Some(text)).expect("compiles")
}

/// Rewrites the checksum so that a change to the body reaches the decoder proper.
fn reseal(bytes: &mut [u8]) {
    let sum = aslc_bytecode::codec::checksum(&bytes[14..]);
    bytes[6..14].copy_from_slice(&sum.to_le_bytes());
}

#[test]
fn round_trip_is_stable() {
    let p = program(LOOP);
    let bytes = p.encode();
    let decoded = Program::decode(&bytes).expect("decodes");
    assert_eq!(decoded.encode(), bytes);
    assert_eq!(decoded.disasm(), p.disasm());
    assert_eq!(decoded.tables, p.tables);
}

/// The compiler hands over the expressions the IR parsed; a decoded file parses their texts
/// again. Both must give the same trees, or a program would run differently from its `.aslb`.
#[test]
fn compiled_expressions_equal_the_ones_loading_parses() {
    const JSONATA: &str = r#"{
      "QueryLanguage": "JSONata",
      "StartAt": "Shape",
      "States": {
        "Shape": {
          "Type": "Pass",
          "Assign": { "n": "{% $count($states.input.items) %}" },
          "Output": { "first": "{% $states.input.items[0] %}", "names": "{% $states.input.items.name %}" },
          "End": true
        }
      }
    }"#;
    for text in [LOOP, JSONATA] {
        let p = program(text);
        assert!(!p.compiled.is_empty());
        let decoded = Program::decode(&p.encode()).expect("decodes");
        assert_eq!(format!("{:?}", decoded.compiled), format!("{:?}", p.compiled));
    }
}

#[test]
fn disassembly() {
    insta::assert_snapshot!(program(LOOP).disasm());
}

#[test]
fn bad_magic() {
    let mut bytes = program(LOOP).encode();
    bytes[0] = b'X';
    assert_eq!(Program::decode(&bytes).unwrap_err(), DecodeError::BadMagic);
    assert_eq!(Program::decode(b"").unwrap_err(), DecodeError::BadMagic);
    assert_eq!(Program::decode(b"{\"StartAt\": 1}").unwrap_err(), DecodeError::BadMagic);
}

#[test]
fn wrong_version() {
    let mut bytes = program(LOOP).encode();
    assert_eq!(&bytes[..4], MAGIC);
    bytes[4..6].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    assert_eq!(
        Program::decode(&bytes).unwrap_err(),
        DecodeError::WrongVersion { found: FORMAT_VERSION + 1, expected: FORMAT_VERSION }
    );
}

#[test]
fn corrupt_body_fails_the_checksum() {
    let mut bytes = program(LOOP).encode();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x55;
    assert_eq!(Program::decode(&bytes).unwrap_err(), DecodeError::BadChecksum);
}

#[test]
fn every_truncation_is_an_error() {
    let bytes = program(LOOP).encode();
    for len in 0..bytes.len() {
        assert!(Program::decode(&bytes[..len]).is_err(), "a file cut at {len} bytes loaded");
    }
}

#[test]
fn trailing_bytes_are_an_error() {
    let mut bytes = program(LOOP).encode();
    bytes.push(0);
    reseal(&mut bytes);
    assert_eq!(Program::decode(&bytes).unwrap_err(), DecodeError::TrailingBytes(1));
}

#[test]
fn every_corrupted_byte_is_caught_or_harmless() {
    // With the checksum rewritten, the decoder and the verifier see every corruption; none
    // may panic, and whatever loads must still be a consistent program.
    let bytes = program(LOOP).encode();
    for at in 14..bytes.len() {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut bad = bytes.clone();
            bad[at] ^= flip;
            reseal(&mut bad);
            if let Ok(p) = Program::decode(&bad) {
                let _ = p.disasm();
                assert_eq!(Program::decode(&p.encode()).map(|q| q.tables), Ok(p.tables));
            }
        }
    }
}

#[test]
fn out_of_range_index_is_reported() {
    let p = program(LOOP);
    let mut tables = p.tables.clone();
    tables.states[0].next = Some(aslc_bytecode::StateId(999));
    let err = Program::load(p.strings.clone(), p.consts.clone(), tables).unwrap_err();
    assert!(err.contains("states[0].next"), "{err}");
}

#[test]
fn non_finite_numbers_are_reported() {
    // Found by fuzzing: a NaN `BackoffRate` loaded, and NaN != NaN broke the round trip.
    let p = program(LOOP);
    for bad in [f64::NAN, f64::INFINITY, -1.0] {
        let mut tables = p.tables.clone();
        tables.retriers[0].backoff = bad;
        let err = Program::load(p.strings.clone(), p.consts.clone(), tables).unwrap_err();
        assert!(err.contains("retriers[0].backoff"), "{err}");
    }
}

#[test]
fn deep_nesting_is_reported() {
    // A crafted file can chain templates far deeper than any definition; the verifier
    // refuses it before the VM's recursive evaluation could exhaust the stack.
    use aslc_bytecode::{ItemId, ItemRec, List, TmplId, TmplKind, TmplRec};
    let p = program(LOOP);
    let mut tables = p.tables.clone();
    let base = tables.templates.len() as u32;
    for k in 0..1000u32 {
        let child = TmplId(if k == 0 { 0 } else { base + k - 1 });
        tables.items.push(ItemRec { value: child });
        let item = ItemId(tables.items.len() as u32 - 1);
        tables.templates.push(TmplRec {
            kind: TmplKind::Array,
            value: None,
            expr: None,
            members: List::empty(),
            items: List::new(item.0, 1),
        });
    }
    let err = Program::load(p.strings.clone(), p.consts.clone(), tables).unwrap_err();
    assert!(err.contains("nested deeper than"), "{err}");
}
