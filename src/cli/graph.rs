//! `declic graph`: which triggers can enable or disable which others.

use std::path::PathBuf;

use clap::ValueEnum;

use super::Exit;
use super::{output, rules};

const EXAMPLES: &str = "\
Examples:
  declic graph recipes/fr | dot -Tsvg > triggers.svg    draw it with Graphviz
  declic graph recipes/en --format mermaid              for Markdown that renders Mermaid

An edge goes from a trigger to another when an action of the first changes a field or tag
that a condition of the second reads: green (or -->) when it makes the condition hold,
red dashed (or -.->) when it makes it fail, grey (or ==>) when it depends on the ticket.
Triggers are numbered in run order; inactive ones are dashed and have no edges.

Exit codes:
  0  the graph was written
  1  the rules have errors (shown on stderr)
  2  bad arguments, or a path that cannot be read";

/// Show which triggers can enable or disable which others.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The rule set: a file, or a directory of .declic files.
    #[arg(value_name = "RULES")]
    rules: PathBuf,
    /// The graph language.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    format: GraphFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum GraphFormat {
    /// Graphviz DOT.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
}

/// Runs the command.
pub fn run(args: Args) -> Exit {
    let rules = match rules::checked(&args.rules, false, false) {
        Ok(rules) => rules,
        Err(exit) => return exit,
    };
    let graph = declic::graph::graph(&rules);
    match args.format {
        GraphFormat::Dot => output::emit(&graph.dot()),
        GraphFormat::Mermaid => output::emit(&graph.mermaid()),
    }
    Exit::Ok
}
