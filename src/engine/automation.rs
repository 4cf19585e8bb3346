//! The hourly automation run over one ticket (DOMAIN.md section 6b).
//!
//! Every automation is checked in order against the ticket as changed so far, at the
//! run's time. One that holds applies its actions, and that update, via rule
//! ([`VIA_RULE`]) at the run's time, runs the ticket triggers like any other update: the
//! trigger cycle sees the automation's changes as the update's own ("Status changed to
//! Closed" holds when an automation closed the ticket), and the ticket's clock moves
//! (`updated_at` becomes the run's time). The next automation sees the ticket after that
//! cycle. Each automation is checked once per run.
//!
//! **Decisions** where Zendesk is silent: a closed ticket runs nothing, and an automation
//! that closes the ticket ends the run (later automations would update a closed ticket).
//! Each automation update counts toward Zendesk's [`AUTOMATION_UPDATE_LIMIT`] per ticket;
//! the count travels with the ticket in its [`AUTOMATION_COUNT`] key, and an automation
//! that holds past the limit is not applied and a warning (`automation_update_limit`)
//! says so. An automation with a Zendesk condition declic keeps as written never holds.

use std::sync::Arc;

use serde_json::Value;

use super::apply::{self, Out};
use super::compile::Trigger;
use super::eval;
use super::explain::{Blocked, Looked, Verdict};
use super::render::render_effects;
use super::snapshot::Snapshot;
use super::trace;
use super::Compiled;
use crate::model::{
    Account, AutomationRun, AutomationUpdate, Event, SkipReason, Skipped, Status, Ticket,
    Timestamp, Update, UpdateKind, Warning, AUTOMATION_UPDATE_LIMIT,
};

/// The ticket key holding how many automation updates the ticket has had, which the run
/// keeps (as [`super::ONCE_MARKER`] keeps the once-per-ticket triggers that fired).
pub const AUTOMATION_COUNT: &str = "declic_automation_updates";

/// Zendesk's `via_id` of an update made by a business rule (a trigger or an automation).
pub const VIA_RULE: u32 = 8;

/// The count of automation updates `ticket` has had.
pub fn automation_count(ticket: &Ticket) -> u32 {
    ticket.extra.read(AUTOMATION_COUNT).unwrap_or(0)
}

impl Compiled {
    /// Runs the automations once over `ticket`, as Zendesk's hourly run does at `now`,
    /// for the account `account` (whose schedule the business-hours conditions count
    /// against). The ticket is shared, not copied, unless an automation holds.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use declic::engine::Compiled;
    /// use declic::model::{Account, Status, Ticket};
    ///
    /// let rules = declic::check(&[declic::Source::new("close.declic", r#"
    /// automation "Close solved tickets after 4 days" {
    ///   when all {
    ///     Status is Solved
    ///     Hours since solved > 96
    ///   }
    ///   then {
    ///     Status = Closed
    ///   }
    /// }
    ///
    /// trigger "Say goodbye" {
    ///   when all {
    ///     Status changed to Closed
    ///   }
    ///   then {
    ///     internal note "Closed after four days without news."
    ///   }
    /// }
    /// "#)]).into_result().expect("the rules check");
    /// let engine = Compiled::new(&rules)?;
    /// let ticket: Ticket = serde_json::from_str(r#"{"id": 1, "status": "solved",
    ///     "status_entered_at": {"solved": "2024-05-01T09:00:00Z"}}"#).expect("valid");
    /// let ticket = Arc::new(ticket);
    /// let account = Account::default();
    ///
    /// // 96 hours after: not yet.
    /// let run = engine.run_automations(&ticket, &account, "2024-05-05T09:30:00Z".parse()?);
    /// assert!(run.updates.is_empty() && Arc::ptr_eq(&run.ticket, &ticket));
    /// // 97 hours after: closed, and the trigger fired on the automation's update.
    /// let run = engine.run_automations(&ticket, &account, "2024-05-05T10:30:00Z".parse()?);
    /// assert_eq!(run.ticket.status, Status::Closed);
    /// assert_eq!(&*run.updates[0].automation, "Close solved tickets after 4 days");
    /// assert_eq!(&*run.updates[0].triggers.fired[0].trigger, "Say goodbye");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn run_automations(
        &self,
        ticket: &Arc<Ticket>,
        account: &Account,
        now: Timestamp,
    ) -> AutomationRun {
        let mut run = AutomationRun {
            ticket: Arc::clone(ticket),
            updates: Vec::new(),
            warnings: Vec::new(),
            skipped: None,
        };
        if ticket.status == Status::Closed {
            run.skipped = Some(Skipped {
                reason: SkipReason::TicketClosed,
                message: "the ticket is closed; automations do not run on closed tickets"
                    .to_owned(),
            });
            return run;
        }
        if self.automations.is_empty() {
            return run;
        }
        let mut event = rule_update(ticket, account, now);
        // Read when an automation first holds: most runs apply none.
        let mut count = None;
        let mut from = 0;
        // One snapshot of the ticket until an automation changes it.
        while event.ticket.status != Status::Closed {
            let (update, warnings) = {
                let cx = Snapshot::borrowing(&event);
                let Some(i) = self.next_holding(from, &cx) else {
                    break;
                };
                from = i + 1;
                let a = &self.automations[i];
                let count = count.get_or_insert_with(|| automation_count(ticket));
                if *count >= AUTOMATION_UPDATE_LIMIT {
                    run.warnings.push(limit_warning(&a.title));
                    continue;
                }
                *count += 1;
                self.apply_automation(a, &cx, *count)
            };
            event.ticket = Arc::clone(&update.triggers.ticket);
            run.warnings.extend(warnings);
            run.updates.push(update);
        }
        run.ticket = event.ticket;
        run
    }

    /// What each automation makes of `ticket` at `now`, in order, without applying any:
    /// whether it holds ([`Verdict::Fired`] when it does), with its condition tree as
    /// evaluated, each time condition showing the hours it counted.
    pub fn explain_automations(
        &self,
        ticket: &Arc<Ticket>,
        account: &Account,
        now: Timestamp,
    ) -> Vec<Looked> {
        let event = rule_update(ticket, account, now);
        let cx = Snapshot::borrowing(&event);
        self.automations
            .iter()
            .map(|a| {
                let (verdict, conditions) = if a.unevaluable() {
                    (Verdict::Blocked(Blocked::UnsupportedCondition), None)
                } else {
                    let tree = trace::tree(a, &cx.ticket, &cx);
                    let verdict = match tree.holds {
                        true => Verdict::Fired,
                        false => Verdict::NotMatched,
                    };
                    (verdict, Some(tree))
                };
                Looked {
                    trigger: a.title.to_string(),
                    id: a.zendesk_id,
                    verdict,
                    conditions,
                }
            })
            .collect()
    }

    /// The first automation from position `from` on that holds on the snapshot's ticket.
    fn next_holding(&self, from: usize, cx: &Snapshot<'_>) -> Option<usize> {
        let rest = self.automations.get(from..)?;
        let i = rest
            .iter()
            .position(|a| !a.unevaluable() && eval::holds(&a.cond, &cx.ticket, cx))?;
        Some(from + i)
    }

    /// Applies automation `a`, which holds on the snapshot's ticket, as the `count`th
    /// automation update of the ticket, and runs the triggers on that update.
    fn apply_automation(
        &self,
        a: &Trigger,
        cx: &Snapshot<'_>,
        count: u32,
    ) -> (AutomationUpdate, Vec<Warning>) {
        let mut ticket = cx.ticket.borrowed();
        let mut effects = Vec::new();
        let mut ended_session = false;
        let mut out = Out {
            trigger: &a.title,
            changes: Vec::new(),
            effects: &mut effects,
            ended_session: &mut ended_session,
            links: &self.links,
        };
        for act in &a.actions {
            apply::apply(act, &mut ticket, cx, &mut out);
        }
        let changes = out.changes;
        let mut after = ticket.into_ticket();
        after.extra.set(AUTOMATION_COUNT, &Value::from(count));
        let before = cx.event;
        let update = Event {
            ticket: Arc::new(after),
            previous: Some(Arc::clone(&before.ticket)),
            update: before.update.clone(),
            account: before.account.clone(),
        };
        let triggers = self.run(&update);
        let warnings = render_effects(&mut effects, (&triggers.ticket, &update), Some(&self.links));
        let update = AutomationUpdate {
            automation: Arc::clone(&a.title),
            id: a.zendesk_id,
            changes,
            effects,
            triggers,
        };
        (update, warnings)
    }
}

/// An update of `ticket` by an automation at `now`, before its actions apply: what
/// automations are evaluated on.
fn rule_update(ticket: &Arc<Ticket>, account: &Account, now: Timestamp) -> Event {
    Event {
        ticket: Arc::clone(ticket),
        previous: None,
        update: Update {
            kind: Some(UpdateKind::Change),
            via_id: Some(VIA_RULE),
            time: Some(now),
            ..Update::default()
        },
        account: account.clone(),
    }
}

/// The warning for automation `title`, which held on a ticket past the limit.
fn limit_warning(title: &str) -> Warning {
    Warning {
        code: "automation_update_limit".to_owned(),
        message: format!(
            "automation `{title}` holds but was not applied: the ticket already had \
             {AUTOMATION_UPDATE_LIMIT} automation updates, Zendesk's limit"
        ),
    }
}
