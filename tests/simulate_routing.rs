//! Routing over time in `declic simulate` (DOMAIN 4c): offers and their 30 seconds,
//! capacity taken and released by what each ticket becomes, and the line of waiting
//! tickets, each rule with a case that holds and a near miss.

use declic::engine::Compiled;
use declic::routing::Router;
use declic::simulate::{simulate, Log, Options, Timeline, What};
use declic::Source;

/// Simulates `timeline` under the rules `rules` (queues, triggers), routing over time.
fn run_with(rules: &str, timeline: &str) -> Log {
    let checked = declic::check(&[Source::new("rules.declic", rules)])
        .into_result()
        .expect("the rules check");
    let engine = Compiled::new(&checked).expect("they compile");
    let router = Router::new(&checked).expect("the queues compile");
    let timeline =
        Timeline::parse(&Source::new("t.timeline.toml", timeline)).expect("the timeline reads");
    let options = Options {
        router: Some(&router),
        ..Options::default()
    };
    simulate(&timeline, &engine, &options)
}

fn run(timeline: &str) -> Log {
    run_with("", timeline)
}

/// The routing lines of `log`, as text, each after its ticket's conversation name.
fn routing(log: &Log) -> Vec<String> {
    log.entries
        .iter()
        .filter_map(|e| match &e.what {
            What::Routing(r) => Some(format!("{} {} {r}", e.at, e.conversation)),
            _ => None,
        })
        .collect()
}

fn has(log: &Log, needle: &str) -> bool {
    routing(log).iter().any(|l| l.contains(needle))
}

/// A messaging timeline over the agents `agents` (TOML `[[agent]]` tables) and the
/// conversations `tickets` (`[[ticket]]` tables), in group 1.
fn timeline(account: &str, agents: &str, tickets: &str) -> String {
    format!(
        "product = \"messaging\"\nstart = 2024-05-06T09:00:00Z\n\n[account]\ninactivity_minutes = 10\n{account}\n{agents}\n{tickets}"
    )
}

fn agent(id: u64, capacity: u32, offers: &str) -> String {
    format!(
        "[[agent]]\nid = {id}\nname = \"A{id}\"\ngroup_ids = [1]\noffers = \"{offers}\"\nchannels = {{ messaging = {{ status = \"online\", capacity = {capacity} }}, email = {{ status = \"online\", capacity = {capacity} }} }}\n"
    )
}

fn ticket(name: &str, fields: &str, activity: &[&str]) -> String {
    let quoted: Vec<String> = activity.iter().map(|a| format!("\"{a}\"")).collect();
    format!(
        "[[ticket]]\nname = \"{name}\"\nticket = {{ group_id = 1{fields} }}\nactivity = [{}]\n",
        quoted.join(", ")
    )
}

#[test]
fn an_offer_unanswered_for_30_seconds_goes_to_the_next_agent() {
    let tickets = ticket(
        "Marie",
        "",
        &["0:00 end user writes: hello", "wait 1 minute"],
    );
    let silent = run(&timeline(
        "",
        &(agent(1, 1, "ignores") + &agent(2, 1, "accepts")),
        &tickets,
    ));
    assert!(
        has(&silent, "09:00:00Z Marie offered to A1 (1)"),
        "{:#?}",
        routing(&silent)
    );
    assert!(has(
        &silent,
        "09:00:30Z Marie offer to A1 (1) unanswered after 30 s: reassigned"
    ));
    assert!(has(&silent, "09:00:30Z Marie offered to A2 (2)"));
    assert!(has(
        &silent,
        "09:00:30Z Marie accepted by A2 (2), after 30 s waiting"
    ));
    // Near miss: an answer within the 30 seconds keeps the offer.
    let slow = run(&timeline(
        "",
        &(agent(1, 1, "accepts after 29 seconds") + &agent(2, 1, "accepts")),
        &tickets,
    ));
    assert!(
        has(&slow, "09:00:29Z Marie accepted by A1 (1)"),
        "{:#?}",
        routing(&slow)
    );
    assert!(!has(&slow, "unanswered"));
    assert_eq!(
        slow.tickets[0].assignee_id,
        Some(1),
        "the accepting agent is the assignee"
    );
}
