//! Running a scenario: each step's event through the engine, each outcome against the
//! step's expectations, stopping at the first step that fails (later steps would start
//! from a ticket the scenario did not mean).

use std::sync::Arc;

use serde::Serialize;

use super::diff::Mismatch;
use super::event::{self, Clock};
use super::expect;
use super::file::{Scenario, DEFAULT_START};
use super::step::Kind;
use crate::diagnostics::Source;
use crate::engine::Compiled;
use crate::model::{Outcome, Ticket, Timestamp};
use crate::routing::{Agents, Router};
use crate::simulate::session::Settings;

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
    run_routed(scenario, source, engine, None)
}

/// [`run`], with routing after each step's triggers when `routing` gives the rule set's
/// router and the agents (their load carried from step to step of the scenario).
pub fn run_routed(
    scenario: &Scenario,
    source: &Source,
    engine: &Compiled,
    routing: Option<(&Router, Option<&Agents>)>,
) -> Option<Failure> {
    let mut agents = routing.and_then(|(_, agents)| agents.cloned());
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
        if let Kind::Wait { seconds } = step.kind {
            let waited = match wait(engine, scenario, &ticket, &mut clock, seconds) {
                Ok(waited) => waited,
                Err(message) => return Some(fail(vec![Mismatch::Step { message }])),
            };
            let mismatches = expect::check(&step.expect, &waited.0);
            if !mismatches.is_empty() {
                return Some(fail(mismatches));
            }
            ticket = waited.1;
            continue;
        }
        let event = match event::event(step, &ticket, i == 0, &scenario.account, &mut clock) {
            Ok(event) => event,
            Err(message) => return Some(fail(vec![Mismatch::Step { message }])),
        };
        let mut outcome = engine.run(&event);
        if let Some((router, _)) = routing {
            if router.runs_for(&event, agents.is_some()) {
                outcome.routing = Some(router.route(&event, &outcome.ticket, agents.as_mut()));
            }
        }
        let mismatches = expect::check(&step.expect, &outcome);
        if !mismatches.is_empty() {
            return Some(fail(mismatches));
        }
        ticket = Arc::unwrap_or_clone(outcome.ticket);
    }
    None
}

/// A `wait` step: the simulator lets the time pass over the ticket. What happened meanwhile
/// reads as one outcome: every trigger fired and every effect, in order, and the ticket
/// after.
fn wait(
    engine: &Compiled,
    scenario: &Scenario,
    ticket: &Ticket,
    clock: &mut Clock,
    seconds: i64,
) -> Result<(Outcome, Ticket), String> {
    let until = crate::simulate::session::after(clock.now, seconds)
        .ok_or_else(|| format!("{seconds} seconds after {} is out of range", clock.now))?;
    let settings = Settings {
        inactivity_minutes: scenario.account.inactivity_minutes(),
        ..Settings::default()
    };
    let waited = crate::simulate::wait(
        engine,
        &scenario.account,
        &settings,
        ticket,
        clock.now,
        until,
    );
    clock.now = until;
    let after = Arc::unwrap_or_clone(Arc::clone(&waited.ticket));
    let mut merged = Outcome {
        ticket: waited.ticket,
        fired: Vec::new(),
        effects: Vec::new(),
        passes: 0,
        warnings: Vec::new(),
        skipped: None,
        unsupported: Vec::new(),
        routing: None,
    };
    for outcome in waited.outcomes {
        // Where routing last sent the ticket is what the wait ends with.
        if outcome.routing.is_some() {
            merged.routing = outcome.routing;
        }
        merged.fired.extend(outcome.fired);
        merged.effects.extend(outcome.effects);
        merged.warnings.extend(outcome.warnings);
        merged.passes += outcome.passes;
    }
    Ok((merged, after))
}
