//! The one diagnostic model: every check produces it, every view (terminal, JSON, SARIF,
//! LSP) renders it.

use crate::{FileId, TextRange};

/// How serious a diagnostic is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub enum Severity {
    /// AWS rejects the definition (or the input cannot be read at all).
    Error,
    /// Accepted by AWS but almost certainly a mistake.
    Warning,
    /// Advice.
    Info,
}

impl Severity {
    /// The lower-case name used in JSON output: `error`, `warning`, `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A span of a file with an optional message.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Label {
    /// The file the span is in.
    pub file: FileId,
    /// The bytes pointed at.
    pub range: TextRange,
    /// Text shown at the span; empty for none.
    pub message: String,
}

impl Label {
    /// A label with a message.
    pub fn new(file: FileId, range: TextRange, message: impl Into<String>) -> Label {
        Label { file, range, message: message.into() }
    }
}

/// What AWS's own validator reports for the same finding (`ValidateStateMachineDefinition`).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct AwsInfo {
    /// AWS's diagnostic code, e.g. `SCHEMA_VALIDATION_FAILED`.
    pub code: &'static str,
    /// AWS's message, where its wording is known.
    pub message: Option<String>,
}

/// One finding about a source file.
///
/// Messages are lower-case without a trailing period and quote ASL names in backticks;
/// `help` is an imperative fix.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Diagnostic {
    /// The stable rule id, e.g. `S-NEXT-EXISTS` (see `aslc rules`).
    pub code: &'static str,
    /// Error, warning or info.
    pub severity: Severity,
    /// What is wrong, one line.
    pub message: String,
    /// Where it is wrong: the narrowest span.
    pub primary: Label,
    /// Related places (the first of two duplicates, the catch-all that shadows a catcher).
    pub secondary: Vec<Label>,
    /// How to fix it.
    pub help: Option<String>,
    /// Background: the spec rule, AWS's behaviour.
    pub notes: Vec<String>,
    /// AWS-style location of the finding in the definition: a JSON pointer such as
    /// `/States/Foo/Retry[0]/ErrorEquals[0]`, empty where none applies.
    pub location: String,
    /// AWS's code and message for the same finding, where AWS reports one.
    pub aws: Option<AwsInfo>,
}

impl Diagnostic {
    /// A diagnostic with a primary span and no label message.
    pub fn new(
        code: &'static str,
        severity: Severity,
        file: FileId,
        range: TextRange,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            primary: Label::new(file, range, ""),
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
            location: String::new(),
            aws: None,
        }
    }

    /// An error-level diagnostic.
    pub fn error(
        code: &'static str,
        file: FileId,
        range: TextRange,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(code, Severity::Error, file, range, message)
    }

    /// A warning-level diagnostic.
    pub fn warning(
        code: &'static str,
        file: FileId,
        range: TextRange,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(code, Severity::Warning, file, range, message)
    }

    /// Sets the text shown at the primary span.
    pub fn with_label(mut self, message: impl Into<String>) -> Diagnostic {
        self.primary.message = message.into();
        self
    }

    /// Adds a related place.
    pub fn with_secondary(
        mut self,
        file: FileId,
        range: TextRange,
        message: impl Into<String>,
    ) -> Diagnostic {
        self.secondary.push(Label::new(file, range, message));
        self
    }

    /// Sets the fix suggestion.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// Sets the AWS-style location pointer.
    pub fn at(mut self, location: impl Into<String>) -> Diagnostic {
        self.location = location.into();
        self
    }

    /// Records AWS's code (and message, where known) for the same finding.
    pub fn with_aws(mut self, code: &'static str, message: Option<String>) -> Diagnostic {
        self.aws = Some(AwsInfo { code, message });
        self
    }

    /// Whether this diagnostic fails a check.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The key diagnostics are sorted by for stable output: file, offset, code.
    pub fn sort_key(&self) -> (FileId, u32, u32, &'static str) {
        (self.primary.file, self.primary.range.start(), self.primary.range.end(), self.code)
    }
}
