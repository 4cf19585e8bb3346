//! Messaging sessions: the state derived from time, what an agent ending the session does
//! to the update, and which messaging triggers may run (DOMAIN.md sections 4 and 4b).

use std::borrow::Cow;

use serde_json::Value;

use super::compile::Trigger;
use super::explain::Blocked;
use crate::model::{
    Account, EndReason, Event, InactiveReason, MessagingSession, RoutingChannel, SessionChange,
    SessionState, Status, Ticket, Timestamp, DEFAULT_INACTIVITY_MINUTES,
};
use crate::syntax::ast::TriggerKind;

/// The key of `ticket.extra` listing the `once per ticket` messaging triggers that already
/// fired on the ticket. It travels with the ticket the caller stores, so the next update
/// knows; it is not a tag, so conditions and agents never see it.
pub const ONCE_MARKER: &str = "declic_messaging_triggers_fired";

/// The session state at `time`: Ended always wins; otherwise Inactive when the status is not
/// New/Open or the end user has been silent for the inactivity period (the account's
/// setting when the ticket is assigned, always 10 minutes when not), else Active. Without
/// a time, the snapshot's state as given.
pub fn session_state(
    session: &MessagingSession,
    ticket: &Ticket,
    account: &Account,
    time: Option<Timestamp>,
) -> Option<SessionState> {
    if session.state == Some(SessionState::Ended) {
        return Some(SessionState::Ended);
    }
    let Some(now) = time else {
        return session.state;
    };
    if !matches!(ticket.status, Status::New | Status::Open) {
        return Some(SessionState::Inactive);
    }
    let minutes = if ticket.assignee_id.is_some() {
        account.inactivity_minutes()
    } else {
        DEFAULT_INACTIVITY_MINUTES
    };
    let silent = session
        .last_end_user_activity_at
        .is_some_and(|last| now.seconds_since(last) >= i64::from(minutes) * 60);
    Some(if silent {
        SessionState::Inactive
    } else {
        SessionState::Active
    })
}

/// Applies the derived session state to the working ticket. When the state is derived
/// from time, so is the inactive reason: the status leaving New/Open, else the end user's
/// silence; an active session has none. (Keeping a reason the snapshot carried would let
/// a session that went inactive for one cause read as inactive for the other later.)
pub(crate) fn derive_state(ticket: &mut Cow<'_, Ticket>, event: &Event) {
    // Most updates leave the state as the snapshot has it: the event's ticket is
    // copied only when it changes.
    let Some((state, reason)) = derived_state(ticket, event) else {
        return;
    };
    if let Some(s) = ticket.to_mut().messaging_session.as_mut() {
        s.state = state;
        s.inactive_reason = reason;
    }
}

/// The session state and inactive reason the ticket should carry, when they are not the
/// ones it carries.
fn derived_state(
    ticket: &Ticket,
    event: &Event,
) -> Option<(Option<SessionState>, Option<InactiveReason>)> {
    let session = ticket.messaging_session.as_ref()?;
    let state = session_state(session, ticket, &event.account, event.update.time);
    let by_status = !matches!(ticket.status, Status::New | Status::Open);
    let timed = event.update.time.is_some();
    let reason = match state {
        Some(SessionState::Inactive) if timed || session.inactive_reason.is_none() => {
            Some(if by_status {
                InactiveReason::StatusChanged
            } else {
                InactiveReason::UserInactiveOrOffline
            })
        }
        Some(SessionState::Active) if timed => None,
        _ => session.inactive_reason,
    };
    (state != session.state || reason != session.inactive_reason).then_some((state, reason))
}

/// Whether the session has ended on `ticket`.
pub(crate) fn ended(ticket: &Ticket) -> bool {
    ticket
        .messaging_session
        .as_ref()
        .is_some_and(|s| s.state == Some(SessionState::Ended))
}

/// A new end-user message on a ticket whose session ended is not an update of it.
pub(crate) fn starts_new_session(event: &Event) -> bool {
    event.update.session == Some(SessionChange::EndUserMessage)
        && (ended(&event.ticket) || event.previous.as_ref().is_some_and(ended))
}

/// Ends the session on the ticket, as the update or an action does; returns whether it was
/// still running (ending an ended session does nothing).
pub(crate) fn end_session(ticket: &mut Ticket, by: EndReason, time: Option<Timestamp>) -> bool {
    let session = ticket
        .messaging_session
        .get_or_insert_with(Default::default);
    if session.state == Some(SessionState::Ended) {
        return false;
    }
    session.state = Some(SessionState::Ended);
    session.end_reason = Some(by);
    if session.ended_at.is_none() {
        session.ended_at = time;
    }
    true
}

/// The update "an agent ended the session": the session ends by agent and, when the
/// account routes agent-ended sessions as email, the routing channel becomes Email before
/// any trigger runs. Returns whether it applies.
pub(crate) fn agent_ended(ticket: &mut Cow<'_, Ticket>, event: &Event) -> bool {
    if event.update.session != Some(SessionChange::EndedByAgent) {
        return false;
    }
    let ticket = ticket.to_mut();
    let session = ticket
        .messaging_session
        .get_or_insert_with(Default::default);
    // The update says who ended it, whatever the snapshot says.
    session.state = Some(SessionState::Ended);
    session.end_reason = Some(EndReason::EndedByAgent);
    if session.ended_at.is_none() {
        session.ended_at = event.update.time;
    }
    if event.account.agent_ended_sessions_route_as_email {
        ticket.routing_channel = Some(RoutingChannel::Email);
    }
    true
}

/// Why a trigger may not run on this update, if it may not: ticket triggers always run (a
/// conversation event arrives with a ticket, and ticket triggers run on every ticket
/// update); messaging triggers only on one of their conversation events, never once the
/// session ended, and at most once per ticket when so marked.
pub(crate) fn blocked(t: &Trigger, ticket: &Ticket, event: &Event) -> Option<Blocked> {
    if t.kind == TriggerKind::Ticket {
        return None;
    }
    let Some(e) = event.update.conversation_event else {
        return Some(Blocked::NoConversationEvent);
    };
    if !(t.events.is_empty() || t.events.contains(&e)) {
        Some(Blocked::OtherConversationEvent)
    } else if ended(ticket) {
        Some(Blocked::SessionEnded)
    } else if t.once_per_ticket && already_fired(ticket, &t.title) {
        Some(Blocked::OncePerTicket)
    } else {
        None
    }
}

fn already_fired(ticket: &Ticket, title: &str) -> bool {
    match ticket.extra.get(ONCE_MARKER) {
        Some(Value::Array(titles)) => titles.iter().any(|t| t.as_str() == Some(title)),
        _ => false,
    }
}

/// Records that a `once per ticket` trigger fired.
pub(crate) fn mark_fired(ticket: &mut Ticket, title: &str) {
    let entry = ticket
        .extra
        .make_mut()
        .entry(ONCE_MARKER.into())
        .or_insert_with(|| Value::Array(Vec::new()));
    if !entry.is_array() {
        *entry = Value::Array(Vec::new());
    }
    if let Value::Array(titles) = entry {
        titles.push(Value::String(title.to_owned()));
    }
}
