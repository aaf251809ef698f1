//! Mocked task responses in the AWS Step Functions Local mock-config format
//! (runtime-mocks.md §1): a test case maps state names to mocked responses, each a list
//! of invocation ranges answering `Return` or `Throw`.
//!
//! aslc reads one extension (runtime-mocks.md §1.5), an `x-aslc` object next to `Return`
//! or `Throw`, or among the invocation keys of a response (then it holds for each of its
//! answers): `{"DelaySeconds": n, "Heartbeats": [s, …]}`, the time the answer takes on the
//! execution's clock and the times, in seconds after the task started, at which the
//! worker sends `SendTaskHeartbeat`, so `TimeoutSeconds` and `HeartbeatSeconds` can fire.

use rustc_hash::FxHashMap;
use serde_json::Value;

/// One answer of a mocked task.
#[derive(Clone, Debug, PartialEq)]
pub enum MockAnswer {
    /// The task succeeds with this raw result.
    Return(Value),
    /// The task fails.
    Throw {
        /// `Error`.
        error: String,
        /// `Cause`.
        cause: String,
    },
}

/// When a mocked answer arrives, on the execution's clock (the `x-aslc` extension).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timing {
    /// Seconds from the task's start to its answer (`DelaySeconds`).
    pub delay_seconds: f64,
    /// Seconds after the task's start at which the worker sends a heartbeat (`Heartbeats`).
    pub heartbeats: Vec<f64>,
}

/// One answer of a mocked task and when it arrives.
#[derive(Clone, Debug, PartialEq)]
pub struct Mocked {
    /// The answer.
    pub answer: MockAnswer,
    /// When it arrives.
    pub timing: Timing,
}

/// What a mocked state answers once its responses are used up (runtime-mocks.md §1.3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Exhaustion {
    /// The run fails with the uncatchable `aslc.MockExhausted` (the default).
    #[default]
    Fail,
    /// The last answer of the response is given again (`--mock-exhausted=repeat-last`).
    RepeatLast,
}

/// The mocked responses of one test case, by state name.
#[derive(Clone, Debug, Default)]
pub struct MockCase {
    states: FxHashMap<String, MockedResponse>,
    exhaustion: Exhaustion,
}

#[derive(Clone, Debug)]
struct MockedResponse {
    name: String,
    /// `(first, last, answer)`, inclusive ranges of invocation numbers.
    ranges: Vec<(u64, u64, Mocked)>,
}

/// Why a mock config could not be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MockError {
    /// The file is not a mock config.
    #[error("the mock config is malformed: {0}")]
    Malformed(String),
    /// The test case does not exist.
    #[error("the mock config has no test case `{0}`")]
    NoTestCase(String),
}

impl MockCase {
    /// Reads test case `test_case` (`Name` or `StateMachine#Name`) from a mock-config
    /// document; `machine` is the state machine's name, preferred when several define it.
    pub fn from_config(
        config: &Value,
        test_case: &str,
        machine: Option<&str>,
    ) -> Result<MockCase, MockError> {
        let bad = |msg: &str| MockError::Malformed(msg.to_owned());
        let machines =
            config.get("StateMachines").and_then(Value::as_object).ok_or(bad("no `StateMachines` object"))?;
        let responses = config
            .get("MockedResponses")
            .and_then(Value::as_object)
            .ok_or(bad("no `MockedResponses` object"))?;
        let (wanted_machine, case_name) = match test_case.split_once('#') {
            Some((m, c)) => (Some(m.rsplit(':').next().unwrap_or(m)), c),
            None => (machine, test_case),
        };
        let mut found = None;
        for (name, entry) in machines {
            let Some(case) = entry.get("TestCases").and_then(|t| t.get(case_name)) else { continue };
            if found.is_none() || wanted_machine == Some(name.as_str()) {
                found = Some(case);
            }
        }
        let case =
            found.and_then(Value::as_object).ok_or_else(|| MockError::NoTestCase(test_case.to_owned()))?;
        let mut states = FxHashMap::default();
        for (state, response) in case {
            let response_name = response.as_str().ok_or(bad("a test case maps a state to a non-string"))?;
            let body = responses
                .get(response_name)
                .and_then(Value::as_object)
                .ok_or_else(|| MockError::Malformed(format!("no mocked response `{response_name}`")))?;
            let shared = match body.get(EXTENSION) {
                Some(x) => timing(x, response_name)?,
                None => Timing::default(),
            };
            let mut ranges = Vec::new();
            for (key, answer) in body {
                if key == EXTENSION {
                    continue;
                }
                let (first, last) = match key.split_once('-') {
                    Some((a, b)) => (a.trim().parse::<u64>(), b.trim().parse::<u64>()),
                    None => (key.trim().parse::<u64>(), key.trim().parse::<u64>()),
                };
                let (Ok(first), Ok(last)) = (first, last) else {
                    return Err(MockError::Malformed(format!("invocation key `{key}` is not `n` or `a-b`")));
                };
                let mocked = if let Some(value) = answer.get("Return") {
                    MockAnswer::Return(value.clone())
                } else if let Some(throw) = answer.get("Throw") {
                    let field = |k: &str| throw.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
                    MockAnswer::Throw { error: field("Error"), cause: field("Cause") }
                } else {
                    return Err(MockError::Malformed(format!(
                        "response `{response_name}` `{key}` has no Return or Throw"
                    )));
                };
                let timing = match answer.get(EXTENSION) {
                    Some(x) => timing(x, response_name)?,
                    None => shared.clone(),
                };
                ranges.push((first, last, Mocked { answer: mocked, timing }));
            }
            states.insert(state.clone(), MockedResponse { name: response_name.to_owned(), ranges });
        }
        Ok(MockCase { states, exhaustion: Exhaustion::Fail })
    }

    /// The same answers, with `exhaustion` deciding what follows the last one.
    pub fn with_exhaustion(self, exhaustion: Exhaustion) -> MockCase {
        MockCase { exhaustion, ..self }
    }

    /// Whether `state` is mocked.
    pub fn mocks(&self, state: &str) -> bool {
        self.states.contains_key(state)
    }

    /// The answer to invocation `n` (0-based) of `state`; `Err` names the exhausted
    /// response.
    pub fn answer(&self, state: &str, n: u64) -> Option<Result<&Mocked, String>> {
        let response = self.states.get(state)?;
        let found = response.ranges.iter().find(|(a, b, _)| (*a..=*b).contains(&n));
        let found = match (found, self.exhaustion) {
            (Some(hit), _) => Some(hit),
            // The answer with the highest invocation number.
            (None, Exhaustion::RepeatLast) => response.ranges.iter().max_by_key(|(_, last, _)| *last),
            (None, Exhaustion::Fail) => None,
        };
        Some(found.map(|(_, _, answer)| answer).ok_or_else(|| {
            format!("mocked response `{}` of state `{state}` has no answer for invocation {n}", response.name)
        }))
    }
}

/// The key of the aslc extension in a mocked response or answer.
const EXTENSION: &str = "x-aslc";

/// Reads an `x-aslc` object.
fn timing(value: &Value, response: &str) -> Result<Timing, MockError> {
    let bad = |what: &str| MockError::Malformed(format!("`{EXTENSION}` of response `{response}`: {what}"));
    let object = value.as_object().ok_or_else(|| bad("not an object"))?;
    let seconds = |v: &Value| v.as_f64().filter(|s| s.is_finite() && *s >= 0.0);
    let mut out = Timing::default();
    for (key, v) in object {
        match key.as_str() {
            "DelaySeconds" => {
                out.delay_seconds =
                    seconds(v).ok_or_else(|| bad("`DelaySeconds` is not a number of seconds"))?
            }
            "Heartbeats" => {
                let list = v.as_array().ok_or_else(|| bad("`Heartbeats` is not an array"))?;
                out.heartbeats = list
                    .iter()
                    .map(|s| seconds(s).ok_or_else(|| bad("`Heartbeats` holds something other than seconds")))
                    .collect::<Result<_, _>>()?;
                out.heartbeats.sort_by(f64::total_cmp);
            }
            other => return Err(bad(&format!("unknown member `{other}`"))),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn case(responses: Value) -> MockCase {
        let config = json!({"StateMachines": {"M": {"TestCases": {"T": {"S": "R"}}}},
                            "MockedResponses": {"R": responses}});
        MockCase::from_config(&config, "T", None).expect("a valid mock config")
    }

    #[test]
    fn answers_by_invocation_range() {
        let mocks = case(json!({"0": {"Throw": {"Error": "E", "Cause": "c"}}, "1-2": {"Return": 1}}));
        let answer = |n| mocks.answer("S", n).map(|r| r.map(|m| m.answer.clone()));
        assert!(matches!(answer(0), Some(Ok(MockAnswer::Throw { .. }))));
        assert_eq!(answer(2), Some(Ok(MockAnswer::Return(json!(1)))));
        assert!(matches!(answer(3), Some(Err(msg)) if msg.contains("invocation 3")));
        assert_eq!(answer(0).is_some(), mocks.mocks("S"));
        assert!(mocks.answer("Other", 0).is_none());
    }

    #[test]
    fn repeat_last_gives_the_last_answer_again() {
        let mocks = case(json!({"1": {"Return": "second"}, "0": {"Return": "first"}}))
            .with_exhaustion(Exhaustion::RepeatLast);
        for n in [1, 2, 50] {
            let got = mocks.answer("S", n).and_then(Result::ok).map(|m| m.answer.clone());
            assert_eq!(got, Some(MockAnswer::Return(json!("second"))), "invocation {n}");
        }
    }

    #[test]
    fn timing_comes_from_the_answer_or_the_response() {
        let mocks = case(json!({
            "x-aslc": {"DelaySeconds": 5},
            "0": {"Return": 1},
            "1": {"Return": 2, "x-aslc": {"DelaySeconds": 30, "Heartbeats": [20, 10]}}
        }));
        let timing = |n| mocks.answer("S", n).and_then(Result::ok).map(|m| m.timing.clone());
        assert_eq!(timing(0), Some(Timing { delay_seconds: 5.0, heartbeats: vec![] }));
        assert_eq!(timing(1), Some(Timing { delay_seconds: 30.0, heartbeats: vec![10.0, 20.0] }));
    }

    #[test]
    fn bad_extensions_are_reported() {
        for bad in [json!("soon"), json!({"DelaySeconds": -1}), json!({"Heartbeats": 3}), json!({"Later": 1})]
        {
            let config = json!({"StateMachines": {"M": {"TestCases": {"T": {"S": "R"}}}},
                                "MockedResponses": {"R": {"0": {"Return": 1, "x-aslc": bad}}}});
            let err = MockCase::from_config(&config, "T", None).expect_err("a bad extension");
            assert!(err.to_string().contains("x-aslc"), "{err}");
        }
    }
}
