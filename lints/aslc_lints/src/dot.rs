//! Graphviz DOT text of a [`Cfg`]: one cluster per scope, states labelled by name, the
//! entry and exits drawn as small shapes, edges labelled by kind.

use std::fmt::Write;

use aslc_ir::ir::{Definition, ScopeKind};

use crate::cfg::{Cfg, Edge};

/// Writes the graph as a `digraph`. Output is deterministic (graph index order).
pub fn to_dot(def: &Definition, cfg: &Cfg) -> String {
    let mut out = String::from("digraph asl {\n  rankdir=TB;\n  node [shape=box, style=rounded];\n");
    for (scope_id, scope) in def.iter_scopes() {
        let title = match (scope.kind, scope.parent) {
            (ScopeKind::Root, _) => "state machine".to_string(),
            (ScopeKind::Branch(i), Some(p)) => format!("{} branch {i}", def.state(p).name.value),
            (_, Some(p)) => format!("{} processor", def.state(p).name.value),
            (_, None) => "scope".to_string(),
        };
        let nodes = cfg.scope(scope_id);
        let _ = writeln!(out, "  subgraph cluster_{} {{\n    label={};", scope_id.0, quote(&title));
        let _ = writeln!(out, "    n{} [label=\"start\", shape=circle];", nodes.entry.index());
        let _ = writeln!(out, "    n{} [label=\"end\", shape=doublecircle];", nodes.exit.index());
        let _ = writeln!(out, "    n{} [label=\"error\", shape=octagon];", nodes.error_exit.index());
        for &id in &scope.states {
            let state = def.state(id);
            let label = format!("{}\n{}", state.name.value, state.type_name());
            let _ = writeln!(out, "    n{} [label={}];", cfg.node(id).index(), quote(&label));
        }
        out.push_str("  }\n");
    }
    for edge in cfg.edge_indices() {
        let Some((from, to)) = cfg.graph.edge_endpoints(edge) else { continue };
        let kind = cfg.graph[edge];
        let style = match kind {
            Edge::Catch(_) | Edge::Error | Edge::Fail => ", style=dashed",
            Edge::Branch(_) | Edge::Processor => ", style=dotted",
            _ => "",
        };
        let _ =
            writeln!(out, "  n{} -> n{} [label={}{style}];", from.index(), to.index(), quote(&kind.label()));
    }
    out.push_str("}\n");
    out
}

/// A DOT string literal.
fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::definition;

    #[test]
    fn prints_clusters_and_edges() {
        let def = definition(
            r#"{ "StartAt": "P", "States": {
                "P": { "Type": "Parallel", "Branches": [ { "StartAt": "B", "States": { "B": { "Type": "Pass", "End": true } } } ],
                       "Catch": [ { "ErrorEquals": ["States.ALL"], "Next": "F" } ], "Next": "Done" },
                "F": { "Type": "Fail" },
                "Done": { "Type": "Succeed" } } }"#,
        );
        let cfg = Cfg::build(&def);
        insta::assert_snapshot!(to_dot(&def, &cfg));
    }

    #[test]
    fn quotes_names() {
        assert_eq!(quote("a \"b\"\\\n"), "\"a \\\"b\\\"\\\\\\n\"");
    }
}
