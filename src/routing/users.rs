//! Agents from Zendesk's API exports: the users (`GET /api/v2/users`, those whose `role`
//! is `agent` or `admin`) and their group memberships (`GET /api/v2/group_memberships`).
//!
//! ```
//! use declic::routing::Agents;
//!
//! let users = r#"{"users": [
//!   {"id": 7, "name": "Ana", "role": "agent", "active": true, "suspended": false},
//!   {"id": 8, "name": "Marie", "role": "end-user", "active": true}
//! ], "next_page": null, "count": 2}"#;
//! let memberships = r#"{"group_memberships": [
//!   {"id": 1, "user_id": 7, "group_id": 360012000100, "default": true}
//! ], "next_page": null, "count": 1}"#;
//! let agents = Agents::from_zendesk("users.json".as_ref(), users, Some(memberships))?;
//! assert_eq!(agents.agents.len(), 1);
//! assert_eq!(agents.agents[0].group_ids, [360012000100]);
//! # Ok::<(), declic::routing::AgentsError>(())
//! ```
//!
//! # Decisions where Zendesk is silent
//!
//! The exports say nothing of statuses or capacity (capacity rules have no public JSON
//! shape declic reads): every agent is online on every channel, with
//! [`DEFAULT_CAPACITY`] (messaging 3, email 10, talk 1). Suspended and inactive users are
//! left out; so are end users. Users with no membership are agents of no group, whom
//! only a queue naming no group could reach.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use super::agents::{read, Agent, Agents, AgentsError, Channel, Status};
use crate::model::WorkChannel;

/// The capacity every agent read from Zendesk's exports has, per channel.
pub const DEFAULT_CAPACITY: [(WorkChannel, u32); 3] = [
    (WorkChannel::Messaging, 3),
    (WorkChannel::Email, 10),
    (WorkChannel::Talk, 1),
];

#[derive(Deserialize)]
struct UsersPage {
    users: Vec<User>,
    /// Offset pagination: the next page's URL, `null` on the last page.
    #[serde(default)]
    next_page: Option<String>,
    /// Cursor pagination: whether more pages follow.
    #[serde(default)]
    meta: Option<PageMeta>,
}

#[derive(Deserialize)]
struct PageMeta {
    #[serde(default)]
    has_more: bool,
}

impl UsersPage {
    /// Whether the export says it is one page of several: reading it alone would drop the
    /// agents of the other pages without a word.
    fn has_more(&self) -> bool {
        self.next_page.is_some() || self.meta.as_ref().is_some_and(|m| m.has_more)
    }
}

#[derive(Deserialize)]
struct User {
    id: u64,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    active: Option<bool>,
    #[serde(default)]
    suspended: Option<bool>,
}

#[derive(Deserialize)]
struct MembershipsPage {
    group_memberships: Vec<Membership>,
}

#[derive(Deserialize)]
struct Membership {
    user_id: u64,
    group_id: u64,
}

impl Agents {
    /// The agents of a users export's text and, when given, a group memberships
    /// export's; `path` names the users export in errors.
    pub fn from_zendesk(
        path: &Path,
        users: &str,
        memberships: Option<&str>,
    ) -> Result<Agents, AgentsError> {
        let bad = |what: &str, e: serde_json::Error| AgentsError::Bad {
            path: path.display().to_string(),
            reason: format!("not a {what} export: {e}"),
        };
        let users: UsersPage = serde_json::from_str(users).map_err(|e| bad("users", e))?;
        if users.has_more() {
            return Err(AgentsError::Bad {
                path: path.display().to_string(),
                reason: "the users export is one page of several (`next_page` or \
                         `meta.has_more`): put every page's users in one `users` list"
                    .to_owned(),
            });
        }
        let mut groups: HashMap<u64, Vec<u64>> = HashMap::new();
        if let Some(text) = memberships {
            let page: MembershipsPage =
                serde_json::from_str(text).map_err(|e| bad("group memberships", e))?;
            for m in page.group_memberships {
                groups.entry(m.user_id).or_default().push(m.group_id);
            }
        }
        let mut seen = HashSet::new();
        let agents = users
            .users
            .into_iter()
            .filter(|u| matches!(u.role.as_deref(), Some("agent" | "admin")))
            .filter(|u| u.active != Some(false) && u.suspended != Some(true))
            // Pages saved one after another can repeat a user: the first copy stands.
            .filter(|u| seen.insert(u.id))
            .map(|u| Agent {
                group_ids: groups.remove(&u.id).unwrap_or_default(),
                id: u.id,
                name: u.name,
                brand_ids: Vec::new(),
                skills: Vec::new(),
                channels: DEFAULT_CAPACITY
                    .iter()
                    .map(|(ch, capacity)| (*ch, Channel::new(Status::Online, *capacity)))
                    .collect(),
            })
            .collect();
        Ok(Agents::new(agents))
    }

    /// Reads the agents at `path`: an agents file, or Zendesk's users export with the
    /// group memberships export at `memberships`.
    pub fn load_with(path: &Path, memberships: Option<&Path>) -> Result<Agents, AgentsError> {
        let text = read(path)?;
        let is_users = serde_json::from_str::<serde_json::Value>(&text)
            .is_ok_and(|v| v.get("users").is_some());
        match (is_users, memberships) {
            (false, None) => Agents::from_json(path, &text),
            (true, Some(m)) => Agents::from_zendesk(path, &text, Some(&read(m)?)),
            (true, None) => Err(AgentsError::Bad {
                path: path.display().to_string(),
                reason: "a users export needs its group memberships export beside it (`--group-memberships FILE`)".to_owned(),
            }),
            (false, Some(_)) => Err(AgentsError::Bad {
                path: path.display().to_string(),
                reason: "group memberships go with Zendesk's users export, and this is an agents file".to_owned(),
            }),
        }
    }
}
