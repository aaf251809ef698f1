//! Re-reading only what an edit touched: the JSON tree of the next version of a document
//! from the tree of the previous one. This is the first of the three incremental layers of
//! an analysis (see `analysis.rs`); the [`Change`] found here also tells the checking
//! layer which state an edit is inside.
//!
//! The two texts are compared from both ends, which gives the one region that changed
//! (however the client sent the edits). The innermost object or array whose brackets lie
//! outside that region is read again from the new text, at its place and nesting depth,
//! with [`aslc_syntax::json::parse_value_at`]; every other node is copied from the old
//! tree, moved by the change in length when it lies after the region.
//!
//! The result is exactly what reading the whole new text gives. The reader is a recursive
//! descent whose only state carried into a value is its position and depth, so when the
//! re-read container ends where the old one ended (moved by the change in length), the
//! whole reader passes through the same steps as before outside it, and through the new
//! steps inside it. Whenever that does not hold (the container's text no longer reads as
//! one value, or ends elsewhere, or no container encloses the change) the caller reads the
//! whole text. The reader's diagnostics are split the same way: those inside the container
//! come from the new reading, the others are moved with their nodes. Tests compare both
//! ways on random edits, and the whole analysis (diagnostics, state index) of random edits
//! anywhere and of random edits inside states with an analysis from scratch and with
//! `aslc_lints::check`.

use aslc_source::{Diagnostic, TextRange};
use aslc_syntax::{Member, Node, NodeValue, Str};

use crate::analysis::FILE;

/// The one region where two texts differ: `start..old_end` of the old text became
/// `start..new_end` of the new one.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Change {
    /// First byte that differs.
    pub start: usize,
    /// End of the replaced bytes in the old text.
    pub old_end: usize,
    /// End of the replacement in the new text.
    pub new_end: usize,
}

impl Change {
    /// The changed region of `old` → `new`; `None` when the texts are equal.
    pub fn between(old: &str, new: &str) -> Option<Change> {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        let prefix = common_prefix(a, b);
        if prefix == a.len() && prefix == b.len() {
            return None;
        }
        let room = a.len().min(b.len()) - prefix;
        let suffix = common_suffix(&a[a.len() - room..], &b[b.len() - room..]);
        Some(Change { start: prefix, old_end: a.len() - suffix, new_end: b.len() - suffix })
    }
}

/// Blocks compared at once before the bytes of the first unequal block: a 1 MiB document
/// is compared at memory speed.
const BLOCK: usize = 256;

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let len = a.len().min(b.len());
    let mut at = 0;
    while at + BLOCK <= len && a[at..at + BLOCK] == b[at..at + BLOCK] {
        at += BLOCK;
    }
    at + a[at..len].iter().zip(&b[at..len]).take_while(|(x, y)| x == y).count()
}

fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let len = a.len().min(b.len());
    let (a, b) = (&a[a.len() - len..], &b[b.len() - len..]);
    let mut matched = 0;
    while matched + BLOCK <= len
        && a[len - matched - BLOCK..len - matched] == b[len - matched - BLOCK..len - matched]
    {
        matched += BLOCK;
    }
    let (a, b) = (&a[..len - matched], &b[..len - matched]);
    matched + a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count()
}

/// How to turn the tree of one text into the tree of the next: the container to replace,
/// what replaces it, and how the offsets after it move.
#[derive(Debug)]
pub struct Reread {
    /// Child indexes from the root to the container.
    path: Vec<usize>,
    /// The container's range in the old text.
    old_range: TextRange,
    /// The container read from the new text.
    node: Node,
    /// The reader's diagnostics inside it.
    inner: Vec<Diagnostic>,
    shift: Shift,
    change: Change,
}

impl Reread {
    /// How to re-read `new_text` given the tree of `old_text`; `None` when the whole text
    /// has to be read.
    pub fn plan(old_text: &str, old_tree: &Node, new_text: &str) -> Option<Reread> {
        let change = Change::between(old_text, new_text)?;
        // Offsets are u32 throughout; texts that do not fit are read whole (and refused
        // there).
        let old_len = u32::try_from(old_text.len()).ok()?;
        let new_len = u32::try_from(new_text.len()).ok()?;
        let delta = i64::from(new_len) - i64::from(old_len);
        let (path, depth, old_range) = enclosing_container(old_tree, &change)?;
        let (node, inner) =
            aslc_syntax::json::parse_value_at(new_text, old_range.start() as usize, depth, FILE)?;
        if i64::from(node.range.end()) != i64::from(old_range.end()) + delta {
            return None;
        }
        Some(Reread { path, old_range, node, inner, shift: Shift { from: old_range.end(), delta }, change })
    }

    /// The region of the text that changed.
    pub fn change(&self) -> Change {
        self.change
    }

    /// The new tree and reader diagnostics, copying the old tree.
    pub fn copying(self, old_tree: &Node, old_diagnostics: &[Diagnostic]) -> (Node, Vec<Diagnostic>) {
        let mut replacement = Some(self.node);
        let tree = rebuild(old_tree, &self.path, &mut replacement, &self.shift);
        let diagnostics = merge(old_diagnostics.iter().cloned(), self.old_range, self.inner, &self.shift);
        (tree, diagnostics)
    }

    /// The new tree and reader diagnostics, reusing the old tree in place: nothing before
    /// the container is touched, and what follows it is only moved.
    pub fn in_place(self, mut tree: Node, old_diagnostics: Vec<Diagnostic>) -> (Node, Vec<Diagnostic>) {
        splice(&mut tree, &self.path, self.node, &self.shift);
        let diagnostics = merge(old_diagnostics.into_iter(), self.old_range, self.inner, &self.shift);
        (tree, diagnostics)
    }
}

/// The old diagnostics outside the container, moved, then the new ones inside it.
fn merge(
    old: impl Iterator<Item = Diagnostic>,
    container: TextRange,
    inner: Vec<Diagnostic>,
    shift: &Shift,
) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = old
        .filter(|d| !contains(container, d.primary.range))
        .map(|mut d| {
            shift.move_diagnostic(&mut d);
            d
        })
        .collect();
    diagnostics.extend(inner);
    diagnostics
}

/// The tree and reader diagnostics of `new_text`, built from those of `old_text`; `None`
/// when the whole text has to be read.
#[cfg(test)]
fn reparse(
    old_text: &str,
    old_tree: &Node,
    old_diagnostics: &[Diagnostic],
    new_text: &str,
) -> Option<(Node, Vec<Diagnostic>)> {
    Some(Reread::plan(old_text, old_tree, new_text)?.copying(old_tree, old_diagnostics))
}

fn contains(outer: TextRange, inner: TextRange) -> bool {
    outer.start() <= inner.start() && inner.end() <= outer.end()
}

/// The innermost object or array of `tree` whose brackets the change leaves alone: its
/// child indexes from the root, its nesting depth (as the reader counts it) and its range.
fn enclosing_container(tree: &Node, change: &Change) -> Option<(Vec<usize>, usize, TextRange)> {
    let inside = |node: &Node| {
        let range = node.range;
        matches!(node.value, NodeValue::Object(_) | NodeValue::Array(_))
            && (range.start() as usize) < change.start
            && change.old_end < range.end() as usize
    };
    if !inside(tree) {
        return None;
    }
    let mut path = Vec::new();
    let mut node = tree;
    loop {
        let next = match &node.value {
            NodeValue::Object(members) => members.iter().map(|m| &m.value).position(inside),
            NodeValue::Array(items) => items.iter().position(inside),
            _ => None,
        };
        let Some(i) = next else { break };
        path.push(i);
        node = match &node.value {
            NodeValue::Object(members) => &members[i].value,
            NodeValue::Array(items) => &items[i],
            _ => break,
        };
    }
    let depth = path.len();
    Some((path, depth, node.range))
}

/// Moves offsets at or after `from` by `delta` bytes.
#[derive(Debug)]
struct Shift {
    from: u32,
    delta: i64,
}

impl Shift {
    fn offset(&self, offset: u32) -> u32 {
        if offset < self.from {
            return offset;
        }
        // Offsets after the change exist in the new text, whose length fits in u32.
        u32::try_from(i64::from(offset) + self.delta).unwrap_or(u32::MAX)
    }

    fn range(&self, range: TextRange) -> TextRange {
        TextRange::new(self.offset(range.start()), self.offset(range.end()))
    }

    fn move_diagnostic(&self, diagnostic: &mut Diagnostic) {
        diagnostic.primary.range = self.range(diagnostic.primary.range);
        for label in &mut diagnostic.secondary {
            label.range = self.range(label.range);
        }
    }

    fn str(&self, s: &Str) -> Str {
        Str { text: s.text.clone(), verbatim: s.verbatim.map(|v| self.offset(v)) }
    }
}

/// A copy of `node` with offsets moved and the node at `path` replaced.
fn rebuild(node: &Node, path: &[usize], replacement: &mut Option<Node>, shift: &Shift) -> Node {
    if let Some((&target, rest)) = path.split_first() {
        let value = match &node.value {
            NodeValue::Object(members) => NodeValue::Object(
                members
                    .iter()
                    .enumerate()
                    .map(|(i, m)| Member {
                        key: shift.str(&m.key),
                        key_range: shift.range(m.key_range),
                        value: if i == target {
                            rebuild(&m.value, rest, replacement, shift)
                        } else {
                            moved(&m.value, shift)
                        },
                    })
                    .collect(),
            ),
            NodeValue::Array(items) => NodeValue::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        if i == target {
                            rebuild(item, rest, replacement, shift)
                        } else {
                            moved(item, shift)
                        }
                    })
                    .collect(),
            ),
            _ => return moved(node, shift),
        };
        return Node::new(shift.range(node.range), value);
    }
    replacement.take().unwrap_or_else(|| moved(node, shift))
}

/// Replaces the node at `path` by `replacement` and moves the offsets of everything else.
fn splice(node: &mut Node, path: &[usize], replacement: Node, shift: &Shift) {
    let Some((&target, rest)) = path.split_first() else {
        *node = replacement;
        return;
    };
    node.range = shift.range(node.range);
    match &mut node.value {
        NodeValue::Object(members) => {
            // Members before the target, and the target's key, precede the change.
            for member in members.iter_mut().skip(target + 1) {
                move_in_place(member, shift);
            }
            if let Some(member) = members.get_mut(target) {
                splice(&mut member.value, rest, replacement, shift);
            }
        }
        NodeValue::Array(items) => {
            for item in items.iter_mut().skip(target + 1) {
                shift_in_place(item, shift);
            }
            if let Some(item) = items.get_mut(target) {
                splice(item, rest, replacement, shift);
            }
        }
        _ => {}
    }
}

fn move_in_place(member: &mut Member, shift: &Shift) {
    member.key_range = shift.range(member.key_range);
    member.key.verbatim = member.key.verbatim.map(|v| shift.offset(v));
    shift_in_place(&mut member.value, shift);
}

/// Moves every offset of `node` (which lies wholly after the change).
fn shift_in_place(node: &mut Node, shift: &Shift) {
    node.range = shift.range(node.range);
    match &mut node.value {
        NodeValue::Object(members) => members.iter_mut().for_each(|m| move_in_place(m, shift)),
        NodeValue::Array(items) => items.iter_mut().for_each(|item| shift_in_place(item, shift)),
        NodeValue::String(s) => s.verbatim = s.verbatim.map(|v| shift.offset(v)),
        _ => {}
    }
}

/// A copy of `node` with offsets moved.
fn moved(node: &Node, shift: &Shift) -> Node {
    if node.range.end() < shift.from {
        return node.clone();
    }
    let value = match &node.value {
        NodeValue::Object(members) => NodeValue::Object(
            members
                .iter()
                .map(|m| Member {
                    key: shift.str(&m.key),
                    key_range: shift.range(m.key_range),
                    value: moved(&m.value, shift),
                })
                .collect(),
        ),
        NodeValue::Array(items) => NodeValue::Array(items.iter().map(|item| moved(item, shift)).collect()),
        NodeValue::String(s) => NodeValue::String(shift.str(s)),
        other => other.clone(),
    };
    Node::new(shift.range(node.range), value)
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::sync::Arc;

    use aslc_lints::LintConfig;

    use super::*;
    use crate::analysis::{analyze, analyze_after, order, Analysis};
    use crate::document::{Language, Snapshot};

    /// A small deterministic generator (xorshift), so a failure names its seed.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    /// Bytes and snippets an edit inserts: JSON punctuation, digits, letters, whitespace,
    /// an escape, a multi-byte character, and small pieces of ASL.
    const INSERTS: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        "\"",
        ",",
        ":",
        "0",
        "7",
        "a",
        "Z",
        " ",
        "\n",
        "\\",
        "é",
        "-",
        ".",
        "$",
        "\"x\": 1, ",
        "{}",
        "[1, 2]",
        "\"Next\": \"B\", ",
        "\"Type\": \"Pass\", ",
        "\"End\": true, ",
        "\"Comment\": \"c\", ",
    ];

    /// Pieces of states an edit inside a state object inserts after its `{`: fields of
    /// every kind, valid and not, transitions to states that exist and that do not, and a
    /// nested scope (which a state cannot be re-checked alone with).
    const STATE_FIELDS: &[&str] = &[
        r#""Comment": "c", "#,
        r#""Comment": 1, "#,
        r#""ResultPath": "$.x", "#,
        r#""ResultPath": "$$.x", "#,
        r#""InputPath": "$.p.n", "#,
        r#""OutputPath": null, "#,
        r#""Parameters": { "a.$": "$.r1", "b.$": "States.Format('{}', $.p)", "c.$": "$$.Map.Item.Value" }, "#,
        r#""ResultSelector": { "x.$": "$.nope[" }, "#,
        r#""Retry": [ { "ErrorEquals": ["States.ALL"] }, { "ErrorEquals": ["States.Timeout"] } ], "#,
        r#""Catch": [ { "ErrorEquals": ["States.Runtime"], "Next": "S1" } ], "#,
        r#""Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "Nowhere" } ], "#,
        r#""Assign": { "v": 1, "w.$": "$.p" }, "#,
        r#""Parameters": { "a": "$v", "b": "$.p", "c": "$w" }, "#,
        r#""Resource": "arn:aws-us-gov:states:::lambda:invoke", "#,
        r#""Next": "S2", "#,
        r#""Next": "Missing", "#,
        r#""End": true, "#,
        r#""Default": "S1", "#,
        r#""Type": "Wait", "#,
        r#""Type": "Fail", "#,
        r#""Type": "Pass", "#,
        r#""Type": "Parallel", "#,
        r#""Seconds": 40000000, "#,
        r#""Timestamp": "2024-13-01T00:00:00Z", "#,
        r#""TimeoutSeconds": 10, "HeartbeatSeconds": 20, "#,
        r#""Resource": "arn:aws-cn:lambda:cn-north-1:123456789012:function:f", "#,
        r#""Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "#,
        r#""QueryLanguage": "JSONata", "#,
        r#""Output": "{% $states.input %}", "#,
        r#""Result": { "big": [1, 2, 3] }, "#,
        r#""Choices": [ { "Variable": "$.a", "IsPresent": true, "Next": "S1" }, { "Variable": "$.a", "IsPresent": true, "Next": "S2" } ], "#,
        r#""Label": "L", "#,
        r#""Unknown": 1, "#,
    ];

    /// Replacements an edit makes at a random occurrence: other types, targets, services,
    /// errors and paths.
    const REPLACEMENTS: &[(&str, &str)] = &[
        ("Task", "Pass"),
        ("Pass", "Task"),
        ("Pass", "Succeed"),
        ("Choice", "Pass"),
        ("Wait", "Pass"),
        ("S1", "S9"),
        ("S2", "S0"),
        ("\"S", "\"X"),
        ("lambda:invoke", "lambda:invoke.sync"),
        ("lambda:invoke", "sqs:sendMessage"),
        ("States.TaskFailed", "States.ALL"),
        ("States.TaskFailed", "States.Nope"),
        (r#"MaxAttempts": 2"#, r#"MaxAttempts": 0"#),
        ("$.p", "$.q"),
        ("$.", "$$."),
        ("$", "$.value"),
        ("NumericGreaterThan", "StringEquals"),
        ("10", r#""10""#),
        ("true", "false"),
        (r#""End": true"#, r#""Next": "S0""#),
        ("f1", "f1.$"),
    ];

    /// One random edit inside a state object: a field inserted after its `{`, or a word
    /// replaced; at any offset, so edits of the names, of the scope and of nested scopes
    /// come too.
    fn state_edit(text: &str, rng: &mut Rng) -> String {
        if rng.below(2) == 0 {
            let opens: Vec<usize> = text.match_indices("{ \"Type\"").map(|(i, _)| i + 2).collect();
            if !opens.is_empty() {
                let at = opens[rng.below(opens.len())];
                let field = STATE_FIELDS[rng.below(STATE_FIELDS.len())];
                return [&text[..at], field, &text[at..]].concat();
            }
        }
        let (from, to) = REPLACEMENTS[rng.below(REPLACEMENTS.len())];
        let found: Vec<usize> = text.match_indices(from).map(|(i, _)| i).collect();
        if found.is_empty() {
            return edit(text, rng);
        }
        let at = found[rng.below(found.len())];
        [&text[..at], to, &text[at + from.len()..]].concat()
    }

    /// One random edit of `text`: an insertion, a deletion or a replacement at a random
    /// character boundary.
    fn edit(text: &str, rng: &mut Rng) -> String {
        let boundary = |rng: &mut Rng| {
            let mut at = rng.below(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        let start = boundary(rng);
        let end = match rng.below(3) {
            0 => start,
            _ => {
                let mut end = (start + 1 + rng.below(6)).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                end
            }
        };
        let insert = if rng.below(3) == 0 { "" } else { INSERTS[rng.below(INSERTS.len())] };
        [&text[..start], insert, &text[end..]].concat()
    }

    /// A chain of Task, Pass, Choice, Parallel and Map states.
    fn generated(n: usize) -> String {
        let mut states = Vec::new();
        for i in 0..n {
            let next = format!("S{}", i + 1);
            states.push(match i % 5 {
                0 => format!(
                    r#""S{i}": {{ "Type": "Task", "Comment": "step {i}", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {{ "FunctionName": "f{i}", "Payload.$": "$" }}, "Retry": [ {{ "ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2 }} ], "ResultPath": "$.r{}", "Next": "{next}" }}"#,
                    i % 4
                ),
                1 => format!(r#""S{i}": {{ "Type": "Pass", "Result": {{ "n": {i} }}, "ResultPath": "$.p", "Next": "{next}" }}"#),
                2 => format!(
                    r#""S{i}": {{ "Type": "Choice", "Choices": [ {{ "Variable": "$.p.n", "NumericGreaterThan": 10, "Next": "{next}" }} ], "Default": "{next}" }}"#
                ),
                3 => format!(
                    r#""S{i}": {{ "Type": "Parallel", "Branches": [ {{ "StartAt": "A", "States": {{ "A": {{ "Type": "Pass", "Result": {{ "a": 1 }}, "Next": "B" }}, "B": {{ "Type": "Wait", "Seconds": 1, "End": true }} }} }} ], "ResultPath": "$.par", "Next": "{next}" }}"#
                ),
                _ => format!(
                    r#""S{i}": {{ "Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {{ "StartAt": "M", "States": {{ "M": {{ "Type": "Pass", "Parameters": {{ "v.$": "$.value" }}, "End": true }} }} }}, "Next": "{next}" }}"#
                ),
            });
        }
        states.push(format!(r#""S{n}": {{ "Type": "Succeed" }}"#));
        format!("{{\n  \"StartAt\": \"S0\",\n  \"States\": {{\n    {}\n  }}\n}}\n", states.join(",\n    "))
    }

    /// A CloudFormation template holding a definition.
    fn template() -> String {
        format!(
            r#"{{ "AWSTemplateFormatVersion": "2010-09-09", "Resources": {{ "Machine": {{ "Type": "AWS::StepFunctions::StateMachine", "Properties": {{ "Definition": {} }} }} }} }}"#,
            generated(6)
        )
    }

    fn shared_corpus() -> Option<PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/real");
        root.is_dir().then_some(root)
    }

    /// Up to `n` JSON definitions of the shared corpus, largest first.
    fn corpus_files(n: usize) -> Vec<(String, String)> {
        let Some(root) = shared_corpus() else {
            eprintln!("\n*** corpus edits SKIPPED: ../shared (the shared reference material) is not next to the checkout ***\n");
            return Vec::new();
        };
        let mut files = Vec::new();
        let mut dirs = vec![root];
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.to_string_lossy().ends_with(".asl.json") {
                    if let Ok(text) = std::fs::read_to_string(&path) {
                        files.push((path.display().to_string(), text));
                    }
                }
            }
        }
        files.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
        files.truncate(n);
        files
    }

    fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics.sort_by(|a, b| (a.sort_key(), &a.message).cmp(&(b.sort_key(), &b.message)));
        diagnostics
    }

    fn same_analysis(incremental: &Analysis, full: &Analysis, context: &str) {
        assert_eq!(incremental.tree(), full.tree(), "{context}: trees differ");
        assert_eq!(incremental.diagnostics, full.diagnostics, "{context}: diagnostics differ");
        assert_eq!(incremental.machines.len(), full.machines.len(), "{context}: machines differ");
        for (a, b) in incremental.machines.iter().zip(&full.machines) {
            assert_eq!(format!("{:?}", a.index), format!("{:?}", b.index), "{context}: state indexes differ");
        }
    }

    /// What `aslc check` reports for a definition file (the reader's diagnostics and
    /// `aslc_lints::check`), in the order the server publishes; `None` for a template or a
    /// text that cannot be read.
    fn reference(text: &str, config: &LintConfig) -> Option<Vec<Diagnostic>> {
        let parsed = aslc_syntax::json::parse(text, FILE);
        let root = parsed.node?;
        if aslc_syntax::cfn::is_template(&root) {
            return None;
        }
        let options = aslc_ir::CheckOptions {
            workflow_type: config.workflow_type,
            source_chars: Some(text.chars().count()),
        };
        let mut diagnostics = parsed.diagnostics;
        diagnostics.extend(aslc_lints::check(&root, FILE, &options, config));
        diagnostics.sort_by(order);
        Some(diagnostics)
    }

    /// How often each way of checking was taken.
    #[derive(Default)]
    struct Taken {
        /// Edits whose text was re-read rather than read whole.
        reread: usize,
        /// Re-read edits that reused the previous tree in place.
        in_place: usize,
        /// Edits where only the edited state was checked again.
        rechecked: usize,
    }

    /// Runs `edits` random edits one after another from `text` (with `state_edits`, edits
    /// inside state objects); after each, the re-read tree (copied and in place) equals a
    /// full read, the incremental analysis equals a full one, and both report exactly what
    /// `aslc check` reports. Every other analysis is shared while the next is made, so both
    /// ways of reusing its tree are taken.
    fn check_edits(name: &str, text: &str, edits: usize, seed: u64, state_edits: bool) -> Taken {
        let config = LintConfig::default();
        let mut rng = Rng(seed);
        let mut snapshot = Snapshot::new(text.into(), Language::Json, 0);
        let mut previous = Arc::new(analyze(&snapshot, &config));
        let mut taken = Taken::default();
        for step in 1..=edits {
            let context = format!("{name}, seed {seed}, edit {step}");
            let new_text = if state_edits {
                state_edit(&snapshot.text, &mut rng)
            } else {
                edit(&snapshot.text, &mut rng)
            };
            let full_read = aslc_syntax::json::parse(&new_text, FILE);
            if let (Some((old_text, old_diagnostics)), Some(tree)) = (previous.source_text(), previous.tree())
            {
                if let Some((node, diagnostics)) = reparse(old_text, tree, old_diagnostics, &new_text) {
                    taken.reread += 1;
                    assert_eq!(Some(&node), full_read.node.as_ref(), "{context}: re-read tree differs");
                    assert_eq!(
                        sorted(diagnostics),
                        sorted(full_read.diagnostics.clone()),
                        "{context}: reader diagnostics"
                    );
                    let plan = Reread::plan(old_text, tree, &new_text).expect("planned once already");
                    let (node, diagnostics) = plan.in_place(tree.clone(), old_diagnostics.to_vec());
                    assert_eq!(
                        Some(&node),
                        full_read.node.as_ref(),
                        "{context}: tree re-read in place differs"
                    );
                    assert_eq!(
                        sorted(diagnostics),
                        sorted(full_read.diagnostics.clone()),
                        "{context}: reader diagnostics in place"
                    );
                }
            }
            let readable = full_read.node.is_some();
            let next = Snapshot::new(new_text.into(), Language::Json, step as i32);
            let shared = (step % 4 == 3).then(|| previous.clone());
            let (incremental, unused) = analyze_after(Some(previous), &next, &config);
            same_analysis(&incremental, &analyze(&next, &config), &context);
            if let Some(reference) = reference(&next.text, &config) {
                assert_eq!(
                    incremental.diagnostics, reference,
                    "{context}: diagnostics differ from `aslc check`"
                );
            }
            if unused.is_none() {
                taken.in_place += 1;
            }
            if incremental.rechecked() {
                taken.rechecked += 1;
            }
            // Most random edits break the JSON; after a broken text the next version is
            // read whole anyway, so go on from the last text that could be read.
            previous = if readable {
                snapshot = next;
                Arc::new(incremental)
            } else {
                // Nothing is re-read from a text that cannot be read, so nothing was used up.
                unused.expect("a broken text uses up no tree")
            };
            drop(shared);
        }
        taken
    }

    #[test]
    fn random_edits_of_generated_definitions_match_full_reads() {
        let mut taken = Taken::default();
        for seed in 1..=8 {
            let t = check_edits("generated", &generated(12), 60, seed, false);
            taken.reread += t.reread;
            taken.in_place += t.in_place;
        }
        taken.reread += check_edits("template", &template(), 60, 99, false).reread;
        // Most random edits break the JSON; of those that do not, most stay inside one
        // object. The fast paths must be taken often enough to have been tested.
        assert!(taken.reread >= 100, "only {} of 540 edits were re-read", taken.reread);
        assert!(taken.in_place >= 30, "only {} edits reused the tree in place", taken.in_place);
    }

    #[test]
    fn random_edits_inside_states_recheck_one_state_as_a_full_check_does() {
        let mut taken = Taken::default();
        let mut edits = 0;
        for seed in 1..=12 {
            let t = check_edits("generated", &generated(15), 50, 500 + seed, true);
            taken.rechecked += t.rechecked;
            edits += 50;
        }
        // Edits of names, of nested scopes and into other types fall back to a full check;
        // most edits stay inside one state.
        assert!(
            taken.rechecked * 2 >= edits,
            "only {} of {edits} edits re-checked one state",
            taken.rechecked
        );
    }

    #[test]
    fn random_edits_of_corpus_definitions_match_full_reads() {
        let files = corpus_files(8);
        let (mut reread, mut rechecked) = (0, 0);
        for (i, (name, text)) in files.iter().enumerate() {
            reread += check_edits(name, text, 30, 1000 + i as u64, false).reread;
            rechecked += check_edits(name, text, 30, 2000 + i as u64, true).rechecked;
        }
        assert!(files.is_empty() || reread >= 20, "only {reread} corpus edits were re-read");
        assert!(files.is_empty() || rechecked >= 40, "only {rechecked} corpus edits re-checked one state");
    }

    #[test]
    fn finds_the_changed_region_of_long_texts() {
        let long = "ab".repeat(1000);
        for at in [0, 1, 255, 256, 257, 1000, 1999] {
            let mut changed = long.clone();
            changed.replace_range(at..at + 1, "x");
            assert_eq!(
                Change::between(&long, &changed),
                Some(Change { start: at, old_end: at + 1, new_end: at + 1 })
            );
            changed.insert_str(at, "yz");
            assert_eq!(
                Change::between(&long, &changed),
                Some(Change { start: at, old_end: at + 1, new_end: at + 3 })
            );
        }
        // Repeated text: the prefix is taken first, the suffix only from what is left.
        assert_eq!(
            Change::between(&long, &format!("{long}ab")),
            Some(Change { start: 2000, old_end: 2000, new_end: 2002 })
        );
    }

    #[test]
    fn finds_the_changed_region() {
        assert_eq!(Change::between("abc", "abc"), None);
        assert_eq!(Change::between("abc", "abXc"), Some(Change { start: 2, old_end: 2, new_end: 3 }));
        assert_eq!(Change::between("aaa", "aa"), Some(Change { start: 2, old_end: 3, new_end: 2 }));
        assert_eq!(Change::between("abc", "xbc"), Some(Change { start: 0, old_end: 1, new_end: 1 }));
    }

    #[test]
    fn edits_outside_every_container_read_the_whole_text() {
        let text = r#"{ "StartAt": "A", "States": { "A": { "Type": "Succeed" } } }"#;
        let tree = aslc_syntax::json::parse(text, FILE).node.unwrap();
        // The outer braces changed: nothing encloses the edit.
        assert!(reparse(text, &tree, &[], &format!("{text} ")).is_none());
        assert!(reparse(text, &tree, &[], &text.replacen('{', "[", 1)).is_none());
        // An edit that unbalances the state object: the container no longer ends in place.
        let unbalanced = text.replacen(r#""Succeed" }"#, r#""Succeed" }}"#, 1);
        assert!(reparse(text, &tree, &[], &unbalanced).is_none());
        // An edit inside the state object is re-read.
        let renamed = text.replacen("Succeed", "Pass", 1);
        let (node, diagnostics) = reparse(text, &tree, &[], &renamed).unwrap();
        assert_eq!(Some(node), aslc_syntax::json::parse(&renamed, FILE).node);
        assert!(diagnostics.is_empty());
    }
}
