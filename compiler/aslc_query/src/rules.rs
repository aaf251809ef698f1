//! Rule ids of the spec owned by the query languages, with their default levels.
//!
//! The ids are those of `jsonpath.md` (`P-`, `CTX-`), `intrinsics.md` (`I-`), `jsonata.md`
//! (`J-`) and the one `runtime-errors.md` rule about `$states.errorOutput`. A [`QueryError`]
//! carries one of these in `rule`; a validator turns it into a diagnostic with the level
//! given by [`level`].
//!
//! [`QueryError`]: crate::QueryError

/// How a rule is reported by default (the spec's "level" column).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Level {
    /// AWS rejects the definition (or aslc does by policy).
    Error,
    /// AWS accepts it, but it is almost certainly a mistake.
    Warn,
    /// Advice.
    Info,
}

macro_rules! rules {
    ($($(#[doc = $doc:literal])* $name:ident = $id:literal, $level:ident;)*) => {
        $(
            $(#[doc = $doc])*
            pub const $name: &str = $id;
        )*

        /// Every rule id of this module with its level, in declaration order.
        pub const ALL: &[(&str, Level)] = &[$(($id, Level::$level)),*];
    };
}

rules! {
    /// A path does not parse (jsonpath.md §2.1).
    P_SYNTAX = "P-SYNTAX", Error;
    /// A field that needs a reference path holds a wildcard, deep scan, slice, union, filter
    /// or function.
    P_REFERENCE = "P-REFERENCE", Error;
    /// A `$$` or `$var` root where the field does not allow it.
    P_ROOT_ALLOWED = "P-ROOT-ALLOWED", Error;
    /// An intrinsic call in a field that takes only a path.
    P_NO_INTRINSIC = "P-NO-INTRINSIC", Error;
    /// A Jayway function step such as `.length()`, read by AWS as a property name.
    P_NO_FUNCTIONS = "P-NO-FUNCTIONS", Warn;
    /// `$$` not followed by the end, `.` or `[` (`$$23`).
    P_CONTEXT_PREFIX = "P-CONTEXT-PREFIX", Error;
    /// `ResultPath` is not a reference path with the `$` root.
    P_RESULTPATH_REF = "P-RESULTPATH-REF", Error;
    /// A backslash inside a dot name, which the Jayway dialect does not honour.
    P_DOT_ESCAPE = "P-DOT-ESCAPE", Warn;
    /// Trailing whitespace after a path.
    P_WHITESPACE = "P-WHITESPACE", Warn;
    /// A bare word compared inside a filter.
    P_FILTER_UNQUOTED = "P-FILTER-UNQUOTED", Warn;
    /// A script index `[( … )]`.
    P_SCRIPT_EXPR = "P-SCRIPT-EXPR", Warn;
    /// `$states…` in a JSONPath field.
    P_VAR_STATES = "P-VAR-STATES", Warn;
    /// `@` compared with a scalar over an array of scalars.
    P_FILTER_SCALAR = "P-FILTER-SCALAR", Warn;
    /// A context path naming a member the context object does not have.
    CTX_MEMBERS = "CTX-MEMBERS", Warn;
    /// `$$.Map…` outside a Map state's `ItemSelector`/`Parameters`.
    CTX_MAP_ONLY = "CTX-MAP-ONLY", Error;
    /// `$$.Task.Token` outside a callback or `.sync` Task.
    CTX_TASK_TOKEN = "CTX-TASK-TOKEN", Warn;

    /// An intrinsic call does not parse (intrinsics.md §2).
    I_SYNTAX = "I-SYNTAX", Error;
    /// The function is not one of the eighteen.
    I_KNOWN = "I-KNOWN", Error;
    /// A backslash sequence other than `\'`, `\{`, `\}`, `\\` in a string literal.
    I_ESCAPE = "I-ESCAPE", Error;
    /// Calls nested more than 10 deep.
    I_NESTING = "I-NESTING", Error;
    /// A wrong number of arguments.
    I_ARITY = "I-ARITY", Error;
    /// A literal argument of a type the function never accepts.
    I_LITERAL_TYPE = "I-LITERAL-TYPE", Error;
    /// The argument of `States.JsonToString` is not a path.
    I_JSONTOSTRING_PATH = "I-JSONTOSTRING-PATH", Error;
    /// A function that does not return a string in `ErrorPath`/`CausePath`.
    I_FAIL_STRING = "I-FAIL-STRING", Error;
    /// An intrinsic in a field that does not allow one.
    I_PLACEMENT = "I-PLACEMENT", Error;
    /// `States.Format` with a literal template whose `{}` count differs from its values.
    I_FORMAT_ARITY = "I-FORMAT-ARITY", Warn;
    /// `States.ArrayRange` with literals giving more than 1,000 elements, or a zero step.
    I_RANGE_SIZE = "I-RANGE-SIZE", Warn;
    /// A literal over 10,000 characters for `Base64Encode`/`Base64Decode`/`Hash`.
    I_LITERAL_LENGTH = "I-LITERAL-LENGTH", Warn;
    /// `States.JsonMerge(…, true)`.
    I_MERGE_DEEP = "I-MERGE-DEEP", Error;
    /// An intrinsic whose arguments are all literals.
    I_CONSTANT = "I-CONSTANT", Info;
    /// A multi-character delimiter in `States.StringSplit`.
    I_STRINGSPLIT_MULTI = "I-STRINGSPLIT-MULTI", Info;

    /// An expression string does not parse as JSONata 2.0.6.
    J_PARSE = "J-PARSE", Error;
    /// A bare field name at the top level of an expression (there is no context item).
    J_TOP_LEVEL_REF = "J-TOP-LEVEL-REF", Error;
    /// `$$` in an expression.
    J_NO_DOLLAR_DOLLAR = "J-NO-DOLLAR-DOLLAR", Error;
    /// `$` as the context item at the top level.
    J_NO_TOP_DOLLAR = "J-NO-TOP-DOLLAR", Warn;
    /// `$states.result` where no result exists.
    J_RESULT_SCOPE = "J-RESULT-SCOPE", Warn;
    /// A call of a function that JSONata 2.0.6 and Step Functions do not define.
    J_UNKNOWN_FUNCTION = "J-UNKNOWN-FUNCTION", Warn;
    /// A `$name` that is neither bound in the expression, `$states`, nor a known variable.
    J_UNDEFINED_VAR = "J-UNDEFINED-VAR", Warn;
    /// A built-in called with a wrong number of arguments.
    J_ARITY = "J-ARITY", Warn;
    /// A member of `$states` other than `input`, `result`, `errorOutput` and `context`.
    ///
    /// The spec names no rule for this; AWS accepts such a definition (a validator fixture
    /// reads `$states.function`), and the member is always undefined at run time.
    J_STATES_MEMBER = "J-STATES-MEMBER", Warn;
    /// Style: `{% expr %}` with one space inside each delimiter.
    J_DELIM_SPACING = "J-DELIM-SPACING", Info;
    /// A string that is almost an expression string, or looks like JSONPath, in a JSONata
    /// state.
    J_LITERAL_LOOKALIKE = "J-LITERAL-LOOKALIKE", Warn;
    /// `$states.errorOutput` outside a catcher's `Output`/`Assign`.
    R_CATCH_ERROROUTPUT_SCOPE = "R-CATCH-ERROROUTPUT-SCOPE", Error;
}

/// The default level of `rule`, `None` for an id this module does not own.
pub fn level(rule: &str) -> Option<Level> {
    ALL.iter().find(|(id, _)| *id == rule).map(|&(_, level)| level)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_prefixed() {
        let mut seen = std::collections::HashSet::new();
        for (id, _) in ALL {
            assert!(seen.insert(*id), "duplicate rule id {id}");
            let known_prefix = ["P-", "CTX-", "I-", "J-", "R-"].iter().any(|p| id.starts_with(p));
            assert!(known_prefix, "unexpected prefix in {id}");
        }
    }

    #[test]
    fn levels() {
        assert_eq!(level(P_SYNTAX), Some(Level::Error));
        assert_eq!(level(J_ARITY), Some(Level::Warn));
        assert_eq!(level(I_CONSTANT), Some(Level::Info));
        assert_eq!(level("S-NEXT-EXISTS"), None);
    }
}
