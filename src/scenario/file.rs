//! A scenario file: the rule set it runs against, and its scenarios.

use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::expect::Named;
use super::step::{self, Step};
use super::ticket;
use super::tree::{self, Node, Sink, Table};
use super::ScenarioError;
use crate::catalog::nearest;
use crate::check::rules::{ids_text, Unresolved};
use crate::check::RuleSet;
use crate::diagnostics::{did_you_mean, excerpt, Code, Diagnostic, Source, Span};
use crate::model::{Account, Ticket, Timestamp};

/// When a scenario starts if it does not say: a Monday, 09:00 UTC.
pub const DEFAULT_START: &str = "2024-05-06T09:00:00Z";

/// One scenario: a starting ticket and the updates that happen to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Its name, unique in its file.
    pub name: String,
    /// Where it is written.
    pub span: Span,
    /// The account settings every step runs with.
    pub account: Account,
    /// The ticket before the first step.
    pub ticket: Ticket,
    /// When the scenario starts, if it says; then every step carries the time.
    pub start: Option<Timestamp>,
    /// The steps, in order; at least one.
    pub steps: Vec<Step>,
}

/// A scenario file, read and checked on its own (trigger names are checked against the
/// rule set later, by [`ScenarioFile::check_triggers`]).
#[derive(Debug, Clone)]
pub struct ScenarioFile {
    /// Its text.
    pub source: Arc<Source>,
    /// The `rules` key: a path relative to the file, and where it is written.
    pub rules: Option<(String, Span)>,
    /// The `account_dir` key: the folder of the account's API exports the rules run with
    /// (ticket fields, groups...), relative to the file, and where it is written.
    pub account_dir: Option<(String, Span)>,
    /// The scenarios, in file order.
    pub scenarios: Vec<Scenario>,
    /// What is worth knowing about the file but does not stop it from running.
    pub warnings: Vec<Diagnostic>,
}

const FILE_KEYS: &[&str] = &["rules", "account_dir", "scenario"];
const SCENARIO_KEYS: &[&str] = &["name", "account", "start", "ticket", "step"];

impl ScenarioFile {
    /// Reads a scenario file, reporting every mistake in it.
    pub fn parse(source: &Arc<Source>) -> Result<ScenarioFile, ScenarioError> {
        let doc = tree::parse(source).map_err(ScenarioError::new)?;
        let mut sink = Sink::new(source);
        let mut root = Table::root(&doc);
        let rules = root
            .get("rules")
            .and_then(|n| Some((n.str(&mut sink, "rules")?.to_owned(), n.span)));
        let account_dir = root
            .get("account_dir")
            .and_then(|n| Some((n.str(&mut sink, "account_dir")?.to_owned(), n.span)));
        let scenarios = match root.require(&mut sink, "scenario", "a scenario file") {
            Some(node) => scenarios(&mut sink, node),
            None => Vec::new(),
        };
        root.finish(&mut sink, FILE_KEYS, "a scenario file");
        duplicate_names(&mut sink, &scenarios);
        if sink.has_errors() {
            return Err(ScenarioError::new(sink.diagnostics));
        }
        Ok(ScenarioFile {
            source: Arc::clone(source),
            rules,
            account_dir,
            scenarios,
            warnings: sink.diagnostics,
        })
    }

    /// Reports every trigger an expectation names that `rules` does not have, and every
    /// title it names that several triggers share (those must be named by `#id`).
    pub fn check_triggers(&self, rules: &RuleSet) -> Vec<Diagnostic> {
        let titles: Vec<&str> = rules.triggers.iter().map(|t| t.title.as_str()).collect();
        let mut sink = Sink::new(&self.source);
        for step in self.scenarios.iter().flat_map(|s| &s.steps) {
            for name in step.expect.firings() {
                match rules.find(&name.name) {
                    Ok(_) => {}
                    Err(Unresolved::Unknown) => unknown_trigger(&mut sink, name, &titles),
                    Err(Unresolved::Ambiguous(ids)) => ambiguous_trigger(&mut sink, name, &ids),
                }
            }
            // An effect names the trigger that emitted it by title only.
            for name in step
                .expect
                .effect_checks()
                .filter_map(|e| e.trigger.as_ref())
            {
                let shared = titles.iter().filter(|t| **t == name.name).count();
                if shared == 0 {
                    unknown_trigger(&mut sink, name, &titles);
                } else if shared > 1 {
                    sink.push(
                        Diagnostic::error(
                            Code::AmbiguousTrigger,
                            format!(
                                "{shared} triggers are titled `{}`",
                                excerpt(&name.name)
                            ),
                        )
                        .label(name.span, "names more than one trigger")
                        .help("an effect names its trigger by title: leave `trigger` out, or give the triggers their own titles"),
                    );
                }
            }
        }
        sink.diagnostics
    }
}

fn ambiguous_trigger(sink: &mut Sink, name: &Named, ids: &[Option<i64>]) {
    let help = if ids.iter().all(Option::is_some) {
        format!("name one by its Zendesk id: {}", ids_text(ids))
    } else {
        format!(
            "name one by its Zendesk id ({}); a trigger without an `id` line can only be \
             named by a title of its own",
            ids_text(ids)
        )
    };
    sink.push(
        Diagnostic::error(
            Code::AmbiguousTrigger,
            format!(
                "{} triggers are titled `{}`",
                ids.len(),
                excerpt(&name.name)
            ),
        )
        .label(name.span, "names more than one trigger")
        .help(help),
    );
}

fn unknown_trigger(sink: &mut Sink, name: &Named, titles: &[&str]) {
    let nearest = nearest(&name.name, titles.iter().map(|t| (*t, *t)));
    sink.push(
        Diagnostic::error(
            Code::UnknownTrigger,
            format!("no trigger is titled `{}`", excerpt(&name.name)),
        )
        .label(name.span, "not in the rule set")
        .help(did_you_mean(&nearest).unwrap_or_else(|| {
            "name triggers by their exact title, as in the rule files, or by their Zendesk id \
             as `#123`"
                .to_owned()
        })),
    );
}

fn scenarios(sink: &mut Sink, node: Node<'_, '_>) -> Vec<Scenario> {
    if node.entries().is_some() {
        sink.push(
            Diagnostic::error(Code::WrongType, "`scenario` must be a list of tables")
                .label(node.span, "one table here")
                .help("write each scenario under its own `[[scenario]]` header"),
        );
        return Vec::new();
    }
    let Some(items) = node.array(sink, "scenario") else {
        return Vec::new();
    };
    if items.is_empty() {
        sink.error(
            Code::MissingKey,
            "a scenario file needs at least one scenario".to_owned(),
            node.span,
            "empty",
        );
    }
    items.iter().filter_map(|n| scenario(sink, *n)).collect()
}

fn scenario(sink: &mut Sink, node: Node<'_, '_>) -> Option<Scenario> {
    let mut table = node.table(sink, "a scenario")?;
    let before = sink.diagnostics.len();
    let name = table
        .require(sink, "name", "a scenario")
        .and_then(|n| n.str(sink, "name"))
        .map(str::to_owned);
    let account = match table.get("account") {
        Some(n) => model::<Account>(sink, n, "account"),
        None => Some(Account::default()),
    };
    let start = table.get("start").and_then(|n| start(sink, n));
    let ticket_node = table.get("ticket");
    let ticket = match ticket_node {
        Some(n) => starting_ticket(sink, n),
        None => Some(Ticket::default()),
    };
    let steps = table
        .require(sink, "step", "a scenario")
        .map(|n| steps(sink, n))
        .unwrap_or_default();
    let span = table.span;
    table.finish(sink, SCENARIO_KEYS, "a scenario");
    if sink.diagnostics.len() > before {
        return None;
    }
    let ticket = ticket?;
    if let Some(node) = ticket_node {
        silence_without_clock(sink, node, &ticket, start.is_some(), &steps);
    }
    Some(Scenario {
        name: name?,
        span,
        account: account?,
        ticket,
        start,
        steps,
    })
}

/// The starting ticket's `last_end_user_activity_at` tells how long the end user has been
/// silent, but only a step that carries the time lets the engine measure it: without
/// `start`, a first step where the end user neither writes nor goes quiet carries none,
/// and the silence is ignored. Worth a warning, since the scenario looks as if it tested it.
fn silence_without_clock(
    sink: &mut Sink,
    ticket_node: Node<'_, '_>,
    ticket: &Ticket,
    has_start: bool,
    steps: &[Step],
) {
    let silent_since = ticket
        .messaging_session
        .as_ref()
        .and_then(|s| s.last_end_user_activity_at);
    let untimed = steps
        .first()
        .is_some_and(|s| !super::event::carries_clock(s));
    if has_start || silent_since.is_none() || !untimed {
        return;
    }
    let key = ticket_node
        .entries()
        .and_then(|mut e| e.find(|(k, _, _)| *k == "messaging_session"))
        .and_then(|(_, _, session)| {
            session
                .entries()?
                .find(|(k, _, _)| *k == "last_end_user_activity_at")
        })
        .map_or(ticket_node.span, |(_, span, _)| span);
    sink.push(
        Diagnostic::warning(
            Code::SilenceIgnored,
            "the end user's silence is ignored: the first step carries no time",
        )
        .label(key, "the engine never measures this")
        .help(
            "set the scenario's `start` (`start = 2024-05-06T09:00:00Z`) so that every step \
             carries the time, or begin with `end user inactive` (`minutes`)",
        ),
    );
}

fn steps(sink: &mut Sink, node: Node<'_, '_>) -> Vec<Step> {
    let items = node.array(sink, "step").unwrap_or_default();
    if items.is_empty() && node.entries().is_none() {
        sink.error(
            Code::MissingKey,
            "a scenario needs at least one step".to_owned(),
            node.span,
            "no step",
        );
    }
    items
        .iter()
        .enumerate()
        .filter_map(|(i, n)| step::parse(sink, *n, i))
        .collect()
}

/// A table read as one of the model's types, its errors pointing at the value at fault.
pub(crate) fn model<T: DeserializeOwned>(
    sink: &mut Sink,
    node: Node<'_, '_>,
    what: &str,
) -> Option<T> {
    let table = node.table(sink, what)?;
    let json = node.json(sink)?;
    read_json(sink, &table, json, what)
}

fn read_json<T: DeserializeOwned>(
    sink: &mut Sink,
    table: &Table<'_, '_>,
    json: Value,
    what: &str,
) -> Option<T> {
    serde_path_to_error::deserialize::<_, T>(json)
        .map_err(|e| {
            let path = e.path().clone();
            let message = e.into_inner().to_string();
            // The model's own types reject unknown keys; say so in the scenario's terms.
            let code = if message.starts_with("unknown field") {
                Code::UnknownKey
            } else {
                Code::InvalidValue
            };
            sink.push(
                Diagnostic::error(code, format!("invalid `{what}`: {message}"))
                    .label(table.at(&path), "here"),
            );
        })
        .ok()
}

/// The starting ticket: the model's ticket JSON written as TOML.
pub(crate) fn starting_ticket(sink: &mut Sink, node: Node<'_, '_>) -> Option<Ticket> {
    let table = node.table(sink, "ticket")?;
    let fields = ticket::fields(sink, &table, &[], "the starting ticket")?;
    let mut json = Map::new();
    ticket::merge(&mut json, &fields);
    read_json(sink, &table, Value::Object(json), "ticket")
}

/// `start`: a TOML date-time with an offset, or the same as a string.
pub(crate) fn start(sink: &mut Sink, node: Node<'_, '_>) -> Option<Timestamp> {
    let text = match node.json(sink)? {
        Value::String(s) => s,
        _ => {
            node.wrong_type(sink, "start", "a date-time such as 2024-05-06T09:00:00Z");
            return None;
        }
    };
    match text.parse() {
        Ok(t) => Some(t),
        Err(_) => {
            sink.push(
                Diagnostic::error(Code::InvalidValue, format!("`{}` is not an instant", excerpt(&text)))
                    .label(node.span, "not a date-time with an offset")
                    .help("write a date-time with its offset: 2024-05-06T09:00:00Z or 2024-05-06T11:00:00+02:00"),
            );
            None
        }
    }
}

/// Names are how reports, filters and JUnit tell scenarios apart.
fn duplicate_names(sink: &mut Sink, scenarios: &[Scenario]) {
    for (i, s) in scenarios.iter().enumerate() {
        if let Some(first) = scenarios[..i].iter().find(|o| o.name == s.name) {
            sink.push(
                Diagnostic::error(
                    Code::DuplicateScenario,
                    format!("two scenarios are named `{}`", excerpt(&s.name)),
                )
                .label(s.span, "this name is taken")
                .label(first.span, "first scenario with this name")
                .help("give each scenario of a file its own name"),
            );
        }
    }
}
