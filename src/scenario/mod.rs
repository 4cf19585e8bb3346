//! Scenarios: tests of a rule set that an admin writes in TOML, without Rust.
//!
//! A scenario file (`*.scenarios.toml`) holds scenarios. Each starts from a ticket (the
//! model's ticket JSON, written as TOML tables) and goes through steps, each one update in
//! an admin's words (`created`, `changed`, `message sent`, `end user inactive`, `agent ends
//! session`...). After a step, `expect` names what must hold: the triggers that fired, in
//! order; triggers that must not fire; fields of the resulting ticket; effects that must be
//! emitted (`effects`), must not be (`no_effects`), or are all of them in order
//! (`effects_exactly`). Only what is named is checked.
//!
//! ```
//! use declic::engine::Compiled;
//! use declic::scenario::{run, ScenarioFile};
//! use declic::Source;
//!
//! let rules = declic::check(&[Source::new("vip.declic", r#"
//! trigger "VIP" {
//!   when all {
//!     Tags includes vip
//!   }
//!   then {
//!     Priority = Urgent
//!   }
//! }
//! "#)]).into_result().expect("the rules check");
//! let file = Source::new("vip.scenarios.toml", r#"
//! [[scenario]]
//! name = "a VIP ticket is urgent"
//! ticket = { status = "open" }
//!
//! [[scenario.step]]
//! event = "changed"
//! add_tags = ["vip"]
//! expect.fired = ["VIP"]
//! expect.ticket = { priority = "urgent" }
//! "#);
//! let file = ScenarioFile::parse(&file).expect("the scenarios read");
//! assert!(file.check_triggers(&rules).is_empty());
//! let engine = Compiled::new(&rules).expect("compiles");
//! assert_eq!(run(&file.scenarios[0], &file.source, &engine), None, "it passes");
//! ```
//!
//! The rule set a file runs against is named by its `rules` key, a path relative to the
//! file; without it, the folder the file is in. [`suite::run_paths`] does all of it for
//! files and folders, as `declic test` does.

mod diff;
mod event;
mod expect;
pub(crate) mod file;
pub mod report;
mod run;
mod shape;
mod step;
pub mod suite;
pub(crate) mod ticket;
pub(crate) mod tree;

pub use diff::{Colour, Mismatch};
pub use expect::{EffectCheck, Expect, FieldCheck, Named};
pub use file::{Scenario, ScenarioFile, DEFAULT_START};
pub use run::{run, run_routed, Failure};
pub use step::{Changes, Kind, Step, EVENTS};

use crate::diagnostics::Diagnostic;

/// A scenario file that cannot be used: every mistake in it, the first shown as the main
/// one and the rest as related.
#[derive(Debug, Clone, thiserror::Error)]
#[error("the scenario file has {} error(s)", self.diagnostics.len())]
pub struct ScenarioError {
    /// Every mistake, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl ScenarioError {
    pub(crate) fn new(mut diagnostics: Vec<Diagnostic>) -> ScenarioError {
        diagnostics.sort_by_key(|d| d.labels.first().map_or(0, |l| l.span.start));
        ScenarioError { diagnostics }
    }
}

impl miette::Diagnostic for ScenarioError {
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        crate::diagnostics::as_related(&self.diagnostics)
    }
}
