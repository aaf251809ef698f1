//! Every view survives arbitrary spans over arbitrary text: thousands of generated cases
//! (multi-byte characters, CR, CRLF, U+2028, tabs, control characters, long lines; spans
//! inside characters, past the end, empty, across lines and files), none may panic, and
//! the positions the views report must agree.

use aslc_render::{json_value, render_human, render_json, sarif_value, SourceFiles, ToolInfo};
use aslc_source::{Diagnostic, FileId, Severity, TextRange};

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "a",
    "{",
    "}",
    "\"Next\"",
    ": ",
    " ",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\u{e9}",
    "\u{1F600}",
    "\u{6f22}",
    "\u{2028}",
    "\u{85}",
    "\u{1b}[31m",
    "\u{0}",
    "\u{202e}",
    "\u{feff}",
    "\u{b}",
];

fn text(rng: &mut Rng) -> String {
    let mut out = String::new();
    let n = rng.below(60);
    for _ in 0..n {
        let piece = PIECES[rng.below(PIECES.len())];
        // Now and then a long run, to exercise line cutting.
        let repeat = if rng.below(20) == 0 { 100 + rng.below(200) } else { 1 };
        for _ in 0..repeat {
            out.push_str(piece);
        }
    }
    out
}

fn range(rng: &mut Rng, len: usize) -> TextRange {
    let a = rng.below(len + 5);
    let b = if rng.below(4) == 0 { a } else { rng.below(len + 5) };
    TextRange::from_usize(a, b)
}

fn message(rng: &mut Rng) -> String {
    [
        "",
        "label",
        "with `name`",
        "multi\nline",
        "esc \u{1b}[2J",
        "\u{2028}",
        "q\"b\\s\t\r\u{8}\u{c}\u{0}\u{7f}",
    ][rng.below(7)]
    .to_owned()
}

#[test]
fn generated_spans_never_panic_and_positions_agree() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let tool = ToolInfo { version: "0", information_uri: "https://example.com" };
    for case in 0..1500 {
        let mut files = SourceFiles::new();
        let texts = [text(&mut rng), text(&mut rng)];
        for (i, text) in texts.iter().enumerate() {
            files.add(format!("dir {i}/f\u{e9}\u{1b}.json"), text.as_str());
        }
        let mut diagnostics = Vec::new();
        for _ in 0..1 + rng.below(3) {
            // File 2 does not exist.
            let file = FileId(rng.below(3) as u32);
            let len = texts.get(file.0 as usize).map_or(0, String::len);
            let severity = [Severity::Error, Severity::Warning, Severity::Info][rng.below(3)];
            let mut diagnostic =
                Diagnostic::new("X-CODE", severity, file, range(&mut rng, len), message(&mut rng))
                    .with_label(message(&mut rng));
            for _ in 0..rng.below(4) {
                let other = FileId(rng.below(3) as u32);
                let len = texts.get(other.0 as usize).map_or(0, String::len);
                diagnostic = diagnostic.with_secondary(other, range(&mut rng, len), message(&mut rng));
            }
            if rng.below(2) == 0 {
                diagnostic = diagnostic.with_help(message(&mut rng)).with_note(message(&mut rng));
            }
            if rng.below(3) == 0 {
                let aws_message = (rng.below(2) == 0).then(|| message(&mut rng));
                diagnostic = diagnostic.with_aws("SCHEMA_VALIDATION_FAILED", aws_message);
            }
            diagnostics.push(diagnostic);
        }

        let coloured = render_human(&diagnostics, &files, rng.below(2) == 0);
        let human = strip_ansi(&coloured);
        let json = json_value(&diagnostics, &files);
        // The direct writer and the `Value` agree to the byte.
        let pretty = serde_json::to_string_pretty(&json).unwrap_or_default() + "\n";
        assert_eq!(render_json(&diagnostics, &files), pretty, "case {case}");
        let sarif = sarif_value(&diagnostics, &files, tool, &|_| None);

        for (item, result) in json["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .zip(sarif["runs"][0]["results"].as_array().into_iter().flatten())
        {
            let region = &result["locations"][0]["physicalLocation"]["region"];
            assert_eq!(item["line"], region["startLine"], "case {case}");
            assert_eq!(item["column"], region["startColumn"], "case {case}");
            assert_eq!(item["end_line"], region["endLine"], "case {case}");
            assert_eq!(item["end_column"], region["endColumn"], "case {case}");
            let (line, end_line) = (item["line"].as_u64(), item["end_line"].as_u64());
            assert!(line >= Some(1) && end_line >= line, "case {case}: {item}");
            // The text view prints the same position for a known file.
            if item["file"] != "<unknown>" {
                let reference = format!(":{}:{} ]", item["line"], item["column"]);
                assert!(human.contains(&reference), "case {case}: {reference} not in\n{human}");
            }
        }
        // Only colour sequences reach the terminal: no escape from the text or a message.
        assert!(!human.contains('\u{1b}') && !human.contains('\u{2028}'), "case {case}:\n{human}");
    }
}

/// `text` without ANSI SGR sequences (`ESC [ digits/semicolons m`); anything else that
/// starts with ESC is kept.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\u{1b}') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let params =
            after.strip_prefix('[').map(|p| p.trim_start_matches(|c: char| c.is_ascii_digit() || c == ';'));
        match params.and_then(|p| p.strip_prefix('m')) {
            Some(tail) => rest = tail,
            None => {
                out.push('\u{1b}');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}
