//! Placeholders (`{{ticket.id}}`) in notification texts, rendered once the cycle ends
//! against the final ticket. Only a small table is known; any other placeholder is left as
//! written, so the reader sees what was not filled in.

use std::fmt::Write;

use crate::catalog::values;
use crate::model::{Effect, Ticket};

/// The placeholders declic fills in, for documentation and tests.
pub const PLACEHOLDERS: &[&str] = &[
    "ticket.id",
    "ticket.title",
    "ticket.description",
    "ticket.status",
    "ticket.priority",
    "ticket.ticket_type",
    "ticket.tags",
    "ticket.group.id",
    "ticket.assignee.id",
    "ticket.requester.id",
    "ticket.requester.email",
    "ticket.organization.id",
    "ticket.brand.id",
    "ticket.via",
];

/// Renders every text of every effect in place.
pub(crate) fn render_effects(effects: &mut [Effect], t: &Ticket) {
    for e in effects {
        let texts: Vec<&mut String> = match e {
            Effect::Notification { subject, body, .. }
            | Effect::GroupNotification { subject, body, .. }
            | Effect::SideConversation { subject, body, .. } => vec![subject, body],
            Effect::Webhook { body, params, .. } => std::iter::once(body)
                .chain(params.iter_mut().map(|[_, value]| value))
                .collect(),
            Effect::Reply { body, .. } | Effect::Message { body, .. } => vec![body],
            Effect::Target { message, .. } => vec![message],
            _ => Vec::new(),
        };
        for text in texts {
            if text.contains("{{") {
                *text = render(text, t);
            }
        }
    }
}

/// `text` with each known `{{ name }}` replaced by its value.
pub fn render(text: &str, t: &Ticket) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else {
            rest = &rest[open..];
            break;
        };
        let whole = &rest[open..open + 2 + close + 2];
        if !value(after[..close].trim(), t, &mut out) {
            out.push_str(whole);
        }
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

/// Writes the value of placeholder `name`; false when the name is unknown.
fn value(name: &str, t: &Ticket, out: &mut String) -> bool {
    let opt = |out: &mut String, v: Option<u64>| {
        if let Some(v) = v {
            let _ = write!(out, "{v}");
        }
    };
    match name {
        "ticket.id" => opt(out, t.id),
        "ticket.title" => out.push_str(t.subject.as_deref().unwrap_or("")),
        "ticket.description" => out.push_str(t.description.as_deref().unwrap_or("")),
        // Zendesk renders the status as its label ("Open"), not its API value.
        "ticket.status" => out.push_str(values::STATUS[t.status.rank() as usize].names.en[0]),
        "ticket.priority" => {
            let rank = crate::model::priority_rank(t.priority) as usize;
            if rank > 0 {
                out.push_str(values::PRIORITY[rank].names.en[0]);
            }
        }
        "ticket.ticket_type" => {
            if let Some(x) = t.ticket_type {
                out.push_str(values::TICKET_TYPE[x as usize + 1].names.en[0]);
            }
        }
        "ticket.tags" => out.push_str(&t.tags.join(" ")),
        "ticket.group.id" => opt(out, t.group_id),
        "ticket.assignee.id" => opt(out, t.assignee_id),
        "ticket.requester.id" => opt(out, t.requester_id),
        "ticket.requester.email" => {
            let email = t.requester.as_ref().and_then(|r| r.email.as_deref());
            out.push_str(email.unwrap_or(""));
        }
        "ticket.organization.id" => opt(out, t.organization_id),
        "ticket.brand.id" => opt(out, t.brand_id),
        "ticket.via" => {
            let via = t.via.as_ref().and_then(|v| v.channel.as_deref());
            out.push_str(via.unwrap_or(""));
        }
        _ => return false,
    }
    true
}
