//! Whether a ticket is routed, by which queue, on which channel (DOMAIN 4c).

use std::sync::Arc;

use super::agents::Agents;
use super::{assign, Compiled, Tried};
use crate::check::queue::{Groups, Queue};
use crate::model::{
    Decision, Event, NotRouted, NotRoutedCode, QueueTaken, RoutingChannel, RoutingSettings,
    SessionState, Status, Ticket, WorkChannel,
};

/// Zendesk's `via_id` of native messaging.
const VIA_MESSAGING: u32 = 75;
/// `via_id`s of calls: voicemail, inbound and outbound calls.
const VIA_TALK: [u32; 3] = [33, 34, 35];

/// The channel `ticket`'s work counts on: messaging tickets as messaging unless their
/// routing channel is Email, calls as talk, everything else as email.
pub fn work_channel(ticket: &Ticket) -> WorkChannel {
    let via = ticket.via.as_ref().and_then(|v| v.id);
    match ticket.routing_channel {
        Some(RoutingChannel::Email) => WorkChannel::Email,
        Some(RoutingChannel::Messaging) => WorkChannel::Messaging,
        None if via == Some(VIA_MESSAGING) || ticket.messaging_session.is_some() => {
            WorkChannel::Messaging
        }
        None if via.is_some_and(|v| VIA_TALK.contains(&v)) => WorkChannel::Talk,
        None => WorkChannel::Email,
    }
}

/// Whether the ticket's messaging session has ended.
fn session_ended(ticket: &Ticket) -> bool {
    ticket
        .messaging_session
        .as_ref()
        .is_some_and(|s| s.state == Some(SessionState::Ended))
}

/// Why `ticket` may not be routed at all, if it may not.
fn ineligible(ticket: &Ticket, channel: WorkChannel) -> Option<NotRoutedCode> {
    if session_ended(ticket) && channel == WorkChannel::Messaging {
        return Some(NotRoutedCode::EndedSessionRoutedAsMessaging);
    }
    if !matches!(ticket.status, Status::New | Status::Open) {
        return Some(NotRoutedCode::Status);
    }
    if ticket.assignee_id.is_some() {
        return Some(NotRoutedCode::Assigned);
    }
    None
}

/// The routing decision; `tried`, when given, receives each custom queue tried.
pub(super) fn decide(
    queues: &[Compiled],
    update: &Event,
    ticket: &Arc<Ticket>,
    agents: Option<&mut Agents>,
    mut tried: Option<&mut Vec<Tried>>,
) -> Decision {
    let channel = work_channel(ticket);
    let mut decision = Decision {
        routed: false,
        reason: None,
        queue: None,
        channel,
        agent: None,
        no_agent: None,
    };
    if let Some(code) = ineligible(ticket, channel) {
        decision.reason = Some(NotRouted::new(code));
        return decision;
    }
    let settings = update.account.routing.clone().unwrap_or_default();
    // The queues read the ticket after the triggers, against the update as it came.
    let after = Event {
        ticket: Arc::clone(ticket),
        previous: update.previous.clone(),
        update: update.update.clone(),
        account: update.account.clone(),
    };
    let custom = queues.iter().find(|q| {
        let matched = q.conditions.holds(&after);
        if let Some(tried) = tried.as_deref_mut() {
            tried.push(Tried {
                queue: q.queue.name.clone(),
                matched,
                conditions: q.conditions.explain(&after),
            });
        }
        matched
    });
    let standard;
    let (taken, groups) = match custom {
        Some(q) => custom_queue(&q.queue, ticket),
        None => match standard_queue(ticket, channel, &settings) {
            Ok((taken, groups)) => {
                standard = groups;
                (taken, &standard)
            }
            Err(code) => {
                decision.reason = Some(NotRouted::new(code));
                return decision;
            }
        },
    };
    decision.routed = true;
    decision.queue = Some(taken);
    if let Some(agents) = agents {
        match assign::choose(agents, ticket, channel, groups, &settings) {
            Ok(pick) => decision.agent = Some(pick),
            Err(none) => decision.no_agent = Some(none),
        }
    }
    decision
}

/// A custom queue takes the ticket: the queue, or the subqueue the ticket's id falls in.
fn custom_queue<'q>(queue: &'q Queue, ticket: &Ticket) -> (QueueTaken, &'q Groups) {
    let bucket = ticket.id.unwrap_or(0) % 100;
    let mut total = 0u64;
    let sub = queue.subqueues.iter().find(|s| {
        total += u64::from(s.percentage);
        bucket < total
    });
    let sub = sub.or(queue.subqueues.last());
    let taken = QueueTaken::Custom {
        name: queue.name.clone(),
        id: queue.zendesk_id.clone(),
        priority: sub.map_or(queue.priority, |s| s.priority),
        subqueue: sub.map(|s| s.name.clone()),
    };
    (taken, sub.map_or(&queue.groups, |s| &s.groups))
}

/// The standard queue takes a ticket with a group, and an email ticket only with the
/// auto-routing tag.
fn standard_queue(
    ticket: &Ticket,
    channel: WorkChannel,
    settings: &RoutingSettings,
) -> Result<(QueueTaken, Groups), NotRoutedCode> {
    let group_id = ticket.group_id.ok_or(NotRoutedCode::NoGroup)?;
    if channel == WorkChannel::Email && !ticket.has_tag(settings.auto_routing_tag()) {
        return Err(NotRoutedCode::NoAutoRoutingTag);
    }
    let groups = Groups {
        primary: vec![group_id],
        secondary: Vec::new(),
    };
    Ok((QueueTaken::Standard { group_id }, groups))
}
