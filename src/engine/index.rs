//! Trigger indexing: most triggers of a large rule set require one value that few tickets
//! have (`Group is 42`, `Tags includes vip`, `Channel is Email`, `Ticket is Created`). The
//! index files each trigger under one such required value, so a pass looks up the ticket's
//! values and evaluates only the triggers filed under them, plus those it could not file.
//!
//! The cycle stays exactly Zendesk's: a trigger left out has a required condition false on
//! the ticket as it is, so it could not have fired; and after a trigger fires, the rest of
//! the pass is looked up again against the changed ticket.

use std::collections::HashMap;

use super::compile::{Cond, Read, Test, Trigger, Want};
use super::eval::{self, Ctx, Val};
use crate::catalog::fields::FieldKey;
use crate::catalog::Op;
use crate::model::Ticket;

/// Below this many triggers, evaluating them all is cheaper than looking them up.
pub(crate) const MIN_TRIGGERS: usize = 32;

/// Fields whose required value files a trigger, most selective first.
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
    /// By required code, one map per field of [`FIELDS`].
    codes: [HashMap<i64, Vec<usize>>; FIELDS.len()],
}

/// What a trigger is filed under.
enum Key<'a> {
    Tag(&'a str),
    Code(usize, i64),
}

impl Index {
    pub fn new(triggers: &[Trigger]) -> Index {
        let mut index = Index::default();
        for (i, t) in triggers.iter().enumerate() {
            match key(&t.cond) {
                Some(Key::Tag(tag)) => index.tags.entry(tag.into()).or_default().push(i),
                Some(Key::Code(field, code)) => index.codes[field].entry(code).or_default().push(i),
                None => index.always.push(i),
            }
        }
        index
    }

    /// The triggers from position `from` on that may hold on `ticket`, in run order.
    pub fn candidates(&self, ticket: &Ticket, cx: &Ctx<'_>, from: usize) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        let mut take = |list: &[usize]| {
            let start = list.partition_point(|&i| i < from);
            out.extend_from_slice(&list[start..]);
        };
        take(&self.always);
        for tag in &ticket.tags {
            if let Some(list) = self.tags_for(tag) {
                take(list);
            }
        }
        for (field, map) in FIELDS.iter().zip(&self.codes) {
            if map.is_empty() {
                continue;
            }
            if let Val::Code(Some(code)) = eval::read(&Read::Known(*field), ticket, cx) {
                if let Some(list) = map.get(&code) {
                    take(list);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
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

/// The most selective required value of a condition tree: a test of the top-level
/// all-list that must hold for the tree to hold.
fn key(c: &Cond) -> Option<Key<'_>> {
    let required: &[Cond] = match c {
        Cond::All(members) => members,
        Cond::Test(_) => std::slice::from_ref(c),
        Cond::Any(_) | Cond::Not(_) => return None,
    };
    let tests = || {
        required.iter().filter_map(|m| match m {
            Cond::Test(t) => Some(t),
            _ => None,
        })
    };
    tests().find_map(tag_key).or_else(|| {
        tests().filter_map(code_key).min_by_key(|k| match k {
            Key::Code(field, _) => *field,
            Key::Tag(_) => 0,
        })
    })
}

fn tag_key(t: &Test) -> Option<Key<'_>> {
    match (&t.read, t.op, &t.want) {
        (Read::Known(FieldKey::Tags), Op::Includes, Want::Tags(tags)) if tags.len() == 1 => {
            Some(Key::Tag(&tags[0]))
        }
        _ => None,
    }
}

fn code_key(t: &Test) -> Option<Key<'_>> {
    let (Read::Known(key), Op::Is, Want::Code(Some(code))) = (&t.read, t.op, &t.want) else {
        return None;
    };
    let field = FIELDS.iter().position(|f| f == key)?;
    Some(Key::Code(field, *code))
}
