//! Steps: one ticket update each, written in an admin's words, and the update event each
//! one stands for.

use serde_json::{Map, Value};

use super::expect::{self, Expect};
use super::ticket;
use super::tree::{Node, Sink, Table};
use crate::catalog::{fold, nearest};
use crate::diagnostics::{did_you_mean, excerpt, Code, Diagnostic, Span};
use crate::model::{ConversationEvent, Role};

/// What happens in a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The ticket is created (first step only).
    Created,
    /// The ticket is changed: only the step's `set`, `unset` and tags.
    Changed,
    /// Someone adds a comment (`body`, `public`).
    Comment,
    /// A messaging conversation event (message sent, conversation requested...).
    Conversation(ConversationEvent),
    /// The end user stays silent for this many minutes after their last message.
    EndUserInactive {
        /// How long.
        minutes: u32,
    },
    /// An agent ends the messaging session.
    AgentEndsSession,
    /// The end user writes again in the messaging conversation.
    EndUserWritesAgain,
    /// Time passes: the session's time-outs and the hourly automations happen, each
    /// update running the triggers (see [`crate::simulate::wait`]).
    Wait {
        /// How long, in seconds.
        seconds: i64,
    },
}

/// The `event` names of steps, as a scenario writes them (case, `_` and `-` do not matter).
pub const EVENTS: &[&str] = &[
    "created",
    "changed",
    "comment",
    "conversation requested",
    "message sent",
    "added to queue",
    "assigned from queue",
    "end user inactive",
    "agent ends session",
    "end user writes again",
    "wait",
];

/// The `event` name in the form the list above uses.
fn normalize(name: &str) -> String {
    fold(&name.replace(['_', '-'], " "))
}

/// The step kind an `event` name stands for; `minutes` is filled in later.
fn kind_named(name: &str) -> Option<Kind> {
    use ConversationEvent as E;
    Some(match normalize(name).as_str() {
        "created" => Kind::Created,
        "changed" => Kind::Changed,
        "comment" => Kind::Comment,
        "conversation requested" => Kind::Conversation(E::ConversationRequested),
        "message sent" => Kind::Conversation(E::MessageSent),
        "added to queue" => Kind::Conversation(E::AddedToQueue),
        "assigned from queue" => Kind::Conversation(E::AssignedFromQueue),
        "end user inactive" => Kind::EndUserInactive { minutes: 0 },
        "agent ends session" => Kind::AgentEndsSession,
        "end user writes again" => Kind::EndUserWritesAgain,
        "wait" => Kind::Wait { seconds: 0 },
        _ => return None,
    })
}

/// Changes a step makes to the ticket before triggers run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    /// Fields set, with the model's JSON names; tables merge into the ticket's.
    pub set: Map<String, Value>,
    /// Fields removed.
    pub unset: Vec<String>,
    /// Tags added.
    pub add_tags: Vec<String>,
    /// Tags removed.
    pub remove_tags: Vec<String>,
}

impl Changes {
    fn is_empty(&self) -> bool {
        self.set.is_empty()
            && self.unset.is_empty()
            && self.add_tags.is_empty()
            && self.remove_tags.is_empty()
    }
}

/// One step of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// What happens.
    pub kind: Kind,
    /// The admin's own words about the step, shown when it fails.
    pub note: Option<String>,
    /// Who makes the update; each kind has its default.
    pub by: Option<Role>,
    /// The update's channel as a `via_id` number.
    pub via_id: Option<u32>,
    /// The comment or message text.
    pub body: Option<String>,
    /// Whether the comment is public.
    pub public: bool,
    /// The ticket changes the update brings.
    pub changes: Changes,
    /// What must hold after the step.
    pub expect: Expect,
    /// Where the step is written.
    pub span: Span,
}

/// Keys every step may have.
const COMMON: &[&str] = &[
    "event",
    "note",
    "by",
    "via_id",
    "set",
    "unset",
    "add_tags",
    "remove_tags",
    "expect",
];

/// The keys a step of `kind` takes (every key, when the kind is not known).
fn keys_of(kind: Option<Kind>) -> Vec<&'static str> {
    let mut keys = COMMON.to_vec();
    let specific: &[&str] = match kind {
        None => &["body", "public", "minutes", "duration"],
        // A wait is no update of its own: it says how long, and what happened meanwhile.
        Some(Kind::Wait { .. }) => return vec!["event", "note", "duration", "expect"],
        Some(Kind::Comment) => &["body", "public"],
        Some(Kind::Conversation(ConversationEvent::MessageSent)) => &["body"],
        Some(Kind::EndUserWritesAgain) => &["body"],
        Some(Kind::EndUserInactive { .. }) => &["minutes"],
        Some(_) => &[],
    };
    keys.extend_from_slice(specific);
    // Who acts is part of what these steps mean.
    if matches!(
        kind,
        Some(Kind::EndUserInactive { .. } | Kind::AgentEndsSession | Kind::EndUserWritesAgain)
    ) {
        keys.retain(|k| *k != "by");
    }
    keys
}

/// Reads step number `index` (from 0).
pub(crate) fn parse(sink: &mut Sink, node: Node<'_, '_>, index: usize) -> Option<Step> {
    let mut table = node.table(sink, "a step")?;
    let before = sink.diagnostics.len();
    let kind = read_kind(sink, &mut table, index);
    let mut step = Step {
        kind: kind.unwrap_or(Kind::Changed),
        note: string(sink, &mut table, "note"),
        by: read_by(sink, &mut table),
        via_id: table.get("via_id").and_then(|n| n.u32(sink, "via_id")),
        body: string(sink, &mut table, "body"),
        public: table
            .get("public")
            .map_or(Some(true), |n| n.bool(sink, "public"))
            .unwrap_or(true),
        changes: read_changes(sink, &mut table),
        expect: table
            .get("expect")
            .and_then(|n| expect::parse(sink, n))
            .unwrap_or_default(),
        span: table.span,
    };
    // Read whatever the kind, so that a step of an unknown kind is not also told its
    // `minutes` is unknown; `finish` reports it on steps of other kinds.
    let minutes = table.get("minutes");
    if let Some(Kind::EndUserInactive { .. }) = kind {
        if minutes.is_none() {
            table.require(sink, "minutes", "an `end user inactive` step");
        }
        step.kind = Kind::EndUserInactive {
            minutes: minutes.and_then(|n| n.u32(sink, "minutes")).unwrap_or(0),
        };
    }
    let duration = table.get("duration");
    if let Some(Kind::Wait { .. }) = kind {
        step.kind = Kind::Wait {
            seconds: wait_seconds(sink, &mut table, duration).unwrap_or(0),
        };
    }
    if kind == Some(Kind::Comment) && step.body.is_none() {
        table.require(sink, "body", "a `comment` step");
    }
    table.finish(sink, &keys_of(kind), "a step");
    (sink.diagnostics.len() == before && kind.is_some()).then_some(step)
}

/// A wait's `duration`: `3 days`, `90 minutes`, `1 hour 30 minutes`.
fn wait_seconds(
    sink: &mut Sink,
    table: &mut Table<'_, '_>,
    node: Option<Node<'_, '_>>,
) -> Option<i64> {
    let Some(node) = node else {
        table.require(sink, "duration", "a `wait` step");
        return None;
    };
    let text = node.str(sink, "duration")?;
    let seconds = crate::simulate::timeline::duration(text);
    if seconds.is_none() {
        sink.push(
            Diagnostic::error(
                Code::InvalidTime,
                format!("`{}` is not a duration declic reads", excerpt(text)),
            )
            .label(node.span, "not a duration")
            .help("write a duration as `90 seconds`, `10 minutes`, `2 hours`, `3 days`"),
        );
    }
    seconds
}

fn string(sink: &mut Sink, table: &mut Table<'_, '_>, key: &'static str) -> Option<String> {
    table
        .get(key)
        .and_then(|n| n.str(sink, key))
        .map(str::to_owned)
}

fn read_kind(sink: &mut Sink, table: &mut Table<'_, '_>, index: usize) -> Option<Kind> {
    let node = table.require(sink, "event", "a step")?;
    let name = node.str(sink, "event")?;
    let Some(kind) = kind_named(name) else {
        let nearest = nearest(name, EVENTS.iter().map(|e| (*e, *e)));
        let list: Vec<String> = EVENTS.iter().map(|e| format!("`{e}`")).collect();
        sink.push(
            Diagnostic::error(
                Code::UnknownStep,
                format!("unknown step event `{}`", excerpt(name)),
            )
            .label(node.span, "not a step event")
            .help(
                did_you_mean(&nearest)
                    .unwrap_or_else(|| format!("a step's event is one of {}", list.join(", "))),
            ),
        );
        return None;
    };
    if kind == Kind::Created && index > 0 {
        sink.error(
            Code::MisplacedStep,
            "`created` can only be the first step".to_owned(),
            node.span,
            "the ticket exists already",
        );
    }
    Some(kind)
}

fn read_by(sink: &mut Sink, table: &mut Table<'_, '_>) -> Option<Role> {
    let node = table.get("by")?;
    let name = node.str(sink, "by")?;
    match normalize(name).as_str() {
        "agent" => Some(Role::Agent),
        "end user" => Some(Role::EndUser),
        "admin" => Some(Role::Admin),
        _ => {
            sink.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("unknown role `{}`", excerpt(name)),
                )
                .label(node.span, "not a role")
                .help("`by` is `agent`, `end user` or `admin`"),
            );
            None
        }
    }
}

fn read_changes(sink: &mut Sink, table: &mut Table<'_, '_>) -> Changes {
    let tags = |sink: &mut Sink, node: Option<Node<'_, '_>>, what: &str| -> Vec<String> {
        node.and_then(|n| n.strings(sink, what))
            .map(|v| v.into_iter().map(|(s, _)| s).collect())
            .unwrap_or_default()
    };
    let set = table
        .get("set")
        .and_then(|n| n.table(sink, "set"))
        .and_then(|t| ticket::fields(sink, &t, &[], "`set`"))
        .unwrap_or_default();
    let unset = table
        .get("unset")
        .and_then(|n| n.strings(sink, "unset"))
        .unwrap_or_default()
        .into_iter()
        .filter(|(name, span)| ticket::field_name(sink, name, *span, "`unset`"))
        .map(|(name, _)| name)
        .collect();
    let add = table.get("add_tags");
    let remove = table.get("remove_tags");
    Changes {
        set,
        unset,
        add_tags: tags(sink, add, "add_tags"),
        remove_tags: tags(sink, remove, "remove_tags"),
    }
}

impl Step {
    /// Who makes the update: as written, or the one the kind implies.
    pub fn actor(&self) -> Option<Role> {
        use ConversationEvent as E;
        self.by.or(match self.kind {
            Kind::Conversation(E::MessageSent | E::ConversationRequested)
            | Kind::EndUserWritesAgain => Some(Role::EndUser),
            Kind::AgentEndsSession => Some(Role::Agent),
            _ => None,
        })
    }

    /// The step in words, for reports: "end user inactive for 12 minutes".
    pub fn describe(&self) -> String {
        let who = |role: Option<Role>| match role {
            Some(Role::Agent) => " by agent",
            Some(Role::EndUser) => " by end user",
            Some(Role::Admin) => " by admin",
            None => "",
        };
        let mut text = match self.kind {
            Kind::Created => "ticket created".to_owned(),
            Kind::Changed => "ticket changed".to_owned(),
            Kind::Comment if !self.public => format!("internal note{}", who(self.actor())),
            Kind::Comment => format!("comment{}", who(self.actor())),
            Kind::Conversation(e) => format!("{}{}", conversation_words(e), who(self.actor())),
            Kind::EndUserInactive { minutes } => {
                format!("end user inactive for {minutes} minute{}", plural(minutes))
            }
            Kind::AgentEndsSession => "agent ends the session".to_owned(),
            Kind::EndUserWritesAgain => "end user writes again".to_owned(),
            Kind::Wait { seconds } => format!("wait {}", duration_words(seconds)),
        };
        if !self.changes.is_empty() {
            text.push_str(&format!(" ({})", describe_changes(&self.changes)));
        }
        if let Some(note) = &self.note {
            text.push_str(&format!(": {note}"));
        }
        text
    }
}

/// A duration in the largest whole unit: `3 days`, `90 minutes`, `45 seconds`.
fn duration_words(seconds: i64) -> String {
    let units = [(86_400, "day"), (3600, "hour"), (60, "minute")];
    let (n, unit) = units
        .iter()
        .find(|(size, _)| seconds != 0 && seconds % size == 0)
        .map_or((seconds, "second"), |(size, unit)| (seconds / size, *unit));
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn conversation_words(e: ConversationEvent) -> &'static str {
    match e {
        ConversationEvent::ConversationRequested => "conversation requested",
        ConversationEvent::MessageSent => "message sent",
        ConversationEvent::AddedToQueue => "added to queue",
        ConversationEvent::AssignedFromQueue => "assigned from queue",
    }
}

fn describe_changes(c: &Changes) -> String {
    let mut parts: Vec<String> = c.set.iter().map(|(k, v)| format!("{k} = {v}")).collect();
    if !c.add_tags.is_empty() {
        parts.push(format!("tags + {}", c.add_tags.join(" ")));
    }
    if !c.remove_tags.is_empty() {
        parts.push(format!("tags - {}", c.remove_tags.join(" ")));
    }
    parts.extend(c.unset.iter().map(|k| format!("{k} unset")));
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_name_has_a_kind() {
        for name in EVENTS {
            assert!(kind_named(name).is_some(), "{name}");
        }
        assert_eq!(
            kind_named("End_User-Inactive"),
            Some(Kind::EndUserInactive { minutes: 0 })
        );
        assert_eq!(kind_named("closed"), None);
    }

    #[test]
    fn keys_depend_on_the_kind() {
        assert!(keys_of(Some(Kind::Comment)).contains(&"body"));
        assert!(!keys_of(Some(Kind::Changed)).contains(&"minutes"));
        assert!(!keys_of(Some(Kind::AgentEndsSession)).contains(&"by"));
        assert!(keys_of(None).contains(&"minutes"));
    }
}
