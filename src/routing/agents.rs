//! The agents routing may hand work to, with their groups, brands, skills, per-channel
//! statuses, capacities and current load.
//!
//! An agents file (`--agents FILE`, or `agents.json` in the account folder given to
//! `--account`) is a JSON object close to Zendesk's API objects: each agent is a user
//! (`id`, `name`) with the ids of its groups (`group_ids`, as group memberships give them)
//! and brands (`brand_ids`; empty: every brand), its routing skills by name, and per channel
//! (`messaging`, `email`, `talk`) what Zendesk's agent availability and capacity rules say:
//!
//! ```json
//! {"agents": [
//!   {"id": 11, "name": "Ana", "group_ids": [1], "brand_ids": [], "skills": ["french"],
//!    "channels": {
//!      "messaging": {"status": "online", "capacity": 2, "load": 1, "inactive": 1},
//!      "email": {"status": "away", "capacity": 5, "load": 0,
//!                "last_assigned_at": "2024-05-06T09:00:00Z"}}}
//! ]}
//! ```
//!
//! `load` is the work counted now (email: open tickets; messaging: active conversations),
//! `inactive` the inactive conversations, counted only when the account counts them. A
//! channel an agent does not list is offline for them.

use std::path::Path;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::model::{Timestamp, WorkChannel};

/// The most an agent's capacity can be on one channel, in Zendesk.
pub const MAX_CAPACITY: u32 = 500;

/// The agents of an account, with their current load: what [`super::Router::route`]
/// reads and, when it hands work to one, updates.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agents {
    /// The agents, in the file's order.
    pub agents: Vec<Agent>,
    /// How many assignments declic has made, to order them after any the file gives.
    #[serde(skip)]
    turns: u64,
}

/// One agent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agent {
    /// The user id.
    pub id: u64,
    /// The name, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The groups the agent is a member of.
    #[serde(default)]
    pub group_ids: Vec<u64>,
    /// The brands the agent works for; empty for every brand.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub brand_ids: Vec<u64>,
    /// The agent's routing skills, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<String>,
    /// Status, capacity and load per channel.
    #[serde(default)]
    pub channels: IndexMap<WorkChannel, Channel>,
}

/// An agent on one channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    /// The agent's status on the channel.
    pub status: Status,
    /// The most work the agent takes on the channel (talk: 0 or 1).
    pub capacity: u32,
    /// The work counted now: open email tickets, active messaging conversations, calls.
    #[serde(default)]
    pub load: u32,
    /// Inactive messaging conversations, counted only when the account counts them.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub inactive: u32,
    /// When the agent was last given work on the channel, for ties.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_assigned_at: Option<Timestamp>,
    /// When declic last gave them work, in declic's own order (after any time above).
    #[serde(skip)]
    turn: Option<u64>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// An agent's status on a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Online: takes work on every channel.
    Online,
    /// Away: takes email work only.
    Away,
    /// Offline: takes none.
    Offline,
}

/// Why an agents file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum AgentsError {
    /// The file could not be read.
    #[error("cannot read `{path}`: {reason}")]
    #[diagnostic(code(declic::unreadable))]
    Unreadable {
        /// The path as given.
        path: String,
        /// Why.
        reason: String,
    },
    /// The file is not an agents file.
    #[error("agents file `{path}`: {reason}")]
    #[diagnostic(
        code(declic::bad_agents),
        help("an agents file is `{{\"agents\": [{{\"id\": 11, \"group_ids\": [1], \"channels\": {{\"email\": {{\"status\": \"online\", \"capacity\": 5}}}}}}]}}`")
    )]
    Bad {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

impl Agents {
    /// The agents `agents`, none assigned by declic yet.
    pub fn new(agents: Vec<Agent>) -> Agents {
        Agents { agents, turns: 0 }
    }

    /// Reads an agents file's text; `path` names it in errors.
    pub fn from_json(path: &Path, text: &str) -> Result<Agents, AgentsError> {
        let bad = |reason: String| AgentsError::Bad {
            path: path.display().to_string(),
            reason,
        };
        let agents: Agents = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
        let mut seen = std::collections::HashSet::new();
        for agent in &agents.agents {
            // Every lookup is by id: a second agent of the same id would never be found,
            // and the load routing gave it would land on the first.
            if !seen.insert(agent.id) {
                return Err(bad(format!("agent {} is listed twice", agent.id)));
            }
            for (channel, c) in &agent.channels {
                let worst = c.capacity.max(c.load).max(c.inactive);
                if worst > MAX_CAPACITY {
                    return Err(bad(format!(
                        "agent {} has a {} capacity or load of {worst}; Zendesk allows at most {MAX_CAPACITY}",
                        agent.id,
                        channel.name(),
                    )));
                }
            }
        }
        Ok(agents)
    }

    /// Reads the agents file at `path`.
    pub fn load(path: &Path) -> Result<Agents, AgentsError> {
        Agents::from_json(path, &read(path)?)
    }

    /// The agent with user id `id`.
    pub fn get(&self, id: u64) -> Option<&Agent> {
        self.agents.iter().find(|a| a.id == id)
    }

    /// Agent `id` on `channel`, to change, if they work on it.
    pub fn channel_mut(&mut self, id: u64, channel: WorkChannel) -> Option<&mut Channel> {
        self.agents
            .iter_mut()
            .find(|a| a.id == id)
            .and_then(|a| a.channels.get_mut(&channel))
    }

    /// Counts one more piece of work on `channel` for agent `id`, who now waited least.
    pub fn take(&mut self, id: u64, channel: WorkChannel) {
        self.turns += 1;
        let turn = self.turns;
        if let Some(c) = self.channel_mut(id, channel) {
            c.load = c.load.saturating_add(1);
            c.turn = Some(turn);
        }
    }

    /// Counts one more piece of work on `channel` for agent `id` that is not an
    /// assignment: work of theirs that counts again (a reopened ticket, a conversation
    /// active again), which may take them past their capacity, as in Zendesk.
    pub fn count(&mut self, id: u64, channel: WorkChannel) {
        if let Some(c) = self.channel_mut(id, channel) {
            c.load = c.load.saturating_add(1);
        }
    }

    /// Counts one piece of work less on `channel` for agent `id` (the work went Pending,
    /// On-hold or Solved, turned inactive, or its session ended).
    pub fn release(&mut self, id: u64, channel: WorkChannel) {
        if let Some(c) = self.channel_mut(id, channel) {
            c.load = c.load.saturating_sub(1);
        }
    }
}

/// The text of the file at `path`.
pub(super) fn read(path: &Path) -> Result<String, AgentsError> {
    // The loader's reading refuses devices and files past its size limit.
    let bytes = crate::load::read_file(path).map_err(|e| AgentsError::Unreadable {
        path: path.display().to_string(),
        reason: crate::load::io_reason(&e),
    })?;
    String::from_utf8(bytes).map_err(|_| AgentsError::Bad {
        path: path.display().to_string(),
        reason: "not UTF-8 text".to_owned(),
    })
}

impl Channel {
    /// A channel with `status` and `capacity`, no work yet.
    pub fn new(status: Status, capacity: u32) -> Channel {
        Channel {
            status,
            capacity,
            load: 0,
            inactive: 0,
            last_assigned_at: None,
            turn: None,
        }
    }

    /// The work that counts against capacity.
    pub fn counted(&self, count_inactive: bool) -> u32 {
        if count_inactive {
            self.load.saturating_add(self.inactive)
        } else {
            self.load
        }
    }

    /// Capacity left.
    pub fn spare(&self, count_inactive: bool) -> u32 {
        self.capacity.saturating_sub(self.counted(count_inactive))
    }

    /// How long ago the agent was last given work, as a key: smaller waited longer. Never
    /// given work waits longest; work declic gave comes after any time the file gives.
    pub(super) fn waited(&self) -> (bool, Option<u64>, Option<Timestamp>) {
        (
            self.turn.is_some() || self.last_assigned_at.is_some(),
            self.turn,
            self.last_assigned_at,
        )
    }
}

impl Agent {
    /// Whether the agent's status on `channel` lets them take work there: email online or
    /// away, messaging and talk online.
    pub fn available(&self, channel: WorkChannel) -> bool {
        match self.channels.get(&channel).map(|c| c.status) {
            Some(Status::Online) => true,
            Some(Status::Away) => channel == WorkChannel::Email,
            Some(Status::Offline) | None => false,
        }
    }
}
