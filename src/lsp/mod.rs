//! The language server: `declic lsp` speaks the Language Server Protocol over stdio, so
//! editors show the checker's diagnostics as one types, complete names from the catalog,
//! format, and outline the triggers.
//!
//! The loop is synchronous and owns its state, as rust-analyzer's `lsp-server` crate is
//! meant to be used: messages come in on a channel; requests are answered at once from
//! the open texts; edits only mark their rule set as changed, and a rule set is checked
//! again once no message is waiting, so a burst of keystrokes costs one check.
//! Every handler runs under `catch_unwind`: a bug answers one request with an error and
//! the server goes on.

mod complete;
mod diagnostics;
mod hover;
mod outline;
mod ruleset;
mod scenarios;
mod server;
pub mod text;
mod transport;
pub mod uri;

pub use server::{run, serve_stdio, Settings};
