//! The API's routes and their handlers.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequestParts, Query, RawPathParams, State as Shared};
use axum::http::{header, request::Parts, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::error::{codes, ApiError};
use super::runner::{Output, Runner};
use super::sets::Served;
use super::State;
use crate::check::rules::Unresolved;
use crate::diagnostics::render;
use crate::{Code, Severity, Source};

/// The header naming the version of the rules that answered.
const VERSION_HEADER: &str = "declic-version";

/// The API's routes: probes and metrics, which no limit holds back, and the rule sets'
/// routes under `/v1/` and `/v1/accounts/{account}/`, which `limited` wraps.
pub fn api(limited: impl FnOnce(Router<State>) -> Router<State>) -> Router<State> {
    let v1 = Router::new()
        .route("/run", post(run))
        .route("/explain", post(explain))
        .route("/check", post(check))
        .route("/rules", get(rules));
    let v1 = Router::new()
        .nest("/v1/accounts/{account}", v1.clone())
        .nest("/v1", v1);
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .merge(limited(v1))
}

/// The rule set a request names: the one, or `{account}`'s.
pub struct Target(Arc<Served>);

impl FromRequestParts<State> for Target {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<Target, ApiError> {
        let params = RawPathParams::from_request_parts(parts, state).await.ok();
        let account = params
            .iter()
            .flat_map(|params| params.iter())
            .find(|(key, _)| *key == "account")
            .map(|(_, value)| value.to_owned());
        state.sets.get(account.as_deref()).cloned().map(Target)
    }
}

/// Liveness: the process answers.
async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// Readiness: every rule set has a version to serve (the server does not listen before).
async fn readyz(Shared(state): Shared<State>) -> Json<Value> {
    let versions: BTreeMap<String, String> = state
        .sets
        .all()
        .iter()
        .map(|s| (s.name.clone().unwrap_or_default(), s.current().id.clone()))
        .collect();
    Json(json!({ "status": "ready", "versions": versions }))
}

/// The Prometheus text of the metrics.
async fn metrics(Shared(state): Shared<State>) -> Response {
    let sets = state.sets.all();
    let versions: Vec<_> = sets.iter().map(|s| s.current()).collect();
    let text = state.metrics.text(
        sets.iter()
            .zip(&versions)
            .map(|(s, v)| super::metrics::Set {
                account: s.name.as_deref(),
                version: &v.id,
                firings: &s.firings,
            }),
    );
    let kind = "text/plain; version=0.0.4; charset=utf-8";
    ([(header::CONTENT_TYPE, kind)], text).into_response()
}

/// The query of `/v1/run`.
#[derive(Deserialize)]
struct RunQuery {
    /// `outcome` (the default) or `changes`.
    output: Option<String>,
}

/// `POST /v1/run[?output=changes]`: one event in, its outcome out (or only what changed,
/// without the ticket); or with `Content-Type: application/x-ndjson`, a stream of events
/// in and their outcomes out, in order.
async fn run(
    Shared(state): Shared<State>,
    Target(served): Target,
    query: Result<Query<RunQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| {
        let message = format!("cannot read the query: {}", e.body_text());
        ApiError::coded(StatusCode::BAD_REQUEST, Code::InvalidValue, message)
    })?;
    let output = Output::parse(query.output.as_deref())?;
    let runner = Runner::new(state, served);
    let version = runner.version.id.clone();
    if is_ndjson(&headers) {
        let body = super::stream::outcomes(runner, body, output);
        let kind = "application/x-ndjson";
        return Ok(versioned(&version, ([(header::CONTENT_TYPE, kind)], body)));
    }
    let text = read_text(body, runner.state.limits.body).await?;
    Ok(versioned(
        &version,
        json_body(runner.answer(&text, output)?),
    ))
}

/// The query of `/v1/explain`.
#[derive(Deserialize)]
struct ExplainQuery {
    /// Keeps the explanation of this trigger alone (title or `#id`).
    trigger: Option<String>,
}

/// `POST /v1/explain[?trigger=TITLE]`: one event in, why each trigger fired or not out,
/// as `declic explain --format json` gives it.
async fn explain(
    Shared(state): Shared<State>,
    Target(served): Target,
    Query(query): Query<ExplainQuery>,
    body: Body,
) -> Result<Response, ApiError> {
    let runner = Runner::new(state, served);
    let text = read_text(body, runner.state.limits.body).await?;
    let event = runner.event(&text)?;
    let version = &runner.version;
    if let Some(name) = &query.trigger {
        version
            .engine
            .find(name)
            .map_err(|e| unresolved(name, &e))?;
    }
    let Some(mut explanation) = version.engine.explain(&event, query.trigger.as_deref()) else {
        return Err(ApiError::coded(
            StatusCode::BAD_REQUEST,
            Code::UnknownTrigger,
            "no active trigger has this name",
        ));
    };
    runner.count(&explanation.outcome.fired);
    let agents = version.agents.as_ref();
    let routed = version.router.runs_for(&event, agents.is_some()).then(|| {
        let mut agents = agents.cloned();
        let ticket = &explanation.outcome.ticket;
        version.router.explain(&event, ticket, agents.as_mut())
    });
    explanation.outcome.routing = routed.as_ref().map(|r| r.decision.clone());
    let mut value = json!(explanation);
    if let Some(routed) = &routed {
        value["routing"] = json!(routed);
    }
    Ok(versioned(&version.id, json_body(runner.json(&value))))
}

/// The error of a `trigger` that names no trigger, or several.
fn unresolved(name: &str, e: &Unresolved) -> ApiError {
    match e {
        Unresolved::Unknown => ApiError::coded(
            StatusCode::BAD_REQUEST,
            Code::UnknownTrigger,
            format!("no active trigger is titled `{name}`"),
        ),
        Unresolved::Ambiguous(_) => ApiError::coded(
            StatusCode::BAD_REQUEST,
            Code::AmbiguousTrigger,
            format!("several triggers are titled `{name}`: name one by its Zendesk id (`#123`)"),
        ),
    }
}

/// `POST /v1/check`: rule files in, their diagnostics out, as `declic check --format
/// json` prints them, checked against the served rule set's account and lint settings.
/// The body is one rule file, or with `Content-Type: application/json` an object of files
/// by name: `{"files": {"a.declic": "trigger ..."}}`.
async fn check(
    Shared(state): Shared<State>,
    Target(served): Target,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let text = read_text(body, state.limits.body).await?;
    let sources = if is_json(&headers) {
        files(&text)?
    } else {
        vec![Source::new("rules.declic", text)]
    };
    let files = sources.len();
    let loaded = crate::load::Loaded {
        sources,
        diagnostics: Vec::new(),
    };
    // Checking a large body takes long enough to hold up the async threads (and the
    // health probes with them), and only off them can `--timeout` cut it short.
    let checked = tokio::task::spawn_blocking(move || {
        let version = served.current();
        crate::check_loaded(&served.origin().rules, loaded, version.account.as_ref())
    })
    .await
    .map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::INTERNAL,
            format!("the check failed: {e}"),
        )
    })?;
    let count = |severity| {
        checked
            .diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    };
    let answer = json!({
        "diagnostics": checked.diagnostics.iter().map(render::json).collect::<Vec<_>>(),
        "summary": {
            "files": files,
            "triggers": checked.triggers,
            "automations": checked.automations,
            "queues": checked.queues,
            "errors": count(Severity::Error),
            "warnings": count(Severity::Warning),
        },
    });
    Ok(Json(answer).into_response())
}

/// The files of a `/v1/check` JSON body, in name order as a folder's files are read.
fn files(text: &str) -> Result<Vec<Arc<Source>>, ApiError> {
    #[derive(Deserialize)]
    struct Files {
        files: BTreeMap<String, String>,
    }
    let files: Files = serde_json::from_str(text).map_err(|e| {
        let message = format!("the body is not `{{\"files\": {{name: text}}}}`: {e}");
        ApiError::coded(StatusCode::BAD_REQUEST, Code::InvalidValue, message)
    })?;
    Ok(files
        .files
        .into_iter()
        .map(|(name, text)| Source::new(name, text))
        .collect())
}

/// `GET /v1/rules`: the triggers in run order, the version, its warnings, and how the
/// last reload went.
async fn rules(Target(served): Target) -> Response {
    let version = served.current();
    let last = served.last_reload().map(|r| {
        json!({
            "time": r.time,
            "version": r.version,
            "applied": r.applied,
            "diagnostics": r.diagnostics.iter().map(render::json).collect::<Vec<_>>(),
        })
    });
    let answer = json!({
        "account": served.name,
        "version": version.id,
        "triggers": version.engine.titles().collect::<Vec<_>>(),
        "diagnostics": version.diagnostics.iter().map(render::json).collect::<Vec<_>>(),
        "last_reload": last,
    });
    versioned(&version.id, Json(answer))
}

/// `answer` with the header naming its version.
fn versioned(version: &str, answer: impl IntoResponse) -> Response {
    let mut response = answer.into_response();
    if let Ok(value) = HeaderValue::from_str(version) {
        response.headers_mut().insert(VERSION_HEADER, value);
    }
    response
}

/// A JSON answer already serialised.
fn json_body(bytes: Vec<u8>) -> Response {
    let kind = "application/json";
    ([(header::CONTENT_TYPE, kind)], bytes).into_response()
}

/// The answer to a path no route has.
pub async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        codes::NOT_FOUND,
        "no route has this path",
    )
}

/// The answer to a method a route does not take.
pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        codes::METHOD_NOT_ALLOWED,
        "the route does not take this method",
    )
}

fn content_type(headers: &HeaderMap) -> &str {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

fn is_ndjson(headers: &HeaderMap) -> bool {
    let kind = content_type(headers);
    [
        "application/x-ndjson",
        "application/ndjson",
        "application/jsonl",
    ]
    .iter()
    .any(|k| kind.starts_with(k))
}

fn is_json(headers: &HeaderMap) -> bool {
    content_type(headers).starts_with("application/json")
}

/// The body as text, up to `max` bytes.
async fn read_text(body: Body, max: usize) -> Result<String, ApiError> {
    let bytes: Bytes = axum::body::to_bytes(body, max)
        .await
        .map_err(|e| body_error(&e, max))?;
    String::from_utf8(bytes.into()).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        ApiError::coded(
            StatusCode::BAD_REQUEST,
            Code::NotUtf8,
            format!("the body is not UTF-8 text (byte {at})"),
        )
    })
}

/// A body that could not be read: too large (413), or cut off.
fn body_error(e: &axum::Error, max: usize) -> ApiError {
    let too_large =
        std::error::Error::source(e).is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
    if too_large {
        ApiError::coded(
            StatusCode::PAYLOAD_TOO_LARGE,
            Code::FileTooLarge,
            format!("the body is larger than {max} bytes (`--max-body`)"),
        )
    } else {
        ApiError::coded(
            StatusCode::BAD_REQUEST,
            Code::Unreadable,
            format!("cannot read the body: {e}"),
        )
    }
}
