//! `declic test`: runs scenario files against their rule sets.

use std::path::PathBuf;

use clap::ValueEnum;
use declic::scenario::report;
use declic::scenario::suite::{self, Verdict};

use super::output::{self, Format};
use super::Exit;

const EXAMPLES: &str = "\
Examples:
  declic test tests/scenarios/           every *.scenarios.toml file below the folder
  declic test csat.scenarios.toml        one file
  declic test . --filter CSAT            only scenarios whose name contains `CSAT`
  declic test . --format junit > junit.xml

A scenario file runs against the rules named by its `rules` key (a file or folder,
relative to the scenario file), or else the rules in its own folder; `account_dir` names
the folder of the account's API exports they run with (else --account):

  rules = \"../rules\"
  account_dir = \"../account\"

  [[scenario]]
  name = \"an abandoned conversation is solved\"
  ticket = { status = \"open\", messaging_session = { state = \"active\" } }

  [[scenario.step]]
  event = \"end user inactive\"
  minutes = 12
  expect.fired = [\"Auto-solve abandoned conversations\"]
  expect.ticket = { status = \"solved\", tags_include = [\"abandoned\"] }

Exit codes:
  0  every scenario passed
  1  a scenario failed, or a scenario file or its rules have errors (with --strict,
     Zendesk lines declic cannot run count as errors)
  2  nothing could run: bad arguments, a path that cannot be read or holds no
     scenario file, or no scenario matching --filter";

/// Run the scenarios of scenario files and report each one.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Scenario files, or folders searched for `*.scenarios.toml` files.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// How to report.
    #[arg(long, value_enum, default_value_t = TestFormat::Auto)]
    format: TestFormat,
    /// Run only the scenarios whose name contains this text.
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,
    /// Folder of the account's API exports (ticket_fields.json, groups.json...) the rules
    /// run with, for scenario files without an `account_dir` key.
    #[arg(long, value_name = "DIR")]
    account: Option<PathBuf>,
    /// Refuse rules holding Zendesk conditions or actions declic cannot run
    /// (`zendesk r#"..."#`), instead of running the scenarios without them.
    #[arg(long)]
    strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TestFormat {
    /// Graphical on a terminal, plain otherwise.
    Auto,
    /// Colour, and diagnostics with box drawing.
    Human,
    /// The same without colour.
    Plain,
    /// One JSON document.
    Json,
    /// JUnit XML, for CI servers.
    Junit,
}

/// Runs the command.
pub fn run(args: Args) -> Exit {
    let filter = args.filter.as_deref();
    let account = args.account.as_deref();
    let report = suite::run_paths_with(&args.paths, filter, account, args.strict);
    let text = match args.format {
        TestFormat::Json => format!("{:#}\n", report::json(&report)),
        TestFormat::Junit => report::junit(&report),
        TestFormat::Auto => report::text(&report, Format::Auto.style()),
        TestFormat::Human => report::text(&report, Format::Human.style()),
        TestFormat::Plain => report::text(&report, Format::Plain.style()),
    };
    output::emit(&text);
    let verdict = report.verdict();
    if verdict == Verdict::CouldNotRun && !report.unreadable {
        if let Some(filter) = &args.filter {
            eprintln!("no scenario name contains `{filter}`");
        }
    }
    match verdict {
        Verdict::Passed => Exit::Ok,
        Verdict::Failed => Exit::Problems,
        Verdict::CouldNotRun => Exit::Usage,
    }
}
