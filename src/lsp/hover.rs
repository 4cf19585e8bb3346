//! Hover: a field's names in both languages and the API, its operators and values; a
//! value's API form; an action's names and arguments; a trigger's place in run order and
//! the triggers that enable or disable it.

use std::fmt::Write as _;

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Range};

use super::text::Document;
use crate::catalog::actions::Action as CatalogAction;
use crate::catalog::fields::FieldRef;
use crate::catalog::time::TimeField;
use crate::catalog::{find_value, Catalog, Domain, Names, Op};
use crate::check::RuleSet;
use crate::diagnostics::Span;
use crate::graph::{graph, Effect};
use crate::syntax::ast::{Action, Atom, Group, Item, Test, Trigger};
use crate::syntax::{self};

/// What to show over byte `offset`; nothing while the file does not parse, or off a name.
pub fn hover(doc: &Document, offset: usize, rules: Option<&RuleSet>) -> Option<Hover> {
    let file = syntax::parse(&doc.text).ok()?;
    let trigger = file.triggers.iter().find(|t| inside(t.span, offset))?;
    let (span, text) = if inside(trigger.title.span, offset) {
        (trigger.title.span, trigger_text(trigger, rules?)?)
    } else {
        in_items(trigger, offset)?
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(Range::new(doc.position(span.start), doc.position(span.end))),
    })
}

fn inside(span: Span, offset: usize) -> bool {
    span.start <= offset && offset <= span.end
}

fn in_items(trigger: &Trigger, offset: usize) -> Option<(Span, String)> {
    trigger.items.iter().find_map(|item| match &item.node {
        Item::When(group) if inside(group.span, offset) => in_group(group, offset),
        Item::Then(actions) => actions
            .iter()
            .filter(|a| inside(a.span(), offset))
            .find_map(|a| in_action(a, offset)),
        _ => None,
    })
}

fn in_group(group: &Group, offset: usize) -> Option<(Span, String)> {
    group.members.iter().find_map(|member| match member {
        Test::Group(inner) if inside(inner.span, offset) => in_group(inner, offset),
        Test::Condition(c) if inside(c.span, offset) => {
            if let Some(time) = Catalog::get().time(&c.field.text) {
                return inside(c.field.span, offset).then(|| (c.field.span, time_text(time.item)));
            }
            let field = Catalog::get().field(&c.field.text)?.item;
            if inside(c.field.span, offset) {
                return Some((c.field.span, field_text(&field)));
            }
            value_at(&c.value, offset, field.domain())
        }
        _ => None,
    })
}

fn in_action(action: &Action, offset: usize) -> Option<(Span, String)> {
    match action {
        Action::Assign { name, value, .. } => {
            let found = Catalog::get().action(&name.text)?.item;
            if inside(name.span, offset) {
                return Some((name.span, action_text(found)));
            }
            match found.args {
                crate::catalog::actions::Args::Value(domain) => value_at(value, offset, domain),
                _ => None,
            }
        }
        Action::Phrase { atoms, span } => {
            // The phrase is the longest run of first words the catalog knows.
            let catalog = Catalog::get();
            (1..=atoms.len()).rev().find_map(|n| {
                let words: Vec<&str> = atoms[..n].iter().map(|a| a.text.as_str()).collect();
                let found = catalog.action(&words.join(" "))?.item;
                let name = Span::new(span.start, atoms[n - 1].span.end);
                inside(name, offset).then(|| (name, action_text(found)))
            })
        }
        Action::Zendesk(_) => None,
    }
}

fn value_at(atoms: &[Atom], offset: usize, domain: Domain) -> Option<(Span, String)> {
    let (first, last) = (atoms.first()?, atoms.last()?);
    let span = Span::new(first.span.start, last.span.end);
    if !inside(span, offset) {
        return None;
    }
    let words: Vec<&str> = atoms.iter().map(|a| a.text.as_str()).collect();
    let found = find_value(domain.values(), &words.join(" "))?;
    let value = domain.values().get(found.item)?;
    Some((span, names_text(&value.names, "value")))
}

fn names_text(names: &Names, what: &str) -> String {
    format!(
        "**{}** ({what})\n\n- English: {}\n- French: {}\n- API: `{}`",
        names.en[0],
        names.en.join(", "),
        names.fr.join(", "),
        names.api
    )
}

fn field_text(field: &FieldRef) -> String {
    let mut out = match field {
        FieldRef::Known(f) => names_text(&f.names, "field"),
        other => format!(
            "**{}** (field)\n\n- API: `{}`",
            other.display(crate::catalog::Lang::En),
            other.api()
        ),
    };
    let ops: Vec<String> = field
        .ops()
        .iter()
        .map(|op| format!("`{}` / `{}`", op.en(), op.fr()))
        .collect();
    let _ = write!(out, "\n\nOperators: {}", ops.join(", "));
    let _ = write!(out, "\n\nValues: {}", field.domain().describe());
    out
}

/// An automation's time condition: its names, what it counts, and its operators.
fn time_text(time: &TimeField) -> String {
    let mut out = names_text(&time.names, "time condition");
    let counted = if time.business {
        "the schedule's business hours (API operators `*_business_hours`)"
    } else {
        "calendar hours"
    };
    let ops: Vec<String> = [Op::Is, Op::Less, Op::Greater]
        .iter()
        .map(|op| format!("`{}` / `{}`", op.en(), op.fr()))
        .collect();
    let _ = write!(
        out,
        "\n\nCounts {counted}; automations only.\n\nOperators: {}\n\nValues: a whole number of hours",
        ops.join(", ")
    );
    out
}

fn action_text(action: &CatalogAction) -> String {
    let mut out = names_text(&action.names, "action");
    let _ = write!(out, "\n\nTakes {}", action.args.describe());
    out
}

/// The trigger's place in run order and the triggers whose actions change what it reads,
/// or what it reads that they change.
fn trigger_text(trigger: &Trigger, rules: &RuleSet) -> Option<String> {
    let i = rules
        .triggers
        .iter()
        .position(|t| t.title == trigger.title.node && t.title_span == trigger.title.span)?;
    let n = rules.triggers.len();
    let mut out = format!(
        "**{}**\n\nRuns {} of {n} in the rule set's order.",
        trigger.title.node,
        i + 1
    );
    let graph = graph(rules);
    let title = |j: usize| graph.nodes.get(j).map_or("?", |n| n.title.as_str());
    for edge in graph.edges.iter().filter(|e| e.to == i) {
        let verb = match edge.effect {
            Effect::Enables => "enabled by",
            Effect::Disables => "disabled by",
            Effect::Changes => "changed by",
        };
        let _ = write!(
            out,
            "\n- {verb} {}. {} ({})",
            edge.from + 1,
            title(edge.from),
            edge.fields.join(", ")
        );
    }
    for edge in graph.edges.iter().filter(|e| e.from == i) {
        let _ = write!(
            out,
            "\n- {} {}. {} ({})",
            edge.effect.as_str(),
            edge.to + 1,
            title(edge.to),
            edge.fields.join(", ")
        );
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: &str = "trigger \"Tag VIPs\" {\n  when all {\n    Canal is Messagerie\n    Tags excludes vip\n  }\n  then {\n    Tags += vip\n  }\n}\ntrigger \"Escalate\" {\n  when all {\n    Tags includes vip\n  }\n  then {\n    Priorité = Haute\n  }\n}\n";

    fn at(needle: &str, rules: Option<&RuleSet>) -> Option<String> {
        let doc = Document::new(RULES.to_owned(), 1);
        let offset = RULES.find(needle).expect("in the rules") + 1;
        let hover = hover(&doc, offset, rules)?;
        match hover.contents {
            HoverContents::Markup(m) => Some(m.value),
            _ => None,
        }
    }

    #[test]
    fn names_show_their_three_spellings() {
        let field = at("Canal", None).unwrap();
        assert!(
            field.contains("English: Channel") && field.contains("API: `via_id`"),
            "{field}"
        );
        assert!(field.contains("`is` / `est`"), "{field}");
        let value = at("Messagerie", None).unwrap();
        assert!(
            value.contains("(value)") && value.contains("API: `"),
            "{value}"
        );
        let action = at("Priorité", None).unwrap();
        assert!(action.contains("(action)"), "{action}");
        assert_eq!(at("trigger \"Tag", None), None);
    }

    #[test]
    fn a_title_shows_its_place_and_its_edges() {
        let rules = crate::check(&[crate::Source::new("a.declic", RULES)]).rules;
        let first = at("Tag VIPs", Some(&rules)).unwrap();
        assert!(first.contains("Runs 1 of 2"), "{first}");
        assert!(first.contains("enables 2. Escalate"), "{first}");
        let second = at("Escalate", Some(&rules)).unwrap();
        assert!(second.contains("enabled by 1. Tag VIPs"), "{second}");
    }
}
