//! Distributed Maps over S3 objects given locally (runtime-map-parallel.md §4.2, §4.4):
//! each `ItemReader` input type and `ReaderConfig` member, reader failures, and the
//! `ResultWriter` export (manifest, result files, the Map's result).

mod common;

use std::path::{Path, PathBuf};

use aslc_vm::s3::LocalS3;
use aslc_vm::{run, Outcome, RunOptions, Status};
use common::program;
use serde_json::{json, Value};

/// A folder standing for S3, removed when dropped.
struct Folder(PathBuf);

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl std::ops::Deref for Folder {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

/// A fresh folder standing for S3, holding `files` (`(bucket/key, content)`).
fn bucket_folder(test: &str, files: &[(&str, &str)]) -> Folder {
    let root = std::env::temp_dir().join(format!("aslc-vm-s3-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for (path, content) in files {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().expect("a parent folder")).expect("create the folder");
        std::fs::write(file, content).expect("write the object");
    }
    Folder(root)
}

/// A Distributed Map `Each` with `fields` whose processor echoes its input, followed by
/// nothing; a catcher sends reader failures to `Caught`.
fn run_map(root: Option<&Path>, fields: Value, input: Value) -> Outcome {
    let mut each = json!({
        "Type": "Map",
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Echo",
            "States": {"Echo": {"Type": "Pass", "End": true}}
        },
        "Catch": [{"ErrorEquals": ["States.ItemReaderFailed"], "Next": "Caught"}],
        "End": true
    });
    for (k, v) in fields.as_object().expect("fields") {
        each[k] = v.clone();
    }
    let definition =
        json!({"StartAt": "Each", "States": {"Each": each, "Caught": {"Type": "Pass", "End": true}}});
    let options = RunOptions { s3: root.map(LocalS3::new), history: true, ..RunOptions::default() };
    run(&program(&definition), input, &options)
}

fn get_object(key: &str, config: Value) -> Value {
    json!({"Resource": "arn:aws:states:::s3:getObject",
           "Parameters": {"Bucket": "data", "Key": key},
           "ReaderConfig": config})
}

fn types(out: &Outcome) -> Vec<&str> {
    out.events.iter().filter_map(|e| e["type"].as_str()).collect()
}

#[test]
fn a_json_array_with_max_items() {
    let root = bucket_folder("json", &[("data/in/items.json", r#"[{"n": 1}, {"n": 2}, {"n": 3}]"#)]);
    let out = run_map(
        Some(&root),
        json!({"ItemReader": get_object("in/items.json", json!({"InputType": "JSON", "MaxItems": 2})),
               "ItemsPath": "$.ignored"}),
        json!({}),
    );
    assert_eq!(out.status, Status::Succeeded, "{:?} {:?}", out.error, out.cause);
    assert_eq!(out.output, Some(json!([{"n": 1}, {"n": 2}])));
    let started = out.events.iter().find(|e| e["type"] == "MapStateStarted").expect("MapStateStarted");
    assert_eq!(started["mapStateStartedEventDetails"]["length"], 0);
    assert_eq!(
        types(&out),
        [
            "ExecutionStarted",
            "MapStateEntered",
            "MapStateStarted",
            "MapRunStarted",
            "MapRunSucceeded",
            "MapStateSucceeded",
            "MapStateExited",
            "ExecutionSucceeded"
        ]
    );
}

#[test]
fn items_pointer_and_jsonl() {
    let root = bucket_folder(
        "pointer",
        &[
            ("data/doc.json", r#"{"page": {"rows": [1, 2]}}"#),
            ("data/lines.jsonl", "{\"a\":1}\n\n\"two\"\n3\n"),
        ],
    );
    let config = json!({"InputType": "JSON", "ItemsPointer": "/page/rows"});
    let out = run_map(Some(&root), json!({"ItemReader": get_object("doc.json", config)}), json!({}));
    assert_eq!(out.output, Some(json!([1, 2])), "{:?} {:?}", out.error, out.cause);
    let out = run_map(
        Some(&root),
        json!({"ItemReader": get_object("lines.jsonl", json!({"InputType": "JSONL"}))}),
        json!({}),
    );
    assert_eq!(out.output, Some(json!([{"a": 1}, "two", 3])), "{:?} {:?}", out.error, out.cause);
}

#[test]
fn csv_with_a_header_row_or_given_headers() {
    let root = bucket_folder(
        "csv",
        &[("data/t.csv", "id,flag\n1,true\n2\n3,Null,extra\n"), ("data/p.csv", "a|b\n")],
    );
    let config = json!({"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"});
    let out = run_map(Some(&root), json!({"ItemReader": get_object("t.csv", config)}), json!({}));
    assert_eq!(
        out.output,
        Some(json!([{"id": "1", "flag": "true"}, {"id": "2", "flag": ""}, {"id": "3", "flag": "Null"}]))
    );
    let config =
        json!({"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["x", "y"], "MaxItems": 1});
    let out = run_map(Some(&root), json!({"ItemReader": get_object("t.csv", config)}), json!({}));
    assert_eq!(out.output, Some(json!([{"x": "id", "y": "flag"}])));
    let config = json!({"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["x", "y"], "CSVDelimiter": "PIPE"});
    let out = run_map(Some(&root), json!({"ItemReader": get_object("p.csv", config)}), json!({}));
    assert_eq!(out.output, Some(json!([{"x": "a", "y": "b"}])));
}

#[test]
fn reader_failures_are_caught_after_the_map_run_fails() {
    let root = bucket_folder("fail", &[("data/dup.csv", "a,a\n1,2\n"), ("data/obj.json", r#"{"a": 1}"#)]);
    let config = json!({"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"});
    let out = run_map(
        Some(&root),
        json!({"ItemReader": get_object("dup.csv", config), "ResultPath": "$.error"}),
        json!({}),
    );
    assert_eq!(out.status, Status::Succeeded);
    assert_eq!(
        out.output,
        Some(json!({"Error": "States.ItemReaderFailed", "Cause": "CSV headers cannot contain duplicates."}))
    );
    assert_eq!(
        types(&out)[1..6],
        ["MapStateEntered", "MapStateStarted", "MapRunStarted", "MapRunFailed", "MapStateFailed"]
    );
    let out = run_map(
        Some(&root),
        json!({"ItemReader": get_object("obj.json", json!({"InputType": "JSON"}))}),
        json!({}),
    );
    assert_eq!(
        out.output,
        Some(
            json!({"Error": "States.ItemReaderFailed", "Cause": "Attempting to map over non-iterable node."})
        )
    );
    let out = run_map(
        Some(&root),
        json!({"ItemReader": get_object("missing.json", json!({"InputType": "JSON"}))}),
        json!({}),
    );
    assert_eq!(out.output.as_ref().and_then(|o| o.get("Error")), Some(&json!("States.ItemReaderFailed")));
}

#[test]
fn max_items_path_values() {
    let root = bucket_folder("maxpath", &[("data/items.json", "[1, 2, 3]")]);
    let reader = get_object("items.json", json!({"InputType": "JSON", "MaxItemsPath": "$.max"}));
    let out = run_map(Some(&root), json!({"ItemReader": reader.clone()}), json!({"max": 2}));
    assert_eq!(out.output, Some(json!([1, 2])));
    let out = run_map(Some(&root), json!({"ItemReader": reader.clone()}), json!({"max": 0}));
    assert_eq!(out.output, Some(json!([1, 2, 3])));
    let out = run_map(Some(&root), json!({"ItemReader": reader.clone()}), json!({"max": -1}));
    assert_eq!(
        out.output,
        Some(json!({"Error": "States.ItemReaderFailed", "Cause": "field MaxItems must be positive"}))
    );
    let out = run_map(Some(&root), json!({"ItemReader": reader}), json!({"max": 1.5}));
    assert_eq!(out.error.as_deref(), Some("States.Runtime"));
    assert!(
        out.cause.as_deref().is_some_and(|c| c
            .ends_with("The MaxItemsPath field refers to value \"1.5\" which is not a valid integer: $.max")),
        "{:?}",
        out.cause
    );
    assert!(!types(&out).contains(&"MapRunStarted"));
}

#[test]
fn list_objects_describes_or_loads_the_objects() {
    let root = bucket_folder(
        "list",
        &[("data/logs/b.json", "[3]"), ("data/logs/a.json", "[1, 2]"), ("data/other.json", "[9]")],
    );
    let list = json!({"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "data", "Prefix": "logs/"}});
    let out = run_map(Some(&root), json!({"ItemReader": list}), json!({}));
    let items = out.output.expect("items");
    assert_eq!(items.as_array().map(Vec::len), Some(2));
    assert_eq!(items[0]["Key"], "logs/a.json");
    assert_eq!(items[0]["Size"], 6);
    // The MD5 of `[1, 2]`.
    assert_eq!(items[0]["Etag"], format!("\"{}\"", md5_hex("[1, 2]")));
    assert_eq!(items[1]["StorageClass"], "STANDARD");
    let load = json!({"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "data", "Prefix": "logs/"},
                      "ReaderConfig": {"InputType": "JSON", "Transformation": "LOAD_AND_FLATTEN"}});
    let out = run_map(Some(&root), json!({"ItemReader": load}), json!({}));
    assert_eq!(out.output, Some(json!([1, 2, 3])));
}

fn md5_hex(text: &str) -> String {
    use md5::Digest as _;
    md5::Md5::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn an_s3_inventory_manifest() {
    let manifest = r#"{"sourceBucket": "src", "destinationBucket": "arn:aws:s3:::inv",
        "fileFormat": "CSV", "fileSchema": "Bucket, Key, Size",
        "files": [{"key": "inv/data/part-1.csv", "size": 40}]}"#;
    let root = bucket_folder(
        "inventory",
        &[
            ("inv/inv/manifest.json", manifest),
            ("inv/inv/data/part-1.csv", "\"src\",\"a.txt\",\"10\"\nsrc,b.txt,20\n"),
        ],
    );
    let reader = json!({"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "inv", "Key": "inv/manifest.json"},
                        "ReaderConfig": {"InputType": "MANIFEST"}});
    let out = run_map(Some(&root), json!({"ItemReader": reader}), json!({}));
    assert_eq!(
        out.output,
        Some(
            json!([{"Bucket": "src", "Key": "a.txt", "Size": "10"}, {"Bucket": "src", "Key": "b.txt", "Size": "20"}])
        ),
        "{:?} {:?}",
        out.error,
        out.cause
    );
}

#[test]
fn without_a_local_s3_the_run_stops() {
    let out =
        run_map(None, json!({"ItemReader": get_object("x.json", json!({"InputType": "JSON"}))}), json!({}));
    assert_eq!(out.status, Status::Failed);
    assert_eq!(out.error.as_deref(), Some("aslc.NoS3"));
}

#[test]
fn the_result_writer_exports_results_and_a_manifest() {
    let root = bucket_folder("writer", &[("data/items.json", r#"[{"n": 1}, {"n": 2}, {"fail": true}]"#)]);
    let definition = json!({"StartAt": "Each", "States": {"Each": {
        "Type": "Map",
        "ItemReader": get_object("items.json", json!({"InputType": "JSON"})),
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Check",
            "States": {
                "Check": {"Type": "Choice", "Choices": [{"Variable": "$.fail", "IsPresent": true, "Next": "Boom"}],
                          "Default": "Echo"},
                "Boom": {"Type": "Fail", "Error": "Boom", "Cause": "no"},
                "Echo": {"Type": "Pass", "End": true}
            }
        },
        "ToleratedFailureCount": 1,
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out", "Prefix": "runs"}},
        "Label": "Each",
        "End": true}}});
    std::fs::create_dir_all(root.join("out")).expect("the output bucket");
    let options = RunOptions { s3: Some(LocalS3::new(root.to_path_buf())), ..RunOptions::default() };
    let out = run(&program(&definition), json!({}), &options);
    assert_eq!(out.status, Status::Succeeded, "{:?} {:?}", out.error, out.cause);
    let result = out.output.expect("the writer's result");
    let map_run_arn = result["MapRunArn"].as_str().expect("a map run ARN");
    assert!(map_run_arn.starts_with("arn:aws:states:us-east-1:123456789012:mapRun:StateMachine/Each:"));
    let run_id = map_run_arn.rsplit(':').next().expect("an id");
    assert_eq!(
        result["ResultWriterDetails"],
        json!({"Bucket": "out", "Key": format!("runs/{run_id}/manifest.json")})
    );
    let read = |key: &str| -> Value {
        let text = std::fs::read_to_string(root.join("out").join(key)).expect("an exported object");
        serde_json::from_str(&text).expect("JSON")
    };
    let manifest = read(&format!("runs/{run_id}/manifest.json"));
    assert_eq!(manifest["DestinationBucket"], "out");
    assert_eq!(manifest["MapRunArn"], map_run_arn);
    assert_eq!(manifest["ResultFiles"]["PENDING"], json!([]));
    let succeeded_key = format!("runs/{run_id}/SUCCEEDED_0.json");
    assert_eq!(manifest["ResultFiles"]["SUCCEEDED"][0]["Key"], succeeded_key);
    let succeeded = read(&succeeded_key);
    assert_eq!(succeeded.as_array().map(Vec::len), Some(2));
    assert_eq!(succeeded[0]["Status"], "SUCCEEDED");
    assert_eq!(succeeded[0]["Input"], "{\"n\":1}");
    assert_eq!(succeeded[0]["Output"], "{\"n\":1}");
    assert!(
        succeeded[0]["ExecutionArn"].as_str().is_some_and(
            |a| a.starts_with("arn:aws:states:us-east-1:123456789012:execution:StateMachine/Each:")
        )
    );
    let failed = read(&format!("runs/{run_id}/FAILED_0.json"));
    assert_eq!(failed[0]["Status"], "FAILED");
    assert_eq!(failed[0]["Error"], "Boom");
    assert_eq!(failed[0]["Cause"], "no");
    assert!(failed[0].get("Output").is_none());
}

#[test]
fn compact_jsonl_export_and_flatten_in_state() {
    let root = bucket_folder("compact", &[("data/items.json", "[[1, 2], [3]]"), ("out/.keep", "")]);
    let writer = json!({"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "out", "Prefix": "p/"},
                        "WriterConfig": {"OutputType": "JSONL", "Transformation": "COMPACT"}});
    let out = run_map(
        Some(&root),
        json!({"ItemReader": get_object("items.json", json!({"InputType": "JSON"})), "ResultWriter": writer}),
        json!({}),
    );
    let key =
        out.output.as_ref().and_then(|o| o["ResultWriterDetails"]["Key"].as_str()).expect("a manifest key");
    let folder = key.trim_end_matches("manifest.json");
    assert!(folder.starts_with("p/") && !folder.starts_with("p//"), "{folder}");
    let lines =
        std::fs::read_to_string(root.join("out").join(format!("{folder}SUCCEEDED_0.json"))).expect("results");
    assert_eq!(lines, "[1,2]\n[3]\n");
    let writer = json!({"WriterConfig": {"OutputType": "JSON", "Transformation": "FLATTEN"}});
    let out = run_map(
        Some(&root),
        json!({"ItemReader": get_object("items.json", json!({"InputType": "JSON"})), "ResultWriter": writer}),
        json!({}),
    );
    assert_eq!(out.output, Some(json!([1, 2, 3])), "{:?} {:?}", out.error, out.cause);
}

#[test]
fn jsonata_reader_arguments() {
    let root = bucket_folder("jsonata", &[("data/k.json", "[1, 2, 3]")]);
    let definition = json!({"QueryLanguage": "JSONata", "StartAt": "Each", "States": {"Each": {
        "Type": "Map",
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                       "Arguments": {"Bucket": "data", "Key": "{% $states.input.key %}"},
                       "ReaderConfig": {"InputType": "JSON", "MaxItems": "{% $states.input.max %}"}},
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Double",
            "States": {"Double": {"Type": "Pass", "Output": "{% $states.input * 2 %}", "End": true}}
        },
        "End": true}}});
    let options = RunOptions { s3: Some(LocalS3::new(root.to_path_buf())), ..RunOptions::default() };
    let out = run(&program(&definition), json!({"key": "k.json", "max": 2}), &options);
    assert_eq!(out.output, Some(json!([2, 4])), "{:?} {:?}", out.error, out.cause);
}

/// A batching Distributed Map over `$.items`, whose children fail when their batch starts
/// with the item `"bad"`.
fn run_batches(batcher: Value, tolerated: u32, items: Value) -> Outcome {
    let definition = json!({"StartAt": "Each", "States": {"Each": {
        "Type": "Map",
        "ItemsPath": "$.items",
        "ItemSelector": {"v.$": "$$.Map.Item.Value"},
        "ItemBatcher": batcher,
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
            "StartAt": "Check",
            "States": {
                "Check": {"Type": "Choice",
                          "Choices": [{"Variable": "$.Items[0].v", "StringEquals": "bad", "Next": "Boom"}],
                          "Default": "Echo"},
                "Boom": {"Type": "Fail", "Error": "Boom"},
                "Echo": {"Type": "Pass", "End": true}
            }
        },
        "ToleratedFailureCount": tolerated,
        "End": true}}});
    run(&program(&definition), json!({"run": 7, "items": items}), &RunOptions::default())
}

#[test]
fn item_batches() {
    let out = run_batches(
        json!({"MaxItemsPerBatch": 2, "BatchInput": {"run.$": "$.run"}}),
        0,
        json!(["a", "b", "c"]),
    );
    assert_eq!(
        out.output,
        Some(json!([{"Items": [{"v": "a"}, {"v": "b"}], "BatchInput": {"run": 7}},
                    {"Items": [{"v": "c"}], "BatchInput": {"run": 7}}])),
        "{:?} {:?}",
        out.error,
        out.cause
    );
    // `{"Items":[{"v":"a"},{"v":"b"}]}` is 31 bytes: a 30-byte limit makes single batches.
    let out = run_batches(json!({"MaxInputBytesPerBatch": 30}), 0, json!(["a", "b"]));
    assert_eq!(out.output, Some(json!([{"Items": [{"v": "a"}]}, {"Items": [{"v": "b"}]}])));
    let out = run_batches(json!({"MaxInputBytesPerBatch": 31}), 0, json!(["a", "b"]));
    assert_eq!(out.output, Some(json!([{"Items": [{"v": "a"}, {"v": "b"}]}])));
}

#[test]
fn every_item_of_a_failed_batch_counts() {
    // One failed batch of two items exceeds a tolerance of one failure.
    let out = run_batches(json!({"MaxItemsPerBatch": 2}), 1, json!(["bad", "x", "y"]));
    assert_eq!(out.error.as_deref(), Some("States.ExceedToleratedFailureThreshold"));
    let out = run_batches(json!({"MaxItemsPerBatch": 2}), 2, json!(["bad", "x", "y"]));
    assert_eq!(out.status, Status::Succeeded, "{:?} {:?}", out.error, out.cause);
    assert_eq!(out.output, Some(json!([{"Error": "Boom"}, {"Items": [{"v": "y"}]}])));
}
