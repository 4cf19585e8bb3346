//! Command-line parsing and dispatch; each command lives in its own file and only calls
//! the library.

mod catalog;
mod check;
mod events;
mod explain;
mod export;
mod fmt;
mod graph;
mod import;
mod interop;
#[cfg(feature = "lsp")]
mod lsp;
mod output;
mod routing;
mod rules;
mod run;
#[cfg(feature = "serve")]
mod serve;
mod simulate;
mod summary;
mod test;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// How a command ended. The numbers are documented in `--help` and the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Everything is fine.
    Ok = 0,
    /// The command ran and found problems (errors, or warnings under `--deny warnings`).
    Problems = 1,
    /// The command could not run: bad arguments, an unreadable path.
    Usage = 2,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

const EXIT_CODES: &str = "\
Exit codes:
  0  no problem found
  1  problems found (errors; warnings too with --deny warnings)
  2  the command could not run (bad arguments, unreadable path)";

/// Zendesk-style ticket triggers as code: check, run, test, lint and convert them.
#[derive(Debug, Parser)]
#[command(name = "declic", version, about, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Check(check::Args),
    Run(run::Args),
    Explain(explain::Args),
    Test(test::Args),
    Graph(graph::Args),
    Catalog(catalog::Args),
    Import(import::Args),
    Export(export::Args),
    Fmt(fmt::Args),
    Simulate(simulate::Args),
    #[cfg(feature = "lsp")]
    Lsp(lsp::Args),
    #[cfg(feature = "serve")]
    Serve(serve::Args),
}

/// Parses the arguments and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let exit = match cli.command {
        Command::Check(args) => check::run(args),
        Command::Run(args) => run::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Graph(args) => graph::run(args),
        Command::Catalog(args) => catalog::run(args),
        Command::Test(args) => test::run(args),
        Command::Import(args) => import::run(args),
        Command::Export(args) => export::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Simulate(args) => simulate::run(args),
        #[cfg(feature = "lsp")]
        Command::Lsp(args) => lsp::run(args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(args),
    };
    exit.into()
}
