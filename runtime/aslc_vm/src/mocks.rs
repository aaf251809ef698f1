//! Mocked task responses in the AWS Step Functions Local mock-config format
//! (runtime-mocks.md §1): a test case maps state names to mocked responses, each a list
//! of invocation ranges answering `Return` or `Throw`.

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

/// The mocked responses of one test case, by state name.
#[derive(Clone, Debug, Default)]
pub struct MockCase {
    states: FxHashMap<String, MockedResponse>,
}

#[derive(Clone, Debug)]
struct MockedResponse {
    name: String,
    /// `(first, last, answer)`, inclusive ranges of invocation numbers.
    ranges: Vec<(u64, u64, MockAnswer)>,
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
            let mut ranges = Vec::new();
            for (key, answer) in body {
                let (first, last) = match key.split_once('-') {
                    Some((a, b)) => (a.trim().parse::<u64>(), b.trim().parse::<u64>()),
                    None => (key.trim().parse::<u64>(), key.trim().parse::<u64>()),
                };
                let (Ok(first), Ok(last)) = (first, last) else {
                    return Err(MockError::Malformed(format!("invocation key `{key}` is not `n` or `a-b`")));
                };
                let answer = if let Some(value) = answer.get("Return") {
                    MockAnswer::Return(value.clone())
                } else if let Some(throw) = answer.get("Throw") {
                    let field = |k: &str| throw.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
                    MockAnswer::Throw { error: field("Error"), cause: field("Cause") }
                } else {
                    return Err(MockError::Malformed(format!(
                        "response `{response_name}` `{key}` has no Return or Throw"
                    )));
                };
                ranges.push((first, last, answer));
            }
            states.insert(state.clone(), MockedResponse { name: response_name.to_owned(), ranges });
        }
        Ok(MockCase { states })
    }

    /// Whether `state` is mocked.
    pub fn mocks(&self, state: &str) -> bool {
        self.states.contains_key(state)
    }

    /// The answer to invocation `n` (0-based) of `state`; `Err` names the exhausted
    /// response.
    pub fn answer(&self, state: &str, n: u64) -> Option<Result<&MockAnswer, String>> {
        let response = self.states.get(state)?;
        Some(
            response
                .ranges
                .iter()
                .find(|(a, b, _)| (*a..=*b).contains(&n))
                .map(|(_, _, answer)| answer)
                .ok_or_else(|| {
                    format!(
                        "mocked response `{}` of state `{state}` has no answer for invocation {n}",
                        response.name
                    )
                }),
        )
    }
}
