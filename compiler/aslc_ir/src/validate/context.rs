//! The context object in JSONPath states (jsonpath.md §6): members that never exist, and
//! members that exist only in some places (`$$.Map`, `$$.Task.Token`).

use aslc_query::jsonpath::{self, FilterBody, FilterExpr, FilterKind, Operand, OperandKind, Path, Root};
use aslc_source::Diagnostic;

use super::walk::{PathField, PathSite, TemplateField};
use crate::ir::{Definition, Query, StateKind};
use crate::rules::declare_rules;

declare_rules! { @spec "jsonpath.md";
    /// ## What it does
    /// Reports a context path reading `$$.Map` outside a Map state's `ItemSelector` (or its
    /// deprecated `Parameters`).
    ///
    /// ## Why is this bad?
    /// `$$.Map.Item` exists only while the Map state builds the input of each iteration; the
    /// states inside the processor and every other field never see it, so the path always
    /// fails.
    ///
    /// ## Example
    /// A state inside the `ItemProcessor` with `"Parameters": { "index.$": "$$.Map.Item.Index" }`.
    ///
    /// ## Use instead
    /// Pass the value in through the Map's `ItemSelector`:
    /// `"ItemSelector": { "index.$": "$$.Map.Item.Index", "item.$": "$$.Map.Item.Value" }`.
    CTX_MAP_ONLY = "CTX-MAP-ONLY", Error, None, "`$$.Map` only in a Map state's `ItemSelector`/`Parameters`";
    /// ## What it does
    /// Warns about a context path naming a member the context object does not have
    /// (`$$.Execution.Foo`, `$$.State.Id`).
    ///
    /// ## Why is this bad?
    /// The path fails at run time.
    ///
    /// ## Example
    /// ```json
    /// "Parameters": { "id.$": "$$.Execution.ID" }
    /// ```
    /// ## Use instead
    /// ```json
    /// "Parameters": { "id.$": "$$.Execution.Id" }
    /// ```
    CTX_MEMBERS = "CTX-MEMBERS", Warn, None, "context paths name members the context object has";
    /// ## What it does
    /// Warns about `$$.Task.Token` in a state that is not a Task using the callback
    /// (`.waitForTaskToken`) or job (`.sync`) pattern, or an activity.
    ///
    /// ## Why is this bad?
    /// Only those tasks have a token; elsewhere the path fails at run time.
    ///
    /// ## Example
    /// ```json
    /// "Resource": "arn:aws:states:::sqs:sendMessage",
    /// "Parameters": { "MessageBody": { "token.$": "$$.Task.Token" } }
    /// ```
    /// ## Use instead
    /// `"Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken"`.
    CTX_TASK_TOKEN = "CTX-TASK-TOKEN", Warn, None, "`$$.Task.Token` only in callback, `.sync` and activity tasks";
}

/// Checks every context path of the JSONPath states.
pub(crate) fn check(def: &Definition, sites: &[PathSite<'_>], out: &mut Vec<Diagnostic>) {
    for site in sites {
        let mut paths: Vec<&Path> = Vec::new();
        match &site.expr.query {
            Query::Path(path) => paths.push(path),
            Query::Intrinsic(call) => paths.extend(super::intrinsics::call_paths(call)),
            Query::Jsonata(_) | Query::Invalid(_) | Query::InvalidJsonata(_) | Query::Opaque => {}
        }
        // Paths inside filters have their own roots (`[?(@.id == $$.Map.Item.Value)]`).
        let mut index = 0;
        while index < paths.len() {
            let nested = filter_paths(paths[index]);
            paths.extend(nested);
            index += 1;
        }
        for path in paths {
            if path.root == Root::Context {
                check_context_path(def, site, path, out);
            }
        }
    }
}

fn check_context_path(def: &Definition, site: &PathSite<'_>, path: &Path, out: &mut Vec<Diagnostic>) {
    if let Some(err) = jsonpath::context_member_error(path) {
        out.push(super::paths::query_diagnostic(def, site, &err));
        return;
    }
    let Some((top, top_range)) = path.leading_names().next() else { return };
    let range = site.expr.inner_range(path.root_range.cover(top_range));
    match top {
        "Map" if site.field != PathField::Template(TemplateField::ItemSelector) => {
            out.push(
                Diagnostic::error(
                    CTX_MAP_ONLY,
                    def.file,
                    range,
                    "`$$.Map` exists only in a Map state's `ItemSelector`",
                )
                .with_label("there is no `Map` member here")
                .with_help(
                    "read `$$.Map.Item` in the Map's `ItemSelector` and pass it to the iteration as input",
                )
                .at(&site.pointer),
            );
        }
        "Task" if !has_task_token(site) => {
            out.push(
                Diagnostic::warning(
                    CTX_TASK_TOKEN,
                    def.file,
                    range,
                    format!("`$$.Task.Token` does not exist in state `{}`", site.state.name.value),
                )
                .with_label("only callback, `.sync` and activity tasks have a token")
                .with_help("use a `.waitForTaskToken` resource to wait for the token to come back")
                .at(&site.pointer),
            );
        }
        _ => {}
    }
}

/// Whether the state a path belongs to has a task token: a Task whose resource waits for a
/// callback, runs a job to completion, or is an activity. A resource that is not known
/// before deployment counts as having one.
fn has_task_token(site: &PathSite<'_>) -> bool {
    let StateKind::Task(task) = &site.state.kind else { return false };
    let Some(resource) = &task.resource else { return true };
    let resource = &*resource.value;
    crate::ir::has_placeholder(resource)
        || resource.contains(".waitForTaskToken")
        || resource.contains(".sync")
        || resource.contains(":activity:")
        || !resource.starts_with("arn:")
}

/// The paths with their own root inside the filters of `path` (one level).
fn filter_paths(path: &Path) -> Vec<&Path> {
    let mut acc = Vec::new();
    for segment in &path.segments {
        if let jsonpath::Selector::Filter(FilterBody::Parsed(expr)) = &segment.selector {
            collect_filter(expr, &mut acc);
        }
    }
    acc
}

fn collect_filter<'p>(expr: &'p FilterExpr, acc: &mut Vec<&'p Path>) {
    match &expr.kind {
        FilterKind::Or(lhs, rhs) | FilterKind::And(lhs, rhs) => {
            collect_filter(lhs, acc);
            collect_filter(rhs, acc);
        }
        FilterKind::Not(inner) => collect_filter(inner, acc),
        FilterKind::Compare { lhs, rhs, .. } => {
            collect_operand(lhs, acc);
            collect_operand(rhs, acc);
        }
        FilterKind::Exists(operand) => collect_operand(operand, acc),
    }
}

fn collect_operand<'p>(operand: &'p Operand, acc: &mut Vec<&'p Path>) {
    match &operand.kind {
        OperandKind::Path(path) => acc.push(path),
        OperandKind::List(items) => items.iter().for_each(|item| collect_operand(item, acc)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::testing::{check, machine, only};

    fn map(selector: &str, inner: &str) -> String {
        machine(&format!(
            r#"{{"Type": "Map", "ItemSelector": {selector},
            "ItemProcessor": {{"StartAt": "I", "States": {{"I": {inner}}}}}, "End": true}}"#
        ))
    }

    #[test]
    fn map_item() {
        let ok = r#"{"Type": "Succeed"}"#;
        check(&map(r#"{"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value"}"#, ok), &[]);
        check(&map(r#"{"i.$": "States.Format('{}', $$.Map.Item.Index)"}"#, ok), &[]);
        let inner = r#"{"Type": "Pass", "Parameters": {"i.$": "$$.Map.Item.Index"}, "End": true}"#;
        check(&map("{}", inner), &["CTX-MAP-ONLY"]);
        let inner = r#"{"Type": "Pass", "InputPath": "$$.Map.Item.Value", "End": true}"#;
        check(&map("{}", inner), &["CTX-MAP-ONLY"]);
        let json = machine(
            r#"{"Type": "Pass", "Parameters": {"a.$": "$.x[?(@.id == $$.Map.Item.Value)]"}, "End": true}"#,
        );
        let d = only(&json, "CTX-MAP-ONLY");
        assert_eq!(&json[d.primary.range.as_usize()], "$$.Map");
    }

    #[test]
    fn members() {
        let pass = |value: &str| {
            machine(&format!(r#"{{"Type": "Pass", "Parameters": {{"a.$": "{value}"}}, "End": true}}"#))
        };
        check(&pass("$$.Execution.Id"), &[]);
        check(&pass("$$.Execution.Input.anything.at.all"), &[]);
        check(&pass("$$"), &[]);
        check(&pass("$$.Execution.ID"), &["CTX-MEMBERS"]);
        check(&pass("$$.Foo"), &["CTX-MEMBERS"]);
        check(&pass("States.Format('{}', $$.State.Id)"), &["CTX-MEMBERS"]);
    }

    #[test]
    fn task_token() {
        let task = |resource: &str| {
            machine(&format!(
                r#"{{"Type": "Task", "Resource": "{resource}",
                "Parameters": {{"QueueUrl": "q", "MessageBody": {{"t.$": "$$.Task.Token"}}}}, "HeartbeatSeconds": 60, "End": true}}"#
            ))
        };
        check(&task("arn:aws:states:::sqs:sendMessage.waitForTaskToken"), &[]);
        check(&task("arn:aws:states:::sqs:sendMessage"), &["CTX-TASK-TOKEN"]);
        let pass = machine(r#"{"Type": "Pass", "Parameters": {"t.$": "$$.Task.Token"}, "End": true}"#);
        check(&pass, &["CTX-TASK-TOKEN"]);
    }
}
