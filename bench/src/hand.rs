//! The limit: the recipes of `recipes/` written by hand as one Rust function over a typed
//! struct that serde fills, with the same cycle semantics declic implements (passes until
//! nothing fires, each trigger once, session state derived from time, agent-ended
//! sessions, no run on closed tickets or on a new message after the end). Only what the
//! recipes read is modelled; everything else in the JSON is skipped by serde.

use jiff::Timestamp;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
pub struct Event {
    pub ticket: Ticket,
    #[serde(default)]
    pub previous: Option<Ticket>,
    #[serde(default)]
    pub update: Update,
    #[serde(default)]
    pub account: Account,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Ticket {
    #[serde(default)]
    pub status: Status,
    #[serde(default)]
    pub priority: Option<String>,
    #[serde(default)]
    pub via: Option<Via>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub group_id: Option<u64>,
    #[serde(default)]
    pub assignee_id: Option<u64>,
    #[serde(default)]
    pub requester: Option<Requester>,
    #[serde(default)]
    pub satisfaction_rating: Option<Rating>,
    #[serde(default)]
    pub routing_channel: Option<Routing>,
    #[serde(default)]
    pub messaging_session: Option<Session>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    New,
    Open,
    Pending,
    Hold,
    Solved,
    Closed,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Via {
    pub id: Option<u32>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Requester {
    #[serde(default)]
    pub email: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Rating {
    pub score: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Routing {
    Messaging,
    Email,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Session {
    #[serde(default)]
    pub state: Option<State>,
    #[serde(default)]
    pub inactive_reason: Option<String>,
    #[serde(default)]
    pub end_reason: Option<String>,
    #[serde(default)]
    pub last_end_user_activity_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Active,
    Inactive,
    Ended,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Update {
    #[serde(default)]
    pub time: Option<Timestamp>,
    #[serde(default)]
    pub conversation_event: Option<String>,
    #[serde(default)]
    pub session: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Account {
    #[serde(default)]
    pub in_business_hours: Option<bool>,
    #[serde(default)]
    pub messaging_inactivity_minutes: Option<u32>,
    #[serde(default)]
    pub agent_ended_sessions_route_as_email: bool,
}

const TRIGGERS: usize = 9;

/// Runs the recipes' cycle on one event; returns the ticket after it and the firings.
pub fn run(e: &Event) -> (Ticket, usize) {
    let mut t = e.ticket.clone();
    if e.previous
        .as_ref()
        .is_some_and(|p| p.status == Status::Closed)
        || (e.update.session.as_deref() == Some("end_user_message")
            && (ended(&e.ticket) || e.previous.as_ref().is_some_and(ended)))
    {
        return (t, 0);
    }
    if e.update.session.as_deref() == Some("ended_by_agent") {
        let s = t.messaging_session.get_or_insert_with(Session::default);
        s.state = Some(State::Ended);
        s.end_reason = Some("ended_by_agent".to_owned());
        if e.account.agent_ended_sessions_route_as_email {
            t.routing_channel = Some(Routing::Email);
        }
    }
    derive_state(&mut t, e);
    let mut done = [false; TRIGGERS];
    let mut fired = 0;
    loop {
        let mut any = false;
        for (i, done) in done.iter_mut().enumerate() {
            if !*done && fire(i, &mut t, e) {
                *done = true;
                any = true;
                fired += 1;
            }
        }
        if !any {
            return (t, fired);
        }
    }
}

/// Trigger `i` of the rule set, in order: its conditions, then its actions if they held.
fn fire(i: usize, t: &mut Ticket, e: &Event) -> bool {
    let messaging = t.via.as_ref().and_then(|v| v.id) == Some(75);
    let state = t.messaging_session.as_ref().and_then(|s| s.state);
    let end_reason = t
        .messaging_session
        .as_ref()
        .and_then(|s| s.end_reason.as_deref());
    let unassigned = t.assignee_id.is_none();
    let after_hours = e.account.in_business_hours == Some(false);
    let became_inactive = changed_to_inactive(t, e);
    let user_inactive = t
        .messaging_session
        .as_ref()
        .and_then(|s| s.inactive_reason.as_deref())
        == Some("user_inactive_or_offline");
    let held = match i {
        0 => {
            e.update.conversation_event.as_deref() == Some("conversation_requested")
                && !ended(t)
                && after_hours
                && !has(t, "after_hours_notice")
        }
        1 => e.previous.is_none() && messaging && after_hours && !has(t, "after_hours"),
        2 => {
            messaging
                && state == Some(State::Inactive)
                && unassigned
                && t.routing_channel.is_none()
                && !has(t, "abandoned_queue")
        }
        3 => {
            messaging
                && t.routing_channel == Some(Routing::Messaging)
                && state == Some(State::Inactive)
                && unassigned
                && !has(t, "abandoned_queue")
        }
        4 => {
            became_inactive
                && user_inactive
                && t.routing_channel == Some(Routing::Messaging)
                && !has_any(
                    t,
                    &[
                        "email_follow_up",
                        "abandoned_conversation",
                        "abandoned_queue",
                    ],
                )
        }
        5 => {
            t.status == Status::Open
                && became_inactive
                && user_inactive
                && !has_any(
                    t,
                    &[
                        "abandoned_conversation",
                        "email_follow_up",
                        "abandoned_queue",
                    ],
                )
        }
        6 => messaging && end_reason == Some("ended_by_agent") && !has(t, "session_ended_by_agent"),
        7 => {
            messaging
                && end_reason == Some("ended_by_trigger")
                && !has(t, "session_ended_by_trigger")
        }
        _ => {
            messaging
                && score(t) == "unoffered"
                && !has(t, "csat_email")
                && (solved_now(t, e) || end_reason_changed_to_agent(t, e))
        }
    };
    if held {
        act(i, t);
    }
    held
}

fn act(i: usize, t: &mut Ticket) {
    match i {
        0 => add(t, "after_hours_notice"),
        1 => {
            end_session(t);
            add(t, "after_hours");
            t.group_id = Some(360_012_000_203);
            t.priority = Some("low".to_owned());
        }
        2 => {
            end_session(t);
            add(t, "abandoned_queue");
        }
        3 => {
            t.group_id = Some(360_012_000_201);
            t.priority = Some("low".to_owned());
            add(t, "abandoned_queue");
        }
        4 => {
            t.routing_channel = Some(Routing::Email);
            t.group_id = Some(360_012_000_202);
            t.priority = Some("normal".to_owned());
            add(t, "email_follow_up");
        }
        5 => {
            t.status = Status::Solved;
            add(t, "abandoned_conversation");
        }
        6 => add(t, "session_ended_by_agent"),
        7 => add(t, "session_ended_by_trigger"),
        _ => {
            let email = t.requester.as_ref().and_then(|r| r.email.as_deref());
            if email.is_some_and(|m| !m.trim().is_empty()) && score(t) == "unoffered" {
                t.satisfaction_rating = Some(Rating {
                    score: "offered".to_owned(),
                });
            }
            add(t, "csat_email");
        }
    }
}

fn end_session(t: &mut Ticket) {
    let s = t.messaging_session.get_or_insert_with(Session::default);
    if s.state != Some(State::Ended) {
        s.state = Some(State::Ended);
        s.end_reason = Some("ended_by_trigger".to_owned());
        t.routing_channel = Some(Routing::Email);
    }
}

fn derive_state(t: &mut Ticket, e: &Event) {
    let (status, assigned) = (t.status, t.assignee_id.is_some());
    let Some(s) = t.messaging_session.as_mut() else {
        return;
    };
    if s.state == Some(State::Ended) {
        return;
    }
    let Some(now) = e.update.time else { return };
    let by_status = !matches!(status, Status::New | Status::Open);
    let minutes = if assigned {
        e.account.messaging_inactivity_minutes.unwrap_or(10)
    } else {
        10
    };
    let silent = s
        .last_end_user_activity_at
        .is_some_and(|last| now.as_second() - last.as_second() >= i64::from(minutes) * 60);
    if by_status || silent {
        s.state = Some(State::Inactive);
        let why = if by_status {
            "status_changed"
        } else {
            "user_inactive_or_offline"
        };
        s.inactive_reason = Some(why.to_owned());
    } else {
        s.state = Some(State::Active);
        s.inactive_reason = None;
    }
}

fn ended(t: &Ticket) -> bool {
    t.messaging_session.as_ref().and_then(|s| s.state) == Some(State::Ended)
}

fn changed_to_inactive(t: &Ticket, e: &Event) -> bool {
    let now = t.messaging_session.as_ref().and_then(|s| s.state);
    let before = e
        .previous
        .as_ref()
        .and_then(|p| p.messaging_session.as_ref())
        .and_then(|s| s.state);
    now == Some(State::Inactive) && (e.previous.is_none() || before != now)
}

fn solved_now(t: &Ticket, e: &Event) -> bool {
    let solved = |s: Status| matches!(s, Status::Solved | Status::Closed);
    solved(t.status) && e.previous.as_ref().is_none_or(|p| !solved(p.status))
}

fn end_reason_changed_to_agent(t: &Ticket, e: &Event) -> bool {
    let reason = |t: &Ticket| {
        t.messaging_session
            .as_ref()
            .and_then(|s| s.end_reason.clone())
    };
    let now = reason(t);
    now.as_deref() == Some("ended_by_agent") && e.previous.as_ref().is_none_or(|p| reason(p) != now)
}

fn score(t: &Ticket) -> &str {
    t.satisfaction_rating
        .as_ref()
        .map_or("unoffered", |r| r.score.as_str())
}

fn has(t: &Ticket, tag: &str) -> bool {
    t.tags.iter().any(|x| x == tag)
}

fn has_any(t: &Ticket, tags: &[&str]) -> bool {
    tags.iter().any(|tag| has(t, tag))
}

fn add(t: &mut Ticket, tag: &str) {
    if !has(t, tag) {
        t.tags.push(tag.to_owned());
    }
}
