//! Zendesk's condition semantics (DOMAIN.md sections 3 and 3b), one table per rule, each
//! with cases that hold and near misses that must not.

use serde_json::{json, Value};

use super::tests::give;

fn update(ticket: Value, previous: Value) -> Value {
    json!({"ticket": ticket, "previous": previous})
}

/// The ways an event says a field has no value: a missing key, `null`, `""`.
fn empties(key: &str) -> [Value; 3] {
    [json!({}), json!({ key: null }), json!({ key: "" })]
}

/// The fields whose `""` is Zendesk's "-", as written in a rule, with the JSON key the
/// event uses and a value.
const NO_VALUE_FIELDS: [(&str, &str, &str); 5] = [
    ("Group", "group_id", "5"),
    ("Assignee", "assignee_id", "4"),
    ("Organization", "organization_id", "7"),
    ("Priority", "priority", "\"high\""),
    ("Type", "type", "\"task\""),
];

#[test]
fn is_empty_holds_for_every_spelling_of_no_value() {
    for (name, key, value) in NO_VALUE_FIELDS {
        let value: Value = serde_json::from_str(value).expect("JSON");
        for empty in empties(key) {
            give(empty.clone(), &format!("{name} is \"\""), true);
            give(empty, &format!("{name} is not \"\""), false);
        }
        give(json!({ key: value }), &format!("{name} is \"\""), false);
        give(json!({ key: value }), &format!("{name} is not \"\""), true);
    }
}

#[test]
fn no_value_does_not_change_into_another_spelling_of_it() {
    for (name, key, value) in NO_VALUE_FIELDS {
        let value: Value = serde_json::from_str(value).expect("JSON");
        let [missing, null, blank] = empties(key);
        for (now, before) in [
            (blank.clone(), null.clone()),
            (null, missing.clone()),
            (missing, blank),
        ] {
            give(
                update(now.clone(), before.clone()),
                &format!("{name} changed"),
                false,
            );
            give(update(now, before), &format!("{name} not changed"), true);
        }
        let set = json!({ key: value });
        let cleared = update(json!({ key: "" }), set.clone());
        give(cleared.clone(), &format!("{name} changed to \"\""), true);
        give(cleared.clone(), &format!("{name} changed from \"\""), false);
        give(cleared, &format!("{name} changed"), true);
        let filled = update(set, json!({ key: null }));
        give(filled.clone(), &format!("{name} changed from \"\""), true);
        give(filled, &format!("{name} changed to \"\""), false);
    }
}

/// A drop-down custom field with `value`, or without the field at all.
fn drop_down(value: Option<Value>) -> Value {
    match value {
        Some(v) => json!({"custom_fields": [{"id": 1, "value": v}]}),
        None => json!({"custom_fields": [{"id": 2, "value": "other"}]}),
    }
}

#[test]
fn a_drop_down_is_empty_however_the_event_writes_it() {
    let empty = [None, Some(Value::Null), Some(json!(""))];
    for v in empty {
        give(drop_down(v.clone()), "custom_fields_1 is \"\"", true);
        give(drop_down(v.clone()), "custom_fields_1 is not \"\"", false);
        give(drop_down(v.clone()), "custom_fields_1 is gold", false);
        give(drop_down(v), "custom_fields_1 is not gold", true);
    }
    let gold = || drop_down(Some(json!("gold")));
    give(gold(), "custom_fields_1 is \"\"", false);
    give(gold(), "custom_fields_1 is not \"\"", true);
    give(gold(), "custom_fields_1 is gold", true);
    give(gold(), "custom_fields_1 is silver", false);
}

#[test]
fn a_drop_down_changes_only_between_values() {
    let at = |v: Value| json!({"custom_fields": [{"id": 1, "value": v}]});
    let cases = [
        (
            update(at(json!("")), at(Value::Null)),
            "custom_fields_1 changed",
            false,
        ),
        (
            update(at(json!("")), json!({})),
            "custom_fields_1 changed",
            false,
        ),
        (
            update(at(json!("gold")), at(json!(""))),
            "custom_fields_1 changed",
            true,
        ),
        (
            update(at(json!("gold")), at(json!(""))),
            "custom_fields_1 changed from \"\"",
            true,
        ),
        (
            update(at(json!("gold")), json!({})),
            "custom_fields_1 changed from \"\"",
            true,
        ),
        (
            update(at(json!("gold")), at(json!("silver"))),
            "custom_fields_1 changed from \"\"",
            false,
        ),
        (
            update(at(Value::Null), at(json!("gold"))),
            "custom_fields_1 changed to \"\"",
            true,
        ),
        (
            update(json!({}), at(json!("gold"))),
            "custom_fields_1 changed to \"\"",
            true,
        ),
        (
            update(at(json!("silver")), at(json!("gold"))),
            "custom_fields_1 changed to \"\"",
            false,
        ),
    ];
    for (input, when, expected) in cases {
        give(input, when, expected);
    }
}

#[test]
fn subject_is_contains_the_string_anywhere_case_ignored() {
    let subject = |s: &str| json!({ "subject": s });
    let cases = [
        ("SLA_Tracking: printer", true),
        ("Printer sla_tracking issue", true),
        ("Printer outage SLA_TRACKING", true),
        ("xSLA_Trackingx", true),
        ("SLA Tracking", false),
        ("SLA_Trackin", false),
    ];
    for (s, expected) in cases {
        give(subject(s), "Subject is \"SLA_Tracking\"", expected);
        give(subject(s), "Subject is not \"SLA_Tracking\"", !expected);
    }
    give(json!({}), "Subject is \"SLA_Tracking\"", false);
    give(json!({}), "Subject is not \"SLA_Tracking\"", true);
}

#[test]
fn comment_is_contains_the_string_of_the_update_comment() {
    let comment = |body: &str| json!({"ticket": {}, "update": {"comment": {"body": body}}});
    let cases = [
        ("Order #123 is late", true),
        ("where is my ORDER #123?", true),
        ("late: order #1234", true),
        ("order #12", false),
    ];
    for (body, expected) in cases {
        give(comment(body), "Comment text is \"order #123\"", expected);
        give(
            comment(body),
            "Comment text is not \"order #123\"",
            !expected,
        );
    }
    // The ticket's description is not the update's comment.
    let described = json!({"ticket": {"description": "order #123"}});
    give(described.clone(), "Comment text is \"order #123\"", false);
    give(described, "Comment text is not \"order #123\"", true);
}
