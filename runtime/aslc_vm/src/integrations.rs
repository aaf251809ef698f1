//! What a service answers to the first call of a callback (`.waitForTaskToken`) or job
//! (`.sync`, `.sync:2`) task, which AWS records as `TaskSubmitted.output`
//! (runtime-tasks.md §3.2, §3.3).
//!
//! A mock or a local handler gives only the task's final result, so the VM builds the
//! start response itself, in the shape AWS's recorded histories show: the API response
//! members plus the `SdkHttpMetadata`/`SdkResponseMetadata` members of the service's
//! legacy SDK. Values AWS derives from the request are derived the same way (the MD5 of
//! an SQS message body, the `Content-Length` of the response body, the child execution's
//! ARN); values AWS makes up (message and request ids, the `Date` header) come from the
//! execution's seeded generator and clock, so runs stay reproducible.
//!
//! Integrations without a known start response (`aws-sdk:*`, `lambda:invoke`, ECS, Glue,
//! Batch, …) answer `{}`.

use md5::Digest as _;
use serde_json::{json, Map, Value};

use crate::intrinsics::Rng;
use crate::vm::{iso_millis, ACCOUNT, REGION};

/// The start response of the call to `resource_type`/`resource` (as in the history's
/// `resourceType` and `resource` fields) with `parameters`; `result` is the task's final
/// result when already known (a mocked `.sync` job description names the execution the
/// start call created).
pub fn start_response(
    resource_type: &str,
    resource: &str,
    parameters: &Value,
    result: Option<&Value>,
    now_millis: i64,
    rng: &mut Rng,
) -> Value {
    let api = resource.split('.').next().unwrap_or(resource);
    match (resource_type, api) {
        ("sqs", "sendMessage") => send_message(parameters, now_millis, rng),
        ("sns", "publish") => publish(now_millis, rng),
        ("states", "startExecution") => start_execution(parameters, result, now_millis, rng),
        _ => Value::Object(Map::new()),
    }
}

/// SQS `SendMessage`: `{MD5OfMessageBody, MessageId}` in a JSON 1.0 body.
fn send_message(parameters: &Value, now_millis: i64, rng: &mut Rng) -> Value {
    // A non-string `MessageBody` is sent as its JSON text.
    let body = match parameters.get("MessageBody") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let md5: String = md5::Md5::digest(body.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    let message_id = rng.uuid();
    let request_id = rng.uuid();
    let response_body = format!(r#"{{"MD5OfMessageBody":"{md5}","MessageId":"{message_id}"}}"#);
    let mut out = Map::new();
    out.insert("MD5OfMessageBody".into(), Value::String(md5));
    out.insert("MessageId".into(), Value::String(message_id));
    with_metadata(out, &request_id, "application/x-amz-json-1.0", response_body.len(), now_millis)
}

/// SNS `Publish`: `{MessageId}`, from the query API's XML body.
fn publish(now_millis: i64, rng: &mut Rng) -> Value {
    let message_id = rng.uuid();
    let request_id = rng.uuid();
    let response_body = format!(
        "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">\n  <PublishResult>\n    <MessageId>{message_id}</MessageId>\n  </PublishResult>\n  <ResponseMetadata>\n    <RequestId>{request_id}</RequestId>\n  </ResponseMetadata>\n</PublishResponse>\n"
    );
    let mut out = Map::new();
    out.insert("MessageId".into(), Value::String(message_id));
    with_metadata(out, &request_id, "text/xml", response_body.len(), now_millis)
}

/// Step Functions `StartExecution`: `{ExecutionArn, StartDate}`. The ARN and start date
/// are the mocked job description's when it has them (the start call created that
/// execution); otherwise the ARN is built from `StateMachineArn` and `Name` (a fresh UUID
/// without one) and the start date is now, in epoch milliseconds as AWS's task results
/// give dates.
fn start_execution(parameters: &Value, result: Option<&Value>, now_millis: i64, rng: &mut Rng) -> Value {
    let described = |key: &str| result.and_then(|r| r.get(key)).filter(|v| !v.is_null());
    let execution_arn = match described("ExecutionArn").and_then(Value::as_str) {
        Some(arn) => arn.to_owned(),
        None => {
            let name = match parameters.get("Name").and_then(Value::as_str) {
                Some(n) => n.to_owned(),
                None => rng.uuid(),
            };
            let machine = parameters.get("StateMachineArn").and_then(Value::as_str).unwrap_or("");
            match machine.split_once(":stateMachine:") {
                Some((prefix, machine_name)) => format!("{prefix}:execution:{machine_name}:{name}"),
                None => format!("arn:aws:states:{REGION}:{ACCOUNT}:execution:{machine}:{name}"),
            }
        }
    };
    let start_date = described("StartDate").cloned().unwrap_or_else(|| json!(now_millis));
    let request_id = rng.uuid();
    // The wire format gives the date in epoch seconds, as Java prints a double.
    let wire_seconds = match start_date.as_f64() {
        Some(millis) => java_double(millis / 1000.0),
        None => java_double(now_millis as f64 / 1000.0),
    };
    let response_body =
        format!(r#"{{"executionArn":{},"startDate":{wire_seconds}}}"#, Value::String(execution_arn.clone()));
    let mut out = Map::new();
    out.insert("ExecutionArn".into(), Value::String(execution_arn));
    let mut out =
        with_metadata(out, &request_id, "application/x-amz-json-1.0", response_body.len(), now_millis);
    if let Value::Object(m) = &mut out {
        m.insert("StartDate".into(), start_date);
    }
    out
}

/// Adds the SDK's `SdkHttpMetadata` and `SdkResponseMetadata` members.
fn with_metadata(
    mut out: Map<String, Value>,
    request_id: &str,
    content_type: &str,
    content_length: usize,
    now_millis: i64,
) -> Value {
    let date = http_date(now_millis);
    let length = content_length.to_string();
    out.insert(
        "SdkHttpMetadata".into(),
        json!({
            "AllHttpHeaders": {
                "x-amzn-RequestId": [request_id],
                "connection": ["keep-alive"],
                "Content-Length": [length],
                "Date": [date],
                "Content-Type": [content_type],
            },
            "HttpHeaders": {
                "connection": "keep-alive",
                "Content-Length": length,
                "Content-Type": content_type,
                "Date": date,
                "x-amzn-RequestId": request_id,
            },
            "HttpStatusCode": 200,
        }),
    );
    out.insert("SdkResponseMetadata".into(), json!({ "RequestId": request_id }));
    Value::Object(out)
}

/// An HTTP `Date` header (RFC 7231 IMF-fixdate): `Thu, 18 Apr 2024 06:27:01 GMT`.
pub fn http_date(millis: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] =
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    // `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    let iso = iso_millis(millis);
    let field = |range: std::ops::Range<usize>| iso.get(range).unwrap_or("");
    let month =
        field(5..7).parse::<usize>().ok().and_then(|m| MONTHS.get(m.wrapping_sub(1))).unwrap_or(&"Jan");
    // 1970-01-01 was a Thursday.
    let weekday = DAYS[millis.div_euclid(86_400_000).rem_euclid(7) as usize];
    format!("{weekday}, {} {month} {} {} GMT", field(8..10), field(0..4), field(11..19))
}

/// `x` as Java's `Double.toString` prints it for the magnitudes of epoch seconds:
/// `1.713421621375E9`.
fn java_double(x: f64) -> String {
    if x.abs() >= 1e7 {
        // Rust prints `1E9` where Java prints `1.0E9`.
        let s = format!("{x:E}");
        match s.split_once('E') {
            Some((mantissa, exponent)) if !mantissa.contains('.') => format!("{mantissa}.0E{exponent}"),
            _ => s,
        }
    } else {
        let s = x.to_string();
        if s.contains('.') {
            s
        } else {
            format!("{s}.0")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_name_the_weekday() {
        assert_eq!(http_date(1_713_421_621_000), "Thu, 18 Apr 2024 06:27:01 GMT");
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(1_704_067_200_000), "Mon, 01 Jan 2024 00:00:00 GMT");
    }

    #[test]
    fn epoch_seconds_print_as_java_doubles() {
        assert_eq!(java_double(1_713_421_621.375), "1.713421621375E9");
        assert_eq!(java_double(1_713_421_621.0), "1.713421621E9");
        assert_eq!(java_double(1_000_000_000.0), "1.0E9");
    }

    #[test]
    fn sqs_bodies_are_hashed_and_measured() {
        let mut rng = Rng::new(0);
        let params = json!({"QueueUrl": "q", "MessageBody": {"a": 1}});
        let out = start_response("sqs", "sendMessage.waitForTaskToken", &params, None, 0, &mut rng);
        // md5 of `{"a":1}`.
        assert_eq!(out["MD5OfMessageBody"], "bb6cb5c68df4652941caf652a366f2d8");
        assert_eq!(out["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"], "106");
        assert_eq!(out["SdkHttpMetadata"]["AllHttpHeaders"]["Content-Length"], json!(["106"]));
        assert_eq!(
            out["SdkResponseMetadata"]["RequestId"],
            out["SdkHttpMetadata"]["HttpHeaders"]["x-amzn-RequestId"]
        );
    }

    #[test]
    fn sns_publish_measures_its_xml_body() {
        let out = start_response("sns", "publish.waitForTaskToken", &json!({}), None, 0, &mut Rng::new(1));
        assert_eq!(out["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"], "294");
        assert_eq!(out["SdkHttpMetadata"]["HttpHeaders"]["Content-Type"], "text/xml");
        assert!(out.get("MD5OfMessageBody").is_none());
    }

    #[test]
    fn start_execution_names_the_child_execution() {
        let params = json!({"StateMachineArn": "arn:aws:states:us-east-1:111111111111:stateMachine:Child", "Name": "Run1"});
        let out = start_response(
            "states",
            "startExecution.sync:2",
            &params,
            None,
            1_713_421_621_375,
            &mut Rng::new(2),
        );
        assert_eq!(out["ExecutionArn"], "arn:aws:states:us-east-1:111111111111:execution:Child:Run1");
        assert_eq!(out["StartDate"], json!(1_713_421_621_375_i64));
        // `{"executionArn":"<58 characters>","startDate":1.713421621375E9}`.
        assert_eq!(out["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"], "106");
        let described = json!({"ExecutionArn": "arn:x", "StartDate": 5});
        let out =
            start_response("states", "startExecution.sync", &params, Some(&described), 0, &mut Rng::new(2));
        assert_eq!(out["ExecutionArn"], "arn:x");
        assert_eq!(out["StartDate"], 5);
    }

    #[test]
    fn other_integrations_answer_an_empty_object() {
        let out = start_response("lambda", "invoke.waitForTaskToken", &json!({}), None, 0, &mut Rng::new(0));
        assert_eq!(out, json!({}));
    }
}
