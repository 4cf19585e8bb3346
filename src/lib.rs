//! declic checks, runs, tests and converts Zendesk-style ticket triggers written as text,
//! in English or French.
//!
//! Rules go one way through the crate: text is parsed into a syntax tree ([`syntax`]), the
//! tree is checked against the catalog of fields, values and actions ([`catalog`],
//! [`check`]) into a [`RuleSet`], and every problem on the way is a [`Diagnostic`].
//!
//! ```
//! use declic::{Severity, Source};
//!
//! let rules = Source::new("csat.declic", r#"
//! trigger "CSAT at the end of a messaging session" {
//!   when all {
//!     Canal is Messagerie
//!     Satisfaction is Unoffered
//!     any {
//!       Status category changed to Solved
//!       Raison de fin de session changed to Ended by agent
//!     }
//!   }
//!   then {
//!     send CSAT by email
//!   }
//! }
//! "#);
//! let checked = declic::check(&[rules]);
//! assert_eq!(checked.count(Severity::Error), 0);
//! let rules = checked.into_result().expect("the rules check");
//! assert_eq!(rules.triggers[0].title, "CSAT at the end of a messaging session");
//! ```
#![warn(missing_docs)]

pub mod catalog;
pub mod check;
pub mod diagnostics;
pub mod format;
pub mod load;
pub mod model;
pub mod syntax;

pub use check::{check, CheckError, Checked, RuleSet};
pub use diagnostics::{Code, Diagnostic, Severity, Source};

/// Loads and checks the rule set at `path` (a file, or a directory of `.declic` files):
/// files that cannot be read are reported among the diagnostics, before the others.
pub fn check_path(path: &std::path::Path) -> Checked {
    let loaded = load::load(path);
    let mut checked = check(&loaded.sources);
    checked.diagnostics.splice(0..0, loaded.diagnostics);
    checked
}
pub mod engine;
