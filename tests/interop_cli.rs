//! `declic import zendesk` and `declic export zendesk` as users run them: files written and
//! refused, exit codes, diagnostics on standard error, and the round trip through a folder.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn declic() -> Command {
    let mut cmd = Command::cargo_bin("declic").expect("the binary is built");
    cmd.env("NO_COLOR", "1");
    cmd
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/interop")
        .join(name)
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().expect("runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Each rule's conditions and actions, by id, as comparable JSON.
fn by_id(json: &Value, key: &str) -> Vec<(i64, Value)> {
    let mut rules: Vec<(i64, Value)> = json[key]
        .as_array()
        .expect("a list of rules")
        .iter()
        .map(|r| {
            let kept = serde_json::json!([
                r["conditions"]["all"],
                r["conditions"]["any"],
                r["actions"],
                r["title"],
                r["active"]
            ]);
            (r["id"].as_i64().unwrap_or_default(), kept)
        })
        .collect();
    rules.sort_by_key(|(id, _)| *id);
    rules
}

#[test]
fn import_to_a_folder_then_export_gives_back_the_same_rules() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    let input = fixture("every_condition.json");
    let import = run(declic()
        .args(["import", "zendesk"])
        .arg(&input)
        .arg("-o")
        .arg(&rules));
    assert_eq!(import.code, 0, "{}", import.stderr);
    assert!(import.stdout.is_empty(), "files, not standard output");
    assert!(
        import
            .stderr
            .contains("imported 22 triggers and 0 automations into 1 file"),
        "{}",
        import.stderr
    );
    let check = run(declic().arg("check").arg(&rules));
    assert_eq!(check.code, 0, "{}", check.stdout);
    let export = run(declic().args(["export", "zendesk"]).arg(&rules));
    assert_eq!(export.code, 0, "{}", export.stderr);
    let exported: Value = serde_json::from_str(&export.stdout).expect("JSON");
    let original: Value = serde_json::from_str(&std::fs::read_to_string(&input).unwrap()).unwrap();
    assert_eq!(by_id(&exported, "triggers"), by_id(&original, "triggers"));
}

#[test]
fn import_prints_to_standard_output_without_a_folder() {
    let out = run(declic()
        .args(["import", "zendesk", "--lang", "fr"])
        .arg(fixture("single.json")));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("déclencheur \"Single trigger\" {"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("Priorité = Normale"), "{}", out.stdout);
}

#[test]
fn an_existing_file_is_never_replaced_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("triggers.declic");
    std::fs::write(&mine, "# my own rules\n").unwrap();
    let refused = run(declic()
        .args(["import", "zendesk", "--single"])
        .arg(fixture("single.json"))
        .arg("-o")
        .arg(dir.path()));
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(
        refused.stderr.contains("declic::file_exists"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("triggers.declic"),
        "{}",
        refused.stderr
    );
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "# my own rules\n");
    let forced = run(declic()
        .args(["import", "zendesk", "--single", "--force"])
        .arg(fixture("single.json"))
        .arg("-o")
        .arg(dir.path()));
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(std::fs::read_to_string(&mine)
        .unwrap()
        .contains("trigger \"Single trigger\""));

    let json = dir.path().join("out.json");
    std::fs::write(&json, "{}").unwrap();
    let export = run(declic()
        .args(["export", "zendesk"])
        .arg(&mine)
        .arg("-o")
        .arg(&json));
    assert_eq!(export.code, 2, "{}", export.stderr);
    assert!(
        export.stderr.contains("declic::file_exists"),
        "{}",
        export.stderr
    );
    assert_eq!(std::fs::read_to_string(&json).unwrap(), "{}");
    let export = run(declic()
        .args(["export", "zendesk", "--force"])
        .arg(&mine)
        .arg("-o")
        .arg(&json));
    assert_eq!(export.code, 0, "{}", export.stderr);
    assert!(std::fs::read_to_string(&json)
        .unwrap()
        .contains("\"Single trigger\""));
}

#[test]
fn bad_rules_are_reported_and_the_others_imported() {
    let out = run(declic()
        .args(["import", "zendesk"])
        .arg(fixture("bad/mixed.json")));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stdout.contains("trigger \"Fine before\""),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("trigger \"Fine after\""),
        "{}",
        out.stdout
    );
    for expected in [
        "declic::zendesk_missing_key",
        "declic::zendesk_wrong_type",
        "`triggers[2].conditions.all[0].field`",
        "`Wrong field type`",
        "mixed.json",
    ] {
        assert!(
            out.stderr.contains(expected),
            "{expected} in {}",
            out.stderr
        );
    }
}

#[test]
fn files_that_are_not_zendesk_json_or_not_there() {
    let out = run(declic()
        .args(["import", "zendesk"])
        .arg(fixture("bad/not_json.json"))
        .arg(fixture("single.json")));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("declic::not_zendesk_json"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout.contains("Single trigger"),
        "the other file is imported"
    );
    let out = run(declic().args(["import", "zendesk", "no/such/file.json"]));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("declic::unreadable"), "{}", out.stderr);
}

#[test]
fn export_refuses_what_zendesk_cannot_express_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("nested.declic");
    std::fs::write(
        &rules,
        "trigger \"Two any groups\" {\n  when all {\n    any {\n      Status is Open\n      Status is New\n    }\n    any {\n      Priority is High\n      Priority is Low\n    }\n  }\n  then {\n    Priority = Urgent\n  }\n}\n",
    )
    .unwrap();
    let out = run(declic().args(["export", "zendesk"]).arg(&rules));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains("declic::not_exportable"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("`Two any groups`"), "{}", out.stderr);
}

#[test]
fn automations_export_under_their_own_key() {
    let dir = tempfile::tempdir().unwrap();
    let import = run(declic()
        .args(["import", "zendesk"])
        .arg(fixture("automations.json"))
        .arg("-o")
        .arg(dir.path()));
    assert_eq!(import.code, 0, "{}", import.stderr);
    assert!(import.stderr.contains("3 warning(s)"), "{}", import.stderr);
    let out = run(declic()
        .args(["export", "zendesk", "--automations"])
        .arg(dir.path()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let exported: Value = serde_json::from_str(&out.stdout).unwrap();
    let original: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("automations.json")).unwrap())
            .unwrap();
    assert_eq!(
        by_id(&exported, "automations"),
        by_id(&original, "automations")
    );
}

#[test]
fn an_account_gives_titles_on_import_and_ids_on_export() {
    let dir = tempfile::tempdir().unwrap();
    let account = fixture("account");
    let input = fixture("with_account.json");
    let import = run(declic()
        .args(["import", "zendesk"])
        .arg(&input)
        .arg("--account")
        .arg(&account)
        .arg("-o")
        .arg(dir.path()));
    assert_eq!(import.code, 0, "{}", import.stderr);
    let routing = std::fs::read_to_string(dir.path().join("triggers-01-routing.declic")).unwrap();
    assert!(routing.contains("Group = \"Support N2\""), "{routing}");
    let check = run(declic()
        .arg("check")
        .arg(dir.path())
        .arg("--account")
        .arg(&account));
    assert_eq!(check.code, 0, "{}", check.stdout);
    let without = run(declic().arg("check").arg(dir.path()));
    assert_eq!(
        without.code, 1,
        "titles need the account: {}",
        without.stdout
    );
    let export = run(declic()
        .args(["export", "zendesk"])
        .arg(dir.path())
        .arg("--account")
        .arg(&account));
    assert_eq!(export.code, 0, "{}", export.stderr);
    let exported: Value = serde_json::from_str(&export.stdout).unwrap();
    let original: Value = serde_json::from_str(&std::fs::read_to_string(&input).unwrap()).unwrap();
    assert_eq!(by_id(&exported, "triggers"), by_id(&original, "triggers"));
    assert_eq!(exported["triggers"][0]["category_id"], "10026");
}

#[test]
fn check_with_an_account_suggests_titles() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("typo.declic");
    std::fs::write(
        &rules,
        "trigger \"t\" {\n  when all {\n    Group is \"Suport N2\"\n  }\n  then {\n    send CSAT\n  }\n}\n",
    )
    .unwrap();
    let out = run(declic()
        .arg("check")
        .arg(&rules)
        .args(["--format", "plain", "--account"])
        .arg(fixture("account")));
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("did you mean `Support N2`?"),
        "{}",
        out.stdout
    );
    let broken = dir.path().join("account");
    std::fs::create_dir(&broken).unwrap();
    std::fs::write(broken.join("groups.json"), r#"{"groups": [{"id": "x"}]}"#).unwrap();
    let bad = run(declic()
        .arg("check")
        .arg(&rules)
        .arg("--account")
        .arg(&broken));
    assert_eq!(bad.code, 2, "{}", bad.stdout);
    assert!(bad.stdout.contains("declic::bad_account"), "{}", bad.stdout);
    assert!(bad.stdout.contains("groups[0]"), "{}", bad.stdout);
    let missing = run(declic()
        .arg("check")
        .arg(&rules)
        .args(["--account", "no/such/dir"]));
    assert_eq!(missing.code, 2, "{}", missing.stdout);
}
