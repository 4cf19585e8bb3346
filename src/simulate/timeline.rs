//! Timeline files (`*.timeline.toml`): conversations and their timed activity in an
//! admin's words, with the product and the account they happen in.
//!
//! ```toml
//! product = "live chat"
//! start = 2024-05-06T09:00:00Z
//!
//! [account]
//! automations_minute = 0
//!
//! [[ticket]]
//! name = "Marie"
//! activity = [
//!   "0:00 end user writes: my parcel is late",
//!   "0:01 visitor closes the window",
//!   "wait 1 hour",
//! ]
//! ```
//!
//! An activity is `[H:MM[:SS]] WHAT[: text]`: the time is counted from `start` (hours may
//! pass 24: `50:00`), and without one the activity happens when the one before it did,
//! or when the `wait` before it ended. `wait 3 days` only moves the conversation's clock;
//! the simulation runs until the last moment a timeline names, or its `until`.

use std::sync::Arc;

use indexmap::IndexMap;

use super::dispatch::Answer;
use super::session::{Activity, Product, Release, ReleaseStep, Settings, MAX_RELEASE_STEPS};
use super::traffic::Traffic;
use crate::catalog::{fold, nearest};
use crate::diagnostics::{did_you_mean, excerpt, Code, Diagnostic, Source, Span};
use crate::model::{Account, RoutingSettings, Schedule, Status, Ticket, Timestamp};
use crate::routing::{Agents, AgentsError};
use crate::scenario::file::{model, start, starting_ticket};
use crate::scenario::tree::{self, Node, Sink, Table};
use crate::scenario::{ScenarioError, DEFAULT_START};

/// A timeline file, read and checked.
#[derive(Debug, Clone)]
pub struct Timeline {
    /// Its text.
    pub source: Arc<Source>,
    /// When the timeline starts (activity times count from it).
    pub start: Timestamp,
    /// The horizon the file gives, and where.
    pub until: Option<(Timestamp, Span)>,
    /// The account the conversations happen in.
    pub account: TimelineAccount,
    /// The conversations, in file order; at least one.
    pub tickets: Vec<Conversation>,
    /// The agents the conversations share (`[[agent]]`), in file order; none when the
    /// timeline gives none.
    pub agents: Agents,
    /// How agents answer offers, by user id (`offers` of an `[[agent]]`); an agent not
    /// listed accepts at once.
    pub answers: IndexMap<u64, Answer>,
}

/// The account settings a timeline gives.
#[derive(Debug, Clone, Default)]
pub struct TimelineAccount {
    /// What sessions depend on.
    pub settings: Settings,
    /// What triggers depend on (schedule, inactivity, routing of agent-ended sessions).
    pub model: Account,
    /// The minute of each hour automations run at.
    pub automations_minute: u8,
}

/// One conversation: its ticket's starting fields and its activity.
#[derive(Debug, Clone)]
pub struct Conversation {
    /// Its name in the log.
    pub name: String,
    /// The product it happens in.
    pub product: Product,
    /// The ticket's fields when it is created.
    pub ticket: Ticket,
    /// The id of the agent who joins and replies.
    pub agent: u64,
    /// The activity, in time order.
    pub activity: Vec<Timed>,
    /// The conversation's clock after its last entry (`wait` included).
    pub end: Timestamp,
    /// Where it is written.
    pub span: Span,
}

/// One activity and its moment.
#[derive(Debug, Clone, PartialEq)]
pub struct Timed {
    /// When.
    pub at: Timestamp,
    /// What.
    pub activity: Activity,
    /// The message text, for a message.
    pub body: Option<String>,
    /// Where it is written.
    pub span: Span,
}

const FILE_KEYS: &[&str] = &[
    "product", "start", "until", "account", "ticket", "agent", "traffic",
];
const ACCOUNT_KEYS: &[&str] = &[
    "inactivity_minutes",
    "capacity_release",
    "push_notifications",
    "business_hours",
    "automations_minute",
    "agent_ended_sessions_route_as_email",
    "routing",
];
const TICKET_KEYS: &[&str] = &["name", "product", "ticket", "agent", "activity"];

impl Timeline {
    /// Reads a timeline file, reporting every mistake in it.
    pub fn parse(source: &Arc<Source>) -> Result<Timeline, ScenarioError> {
        let doc = tree::parse(source).map_err(|mut d| {
            for d in &mut d {
                d.help = Some(
                    "timeline files are TOML: `product = \"messaging\"`, `[account]`, `[[ticket]]`"
                        .to_owned(),
                );
            }
            ScenarioError { diagnostics: d }
        })?;
        let mut sink = Sink::new(source);
        let mut root = Table::root(&doc);
        let product = root.get("product").and_then(|n| product(&mut sink, n));
        let start = match root.get("start") {
            Some(n) => start(&mut sink, n),
            None => DEFAULT_START.parse().ok(),
        };
        let until = root.get("until");
        let account = match root.get("account") {
            Some(n) => account(&mut sink, n),
            None => Some(TimelineAccount::default()),
        };
        let traffic = root
            .get("traffic")
            .map(|n| (Traffic::parse(&mut sink, n), n.span));
        let tickets = match traffic {
            Some(_) => root.get("ticket"),
            None => root.require(&mut sink, "ticket", "a timeline"),
        };
        let (mut agents, answers) = root
            .get("agent")
            .map(|n| agents(&mut sink, n))
            .unwrap_or_default();
        root.finish(&mut sink, FILE_KEYS, "a timeline");
        let (Some(start), Some(account)) = (start, account) else {
            return Err(ScenarioError::new(sink.diagnostics));
        };
        let until = until.and_then(|n| Some((moment(&mut sink, n, start)?, n.span)));
        let mut tickets = tickets
            .map(|n| conversations(&mut sink, n, product, start))
            .unwrap_or_default();
        if let Some((Some(traffic), span)) = traffic {
            tickets.extend(traffic.conversations(start, span));
            let generated = traffic.agents(&agents.agents);
            agents = Agents::new(agents.agents.into_iter().chain(generated).collect());
        }
        if let Some((until, span)) = until {
            horizon_after_activity(&mut sink, until, span, &tickets);
        }
        if sink.has_errors() {
            return Err(ScenarioError::new(sink.diagnostics));
        }
        Ok(Timeline {
            source: Arc::clone(source),
            start,
            until,
            account,
            tickets,
            agents,
            answers,
        })
    }

    /// When the first activity happens.
    pub fn first_activity(&self) -> Option<&Timed> {
        self.tickets
            .iter()
            .filter_map(|c| c.activity.first())
            .min_by_key(|t| t.at)
    }

    /// The last moment the timeline names: its last activity or the end of its last wait.
    pub fn last_moment(&self) -> Timestamp {
        self.tickets
            .iter()
            .map(|c| c.end)
            .max()
            .unwrap_or(self.start)
    }
}

/// A horizon before the first activity would simulate nothing: an error, pointing at both.
fn horizon_after_activity(sink: &mut Sink, until: Timestamp, span: Span, tickets: &[Conversation]) {
    let first = tickets
        .iter()
        .filter_map(|c| c.activity.first())
        .min_by_key(|t| t.at);
    if let Some(first) = first.filter(|f| until < f.at) {
        sink.push(horizon_error(until, first).label(span, "the horizon"));
    }
}

/// The error of a horizon before `first`, labelled at the activity.
pub fn horizon_error(until: Timestamp, first: &Timed) -> Diagnostic {
    Diagnostic::error(
        Code::HorizonBeforeActivity,
        format!(
            "the horizon `{until}` comes before the first activity, at `{}`",
            first.at
        ),
    )
    .label(first.span, "the first activity")
    .help("give a horizon after the first activity, or none to run to the timeline's end")
}

fn product(sink: &mut Sink, node: Node<'_, '_>) -> Option<Product> {
    let name = node.str(sink, "product")?;
    let folded = fold(name);
    if let Some((p, _)) = Product::ALL.iter().find(|(_, n)| *n == folded) {
        return Some(*p);
    }
    let names = Product::ALL.map(|(_, n)| n);
    let near = nearest(name, names.iter().map(|n| (*n, *n)));
    sink.push(
        Diagnostic::error(
            Code::InvalidValue,
            format!("`{}` is not a product", excerpt(name)),
        )
        .label(node.span, "unknown product")
        .help(did_you_mean(&near).unwrap_or_else(|| format!("the products: {}", names.join(", ")))),
    );
    None
}

fn account(sink: &mut Sink, node: Node<'_, '_>) -> Option<TimelineAccount> {
    let mut table = node.table(sink, "account")?;
    let before = sink.diagnostics.len();
    let mut account = TimelineAccount::default();
    if let Some(n) = table.get("inactivity_minutes") {
        let minutes = n.u32(sink, "inactivity_minutes");
        account.settings.inactivity_minutes = minutes.unwrap_or_default();
        account.model.messaging_inactivity_minutes = minutes;
    }
    if let Some(n) = table.get("push_notifications") {
        account.settings.push_notifications = n.bool(sink, "push_notifications").unwrap_or(true);
    }
    if let Some(n) = table.get("capacity_release") {
        account.settings.release = release(sink, n);
    }
    if let Some(n) = table.get("business_hours") {
        account.model.schedule = model::<Schedule>(sink, n, "business_hours");
    }
    if let Some(n) = table.get("automations_minute") {
        match n.u32(sink, "automations_minute").map(u8::try_from) {
            Some(Ok(m)) if m < 60 => account.automations_minute = m,
            Some(_) => sink.error(
                Code::InvalidValue,
                "`automations_minute` is a minute of the hour, 0 to 59".to_owned(),
                n.span,
                "not a minute",
            ),
            None => {}
        }
    }
    if let Some(n) = table.get("agent_ended_sessions_route_as_email") {
        account.model.agent_ended_sessions_route_as_email = n
            .bool(sink, "agent_ended_sessions_route_as_email")
            .unwrap_or_default();
    }
    if let Some(n) = table.get("routing") {
        account.model.routing = model::<RoutingSettings>(sink, n, "routing");
    }
    table.finish(sink, ACCOUNT_KEYS, "an account");
    (sink.diagnostics.len() == before).then_some(account)
}

/// `capacity_release = true` (Zendesk's defaults), or a table of `end_session` and
/// `steps = [{ after = 5, status = "pending" }, ...]`.
fn release(sink: &mut Sink, node: Node<'_, '_>) -> Option<Release> {
    if let tree::DeValue::Boolean(on) = node.value {
        return on.then(Release::default);
    }
    let mut table = node.table(sink, "capacity_release")?;
    let mut release = Release::default();
    if let Some(n) = table.get("end_session") {
        release.end_session = n.bool(sink, "end_session").unwrap_or_default();
    }
    if let Some(n) = table.get("steps") {
        let items = n.array(sink, "steps").unwrap_or_default();
        if items.is_empty() || items.len() > MAX_RELEASE_STEPS {
            sink.error(
                Code::InvalidValue,
                format!("capacity release has 1 to {MAX_RELEASE_STEPS} reminders"),
                n.span,
                "too few or too many",
            );
        }
        release.steps = items
            .iter()
            .filter_map(|i| release_step(sink, *i))
            .collect();
    }
    table.finish(sink, &["end_session", "steps"], "capacity_release");
    Some(release)
}

fn release_step(sink: &mut Sink, node: Node<'_, '_>) -> Option<ReleaseStep> {
    let mut table = node.table(sink, "a reminder")?;
    let after_minutes = table
        .require(sink, "after", "a reminder")
        .and_then(|n| n.u32(sink, "after"));
    let status = match table.get("status") {
        Some(n) => {
            let text = n.str(sink, "status")?;
            Some(status_value(sink, text, n.span)?)
        }
        None => None,
    };
    table.finish(sink, &["after", "status"], "a reminder");
    Some(ReleaseStep {
        after_minutes: after_minutes?,
        status,
    })
}

fn status_value(sink: &mut Sink, text: &str, span: Span) -> Option<Status> {
    let status = match fold(text).replace(['-', '_'], " ").trim() {
        "new" => Status::New,
        "open" => Status::Open,
        "pending" => Status::Pending,
        "hold" | "on hold" => Status::Hold,
        "solved" => Status::Solved,
        "closed" => Status::Closed,
        _ => {
            sink.error(
                Code::InvalidValue,
                format!("`{}` is not a status", excerpt(text)),
                span,
                "new, open, pending, on-hold, solved or closed",
            );
            return None;
        }
    };
    Some(status)
}

/// The `[[agent]]` tables: each an agent as an agents file gives one, and how they answer
/// offers (`offers = "accepts after 10 seconds"`).
fn agents(sink: &mut Sink, node: Node<'_, '_>) -> (Agents, IndexMap<u64, Answer>) {
    let mut listed = Vec::new();
    let mut answers = IndexMap::new();
    for item in node.array(sink, "agent").unwrap_or_default() {
        let Some(mut table) = item.table(sink, "an agent") else {
            continue;
        };
        let answer = table.get("offers").and_then(|n| self::answer(sink, n));
        let Some(mut json) = item.json(sink) else {
            continue;
        };
        if let serde_json::Value::Object(map) = &mut json {
            map.remove("offers");
        }
        let id = json.get("id").and_then(serde_json::Value::as_u64);
        if let (Some(id), Some(answer)) = (id, answer) {
            answers.insert(id, answer);
        }
        listed.push(json);
    }
    let text = serde_json::json!({ "agents": listed }).to_string();
    match Agents::from_json(std::path::Path::new("[[agent]]"), &text) {
        Ok(agents) => (agents, answers),
        Err(e) => {
            let reason = match e {
                AgentsError::Bad { reason, .. } | AgentsError::Unreadable { reason, .. } => reason,
            };
            sink.error(
                Code::InvalidValue,
                format!("the timeline's agents: {reason}"),
                node.span,
                "not agents",
            );
            (Agents::default(), IndexMap::new())
        }
    }
}

/// `offers = "accepts"`, `"accepts after 10 seconds"` or `"ignores"`.
fn answer(sink: &mut Sink, node: Node<'_, '_>) -> Option<Answer> {
    let text = node.str(sink, "offers")?;
    let folded = fold(text);
    let answer = match folded.trim() {
        "accepts" => Some(Answer::After(0)),
        "ignores" => Some(Answer::Never),
        other => other
            .strip_prefix("accepts after ")
            .and_then(duration)
            .and_then(|s| u32::try_from(s).ok())
            .map(Answer::After),
    };
    if answer.is_none() {
        sink.error(
            Code::InvalidValue,
            format!("`{}` is not how an agent answers offers", excerpt(text)),
            node.span,
            "`accepts`, `accepts after 10 seconds` or `ignores`",
        );
    }
    answer
}

fn conversations(
    sink: &mut Sink,
    node: Node<'_, '_>,
    product: Option<Product>,
    start: Timestamp,
) -> Vec<Conversation> {
    let items = node.array(sink, "ticket").unwrap_or_default();
    if items.is_empty() {
        sink.error(
            Code::MissingKey,
            "a timeline needs at least one `[[ticket]]`".to_owned(),
            node.span,
            "no ticket",
        );
    }
    items
        .iter()
        .enumerate()
        .filter_map(|(i, n)| conversation(sink, *n, i, product, start))
        .collect()
}

fn conversation(
    sink: &mut Sink,
    node: Node<'_, '_>,
    index: usize,
    product: Option<Product>,
    start: Timestamp,
) -> Option<Conversation> {
    let mut table = node.table(sink, "a ticket")?;
    let before = sink.diagnostics.len();
    let name = match table.get("name") {
        Some(n) => n.str(sink, "name").map(str::to_owned),
        None => Some(format!("ticket {}", index + 1)),
    };
    let product = match table.get("product") {
        Some(n) => self::product(sink, n),
        None if product.is_some() => product,
        None => {
            sink.error(
                Code::MissingKey,
                "the timeline names no product".to_owned(),
                table.head(),
                "which product is this conversation in?",
            );
            None
        }
    };
    let ticket = match table.get("ticket") {
        Some(n) => starting_ticket(sink, n),
        None => Some(Ticket::default()),
    };
    let agent = match table.get("agent") {
        Some(n) => n.u32(sink, "agent").map(u64::from),
        None => Some(DEFAULT_AGENT),
    };
    let activity = table.require(sink, "activity", "a ticket");
    let span = table.span;
    table.finish(sink, TICKET_KEYS, "a ticket");
    let (Some(product), Some(activity)) = (product, activity) else {
        return None;
    };
    let (activity, end) = entries(sink, activity, product, start)?;
    if sink.diagnostics.len() > before {
        return None;
    }
    Some(Conversation {
        name: name?,
        product,
        ticket: ticket?,
        agent: agent?,
        activity,
        end,
        span,
    })
}

/// The agent of a conversation that names none.
pub const DEFAULT_AGENT: u64 = 1;

/// The activity list, in time order, and the clock after it.
fn entries(
    sink: &mut Sink,
    node: Node<'_, '_>,
    product: Product,
    start: Timestamp,
) -> Option<(Vec<Timed>, Timestamp)> {
    let items = node.strings(sink, "activity")?;
    let mut clock = start;
    let mut last_span: Option<Span> = None;
    let mut timed = Vec::new();
    for (text, span) in items {
        let Some(entry) = entry(sink, &text, span, start) else {
            continue;
        };
        match entry {
            Entry::Wait(seconds) => match super::session::after(clock, seconds)
                .filter(|t| t.seconds_since(start) <= MAX_SPAN)
            {
                Some(t) => clock = t,
                None => sink.error(
                    Code::InvalidTime,
                    "this wait takes the timeline past ten years".to_owned(),
                    span,
                    "too long",
                ),
            },
            Entry::Do { at, activity, body } => {
                let at = at.unwrap_or(clock);
                if at < clock {
                    out_of_order(sink, span, at, clock, last_span);
                    continue;
                }
                if !activity.happens_in(product) {
                    not_in_product(sink, span, activity, product);
                    continue;
                }
                clock = at;
                last_span = Some(span);
                timed.push(Timed {
                    at,
                    activity,
                    body,
                    span,
                });
            }
        }
    }
    Some((timed, clock))
}

fn out_of_order(sink: &mut Sink, span: Span, at: Timestamp, clock: Timestamp, last: Option<Span>) {
    let mut d = Diagnostic::error(
        Code::ActivityOutOfOrder,
        format!("this activity, at `{at}`, comes before the moment it follows (`{clock}`)"),
    )
    .label(span, "earlier than the activity before it")
    .help("list a conversation's activity in time order; `wait` moves its clock forward");
    if let Some(last) = last {
        d = d.label(last, "the activity before it");
    }
    sink.push(d);
}

fn not_in_product(sink: &mut Sink, span: Span, activity: Activity, product: Product) {
    let also: Vec<&str> = Activity::NAMED
        .iter()
        .filter(|(a, _)| a.happens_in(product))
        .map(|(_, n)| *n)
        .collect();
    sink.push(
        Diagnostic::error(
            Code::ActivityNotInProduct,
            format!("`{}` does not happen in {product}", activity.name()),
        )
        .label(span, format!("not a {product} activity"))
        .help(format!(
            "{product} has: {}, agent sets status STATUS, wait DURATION",
            also.join(", ")
        )),
    );
}

enum Entry {
    Wait(i64),
    Do {
        at: Option<Timestamp>,
        activity: Activity,
        body: Option<String>,
    },
}

/// One activity string: `wait DURATION`, or `[H:MM[:SS]] WHAT[: text]`.
fn entry(sink: &mut Sink, text: &str, span: Span, start: Timestamp) -> Option<Entry> {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix("wait ") {
        return match duration(rest) {
            Some(seconds) => Some(Entry::Wait(seconds)),
            None => {
                invalid_time(sink, rest, span);
                None
            }
        };
    }
    let (at, rest) = match text.split_once(char::is_whitespace) {
        Some((first, rest))
            if first.contains(':') && first.starts_with(|c: char| c.is_ascii_digit()) =>
        {
            let Some(seconds) = clock_offset(first).filter(|s| *s <= MAX_SPAN) else {
                invalid_time(sink, first, span);
                return None;
            };
            (super::session::after(start, seconds), rest)
        }
        _ => (None, text),
    };
    let (what, body) = match rest.split_once(':') {
        Some((what, body)) => (what, Some(body.trim().to_owned())),
        None => (rest, None),
    };
    let activity = activity(sink, what, span)?;
    Some(Entry::Do { at, activity, body })
}

fn activity(sink: &mut Sink, what: &str, span: Span) -> Option<Activity> {
    let folded = fold(what).split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(status) = folded.strip_prefix("agent sets status ") {
        return status_value(sink, status, span).map(Activity::AgentSetsStatus);
    }
    if let Some((a, _)) = Activity::NAMED.iter().find(|(_, n)| *n == folded) {
        return Some(*a);
    }
    let names = Activity::NAMED.map(|(_, n)| n);
    let near = nearest(&folded, names.iter().map(|n| (*n, *n)));
    sink.push(
        Diagnostic::error(
            Code::UnknownActivity,
            format!("`{}` is not an activity declic knows", excerpt(what.trim())),
        )
        .label(span, "unknown activity")
        .help(did_you_mean(&near).unwrap_or_else(|| {
            format!(
                "the activities: {}, agent sets status STATUS, wait DURATION",
                names.join(", ")
            )
        })),
    );
    None
}

fn invalid_time(sink: &mut Sink, text: &str, span: Span) {
    sink.push(
        Diagnostic::error(
            Code::InvalidTime,
            format!("`{}` is not a time declic reads", excerpt(text)),
        )
        .label(span, "here")
        .help("write a time from the start as H:MM or H:MM:SS (`0:05`, `50:00`), and a duration as `90 seconds`, `10 minutes`, `2 hours`, `3 days` (at most 366 days at once, and 10 years in all)"),
    );
}

/// `H:MM` or `H:MM:SS` as seconds.
fn clock_offset(text: &str) -> Option<i64> {
    let parts: Vec<&str> = text.split(':').collect();
    let number = |s: &str| s.parse::<i64>().ok().filter(|_| !s.is_empty());
    let (h, m, s) = match parts.as_slice() {
        [h, m] => (number(h)?, number(m)?, 0),
        [h, m, s] => (number(h)?, number(m)?, number(s)?),
        _ => return None,
    };
    if m >= 60 || s >= 60 || m < 0 || s < 0 || h < 0 {
        return None;
    }
    h.checked_mul(3600)?.checked_add(m * 60 + s)
}

/// The longest duration a timeline or a scenario may wait at once, in seconds: a year and
/// a day. Each simulated hour runs the automations, so time is not free.
pub const MAX_WAIT: i64 = 366 * 86_400;

/// The longest a simulation may span, from its start to its horizon: ten years.
pub const MAX_SPAN: i64 = 3660 * 86_400;

/// `3 days`, `90 minutes`, `1 hour 30 minutes` as seconds; `None` past [`MAX_WAIT`].
pub fn duration(text: &str) -> Option<i64> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() || words.len() % 2 != 0 {
        return None;
    }
    let mut total: i64 = 0;
    for pair in words.chunks(2) {
        let n: i64 = pair[0].parse().ok().filter(|n| *n >= 0)?;
        let unit = match pair[1].to_ascii_lowercase().trim_end_matches('s') {
            "second" | "sec" => 1,
            "minute" | "min" => 60,
            "hour" => 3600,
            "day" => 86_400,
            "week" => 604_800,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(unit)?)?;
    }
    (total <= MAX_WAIT).then_some(total)
}

/// A moment: a date-time, `H:MM[:SS]` from `start`, or a duration after it; `None` when
/// it is none of these, or more than [`MAX_SPAN`] after `start`.
pub fn parse_moment(text: &str, start: Timestamp) -> Option<Timestamp> {
    let at = match text.parse::<Timestamp>() {
        Ok(t) => t,
        Err(_) => {
            let seconds = clock_offset(text).or_else(|| duration(text))?;
            super::session::after(start, seconds)?
        }
    };
    (at.seconds_since(start) <= MAX_SPAN).then_some(at)
}

fn moment(sink: &mut Sink, node: Node<'_, '_>, start: Timestamp) -> Option<Timestamp> {
    let text = match node.value {
        tree::DeValue::Datetime(d) => d.to_string(),
        _ => node.str(sink, "until")?.to_owned(),
    };
    let t = parse_moment(&text, start);
    if t.is_none() {
        invalid_time(sink, &text, node.span);
    }
    t
}

#[cfg(test)]
#[path = "timeline_tests.rs"]
mod tests;
