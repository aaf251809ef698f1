//! A Distributed Map's item readers and result writer (runtime-map-parallel.md §4.2,
//! §4.4) over S3 objects given locally ([`LocalS3`]).
//!
//! Readers turn objects into items: JSON arrays (optionally under an `ItemsPointer`), JSON
//! Lines, CSV (header in the first row or given, every value a string), S3 Inventory
//! manifests, and `listObjectsV2` listings (object descriptions, or with
//! `LOAD_AND_FLATTEN` the objects' items). The writer exports the children's results as
//! AWS does: `SUCCEEDED_0.json`/`FAILED_0.json` and a `manifest.json` under
//! `<Prefix>/<map run id>/`, and the Map's result names the manifest.

use serde_json::{json, Map, Value};

use crate::s3::{LocalS3, S3Error};
use crate::vm::iso_millis;

/// Why a reader or writer could not do its work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IoFailure {
    /// The run has no local S3 folder.
    NoS3,
    /// `States.ItemReaderFailed` or `States.ResultWriterFailed`, with this cause.
    Failed(String),
}

impl From<S3Error> for IoFailure {
    fn from(e: S3Error) -> IoFailure {
        IoFailure::Failed(e.to_string())
    }
}

/// The items an `ItemReader` produces: `resource` is its `Resource`, `parameters` its
/// evaluated `Parameters`/`Arguments`, `config` its `ReaderConfig` (an object, or null),
/// `max_items` the `MaxItems` limit (0: none).
pub fn read_items(
    s3: Option<&LocalS3>,
    resource: &str,
    parameters: &Value,
    config: &Value,
    max_items: u64,
) -> Result<Vec<Value>, IoFailure> {
    let s3 = s3.ok_or(IoFailure::NoS3)?;
    let text = |key: &str| config.get(key).and_then(Value::as_str);
    let field = |key: &str| -> Result<&str, IoFailure> {
        parameters
            .get(key)
            .and_then(Value::as_str)
            .ok_or_else(|| IoFailure::Failed(format!("the reader's parameters have no string `{key}`")))
    };
    let bucket = field("Bucket")?;
    let format = Format::of(config);
    let mut items = if resource.ends_with(":s3:listObjectsV2") {
        let prefix = parameters.get("Prefix").and_then(Value::as_str).unwrap_or("");
        let objects = s3.list_objects(bucket, prefix)?;
        if text("Transformation") == Some("LOAD_AND_FLATTEN") {
            let mut items = Vec::new();
            for object in objects {
                let bytes = s3.get_object(bucket, &object.key)?;
                items.extend(format.parse(&bytes, bucket, &object.key, s3)?);
            }
            items
        } else {
            objects
                .into_iter()
                .map(|o| {
                    json!({"Etag": o.etag, "Key": o.key, "LastModified": o.last_modified,
                           "Size": o.size, "StorageClass": "STANDARD"})
                })
                .collect()
        }
    } else if resource.ends_with(":s3:getObject") {
        let key = field("Key")?;
        let bytes = s3.get_object(bucket, key)?;
        format.parse(&bytes, bucket, key, s3)?
    } else {
        return Err(IoFailure::Failed(format!("`{resource}` is not an item reader resource")));
    };
    if max_items > 0 {
        items.truncate(usize::try_from(max_items).unwrap_or(usize::MAX));
    }
    Ok(items)
}

/// How an object's bytes become items.
struct Format<'a> {
    input_type: &'a str,
    /// `Some(names)` when the headers are given; `None` for the first row.
    headers: Option<Vec<String>>,
    delimiter: char,
    pointer: Option<&'a str>,
    manifest_type: &'a str,
}

impl<'a> Format<'a> {
    fn of(config: &'a Value) -> Format<'a> {
        let text = |key: &str| config.get(key).and_then(Value::as_str);
        let headers = (text("CSVHeaderLocation") == Some("GIVEN")).then(|| {
            config
                .get("CSVHeaders")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                .unwrap_or_default()
        });
        let delimiter = match text("CSVDelimiter") {
            Some("PIPE") => '|',
            Some("SEMICOLON") => ';',
            Some("SPACE") => ' ',
            Some("TAB") => '\t',
            _ => ',',
        };
        Format {
            input_type: text("InputType").unwrap_or("JSON"),
            headers,
            delimiter,
            pointer: text("ItemsPointer"),
            manifest_type: text("ManifestType").unwrap_or("S3_INVENTORY"),
        }
    }

    fn parse(&self, bytes: &[u8], bucket: &str, key: &str, s3: &LocalS3) -> Result<Vec<Value>, IoFailure> {
        let failed = |what: String| IoFailure::Failed(format!("`s3://{bucket}/{key}` {what}"));
        let text = std::str::from_utf8(bytes).map_err(|_| failed("is not UTF-8 text".into()))?;
        match self.input_type {
            "JSON" => {
                let doc: Value =
                    serde_json::from_str(text).map_err(|e| failed(format!("is not a JSON document: {e}")))?;
                let doc = match self.pointer {
                    Some(p) => doc.pointer(p).cloned().unwrap_or(Value::Null),
                    None => doc,
                };
                match doc {
                    Value::Array(items) => Ok(items),
                    _ => Err(IoFailure::Failed("Attempting to map over non-iterable node.".into())),
                }
            }
            "JSONL" => text
                .lines()
                .enumerate()
                .filter(|(_, line)| !line.trim().is_empty())
                .map(|(n, line)| {
                    serde_json::from_str(line).map_err(|e| failed(format!("line {} is not JSON: {e}", n + 1)))
                })
                .collect(),
            "CSV" => csv_items(text, self.delimiter, self.headers.as_deref()),
            "MANIFEST" if self.manifest_type == "S3_INVENTORY" => self.inventory(text, bucket, key, s3),
            other => Err(failed(format!(
                "cannot be read as `{other}`: aslc reads JSON, JSONL, CSV and S3 Inventory manifests"
            ))),
        }
    }

    /// An S3 Inventory `manifest.json`: one item per inventoried object, keyed by the
    /// inventory's `fileSchema` names, from its (uncompressed) CSV files.
    fn inventory(&self, text: &str, bucket: &str, key: &str, s3: &LocalS3) -> Result<Vec<Value>, IoFailure> {
        let failed =
            |what: &str| IoFailure::Failed(format!("the inventory manifest `s3://{bucket}/{key}` {what}"));
        let manifest: Value = serde_json::from_str(text).map_err(|_| failed("is not JSON"))?;
        let schema: Vec<String> = manifest
            .get("fileSchema")
            .and_then(Value::as_str)
            .ok_or_else(|| failed("has no `fileSchema`"))?
            .split(',')
            .map(|s| s.trim().to_owned())
            .collect();
        let files =
            manifest.get("files").and_then(Value::as_array).ok_or_else(|| failed("has no `files`"))?;
        // `destinationBucket` is an ARN, `arn:aws:s3:::name`.
        let source = manifest
            .get("destinationBucket")
            .and_then(Value::as_str)
            .map(|b| b.rsplit(':').next().unwrap_or(b))
            .unwrap_or(bucket);
        let mut items = Vec::new();
        for file in files {
            let file_key = file
                .get("key")
                .and_then(Value::as_str)
                .ok_or_else(|| failed("lists a file without `key`"))?;
            if file_key.ends_with(".gz") {
                return Err(IoFailure::Failed(format!(
                    "`s3://{source}/{file_key}` is compressed: aslc reads inventory files as uncompressed CSV"
                )));
            }
            let bytes = s3.get_object(source, file_key)?;
            let text = std::str::from_utf8(&bytes)
                .map_err(|_| IoFailure::Failed(format!("`s3://{source}/{file_key}` is not UTF-8 text")))?;
            items.extend(csv_items(text, ',', Some(&schema))?);
        }
        Ok(items)
    }
}

/// The records of CSV `text` (RFC 4180 quoting; `\n` or `\r\n` line ends; empty lines
/// skipped; a final line end adds no record).
pub fn csv_records(text: &str, delimiter: char) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    // Whether the current record has any content (an empty line has none).
    let mut started = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                other => field.push(other),
            }
            continue;
        }
        match c {
            '"' => {
                quoted = true;
                started = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                if started {
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                }
                started = false;
            }
            c if c == delimiter => {
                record.push(std::mem::take(&mut field));
                started = true;
            }
            other => {
                field.push(other);
                started = true;
            }
        }
    }
    if started {
        record.push(field);
        records.push(record);
    }
    records
}

/// CSV items: objects from header names to string values; missing trailing values are
/// `""`, values past the header are dropped.
fn csv_items(text: &str, delimiter: char, given: Option<&[String]>) -> Result<Vec<Value>, IoFailure> {
    let mut records = csv_records(text, delimiter).into_iter();
    let headers: Vec<String> = match given {
        Some(h) => h.to_vec(),
        None => records.next().unwrap_or_default(),
    };
    let mut seen = std::collections::HashSet::new();
    if !headers.iter().all(|h| seen.insert(h.as_str())) {
        return Err(IoFailure::Failed("CSV headers cannot contain duplicates.".into()));
    }
    Ok(records
        .map(|record| {
            let mut item = Map::with_capacity(headers.len());
            for (i, header) in headers.iter().enumerate() {
                item.insert(header.clone(), Value::String(record.get(i).cloned().unwrap_or_default()));
            }
            Value::Object(item)
        })
        .collect())
}

/// One child execution of a Map Run, for the result writer.
#[derive(Clone, Debug)]
pub struct Child {
    /// The child's name (a UUID).
    pub name: String,
    /// Its input.
    pub input: Value,
    /// Its output, or its error and cause.
    pub outcome: Result<Value, (Option<String>, Option<String>)>,
    /// When it started and stopped, epoch milliseconds.
    pub start_millis: i64,
    /// When it stopped.
    pub stop_millis: i64,
}

/// Where and how a `ResultWriter` exports.
pub struct Export<'a> {
    /// The evaluated `Parameters`/`Arguments` (`Bucket`, `Prefix`).
    pub parameters: &'a Value,
    /// `WriterConfig` (an object, or null).
    pub config: &'a Value,
    /// The Map Run's ARN.
    pub map_run_arn: &'a str,
    /// The Map Run's id, the last part of its ARN.
    pub map_run_id: &'a str,
    /// The ARN of the children's state machine (`<machine>/<label>`).
    pub child_machine_arn: &'a str,
}

/// Applies `WriterConfig.Transformation` to the children's results when nothing is
/// exported (`FLATTEN` flattens array outputs; `NONE` and `COMPACT` keep them).
pub fn transform(config: &Value, results: Vec<Value>) -> Vec<Value> {
    if config.get("Transformation").and_then(Value::as_str) != Some("FLATTEN") {
        return results;
    }
    results
        .into_iter()
        .flat_map(|v| match v {
            Value::Array(items) => items,
            other => vec![other],
        })
        .collect()
}

/// Writes the result files and the manifest; the Map's result names the manifest.
pub fn write_results(
    s3: Option<&LocalS3>,
    export: &Export<'_>,
    children: &[Child],
) -> Result<Value, IoFailure> {
    let s3 = s3.ok_or(IoFailure::NoS3)?;
    let bucket = export
        .parameters
        .get("Bucket")
        .and_then(Value::as_str)
        .ok_or_else(|| IoFailure::Failed("the writer's parameters have no string `Bucket`".into()))?;
    let prefix = export.parameters.get("Prefix").and_then(Value::as_str).unwrap_or("").trim_end_matches('/');
    let folder = if prefix.is_empty() {
        export.map_run_id.to_owned()
    } else {
        format!("{prefix}/{}", export.map_run_id)
    };
    let setting = |key: &str| export.config.get(key).and_then(Value::as_str);
    let jsonl = setting("OutputType") == Some("JSONL");
    let transformation = setting("Transformation").unwrap_or("NONE");
    let mut files = Map::new();
    for (status, succeeded) in [("FAILED", false), ("PENDING", false), ("SUCCEEDED", true)] {
        let mut records = Vec::new();
        if status != "PENDING" {
            for child in children.iter().filter(|c| c.outcome.is_ok() == succeeded) {
                let record = match transformation {
                    "NONE" => full_record(export, child),
                    _ => match &child.outcome {
                        Ok(output) => output.clone(),
                        Err((error, cause)) => error_output(error, cause),
                    },
                };
                match (transformation, record) {
                    ("FLATTEN", Value::Array(items)) => records.extend(items),
                    (_, record) => records.push(record),
                }
            }
        }
        let mut listed = Vec::new();
        if !records.is_empty() {
            let body = if jsonl {
                records.iter().map(|r| format!("{r}\n")).collect::<String>()
            } else {
                Value::Array(records).to_string()
            };
            let key = format!("{folder}/{status}_0.json");
            s3.put_object(bucket, &key, body.as_bytes())?;
            listed.push(json!({"Key": key, "Size": body.len()}));
        }
        files.insert(status.into(), Value::Array(listed));
    }
    let manifest_key = format!("{folder}/manifest.json");
    let manifest =
        json!({"DestinationBucket": bucket, "MapRunArn": export.map_run_arn, "ResultFiles": files});
    s3.put_object(bucket, &manifest_key, manifest.to_string().as_bytes())?;
    Ok(
        json!({"MapRunArn": export.map_run_arn, "ResultWriterDetails": {"Bucket": bucket, "Key": manifest_key}}),
    )
}

fn error_output(error: &Option<String>, cause: &Option<String>) -> Value {
    let mut m = Map::new();
    if let Some(e) = error {
        m.insert("Error".into(), Value::String(e.clone()));
    }
    if let Some(c) = cause {
        m.insert("Cause".into(), Value::String(c.clone()));
    }
    Value::Object(m)
}

/// A child as `Transformation: NONE` records it: its `DescribeExecution`.
fn full_record(export: &Export<'_>, child: &Child) -> Value {
    let execution_arn =
        format!("{}:{}", export.child_machine_arn.replacen(":stateMachine:", ":execution:", 1), child.name);
    let mut m = Map::new();
    if let Err((error, cause)) = &child.outcome {
        if let Some(c) = cause {
            m.insert("Cause".into(), Value::String(c.clone()));
        }
        if let Some(e) = error {
            m.insert("Error".into(), Value::String(e.clone()));
        }
    }
    m.insert("ExecutionArn".into(), Value::String(execution_arn));
    m.insert("Input".into(), Value::String(child.input.to_string()));
    m.insert("InputDetails".into(), json!({"Included": true}));
    m.insert("Name".into(), Value::String(child.name.clone()));
    if let Ok(output) = &child.outcome {
        m.insert("Output".into(), Value::String(output.to_string()));
        m.insert("OutputDetails".into(), json!({"Included": true}));
    }
    m.insert("RedriveCount".into(), json!(0));
    let (status, redrive, reason) = match &child.outcome {
        Ok(_) => ("SUCCEEDED", "NOT_REDRIVABLE", "Execution is SUCCEEDED and cannot be redriven"),
        Err(_) => ("FAILED", "REDRIVABLE", ""),
    };
    m.insert("RedriveStatus".into(), json!(redrive));
    m.insert("RedriveStatusReason".into(), json!(reason));
    m.insert("StartDate".into(), Value::String(iso_millis(child.start_millis)));
    m.insert("StateMachineArn".into(), Value::String(export.child_machine_arn.to_owned()));
    m.insert("Status".into(), json!(status));
    m.insert("StopDate".into(), Value::String(iso_millis(child.stop_millis)));
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting_and_line_ends() {
        let records = csv_records("a,\"b,\"\"c\"\"\"\r\n\n,x\n", ',');
        assert_eq!(
            records,
            [vec!["a".to_owned(), "b,\"c\"".to_owned()], vec![String::new(), "x".to_owned()]]
        );
        assert_eq!(csv_records("h1,\n", ',').len(), 1);
        assert_eq!(csv_records("a|b", '|'), [vec!["a".to_owned(), "b".to_owned()]]);
    }

    #[test]
    fn csv_items_pad_and_drop_fields() {
        let items = csv_items("H1,H2\n1\n1,2,3\n   ,true\n", ',', None).expect("items");
        assert_eq!(
            items,
            [json!({"H1": "1", "H2": ""}), json!({"H1": "1", "H2": "2"}), json!({"H1": "   ", "H2": "true"})]
        );
        let given = ["x".to_owned(), "y".to_owned()];
        assert_eq!(csv_items("1,2\n", ',', Some(&given)).expect("items"), [json!({"x": "1", "y": "2"})]);
        assert_eq!(
            csv_items("a,a\n1,2\n", ',', None),
            Err(IoFailure::Failed("CSV headers cannot contain duplicates.".into()))
        );
        // An empty header name is a key.
        assert_eq!(csv_items("H1,\n1,2\n", ',', None).expect("items"), [json!({"H1": "1", "": "2"})]);
    }

    #[test]
    fn flatten_spreads_array_results() {
        let config = json!({"Transformation": "FLATTEN"});
        assert_eq!(transform(&config, vec![json!([1, 2]), json!(3)]), [json!(1), json!(2), json!(3)]);
        assert_eq!(transform(&Value::Null, vec![json!([1, 2])]), [json!([1, 2])]);
    }
}
