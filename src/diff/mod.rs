//! The backtest: what a change to a rule set does to real traffic. Every event runs
//! through the old and the new version of the rule set, and the [`Report`] says how often
//! each trigger fired under each, and which events end differently, grouped by the kind of
//! difference (a trigger fires or not, a field ends differently, an effect appears or goes).
//!
//! ```
//! use declic::engine::Compiled;
//! use declic::model::Event;
//!
//! let compile = |text: &str| {
//!     let rules = declic::check(&[declic::Source::new("rules.declic", text)]);
//!     Compiled::new(&rules.into_result().expect("the rules check")).expect("compiles")
//! };
//! let old = compile(r#"
//! trigger "Urgent when VIP" {
//!   when all {
//!     Tags includes vip
//!     Status is New
//!   }
//!   then {
//!     Priority = Urgent
//!   }
//! }
//! "#);
//! // The new version drops the status condition.
//! let new = compile(r#"
//! trigger "Urgent when VIP" {
//!   when all {
//!     Tags includes vip
//!   }
//!   then {
//!     Priority = Urgent
//!   }
//! }
//! "#);
//! let events = [
//!     r#"{"ticket": {"status": "new", "tags": ["vip"]}}"#,
//!     r#"{"ticket": {"status": "open", "tags": ["vip"]}}"#,
//!     r#"{"ticket": {"status": "open"}}"#,
//!     r#"{"ticket": "#,
//! ];
//! let report = declic::diff::diff(&old, &new, events.map(Event::from_json));
//! assert_eq!((report.events, report.compared, report.changed), (4, 3, 1));
//! assert_eq!((report.triggers[0].before, report.triggers[0].after), (1, 2));
//! assert_eq!(report.unreadable.count, 1);
//! ```

mod compare;
mod report;
mod triggers;

#[cfg(test)]
mod tests;

pub use compare::EventDiff;
pub use report::{BadEvent, Example, Group, Kind, Report, Status, TriggerRow, Unreadable};

use indexmap::IndexMap;
use rayon::prelude::*;

use crate::engine::Compiled;
use crate::model::{Event, EventError};
use crate::Code;

/// How many examples a report shows of each kind of difference, unless told otherwise.
pub const DEFAULT_SHOW: usize = 3;

/// Events taken from the iterator at a time: enough to keep every core busy, few enough
/// that memory stays small however many events there are.
const CHUNK: usize = 4096;

/// How a diff reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// How many examples of each kind of difference, and of unreadable events, to keep.
    pub show: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options { show: DEFAULT_SHOW }
    }
}

/// Runs every event through `old` and `new`, on all cores, and reports what differs.
/// Events are named by their position from 1; an event that could not be read is counted
/// and shown, never dropped.
pub fn diff(
    old: &Compiled,
    new: &Compiled,
    events: impl IntoIterator<Item = Result<Event, EventError>>,
) -> Report {
    diff_with(old, new, events, &Options::default())
}

/// [`diff`] with `options`.
pub fn diff_with(
    old: &Compiled,
    new: &Compiled,
    events: impl IntoIterator<Item = Result<Event, EventError>>,
    options: &Options,
) -> Report {
    let differ = Differ::new(old, new);
    let mut tally = Tally::new(&differ, options);
    let mut events = events.into_iter().peekable();
    let mut position = 0;
    while events.peek().is_some() {
        let chunk: Vec<_> = events.by_ref().take(CHUNK).collect();
        let diffs: Vec<_> = chunk
            .par_iter()
            .map(|event| event.as_ref().map(|e| differ.compare(e)))
            .collect();
        for result in diffs {
            position += 1;
            match result {
                Ok(diff) => tally.add(&position.to_string(), diff),
                Err(e) => {
                    tally.unreadable(&position.to_string(), Code::InvalidEvent, &e.to_string())
                }
            }
        }
    }
    tally.finish()
}

/// Two versions of a rule set, their triggers matched, ready to compare the outcomes of
/// events from many threads at once.
#[derive(Debug)]
pub struct Differ<'a> {
    old: &'a Compiled,
    new: &'a Compiled,
    table: triggers::Table,
}

impl<'a> Differ<'a> {
    /// Matches the triggers of `old` and `new`: by Zendesk id when both versions give a
    /// trigger one, else by title.
    pub fn new(old: &'a Compiled, new: &'a Compiled) -> Differ<'a> {
        Differ {
            old,
            new,
            table: triggers::Table::new(old, new),
        }
    }

    /// Runs `event` through both versions and compares the outcomes.
    pub fn compare(&self, event: &Event) -> EventDiff {
        compare::compare(&self.table, &self.old.run(event), &self.new.run(event))
    }
}

/// Adds up the comparisons of events, in input order, into a [`Report`].
#[derive(Debug)]
pub struct Tally {
    report: Report,
    show: usize,
    /// The differences by kind and subject, in the order first met.
    groups: IndexMap<(Kind, String), Group>,
}

impl Tally {
    /// An empty tally for the triggers of `differ`.
    pub fn new(differ: &Differ<'_>, options: &Options) -> Tally {
        Tally {
            report: Report {
                triggers: differ.table.rows.clone(),
                ..Report::default()
            },
            show: options.show,
            groups: IndexMap::new(),
        }
    }

    /// Adds the comparison of the event named `event`.
    pub fn add(&mut self, event: &str, diff: EventDiff) {
        self.report.events += 1;
        self.report.compared += 1;
        let rows = &mut self.report.triggers;
        diff.before
            .iter()
            .for_each(|&r| rows[r as usize].before += 1);
        diff.after.iter().for_each(|&r| rows[r as usize].after += 1);
        if diff.differs() {
            self.report.changed += 1;
        }
        for difference in diff.differences {
            let key = (difference.kind, difference.subject);
            let group = self.groups.entry(key.clone()).or_insert_with(|| Group {
                kind: key.0,
                subject: key.1,
                events: 0,
                triggers: Vec::new(),
                examples: Vec::new(),
            });
            group.events += 1;
            for &row in &difference.triggers {
                let title = &rows[row as usize].title;
                if !group.triggers.contains(title) {
                    group.triggers.push(title.clone());
                }
            }
            if group.examples.len() < self.show {
                group.examples.push(Example {
                    event: event.to_owned(),
                    before: difference.before,
                    after: difference.after,
                });
            }
        }
    }

    /// Counts the event named `event`, which could not be read for the reason `message`
    /// (whose stable code is `code`).
    pub fn unreadable(&mut self, event: &str, code: Code, message: &str) {
        self.report.events += 1;
        let unreadable = &mut self.report.unreadable;
        unreadable.count += 1;
        if unreadable.examples.len() < self.show {
            unreadable.examples.push(BadEvent {
                event: event.to_owned(),
                code: code.as_str().to_owned(),
                message: message.to_owned(),
            });
        }
    }

    /// The report: differences by kind, the most frequent first within a kind.
    pub fn finish(mut self) -> Report {
        let mut groups: Vec<Group> = self.groups.into_values().collect();
        // Stable: equal counts keep the order they were first met in.
        groups.sort_by(|a, b| a.kind.cmp(&b.kind).then(b.events.cmp(&a.events)));
        for group in &mut groups {
            group.triggers.sort();
        }
        self.report.differences = groups;
        self.report
    }
}
