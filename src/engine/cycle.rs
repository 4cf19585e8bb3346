//! Zendesk's trigger cycle (DOMAIN.md section 2): passes from the top against the ticket
//! as changed so far, each trigger firing at most once, until a pass fires nothing.

use std::borrow::Cow;
use std::sync::Arc;

use super::apply::{self, Out};
use super::compile::Trigger;
use super::eval::{self, Ctx};
use super::explain::Blocked;
use super::index::Index;
use super::messaging;
use super::render::render_effects;
use crate::model::{
    Effect, Event, Firing, Outcome, RoutingChannel, SkipReason, Status, Ticket, Warning,
};

/// What the cycle saw of one trigger in one pass.
pub(crate) enum Seen<'a> {
    /// It fired in an earlier pass.
    AlreadyFired,
    /// It may not run on this update.
    Blocked(Blocked),
    /// Its conditions were evaluated on `ticket`, and held or not.
    Evaluated {
        ticket: &'a Ticket,
        cx: &'a Ctx<'a>,
        holds: bool,
    },
}

/// Follows the cycle as it runs; [`Quiet`] compiles away, `explain` records.
pub(crate) trait Watch {
    fn pass(&mut self, number: u32);
    fn trigger(&mut self, index: usize, seen: Seen<'_>);
}

/// Watches nothing.
pub(crate) struct Quiet;

impl Watch for Quiet {
    fn pass(&mut self, _: u32) {}
    fn trigger(&mut self, _: usize, _: Seen<'_>) {}
}

/// Runs the cycle for one update.
pub(crate) fn run(
    triggers: &[Trigger],
    index: Option<&Index>,
    pass_limit: u32,
    event: &Event,
    watch: &mut impl Watch,
) -> Outcome {
    if event
        .previous
        .as_ref()
        .is_some_and(|p| p.status == Status::Closed)
    {
        return Outcome::skipped(Arc::clone(&event.ticket), SkipReason::TicketClosed);
    }
    if messaging::starts_new_session(event) {
        let mut o = Outcome::skipped(Arc::clone(&event.ticket), SkipReason::NewSessionStarted);
        o.effects.push(Effect::NewSession {
            trigger: None,
            reason: SkipReason::NewSessionStarted.message().to_owned(),
        });
        return o;
    }
    // Borrowed from the event until the first change: a cycle that changes nothing (most
    // updates) copies no ticket. Not a clone of the event's `Arc` either: its count sits
    // in memory that is cold when an event is run, and a cycle that changes the ticket
    // never needs it.
    let mut ticket = Cow::Borrowed(&*event.ticket);
    let mut effects = Vec::new();
    let mut ended_session = messaging::agent_ended(&mut ticket, event);
    if ended_session {
        agent_end_effects(&ticket, &mut effects);
    }
    messaging::derive_state(&mut ticket, event);

    let cx = Ctx::new(event);
    let mut done = Flags::new(triggers.len());
    let mut fired = Vec::new();
    let mut passes = 0;
    let mut settled = false;
    while passes < pass_limit {
        passes += 1;
        watch.pass(passes);
        let mut any = false;
        let mut from = 0;
        // Each firing changes the ticket: the rest of the pass is looked up again.
        while let Some(i) = next_firing(triggers, index, &ticket, event, &cx, from, &done, watch) {
            let t = &triggers[i];
            let mut out = Out {
                trigger: &t.title,
                changes: Vec::new(),
                effects: &mut effects,
                ended_session: &mut ended_session,
            };
            let working = ticket.to_mut();
            for act in &t.actions {
                apply::apply(act, working, event, &mut out);
            }
            if t.once_per_ticket {
                messaging::mark_fired(working, &t.title);
            }
            fired.push(Firing {
                trigger: Arc::clone(&t.title),
                pass: passes,
                changes: out.changes,
            });
            done[i] = true;
            any = true;
            from = i + 1;
        }
        if !any {
            settled = true;
            break;
        }
    }

    let mut warnings = Vec::new();
    if !settled {
        effects.push(Effect::PassLimitReached {
            trigger: None,
            passes,
        });
        warnings.push(Warning {
            code: "pass_limit".to_owned(),
            message: format!(
                "the cycle stopped after {passes} passes without settling; later triggers may not have run"
            ),
        });
    }
    // A session that ended while its ticket still routes as messaging leaves the queue.
    if ended_session && ticket.routing_channel != Some(RoutingChannel::Email) {
        effects.push(Effect::RemovedFromQueue {
            trigger: None,
            reason: "the messaging session ended and the routing channel is still messaging"
                .to_owned(),
        });
    }
    render_effects(&mut effects, &ticket);
    let ticket = match ticket {
        Cow::Borrowed(_) => Arc::clone(&event.ticket),
        Cow::Owned(changed) => Arc::new(changed),
    };
    Outcome {
        ticket,
        fired,
        effects,
        passes,
        warnings,
        skipped: None,
    }
}

/// A flag per trigger: whether it fired yet. On the stack for rule sets of up to
/// [`Flags::ON_STACK`] triggers, the usual size, so that a cycle allocates none for them.
enum Flags {
    Stack([bool; Flags::ON_STACK], usize),
    Heap(Vec<bool>),
}

impl Flags {
    const ON_STACK: usize = 64;

    fn new(n: usize) -> Flags {
        if n <= Flags::ON_STACK {
            Flags::Stack([false; Flags::ON_STACK], n)
        } else {
            Flags::Heap(vec![false; n])
        }
    }
}

impl std::ops::Deref for Flags {
    type Target = [bool];

    fn deref(&self) -> &[bool] {
        match self {
            Flags::Stack(flags, n) => &flags[..*n],
            Flags::Heap(flags) => flags,
        }
    }
}

impl std::ops::DerefMut for Flags {
    fn deref_mut(&mut self) -> &mut [bool] {
        match self {
            Flags::Stack(flags, n) => &mut flags[..*n],
            Flags::Heap(flags) => flags,
        }
    }
}

/// The first trigger from position `from` on that fires on `ticket`: the index's
/// candidates when there is an index, else every trigger (each one shown to `watch`).
#[allow(clippy::too_many_arguments)]
fn next_firing(
    triggers: &[Trigger],
    index: Option<&Index>,
    ticket: &Ticket,
    event: &Event,
    cx: &Ctx<'_>,
    from: usize,
    done: &[bool],
    watch: &mut impl Watch,
) -> Option<usize> {
    let (mut all, mut listed);
    let candidates: &mut dyn Iterator<Item = usize> = match index {
        Some(index) => {
            listed = index.candidates(ticket, cx, from).into_iter();
            &mut listed
        }
        None => {
            all = from..triggers.len();
            &mut all
        }
    };
    for i in candidates {
        let t = &triggers[i];
        if done[i] {
            watch.trigger(i, Seen::AlreadyFired);
            continue;
        }
        if let Some(why) = messaging::blocked(t, ticket, event) {
            watch.trigger(i, Seen::Blocked(why));
            continue;
        }
        let holds = eval::holds(&t.cond, ticket, cx);
        watch.trigger(i, Seen::Evaluated { ticket, cx, holds });
        if holds {
            return Some(i);
        }
    }
    None
}

/// What an agent ending the session emits, before any trigger runs.
fn agent_end_effects(ticket: &crate::model::Ticket, effects: &mut Vec<Effect>) {
    effects.push(Effect::SessionEnded {
        trigger: None,
        by: crate::model::EndReason::EndedByAgent,
    });
    if let Some(agent_id) = ticket.assignee_id {
        effects.push(Effect::CapacityReleased {
            trigger: None,
            agent_id,
            channel: "messaging".to_owned(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::Flags;

    #[test]
    fn flags_hold_one_per_trigger_on_the_stack_or_not() {
        for n in [0, 3, Flags::ON_STACK, Flags::ON_STACK + 1, 1000] {
            let mut flags = Flags::new(n);
            assert_eq!(flags.len(), n);
            assert!(flags.iter().all(|f| !f));
            if let Some(last) = flags.last_mut() {
                *last = true;
                assert_eq!(flags.iter().filter(|f| **f).count(), 1);
            }
        }
    }
}
