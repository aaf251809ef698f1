//! Building AWS-style locations (`/States/A/Catch[0]/Next`) cheaply.
//!
//! Lowering and validation compute a location for every field they visit, because any of
//! them may become a diagnostic; almost none do. A [`Field`] names `{base}/{name}` without
//! writing it, for the readers that only write a location into a diagnostic; the helpers
//! below write the string with one allocation and no formatting machinery, which costs a
//! fraction of `format!`.

/// A location that is written out only when something keeps it: a diagnostic's
/// [`at`](aslc_source::Diagnostic::at) takes any of them. Lowering names a location for
/// every field it reads and almost never reports one, so it passes [`Field`]s rather than
/// strings where it can.
pub(crate) trait Pointer: Copy + Into<String> {}

impl<T: Copy + Into<String>> Pointer for T {}

/// `{base}/{name}`, not written out yet.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Field<'a> {
    /// The enclosing location.
    pub(crate) base: &'a str,
    /// The field's name.
    pub(crate) name: &'a str,
}

impl std::fmt::Display for Field<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.base, self.name)
    }
}

/// A location that is either a [`Field`] not written yet or a string already written.
#[derive(Clone, Debug)]
pub(crate) enum Location<'a> {
    /// `{base}/{name}`.
    Field(Field<'a>),
    /// Any location.
    Written(String),
}

impl From<&Location<'_>> for String {
    fn from(location: &Location<'_>) -> String {
        match location {
            Location::Field(field) => String::from(*field),
            Location::Written(text) => text.clone(),
        }
    }
}

impl std::fmt::Display for Location<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Field(field) => field.fmt(f),
            Location::Written(text) => f.write_str(text),
        }
    }
}

/// `{base}/{name}`, written out when kept.
pub(crate) fn field<'a>(base: &'a str, name: &'a str) -> Field<'a> {
    Field { base, name }
}

impl From<Field<'_>> for String {
    fn from(field: Field<'_>) -> String {
        join(field.base, field.name)
    }
}

/// `{base}/{name}`.
pub(crate) fn join(base: &str, name: &str) -> String {
    let mut out = String::with_capacity(base.len() + 1 + name.len());
    out.push_str(base);
    out.push('/');
    out.push_str(name);
    out
}

/// `{base}[{i}]`.
pub(crate) fn at(base: &str, i: usize) -> String {
    let mut out = String::with_capacity(base.len() + 6);
    out.push_str(base);
    push_index(&mut out, i);
    out
}

/// `{base}/{key}[{i}]`.
pub(crate) fn index(base: &str, key: &str, i: usize) -> String {
    let mut out = String::with_capacity(base.len() + key.len() + 7);
    out.push_str(base);
    out.push('/');
    out.push_str(key);
    push_index(&mut out, i);
    out
}

/// `{base}/{key}[{i}]/{name}`.
pub(crate) fn index_field(base: &str, key: &str, i: usize, name: &str) -> String {
    let mut out = String::with_capacity(base.len() + key.len() + name.len() + 8);
    out.push_str(base);
    out.push('/');
    out.push_str(key);
    push_index(&mut out, i);
    out.push('/');
    out.push_str(name);
    out
}

/// `[{i}]`, digits written by hand.
fn push_index(out: &mut String, i: usize) {
    let mut digits = [0u8; 20];
    let mut n = i;
    let mut len = 0;
    loop {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push('[');
    for &d in digits[..len].iter().rev() {
        out.push(char::from(d));
    }
    out.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_read_as_aws_writes_them() {
        assert_eq!(join("/States/A", "Next"), "/States/A/Next");
        assert_eq!(join("", "StartAt"), "/StartAt");
        assert_eq!(at("/States/A/Retry", 0), "/States/A/Retry[0]");
        assert_eq!(index("/States/A", "Catch", 12), "/States/A/Catch[12]");
        assert_eq!(index_field("/States/A", "Choices", 907, "Next"), "/States/A/Choices[907]/Next");
        assert_eq!(at("", usize::MAX), format!("[{}]", usize::MAX));
        assert_eq!(String::from(field("/States/A", "Next")), "/States/A/Next");
        assert_eq!(field("", "Retry").to_string(), "/Retry");
        let written = Location::Written("/States/A/Catch[0]/Assign".to_string());
        assert_eq!(String::from(&written), "/States/A/Catch[0]/Assign");
        assert_eq!(String::from(&Location::Field(field("/States/A", "Parameters"))), "/States/A/Parameters");
    }
}
