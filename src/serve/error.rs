//! What a request that fails gets back: a status and a JSON body naming the error by the
//! same stable code the command line prints (`declic::invalid_event`).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::model::EventError;
use crate::Code;

/// An error answer: `{"error": {"code": ..., "message": ..., ...}}`.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The stable code, `declic::...`.
    pub code: &'static str,
    /// What went wrong, in lowercase, user input in backticks.
    pub message: String,
    /// The JSON path of the bad value (`ticket.status`), when there is one.
    pub path: Option<String>,
    /// The 1-based line and column in the body, when known.
    pub position: Option<(usize, usize)>,
    /// Seconds after which the client may try again (503).
    pub retry_after: Option<u32>,
}

impl ApiError {
    /// An error with a status, a code and a message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            path: None,
            position: None,
            retry_after: None,
        }
    }

    /// An error with one of the command line's codes.
    pub fn coded(status: StatusCode, code: Code, message: impl Into<String>) -> ApiError {
        ApiError::new(status, code.as_str(), message)
    }

    /// An event that cannot be read: 400, with where it went wrong.
    pub fn event(e: &EventError) -> ApiError {
        let known = |n: usize| (n > 0).then_some(n);
        ApiError {
            path: (!e.path.is_empty()).then(|| e.path.clone()),
            position: known(e.line).zip(known(e.column)),
            ..ApiError::coded(StatusCode::BAD_REQUEST, Code::InvalidEvent, &e.message)
        }
    }

    /// The JSON body, also what stands for a bad line in an NDJSON answer.
    pub fn json(&self) -> serde_json::Value {
        let mut error = json!({ "code": self.code, "message": self.message });
        if let Some(path) = &self.path {
            error["path"] = json!(path);
        }
        if let Some((line, column)) = self.position {
            error["line"] = json!(line);
            error["column"] = json!(column);
        }
        json!({ "error": error })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.json())).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
