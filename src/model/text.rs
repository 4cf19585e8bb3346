//! [`Text`]: the ticket's texts that triggers read but never write.

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;

use compact_str::CompactString;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A text triggers read but never write (a subject, a description, an email address).
///
/// Inline up to 24 bytes: the engine copies a ticket when a trigger changes it, and most of
/// these texts (a subject line, an address, a channel) then copy with the ticket, touching
/// no other memory. A longer one is copied to a new allocation. Sharing it behind a
/// reference count was tried and was slower: the count is an atomic write to memory that
/// is cold when an event is run, and each such write waits for it.
///
/// It reads as a `&str` (`ticket.subject.as_deref()`) and is made from one
/// (`"Refund".into()`).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text(CompactString);

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(s.into())
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(s.into())
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// Read straight from the borrowed or buffered string, inline when it is short.
impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        d.deserialize_str(TextVisitor)
    }
}

struct TextVisitor;

impl Visitor<'_> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Text, E> {
        Ok(s.into())
    }
}

impl schemars::JsonSchema for Text {
    fn schema_name() -> Cow<'static, str> {
        String::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }

    fn inline_schema() -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_and_writes_as_a_string() {
        for text in ["", "Remboursement", "a \"quoted\" word\n", "é"] {
            let t: Text = serde_json::from_value(json!(text)).expect("a string");
            assert_eq!(t, text);
            assert_eq!(json!(t), json!(text));
        }
        assert!(serde_json::from_value::<Text>(json!(3)).is_err());
        assert!(serde_json::from_str::<Text>(r#""a\"b""#).is_ok_and(|t| t == "a\"b"));
    }

    #[test]
    fn short_texts_are_held_inline_and_long_ones_copy_whole() {
        let short = Text::from("customer@example.fr");
        assert!(!short.0.is_heap_allocated());
        let long = Text::from("Je voudrais retourner un article, s'il vous plaît.".to_owned());
        assert!(long.0.is_heap_allocated());
        let copy = long.clone();
        assert_eq!(copy, long);
        assert!(!std::ptr::eq(copy.as_ptr(), long.as_ptr()));
    }
}
