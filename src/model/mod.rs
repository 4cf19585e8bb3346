//! The data model of the interpreter: the ticket snapshot, the update event that is the
//! input of a trigger cycle, and the outcome that is its output.
//!
//! These are serde types whose JSON is the public interface of `declic run` and of the
//! library; [`schema`] generates the JSON Schema that the repository checks in under
//! `schema/`. Tickets follow the Zendesk API ticket object and keep every key they do not
//! know, so a caller's data comes back untouched; the types declic defines itself reject
//! unknown keys, so a misspelt setting is reported instead of ignored.
//!
//! ```
//! use declic::model::{Event, Status};
//!
//! let event = Event::from_json(r#"{"ticket": {"status": "open", "tags": ["vip"]}}"#)?;
//! assert_eq!(event.ticket.status, Status::Open);
//! assert!(event.is_create());
//! # Ok::<(), declic::model::EventError>(())
//! ```

mod automation;
mod clock;
mod event;
mod extra;
mod hours;
mod metrics;
mod outcome;
mod routing;
pub mod schema;
mod text;
mod ticket;
mod time;

pub use automation::{AutomationRun, AutomationUpdate, AUTOMATION_UPDATE_LIMIT};
pub use clock::{HoursOp, HoursTest, Moment};
#[cfg(test)]
pub(crate) use event::office_hours;
pub use event::{
    Account, Actor, Comment, ConversationEvent, Event, EventError, Interval, Schedule,
    SessionChange, Update, UpdateKind, DEFAULT_INACTIVITY_MINUTES,
};
pub use extra::{Extra, Members};
pub(crate) use extra::{Reading, Unknown};
pub use hours::{whole_hours, OpenWeek};
pub use metrics::{MetricSet, StatusTimes};
pub use outcome::{
    Change, ChangeValue, Changes, CsatChannel, Delta, Effect, Firing, Outcome, Part, SkipReason,
    Skipped, Unsupported, Warning,
};
pub use routing::{
    AssignmentMethod, Decision, EndSessionVersion, Handoff, NoAgent, NotRouted, NotRoutedCode,
    Pick, QueueTaken, Refusal, RoutingSettings, WorkChannel, DEFAULT_AUTO_ROUTING_TAG,
};
pub use text::Text;
pub(crate) use ticket::TicketKeys;
pub use ticket::{
    priority_rank, CustomField, EmptyKeys, EndReason, InactiveReason, MessagingSession,
    Organization, Priority, Role, RoutingChannel, Satisfaction, SatisfactionRating, SessionState,
    Status, StatusCategory, Tag, Ticket, TicketType, User, Via,
};
pub use time::Timestamp;
