//! What a trigger cycle of a rule set reads of an event, so that a run that reports only
//! what changed ([`Compiled::changes`](super::Compiled::changes)) skips the rest of the
//! JSON text: the unknown keys of the event's objects, and of the ticket before the
//! update all but what the rules compare it with.

use super::compile::{Act, Cond, Read, Trigger};
use super::messaging::ONCE_MARKER;
use super::render;
use crate::catalog::fields::FieldKey;
use crate::model::{Reading, TicketKeys, Unknown};

/// What a cycle of `triggers` reads. A placeholder makes it read everything: one may read
/// any key (a person's name, a comment, the ticket's URL).
pub(crate) fn reading(triggers: &[Trigger]) -> Reading {
    if !render::no_placeholders(triggers) {
        return Reading::ALL;
    }
    Reading {
        unknown: Unknown::Only(&[ONCE_MARKER]),
        ticket_keys: ticket_keys(triggers),
        previous_keys: previous_keys(triggers),
    }
}

/// Keys of the ticket that only some rules read, beside those the cycle always reads:
/// without a placeholder, they are read only when a condition or an action reads them.
const READ_WHEN_NEEDED: &[&str] = &["id", "subject", "description", "recipient", "organization"];

/// The ticket's clock: read by time conditions, and to count a date field's days when the
/// update gives no time.
const CLOCK: &[&str] = &[
    "created_at",
    "updated_at",
    "due_at",
    "sla_next_breach_at",
    "metric_set",
    "status_entered_at",
];

/// The keys of the ticket a cycle reads: all but those of [`READ_WHEN_NEEDED`] and the
/// [`CLOCK`] that no test reads, nor an action setting a date field (which counts from
/// `updated_at` when the update has no time).
fn ticket_keys(triggers: &[Trigger]) -> TicketKeys {
    let mut needed: Vec<&str> = Vec::new();
    for trigger in triggers {
        leaves(&trigger.cond, &mut |leaf| {
            needed.extend_from_slice(leaf_keys(leaf))
        });
        if trigger
            .actions
            .iter()
            .any(|a| matches!(a, Act::CustomFieldDays { .. }))
        {
            needed.push("updated_at");
        }
    }
    let skipped: Vec<&str> = (READ_WHEN_NEEDED.iter().chain(CLOCK))
        .copied()
        .filter(|key| !needed.contains(key))
        .collect();
    TicketKeys::ALL.without(TicketKeys::named(&skipped))
}

/// The keys of the ticket before the update that a cycle reads: its status (an update of
/// a closed ticket runs nothing), its session (a message after the session's end starts
/// a new one), and what the rules' `changed` tests compare.
fn previous_keys(triggers: &[Trigger]) -> TicketKeys {
    let mut names = vec!["status", "messaging_session"];
    for trigger in triggers {
        leaves(&trigger.cond, &mut |leaf| {
            if let Cond::Test(test) = leaf {
                if test.op.is_delta() {
                    names.extend_from_slice(keys_of(&test.read));
                }
            }
        });
    }
    TicketKeys::named(&names)
}

/// Calls `visit` on each test of `cond`'s tree.
fn leaves(cond: &Cond, visit: &mut impl FnMut(&Cond)) {
    match cond {
        Cond::All(members) | Cond::Any(members) | Cond::Not(members) => {
            members.iter().for_each(|c| leaves(c, visit));
        }
        leaf => visit(leaf),
    }
}

/// The ticket keys a test reads.
fn leaf_keys(leaf: &Cond) -> &'static [&'static str] {
    match leaf {
        Cond::Test(test) => keys_of(&test.read),
        Cond::Code { key, .. } => keys_of(&Read::Known(*key)),
        Cond::Tags { .. } => &["tags"],
        Cond::Hours(_) => CLOCK,
        Cond::All(_) | Cond::Any(_) | Cond::Not(_) => &[],
    }
}

/// The ticket keys a test's read takes its value from; none for what the update, the
/// account or the clock gives.
fn keys_of(read: &Read) -> &'static [&'static str] {
    let key = match read {
        Read::Known(key) => *key,
        Read::Custom(_) => return &["custom_fields"],
        Read::OrgCustom(_) => return &["organization"],
        Read::UserCustom(_) => return &["requester"],
    };
    match key {
        FieldKey::Status | FieldKey::StatusCategory => &["status"],
        FieldKey::Priority => &["priority"],
        FieldKey::TicketType => &["type"],
        FieldKey::Group => &["group_id"],
        FieldKey::Assignee => &["assignee_id"],
        FieldKey::Requester => &["requester_id"],
        FieldKey::Organization => &["organization_id"],
        FieldKey::Form => &["ticket_form_id"],
        FieldKey::Brand => &["brand_id"],
        FieldKey::Tags => &["tags"],
        FieldKey::Channel => &["via"],
        FieldKey::Subject => &["subject"],
        FieldKey::TicketVisibility => &["is_public"],
        FieldKey::WithinSchedule => &["schedule_id"],
        FieldKey::RequesterRole => &["requester"],
        FieldKey::Satisfaction => &["satisfaction_rating"],
        FieldKey::Recipient => &["recipient"],
        FieldKey::RoutingChannel => &["routing_channel"],
        FieldKey::SessionState | FieldKey::SessionInactiveReason | FieldKey::SessionEndReason => {
            &["messaging_session"]
        }
        FieldKey::UpdateType
        | FieldKey::UpdateVia
        | FieldKey::CommentText
        | FieldKey::CommentVisibility
        | FieldKey::InBusinessHours
        | FieldKey::CurrentUserRole => &[],
    }
}
