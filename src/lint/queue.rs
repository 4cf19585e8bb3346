//! Routing queues that check cleanly but take no ticket (DOMAIN 4c):
//! - `unreachable_queue`: custom queues are tried in order and the first whose conditions
//!   hold takes the ticket, so a queue whose every ticket an earlier queue also matches
//!   is never reached;
//! - `queue_never_matches`: a queue whose conditions no routed ticket meets, such as one
//!   for tickets still routed as messaging after their session ended (those leave every
//!   queue), or conditions that contradict each other.

use super::logic::{self, Env, F};
use super::messaging::{needs, not_ended, not_routed_as_messaging};
use crate::check::queue::Queue;
use crate::check::RuleSet;
use crate::diagnostics::{Code, Diagnostic};

/// The findings on the rule set's queues, in routing order.
pub(super) fn check(rules: &RuleSet) -> Vec<Diagnostic> {
    let formulas: Vec<F> = rules.queues.iter().map(|q| F::of(&q.conditions)).collect();
    let (not_ended, not_routed) = (not_ended(), not_routed_as_messaging());
    let mut out = Vec::new();
    for (i, (q, f)) in rules.queues.iter().zip(&formulas).enumerate() {
        if !logic::satisfiable(f, &Env::new()) {
            out.push(never(q, "its conditions contradict each other"));
            continue;
        }
        if needs(f, &not_routed) && needs(f, &not_ended) {
            out.push(never(
                q,
                "it takes tickets still routed as messaging after their session ended, which leave every queue",
            ));
            continue;
        }
        let earlier = (0..i).find(|&j| implies(f, &formulas[j]));
        if let Some(j) = earlier {
            out.push(unreachable(q, &rules.queues[j]));
        }
    }
    out
}

/// Whether every ticket meeting `f` meets `g`: no ticket meets `f` and not `g`.
fn implies(f: &F, g: &F) -> bool {
    let neither = F::All(vec![f.clone(), g.clone().negate()]);
    !logic::satisfiable(&neither, &Env::new())
}

fn never(q: &Queue, why: &str) -> Diagnostic {
    Diagnostic::warning(
        Code::QueueNeverMatches,
        format!("queue `{}` never takes a ticket: {why}", q.name),
    )
    .in_source(&q.origin.source)
    .label(q.title_span, "never matches a routed ticket")
    .help("for agent-ended sessions, match `Routing channel is Email`: the account's setting or a trigger routes them as email")
}

fn unreachable(q: &Queue, first: &Queue) -> Diagnostic {
    Diagnostic::warning(
        Code::UnreachableQueue,
        format!(
            "queue `{}` is never reached: queue `{}`, tried before it, takes every ticket it would",
            q.name, first.name
        ),
    )
    .in_source(&q.origin.source)
    .label(q.title_span, "never reached")
    .related(
        Diagnostic::warning(Code::UnreachableQueue, "tried first")
            .in_source(&first.origin.source)
            .label(first.title_span, "takes its tickets first"),
    )
    .help("give it a lower `order` than the broader queue, or narrow the broader queue")
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::Code;
    use crate::lint::tests::codes;

    fn queue(name: &str, order: i64, conditions: &str) -> String {
        format!("queue \"{name}\" {{\n  order {order}\n  when all {{\n    {conditions}\n  }}\n}}\n")
    }

    #[test]
    fn a_queue_an_earlier_queue_always_matches_first_is_unreachable() {
        let broad = queue("messaging", 1, "Channel is Messaging");
        let narrow = queue(
            "ended as email",
            2,
            "Channel is Messaging\n    Routing channel is Email",
        );
        assert_eq!(codes(&format!("{broad}{narrow}")), [Code::UnreachableQueue]);
        // Near miss: the narrow one first, each takes tickets of its own.
        let narrow_first = queue(
            "ended as email",
            0,
            "Channel is Messaging\n    Routing channel is Email",
        );
        assert!(codes(&format!("{broad}{narrow_first}")).is_empty());
        // Near miss: overlapping but not implied.
        let vip = queue("vip", 2, "Tags includes vip");
        assert!(codes(&format!("{broad}{vip}")).is_empty());
    }

    #[test]
    fn a_queue_no_routed_ticket_meets_never_matches() {
        let ended_messaging = queue(
            "ended",
            1,
            "Routing channel is Messaging\n    Messaging session state is Ended",
        );
        assert_eq!(codes(&ended_messaging), [Code::QueueNeverMatches]);
        let contradiction = queue("never", 1, "Status is Open\n    Status is Pending");
        assert_eq!(codes(&contradiction), [Code::QueueNeverMatches]);
        // Near miss: the seed's queue, routed as email after the end.
        let seed = queue("seed", 1, "Channel is Messaging\n    Routing channel is Email\n    Messaging session state is Ended");
        assert!(codes(&seed).is_empty());
    }
}
