//! A condition tree compiled and evaluated on its own, outside any trigger: a routing
//! queue's. It reads the ticket after the triggers as triggers read a ticket, so a queue's
//! `Channel is Messaging` means what a trigger's does.

use std::sync::Arc;

use super::compile::{self, Trigger};
use super::explain::Node;
use super::snapshot::Snapshot;
use super::{eval, trace, CompileError};
use crate::catalog::TriggerKind;
use crate::check::rules::{self, Condition, Origin};
use crate::check::RuleSet;
use crate::diagnostics::Span;
use crate::model::Event;

/// Compiled conditions: `Send + Sync`, evaluated on any number of events.
#[derive(Debug)]
pub struct Conditions {
    // A trigger without actions, so that evaluation and explanation are the triggers' own.
    compiled: Trigger,
}

impl Conditions {
    /// Compiles `conditions`, named `name` in errors, written at `origin`.
    pub fn new(
        name: &str,
        conditions: &Condition,
        origin: &Origin,
        name_span: Span,
    ) -> Result<Conditions, CompileError> {
        let trigger = rules::Trigger {
            title: name.to_owned(),
            kind: TriggerKind::Ticket,
            category: None,
            description: None,
            position: None,
            active: true,
            zendesk_id: None,
            events: Vec::new(),
            once_per_ticket: false,
            conditions: conditions.clone(),
            actions: Vec::new(),
            origin: Origin {
                source: Arc::clone(&origin.source),
                span: origin.span,
            },
            title_span: name_span,
            comments: Vec::new(),
        };
        let rules = RuleSet {
            triggers: vec![trigger],
            ..RuleSet::default()
        };
        let compiled =
            compile::compile_rules(&rules)?
                .pop()
                .ok_or_else(|| CompileError::InvalidValue {
                    trigger: name.to_owned(),
                    what: "conditions".to_owned(),
                    detail: "nothing compiled".to_owned(),
                })?;
        Ok(Conditions { compiled })
    }

    /// Whether declic can evaluate them: not when they hold a Zendesk condition kept as
    /// written, which never holds.
    pub fn evaluable(&self) -> bool {
        !self.compiled.unevaluable()
    }

    /// Whether they hold on `event`'s ticket (its `previous` and update are read by
    /// delta and update conditions).
    pub fn holds(&self, event: &Event) -> bool {
        let cx = Snapshot::borrowing(event);
        eval::holds(&self.compiled.cond, &cx.ticket, &cx)
    }

    /// The tree as evaluated on `event`, every test with the value it read.
    pub fn explain(&self, event: &Event) -> Node {
        let cx = Snapshot::borrowing(event);
        trace::tree(&self.compiled, &cx.ticket, &cx)
    }
}
