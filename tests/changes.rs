//! `Compiled::changes`, the run that reports what changed without the ticket, reads of an
//! event only what the rules may look at. Whatever it skips, it must decide exactly what
//! the whole run decides: these tests hold it to `Compiled::run` on every rule set of the
//! repository and on generated events that vary every key the rules read.

use std::path::{Path, PathBuf};

use declic::engine::Compiled;
use declic::model::{Changes, Event};
use proptest::prelude::*;
use serde_json::{json, Value};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Rules that read what the skipping leaves out unless a rule reads it, one trigger each:
/// `changed` tests on the fields of the ticket before the update, the subject,
/// organization and requester fields, a date field counted from the update.
const READERS: &str = r#"
trigger "solved_now" {
  when all {
    Status category changed to Solved
  }
  then {
    Tags += solved_now
  }
}

trigger "priority_changed" {
  when all {
    Priority changed
  }
  then {
    Tags += priority_changed
  }
}

trigger "group_changed" {
  when all {
    Group changed
  }
  then {
    Tags += group_changed
  }
}

trigger "assignee_changed" {
  when all {
    Assignee changed from 361000000001
  }
  then {
    Tags += assignee_changed
  }
}

trigger "form_changed" {
  when all {
    Form changed
  }
  then {
    Tags += form_changed
  }
}

trigger "brand_changed" {
  when all {
    Brand changed
  }
  then {
    Tags += brand_changed
  }
}

trigger "channel_changed" {
  when all {
    Channel changed
  }
  then {
    Tags += channel_changed
  }
}

trigger "satisfaction_changed" {
  when all {
    Satisfaction changed
  }
  then {
    Tags += satisfaction_changed
  }
}

trigger "type_changed" {
  when all {
    Type changed
  }
  then {
    Tags += type_changed
  }
}

trigger "routing_changed" {
  when all {
    Routing channel changed
  }
  then {
    Tags += routing_changed
  }
}

trigger "session_changed" {
  when all {
    Messaging session state changed to Inactive
  }
  then {
    Tags += session_changed
  }
}

trigger "refund" {
  when all {
    Subject contains refund
  }
  then {
    Tags += refund
  }
}

trigger "custom_changed" {
  when all {
    custom_fields_360001 changed
  }
  then {
    Tags += custom_changed
  }
}

trigger "gold" {
  when all {
    organization.custom_fields.plan is gold
  }
  then {
    Tags += gold
  }
}

trigger "vip" {
  when all {
    requester.custom_fields.tier is vip
  }
  then {
    Tags += vip
  }
}

trigger "Follow up in three days" {
  when all {
    Status is Pending
  }
  then {
    custom_fields_360002 = in 3 days
  }
}
"#;

/// The rule sets: the recipes, the valid corpus, and the readers above.
fn rule_sets() -> Vec<(String, Compiled)> {
    let mut paths: Vec<PathBuf> = ["recipes/fr", "recipes/en"]
        .iter()
        .map(|p| root().join(p))
        .collect();
    let corpus = std::fs::read_dir(root().join("tests/corpus/valid")).expect("the corpus");
    paths.extend(corpus.map(|e| e.expect("an entry").path()));
    let mut sets: Vec<(String, Compiled)> = paths
        .iter()
        .map(|path| {
            let rules = declic::check_path(path)
                .into_result()
                .expect("the rules check");
            let name = path
                .strip_prefix(root())
                .unwrap_or(path)
                .display()
                .to_string();
            (name, Compiled::new(&rules).expect("the rules compile"))
        })
        .collect();
    let readers = declic::check(&[declic::Source::new("readers.declic", READERS)]);
    let readers = readers.into_result().expect("the readers check");
    sets.push(("readers".into(), Compiled::new(&readers).expect("compiles")));
    sets
}

/// What the whole run decides for `text`, without the ticket.
fn whole(engine: &Compiled, text: &str) -> Result<Changes, String> {
    let event = Event::from_json(text).map_err(|e| e.to_string())?;
    Ok(Changes::from(engine.run(&event)))
}

fn same_decisions(sets: &[(String, Compiled)], text: &str, name: &str) {
    for (rules, engine) in sets {
        let changes = engine.changes(text).map_err(|e| e.to_string());
        assert_eq!(changes, whole(engine, text), "{rules} on {name}");
    }
}

#[test]
fn the_sample_events_change_the_same_under_every_rule_set() {
    let sets = rule_sets();
    let events = std::fs::read_dir(root().join("events")).expect("the sample events");
    let mut read = 0;
    for entry in events {
        let path = entry.expect("an entry").path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).expect("readable");
            same_decisions(&sets, &text, &path.display().to_string());
            read += 1;
        }
    }
    assert!(read >= 10, "only {read} sample events");
}

#[test]
fn the_status_and_session_before_the_update_are_read_even_when_no_rule_compares_them() {
    // No `changed` test here: the ticket before the update is still read for its status
    // (an update of a closed ticket runs nothing) and its session (an end user's message
    // after the session's end starts a new one).
    let rules = declic::check(&[declic::Source::new(
        "vip.declic",
        "trigger \"VIP\" {\n  when all {\n    Tags includes vip\n  }\n  then {\n    Priority = High\n  }\n}\n",
    )]);
    let engine = Compiled::new(&rules.into_result().expect("checks")).expect("compiles");
    let event = |before: &str| {
        json!({"ticket": {"tags": ["vip"], "messaging_session": {"state": "active"}},
               "previous": {"tags": ["vip"], "messaging_session": {"state": before}},
               "update": {"conversation_event": "message_sent", "session": "end_user_message"}})
        .to_string()
    };
    let ended = engine.changes(&event("ended")).expect("valid");
    assert_eq!(Ok(ended.clone()), whole(&engine, &event("ended")));
    assert!(
        ended.skipped.is_some() && ended.fired.is_empty(),
        "{ended:?}"
    );
    let closed = event("active").replace(r#""previous":{"#, r#""previous":{"status":"closed","#);
    let closed_changes = engine.changes(&closed).expect("valid");
    assert_eq!(Ok(closed_changes.clone()), whole(&engine, &closed));
    assert!(closed_changes.skipped.is_some(), "{closed_changes:?}");
    let active = engine.changes(&event("active")).expect("valid");
    assert_eq!(Ok(active.clone()), whole(&engine, &event("active")));
    assert!(
        active.skipped.is_none() && active.fired.len() == 1,
        "{active:?}"
    );
}

#[test]
fn a_rule_with_a_placeholder_reads_every_key() {
    // `{{ticket.url}}` is an unknown key of the ticket, and the requester's name a key of
    // the sideloaded requester: neither may be skipped.
    let rules = declic::check(&[declic::Source::new(
        "notify.declic",
        r#"
trigger "Notify" {
  when all {
    Status is Open
  }
  then {
    Notify Requester "Ticket {{ticket.url}}" "Hello {{ticket.requester.name}}"
  }
}
"#,
    )]);
    let engine = Compiled::new(&rules.into_result().expect("checks")).expect("compiles");
    let text = json!({"ticket": {"id": 7, "status": "open", "url": "https://acme.zendesk.com/api/v2/tickets/7.json",
        "requester_id": 5, "requester": {"id": 5, "name": "Ada Byron"}}})
    .to_string();
    let changes = engine.changes(&text).expect("valid");
    assert_eq!(Ok(changes.clone()), whole(&engine, &text));
    let rendered = serde_json::to_string(&changes.effects).expect("serialises");
    assert!(
        rendered.contains("acme.zendesk.com/agent/tickets/7"),
        "{rendered}"
    );
    assert!(rendered.contains("Hello Ada Byron"), "{rendered}");
}

#[test]
fn a_value_no_rule_reads_is_not_type_checked_but_must_be_json() {
    let engine = &rule_sets()[0].1;
    // `created_at` is read by no recipe: the changes run skips it, the whole run rejects it.
    let odd = r#"{"ticket": {"status": "open", "created_at": 12}}"#;
    assert!(engine.changes(odd).is_ok());
    assert!(Event::from_json(odd).is_err());
    // A value read is checked as ever, and broken JSON is broken anywhere.
    assert!(engine.changes(r#"{"ticket": {"status": 12}}"#).is_err());
    assert!(engine
        .changes(r#"{"ticket": {"status": "open", "created_at": [1,}}"#)
        .is_err());
}

/// A ticket with each key the rules read drawn from a few values, among keys none reads.
fn ticket() -> impl Strategy<Value = Value> {
    let status = prop::sample::select(vec!["new", "open", "pending", "hold", "solved", "closed"]);
    let priority = prop::sample::select(vec![Value::Null, json!("low"), json!("high"), json!("")]);
    let tags = prop::sample::subsequence(
        vec![
            "vip",
            "billing",
            "after_hours",
            "abandoned_queue",
            "csat_email",
            "solved_now",
        ],
        0..4,
    );
    let group = prop::sample::select(vec![
        Value::Null,
        json!(360012000100u64),
        json!(360012000203u64),
    ]);
    let assignee = prop::sample::select(vec![
        Value::Null,
        json!(361000000001u64),
        json!(361000000002u64),
    ]);
    let via = prop::sample::select(vec![("native_messaging", 75), ("email", 4), ("web", 0)]);
    let session = prop::sample::select(vec![
        Value::Null,
        json!({"state": "active", "last_end_user_activity_at": "2024-05-16T09:02:00Z"}),
        json!({"state": "active", "last_end_user_activity_at": "2024-05-16T09:20:00Z"}),
        json!({"state": "inactive", "inactive_reason": "end_user_inactive"}),
        json!({"state": "ended", "end_reason": "ended_by_agent", "ended_at": "2024-05-16T09:10:00Z"}),
    ]);
    let rating = prop::sample::select(vec!["unoffered", "offered", "good", "bad"]);
    let routing = prop::sample::select(vec![Value::Null, json!("messaging"), json!("email")]);
    let role = prop::sample::select(vec!["end_user", "agent"]);
    let subject = prop::sample::select(vec!["Where is my parcel", "I want a refund", ""]);
    let custom = prop::sample::select(vec![Value::Null, json!("a"), json!("b")]);
    (
        (status, priority, tags, group, assignee, via),
        (session, rating, routing, role, subject, custom),
        any::<bool>(),
    )
        .prop_map(
            |((status, priority, tags, group, assignee, via), (session, rating, routing, role, subject, custom), public)| {
                let mut t = json!({
                    "id": 48260,
                    "url": "https://example.zendesk.com/api/v2/tickets/48260.json",
                    "subject": subject,
                    "description": "Bonjour",
                    "status": status,
                    "priority": priority,
                    "via": {"channel": via.0, "id": via.1, "source": {"from": {}, "rel": null}},
                    "tags": tags,
                    "group_id": group,
                    "assignee_id": assignee,
                    "requester_id": 362000000101u64,
                    "requester": {"id": 362000000101u64, "name": "Camille Martin", "role": role,
                                  "email": "camille@example.fr", "user_fields": {"tier": "vip"}},
                    "organization_id": 7,
                    "organization": {"id": 7, "name": "Acme", "organization_fields": {"plan": "gold"}},
                    "is_public": public,
                    "brand_id": 360000112233u64,
                    "custom_fields": [{"id": 360001, "value": custom}],
                    "created_at": "2024-05-16T09:05:00Z",
                    "updated_at": "2024-05-16T09:22:00Z",
                    "satisfaction_rating": {"score": rating},
                    "routing_channel": routing,
                    "declic_messaging_triggers_fired": ["Once a session"],
                });
                if !session.is_null() {
                    t["messaging_session"] = session;
                }
                t
            },
        )
}

fn event() -> impl Strategy<Value = String> {
    let update = prop::sample::select(vec![
        json!({"time": "2024-05-16T09:22:00Z"}),
        json!({"time": "2024-05-16T09:22:00Z", "conversation_event": "message_sent",
               "session": "end_user_message", "actor": {"id": 362000000101u64, "role": "end_user"}}),
        json!({"conversation_event": "session_ended", "session": "agent_ended"}),
        json!({"comment": {"body": "refund please", "public": true}, "via_id": 4}),
    ]);
    let account = prop::sample::select(vec![
        json!({}),
        json!({"in_business_hours": false, "agent_ended_sessions_route_as_email": true}),
    ]);
    (ticket(), prop::option::of(ticket()), update, account).prop_map(
        |(ticket, previous, update, account)| {
            let mut e = json!({"ticket": ticket, "update": update, "account": account});
            if let Some(p) = previous {
                e["previous"] = p;
            }
            e.to_string()
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn generated_events_change_the_same_under_every_rule_set(text in event()) {
        thread_local! {
            static SETS: Vec<(String, Compiled)> = rule_sets();
        }
        SETS.with(|sets| same_decisions(sets, &text, "a generated event"));
    }
}
