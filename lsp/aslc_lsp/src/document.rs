//! Open documents: their text, language and line index, edits applied incrementally, and
//! conversion between byte offsets and LSP positions (UTF-16 columns).

use std::sync::Arc;

use aslc_source::{LineIndex, TextRange};
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

/// How a document's text is read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Language {
    /// ASL (or a template) in JSON.
    Json,
    /// ASL (or a template) in YAML.
    Yaml,
    /// The `.asld` workflow language.
    Dsl,
}

impl Language {
    /// The language of a document from the client's language id, then the file name, then
    /// the first significant character of the text.
    pub fn detect(language_id: &str, uri: &str, text: &str) -> Language {
        let lower = uri.to_ascii_lowercase();
        match language_id {
            "asld" => return Language::Dsl,
            "yaml" | "asl-yaml" | "cloudformation" => return Language::Yaml,
            "json" | "jsonc" | "asl" | "asl-json" => return Language::Json,
            _ => {}
        }
        if lower.ends_with(".asld") {
            Language::Dsl
        } else if lower.ends_with(".yaml") || lower.ends_with(".yml") || lower.ends_with(".template") {
            Language::Yaml
        } else if lower.ends_with(".json") {
            Language::Json
        } else {
            match text.bytes().find(|b| !b.is_ascii_whitespace()) {
                Some(b'{' | b'[') => Language::Json,
                _ => Language::Yaml,
            }
        }
    }
}

/// The text of a document at one version, cheap to clone and hand to a worker.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// The full text.
    pub text: Arc<str>,
    /// Line starts of `text`.
    pub line_index: Arc<LineIndex>,
    /// How the text is read.
    pub language: Language,
    /// The client's version number.
    pub version: i32,
}

impl Snapshot {
    /// A snapshot of `text`.
    pub fn new(text: Arc<str>, language: Language, version: i32) -> Snapshot {
        let line_index = Arc::new(LineIndex::new(&text));
        Snapshot { text, line_index, language, version }
    }

    /// Applies the client's changes in order (ranged edits and full replacements).
    pub fn apply(&self, changes: &[TextDocumentContentChangeEvent], version: i32) -> Snapshot {
        let mut text = String::from(&*self.text);
        let mut index = None::<LineIndex>;
        for change in changes {
            match change.range {
                Some(range) => {
                    let line_index = index.get_or_insert_with(|| (*self.line_index).clone());
                    let start =
                        line_index.offset_utf16(&text, range.start.line, range.start.character) as usize;
                    let end = line_index.offset_utf16(&text, range.end.line, range.end.character) as usize;
                    let (start, end) = (start.min(end), end.max(start));
                    text.replace_range(start..end, &change.text);
                    *line_index = LineIndex::new(&text);
                }
                None => {
                    text.clone_from(&change.text);
                    index = Some(LineIndex::new(&text));
                }
            }
        }
        let line_index = Arc::new(index.unwrap_or_else(|| LineIndex::new(&text)));
        Snapshot { text: text.into(), line_index, language: self.language, version }
    }

    /// The LSP position of byte `offset`.
    pub fn position(&self, offset: u32) -> Position {
        let lc = self.line_index.line_col_utf16(&self.text, offset);
        Position::new(lc.line - 1, lc.column - 1)
    }

    /// The LSP range of a byte range.
    pub fn range(&self, range: TextRange) -> Range {
        Range::new(self.position(range.start()), self.position(range.end()))
    }

    /// The byte offset of an LSP position (clamped to the text).
    pub fn offset(&self, position: Position) -> u32 {
        self.line_index.offset_utf16(&self.text, position.line, position.character)
    }

    /// The byte range of an LSP range.
    pub fn text_range(&self, range: Range) -> TextRange {
        let start = self.offset(range.start);
        let end = self.offset(range.end);
        TextRange::new(start.min(end), end.max(start))
    }

    /// The whole text's range.
    pub fn full_range(&self) -> Range {
        self.range(TextRange::new(0, u32::try_from(self.text.len()).unwrap_or(u32::MAX)))
    }

    /// The whitespace that starts the line holding `offset`.
    pub fn indent_at(&self, offset: u32) -> &str {
        let line = self.line_index.line_of(offset);
        let start = self.line_index.line_start(line).unwrap_or(0) as usize;
        let rest = &self.text[start..];
        let width = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        &rest[..width]
    }
}
