//! `declic import zendesk` and `declic export zendesk` as users run them: files written and
//! refused, exit codes, diagnostics on standard error, and the round trip through a folder.

use std::ffi::{OsStr, OsString};
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

/// Fails unless `text` holds every one of `parts`.
fn assert_mentions(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "`{part}` in:\n{text}");
    }
}

/// Writes `text` to `dir/name`, and gives its path.
fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("a temporary file");
    path
}

/// One argument, whatever its type.
fn os(arg: impl AsRef<OsStr>) -> OsString {
    arg.as_ref().to_os_string()
}

/// `declic import zendesk ARGS...`
fn import(args: &[OsString]) -> Run {
    run(declic().args(["import", "zendesk"]).args(args))
}

/// `declic export zendesk ARGS...`
fn export(args: &[OsString]) -> Run {
    run(declic().args(["export", "zendesk"]).args(args))
}

/// `declic check ARGS...`
fn check(args: &[OsString]) -> Run {
    run(declic().arg("check").args(args))
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
    let imported = import(&[os(&input), os("-o"), os(&rules)]);
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    assert!(imported.stdout.is_empty(), "files, not standard output");
    assert_mentions(
        &imported.stderr,
        &["imported 22 triggers and 0 automations into 1 file"],
    );
    let checked = check(&[os(&rules)]);
    assert_eq!(checked.code, 0, "{}", checked.stdout);
    let exported = export(&[os(&rules)]);
    assert_eq!(exported.code, 0, "{}", exported.stderr);
    let exported: Value = serde_json::from_str(&exported.stdout).expect("JSON");
    assert_eq!(
        by_id(&exported, "triggers"),
        by_id(&json(&input), "triggers")
    );
}

#[test]
fn the_import_summary_counts_routing_queues() {
    let (queues, single) = (fixture("queues/queues.json"), fixture("single.json"));
    let cases: [(&[&Path], &str); 3] = [
        (
            &[&queues],
            "imported 0 triggers, 0 automations and 1 queue:",
        ),
        (
            &[&single, &queues],
            "imported 1 trigger, 0 automations and 1 queue:",
        ),
        // Near miss: without queues, the line names none.
        (&[&single], "imported 1 trigger and 0 automations:"),
    ];
    for (files, line) in cases {
        let args: Vec<OsString> = files.iter().map(os).collect();
        let out = import(&args);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert_mentions(&out.stderr, &[line]);
        assert_eq!(
            out.stderr.contains("queue"),
            files.contains(&queues.as_path()),
            "{}",
            out.stderr
        );
    }
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("a file")).expect("JSON")
}

#[test]
fn import_prints_to_standard_output_without_a_folder() {
    let out = import(&[os("--lang"), os("fr"), os(fixture("single.json"))]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_mentions(
        &out.stdout,
        &["déclencheur \"Single trigger\" {", "Priorité = Normale"],
    );
}

#[test]
fn an_existing_file_is_never_replaced_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("triggers.declic");
    std::fs::write(&mine, "# my own rules\n").unwrap();
    let single = [
        os("--single"),
        os(fixture("single.json")),
        os("-o"),
        os(dir.path()),
    ];
    let refused = import(&single);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert_mentions(&refused.stderr, &["declic::file_exists", "triggers.declic"]);
    // Stopped before writing: the summary does not claim an import.
    assert_mentions(
        &refused.stderr,
        &["imported nothing: 1 trigger and 0 automations read"],
    );
    assert!(
        !refused.stderr.contains("imported 1 trigger"),
        "{}",
        refused.stderr
    );
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "# my own rules\n");
    let forced = import(&[&single[..], &[os("--force")]].concat());
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert_mentions(
        &forced.stderr,
        &["imported 1 trigger and 0 automations into 1 file"],
    );
    assert_mentions(
        &std::fs::read_to_string(&mine).unwrap(),
        &["trigger \"Single trigger\""],
    );

    let out = dir.path().join("out.json");
    std::fs::write(&out, "{}").unwrap();
    let to_out = [os(&mine), os("-o"), os(&out)];
    let refused = export(&to_out);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert_mentions(&refused.stderr, &["declic::file_exists"]);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "{}");
    let forced = export(&[&to_out[..], &[os("--force")]].concat());
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert_mentions(
        &std::fs::read_to_string(&out).unwrap(),
        &["\"Single trigger\""],
    );
}

#[test]
fn bad_rules_are_reported_and_the_others_imported() {
    let out = import(&[os(fixture("bad/mixed.json"))]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_mentions(
        &out.stdout,
        &["trigger \"Fine before\"", "trigger \"Fine after\""],
    );
    assert_mentions(
        &out.stderr,
        &[
            "declic::zendesk_missing_key",
            "declic::zendesk_wrong_type",
            "`triggers[2].conditions.all[0].field`",
            "`Wrong field type`",
            "mixed.json",
        ],
    );
}

#[test]
fn files_that_are_not_zendesk_json_or_not_there() {
    let out = import(&[os(fixture("bad/not_json.json")), os(fixture("single.json"))]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert_mentions(&out.stderr, &["declic::not_zendesk_json"]);
    assert_mentions(&out.stdout, &["Single trigger"]);
    let out = import(&[os("no/such/file.json")]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert_mentions(&out.stderr, &["declic::unreadable"]);
}

#[test]
fn export_refuses_what_zendesk_cannot_express_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let rules = write(
        dir.path(),
        "nested.declic",
        "trigger \"Two any groups\" {\n  when all {\n    any {\n      Status is Open\n      Status is New\n    }\n    any {\n      Priority is High\n      Priority is Low\n    }\n  }\n  then {\n    Priority = Urgent\n  }\n}\n",
    );
    let out = export(&[os(&rules)]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.is_empty());
    assert_mentions(&out.stderr, &["declic::not_exportable", "`Two any groups`"]);
}

#[test]
fn automations_export_under_their_own_key() {
    let dir = tempfile::tempdir().unwrap();
    let input = fixture("automations.json");
    let imported = import(&[os(&input), os("-o"), os(dir.path())]);
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    // `>=` and fractional hours, which Zendesk's automations do not have.
    assert_mentions(&imported.stderr, &["2 warning(s)"]);
    let written = std::fs::read_to_string(dir.path().join("automations.declic")).unwrap();
    assert_mentions(
        &written,
        &["automation \"", "Business hours since pending > 24"],
    );
    // A rule set of automations exports to their list, with or without `--automations`.
    for flags in [vec![], vec![os("--automations")]] {
        let out = export(&[flags, vec![os(dir.path())]].concat());
        assert_eq!(out.code, 0, "{}", out.stderr);
        let exported: Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(
            by_id(&exported, "automations"),
            by_id(&json(&input), "automations")
        );
        assert!(exported.get("triggers").is_none(), "{}", out.stdout);
    }
    // With a trigger beside them, both lists, or the one asked for.
    std::fs::write(
        dir.path().join("triggers.declic"),
        "trigger \"Tag VIP\" {\n  when all {\n    Ticket is Created\n  }\n  then {\n    Tags += vip\n  }\n}\n",
    )
    .unwrap();
    let keys = |flags: &[OsString]| -> Vec<String> {
        let out = export(&[flags, &[os(dir.path())][..]].concat());
        assert_eq!(out.code, 0, "{}", out.stderr);
        let exported: Value = serde_json::from_str(&out.stdout).unwrap();
        exported.as_object().unwrap().keys().cloned().collect()
    };
    assert_eq!(keys(&[]), ["automations", "triggers"]);
    assert_eq!(keys(&[os("--triggers")]), ["triggers"]);
    assert_eq!(keys(&[os("--automations")]), ["automations"]);
    let both = export(&[os("--triggers"), os("--automations"), os(dir.path())]);
    assert_eq!(both.code, 2, "{}", both.stderr);
}

#[test]
fn a_document_of_both_lists_imports_whole() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    std::fs::write(
        rules.join("all.declic"),
        "trigger \"Tag VIP\" {\n  when all {\n    Ticket is Created\n  }\n  then {\n    Tags += vip\n  }\n}\n\n\
         automation \"Close\" {\n  when all {\n    Status is Solved\n    Hours since solved > 96\n  }\n  then {\n    Status = Closed\n  }\n}\n",
    )
    .unwrap();
    let out = export(&[os(&rules)]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let both = dir.path().join("both.json");
    std::fs::write(&both, &out.stdout).unwrap();
    let back = dir.path().join("back");
    let imported = import(&[os(&both), os("-o"), os(&back)]);
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    assert_mentions(&imported.stderr, &["1 trigger and 1 automation"]);
    let again = export(&[os(&back)]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(
        serde_json::from_str::<Value>(&again.stdout).unwrap(),
        serde_json::from_str::<Value>(&out.stdout).unwrap()
    );
}

#[test]
fn an_account_gives_titles_on_import_and_ids_on_export() {
    let dir = tempfile::tempdir().unwrap();
    let account = [os("--account"), os(fixture("account"))];
    let input = fixture("with_account.json");
    let imported = import(&[&[os(&input), os("-o"), os(dir.path())], &account[..]].concat());
    assert_eq!(imported.code, 0, "{}", imported.stderr);
    let routing = std::fs::read_to_string(dir.path().join("triggers-01-routing.declic")).unwrap();
    assert_mentions(&routing, &["Group = \"Support N2\""]);
    let checked = check(&[&[os(dir.path())], &account[..]].concat());
    assert_eq!(checked.code, 0, "{}", checked.stdout);
    let without = check(&[os(dir.path())]);
    assert_eq!(
        without.code, 1,
        "titles need the account: {}",
        without.stdout
    );
    let out = export(&[&[os(dir.path())], &account[..]].concat());
    assert_eq!(out.code, 0, "{}", out.stderr);
    let exported: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        by_id(&exported, "triggers"),
        by_id(&json(&input), "triggers")
    );
    assert_eq!(exported["triggers"][0]["category_id"], "10026");
}

#[test]
fn check_with_an_account_suggests_titles() {
    let dir = tempfile::tempdir().unwrap();
    let rules = write(
        dir.path(),
        "typo.declic",
        "trigger \"t\" {\n  when all {\n    Group is \"Suport N2\"\n  }\n  then {\n    send CSAT\n  }\n}\n",
    );
    let plain = [os(&rules), os("--format"), os("plain"), os("--account")];
    let out = check(&[&plain[..], &[os(fixture("account"))]].concat());
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert_mentions(&out.stdout, &["did you mean `Support N2`?"]);
    let broken = dir.path().join("account");
    std::fs::create_dir(&broken).unwrap();
    std::fs::write(broken.join("groups.json"), r#"{"groups": [{"id": "x"}]}"#).unwrap();
    let bad = check(&[&plain[..], &[os(&broken)]].concat());
    assert_eq!(bad.code, 2, "{}", bad.stdout);
    assert_mentions(&bad.stdout, &["declic::bad_account", "groups[0]"]);
    let missing = check(&[&plain[..], &[os("no/such/dir")]].concat());
    assert_eq!(missing.code, 2, "{}", missing.stdout);
}
