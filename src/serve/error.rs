//! What a request that fails gets back: a status and a JSON body naming the error by the
//! same stable code the command line prints (`declic::invalid_event`).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::model::EventError;
use crate::Code;

/// The codes of what only a server can meet; the others are the command line's
/// [`Code`]s (`declic::invalid_event`, `declic::file_too_large`, ...).
pub mod codes {
    /// More requests at once than the server takes: try again after `Retry-After`.
    pub const OVERLOADED: &str = "declic::overloaded";
    /// The request took longer than the server's time-out.
    pub const TIMEOUT: &str = "declic::timeout";
    /// No route has this path.
    pub const NOT_FOUND: &str = "declic::not_found";
    /// The route does not take this method.
    pub const METHOD_NOT_ALLOWED: &str = "declic::method_not_allowed";
    /// `--accounts` has no folder of this name.
    pub const UNKNOWN_ACCOUNT: &str = "declic::unknown_account";
    /// The work behind a request failed: a bug, answered 500 without taking the server down.
    pub const INTERNAL: &str = "declic::internal";
    /// `?output=` names an answer `/v1/run` does not give (`outcome` or `changes`).
    pub const UNKNOWN_OUTPUT: &str = "declic::unknown_output";
}

/// The code of an error answer, kept on the response for the metrics and the log.
#[derive(Debug, Clone, Copy)]
pub struct ErrorCode(pub &'static str);

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

    /// The same error at `line` of an NDJSON stream (the event's own line is always 1).
    pub fn at_line(mut self, line: usize) -> ApiError {
        let column = self.position.map_or(0, |(_, column)| column);
        self.position = Some((line, column));
        self
    }

    /// The JSON body, also what stands for a bad line in an NDJSON answer.
    pub fn json(&self) -> serde_json::Value {
        let mut error = json!({ "code": self.code, "message": self.message });
        if let Some(path) = &self.path {
            error["path"] = json!(path);
        }
        if let Some((line, column)) = self.position {
            error["line"] = json!(line);
            if column > 0 {
                error["column"] = json!(column);
            }
        }
        json!({ "error": error })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.json())).into_response();
        response.extensions_mut().insert(ErrorCode(self.code));
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
