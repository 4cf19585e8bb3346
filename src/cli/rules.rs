//! Loading the rule set a command runs: checked, compiled, and its problems on stderr so
//! that stdout carries only the command's own output.

use std::path::Path;

use declic::account::Account;
use declic::engine::Compiled;
use declic::routing::{Agents, Router};
use declic::{Diagnostic, RuleSet, Severity};

use super::output;
use super::Exit;

/// The compiled rule set at `path` and its routing queues (for the step after the
/// triggers), for the account whose metadata is in the folder
/// `account` if given, or the exit code after its diagnostics were shown. Warnings are
/// shown and do not stop the command; with `strict`, a Zendesk condition or action kept as
/// written is an error.
pub fn compile_routed(
    path: &Path,
    account: Option<&Path>,
    json: bool,
    strict: bool,
) -> Result<(Compiled, Router), Exit> {
    let account = super::interop::load_account(account).map_err(|d| {
        show(&[*d], json);
        Exit::Usage
    })?;
    let rules = checked_with(path, account.as_ref(), json, strict)?;
    // A checked rule set always compiles; the error path guards hand-built ones.
    let engine = Compiled::with_account(&rules, account.as_ref()).map_err(|e| {
        eprintln!("error: {e}");
        Exit::Problems
    })?;
    show(engine.warnings(), json);
    let router = Router::new(&rules).map_err(|e| {
        eprintln!("error: {e}");
        Exit::Problems
    })?;
    Ok((engine, router))
}

/// [`compile_routed`], and the agents routing hands work to ([`agents`]): what `run` and
/// `explain` work with.
pub fn compile_for_routing(
    path: &Path,
    account: Option<&Path>,
    agents: Option<&Path>,
    json: bool,
    strict: bool,
) -> Result<(Compiled, Router, Option<Agents>), Exit> {
    let (engine, router) = compile_routed(path, account, json, strict)?;
    Ok((engine, router, self::agents(agents, account)?))
}

/// The agents routing hands work to: the file `agents` if given, else the account
/// folder's `agents.json` if it has one; `None` without either.
fn agents(agents: Option<&Path>, account: Option<&Path>) -> Result<Option<Agents>, Exit> {
    let in_account = account.map(|dir| dir.join("agents.json"));
    let path = match (agents, &in_account) {
        (Some(path), _) => path,
        (None, Some(path)) if path.is_file() => path,
        _ => return Ok(None),
    };
    Agents::load(path).map(Some).map_err(|e| {
        eprintln!("error: {e}");
        Exit::Usage
    })
}

/// The checked rule set at `path`, or the exit code after its diagnostics were shown: its
/// errors and warnings as `check` shows them, then `check`'s one-line summary. Advice
/// (what `check` alone needs to say) is counted in the summary, not shown.
pub fn checked(path: &Path, json: bool, strict: bool) -> Result<RuleSet, Exit> {
    checked_with(path, None, json, strict)
}

/// [`checked`] for rules that may name the account's fields, groups and webhooks.
fn checked_with(
    path: &Path,
    account: Option<&Account>,
    json: bool,
    strict: bool,
) -> Result<RuleSet, Exit> {
    let mut checked = declic::check_path_with(path, account);
    if strict {
        checked = checked.strict();
    }
    let unreadable = checked.diagnostics.iter().any(|d| d.code.is_unreadable());
    let (advice, shown): (Vec<Diagnostic>, Vec<Diagnostic>) = checked
        .diagnostics
        .iter()
        .cloned()
        .partition(|d| d.severity == Severity::Advice);
    show(&shown, json);
    if !json && (!shown.is_empty() || !advice.is_empty()) {
        eprintln!("{}", summary(&checked, &advice));
    }
    checked.into_result().map_err(|_| {
        if unreadable {
            Exit::Usage
        } else {
            Exit::Problems
        }
    })
}

/// `check`'s summary of the rule set, with the Zendesk lines that will not run: those
/// the outcome reports.
fn summary(checked: &declic::Checked, advice: &[Diagnostic]) -> String {
    let line = super::check::summary(
        checked.files,
        super::check::Written::of(checked),
        checked.count(Severity::Error),
        checked.count(Severity::Warning),
    );
    let kept = advice
        .iter()
        .filter(|d| d.code == declic::Code::Passthrough)
        .count();
    match kept {
        0 => line,
        n => format!(
            "{line}; {n} Zendesk line{} kept as written will not run (`declic check` shows \
             them, the outcome lists them, --strict refuses them)",
            if n == 1 { "" } else { "s" }
        ),
    }
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
