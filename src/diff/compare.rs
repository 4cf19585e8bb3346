//! How the two outcomes of one event differ.

use std::sync::Arc;

use serde_json::{Map, Value};

use super::report::Kind;
use super::triggers::{Lookup, Table};
use crate::model::{Change, Effect, Outcome};

/// What one event did under both versions: the rows of the triggers that fired, and the
/// differences. Plain data, made on any thread and tallied in input order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventDiff {
    /// The rows of the triggers that fired under the old version.
    pub(crate) before: Vec<u32>,
    /// The rows of the triggers that fired under the new version.
    pub(crate) after: Vec<u32>,
    /// How the outcomes differ; empty when they do not.
    pub(crate) differences: Vec<Difference>,
}

impl EventDiff {
    /// Whether the two outcomes differ.
    pub fn differs(&self) -> bool {
        !self.differences.is_empty()
    }
}

/// One way the outcomes differ.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Difference {
    pub kind: Kind,
    pub subject: String,
    pub before: Value,
    pub after: Value,
    /// The rows of the triggers behind it.
    pub triggers: Vec<u32>,
}

/// Compares the outcomes of one event under the old and the new version.
pub(crate) fn compare(table: &Table, old: &Outcome, new: &Outcome) -> EventDiff {
    let before = rows(&table.old, old);
    let after = rows(&table.new, new);
    let mut differences = Vec::new();
    fired(&before, &after, table, &mut differences);
    if !Arc::ptr_eq(&old.ticket, &new.ticket) && old.ticket != new.ticket {
        fields(table, old, new, &mut differences);
    }
    if old.effects != new.effects {
        effects(table, old, new, &mut differences);
    }
    EventDiff {
        before,
        after,
        differences,
    }
}

/// The rows of the triggers that fired, in firing order.
fn rows(lookup: &Lookup, outcome: &Outcome) -> Vec<u32> {
    outcome
        .fired
        .iter()
        .filter_map(|f| lookup.row(&f.trigger, f.id))
        .collect()
}

fn fired(before: &[u32], after: &[u32], table: &Table, out: &mut Vec<Difference>) {
    let one = |kind, row: u32, was: bool| Difference {
        kind,
        subject: table.rows[row as usize].title.clone(),
        before: Value::Bool(was),
        after: Value::Bool(!was),
        triggers: vec![row],
    };
    for &row in before.iter().filter(|r| !after.contains(r)) {
        out.push(one(Kind::NoLongerFires, row, true));
    }
    for &row in after.iter().filter(|r| !before.contains(r)) {
        out.push(one(Kind::NowFires, row, false));
    }
}

/// The fields the tickets end with that differ, custom fields one by one.
fn fields(table: &Table, old: &Outcome, new: &Outcome, out: &mut Vec<Difference>) {
    let (before, after) = (flatten(&old.ticket), flatten(&new.ticket));
    let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let (was, now) = (before.get(name), after.get(name));
        if was == now {
            continue;
        }
        out.push(Difference {
            kind: Kind::Field,
            subject: name.clone(),
            before: was.cloned().unwrap_or(Value::Null),
            after: now.cloned().unwrap_or(Value::Null),
            triggers: setters(table, old, new, name),
        });
    }
}

/// A ticket's fields as JSON, each custom field as `custom_fields_<id>` as actions name it.
fn flatten(ticket: &crate::model::Ticket) -> Map<String, Value> {
    let Ok(Value::Object(mut map)) = serde_json::to_value(ticket) else {
        return Map::new();
    };
    if let Some(Value::Array(custom)) = map.remove("custom_fields") {
        for field in custom {
            if let (Some(id), Some(value)) = (field.get("id"), field.get("value")) {
                map.insert(format!("custom_fields_{id}"), value.clone());
            }
        }
    }
    map
}

/// The triggers whose changes to `field` differ between the outcomes: those that set it
/// under one version only, or to another value.
fn setters(table: &Table, old: &Outcome, new: &Outcome, field: &str) -> Vec<u32> {
    let changes = |lookup: &Lookup, outcome: &Outcome| -> Vec<(u32, Vec<Change>)> {
        outcome
            .fired
            .iter()
            .filter_map(|f| {
                let of_field: Vec<Change> = f
                    .changes
                    .iter()
                    .filter(|c| c.field == field)
                    .cloned()
                    .collect();
                let row = lookup.row(&f.trigger, f.id)?;
                (!of_field.is_empty()).then_some((row, of_field))
            })
            .collect()
    };
    let (before, after) = (changes(&table.old, old), changes(&table.new, new));
    let mut rows: Vec<u32> = before
        .iter()
        .filter(|b| !after.contains(b))
        .chain(after.iter().filter(|a| !before.contains(a)))
        .map(|(row, _)| *row)
        .collect();
    rows.sort_unstable();
    rows.dedup();
    rows
}

/// The effects emitted under one version only, compared without the trigger that emitted
/// them: the same email sent by a renamed trigger is the same email.
fn effects(table: &Table, old: &Outcome, new: &Outcome, out: &mut Vec<Difference>) {
    let plain = |effects: &[Effect]| -> Vec<Value> {
        effects
            .iter()
            .map(|e| {
                let mut value = serde_json::to_value(e).unwrap_or(Value::Null);
                if let Value::Object(map) = &mut value {
                    map.remove("trigger");
                }
                value
            })
            .collect()
    };
    let (before, after) = (plain(&old.effects), plain(&new.effects));
    let only = |these: &[Value], those: &[Value]| -> Vec<usize> {
        // Each effect of `those` answers for one equal effect of `these` at most.
        let mut used = vec![false; those.len()];
        (0..these.len())
            .filter(|&i| {
                let twin = (0..those.len()).find(|&j| !used[j] && those[j] == these[i]);
                twin.map(|j| used[j] = true).is_none()
            })
            .collect()
    };
    let behind = |lookup: &Lookup, effect: &Effect| {
        let row = effect.trigger().and_then(|t| lookup.row(t, None));
        row.into_iter().collect()
    };
    for i in only(&before, &after) {
        out.push(Difference {
            kind: Kind::EffectRemoved,
            subject: old.effects[i].kind().to_owned(),
            before: before[i].clone(),
            after: Value::Null,
            triggers: behind(&table.old, &old.effects[i]),
        });
    }
    for i in only(&after, &before) {
        out.push(Difference {
            kind: Kind::EffectAdded,
            subject: new.effects[i].kind().to_owned(),
            before: Value::Null,
            after: after[i].clone(),
            triggers: behind(&table.new, &new.effects[i]),
        });
    }
}
