//! declic checks, runs, tests and converts Zendesk-style ticket triggers written as text,
//! in English or French.
//!
//! Rules go one way through the crate: text is parsed into a syntax tree ([`syntax`]), the
//! tree is checked against the catalog of fields, values and actions ([`catalog`],
//! [`mod@check`]) into a [`RuleSet`], and every problem on the way is a [`Diagnostic`].
//! [`interop`] converts Zendesk's API JSON to rules and back. After the triggers,
//! [`routing`] decides where omnichannel routing sends the ticket: its queue, its channel
//! and its agent.
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

// The grammar's generated parser names `alloc` when pest is built without `std`.
extern crate alloc;

pub mod account;
pub mod catalog;
pub mod check;
pub mod diagnostics;
pub mod diff;
pub mod engine;
pub mod format;
pub mod graph;
pub mod interop;
pub mod lint;
pub mod load;
#[cfg(feature = "lsp")]
pub mod lsp;
pub mod model;
pub mod routing;
pub mod scenario;
#[cfg(feature = "serve")]
pub mod serve;
pub mod simulate;
pub mod syntax;

pub use check::{check, CheckError, Checked, RuleSet};
pub use diagnostics::{Code, Diagnostic, Severity, Source};

/// Loads, checks and lints the rule set at `path` (a file, or a directory of `.declic`
/// files), with the lint settings of its `declic.toml`: files that cannot be read are
/// reported first, then the checker's diagnostics, then the settings' and the lints'.
pub fn check_path(path: &std::path::Path) -> Checked {
    check_path_with(path, None)
}

/// [`check_path`] for rules that may name `account`'s fields, groups and webhooks by
/// title; the account's ids also let the lints check references.
pub fn check_path_with(path: &std::path::Path, account: Option<&account::Account>) -> Checked {
    check_loaded(path, load::load(path), account)
}

/// [`check_path_with`] for files already read: an editor's unsaved texts stand in for
/// some files of the rule set at `path`, which still gives the `declic.toml` settings.
pub fn check_loaded(
    path: &std::path::Path,
    loaded: load::Loaded,
    account: Option<&account::Account>,
) -> Checked {
    let checked = check::check_with(&loaded.sources, account);
    lint_checked(path, loaded.diagnostics, checked, account, None)
}

/// [`check_loaded`] again after an edit: `cache` and `lints` keep the work on each
/// trigger that did not change since the last check (see [`check::Cache`] and
/// [`lint::Cache`]). The result is the same.
pub fn check_loaded_again(
    path: &std::path::Path,
    loaded: load::Loaded,
    account: Option<&account::Account>,
    cache: &mut check::Cache,
    lints: &mut lint::Cache,
) -> Checked {
    let checked = cache.check(&loaded.sources, account);
    lint_checked(path, loaded.diagnostics, checked, account, Some(lints))
}

/// The files' diagnostics before the checker's, then the lints when nothing is an error.
fn lint_checked(
    path: &std::path::Path,
    unread: Vec<Diagnostic>,
    mut checked: Checked,
    account: Option<&account::Account>,
    lints: Option<&mut lint::Cache>,
) -> Checked {
    checked.diagnostics.splice(0..0, unread);
    // Lints judge rules that mean something: with errors, fixing those comes first, and
    // the triggers left out would make findings between triggers wrong.
    if !checked.diagnostics.iter().any(Diagnostic::is_error) {
        let (config, mut problems) = lint::Config::load(path);
        problems.extend(match lints {
            Some(cache) => cache.lint(&checked.rules, &config, account),
            None => {
                let known = account.map(lint::Known::from).unwrap_or_default();
                lint::lint(&checked.rules, &config, &known)
            }
        });
        checked.diagnostics.extend(problems);
    }
    checked
}
