//! How a plain YAML scalar becomes a JSON value under the YAML 1.2 core schema.
//!
//! Only plain (unquoted) scalars are resolved; quoted and block scalars are strings. The
//! core schema is what SAM and CloudFormation documentation assume and what keeps states
//! named `Yes`, `No`, `on` and `off` as strings (a YAML 1.1 loader would make them
//! booleans). Numbers become JSON number text: text that is already a JSON number is kept
//! exactly, other YAML spellings are rewritten to the JSON spelling of the same value.

/// What a plain scalar's text denotes.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Resolved {
    Null,
    Bool(bool),
    /// A number, as JSON number text.
    Number(Box<str>),
    /// A YAML number JSON cannot write (`.inf`, `.nan`, a hexadecimal wider than 128 bits):
    /// the reader keeps the text as a string and warns.
    Unrepresentable,
    String,
}

/// Resolves a plain scalar's text by the YAML 1.2 core schema.
pub(super) fn resolve_plain(text: &str) -> Resolved {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Resolved::Null,
        "true" | "True" | "TRUE" => return Resolved::Bool(true),
        "false" | "False" | "FALSE" => return Resolved::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF" | ".nan"
        | ".NaN" | ".NAN" => return Resolved::Unrepresentable,
        _ => {}
    }
    if let Some(digits) = text.strip_prefix("0x") {
        return radix_number(digits, 16);
    }
    if let Some(digits) = text.strip_prefix("0o") {
        return radix_number(digits, 8);
    }
    match decimal_number(text) {
        Some(number) => Resolved::Number(number.into()),
        None => Resolved::String,
    }
}

fn radix_number(digits: &str, radix: u32) -> Resolved {
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Resolved::String;
    }
    match u128::from_str_radix(digits, radix) {
        Ok(value) => Resolved::Number(value.to_string().into()),
        Err(_) => Resolved::Unrepresentable,
    }
}

/// The JSON spelling of a core-schema decimal int or float
/// (`[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`), or `None` when `text` is not one.
fn decimal_number(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut pos = 0;
    let negative = match bytes.first() {
        Some(b'-') => {
            pos += 1;
            true
        }
        Some(b'+') => {
            pos += 1;
            false
        }
        _ => false,
    };
    let int_start = pos;
    while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
        pos += 1;
    }
    let int_digits = &text[int_start..pos];
    let mut fraction = None;
    if bytes.get(pos) == Some(&b'.') {
        pos += 1;
        let frac_start = pos;
        while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
        fraction = Some(&text[frac_start..pos]);
    }
    if int_digits.is_empty() && fraction.is_none_or(str::is_empty) {
        return None;
    }
    let mut exponent = "";
    if matches!(bytes.get(pos), Some(b'e' | b'E')) {
        let exp_start = pos;
        pos += 1;
        if matches!(bytes.get(pos), Some(b'+' | b'-')) {
            pos += 1;
        }
        let digits_start = pos;
        while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
        if pos == digits_start {
            return None;
        }
        exponent = &text[exp_start..pos];
    }
    if pos != bytes.len() {
        return None;
    }
    let int_trimmed = int_digits.trim_start_matches('0');
    let int_part = if int_trimmed.is_empty() { "0" } else { int_trimmed };
    let mut out = String::with_capacity(text.len() + 2);
    if negative {
        out.push('-');
    }
    out.push_str(int_part);
    match fraction {
        // `1.` is a float in YAML; JSON needs a digit after the point.
        Some("") => out.push_str(".0"),
        Some(digits) => {
            out.push('.');
            out.push_str(digits);
        }
        None => {}
    }
    out.push_str(exponent);
    // Keep the author's text when it already is JSON, so `1.50` stays `1.50`.
    if out == text {
        Some(text.to_string())
    } else {
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> Option<String> {
        match resolve_plain(text) {
            Resolved::Number(n) => Some(n.into()),
            _ => None,
        }
    }

    #[test]
    fn core_schema_words() {
        for text in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(resolve_plain(text), Resolved::Null, "{text:?}");
        }
        assert_eq!(resolve_plain("True"), Resolved::Bool(true));
        assert_eq!(resolve_plain("FALSE"), Resolved::Bool(false));
        for text in ["Yes", "No", "on", "off", "y", "n", "nULL", "tRUE", "-", "+", ".", "1_000", "0x", "0b1"]
        {
            assert_eq!(resolve_plain(text), Resolved::String, "{text:?}");
        }
        assert_eq!(resolve_plain(".inf"), Resolved::Unrepresentable);
        assert_eq!(resolve_plain("-.Inf"), Resolved::Unrepresentable);
        assert_eq!(resolve_plain(".NaN"), Resolved::Unrepresentable);
    }

    #[test]
    fn numbers_keep_json_text_and_rewrite_the_rest() {
        assert_eq!(number("12").as_deref(), Some("12"));
        assert_eq!(number("-0.50").as_deref(), Some("-0.50"));
        assert_eq!(number("1e400").as_deref(), Some("1e400"));
        assert_eq!(number("1E+05").as_deref(), Some("1E+05"));
        assert_eq!(number("+12").as_deref(), Some("12"));
        assert_eq!(number("007").as_deref(), Some("7"));
        assert_eq!(number("-00").as_deref(), Some("-0"));
        assert_eq!(number("1.").as_deref(), Some("1.0"));
        assert_eq!(number(".5").as_deref(), Some("0.5"));
        assert_eq!(number("-.5e3").as_deref(), Some("-0.5e3"));
        assert_eq!(number("0x1F").as_deref(), Some("31"));
        assert_eq!(number("0o17").as_deref(), Some("15"));
        assert_eq!(number("1e"), None);
        assert_eq!(number("1.2.3"), None);
        assert_eq!(resolve_plain("0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"), Resolved::Unrepresentable);
    }
}
