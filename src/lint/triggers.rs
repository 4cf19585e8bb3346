//! Triggers against the triggers before them: `duplicate_trigger` (the same conditions and
//! actions again) and `shadowed_trigger` (an earlier trigger fires on every ticket this
//! one needs and changes what it tests, so it never gets its turn).

use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::fmt::Write;

use super::logic::{test_key, work, Effects, Slot, Tri, Value, F};
use super::{Cx, Facts, Finding};
use crate::catalog::TriggerKind;
use crate::check::rules::{Action, ActionTarget, Condition, Trigger};
use crate::diagnostics::Code;

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, _, facts) in cx.active() {
        match first.get(facts.key.as_str()) {
            Some(&earlier) => out.push(duplicate(cx, earlier, i)),
            None => {
                first.insert(&facts.key, i);
            }
        }
    }
    shadowed(cx, out);
}

fn duplicate(cx: &Cx<'_>, earlier: usize, later: usize) -> Finding {
    let diagnostic = cx
        .at_trigger(
            later,
            Code::DuplicateTrigger,
            format!(
                "trigger {} has the same conditions and actions as {}",
                cx.name(later),
                cx.name(earlier)
            ),
            "a copy",
        )
        .help("delete one of the two; if both should stay, make their conditions differ")
        .related(cx.see(earlier, Code::DuplicateTrigger, "the first one"));
    Finding {
        trigger: later,
        diagnostic,
    }
}

/// What makes two triggers the same whatever the language, order of conditions in a
/// group, or comments: kind, events, conditions, actions in order.
pub(super) fn trigger_key(t: &Trigger) -> String {
    let mut events = t.events.clone();
    events.sort_unstable();
    let mut out = format!("{:?} {events:?} {} ", t.kind, t.once_per_ticket);
    condition_key(&t.conditions, &mut out);
    out.push(' ');
    for (i, a) in t.actions.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        action_key(a, &mut out);
    }
    out
}

/// Writes the key of `c` to `out`: a group's members sorted, so that their order does not
/// count. Written into the trigger's key rather than returned, since every group's key
/// was formatted, joined and copied again by each group around it.
fn condition_key(c: &Condition, out: &mut String) {
    let (name, members) = match c {
        Condition::All(m) => ("all", m),
        Condition::Any(m) => ("any", m),
        Condition::Not(m) => ("not", m),
        Condition::Test(t) => {
            out.push_str(&test_key(t));
            return;
        }
        Condition::Zendesk(p) => {
            // Writing to a String cannot fail.
            let _ = write!(out, "zendesk {:?}", p.json);
            return;
        }
        Condition::Hours { test, .. } => {
            let _ = write!(out, "hours {test:?}");
            return;
        }
    };
    let mut parts: Vec<String> = members.iter().map(member_key).collect();
    parts.sort_unstable();
    out.push_str(name);
    out.push('(');
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        out.push_str(part);
    }
    out.push(')');
}

/// The key of a group's member, on its own for sorting.
fn member_key(c: &Condition) -> String {
    match c {
        Condition::Test(t) => test_key(t),
        _ => {
            let mut key = String::new();
            condition_key(c, &mut key);
            key
        }
    }
}

fn action_key(a: &Action, out: &mut String) {
    // Writing to a String cannot fail.
    let _ = match &a.target {
        ActionTarget::Known(k) => write!(out, "{:?}", k.key),
        ActionTarget::CustomField(id) => write!(out, "custom {id}"),
        ActionTarget::Zendesk(p) => write!(out, "zendesk {:?}", p.json),
    };
    let _ = write!(out, " {:?} {:?}", a.value, a.texts);
}

/// The active triggers by the slots a formula of theirs depends on, so that the lints
/// between triggers visit only pairs where one can change something for the other.
pub(super) struct Index<'a> {
    /// Borrowed from the models: cloning a tag's name for each trigger cost more than
    /// the lookups.
    by_slot: HashMap<&'a Slot, Vec<usize>>,
}

impl<'a> Index<'a> {
    /// Each active trigger under the slots `slots` gives for it.
    pub(super) fn new(cx: &'a Cx<'_>, slots: impl Fn(&'a Facts) -> Vec<&'a Slot>) -> Index<'a> {
        let mut by_slot: HashMap<&Slot, Vec<usize>> = HashMap::new();
        for (i, _, facts) in cx.active() {
            for slot in slots(facts) {
                by_slot.entry(slot).or_default().push(i);
            }
        }
        Index { by_slot }
    }

    /// The triggers under a slot that `effects` write (every tag, when they replace the
    /// tags).
    pub(super) fn touched_by(&self, effects: &Effects) -> BTreeSet<usize> {
        let mut out = BTreeSet::new();
        for slot in effects.written() {
            out.extend(self.by_slot.get(slot).into_iter().flatten());
        }
        if effects.resets_tags() {
            for (slot, who) in &self.by_slot {
                if matches!(slot, Slot::Tag(_)) {
                    out.extend(who);
                }
            }
        }
        out
    }

    /// How long the lists [`Index::touched_by`] reads for `effects` are: what it costs.
    pub(super) fn count_touched_by(&self, effects: &Effects) -> usize {
        if effects.resets_tags() {
            return usize::MAX;
        }
        let lists = effects.written().filter_map(|slot| self.by_slot.get(slot));
        lists.map(Vec::len).sum()
    }

    /// The triggers under `slot`.
    pub(super) fn under(&self, slot: &Slot) -> &[usize] {
        self.by_slot.get(slot).map_or(&[], Vec::as_slice)
    }
}

fn shadowed(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    // Only an action on a slot `b` cannot do without can make `b` false.
    let (weak, held) = rayon::join(
        || Index::new(cx, |f| f.weak.iter().collect()),
        || Held::new(cx),
    );
    let active: Vec<(usize, &Trigger, &Facts)> = cx.active().collect();
    // Which triggers each one shadows depends on the two alone, so the pairs are tested on
    // every core; only reporting each shadowed trigger once, for the first trigger that
    // shadows it, follows the run order.
    let shadowing: Vec<(Vec<usize>, usize)> = active
        .par_iter()
        .map(|&trigger| work::counting(|| shadowed_by(cx, &weak, &held, trigger)))
        .collect();
    let mut reported = BTreeSet::new();
    for ((a, _, _), (shadowed, steps)) in active.into_iter().zip(shadowing) {
        work::add(steps);
        for b in shadowed {
            if reported.insert(b) {
                out.push(shadow(cx, a, b));
            }
        }
    }
}

/// The triggers after `a` that `a` shadows, in the order found (one may come twice).
fn shadowed_by(
    cx: &Cx<'_>,
    weak: &Index<'_>,
    held: &Held<'_>,
    (a, ta, fa): (usize, &Trigger, &Facts),
) -> Vec<usize> {
    // `a` must hold on every ticket `b` needs: when one of its conditions allows a few
    // values, only the triggers that hold that slot to some of them can be shadowed,
    // which spares comparing every trigger with every other one on a shared tag.
    let candidates: Vec<usize> = match held.within(fa) {
        // The triggers both held within and touched, in run order: from the shorter of
        // the two lists, each tested against the other.
        Some(within) if within.len() <= weak.count_touched_by(&fa.effects) => within
            .iter()
            .flat_map(|list| list.iter().copied())
            .filter(|&b| touches(&fa.effects, &cx.facts[b].weak))
            .collect(),
        Some(within) => weak
            .touched_by(&fa.effects)
            .into_iter()
            .filter(|b| within.contains(*b))
            .collect(),
        None => weak.touched_by(&fa.effects).into_iter().collect(),
    };
    work::add(candidates.len());
    candidates
        .into_iter()
        .filter(|&b| {
            let (tb, fb) = (&cx.rules.triggers[b], &cx.facts[b]);
            b > a
                && fa.key != fb.key
                && runs_first(ta, tb)
                && fa.formula.implied(&fb.env, &fb.formula.required_opaque())
                && fb.formula.after(&fa.effects) == Tri::False
        })
        .collect()
}

/// Whether `effects` write a slot of `weak` (a tag, when they replace the tags).
fn touches(effects: &Effects, weak: &[Slot]) -> bool {
    effects.written().any(|s| weak.binary_search(s).is_ok())
        || (effects.resets_tags() && weak.iter().any(|s| matches!(s, Slot::Tag(_))))
}

/// The active triggers by the values their conditions leave each slot, when those are
/// finitely many: a trigger is under each of them, or among the slot's empty ones.
struct Held<'a> {
    under: HashMap<(&'a Slot, Value), Vec<usize>>,
    empty: HashMap<&'a Slot, Vec<usize>>,
}

impl<'a> Held<'a> {
    fn new(cx: &'a Cx<'_>) -> Held<'a> {
        let mut held = Held {
            under: HashMap::new(),
            empty: HashMap::new(),
        };
        for (b, _, fb) in cx.active() {
            for (slot, set) in &fb.env {
                match set.values() {
                    Some(values) if values.is_empty() => {
                        held.empty.entry(slot).or_default().push(b)
                    }
                    Some(values) => {
                        for v in values {
                            held.under.entry((slot, v)).or_default().push(b);
                        }
                    }
                    None => {}
                }
            }
        }
        held
    }

    /// The triggers whose conditions may imply `a`'s, found by the required condition of
    /// `a` that allows the fewest of them: a trigger implies `Group is 4` only if it holds
    /// the group to 4 (or to nothing). `None` when no required condition narrows them.
    fn within<'s>(&'s self, a: &'s Facts) -> Option<Within<'s>> {
        let mut best: Option<Vec<&[usize]>> = None;
        for l in a.formula.required() {
            if l.set.is_full(&l.slot) {
                continue;
            }
            let Some(values) = l.set.values() else {
                continue;
            };
            let lists: Vec<&[usize]> = values
                .into_iter()
                .filter_map(|v| self.under.get(&(&l.slot, v)))
                .chain(self.empty.get(&l.slot))
                .map(Vec::as_slice)
                .collect();
            let size = |lists: &[&[usize]]| lists.iter().map(|l| l.len()).sum::<usize>();
            if best.as_ref().is_none_or(|b| size(&lists) < size(b)) {
                best = Some(lists);
            }
        }
        best.map(|lists| Within { lists })
    }
}

/// The triggers [`Held::within`] found: lists in run order, one per value allowed.
struct Within<'a> {
    lists: Vec<&'a [usize]>,
}

impl Within<'_> {
    /// How long the lists are together (a trigger held to two of the values is in two).
    fn len(&self) -> usize {
        self.lists.iter().map(|l| l.len()).sum()
    }

    fn iter(&self) -> impl Iterator<Item = &&[usize]> {
        self.lists.iter()
    }

    fn contains(&self, b: usize) -> bool {
        self.lists.iter().any(|l| l.binary_search(&b).is_ok())
    }
}

/// Whether `a` runs on every update `b` runs on: a ticket trigger runs on all of them; a
/// messaging trigger only on its events, and not at all once it fired when it runs once.
fn runs_first(a: &Trigger, b: &Trigger) -> bool {
    match (a.kind, b.kind) {
        // Automations run in their order each hour, triggers on updates: an automation
        // goes before the automations after it only.
        (TriggerKind::Automation, TriggerKind::Automation) => true,
        (TriggerKind::Automation, _) | (_, TriggerKind::Automation) => false,
        (TriggerKind::Ticket, _) => true,
        (TriggerKind::Messaging, TriggerKind::Ticket) => false,
        (TriggerKind::Messaging, TriggerKind::Messaging) => {
            !a.once_per_ticket
                && (a.events.is_empty()
                    || (!b.events.is_empty() && b.events.iter().all(|e| a.events.contains(e))))
        }
    }
}

fn shadow(cx: &Cx<'_>, a: usize, b: usize) -> Finding {
    let (fa, fb) = (&cx.facts[a], &cx.facts[b]);
    let (name_a, name_b) = (cx.name(a), cx.name(b));
    let message =
        format!("trigger {name_b} can never fire: {name_a} runs first and changes what it needs");
    let falsified = fb.formula.leaves().into_iter().find_map(|leaf| match leaf {
        F::Lit(l) if fa.effects.decide(l) == Tri::False => Some(l.clone()),
        _ => None,
    });
    let diagnostic = match falsified {
        Some(l) => cx.at(
            b,
            Code::ShadowedTrigger,
            message,
            l.span,
            &format!("{name_a} makes this false"),
        ),
        None => cx.at_trigger(b, Code::ShadowedTrigger, message, "never fires"),
    };
    let diagnostic = diagnostic
        .help(format!(
            "{name_a} fires on every ticket this trigger needs, and its actions make this trigger's conditions false; move this trigger before it, or merge the two"
        ))
        .related(cx.see(a, Code::ShadowedTrigger, "the trigger that runs first"));
    Finding {
        trigger: b,
        diagnostic,
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes;
    use crate::Code;

    const A: &str = "trigger \"a\" {\n when all {\n Tags excludes triaged\n }\n then {\n Tags += triaged\n Group = 1\n }\n}\n";

    fn with(b: &str) -> Vec<Code> {
        codes(&format!("{A}{b}"))
    }

    #[test]
    fn the_same_trigger_twice_is_a_duplicate() {
        let b = "déclencheur \"b\" {\n quand tous {\n Balises exclut triaged\n }\n alors {\n Balises += triaged\n Groupe = 1\n }\n}\n";
        assert_eq!(with(b), [Code::DuplicateTrigger]);
        let other_group = b.replace("Groupe = 1", "Groupe = 2");
        assert!(!with(&other_group).contains(&Code::DuplicateTrigger));
        let inactive = b.replace("quand tous", "actif faux\n quand tous");
        assert!(with(&inactive).is_empty());
    }

    #[test]
    fn a_shared_title_is_told_apart_by_the_zendesk_id() {
        let text = |second: &str| {
            format!("trigger \"a\" {{\n id 11\n when all {{ Status is Open }}\n then {{ Status = Solved }}\n}}\ntrigger \"{second}\" {{\n id 22\n when all {{ Status is Open }}\n then {{ Status = Solved }}\n}}\n")
        };
        let message = |second: &str, shared: bool| {
            let checked = crate::check(&[crate::Source::new("t.declic", text(second))]);
            let mut rules = checked.into_result().expect("the test rules check");
            // Zendesk lets two triggers share a title.
            if shared {
                rules.triggers[1].title = "a".into();
            }
            let found = crate::lint::lint(&rules, &Default::default(), &Default::default());
            found[0].message.clone()
        };
        assert_eq!(
            message("b", true),
            "trigger `a` (#22) has the same conditions and actions as `a` (#11)"
        );
        assert_eq!(
            message("b", false),
            "trigger `b` has the same conditions and actions as `a`"
        );
    }

    #[test]
    fn the_order_of_a_groups_members_does_not_count_at_any_depth() {
        let trigger = |title: &str, when: &str| {
            format!("trigger \"{title}\" {{\n when all {{\n{when}\n }}\n then {{\n Group = 1\n }}\n}}\n")
        };
        let a = trigger(
            "a",
            "Tags excludes x\n any {\n Priority is High\n Status is Open\n }",
        );
        let b = trigger(
            "b",
            "any {\n Status is Open\n Priority is High\n }\n Tags excludes x",
        );
        assert!(codes(&format!("{a}{b}")).contains(&Code::DuplicateTrigger));
        let nested_differs = b.replace("Status is Open", "Status is Pending");
        assert!(!codes(&format!("{a}{nested_differs}")).contains(&Code::DuplicateTrigger));
        let flattened = trigger("b", "Tags excludes x\n Priority is High\n Status is Open");
        assert!(!codes(&format!("{a}{flattened}")).contains(&Code::DuplicateTrigger));
    }

    #[test]
    fn a_later_trigger_whose_needs_an_earlier_one_removes_is_shadowed() {
        let b = "trigger \"b\" {\n when all {\n Tags excludes triaged\n Channel is Email\n }\n then {\n Tags += triaged\n Group = 2\n }\n}\n";
        assert_eq!(with(b), [Code::ShadowedTrigger]);
    }

    #[test]
    fn near_misses_are_not_shadowed() {
        // `a` does not fire on every ticket `b` needs.
        let narrower = A.replace(
            "Tags excludes triaged",
            "Tags excludes triaged\n Priority is High",
        );
        let b = "trigger \"b\" {\n when all {\n Tags excludes triaged\n }\n then {\n Tags += triaged\n Group = 2\n }\n}\n";
        assert!(codes(&format!("{narrower}{b}")).is_empty());
        // `b` needs nothing `a` changes.
        let b = "trigger \"b\" {\n when all {\n Tags excludes seen\n }\n then {\n Tags += seen\n }\n}\n";
        assert!(with(b).is_empty());
        // `b` runs before `a`.
        let b = "trigger \"b\" {\n when all {\n Tags excludes triaged\n Channel is Email\n }\n then {\n Tags += triaged\n Group = 2\n }\n}\n";
        assert!(codes(&format!("{b}{A}")).is_empty());
    }

    #[test]
    fn triggers_sharing_a_done_tag_are_not_all_compared() {
        use super::shadowed;
        use crate::lint::logic::tests::grows_linearly;
        use crate::lint::tests::{counted, done_tagged};
        // No trigger fires on every ticket another one needs.
        grows_linearly(|n| {
            let (steps, found) = counted(&done_tagged(n, ""), shadowed);
            assert_eq!(found, 0);
            steps
        });
        // The last group's trigger fires on every ticket this one needs, and makes it false.
        let again = "trigger \"again\" {\n when all {\n Tags excludes done\n Group is 100\n Priority is High\n }\n then { Tags += done }\n}\n";
        let (steps, found) = counted(&done_tagged(100, again), shadowed);
        assert_eq!(found, 1);
        // The pairs are tested on every core: their steps still reach this thread's count.
        assert!(steps > 0, "the pairs tested were not counted");
    }
}
