//! The outcome of one trigger cycle: the ticket after it, what fired and what it changed,
//! and the effects to emit once the cycle ends.
//!
//! Lists are always written, even empty, so that consumers see one fixed shape; they may
//! be left out when reading (hand-written expected outcomes stay short).

use std::borrow::Cow;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::ticket::{
    EndReason, Priority, RoutingChannel, Satisfaction, SessionState, Status, Tag, Ticket,
    TicketType,
};

/// What one trigger cycle did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Outcome {
    /// The ticket after the cycle.
    // The event's own ticket, shared, when the cycle changed nothing.
    pub ticket: Arc<Ticket>,
    /// The triggers that fired, in firing order.
    #[serde(default)]
    pub fired: Vec<Firing>,
    /// What the cycle emits once it ends (notifications, session changes, ...), in the
    /// order the actions ran.
    #[serde(default)]
    pub effects: Vec<Effect>,
    /// How many passes the cycle made, the last one being the pass in which nothing fired.
    #[serde(default)]
    pub passes: u32,
    /// Things worth knowing that did not stop the cycle.
    #[serde(default)]
    pub warnings: Vec<Warning>,
    /// Why no trigger ran at all, when none did for a reason other than their conditions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<Skipped>,
    /// The parts of triggers declic could not run (Zendesk conditions and actions it keeps
    /// as written): a trigger with such a condition was not evaluated; such an action of a
    /// trigger that fired was not applied. Left out when there is none, which is the rule
    /// for rule sets written for declic.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsupported: Vec<Unsupported>,
    /// What omnichannel routing decided after the cycle, when routing runs (the rule set
    /// has queues, agents are known, or the account has routing settings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing: Option<super::routing::Decision>,
}

impl Outcome {
    /// The outcome of a cycle that did not run: the ticket unchanged, and why.
    pub fn skipped(ticket: Arc<Ticket>, reason: SkipReason) -> Outcome {
        Outcome {
            ticket,
            fired: Vec::new(),
            effects: Vec::new(),
            passes: 0,
            warnings: Vec::new(),
            skipped: Some(Skipped::new(reason)),
            unsupported: Vec::new(),
            routing: None,
        }
    }
}

/// What one trigger cycle did, without the ticket after it: for a caller that sent the
/// ticket and needs only what fired, what each trigger changed and what to emit (the
/// output of `declic run --output changes`). Each field is the [`Outcome`]'s of the same
/// name; the ticket's clock, which Zendesk keeps itself, is not a trigger's change and is
/// not listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Changes {
    /// [`Outcome::fired`]: the triggers that fired and what each changed.
    #[serde(default)]
    pub fired: Vec<Firing>,
    /// [`Outcome::effects`].
    #[serde(default)]
    pub effects: Vec<Effect>,
    /// [`Outcome::passes`].
    #[serde(default)]
    pub passes: u32,
    /// [`Outcome::warnings`].
    #[serde(default)]
    pub warnings: Vec<Warning>,
    /// [`Outcome::skipped`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<Skipped>,
    /// [`Outcome::unsupported`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unsupported: Vec<Unsupported>,
    /// [`Outcome::routing`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing: Option<super::routing::Decision>,
}

impl From<Outcome> for Changes {
    fn from(o: Outcome) -> Changes {
        Changes {
            fired: o.fired,
            effects: o.effects,
            passes: o.passes,
            warnings: o.warnings,
            skipped: o.skipped,
            unsupported: o.unsupported,
            routing: o.routing,
        }
    }
}

/// A condition or action of a trigger that declic keeps as Zendesk wrote it
/// (`zendesk r#"..."#`) and cannot run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Unsupported {
    /// The trigger's title.
    pub trigger: Arc<str>,
    /// The trigger's Zendesk id, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// A condition or an action.
    pub part: Part,
    /// The line as written in the rules.
    pub raw: Arc<str>,
    /// Why it did not run, and what that did to the trigger.
    pub reason: Arc<str>,
}

/// Which part of a trigger an [`Unsupported`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// A condition: the trigger was not evaluated, so it did not fire.
    Condition,
    /// An action: it was not applied; the trigger's other actions were.
    Action,
}

/// One trigger that fired.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Firing {
    /// The trigger's title.
    // Shared with the compiled trigger: recording a firing copies no text.
    pub trigger: Arc<str>,
    /// The trigger's Zendesk id, when it has one: it tells apart triggers that share a
    /// title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// The pass it fired in, from 1.
    pub pass: u32,
    /// The ticket fields its actions changed, in action order; an action that set a field
    /// to the value it already had is not listed.
    #[serde(default)]
    pub changes: Vec<Change>,
}

/// One ticket field changed by a trigger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Change {
    /// The Zendesk API field name (`status`, `tags`, `custom_fields_360001`, ...).
    pub field: Cow<'static, str>,
    /// What changed.
    #[serde(flatten)]
    pub delta: Delta,
}

/// What a [`Change`] did to its field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum Delta {
    /// A field's value before and after the action.
    Value {
        /// The value before the action, as JSON (`null` for none).
        #[schemars(with = "Value")]
        from: ChangeValue,
        /// The value after the action.
        #[schemars(with = "Value")]
        to: ChangeValue,
    },
    /// The tags the action added and removed, each in list order. Only these are
    /// recorded, not the whole list before and after: a trigger that adds one tag to a
    /// long list writes one tag. The whole list is the outcome ticket's `tags`.
    Tags {
        /// The tags the ticket did not have and now has.
        added: Vec<Tag>,
        /// The tags the ticket had and no longer has.
        removed: Vec<Tag>,
    },
}

impl Change {
    /// A change of `field` from one value to another.
    pub fn value(
        field: impl Into<Cow<'static, str>>,
        from: ChangeValue,
        to: ChangeValue,
    ) -> Change {
        Change {
            field: field.into(),
            delta: Delta::Value { from, to },
        }
    }
}

/// A value a [`Change`] records: JSON, which the engine keeps as the ticket's own typed
/// value until the outcome is written, so that recording a change costs no allocation.
/// An outcome read from JSON holds [`ChangeValue::Json`].
#[derive(Debug, Clone)]
pub enum ChangeValue {
    /// A status.
    Status(Status),
    /// A priority, or none.
    Priority(Option<Priority>),
    /// A ticket type, or none.
    TicketType(Option<TicketType>),
    /// A group, agent, form, brand or schedule id, or none.
    Id(Option<u64>),
    /// A satisfaction score.
    Satisfaction(Satisfaction),
    /// A routing channel, or none.
    RoutingChannel(Option<RoutingChannel>),
    /// A messaging session state, or none.
    SessionState(Option<SessionState>),
    /// Why a messaging session ended, or nothing.
    EndReason(Option<EndReason>),
    /// Any other value (custom fields), and every value read from JSON.
    Json(Value),
}

impl ChangeValue {
    /// The value as JSON.
    pub fn to_json(&self) -> Value {
        serde_json::json!(self)
    }
}

/// Values are equal when their JSON is: a change read back equals the one written.
impl PartialEq for ChangeValue {
    fn eq(&self, other: &ChangeValue) -> bool {
        match (self, other) {
            (ChangeValue::Json(a), ChangeValue::Json(b)) => a == b,
            _ => self.to_json() == other.to_json(),
        }
    }
}

impl Serialize for ChangeValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ChangeValue::Status(v) => v.serialize(s),
            ChangeValue::Priority(v) => v.serialize(s),
            ChangeValue::TicketType(v) => v.serialize(s),
            ChangeValue::Id(v) => v.serialize(s),
            ChangeValue::Satisfaction(v) => v.serialize(s),
            ChangeValue::RoutingChannel(v) => v.serialize(s),
            ChangeValue::SessionState(v) => v.serialize(s),
            ChangeValue::EndReason(v) => v.serialize(s),
            ChangeValue::Json(v) => v.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for ChangeValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ChangeValue, D::Error> {
        Value::deserialize(d).map(ChangeValue::Json)
    }
}

/// Something the cycle emits after it ends. Each variant names the trigger that caused it;
/// `trigger` is `null` when the update itself did (an agent ending the session).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Effect {
    /// An email to a user or recipient, placeholders already rendered.
    Notification {
        /// The trigger that caused it.
        #[serde(default)]
        trigger: Option<Arc<str>>,
        /// The recipient: a user id, an address, or a symbolic recipient such as
        /// `requester_id`.
        to: String,
        /// The subject.
        subject: String,
        /// The body.
        body: String,
    },
    /// An email to the agents of a group.
    GroupNotification {
        /// The trigger that caused it.
        #[serde(default)]
        trigger: Option<Arc<str>>,
        /// The group id, or `group_id` for the ticket's group.
        group: String,
        /// The subject.
        subject: String,
        /// The body.
        body: String,
    },
    /// A webhook call.
    Webhook {
        /// The trigger that caused it.
        #[serde(default)]
        trigger: Option<Arc<str>>,
        /// The webhook's id.
        webhook_id: String,
        /// The request body, placeholders rendered; empty when the webhook takes
        /// parameters instead.
        body: String,
        /// The `[key, value]` parameters of a webhook without a JSON body, values
        /// rendered.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        params: Vec<[String; 2]>,
    },
    /// A message to a legacy target.
    Target {
        /// The trigger that caused it.
        #[serde(default)]
        trigger: Option<Arc<str>>,
        /// The target's id.
        target_id: String,
        /// The message, placeholders rendered.
        message: String,
    },
    /// A CSAT survey, sent or not.
    CsatSurvey {
        /// The trigger that caused it.
        #[serde(default)]
        trigger: Option<Arc<str>>,
        /// Where the survey goes.
        channel: CsatChannel,
        /// Whether it reached the customer; when it did, satisfaction becomes Offered.
        delivered: bool,
        /// Why it was not delivered (the session ended, no requester email).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// The messaging session ended.
    SessionEnded {
        /// The trigger that caused it.
        #[serde(default)]
        trigger: Option<Arc<str>>,
        /// Who ended it.
        by: EndReason,
    },
    /// The assignee's capacity on a channel was released.
    CapacityReleased {
        /// The trigger that caused it.
        #[serde(default)]
        trigger: Option<Arc<str>>,
        /// The agent whose capacity is freed.
        agent_id: u64,
        /// The channel (`messaging`).
        channel: String,
    },
    /// The ticket left its routing queue.
    RemovedFromQueue {
        /// The trigger that caused it.
        #[serde(default)]
        trigger: Option<Arc<str>>,
        /// Why.
        reason: String,
    },
    /// An event recorded in the ticket's history.
    History {
        /// The trigger that caused it.
        #[serde(default)]
        trigger: Option<Arc<str>>,
        /// The event, such as `end_session`.
        event: String,
    },
    /// A comment added to the ticket.
    Reply {
        /// The trigger that caused it.
        #[serde(default)]
        trigger: Option<Arc<str>>,
        /// Public reply or internal note.
        public: bool,
        /// The text, placeholders rendered.
        body: String,
    },
    /// A side conversation opened: a child ticket assigned to a group.
    SideConversation {
        /// The trigger that caused it.
        #[serde(default)]
        trigger: Option<Arc<str>>,
        /// The id of the group the child ticket is assigned to.
        #[serde(default)]
        group: String,
        /// The subject.
        subject: String,
        /// The body.
        body: String,
    },
    /// A message sent into the messaging conversation (a messaging trigger's Send message).
    Message {
        /// The trigger that caused it.
        #[serde(default)]
        trigger: Option<Arc<str>>,
        /// The text, placeholders rendered.
        body: String,
    },
    /// A new end-user message after the session's end starts a new session and ticket.
    NewSession {
        /// The trigger that caused it.
        #[serde(default)]
        trigger: Option<Arc<str>>,
        /// Why.
        reason: String,
    },
    /// The cycle stopped at the pass limit rather than settling.
    PassLimitReached {
        /// The trigger that caused it.
        #[serde(default)]
        trigger: Option<Arc<str>>,
        /// The passes made.
        passes: u32,
    },
}

impl Effect {
    /// The trigger that caused the effect; `None` when the update itself did.
    pub fn trigger(&self) -> Option<&str> {
        match self {
            Effect::Notification { trigger, .. }
            | Effect::GroupNotification { trigger, .. }
            | Effect::Webhook { trigger, .. }
            | Effect::Target { trigger, .. }
            | Effect::CsatSurvey { trigger, .. }
            | Effect::SessionEnded { trigger, .. }
            | Effect::CapacityReleased { trigger, .. }
            | Effect::RemovedFromQueue { trigger, .. }
            | Effect::History { trigger, .. }
            | Effect::Reply { trigger, .. }
            | Effect::SideConversation { trigger, .. }
            | Effect::Message { trigger, .. }
            | Effect::NewSession { trigger, .. }
            | Effect::PassLimitReached { trigger, .. } => trigger.as_deref(),
        }
    }

    /// The JSON `type` tag, e.g. `"csat_survey"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Effect::Notification { .. } => "notification",
            Effect::GroupNotification { .. } => "group_notification",
            Effect::Webhook { .. } => "webhook",
            Effect::Target { .. } => "target",
            Effect::CsatSurvey { .. } => "csat_survey",
            Effect::SessionEnded { .. } => "session_ended",
            Effect::CapacityReleased { .. } => "capacity_released",
            Effect::RemovedFromQueue { .. } => "removed_from_queue",
            Effect::History { .. } => "history",
            Effect::Reply { .. } => "reply",
            Effect::SideConversation { .. } => "side_conversation",
            Effect::Message { .. } => "message",
            Effect::NewSession { .. } => "new_session",
            Effect::PassLimitReached { .. } => "pass_limit_reached",
        }
    }
}

/// Where a CSAT survey is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CsatChannel {
    /// In the messaging conversation; needs a session that has not ended.
    Messaging,
    /// By email to the requester; needs the requester's email.
    Email,
}

/// A warning: something worth knowing that did not stop the cycle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Warning {
    /// A stable code to match on, such as `pass_limit`.
    pub code: String,
    /// The explanation for people.
    pub message: String,
}

/// Why no trigger ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Skipped {
    /// The reason, to match on.
    pub reason: SkipReason,
    /// The reason, for people.
    pub message: String,
}

impl Skipped {
    /// The skip for `reason`, with its standard message.
    pub fn new(reason: SkipReason) -> Skipped {
        Skipped {
            reason,
            message: reason.message().to_owned(),
        }
    }
}

/// The reasons a cycle runs no trigger at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// The ticket was already closed before the update.
    TicketClosed,
    /// A new end-user message after the session's end starts a new session and ticket
    /// instead of updating this one.
    NewSessionStarted,
}

impl SkipReason {
    /// The standard explanation.
    pub fn message(self) -> &'static str {
        match self {
            SkipReason::TicketClosed => "the ticket is closed; triggers do not run on closed tickets",
            SkipReason::NewSessionStarted => {
                "a new end-user message after the session ended starts a new session and a new ticket; no trigger runs on this one"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn effects_are_tagged_by_type() {
        let e = Effect::CsatSurvey {
            trigger: Some("CSAT".into()),
            channel: CsatChannel::Messaging,
            delivered: false,
            reason: Some("session ended".into()),
        };
        assert_eq!(
            json!(e),
            json!({"type": "csat_survey", "trigger": "CSAT", "channel": "messaging",
                   "delivered": false, "reason": "session ended"})
        );
        assert_eq!(e.kind(), "csat_survey");
        assert_eq!(e.trigger(), Some("CSAT"));
    }

    #[test]
    fn effect_trigger_may_be_omitted_when_read() {
        let e: Effect =
            serde_json::from_value(json!({"type": "session_ended", "by": "ended_by_agent"}))
                .expect("valid");
        assert_eq!(
            e,
            Effect::SessionEnded {
                trigger: None,
                by: EndReason::EndedByAgent
            }
        );
        assert_eq!(json!(e)["trigger"], Value::Null, "written as null");
    }

    #[test]
    fn kind_matches_the_serde_tag() {
        let all = [
            json!({"type": "notification", "to": "requester_id", "subject": "s", "body": "b"}),
            json!({"type": "group_notification", "group": "1", "subject": "s", "body": "b"}),
            json!({"type": "webhook", "webhook_id": "w", "body": "{}"}),
            json!({"type": "target", "target_id": "t", "message": "m"}),
            json!({"type": "csat_survey", "channel": "email", "delivered": true}),
            json!({"type": "session_ended", "by": "ended_by_trigger"}),
            json!({"type": "capacity_released", "agent_id": 3, "channel": "messaging"}),
            json!({"type": "removed_from_queue", "reason": "r"}),
            json!({"type": "history", "event": "end_session"}),
            json!({"type": "reply", "public": false, "body": "b"}),
            json!({"type": "side_conversation", "subject": "s", "body": "b"}),
            json!({"type": "message", "body": "b"}),
            json!({"type": "new_session", "reason": "r"}),
            json!({"type": "pass_limit_reached", "passes": 100}),
        ];
        for v in all {
            let e: Effect = serde_json::from_value(v.clone()).expect("valid");
            assert_eq!(json!(e.kind()), v["type"]);
            assert_eq!(json!(e)["type"], v["type"]);
        }
        let bad = serde_json::from_value::<Effect>(json!({"type": "fax"})).expect_err("unknown");
        assert!(bad.to_string().contains("unknown variant `fax`"), "{bad}");
    }

    #[test]
    fn a_recorded_change_is_written_as_json_and_equals_its_reading() {
        let change = Change::value(
            "priority",
            ChangeValue::Priority(Some(Priority::High)),
            ChangeValue::Priority(None),
        );
        let written = json!(change);
        assert_eq!(
            written,
            json!({"field": "priority", "from": "high", "to": null})
        );
        let read: Change = serde_json::from_value(written).expect("valid");
        assert!(matches!(
            read.delta,
            Delta::Value {
                from: ChangeValue::Json(_),
                ..
            }
        ));
        assert_eq!(read, change);
        assert_ne!(ChangeValue::Id(Some(1)), ChangeValue::Json(json!(2)));
    }

    #[test]
    fn a_tag_change_is_written_as_the_tags_added_and_removed() {
        let change = Change {
            field: "tags".into(),
            delta: Delta::Tags {
                added: vec!["b".into()],
                removed: vec![],
            },
        };
        let written = json!(change);
        assert_eq!(
            written,
            json!({"field": "tags", "added": ["b"], "removed": []})
        );
        let read: Change = serde_json::from_value(written).expect("valid");
        assert_eq!(read, change);
        // Near miss: a change holding neither shape is refused, not read as an empty one.
        let bad = serde_json::from_value::<Change>(json!({"field": "tags", "added": ["b"]}));
        assert!(bad.is_err(), "{bad:?}");
    }

    #[test]
    fn outcome_shape_is_fixed() {
        let o = Outcome::skipped(Ticket::default().into(), SkipReason::TicketClosed);
        assert_eq!(
            json!(o),
            json!({"ticket": {"status": "new"}, "fired": [], "effects": [], "passes": 0,
                   "warnings": [],
                   "skipped": {"reason": "ticket_closed", "message": SkipReason::TicketClosed.message()}})
        );
        let short: Outcome = serde_json::from_value(json!({"ticket": {}})).expect("lists default");
        assert!(short.fired.is_empty() && short.skipped.is_none());
    }
}
