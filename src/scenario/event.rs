//! The update event a step stands for: the ticket as the previous step left it, with the
//! step's changes; the ticket before; and what the update was, in the model's terms.

use serde_json::{Map, Value};

use super::step::{Changes, Kind, Step};
use super::ticket;
use crate::model::{
    Account, Actor, Comment, ConversationEvent, Event, Role, SessionChange, SessionState, Ticket,
    Timestamp, Update, UpdateKind,
};

/// The scenario's clock. Steps that depend on time (the end user going quiet or writing)
/// carry it to the engine, and every step does once the scenario sets `start`, so that
/// business-hours schedules apply; otherwise session states stay as written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clock {
    /// The time now.
    pub(crate) now: Timestamp,
    /// Whether every step carries the time.
    pub(crate) always: bool,
}

/// The update event of `step` on the ticket `before` (the starting ticket, or the one the
/// previous step left); `first` tells whether `before` is the starting ticket.
pub(crate) fn event(
    step: &Step,
    before: &Ticket,
    first: bool,
    account: &Account,
    clock: &mut Clock,
) -> Result<Event, String> {
    let mut ticket = apply_changes(before, &step.changes)?;
    let timed = clock.always || carries_clock(step);
    if let Kind::EndUserInactive { minutes } = step.kind {
        clock.now = go_quiet(&mut ticket, clock.now, minutes)?;
    }
    if end_user_writes(step) {
        note_end_user_activity(&mut ticket, clock.now);
    }
    let time = timed.then_some(clock.now);
    let previous = match (step.kind, first) {
        (Kind::Created, true) => None,
        _ => Some(std::sync::Arc::new(before.clone())),
    };
    Ok(Event {
        update: update(step, &ticket, time),
        ticket: ticket.into(),
        previous,
        account: account.clone(),
    })
}

/// What the update is: who, through which channel, with which comment, conversation
/// event and session change.
fn update(step: &Step, ticket: &Ticket, time: Option<Timestamp>) -> Update {
    Update {
        kind: Some(if step.kind == Kind::Created {
            UpdateKind::Create
        } else {
            UpdateKind::Change
        }),
        via_id: step
            .via_id
            .or_else(|| is_messaging(step).then_some(NATIVE_MESSAGING)),
        actor: step.actor().map(|role| Actor {
            id: match role {
                Role::EndUser => ticket.requester_id,
                Role::Agent => ticket.assignee_id,
                Role::Admin => None,
            },
            role,
        }),
        comment: step.body.as_ref().map(|body| Comment {
            body: body.clone(),
            public: step.public,
            extra: Default::default(),
        }),
        time,
        conversation_event: match step.kind {
            Kind::Conversation(e) => Some(e),
            Kind::EndUserWritesAgain => Some(ConversationEvent::MessageSent),
            _ => None,
        },
        session: match step.kind {
            Kind::AgentEndsSession => Some(SessionChange::EndedByAgent),
            _ if end_user_writes(step) => Some(SessionChange::EndUserMessage),
            _ => None,
        },
    }
}

/// `via_id` of native messaging, the channel of conversation steps.
const NATIVE_MESSAGING: u32 = 75;

/// Whether the step happens in the messaging conversation.
fn is_messaging(step: &Step) -> bool {
    matches!(
        step.kind,
        Kind::Conversation(_) | Kind::EndUserWritesAgain | Kind::AgentEndsSession
    )
}

/// The ticket with the step's own changes, through its JSON form so that `set` means
/// exactly what the same keys mean in a ticket.
fn apply_changes(before: &Ticket, changes: &Changes) -> Result<Ticket, String> {
    let mut json = match serde_json::to_value(before) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    ticket::merge(&mut json, &changes.set);
    for key in &changes.unset {
        ticket::remove(&mut json, key);
    }
    let mut after: Ticket = serde_json::from_value(Value::Object(json))
        .map_err(|e| format!("the ticket after this step's changes is not valid: {e}"))?;
    for tag in &changes.add_tags {
        if !after.has_tag(tag) {
            after.tags.push(tag.into());
        }
    }
    after
        .tags
        .retain(|t| !changes.remove_tags.iter().any(|r| r == t));
    Ok(after)
}

/// The end user goes quiet for `minutes` after their last message: the clock moves there
/// (never backwards). A session that never recorded a message counts from now.
fn go_quiet(ticket: &mut Ticket, now: Timestamp, minutes: u32) -> Result<Timestamp, String> {
    let last = match ticket.messaging_session.as_mut() {
        Some(session) => *session.last_end_user_activity_at.get_or_insert(now),
        None => now,
    };
    let later = Timestamp::from_second(last.as_second() + i64::from(minutes) * 60)
        .ok_or_else(|| format!("{minutes} minutes after {last} is out of range"))?;
    Ok(later.max(now))
}

/// The end user's message resets the inactivity clock of a session still running.
fn note_end_user_activity(ticket: &mut Ticket, now: Timestamp) {
    if let Some(session) = ticket.messaging_session.as_mut() {
        if session.state != Some(SessionState::Ended) {
            session.last_end_user_activity_at = Some(now);
        }
    }
}

/// Whether the end user writes in the messaging conversation in this step, which
/// resets the session's inactivity clock (and, after its end, starts a new one).
/// Whether `step` carries the scenario's clock to the engine without `start`: the end
/// user writes or goes quiet.
pub(crate) fn carries_clock(step: &Step) -> bool {
    end_user_writes(step) || matches!(step.kind, Kind::EndUserInactive { .. } | Kind::Wait { .. })
}

fn end_user_writes(step: &Step) -> bool {
    let writes = matches!(
        step.kind,
        Kind::Conversation(ConversationEvent::MessageSent) | Kind::EndUserWritesAgain
    );
    writes && step.actor() == Some(Role::EndUser)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn going_quiet_counts_from_the_last_message() {
        let t0: Timestamp = "2024-05-06T09:00:00Z".parse().expect("valid");
        let mut ticket = Ticket {
            messaging_session: Some(Default::default()),
            ..Ticket::default()
        };
        let later = go_quiet(&mut ticket, t0, 12).expect("in range");
        assert_eq!(later.seconds_since(t0), 720);
        let session = ticket.messaging_session.as_ref().expect("kept");
        assert_eq!(session.last_end_user_activity_at, Some(t0));
        // A second quiet spell counts from the same last message, never backwards.
        assert_eq!(go_quiet(&mut ticket, later, 5).expect("in range"), later);
    }

    fn t0() -> Timestamp {
        "2024-05-06T09:00:00Z".parse().expect("valid")
    }

    fn step(kind: Kind, by: Option<Role>) -> Step {
        Step {
            kind,
            note: None,
            by,
            via_id: None,
            body: None,
            public: true,
            changes: Changes::default(),
            expect: Default::default(),
            span: Default::default(),
        }
    }

    fn messaging_ticket() -> Ticket {
        Ticket {
            assignee_id: Some(42),
            requester_id: Some(7),
            messaging_session: Some(Default::default()),
            ..Ticket::default()
        }
    }

    fn event_of(step: &Step, first: bool) -> (Event, Clock) {
        let mut clock = Clock {
            now: t0(),
            always: false,
        };
        let e = event(
            step,
            &messaging_ticket(),
            first,
            &Account::default(),
            &mut clock,
        )
        .expect("applies");
        (e, clock)
    }

    /// An update in one line: actor and id, channel, conversation event, session change,
    /// and whether it carries the time.
    fn summary(u: &Update) -> String {
        let actor = u.actor.as_ref().map(|a| format!("{:?}:{:?}", a.role, a.id));
        let parts = [
            actor,
            u.via_id.map(|v| format!("via {v}")),
            u.conversation_event.map(|e| format!("{e:?}")),
            u.session.map(|c| format!("{c:?}")),
            u.time.map(|_| "timed".to_owned()),
        ];
        let parts: Vec<String> = parts.into_iter().flatten().collect();
        parts.join(", ")
    }

    #[test]
    fn each_kind_maps_to_its_update() {
        use ConversationEvent as C;
        let (agent, end_user) = (Some(Role::Agent), Some(Role::EndUser));
        let cases = [
            (Kind::Changed, None, ""),
            (Kind::Comment, agent, "Agent:Some(42)"),
            (Kind::Comment, end_user, "EndUser:Some(7)"),
            (
                Kind::Conversation(C::ConversationRequested),
                None,
                "EndUser:Some(7), via 75, ConversationRequested",
            ),
            (
                Kind::Conversation(C::MessageSent),
                None,
                "EndUser:Some(7), via 75, MessageSent, EndUserMessage, timed",
            ),
            (
                Kind::Conversation(C::MessageSent),
                agent,
                "Agent:Some(42), via 75, MessageSent",
            ),
            (
                Kind::Conversation(C::AddedToQueue),
                None,
                "via 75, AddedToQueue",
            ),
            (Kind::EndUserInactive { minutes: 12 }, None, "timed"),
            (
                Kind::AgentEndsSession,
                None,
                "Agent:Some(42), via 75, EndedByAgent",
            ),
            (
                Kind::EndUserWritesAgain,
                None,
                "EndUser:Some(7), via 75, MessageSent, EndUserMessage, timed",
            ),
        ];
        for (kind, by, expected) in cases {
            let (e, _) = event_of(&step(kind, by), false);
            assert_eq!(summary(&e.update), expected, "{kind:?} by {by:?}");
            assert_eq!(e.update.kind, Some(UpdateKind::Change), "{kind:?}");
            assert!(e.previous.is_some(), "{kind:?}");
        }
    }

    #[test]
    fn created_has_no_previous_ticket() {
        let (e, _) = event_of(&step(Kind::Created, None), true);
        assert_eq!(e.update.kind, Some(UpdateKind::Create));
        assert!(e.previous.is_none() && e.is_create());
    }

    #[test]
    fn an_end_user_message_resets_the_inactivity_clock() {
        let (e, clock) = event_of(&step(Kind::EndUserWritesAgain, None), false);
        let session = e.ticket.messaging_session.as_ref().expect("kept");
        assert_eq!(session.last_end_user_activity_at, Some(clock.now));
        let (e, clock) = event_of(&step(Kind::EndUserInactive { minutes: 12 }, None), false);
        assert_eq!(clock.now.seconds_since(t0()), 720);
        assert_eq!(e.update.time, Some(clock.now));
    }

    #[test]
    fn changes_apply_before_triggers_see_the_ticket() {
        let mut s = step(Kind::Changed, None);
        s.changes.set.insert("status".into(), "solved".into());
        s.changes
            .set
            .insert("custom_fields_9".into(), "gold".into());
        s.changes.add_tags = vec!["vip".into(), "vip".into()];
        let (e, _) = event_of(&s, false);
        assert_eq!(e.ticket.status, crate::model::Status::Solved);
        assert_eq!(e.ticket.custom_field(9), Some(&Value::from("gold")));
        assert_eq!(e.ticket.tags, ["vip"], "a tag is added once");
        assert_eq!(e.previous.expect("kept").status, crate::model::Status::New);
    }
}
