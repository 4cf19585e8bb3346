//! The ticket's clock kept current by the engine: which update sets which time.

use serde_json::{json, Value};

use super::tests::{compile, event, one};
use crate::model::Ticket;

const AT: &str = "2024-05-06T10:00:00Z";

/// The ticket after `rules` ran on `input`, as JSON.
fn after(rules: &str, input: Value) -> Value {
    json!(compile(rules).run(&event(input)).ticket)
}

/// A rule set that fires on nothing the tests send.
fn idle() -> String {
    one("Tags includes never_sent", "Priority = Low")
}

#[test]
fn each_update_sets_the_times_its_actor_and_changes_name() {
    let agent = json!({"id": 7, "role": "agent"});
    let requester = json!({"id": 3, "role": "end_user"});
    let base = json!({"id": 1, "status": "open", "requester_id": 3, "assignee_id": 7});
    let update = |actor: Value| json!({"ticket": base, "previous": base, "update": {"time": AT, "actor": actor}});
    // (who acts, the metric set written)
    let cases = [
        (requester.clone(), json!({"requester_updated_at": AT})),
        (agent.clone(), json!({"assignee_updated_at": AT})),
        // An end user without an id is taken for the requester.
        (
            json!({"role": "end_user"}),
            json!({"requester_updated_at": AT}),
        ),
        // Another agent updates only `updated_at`.
        (json!({"id": 8, "role": "agent"}), Value::Null),
    ];
    for (actor, metrics) in cases {
        let t = after(&idle(), update(actor.clone()));
        assert_eq!(t["updated_at"], json!(AT), "{actor}");
        assert_eq!(t["metric_set"], metrics, "{actor}");
        assert_eq!(
            t["status_entered_at"],
            Value::Null,
            "no status change: {actor}"
        );
    }
}

#[test]
fn a_status_a_trigger_sets_is_entered_at_the_update_s_time() {
    let rules = one("Tags includes wait", "Status = Pending");
    let input = |tags: Value| {
        json!({"ticket": {"status": "open", "tags": tags}, "previous": {"status": "open"},
               "update": {"time": AT}})
    };
    let t = after(&rules, input(json!(["wait"])));
    assert_eq!(t["status"], json!("pending"));
    assert_eq!(t["status_entered_at"], json!({"pending": AT}));
    assert_eq!(t["metric_set"], json!({"status_updated_at": AT}));
    // The near miss: nothing changes the status, so no status time is written.
    let t = after(&rules, input(json!([])));
    assert_eq!(t["status_entered_at"], Value::Null);
    assert_eq!(t["metric_set"], Value::Null);
    assert_eq!(t["updated_at"], json!(AT));
}

#[test]
fn solving_sets_solved_at_and_the_update_s_own_status_counts() {
    let input = json!({"ticket": {"status": "solved"}, "previous": {"status": "open"},
                       "update": {"time": AT}});
    let t = after(&idle(), input);
    assert_eq!(
        t["metric_set"],
        json!({"status_updated_at": AT, "solved_at": AT})
    );
    assert_eq!(t["status_entered_at"], json!({"solved": AT}));
}

#[test]
fn assigning_sets_assigned_at_and_keeping_the_assignee_does_not() {
    let rules = one("Tags includes route", "Assignee = 9");
    let input = |previous_assignee: Value| {
        json!({"ticket": {"status": "open", "tags": ["route"], "assignee_id": previous_assignee},
               "previous": {"status": "open", "assignee_id": previous_assignee},
               "update": {"time": AT}})
    };
    let t = after(&rules, input(json!(null)));
    assert_eq!(t["metric_set"], json!({"assigned_at": AT}));
    let t = after(&rules, input(json!(9)));
    assert_eq!(t["metric_set"], Value::Null);
    // Unassigning is no assignment.
    let rules = one("Tags includes route", "Assignee = \"\"");
    let t = after(&rules, input(json!(9)));
    assert_eq!(t["assignee_id"], Value::Null);
    assert_eq!(t["metric_set"], Value::Null);
}

#[test]
fn a_create_is_created_and_enters_its_status() {
    let t = after(
        &idle(),
        json!({"ticket": {"status": "new"}, "update": {"time": AT}}),
    );
    assert_eq!(t["created_at"], json!(AT));
    assert_eq!(t["updated_at"], json!(AT));
    assert_eq!(t["status_entered_at"], json!({"new": AT}));
    // A created ticket that says when it was created keeps it.
    let t = after(
        &idle(),
        json!({"ticket": {"created_at": "2024-05-06T09:59:00Z"}, "update": {"time": AT}}),
    );
    assert_eq!(t["created_at"], json!("2024-05-06T09:59:00Z"));
}

#[test]
fn an_update_without_a_time_or_that_is_skipped_changes_no_time() {
    let engine = compile(&idle());
    let timeless = event(json!({"ticket": {"status": "open"}, "previous": {"status": "new"}}));
    let out = engine.run(&timeless);
    assert!(std::sync::Arc::ptr_eq(&out.ticket, &timeless.ticket));
    // An update on a closed ticket is not saved.
    let closed = event(
        json!({"ticket": {"status": "closed"}, "previous": {"status": "closed"},
                              "update": {"time": AT}}),
    );
    let out = engine.run(&closed);
    assert_eq!(out.ticket.updated_at, None);
    // A ticket already up to date is shared, not copied.
    let current = event(json!({"ticket": {"status": "open", "updated_at": AT},
                               "previous": {"status": "open"}, "update": {"time": AT}}));
    let out = engine.run(&current);
    assert!(std::sync::Arc::ptr_eq(&out.ticket, &current.ticket));
}

#[test]
fn a_zendesk_ticket_s_clock_reads_and_writes_back_in_its_own_names() {
    let input = json!({
        "id": 5, "status": "pending",
        "created_at": "2024-05-01T00:00:00Z", "updated_at": "2024-05-02T00:00:00Z",
        "due_at": null,
        "metric_set": {"id": 9, "assigned_at": null, "solved_at": null,
                       "status_updated_at": "2024-05-02T00:00:00Z"}
    });
    let t: Ticket = serde_json::from_value(input.clone()).expect("valid");
    assert_eq!(json!(t), input);
    // An update by nobody in particular: only `updated_at` moves.
    let out = after(
        &idle(),
        json!({"ticket": input, "previous": input, "update": {"time": AT}}),
    );
    let mut want = input;
    want["updated_at"] = json!(AT);
    assert_eq!(out, want);
}
