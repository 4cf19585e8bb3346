//! An outcome in a few lines for people: what fired, what changed, what the cycle emits.

use std::fmt::Write;

use declic::model::{Delta, Effect, Outcome, Part, Ticket, Unsupported};
use serde_json::Value;

/// The outcome of the event called `name`, indented under its name.
pub fn outcome(name: &str, o: &Outcome) -> String {
    let mut out = format!("{name}\n");
    if let Some(skipped) = &o.skipped {
        let _ = writeln!(out, "  no trigger ran: {}", skipped.message);
    } else {
        let _ = writeln!(
            out,
            "  {} fired in {} pass{}",
            count(o.fired.len(), "trigger"),
            o.passes,
            if o.passes == 1 { "" } else { "es" }
        );
    }
    for f in &o.fired {
        let _ = writeln!(out, "    [pass {}] {}", f.pass, f.trigger);
        for c in &f.changes {
            let _ = writeln!(out, "        {}: {}", c.field, delta(&c.delta));
        }
    }
    if !o.effects.is_empty() {
        let _ = writeln!(out, "  effects:");
        for e in &o.effects {
            let by = e.trigger().map(|t| format!("  ({t})")).unwrap_or_default();
            let _ = writeln!(out, "    {}{by}", effect(e));
        }
    }
    for w in &o.warnings {
        let _ = writeln!(out, "  warning[{}]: {}", w.code, w.message);
    }
    out.push_str(&unsupported(&o.unsupported, "  "));
    let _ = writeln!(out, "  ticket now: {}", ticket(&o.ticket));
    out
}

/// The parts of triggers that did not run, each line indented by `pad`: which trigger,
/// the line as written and why.
pub fn unsupported(parts: &[Unsupported], pad: &str) -> String {
    let mut out = String::new();
    for (part, heading) in [
        (
            Part::Condition,
            "not evaluated (a condition declic cannot evaluate):",
        ),
        (Part::Action, "not applied (an action declic cannot apply):"),
    ] {
        let mut of_part = parts.iter().filter(|u| u.part == part).peekable();
        if of_part.peek().is_none() {
            continue;
        }
        let _ = writeln!(out, "{pad}{heading}");
        for u in of_part {
            let id = u.id.map(|id| format!(" (#{id})")).unwrap_or_default();
            let _ = writeln!(out, "{pad}  {}{id}: {}", u.trigger, u.raw);
        }
    }
    out
}

/// The fields an admin looks at first, as the cycle left them (the update itself may have
/// changed some, such as the routing of an agent-ended session).
fn ticket(t: &Ticket) -> String {
    let mut parts = vec![format!("status {}", name(&t.status))];
    if let Some(p) = t.priority {
        parts.push(format!("priority {}", name(&p)));
    }
    if let Some(g) = t.group_id {
        parts.push(format!("group {g}"));
    }
    if let Some(r) = t.routing_channel {
        parts.push(format!("routing {}", name(&r)));
    }
    if let Some(state) = t.messaging_session.as_ref().and_then(|s| s.state) {
        parts.push(format!("session {}", name(&state)));
    }
    if !t.tags.is_empty() {
        parts.push(format!("tags {}", t.tags.join(" ")));
    }
    parts.join(", ")
}

/// "1 trigger", "2 triggers".
pub fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// `(none) → urgent` for a value; `+vip -new` for tags.
fn delta(d: &Delta) -> String {
    match d {
        Delta::Value { from, to } => {
            format!("{} → {}", value(&from.to_json()), value(&to.to_json()))
        }
        Delta::Tags { added, removed } => {
            let added = added.iter().map(|t| format!("+{t}"));
            let removed = removed.iter().map(|t| format!("-{t}"));
            added.chain(removed).collect::<Vec<_>>().join(" ")
        }
    }
}

fn value(v: &Value) -> String {
    match v {
        Value::Null => "(none)".to_owned(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// An enumeration by its JSON name (`ended_by_agent`), as the JSON output spells it.
fn name<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(Value::String(s)) => s,
        _ => "?".to_owned(),
    }
}

/// One effect in one line.
fn effect(e: &Effect) -> String {
    match e {
        Effect::Notification { to, subject, .. } => format!("email to {to}: {subject:?}"),
        Effect::GroupNotification { group, subject, .. } => {
            format!("email to group {group}: {subject:?}")
        }
        Effect::Webhook {
            webhook_id,
            body,
            params,
            ..
        } if body.is_empty() => {
            let params: Vec<String> = params.iter().map(|[k, v]| format!("{k}={v:?}")).collect();
            format!("webhook {webhook_id}: {}", params.join(", "))
        }
        Effect::Webhook {
            webhook_id, body, ..
        } => format!("webhook {webhook_id}: {body}"),
        Effect::Target { target_id, .. } => format!("target {target_id}"),
        Effect::CsatSurvey {
            channel,
            delivered,
            reason,
            ..
        } => match (delivered, reason) {
            (true, _) => format!("CSAT survey sent by {}", name(channel)),
            (false, Some(r)) => format!("CSAT survey by {} NOT delivered: {r}", name(channel)),
            (false, None) => format!("CSAT survey by {} NOT delivered", name(channel)),
        },
        Effect::SessionEnded { by, .. } => format!("messaging session ended ({})", name(by)),
        Effect::CapacityReleased {
            agent_id, channel, ..
        } => format!("{channel} capacity released for agent {agent_id}"),
        Effect::RemovedFromQueue { reason, .. } => format!("removed from queue: {reason}"),
        Effect::History { event, .. } => format!("history: {event}"),
        Effect::Reply { public, body, .. } => {
            let kind = if *public {
                "public reply"
            } else {
                "internal note"
            };
            format!("{kind}: {body:?}")
        }
        Effect::SideConversation { group, subject, .. } => {
            format!("side conversation with group {group}: {subject:?}")
        }
        Effect::Message { body, .. } => format!("message to the end user: {body:?}"),
        Effect::NewSession { reason, .. } => format!("new session: {reason}"),
        Effect::PassLimitReached { passes, .. } => format!("pass limit reached after {passes}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_parameters_and_side_conversation_groups_are_shown() {
        let hook = |body: &str, params: Vec<[String; 2]>| Effect::Webhook {
            trigger: None,
            webhook_id: "01GZ".into(),
            body: body.into(),
            params,
        };
        let pair = [String::from("id"), String::from("5")];
        assert_eq!(
            effect(&hook("", vec![pair.clone()])),
            "webhook 01GZ: id=\"5\""
        );
        assert_eq!(effect(&hook("{}", Vec::new())), "webhook 01GZ: {}");
        let side = Effect::SideConversation {
            trigger: None,
            group: "77".into(),
            subject: "S".into(),
            body: "B".into(),
        };
        assert_eq!(effect(&side), "side conversation with group 77: \"S\"");
    }
}
