//! Omnichannel routing as data: the account's routing settings an event carries, and the
//! routing decision an outcome reports (DOMAIN 4c). The routing itself is
//! [`crate::routing`]; these are only its inputs and outputs, so that events, outcomes and
//! scenarios can say them in JSON.

use serde::{Deserialize, Serialize};

/// The auto-routing tag Zendesk uses when the account names no other.
pub const DEFAULT_AUTO_ROUTING_TAG: &str = "auto-routing";

/// The account's omnichannel routing settings. Present in an event's `account.routing`,
/// it turns routing on for `run`, `explain` and scenarios even without queues or agents.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RoutingSettings {
    /// The tag an email ticket needs to be routed by the standard queue; `auto-routing`
    /// when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_routing_tag: Option<String>,
    /// How an agent is chosen among those who can take the work.
    #[serde(skip_serializing_if = "is_default")]
    pub assignment_method: AssignmentMethod,
    /// Whether inactive messaging conversations count against messaging capacity (off by
    /// default, as in Zendesk).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub count_inactive_conversations: bool,
    /// Which behaviour of the End session action applies (DOMAIN 4b).
    #[serde(skip_serializing_if = "is_default")]
    pub end_session: EndSessionVersion,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

impl RoutingSettings {
    /// The auto-routing tag: the setting, or `auto-routing`.
    pub fn auto_routing_tag(&self) -> &str {
        self.auto_routing_tag
            .as_deref()
            .unwrap_or(DEFAULT_AUTO_ROUTING_TAG)
    }
}

/// How omnichannel routing picks one agent among those who can take the work; ties go to
/// the agent who waited longest since their last assignment on the channel.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AssignmentMethod {
    /// The most spare capacity on the channel (Zendesk's default).
    #[default]
    HighestSpareCapacity,
    /// The highest share of capacity spare on the channel.
    HighestSparePercentage,
    /// In turn: the agent who waited longest since their last assignment.
    RoundRobin,
}

/// The End session action as the seed describes it, or as Zendesk's current article does
/// (DOMAIN 4b).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EndSessionVersion {
    /// End session also sets the routing channel to Email (declic's default).
    #[default]
    Seed,
    /// End session only ends the session; the routing channel stays as it was.
    Current,
}

/// The channel the routed work counts on.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum WorkChannel {
    /// Messaging conversations: offered to the agent.
    Messaging,
    /// Email, web form, API and every other ticket: assigned.
    Email,
    /// Calls.
    Talk,
}

impl WorkChannel {
    /// Every channel, in the order agents' capacities list them.
    pub const ALL: [WorkChannel; 3] = [
        WorkChannel::Messaging,
        WorkChannel::Email,
        WorkChannel::Talk,
    ];

    /// The API name.
    pub fn name(self) -> &'static str {
        match self {
            WorkChannel::Messaging => "messaging",
            WorkChannel::Email => "email",
            WorkChannel::Talk => "talk",
        }
    }
}

/// What routing decided for the ticket after the triggers: whether it is routed, by which
/// queue, on which channel, and (with agents known) to whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Decision {
    /// Whether a queue takes the ticket.
    pub routed: bool,
    /// Why no queue takes it, when none does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<NotRouted>,
    /// The queue that takes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<QueueTaken>,
    /// The channel the work counts on.
    pub channel: WorkChannel,
    /// The agent the work goes to, when agents are known and one can take it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<Pick>,
    /// Why no agent takes it, when agents are known and none can; the ticket waits in the
    /// queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub no_agent: Option<NoAgent>,
}

/// Why no agent takes routed work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NoAgent {
    /// In words.
    pub reason: String,
    /// Each agent of the queue's groups and what kept them out.
    #[serde(default)]
    pub refused: Vec<Refusal>,
}

/// Why a ticket is not routed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NotRouted {
    /// The reason, to match on.
    pub code: NotRoutedCode,
    /// The reason, for people.
    pub message: String,
}

impl NotRouted {
    /// The reason `code`, with its standard message.
    pub fn new(code: NotRoutedCode) -> NotRouted {
        NotRouted {
            code,
            message: code.message().to_owned(),
        }
    }
}

/// The reasons a ticket is not routed (DOMAIN 4c).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotRoutedCode {
    /// Pending, On-hold, Solved and Closed tickets are never routed.
    Status,
    /// An assigned ticket is not routed.
    Assigned,
    /// A messaging ticket whose session ended while it still routes as messaging leaves
    /// every queue.
    EndedSessionRoutedAsMessaging,
    /// No custom queue matched, and the standard queue needs a group.
    NoGroup,
    /// No custom queue matched, and the standard queue routes an email ticket only with
    /// the auto-routing tag.
    NoAutoRoutingTag,
}

impl NotRoutedCode {
    /// The standard explanation.
    pub fn message(self) -> &'static str {
        match self {
            NotRoutedCode::Status => "only New and Open tickets are routed",
            NotRoutedCode::Assigned => "the ticket already has an assignee",
            NotRoutedCode::EndedSessionRoutedAsMessaging => {
                "the messaging session ended and the routing channel is still messaging: the ticket leaves every queue"
            }
            NotRoutedCode::NoGroup => {
                "no custom queue matched, and the standard queue routes only tickets with a group"
            }
            NotRoutedCode::NoAutoRoutingTag => {
                "no custom queue matched, and the standard queue routes an email ticket only with the auto-routing tag"
            }
        }
    }
}

/// The queue that takes a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QueueTaken {
    /// A custom queue, the first in order whose conditions held.
    Custom {
        /// The queue's name.
        name: String,
        /// Its Zendesk id, when it has one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// Its priority, 1 (highest) to 100.
        priority: u8,
        /// The subqueue chosen, when the queue is split by percentage.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subqueue: Option<String>,
    },
    /// The standard queue, by the ticket's group.
    Standard {
        /// The ticket's group.
        group_id: u64,
    },
}

/// The agent routing chose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Pick {
    /// The agent's user id.
    pub agent_id: u64,
    /// The agent's name, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The group through which the agent was chosen.
    pub group_id: u64,
    /// Whether the group is one of the queue's secondary groups.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub secondary: bool,
    /// Offered (messaging, talk: the agent accepts) or assigned (email).
    pub how: Handoff,
    /// Why this agent among those who could, in words.
    pub why: String,
}

/// How work reaches the chosen agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Handoff {
    /// Offered; reassigned to the next agent after 30 s unanswered.
    Offered,
    /// Assigned at once.
    Assigned,
}

/// An agent who could not take the work, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Refusal {
    /// The agent's user id.
    pub agent_id: u64,
    /// Why, in words.
    pub reason: String,
}
