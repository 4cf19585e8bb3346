//! The unresolved syntax tree: what the author wrote, with spans, before any name is
//! looked up. Names are kept as text; the checker resolves them.

use crate::catalog::Op;
use crate::diagnostics::Span;

/// A value with the span it was written at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub node: T,
    /// Where it was written.
    pub span: Span,
}

/// One rule file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct File {
    /// The triggers, in file order.
    pub triggers: Vec<Trigger>,
    /// The routing queues, in file order.
    pub queues: Vec<Queue>,
    /// Every comment, in file order, for the formatter.
    pub comments: Vec<Spanned<String>>,
}

pub use crate::catalog::TriggerKind;

/// One trigger as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    /// Ticket or messaging, with the span of the keyword.
    pub kind: Spanned<TriggerKind>,
    /// The title.
    pub title: Spanned<String>,
    /// The properties and blocks, in the order written.
    pub items: Vec<Spanned<Item>>,
    /// The whole trigger.
    pub span: Span,
}

/// A line of a trigger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// `category "Messaging"`
    Category(String),
    /// `description "..."`
    Description(String),
    /// `position 3`
    Position(i64),
    /// `active false`
    Active(bool),
    /// `id 360056295714`: the Zendesk id, so an export updates the same trigger.
    ZendeskId(i64),
    /// `on conversation requested` (messaging triggers).
    On(Name),
    /// `once per ticket` (messaging triggers).
    Once,
    /// `when all { ... }`
    When(Group),
    /// `then { ... }`
    Then(Vec<Action>),
}

/// A name as written: bare words or a quoted string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// The text, words joined by the spaces written between them.
    pub text: String,
    /// Whether it was quoted.
    pub quoted: bool,
    /// Where.
    pub span: Span,
}

/// How a group combines its members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    /// Every member holds.
    All,
    /// At least one member holds.
    Any,
    /// Not every member holds.
    Not,
}

/// `all { ... }`, `any { ... }`, `not { ... }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// How members combine; a bare `{ ... }` after `when` is `all`.
    pub kind: GroupKind,
    /// The members.
    pub members: Vec<Test>,
    /// The whole group.
    pub span: Span,
}

/// A member of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Test {
    /// A nested group.
    Group(Group),
    /// A condition.
    Condition(Condition),
    /// `zendesk r#"{"field": ..., "operator": ..., "value": ...}"#`: a condition the
    /// catalog does not model, as the Zendesk API's JSON.
    Zendesk(Spanned<String>),
}

/// `FIELD OPERATOR VALUE`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The field name.
    pub field: Name,
    /// The operator.
    pub op: Spanned<Op>,
    /// The value's atoms, possibly none.
    pub value: Vec<Atom>,
    /// The whole condition.
    pub span: Span,
}

/// A word or a string of a value or an action phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Atom {
    /// The text (a string's contents, escapes resolved).
    pub text: String,
    /// Whether it was a string.
    pub quoted: bool,
    /// Where.
    pub span: Span,
}

/// `=`, `+=`, `-=`
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AssignOp {
    /// `=`: set.
    Set,
    /// `+=`: add (tags).
    Add,
    /// `-=`: remove (tags).
    Remove,
}

/// An action line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// `NAME = VALUE`, `Tags += a b`.
    Assign {
        /// The action or field name.
        name: Name,
        /// The operator.
        op: Spanned<AssignOp>,
        /// The value's atoms.
        value: Vec<Atom>,
        /// The whole line.
        span: Span,
    },
    /// A catalog phrase with its arguments: `Mettre fin à la session`,
    /// `notify requester "Subject" "Body"`. The checker finds where the name ends.
    Phrase {
        /// Every atom of the line.
        atoms: Vec<Atom>,
        /// The whole line.
        span: Span,
    },
    /// `zendesk r#"{"field": ..., "value": ...}"#`: an action the catalog does not model,
    /// as the Zendesk API's JSON; the span is the whole line.
    Zendesk(Spanned<String>),
}

impl Action {
    /// The whole line.
    pub fn span(&self) -> Span {
        match self {
            Action::Assign { span, .. } | Action::Phrase { span, .. } => *span,
            Action::Zendesk(json) => json.span,
        }
    }
}

/// One routing queue as written: `queue "Name" { order 1 ... }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queue {
    /// Where the `queue` keyword was written.
    pub keyword: Span,
    /// The name.
    pub title: Spanned<String>,
    /// The properties and blocks, in the order written.
    pub items: Vec<Spanned<QueueItem>>,
    /// The whole queue.
    pub span: Span,
}

/// A line of a queue or of a subqueue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueItem {
    /// `description "..."`
    Description(String),
    /// `order 1`
    Order(i64),
    /// `priority 10`
    Priority(i64),
    /// `id "01HG80ATNNZK1N7XRFVKX48XD6"`: the Zendesk queue id.
    ZendeskId(String),
    /// `when all { ... }`
    When(Group),
    /// `groups { primary "Support N1" ... }`
    Groups(Vec<GroupLine>),
    /// `subqueue "Name" { percentage 30 ... }`
    Subqueue(Subqueue),
    /// `percentage 30` (subqueues)
    Percentage(i64),
}

/// `primary NAME` or `secondary NAME`: one group of a queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupLine {
    /// Whether it is a secondary group.
    pub secondary: bool,
    /// The group's title or id.
    pub name: Name,
    /// The whole line.
    pub span: Span,
}

/// A share of a queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subqueue {
    /// The name.
    pub title: Spanned<String>,
    /// Its items: percentage, priority, groups.
    pub items: Vec<Spanned<QueueItem>>,
}
