//! Lowering the Distributed Map objects `ItemReader`, `ItemBatcher` and `ResultWriter`
//! (states.md §9.2–§9.4).
//!
//! Lowering reports what is structural (unknown members, JSON types, fields of the other
//! query language) and keeps every value typed; whether the values make sense together
//! (resources, enums, ranges, required members) is judged in `validate::map`.

use aslc_syntax::Member;

use super::reader::{self, Fields};
use super::state::{StateCx, S_FIELD_ALLOWED, S_FIELD_QL};
use super::{template, Cx, DiagExt, S_FIELD_TYPE};
use crate::ir::{ItemBatcher, ItemReader, Name, ReaderConfig, ResultWriter, Spanned, Text, WriterConfig};

/// Which query language a member of these objects belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    /// Both.
    Any,
    /// JSONPath states only (`Parameters`, the `…Path` fields).
    JsonPath,
    /// JSONata states only (`Arguments`).
    Jsonata,
}

/// The members of one of these objects, with the pointer of the object.
struct Object<'n> {
    fields: Fields<'n>,
    pointer: String,
    /// What the object is called in messages, e.g. `` `ItemReader` ``.
    what: &'static str,
    /// Every member the object may have, for the unknown-member help.
    known: &'static [&'static str],
}

impl<'n> Object<'n> {
    /// Opens `member` as an object (reporting `S-FIELD-TYPE` when it is not one).
    fn open(
        cx: &mut Cx,
        member: &'n Member,
        pointer: String,
        what: &'static str,
        known: &'static [&'static str],
    ) -> Option<(aslc_source::TextRange, Object<'n>)> {
        let node = reader::object(cx, member, &pointer)?;
        let fields = Fields::new(node.as_object().unwrap_or_default());
        Some((node.range, Object { fields, pointer, what, known }))
    }

    fn field(&self, key: &str) -> String {
        crate::pointer::join(&self.pointer, key)
    }

    /// Takes the member `key`, reporting it (and returning `None`) when it belongs to the
    /// other query language.
    fn take(&mut self, cx: &mut Cx, key: &str, lang: Lang, scx: &StateCx) -> Option<&'n Member> {
        let member = self.fields.take(key)?;
        let misplaced = match lang {
            Lang::Any => false,
            Lang::JsonPath => scx.jsonata(),
            Lang::Jsonata => !scx.jsonata(),
        };
        if !misplaced {
            return Some(member);
        }
        let code = if key.ends_with("Path") { crate::lower::state::R_MAP_ITEMS_QL } else { S_FIELD_QL };
        let (this_ql, other_ql, location, help) = if scx.jsonata() {
            let help = match key {
                "Parameters" => "use `Arguments` in JSONata states".to_string(),
                _ => {
                    format!("use `{}` with a `{{% … %}}` expression in JSONata states", &key[..key.len() - 4])
                }
            };
            ("JSONata", "JSONPath", self.field(key), help)
        } else {
            (
                "JSONPath",
                "JSONata",
                self.pointer.clone(),
                "use `Parameters` in JSONPath states, or set `\"QueryLanguage\": \"JSONata\"` on the state"
                    .to_string(),
            )
        };
        cx.error(
            code,
            member.key_range,
            &location,
            format!("`{key}` is a {other_ql} field, but this state uses {this_ql}"),
        )
        .label(format!("not available in {this_ql} states"))
        .help(help)
        .aws(
            "SCHEMA_VALIDATION_FAILED",
            format!(
                "The QueryLanguage is set to '{this_ql}', but field '{key}' is only supported for the '{other_ql}' QueryLanguage"
            ),
        );
        None
    }

    /// Reports every member not taken.
    fn finish(self, cx: &mut Cx) {
        reader::report_unknown(cx, &self.fields, S_FIELD_ALLOWED, &self.pointer, self.what, self.known);
    }
}

/// Lowers a Map's `ItemReader`.
pub(crate) fn lower_item_reader(cx: &mut Cx, member: &Member, scx: &StateCx) -> Option<ItemReader> {
    const KNOWN: &[&str] = &["Resource", "Parameters", "Arguments", "ReaderConfig"];
    let (range, mut obj) = Object::open(cx, member, scx.field("ItemReader").into(), "`ItemReader`", KNOWN)?;
    let resource =
        obj.take(cx, "Resource", Lang::Any, scx).and_then(|m| reader::string(cx, m, &obj.field("Resource")));
    let parameters = obj
        .take(cx, "Parameters", Lang::JsonPath, scx)
        .and_then(|m| template::lower_object_template(cx, m, &obj.field("Parameters"), false));
    let arguments = obj
        .take(cx, "Arguments", Lang::Jsonata, scx)
        .and_then(|m| template::lower_object_template(cx, m, &obj.field("Arguments"), true));
    let reader_config =
        obj.take(cx, "ReaderConfig", Lang::Any, scx).and_then(|m| lower_reader_config(cx, m, &obj, scx));
    obj.finish(cx);
    Some(ItemReader { range, resource, parameters, arguments, reader_config })
}

fn lower_reader_config(cx: &mut Cx, member: &Member, parent: &Object, scx: &StateCx) -> Option<ReaderConfig> {
    const KNOWN: &[&str] = &[
        "InputType",
        "CSVHeaderLocation",
        "CSVHeaders",
        "CSVDelimiter",
        "ManifestType",
        "Transformation",
        "ItemsPointer",
        "MaxItems",
        "MaxItemsPath",
    ];
    let (range, mut obj) = Object::open(cx, member, parent.field("ReaderConfig"), "`ReaderConfig`", KNOWN)?;
    let string = |cx: &mut Cx, obj: &mut Object, key: &str| -> Option<Name> {
        obj.take(cx, key, Lang::Any, scx).and_then(|m| reader::string(cx, m, &obj.field(key)))
    };
    let input_type = string(cx, &mut obj, "InputType");
    let csv_header_location = string(cx, &mut obj, "CSVHeaderLocation");
    let csv_delimiter = string(cx, &mut obj, "CSVDelimiter");
    let manifest_type = string(cx, &mut obj, "ManifestType");
    let transformation = string(cx, &mut obj, "Transformation");
    let items_pointer = string(cx, &mut obj, "ItemsPointer");
    let csv_headers = obj.take(cx, "CSVHeaders", Lang::Any, scx).and_then(|m| {
        let pointer = obj.field("CSVHeaders");
        let items = reader::array(cx, m, &pointer)?;
        let mut names = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item.as_str() {
                Some(text) => names.push(Spanned::new(Text::from(text), item.range)),
                None => {
                    cx.error(
                        S_FIELD_TYPE,
                        item.range,
                        &crate::pointer::at(&pointer, i),
                        format!(
                            "a CSV header must be a string, not {}",
                            crate::lower::reader::article(item.type_name())
                        ),
                    )
                    .label("expected a column name")
                    .help("write every header as a JSON string");
                }
            }
        }
        Some(Spanned::new(names, m.value.range))
    });
    let max_items = obj
        .take(cx, "MaxItems", Lang::Any, scx)
        .and_then(|m| reader::dyn_number(cx, m, &obj.field("MaxItems"), scx.jsonata()));
    let max_items_path = obj
        .take(cx, "MaxItemsPath", Lang::JsonPath, scx)
        .and_then(|m| reader::expr(cx, m, &obj.field("MaxItemsPath")));
    obj.finish(cx);
    Some(ReaderConfig {
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
    })
}

/// Lowers a Map's `ItemBatcher`.
pub(crate) fn lower_item_batcher(cx: &mut Cx, member: &Member, scx: &StateCx) -> Option<ItemBatcher> {
    const KNOWN: &[&str] = &[
        "MaxItemsPerBatch",
        "MaxItemsPerBatchPath",
        "MaxInputBytesPerBatch",
        "MaxInputBytesPerBatchPath",
        "BatchInput",
    ];
    let (range, mut obj) = Object::open(cx, member, scx.field("ItemBatcher").into(), "`ItemBatcher`", KNOWN)?;
    let jsonata = scx.jsonata();
    let number = |cx: &mut Cx, obj: &mut Object, key: &str| {
        obj.take(cx, key, Lang::Any, scx).and_then(|m| reader::dyn_number(cx, m, &obj.field(key), jsonata))
    };
    let max_items_per_batch = number(cx, &mut obj, "MaxItemsPerBatch");
    let max_input_bytes_per_batch = number(cx, &mut obj, "MaxInputBytesPerBatch");
    let path = |cx: &mut Cx, obj: &mut Object, key: &str| {
        obj.take(cx, key, Lang::JsonPath, scx).and_then(|m| reader::expr(cx, m, &obj.field(key)))
    };
    let max_items_per_batch_path = path(cx, &mut obj, "MaxItemsPerBatchPath");
    let max_input_bytes_per_batch_path = path(cx, &mut obj, "MaxInputBytesPerBatchPath");
    let batch_input = obj
        .take(cx, "BatchInput", Lang::Any, scx)
        .and_then(|m| template::lower_object_template(cx, m, &obj.field("BatchInput"), jsonata));
    obj.finish(cx);
    Some(ItemBatcher {
        range,
        max_items_per_batch,
        max_items_per_batch_path,
        max_input_bytes_per_batch,
        max_input_bytes_per_batch_path,
        batch_input,
    })
}

/// Lowers a Map's `ResultWriter`.
pub(crate) fn lower_result_writer(cx: &mut Cx, member: &Member, scx: &StateCx) -> Option<ResultWriter> {
    const KNOWN: &[&str] = &["Resource", "Parameters", "Arguments", "WriterConfig"];
    let (range, mut obj) =
        Object::open(cx, member, scx.field("ResultWriter").into(), "`ResultWriter`", KNOWN)?;
    let resource =
        obj.take(cx, "Resource", Lang::Any, scx).and_then(|m| reader::string(cx, m, &obj.field("Resource")));
    let parameters = obj
        .take(cx, "Parameters", Lang::JsonPath, scx)
        .and_then(|m| template::lower_object_template(cx, m, &obj.field("Parameters"), false));
    let arguments = obj
        .take(cx, "Arguments", Lang::Jsonata, scx)
        .and_then(|m| template::lower_object_template(cx, m, &obj.field("Arguments"), true));
    let writer_config = obj.take(cx, "WriterConfig", Lang::Any, scx).and_then(|m| {
        const KNOWN: &[&str] = &["OutputType", "Transformation"];
        let (range, mut config) = Object::open(cx, m, obj.field("WriterConfig"), "`WriterConfig`", KNOWN)?;
        let output_type = config
            .take(cx, "OutputType", Lang::Any, scx)
            .and_then(|m| reader::string(cx, m, &config.field("OutputType")));
        let transformation = config
            .take(cx, "Transformation", Lang::Any, scx)
            .and_then(|m| reader::string(cx, m, &config.field("Transformation")));
        config.finish(cx);
        Some(WriterConfig { range, output_type, transformation })
    });
    obj.finish(cx);
    Some(ResultWriter { range, resource, parameters, arguments, writer_config })
}
