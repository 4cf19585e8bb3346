//! Table-driven tests of every operator, every action and every DOMAIN decision, and
//! proptest properties of the cycle.

use proptest::prelude::*;
use serde_json::{json, Value};

use super::*;
use crate::model::Event;

pub(super) fn compile(text: &str) -> Compiled {
    let rules = crate::check(&[crate::Source::new("t.declic", text)])
        .into_result()
        .unwrap_or_else(|e| panic!("{text}\ndoes not check: {e:?}"));
    Compiled::new(&rules).expect("compiles")
}

pub(super) fn one(when: &str, then: &str) -> String {
    format!("trigger \"t\" {{\n  when all {{\n    {when}\n  }}\n  then {{\n    {then}\n  }}\n}}\n")
}

pub(super) fn event(v: Value) -> Event {
    // A bare ticket is wrapped; a full event is taken as it is.
    let v = if v.get("ticket").is_some() {
        v
    } else {
        json!({ "ticket": v })
    };
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{v}: {e}"))
}

pub(super) fn run(text: &str, input: Value) -> Value {
    json!(compile(text).run(&event(input)))
}

/// An account whose ticket fields are `fields`, as `ticket_fields.json` gives them.
pub(super) fn account_of(fields: &str) -> crate::account::Account {
    let mut account = crate::account::Account::default();
    account
        .add_fields(std::path::Path::new("ticket_fields.json"), fields)
        .expect("valid ticket fields");
    account
}

/// Whether condition `when` holds on `input`.
pub(super) fn give(input: Value, when: &str, expected: bool) {
    let out = compile(&one(when, "internal note \"x\"")).run(&event(input.clone()));
    assert_eq!(!out.fired.is_empty(), expected, "{when} on {input}");
}

#[test]
fn every_operator() {
    let upd = |t: Value, p: Value| json!({"ticket": t, "previous": p});
    let cases: Vec<(Value, &str, bool)> = vec![
        // ordered enumerations
        (json!({"status": "open"}), "Status is Open", true),
        (json!({"status": "open"}), "Status is not Open", false),
        (json!({"status": "open"}), "Status < Pending", true),
        (json!({"status": "open"}), "Status <= Open", true),
        (json!({"status": "open"}), "Status > Open", false),
        (json!({"status": "hold"}), "Status >= Pending", true),
        (json!({"status": "closed"}), "Status > Solved", true),
        (json!({}), "Priority < Low", true),
        (json!({"priority": "high"}), "Priority > Normal", true),
        (json!({"priority": "low"}), "Priority is None", false),
        (json!({}), "Priority is None", true),
        (
            json!({"status": "closed"}),
            "Status category is Solved",
            true,
        ),
        (json!({"status": "hold"}), "Status category < Solved", true),
        (json!({"type": "task"}), "Type is Task", true),
        (json!({}), "Type is None", true),
        (
            json!({"satisfaction_rating": {"score": "good"}}),
            "Satisfaction is Good",
            true,
        ),
        (json!({}), "Satisfaction is Unoffered", true),
        (json!({}), "Satisfaction < Offered", true),
        // ids and symbolic ids
        (json!({"group_id": 5}), "Group is 5", true),
        (json!({"group_id": 5}), "Group is not 5", false),
        (json!({}), "Group is not present", true),
        (json!({"group_id": 5}), "Group is present", true),
        (json!({"organization_id": 7}), "Organization is 7", true),
        (json!({"ticket_form_id": 8}), "Form is 8", true),
        (json!({"brand_id": 9}), "Brand is 9", true),
        (json!({"requester_id": 3}), "Requester is 3", true),
        (
            json!({"ticket": {"assignee_id": 4}, "update": {"actor": {"id": 4, "role": "agent"}}}),
            "Assignee is current user",
            true,
        ),
        (
            json!({"ticket": {"assignee_id": 4}, "update": {"actor": {"id": 5, "role": "agent"}}}),
            "Assignee is current user",
            false,
        ),
        (
            json!({"assignee_id": 3, "requester_id": 3}),
            "Assignee is Requester",
            true,
        ),
        // tags
        (
            json!({"tags": ["vip", "a"]}),
            "Tags includes vip other",
            true,
        ),
        (json!({"tags": ["a"]}), "Tags includes vip other", false),
        (json!({"tags": ["a"]}), "Tags excludes vip other", true),
        (json!({"tags": ["vip"]}), "Tags excludes vip other", false),
        // channels
        (json!({"via": {"id": 75}}), "Channel is Messaging", true),
        (json!({"via": {"id": 4}}), "Channel is Messaging", false),
        (json!({"via": {"id": 4}}), "Channel is not Messaging", true),
        (json!({"via": {"id": 99}}), "Channel is 99", true),
        (
            json!({"ticket": {}, "update": {"via_id": 5}}),
            "Update via is API",
            true,
        ),
        // text
        (
            json!({"subject": "Refund please"}),
            "Subject contains \"refund\"",
            true,
        ),
        (
            json!({"subject": "REFUND please"}),
            "Subject contains \"refund\"",
            true,
        ),
        (
            json!({"subject": "Refunded"}),
            "Subject contains \"refund\"",
            true,
        ),
        (
            json!({"subject": "Refuse"}),
            "Subject contains \"refund\"",
            false,
        ),
        (
            json!({"subject": "My Printer is on fire"}),
            "Subject contains \"my printer\"",
            true,
        ),
        (
            json!({"subject": "Refunded"}),
            "Subject does not contain \"refund\"",
            false,
        ),
        (json!({"subject": "Hello"}), "Subject is \"hello\"", true),
        (
            json!({"subject": "Hello"}),
            "Subject is not \"hello\"",
            false,
        ),
        (
            json!({"ticket": {}, "update": {"comment": {"body": "Where is my ORDER?"}}}),
            "Comment text contains \"order\"",
            true,
        ),
        (json!({}), "Comment text contains \"order\"", false),
        (
            json!({"recipient": "Help@x.com"}),
            "Recipient is \"help@x.com\"",
            true,
        ),
        // update facts
        (json!({}), "Ticket is Created", true),
        (upd(json!({}), json!({})), "Ticket is Updated", true),
        (upd(json!({}), json!({})), "Ticket is Created", false),
        (
            json!({"ticket": {}, "update": {"comment": {"body": "b", "public": false}}}),
            "Comment is Private",
            true,
        ),
        (
            json!({"ticket": {}, "update": {"comment": {"body": "b"}}}),
            "Comment is Public",
            true,
        ),
        (json!({}), "Comment is \"Not relevant\"", false),
        (
            json!({"is_public": false}),
            "Ticket visibility is Private",
            true,
        ),
        (json!({}), "Ticket visibility is Public", true),
        (
            json!({"ticket": {}, "account": {"in_business_hours": true}}),
            "Within business hours is true",
            true,
        ),
        (
            json!({"ticket": {}, "account": {"in_business_hours": false}}),
            "Within business hours is false",
            true,
        ),
        (
            json!({"ticket": {"schedule_id": 6}, "account": {"in_business_hours": true}}),
            "Within schedule is 6",
            true,
        ),
        (
            json!({"ticket": {"schedule_id": 6}, "account": {"in_business_hours": false}}),
            "Within schedule is 6",
            false,
        ),
        (
            json!({"ticket": {}, "update": {"actor": {"role": "admin"}}}),
            "Current user is Admin",
            true,
        ),
        (
            json!({"requester": {"role": "end_user"}}),
            "Requester role is End user",
            true,
        ),
        // messaging fields
        (
            json!({"routing_channel": "email"}),
            "Routing channel is Email",
            true,
        ),
        (
            json!({"messaging_session": {"state": "inactive"}}),
            "Session state is Inactive",
            true,
        ),
        (
            json!({"messaging_session": {"inactive_reason": "status_changed"}}),
            "Session inactive reason is Status changed",
            true,
        ),
        (
            json!({"messaging_session": {"end_reason": "ended_by_agent"}}),
            "Session end reason is Ended by agent",
            true,
        ),
        (json!({}), "Session end reason is not present", true),
        (
            json!({"messaging_session": {"end_reason": "ended_by_trigger"}}),
            "Session end reason is present",
            true,
        ),
        // delta operators on an update
        (
            upd(json!({"status": "solved"}), json!({"status": "open"})),
            "Status changed",
            true,
        ),
        (
            upd(json!({"status": "open"}), json!({"status": "open"})),
            "Status changed",
            false,
        ),
        (
            upd(json!({"status": "open"}), json!({"status": "open"})),
            "Status not changed",
            true,
        ),
        (
            upd(json!({"status": "solved"}), json!({"status": "open"})),
            "Status changed to Solved",
            true,
        ),
        (
            upd(json!({"status": "solved"}), json!({"status": "open"})),
            "Status changed from Open",
            true,
        ),
        (
            upd(json!({"status": "solved"}), json!({"status": "open"})),
            "Status changed from New",
            false,
        ),
        (
            upd(json!({"status": "solved"}), json!({"status": "open"})),
            "Status not changed to Solved",
            false,
        ),
        (
            upd(json!({"status": "solved"}), json!({"status": "open"})),
            "Status not changed from New",
            true,
        ),
        (
            upd(json!({"status": "closed"}), json!({"status": "solved"})),
            "Status category changed",
            false,
        ),
        (
            upd(json!({"group_id": 2}), json!({"group_id": 1})),
            "Group changed to 2",
            true,
        ),
        (
            upd(
                json!({"messaging_session": {"end_reason": "ended_by_agent"}}),
                json!({"messaging_session": {}}),
            ),
            "Session end reason changed to Ended by agent",
            true,
        ),
        // delta operators on a create: set fields changed from nothing
        (json!({"status": "open"}), "Status changed", true),
        (json!({"status": "open"}), "Status changed to Open", true),
        (json!({"status": "open"}), "Status changed from New", false),
        (
            json!({"status": "open"}),
            "Status not changed from New",
            true,
        ),
        (json!({}), "Group changed", false),
        (json!({"group_id": 1}), "Group changed", true),
        // custom fields
        (
            json!({"custom_fields": [{"id": 1, "value": "premium"}]}),
            "custom_fields_1 is premium",
            true,
        ),
        (
            json!({"custom_fields": [{"id": 1, "value": "premium"}]}),
            "custom_fields_1 is not basic",
            true,
        ),
        (
            json!({"custom_fields": [{"id": 1, "value": 12}]}),
            "custom_fields_1 is 12",
            true,
        ),
        (
            json!({"custom_fields": [{"id": 1, "value": 12}]}),
            "custom_fields_1 > 10",
            true,
        ),
        (
            json!({"custom_fields": [{"id": 1, "value": "12"}]}),
            "custom_fields_1 <= 10",
            false,
        ),
        (
            json!({"custom_fields": [{"id": 1, "value": true}]}),
            "custom_fields_1 is true",
            true,
        ),
        (
            json!({"custom_fields": [{"id": 1, "value": ["a", "b"]}]}),
            "custom_fields_1 includes b c",
            true,
        ),
        (
            json!({"custom_fields": [{"id": 1, "value": ["a", "b"]}]}),
            "custom_fields_1 excludes c",
            true,
        ),
        (
            json!({"custom_fields": [{"id": 1, "value": "Late delivery"}]}),
            "custom_fields_1 contains \"late\"",
            true,
        ),
        (
            json!({"custom_fields": [{"id": 1, "value": "x"}]}),
            "custom_fields_1 does not contain \"y\"",
            true,
        ),
        (
            json!({"custom_fields": [{"id": 1, "value": null}]}),
            "custom_fields_1 is not present",
            true,
        ),
        (
            json!({"custom_fields": [{"id": 1, "value": ""}]}),
            "custom_fields_1 is present",
            false,
        ),
        (json!({}), "custom_fields_1 is present", false),
        (
            upd(
                json!({"custom_fields": [{"id": 1, "value": "b"}]}),
                json!({"custom_fields": [{"id": 1, "value": "a"}]}),
            ),
            "custom_fields_1 changed to b",
            true,
        ),
        (
            upd(
                json!({"custom_fields": [{"id": 1, "value": "b"}]}),
                json!({"custom_fields": [{"id": 1, "value": "a"}]}),
            ),
            "custom_fields_1 changed from a",
            true,
        ),
        (
            upd(
                json!({"custom_fields": [{"id": 1, "value": "a"}]}),
                json!({"custom_fields": [{"id": 1, "value": "a"}]}),
            ),
            "custom_fields_1 not changed",
            true,
        ),
        (
            upd(
                json!({"custom_fields": [{"id": 1, "value": "a"}]}),
                json!({"custom_fields": [{"id": 1, "value": "a"}]}),
            ),
            "custom_fields_1 not changed to a",
            true,
        ),
        (
            upd(
                json!({"custom_fields": [{"id": 1, "value": "a"}]}),
                json!({"custom_fields": [{"id": 1, "value": "b"}]}),
            ),
            "custom_fields_1 not changed from b",
            false,
        ),
        // organization fields
        (
            json!({"organization": {"organization_fields": {"plan": "gold"}}}),
            "organization.custom_fields.plan is gold",
            true,
        ),
        (
            json!({"organization": {"organization_fields": {"plan": "gold"}}}),
            "organization.custom_fields.plan is not gold",
            false,
        ),
        (
            json!({}),
            "organization.custom_fields.plan is not present",
            true,
        ),
        (
            json!({"organization": {"organization_fields": {"plan": "Gold plus"}}}),
            "organization.custom_fields.plan contains \"gold\"",
            true,
        ),
    ];
    for (input, when, expected) in cases {
        give(input, when, expected);
    }
}

#[test]
fn groups_all_any_not() {
    let t = json!({"status": "open", "tags": ["a"]});
    give(
        t.clone(),
        "any {\n Status is Solved\n Tags includes a\n }",
        true,
    );
    give(
        t.clone(),
        "not {\n Status is Open\n Tags includes a\n }",
        false,
    );
    give(
        t.clone(),
        "not {\n Status is Open\n Tags includes b\n }",
        true,
    );
    give(t, "Status is Open\n Tags includes b", false);
}

/// Runs `then` on `input` (the trigger's condition always holds) and checks the JSON at
/// `pointer` in the outcome.
pub(super) fn act(input: Value, then: &str, pointer: &str, expected: Value) {
    let out = run(&one("Ticket is Created", then), input.clone());
    assert_eq!(
        out.pointer(pointer),
        Some(&expected),
        "{then} on {input}: {pointer} in {out:#}"
    );
}

#[test]
fn every_action() {
    let messaging = json!({"id": 1, "via": {"id": 75}, "routing_channel": "messaging",
        "assignee_id": 42, "messaging_session": {"state": "active"},
        "requester": {"email": "jo@x.com"}});
    let cases: Vec<(Value, &str, &str, Value)> = vec![
        (json!({}), "Status = Solved", "/ticket/status", json!("solved")),
        (json!({}), "Status = Solved", "/fired/0/changes/0", json!({"field": "status", "from": "new", "to": "solved"})),
        (json!({}), "Priority = High", "/ticket/priority", json!("high")),
        (json!({}), "Type = Incident", "/ticket/type", json!("incident")),
        (json!({}), "Group = 12", "/ticket/group_id", json!(12)),
        (json!({}), "Assignee = 13", "/ticket/assignee_id", json!(13)),
        (json!({"requester_id": 3}), "Assignee = Requester", "/ticket/assignee_id", json!(3)),
        (json!({"ticket": {}, "update": {"actor": {"id": 9, "role": "agent"}}}),
         "Assignee = current user", "/ticket/assignee_id", json!(9)),
        (json!({}), "Form = 14", "/ticket/ticket_form_id", json!(14)),
        (json!({}), "Brand = 15", "/ticket/brand_id", json!(15)),
        (json!({}), "Schedule = 16", "/ticket/schedule_id", json!(16)),
        (json!({"tags": ["a", "b"]}), "Tags = c d", "/ticket/tags", json!(["c", "d"])),
        (json!({"tags": ["a"]}), "Tags += b a", "/ticket/tags", json!(["a", "b"])),
        (json!({"tags": ["a", "b"]}), "Tags -= a", "/ticket/tags", json!(["b"])),
        (json!({"tags": ["a"]}), "Tags += b", "/fired/0/changes/0", json!({"field": "tags", "added": ["b"], "removed": []})),
        (json!({}), "custom_fields_7 = premium", "/ticket/custom_fields/0", json!({"id": 7, "value": "premium"})),
        (json!({"custom_fields": [{"id": 7, "value": 1}]}), "custom_fields_7 = 5", "/ticket/custom_fields/0/value", json!(5)),
        (json!({"custom_fields": [{"id": 7, "value": false}]}), "custom_fields_7 = true", "/ticket/custom_fields/0/value", json!(true)),
        (json!({}), "Satisfaction = Offered", "/ticket/satisfaction_rating/score", json!("offered")),
        (json!({}), "Routing channel = Email", "/ticket/routing_channel", json!("email")),
        (json!({"id": 5, "subject": "Printer"}),
         "notify requester \"#{{ticket.id}}: {{ticket.title}}\" \"{{ticket.status}} {{unknown.thing}}\"",
         "/effects/0", json!({"type": "notification", "trigger": "t", "to": "requester_id",
                              "subject": "#5: Printer", "body": "New {{unknown.thing}}"})),
        (json!({}), "notify 77 \"s\" \"b\"", "/effects/0/to", json!("77")),
        (json!({"group_id": 4}), "notify group 4 \"s\" \"b\"", "/effects/0",
         json!({"type": "group_notification", "trigger": "t", "group": "4", "subject": "s", "body": "b"})),
        (json!({"requester": {"email": "jo@x.com"}}), "webhook 88 \"{\\\"to\\\": \\\"{{ticket.requester.email}}\\\"}\"",
         "/effects/0", json!({"type": "webhook", "trigger": "t", "webhook_id": "88", "body": "{\"to\": \"jo@x.com\"}"})),
        (json!({}), "notify target 89 \"m\"", "/effects/0",
         json!({"type": "target", "trigger": "t", "target_id": "89", "message": "m"})),
        (json!({}), "public reply \"Hi\"", "/effects/0", json!({"type": "reply", "trigger": "t", "public": true, "body": "Hi"})),
        (json!({}), "internal note \"Hm\"", "/effects/0", json!({"type": "reply", "trigger": "t", "public": false, "body": "Hm"})),
        (json!({}), "side conversation ticket 7 \"S\" \"B\"", "/effects/0",
         json!({"type": "side_conversation", "trigger": "t", "group": "7", "subject": "S", "body": "B"})),
        // CSAT
        (messaging.clone(), "send CSAT", "/effects/0", json!({"type": "csat_survey", "trigger": "t", "channel": "messaging", "delivered": true})),
        (messaging.clone(), "send CSAT", "/ticket/satisfaction_rating/score", json!("offered")),
        (json!({"messaging_session": {"state": "ended"}}), "send CSAT", "/effects/0/delivered", json!(false)),
        (json!({"messaging_session": {"state": "ended"}}), "send CSAT", "/fired/0/changes", json!([])),
        (json!({"via": {"id": 4}}), "send CSAT", "/effects/0/reason", json!("the ticket is not a messaging conversation")),
        (json!({"requester": {"email": "jo@x.com"}}), "send CSAT by email", "/effects/0/delivered", json!(true)),
        (json!({}), "send CSAT by email", "/effects/0/reason", json!("the requester has no email address")),
        (json!({"requester": {"email": " "}}), "send CSAT by email", "/effects/0/delivered", json!(false)),
        (json!({"satisfaction_rating": {"score": "good"}}), "send CSAT by email", "/ticket/satisfaction_rating/score", json!("good")),
        // routing channel Email by action
        (messaging.clone(), "Routing channel = Email", "/fired/0/changes/0",
         json!({"field": "routing_channel", "from": "messaging", "to": "email"})),
    ];
    for (input, then, pointer, expected) in cases {
        act(input, then, pointer, expected);
    }
}

#[test]
fn send_message_is_a_messaging_action() {
    let text = "messaging trigger \"m\" {\n  when all {\n    Channel is Messaging\n  }\n  then {\n    send message \"Hello {{ticket.id}}\"\n  }\n}\n";
    let out = run(
        text,
        json!({"ticket": {"id": 3, "via": {"id": 75}},
        "update": {"conversation_event": "message_sent"}}),
    );
    assert_eq!(
        out["effects"][0],
        json!({"type": "message", "trigger": "m", "body": "Hello 3"})
    );
}

#[test]
fn a_cycle_on_a_snapshot_is_the_outcome_before_it_is_written() {
    let text = one("Tags includes vip", "Priority = Urgent\n    Tags += seen\n    notify requester \"#{{ticket.id}}\" \"{{ticket.tags}}\"");
    let engine = compile(&text);
    let e = event(json!({"id": 3, "tags": ["vip"], "url": "u"}));
    let snapshot = Snapshot::new(&e);
    let cycle = engine.cycle(&snapshot);
    assert_eq!(cycle.fired().len(), 1);
    assert_eq!(cycle.passes(), 2);
    // Placeholders wait for the final ticket.
    assert_eq!(json!(cycle.effects())[0]["subject"], "#{{ticket.id}}");
    let outcome = cycle.into_outcome();
    assert_eq!(json!(outcome.effects)[0]["body"], "vip seen");
    assert_eq!(json!(&outcome), json!(engine.run(&e)));
    assert_eq!(
        json!(outcome.ticket),
        json!({"id": 3, "status": "new", "priority": "urgent", "tags": ["vip", "seen"], "url": "u"})
    );
    // The snapshot is not used up: a second cycle decides the same.
    assert_eq!(engine.cycle(&snapshot).fired(), outcome.fired);
}

#[test]
fn a_cycle_that_changes_nothing_shares_the_event_ticket() {
    let engine = compile(&one("Tags includes vip", "Priority = Urgent"));
    let e = event(json!({"id": 3, "tags": ["other"]}));
    let outcome = engine.cycle(&Snapshot::new(&e)).into_outcome();
    assert!(outcome.fired.is_empty());
    assert!(std::sync::Arc::ptr_eq(&outcome.ticket, &e.ticket));
}

fn messaging_ticket() -> Value {
    json!({"id": 1, "status": "open", "via": {"id": 75}, "routing_channel": "messaging",
           "assignee_id": 42, "messaging_session": {"state": "active"}})
}

#[test]
fn end_session_action() {
    let text = one("Channel is Messaging", "End session");
    let out = run(&text, messaging_ticket());
    let t = &out["ticket"];
    assert_eq!(t["messaging_session"]["state"], "ended");
    assert_eq!(t["messaging_session"]["end_reason"], "ended_by_trigger");
    assert_eq!(t["routing_channel"], "email");
    assert_eq!(t["status"], "open", "the status does not change");
    assert_eq!(
        out["effects"],
        json!([
            {"type": "session_ended", "trigger": "t", "by": "ended_by_trigger"},
            {"type": "capacity_released", "trigger": "t", "agent_id": 42, "channel": "messaging"},
            {"type": "history", "trigger": "t", "event": "end_session"},
        ]),
        "no message to the end user, no removed_from_queue"
    );
    // Unassigned: no capacity to release.
    let mut unassigned = messaging_ticket();
    unassigned["assignee_id"] = Value::Null;
    let out = run(&text, unassigned);
    assert!(!out["effects"].to_string().contains("capacity_released"));
}

#[test]
fn messaging_triggers_stop_once_the_session_ended() {
    let text = format!(
        "{}\nmessaging trigger \"m\" {{\n  when all {{\n    Channel is Messaging\n  }}\n  then {{\n    send message \"hi\"\n  }}\n}}\n{}",
        one("Channel is Messaging", "End session"),
        "trigger \"after\" {\n  when all {\n    Channel is Messaging\n  }\n  then {\n    Tags += after\n  }\n}\n"
    );
    let out = run(
        &text,
        json!({"ticket": messaging_ticket(),
        "update": {"conversation_event": "message_sent"}}),
    );
    let titles: Vec<&str> = out["fired"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["trigger"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["t", "after"],
        "ticket triggers still run, messaging ones do not"
    );
}

#[test]
fn messaging_triggers_need_their_event_and_run_once_per_ticket() {
    let text = "messaging trigger \"m\" {\n  on Message sent\n  once per ticket\n  when all {\n    Channel is Messaging\n  }\n  then {\n    send message \"hi\"\n  }\n}\n";
    let engine = compile(text);
    let no_event = engine.run(&event(messaging_ticket()));
    assert!(
        no_event.fired.is_empty(),
        "no conversation event: no messaging trigger"
    );
    let other = engine.run(&event(json!({"ticket": messaging_ticket(),
        "update": {"conversation_event": "added_to_queue"}})));
    assert!(other.fired.is_empty(), "not one of its events");
    let first = engine.run(&event(json!({"ticket": messaging_ticket(),
        "update": {"conversation_event": "message_sent"}})));
    assert_eq!(first.fired.len(), 1);
    assert_eq!(first.ticket.extra.read(ONCE_MARKER), Some(json!(["m"])));
    let again = engine.run(&event(json!({"ticket": json!(first.ticket),
        "update": {"conversation_event": "message_sent"}})));
    assert!(again.fired.is_empty(), "once per ticket");
}

#[test]
fn ticket_triggers_run_on_conversation_events_too() {
    let out = run(
        &one("Channel is Messaging", "Tags += seen"),
        json!({"ticket": messaging_ticket(), "update": {"conversation_event": "message_sent"}}),
    );
    assert_eq!(out["fired"].as_array().unwrap().len(), 1);
}

fn agent_ended(route_as_email: bool) -> Value {
    let mut t = messaging_ticket();
    t["messaging_session"] = json!({"state": "ended", "end_reason": "ended_by_agent"});
    json!({"ticket": t, "previous": messaging_ticket(),
           "update": {"session": "ended_by_agent"},
           "account": {"agent_ended_sessions_route_as_email": route_as_email}})
}

#[test]
fn agent_ended_session_routes_as_email_when_the_account_says_so() {
    // The routing change happens before triggers run: a trigger sees Email.
    let out = run(
        &one("Routing channel is Email", "Tags += routed"),
        agent_ended(true),
    );
    assert_eq!(out["ticket"]["routing_channel"], "email");
    assert_eq!(out["fired"].as_array().unwrap().len(), 1);
    let effects = out["effects"].to_string();
    assert!(effects.contains("\"agent_id\":42"), "{effects}");
    assert!(!effects.contains("removed_from_queue"), "{effects}");
}

#[test]
fn agent_ended_session_stays_messaging_and_leaves_the_queue() {
    let out = run(
        &one("Tags includes nothing", "Tags += x"),
        agent_ended(false),
    );
    assert_eq!(out["ticket"]["routing_channel"], "messaging");
    assert_eq!(
        out["effects"],
        json!([
            {"type": "session_ended", "trigger": null, "by": "ended_by_agent"},
            {"type": "capacity_released", "trigger": null, "agent_id": 42, "channel": "messaging"},
            {"type": "removed_from_queue", "trigger": null,
             "reason": "the messaging session ended and the routing channel is still messaging"},
        ])
    );
    // Unless a trigger of the same cycle routes it as email.
    let out = run(
        &one(
            "Session end reason changed to Ended by agent",
            "Routing channel = Email",
        ),
        agent_ended(false),
    );
    assert_eq!(out["ticket"]["routing_channel"], "email");
    assert!(!out["effects"].to_string().contains("removed_from_queue"));
}

#[test]
fn the_csat_recipe_reaches_agent_ended_sessions_by_email_only() {
    let standard = one(
        "Channel is Messaging\n Status category changed to Solved\n Satisfaction is Unoffered",
        "send CSAT",
    );
    let mut e = agent_ended(false);
    e["ticket"]["status"] = json!("solved");
    let out = run(&standard, e.clone());
    assert_eq!(out["effects"][2]["delivered"], false, "{out:#}");
    assert!(out["ticket"]["satisfaction_rating"].is_null());
    let fix = "trigger \"fix\" {\n  when all {\n    Canal is Messagerie\n    Satisfaction is Unoffered\n    any {\n      Status category changed to Solved\n      Raison de fin de session changed to Ended by agent\n    }\n  }\n  then {\n    send CSAT by email\n  }\n}\n";
    e["ticket"]["requester"] = json!({"email": "jo@x.com"});
    let out = run(fix, e);
    assert_eq!(out["ticket"]["satisfaction_rating"]["score"], "offered");
}

#[test]
fn a_new_message_after_the_end_starts_a_new_session() {
    let mut t = messaging_ticket();
    t["messaging_session"]["state"] = json!("ended");
    let out = run(
        &one("Channel is Messaging", "Tags += x"),
        json!({"ticket": t, "previous": t, "update": {"session": "end_user_message"}}),
    );
    assert_eq!(out["skipped"]["reason"], "new_session_started");
    assert_eq!(out["effects"][0]["type"], "new_session");
    assert!(out["fired"].as_array().unwrap().is_empty());
    // On a running session it is an ordinary update.
    let out = run(
        &one("Channel is Messaging", "Tags += x"),
        json!({"ticket": messaging_ticket(), "previous": messaging_ticket(),
               "update": {"session": "end_user_message"}}),
    );
    assert!(out.get("skipped").is_none());
}

#[test]
fn closed_tickets_run_nothing_but_the_closing_update_does() {
    let text = one("Status is Closed", "Tags += x");
    let out = run(
        &text,
        json!({"ticket": {"status": "closed"}, "previous": {"status": "closed"}}),
    );
    assert_eq!(out["skipped"]["reason"], "ticket_closed");
    let out = run(
        &text,
        json!({"ticket": {"status": "closed"}, "previous": {"status": "solved"}}),
    );
    assert_eq!(out["fired"].as_array().unwrap().len(), 1);
}

fn state_at(ticket: Value, minutes_silent: i64, account: Value) -> Value {
    let mut t = ticket;
    t["messaging_session"] = json!({"state": "active",
        "last_end_user_activity_at": "2024-05-06T10:00:00Z"});
    let time = crate::model::Timestamp::from_second(1_714_989_600 + minutes_silent * 60).unwrap();
    let out = run(
        &one("Ticket is Created", "internal note \"x\""),
        json!({"ticket": t, "update": {"time": time}, "account": account}),
    );
    out["ticket"]["messaging_session"]["state"].clone()
}

#[test]
fn session_state_from_time() {
    let open = json!({"status": "open"});
    let assigned = json!({"status": "open", "assignee_id": 1});
    let thirty = json!({"messaging_inactivity_minutes": 30});
    assert_eq!(state_at(open.clone(), 9, json!({})), "active");
    assert_eq!(state_at(open.clone(), 10, json!({})), "inactive");
    assert_eq!(
        state_at(open.clone(), 20, thirty.clone()),
        "inactive",
        "unassigned: always 10"
    );
    assert_eq!(
        state_at(assigned.clone(), 20, thirty.clone()),
        "active",
        "assigned: the setting"
    );
    assert_eq!(state_at(assigned, 30, thirty), "inactive");
    assert_eq!(
        state_at(json!({"status": "pending"}), 0, json!({})),
        "inactive",
        "status not New/Open"
    );
    // Ended always wins; without a time the snapshot is used as given.
    let t = json!({"messaging_session": {"state": "ended"}});
    let out = run(
        &one("Session state is Ended", "Tags += e"),
        json!({"ticket": t, "update": {"time": "2024-05-06T10:00:00Z"}}),
    );
    assert_eq!(out["fired"].as_array().unwrap().len(), 1);
    give(
        json!({"status": "pending", "messaging_session": {"state": "active"}}),
        "Session state is Active",
        true,
    );
}

#[test]
fn inactive_recipe_sees_the_derived_state() {
    let text = one("Status category is Open\n Session state changed to Inactive\n Session inactive reason is User inactive or offline",
        "Status = Solved\n Tags += abandoned_conversation");
    let prev = json!({"status": "open", "messaging_session": {"state": "active"}});
    let mut now = prev.clone();
    now["messaging_session"]["last_end_user_activity_at"] = json!("2024-05-06T10:00:00Z");
    let out = run(
        &text,
        json!({"ticket": now, "previous": prev, "update": {"time": "2024-05-06T10:15:00Z"}}),
    );
    assert_eq!(out["ticket"]["status"], "solved", "{out:#}");
}

#[test]
fn the_cycle_restarts_and_later_triggers_see_changes() {
    // "b" is checked before "a" fires in pass 1, so it fires in pass 2.
    let text = format!(
        "{}{}",
        one("Tags includes a", "Tags += b").replace("\"t\"", "\"b\""),
        one("Ticket is Created", "Tags += a").replace("\"t\"", "\"a\"")
    );
    let out = compile(&text).run(&event(json!({})));
    let fired: Vec<(&str, u32)> = out.fired.iter().map(|f| (&*f.trigger, f.pass)).collect();
    assert_eq!(fired, [("a", 1), ("b", 2)]);
    assert_eq!(out.passes, 3, "the last pass fires nothing");
}

#[test]
fn the_events_ticket_is_copied_only_when_the_cycle_changes_it() {
    use crate::model::{Priority, SessionState};
    use std::sync::Arc;
    let engine = compile(&one("Tags includes vip", "Priority = Urgent"));
    let quiet = event(json!({"tags": ["other"]}));
    let out = engine.run(&quiet);
    assert!(Arc::ptr_eq(&out.ticket, &quiet.ticket), "nothing changed");

    let vip = event(json!({"tags": ["vip"], "priority": "low"}));
    let out = engine.run(&vip);
    assert_eq!(out.ticket.priority, Some(Priority::Urgent));
    assert_eq!(
        vip.ticket.priority,
        Some(Priority::Low),
        "the event keeps its ticket"
    );

    // Deriving the session's state is a change too.
    let pending = event(json!({"ticket": {"status": "pending",
        "messaging_session": {"state": "active"}}, "update": {"time": "2024-05-06T10:00:00Z"}}));
    let out = engine.run(&pending);
    let state = |t: &crate::model::Ticket| t.messaging_session.as_ref().and_then(|s| s.state);
    assert_eq!(state(&out.ticket), Some(SessionState::Inactive));
    assert_eq!(state(&pending.ticket), Some(SessionState::Active));
}

#[test]
fn pass_limit_is_reported() {
    let text = format!(
        "{}{}",
        one("Tags includes a", "Tags += b").replace("\"t\"", "\"b\""),
        one("Ticket is Created", "Tags += a").replace("\"t\"", "\"a\"")
    );
    let out = compile(&text).with_pass_limit(1).run(&event(json!({})));
    assert_eq!(out.passes, 1);
    assert_eq!(
        json!(out.effects.last()),
        json!({"type": "pass_limit_reached", "trigger": null, "passes": 1})
    );
    assert_eq!(out.warnings[0].code, "pass_limit");
}

#[test]
fn inactive_triggers_are_left_out() {
    let text = "trigger \"off\" {\n  active false\n  when all {\n    Ticket is Created\n  }\n  then {\n    Tags += x\n  }\n}\n";
    let engine = compile(text);
    assert_eq!(engine.titles().count(), 0);
    assert!(engine.run(&event(json!({}))).fired.is_empty());
}

#[test]
fn hand_built_rule_sets_are_checked() {
    use crate::catalog::fields::{get, FieldRef};
    use crate::check::rules::{Condition, Operand, Test};
    let mut rules = crate::check(&[crate::Source::new(
        "t.declic",
        one("Ticket is Created", "Tags += x"),
    )])
    .into_result()
    .expect("checks");
    rules.triggers[0].conditions = Condition::Test(Test {
        field: FieldRef::Known(get(crate::catalog::fields::FieldKey::Tags)),
        op: crate::catalog::Op::Less,
        value: Operand::None,
        lang: crate::catalog::Lang::En,
        span: Default::default(),
    });
    assert!(matches!(
        Compiled::new(&rules),
        Err(CompileError::OperatorNotAllowed { .. })
    ));
    let mut deep = Condition::All(vec![]);
    for _ in 0..=MAX_DEPTH {
        deep = Condition::All(vec![deep]);
    }
    rules.triggers[0].conditions = deep;
    assert!(matches!(
        Compiled::new(&rules),
        Err(CompileError::TooDeep { .. })
    ));
}

#[test]
fn enumeration_codes_agree_with_the_catalog() {
    // Every catalog value compiles to a code the evaluator reads from the model.
    use crate::catalog::fields::FIELDS;
    use crate::catalog::Domain;
    for f in FIELDS {
        if let Domain::Enum { values, .. } = f.domain {
            for v in values {
                let when = format!("\"{}\" is \"{}\"", f.names.api, v.names.en[0]);
                let text = one(&when, "Tags += x");
                if let Ok(rules) =
                    crate::check(&[crate::Source::new("t.declic", text.as_str())]).into_result()
                {
                    Compiled::new(&rules).unwrap_or_else(|e| panic!("{when}: {e}"));
                }
            }
        }
    }
}

#[test]
fn placeholders() {
    let t: crate::model::Ticket = serde_json::from_value(json!({"id": 9, "subject": "S",
        "status": "hold", "priority": "urgent", "tags": ["a", "b"],
        "requester": {"email": "e@x"}}))
    .unwrap();
    assert_eq!(
        render("{{ticket.id}} {{ ticket.title }} {{ticket.status}} {{ticket.priority}} {{ticket.tags}} {{ticket.requester.email}} {{nope}} {{open", &t),
        "9 S On-hold Urgent a b e@x {{nope}} {{open"
    );
}

// Properties of the cycle, on rule sets drawn from a small pool of lines.

const WHEN: &[&str] = &[
    "Ticket is Created",
    "Tags includes a",
    "Tags excludes b",
    "Status is Open",
    "Priority < High",
    "Group is present",
    "Status changed",
    "Tags includes c",
];
const THEN: &[&str] = &[
    "Tags += a",
    "Tags += b",
    "Tags -= a",
    "Status = Open",
    "Status = Pending",
    "Priority = High",
    "Group = 1",
    "Tags += c",
    "notify requester \"s\" \"{{ticket.status}}\"",
];

fn rule_set(picks: &[(usize, usize)]) -> String {
    picks
        .iter()
        .enumerate()
        .map(|(i, (w, t))| one(WHEN[*w], THEN[*t]).replace("\"t\"", &format!("\"t{i}\"")))
        .collect()
}

proptest! {
    #[test]
    fn the_cycle_terminates_fires_once_and_is_deterministic(
        picks in prop::collection::vec((0..WHEN.len(), 0..THEN.len()), 1..12),
        status in prop::sample::select(vec!["new", "open", "pending"]),
    ) {
        let engine = compile(&rule_set(&picks));
        let e = event(json!({"ticket": {"status": status}}));
        let out = engine.run(&e);
        prop_assert!(out.passes as usize <= picks.len() + 1);
        prop_assert!(out.warnings.is_empty());
        let mut titles: Vec<&str> = out.fired.iter().map(|f| &*f.trigger).collect();
        titles.sort_unstable();
        let n = titles.len();
        titles.dedup();
        prop_assert_eq!(titles.len(), n, "a trigger fired twice");
        prop_assert_eq!(engine.run(&e), out);
    }

    #[test]
    fn explaining_changes_nothing_and_agrees_with_the_outcome(
        picks in prop::collection::vec((0..WHEN.len(), 0..THEN.len()), 1..12),
        status in prop::sample::select(vec!["new", "open", "pending"]),
    ) {
        let engine = compile(&rule_set(&picks));
        let e = event(json!({"ticket": {"status": status}}));
        let explained = engine.explain(&e, None).expect("no filter");
        prop_assert_eq!(&explained.outcome, &engine.run(&e));
        let fired: Vec<(String, u32)> = explained
            .passes
            .iter()
            .flat_map(|p| p.triggers.iter().map(move |t| (t, p.number)))
            .filter(|(t, _)| t.verdict == Verdict::Fired)
            .map(|(t, n)| (t.trigger.clone(), n))
            .collect();
        let expected: Vec<(String, u32)> =
            explained.outcome.fired.iter().map(|f| (f.trigger.to_string(), f.pass)).collect();
        prop_assert_eq!(fired, expected);
        for pass in &explained.passes {
            for looked in &pass.triggers {
                // The tree's verdict is the trigger's.
                let holds = looked.conditions.as_ref().map(|c| c.holds);
                match looked.verdict {
                    Verdict::Fired => prop_assert_eq!(holds, Some(true)),
                    Verdict::NotMatched => prop_assert_eq!(holds, Some(false)),
                    _ => prop_assert_eq!(holds, None),
                }
            }
        }
    }

    #[test]
    fn triggers_on_disjoint_fields_commute(
        a in 0..3usize, b in 0..3usize, tags in prop::sample::subsequence(vec!["x", "y"], 0..2),
    ) {
        // One trigger reads and writes tags only; the other the status and group only.
        let tag_rule = [("Tags includes x", "Tags += z"), ("Tags excludes y", "Tags -= x"),
            ("Tags includes y", "Tags += x")][a];
        let status_rule = [("Status is New", "Status = Open"), ("Status < Pending", "Group = 3"),
            ("Group is not present", "Status = Hold")][b];
        let t1 = one(tag_rule.0, tag_rule.1).replace("\"t\"", "\"tags\"");
        let t2 = one(status_rule.0, status_rule.1).replace("\"t\"", "\"status\"");
        let e = event(json!({"ticket": {"tags": tags}}));
        let one_way = compile(&format!("{t1}{t2}")).run(&e);
        let other = compile(&format!("{t2}{t1}")).run(&e);
        prop_assert_eq!(&one_way.ticket, &other.ticket);
        let fired = |o: &crate::model::Outcome| {
            let mut f: Vec<String> = o.fired.iter().map(|f| f.trigger.to_string()).collect();
            f.sort();
            f
        };
        prop_assert_eq!(fired(&one_way), fired(&other));
    }
}

#[test]
fn explain_shows_each_test_with_the_value_it_saw() {
    let engine = compile(concat!(
        "déclencheur \"fr\" {\n quand tous {\n  Statut est Résolu\n  Tags inclut vip\n }\n",
        " alors {\n  Priorité = Urgente\n }\n}\n",
        "trigger \"en\" {\n when any {\n  Status changed to Open\n  Group is present\n }\n",
        " then {\n  Tags += seen\n }\n}\n",
    ));
    let e = event(json!({
        "ticket": {"status": "open", "tags": ["vip"]},
        "previous": {"status": "new"},
    }));
    let explained = engine.explain(&e, None).expect("no filter");
    let first = &explained.passes[0].triggers;
    assert_eq!(first[0].verdict, Verdict::NotMatched);
    let fr = first[0].conditions.as_ref().expect("evaluated");
    let tests: Vec<(&str, &str, bool)> = fr
        .members
        .iter()
        .map(|n| {
            (
                n.test.as_deref().unwrap(),
                n.seen.as_deref().unwrap(),
                n.holds,
            )
        })
        .collect();
    assert_eq!(
        tests,
        [
            ("Statut est Résolu", "Ouvert", false),
            ("Tags inclut vip", "vip", true)
        ]
    );
    let en = first[1].conditions.as_ref().expect("evaluated");
    assert_eq!(en.kind, NodeKind::Any);
    assert_eq!(en.members[0].seen.as_deref(), Some("New → Open"));
    assert_eq!(en.members[1].seen.as_deref(), Some("(none)"));
    assert_eq!(first[1].verdict, Verdict::Fired);
    // The second pass sees the first pass's changes and skips what fired.
    let second = &explained.passes[1].triggers;
    assert_eq!(second[1].verdict, Verdict::AlreadyFired);
    assert!(second[1].conditions.is_none());
}

#[test]
fn explain_keeps_one_trigger_when_asked_and_names_why_messaging_triggers_did_not_run() {
    let engine = compile(concat!(
        "trigger \"ticket\" {\n when all {\n  Status is Open\n }\n then {\n  Tags += a\n }\n}\n",
        "messaging trigger \"greet\" {\n on message sent\n when all {\n  Channel is Messaging\n }\n",
        " then {\n  send message \"hi\"\n }\n}\n",
    ));
    let e = event(json!({"ticket": {"status": "open"}}));
    let only = engine.explain(&e, Some("greet")).expect("a trigger");
    assert!(only.passes.iter().all(|p| p.triggers.len() == 1));
    assert_eq!(
        only.passes[0].triggers[0].verdict,
        Verdict::Blocked(Blocked::NoConversationEvent)
    );
    assert!(engine.explain(&e, Some("nope")).is_none());
}

/// Conditions the index files triggers under, and others it cannot.
const INDEXED_WHEN: &[&str] = &[
    "Status is Open",
    "Status is Pending",
    "Group is 1",
    "Group is 2",
    "Tags includes a",
    "Tags includes b",
    "Channel is Email",
    "Ticket is Created",
    "Ticket is Updated",
    "Form is 9",
    "Priority is High",
    "Tags excludes a",
];
/// Actions that change what the index looks up, so later triggers of a pass need it again.
const INDEXED_THEN: &[&str] = &[
    "Status = Open",
    "Status = Pending",
    "Group = 1",
    "Group = 2",
    "Tags += a",
    "Tags += b",
    "Tags -= a",
    "Priority = High",
    "Form = 9",
];

fn indexed_rule_set(triggers: &[(usize, usize, usize, bool)]) -> String {
    two_test_rule_set(triggers, INDEXED_WHEN, INDEXED_THEN)
}

/// Triggers `t0`, `t1`... each testing two of `when` (all or any of them) and doing one of
/// `then`, as `(when, when, then, any)` picks them.
pub(super) fn two_test_rule_set(
    triggers: &[(usize, usize, usize, bool)],
    when: &[&str],
    then: &[&str],
) -> String {
    triggers
        .iter()
        .enumerate()
        .map(|(i, (w1, w2, t, any))| {
            let group = if *any { "any" } else { "all" };
            format!(
                "trigger \"t{i}\" {{\n  when {group} {{\n    {}\n    {}\n  }}\n  then {{\n    {}\n  }}\n}}\n",
                when[*w1], when[*w2], then[*t]
            )
        })
        .collect()
}

proptest! {
    /// Neither the index nor passing over triggers whose verdict is known changes an
    /// outcome: `explain` evaluates every trigger of every pass, the plain cycle.
    #[test]
    fn the_index_and_known_verdicts_change_no_outcome(
        triggers in prop::collection::vec(
            (0..INDEXED_WHEN.len(), 0..INDEXED_WHEN.len(), 0..INDEXED_THEN.len(), prop::bool::ANY),
            1..80,
        ),
        status in prop::sample::select(vec!["new", "open", "pending"]),
        group in prop::option::of(1u64..3),
        tags in prop::sample::subsequence(vec!["a", "b", "A"], 0..3),
        channel in prop::sample::select(vec![4u32, 0, 75]),
        created in prop::bool::ANY,
    ) {
        let text = indexed_rule_set(&triggers);
        let on = compile(&text).indexed(true);
        let off = compile(&text).indexed(false);
        let ticket = json!({"status": status, "group_id": group, "tags": tags, "via": {"id": channel}});
        let e = if created {
            event(json!({"ticket": ticket}))
        } else {
            event(json!({"ticket": ticket, "previous": {"status": "new"}}))
        };
        let plain = off.explain(&e, None).expect("no filter").outcome;
        prop_assert_eq!(on.run(&e), off.run(&e));
        prop_assert_eq!(off.run(&e), plain);
        // A snapshot with its own tags decides what the event's borrowed ones do.
        prop_assert_eq!(on.cycle(&Snapshot::new(&e)).into_outcome(), on.run(&e));
    }
}

/// How a generated trigger runs: a ticket trigger, or a messaging trigger on messages
/// (`once per ticket` or not), which the cycle may find blocked.
const KINDS: &[&str] = &["trigger", "messaging trigger", "messaging trigger"];

fn mixed_rule_set(triggers: &[(usize, usize, usize)]) -> String {
    let then = |t: usize| match t {
        0 => "End messaging session",
        t => INDEXED_THEN[t - 1],
    };
    triggers
        .iter()
        .enumerate()
        .map(|(i, (kind, when, t))| {
            let head = match kind {
                0 => String::new(),
                1 => "  on message sent\n".to_owned(),
                _ => "  on message sent\n  once per ticket\n".to_owned(),
            };
            format!(
                "{} \"t{i}\" {{\n{head}  when all {{\n    {}\n  }}\n  then {{\n    {}\n  }}\n}}\n",
                KINDS[*kind],
                INDEXED_WHEN[*when],
                then(*t)
            )
        })
        .collect()
}

proptest! {
    /// The same with messaging triggers, which a session ended earlier in the cycle, a
    /// missing conversation event or their once-per-ticket mark blocks.
    #[test]
    fn known_verdicts_of_blocked_triggers_change_no_outcome(
        triggers in prop::collection::vec(
            (0..KINDS.len(), 0..INDEXED_WHEN.len(), 0..=INDEXED_THEN.len()),
            1..40,
        ),
        status in prop::sample::select(vec!["new", "open", "pending"]),
        tags in prop::sample::subsequence(vec!["a", "b"], 0..2),
        message in prop::bool::ANY,
        ended in prop::bool::ANY,
    ) {
        let text = mixed_rule_set(&triggers);
        let state = if ended { "ended" } else { "active" };
        let update = if message {
            json!({"conversation_event": "message_sent"})
        } else {
            json!({})
        };
        let e = event(json!({
            "ticket": {"status": status, "tags": tags, "via": {"id": 75},
                       "messaging_session": {"state": state}},
            "previous": {"status": "new"},
            "update": update,
        }));
        for on in [true, false] {
            let engine = compile(&text).indexed(on);
            let plain = engine.explain(&e, None).expect("no filter").outcome;
            prop_assert_eq!(engine.run(&e), plain);
            let stored = engine.cycle(&Snapshot::new(&e)).into_outcome();
            prop_assert_eq!(stored, engine.run(&e));
        }
    }
}

#[test]
fn the_index_files_a_trigger_under_all_its_required_codes() {
    let text = indexed_rule_set(&[
        (2, 6, 0, false), // Group is 1, Channel is Email
        (3, 6, 0, false), // Group is 2, Channel is Email
        (2, 2, 0, false), // Group is 1
        (6, 8, 0, false), // Channel is Email, Ticket is Updated
    ]);
    let engine = compile(&text).indexed(true);
    let index = engine.index.as_ref().expect("indexed");
    let candidates = |ticket: Value| {
        let e = event(json!({"ticket": ticket, "previous": {}}));
        let snapshot = Snapshot::new(&e);
        index.candidates(&snapshot.ticket, &snapshot, 0)
    };
    assert_eq!(
        candidates(json!({"group_id": 1, "via": {"id": 4}})),
        [0, 2, 3]
    );
    assert_eq!(candidates(json!({"group_id": 1, "via": {"id": 0}})), [2]);
    assert_eq!(candidates(json!({"via": {"id": 4}})), [3]);
}

/// The session's inactive reason after a timed update, from a snapshot that carried one.
fn reason_at(status: &str, minutes_silent: i64, carried: &str) -> Value {
    let time = crate::model::Timestamp::from_second(1_714_989_600 + minutes_silent * 60).unwrap();
    let ticket = json!({"status": status, "messaging_session": {"state": "inactive",
        "inactive_reason": carried, "last_end_user_activity_at": "2024-05-06T10:00:00Z"}});
    let out = run(
        &one("Ticket is Created", "internal note \"x\""),
        json!({"ticket": ticket, "update": {"time": time}}),
    );
    out["ticket"]["messaging_session"]["inactive_reason"].clone()
}

#[test]
fn the_inactive_reason_follows_the_cause_not_the_snapshot() {
    // Inactive by a status change, then the customer wrote (open again) and went silent.
    assert_eq!(
        reason_at("open", 13, "status_changed"),
        "user_inactive_or_offline"
    );
    // Back and talking: active, no reason left over.
    assert_eq!(
        reason_at("open", 2, "user_inactive_or_offline"),
        Value::Null
    );
    // The customer is there but the agent set Pending: the status is the cause.
    assert_eq!(
        reason_at("pending", 2, "user_inactive_or_offline"),
        "status_changed"
    );
}
