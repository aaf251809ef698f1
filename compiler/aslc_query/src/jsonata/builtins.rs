//! The functions a JSONata expression in Step Functions can call: the JSONata 2.0.6 library
//! and the six functions Step Functions adds (jsonata.md §4).

/// Where a function comes from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Origin {
    /// The JSONata 2.0.6 library.
    Jsonata,
    /// Added (or, for `$random`, redefined) by Step Functions.
    StepFunctions,
    /// In JSONata but removed by Step Functions (`$eval`).
    Unavailable,
}

/// A built-in function.
#[derive(Clone, Copy, Debug)]
pub struct Builtin {
    /// The name without `$`.
    pub name: &'static str,
    /// Fewest arguments (an argument the signature marks `-` may come from the context).
    pub min_args: usize,
    /// Most arguments, `None` for no limit.
    pub max_args: Option<usize>,
    /// Where it comes from.
    pub origin: Origin,
}

const fn f(name: &'static str, min_args: usize, max_args: usize) -> Builtin {
    Builtin { name, min_args, max_args: Some(max_args), origin: Origin::Jsonata }
}

const fn sfn(name: &'static str, min_args: usize, max_args: usize) -> Builtin {
    Builtin { name, min_args, max_args: Some(max_args), origin: Origin::StepFunctions }
}

/// Every built-in, with arities derived from the JSONata 2.0.6 signatures (`<s-nn?:s>` is
/// one to three arguments).
pub const BUILTINS: &[Builtin] = &[
    f("sum", 1, 1),
    f("count", 1, 1),
    f("max", 1, 1),
    f("min", 1, 1),
    f("average", 1, 1),
    f("string", 0, 2),
    f("substring", 1, 3),
    f("substringBefore", 1, 2),
    f("substringAfter", 1, 2),
    f("lowercase", 0, 1),
    f("uppercase", 0, 1),
    f("length", 0, 1),
    f("trim", 0, 1),
    f("pad", 1, 3),
    f("match", 1, 3),
    f("contains", 1, 2),
    f("replace", 2, 4),
    f("split", 1, 3),
    f("join", 1, 2),
    f("formatNumber", 1, 3),
    f("formatBase", 0, 2),
    f("formatInteger", 1, 2),
    f("parseInteger", 1, 2),
    f("number", 0, 1),
    f("floor", 0, 1),
    f("ceil", 0, 1),
    f("round", 0, 2),
    f("abs", 0, 1),
    f("sqrt", 0, 1),
    f("power", 1, 2),
    f("boolean", 0, 1),
    f("not", 0, 1),
    f("map", 2, 2),
    Builtin { name: "zip", min_args: 1, max_args: None, origin: Origin::Jsonata },
    f("filter", 2, 2),
    f("single", 1, 2),
    f("reduce", 2, 3),
    f("sift", 0, 2),
    f("keys", 0, 1),
    f("lookup", 1, 2),
    f("append", 2, 2),
    f("exists", 1, 1),
    f("spread", 0, 1),
    f("merge", 1, 1),
    f("reverse", 1, 1),
    f("each", 1, 2),
    f("error", 0, 1),
    f("assert", 1, 2),
    f("type", 1, 1),
    f("sort", 1, 2),
    f("shuffle", 1, 1),
    f("distinct", 1, 1),
    f("base64encode", 0, 1),
    f("base64decode", 0, 1),
    f("encodeUrlComponent", 0, 1),
    f("encodeUrl", 0, 1),
    f("decodeUrlComponent", 0, 1),
    f("decodeUrl", 0, 1),
    f("toMillis", 0, 2),
    f("fromMillis", 0, 3),
    f("clone", 0, 1),
    f("now", 0, 2),
    f("millis", 0, 0),
    Builtin { name: "eval", min_args: 1, max_args: Some(2), origin: Origin::Unavailable },
    sfn("partition", 2, 2),
    sfn("range", 3, 3),
    sfn("hash", 2, 2),
    sfn("random", 0, 1),
    sfn("uuid", 0, 0),
    sfn("parse", 1, 1),
];

/// The built-in called `name` (without `$`), if any.
pub fn builtin(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_consistent() {
        let mut seen = std::collections::HashSet::new();
        for b in BUILTINS {
            assert!(seen.insert(b.name), "duplicate {}", b.name);
            assert!(b.max_args.is_none_or(|max| max >= b.min_args), "{}", b.name);
        }
        assert_eq!(builtin("random").map(|b| b.origin), Some(Origin::StepFunctions));
        assert_eq!(builtin("eval").map(|b| b.origin), Some(Origin::Unavailable));
        assert!(builtin("randomSeeded").is_none());
    }
}
