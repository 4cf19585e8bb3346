//! An update event in the engine's own form, made once per event.

use std::borrow::Cow;
use std::sync::OnceLock;

use serde_json::Value;

use super::facts::Facts;
use super::messaging::ONCE_MARKER;
use crate::catalog::fields::FieldKey;
use crate::model::{
    ConversationEvent, EndSessionVersion, Event, HoursTest, OpenWeek, SessionChange, Ticket,
    Timestamp,
};

/// An update event prepared for the engine: what triggers read of the ticket before and
/// after the update, copied out of them, and what the update says, computed once.
///
/// [`Compiled::run`](super::Compiled::run) makes one for each event it runs; a service
/// that keeps its events in this form runs them with
/// [`Compiled::cycle`](super::Compiled::cycle) and skips the copy.
#[derive(Debug, Clone)]
pub struct Snapshot<'a> {
    pub(crate) event: &'a Event,
    pub(crate) ticket: Facts<'a>,
    pub(crate) previous: Option<Facts<'a>>,
    pub(crate) is_create: bool,
    pub(crate) business_hours: Option<bool>,
    // What every cycle reads of the update and the account, beside the ticket's facts:
    // a cycle that needs nothing else touches no other memory.
    pub(crate) time: Option<Timestamp>,
    pub(crate) session_change: Option<SessionChange>,
    pub(crate) conversation_event: Option<ConversationEvent>,
    pub(crate) inactivity_minutes: u32,
    pub(crate) agent_ended_routes_as_email: bool,
    /// Whether the account's End session action leaves the routing channel (Zendesk's
    /// current version) rather than setting Email.
    pub(crate) end_session_keeps_routing: bool,
    /// Whether the requester has an email address (for surveys by email).
    pub(crate) requester_email: bool,
    /// The `once per ticket` triggers that fired on the ticket before, from its
    /// [`ONCE_MARKER`] key, read here rather than in the unknown keys by each cycle.
    pub(crate) once_marker: Vec<Value>,
    /// The subject and the update's comment in lower case, made when a text test first
    /// reads them (neither changes during the cycle): one fold per event, not per test.
    subject_lower: OnceLock<Option<Box<str>>>,
    comment_lower: OnceLock<Option<Box<str>>>,
    /// The account schedule's open week, made when a business-hours condition first
    /// counts against it.
    open_week: OnceLock<Option<OpenWeek>>,
}

impl<'a> Snapshot<'a> {
    /// Prepares `event`, which the snapshot borrows.
    pub fn new(event: &'a Event) -> Snapshot<'a> {
        let mut snapshot = Snapshot::borrowing(event);
        // The snapshot's own copy of the tags, which most rule sets read: the event's sit
        // among everything else its reading allocated, a page away from the next event's,
        // while a batch of snapshots keeps theirs close together.
        snapshot.ticket.tags = Cow::Owned(event.ticket.tags.clone());
        snapshot
    }

    /// A snapshot for one cycle right away ([`Compiled::run`](super::Compiled::run)),
    /// which reads the tags where the event holds them.
    pub(crate) fn borrowing(event: &'a Event) -> Snapshot<'a> {
        Snapshot {
            event,
            ticket: Facts::of(&event.ticket),
            previous: event.previous.as_deref().map(Facts::of),
            is_create: event.is_create(),
            business_hours: event.in_business_hours(),
            time: event.update.time,
            session_change: event.update.session,
            conversation_event: event.update.conversation_event,
            inactivity_minutes: event.account.inactivity_minutes(),
            agent_ended_routes_as_email: event.account.agent_ended_sessions_route_as_email,
            end_session_keeps_routing: event.account.routing.as_ref().map(|r| r.end_session)
                == Some(EndSessionVersion::Current),
            requester_email: event
                .ticket
                .requester
                .as_ref()
                .and_then(|r| r.email.as_deref())
                .is_some_and(|e| !e.trim().is_empty()),
            // Only messaging triggers read it, and they run only on a conversation event:
            // other updates skip the search of the unknown keys, cold in a batch.
            once_marker: match event.update.conversation_event {
                Some(_) => event.ticket.extra.read(ONCE_MARKER).unwrap_or_default(),
                None => Vec::new(),
            },
            subject_lower: OnceLock::new(),
            comment_lower: OnceLock::new(),
            open_week: OnceLock::new(),
        }
    }

    /// The subject or the update's comment (`key`), in lower case.
    pub(crate) fn lower_text(&self, key: FieldKey) -> Option<&str> {
        let (slot, text) = match key {
            FieldKey::Subject => (&self.subject_lower, self.event.ticket.subject.as_deref()),
            FieldKey::CommentText => (
                &self.comment_lower,
                self.event.update.comment.as_ref().map(|c| c.body.as_str()),
            ),
            _ => return None,
        };
        let lower = slot.get_or_init(|| text.map(|t| t.to_lowercase().into()));
        lower.as_deref()
    }

    /// The hours time condition `test` counts on `ticket` at the update's time (none
    /// without one), business hours against the account's schedule.
    pub(crate) fn hours(&self, test: &HoursTest, ticket: &Ticket) -> Option<i64> {
        let now = self.time?;
        let week = match test.business {
            true => self
                .open_week
                .get_or_init(|| self.event.account.schedule.as_ref().map(OpenWeek::new))
                .as_ref(),
            false => None,
        };
        test.hours(ticket, now, week)
    }

    /// Whether time condition `test` holds on `ticket` at the update's time.
    pub(crate) fn hours_hold(&self, test: &HoursTest, ticket: &Ticket) -> bool {
        self.hours(test, ticket).is_some_and(|h| test.holds_for(h))
    }

    /// Whether a `once per ticket` trigger fired on the ticket before this cycle or, per
    /// `ticket`, in it.
    pub(crate) fn already_fired(&self, ticket: &Facts<'_>, title: &str) -> bool {
        let before = self.once_marker.iter().any(|t| t.as_str() == Some(title));
        before || ticket.once_fired.iter().any(|t| **t == *title)
    }

    /// The event it was made from.
    pub fn event(&self) -> &'a Event {
        self.event
    }
}
