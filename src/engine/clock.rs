//! Keeping the ticket's clock current: the times an update sets, at the update's time,
//! once its trigger cycle has settled (the ticket is saved then, so a status a trigger
//! sets counts, and one it sets and a later trigger undoes does not).
//!
//! - `updated_at`: always; `created_at` too when the update creates a ticket without one.
//! - `metric_set.requester_updated_at`: when the actor is the requester (their id, or an
//!   end user without an id); `metric_set.assignee_updated_at`: when the actor is the
//!   assignee after the update's own changes.
//! - `metric_set.assigned_at`: when the ticket ends the cycle assigned to someone it was
//!   not assigned to before the update.
//! - `status_entered_at.<status>`, `metric_set.status_updated_at` (and `solved_at` for
//!   Solved): when the ticket ends the cycle in another status than before the update,
//!   or is created.
//!
//! An update without a time leaves the clock as the caller gave it.

use super::facts::Facts;
use crate::model::{Event, MetricSet, Role, Status, Ticket, Timestamp};

/// The times one update sets on its ticket.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Stamp {
    at: Timestamp,
    create: bool,
    by_requester: bool,
    by_assignee: bool,
    assigned: bool,
    /// The status the ticket entered, if it changed.
    entered: Option<Status>,
}

impl Stamp {
    /// What `event` sets on the clock, its ticket being `after` once the cycle settled;
    /// `None` for an update without a time.
    pub fn of(event: &Event, after: &Facts<'_>) -> Option<Stamp> {
        let at = event.update.time?;
        let create = event.is_create();
        // Without the ticket before the update, the update's own ticket is the best
        // knowledge of it: only the triggers' changes are seen.
        let before = event.previous.as_ref().unwrap_or(&event.ticket);
        let (requester, assignee) = (event.ticket.requester_id, event.ticket.assignee_id);
        let actor = event.update.actor.as_ref();
        let by_requester = actor.is_some_and(|a| match a.id {
            Some(id) => Some(id) == requester,
            None => a.role == Role::EndUser,
        });
        let by_assignee = actor.is_some_and(|a| a.id.is_some() && a.id == assignee);
        let was_assigned = (!create).then_some(before.assignee_id).flatten();
        let assigned = after.assignee_id.is_some() && after.assignee_id != was_assigned;
        let entered = (create || after.status != before.status).then_some(after.status);
        Some(Stamp {
            at,
            create,
            by_requester,
            by_assignee,
            assigned,
            entered,
        })
    }

    /// Whether writing the stamp would change `ticket`.
    pub fn changes(&self, ticket: &Ticket) -> bool {
        let mut copy = Clock::of(ticket);
        self.write_clock(&mut copy);
        copy != Clock::of(ticket)
    }

    /// Writes the stamp onto `ticket`.
    pub fn write(&self, ticket: &mut Ticket) {
        let mut clock = Clock::of(ticket);
        self.write_clock(&mut clock);
        if clock == Clock::of(ticket) {
            return;
        }
        ticket.updated_at = clock.updated_at;
        ticket.created_at = clock.created_at;
        if clock.metrics != Clock::of(ticket).metrics {
            let m = ticket.metric_set.get_or_insert_with(Box::default);
            [
                m.requester_updated_at,
                m.assignee_updated_at,
                m.assigned_at,
                m.status_updated_at,
                m.solved_at,
            ] = clock.metrics;
        }
        if let Some(status) = self.entered {
            *ticket
                .status_entered_at
                .get_or_insert_with(Default::default)
                .slot(status) = Some(self.at);
        }
    }

    fn write_clock(&self, c: &mut Clock) {
        let at = Some(self.at);
        c.updated_at = at;
        if self.create && c.created_at.is_none() {
            c.created_at = at;
        }
        let [requester, assignee, assigned, status, solved] = &mut c.metrics;
        for (happened, slot) in [
            (self.by_requester, requester),
            (self.by_assignee, assignee),
            (self.assigned, assigned),
            (self.entered.is_some(), status),
            (self.entered == Some(Status::Solved), solved),
        ] {
            if happened {
                *slot = at;
            }
        }
        if let Some(s) = self.entered {
            c.entered = (s, at);
        }
    }
}

/// The times a stamp writes, copied out of a ticket to compare before and after.
#[derive(PartialEq)]
struct Clock {
    updated_at: Option<Timestamp>,
    created_at: Option<Timestamp>,
    /// Requester updated, assignee updated, assigned, status updated, solved.
    metrics: [Option<Timestamp>; 5],
    /// The entry time of the status a stamp sets (the current one until then).
    entered: (Status, Option<Timestamp>),
}

impl Clock {
    fn of(t: &Ticket) -> Clock {
        let m = t.metric_set.as_deref();
        let metric = |f: fn(&MetricSet) -> Option<Timestamp>| m.and_then(f);
        Clock {
            updated_at: t.updated_at,
            created_at: t.created_at,
            metrics: [
                metric(|m| m.requester_updated_at),
                metric(|m| m.assignee_updated_at),
                metric(|m| m.assigned_at),
                metric(|m| m.status_updated_at),
                metric(|m| m.solved_at),
            ],
            entered: (
                t.status,
                t.status_entered_at.as_ref().and_then(|e| e.get(t.status)),
            ),
        }
    }
}
