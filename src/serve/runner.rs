//! Running events for a request: read, checked against the limits, run on the version
//! the request started with, and counted.

use std::sync::Arc;

use axum::http::StatusCode;
use serde::Serialize;

use super::error::ApiError;
use super::rules::Version;
use super::sets::Served;
use super::State;
use crate::model::{Event, Outcome};
use crate::Code;

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
        let max = self.state.limits.depth;
        if let Some(path) = super::depth::too_deep(text, max) {
            let message = format!("the JSON is nested deeper than {max} levels");
            return Err(ApiError {
                path: Some(path),
                ..ApiError::coded(StatusCode::BAD_REQUEST, Code::TooDeep, message)
            });
        }
        Event::from_json(text).map_err(|e| ApiError::event(&e))
    }

    /// The outcome of one event, routed as `declic run` routes it, and counted.
    pub fn run(&self, event: &Event) -> Outcome {
        let version = &self.version;
        let mut outcome = version.engine.run(event);
        version
            .router
            .route_outcome(event, &mut outcome, version.agents.as_ref());
        self.count(&outcome);
        outcome
    }

    /// Counts one event run and its firings.
    pub fn count(&self, outcome: &Outcome) {
        self.state.metrics.events(1);
        for firing in &outcome.fired {
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

    /// The line of an event of a stream: its outcome, or the error in its place (counted).
    pub fn line(&self, number: usize, text: Result<&str, ApiError>) -> Vec<u8> {
        let outcome = text.and_then(|text| self.event(text)).map(|e| self.run(&e));
        let mut line = match outcome {
            Ok(outcome) => self.json(&outcome),
            Err(error) => {
                self.state.metrics.error(error.code);
                error.at_line(number).json().to_string().into_bytes()
            }
        };
        line.push(b'\n');
        line
    }
}
