//! The engine's working ticket: what triggers read and change of a Zendesk ticket, copied
//! out of it once per event (into its snapshot) as one small struct, and written back
//! onto a copy of it only when the caller asks for the outcome.
//!
//! A Zendesk ticket is large and pointer-rich (texts, sideloaded objects, the unknown keys
//! of every object, shared). Testing conditions on it means one cold load after another,
//! and changing it means copying all of it; the facts are a few cache lines, copied in a
//! few instructions, and borrow the lists (tags, custom fields) until an action changes
//! them.

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::Value;

use super::messaging::ONCE_MARKER;
use crate::model::{
    CustomField, EndReason, InactiveReason, MessagingSession, Priority, Role, RoutingChannel,
    Satisfaction, SatisfactionRating, SessionState, Status, Tag, Ticket, TicketType, Timestamp,
};

/// What triggers read and change of one ticket.
#[derive(Debug, Clone)]
pub(crate) struct Facts<'a> {
    /// The ticket they were copied from, for what triggers only read now and then (texts,
    /// organization fields, timestamps).
    pub base: &'a Ticket,
    pub status: Status,
    pub priority: Option<Priority>,
    pub ticket_type: Option<TicketType>,
    pub routing_channel: Option<RoutingChannel>,
    pub satisfaction: Satisfaction,
    pub requester_role: Option<Role>,
    pub is_public: Option<bool>,
    pub via_id: Option<u32>,
    pub group_id: Option<u64>,
    pub assignee_id: Option<u64>,
    pub requester_id: Option<u64>,
    pub organization_id: Option<u64>,
    pub ticket_form_id: Option<u64>,
    pub brand_id: Option<u64>,
    pub schedule_id: Option<u64>,
    pub tags: Cow<'a, [Tag]>,
    pub custom_fields: Cow<'a, [CustomField]>,
    pub session: Option<Session>,
    /// The `once per ticket` triggers that fired in this cycle; the snapshot holds those
    /// that fired before.
    pub once_fired: Vec<Arc<str>>,
}

/// What triggers read and change of a messaging session.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Session {
    pub state: Option<SessionState>,
    pub inactive_reason: Option<InactiveReason>,
    pub end_reason: Option<EndReason>,
    pub ended_at: Option<Timestamp>,
    /// Read only.
    pub last_end_user_activity_at: Option<Timestamp>,
}

impl Session {
    fn of(s: &MessagingSession) -> Session {
        Session {
            state: s.state,
            inactive_reason: s.inactive_reason,
            end_reason: s.end_reason,
            ended_at: s.ended_at,
            last_end_user_activity_at: s.last_end_user_activity_at,
        }
    }

    fn write_to(self, s: &mut MessagingSession) {
        s.state = self.state;
        s.inactive_reason = self.inactive_reason;
        s.end_reason = self.end_reason;
        s.ended_at = self.ended_at;
    }
}

impl<'a> Facts<'a> {
    pub fn of(t: &'a Ticket) -> Facts<'a> {
        Facts {
            base: t,
            status: t.status,
            priority: t.priority,
            ticket_type: t.ticket_type,
            routing_channel: t.routing_channel,
            satisfaction: t.satisfaction(),
            requester_role: t.requester.as_ref().and_then(|r| r.role),
            is_public: t.is_public,
            via_id: t.via.as_ref().and_then(|v| v.id),
            group_id: t.group_id,
            assignee_id: t.assignee_id,
            requester_id: t.requester_id,
            organization_id: t.organization_id,
            ticket_form_id: t.ticket_form_id,
            brand_id: t.brand_id,
            schedule_id: t.schedule_id,
            tags: Cow::Borrowed(&t.tags),
            custom_fields: Cow::Borrowed(&t.custom_fields),
            session: t.messaging_session.as_ref().map(Session::of),
            once_fired: Vec::new(),
        }
    }

    /// The same facts, their lists borrowed from these: the working copy of a cycle.
    pub fn borrowed(&self) -> Facts<'_> {
        Facts {
            tags: Cow::Borrowed(&self.tags),
            custom_fields: Cow::Borrowed(&self.custom_fields),
            once_fired: self.once_fired.clone(),
            ..*self
        }
    }

    /// The value of custom field `id`, if the ticket lists it.
    pub fn custom_field(&self, id: u64) -> Option<&Value> {
        let field = self.custom_fields.iter().find(|f| f.id == id);
        field.map(|f| &f.value)
    }

    /// Whether the session has ended.
    pub fn session_ended(&self) -> bool {
        self.session
            .is_some_and(|s| s.state == Some(SessionState::Ended))
    }

    /// The base ticket with the facts written onto it: only the fields triggers change,
    /// so every other key comes back as the caller gave it.
    pub fn into_ticket(self) -> Ticket {
        let mut t = self.base.clone();
        t.status = self.status;
        t.priority = self.priority;
        t.ticket_type = self.ticket_type;
        t.routing_channel = self.routing_channel;
        t.group_id = self.group_id;
        t.assignee_id = self.assignee_id;
        t.ticket_form_id = self.ticket_form_id;
        t.brand_id = self.brand_id;
        t.schedule_id = self.schedule_id;
        if let Cow::Owned(tags) = self.tags {
            t.tags = tags;
        }
        if let Cow::Owned(fields) = self.custom_fields {
            t.custom_fields = fields;
        }
        if self.satisfaction != t.satisfaction() {
            match t.satisfaction_rating.as_mut() {
                Some(r) => r.score = self.satisfaction,
                None => {
                    t.satisfaction_rating = Some(SatisfactionRating {
                        score: self.satisfaction,
                        extra: Default::default(),
                    })
                }
            }
        }
        // A session the cycle started (by ending it) is created.
        if let Some(s) = self.session {
            s.write_to(t.messaging_session.get_or_insert_with(Default::default));
        }
        if !self.once_fired.is_empty() {
            mark_fired(&mut t, &self.once_fired);
        }
        t
    }
}

/// Adds `titles` to the ticket's [`ONCE_MARKER`] list.
fn mark_fired(ticket: &mut Ticket, titles: &[Arc<str>]) {
    // Anything but a list there is not declic's, and is replaced.
    let mut list: Vec<Value> = ticket.extra.read(ONCE_MARKER).unwrap_or_default();
    list.extend(titles.iter().map(|t| Value::String(t.to_string())));
    ticket.extra.set(ONCE_MARKER, &Value::Array(list));
}

#[cfg(test)]
mod tests {
    use super::{Facts, Session};
    use crate::model::{Satisfaction, SessionState, Status, Tag, Ticket};
    use proptest::prelude::*;
    use serde_json::{json, Value};
    use std::borrow::Cow;

    /// Tickets with and without each object triggers change, known keys given as `null`,
    /// and unknown keys everywhere.
    fn arb_ticket() -> impl Strategy<Value = Ticket> {
        let maybe = |v: Value| prop::option::of(prop::option::of(Just(v)));
        (
            maybe(json!({"score": "good", "id": 7})),
            maybe(json!({"state": "inactive", "last_end_user_activity_at": "2026-01-01T00:00:00Z", "x": 1})),
            maybe(json!([{"id": 5, "value": "a"}])),
            maybe(json!(["vip", "b"])),
            maybe(json!(3)),
            maybe(json!({"declic_messaging_triggers_fired": ["m"], "url": "u"})),
        )
            .prop_map(|(rating, session, custom, tags, group, extra)| {
                let mut t = json!({"id": 1});
                for (key, v) in [
                    ("satisfaction_rating", rating),
                    ("messaging_session", session),
                    ("custom_fields", custom),
                    ("tags", tags),
                    ("group_id", group),
                ] {
                    // Absent, `null`, or a value.
                    if let Some(v) = v {
                        t[key] = v.unwrap_or(Value::Null);
                    }
                }
                if let Some(Some(Value::Object(keys))) = extra {
                    for (k, v) in keys {
                        t[k] = v;
                    }
                }
                serde_json::from_value(t).expect("a valid ticket")
            })
    }

    proptest! {
        /// Facts written back unchanged give the ticket back, key for key.
        #[test]
        fn unchanged_facts_write_back_the_same_ticket(t in arb_ticket()) {
            let back = Facts::of(&t).into_ticket();
            prop_assert_eq!(json!(back), json!(&t));
            prop_assert_eq!(back, t);
        }
    }

    #[test]
    fn changed_facts_write_back_only_what_changed() {
        let t: Ticket = serde_json::from_value(json!({
            "id": 1, "tags": ["a"], "priority": null, "url": "u",
            "satisfaction_rating": null
        }))
        .expect("a valid ticket");
        let mut f = Facts::of(&t);
        f.status = Status::Solved;
        f.tags = Cow::Owned(vec![Tag::from("b")]);
        f.satisfaction = Satisfaction::Offered;
        f.session = Some(Session {
            state: Some(SessionState::Ended),
            ..Session::default()
        });
        f.once_fired.push("m".into());
        assert_eq!(
            json!(f.into_ticket()),
            json!({
                "id": 1, "status": "solved", "tags": ["b"], "priority": null, "url": "u",
                "satisfaction_rating": {"score": "offered"},
                "messaging_session": {"state": "ended"},
                "declic_messaging_triggers_fired": ["m"]
            })
        );
    }
}
