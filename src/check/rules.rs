//! Checked rules: every name resolved against the catalog, every value in its domain. No
//! text here is ever looked up again.

use std::sync::Arc;

use crate::catalog::actions::{Action as CatalogAction, ActionKey};
use crate::catalog::fields::FieldRef;
use crate::catalog::{Lang, Op, TriggerKind};
use crate::diagnostics::{Source, Span};
use crate::model::HoursTest;
use crate::syntax::ast::Spanned;

/// An ordered rule set: triggers and automations in the order Zendesk would run them.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    /// The ticket and messaging triggers, in run order.
    pub triggers: Vec<Trigger>,
    /// The routing queues, in the order routing tries them.
    pub queues: Vec<super::queue::Queue>,
    /// The automations (kind [`TriggerKind::Automation`]), in run order. Kept apart from
    /// the triggers so that nothing that runs triggers meets one by mistake: they run each
    /// hour, not on an update.
    pub automations: Vec<Trigger>,
}

impl RuleSet {
    /// The trigger `name` names (see [`find`]), as a place in [`RuleSet::triggers`].
    pub fn find(&self, name: &str) -> Result<usize, Unresolved> {
        find(
            name,
            self.triggers
                .iter()
                .map(|t| (t.title.as_str(), t.zendesk_id)),
        )
    }
}

/// Why a name given for a trigger names none, or more than one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    /// No trigger has this title or id.
    Unknown,
    /// Several triggers have this title; their ids, in rule-set order (`None` for one
    /// without an `id`).
    Ambiguous(Vec<Option<i64>>),
}

/// The Zendesk id `name` spells as `#123`, if it does.
pub fn id_of(name: &str) -> Option<i64> {
    let digits = name.trim().strip_prefix('#')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The place, among `triggers` (each its title and Zendesk id), of the one `name` names:
/// its exact title when one trigger has it, or else its id written `#123`. A title two
/// triggers share names neither: the caller must say which, by id.
pub fn find<'a>(
    name: &str,
    triggers: impl Iterator<Item = (&'a str, Option<i64>)> + Clone,
) -> Result<usize, Unresolved> {
    let mut titled = triggers
        .clone()
        .enumerate()
        .filter(|(_, (title, _))| *title == name);
    match (titled.next(), titled.next()) {
        (Some((i, _)), None) => return Ok(i),
        (Some(first), Some(second)) => {
            let ids = [first, second]
                .into_iter()
                .chain(titled)
                .map(|(_, (_, id))| id)
                .collect();
            return Err(Unresolved::Ambiguous(ids));
        }
        (None, _) => {}
    }
    let id = id_of(name).ok_or(Unresolved::Unknown)?;
    triggers
        .into_iter()
        .position(|(_, other)| other == Some(id))
        .ok_or(Unresolved::Unknown)
}

/// The ids to choose from when a title is ambiguous, as `#1, #2`; a trigger without an id
/// shows as `(no id)`.
pub fn ids_text(ids: &[Option<i64>]) -> String {
    ids.iter()
        .map(|id| id.map_or_else(|| "(no id)".to_owned(), |id| format!("`#{id}`")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where a trigger, condition or action was written.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The file.
    pub source: Arc<Source>,
    /// The span in it.
    pub span: Span,
}

/// One checked trigger or automation.
#[derive(Debug, Clone)]
pub struct Trigger {
    /// Its title. Zendesk lets two triggers share one; the Zendesk id tells them apart.
    pub title: String,
    /// Ticket trigger, messaging trigger or automation.
    pub kind: TriggerKind,
    /// Its category, if any.
    pub category: Option<String>,
    /// Its description, if any.
    pub description: Option<String>,
    /// An explicit position, if any.
    pub position: Option<i64>,
    /// Whether it runs at all.
    pub active: bool,
    /// The Zendesk id it was imported from or exports to.
    pub zendesk_id: Option<i64>,
    /// The conversation events a messaging trigger runs on (indices into
    /// [`crate::catalog::values::CONVERSATION_EVENTS`]); empty means every event.
    pub events: Vec<usize>,
    /// Whether a messaging trigger runs at most once per ticket.
    pub once_per_ticket: bool,
    /// The conditions, as a tree.
    pub conditions: Condition,
    /// The actions, in order.
    pub actions: Vec<Action>,
    /// Where it was written.
    pub origin: Origin,
    /// Where its title was written, in the same file: where messages about the whole
    /// trigger point.
    pub title_span: Span,
    /// The comments written inside it, or on the comment lines directly above it: notes
    /// and lint suppressions that belong to this trigger.
    pub comments: Vec<Spanned<String>>,
}

/// A condition tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// Every member holds.
    All(Vec<Condition>),
    /// At least one member holds.
    Any(Vec<Condition>),
    /// Not every member holds.
    Not(Vec<Condition>),
    /// One test.
    Test(Test),
    /// A time condition of an automation (`Hours since pending > 48`); the checker allows
    /// it only in an automation's top-level all-list.
    Hours {
        /// What it tests.
        test: HoursTest,
        /// The language its name was written in.
        lang: Lang,
        /// Where.
        span: Span,
    },
    /// A condition the catalog does not model, kept as Zendesk wrote it: exported
    /// unchanged, never evaluated.
    Zendesk(Passthrough),
}

/// A Zendesk condition or action declic does not model, kept as the API's JSON object.
#[derive(Debug, Clone, PartialEq)]
pub struct Passthrough {
    /// The object: `field`, `operator` and `value` for a condition, `field` and `value`
    /// for an action (`field` and `operator` are checked to be strings).
    pub json: serde_json::Map<String, serde_json::Value>,
    /// Where.
    pub span: Span,
}

impl Passthrough {
    /// The API field it is about.
    pub fn field(&self) -> &str {
        self.json
            .get("field")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
    }
}

/// `FIELD OP VALUE`, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Test {
    /// The field.
    pub field: FieldRef,
    /// The operator.
    pub op: Op,
    /// The value, checked against the field's domain.
    pub value: Operand,
    /// The language the field name was written in.
    pub lang: Lang,
    /// Where.
    pub span: Span,
}

/// A value checked against its domain.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// No value (`is present`, `changed`).
    None,
    /// A member of an enumeration, by index into the domain's values.
    Enum(usize),
    /// A symbolic id (`current_user`), by index into the domain's special values.
    Symbol(usize),
    /// An id or an integer API value.
    Integer(i64),
    /// A number.
    Number(f64),
    /// True or false.
    Bool(bool),
    /// Text.
    Text(String),
    /// Tags.
    Tags(Vec<String>),
}

/// What an action does.
#[derive(Debug, Clone, PartialEq)]
pub enum ActionTarget {
    /// A catalog action.
    Known(&'static CatalogAction),
    /// Setting a ticket custom field, by id.
    CustomField(u64),
    /// An action the catalog does not model, kept as Zendesk wrote it: exported
    /// unchanged, never run.
    Zendesk(Passthrough),
}

impl ActionTarget {
    /// The catalog key, for catalog actions.
    pub fn key(&self) -> Option<ActionKey> {
        match self {
            ActionTarget::Known(a) => Some(a.key),
            ActionTarget::CustomField(_) | ActionTarget::Zendesk(_) => None,
        }
    }
}

/// One checked action.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// What it does.
    pub target: ActionTarget,
    /// Its value, tags or recipient; [`Operand::None`] when it takes none.
    pub value: Operand,
    /// The texts that follow (subject and body, webhook body...).
    pub texts: Vec<String>,
    /// The language the action was written in.
    pub lang: Lang,
    /// Where.
    pub span: Span,
}

#[cfg(test)]
mod tests {
    use super::{find, id_of, Unresolved};

    const TRIGGERS: [(&str, Option<i64>); 4] = [
        ("Solo", Some(1)),
        ("Twin", Some(22)),
        ("Twin", Some(33)),
        ("Plain", None),
    ];

    #[test]
    fn a_trigger_is_found_by_unique_title_or_by_id() {
        let cases: [(&str, Result<usize, Unresolved>); 9] = [
            ("Solo", Ok(0)),
            ("Plain", Ok(3)),
            ("#33", Ok(2)),
            ("#22", Ok(1)),
            ("#1", Ok(0)),
            // Near misses: a shared title, an id no trigger has, a title in other case.
            ("Twin", Err(Unresolved::Ambiguous(vec![Some(22), Some(33)]))),
            ("#44", Err(Unresolved::Unknown)),
            ("solo", Err(Unresolved::Unknown)),
            ("33", Err(Unresolved::Unknown)),
        ];
        for (name, want) in cases {
            assert_eq!(find(name, TRIGGERS.iter().copied()), want, "{name}");
        }
    }

    #[test]
    fn only_a_hash_and_digits_spell_an_id() {
        assert_eq!(id_of("#13124946517015"), Some(13_124_946_517_015));
        assert_eq!(id_of(" #7 "), Some(7));
        for not_an_id in ["#", "#-1", "#1a", "1", "# 1", "#99999999999999999999"] {
            assert_eq!(id_of(not_an_id), None, "{not_an_id}");
        }
    }
}
