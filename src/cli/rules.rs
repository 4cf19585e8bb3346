//! Loading the rule set a command runs: checked, compiled, and its problems on stderr so
//! that stdout carries only the command's own output.

use std::path::Path;

use declic::engine::Compiled;
use declic::{Diagnostic, RuleSet};

use super::output;
use super::Exit;

/// The compiled rule set at `path`, or the exit code after its diagnostics were shown.
/// Warnings are shown and do not stop the command.
pub fn compile(path: &Path, json: bool) -> Result<Compiled, Exit> {
    let rules = checked(path, json)?;
    // A checked rule set always compiles; the error path guards hand-built ones.
    Compiled::new(&rules).map_err(|e| {
        eprintln!("error: {e}");
        Exit::Problems
    })
}

/// The checked rule set at `path`, or the exit code after its diagnostics were shown.
pub fn checked(path: &Path, json: bool) -> Result<RuleSet, Exit> {
    let checked = declic::check_path(path);
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
