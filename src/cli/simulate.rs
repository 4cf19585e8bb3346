//! `declic simulate`: what happens over time to the conversations of timeline files.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::ValueEnum;
use declic::routing::Agents;
use declic::simulate::session::Pick;
use declic::simulate::timeline::{horizon_error, parse_moment};
use declic::simulate::{simulate_with, Log, Options, Timeline};
use declic::{Diagnostic, Source};

use super::{output, rules, Exit};

const EXAMPLES: &str = "\
Examples:
  declic simulate recipes/en examples/timelines/idle-visitor.timeline.toml   the log, as text
  declic simulate recipes/en examples/timelines/ --format json   every timeline, one JSON object a line
  declic simulate recipes/en examples/timelines/missed-chat.timeline.toml --timeouts earliest
  declic simulate recipes/en examples/timelines/messaging-silence.timeline.toml --until 0:30
  declic simulate recipes/en examples/timelines/routing-offers.timeline.toml --agents tests/routing/agents.json
  declic simulate recipes/en examples/timelines/generated-traffic.timeline.toml --agents tests/fixtures/agents/users.json --group-memberships tests/fixtures/agents/group_memberships.json

A timeline file (*.timeline.toml) names the product and the account, and gives each
conversation's activity in an admin's words, timed from `start`:

  product = \"live chat\"
  start = 2024-05-06T09:00:00Z

  [[ticket]]
  name = \"Marie\"
  activity = [
    \"0:00 end user writes: my parcel is late\",
    \"0:01 visitor closes the window\",
    \"wait 1 hour\",
  ]

With agents (`[[agent]]` tables of the timeline, `--agents FILE`, or the account
folder's agents.json), the conversations share them: routing offers and assigns the
work after each update, offers lapse after 30 s unanswered, tickets wait in line for
an agent to free up, and the log ends with a routing summary (waits per queue, load per
agent). A `[traffic]` table generates many conversations from a seed:

  [traffic]
  conversations = 10000
  over = \"24 hours\"
  seed = 7
  group = 360012000100
  agents = 50

The log has one line per happening (activity, session change, update, trigger or
automation fired, effect, routing), in time order. Time-outs the article gives as a range (a
closed window ends the chat 20 seconds to 2 minutes later) show the range and happen at
its latest end, or its earliest with --timeouts earliest.

Exit codes:
  0  every timeline ran
  1  the rules or a timeline have errors (nothing is printed then)
  2  bad arguments, or a file that cannot be read";

/// Simulate conversations over time: session time-outs, triggers, automations.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The rule set: a rule file or a directory.
    rules: PathBuf,
    /// Timeline files (.timeline.toml), or directories holding them.
    #[arg(required = true, value_name = "TIMELINE")]
    timelines: Vec<PathBuf>,
    /// How to print the log.
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    format: LogFormat,
    /// Stop the clock here: a date-time, H:MM from the timeline's start, or a duration
    /// after it (`3 days`) [default: the timeline's `until`, else its last moment].
    #[arg(long, value_name = "WHEN")]
    until: Option<String>,
    /// Which end of a documented time-out range to use.
    #[arg(long, value_enum, default_value_t = Timeouts::Latest)]
    timeouts: Timeouts,
    /// Folder of the account's API exports (ticket_fields.json, groups.json...): rules may
    /// name fields and groups by title, and drop-downs are tied to their tags.
    #[arg(long, value_name = "DIR")]
    account: Option<PathBuf>,
    /// The agents the conversations share (an agents file), instead of the timelines'
    /// `[[agent]]` tables or the account folder's agents.json: routing then offers and
    /// assigns their work over time.
    #[arg(long, value_name = "FILE")]
    agents: Option<PathBuf>,
    /// Zendesk's group memberships export (`GET /api/v2/group_memberships`), when
    /// `--agents` is Zendesk's users export (`GET /api/v2/users`): its agents and admins
    /// become the agents, online, with a capacity of messaging 3, email 10, talk 1.
    #[arg(long, value_name = "FILE")]
    group_memberships: Option<PathBuf>,
}

/// How `simulate` prints its log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum LogFormat {
    /// One line per happening.
    Text,
    /// One JSON object per happening (NDJSON).
    Json,
}

/// Which end of a range time-outs happen at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Timeouts {
    /// The earliest moment the article allows.
    Earliest,
    /// The latest.
    Latest,
}

/// A simulation long enough to show progress for, in seconds of simulated time.
const LONG: i64 = 7 * 86_400;

/// Runs the command.
pub fn run(args: Args) -> Exit {
    let json = args.format == LogFormat::Json;
    let paths = match timeline_paths(&args.timelines) {
        Ok(paths) => paths,
        Err(message) => {
            eprintln!("error: {message}");
            return Exit::Usage;
        }
    };
    // The agents: --agents if given, else each timeline's own, else the account folder's
    // agents.json (the most specific wins).
    let compiled =
        rules::compile_for_routing(&args.rules, args.account.as_deref(), None, json, false);
    let (engine, router, in_account) = match compiled {
        Ok(compiled) => compiled,
        Err(exit) => return exit,
    };
    let mut given_agents = None;
    if let Some(path) = &args.agents {
        match Agents::load_with(path, args.group_memberships.as_deref()) {
            Ok(given) => given_agents = Some(given),
            Err(e) => {
                eprintln!("error: {e}");
                return Exit::Usage;
            }
        }
    } else if args.group_memberships.is_some() {
        eprintln!(
            "error: `--group-memberships` goes with `--agents USERS.json`, Zendesk's users export"
        );
        return Exit::Usage;
    }
    let mut timelines = Vec::new();
    let mut problems: Vec<Diagnostic> = Vec::new();
    for path in &paths {
        let text = match declic::load::read_file(path).map(String::from_utf8) {
            Ok(Ok(text)) => text,
            Ok(Err(_)) => {
                eprintln!("error: `{}` is not UTF-8 text", path.display());
                return Exit::Usage;
            }
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", path.display());
                return Exit::Usage;
            }
        };
        let source = Source::new(path.display().to_string(), text);
        match Timeline::parse(&source) {
            Ok(timeline) => match horizon(&timeline, args.until.as_deref(), &source) {
                Ok(until) => timelines.push((path, timeline, until)),
                Err(d) => problems.push(*d),
            },
            Err(e) => problems.extend(e.diagnostics),
        }
    }
    if !problems.is_empty() {
        rules::show(&problems, json);
        return Exit::Problems;
    }
    let pick = match args.timeouts {
        Timeouts::Earliest => Pick::Earliest,
        Timeouts::Latest => Pick::Latest,
    };
    let logs: Vec<(&PathBuf, Log)> = timelines
        .iter()
        .map(|(path, timeline, until)| {
            let options = Options {
                pick,
                until: *until,
                record: false,
                router: Some(&router),
                agents: given_agents.as_ref().or_else(|| {
                    // A timeline's own agents come before the account's.
                    let own = !timeline.agents.agents.is_empty();
                    in_account.as_ref().filter(|_| !own)
                }),
            };
            let mut progress = progress_bar(timeline);
            let log = simulate_with(timeline, &engine, &options, &mut progress);
            if io::stderr().is_terminal() {
                eprint!("\r\x1b[K");
            }
            (*path, log)
        })
        .collect();
    // An automation loop is found by running: then no log is printed either.
    let loops: Vec<Diagnostic> = logs
        .iter()
        .zip(&timelines)
        .flat_map(|((_, log), (_, timeline, _))| {
            log.diagnostics
                .iter()
                .map(|d| d.clone().in_source(&timeline.source))
        })
        .collect();
    if !loops.is_empty() {
        rules::show(&loops, json);
        return Exit::Problems;
    }
    print(&logs, json);
    Exit::Ok
}

/// The horizon `--until` gives, checked against the timeline's first activity.
fn horizon(
    timeline: &Timeline,
    until: Option<&str>,
    source: &Arc<Source>,
) -> Result<Option<declic::model::Timestamp>, Box<Diagnostic>> {
    let Some(text) = until else {
        return Ok(None);
    };
    let Some(at) = parse_moment(text, timeline.start) else {
        return Err(Box::new(
            Diagnostic::error(
                declic::Code::InvalidTime,
                format!("`--until {text}` is not a time declic reads"),
            )
            .help("give a date-time, H:MM from the timeline's start, or a duration (`3 days`)"),
        ));
    };
    match timeline.first_activity() {
        Some(first) if at < first.at => Err(Box::new(horizon_error(at, first).in_source(source))),
        _ => Ok(Some(at)),
    }
}

/// Reports on a terminal how far a long simulation went.
fn progress_bar(
    timeline: &Timeline,
) -> impl FnMut(declic::model::Timestamp, declic::model::Timestamp) {
    let start = timeline.start;
    let shown = io::stderr().is_terminal();
    move |now, horizon| {
        let total = horizon.seconds_since(start);
        if shown && total >= LONG {
            let done = now.seconds_since(start).clamp(0, total);
            eprint!("\rsimulated up to {now} ({}%)", done * 100 / total.max(1));
        }
    }
}

/// The log on stdout: text lines (under a header per file when there are several), or
/// one JSON object a line naming its timeline.
fn print(logs: &[(&PathBuf, Log)], json: bool) {
    let mut out = io::BufWriter::new(io::stdout().lock());
    let several = logs.len() > 1;
    let mut written = Ok(());
    for (i, (path, log)) in logs.iter().enumerate() {
        if several && !json {
            let gap = if i == 0 { "" } else { "\n" };
            written = written.and_then(|()| writeln!(out, "{gap}== {} ==", path.display()));
        }
        for entry in &log.entries {
            written = written.and_then(|()| {
                if json {
                    let mut object = entry.json();
                    object["timeline"] = path.display().to_string().into();
                    writeln!(out, "{object}")
                } else {
                    writeln!(out, "{}", entry.text())
                }
            });
        }
        if let Some(summary) = &log.routing {
            written = written.and_then(|()| {
                if json {
                    let object = serde_json::json!({
                        "kind": "summary",
                        "timeline": path.display().to_string(),
                        "routing": summary,
                    });
                    writeln!(out, "{object}")
                } else {
                    summary
                        .lines()
                        .iter()
                        .try_for_each(|l| writeln!(out, "{l}"))
                }
            });
        }
    }
    if let Err(e) = written.and_then(|()| out.flush()) {
        output::write_failed(&e);
    }
}

/// The timeline files: files as given, and the `*.timeline.toml` files of directories,
/// in name order.
fn timeline_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut inside = in_dir(path)?;
            if inside.is_empty() {
                return Err(format!(
                    "`{}` holds no *.timeline.toml file",
                    path.display()
                ));
            }
            inside.sort();
            found.extend(inside);
        } else {
            found.push(path.clone());
        }
    }
    Ok(found)
}

fn in_dir(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
    Ok(entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.to_string_lossy().ends_with(".timeline.toml"))
        .collect())
}
