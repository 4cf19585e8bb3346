//! Routing queues, checked: a queue's conditions are a trigger's (with Routing channel
//! among them), its groups are ids, and its numbers are in Zendesk's ranges.

use super::rules::{Condition, Origin};
use crate::diagnostics::Span;
use crate::syntax::ast::Spanned;

/// Zendesk's limit of custom queues per account.
pub const MAX_QUEUES: usize = 199;
/// Zendesk's limit of primary, and of secondary, groups per queue.
pub const MAX_GROUPS: usize = 20;
/// Zendesk's limit of subqueues per queue.
pub const MAX_SUBQUEUES: usize = 5;
/// The lowest queue priority; 1 is the highest.
pub const LOWEST_PRIORITY: u8 = 100;

/// One checked custom queue.
#[derive(Debug, Clone)]
pub struct Queue {
    /// Its name.
    pub name: String,
    /// Its description, if any.
    pub description: Option<String>,
    /// The Zendesk id it was imported from or exports to (Zendesk's queue ids are text).
    pub zendesk_id: Option<String>,
    /// Its explicit order, if any; queues without one follow in file order.
    pub order: Option<i64>,
    /// Its priority, 1 (highest) to 100; 1 when not given.
    pub priority: u8,
    /// The conditions a ticket must meet for the queue to take it.
    pub conditions: Condition,
    /// The groups whose agents take its work.
    pub groups: Groups,
    /// Its subqueues, each with its share of the tickets (Enterprise); empty for a queue
    /// that is not split.
    pub subqueues: Vec<Subqueue>,
    /// Where it was written.
    pub origin: Origin,
    /// Where its name was written.
    pub title_span: Span,
    /// The comments written inside it or directly above it.
    pub comments: Vec<Spanned<String>>,
}

/// A queue's or subqueue's groups, by id, in the order written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Groups {
    /// Tried first.
    pub primary: Vec<u64>,
    /// Tried when no agent of a primary group can take the work.
    pub secondary: Vec<u64>,
}

/// A share of a split queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subqueue {
    /// Its name.
    pub name: String,
    /// Its share of the queue's tickets, in percent; a queue's shares total 100.
    pub percentage: u8,
    /// Its priority, 1 (highest) to 100.
    pub priority: u8,
    /// Its groups.
    pub groups: Groups,
}
