//! The messaging pitfalls of DOMAIN.md sections 4 and 4b:
//! - `messaging_trigger_on_ended_session`: messaging triggers never run once the session
//!   has ended, so one that needs an ended session never runs;
//! - `csat_without_email_fallback`: the survey sent in the conversation never reaches a
//!   customer whose session an agent ended; without an email survey on session end, those
//!   customers are never asked;
//! - `never_routed`: a ticket still routed as messaging after its session ended is taken
//!   out of every queue; a trigger for such tickets that leaves the routing alone leaves
//!   them there;
//! - `end_session_without_messaging_condition`: End session on tickets the trigger does
//!   not restrict to messaging.

use std::sync::LazyLock;

use super::logic::{self, value_named, Env, Set, Slot, F, V};
use super::{Cx, Finding};
use crate::catalog::actions::ActionKey;
use crate::catalog::fields::FieldKey;
use crate::catalog::TriggerKind;
use crate::check::rules::{Operand, Trigger};
use crate::diagnostics::{Code, Span};

/// The tickets each lint asks about, built once for every trigger and every rule set.
struct Tickets {
    not_ended: Env,
    not_routed: Env,
    not_messaging: Env,
}

static TICKETS: LazyLock<Tickets> = LazyLock::new(|| Tickets {
    not_ended: not_ended(),
    not_routed: not_routed_as_messaging(),
    not_messaging: not_messaging(),
});

/// The lints on trigger `i` alone; [`csat_fallback`] is the rule set's.
pub(super) fn check(cx: &Cx<'_>, i: usize, out: &mut Vec<Finding>) {
    let (t, facts) = (&cx.rules.triggers[i], &cx.facts[i]);
    if !facts.satisfiable {
        return;
    }
    let tickets = &*TICKETS;
    match t.kind {
        TriggerKind::Messaging if needs(&facts.formula, &tickets.not_ended) => {
            out.push(on_ended_session(cx, i, &facts.formula))
        }
        TriggerKind::Messaging | TriggerKind::Automation => {}
        TriggerKind::Ticket => {
            if needs(&facts.formula, &tickets.not_routed)
                && needs(&facts.formula, &tickets.not_ended)
                && !sets_email_routing(t)
            {
                out.push(never_routed(cx, i, &facts.formula));
            }
            if let Some(end) = action_span(t, ActionKey::EndSession) {
                if !needs(&facts.formula, &tickets.not_messaging) {
                    out.push(end_session_anywhere(cx, i, end));
                }
            }
        }
    }
}

fn field(k: FieldKey) -> Slot {
    Slot::Field(k)
}

/// Whether every ticket meeting `f` is outside `env`: the formula needs what `env` denies.
pub(super) fn needs(f: &F, env: &Env) -> bool {
    !logic::satisfiable(f, env)
}

/// A session that has not ended: any state but Ended, and no end reason.
pub(super) fn not_ended() -> Env {
    let (state, reason) = (
        field(FieldKey::SessionState),
        field(FieldKey::SessionEndReason),
    );
    let ended = value_named(FieldKey::SessionState, "ended");
    Env::from([
        (state.clone(), Set::all_but(&state, ended)),
        (reason.clone(), Set::only(&reason, [V::Absent])),
    ])
}

pub(super) fn not_routed_as_messaging() -> Env {
    let slot = field(FieldKey::RoutingChannel);
    let messaging = value_named(FieldKey::RoutingChannel, "messaging");
    Env::from([(slot.clone(), Set::all_but(&slot, messaging))])
}

/// A ticket with nothing of messaging: another channel, no session.
fn not_messaging() -> Env {
    let mut env = not_routed_as_messaging();
    let channel = field(FieldKey::Channel);
    env.insert(
        channel.clone(),
        Set::all_but(&channel, [V::Int(MESSAGING_VIA)]),
    );
    for k in [
        FieldKey::SessionState,
        FieldKey::SessionInactiveReason,
        FieldKey::SessionEndReason,
    ] {
        let slot = field(k);
        env.insert(slot.clone(), Set::only(&slot, [V::Absent]));
    }
    env
}

/// The channel (`via_id`) of native messaging.
const MESSAGING_VIA: i64 = 75;

/// The first test of `f` that reads one of `slots`: where a finding points.
fn test_on(f: &F, slots: &[FieldKey]) -> Option<Span> {
    f.leaves().into_iter().find_map(|leaf| match leaf {
        F::Lit(l) if slots.iter().any(|k| l.slot == field(*k)) => Some(l.span),
        F::Opaque {
            slot: Some(s),
            span,
            ..
        } if slots.iter().any(|k| *s == field(*k)) => Some(*span),
        _ => None,
    })
}

fn action_span(t: &Trigger, key: ActionKey) -> Option<Span> {
    t.actions
        .iter()
        .find(|a| a.target.key() == Some(key))
        .map(|a| a.span)
}

fn sets_email_routing(t: &Trigger) -> bool {
    let email = crate::catalog::values::ROUTING_CHANNEL
        .iter()
        .position(|v| v.names.api == "email");
    t.actions.iter().any(|a| {
        a.target.key() == Some(ActionKey::RoutingChannel)
            && matches!(a.value, Operand::Enum(i) if Some(i) == email)
    })
}

const SESSION_END: [FieldKey; 2] = [FieldKey::SessionState, FieldKey::SessionEndReason];

fn on_ended_session(cx: &Cx<'_>, i: usize, f: &F) -> Finding {
    let title = &cx.rules.triggers[i].title;
    let message = format!("messaging trigger `{title}` needs an ended session, but messaging triggers no longer run once it has ended");
    let diagnostic = match test_on(f, &SESSION_END) {
        Some(span) => cx.at(
            i,
            Code::MessagingTriggerOnEndedSession,
            message,
            span,
            "only after the session ended",
        ),
        None => cx.at_trigger(
            i,
            Code::MessagingTriggerOnEndedSession,
            message,
            "never runs",
        ),
    }
    .help("make it a ticket trigger (`trigger \"...\"`), which still runs after the session ended");
    Finding {
        trigger: i,
        diagnostic,
    }
}

fn never_routed(cx: &Cx<'_>, i: usize, f: &F) -> Finding {
    let title = &cx.rules.triggers[i].title;
    let message = format!(
        "trigger `{title}` acts on tickets still routed as messaging after their session ended, which are taken out of every queue"
    );
    let diagnostic = match test_on(f, &[FieldKey::RoutingChannel]) {
        Some(span) => cx.at(
            i,
            Code::NeverRouted,
            message,
            span,
            "routed as messaging, with an ended session",
        ),
        None => cx.at_trigger(i, Code::NeverRouted, message, "never routed"),
    }
    .help("add `Routing channel = Email` to its actions, so the ticket can be routed again");
    Finding {
        trigger: i,
        diagnostic,
    }
}

fn end_session_anywhere(cx: &Cx<'_>, i: usize, end: Span) -> Finding {
    let title = &cx.rules.triggers[i].title;
    let diagnostic = cx
        .at(
            i,
            Code::EndSessionWithoutMessagingCondition,
            format!("trigger `{title}` ends the messaging session of tickets that need not be messaging tickets"),
            end,
            "on any ticket its conditions meet",
        )
        .help("add `Channel is Messaging` to its conditions");
    Finding {
        trigger: i,
        diagnostic,
    }
}

/// Once per rule set: the messaging survey is sent, and no trigger sends the email survey
/// when a session ends.
pub(super) fn csat_fallback(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let Some((i, span)) = cx
        .active()
        .find_map(|(i, t, _)| action_span(t, ActionKey::SendCsat).map(|s| (i, s)))
    else {
        return;
    };
    let fallback = cx.active().any(|(_, t, facts)| {
        action_span(t, ActionKey::SendCsatByEmail).is_some()
            && test_on(&facts.formula, &SESSION_END).is_some()
            && !needs(&facts.formula, &ended())
    });
    if fallback {
        return;
    }
    let diagnostic = cx
        .at(
            i,
            Code::CsatWithoutEmailFallback,
            "the survey is sent in the conversation, but no trigger sends it by email when a session ends".into(),
            span,
            "never reaches a session an agent ended",
        )
        .help(
            "add a trigger with `any { Status category changed to Solved; Messaging session end reason changed to Ended by agent }` and `send CSAT by email`",
        );
    out.push(Finding {
        trigger: i,
        diagnostic,
    });
}

/// A session that has ended.
fn ended() -> Env {
    let state = field(FieldKey::SessionState);
    let ended = value_named(FieldKey::SessionState, "ended");
    Env::from([(state.clone(), Set::only(&state, ended))])
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes;
    use crate::Code;

    fn one(trigger: &str) -> Vec<Code> {
        codes(trigger)
    }

    #[test]
    fn a_messaging_trigger_on_an_ended_session_never_runs() {
        let t = "messaging trigger \"m\" {\n on message sent\n when all { Messaging session state is Ended }\n then { Send message \"bye\" }\n}\n";
        assert_eq!(one(t), [Code::MessagingTriggerOnEndedSession]);
        let reason = t.replace(
            "Messaging session state is Ended",
            "End reason is Ended by agent",
        );
        assert_eq!(one(&reason), [Code::MessagingTriggerOnEndedSession]);
        for fine in [
            "Messaging session state is Active",
            "Messaging session state is not Ended",
            "End reason is not present",
        ] {
            assert!(
                one(&t.replace("Messaging session state is Ended", fine)).is_empty(),
                "{fine}"
            );
        }
        let ticket = t
            .replace("messaging trigger", "trigger")
            .replace(" on message sent\n", "")
            .replace("Send message \"bye\"", "Tags += bye");
        assert!(!one(&ticket).contains(&Code::MessagingTriggerOnEndedSession));
    }

    const CSAT: &str = "trigger \"csat\" {\n when all {\n Channel is Messaging\n Status category changed to Solved\n }\n then { send CSAT }\n}\n";

    #[test]
    fn the_messaging_survey_needs_an_email_fallback() {
        assert_eq!(one(CSAT), [Code::CsatWithoutEmailFallback]);
        let fallback = "trigger \"email\" {\n when all {\n Satisfaction is Unoffered\n any {\n Status category changed to Solved\n End reason changed to Ended by agent\n }\n }\n then { send CSAT by email }\n}\n";
        assert!(one(&format!("{CSAT}{fallback}")).is_empty());
        // An email survey that never looks at the session is no fallback.
        let unrelated = "trigger \"email\" {\n when all { Status changed to Solved }\n then { send CSAT by email }\n}\n";
        assert_eq!(
            one(&format!("{CSAT}{unrelated}")),
            [Code::CsatWithoutEmailFallback]
        );
    }

    #[test]
    fn routing_as_messaging_after_the_end_is_never_routed() {
        let t = "trigger \"r\" {\n when all {\n Routing channel is Messaging\n End reason changed to Ended by agent\n }\n then { Group = 5 }\n}\n";
        assert_eq!(one(t), [Code::NeverRouted]);
        assert!(one(&t.replace("Group = 5", "Group = 5\n Routing channel = Email")).is_empty());
        assert!(one(&t.replace("Routing channel is Messaging", "Channel is Messaging")).is_empty());
    }

    #[test]
    fn end_session_needs_a_messaging_condition() {
        let t = "trigger \"e\" {\n when all { Ticket is Created }\n then { End session }\n}\n";
        assert_eq!(one(t), [Code::EndSessionWithoutMessagingCondition]);
        for fine in [
            "Channel is Messaging",
            "via_id is 75",
            "Routing channel is Messaging",
            "Messaging session state is Inactive",
            "any {\nChannel is Messaging\nRouting channel is Messaging\n}",
        ] {
            let with = t.replace("Ticket is Created", &format!("Ticket is Created\n{fine}"));
            assert!(one(&with).is_empty(), "{fine}: {:?}", one(&with));
        }
        let not_messaging = t.replace(
            "Ticket is Created",
            "Ticket is Created\nChannel is not Messaging",
        );
        assert_eq!(
            one(&not_messaging),
            [Code::EndSessionWithoutMessagingCondition]
        );
    }
}
