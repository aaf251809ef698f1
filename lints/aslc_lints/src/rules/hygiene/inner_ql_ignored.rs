//! `QL-INNER-DECL-IGNORED`: a Map or Parallel `QueryLanguage` its inner states do not get.

use aslc_ir::ir::StateKind;
use aslc_source::Diagnostic;

use crate::registry::declare_lint;
use crate::LintCtx;

declare_lint! {
    /// ## What it does
    /// Reports a Map or Parallel state whose `QueryLanguage` differs from the top level's
    /// while states of its branches or processor have no `QueryLanguage` of their own.
    ///
    /// ## Why is this bad?
    /// A state's query language is its own or the top level's, never an enclosing state's:
    /// the inner states keep the top-level language, contrary to what the declaration
    /// suggests.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "Each", "States": { "Each": { "Type": "Map", "QueryLanguage": "JSONata",
    ///     "Items": "{% $states.input.items %}", "End": true,
    ///     "ItemProcessor": { "StartAt": "Work", "States": { "Work": { "Type": "Pass", "End": true } } } } } }
    /// ```
    /// ## Use instead
    /// ```json
    /// { "StartAt": "Each", "States": { "Each": { "Type": "Map", "QueryLanguage": "JSONata",
    ///     "Items": "{% $states.input.items %}", "End": true,
    ///     "ItemProcessor": { "StartAt": "Work", "States": {
    ///       "Work": { "Type": "Pass", "QueryLanguage": "JSONata", "End": true } } } } } }
    /// ```
    /// ## Fix
    /// Set `QueryLanguage` on the inner states (or at the top level).
    "QL-INNER-DECL-IGNORED", Warn, "structure.md", "a Map or Parallel state's `QueryLanguage` is not relied on by its inner states";
}

/// Reports declarations the inner states do not inherit.
pub(crate) fn check(ctx: &LintCtx<'_>, acc: &mut Vec<Diagnostic>) {
    let def = ctx.def;
    for (_, state) in ctx.states() {
        let Some(field) = &state.query_language_field else { continue };
        if field.value == def.query_language {
            continue;
        }
        let scopes: Vec<aslc_ir::ir::ScopeId> = match &state.kind {
            StateKind::Parallel(parallel) => parallel.branches.clone(),
            StateKind::Map(map) => map.processor.into_iter().collect(),
            _ => continue,
        };
        let relying = scopes
            .iter()
            .flat_map(|scope| def.scope(*scope).states.iter())
            .map(|id| def.state(*id))
            .find(|inner| inner.query_language_field.is_none());
        let Some(inner) = relying else { continue };
        acc.push(
            ctx.diagnostic(
                &RULE,
                field.range,
                format!("the states inside `{}` do not inherit its `QueryLanguage`", state.name.value),
            )
            .with_label(format!("`{}` applies to `{}` only", field.value.as_str(), state.name.value))
            .with_secondary(
                def.file,
                inner.name.range,
                format!(
                    "`{}` uses {}, the top level's language",
                    inner.name.value,
                    def.query_language.as_str()
                ),
            )
            .with_help(format!(
                "set `\"QueryLanguage\": \"{}\"` on the inner states that should use it",
                field.value.as_str()
            ))
            .at(state.field_pointer("QueryLanguage")),
        );
    }
}
