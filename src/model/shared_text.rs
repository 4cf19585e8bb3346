//! [`Text`]: the ticket's texts that triggers read but never write.

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A text triggers read but never write (a subject, a description, an email address).
///
/// Shared rather than owned: the engine copies a ticket when a trigger changes it, and a
/// shared text costs a reference count to copy where an owned one costs an allocation.
/// It reads as a `&str` (`ticket.subject.as_deref()`) and is made from one
/// (`"Refund".into()`).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text(Arc<str>);

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

/// Read in one allocation, the shared one: serde's own `Arc<str>` reads a `Box<str>` first
/// and copies it.
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
    fn copies_share_the_text() {
        let a = Text::from("Remboursement");
        let b = a.clone();
        assert!(std::ptr::eq(a.as_ptr(), b.as_ptr()));
    }
}
