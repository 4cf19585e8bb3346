//! The `declic` command as users run it: exit codes, formats, help.

use assert_cmd::Command;
use std::path::Path;

fn declic() -> Command {
    let mut cmd = Command::cargo_bin("declic").expect("the binary is built");
    cmd.env_remove("NO_COLOR");
    cmd
}

const GOOD: &str = r#"trigger "Fin de session hors horaires" {
  when all {
    Ticket is Created
    Canal is Messagerie
    "Dans les horaires d'ouverture" is false
  }
  then {
    Mettre fin à la session
    Balises += hors_horaires
  }
}
"#;

const WARNING_ONLY: &str = r#"trigger "Empty group" {
  when all {
    Ticket is Created
    any { }
  }
  then {
    send CSAT by email
  }
}
"#;

const BAD: &str = r#"trigger "Typo" {
  when all {
    Canal is Messageri
  }
  then {
    sned CSAT
  }
}
"#;

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("temp file");
    path
}

fn stdout(cmd: &mut Command) -> (i32, String) {
    let out = cmd.output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn clean_rules_exit_0_with_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "good.declic", GOOD);
    let (code, out) = stdout(declic().arg("check").arg(&path));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.ends_with("checked 1 file, 1 trigger: 0 errors, 0 warnings\n"),
        "{out}"
    );
}

#[test]
fn errors_exit_1_and_every_error_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bad.declic", BAD);
    let (code, out) = stdout(
        declic()
            .arg("check")
            .arg(&path)
            .arg("--format")
            .arg("plain"),
    );
    assert_eq!(code, 1);
    assert!(out.contains("declic::unknown_value"), "{out}");
    assert!(out.contains("did you mean `Messagerie`"), "{out}");
    assert!(out.contains("declic::unknown_action"), "{out}");
    assert!(out.contains("2 errors"), "{out}");
}

#[test]
fn warnings_fail_only_when_denied() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "warn.declic", WARNING_ONLY);
    let (code, out) = stdout(declic().arg("check").arg(&path));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 warning"), "{out}");
    let (code, _) = stdout(
        declic()
            .arg("check")
            .arg(&path)
            .args(["--deny", "warnings"]),
    );
    assert_eq!(code, 1);
}

#[test]
fn unreadable_paths_and_usage_errors_exit_2() {
    let (code, out) = stdout(declic().args(["check", "no/such/file.declic"]));
    assert_eq!(code, 2);
    assert!(out.contains("declic::unreadable"), "{out}");
    let out = declic().arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "no path is a usage error");
    let out = declic()
        .args(["check", "x", "--format", "yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_directory_is_one_rule_set() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.declic", GOOD);
    write(dir.path(), "b.declic", GOOD);
    write(dir.path(), "notes.txt", "not a rule file");
    let (code, out) = stdout(
        declic()
            .arg("check")
            .arg(dir.path())
            .args(["--format", "plain"]),
    );
    // The same title twice is a warning: Zendesk allows it.
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("declic::duplicate_title"), "{out}");
    assert!(out.contains("checked 2 files, 2 triggers"), "{out}");
}

const AUTOMATION: &str = r#"automation "Solve pending" {
  when all {
    Status is Pending
    Hours since pending > 96
  }
  then {
    Status = Solved
  }
}
"#;

const QUEUE: &str = r#"queue "Email follow-up" {
  order 1
  priority 10
  when all {
    Channel is Messaging
  }
  groups {
    primary 360012000100
  }
}
"#;

#[test]
fn the_summary_counts_automations_and_queues_apart_from_triggers() {
    let later = AUTOMATION.replace("Solve", "Close").replace("96", "120");
    let cases: [(&[&str], &str, [u64; 3]); 4] = [
        (
            &[GOOD, AUTOMATION, QUEUE],
            "1 trigger, 1 automation, 1 queue: 0 errors",
            [1, 1, 1],
        ),
        (
            &[AUTOMATION, &later, QUEUE],
            "0 triggers, 2 automations, 1 queue: 0 errors",
            [0, 2, 1],
        ),
        (&[QUEUE], "0 triggers, 1 queue: 0 errors", [0, 0, 1]),
        // Near miss: triggers alone keep the line they always had.
        (&[GOOD], "1 trigger: 0 errors", [1, 0, 0]),
    ];
    for (texts, line, [triggers, automations, queues]) in cases {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "rules.declic", &texts.concat());
        let (code, out) = stdout(declic().arg("check").arg(dir.path()));
        assert_eq!(code, 0, "{out}");
        assert!(out.contains(&format!("checked 1 file, {line}")), "{out}");
        let (_, out) = stdout(
            declic()
                .arg("check")
                .arg(dir.path())
                .args(["--format", "json"]),
        );
        let report: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
        let summary = &report["summary"];
        assert_eq!(summary["triggers"], triggers, "{out}");
        assert_eq!(summary["automations"], automations, "{out}");
        assert_eq!(summary["queues"], queues, "{out}");
    }
}

#[test]
fn a_directory_without_rule_files_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out) = stdout(declic().arg("check").arg(dir.path()));
    assert_eq!(code, 1);
    assert!(out.contains("declic::no_rule_files"), "{out}");
}

#[test]
fn json_carries_positions_and_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bad.declic", BAD);
    let (code, out) = stdout(declic().arg("check").arg(&path).args(["--format", "json"]));
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    let first = &report["diagnostics"][0];
    assert_eq!(first["code"], "declic::unknown_value");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["line"], 3);
    assert_eq!(first["column"], 14);
    assert_eq!(first["offset"], BAD.find("Messageri").unwrap());
    assert_eq!(first["length"], "Messageri".len());
    assert!(first["file"].as_str().unwrap().ends_with("bad.declic"));
    assert!(first["help"].as_str().unwrap().contains("Messagerie"));
    assert_eq!(report["summary"]["errors"], 2);
    assert_eq!(report["summary"]["triggers"], 1);
}

#[test]
fn plain_output_has_no_colour_and_no_color_is_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bad.declic", BAD);
    let (_, out) = stdout(declic().arg("check").arg(&path).args(["--format", "plain"]));
    assert!(!out.contains('\u{1b}'), "{out}");
    let (_, out) = stdout(
        declic()
            .arg("check")
            .arg(&path)
            .args(["--format", "human"])
            .env("NO_COLOR", "1"),
    );
    assert!(out.contains("declic::unknown_value"));
    let (_, human) = stdout(declic().arg("check").arg(&path).args(["--format", "human"]));
    assert!(human.contains('\u{1b}'), "human output is coloured");
}

#[test]
fn help_shows_examples_and_exit_codes() {
    let (code, out) = stdout(declic().args(["check", "--help"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("Examples:") && out.contains("declic check recipes/"),
        "{out}"
    );
    assert!(out.contains("Exit codes:"), "{out}");
    let (_, out) = stdout(declic().arg("--help"));
    assert!(out.contains("check") && out.contains("catalog"), "{out}");
}

#[test]
fn catalog_lists_both_languages() {
    let (code, out) = stdout(declic().args(["catalog", "--format", "json"]));
    assert_eq!(code, 0);
    let catalog: serde_json::Value = serde_json::from_str(&out).unwrap();
    let fields = catalog["fields"].as_array().unwrap();
    assert!(fields
        .iter()
        .any(|f| f["names"]["fr"][0] == "Canal" && f["names"]["api"] == "via_id"));
    let actions = catalog["actions"].as_array().unwrap();
    assert!(actions
        .iter()
        .any(|a| a["names"]["fr"][0] == "Mettre fin à la session"));
    let times = catalog["time_conditions"].as_array().unwrap();
    assert!(times.iter().any(
        |t| t["names"]["fr"][0] == "Heures ouvrées depuis En attente"
            && t["operators"][2] == "greater_than_business_hours"
    ));
    assert!(times.iter().any(
        |t| t["names"]["en"][0] == "Hours since pending" && t["operators"][2] == "greater_than"
    ));
}
