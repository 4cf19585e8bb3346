//! Routing decisions for people: the queues tried, and what routing decided.

use std::fmt::Write as _;

use declic::model::{Decision, Handoff, QueueTaken};
use declic::routing::Explanation;

/// Each custom queue tried, with its conditions, then the decision.
pub fn explained(
    e: &Explanation,
    tree: impl Fn(&mut String, &declic::engine::Node, usize),
) -> String {
    let mut out = String::from("routing\n");
    for tried in &e.queues {
        let mark = if tried.matched {
            "✓ took it:"
        } else {
            "✗ not matched:"
        };
        let _ = writeln!(out, "  {mark} queue {}", tried.queue);
        tree(&mut out, &tried.conditions, 2);
    }
    out + &decision(&e.decision, "  ")
}

/// The decision, a line each: routed or why not, then the agent or why none.
pub fn decision(d: &Decision, pad: &str) -> String {
    let mut out = String::new();
    let channel = d.channel.name();
    match (&d.queue, &d.reason) {
        (
            Some(QueueTaken::Custom {
                name,
                priority,
                subqueue,
                ..
            }),
            _,
        ) => {
            let sub = subqueue
                .as_ref()
                .map(|s| format!(", subqueue `{s}`"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{pad}→ routed on {channel} by custom queue `{name}` (priority {priority}{sub})"
            );
        }
        (Some(QueueTaken::Standard { group_id }), _) => {
            let _ = writeln!(
                out,
                "{pad}→ routed on {channel} by the standard queue of group {group_id}"
            );
        }
        (None, Some(reason)) => {
            let _ = writeln!(out, "{pad}→ not routed: {}", reason.message);
        }
        (None, None) => {}
    }
    if let Some(pick) = &d.agent {
        let how = match pick.how {
            Handoff::Assigned => "assigned to",
            Handoff::Offered => "offered to",
        };
        let name = pick
            .name
            .as_ref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        let tier = if pick.secondary {
            "secondary"
        } else {
            "primary"
        };
        let _ = writeln!(
            out,
            "{pad}→ {how} agent {}{name} through {tier} group {}: {}",
            pick.agent_id, pick.group_id, pick.why
        );
    }
    if let Some(none) = &d.no_agent {
        let _ = writeln!(out, "{pad}→ waits in the queue: {}", none.reason);
        for r in &none.refused {
            let _ = writeln!(out, "{pad}    agent {}: {}", r.agent_id, r.reason);
        }
    }
    out
}
