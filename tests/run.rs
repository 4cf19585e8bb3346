//! `declic run` and `declic explain` as users run them: outcomes, streams, bad events,
//! exit codes.

use assert_cmd::Command;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const RULES: &str = r#"trigger "VIP" {
  when all {
    Tags includes vip
    Priority is not Urgent
  }
  then {
    Priority = Urgent
    notify requester "Ticket {{ticket.id}}" "We are on it"
  }
}

trigger "Urgent goes to tier 2" {
  when all {
    Priority changed to Urgent
  }
  then {
    Group = 20
  }
}
"#;

fn declic() -> Command {
    let mut cmd = Command::cargo_bin("declic").expect("the binary is built");
    cmd.env_remove("NO_COLOR");
    cmd
}

/// A temporary directory holding the rules and the given files.
fn workspace(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("rules.declic"), RULES).expect("written");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("written");
    }
    let rules = dir.path().join("rules.declic");
    (dir, rules)
}

fn vip(id: u64) -> Value {
    json!({"ticket": {"id": id, "tags": ["vip"], "status": "open"}, "previous": {"id": id, "status": "new"}})
}

fn lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect()
}

/// `declic run rules events`, which must succeed.
fn run_ok(rules: &Path, events: &str) -> std::process::Output {
    let out = declic()
        .arg("run")
        .arg(rules)
        .arg(events)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    out
}

fn path(dir: &Path, name: &str) -> String {
    dir.join(name).display().to_string()
}

#[test]
fn one_event_gives_its_outcome_as_json() {
    let (dir, rules) = workspace(&[("e.json", &vip(7).to_string())]);
    let out = run_ok(&rules, &path(dir.path(), "e.json"));
    let outcome = &lines(&out.stdout)[0];
    assert_eq!(outcome["ticket"]["priority"], "urgent");
    assert_eq!(outcome["ticket"]["group_id"], 20);
    let fired: Vec<(&str, u64)> = outcome["fired"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|f| (f["trigger"].as_str().unwrap(), f["pass"].as_u64().unwrap()))
        .collect();
    assert_eq!(fired, [("VIP", 1), ("Urgent goes to tier 2", 1)]);
    assert_eq!(outcome["effects"][0]["subject"], "Ticket 7");
}

#[test]
fn a_pretty_printed_event_gives_one_line_with_its_unknown_keys_as_written() {
    let event = serde_json::to_string_pretty(&json!({
        "ticket": {"id": 7, "tags": ["vip"], "status": "open",
                   "via": {"id": 75, "source": {"from": {"name": "Ana  B"}, "rel": null}}},
    }))
    .expect("serializes");
    let event = event.replace(r#""tags""#, r#""price": 1.50, "tags""#);
    let (dir, rules) = workspace(&[("e.json", &event)]);
    let out = run_ok(&rules, &path(dir.path(), "e.json"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.contains(r#""source":{"from":{"name":"Ana  B"},"rel":null}"#));
    assert!(
        stdout.contains(r#""price":1.50"#),
        "not read as 1.5: {stdout}"
    );
}

#[test]
fn a_stream_keeps_input_order_and_reports_bad_lines_by_number() {
    // More events than two of the chunks `run` reads at a time (4,096), with a bad line in
    // the second: chunks are printed, run and read at the same time.
    const EVENTS: u64 = 9_000;
    const BAD_AFTER: u64 = 5_000;
    let mut stream = String::new();
    for id in 0..EVENTS {
        stream.push_str(&vip(id).to_string());
        stream.push('\n');
        if id == BAD_AFTER {
            stream.push_str("{\"ticket\": {\"status\": \"archived\"}}\n\n");
        }
    }
    stream.push_str("{\"ticket\":");
    let (dir, rules) = workspace(&[("s.ndjson", &stream)]);
    let out = declic()
        .args(["run", "--threads", "2"])
        .arg(&rules)
        .arg(path(dir.path(), "s.ndjson"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "a bad line fails the run");
    let outcomes = lines(&out.stdout);
    assert_eq!(outcomes.len(), EVENTS as usize + 2);
    let ids: Vec<Option<u64>> = outcomes
        .iter()
        .map(|o| o["ticket"]["id"].as_u64())
        .collect();
    let expected: Vec<Option<u64>> = (0..=BAD_AFTER)
        .map(Some)
        .chain([None])
        .chain((BAD_AFTER + 1..EVENTS).map(Some))
        .chain([None])
        .collect();
    assert_eq!(ids, expected, "outcomes in input order, errors in place");
    let bad = &outcomes[BAD_AFTER as usize + 1]["error"];
    assert_eq!(bad["code"], "declic::invalid_event");
    assert_eq!(bad["line"], BAD_AFTER + 2);
    assert_eq!(bad["path"], "ticket.status");
    let last = &outcomes[EVENTS as usize + 1]["error"];
    assert_eq!(last["line"], EVENTS + 3, "the blank line counts");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("s.ndjson:{}:", BAD_AFTER + 2)),
        "{stderr}"
    );
    assert!(stderr.contains("unknown variant `archived`"), "{stderr}");
}

#[test]
fn a_directory_runs_in_path_order_with_its_streams_in_place() {
    // Event files run together on the pool; the stream between them runs on its own.
    let mut files: Vec<(String, String)> = (0..40)
        .map(|id| (format!("a{id:02}.json"), vip(id).to_string()))
        .collect();
    files[17].1 = "{\"ticket\": {\"status\": \"archived\"}}".to_owned();
    files.push((
        "m.ndjson".to_owned(),
        format!("{}\n{}\n", vip(100), vip(101)),
    ));
    files.extend((200..205).map(|id| (format!("z{id}.json"), vip(id).to_string())));
    let events = tempfile::tempdir().expect("a temporary directory");
    for (name, text) in &files {
        std::fs::write(events.path().join(name), text).expect("written");
    }
    let (_dir, rules) = workspace(&[]);
    let out = declic()
        .args(["run", "--threads", "2"])
        .arg(&rules)
        .arg(events.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "a bad file fails the run");
    let ids: Vec<Option<u64>> = lines(&out.stdout)
        .iter()
        .map(|o| o["ticket"]["id"].as_u64())
        .collect();
    let expected: Vec<Option<u64>> = (0..40)
        .map(|id| (id != 17).then_some(id))
        .chain([Some(100), Some(101)])
        .chain((200..205).map(Some))
        .collect();
    assert_eq!(ids, expected, "outcomes in path order, the error in place");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("a17.json"), "{stderr}");
}

#[test]
fn events_come_from_stdin_with_a_dash() {
    let (_dir, rules) = workspace(&[]);
    let input = format!("{}\n{}\n", vip(1), vip(2));
    let out = declic()
        .arg("run")
        .arg(&rules)
        .arg("-")
        .write_stdin(input)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let ids: Vec<u64> = lines(&out.stdout)
        .iter()
        .map(|o| o["ticket"]["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [1, 2]);
}

#[test]
fn text_format_summarises_each_event() {
    let (dir, rules) = workspace(&[("e.json", &vip(7).to_string())]);
    let out = declic()
        .args(["run", "--format", "text"])
        .arg(&rules)
        .arg(dir.path().join("e.json"))
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("2 triggers fired in 2 passes"), "{text}");
    assert!(text.contains("[pass 1] VIP"), "{text}");
    assert!(text.contains("priority: (none) → urgent"), "{text}");
    assert!(
        text.contains("email to requester_id: \"Ticket 7\"  (VIP)"),
        "{text}"
    );
}

#[test]
fn unreadable_inputs_and_broken_rules_have_their_own_exit_codes() {
    let (dir, rules) = workspace(&[(
        "bad.declic",
        "trigger \"x\" {\n when all {\n  Statu is open\n }\n}\n",
    )]);
    let missing = declic()
        .arg("run")
        .arg(&rules)
        .arg(dir.path().join("nope.json"))
        .output()
        .expect("runs");
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("declic::unreadable"));
    let broken = declic()
        .arg("run")
        .arg(dir.path().join("bad.declic"))
        .arg(&rules)
        .output()
        .expect("runs");
    assert_eq!(broken.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&broken.stderr).contains("declic::unknown_field"));
    assert!(broken.stdout.is_empty());
}

#[test]
fn explain_shows_each_pass_and_the_values_seen() {
    let (dir, rules) = workspace(&[("e.json", &vip(7).to_string())]);
    let out = declic()
        .arg("explain")
        .arg(&rules)
        .arg(dir.path().join("e.json"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("pass 1\n  ✓ fired: VIP"), "{text}");
    assert!(text.contains("✓ Tags includes vip    [saw: vip]"), "{text}");
    assert!(
        text.contains("✓ Priority changed to Urgent    [saw: (none) → Urgent]"),
        "{text}"
    );
    assert!(text.contains("pass 2\n  · already fired: VIP"), "{text}");
    assert!(text.ends_with("2 triggers fired in 2 passes\n"), "{text}");
}

#[test]
fn explain_filters_one_trigger_and_refuses_unknown_titles() {
    let (dir, rules) = workspace(&[("e.json", &vip(7).to_string())]);
    let out = declic()
        .args(["explain", "--format", "json", "--trigger", "VIP"])
        .arg(&rules)
        .arg(dir.path().join("e.json"))
        .output()
        .expect("runs");
    let explained: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let titles: Vec<&str> = explained["passes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["triggers"].as_array().unwrap())
        .map(|t| t["trigger"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["VIP", "VIP"]);
    assert_eq!(explained["passes"][0]["triggers"][0]["verdict"], "fired");
    let unknown = declic()
        .args(["explain", "--trigger", "vip!"])
        .arg(&rules)
        .arg(dir.path().join("e.json"))
        .output()
        .expect("runs");
    assert_eq!(unknown.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(stderr.contains("declic::unknown_trigger"), "{stderr}");
    assert!(stderr.contains("did you mean `VIP`?"), "{stderr}");
}

#[test]
fn explain_names_a_trigger_by_id_when_titles_repeat() {
    let twins = "trigger \"Twin\" {\n  id 11\n  when all {\n    Tags includes vip\n  }\n  then {\n    Tags += a\n  }\n}\n\n\
                 trigger \"Twin\" {\n  id 22\n  when all {\n    Tags includes other\n  }\n  then {\n    Tags += b\n  }\n}\n";
    let (dir, _) = workspace(&[("twins.declic", twins), ("e.json", &vip(7).to_string())]);
    let explain = |name: &str| {
        declic()
            .args(["explain", "--trigger", name])
            .arg(dir.path().join("twins.declic"))
            .arg(dir.path().join("e.json"))
            .output()
            .expect("runs")
    };
    let ambiguous = explain("Twin");
    assert_eq!(ambiguous.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&ambiguous.stderr);
    assert!(stderr.contains("declic::ambiguous_trigger"), "{stderr}");
    assert!(stderr.contains("`#11`, `#22`"), "{stderr}");
    let cases = [
        ("#11", "✓ fired: Twin (#11)", "#22"),
        ("#22", "✗ not matched: Twin (#22)", "#11"),
    ];
    for (name, verdict, other) in cases {
        let out = explain(name);
        assert_eq!(out.status.code(), Some(0), "{name}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(verdict), "{name}: {text}");
        assert!(!text.contains(other), "only {name} is shown: {text}");
    }
    // Near miss: an id no trigger has.
    let unknown = explain("#33");
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("declic::unknown_trigger"));
}

/// The outcomes of `declic run` with `args`, one JSON value a line.
fn outcomes(args: &[&str]) -> Vec<Value> {
    let out = declic().arg("run").args(args).output().expect("runs");
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "{out:?}"
    );
    lines(&out.stdout)
}

#[test]
fn output_changes_is_the_outcome_without_the_ticket() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = |p: &str| root.join(p).to_str().expect("utf-8").to_owned();
    let (messaging, recipes) = (
        file("tests/corpus/valid/06-messaging-triggers.declic"),
        file("recipes/fr"),
    );
    let events = file("events");
    // Without routing, each event is read as the rules need it; with it (the recipes have
    // queues), whole, and what routing decided is among the changes.
    for (rules, routes) in [(messaging, false), (recipes, true)] {
        let args = [rules.as_str(), events.as_str()];
        let whole = outcomes(&args);
        let changes = outcomes(&[&args[..], &["--output", "changes"]].concat());
        assert_eq!(whole.len(), changes.len());
        assert!(whole.len() >= 10);
        let (mut fired, mut routed) = (0, 0);
        for (mut outcome, changes) in whole.into_iter().zip(changes) {
            let ticket = outcome.as_object_mut().and_then(|o| o.remove("ticket"));
            assert!(ticket.is_some(), "{outcome}");
            assert_eq!(outcome, changes);
            fired += changes["fired"].as_array().map_or(0, Vec::len);
            routed += usize::from(changes.get("routing").is_some());
        }
        assert!(fired > 0, "no trigger fired under {rules}");
        assert_eq!(routed > 0, routes, "{rules}");
    }
}

#[test]
fn output_changes_reports_bad_lines_in_place() {
    let stream = format!("{}\n{{\"ticket\": 3}}\n{}\n", vip(1), vip(2));
    let (dir, rules) = workspace(&[("events.ndjson", &stream)]);
    let events = path(dir.path(), "events.ndjson");
    let rules = rules.to_str().expect("utf-8");
    let out = declic()
        .args(["run", rules, &events, "--output", "changes"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let got = lines(&out.stdout);
    assert_eq!(got.len(), 3);
    assert_eq!(got[0]["fired"][0]["trigger"], "VIP");
    assert!(got[0].get("ticket").is_none());
    assert_eq!(got[1]["error"]["line"], 2, "{}", got[1]);
    assert_eq!(got[2]["fired"][1]["changes"][0]["field"], "group_id");
}
