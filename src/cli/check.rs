//! `declic check`: reports every problem of one or more rule sets.

use std::path::PathBuf;

use clap::ValueEnum;
use declic::diagnostics::{github, junit, render, sarif};
use declic::{Diagnostic, Severity};
use serde_json::json;

use super::output::{self, Format};
use super::summary::count;
use super::Exit;

const EXAMPLES: &str = "\
Examples:
  declic check recipes/                 check every .declic file below recipes/ as one rule set
  declic check a.declic --format json   machine-readable diagnostics
  declic check rules/ --deny warnings   fail on warnings too (for CI)
  declic check rules/ --format sarif > declic.sarif    for code scanning
  declic check rules/ --format github   annotations on a GitHub Actions run
  declic check rules/ --format junit > declic.xml      for CI test reports

Each PATH is one rule set: a file, or a directory of .declic files ordered by path.
Lints run once a rule set has no error; a declic.toml beside the rules sets their
levels ([lints] name = \"off\" | \"warning\" | \"error\") and may name the account
folder (account = \"../account\") used when --account is not given; a comment
`# declic-allow: name` on or above a trigger allows one there.

Exit codes:
  0  no error (and no warning with --deny warnings)
  1  errors found, or warnings with --deny warnings
  2  bad arguments, or a path that cannot be read";

/// Check rule files and report every problem, lints included.
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

/// What checking every path found.
struct Report {
    /// Each rule set as named on the command line, with its diagnostics.
    sets: Vec<(String, Vec<Diagnostic>)>,
    files: usize,
    rules: Written,
}

/// How many rules of each kind a check read, with or without errors.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    /// Triggers.
    pub triggers: usize,
    /// Automations.
    pub automations: usize,
    /// Routing queues.
    pub queues: usize,
}

impl Written {
    /// The counts of a checked rule set.
    pub fn of(checked: &declic::Checked) -> Written {
        Written {
            triggers: checked.triggers,
            automations: checked.automations,
            queues: checked.queues,
        }
    }

    fn add(&mut self, other: Written) {
        self.triggers += other.triggers;
        self.automations += other.automations;
        self.queues += other.queues;
    }
}

impl Report {
    fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.sets.iter().flat_map(|(_, d)| d)
    }

    fn count(&self, severity: Severity) -> usize {
        self.diagnostics()
            .filter(|d| d.severity == severity)
            .count()
    }

    fn summary(&self) -> String {
        let (errors, warnings) = (self.count(Severity::Error), self.count(Severity::Warning));
        summary(self.files, self.rules, errors, warnings)
    }
}

/// The line that ends a check: `checked 2 files, 9 triggers: 0 errors, 1 warning`, with
/// the automations and queues after the triggers when there are any
/// (`checked 9 files, 40 triggers, 2 automations, 1 queue: ...`).
pub fn summary(files: usize, rules: Written, errors: usize, warnings: usize) -> String {
    let mut read = vec![count(files, "file"), count(rules.triggers, "trigger")];
    for (n, what) in [(rules.automations, "automation"), (rules.queues, "queue")] {
        if n > 0 {
            read.push(count(n, what));
        }
    }
    format!(
        "checked {}: {}, {}",
        read.join(", "),
        count(errors, "error"),
        count(warnings, "warning")
    )
}

/// Runs the command.
pub fn run(args: Args) -> Exit {
    let account = match super::interop::load_account(args.account.as_deref()) {
        Ok(account) => account,
        Err(d) => {
            output::emit(&format!("{}\n", output::text(&[*d], args.format.style())));
            return Exit::Usage;
        }
    };
    let mut report = Report {
        sets: Vec::new(),
        files: 0,
        rules: Written::default(),
    };
    for path in &args.paths {
        // Without `--account`, the account folder the rule set's `declic.toml` names.
        let own = match account {
            Some(_) => None,
            None => match settings_account(path) {
                Ok(own) => own,
                Err(d) => {
                    output::emit(&format!("{}\n", output::text(&[*d], args.format.style())));
                    return Exit::Usage;
                }
            },
        };
        let mut checked = declic::check_path_with(path, account.as_ref().or(own.as_ref()));
        report.files += checked.files;
        report.rules.add(Written::of(&checked));
        let diagnostics = std::mem::take(&mut checked.diagnostics);
        // Only the report is needed, and the process ends after it: freeing a large rule
        // set one allocation at a time would only keep the user waiting.
        std::mem::forget(checked);
        report.sets.push((path.display().to_string(), diagnostics));
    }
    let deny = args.deny == Some(Deny::Warnings);
    output::emit(&render(&report, args.format, deny));
    let (errors, warnings) = (
        report.count(Severity::Error),
        report.count(Severity::Warning),
    );
    if report.diagnostics().any(|d| d.code.is_unreadable()) {
        Exit::Usage
    } else if errors > 0 || (warnings > 0 && deny) {
        Exit::Problems
    } else {
        Exit::Ok
    }
}

/// The account that the `declic.toml` of the rule set at `path` names, if any.
fn settings_account(
    path: &std::path::Path,
) -> Result<Option<declic::account::Account>, Box<Diagnostic>> {
    let (config, _) = declic::lint::Config::load(path);
    super::interop::load_account(config.account())
}

/// The whole output in `format`, ending with a newline.
fn render(report: &Report, format: Format, deny: bool) -> String {
    let all: Vec<Diagnostic> = report.diagnostics().cloned().collect();
    match format {
        Format::Json => {
            let doc = json!({
                "diagnostics": all.iter().map(render::json).collect::<Vec<_>>(),
                "summary": {
                    "files": report.files,
                    "triggers": report.rules.triggers,
                    "automations": report.rules.automations,
                    "queues": report.rules.queues,
                    "errors": report.count(Severity::Error),
                    "warnings": report.count(Severity::Warning),
                },
            });
            format!("{doc:#}\n")
        }
        Format::Sarif => format!("{:#}\n", sarif::sarif(&all)),
        Format::Junit => {
            let suites: Vec<junit::Suite<'_>> = report
                .sets
                .iter()
                .map(|(name, diagnostics)| junit::Suite { name, diagnostics })
                .collect();
            junit::junit(&suites, deny)
        }
        Format::Github => {
            let mut out: String = all.iter().map(|d| github::annotation(d) + "\n").collect();
            out.push_str(&report.summary());
            out.push('\n');
            out
        }
        Format::Auto | Format::Human | Format::Plain => {
            let text = output::text(&all, format.style());
            let gap = if text.is_empty() { "" } else { "\n" };
            format!("{text}{gap}{}\n", report.summary())
        }
    }
}
