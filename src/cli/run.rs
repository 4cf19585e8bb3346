//! `declic run`: the outcome of update events under a rule set.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::ValueEnum;
use declic::engine::Compiled;
use declic::model::{Changes, Event, Outcome};
use declic::routing::{Agents, Router};
use rayon::prelude::*;

use super::events::{self, Input, Line, Lines, Problem};
use super::{output, rules, summary, Exit};

const EXAMPLES: &str = "\
Examples:
  declic run recipes/fr events/agent-ends-session.json   one event, its outcome as JSON
  declic run recipes/fr events/ --format text            every sample event, summarised
  declic run recipes/fr updates.ndjson > outcomes.ndjson   one outcome a line, in input order
  cat updates.ndjson | declic run recipes/fr -             events from stdin
  declic run recipes/fr events/ --output changes           what changed, without the ticket

RULES is a rule file or a directory of them. Each EVENT is a .json file holding one
event, a .ndjson or .jsonl file or - (stdin) holding one event a line, or a directory of
such files. JSON output has one line per event, in input order; an event that cannot be
read has {\"error\": {...}} in its place and is reported on stderr, and the others still run.
A trigger with a Zendesk condition declic cannot evaluate is not evaluated, and a Zendesk
action it cannot apply is not applied; the outcome's `unsupported` lists both.

Exit codes:
  0  every event ran
  1  the rules have errors (with --strict, Zendesk lines declic cannot run count as
     errors), or some event could not be read (the others still ran)
  2  bad arguments, or a file that cannot be read";

/// Run update events through a rule set and print what Zendesk would do.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The rule set: a rule file or a directory.
    rules: PathBuf,
    /// Event files (.json), event streams (.ndjson, .jsonl, - for stdin), or directories.
    #[arg(required = true, value_name = "EVENT")]
    events: Vec<PathBuf>,
    /// How to print outcomes.
    #[arg(long, value_enum, default_value_t = RunFormat::Json)]
    format: RunFormat,
    /// Indent JSON outcomes (one outcome then spans several lines).
    #[arg(long)]
    pretty: bool,
    /// What each JSON outcome holds: the whole outcome, with the ticket after the
    /// triggers, or only what changed (the triggers that fired with their changes, the
    /// effects, the warnings), which reads of each event only what the rules look at.
    #[arg(long, value_enum, default_value_t = RunOutput::Outcome)]
    output: RunOutput,
    /// Worker threads [default: one per core].
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Folder of the account's API exports (ticket_fields.json, groups.json...): rules may
    /// name fields and groups by title, and drop-downs are tied to their tags.
    #[arg(long, value_name = "DIR")]
    account: Option<PathBuf>,
    /// Refuse rules holding Zendesk conditions or actions declic cannot run
    /// (`zendesk r#"..."#`), instead of running the rest and listing them in the outcome.
    #[arg(long)]
    strict: bool,
    /// The agents routing may hand tickets to (default: `agents.json` in the --account
    /// folder); each event is routed against them as the file gives them.
    #[arg(long, value_name = "FILE")]
    agents: Option<PathBuf>,
}

/// How `run` prints outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunFormat {
    /// The outcome as JSON, one per line.
    Json,
    /// A summary for people.
    Text,
}

/// What a JSON outcome of `run` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RunOutput {
    /// The whole outcome, with the ticket after the triggers.
    Outcome,
    /// What changed, without the ticket.
    Changes,
}

/// Events a stream chunk holds: enough to keep every core busy, few enough that memory
/// stays small whatever the stream's size.
const CHUNK: usize = 4096;

/// Runs the command.
pub fn run(args: Args) -> Exit {
    let json = args.format == RunFormat::Json;
    let account = args.account.as_deref();
    let (engine, router, agents) = match rules::compile_for_routing(
        &args.rules,
        account,
        args.agents.as_deref(),
        json,
        args.strict,
    ) {
        Ok(compiled) => compiled,
        Err(exit) => return exit,
    };
    let (inputs, pool) = match events::inputs_and_pool(&args.events, args.threads) {
        Ok(found) => found,
        Err(exit) => return exit,
    };
    let mut runner = Runner {
        job: Job {
            engine: &engine,
            router: &router,
            agents: agents.as_ref(),
            format: args.format,
            pretty: args.pretty,
            changes_only: args.output == RunOutput::Changes && args.format == RunFormat::Json,
        },
        pool: &pool,
        output: Output {
            out: io::BufWriter::new(io::stdout().lock()),
            exit: Exit::Ok,
        },
    };
    for input in &inputs {
        let done = match input {
            Input::Documents(paths) => runner.documents(paths),
            Input::Lines(path) => runner.stream(path.as_deref()),
        };
        if let Err(e) = done {
            output::write_failed(&e);
        }
    }
    if let Err(e) = runner.output.out.flush() {
        output::write_failed(&e);
    }
    runner.output.exit
}

/// What running one event needs; shared by the worker threads.
struct Job<'a> {
    engine: &'a Compiled,
    router: &'a Router,
    agents: Option<&'a Agents>,
    format: RunFormat,
    pretty: bool,
    /// Whether JSON outcomes hold only what changed.
    changes_only: bool,
}

/// Runs the jobs on the pool and prints their output in input order.
struct Runner<'a, W: Write> {
    job: Job<'a>,
    pool: &'a rayon::ThreadPool,
    output: Output<W>,
}

/// Where outcomes go (stdout), problems (stderr), and the exit code they add up to.
struct Output<W: Write> {
    out: W,
    exit: Exit,
}

/// What one event printed: the text for stdout, and the problem for stderr if it could
/// not run.
struct Printed {
    text: String,
    problem: Option<Problem>,
}

impl<W: Write> Runner<'_, W> {
    /// Runs event files on the pool, `CHUNK` at a time, and prints their outcomes in order.
    /// Progress shows on a terminal when there is more than one batch.
    fn documents(&mut self, paths: &[PathBuf]) -> io::Result<()> {
        let progress = paths.len() > CHUNK && io::stderr().is_terminal();
        let mut done = 0;
        for batch in paths.chunks(CHUNK) {
            let job = &self.job;
            let printed: Vec<Printed> = self
                .pool
                .install(|| batch.par_iter().map(|path| job.document(path)).collect());
            self.output.print_all(printed)?;
            done += batch.len();
            if progress {
                eprint!("\r{done} of {} event files", paths.len());
            }
        }
        if progress {
            eprintln!();
        }
        Ok(())
    }

    fn stream(&mut self, path: Option<&std::path::Path>) -> io::Result<()> {
        let mut lines = match Lines::open(path) {
            Ok(lines) => lines,
            Err(problem) => return self.output.print(self.job.failed(problem)),
        };
        let name = lines.name().to_owned();
        let progress = io::stderr().is_terminal();
        // The events whose outcomes are printed so far.
        let mut shown = 0;
        let mut next = lines.chunk(CHUNK);
        let mut done = Vec::new();
        loop {
            let chunk = match next {
                Ok(chunk) if chunk.is_empty() => break,
                Ok(chunk) => chunk,
                Err(problem) => {
                    // Printed after the chunk before it, as the stream stops there.
                    done.push(self.job.failed(problem));
                    break;
                }
            };
            // Reading and printing cannot be shared out between the threads: while a chunk
            // runs on the pool, this thread prints the one before it and reads the one
            // after it, so that no core waits for them.
            let (job, output) = (&self.job, &mut self.output);
            let mut printed = Vec::new();
            let (wrote, following) = self.pool.in_place_scope(|s| {
                s.spawn(|_| printed = job.chunk(chunk, &name));
                (output.print_all(done), lines.chunk(CHUNK))
            });
            wrote?;
            if progress {
                eprint!("\r{name}: {shown} events");
            }
            shown += printed.len();
            (done, next) = (printed, following);
        }
        self.output.print_all(done)?;
        if progress && shown > 0 {
            eprintln!("\r{name}: {shown} events");
        }
        Ok(())
    }
}

impl<W: Write> Output<W> {
    fn print_all(&mut self, printed: Vec<Printed>) -> io::Result<()> {
        printed.into_iter().try_for_each(|p| self.print(p))
    }

    fn print(&mut self, printed: Printed) -> io::Result<()> {
        if let Some(problem) = &printed.problem {
            eprintln!("{}", problem.text());
            let exit = if problem.is_unreadable() {
                Exit::Usage
            } else {
                Exit::Problems
            };
            self.exit = self.exit.max(exit);
        }
        if printed.text.is_empty() {
            return Ok(());
        }
        self.out.write_all(printed.text.as_bytes())?;
        if printed.text.ends_with('\n') {
            Ok(())
        } else {
            self.out.write_all(b"\n")
        }
    }
}

impl Job<'_> {
    /// Runs the events of a chunk on the pool; their output, in order.
    fn chunk(&self, chunk: Vec<Line>, name: &str) -> Vec<Printed> {
        chunk
            .into_par_iter()
            .map(|line| match line.text {
                Ok(text) => self.one(&text, name, Some(line.number)),
                Err(problem) => self.failed(problem),
            })
            .collect()
    }

    /// Reads and runs the event of one file.
    fn document(&self, path: &std::path::Path) -> Printed {
        let name = path.display().to_string();
        match events::read_document(path) {
            Ok(text) => self.one(&text, &name, None),
            Err(problem) => self.failed(problem),
        }
    }

    /// Runs one event.
    fn one(&self, text: &str, name: &str, line: Option<usize>) -> Printed {
        if self.changes_only {
            return self.changes(text, name, line);
        }
        let event = match events::parse(text, name, line) {
            Ok(event) => event,
            Err(problem) => return self.failed(problem),
        };
        let outcome = self.routed_outcome(&event);
        let text = match self.format {
            RunFormat::Text => {
                let name = line.map_or_else(|| name.to_owned(), |l| format!("{name}:{l}"));
                // A blank line between summaries.
                let routing = outcome.routing.as_ref();
                let routing = routing.map(|d| super::routing::decision(d, "  "));
                summary::outcome(&name, &outcome) + &routing.unwrap_or_default() + "\n"
            }
            RunFormat::Json if self.pretty => to_json(&outcome, true),
            RunFormat::Json => to_json(&outcome, false),
        };
        Printed {
            text,
            problem: None,
        }
    }

    /// Runs one event for what changed: read as the rules need it, unless routing runs
    /// for it, which reads the whole ticket.
    fn changes(&self, text: &str, name: &str, line: Option<usize>) -> Printed {
        let read = events::parse_with(text, name, line, |t| self.engine.read_event(t));
        let changes = read.and_then(|event| {
            if !self.router.runs_for(&event, self.agents.is_some()) {
                return Ok(self.engine.changes_of(&event));
            }
            let whole = events::parse(text, name, line)?;
            Ok(Changes::from(self.routed_outcome(&whole)))
        });
        match changes {
            Ok(changes) => Printed {
                text: to_json(&changes, self.pretty),
                problem: None,
            },
            Err(problem) => self.failed(problem),
        }
    }

    /// The outcome of the triggers on `event`, routed when routing runs for it.
    fn routed_outcome(&self, event: &Event) -> Outcome {
        let mut outcome = self.engine.run(event);
        self.router.route_outcome(event, &mut outcome, self.agents);
        outcome
    }

    /// What stands in the output for an event that could not run.
    fn failed(&self, problem: Problem) -> Printed {
        let text = match self.format {
            RunFormat::Json => problem.json().to_string(),
            RunFormat::Text => String::new(),
        };
        Printed {
            text,
            problem: Some(problem),
        }
    }
}

fn to_json(outcome: &impl serde::Serialize, pretty: bool) -> String {
    let text = if pretty {
        serde_json::to_string_pretty(outcome)
    } else {
        serde_json::to_string(outcome)
    };
    // An outcome is plain data with string keys: serialising it cannot fail.
    text.unwrap_or_default()
}
