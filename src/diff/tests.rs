use serde_json::json;

use super::*;

fn compile(text: &str) -> Compiled {
    let checked = crate::check(&[crate::Source::new("rules.declic", text)]);
    Compiled::new(&checked.into_result().expect("the rules check")).expect("compiles")
}

fn trigger(title: &str, when: &str, then: &str) -> String {
    format!("trigger \"{title}\" {{\n  when all {{\n    {when}\n  }}\n  then {{\n    {then}\n  }}\n}}\n\n")
}

fn events(tickets: &[serde_json::Value]) -> Vec<Result<Event, EventError>> {
    tickets
        .iter()
        .map(|t| Event::from_json(&json!({ "ticket": t }).to_string()))
        .collect()
}

fn run(old: &str, new: &str, tickets: &[serde_json::Value]) -> Report {
    diff(&compile(old), &compile(new), events(tickets))
}

/// Each group as (kind, subject, events, triggers), in report order.
fn groups<'r>(report: &'r Report) -> Vec<(Kind, &'r str, usize, Vec<&'r str>)> {
    let titles = |g: &'r Group| g.triggers.iter().map(String::as_str).collect();
    let groups = report.differences.iter();
    groups
        .map(|g| (g.kind, g.subject.as_str(), g.events, titles(g)))
        .collect()
}

/// Each trigger as (title, status, before, after).
fn rows(report: &Report) -> Vec<(&str, Status, usize, usize)> {
    let rows = report.triggers.iter();
    rows.map(|r| (r.title.as_str(), r.status, r.before, r.after))
        .collect()
}

#[test]
fn a_removed_condition_fires_on_more_events() {
    let old = trigger(
        "Urgent when VIP",
        "Tags includes vip\n    Status is New",
        "Priority = Urgent",
    );
    let new = trigger("Urgent when VIP", "Tags includes vip", "Priority = Urgent");
    let report = run(
        &old,
        &new,
        &[
            json!({"status": "new", "tags": ["vip"]}),
            json!({"status": "open", "tags": ["vip"]}),
            json!({"status": "open"}),
            json!({"status": "pending", "tags": ["vip"]}),
        ],
    );
    assert_eq!((report.events, report.compared, report.changed), (4, 4, 2));
    assert_eq!(rows(&report), [("Urgent when VIP", Status::Kept, 1, 3)]);
    assert_eq!(
        groups(&report),
        [
            (
                Kind::NowFires,
                "Urgent when VIP",
                2,
                vec!["Urgent when VIP"]
            ),
            (Kind::Field, "priority", 2, vec!["Urgent when VIP"]),
        ]
    );
    let field = &report.differences[1];
    let examples: Vec<_> = field
        .examples
        .iter()
        .map(|e| (e.event.as_str(), &e.before, &e.after))
        .collect();
    assert_eq!(
        examples,
        [
            ("2", &json!(null), &json!("urgent")),
            ("4", &json!(null), &json!("urgent"))
        ]
    );
    assert!(report.has_changes());
}

#[test]
fn a_trigger_moved_before_another_wins_where_both_could_fire() {
    let bots = trigger(
        "Low for bots",
        "Tags includes bot\n    Tags excludes handled",
        "Priority = Low\n    Tags += handled",
    );
    let vips = trigger(
        "Urgent for VIP",
        "Tags includes vip\n    Tags excludes handled",
        "Priority = Urgent\n    Tags += handled",
    );
    let report = run(
        &format!("{bots}{vips}"),
        &format!("{vips}{bots}"),
        &[
            json!({"tags": ["bot"]}),
            json!({"tags": ["vip"]}),
            json!({"tags": ["bot", "vip"]}),
            json!({}),
        ],
    );
    assert_eq!(report.changed, 1);
    assert_eq!(
        rows(&report),
        [
            ("Urgent for VIP", Status::Kept, 1, 2),
            ("Low for bots", Status::Kept, 2, 1),
        ]
    );
    let both = vec!["Low for bots", "Urgent for VIP"];
    assert_eq!(
        groups(&report),
        [
            (Kind::NowFires, "Urgent for VIP", 1, vec!["Urgent for VIP"]),
            (Kind::NoLongerFires, "Low for bots", 1, vec!["Low for bots"]),
            (Kind::Field, "priority", 1, both),
        ]
    );
    let example = &report.differences[2].examples[0];
    assert_eq!(
        (example.event.as_str(), &example.before, &example.after),
        ("3", &json!("low"), &json!("urgent"))
    );
}

#[test]
fn a_changed_action_changes_the_field_not_the_counts() {
    let old = trigger("VIP", "Tags includes vip", "Priority = High");
    let new = trigger("VIP", "Tags includes vip", "Priority = Urgent");
    let tickets = [
        json!({"tags": ["vip"]}),
        json!({}),
        json!({"tags": ["vip"]}),
    ];
    let report = run(&old, &new, &tickets);
    assert_eq!(report.changed, 2);
    assert_eq!(rows(&report), [("VIP", Status::Kept, 2, 2)]);
    assert_eq!(groups(&report), [(Kind::Field, "priority", 2, vec!["VIP"])]);
    let example = &report.differences[0].examples[1];
    assert_eq!(
        (example.event.as_str(), &example.before, &example.after),
        ("3", &json!("high"), &json!("urgent"))
    );
}

#[test]
fn an_effect_that_appears_is_its_own_difference() {
    let old = trigger("VIP", "Tags includes vip", "Priority = High");
    let new = trigger(
        "VIP",
        "Tags includes vip",
        "Priority = High\n    notify requester \"Hello\" \"We are on it\"",
    );
    let report = run(&old, &new, &[json!({"tags": ["vip"]}), json!({})]);
    assert_eq!(report.changed, 1);
    assert_eq!(
        groups(&report),
        [(Kind::EffectAdded, "notification", 1, vec!["VIP"])]
    );
    let example = &report.differences[0].examples[0];
    assert_eq!(example.before, json!(null));
    assert_eq!(example.after["subject"], json!("Hello"));
    // The other way round, it goes.
    let report = run(&new, &old, &[json!({"tags": ["vip"]})]);
    assert_eq!(
        groups(&report),
        [(Kind::EffectRemoved, "notification", 1, vec!["VIP"])]
    );
}

#[test]
fn identical_rule_sets_differ_in_nothing() {
    let rules = trigger(
        "VIP",
        "Tags includes vip",
        "Priority = High\n    notify requester \"S\" \"B\"",
    ) + &trigger("Bots", "Tags includes bot", "Tags += handled");
    let tickets = [
        json!({"tags": ["vip"]}),
        json!({"tags": ["bot"]}),
        json!({}),
    ];
    let report = run(&rules, &rules, &tickets);
    assert_eq!((report.compared, report.changed), (3, 0));
    assert!(report.differences.is_empty());
    assert_eq!(
        rows(&report),
        [("VIP", Status::Kept, 1, 1), ("Bots", Status::Kept, 1, 1)]
    );
    assert!(!report.has_changes());
    assert!(report.unexpected(&[]).is_empty());
}

#[test]
fn triggers_are_matched_by_id_then_by_title() {
    let with_id = |title: &str, id: u32, when: &str| {
        format!("trigger \"{title}\" {{\n  id {id}\n  when all {{\n    {when}\n  }}\n  then {{\n    Priority = High\n  }}\n}}\n\n")
    };
    let old = with_id("Old name", 1, "Tags includes a")
        + &with_id("Gone", 2, "Tags includes b")
        + &trigger("No id", "Tags includes c", "Priority = Low");
    let new = with_id("New name", 1, "Tags includes a")
        + &trigger("No id", "Tags includes c", "Priority = Low")
        + &trigger("Fresh", "Tags includes d", "Priority = Low");
    let report = run(
        &old,
        &new,
        &[json!({"tags": ["a"]}), json!({"tags": ["c"]})],
    );
    assert_eq!(
        rows(&report),
        [
            ("New name", Status::Renamed, 1, 1),
            ("No id", Status::Kept, 1, 1),
            ("Fresh", Status::Added, 0, 0),
            ("Gone", Status::Removed, 0, 0),
        ]
    );
    assert_eq!(report.triggers[0].was.as_deref(), Some("Old name"));
    assert_eq!(report.triggers[0].id, Some(1));
    // A renamed trigger firing as before is no difference in any event.
    assert_eq!(report.changed, 0);
    assert!(report.has_changes());
    let allowed = ["Old name", "#2", "Fresh"].map(String::from);
    assert!(report.unexpected(&allowed).is_empty());
    assert_eq!(report.unexpected(&allowed[..2]), ["Fresh"]);
    let names = ["#1", "New name", "Old name", "#2", "#3", "Old", "1"].map(String::from);
    assert_eq!(report.unknown(&names), ["#3", "Old", "1"]);
}

#[test]
fn expected_changes_are_named_by_trigger() {
    let old = trigger("VIP", "Tags includes vip", "Priority = High")
        + &trigger("Other", "Tags includes x", "Priority = Low");
    let new = trigger("VIP", "Tags includes vip", "Priority = Urgent")
        + &trigger("Other", "Tags includes x", "Priority = Low");
    let report = run(
        &old,
        &new,
        &[json!({"tags": ["vip"]}), json!({"tags": ["x"]})],
    );
    assert_eq!(report.unexpected(&[]), ["VIP"]);
    assert_eq!(report.unexpected(&["Other".into()]), ["VIP"]);
    assert!(report.unexpected(&["VIP".into()]).is_empty());
}

#[test]
fn unreadable_events_are_counted_and_shown() {
    let rules = trigger("VIP", "Tags includes vip", "Priority = High");
    let mut events = events(&[json!({"tags": ["vip"]})]);
    events.push(Event::from_json("{\"ticket\": "));
    events.push(Event::from_json("{\"ticket\": {\"status\": \"archived\"}}"));
    let report = diff(&compile(&rules), &compile(&rules), events);
    assert_eq!((report.events, report.compared), (3, 1));
    assert_eq!(report.unreadable.count, 2);
    let bad: Vec<_> = report
        .unreadable
        .examples
        .iter()
        .map(|b| (b.event.as_str(), b.code.as_str()))
        .collect();
    assert_eq!(
        bad,
        [
            ("2", "declic::invalid_event"),
            ("3", "declic::invalid_event")
        ]
    );
    assert!(report.unreadable.examples[1].message.contains("archived"));
}

#[test]
fn show_bounds_the_examples_not_the_counts() {
    let old = trigger("VIP", "Tags includes vip", "Priority = High");
    let new = trigger("VIP", "Tags includes vip", "Priority = Urgent");
    let tickets = vec![json!({"tags": ["vip"]}); 5];
    let report = diff_with(
        &compile(&old),
        &compile(&new),
        events(&tickets),
        &Options { show: 1 },
    );
    assert_eq!(report.differences[0].events, 5);
    assert_eq!(report.differences[0].examples.len(), 1);
}

#[test]
fn events_beyond_one_chunk_are_all_counted_in_order() {
    let old = trigger("VIP", "Tags includes vip", "Priority = High");
    let new = trigger("VIP", "Tags includes vip", "Priority = Urgent");
    let tickets: Vec<_> = (0..CHUNK * 2 + 3)
        .map(|i| {
            if i % 3 == 0 {
                json!({"tags": ["vip"]})
            } else {
                json!({})
            }
        })
        .collect();
    let fired = tickets.iter().filter(|t| t.get("tags").is_some()).count();
    let report = run(&old, &new, &tickets);
    assert_eq!(report.compared, tickets.len());
    assert_eq!(rows(&report), [("VIP", Status::Kept, fired, fired)]);
    let examples: Vec<_> = report.differences[0]
        .examples
        .iter()
        .map(|e| e.event.as_str())
        .collect();
    assert_eq!(examples, ["1", "4", "7"]);
}

#[test]
fn the_report_serialises_with_snake_case_kinds() {
    let old = trigger("VIP", "Tags includes vip", "Priority = High");
    let report = run(&old, "", &[json!({"tags": ["vip"]})]);
    let value = serde_json::to_value(&report).expect("serialises");
    assert_eq!(value["triggers"][0]["status"], json!("removed"));
    assert_eq!(value["differences"][0]["kind"], json!("no_longer_fires"));
    let back: Report = serde_json::from_value(value).expect("reads back");
    assert_eq!(back, report);
}

#[test]
fn the_markdown_report_stays_within_a_comment() {
    let long = "x".repeat(2000);
    let group = |i: usize| Group {
        kind: Kind::Field,
        subject: format!("custom_fields_{i}"),
        events: 1,
        triggers: vec![format!("Trigger {i}")],
        examples: vec![Example {
            event: format!("events.ndjson:{i}"),
            before: json!(long),
            after: json!(null),
        }],
    };
    let report = Report {
        events: 5000,
        compared: 5000,
        changed: 5000,
        differences: (0..5000).map(group).collect(),
        ..Report::default()
    };
    let markdown = report.to_markdown();
    assert!(markdown.len() <= MARKDOWN_LIMIT, "{}", markdown.len());
    assert!(markdown.ends_with("gives all of it._\n"));
    assert_eq!(
        markdown.matches("<details>").count(),
        markdown.matches("</details>").count()
    );
    // A small report is left whole.
    let small = Report {
        differences: vec![group(1)],
        ..report
    };
    assert!(!small.to_markdown().contains("cut short"));
}

#[test]
fn versions_are_paths_unless_they_name_a_git_revision() {
    let git = |rev: &str, path: &str| Version::Git {
        rev: rev.into(),
        path: path.into(),
    };
    let cases = [
        ("rules", Ok(Version::Path("rules".into()))),
        ("git:main:rules", Ok(git("main", "rules"))),
        (
            "git:HEAD~1:rules/a.declic",
            Ok(git("HEAD~1", "rules/a.declic")),
        ),
        ("git:origin/main:./rules", Ok(git("origin/main", "./rules"))),
        ("gitlab/rules", Ok(Version::Path("gitlab/rules".into()))),
        ("git:main", Err("git:main")),
        ("git::rules", Err("git::rules")),
        ("git:main:", Err("git:main:")),
    ];
    for (spec, expected) in cases {
        let expected = expected.map_err(|spec| DiffError::BadSpec { spec: spec.into() });
        assert_eq!(Version::parse(spec), expected, "{spec}");
    }
}
