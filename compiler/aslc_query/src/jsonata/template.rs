//! JSONata expression strings `{% … %}` (jsonata.md §2).
//!
//! A string is an expression string exactly when its first two characters are `{%` and its
//! last two are `%}`; whitespace inside the delimiters belongs to the expression and is
//! ignored by JSONata, so `{%10%}` and a multi-line expression are expression strings too.
//! This follows AWS's documented rule and a published AWS sample that omits the spaces
//! (spec README, open question 1); the spacing convention is only the `J-DELIM-SPACING`
//! style lint.

use aslc_source::TextRange;

use super::ast::Expr;
use super::error::JsonataError;
use crate::rules::{J_DELIM_SPACING, J_LITERAL_LOOKALIKE};
use crate::QueryError;

/// A recognised expression string.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Template {
    /// The text between the delimiters, relative to the string.
    pub inner: TextRange,
}

/// Recognises an expression string; `None` means the string is a literal.
pub fn jsonata_template(text: &str) -> Option<Template> {
    let is_template = text.len() >= 4 && text.starts_with("{%") && text.ends_with("%}");
    is_template.then(|| Template { inner: TextRange::from_usize(2, text.len() - 2) })
}

impl Template {
    /// Parses the expression; ranges in the tree and in errors are relative to the whole
    /// string (delimiters included).
    pub fn parse(&self, text: &str) -> Result<Expr, JsonataError> {
        super::parse_range(text, self.inner)
    }

    /// The expression with surrounding whitespace trimmed, as AWS quotes it in run-time
    /// errors (`The JSONata expression '$x' specified for the field …`).
    pub fn trimmed<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.inner.as_usize()).unwrap_or("").trim()
    }

    /// `J-DELIM-SPACING`: the expression is not written as `{% expr %}` with exactly one
    /// space inside each delimiter.
    pub fn spacing_lint(&self, text: &str) -> Option<QueryError> {
        let inner = text.get(self.inner.as_usize()).unwrap_or("");
        let one_space_each_side = inner.len() >= 2
            && inner.starts_with(' ')
            && !inner[1..].starts_with(char::is_whitespace)
            && inner.ends_with(' ')
            && !inner[..inner.len() - 1].ends_with(char::is_whitespace);
        if one_space_each_side || inner.trim().is_empty() {
            return None;
        }
        Some(
            QueryError::new(
                J_DELIM_SPACING,
                TextRange::from_usize(0, text.len()),
                "write one space inside each `{%` `%}` delimiter",
            )
            .with_help(format!("write `{{% {} %}}`", inner.trim())),
        )
    }
}

/// `J-LITERAL-LOOKALIKE`: in a JSONata state, a string that is almost an expression string
/// (delimiters with whitespace outside them, or only one of them) or that looks like a
/// JSONPath reference; it is copied as a literal.
pub fn template_lookalike(text: &str) -> Option<QueryError> {
    if jsonata_template(text).is_some() {
        return None;
    }
    let range = TextRange::from_usize(0, text.len());
    let trimmed = text.trim();
    if trimmed.starts_with("{%") || trimmed.ends_with("%}") {
        let err = QueryError::new(
            J_LITERAL_LOOKALIKE,
            range,
            "this string is not a JSONata expression and is used as written",
        );
        let help = if jsonata_template(trimmed).is_some() {
            "remove the whitespace outside `{%` and `%}`"
        } else {
            "write the whole value as `{% expression %}`"
        };
        return Some(err.with_help(help));
    }
    let jsonpath_like = text == "$" || ["$.", "$$", "$[", "$states."].iter().any(|p| text.starts_with(p));
    if jsonpath_like {
        return Some(
            QueryError::new(
                J_LITERAL_LOOKALIKE,
                range,
                "this string looks like a reference but is used as written",
            )
            .with_help(format!(
                "to evaluate it, write `{{% {} %}}` in JSONata syntax",
                text.replacen("$.", "$states.input.", 1)
            )),
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognition() {
        let cases: &[(&str, Option<(u32, u32)>)] = &[
            ("{% $states.input %}", Some((2, 17))),
            ("{%10%}", Some((2, 4))),
            ("{% \n10 %}", Some((2, 7))),
            ("{%%}", Some((2, 2))),
            ("{%}", None),
            ("{%", None),
            (" {% $x %}", None),
            ("{% $x %} ", None),
            ("{% $x", None),
            ("$states.input", None),
            ("", None),
        ];
        for &(text, expected) in cases {
            let got = jsonata_template(text).map(|t| (t.inner.start(), t.inner.end()));
            assert_eq!(got, expected, "{text:?}");
        }
    }

    #[test]
    fn spacing() {
        let cases: &[(&str, bool)] = &[
            ("{% $x %}", false),
            ("{%$x%}", true),
            ("{%  $x %}", true),
            ("{% $x  %}", true),
            ("{% \n$x %}", true),
            ("{%$lowercase('a') %}", true),
        ];
        for &(text, lint) in cases {
            let template = jsonata_template(text).unwrap();
            assert_eq!(template.spacing_lint(text).is_some(), lint, "{text:?}");
        }
    }

    #[test]
    fn lookalikes() {
        let cases: &[(&str, bool)] = &[
            (" {% states.input %} ", true),
            ("{% $x", true),
            ("$x %}", true),
            ("$states.input", true),
            ("$.a", true),
            ("$$.Execution.Id", true),
            ("$", true),
            ("{% $x %}", false),
            ("hello", false),
            ("$100 fee", false),
        ];
        for &(text, lint) in cases {
            assert_eq!(template_lookalike(text).is_some(), lint, "{text:?}");
        }
    }

    #[test]
    fn trimmed_and_parsed_ranges() {
        let text = "{%  $states.input.x \n%}";
        let template = jsonata_template(text).unwrap();
        assert_eq!(template.trimmed(text), "$states.input.x");
        let expr = template.parse(text).unwrap();
        assert_eq!(expr.range, TextRange::new(4, 19));
        let err = jsonata_template("{% 1 + %}").unwrap().parse("{% 1 + %}").unwrap_err();
        assert_eq!(err.range, TextRange::new(7, 7));
    }
}
