//! Drop-down, multi-select and checkbox fields tied to tags, both ways (DOMAIN.md section
//! 3b): each option of a drop-down or multi-select has a tag, and a checkbox may name one.
//! Setting the field adds its option's tag and drops the tag of the option it replaces;
//! adding an option's tag selects that option, removing it clears the field. Which tag
//! belongs to which option is account metadata (`ticket_fields.json`): without it the
//! link cannot be made, and [`Compiled`](super::Compiled) says so once.

use std::collections::HashMap;

use serde_json::Value;

use super::compile::{Act, Cond, Read, Trigger};
use crate::account::Account;
use crate::catalog::values::is_empty_api;
use crate::diagnostics::{Code, Diagnostic};
use crate::model::Tag;

/// How an account's custom fields are tied to tags, made once from its ticket fields and
/// read by every cycle.
#[derive(Debug, Default)]
pub struct FieldTags {
    fields: Vec<Linked>,
    /// Each field's index in `fields`, by id.
    by_id: HashMap<u64, usize>,
    /// Each tag's field (an index in `fields`) and option (an index in its tags).
    by_tag: HashMap<Tag, (usize, usize)>,
}

/// One field tied to tags.
#[derive(Debug)]
struct Linked {
    id: u64,
    kind: Kind,
    /// The options' tags, lower-case, in the account's order; a checkbox's one tag.
    tags: Vec<Tag>,
    /// The options' titles, beside their tags; none for a checkbox.
    titles: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    DropDown,
    MultiSelect,
    Checkbox,
}

impl FieldTags {
    /// The links the account's ticket fields make: drop-downs (`tagger`) and
    /// multi-selects by their options' values, checkboxes that name a tag.
    pub fn new(account: &Account) -> FieldTags {
        let mut links = FieldTags::default();
        for f in account.fields() {
            let (kind, tags): (Kind, Vec<Tag>) = match (f.kind.as_str(), &f.tag) {
                ("tagger", _) => (Kind::DropDown, option_tags(f)),
                ("multiselect", _) => (Kind::MultiSelect, option_tags(f)),
                ("checkbox", Some(tag)) => (Kind::Checkbox, vec![tag.to_lowercase().into()]),
                _ => continue,
            };
            let field = links.fields.len();
            for (option, tag) in tags.iter().enumerate() {
                links.by_tag.entry(tag.clone()).or_insert((field, option));
            }
            links.by_id.entry(f.id).or_insert(field);
            let titles = match kind {
                Kind::Checkbox => Vec::new(),
                _ => f.options.iter().map(|o| o.name.clone()).collect(),
            };
            links.fields.push(Linked {
                id: f.id,
                kind,
                tags,
                titles,
            });
        }
        links
    }

    /// Whether no field is tied to a tag.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    fn field(&self, id: u64) -> Option<&Linked> {
        self.by_id.get(&id).map(|&i| &self.fields[i])
    }

    /// The titles of the options `value` selects in field `id`, in the account's order;
    /// `None` when the account has no drop-down or multi-select of that id.
    pub(crate) fn option_titles(&self, id: u64, value: Option<&Value>) -> Option<Vec<&str>> {
        let field = self.field(id).filter(|f| f.kind != Kind::Checkbox)?;
        let selected = field.selected(value);
        Some(
            field
                .tags
                .iter()
                .zip(&field.titles)
                .filter(|(tag, _)| selected.contains(tag))
                .map(|(_, title)| title.as_str())
                .collect(),
        )
    }

    /// The value an action setting field `id` to `text` writes, when the field is tied to
    /// tags: a multi-select's list of options, a checkbox's boolean, a drop-down's option
    /// (or `null`, clearing it).
    pub(crate) fn value_of(&self, id: u64, text: &str) -> Option<Value> {
        let field = self.field(id)?;
        Some(match field.kind {
            _ if is_empty_api(text) => Value::Null,
            Kind::DropDown => Value::String(text.to_owned()),
            Kind::MultiSelect => text.split_whitespace().map(Value::from).collect(),
            Kind::Checkbox => Value::Bool(text == "true"),
        })
    }

    /// The tags after field `id` went from `old` to `new`, if it is tied to tags: the new
    /// options' tags added, the old ones' dropped.
    pub(crate) fn tags_after_field(
        &self,
        id: u64,
        (old, new): (Option<&Value>, &Value),
        tags: &[Tag],
    ) -> Option<Vec<Tag>> {
        let field = self.field(id)?;
        let (was, is) = (field.selected(old), field.selected(Some(new)));
        let mut out: Vec<Tag> = tags
            .iter()
            .filter(|t| !was.contains(t) || is.contains(t))
            .cloned()
            .collect();
        for tag in is {
            if !out.contains(tag) {
                out.push(tag.clone());
            }
        }
        Some(out)
    }

    /// What a tag action does to the fields tied to the tags it added or removed (`old` to
    /// `new`): the tags once the other options of a drop-down whose option was added are
    /// dropped, and each field's new value. A drop-down given several of its options at
    /// once takes the last one listed.
    pub(crate) fn fields_after_tags<'v>(
        &self,
        old: &[Tag],
        mut new: Vec<Tag>,
        value: impl Fn(u64) -> Option<&'v Value>,
    ) -> (Vec<Tag>, Vec<(u64, Value)>) {
        let mut touched: Vec<usize> = Vec::new();
        let mut chosen: HashMap<usize, usize> = HashMap::new();
        for tag in new.iter().filter(|t| !old.contains(t)) {
            if let Some(&(field, option)) = self.by_tag.get(tag) {
                touched.push(field);
                chosen.insert(field, option);
            }
        }
        for tag in old.iter().filter(|t| !new.contains(t)) {
            if let Some(&(field, _)) = self.by_tag.get(tag) {
                touched.push(field);
            }
        }
        touched.sort_unstable();
        touched.dedup();
        let mut values = Vec::new();
        for i in touched {
            let field = &self.fields[i];
            let now = match (field.kind, chosen.get(&i)) {
                (Kind::DropDown, Some(&option)) => {
                    let keep = &field.tags[option];
                    new.retain(|t| t == keep || !field.tags.contains(t));
                    Value::String(keep.to_string())
                }
                // Its option's tag went: the drop-down is cleared, unless it held another
                // option (whose tag is then still there).
                (Kind::DropDown, None) => match field.selected(value(field.id)).first() {
                    Some(tag) if new.contains(tag) => continue,
                    _ => Value::Null,
                },
                (Kind::MultiSelect, _) => field
                    .tags
                    .iter()
                    .filter(|t| new.contains(t))
                    .map(|t| Value::from(t.as_str()))
                    .collect(),
                (Kind::Checkbox, _) => Value::Bool(new.contains(&field.tags[0])),
            };
            if !same(value(field.id), &now) {
                values.push((field.id, now));
            }
        }
        (new, values)
    }
}

/// Whether a field's value is `now`, every empty form being one.
fn same(value: Option<&Value>, now: &Value) -> bool {
    let empty = |v: &Value| matches!(v, Value::Null) || v == "" || v == &Value::Array(vec![]);
    match value {
        Some(v) => v == now || (empty(v) && empty(now)),
        None => empty(now),
    }
}

impl Linked {
    /// The tags of the options `value` selects.
    fn selected(&self, value: Option<&Value>) -> Vec<&Tag> {
        let has = |v: &str| self.tags.iter().find(|t| t.eq_ignore_ascii_case(v));
        match (self.kind, value) {
            (Kind::Checkbox, Some(Value::Bool(true))) => self.tags.iter().collect(),
            (Kind::Checkbox, _) => Vec::new(),
            (_, Some(Value::String(s))) => s.split_whitespace().filter_map(has).collect(),
            (_, Some(Value::Array(items))) => items
                .iter()
                .filter_map(|i| i.as_str().and_then(has))
                .collect(),
            _ => Vec::new(),
        }
    }
}

fn option_tags(f: &crate::account::TicketField) -> Vec<Tag> {
    f.options
        .iter()
        .map(|o| Tag::from(o.value.to_lowercase()))
        .collect()
}

/// The one warning of a rule set whose fields may be tied to tags that the engine does not
/// know: it sets a custom field, or changes tags and tests a custom field.
pub(crate) fn unlinked_warning(triggers: &[Trigger], links: &FieldTags) -> Option<Diagnostic> {
    if !links.is_empty() {
        return None;
    }
    let sets = |t: &Trigger, what: fn(&Act) -> bool| t.actions.iter().any(what);
    let field = |a: &Act| matches!(a, Act::CustomField { .. });
    let tags = |a: &Act| matches!(a, Act::AddTags(_) | Act::RemoveTags(_) | Act::SetTags(_));
    let trigger = triggers.iter().find(|t| sets(t, field)).or_else(|| {
        triggers
            .iter()
            .find(|t| sets(t, tags) && reads_custom(&t.cond))
    })?;
    let message = format!(
        "without the account's ticket fields, drop-down, multi-select and checkbox fields \
         are not tied to their tags (trigger `{}` sets a custom field or tags)",
        trigger.title
    );
    Some(Diagnostic::warning(Code::FieldTagsUnlinked, message).help(
        "give the account's folder with its `ticket_fields.json`: `--account DIR`, or \
         `account_dir` in a scenario file",
    ))
}

/// Whether a condition tree tests a custom ticket field.
fn reads_custom(c: &Cond) -> bool {
    match c {
        Cond::All(m) | Cond::Any(m) | Cond::Not(m) => m.iter().any(reads_custom),
        Cond::Test(t) => matches!(t.read, Read::Custom(_)),
        Cond::Code { .. } | Cond::Tags { .. } | Cond::Hours(_) => false,
    }
}
