//! Snapshots of the three views (text, JSON, SARIF) over small hand-made diagnostics:
//! multi-line text, characters wider than a byte before a span, empty spans, spans at the
//! end of the text, secondary labels, CRLF line ends and spans that do not fit their text.

use aslc_render::{render_human, render_json, render_sarif, write_json, RuleMeta, SourceFiles, ToolInfo};
use aslc_source::{Diagnostic, FileId, Severity, TextRange};

/// The range of the `nth` (0-based) occurrence of `needle` in `text`.
fn find(text: &str, needle: &str, nth: usize) -> TextRange {
    let start = text
        .match_indices(needle)
        .nth(nth)
        .map(|(i, _)| i)
        .unwrap_or_else(|| panic!("{needle:?} occurs fewer than {} times", nth + 1));
    TextRange::from_usize(start, start + needle.len())
}

fn rules(code: &str) -> Option<RuleMeta> {
    match code {
        "S-NEXT-EXISTS" => Some(RuleMeta {
            name: "structure-next-exists".to_owned(),
            summary: "every `Next` names a state of the same scope".to_owned(),
            level: Severity::Error,
            help_uri: Some("https://example.com/rules/S-NEXT-EXISTS".to_owned()),
            help: Some("## What it does\n\nChecks that `Next` names a state.".to_owned()),
        }),
        "S-JSON-DUPKEY" => Some(RuleMeta {
            name: "structure-json-dupkey".to_owned(),
            summary: "an object has each key once".to_owned(),
            level: Severity::Error,
            help_uri: None,
            help: None,
        }),
        _ => None,
    }
}

/// All three views of `diagnostics` over `files`, one after the other.
fn views(files: &SourceFiles, diagnostics: &[Diagnostic]) -> String {
    let tool = ToolInfo { version: "[version]", information_uri: "https://example.com/aslc" };
    format!(
        "--- text ---\n{}--- json ---\n{}--- sarif ---\n{}",
        render_human(diagnostics, files, false),
        render_json(diagnostics, files),
        render_sarif(diagnostics, files, tool, &rules),
    )
}

const MACHINE: &str = r#"{
  "StartAt": "First",
  "States": {
    "First": {
      "Type": "Pass",
      "Next": "Secnd"
    },
    "Second": {
      "Type": "Succeed"
    }
  }
}
"#;

#[test]
fn multi_line_text_with_help_notes_and_aws() {
    let mut files = SourceFiles::new();
    let file = files.add("machines/order flow.asl.json", MACHINE);
    let diagnostic = Diagnostic::error(
        "S-NEXT-EXISTS",
        file,
        find(MACHINE, "\"Secnd\"", 0),
        "`Next` names a state that does not exist",
    )
    .with_label("no state named `Secnd`")
    .with_secondary(file, find(MACHINE, "\"Second\"", 0), "a state with a similar name")
    .with_help("did you mean `Second`?")
    .with_note("every `Next` names a state of the same scope")
    .with_note("AWS reports `MISSING_TRANSITION_TARGET`")
    .at("/States/First/Next")
    .with_aws("MISSING_TRANSITION_TARGET", Some("Missing 'Next' target: Secnd".to_owned()));
    insta::assert_snapshot!(views(&files, &[diagnostic]));
}

#[test]
fn unicode_before_the_span() {
    let text = "{\"Comment\": \"caf\u{e9} \u{1F600} \u{6f22}\u{5b57}\", \"StartAt\": 7}\n";
    let mut files = SourceFiles::new();
    let file = files.add("unicode.asl.json", text);
    let diagnostic = Diagnostic::error("S-TYPE", file, find(text, "7", 0), "`StartAt` must be a string")
        .with_label("a number")
        .at("/StartAt");
    insta::assert_snapshot!(views(&files, &[diagnostic]));
}

#[test]
fn empty_span_in_a_line() {
    let text = "{\n  \"StartAt\": \"A\"\n  \"States\": {}\n}\n";
    let mut files = SourceFiles::new();
    let file = files.add("comma.asl.json", text);
    let at = find(text, "\"A\"", 0).end();
    let diagnostic = Diagnostic::error("S-JSON-SYNTAX", file, TextRange::empty(at), "expected `,` or `}`")
        .with_label("a `,` is missing here")
        .with_help("insert a `,`");
    insta::assert_snapshot!(views(&files, &[diagnostic]));
}

#[test]
fn empty_span_at_end_of_text() {
    let text = "{\n  \"StartAt\": \"A\",\n  \"States\": {";
    let mut files = SourceFiles::new();
    let file = files.add("truncated.asl.json", text);
    let end = text.len() as u32;
    let diagnostic =
        Diagnostic::error("S-JSON-SYNTAX", file, TextRange::empty(end), "unexpected end of input")
            .with_label("the text ends here")
            .with_secondary(file, find(text, "{", 1), "this `{` is not closed")
            .with_secondary(file, find(text, "{", 0), "this `{` is not closed");
    insta::assert_snapshot!(views(&files, &[diagnostic]));
}

#[test]
fn empty_span_at_end_of_line_and_after_final_newline() {
    let text = "{\"a\": 1}\n";
    let mut files = SourceFiles::new();
    let file = files.add("eol.json", text);
    let line_end =
        Diagnostic::warning("W-LINE-END", file, TextRange::empty(8), "empty span before a line break");
    let after = Diagnostic::warning("W-EOF", file, TextRange::empty(9), "empty span after the final newline");
    insta::assert_snapshot!(views(&files, &[after, line_end]));
}

#[test]
fn secondary_labels_across_lines_and_files() {
    let other_text = "{\n  \"Type\": \"Pass\"\n}\n";
    let mut files = SourceFiles::new();
    let file = files.add("dup.asl.json", MACHINE);
    let other = files.add("./shared/other.asl.json", other_text);
    let diagnostic = Diagnostic::error(
        "S-JSON-DUPKEY",
        file,
        find(MACHINE, "\"Type\"", 1),
        "key `Type` appears twice in one object",
    )
    .with_label("second `Type`")
    .with_secondary(file, find(MACHINE, "\"Type\"", 0), "first `Type`")
    .with_secondary(other, find(other_text, "\"Type\"", 0), "`Type` in another file")
    .at("/States/Second/Type");
    let state = find(MACHINE, "{\n      \"Type\": \"Pass\"", 0).start();
    let state_end = find(MACHINE, "}", 0).end();
    let whole_state = Diagnostic::warning(
        "W-UNREACHABLE",
        file,
        TextRange::new(state, state_end),
        "state `First` is never entered",
    )
    .with_label("this state");
    insta::assert_snapshot!(views(&files, &[whole_state, diagnostic]));
}

#[test]
fn crlf_line_ends() {
    let text = "{\r\n  \"StartAt\": \"\u{e9}t\u{e9}\",\r\n  \"States\": {}\r\n}\r\n";
    let mut files = SourceFiles::new();
    let file = files.add("windows.asl.json", text);
    let diagnostic = Diagnostic::error(
        "S-START-EXISTS",
        file,
        find(text, "\"\u{e9}t\u{e9}\"", 0),
        "`StartAt` names a state that does not exist",
    )
    .with_label("no state named `\u{e9}t\u{e9}`")
    .with_secondary(file, find(text, "{}", 0), "`States` is empty")
    .at("/StartAt");
    insta::assert_snapshot!(views(&files, &[diagnostic]));
}

#[test]
fn ranges_that_do_not_fit_the_text() {
    let text = "{\"\u{e9}\": 1}";
    let mut files = SourceFiles::new();
    let file = files.add("bad-ranges.json", text);
    // Byte 3 is inside `é`; 100 is past the end.
    let inside = Diagnostic::warning("W-INSIDE", file, TextRange::new(3, 3), "span inside a character");
    let past = Diagnostic::warning("W-PAST", file, TextRange::new(5, 100), "span past the end");
    let unknown =
        Diagnostic::error("E-UNKNOWN-FILE", FileId(9), TextRange::new(0, 4), "span in an unknown file")
            .with_help("check the file list");
    insta::assert_snapshot!(views(&files, &[inside, past, unknown]));
}

#[test]
fn control_characters_are_escaped() {
    let text = "{\"Next\": \"a\u{1b}[31mb\u{2028}c\"}\n";
    let mut files = SourceFiles::new();
    let file = files.add("escape.json", text);
    let diagnostic = Diagnostic::error(
        "S-NEXT-EXISTS",
        file,
        find(text, "\"a", 0).cover(find(text, "c\"", 0)),
        "`Next` names a state that does not exist",
    )
    .with_label("no state named `a\u{1b}[31mb\u{2028}c`")
    .with_help("rename it\nor add the state");
    let text_view = render_human(&[diagnostic], &files, false);
    assert!(!text_view.contains('\u{1b}'), "{text_view}");
    assert!(!text_view.contains('\u{2028}'), "{text_view}");
    insta::assert_snapshot!(text_view);
}

#[test]
fn diagnostics_are_sorted_by_file_offset_and_code() {
    let mut files = SourceFiles::new();
    let first = files.add("a.json", "[1, 2, 3]\n");
    let second = files.add("b.json", "[4]\n");
    let diagnostics = vec![
        Diagnostic::warning("W-B", second, TextRange::new(1, 2), "in b"),
        Diagnostic::warning("W-Z", first, TextRange::new(4, 5), "z at 2"),
        Diagnostic::error("E-A", first, TextRange::new(4, 5), "a at 2"),
        Diagnostic::warning("W-A", first, TextRange::new(1, 2), "at 1"),
    ];
    let json = aslc_render::json_value(&diagnostics, &files);
    let order: Vec<&str> = json["diagnostics"]
        .as_array()
        .map(|items| items.iter().filter_map(|d| d["code"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(order, ["W-A", "E-A", "W-Z", "W-B"]);
    insta::assert_snapshot!(render_human(&diagnostics, &files, false));
}

#[test]
fn colour_only_when_asked() {
    let mut files = SourceFiles::new();
    let file = files.add("c.json", "{}\n");
    let diagnostic = Diagnostic::warning("W-C", file, TextRange::new(0, 2), "empty").with_help("fill it");
    let plain = render_human(std::slice::from_ref(&diagnostic), &files, false);
    let coloured = render_human(std::slice::from_ref(&diagnostic), &files, true);
    assert!(!plain.contains('\u{1b}'));
    assert!(coloured.contains("\u{1b}[1;33mwarning[W-C]\u{1b}[0m"), "{coloured}");
    // Without its escapes the coloured text is the plain one.
    assert_eq!(strip_ansi(&coloured), plain);
    let json = render_json(&[diagnostic], &files);
    assert!(!json.contains('\u{1b}'));
}

/// `text` without ANSI SGR sequences.
fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(ch) = chars.next() {
        if ch == '\u{1b}' {
            for next in chars.by_ref() {
                if next == 'm' {
                    break;
                }
            }
        } else {
            out.push(ch);
        }
    }
    out
}

#[test]
fn long_lines_are_cut_around_the_labels() {
    let mut states = String::new();
    for i in 0..12 {
        states.push_str(&format!("\"Step{i}\":{{\"Type\":\"Pass\",\"Next\":\"Step{}\"}},", i + 1));
    }
    let mut text = String::from(r#"{"Comment":"minified","StartAt":"Step0","States":{"#);
    text.push_str(&states);
    text.push_str(r#""Step12":{"Type":"Pass","Next":"Missing"}}}"#);
    text.push_str("\n{\"second\": \"line\"}\n");
    let mut files = SourceFiles::new();
    let file = files.add("minified.asl.json", text.as_str());
    let missing = Diagnostic::error(
        "S-NEXT-EXISTS",
        file,
        find(&text, "\"Missing\"", 0),
        "`Next` names a state that does not exist",
    )
    .with_label("no state named `Missing`")
    .with_secondary(file, find(&text, "\"StartAt\"", 0), "the machine starts here")
    .with_secondary(file, find(&text, "\"second\"", 0), "on a short line")
    .at("/States/Step12/Next");
    let start = find(&text, "\"Step3\":", 0).start();
    let end = find(&text, "\"second\"", 0).end();
    let across = Diagnostic::warning("W-ACROSS", file, TextRange::new(start, end), "a span across lines")
        .with_label("from a long line to a short one");
    insta::assert_snapshot!(views(&files, &[missing, across]));
}

/// A report written to a stream in pieces is the rendered document, byte for byte, for an
/// empty report, one diagnostic and one large enough to need many pieces.
#[test]
fn json_written_in_pieces_is_the_rendered_document() {
    let mut files = SourceFiles::new();
    let text = "{\n  \"a\": 1\n}\n";
    let file = files.add("pieces.json", text);
    let many: Vec<Diagnostic> = (0..500)
        .map(|i| {
            Diagnostic::warning("W-P", file, find(text, "\"a\"", 0), format!("diagnostic {i} of many"))
                .with_help("a help line long enough to make the report larger than one piece")
        })
        .collect();
    for diagnostics in [&many[..0], &many[..1], &many[..]] {
        let mut written = Vec::new();
        write_json(diagnostics, &files, &mut written).unwrap();
        assert_eq!(String::from_utf8(written).unwrap(), render_json(diagnostics, &files));
    }
    assert!(render_json(&many, &files).len() > 3 * 32 * 1024);
}

/// Items rendered per file, each file on its own (with its own sources), and joined are
/// the document rendered at once, whichever files have no diagnostic.
#[test]
fn json_items_rendered_per_file_join_into_the_document() {
    let texts = ["{\n  \"a\": 1\n}\n", "{\"b\": \"é\", \"c\": 2}", "[]", "{\n\n  \"d\": null\n}"];
    let mut all_files = SourceFiles::new();
    let mut all = Vec::new();
    let mut pieces = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let name = format!("file{i}.json");
        let global = all_files.add(name.clone(), *text);
        let mut own_files = SourceFiles::new();
        let local = own_files.add(name, *text);
        // The third file has no diagnostic; the others have several, out of order.
        let count = if i == 2 { 0 } else { 3 };
        let make = |file: FileId| -> Vec<Diagnostic> {
            (0..count)
                .rev()
                .map(|k| {
                    let at = TextRange::from_usize(k % text.len(), k % text.len() + 1);
                    Diagnostic::error("E-J", file, at, format!("problem {k}")).with_help("fix it")
                })
                .collect()
        };
        all.extend(make(global));
        let mut piece = String::new();
        aslc_render::render_json_items(&make(local), &own_files, &mut piece);
        pieces.push(piece);
    }
    let mut written = Vec::new();
    aslc_render::write_json_pieces(pieces.iter().map(String::as_str), &mut written).unwrap();
    assert_eq!(String::from_utf8(written).unwrap(), render_json(&all, &all_files));
    for none in [Vec::<&str>::new(), vec!["", ""]] {
        let mut written = Vec::new();
        aslc_render::write_json_pieces(none, &mut written).unwrap();
        assert_eq!(String::from_utf8(written).unwrap(), render_json(&[], &all_files));
    }
}
