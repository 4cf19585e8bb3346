//! `ping_pong`: two triggers that undo each other's changes. Each one's nullifying
//! condition is made true again by the other's actions, so on every update both fire once
//! more (a trigger fires at most once per update, so it never loops forever: it flips the
//! ticket back and forth, and sends whatever the two send, on every update).

use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;
use std::collections::BTreeSet;

use super::logic::{self, Lit, Slot, Tri, Value};
use super::triggers::Index;
use super::{Cx, Facts, Finding};
use crate::diagnostics::Code;

pub(super) fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let writers = Index::new(cx, |f| f.effects.written().collect());
    let resetters: Vec<usize> = cx
        .active()
        .filter(|(_, _, f)| f.effects.resets_tags())
        .map(|(i, _, _)| i)
        .collect();
    // Who writes each value: a trigger restores a condition only by writing values it
    // allows, and some value at that.
    let mut restorers: HashMap<(&Slot, Value), Vec<usize>> = HashMap::new();
    for (b, _, fb) in cx.active() {
        for (slot, set) in fb.effects.writes() {
            for v in set.values().into_iter().flatten() {
                restorers.entry((slot, v)).or_default().push(b);
            }
        }
    }
    // Each trigger's partners are tested on every core, and reported in run order.
    let active: Vec<(usize, &Facts)> = cx.active().map(|(i, _, f)| (i, f)).collect();
    let pairs = Pairs {
        writers: &writers,
        resetters: &resetters,
        restorers: &restorers,
    };
    let found: Vec<(Vec<usize>, usize)> = active
        .par_iter()
        .map(|&(a, fa)| logic::work::counting(|| pairs.undoing(cx, a, fa)))
        .collect();
    for (&(a, _), (undoing, steps)) in active.iter().zip(found) {
        logic::work::add(steps);
        out.extend(undoing.into_iter().map(|b| finding(cx, a, b)));
    }
}

/// Who may put back what a trigger takes away.
struct Pairs<'i, 'a> {
    /// The triggers by the slots they write.
    writers: &'i Index<'a>,
    /// The triggers that replace the tags.
    resetters: &'i [usize],
    /// The triggers by the values they write.
    restorers: &'i HashMap<(&'a Slot, Value), Vec<usize>>,
}

impl Pairs<'_, '_> {
    /// The triggers after `a` that it ping-pongs with.
    fn undoing(&self, cx: &Cx<'_>, a: usize, fa: &Facts) -> Vec<usize> {
        let undone_a = nullifiers(fa);
        let Some(first) = undone_a.first() else {
            return Vec::new();
        };
        if !fa.satisfiable {
            return Vec::new();
        }
        // `b` must put back what `a` took away, so it writes that slot: to values `a`
        // needs, when they are few, rather than any trigger writing it (every trigger
        // adding the same `done` tag).
        let mut partners: BTreeSet<usize> = match first.set.values() {
            Some(values) => values
                .into_iter()
                .filter_map(|v| self.restorers.get(&(&first.slot, v)))
                .flatten()
                .copied()
                .collect(),
            None => self.writers.under(&first.slot).iter().copied().collect(),
        };
        if matches!(first.slot, Slot::Tag(_)) {
            partners.extend(self.resetters);
        }
        partners
            .into_iter()
            .filter(|&b| b > a)
            .filter(|&b| {
                logic::work::add(1);
                let fb = &cx.facts[b];
                let undone_b = nullifiers(fb);
                let mutual =
                    !undone_b.is_empty() && restores(fb, &undone_a) && restores(fa, &undone_b);
                mutual && (can_follow(fa, fb) || can_follow(fb, fa))
            })
            .collect()
    }
}

/// The conditions a trigger needs that its own actions make false.
fn nullifiers(f: &Facts) -> Vec<&Lit> {
    f.formula
        .required()
        .into_iter()
        .filter(|l| f.effects.decide(l) == Tri::False)
        .collect()
}

/// Whether `by`'s actions make every one of `lits` true again.
fn restores(by: &Facts, lits: &[&Lit]) -> bool {
    lits.iter().all(|l| by.effects.decide(l) == Tri::True)
}

/// Whether `then` can fire on a ticket that `first` just changed.
fn can_follow(first: &Facts, then: &Facts) -> bool {
    logic::satisfiable(&then.formula, &first.effects.apply_to(&first.env))
}

fn finding(cx: &Cx<'_>, a: usize, b: usize) -> Finding {
    let diagnostic = cx
        .at_trigger(
            b,
            Code::PingPong,
            format!("triggers {} and {} undo each other's changes: both fire again on every update", cx.name(a), cx.name(b)),
            "undoes the other's change",
        )
        .help("let one of them stop for good: give it a tag to add and exclude that the other leaves alone, or conditions the two cannot meet together")
        .related(cx.see(a, Code::PingPong, "the other trigger"));
    Finding {
        trigger: b,
        diagnostic,
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::codes;
    use crate::Code;

    fn pair(a: &str, b: &str) -> Vec<Code> {
        codes(&format!(
            "trigger \"a\" {{\n{a}\n}}\ntrigger \"b\" {{\n{b}\n}}\n"
        ))
    }

    #[test]
    fn triggers_that_undo_each_other_ping_pong() {
        let tags = pair(
            "when all { Tags excludes x }\nthen { Tags += x }",
            "when all { Tags includes x }\nthen { Tags -= x }",
        );
        assert_eq!(tags, [Code::PingPong]);
        let status = pair(
            "when all { Status is Open }\nthen { Status = Pending }",
            "when all { Status is Pending }\nthen { Status = Open }",
        );
        assert_eq!(status, [Code::PingPong]);
    }

    #[test]
    fn near_misses_settle() {
        // The second one stops for good: its own tag.
        let settles = pair(
            "when all { Tags excludes x }\nthen { Tags += x }",
            "when all {\nTags includes x\nTags excludes y\n}\nthen {\nTags -= x\nTags += y\n}",
        );
        assert!(settles.is_empty(), "{settles:?}");
        // They never meet on one ticket.
        let apart = pair(
            "when all {\nTags excludes x\nPriority is High\n}\nthen { Tags += x }",
            "when all {\nTags includes x\nPriority is Low\n}\nthen { Tags -= x }",
        );
        assert!(apart.is_empty(), "{apart:?}");
        // Only one of them undoes the other.
        let one_way = pair(
            "when all { Tags excludes x }\nthen { Tags += x }",
            "when all { Tags excludes y }\nthen {\nTags -= x\nTags += y\n}",
        );
        assert!(one_way.is_empty(), "{one_way:?}");
    }

    /// A real account's pair: the two undo each other, but a field neither of them
    /// changes lets only one of them hold on a ticket.
    #[test]
    fn exclusive_conditions_on_an_unchanged_field_cannot_loop() {
        for (on_a, on_b, loops) in [
            (
                "custom_fields_7 is team_x",
                "custom_fields_7 is not team_x",
                false,
            ),
            ("Group is 5", "Group is not 5", false),
            (
                "organization.custom_fields.team is x",
                "organization.custom_fields.team is not x",
                false,
            ),
            // Both can hold on one ticket.
            (
                "custom_fields_7 is team_x",
                "custom_fields_7 is not team_y",
                true,
            ),
            ("Group is 5", "Group is not 6", true),
        ] {
            let found = pair(
                &format!("when all {{\n{on_a}\nTags excludes x\n}}\nthen {{ Tags += x }}"),
                &format!("when all {{\n{on_b}\nTags includes x\n}}\nthen {{ Tags -= x }}"),
            );
            assert_eq!(
                found.contains(&Code::PingPong),
                loops,
                "{on_a} / {on_b}: {found:?}"
            );
        }
    }

    #[test]
    fn triggers_adding_the_same_tag_are_not_all_paired() {
        use crate::lint::logic::tests::grows_linearly;
        use crate::lint::tests::{counted, done_tagged};
        grows_linearly(|n| {
            let (steps, found) = counted(&done_tagged(n, ""), super::check);
            assert_eq!(found, 0);
            steps
        });
        // One more removes the tag in the first group: the two ping-pong.
        let undo = "trigger \"undo\" {\n when all {\n Tags includes done\n Group is 1\n }\n then { Tags -= done }\n}\n";
        let (steps, found) = counted(&done_tagged(100, undo), super::check);
        assert_eq!(found, 1);
        // The pairs are tested on every core: their steps still reach this thread's count.
        assert!(steps > 0, "the pairs tested were not counted");
    }
}
