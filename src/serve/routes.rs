//! The API's routes and their handlers.

use axum::body::{Body, Bytes};
use axum::extract::State as Shared;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use serde_json::json;

use super::error::ApiError;
use super::rules::Version;
use super::State;
use crate::model::{Event, Outcome};
use crate::Code;

/// The most a request body may hold when it is read whole: one event is a few kilobytes.
const MAX_BODY: usize = 1 << 20;

/// The API's routes.
pub fn api() -> Router<State> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/v1/run", post(run))
}

/// Liveness: the process answers.
async fn healthz() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

/// `POST /v1/run`: one event in, its outcome out.
async fn run(Shared(state): Shared<State>, body: Body) -> Result<Response, ApiError> {
    let version = state.served.current();
    let text = read_text(body).await?;
    let event = Event::from_json(&text).map_err(|e| ApiError::event(&e))?;
    let outcome = outcome(&version, &event);
    Ok(Json(Versioned {
        version: &version.id,
        outcome: &outcome,
    })
    .into_response())
}

/// The outcome of one event, routed as `declic run` routes it.
fn outcome(version: &Version, event: &Event) -> Outcome {
    let mut outcome = version.engine.run(event);
    version
        .router
        .route_outcome(event, &mut outcome, version.agents.as_ref());
    outcome
}

/// An outcome and the version of the rules that produced it.
#[derive(Serialize)]
struct Versioned<'a> {
    version: &'a str,
    #[serde(flatten)]
    outcome: &'a Outcome,
}

/// The body as text, up to [`MAX_BODY`] bytes.
async fn read_text(body: Body) -> Result<String, ApiError> {
    let bytes: Bytes = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|e| body_error(&e))?;
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
fn body_error(e: &axum::Error) -> ApiError {
    let too_large =
        std::error::Error::source(e).is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
    if too_large {
        ApiError::coded(
            StatusCode::PAYLOAD_TOO_LARGE,
            Code::FileTooLarge,
            format!("the body is larger than {} MiB", MAX_BODY >> 20),
        )
    } else {
        ApiError::coded(
            StatusCode::BAD_REQUEST,
            Code::Unreadable,
            format!("cannot read the body: {e}"),
        )
    }
}
