//! Running a scenario: each step's event through the engine, each outcome against the
//! step's expectations, stopping at the first step that fails (later steps would start
//! from a ticket the scenario did not mean).

use std::sync::Arc;

use serde::Serialize;

use super::diff::Mismatch;
use super::event::{self, Clock};
use super::expect;
use super::file::{Scenario, DEFAULT_START};
use crate::diagnostics::Source;
use crate::engine::Compiled;
use crate::model::Timestamp;

/// Where and how a scenario failed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    /// The step, from 1.
    pub step: usize,
    /// The step in words.
    pub description: String,
    /// The step's line in its file.
    pub line: usize,
    /// Every expectation of the step that does not hold.
    pub mismatches: Vec<Mismatch>,
}

/// Runs `scenario` (written in `source`) against `engine`: `None` when every expectation
/// holds.
pub fn run(scenario: &Scenario, source: &Source, engine: &Compiled) -> Option<Failure> {
    let default_start: Timestamp = DEFAULT_START.parse().ok()?;
    let mut clock = Clock {
        now: scenario.start.unwrap_or(default_start),
        always: scenario.start.is_some(),
    };
    let mut ticket = scenario.ticket.clone();
    for (i, step) in scenario.steps.iter().enumerate() {
        let fail = |mismatches| Failure {
            step: i + 1,
            description: step.describe(),
            line: source.line_col(step.span.start).0,
            mismatches,
        };
        let event = match event::event(step, &ticket, i == 0, &scenario.account, &mut clock) {
            Ok(event) => event,
            Err(message) => return Some(fail(vec![Mismatch::Step { message }])),
        };
        let outcome = engine.run(&event);
        let mismatches = expect::check(&step.expect, &outcome);
        if !mismatches.is_empty() {
            return Some(fail(mismatches));
        }
        ticket = Arc::unwrap_or_clone(outcome.ticket);
    }
    None
}
