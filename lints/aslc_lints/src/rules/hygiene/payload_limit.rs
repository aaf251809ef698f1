//! `L-PAYLOAD-LIMIT`: a literal payload larger than a state's input or output may be.

use aslc_ir::ir::{StateKind, Template};
use aslc_source::{Diagnostic, TextRange};
use aslc_syntax::Node;

use crate::registry::declare_lint;
use crate::LintCtx;

/// The largest payload a state may pass on, in UTF-8 bytes (runtime-limits.md §2).
const PAYLOAD_LIMIT: usize = 262_144;

declare_lint! {
    /// ## What it does
    /// Reports a literal value written in the definition (a Pass `Result`, the literal
    /// parts of a `Parameters`, `Arguments`, `Output`, `ResultSelector`, `ItemSelector` or
    /// `Assign` template) whose compact JSON is over 262,144 bytes.
    ///
    /// The reference names no rule for this; it is an aslc lint on the `R-LIM-PAYLOAD`
    /// limit of runtime-limits.md.
    ///
    /// ## Why is this bad?
    /// A state input or output over 256 KiB fails the execution with
    /// `States.DataLimitExceeded`, which nothing catches.
    ///
    /// ## Example
    /// A Pass state whose `Result` embeds a 300 KB lookup table.
    ///
    /// ## Use instead
    /// Keep large data in S3 (or DynamoDB) and pass its key.
    ///
    /// ## Fix
    /// Move the data out of the definition.
    "L-PAYLOAD-LIMIT", Warn, "runtime-limits.md", "a literal payload is at most 256 KiB";
}

/// The compact JSON size of a literal, measured only when its source text could exceed the
/// limit (whitespace only adds to the source length).
fn literal_size(node: &Node) -> usize {
    if (node.range.len() as usize) <= PAYLOAD_LIMIT {
        return 0;
    }
    node.to_json().len()
}

fn template_size(template: &Template, depth: usize) -> usize {
    if depth > aslc_syntax::MAX_DEPTH || (template.range().len() as usize) <= PAYLOAD_LIMIT {
        return 0;
    }
    match template {
        Template::Literal(node) => literal_size(node),
        Template::Object { members, .. } => {
            members.iter().map(|m| m.output_key.len() + 3 + template_size(&m.value, depth + 1)).sum()
        }
        Template::Array { items, .. } => items.iter().map(|item| template_size(item, depth + 1) + 1).sum(),
        Template::Dynamic(_) | Template::Jsonata(_) => 0,
    }
}

/// Reports oversized literals.
pub(crate) fn check(ctx: &LintCtx<'_>, acc: &mut Vec<Diagnostic>) {
    for (_, state) in ctx.states() {
        let mut found: Vec<(&str, TextRange, usize)> = Vec::new();
        if let StateKind::Pass(pass) = &state.kind {
            if let Some(result) = &pass.result {
                found.push(("Result", result.range, literal_size(result)));
            }
        }
        let io = &state.io;
        let templates = [
            ("Parameters", io.parameters.as_ref()),
            ("Arguments", io.arguments.as_ref()),
            ("Output", io.output.as_ref()),
            ("ResultSelector", io.result_selector.as_ref()),
            (
                "ItemSelector",
                match &state.kind {
                    StateKind::Map(map) => map.item_selector.as_ref(),
                    _ => None,
                },
            ),
        ];
        for (field, template) in templates {
            if let Some(template) = template {
                found.push((field, template.range(), template_size(template, 0)));
            }
        }
        if let Some(assign) = &state.assign {
            let size: usize = assign.vars.iter().map(|v| template_size(&v.value, 0)).sum();
            found.push(("Assign", assign.range, size));
        }
        for (field, range, size) in found {
            if size > PAYLOAD_LIMIT {
                acc.push(
                    ctx.diagnostic(&RULE, range, format!("the literal `{field}` of `{}` is {size} bytes, over the 262,144-byte payload limit", state.name.value))
                        .with_label("a payload this large fails the execution")
                        .with_help("keep large data outside the definition (S3, DynamoDB) and pass a reference")
                        .with_note("state inputs and outputs over 256 KiB fail with `States.DataLimitExceeded`")
                        .at(state.field_pointer(field)),
                );
            }
        }
    }
}
