//! Numbers as written: exact text, with lossless views for the checks that need them.

use super::Text;

/// A JSON number kept as its source text (`1e400`, `20` digits and `5.0` all survive).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Number {
    text: Text,
}

impl Number {
    /// Wraps a JSON number's text. The text is assumed to follow the JSON grammar.
    pub fn new(text: impl Into<Text>) -> Number {
        Number { text: text.into() }
    }

    /// The exact text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the token has no fraction and no exponent (`5`, not `5.0` or `5e0`).
    pub fn is_integer_token(&self) -> bool {
        !self.text.contains(['.', 'e', 'E'])
    }

    /// The value as `i64` when it is an integer token that fits.
    pub fn as_i64(&self) -> Option<i64> {
        if self.is_integer_token() {
            self.text.parse().ok()
        } else {
            None
        }
    }

    /// The value as `f64` (rounded; `1e400` is infinite).
    pub fn as_f64(&self) -> f64 {
        self.text.parse().unwrap_or(f64::NAN)
    }

    /// Whether the value is mathematically an integer (`5`, `5.0`, `5e0`), ignoring
    /// precision: `1e400` counts as an integer that is out of every range.
    pub fn is_integral(&self) -> bool {
        let v = self.as_f64();
        v.is_finite() && v.fract() == 0.0 || v.is_infinite()
    }

    /// Whether the value is an integer within `min..=max`. Integer tokens are compared
    /// exactly; others through `f64`.
    pub fn integer_in(&self, min: i64, max: i64) -> bool {
        if let Some(v) = self.as_i64() {
            return (min..=max).contains(&v);
        }
        if self.is_integer_token() {
            // Too large for i64: out of every range we check.
            return false;
        }
        let v = self.as_f64();
        v.is_finite() && v.fract() == 0.0 && v >= min as f64 && v <= max as f64
    }
}

impl std::fmt::Display for Number {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}
