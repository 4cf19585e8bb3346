//! Routing after the triggers, through the command line: the seed's custom queue for
//! agent-ended sessions treated as email, with the recipes and the sample events.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The English recipes' triggers, without their queues, in a temporary rule set.
fn rules_without_queue() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(root().join("recipes/en")).expect("recipes") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("a name");
        if !name.to_string_lossy().contains("queues") {
            std::fs::copy(&path, dir.path().join(name)).expect("copy");
        }
    }
    dir
}

/// The English recipes' triggers plus the seed's queue alone.
fn rules_with_queue() -> tempfile::TempDir {
    let dir = rules_without_queue();
    std::fs::copy(
        root().join("tests/routing/queue.declic"),
        dir.path().join("8-agent-ended-sessions-queue.declic"),
    )
    .expect("copy");
    dir
}

fn declic(args: &[&str], rules: &Path, event: &str) -> (i32, String) {
    let out = Command::cargo_bin("declic")
        .expect("built")
        .args(args)
        .arg(rules)
        .arg(root().join("events").join(event))
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn agents() -> String {
    root()
        .join("tests/routing/agents.json")
        .display()
        .to_string()
}

#[test]
fn explain_shows_each_queue_tried_and_the_agent_chosen() {
    let rules = rules_with_queue();
    let (code, text) = declic(
        &["explain", "--agents", &agents()],
        rules.path(),
        "messaging-created-outside-business-hours.json",
    );
    assert_eq!(code, 0, "{text}");
    let routing = &text[text.find("routing\n").expect("a routing section")..];
    insta::assert_snapshot!("trigger_ends_session_custom_queue", routing);
}

#[test]
fn an_agent_ended_session_still_routed_as_messaging_leaves_every_queue() {
    let rules = rules_with_queue();
    let (code, text) = declic(
        &["explain", "--agents", &agents()],
        rules.path(),
        "agent-ends-session-stays-messaging.json",
    );
    assert_eq!(code, 0, "{text}");
    let routing = &text[text.find("routing\n").expect("a routing section")..];
    insta::assert_snapshot!("agent_ends_session_setting_off", routing);
}

#[test]
fn run_reports_routing_only_when_it_runs() {
    let rules = rules_with_queue();
    let (_, with_queue) = declic(&["run"], rules.path(), "agent-ends-session.json");
    let outcome: Value = serde_json::from_str(&with_queue).expect("JSON");
    // With the setting on, the agent keeps the ticket: an assigned ticket is not routed,
    // and the work now counts on email.
    assert_eq!(outcome["routing"]["routed"], false, "{outcome}");
    assert_eq!(outcome["routing"]["reason"]["code"], "assigned");
    assert_eq!(outcome["routing"]["channel"], "email");
    // Near miss: the triggers without queues, agents or routing settings: no routing.
    let without = rules_without_queue();
    let (_, without) = declic(&["run"], without.path(), "agent-ends-session.json");
    let outcome: Value = serde_json::from_str(&without).expect("JSON");
    assert!(outcome.get("routing").is_none(), "{outcome}");
}

#[test]
fn queues_import_from_the_api_and_export_in_its_write_shape() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fixture = root().join("tests/interop/queues/queues.json");
    let import = Command::cargo_bin("declic")
        .expect("built")
        .args(["import", "zendesk"])
        .arg(&fixture)
        .arg("-o")
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(import.status.code(), Some(0), "{import:?}");
    let text = std::fs::read_to_string(dir.path().join("queues.declic")).expect("written");
    assert!(
        text.contains("queue \"Agent-ended sessions as email\" {"),
        "{text}"
    );
    let export = Command::cargo_bin("declic")
        .expect("built")
        .args(["export", "zendesk", "--queues"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(export.status.code(), Some(0), "{export:?}");
    let exported: Value = serde_json::from_slice(&export.stdout).expect("JSON");
    let read: Value =
        serde_json::from_str(&std::fs::read_to_string(&fixture).expect("fixture")).expect("JSON");
    let (q, original) = (&exported["queues"][0], &read["queues"][0]);
    for key in [
        "id",
        "name",
        "description",
        "order",
        "priority",
        "definition",
    ] {
        assert_eq!(q[key], original[key], "{key}");
    }
    assert_eq!(q["primary_groups_id"], serde_json::json!([360012000100u64]));
    assert_eq!(
        q["secondary_groups_id"],
        serde_json::json!([360012000201u64])
    );
    // Near miss: without --queues, the same rule set exports its (no) triggers.
    let triggers = Command::cargo_bin("declic")
        .expect("built")
        .args(["export", "zendesk"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let triggers: Value = serde_json::from_slice(&triggers.stdout).expect("JSON");
    assert_eq!(triggers, serde_json::json!({"triggers": []}));
}

#[test]
fn an_agents_file_that_cannot_be_read_stops_the_command() {
    let rules = rules_with_queue();
    for agents in ["/dev/zero", "/no/such/agents.json"] {
        let out = Command::cargo_bin("declic")
            .expect("built")
            .args(["run", "--agents", agents])
            .arg(rules.path())
            .arg(root().join("events/agent-ends-session.json"))
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{agents}: {out:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(agents),
            "{out:?}"
        );
    }
    // Near miss: a readable agents file runs.
    let (code, _) = declic(
        &["run", "--agents", &agents()],
        rules.path(),
        "agent-ends-session.json",
    );
    assert_eq!(code, 0);
}

#[test]
fn a_scenario_expecting_another_routing_fails_and_says_where() {
    let scenarios = root().join("recipes/fr/9-files-de-routage.scenarios.toml");
    let text = std::fs::read_to_string(&scenarios).expect("the scenarios");
    let wrong = text.replace(
        "agent = { agent_id = 361000000501, how = \"assigned\"",
        "agent = { agent_id = 361000000502, how = \"assigned\"",
    );
    assert_ne!(wrong, text, "the expectation to change is there");
    // Elsewhere, pointing back at the recipes and their agents.
    let fr = root().join("recipes/fr");
    let wrong = wrong.replace(
        "account_dir = \"compte\"",
        &format!(
            "rules = {:?}\naccount_dir = {:?}",
            fr.display().to_string(),
            fr.join("compte").display().to_string()
        ),
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let copy = dir.path().join("near-miss.scenarios.toml");
    std::fs::write(&copy, wrong).expect("written");
    let out = Command::cargo_bin("declic")
        .expect("built")
        .arg("test")
        .arg(&copy)
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("routing.agent.agent_id: expected 361000000502, found 361000000501"),
        "{stdout}"
    );
    assert!(stdout.contains("3 passed, 1 failed"), "{stdout}");
}

#[test]
fn explain_as_json_carries_the_queues_tried_and_the_decision() {
    let rules = rules_with_queue();
    let (code, text) = declic(
        &["explain", "--format", "json", "--agents", &agents()],
        rules.path(),
        "messaging-created-outside-business-hours.json",
    );
    assert_eq!(code, 0, "{text}");
    let explained: Value = serde_json::from_str(&text).expect("JSON");
    let routing = &explained["routing"];
    assert_eq!(
        routing["queues"][0]["queue"],
        "Agent-ended sessions as email"
    );
    assert_eq!(routing["queues"][0]["matched"], true);
    assert_eq!(routing["queues"][0]["conditions"]["kind"], "all");
    assert_eq!(routing["decision"]["agent"]["agent_id"], 361000000501u64);
    // The outcome carries the same decision.
    assert_eq!(explained["outcome"]["routing"], routing["decision"]);
    // Near miss: an event no queue is tried for (the ticket is closed).
    let (_, text) = declic(
        &["explain", "--format", "json"],
        rules.path(),
        "closed-ticket-update.json",
    );
    let explained: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(explained["routing"]["queues"], serde_json::json!([]));
    assert_eq!(explained["routing"]["decision"]["reason"]["code"], "status");
}
