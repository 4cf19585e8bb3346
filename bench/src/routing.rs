//! Section f: omnichannel routing per event, beside the trigger cycle it follows. The
//! recipes (with their two custom queues) run on the generated events; routing then reads
//! each outcome's ticket, with no agents (the queue decision alone) and with the recipes'
//! three agents, copied for each event as `declic run` does.

use std::path::Path;

use declic::engine::Compiled;
use declic::model::{Event, Outcome};
use declic::routing::{Agents, Router};

use crate::measure::{medians, Row};

pub fn rows(quick: bool, root: &Path) -> Vec<Row> {
    let (n, runs) = if quick { (20_000, 3) } else { (100_000, 5) };
    eprintln!("f: routing after the recipes on {n} generated events...");
    let rules = declic::check_path(&root.join("recipes/fr"))
        .into_result()
        .expect("the recipes check");
    let engine = Compiled::new(&rules).expect("the recipes compile");
    let router = Router::new(&rules).expect("the queues compile");
    let agents = Agents::load(&root.join("recipes/fr/compte/agents.json")).expect("the agents");
    let events: Vec<Event> = crate::events::generate(n, 7)
        .iter()
        .map(|t| Event::from_json(t).expect("generated events are valid"))
        .collect();
    let outcomes: Vec<Outcome> = events.iter().map(|e| engine.run(e)).collect();
    let [(t_cycle, _), (t_queues, routed), (t_agents, picked)] = medians(
        runs,
        [
            &mut || {
                events
                    .iter()
                    .map(|e| engine.run(e).fired.len())
                    .sum::<usize>()
            },
            &mut || {
                events
                    .iter()
                    .zip(&outcomes)
                    .filter(|(e, o)| router.route(e, &o.ticket, None).routed)
                    .count()
            },
            &mut || {
                events
                    .iter()
                    .zip(&outcomes)
                    .filter(|(e, o)| {
                        let mut agents = agents.clone();
                        router
                            .route(e, &o.ticket, Some(&mut agents))
                            .agent
                            .is_some()
                    })
                    .count()
            },
        ],
    );
    eprintln!("   {routed} routed, {picked} to an agent");
    crate::against_declic(
        "i-routing",
        n,
        [
            ("the trigger cycle (declic run)", t_cycle),
            ("routing after it, queues only", t_queues),
            ("routing after it, with 3 agents", t_agents),
        ],
    )
}
