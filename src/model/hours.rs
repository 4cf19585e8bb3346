//! Counting the hours a time condition compares (DOMAIN.md section 6b): whole hours since
//! a moment, hours until the due date, and business hours against a schedule.
//!
//! **Whole hours** (declic's reading of "the first hourly run after the moment counts as
//! hour 0, and `is N` holds during one run only"): the hours since moment `m` at time `t`
//! are the whole hours in `t - m`, rounded down. A run at `m` itself or in the hour after
//! it sees 0, the run one hour later sees 1, and so on: runs an hour apart see each count
//! exactly once, whatever minute they run at. A moment still to come has no count, so no
//! time condition on it holds ("hours since the due date" before the due date).
//!
//! **Business hours** count only the seconds inside the schedule's open intervals,
//! rounded down to whole hours the same way; outside the open hours the count stands
//! still, so `is N business hours` holds in every run of the night after the Nth open
//! hour. Without a schedule every hour is a business hour (declic decision).

use super::clock::{HoursTest, Moment};
use super::event::Schedule;
use super::ticket::Ticket;
use super::time::Timestamp;

/// Seconds in an hour.
const HOUR: i64 = 3600;
/// Seconds in a week, the cycle a schedule's intervals repeat in.
const WEEK: i64 = 7 * 24 * HOUR;
/// Seconds from the Sunday midnight before 1970-01-01 (a Thursday) to it.
const EPOCH_IN_WEEK: i64 = 4 * 24 * HOUR;

/// Whole hours from `from` to `to`, rounded down; `None` when `to` is before `from`.
///
/// ```
/// use declic::model::{whole_hours, Timestamp};
///
/// let at = |s: &str| s.parse::<Timestamp>().expect("valid");
/// let pending = at("2024-05-06T10:40:00Z");
/// assert_eq!(whole_hours(pending, at("2024-05-06T11:15:00Z")), Some(0));
/// assert_eq!(whole_hours(pending, at("2024-05-07T10:15:00Z")), Some(23));
/// assert_eq!(whole_hours(pending, at("2024-05-07T11:15:00Z")), Some(24));
/// assert_eq!(whole_hours(pending, at("2024-05-06T10:00:00Z")), None);
/// ```
pub fn whole_hours(from: Timestamp, to: Timestamp) -> Option<i64> {
    let seconds = to.seconds_since(from);
    (seconds >= 0).then_some(seconds / HOUR)
}

/// A schedule's open intervals as one week of seconds, made once and then asked how
/// many open seconds lie between two instants: two lookups, not a walk through the time
/// between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenWeek {
    /// Local time minus UTC, in seconds.
    offset: i64,
    /// Open spans in seconds since Sunday 00:00 local time: sorted, apart, within a week.
    spans: Vec<(i64, i64)>,
    /// Open seconds in a whole week.
    total: i64,
}

impl OpenWeek {
    /// The open week of `schedule`. An interval past Saturday's end wraps into Sunday, as
    /// for [`Schedule::contains`]; overlapping intervals count once; an empty or reversed
    /// one counts nothing.
    pub fn new(schedule: &Schedule) -> OpenWeek {
        let mut pieces: Vec<(i64, i64)> = Vec::with_capacity(schedule.intervals.len() + 1);
        for i in &schedule.intervals {
            let raw_start = i64::from(i.start_time) * 60;
            let length = (i64::from(i.end_time) * 60 - raw_start).clamp(0, WEEK);
            // The part of an interval past the week's end is the next week's start.
            let start = raw_start.rem_euclid(WEEK);
            let end = start + length;
            pieces.push((start, end.min(WEEK)));
            if end > WEEK {
                pieces.push((0, end - WEEK));
            }
        }
        pieces.retain(|(s, e)| s < e);
        pieces.sort_unstable();
        let mut spans: Vec<(i64, i64)> = Vec::with_capacity(pieces.len());
        for (s, e) in pieces {
            match spans.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => spans.push((s, e)),
            }
        }
        let total = spans.iter().map(|(s, e)| e - s).sum();
        OpenWeek {
            offset: i64::from(schedule.utc_offset_minutes) * 60,
            spans,
            total,
        }
    }

    /// Open seconds from the Sunday midnight (local time) before the epoch to `t`.
    fn open_until(&self, t: Timestamp) -> i64 {
        let local = t.as_second() + self.offset + EPOCH_IN_WEEK;
        let (weeks, into) = (local.div_euclid(WEEK), local.rem_euclid(WEEK));
        let partial: i64 = self
            .spans
            .iter()
            .map(|(s, e)| (into.min(*e) - s).max(0))
            .sum();
        weeks * self.total + partial
    }

    /// Open seconds from `from` to `to`; negative when `to` is before `from`.
    pub fn open_seconds(&self, from: Timestamp, to: Timestamp) -> i64 {
        self.open_until(to) - self.open_until(from)
    }

    /// Whole open hours from `from` to `to`, rounded down; `None` when `to` is before
    /// `from`.
    ///
    /// ```
    /// use declic::model::{Interval, OpenWeek, Schedule, Timestamp};
    ///
    /// // Monday to Friday, 9:00 to 17:00 UTC.
    /// let office = Schedule {
    ///     utc_offset_minutes: 0,
    ///     intervals: (1..=5)
    ///         .map(|day| Interval { start_time: day * 1440 + 540, end_time: day * 1440 + 1020 })
    ///         .collect(),
    /// };
    /// let week = OpenWeek::new(&office);
    /// let at = |s: &str| s.parse::<Timestamp>().expect("valid");
    /// // Friday 16:00 to Monday 10:00: the last hour of Friday and the first of Monday.
    /// assert_eq!(week.business_hours(at("2024-05-10T16:00:00Z"), at("2024-05-13T10:00:00Z")), Some(2));
    /// ```
    pub fn business_hours(&self, from: Timestamp, to: Timestamp) -> Option<i64> {
        (to >= from).then(|| self.open_seconds(from, to) / HOUR)
    }
}

impl Schedule {
    /// Open seconds from `from` to `to` (negative when `to` is before `from`). Makes the
    /// schedule's [`OpenWeek`] each time: keep one to count often.
    pub fn open_seconds(&self, from: Timestamp, to: Timestamp) -> i64 {
        OpenWeek::new(self).open_seconds(from, to)
    }
}

impl HoursTest {
    /// The hours the test compares on `ticket` at time `now`: since its moment (until it,
    /// for [`Moment::UntilDueDate`]), counted in `week`'s open hours for the business-hours
    /// forms (every hour without one). `None` when the ticket lacks the moment or the
    /// count would be negative: the moment has not come (or, for the due date, has
    /// passed).
    pub fn hours(&self, ticket: &Ticket, now: Timestamp, week: Option<&OpenWeek>) -> Option<i64> {
        let moment = ticket.moment(self.moment)?;
        let (from, to) = match self.moment {
            Moment::UntilDueDate => (now, moment),
            _ => (moment, now),
        };
        match (self.business, week) {
            (true, Some(week)) => week.business_hours(from, to),
            _ => whole_hours(from, to),
        }
    }

    /// Whether the test holds on `ticket` at time `now` (see [`HoursTest::hours`]).
    pub fn holds_at(&self, ticket: &Ticket, now: Timestamp, week: Option<&OpenWeek>) -> bool {
        self.hours(ticket, now, week)
            .is_some_and(|h| self.holds_for(h))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::clock::HoursOp;
    use crate::model::event::{office_hours as office, Interval};
    use crate::model::StatusTimes;
    use proptest::prelude::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("valid timestamp")
    }

    /// The open seconds between two instants, counted a minute at a time.
    fn stepped(s: &Schedule, from: Timestamp, to: Timestamp) -> i64 {
        (from.as_second()..to.as_second())
            .step_by(60)
            .filter(|t| s.contains(Timestamp::from_second(*t).expect("in range")))
            .count() as i64
            * 60
    }

    #[test]
    fn whole_hours_round_down_and_refuse_the_future() {
        let m = ts("2024-05-06T10:40:00Z");
        let cases = [
            ("2024-05-06T10:40:00Z", Some(0)),
            ("2024-05-06T11:39:59Z", Some(0)),
            ("2024-05-06T11:40:00Z", Some(1)),
            ("2024-05-07T10:39:59Z", Some(23)),
            ("2024-05-07T10:40:00Z", Some(24)),
            ("2024-05-06T10:39:59Z", None),
        ];
        for (now, want) in cases {
            assert_eq!(whole_hours(m, ts(now)), want, "{now}");
        }
    }

    #[test]
    fn is_24_holds_in_one_hourly_run_only() {
        let ticket = Ticket {
            status_entered_at: Some(Box::new(StatusTimes {
                pending: Some(ts("2024-05-06T10:40:00Z")),
                ..StatusTimes::default()
            })),
            ..Ticket::default()
        };
        let test = HoursTest {
            moment: Moment::Pending,
            op: HoursOp::Is,
            business: false,
            hours: 24,
        };
        // Runs at :15 past each hour for three days, and at :40 sharp (the moment's own
        // minute, the edge).
        for minute in [15, 40] {
            let first = ts("2024-05-06T10:00:00Z").as_second() + minute * 60;
            let runs: Vec<i64> = (0..72)
                .map(|h| first + h * HOUR)
                .filter(|t| test.holds_at(&ticket, Timestamp::from_second(*t).expect("ok"), None))
                .collect();
            assert_eq!(runs.len(), 1, "minute {minute}");
            let held = Timestamp::from_second(runs[0]).expect("ok");
            let want = if minute == 15 {
                "2024-05-07T11:15:00Z"
            } else {
                "2024-05-07T10:40:00Z"
            };
            assert_eq!(held, ts(want));
        }
    }

    #[test]
    fn business_hours_across_a_night_and_a_weekend() {
        let week = OpenWeek::new(&office(0));
        let cases = [
            // Monday 16:30 to Tuesday 9:30: half an hour each side of the night.
            ("2024-05-06T16:30:00Z", "2024-05-07T09:30:00Z", 3600),
            // Just under that: rounds down to no whole hour.
            ("2024-05-06T16:30:00Z", "2024-05-07T09:29:59Z", 3599),
            // Friday 16:00 to Monday 10:00: the weekend counts nothing.
            ("2024-05-10T16:00:00Z", "2024-05-13T10:00:00Z", 2 * 3600),
            // Saturday to Sunday: nothing at all.
            ("2024-05-11T08:00:00Z", "2024-05-12T20:00:00Z", 0),
            // A whole week from Monday: five days of eight hours.
            ("2024-05-06T00:00:00Z", "2024-05-13T00:00:00Z", 40 * 3600),
            // Three weeks and an hour: the whole weeks are counted without walking them.
            (
                "2024-05-06T09:00:00Z",
                "2024-05-27T10:00:00Z",
                (3 * 40 + 1) * 3600,
            ),
        ];
        for (from, to, want) in cases {
            assert_eq!(week.open_seconds(ts(from), ts(to)), want, "{from} to {to}");
            assert_eq!(week.open_seconds(ts(to), ts(from)), -want);
        }
        assert_eq!(
            week.business_hours(ts("2024-05-10T16:00:00Z"), ts("2024-05-13T10:00:00Z")),
            Some(2)
        );
        assert_eq!(
            week.business_hours(ts("2024-05-13T10:00:00Z"), ts("2024-05-10T16:00:00Z")),
            None
        );
    }

    #[test]
    fn business_hours_use_the_schedule_s_local_time() {
        // UTC+2: Monday 9:00 local is 7:00 UTC, so 6:00 to 8:00 UTC holds one open hour.
        let paris = OpenWeek::new(&office(120));
        assert_eq!(
            paris.open_seconds(ts("2024-05-06T06:00:00Z"), ts("2024-05-06T08:00:00Z")),
            3600
        );
        // UTC-5: Friday 16:00 to 18:00 local is 21:00 to 23:00 UTC; one hour is open.
        let new_york = OpenWeek::new(&office(-300));
        assert_eq!(
            new_york.open_seconds(ts("2024-05-10T21:00:00Z"), ts("2024-05-10T23:00:00Z")),
            3600
        );
    }

    #[test]
    fn wrapping_overlapping_and_empty_intervals() {
        // Saturday 22:00 to Sunday 02:00, written past the week's end, plus an overlap and
        // an empty interval.
        let s = Schedule {
            utc_offset_minutes: 0,
            intervals: vec![
                Interval {
                    start_time: 6 * 1440 + 22 * 60,
                    end_time: 7 * 1440 + 2 * 60,
                },
                Interval {
                    start_time: 6 * 1440 + 23 * 60,
                    end_time: 6 * 1440 + 24 * 60,
                },
                Interval {
                    start_time: 100,
                    end_time: 100,
                },
            ],
        };
        let week = OpenWeek::new(&s);
        // Saturday 2024-05-11 20:00 to Sunday 2024-05-12 04:00: four open hours.
        assert_eq!(
            week.open_seconds(ts("2024-05-11T20:00:00Z"), ts("2024-05-12T04:00:00Z")),
            4 * 3600
        );
        assert_eq!(week.total, 4 * 3600);
    }

    #[test]
    fn business_forms_count_open_hours_and_every_hour_without_a_schedule() {
        let ticket = Ticket {
            due_at: Some(ts("2024-05-13T10:00:00Z")),
            updated_at: Some(ts("2024-05-10T16:00:00Z")),
            ..Ticket::default()
        };
        let week = OpenWeek::new(&office(0));
        let now = ts("2024-05-10T16:00:00Z");
        let until = HoursTest {
            moment: Moment::UntilDueDate,
            op: HoursOp::LessThan,
            business: true,
            hours: 3,
        };
        assert_eq!(until.hours(&ticket, now, Some(&week)), Some(2));
        assert!(until.holds_at(&ticket, now, Some(&week)));
        // The same test without the schedule counts 66 calendar hours.
        assert_eq!(until.hours(&ticket, now, None), Some(66));
        assert!(!until.holds_at(&ticket, now, None));
        // Calendar hours ignore the schedule.
        let calendar = HoursTest {
            business: false,
            ..until
        };
        assert_eq!(calendar.hours(&ticket, now, Some(&week)), Some(66));
        // Once the due date has passed there are no hours until it; hours since it start.
        let later = ts("2024-05-13T12:00:00Z");
        assert_eq!(until.hours(&ticket, later, Some(&week)), None);
        let since = HoursTest {
            moment: Moment::DueDate,
            business: false,
            ..until
        };
        assert_eq!(since.hours(&ticket, later, None), Some(2));
        assert_eq!(since.hours(&ticket, now, None), None);
        // A moment the ticket lacks holds nothing, `less_than` included.
        let assigned = HoursTest {
            moment: Moment::Assigned,
            ..calendar
        };
        assert!(!assigned.holds_at(&ticket, now, None));
    }

    proptest! {
        /// The interval arithmetic agrees with counting minute by minute.
        #[test]
        fn open_seconds_agree_with_stepping(
            start in 0i64..(3 * 7 * 24 * 60),
            length in 0i64..(9 * 24 * 60),
            offset in -720i32..=840,
        ) {
            let s = office(offset);
            let base = ts("2024-05-01T00:00:00Z").as_second();
            let from = Timestamp::from_second(base + start * 60).expect("ok");
            let to = Timestamp::from_second(base + (start + length) * 60).expect("ok");
            prop_assert_eq!(s.open_seconds(from, to), stepped(&s, from, to));
        }
    }
}
