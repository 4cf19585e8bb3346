//! `declic explain`: why each trigger fired or not on one update, pass by pass.

use std::fmt::Write;
use std::io::Read;
use std::path::PathBuf;

use declic::check::rules::{ids_text, Unresolved};
use declic::engine::{Explanation, Node, NodeKind, Verdict};
use declic::Code;

use super::events;
use super::run::RunFormat;
use super::{output, rules, summary, Exit};

const EXAMPLES: &str = "\
Examples:
  declic explain recipes/fr events/agent-ends-session.json
  declic explain recipes/fr events/surge-unassigned-inactive-messaging-routing.json --trigger \"Afflux (routage de messagerie) : fin des sessions abandonnées en file\"
  declic explain recipes/fr - --format json < events/agent-ends-session.json
  declic explain tests/corpus/valid/05-zendesk-api-names.declic events/agent-ends-session.json --trigger '#360056295716'   by Zendesk id

For each pass, every trigger reached is shown with its verdict and, when its conditions
were evaluated, the condition tree: each test with its result (✓ or ✗) and the value it saw.

Exit codes:
  0  the event was explained
  1  the rules have errors (with --strict, Zendesk lines declic cannot run count as
     errors), or the event does not fit the model
  2  bad arguments, an unreadable file, or --trigger names no active trigger (or a title
     several share)";

/// Show why each trigger fired or not on one update.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// The rule set: a rule file or a directory.
    rules: PathBuf,
    /// One event as JSON, or - for stdin.
    event: PathBuf,
    /// Show only this trigger: its title, or its Zendesk id as `#123` (for a title that
    /// several triggers share).
    #[arg(long, value_name = "TITLE")]
    trigger: Option<String>,
    /// How to print the explanation.
    #[arg(long, value_enum, default_value_t = RunFormat::Text)]
    format: RunFormat,
    /// Folder of the account's API exports (ticket_fields.json, groups.json...): rules may
    /// name fields and groups by title, and drop-downs are tied to their tags.
    #[arg(long, value_name = "DIR")]
    account: Option<PathBuf>,
    /// Refuse rules holding Zendesk conditions or actions declic cannot run
    /// (`zendesk r#"..."#`), instead of explaining the rest.
    #[arg(long)]
    strict: bool,
    /// The agents routing may hand the ticket to (default: `agents.json` in the --account
    /// folder).
    #[arg(long, value_name = "FILE")]
    agents: Option<PathBuf>,
}

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
    let name = args.event.display().to_string();
    let text = match read(&args.event) {
        Ok(text) => text,
        Err(problem) => {
            eprintln!("{}", problem.text());
            return Exit::Usage;
        }
    };
    let event = match events::parse(&text, &name, None) {
        Ok(event) => event,
        Err(problem) => {
            eprintln!("{}", problem.text());
            return Exit::Problems;
        }
    };
    if let Some(name) = &args.trigger {
        match engine.find(name) {
            Ok(_) => {}
            Err(Unresolved::Unknown) => {
                unknown_trigger(name, engine.titles());
                return Exit::Usage;
            }
            Err(Unresolved::Ambiguous(ids)) => {
                ambiguous_trigger(name, &ids);
                return Exit::Usage;
            }
        }
    }
    let Some(mut explanation) = engine.explain(&event, args.trigger.as_deref()) else {
        // `find` above has named the trigger.
        return Exit::Usage;
    };
    // Routing, the step after the triggers, reads the ticket they left.
    let routed = router.runs_for(&event, agents.is_some()).then(|| {
        let mut agents = agents.clone();
        router.explain(&event, &explanation.outcome.ticket, agents.as_mut())
    });
    explanation.outcome.routing = routed.as_ref().map(|r| r.decision.clone());
    if json {
        let mut value = serde_json::json!(explanation);
        if let Some(routed) = &routed {
            value["routing"] = serde_json::json!(routed);
        }
        match serde_json::to_string_pretty(&value) {
            Ok(text) => output::emit(&(text + "\n")),
            Err(e) => eprintln!("error: {e}"),
        }
    } else {
        let mut text = text_of(&explanation);
        if let Some(routed) = &routed {
            text += &super::routing::explained(routed, node);
        }
        output::emit(&text);
    }
    Exit::Ok
}

fn read(path: &std::path::Path) -> Result<String, events::Problem> {
    if path.as_os_str() != "-" {
        return events::read_document(path);
    }
    let mut text = String::new();
    match std::io::stdin().read_to_string(&mut text) {
        Ok(_) => Ok(text),
        Err(e) => Err(events::Problem {
            code: Code::Unreadable,
            file: "<stdin>".to_owned(),
            line: None,
            column: None,
            path: None,
            message: format!("cannot read: {e}"),
        }),
    }
}

fn unknown_trigger<'a>(title: &str, titles: impl Iterator<Item = &'a str>) {
    let near: Vec<&str> = titles
        .filter(|t| {
            strsim::normalized_damerau_levenshtein(&t.to_lowercase(), &title.to_lowercase()) > 0.6
        })
        .take(3)
        .collect();
    eprintln!(
        "error[{}]: no active trigger is titled `{title}`",
        Code::UnknownTrigger
    );
    if let Some(help) = declic::diagnostics::did_you_mean(&near) {
        eprintln!("  help: {help}");
    }
}

fn ambiguous_trigger(title: &str, ids: &[Option<i64>]) {
    eprintln!(
        "error[{}]: {} active triggers are titled `{title}`",
        Code::AmbiguousTrigger,
        ids.len()
    );
    eprintln!("  help: name one by its Zendesk id: {}", ids_text(ids));
}

/// The explanation for people.
pub fn text_of(e: &Explanation) -> String {
    let mut out = String::new();
    for pass in &e.passes {
        let _ = writeln!(out, "pass {}", pass.number);
        for looked in &pass.triggers {
            let id = looked.id.map(|id| format!(" (#{id})")).unwrap_or_default();
            let _ = writeln!(out, "  {} {}{id}", verdict(looked.verdict), looked.trigger);
            if let Some(tree) = &looked.conditions {
                node(&mut out, tree, 3);
            }
        }
    }
    let o = &e.outcome;
    out.push_str(&summary::unsupported(&o.unsupported, ""));
    match &o.skipped {
        Some(skipped) => {
            let _ = writeln!(out, "no trigger ran: {}", skipped.message);
        }
        None => {
            let _ = writeln!(
                out,
                "{} fired in {} pass{}",
                summary::count(o.fired.len(), "trigger"),
                o.passes,
                if o.passes == 1 { "" } else { "es" }
            );
        }
    }
    out
}

fn verdict(v: Verdict) -> String {
    match v {
        Verdict::Fired => "✓ fired:".to_owned(),
        Verdict::NotMatched => "✗ not matched:".to_owned(),
        Verdict::AlreadyFired => "· already fired:".to_owned(),
        Verdict::Blocked(why) => format!("· not run ({}):", why.message()),
    }
}

fn node(out: &mut String, n: &Node, depth: usize) {
    let mark = if n.holds { '✓' } else { '✗' };
    let pad = "  ".repeat(depth);
    let _ = match (n.kind, &n.test) {
        (NodeKind::Test, Some(test)) => {
            let seen = n.seen.as_deref().unwrap_or("(none)");
            writeln!(out, "{pad}{mark} {test}    [saw: {seen}]")
        }
        (kind, _) => writeln!(out, "{pad}{mark} {}", group_name(kind)),
    };
    for m in &n.members {
        node(out, m, depth + 1);
    }
}

fn group_name(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::All => "all of",
        NodeKind::Any => "any of",
        NodeKind::Not => "not all of",
        NodeKind::Test => "test",
    }
}
