//! Routing over time (DOMAIN 4c): the agents a simulation's conversations share, the work
//! each ticket counts on whom, offers and their 30 seconds, and the tickets waiting in a
//! queue for an agent to free up.
//!
//! The simulator calls [`Dispatch::recount`] after each update of a ticket (capacity is
//! taken and released by what the ticket now is), [`Dispatch::route`] when a ticket may
//! be routed and nobody holds it, [`Dispatch::answer`] when an offer's moment comes, and
//! [`Dispatch::drain`] whenever capacity was released.
//!
//! # Decisions where Zendesk is silent
//!
//! - **An offer's answer** is the agent's: at once by default, after some seconds, or
//!   never (`offers` of an agent in a timeline). An offer not accepted within 30 seconds
//!   lapses: the capacity it held is released, and the ticket is routed again, passing
//!   over every agent who let an offer of that ticket lapse.
//! - **The wait** of a ticket runs from the moment a queue first took it to the moment
//!   an agent has it (email assigned, messaging offer accepted); a ticket moved to
//!   another queue meanwhile keeps its wait, counted in the queue that served it.
//! - **Waiting tickets** are taken by queue priority (custom queues 1 to 100, the standard
//!   queue after them), then ticket priority (urgent first), then age (the oldest ticket
//!   first).
//! - **Work that comes back** (a reopened ticket, a conversation active again) counts
//!   against its assignee at once, even past their capacity, as in Zendesk: routing never
//!   hands out work past capacity, the agent's own tickets may take them past it.

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use indexmap::IndexMap;
use serde::Serialize;

use crate::model::{
    priority_rank, Decision, Event, Handoff, QueueTaken, Status, Ticket, Timestamp, WorkChannel,
};
use crate::routing::{work_channel, Agents, Router, Status as AgentStatus};

/// The seconds a messaging or talk offer waits for the agent before it is reassigned.
pub const OFFER_SECONDS: u32 = 30;

/// How an agent answers the work offered to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Accepts after this many seconds (0: at once); [`OFFER_SECONDS`] or more lets the
    /// offer lapse.
    After(u32),
    /// Never answers: every offer lapses.
    Never,
}

impl Default for Answer {
    fn default() -> Answer {
        Answer::After(0)
    }
}

/// An agent, as the log names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgentRef {
    /// The user id.
    pub id: u64,
    /// The name, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// What routing did at one moment, as the log says it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Routed {
    /// A queue took the ticket and no agent can take it now: it waits.
    Waiting {
        /// The queue it waits in.
        queue: String,
        /// The queue it waited in before, when it moved.
        #[serde(skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        /// Why no agent takes it.
        reason: String,
    },
    /// The ticket left its queue without an agent: no queue takes it any more.
    Left {
        /// The queue it left.
        queue: String,
        /// Why it is not routed.
        reason: String,
    },
    /// Messaging or talk work offered to an agent; it counts against them from now on.
    Offered {
        /// To whom.
        agent: AgentRef,
        /// The channel it counts on.
        channel: WorkChannel,
        /// The queue that took it.
        queue: String,
        /// The agent's counted work on the channel, this offer included.
        load: u32,
        /// Their capacity on the channel.
        capacity: u32,
    },
    /// The agent accepted the offer: the ticket is theirs.
    Accepted {
        /// Who.
        agent: AgentRef,
        /// Seconds since a queue first took the ticket.
        waited: i64,
    },
    /// The offer went unanswered for 30 seconds: it goes to the next agent.
    Lapsed {
        /// Who let it lapse.
        agent: AgentRef,
    },
    /// An offer withdrawn before its answer: the ticket is no longer routed.
    Withdrawn {
        /// To whom it was offered.
        agent: AgentRef,
        /// Why.
        reason: String,
    },
    /// Email work assigned to an agent.
    Assigned {
        /// To whom.
        agent: AgentRef,
        /// The channel it counts on.
        channel: WorkChannel,
        /// The queue that took it.
        queue: String,
        /// The agent's counted work on the channel, this ticket included.
        load: u32,
        /// Their capacity on the channel.
        capacity: u32,
        /// Seconds since a queue first took the ticket.
        waited: i64,
    },
    /// The ticket no longer counts against its agent on a channel.
    Released {
        /// Whose capacity.
        agent: AgentRef,
        /// On which channel.
        channel: WorkChannel,
        /// Why.
        reason: String,
    },
    /// The ticket counts against its agent on a channel again, or on another one.
    Counted {
        /// Whose capacity.
        agent: AgentRef,
        /// On which channel.
        channel: WorkChannel,
        /// Why.
        reason: String,
    },
}

impl fmt::Display for AgentRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(f, "{name} ({})", self.id),
            None => write!(f, "agent {}", self.id),
        }
    }
}

impl fmt::Display for Routed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Routed::Waiting {
                queue,
                from: None,
                reason,
            } => write!(f, "waiting in `{queue}`: {reason}"),
            Routed::Waiting {
                queue,
                from: Some(from),
                reason,
            } => write!(f, "waiting in `{queue}`, moved from `{from}`: {reason}"),
            Routed::Left { queue, reason } => write!(f, "left `{queue}` unserved: {reason}"),
            Routed::Offered {
                agent,
                channel,
                queue,
                load,
                capacity,
            } => write!(
                f,
                "offered to {agent} from `{queue}` ({} {load} of {capacity})",
                channel.name()
            ),
            Routed::Accepted { agent, waited } => {
                write!(f, "accepted by {agent}, after {} waiting", span(*waited))
            }
            Routed::Lapsed { agent } => write!(
                f,
                "offer to {agent} unanswered after {OFFER_SECONDS} s: reassigned"
            ),
            Routed::Withdrawn { agent, reason } => {
                write!(f, "offer to {agent} withdrawn: {reason}")
            }
            Routed::Assigned {
                agent,
                channel,
                queue,
                load,
                capacity,
                waited,
            } => write!(
                f,
                "assigned to {agent} from `{queue}` ({} {load} of {capacity}), after {} waiting",
                channel.name(),
                span(*waited)
            ),
            Routed::Released {
                agent,
                channel,
                reason,
            } => write!(
                f,
                "capacity released: {agent}, {}: {reason}",
                channel.name()
            ),
            Routed::Counted {
                agent,
                channel,
                reason,
            } => write!(f, "capacity counted: {agent}, {}: {reason}", channel.name()),
        }
    }
}

/// Seconds as people read them: `45 s`, `3 min 20 s`, `2 h 5 min`.
pub fn span(seconds: i64) -> String {
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    match (h, m, s) {
        (0, 0, s) => format!("{s} s"),
        (0, m, 0) => format!("{m} min"),
        (0, m, s) => format!("{m} min {s} s"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

impl Routed {
    /// Whether this frees capacity, so that waiting tickets may be taken.
    fn frees(&self) -> bool {
        matches!(self, Routed::Released { .. })
    }
}

/// What [`Dispatch::route`] decided for a ticket, for the simulator to carry out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Nothing to do.
    Nothing,
    /// Assign the ticket to the agent now (an update).
    Assign(u64),
    /// An offer was made: its answer is due at this moment.
    Offer(Timestamp),
}

/// One queue's waits, for the summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueWaits {
    /// The queue.
    pub queue: String,
    /// Tickets an agent took from it.
    pub served: usize,
    /// Their median wait, in seconds (of an even count, the lower middle one).
    #[serde(rename = "median_seconds")]
    pub median: i64,
    /// Their longest wait, in seconds.
    #[serde(rename = "worst_seconds")]
    pub worst: i64,
    /// Tickets still waiting in it at the end.
    pub waiting: usize,
    /// Tickets that left it without an agent.
    pub left: usize,
}

/// One agent's load, for the summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentLoad {
    /// The agent.
    pub agent: AgentRef,
    /// The most work counted against them at once, per channel they work on.
    pub peak: IndexMap<WorkChannel, u32>,
    /// Their capacity per channel.
    pub capacity: IndexMap<WorkChannel, u32>,
    /// Tickets routing gave them (assigned, or offers accepted).
    pub handled: usize,
}

/// What routing did over a whole simulation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Per queue, in the order queues first served or held a ticket.
    pub queues: Vec<QueueWaits>,
    /// Per agent, in the agents' order.
    pub agents: Vec<AgentLoad>,
}

/// A pending offer.
#[derive(Debug, Clone, Copy)]
struct Offer {
    agent: u64,
    /// When the answer comes: acceptance, or the lapse.
    due: Timestamp,
    accepts: bool,
}

/// Where a ticket waits in line: queue priority, ticket priority, age, arrival.
type WaitKey = (u16, Reverse<u8>, Timestamp, u64);

/// A ticket that a queue took.
#[derive(Debug, Clone)]
struct Queued {
    /// The queue, as the log names it.
    label: String,
    /// When a queue first took it.
    since: Timestamp,
    /// Its place in line, while no agent has it.
    key: Option<WaitKey>,
    /// The update routing last judged it on, to judge it again when an agent frees up.
    event: Option<Event>,
    /// Tickets that wait for the same agents: queue, channel, brand and skills.
    bucket: String,
}

/// Routing's state for one ticket.
#[derive(Debug, Clone, Default)]
struct Work {
    /// The agent and channel the ticket counts on.
    held: Option<(u64, WorkChannel)>,
    offer: Option<Offer>,
    queued: Option<Queued>,
    /// Agents who let an offer of this ticket lapse.
    passed_over: Vec<u64>,
    /// The last moment routing looked at the ticket, and how often it did then.
    looked: Option<(Timestamp, u32)>,
}

/// How often routing may look at one ticket at one moment: only triggers that undo
/// every assignment at once make it look more.
const LOOKS_PER_MOMENT: u32 = 64;

/// Routing over time: the agents and what each ticket holds of them.
#[derive(Debug)]
pub struct Dispatch<'r> {
    router: &'r Router,
    agents: Agents,
    answers: IndexMap<u64, Answer>,
    count_inactive: bool,
    /// Per ticket, by its place in the simulation.
    work: Vec<Work>,
    waiting: BTreeMap<WaitKey, usize>,
    arrivals: u64,
    waits: IndexMap<String, Vec<i64>>,
    left: IndexMap<String, usize>,
    peaks: IndexMap<u64, IndexMap<WorkChannel, u32>>,
    handled: IndexMap<u64, usize>,
}

impl<'r> Dispatch<'r> {
    /// Routing by `router` to `agents`, who answer offers as `answers` say (at once
    /// otherwise); `count_inactive` is the account's setting.
    pub fn new(
        router: &'r Router,
        agents: Agents,
        answers: IndexMap<u64, Answer>,
        count_inactive: bool,
    ) -> Dispatch<'r> {
        Dispatch {
            router,
            agents,
            answers,
            count_inactive,
            work: Vec::new(),
            waiting: BTreeMap::new(),
            arrivals: 0,
            waits: IndexMap::new(),
            left: IndexMap::new(),
            peaks: IndexMap::new(),
            handled: IndexMap::new(),
        }
    }

    /// The agents, with their load now.
    pub fn agents(&self) -> &Agents {
        &self.agents
    }

    fn work(&mut self, slot: usize) -> &mut Work {
        if self.work.len() <= slot {
            self.work.resize_with(slot + 1, Work::default);
        }
        &mut self.work[slot]
    }

    fn agent(&self, id: u64) -> AgentRef {
        AgentRef {
            id,
            name: self.agents.get(id).and_then(|a| a.name.clone()),
        }
    }

    /// Whether routing may look at the ticket in `slot` at `at` once more: not past
    /// `LOOKS_PER_MOMENT` times at one moment.
    pub fn may_route(&mut self, slot: usize, at: Timestamp) -> bool {
        let work = self.work(slot);
        let looks = match work.looked {
            Some((when, n)) if when == at => n + 1,
            _ => 1,
        };
        work.looked = Some((at, looks));
        looks <= LOOKS_PER_MOMENT
    }

    /// When the pending offer of the ticket in `slot` is answered, if it has one.
    pub fn offer_due(&self, slot: usize) -> Option<Timestamp> {
        self.work.get(slot)?.offer.map(|o| o.due)
    }

    /// Whether the ticket in `slot` should be routed: it is unassigned, and neither held
    /// nor offered.
    pub fn wants_routing(&self, slot: usize, ticket: &Ticket) -> bool {
        let work = self.work.get(slot);
        ticket.assignee_id.is_none() && work.is_none_or(|w| w.held.is_none() && w.offer.is_none())
    }

    /// Whether the ticket in `slot` waits in a queue.
    pub fn is_waiting(&self, slot: usize) -> bool {
        self.work
            .get(slot)
            .and_then(|w| w.queued.as_ref())
            .is_some_and(|q| q.key.is_some())
    }

    /// Takes and releases capacity by what the ticket in `slot` now is: its assignee,
    /// status, channel of work, and its conversation's state (`inactive`, `ended`). A
    /// pending offer the ticket can no longer take is withdrawn. Returns what changed,
    /// and whether capacity was freed.
    pub fn recount(
        &mut self,
        slot: usize,
        ticket: &Ticket,
        inactive: bool,
        ended: bool,
    ) -> (Vec<Routed>, bool) {
        let mut lines = Vec::new();
        let channel = work_channel(ticket);
        let open = matches!(ticket.status, Status::New | Status::Open);
        if let Some(offer) = self.work(slot).offer {
            let gone = if ticket.assignee_id.is_some() {
                Some("the ticket was assigned meanwhile".to_owned())
            } else if !open {
                Some(format!("the ticket is {}", status_word(ticket.status)))
            } else if ended && channel == WorkChannel::Messaging {
                Some("the session ended".to_owned())
            } else {
                None
            };
            let Some(reason) = gone else {
                return (lines, false);
            };
            self.work(slot).offer = None;
            lines.push(Routed::Withdrawn {
                agent: self.agent(offer.agent),
                reason,
            });
        }
        let counts =
            !(channel == WorkChannel::Messaging && (ended || (inactive && !self.count_inactive)));
        // Work on a channel the agent has no capacity on counts nowhere.
        let wanted = ticket
            .assignee_id
            .filter(|id| open && counts && self.has_channel(*id, channel))
            .map(|id| (id, channel));
        let held = self.work(slot).held;
        if held == wanted {
            return (lines, false);
        }
        if let Some((agent, was)) = held {
            self.agents.release(agent, was);
            let reason = if ticket.assignee_id != Some(agent) {
                "no longer assigned to them".to_owned()
            } else if !open {
                format!("the ticket is {}", status_word(ticket.status))
            } else if was != channel {
                format!("routed as {} now", channel.name())
            } else if ended {
                "the session ended".to_owned()
            } else {
                "the conversation is inactive".to_owned()
            };
            lines.push(Routed::Released {
                agent: self.agent(agent),
                channel: was,
                reason,
            });
        }
        if let Some((agent, channel)) = wanted {
            self.agents.count(agent, channel);
            self.note_peak(agent, channel);
            let reason = match held {
                Some((_, was)) if was != channel => format!("routed as {} now", channel.name()),
                _ => "its work is open again".to_owned(),
            };
            lines.push(Routed::Counted {
                agent: self.agent(agent),
                channel,
                reason,
            });
        }
        self.work(slot).held = wanted;
        let freed = lines.iter().any(Routed::frees);
        (lines, freed)
    }

    /// Routes the ticket of `event`, in `slot`, created at `created`: a queue takes it or
    /// not, and an agent gets it (assigned or offered) or it waits. The ticket leaves the
    /// line it waited in, if it did.
    pub fn route(
        &mut self,
        slot: usize,
        event: Event,
        at: Timestamp,
        created: Timestamp,
    ) -> (Vec<Routed>, Step) {
        let in_line = self.work(slot).queued.as_mut().and_then(|q| q.key.take());
        if let Some(key) = in_line {
            self.waiting.remove(&key);
        }
        let passed_over = std::mem::take(&mut self.work(slot).passed_over);
        let decision = self.decide(&event, &passed_over);
        self.work(slot).passed_over = passed_over;
        let mut lines = Vec::new();
        let Some(queue) = decision.queue.as_ref().filter(|_| decision.routed) else {
            if let Some(q) = self.work(slot).queued.take() {
                *self.left.entry(q.label.clone()).or_default() += 1;
                let reason = decision
                    .reason
                    .map_or_else(|| "not routed".to_owned(), |r| r.message);
                lines.push(Routed::Left {
                    queue: q.label,
                    reason,
                });
            }
            return (lines, Step::Nothing);
        };
        let label = label(queue);
        let previous = self.work(slot).queued.as_ref().map(|q| q.label.clone());
        let since = self.work(slot).queued.as_ref().map_or(at, |q| q.since);
        let step = match &decision.agent {
            Some(pick) => {
                let agent = pick.agent_id;
                self.work(slot).held = Some((agent, decision.channel));
                self.note_peak(agent, decision.channel);
                let (load, capacity) = self.load(agent, decision.channel);
                match pick.how {
                    Handoff::Assigned => {
                        let waited = at.seconds_since(since);
                        self.served(slot, &label, agent, waited);
                        lines.push(Routed::Assigned {
                            agent: self.agent(agent),
                            channel: decision.channel,
                            queue: label,
                            load,
                            capacity,
                            waited,
                        });
                        Step::Assign(agent)
                    }
                    Handoff::Offered => {
                        let answer = self.answers.get(&agent).copied().unwrap_or_default();
                        let (after, accepts) = match answer {
                            Answer::After(s) if s < OFFER_SECONDS => (s, true),
                            _ => (OFFER_SECONDS, false),
                        };
                        let due = super::session::after(at, i64::from(after)).unwrap_or(at);
                        self.work(slot).offer = Some(Offer {
                            agent,
                            due,
                            accepts,
                        });
                        self.work(slot).queued = Some(Queued {
                            label: label.clone(),
                            since,
                            key: None,
                            event: None,
                            bucket: String::new(),
                        });
                        lines.push(Routed::Offered {
                            agent: self.agent(agent),
                            channel: decision.channel,
                            queue: label,
                            load,
                            capacity,
                        });
                        Step::Offer(due)
                    }
                }
            }
            None => {
                let reason = decision
                    .no_agent
                    .as_ref()
                    .map_or_else(String::new, |n| n.reason.clone());
                self.arrivals += 1;
                let key = (
                    queue_rank(queue),
                    Reverse(priority_rank(event.ticket.priority)),
                    created,
                    self.arrivals,
                );
                let bucket = bucket(&label, decision.channel, &event.ticket);
                self.waiting.insert(key, slot);
                self.work(slot).queued = Some(Queued {
                    label: label.clone(),
                    since,
                    key: Some(key),
                    event: Some(event),
                    bucket,
                });
                let moved = previous.filter(|p| *p != label);
                if in_line.is_none() || moved.is_some() {
                    lines.push(Routed::Waiting {
                        queue: label,
                        from: moved,
                        reason,
                    });
                }
                Step::Nothing
            }
        };
        (lines, step)
    }

    /// The decision for `event`, the agents in `passed_over` left out.
    fn decide(&mut self, event: &Event, passed_over: &[u64]) -> Decision {
        let channel = work_channel(&event.ticket);
        let mut restore = Vec::new();
        for id in passed_over {
            if let Some(c) = self.agents.channel_mut(*id, channel) {
                restore.push((*id, c.status));
                c.status = AgentStatus::Offline;
            }
        }
        let decision = self
            .router
            .route(event, &event.ticket, Some(&mut self.agents));
        for (id, status) in restore {
            if let Some(c) = self.agents.channel_mut(id, channel) {
                c.status = status;
            }
        }
        decision
    }

    /// The offer of the ticket in `slot` is answered at `at`: accepted (the simulator
    /// assigns the ticket), or lapsed (its capacity is released; the simulator routes it
    /// again). Returns what happened and the accepting agent.
    pub fn answer(&mut self, slot: usize, at: Timestamp) -> (Vec<Routed>, Option<u64>) {
        let Some(offer) = self.work(slot).offer.take() else {
            return (Vec::new(), None);
        };
        let since = self.work(slot).queued.as_ref().map_or(at, |q| q.since);
        if offer.accepts {
            let label = self
                .work(slot)
                .queued
                .as_ref()
                .map(|q| q.label.clone())
                .unwrap_or_default();
            let waited = at.seconds_since(since);
            self.served(slot, &label, offer.agent, waited);
            let line = Routed::Accepted {
                agent: self.agent(offer.agent),
                waited,
            };
            return (vec![line], Some(offer.agent));
        }
        let mut lines = vec![Routed::Lapsed {
            agent: self.agent(offer.agent),
        }];
        if let Some((agent, channel)) = self.work(slot).held.take() {
            self.agents.release(agent, channel);
            lines.push(Routed::Released {
                agent: self.agent(agent),
                channel,
                reason: format!("the offer lapsed after {OFFER_SECONDS} s"),
            });
        }
        self.work(slot).passed_over.push(offer.agent);
        (lines, None)
    }

    /// The event the ticket in `slot` was last routed on, to route it again.
    pub fn last_event(&self, slot: usize) -> Option<&Event> {
        self.work.get(slot)?.queued.as_ref()?.event.as_ref()
    }

    /// Capacity was freed: the waiting tickets, in line, each routed again until none of
    /// the agents it waits for can take it. Returns, per ticket an agent now takes, what
    /// happened and what the simulator does.
    pub fn drain(
        &mut self,
        at: Timestamp,
        created: impl Fn(usize) -> Timestamp,
    ) -> Vec<(usize, Vec<Routed>, Step)> {
        let line: Vec<usize> = self.waiting.values().copied().collect();
        let mut hopeless: Vec<String> = Vec::new();
        let mut taken = Vec::new();
        for slot in line {
            let Some(q) = self.work.get(slot).and_then(|w| w.queued.as_ref()) else {
                continue;
            };
            if hopeless.contains(&q.bucket) {
                continue;
            }
            let bucket = q.bucket.clone();
            let Some(event) = q.event.clone() else {
                continue;
            };
            let (lines, step) = self.route(slot, event, at, created(slot));
            if self.is_waiting(slot) {
                hopeless.push(bucket);
            } else {
                taken.push((slot, lines, step));
            }
        }
        taken
    }

    fn served(&mut self, slot: usize, label: &str, agent: u64, waited: i64) {
        self.work(slot).queued = None;
        self.waits.entry(label.to_owned()).or_default().push(waited);
        *self.handled.entry(agent).or_default() += 1;
    }

    fn has_channel(&self, agent: u64, channel: WorkChannel) -> bool {
        self.agents
            .get(agent)
            .is_some_and(|a| a.channels.contains_key(&channel))
    }

    fn load(&self, agent: u64, channel: WorkChannel) -> (u32, u32) {
        self.agents
            .get(agent)
            .and_then(|a| a.channels.get(&channel))
            .map_or((0, 0), |c| (c.counted(self.count_inactive), c.capacity))
    }

    fn note_peak(&mut self, agent: u64, channel: WorkChannel) {
        let (load, _) = self.load(agent, channel);
        let peak = self
            .peaks
            .entry(agent)
            .or_default()
            .entry(channel)
            .or_default();
        *peak = (*peak).max(load);
    }

    /// Per-queue waits and per-agent load, over the simulation so far.
    pub fn summary(&self) -> Summary {
        let mut queues: IndexMap<String, QueueWaits> = IndexMap::new();
        fn queue<'q>(
            queues: &'q mut IndexMap<String, QueueWaits>,
            label: &str,
        ) -> &'q mut QueueWaits {
            queues
                .entry(label.to_owned())
                .or_insert_with(|| QueueWaits {
                    queue: label.to_owned(),
                    served: 0,
                    median: 0,
                    worst: 0,
                    waiting: 0,
                    left: 0,
                })
        }
        for (label, waits) in &self.waits {
            let mut sorted = waits.clone();
            sorted.sort_unstable();
            let w = queue(&mut queues, label);
            w.served = sorted.len();
            w.median = sorted
                .get(sorted.len().saturating_sub(1) / 2)
                .copied()
                .unwrap_or(0);
            w.worst = sorted.last().copied().unwrap_or(0);
        }
        for slot in self.waiting.values() {
            if let Some(q) = self.work[*slot].queued.as_ref() {
                queue(&mut queues, &q.label).waiting += 1;
            }
        }
        for (label, n) in &self.left {
            queue(&mut queues, label).left += n;
        }
        let agents = self
            .agents
            .agents
            .iter()
            .map(|a| AgentLoad {
                agent: self.agent(a.id),
                peak: self.peaks.get(&a.id).cloned().unwrap_or_default(),
                capacity: a.channels.iter().map(|(ch, c)| (*ch, c.capacity)).collect(),
                handled: self.handled.get(&a.id).copied().unwrap_or(0),
            })
            .collect();
        Summary {
            queues: queues.into_values().collect(),
            agents,
        }
    }
}

/// A queue as the log names it.
fn label(queue: &QueueTaken) -> String {
    match queue {
        QueueTaken::Custom {
            name,
            subqueue: Some(sub),
            ..
        } => format!("{name} / {sub}"),
        QueueTaken::Custom { name, .. } => name.clone(),
        QueueTaken::Standard { group_id } => format!("standard queue (group {group_id})"),
    }
}

/// Custom queues by their priority, the standard queue after them all.
fn queue_rank(queue: &QueueTaken) -> u16 {
    match queue {
        QueueTaken::Custom { priority, .. } => u16::from(*priority),
        QueueTaken::Standard { .. } => u16::from(u8::MAX) + 1,
    }
}

/// What decides which agents a waiting ticket can go to, besides their load.
fn bucket(label: &str, channel: WorkChannel, ticket: &Ticket) -> String {
    let skills: Vec<String> = ticket.extra.read("skills").unwrap_or_default();
    format!(
        "{label}\u{0}{}\u{0}{:?}\u{0}{}",
        channel.name(),
        ticket.brand_id,
        skills.join(",")
    )
}

fn status_word(status: Status) -> &'static str {
    super::session::status_name(status)
}

/// A ticket's queue conditions read the ticket as the update left it.
pub fn routing_event(
    ticket: &Arc<Ticket>,
    at: Timestamp,
    account: &crate::model::Account,
) -> Event {
    Event {
        ticket: Arc::clone(ticket),
        previous: None,
        update: crate::model::Update {
            time: Some(at),
            kind: Some(crate::model::UpdateKind::Change),
            ..crate::model::Update::default()
        },
        account: account.clone(),
    }
}
