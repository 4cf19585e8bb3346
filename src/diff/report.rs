//! What a diff found: plain data, serialised as `declic diff --format json` writes it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What replaying events through two versions of a rule set found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The events read, whether they could be read or not.
    pub events: usize,
    /// The events run through both versions.
    pub compared: usize,
    /// The events whose outcome differs between the versions.
    pub changed: usize,
    /// Every trigger of either version: how often it fired before and after.
    pub triggers: Vec<TriggerRow>,
    /// The differences, grouped by kind and subject, the most frequent first within a
    /// kind.
    pub differences: Vec<Group>,
    /// The events that could not be read: counted, and the first ones shown.
    pub unreadable: Unreadable,
}

/// One trigger of either version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TriggerRow {
    /// Its title: in the new version, or in the old one for a removed trigger.
    pub title: String,
    /// Its title in the old version, when it was renamed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub was: Option<String>,
    /// Its Zendesk id, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// Whether it is new, gone, renamed or kept.
    pub status: Status,
    /// The events it fired on under the old version.
    pub before: usize,
    /// The events it fired on under the new version.
    pub after: usize,
    /// `after - before`.
    pub difference: i64,
}

impl TriggerRow {
    pub(crate) fn new(title: &str, was: Option<String>, id: Option<i64>, status: Status) -> Self {
        TriggerRow {
            title: title.to_owned(),
            was,
            id,
            status,
            before: 0,
            after: 0,
            difference: 0,
        }
    }

    /// Whether `name` names the trigger: its title, its old title, or `#id`.
    pub fn is_named(&self, name: &str) -> bool {
        name == self.title
            || self.was.as_deref() == Some(name)
            || (self.id.is_some()
                && name.strip_prefix('#') == self.id.map(|id| id.to_string()).as_deref())
    }

    /// Whether the trigger is other than it was: added, removed, renamed, or firing on
    /// another number of events.
    pub fn changed(&self) -> bool {
        self.status != Status::Kept || self.before != self.after
    }
}

/// What became of a trigger between the versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// In both, with the same title.
    Kept,
    /// In both, matched by its Zendesk id, under another title.
    Renamed,
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
}

/// The events that differ in one way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// The kind of difference.
    pub kind: Kind,
    /// What differs: the trigger's title, the field's API name (`status`,
    /// `custom_fields_360001`) or the effect's type (`csat_survey`).
    pub subject: String,
    /// How many events differ this way.
    pub events: usize,
    /// The triggers behind the difference in either version (those that fired or not,
    /// changed the field, or emitted the effect), by title.
    pub triggers: Vec<String>,
    /// The first events that differ this way, in input order.
    pub examples: Vec<Example>,
}

/// A kind of difference between two outcomes of one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A trigger fires under the new version and did not under the old.
    NowFires,
    /// A trigger fired under the old version and does not under the new.
    NoLongerFires,
    /// A ticket field ends with another value.
    Field,
    /// An effect (a notification, webhook, survey, session ended, ...) is emitted under
    /// the new version only.
    EffectAdded,
    /// An effect is emitted under the old version only.
    EffectRemoved,
}

impl Kind {
    /// The kind for people, with `subject` in place.
    pub fn describe(self, subject: &str) -> String {
        match self {
            Kind::NowFires => format!("`{subject}` now fires"),
            Kind::NoLongerFires => format!("`{subject}` no longer fires"),
            Kind::Field => format!("`{subject}` ends differently"),
            Kind::EffectAdded => format!("a `{subject}` effect appears"),
            Kind::EffectRemoved => format!("a `{subject}` effect goes"),
        }
    }
}

/// One event that differs, and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    /// Where the event came from: `file:line` for a stream, the file for a document, its
    /// position from 1 for events given without a name.
    pub event: String,
    /// The old version's side: whether the trigger fired, the field's value, the effect
    /// (`null` when absent).
    pub before: Value,
    /// The new version's side.
    pub after: Value,
}

/// The events that could not be read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Unreadable {
    /// How many.
    pub count: usize,
    /// The first ones.
    pub examples: Vec<BadEvent>,
}

/// An event that could not be read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BadEvent {
    /// Where it came from, as in [`Example::event`].
    pub event: String,
    /// The problem's stable code.
    pub code: String,
    /// What is wrong.
    pub message: String,
}

impl Report {
    /// Whether anything differs: a trigger added, removed, renamed or firing on other
    /// events, or an event with another outcome.
    pub fn has_changes(&self) -> bool {
        self.changed > 0 || self.triggers.iter().any(TriggerRow::changed)
    }

    /// The triggers that changed and are not among `allowed` (titles, the old title of a
    /// renamed trigger, or `#id`): a trigger is changed when its row is, or when a
    /// difference of some event lies behind it. A difference no trigger lies behind counts
    /// as a change of its own, named by [`Kind::describe`].
    pub fn unexpected(&self, allowed: &[String]) -> Vec<String> {
        let is_allowed = |title: &str| match self.triggers.iter().find(|r| r.title == title) {
            Some(row) => allowed.iter().any(|name| row.is_named(name)),
            None => allowed.iter().any(|name| name == title),
        };
        let mut found: Vec<String> = Vec::new();
        let mut push = |name: String| {
            if !found.contains(&name) {
                found.push(name);
            }
        };
        for row in self.triggers.iter().filter(|r| r.changed()) {
            if !is_allowed(&row.title) {
                push(row.title.clone());
            }
        }
        for group in &self.differences {
            if group.triggers.is_empty() {
                push(group.kind.describe(&group.subject));
            }
            for title in group.triggers.iter().filter(|t| !is_allowed(t)) {
                push(title.clone());
            }
        }
        found
    }

    /// Those of `names` that name no trigger of either version: a misspelt
    /// `--expect-change` would otherwise allow nothing, silently.
    pub fn unknown<'n>(&self, names: &'n [String]) -> Vec<&'n str> {
        let known = |name: &String| self.triggers.iter().any(|row| row.is_named(name));
        names
            .iter()
            .filter(|n| !known(n))
            .map(String::as_str)
            .collect()
    }
}
