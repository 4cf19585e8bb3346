//! The hourly automation run: time conditions at their edges, automation updates running
//! the triggers, Zendesk's limit of automation updates per ticket.

use std::sync::Arc;

use proptest::prelude::*;
use serde_json::{json, Value};

use super::tests::compile;
use super::*;
use crate::model::{Account, AutomationRun, Status, Ticket, Timestamp};

fn at(s: &str) -> Timestamp {
    s.parse().expect("valid timestamp")
}

fn ticket(v: Value) -> Arc<Ticket> {
    Arc::new(serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{v}: {e}")))
}

fn automation(title: &str, when: &str, then: &str) -> String {
    format!("automation \"{title}\" {{\n  when all {{\n{when}\n  }}\n  then {{\n{then}\n  }}\n}}\n")
}

/// Runs the automations every hour, at minute `minute`, for `hours` hours from
/// 2024-05-06T00:00Z, carrying the ticket from run to run; the runs' results in order.
fn hourly(engine: &Compiled, start: Arc<Ticket>, hours: i64, minute: i64) -> Vec<AutomationRun> {
    let first = at("2024-05-06T00:00:00Z").as_second() + minute * 60;
    let mut ticket = start;
    let mut runs = Vec::new();
    for h in 0..hours {
        let now = Timestamp::from_second(first + h * 3600).expect("in range");
        let run = engine.run_automations(&ticket, &Account::default(), now);
        ticket = Arc::clone(&run.ticket);
        runs.push(run);
    }
    runs
}

/// The runs (by index) in which automation `title` was applied.
fn fired_in(runs: &[AutomationRun], title: &str) -> Vec<usize> {
    let applied = |r: &AutomationRun| r.updates.iter().any(|u| &*u.automation == title);
    runs.iter()
        .enumerate()
        .filter(|(_, r)| applied(r))
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn an_automation_that_closes_fires_a_trigger_on_status_changed_to_closed() {
    let rules = automation(
        "Close",
        "    Status is Solved\n    Hours since solved > 96",
        "    Status = Closed",
    ) + "trigger \"Closed\" {\n  when all {\n    Status changed to Closed\n  }\n  then {\n    Tags += closed_by_rule\n  }\n}\n";
    let engine = compile(&rules);
    let solved = ticket(json!({"id": 1, "status": "solved",
        "status_entered_at": {"solved": "2024-05-01T09:00:00Z"}}));
    let run = engine.run_automations(&solved, &Account::default(), at("2024-05-05T10:30:00Z"));
    assert_eq!(run.updates.len(), 1);
    let update = &run.updates[0];
    assert_eq!(&*update.automation, "Close");
    assert_eq!(
        json!(update.changes),
        json!([{"field": "status", "from": "solved", "to": "closed"}])
    );
    assert_eq!(&*update.triggers.fired[0].trigger, "Closed");
    assert_eq!(run.ticket.status, Status::Closed);
    assert!(run.ticket.has_tag("closed_by_rule"));
    // The update is saved at the run's time: the clock moved.
    assert_eq!(run.ticket.updated_at, Some(at("2024-05-05T10:30:00Z")));
    assert_eq!(
        run.ticket.moment(crate::model::Moment::Closed),
        Some(at("2024-05-05T10:30:00Z"))
    );
    assert_eq!(automation_count(&run.ticket), 1);
    // The near miss: 96 hours after, neither runs; the ticket is shared, not copied.
    let run = engine.run_automations(&solved, &Account::default(), at("2024-05-05T09:30:00Z"));
    assert!(run.updates.is_empty());
    assert!(Arc::ptr_eq(&run.ticket, &solved));
    // A closed ticket runs no automation.
    let closed = ticket(json!({"status": "closed"}));
    let run = engine.run_automations(&closed, &Account::default(), at("2024-05-05T10:30:00Z"));
    assert_eq!(
        run.skipped.map(|s| s.reason),
        Some(crate::model::SkipReason::TicketClosed)
    );
}

#[test]
fn triggers_never_run_an_automation() {
    let engine = compile(&automation(
        "Tag",
        "    Status is Open\n    Hours since created > 1",
        "    Tags += seen",
    ));
    let event = crate::model::Event::from_json(
        r#"{"ticket": {"status": "open", "created_at": "2024-05-01T00:00:00Z"},
            "update": {"time": "2024-05-06T00:00:00Z"}}"#,
    )
    .expect("valid");
    let out = engine.run(&event);
    assert!(out.fired.is_empty() && !out.ticket.has_tag("seen"));
    assert_eq!(engine.titles().count(), 0);
}

#[test]
fn is_24_holds_in_one_hourly_run_and_greater_than_in_every_later_one() {
    let pending = json!({"status": "pending",
        "status_entered_at": {"pending": "2024-05-06T10:40:00Z"}});
    for minute in [0, 15, 40, 59] {
        let is = compile(&automation(
            "Remind",
            "    Status is Pending\n    Hours since pending is 24",
            "    Tags += reminded",
        ));
        let runs = hourly(&is, ticket(pending.clone()), 72, minute);
        // Runs from 10:40 + 24 h on: 11:00, 11:15 and 10:40, 10:59 the day after.
        let want = if minute < 40 { 35 } else { 34 };
        assert_eq!(fired_in(&runs, "Remind"), [want], "minute {minute}");
        let gt = compile(&automation(
            "Remind",
            "    Status is Pending\n    Hours since pending > 24",
            "    Tags += reminded",
        ));
        let runs = hourly(&gt, ticket(pending.clone()), 72, minute);
        assert_eq!(
            fired_in(&runs, "Remind"),
            (want + 1..72).collect::<Vec<_>>()
        );
    }
}

#[test]
fn business_hours_count_the_account_s_schedule() {
    let engine = compile(&automation(
        "Chase",
        "    Status is Pending\n    Business hours since pending > 2",
        "    Tags += chased",
    ));
    // Pending since Friday 16:00; Monday to Friday 9:00 to 17:00 UTC.
    let friday = ticket(json!({"status": "pending",
        "status_entered_at": {"pending": "2024-05-10T16:00:00Z"}}));
    let account = Account {
        schedule: Some(crate::model::office_hours(0)),
        ..Account::default()
    };
    // Monday 11:30 is 3.5 open hours later; Monday 10:30, 2.5: the weekend counts nothing.
    let run = |now| {
        engine
            .run_automations(&friday, &account, at(now))
            .updates
            .len()
    };
    assert_eq!(run("2024-05-13T11:30:00Z"), 1);
    assert_eq!(run("2024-05-13T10:30:00Z"), 0);
    // Without a schedule, every hour counts.
    let anytime = engine.run_automations(&friday, &Account::default(), at("2024-05-10T19:30:00Z"));
    assert_eq!(anytime.updates.len(), 1);
}

#[test]
fn the_next_automation_sees_the_ticket_as_changed() {
    let rules = automation(
        "Escalate",
        "    Status is Open\n    Hours since created > 10",
        "    Priority = Urgent",
    ) + &automation(
        "Page",
        "    Status is Open\n    Priority is Urgent\n    Hours since created > 10",
        "    Tags += paged",
    ) + &automation(
        "Quiet",
        "    Status is Open\n    Hours since update > 10",
        "    Tags += quiet",
    );
    let engine = compile(&rules);
    let open = ticket(
        json!({"status": "open", "created_at": "2024-05-06T00:00:00Z",
        "updated_at": "2024-05-06T00:00:00Z"}),
    );
    let run = engine.run_automations(&open, &Account::default(), at("2024-05-06T12:00:00Z"));
    let titles: Vec<&str> = run.updates.iter().map(|u| &*u.automation).collect();
    // "Quiet" would have held before "Escalate" updated the ticket.
    assert_eq!(titles, ["Escalate", "Page"]);
    assert_eq!(automation_count(&run.ticket), 2);
}

#[test]
fn an_automation_loop_stops_at_zendesk_s_limit() {
    let rules = automation(
        "Flip",
        "    Status is Open\n    Hours since created > 0\n    Tags excludes flip",
        "    Tags += flip",
    ) + &automation(
        "Flop",
        "    Status is Open\n    Hours since created > 0\n    Tags includes flip",
        "    Tags -= flip",
    );
    let engine = compile(&rules);
    let open = ticket(json!({"status": "open", "created_at": "2024-05-05T00:00:00Z"}));
    let runs = hourly(&engine, open, 60, 0);
    let applied: usize = runs.iter().map(|r| r.updates.len()).sum();
    assert_eq!(applied, 100);
    // Two updates an hour: the 50th run reaches the limit and the 51st is refused.
    assert_eq!(runs[49].updates.len(), 2);
    assert!(runs[49].warnings.is_empty());
    assert!(runs[50].updates.is_empty());
    let codes: Vec<&str> = runs[50].warnings.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(codes, ["automation_update_limit"]);
    assert!(runs[50].warnings[0].message.contains("`Flip`"));
    assert_eq!(automation_count(&runs[59].ticket), 100);
}

proptest! {
    /// An automation whose actions nullify it (the tag it adds is one it excludes) is
    /// applied once per ticket, whatever the hours it runs at; one without that condition
    /// is applied in every run once it holds.
    #[test]
    fn a_nullifying_automation_fires_once_per_ticket(
        gaps in prop::collection::vec(1i64..30, 1..40),
        minute in 0i64..60,
    ) {
        let nullified = compile(&automation(
            "Remind",
            "    Status is Pending\n    Hours since pending > 4\n    Tags excludes reminded",
            "    Tags += reminded",
        ));
        let endless = compile(&automation(
            "Remind",
            "    Status is Pending\n    Hours since pending > 4",
            "    Tags += reminded",
        ));
        let start = ticket(json!({"status": "pending",
            "status_entered_at": {"pending": "2024-05-06T00:00:00Z"}}));
        let base = at("2024-05-06T00:00:00Z").as_second() + minute * 60;
        let times: Vec<Timestamp> = gaps
            .iter()
            .scan(0, |h, g| { *h += g; Some(*h) })
            .map(|h| Timestamp::from_second(base + h * 3600).expect("in range"))
            .collect();
        let count = |engine: &Compiled| {
            let mut t = Arc::clone(&start);
            let mut applied = 0;
            for now in &times {
                let run = engine.run_automations(&t, &Account::default(), *now);
                applied += run.updates.len();
                t = run.ticket;
            }
            applied
        };
        let holding = times
            .iter()
            .filter(|t| t.seconds_since(at("2024-05-06T00:00:00Z")) >= 5 * 3600)
            .count();
        prop_assert_eq!(count(&nullified), usize::from(holding > 0));
        prop_assert_eq!(count(&endless), holding);
    }
}

#[test]
fn explaining_an_automation_shows_the_hours_each_time_condition_counted() {
    let engine = compile(&automation(
        "Close",
        "    Status is Solved\n    Hours since solved > 96",
        "    Status = Closed",
    ));
    let solved = ticket(json!({"status": "solved",
        "status_entered_at": {"solved": "2024-05-01T09:00:00Z"}}));
    let explain = |now| {
        let looked = engine.explain_automations(&solved, &Account::default(), at(now));
        assert_eq!(looked.len(), 1);
        json!(looked[0])
    };
    let before = explain("2024-05-05T09:30:00Z");
    assert_eq!(before["verdict"], json!("not_matched"));
    let time_test = &before["conditions"]["members"][1];
    assert_eq!(time_test["test"], json!("Hours since solved > 96"));
    assert_eq!(
        (time_test["holds"].clone(), time_test["seen"].clone()),
        (json!(false), json!("96 h"))
    );
    let after = explain("2024-05-05T10:30:00Z");
    assert_eq!(after["verdict"], json!("fired"));
    assert_eq!(after["conditions"]["members"][1]["seen"], json!("97 h"));
    // Explaining applies nothing.
    assert_eq!(solved.status, Status::Solved);
}
