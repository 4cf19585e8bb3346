//! `declic diff` as users run it: two rule sets over the same events, from folders and
//! from git revisions, in every format, and its exit codes.

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::git;
use serde_json::Value;

const OLD: &str = r#"trigger "Urgent when VIP" {
  when all {
    Tags includes vip
    Status is New
  }
  then {
    Priority = Urgent
  }
}

trigger "Bots are low" {
  when all {
    Tags includes bot
  }
  then {
    Priority = Low
  }
}
"#;

/// `OLD` with the status condition removed from its first trigger.
fn new_rules() -> String {
    OLD.replace("    Status is New\n", "")
}

const EVENTS: &str = r#"{"ticket": {"status": "new", "tags": ["vip"]}}
{"ticket": {"status": "open", "tags": ["vip"]}}
{"ticket": {"status": "open", "tags": ["bot"]}}

{"ticket": {"status": "pending", "tags": ["vip"]}}
{"ticket": {"status": "archived"}}
"#;

fn declic(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("declic").expect("the binary is built");
    cmd.current_dir(dir).env_remove("NO_COLOR");
    cmd
}

/// A folder holding `old/rules.declic`, `new/rules.declic` and `events.ndjson`.
fn workspace(old: &str, new: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (folder, text) in [("old", old), ("new", new)] {
        std::fs::create_dir(dir.path().join(folder)).expect("created");
        std::fs::write(dir.path().join(folder).join("rules.declic"), text).expect("written");
    }
    std::fs::write(dir.path().join("events.ndjson"), EVENTS).expect("written");
    dir
}

fn json_report(dir: &Path, args: &[&str]) -> Value {
    let out = declic(dir)
        .args(["diff", "--format", "json"])
        .args(args)
        .output()
        .expect("runs");
    serde_json::from_slice(&out.stdout).expect("the report is JSON")
}

fn exit_code(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = declic(dir).arg("diff").args(args).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().expect("exited"), stderr)
}

/// Each trigger row as (title, before, after, difference).
fn rows(report: &Value) -> Vec<(String, u64, u64, i64)> {
    let rows = report["triggers"].as_array().expect("a list");
    rows.iter()
        .map(|r| {
            let n = |key: &str| r[key].as_u64().expect("a count");
            let title = r["title"].as_str().expect("a title").to_owned();
            (
                title,
                n("before"),
                n("after"),
                r["difference"].as_i64().expect("a number"),
            )
        })
        .collect()
}

#[test]
fn a_removed_condition_is_counted_per_trigger_and_per_event() {
    let dir = workspace(OLD, &new_rules());
    let report = json_report(dir.path(), &["old", "new", "events.ndjson"]);
    assert_eq!(
        (&report["events"], &report["compared"], &report["changed"]),
        (&Value::from(5), &Value::from(4), &Value::from(2))
    );
    assert_eq!(
        rows(&report),
        [
            ("Urgent when VIP".to_owned(), 1, 3, 2),
            ("Bots are low".to_owned(), 1, 1, 0)
        ]
    );
    let groups: Vec<(&str, &str, u64)> = report["differences"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|g| {
            let s = |key: &str| g[key].as_str().expect("text");
            (
                s("kind"),
                s("subject"),
                g["events"].as_u64().expect("a count"),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("now_fires", "Urgent when VIP", 2),
            ("field", "priority", 2)
        ]
    );
    let examples: Vec<&str> = report["differences"][1]["examples"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|e| e["event"].as_str().expect("a name"))
        .collect();
    assert_eq!(examples, ["events.ndjson:2", "events.ndjson:5"]);
}

#[test]
fn bad_events_are_counted_shown_and_fail_the_run() {
    let dir = workspace(OLD, OLD);
    let report = json_report(dir.path(), &["old", "new", "events.ndjson"]);
    assert_eq!(report["unreadable"]["count"], 1);
    let bad = &report["unreadable"]["examples"][0];
    assert_eq!(bad["event"], "events.ndjson:6");
    assert_eq!(bad["code"], "declic::invalid_event");
    let (code, _) = exit_code(dir.path(), &["old", "new", "events.ndjson"]);
    assert_eq!(code, 1);
    // Without the bad line, the same diff exits 0.
    let good: String = EVENTS
        .lines()
        .filter(|l| !l.contains("archived"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(dir.path().join("good.ndjson"), good).expect("written");
    assert_eq!(exit_code(dir.path(), &["old", "new", "good.ndjson"]).0, 0);
}

#[test]
fn event_files_and_folders_are_named_by_path() {
    let dir = workspace(OLD, &new_rules());
    let events = dir.path().join("events");
    std::fs::create_dir(&events).expect("created");
    std::fs::write(
        events.join("a.json"),
        r#"{"ticket": {"status": "open", "tags": ["vip"]}}"#,
    )
    .expect("written");
    std::fs::write(
        events.join("b.json"),
        r#"{"ticket": {"status": "new", "tags": ["vip"]}}"#,
    )
    .expect("written");
    let report = json_report(dir.path(), &["old", "new", "events"]);
    assert_eq!(
        (&report["compared"], &report["changed"]),
        (&Value::from(2), &Value::from(1))
    );
    let example = &report["differences"][0]["examples"][0]["event"];
    assert!(
        example.as_str().expect("a name").ends_with("a.json"),
        "{example}"
    );
}

#[test]
fn fail_on_change_and_expected_changes_decide_the_exit_code() {
    let changed = workspace(OLD, &new_rules());
    let good: String = EVENTS
        .lines()
        .filter(|l| !l.contains("archived"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(changed.path().join("good.ndjson"), &good).expect("written");
    let same = workspace(OLD, OLD);
    std::fs::write(same.path().join("good.ndjson"), &good).expect("written");
    let cases: &[(&Path, &[&str], i32)] = &[
        (changed.path(), &[], 0),
        (changed.path(), &["--fail-on-change"], 1),
        (same.path(), &["--fail-on-change"], 0),
        (changed.path(), &["--expect-change", "Urgent when VIP"], 0),
        (
            changed.path(),
            &["--fail-on-change", "--expect-change", "Urgent when VIP"],
            0,
        ),
        (changed.path(), &["--expect-change", "Bots are low"], 1),
        (changed.path(), &["--expect-change", "Urgent"], 1),
    ];
    for (dir, flags, expected) in cases {
        let mut args = vec!["old", "new", "good.ndjson"];
        args.extend_from_slice(flags);
        let (code, stderr) = exit_code(dir, &args);
        assert_eq!(code, *expected, "{flags:?}: {stderr}");
        if code == 1 {
            assert!(stderr.contains("Urgent when VIP"), "{stderr}");
        }
        // Only the misspelt name is warned about.
        let misspelt = flags.contains(&"Urgent");
        assert_eq!(
            stderr.contains("names no trigger"),
            misspelt,
            "{flags:?}: {stderr}"
        );
    }
}

#[test]
fn show_bounds_the_examples() {
    let dir = workspace(OLD, &new_rules());
    let report = json_report(dir.path(), &["old", "new", "events.ndjson", "--show", "1"]);
    assert_eq!(report["differences"][1]["events"], 2);
    assert_eq!(
        report["differences"][1]["examples"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

#[test]
fn the_markdown_report_is_a_pull_request_comment() {
    let dir = workspace(OLD, &new_rules());
    let out = declic(dir.path())
        .args([
            "diff",
            "old",
            "new",
            "events.ndjson",
            "--format",
            "markdown",
        ])
        .output()
        .expect("runs");
    let markdown = String::from_utf8(out.stdout).expect("UTF-8");
    insta::assert_snapshot!("diff-markdown", markdown);
}

#[test]
fn the_text_report_names_the_changes() {
    let dir = workspace(OLD, &new_rules());
    let out = declic(dir.path())
        .args(["diff", "old", "new", "events.ndjson"])
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        text.starts_with("2 of 4 events end differently; 1 could not be read."),
        "{text}"
    );
    assert!(
        text.contains("`priority` ends differently: 2 events (by Urgent when VIP)"),
        "{text}"
    );
    assert!(
        text.contains("events.ndjson:2: null -> \"urgent\""),
        "{text}"
    );
    assert!(text.contains("1 trigger unchanged"), "{text}");
}

/// A git repository whose commit holds `OLD` in `rules/` (with a README beside it), and
/// whose working copy holds the new rules.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).expect("created");
    std::fs::write(rules.join("vip.declic"), OLD).expect("written");
    std::fs::write(rules.join("README.md"), "not a rule file").expect("written");
    std::fs::write(dir.path().join("sample.ndjson"), EVENTS).expect("written");
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "old rules"]);
    std::fs::write(rules.join("vip.declic"), new_rules()).expect("written");
    dir
}

#[test]
fn a_rule_set_is_read_from_a_git_revision() {
    let repo = repository();
    let from_git = json_report(repo.path(), &["git:HEAD:rules", "rules", "sample.ndjson"]);
    assert_eq!(from_git["changed"], 2);
    assert_eq!(rows(&from_git)[0], ("Urgent when VIP".to_owned(), 1, 3, 2));
    // One file of the revision; and the revision against itself changes nothing.
    let file = json_report(
        repo.path(),
        &["git:HEAD:rules/vip.declic", "rules", "sample.ndjson"],
    );
    assert_eq!(file["changed"], 2);
    let same = json_report(
        repo.path(),
        &["git:HEAD:rules", "git:HEAD:rules", "sample.ndjson"],
    );
    assert_eq!(same["changed"], 0);
}

#[test]
fn a_git_revision_that_cannot_be_read_exits_2() {
    let repo = repository();
    let cases = [
        ("git:no-such-branch:rules", "declic::diff::git"),
        ("git:HEAD:nowhere", "declic::diff::no_rule_files"),
        ("git:HEAD", "declic::diff::bad_version"),
    ];
    for (spec, code) in cases {
        let (exit, stderr) = exit_code(repo.path(), &[spec, "rules", "sample.ndjson"]);
        assert_eq!(exit, 2, "{spec}: {stderr}");
        assert!(stderr.contains(code), "{spec}: {stderr}");
    }
}

#[test]
fn errors_in_a_git_revision_name_the_file_at_its_revision() {
    let repo = repository();
    std::fs::write(
        repo.path().join("rules/vip.declic"),
        "trigger \"broken\" {\n",
    )
    .expect("written");
    git(repo.path(), &["commit", "-q", "-a", "-m", "broken"]);
    let (exit, stderr) = exit_code(
        repo.path(),
        &["git:HEAD:rules", "git:HEAD~1:rules", "sample.ndjson"],
    );
    assert_eq!(exit, 1, "{stderr}");
    assert!(stderr.contains("HEAD:rules/vip.declic"), "{stderr}");
}

#[test]
fn help_shows_an_example() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = declic(dir.path())
        .args(["diff", "--help"])
        .output()
        .expect("runs");
    let help = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        help.contains("declic diff git:main:rules rules sample.ndjson"),
        "{help}"
    );
    assert!(help.contains("--expect-change"), "{help}");
}
