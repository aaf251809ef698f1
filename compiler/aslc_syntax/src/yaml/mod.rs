//! A YAML reader that lowers to the same spanned [`Node`] tree as the JSON reader.
//!
//! Definitions (`*.asl.yaml`) and CloudFormation/SAM templates are YAML. The reader pulls
//! events from `saphyr-parser` one at a time and builds the tree with an explicit stack,
//! so nesting costs heap, not call stack; depth is bounded by [`MAX_DEPTH`] like JSON.
//!
//! Decisions, each matching what SAM and CloudFormation do with a template:
//! - Plain scalars follow the YAML 1.2 core schema: `null`/`~`/empty is null, `true`/`false`
//!   (three casings) are booleans, core-schema ints and floats are numbers, everything else
//!   (`Yes`, `No`, `on`, `off`) is a string. Quoted and block scalars are always strings.
//! - Numbers keep their text when it is JSON; other YAML spellings become the JSON spelling
//!   of the same value (`+1` → `1`, `0x1F` → `31`, `.5` → `0.5`, `1.` → `1.0`). `.inf` and
//!   `.nan` have no JSON spelling: they stay strings with an [`S_YAML_NUMBER`] warning.
//! - CloudFormation short-form tags become their long form: `!Ref x` is `{"Ref": "x"}`,
//!   `!Sub s` is `{"Fn::Sub": "s"}`, `!GetAtt a.b` is `{"Fn::GetAtt": ["a", "b"]}`. The
//!   object's range is the tagged node's (tag included) and its key range is the tag. A
//!   tagged scalar is a string whatever it looks like, as CloudFormation reads it.
//! - Mapping keys are strings: a scalar key is its text as written (`1: x` has key `"1"`).
//! - Aliases are expanded (the copy's root takes the alias's range; the nodes inside keep
//!   the anchored node's ranges); all expansion together is bounded by
//!   [`MAX_ALIAS_NODES`] so a "billion laughs" document stops with [`S_YAML_ALIAS`].
//! - `<<` is an ordinary key: merge keys are YAML 1.1, not 1.2.
//! - One document per file; a second one is [`S_YAML_MULTIDOC`].

mod fast;
mod print;
mod scalar;
mod tags;

pub use print::print;

use std::collections::HashMap;

use aslc_source::{Diagnostic, FileId, TextRange};
use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Span, Tag};

use crate::cfn::mapped::{remap_diagnostic, remap_node, Mapped};
use crate::json::Parsed;
use crate::node::{Member, Node, NodeValue, Str};
use crate::{MAX_DEPTH, S_JSON_DEPTH, S_JSON_DUPKEY, S_JSON_SYNTAX};

use scalar::Resolved;
use tags::{CoreKind, TagKind};

/// Rule id of a YAML tag the reader does not know (the value is read as if untagged), or a
/// tag that does not fit its value (`!!int abc`, a tag on a mapping key).
pub const S_YAML_TAG: &str = "S-YAML-TAG";
/// Rule id of an alias that cannot be expanded: one that refers to a node containing it,
/// or expansion beyond [`MAX_ALIAS_NODES`].
pub const S_YAML_ALIAS: &str = "S-YAML-ALIAS";
/// Rule id of a file holding more than one YAML document.
pub const S_YAML_MULTIDOC: &str = "S-YAML-MULTIDOC";
/// Rule id of a YAML number JSON cannot write (`.inf`, `.nan`), kept as a string.
pub const S_YAML_NUMBER: &str = "S-YAML-NUMBER";

/// How many nodes alias expansion (and keeping anchored nodes for it) may create in one
/// document. Real templates alias a few small mappings; the bound stops exponential
/// "billion laughs" documents after a few milliseconds.
pub const MAX_ALIAS_NODES: usize = 1_000_000;

/// Reads `text` as one YAML document.
///
/// Block-style documents go through a fast reader of that subset of YAML; anything else
/// (and every document with a diagnostic) through the general reader, which gives the same
/// result on what both read.
pub fn parse(text: &str, file: FileId) -> Parsed {
    match parse_fast(text) {
        Some(parsed) => parsed,
        None => parse_general(text, file),
    }
}

/// Reads `text` with the fast reader of block-style YAML alone: `None` when the text is
/// outside the subset it reads exactly. Public so tests and fuzzing compare the two readers.
pub fn parse_fast(text: &str) -> Option<Parsed> {
    fast::read(text).map(|node| Parsed { node: Some(node), diagnostics: Vec::new() })
}

/// Reads `text` with the general reader alone (`saphyr-parser`). Public so tests and
/// fuzzing compare the two readers.
pub fn parse_general(text: &str, file: FileId) -> Parsed {
    let mut attempt = read(text, file);
    if attempt.flow_indent.is_none() {
        return attempt.parsed;
    }
    // Flow content less indented than its block: YAML forbids it, but the YAML readers of
    // CloudFormation and SAM accept it and real templates rely on it, e.g.
    //   Action: [
    //     "s3:GetObject",
    //   ]
    // Read a copy with the offending lines indented, then map spans back to `text`.
    let mut insertions: Vec<(usize, usize)> = Vec::new();
    let mut budget = MAX_REINDENT_BYTES;
    while let Some((at, spaces)) = attempt.flow_indent {
        let Some(rest) = budget.checked_sub(text.len()) else {
            break;
        };
        budget = rest;
        if insertions.len() >= MAX_REINDENTS {
            break;
        }
        let original =
            reindented(text, &insertions).offset_map().map(TextRange::from_usize(at, at)).start() as usize;
        let index = insertions.partition_point(|&(offset, _)| offset <= original);
        insertions.insert(index, (original, spaces));
        attempt = read(&reindented(text, &insertions).text, file);
    }
    let map = reindented(text, &insertions).offset_map();
    let parsed = attempt.parsed;
    Parsed {
        node: parsed.node.map(|node| remap_node(&node, &map)),
        diagnostics: parsed.diagnostics.into_iter().map(|d| remap_diagnostic(d, &map)).collect(),
    }
}

/// How many lines of flow content [`parse`] re-indents before it reports the indentation.
const MAX_REINDENTS: usize = 256;
/// How many bytes [`parse`] may read in all while re-indenting flow content.
const MAX_REINDENT_BYTES: usize = 64 << 20;

/// `text` with `spaces` blanks inserted before each `offset` of `insertions` (sorted).
fn reindented(text: &str, insertions: &[(usize, usize)]) -> Mapped {
    let mut out = Mapped::default();
    let mut copied = 0;
    for &(offset, spaces) in insertions {
        let offset = offset.min(text.len());
        out.push_exact(&text[copied..offset], copied);
        out.push_whole(&" ".repeat(spaces), TextRange::from_usize(offset, offset));
        copied = offset;
    }
    out.push_exact(&text[copied..], copied);
    out
}

/// One reading of a text.
struct Attempt {
    parsed: Parsed,
    /// Where flow content was found less indented than its block, and how many blanks
    /// would likely make it acceptable.
    flow_indent: Option<(usize, usize)>,
}

fn read(text: &str, file: FileId) -> Attempt {
    let mut reader = Reader {
        text,
        file,
        offsets: CharOffsets::new(text),
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_budget: MAX_ALIAS_NODES,
        root: None,
        documents: 0,
        diagnostics: Vec::new(),
    };
    let mut parser = Parser::new_from_str(text);
    let mut failed = false;
    let mut flow_indent = None;
    while let Some(next) = parser.next_event() {
        let step = match next {
            Ok((event, span)) => reader.event(event, span),
            Err(error) => {
                flow_indent = reader.flow_indentation(&error);
                Err(reader.scan_error(&error))
            }
        };
        match step {
            Ok(Step::Continue) => {}
            Ok(Step::Stop) => break,
            Err(diagnostic) => {
                reader.diagnostics.push(*diagnostic);
                failed = true;
                break;
            }
        }
    }
    let node = if failed { None } else { reader.root.take() };
    if node.is_none() && !failed {
        let at = text.len();
        reader.diagnostics.push(
            Diagnostic::error(S_JSON_SYNTAX, file, TextRange::from_usize(at, at), "the document is empty")
                .with_label("expected a YAML document")
                .with_help("write the state machine as a YAML mapping"),
        );
    }
    Attempt { parsed: Parsed { node, diagnostics: reader.diagnostics }, flow_indent }
}

/// Reads bytes that should be UTF-8 YAML: invalid UTF-8 is a syntax error at the first bad
/// byte.
pub fn parse_bytes(bytes: &[u8], file: FileId) -> Parsed {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text, file),
        Err(_) => crate::json::parse_bytes(bytes, file),
    }
}

type Result<T> = std::result::Result<T, Box<Diagnostic>>;

enum Step {
    Continue,
    Stop,
}

/// Converts `saphyr-parser`'s character indexes to byte offsets.
///
/// ASCII text maps one to one; otherwise a checkpoint every [`CharOffsets::STRIDE`]
/// characters bounds each lookup to a short forward walk.
struct CharOffsets {
    ascii: bool,
    checkpoints: Vec<u32>,
}

impl CharOffsets {
    const STRIDE: usize = 64;

    fn new(text: &str) -> CharOffsets {
        if text.is_ascii() {
            return CharOffsets { ascii: true, checkpoints: Vec::new() };
        }
        let checkpoints = text
            .char_indices()
            .step_by(Self::STRIDE)
            .map(|(i, _)| u32::try_from(i).unwrap_or(u32::MAX))
            .collect();
        CharOffsets { ascii: false, checkpoints }
    }

    fn byte(&self, text: &str, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(text.len());
        }
        let Some(&base) = self.checkpoints.get(char_index / Self::STRIDE) else {
            return text.len();
        };
        let base = base as usize;
        let rest = char_index % Self::STRIDE;
        match text[base..].char_indices().nth(rest) {
            Some((i, _)) => base + i,
            None => text.len(),
        }
    }
}

/// A collection being read.
struct Frame {
    kind: FrameKind,
    /// Where the collection's own text starts (after its tag and anchor).
    content_start: usize,
    /// Where its first property starts.
    node_start: usize,
    /// `[…]` or `{…}`: ends at its closing bracket; a block collection ends with its last
    /// child.
    flow: bool,
    anchor: usize,
    tag: TagKind,
    tag_range: Option<TextRange>,
    /// End of the last child read.
    last_end: usize,
    /// Whether this collection is a mapping key (an error, reported when it ends).
    is_key: bool,
    /// How many arrays and objects enclose this one's content, itself and its
    /// CloudFormation wrapper included.
    level: usize,
}

enum FrameKind {
    Sequence(Vec<Node>),
    Mapping(MappingFrame),
}

struct MappingFrame {
    members: Vec<Member>,
    /// The key read, waiting for its value.
    pending: Option<(Str, TextRange)>,
    /// Key lookup for large mappings; small ones are scanned.
    index: Option<HashMap<Box<str>, usize>>,
}

/// An anchored node kept for its aliases.
struct Anchored {
    node: Node,
    size: usize,
    height: usize,
}

struct Reader<'a> {
    text: &'a str,
    file: FileId,
    offsets: CharOffsets,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    alias_budget: usize,
    root: Option<Node>,
    documents: usize,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    fn byte(&self, marker: Marker) -> usize {
        self.offsets.byte(self.text, marker.index())
    }

    fn event(&mut self, event: Event<'_>, span: Span) -> Result<Step> {
        let start = self.byte(span.start);
        let end = self.byte(span.end).max(start);
        match event {
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    self.multiple_documents(start, end);
                    return Ok(Step::Stop);
                }
            }
            Event::Alias(id) => self.alias(id, start, end)?,
            Event::Scalar(value, style, anchor, tag) => {
                self.scalar(&value, style, anchor, tag.as_deref(), start, end)?;
            }
            Event::SequenceStart(anchor, tag) => self.open(false, anchor, tag.as_deref(), start)?,
            Event::MappingStart(anchor, tag) => self.open(true, anchor, tag.as_deref(), start)?,
            Event::SequenceEnd | Event::MappingEnd => self.close(end)?,
        }
        Ok(Step::Continue)
    }

    /// How many arrays and objects enclose the next node.
    fn level(&self) -> usize {
        self.stack.last().map_or(0, |frame| frame.level)
    }

    fn expecting_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame { kind: FrameKind::Mapping(MappingFrame { pending: None, .. }), .. })
        )
    }

    fn open(&mut self, mapping: bool, anchor: usize, tag: Option<&Tag>, start: usize) -> Result<()> {
        let (content_start, tag_range) = self.properties(start, anchor, tag);
        let tag = self.classify(tag, false, tag_range);
        let wrapper = usize::from(matches!(tag, TagKind::Cfn { .. }));
        let level = self.level() + 1 + wrapper;
        if level > MAX_DEPTH {
            return Err(self.too_deep(content_start));
        }
        if let TagKind::Collection { mapping: tag_mapping } = tag {
            if tag_mapping != mapping {
                self.tag_mismatch(tag_range, if mapping { "a mapping" } else { "a sequence" });
            }
        }
        let flow = matches!(self.text.as_bytes().get(content_start), Some(b'[' | b'{'));
        // saphyr starts an indentless sequence (`key:` then `- item` at the key's
        // indentation) after its first `- `; the node starts at the `-`.
        let content_start =
            if mapping || flow { content_start } else { dash_before(self.text, content_start) };
        let kind = if mapping {
            FrameKind::Mapping(MappingFrame { members: Vec::new(), pending: None, index: None })
        } else {
            FrameKind::Sequence(Vec::new())
        };
        let is_key = self.expecting_key();
        self.stack.push(Frame {
            kind,
            content_start,
            node_start: start,
            flow,
            anchor,
            tag,
            tag_range,
            last_end: content_start,
            is_key,
            level,
        });
        Ok(())
    }

    fn close(&mut self, end: usize) -> Result<()> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let end = if frame.flow { end.max(frame.last_end) } else { frame.last_end };
        let range = TextRange::from_usize(frame.content_start, end);
        let value = match frame.kind {
            FrameKind::Sequence(items) => NodeValue::Array(items),
            FrameKind::Mapping(mapping) => {
                let mut members = mapping.members;
                if let Some((key, key_range)) = mapping.pending {
                    // Cannot happen with a well-formed event stream; keep the key rather
                    // than lose it.
                    members.push(Member { key, key_range, value: Node::new(key_range, NodeValue::Null) });
                }
                NodeValue::Object(members)
            }
        };
        let node = self.wrap(Node::new(range, value), frame.tag, frame.tag_range, frame.node_start);
        if frame.is_key {
            let key_range = node.range;
            let diagnostic =
                Diagnostic::error(S_JSON_SYNTAX, self.file, key_range, "a mapping key must be a scalar")
                    .with_label("this key is a collection")
                    .with_help("use a string key; JSON has no other kind");
            self.diagnostics.push(diagnostic);
            let key = Str::synthetic(node.to_json());
            self.anchor(frame.anchor, &node)?;
            self.deliver_key(key, key_range);
            return Ok(());
        }
        self.anchor(frame.anchor, &node)?;
        self.deliver(node);
        Ok(())
    }

    fn scalar(
        &mut self,
        value: &str,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        start: usize,
        end: usize,
    ) -> Result<()> {
        let (content_start, tag_range) = self.properties(start, anchor, tag);
        // saphyr starts a block scalar at its first content line; the node starts at its
        // `|` or `>` header.
        let content_start = match style {
            ScalarStyle::Literal | ScalarStyle::Folded => block_header_start(self.text, content_start),
            _ => content_start,
        };
        let empty = value.is_empty() && style == ScalarStyle::Plain;
        // An empty plain scalar's span is the token after it; give it an empty range where
        // its properties end (or where the token is when it has none).
        let (content_start, end) = if empty {
            let at = if tag.is_some() || anchor != 0 {
                tag_range.map_or(content_start, |r| r.end() as usize)
            } else {
                start
            };
            (at, at)
        } else {
            (content_start, end.max(content_start))
        };
        let range = TextRange::from_usize(content_start, end);
        let verbatim = verbatim_offset(self.text, value, style, content_start, end);
        let text = Str { text: value.into(), verbatim };
        if self.expecting_key() {
            if tag.is_some() {
                let tag_kind = self.classify(tag, true, tag_range);
                if matches!(tag_kind, TagKind::Cfn { .. } | TagKind::Core(_)) {
                    let diagnostic = Diagnostic::warning(
                        S_YAML_TAG,
                        self.file,
                        tag_range.unwrap_or(range),
                        "a tag on a mapping key is ignored",
                    )
                    .with_label("the key is read as plain text")
                    .with_help("remove the tag");
                    self.diagnostics.push(diagnostic);
                }
            }
            let node = Node::new(range, NodeValue::String(text.clone()));
            self.anchor(anchor, &node)?;
            self.deliver_key(text, range);
            return Ok(());
        }
        let tag_kind = self.classify(tag, true, tag_range);
        if matches!(tag_kind, TagKind::Cfn { .. }) && self.level() + 1 > MAX_DEPTH {
            return Err(self.too_deep(content_start));
        }
        let value = match tag_kind {
            TagKind::Str | TagKind::Cfn { .. } => NodeValue::String(text),
            TagKind::Core(kind) => {
                let value = self.resolve(text, range);
                let fits = matches!(
                    (kind, &value),
                    (CoreKind::Null, NodeValue::Null)
                        | (CoreKind::Bool, NodeValue::Bool(_))
                        | (CoreKind::Int | CoreKind::Float, NodeValue::Number(_))
                );
                if !fits {
                    self.tag_mismatch(tag_range, &format!("`{value_text}`", value_text = value_text(&value)));
                }
                value
            }
            TagKind::Collection { .. } => {
                self.tag_mismatch(tag_range, "a scalar");
                self.plain_or_string(text, style, range)
            }
            TagKind::None | TagKind::Unknown => self.plain_or_string(text, style, range),
        };
        let node = Node::new(range, value);
        let node = match tag_kind {
            TagKind::Cfn { key: "Fn::GetAtt" } => split_get_att(node),
            _ => node,
        };
        let node = self.wrap(node, tag_kind, tag_range, start);
        self.anchor(anchor, &node)?;
        self.deliver(node);
        Ok(())
    }

    fn plain_or_string(&mut self, text: Str, style: ScalarStyle, range: TextRange) -> NodeValue {
        if style == ScalarStyle::Plain {
            self.resolve(text, range)
        } else {
            NodeValue::String(text)
        }
    }

    /// Resolves a scalar's text by the core schema.
    fn resolve(&mut self, text: Str, range: TextRange) -> NodeValue {
        match scalar::resolve_plain(&text.text) {
            Resolved::Null => NodeValue::Null,
            Resolved::Bool(b) => NodeValue::Bool(b),
            Resolved::Number(number) => NodeValue::Number(number.into()),
            Resolved::String => NodeValue::String(text),
            Resolved::Unrepresentable => {
                let diagnostic = Diagnostic::warning(
                    S_YAML_NUMBER,
                    self.file,
                    range,
                    format!("`{}` is a YAML number JSON cannot represent", text.text),
                )
                .with_label("read as a string")
                .with_help("write a finite decimal number, or quote the text to mean a string")
                .with_note("JSON has no infinity, NaN or integers wider than 128 bits");
                self.diagnostics.push(diagnostic);
                NodeValue::String(text)
            }
        }
    }

    fn alias(&mut self, id: usize, start: usize, end: usize) -> Result<()> {
        let range = TextRange::from_usize(start, end);
        let Some(anchored) = self.anchors.get(&id) else {
            // saphyr registers an anchor when its node starts, so an alias inside the
            // anchored collection refers to a node that is not finished.
            return Err(Box::new(
                Diagnostic::error(S_YAML_ALIAS, self.file, range, "alias refers to a node that contains it")
                    .with_label("this alias is inside its own anchor")
                    .with_help("a YAML value cannot contain itself; JSON has no cycles"),
            ));
        };
        if self.level() + anchored.height > MAX_DEPTH {
            return Err(self.too_deep(start));
        }
        if anchored.size > self.alias_budget {
            return Err(self.alias_limit(range));
        }
        self.alias_budget -= anchored.size;
        let mut node = anchored.node.clone();
        node.range = range;
        if self.expecting_key() {
            let key = match &node.value {
                NodeValue::String(s) => Str::synthetic(s.text.clone()),
                NodeValue::Number(n) => Str::synthetic(n.clone()),
                NodeValue::Bool(b) => Str::synthetic(b.to_string()),
                NodeValue::Null => Str::synthetic("null"),
                NodeValue::Array(_) | NodeValue::Object(_) => {
                    let diagnostic =
                        Diagnostic::error(S_JSON_SYNTAX, self.file, range, "a mapping key must be a scalar")
                            .with_label("this alias names a collection")
                            .with_help("use a string key; JSON has no other kind");
                    self.diagnostics.push(diagnostic);
                    Str::synthetic(node.to_json())
                }
            };
            self.deliver_key(key, range);
        } else {
            self.deliver(node);
        }
        Ok(())
    }

    /// Keeps an anchored node for its aliases.
    fn anchor(&mut self, anchor: usize, node: &Node) -> Result<()> {
        if anchor == 0 {
            return Ok(());
        }
        let (size, height) = measure(node);
        if size > self.alias_budget {
            return Err(self.alias_limit(node.range));
        }
        self.alias_budget -= size;
        self.anchors.insert(anchor, Anchored { node: node.clone(), size, height });
        Ok(())
    }

    fn deliver(&mut self, node: Node) {
        let end = node.range.end() as usize;
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(frame) => {
                frame.last_end = frame.last_end.max(end);
                match &mut frame.kind {
                    FrameKind::Sequence(items) => items.push(node),
                    FrameKind::Mapping(mapping) => {
                        if let Some((key, key_range)) = mapping.pending.take() {
                            mapping.members.push(Member { key, key_range, value: node });
                        }
                    }
                }
            }
        }
    }

    fn deliver_key(&mut self, key: Str, key_range: TextRange) {
        let file = self.file;
        let Some(frame) = self.stack.last_mut() else {
            return;
        };
        frame.last_end = frame.last_end.max(key_range.end() as usize);
        let FrameKind::Mapping(mapping) = &mut frame.kind else {
            return;
        };
        if let Some(first) = mapping.find(&key.text) {
            let diagnostic =
                Diagnostic::error(S_JSON_DUPKEY, file, key_range, format!("duplicate key `{}`", key.text))
                    .with_label("this key is already used in this mapping")
                    .with_secondary(file, first, "first used here")
                    .with_help("remove one of the two members; AWS would silently keep only the last");
            self.diagnostics.push(diagnostic);
        }
        mapping.pending = Some((key, key_range));
    }

    /// Wraps a node tagged with a CloudFormation short form into its long form.
    fn wrap(&self, node: Node, tag: TagKind, tag_range: Option<TextRange>, node_start: usize) -> Node {
        let TagKind::Cfn { key } = tag else {
            return node;
        };
        let key_range = tag_range.unwrap_or(TextRange::from_usize(node_start, node_start));
        // `Ref` and `Condition` are spelled in the tag right after the `!`.
        let verbatim = (!key.starts_with("Fn::")).then(|| key_range.start() + 1);
        let range = key_range.cover(node.range);
        let member = Member { key: Str { text: key.into(), verbatim }, key_range, value: node };
        Node::new(range, NodeValue::Object(vec![member]))
    }

    /// The content start and tag range of a node whose span starts at `start`.
    fn properties(&self, start: usize, anchor: usize, tag: Option<&Tag>) -> (usize, Option<TextRange>) {
        if anchor == 0 && tag.is_none() {
            return (start, None);
        }
        tags::skip_properties(self.text, start)
    }

    fn classify(&mut self, tag: Option<&Tag>, scalar: bool, tag_range: Option<TextRange>) -> TagKind {
        let Some(tag) = tag else {
            return TagKind::None;
        };
        let kind = tags::classify(tag, scalar);
        if kind == TagKind::Unknown {
            let range = tag_range.unwrap_or_default();
            let diagnostic = Diagnostic::warning(
                S_YAML_TAG,
                self.file,
                range,
                format!("unknown tag `{}`", &self.text[range.as_usize()]),
            )
            .with_label("the value is read as if it had no tag")
            .with_help(
                "use a CloudFormation intrinsic function tag such as `!Ref` or `!Sub`, or remove the tag",
            );
            self.diagnostics.push(diagnostic);
        }
        kind
    }

    fn tag_mismatch(&mut self, tag_range: Option<TextRange>, found: &str) {
        let range = tag_range.unwrap_or_default();
        let tag = &self.text[range.as_usize()];
        let diagnostic = Diagnostic::warning(
            S_YAML_TAG,
            self.file,
            range,
            format!("the tag `{tag}` does not fit its value"),
        )
        .with_label(format!("the value is {found}"))
        .with_help("remove the tag or fix the value");
        self.diagnostics.push(diagnostic);
    }

    fn multiple_documents(&mut self, start: usize, end: usize) {
        let range = TextRange::from_usize(start, end.max(start));
        let diagnostic = Diagnostic::error(
            S_YAML_MULTIDOC,
            self.file,
            range,
            "the file holds more than one YAML document",
        )
        .with_label("a second document starts here")
        .with_help("keep one state machine or template per file")
        .with_note("only the first document is read");
        self.diagnostics.push(diagnostic);
    }

    /// For an indentation error inside a flow collection: where, and how many blanks to
    /// add so the line is indented past the line that opened the outermost flow collection.
    fn flow_indentation(&self, error: &ScanError) -> Option<(usize, usize)> {
        if error.info() != "invalid indentation" {
            return None;
        }
        let outermost = self.stack.iter().find(|frame| frame.flow)?;
        let at = self.byte(*error.marker());
        let column = |offset: usize| {
            let line_start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let indent =
                self.text[line_start..].len() - self.text[line_start..].trim_start_matches(' ').len();
            (offset - line_start, indent)
        };
        let (column_at, _) = column(at);
        let (_, opener_indent) = column(outermost.node_start);
        Some((at, (opener_indent + 1).saturating_sub(column_at).max(1)))
    }

    fn scan_error(&self, error: &ScanError) -> Box<Diagnostic> {
        let at = self.byte(*error.marker());
        let width = self.text[at..].chars().next().map_or(0, char::len_utf8);
        let range = TextRange::from_usize(at, at + width);
        // saphyr counts flow nesting in a byte and stops at 255 levels.
        if error.info() == "recursion limit exceeded" {
            return Box::new(
                Diagnostic::error(
                    S_JSON_DEPTH,
                    self.file,
                    range,
                    "the document nests deeper than 255 flow levels",
                )
                .with_label("this value is too deeply nested")
                .with_help("flatten the document; no state machine needs this depth"),
            );
        }
        Box::new(
            Diagnostic::error(S_JSON_SYNTAX, self.file, range, format!("invalid YAML: {}", error.info()))
                .with_label("the YAML reader stopped here")
                .with_help("fix the YAML syntax; a definition must be one well-formed YAML mapping"),
        )
    }

    fn too_deep(&self, start: usize) -> Box<Diagnostic> {
        let width = self.text[start.min(self.text.len())..].chars().next().map_or(0, char::len_utf8);
        Box::new(
            Diagnostic::error(
                S_JSON_DEPTH,
                self.file,
                TextRange::from_usize(start, start + width),
                format!("the document nests deeper than {MAX_DEPTH} levels"),
            )
            .with_label("this value is too deeply nested")
            .with_help("flatten the document; no state machine needs this depth"),
        )
    }

    fn alias_limit(&self, range: TextRange) -> Box<Diagnostic> {
        Box::new(
            Diagnostic::error(
                S_YAML_ALIAS,
                self.file,
                range,
                format!("aliases expand to more than {MAX_ALIAS_NODES} nodes"),
            )
            .with_label("expansion stopped at this alias")
            .with_help("write the repeated values out or reduce the nesting of aliases"),
        )
    }
}

impl MappingFrame {
    /// The range of the earlier key equal to `key`, recording `key` for later lookups.
    fn find(&mut self, key: &str) -> Option<TextRange> {
        // Mappings are small; a scan beats hashing until one is large.
        const SCAN_LIMIT: usize = 16;
        if self.members.len() < SCAN_LIMIT && self.index.is_none() {
            return self.members.iter().find(|m| &*m.key.text == key).map(|m| m.key_range);
        }
        let members = &self.members;
        let index = self.index.get_or_insert_with(|| {
            let mut index = HashMap::with_capacity(members.len() * 2);
            for (i, m) in members.iter().enumerate() {
                index.entry(Box::from(&*m.key.text)).or_insert(i);
            }
            index
        });
        let position = self.members.len();
        match index.get(key) {
            Some(&i) => self.members.get(i).map(|m| m.key_range),
            None => {
                index.insert(key.into(), position);
                None
            }
        }
    }
}

/// `Some(offset)` when `value` appears verbatim in `text` (plain and simple quoted scalars
/// whose range is `start..end`), `None` for block scalars, escapes and folded lines.
fn verbatim_offset(text: &str, value: &str, style: ScalarStyle, start: usize, end: usize) -> Option<u32> {
    let inner = match style {
        ScalarStyle::Plain => start,
        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => start + 1,
        ScalarStyle::Literal | ScalarStyle::Folded => return None,
    };
    let inner_end = inner.checked_add(value.len())?;
    let closing = match style {
        ScalarStyle::SingleQuoted => Some(b'\''),
        ScalarStyle::DoubleQuoted => Some(b'"'),
        _ => None,
    };
    let same = text.get(inner..inner_end) == Some(value);
    let closed = match closing {
        Some(quote) => text.as_bytes().get(inner_end) == Some(&quote) && inner_end + 1 == end,
        None => inner_end == end,
    };
    if same && closed {
        u32::try_from(inner).ok()
    } else {
        None
    }
}

/// The offset of the `|` or `>` that heads the block scalar whose first content line
/// starts at `start` (`start` itself when no header is found).
fn block_header_start(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let start = start.min(bytes.len());
    // Back over the indentation and the empty lines before the first content line.
    let mut pos = start;
    while pos > 0 && matches!(bytes[pos - 1], b' ' | b'\t' | b'\r' | b'\n') {
        pos -= 1;
    }
    if pos == 0 {
        return start;
    }
    let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..pos];
    // The header is the first `|` or `>` followed only by indicators and a comment.
    for (i, ch) in line.char_indices() {
        if ch != '|' && ch != '>' {
            continue;
        }
        let rest = line[i + 1..].trim_start_matches(|c: char| c.is_ascii_digit() || c == '+' || c == '-');
        let rest = rest.trim_start_matches([' ', '\t']);
        if rest.is_empty() || (rest.starts_with('#') && rest.len() < line[i + 1..].len()) {
            return line_start + i;
        }
    }
    start
}

/// The offset of the `-` entry indicator just before `start`, or `start`.
fn dash_before(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut pos = start.min(bytes.len());
    if bytes.get(pos) == Some(&b'-') {
        return pos;
    }
    while pos > 0 && matches!(bytes[pos - 1], b' ' | b'\t') {
        pos -= 1;
    }
    if pos > 0 && bytes[pos - 1] == b'-' {
        pos - 1
    } else {
        start
    }
}

/// `!GetAtt a.b.c` is `["a", "b.c"]`: the logical id, then the attribute (which may hold dots).
fn split_get_att(node: Node) -> Node {
    let NodeValue::String(text) = &node.value else {
        return node;
    };
    let Some(dot) = text.text.find('.') else {
        return Node::new(node.range, NodeValue::Array(vec![node.clone()]));
    };
    let part = |from: usize, to: usize| {
        let s = &text.text[from..to];
        match text.verbatim {
            Some(base) => {
                let start = base + from as u32;
                Node::new(
                    TextRange::new(start, start + s.len() as u32),
                    NodeValue::String(Str { text: s.into(), verbatim: Some(start) }),
                )
            }
            None => Node::new(node.range, NodeValue::String(Str::synthetic(s))),
        }
    };
    let items = vec![part(0, dot), part(dot + 1, text.text.len())];
    Node::new(node.range, NodeValue::Array(items))
}

/// Number of nodes in `node` and how many arrays and objects nest in it (0 for a scalar),
/// for the alias bounds.
fn measure(node: &Node) -> (usize, usize) {
    match &node.value {
        NodeValue::Array(items) => items
            .iter()
            .map(measure)
            .fold((1, 1), |(size, height), (s, h)| (size.saturating_add(s), height.max(h + 1))),
        NodeValue::Object(members) => {
            members.iter().map(|m| measure(&m.value)).fold((1, 1), |(size, height), (s, h)| {
                (size.saturating_add(s).saturating_add(1), height.max(h + 1))
            })
        }
        _ => (1, 0),
    }
}

fn value_text(value: &NodeValue) -> String {
    match value {
        NodeValue::Null => "null".into(),
        NodeValue::Bool(b) => b.to_string(),
        NodeValue::Number(n) => n.to_string(),
        NodeValue::String(s) => s.text.to_string(),
        NodeValue::Array(_) => "an array".into(),
        NodeValue::Object(_) => "a mapping".into(),
    }
}
