//! The vocabulary of time conditions: which moment of a ticket's life an automation
//! measures from, and how it compares the hours since (DOMAIN.md section 6b).
//!
//! These are the API's own words (`PENDING`, `assigned_at`, `greater_than_business_hours`),
//! shared by the catalog that names them in English and French, the importer that reads
//! them, and the engine that evaluates them against the ticket's clock.

use std::fmt;

use super::ticket::Status;

/// A moment of a ticket's life that an automation counts hours from (or, for
/// [`Moment::UntilDueDate`], hours to).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
pub enum Moment {
    /// The ticket became New (`NEW`).
    #[serde(rename = "NEW")]
    New,
    /// The ticket entered Open (`OPEN`).
    #[serde(rename = "OPEN")]
    Open,
    /// The ticket entered Pending (`PENDING`).
    #[serde(rename = "PENDING")]
    Pending,
    /// The ticket entered On-hold (`HOLD`).
    #[serde(rename = "HOLD")]
    Hold,
    /// The ticket entered Solved (`SOLVED`).
    #[serde(rename = "SOLVED")]
    Solved,
    /// The ticket entered Closed (`CLOSED`).
    #[serde(rename = "CLOSED")]
    Closed,
    /// The ticket was last assigned (`assigned_at`).
    #[serde(rename = "assigned_at")]
    Assigned,
    /// The ticket was last updated (`updated_at`).
    #[serde(rename = "updated_at")]
    Updated,
    /// The requester last updated the ticket (`requester_updated_at`).
    #[serde(rename = "requester_updated_at")]
    RequesterUpdated,
    /// The assignee last updated the ticket (`assignee_updated_at`).
    #[serde(rename = "assignee_updated_at")]
    AssigneeUpdated,
    /// The task's due date passed (`due_date`).
    #[serde(rename = "due_date")]
    DueDate,
    /// Hours left until the task's due date (`until_due_date`).
    #[serde(rename = "until_due_date")]
    UntilDueDate,
    /// The next SLA breach passed (`sla_next_breach_at`).
    #[serde(rename = "sla_next_breach_at")]
    SlaNextBreach,
}

impl Moment {
    /// Every moment, in the order of the API's condition reference.
    pub const ALL: [Moment; 13] = [
        Moment::New,
        Moment::Open,
        Moment::Pending,
        Moment::Hold,
        Moment::Solved,
        Moment::Closed,
        Moment::Assigned,
        Moment::Updated,
        Moment::RequesterUpdated,
        Moment::AssigneeUpdated,
        Moment::DueDate,
        Moment::UntilDueDate,
        Moment::SlaNextBreach,
    ];

    /// The API's condition field.
    pub const fn api(self) -> &'static str {
        match self {
            Moment::New => "NEW",
            Moment::Open => "OPEN",
            Moment::Pending => "PENDING",
            Moment::Hold => "HOLD",
            Moment::Solved => "SOLVED",
            Moment::Closed => "CLOSED",
            Moment::Assigned => "assigned_at",
            Moment::Updated => "updated_at",
            Moment::RequesterUpdated => "requester_updated_at",
            Moment::AssigneeUpdated => "assignee_updated_at",
            Moment::DueDate => "due_date",
            Moment::UntilDueDate => "until_due_date",
            Moment::SlaNextBreach => "sla_next_breach_at",
        }
    }

    /// The moment an API condition field names.
    pub fn from_api(field: &str) -> Option<Moment> {
        Moment::ALL.into_iter().find(|m| m.api() == field)
    }
}

impl Status {
    /// The moment the ticket entered this status (`PENDING` for pending).
    pub fn moment(self) -> Moment {
        match self {
            Status::New => Moment::New,
            Status::Open => Moment::Open,
            Status::Pending => Moment::Pending,
            Status::Hold => Moment::Hold,
            Status::Solved => Moment::Solved,
            Status::Closed => Moment::Closed,
        }
    }
}

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.api())
    }
}

/// How the hours since a moment are compared with the condition's value.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum HoursOp {
    /// Exactly that many whole hours: holds during one hourly run only.
    Is,
    /// Fewer hours.
    LessThan,
    /// More hours.
    GreaterThan,
}

/// A time condition: `Hours since pending > 48`, or the API's
/// `{"field": "PENDING", "operator": "greater_than", "value": "48"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HoursTest {
    /// The moment counted from.
    pub moment: Moment,
    /// The comparison.
    pub op: HoursOp,
    /// Whether only the schedule's open hours count (`*_business_hours`).
    pub business: bool,
    /// The hours compared with.
    pub hours: u32,
}

impl HoursTest {
    /// The API's operator: `is`, `less_than`, `greater_than`, or one of them followed by
    /// `_business_hours`.
    pub fn api_operator(&self) -> &'static str {
        match (self.op, self.business) {
            (HoursOp::Is, false) => "is",
            (HoursOp::LessThan, false) => "less_than",
            (HoursOp::GreaterThan, false) => "greater_than",
            (HoursOp::Is, true) => "is_business_hours",
            (HoursOp::LessThan, true) => "less_than_business_hours",
            (HoursOp::GreaterThan, true) => "greater_than_business_hours",
        }
    }

    /// The operator and business-hours flag an API operator names.
    pub fn op_from_api(operator: &str) -> Option<(HoursOp, bool)> {
        let (op, business) = match operator.strip_suffix("_business_hours") {
            Some(op) => (op, true),
            None => (operator, false),
        };
        let op = match op {
            "is" => HoursOp::Is,
            "less_than" => HoursOp::LessThan,
            "greater_than" => HoursOp::GreaterThan,
            _ => return None,
        };
        Some((op, business))
    }

    /// Whether `hours` whole hours satisfy the test.
    pub fn holds_for(&self, hours: i64) -> bool {
        let wanted = i64::from(self.hours);
        match self.op {
            HoursOp::Is => hours == wanted,
            HoursOp::LessThan => hours < wanted,
            HoursOp::GreaterThan => hours > wanted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_moment_reads_back_from_its_api_name() {
        for m in Moment::ALL {
            assert_eq!(Moment::from_api(m.api()), Some(m));
        }
        assert_eq!(Moment::from_api("pending"), None);
    }

    #[test]
    fn operators_read_back_with_and_without_business_hours() {
        for op in [HoursOp::Is, HoursOp::LessThan, HoursOp::GreaterThan] {
            for business in [false, true] {
                let t = HoursTest {
                    moment: Moment::Pending,
                    op,
                    business,
                    hours: 1,
                };
                assert_eq!(
                    HoursTest::op_from_api(t.api_operator()),
                    Some((op, business))
                );
            }
        }
        assert_eq!(HoursTest::op_from_api("within_business_hours"), None);
    }

    #[test]
    fn is_holds_for_one_hour_only() {
        let t = HoursTest {
            moment: Moment::Pending,
            op: HoursOp::Is,
            business: false,
            hours: 24,
        };
        let held: Vec<i64> = (22..27).filter(|h| t.holds_for(*h)).collect();
        assert_eq!(held, [24]);
        let gt = HoursTest {
            op: HoursOp::GreaterThan,
            ..t
        };
        assert!(!gt.holds_for(24) && gt.holds_for(25));
    }
}
