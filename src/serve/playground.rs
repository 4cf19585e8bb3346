//! The playground page at `/`: rules and an event pasted into a browser, run by this
//! server. Its routes are merged into the service by [`super::app`].
//!
//! The page is plain HTML, CSS and JavaScript built into the binary (no front-end build
//! step, nothing fetched from elsewhere: the answers forbid it with a content security
//! policy). Its API under `/v1/playground/` is stateless: the rules come with each
//! request, never from the served rule set, so an admin can try rules without touching
//! what the service runs.
//!
//! - `GET /v1/playground/samples`: the bundled recipes (English and French) and events;
//! - `POST /v1/playground/run` `{"files": {name: text}, "event": text | {...}}`: the
//!   diagnostics with their lines, and when the rules check, the outcome and explanation;
//! - `POST /v1/playground/import` `{"export": text, "lang": "en" | "fr"}`: the rule file
//!   a Zendesk export becomes, and what import had to say.

mod api;
mod samples;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;

use super::error::{codes, ApiError};
use crate::Code;

/// The largest request body: a rule set and an event, or an export, as pasted by hand.
pub const MAX_BODY: usize = 4 << 20;

/// What the page may load: its own files and its own API, nothing from elsewhere.
const POLICY: &str = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The page and its assets, as written in `src/serve/playground/`.
const INDEX: &str = include_str!("playground/index.html");
const STYLE: &str = include_str!("playground/playground.css");
const SCRIPT: &str = include_str!("playground/playground.js");

/// The playground's routes; generic over the service's state so that it merges into any
/// router.
pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route(
            "/",
            get(|| async { asset(INDEX, "text/html; charset=utf-8") }),
        )
        .route(
            "/playground/playground.css",
            get(|| async { asset(STYLE, "text/css; charset=utf-8") }),
        )
        .route(
            "/playground/playground.js",
            get(|| async { asset(SCRIPT, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/v1/playground/samples",
            get(|| async { Json(samples::samples()) }),
        )
        .route("/v1/playground/run", post(run))
        .route("/v1/playground/import", post(import))
        .layer(DefaultBodyLimit::max(MAX_BODY))
}

/// One of the page's files, under the policy that keeps it from loading anything else.
fn asset(text: &'static str, kind: &'static str) -> Response {
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(kind)),
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(POLICY),
        ),
        // The files change only with the binary, which a reload does not replace.
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
    ];
    (headers, text).into_response()
}

async fn run(body: Result<Bytes, BytesRejection>) -> Response {
    match read::<api::RunRequest>(body) {
        Ok(request) => answer(move || api::run(request)).await,
        Err(refused) => refused,
    }
}

async fn import(body: Result<Bytes, BytesRejection>) -> Response {
    match read::<api::ImportRequest>(body) {
        Ok(request) => answer(move || api::import(&request)).await,
        Err(refused) => refused,
    }
}

/// The request in `body`, or the answer that refuses it.
fn read<T: serde::de::DeserializeOwned>(
    body: Result<Bytes, BytesRejection>,
) -> Result<T, Response> {
    let body = body.map_err(|rejected| {
        if rejected.status() == StatusCode::PAYLOAD_TOO_LARGE {
            let message = format!("the body is larger than {} MiB", MAX_BODY >> 20);
            error(StatusCode::PAYLOAD_TOO_LARGE, Code::FileTooLarge, message)
        } else {
            let message = format!("cannot read the body: {}", rejected.body_text());
            error(StatusCode::BAD_REQUEST, Code::Unreadable, message)
        }
    })?;
    api::request(&body).map_err(|e| {
        error(
            StatusCode::BAD_REQUEST,
            api::RequestError::CODE,
            e.to_string(),
        )
    })
}

/// The JSON answer of `work`, done off the async threads: checking and running large rule
/// sets is CPU work that would hold up other requests.
async fn answer<T: Serialize + Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Response {
    match tokio::task::spawn_blocking(work).await {
        Ok(answer) => Json(answer).into_response(),
        // The work panicked: a bug, reported without taking the server down.
        Err(e) => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::INTERNAL,
            format!("the playground failed: {e}"),
        )
        .into_response(),
    }
}

/// An error answer, in the service's shape: `{"error": {"code": ..., "message": ...}}`.
fn error(status: StatusCode, code: Code, message: String) -> Response {
    ApiError::coded(status, code, message).into_response()
}

#[cfg(test)]
mod tests;
