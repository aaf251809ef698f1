//! IR → [`Program`]: states renumbered scope by scope (each scope's states consecutive),
//! names and keys interned, literal values pooled, templates and choice rules flattened
//! children first.

use aslc_ir::ir::{self, Condition, Definition, Dyn, Number, PathOrNull, QueryLanguage, Template};
use aslc_syntax::{Node, NodeValue};
use rustc_hash::FxHashMap;
use serde_json::Value;

use crate::*;

/// Compiles a checked definition. The definition should have no check errors; `Err` says
/// what could not be compiled (an unknown state type, an unparsable path). `source` is the
/// text the definition's ranges point into, when known: states then carry their line and
/// column for listings and messages.
pub fn compile(def: &Definition, source: Option<&str>) -> Result<Program, String> {
    let mut c = Compiler {
        source: source.map(|text| (aslc_source::LineIndex::new(text), text)),
        ..Compiler::default()
    };
    // Number the scopes and states first, so transitions can point forward.
    let mut order = vec![def.root];
    let mut i = 0;
    while i < order.len() {
        let scope = def.scope(order[i]);
        for &sid in &scope.states {
            match &def.state(sid).kind {
                ir::StateKind::Parallel(p) => order.extend(p.branches.iter().copied()),
                ir::StateKind::Map(m) => order.extend(m.processor),
                _ => {}
            }
        }
        i += 1;
    }
    for (n, &scope) in order.iter().enumerate() {
        c.scope_ids.insert(scope, ScopeId(n as u32));
        for &sid in &def.scope(scope).states {
            let id = StateId(c.state_ids.len() as u32);
            c.state_ids.insert(sid, id);
        }
    }
    let mut states: Vec<Option<StateRec>> = vec![None; c.state_ids.len()];
    let mut next_state = 0u32;
    for &scope_id in &order {
        let scope = def.scope(scope_id);
        let start = scope.start_at.as_ref().and_then(|n| scope.lookup(&n.value)).map(|s| c.state_ids[&s]);
        let parent = scope.parent.and_then(|p| c.state_ids.get(&p).copied());
        let n = scope.states.len() as u32;
        c.tables.scopes.push(ScopeRec { start, parent, states: List::new(next_state, n) });
        next_state += n;
        for &sid in &scope.states {
            let rec = c.state(def, sid)?;
            states[c.state_ids[&sid].0 as usize] = Some(rec);
        }
    }
    c.tables.states =
        states.into_iter().map(|s| s.ok_or("a state was not compiled")).collect::<Result<_, _>>()?;
    let timeout = def.timeout_seconds.as_ref().map(|n| n.value.as_f64());
    let root = c.scope_ids[&def.root];
    c.tables.machines.push(MachineRec { root, language: language(def.query_language), timeout });
    Program::with_parsed(c.strings, c.consts, c.tables, c.parsed)
}

#[derive(Default)]
struct Compiler<'s> {
    source: Option<(aslc_source::LineIndex, &'s str)>,
    strings: Vec<Box<str>>,
    string_ids: FxHashMap<Box<str>, StrId>,
    consts: Vec<Value>,
    tables: Tables,
    /// Each expression record's parsed form, taken from the IR.
    parsed: Vec<Compiled>,
    state_ids: FxHashMap<ir::StateId, StateId>,
    scope_ids: FxHashMap<ir::ScopeId, ScopeId>,
}

fn language(l: QueryLanguage) -> Language {
    match l {
        QueryLanguage::JsonPath => Language::JsonPath,
        QueryLanguage::Jsonata => Language::Jsonata,
    }
}

/// The JSON value of a node. Numbers keep their value (`1.0` stays a float).
pub(crate) fn node_value(node: &Node) -> Value {
    match &node.value {
        NodeValue::Null => Value::Null,
        NodeValue::Bool(b) => Value::Bool(*b),
        NodeValue::Number(text) => number_value(text),
        NodeValue::String(s) => Value::String(s.text.to_string()),
        NodeValue::Array(items) => Value::Array(items.iter().map(node_value).collect()),
        NodeValue::Object(members) => {
            let mut map = serde_json::Map::with_capacity(members.len());
            for m in members {
                map.insert(m.key.text.to_string(), node_value(&m.value));
            }
            Value::Object(map)
        }
    }
}

fn number_value(text: &str) -> Value {
    if let Ok(n) = text.parse::<serde_json::Number>() {
        return Value::Number(n);
    }
    text.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(Value::Number).unwrap_or(Value::Null)
}

impl Compiler<'_> {
    fn intern(&mut self, s: &str) -> StrId {
        if let Some(&id) = self.string_ids.get(s) {
            return id;
        }
        let id = StrId(self.strings.len() as u32);
        self.strings.push(s.into());
        self.string_ids.insert(s.into(), id);
        id
    }

    fn constant(&mut self, value: Value) -> ConstId {
        let id = ConstId(self.consts.len() as u32);
        self.consts.push(value);
        id
    }

    fn expr(&mut self, e: &ir::Expr) -> Result<ExprId, String> {
        let parsed = match &e.query {
            ir::Query::Path(path) => Compiled::Path(path.clone()),
            ir::Query::Intrinsic(call) => Compiled::Intrinsic(call.clone()),
            ir::Query::Jsonata(expr) => Compiled::Jsonata(expr.clone()),
            _ => return Err(format!("`{}` is not a valid expression", e.text)),
        };
        let text = self.intern(&e.text);
        let id = ExprId(self.tables.exprs.len() as u32);
        self.tables.exprs.push(ExprRec { kind: parsed.kind(), text });
        self.parsed.push(parsed);
        Ok(id)
    }

    fn opt_expr(&mut self, e: Option<&ir::Expr>) -> Result<Option<ExprId>, String> {
        e.map(|e| self.expr(e)).transpose()
    }

    fn push_tmpl(&mut self, rec: TmplRec) -> TmplId {
        let id = TmplId(self.tables.templates.len() as u32);
        self.tables.templates.push(rec);
        id
    }

    fn const_tmpl(&mut self, value: Value) -> TmplId {
        let value = Some(self.constant(value));
        self.push_tmpl(TmplRec {
            kind: TmplKind::Const,
            value,
            expr: None,
            members: List::empty(),
            items: List::empty(),
        })
    }

    fn expr_tmpl(&mut self, e: &ir::Expr) -> Result<TmplId, String> {
        let expr = Some(self.expr(e)?);
        Ok(self.push_tmpl(TmplRec {
            kind: TmplKind::Expr,
            value: None,
            expr,
            members: List::empty(),
            items: List::empty(),
        }))
    }

    fn template(&mut self, t: &Template) -> Result<TmplId, String> {
        match t {
            Template::Literal(node) => Ok(self.const_tmpl(node_value(node))),
            Template::Dynamic(e) | Template::Jsonata(e) => self.expr_tmpl(e),
            Template::Object { members, .. } => {
                let mut children = Vec::with_capacity(members.len());
                for m in members {
                    let value = self.template(&m.value)?;
                    let key = self.intern(&m.output_key);
                    children.push(MemberRec { key, value });
                }
                let start = self.tables.members.len() as u32;
                let len = children.len() as u32;
                self.tables.members.extend(children);
                Ok(self.push_tmpl(TmplRec {
                    kind: TmplKind::Object,
                    value: None,
                    expr: None,
                    members: List::new(start, len),
                    items: List::empty(),
                }))
            }
            Template::Array { items, .. } => {
                let mut children = Vec::with_capacity(items.len());
                for item in items {
                    children.push(ItemRec { value: self.template(item)? });
                }
                let start = self.tables.items.len() as u32;
                let len = children.len() as u32;
                self.tables.items.extend(children);
                Ok(self.push_tmpl(TmplRec {
                    kind: TmplKind::Array,
                    value: None,
                    expr: None,
                    members: List::empty(),
                    items: List::new(start, len),
                }))
            }
        }
    }

    fn opt_template(&mut self, t: Option<&Template>) -> Result<Option<TmplId>, String> {
        t.map(|t| self.template(t)).transpose()
    }

    fn dyn_number(&mut self, d: Option<&Dyn<Number>>) -> Result<Option<TmplId>, String> {
        match d {
            None => Ok(None),
            Some(Dyn::Literal(n)) => Ok(Some(self.const_tmpl(number_value(n.value.text())))),
            Some(Dyn::Jsonata(e)) => Ok(Some(self.expr_tmpl(e)?)),
            Some(Dyn::Placeholder(n)) => Err(format!("`{}` is a deployment placeholder", n.value)),
        }
    }

    fn dyn_string(&mut self, d: Option<&Dyn<aslc_ir::ir::Text>>) -> Result<Option<TmplId>, String> {
        match d {
            None => Ok(None),
            Some(Dyn::Literal(s)) => Ok(Some(self.const_tmpl(Value::String(s.value.to_string())))),
            Some(Dyn::Jsonata(e)) => Ok(Some(self.expr_tmpl(e)?)),
            Some(Dyn::Placeholder(n)) => Err(format!("`{}` is a deployment placeholder", n.value)),
        }
    }

    fn path_field(&mut self, p: Option<&PathOrNull>) -> Result<(PathMode, Option<ExprId>), String> {
        match p {
            None => Ok((PathMode::Default, None)),
            Some(PathOrNull::Null(_)) => Ok((PathMode::Null, None)),
            Some(PathOrNull::Path(e)) => Ok((PathMode::Path, Some(self.expr(e)?))),
        }
    }

    fn assign(&mut self, a: Option<&ir::Assign>) -> Result<Option<TmplId>, String> {
        let Some(a) = a else { return Ok(None) };
        let mut children = Vec::with_capacity(a.vars.len());
        for var in &a.vars {
            let value = self.template(&var.value)?;
            let key = self.intern(&var.name);
            children.push(MemberRec { key, value });
        }
        let start = self.tables.members.len() as u32;
        let len = children.len() as u32;
        self.tables.members.extend(children);
        Ok(Some(self.push_tmpl(TmplRec {
            kind: TmplKind::Object,
            value: None,
            expr: None,
            members: List::new(start, len),
            items: List::empty(),
        })))
    }

    fn target(&self, def: &Definition, scope: ir::ScopeId, name: &str) -> Result<StateId, String> {
        def.scope(scope)
            .lookup(name)
            .and_then(|s| self.state_ids.get(&s).copied())
            .ok_or_else(|| format!("no state named `{name}`"))
    }

    fn error_names(&mut self, names: &[ir::Name]) -> List<ErrorNameId> {
        let start = self.tables.error_names.len() as u32;
        for n in names {
            let name = self.intern(&n.value);
            self.tables.error_names.push(ErrorNameRec { name });
        }
        List::new(start, names.len() as u32)
    }

    fn condition(&mut self, cond: &Condition) -> Result<CondId, String> {
        let rec = match cond {
            Condition::Compare { variable, op, operand, path, .. } => {
                let variable = Some(self.expr(variable.as_ref().ok_or("a comparison without `Variable`")?)?);
                let (operand, operand_path) = match path {
                    Some(p) => (None, Some(self.expr(p)?)),
                    None => (Some(self.constant(node_value(operand))), None),
                };
                CondRec {
                    kind: CondKind::Compare,
                    op: Some(*op),
                    variable,
                    operand,
                    operand_path,
                    children: List::empty(),
                    expr: None,
                }
            }
            Condition::And(_, list) | Condition::Or(_, list) => {
                let mut ids = Vec::with_capacity(list.len());
                for c in list {
                    ids.push(self.condition(c)?);
                }
                let children = self.children(ids);
                let kind = if matches!(cond, Condition::And(..)) { CondKind::And } else { CondKind::Or };
                CondRec {
                    kind,
                    op: None,
                    variable: None,
                    operand: None,
                    operand_path: None,
                    children,
                    expr: None,
                }
            }
            Condition::Not(_, inner) => {
                let id = self.condition(inner)?;
                let children = self.children(vec![id]);
                CondRec {
                    kind: CondKind::Not,
                    op: None,
                    variable: None,
                    operand: None,
                    operand_path: None,
                    children,
                    expr: None,
                }
            }
            Condition::Jsonata(t) => {
                let expr = Some(self.template(t)?);
                CondRec {
                    kind: CondKind::Jsonata,
                    op: None,
                    variable: None,
                    operand: None,
                    operand_path: None,
                    children: List::empty(),
                    expr,
                }
            }
            Condition::Invalid(_) => return Err("a malformed choice rule".into()),
        };
        let id = CondId(self.tables.conditions.len() as u32);
        self.tables.conditions.push(rec);
        Ok(id)
    }

    fn children(&mut self, ids: Vec<CondId>) -> List<CondChildId> {
        let start = self.tables.cond_children.len() as u32;
        let len = ids.len() as u32;
        self.tables.cond_children.extend(ids.into_iter().map(|condition| CondChildRec { condition }));
        List::new(start, len)
    }

    fn state(&mut self, def: &Definition, sid: ir::StateId) -> Result<StateRec, String> {
        let s = def.state(sid);
        let scope = s.scope;
        let next = match &s.transition {
            ir::Transition::Next(n) => Some(self.target(def, scope, &n.value)?),
            _ => None,
        };
        let (input_path_mode, input_path) = self.path_field(s.io.input_path.as_ref())?;
        let (output_path_mode, output_path) = self.path_field(s.io.output_path.as_ref())?;
        let (result_path_mode, result_path) = self.path_field(s.io.result_path.as_ref())?;
        let parameters = self.opt_template(s.io.parameters.as_ref())?;
        let result_selector = self.opt_template(s.io.result_selector.as_ref())?;
        let arguments = self.opt_template(s.io.arguments.as_ref())?;
        let output = self.opt_template(s.io.output.as_ref())?;
        let assign = self.assign(s.assign.as_ref())?;
        let mut retriers = Vec::new();
        for r in &s.errors.retry {
            let errors = self.error_names(&r.error_equals);
            let jitter = match r.jitter_strategy.as_ref().map(|j| &*j.value) {
                Some("FULL") => Jitter::Full,
                _ => Jitter::None,
            };
            retriers.push(RetrierRec {
                errors,
                interval: r.interval_seconds.as_ref().map_or(1.0, |n| n.value.as_f64()),
                max_attempts: r
                    .max_attempts
                    .as_ref()
                    .map_or(3, |n| n.value.as_f64().clamp(0.0, u32::MAX as f64) as u32),
                backoff: r.backoff_rate.as_ref().map_or(2.0, |n| n.value.as_f64()),
                max_delay: r.max_delay_seconds.as_ref().map(|n| n.value.as_f64()),
                jitter,
            });
        }
        let retry = List::new(self.tables.retriers.len() as u32, retriers.len() as u32);
        self.tables.retriers.extend(retriers);
        let mut catchers = Vec::new();
        for c in &s.errors.catch {
            let errors = self.error_names(&c.error_equals);
            let next = self.target(def, scope, c.next.as_ref().map_or("", |n| &n.value))?;
            let (result_path_mode, result_path) = self.path_field(c.result_path.as_ref())?;
            let output = self.opt_template(c.output.as_ref())?;
            let assign = self.assign(c.assign.as_ref())?;
            catchers.push(CatcherRec { errors, next, result_path_mode, result_path, output, assign });
        }
        let catch = List::new(self.tables.catchers.len() as u32, catchers.len() as u32);
        self.tables.catchers.extend(catchers);
        let name = self.intern(&s.name.value);
        let mut rec = StateRec {
            name,
            kind: StateKind::Pass,
            scope: self.scope_ids[&scope],
            language: language(s.query_language),
            next,
            input_path_mode,
            input_path,
            output_path_mode,
            output_path,
            result_path_mode,
            result_path,
            parameters,
            result_selector,
            result: None,
            arguments,
            output,
            assign,
            retry,
            catch,
            task: None,
            choice: None,
            wait: None,
            fail: None,
            parallel: None,
            map: None,
            source_start: s.range.start(),
            source_end: s.range.end(),
            source_line: 0,
            source_column: 0,
        };
        if let Some((lines, text)) = &self.source {
            let at = lines.line_col(text, s.range.start());
            rec.source_line = at.line;
            rec.source_column = at.column;
        }
        match &s.kind {
            ir::StateKind::Pass(p) => {
                rec.kind = StateKind::Pass;
                rec.result = p.result.as_ref().map(|n| self.constant(node_value(n)));
            }
            ir::StateKind::Succeed => rec.kind = StateKind::Succeed,
            ir::StateKind::Task(t) => {
                rec.kind = StateKind::Task;
                let resource = self.intern(t.resource.as_ref().map_or("", |r| &r.value));
                let timeout = self.dyn_number(t.timeout_seconds.as_ref())?;
                let timeout_path = self.opt_expr(t.timeout_seconds_path.as_ref())?;
                let heartbeat = self.dyn_number(t.heartbeat_seconds.as_ref())?;
                let heartbeat_path = self.opt_expr(t.heartbeat_seconds_path.as_ref())?;
                let credentials = match &t.credentials {
                    Some(c) => Some(self.template(&c.object)?),
                    None => None,
                };
                rec.task = Some(TaskId(self.tables.tasks.len() as u32));
                self.tables.tasks.push(TaskRec {
                    resource,
                    timeout,
                    timeout_path,
                    heartbeat,
                    heartbeat_path,
                    credentials,
                });
            }
            ir::StateKind::Choice(ch) => {
                rec.kind = StateKind::Choice;
                let mut rules = Vec::new();
                for r in &ch.choices {
                    let condition = self.condition(&r.condition)?;
                    let next = self.target(def, scope, r.next.as_ref().map_or("", |n| &n.value))?;
                    let assign = self.assign(r.assign.as_ref())?;
                    let output = self.opt_template(r.output.as_ref())?;
                    rules.push(RuleRec { condition, next, assign, output });
                }
                let list = List::new(self.tables.rules.len() as u32, rules.len() as u32);
                self.tables.rules.extend(rules);
                let default = match &ch.default {
                    Some(n) => Some(self.target(def, scope, &n.value)?),
                    None => None,
                };
                rec.choice = Some(ChoiceId(self.tables.choices.len() as u32));
                self.tables.choices.push(ChoiceRec { rules: list, default });
            }
            ir::StateKind::Wait(w) => {
                rec.kind = StateKind::Wait;
                let seconds = self.dyn_number(w.seconds.as_ref())?;
                let seconds_path = self.opt_expr(w.seconds_path.as_ref())?;
                let timestamp = self.dyn_string(w.timestamp.as_ref())?;
                let timestamp_path = self.opt_expr(w.timestamp_path.as_ref())?;
                rec.wait = Some(WaitId(self.tables.waits.len() as u32));
                self.tables.waits.push(WaitRec { seconds, seconds_path, timestamp, timestamp_path });
            }
            ir::StateKind::Fail(f) => {
                rec.kind = StateKind::Fail;
                let error = self.dyn_string(f.error.as_ref())?;
                let error_path = self.opt_expr(f.error_path.as_ref())?;
                let cause = self.dyn_string(f.cause.as_ref())?;
                let cause_path = self.opt_expr(f.cause_path.as_ref())?;
                rec.fail = Some(FailId(self.tables.fails.len() as u32));
                self.tables.fails.push(FailRec { error, error_path, cause, cause_path });
            }
            ir::StateKind::Parallel(p) => {
                rec.kind = StateKind::Parallel;
                let start = self.tables.branches.len() as u32;
                for b in &p.branches {
                    let scope = self.scope_ids[b];
                    self.tables.branches.push(BranchRec { scope });
                }
                rec.parallel = Some(ParallelId(self.tables.parallels.len() as u32));
                self.tables
                    .parallels
                    .push(ParallelRec { branches: List::new(start, p.branches.len() as u32) });
            }
            ir::StateKind::Map(m) => {
                rec.kind = StateKind::Map;
                let processor = m
                    .processor
                    .and_then(|p| self.scope_ids.get(&p).copied())
                    .ok_or("a Map state without a processor")?;
                let distributed = m.is_distributed(def);
                let items_path = self.opt_expr(m.items_path.as_ref())?;
                let items = self.opt_template(m.items.as_ref())?;
                let item_selector = match &m.item_selector {
                    Some(t) => Some(self.template(t)?),
                    None => rec.parameters.take(),
                };
                let max_concurrency = self.dyn_number(m.max_concurrency.as_ref())?;
                let max_concurrency_path = self.opt_expr(m.max_concurrency_path.as_ref())?;
                let tolerated_count = self.dyn_number(m.tolerated_failure_count.as_ref())?;
                let tolerated_count_path = self.opt_expr(m.tolerated_failure_count_path.as_ref())?;
                let tolerated_percentage = self.dyn_number(m.tolerated_failure_percentage.as_ref())?;
                let tolerated_percentage_path =
                    self.opt_expr(m.tolerated_failure_percentage_path.as_ref())?;
                let mut batcher = (None, None, None, None, None);
                if let Some(b) = &m.item_batcher {
                    batcher = (
                        self.dyn_number(b.max_items_per_batch.as_ref())?,
                        self.opt_expr(b.max_items_per_batch_path.as_ref())?,
                        self.dyn_number(b.max_input_bytes_per_batch.as_ref())?,
                        self.opt_expr(b.max_input_bytes_per_batch_path.as_ref())?,
                        self.opt_template(b.batch_input.as_ref())?,
                    );
                }
                let (
                    batch_max_items,
                    batch_max_items_path,
                    batch_max_bytes,
                    batch_max_bytes_path,
                    batch_input,
                ) = batcher;
                let label = m.label.as_ref().map(|l| self.intern(&l.value));
                let mut reader = (None, None, None, None, None);
                if let Some(r) = &m.item_reader {
                    reader.0 = r.resource.as_ref().map(|n| self.intern(&n.value));
                    reader.1 = self.opt_template(r.parameters.as_ref().or(r.arguments.as_ref()))?;
                    if let Some(c) = &r.reader_config {
                        let mut config = serde_json::Map::new();
                        let names = [
                            ("InputType", &c.input_type),
                            ("CSVHeaderLocation", &c.csv_header_location),
                            ("CSVDelimiter", &c.csv_delimiter),
                            ("ManifestType", &c.manifest_type),
                            ("Transformation", &c.transformation),
                            ("ItemsPointer", &c.items_pointer),
                        ];
                        for (key, name) in names {
                            if let Some(n) = name {
                                config.insert(key.into(), Value::String(n.value.to_string()));
                            }
                        }
                        if let Some(headers) = &c.csv_headers {
                            let list =
                                headers.value.iter().map(|h| Value::String(h.value.to_string())).collect();
                            config.insert("CSVHeaders".into(), Value::Array(list));
                        }
                        reader.2 = Some(self.constant(Value::Object(config)));
                        reader.3 = self.dyn_number(c.max_items.as_ref())?;
                        reader.4 = self.opt_expr(c.max_items_path.as_ref())?;
                    }
                }
                let mut writer = (None, None, None);
                if let Some(w) = &m.result_writer {
                    writer.0 = w.resource.as_ref().map(|n| self.intern(&n.value));
                    writer.1 = self.opt_template(w.parameters.as_ref().or(w.arguments.as_ref()))?;
                    if let Some(c) = &w.writer_config {
                        let mut config = serde_json::Map::new();
                        for (key, name) in
                            [("OutputType", &c.output_type), ("Transformation", &c.transformation)]
                        {
                            if let Some(n) = name {
                                config.insert(key.into(), Value::String(n.value.to_string()));
                            }
                        }
                        writer.2 = Some(self.constant(Value::Object(config)));
                    }
                }
                let (
                    reader_resource,
                    reader_parameters,
                    reader_config,
                    reader_max_items,
                    reader_max_items_path,
                ) = reader;
                let (writer_resource, writer_parameters, writer_config) = writer;
                rec.map = Some(MapId(self.tables.maps.len() as u32));
                self.tables.maps.push(MapRec {
                    processor,
                    distributed,
                    items_path,
                    items,
                    item_selector,
                    max_concurrency,
                    max_concurrency_path,
                    tolerated_count,
                    tolerated_count_path,
                    tolerated_percentage,
                    tolerated_percentage_path,
                    batch_max_items,
                    batch_max_items_path,
                    batch_max_bytes,
                    batch_max_bytes_path,
                    batch_input,
                    label,
                    reader_resource,
                    reader_parameters,
                    reader_config,
                    reader_max_items,
                    reader_max_items_path,
                    writer_resource,
                    writer_parameters,
                    writer_config,
                });
            }
            ir::StateKind::Invalid => return Err(format!("state `{}` has no valid `Type`", s.name.value)),
        }
        Ok(rec)
    }
}
