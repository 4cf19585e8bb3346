//! Routing after the triggers, through the command line: the seed's custom queue for
//! agent-ended sessions treated as email, with the recipes and the sample events.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The English recipes plus the seed's queue, in one temporary rule set.
fn rules_with_queue() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for entry in std::fs::read_dir(root().join("recipes/en")).expect("recipes") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("a name");
        std::fs::copy(&path, dir.path().join(name)).expect("copy");
    }
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
    // Near miss: the recipes alone, no agents, no routing settings: no routing at all.
    let (_, without) = declic(
        &["run"],
        &root().join("recipes/en"),
        "agent-ends-session.json",
    );
    let outcome: Value = serde_json::from_str(&without).expect("JSON");
    assert!(outcome.get("routing").is_none(), "{outcome}");
}
