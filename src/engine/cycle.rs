//! Zendesk's trigger cycle (DOMAIN.md section 2): passes from the top against the ticket
//! as changed so far, each trigger firing at most once, until a pass fires nothing.

use std::sync::Arc;

use super::apply::{self, Out};
use super::clock::Stamp;
use super::compile::Trigger;
use super::eval;
use super::explain::Blocked;
use super::facts::Facts;
use super::field_tags::FieldTags;
use super::footprint::{self, Written};
use super::index::Index;
use super::messaging;
use super::render::{self, render_effects};
use super::snapshot::Snapshot;
use super::Compiled;
use crate::model::{
    Changes, Effect, EndReason, Event, Firing, Outcome, RoutingChannel, SkipReason, Skipped,
    Status, Unsupported, Warning,
};

/// What the cycle saw of one trigger in one pass.
pub(crate) enum Seen<'a> {
    /// It fired in an earlier pass.
    AlreadyFired,
    /// It may not run on this update.
    Blocked(Blocked),
    /// Its conditions were evaluated on `ticket`, and held or not.
    Evaluated {
        ticket: &'a Facts<'a>,
        cx: &'a Snapshot<'a>,
        holds: bool,
    },
}

/// Follows the cycle as it runs; [`Quiet`] compiles away, `explain` records.
pub(crate) trait Watch {
    /// Whether the cycle may pass over a trigger whose verdict it already knows (see
    /// [`Marks`]); a watch that shows every trigger of every pass says no.
    const SKIPS_KNOWN: bool;

    fn pass(&mut self, number: u32);
    fn trigger(&mut self, index: usize, seen: Seen<'_>);
}

/// Watches nothing.
pub(crate) struct Quiet;

impl Watch for Quiet {
    const SKIPS_KNOWN: bool = true;

    fn pass(&mut self, _: u32) {}
    fn trigger(&mut self, _: usize, _: Seen<'_>) {}
}

/// What one trigger cycle decided, before it is written onto the ticket: the triggers that
/// fired and what each changed, and the effects. [`Cycle::into_outcome`] makes the
/// [`Outcome`], with the ticket after the cycle.
#[derive(Debug)]
pub struct Cycle<'a> {
    event: &'a Event,
    /// The working ticket after the cycle.
    ticket: Facts<'a>,
    /// Whether the ticket changed: something fired, or the update itself ended or
    /// re-derived the messaging session.
    changed: bool,
    fired: Vec<Firing>,
    effects: Vec<Effect>,
    passes: u32,
    warnings: Vec<Warning>,
    skipped: Option<Skipped>,
    unsupported: Vec<Unsupported>,
    /// The account's fields tied to tags, whose option titles placeholders show.
    links: Option<&'a FieldTags>,
}

impl<'a> Cycle<'a> {
    fn new(cx: &'a Snapshot<'_>) -> Cycle<'a> {
        Cycle {
            event: cx.event,
            ticket: cx.ticket.borrowed(),
            changed: false,
            fired: Vec::new(),
            effects: Vec::new(),
            passes: 0,
            warnings: Vec::new(),
            skipped: None,
            unsupported: Vec::new(),
            links: None,
        }
    }

    fn skipped(cx: &'a Snapshot<'_>, reason: SkipReason) -> Cycle<'a> {
        Cycle {
            skipped: Some(Skipped::new(reason)),
            ..Cycle::new(cx)
        }
    }

    /// The triggers that fired, in firing order, with what each changed.
    pub fn fired(&self) -> &[Firing] {
        &self.fired
    }

    /// What the cycle emits, in the order the actions ran; placeholders in their texts are
    /// rendered by [`Cycle::into_outcome`], against the final ticket.
    pub fn effects(&self) -> &[Effect] {
        &self.effects
    }

    /// How many passes the cycle made.
    pub fn passes(&self) -> u32 {
        self.passes
    }

    /// The conditions and actions of triggers that the cycle could not run.
    pub fn unsupported(&self) -> &[Unsupported] {
        &self.unsupported
    }

    /// The outcome: the event's ticket with the cycle's changes written onto a copy of it
    /// (the event's own, shared, when nothing changed), and the effects' texts rendered.
    ///
    /// The ticket's clock is brought up to the update's time (see the `clock` module):
    /// a skipped update is not saved, so it changes no time.
    pub fn into_outcome(self) -> Outcome {
        let stamp = match self.skipped {
            None => Stamp::of(self.event, &self.ticket),
            Some(_) => None,
        };
        let news = stamp.is_some_and(|s| s.changes(&self.event.ticket));
        let ticket = if self.changed || news {
            let mut ticket = self.ticket.into_ticket();
            if let Some(stamp) = stamp {
                stamp.write(&mut ticket);
            }
            Arc::new(ticket)
        } else {
            Arc::clone(&self.event.ticket)
        };
        let mut effects = self.effects;
        let mut warnings = self.warnings;
        warnings.extend(render_effects(
            &mut effects,
            (&ticket, self.event),
            self.links,
        ));
        Outcome {
            ticket,
            fired: self.fired,
            effects,
            passes: self.passes,
            warnings,
            skipped: self.skipped,
            unsupported: self.unsupported,
            // Routing is a step of its own, after the cycle (`crate::routing`).
            routing: None,
        }
    }
}

impl Cycle<'_> {
    /// What the cycle did, without the ticket after it: the ticket is written only when
    /// an effect's placeholders need it to be rendered.
    pub fn into_changes(mut self) -> Changes {
        if render::any_placeholder(&mut self.effects) {
            return Changes::from(self.into_outcome());
        }
        Changes {
            fired: self.fired,
            effects: self.effects,
            passes: self.passes,
            warnings: self.warnings,
            skipped: self.skipped,
            unsupported: self.unsupported,
            routing: None,
        }
    }
}

/// Runs the cycle of `engine`'s triggers for one update, looking up the triggers an update
/// may fire in `index` when given (explaining goes without, to see every trigger).
pub(crate) fn run<'a>(
    engine: &'a Compiled,
    index: Option<&Index>,
    cx: &'a Snapshot<'_>,
    watch: &mut impl Watch,
) -> Cycle<'a> {
    let (triggers, links, pass_limit) = (&engine.triggers, &engine.links, engine.pass_limit);
    if cx
        .previous
        .as_ref()
        .is_some_and(|p| p.status == Status::Closed)
    {
        return Cycle::skipped(cx, SkipReason::TicketClosed);
    }
    if messaging::starts_new_session(cx) {
        let mut cycle = Cycle::skipped(cx, SkipReason::NewSessionStarted);
        cycle.effects.push(Effect::NewSession {
            trigger: None,
            reason: SkipReason::NewSessionStarted.message().to_owned(),
        });
        return cycle;
    }
    let mut cycle = Cycle::new(cx);
    cycle.links = Some(links);
    // Every cycle that runs triggers reports the parts of them declic cannot evaluate.
    cycle.unsupported.extend_from_slice(&engine.not_evaluated);
    let unsupported = &mut cycle.unsupported;
    let ticket = &mut cycle.ticket;
    let effects = &mut cycle.effects;
    let mut ended_session = messaging::agent_ended(ticket, cx);
    if ended_session {
        agent_end_effects(ticket, effects);
    }
    let derived = messaging::derive_state(ticket, cx);

    let mut marks = Marks::new(triggers.len());
    let marks = &mut *marks;
    let mut written = Written::new();
    let linked = !links.is_empty();
    let fired = &mut cycle.fired;
    let mut passes = 0;
    let mut settled = false;
    while passes < pass_limit {
        passes += 1;
        watch.pass(passes);
        let mut any = false;
        let mut from = 0;
        // Each firing changes the ticket: the rest of the pass is looked up again.
        while let Some(i) = next_firing(
            triggers,
            index,
            (&*ticket, cx),
            from,
            (marks, fired.len(), &written),
            watch,
        ) {
            let t = &triggers[i];
            written.fired(fired.len(), footprint::writes(t, linked));
            let mut out = Out {
                trigger: &t.title,
                // Mostly a change per action that writes: sized once rather than grown.
                changes: Vec::with_capacity(match t.writes {
                    0 => 0,
                    _ => t.actions.len(),
                }),
                effects,
                ended_session: &mut ended_session,
                links,
            };
            for act in &t.actions {
                apply::apply(act, ticket, cx, &mut out);
            }
            unsupported.extend_from_slice(&t.not_applied);
            if t.once_per_ticket {
                ticket.once_fired.push(Arc::clone(&t.title));
            }
            fired.push(Firing {
                trigger: Arc::clone(&t.title),
                id: t.zendesk_id,
                pass: passes,
                changes: out.changes,
            });
            marks[i] = Marks::FIRED;
            any = true;
            from = i + 1;
        }
        if !any {
            settled = true;
            break;
        }
    }

    if !settled {
        effects.push(Effect::PassLimitReached {
            trigger: None,
            passes,
        });
        cycle.warnings.push(Warning {
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
    cycle.changed = ended_session || derived || !fired.is_empty();
    cycle.passes = passes;
    cycle
}

/// What the cycle knows of each trigger: [`Marks::FIRED`], or when it last failed to hold
/// (was not matched or was blocked), as the number of firings made before then plus one;
/// 0 until it is first looked at.
///
/// A trigger reads only the ticket and the update, and only a firing changes the ticket:
/// one that failed with no firing since would fail again, and so would one when the
/// firings since wrote nothing it reads ([`Written`]). The cycle passes over it, so a
/// pass after the last firing evaluates only the triggers before it that read what the
/// firings wrote.
/// On the stack for rule sets too small to index, the usual size, so that a cycle
/// allocates nothing for them (an indexed cycle allocates its candidates anyway).
enum Marks {
    Stack([u32; Marks::ON_STACK], usize),
    Heap(Vec<u32>),
}

impl Marks {
    const ON_STACK: usize = super::index::MIN_TRIGGERS;
    const FIRED: u32 = u32::MAX;

    fn new(n: usize) -> Marks {
        if n <= Marks::ON_STACK {
            Marks::Stack([0; Marks::ON_STACK], n)
        } else {
            Marks::Heap(vec![0; n])
        }
    }

    /// The mark of a trigger that fails after `firings` firings: neither 0 nor FIRED, since
    /// each trigger fires at most once and a rule set of `u32::MAX` triggers would not fit
    /// in memory.
    fn failed(firings: usize) -> u32 {
        firings as u32 + 1
    }

    /// The number of firings made before a trigger marked `mark` failed, if it failed.
    fn failed_after(mark: u32) -> Option<usize> {
        match mark {
            0 | Marks::FIRED => None,
            failed => Some(failed as usize - 1),
        }
    }
}

impl std::ops::Deref for Marks {
    type Target = [u32];

    fn deref(&self) -> &[u32] {
        match self {
            Marks::Stack(marks, n) => &marks[..*n],
            Marks::Heap(marks) => marks,
        }
    }
}

impl std::ops::DerefMut for Marks {
    fn deref_mut(&mut self) -> &mut [u32] {
        match self {
            Marks::Stack(marks, n) => &mut marks[..*n],
            Marks::Heap(marks) => marks,
        }
    }
}

/// The first trigger from position `from` on that fires on `ticket`: the index's
/// candidates when there is an index, else every trigger (each one shown to `watch`).
/// `known`, the marks, the number of firings so far and what they wrote, says which
/// triggers need no evaluation.
fn next_firing<W: Watch>(
    triggers: &[Trigger],
    index: Option<&Index>,
    (ticket, cx): (&Facts<'_>, &Snapshot<'_>),
    from: usize,
    known: (&mut [u32], usize, &Written),
    watch: &mut W,
) -> Option<usize> {
    // Each kind of candidates is walked by a loop of its own, not through a `dyn
    // Iterator`: a call per trigger was a tenth of a small rule set's cycle.
    match index {
        Some(index) => {
            let listed = index.candidates(ticket, cx, from);
            first_firing(triggers, listed, (ticket, cx), known, watch)
        }
        None => first_firing(triggers, from..triggers.len(), (ticket, cx), known, watch),
    }
}

/// The first of `candidates` that fires on `ticket`; see [`next_firing`].
#[inline(always)]
fn first_firing<W: Watch>(
    triggers: &[Trigger],
    candidates: impl IntoIterator<Item = usize>,
    (ticket, cx): (&Facts<'_>, &Snapshot<'_>),
    (marks, firings, written): (&mut [u32], usize, &Written),
    watch: &mut W,
) -> Option<usize> {
    let failed = Marks::failed(firings);
    for i in candidates {
        let t = &triggers[i];
        if marks[i] == Marks::FIRED {
            watch.trigger(i, Seen::AlreadyFired);
            continue;
        }
        // Failed, and no firing since wrote what it reads: it would fail again.
        let unchanged =
            |mark| Marks::failed_after(mark).is_some_and(|k| written.nothing_since(k, t.reads));
        if W::SKIPS_KNOWN && (marks[i] == failed || unchanged(marks[i])) {
            continue;
        }
        if t.unevaluable() {
            watch.trigger(i, Seen::Blocked(Blocked::UnsupportedCondition));
            marks[i] = failed;
            continue;
        }
        if let Some(why) = messaging::blocked(t, ticket, cx) {
            watch.trigger(i, Seen::Blocked(why));
            marks[i] = failed;
            continue;
        }
        let holds = eval::holds(&t.cond, ticket, cx);
        watch.trigger(i, Seen::Evaluated { ticket, cx, holds });
        if holds {
            return Some(i);
        }
        marks[i] = failed;
    }
    None
}

/// What an agent ending the session emits, before any trigger runs.
fn agent_end_effects(ticket: &Facts<'_>, effects: &mut Vec<Effect>) {
    effects.push(Effect::SessionEnded {
        trigger: None,
        by: EndReason::EndedByAgent,
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
    use super::Marks;

    #[test]
    fn marks_hold_one_per_trigger_on_the_stack_or_not() {
        for n in [0, 3, Marks::ON_STACK, Marks::ON_STACK + 1, 1000] {
            let mut marks = Marks::new(n);
            assert_eq!(marks.len(), n);
            assert!(marks.iter().all(|m| *m == 0));
            if let Some(last) = marks.last_mut() {
                *last = Marks::FIRED;
                assert_eq!(marks.iter().filter(|m| **m == Marks::FIRED).count(), 1);
            }
        }
    }

    #[test]
    fn a_failure_mark_is_never_the_unseen_one() {
        assert_eq!(Marks::failed(0), 1);
        assert_eq!(Marks::failed(7), 8);
    }
}
