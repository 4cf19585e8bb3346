//! Why triggers fired or not: the cycle run once more with a recorder that keeps, for each
//! pass and trigger, the condition tree with each test's result and the value it saw.
//!
//! Explaining costs a second evaluation of every condition a pass looked at; it is meant
//! for people asking about one update, not for the hot path, which stays untouched.

use serde::Serialize;

use super::compile::Trigger;
use super::cycle::{Seen, Watch};
use super::trace;
use crate::model::Outcome;

/// The cycle of one update, pass by pass, with the outcome it produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// Each pass, in order.
    pub passes: Vec<Pass>,
    /// The same outcome [`super::Compiled::run`] gives.
    pub outcome: Outcome,
}

/// One pass over the triggers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pass {
    /// From 1.
    pub number: u32,
    /// Each trigger the pass reached, in order.
    pub triggers: Vec<Looked>,
}

/// What a pass made of one trigger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Looked {
    /// The trigger's title.
    pub trigger: String,
    /// The trigger's Zendesk id, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// What happened.
    #[serde(flatten)]
    pub verdict: Verdict,
    /// The condition tree as evaluated, when it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Node>,
}

/// What happened to a trigger in one pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", content = "reason", rename_all = "snake_case")]
pub enum Verdict {
    /// Its conditions held and its actions ran.
    Fired,
    /// Its conditions did not hold.
    NotMatched,
    /// It fired in an earlier pass of this update.
    AlreadyFired,
    /// It was not evaluated.
    Blocked(Blocked),
}

/// Why a trigger was not evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Blocked {
    /// Messaging triggers run on conversation events, and the update carries none.
    NoConversationEvent,
    /// The update's conversation event is not one the trigger runs on.
    OtherConversationEvent,
    /// The messaging session has ended.
    SessionEnded,
    /// It runs once per ticket and already ran on this ticket.
    OncePerTicket,
    /// It has a Zendesk condition declic cannot evaluate (listed in the outcome's
    /// `unsupported`).
    UnsupportedCondition,
}

impl Blocked {
    /// In words.
    pub fn message(self) -> &'static str {
        match self {
            Blocked::NoConversationEvent => "the update carries no conversation event",
            Blocked::OtherConversationEvent => "the trigger does not run on this event",
            Blocked::SessionEnded => "the messaging session has ended",
            Blocked::OncePerTicket => "it runs once per ticket and already ran",
            Blocked::UnsupportedCondition => "it has a condition declic cannot evaluate",
        }
    }
}

/// One node of an evaluated condition tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    /// `all`, `any`, `not` or `test`.
    pub kind: NodeKind,
    /// Whether it held.
    pub holds: bool,
    /// A test as its author wrote it (`Statut est Ouvert`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test: Option<String>,
    /// The value the test read (`Résolu`; `Ouvert → Résolu` for a change).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seen: Option<String>,
    /// A group's members.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Node>,
}

/// The kind of a condition node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    /// Every member holds.
    All,
    /// At least one member holds.
    Any,
    /// Not every member holds.
    Not,
    /// One test.
    Test,
}

/// Records every pass; `only` keeps one trigger's entries.
pub(crate) struct Recorder<'t> {
    triggers: &'t [Trigger],
    only: Option<usize>,
    pub passes: Vec<Pass>,
}

impl<'t> Recorder<'t> {
    pub fn new(triggers: &'t [Trigger], only: Option<usize>) -> Recorder<'t> {
        Recorder {
            triggers,
            only,
            passes: Vec::new(),
        }
    }
}

impl Watch for Recorder<'_> {
    // An explanation shows every trigger a pass reaches, known verdict or not.
    const SKIPS_KNOWN: bool = false;

    fn pass(&mut self, number: u32) {
        self.passes.push(Pass {
            number,
            triggers: Vec::new(),
        });
    }

    fn trigger(&mut self, index: usize, seen: Seen<'_>) {
        if self.only.is_some_and(|o| o != index) {
            return;
        }
        let t = &self.triggers[index];
        let (verdict, conditions) = match seen {
            Seen::AlreadyFired => (Verdict::AlreadyFired, None),
            Seen::Blocked(why) => (Verdict::Blocked(why), None),
            Seen::Evaluated { ticket, cx, holds } => (
                if holds {
                    Verdict::Fired
                } else {
                    Verdict::NotMatched
                },
                Some(trace::tree(t, ticket, cx)),
            ),
        };
        if let Some(pass) = self.passes.last_mut() {
            pass.triggers.push(Looked {
                trigger: t.title.to_string(),
                id: t.zendesk_id,
                verdict,
                conditions,
            });
        }
    }
}
