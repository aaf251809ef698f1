//! Definition-time rules (intrinsics.md §3) and lints (§7) of intrinsic calls.

use super::{Arg, ArgKind, Call, Function, Param, StringLit, HASH_ALGORITHMS, MAX_NESTING};
use crate::rules::{
    I_ARITY, I_CONSTANT, I_FAIL_STRING, I_FORMAT_ARITY, I_JSONTOSTRING_PATH, I_KNOWN, I_LITERAL_LENGTH,
    I_LITERAL_TYPE, I_NESTING, I_RANGE_SIZE, I_STRINGSPLIT_MULTI,
};
use crate::QueryError;

/// Most elements `States.ArrayRange` may produce.
const MAX_RANGE_ELEMENTS: f64 = 1000.0;

/// Most characters `Base64Encode`, `Base64Decode` and `Hash` accept.
const MAX_LITERAL_CHARS: usize = 10_000;

/// The errors of intrinsics.md §3 that the call's text decides, for the call and every nested
/// call: `I-KNOWN`, `I-ARITY`, `I-LITERAL-TYPE`, `I-JSONTOSTRING-PATH` and `I-NESTING`.
pub fn check_call(call: &Call) -> Vec<QueryError> {
    let mut acc = Vec::new();
    let depth = call.depth();
    if depth > MAX_NESTING {
        acc.push(
            QueryError::new(
                I_NESTING,
                call.name_range,
                format!("intrinsic functions are nested {depth} deep, more than the limit of {MAX_NESTING}"),
            )
            .with_help("split the computation over several states"),
        );
    }
    check_one(call, &mut acc);
    acc
}

fn check_one(call: &Call, acc: &mut Vec<QueryError>) {
    match call.function {
        None => acc.push(unknown_function(call)),
        Some(function) => {
            let sig = function.signature();
            let count = call.args.len();
            let too_few = count < sig.min_args;
            let too_many = sig.max_args.is_some_and(|max| count > max);
            if too_few || too_many {
                acc.push(arity_error(call, function, count));
            }
            for (index, arg) in call.args.iter().enumerate() {
                if let Some(err) = check_arg(function, sig.param(index), index, arg) {
                    acc.push(err);
                }
            }
        }
    }
    for arg in &call.args {
        if let ArgKind::Call(inner) = &arg.kind {
            check_one(inner, acc);
        }
    }
}

fn unknown_function(call: &Call) -> QueryError {
    let mut err = QueryError::new(
        I_KNOWN,
        call.name_range,
        format!("`States.{}` is not an intrinsic function", call.name),
    );
    if let Some(near) = nearest_function(&call.name) {
        err = err.with_help(format!("did you mean `States.{}`?", near.name()));
    }
    err
}

/// The function whose name is closest to `name` (case-insensitive match first, then small
/// edit distance).
fn nearest_function(name: &str) -> Option<Function> {
    if let Some(&f) = Function::ALL.iter().find(|f| f.name().eq_ignore_ascii_case(name)) {
        return Some(f);
    }
    let lower = name.to_ascii_lowercase();
    Function::ALL
        .iter()
        .map(|&f| (edit_distance(&lower, &f.name().to_ascii_lowercase()), f))
        .filter(|&(distance, _)| distance <= 2)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, f)| f)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

fn arity_error(call: &Call, function: Function, count: usize) -> QueryError {
    let sig = function.signature();
    let expected = match (sig.min_args, sig.max_args) {
        (min, Some(max)) if min == max => plural(min, "argument"),
        (min, Some(max)) => format!("{min} to {max} arguments"),
        (min, None) => format!("at least {}", plural(min, "argument")),
    };
    QueryError::new(
        I_ARITY,
        call.range,
        format!("`States.{}` takes {expected}, but {} given", function.name(), given(count)),
    )
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn given(n: usize) -> String {
    match n {
        0 => "none was".to_owned(),
        1 => "1 was".to_owned(),
        n => format!("{n} were"),
    }
}

/// The `I-LITERAL-TYPE` (or `I-JSONTOSTRING-PATH`) error of one argument, if any.
fn check_arg(function: Function, param: Param, index: usize, arg: &Arg) -> Option<QueryError> {
    let name = function.name();
    let position = index + 1;
    if param == Param::Path {
        return match arg.kind {
            ArgKind::Path(_) => None,
            _ => Some(
                QueryError::new(
                    I_JSONTOSTRING_PATH,
                    arg.range,
                    format!("the argument of `States.{name}` must be a path"),
                )
                .with_help("pass the value through a path such as `$.value`"),
            ),
        };
    }
    if !arg.kind.is_literal() {
        return None;
    }
    let number = match arg.kind {
        ArgKind::Number { value, .. } => Some(value),
        _ => None,
    };
    let integral = number.is_some_and(|n| n.fract() == 0.0);
    let (ok, wanted) = match param {
        Param::Any | Param::Path => (true, ""),
        Param::String => (matches!(arg.kind, ArgKind::String(_)), "a string"),
        Param::Number => (number.is_some(), "a number"),
        Param::Integer => (integral, "an integer"),
        Param::Index => (integral && number.is_some_and(|n| n >= 0.0), "an integer of at least 0"),
        Param::Size => (integral && number.is_some_and(|n| n >= 1.0), "an integer of at least 1"),
        Param::Array => (false, "an array"),
        Param::Object => (false, "an object"),
        Param::HashAlgorithm => (
            matches!(&arg.kind, ArgKind::String(s) if HASH_ALGORITHMS.contains(&&*s.value)),
            "one of `MD5`, `SHA-1`, `SHA-256`, `SHA-384`, `SHA-512`",
        ),
        Param::False => (matches!(arg.kind, ArgKind::Bool(false)), "`false`"),
    };
    if ok {
        return None;
    }
    let mut err = QueryError::new(
        I_LITERAL_TYPE,
        arg.range,
        format!(
            "argument {position} of `States.{name}` must be {wanted}, not {}",
            describe_literal(&arg.kind)
        ),
    );
    err = match (param, &arg.kind) {
        (Param::Array | Param::Object, _) => err.with_help("pass the value through a path or a nested call"),
        (Param::False, ArgKind::Bool(true)) => {
            err.with_help("`States.JsonMerge` only merges shallowly; pass `false`")
        }
        (Param::Number | Param::Integer | Param::Index | Param::Size, ArgKind::String(_)) => {
            err.with_help("write the number without quotes")
        }
        _ => err,
    };
    Some(err)
}

fn describe_literal(kind: &ArgKind) -> String {
    match kind {
        ArgKind::String(s) => format!("the string `'{}'`", s.value),
        ArgKind::Number { text, .. } => format!("the number `{text}`"),
        ArgKind::Bool(b) => format!("`{b}`"),
        ArgKind::Null => "`null`".to_owned(),
        ArgKind::Path(_) | ArgKind::Call(_) => "a computed value".to_owned(),
    }
}

/// `I-FAIL-STRING`: in a Fail state's `ErrorPath`/`CausePath` only the string-returning
/// functions may be called (the outermost call decides).
pub fn check_fail_call(call: &Call) -> Option<QueryError> {
    let function = call.function?;
    if function.allowed_in_fail_path() {
        return None;
    }
    Some(
        QueryError::new(
            I_FAIL_STRING,
            call.name_range,
            format!("`States.{}` cannot be used in `ErrorPath` or `CausePath`", function.name()),
        )
        .with_help("use a function that returns a string, such as `States.Format` or `States.JsonToString`"),
    )
}

/// The lints of intrinsics.md §7 for the call and every nested call: `I-FORMAT-ARITY`,
/// `I-RANGE-SIZE`, `I-LITERAL-LENGTH`, `I-CONSTANT` and `I-STRINGSPLIT-MULTI`.
pub fn lint_call(call: &Call) -> Vec<QueryError> {
    let mut acc = Vec::new();
    if is_constant(call) {
        acc.push(
            QueryError::new(I_CONSTANT, call.range, "every argument of this call is a literal")
                .with_help("write the result as a literal value instead"),
        );
    }
    lint_one(call, &mut acc);
    acc
}

fn is_constant(call: &Call) -> bool {
    let random = matches!(call.function, Some(Function::UUID | Function::MathRandom) | None);
    !random && !call.args.is_empty() && call.args.iter().all(|arg| arg.kind.is_literal())
}

fn lint_one(call: &Call, acc: &mut Vec<QueryError>) {
    let literal = |index: usize| -> Option<&StringLit> {
        match &call.args.get(index)?.kind {
            ArgKind::String(s) => Some(s),
            _ => None,
        }
    };
    let number = |index: usize| -> Option<f64> {
        match call.args.get(index)?.kind {
            ArgKind::Number { value, .. } => Some(value),
            _ => None,
        }
    };
    match call.function {
        Some(Function::Format) => {
            if let Some(template) = literal(0) {
                let values = call.args.len() - 1;
                let slots = template.placeholders.len();
                if slots != values {
                    acc.push(
                        QueryError::new(
                            I_FORMAT_ARITY,
                            call.args[0].range,
                            format!(
                                "the template has {} but {} given",
                                plural(slots, "placeholder"),
                                plural_values(values)
                            ),
                        )
                        .with_help("give one value per `{}`; write literal braces as `\\{` and `\\}`"),
                    );
                }
            }
        }
        Some(Function::ArrayRange) => {
            if number(2) == Some(0.0) {
                acc.push(QueryError::new(
                    I_RANGE_SIZE,
                    call.args[2].range,
                    "the step of `States.ArrayRange` is 0",
                ));
            } else if let (Some(first), Some(last), Some(step)) = (number(0), number(1), number(2)) {
                let count = ((last - first) / step).floor() + 1.0;
                if count > MAX_RANGE_ELEMENTS {
                    acc.push(
                        QueryError::new(
                            I_RANGE_SIZE,
                            call.range,
                            format!("`States.ArrayRange` would produce {count} elements, more than the limit of 1000"),
                        )
                        .with_help("use a larger step or a smaller range"),
                    );
                }
            }
        }
        Some(function @ (Function::Base64Encode | Function::Base64Decode | Function::Hash)) => {
            if let Some(data) = literal(0) {
                let chars = data.value.chars().count();
                if chars > MAX_LITERAL_CHARS {
                    acc.push(QueryError::new(
                        I_LITERAL_LENGTH,
                        call.args[0].range,
                        format!(
                            "the literal has {chars} characters; `States.{}` accepts at most {MAX_LITERAL_CHARS}",
                            function.name()
                        ),
                    ));
                }
            }
        }
        Some(Function::StringSplit) => {
            if let Some(delimiters) = literal(1) {
                if delimiters.value.chars().count() > 1 {
                    acc.push(
                        QueryError::new(
                            I_STRINGSPLIT_MULTI,
                            call.args[1].range,
                            format!("every character of `'{}'` is a separate delimiter", delimiters.value),
                        )
                        .with_help("`States.StringSplit` does not split on the whole string"),
                    );
                }
            }
        }
        _ => {}
    }
    for arg in &call.args {
        if let ArgKind::Call(inner) = &arg.kind {
            lint_one(inner, acc);
        }
    }
}

fn plural_values(n: usize) -> String {
    match n {
        0 => "no value is".to_owned(),
        1 => "1 value is".to_owned(),
        n => format!("{n} values are"),
    }
}
