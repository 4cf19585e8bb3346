//! What every request goes through: a request id and a log line with its timing and
//! status, the metrics, and for the rule sets' routes the concurrency limit and the
//! time-out.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State as Shared};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use serde_json::json;

use super::error::{codes, ApiError, ErrorCode};
use super::{log, State};

/// The header of the request id: the client's if it sent one, else one made here.
const REQUEST_ID: &str = "x-request-id";

/// The bounds on requests.
#[derive(Debug, Clone)]
pub struct Limits {
    /// The most a body read whole may hold, and one line of a stream.
    pub body: usize,
    /// The deepest JSON nesting an event may have.
    pub depth: usize,
    /// The longest a request may take to be answered (for a stream: the longest wait
    /// for its next line).
    pub timeout: Duration,
    /// The most requests the rule sets' routes serve at once; past it, 503.
    pub concurrency: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            body: 1 << 20,
            depth: 64,
            timeout: Duration::from_secs(30),
            concurrency: 1024,
        }
    }
}

/// Gives the request its id, and once answered logs it and counts it.
pub async fn observe(Shared(state): Shared<State>, request: Request, next: Next) -> Response {
    let start = Instant::now();
    let id = request
        .headers()
        .get(REQUEST_ID)
        .filter(|v| v.len() <= 128)
        .cloned()
        .unwrap_or_else(new_id);
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let method = request.method().to_string();
    let mut response = next.run(request).await;
    let took = start.elapsed();
    let status = response.status().as_u16();
    state.metrics.request(&route, status, took);
    let code = response.extensions().get::<ErrorCode>().map(|c| c.0);
    if let Some(code) = code {
        state.metrics.error(code);
    }
    let version = response.headers().get("declic-version");
    let version = version.and_then(|v| v.to_str().ok());
    log::info(
        "request",
        json!({
            "request_id": id.to_str().unwrap_or_default(),
            "method": method,
            "route": route,
            "status": status,
            "duration_ms": took.as_secs_f64() * 1000.0,
            "version": version,
            "error": code,
        }),
    );
    response.headers_mut().insert(REQUEST_ID, id);
    response
}

/// A request id unique to this process: its start time and a counter.
fn new_id() -> HeaderValue {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    static START: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let start = START.get_or_init(|| jiff::Timestamp::now().as_millisecond().unsigned_abs());
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    HeaderValue::from_str(&format!("{start:x}-{n}")).unwrap_or(HeaderValue::from_static("-"))
}

/// Takes one of the server's slots for the whole request, its streamed answer included,
/// or answers 503 with `Retry-After` when none is free; and answers 408 when the request
/// takes longer than the time-out.
pub async fn limit(Shared(state): Shared<State>, request: Request, next: Next) -> Response {
    let Ok(permit) = state.permits.clone().try_acquire_owned() else {
        let message = format!(
            "the server is answering {} requests already (`--max-concurrent`)",
            state.limits.concurrency
        );
        let error = ApiError {
            retry_after: Some(1),
            ..ApiError::new(StatusCode::SERVICE_UNAVAILABLE, codes::OVERLOADED, message)
        };
        return error.into_response();
    };
    let timeout = state.limits.timeout;
    let Ok(response) = tokio::time::timeout(timeout, next.run(request)).await else {
        let message = format!(
            "the request took longer than {} s (`--timeout`)",
            timeout.as_secs()
        );
        return ApiError::new(StatusCode::REQUEST_TIMEOUT, codes::TIMEOUT, message).into_response();
    };
    // The slot is given back when the answer's body is dropped: sent, or abandoned.
    response.map(|body| {
        Body::new(body.map_frame(move |frame| {
            let _slot = &permit;
            frame
        }))
    })
}
