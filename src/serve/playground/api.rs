//! What the playground's API does, as plain functions over the library: rules and an event
//! in, diagnostics, outcome and explanation out; a Zendesk export in, rule text out. The
//! rules come with each request (nothing of the served rule set is used), so the
//! functions hold no state and the handlers around them only move JSON.
//!
//! A problem with what the user wrote (rules that do not check, an event or an export that
//! cannot be read) is part of a normal answer, shown on the page beside its line; only a
//! request that is not a playground request at all is refused ([`RequestError`]).

use std::path::Path;
use std::sync::Arc;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::catalog::Lang;
use crate::diagnostics::render::JsonDiagnostic;
use crate::engine::{Compiled, Explanation, Pass};
use crate::interop::import::Imported;
use crate::interop::text::{self, Style};
use crate::lint::{self, Known};
use crate::model::{Event, EventError, Outcome};
use crate::routing::{self, Router};
use crate::{Code, Diagnostic, Source};

/// `POST /v1/playground/run`: rule files and one event.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    /// The rule files, by name, in run order.
    pub files: IndexMap<String, String>,
    /// The event: its JSON text as pasted, or the JSON itself.
    pub event: EventInput,
}

/// An event as the page sends it.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum EventInput {
    /// The text of the event editor, whose lines errors point into.
    Text(String),
    /// An event already parsed by the client.
    Json(serde_json::Value),
}

/// The answer to a run: every diagnostic of the rules, and when they check and the event
/// reads, the outcome and the explanation of each pass.
#[derive(Debug, Serialize)]
pub struct RunAnswer {
    /// Errors, warnings and advice on the rules, with their files, lines and columns.
    pub diagnostics: Vec<JsonDiagnostic>,
    /// What the event came out as; `None` when the rules have errors or the event does
    /// not read.
    pub outcome: Option<Outcome>,
    /// Why each trigger fired or not, when there is an outcome.
    pub explanation: Option<Explained>,
    /// Why the event could not be read, if it could not.
    pub event_error: Option<EventProblem>,
}

/// The explanation beside the outcome: the passes, and routing's choice when it ran.
#[derive(Debug, Default, Serialize)]
pub struct Explained {
    /// Each pass of the trigger cycle, with every trigger reached and its conditions.
    pub passes: Vec<Pass>,
    /// The routing queues tried and the decision, when routing ran.
    pub routing: Option<routing::Explanation>,
}

/// An event that cannot be read, located in the text the page sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventProblem {
    /// Always `declic::invalid_event`, as the CLI reports it.
    pub code: Code,
    /// What is wrong.
    pub message: String,
    /// 1-based line in the event's text, when known.
    pub line: Option<usize>,
    /// 1-based column in that line, when known.
    pub column: Option<usize>,
    /// The JSON path of the bad value (`ticket.status`), when there is one.
    pub path: Option<String>,
}

/// Checks the rules, and runs and explains the event on them if they check.
pub fn run(request: RunRequest) -> RunAnswer {
    let (diagnostics, engine) = compile(&request.files);
    let mut answer = RunAnswer {
        diagnostics: diagnostics.iter().map(JsonDiagnostic::from).collect(),
        outcome: None,
        explanation: None,
        event_error: None,
    };
    let event = match read_event(&request.event) {
        Ok(event) => event,
        Err(problem) => {
            answer.event_error = Some(problem);
            return answer;
        }
    };
    if let Some((engine, router)) = engine {
        let (outcome, explained) = explain(&engine, &router, &event);
        answer.outcome = Some(outcome);
        answer.explanation = Some(explained);
    }
    answer
}

/// The diagnostics of `files` as `declic check` gives them (lints included once nothing
/// is an error), and the compiled rules and router when there is no error.
fn compile(files: &IndexMap<String, String>) -> (Vec<Diagnostic>, Option<(Compiled, Router)>) {
    let sources: Vec<Arc<Source>> = files
        .iter()
        .map(|(name, text)| Source::new(name.as_str(), text.as_str()))
        .collect();
    let mut checked = crate::check(&sources);
    if checked.diagnostics.iter().any(Diagnostic::is_error) {
        return (checked.diagnostics, None);
    }
    // Without a `declic.toml` or an account, every lint runs at its default level.
    let findings = lint::lint(&checked.rules, &lint::Config::default(), &Known::default());
    checked.diagnostics.extend(findings);
    let compiled = Compiled::new(&checked.rules).and_then(|engine| {
        let router = Router::new(&checked.rules)?;
        Ok((engine, router))
    });
    match compiled {
        Ok((engine, router)) => {
            checked
                .diagnostics
                .extend(engine.warnings().iter().cloned());
            (checked.diagnostics, Some((engine, router)))
        }
        // A checked rule set always compiles; this guards the rule set's limits.
        Err(e) => {
            let error = Diagnostic::error(Code::RuleTooLarge, e.to_string());
            checked.diagnostics.push(error);
            (checked.diagnostics, None)
        }
    }
}

/// The event the page sent, or where it goes wrong.
fn read_event(input: &EventInput) -> Result<Event, EventProblem> {
    match input {
        EventInput::Text(text) => Event::from_json(text).map_err(|e| problem(&e, true)),
        // Positions would point into a text the user never saw: only the path is kept.
        EventInput::Json(value) => {
            Event::from_json(&value.to_string()).map_err(|e| problem(&e, false))
        }
    }
}

fn problem(e: &EventError, positions: bool) -> EventProblem {
    let known = |n: usize| (positions && n > 0).then_some(n);
    EventProblem {
        code: Code::InvalidEvent,
        message: e.message.clone(),
        line: known(e.line),
        column: known(e.column),
        path: (!e.path.is_empty()).then(|| e.path.clone()),
    }
}

/// The outcome of `event`, routed as `declic explain` routes it, and its explanation.
fn explain(engine: &Compiled, router: &Router, event: &Event) -> (Outcome, Explained) {
    // Without a trigger named, the engine explains every trigger and always answers.
    let Some(Explanation {
        passes,
        mut outcome,
    }) = engine.explain(event, None)
    else {
        return (engine.run(event), Explained::default());
    };
    let routing = router
        .runs_for(event, false)
        .then(|| router.explain(event, &outcome.ticket, None));
    outcome.routing = routing.as_ref().map(|r| r.decision.clone());
    (outcome, Explained { passes, routing })
}

/// `POST /v1/playground/import`: a Zendesk export to turn into rules.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    /// What `GET /api/v2/triggers` (or automations) returned.
    pub export: String,
    /// The language to write the rules in (English if absent).
    #[serde(default)]
    pub lang: Option<Lang>,
}

/// The rules an export holds, as one rule file, and what import had to say.
#[derive(Debug, Serialize)]
pub struct ImportAnswer {
    /// The rule file, by name; empty when nothing could be imported.
    pub files: IndexMap<String, String>,
    /// Rules that could not be read (errors), and Zendesk lines kept as written
    /// (warnings).
    pub diagnostics: Vec<JsonDiagnostic>,
}

/// The name the pasted export goes by in diagnostics.
const EXPORT_NAME: &str = "export.json";

/// Imports the rules of an export, as `declic import zendesk --single` does.
pub fn import(request: &ImportRequest) -> ImportAnswer {
    let mut imported = Imported::default();
    if let Err(e) = imported.add_text(Path::new(EXPORT_NAME), &request.export) {
        imported.diagnostics.push(e.to_diagnostic());
    }
    imported.warn_shared_titles();
    let style = Style {
        lang: request.lang.unwrap_or(Lang::En),
        account: None,
    };
    let files = if imported.rules.is_empty() {
        IndexMap::new()
    } else {
        text::files(&imported.rules, style, true)
            .into_iter()
            .map(|f| (f.name, f.text))
            .collect()
    };
    ImportAnswer {
        files,
        diagnostics: imported
            .diagnostics
            .iter()
            .map(JsonDiagnostic::from)
            .collect(),
    }
}

/// A request that is not a playground request: not JSON, or not of the route's shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the request is not a playground request: {reason}")]
pub struct RequestError {
    /// serde's words, with where in the body.
    pub reason: String,
}

impl RequestError {
    /// The stable code the answer carries.
    pub const CODE: Code = Code::InvalidValue;
}

/// Reads a request of type `T` from the body.
pub fn request<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, RequestError> {
    serde_json::from_slice(body).map_err(|e| RequestError {
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests;
