//! Generated traffic: a timeline's `[traffic]` table stands for many messaging
//! conversations over a span of time, and for the agents who take them, drawn from a seed
//! so that the same table always gives the same day.
//!
//! ```toml
//! [traffic]
//! conversations = 10000   # how many
//! over = "24 hours"       # spread uniformly over this span from `start` (default 1 day)
//! seed = 7                # the same seed, the same conversations (default 1)
//! group = 1               # the tickets' group (default 1)
//! agents = 50             # agents generated in that group (default none)
//! capacity = 3            # their messaging capacity (default 3; email 10)
//! ```
//!
//! Each conversation is an end user who writes and an agent who replies a few minutes
//! later; about half write again and get a second reply; then the agent solves the
//! ticket (six in ten), ends the session (one in six), or the end user just goes silent
//! and the conversation turns inactive. One ticket in ten is high priority, one in fifty
//! urgent.

use super::session::Product;
use super::session::{after, Activity};
use super::timeline::{Conversation, Timed, DEFAULT_AGENT};
use crate::diagnostics::{Code, Span};
use crate::model::{Priority, Status, Ticket, Timestamp, WorkChannel};
use crate::routing::{Agent, Channel, Status as AgentStatus};
use crate::scenario::tree::{Node, Sink};

/// The keys of a `[traffic]` table.
const KEYS: &[&str] = &[
    "conversations",
    "over",
    "seed",
    "group",
    "agents",
    "capacity",
];

/// The most conversations one table may generate.
pub const MAX_CONVERSATIONS: u32 = 1_000_000;
/// The most agents a `[traffic]` table generates: more than any Zendesk account routes
/// to in one group, and few enough that the list stays small.
pub const MAX_AGENTS: u32 = 10_000;

/// The first user id of generated agents.
const FIRST_AGENT: u64 = 9001;

/// The email capacity of generated agents.
const EMAIL_CAPACITY: u32 = 10;

/// What a `[traffic]` table asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Traffic {
    /// How many conversations.
    pub conversations: u32,
    /// Over how many seconds from the timeline's start.
    pub over: i64,
    /// The seed.
    pub seed: u64,
    /// The tickets' group.
    pub group: u64,
    /// How many agents to generate.
    pub agents: u32,
    /// Their messaging capacity.
    pub capacity: u32,
}

impl Traffic {
    /// Reads a `[traffic]` table.
    pub(crate) fn parse(sink: &mut Sink, node: Node<'_, '_>) -> Option<Traffic> {
        let mut table = node.table(sink, "traffic")?;
        let before = sink.diagnostics.len();
        let mut number = |key: &'static str, default: u32| match table.get(key) {
            Some(n) => n.u32(sink, key),
            None => Some(default),
        };
        let conversations = number("conversations", 100);
        let seed = number("seed", 1);
        let agents = number("agents", 0);
        let capacity = number("capacity", 3);
        let group = match table.get("group") {
            Some(n) => {
                let id = n.json(sink).and_then(|v| v.as_u64());
                if id.is_none() {
                    sink.error(
                        Code::InvalidValue,
                        "`group` is a group id, a whole number".to_owned(),
                        n.span,
                        "not a group id",
                    );
                }
                id
            }
            None => Some(1),
        };
        let over = match table.get("over") {
            Some(n) => {
                let text = n.str(sink, "over")?;
                let seconds = super::timeline::duration(text).filter(|s| *s > 0);
                if seconds.is_none() {
                    sink.error(
                        Code::InvalidTime,
                        format!("`over = \"{text}\"` is not a span declic reads"),
                        n.span,
                        "a duration such as `24 hours`",
                    );
                }
                seconds
            }
            None => Some(86_400),
        };
        if conversations.is_some_and(|c| c == 0 || c > MAX_CONVERSATIONS) {
            sink.error(
                Code::InvalidValue,
                format!("traffic has 1 to {MAX_CONVERSATIONS} conversations"),
                node.span,
                "too few or too many",
            );
        }
        if agents.is_some_and(|a| a > MAX_AGENTS) {
            sink.error(
                Code::InvalidValue,
                format!("traffic has at most {MAX_AGENTS} agents"),
                node.span,
                "too many",
            );
        }
        if capacity.is_some_and(|c| c > crate::routing::MAX_CAPACITY) {
            sink.error(
                Code::InvalidValue,
                format!(
                    "an agent's capacity is at most {}",
                    crate::routing::MAX_CAPACITY
                ),
                node.span,
                "too much",
            );
        }
        table.finish(sink, KEYS, "traffic");
        if sink.diagnostics.len() > before {
            return None;
        }
        Some(Traffic {
            conversations: conversations?,
            over: over?,
            seed: u64::from(seed?),
            group: group?,
            agents: agents?,
            capacity: capacity?,
        })
    }

    /// The conversations, in the order they start, named `traffic 1`, `traffic 2`...;
    /// `span` is the table's place in the file.
    pub fn conversations(&self, start: Timestamp, span: Span) -> Vec<Conversation> {
        let mut random = SplitMix(self.seed);
        let mut starts: Vec<i64> = (0..self.conversations)
            .map(|_| random.below(self.over as u64) as i64)
            .collect();
        starts.sort_unstable();
        starts
            .into_iter()
            .enumerate()
            .map(|(i, offset)| self.conversation(i, &mut random, start, offset, span))
            .collect()
    }

    fn conversation(
        &self,
        i: usize,
        random: &mut SplitMix,
        start: Timestamp,
        offset: i64,
        span: Span,
    ) -> Conversation {
        let mut clock = offset;
        let mut activity = Vec::new();
        let mut push = |clock: i64, activity_: Activity, body: Option<&str>| {
            activity.push(Timed {
                at: after(start, clock).unwrap_or(start),
                activity: activity_,
                body: body.map(str::to_owned),
                span,
            });
        };
        push(
            clock,
            Activity::EndUserWrites,
            Some("I need help with my order"),
        );
        clock += 30 + random.below(270) as i64;
        push(clock, Activity::AgentReplies, Some("let me look"));
        if random.below(2) == 0 {
            clock += 60 + random.below(540) as i64;
            push(clock, Activity::EndUserWrites, Some("here is the number"));
            clock += 30 + random.below(150) as i64;
            push(clock, Activity::AgentReplies, Some("thank you"));
        }
        match random.below(6) {
            0..=3 => {
                clock += 60 + random.below(840) as i64;
                push(clock, Activity::AgentSetsStatus(Status::Solved), None);
            }
            4 => {
                clock += 60 + random.below(540) as i64;
                push(clock, Activity::AgentEnds, None);
            }
            _ => {}
        }
        let priority = match random.below(50) {
            0 => Some(Priority::Urgent),
            1..=5 => Some(Priority::High),
            _ => None,
        };
        let ticket = Ticket {
            group_id: Some(self.group),
            priority,
            ..Ticket::default()
        };
        Conversation {
            name: format!("traffic {}", i + 1),
            product: Product::Messaging,
            ticket,
            agent: DEFAULT_AGENT,
            end: after(start, clock).unwrap_or(start),
            activity,
            span,
        }
    }

    /// The agents the table asks for: online in its group, with its messaging capacity
    /// and an email capacity of 10. Their ids follow the largest of `listed`, the agents
    /// the timeline names itself, so that no id is given twice.
    pub fn agents(&self, listed: &[Agent]) -> Vec<Agent> {
        let first = listed
            .iter()
            .map(|a| a.id.saturating_add(1))
            .max()
            .unwrap_or(0)
            .max(FIRST_AGENT);
        (0..u64::from(self.agents))
            .map(|i| {
                let channels = [
                    (WorkChannel::Messaging, self.capacity),
                    (WorkChannel::Email, EMAIL_CAPACITY),
                ]
                .into_iter()
                .map(|(ch, capacity)| (ch, Channel::new(AgentStatus::Online, capacity)))
                .collect();
                Agent {
                    id: first.saturating_add(i),
                    name: Some(format!("Agent {}", i + 1)),
                    group_ids: vec![self.group],
                    brand_ids: Vec::new(),
                    skills: Vec::new(),
                    channels,
                }
            })
            .collect()
    }
}

/// SplitMix64: a small generator whose sequence a seed fixes, the same on every machine.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number from 0 to `n` - 1 (0 when `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
}
