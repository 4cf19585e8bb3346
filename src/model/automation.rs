//! The outcome of one hourly automation run over one ticket (DOMAIN.md section 6b).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::outcome::{Change, Effect, Outcome, Skipped, Warning};
use super::ticket::Ticket;

/// Zendesk's limit on the automation updates one ticket may receive in its life; past it,
/// an automation that holds is not applied.
pub const AUTOMATION_UPDATE_LIMIT: u32 = 100;

/// What one hourly run of the automations did to one ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AutomationRun {
    /// The ticket after the run: the input's own, shared, when nothing held.
    pub ticket: Arc<Ticket>,
    /// The update of each automation that held and was applied, in run order.
    #[serde(default)]
    pub updates: Vec<AutomationUpdate>,
    /// Things worth knowing that did not stop the run: an automation refused at Zendesk's
    /// limit of automation updates (code `automation_update_limit`), a placeholder that
    /// could not be rendered.
    #[serde(default)]
    pub warnings: Vec<Warning>,
    /// Why no automation ran at all: the ticket is closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<Skipped>,
}

/// One automation's update of the ticket: its own changes and effects, then the trigger
/// cycle that update ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AutomationUpdate {
    /// The automation's title.
    pub automation: Arc<str>,
    /// The automation's Zendesk id, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// The ticket fields its actions changed, in action order.
    #[serde(default)]
    pub changes: Vec<Change>,
    /// What its actions emit (notifications, webhooks, ...), texts rendered against the
    /// ticket after the update.
    #[serde(default)]
    pub effects: Vec<Effect>,
    /// The trigger cycle the update ran (via rule, at the run's time): what fired and
    /// changed, its effects, and the ticket after this update.
    pub triggers: Outcome,
}
