//! The simulator: a clock moving through a timeline, in time order.
//!
//! At each moment it takes the earliest of: a session time-out (first, at a tie), an
//! activity (in file order at a tie), and the hourly automation run (last). Each activity
//! and each session change that touches the ticket becomes one ticket update, with its
//! time, run through the triggers; what happened goes to the [`Log`], one [`Entry`] a
//! happening, in time order.
//!
//! # Tickets
//!
//! A messaging ticket is created by the conversation's first activity; a new end-user
//! message after its session ended starts a new session and a new ticket. A live chat or
//! SDK chat becomes a ticket when it ends (a chat no agent joined is *missed*); in the
//! Agent Workspace, the ticket is created when an agent joins, or when a missed chat ends.
//! An activity on a chat that has no ticket yet is logged and changes the ticket it will
//! have (a status an agent sets, for one).
//!
//! # Automations
//!
//! Every hour, at the account's minute, the automations run over every ticket that is not
//! closed; each automation's update runs the triggers (the engine's
//! [`Compiled::run_automations`]). A ticket the automations would update past Zendesk's
//! limit of 100 is an automation loop: [`Log::diagnostics`] says so.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

use super::dispatch::{routing_event, Dispatch, Routed, Step, Summary};
use super::session::{Activity, Change, Due, Ending, Pick, Product, Session};
use super::timeline::{Conversation, Timeline};
use crate::diagnostics::{Code, Diagnostic};
use crate::engine::Compiled;
use crate::model::{
    Account, Actor, Comment, ConversationEvent, Effect, EndReason, Event, MessagingSession,
    Outcome, Role, RoutingChannel, SessionChange, SessionState, Status, Ticket, Timestamp, Update,
    UpdateKind, Via, AUTOMATION_UPDATE_LIMIT,
};
use crate::routing::{Agents, Router};

/// How to simulate.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'r> {
    /// Which end of a documented range time-outs happen at.
    pub pick: Pick,
    /// The horizon; without it, the timeline's `until`, else its last moment.
    pub until: Option<Timestamp>,
    /// Whether the log keeps every update event with its outcome ([`Log::updates`]).
    pub record: bool,
    /// The queues to route by over time, with the agents (these, else the timeline's):
    /// without agents, nothing is routed.
    pub router: Option<&'r Router>,
    /// The agents the conversations share, instead of the timeline's.
    pub agents: Option<&'r Agents>,
}

/// What happened, in time order, and the tickets at the end.
#[derive(Debug, Clone, Default)]
pub struct Log {
    /// One entry a happening.
    pub entries: Vec<Entry>,
    /// Every ticket the simulation created, as it ends.
    pub tickets: Vec<Arc<Ticket>>,
    /// The simulated ticket-hours: for each ticket, the hours from its creation to the
    /// horizon.
    pub ticket_hours: f64,
    /// Every update event and its outcome, in order, when [`Options::record`] asked.
    pub updates: Vec<(Event, Outcome)>,
    /// What makes the timeline a bad one, found as it ran: an automation loop past
    /// Zendesk's limit of automation updates. A log with these is not to be shown.
    pub diagnostics: Vec<Diagnostic>,
    /// What routing did over the simulation, when it routed: per-queue waits and
    /// per-agent load.
    pub routing: Option<Summary>,
    /// The agents at the end, with the work still counted against them, when it routed.
    pub agents: Option<Agents>,
}

/// One happening.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// When.
    pub at: Timestamp,
    /// The conversation's name.
    pub conversation: Arc<str>,
    /// The ticket's id, once it has one.
    pub ticket: Option<u64>,
    /// What happened.
    pub what: What,
}

/// What happened.
#[derive(Debug, Clone, PartialEq)]
pub enum What {
    /// An activity of the timeline.
    Activity {
        /// Which.
        activity: Activity,
        /// The message text.
        body: Option<String>,
    },
    /// A session change, with the documented range of a time-out.
    Session {
        /// The change.
        change: Change,
        /// The range its moment was picked from.
        range: Option<(Timestamp, Timestamp)>,
    },
    /// The ticket was created (a chat's: `missed` when no agent joined).
    Created {
        /// Whether it is a missed chat's ticket.
        missed: bool,
    },
    /// The ticket was updated, running the triggers; `cause` says by what.
    Update {
        /// What the update was.
        cause: String,
    },
    /// An automation applied its actions (its update's triggers follow).
    Automation {
        /// Its title.
        title: Arc<str>,
    },
    /// A trigger fired.
    Fired {
        /// Its title.
        trigger: Arc<str>,
    },
    /// An effect of the update.
    Effect(Effect),
    /// No trigger ran on the update, and why.
    Skipped(String),
    /// A warning of the cycle.
    Warning(String),
    /// What routing did: offers, assignments, waits, capacity taken and released.
    Routing(Routed),
}

/// One conversation as the simulation goes.
struct Convo<'t> {
    spec: &'t Conversation,
    name: Arc<str>,
    session: Session,
    /// The next activity to happen.
    next: usize,
    /// The ticket's place in `Sim::tickets`, once it exists.
    ticket: Option<usize>,
    /// The fields the ticket is created with.
    base: Ticket,
    /// Bumped whenever the conversation changes, so that stale queue entries are skipped.
    generation: u64,
    /// The agent routing gave the ticket, who does the agent's activity from then on.
    routed_to: Option<u64>,
}

/// One ticket as the simulation goes.
struct Slot {
    ticket: Arc<Ticket>,
    /// The conversation it belongs to.
    convo: usize,
    created: Timestamp,
}

/// What the queue holds: when, what kind first at a tie, which conversation, and the
/// conversation's generation when it was queued.
type Queued = Reverse<(Timestamp, u8, usize, u64)>;
const DUE: u8 = 0;
const ACTIVITY: u8 = 1;
const OFFER: u8 = 2;

struct Sim<'t, 'e> {
    engine: &'e Compiled,
    account: &'t Account,
    convos: Vec<Convo<'t>>,
    tickets: Vec<Slot>,
    queue: BinaryHeap<Queued>,
    log: Vec<Entry>,
    next_id: u64,
    record: Option<Vec<(Event, Outcome)>>,
    /// Tickets past the automation limit, said once each.
    limited: Vec<u64>,
    /// Every outcome's firings, effects and warnings, gathered for a wait.
    gathered: Option<Outcome>,
    diagnostics: Vec<Diagnostic>,
    /// Routing over time, when agents are known.
    dispatch: Option<Dispatch<'e>>,
}

/// Simulates `timeline` under the rule set `engine`.
pub fn simulate(timeline: &Timeline, engine: &Compiled, options: &Options<'_>) -> Log {
    simulate_with(timeline, engine, options, &mut |_, _| {})
}

/// [`simulate`], telling `progress` after each hourly run how far the clock went, and
/// the horizon.
pub fn simulate_with<'e>(
    timeline: &Timeline,
    engine: &'e Compiled,
    options: &Options<'e>,
    progress: &mut dyn FnMut(Timestamp, Timestamp),
) -> Log {
    let horizon = options
        .until
        .or(timeline.until.map(|u| u.0))
        .unwrap_or_else(|| timeline.last_moment());
    let mut sim = Sim {
        engine,
        account: &timeline.account.model,
        convos: Vec::new(),
        tickets: Vec::new(),
        queue: BinaryHeap::new(),
        log: Vec::new(),
        next_id: first_free_id(timeline),
        record: options.record.then(Vec::new),
        limited: Vec::new(),
        gathered: None,
        diagnostics: Vec::new(),
        dispatch: dispatch(timeline, options),
    };
    for (i, spec) in timeline.tickets.iter().enumerate() {
        sim.convos.push(Convo {
            spec,
            name: spec.name.as_str().into(),
            session: Session::new(
                spec.product,
                timeline.account.settings.clone(),
                options.pick,
            ),
            next: 0,
            ticket: None,
            base: spec.ticket.clone(),
            generation: 0,
            routed_to: None,
        });
        sim.requeue(i);
    }
    let tick = first_tick(timeline.start, timeline.account.automations_minute);
    sim.drive(tick, horizon, progress);
    let ticket_hours = sim
        .tickets
        .iter()
        .map(|s| horizon.seconds_since(s.created).max(0) as f64 / 3600.0)
        .sum();
    Log {
        entries: sim.log,
        tickets: sim.tickets.into_iter().map(|s| s.ticket).collect(),
        ticket_hours,
        updates: sim.record.unwrap_or_default(),
        diagnostics: sim.diagnostics,
        routing: sim.dispatch.as_ref().map(Dispatch::summary),
        agents: sim.dispatch.map(|d| d.agents().clone()),
    }
}

/// Routing over time, when the options give a router and agents are known (the options'
/// or the timeline's).
fn dispatch<'e>(timeline: &Timeline, options: &Options<'e>) -> Option<Dispatch<'e>> {
    let router = options.router?;
    let agents = match options.agents {
        Some(agents) => agents.clone(),
        None if !timeline.agents.agents.is_empty() => timeline.agents.clone(),
        None => return None,
    };
    let count_inactive = timeline
        .account
        .model
        .routing
        .as_ref()
        .is_some_and(|r| r.count_inactive_conversations);
    Some(Dispatch::new(
        router,
        agents,
        timeline.answers.clone(),
        count_inactive,
    ))
}

/// The first automation run at or after `start`, at `minute` past the hour.
fn first_tick(start: Timestamp, minute: u8) -> Option<Timestamp> {
    let s = start.as_second();
    let hour = s - s.rem_euclid(3600);
    let at = hour + i64::from(minute) * 60;
    Timestamp::from_second(if at < s { at + 3600 } else { at })
}

/// Ids for new tickets: after every id the timeline's tickets give.
fn first_free_id(timeline: &Timeline) -> u64 {
    let given = timeline.tickets.iter().filter_map(|c| c.ticket.id).max();
    given.map_or(1, |id| id.saturating_add(1))
}

impl Sim<'_, '_> {
    /// Makes everything up to `horizon` happen, the hourly runs from `tick` on.
    fn drive(
        &mut self,
        mut tick: Option<Timestamp>,
        horizon: Timestamp,
        progress: &mut dyn FnMut(Timestamp, Timestamp),
    ) {
        loop {
            let next = self.queue.peek().map(|Reverse((at, ..))| *at);
            match (next, tick) {
                (Some(at), Some(t)) if at <= t && at <= horizon => self.step(),
                (Some(at), None) if at <= horizon => self.step(),
                (_, Some(t)) if t <= horizon => {
                    self.hourly(t);
                    progress(t, horizon);
                    tick = super::session::after(t, 3600);
                }
                _ => break,
            }
        }
    }

    /// Queues the conversation's next time-out and next activity, forgetting earlier ones.
    fn requeue(&mut self, c: usize) {
        let convo = &mut self.convos[c];
        convo.generation += 1;
        let g = convo.generation;
        if let Some(due) = convo.session.next_due() {
            self.queue.push(Reverse((due.at, DUE, c, g)));
        }
        if let Some(a) = convo.spec.activity.get(convo.next) {
            self.queue.push(Reverse((a.at, ACTIVITY, c, g)));
        }
        let offer = convo
            .ticket
            .zip(self.dispatch.as_ref())
            .and_then(|(slot, d)| d.offer_due(slot));
        if let Some(due) = offer {
            self.queue.push(Reverse((due, OFFER, c, g)));
        }
    }

    /// Makes the earliest queued happening happen.
    fn step(&mut self) {
        let Some(Reverse((at, kind, c, g))) = self.queue.pop() else {
            return;
        };
        if self.convos[c].generation != g {
            return;
        }
        match kind {
            DUE => {
                if let Some(due) = self.convos[c].session.next_due().filter(|d| d.at == at) {
                    self.expire(c, due);
                }
            }
            OFFER => self.answer(c, at),
            _ => self.activity(c),
        }
        self.requeue(c);
    }

    /// Logs what happened to the ticket in `slot`.
    fn push_slot(&mut self, at: Timestamp, slot: usize, what: What) {
        let c = self.tickets[slot].convo;
        self.log.push(Entry {
            at,
            conversation: Arc::clone(&self.convos[c].name),
            ticket: self.tickets[slot].ticket.id,
            what,
        });
    }

    fn push(&mut self, at: Timestamp, c: usize, what: What) {
        let ticket = self.convos[c]
            .ticket
            .and_then(|slot| self.tickets[slot].ticket.id);
        self.log.push(Entry {
            at,
            conversation: Arc::clone(&self.convos[c].name),
            ticket,
            what,
        });
    }

    fn activity(&mut self, c: usize) {
        let convo = &mut self.convos[c];
        let Some(timed) = convo.spec.activity.get(convo.next) else {
            return;
        };
        convo.next += 1;
        let (at, activity) = (timed.at, timed.activity);
        let changes = convo.session.act(at, activity);
        let product = convo.spec.product;
        self.push(
            at,
            c,
            What::Activity {
                activity,
                body: timed.body.clone(),
            },
        );
        for change in &changes {
            self.push(
                at,
                c,
                What::Session {
                    change: *change,
                    range: None,
                },
            );
        }
        let body = timed.body.clone();
        let new_session = changes.contains(&Change::NewSession);
        let ended = changes.iter().find_map(|ch| match ch {
            Change::Ended(by) => Some(*by),
            _ => None,
        });
        if new_session {
            if product == Product::Messaging {
                // The old ticket hears of it (no trigger runs).
                self.update_activity(c, at, activity, body.clone());
            }
            // A new conversation, with a ticket of its own.
            self.convos[c].ticket = None;
            self.convos[c].routed_to = None;
            self.convos[c].base = self.convos[c].spec.ticket.clone();
        }
        match product {
            Product::Messaging => self.update_activity(c, at, activity, body),
            Product::AgentWorkspaceChat if activity == Activity::AgentJoins => {
                self.update_activity(c, at, activity, body);
            }
            _ if self.convos[c].ticket.is_some() => {
                self.update_activity(c, at, activity, body);
            }
            // A chat without its ticket yet: the activity shapes the ticket it will have.
            _ => {
                let agent = self.convos[c].agent();
                let base = &mut self.convos[c].base;
                match activity {
                    Activity::AgentSetsStatus(status) => base.status = status,
                    Activity::AgentJoins => {
                        base.assignee_id = Some(agent);
                        if base.status == Status::New {
                            base.status = Status::Open;
                        }
                    }
                    _ => {}
                }
            }
        }
        if let (Some(by), true) = (ended, product.is_chat()) {
            self.chat_ended(c, at, by);
        }
    }

    /// The update an activity makes: creating the ticket when it has none.
    fn update_activity(
        &mut self,
        c: usize,
        at: Timestamp,
        activity: Activity,
        body: Option<String>,
    ) {
        let product = self.convos[c].spec.product;
        let agent = self.convos[c].agent();
        let mut update = Update {
            time: Some(at),
            via_id: Some(via_id(product)),
            ..Update::default()
        };
        let end_user = matches!(
            activity,
            Activity::EndUserWrites
                | Activity::VisitorEnds
                | Activity::VisitorClosesWindow
                | Activity::VisitorGoesIdle
                | Activity::AppGoesToBackground
                | Activity::VisitorDisconnects
        );
        let messaging = product == Product::Messaging;
        let silence_from = self.convos[c].session.silence_from();
        let (before, mut ticket) = self.current(c);
        update.actor = Some(Actor {
            id: if end_user {
                ticket.requester_id
            } else {
                Some(agent)
            },
            role: if end_user { Role::EndUser } else { Role::Agent },
        });
        match activity {
            Activity::EndUserWrites | Activity::AgentReplies => {
                update.comment = Some(Comment {
                    body: body.unwrap_or_default(),
                    ..Comment::default()
                });
                if messaging {
                    update.conversation_event = Some(ConversationEvent::MessageSent);
                }
                if activity == Activity::EndUserWrites {
                    if messaging {
                        update.session = Some(SessionChange::EndUserMessage);
                    }
                    // An end user's reply reopens the ticket.
                    if before.is_some()
                        && matches!(
                            ticket.status,
                            Status::Pending | Status::Hold | Status::Solved
                        )
                    {
                        ticket.status = Status::Open;
                    }
                }
            }
            Activity::AgentJoins => {
                ticket.assignee_id = Some(agent);
                if ticket.status == Status::New {
                    ticket.status = Status::Open;
                }
                if messaging {
                    update.conversation_event = Some(ConversationEvent::AssignedFromQueue);
                }
            }
            Activity::AgentEnds if messaging => update.session = Some(SessionChange::EndedByAgent),
            Activity::AgentSetsStatus(status) => ticket.status = status,
            _ => {}
        }
        if messaging {
            let session = ticket
                .messaging_session
                .get_or_insert_with(Default::default);
            if session.state != Some(SessionState::Ended) {
                session.last_end_user_activity_at = silence_from;
            }
        }
        let cause = activity.name().to_owned();
        self.run(c, at, before, ticket, update, cause);
    }

    /// The ticket before the update (none when it is being created) and the ticket to
    /// change.
    fn current(&self, c: usize) -> (Option<Arc<Ticket>>, Ticket) {
        match self.convos[c].ticket {
            Some(slot) => {
                let t = Arc::clone(&self.tickets[slot].ticket);
                let changed = (*t).clone();
                (Some(t), changed)
            }
            None => {
                let convo = &self.convos[c];
                let mut ticket = convo.base.clone();
                if convo.spec.product == Product::Messaging {
                    ticket
                        .routing_channel
                        .get_or_insert(RoutingChannel::Messaging);
                    ticket.messaging_session = Some(MessagingSession {
                        state: Some(SessionState::Active),
                        ..MessagingSession::default()
                    });
                }
                ticket.via.get_or_insert_with(|| Via {
                    id: Some(via_id(convo.spec.product)),
                    ..Via::default()
                });
                (None, ticket)
            }
        }
    }

    /// Runs one update through the triggers, creating the ticket when `before` is none,
    /// and logs what it did.
    fn run(
        &mut self,
        c: usize,
        at: Timestamp,
        before: Option<Arc<Ticket>>,
        mut ticket: Ticket,
        mut update: Update,
        cause: String,
    ) {
        let created = before.is_none();
        if created {
            ticket.id = Some(ticket.id.unwrap_or_else(|| {
                let id = self.next_id;
                self.next_id += 1;
                id
            }));
            update.kind = Some(UpdateKind::Create);
        } else {
            update.kind = Some(UpdateKind::Change);
        }
        let event = Event {
            ticket: Arc::new(ticket),
            previous: before,
            update,
            account: self.account.clone(),
        };
        let outcome = self.engine.run(&event);
        if let Some(record) = &mut self.record {
            record.push((event.clone(), outcome.clone()));
        }
        if created {
            self.tickets.push(Slot {
                ticket: Arc::clone(&outcome.ticket),
                convo: c,
                created: at,
            });
            self.convos[c].ticket = Some(self.tickets.len() - 1);
            let missed = self.convos[c].spec.product.is_chat() && !self.convos[c].session.joined();
            self.push(at, c, What::Created { missed });
        }
        self.push(at, c, What::Update { cause });
        if let Some(slot) = self.convos[c].ticket {
            self.outcome(slot, at, event.ticket.status, outcome);
        }
    }

    /// Logs an outcome, keeps its ticket, and tells the session what the triggers did.
    fn outcome(&mut self, slot: usize, at: Timestamp, status_before: Status, outcome: Outcome) {
        if let Some(gathered) = &mut self.gathered {
            gathered.fired.extend(outcome.fired.iter().cloned());
            gathered.effects.extend(outcome.effects.iter().cloned());
            gathered.warnings.extend(outcome.warnings.iter().cloned());
            gathered.passes += outcome.passes;
            // Where routing last sent the ticket is what the wait ends with.
            if outcome.routing.is_some() {
                gathered.routing.clone_from(&outcome.routing);
            }
        }
        if let Some(skipped) = &outcome.skipped {
            self.push_slot(at, slot, What::Skipped(skipped.message.clone()));
        }
        for firing in &outcome.fired {
            let trigger = Arc::clone(&firing.trigger);
            self.push_slot(at, slot, What::Fired { trigger });
        }
        for effect in &outcome.effects {
            self.push_slot(at, slot, What::Effect(effect.clone()));
        }
        for warning in &outcome.warnings {
            self.push_slot(at, slot, What::Warning(warning.message.clone()));
        }
        self.keep(slot, at, status_before, outcome.ticket);
    }

    /// Keeps the ticket an update left, and tells the session of its conversation what
    /// changed for it: the status, an end by trigger. (An older ticket of the
    /// conversation, after a new session began, has no session to tell.)
    fn keep(&mut self, slot: usize, at: Timestamp, status_before: Status, ticket: Arc<Ticket>) {
        self.tickets[slot].ticket = Arc::clone(&ticket);
        let c = self.tickets[slot].convo;
        if self.convos[c].ticket == Some(slot) {
            self.tell_session(slot, at, status_before, &ticket);
        }
        self.route(slot, at);
    }

    /// Tells the session of the ticket's conversation what changed for it.
    fn tell_session(&mut self, slot: usize, at: Timestamp, status_before: Status, ticket: &Ticket) {
        let c = self.tickets[slot].convo;
        let session = &mut self.convos[c].session;
        let mut changes = Vec::new();
        if ticket.status != status_before {
            changes.extend(session.note_status(at, ticket.status));
        }
        let ended_by_trigger = ticket
            .messaging_session
            .as_ref()
            .is_some_and(|s| s.state == Some(SessionState::Ended));
        if ended_by_trigger && !session.ended() {
            changes.push(session.end(Ending::Trigger));
        }
        for change in changes {
            let what = What::Session {
                change,
                range: None,
            };
            self.push_slot(at, slot, what);
        }
        // The session's time-outs may have moved.
        self.requeue(c);
    }

    /// Routing after an update of the ticket in `slot`: the capacity it holds follows
    /// what it now is, and a ticket nobody holds is routed (the current ticket of its
    /// conversation only: an older one has no conversation left to offer).
    fn route(&mut self, slot: usize, at: Timestamp) {
        let Some(dispatch) = self.dispatch.as_mut() else {
            return;
        };
        if !dispatch.may_route(slot, at) {
            let warning = "routing stopped: the triggers undo every assignment at once".to_owned();
            self.push_slot(at, slot, What::Warning(warning));
            return;
        }
        self.route_now(slot, at);
    }

    /// [`Sim::route`], once.
    fn route_now(&mut self, slot: usize, at: Timestamp) {
        let Some(dispatch) = self.dispatch.as_mut() else {
            return;
        };
        let ticket = Arc::clone(&self.tickets[slot].ticket);
        let c = self.tickets[slot].convo;
        let current = self.convos[c].ticket == Some(slot);
        let state = ticket.messaging_session.as_ref().and_then(|s| s.state);
        let (inactive, ended) = if current && self.convos[c].spec.product == Product::Messaging {
            let session = &self.convos[c].session;
            (session.inactive(), session.ended())
        } else {
            (
                state == Some(SessionState::Inactive),
                state == Some(SessionState::Ended),
            )
        };
        let (lines, freed) = dispatch.recount(slot, &ticket, inactive, ended);
        let routes = current && dispatch.wants_routing(slot, &ticket);
        self.routed(slot, at, lines);
        if routes {
            let event = routing_event(&ticket, at, self.account);
            let created = self.tickets[slot].created;
            if let Some(d) = self.dispatch.as_mut() {
                let (lines, step) = d.route(slot, event, at, created);
                self.carry_out(slot, at, lines, step);
            }
        }
        if freed {
            self.drain(at);
        }
    }

    /// Logs what routing did to the ticket in `slot`.
    fn routed(&mut self, slot: usize, at: Timestamp, lines: Vec<Routed>) {
        for line in lines {
            self.push_slot(at, slot, What::Routing(line));
        }
    }

    /// Logs what routing did and carries out its step: an assignment, or an offer whose
    /// answer is now due.
    fn carry_out(&mut self, slot: usize, at: Timestamp, lines: Vec<Routed>, step: Step) {
        self.routed(slot, at, lines);
        match step {
            Step::Assign(agent) => self.assign(slot, at, agent),
            Step::Offer(_) => self.requeue(self.tickets[slot].convo),
            Step::Nothing => {}
        }
    }

    /// Capacity was freed: the waiting tickets an agent can now take are taken, in line.
    fn drain(&mut self, at: Timestamp) {
        let Some(dispatch) = self.dispatch.as_mut() else {
            return;
        };
        let tickets = &self.tickets;
        let taken = dispatch.drain(at, |slot| tickets[slot].created);
        for (slot, lines, step) in taken {
            self.carry_out(slot, at, lines, step);
        }
    }

    /// The answer to the offer of conversation `c`'s ticket is due: accepted, the ticket
    /// is assigned; lapsed, it is routed again.
    fn answer(&mut self, c: usize, at: Timestamp) {
        let Some(slot) = self.convos[c].ticket else {
            return;
        };
        let Some(dispatch) = self.dispatch.as_mut() else {
            return;
        };
        if dispatch.offer_due(slot) != Some(at) {
            return;
        }
        let (lines, accepted) = dispatch.answer(slot, at);
        self.routed(slot, at, lines);
        match accepted {
            Some(agent) => self.assign(slot, at, agent),
            None => {
                self.route(slot, at);
                self.drain(at);
            }
        }
    }

    /// Routing gives the ticket in `slot` to `agent`: an update assigns it, and the
    /// agent does the conversation's agent activity from now on.
    fn assign(&mut self, slot: usize, at: Timestamp, agent: u64) {
        let c = self.tickets[slot].convo;
        if self.convos[c].ticket != Some(slot) {
            return;
        }
        self.convos[c].routed_to = Some(agent);
        let product = self.convos[c].spec.product;
        let messaging = product == Product::Messaging;
        if messaging {
            self.convos[c].session.act(at, Activity::AgentJoins);
        }
        let (before, mut ticket) = self.current(c);
        ticket.assignee_id = Some(agent);
        if ticket.status == Status::New {
            ticket.status = Status::Open;
        }
        let update = Update {
            time: Some(at),
            via_id: Some(via_id(product)),
            actor: Some(Actor {
                id: Some(agent),
                role: Role::Agent,
            }),
            conversation_event: messaging.then_some(ConversationEvent::AssignedFromQueue),
            ..Update::default()
        };
        self.run(
            c,
            at,
            before,
            ticket,
            update,
            "assigned by routing".to_owned(),
        );
    }

    /// A session time-out happens.
    fn expire(&mut self, c: usize, due: Due) {
        self.convos[c].session.expire(&due);
        self.push(
            due.at,
            c,
            What::Session {
                change: due.change,
                range: due.range,
            },
        );
        let product = self.convos[c].spec.product;
        match (product, due.change) {
            (Product::Messaging, _) if self.convos[c].ticket.is_none() => {}
            (Product::Messaging, change) => self.messaging_change(c, due.at, change),
            (_, Change::Ended(by)) => self.chat_ended(c, due.at, by),
            _ => {}
        }
    }

    /// The update a messaging session change makes on its ticket.
    fn messaging_change(&mut self, c: usize, at: Timestamp, change: Change) {
        let (before, mut ticket) = self.current(c);
        let cause = match change {
            Change::Inactive(_) => "session inactive".to_owned(),
            Change::Reminder { number, status } => {
                if let Some(s) = status {
                    ticket.status = s;
                }
                format!("capacity release reminder {number}")
            }
            Change::Ended(Ending::CapacityReleased) => {
                let session = ticket
                    .messaging_session
                    .get_or_insert_with(Default::default);
                session.state = Some(SessionState::Ended);
                session.end_reason = Some(EndReason::CapacityReleased);
                session.ended_at = Some(at);
                if let Some(agent_id) = ticket.assignee_id {
                    let released = Effect::CapacityReleased {
                        trigger: None,
                        agent_id,
                        channel: "messaging".to_owned(),
                    };
                    self.push(at, c, What::Effect(released));
                }
                "capacity released: session ended".to_owned()
            }
            _ => return,
        };
        let update = Update {
            time: Some(at),
            ..Update::default()
        };
        self.run(c, at, before, ticket, update, cause);
    }

    /// A chat ended: its ticket is created now (missed when no agent joined), or gets the
    /// transcript.
    fn chat_ended(&mut self, c: usize, at: Timestamp, by: Ending) {
        let (before, ticket) = self.current(c);
        let product = self.convos[c].spec.product;
        let update = Update {
            time: Some(at),
            via_id: Some(via_id(product)),
            comment: Some(Comment {
                body: format!("chat transcript ({})", by.text()),
                public: false,
                ..Comment::default()
            }),
            ..Update::default()
        };
        let cause = if before.is_none() {
            "chat ended: ticket written".to_owned()
        } else {
            "chat ended: transcript added".to_owned()
        };
        self.run(c, at, before, ticket, update, cause);
    }

    /// The hourly automation run at `at`.
    fn hourly(&mut self, at: Timestamp) {
        hourly_automations(self, at);
    }

    /// A ticket passed Zendesk's limit of automation updates: said once per ticket.
    fn limit_reached(&mut self, slot: usize, at: Timestamp, message: &str) {
        let Some(id) = self.tickets[slot].ticket.id else {
            return;
        };
        if self.limited.contains(&id) {
            return;
        }
        self.limited.push(id);
        let c = self.tickets[slot].convo;
        let convo = &self.convos[c];
        self.diagnostics.push(
            Diagnostic::error(
                Code::AutomationLimit,
                format!(
                    "the automations update ticket #{id} of `{}` more than {AUTOMATION_UPDATE_LIMIT} times, by {at}",
                    convo.name
                ),
            )
            .label(convo.spec.span, "this conversation's ticket")
            .help(format!(
                "an automation that holds hour after hour needs a nullifying condition (it changes what it tests); Zendesk stops at {AUTOMATION_UPDATE_LIMIT} updates: {message}"
            )),
        );
    }
}

/// Runs the automations over every ticket that is not closed, as Zendesk's hourly run
/// does: each automation that holds applies its actions, and its update runs the
/// triggers. A ticket refused an automation at Zendesk's limit of 100 automation updates
/// is an automation loop: a diagnostic, at its conversation.
fn hourly_automations(sim: &mut Sim<'_, '_>, at: Timestamp) {
    for slot in 0..sim.tickets.len() {
        let ticket = Arc::clone(&sim.tickets[slot].ticket);
        if ticket.status == Status::Closed {
            continue;
        }
        let run = sim.engine.run_automations(&ticket, sim.account, at);
        if run.updates.is_empty() && run.warnings.is_empty() {
            continue;
        }
        let mut status = ticket.status;
        for update in run.updates {
            let title = Arc::clone(&update.automation);
            sim.push_slot(at, slot, What::Automation { title });
            for effect in update.effects {
                if let Some(gathered) = &mut sim.gathered {
                    gathered.effects.push(effect.clone());
                }
                sim.push_slot(at, slot, What::Effect(effect));
            }
            let after = update.triggers.ticket.status;
            sim.outcome(slot, at, status, update.triggers);
            status = after;
        }
        for warning in run.warnings {
            if warning.code == AUTOMATION_LIMIT_WARNING {
                sim.limit_reached(slot, at, &warning.message);
            }
            sim.push_slot(at, slot, What::Warning(warning.message));
        }
        sim.keep(slot, at, status, run.ticket);
    }
}

/// The warning code of an automation refused at Zendesk's limit.
const AUTOMATION_LIMIT_WARNING: &str = "automation_update_limit";

/// What a wait did to one ticket ([`wait`]).
#[derive(Debug, Clone)]
pub struct Waited {
    /// What happened, in time order.
    pub entries: Vec<Entry>,
    /// What happened, as one outcome: every trigger fired and every effect, in order (the
    /// automations' own effects included), and the ticket after the wait.
    pub outcome: Outcome,
    /// An automation loop past Zendesk's limit, if the wait met one.
    pub diagnostics: Vec<Diagnostic>,
}

/// Lets the time from `from` to `until` pass over an existing `ticket`: the time-outs of
/// its messaging session (read from the ticket: its state, and the silence counted from
/// `last_end_user_activity_at`, as the engine counts it) and the hourly automations
/// happen, each update running the triggers. A ticket without a messaging session sees
/// only the automations.
pub fn wait(
    engine: &Compiled,
    account: &Account,
    settings: &super::session::Settings,
    ticket: &Ticket,
    from: Timestamp,
    until: Timestamp,
) -> Waited {
    let spec = Conversation {
        name: ticket
            .id
            .map_or_else(|| "ticket".to_owned(), |id| format!("ticket {id}")),
        product: Product::Messaging,
        ticket: ticket.clone(),
        agent: ticket.assignee_id.unwrap_or(super::timeline::DEFAULT_AGENT),
        activity: Vec::new(),
        end: from,
        span: crate::diagnostics::Span::new(0, 0),
    };
    let session = match &ticket.messaging_session {
        Some(s) => Session::resume(
            settings.clone(),
            Pick::default(),
            s,
            ticket.assignee_id.is_some(),
            ticket.status,
        ),
        None => Session::new(Product::Messaging, settings.clone(), Pick::default()),
    };
    let mut sim = Sim {
        engine,
        account,
        convos: vec![Convo {
            spec: &spec,
            name: spec.name.as_str().into(),
            session,
            next: 0,
            ticket: Some(0),
            base: ticket.clone(),
            generation: 0,
            routed_to: None,
        }],
        tickets: vec![Slot {
            ticket: Arc::new(ticket.clone()),
            convo: 0,
            created: from,
        }],
        queue: BinaryHeap::new(),
        log: Vec::new(),
        next_id: ticket.id.map_or(1, |id| id.saturating_add(1)),
        record: None,
        limited: Vec::new(),
        gathered: Some(nothing_yet(Arc::new(ticket.clone()))),
        diagnostics: Vec::new(),
        dispatch: None,
    };
    sim.requeue(0);
    // The first hourly run after `from` (one at `from` itself belongs to before the wait).
    let tick = first_tick(from, 0).map(|t| {
        if t == from {
            super::session::after(t, 3600)
        } else {
            Some(t)
        }
    });
    sim.drive(tick.flatten(), until, &mut |_, _| {});
    let ticket = Arc::clone(&sim.tickets[0].ticket);
    let mut outcome = sim
        .gathered
        .take()
        .unwrap_or_else(|| nothing_yet(Arc::clone(&ticket)));
    outcome.ticket = ticket;
    Waited {
        entries: sim.log,
        outcome,
        diagnostics: sim.diagnostics,
    }
}

/// An outcome where nothing happened yet, for a wait to gather into: the outcome of a
/// cycle that did not run, less the reason.
fn nothing_yet(ticket: Arc<Ticket>) -> Outcome {
    Outcome {
        skipped: None,
        ..Outcome::skipped(ticket, crate::model::SkipReason::TicketClosed)
    }
}

impl Convo<'_> {
    /// The agent who does the conversation's agent activity: the one routing gave it,
    /// else the one the timeline names.
    fn agent(&self) -> u64 {
        self.routed_to.unwrap_or(self.spec.agent)
    }
}

/// The `via_id` a product's updates come through.
fn via_id(product: Product) -> u32 {
    match product {
        Product::Messaging => 75,
        Product::LiveChat | Product::AgentWorkspaceChat => 29,
        Product::ChatSdk => 49,
    }
}

#[cfg(test)]
#[path = "simulator_tests.rs"]
mod tests;
