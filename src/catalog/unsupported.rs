//! What Zendesk's triggers offer and declic does not support yet, with the reason: the
//! short list a test holds against Zendesk's own definitions
//! (`GET /api/v2/triggers/definitions`). Every other condition subject, operator and
//! action subject there is in the catalog. An imported rule that uses one of these keeps
//! it as a raw `zendesk` line: exported unchanged, not evaluated.

/// One condition subject or operator, or one action subject, declic lacks.
#[derive(Debug, Clone, Copy)]
pub struct Unsupported {
    /// The API subject (`reopens`), or `*` for an operator any subject may have.
    pub subject: &'static str,
    /// The operator alone that is lacking (`within_next_n_days`), or `None` for the
    /// whole subject.
    pub operator: Option<&'static str>,
    /// Why declic does not have it yet.
    pub reason: &'static str,
}

const fn subject(subject: &'static str, reason: &'static str) -> Unsupported {
    Unsupported {
        subject,
        operator: None,
        reason,
    }
}

/// Ticket counters an update event does not carry.
const COUNTERS: &str = "a count of the ticket's history that update events do not carry";
/// Facts about the requester an update event does not carry.
const REQUESTER: &str = "a fact about the requester that update events do not carry";
/// Messages declic does not model.
const SMS: &str = "text messages (Zendesk Talk) are not modelled";
/// User and organization records are not changed by declic's outcome.
const PEOPLE: &str = "the outcome changes the ticket only, not user or organization records";

/// Condition subjects and operators declic does not support yet.
pub static CONDITIONS: &[Unsupported] = &[
    subject("number_of_incidents", COUNTERS),
    subject("reopens", COUNTERS),
    subject("replies", COUNTERS),
    subject("agent_stations", COUNTERS),
    subject("group_stations", COUNTERS),
    subject(
        "on_holiday",
        "schedules' holidays are not part of the account metadata",
    ),
    subject(
        "schedule_id",
        "the ticket's schedule is only tested as `within_schedule`",
    ),
    subject(
        "ticket_due_date",
        "a task's due date is not part of the ticket model",
    ),
    subject("locale_id", REQUESTER),
    subject("requester_time_zone", REQUESTER),
    subject("requester_twitter_followers_count", REQUESTER),
    subject("requester_twitter_statuses_count", REQUESTER),
    subject("requester_twitter_verified", REQUESTER),
    Unsupported {
        subject: "*",
        operator: Some("within_previous_n_days"),
        reason: "date comparisons relative to the update's date are not modelled",
    },
    Unsupported {
        subject: "*",
        operator: Some("within_next_n_days"),
        reason: "date comparisons relative to the update's date are not modelled",
    },
];

/// Action subjects declic does not support yet; a `.` ends a prefix
/// (`requester.custom_fields.` stands for every user field).
pub static ACTIONS: &[Unsupported] = &[
    subject("follower", "followers are not part of the ticket model"),
    subject(
        "locale_id",
        "the requester's language is not part of the ticket model",
    ),
    subject("notification_sms_group", SMS),
    subject("notification_sms_user", SMS),
    subject("requester.custom_fields.", PEOPLE),
    subject("organization.custom_fields.", PEOPLE),
];

/// The entry of `list` for `subject` (and `operator`, for conditions), if declic lacks it.
pub fn find(
    list: &'static [Unsupported],
    subject: &str,
    operator: Option<&str>,
) -> Option<&'static Unsupported> {
    list.iter().find(|u| {
        let named = u.subject == subject
            || (u.subject.ends_with('.') && subject.starts_with(u.subject))
            || u.subject == "*";
        named && (u.operator.is_none() || u.operator == operator)
    })
}
