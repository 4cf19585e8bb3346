//! `declic simulate`: the golden timelines of `examples/timelines/` against the English
//! recipes, pinned as snapshots; the command's formats, horizon and exit codes; and
//! properties of the log.

use std::path::Path;

use assert_cmd::Command;
use declic::engine::Compiled;
use declic::routing::Router;
use declic::simulate::session::Pick;
use declic::simulate::{simulate, Options, Timeline};
use declic::Source;
use proptest::prelude::*;

fn recipes() -> Compiled {
    let rules = declic::check_path(Path::new("recipes/en"))
        .into_result()
        .expect("the recipes check");
    Compiled::new(&rules).expect("compiles")
}

fn read(path: &Path) -> Timeline {
    let text = std::fs::read_to_string(path).expect("readable");
    Timeline::parse(&Source::new(path.display().to_string(), text)).expect("the timeline reads")
}

#[test]
fn golden_timelines() {
    let engine = recipes();
    let rules = declic::check_path(Path::new("recipes/en"))
        .into_result()
        .expect("the recipes check");
    let router = Router::new(&rules).expect("the queues compile");
    let options = Options {
        router: Some(&router),
        ..Options::default()
    };
    insta::glob!("../examples/timelines", "*.timeline.toml", |path| {
        let log = simulate(&read(path), &engine, &options);
        let mut text: Vec<String> = log.entries.iter().map(|e| e.text()).collect();
        text.extend(log.routing.iter().flat_map(|s| s.lines()));
        insta::assert_snapshot!(text.join("\n"));
    });
}

fn declic() -> Command {
    Command::cargo_bin("declic").expect("the binary is built")
}

#[test]
fn json_has_one_object_per_happening() {
    let out = declic()
        .args([
            "simulate",
            "recipes/en",
            "examples/timelines/missed-chat.timeline.toml",
        ])
        .args(["--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect();
    assert!(lines.iter().all(|l| l["timeline"]
        .as_str()
        .is_some_and(|t| t.ends_with("missed-chat.timeline.toml"))));
    let created = lines
        .iter()
        .find(|l| l["kind"] == "created")
        .expect("created");
    assert_eq!(created["missed"], true);
    assert_eq!(created["at"], "2024-05-06T20:07:00Z");
}

#[test]
fn timeouts_earliest_moves_ranged_time_outs() {
    let run = |pick: &str| {
        let out = declic()
            .args([
                "simulate",
                "recipes/en",
                "examples/timelines/missed-chat.timeline.toml",
            ])
            .args(["--timeouts", pick])
            .output()
            .expect("runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(run("earliest").contains("2024-05-06T20:05:20Z  Late visitor #1  missed chat"));
    assert!(run("latest").contains("2024-05-06T20:07:00Z  Late visitor #1  missed chat"));
}

#[test]
fn until_stops_the_log_and_refuses_a_horizon_before_the_first_activity() {
    let path = "examples/timelines/messaging-silence.timeline.toml";
    let out = declic()
        .args(["simulate", "recipes/en", path, "--until", "0:30"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("09:19:00Z"), "{stdout}");
    assert!(!stdout.contains("09:35:00Z"), "{stdout}");
    let before = declic()
        .args([
            "simulate",
            "recipes/en",
            path,
            "--until",
            "2024-05-06T08:00:00Z",
        ])
        .output()
        .expect("runs");
    assert_eq!(before.status.code(), Some(1));
    assert!(before.stdout.is_empty(), "nothing half-written");
    assert!(String::from_utf8_lossy(&before.stderr).contains("declic::horizon_before_activity"));
}

#[test]
fn a_bad_timeline_prints_nothing_and_exits_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = Path::new("examples/timelines/missed-chat.timeline.toml");
    let bad = dir.path().join("bad.timeline.toml");
    std::fs::write(
        &bad,
        "product = \"messaging\"\n[[ticket]]\nactivity = [\"0:00 end user writes\", \"visitor goes idle\"]\n",
    )
    .expect("writes");
    let out = declic()
        .args(["simulate", "recipes/en"])
        .arg(good)
        .arg(&bad)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stdout.is_empty(),
        "the good timeline is not printed either"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("declic::activity_not_in_product"),
        "{stderr}"
    );
    let missing = declic()
        .args(["simulate", "recipes/en", "nowhere.timeline.toml"])
        .output()
        .expect("runs");
    assert_eq!(missing.status.code(), Some(2));
}

/// An activity a random timeline may hold, by product.
fn activity(product: &str) -> impl Strategy<Value = &'static str> {
    let all: &[&'static str] = match product {
        "messaging" => &[
            "end user writes",
            "agent joins",
            "agent replies",
            "agent ends the chat",
            "agent sets status pending",
            "agent sets status open",
            "agent sets status solved",
        ],
        "chat sdk" => &[
            "end user writes",
            "agent joins",
            "agent replies",
            "agent ends the chat",
            "visitor ends the chat",
            "app goes to the background",
            "visitor disconnects",
        ],
        "live chat" => &[
            "end user writes",
            "agent joins",
            "agent replies",
            "agent leaves",
            "visitor ends the chat",
            "visitor closes the window",
            "visitor goes idle",
        ],
        _ => &[
            "end user writes",
            "agent joins",
            "agent replies",
            "agent leaves",
            "agent ends the chat",
            "visitor ends the chat",
            "visitor closes the window",
            "visitor goes idle",
        ],
    };
    proptest::sample::select(all)
}

/// A random timeline: a product, and conversations whose activities come at increasing
/// minutes, then a wait.
fn timeline() -> impl Strategy<Value = String> {
    let product = proptest::sample::select(
        &["messaging", "live chat", "agent workspace chat", "chat sdk"][..],
    );
    (product, any::<bool>(), 1..3usize).prop_flat_map(|(product, push, tickets)| {
        let steps = proptest::collection::vec((0..90u32, activity(product)), 1..12);
        proptest::collection::vec(steps, tickets).prop_map(move |convos| {
            let mut text = format!(
                "product = \"{product}\"\n[account]\npush_notifications = {push}\ncapacity_release = {{ end_session = true }}\n"
            );
            for steps in convos {
                let mut minute = 0;
                let mut lines = vec!["\"0:00 end user writes\"".to_owned()];
                for (gap, what) in steps {
                    minute += gap;
                    lines.push(format!("\"{}:{:02} {what}\"", minute / 60, minute % 60));
                }
                lines.push("\"wait 3 hours\"".to_owned());
                text += &format!("[[ticket]]\nactivity = [{}]\n", lines.join(", "));
            }
            text
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Time never goes back in the log, whichever end of the ranges is picked.
    #[test]
    fn time_never_goes_back(text in timeline(), earliest in any::<bool>()) {
        let timeline = Timeline::parse(&Source::new("t.timeline.toml", text)).expect("reads");
        let pick = if earliest { Pick::Earliest } else { Pick::Latest };
        let log = simulate(&timeline, &recipes(), &Options { pick, ..Options::default() });
        for pair in log.entries.windows(2) {
            prop_assert!(pair[0].at <= pair[1].at, "{} then {}", pair[0].text(), pair[1].text());
        }
    }
}

/// A timeline where no time passes: every activity at the start, horizon at the start.
fn instant_timeline() -> impl Strategy<Value = String> {
    let product = proptest::sample::select(&["messaging", "agent workspace chat", "chat sdk"][..]);
    product.prop_flat_map(|product| {
        proptest::collection::vec(activity(product), 0..10).prop_map(move |steps| {
            let mut lines = vec!["\"0:00 end user writes: hello\"".to_owned()];
            lines.extend(steps.iter().map(|s| format!("\"{s}\"")));
            format!(
                "product = \"{product}\"\nuntil = \"0:00\"\n[[ticket]]\nactivity = [{}]\n",
                lines.join(", ")
            )
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// With no time passing, the simulator adds no time-out, and each of its updates is
    /// an event `declic run` reads and gives the same outcome for; each update starts
    /// from the ticket the one before left.
    #[test]
    fn no_time_passing_gives_runs_outcomes(text in instant_timeline()) {
        let timeline = Timeline::parse(&Source::new("t.timeline.toml", text)).expect("reads");
        let engine = recipes();
        let options = Options { record: true, ..Options::default() };
        let log = simulate(&timeline, &engine, &options);
        prop_assert!(log.entries.iter().all(|e| e.at == timeline.start));
        // A messaging ticket exists from the first message; a chat's may not yet.
        let messaging = timeline.tickets[0].product == declic::simulate::session::Product::Messaging;
        prop_assert!(!messaging || !log.updates.is_empty());
        let mut last: std::collections::HashMap<Option<u64>, declic::model::Ticket> =
            std::collections::HashMap::new();
        for (event, outcome) in &log.updates {
            let json = serde_json::to_string(event).expect("serialises");
            let read = declic::model::Event::from_json(&json).expect("`run` reads it");
            let ran = engine.run(&read);
            prop_assert_eq!(&ran.fired, &outcome.fired);
            prop_assert_eq!(&ran.effects, &outcome.effects);
            prop_assert_eq!(&ran.ticket, &outcome.ticket);
            if let (Some(previous), Some(before)) = (&event.previous, last.get(&event.ticket.id)) {
                prop_assert_eq!(&**previous, before);
            }
            last.insert(outcome.ticket.id, (*outcome.ticket).clone());
        }
    }
}

/// The simulator's own triggers: abandoned conversations are solved.
const ABANDON: &str = include_str!("fixtures/simulate/abandon.declic");

/// A scenario whose ticket's end user wrote at the start, then waits.
fn waiting_scenario(steps: &str) -> Option<declic::scenario::Failure> {
    let rules = declic::check(&[Source::new("a.declic", ABANDON)])
        .into_result()
        .expect("the rules check");
    let engine = Compiled::new(&rules).expect("compiles");
    let text = format!(
        r#"
[[scenario]]
name = "waits"
start = 2024-05-06T09:00:00Z
ticket = {{ id = 7, status = "open", assignee_id = 3, messaging_session = {{ state = "active", last_end_user_activity_at = "2024-05-06T09:00:00Z" }} }}
{steps}
"#
    );
    let file = declic::scenario::ScenarioFile::parse(&Source::new("w.scenarios.toml", text))
        .expect("the scenarios read");
    declic::scenario::run(&file.scenarios[0], &file.source, &engine)
}

#[test]
fn a_scenario_step_may_wait_and_expect_what_happened_meanwhile() {
    let nine_then_one = r#"
[[scenario.step]]
event = "wait"
duration = "9 minutes"
expect.fired = []
expect.ticket = { status = "open" }

[[scenario.step]]
event = "wait"
duration = "1 minute"
expect.fired = ["Abandoned: auto-solve"]
expect.ticket = { status = "solved" }
"#;
    assert_eq!(waiting_scenario(nine_then_one), None);
    // The near miss: nothing fires within nine minutes.
    let too_soon = r#"
[[scenario.step]]
event = "wait"
duration = "9 minutes"
expect.fired = ["Abandoned: auto-solve"]
"#;
    let failure = waiting_scenario(too_soon).expect("fails");
    assert_eq!(failure.description, "wait 9 minutes");
}

#[test]
fn a_wait_needs_a_duration_it_can_read() {
    for (step, code) in [
        ("event = \"wait\"\n", declic::Code::MissingKey),
        (
            "event = \"wait\"\nduration = \"a while\"\n",
            declic::Code::InvalidTime,
        ),
        (
            "event = \"wait\"\nduration = \"1 day\"\nbody = \"hi\"\n",
            declic::Code::UnknownKey,
        ),
    ] {
        let text = format!("[[scenario]]\nname = \"w\"\n[[scenario.step]]\n{step}");
        let error = declic::scenario::ScenarioFile::parse(&Source::new("w.scenarios.toml", text))
            .expect_err(step);
        assert_eq!(error.diagnostics[0].code, code, "{step}");
    }
}

#[test]
fn an_automation_loop_prints_nothing_and_exits_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rules = dir.path().join("loop.declic");
    std::fs::write(
        &rules,
        "automation \"Tag open tickets every hour\" {\n  when all {\n    Status is Open\n    Hours since open > 0\n  }\n  then {\n    Tags += hourly\n  }\n}\n",
    )
    .expect("writes");
    let timeline = |wait: &str| {
        let path = dir
            .path()
            .join(format!("{}.timeline.toml", wait.replace(' ', "-")));
        std::fs::write(
            &path,
            format!("product = \"messaging\"\n[[ticket]]\nactivity = [\"0:00 end user writes\", \"agent joins\", \"wait {wait}\"]\n"),
        )
        .expect("writes");
        declic()
            .arg("simulate")
            .arg(&rules)
            .arg(&path)
            .output()
            .expect("runs")
    };
    let looped = timeline("5 days");
    assert_eq!(looped.status.code(), Some(1));
    assert!(looped.stdout.is_empty(), "nothing half-written");
    let stderr = String::from_utf8_lossy(&looped.stderr);
    assert!(stderr.contains("declic::automation_limit"), "{stderr}");
    // Four days are 96 hourly runs, within Zendesk's 100.
    let within = timeline("4 days");
    assert_eq!(
        within.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&within.stderr)
    );
    assert!(String::from_utf8_lossy(&within.stdout)
        .contains("automation applied: Tag open tickets every hour"));
}

#[test]
fn a_scenario_wait_runs_the_automations_and_their_triggers() {
    let rules = declic::check(&[Source::new(
        "a.declic",
        "automation \"Solve pending after 2 hours\" {\n  when all {\n    Status is Pending\n    Hours since pending > 2\n  }\n  then {\n    Status = Solved\n  }\n}\n\ntrigger \"Solved by rule\" {\n  when all {\n    Status changed to Solved\n  }\n  then {\n    Tags += solved_by_rule\n  }\n}\n",
    )])
    .into_result()
    .expect("the rules check");
    let engine = Compiled::new(&rules).expect("compiles");
    let scenario = |hours: u32| {
        let text = format!(
            r#"
[[scenario]]
name = "pending"
start = 2024-05-06T09:10:00Z
ticket = {{ id = 7, status = "pending", status_entered_at = {{ pending = "2024-05-06T09:10:00Z" }} }}

[[scenario.step]]
event = "wait"
duration = "{hours} hours"
expect.fired = ["Solved by rule"]
expect.ticket = {{ status = "solved" }}
"#
        );
        let file = declic::scenario::ScenarioFile::parse(&Source::new("p.scenarios.toml", text))
            .expect("the scenarios read");
        declic::scenario::run(&file.scenarios[0], &file.source, &engine)
    };
    // Hourly runs at 10:00 (hour 0), 11:00, 12:00, then 13:00: more than 2 hours.
    assert_eq!(scenario(4), None);
    assert!(scenario(3).is_some(), "not yet by 12:10");
}

#[test]
fn capacity_auto_release_ends_the_session_with_its_own_reason() {
    use declic::model::EndReason;
    let engine = recipes();
    let path = Path::new("examples/timelines/capacity-release.timeline.toml");
    let log = simulate(&read(path), &engine, &Options::default());
    let reasons: Vec<Option<EndReason>> = log
        .tickets
        .iter()
        .map(|t| t.messaging_session.as_ref().and_then(|s| s.end_reason))
        .collect();
    assert_eq!(reasons, [Some(EndReason::CapacityReleased)]);
}
