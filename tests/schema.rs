//! The checked-in JSON Schemas under `schema/` must match the ones the types generate.
//!
//! After changing a model type, refresh them with
//! `DECLIC_UPDATE_SCHEMA=1 cargo test --test schema` and commit the result.

use std::path::PathBuf;

use declic::model::schema::{changes_schema, event_schema, outcome_schema, ticket_schema};
use declic::model::{Event, Outcome};
use serde_json::{json, Value};

fn check(file: &str, schema: Value) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("schema")
        .join(file);
    let text = match serde_json::to_string_pretty(&schema) {
        Ok(t) => t + "\n",
        Err(e) => panic!("schema {file} does not serialize: {e}"),
    };
    if std::env::var_os("DECLIC_UPDATE_SCHEMA").is_some_and(|v| v == "1") {
        if let Err(e) = std::fs::write(&path, &text) {
            panic!("cannot write {}: {e}", path.display());
        }
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == text,
        "{} is missing or stale: the model types changed. Refresh it with\n\n    \
         DECLIC_UPDATE_SCHEMA=1 cargo test --test schema\n\nand commit the result.",
        path.display()
    );
}

#[test]
fn event_schema_is_current() {
    check("event.schema.json", event_schema());
}

#[test]
fn outcome_schema_is_current() {
    check("outcome.schema.json", outcome_schema());
}

#[test]
fn changes_schema_is_current() {
    check("changes.schema.json", changes_schema());
}

#[test]
fn ticket_schema_is_current() {
    check("ticket.schema.json", ticket_schema());
}

/// Events of the shapes the recipes use: each one reads, and writing it and reading it
/// again gives the same event.
fn sample_events() -> Vec<Value> {
    vec![
        // Ticket created through messaging outside business hours.
        json!({
            "ticket": {"id": 1, "status": "new", "via": {"channel": "native_messaging", "id": 75},
                       "routing_channel": "messaging", "tags": [],
                       "messaging_session": {"state": "active"}},
            "update": {"via_id": 75, "time": "2024-05-11T22:00:00Z",
                       "conversation_event": "conversation_requested"},
            "account": {"schedule": {"utc_offset_minutes": 120,
                        "intervals": [{"start_time": 1980, "end_time": 2460}]}}
        }),
        // Inactive unassigned conversation (surge recipe).
        json!({
            "ticket": {"id": 2, "status": "open", "group_id": 5, "assignee_id": null,
                       "via": {"channel": "native_messaging", "id": 75},
                       "routing_channel": "messaging",
                       "messaging_session": {"state": "inactive",
                                             "inactive_reason": "user_inactive_or_offline",
                                             "last_end_user_activity_at": "2024-05-06T09:00:00Z"}},
            "previous": {"id": 2, "status": "open", "messaging_session": {"state": "active"}},
            "update": {"kind": "change", "time": "2024-05-06T09:15:00Z"},
            "account": {"messaging_inactivity_minutes": 15}
        }),
        // An agent ends the session and solves the ticket (CSAT recipe).
        json!({
            "ticket": {"id": 3, "status": "solved", "assignee_id": 44,
                       "requester": {"id": 8, "email": "jo@example.com", "role": "end_user"},
                       "satisfaction_rating": {"score": "unoffered"},
                       "messaging_session": {"state": "ended", "end_reason": "ended_by_agent",
                                             "ended_at": "2024-05-06T10:00:00Z"}},
            "previous": {"id": 3, "status": "open", "assignee_id": 44,
                         "messaging_session": {"state": "active"}},
            "update": {"actor": {"id": 44, "role": "agent"}, "session": "ended_by_agent",
                       "comment": {"body": "Glad I could help", "public": true}},
            "account": {"agent_ended_sessions_route_as_email": true, "in_business_hours": true}
        }),
        // A new end-user message after the end.
        json!({
            "ticket": {"id": 4, "status": "solved",
                       "messaging_session": {"state": "ended", "end_reason": "ended_by_trigger"}},
            "previous": {"id": 4, "status": "solved",
                         "messaging_session": {"state": "ended", "end_reason": "ended_by_trigger"}},
            "update": {"session": "end_user_message", "actor": {"role": "end_user"}}
        }),
        // Email ticket with custom fields and organization fields.
        json!({
            "ticket": {"id": 5, "subject": "Refund", "status": "open", "priority": "urgent",
                       "type": "incident", "via": {"channel": "email", "id": 4},
                       "recipient": "support@example.com", "organization_id": 9,
                       "organization": {"id": 9, "organization_fields": {"tier": "gold"}},
                       "custom_fields": [{"id": 360001, "value": "refund"}]},
            "update": {"via_id": 4, "comment": {"body": "Please refund", "public": false}}
        }),
    ]
}

#[test]
fn sample_events_round_trip() {
    for sample in sample_events() {
        let text = sample.to_string();
        let event = match Event::from_json(&text) {
            Ok(e) => e,
            Err(e) => panic!("{e}\nin {text}"),
        };
        let written = serde_json::to_string(&event).expect("an event serializes");
        let again = Event::from_json(&written).expect("a written event reads back");
        assert_eq!(again, event);
        // Tickets come back exactly as they were written.
        let value: Value = serde_json::from_str(&written).expect("valid JSON");
        assert_eq!(value["ticket"], sample["ticket"]);
    }
}

#[test]
fn sample_outcome_round_trips() {
    let sample = json!({
        "ticket": {"id": 3, "status": "solved", "routing_channel": "email",
                   "satisfaction_rating": {"score": "offered"},
                   "messaging_session": {"state": "ended", "end_reason": "ended_by_agent"}},
        "fired": [{"trigger": "CSAT by email after agent end", "pass": 1,
                   "changes": [{"field": "satisfaction_score", "from": "unoffered", "to": "offered"}]}],
        "effects": [
            {"type": "session_ended", "trigger": null, "by": "ended_by_agent"},
            {"type": "capacity_released", "trigger": null, "agent_id": 44, "channel": "messaging"},
            {"type": "csat_survey", "trigger": "CSAT by email after agent end",
             "channel": "email", "delivered": true}
        ],
        "passes": 2,
        "warnings": []
    });
    let outcome: Outcome = serde_json::from_value(sample.clone()).expect("valid outcome");
    assert_eq!(serde_json::to_value(&outcome).expect("serializes"), sample);
}
