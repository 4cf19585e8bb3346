//! The update event: the input of one trigger cycle.
//!
//! The types declic owns (`Event`, `Update`, `Account`, `Schedule`, ...) reject unknown keys,
//! so a misspelt setting is an error rather than a silently ignored line; the Zendesk
//! objects inside (the tickets, the comment) keep unknown keys instead.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::extra::{self, keyed_object, Extra, Reading};
use super::ticket::{Role, Ticket};
use super::time::Timestamp;

/// Minutes of end-user silence after which a messaging session is inactive, when the
/// account does not say otherwise (Zendesk's default).
pub const DEFAULT_INACTIVITY_MINUTES: u32 = 10;

/// One ticket update: the ticket before and after the update's own changes, what the
/// update was, and the account settings triggers depend on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// The ticket now, after the update's own changes and before any trigger.
    // Shared with the outcome: a cycle that changes nothing copies no ticket, and one that
    // does copies it at its first change.
    #[serde(deserialize_with = "shared")]
    pub ticket: Arc<Ticket>,
    /// The ticket before the update; absent when the update creates the ticket.
    #[serde(
        default,
        deserialize_with = "before",
        skip_serializing_if = "Option::is_none"
    )]
    // Shared like `ticket`, and so that an event is small enough to move cheaply.
    pub previous: Option<Arc<Ticket>>,
    /// What the update was: who, through which channel, with which comment.
    #[serde(default, skip_serializing_if = "is_default")]
    pub update: Update,
    /// Account settings.
    #[serde(default, skip_serializing_if = "is_default")]
    pub account: Account,
}

/// Reads a ticket straight into its shared place: serde's own `Arc` reading goes through
/// a `Box`, one more allocation and one more copy of a large struct per event.
fn shared<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Arc<Ticket>, D::Error> {
    Ticket::deserialize(d).map(Arc::new)
}

/// Reads the ticket before the update, with the keys a read takes of it, straight into
/// its shared place.
fn before<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Arc<Ticket>>, D::Error> {
    Reading::previous(|| d.deserialize_option(Before))
}

struct Before;

impl<'de> serde::de::Visitor<'de> for Before {
    type Value = Option<Arc<Ticket>>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a ticket object or null")
    }

    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        shared(d).map(Some)
    }
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

impl Event {
    /// Reads an event from JSON text.
    ///
    /// Any error (bad syntax, truncated text, a wrong type, an unknown enum value or key,
    /// nesting deeper than serde_json's limit of 128) comes back as an [`EventError`]
    /// naming where it is; nothing the text holds makes this panic.
    pub fn from_json(text: &str) -> Result<Event, EventError> {
        Event::read(text, Reading::ALL)
    }

    /// [`Event::from_json`], taking of the event what `what` says: for a run that reports
    /// what changed, not the ticket.
    pub(crate) fn read(text: &str, what: Reading) -> Result<Event, EventError> {
        // A byte-order mark, as some editors write, is not part of the JSON (rule files
        // accept one too).
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // serde reads a struct from an array too, by position: `[{"ticket": ...}]` would
        // read its first element as the ticket.
        if text.trim_start().starts_with('[') {
            return Err(EventError::not_an_object(text));
        }
        // Tracking the path costs on every value; only a failed read needs it, so a valid
        // event is read once without it and an invalid one is read again with it.
        extra::reading(what, || {
            serde_json::from_str(text).or_else(|_| Event::from_json_with_path(text))
        })
    }

    fn from_json_with_path(text: &str) -> Result<Event, EventError> {
        let mut de = serde_json::Deserializer::from_str(text);
        let event: Event = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            EventError::new(e.into_inner(), path)
        })?;
        // Text after the event is an error too, not something to ignore.
        de.end().map_err(|e| EventError::new(e, String::new()))?;
        Ok(event)
    }

    /// Whether the update creates the ticket (condition `Ticket is Created`).
    pub fn is_create(&self) -> bool {
        self.update.is_create(self.previous.is_some())
    }

    /// Whether the update happens within business hours: the account's direct answer when
    /// it gives one, else whether its schedule contains the update's time; `None` when
    /// neither is known.
    pub fn in_business_hours(&self) -> Option<bool> {
        self.account.in_business_hours.or_else(|| {
            let schedule = self.account.schedule.as_ref()?;
            Some(schedule.contains(self.update.time?))
        })
    }
}

/// Why an event could not be read: plain data, so callers render it as they like.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid event{}: {message} (line {line}, column {column})", at(path))]
pub struct EventError {
    /// What is wrong, in serde's words (e.g. ``unknown variant `archived`, expected one of
    /// ...``), cut short if the input made it huge.
    pub message: String,
    /// Where in the document, as a dotted path such as `ticket.custom_fields[0].id`; empty
    /// for the document as a whole.
    pub path: String,
    /// 1-based line of the error; 0 when it has no position.
    pub line: usize,
    /// 1-based column of the error; 0 when it has no position.
    pub column: usize,
}

fn at(path: &str) -> String {
    if path.is_empty() {
        String::new()
    } else {
        format!(" at `{path}`")
    }
}

/// Longest message kept whole; a longer one (an unknown enum value of 100 MB is quoted in
/// full by serde) keeps its start and end, where the value and the expected ones are.
const MAX_MESSAGE_CHARS: usize = 400;

impl EventError {
    /// An event given as a JSON array, at its opening bracket.
    fn not_an_object(text: &str) -> EventError {
        let before = &text[..text.len() - text.trim_start().len()];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        EventError {
            message: "an event is a JSON object `{\"ticket\": ...}`, not an array; give a list of events as NDJSON, one a line".to_owned(),
            path: String::new(),
            line,
            column,
        }
    }

    fn new(err: serde_json::Error, path: String) -> EventError {
        let (line, column) = (err.line(), err.column());
        let mut message = err.to_string();
        // serde_json appends the position to its message; it has fields of its own here.
        let suffix = format!(" at line {line} column {column}");
        if let Some(stripped) = message.strip_suffix(&suffix) {
            message.truncate(stripped.len());
        }
        // serde_path_to_error says "." for the root; an empty path reads better.
        let path = if path == "." { String::new() } else { path };
        EventError {
            message: shorten(message),
            path,
            line,
            column,
        }
    }
}

fn shorten(message: String) -> String {
    // Walks at most `MAX_MESSAGE_CHARS` characters from each end, never the whole message.
    if message.chars().nth(MAX_MESSAGE_CHARS).is_none() {
        return message;
    }
    let half = MAX_MESSAGE_CHARS / 2;
    let head_end = message.char_indices().nth(half).map_or(0, |(i, _)| i);
    let tail_start = message
        .char_indices()
        .rev()
        .nth(half - 1)
        .map_or(message.len(), |(i, _)| i);
    format!("{} … {}", &message[..head_end], &message[tail_start..])
}

/// What the update was.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Update {
    /// Create or change; when absent, an update without a previous ticket is a create.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<UpdateKind>,
    /// The channel of this update as a `via_id` number (condition `current_via_id`,
    /// "Update via").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via_id: Option<u32>,
    /// Who made the update (condition `role`, "Current user").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<Actor>,
    /// The comment added by the update, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<Comment>,
    /// When the update happens: needed for schedules and for session state from time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<Timestamp>,
    /// The conversation event that messaging triggers run on, for a messaging update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conversation_event: Option<ConversationEvent>,
    /// A change to the messaging session carried by the update.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session: Option<SessionChange>,
}

impl Update {
    /// Whether the update creates the ticket: `kind` when given, otherwise whether there is
    /// no previous ticket.
    pub fn is_create(&self, previous_present: bool) -> bool {
        match self.kind {
            Some(UpdateKind::Create) => true,
            Some(UpdateKind::Change) => false,
            None => !previous_present,
        }
    }
}

/// Whether an update creates the ticket or changes it (API `update_type`, whose values
/// `Create` and `Change` are accepted too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UpdateKind {
    /// The update creates the ticket.
    #[serde(alias = "Create")]
    Create,
    /// The update changes an existing ticket.
    #[serde(alias = "Change")]
    Change,
}

/// Who made an update.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// The user id, which `current_user` actions and conditions refer to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// The user's role.
    pub role: Role,
}

/// The comment an update adds, like Zendesk's comment object.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Comment {
    /// The text.
    pub body: String,
    /// Whether the requester can see it; public unless said otherwise, as in Zendesk.
    #[serde(default = "yes")]
    pub public: bool,
    /// Every other key (`html_body`, `author_id`, ...), kept as given.
    #[serde(flatten)]
    pub extra: Extra,
}

fn yes() -> bool {
    true
}

impl Default for Comment {
    /// An empty public comment.
    fn default() -> Comment {
        Comment {
            body: String::new(),
            public: yes(),
            extra: Extra::default(),
        }
    }
}

keyed_object!(Comment, "a comment object", required ["body"], {
    "body" => body,
    "public" => public,
});

/// The conversation events messaging triggers run on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConversationEvent {
    /// The end user asked for a conversation.
    ConversationRequested,
    /// A message was sent.
    MessageSent,
    /// The conversation was added to a queue.
    AddedToQueue,
    /// The conversation was assigned from a queue.
    AssignedFromQueue,
}

/// A change to the messaging session that the update itself brings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SessionChange {
    /// An agent ended the session.
    EndedByAgent,
    /// The end user wrote a new message; after the session's end this starts a new session
    /// and ticket rather than updating this one.
    EndUserMessage,
}

/// The account settings that triggers and sessions depend on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Account {
    /// Whether the update is within business hours, given directly; wins over `schedule`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_business_hours: Option<bool>,
    /// The business-hours schedule, checked against the update's time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
    /// Minutes of end-user silence after which an assigned messaging session is inactive;
    /// 10 when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub messaging_inactivity_minutes: Option<u32>,
    /// Whether a session an agent ends makes the ticket route as email (Zendesk's routing
    /// setting); otherwise it stays Messaging and leaves its queue.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub agent_ended_sessions_route_as_email: bool,
    /// The omnichannel routing settings; given, routing runs after the triggers even
    /// without queues or agents.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub routing: Option<super::routing::RoutingSettings>,
}

impl Account {
    /// The inactivity period of assigned sessions, in minutes: the setting, or 10.
    pub fn inactivity_minutes(&self) -> u32 {
        self.messaging_inactivity_minutes
            .unwrap_or(DEFAULT_INACTIVITY_MINUTES)
    }
}

/// A business-hours schedule, as Zendesk's schedules API gives its intervals, with the
/// time zone reduced to a fixed offset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// Local time minus UTC, in minutes (120 for UTC+2). A fixed offset, so a schedule
    /// spanning a daylight-saving change is off by the change.
    pub utc_offset_minutes: i32,
    /// The open intervals of the week.
    pub intervals: Vec<Interval>,
}

/// Minutes in a week: the length of the cycle Zendesk intervals are counted in.
const MINUTES_PER_WEEK: i64 = 7 * 24 * 60;

impl Schedule {
    /// Whether instant `t` falls in one of the intervals, in the schedule's local time.
    pub fn contains(&self, t: Timestamp) -> bool {
        let minute = minute_of_week(t, self.utc_offset_minutes);
        self.intervals.iter().any(|i| {
            let (start, end) = (i64::from(i.start_time), i64::from(i.end_time));
            // An interval past Saturday's end wraps into Sunday of the next week.
            (start <= minute && minute < end)
                || (start <= minute + MINUTES_PER_WEEK && minute + MINUTES_PER_WEEK < end)
        })
    }
}

/// Minutes since Sunday 00:00 local time, for a local time `offset_minutes` from UTC.
fn minute_of_week(t: Timestamp, offset_minutes: i32) -> i64 {
    // 1970-01-01 was a Thursday: four days after a Sunday midnight.
    const EPOCH_MINUTE_OF_WEEK: i64 = 4 * 24 * 60;
    let local_minutes = t.as_second().div_euclid(60) + i64::from(offset_minutes);
    (local_minutes + EPOCH_MINUTE_OF_WEEK).rem_euclid(MINUTES_PER_WEEK)
}

/// An open interval of a schedule, in minutes since Sunday 00:00 local time: Monday 9:00
/// to 17:00 is `{"start_time": 1980, "end_time": 2460}`. The start is inside, the end is
/// not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Interval {
    /// First minute of the interval.
    pub start_time: u32,
    /// First minute after the interval.
    pub end_time: u32,
}

/// Monday to Friday, 9:00 to 17:00 local time: the schedule tests count against.
#[cfg(test)]
pub(crate) fn office_hours(utc_offset_minutes: i32) -> Schedule {
    Schedule {
        utc_offset_minutes,
        intervals: (1..=5)
            .map(|day| Interval {
                start_time: day * 1440 + 9 * 60,
                end_time: day * 1440 + 17 * 60,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ticket::Status;
    use serde_json::json;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("valid timestamp")
    }

    #[test]
    fn schedule_contains_in_utc() {
        let s = office_hours(0);
        // 2024-05-06 is a Monday.
        assert!(!s.contains(ts("2024-05-06T08:59:59Z")));
        assert!(s.contains(ts("2024-05-06T09:00:00Z")));
        assert!(s.contains(ts("2024-05-06T16:59:59Z")));
        assert!(!s.contains(ts("2024-05-06T17:00:00Z")));
        assert!(s.contains(ts("2024-05-10T12:00:00Z")), "Friday");
        assert!(!s.contains(ts("2024-05-11T12:00:00Z")), "Saturday");
        assert!(!s.contains(ts("2024-05-05T12:00:00Z")), "Sunday");
    }

    #[test]
    fn schedule_contains_uses_local_time() {
        // UTC+2: Monday 9:00 local is 7:00 UTC.
        let paris = office_hours(120);
        assert!(paris.contains(ts("2024-05-06T07:00:00Z")));
        assert!(!paris.contains(ts("2024-05-06T15:00:00Z")));
        // UTC-5: Friday 16:30 local is Friday 21:30 UTC; Saturday 01:00 UTC is still
        // Friday evening there, after hours.
        let new_york = office_hours(-300);
        assert!(new_york.contains(ts("2024-05-10T21:30:00Z")));
        assert!(!new_york.contains(ts("2024-05-11T01:00:00Z")));
        // Sunday 23:00 UTC is Monday 09:00 in UTC+10: the week boundary.
        assert!(office_hours(600).contains(ts("2024-05-05T23:00:00Z")));
    }

    #[test]
    fn schedule_interval_may_wrap_past_saturday() {
        // Saturday 22:00 to Sunday 02:00.
        let s = Schedule {
            utc_offset_minutes: 0,
            intervals: vec![Interval {
                start_time: 6 * 1440 + 22 * 60,
                end_time: 7 * 1440 + 2 * 60,
            }],
        };
        assert!(s.contains(ts("2024-05-11T23:00:00Z")));
        assert!(s.contains(ts("2024-05-12T01:00:00Z")));
        assert!(!s.contains(ts("2024-05-12T02:00:00Z")));
        assert!(!Schedule {
            utc_offset_minutes: 0,
            intervals: vec![]
        }
        .contains(ts("2024-05-12T01:00:00Z")));
    }

    #[test]
    fn schedule_handles_times_before_1970() {
        // 1969-12-29 was a Monday.
        assert!(office_hours(0).contains(ts("1969-12-29T10:00:00Z")));
        assert!(!office_hours(0).contains(ts("1969-12-28T10:00:00Z")));
    }

    #[test]
    fn inactivity_defaults_to_ten_minutes() {
        assert_eq!(Account::default().inactivity_minutes(), 10);
        let a = Account {
            messaging_inactivity_minutes: Some(30),
            ..Account::default()
        };
        assert_eq!(a.inactivity_minutes(), 30);
    }

    #[test]
    fn create_or_change() {
        let u = Update::default();
        assert!(u.is_create(false));
        assert!(!u.is_create(true));
        let create = Update {
            kind: Some(UpdateKind::Create),
            ..Update::default()
        };
        assert!(create.is_create(true));
        let change = Update {
            kind: Some(UpdateKind::Change),
            ..Update::default()
        };
        assert!(!change.is_create(false));

        let e = Event::from_json(r#"{"ticket": {}}"#).expect("valid");
        assert!(e.is_create());
        let e = Event::from_json(r#"{"ticket": {}, "previous": {}}"#).expect("valid");
        assert!(!e.is_create());
        let e = Event::from_json(r#"{"ticket": {}, "update": {"kind": "Change"}}"#)
            .expect("Zendesk's spelling");
        assert!(!e.is_create());
    }

    #[test]
    fn business_hours_direct_or_from_schedule() {
        let mut e = Event::from_json(r#"{"ticket": {}}"#).expect("valid");
        assert_eq!(e.in_business_hours(), None);
        e.account.schedule = Some(office_hours(0));
        assert_eq!(e.in_business_hours(), None, "no time to check");
        e.update.time = Some(ts("2024-05-06T10:00:00Z"));
        assert_eq!(e.in_business_hours(), Some(true));
        e.account.in_business_hours = Some(false);
        assert_eq!(e.in_business_hours(), Some(false), "the direct answer wins");
    }

    #[test]
    fn full_event_reads() {
        let text = r#"{
          "ticket": {"id": 7, "status": "open", "routing_channel": "messaging",
                     "via": {"channel": "native_messaging", "id": 75},
                     "messaging_session": {"state": "ended", "end_reason": "ended_by_agent",
                                           "ended_at": "2024-05-06T10:00:00Z"}},
          "previous": {"id": 7, "status": "open",
                       "messaging_session": {"state": "active"}},
          "update": {"via_id": 75, "actor": {"id": 9, "role": "agent"},
                     "comment": {"body": "Bye", "html_body": "<p>Bye</p>"},
                     "time": "2024-05-06T10:00:00Z", "session": "ended_by_agent",
                     "conversation_event": "message_sent"},
          "account": {"agent_ended_sessions_route_as_email": true,
                      "schedule": {"utc_offset_minutes": 60,
                                   "intervals": [{"start_time": 1980, "end_time": 2460}]}}
        }"#;
        let e = Event::from_json(text).expect("valid");
        assert_eq!(e.ticket.status, Status::Open);
        assert_eq!(e.update.session, Some(SessionChange::EndedByAgent));
        let comment = e.update.comment.as_ref().expect("has a comment");
        assert!(comment.public, "public by default");
        assert_eq!(comment.extra.read("html_body"), Some(json!("<p>Bye</p>")));
        assert!(e.account.agent_ended_sessions_route_as_email);
        let again: Event = serde_json::from_value(json!(e)).expect("round-trips");
        assert_eq!(again, e);
    }

    // Bad input: every case is an error that says where, never a panic.

    fn err(text: &str) -> EventError {
        Event::from_json(text).expect_err("must be rejected")
    }

    #[test]
    fn unknown_enum_value_names_path_and_expected_values() {
        let e = err("{\"ticket\": {\n  \"status\": \"archived\"}}");
        assert_eq!(e.path, "ticket.status");
        assert_eq!((e.line, e.column), (2, 23));
        assert!(
            e.message.contains("unknown variant `archived`"),
            "{}",
            e.message
        );
        assert!(
            e.message.contains("expected one of `new`, `open`"),
            "{}",
            e.message
        );
        assert_eq!(
            e.to_string(),
            format!(
                "invalid event at `ticket.status`: {} (line 2, column 23)",
                e.message
            )
        );
    }

    #[test]
    fn wrong_type_names_the_path() {
        let e = err(r#"{"ticket": {"custom_fields": [{"id": "x", "value": 1}]}}"#);
        assert_eq!(e.path, "ticket.custom_fields[0].id");
        assert!(
            e.message.contains("invalid type: string \"x\""),
            "{}",
            e.message
        );
        let e = err(r#"{"ticket": {}, "update": {"via_id": -4}}"#);
        assert_eq!(e.path, "update.via_id");
        let e = err(r#"{"ticket": {"tags": "vip"}}"#);
        assert_eq!(e.path, "ticket.tags");
        let e = err(r#""an event""#);
        assert_eq!(e.path, "");
        assert!(
            e.to_string().starts_with("invalid event: invalid type"),
            "{e}"
        );
    }

    #[test]
    fn unknown_key_in_declic_types_is_an_error() {
        let e = err(r#"{"ticket": {}, "account": {"in_bussiness_hours": true}}"#);
        assert_eq!(e.path, "account.in_bussiness_hours");
        assert!(
            e.message.contains("unknown field `in_bussiness_hours`"),
            "{}",
            e.message
        );
        let e = err(r#"{"ticket": {}, "tickets": {}}"#);
        assert!(
            e.message.contains("unknown field `tickets`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn missing_ticket_is_an_error() {
        let e = err(r#"{"previous": {}}"#);
        assert!(
            e.message.contains("missing field `ticket`"),
            "{}",
            e.message
        );
    }

    #[test]
    fn truncated_and_malformed_json() {
        let full = r#"{"ticket": {"id": 1, "status": "open", "tags": ["a", "b"]}}"#;
        // Every strict prefix is an error, and none panics.
        for end in 0..full.len() {
            let e = err(&full[..end]);
            assert!(!e.message.is_empty());
        }
        let e = err(r#"{"ticket": {"id": 1,}}"#);
        assert!(e.message.contains("trailing comma"), "{}", e.message);
        let e = err(r#"{"ticket": {}} {"ticket": {}}"#);
        assert!(e.message.contains("trailing characters"), "{}", e.message);
        let e = err("");
        assert_eq!((e.line, e.column), (1, 0));
        // A byte-order mark in the middle is not one the file starts with.
        let e = err("{\"ticket\": {}}\u{feff}");
        assert!(e.message.contains("trailing characters"), "{}", e.message);
    }

    #[test]
    fn a_byte_order_mark_at_the_start_is_skipped() {
        let e = Event::from_json("\u{feff}{\"ticket\": {\"status\": \"open\"}}").expect("reads");
        assert_eq!(e.ticket.status, Status::Open);
        // Near miss: only one is skipped.
        err("\u{feff}\u{feff}{\"ticket\": {}}");
    }

    #[test]
    fn an_event_given_as_an_array_is_refused() {
        for text in [r#"[{"ticket": {}}]"#, "\n  [ ]"] {
            let e = err(text);
            assert!(e.message.contains("an event is a JSON object"), "{e}");
            assert_eq!(e.path, "");
        }
        assert_eq!((err("\n  []").line, err("\n  []").column), (2, 3));
        // Near miss: an array inside an event is read as usual.
        assert!(Event::from_json(r#"{"ticket": {"tags": ["a"]}}"#).is_ok());
    }

    #[test]
    fn a_status_of_another_type_says_which_values_it_takes() {
        for (given, got) in [
            ("null", "null"),
            ("5", "5"),
            ("true", "true"),
            ("[\"open\"]", "[\"open\"]"),
        ] {
            let e = err(&format!(r#"{{"ticket": {{"status": {given}}}}}"#));
            assert_eq!(e.path, "ticket.status");
            assert_eq!(
                e.message,
                format!(
                    "`status` must be one of new, open, pending, hold, solved, closed (got {got})"
                )
            );
        }
        // The error is placed after the object holding the status when the status is its
        // last key, and after the status otherwise, escaped or not.
        let at = |text: &str| (err(text).line, err(text).column);
        assert_eq!(at(r#"{"ticket": {"status": {"a": 1}}}"#), (1, 31));
        assert_eq!(
            at(r#"{"ticket": {"status": {"a": 1}, "tags": []}}"#),
            (1, 30)
        );
        assert_eq!(at(r#"{"ticket": {"status": "arch\u0069ved"}}"#), (1, 38));
        assert_eq!(at("{\"ticket\": {\n  \"status\": 5\n }}"), (3, 2));
        // Near misses: a string names a status or is an unknown one, as before.
        assert!(Event::from_json(r#"{"ticket": {"status": "hold"}}"#).is_ok());
        let e = err(r#"{"ticket": {"status": "archived"}}"#);
        assert!(e.message.contains("unknown variant `archived`"), "{e}");
    }

    #[test]
    fn huge_string_is_read_and_huge_bad_value_is_reported_short() {
        let big = "a".repeat(100 * 1024 * 1024);
        let text = format!(r#"{{"ticket": {{"subject": "{big}"}}}}"#);
        let e = Event::from_json(&text).expect("a long subject is fine");
        assert_eq!(e.ticket.subject.as_deref().map(str::len), Some(big.len()));
        drop(e);
        let text = format!(r#"{{"ticket": {{"status": "{big}"}}}}"#);
        let e = err(&text);
        assert_eq!(e.path, "ticket.status");
        assert!(
            e.message.chars().count() <= MAX_MESSAGE_CHARS + 3,
            "message is bounded"
        );
        assert!(
            e.message.starts_with("unknown variant `aaa"),
            "{}",
            &e.message[..40]
        );
        assert!(e.message.ends_with("`closed`"), "keeps the expected values");
    }

    #[test]
    fn shorten_keeps_both_ends_on_char_boundaries() {
        let short = "é".repeat(MAX_MESSAGE_CHARS);
        assert_eq!(shorten(short.clone()), short);
        let long = format!("{}{}", "é".repeat(1000), "ü".repeat(1000));
        let cut = shorten(long);
        assert_eq!(cut.chars().count(), MAX_MESSAGE_CHARS + 3);
        assert!(cut.starts_with('é') && cut.ends_with('ü') && cut.contains(" … "));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let depth = 10_000;
        let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let objects = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        // Values declic reads, into a `serde_json::Value`: a custom field's, an
        // organization field's.
        let read = [
            format!(r#"{{"ticket": {{"custom_fields": [{{"id": 1, "value": {arrays}}}]}}}}"#),
            format!(
                r#"{{"ticket": {{"organization": {{"organization_fields": {{"k": {objects}}}}}}}}}"#
            ),
        ];
        for text in &read {
            let e = err(text);
            assert_eq!(e.message, "recursion limit exceeded");
            assert!(e.line == 1 && e.column > 128, "{e}");
        }
        // Values of unknown keys are skipped over without recursion and kept as written.
        let kept = [
            format!(r#"{{"ticket":{{"url":{arrays}}}}}"#),
            format!(r#"{{"ticket":{{"url":{objects}}}}}"#),
            format!(r#"{{"ticket":{{}},"update":{{"comment":{{"body":"","x":{arrays}}}}}}}"#),
            format!(r#"{{"ticket":{{}},"previous":{{"via":{{"source":{objects}}}}}}}"#),
        ];
        for (text, nested) in kept.iter().zip([&arrays, &objects, &arrays, &objects]) {
            let e = Event::from_json(text).expect("an unknown value is not read into");
            let back = serde_json::to_string(&e).expect("serializes");
            assert!(back.contains(nested.as_str()), "written back whole");
        }
        // At the top, the first `[` is already the wrong type.
        let e = err(&arrays);
        assert!(e.message.contains("not an array"), "{e}");
        // Within the limit, nesting is carried through.
        let ok = format!(
            r#"{{"ticket": {{"url": {}{}}}}}"#,
            "[".repeat(100),
            "]".repeat(100)
        );
        assert!(Event::from_json(&ok).is_ok());
    }
}
