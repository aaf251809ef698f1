//! Building AWS-style locations (`/States/A/Catch[0]/Next`) cheaply.
//!
//! Lowering and validation compute a location for every field they visit, because any of
//! them may become a diagnostic; almost none do. These helpers write the string with one
//! allocation and no formatting machinery, which costs a fraction of `format!`.

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
    }
}
