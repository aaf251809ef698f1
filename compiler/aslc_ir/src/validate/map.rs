//! Map states (states.md §9, runtime-map-parallel.md §2–§4): concurrency and tolerance
//! ranges, literal/`…Path` pairs, `ProcessorConfig` values, the Distributed Map objects
//! (`ItemReader`, `ItemBatcher`, `ResultWriter`), labels, and the lints on deprecated
//! spellings and distributed-only fields on inline maps.
//!
//! Whether the `…Path` values are reference paths (`R-MAP-REFPATH`) is a path-syntax check
//! and lives with the path parser.

use aslc_source::{Diagnostic, Severity, TextRange};
use rustc_hash::FxHashMap;

use super::resource::{self, Integration, Pattern, Resource};
use crate::ir::{
    has_placeholder, Definition, Dyn, Expr, ItemBatcher, ItemReader, Map, Name, Number, ResultWriter,
    ScopeKind, State, StateKind,
};
use crate::rules::declare_rules;

declare_rules! { @spec "runtime-map-parallel.md";
    /// ## What it does
    /// Reports a literal `MaxConcurrency` that is not an integer ≥ 0.
    ///
    /// ## Why is this bad?
    /// AWS answers `Minimum value is 0`; `0` already means "no limit".
    ///
    /// ## Example
    /// ```json
    /// "MaxConcurrency": -1
    /// ```
    /// ## Use instead
    /// `"MaxConcurrency": 0` for no limit, or a positive bound.
    R_MAP_MAXCONC = "R-MAP-MAXCONC", Error, Some("SCHEMA_VALIDATION_FAILED"), "`MaxConcurrency` is an integer ≥ 0";
    /// ## What it does
    /// Reports a field given both literally and as its `…Path` twin: `MaxConcurrency`,
    /// `ToleratedFailureCount`, `ToleratedFailurePercentage`, `ReaderConfig.MaxItems`,
    /// `ItemBatcher.MaxItemsPerBatch`, `ItemBatcher.MaxInputBytesPerBatch`.
    ///
    /// ## Why is this bad?
    /// The value is either fixed or read from the input; AWS answers `There should only be
    /// one of the following fields: [MaxItems, MaxItemsPath]`.
    ///
    /// ## Example
    /// ```json
    /// "ToleratedFailureCount": 0, "ToleratedFailureCountPath": "$.tolerance"
    /// ```
    /// ## Use instead
    /// Keep one of them.
    R_MAP_PATH_EXCL = "R-MAP-PATH-EXCL", Error, Some("SCHEMA_VALIDATION_FAILED"), "not both a Map field and its `…Path` twin";
    /// ## What it does
    /// Reports an `ItemReader` whose `Resource` is missing or is not
    /// `arn:<partition>:states:::s3:getObject` or `…:s3:listObjectsV2`.
    ///
    /// ## Why is this bad?
    /// Those are the two item sources a Distributed Map reads; AWS rejects others.
    ///
    /// ## Example
    /// ```json
    /// "ItemReader": { "Resource": "arn:aws:states:::s3:listObjects", "Parameters": { "Bucket": "b" } }
    /// ```
    /// ## Use instead
    /// ```json
    /// "ItemReader": { "Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": { "Bucket": "b" } }
    /// ```
    R_DMAP_READER_RES = "R-DMAP-READER-RES", Error, Some("SCHEMA_VALIDATION_FAILED"), "`ItemReader.Resource` is `s3:getObject` or `s3:listObjectsV2`";
    /// ## What it does
    /// Reports an `s3:getObject` reader without `ReaderConfig.InputType`, and an
    /// `InputType`, `CSVDelimiter`, `ManifestType` or `Transformation` outside its values.
    ///
    /// ## Why is this bad?
    /// The reader must know how to parse the object; AWS rejects unknown values.
    ///
    /// ## Example
    /// ```json
    /// "ItemReader": { "Resource": "arn:aws:states:::s3:getObject", "Parameters": { "Bucket": "b", "Key": "k.csv" } }
    /// ```
    /// ## Use instead
    /// ```json
    /// "ItemReader": { "Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": { "InputType": "CSV" },
    ///                 "Parameters": { "Bucket": "b", "Key": "k.csv" } }
    /// ```
    R_DMAP_READER_TYPE = "R-DMAP-READER-TYPE", Error, Some("SCHEMA_VALIDATION_FAILED"), "`ReaderConfig.InputType` is given for `getObject`, and reader enums hold known values";
    /// ## What it does
    /// Reports `"CSVHeaderLocation": "GIVEN"` without a non-empty `CSVHeaders`,
    /// `CSVHeaders` without `GIVEN`, CSV fields without `"InputType": "CSV"`, and a
    /// `CSVHeaderLocation` other than `FIRST_ROW` or `GIVEN`.
    ///
    /// ## Why is this bad?
    /// The column names come either from the first row or from `CSVHeaders`; a mismatch
    /// leaves the reader without headers or ignores the given ones.
    ///
    /// ## Example
    /// ```json
    /// "ReaderConfig": { "InputType": "CSV", "CSVHeaderLocation": "GIVEN" }
    /// ```
    /// ## Use instead
    /// ```json
    /// "ReaderConfig": { "InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["id", "name"] }
    /// ```
    R_DMAP_CSV_HEADERS = "R-DMAP-CSV-HEADERS", Error, Some("SCHEMA_VALIDATION_FAILED"), "CSV headers are given exactly when `CSVHeaderLocation` is `GIVEN`";
    /// ## What it does
    /// Reports a literal `ReaderConfig.MaxItems` that is not an integer in
    /// 0 … 100,000,000.
    ///
    /// ## Why is this bad?
    /// AWS answers `Maximum value is 100000000` (or `Minimum value is 0`).
    ///
    /// ## Use instead
    /// `0` (no limit) or a count up to 100,000,000.
    R_DMAP_MAXITEMS = "R-DMAP-MAXITEMS", Error, Some("SCHEMA_VALIDATION_FAILED"), "`MaxItems` is an integer in 0 … 100,000,000";
    /// ## What it does
    /// Reports an `ItemBatcher` with no batch size (`MaxItemsPerBatch`,
    /// `MaxInputBytesPerBatch` or their `…Path` forms), a `MaxItemsPerBatch` below 1, or a
    /// `MaxInputBytesPerBatch` outside 1 … 262,144.
    ///
    /// ## Why is this bad?
    /// A batcher needs a limit to cut batches at, and a batch is one child's input, which
    /// cannot exceed 256 KiB.
    ///
    /// ## Example
    /// ```json
    /// "ItemBatcher": { "BatchInput": { "run": 1 } }
    /// ```
    /// ## Use instead
    /// ```json
    /// "ItemBatcher": { "MaxItemsPerBatch": 100, "BatchInput": { "run": 1 } }
    /// ```
    R_DMAP_BATCH = "R-DMAP-BATCH", Error, Some("SCHEMA_VALIDATION_FAILED"), "an `ItemBatcher` has a valid batch size";
    /// ## What it does
    /// Reports an empty `ResultWriter`, a `Resource` other than
    /// `arn:<partition>:states:::s3:putObject`, a `Resource` without `Parameters`/
    /// `Arguments` (or the reverse), a `WriterConfig` without `OutputType`, and unknown
    /// `OutputType`/`Transformation` values.
    ///
    /// ## Why is this bad?
    /// AWS rejects these; results can only be written to S3 with a bucket and prefix, in
    /// `JSON` or `JSONL`.
    ///
    /// ## Example
    /// ```json
    /// "ResultWriter": { "WriterConfig": {} }
    /// ```
    /// ## Use instead
    /// ```json
    /// "ResultWriter": { "WriterConfig": { "OutputType": "JSONL" } }
    /// ```
    R_DMAP_WRITER = "R-DMAP-WRITER", Error, Some("SCHEMA_VALIDATION_FAILED"), "`ResultWriter` is an S3 `putObject` writer with valid `WriterConfig`";
    /// ## What it does
    /// Reports a literal `ToleratedFailurePercentage` outside 0 … 100, or a
    /// `ToleratedFailureCount` that is not an integer ≥ 0.
    ///
    /// ## Why is this bad?
    /// AWS answers `Minimum value is 0.0`, `Maximum value is 100.0` or
    /// `Minimum value is 0`.
    ///
    /// ## Example
    /// ```json
    /// "ToleratedFailurePercentage": 150
    /// ```
    /// ## Use instead
    /// `"ToleratedFailurePercentage": 100` to tolerate every failure.
    R_DMAP_TOLERATED = "R-DMAP-TOLERATED", Error, Some("SCHEMA_VALIDATION_FAILED"), "failure tolerances are within range";
    /// ## What it does
    /// Reports a Map `Label` that is empty, longer than 40 characters, or contains
    /// whitespace, control characters or one of ``? * < > { } [ ] : ; , \ | ^ ~ $ # % & ` "``.
    ///
    /// ## Why is this bad?
    /// The label becomes part of the Map Run and child execution ARNs; AWS rejects the
    /// definition (`Label contains invalid character: '…'`).
    ///
    /// ## Example
    /// ```json
    /// "Label": "process {orders}"
    /// ```
    /// ## Use instead
    /// ```json
    /// "Label": "process-orders"
    /// ```
    R_MAP_LABEL = "R-MAP-LABEL", Error, Some("INVALID_LABEL_NAME"), "a `Label` is 1 … 40 characters from the allowed set";
    /// ## What it does
    /// Reports two Map states with the same `Label`.
    ///
    /// ## Why is this bad?
    /// Labels name Map Runs; AWS requires them unique in a definition
    /// (`DUPLICATE_LABEL_NAME`).
    ///
    /// ## Use instead
    /// Give each Map its own label.
    R_MAP_LABEL_UNIQUE = "R-MAP-LABEL-UNIQUE", Error, Some("DUPLICATE_LABEL_NAME"), "a `Label` is unique within the definition";
    /// ## What it does
    /// Warns about a Distributed Map whose `ProcessorConfig` has no `ExecutionType`.
    ///
    /// ## Why is this bad?
    /// Every Distributed Map published by AWS sets it, and whether AWS requires it is not
    /// known; the child workflow type should be a deliberate choice.
    ///
    /// ## Use instead
    /// `"ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" }`.
    R_DMAP_EXECTYPE = "R-DMAP-EXECTYPE", Warn, None, "a Distributed Map says which `ExecutionType` its children are";
    @spec "states.md";
    /// ## What it does
    /// Reports a `ProcessorConfig.Mode` other than `INLINE` or `DISTRIBUTED`, or an
    /// `ExecutionType` other than `STANDARD` or `EXPRESS`.
    ///
    /// ## Why is this bad?
    /// AWS knows only those values (case-sensitive); a misspelt `DISTRIBUTED` would not
    /// run the processor as child executions.
    ///
    /// ## Example
    /// ```json
    /// "ProcessorConfig": { "Mode": "Distributed" }
    /// ```
    /// ## Use instead
    /// ```json
    /// "ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" }
    /// ```
    ST_MAP_PROCESSOR_CONFIG = "ST-MAP-PROCESSOR-CONFIG", Error, Some("SCHEMA_VALIDATION_FAILED"), "`ProcessorConfig` values are known";
    /// ## What it does
    /// Warns about `ItemReader`, `ItemBatcher`, `ResultWriter`, `Label` and the
    /// `ToleratedFailure…` fields on a Map that is not `DISTRIBUTED`.
    ///
    /// ## Why is this bad?
    /// They configure Distributed Map runs; on an inline Map they have no documented
    /// effect. Whether AWS rejects them there is not yet known.
    ///
    /// ## Example
    /// ```json
    /// "M": { "Type": "Map", "Label": "orders", "ItemProcessor": { "StartAt": "P", "States": { … } }, "End": true }
    /// ```
    /// ## Use instead
    /// Remove the field, or make the Map distributed with
    /// `"ProcessorConfig": { "Mode": "DISTRIBUTED", "ExecutionType": "STANDARD" }`.
    ST_MAP_DIST_FIELDS = "ST-MAP-DIST-FIELDS", Warn, None, "distributed-only fields only on a Distributed Map";
    /// ## What it does
    /// Notes a Map that uses `Iterator`, the deprecated name of `ItemProcessor`.
    ///
    /// ## Why is this bad?
    /// It still works, but `ProcessorConfig` and Distributed mode are documented for
    /// `ItemProcessor`.
    ///
    /// ## Use instead
    /// Rename `Iterator` to `ItemProcessor`.
    ST_MAP_ITERATOR_DEPRECATED = "ST-MAP-ITERATOR-DEPRECATED", Info, None, "`ItemProcessor` rather than the deprecated `Iterator`";
    /// ## What it does
    /// Notes a Map that uses `Parameters`, the deprecated name of `ItemSelector`.
    ///
    /// ## Why is this bad?
    /// It still works, but reads as if it shaped the Map's own input, which it does not.
    ///
    /// ## Use instead
    /// Rename `Parameters` to `ItemSelector`.
    ST_MAP_PARAMETERS_DEPRECATED = "ST-MAP-PARAMETERS-DEPRECATED", Info, None, "`ItemSelector` rather than the deprecated `Parameters` on Map";
}

/// Checks every Map state, then label uniqueness across the definition.
pub(crate) fn check(
    def: &Definition,
    focus: super::Focus<'_>,
    prior: &super::Prior,
    out: &mut Vec<Diagnostic>,
) {
    for (_, state) in focus.states(def) {
        let StateKind::Map(map) = &state.kind else { continue };
        let cx = Cx { def, state, map, distributed: map.is_distributed(def), prior };
        cx.check_numbers(out);
        cx.check_processor(out);
        cx.check_distributed_fields(out);
        if let Some(reader) = &map.item_reader {
            cx.check_reader(reader, out);
        }
        if let Some(batcher) = &map.item_batcher {
            cx.check_batcher(batcher, out);
        }
        if let Some(writer) = &map.result_writer {
            cx.check_writer(writer, out);
        }
        if let Some(label) = &map.label {
            cx.check_label(label, out);
        }
    }
}

/// Checks that no two Map states share a `Label`.
pub(crate) fn check_labels(def: &Definition, out: &mut Vec<Diagnostic>) {
    let mut labels: FxHashMap<&str, &Name> = FxHashMap::default();
    for (_, state) in def.iter_states() {
        let StateKind::Map(map) = &state.kind else { continue };
        let Some(label) = &map.label else { continue };
        if let Some(first) = labels.get(&*label.value) {
            out.push(
                Diagnostic::error(
                    R_MAP_LABEL_UNIQUE,
                    def.file,
                    label.range,
                    format!("duplicate Map label `{}`", label.value),
                )
                .with_label("this label is already used")
                .with_secondary(def.file, first.range, "first used here")
                .with_help("give each Map state its own label")
                .at(state.field_pointer("Label")),
            );
        } else if !label.value.is_empty() {
            labels.insert(&label.value, label);
        }
    }
}

/// One Map state being checked.
struct Cx<'d> {
    def: &'d Definition,
    state: &'d State,
    map: &'d Map,
    distributed: bool,
    prior: &'d super::Prior,
}

/// `Minimum value is …` / `Maximum value is …`, AWS's range messages.
fn bound_message(below: bool, min: &str, max: &str) -> String {
    if below {
        format!("Minimum value is {min}")
    } else {
        format!("Maximum value is {max}")
    }
}

/// Whether a value written for an enum field cannot be judged (a deployment placeholder).
fn opaque(name: &Name) -> bool {
    has_placeholder(&name.value)
}

impl Cx<'_> {
    fn error(&self, code: &'static str, range: TextRange, pointer: &str, message: String) -> Diagnostic {
        Diagnostic::error(code, self.def.file, range, message).at(pointer)
    }

    /// Reports a literal/`…Path` pair given both ways, at `pointer` (the containing
    /// object).
    fn exclusive(
        &self,
        field: &str,
        plain: Option<TextRange>,
        path: Option<&Expr>,
        pointer: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        let (Some(plain), Some(path)) = (plain, path) else { return };
        out.push(
            self.error(
                R_MAP_PATH_EXCL,
                path.range,
                pointer,
                format!("both `{field}` and `{field}Path` are set"),
            )
            .with_label(format!("`{field}Path` here"))
            .with_secondary(self.def.file, plain, format!("`{field}` here"))
            .with_help(format!("keep the literal `{field}` or `{field}Path`, not both"))
            .with_aws(
                "SCHEMA_VALIDATION_FAILED",
                Some(format!("There should only be one of the following fields: [{field}, {field}Path]")),
            ),
        );
    }

    fn check_numbers(&self, out: &mut Vec<Diagnostic>) {
        let map = self.map;
        let state = self.state;
        self.exclusive(
            "MaxConcurrency",
            map.max_concurrency.as_ref().map(Dyn::range),
            map.max_concurrency_path.as_ref(),
            &state.pointer,
            out,
        );
        self.exclusive(
            "ToleratedFailureCount",
            map.tolerated_failure_count.as_ref().map(Dyn::range),
            map.tolerated_failure_count_path.as_ref(),
            &state.pointer,
            out,
        );
        self.exclusive(
            "ToleratedFailurePercentage",
            map.tolerated_failure_percentage.as_ref().map(Dyn::range),
            map.tolerated_failure_percentage_path.as_ref(),
            &state.pointer,
            out,
        );
        if let Some(Dyn::Literal(value)) = &map.max_concurrency {
            if !value.value.integer_in(0, i64::MAX) {
                let negative = value.value.as_f64() < 0.0;
                let mut d = self
                    .error(R_MAP_MAXCONC, value.range, &state.field_pointer("MaxConcurrency"), format!("`MaxConcurrency` {} is not a whole number ≥ 0", value.value))
                    .with_label("expected 0 (no limit) or a positive integer")
                    .with_help("set `MaxConcurrency` to 0 for no limit, or to the number of iterations to run at once");
                if negative {
                    d = d.with_aws("SCHEMA_VALIDATION_FAILED", Some("Minimum value is 0".into()));
                }
                out.push(d);
            }
        }
        if let Some(Dyn::Literal(value)) = &map.tolerated_failure_count {
            if !value.value.integer_in(0, i64::MAX) {
                let mut d = self
                    .error(
                        R_DMAP_TOLERATED,
                        value.range,
                        &state.field_pointer("ToleratedFailureCount"),
                        format!("`ToleratedFailureCount` {} is not a whole number ≥ 0", value.value),
                    )
                    .with_label("expected a count of failures")
                    .with_help("tolerate 0 or more failed items");
                if value.value.as_f64() < 0.0 {
                    d = d.with_aws("SCHEMA_VALIDATION_FAILED", Some("Minimum value is 0".into()));
                }
                out.push(d);
            }
        }
        if let Some(Dyn::Literal(value)) = &map.tolerated_failure_percentage {
            let v = value.value.as_f64();
            if !(0.0..=100.0).contains(&v) {
                out.push(
                    self.error(
                        R_DMAP_TOLERATED,
                        value.range,
                        &state.field_pointer("ToleratedFailurePercentage"),
                        format!("`ToleratedFailurePercentage` {} is outside 0 … 100", value.value),
                    )
                    .with_label("a percentage of the items")
                    .with_help("use a percentage from 0 to 100; fractions such as 1.5 are allowed")
                    .with_aws("SCHEMA_VALIDATION_FAILED", Some(bound_message(v < 0.0, "0.0", "100.0"))),
                );
            }
        }
    }

    fn check_processor(&self, out: &mut Vec<Diagnostic>) {
        let Some(scope_id) = self.map.processor else { return };
        let scope = self.def.scope(scope_id);
        if scope.kind == ScopeKind::Iterator {
            out.push(
                Diagnostic::new(
                    ST_MAP_ITERATOR_DEPRECATED,
                    Severity::Info,
                    self.def.file,
                    scope.range,
                    "`Iterator` is the deprecated name of `ItemProcessor`",
                )
                .with_help("rename `Iterator` to `ItemProcessor`")
                .at(self.state.field_pointer("Iterator")),
            );
        }
        if let Some(parameters) = &self.state.io.parameters {
            out.push(
                Diagnostic::new(
                    ST_MAP_PARAMETERS_DEPRECATED,
                    Severity::Info,
                    self.def.file,
                    parameters.range(),
                    "`Parameters` on a Map state is the deprecated name of `ItemSelector`",
                )
                .with_help("rename `Parameters` to `ItemSelector`: it builds each iteration's input")
                .at(self.state.field_pointer("Parameters")),
            );
        }
        let Some(config) = &scope.processor_config else { return };
        let pointer = crate::pointer::join(&scope.pointer, "ProcessorConfig");
        let values: [(&str, Option<&Name>, &[&str]); 2] = [
            ("Mode", config.mode.as_ref(), &["INLINE", "DISTRIBUTED"]),
            ("ExecutionType", config.execution_type.as_ref(), &["STANDARD", "EXPRESS"]),
        ];
        for (field, value, allowed) in values {
            let Some(value) = value else { continue };
            if allowed.contains(&&*value.value) || opaque(value) {
                continue;
            }
            out.push(self.unknown_value(
                ST_MAP_PROCESSOR_CONFIG,
                field,
                value,
                allowed,
                &crate::pointer::join(&pointer, field),
            ));
        }
        if self.distributed && config.execution_type.is_none() {
            out.push(
                Diagnostic::warning(
                    R_DMAP_EXECTYPE,
                    self.def.file,
                    config.range,
                    "a Distributed Map's `ProcessorConfig` has no `ExecutionType`",
                )
                .with_label("child workflow type not given")
                .with_help("add `\"ExecutionType\": \"STANDARD\"` or `\"ExecutionType\": \"EXPRESS\"`")
                .at(pointer),
            );
        }
    }

    /// An enum field holding an unknown value.
    fn unknown_value(
        &self,
        code: &'static str,
        field: &str,
        value: &Name,
        allowed: &[&str],
        pointer: &str,
    ) -> Diagnostic {
        let list = allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
        let help = match allowed.iter().find(|a| a.eq_ignore_ascii_case(&value.value)) {
            Some(exact) => format!("write `{exact}` (values are case-sensitive)"),
            None => crate::lower::suggest_help(&value.value, allowed, &format!("use one of {list}")),
        };
        self.error(code, value.range, pointer, format!("unknown `{field}` `{}`", value.value))
            .with_label(format!("expected one of {list}"))
            .with_help(help)
    }

    fn check_distributed_fields(&self, out: &mut Vec<Diagnostic>) {
        if self.distributed {
            return;
        }
        let map = self.map;
        let fields = [
            ("ItemReader", map.item_reader.as_ref().map(|r| r.range)),
            ("ItemBatcher", map.item_batcher.as_ref().map(|b| b.range)),
            ("ResultWriter", map.result_writer.as_ref().map(|w| w.range)),
            ("Label", map.label.as_ref().map(|l| l.range)),
            ("ToleratedFailureCount", map.tolerated_failure_count.as_ref().map(Dyn::range)),
            ("ToleratedFailureCountPath", map.tolerated_failure_count_path.as_ref().map(|e| e.range)),
            ("ToleratedFailurePercentage", map.tolerated_failure_percentage.as_ref().map(Dyn::range)),
            (
                "ToleratedFailurePercentagePath",
                map.tolerated_failure_percentage_path.as_ref().map(|e| e.range),
            ),
        ];
        for (field, range) in fields {
            let Some(range) = range else { continue };
            out.push(
                Diagnostic::warning(
                    ST_MAP_DIST_FIELDS,
                    self.def.file,
                    range,
                    format!("`{field}` only applies to a Distributed Map, and this Map is inline"),
                )
                .with_label("no documented effect on an inline Map")
                .with_help("remove it, or set `\"ProcessorConfig\": { \"Mode\": \"DISTRIBUTED\", \"ExecutionType\": \"STANDARD\" }` on the `ItemProcessor`")
                .at(self.state.field_pointer(field)),
            );
        }
    }

    fn check_reader(&self, reader: &ItemReader, out: &mut Vec<Diagnostic>) {
        let pointer = self.state.field_pointer("ItemReader");
        let mut get_object = false;
        match &reader.resource {
            None if super::reported_at(self.prior, out, &crate::pointer::join(&pointer, "Resource")) => {}
            None => out.push(
                self.error(R_DMAP_READER_RES, reader.range, &pointer, "`ItemReader` has no `Resource`".into())
                    .with_label("where to read the items from is missing")
                    .with_help("add `\"Resource\": \"arn:aws:states:::s3:getObject\"` (one object) or `…:s3:listObjectsV2` (the objects under a prefix)")
                    .with_aws("SCHEMA_VALIDATION_FAILED", Some("These fields are required: [Resource]".into())),
            ),
            Some(resource) => match resource::classify(&resource.value) {
                Resource::Opaque => {}
                Resource::Integration(Integration { sdk: false, service: "s3", api, pattern: Pattern::RequestResponse, .. })
                    if api == "getObject" || api == "listObjectsV2" =>
                {
                    get_object = api == "getObject";
                }
                _ => out.push(
                    self.error(
                        R_DMAP_READER_RES,
                        resource.range,
                        &crate::pointer::join(&pointer, "Resource"),
                        format!("`{}` is not an item reader", resource.value),
                    )
                    .with_label("expected `s3:getObject` or `s3:listObjectsV2`")
                    .with_help("read one object with `arn:aws:states:::s3:getObject`, or the objects under a prefix with `arn:aws:states:::s3:listObjectsV2`"),
                ),
            },
        }
        let config_pointer = crate::pointer::join(&pointer, "ReaderConfig");
        let config = reader.reader_config.as_ref();
        let input_type = config.and_then(|c| c.input_type.as_ref());
        if get_object && input_type.is_none() {
            let (range, location) = match config {
                Some(c) => (c.range, config_pointer.clone()),
                None => (reader.range, pointer.clone()),
            };
            out.push(
                self.error(R_DMAP_READER_TYPE, range, &location, "an `s3:getObject` reader needs `ReaderConfig.InputType`".into())
                    .with_label("the object's format is not given")
                    .with_help("add `\"ReaderConfig\": { \"InputType\": \"JSON\" }` (or `CSV`, `JSONL`, `PARQUET`, `MANIFEST`)"),
            );
        }
        let Some(config) = config else { return };
        let enums: [(&str, Option<&Name>, &[&str]); 4] = [
            ("InputType", config.input_type.as_ref(), &["CSV", "JSON", "JSONL", "PARQUET", "MANIFEST"]),
            ("CSVDelimiter", config.csv_delimiter.as_ref(), &["COMMA", "PIPE", "SEMICOLON", "SPACE", "TAB"]),
            ("ManifestType", config.manifest_type.as_ref(), &["S3_INVENTORY", "ATHENA_DATA"]),
            ("Transformation", config.transformation.as_ref(), &["NONE", "LOAD_AND_FLATTEN"]),
        ];
        for (field, value, allowed) in enums {
            let Some(value) = value else { continue };
            if !allowed.contains(&&*value.value) && !opaque(value) {
                out.push(self.unknown_value(
                    R_DMAP_READER_TYPE,
                    field,
                    value,
                    allowed,
                    &crate::pointer::join(&config_pointer, field),
                ));
            }
        }
        self.check_csv(config, &config_pointer, out);
        self.exclusive(
            "MaxItems",
            config.max_items.as_ref().map(Dyn::range),
            config.max_items_path.as_ref(),
            &config_pointer,
            out,
        );
        if let Some(Dyn::Literal(value)) = &config.max_items {
            if !value.value.integer_in(0, 100_000_000) {
                out.push(
                    self.error(
                        R_DMAP_MAXITEMS,
                        value.range,
                        &crate::pointer::join(&config_pointer, "MaxItems"),
                        format!("`MaxItems` {} is outside 0 … 100000000", value.value),
                    )
                    .with_label("expected a whole number of items")
                    .with_help("use 0 for no limit, or a count up to 100000000")
                    .with_aws(
                        "SCHEMA_VALIDATION_FAILED",
                        Some(bound_message(value.value.as_f64() < 0.0, "0", "100000000")),
                    ),
                );
            }
        }
    }

    fn check_csv(&self, config: &crate::ir::ReaderConfig, pointer: &str, out: &mut Vec<Diagnostic>) {
        let location = config.csv_header_location.as_ref();
        if let Some(value) = location {
            if !["FIRST_ROW", "GIVEN"].contains(&&*value.value) && !opaque(value) {
                out.push(self.unknown_value(
                    R_DMAP_CSV_HEADERS,
                    "CSVHeaderLocation",
                    value,
                    &["FIRST_ROW", "GIVEN"],
                    &crate::pointer::join(pointer, "CSVHeaderLocation"),
                ));
            }
        }
        let given = location.is_some_and(|l| &*l.value == "GIVEN");
        match (&config.csv_headers, given) {
            (None, true) => out.push(
                self.error(R_DMAP_CSV_HEADERS, config.range, pointer, "`\"CSVHeaderLocation\": \"GIVEN\"` needs `CSVHeaders`".into())
                    .with_label("the column names are missing")
                    .with_help("add `\"CSVHeaders\": [\"column1\", …]`, or read them from the file with `\"CSVHeaderLocation\": \"FIRST_ROW\"`"),
            ),
            (Some(headers), true) if headers.value.is_empty() => out.push(
                self.error(R_DMAP_CSV_HEADERS, headers.range, &crate::pointer::join(pointer, "CSVHeaders"), "`CSVHeaders` is empty".into())
                    .with_label("no column names")
                    .with_help("list the column names of the CSV file"),
            ),
            (Some(headers), false) => out.push(
                self.error(
                    R_DMAP_CSV_HEADERS,
                    headers.range,
                    &crate::pointer::join(pointer, "CSVHeaders"),
                    "`CSVHeaders` is only used with `\"CSVHeaderLocation\": \"GIVEN\"`".into(),
                )
                .with_label("these headers are ignored")
                .with_help("add `\"CSVHeaderLocation\": \"GIVEN\"`, or remove `CSVHeaders` to read them from the first row"),
            ),
            _ => {}
        }
        let csv = config.input_type.as_ref().is_none_or(|t| &*t.value == "CSV" || opaque(t));
        if csv {
            return;
        }
        let csv_fields = [
            ("CSVHeaderLocation", config.csv_header_location.as_ref().map(|n| n.range)),
            ("CSVHeaders", config.csv_headers.as_ref().map(|h| h.range)),
            ("CSVDelimiter", config.csv_delimiter.as_ref().map(|n| n.range)),
        ];
        for (field, range) in csv_fields {
            let Some(range) = range else { continue };
            out.push(
                self.error(
                    R_DMAP_CSV_HEADERS,
                    range,
                    &crate::pointer::join(pointer, field),
                    format!("`{field}` only applies to `\"InputType\": \"CSV\"`"),
                )
                .with_label("ignored for this input type")
                .with_help(format!("remove `{field}`, or set `\"InputType\": \"CSV\"`")),
            );
        }
    }

    fn check_batcher(&self, batcher: &ItemBatcher, out: &mut Vec<Diagnostic>) {
        let pointer = self.state.field_pointer("ItemBatcher");
        self.exclusive(
            "MaxItemsPerBatch",
            batcher.max_items_per_batch.as_ref().map(Dyn::range),
            batcher.max_items_per_batch_path.as_ref(),
            &pointer,
            out,
        );
        self.exclusive(
            "MaxInputBytesPerBatch",
            batcher.max_input_bytes_per_batch.as_ref().map(Dyn::range),
            batcher.max_input_bytes_per_batch_path.as_ref(),
            &pointer,
            out,
        );
        let has_size = batcher.max_items_per_batch.is_some()
            || batcher.max_items_per_batch_path.is_some()
            || batcher.max_input_bytes_per_batch.is_some()
            || batcher.max_input_bytes_per_batch_path.is_some();
        let written = ["MaxItemsPerBatch", "MaxInputBytesPerBatch"].iter().any(|f| {
            super::reported_at(self.prior, out, &crate::pointer::join(&pointer, f))
                || super::reported_at(self.prior, out, &format!("{pointer}/{f}Path"))
        });
        if !has_size && !written {
            out.push(
                self.error(R_DMAP_BATCH, batcher.range, &pointer, "`ItemBatcher` has no batch size".into())
                    .with_label("no `MaxItemsPerBatch` or `MaxInputBytesPerBatch`")
                    .with_help("add `\"MaxItemsPerBatch\": <n>` or `\"MaxInputBytesPerBatch\": <bytes>`"),
            );
        }
        let ranges: [(&str, Option<&crate::ir::Spanned<Number>>, i64); 2] = [
            ("MaxItemsPerBatch", batcher.max_items_per_batch.as_ref().and_then(Dyn::literal), i64::MAX),
            (
                "MaxInputBytesPerBatch",
                batcher.max_input_bytes_per_batch.as_ref().and_then(Dyn::literal),
                262_144,
            ),
        ];
        for (field, value, max) in ranges {
            let Some(value) = value else { continue };
            if value.value.integer_in(1, max) {
                continue;
            }
            let (expected, help) = if max == i64::MAX {
                ("expected a whole number ≥ 1".to_string(), format!("batch at least 1 item with `{field}`"))
            } else {
                (
                    format!("expected a whole number from 1 to {max}"),
                    format!("a batch is one child's input, at most {max} bytes (256 KiB)"),
                )
            };
            out.push(
                self.error(
                    R_DMAP_BATCH,
                    value.range,
                    &crate::pointer::join(&pointer, field),
                    format!("`{field}` {} is out of range", value.value),
                )
                .with_label(expected)
                .with_help(help),
            );
        }
    }

    fn check_writer(&self, writer: &ResultWriter, out: &mut Vec<Diagnostic>) {
        let pointer = self.state.field_pointer("ResultWriter");
        let request = writer.parameters.as_ref().or(writer.arguments.as_ref());
        let request_field = if self.state.query_language == crate::ir::QueryLanguage::Jsonata {
            "Arguments"
        } else {
            "Parameters"
        };
        // Fields lowering rejected were still written.
        let written =
            |field: &str| super::reported_at(self.prior, out, &crate::pointer::join(&pointer, field));
        let resource_written = written("Resource");
        let request_written = written(request_field);
        let any_written = resource_written || request_written || written("WriterConfig");
        if writer.resource.is_none() && request.is_none() && writer.writer_config.is_none() {
            if !any_written {
                out.push(
                    self.error(R_DMAP_WRITER, writer.range, &pointer, "`ResultWriter` is empty".into())
                        .with_label("nothing to write or configure")
                        .with_help("give `Resource` and `Parameters` to export to S3, a `WriterConfig`, or remove `ResultWriter`"),
                );
            }
            return;
        }
        if let Some(resource) = &writer.resource {
            let is_put = matches!(
                resource::classify(&resource.value),
                Resource::Opaque
                    | Resource::Integration(Integration {
                        sdk: false,
                        service: "s3",
                        api: "putObject",
                        pattern: Pattern::RequestResponse,
                        ..
                    })
            );
            if !is_put {
                out.push(
                    self.error(
                        R_DMAP_WRITER,
                        resource.range,
                        &crate::pointer::join(&pointer, "Resource"),
                        format!("`{}` is not a result writer", resource.value),
                    )
                    .with_label("expected `s3:putObject`")
                    .with_help("write results with `\"Resource\": \"arn:aws:states:::s3:putObject\"`"),
                );
            }
        }
        match (&writer.resource, request) {
            (Some(resource), None) if !request_written => out.push(
                self.error(
                    R_DMAP_WRITER,
                    resource.range,
                    &pointer,
                    format!("`ResultWriter` has a `Resource` but no `{request_field}`"),
                )
                .with_label("the bucket and prefix are missing")
                .with_help(format!("add `\"{request_field}\": {{ \"Bucket\": …, \"Prefix\": … }}`")),
            ),
            (None, Some(request)) if !resource_written => out.push(
                self.error(
                    R_DMAP_WRITER,
                    request.range(),
                    &pointer,
                    format!("`ResultWriter` has `{request_field}` but no `Resource`"),
                )
                .with_label("where to write is missing")
                .with_help("add `\"Resource\": \"arn:aws:states:::s3:putObject\"`"),
            ),
            _ => {}
        }
        let Some(config) = &writer.writer_config else { return };
        let config_pointer = crate::pointer::join(&pointer, "WriterConfig");
        match &config.output_type {
            None if !super::reported_at(
                self.prior,
                out,
                &crate::pointer::join(&config_pointer, "OutputType"),
            ) =>
            {
                out.push(
                    self.error(
                        R_DMAP_WRITER,
                        config.range,
                        &config_pointer,
                        "`WriterConfig` has no `OutputType`".into(),
                    )
                    .with_label("`OutputType` is required here")
                    .with_help("add `\"OutputType\": \"JSON\"` or `\"OutputType\": \"JSONL\"`")
                    .with_aws(
                        "SCHEMA_VALIDATION_FAILED",
                        Some("The field 'OutputType' is required but was missing".into()),
                    ),
                )
            }
            Some(value) if !["JSON", "JSONL"].contains(&&*value.value) && !opaque(value) => {
                out.push(self.unknown_value(
                    R_DMAP_WRITER,
                    "OutputType",
                    value,
                    &["JSON", "JSONL"],
                    &crate::pointer::join(&config_pointer, "OutputType"),
                ));
            }
            _ => {}
        }
        if let Some(value) = &config.transformation {
            let allowed = ["NONE", "COMPACT", "FLATTEN"];
            if !allowed.contains(&&*value.value) && !opaque(value) {
                out.push(self.unknown_value(
                    R_DMAP_WRITER,
                    "Transformation",
                    value,
                    &allowed,
                    &crate::pointer::join(&config_pointer, "Transformation"),
                ));
            }
        }
    }

    fn check_label(&self, label: &Name, out: &mut Vec<Diagnostic>) {
        if opaque(label) {
            return;
        }
        let text = &*label.value;
        let pointer = self.state.field_pointer("Label");
        let length = text.chars().count();
        let diagnostic = if text.is_empty() {
            self.error(R_MAP_LABEL, label.range, &pointer, "`Label` is empty".into())
                .with_label("a label needs at least one character")
                .with_help("remove `Label` to let Step Functions generate one, or name the Map Run")
                .with_aws("INVALID_LABEL_NAME", Some("Label cannot be empty".into()))
        } else if length > 40 {
            self.error(
                R_MAP_LABEL,
                label.range,
                &pointer,
                format!("`Label` is {length} characters long; the limit is 40"),
            )
            .with_label("too long")
            .with_help("shorten the label to 40 characters or fewer")
            .with_aws("INVALID_LABEL_NAME", Some("Label cannot exceed 40 characters".into()))
        } else if let Some(bad) = text.chars().find(|c| forbidden_in_label(*c)) {
            self.error(
                R_MAP_LABEL,
                label.range,
                &pointer,
                format!("`Label` contains `{}`, which Map Run names cannot hold", bad.escape_debug()),
            )
            .with_label("invalid character")
            .with_help("use letters, digits, `-`, `_`, `.` and other characters outside ``? * < > { } [ ] : ; , \\ | ^ ~ $ # % & ` \"`` and whitespace")
            .with_aws("INVALID_LABEL_NAME", Some(format!("Label contains invalid character: {}", python_repr(bad))))
        } else {
            return;
        };
        out.push(diagnostic);
    }
}

/// The characters a Map Run label cannot hold (runtime-map-parallel.md §4.6).
fn forbidden_in_label(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '?' | '*'
                | '<'
                | '>'
                | '{'
                | '}'
                | '['
                | ']'
                | ':'
                | ';'
                | ','
                | '\\'
                | '|'
                | '^'
                | '~'
                | '$'
                | '#'
                | '%'
                | '&'
                | '`'
                | '"'
        )
}

/// A character as AWS quotes it in `Label contains invalid character: …` (the quoting of
/// the service's Python-style messages: `'\n'`, `'\x00'`, `'\\'`).
fn python_repr(c: char) -> String {
    match c {
        '\n' => "'\\n'".to_string(),
        '\r' => "'\\r'".to_string(),
        '\t' => "'\\t'".to_string(),
        '\\' => "'\\\\'".to_string(),
        c if (c as u32) < 0x20 || (0x7f..=0xa0).contains(&(c as u32)) => format!("'\\x{:02x}'", c as u32),
        c if c.is_whitespace() && c != ' ' => format!("'\\u{:04x}'", c as u32),
        c => format!("'{c}'"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{check, machine, only};

    /// A Map state with `fields`, distributed or inline.
    fn map(fields: &str, distributed: bool) -> String {
        let config = if distributed {
            r#""ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "#
        } else {
            ""
        };
        machine(&format!(
            r#"{{"Type": "Map", {fields}, "ItemProcessor": {{{config}"StartAt": "P", "States": {{"P": {{"Type": "Pass", "End": true}}}}}}, "End": true}}"#
        ))
    }

    fn dmap(fields: &str) -> String {
        map(fields, true)
    }

    #[test]
    fn numbers() {
        let cases: &[(&str, &[&str])] = &[
            (r#""MaxConcurrency": 0"#, &[]),
            (r#""MaxConcurrency": 10"#, &[]),
            (r#""MaxConcurrency": -1"#, &["R-MAP-MAXCONC"]),
            (r#""MaxConcurrency": 1.5"#, &["R-MAP-MAXCONC"]),
            (r#""MaxConcurrency": 1, "MaxConcurrencyPath": "$.c""#, &["R-MAP-PATH-EXCL"]),
            (r#""ToleratedFailureCount": 0, "ToleratedFailureCountPath": "$.foo""#, &["R-MAP-PATH-EXCL"]),
            (
                r#""ToleratedFailurePercentage": 5, "ToleratedFailurePercentagePath": "$.p""#,
                &["R-MAP-PATH-EXCL"],
            ),
            (r#""ToleratedFailurePercentage": 1.1, "ToleratedFailureCount": 3"#, &[]),
            (r#""ToleratedFailurePercentage": 100.5"#, &["R-DMAP-TOLERATED"]),
            (r#""ToleratedFailurePercentage": -1"#, &["R-DMAP-TOLERATED"]),
            (r#""ToleratedFailureCount": -1"#, &["R-DMAP-TOLERATED"]),
        ];
        for (fields, expected) in cases {
            check(&dmap(fields), expected);
        }
        let d = only(&dmap(r#""ToleratedFailurePercentage": 150"#), "R-DMAP-TOLERATED");
        assert_eq!(d.aws.and_then(|a| a.message).as_deref(), Some("Maximum value is 100.0"));
        let d = only(&dmap(r#""MaxConcurrency": 1, "MaxConcurrencyPath": "$.c""#), "R-MAP-PATH-EXCL");
        assert_eq!(d.location, "/States/S");
    }

    #[test]
    fn processor_config() {
        let with = |config: &str| {
            machine(&format!(
                r#"{{"Type": "Map", "ItemProcessor": {{"ProcessorConfig": {config}, "StartAt": "P", "States": {{"P": {{"Type": "Pass", "End": true}}}}}}, "End": true}}"#
            ))
        };
        check(&with(r#"{"Mode": "INLINE"}"#), &[]);
        check(&with(r#"{"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}"#), &[]);
        check(&with(r#"{"Mode": "DISTRIBUTED"}"#), &["R-DMAP-EXECTYPE"]);
        check(&with(r#"{"Mode": "Distributed", "ExecutionType": "STANDARD"}"#), &["ST-MAP-PROCESSOR-CONFIG"]);
        check(&with(r#"{"Mode": "DISTRIBUTED", "ExecutionType": "FAST"}"#), &["ST-MAP-PROCESSOR-CONFIG"]);
        let iterator = machine(
            r#"{"Type": "Map", "Parameters": {"a.$": "$.a"}, "Iterator": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}"#,
        );
        check(&iterator, &["ST-MAP-ITERATOR-DEPRECATED", "ST-MAP-PARAMETERS-DEPRECATED"]);
    }

    #[test]
    fn distributed_fields_on_inline_maps() {
        check(&map(r#""Label": "orders""#, false), &["ST-MAP-DIST-FIELDS"]);
        check(&map(r#""Label": "orders""#, true), &[]);
        check(
            &map(r#""ToleratedFailureCount": 1, "ItemBatcher": {"MaxItemsPerBatch": 5}"#, false),
            &["ST-MAP-DIST-FIELDS", "ST-MAP-DIST-FIELDS"],
        );
    }

    #[test]
    fn item_reader() {
        let reader = |reader: &str| dmap(&format!(r#""ItemReader": {reader}"#));
        let cases: &[(&str, &[&str])] = &[
            (r#"{"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "b"}}"#, &[]),
            (
                r#"{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"}, "Parameters": {"Bucket": "b", "Key": "k"}}"#,
                &[],
            ),
            (
                r#"{"Resource": "arn:${AWS::Partition}:states:::s3:getObject", "ReaderConfig": {"InputType": "JSONL", "MaxItems": 10}}"#,
                &[],
            ),
            (r#"{"Resource": "${ReaderArn}"}"#, &[]),
            (r#"{"Parameters": {"Bucket": "b"}}"#, &["R-DMAP-READER-RES"]),
            (r#"{"Resource": "arn:aws:states:::s3:listObjects"}"#, &["R-DMAP-READER-RES"]),
            (r#"{"Resource": "arn:aws:states:::s3:getObject"}"#, &["R-DMAP-READER-TYPE"]),
            (
                r#"{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "XML"}}"#,
                &["R-DMAP-READER-TYPE"],
            ),
            (
                r#"{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVDelimiter": "COLON"}}"#,
                &["R-DMAP-READER-TYPE"],
            ),
            (
                r#"{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["a"]}}"#,
                &[],
            ),
            (
                r#"{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN"}}"#,
                &["R-DMAP-CSV-HEADERS"],
            ),
            (
                r#"{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": []}}"#,
                &["R-DMAP-CSV-HEADERS"],
            ),
            (
                r#"{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaders": ["a"]}}"#,
                &["R-DMAP-CSV-HEADERS"],
            ),
            (
                r#"{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "LAST_ROW"}}"#,
                &["R-DMAP-CSV-HEADERS"],
            ),
            (
                r#"{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON", "CSVDelimiter": "PIPE"}}"#,
                &["R-DMAP-CSV-HEADERS"],
            ),
            (
                r#"{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON", "MaxItems": 100000001}}"#,
                &["R-DMAP-MAXITEMS"],
            ),
            (
                r#"{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON", "MaxItems": -1}}"#,
                &["R-DMAP-MAXITEMS"],
            ),
            (
                r#"{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON", "MaxItems": 1, "MaxItemsPath": "$.n"}}"#,
                &["R-MAP-PATH-EXCL"],
            ),
            (
                r#"{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"}, "Extra": 1}"#,
                &["S-FIELD-ALLOWED"],
            ),
            (
                r#"{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"}, "Arguments": {}}"#,
                &["S-FIELD-QL"],
            ),
            (r#"{"Resource": 5}"#, &["S-FIELD-TYPE"]),
        ];
        for (text, expected) in cases {
            check(&reader(text), expected);
        }
        let d = only(
            &reader(
                r#"{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON", "MaxItems": 1, "MaxItemsPath": "$.n"}}"#,
            ),
            "R-MAP-PATH-EXCL",
        );
        assert_eq!(d.location, "/States/S/ItemReader/ReaderConfig");
        assert_eq!(
            d.aws.and_then(|a| a.message).as_deref(),
            Some("There should only be one of the following fields: [MaxItems, MaxItemsPath]")
        );
    }

    #[test]
    fn item_reader_in_jsonata() {
        let jsonata = machine(
            r#"{"Type": "Map", "QueryLanguage": "JSONata",
                "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Arguments": {"Bucket": "{% $b %}"},
                               "ReaderConfig": {"InputType": "JSON", "MaxItems": "{% $n %}"}},
                "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                                  "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}"#,
        );
        check(&jsonata, &[]);
        let path = jsonata.replace(r#""MaxItems": "{% $n %}""#, r#""MaxItemsPath": "$.n""#);
        check(&path, &["R-MAP-ITEMS-QL"]);
    }

    #[test]
    fn item_batcher() {
        let cases: &[(&str, &[&str])] = &[
            (r#"{"MaxItemsPerBatch": 2, "BatchInput": {"a": 1}}"#, &[]),
            (r#"{"MaxInputBytesPerBatchPath": "$.b"}"#, &[]),
            (r#"{"BatchInput": {"a": 1}}"#, &["R-DMAP-BATCH"]),
            (r#"{"MaxItemsPerBatch": 0}"#, &["R-DMAP-BATCH"]),
            (r#"{"MaxInputBytesPerBatch": 262145}"#, &["R-DMAP-BATCH"]),
            (r#"{"MaxItemsPerBatch": "2"}"#, &["S-FIELD-TYPE"]),
            (
                r#"{"MaxItemsPerBatch": 2, "MaxItemsPerBatchPath": "$.n", "MaxInputBytesPerBatch": 131072, "MaxInputBytesPerBatchPath": "$.b"}"#,
                &["R-MAP-PATH-EXCL", "R-MAP-PATH-EXCL"],
            ),
        ];
        for (text, expected) in cases {
            check(&dmap(&format!(r#""ItemBatcher": {text}"#)), expected);
        }
    }

    #[test]
    fn result_writer() {
        let cases: &[(&str, &[&str])] = &[
            (
                r#"{"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b", "Prefix": "p"}}"#,
                &[],
            ),
            (r#"{"WriterConfig": {"OutputType": "JSONL", "Transformation": "COMPACT"}}"#, &[]),
            (
                r#"{"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b"}, "WriterConfig": {"OutputType": "JSON"}}"#,
                &[],
            ),
            (r#"{}"#, &["R-DMAP-WRITER"]),
            (r#"{"WriterConfig": {}}"#, &["R-DMAP-WRITER"]),
            (r#"{"WriterConfig": {"OutputType": "CSV"}}"#, &["R-DMAP-WRITER"]),
            (r#"{"WriterConfig": {"OutputType": "JSON", "Transformation": "SQUASH"}}"#, &["R-DMAP-WRITER"]),
            (
                r#"{"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "b"}}"#,
                &["R-DMAP-WRITER"],
            ),
            (r#"{"Resource": "arn:aws:states:::s3:putObject"}"#, &["R-DMAP-WRITER"]),
            (r#"{"Parameters": {"Bucket": "b"}}"#, &["R-DMAP-WRITER"]),
            (r#"{"WriterConfig": {"OutputType": "JSON"}, "Other": 1}"#, &["S-FIELD-ALLOWED"]),
        ];
        for (text, expected) in cases {
            check(&dmap(&format!(r#""ResultWriter": {text}"#)), expected);
        }
        let d = only(&dmap(r#""ResultWriter": {"WriterConfig": {}}"#), "R-DMAP-WRITER");
        assert_eq!(d.location, "/States/S/ResultWriter/WriterConfig");
    }

    #[test]
    fn labels() {
        let label = |text: &str| dmap(&format!(r#""Label": "{text}""#));
        check(&label("orders-2024_v1.x"), &[]);
        check(&label(&"x".repeat(40)), &[]);
        check(&label("${MapLabel}"), &[]);
        for bad in [
            "",
            "label_{",
            "label_ ",
            "label_\\u0000",
            "label_\\u0085",
            "label_\\\"",
            "label_\\\\",
            "label_:",
        ] {
            check(&label(bad), &["R-MAP-LABEL"]);
        }
        check(&label(&"x".repeat(41)), &["R-MAP-LABEL"]);
        let cases = [
            ("label_^", "Label contains invalid character: '^'"),
            ("label_\\n", "Label contains invalid character: '\\n'"),
            ("label_\\u0001", "Label contains invalid character: '\\x01'"),
            ("label_\\u009f", "Label contains invalid character: '\\x9f'"),
            ("label_\\\\", "Label contains invalid character: '\\\\'"),
            ("", "Label cannot be empty"),
        ];
        for (text, message) in cases {
            let d = only(&label(text), "R-MAP-LABEL");
            assert_eq!(d.aws.and_then(|a| a.message).as_deref(), Some(message), "{text}");
            assert_eq!(d.location, "/States/S/Label");
        }
        let two = r#"{"StartAt": "A", "States": {
            "A": {"Type": "Map", "Label": "L", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "Next": "B"},
            "B": {"Type": "Map", "Label": "L", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "Q", "States": {"Q": {"Type": "Pass", "End": true}}}, "End": true}}}"#;
        check(two, &["R-MAP-LABEL-UNIQUE"]);
    }
}
