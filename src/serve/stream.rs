//! NDJSON in, NDJSON out: a stream of events read as it comes and answered line by line in
//! the same order, a bad line answered by its error in place. Only the lines of one chunk
//! of the body are held at a time, so memory stays bounded whatever the stream's size.

use std::convert::Infallible;
use std::time::Duration;

use axum::body::{Body, BodyDataStream, Bytes};
use axum::http::StatusCode;
use futures_util::StreamExt;

use super::error::{codes, ApiError};
use super::runner::{Output, Runner};
use crate::Code;

/// The answer to a stream of events: their outcomes (or changes, as `output` says),
/// produced as the body is read.
pub fn outcomes(runner: Runner, body: Body, output: Output) -> Body {
    let lines = Lines {
        body: body.into_data_stream(),
        buffer: Vec::new(),
        line: 0,
        skipping: false,
        ended: false,
        max: runner.state.limits.body,
        idle: runner.state.limits.timeout,
    };
    let stream =
        futures_util::stream::unfold((lines, runner), move |(mut lines, runner)| async move {
            let chunk = lines.next().await?;
            let mut out = Vec::new();
            for (number, text) in chunk {
                let text = text.and_then(|bytes| utf8(bytes, number));
                out.extend(runner.line(number, text.as_deref().map_err(Clone::clone), output));
            }
            Some((Ok::<_, Infallible>(Bytes::from(out)), (lines, runner)))
        });
    Body::from_stream(stream)
}

/// One line of the stream: its number (from 1) and its bytes, or why it has none.
type Line = (usize, Result<Vec<u8>, ApiError>);

/// The lines of a request body, a chunk at a time.
struct Lines {
    body: BodyDataStream,
    /// The start of a line whose end has not come yet.
    buffer: Vec<u8>,
    /// The number of the last line read.
    line: usize,
    /// Whether the current line grew past `max`: it is read past, not kept.
    skipping: bool,
    ended: bool,
    /// The most one line may hold.
    max: usize,
    /// The longest wait for the next piece of the body.
    idle: Duration,
}

impl Lines {
    /// The lines that the next pieces of the body complete (at least one), blank lines
    /// left out; `None` at the end.
    async fn next(&mut self) -> Option<Vec<Line>> {
        let mut lines = Vec::new();
        while lines.is_empty() {
            if self.ended {
                return None;
            }
            match tokio::time::timeout(self.idle, self.body.next()).await {
                Ok(Some(Ok(bytes))) => self.split(&bytes, &mut lines),
                Ok(None) => {
                    self.ended = true;
                    let rest = std::mem::take(&mut self.buffer);
                    self.push(rest, &mut lines);
                }
                Ok(Some(Err(e))) => {
                    self.ended = true;
                    let message = format!("cannot read the body: {e}");
                    let error = ApiError::coded(StatusCode::BAD_REQUEST, Code::Unreadable, message);
                    lines.push((self.line + 1, Err(error)));
                }
                Err(_) => {
                    self.ended = true;
                    let message = format!(
                        "no line came in {} s: the stream is closed",
                        self.idle.as_secs()
                    );
                    let error = ApiError::new(StatusCode::REQUEST_TIMEOUT, codes::TIMEOUT, message);
                    lines.push((self.line + 1, Err(error)));
                }
            }
        }
        Some(lines)
    }

    /// Adds the lines `bytes` completes to `lines`, and keeps the start of the next.
    fn split(&mut self, mut bytes: &[u8], lines: &mut Vec<Line>) {
        while let Some(end) = bytes.iter().position(|&b| b == b'\n') {
            let mut line = std::mem::take(&mut self.buffer);
            self.skipping |= line.len() + end > self.max;
            if !self.skipping {
                line.extend_from_slice(&bytes[..end]);
            }
            self.push(line, lines);
            bytes = &bytes[end + 1..];
        }
        if !self.skipping {
            self.buffer.extend_from_slice(bytes);
            if self.buffer.len() > self.max {
                // The line is too long: read past it, and answer its error at its end.
                self.skipping = true;
                self.buffer = Vec::new();
            }
        }
    }

    /// Adds one whole line (skipped if blank).
    fn push(&mut self, line: Vec<u8>, lines: &mut Vec<Line>) {
        if !self.skipping && line.is_empty() && self.ended {
            return;
        }
        self.line += 1;
        if std::mem::take(&mut self.skipping) {
            let message = format!(
                "the line is larger than {} bytes, the most one event may be",
                self.max
            );
            let error = ApiError::coded(StatusCode::PAYLOAD_TOO_LARGE, Code::FileTooLarge, message);
            lines.push((self.line, Err(error)));
        } else if !line.iter().all(u8::is_ascii_whitespace) {
            lines.push((self.line, Ok(line)));
        }
    }
}

/// The text of a line, or its error.
fn utf8(bytes: Vec<u8>, number: usize) -> Result<String, ApiError> {
    String::from_utf8(bytes).map_err(|_| {
        let message = format!("line {number} is not UTF-8 text");
        ApiError::coded(StatusCode::BAD_REQUEST, Code::NotUtf8, message)
    })
}
