//! `declic import zendesk`: the Zendesk API's JSON for triggers and automations as declic
//! files.

use std::path::{Path, PathBuf};

use declic::catalog::Lang;
use declic::interop::import::Imported;
use declic::interop::text::{self, OutputFile, Style};
use declic::interop::zendesk_json::RuleKind;
use declic::interop::{write_atomic, InteropError};
use declic::{Code, Diagnostic, Severity};

use super::interop::{fail, load_account, Shared};
use super::output;
use super::Exit;

const EXAMPLES: &str = "\
Examples:
  declic import zendesk triggers.json                    print the triggers as declic text
  declic import zendesk page1.json page2.json -o rules/  one file per category in rules/
  declic import zendesk triggers.json --lang fr --single -o rules/
  declic import zendesk triggers.json --account account/ -o rules/   titles instead of ids

FILE is what the Zendesk API returns: GET /api/v2/triggers (a page with next_page and
count), GET /api/v2/triggers/{id}, GET /api/v2/automations, or a bare array of rules;
or GET /api/v2/queues (routing queues, written to queues.declic).
Conditions and actions the catalog lacks are kept verbatim (`zendesk r#\"{...}\"#`) and
reported as warnings. Existing files are never replaced without --force.

Exit codes:
  0  every rule imported (warnings aside)
  1  some rules or files could not be imported; the others were
  2  bad arguments, an unreadable file, an output file that exists";

/// Import rules from another system.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    from: From,
}

#[derive(Debug, clap::Subcommand)]
enum From {
    /// Zendesk triggers and automations, as the API returns them.
    Zendesk(ZendeskArgs),
}

#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
struct ZendeskArgs {
    /// JSON files from the Zendesk API, read in order.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Folder to write the .declic files into (created if needed); standard output if
    /// not given.
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Language of keywords and names.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    lang: LangArg,
    /// Write one file, not one per category.
    #[arg(long)]
    single: bool,
    #[command(flatten)]
    shared: Shared,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LangArg {
    /// English.
    En,
    /// French.
    Fr,
}

/// Runs the command.
pub fn run(args: Args) -> Exit {
    let From::Zendesk(args) = args.from;
    let shared = &args.shared;
    let account = match load_account(shared.account.as_deref()) {
        Ok(account) => account,
        Err(d) => return fail(&[*d], shared.format, Exit::Usage),
    };
    let mut imported = Imported::default();
    let mut usage = false;
    let style = Style {
        lang: match args.lang {
            LangArg::En => Lang::En,
            LangArg::Fr => Lang::Fr,
        },
        account: account.as_ref(),
    };
    let mut queues = Vec::new();
    let mut queue_count = 0;
    for file in &args.files {
        // Routing queues (`GET /api/v2/queues`) have an import of their own.
        if let Some(read) = super::interop::queues(file, style) {
            match read {
                Ok(q) => {
                    imported.diagnostics.extend(q.diagnostics);
                    queue_count += q.count;
                    queues.push(q.text);
                }
                Err(e) => imported.diagnostics.push(e.to_diagnostic()),
            }
            continue;
        }
        if let Err(e) = imported.add_file(file) {
            usage |= e.code().is_unreadable();
            imported.diagnostics.push(e.to_diagnostic());
        }
    }
    imported.warn_shared_titles();
    let mut files = text::files(&imported.rules, style, args.single);
    if !queues.is_empty() {
        files.push(OutputFile {
            name: "queues.declic".to_owned(),
            text: format!(
                "# Zendesk routing queues, imported by `declic import zendesk`; \
                 `declic export zendesk --queues` writes them back.\n\n{}",
                queues.join("\n")
            ),
        });
    }
    let written = match &args.output {
        None => {
            let texts: Vec<&str> = files.iter().map(|f| f.text.as_str()).collect();
            output::emit(&texts.join("\n"));
            Ok(())
        }
        Some(dir) => write_all(dir, &files, shared.force),
    };
    let written = match written {
        Ok(()) => Written::All,
        Err(errors) => {
            usage = true;
            // Existing files stop the import before anything is written.
            let stopped = errors.iter().all(|d| d.code == Code::FileExists);
            imported.diagnostics.extend(errors);
            if stopped {
                Written::Nothing
            } else {
                Written::Some
            }
        }
    };
    output::to_stderr(&imported.diagnostics, shared.format);
    eprintln!(
        "{}",
        summary(
            &imported,
            queue_count,
            &files,
            args.output.as_deref(),
            written
        )
    );
    let errors = imported.diagnostics.iter().any(Diagnostic::is_error);
    match (usage, errors) {
        (true, _) => Exit::Usage,
        (false, true) => Exit::Problems,
        (false, false) => Exit::Ok,
    }
}

/// Writes every file, or none: an existing file stops the import before anything is
/// written, unless `force`.
fn write_all(dir: &Path, files: &[OutputFile], force: bool) -> Result<(), Vec<Diagnostic>> {
    let targets: Vec<PathBuf> = files.iter().map(|f| dir.join(&f.name)).collect();
    if !force {
        let existing: Vec<Diagnostic> = targets
            .iter()
            .filter(|p| p.exists())
            .map(|p| exists(p).to_diagnostic())
            .collect();
        if !existing.is_empty() {
            return Err(existing);
        }
    }
    if let Err(e) = std::fs::create_dir_all(dir) {
        let e = InteropError::Unwritable {
            path: dir.display().to_string(),
            reason: e.to_string(),
        };
        return Err(vec![e.to_diagnostic()]);
    }
    let errors: Vec<Diagnostic> = files
        .iter()
        .zip(&targets)
        .filter_map(|(f, path)| write_atomic(path, &f.text, force).err())
        .map(|e| e.to_diagnostic())
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn exists(path: &Path) -> InteropError {
    InteropError::Exists {
        path: path.display().to_string(),
    }
}

/// How much of the import reached the output folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Written {
    All,
    /// Some files could not be written.
    Some,
    /// The import stopped before writing (an output file exists).
    Nothing,
}

/// The line that ends an import: what was read (the queues when there are any) and
/// where it went.
fn summary(
    imported: &Imported,
    queues: usize,
    files: &[OutputFile],
    dir: Option<&Path>,
    written: Written,
) -> String {
    let count = |kind| imported.rules.iter().filter(|r| r.kind == kind).count();
    let (triggers, automations) = (count(RuleKind::Trigger), count(RuleKind::Automation));
    let severity = |s| {
        imported
            .diagnostics
            .iter()
            .filter(|d| d.severity == s)
            .count()
    };
    let (triggers, automations) = (
        format!("{triggers} trigger{}", plural(triggers)),
        format!("{automations} automation{}", plural(automations)),
    );
    let rules = match queues {
        0 => format!("{triggers} and {automations}"),
        n => format!("{triggers}, {automations} and {n} queue{}", plural(n)),
    };
    let done = match (dir, written) {
        (None, _) => format!("imported {rules}"),
        (Some(dir), Written::All) => format!(
            "imported {rules} into {} file{} in {}",
            files.len(),
            plural(files.len()),
            dir.display()
        ),
        (Some(dir), Written::Nothing) => {
            format!(
                "imported nothing: {rules} read, no file written in {}",
                dir.display()
            )
        }
        (Some(dir), Written::Some) => format!(
            "{rules} read, but not every file could be written in {}",
            dir.display()
        ),
    };
    format!(
        "{done}: {} error(s), {} warning(s)",
        severity(Severity::Error),
        severity(Severity::Warning),
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
