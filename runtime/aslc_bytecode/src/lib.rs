//! The compiled form of a state machine, the `.aslb` file format, its verifier and its
//! disassembler.
//!
//! ```text
//! Definition (IR) ──compile──▶ Program ──encode──▶ .aslb bytes ──decode + verify──▶ Program
//! ```
//! A [`Program`] is flat: interned strings, a constant pool, expressions (paths, intrinsic
//! calls and JSONata strings, parsed once at load), and one table per record kind
//! (states, templates, choice conditions, retriers, …) referring to each other by `u32`
//! index. The record kinds are declared once, in `tables.rs`; the encoder, decoder,
//! verifier and disassembler are generated from that declaration.
//!
//! A loaded program has been verified: every index is in range and every expression parses,
//! so the VM may index tables without checks failing on user data.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

pub mod codec;
mod compile;
mod tables;

use std::fmt::Write as _;

use aslc_query::intrinsic::Call;
use aslc_query::jsonpath::Path;
use serde_json::Value;

pub use codec::DecodeError;
pub use compile::compile;
pub use tables::*;

/// The magic bytes a `.aslb` file starts with.
pub const MAGIC: &[u8; 4] = b"ASLB";

/// The format version this build writes and reads. Bump it whenever `tables.rs` changes.
pub const FORMAT_VERSION: u16 = 3;

/// How deep templates and choice conditions may nest: far beyond what the JSON reader lets
/// a definition express, and far from the stack limit of the VM's recursive evaluation.
pub const MAX_NESTING: u32 = 512;

/// An expression of [`Program::exprs`], parsed.
#[derive(Clone, Debug)]
pub enum Compiled {
    /// A JSONPath path.
    Path(Box<Path>),
    /// An intrinsic function call.
    Intrinsic(Box<Call>),
    /// A JSONata expression (the text between `{%` and `%}`).
    Jsonata(Box<aslc_query::jsonata::Expr>),
}

impl Compiled {
    /// The kind of expression this is.
    pub fn kind(&self) -> ExprKind {
        match self {
            Compiled::Path(_) => ExprKind::Path,
            Compiled::Intrinsic(_) => ExprKind::Intrinsic,
            Compiled::Jsonata(_) => ExprKind::Jsonata,
        }
    }
}

/// A compiled state machine.
#[derive(Clone, Debug)]
pub struct Program {
    /// Interned strings: state names, keys, resources, error names, expression texts.
    pub strings: Vec<Box<str>>,
    /// The constant pool: literal JSON values.
    pub consts: Vec<Value>,
    /// The record tables.
    pub tables: Tables,
    /// One parsed expression per entry of [`Tables::exprs`].
    pub compiled: Vec<Compiled>,
}

impl Program {
    /// The machine record. Invariant (checked by [`Program::verify`]): there is exactly one.
    pub fn machine(&self) -> &MachineRec {
        &self.tables.machines[0]
    }

    /// The string `id`.
    pub fn str(&self, id: StrId) -> &str {
        &self.strings[id.0 as usize]
    }

    /// The constant `id`.
    pub fn constant(&self, id: ConstId) -> &Value {
        &self.consts[id.0 as usize]
    }

    /// The state `id`.
    pub fn state(&self, id: StateId) -> &StateRec {
        &self.tables.states[id.0 as usize]
    }

    /// The name of state `id`.
    pub fn state_name(&self, id: StateId) -> &str {
        self.str(self.state(id).name)
    }

    /// The scope `id`.
    pub fn scope(&self, id: ScopeId) -> &ScopeRec {
        &self.tables.scopes[id.0 as usize]
    }

    /// The template `id`.
    pub fn template(&self, id: TmplId) -> &TmplRec {
        &self.tables.templates[id.0 as usize]
    }

    /// The parsed expression `id`.
    pub fn expr(&self, id: ExprId) -> &Compiled {
        &self.compiled[id.0 as usize]
    }

    /// The source text of expression `id`.
    pub fn expr_text(&self, id: ExprId) -> &str {
        self.str(self.tables.exprs[id.0 as usize].text)
    }

    /// Writes the program as `.aslb` bytes: magic, version, checksum of the body, body.
    pub fn encode(&self) -> Vec<u8> {
        let mut body = codec::Writer::default();
        body.u32(self.strings.len() as u32);
        for s in &self.strings {
            body.str(s);
        }
        body.u32(self.consts.len() as u32);
        for value in &self.consts {
            body.str(&value.to_string());
        }
        self.tables.encode(&mut body);
        let mut out = codec::Writer::default();
        out.bytes.extend_from_slice(MAGIC);
        out.u16(FORMAT_VERSION);
        out.u64(codec::checksum(&body.bytes));
        out.bytes.extend_from_slice(&body.bytes);
        out.bytes
    }

    /// Reads and verifies `.aslb` bytes.
    pub fn decode(bytes: &[u8]) -> Result<Program, DecodeError> {
        let mut r = codec::Reader::new(bytes);
        let magic = r.u32().map_err(|_| DecodeError::BadMagic)?;
        if magic.to_le_bytes() != *MAGIC {
            return Err(DecodeError::BadMagic);
        }
        let version = r.u16()?;
        if version != FORMAT_VERSION {
            return Err(DecodeError::WrongVersion { found: version, expected: FORMAT_VERSION });
        }
        let sum = r.u64()?;
        let body = &bytes[r.pos..];
        if codec::checksum(body) != sum {
            return Err(DecodeError::BadChecksum);
        }
        let mut r = codec::Reader::new(body);
        let n = r.table_len()?;
        let mut strings = Vec::with_capacity(n);
        for _ in 0..n {
            strings.push(r.str()?);
        }
        let n = r.table_len()?;
        let mut consts = Vec::with_capacity(n);
        for _ in 0..n {
            let at = r.pos;
            let text = r.str()?;
            let value =
                serde_json::from_str(&text).map_err(|_| DecodeError::Malformed { what: "constant", at })?;
            consts.push(value);
        }
        let tables = Tables::decode(&mut r)?;
        if r.remaining() > 0 {
            return Err(DecodeError::TrailingBytes(r.remaining()));
        }
        Program::load(strings, consts, tables).map_err(DecodeError::Invalid)
    }

    /// Builds a program from its tables and the expressions the compiler already holds
    /// parsed, `parsed[i]` being `exprs[i]`'s (the IR keeps every expression parsed, with the
    /// same parsers [`Program::load`] uses): verified as `load` verifies, without parsing
    /// the texts again.
    pub(crate) fn with_parsed(
        strings: Vec<Box<str>>,
        consts: Vec<Value>,
        tables: Tables,
        parsed: Vec<Compiled>,
    ) -> Result<Program, String> {
        Program::assemble(strings, consts, tables, |program| {
            let matches = parsed.len() == program.tables.exprs.len()
                && parsed.iter().zip(&program.tables.exprs).all(|(c, rec)| c.kind() == rec.kind);
            if matches {
                Ok(parsed)
            } else {
                Err("the parsed expressions do not match the expression records".into())
            }
        })
    }

    /// Builds a program from its tables: parses every expression and verifies the whole.
    pub fn load(strings: Vec<Box<str>>, consts: Vec<Value>, tables: Tables) -> Result<Program, String> {
        Program::assemble(strings, consts, tables, Program::parse_exprs)
    }

    /// Verifies the tables, takes the parsed expressions from `exprs` (given the program
    /// whose tables are verified) and verifies the whole.
    fn assemble(
        strings: Vec<Box<str>>,
        consts: Vec<Value>,
        tables: Tables,
        exprs: impl FnOnce(&Program) -> Result<Vec<Compiled>, String>,
    ) -> Result<Program, String> {
        let mut program = Program { strings, consts, tables, compiled: Vec::new() };
        program.tables.verify(&program)?;
        program.compiled = exprs(&program)?;
        program.verify_shape()?;
        Ok(program)
    }

    /// Parses the text of every expression record, as its kind says.
    fn parse_exprs(&self) -> Result<Vec<Compiled>, String> {
        let mut compiled = Vec::with_capacity(self.tables.exprs.len());
        for (i, rec) in self.tables.exprs.iter().enumerate() {
            let text = self.str(rec.text);
            let parsed = match rec.kind {
                ExprKind::Path => {
                    aslc_query::jsonpath::parse_path(text).map(|p| Compiled::Path(Box::new(p))).ok()
                }
                ExprKind::Intrinsic => aslc_query::intrinsic::parse_intrinsic(text)
                    .map(|c| Compiled::Intrinsic(Box::new(c)))
                    .ok(),
                ExprKind::Jsonata => aslc_query::jsonata::jsonata_template(text)
                    .and_then(|t| t.parse(text).ok())
                    .map(|e| Compiled::Jsonata(Box::new(e))),
            };
            match parsed {
                Some(c) => compiled.push(c),
                None => return Err(format!("exprs[{i}]: `{text}` does not parse as a {}", rec.kind.name())),
            }
        }
        Ok(compiled)
    }

    /// Invariants across records that index checks alone do not give.
    fn verify_shape(&self) -> Result<(), String> {
        if self.tables.machines.len() != 1 {
            return Err("the program must hold exactly one machine record".into());
        }
        for (i, state) in self.tables.states.iter().enumerate() {
            let ok = match state.kind {
                StateKind::Task => state.task.is_some(),
                StateKind::Choice => state.choice.is_some(),
                StateKind::Wait => state.wait.is_some(),
                StateKind::Fail => state.fail.is_some(),
                StateKind::Parallel => state.parallel.is_some(),
                StateKind::Map => state.map.is_some(),
                StateKind::Pass | StateKind::Succeed => true,
            };
            if !ok {
                return Err(format!("states[{i}]: a {} state without its fields", state.kind.name()));
            }
            for (mode, path) in [
                (state.input_path_mode, state.input_path),
                (state.output_path_mode, state.output_path),
                (state.result_path_mode, state.result_path),
            ] {
                if (mode == PathMode::Path) != path.is_some() {
                    return Err(format!("states[{i}]: a path field without its path"));
                }
            }
        }
        // Children come before parents, so one pass gives every node's depth; the VM
        // evaluates templates and conditions recursively, so depth is bounded here.
        let mut depth = vec![0u32; self.tables.templates.len()];
        for (i, t) in self.tables.templates.iter().enumerate() {
            let children = t
                .members
                .iter()
                .map(|m| self.tables.members[m.0 as usize].value)
                .chain(t.items.iter().map(|it| self.tables.items[it.0 as usize].value));
            let below =
                children.filter(|c| (c.0 as usize) < i).map(|c| depth[c.0 as usize]).max().unwrap_or(0);
            depth[i] = below + 1;
            if depth[i] > MAX_NESTING {
                return Err(format!("templates[{i}]: nested deeper than {MAX_NESTING}"));
            }
        }
        for (i, t) in self.tables.templates.iter().enumerate() {
            let ok = match t.kind {
                TmplKind::Const => t.value.is_some(),
                TmplKind::Expr => t.expr.is_some(),
                TmplKind::Object | TmplKind::Array => true,
            };
            if !ok {
                return Err(format!("templates[{i}]: a {} node without its payload", t.kind.name()));
            }
            // Children always come before their parent, so evaluation cannot loop.
            let below = |child: TmplId| child.0 < i as u32;
            if !t.members.iter().all(|m| below(self.tables.members[m.0 as usize].value))
                || !t.items.iter().all(|it| below(self.tables.items[it.0 as usize].value))
            {
                return Err(format!("templates[{i}]: a child does not precede its parent"));
            }
        }
        let mut depth = vec![0u32; self.tables.conditions.len()];
        for (i, c) in self.tables.conditions.iter().enumerate() {
            let below = c
                .children
                .iter()
                .map(|k| self.tables.cond_children[k.0 as usize].condition)
                .filter(|c| (c.0 as usize) < i)
                .map(|c| depth[c.0 as usize])
                .max()
                .unwrap_or(0);
            depth[i] = below + 1;
            if depth[i] > MAX_NESTING {
                return Err(format!("conditions[{i}]: nested deeper than {MAX_NESTING}"));
            }
        }
        for (i, c) in self.tables.conditions.iter().enumerate() {
            let ok = match c.kind {
                CondKind::Compare => c.op.is_some() && c.variable.is_some(),
                CondKind::And | CondKind::Or => true,
                CondKind::Not => c.children.len == 1,
                CondKind::Jsonata => c.expr.is_some(),
            };
            let below =
                c.children.iter().all(|k| self.tables.cond_children[k.0 as usize].condition.0 < i as u32);
            if !ok || !below {
                return Err(format!("conditions[{i}]: a malformed {} condition", c.kind.name()));
            }
        }
        for (i, scope) in self.tables.scopes.iter().enumerate() {
            if scope.parent.is_none() != (i == 0) {
                return Err(format!("scopes[{i}]: only the first scope is the top level"));
            }
        }
        Ok(())
    }

    /// The listing of `aslc disasm`: header, then every table, one record per line.
    pub fn disasm(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "; aslc bytecode, format version {FORMAT_VERSION}");
        let _ = writeln!(
            out,
            "; {} states, {} scopes, {} strings, {} constants, {} expressions",
            self.tables.states.len(),
            self.tables.scopes.len(),
            self.strings.len(),
            self.consts.len(),
            self.tables.exprs.len()
        );
        self.tables.disasm(self, &mut out);
        out
    }

    /// In listings, a state id is followed by the state's name.
    pub(crate) fn annotate_id(&self, table: &str, index: u32, out: &mut String) {
        if table == "states" {
            if let Some(state) = self.tables.states.get(index as usize) {
                if let Some(name) = self.strings.get(state.name.0 as usize) {
                    let _ = write!(out, "({name})");
                }
            }
        }
    }

    /// In listings, a state record ends with its source location.
    pub(crate) fn annotate_record(&self, table: &str, index: usize, out: &mut String) {
        if table == "states" {
            if let Some(state) = self.tables.states.get(index) {
                if state.source_line > 0 {
                    let _ = write!(out, "  ; line {}:{}", state.source_line, state.source_column);
                } else {
                    let _ = write!(out, "  ; bytes {}..{}", state.source_start, state.source_end);
                }
            }
        }
    }
}
