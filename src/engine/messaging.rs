//! Messaging sessions: the state derived from time, what an agent ending the session does
//! to the update, and which messaging triggers may run (DOMAIN.md sections 4 and 4b).

use super::compile::Trigger;
use super::explain::Blocked;
use super::facts::Facts;
use super::snapshot::Snapshot;
use crate::catalog::TriggerKind;
use crate::model::{
    Account, EndReason, InactiveReason, MessagingSession, RoutingChannel, SessionChange,
    SessionState, Status, Ticket, Timestamp, DEFAULT_INACTIVITY_MINUTES,
};

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
    let silent_since = session.last_end_user_activity_at;
    let minutes = inactivity_minutes(ticket.assignee_id, account.inactivity_minutes());
    state_at(session.state, ticket.status, silent_since, minutes, time)
}

/// The inactivity period of a session: the account's when the ticket is assigned.
fn inactivity_minutes(assignee: Option<u64>, account_minutes: u32) -> u32 {
    match assignee {
        Some(_) => account_minutes,
        None => DEFAULT_INACTIVITY_MINUTES,
    }
}

/// [`session_state`] from the values it reads.
fn state_at(
    state: Option<SessionState>,
    status: Status,
    silent_since: Option<Timestamp>,
    minutes: u32,
    time: Option<Timestamp>,
) -> Option<SessionState> {
    if state == Some(SessionState::Ended) {
        return Some(SessionState::Ended);
    }
    let Some(now) = time else {
        return state;
    };
    if !matches!(status, Status::New | Status::Open) {
        return Some(SessionState::Inactive);
    }
    let silent =
        silent_since.is_some_and(|last| now.seconds_since(last) >= i64::from(minutes) * 60);
    Some(if silent {
        SessionState::Inactive
    } else {
        SessionState::Active
    })
}

/// Applies the derived session state to the working ticket; returns whether it changed
/// it. When the state is derived from time, so is the inactive reason: the status leaving
/// New/Open, else the end user's silence; an active session has none. (Keeping a reason
/// the snapshot carried would let a session that went inactive for one cause read as
/// inactive for the other later.)
pub(crate) fn derive_state(ticket: &mut Facts<'_>, cx: &Snapshot<'_>) -> bool {
    let Some(session) = ticket.session.as_mut() else {
        return false;
    };
    let minutes = inactivity_minutes(ticket.assignee_id, cx.inactivity_minutes);
    let (status, time, silent_since) = (ticket.status, cx.time, session.last_end_user_activity_at);
    let state = state_at(session.state, status, silent_since, minutes, time);
    let by_status = !matches!(status, Status::New | Status::Open);
    let reason = match state {
        Some(SessionState::Inactive) if time.is_some() || session.inactive_reason.is_none() => {
            Some(if by_status {
                InactiveReason::StatusChanged
            } else {
                InactiveReason::UserInactiveOrOffline
            })
        }
        Some(SessionState::Active) if time.is_some() => None,
        _ => session.inactive_reason,
    };
    let changed = state != session.state || reason != session.inactive_reason;
    session.state = state;
    session.inactive_reason = reason;
    changed
}

/// A new end-user message on a ticket whose session ended is not an update of it.
pub(crate) fn starts_new_session(snapshot: &Snapshot<'_>) -> bool {
    snapshot.session_change == Some(SessionChange::EndUserMessage)
        && (snapshot.ticket.session_ended()
            || snapshot.previous.as_ref().is_some_and(Facts::session_ended))
}

/// Ends the session on the ticket, as the update or an action does; returns whether it was
/// still running (ending an ended session does nothing).
pub(crate) fn end_session(ticket: &mut Facts<'_>, by: EndReason, time: Option<Timestamp>) -> bool {
    let session = ticket.session.get_or_insert_with(Default::default);
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
pub(crate) fn agent_ended(ticket: &mut Facts<'_>, cx: &Snapshot<'_>) -> bool {
    if cx.session_change != Some(SessionChange::EndedByAgent) {
        return false;
    }
    let session = ticket.session.get_or_insert_with(Default::default);
    // The update says who ended it, whatever the snapshot says.
    session.state = Some(SessionState::Ended);
    session.end_reason = Some(EndReason::EndedByAgent);
    if session.ended_at.is_none() {
        session.ended_at = cx.time;
    }
    if cx.agent_ended_routes_as_email {
        ticket.routing_channel = Some(RoutingChannel::Email);
    }
    true
}

/// Why a trigger may not run on this update, if it may not: ticket triggers always run (a
/// conversation event arrives with a ticket, and ticket triggers run on every ticket
/// update); messaging triggers only on one of their conversation events, never once the
/// session ended, and at most once per ticket when so marked.
#[inline]
pub(crate) fn blocked(t: &Trigger, ticket: &Facts<'_>, cx: &Snapshot<'_>) -> Option<Blocked> {
    if t.kind == TriggerKind::Ticket {
        return None;
    }
    let Some(e) = cx.conversation_event else {
        return Some(Blocked::NoConversationEvent);
    };
    if !(t.events.is_empty() || t.events.contains(&e)) {
        Some(Blocked::OtherConversationEvent)
    } else if ticket.session_ended() {
        Some(Blocked::SessionEnded)
    } else if t.once_per_ticket && cx.already_fired(ticket, &t.title) {
        Some(Blocked::OncePerTicket)
    } else {
        None
    }
}
