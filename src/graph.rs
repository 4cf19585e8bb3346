//! Which triggers can enable or disable which others: an edge from `a` to `b` when an
//! action of `a` changes something a condition of `b` reads. A trigger sees the ticket as
//! the triggers before it left it, and later passes see what any trigger did, so edges go
//! both down and up the order.
//!
//! ```
//! let rules = declic::check(&[declic::Source::new("a.declic", r#"
//! trigger "Tag VIPs" {
//!   when all {
//!     Organization is 7
//!     Tags excludes vip
//!   }
//!   then { Tags += vip }
//! }
//! trigger "Escalate VIPs" {
//!   when all {
//!     Tags includes vip
//!     Priority < High
//!   }
//!   then { Priority = Urgent }
//! }
//! "#)]).into_result().expect("the rules check");
//! let graph = declic::graph::graph(&rules);
//! assert_eq!(graph.edges.len(), 1);
//! assert!(graph.dot().contains("t1 -> t2 [label=\"enables: tag vip\""));
//! ```

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write;

use crate::check::RuleSet;
use crate::lint::logic::{Effects, Slot, Tri, F};

/// The triggers of a rule set, in run order, and how they affect each other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Graph {
    /// Every trigger, in run order.
    pub nodes: Vec<Node>,
    /// Every edge, by source then target.
    pub edges: Vec<Edge>,
}

/// One trigger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Its title.
    pub title: String,
    /// Whether it runs; inactive triggers have no edges.
    pub active: bool,
}

/// `from`'s actions change what `to`'s conditions read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// The trigger whose actions change something, by index into [`Graph::nodes`].
    pub from: usize,
    /// The trigger whose conditions read it.
    pub to: usize,
    /// What the change does to `to`.
    pub effect: Effect,
    /// The fields and tags involved (`status`, `tag vip`), sorted.
    pub fields: Vec<String>,
}

/// What one trigger's actions do to another's conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Effect {
    /// They make conditions of the other hold: it may fire where it would not have.
    Enables,
    /// They make conditions of the other fail: it may not fire where it would have.
    Disables,
    /// Either, or it depends on the ticket.
    Changes,
}

impl Effect {
    /// The word edges are labelled with.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Enables => "enables",
            Effect::Disables => "disables",
            Effect::Changes => "changes",
        }
    }
}

/// The graph of `rules`.
pub fn graph(rules: &RuleSet) -> Graph {
    let formulas: Vec<F> = rules
        .triggers
        .iter()
        .map(|t| F::of(&t.conditions))
        .collect();
    let effects: Vec<Effects> = rules
        .triggers
        .iter()
        .map(|t| Effects::of(&t.actions))
        .collect();
    let mut readers: HashMap<&Slot, BTreeSet<usize>> = HashMap::new();
    for i in (0..rules.triggers.len()).filter(|&i| rules.triggers[i].active) {
        for slot in formulas[i].leaves().into_iter().filter_map(slot_of) {
            readers.entry(slot).or_default().insert(i);
        }
    }
    let mut edges = Vec::new();
    for a in (0..rules.triggers.len()).filter(|&a| rules.triggers[a].active) {
        let mut targets = BTreeSet::new();
        for (slot, who) in &readers {
            if touches(&effects[a], slot) {
                targets.extend(who.iter().copied().filter(|&b| b != a));
            }
        }
        edges.extend(
            targets
                .into_iter()
                .filter_map(|b| edge(a, b, &formulas[b], &effects[a])),
        );
    }
    Graph {
        nodes: rules
            .triggers
            .iter()
            .map(|t| Node {
                title: t.title.clone(),
                active: t.active,
            })
            .collect(),
        edges,
    }
}

fn slot_of(leaf: &F) -> Option<&Slot> {
    match leaf {
        F::Lit(l) => Some(&l.slot),
        F::Opaque { slot, .. } => slot.as_ref(),
        F::All(_) | F::Any(_) => None,
    }
}

/// How `effects` (of trigger `a`) bear on `formula` (of trigger `b`), if at all: it
/// disables `b` when `b` can no longer hold once they applied, or when all they decide
/// is conditions failing; it enables `b` when all they decide is conditions holding.
fn edge(a: usize, b: usize, formula: &F, effects: &Effects) -> Option<Edge> {
    let mut fields = BTreeSet::new();
    let (mut holds, mut fails) = (false, false);
    for leaf in formula.leaves() {
        let Some(slot) = slot_of(leaf).filter(|s| touches(effects, s)) else {
            continue;
        };
        if let F::Lit(l) = leaf {
            match effects.decide(l) {
                Tri::True => holds = true,
                Tri::False => fails = true,
                Tri::Unknown => {}
            }
        }
        fields.insert(slot.describe());
    }
    if fields.is_empty() {
        return None;
    }
    let effect = if formula.after(effects) == Tri::False || (fails && !holds) {
        Effect::Disables
    } else if holds && !fails {
        Effect::Enables
    } else {
        Effect::Changes
    };
    Some(Edge {
        from: a,
        to: b,
        effect,
        fields: fields.into_iter().collect(),
    })
}

fn touches(effects: &Effects, slot: &Slot) -> bool {
    effects.written().any(|w| w == slot) || (effects.resets_tags() && matches!(slot, Slot::Tag(_)))
}

impl Graph {
    /// The graph in Graphviz DOT: `dot -Tsvg`.
    pub fn dot(&self) -> String {
        let mut out = String::from("digraph triggers {\n  node [shape=box, style=rounded];\n");
        for (i, n) in self.nodes.iter().enumerate() {
            let style = if n.active {
                ""
            } else {
                ", style=\"rounded,dashed\", fontcolor=gray"
            };
            let _ = writeln!(
                out,
                "  t{} [label=\"{}\"{style}];",
                i + 1,
                dot_escape(&label(i, n))
            );
        }
        for e in &self.edges {
            let style = match e.effect {
                Effect::Enables => "color=darkgreen",
                Effect::Disables => "color=red, style=dashed",
                Effect::Changes => "color=gray40",
            };
            let _ = writeln!(
                out,
                "  t{} -> t{} [label=\"{}\", {style}];",
                e.from + 1,
                e.to + 1,
                dot_escape(&e.label())
            );
        }
        out.push_str("}\n");
        out
    }

    /// The graph as a Mermaid flowchart, for Markdown that renders it.
    pub fn mermaid(&self) -> String {
        let mut out = String::from("flowchart TD\n");
        for (i, n) in self.nodes.iter().enumerate() {
            let _ = writeln!(out, "  t{}[\"{}\"]", i + 1, mermaid_escape(&label(i, n)));
        }
        for e in &self.edges {
            let arrow = match e.effect {
                Effect::Enables => "-->",
                Effect::Disables => "-.->",
                Effect::Changes => "==>",
            };
            let _ = writeln!(
                out,
                "  t{} {arrow}|\"{}\"| t{}",
                e.from + 1,
                mermaid_escape(&e.label()),
                e.to + 1
            );
        }
        let inactive: Vec<String> = (0..self.nodes.len())
            .filter(|&i| !self.nodes[i].active)
            .map(|i| format!("t{}", i + 1))
            .collect();
        if !inactive.is_empty() {
            out.push_str("  classDef inactive stroke-dasharray: 5 5, color: #888\n");
            let _ = writeln!(out, "  class {} inactive", inactive.join(","));
        }
        out
    }
}

impl Edge {
    /// `enables: status, tag vip`.
    pub fn label(&self) -> String {
        format!("{}: {}", self.effect.as_str(), self.fields.join(", "))
    }
}

/// `1. Title`, with `(inactive)` for a trigger that does not run.
fn label(i: usize, n: &Node) -> String {
    let suffix = if n.active { "" } else { " (inactive)" };
    format!("{}. {}{suffix}", i + 1, n.title)
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// Mermaid reads entity codes inside quoted labels; a quote would end the label.
fn mermaid_escape(s: &str) -> String {
    s.replace('"', "#quot;").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(text: &str) -> RuleSet {
        crate::check(&[crate::Source::new("g.declic", text)])
            .into_result()
            .expect("checks")
    }

    #[test]
    fn edges_say_what_a_trigger_does_to_another() {
        let g = graph(&rules(
            "trigger \"solve\" {\n when all { Tags includes done }\n then { Status = Solved }\n}\n\
             trigger \"open\" {\n when all { Status is Open }\n then { Tags += seen }\n}\n\
             trigger \"solved\" {\n when all { Status is Solved }\n then { Tags += done }\n}\n\
             trigger \"any\" {\n when all { Status changed }\n then { Priority = Low }\n}\n",
        ));
        let edges: Vec<(usize, usize, Effect)> =
            g.edges.iter().map(|e| (e.from, e.to, e.effect)).collect();
        assert_eq!(
            edges,
            [
                (0, 1, Effect::Disables),
                (0, 2, Effect::Enables),
                (0, 3, Effect::Changes),
                (2, 0, Effect::Enables),
            ]
        );
        assert_eq!(g.edges[0].fields, ["status"]);
    }

    #[test]
    fn inactive_triggers_are_nodes_without_edges() {
        let g = graph(&rules(
            "trigger \"a\" {\n when all { Status is New }\n then { Status = Open }\n}\n\
             trigger \"b\" {\n active false\n when all { Status is Open }\n then { Status = Pending }\n}\n",
        ));
        assert!(g.edges.is_empty());
        assert!(g
            .dot()
            .contains("t2 [label=\"2. b (inactive)\", style=\"rounded,dashed\""));
        assert!(g.mermaid().contains("class t2 inactive"));
    }

    #[test]
    fn titles_are_escaped() {
        let g = graph(&rules(
            "trigger \"say \\\"hi\\\"\" {\n when all { Status is New }\n then { Status = Open }\n}\n",
        ));
        assert!(
            g.dot().contains("label=\"1. say \\\"hi\\\"\""),
            "{}",
            g.dot()
        );
        assert!(
            g.mermaid().contains("t1[\"1. say #quot;hi#quot;\"]"),
            "{}",
            g.mermaid()
        );
    }
}
