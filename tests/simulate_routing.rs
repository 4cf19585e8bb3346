//! Routing over time in `declic simulate` (DOMAIN 4c): offers and their 30 seconds,
//! capacity taken and released by what each ticket becomes, and the line of waiting
//! tickets, each rule with a case that holds and a near miss.

use std::collections::HashMap;

use declic::engine::Compiled;
use declic::model::WorkChannel;
use declic::routing::Router;
use declic::simulate::dispatch::Routed;
use declic::simulate::{simulate, Log, Options, Timeline, What};
use declic::Source;
use proptest::prelude::*;

/// Simulates `timeline` under the rules `rules` (queues, triggers), routing over time.
fn run_with(rules: &str, timeline: &str) -> Log {
    let checked = declic::check(&[Source::new("rules.declic", rules)])
        .into_result()
        .expect("the rules check");
    let engine = Compiled::new(&checked).expect("they compile");
    let router = Router::new(&checked).expect("the queues compile");
    let timeline =
        Timeline::parse(&Source::new("t.timeline.toml", timeline)).expect("the timeline reads");
    let options = Options {
        router: Some(&router),
        ..Options::default()
    };
    simulate(&timeline, &engine, &options)
}

fn run(timeline: &str) -> Log {
    run_with("", timeline)
}

/// The routing lines of `log`, as text, each after its ticket's conversation name.
fn routing(log: &Log) -> Vec<String> {
    log.entries
        .iter()
        .filter_map(|e| match &e.what {
            What::Routing(r) => Some(format!("{} {} {r}", e.at, e.conversation)),
            _ => None,
        })
        .collect()
}

fn has(log: &Log, needle: &str) -> bool {
    routing(log).iter().any(|l| l.contains(needle))
}

/// Asserts that the log has a routing line with each of `needles`.
fn expect(log: &Log, needles: &[&str]) {
    for needle in needles {
        assert!(has(log, needle), "{needle}: {:#?}", routing(log));
    }
}

/// A messaging timeline over the agents `agents` (TOML `[[agent]]` tables) and the
/// conversations `tickets` (`[[ticket]]` tables), in group 1.
fn timeline(account: &str, agents: &str, tickets: &str) -> String {
    format!(
        "product = \"messaging\"\nstart = 2024-05-06T09:00:00Z\n\n[account]\ninactivity_minutes = 10\n{account}\n{agents}\n{tickets}"
    )
}

fn agent(id: u64, capacity: u32, offers: &str) -> String {
    format!(
        "[[agent]]\nid = {id}\nname = \"A{id}\"\ngroup_ids = [1]\noffers = \"{offers}\"\nchannels = {{ messaging = {{ status = \"online\", capacity = {capacity} }}, email = {{ status = \"online\", capacity = {capacity} }} }}\n"
    )
}

fn ticket(name: &str, fields: &str, activity: &[&str]) -> String {
    let quoted: Vec<String> = activity.iter().map(|a| format!("\"{a}\"")).collect();
    format!(
        "[[ticket]]\nname = \"{name}\"\nticket = {{ group_id = 1{fields} }}\nactivity = [{}]\n",
        quoted.join(", ")
    )
}

#[test]
fn an_offer_unanswered_for_30_seconds_goes_to_the_next_agent() {
    let tickets = ticket(
        "Marie",
        "",
        &["0:00 end user writes: hello", "wait 1 minute"],
    );
    let silent = run(&timeline(
        "",
        &(agent(1, 1, "ignores") + &agent(2, 1, "accepts")),
        &tickets,
    ));
    expect(
        &silent,
        &[
            "09:00:00Z Marie offered to A1 (1)",
            "09:00:30Z Marie offer to A1 (1) unanswered after 30 s: reassigned",
            "09:00:30Z Marie offered to A2 (2)",
            "09:00:30Z Marie accepted by A2 (2), after 30 s waiting",
        ],
    );
    // Near miss: an answer within the 30 seconds keeps the offer.
    let slow = run(&timeline(
        "",
        &(agent(1, 1, "accepts after 29 seconds") + &agent(2, 1, "accepts")),
        &tickets,
    ));
    expect(&slow, &["09:00:29Z Marie accepted by A1 (1)"]);
    assert!(!has(&slow, "unanswered"));
    assert_eq!(
        slow.tickets[0].assignee_id,
        Some(1),
        "the accepting agent is the assignee"
    );
}

/// A case of release: its name, the account's lines, the ticket's fields, the activity,
/// the release line, and whether it must be written.
type Release<'a> = (&'a str, &'a str, &'a str, &'a [&'a str], &'a str, bool);

/// Capacity released by what the ticket becomes, per channel (DOMAIN 4c): each case a
/// conversation with one agent, the line its release writes, and whether it must.
#[test]
fn capacity_is_released_per_channel_by_what_the_ticket_becomes() {
    let email = ", routing_channel = \"email\", tags = [\"auto-routing\"]";
    let cases: &[Release] = &[
        // name, account, ticket fields, activity, release line, released?
        (
            "messaging: pending releases",
            "",
            "",
            &["0:00 end user writes: hi", "0:02 agent sets status pending"],
            "messaging: the ticket is pending",
            true,
        ),
        (
            "messaging: a reply does not",
            "",
            "",
            &["0:00 end user writes: hi", "0:02 agent replies: hello"],
            "capacity released",
            false,
        ),
        (
            "messaging: inactivity releases",
            "",
            "",
            &[
                "0:00 end user writes: hi",
                "0:01 agent replies: hello",
                "wait 15 minutes",
            ],
            "messaging: the conversation is inactive",
            true,
        ),
        (
            "messaging: inactivity keeps when inactive ones count",
            "routing = { count_inactive_conversations = true }",
            "",
            &[
                "0:00 end user writes: hi",
                "0:01 agent replies: hello",
                "wait 15 minutes",
            ],
            "capacity released",
            false,
        ),
        (
            "messaging: the session's end releases",
            "",
            "",
            &["0:00 end user writes: hi", "0:02 agent ends the chat"],
            "messaging: the session ended",
            true,
        ),
        (
            "messaging: route as email moves the work to email capacity",
            "agent_ended_sessions_route_as_email = true",
            "",
            &["0:00 end user writes: hi", "0:02 agent ends the chat"],
            "capacity counted: A1 (1), email: routed as email now",
            true,
        ),
        (
            "email: on-hold releases",
            "",
            email,
            &["0:00 end user writes: hi", "0:02 agent sets status on-hold"],
            "email: the ticket is hold",
            true,
        ),
        (
            "email: open keeps",
            "",
            email,
            &["0:00 end user writes: hi", "0:02 agent sets status open"],
            "capacity released",
            false,
        ),
    ];
    for (name, account, fields, activity, line, released) in cases {
        let mut activity = activity.to_vec();
        activity.push("wait 1 minute");
        let log = run(&timeline(
            account,
            &agent(1, 2, "accepts"),
            &ticket("Marie", fields, &activity),
        ));
        assert!(
            has(&log, "Marie offered to A1 (1)") || has(&log, "Marie assigned to A1 (1)"),
            "{name}: routed first: {:#?}",
            routing(&log)
        );
        assert_eq!(has(&log, line), *released, "{name}: {:#?}", routing(&log));
        let agents = log.agents.expect("routing ran");
        let load: u32 = agents.agents[0].channels.values().map(|c| c.load).sum();
        assert_eq!(
            load == 0,
            *released && !line.contains("counted"),
            "{name}: load {load}"
        );
    }
}

/// Work that comes back counts again: a pending conversation the end user reopens.
#[test]
fn a_reopened_conversation_counts_again() {
    let pending = |last: &str| {
        let activity = [
            "0:00 end user writes: hi",
            "0:02 agent sets status pending",
            last,
        ];
        run(&timeline(
            "",
            &agent(1, 2, "accepts"),
            &ticket("Marie", "", &activity),
        ))
    };
    expect(
        &pending("0:03 end user writes: still broken"),
        &[
            "09:02:00Z Marie capacity released",
            "09:03:00Z Marie capacity counted: A1 (1), messaging: its work is open again",
        ],
    );
    // Near miss: no reopening, nothing counted again.
    let kept = pending("wait 1 minute");
    assert!(!has(&kept, "capacity counted"), "{:#?}", routing(&kept));
}

/// One agent with room for one: `First` holds them until it is solved at 0:10 while the
/// others wait; each waiting conversation turns inactive ten minutes after its start,
/// releasing the agent for the next in line. Returns who was accepted, in order.
fn line_of(rules: &str, waiting: &[(&str, &str)]) -> Vec<String> {
    let mut tickets = ticket(
        "First",
        "",
        &["0:00 end user writes: hi", "0:10 agent sets status solved"],
    );
    for (i, (name, fields)) in waiting.iter().enumerate() {
        let writes = format!("0:0{} end user writes: hi", i + 1);
        let replies = format!("0:0{} agent replies: one moment", i + 1);
        tickets += &ticket(name, fields, &[&writes, &replies, "wait 30 minutes"]);
    }
    let log = run_with(rules, &timeline("", &agent(1, 1, "accepts"), &tickets));
    routing(&log)
        .into_iter()
        .filter(|l| l.contains("accepted by"))
        .filter_map(|l| l.split_whitespace().nth(1).map(str::to_owned))
        .collect()
}

#[test]
fn waiting_tickets_go_by_priority_then_age() {
    // The urgent ticket passes the older normal one; of equal priority, the older first.
    let order = line_of(
        "",
        &[
            ("Old", ""),
            ("Urgent", ", priority = \"urgent\""),
            ("Young", ""),
        ],
    );
    assert_eq!(order, ["First", "Urgent", "Old", "Young"]);
    // Near miss: all of one priority, arrival order.
    let order = line_of("", &[("Old", ""), ("Middle", ""), ("Young", "")]);
    assert_eq!(order, ["First", "Old", "Middle", "Young"]);
}

#[test]
fn a_higher_priority_queue_goes_before_ticket_priority() {
    let queues = r#"
queue "VIP" {
  order 1
  priority 5
  when all {
    Tags includes vip
  }
  groups {
    primary 1
  }
}
queue "Everyone" {
  order 2
  priority 50
  when all {
    Tags excludes vip
  }
  groups {
    primary 1
  }
}
"#;
    let order = line_of(
        queues,
        &[
            ("Urgent", ", priority = \"urgent\""),
            ("Vip", ", tags = [\"vip\"]"),
        ],
    );
    assert_eq!(order, ["First", "Vip", "Urgent"]);
    // Near miss: without the VIP tag both wait in one queue, and urgency goes first.
    let order = line_of(
        queues,
        &[("Urgent", ", priority = \"urgent\""), ("Plain", "")],
    );
    assert_eq!(order, ["First", "Urgent", "Plain"]);
}

/// A random messaging timeline: up to three agents of random capacity and answers, up to
/// six conversations of random activity.
fn random_timeline() -> impl Strategy<Value = String> {
    let answer = prop_oneof![
        Just("accepts"),
        Just("ignores"),
        Just("accepts after 10 seconds"),
        Just("accepts after 45 seconds"),
    ];
    let agents = prop::collection::vec((1u32..=3, answer), 1..=3);
    let step = prop_oneof![
        Just("end user writes: hi"),
        Just("agent replies: hello"),
        Just("agent sets status pending"),
        Just("agent sets status solved"),
        Just("agent sets status open"),
        Just("agent ends the chat"),
    ];
    let convo = (0u32..20, prop::collection::vec((0u32..90, step), 0..6));
    let tickets = prop::collection::vec(convo, 1..=6);
    let account = prop_oneof![
        Just(""),
        Just("agent_ended_sessions_route_as_email = true"),
        Just("routing = { count_inactive_conversations = true }"),
    ];
    (account, agents, tickets).prop_map(|(account, agents, tickets)| {
        let agents: String = agents
            .iter()
            .enumerate()
            .map(|(i, (capacity, answer))| agent(i as u64 + 1, *capacity, answer))
            .collect();
        let tickets: String = tickets
            .iter()
            .enumerate()
            .map(|(i, (start, steps))| {
                let mut at = *start * 60;
                let mut activity = vec![format!("{} end user writes: hi", clock(at))];
                for (gap, step) in steps {
                    at += gap;
                    activity.push(format!("{} {step}", clock(at)));
                }
                activity.push("wait 20 minutes".to_owned());
                let refs: Vec<&str> = activity.iter().map(String::as_str).collect();
                ticket(&format!("T{i}"), "", &refs)
            })
            .collect();
        timeline(account, &agents, &tickets)
    })
}

fn clock(seconds: u32) -> String {
    format!(
        "{}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Routing never hands work to an agent past their capacity, and the load the agents
    /// end with is what the log's lines add up to, never below zero on the way.
    #[test]
    fn no_agent_is_ever_over_capacity_by_routing(text in random_timeline()) {
        let log = run(&text);
        let mut load: HashMap<(u64, WorkChannel), i64> = HashMap::new();
        for entry in &log.entries {
            let What::Routing(routed) = &entry.what else { continue };
            match routed {
                Routed::Offered { agent, channel, load: after, capacity, .. }
                | Routed::Assigned { agent, channel, load: after, capacity, .. } => {
                    prop_assert!(after <= capacity, "{}", entry.text());
                    let n = load.entry((agent.id, *channel)).or_default();
                    *n += 1;
                    prop_assert_eq!(*n, i64::from(*after), "{}", entry.text());
                }
                Routed::Counted { agent, channel, .. } => {
                    *load.entry((agent.id, *channel)).or_default() += 1;
                }
                Routed::Released { agent, channel, .. } => {
                    let n = load.entry((agent.id, *channel)).or_default();
                    *n -= 1;
                    prop_assert!(*n >= 0, "{}", entry.text());
                }
                _ => {}
            }
        }
        let agents = log.agents.expect("routing ran");
        for a in &agents.agents {
            for (channel, c) in &a.channels {
                let replayed = load.get(&(a.id, *channel)).copied().unwrap_or(0);
                prop_assert_eq!(i64::from(c.load), replayed, "agent {} {:?}", a.id, channel);
            }
        }
    }
}

fn traffic(table: &str) -> Result<Timeline, declic::scenario::ScenarioError> {
    Timeline::parse(&Source::new(
        "t.timeline.toml",
        format!("start = 2024-05-06T00:00:00Z\n\n[traffic]\n{table}\n"),
    ))
}

/// A `[traffic]` table generates its conversations and agents from its seed: the same
/// seed, the same day; another seed, another day.
#[test]
fn traffic_is_generated_from_its_seed() {
    let day = |seed: u32| {
        traffic(&format!(
            "conversations = 50\nover = \"24 hours\"\nseed = {seed}\nagents = 4\ncapacity = 2"
        ))
        .expect("the traffic reads")
    };
    let (a, again, other) = (day(7), day(7), day(8));
    assert_eq!(a.tickets.len(), 50);
    assert_eq!(a.agents.agents.len(), 4);
    assert!(a.agents.agents.iter().all(|g| g.group_ids == [1]));
    let moments = |t: &Timeline| -> Vec<_> {
        t.tickets
            .iter()
            .flat_map(|c| c.activity.iter().map(|a| (a.at, a.activity)))
            .collect()
    };
    assert_eq!(moments(&a), moments(&again), "the same seed, the same day");
    assert_ne!(moments(&a), moments(&other), "another seed, another day");
    let last = a.last_moment().seconds_since(a.start);
    assert!(
        last > 0 && last < 86_400 + 3_600,
        "spread over the day: {last}"
    );
    // And it simulates: every conversation becomes a ticket the agents take or queue.
    let engine =
        Compiled::new(&declic::check(&[]).into_result().expect("empty rules")).expect("compiles");
    let checked = declic::check(&[]).into_result().expect("empty rules");
    let router = Router::new(&checked).expect("no queues");
    let options = Options {
        router: Some(&router),
        ..Options::default()
    };
    let log = simulate(&a, &engine, &options);
    assert_eq!(log.tickets.len(), 50);
    let summary = log.routing.expect("routing ran");
    let handled: usize = summary.agents.iter().map(|a| a.handled).sum();
    assert!(handled > 0 && handled <= 50, "{handled}");
}

#[test]
fn a_bad_traffic_table_is_an_error() {
    for (table, message) in [
        ("conversations = 0", "1 to 1000000 conversations"),
        ("over = \"a while\"", "is not a span"),
        ("seeds = 3", "seeds"),
        ("capacity = 501", "at most 500"),
        ("agents = 4000000000", "at most 10000 agents"),
    ] {
        let error = traffic(table).expect_err(table);
        assert!(
            error
                .diagnostics
                .iter()
                .any(|d| d.message.contains(message)),
            "{table}: {:#?}",
            error.diagnostics
        );
    }
    // Near miss: a good table, and no `[[ticket]]` needed beside it.
    assert!(traffic("conversations = 1").is_ok());
}

fn declic() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("declic").expect("the binary is built")
}

/// The JSON lines of `declic simulate` on the golden routing timeline, with `args`.
fn json_lines(args: &[&str]) -> Vec<serde_json::Value> {
    let out = declic()
        .args([
            "simulate",
            "recipes/en",
            "examples/timelines/routing-offers.timeline.toml",
            "--format",
            "json",
        ])
        .args(args)
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect()
}

/// `--agents` replaces the timeline's agents; the JSON log ends with the summary.
#[test]
fn agents_from_a_file_take_the_work_and_the_summary_ends_the_json() {
    let offered_to = |lines: &[serde_json::Value]| -> Vec<u64> {
        lines
            .iter()
            .filter(|l| l["kind"] == "routing" && l["routing"]["event"] == "offered")
            .filter_map(|l| l["routing"]["agent"]["id"].as_u64())
            .collect()
    };
    let from_file = json_lines(&["--agents", "tests/routing/agents.json"]);
    let offers = offered_to(&from_file);
    assert!(
        !offers.is_empty() && offers.iter().all(|id| *id == 361_000_000_501),
        "{offers:?}"
    );
    let summary = from_file.last().expect("lines");
    assert_eq!(summary["kind"], "summary");
    assert_eq!(
        summary["routing"]["agents"].as_array().map(Vec::len),
        Some(2)
    );
    // Near miss: without the file, the timeline's own agents.
    let own = json_lines(&[]);
    assert!(offered_to(&own).iter().all(|id| [11, 12].contains(id)));
    assert_eq!(
        own.last().expect("lines")["routing"]["agents"][0]["agent"]["name"],
        "Ana"
    );
}

const USERS: &str = "tests/fixtures/agents/users.json";
const MEMBERSHIPS: &str = "tests/fixtures/agents/group_memberships.json";

/// Zendesk's users and group memberships exports give the agents: agents and admins who
/// are active and not suspended, in their groups, online with the default capacity.
#[test]
fn agents_come_from_zendesk_users_and_group_memberships() {
    let agents = declic::routing::Agents::load_with(USERS.as_ref(), Some(MEMBERSHIPS.as_ref()))
        .expect("the exports read");
    let ids: Vec<u64> = agents.agents.iter().map(|a| a.id).collect();
    // Not the suspended agent, the inactive one, nor the end user.
    assert_eq!(ids, [361_000_000_501, 361_000_000_502, 361_000_000_503]);
    let marc = agents.get(361_000_000_502).expect("Marc");
    assert_eq!(marc.group_ids, [360_012_000_201, 360_012_000_100]);
    assert_eq!(marc.name.as_deref(), Some("Marc Dubois"));
    for (channel, capacity) in declic::routing::DEFAULT_CAPACITY {
        let c = &marc.channels[&channel];
        assert_eq!((c.capacity, c.load), (capacity, 0), "{channel:?}");
        assert!(marc.available(channel), "online on {channel:?}");
    }
}

#[test]
fn zendesk_exports_go_together() {
    let error = |memberships: Option<&str>, users: &str| {
        declic::routing::Agents::load_with(users.as_ref(), memberships.map(AsRef::as_ref))
            .expect_err("refused")
            .to_string()
    };
    assert!(error(None, USERS).contains("needs its group memberships"));
    assert!(error(Some(MEMBERSHIPS), "tests/routing/agents.json").contains("agents file"));
    assert!(error(Some(USERS), USERS).contains("not a group memberships export"));
    // One page of several would drop the other pages' agents silently.
    let page = |more: &str| {
        declic::routing::Agents::from_zendesk(
            "users.json".as_ref(),
            &format!(r#"{{"users": [{{"id": 1, "role": "agent"}}], {more}}}"#),
            None,
        )
    };
    for more in [
        r#""next_page": "https://x.zendesk.com/api/v2/users.json?page=2""#,
        r#""meta": {"has_more": true}"#,
    ] {
        let e = page(more).expect_err(more).to_string();
        assert!(e.contains("one page of several"), "{e}");
    }
    assert!(page(r#""next_page": null, "meta": {"has_more": false}"#).is_ok());
    // Near miss: an agents file alone reads as before.
    assert!(declic::routing::Agents::load_with("tests/routing/agents.json".as_ref(), None).is_ok());
    // And on the command line: the users export routes the golden timeline's work.
    let lines = json_lines(&["--agents", USERS, "--group-memberships", MEMBERSHIPS]);
    let summary = lines.last().expect("lines");
    assert_eq!(
        summary["routing"]["agents"][0]["agent"]["name"],
        "Léa Martin"
    );
    let out = declic()
        .args([
            "simulate",
            "recipes/en",
            "examples/timelines/routing-offers.timeline.toml",
        ])
        .args(["--group-memberships", MEMBERSHIPS])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

/// Triggers that undo every assignment would route the ticket again and again at one
/// moment: routing stops, with a warning, instead of running away.
#[test]
fn triggers_that_undo_every_assignment_stop_routing_with_a_warning() {
    let unassign = "trigger \"Unassign\" {\n  when all {\n    Assignee is present\n  }\n  then {\n    Assignee = none\n  }\n}\n";
    let tickets = ticket("Marie", "", &["0:00 end user writes: hi", "wait 1 minute"]);
    let warned = |log: &Log| {
        log.entries
            .iter()
            .any(|e| matches!(&e.what, What::Warning(w) if w.starts_with("routing stopped")))
    };
    let log = run_with(unassign, &timeline("", &agent(1, 1, "accepts"), &tickets));
    assert!(warned(&log), "{:#?}", routing(&log));
    // Near miss: without the trigger the ticket is simply assigned.
    let log = run(&timeline("", &agent(1, 1, "accepts"), &tickets));
    assert!(!warned(&log));
    assert_eq!(log.tickets[0].assignee_id, Some(1));
}

/// Generated agents take ids after the agents a timeline lists, so none is given twice.
#[test]
fn generated_agents_never_take_a_listed_id() {
    let ids = |listed: u64| {
        let timeline = Timeline::parse(&Source::new(
            "t.timeline.toml",
            format!(
                "start = 2024-05-06T00:00:00Z\n\n[[agent]]\nid = {listed}\n\
                 channels = {{ messaging = {{ status = \"online\", capacity = 1 }} }}\n\n\
                 [traffic]\nconversations = 1\nagents = 3\n"
            ),
        ))
        .expect("the timeline reads");
        let mut ids: Vec<u64> = timeline.agents.agents.iter().map(|a| a.id).collect();
        ids.sort_unstable();
        ids
    };
    // The generator's own first id, listed: the generated ones follow it.
    assert_eq!(ids(9001), [9001, 9002, 9003, 9004]);
    // Near miss: a listed id below the generator's range leaves it as it is.
    assert_eq!(ids(7), [7, 9001, 9002, 9003]);
}

/// The agents a timeline lists come before the account folder's agents.json, and
/// `--agents` before both.
#[test]
fn a_timelines_agents_come_before_the_accounts() {
    let account = tempfile::tempdir().expect("a folder");
    std::fs::copy(
        "tests/routing/agents.json",
        account.path().join("agents.json"),
    )
    .expect("copied");
    let account = account.path().to_str().expect("UTF-8").to_owned();
    let agents = |extra: &[&str]| -> std::collections::BTreeSet<u64> {
        let mut args = vec!["--account", account.as_str()];
        args.extend(extra);
        json_lines(&args)
            .iter()
            .filter_map(|line| line["routing"]["agent"]["id"].as_u64())
            .collect()
    };
    // The timeline's Ana (11) and Ben (12), not the account's agents.
    assert_eq!(agents(&[]), [11, 12].into());
    // Near miss: --agents wins over the timeline.
    let given = agents(&["--agents", "tests/routing/agents.json"]);
    assert!(given.iter().all(|id| *id > 1000), "{given:?}");
}
