//! One test per rule of DOMAIN 6, at its edges.

use super::*;
use crate::model::{InactiveReason, Status};

fn t0() -> Timestamp {
    "2024-05-06T09:00:00Z".parse().expect("valid")
}

/// `t0` plus minutes and seconds.
fn at(minutes: i64, seconds: i64) -> Timestamp {
    after(t0(), minutes * 60 + seconds).expect("in range")
}

fn m(minutes: i64) -> Timestamp {
    at(minutes, 0)
}

/// The changes up to `until` minutes, as (minutes from t0, change).
fn run(
    product: Product,
    settings: Settings,
    pick: Pick,
    activities: &[(i64, Activity)],
    until: i64,
) -> Vec<(i64, Change)> {
    let timed: Vec<_> = activities.iter().map(|(t, a)| (m(*t), *a)).collect();
    lifecycle(product, settings, pick, &timed, m(until))
        .into_iter()
        .map(|d| (d.at.seconds_since(t0()) / 60, d.change))
        .collect()
}

fn messaging(activities: &[(i64, Activity)], until: i64) -> Vec<(i64, Change)> {
    run(
        Product::Messaging,
        Settings::default(),
        Pick::Latest,
        activities,
        until,
    )
}

use Activity as A;
const SILENT: Change = Change::Inactive(InactiveReason::UserInactiveOrOffline);

#[test]
fn unassigned_messaging_turns_inactive_after_ten_minutes_of_silence() {
    let writes = [(0, A::EndUserWrites)];
    assert_eq!(messaging(&writes, 9), vec![(0, Change::Started)]);
    assert_eq!(
        messaging(&writes, 10),
        vec![(0, Change::Started), (10, SILENT)]
    );
}

#[test]
fn the_accounts_period_applies_to_assigned_conversations_only() {
    let thirty = Settings {
        inactivity_minutes: 30,
        ..Settings::default()
    };
    let run30 = |activities: &[(i64, Activity)]| {
        run(
            Product::Messaging,
            thirty.clone(),
            Pick::Latest,
            activities,
            60,
        )
    };
    let unassigned = run30(&[(0, A::EndUserWrites), (2, A::AgentReplies)]);
    assert_eq!(unassigned, vec![(0, Change::Started), (10, SILENT)]);
    let assigned = run30(&[
        (0, A::AgentJoins),
        (0, A::EndUserWrites),
        (2, A::AgentReplies),
    ]);
    assert_eq!(assigned, vec![(0, Change::Started), (32, SILENT)]);
}

#[test]
fn an_assigned_conversation_counts_from_the_agents_first_reply_after_the_end_user() {
    let activities = [
        (0, A::AgentJoins),
        (0, A::EndUserWrites),
        (5, A::AgentReplies),
        // A second reply does not restart the period.
        (12, A::AgentReplies),
    ];
    assert_eq!(
        messaging(&activities, 60),
        vec![(0, Change::Started), (15, SILENT)]
    );
    // Without a reply, the conversation waits on the agent: it does not turn inactive.
    let unanswered = [(0, A::AgentJoins), (0, A::EndUserWrites)];
    assert_eq!(messaging(&unanswered, 600), vec![(0, Change::Started)]);
}

#[test]
fn a_new_end_user_message_makes_it_active_again() {
    let activities = [(0, A::EndUserWrites), (15, A::EndUserWrites)];
    assert_eq!(
        messaging(&activities, 24),
        vec![(0, Change::Started), (10, SILENT), (15, Change::Active)]
    );
    assert_eq!(messaging(&activities, 25).last(), Some(&(25, SILENT)));
}

#[test]
fn a_status_leaving_open_makes_it_inactive_at_once() {
    let activities = [
        (0, A::EndUserWrites),
        (3, A::AgentSetsStatus(Status::Open)),
        (4, A::AgentSetsStatus(Status::Pending)),
    ];
    assert_eq!(
        messaging(&activities, 9),
        vec![
            (0, Change::Started),
            (4, Change::Inactive(InactiveReason::StatusChanged))
        ]
    );
}

#[test]
fn capacity_release_sends_its_reminders_and_ends_the_session_when_told() {
    let with = |end_session| Settings {
        release: Some(Release {
            end_session,
            ..Release::default()
        }),
        ..Settings::default()
    };
    let reminder = |number, status| Change::Reminder { number, status };
    let writes = [(0, A::EndUserWrites)];
    let kept = run(Product::Messaging, with(false), Pick::Latest, &writes, 120);
    assert_eq!(
        kept,
        vec![
            (0, Change::Started),
            (10, SILENT),
            (15, reminder(1, Some(Status::Pending))),
            (20, reminder(2, None)),
            (21, reminder(3, Some(Status::Solved))),
        ]
    );
    let ended = run(Product::Messaging, with(true), Pick::Latest, &writes, 120);
    assert_eq!(ended[..kept.len()], kept[..], "the same reminders");
    assert_eq!(
        ended[kept.len()..],
        [(21, Change::Ended(Ending::CapacityReleased))]
    );
    // An end-user message between reminders stops the release.
    let answered = [(0, A::EndUserWrites), (16, A::EndUserWrites)];
    let stopped = run(Product::Messaging, with(true), Pick::Latest, &answered, 25);
    assert_eq!(
        stopped[3..],
        [(16, Change::Active)],
        "no reminder after the end user wrote: {stopped:?}"
    );
}

#[test]
fn a_message_after_the_end_starts_a_new_session() {
    let activities = [
        (0, A::EndUserWrites),
        (1, A::AgentEnds),
        (2, A::EndUserWrites),
    ];
    assert_eq!(
        messaging(&activities, 5),
        vec![
            (0, Change::Started),
            (1, Change::Ended(Ending::Agent)),
            (2, Change::NewSession),
        ]
    );
}

fn chat(product: Product, pick: Pick, activities: &[(i64, Activity)]) -> Vec<(i64, Change)> {
    let timed: Vec<_> = activities.iter().map(|(t, a)| (m(*t), *a)).collect();
    lifecycle(product, Settings::default(), pick, &timed, m(600))
        .into_iter()
        .map(|d| (d.at.seconds_since(t0()), d.change))
        .collect()
}

#[test]
fn a_closed_window_ends_the_chat_within_twenty_seconds_to_two_minutes() {
    let activities = [(0, A::EndUserWrites), (1, A::VisitorClosesWindow)];
    let ended = Change::Ended(Ending::WindowClosed);
    let latest = chat(Product::LiveChat, Pick::Latest, &activities);
    assert_eq!(latest.last(), Some(&(60 + 120, ended)));
    let earliest = chat(Product::LiveChat, Pick::Earliest, &activities);
    assert_eq!(earliest.last(), Some(&(60 + 20, ended)));
    // The range travels with the change whichever end is picked.
    let timed = [(m(0), A::EndUserWrites), (m(1), A::VisitorClosesWindow)];
    let log = lifecycle(
        Product::LiveChat,
        Settings::default(),
        Pick::Earliest,
        &timed,
        m(10),
    );
    assert_eq!(
        log.last().and_then(|e| e.range),
        Some((at(1, 20), at(3, 0)))
    );
    // The visitor coming back before the end keeps the chat.
    let back = [
        (0, A::EndUserWrites),
        (1, A::VisitorClosesWindow),
        (1, A::EndUserWrites),
    ];
    assert_eq!(chat(Product::LiveChat, Pick::Earliest, &back).len(), 1);
}

#[test]
fn an_idle_visitor_is_idle_at_ten_minutes_and_ended_twenty_after_their_last_activity() {
    let activities = [(0, A::EndUserWrites), (2, A::VisitorGoesIdle)];
    let ended = Change::Ended(Ending::Idle);
    let latest = chat(Product::LiveChat, Pick::Latest, &activities);
    assert_eq!(
        latest,
        vec![
            (0, Change::Started),
            (12 * 60, Change::Idle),
            (27 * 60, ended)
        ]
    );
    let earliest = chat(Product::LiveChat, Pick::Earliest, &activities);
    assert_eq!(earliest.last(), Some(&(17 * 60, ended)));
    // Nine minutes of stillness are not yet idle.
    let early = run(
        Product::LiveChat,
        Settings::default(),
        Pick::Latest,
        &activities,
        11,
    );
    assert_eq!(early, vec![(0, Change::Started)]);
}

#[test]
fn an_agent_leaves_a_live_chat_and_a_visitor_message_requeues_it() {
    let activities = [
        (0, A::EndUserWrites),
        (1, A::AgentJoins),
        (2, A::AgentLeaves),
        (3, A::EndUserWrites),
    ];
    assert_eq!(
        chat(Product::LiveChat, Pick::Latest, &activities),
        vec![
            (0, Change::Started),
            (120, Change::AgentLeft),
            (180, Change::Requeued)
        ]
    );
    // An agent can end a chat in the Agent Workspace only.
    assert!(A::AgentEnds.happens_in(Product::AgentWorkspaceChat));
    assert!(!A::AgentEnds.happens_in(Product::LiveChat));
    let ended = chat(
        Product::AgentWorkspaceChat,
        Pick::Latest,
        &[(0, A::EndUserWrites), (1, A::AgentJoins), (2, A::AgentEnds)],
    );
    assert_eq!(ended.last(), Some(&(120, Change::Ended(Ending::Agent))));
}

#[test]
fn a_chat_no_agent_joined_is_missed() {
    let mut session = Session::new(Product::LiveChat, Settings::default(), Pick::Latest);
    session.act(m(0), A::EndUserWrites);
    session.act(m(1), A::VisitorEnds);
    assert!(session.ended() && !session.joined());
    let mut served = Session::new(Product::LiveChat, Settings::default(), Pick::Latest);
    served.act(m(0), A::EndUserWrites);
    served.act(m(0), A::AgentJoins);
    assert!(served.joined());
}

#[test]
fn sdk_time_outs() {
    let sdk = |push, activities: &[(i64, Activity)]| {
        let settings = Settings {
            push_notifications: push,
            ..Settings::default()
        };
        run(Product::ChatSdk, settings, Pick::Latest, activities, 600)
            .last()
            .copied()
    };
    let ended = |minutes, by| Some((minutes, Change::Ended(by)));
    let write = (0, A::EndUserWrites);
    // An hour without activity; a reply at 30 minutes pushes it back.
    assert_eq!(sdk(true, &[write]), ended(60, Ending::NoActivity));
    assert_eq!(
        sdk(true, &[write, (30, A::AgentReplies)]),
        ended(90, Ending::NoActivity)
    );
    // An hour disconnected (activity stops with it).
    assert_eq!(
        sdk(true, &[write, (20, A::VisitorDisconnects)]),
        ended(60, Ending::NoActivity),
        "the hour without activity ends it first"
    );
    assert_eq!(
        sdk(
            true,
            &[write, (10, A::VisitorDisconnects), (40, A::AgentReplies)]
        ),
        ended(70, Ending::Disconnected)
    );
    // Five minutes after the agent ends it.
    assert_eq!(
        sdk(true, &[write, (10, A::AgentEnds)]),
        ended(15, Ending::AgentEndedTimeout)
    );
    // In the background: 30 minutes without push, nothing with it.
    let background = [write, (5, A::AppGoesToBackground)];
    assert_eq!(sdk(false, &background), ended(35, Ending::Background));
    assert_eq!(sdk(true, &background), ended(60, Ending::NoActivity));
    // At once when the visitor ends it.
    assert_eq!(
        sdk(true, &[write, (3, A::VisitorEnds)]),
        ended(3, Ending::Visitor)
    );
}

#[test]
fn products_have_their_own_activities() {
    assert!(!A::VisitorGoesIdle.happens_in(Product::Messaging));
    assert!(A::VisitorGoesIdle.happens_in(Product::LiveChat));
    assert!(!A::AppGoesToBackground.happens_in(Product::LiveChat));
    assert!(A::AppGoesToBackground.happens_in(Product::ChatSdk));
    assert!(!A::VisitorEnds.happens_in(Product::Messaging));
    // An activity the product lacks changes nothing.
    let mut session = Session::new(Product::Messaging, Settings::default(), Pick::Latest);
    assert!(session.act(m(0), A::VisitorGoesIdle).is_empty());
}

/// The engine derives Active/Inactive from `last_end_user_activity_at`; the simulator
/// writes there the moment the period runs from, so both agree at every minute.
#[test]
fn the_engine_agrees_with_the_session_when_given_where_the_silence_runs_from() {
    use crate::model::{Account, MessagingSession, SessionState, Ticket};
    for assigned in [false, true] {
        let mut session = Session::new(
            Product::Messaging,
            Settings {
                inactivity_minutes: 30,
                ..Settings::default()
            },
            Pick::Latest,
        );
        if assigned {
            session.act(m(0), A::AgentJoins);
        }
        session.act(m(0), A::EndUserWrites);
        session.act(m(4), A::AgentReplies);
        let ticket = Ticket {
            status: Status::Open,
            assignee_id: assigned.then_some(7),
            ..Ticket::default()
        };
        let account = Account {
            messaging_inactivity_minutes: Some(30),
            ..Account::default()
        };
        let record = MessagingSession {
            last_end_user_activity_at: session.silence_from(),
            ..MessagingSession::default()
        };
        let due = session.next_due().expect("a silence runs").at;
        for minute in 0..60 {
            let engine = crate::engine::session_state(&record, &ticket, &account, Some(m(minute)));
            let ours = if m(minute) >= due {
                SessionState::Inactive
            } else {
                SessionState::Active
            };
            assert_eq!(engine, Some(ours), "minute {minute}, assigned {assigned}");
        }
    }
}
