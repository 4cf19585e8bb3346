//! Conditions against a ticket. Reading a field borrows from the ticket or the update, and
//! every comparison is on integers or on text the compiler already lower-cased, so a test
//! allocates nothing.

use serde_json::Value;

use super::compile::{Cond, Raw, Read, Special, Test, Want};
use super::facts::Facts;
use super::snapshot::Snapshot;
use super::text::{lowered, Word};
use crate::catalog::fields::FieldKey;
use crate::catalog::Op;
use crate::model::Tag;

/// A field's value, borrowed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Val<'a> {
    /// An enumeration code, id, channel or boolean; `None` is no value.
    Code(Option<i64>),
    Text(Option<&'a str>),
    Tags(&'a [Tag]),
    Json(Option<&'a Value>),
}

impl Val<'_> {
    fn present(self) -> bool {
        match self {
            Val::Code(c) => c.is_some(),
            Val::Text(t) => t.is_some_and(|t| !t.is_empty()),
            Val::Tags(t) => !t.is_empty(),
            Val::Json(v) => v.is_some_and(json_present),
        }
    }
}

/// A custom field holds a value unless it is `null`, `""` or `[]`; `false` is a value.
/// Every kind of field reads so: a drop-down's `""` is its "-", a multi-select's `[]` no
/// option, and a field the ticket does not list has no value either.
fn json_present(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        _ => true,
    }
}

/// Whether the condition tree holds.
pub(crate) fn holds(c: &Cond, ticket: &Facts<'_>, cx: &Snapshot<'_>) -> bool {
    // One loop for the three groups, so that each kind of member is compiled once: all
    // holds unless a member fails, any fails unless one holds, not is all turned round.
    let (members, settles_on, not): (&[Cond], _, _) = match c {
        Cond::All(m) => (m, false, false),
        Cond::Any(m) => (m, true, false),
        Cond::Not(m) => (m, false, true),
        _ => (std::slice::from_ref(c), false, false),
    };
    for c in members {
        if member(c, ticket, cx) == settles_on {
            return settles_on != not;
        }
    }
    settles_on == not
}

/// Whether a member of a group holds: the direct tests, most members, are evaluated in
/// the group's loop rather than by a call of `holds` each.
#[inline(always)]
fn member(c: &Cond, ticket: &Facts<'_>, cx: &Snapshot<'_>) -> bool {
    match c {
        Cond::Code { key, is, want } => (code_of(*key, ticket, cx) == Some(*want)) == *is,
        Cond::Tags { any, want } => has_any_tag(&ticket.tags, want) == *any,
        Cond::Test(t) => test(t, ticket, cx),
        Cond::Hours(h) => cx.hours_hold(h, ticket.base),
        Cond::All(_) | Cond::Any(_) | Cond::Not(_) => holds(c, ticket, cx),
    }
}

// Out of line: `holds` stays small for the direct tests, which are most.
#[inline(never)]
pub(crate) fn test(t: &Test, ticket: &Facts<'_>, cx: &Snapshot<'_>) -> bool {
    if let Some(holds) = search(t, cx) {
        return holds;
    }
    let now = read(&t.read, ticket, cx);
    if t.op.is_delta() {
        // On a create there is no ticket before: every field that has a value changed
        // (from nothing), and nothing changed *from* a value.
        let before = cx.previous.as_ref().map(|p| read(&t.read, p, cx));
        return delta(t.op, &t.want, now, before, ticket, cx);
    }
    compare(t.op, &t.want, now, ticket, cx)
}

/// A subject or comment search (`Want::Substring`, `Want::Words`), on the text the
/// snapshot lower-cased once for every test of the event; `None` for any other test.
fn search(t: &Test, cx: &Snapshot<'_>) -> Option<bool> {
    let hay = match t.read {
        Read::Known(key @ (FieldKey::Subject | FieldKey::CommentText)) => cx.lower_text(key),
        _ => return None,
    };
    let found = match &t.want {
        Want::Substring(s) => hay.is_some_and(|h| h.contains(&**s)),
        Want::Words(words) => hay.is_some_and(|h| words.iter().any(|w| w.is_in(h))),
        _ => return None,
    };
    Some(match t.op {
        Op::Is | Op::Includes | Op::Contains => found,
        Op::IsNot | Op::Excludes | Op::NotContains => !found,
        _ => false,
    })
}

fn delta(
    op: Op,
    want: &Want,
    now: Val<'_>,
    before: Option<Val<'_>>,
    t: &Facts<'_>,
    cx: &Snapshot<'_>,
) -> bool {
    let changed = match before {
        Some(b) => b != now,
        None => now.present(),
    };
    let to = || changed && is(want, now, t, cx);
    let from = || changed && before.is_some_and(|b| is(want, b, t, cx));
    match op {
        Op::Changed => changed,
        Op::NotChanged => !changed,
        Op::ChangedTo => to(),
        Op::ChangedFrom => from(),
        Op::NotChangedTo => !to(),
        Op::NotChangedFrom => !from(),
        _ => false,
    }
}

fn compare(op: Op, want: &Want, v: Val<'_>, t: &Facts<'_>, cx: &Snapshot<'_>) -> bool {
    match op {
        Op::Is => is(want, v, t, cx),
        Op::IsNot => !is(want, v, t, cx),
        Op::Present => v.present(),
        Op::NotPresent => !v.present(),
        Op::Less | Op::LessOrEqual | Op::Greater | Op::GreaterOrEqual => order(op, want, v),
        Op::Includes | Op::Excludes => {
            let any = includes(want, v);
            (op == Op::Includes) == any
        }
        Op::Contains => contains(want, v),
        Op::NotContains => !contains(want, v),
        _ => false,
    }
}

fn is(want: &Want, v: Val<'_>, t: &Facts<'_>, cx: &Snapshot<'_>) -> bool {
    match (want, v) {
        (Want::AnyValue, v) => v.present(),
        (Want::Empty, v) => !v.present(),
        (Want::Code(w), Val::Code(c)) => *w == c,
        (Want::Dynamic(s), Val::Code(c)) => c.is_some() && special(*s, t, cx) == c,
        (Want::Text(w), Val::Text(Some(s))) => eq_lower(s, w),
        (Want::Raw(r), Val::Json(Some(j))) => raw_is(r, j),
        _ => false,
    }
}

fn special(s: Special, t: &Facts<'_>, cx: &Snapshot<'_>) -> Option<i64> {
    let id = match s {
        Special::CurrentUser => cx.event.update.actor.as_ref().and_then(|a| a.id),
        Special::Requester => t.requester_id,
        Special::TicketGroup => t.group_id,
        Special::TicketAssignee => t.assignee_id,
    };
    id.and_then(|i| i64::try_from(i).ok())
}

fn order(op: Op, want: &Want, v: Val<'_>) -> bool {
    use std::cmp::Ordering;
    let ord = match (want, v) {
        // `Option`'s order puts no value lowest: no priority < low.
        (Want::Code(w), Val::Code(c)) => Some(c.cmp(w)),
        (Want::Raw(r), Val::Json(Some(j))) => match (json_number(j), r.number) {
            (Some(a), Some(b)) => a.partial_cmp(&b),
            _ => None,
        },
        _ => None,
    };
    let Some(ord) = ord else { return false };
    match op {
        Op::Less => ord == Ordering::Less,
        Op::LessOrEqual => ord != Ordering::Greater,
        Op::Greater => ord == Ordering::Greater,
        Op::GreaterOrEqual => ord != Ordering::Less,
        _ => false,
    }
}

fn includes(want: &Want, v: Val<'_>) -> bool {
    match (want, v) {
        (Want::Tags(w), Val::Tags(tags)) => has_any_tag(tags, w),
        (Want::Raw(r), Val::Json(Some(j))) => r.words.iter().any(|w| json_has_word(j, w)),
        _ => false,
    }
}

/// Whether `tags` has one of `want` (lower-case), ignoring case.
fn has_any_tag(tags: &[Tag], want: &[String]) -> bool {
    want.iter().any(|w| tags.iter().any(|t| eq_lower(t, w)))
}

/// Whether a text contains the string, anywhere, case ignored (`includes_string`).
fn contains(want: &Want, v: Val<'_>) -> bool {
    match (want, v) {
        (Want::Text(w), Val::Text(Some(s))) => lowered(s).contains(&**w),
        (Want::Raw(r), Val::Json(Some(Value::String(s)))) => lowered(s).contains(&*r.lower),
        _ => false,
    }
}

fn json_number(j: &Value) -> Option<f64> {
    match j {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A custom field equals the operand as text, number, boolean, or (multi-select) as the
/// same set of options.
fn raw_is(r: &Raw, j: &Value) -> bool {
    match j {
        Value::String(s) => *s == *r.text,
        Value::Number(_) => json_number(j).is_some_and(|n| Some(n) == r.number),
        Value::Bool(b) => Some(*b) == r.boolean,
        Value::Array(items) => {
            items.len() == r.words.len() && r.words.iter().all(|w| json_has_word(j, w))
        }
        _ => false,
    }
}

/// Whether a field has the word: a multi-select lists it as an option, a text holds it on
/// word boundaries (`includes_words`).
fn json_has_word(j: &Value, w: &Word) -> bool {
    match j {
        Value::String(s) => w.is_in(&lowered(s)),
        Value::Array(items) => items
            .iter()
            .any(|i| matches!(i, Value::String(s) if eq_lower(s, &w.text))),
        _ => false,
    }
}

/// `s` equals `lower` (already lower-case) ignoring case.
fn eq_lower(s: &str, lower: &str) -> bool {
    // Most pairs differ at once: a first character that is ASCII folds to itself, so it
    // settles them before any scan of the whole text.
    if let (Some(&a), Some(&b)) = (s.as_bytes().first(), lower.as_bytes().first()) {
        if a.is_ascii() && a.to_ascii_lowercase() != b {
            return false;
        }
    }
    // Tags and most texts are ASCII, whose lower case is byte for byte: no Unicode tables.
    if s.is_ascii() {
        return s.len() == lower.len()
            && s.bytes()
                .zip(lower.bytes())
                .all(|(a, b)| a.to_ascii_lowercase() == b);
    }
    s.chars().flat_map(char::to_lowercase).eq(lower.chars())
}

/// Reads a field.
pub(crate) fn read<'a>(r: &'a Read, t: &'a Facts<'_>, cx: &Snapshot<'a>) -> Val<'a> {
    let key = match r {
        Read::Known(k) => *k,
        // Every empty form reads as no value, so that none of them differs from another
        // for `changed`.
        Read::Custom(id) => return Val::Json(t.custom_field(*id).filter(|v| json_present(v))),
        Read::OrgCustom(k) => {
            let org = t.base.organization.as_ref();
            let value = org.and_then(|o| o.organization_fields.get(&**k));
            return Val::Json(value.filter(|v| json_present(v)));
        }
        Read::UserCustom(k) => {
            let requester = t.base.requester.as_ref();
            let value = requester.and_then(|r| r.user_fields.get(&**k));
            return Val::Json(value.filter(|v| json_present(v)));
        }
    };
    let update = &cx.event.update;
    match key {
        FieldKey::Tags => Val::Tags(&t.tags),
        FieldKey::Subject => Val::Text(t.base.subject.as_deref()),
        FieldKey::CommentText => Val::Text(update.comment.as_ref().map(|c| c.body.as_str())),
        FieldKey::Recipient => Val::Text(t.base.recipient.as_deref()),
        // `code_of` reads every other field.
        _ => Val::Code(code_of(key, t, cx).flatten()),
    }
}

/// The code of field `key` on the ticket, or `None` when the field is not read as a code
/// (tags, texts, hours). The one place codes are read, by [`read`] and by
/// [`Cond::Code`] tests; the `as i64` casts are the codes `compile::enum_code` produced.
pub(crate) fn code_of(key: FieldKey, t: &Facts<'_>, cx: &Snapshot<'_>) -> Option<Option<i64>> {
    let update = &cx.event.update;
    let session = t.session.as_ref();
    let id = |id: Option<u64>| id.and_then(|i| i64::try_from(i).ok());
    Some(match key {
        FieldKey::UpdateType => Some(if cx.is_create { 0 } else { 1 }),
        FieldKey::Status => Some(t.status as i64),
        FieldKey::StatusCategory => Some(t.status.category() as i64),
        FieldKey::Priority => t.priority.map(|p| i64::from(p.rank())),
        FieldKey::TicketType => t.ticket_type.map(|x| x as i64),
        FieldKey::Group => id(t.group_id),
        FieldKey::Assignee => id(t.assignee_id),
        FieldKey::Requester => id(t.requester_id),
        FieldKey::Organization => id(t.organization_id),
        FieldKey::Form => id(t.ticket_form_id),
        FieldKey::Brand => id(t.brand_id),
        FieldKey::Channel => t.via_id.map(i64::from),
        FieldKey::UpdateVia => update.via_id.map(i64::from),
        FieldKey::CommentVisibility => update.comment.as_ref().map(|c| i64::from(c.public)),
        // Zendesk tickets are public unless made private.
        FieldKey::TicketVisibility => Some(i64::from(t.is_public.unwrap_or(true))),
        FieldKey::InBusinessHours => cx.business_hours.map(i64::from),
        // Within schedule N: the ticket runs on schedule N and the update falls in the
        // account's business hours (the one schedule an event describes).
        FieldKey::WithinSchedule => match cx.business_hours {
            Some(true) => id(t.schedule_id),
            _ => None,
        },
        FieldKey::CurrentUserRole => update.actor.as_ref().map(|a| a.role as i64),
        FieldKey::RequesterRole => t.requester_role.map(|r| r as i64),
        FieldKey::Satisfaction => Some(t.satisfaction as i64),
        FieldKey::RoutingChannel => t.routing_channel.map(|c| c as i64),
        FieldKey::SessionState => session.and_then(|s| s.state).map(|s| s as i64),
        FieldKey::SessionInactiveReason => {
            session.and_then(|s| s.inactive_reason).map(|s| s as i64)
        }
        FieldKey::SessionEndReason => session.and_then(|s| s.end_reason).map(|s| s as i64),
        FieldKey::Tags | FieldKey::Subject | FieldKey::CommentText | FieldKey::Recipient => {
            return None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::{code_of, eq_lower, holds, test};
    use crate::catalog::fields::{FieldKey, FIELDS};
    use crate::catalog::Op;
    use crate::engine::compile::{direct, reads_code, Cond, Read, Test, Want};
    use crate::engine::Snapshot;
    use crate::model::Event;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    /// What `eq_lower` must agree with: the fold char by char.
    fn folded(s: &str) -> String {
        s.chars().flat_map(char::to_lowercase).collect()
    }

    #[test]
    fn ascii_and_unicode_fold_alike() {
        assert!(eq_lower("VIP", "vip") && eq_lower("vip", "vip"));
        assert!(!eq_lower("vip", "VIP"), "the operand is already lower-case");
        assert!(!eq_lower("vips", "vip") && !eq_lower("vi", "vip"));
        assert!(eq_lower("ÉTÉ", "été") && !eq_lower("ete", "été"));
    }

    proptest! {
        #[test]
        fn agrees_with_the_char_fold(s in "[a-zA-Z_ÉéİK]{0,6}", t in "[a-zA-Z_ÉéİK]{0,6}") {
            prop_assert!(eq_lower(&s, &folded(&s)));
            prop_assert_eq!(eq_lower(&s, &t), folded(&s) == t);
        }
    }

    /// An event whose ticket has a value, or none, for most fields a code is read from.
    fn arb_event() -> impl Strategy<Value = Event> {
        let status = prop::sample::select(vec!["new", "open", "pending", "hold", "solved"]);
        let priority = prop::option::of(prop::sample::select(vec!["low", "normal", "urgent"]));
        let small = || prop::option::of(0u64..3);
        let tags =
            prop::collection::vec(prop::sample::select(vec!["vip", "VIP", "a", "été"]), 0..3);
        (
            (status, priority, small(), small(), small()),
            (prop::option::of(prop::sample::select(vec![0u32, 4, 75])), tags),
            (any::<bool>(), prop::option::of(any::<bool>()), prop::option::of(any::<bool>())),
        )
            .prop_map(|((status, priority, group, form, assignee), (via, tags), (new, hours, public))| {
                let ticket = json!({
                    "status": status, "priority": priority, "group_id": group,
                    "ticket_form_id": form, "assignee_id": assignee, "tags": tags,
                    "via": via.map(|id| json!({"id": id})), "is_public": public,
                });
                let previous = if new { Value::Null } else { ticket.clone() };
                let event = json!({
                    "ticket": ticket, "previous": previous,
                    "update": {"via_id": via, "comment": public.map(|p| json!({"body": "x", "public": p}))},
                    "account": {"in_business_hours": hours},
                });
                serde_json::from_value(event).expect("a valid event")
            })
    }

    proptest! {
        /// A direct test holds exactly when the generic test it stands for does.
        #[test]
        fn direct_tests_agree_with_the_generic_path(
            e in arb_event(),
            field in prop::sample::select(FIELDS.iter().map(|f| f.key).collect::<Vec<_>>()),
            op in prop::sample::select(vec![Op::Is, Op::IsNot, Op::Present, Op::NotPresent]),
            code in prop::option::of(0i64..5),
            tags in prop::collection::vec(prop::sample::select(vec!["vip", "a", "été", "b"]), 1..3),
            includes in any::<bool>(),
        ) {
            let cx = Snapshot::new(&e);
            let want = || match op {
                Op::Is | Op::IsNot => Want::Code(code),
                _ => Want::None,
            };
            let generic = Test { read: Read::Known(field), op, want: want() };
            let cond = direct(Test { read: Read::Known(field), op, want: want() });
            prop_assert_eq!(holds(&cond, &cx.ticket, &cx), test(&generic, &cx.ticket, &cx));

            let tags: Vec<String> = tags.into_iter().map(str::to_owned).collect();
            let op = if includes { Op::Includes } else { Op::Excludes };
            let tags_test = || Test { read: Read::Known(FieldKey::Tags), op, want: Want::Tags(tags.clone()) };
            let cond = direct(tags_test());
            prop_assert!(matches!(cond, Cond::Tags { .. }), "a direct tags test");
            prop_assert_eq!(holds(&cond, &cx.ticket, &cx), test(&tags_test(), &cx.ticket, &cx));
        }

        /// `compile::reads_code` names the fields `code_of` reads.
        #[test]
        fn the_code_fields_are_those_code_of_reads(e in arb_event()) {
            let cx = Snapshot::new(&e);
            for f in FIELDS {
                prop_assert_eq!(reads_code(f.key), code_of(f.key, &cx.ticket, &cx).is_some(), "{:?}", f.key);
            }
        }
    }
}
