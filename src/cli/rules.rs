//! Loading the rule set a command runs: checked, compiled, and its problems on stderr so
//! that stdout carries only the command's own output.

use std::path::Path;

use declic::account::Account;
use declic::engine::Compiled;
use declic::{Diagnostic, RuleSet};

use super::output;
use super::Exit;

/// The compiled rule set at `path`, for the account whose metadata is in the folder
/// `account` if given, or the exit code after its diagnostics were shown. Warnings are
/// shown and do not stop the command.
pub fn compile(path: &Path, account: Option<&Path>, json: bool) -> Result<Compiled, Exit> {
    let account = super::interop::load_account(account).map_err(|d| {
        show(&[*d], json);
        Exit::Usage
    })?;
    let rules = checked_with(path, account.as_ref(), json)?;
    // A checked rule set always compiles; the error path guards hand-built ones.
    let engine = Compiled::with_account(&rules, account.as_ref()).map_err(|e| {
        eprintln!("error: {e}");
        Exit::Problems
    })?;
    show(engine.warnings(), json);
    Ok(engine)
}

/// The checked rule set at `path`, or the exit code after its diagnostics were shown.
pub fn checked(path: &Path, json: bool) -> Result<RuleSet, Exit> {
    checked_with(path, None, json)
}

/// [`checked`] for rules that may name the account's fields, groups and webhooks.
fn checked_with(path: &Path, account: Option<&Account>, json: bool) -> Result<RuleSet, Exit> {
    let checked = declic::check_path_with(path, account);
    let unreadable = checked.diagnostics.iter().any(|d| d.code.is_unreadable());
    show(&checked.diagnostics, json);
    checked.into_result().map_err(|_| {
        if unreadable {
            Exit::Usage
        } else {
            Exit::Problems
        }
    })
}

/// Diagnostics on stderr: one JSON object a line, or text.
pub fn show(diagnostics: &[Diagnostic], json: bool) {
    if diagnostics.is_empty() {
        return;
    }
    if json {
        for d in diagnostics {
            eprintln!("{}", declic::diagnostics::render::json(d));
        }
    } else {
        eprintln!("{}", output::text(diagnostics, output::stderr_style()));
    }
}
