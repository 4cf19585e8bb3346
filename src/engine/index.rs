//! Trigger indexing: most triggers of a large rule set require values that few tickets
//! have (`Group is 42`, `Tags includes vip`, `Channel is Email`, `Ticket is Created`). The
//! index files each trigger under a required tag, or else under all its required codes
//! together (`Group is 42` and `Channel is Email`), so a pass looks up the ticket's values
//! and evaluates only the triggers filed under them, plus those it could not file. Filing
//! under every required code, not just the most selective, keeps the lists short when
//! thousands of triggers share out a few dozen groups between a few channels.
//!
//! The cycle stays exactly Zendesk's: a trigger left out has a required condition false on
//! the ticket as it is, so it could not have fired; and after a trigger fires, the rest of
//! the pass is looked up again against the changed ticket.

use std::collections::HashMap;

use super::compile::{Cond, Trigger};
use super::eval;
use super::facts::Facts;
use super::snapshot::Snapshot;
use crate::catalog::fields::FieldKey;

/// Below this many triggers, evaluating them all is cheaper than looking them up.
pub(crate) const MIN_TRIGGERS: usize = 32;

/// Fields whose required values file a trigger.
const FIELDS: [FieldKey; 5] = [
    FieldKey::Group,
    FieldKey::Form,
    FieldKey::Status,
    FieldKey::Channel,
    FieldKey::UpdateType,
];

/// Triggers filed by a required value; each list is in run order.
#[derive(Debug, Default)]
pub(crate) struct Index {
    /// Triggers with no value to be filed under: always evaluated.
    always: Vec<usize>,
    /// By required tag (lower-case).
    tags: HashMap<Box<str>, Vec<usize>>,
    /// By required codes.
    codes: HashMap<Codes, Vec<usize>>,
    /// The sets of fields ([`Codes::fields`]) that some trigger is filed under.
    shapes: Vec<u8>,
}

/// What a trigger is filed under.
enum Key<'a> {
    Tag(&'a str),
    Codes(Codes),
}

/// Required codes: the fields of [`FIELDS`] required (a bit each) and their values (0 for
/// the fields not required).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Codes {
    fields: u8,
    values: [i64; FIELDS.len()],
}

impl Index {
    pub fn new(triggers: &[Trigger]) -> Index {
        let mut index = Index::default();
        for (i, t) in triggers.iter().enumerate() {
            match key(&t.cond) {
                Some(Key::Tag(tag)) => index.tags.entry(tag.into()).or_default().push(i),
                Some(Key::Codes(codes)) => {
                    if !index.shapes.contains(&codes.fields) {
                        index.shapes.push(codes.fields);
                    }
                    index.codes.entry(codes).or_default().push(i);
                }
                None => index.always.push(i),
            }
        }
        index
    }

    /// The triggers from position `from` on that may hold on `ticket`, in run order.
    pub fn candidates(&self, ticket: &Facts<'_>, cx: &Snapshot<'_>, from: usize) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        let mut take = |list: &[usize]| {
            let start = list.partition_point(|&i| i < from);
            out.extend_from_slice(&list[start..]);
        };
        take(&self.always);
        for tag in ticket.tags.iter() {
            if let Some(list) = self.tags_for(tag) {
                take(list);
            }
        }
        let ticket_codes = self.ticket_codes(ticket, cx);
        for &fields in &self.shapes {
            let key = Codes::of_ticket(fields, &ticket_codes);
            if let Some(list) = key.and_then(|key| self.codes.get(&key)) {
                take(list);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The ticket's value of each field some trigger is filed under.
    fn ticket_codes(&self, ticket: &Facts<'_>, cx: &Snapshot<'_>) -> [Option<i64>; FIELDS.len()] {
        let used = self.shapes.iter().fold(0, |all, fields| all | fields);
        let mut codes = [None; FIELDS.len()];
        for (i, field) in FIELDS.iter().enumerate() {
            if used & (1 << i) != 0 {
                codes[i] = eval::code_of(*field, ticket, cx).flatten();
            }
        }
        codes
    }

    fn tags_for(&self, tag: &str) -> Option<&Vec<usize>> {
        if tag.chars().any(char::is_uppercase) {
            // Char by char, as the evaluator folds (`str::to_lowercase` treats a final
            // sigma differently).
            let lower: String = tag.chars().flat_map(char::to_lowercase).collect();
            self.tags.get(lower.as_str())
        } else {
            self.tags.get(tag)
        }
    }
}

impl Codes {
    /// The ticket's codes for `fields`, if it has a value for each.
    fn of_ticket(fields: u8, ticket_codes: &[Option<i64>; FIELDS.len()]) -> Option<Codes> {
        let mut codes = Codes {
            fields,
            values: [0; FIELDS.len()],
        };
        for (i, code) in ticket_codes.iter().enumerate() {
            if fields & (1 << i) != 0 {
                codes.values[i] = (*code)?;
            }
        }
        Some(codes)
    }
}

/// What a condition tree is filed under: a required tag, or else its required codes. A
/// test of the top-level all-list must hold for the tree to hold.
fn key(c: &Cond) -> Option<Key<'_>> {
    let required: &[Cond] = match c {
        Cond::All(members) => members,
        Cond::Any(_) | Cond::Not(_) => return None,
        Cond::Test(_) | Cond::Code { .. } | Cond::Tags { .. } | Cond::Hours(_) => {
            std::slice::from_ref(c)
        }
    };
    if let Some(tag) = required.iter().find_map(tag_key) {
        return Some(Key::Tag(tag));
    }
    let mut codes = Codes {
        fields: 0,
        values: [0; FIELDS.len()],
    };
    // Of two required values of one field the first is kept: the tree can never hold,
    // and either list leaves it out as it should.
    for (field, code) in required.iter().filter_map(code_key) {
        if codes.fields & (1 << field) == 0 {
            codes.fields |= 1 << field;
            codes.values[field] = code;
        }
    }
    (codes.fields != 0).then_some(Key::Codes(codes))
}

fn tag_key(c: &Cond) -> Option<&str> {
    match c {
        Cond::Tags { any: true, want } if want.len() == 1 => Some(&want[0]),
        _ => None,
    }
}

/// The field (its place in [`FIELDS`]) and code a test requires.
fn code_key(c: &Cond) -> Option<(usize, i64)> {
    let Cond::Code {
        key,
        is: true,
        want: Some(code),
    } = c
    else {
        return None;
    };
    let field = FIELDS.iter().position(|f| f == key)?;
    Some((field, *code))
}
