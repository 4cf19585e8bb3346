//! Section h: `declic simulate` on 10,000 conversations over 30 days (messaging, live
//! chat, Agent Workspace chat and the SDK, with capacity auto-release), in simulated
//! ticket-hours per second; beside it, `run` on the very update events the simulation
//! made, in events per second; and the heap the simulation held, per ticket.
//!
//! The rule set is the French recipes and 40 automations, one of which acts on each
//! pending ticket each day until it has acted (a tag nullifies it).

use declic::check::RuleSet;
use declic::engine::Compiled;
use declic::routing::Router;
use declic::simulate::{simulate, Options, Timeline};
use declic::Source;

use crate::alloc::peak_during;
use crate::measure::{median, throughput, Row};

/// Days simulated.
const DAYS: u32 = 30;

/// Automations in the rule set.
const AUTOMATIONS: usize = 40;

/// The recipes and [`AUTOMATIONS`] automations, compiled.
pub fn rules() -> Compiled {
    Compiled::new(&checked()).expect("they compile")
}

/// The recipes and [`AUTOMATIONS`] automations, checked.
fn checked() -> RuleSet {
    let mut sources = declic::load::load(&crate::root().join("recipes/fr")).sources;
    let mut text = String::new();
    for i in 0..AUTOMATIONS {
        text += &format!(
            "automation \"Pending {i}\" {{\n  when all {{\n    Status is Pending\n    Hours since pending > {}\n    Tags excludes pending_{i}\n  }}\n  then {{\n    Tags += pending_{i}\n  }}\n}}\n\n",
            24 + 12 * i
        );
    }
    sources.push(Source::new("bench-automations.declic", text));
    declic::check(&sources)
        .into_result()
        .expect("the recipes and the automations check")
}

pub fn rows(engine: &Compiled, quick: bool) -> Vec<Row> {
    let (tickets, runs) = if quick { (1_000, 1) } else { (10_000, 3) };
    eprintln!("e: declic simulate, {tickets} conversations over {DAYS} days...");
    let text = timeline(tickets);
    let timeline = Timeline::parse(&Source::new("bench.timeline.toml", text))
        .expect("the generated timeline reads");
    let options = Options::default();
    let (time, hours) = median(runs, || simulate(&timeline, engine, &options).ticket_hours);
    let (log, peak) = peak_during(|| simulate(&timeline, engine, &options));
    let record = Options {
        record: true,
        ..Options::default()
    };
    let events: Vec<_> = simulate(&timeline, engine, &record)
        .updates
        .into_iter()
        .map(|(event, _)| event)
        .collect();
    let (run_time, _) = median(runs, || {
        events
            .iter()
            .map(|e| engine.run(e).fired.len())
            .sum::<usize>()
    });
    eprintln!(
        "   {} log entries, {} updates, {hours:.0} ticket-hours",
        log.entries.len(),
        events.len()
    );
    let run = throughput(
        "h-sim",
        "declic run, the simulation's updates",
        events.len(),
        run_time,
        None,
    );
    let base = run
        .per_second
        .map(|p| ("declic run, the simulation's updates", p));
    let mut sim = throughput(
        "h-sim",
        &format!("simulate: ticket-hours/s ({tickets} tickets)"),
        hours.round() as usize,
        time,
        base,
    );
    sim.peak_bytes = Some(peak);
    let per_ticket = Row {
        section: "h-sim".to_owned(),
        name: format!("simulate: heap per ticket, {} bytes", peak / tickets),
        per_second: None,
        micros: time.as_secs_f64() * 1e6 / tickets as f64,
        ratio: 1.0,
        against: "µs of simulation per ticket".to_owned(),
        peak_bytes: Some(peak),
    };
    let mut rows = vec![run, sim, per_ticket];
    rows.push(routed_day(engine, quick));
    rows
}

/// Conversations and agents of the routed day.
const DAY: (u32, u32) = (10_000, 50);

/// A simulated day of [`DAY`] messaging conversations shared by its agents (the
/// recipes' queues, messaging capacity 2): tickets simulated per second, and the heap the
/// simulation held at its peak. Quick: a tenth of both.
fn routed_day(engine: &Compiled, quick: bool) -> Row {
    let (conversations, agents) = if quick { (DAY.0 / 10, DAY.1 / 10) } else { DAY };
    let runs = if quick { 1 } else { 3 };
    eprintln!("h: a routed day, {conversations} conversations over {agents} agents...");
    let text = format!(
        "start = 2024-05-06T00:00:00Z\nuntil = \"24:00\"\n\n[account]\ninactivity_minutes = 10\n\n[traffic]\nconversations = {conversations}\nover = \"24 hours\"\nseed = 7\ngroup = 360012000100\nagents = {agents}\ncapacity = 2\n"
    );
    let timeline =
        Timeline::parse(&Source::new("day.timeline.toml", text)).expect("the generated day reads");
    let router = Router::new(&checked()).expect("the queues compile");
    let options = Options {
        router: Some(&router),
        ..Options::default()
    };
    let (time, tickets) = median(runs, || simulate(&timeline, engine, &options).tickets.len());
    let (log, peak) = peak_during(|| simulate(&timeline, engine, &options));
    if let Some(summary) = &log.routing {
        for line in summary.lines().iter().take(2) {
            eprintln!("   {line}");
        }
    }
    let mut row = throughput(
        "h-sim",
        &format!("routed day: tickets/s ({conversations}, {agents} agents)"),
        tickets,
        time,
        None,
    );
    row.peak_bytes = Some(peak);
    row
}

/// A timeline of `tickets` conversations spread over the month, each of one of the four
/// products in turn, with a few exchanges and the ends each product has.
pub fn timeline(tickets: usize) -> String {
    let mut text = format!(
        "start = 2024-05-06T00:00:00Z\nuntil = \"{}:00\"\n\n[account]\ninactivity_minutes = 30\ncapacity_release = {{ end_session = true }}\npush_notifications = false\n",
        DAYS * 24
    );
    let span = u64::from(DAYS - 1) * 24 * 60;
    for i in 0..tickets {
        let minute = (i as u64 * 7919) % span;
        let at = |m: u64| format!("{}:{:02}", (minute + m) / 60, (minute + m) % 60);
        let (product, activity) = match i % 4 {
            0 | 1 => (
                "messaging",
                vec![
                    format!("{} end user writes: where is my order?", at(0)),
                    format!("{} agent joins", at(2)),
                    format!("{} agent replies: let me look", at(3)),
                    format!("{} end user writes: thanks", at(20 + (i as u64 % 30))),
                    format!("{} agent replies: it ships today", at(60)),
                    format!("{} agent sets status pending", at(61)),
                ],
            ),
            2 => (
                "live chat",
                vec![
                    format!("{} end user writes: hello", at(0)),
                    format!("{} agent joins", at(1)),
                    format!("{} visitor goes idle", at(4)),
                ],
            ),
            _ => (
                "chat sdk",
                vec![
                    format!("{} end user writes: my app crashed", at(0)),
                    format!("{} agent joins", at(1)),
                    format!("{} app goes to the background", at(5)),
                ],
            ),
        };
        let quoted: Vec<String> = activity.iter().map(|a| format!("\"{a}\"")).collect();
        text += &format!(
            "\n[[ticket]]\nproduct = \"{product}\"\nactivity = [{}]\n",
            quoted.join(", ")
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The generated month reads, and every conversation of it becomes a ticket.
    #[test]
    fn the_generated_timeline_reads_and_simulates() {
        let timeline = Timeline::parse(&Source::new("t.timeline.toml", timeline(8)))
            .expect("the generated timeline reads");
        assert_eq!(timeline.tickets.len(), 8);
        let log = simulate(&timeline, &rules(), &Options::default());
        assert_eq!(log.tickets.len(), 8, "each conversation has its ticket");
        assert!(log.ticket_hours > 8.0 * 24.0);
    }
}
