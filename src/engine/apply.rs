//! Actions on the working ticket. Field changes apply at once, so later triggers of the
//! cycle see them, and are recorded as [`Change`]s; everything else becomes an [`Effect`]
//! emitted when the cycle ends (its texts rendered then, against the final ticket, as
//! Zendesk sends notifications only once the update is saved).

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

use serde_json::{json, Value};

use super::compile::{Act, UserTarget};
use super::facts::Facts;
use super::field_tags::FieldTags;
use super::messaging;
use super::snapshot::Snapshot;
use crate::catalog::values::is_empty_api;
use crate::model::{
    Change, ChangeValue, CsatChannel, CustomField, Delta, Effect, EndReason, RoutingChannel,
    Satisfaction, SessionState, Tag,
};

/// What one trigger's actions produced besides the ticket itself.
pub(crate) struct Out<'a> {
    pub trigger: &'a Arc<str>,
    pub changes: Vec<Change>,
    pub effects: &'a mut Vec<Effect>,
    /// Set when an action ended the messaging session.
    pub ended_session: &'a mut bool,
    /// The fields tied to tags.
    pub links: &'a FieldTags,
}

impl Out<'_> {
    fn by(&self) -> Option<Arc<str>> {
        Some(Arc::clone(self.trigger))
    }

    /// Sets `slot` to `new`, recording the change under the API name `field` when the
    /// value differs; `value` makes the recorded values (a [`ChangeValue`] variant).
    fn set<T: PartialEq + Clone>(
        &mut self,
        field: impl Into<Cow<'static, str>>,
        slot: &mut T,
        new: T,
        value: fn(T) -> ChangeValue,
    ) {
        if *slot != new {
            let from = std::mem::replace(slot, new);
            self.changes
                .push(Change::value(field, value(from), value(slot.clone())));
        }
    }
}

pub(crate) fn apply(act: &Act, t: &mut Facts<'_>, cx: &Snapshot<'_>, out: &mut Out<'_>) {
    match act {
        Act::Status(s) => out.set("status", &mut t.status, *s, ChangeValue::Status),
        Act::Priority(p) => out.set("priority", &mut t.priority, *p, ChangeValue::Priority),
        Act::TicketType(x) => out.set("type", &mut t.ticket_type, *x, ChangeValue::TicketType),
        Act::Group(id) => out.set("group_id", &mut t.group_id, *id, ChangeValue::Id),
        Act::Assignee(who) => {
            let id = match who {
                UserTarget::Id(id) => Some(*id),
                UserTarget::CurrentUser => cx.event.update.actor.as_ref().and_then(|a| a.id),
                UserTarget::Requester => t.requester_id,
                UserTarget::Nobody => {
                    out.set("assignee_id", &mut t.assignee_id, None, ChangeValue::Id);
                    return;
                }
            };
            // An unknown current user assigns nobody rather than unassigning.
            if id.is_some() {
                out.set("assignee_id", &mut t.assignee_id, id, ChangeValue::Id);
            }
        }
        Act::Form(id) => out.set(
            "ticket_form_id",
            &mut t.ticket_form_id,
            Some(*id),
            ChangeValue::Id,
        ),
        Act::Brand(id) => out.set("brand_id", &mut t.brand_id, Some(*id), ChangeValue::Id),
        Act::Schedule(id) => out.set(
            "schedule_id",
            &mut t.schedule_id,
            Some(*id),
            ChangeValue::Id,
        ),
        Act::SetTags(tags) => set_tags(t, out, |_| tags.clone()),
        Act::AddTags(tags) if out.links.is_empty() => add_tags(t, out, tags),
        Act::AddTags(tags) => set_tags(t, out, |old| {
            let mut new = Vec::with_capacity(old.len() + tags.len());
            new.extend_from_slice(old);
            for tag in tags {
                if !new.contains(tag) {
                    new.push(tag.clone());
                }
            }
            new
        }),
        Act::RemoveTags(tags) => set_tags(t, out, |old| {
            old.iter().filter(|x| !tags.contains(x)).cloned().collect()
        }),
        Act::CustomField { id, value } => custom_field(t, out, *id, value),
        Act::CustomFieldDays { id, days } => {
            // Without the update's date (nor the ticket's), no date can be set.
            if let Some(date) = days_after_update(t, cx, *days) {
                custom_field(t, out, *id, &date);
            }
        }
        Act::SatisfactionOffered => offer(t, out),
        Act::RoutingChannel(c) => out.set(
            "routing_channel",
            &mut t.routing_channel,
            Some(*c),
            ChangeValue::RoutingChannel,
        ),
        Act::NotifyUser { to, subject, body } => out.effects.push(Effect::Notification {
            trigger: out.by(),
            to: to.clone(),
            subject: subject.clone(),
            body: body.clone(),
        }),
        Act::NotifyGroup {
            group,
            subject,
            body,
        } => out.effects.push(Effect::GroupNotification {
            trigger: out.by(),
            group: group.clone(),
            subject: subject.clone(),
            body: body.clone(),
        }),
        Act::Webhook { id, body, params } => out.effects.push(Effect::Webhook {
            trigger: out.by(),
            webhook_id: id.clone(),
            body: body.clone(),
            params: params.clone(),
        }),
        Act::Target { id, message } => out.effects.push(Effect::Target {
            trigger: out.by(),
            target_id: id.clone(),
            message: message.clone(),
        }),
        Act::SendCsat => csat(t, out, CsatChannel::Messaging, messaging_csat_blocked(t)),
        Act::SendCsatByEmail => csat(t, out, CsatChannel::Email, email_csat_blocked(cx)),
        Act::Reply { public, body } => out.effects.push(Effect::Reply {
            trigger: out.by(),
            public: *public,
            body: body.clone(),
        }),
        Act::SideConversation {
            group,
            subject,
            body,
        } => out.effects.push(Effect::SideConversation {
            trigger: out.by(),
            group: group.clone(),
            subject: subject.clone(),
            body: body.clone(),
        }),
        Act::SendMessage(body) => out.effects.push(Effect::Message {
            trigger: out.by(),
            body: body.clone(),
        }),
        Act::EndSession => end_session(t, cx, out),
    }
}

/// Changes the tags, and the fields tied to the tags added or removed.
fn set_tags(t: &mut Facts<'_>, out: &mut Out<'_>, f: impl FnOnce(&[Tag]) -> Vec<Tag>) {
    let new = f(&t.tags);
    if *t.tags == *new {
        return;
    }
    let (new, fields) = match out.links.is_empty() {
        true => (new, Vec::new()),
        false => {
            let current = &t.custom_fields;
            let value = |id| current.iter().find(|f| f.id == id).map(|f| &f.value);
            out.links.fields_after_tags(&t.tags, new, value)
        }
    };
    write_tags(t, out, new);
    for (id, value) in fields {
        write_field(t, out, id, value);
    }
}

/// Adds `tags` to a ticket with no field tied to tags, recording those it lacked: what
/// [`set_tags`] does for the commonest action, without comparing the lists before and
/// after, and in place once the cycle owns the list.
fn add_tags(t: &mut Facts<'_>, out: &mut Out<'_>, tags: &[Tag]) {
    let mut added: Vec<Tag> = Vec::with_capacity(tags.len());
    for tag in tags {
        if !t.tags.contains(tag) && !added.contains(tag) {
            added.push(tag.clone());
        }
    }
    if added.is_empty() {
        return;
    }
    match &mut t.tags {
        Cow::Owned(list) => list.extend_from_slice(&added),
        Cow::Borrowed(list) => {
            // Room for as many again: the triggers after it add their own tags.
            let mut new = Vec::with_capacity(2 * (list.len() + added.len()));
            new.extend_from_slice(list);
            new.extend_from_slice(&added);
            t.tags = Cow::Owned(new);
        }
    }
    out.changes.push(Change {
        field: "tags".into(),
        delta: Delta::Tags {
            added,
            removed: Vec::new(),
        },
    });
}

/// Sets the tags, recording the tags added and removed.
fn write_tags(t: &mut Facts<'_>, out: &mut Out<'_>, new: Vec<Tag>) {
    if *t.tags == *new {
        return;
    }
    let (added, removed) = tag_delta(&t.tags, &new);
    t.tags = Cow::Owned(new);
    // A list only reordered (`Tags =` with the same tags) holds the same tags.
    if !added.is_empty() || !removed.is_empty() {
        out.changes.push(Change {
            field: "tags".into(),
            delta: Delta::Tags { added, removed },
        });
    }
}

/// The date (`2024-05-04`, UTC) `days` days after the update's: the event's time, or
/// the ticket's `updated_at` when the event gives none.
fn days_after_update(t: &Facts<'_>, cx: &Snapshot<'_>, days: u32) -> Option<String> {
    let time = match cx.time {
        Some(time) => time.0,
        None => t.base.updated_at?.0,
    };
    let date = time
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .checked_add(jiff::Span::new().days(i64::from(days)))
        .ok()?;
    Some(date.to_string())
}

/// The tags of `new` that `old` lacks, and those of `old` that `new` lacks, each once
/// and in list order. Actions append to the list or drop from it, so the two lists
/// share a head and a tail, which hold no tag either lacks: only what lies between is
/// looked up. Adding a tag to a long list costs one scan of it, not a copy.
fn tag_delta(old: &[Tag], new: &[Tag]) -> (Vec<Tag>, Vec<Tag>) {
    let head = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let (old_mid, new_mid) = (&old[head..], &new[head..]);
    let tail = old_mid
        .iter()
        .rev()
        .zip(new_mid.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let old_mid = &old_mid[..old_mid.len() - tail];
    let new_mid = &new_mid[..new_mid.len() - tail];
    (missing_from(new_mid, old), missing_from(old_mid, new))
}

/// The tags of `candidates` that `list` lacks, each once: a scan of `list` per
/// candidate when there are few of them, one set of `list` otherwise.
fn missing_from(candidates: &[Tag], list: &[Tag]) -> Vec<Tag> {
    const FEW: usize = 8;
    let mut missing: Vec<Tag> = Vec::new();
    if candidates.len() <= FEW {
        for tag in candidates {
            if !list.contains(tag) && !missing.contains(tag) {
                missing.push(tag.clone());
            }
        }
    } else {
        let list: HashSet<&Tag> = list.iter().collect();
        let mut seen = HashSet::new();
        missing.extend(
            candidates
                .iter()
                .filter(|tag| !list.contains(tag) && seen.insert(*tag))
                .cloned(),
        );
    }
    missing
}

/// Sets a custom field, and the tags of its options when it is tied to them. A field
/// tied to tags takes the value its kind has (a multi-select's list, a checkbox's
/// boolean); any other keeps the JSON type it already has: a number stays a number, a
/// checkbox a boolean, a multi-select's list a list of the words set; a new field is
/// stored as text, its kind not guessed. `""` clears a field.
fn custom_field(t: &mut Facts<'_>, out: &mut Out<'_>, id: u64, value: &str) {
    let existing = t.custom_field(id);
    let new = match (out.links.value_of(id, value), existing) {
        (Some(linked), _) => linked,
        _ if is_empty_api(value) => Value::Null,
        (None, Some(Value::Number(_))) => value
            .parse::<f64>()
            .ok()
            .and_then(|n| serde_json::Number::from_f64(n).map(Value::Number))
            .map(|v| normalise_int(v, value))
            .unwrap_or_else(|| json!(value)),
        (None, Some(Value::Array(_))) => value.split_whitespace().map(Value::from).collect(),
        (None, Some(Value::Bool(_))) => match value {
            "true" => json!(true),
            "false" => json!(false),
            _ => json!(value),
        },
        _ => json!(value),
    };
    let tags = out.links.tags_after_field(id, (existing, &new), &t.tags);
    write_field(t, out, id, new);
    if let Some(tags) = tags {
        write_tags(t, out, tags);
    }
}

/// Sets custom field `id` to `new`, recording the change.
fn write_field(t: &mut Facts<'_>, out: &mut Out<'_>, id: u64, new: Value) {
    let field = format!("custom_fields_{id}");
    let existing = t.custom_fields.iter().position(|f| f.id == id);
    match existing {
        // Unchanged: the list stays borrowed, not copied.
        Some(i) if t.custom_fields[i].value == new => {}
        Some(i) => {
            let slot = &mut t.custom_fields.to_mut()[i].value;
            out.set(field, slot, new, ChangeValue::Json);
        }
        // Clearing a field the ticket does not list changes nothing.
        None if new.is_null() => {}
        None => {
            out.changes.push(Change::value(
                field,
                ChangeValue::Json(Value::Null),
                ChangeValue::Json(new.clone()),
            ));
            t.custom_fields.to_mut().push(CustomField {
                id,
                value: new,
                extra: Default::default(),
            });
        }
    }
}

/// `5` stays an integer rather than becoming `5.0`.
fn normalise_int(v: Value, text: &str) -> Value {
    text.parse::<i64>().map_or(v, |i| json!(i))
}

/// A delivered survey offers satisfaction; a ticket already rated keeps its rating.
fn offer(t: &mut Facts<'_>, out: &mut Out<'_>) {
    if t.satisfaction != Satisfaction::Unoffered {
        return;
    }
    out.changes.push(Change::value(
        "satisfaction_score",
        ChangeValue::Satisfaction(Satisfaction::Unoffered),
        ChangeValue::Satisfaction(Satisfaction::Offered),
    ));
    t.satisfaction = Satisfaction::Offered;
}

/// Why the in-conversation survey cannot be delivered, if it cannot.
fn messaging_csat_blocked(t: &Facts<'_>) -> Option<&'static str> {
    let messaging = t.session.is_some()
        || t.via_id == Some(75)
        || t.routing_channel == Some(RoutingChannel::Messaging);
    if t.session_ended() {
        Some("the messaging session has ended, so the survey cannot be sent in the conversation")
    } else if !messaging {
        Some("the ticket is not a messaging conversation")
    } else {
        None
    }
}

/// Why the email survey cannot be delivered, if it cannot.
fn email_csat_blocked(cx: &Snapshot<'_>) -> Option<&'static str> {
    (!cx.requester_email).then_some("the requester has no email address")
}

fn csat(t: &mut Facts<'_>, out: &mut Out<'_>, channel: CsatChannel, blocked: Option<&str>) {
    out.effects.push(Effect::CsatSurvey {
        trigger: out.by(),
        channel,
        delivered: blocked.is_none(),
        reason: blocked.map(str::to_owned),
    });
    if blocked.is_none() {
        offer(t, out);
    }
}

/// End messaging session: Ended by trigger, routing becomes Email, the assignee's
/// messaging capacity is released, the status stays, the history records it, and the end
/// user is not notified (no message effect).
fn end_session(t: &mut Facts<'_>, cx: &Snapshot<'_>, out: &mut Out<'_>) {
    let session = t.session.as_ref();
    let (state, end_reason) = (
        session.and_then(|s| s.state),
        session.and_then(|s| s.end_reason),
    );
    if !messaging::end_session(t, EndReason::EndedByTrigger, cx.time) {
        return;
    }
    *out.ended_session = true;
    out.changes.push(Change::value(
        "messaging_session_state",
        ChangeValue::SessionState(state),
        ChangeValue::SessionState(Some(SessionState::Ended)),
    ));
    out.changes.push(Change::value(
        "messaging_session_end_reason",
        ChangeValue::EndReason(end_reason),
        ChangeValue::EndReason(Some(EndReason::EndedByTrigger)),
    ));
    // Zendesk's current End session leaves the routing channel; the seed's sets Email.
    if !cx.end_session_keeps_routing {
        out.set(
            "routing_channel",
            &mut t.routing_channel,
            Some(RoutingChannel::Email),
            ChangeValue::RoutingChannel,
        );
    }
    out.effects.push(Effect::SessionEnded {
        trigger: out.by(),
        by: EndReason::EndedByTrigger,
    });
    if let Some(agent_id) = t.assignee_id {
        out.effects.push(Effect::CapacityReleased {
            trigger: out.by(),
            agent_id,
            channel: "messaging".to_owned(),
        });
    }
    out.effects.push(Effect::History {
        trigger: out.by(),
        event: "end_session".to_owned(),
    });
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;
    use std::sync::Arc;

    use proptest::prelude::*;
    use serde_json::{json, Value};

    use super::{add_tags, set_tags, Out};
    use crate::engine::facts::Facts;
    use crate::engine::field_tags::FieldTags;
    use crate::model::{Tag, Ticket};

    /// The tags and the changes after `act` adds `adds` to a ticket tagged `tags`, whose
    /// list the cycle already owns when `owned`.
    fn after_adding(
        tags: &[&str],
        adds: &[&str],
        owned: bool,
        act: impl Fn(&mut Facts<'_>, &mut Out<'_>, &[Tag]),
    ) -> (Vec<Tag>, Value) {
        let ticket = Ticket {
            tags: tags.iter().map(|t| Tag::from(*t)).collect(),
            ..Ticket::default()
        };
        let mut facts = Facts::of(&ticket);
        if owned {
            facts.tags = Cow::Owned(facts.tags.to_vec());
        }
        let adds: Vec<Tag> = adds.iter().map(|t| Tag::from(*t)).collect();
        let (title, links) = (Arc::from("t"), FieldTags::default());
        let (mut effects, mut ended) = (Vec::new(), false);
        let mut out = Out {
            trigger: &title,
            changes: Vec::new(),
            effects: &mut effects,
            ended_session: &mut ended,
            links: &links,
        };
        act(&mut facts, &mut out, &adds);
        (facts.tags.to_vec(), json!(out.changes))
    }

    proptest! {
        /// Adding tags the short way changes the list and records the change exactly as
        /// the general way does, whether the list is still the ticket's or the cycle's.
        #[test]
        fn adding_tags_agrees_with_setting_the_list(
            tags in prop::collection::vec(prop::sample::select(vec!["a", "b", "c", "B"]), 0..5),
            adds in prop::collection::vec(prop::sample::select(vec!["a", "b", "d", "e"]), 0..4),
            owned in any::<bool>(),
        ) {
            let general = after_adding(&tags, &adds, owned, |t, out, adds| {
                set_tags(t, out, |old| {
                    let mut new = old.to_vec();
                    for tag in adds {
                        if !new.contains(tag) {
                            new.push(tag.clone());
                        }
                    }
                    new
                })
            });
            let short = after_adding(&tags, &adds, owned, add_tags);
            prop_assert_eq!(short, general);
        }
    }

    #[test]
    fn adding_tags_records_only_the_new_ones() {
        let (tags, changes) = after_adding(&["a"], &["a", "b", "b"], false, add_tags);
        assert_eq!(tags, ["a", "b"].map(Tag::from));
        assert_eq!(
            changes,
            json!([{"field": "tags", "added": ["b"], "removed": []}])
        );
        // Near miss: tags the ticket has already change nothing.
        let (tags, changes) = after_adding(&["a", "b"], &["b"], true, add_tags);
        assert_eq!(tags, ["a", "b"].map(Tag::from));
        assert_eq!(changes, json!([]));
    }

    use crate::engine::Compiled;
    use crate::model::Event;

    /// The outcome, as JSON, of one trigger doing `then` on ticket `ticket`.
    fn outcome(then: &str, ticket: Value) -> Value {
        let text = format!(
            "trigger \"t\" {{\n when all {{ Ticket is Updated }}\n then {{ {then} }}\n}}\n"
        );
        let rules = crate::check(&[crate::Source::new("t.declic", text.as_str())])
            .into_result()
            .unwrap_or_else(|e| panic!("{text}: {e:?}"));
        let event: Event =
            serde_json::from_value(json!({"ticket": ticket, "previous": {}})).expect("an event");
        json!(Compiled::new(&rules).expect("compiles").run(&event))
    }

    #[test]
    fn clearing_actions_remove_the_value_and_record_the_change() {
        let ticket = json!({"assignee_id": 7, "group_id": 8,
            "custom_fields": [{"id": 9, "value": "gold"}]});
        let cases: &[(&str, &str, Value)] = &[
            ("Assignee = None", "/ticket/assignee_id", Value::Null),
            ("Assigné = Aucun", "/ticket/assignee_id", Value::Null),
            ("Assignee = \"\"", "/ticket/assignee_id", Value::Null),
            ("Assignee = __NULL__", "/ticket/assignee_id", Value::Null),
            ("Group = None", "/ticket/group_id", Value::Null),
            ("Groupe = \"\"", "/ticket/group_id", Value::Null),
            (
                "custom_fields_9 = \"\"",
                "/ticket/custom_fields/0/value",
                Value::Null,
            ),
            // Near misses: a value is set, not cleared.
            ("Assignee = 5", "/ticket/assignee_id", json!(5)),
            ("Group = 6", "/ticket/group_id", json!(6)),
            (
                "custom_fields_9 = \"silver\"",
                "/ticket/custom_fields/0/value",
                json!("silver"),
            ),
        ];
        for (then, pointer, expected) in cases {
            let out = outcome(then, ticket.clone());
            // A cleared value is written as `null` or left out.
            let got = out.pointer(pointer).unwrap_or(&Value::Null);
            assert_eq!(got, expected, "{then}: {out:#}");
            let change = &out["fired"][0]["changes"][0];
            assert!(change.is_object(), "{then} records its change: {out:#}");
        }
        // Clearing what is already empty changes nothing.
        let out = outcome("Group = None", json!({}));
        assert_eq!(out["fired"][0]["changes"], json!([]), "{out:#}");
    }

    #[test]
    fn side_conversations_and_webhook_parameters_are_effects() {
        let ticket = json!({"id": 5, "status": "open"});
        let cases: &[(&str, Value)] = &[
            (
                "side conversation ticket 77 \"Check #{{ticket.id}}\" \"<p>Hi</p>\"",
                json!({"type": "side_conversation", "trigger": "t", "group": "77",
                       "subject": "Check #5", "body": "<p>Hi</p>"}),
            ),
            (
                "webhook 01GZ \"id\" \"{{ticket.id}}\" \"status\" \"{{ticket.status}}\"",
                json!({"type": "webhook", "trigger": "t", "webhook_id": "01GZ", "body": "",
                       "params": [["id", "5"], ["status", "Open"]]}),
            ),
            (
                "webhook 01GZ",
                json!({"type": "webhook", "trigger": "t", "webhook_id": "01GZ", "body": ""}),
            ),
            // Near miss: one text is a JSON body, not a parameter.
            (
                "webhook 01GZ \"{{ticket.id}}\"",
                json!({"type": "webhook", "trigger": "t", "webhook_id": "01GZ", "body": "5"}),
            ),
        ];
        for (then, effect) in cases {
            let out = outcome(then, ticket.clone());
            assert_eq!(&out["effects"][0], effect, "{then}: {out:#}");
        }
    }

    #[test]
    fn a_tag_change_records_only_the_tags_added_and_removed() {
        let cases: &[(&[&str], &str, Value)] = &[
            (
                &["a"],
                "Tags += b",
                json!([{"field": "tags", "added": ["b"], "removed": []}]),
            ),
            (
                &["a", "b", "c"],
                "Tags -= b",
                json!([{"field": "tags", "added": [], "removed": ["b"]}]),
            ),
            (
                &["a", "b"],
                "Tags = c d",
                json!([{"field": "tags", "added": ["c", "d"], "removed": ["a", "b"]}]),
            ),
            (
                &["a", "b", "c", "d"],
                "Tags = a x c d",
                json!([{"field": "tags", "added": ["x"], "removed": ["b"]}]),
            ),
            // A tag given twice is added once.
            (
                &[],
                "Tags += b b",
                json!([{"field": "tags", "added": ["b"], "removed": []}]),
            ),
            // Near misses: the same tags, in whatever order, change nothing.
            (&["a"], "Tags += a", json!([])),
            (&["a", "b"], "Tags = b a", json!([])),
            (&["a"], "Tags -= z", json!([])),
        ];
        for (tags, then, expected) in cases {
            let out = outcome(then, json!({ "tags": tags }));
            assert_eq!(&out["fired"][0]["changes"], expected, "{then}: {out:#}");
        }
    }

    #[test]
    fn a_date_field_is_set_days_after_the_update() {
        let run = |time: Value, ticket: Value| {
            let text = "trigger \"t\" {\n when all { Ticket is Updated }\n then { custom_fields_4 = in 3 days }\n}\n";
            let rules = crate::check(&[crate::Source::new("t.declic", text)])
                .into_result()
                .expect("checks");
            let mut event = json!({"ticket": ticket, "previous": {}});
            if !time.is_null() {
                event["update"] = json!({ "time": time });
            }
            let event: Event = serde_json::from_value(event).expect("an event");
            json!(Compiled::new(&rules).expect("compiles").run(&event))
        };
        let field = "/ticket/custom_fields/0/value";
        let out = run(json!("2024-12-30T23:00:00Z"), json!({}));
        assert_eq!(out.pointer(field), Some(&json!("2025-01-02")), "{out:#}");
        // Without the update's time, the ticket's last update counts.
        let out = run(Value::Null, json!({"updated_at": "2024-05-01T10:00:00Z"}));
        assert_eq!(out.pointer(field), Some(&json!("2024-05-04")), "{out:#}");
        // Near miss: with neither, no date is made up.
        let out = run(Value::Null, json!({}));
        assert_eq!(out.pointer(field), None, "{out:#}");
    }

    /// A 2015 account's spellings run as the fields they stand for.
    #[test]
    fn legacy_spellings_run_as_their_fields() {
        let run = |when: &str, update: Value, previous: Value| {
            let text = format!(
                "trigger \"t\" {{\n when all {{ {when} }}\n then {{ \"assignee_id#all_agents\" = Current user }}\n}}\n"
            );
            let rules = crate::check(&[crate::Source::new("t.declic", text.as_str())])
                .into_result()
                .unwrap_or_else(|e| panic!("{text}: {e:?}"));
            let event = json!({"ticket": {"assignee_id": 4, "requester_id": 9},
                "previous": previous, "update": update});
            let event: Event = serde_json::from_value(event).expect("an event");
            json!(Compiled::new(&rules).expect("compiles").run(&event))
        };
        let actor = json!({"actor": {"id": 9, "role": "agent"}, "via_id": 4});
        let cases: &[(&str, Value, bool)] = &[
            (
                "\"assignee_id#all_agents\" changed to Ticket assignee",
                json!({"assignee_id": 3}),
                true,
            ),
            (
                "\"assignee_id#all_agents\" changed to Ticket assignee",
                json!({"assignee_id": 4}),
                false,
            ),
            (
                "\"requester_id#all_agents\" is Current user",
                json!({}),
                true,
            ),
            (
                "\"requester_id#all_agents\" is not Current user",
                json!({}),
                false,
            ),
            ("\"group_id#current_groups\" is None", json!({}), true),
            ("Update via is Email (via name)", json!({}), true),
            ("Update via is not Email (via name)", json!({}), false),
        ];
        for (when, previous, fires) in cases {
            let out = run(when, actor.clone(), previous.clone());
            assert_eq!(
                out["fired"].as_array().map(Vec::len),
                Some(usize::from(*fires)),
                "{when}: {out:#}"
            );
            if *fires {
                assert_eq!(
                    out["ticket"]["assignee_id"],
                    json!(9),
                    "{when}: the action assigns"
                );
            }
        }
    }

    #[test]
    fn tag_delta_holds_beyond_the_few_looked_up_by_scanning() {
        let tags = |r: std::ops::Range<usize>| {
            r.map(|i| super::Tag::from(format!("t{i}")))
                .collect::<Vec<_>>()
        };
        // Twenty new tags in front of twenty old ones, one old tag gone.
        let old = tags(0..20);
        let mut new = tags(100..120);
        new.extend(tags(1..20));
        new.push("t100".into());
        let (added, removed) = super::tag_delta(&old, &new);
        assert_eq!(added, tags(100..120));
        assert_eq!(removed, tags(0..1));
        let (added, removed) = super::tag_delta(&old, &old);
        assert!(added.is_empty() && removed.is_empty());
    }

    #[test]
    fn triggers_that_each_add_a_tag_record_each_tag_once() {
        let n = 300;
        let text: String = (0..n)
            .map(|i| format!("trigger \"t{i}\" {{\n when all {{ Tags excludes t{i} }}\n then {{ Tags += t{i} }}\n}}\n"))
            .collect();
        let rules = crate::check(&[crate::Source::new("t.declic", text.as_str())])
            .into_result()
            .unwrap_or_else(|e| panic!("{e:?}"));
        let event: Event = serde_json::from_value(json!({"ticket": {}})).expect("an event");
        let out = json!(Compiled::new(&rules).expect("compiles").run(&event));
        let fired = out["fired"].as_array().expect("fired");
        assert_eq!(fired.len(), n);
        for (i, firing) in fired.iter().enumerate() {
            let expected = json!([{"field": "tags", "added": [format!("t{i}")], "removed": []}]);
            assert_eq!(firing["changes"], expected, "firing {i}");
        }
        assert_eq!(out["ticket"]["tags"].as_array().map(Vec::len), Some(n));
    }
}
