//! Running events for a request: read, checked against the limits, run on the version
//! the request started with, and counted.

use std::sync::Arc;

use axum::http::StatusCode;
use serde::Serialize;

use super::error::{codes, ApiError};
use super::rules::Version;
use super::sets::Served;
use super::State;
use crate::model::{Changes, Event, Firing, Outcome};
use crate::Code;

/// What `/v1/run` answers for each event, as `?output=` names it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Output {
    /// The outcome, the ticket after the cycle included: `declic run`'s output.
    #[default]
    Outcome,
    /// What fired and changed, without the ticket: `declic run --output changes`.
    Changes,
}

impl Output {
    /// The output `?output=` names; the outcome when it names none.
    pub fn parse(value: Option<&str>) -> Result<Output, ApiError> {
        match value {
            None | Some("outcome") => Ok(Output::Outcome),
            Some("changes") => Ok(Output::Changes),
            Some(other) => Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                codes::UNKNOWN_OUTPUT,
                format!("unknown output `{other}`: `outcome` or `changes`"),
            )),
        }
    }
}

/// One request's rule set and version, fixed at its start.
pub struct Runner {
    /// The server's limits and metrics.
    pub state: State,
    /// The rule set the request names.
    pub served: Arc<Served>,
    /// Its version when the request started: a reload meanwhile does not change it.
    pub version: Arc<Version>,
}

/// An outcome and the version of the rules that produced it.
#[derive(Serialize)]
pub struct Versioned<'a, T: Serialize> {
    /// The rules' version.
    pub version: &'a str,
    /// The outcome (or explanation), its keys beside `version`.
    #[serde(flatten)]
    pub outcome: &'a T,
}

impl Runner {
    /// The runner of a request on `served`'s current version.
    pub fn new(state: State, served: Arc<Served>) -> Runner {
        let version = served.current();
        Runner {
            state,
            served,
            version,
        }
    }

    /// The event `text` holds, or why it is refused: nested too deep (with the path of the
    /// value), or not an event (with serde's path).
    pub fn event(&self, text: &str) -> Result<Event, ApiError> {
        self.within_depth(text)?;
        read_whole(text)
    }

    /// Refuses `text` if it is nested deeper than the limit, with the path of the value.
    fn within_depth(&self, text: &str) -> Result<(), ApiError> {
        let max = self.state.limits.depth;
        match super::depth::too_deep(text, max) {
            None => Ok(()),
            Some(path) => Err(ApiError {
                path: Some(path),
                ..ApiError::coded(
                    StatusCode::BAD_REQUEST,
                    Code::TooDeep,
                    format!("the JSON is nested deeper than {max} levels"),
                )
            }),
        }
    }

    /// The answer to the event `text` holds, as one line of JSON: its outcome or its
    /// changes beside the version, or why it is refused.
    pub fn answer(&self, text: &str, output: Output) -> Result<Vec<u8>, ApiError> {
        Ok(match output {
            Output::Outcome => self.json(&self.run(&self.event(text)?)),
            Output::Changes => self.json(&self.changes(text)?),
        })
    }

    /// The outcome of one event, routed as `declic run` routes it, and counted.
    pub fn run(&self, event: &Event) -> Outcome {
        let outcome = self.routed(event);
        self.count(&outcome.fired);
        outcome
    }

    /// What fired and changed for the event `text` holds, counted, as `declic run
    /// --output changes` gives it: the event read only as far as the rules read it,
    /// unless routing runs for it, which reads the whole ticket.
    pub fn changes(&self, text: &str) -> Result<Changes, ApiError> {
        self.within_depth(text)?;
        let version = &self.version;
        let event = version
            .engine
            .read_event(text)
            .map_err(|e| ApiError::event(&e))?;
        let changes = if version.router.runs_for(&event, version.agents.is_some()) {
            Changes::from(self.routed(&read_whole(text)?))
        } else {
            version.engine.changes_of(&event)
        };
        self.count(&changes.fired);
        Ok(changes)
    }

    /// The outcome of one event, routed when routing runs for it.
    fn routed(&self, event: &Event) -> Outcome {
        let version = &self.version;
        let mut outcome = version.engine.run(event);
        version
            .router
            .route_outcome(event, &mut outcome, version.agents.as_ref());
        outcome
    }

    /// Counts one event run and the triggers that `fired`.
    pub fn count(&self, fired: &[Firing]) {
        self.state.metrics.events(1);
        for firing in fired {
            self.served.firings.fired(&firing.trigger);
        }
    }

    /// `outcome` beside the version, as one line of JSON.
    pub fn json<T: Serialize>(&self, outcome: &T) -> Vec<u8> {
        let versioned = Versioned {
            version: &self.version.id,
            outcome,
        };
        // Outcomes are plain data with string keys: serialising them cannot fail.
        serde_json::to_vec(&versioned).unwrap_or_default()
    }

    /// The line of an event of a stream: its answer, or the error in its place (counted).
    pub fn line(&self, number: usize, text: Result<&str, ApiError>, output: Output) -> Vec<u8> {
        let mut line = match text.and_then(|text| self.answer(text, output)) {
            Ok(answer) => answer,
            Err(error) => {
                self.state.metrics.error(error.code);
                error.at_line(number).json().to_string().into_bytes()
            }
        };
        line.push(b'\n');
        line
    }
}

/// The whole event `text` holds, its depth already checked.
fn read_whole(text: &str) -> Result<Event, ApiError> {
    Event::from_json(text).map_err(|e| ApiError::event(&e))
}
