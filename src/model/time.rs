//! The one timestamp type of the model.
//!
//! A newtype rather than `jiff::Timestamp` in every field, so that the model's public API
//! does not change if the time crate does, and so that the JSON Schema names the format
//! once.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An instant, written in JSON as an RFC 3339 string with an offset, such as Zendesk's
/// `"2024-05-02T09:30:00Z"`.
///
/// The instant is what is kept, not its spelling: an input written with another offset
/// (`"2024-05-02T11:30:00+02:00"`) comes back in UTC. A string without an offset is
/// rejected, because it does not name an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub jiff::Timestamp);

impl Timestamp {
    /// The instant `seconds` after 1970-01-01T00:00:00Z, or `None` when it is outside the
    /// range jiff supports (years -9999 to 9999).
    pub fn from_second(seconds: i64) -> Option<Timestamp> {
        jiff::Timestamp::from_second(seconds).ok().map(Timestamp)
    }

    /// Whole seconds since 1970-01-01T00:00:00Z (negative before).
    pub fn as_second(self) -> i64 {
        self.0.as_second()
    }

    /// Whole seconds from `earlier` to `self`; negative when `earlier` is in fact later.
    pub fn seconds_since(self, earlier: Timestamp) -> i64 {
        // Both are within jiff's range (about ±3.2e11 s), so the difference cannot overflow.
        self.as_second() - earlier.as_second()
    }
}

impl From<jiff::Timestamp> for Timestamp {
    fn from(t: jiff::Timestamp) -> Self {
        Timestamp(t)
    }
}

impl FromStr for Timestamp {
    type Err = jiff::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(Timestamp)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

// Written by hand because schemars' own jiff support is behind a feature of schemars that
// the crate does not enable; the schema is the same one schemars would give.
impl schemars::JsonSchema for Timestamp {
    fn schema_name() -> Cow<'static, str> {
        "Timestamp".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An instant as an RFC 3339 string with an offset, e.g. `2024-05-02T09:30:00Z`.",
            "type": "string",
            "format": "date-time"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_writes_rfc3339() {
        let t: Timestamp = serde_json::from_str("\"2024-05-02T09:30:00Z\"").expect("valid");
        assert_eq!(
            serde_json::to_string(&t).expect("serializes"),
            "\"2024-05-02T09:30:00Z\""
        );
        let shifted: Timestamp = "2024-05-02T11:30:00+02:00".parse().expect("valid");
        assert_eq!(shifted, t);
    }

    #[test]
    fn rejects_a_time_without_offset() {
        assert!(serde_json::from_str::<Timestamp>("\"2024-05-02T09:30:00\"").is_err());
        assert!(serde_json::from_str::<Timestamp>("\"yesterday\"").is_err());
        assert!(serde_json::from_str::<Timestamp>("12").is_err());
    }

    #[test]
    fn seconds_since() {
        let a: Timestamp = "2024-05-02T09:30:00Z".parse().expect("valid");
        let b: Timestamp = "2024-05-02T09:40:30Z".parse().expect("valid");
        assert_eq!(b.seconds_since(a), 630);
        assert_eq!(a.seconds_since(b), -630);
        assert_eq!(Timestamp::from_second(a.as_second()), Some(a));
    }
}
