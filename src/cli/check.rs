//! `declic check`: reports every problem of one or more rule sets.

use std::path::PathBuf;

use clap::ValueEnum;
use declic::diagnostics::render;
use declic::{Code, Severity};
use serde_json::json;

use super::output::{self, Format};
use super::Exit;

const EXAMPLES: &str = "\
Examples:
  declic check recipes/                 check every .declic file below recipes/ as one rule set
  declic check a.declic --format json   machine-readable diagnostics
  declic check rules/ --deny warnings   fail on warnings too (for CI)

Each PATH is one rule set: a file, or a directory of .declic files ordered by path.

Exit codes:
  0  no error (and no warning with --deny warnings)
  1  errors found, or warnings with --deny warnings
  2  bad arguments, or a path that cannot be read";

/// Check rule files and report every problem.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Rule files or directories.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// How to show diagnostics.
    #[arg(long, value_enum, default_value_t = Format::Auto)]
    format: Format,
    /// Treat warnings as errors for the exit code.
    #[arg(long, value_enum, value_name = "LEVEL")]
    deny: Option<Deny>,
    /// Folder of the account's API exports (ticket_fields.json, groups.json...), so rules
    /// may name custom fields, groups and webhooks by title.
    #[arg(long, value_name = "DIR")]
    account: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Deny {
    /// Fail when there is any warning.
    Warnings,
}

/// Runs the command.
pub fn run(args: Args) -> Exit {
    let account = match super::interop::load_account(args.account.as_deref()) {
        Ok(account) => account,
        Err(d) => {
            println!("{}", output::text(&[*d], args.format.style()));
            return Exit::Usage;
        }
    };
    let mut diagnostics = Vec::new();
    let (mut files, mut triggers) = (0, 0);
    for path in &args.paths {
        let checked = declic::check_path_with(path, account.as_ref());
        files += checked.files;
        triggers += checked.triggers;
        diagnostics.extend(checked.diagnostics);
    }
    let count = |s: Severity| diagnostics.iter().filter(|d| d.severity == s).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
    match args.format {
        Format::Json => {
            let report = json!({
                "diagnostics": diagnostics.iter().map(render::json).collect::<Vec<_>>(),
                "summary": { "files": files, "triggers": triggers, "errors": errors, "warnings": warnings },
            });
            println!("{report:#}");
        }
        format => {
            let text = output::text(&diagnostics, format.style());
            if !text.is_empty() {
                println!("{text}");
            }
            println!(
                "checked {files} file{}, {triggers} trigger{}: {errors} error{}, {warnings} warning{}",
                plural(files),
                plural(triggers),
                plural(errors),
                plural(warnings)
            );
        }
    }
    if diagnostics.iter().any(|d| d.code == Code::Unreadable) {
        Exit::Usage
    } else if errors > 0 || (warnings > 0 && args.deny == Some(Deny::Warnings)) {
        Exit::Problems
    } else {
        Exit::Ok
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
