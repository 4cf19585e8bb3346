//! What Zendesk requires of automations (DOMAIN.md 6b), and that triggers hold no time
//! condition: a time condition stands only in an automation's top-level all-list; that
//! all-list has a time condition and a condition on status, type, group, assignee or
//! requester; no two active automations have the same conditions; at most 500 are active.
//!
//! Hours since a status (`Hours since pending is 24`) count as a condition on the status:
//! Zendesk's own default automations ("Pending notification 24 hours") have no other, and
//! Zendesk lets an admin activate them as they are. **(declic decision)**

use std::fmt::Write;

use foldhash::{HashMap, HashMapExt};

use super::rules::{Condition, Passthrough, Trigger};
use super::Context;
use crate::catalog::fields::{FieldKey, FieldRef};
use crate::catalog::TriggerKind;
use crate::diagnostics::{Code, Diagnostic, Span};
use crate::model::Moment;
use crate::syntax::ast;

/// Zendesk's limit of active automations per account.
pub const MAX_ACTIVE_AUTOMATIONS: usize = 500;

/// The fields of which Zendesk wants one in an automation's all-list, so that an
/// automation is not run over every ticket of the account.
const ANCHORS: [FieldKey; 5] = [
    FieldKey::Status,
    FieldKey::TicketType,
    FieldKey::Group,
    FieldKey::Assignee,
    FieldKey::Requester,
];

/// Checks where the time conditions of a rule's resolved `conditions` stand, and, for an
/// automation, that its all-list has what Zendesk requires.
pub(super) fn conditions(cx: &mut Context<'_>, t: &ast::Trigger, conditions: &Condition) {
    if t.kind.node != TriggerKind::Automation {
        // Only the catalog's time conditions: Zendesk's trigger definitions have
        // `sla_next_breach_at` with date operators, kept as written.
        let mut spans = Vec::new();
        time_conditions(conditions, &mut spans);
        for span in spans {
            cx.push(in_trigger(t, span));
        }
        return;
    }
    let mut misplaced = Vec::new();
    match conditions {
        Condition::All(members) => members
            .iter()
            .filter(|m| !is_time_condition(m))
            .for_each(|m| time_conditions(m, &mut misplaced)),
        other => time_conditions(other, &mut misplaced),
    }
    let all: &[Condition] = match conditions {
        Condition::All(members) => members,
        _ => &[],
    };
    for span in &misplaced {
        cx.push(
            Diagnostic::error(
                Code::MisplacedTimeCondition,
                "a time condition stands outside the automation's all-list",
            )
            .label(*span, "inside a nested group")
            .help(
                "Zendesk takes time conditions in the top-level all-list only: move it \
                 directly under `when all { ... }`",
            ),
        );
    }
    if !misplaced.is_empty() {
        return;
    }
    if !all.iter().any(is_time_condition) {
        cx.push(
            Diagnostic::error(
                Code::AutomationWithoutTimeCondition,
                format!("automation `{}` has no time condition", t.title.node),
            )
            .label(t.title.span, "nothing here says when")
            .help(
                "Zendesk refuses an automation whose all-list has no time condition: add one \
                 such as `Hours since pending > 48` (`Heures depuis En attente > 48`)",
            ),
        );
    }
    if !all.iter().any(is_anchor) {
        cx.push(
            Diagnostic::error(
                Code::AutomationWithoutTicketCondition,
                format!(
                    "automation `{}` tests no status, type, group, assignee or requester",
                    t.title.node
                ),
            )
            .label(t.title.span, "would run over every ticket")
            .help(
                "Zendesk refuses an automation whose all-list has no condition on status, \
                 type, group, assignee or requester: add one such as `Status is Pending`",
            ),
        );
    }
}

fn in_trigger(t: &ast::Trigger, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::TimeConditionInTrigger,
        "a trigger cannot test hours since a moment",
    )
    .label(span, "a time condition")
    .label(
        t.kind.span,
        "this is a trigger: it runs on updates, not each hour",
    )
    .help(
        "time conditions belong to automations, which Zendesk runs each hour: write \
         `automation \"...\"` (`automatisation`)",
    )
}

/// The spans of every time condition of the catalog in `c`, at any depth.
fn time_conditions(c: &Condition, out: &mut Vec<Span>) {
    match c {
        Condition::All(m) | Condition::Any(m) | Condition::Not(m) => {
            m.iter().for_each(|c| time_conditions(c, out));
        }
        Condition::Hours { span, .. } => out.push(*span),
        Condition::Test(_) | Condition::Zendesk(_) => {}
    }
}

/// A time condition, or one kept as Zendesk wrote it (`PENDING greater_than_equal`).
fn is_time_condition(c: &Condition) -> bool {
    match c {
        Condition::Hours { .. } => true,
        Condition::Zendesk(p) => passthrough_moment(p).is_some(),
        _ => false,
    }
}

/// Whether `moment` is the ticket entering a status.
fn is_status(moment: Moment) -> bool {
    matches!(
        moment,
        Moment::New
            | Moment::Open
            | Moment::Pending
            | Moment::Hold
            | Moment::Solved
            | Moment::Closed
    )
}

fn passthrough_moment(p: &Passthrough) -> Option<Moment> {
    Moment::from_api(p.field())
}

/// A condition on status, type, group, assignee or requester, in the catalog's words or
/// kept as Zendesk wrote it; hours since a status count (see the module's note).
fn is_anchor(c: &Condition) -> bool {
    match c {
        Condition::Test(t) => matches!(&t.field, FieldRef::Known(f) if ANCHORS.contains(&f.key)),
        Condition::Hours { test, .. } => is_status(test.moment),
        Condition::Zendesk(p) => {
            let field = p.field().split('#').next().unwrap_or_default();
            matches!(
                field,
                "status" | "type" | "group_id" | "assignee_id" | "requester_id"
            )
        }
        _ => false,
    }
}

/// Set-wide rules over the checked automations: the same conditions twice among the active
/// ones, and more active ones than Zendesk accepts.
pub(super) fn set(automations: &[Trigger], out: &mut Vec<Diagnostic>) {
    let mut first: HashMap<String, &Trigger> = HashMap::new();
    for a in automations.iter().filter(|a| a.active) {
        let key = key(&a.conditions);
        match first.get(&key) {
            Some(earlier) => out.push(duplicate(earlier, a)),
            None => {
                first.insert(key, a);
            }
        }
    }
    let active = automations.iter().filter(|a| a.active).count();
    if active > MAX_ACTIVE_AUTOMATIONS {
        out.push(
            Diagnostic::error(
                Code::TooManyAutomations,
                format!(
                    "{active} active automations; Zendesk accepts at most \
                     {MAX_ACTIVE_AUTOMATIONS}"
                ),
            )
            .help("deactivate or merge automations"),
        );
    }
}

fn duplicate(earlier: &Trigger, later: &Trigger) -> Diagnostic {
    Diagnostic::error(
        Code::DuplicateAutomation,
        format!(
            "automations `{}` and `{}` have the same conditions",
            later.title, earlier.title
        ),
    )
    .in_source(&later.origin.source)
    .label(later.title_span, "the same conditions again")
    .help(
        "Zendesk refuses two active automations with the same conditions: make their \
         conditions differ, merge them, or set `active false` on one",
    )
    .related(
        Diagnostic::error(Code::DuplicateAutomation, "first written here")
            .in_source(&earlier.origin.source)
            .label(earlier.title_span, "this automation has them first"),
    )
}

/// What makes two automations' conditions the same whatever the language, spelling or
/// order of the conditions in a group.
fn key(c: &Condition) -> String {
    let mut out = String::new();
    write_key(c, &mut out);
    out
}

fn write_key(c: &Condition, out: &mut String) {
    // Writing to a String cannot fail.
    let (name, members) = match c {
        Condition::All(m) => ("all", m),
        Condition::Any(m) => ("any", m),
        Condition::Not(m) => ("not", m),
        Condition::Test(t) => {
            let _ = write!(out, "{} {:?} {:?}", t.field.api(), t.op, t.value);
            return;
        }
        Condition::Hours { test, .. } => {
            let _ = write!(out, "{test:?}");
            return;
        }
        Condition::Zendesk(p) => {
            let _ = write!(out, "zendesk {:?}", p.json);
            return;
        }
    };
    let mut parts: Vec<String> = members.iter().map(key).collect();
    parts.sort_unstable();
    let _ = write!(out, "{name}({})", parts.join("; "));
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::{Code, Source};

    /// An automation whose `when all` block holds `conditions`, one per line.
    fn automation(title: &str, conditions: &str) -> String {
        format!("automation \"{title}\" {{\n  when all {{\n{conditions}\n  }}\n  then {{\n    Tags += t\n  }}\n}}\n")
    }

    fn codes(text: &str) -> Vec<Code> {
        let checked = crate::check(&[Source::new("a.declic", text)]);
        checked.diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn each_rule_of_automations_at_its_edge() {
        let pending = "    Status is Pending\n    Hours since pending > 48";
        let cases: Vec<(&str, String, Vec<Code>)> = vec![
            ("holds in English", automation("a", pending), vec![]),
            (
                "holds in French, business hours",
                "automatisation \"a\" {\n quand tous {\n  Statut est En attente\n  Heures ouvrées depuis En attente est 8\n }\n alors {\n  Balises += t\n }\n}\n".into(),
                vec![],
            ),
            // Time conditions: top-level all-list only.
            (
                "time condition in a trigger",
                "trigger \"t\" {\n when all {\n  Status is Open\n  Hours since open > 2\n }\n then {\n  Tags += t\n }\n}\n".into(),
                vec![Code::TimeConditionInTrigger],
            ),
            (
                "time condition in a nested all",
                automation("a", "    Status is Pending\n    all {\n      Hours since pending > 48\n    }"),
                vec![Code::MisplacedTimeCondition],
            ),
            (
                "time condition in any",
                automation("a", "    Status is Pending\n    any {\n      Hours since pending > 48\n      Hours since open > 48\n    }"),
                vec![Code::MisplacedTimeCondition, Code::MisplacedTimeCondition],
            ),
            (
                "when any at the top",
                "automation \"a\" {\n when any {\n  Status is Pending\n  Hours since pending > 48\n }\n then {\n  Tags += t\n }\n}\n".into(),
                vec![Code::MisplacedTimeCondition],
            ),
            (
                "time condition beside an any",
                automation("a", "    Hours since assigned > 48\n    any {\n      Status is Pending\n      Status is Open\n    }"),
                vec![Code::AutomationWithoutTicketCondition],
            ),
            // The all-list needs a time condition.
            (
                "no time condition",
                automation("a", "    Status is Pending"),
                vec![Code::AutomationWithoutTimeCondition],
            ),
            (
                "a time condition kept as Zendesk wrote it counts",
                automation("a", "    Status is Pending\n    zendesk r#\"{\"field\":\"PENDING\",\"operator\":\"greater_than_equal\",\"value\":\"4\"}\"#"),
                vec![Code::Passthrough],
            ),
            // ... and a condition on status, type, group, assignee or requester.
            (
                "no ticket condition",
                automation("a", "    Tags includes vip\n    Hours since update > 48"),
                vec![Code::AutomationWithoutTicketCondition],
            ),
            (
                "hours since a status count as a condition on it, as Zendesk's defaults have",
                automation("a", "    Tags includes vip\n    Hours since pending is 24"),
                vec![],
            ),
            (
                "business hours since a status count too",
                automation("a", "    Tags includes vip\n    Business hours since open > 4"),
                vec![],
            ),
            (
                "a group is enough",
                automation("a", "    Group is 5\n    Hours since assigned > 48"),
                vec![],
            ),
            (
                "a type is enough",
                automation("a", "    Type is Task\n    Hours until due date < 24"),
                vec![],
            ),
            (
                "a requester is enough",
                automation("a", "    Requester is 7\n    Hours since requester update is 24"),
                vec![],
            ),
            (
                "status category is not status",
                automation("a", "    Status category is Solved\n    Hours since due date > 48"),
                vec![Code::AutomationWithoutTicketCondition],
            ),
            (
                "neither",
                automation("a", "    Tags includes vip"),
                vec![Code::AutomationWithoutTimeCondition, Code::AutomationWithoutTicketCondition],
            ),
            // Hours and operators.
            (
                "at least is not an operator of hours",
                automation("a", "    Status is Pending\n    Hours since pending >= 48"),
                vec![Code::OperatorNotAllowed],
            ),
            (
                "hours are whole",
                automation("a", "    Status is Pending\n    Hours since pending > 1.5"),
                vec![Code::InvalidValue],
            ),
            (
                "hours are a number",
                automation("a", "    Status is Pending\n    Hours since pending > 2h"),
                vec![Code::InvalidValue],
            ),
            // Same conditions: order and language do not count; an inactive one may.
            (
                "the same conditions twice",
                automation("a", pending)
                    + &automation("b", "    Hours since pending > 48\n    Statut est En attente"),
                vec![Code::DuplicateAutomation],
            ),
            (
                "one hour apart",
                automation("a", pending)
                    + &automation("b", "    Status is Pending\n    Hours since pending > 49"),
                vec![],
            ),
            (
                "business hours apart",
                automation("a", pending)
                    + &automation("b", "    Status is Pending\n    Business hours since pending > 48"),
                vec![],
            ),
            (
                "the copy is inactive",
                automation("a", pending)
                    + &automation("b", pending).replacen("{\n", "{\n  active false\n", 1),
                vec![],
            ),
        ];
        for (what, text, want) in cases {
            assert_eq!(codes(&text), want, "{what}\n{text}");
        }
    }

    #[test]
    fn messaging_items_and_actions_are_not_for_automations() {
        let on = "automation \"a\" {\n  on conversation requested\n  when all {\n    Status is Open\n    Hours since open > 1\n  }\n  then {\n    Tags += t\n  }\n}\n";
        let checked = crate::check(&[Source::new("a.declic", on)]);
        let d = &checked.diagnostics[0];
        assert_eq!(d.code, Code::WrongTriggerKind);
        assert!(d
            .labels
            .iter()
            .any(|l| l.message.as_deref() == Some("this is an automation")));
        let end = automation("a", "    Status is Open\n    Hours since open > 1")
            .replace("Tags += t", "Send message \"hi\"");
        assert_eq!(codes(&end), [Code::WrongTriggerKind]);
        // Near miss: a ticket action is an automation's.
        let ticket = automation("a", "    Status is Open\n    Hours since open > 1")
            .replace("Tags += t", "Priority = High");
        assert_eq!(codes(&ticket), []);
    }

    #[test]
    fn a_duplicate_names_both_automations() {
        let text = automation(
            "first",
            "    Status is Pending\n    Hours since pending > 48",
        ) + &automation(
            "second",
            "    Hours since pending > 48\n    Status is Pending",
        );
        let checked = crate::check(&[Source::new("a.declic", text)]);
        let d = &checked.diagnostics[0];
        assert!(
            d.message.contains("`second`") && d.message.contains("`first`"),
            "{d:?}"
        );
        assert_eq!(d.related.len(), 1);
        assert!(d.help.is_some());
    }

    #[test]
    fn automations_are_kept_apart_from_triggers_in_run_order() {
        let text = automation("b", "    Status is Pending\n    Hours since pending > 48")
            + "trigger \"t\" {\n when all {\n  Status is Open\n }\n then {\n  Tags += t\n }\n}\n"
            + &automation("a", "    Status is Open\n    Hours since open is 2");
        let checked = crate::check(&[Source::new("a.declic", text)]);
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        let titles = |rules: &[crate::check::rules::Trigger]| -> Vec<String> {
            rules.iter().map(|t| t.title.clone()).collect()
        };
        assert_eq!(titles(&checked.rules.triggers), ["t"]);
        assert_eq!(titles(&checked.rules.automations), ["b", "a"]);
    }

    #[test]
    fn five_hundred_active_automations_at_most() {
        let set =
            |n: usize| -> Vec<Code> {
                let text: String =
                    (0..n)
                        .map(|i| {
                            automation(
                                &format!("a{i}"),
                                &format!("    Status is Pending\n    Hours since pending > {i}"),
                            )
                        })
                        .collect::<String>()
                        + &automation("off", "    Status is Open\n    Hours since open > 1")
                            .replacen("{\n", "{\n  active false\n", 1);
                codes(&text)
            };
        assert_eq!(set(super::MAX_ACTIVE_AUTOMATIONS), []);
        assert_eq!(
            set(super::MAX_ACTIVE_AUTOMATIONS + 1),
            [Code::TooManyAutomations]
        );
    }
}
