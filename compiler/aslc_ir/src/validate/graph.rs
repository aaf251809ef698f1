//! Names, transitions and the graph rules of structure.md §3, §6–§8, per scope.

use aslc_source::{Diagnostic, Label};

use crate::ir::{Definition, Name, ScopeId, StateId, StateKind, Transition};
use crate::lower::errors::R_CATCH_NEXT;
use crate::rules::declare_rules;

declare_rules! { @spec "structure.md";
    /// ## What it does
    /// Reports two states with the same name anywhere in the definition, including inside
    /// Parallel branches and Map processors.
    ///
    /// ## Why is this bad?
    /// State names identify states in the execution history and in `$$.State.Name`; AWS
    /// requires them unique machine-wide (`DUPLICATE_STATE_NAME`).
    ///
    /// ## Example
    /// Two branches that both name a state `Fetch`.
    ///
    /// ## Use instead
    /// Give each a distinct name: `FetchOrders`, `FetchUsers`.
    S_NAME_UNIQUE = "S-NAME-UNIQUE", Error, Some("DUPLICATE_STATE_NAME"), "a state name is unique across the whole definition";
    /// ## What it does
    /// Reports a `StartAt` that names no state of its `States`.
    ///
    /// ## Why is this bad?
    /// The machine (or branch, or processor) cannot begin; AWS answers
    /// `Missing 'Next' target`.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "Frist", "States": { "First": { "Type": "Succeed" } } }
    /// ```
    /// ## Use instead
    /// `"StartAt": "First"`.
    S_STARTAT_EXISTS = "S-STARTAT-EXISTS", Error, Some("MISSING_TRANSITION_TARGET"), "`StartAt` names a state of the same `States` object";
    /// ## What it does
    /// Reports a `Next`, `Default` or `Choices[i].Next` that names no state.
    ///
    /// ## Why is this bad?
    /// The transition cannot happen; AWS answers `Missing 'Next' target: <name>`.
    ///
    /// ## Example
    /// ```json
    /// "A": { "Type": "Pass", "Next": "Dnoe" }
    /// ```
    /// ## Use instead
    /// `"Next": "Done"`.
    S_NEXT_EXISTS = "S-NEXT-EXISTS", Error, Some("MISSING_TRANSITION_TARGET"), "every `Next`, `Default` and `Choices[i].Next` names a state of the same scope";
    /// ## What it does
    /// Reports a transition to a state that exists, but in another scope: out of a
    /// Parallel branch or Map processor, into one, or across sibling branches.
    ///
    /// ## Why is this bad?
    /// Transitions never cross scopes; a branch ends at its own terminal state and the
    /// Parallel state continues. AWS answers `Missing 'Next' target`.
    ///
    /// ## Example
    /// A state inside a branch with `"Next": "Done"` where `Done` is a top-level state.
    ///
    /// ## Use instead
    /// End the branch (`"End": true`) and give the Parallel state `"Next": "Done"`.
    S_SCOPE_TARGET = "S-SCOPE-TARGET", Error, Some("MISSING_TRANSITION_TARGET"), "a transition resolves only within its own scope";
    /// ## What it does
    /// Reports a scope (the machine, a branch, a processor) with no terminal state: no
    /// Succeed, no Fail, no `"End": true`.
    ///
    /// ## Why is this bad?
    /// Nothing can end it; AWS answers `MISSING_END_STATE: Workflow has no terminal state`.
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "A", "States": { "A": { "Type": "Pass", "Next": "A" } } }
    /// ```
    /// ## Use instead
    /// Give some state `"End": true`, or add a Succeed state.
    S_TERMINAL_EXISTS = "S-TERMINAL-EXISTS", Error, Some("MISSING_END_STATE"), "every scope contains at least one terminal state";
    /// ## What it does
    /// Reports a state that no path from its scope's `StartAt` reaches.
    ///
    /// ## Why is this bad?
    /// It can never run; AWS rejects the definition (`State "<name>" is not reachable.`).
    ///
    /// ## Example
    /// ```json
    /// { "StartAt": "A", "States": { "A": { "Type": "Succeed" }, "B": { "Type": "Succeed" } } }
    /// ```
    /// ## Use instead
    /// Transition to `B` from somewhere, or delete it.
    S_REACHABLE = "S-REACHABLE", Error, Some("MISSING_TRANSITION_TARGET"), "every state is reachable from its scope's `StartAt`";
}

/// Checks names, targets, terminal states and reachability.
pub(crate) fn check(def: &Definition, out: &mut Vec<Diagnostic>) {
    check_unique_names(def, out);
    // One set of walk tables for all scopes, indexed by state id: a definition of many
    // small scopes (a Parallel of fifty branches) does not allocate and clear tables of
    // every state for each of them.
    let mut walk =
        Walk { reached: vec![false; def.states.len()], adjacency: vec![Vec::new(); def.states.len()] };
    for (scope_id, _) in def.iter_scopes() {
        check_scope(def, scope_id, &mut walk, out);
    }
}

/// The reachability walk's tables, indexed by state id; a scope leaves the entries of its
/// states cleared when it is done with them.
struct Walk {
    reached: Vec<bool>,
    adjacency: Vec<Vec<StateId>>,
}

fn check_unique_names(def: &Definition, out: &mut Vec<Diagnostic>) {
    // Most names are unique: find the first holder of each name without a list per name,
    // then list the holders of the names used more than once.
    let mut first: rustc_hash::FxHashMap<&str, StateId> = rustc_hash::FxHashMap::default();
    let mut by_name: rustc_hash::FxHashMap<&str, Vec<StateId>> = rustc_hash::FxHashMap::default();
    for (id, state) in def.iter_states() {
        let name = &*state.name.value;
        match first.get(name) {
            None => {
                first.insert(name, id);
            }
            Some(&earlier) => by_name.entry(name).or_insert_with(|| vec![earlier]).push(id),
        }
    }
    let mut groups: Vec<&Vec<StateId>> = by_name.values().collect();
    groups.sort();
    for ids in groups {
        // Every occurrence is reported, since none of them is more "the duplicate" than
        // another. Two equal keys of one `States` object are a JSON duplicate key,
        // reported by the reader as `S-JSON-DUPKEY`.
        for &id in ids {
            let state = def.state(id);
            let others: Vec<StateId> =
                ids.iter().copied().filter(|&other| def.state(other).scope != state.scope).collect();
            if others.is_empty() {
                continue;
            }
            let mut diagnostic = Diagnostic::error(
                S_NAME_UNIQUE,
                def.file,
                state.name.range,
                format!("duplicate state name `{}`", state.name.value),
            )
            .with_label(format!("this name is also used in {}", scope_description(def, def.state(others[0]).scope)))
            .with_help("rename one of the states: names are unique across the whole definition, branches and processors included")
            .with_aws("DUPLICATE_STATE_NAME", Some(format!("Duplicate State name: {}", state.name.value)))
            .at(&state.pointer);
            for other in others {
                diagnostic.secondary.push(Label::new(
                    def.file,
                    def.state(other).name.range,
                    "also used here",
                ));
            }
            out.push(diagnostic);
        }
    }
}

/// Where `name` lives outside `scope`, for the note of `S-SCOPE-TARGET`.
fn elsewhere(def: &Definition, scope: ScopeId, name: &str) -> Option<StateId> {
    def.iter_scopes().filter(|(id, _)| *id != scope).find_map(|(_, s)| s.lookup(name))
}

fn scope_description(def: &Definition, scope: ScopeId) -> String {
    let s = def.scope(scope);
    match (s.kind, s.parent) {
        (crate::ir::ScopeKind::Root, _) => "the top level".to_string(),
        (crate::ir::ScopeKind::Branch(i), Some(p)) => format!("branch {i} of `{}`", def.state(p).name.value),
        (_, Some(p)) => format!("the processor of `{}`", def.state(p).name.value),
        _ => "another scope".to_string(),
    }
}

/// Reports `target` if it names no state of `scope`. `field` is the field's name for
/// messages; `pointer` the AWS location.
fn check_target(
    def: &Definition,
    scope: ScopeId,
    target: &Name,
    field: &str,
    pointer: impl FnOnce() -> String,
    code: &'static str,
    out: &mut Vec<Diagnostic>,
) -> Option<StateId> {
    let s = def.scope(scope);
    if let Some(id) = s.lookup(&target.value) {
        return Some(id);
    }
    if target.value.is_empty() {
        // Already reported as an empty string.
        return None;
    }
    let aws_message = format!("Missing 'Next' target: {}", target.value);
    let mut diagnostic = match elsewhere(def, scope, &target.value) {
        Some(other) => {
            let other_state = def.state(other);
            Diagnostic::error(
                if code == R_CATCH_NEXT { code } else { S_SCOPE_TARGET },
                def.file,
                target.range,
                format!("`{field}` names `{}`, which is in another scope", target.value),
            )
            .with_label("transitions cannot leave or enter a branch or processor")
            .with_secondary(def.file, other_state.name.range, format!("`{}` is in {}", target.value, scope_description(def, other_state.scope)))
            .with_help(match s.kind {
                crate::ir::ScopeKind::Root => "a top-level state cannot jump into a branch or processor; go to the Parallel or Map state instead".to_string(),
                _ => "end this branch or processor with `\"End\": true` and continue from the enclosing Parallel or Map state".to_string(),
            })
            .with_note(format!("this transition is in {}", scope_description(def, scope)))
        }
        None => {
            let names: Vec<&str> = s.states.iter().map(|id| &*def.state(*id).name.value).collect();
            let help = match crate::lower::nearest(&target.value, &names) {
                Some(best) => format!("did you mean `{best}`?"),
                None if names.is_empty() => "add the state to `States`".to_string(),
                None => "name one of the states of this scope, or add the missing state".to_string(),
            };
            Diagnostic::error(
                code,
                def.file,
                target.range,
                format!("`{field}` names `{}`, which does not exist", target.value),
            )
            .with_label("no state has this name")
            .with_help(help)
        }
    };
    diagnostic = diagnostic.with_aws("MISSING_TRANSITION_TARGET", Some(aws_message)).at(pointer());
    out.push(diagnostic);
    None
}

fn check_scope(def: &Definition, scope_id: ScopeId, walk: &mut Walk, out: &mut Vec<Diagnostic>) {
    let scope = def.scope(scope_id);
    let mut edges: Vec<(StateId, StateId)> = Vec::new();
    let entry = scope.start_at.as_ref().and_then(|start| {
        check_target(
            def,
            scope_id,
            start,
            "StartAt",
            || crate::pointer::join(scope.pointer_or_root(), "StartAt"),
            S_STARTAT_EXISTS,
            out,
        )
    });
    for &id in &scope.states {
        let state = def.state(id);
        if let Transition::Next(next) = &state.transition {
            if let Some(to) =
                check_target(def, scope_id, next, "Next", || state.field_pointer("Next"), S_NEXT_EXISTS, out)
            {
                edges.push((id, to));
            }
        }
        if let StateKind::Choice(choice) = &state.kind {
            for (i, rule) in choice.choices.iter().enumerate() {
                if let Some(next) = &rule.next {
                    if let Some(to) = check_target(
                        def,
                        scope_id,
                        next,
                        "Next",
                        || crate::pointer::index_field(&state.pointer, "Choices", i, "Next"),
                        S_NEXT_EXISTS,
                        out,
                    ) {
                        edges.push((id, to));
                    }
                }
            }
            if let Some(default) = &choice.default {
                if let Some(to) = check_target(
                    def,
                    scope_id,
                    default,
                    "Default",
                    || state.field_pointer("Default"),
                    S_NEXT_EXISTS,
                    out,
                ) {
                    edges.push((id, to));
                }
            }
        }
        for (i, catcher) in state.errors.catch.iter().enumerate() {
            if let Some(next) = &catcher.next {
                if let Some(to) = check_target(
                    def,
                    scope_id,
                    next,
                    "Next",
                    || crate::pointer::index_field(&state.pointer, "Catch", i, "Next"),
                    R_CATCH_NEXT,
                    out,
                ) {
                    edges.push((id, to));
                }
            }
        }
    }

    if scope.states.is_empty() {
        return;
    }
    let has_terminal = scope.states.iter().any(|id| def.state(*id).is_terminal());
    // A state with an unknown type might have been terminal: do not pile on.
    let has_invalid = scope.states.iter().any(|id| matches!(def.state(*id).kind, StateKind::Invalid));
    if !has_terminal {
        if !has_invalid {
            let range = scope.states_key_range;
            let what = match scope.kind {
                crate::ir::ScopeKind::Root => "the state machine has no terminal state".to_string(),
                _ => format!("{} has no terminal state", scope_description(def, scope_id)),
            };
            out.push(
                Diagnostic::error(S_TERMINAL_EXISTS, def.file, range, what)
                    .with_label("execution can never end here")
                    .with_help("add a Succeed or Fail state, or give a state `\"End\": true`")
                    .with_aws("MISSING_END_STATE", Some("Workflow has no terminal state".into())),
            );
        }
        // AWS skips the reachability walk when a scope has no terminal state.
        return;
    }
    // A `StartAt` that names no state leaves every state unreachable; AWS lists each one.
    // Without any `StartAt` (already reported) there is nothing to walk from.
    if scope.start_at.is_none() {
        return;
    }
    // Every edge and the entry lie within the scope (targets are looked up in it), so the
    // entries of the scope's states are all the walk touches.
    let Walk { reached, adjacency } = walk;
    let mut stack: Vec<StateId> = entry.into_iter().collect();
    if let Some(entry) = entry {
        reached[entry.0 as usize] = true;
    }
    for (from, to) in edges {
        adjacency[from.0 as usize].push(to);
    }
    while let Some(id) = stack.pop() {
        for &to in &adjacency[id.0 as usize] {
            if !reached[to.0 as usize] {
                reached[to.0 as usize] = true;
                stack.push(to);
            }
        }
    }
    for &id in &scope.states {
        let index = id.0 as usize;
        adjacency[index].clear();
        if std::mem::take(&mut reached[index]) {
            continue;
        }
        let state = def.state(id);
        let mut diagnostic = Diagnostic::error(
            S_REACHABLE,
            def.file,
            state.name.range,
            format!("state `{}` is never reached", state.name.value),
        )
        .with_label(if entry.is_some() {
            "no transition leads here"
        } else {
            "`StartAt` names no state, so nothing runs"
        })
        .with_help("transition to this state from another state, or delete it")
        .with_aws(
            "MISSING_TRANSITION_TARGET",
            Some(format!("State \"{}\" is not reachable.", state.name.value)),
        )
        .at(&state.pointer);
        if let Some(start) = &scope.start_at {
            diagnostic.secondary.push(Label::new(def.file, start.range, "execution starts here"));
        }
        out.push(diagnostic);
    }
}

impl crate::ir::Scope {
    /// The pointer prefix of this scope, `/` for the top level.
    fn pointer_or_root(&self) -> &str {
        &self.pointer
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::check;

    /// A Parallel state with one branch per kind: `fine` (two states in a row), `island`
    /// (a state no transition reaches) or `endless` (no terminal state). State names are
    /// unique across the definition, so each branch's are numbered.
    fn parallel(kinds: &[&str]) -> String {
        let branches: Vec<String> = kinds
            .iter()
            .enumerate()
            .map(|(i, kind)| match *kind {
                "fine" => format!(
                    r#"{{"StartAt": "A{i}", "States": {{"A{i}": {{"Type": "Pass", "Next": "B{i}"}}, "B{i}": {{"Type": "Succeed"}}}}}}"#
                ),
                "island" => format!(
                    r#"{{"StartAt": "A{i}", "States": {{"A{i}": {{"Type": "Succeed"}}, "U{i}": {{"Type": "Pass", "Next": "A{i}"}}}}}}"#
                ),
                _ => format!(r#"{{"StartAt": "A{i}", "States": {{"A{i}": {{"Type": "Pass", "Next": "A{i}"}}}}}}"#),
            })
            .collect();
        format!(
            r#"{{"StartAt": "P", "States": {{"P": {{"Type": "Parallel", "Branches": [{}], "End": true}}}}}}"#,
            branches.join(", ")
        )
    }

    #[test]
    fn reachability_is_walked_per_scope() {
        check(&parallel(&["fine", "fine", "fine"]), &[]);
        // The walk of one branch leaves nothing behind for the next: an unreachable state is
        // reported in its own branch only, whatever branches come before or after it.
        check(&parallel(&["fine", "island", "fine"]), &["S-REACHABLE"]);
        check(&parallel(&["island", "fine", "island", "fine"]), &["S-REACHABLE", "S-REACHABLE"]);
        // A branch with no terminal state is not walked, and does not disturb the others.
        check(&parallel(&["island", "endless", "fine"]), &["S-REACHABLE", "S-TERMINAL-EXISTS"]);
    }
}
