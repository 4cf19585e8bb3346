//! The triggers of two versions of a rule set, matched: by Zendesk id when both versions
//! give the trigger one (so that a renamed trigger stays itself), else by title.

use foldhash::{HashMap, HashMapExt};

use super::report::{Status, TriggerRow};
use crate::engine::Compiled;

/// One row per trigger of either version, and where each version's triggers land.
#[derive(Debug)]
pub(crate) struct Table {
    /// New triggers in the new version's order, then the removed ones in the old order.
    pub rows: Vec<TriggerRow>,
    /// Finds the row of an old trigger.
    pub old: Lookup,
    /// Finds the row of a new trigger.
    pub new: Lookup,
}

/// Finds a version's trigger's row from what an outcome records of it: its title, and
/// its id when it has one.
#[derive(Debug, Default)]
pub(crate) struct Lookup {
    by_id: HashMap<i64, u32>,
    /// The first trigger of each title: effects name their trigger by title alone.
    by_title: HashMap<Box<str>, u32>,
}

impl Lookup {
    fn add(&mut self, title: &str, id: Option<i64>, row: u32) {
        if let Some(id) = id {
            self.by_id.entry(id).or_insert(row);
        }
        self.by_title.entry(title.into()).or_insert(row);
    }

    /// The row of the trigger titled `title` with `id`.
    pub fn row(&self, title: &str, id: Option<i64>) -> Option<u32> {
        id.and_then(|id| self.by_id.get(&id))
            .or_else(|| self.by_title.get(title))
            .copied()
    }
}

impl Table {
    /// Matches the triggers of `old` with those of `new`.
    pub fn new(old: &Compiled, new: &Compiled) -> Table {
        let old: Vec<_> = old.trigger_names().collect();
        let new: Vec<_> = new.trigger_names().collect();
        // For each new trigger, the old one it continues.
        let mut matched: Vec<Option<usize>> = vec![None; new.len()];
        let mut taken = vec![false; old.len()];
        let mut old_ids = HashMap::new();
        for (i, (_, id)) in old.iter().enumerate() {
            if let Some(id) = id {
                old_ids.entry(*id).or_insert(i);
            }
        }
        for (j, (_, id)) in new.iter().enumerate() {
            if let Some(&i) = id.and_then(|id| old_ids.get(&id)) {
                if !taken[i] {
                    (matched[j], taken[i]) = (Some(i), true);
                }
            }
        }
        // Then by title, among the triggers an id did not match: the first old trigger of
        // the title not yet taken, and only when ids do not tell them apart.
        for (j, (title, id)) in new.iter().enumerate() {
            if matched[j].is_some() {
                continue;
            }
            let found = old.iter().enumerate().position(|(i, (t, old_id))| {
                !taken[i] && t == title && (id.is_none() || old_id.is_none())
            });
            if let Some(i) = found {
                (matched[j], taken[i]) = (Some(i), true);
            }
        }
        let mut table = Table {
            rows: Vec::with_capacity(new.len()),
            old: Lookup::default(),
            new: Lookup::default(),
        };
        for (j, &(title, id)) in new.iter().enumerate() {
            let row = table.rows.len() as u32;
            let (status, was) = match matched[j] {
                Some(i) if old[i].0 == title => (Status::Kept, None),
                Some(i) => (Status::Renamed, Some(old[i].0.to_owned())),
                None => (Status::Added, None),
            };
            if let Some(i) = matched[j] {
                table.old.add(old[i].0, old[i].1, row);
            }
            table.new.add(title, id, row);
            table.rows.push(TriggerRow::new(
                title,
                was,
                id.or_else(|| matched[j].and_then(|i| old[i].1)),
                status,
            ));
        }
        for (i, &(title, id)) in old.iter().enumerate() {
            if !taken[i] {
                table.old.add(title, id, table.rows.len() as u32);
                table
                    .rows
                    .push(TriggerRow::new(title, None, id, Status::Removed));
            }
        }
        table
    }
}
