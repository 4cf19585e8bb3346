//! Choosing the agent (DOMAIN 4c): the queue's primary groups, then its secondary groups;
//! among the agents who can take the work, the account's assignment method, and the
//! longest wait since the last assignment on the channel for ties.

use std::cmp::Ordering;

use super::agents::{Agent, Agents};
use crate::check::queue::Groups;
use crate::model::{
    AssignmentMethod, Handoff, NoAgent, Pick, Refusal, RoutingSettings, Ticket, WorkChannel,
};

/// The ticket key that lists the skills it requires.
const SKILLS_KEY: &str = "skills";

/// An agent who can take the work, through `group_id`.
struct Candidate<'a> {
    agent: &'a Agent,
    group_id: u64,
    spare: u32,
    capacity: u32,
}

/// The agent who gets the work, whose load is counted; or, when none can, each agent of
/// the queue's groups and why not.
pub(super) fn choose(
    agents: &mut Agents,
    ticket: &Ticket,
    channel: WorkChannel,
    groups: &Groups,
    settings: &RoutingSettings,
) -> Result<Pick, NoAgent> {
    let skills: Vec<String> = ticket.extra.read(SKILLS_KEY).unwrap_or_default();
    let mut refusals = Vec::new();
    let mut pick = None;
    for (secondary, tier) in [(false, &groups.primary), (true, &groups.secondary)] {
        let mut candidates = Vec::new();
        for agent in &agents.agents {
            let Some(&group_id) = tier.iter().find(|g| agent.group_ids.contains(g)) else {
                continue;
            };
            if refusals.iter().any(|r: &Refusal| r.agent_id == agent.id) {
                continue;
            }
            match refusal(agent, ticket, channel, &skills, settings) {
                Some(reason) => refusals.push(Refusal {
                    agent_id: agent.id,
                    reason,
                }),
                None => {
                    let c = &agent.channels[&channel];
                    candidates.push(Candidate {
                        agent,
                        group_id,
                        spare: c.spare(settings.count_inactive_conversations),
                        capacity: c.capacity,
                    });
                }
            }
        }
        if let Some((best, why)) = best(&candidates, channel, settings.assignment_method) {
            pick = Some(Pick {
                agent_id: best.agent.id,
                name: best.agent.name.clone(),
                group_id: best.group_id,
                secondary,
                how: match channel {
                    WorkChannel::Email => Handoff::Assigned,
                    WorkChannel::Messaging | WorkChannel::Talk => Handoff::Offered,
                },
                why,
            });
            break;
        }
    }
    match pick {
        Some(pick) => {
            agents.take(pick.agent_id, channel);
            Ok(pick)
        }
        None => Err(NoAgent {
            reason: if refusals.is_empty() {
                "no agent is a member of the queue's groups".to_owned()
            } else {
                format!(
                    "none of the {} agent(s) of the queue's groups can take {} work now",
                    refusals.len(),
                    channel.name()
                )
            },
            refused: refusals,
        }),
    }
}

/// Why `agent` cannot take the work, if they cannot.
fn refusal(
    agent: &Agent,
    ticket: &Ticket,
    channel: WorkChannel,
    skills: &[String],
    settings: &RoutingSettings,
) -> Option<String> {
    if let Some(brand) = ticket.brand_id {
        if !agent.brand_ids.is_empty() && !agent.brand_ids.contains(&brand) {
            return Some(format!("not a member of brand {brand}"));
        }
    }
    if !agent.available(channel) {
        let status = agent
            .channels
            .get(&channel)
            .map_or("offline", |c| status_name(c.status));
        return Some(format!("{status} on {}", channel.name()));
    }
    let c = &agent.channels[&channel];
    let counted = c.counted(settings.count_inactive_conversations);
    if c.spare(settings.count_inactive_conversations) == 0 {
        return Some(format!(
            "no spare {} capacity ({counted} of {})",
            channel.name(),
            c.capacity
        ));
    }
    let missing: Vec<&str> = skills
        .iter()
        .filter(|s| !agent.skills.iter().any(|a| a.eq_ignore_ascii_case(s)))
        .map(String::as_str)
        .collect();
    if !missing.is_empty() {
        return Some(format!("lacks the skill(s) {}", missing.join(", ")));
    }
    None
}

fn status_name(status: super::Status) -> &'static str {
    match status {
        super::Status::Online => "online",
        super::Status::Away => "away",
        super::Status::Offline => "offline",
    }
}

/// The candidate the method picks, and why in words.
fn best<'c, 'a>(
    candidates: &'c [Candidate<'a>],
    channel: WorkChannel,
    method: AssignmentMethod,
) -> Option<(&'c Candidate<'a>, String)> {
    let by_method = |a: &Candidate<'_>, b: &Candidate<'_>| -> Ordering {
        match method {
            AssignmentMethod::HighestSpareCapacity => b.spare.cmp(&a.spare),
            // a.spare / a.capacity against b's, without division.
            AssignmentMethod::HighestSparePercentage => (u64::from(b.spare)
                * u64::from(a.capacity))
            .cmp(&(u64::from(a.spare) * u64::from(b.capacity))),
            AssignmentMethod::RoundRobin => Ordering::Equal,
        }
    };
    let waited = |c: &Candidate<'_>| c.agent.channels[&channel].waited();
    // `min_by` keeps the first of equals: the agent listed first wins what is left.
    let best = candidates
        .iter()
        .min_by(|a, b| by_method(a, b).then_with(|| waited(a).cmp(&waited(b))))?;
    let tied = candidates
        .iter()
        .filter(|c| by_method(c, best) == Ordering::Equal)
        .count();
    let measure = match method {
        AssignmentMethod::HighestSpareCapacity => format!(
            "highest spare {} capacity ({} of {})",
            channel.name(),
            best.spare,
            best.capacity
        ),
        AssignmentMethod::HighestSparePercentage => format!(
            "highest share of {} capacity spare ({} of {})",
            channel.name(),
            best.spare,
            best.capacity
        ),
        AssignmentMethod::RoundRobin => "round robin".to_owned(),
    };
    let why = if tied > 1 {
        format!(
            "{measure}; of {tied} agents level, waited longest since a {} assignment",
            channel.name()
        )
    } else {
        measure
    };
    Some((best, why))
}
