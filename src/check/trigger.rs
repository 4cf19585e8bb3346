//! One trigger: its properties, its conditions and its actions.

use std::sync::Arc;

use super::rules::{Condition, Origin, Trigger};
use super::{action, automation, condition, Context};
use crate::catalog::Catalog;
use crate::diagnostics::{did_you_mean, excerpt, Code, Diagnostic, Source, Span};
use crate::syntax::ast::{self, Item, TriggerKind};

/// Zendesk refuses a rule larger than this.
const MAX_RULE_BYTES: usize = 64 * 1024;

/// Resolves one trigger; `None` when it has errors (all of them reported).
pub(super) fn trigger(
    cx: &mut Context<'_>,
    source: &Arc<Source>,
    t: &ast::Trigger,
    comments: Vec<ast::Spanned<String>>,
) -> Option<Trigger> {
    let errors_before = cx.errors();
    let mut seen: Vec<(&'static str, Span)> = Vec::new();
    let mut resolved = Trigger {
        title: t.title.node.clone(),
        kind: t.kind.node,
        category: None,
        description: None,
        position: None,
        active: true,
        zendesk_id: None,
        events: Vec::new(),
        once_per_ticket: false,
        conditions: Condition::All(Vec::new()),
        actions: Vec::new(),
        origin: Origin {
            source: Arc::clone(source),
            span: t.span,
        },
        title_span: t.title.span,
        comments,
    };
    let mut when = None;
    let mut then = None;
    for item in &t.items {
        if let Some(name) = single_item_name(&item.node) {
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
                cx.push(duplicate_property(name, item.span, *first));
                continue;
            }
            seen.push((name, item.span));
        }
        match &item.node {
            Item::Category(c) => resolved.category = Some(c.clone()),
            Item::Description(d) => resolved.description = Some(d.clone()),
            Item::Position(p) => resolved.position = Some(*p),
            Item::Active(a) => resolved.active = *a,
            Item::ZendeskId(id) => resolved.zendesk_id = Some(*id),
            Item::On(name) => {
                if messaging_only(cx, t, "on", item.span) {
                    if let Some(event) = event(cx, name) {
                        resolved.events.push(event);
                    }
                }
            }
            Item::Once => {
                if messaging_only(cx, t, "once per ticket", item.span) {
                    resolved.once_per_ticket = true;
                }
            }
            Item::When(group) => when = Some(group),
            Item::Then(actions) => {
                let resolved_actions: Vec<_> =
                    actions.iter().map(|a| action::action(cx, a)).collect();
                then = Some((resolved_actions, item.span));
            }
        }
    }
    match when {
        None => cx.push(missing(
            Code::MissingConditions,
            t,
            "has no conditions",
            "add `when all { ... }` with at least one condition",
        )),
        Some(group) if group.members.is_empty() => cx.push(missing(
            Code::MissingConditions,
            t,
            "has no conditions",
            "Zendesk needs at least one condition; `Ticket is Created` runs once per ticket",
        )),
        Some(group) => {
            if let Some(conditions) = condition::group(cx, group) {
                automation::conditions(cx, t, &conditions);
                resolved.conditions = conditions;
            }
        }
    }
    match then {
        None => cx.push(missing(
            Code::MissingActions,
            t,
            "has no actions",
            "add `then { ... }` with at least one action",
        )),
        Some((actions, _)) if actions.is_empty() => cx.push(missing(
            Code::MissingActions,
            t,
            "has no actions",
            "add at least one action to `then { ... }`",
        )),
        Some((actions, _)) => resolved.actions = actions.into_iter().flatten().collect(),
    }
    if t.span.len() > MAX_RULE_BYTES {
        cx.push(
            Diagnostic::warning(
                Code::RuleTooLarge,
                format!("trigger `{}` is larger than 64 KiB", t.title.node),
            )
            .label(t.title.span, format!("{} bytes", t.span.len()))
            .help("Zendesk refuses rules over 64 KiB; split it, or shorten its texts"),
        );
    }
    (cx.errors() == errors_before).then_some(resolved)
}

/// The properties a trigger may set once, by the name users write.
fn single_item_name(item: &Item) -> Option<&'static str> {
    Some(match item {
        Item::Category(_) => "category",
        Item::Description(_) => "description",
        Item::Position(_) => "position",
        Item::Active(_) => "active",
        Item::ZendeskId(_) => "id",
        Item::Once => "once per ticket",
        Item::When(_) => "when",
        Item::Then(_) => "then",
        Item::On(_) => return None,
    })
}

fn duplicate_property(name: &str, span: Span, first: Span) -> Diagnostic {
    Diagnostic::error(Code::DuplicateProperty, format!("`{name}` is given twice"))
        .label(span, "given again here")
        .label(first, "first given here")
        .help(format!(
            "a trigger has one `{name}`; merge the two or remove one"
        ))
}

fn missing(code: Code, t: &ast::Trigger, what: &str, help: &str) -> Diagnostic {
    Diagnostic::error(code, format!("trigger `{}` {what}", t.title.node))
        .label(t.title.span, what.to_string())
        .help(help.to_string())
}

fn messaging_only(cx: &mut Context<'_>, t: &ast::Trigger, what: &str, span: Span) -> bool {
    if t.kind.node == TriggerKind::Messaging {
        return true;
    }
    let (runs, this) = match t.kind.node {
        TriggerKind::Automation => (
            "an automation runs each hour, not on conversation events",
            "this is an automation",
        ),
        _ => (
            "a ticket trigger runs on ticket updates, not conversation events",
            "this is a ticket trigger",
        ),
    };
    cx.push(
        Diagnostic::error(Code::WrongTriggerKind, format!("`{what}` belongs to messaging triggers"))
            .label(span, runs)
            .label(t.kind.span, this)
            .help("write `messaging trigger \"...\"` (`déclencheur de messagerie`) to run on conversation events"),
    );
    false
}

fn event(cx: &mut Context<'_>, name: &ast::Name) -> Option<usize> {
    let catalog = Catalog::get();
    if let Some(found) = catalog.event(&name.text) {
        return Some(found.item);
    }
    let near = catalog.nearest_events(&name.text);
    let message = match did_you_mean(&near) {
        Some(dym) => format!(
            "unknown conversation event `{}`; {dym}",
            excerpt(&name.text)
        ),
        None => format!("unknown conversation event `{}`", excerpt(&name.text)),
    };
    let events: Vec<String> = crate::catalog::values::CONVERSATION_EVENTS
        .iter()
        .map(|v| format!("`{}`", v.names.en[0]))
        .collect();
    cx.push(
        Diagnostic::error(Code::UnknownEvent, message)
            .label(name.span, "not a conversation event")
            .help(format!("messaging triggers run on {}", events.join(", "))),
    );
    None
}
