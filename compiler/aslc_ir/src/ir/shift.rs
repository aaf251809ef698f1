//! Moving the spans of a definition after an edit: every byte offset at or after the end
//! of the edited text moves by the change in length.
//!
//! An editor that re-lowers only the state an edit touched keeps the rest of the IR, whose
//! spans must then match the new text. [`Spans::shift`] moves every offset the IR holds:
//! each impl destructures its type without `..`, so a field added to the IR does not
//! compile until it is moved here too. Expression trees need nothing: their ranges are
//! relative to the expression's text (see [`Expr`]).

use aslc_source::TextRange;
use aslc_syntax::{Member, Node, NodeValue, Str};

use super::*;

/// Moves offsets at or after `from` by `delta` bytes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Shift {
    /// The first offset that moves: the end of the edited text in the old text.
    pub from: u32,
    /// The change in length, in bytes.
    pub delta: i64,
}

impl Shift {
    /// Where `offset` of the old text is in the new one.
    pub fn offset(self, offset: u32) -> u32 {
        if offset < self.from {
            return offset;
        }
        // Offsets after the edit exist in the new text, whose length fits in u32.
        u32::try_from(i64::from(offset) + self.delta).unwrap_or(u32::MAX)
    }

    /// Where `range` of the old text is in the new one.
    pub fn range(self, range: TextRange) -> TextRange {
        TextRange::new(self.offset(range.start()), self.offset(range.end()))
    }
}

/// `value` with every offset replaced by `u32::MAX`: for comparing values by content
/// alone, wherever they are in the text.
pub fn erase_spans<T: Spans>(mut value: T) -> T {
    // Every offset moved before the start of the text saturates to `u32::MAX`.
    value.shift(Shift { from: 0, delta: -(1 << 40) });
    value
}

/// A value holding spans of the source.
pub trait Spans {
    /// Moves every span by `by`.
    fn shift(&mut self, by: Shift);
}

impl Spans for TextRange {
    fn shift(&mut self, by: Shift) {
        *self = by.range(*self);
    }
}

impl<T: Spans> Spans for Option<T> {
    fn shift(&mut self, by: Shift) {
        if let Some(value) = self {
            value.shift(by);
        }
    }
}

impl<T: Spans> Spans for Vec<T> {
    fn shift(&mut self, by: Shift) {
        self.iter_mut().for_each(|value| value.shift(by));
    }
}

impl<T: Spans> Spans for Box<T> {
    fn shift(&mut self, by: Shift) {
        (**self).shift(by);
    }
}

/// Values without spans.
macro_rules! no_spans {
    ($($ty:ty),*) => {
        $(impl Spans for $ty {
            fn shift(&mut self, _: Shift) {}
        })*
    };
}

no_spans!(Box<str>, Text, Number, QueryLanguage, ScopeId);

impl<T: Spans> Spans for Spanned<T> {
    fn shift(&mut self, by: Shift) {
        let Spanned { value, range } = self;
        value.shift(by);
        range.shift(by);
    }
}

impl Spans for Str {
    fn shift(&mut self, by: Shift) {
        let Str { text: _, verbatim } = self;
        *verbatim = verbatim.map(|v| by.offset(v));
    }
}

impl Spans for Member {
    fn shift(&mut self, by: Shift) {
        let Member { key, key_range, value } = self;
        key.shift(by);
        key_range.shift(by);
        value.shift(by);
    }
}

impl Spans for Node {
    fn shift(&mut self, by: Shift) {
        let Node { range, value } = self;
        // Nothing inside a node starts before it or ends after it.
        if range.end() < by.from {
            return;
        }
        range.shift(by);
        match value {
            NodeValue::Null | NodeValue::Bool(_) | NodeValue::Number(_) => {}
            NodeValue::String(s) => s.shift(by),
            NodeValue::Array(items) => items.shift(by),
            NodeValue::Object(members) => members.shift(by),
        }
    }
}

impl Spans for Extra {
    fn shift(&mut self, by: Shift) {
        let Extra { key, value } = self;
        key.shift(by);
        value.shift(by);
    }
}

impl Spans for Expr {
    fn shift(&mut self, by: Shift) {
        // `query` holds ranges relative to `text`.
        let Expr { text: _, range, verbatim, query: _ } = self;
        range.shift(by);
        *verbatim = verbatim.map(|v| by.offset(v));
    }
}

impl Spans for Template {
    fn shift(&mut self, by: Shift) {
        match self {
            Template::Literal(node) => node.shift(by),
            Template::Object { range, members } => {
                range.shift(by);
                members.shift(by);
            }
            Template::Array { range, items } => {
                range.shift(by);
                items.shift(by);
            }
            Template::Dynamic(expr) | Template::Jsonata(expr) => expr.shift(by),
        }
    }
}

impl Spans for TemplateMember {
    fn shift(&mut self, by: Shift) {
        let TemplateMember { key, output_key: _, value } = self;
        key.shift(by);
        value.shift(by);
    }
}

impl Spans for PathOrNull {
    fn shift(&mut self, by: Shift) {
        match self {
            PathOrNull::Null(range) => range.shift(by),
            PathOrNull::Path(expr) => expr.shift(by),
        }
    }
}

impl<T: Spans> Spans for Dyn<T> {
    fn shift(&mut self, by: Shift) {
        match self {
            Dyn::Literal(value) => value.shift(by),
            Dyn::Jsonata(expr) => expr.shift(by),
            Dyn::Placeholder(name) => name.shift(by),
        }
    }
}

impl Spans for Definition {
    fn shift(&mut self, by: Shift) {
        let Definition {
            file: _,
            range,
            root: _,
            scopes,
            states,
            comment,
            version,
            timeout_seconds,
            query_language_field,
            query_language: _,
            extra,
        } = self;
        range.shift(by);
        scopes.shift(by);
        states.shift(by);
        comment.shift(by);
        version.shift(by);
        timeout_seconds.shift(by);
        query_language_field.shift(by);
        extra.shift(by);
    }
}

impl Spans for Scope {
    fn shift(&mut self, by: Shift) {
        let Scope {
            kind: _,
            parent: _,
            start_at,
            comment,
            states: _,
            by_name: _,
            range,
            states_range,
            states_key_range,
            pointer: _,
            depth: _,
            processor_config,
            extra,
        } = self;
        start_at.shift(by);
        comment.shift(by);
        range.shift(by);
        states_range.shift(by);
        states_key_range.shift(by);
        processor_config.shift(by);
        extra.shift(by);
    }
}

impl Spans for State {
    fn shift(&mut self, by: Shift) {
        let State {
            name,
            scope: _,
            range,
            pointer: _,
            type_range,
            comment,
            query_language_field,
            query_language: _,
            transition,
            conflicting_end,
            io,
            assign,
            errors,
            kind,
            extra,
        } = self;
        // A state wholly before the edit keeps its spans.
        if range.end() < by.from && name.range.end() < by.from {
            return;
        }
        name.shift(by);
        range.shift(by);
        type_range.shift(by);
        comment.shift(by);
        query_language_field.shift(by);
        transition.shift(by);
        conflicting_end.shift(by);
        io.shift(by);
        assign.shift(by);
        errors.shift(by);
        kind.shift(by);
        extra.shift(by);
    }
}

impl Spans for Transition {
    fn shift(&mut self, by: Shift) {
        match self {
            Transition::Next(name) => name.shift(by),
            Transition::End(range) => range.shift(by),
            Transition::None => {}
        }
    }
}

impl Spans for Io {
    fn shift(&mut self, by: Shift) {
        let Io { input_path, output_path, parameters, result_selector, result_path, arguments, output } =
            self;
        input_path.shift(by);
        output_path.shift(by);
        parameters.shift(by);
        result_selector.shift(by);
        result_path.shift(by);
        arguments.shift(by);
        output.shift(by);
    }
}

impl Spans for Assign {
    fn shift(&mut self, by: Shift) {
        let Assign { range, vars } = self;
        range.shift(by);
        vars.shift(by);
    }
}

impl Spans for AssignVar {
    fn shift(&mut self, by: Shift) {
        let AssignVar { key, name: _, value } = self;
        key.shift(by);
        value.shift(by);
    }
}

impl Spans for ErrorHandling {
    fn shift(&mut self, by: Shift) {
        let ErrorHandling { retry_range, retry, catch_range, catch } = self;
        retry_range.shift(by);

        retry.shift(by);
        catch_range.shift(by);
        catch.shift(by);
    }
}

impl Spans for Retrier {
    fn shift(&mut self, by: Shift) {
        let Retrier {
            range,
            error_equals,
            error_equals_range,
            interval_seconds,
            max_attempts,
            backoff_rate,
            max_delay_seconds,
            jitter_strategy,
            comment,
            extra,
        } = self;
        range.shift(by);
        error_equals.shift(by);
        error_equals_range.shift(by);
        interval_seconds.shift(by);
        max_attempts.shift(by);
        backoff_rate.shift(by);
        max_delay_seconds.shift(by);
        jitter_strategy.shift(by);
        comment.shift(by);
        extra.shift(by);
    }
}

impl Spans for Catcher {
    fn shift(&mut self, by: Shift) {
        let Catcher {
            range,
            error_equals,
            error_equals_range,
            next,
            result_path,
            output,
            assign,
            comment,
            extra,
        } = self;
        range.shift(by);
        error_equals.shift(by);
        error_equals_range.shift(by);
        next.shift(by);
        result_path.shift(by);
        output.shift(by);
        assign.shift(by);
        comment.shift(by);
        extra.shift(by);
    }
}

impl Spans for StateKind {
    fn shift(&mut self, by: Shift) {
        match self {
            StateKind::Pass(pass) => pass.shift(by),
            StateKind::Task(task) => task.shift(by),
            StateKind::Choice(choice) => choice.shift(by),
            StateKind::Wait(wait) => wait.shift(by),
            StateKind::Fail(fail) => fail.shift(by),
            StateKind::Parallel(parallel) => parallel.shift(by),
            StateKind::Map(map) => map.shift(by),
            StateKind::Succeed | StateKind::Invalid => {}
        }
    }
}

impl Spans for Pass {
    fn shift(&mut self, by: Shift) {
        let Pass { result } = self;
        result.shift(by);
    }
}

impl Spans for Task {
    fn shift(&mut self, by: Shift) {
        let Task {
            resource,
            credentials,
            timeout_seconds,
            timeout_seconds_path,
            heartbeat_seconds,
            heartbeat_seconds_path,
        } = self;
        resource.shift(by);
        credentials.shift(by);
        timeout_seconds.shift(by);
        timeout_seconds_path.shift(by);
        heartbeat_seconds.shift(by);
        heartbeat_seconds_path.shift(by);
    }
}

impl Spans for Credentials {
    fn shift(&mut self, by: Shift) {
        let Credentials { range, role_arn, object } = self;
        range.shift(by);
        role_arn.shift(by);
        object.shift(by);
    }
}

impl Spans for Choice {
    fn shift(&mut self, by: Shift) {
        let Choice { choices_range, choices, default } = self;
        choices_range.shift(by);
        choices.shift(by);
        default.shift(by);
    }
}

impl Spans for ChoiceRule {
    fn shift(&mut self, by: Shift) {
        let ChoiceRule { range, condition, next, assign, output, comment, extra } = self;
        range.shift(by);
        condition.shift(by);
        next.shift(by);
        assign.shift(by);
        output.shift(by);
        comment.shift(by);
        extra.shift(by);
    }
}

impl Spans for Condition {
    fn shift(&mut self, by: Shift) {
        match self {
            Condition::Compare { variable, operator, op: _, operand, path } => {
                variable.shift(by);
                operator.shift(by);
                operand.shift(by);
                path.shift(by);
            }
            Condition::And(range, conditions) | Condition::Or(range, conditions) => {
                range.shift(by);
                conditions.shift(by);
            }
            Condition::Not(range, condition) => {
                range.shift(by);
                condition.shift(by);
            }
            Condition::Jsonata(template) => template.shift(by),
            Condition::Invalid(range) => range.shift(by),
        }
    }
}

impl Spans for Wait {
    fn shift(&mut self, by: Shift) {
        let Wait { seconds, timestamp, seconds_path, timestamp_path } = self;
        seconds.shift(by);
        timestamp.shift(by);
        seconds_path.shift(by);
        timestamp_path.shift(by);
    }
}

impl Spans for Fail {
    fn shift(&mut self, by: Shift) {
        let Fail { error, error_path, cause, cause_path } = self;
        error.shift(by);
        error_path.shift(by);
        cause.shift(by);
        cause_path.shift(by);
    }
}

impl Spans for Parallel {
    fn shift(&mut self, by: Shift) {
        let Parallel { branches_range, branches: _ } = self;
        branches_range.shift(by);
    }
}

impl Spans for Map {
    fn shift(&mut self, by: Shift) {
        let Map {
            processor: _,
            items_path,
            items,
            item_selector,
            max_concurrency,
            max_concurrency_path,
            tolerated_failure_percentage,
            tolerated_failure_percentage_path,
            tolerated_failure_count,
            tolerated_failure_count_path,
            item_reader,
            item_batcher,
            result_writer,
            label,
        } = self;
        items_path.shift(by);
        items.shift(by);
        item_selector.shift(by);
        max_concurrency.shift(by);
        max_concurrency_path.shift(by);
        tolerated_failure_percentage.shift(by);
        tolerated_failure_percentage_path.shift(by);
        tolerated_failure_count.shift(by);
        tolerated_failure_count_path.shift(by);
        item_reader.shift(by);
        item_batcher.shift(by);
        result_writer.shift(by);
        label.shift(by);
    }
}

impl Spans for ItemReader {
    fn shift(&mut self, by: Shift) {
        let ItemReader { range, resource, parameters, arguments, reader_config } = self;
        range.shift(by);
        resource.shift(by);
        parameters.shift(by);
        arguments.shift(by);
        reader_config.shift(by);
    }
}

impl Spans for ReaderConfig {
    fn shift(&mut self, by: Shift) {
        let ReaderConfig {
            range,
            input_type,
            csv_header_location,
            csv_headers,
            csv_delimiter,
            manifest_type,
            transformation,
            items_pointer,
            max_items,
            max_items_path,
        } = self;
        range.shift(by);
        input_type.shift(by);
        csv_header_location.shift(by);
        csv_headers.shift(by);
        csv_delimiter.shift(by);
        manifest_type.shift(by);
        transformation.shift(by);
        items_pointer.shift(by);
        max_items.shift(by);
        max_items_path.shift(by);
    }
}

impl Spans for ItemBatcher {
    fn shift(&mut self, by: Shift) {
        let ItemBatcher {
            range,
            max_items_per_batch,
            max_items_per_batch_path,
            max_input_bytes_per_batch,
            max_input_bytes_per_batch_path,
            batch_input,
        } = self;
        range.shift(by);
        max_items_per_batch.shift(by);
        max_items_per_batch_path.shift(by);
        max_input_bytes_per_batch.shift(by);
        max_input_bytes_per_batch_path.shift(by);
        batch_input.shift(by);
    }
}

impl Spans for ResultWriter {
    fn shift(&mut self, by: Shift) {
        let ResultWriter { range, resource, parameters, arguments, writer_config } = self;
        range.shift(by);
        resource.shift(by);
        parameters.shift(by);
        arguments.shift(by);
        writer_config.shift(by);
    }
}

impl Spans for WriterConfig {
    fn shift(&mut self, by: Shift) {
        let WriterConfig { range, output_type, transformation } = self;
        range.shift(by);
        output_type.shift(by);
        transformation.shift(by);
    }
}

impl Spans for ProcessorConfig {
    fn shift(&mut self, by: Shift) {
        let ProcessorConfig { range, mode, execution_type } = self;
        range.shift(by);
        mode.shift(by);
        execution_type.shift(by);
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use aslc_source::FileId;

    use super::*;

    /// Every JSON definition under `dir`, recursively.
    fn json_files(dir: &Path, acc: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                json_files(&path, acc);
            } else if path.extension().is_some_and(|e| e == "json") {
                acc.push(path);
            }
        }
    }

    fn lowered(text: &str) -> Option<Definition> {
        let node = aslc_syntax::json::parse(text, FileId(0)).node?;
        crate::lower(&node, FileId(0)).0
    }

    /// Lowering a text with `insert` at `at` gives the IR of the text with every span
    /// moved: checked on the whole shared corpus and the lint fixtures, with the insertion
    /// at the start (every span moves) and in the middle (only the later ones do), so a
    /// span [`Spans::shift`] forgets fails here.
    #[test]
    fn moved_spans_equal_the_spans_of_the_moved_text() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = Vec::new();
        json_files(&root.join("../shared/corpus"), &mut files);
        json_files(&root.join("lints/aslc_lints/fixtures"), &mut files);
        files.sort();
        let mut checked = 0;
        for path in &files {
            let Ok(text) = std::fs::read_to_string(path) else { continue };
            let Some(def) = lowered(&text) else { continue };
            // The middle: the key of the middle state of the top level, a token boundary.
            let middle = def.scope(def.root).states.get(def.scope(def.root).states.len() / 2);
            let middle = middle.map_or(0, |&id| def.state(id).name.range.start());
            for (at, insert) in [(0, "  "), (middle, "\n")] {
                let moved_text = [&text[..at as usize], insert, &text[at as usize..]].concat();
                let Some(expected) = lowered(&moved_text) else { continue };
                let mut moved = def.clone();
                moved.shift(Shift { from: at, delta: insert.len() as i64 });
                assert_eq!(
                    format!("{moved:#?}"),
                    format!("{expected:#?}"),
                    "{}: spans after {at}",
                    path.display()
                );
                checked += 1;
            }
        }
        assert!(checked >= 100 || files.is_empty(), "only {checked} definitions were moved");
        if files.is_empty() {
            eprintln!(
                "\n*** span moves SKIPPED: ../shared and the fixtures are not next to the checkout ***\n"
            );
        }
    }
}
