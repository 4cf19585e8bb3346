//! One event through the rules: from the text Python gave to the outcome's JSON text, or
//! to the problem that stands in its place, as `declic run` prints them.

use declic::engine::Compiled;
use declic::model::{Changes, Event, EventError as Unreadable, Firing, Outcome};
use declic::routing::{Agents, Router};
use declic::Code;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use serde_json::json;

use crate::errors::{self, DeclicError, EventError};

/// What the run methods give for each event, as their `output` argument names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// The outcome, the ticket after the cycle included: what `declic run` prints.
    Outcome,
    /// What fired and changed, without the ticket: `declic run --output changes`.
    Changes,
}

impl Output {
    /// The output `name` names, or the `DeclicError` of a name there is none of.
    pub fn parse(py: Python<'_>, name: &str) -> PyResult<Output> {
        match name {
            "outcome" => Ok(Output::Outcome),
            "changes" => Ok(Output::Changes),
            _ => {
                let message = format!("unknown output `{name}`: `outcome` or `changes`");
                Err(errors::raise::<DeclicError>(
                    py,
                    message,
                    errors::UNKNOWN_OUTPUT,
                    &[],
                ))
            }
        }
    }

    /// The name of the output, which is also that of `run_arrow`'s column of answers.
    pub fn name(self) -> &'static str {
        match self {
            Output::Outcome => "outcome",
            Output::Changes => "changes",
        }
    }
}

/// What one event gave: its answer's JSON text and the titles of the triggers that fired.
pub struct Answer {
    /// The outcome or the changes, as `declic run [--output changes]` prints them.
    pub json: String,
    /// The triggers that fired, in order.
    pub fired: Vec<String>,
}

impl Answer {
    fn new(answer: &impl serde::Serialize, fired: &[Firing]) -> Answer {
        Answer {
            // Outcomes and changes are plain data with string keys: serialising them
            // cannot fail.
            json: serde_json::to_string(answer).unwrap_or_default(),
            fired: fired.iter().map(|f| f.trigger.to_string()).collect(),
        }
    }
}

/// What a rule set needs to run an event: the triggers, then routing.
pub struct Engine {
    /// The compiled triggers.
    pub compiled: Compiled,
    /// The routing queues.
    pub router: Router,
    /// The agents routing hands work to, when known.
    pub agents: Option<Agents>,
}

/// Why an event did not run: what `declic run` prints in its place.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// `declic::invalid_event`, or `declic::not_utf8` for bytes that are not text.
    pub code: Code,
    /// What is wrong.
    pub message: String,
    /// The JSON path of the bad value (`ticket.status`), when there is one.
    pub path: Option<String>,
    /// The 1-based line in the event's text, when known.
    pub line: Option<usize>,
    /// The 1-based column in that line, when known.
    pub column: Option<usize>,
}

impl Problem {
    /// A problem with no place in the event's text.
    pub fn new(code: Code, message: impl Into<String>) -> Problem {
        Problem {
            code,
            message: message.into(),
            path: None,
            line: None,
            column: None,
        }
    }

    /// The problem of an event that cannot be read, where it went wrong.
    fn unreadable(e: &Unreadable) -> Problem {
        let known = |n: usize| (n > 0).then_some(n);
        Problem {
            code: Code::InvalidEvent,
            message: e.message.clone(),
            path: (!e.path.is_empty()).then(|| e.path.clone()),
            line: known(e.line),
            column: known(e.column),
        }
    }

    /// The JSON object that stands in the output for the event: `{"error": {...}}`.
    pub fn json(&self) -> String {
        json!({ "error": {
            "code": self.code,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
        }})
        .to_string()
    }

    /// The exception `run` raises for the event.
    pub fn into_err(self, py: Python<'_>) -> PyErr {
        let at = self
            .path
            .as_ref()
            .map(|p| format!(" (at `{p}`)"))
            .unwrap_or_default();
        let message = format!("{}{at}", self.message);
        let attributes = [
            ("path", self.path.into_pyobject(py)),
            ("line", self.line.into_pyobject(py)),
            ("column", self.column.into_pyobject(py)),
        ];
        let attributes: Vec<(&str, Bound<'_, PyAny>)> = attributes
            .into_iter()
            .filter_map(|(name, v)| Some((name, v.ok()?)))
            .collect();
        errors::raise::<EventError>(py, message, self.code.as_str(), &attributes)
    }
}

/// The JSON text of an event Python gave: a `str` or UTF-8 `bytes` as they are, anything
/// else (a dict) through `json.dumps`.
pub fn text_of(event: &Bound<'_, PyAny>, dumps: &Bound<'_, PyAny>) -> Result<String, Problem> {
    if let Ok(text) = event.cast::<PyString>() {
        return text
            .to_cow()
            .map(|t| t.into_owned())
            .map_err(|e| Problem::new(Code::NotUtf8, e.to_string()));
    }
    if let Ok(bytes) = event.cast::<PyBytes>() {
        return String::from_utf8(bytes.as_bytes().to_vec())
            .map_err(|_| Problem::new(Code::NotUtf8, "the event is not UTF-8 text"));
    }
    let text = dumps.call1((event,)).map_err(|e| {
        let message = format!("the event cannot be written as JSON: {e}");
        Problem::new(Code::InvalidEvent, message)
    })?;
    text.extract::<String>()
        .map_err(|e| Problem::new(Code::InvalidEvent, e.to_string()))
}

/// The JSON text of each event of the iterable `events`, or why it has none.
pub fn texts(events: &Bound<'_, PyAny>) -> PyResult<Vec<Result<String, Problem>>> {
    let dumps = events.py().import("json")?.getattr("dumps")?;
    events
        .try_iter()?
        .map(|event| Ok(text_of(&event?, &dumps)))
        .collect()
}

impl Engine {
    /// Runs the event whose JSON text is `text`: its answer as `declic run` prints it,
    /// with `--output changes` for [`Output::Changes`].
    pub fn run(&self, text: &str, output: Output) -> Result<Answer, Problem> {
        match output {
            Output::Outcome => self.outcome(text).map(|o| Answer::new(&o, &o.fired)),
            Output::Changes => self.changes(text).map(|c| Answer::new(&c, &c.fired)),
        }
    }

    /// Runs the event whose JSON text is `text`: its outcome, routing included.
    pub fn outcome(&self, text: &str) -> Result<Outcome, Problem> {
        let event = Event::from_json(text).map_err(|e| Problem::unreadable(&e))?;
        let mut outcome = self.compiled.run(&event);
        self.router
            .route_outcome(&event, &mut outcome, self.agents.as_ref());
        Ok(outcome)
    }

    /// Runs the event whose JSON text is `text` for what fired and changed, without the
    /// ticket: read only as far as the rules read it, unless routing runs for it, which
    /// reads it whole, as `declic run --output changes` does.
    pub fn changes(&self, text: &str) -> Result<Changes, Problem> {
        let read = self.compiled.read_event(text);
        let event = read.map_err(|e| Problem::unreadable(&e))?;
        if self.router.runs_for(&event, self.agents.is_some()) {
            return self.outcome(text).map(Changes::from);
        }
        Ok(self.compiled.changes_of(&event))
    }
}
