//! `conflicting_actions`: actions of one trigger that undo or override each other. Actions
//! apply in order, so the later one wins and the earlier one is at best dead text: the
//! same field set twice, a tag added and removed, `Tags =` after tags were added or
//! removed, a survey sent in the conversation after the session was ended, routing set
//! back to Messaging around End session.

use foldhash::{HashMap, HashMapExt};

use super::{Cx, Finding};
use crate::catalog::actions::ActionKey;
use crate::check::rules::{Action, ActionTarget, Operand};
use crate::diagnostics::{Code, Span};

pub(super) fn check(cx: &Cx<'_>, i: usize, out: &mut Vec<Finding>) {
    for c in conflicts(&cx.rules.triggers[i].actions) {
        let diagnostic = cx
            .at(
                i,
                Code::ConflictingActions,
                c.message,
                c.later,
                "this one wins",
            )
            .label(c.earlier, "over this one")
            .help(c.help);
        out.push(Finding {
            trigger: i,
            diagnostic,
        });
    }
}

struct Conflict {
    message: String,
    earlier: Span,
    later: Span,
    help: String,
}

/// What an action sets, when it sets one field to one value.
fn field(a: &Action) -> Option<String> {
    match &a.target {
        ActionTarget::CustomField(id) => Some(format!("custom_fields_{id}")),
        ActionTarget::Zendesk(_) => None,
        ActionTarget::Known(k) => matches!(
            k.key,
            ActionKey::Status
                | ActionKey::Priority
                | ActionKey::TicketType
                | ActionKey::Group
                | ActionKey::Assignee
                | ActionKey::Form
                | ActionKey::Brand
                | ActionKey::SetSchedule
                | ActionKey::RoutingChannel
                | ActionKey::Satisfaction
                | ActionKey::SetTags
        )
        .then(|| k.names.api.to_owned()),
    }
}

fn conflicts(actions: &[Action]) -> Vec<Conflict> {
    let mut out = Vec::new();
    let mut set: HashMap<String, &Action> = HashMap::new();
    // The last action that added or removed each tag.
    let mut tags: HashMap<String, (&Action, bool)> = HashMap::new();
    let mut ended: Option<&Action> = None;
    for a in actions {
        if let Some(name) = field(a) {
            if let Some(earlier) = set.insert(name.clone(), a) {
                out.push(set_twice(&name, earlier, a));
            }
        }
        match (a.target.key(), &a.value) {
            (Some(ActionKey::AddTags), Operand::Tags(t)) => {
                tag_ops(&mut tags, a, t, true, &mut out)
            }
            (Some(ActionKey::RemoveTags), Operand::Tags(t)) => {
                tag_ops(&mut tags, a, t, false, &mut out)
            }
            (Some(ActionKey::SetTags), Operand::Tags(_)) => {
                if let Some((earlier, _)) = tags.values().next() {
                    out.push(Conflict {
                        message: "`Tags =` replaces every tag, so the tags added or removed before it do not count".into(),
                        earlier: earlier.span,
                        later: a.span,
                        help: "add or remove tags after `Tags =`, or list them in it".into(),
                    });
                }
                tags.clear();
            }
            (Some(ActionKey::EndSession), _) => ended = Some(a),
            (Some(ActionKey::SendCsat), _) => {
                if let Some(end) = ended {
                    out.push(Conflict {
                        message: "the survey is sent in the conversation after the session was ended, so it never arrives".into(),
                        earlier: end.span,
                        later: a.span,
                        help: "send the survey before `End session`, or use `send CSAT by email`".into(),
                    });
                }
            }
            _ => {}
        }
    }
    if let Some(c) = routing_back(actions) {
        out.push(c);
    }
    out.sort_by_key(|c| c.later.start);
    out
}

fn set_twice(name: &str, earlier: &Action, later: &Action) -> Conflict {
    let same = earlier.value == later.value && earlier.texts == later.texts;
    Conflict {
        message: if same {
            format!("`{name}` is set twice to the same value")
        } else {
            format!("`{name}` is set twice: only the last value stays")
        },
        earlier: earlier.span,
        later: later.span,
        help: "keep one of the two actions".into(),
    }
}

fn tag_ops<'a>(
    tags: &mut HashMap<String, (&'a Action, bool)>,
    a: &'a Action,
    names: &[String],
    add: bool,
    out: &mut Vec<Conflict>,
) {
    for tag in names {
        let tag = tag.to_lowercase();
        if let Some((earlier, added)) = tags.insert(tag.clone(), (a, add)) {
            if added != add {
                out.push(Conflict {
                    message: format!(
                        "tag `{tag}` is both added and removed: only the last action counts"
                    ),
                    earlier: earlier.span,
                    later: a.span,
                    help: format!("keep either `Tags += {tag}` or `Tags -= {tag}`"),
                });
            }
        }
    }
}

/// `Routing channel = Messaging` with End session: ending the session switches routing to
/// Email; a ticket left routed as messaging after its session ended is taken out of every
/// queue (DOMAIN.md 4).
fn routing_back(actions: &[Action]) -> Option<Conflict> {
    let end = actions
        .iter()
        .find(|a| a.target.key() == Some(ActionKey::EndSession))?;
    let messaging = actions.iter().find(|a| {
        a.target.key() == Some(ActionKey::RoutingChannel)
            && matches!(a.value, Operand::Enum(i) if crate::catalog::values::ROUTING_CHANNEL.get(i).is_some_and(|v| v.names.api == "messaging"))
    })?;
    let (earlier, later) = if end.span.start < messaging.span.start {
        (end.span, messaging.span)
    } else {
        (messaging.span, end.span)
    };
    Some(Conflict {
        message: "End session routes the ticket as email; routing it as messaging with an ended session takes it out of every queue".into(),
        earlier,
        later,
        help: "remove `Routing channel = Messaging`: End session already sets the routing channel".into(),
    })
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes;
    use crate::Code;

    fn then(actions: &str) -> Vec<Code> {
        let all = codes(&format!(
            "trigger \"t\" {{\n  when all {{\n    Tags excludes done\n    Channel is Messaging\n  }}\n  then {{\n{actions}\n    Tags += done\n  }}\n}}\n"
        ));
        all.into_iter()
            .filter(|c| *c == Code::ConflictingActions)
            .collect()
    }

    #[test]
    fn conflicting_actions_are_found() {
        for a in [
            "Status = Open\nStatus = Pending",
            "Priority = High\nPriority = High",
            "custom_fields_1 = a\ncustom_fields_1 = b",
            "Tags += vip\nTags -= vip",
            "Tags -= done",
            "Tags += x\nTags = a b",
            "End session\nsend CSAT",
            "End session\nRouting channel = Messaging",
        ] {
            assert_eq!(then(a), [Code::ConflictingActions], "{a}");
        }
    }

    #[test]
    fn near_misses_do_not_conflict() {
        for a in [
            "Status = Open\nPriority = High",
            "Tags += vip\nTags -= spam",
            "Tags = a b\nTags += c",
            "send CSAT\nEnd session",
            "End session\nsend CSAT by email",
            "End session\nRouting channel = Email",
            "notify requester \"a\" \"b\"\nnotify requester \"c\" \"d\"",
        ] {
            assert!(then(a).is_empty(), "{a}: {:?}", then(a));
        }
    }
}
