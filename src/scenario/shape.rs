//! What the model's objects look like, for checking what a scenario writes about them.
//!
//! Key names come from the model's JSON Schema and value types from its serde types, so a
//! field added to the model is known to scenarios at once and nothing here can drift.

use std::sync::OnceLock;

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::model::{schema, Effect};

/// The JSON Schema of a ticket.
fn ticket_schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(schema::ticket_schema)
}

/// The JSON Schema of an effect: one `oneOf` member per type.
fn effect_schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| schemars::schema_for!(Effect).to_value())
}

/// The schema node `node` stands for: `$ref`s followed, and the non-null member of an
/// optional value (`anyOf: [X, null]`).
fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    let mut node = node;
    // Bounded: a schema of the model never chains more than a few references.
    for _ in 0..8 {
        if let Some(name) = node["$ref"].as_str() {
            let name = name.rsplit('/').next().unwrap_or_default();
            node = &root["$defs"][name];
        } else if let Some(member) = node["anyOf"]
            .as_array()
            .and_then(|m| m.iter().find(|m| m["type"] != "null"))
        {
            node = member;
        } else {
            break;
        }
    }
    node
}

/// The keys an object may have, with the schema of each, or `None` when any key goes (a
/// map of organization fields).
fn properties<'a>(root: &'a Value, node: &'a Value) -> Option<Vec<(&'a str, &'a Value)>> {
    let props = resolve(root, node)["properties"].as_object()?;
    Some(props.iter().map(|(k, v)| (k.as_str(), v)).collect())
}

/// A place in a ticket: the keys known there, or `None` when any key goes.
#[derive(Clone, Copy)]
pub(crate) struct TicketPlace(&'static Value);

impl TicketPlace {
    /// The ticket itself.
    pub(crate) fn root() -> TicketPlace {
        TicketPlace(ticket_schema())
    }

    /// The keys known here, or `None` when any key goes.
    pub(crate) fn keys(self) -> Option<Vec<&'static str>> {
        properties(ticket_schema(), self.0).map(|p| p.into_iter().map(|(k, _)| k).collect())
    }

    /// The place below `key`, when `key` is known here.
    pub(crate) fn child(self, key: &str) -> Option<TicketPlace> {
        let props = properties(ticket_schema(), self.0)?;
        props
            .into_iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| TicketPlace(v))
    }

    /// Whether a value here is an object whose keys can be checked one by one (so a
    /// partial table makes sense); lists and scalars are compared whole.
    pub(crate) fn is_object(self) -> bool {
        let node = resolve(ticket_schema(), self.0);
        node["type"] == "object" || node["properties"].is_object()
    }
}

/// Every effect type, as the model's JSON `type` tag names it.
pub(crate) fn effect_types() -> Vec<&'static str> {
    effect_members()
        .iter()
        .filter_map(|m| m["properties"]["type"]["const"].as_str())
        .collect()
}

/// The fields of effects of `kind`, `type` included; `None` for an unknown type.
pub(crate) fn effect_fields(kind: &str) -> Option<Vec<&'static str>> {
    let member = effect_members()
        .iter()
        .find(|m| m["properties"]["type"]["const"] == kind)?;
    properties(effect_schema(), member).map(|p| p.into_iter().map(|(k, _)| k).collect())
}

fn effect_members() -> &'static [Value] {
    effect_schema()["oneOf"]
        .as_array()
        .map_or(&[][..], Vec::as_slice)
}

/// Why a partial object does not read as a `T`: the path of the bad value and serde's
/// message. Fields it leaves out are not a mistake (an expectation names only what it
/// checks, a change only what it changes), so "missing field" is never reported.
pub(crate) fn check_partial<T: DeserializeOwned>(
    value: &Value,
) -> Result<(), (serde_path_to_error::Path, String)> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(_) => Ok(()),
        Err(e) => {
            let path = e.path().clone();
            let message = e.into_inner().to_string();
            if message.starts_with("missing field") {
                Ok(())
            } else {
                Err((path, message))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Ticket;
    use serde_json::json;

    #[test]
    fn ticket_keys_come_from_the_model() {
        let keys = TicketPlace::root().keys().expect("a ticket is an object");
        for key in [
            "status",
            "tags",
            "routing_channel",
            "messaging_session",
            "type",
        ] {
            assert!(keys.contains(&key), "{key}: {keys:?}");
        }
        assert!(!keys.contains(&"stauts"));
        let session = TicketPlace::root()
            .child("messaging_session")
            .expect("known");
        assert!(session.is_object());
        let session_keys = session.keys().expect("an object");
        assert!(session_keys.contains(&"state") && session_keys.contains(&"end_reason"));
        assert!(!TicketPlace::root()
            .child("status")
            .expect("known")
            .is_object());
        assert!(TicketPlace::root().child("nope").is_none());
    }

    #[test]
    fn organization_fields_take_any_key() {
        let org = TicketPlace::root().child("organization").expect("known");
        let fields = org.child("organization_fields").expect("known");
        assert!(fields.keys().is_none());
    }

    #[test]
    fn effect_types_and_fields_come_from_the_model() {
        let types = effect_types();
        assert!(types.contains(&"csat_survey") && types.contains(&"session_ended"));
        assert_eq!(types.len(), 14, "{types:?}");
        let csat = effect_fields("csat_survey").expect("known");
        for f in ["type", "trigger", "channel", "delivered", "reason"] {
            assert!(csat.contains(&f), "{f}: {csat:?}");
        }
        assert!(effect_fields("fax").is_none());
    }

    #[test]
    fn partial_values_are_checked_but_may_leave_fields_out() {
        assert!(check_partial::<Ticket>(&json!({"status": "solved"})).is_ok());
        let (path, message) =
            check_partial::<Ticket>(&json!({"messaging_session": {"state": "asleep"}}))
                .expect_err("unknown state");
        assert_eq!(path.to_string(), "messaging_session.state");
        assert!(message.contains("unknown variant `asleep`"), "{message}");
        assert!(
            check_partial::<Effect>(&json!({"type": "csat_survey", "delivered": true})).is_ok()
        );
        assert!(
            check_partial::<Effect>(&json!({"type": "csat_survey", "delivered": "yes"})).is_err()
        );
    }
}
