//! What a trigger reads of the working ticket and what its firing writes, as bits, so
//! that the cycle passes over a trigger that failed when no firing since wrote anything
//! it reads: it would fail again. Most triggers test a tag of their own and add it, so
//! tags have a bit each (the rule set's first [`TAG_BITS`] tested tags), not one for the
//! list.
//!
//! A footprint may say more than the trigger reads or writes, never less: a bit too many
//! costs an evaluation, a bit too few would change the cycle.

use std::collections::HashMap;

use super::compile::{Act, Cond, Read, Special, Test, Trigger, Want};
use crate::catalog::fields::FieldKey;
use crate::catalog::TriggerKind;

/// One bit per field of the working ticket ([`super::facts::Facts`]).
pub(crate) const STATUS: u64 = 1 << 0;
pub(crate) const PRIORITY: u64 = 1 << 1;
pub(crate) const TICKET_TYPE: u64 = 1 << 2;
pub(crate) const ROUTING_CHANNEL: u64 = 1 << 3;
pub(crate) const SATISFACTION: u64 = 1 << 4;
pub(crate) const REQUESTER_ROLE: u64 = 1 << 5;
pub(crate) const IS_PUBLIC: u64 = 1 << 6;
pub(crate) const VIA: u64 = 1 << 7;
pub(crate) const GROUP: u64 = 1 << 8;
pub(crate) const ASSIGNEE: u64 = 1 << 9;
pub(crate) const REQUESTER: u64 = 1 << 10;
pub(crate) const ORGANIZATION: u64 = 1 << 11;
pub(crate) const FORM: u64 = 1 << 12;
pub(crate) const BRAND: u64 = 1 << 13;
pub(crate) const SCHEDULE: u64 = 1 << 14;
pub(crate) const CUSTOM_FIELDS: u64 = 1 << 15;
pub(crate) const SESSION: u64 = 1 << 16;
pub(crate) const ONCE_FIRED: u64 = 1 << 17;
/// The tag list as a whole (`Tags changed`, `Tags present`).
const TAG_LIST: u64 = 1 << 18;
/// Tags without a bit of their own.
const OTHER_TAGS: u64 = 1 << 19;
/// The first bit of the tags that have one.
const FIRST_TAG: u32 = 20;
/// How many tested tags have a bit of their own.
pub(crate) const TAG_BITS: usize = (u64::BITS - FIRST_TAG) as usize;
/// Every tag bit.
const ALL_TAGS: u64 = !((1 << FIRST_TAG) - 1) | TAG_LIST | OTHER_TAGS;

/// Sets the footprints of `triggers`, whose tested tags share the tag bits.
pub(crate) fn mark(triggers: &mut [Trigger]) {
    let tags = Tags::of(triggers);
    for t in triggers {
        let mut reads = tags.reads(&t.cond);
        if t.kind != TriggerKind::Ticket {
            // What `messaging::blocked` reads of the ticket.
            reads |= SESSION | ONCE_FIRED;
        }
        let mut writes = t.actions.iter().fold(0, |all, a| all | tags.writes(a));
        if t.once_per_ticket {
            writes |= ONCE_FIRED;
        }
        (t.reads, t.writes) = (reads, writes);
    }
}

/// What a firing of `t` writes when some fields are tied to tags (`linked`): then a tag
/// action may set a field, and a field action change the tags.
#[inline]
pub(crate) fn writes(t: &Trigger, linked: bool) -> u64 {
    match linked && t.writes & (ALL_TAGS | CUSTOM_FIELDS) != 0 {
        true => t.writes | ALL_TAGS | CUSTOM_FIELDS,
        false => t.writes,
    }
}

/// The bits of the tested tags, lower-case, as the compiler folded them.
struct Tags {
    bits: HashMap<Box<str>, u64>,
}

impl Tags {
    fn of(triggers: &[Trigger]) -> Tags {
        fn walk(c: &Cond, out: &mut HashMap<Box<str>, u64>) {
            match c {
                Cond::All(m) | Cond::Any(m) | Cond::Not(m) => m.iter().for_each(|c| walk(c, out)),
                Cond::Tags { want, .. } => {
                    for tag in want {
                        let next = out.len();
                        if next < TAG_BITS && tag.is_ascii() {
                            out.entry(tag.as_str().into())
                                .or_insert(1 << (FIRST_TAG as usize + next));
                        }
                    }
                }
                Cond::Test(_) | Cond::Code { .. } | Cond::Hours(_) => {}
            }
        }
        let mut bits = HashMap::new();
        triggers.iter().for_each(|t| walk(&t.cond, &mut bits));
        Tags { bits }
    }

    /// The bit of a tag a condition tests.
    fn tested(&self, tag: &str) -> u64 {
        self.bits.get(tag).copied().unwrap_or(OTHER_TAGS)
    }

    /// The bits of a tag an action adds or removes: its own, and the list's. A tag that
    /// is not ASCII might fold to a tested one char by char, as tests compare: all bits.
    fn written(&self, tag: &str) -> u64 {
        match tag.is_ascii() {
            true => self.tested(tag) | TAG_LIST,
            false => ALL_TAGS,
        }
    }

    fn reads(&self, c: &Cond) -> u64 {
        match c {
            Cond::All(m) | Cond::Any(m) | Cond::Not(m) => {
                m.iter().fold(0, |all, c| all | self.reads(c))
            }
            Cond::Code { key, .. } => field(*key),
            Cond::Tags { want, .. } => want.iter().fold(0, |all, t| all | self.tested(t)),
            Cond::Test(t) => test(t),
            // The ticket's clock is read on the ticket as the update gave it.
            Cond::Hours(_) => 0,
        }
    }

    fn writes(&self, a: &Act) -> u64 {
        match a {
            Act::Status(_) => STATUS,
            Act::Priority(_) => PRIORITY,
            Act::TicketType(_) => TICKET_TYPE,
            Act::Group(_) => GROUP,
            Act::Assignee(_) => ASSIGNEE,
            Act::Form(_) => FORM,
            Act::Brand(_) => BRAND,
            Act::Schedule(_) => SCHEDULE,
            Act::SetTags(_) => ALL_TAGS,
            Act::AddTags(tags) | Act::RemoveTags(tags) => {
                tags.iter().fold(0, |all, t| all | self.written(t))
            }
            Act::CustomField { .. } | Act::CustomFieldDays { .. } => CUSTOM_FIELDS,
            Act::SatisfactionOffered | Act::SendCsat | Act::SendCsatByEmail => SATISFACTION,
            Act::RoutingChannel(_) => ROUTING_CHANNEL,
            Act::EndSession => SESSION | ROUTING_CHANNEL,
            Act::NotifyUser { .. }
            | Act::NotifyGroup { .. }
            | Act::Webhook { .. }
            | Act::Target { .. }
            | Act::Reply { .. }
            | Act::SideConversation { .. }
            | Act::SendMessage(_) => 0,
        }
    }
}

/// What a generic test reads: its field, and the ticket's id its operand names.
fn test(t: &Test) -> u64 {
    let read = match &t.read {
        Read::Known(key) => field(*key),
        Read::Custom(_) => CUSTOM_FIELDS,
        // The organization's and the requester's own fields, which no action changes.
        Read::OrgCustom(_) | Read::UserCustom(_) => 0,
    };
    let operand = match t.want {
        Want::Dynamic(Special::Requester) => REQUESTER,
        Want::Dynamic(Special::TicketGroup) => GROUP,
        Want::Dynamic(Special::TicketAssignee) => ASSIGNEE,
        _ => 0,
    };
    read | operand
}

/// What reading field `key` reads of the working ticket (`eval::read`, `eval::code_of`);
/// 0 for what only the update, the account or the ticket as given hold.
pub(crate) fn field(key: FieldKey) -> u64 {
    match key {
        FieldKey::Status | FieldKey::StatusCategory => STATUS,
        FieldKey::Priority => PRIORITY,
        FieldKey::TicketType => TICKET_TYPE,
        FieldKey::Group => GROUP,
        FieldKey::Assignee => ASSIGNEE,
        FieldKey::Requester => REQUESTER,
        FieldKey::Organization => ORGANIZATION,
        FieldKey::Form => FORM,
        FieldKey::Brand => BRAND,
        FieldKey::Tags => ALL_TAGS,
        FieldKey::Channel => VIA,
        FieldKey::TicketVisibility => IS_PUBLIC,
        FieldKey::WithinSchedule => SCHEDULE,
        FieldKey::RequesterRole => REQUESTER_ROLE,
        FieldKey::Satisfaction => SATISFACTION,
        FieldKey::RoutingChannel => ROUTING_CHANNEL,
        FieldKey::SessionState | FieldKey::SessionInactiveReason | FieldKey::SessionEndReason => {
            SESSION
        }
        FieldKey::UpdateType
        | FieldKey::UpdateVia
        | FieldKey::Subject
        | FieldKey::CommentText
        | FieldKey::CommentVisibility
        | FieldKey::InBusinessHours
        | FieldKey::CurrentUserRole
        | FieldKey::Recipient => 0,
    }
}

/// What the firings of a cycle wrote since each of the first [`Written::KEPT`]: the cycle
/// asks it whether a trigger that failed after some firings has anything new to read.
/// On the stack, so that a cycle allocates nothing for it.
pub(crate) struct Written {
    /// `since[k]`: what the firings from the `k`th on wrote.
    since: [u64; Written::KEPT + 1],
}

impl Written {
    const KEPT: usize = 16;

    pub fn new() -> Written {
        Written {
            since: [0; Written::KEPT + 1],
        }
    }

    /// Records that firing number `firing` (from 0) wrote `writes`.
    #[inline]
    pub fn fired(&mut self, firing: usize, writes: u64) {
        let last = firing.min(Written::KEPT);
        for since in &mut self.since[..=last] {
            *since |= writes;
        }
    }

    /// Whether the firings from the `k`th on wrote none of `reads`; `false` when it is not
    /// known (`k` beyond those kept).
    #[inline]
    pub fn nothing_since(&self, k: usize, reads: u64) -> bool {
        self.since.get(k).is_some_and(|w| w & reads == 0)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::Written;
    use crate::engine::cycle::{self, Seen, Watch};
    use crate::engine::tests::{compile, event, two_test_rule_set};
    use crate::engine::Snapshot;

    /// Counts the triggers the cycle evaluates, passing over what it knows as a plain
    /// cycle does.
    #[derive(Default)]
    struct Count(usize);

    impl Watch for Count {
        const SKIPS_KNOWN: bool = true;

        fn pass(&mut self, _: u32) {}
        fn trigger(&mut self, _: usize, seen: Seen<'_>) {
            if let Seen::Evaluated { .. } = seen {
                self.0 += 1;
            }
        }
    }

    /// How many evaluations the cycle makes when a trigger reading the status fails, then
    /// one doing `then` fires.
    fn evaluations(then: &str) -> usize {
        let engine = compile(&format!(
            "trigger \"reads the status\" {{\n when all {{ Status is Solved }}\n then {{ Tags += s }}\n}}\n\
             trigger \"fires\" {{\n when all {{ Tags excludes f }}\n then {{ Tags += f\n {then} }}\n}}\n"
        ));
        let e = event(json!({"ticket": {"status": "open"}}));
        let snapshot = Snapshot::new(&e);
        let mut count = Count::default();
        cycle::run(&engine, None, &snapshot, &mut count);
        count.0
    }

    #[test]
    fn a_trigger_is_not_evaluated_again_when_no_firing_wrote_what_it_reads() {
        // Pass 1 evaluates both; pass 2 only the second, which fired: not at all.
        assert_eq!(evaluations("Priority = High"), 2);
        // Near miss: the firing set the status, which the first trigger reads again.
        assert_eq!(evaluations("Status = Pending"), 3);
    }

    #[test]
    fn what_was_written_is_kept_for_each_firing_from_which_it_counts() {
        let mut written = Written::new();
        written.fired(0, 0b01);
        written.fired(1, 0b10);
        assert!(!written.nothing_since(0, 0b01) && !written.nothing_since(1, 0b10));
        assert!(written.nothing_since(1, 0b01) && written.nothing_since(2, 0b11));
        // Beyond the firings kept, nothing is known.
        for firing in 2..=Written::KEPT + 2 {
            written.fired(firing, 0b100);
        }
        assert!(!written.nothing_since(Written::KEPT + 1, 0b1));
        assert!(!written.nothing_since(Written::KEPT, 0b100));
        assert!(written.nothing_since(Written::KEPT, 0b11));
    }

    /// Conditions on every field a trigger's actions may write, and on tags, one or several,
    /// in other letters too.
    const WHEN: &[&str] = &[
        "Status is Open",
        "Status category is Solved",
        "Priority is High",
        "Type is Incident",
        "Group is 1",
        "Assignee is 9",
        "Assignee is current user",
        "Form is 9",
        "Brand is 9",
        "Within schedule is 6",
        "Satisfaction is Offered",
        "Routing channel is Email",
        "Session state is Ended",
        "Session end reason is Ended by trigger",
        "custom_fields_1 is gold",
        "custom_fields_1 changed",
        "Tags includes a",
        "Tags excludes b",
        "Tags includes c été",
        "Tags excludes a C",
        "Ticket is Updated",
    ];

    /// Actions on each of them.
    const THEN: &[&str] = &[
        "Status = Solved",
        "Priority = High",
        "Type = Incident",
        "Group = 1",
        "Assignee = 9",
        "Assignee = current user",
        "Form = 9",
        "Brand = 9",
        "Schedule = 6",
        "Satisfaction = Offered",
        "Routing channel = Email",
        "End messaging session",
        "custom_fields_1 = gold",
        "Tags += a",
        "Tags += b",
        "Tags -= a",
        "Tags += été",
        "Tags = c",
        "internal note \"x\"",
    ];

    proptest! {
        /// Passing over triggers by what the firings wrote changes no outcome: `explain`
        /// evaluates every trigger of every pass.
        #[test]
        fn footprints_change_no_outcome(
            triggers in prop::collection::vec(
                (0..WHEN.len(), 0..WHEN.len(), 0..THEN.len(), any::<bool>()),
                1..24,
            ),
            status in prop::sample::select(vec!["new", "open", "pending"]),
            tags in prop::sample::subsequence(vec!["a", "b", "C", "ÉTÉ"], 0..4),
            gold in any::<bool>(),
        ) {
            let engine = compile(&two_test_rule_set(&triggers, WHEN, THEN));
            let field = if gold { "gold" } else { "silver" };
            let e = event(json!({
                "ticket": {"status": status, "tags": tags, "via": {"id": 75},
                           "custom_fields": [{"id": 1, "value": field}],
                           "messaging_session": {"state": "active"}},
                "previous": {"status": "new"},
                "update": {"actor": {"id": 9, "role": "agent"}},
                "account": {"in_business_hours": true},
            }));
            let plain = engine.explain(&e, None).expect("no filter").outcome;
            prop_assert_eq!(engine.run(&e), plain);
        }
    }
}
