//! The peer rows of section a: the recipes' conditions written in JSONLogic (run by
//! datalogic-rs, [`jsonlogic`]) and in rhai ([`rhai`]), each compiled once, driven by one
//! small Rust cycle with declic's semantics, shared by both.
//!
//! Each peer writes, in its own language, the conditions of the nine active triggers of
//! `recipes/fr`, in file order ([`TITLES`]). Everything else is this driver, written once
//! over [`Doc`] (the event in the peer's own form, read and changed in place):
//!
//! - **the cycle**: passes from the top until one fires nothing, each trigger at most
//!   once per update, every firing applied before the next condition is evaluated;
//! - **the actions** ([`ACTIONS`]), applied in Rust to the peer's data: JSONLogic and
//!   rhai expressions are conditions, and a trigger's actions are plain field writes;
//! - **what declic does before its triggers run**, precomputed into the data the peer
//!   sees, once per event: no run on an update of a Closed ticket, nor on an end user's
//!   message after the session ended; an agent-ended session applied to the ticket (and
//!   its routing channel when the account routes those as email); the session state and
//!   inactive reason derived from the update's time. The two timestamps stay text in both
//!   peers' data, so the driver parses them on every event (declic's and `hand.rs`'s
//!   events hold them parsed).
//!
//! Nothing else is precomputed: "Ticket is Created", the "changed to" deltas against
//! `previous`, status categories and defaults (a ticket without a rating is Unoffered)
//! are written in each peer's rules. Messaging-trigger gating (its conversation event, no
//! run once the session ended) is written as conditions too, which is how a user of a
//! general-purpose engine has to say it. Not modelled, as in `hand.rs`, because the
//! generated events never need them: `once per ticket` (they never carry declic's marker
//! of it) and business hours from a schedule (they state `in_business_hours`).

pub mod jsonlogic;
pub mod rhai;

use jiff::Timestamp;

/// The active triggers of `recipes/fr`, in the order declic runs them. Each peer's rules
/// come in this order, and the driver's [`Fired`] masks use these positions.
pub const TITLES: [&str; 9] = [
    "Hors horaires : prévenir le client",
    "Hors horaires : fin de session et routage e-mail",
    "Afflux (routage de messagerie) : fin des sessions abandonnées en file",
    "Afflux (routage omnicanal) : file secondaire pour les conversations inactives",
    "Abandon : relance par e-mail (routage omnicanal)",
    "Abandon : résolution automatique",
    "Reporting : session terminée par un agent",
    "Reporting : session terminée par un déclencheur",
    "CSAT par e-mail à la fin de la session de messagerie",
];

/// A value the driver reads from a peer's data; `Null` stands for a missing key too.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Leaf<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Str(&'a str),
    /// An object, an array or a float: the driver never needs to look inside one.
    Other,
}

/// A value the driver writes into a peer's data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Put {
    Null,
    Int(i64),
    Str(&'static str),
}

/// One event in a peer's own form (`ticket`, `previous`, `update`, `account` at the
/// root), as the driver reads and changes it.
pub trait Doc {
    /// Calls `f` with the value at `path` from the root. A callback rather than a return
    /// value because rhai hands out its strings behind a guard.
    fn read<R>(&self, path: &[&str], f: impl FnOnce(Leaf<'_>) -> R) -> R;
    /// Sets the value at `path`, creating the objects missing on the way.
    fn write(&mut self, path: &[&'static str], value: Put);
    /// Whether the ticket's tags hold `tag`.
    fn has_tag(&self, tag: &str) -> bool;
    /// Appends `tag` to the ticket's tags (the driver checks it is not there yet).
    fn push_tag(&mut self, tag: &'static str);
}

/// Which triggers fired on one event: bit `i` for [`TITLES`]`[i]`.
pub type Fired = u16;

/// What one firing does to the ticket.
enum Act {
    Tag(&'static str),
    Set(&'static [&'static str], Put),
    /// End messaging session: Ended by trigger, routing channel Email; nothing when the
    /// session already ended.
    EndSession,
    /// Send CSAT by email: offered when the requester has an email address and the
    /// ticket is unrated; the tag either way.
    CsatByEmail,
}

const GROUP: &[&str] = &["ticket", "group_id"];
const PRIORITY: &[&str] = &["ticket", "priority"];
const ROUTING: &[&str] = &["ticket", "routing_channel"];
const STATUS: &[&str] = &["ticket", "status"];
const STATE: &[&str] = &["ticket", "messaging_session", "state"];
const END_REASON: &[&str] = &["ticket", "messaging_session", "end_reason"];
const INACTIVE_REASON: &[&str] = &["ticket", "messaging_session", "inactive_reason"];
const SCORE: &[&str] = &["ticket", "satisfaction_rating", "score"];

/// The actions of the triggers of [`TITLES`], in the same order. The after-hours message
/// itself is an effect, not data, so the first trigger only tags.
const ACTIONS: [&[Act]; 9] = [
    &[Act::Tag("after_hours_notice")],
    &[
        Act::EndSession,
        Act::Tag("after_hours"),
        Act::Set(GROUP, Put::Int(360_012_000_203)),
        Act::Set(PRIORITY, Put::Str("low")),
    ],
    &[Act::EndSession, Act::Tag("abandoned_queue")],
    &[
        Act::Set(GROUP, Put::Int(360_012_000_201)),
        Act::Set(PRIORITY, Put::Str("low")),
        Act::Tag("abandoned_queue"),
    ],
    &[
        Act::Set(ROUTING, Put::Str("email")),
        Act::Set(GROUP, Put::Int(360_012_000_202)),
        Act::Set(PRIORITY, Put::Str("normal")),
        Act::Tag("email_follow_up"),
    ],
    &[
        Act::Set(STATUS, Put::Str("solved")),
        Act::Tag("abandoned_conversation"),
    ],
    &[Act::Tag("session_ended_by_agent")],
    &[Act::Tag("session_ended_by_trigger")],
    &[Act::CsatByEmail],
];

/// Runs the cycle on one event; `holds(i, doc)` evaluates the peer's condition `i` on the
/// data as changed so far.
pub fn run<D: Doc>(doc: &mut D, mut holds: impl FnMut(usize, &mut D) -> bool) -> Fired {
    if skipped(doc) {
        return 0;
    }
    agent_ended(doc);
    derive_state(doc);
    let mut fired: Fired = 0;
    loop {
        let mut any = false;
        for (i, actions) in ACTIONS.iter().enumerate() {
            if fired & (1 << i) == 0 && holds(i, doc) {
                actions.iter().for_each(|a| act(a, doc));
                fired |= 1 << i;
                any = true;
            }
        }
        if !any {
            return fired;
        }
    }
}

/// No trigger runs on an update of a Closed ticket, nor on an end user's message after
/// the session ended (it starts a new ticket).
fn skipped(doc: &impl Doc) -> bool {
    is(doc, &["previous", "status"], "closed")
        || (is(doc, &["update", "session"], "end_user_message")
            && (is(doc, STATE, "ended")
                || is(doc, &["previous", "messaging_session", "state"], "ended")))
}

/// An agent ended the session in this update: Ended by agent, and routing Email first
/// when the account routes agent-ended sessions as email.
fn agent_ended(doc: &mut impl Doc) {
    if !is(doc, &["update", "session"], "ended_by_agent") {
        return;
    }
    doc.write(STATE, Put::Str("ended"));
    doc.write(END_REASON, Put::Str("ended_by_agent"));
    let as_email = doc.read(&["account", "agent_ended_sessions_route_as_email"], |l| {
        l == Leaf::Bool(true)
    });
    if as_email {
        doc.write(ROUTING, Put::Str("email"));
    }
}

/// The session state at the update's time (DOMAIN.md 4b): Ended stays; otherwise
/// Inactive when the status is not New/Open or the end user has been silent for the
/// inactivity period (the account's when assigned, always 10 minutes when not).
fn derive_state(doc: &mut impl Doc) {
    let session = doc.read(&["ticket", "messaging_session"], |l| l != Leaf::Null);
    if !session || is(doc, STATE, "ended") {
        return;
    }
    let Some(now) = time(doc, &["update", "time"]) else {
        return;
    };
    let by_status = doc.read(STATUS, |l| {
        !matches!(l, Leaf::Null | Leaf::Str("new" | "open"))
    });
    let minutes = if doc.read(&["ticket", "assignee_id"], |l| l != Leaf::Null) {
        doc.read(&["account", "messaging_inactivity_minutes"], |l| match l {
            Leaf::Int(m) => m,
            _ => 10,
        })
    } else {
        10
    };
    let silent = time(
        doc,
        &["ticket", "messaging_session", "last_end_user_activity_at"],
    )
    .is_some_and(|last| now.as_second() - last.as_second() >= minutes * 60);
    if by_status || silent {
        doc.write(STATE, Put::Str("inactive"));
        let why = if by_status {
            "status_changed"
        } else {
            "user_inactive_or_offline"
        };
        doc.write(INACTIVE_REASON, Put::Str(why));
    } else {
        doc.write(STATE, Put::Str("active"));
        doc.write(INACTIVE_REASON, Put::Null);
    }
}

fn act(a: &Act, doc: &mut impl Doc) {
    match a {
        Act::Tag(tag) => {
            if !doc.has_tag(tag) {
                doc.push_tag(tag);
            }
        }
        Act::Set(path, value) => doc.write(path, *value),
        Act::EndSession => {
            if !is(doc, STATE, "ended") {
                doc.write(STATE, Put::Str("ended"));
                doc.write(END_REASON, Put::Str("ended_by_trigger"));
                doc.write(ROUTING, Put::Str("email"));
            }
        }
        Act::CsatByEmail => {
            let email = doc.read(
                &["ticket", "requester", "email"],
                |l| matches!(l, Leaf::Str(m) if !m.trim().is_empty()),
            );
            let unoffered = doc.read(SCORE, |l| matches!(l, Leaf::Null | Leaf::Str("unoffered")));
            if email && unoffered {
                doc.write(SCORE, Put::Str("offered"));
            }
            act(&Act::Tag("csat_email"), doc);
        }
    }
}

fn is(doc: &impl Doc, path: &[&str], want: &str) -> bool {
    doc.read(path, |l| l == Leaf::Str(want))
}

fn time(doc: &impl Doc, path: &[&str]) -> Option<Timestamp> {
    doc.read(path, |l| match l {
        Leaf::Str(s) => s.parse().ok(),
        _ => None,
    })
}

#[cfg(test)]
mod tests;
