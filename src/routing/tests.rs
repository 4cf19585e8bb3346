//! One test per rule of DOMAIN 4c, each with the case that holds and a near miss, and a
//! property: routing alone never puts an agent over capacity.

use std::sync::Arc;

use proptest::prelude::*;
use serde_json::{json, Value};

use super::*;
use crate::check::queue::{Groups, Queue, Subqueue};
use crate::check::rules::Origin;
use crate::model::{
    AssignmentMethod, Decision, Handoff, NotRoutedCode, QueueTaken, RoutingSettings, WorkChannel,
};

/// A queue named `name` with `conditions` (trigger condition lines), `priority`, and
/// primary and secondary groups.
fn queue(name: &str, conditions: &str, priority: u8, primary: &[u64], secondary: &[u64]) -> Queue {
    let text = format!(
        "trigger \"{name}\" {{\n  when all {{\n    {conditions}\n  }}\n  then {{\n    Tags += x\n  }}\n}}\n"
    );
    let source = crate::Source::new("q.declic", text);
    let rules = crate::check(&[Arc::clone(&source)])
        .into_result()
        .unwrap_or_else(|e| panic!("{conditions}: {e:?}"));
    let t = &rules.triggers[0];
    Queue {
        name: name.to_owned(),
        description: None,
        zendesk_id: None,
        order: None,
        priority,
        conditions: t.conditions.clone(),
        groups: Groups {
            primary: primary.to_vec(),
            secondary: secondary.to_vec(),
        },
        subqueues: Vec::new(),
        origin: Origin {
            source,
            span: t.origin.span,
        },
        title_span: t.title_span,
        comments: Vec::new(),
    }
}

fn router(queues: Vec<Queue>) -> Router {
    Router::new(&RuleSet {
        queues,
        ..RuleSet::default()
    })
    .expect("compiles")
}

fn event(ticket: Value, routing: Value) -> Event {
    let v = json!({"ticket": ticket, "account": {"routing": routing}});
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{v}: {e}"))
}

fn route(r: &Router, ticket: Value, agents: Option<&mut Agents>) -> Decision {
    route_with(r, ticket, json!({}), agents)
}

fn route_with(r: &Router, ticket: Value, routing: Value, agents: Option<&mut Agents>) -> Decision {
    let e = event(ticket, routing);
    r.route(&e, &e.ticket, agents)
}

fn agents(v: Value) -> Agents {
    Agents::from_json("agents.json".as_ref(), &v.to_string()).expect("valid agents")
}

/// An agent of `groups` online on every channel, with `capacity` and `load` on `channel`.
fn agent(id: u64, groups: &[u64], channel: &str, capacity: u32, load: u32) -> Value {
    json!({"id": id, "group_ids": groups,
           "channels": {channel: {"status": "online", "capacity": capacity, "load": load}}})
}

fn not_routed(d: &Decision) -> Option<NotRoutedCode> {
    d.reason.as_ref().map(|r| r.code)
}

fn queue_name(d: &Decision) -> Option<&str> {
    match &d.queue {
        Some(QueueTaken::Custom { name, .. }) => Some(name),
        Some(QueueTaken::Standard { .. }) => Some("standard"),
        None => None,
    }
}

#[test]
fn eligibility_has_a_reason_for_each_ticket_left_out() {
    let r = router(Vec::new());
    let ended = json!({"state": "ended", "end_reason": "ended_by_agent"});
    let cases = [
        (
            json!({"status": "pending", "group_id": 1, "via": {"id": 75}}),
            Some(NotRoutedCode::Status),
        ),
        (
            json!({"status": "hold", "group_id": 1, "via": {"id": 75}}),
            Some(NotRoutedCode::Status),
        ),
        (
            json!({"status": "solved", "group_id": 1, "via": {"id": 75}}),
            Some(NotRoutedCode::Status),
        ),
        (
            json!({"status": "open", "assignee_id": 9, "group_id": 1, "via": {"id": 75}}),
            Some(NotRoutedCode::Assigned),
        ),
        // Assigned or not, an ended session still routed as messaging leaves every queue.
        (
            json!({"status": "open", "assignee_id": 9, "group_id": 1, "via": {"id": 75},
                "routing_channel": "messaging", "messaging_session": ended}),
            Some(NotRoutedCode::EndedSessionRoutedAsMessaging),
        ),
        // Near misses: the same session routed as email is routed; New and Open are.
        (
            json!({"status": "open", "group_id": 1, "via": {"id": 75}, "tags": ["auto-routing"],
                "routing_channel": "email", "messaging_session": ended}),
            None,
        ),
        (
            json!({"status": "new", "group_id": 1, "via": {"id": 75}}),
            None,
        ),
        (
            json!({"status": "open", "group_id": 1, "via": {"id": 75}}),
            None,
        ),
    ];
    for (ticket, want) in cases {
        let d = route(&r, ticket.clone(), None);
        assert_eq!(not_routed(&d), want, "{ticket}");
        assert_eq!(d.routed, want.is_none(), "{ticket}");
    }
}

#[test]
fn the_channel_of_the_work_follows_the_ticket() {
    let cases = [
        (json!({"via": {"id": 75}}), WorkChannel::Messaging),
        (
            json!({"via": {"id": 75}, "routing_channel": "email"}),
            WorkChannel::Email,
        ),
        (
            json!({"routing_channel": "messaging"}),
            WorkChannel::Messaging,
        ),
        (json!({"via": {"id": 34}}), WorkChannel::Talk),
        (json!({"via": {"id": 4}}), WorkChannel::Email),
        (json!({"via": {"id": 0}}), WorkChannel::Email),
        (json!({}), WorkChannel::Email),
    ];
    for (ticket, want) in cases {
        let t: crate::model::Ticket = serde_json::from_value(ticket.clone()).expect("ticket");
        assert_eq!(work_channel(&t), want, "{ticket}");
    }
}

#[test]
fn custom_queues_are_tried_in_order_and_order_beats_priority() {
    let r = router(vec![
        queue("low priority first", "Canal is Messagerie", 50, &[1], &[]),
        queue("high priority second", "Canal is Messagerie", 1, &[2], &[]),
        queue("email", "Canal de routage is E-mail", 1, &[3], &[]),
    ]);
    let d = route(&r, json!({"status": "open", "via": {"id": 75}}), None);
    assert_eq!(queue_name(&d), Some("low priority first"));
    assert!(matches!(
        d.queue,
        Some(QueueTaken::Custom { priority: 50, .. })
    ));
    // Near miss: a ticket the first two do not match reaches the third.
    let d = route(
        &r,
        json!({"status": "open", "via": {"id": 4}, "routing_channel": "email"}),
        None,
    );
    assert_eq!(queue_name(&d), Some("email"));
    // A custom queue takes the ticket whatever its group, and without the tag.
    let d = route(
        &r,
        json!({"status": "open", "via": {"id": 75}, "group_id": 99}),
        None,
    );
    assert_eq!(queue_name(&d), Some("low priority first"));
}

#[test]
fn the_standard_queue_needs_a_group_and_for_email_the_auto_routing_tag() {
    let r = router(vec![queue("never", "Tags includes never", 1, &[1], &[])]);
    let cases = [
        (
            json!({"status": "open", "via": {"id": 4}}),
            json!({}),
            Some(NotRoutedCode::NoGroup),
        ),
        (
            json!({"status": "open", "via": {"id": 4}, "group_id": 5}),
            json!({}),
            Some(NotRoutedCode::NoAutoRoutingTag),
        ),
        (
            json!({"status": "open", "via": {"id": 4}, "group_id": 5, "tags": ["auto-routing"]}),
            json!({}),
            None,
        ),
        // The account names its own tag: the default one no longer counts.
        (
            json!({"status": "open", "via": {"id": 4}, "group_id": 5, "tags": ["auto-routing"]}),
            json!({"auto_routing_tag": "route-me"}),
            Some(NotRoutedCode::NoAutoRoutingTag),
        ),
        (
            json!({"status": "open", "via": {"id": 4}, "group_id": 5, "tags": ["route-me"]}),
            json!({"auto_routing_tag": "route-me"}),
            None,
        ),
        // Messaging needs a group, not the tag.
        (
            json!({"status": "open", "via": {"id": 75}, "group_id": 5}),
            json!({}),
            None,
        ),
        (
            json!({"status": "open", "via": {"id": 75}}),
            json!({}),
            Some(NotRoutedCode::NoGroup),
        ),
    ];
    for (ticket, routing, want) in cases {
        let d = route_with(&r, ticket.clone(), routing, None);
        assert_eq!(not_routed(&d), want, "{ticket}");
        if want.is_none() {
            assert_eq!(
                d.queue,
                Some(QueueTaken::Standard { group_id: 5 }),
                "{ticket}"
            );
        }
    }
}

#[test]
fn subqueues_split_by_the_ticket_id() {
    let mut q = queue("split", "Canal is Messagerie", 1, &[], &[]);
    q.subqueues = vec![
        Subqueue {
            name: "a".into(),
            percentage: 30,
            priority: 5,
            groups: Groups {
                primary: vec![1],
                secondary: vec![],
            },
        },
        Subqueue {
            name: "b".into(),
            percentage: 70,
            priority: 9,
            groups: Groups {
                primary: vec![2],
                secondary: vec![],
            },
        },
    ];
    let r = router(vec![q]);
    for (id, sub, priority) in [
        (0, "a", 5),
        (29, "a", 5),
        (30, "b", 9),
        (99, "b", 9),
        (129, "a", 5),
    ] {
        let d = route(
            &r,
            json!({"id": id, "status": "open", "via": {"id": 75}}),
            None,
        );
        match d.queue {
            Some(QueueTaken::Custom {
                subqueue,
                priority: p,
                ..
            }) => {
                assert_eq!(subqueue.as_deref(), Some(sub), "ticket {id}");
                assert_eq!(p, priority, "ticket {id}");
            }
            other => panic!("ticket {id}: {other:?}"),
        }
    }
}

#[test]
fn primary_groups_before_secondary_groups() {
    let r = router(vec![queue("q", "Canal is Messagerie", 1, &[1], &[2])]);
    let ticket = json!({"status": "open", "via": {"id": 75}});
    // The secondary agent has more spare capacity, yet the primary one gets it.
    let mut a = agents(
        json!({"agents": [agent(20, &[2], "messaging", 5, 0), agent(10, &[1], "messaging", 2, 1)]}),
    );
    let d = route(&r, ticket.clone(), Some(&mut a));
    let pick = d.agent.expect("an agent");
    assert_eq!(
        (pick.agent_id, pick.group_id, pick.secondary),
        (10, 1, false)
    );
    assert_eq!(pick.how, Handoff::Offered);
    // Near miss: the primary agent is now full, so the secondary group's agent gets it.
    let d = route(&r, ticket, Some(&mut a));
    let pick = d.agent.expect("an agent");
    assert_eq!(
        (pick.agent_id, pick.group_id, pick.secondary),
        (20, 2, true)
    );
}

/// Two agents level on the method's measure; the tie goes to who waited longest.
fn tie(method: &str, a: Value, b: Value) -> u64 {
    let r = router(Vec::new());
    let mut agents = agents(json!({"agents": [a, b]}));
    let ticket =
        json!({"status": "open", "via": {"id": 4}, "group_id": 1, "tags": ["auto-routing"]});
    let d = route_with(
        &r,
        ticket,
        json!({"assignment_method": method}),
        Some(&mut agents),
    );
    let pick = d.agent.expect("an agent");
    assert_eq!(pick.how, Handoff::Assigned, "email is assigned");
    pick.agent_id
}

fn email_agent(id: u64, capacity: u32, load: u32, last: Option<&str>) -> Value {
    let mut channel = json!({"status": "online", "capacity": capacity, "load": load});
    if let Some(last) = last {
        channel["last_assigned_at"] = json!(last);
    }
    json!({"id": id, "group_ids": [1], "channels": {"email": channel}})
}

#[test]
fn each_assignment_method_and_its_tie() {
    let early = Some("2024-05-06T09:00:00Z");
    let late = Some("2024-05-06T10:00:00Z");
    let cases = [
        // Highest spare capacity: 3 spare beats 2, whoever waited longer.
        (
            "highest_spare_capacity",
            email_agent(1, 5, 2, early),
            email_agent(2, 10, 8, None),
            1,
        ),
        (
            "highest_spare_capacity",
            email_agent(1, 4, 2, None),
            email_agent(2, 5, 2, late),
            2,
        ),
        // Tie on spare capacity: the longest wait wins, never assigned longest of all.
        (
            "highest_spare_capacity",
            email_agent(1, 5, 2, late),
            email_agent(2, 5, 2, early),
            2,
        ),
        (
            "highest_spare_capacity",
            email_agent(1, 5, 2, early),
            email_agent(2, 5, 2, None),
            2,
        ),
        // Highest share spare: 2 of 4 (50%) beats 3 of 10 (30%).
        (
            "highest_spare_percentage",
            email_agent(1, 10, 7, None),
            email_agent(2, 4, 2, late),
            2,
        ),
        // Tie on share (50% each): the longest wait.
        (
            "highest_spare_percentage",
            email_agent(1, 4, 2, late),
            email_agent(2, 10, 5, early),
            2,
        ),
        (
            "highest_spare_percentage",
            email_agent(1, 4, 2, early),
            email_agent(2, 10, 5, late),
            1,
        ),
        // Round robin: only the wait counts, not the spare capacity.
        (
            "round_robin",
            email_agent(1, 10, 0, late),
            email_agent(2, 2, 1, early),
            2,
        ),
        (
            "round_robin",
            email_agent(1, 2, 1, early),
            email_agent(2, 10, 0, late),
            1,
        ),
    ];
    for (method, a, b, want) in cases {
        assert_eq!(
            tie(method, a.clone(), b.clone()),
            want,
            "{method}: {a} / {b}"
        );
    }
}

#[test]
fn round_robin_takes_turns_as_declic_assigns() {
    let r = router(Vec::new());
    let mut a = agents(
        json!({"agents": [email_agent(1, 9, 0, None), email_agent(2, 9, 0, None), email_agent(3, 9, 0, None)]}),
    );
    let ticket =
        json!({"status": "open", "via": {"id": 4}, "group_id": 1, "tags": ["auto-routing"]});
    let picks: Vec<u64> = (0..6)
        .map(|_| {
            route_with(
                &r,
                ticket.clone(),
                json!({"assignment_method": "round_robin"}),
                Some(&mut a),
            )
            .agent
            .expect("an agent")
            .agent_id
        })
        .collect();
    assert_eq!(picks, [1, 2, 3, 1, 2, 3]);
}

#[test]
fn capacity_is_counted_and_released_per_channel() {
    let r = router(Vec::new());
    let both = json!({"id": 1, "group_ids": [1], "channels": {
        "messaging": {"status": "online", "capacity": 1, "load": 0},
        "email": {"status": "online", "capacity": 1, "load": 0}}});
    let mut a = agents(json!({"agents": [both]}));
    let messaging = json!({"status": "open", "via": {"id": 75}, "group_id": 1});
    let email =
        json!({"status": "open", "via": {"id": 4}, "group_id": 1, "tags": ["auto-routing"]});
    assert!(route(&r, messaging.clone(), Some(&mut a)).agent.is_some());
    // Messaging is full; email is counted apart and still has room.
    let full = route(&r, messaging.clone(), Some(&mut a));
    assert!(full.agent.is_none());
    let none = full.no_agent.expect("why no agent");
    assert_eq!(
        none.refused[0].reason,
        "no spare messaging capacity (1 of 1)"
    );
    assert!(route(&r, email.clone(), Some(&mut a)).agent.is_some());
    assert!(route(&r, email, Some(&mut a)).agent.is_none());
    // Released on messaging: messaging work fits again, email stays full.
    a.release(1, WorkChannel::Messaging);
    let channels = &a.agents[0].channels;
    assert_eq!(
        (
            channels[&WorkChannel::Messaging].load,
            channels[&WorkChannel::Email].load
        ),
        (0, 1)
    );
    assert!(route(&r, messaging, Some(&mut a)).agent.is_some());
}

#[test]
fn inactive_conversations_count_only_when_the_account_says_so() {
    let r = router(Vec::new());
    let full_if_counted = json!({"agents": [{"id": 1, "group_ids": [1], "channels": {
        "messaging": {"status": "online", "capacity": 2, "load": 1, "inactive": 1}}}]});
    let messaging = json!({"status": "open", "via": {"id": 75}, "group_id": 1});
    let mut a = agents(full_if_counted.clone());
    assert!(route_with(&r, messaging.clone(), json!({}), Some(&mut a))
        .agent
        .is_some());
    let mut a = agents(full_if_counted);
    let d = route_with(
        &r,
        messaging,
        json!({"count_inactive_conversations": true}),
        Some(&mut a),
    );
    assert!(d.agent.is_none(), "{d:?}");
}

#[test]
fn statuses_brands_and_skills_keep_agents_out() {
    let r = router(Vec::new());
    let cases = [
        // Email takes online and away agents; messaging only online ones.
        (
            json!({"channels": {"email": {"status": "away", "capacity": 2}}}),
            json!({"via": {"id": 4}, "tags": ["auto-routing"]}),
            None,
        ),
        (
            json!({"channels": {"messaging": {"status": "away", "capacity": 2}}}),
            json!({"via": {"id": 75}}),
            Some("away on messaging"),
        ),
        (
            json!({"channels": {"email": {"status": "offline", "capacity": 2}}}),
            json!({"via": {"id": 4}, "tags": ["auto-routing"]}),
            Some("offline on email"),
        ),
        (
            json!({"channels": {"email": {"status": "online", "capacity": 2}}}),
            json!({"via": {"id": 75}}),
            Some("offline on messaging"),
        ),
        // Brands: listed ones only; none listed is every brand.
        (
            json!({"brand_ids": [7], "channels": {"messaging": {"status": "online", "capacity": 2}}}),
            json!({"via": {"id": 75}, "brand_id": 8}),
            Some("not a member of brand 8"),
        ),
        (
            json!({"brand_ids": [7], "channels": {"messaging": {"status": "online", "capacity": 2}}}),
            json!({"via": {"id": 75}, "brand_id": 7}),
            None,
        ),
        (
            json!({"channels": {"messaging": {"status": "online", "capacity": 2}}}),
            json!({"via": {"id": 75}, "brand_id": 8}),
            None,
        ),
        // Skills: every one the ticket requires.
        (
            json!({"skills": ["french"], "channels": {"messaging": {"status": "online", "capacity": 2}}}),
            json!({"via": {"id": 75}, "skills": ["French", "billing"]}),
            Some("lacks the skill(s) billing"),
        ),
        (
            json!({"skills": ["french", "billing"], "channels": {"messaging": {"status": "online", "capacity": 2}}}),
            json!({"via": {"id": 75}, "skills": ["French", "billing"]}),
            None,
        ),
    ];
    for (mut a, mut ticket, refused) in cases {
        a["id"] = json!(1);
        a["group_ids"] = json!([1]);
        ticket["status"] = json!("open");
        ticket["group_id"] = json!(1);
        let mut agents = agents(json!({"agents": [a.clone()]}));
        let d = route(&r, ticket.clone(), Some(&mut agents));
        let got = d.no_agent.as_ref().map(|n| n.refused[0].reason.as_str());
        assert_eq!(got, refused, "{a} / {ticket}");
        assert_eq!(d.agent.is_some(), refused.is_none(), "{a} / {ticket}");
    }
}

#[test]
fn explain_lists_each_custom_queue_tried_until_one_matches() {
    let r = router(vec![
        queue("vip", "Tags includes vip", 1, &[1], &[]),
        queue("ended as email", "Canal de routage is E-mail", 1, &[1], &[]),
        queue("never reached", "Canal is Messagerie", 1, &[1], &[]),
    ]);
    let e = event(
        json!({"status": "open", "via": {"id": 75}, "routing_channel": "email"}),
        json!({}),
    );
    let x = r.explain(&e, &e.ticket, None);
    let tried: Vec<(&str, bool)> = x
        .queues
        .iter()
        .map(|t| (t.queue.as_str(), t.matched))
        .collect();
    assert_eq!(tried, [("vip", false), ("ended as email", true)]);
    assert_eq!(x.decision, r.route(&e, &e.ticket, None));
    // Near miss: an ineligible ticket tries no queue.
    let e = event(json!({"status": "pending", "via": {"id": 75}}), json!({}));
    assert!(r.explain(&e, &e.ticket, None).queues.is_empty());
}

#[test]
fn an_agents_file_over_zendesk_limits_is_refused() {
    let bad = json!({"agents": [{"id": 1, "channels": {"email": {"status": "online", "capacity": 501}}}]});
    let e = Agents::from_json("a.json".as_ref(), &bad.to_string()).expect_err("over 500");
    assert!(e.to_string().contains("at most 500"), "{e}");
    let unknown = json!({"agents": [{"id": 1, "chanels": {}}]});
    assert!(Agents::from_json("a.json".as_ref(), &unknown.to_string()).is_err());
    let ok = json!({"agents": [{"id": 1, "channels": {"email": {"status": "online", "capacity": 500}}}]});
    assert!(Agents::from_json("a.json".as_ref(), &ok.to_string()).is_ok());
    // A load past any capacity would overflow the count of work held.
    let load = json!({"agents": [{"id": 1, "channels": {"email": {"status": "online", "capacity": 3, "load": 4294967295u32}}}]});
    let e = Agents::from_json("a.json".as_ref(), &load.to_string()).expect_err("load");
    assert!(e.to_string().contains("at most 500"), "{e}");
    let twice = json!({"agents": [{"id": 1, "channels": {}}, {"id": 1, "channels": {}}]});
    let e = Agents::from_json("a.json".as_ref(), &twice.to_string()).expect_err("twice");
    assert!(e.to_string().contains("listed twice"), "{e}");
}

fn method() -> impl Strategy<Value = AssignmentMethod> {
    prop::sample::select(vec![
        AssignmentMethod::HighestSpareCapacity,
        AssignmentMethod::HighestSparePercentage,
        AssignmentMethod::RoundRobin,
    ])
}

proptest! {
    #[test]
    fn routing_alone_never_puts_an_agent_over_capacity(
        loads in prop::collection::vec((0u32..4, 0u32..4, 0u32..3, 0u32..3, 1u64..3), 1..6),
        tickets in prop::collection::vec((prop::sample::select(vec![4u32, 75, 34]), 1u64..3), 1..30),
        method in method(),
        count_inactive in any::<bool>(),
    ) {
        let list: Vec<Value> = loads.iter().enumerate().map(|(i, (cap, load, inactive, email, group))| json!({
            "id": i as u64 + 1, "group_ids": [group],
            "channels": {
                "messaging": {"status": "online", "capacity": cap, "load": load, "inactive": inactive},
                "email": {"status": "away", "capacity": email, "load": 0},
                "talk": {"status": "online", "capacity": 1, "load": 0}}})).collect();
        let mut a = agents(json!({"agents": list}));
        let before = a.clone();
        let settings = RoutingSettings { assignment_method: method, count_inactive_conversations: count_inactive, ..RoutingSettings::default() };
        let r = router(Vec::new());
        for (via, group) in tickets {
            let ticket = json!({"status": "open", "via": {"id": via}, "group_id": group, "tags": ["auto-routing"]});
            route_with(&r, ticket, json!(settings), Some(&mut a));
        }
        for (agent, was) in a.agents.iter().zip(&before.agents) {
            for (channel, c) in &agent.channels {
                let start = was.channels[channel].counted(count_inactive);
                let now = c.counted(count_inactive);
                // Work is added only where it fits: never past capacity, and never to an
                // agent who started at or over it.
                prop_assert!(now <= c.capacity.max(start), "{agent:?}");
                prop_assert!(now == start || now <= c.capacity, "{agent:?}");
            }
        }
    }
}

#[test]
fn end_session_sets_routing_to_email_unless_the_account_uses_the_current_version() {
    let rules = crate::check(&[crate::Source::new(
        "t.declic",
        "trigger \"end\" {\n  when all {\n    Channel is Messaging\n  }\n  then {\n    Mettre fin à la session\n  }\n}\n",
    )])
    .into_result()
    .expect("checks");
    let engine = crate::engine::Compiled::new(&rules).expect("compiles");
    let ticket = json!({"status": "open", "via": {"id": 75}, "group_id": 1, "routing_channel": "messaging",
                        "messaging_session": {"state": "active"}});
    let seed = engine.run(&event(ticket.clone(), json!({})));
    assert_eq!(
        seed.ticket.routing_channel,
        Some(crate::model::RoutingChannel::Email)
    );
    let current = event(ticket, json!({"end_session": "current"}));
    let outcome = engine.run(&current);
    assert_eq!(
        outcome.ticket.routing_channel,
        Some(crate::model::RoutingChannel::Messaging)
    );
    // Routed as messaging after the end, the ticket then leaves every queue.
    let d = router(Vec::new()).route(&current, &outcome.ticket, None);
    assert_eq!(
        not_routed(&d),
        Some(NotRoutedCode::EndedSessionRoutedAsMessaging)
    );
}
