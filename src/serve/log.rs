//! Structured logs: one JSON object a line on stderr, which log collectors read as they
//! come (`{"time": ..., "level": "info", "message": "listening", "address": ...}`).

use std::io::Write;

use serde_json::{Map, Value};

/// How much a log line matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The server's ordinary life: listening, requests, reloads.
    Info,
    /// Something the operator should look at: rules that did not reload.
    Warn,
    /// Something that stopped a piece of the server.
    Error,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        }
    }
}

/// Writes one log line: its time, level and message, then `fields` (an object; anything
/// else is left out).
pub fn write(level: Level, message: &str, fields: Value) {
    let mut line = Map::new();
    line.insert("time".into(), jiff::Timestamp::now().to_string().into());
    line.insert("level".into(), level.as_str().into());
    line.insert("message".into(), message.into());
    if let Value::Object(fields) = fields {
        line.extend(fields);
    }
    let mut text = Value::Object(line).to_string();
    text.push('\n');
    // One write of the whole line, so that lines from several threads never interleave;
    // a log that cannot be written is no reason to fail a request.
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// An `info` line.
pub fn info(message: &str, fields: Value) {
    write(Level::Info, message, fields);
}

/// A `warn` line.
pub fn warn(message: &str, fields: Value) {
    write(Level::Warn, message, fields);
}
