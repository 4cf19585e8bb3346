//! The log as people and programs read it: one line of text, or one JSON object, per entry.

use serde_json::{json, Map, Value};

use super::dispatch::{span, Summary};
use super::session::Activity;
use super::simulator::{Entry, What};

impl Entry {
    /// The entry as one line of text: the moment, the conversation and ticket, and what
    /// happened.
    pub fn text(&self) -> String {
        let ticket = self.ticket.map(|id| format!(" #{id}")).unwrap_or_default();
        format!(
            "{}  {}{ticket}  {}",
            self.at,
            self.conversation,
            self.what.text()
        )
    }

    /// The entry as a JSON object: `at`, `conversation`, `ticket`, `kind`, `text`, and the
    /// details of its kind.
    pub fn json(&self) -> Value {
        let mut object = Map::new();
        object.insert("at".into(), json!(self.at));
        object.insert("conversation".into(), json!(&*self.conversation));
        object.insert("ticket".into(), json!(self.ticket));
        object.insert("kind".into(), json!(self.what.kind()));
        object.insert("text".into(), json!(self.what.text()));
        match &self.what {
            What::Activity {
                body: Some(body), ..
            } => {
                object.insert("body".into(), json!(body));
            }
            What::Session {
                range: Some((earliest, latest)),
                ..
            } => {
                object.insert("range".into(), json!([earliest, latest]));
            }
            What::Created { missed } => {
                object.insert("missed".into(), json!(missed));
            }
            What::Automation { title } => {
                object.insert("automation".into(), json!(&**title));
            }
            What::Fired { trigger } => {
                object.insert("trigger".into(), json!(&**trigger));
            }
            What::Effect(effect) => {
                object.insert("effect".into(), json!(effect));
            }
            What::Routing(routed) => {
                object.insert("routing".into(), json!(routed));
            }
            _ => {}
        }
        Value::Object(object)
    }
}

impl What {
    /// The kind of happening, as JSON names it.
    pub fn kind(&self) -> &'static str {
        match self {
            What::Activity { .. } => "activity",
            What::Session { .. } => "session",
            What::Created { .. } => "created",
            What::Update { .. } => "update",
            What::Automation { .. } => "automation",
            What::Fired { .. } => "fired",
            What::Effect(_) => "effect",
            What::Skipped(_) => "skipped",
            What::Warning(_) => "warning",
            What::Routing(_) => "routing",
        }
    }

    /// What happened, in words.
    pub fn text(&self) -> String {
        match self {
            What::Activity { activity, body } => {
                let name = match activity {
                    Activity::AgentSetsStatus(s) => {
                        format!("agent sets status {}", super::session::status_name(*s))
                    }
                    _ => activity.name().to_owned(),
                };
                match body {
                    Some(body) => format!("{name}: {body}"),
                    None => name,
                }
            }
            What::Session { change, range } => match range {
                Some((earliest, latest)) => {
                    format!("{change} [between {earliest} and {latest}]")
                }
                None => change.to_string(),
            },
            What::Created { missed: true } => "missed chat: ticket created".to_owned(),
            What::Created { missed: false } => "ticket created".to_owned(),
            What::Update { cause } => format!("update ({cause})"),
            What::Automation { title } => format!("automation applied: {title}"),
            What::Fired { trigger } => format!("trigger fired: {trigger}"),
            What::Effect(effect) => {
                let mut details = match serde_json::to_value(effect) {
                    Ok(Value::Object(map)) => map,
                    _ => Map::new(),
                };
                details.remove("type");
                details.remove("trigger");
                format!("effect: {} {}", effect.kind(), Value::Object(details))
            }
            What::Skipped(why) => format!("no trigger ran: {why}"),
            What::Warning(message) => format!("warning: {message}"),
            What::Routing(routed) => format!("routing: {routed}"),
        }
    }
}

impl Summary {
    /// The summary as lines of text: one per queue, then one per agent.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec!["routing summary:".to_owned()];
        for q in &self.queues {
            let mut line = format!("  queue `{}`: {} served", q.queue, q.served);
            if q.served > 0 {
                line += &format!(", wait median {}, worst {}", span(q.median), span(q.worst));
            }
            if q.waiting > 0 {
                line += &format!(", {} still waiting", q.waiting);
            }
            if q.left > 0 {
                line += &format!(", {} left unserved", q.left);
            }
            lines.push(line);
        }
        for a in &self.agents {
            let peaks: Vec<String> = a
                .capacity
                .iter()
                .map(|(channel, capacity)| {
                    let peak = a.peak.get(channel).copied().unwrap_or(0);
                    format!("{} {peak} of {capacity}", channel.name())
                })
                .collect();
            lines.push(format!(
                "  {}: {} handled, peak {}",
                a.agent,
                a.handled,
                peaks.join(", ")
            ));
        }
        lines
    }
}
