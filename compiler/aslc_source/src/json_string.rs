//! JSON string literals: the one escaper of every JSON printer and report, and the scan the
//! JSON reader uses to find where a string's plain content ends.

/// Appends `text` as a JSON string literal with the escapes JSON requires.
pub fn write_json_string(text: &str, out: &mut String) {
    out.reserve(text.len() + 2);
    out.push('"');
    // Runs of bytes that need no escape are copied whole; every escaped character is
    // ASCII, so the runs end on character boundaries.
    let bytes = text.as_bytes();
    let mut run = 0;
    loop {
        let end = run + plain_run(&bytes[run..]);
        out.push_str(&text[run..end]);
        let Some(&byte) = bytes.get(end) else {
            break;
        };
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 0xf)]));
            }
        }
        run = end + 1;
    }
    out.push('"');
}

/// The length of the run of plain string content at the start of `bytes`: up to the
/// closing quote, an escape, a control character (an error) or the end.
///
/// Eight bytes are tested at a time: a byte of the word is flagged when it is below `0x20`
/// or equal to `"` or `\`. The borrows of the subtractions can flag bytes above a flagged
/// one, never below it, so the lowest flag is the first special byte.
pub fn plain_run(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut done = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        let quote = word ^ (ONES * u64::from(b'"'));
        let backslash = word ^ (ONES * u64::from(b'\\'));
        let flags = (word.wrapping_sub(ONES * 0x20) & !word
            | quote.wrapping_sub(ONES) & !quote
            | backslash.wrapping_sub(ONES) & !backslash)
            & HIGHS;
        if flags != 0 {
            return done + (flags.trailing_zeros() / 8) as usize;
        }
        done += 8;
    }
    let rest = chunks.remainder();
    done + rest.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(rest.len())
}

#[cfg(test)]
mod tests {
    use super::{plain_run, write_json_string};

    #[test]
    fn json_strings_escape_quotes_backslashes_and_controls_only() {
        let mut out = String::new();
        write_json_string("plain ü \"q\" \\ \n\r\t\u{08}\u{0c}\u{01}\u{1f} end", &mut out);
        assert_eq!(out, "\"plain ü \\\"q\\\" \\\\ \\n\\r\\t\\b\\f\\u0001\\u001f end\"");
        let mut empty = String::new();
        write_json_string("", &mut empty);
        assert_eq!(empty, "\"\"");
    }

    /// The word-at-a-time scan stops where a byte-by-byte scan does, for a special byte at
    /// every position of a word and next to bytes that could carry a borrow.
    #[test]
    fn plain_run_stops_at_the_first_special_byte() {
        let naive = |bytes: &[u8]| {
            bytes.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(bytes.len())
        };
        let fillers: [u8; 8] = [b'a', b' ', b'!', b'#', b'[', b']', 0x7f, 0xc3];
        for len in 0..24 {
            for at in 0..=len {
                for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                    for filler in fillers {
                        let mut bytes = vec![filler; len];
                        if at < len {
                            bytes[at] = special;
                            if at + 1 < len {
                                bytes[at + 1] = 0x00;
                            }
                        }
                        assert_eq!(plain_run(&bytes), naive(&bytes), "{bytes:?}");
                    }
                }
            }
        }
        assert_eq!(plain_run("héllo wörld, ünïcode\"".as_bytes()), "héllo wörld, ünïcode".len());
    }
}
