//! The simulator on small timelines: what happens, when, and what runs.

use super::*;
use crate::diagnostics::Source;

/// Two triggers to watch: abandoned conversations, missed chats.
const RULES: &str = include_str!("../../tests/fixtures/simulate/abandon.declic");

fn engine() -> Compiled {
    let rules = crate::check(&[Source::new("rules.declic", RULES)])
        .into_result()
        .expect("the rules check");
    Compiled::new(&rules).expect("compiles")
}

fn timeline(text: &str) -> Timeline {
    Timeline::parse(&Source::new("t.timeline.toml", text)).expect("the timeline reads")
}

fn lines(text: &str, options: &Options) -> Vec<String> {
    simulate(&timeline(text), &engine(), options)
        .entries
        .iter()
        .map(|e| e.text())
        .collect()
}

fn messaging(activity: &str) -> String {
    format!("product = \"messaging\"\n[[ticket]]\nname = \"Marie\"\nactivity = [{activity}]\n")
}

#[test]
fn ten_minutes_of_silence_make_the_session_inactive_and_run_the_triggers() {
    // Assigned, so that the ticket is Open; the agent's reply starts the silence.
    let answered = r#""0:00 end user writes: hello", "agent joins", "agent replies""#;
    let text = messaging(&format!("{answered}, \"wait 10 minutes\""));
    let log = lines(&text, &Options::default());
    let expected = [
        "2024-05-06T09:10:00Z  Marie #1  session inactive (end user silent)",
        "2024-05-06T09:10:00Z  Marie #1  update (session inactive)",
        "2024-05-06T09:10:00Z  Marie #1  trigger fired: Abandoned: auto-solve",
    ];
    assert!(
        log.ends_with(&expected.map(String::from)),
        "{}",
        log.join("\n")
    );
    // Nine minutes are not enough; an end-user message at nine restarts the count.
    let nine = lines(
        &messaging(&format!("{answered}, \"wait 9 minutes\"")),
        &Options::default(),
    );
    assert!(!nine.iter().any(|l| l.contains("inactive")), "{nine:?}");
    let again = lines(
        &messaging(&format!(
            "{answered}, \"0:09 end user writes\", \"0:09 agent replies\", \"wait 1 minute\""
        )),
        &Options::default(),
    );
    assert!(!again.iter().any(|l| l.contains("fired")), "{again:?}");
}

#[test]
fn a_missed_chat_becomes_a_ticket_only_when_its_session_ends() {
    let text = r#"
product = "live chat"
[[ticket]]
name = "Visitor"
activity = ["0:00 end user writes: anyone?", "0:01 visitor closes the window", "wait 5 minutes"]
"#;
    let log = simulate(&timeline(text), &engine(), &Options::default());
    let created: Vec<_> = log
        .entries
        .iter()
        .filter(|e| matches!(e.what, What::Created { .. }))
        .collect();
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].what, What::Created { missed: true });
    assert_eq!(
        created[0].at,
        "2024-05-06T09:03:00Z".parse().expect("valid")
    );
    assert!(log.tickets[0].has_tag("missed_chat"));
    // Earliest: 20 seconds after the window closed.
    let earliest = Options {
        pick: Pick::Earliest,
        ..Options::default()
    };
    let log = simulate(&timeline(text), &engine(), &earliest);
    let created = log
        .entries
        .iter()
        .find(|e| matches!(e.what, What::Created { .. }))
        .expect("created");
    assert_eq!(created.at, "2024-05-06T09:01:20Z".parse().expect("valid"));
    // A chat an agent joined is not missed.
    let served = text.replace("\"0:01 visitor", "\"0:00 agent joins\", \"0:01 visitor");
    let log = simulate(&timeline(&served), &engine(), &Options::default());
    assert!(log
        .entries
        .iter()
        .any(|e| e.what == What::Created { missed: false }));
    assert!(!log.tickets[0].has_tag("missed_chat"));
}

#[test]
fn the_horizon_stops_the_clock() {
    let text = messaging(r#""0:00 end user writes", "wait 1 hour""#);
    let until = Options {
        until: "2024-05-06T09:05:00Z".parse().ok(),
        ..Options::default()
    };
    let log = simulate(&timeline(&text), &engine(), &until);
    assert!(log
        .entries
        .iter()
        .all(|e| e.at <= until.until.expect("set")));
    assert!(!log.entries.iter().any(|e| matches!(
        e.what,
        What::Session {
            change: Change::Inactive(_),
            ..
        }
    )));
    assert!((log.ticket_hours - 5.0 / 60.0).abs() < 1e-9);
}

#[test]
fn a_message_after_the_end_starts_a_new_ticket() {
    let text =
        messaging(r#""0:00 end user writes", "0:01 agent ends the chat", "0:02 end user writes""#);
    let log = simulate(&timeline(&text), &engine(), &Options::default());
    assert_eq!(log.tickets.len(), 2);
    let skipped = log
        .entries
        .iter()
        .filter(|e| matches!(e.what, What::Skipped(_)))
        .count();
    assert_eq!(skipped, 1, "the old ticket runs no trigger");
    assert_eq!(log.entries.last().map(|e| e.ticket), Some(Some(2)));
}

#[test]
fn entries_serialise_as_json_with_their_kind() {
    let text = r#"
product = "live chat"
[[ticket]]
activity = ["0:00 end user writes: hi", "0:01 visitor closes the window", "wait 5 minutes"]
"#;
    let log = simulate(&timeline(text), &engine(), &Options::default());
    let session = log
        .entries
        .iter()
        .find(|e| matches!(e.what, What::Session { range: Some(_), .. }))
        .expect("a ranged change");
    let json = session.json();
    assert_eq!(json["kind"], "session");
    assert_eq!(json["range"][0], "2024-05-06T09:01:20Z");
    assert_eq!(json["range"][1], "2024-05-06T09:03:00Z");
    assert_eq!(log.entries[0].json()["body"], "hi");
}
