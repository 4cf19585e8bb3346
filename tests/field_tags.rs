//! Drop-down fields tied to their tags, as users run them: `run`, `explain` and `test`
//! with the account's ticket fields (`--account`, a scenario file's `account_dir`), and
//! the one warning without them. The account, rules and scenarios are in
//! `tests/field_tags/`.

use assert_cmd::Command;
use serde_json::{json, Value};

const RULES: &str = "tests/field_tags/rules";
const ACCOUNT: &str = "tests/field_tags/account";
const EVENT: &str = "tests/field_tags/payment.json";
const UNLINKED: &str = "declic::field_tags_unlinked";

fn declic(args: &[&str]) -> std::process::Output {
    let mut cmd = Command::cargo_bin("declic").expect("the binary is built");
    cmd.env_remove("NO_COLOR")
        .args(args)
        .output()
        .expect("runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn fired(outcome: &Value) -> Vec<&str> {
    let fired = outcome["fired"].as_array().expect("a list");
    fired.iter().filter_map(|f| f["trigger"].as_str()).collect()
}

#[test]
fn run_with_the_account_ties_the_drop_down_to_its_tags() {
    let out = declic(&["run", RULES, EVENT, "--account", ACCOUNT]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        !text(&out.stderr).contains(UNLINKED),
        "{}",
        text(&out.stderr)
    );
    let outcome: Value = serde_json::from_slice(&out.stdout).expect("one outcome");
    assert_eq!(
        fired(&outcome),
        ["Upgrade on payment", "Paying customers get priority"]
    );
    assert_eq!(outcome["ticket"]["tags"], json!(["paying"]));
    assert_eq!(outcome["ticket"]["priority"], json!("high"));
    assert_eq!(
        outcome["fired"][0]["changes"],
        json!([
            {"field": "custom_fields_1500012620641", "from": "free", "to": "paying"},
            {"field": "tags", "added": ["paying"], "removed": ["free"]}
        ])
    );
}

#[test]
fn run_without_the_account_warns_once_and_does_not_guess() {
    let out = declic(&["run", RULES, EVENT, EVENT, "--format", "text"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.matches(UNLINKED).count(), 1, "{stderr}");
    assert!(stderr.contains("--account DIR"), "{stderr}");
    let stdout = text(&out.stdout);
    assert!(
        !stdout.contains("Paying customers get priority"),
        "{stdout}"
    );
    assert_eq!(stdout.matches("Upgrade on payment").count(), 2, "{stdout}");
}

#[test]
fn explain_with_the_account_shows_the_later_trigger_reading_the_tag() {
    let out = declic(&["explain", RULES, EVENT, "--account", ACCOUNT]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("✓ fired: Paying customers get priority"),
        "{stdout}"
    );
    let without = text(&declic(&["explain", RULES, EVENT]).stdout);
    assert!(
        without.contains("✗ not matched: Paying customers get priority"),
        "{without}"
    );
}

#[test]
fn an_account_folder_that_cannot_be_read_is_a_usage_error() {
    for command in ["run", "explain"] {
        let out = declic(&[command, RULES, EVENT, "--account", "tests/field_tags/none"]);
        assert_eq!(out.status.code(), Some(2), "{command}");
        assert!(
            text(&out.stderr).contains("declic::unreadable"),
            "{command}"
        );
    }
}

/// The scenario file without its `account_dir` key, in a folder of its own beside the
/// rules and the account.
fn scenarios_without_account_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let original =
        std::fs::read_to_string("tests/field_tags/tiers.scenarios.toml").expect("readable");
    let rules = std::fs::canonicalize(RULES).expect("the rules");
    let edited: String = original
        .lines()
        .filter(|l| !l.starts_with("account_dir"))
        .map(|l| match l.starts_with("rules") {
            true => format!("rules = {:?}\n", rules.display().to_string()),
            false => format!("{l}\n"),
        })
        .collect();
    let path = dir.path().join("tiers.scenarios.toml");
    std::fs::write(path, edited).expect("written");
    dir
}

#[test]
fn test_takes_the_account_from_the_scenario_file_or_the_command_line() {
    let out = declic(&["test", "tests/field_tags/tiers.scenarios.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("2 passed, 0 failed"));

    let dir = scenarios_without_account_dir();
    let path = dir.path().to_str().expect("a UTF-8 path");
    let with = declic(&["test", path, "--account", ACCOUNT]);
    assert_eq!(with.status.code(), Some(0), "{}", text(&with.stdout));

    let without = declic(&["test", path]);
    assert_eq!(without.status.code(), Some(1), "{}", text(&without.stdout));
    let report = text(&without.stdout);
    assert!(report.contains("0 passed, 2 failed"), "{report}");
    assert_eq!(report.matches(UNLINKED).count(), 1, "{report}");
}

#[test]
fn an_account_dir_that_cannot_be_read_points_at_the_key() {
    let dir = scenarios_without_account_dir();
    let path = dir.path().join("tiers.scenarios.toml");
    let text_of = std::fs::read_to_string(&path).expect("readable");
    std::fs::write(&path, format!("account_dir = \"nowhere\"\n{text_of}")).expect("written");
    let out = declic(&[
        "test",
        path.to_str().expect("a UTF-8 path"),
        "--format",
        "plain",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    let report = text(&out.stdout);
    assert!(report.contains("declic::unreadable"), "{report}");
    assert!(
        report.contains("the account this file's rules run with"),
        "{report}"
    );
}
