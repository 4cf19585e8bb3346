//! The ticket's clock: the times automations' time conditions read (DOMAIN.md section
//! 6b), in Zendesk's own names where it has them.
//!
//! Zendesk writes `created_at`, `updated_at` and `due_at` on the ticket, and the rest on
//! the ticket's metric set (`GET /api/v2/tickets/{id}?include=metric_sets` sideloads it as
//! `metric_set`): `assigned_at`, `requester_updated_at`, `assignee_updated_at`,
//! `status_updated_at`, `solved_at`. It publishes no time for each status a ticket entered,
//! which "Hours since pending" needs: declic keeps those in [`StatusTimes`], under the
//! ticket's `status_entered_at`. [`Ticket::moment`] reads the moment a condition counts
//! from; the engine keeps all of them current as updates apply.

use serde::de::MapAccess;
use serde::{Deserialize, Serialize};

use super::clock::Moment;
use super::extra::{deserialize_keyed, Extra, Keyed};
use super::ticket::{Status, Ticket};
use super::time::Timestamp;

/// Zendesk's ticket metric set, as far as automations read it; its other keys (`id`,
/// `reopens`, `reply_time_in_minutes`, ...) are kept as given.
///
/// A time the input wrote as `null` is written back as `null` while it holds no value, so
/// that a Zendesk metric set round-trips exactly, as the ticket's own keys do.
#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
#[serde(into = "MetricSetWire")]
#[schemars(
    from = "MetricSetWire",
    description = "Zendesk's ticket metric set (sideloaded `metric_set`): the times \
    automations read. Unknown keys are kept and written back unchanged."
)]
pub struct MetricSet {
    /// When the ticket was last assigned.
    pub assigned_at: Option<Timestamp>,
    /// When the requester last updated the ticket.
    pub requester_updated_at: Option<Timestamp>,
    /// When the assignee last updated the ticket.
    pub assignee_updated_at: Option<Timestamp>,
    /// When the status last changed.
    pub status_updated_at: Option<Timestamp>,
    /// When the ticket was last solved.
    pub solved_at: Option<Timestamp>,
    /// The times the input wrote `null`, one bit per field in declaration order:
    /// formatting memory, not data, so it takes no part in equality.
    nulls: u8,
    /// Every other key, kept as given.
    pub extra: Extra,
}

impl PartialEq for MetricSet {
    fn eq(&self, other: &MetricSet) -> bool {
        self.times() == other.times() && self.extra == other.extra
    }
}

impl MetricSet {
    fn times(&self) -> [Option<Timestamp>; 5] {
        [
            self.assigned_at,
            self.requester_updated_at,
            self.assignee_updated_at,
            self.status_updated_at,
            self.solved_at,
        ]
    }

    /// `value` to write for field number `bit`: `Some(None)` is an explicit `null`.
    fn wire(&self, bit: u8, value: Option<Timestamp>) -> Option<Option<Timestamp>> {
        match value {
            Some(t) => Some(Some(t)),
            None if self.nulls & (1 << bit) != 0 => Some(None),
            None => None,
        }
    }
}

/// The JSON form of [`MetricSet`]: each time is absent, `null`, or a time.
#[derive(Serialize, schemars::JsonSchema)]
struct MetricSetWire {
    /// When the ticket was last assigned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    assigned_at: Option<Option<Timestamp>>,
    /// When the requester last updated the ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    requester_updated_at: Option<Option<Timestamp>>,
    /// When the assignee last updated the ticket.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    assignee_updated_at: Option<Option<Timestamp>>,
    /// When the status last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status_updated_at: Option<Option<Timestamp>>,
    /// When the ticket was last solved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    solved_at: Option<Option<Timestamp>>,
    /// Every other key, kept as given.
    #[serde(flatten)]
    extra: Extra,
}

impl From<MetricSet> for MetricSetWire {
    fn from(m: MetricSet) -> MetricSetWire {
        MetricSetWire {
            assigned_at: m.wire(0, m.assigned_at),
            requester_updated_at: m.wire(1, m.requester_updated_at),
            assignee_updated_at: m.wire(2, m.assignee_updated_at),
            status_updated_at: m.wire(3, m.status_updated_at),
            solved_at: m.wire(4, m.solved_at),
            extra: m.extra,
        }
    }
}

impl Keyed for MetricSet {
    const EXPECTING: &'static str = "a metric set object";

    fn read_known<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        let (bit, slot) = match key {
            "assigned_at" => (0, &mut self.assigned_at),
            "requester_updated_at" => (1, &mut self.requester_updated_at),
            "assignee_updated_at" => (2, &mut self.assignee_updated_at),
            "status_updated_at" => (3, &mut self.status_updated_at),
            "solved_at" => (4, &mut self.solved_at),
            _ => return Ok(false),
        };
        *slot = map.next_value()?;
        // The last of a repeated key decides how it is written back.
        if slot.is_none() {
            self.nulls |= 1 << bit;
        } else {
            self.nulls &= !(1 << bit);
        }
        Ok(true)
    }

    fn extra_mut(&mut self) -> &mut Extra {
        &mut self.extra
    }
}

deserialize_keyed!(MetricSet);

/// When the ticket last entered each status (declic's `status_entered_at`): what "Hours
/// since open", "Hours since pending" and the like count from.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct StatusTimes {
    /// When the ticket became New.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<Timestamp>,
    /// When it last entered Open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open: Option<Timestamp>,
    /// When it last entered Pending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<Timestamp>,
    /// When it last entered On-hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold: Option<Timestamp>,
    /// When it last entered Solved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solved: Option<Timestamp>,
    /// When it entered Closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<Timestamp>,
}

impl StatusTimes {
    /// The time for `status`, for reading or writing.
    pub fn slot(&mut self, status: Status) -> &mut Option<Timestamp> {
        match status {
            Status::New => &mut self.new,
            Status::Open => &mut self.open,
            Status::Pending => &mut self.pending,
            Status::Hold => &mut self.hold,
            Status::Solved => &mut self.solved,
            Status::Closed => &mut self.closed,
        }
    }

    /// When the ticket last entered `status`, if known.
    pub fn get(mut self, status: Status) -> Option<Timestamp> {
        *self.slot(status)
    }
}

impl Ticket {
    /// The moment a time condition counts from (or, for [`Moment::UntilDueDate`], to), if
    /// the ticket knows it.
    ///
    /// A status's entry time is its `status_entered_at` entry; without one, New falls back
    /// on `created_at`, Solved on the metric set's `solved_at`, and the ticket's current
    /// status on the metric set's `status_updated_at` (when it last changed status, it
    /// entered this one), so that a ticket read from Zendesk has the times Zendesk gives.
    pub fn moment(&self, moment: Moment) -> Option<Timestamp> {
        let metric =
            |f: fn(&MetricSet) -> Option<Timestamp>| self.metric_set.as_deref().and_then(f);
        let status = |s: Status| {
            let entered = self.status_entered_at.as_ref().and_then(|t| t.get(s));
            let fallback = match s {
                Status::New => self.created_at,
                Status::Solved => metric(|m| m.solved_at),
                _ => None,
            };
            let current = (self.status == s)
                .then(|| metric(|m| m.status_updated_at))
                .flatten();
            entered.or(fallback).or(current)
        };
        match moment {
            Moment::New => status(Status::New),
            Moment::Open => status(Status::Open),
            Moment::Pending => status(Status::Pending),
            Moment::Hold => status(Status::Hold),
            Moment::Solved => status(Status::Solved),
            Moment::Closed => status(Status::Closed),
            Moment::Assigned => metric(|m| m.assigned_at),
            Moment::Updated => self.updated_at,
            Moment::RequesterUpdated => metric(|m| m.requester_updated_at),
            Moment::AssigneeUpdated => metric(|m| m.assignee_updated_at),
            Moment::DueDate | Moment::UntilDueDate => self.due_at,
            Moment::SlaNextBreach => self.sla_next_breach_at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("valid timestamp")
    }

    #[test]
    fn a_zendesk_metric_set_round_trips_with_its_nulls() {
        let input = json!({
            "id": 33, "ticket_id": 4343, "reopens": 55,
            "assigned_at": "2011-05-05T10:38:52Z",
            "requester_updated_at": "2011-05-07T10:38:52Z",
            "assignee_updated_at": null,
            "status_updated_at": "2011-05-04T10:38:52Z",
            "solved_at": null,
            "initially_assigned_at": "2011-05-03T10:38:52Z",
            "reply_time_in_minutes": {"calendar": 2391, "business": 737}
        });
        let m: MetricSet = serde_json::from_value(input.clone()).expect("valid");
        assert_eq!(m.assigned_at, Some(ts("2011-05-05T10:38:52Z")));
        assert_eq!(m.solved_at, None);
        assert_eq!(m.extra.read("reopens"), Some(55));
        assert_eq!(json!(m), input);
        // A `null` given a value later is written with it; an absent one stays absent.
        let mut m = m;
        m.solved_at = Some(ts("2011-05-09T00:00:00Z"));
        assert_eq!(json!(m)["solved_at"], json!("2011-05-09T00:00:00Z"));
        let sparse: MetricSet = serde_json::from_value(json!({"id": 1})).expect("valid");
        assert_eq!(json!(sparse), json!({"id": 1}));
    }

    #[test]
    fn nulls_are_formatting_not_data() {
        let a: MetricSet = serde_json::from_value(json!({"solved_at": null})).expect("valid");
        assert_eq!(a, MetricSet::default());
        let b: MetricSet =
            serde_json::from_value(json!({"solved_at": null, "solved_at": "2011-05-09T00:00:00Z"}))
                .expect("valid");
        assert_eq!(json!(b), json!({"solved_at": "2011-05-09T00:00:00Z"}));
        assert!(serde_json::from_value::<MetricSet>(json!({"solved_at": "soon"})).is_err());
    }

    #[test]
    fn status_times_refuse_an_unknown_status() {
        let t: StatusTimes =
            serde_json::from_value(json!({"pending": "2024-05-06T10:00:00Z"})).expect("valid");
        assert_eq!(t.get(Status::Pending), Some(ts("2024-05-06T10:00:00Z")));
        assert_eq!(t.get(Status::Open), None);
        assert!(serde_json::from_value::<StatusTimes>(json!({"waiting": null})).is_err());
    }

    #[test]
    fn moments_read_the_clock_with_zendesk_fallbacks() {
        let t: Ticket = serde_json::from_value(json!({
            "status": "pending",
            "created_at": "2024-05-01T00:00:00Z",
            "updated_at": "2024-05-05T00:00:00Z",
            "due_at": "2024-05-09T00:00:00Z",
            "sla_next_breach_at": "2024-05-08T00:00:00Z",
            "metric_set": {"assigned_at": "2024-05-02T00:00:00Z",
                           "requester_updated_at": "2024-05-03T00:00:00Z",
                           "assignee_updated_at": "2024-05-04T00:00:00Z",
                           "status_updated_at": "2024-05-04T12:00:00Z",
                           "solved_at": "2024-05-03T12:00:00Z"},
            "status_entered_at": {"open": "2024-05-01T06:00:00Z"}
        }))
        .expect("valid");
        let cases = [
            (Moment::New, Some("2024-05-01T00:00:00Z")),
            (Moment::Open, Some("2024-05-01T06:00:00Z")),
            // The current status: when it last changed status.
            (Moment::Pending, Some("2024-05-04T12:00:00Z")),
            (Moment::Hold, None),
            (Moment::Solved, Some("2024-05-03T12:00:00Z")),
            (Moment::Closed, None),
            (Moment::Assigned, Some("2024-05-02T00:00:00Z")),
            (Moment::Updated, Some("2024-05-05T00:00:00Z")),
            (Moment::RequesterUpdated, Some("2024-05-03T00:00:00Z")),
            (Moment::AssigneeUpdated, Some("2024-05-04T00:00:00Z")),
            (Moment::DueDate, Some("2024-05-09T00:00:00Z")),
            (Moment::UntilDueDate, Some("2024-05-09T00:00:00Z")),
            (Moment::SlaNextBreach, Some("2024-05-08T00:00:00Z")),
        ];
        for (moment, want) in cases {
            assert_eq!(t.moment(moment), want.map(ts), "{moment}");
        }
        // Its own entry wins over every fallback.
        let mut u = t.clone();
        u.status_entered_at = Some(Box::new(StatusTimes {
            pending: Some(ts("2024-05-04T18:00:00Z")),
            new: Some(ts("2024-04-30T00:00:00Z")),
            ..StatusTimes::default()
        }));
        assert_eq!(u.moment(Moment::Pending), Some(ts("2024-05-04T18:00:00Z")));
        assert_eq!(u.moment(Moment::New), Some(ts("2024-04-30T00:00:00Z")));
        assert_eq!(Ticket::default().moment(Moment::Updated), None);
    }
}
