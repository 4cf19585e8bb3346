//! Zendesk conditions and actions declic keeps as written (`zendesk r#"..."#`) never stop
//! a run: a trigger with such a condition is not evaluated, such an action is not applied
//! (the trigger's other actions are), the outcome lists both, and later triggers run.
//! `--strict` refuses such rule sets instead.

use assert_cmd::Command;
use declic::engine::{Blocked, Compiled, Verdict};
use declic::model::{Event, Outcome, Part};
use declic::Source;

const UNKNOWN_CONDITION: &str =
    r##"zendesk r#"{"field":"assignee_id#all_agents","operator":"is","value":""}"#"##;
const UNKNOWN_ACTION: &str =
    r##"zendesk r#"{"field":"assignee_id#all_agents","value":"current_user"}"#"##;

/// A trigger on tag `vip` with `extra` among its conditions and `then` as its actions,
/// then a trigger that reads what the first one's actions add.
fn rules(extra: &str, then: &str) -> String {
    format!(
        "trigger \"First\" {{\n  id 101\n  when all {{\n    Tags includes vip\n    {extra}\n  }}\n  \
         then {{\n    {then}\n  }}\n}}\n\n\
         trigger \"Later\" {{\n  when all {{\n    Tags includes vip\n  }}\n  then {{\n    Tags += later\n  }}\n}}\n"
    )
}

fn engine(text: &str) -> Compiled {
    let rules = declic::check(&[Source::new("r.declic", text.to_owned())])
        .into_result()
        .expect("the rules check");
    Compiled::new(&rules).expect("a checked rule set compiles, Zendesk lines and all")
}

fn vip() -> Event {
    Event::from_json(r#"{"ticket": {"id": 1, "status": "open", "tags": ["vip"]}}"#)
        .expect("valid event")
}

fn fired(o: &Outcome) -> Vec<&str> {
    o.fired.iter().map(|f| &*f.trigger).collect()
}

#[test]
fn a_trigger_with_an_unknown_condition_is_not_evaluated_and_later_ones_run() {
    let o = engine(&rules(UNKNOWN_CONDITION, "Tags += first")).run(&vip());
    assert_eq!(fired(&o), ["Later"]);
    assert_eq!(o.unsupported.len(), 1, "{:?}", o.unsupported);
    let u = &o.unsupported[0];
    assert_eq!(
        (&*u.trigger, u.id, u.part),
        ("First", Some(101), Part::Condition)
    );
    assert_eq!(&*u.raw, UNKNOWN_CONDITION);
    assert!(
        u.reason.contains("`assignee_id#all_agents is`"),
        "{}",
        u.reason
    );
    assert!(u.reason.contains("not evaluated"), "{}", u.reason);
    // Near miss: the same trigger without the Zendesk line fires, and nothing is listed.
    let o = engine(&rules("Status is Open", "Tags += first")).run(&vip());
    assert_eq!(fired(&o), ["First", "Later"]);
    assert!(o.unsupported.is_empty());
    let json = serde_json::to_value(&o).expect("serializes");
    assert!(
        json.get("unsupported").is_none(),
        "left out when empty: {json}"
    );
}

#[test]
fn an_unknown_condition_inside_any_still_keeps_the_trigger_from_running() {
    let any = format!("any {{\n      Status is Open\n      {UNKNOWN_CONDITION}\n    }}");
    let o = engine(&rules(&any, "Tags += first")).run(&vip());
    assert_eq!(fired(&o), ["Later"]);
    assert_eq!(o.unsupported[0].part, Part::Condition);
}

#[test]
fn an_unknown_action_is_not_applied_and_the_others_are() {
    let then = format!("Tags += first\n    {UNKNOWN_ACTION}\n    Priority = High");
    let o = engine(&rules("Status is Open", &then)).run(&vip());
    assert_eq!(fired(&o), ["First", "Later"]);
    assert!(o.ticket.tags.iter().any(|t| t.as_str() == "first"));
    assert_eq!(o.ticket.priority, Some(declic::model::Priority::High));
    assert_eq!(o.unsupported.len(), 1, "{:?}", o.unsupported);
    let u = &o.unsupported[0];
    assert_eq!((&*u.trigger, u.part), ("First", Part::Action));
    assert_eq!(&*u.raw, UNKNOWN_ACTION);
    assert!(u.reason.contains("not applied"), "{}", u.reason);
    // Near miss: when the trigger does not fire, its action is not listed.
    let o = engine(&rules("Status is Solved", &then)).run(&vip());
    assert_eq!(fired(&o), ["Later"]);
    assert!(o.unsupported.is_empty(), "{:?}", o.unsupported);
}

#[test]
fn an_indexed_rule_set_passes_over_the_trigger_too() {
    // Enough triggers for the engine to index them.
    let filler: String = (0..40)
        .map(|i| {
            format!(
                "trigger \"Filler {i}\" {{\n  when all {{\n    Tags includes f{i}\n  }}\n  \
                 then {{\n    Tags += g{i}\n  }}\n}}\n"
            )
        })
        .collect();
    let text = rules(UNKNOWN_CONDITION, "Tags += first") + &filler;
    for indexed in [true, false] {
        let o = engine(&text).indexed(indexed).run(&vip());
        assert_eq!(fired(&o), ["Later"], "indexed: {indexed}");
        assert_eq!(o.unsupported.len(), 1, "indexed: {indexed}");
    }
}

#[test]
fn explain_says_why_the_trigger_was_not_evaluated() {
    let explanation = engine(&rules(UNKNOWN_CONDITION, "Tags += first"))
        .explain(&vip(), Some("First"))
        .expect("the trigger runs");
    let looked = &explanation.passes[0].triggers[0];
    assert_eq!(
        looked.verdict,
        Verdict::Blocked(Blocked::UnsupportedCondition)
    );
    assert_eq!(looked.conditions, None);
    assert_eq!(explanation.outcome.unsupported.len(), 1);
}

fn declic() -> Command {
    Command::cargo_bin("declic").expect("the binary is built")
}

#[test]
fn strict_refuses_what_the_default_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let then = format!("Tags += first\n    {UNKNOWN_ACTION}");
    std::fs::write(dir.path().join("r.declic"), rules(UNKNOWN_CONDITION, &then)).expect("write");
    let event = r#"{"ticket": {"id": 1, "status": "open", "tags": ["vip"]}}"#;
    std::fs::write(dir.path().join("e.json"), event).expect("write");
    std::fs::write(
        dir.path().join("r.scenarios.toml"),
        "[[scenario]]\nname = \"vip\"\nticket = { status = \"open\" }\n\n[[scenario.step]]\n\
         event = \"changed\"\nadd_tags = [\"vip\"]\nexpect.fired = [\"Later\"]\n",
    )
    .expect("write");
    let (rules, event) = (dir.path().join("r.declic"), dir.path().join("e.json"));
    let scenarios = dir.path().join("r.scenarios.toml");
    let commands: [(&str, Vec<&std::path::Path>); 3] = [
        ("run", vec![&rules, &event]),
        ("explain", vec![&rules, &event]),
        ("test", vec![&scenarios]),
    ];
    for (command, paths) in commands {
        let plain = declic().arg(command).args(&paths).output().expect("runs");
        let stdout = String::from_utf8_lossy(&plain.stdout);
        assert_eq!(plain.status.code(), Some(0), "{command}: {stdout}");
        let strict = declic()
            .arg(command)
            .arg("--strict")
            .args(&paths)
            .output()
            .expect("runs");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&strict.stdout),
            String::from_utf8_lossy(&strict.stderr)
        );
        assert_eq!(strict.status.code(), Some(1), "{command} --strict: {all}");
        assert!(all.contains("declic::passthrough"), "{command}: {all}");
        assert!(all.contains("--strict refuses"), "{command}: {all}");
    }
}

#[test]
fn run_lists_what_did_not_run_in_text_and_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("r.declic"),
        rules(UNKNOWN_CONDITION, "Tags += first"),
    )
    .expect("write");
    let event = r#"{"ticket": {"id": 1, "status": "open", "tags": ["vip"]}}"#;
    std::fs::write(dir.path().join("e.json"), event).expect("write");
    let run = |format: &str| {
        declic()
            .args(["run", "--format", format])
            .arg(dir.path().join("r.declic"))
            .arg(dir.path().join("e.json"))
            .output()
            .expect("runs")
    };
    let text = run("text");
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.contains(&format!("not evaluated (a condition declic cannot evaluate):\n    First (#101): {UNKNOWN_CONDITION}")),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&text.stderr);
    assert!(
        stderr.contains("1 Zendesk line kept as written will not run"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("is kept as Zendesk wrote it"),
        "advice is counted, not shown: {stderr}"
    );
    let json: serde_json::Value = serde_json::from_slice(&run("json").stdout).expect("JSON");
    assert_eq!(json["unsupported"][0]["part"], "condition");
    assert_eq!(json["unsupported"][0]["trigger"], "First");
}
