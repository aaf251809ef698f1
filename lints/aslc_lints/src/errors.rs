//! Error names and how `ErrorEquals` lists match them (runtime-errors.md §1).

/// The wildcard that matches every error but `States.Runtime`.
pub(crate) const STATES_ALL: &str = "States.ALL";
/// The wildcard that matches every task failure but a timeout.
pub(crate) const TASK_FAILED: &str = "States.TaskFailed";
/// The error nothing catches or retries.
pub(crate) const RUNTIME: &str = "States.Runtime";

/// Every reserved error name of runtime-errors.md §1.1 (the `States.Http.StatusCode.<n>`
/// family is matched by [`is_reserved`]).
pub(crate) const RESERVED: &[&str] = &[
    "States.ALL",
    "States.TaskFailed",
    "States.Timeout",
    "States.HeartbeatTimeout",
    "States.DataLimitExceeded",
    "States.Runtime",
    "States.QueryEvaluationError",
    "States.IntrinsicFailure",
    "States.ParameterPathFailure",
    "States.ResultPathMatchFailure",
    "States.NoChoiceMatched",
    "States.BranchFailed",
    "States.Permissions",
    "States.ExceedToleratedFailureThreshold",
    "States.ItemReaderFailed",
    "States.ResultWriterFailed",
    "States.Http.Socket",
];

/// Whether `name` is a reserved name or in the `States.Http.StatusCode.<n>` family.
pub(crate) fn is_reserved(name: &str) -> bool {
    if RESERVED.contains(&name) {
        return true;
    }
    name.strip_prefix("States.Http.StatusCode.")
        .is_some_and(|code| !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()))
}

/// The earlier name of `earlier` that already matches every error `name` matches, if any:
/// the same name, or `States.TaskFailed` before a name outside the `States.` namespace
/// (runtime-errors.md §1.4: it matches every task failure but a timeout). `States.ALL`
/// before anything is an error of its own (`R-ALL-LAST`) and is not considered here.
pub(crate) fn covering<'a>(earlier: impl IntoIterator<Item = &'a str>, name: &str) -> Option<&'a str> {
    earlier.into_iter().find(|e| *e == name || (*e == TASK_FAILED && !name.starts_with("States.")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_names() {
        assert!(is_reserved("States.Timeout"));
        assert!(is_reserved("States.Http.StatusCode.404"));
        assert!(!is_reserved("States.Http.StatusCode.4x"));
        assert!(!is_reserved("States.Timeoutt"));
    }

    #[test]
    fn coverage() {
        assert_eq!(covering(["A", "States.TaskFailed"], "Custom"), Some("States.TaskFailed"));
        assert_eq!(covering(["States.TaskFailed"], "States.Timeout"), None);
        assert_eq!(covering(["A"], "A"), Some("A"));
        assert_eq!(covering(["A"], "B"), None);
    }
}
