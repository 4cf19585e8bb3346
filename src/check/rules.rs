//! Checked rules: every name resolved against the catalog, every value in its domain. No
//! text here is ever looked up again.

use std::sync::Arc;

use crate::catalog::actions::{Action as CatalogAction, ActionKey};
use crate::catalog::fields::FieldRef;
use crate::catalog::{Lang, Op, TriggerKind};
use crate::diagnostics::{Source, Span};
use crate::syntax::ast::Spanned;

/// An ordered rule set: triggers in the order Zendesk would run them.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    /// The triggers, in run order.
    pub triggers: Vec<Trigger>,
}

/// Where a trigger, condition or action was written.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The file.
    pub source: Arc<Source>,
    /// The span in it.
    pub span: Span,
}

/// One checked trigger.
#[derive(Debug, Clone)]
pub struct Trigger {
    /// Its title, unique in the rule set.
    pub title: String,
    /// Ticket or messaging trigger.
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
