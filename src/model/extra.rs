//! Zendesk objects read key by key: the keys declic knows go to their fields, every other
//! key is kept, in input order, in an [`Extra`] map that is written back unchanged.
//!
//! serde's `flatten` attribute does the same, but it first buffers the whole object in an
//! intermediate form and reads the fields from that copy; for events that was a fifth of
//! the time from JSON text to outcome. [`Keyed`] objects are read in one pass instead.
//!
//! An unknown key's value is kept as the JSON text it was written as, not as a
//! [`serde_json::Value`]: declic never looks inside most of them, so building a tree of
//! allocations for each (a ticket's `url`, `created_at`, `via.source`...) only to drop it
//! again cost 6% of the time from JSON text to outcome. Kept as text, a value is also
//! written back as it came (on one line): a number such as `1.50` or
//! `12345678901234567890` does not come back as `1.5` or as a float.

use compact_str::CompactString;
use indexmap::IndexMap;
use serde::de::DeserializeOwned;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;

use super::ticket::TicketKeys;
use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;
use std::sync::{Arc, LazyLock};

/// The unknown keys of one object and their values as written, in input order.
///
/// Keys are Zendesk's short snake_case names, held inline (up to 24 bytes) rather than each
/// in its own allocation, and hashed with foldhash rather than SipHash (its seed is still
/// random per process): together, 6% fewer instructions from JSON text to outcome.
pub type Members = IndexMap<CompactString, Box<RawValue>, foldhash::fast::RandomState>;

/// Unknown keys of a Zendesk object, in input order, carried through untouched.
///
/// Shared rather than owned: the engine copies the ticket for every outcome, and these keys
/// (a real ticket has dozens) are read-only to it, so a copy costs a reference count; the
/// rare write goes through [`Extra::make_mut`]. Most objects have no unknown key at all:
/// they hold no map, so that creating, copying and dropping them touches no reference
/// count (a count shared by every empty object would be contended between threads).
#[derive(Clone, Default)]
pub struct Extra(Option<Arc<Members>>);

impl Extra {
    /// The map, for writing; copies it first if it is shared.
    pub fn make_mut(&mut self) -> &mut Members {
        Arc::make_mut(self.0.get_or_insert_with(Arc::default))
    }

    /// Whether `self` and `other` are the same map in memory, not just equal; two objects
    /// without unknown keys hold the same (empty) map.
    pub fn shares_with(&self, other: &Extra) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (a, b) => a.is_none() && b.is_none(),
        }
    }

    /// The value of `key` read as a `T`, or `None` when the key is absent or its value is
    /// not a `T`: `ticket.extra.read::<String>("created_at")`.
    pub fn read<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        serde_json::from_str(self.get(key)?.get()).ok()
    }

    /// Sets `key` to `value`, copying the map first if it is shared.
    pub fn set(&mut self, key: &str, value: &Value) {
        // A `Value`'s keys are strings, so writing it as JSON cannot fail.
        let raw = serde_json::value::to_raw_value(value).expect("a JSON value is valid JSON");
        self.make_mut().insert(key.into(), raw);
    }
}

impl From<Members> for Extra {
    fn from(keys: Members) -> Extra {
        Extra((!keys.is_empty()).then(|| Arc::new(keys)))
    }
}

impl Deref for Extra {
    type Target = Members;

    fn deref(&self) -> &Members {
        static EMPTY: LazyLock<Members> = LazyLock::new(Members::default);
        self.0.as_deref().unwrap_or(&EMPTY)
    }
}

/// Maps are equal when they hold the same keys with the same values, written the same way
/// (`1.0` is not `1`), however they are held.
impl PartialEq for Extra {
    fn eq(&self, other: &Extra) -> bool {
        let (a, b) = (&**self, &**other);
        a.len() == b.len()
            && a.iter()
                .all(|(k, v)| b.get(k).is_some_and(|w| v.get() == w.get()))
    }
}

impl Serialize for Extra {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

impl schemars::JsonSchema for Extra {
    fn schema_name() -> Cow<'static, str> {
        IndexMap::<String, Value>::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        IndexMap::<String, Value>::json_schema(generator)
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

/// Which unknown keys a read keeps: all of them, as a written-back ticket needs, or only
/// those named, for a run whose caller wants what changed and not the ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unknown {
    /// Every unknown key, with its value as written.
    Keep,
    /// Only these keys; the others' values are skipped unread.
    Only(&'static [&'static str]),
}

impl Unknown {
    fn keeps(self, key: &str) -> bool {
        match self {
            Unknown::Keep => true,
            Unknown::Only(keys) => keys.contains(&key),
        }
    }
}

/// What a read takes of an event: every key of every object, or, for a run that reports
/// only what changed, what the rules may look at. A value skipped is still checked to be
/// JSON, but not to be of its key's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reading {
    /// The unknown keys kept.
    pub unknown: Unknown,
    /// The known keys of the ticket read now.
    pub ticket_keys: TicketKeys,
    /// The known keys of the ticket before the update, which [`Reading::previous`] reads.
    pub previous_keys: TicketKeys,
}

impl Reading {
    /// Everything, as [`crate::model::Event::from_json`] reads.
    pub const ALL: Reading = Reading {
        unknown: Unknown::Keep,
        ticket_keys: TicketKeys::ALL,
        previous_keys: TicketKeys::ALL,
    };

    /// Runs `read`, the read of the ticket before the update, with its own keys.
    pub fn previous<T>(read: impl FnOnce() -> T) -> T {
        let now = READING.get();
        reading(
            Reading {
                ticket_keys: now.previous_keys,
                ..now
            },
            read,
        )
    }
}

// serde gives a `Deserialize` impl no context of its own, and carrying the policy down as
// a seed would mean a second reading path through every nested object; so a read that
// skips sets it for its thread, for its own duration only.
thread_local! {
    static READING: Cell<Reading> = const { Cell::new(Reading::ALL) };
}

/// Runs `read` with the objects it reads taking what `what` says; a read outside takes
/// everything.
pub(crate) fn reading<T>(what: Reading, read: impl FnOnce() -> T) -> T {
    struct Restore(Reading);
    impl Drop for Restore {
        fn drop(&mut self) {
            READING.set(self.0);
        }
    }
    let _restore = Restore(READING.replace(what));
    read()
}

/// The known keys the ticket being read takes.
pub(crate) fn ticket_keys() -> TicketKeys {
    READING.get().ticket_keys
}

/// A Zendesk object with known keys and an [`Extra`] map for the others.
///
/// A key given twice keeps its last value, as Zendesk's own JSON reader and
/// `serde_json::Value` do.
pub(crate) trait Keyed: Default {
    /// What the object is, for the error on a value of the wrong type: "a ticket object".
    const EXPECTING: &'static str;
    /// The keys that must be present.
    const REQUIRED: &'static [&'static str] = &[];

    /// Reads the value of `key` into its field and returns true, or returns false without
    /// reading anything if the key is not one of the object's.
    fn read_known<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error>;

    /// Where the unknown keys go.
    fn extra_mut(&mut self) -> &mut Extra;
}

/// Reads a [`Keyed`] object; each one's `Deserialize` is this function.
pub(crate) fn deserialize<'de, T: Keyed, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    d.deserialize_map(KeyedVisitor(PhantomData))
}

struct KeyedVisitor<T>(PhantomData<T>);

impl<'de, T: Keyed> Visitor<'de> for KeyedVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut object = T::default();
        // Made at the first unknown key: most objects have none, and an empty map still
        // draws a hasher seed.
        let mut unknown: Option<Members> = None;
        let mut required_seen = 0u32;
        let policy = READING.get().unknown;
        while let Some(Key(key)) = map.next_key()? {
            if object.read_known(&key, &mut map)? {
                if let Some(i) = T::REQUIRED.iter().position(|r| *r == key) {
                    required_seen |= 1 << i;
                }
            } else if policy.keeps(&key) {
                let value = compact(map.next_value()?);
                let members = unknown.get_or_insert_with(Members::default);
                members.insert(CompactString::from(&*key), value);
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        if let Some(missing) = (0..T::REQUIRED.len()).find(|i| required_seen & (1 << i) == 0) {
            return Err(de::Error::missing_field(T::REQUIRED[missing]));
        }
        if let Some(unknown) = unknown {
            *object.extra_mut() = Extra::from(unknown);
        }
        Ok(object)
    }
}

/// `raw` without the blanks between its tokens when it spans lines, as serde_json writes a
/// value: a value from a pretty-printed event must not break a line of NDJSON output. Only
/// an object or a list can span lines (a JSON string holds no raw line break), and one on
/// a single line is kept as it is.
fn compact(raw: Box<RawValue>) -> Box<RawValue> {
    let text = raw.get().as_bytes();
    let nested = matches!(text.first(), Some(b'{' | b'['));
    if !nested || !(text.contains(&b'\n') || text.contains(&b'\r')) {
        return raw;
    }
    let (mut in_string, mut escaped) = (false, false);
    let mut out: Option<Vec<u8>> = None;
    for (i, &b) in text.iter().enumerate() {
        let blank = !in_string && matches!(b, b' ' | b'\n' | b'\r' | b'\t');
        match (&mut out, blank) {
            (None, true) => out = Some(text[..i].to_vec()),
            (Some(out), false) => out.push(b),
            _ => {}
        }
        if in_string {
            (in_string, escaped) = (escaped || b != b'"', !escaped && b == b'\\');
        } else {
            in_string = b == b'"';
        }
    }
    // Taking ASCII blanks from between tokens leaves UTF-8 text and valid JSON: neither
    // check below fails, and the value is kept as it came if one ever did.
    match out.map(String::from_utf8) {
        Some(Ok(out)) => RawValue::from_string(out).unwrap_or(raw),
        _ => raw,
    }
}

/// An object key, borrowed from the input when the reader can lend it, so that known keys
/// are matched without allocating.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key<'de>, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(key)))
    }

    fn visit_str<E>(self, key: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key.to_owned())))
    }

    fn visit_string<E>(self, key: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(key)))
    }
}

/// Gives each listed type the `Deserialize` of a [`Keyed`] object.
macro_rules! deserialize_keyed {
    ($($ty:ty),+ $(,)?) => {$(
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
                $crate::model::extra::deserialize(d)
            }
        }
    )+};
}
pub(crate) use deserialize_keyed;

/// Makes a struct with an `extra` field a [`Keyed`] object whose keys are read straight
/// into the fields of the same name:
/// `keyed_object!(Via, "a via object", required [], { "channel" => channel, "id" => id })`.
macro_rules! keyed_object {
    ($ty:ty, $expecting:literal, required [$($required:literal),*],
     { $($key:literal => $field:ident),+ $(,)? }) => {
        impl $crate::model::extra::Keyed for $ty {
            const EXPECTING: &'static str = $expecting;
            const REQUIRED: &'static [&'static str] = &[$($required),*];

            fn read_known<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
            ) -> Result<bool, A::Error> {
                match key {
                    $($key => self.$field = map.next_value()?,)+
                    _ => return Ok(false),
                }
                Ok(true)
            }

            fn extra_mut(&mut self) -> &mut $crate::model::extra::Extra {
                &mut self.extra
            }
        }

        $crate::model::extra::deserialize_keyed!($ty);
    };
}
pub(crate) use keyed_object;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, Default)]
    struct Point {
        x: i64,
        label: Option<String>,
        extra: Extra,
    }

    keyed_object!(Point, "a point object", required ["x"], { "x" => x, "label" => label });

    fn read(text: &str) -> Result<Point, serde_json::Error> {
        serde_json::from_str(text)
    }

    #[test]
    fn known_keys_go_to_fields_and_the_rest_is_kept_in_order() {
        let long = "a_key_longer_than_twenty_four_bytes";
        let text = format!(r#"{{"z": 1, "x": 3, "a\"b": [true], "{long}": 2, "label": "L"}}"#);
        let p = read(&text).expect("valid");
        assert_eq!((p.x, p.label.as_deref()), (3, Some("L")));
        let keys: Vec<&str> = p.extra.keys().map(|k| k.as_str()).collect();
        assert_eq!(keys, ["z", "a\"b", long]);
        assert_eq!(p.extra.read(long), Some(2));
        assert_eq!(p.extra.read("a\"b"), Some(json!([true])));
    }

    #[derive(Debug, Default, Serialize)]
    struct Written {
        x: i64,
        #[serde(flatten)]
        extra: Extra,
    }

    keyed_object!(Written, "a written object", required [], { "x" => x });

    #[test]
    fn unknown_values_are_written_back_as_they_were_written() {
        let text = r#"{"x":1,"price":1.50,"big":123456789012345678901234,"o":{"a": [1, 2]}}"#;
        let w: Written = serde_json::from_str(text).expect("valid");
        assert_eq!(serde_json::to_string(&w).expect("serializes"), text);
        // A value on several lines loses its blanks between tokens; those in strings stay.
        let pretty =
            "{\"x\": 1, \"o\": {\n  \"a b\": [1,\t\"c \\\" d\\\\\" ],\r\n  \"e\": \"\"\n}}";
        let w: Written = serde_json::from_str(pretty).expect("valid");
        let o = w.extra.get("o").expect("kept").get();
        assert_eq!(o, r#"{"a b":[1,"c \" d\\"],"e":""}"#);
        let from_value: Written =
            serde_json::from_value(json!({"o": {"a": [1, 2]}})).expect("valid");
        assert_eq!(from_value.extra.read("o"), Some(json!({"a": [1, 2]})));
    }

    #[test]
    fn a_value_reads_as_the_type_asked_for_or_not_at_all() {
        let p = read(r#"{"x": 1, "at": "2024-05-16T09:05:00Z", "n": 3}"#).expect("valid");
        assert_eq!(
            p.extra.read::<String>("at").as_deref(),
            Some("2024-05-16T09:05:00Z")
        );
        assert_eq!(
            p.extra.read::<String>("n"),
            None,
            "a number is not a string"
        );
        assert_eq!(p.extra.read::<u64>("missing"), None);
    }

    #[test]
    fn maps_are_equal_with_the_same_values_written_the_same_way_in_any_order() {
        let map = |text: &str| read(text).expect("valid").extra;
        assert_eq!(
            map(r#"{"x": 1, "a": 1, "b": [2]}"#),
            map(r#"{"b": [2], "x": 1, "a": 1}"#)
        );
        assert_ne!(map(r#"{"x": 1, "a": 1}"#), map(r#"{"x": 1, "a": 1.0}"#));
        assert_ne!(
            map(r#"{"x": 1, "a": 1}"#),
            map(r#"{"x": 1, "a": 1, "b": 2}"#)
        );
        assert_ne!(
            map(r#"{"x": 1, "a": 1, "b": 2}"#),
            map(r#"{"x": 1, "a": 1, "c": 2}"#)
        );
    }

    #[test]
    fn a_missing_required_key_and_a_wrong_type_are_errors() {
        let e = read(r#"{"label": "L"}"#).expect_err("x is required");
        assert!(e.to_string().contains("missing field `x`"), "{e}");
        let e = read("[1]").expect_err("not an object");
        assert!(e.to_string().contains("expected a point object"), "{e}");
        let e = read(r#"{"x": "three"}"#).expect_err("x is a number");
        assert!(e.to_string().contains("invalid type: string"), "{e}");
    }

    #[test]
    fn a_read_that_keeps_only_some_unknown_keys_skips_the_others_and_ends_with_the_read() {
        let text = r#"{"x": 1, "kept": [1], "skipped": {"deep": [2]}, "label": "L"}"#;
        let only = |keys| Reading {
            unknown: Unknown::Only(keys),
            ..Reading::ALL
        };
        let p = reading(only(&["kept"]), || read(text)).expect("valid");
        assert_eq!((p.x, p.label.as_deref()), (1, Some("L")));
        let keys: Vec<&str> = p.extra.keys().map(|k| k.as_str()).collect();
        assert_eq!(keys, ["kept"]);
        // A skipped value must still be valid JSON.
        let bad = r#"{"x": 1, "skipped": [1,}"#;
        assert!(reading(only(&[]), || read(bad)).is_err());
        // The next read, outside, keeps every key again; so does one after a failed read.
        assert_eq!(read(text).expect("valid").extra.len(), 2);
    }

    #[test]
    fn the_last_of_a_repeated_key_wins() {
        let p = read(r#"{"x": 1, "x": 2, "u": 1, "u": 2}"#).expect("valid");
        assert_eq!((p.x, p.extra.read("u")), (2, Some(2)));
        assert_eq!(p.extra.len(), 1);
    }

    #[test]
    fn objects_without_unknown_keys_share_one_map_until_written() {
        let a = read(r#"{"x": 1}"#).expect("valid");
        let mut b: Point = serde_json::from_value(json!({"x": 2})).expect("valid");
        assert!(a.extra.shares_with(&b.extra));
        b.extra.set("u", &json!(1));
        assert!(a.extra.is_empty() && !a.extra.shares_with(&b.extra));
        assert_eq!(b.extra.read("u"), Some(1));
    }
}
