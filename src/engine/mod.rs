//! The engine: a checked [`RuleSet`] compiled once into a [`Compiled`] rule set, then run
//! on any number of update events, from any number of threads.
//!
//! ```
//! use declic::engine::Compiled;
//! use declic::model::{Event, Priority};
//!
//! let rules = declic::check(&[declic::Source::new("vip.declic", r#"
//! trigger "VIP" {
//!   when all {
//!     Tags includes vip
//!     Ticket is Created
//!   }
//!   then {
//!     Priority = Urgent
//!   }
//! }
//! "#)]).into_result().expect("the rules check");
//! let engine = Compiled::new(&rules)?;
//! let event = Event::from_json(r#"{"ticket": {"id": 1, "tags": ["vip"]}}"#).expect("valid");
//! let outcome = engine.run(&event);
//! assert_eq!(outcome.ticket.priority, Some(Priority::Urgent));
//! assert_eq!(&*outcome.fired[0].trigger, "VIP");
//! # Ok::<(), declic::engine::CompileError>(())
//! ```
//!
//! [`Compiled::run`] prepares each event as a [`Snapshot`] (what triggers read and change
//! of the tickets, in one small struct), runs the [`Cycle`] on it, and writes the changes
//! onto a copy of the event's ticket. A service that keeps its events as snapshots, or
//! needs only what fired and changed, calls [`Compiled::cycle`] and the outcome's ticket
//! is written only when it asks for it ([`Cycle::into_outcome`]).
//!
//! # Decisions where Zendesk is silent
//!
//! - **The cycle** makes full passes from the top, skipping triggers that already fired,
//!   until a pass fires nothing, or [`DEFAULT_PASS_LIMIT`] passes (reported as a
//!   `pass_limit_reached` effect and a `pass_limit` warning).
//! - **Delta operators on a create**: with no ticket before the update, a field *changed*
//!   when it has a value (it went from nothing to it); `changed from` never holds.
//! - **Closed tickets**: no trigger runs when the ticket before the update was Closed.
//! - **Messaging triggers** run only when the update carries a conversation event that is
//!   one of theirs (none listed: any), never once the session ended (including ended
//!   earlier in the same cycle), and with `once per ticket` only if the ticket's
//!   [`ONCE_MARKER`] extra key does not list them yet (the engine adds them when they
//!   fire). Ticket triggers run on every update, conversation event or not.
//! - **Session state from time**: see [`session_state`]; the derived state (and its
//!   inactive reason) is written into the working ticket before triggers run.
//! - **Agent-ended session** (`update.session = ended_by_agent`): the session ends by
//!   agent, the assignee's messaging capacity is released, and the routing channel becomes
//!   Email first when the account says so; a session that ended in the update and still
//!   routes as messaging at the end is reported `removed_from_queue`.
//! - **A new end-user message after the end** runs nothing and reports `new_session`.
//! - **Text** (subject, comment): `is` and `contains` find the string anywhere, `includes`
//!   finds one of the words (a quoted phrase is one word) on word boundaries; case is
//!   ignored. Comment text is the update's comment only.
//! - **No value**: `""`, `__NULL__`, `null` and a missing key are one value for `is`,
//!   `is not` and the delta operators (a custom field's `[]` too), as Zendesk's "-".
//! - **Drop-down tags** (with [`Compiled::with_account`]): a tag action that adds several
//!   options of one drop-down selects the last one listed, and drops the others' tags; a
//!   field set to its current value still gets its option's tag. Without the account, a
//!   field set by an action keeps the JSON kind the ticket shows (a list stays a list of
//!   the words set); one the ticket does not list is stored as the text written.
//! - **Send CSAT** needs a messaging ticket whose session has not ended; **Send CSAT by
//!   email** needs the requester's email. A delivered survey offers satisfaction on an
//!   unrated ticket; a rated ticket keeps its rating.
//! - **Unknown parts** (DOMAIN 3b): a trigger with a Zendesk condition kept as written
//!   (`zendesk r#"..."#`) is not evaluated, and never fires; a Zendesk action kept as
//!   written is not applied, and the trigger's other actions are. Later triggers run as
//!   usual. The outcome's `unsupported` lists each, with the trigger and why.
//! - **Placeholders** are rendered after the cycle against the final ticket; see
//!   [`PLACEHOLDERS`]. Unknown ones are left as written.
//! - **The ticket's clock** moves when the update is saved, after the cycle, at the
//!   update's time: `updated_at` always (`created_at` on a create without one), the
//!   metric set's requester or assignee time by who acted (an end user without an id is
//!   the requester), `assigned_at` when the ticket ends the cycle assigned to someone new,
//!   and the entry time of the status it ends the cycle in when that changed. An update
//!   without a time, or skipped, moves nothing.
//! - **Automations** run only in [`Compiled::run_automations`], never in a cycle: see
//!   there for the hourly run, the closed ticket and Zendesk's limit of automation
//!   updates.

mod apply;
mod automation;
mod clock;
mod compile;
mod conditions;
mod cycle;
mod eval;
mod explain;
mod facts;
mod field_tags;
mod footprint;
mod index;
mod messaging;
mod reads;
mod render;
mod snapshot;
mod text;
mod trace;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_automation;
#[cfg(test)]
mod tests_clock;
#[cfg(test)]
mod tests_semantics;

pub use automation::{automation_count, AUTOMATION_COUNT, VIA_RULE};
pub use compile::{CompileError, MAX_DEPTH};
pub use conditions::Conditions;
pub use cycle::Cycle;
pub use explain::{Blocked, Explanation, Looked, Node, NodeKind, Pass, Verdict};
pub use field_tags::FieldTags;
pub use messaging::{session_state, ONCE_MARKER};
pub use render::{render, PLACEHOLDERS};
pub use snapshot::Snapshot;

use crate::account::Account;
use crate::check::rules::Unresolved;
use crate::check::RuleSet;
use crate::diagnostics::Diagnostic;
use crate::model::{Changes, Event, EventError, Outcome, Reading, Unsupported};

/// The most passes a cycle makes. Each trigger fires at most once, so a rule set of fewer
/// triggers always settles before it.
pub const DEFAULT_PASS_LIMIT: u32 = 100;

/// A compiled rule set: immutable, `Send + Sync`, cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct Compiled {
    triggers: Vec<compile::Trigger>,
    /// The active automations, in run order: only [`Compiled::run_automations`] runs
    /// them, never a trigger cycle.
    automations: Vec<compile::Trigger>,
    /// Looks up the triggers an update may fire; `None` evaluates them all.
    index: Option<index::Index>,
    pass_limit: u32,
    /// The custom fields tied to tags.
    links: FieldTags,
    /// What the rule set cannot do as Zendesk would, said once rather than per event.
    warnings: Vec<Diagnostic>,
    /// The conditions of `triggers` declic cannot evaluate, which every cycle reports.
    not_evaluated: Vec<Unsupported>,
    /// What a cycle reads of an event, which is all [`Compiled::changes`] reads.
    reads: Reading,
}

// The engine is shared across threads: keep it so.
const _: fn() = || {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Compiled>();
};

impl Compiled {
    /// Compiles the active triggers of `rules`, in order. A rule set from
    /// [`crate::check()`] always compiles, Zendesk conditions and actions kept as written
    /// included (they do not run; see "Unknown parts" above); the errors guard rule sets
    /// built by hand.
    pub fn new(rules: &RuleSet) -> Result<Compiled, CompileError> {
        Compiled::with_account(rules, None)
    }

    /// Compiles `rules` for the account whose metadata `account` holds: its drop-down,
    /// multi-select and checkbox fields are tied to their tags both ways (see
    /// [`FieldTags`]). Without it, a rule set that sets custom fields, or changes tags and
    /// tests custom fields, has a warning in [`Compiled::warnings`].
    ///
    /// ```
    /// use declic::account::Account;
    /// use declic::engine::Compiled;
    /// use declic::model::{Event, Priority};
    ///
    /// // The account's `GET /api/v2/ticket_fields` answer, as `Account::load` reads it.
    /// let mut account = Account::default();
    /// account.add_fields(std::path::Path::new("ticket_fields.json"), r#"{"ticket_fields": [
    ///     {"id": 5, "type": "tagger", "title": "Tier", "removable": true,
    ///      "custom_field_options": [{"name": "Paying", "value": "paying"}]}]}"#)?;
    /// let rules = declic::check(&[declic::Source::new("tier.declic", r#"
    /// trigger "New customers pay" {
    ///   when all {
    ///     Ticket is Created
    ///   }
    ///   then {
    ///     custom_fields_5 = paying
    ///   }
    /// }
    ///
    /// trigger "Paying customers first" {
    ///   when all {
    ///     Tags includes paying
    ///   }
    ///   then {
    ///     Priority = High
    ///   }
    /// }
    /// "#)]).into_result().expect("the rules check");
    /// let engine = Compiled::with_account(&rules, Some(&account)).expect("compiles");
    /// assert!(engine.warnings().is_empty());
    /// // Setting the drop-down added its option's tag, which the second trigger reads.
    /// let outcome = engine.run(&Event::from_json(r#"{"ticket": {}}"#).expect("valid"));
    /// assert!(outcome.ticket.has_tag("paying"));
    /// assert_eq!(outcome.ticket.priority, Some(Priority::High));
    /// // Without the account, the link is not made, and the rule set says so once.
    /// assert_eq!(Compiled::new(&rules).expect("compiles").warnings().len(), 1);
    /// # Ok::<(), declic::account::AccountError>(())
    /// ```
    pub fn with_account(
        rules: &RuleSet,
        account: Option<&Account>,
    ) -> Result<Compiled, CompileError> {
        let triggers = compile::compile_rules(rules)?;
        let automations = compile::compile_active(&rules.automations)?;
        let index = (triggers.len() >= index::MIN_TRIGGERS).then(|| index::Index::new(&triggers));
        let links = account.map(FieldTags::new).unwrap_or_default();
        let warnings = field_tags::unlinked_warning(&triggers, &links)
            .into_iter()
            .collect();
        let not_evaluated = triggers
            .iter()
            .flat_map(|t| t.not_evaluated.iter().cloned())
            .collect();
        let reads = reads::reading(&triggers);
        Ok(Compiled {
            reads,
            triggers,
            automations,
            index,
            pass_limit: DEFAULT_PASS_LIMIT,
            links,
            warnings,
            not_evaluated,
        })
    }

    /// What the rule set cannot do as Zendesk would, found when it was compiled: shown
    /// once, beside the checker's diagnostics, where each outcome's own warnings are about
    /// its event.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// The same rule set with trigger indexing on or off (by default, on from 32
    /// triggers). Outcomes are the same either way; only the time differs.
    pub fn indexed(mut self, on: bool) -> Compiled {
        self.index = on.then(|| index::Index::new(&self.triggers));
        self
    }

    /// The same rule set with another pass limit (at least 1).
    pub fn with_pass_limit(mut self, limit: u32) -> Compiled {
        self.pass_limit = limit.max(1);
        self
    }

    /// The titles of the triggers that run, in order (inactive ones are left out).
    pub fn titles(&self) -> impl Iterator<Item = &str> {
        self.triggers.iter().map(|t| &*t.title)
    }

    /// The triggers that run, in order, each as its title and its Zendesk id when it has
    /// one: what tells apart the triggers of two versions of a rule set.
    pub fn trigger_names(&self) -> impl Iterator<Item = (&str, Option<i64>)> {
        self.triggers.iter().map(|t| (&*t.title, t.zendesk_id))
    }

    /// The titles of the automations that run each hour, in order (inactive ones are
    /// left out); see [`Compiled::run_automations`].
    pub fn automation_titles(&self) -> impl Iterator<Item = &str> {
        self.automations.iter().map(|t| &*t.title)
    }

    /// Runs the trigger cycle for one update.
    pub fn run(&self, event: &Event) -> Outcome {
        self.cycle(&Snapshot::borrowing(event)).into_outcome()
    }

    /// Reads one update event from JSON text and runs the trigger cycle, up to what
    /// fired, what each trigger changed and the effects: [`Compiled::run`] for a caller
    /// that has the ticket already. What only the ticket after the cycle would carry back,
    /// the keys of the event's objects that declic does not know and that no placeholder
    /// of these rules reads, is skipped rather than read.
    ///
    /// ```
    /// use declic::engine::Compiled;
    ///
    /// let rules = declic::check(&[declic::Source::new("vip.declic", r#"
    /// trigger "VIP first" {
    ///   when all {
    ///     Tags includes vip
    ///   }
    ///   then {
    ///     Priority = Urgent
    ///   }
    /// }
    /// "#)]).into_result().expect("the rules check");
    /// let engine = Compiled::new(&rules).expect("compiles");
    /// let event = r#"{"ticket": {"tags": ["vip"], "url": "https://x.zendesk.com/api/v2/tickets/1.json"}}"#;
    /// let changes = engine.changes(event)?;
    /// assert_eq!(changes.fired[0].changes[0].field, "priority");
    /// # Ok::<(), declic::model::EventError>(())
    /// ```
    pub fn changes(&self, event_json: &str) -> Result<Changes, EventError> {
        Ok(self.changes_of(&self.read_event(event_json)?))
    }

    /// Reads of an event what a cycle of these rules reads, for [`Compiled::changes_of`]:
    /// the first half of [`Compiled::changes`], for a caller that looks at the event in
    /// between. Its ticket lacks what the rules never read, so it is not one to write
    /// back, nor to give [`Compiled::run`].
    pub fn read_event(&self, event_json: &str) -> Result<Event, EventError> {
        Event::read(event_json, self.reads)
    }

    /// Runs the trigger cycle for one update, up to what fired, what each trigger changed
    /// and the effects: [`Compiled::run`] without the ticket after the cycle.
    pub fn changes_of(&self, event: &Event) -> Changes {
        self.cycle(&Snapshot::borrowing(event)).into_changes()
    }

    /// Runs the trigger cycle for one update prepared beforehand, up to what fired and
    /// changed: the ticket after it is written only if [`Cycle::into_outcome`] is called.
    pub fn cycle<'a>(&'a self, snapshot: &'a Snapshot<'_>) -> Cycle<'a> {
        cycle::run(self, self.index.as_ref(), snapshot, &mut cycle::Quiet)
    }

    /// The place among [`Compiled::titles`] of the trigger `name` names: its title, or
    /// its Zendesk id written `#123` (see [`crate::check::rules::find`]).
    pub fn find(&self, name: &str) -> Result<usize, Unresolved> {
        let triggers = self.triggers.iter().map(|t| (&*t.title, t.zendesk_id));
        crate::check::rules::find(name, triggers)
    }

    /// Runs the cycle for one update and records why each trigger fired or not, pass by
    /// pass; `only` keeps the entries of the trigger it names, by title or by `#id`.
    /// `None` when `only` names no trigger that runs, or a title several share.
    pub fn explain(&self, event: &Event, only: Option<&str>) -> Option<Explanation> {
        let only = match only {
            Some(name) => Some(self.find(name).ok()?),
            None => None,
        };
        let mut recorder = explain::Recorder::new(&self.triggers, only);
        // Without the index, so that every trigger a pass reaches is explained.
        let snapshot = Snapshot::borrowing(event);
        let cycle = cycle::run(self, None, &snapshot, &mut recorder);
        Some(Explanation {
            passes: recorder.passes,
            outcome: cycle.into_outcome(),
        })
    }
}
