//! Omnichannel routing (DOMAIN 4c): the step after the trigger cycle. It reads the ticket
//! the triggers left and decides whether it is routed, by which queue, on which channel
//! and, with agents known, to whom. Data flows one way: the outcome's ticket goes in, a
//! [`Decision`] comes out; routing never changes the ticket, and the triggers never see
//! routing.
//!
//! ```
//! use declic::model::{Event, QueueTaken};
//! use declic::routing::{Agents, Router};
//!
//! let rules = declic::check(&[declic::Source::new("queues.declic", r#"
//! queue "Agent-ended sessions as email" {
//!   priority 10
//!   when all {
//!     Canal is Messagerie
//!     Canal de routage is E-mail
//!   }
//!   groups {
//!     primary 1
//!   }
//! }
//! "#)]).into_result().expect("the rules check");
//! let router = Router::new(&rules)?;
//! let event = Event::from_json(r#"{"ticket": {"status": "open", "via": {"id": 75},
//!     "routing_channel": "email"}}"#).expect("valid");
//! let mut agents = Agents::from_json("agents.json".as_ref(), r#"{"agents": [
//!     {"id": 7, "group_ids": [1], "channels": {"email": {"status": "online", "capacity": 3}}}
//! ]}"#).expect("valid");
//! let decision = router.route(&event, &event.ticket, Some(&mut agents));
//! assert!(matches!(decision.queue, Some(QueueTaken::Custom { priority: 10, .. })));
//! assert_eq!(decision.agent.map(|p| p.agent_id), Some(7));
//! assert_eq!(agents.agents[0].channels[&declic::model::WorkChannel::Email].load, 1);
//! # Ok::<(), declic::engine::CompileError>(())
//! ```
//!
//! # Decisions where Zendesk is silent
//!
//! - **Routing runs** in `run`, `explain` and scenarios when the rule set has queues, when
//!   agents are given, or when the event's account has `routing` settings; otherwise the
//!   outcome has no `routing` and is what it always was.
//! - **Eligibility** is judged in this order: an ended session still routed as messaging
//!   (it leaves every queue, assigned or not), then the status, then the assignee.
//! - **Subqueues**: the ticket's id picks the share (`id % 100` against the running total
//!   of percentages), so one ticket always lands in the same subqueue; a ticket without id
//!   counts as 0.
//! - **Skills** a ticket requires are its `skills` key (a list of names).
//! - **Ties** left after the method and the longest wait go to the agent listed first.
//! - **Offered work counts** against the agent's capacity from the offer on.

mod agents;
mod assign;
mod decide;
mod users;

#[cfg(test)]
mod tests;

pub use agents::{Agent, Agents, AgentsError, Channel, Status, MAX_CAPACITY};
pub use decide::work_channel;
pub use users::DEFAULT_CAPACITY;

use std::sync::Arc;

use serde::Serialize;

use crate::check::queue::Queue;
use crate::check::RuleSet;
use crate::engine::{CompileError, Conditions, Node};
use crate::model::{Decision, Event, Outcome, Ticket};

/// The routing queues of a rule set, compiled: `Send + Sync`, used for any number of
/// tickets.
#[derive(Debug)]
pub struct Router {
    queues: Vec<Compiled>,
}

#[derive(Debug)]
struct Compiled {
    queue: Queue,
    conditions: Conditions,
}

// Shared across threads like the engine.
const _: fn() = || {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Router>();
};

/// What routing made of each custom queue it tried, and what it decided.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// Each custom queue tried, in order, until one took the ticket; empty when the
    /// ticket is not eligible.
    pub queues: Vec<Tried>,
    /// The decision, as [`Router::route`] gives it.
    pub decision: Decision,
}

/// One custom queue tried.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tried {
    /// The queue's name.
    pub queue: String,
    /// Whether its conditions held, so that it took the ticket.
    pub matched: bool,
    /// Its conditions as evaluated.
    pub conditions: Node,
}

impl Router {
    /// Compiles the queues of `rules`, in their order.
    pub fn new(rules: &RuleSet) -> Result<Router, CompileError> {
        let queues = rules
            .queues
            .iter()
            .map(|q| {
                Ok(Compiled {
                    conditions: Conditions::new(&q.name, &q.conditions, &q.origin, q.title_span)?,
                    queue: q.clone(),
                })
            })
            .collect::<Result<_, CompileError>>()?;
        Ok(Router { queues })
    }

    /// Whether the rule set has no custom queue.
    pub fn is_empty(&self) -> bool {
        self.queues.is_empty()
    }

    /// Routes `ticket`, the ticket after the triggers ran on `update`: whether a queue
    /// takes it and which, and with `agents`, the agent who gets it, whose load is then
    /// counted. A simulator calls it on each update with the agents' current load.
    pub fn route(
        &self,
        update: &Event,
        ticket: &Arc<Ticket>,
        agents: Option<&mut Agents>,
    ) -> Decision {
        decide::decide(&self.queues, update, ticket, agents, None)
    }

    /// Whether routing runs for `event`: when the rule set has queues, agents are known,
    /// or the event's account has routing settings.
    pub fn runs_for(&self, event: &Event, agents_known: bool) -> bool {
        !self.is_empty() || agents_known || event.account.routing.is_some()
    }

    /// Routes the ticket of `outcome`, the outcome of the triggers on `event`, when routing
    /// runs for it, against a copy of `agents`: each event is judged against the agents as
    /// given (a simulation that carries load over calls [`Router::route`] instead).
    pub fn route_outcome(&self, event: &Event, outcome: &mut Outcome, agents: Option<&Agents>) {
        if self.runs_for(event, agents.is_some()) {
            let mut agents = agents.cloned();
            outcome.routing = Some(self.route(event, &outcome.ticket, agents.as_mut()));
        }
    }

    /// [`Router::route`], with each custom queue tried and its conditions as evaluated.
    pub fn explain(
        &self,
        update: &Event,
        ticket: &Arc<Ticket>,
        agents: Option<&mut Agents>,
    ) -> Explanation {
        let mut queues = Vec::new();
        let decision = decide::decide(&self.queues, update, ticket, agents, Some(&mut queues));
        Explanation { queues, decision }
    }
}
