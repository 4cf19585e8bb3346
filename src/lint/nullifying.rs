//! `no_nullifying_condition`: a trigger keeps firing on every update while its conditions
//! hold (DOMAIN.md 2.8). It is safe when its own actions make one of its conditions false
//! (the classic: `Tags excludes done` with `Tags += done`), when it holds only on the
//! update that creates the ticket or changes something, or when it can run only once.
//!
//! An automation keeps firing each hour the same way (DOMAIN.md 6b): it must hold only once
//! (`Hours since pending is 48` holds in one hourly run) or its actions must make one of
//! its conditions false (`Status is Pending` with `Status = Closed`).

use super::logic::{value_named, Set, Slot, Tri};
use super::{Cx, Facts, Finding};
use crate::catalog::fields::{FieldKey, FieldRef};
use crate::catalog::TriggerKind;
use crate::catalog::{fold, Op};
use crate::check::rules::{Condition, Operand, Passthrough, Test, Trigger};
use crate::diagnostics::Code;
use crate::model::{HoursOp, Moment};

pub(super) fn check(cx: &Cx<'_>, i: usize, out: &mut Vec<Finding>) {
    let (t, facts) = (&cx.rules.triggers[i], &cx.facts[i]);
    // A trigger that never fires cannot fire again: `unsatisfiable_conditions` says so.
    let automation = t.kind == TriggerKind::Automation;
    let once = if automation {
        holds_one_hour(&t.conditions)
    } else {
        runs_once(t) || per_update(&t.conditions)
    };
    if once || !facts.satisfiable {
        return;
    }
    if facts.formula.after(&facts.effects) == Tri::False || closes(facts) {
        return;
    }
    let tag = done_tag(&t.title);
    let diagnostic = if automation {
        cx.at_trigger(
            i,
            Code::NoNullifyingCondition,
            format!(
                "automation `{}` fires again every hour while its conditions hold",
                t.title
            ),
            "no action of this automation makes its conditions false",
        )
        .help(format!(
            "make it hold once, with a time condition `is` (`Hours since pending is 48`), \
                 or add a nullifying condition: `Tags excludes {tag}` with `Tags += {tag}` in \
                 the actions"
        ))
    } else {
        cx.at_trigger(
            i,
            Code::NoNullifyingCondition,
            format!(
                "trigger `{}` fires again on every update while its conditions hold",
                t.title
            ),
            "no action of this trigger makes its conditions false",
        )
        .help(format!(
            "add a nullifying condition: `Tags excludes {tag}` with `Tags += {tag}` in the \
                 actions, or `Ticket is Created`; if it must act on every update, write \
                 `# declic-allow: no_nullifying_condition` above it"
        ))
    };
    out.push(Finding {
        trigger: i,
        diagnostic,
    });
}

/// A messaging trigger that runs once per ticket, or only on the conversation events it
/// names (each one happens once, or is the point of the trigger).
fn runs_once(t: &Trigger) -> bool {
    t.kind == TriggerKind::Messaging && (t.once_per_ticket || !t.events.is_empty())
}

/// Whether an automation's all-list has a time condition `is N`, which holds during one
/// hourly run only, in the catalog's words or kept as Zendesk wrote it.
fn holds_one_hour(c: &Condition) -> bool {
    let Condition::All(members) = c else {
        return false;
    };
    members.iter().any(|m| match m {
        Condition::Hours { test, .. } => test.op == HoursOp::Is,
        Condition::Zendesk(p) => {
            let op = p.json.get("operator").and_then(|v| v.as_str());
            Moment::from_api(p.field()).is_some() && matches!(op, Some("is" | "is_business_hours"))
        }
        _ => false,
    })
}

/// Whether the conditions hold only on updates that bring something: the ticket's
/// creation, a change, a comment. Such a trigger fires on each of those updates, which is
/// what its author asked for, not on every update.
fn per_update(c: &Condition) -> bool {
    match c {
        Condition::All(m) => m.iter().any(per_update),
        Condition::Any(m) => !m.is_empty() && m.iter().all(per_update),
        Condition::Not(_) => false,
        Condition::Zendesk(p) => per_update_passthrough(p),
        Condition::Test(t) => per_update_test(t),
        // Triggers have no time condition (the checker refuses them).
        Condition::Hours { .. } => false,
    }
}

/// Whether the ticket is closed once the trigger fired: by its conditions (`Status is
/// Closed`) or its actions. No trigger runs on a closed ticket (DOMAIN.md 2.6), so it
/// cannot fire again.
fn closes(facts: &Facts) -> bool {
    let slot = Slot::Field(FieldKey::Status);
    let Some(closed) = value_named(FieldKey::Status, "closed") else {
        return false;
    };
    let after = facts.effects.apply_to(&facts.env);
    after
        .get(&slot)
        .is_some_and(|s| s.subset(&Set::only(&slot, [closed])))
}

/// A condition kept as Zendesk wrote it that still says it holds only on some updates:
/// a change (`changed`, changed to, changed from), or what the update itself brings (its
/// comment, its channel), whatever spelling of the field an old account uses.
fn per_update_passthrough(p: &Passthrough) -> bool {
    let field = p.field().split('#').next().unwrap_or_default();
    let op = p.json.get("operator").and_then(|v| v.as_str());
    matches!(op, Some("changed" | "value" | "value_previous"))
        || matches!(
            (field, op),
            (
                "comment_is_public" | "comment_includes_word" | "current_via_id",
                Some("is")
            )
        )
}

fn per_update_test(t: &Test) -> bool {
    if matches!(t.op, Op::Changed | Op::ChangedTo | Op::ChangedFrom) {
        return true;
    }
    let FieldRef::Known(field) = &t.field else {
        return false;
    };
    let api = match &t.value {
        Operand::Enum(i) => field.domain.values().get(*i).map(|v| v.names.api),
        _ => None,
    };
    match (field.key, t.op) {
        (FieldKey::UpdateType, Op::Is) => api == Some("Create"),
        (FieldKey::UpdateType, Op::IsNot) => api == Some("Change"),
        // A comment in this update, of any kind or of a given one.
        (FieldKey::CommentVisibility, Op::Is) => true,
        (FieldKey::CommentText, Op::Is | Op::Contains) => true,
        (FieldKey::UpdateVia, Op::Is) => true,
        _ => false,
    }
}

/// A tag name to suggest, from the trigger's title: `escalate_urgent_done`.
fn done_tag(title: &str) -> String {
    let words: Vec<String> = fold(title)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(3)
        .map(str::to_owned)
        .collect();
    if words.is_empty() {
        "trigger_done".to_owned()
    } else {
        format!("{}_done", words.join("_"))
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes;
    use crate::Code::NoNullifyingCondition as N;

    fn fires(when: &str, then: &str) -> bool {
        let text = format!("trigger \"Escalate it\" {{\n  when all {{\n{when}\n  }}\n  then {{\n{then}\n  }}\n}}\n");
        codes(&text).contains(&N)
    }

    #[test]
    fn automations_hold_once_or_nullify_themselves() {
        let fires = |when: &str, then: &str| {
            let text = format!(
                "automation \"Remind\" {{\n  when all {{\n{when}\n  }}\n  then {{\n{then}\n  }}\n}}\n"
            );
            let found = crate::lint::tests::findings(&text);
            let hits: Vec<_> = found.iter().filter(|d| d.code == N).collect();
            if let Some(d) = hits.first() {
                assert!(d
                    .message
                    .starts_with("automation `Remind` fires again every hour"));
            }
            !hits.is_empty()
        };
        for (when, then, expected) in [
            // Its actions make a condition false: the status, or a tag it excludes.
            (
                "Status is Pending\nHours since pending > 96",
                "Status = Closed",
                false,
            ),
            (
                "Status is Pending\nTags excludes reminded\nHours since pending > 48",
                "Tags += reminded",
                false,
            ),
            // `is` holds in one hourly run, in calendar or business hours.
            (
                "Status is Pending\nHours since pending is 48",
                "Tags += reminded",
                false,
            ),
            (
                "Status is Pending\nBusiness hours since pending is 8",
                "Tags += r",
                false,
            ),
            // Near misses: `>` holds every hour after, and a tag it does not test.
            (
                "Status is Pending\nHours since pending > 48",
                "Tags += reminded",
                true,
            ),
            (
                "Status is Pending\nTags excludes other\nHours since pending > 48",
                "Tags += reminded",
                true,
            ),
            (
                "Status is Pending\nHours since pending < 48",
                "Status = Pending",
                true,
            ),
        ] {
            assert_eq!(fires(when, then), expected, "{when} / {then}");
        }
    }

    #[test]
    fn fires_without_a_nullifying_condition() {
        assert!(fires("Priority is Urgent", "Group = 42"));
        assert!(fires("Tags excludes done", "Tags += other"));
        assert!(fires("Status is Open", "notify requester \"s\" \"b\""));
        assert!(fires(
            "Satisfaction is Unoffered\nChannel is Messaging",
            "send CSAT"
        ));
        assert!(fires(
            "Ticket is Updated\nPriority >= High",
            "Priority = Urgent\nTags += x"
        ));
        assert!(fires(
            "any {\nStatus changed\nPriority is High\n}",
            "Group = 1"
        ));
    }

    #[test]
    fn quiet_when_nullified_or_limited() {
        assert!(!fires("Tags excludes done", "Tags += done"));
        assert!(!fires("Priority is Urgent", "Priority = High"));
        assert!(!fires("Status < Solved", "Status = Solved"));
        assert!(!fires("Ticket is Created\nPriority is High", "Group = 1"));
        assert!(!fires("Status changed to Solved", "send CSAT by email"));
        assert!(!fires("Comment is Public", "notify requester \"s\" \"b\""));
        assert!(!fires(
            "Messaging session state is Active\nChannel is Messaging",
            "End session"
        ));
        assert!(!fires("Tags includes a b", "Tags = c"));
        assert!(!fires(
            "any {\nStatus changed\nPriority changed\n}",
            "Group = 1"
        ));
        assert!(!fires(
            "Satisfaction is Unoffered",
            "Satisfaction = Offered"
        ));
    }

    /// False findings seen on real accounts, each beside the near case that must fire.
    #[test]
    fn real_accounts_nullifying_conditions_on_any_field() {
        for (when, then, expected) in [
            // Its own action makes its condition on the group, the assignee or a custom
            // field false.
            ("Group is None", "Group = 5", false),
            ("Group is not 5", "Group = 5", false),
            ("Group is 5", "Group = 5", true),
            ("Assignee is None", "Assignee = 7", false),
            ("Assignee is not 7", "Assignee = 7", false),
            ("Assignee is 7", "Assignee = 7", true),
            ("custom_fields_12 is a", "custom_fields_12 = b", false),
            ("custom_fields_12 is \"\"", "custom_fields_12 = b", false),
            ("custom_fields_12 is not b", "custom_fields_12 = b", false),
            ("custom_fields_12 is b", "custom_fields_12 = \"\"", false),
            ("custom_fields_12 is a", "custom_fields_12 = a", true),
            ("custom_fields_12 is \"\"", "Tags += x", true),
            // A value the engine may read as a number: `1` and `1.0` are one value.
            ("custom_fields_12 is 1", "custom_fields_12 = \"1.0\"", true),
            // Only an agent is assigned as the current user.
            (
                "Assignee is None\nCurrent user is not End user",
                "Assignee = Current user",
                false,
            ),
            ("Assignee is None", "Assignee = Current user", true),
            // A closed ticket runs no trigger.
            ("Status is Closed", "Tags += x", false),
            ("Status is Solved", "Status = Closed", false),
            ("Status is Solved", "Tags += x", true),
            // A comment in the update, of either kind ("Present (public or private)").
            (
                "Comment is \"Not relevant\"\nStatus is Open",
                "Group = 1",
                false,
            ),
        ] {
            assert_eq!(fires(when, then), expected, "{when} / {then}");
        }
    }

    #[test]
    fn a_trigger_that_needs_an_empty_group_never_fires_again() {
        assert!(!fires("any {\n}\nStatus is Open", "Group = 1"));
        assert!(!fires("not {\n}\nStatus is Open", "Group = 1"));
        // An empty member beside one that can hold does not stop the group.
        assert!(fires("any {\nany {\n}\nStatus is Open\n}", "Group = 1"));
    }

    #[test]
    fn conditions_kept_as_zendesk_wrote_them_may_hold_on_some_updates_only() {
        for (condition, expected) in [
            (
                r#"{"field":"comment_is_public","operator":"is","value":true}"#,
                false,
            ),
            (
                r#"{"field":"current_via_id","operator":"is","value":"email"}"#,
                false,
            ),
            (
                r#"{"field":"group_id#current_groups","operator":"changed","value":""}"#,
                false,
            ),
            (
                r#"{"field":"assignee_id#all_agents","operator":"value","value":"assignee_id"}"#,
                false,
            ),
            (
                r#"{"field":"assignee_id#all_agents","operator":"is","value":""}"#,
                true,
            ),
            (
                r#"{"field":"current_via_id","operator":"is_not","value":"email"}"#,
                true,
            ),
        ] {
            let when = format!("zendesk r#\"{condition}\"#");
            assert_eq!(fires(&when, "Group = 1"), expected, "{condition}");
        }
    }

    #[test]
    fn messaging_triggers_limited_to_events_or_once_are_quiet() {
        let once = "messaging trigger \"m\" {\n once per ticket\n when all { Within business hours is false }\n then { Send message \"hi\" }\n}\n";
        let on = "messaging trigger \"m\" {\n on conversation requested\n when all { Within business hours is false }\n then { Send message \"hi\" }\n}\n";
        let every = "messaging trigger \"m\" {\n when all { Within business hours is false }\n then { Send message \"hi\" }\n}\n";
        assert!(!codes(once).contains(&N));
        assert!(!codes(on).contains(&N));
        assert!(codes(every).contains(&N));
    }

    #[test]
    fn the_suggested_tag_comes_from_the_title() {
        assert_eq!(
            super::done_tag("Escalade : ticket très urgent"),
            "escalade_ticket_tres_done"
        );
        assert_eq!(super::done_tag("!!!"), "trigger_done");
    }
}
