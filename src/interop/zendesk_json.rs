//! The Zendesk API's JSON for triggers and automations, as serde types, and the envelopes it
//! comes in: a list page (`{"triggers": [...], "next_page": ..., "count": ...}`), one rule
//! (`{"trigger": {...}}`), or a bare array of rules.
//!
//! Read-only keys the API adds (`url`, `created_at`, `updated_at`, `default`) are ignored:
//! the API sets them itself and refuses nothing for their absence.

use std::path::Path;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::InteropError;
use crate::diagnostics::Code;

/// Triggers or automations: they share one shape, and automations add time conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RuleKind {
    /// `/api/v2/triggers`.
    Trigger,
    /// `/api/v2/automations`.
    Automation,
}

impl RuleKind {
    /// The key of a list of such rules: `triggers`, `automations`.
    pub fn plural(self) -> &'static str {
        match self {
            RuleKind::Trigger => "triggers",
            RuleKind::Automation => "automations",
        }
    }

    /// The key of one such rule: `trigger`, `automation`.
    pub fn singular(self) -> &'static str {
        match self {
            RuleKind::Trigger => "trigger",
            RuleKind::Automation => "automation",
        }
    }
}

/// One trigger or automation, keys in the order export writes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiRule {
    /// The title shown to agents.
    pub title: String,
    /// The title with dynamic content placeholders unrendered; what an update must send.
    #[serde(default, skip_serializing)]
    pub raw_title: Option<String>,
    /// The description, `null` when there is none.
    #[serde(default)]
    pub description: Option<String>,
    /// Whether it runs.
    #[serde(default = "yes")]
    pub active: bool,
    /// Its place in its category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<i64>,
    /// Its trigger category, a string id.
    #[serde(
        default,
        deserialize_with = "string_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub category_id: Option<String>,
    /// Its id; absent on create.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// When it fires.
    pub conditions: ApiConditions,
    /// What it does, in order.
    pub actions: Vec<ApiAction>,
}

fn yes() -> bool {
    true
}

/// `{"all": [...], "any": [...]}`; the API writes an empty list as `[]` or leaves it out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ApiConditions {
    /// Every one must hold.
    #[serde(default, deserialize_with = "list_or_null")]
    pub all: Vec<ApiCondition>,
    /// At least one must hold, when there are any.
    #[serde(default, deserialize_with = "list_or_null")]
    pub any: Vec<ApiCondition>,
}

/// `{"field": "status", "operator": "is", "value": "open"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiCondition {
    /// The API field name.
    pub field: String,
    /// The API operator.
    pub operator: String,
    /// A string mostly; `null` after operators that take none; anything, for fields
    /// declic does not model.
    #[serde(default)]
    pub value: Value,
}

/// `{"field": "status", "value": "solved"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiAction {
    /// The API action name.
    pub field: String,
    /// A string, or an array for notifications.
    #[serde(default)]
    pub value: Value,
}

fn list_or_null<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<ApiCondition>, D::Error> {
    Ok(Option::<Vec<ApiCondition>>::deserialize(d)?.unwrap_or_default())
}

/// Category ids are strings in the API, but a number means the same id.
fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Text(String),
        Number(u64),
    }
    Ok(Option::<Id>::deserialize(d)?.map(|id| match id {
        Id::Text(s) => s,
        Id::Number(n) => n.to_string(),
    }))
}

/// One rule of a file, not yet read: where it stands and what kind it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    /// Its JSON path in the file: `triggers[3]`, `trigger`, `[0]`.
    pub path: String,
    /// Trigger or automation.
    pub kind: RuleKind,
    /// The rule's JSON.
    pub value: Value,
}

/// The rules of a file, whatever envelope they come in.
pub fn rules_of(path: &Path, value: Value) -> Result<Vec<Located>, InteropError> {
    let not_zendesk = |reason: String| InteropError::NotZendesk {
        path: path.display().to_string(),
        reason,
    };
    let mut object = match value {
        Value::Array(items) => return Ok(located("", None, items)),
        Value::Object(object) => object,
        other => return Err(not_zendesk(format!("it is {}", type_name(&other)))),
    };
    // A document may hold both lists, as `declic export` writes a rule set of both kinds.
    let mut found: Option<Vec<Located>> = None;
    for kind in [RuleKind::Trigger, RuleKind::Automation] {
        match object.remove(kind.plural()) {
            Some(Value::Array(items)) => {
                found
                    .get_or_insert_with(Vec::new)
                    .extend(located(kind.plural(), Some(kind), items))
            }
            Some(other) => {
                return Err(not_zendesk(format!(
                    "`{}` is {}, not a list",
                    kind.plural(),
                    type_name(&other)
                )))
            }
            None => {}
        }
        match object.remove(kind.singular()) {
            Some(rule @ Value::Object(_)) => found.get_or_insert_with(Vec::new).push(Located {
                path: kind.singular().to_string(),
                kind,
                value: rule,
            }),
            Some(other) => {
                return Err(not_zendesk(format!(
                    "`{}` is {}, not an object",
                    kind.singular(),
                    type_name(&other)
                )))
            }
            None => {}
        }
    }
    if let Some(found) = found {
        return Ok(found);
    }
    // `GET /api/v2/triggers/search` answers with `results`.
    if let Some(Value::Array(items)) = object.remove("results") {
        return Ok(located("results", None, items));
    }
    let mut keys: Vec<String> = object.keys().map(|k| format!("`{k}`")).collect();
    keys.truncate(5);
    Err(not_zendesk(if keys.is_empty() {
        "it is an empty object".to_string()
    } else {
        format!(
            "it has {} but no `triggers` or `automations`",
            keys.join(", ")
        )
    }))
}

/// The rules of a list. Without an envelope to say, a rule's own `url` tells an
/// automation (`.../automations/1.json`) from a trigger.
fn located(key: &str, kind: Option<RuleKind>, items: Vec<Value>) -> Vec<Located> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, value)| {
            let kind = kind.unwrap_or_else(|| {
                let url = value.get("url").and_then(Value::as_str).unwrap_or("");
                if url.contains("/automations/") {
                    RuleKind::Automation
                } else {
                    RuleKind::Trigger
                }
            });
            Located {
                path: format!("{key}[{i}]"),
                kind,
                value,
            }
        })
        .collect()
}

/// Why one rule could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// `ZendeskMissingKey` or `ZendeskWrongType`.
    pub code: Code,
    /// Where, from the file's root.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// The title a rule's messages go by, even when the rule is broken.
pub fn title_of(rule: &Located) -> Option<&str> {
    rule.value
        .get("raw_title")
        .or_else(|| rule.value.get("title"))
        .and_then(Value::as_str)
}

/// Reads one rule: its required keys first, so a missing one is named as such, then every
/// key's type, with the JSON path of the first that is wrong.
pub fn read_rule(rule: &Located) -> Result<ApiRule, RuleError> {
    let Value::Object(object) = &rule.value else {
        return Err(RuleError {
            code: Code::ZendeskWrongType,
            path: rule.path.clone(),
            message: format!("is {}, not a rule object", type_name(&rule.value)),
        });
    };
    for (key, shape) in [
        ("title", "a string"),
        ("conditions", "an object"),
        ("actions", "an array"),
    ] {
        let path = || super::join_path(&rule.path, key);
        match object.get(key) {
            None | Some(Value::Null) => {
                return Err(RuleError {
                    code: Code::ZendeskMissingKey,
                    path: path(),
                    message: "is missing".to_string(),
                })
            }
            // serde would read an array as a struct's fields in order, and then complain
            // about the first element instead of the array.
            Some(found) if type_name(found) != shape => {
                return Err(RuleError {
                    code: Code::ZendeskWrongType,
                    path: path(),
                    message: format!("is {}, not {shape}", type_name(found)),
                })
            }
            Some(_) => {}
        }
    }
    serde_path_to_error::deserialize(&rule.value).map_err(|e| RuleError {
        code: Code::ZendeskWrongType,
        path: super::join_path(&rule.path, &e.path().to_string()),
        message: e.into_inner().to_string(),
    })
}

/// "a string", "a number"... for messages.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rules(value: Value) -> Result<Vec<Located>, InteropError> {
        rules_of(Path::new("t.json"), value)
    }

    #[test]
    fn every_envelope_gives_its_rules_and_paths() {
        let list = rules(json!({"triggers": [{}, {}], "next_page": null, "count": 2})).unwrap();
        assert_eq!(list[1].path, "triggers[1]");
        let one = rules(json!({"automation": {"title": "a"}})).unwrap();
        assert_eq!(
            (one[0].path.as_str(), one[0].kind),
            ("automation", RuleKind::Automation)
        );
        let bare =
            rules(json!([{"url": "https://x.zendesk.com/api/v2/automations/1.json"}])).unwrap();
        assert_eq!(
            (bare[0].path.as_str(), bare[0].kind),
            ("[0]", RuleKind::Automation)
        );
    }

    #[test]
    fn other_json_is_not_zendesk() {
        for value in [
            json!({"tickets": []}),
            json!(3),
            json!({"triggers": {}}),
            json!({}),
        ] {
            let err = rules(value).unwrap_err();
            assert!(matches!(err, InteropError::NotZendesk { .. }), "{err}");
        }
    }

    #[test]
    fn a_rule_names_its_missing_key_and_its_wrongly_typed_one() {
        let rule = |value: Value| Located {
            path: "triggers[2]".into(),
            kind: RuleKind::Trigger,
            value,
        };
        let missing = read_rule(&rule(json!({"title": "t", "actions": []}))).unwrap_err();
        assert_eq!(missing.code, Code::ZendeskMissingKey);
        assert_eq!(missing.path, "triggers[2].conditions");
        let wrong = read_rule(&rule(json!({"title": "t", "actions": [],
            "conditions": {"all": [{"field": 3, "operator": "is", "value": "x"}]}})))
        .unwrap_err();
        assert_eq!(wrong.code, Code::ZendeskWrongType);
        assert_eq!(wrong.path, "triggers[2].conditions.all[0].field");
    }
}
