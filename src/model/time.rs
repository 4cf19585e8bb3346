//! The one timestamp type of the model.
//!
//! A newtype rather than `jiff::Timestamp` in every field, so that the model's public API
//! does not change if the time crate does, and so that the JSON Schema names the format
//! once.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::Serialize;

/// An instant, written in JSON as an RFC 3339 string with an offset, such as Zendesk's
/// `"2024-05-02T09:30:00Z"`.
///
/// The instant is what is kept, not its spelling: an input written with another offset
/// (`"2024-05-02T11:30:00+02:00"`) comes back in UTC. A string without an offset is
/// rejected, because it does not name an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
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
        match utc_seconds(s.as_bytes()).and_then(Timestamp::from_second) {
            Some(t) => Ok(t),
            None => s.parse().map(Timestamp),
        }
    }
}

/// The seconds since 1970 of `text` when it is written exactly as Zendesk writes every
/// time, `2024-05-02T09:30:00Z`, and names a real second; `None` for any other spelling,
/// which jiff's general reader then takes. Events hold several times each, and reading
/// them through the general reader was a twentieth of the time from event to outcome.
fn utc_seconds(text: &[u8]) -> Option<i64> {
    let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2, b'T', h1, h2, b':', n1, n2, b':', s1, s2, b'Z'] =
        *text
    else {
        return None;
    };
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0i64, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
        })
    };
    let year = number(&[y1, y2, y3, y4])?;
    let month = number(&[m1, m2])?;
    let day = number(&[d1, d2])?;
    let (hour, minute, second) = (number(&[h1, h2])?, number(&[n1, n2])?, number(&[s1, s2])?);
    let days_in_month = match month {
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        1..=12 => 31,
        _ => return None,
    };
    // A leap second (`:60`) is left to jiff, with whatever else is out of range.
    if !(1..=days_in_month).contains(&day) || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second)
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil`), for years 0 to 9999.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        d.deserialize_str(TimestampVisitor)
    }
}

struct TimestampVisitor;

impl Visitor<'_> for TimestampVisitor {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a timestamp string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Timestamp, E> {
        text.parse().map_err(E::custom)
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

    /// Times Zendesk's way and near misses: impossible dates, a leap second, other
    /// spellings that only the general reader takes.
    const SPELLINGS: &[&str] = &[
        "2024-05-02T09:30:00Z",
        "1970-01-01T00:00:00Z",
        "1969-12-31T23:59:59Z",
        "0000-03-01T00:00:00Z",
        "9999-12-31T23:59:59Z",
        "2024-02-29T12:00:00Z",
        "2023-02-29T12:00:00Z",
        "2100-02-29T12:00:00Z",
        "2000-02-29T12:00:00Z",
        "2024-04-31T12:00:00Z",
        "2024-13-01T12:00:00Z",
        "2024-00-10T12:00:00Z",
        "2024-05-00T12:00:00Z",
        "2024-05-02T24:00:00Z",
        "2024-05-02T23:60:00Z",
        "2016-12-31T23:59:60Z",
        "2024-05-02t09:30:00z",
        "2024-05-02 09:30:00Z",
        "2024-05-02T09:30:00.5Z",
        "2024-05-02T09:30:00+02:00",
        "2024-05-02T09:30Z",
        "2024-5-02T09:30:00Z",
        "+2024-05-02T09:30:00Z",
        "2024-05-02T09:3a:00Z",
    ];

    #[test]
    fn the_fast_reading_agrees_with_jiff_on_every_spelling() {
        for text in SPELLINGS {
            let ours = text.parse::<Timestamp>().map_err(|e| e.to_string());
            let jiffs = text.parse::<jiff::Timestamp>().map(Timestamp);
            assert_eq!(ours, jiffs.map_err(|e| e.to_string()), "{text}");
            let json = format!("\"{text}\"");
            let read = serde_json::from_str::<Timestamp>(&json).map_err(|e| e.to_string());
            assert_eq!(read.is_ok(), ours.is_ok(), "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_fast_reading_agrees_with_jiff_on_any_second(
            seconds in -62_167_219_200i64..253_402_300_800,
        ) {
            let t = jiff::Timestamp::from_second(seconds).expect("in range");
            let text = t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
            proptest::prop_assert_eq!(utc_seconds(text.as_bytes()), Some(seconds), "{}", text);
        }
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
