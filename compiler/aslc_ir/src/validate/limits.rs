//! Service limits that can be judged from the definition alone (runtime-limits.md §1) and
//! the state-name character rule of structure.md §3.
//!
//! The per-field ranges the limits table repeats for lookup (retriers, timeouts, labels,
//! batch sizes, …) are checked by the rules that own them; this module holds only the
//! limits no other file owns.

use aslc_source::Diagnostic;

use crate::ir::{Definition, Dyn, StateKind};
use crate::rules::declare_rules;
use crate::{CheckOptions, WorkflowType};

declare_rules! { @spec "runtime-limits.md";
    /// ## What it does
    /// Reports a definition longer than 1,048,576 characters (1 MiB), the largest
    /// `definition` the Step Functions API accepts. structure.md calls the same limit
    /// `S-DEF-SIZE`.
    ///
    /// ## Why is this bad?
    /// The API rejects the request before validating anything.
    ///
    /// ## Use instead
    /// Split the workflow into state machines that start each other
    /// (`states:startExecution`), or move large constant data out of the definition.
    R_LIM_DEF_SIZE = "R-LIM-DEF-SIZE", Error, None, "the definition is at most 1,048,576 characters";
    /// ## What it does
    /// Warns about a top-level `TimeoutSeconds` beyond a Standard execution's one-year
    /// maximum (31,536,000 seconds). For Express workflows see `R-EXP-TIMEOUT`.
    ///
    /// ## Why is this bad?
    /// The execution ends at one year anyway; the timeout never fires.
    ///
    /// ## Use instead
    /// A timeout of at most 31,536,000 seconds, or none.
    R_LIM_SM_TIMEOUT = "R-LIM-SM-TIMEOUT", Warn, None, "`TimeoutSeconds` is within the execution's maximum duration";
    /// ## What it does
    /// Warns about a Wait with a literal `Seconds` beyond a Standard execution's one-year
    /// maximum (31,536,000 seconds). For Express workflows see `R-EXP-WAIT`.
    ///
    /// ## Why is this bad?
    /// The execution times out before the wait ends.
    ///
    /// ## Use instead
    /// Wait less than a year, or until a `Timestamp`.
    R_LIM_WAIT_SECONDS = "R-LIM-WAIT-SECONDS", Warn, None, "a Wait is shorter than the execution's maximum duration";
    /// ## What it does
    /// Warns about a literal Fail `Error` longer than 256 characters or `Cause` longer
    /// than 32,768 characters.
    ///
    /// ## Why is this bad?
    /// Those are the limits of error and cause strings in the execution history and the
    /// task APIs; longer text does not fit.
    ///
    /// ## Use instead
    /// A short error name; details in a short `Cause`.
    R_LIM_FAIL_ERROR = "R-LIM-FAIL-ERROR", Warn, None, "a Fail `Error` is at most 256 and `Cause` at most 32,768 characters";
    @spec "structure.md";
    /// ## What it does
    /// Warns about a state name containing control characters (U+0000–U+001F,
    /// U+007F–U+009F).
    ///
    /// ## Why is this bad?
    /// AWS has an `INVALID_STATE_NAME` check whose exact conditions are not documented;
    /// control characters are the part every AWS name rule forbids, and they are
    /// invisible in consoles and logs.
    ///
    /// ## Use instead
    /// Remove the control characters (a tab or newline pasted into the name, usually).
    S_NAME_CHARS = "S-NAME-CHARS", Warn, None, "a state name contains no control characters";
}

/// The most characters a definition may have.
pub const MAX_DEFINITION_CHARS: usize = 1_048_576;

/// A Standard execution's maximum duration, one year, in seconds.
const YEAR_SECONDS: f64 = 31_536_000.0;

/// Checks the definition limits.
pub(crate) fn check_machine(def: &Definition, options: &CheckOptions, out: &mut Vec<Diagnostic>) {
    if let Some(chars) = options.source_chars {
        if chars > MAX_DEFINITION_CHARS {
            out.push(
                Diagnostic::error(
                    R_LIM_DEF_SIZE,
                    def.file,
                    aslc_source::TextRange::empty(def.range.start()),
                    format!("the definition is {chars} characters long; the limit is {MAX_DEFINITION_CHARS}"),
                )
                .with_label("too large for the Step Functions API")
                .with_help("split the workflow into state machines that start each other, or move large data out of the definition"),
            );
        }
    }
    let standard = options.workflow_type == WorkflowType::Standard;
    if let (Some(timeout), true) = (&def.timeout_seconds, standard) {
        // Values outside the field's range are `S-TIMEOUT` errors already.
        if timeout.value.integer_in(0, 99_999_999) && timeout.value.as_f64() > YEAR_SECONDS {
            out.push(
                Diagnostic::warning(
                    R_LIM_SM_TIMEOUT,
                    def.file,
                    timeout.range,
                    format!(
                        "`TimeoutSeconds` {} is beyond the one-year limit of an execution",
                        timeout.value
                    ),
                )
                .with_label("never fires")
                .with_help("set `TimeoutSeconds` to 31536000 or less, or remove it")
                .at("/TimeoutSeconds"),
            );
        }
    }
}

/// Checks the limits of the states in focus, given the [`Run`](super::express::Run) of
/// every scope.
pub(crate) fn check(
    def: &Definition,
    runs: &[super::express::Run],
    focus: super::Focus<'_>,
    out: &mut Vec<Diagnostic>,
) {
    for (_, state) in focus.states(def) {
        check_name(def, state, out);
        match &state.kind {
            StateKind::Wait(wait) if !super::express::is_express(runs, state.scope) => {
                let Some(Dyn::Literal(seconds)) = &wait.seconds else { continue };
                if seconds.value.integer_in(0, 99_999_999) && seconds.value.as_f64() > YEAR_SECONDS {
                    out.push(
                        Diagnostic::warning(
                            R_LIM_WAIT_SECONDS,
                            def.file,
                            seconds.range,
                            format!(
                                "waiting {} seconds exceeds the one-year limit of an execution",
                                seconds.value
                            ),
                        )
                        .with_label("the execution times out first")
                        .with_help("wait less than 31536000 seconds")
                        .at(state.field_pointer("Seconds")),
                    );
                }
            }
            StateKind::Fail(fail) => {
                for (field, value, max) in [("Error", &fail.error, 256), ("Cause", &fail.cause, 32_768)] {
                    let Some(Dyn::Literal(text)) = value else { continue };
                    let length = text.value.chars().count();
                    if length > max {
                        out.push(
                            Diagnostic::warning(
                                R_LIM_FAIL_ERROR,
                                def.file,
                                text.range,
                                format!("`{field}` is {length} characters long; the limit is {max}"),
                            )
                            .with_label("too long for the execution history")
                            .with_help(format!("shorten `{field}` to {max} characters or fewer"))
                            .at(state.field_pointer(field)),
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

fn check_name(def: &Definition, state: &crate::ir::State, out: &mut Vec<Diagnostic>) {
    let Some(bad) = state.name.value.chars().find(|c| c.is_control()) else { return };
    out.push(
        Diagnostic::warning(
            S_NAME_CHARS,
            def.file,
            state.name.range,
            format!(
                "state name `{}` contains the control character `{}`",
                state.name.value.escape_debug(),
                bad.escape_debug()
            ),
        )
        .with_label("invisible character in the name")
        .with_help("remove the control characters from the name (and from every `Next` naming it)")
        .at(&state.pointer),
    );
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check, check_express, check_with, machine};
    use crate::CheckOptions;

    #[test]
    fn definition_size() {
        let json = machine(r#"{"Type": "Succeed"}"#);
        let at = |chars| CheckOptions { source_chars: Some(chars), ..CheckOptions::default() };
        check_with(&json, &at(1_048_576), &[]);
        check_with(&json, &at(1_048_577), &["R-LIM-DEF-SIZE"]);
        check_with(&json, &CheckOptions::default(), &[]);
    }

    #[test]
    fn durations() {
        let timeout = |t: &str| {
            format!(r#"{{"TimeoutSeconds": {t}, "StartAt": "S", "States": {{"S": {{"Type": "Succeed"}}}}}}"#)
        };
        check(&timeout("31536000"), &[]);
        check(&timeout("31536001"), &["R-LIM-SM-TIMEOUT"]);
        check_express(&timeout("31536001"), &["R-EXP-TIMEOUT"]);
        let wait = |s: &str| machine(&format!(r#"{{"Type": "Wait", "Seconds": {s}, "End": true}}"#));
        check(&wait("31536000"), &[]);
        check(&wait("31536001"), &["R-LIM-WAIT-SECONDS"]);
        check_express(&wait("31536001"), &["R-EXP-WAIT"]);
    }

    #[test]
    fn fail_strings() {
        let fail = |error: usize, cause: usize| {
            machine(&format!(
                r#"{{"Type": "Fail", "Error": "{}", "Cause": "{}"}}"#,
                "e".repeat(error),
                "c".repeat(cause)
            ))
        };
        check(&fail(256, 32_768), &[]);
        check(&fail(257, 1), &["R-LIM-FAIL-ERROR"]);
        check(&fail(1, 32_769), &["R-LIM-FAIL-ERROR"]);
    }

    #[test]
    fn name_characters() {
        check(r#"{"StartAt": "A b/c?", "States": {"A b/c?": {"Type": "Succeed"}}}"#, &[]);
        check(r#"{"StartAt": "A\tB", "States": {"A\tB": {"Type": "Succeed"}}}"#, &["S-NAME-CHARS"]);
        check(r#"{"StartAt": "A\u0085", "States": {"A\u0085": {"Type": "Succeed"}}}"#, &["S-NAME-CHARS"]);
    }
}
