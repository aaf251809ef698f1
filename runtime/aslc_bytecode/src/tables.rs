//! The instruction set of the bytecode, declared once: every record kind with its fields.
//!
//! [`records!`] turns each declaration into a record struct, an index type, and one arm
//! of each of the four generated operations on [`Tables`]: encode, decode, verify and
//! disassemble. Adding a field here updates all four; nothing else spells the layout.

use std::fmt::Write as _;
use std::marker::PhantomData;

use aslc_ir::ir::ChoiceOp;

use crate::codec::{DecodeError, Field, Reader, Writer};
use crate::Program;

/// An index type into one table of a [`Program`].
pub trait TableId: Copy {
    /// The index as an integer.
    fn index(self) -> usize;
    /// The id with this index.
    fn from_index(index: u32) -> Self;
    /// How many entries the id's table has.
    fn table_len(program: &Program) -> usize;
    /// The table's name, for messages.
    const TABLE: &'static str;
}

fn check_index<T: TableId>(id: T, program: &Program) -> Result<(), String> {
    let len = T::table_len(program);
    if id.index() < len {
        Ok(())
    } else {
        Err(format!("index {} out of range for `{}` ({len} entries)", id.index(), T::TABLE))
    }
}

macro_rules! plain_id {
    ($(#[$doc:meta])* $Id:ident => $table:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
        pub struct $Id(pub u32);

        impl TableId for $Id {
            fn index(self) -> usize {
                self.0 as usize
            }
            fn from_index(index: u32) -> Self {
                $Id(index)
            }
            fn table_len(program: &Program) -> usize {
                program.$table.len()
            }
            const TABLE: &'static str = stringify!($table);
        }
    };
}

plain_id!(
    /// Index into [`Program::strings`].
    StrId => strings
);
plain_id!(
    /// Index into [`Program::consts`].
    ConstId => consts
);

impl Field for StrId {
    fn write(&self, w: &mut Writer) {
        w.u32(self.0);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(StrId(r.u32()?))
    }
    fn verify(&self, program: &Program) -> Result<(), String> {
        check_index(*self, program)
    }
    fn show(&self, program: &Program, out: &mut String) {
        let text = program.strings.get(self.0 as usize).map(|s| &**s).unwrap_or("?");
        let _ = write!(out, "{}", serde_json::Value::String(text.to_owned()));
    }
}

impl Field for ConstId {
    fn write(&self, w: &mut Writer) {
        w.u32(self.0);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(ConstId(r.u32()?))
    }
    fn verify(&self, program: &Program) -> Result<(), String> {
        check_index(*self, program)
    }
    fn show(&self, program: &Program, out: &mut String) {
        match program.consts.get(self.0 as usize) {
            Some(value) => {
                let text = value.to_string();
                if text.len() > 60 {
                    let cut = (0..=57).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
                    let _ = write!(out, "{}...", &text[..cut]);
                } else {
                    out.push_str(&text);
                }
            }
            None => out.push('?'),
        }
    }
}

/// A run of consecutive entries of one table: `start .. start + len`.
#[derive(PartialEq, Eq, Hash, Debug)]
pub struct List<T> {
    /// The first entry.
    pub start: u32,
    /// How many entries.
    pub len: u32,
    marker: PhantomData<T>,
}

impl<T> Clone for List<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for List<T> {}

impl<T: TableId> List<T> {
    /// The entries `start .. start + len`.
    pub fn new(start: u32, len: u32) -> List<T> {
        List { start, len, marker: PhantomData }
    }

    /// The empty list.
    pub fn empty() -> List<T> {
        List::new(0, 0)
    }

    /// The ids in the list.
    pub fn iter(self) -> impl ExactSizeIterator<Item = T> {
        (self.start..self.start + self.len).map(T::from_index)
    }

    /// Whether the list has no entry.
    pub fn is_empty(self) -> bool {
        self.len == 0
    }
}

impl<T: TableId> Field for List<T> {
    fn write(&self, w: &mut Writer) {
        w.u32(self.start);
        w.u32(self.len);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let start = r.u32()?;
        let len = r.u32()?;
        Ok(List::new(start, len))
    }
    fn verify(&self, program: &Program) -> Result<(), String> {
        let end = u64::from(self.start) + u64::from(self.len);
        let table = T::table_len(program) as u64;
        if end <= table {
            Ok(())
        } else {
            Err(format!("list {}..{end} out of range for `{}` ({table} entries)", self.start, T::TABLE))
        }
    }
    fn show(&self, _: &Program, out: &mut String) {
        if self.len == 0 {
            out.push_str("[]");
        } else {
            let _ = write!(out, "{}[{}..{}]", T::TABLE, self.start, self.start + self.len);
        }
    }
}

macro_rules! tags {
    ($( $(#[$doc:meta])* $Name:ident { $( $(#[$vdoc:meta])* $Var:ident ),* $(,)? } )*) => {
        $(
            $(#[$doc])*
            #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
            pub enum $Name {
                $(
                    #[doc = concat!("`", stringify!($Var), "`.")]
                    $(#[$vdoc])*
                    $Var,
                )*
            }

            impl $Name {
                /// Every value, in encoding order.
                pub const ALL: &'static [$Name] = &[$($Name::$Var),*];

                /// The name shown in listings.
                pub fn name(self) -> &'static str {
                    match self { $($Name::$Var => stringify!($Var)),* }
                }
            }

            impl Field for $Name {
                fn write(&self, w: &mut Writer) {
                    let index = $Name::ALL.iter().position(|v| v == self).unwrap_or(0);
                    w.u8(index as u8);
                }
                fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                    let at = r.pos;
                    let byte = r.u8()?;
                    $Name::ALL.get(byte as usize).copied()
                        .ok_or(DecodeError::Malformed { what: stringify!($Name), at })
                }
                fn show(&self, _: &Program, out: &mut String) {
                    out.push_str(self.name());
                }
            }
        )*
    };
}

tags! {
    /// The type of a state.
    StateKind { Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map }
    /// The query language a state (or the machine) uses.
    Language { JsonPath, Jsonata }
    /// What an expression's text is.
    ExprKind {
        /// A JSONPath path.
        Path,
        /// An intrinsic function call.
        Intrinsic,
        /// A JSONata `{% … %}` string.
        Jsonata,
    }
    /// The shape of a template node.
    TmplKind {
        /// A JSON value with nothing to evaluate (`value`).
        Const,
        /// An object whose members are templates (`members`).
        Object,
        /// An array whose elements are templates (`items`).
        Array,
        /// An expression (`expr`): a path, an intrinsic call or a JSONata string.
        Expr,
    }
    /// The shape of a Choice condition.
    CondKind {
        /// `Variable` + a comparison operator.
        Compare,
        /// `And` over `children`.
        And,
        /// `Or` over `children`.
        Or,
        /// `Not` of the single child.
        Not,
        /// A JSONata `Condition` (`expr`).
        Jsonata,
    }
    /// `JitterStrategy`.
    Jitter { None, Full }
    /// How a path field (`InputPath`, `OutputPath`, `ResultPath`) was written.
    PathMode {
        /// Absent: the identity (`$`).
        Default,
        /// `null`.
        Null,
        /// A path (`path`).
        Path,
    }
}

impl Field for ChoiceOp {
    fn write(&self, w: &mut Writer) {
        let index = ChoiceOp::ALL.iter().position(|v| v == self).unwrap_or(0);
        w.u8(index as u8);
    }
    fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let at = r.pos;
        let byte = r.u8()?;
        ChoiceOp::ALL.get(byte as usize).copied().ok_or(DecodeError::Malformed { what: "ChoiceOp", at })
    }
    fn show(&self, _: &Program, out: &mut String) {
        out.push_str(self.as_str());
    }
}

macro_rules! records {
    ($(
        $(#[$doc:meta])*
        $table:ident : $Rec:ident => $Id:ident {
            $( $(#[$fdoc:meta])* $field:ident : $Ty:ty ),* $(,)?
        }
    )*) => {
        $(
            $(#[$doc])*
            #[derive(Clone, PartialEq, Debug)]
            pub struct $Rec {
                $( $(#[$fdoc])* pub $field: $Ty, )*
            }

            #[doc = concat!("Index into [`Tables::", stringify!($table), "`].")]
            #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
            pub struct $Id(pub u32);

            impl TableId for $Id {
                fn index(self) -> usize {
                    self.0 as usize
                }
                fn from_index(index: u32) -> Self {
                    $Id(index)
                }
                fn table_len(program: &Program) -> usize {
                    program.tables.$table.len()
                }
                const TABLE: &'static str = stringify!($table);
            }

            impl Field for $Id {
                fn write(&self, w: &mut Writer) {
                    w.u32(self.0);
                }
                fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                    Ok($Id(r.u32()?))
                }
                fn verify(&self, program: &Program) -> Result<(), String> {
                    check_index(*self, program)
                }
                fn show(&self, program: &Program, out: &mut String) {
                    let _ = write!(out, "{}#{}", stringify!($table), self.0);
                    program.annotate_id(stringify!($table), self.0, out);
                }
            }
        )*

        /// Every record table of a program, in file order.
        #[derive(Clone, PartialEq, Debug, Default)]
        pub struct Tables {
            $(
                #[doc = concat!("The `", stringify!($Rec), "` records.")]
                pub $table: Vec<$Rec>,
            )*
        }

        impl Tables {
            /// Appends every table to `w`: a count, then the records field by field.
            pub fn encode(&self, w: &mut Writer) {
                $(
                    w.u32(self.$table.len() as u32);
                    for rec in &self.$table {
                        $( rec.$field.write(w); )*
                    }
                )*
            }

            /// Reads every table written by [`Tables::encode`].
            pub fn decode(r: &mut Reader<'_>) -> Result<Tables, DecodeError> {
                $(
                    let n = r.table_len()?;
                    let mut $table = Vec::with_capacity(n);
                    for _ in 0..n {
                        $table.push($Rec { $( $field: <$Ty as Field>::read(r)?, )* });
                    }
                )*
                Ok(Tables { $( $table, )* })
            }

            /// Checks every index of every record.
            pub fn verify(&self, program: &Program) -> Result<(), String> {
                $(
                    for (i, rec) in self.$table.iter().enumerate() {
                        $(
                            rec.$field.verify(program).map_err(|err| {
                                format!("{}[{i}].{}: {err}", stringify!($table), stringify!($field))
                            })?;
                        )*
                    }
                )*
                Ok(())
            }

            /// Writes one line per record: its index and each field that is present.
            pub fn disasm(&self, program: &Program, out: &mut String) {
                $(
                    if !self.$table.is_empty() {
                        let _ = writeln!(out, "\n{}:", stringify!($table));
                        for (i, rec) in self.$table.iter().enumerate() {
                            let _ = write!(out, "  {i:>4}");
                            $(
                                // Absent options and empty lists are left out of the line.
                                let mut shown = String::new();
                                rec.$field.show(program, &mut shown);
                                if shown != "-" && shown != "[]" {
                                    let _ = write!(out, " {}={shown}", stringify!($field));
                                }
                            )*
                            program.annotate_record(stringify!($table), i, out);
                            out.push('\n');
                        }
                    }
                )*
            }
        }
    };
}

records! {
    /// The state machine itself (exactly one record).
    machines: MachineRec => MachineId {
        /// The top-level scope.
        root: ScopeId,
        /// The machine's `QueryLanguage`.
        language: Language,
        /// `TimeoutSeconds`.
        timeout: Option<f64>,
    }
    /// A string that is code: parsed again when the program is loaded.
    exprs: ExprRec => ExprId {
        /// What the text is.
        kind: ExprKind,
        /// The text (for JSONata, the whole `{% … %}` string).
        text: StrId,
    }
    /// A node of a payload template.
    templates: TmplRec => TmplId {
        /// The node's shape.
        kind: TmplKind,
        /// `Const`: the value.
        value: Option<ConstId>,
        /// `Expr`: the expression.
        expr: Option<ExprId>,
        /// `Object`: the members.
        members: List<MemberId>,
        /// `Array`: the elements.
        items: List<ItemId>,
    }
    /// A member of an object template.
    members: MemberRec => MemberId {
        /// The output key (without `.$`).
        key: StrId,
        /// The value.
        value: TmplId,
    }
    /// An element of an array template.
    items: ItemRec => ItemId {
        /// The value.
        value: TmplId,
    }
    /// A `StartAt` + `States` scope: the top level, a branch or a Map processor.
    scopes: ScopeRec => ScopeId {
        /// `StartAt` (absent only in a definition that failed checking).
        start: Option<StateId>,
        /// The Parallel or Map state owning the scope.
        parent: Option<StateId>,
        /// The scope's states, consecutive.
        states: List<StateId>,
    }
    /// A state.
    states: StateRec => StateId {
        /// The state's name.
        name: StrId,
        /// The type.
        kind: StateKind,
        /// The scope holding it.
        scope: ScopeId,
        /// The effective query language.
        language: Language,
        /// `Next`; absent for `End`, Choice, Succeed and Fail.
        next: Option<StateId>,
        /// `InputPath`.
        input_path_mode: PathMode,
        /// The `InputPath` path.
        input_path: Option<ExprId>,
        /// `OutputPath`.
        output_path_mode: PathMode,
        /// The `OutputPath` path.
        output_path: Option<ExprId>,
        /// `ResultPath`.
        result_path_mode: PathMode,
        /// The `ResultPath` path.
        result_path: Option<ExprId>,
        /// `Parameters` (on Map: the deprecated `ItemSelector` spelling).
        parameters: Option<TmplId>,
        /// `ResultSelector`.
        result_selector: Option<TmplId>,
        /// Pass `Result`.
        result: Option<ConstId>,
        /// `Arguments` (JSONata).
        arguments: Option<TmplId>,
        /// `Output` (JSONata).
        output: Option<TmplId>,
        /// `Assign`.
        assign: Option<TmplId>,
        /// `Retry`.
        retry: List<RetrierId>,
        /// `Catch`.
        catch: List<CatcherId>,
        /// Task fields.
        task: Option<TaskId>,
        /// Choice fields.
        choice: Option<ChoiceId>,
        /// Wait fields.
        wait: Option<WaitId>,
        /// Fail fields.
        fail: Option<FailId>,
        /// Parallel fields.
        parallel: Option<ParallelId>,
        /// Map fields.
        map: Option<MapId>,
        /// Source range start (byte offset of the state object).
        source_start: u32,
        /// Source range end.
        source_end: u32,
        /// 1-based line of the state in its source file (0: unknown).
        source_line: u32,
        /// 1-based column of the state in its source file (0: unknown).
        source_column: u32,
    }
    /// An error name in `ErrorEquals`.
    error_names: ErrorNameRec => ErrorNameId {
        /// The name.
        name: StrId,
    }
    /// A retrier.
    retriers: RetrierRec => RetrierId {
        /// `ErrorEquals`.
        errors: List<ErrorNameId>,
        /// `IntervalSeconds`.
        interval: f64,
        /// `MaxAttempts`.
        max_attempts: u32,
        /// `BackoffRate`.
        backoff: f64,
        /// `MaxDelaySeconds`.
        max_delay: Option<f64>,
        /// `JitterStrategy`.
        jitter: Jitter,
    }
    /// A catcher.
    catchers: CatcherRec => CatcherId {
        /// `ErrorEquals`.
        errors: List<ErrorNameId>,
        /// `Next`.
        next: StateId,
        /// `ResultPath`.
        result_path_mode: PathMode,
        /// The `ResultPath` path.
        result_path: Option<ExprId>,
        /// `Output` (JSONata).
        output: Option<TmplId>,
        /// `Assign`.
        assign: Option<TmplId>,
    }
    /// Task fields.
    tasks: TaskRec => TaskId {
        /// `Resource`.
        resource: StrId,
        /// `TimeoutSeconds` (a constant or a JSONata expression).
        timeout: Option<TmplId>,
        /// `TimeoutSecondsPath`.
        timeout_path: Option<ExprId>,
        /// `HeartbeatSeconds`.
        heartbeat: Option<TmplId>,
        /// `HeartbeatSecondsPath`.
        heartbeat_path: Option<ExprId>,
        /// `Credentials`.
        credentials: Option<TmplId>,
    }
    /// Choice fields.
    choices: ChoiceRec => ChoiceId {
        /// `Choices`.
        rules: List<RuleId>,
        /// `Default`.
        default: Option<StateId>,
    }
    /// A top-level choice rule.
    rules: RuleRec => RuleId {
        /// The test.
        condition: CondId,
        /// `Next`.
        next: StateId,
        /// `Assign`.
        assign: Option<TmplId>,
        /// `Output` (JSONata).
        output: Option<TmplId>,
    }
    /// A choice condition.
    conditions: CondRec => CondId {
        /// The shape.
        kind: CondKind,
        /// `Compare`: the operator.
        op: Option<ChoiceOp>,
        /// `Compare`: `Variable`.
        variable: Option<ExprId>,
        /// `Compare`: the literal operand.
        operand: Option<ConstId>,
        /// `Compare`: the path operand of a `…Path` operator.
        operand_path: Option<ExprId>,
        /// `And`, `Or`, `Not`: the nested conditions.
        children: List<CondChildId>,
        /// `Jsonata`: the `Condition` template.
        expr: Option<TmplId>,
    }
    /// A nested condition.
    cond_children: CondChildRec => CondChildId {
        /// The condition.
        condition: CondId,
    }
    /// Wait fields.
    waits: WaitRec => WaitId {
        /// `Seconds`.
        seconds: Option<TmplId>,
        /// `SecondsPath`.
        seconds_path: Option<ExprId>,
        /// `Timestamp`.
        timestamp: Option<TmplId>,
        /// `TimestampPath`.
        timestamp_path: Option<ExprId>,
    }
    /// Fail fields.
    fails: FailRec => FailId {
        /// `Error`.
        error: Option<TmplId>,
        /// `ErrorPath`.
        error_path: Option<ExprId>,
        /// `Cause`.
        cause: Option<TmplId>,
        /// `CausePath`.
        cause_path: Option<ExprId>,
    }
    /// Parallel fields.
    parallels: ParallelRec => ParallelId {
        /// `Branches`.
        branches: List<BranchId>,
    }
    /// A Parallel branch.
    branches: BranchRec => BranchId {
        /// The branch's scope.
        scope: ScopeId,
    }
    /// Map fields.
    maps: MapRec => MapId {
        /// The processor scope.
        processor: ScopeId,
        /// Whether the processor runs in `DISTRIBUTED` mode.
        distributed: bool,
        /// `ItemsPath`.
        items_path: Option<ExprId>,
        /// `Items` (JSONata).
        items: Option<TmplId>,
        /// `ItemSelector`.
        item_selector: Option<TmplId>,
        /// `MaxConcurrency`.
        max_concurrency: Option<TmplId>,
        /// `MaxConcurrencyPath`.
        max_concurrency_path: Option<ExprId>,
        /// `ToleratedFailureCount`.
        tolerated_count: Option<TmplId>,
        /// `ToleratedFailureCountPath`.
        tolerated_count_path: Option<ExprId>,
        /// `ToleratedFailurePercentage`.
        tolerated_percentage: Option<TmplId>,
        /// `ToleratedFailurePercentagePath`.
        tolerated_percentage_path: Option<ExprId>,
        /// `ItemBatcher.MaxItemsPerBatch`.
        batch_max_items: Option<TmplId>,
        /// `ItemBatcher.MaxItemsPerBatchPath`.
        batch_max_items_path: Option<ExprId>,
        /// `ItemBatcher.MaxInputBytesPerBatch`.
        batch_max_bytes: Option<TmplId>,
        /// `ItemBatcher.MaxInputBytesPerBatchPath`.
        batch_max_bytes_path: Option<ExprId>,
        /// `ItemBatcher.BatchInput`.
        batch_input: Option<TmplId>,
        /// `Label`.
        label: Option<StrId>,
        /// `ItemReader.Resource`.
        reader_resource: Option<StrId>,
        /// `ItemReader.Parameters` (JSONPath) or `ItemReader.Arguments` (JSONata).
        reader_parameters: Option<TmplId>,
        /// The static members of `ItemReader.ReaderConfig` (`InputType`, `CSVHeaders`, …)
        /// as a JSON object.
        reader_config: Option<ConstId>,
        /// `ReaderConfig.MaxItems`.
        reader_max_items: Option<TmplId>,
        /// `ReaderConfig.MaxItemsPath`.
        reader_max_items_path: Option<ExprId>,
        /// `ResultWriter.Resource`.
        writer_resource: Option<StrId>,
        /// `ResultWriter.Parameters` (JSONPath) or `ResultWriter.Arguments` (JSONata).
        writer_parameters: Option<TmplId>,
        /// `ResultWriter.WriterConfig` (`OutputType`, `Transformation`) as a JSON object.
        writer_config: Option<ConstId>,
    }
}
