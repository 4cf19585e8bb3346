//! `declic diff`: what a change to a rule set does to real traffic.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use declic::diff::{Differ, EventDiff, Options, Report, Tally, Version};
use declic::engine::Compiled;
use declic::Diagnostic;
use rayon::prelude::*;

use super::events::{self, Input, Line, Lines, Problem};
use super::{interop, output, rules, Exit};

const EXAMPLES: &str = "\
Examples:
  declic diff git:main:rules rules sample.ndjson      the working copy against main
  declic diff old/ new/ events/ --format markdown     a pull-request comment
  declic diff git:origin/main:rules rules sample.ndjson --fail-on-change \\
      --expect-change \"Urgent when VIP\"              fail CI on any other change

OLD and NEW are rule sets: a rule file, a directory, or git:REV:PATH for PATH as the
revision REV of the current git repository holds it (read with the `git` command). Each
EVENT is a .json file, a .ndjson or .jsonl stream, - (stdin), or a directory of them, as
`declic run` takes them. Every event runs through both rule sets on all cores; the report
gives each trigger's firings before and after (triggers matched by Zendesk id, else by
title), and the events that end differently, grouped by kind, with examples. Events that
cannot be read are counted and shown.

Exit codes:
  0  the diff ran (with --fail-on-change: nothing differs beyond --expect-change)
  1  with --fail-on-change, something differs; or a rule set has errors, or some event
     could not be read
  2  bad arguments, a file that cannot be read, a git revision that cannot be read";

/// Replay events through two versions of a rule set and report what differs.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The rule set before the change: a file, a directory, or git:REV:PATH.
    old: String,
    /// The rule set after the change: a file, a directory, or git:REV:PATH.
    new: String,
    /// Event files (.json), event streams (.ndjson, .jsonl, - for stdin), or directories.
    #[arg(required = true, value_name = "EVENT")]
    events: Vec<PathBuf>,
    /// How to print the report.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
    /// Examples shown of each kind of difference.
    #[arg(long, value_name = "N", default_value_t = declic::diff::DEFAULT_SHOW)]
    show: usize,
    /// Exit 1 when anything differs (for CI).
    #[arg(long)]
    fail_on_change: bool,
    /// A trigger allowed to change, by title or `#id` (repeatable); implies
    /// --fail-on-change for every other trigger.
    #[arg(long, value_name = "TRIGGER")]
    expect_change: Vec<String>,
    /// Worker threads [default: one per core].
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Folder of the account's API exports (ticket_fields.json, groups.json...), for
    /// both rule sets.
    #[arg(long, value_name = "DIR")]
    account: Option<PathBuf>,
}

/// How `diff` prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A summary for people.
    Text,
    /// The whole report as one JSON document.
    Json,
    /// Markdown for a pull-request comment or a CI job summary.
    Markdown,
}

/// Events read and compared at a time, as `run` does.
const CHUNK: usize = 4096;

/// Runs the command.
pub fn run(args: Args) -> Exit {
    let json = args.format == DiffFormat::Json;
    let account = match interop::load_account(args.account.as_deref()) {
        Ok(account) => account,
        Err(d) => {
            rules::show(&[*d], json);
            return Exit::Usage;
        }
    };
    let old = compile(&args.old, account.as_ref(), json);
    let new = compile(&args.new, account.as_ref(), json);
    let (old, new) = match (old, new) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    let (inputs, pool) = match events::inputs_and_pool(&args.events, args.threads) {
        Ok(found) => found,
        Err(exit) => return exit,
    };
    let differ = Differ::new(&old, &new);
    let mut replay = Replay {
        differ: &differ,
        tally: Tally::new(&differ, &Options { show: args.show }),
        pool: &pool,
        exit: Exit::Ok,
    };
    for input in &inputs {
        match input {
            Input::Documents(paths) => replay.documents(paths),
            Input::Lines(path) => replay.stream(path.as_deref()),
        }
    }
    let (report, mut exit) = (replay.tally.finish(), replay.exit);
    output::emit(&print(&report, args.format));
    for name in report.unknown(&args.expect_change) {
        eprintln!("warning: --expect-change `{name}` names no trigger of either rule set");
    }
    if args.fail_on_change || !args.expect_change.is_empty() {
        let unexpected = report.unexpected(&args.expect_change);
        if !unexpected.is_empty() {
            eprintln!(
                "error: the outcome changes beyond what was expected: {}",
                unexpected.join(", ")
            );
            exit = exit.max(Exit::Problems);
        }
    }
    exit
}

fn print(report: &Report, format: DiffFormat) -> String {
    match format {
        DiffFormat::Text => report.to_text(),
        DiffFormat::Markdown => report.to_markdown(),
        // A report is plain data with string keys: serialising it cannot fail.
        DiffFormat::Json => serde_json::to_string_pretty(report).unwrap_or_default() + "\n",
    }
}

/// The compiled rule set `spec` names, or the exit code once its problems were shown.
fn compile(
    spec: &str,
    account: Option<&declic::account::Account>,
    json: bool,
) -> Result<Compiled, Exit> {
    let fail = |e: declic::diff::DiffError| {
        let d = miette::Report::new(e);
        eprintln!("{d:?}");
        Exit::Usage
    };
    let loaded = Version::parse(spec).and_then(|v| v.load()).map_err(fail)?;
    let unreadable = loaded.diagnostics.iter().any(|d| d.code.is_unreadable());
    let mut checked = declic::check::check_with(&loaded.sources, account);
    checked.diagnostics.splice(0..0, loaded.diagnostics);
    // Only what stops the rule set from running: its warnings are `check`'s to give.
    let errors: Vec<Diagnostic> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    rules::show(&errors, json);
    let rules = checked.into_result().map_err(|_| {
        eprintln!("error: the rule set `{spec}` has errors");
        if unreadable {
            Exit::Usage
        } else {
            Exit::Problems
        }
    })?;
    Compiled::with_account(&rules, account).map_err(|e| {
        eprintln!("error: {e}");
        Exit::Problems
    })
}

/// Compares events on the pool and tallies them in input order.
struct Replay<'a> {
    differ: &'a Differ<'a>,
    tally: Tally,
    pool: &'a rayon::ThreadPool,
    exit: Exit,
}

/// One event compared, or why it could not be.
type Compared = (String, Result<EventDiff, Problem>);

impl Replay<'_> {
    fn documents(&mut self, paths: &[PathBuf]) {
        let progress = paths.len() > CHUNK && io::stderr().is_terminal();
        let mut done = 0;
        for batch in paths.chunks(CHUNK) {
            let differ = self.differ;
            let compared: Vec<Compared> = self.pool.install(|| {
                batch
                    .par_iter()
                    .map(|path| {
                        let name = path.display().to_string();
                        let event = events::read_document(path)
                            .and_then(|text| events::parse(&text, &name, None));
                        (name, event.map(|e| differ.compare(&e)))
                    })
                    .collect()
            });
            self.tally_all(compared);
            done += batch.len();
            if progress {
                eprint!("\r{done} of {} event files", paths.len());
            }
        }
        if progress {
            eprintln!();
        }
    }

    fn stream(&mut self, path: Option<&Path>) {
        let mut lines = match Lines::open(path) {
            Ok(lines) => lines,
            Err(problem) => return self.tally_all(vec![(problem.file.clone(), Err(problem))]),
        };
        let name = lines.name().to_owned();
        let progress = io::stderr().is_terminal();
        let mut seen = 0;
        let mut next = lines.chunk(CHUNK);
        loop {
            let chunk = match next {
                Ok(chunk) if chunk.is_empty() => break,
                Ok(chunk) => chunk,
                Err(problem) => {
                    self.tally_all(vec![(name.clone(), Err(problem))]);
                    break;
                }
            };
            seen += chunk.len();
            // While a chunk runs on the pool, this thread reads the next one.
            let differ = self.differ;
            let mut compared = Vec::new();
            let following = self.pool.in_place_scope(|s| {
                s.spawn(|_| compared = compare_lines(differ, chunk, &name));
                lines.chunk(CHUNK)
            });
            self.tally_all(compared);
            if progress {
                eprint!("\r{name}: {seen} events");
            }
            next = following;
        }
        if progress && seen > 0 {
            eprintln!();
        }
    }

    fn tally_all(&mut self, compared: Vec<Compared>) {
        for (name, result) in compared {
            match result {
                Ok(diff) => self.tally.add(&name, diff),
                Err(problem) => {
                    let exit = if problem.is_unreadable() {
                        eprintln!("{}", problem.text());
                        Exit::Usage
                    } else {
                        Exit::Problems
                    };
                    self.exit = self.exit.max(exit);
                    let message = match &problem.path {
                        Some(path) => format!("{} (at `{path}`)", problem.message),
                        None => problem.message.clone(),
                    };
                    self.tally.unreadable(&name, problem.code, &message);
                }
            }
        }
    }
}

fn compare_lines(differ: &Differ<'_>, chunk: Vec<Line>, name: &str) -> Vec<Compared> {
    chunk
        .into_par_iter()
        .map(|line| {
            let at = format!("{name}:{}", line.number);
            let event = line
                .text
                .and_then(|text| events::parse(&text, name, Some(line.number)));
            (at, event.map(|e| differ.compare(&e)))
        })
        .collect()
}
