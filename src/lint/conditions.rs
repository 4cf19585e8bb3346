//! The conditions of one trigger on their own: `unsatisfiable_conditions` (they can never
//! hold together), `always_true_condition` (one holds on every ticket) and
//! `redundant_condition` (the others already imply it).

use foldhash::{HashMap, HashMapExt};
use std::collections::BTreeSet;

use super::logic::{self, Env, Lit, Slot, F};

use super::{Cx, Facts, Finding};
use crate::check::rules::{Condition, Trigger};
use crate::diagnostics::{Code, Span};

pub(super) fn check(cx: &Cx<'_>, i: usize, out: &mut Vec<Finding>) {
    check_one(cx, i, &cx.rules.triggers[i], &cx.facts[i], out);
}

fn check_one(cx: &Cx<'_>, i: usize, t: &Trigger, facts: &Facts, out: &mut Vec<Finding>) {
    if !facts.satisfiable {
        if !facts.empty_group {
            out.push(unsatisfiable(cx, i, &facts.formula));
        }
        // Every other finding on these conditions would be noise beside this one.
        return;
    }
    let mut always = Vec::new();
    always_true(&t.conditions, &facts.formula, false, &mut always);
    for span in &always {
        let diagnostic = cx
            .at(
                i,
                Code::AlwaysTrueCondition,
                "this condition holds on every ticket".into(),
                *span,
                "always true",
            )
            .help("remove it, or write the condition you meant");
        out.push(Finding {
            trigger: i,
            diagnostic,
        });
    }
    for r in redundant(&t.conditions, &facts.formula, &always) {
        let (message, by) = if r.member {
            (
                "this condition adds nothing to its group: another member holds whenever it does",
                "holds whenever it does",
            )
        } else {
            ("this condition is implied by the others", "implied by this")
        };
        let mut diagnostic = cx
            .at(
                i,
                Code::RedundantCondition,
                message.into(),
                r.span,
                "redundant",
            )
            .help("remove it: the trigger fires on exactly the same tickets without it");
        for span in r.by {
            diagnostic = diagnostic.label(span, by);
        }
        out.push(Finding {
            trigger: i,
            diagnostic,
        });
    }
}

fn unsatisfiable(cx: &Cx<'_>, i: usize, formula: &F) -> Finding {
    let title = &cx.rules.triggers[i].title;
    let message = format!("the conditions of trigger `{title}` can never hold together");
    let diagnostic = match logic::conflict(&formula.required()) {
        Some(lits) => {
            let slot = lits[0].slot.describe();
            let mut d = cx.at(i, Code::UnsatisfiableConditions, message, lits[0].span, "this condition");
            for l in lits.iter().skip(1).filter(|l| l.span != lits[0].span) {
                d = d.label(l.span, "cannot hold with this one");
            }
            d.help(format!("no `{slot}` meets all of these: the trigger never fires; remove or change one of them"))
        }
        None => cx
            .at_trigger(i, Code::UnsatisfiableConditions, message, "never fires")
            .help("no member of its `any` groups can hold with the other conditions: the trigger never fires"),
    };
    Finding {
        trigger: i,
        diagnostic,
    }
}

/// The tests and `any`/`not` groups that hold on every ticket, outermost first. `f` is
/// the formula of `c`, taken from the trigger's own (negated when `c` sits under an odd
/// number of `not`s), so that no formula is built again for each group.
fn always_true(c: &Condition, f: &F, negated: bool, out: &mut Vec<Span>) {
    match (c, f) {
        (Condition::All(m), F::All(fm) | F::Any(fm)) => members(m, fm, negated, out),
        (Condition::Any(m) | Condition::Not(m), F::All(fm) | F::Any(fm)) => {
            match span_of(c).filter(|_| holds_always(f, negated)) {
                Some(span) => out.push(span),
                // The members of a `not` are in the formula negated.
                None => members(m, fm, negated ^ matches!(c, Condition::Not(_)), out),
            }
        }
        (Condition::Test(t), _) if holds_always(f, negated) => out.push(t.span),
        // A test that can fail, a Zendesk condition or an empty group: nothing to say.
        _ => {}
    }
}

fn members(m: &[Condition], fm: &[F], negated: bool, out: &mut Vec<Span>) {
    m.iter()
        .zip(fm)
        .for_each(|(c, f)| always_true(c, f, negated, out));
}

/// A condition holds on every ticket when no ticket meets its negation; `f` is its
/// formula, or the formula of its negation when `negated`.
fn holds_always(f: &F, negated: bool) -> bool {
    if negated {
        !logic::satisfiable(f, &Env::new())
    } else {
        !logic::refutable(f)
    }
}

/// From the first test to the last of a group: its members' place.
fn span_of(c: &Condition) -> Option<Span> {
    match c {
        Condition::Test(t) => Some(t.span),
        Condition::Zendesk(p) => Some(p.span),
        Condition::Hours { span, .. } => Some(*span),
        Condition::All(m) | Condition::Any(m) | Condition::Not(m) => {
            let spans: Vec<Span> = m.iter().filter_map(span_of).collect();
            spans.iter().copied().reduce(Span::join)
        }
    }
}

/// A condition the trigger fires on exactly the same tickets without.
struct Redundant {
    span: Span,
    /// The conditions that make it so.
    by: Vec<Span>,
    /// Whether it is a member of an `any` that another member makes redundant, rather
    /// than implied by the conditions beside it.
    member: bool,
}

/// The tests and groups every firing needs, members of the all-lists from the top, each
/// with its place and its formula from the trigger's.
fn required_parts<'a>(c: &'a Condition, f: &'a F, out: &mut Vec<(Span, &'a F)>) {
    match (c, f) {
        (Condition::All(m), F::All(fm)) => m
            .iter()
            .zip(fm)
            .for_each(|(c, f)| required_parts(c, f, out)),
        (Condition::Any(m), F::Any(fm)) if m.len() == 1 => required_parts(&m[0], &fm[0], out),
        (Condition::Test(t), f) => out.push((t.span, f)),
        (Condition::Any(_) | Condition::Not(_), f) => out.extend(span_of(c).map(|s| (s, f))),
        _ => {}
    }
}

/// The required tests and groups that the other required ones imply, each with the
/// tests that imply it, then the members of an `any` that another member implies. The
/// last of two equal ones is the redundant one.
fn redundant(c: &Condition, f: &F, always: &[Span]) -> Vec<Redundant> {
    let mut parts = Vec::new();
    required_parts(c, f, &mut parts);
    let mut out = implied_by_the_others(&parts, always);
    redundant_members(c, f, always, &mut out);
    out
}

fn implied_by_the_others(parts: &[(Span, &F)], always: &[Span]) -> Vec<Redundant> {
    // What each part needs, read once rather than once for every other part.
    let needs: Vec<(Vec<&Lit>, BTreeSet<&str>)> = parts
        .iter()
        .map(|(_, f)| (f.required(), f.required_opaque()))
        .collect();
    // Each slot's needed literals with their part, and how many kept parts need each
    // opaque test: a part meets only the others that read what it reads, not all of them.
    let mut lits_on: HashMap<&Slot, Vec<(usize, &Lit)>> = HashMap::new();
    let mut opaque_kept: HashMap<&str, usize> = HashMap::new();
    for (j, (lits, opaque)) in needs.iter().enumerate() {
        for l in lits {
            lits_on.entry(&l.slot).or_default().push((j, *l));
        }
        for key in opaque {
            *opaque_kept.entry(key).or_default() += 1;
        }
    }
    let mut readers = None;
    let mut kept: Vec<bool> = vec![true; parts.len()];
    let mut out = Vec::new();
    for i in (0..parts.len()).rev() {
        let (span, formula) = parts[i];
        if always.contains(&span) {
            continue;
        }
        let (slots, keys) = read_by(formula);
        // Whether a part is implied depends only on the slots it reads: the env is built
        // on those alone, from the other kept parts. Intersections commute, so the order
        // the literals come in does not change it.
        let others_on = |slot: &Slot| {
            let on = lits_on.get(slot).map_or(&[][..], Vec::as_slice);
            logic::work::add(on.len());
            on.iter()
                .filter(|&&(j, _)| j != i && kept[j])
                .map(|&(_, l)| l)
                .collect::<Vec<_>>()
        };
        let env = logic::env_of(slots.iter().flat_map(|s| others_on(s)));
        let opaque: BTreeSet<&str> = keys
            .into_iter()
            .filter(|key| {
                let own = usize::from(needs[i].1.contains(key));
                opaque_kept.get(key).is_some_and(|&n| n > own)
            })
            .collect();
        if !formula.implied(&env, &opaque) {
            continue;
        }
        let readers = readers.get_or_insert_with(|| Readers::of(parts));
        let by = readers
            .sharing(i, &kept)
            .into_iter()
            .map(|j| parts[j].0)
            .collect();
        kept[i] = false;
        for key in &needs[i].1 {
            if let Some(n) = opaque_kept.get_mut(key) {
                *n -= 1;
            }
        }
        out.push(Redundant {
            span,
            by,
            member: false,
        });
    }
    out.reverse();
    out
}

/// The slots the literals of `f` read, and the keys of its opaque tests.
fn read_by(f: &F) -> (BTreeSet<&Slot>, BTreeSet<&str>) {
    let mut slots = BTreeSet::new();
    let mut keys = BTreeSet::new();
    for leaf in f.leaves() {
        match leaf {
            F::Lit(l) => {
                slots.insert(&l.slot);
            }
            F::Opaque { key, .. } => {
                keys.insert(key.as_str());
            }
            F::All(_) | F::Any(_) => {}
        }
    }
    (slots, keys)
}

/// The parts by what they read, as messages name it (a slot, or an opaque test): built
/// only when a part is redundant, to list the parts that make it so.
struct Readers {
    reads: Vec<BTreeSet<String>>,
    by_read: HashMap<String, Vec<usize>>,
}

impl Readers {
    fn of(parts: &[(Span, &F)]) -> Readers {
        let reads: Vec<BTreeSet<String>> = parts.iter().map(|(_, f)| read_keys(f)).collect();
        let mut by_read: HashMap<String, Vec<usize>> = HashMap::new();
        for (j, keys) in reads.iter().enumerate() {
            for key in keys {
                by_read.entry(key.clone()).or_default().push(j);
            }
        }
        Readers { reads, by_read }
    }

    /// The kept parts other than `i` that read something `i` reads, in order.
    fn sharing(&self, i: usize, kept: &[bool]) -> Vec<usize> {
        let mut out: Vec<usize> = self.reads[i]
            .iter()
            .flat_map(|key| self.by_read.get(key).into_iter().flatten().copied())
            .filter(|&j| j != i && kept[j])
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The members of `any` groups (and of `not` groups, which hold when one member fails)
/// that another member implies: the group holds on the same tickets without them.
fn redundant_members(c: &Condition, f: &F, always: &[Span], out: &mut Vec<Redundant>) {
    let (Condition::All(m) | Condition::Any(m) | Condition::Not(m), F::All(fm) | F::Any(fm)) =
        (c, f)
    else {
        return;
    };
    let group_always = span_of(c).is_some_and(|s| always.contains(&s));
    if !matches!(c, Condition::All(_)) && m.len() > 1 && !group_always {
        let mut kept = vec![true; m.len()];
        for i in (0..m.len()).rev() {
            let by = (0..m.len()).find(|&j| j != i && kept[j] && implies(&fm[i], &fm[j]));
            let spans = by.and_then(|j| Some((span_of(&m[i])?, span_of(&m[j])?)));
            if let Some((span, other)) = spans {
                kept[i] = false;
                out.push(Redundant {
                    span,
                    by: vec![other],
                    member: true,
                });
            }
        }
    }
    m.iter()
        .zip(fm)
        .for_each(|(c, f)| redundant_members(c, f, always, out));
}

/// Whether every ticket meeting `a` meets `b`, as far as the model can tell.
fn implies(a: &F, b: &F) -> bool {
    match a {
        F::Any(m) if m.len() != 1 => m.iter().all(|a| implies(a, b)),
        _ => b.implied(&logic::env_of(a.required()), &a.required_opaque()),
    }
}

/// What the leaves of `f` read, as messages name it: two formulas that share one read a
/// common slot (or are the same opaque test).
fn read_keys(f: &F) -> BTreeSet<String> {
    f.leaves()
        .into_iter()
        .map(|leaf| match leaf {
            F::Lit(l) => l.slot.describe(),
            F::Opaque { key, .. } => key.clone(),
            F::All(_) | F::Any(_) => String::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::logic::{self, work, F};
    use crate::lint::tests::{codes, findings};
    use crate::Code;

    fn when(conditions: &str) -> Vec<Code> {
        codes(&format!(
            "trigger \"t\" {{\n  when all {{\n{conditions}\n    Tags excludes done\n  }}\n  then {{ Tags += done }}\n}}\n"
        ))
    }

    /// Each of `found` draws exactly `code`; each of `quiet` draws nothing.
    fn finds(code: Code, found: &[&str], quiet: &[&str]) {
        for c in found {
            assert_eq!(when(c), [code], "{c}");
        }
        for c in quiet {
            assert!(when(c).is_empty(), "{c}: {:?}", when(c));
        }
    }

    #[test]
    fn contradictions_are_unsatisfiable() {
        for c in [
            "Status is Open\nStatus is Solved",
            "Tags includes vip\nTags excludes vip",
            "Status < New",
            "Priority > Urgent",
            "Status changed to Solved\nStatus is Pending",
            "Group is 1\nGroup is not present",
            "any {\nStatus is Open\nStatus is New\n}\nStatus is Solved",
            "Tags includes done",
            "custom_fields_1 is a\ncustom_fields_1 is b",
            "Group is None\nGroup is 4",
        ] {
            assert_eq!(when(c), [Code::UnsatisfiableConditions], "{c}");
        }
    }

    #[test]
    fn the_contradicting_tests_are_labelled() {
        let text = "trigger \"t\" {\n  when all {\n    Status is Open\n    Priority is High\n    Status is Solved\n  }\n  then { Status = Pending }\n}\n";
        let found = findings(text);
        assert_eq!(found.len(), 1);
        let labels: Vec<&str> = found[0]
            .labels
            .iter()
            .map(|l| &text[l.span.start..l.span.end])
            .collect();
        assert_eq!(labels, ["Status is Open", "Status is Solved"]);
    }

    #[test]
    fn near_misses_are_satisfiable() {
        for c in [
            "Status is Open\nPriority is High",
            "Tags includes vip gold\nTags excludes vip",
            "Status <= New",
            "Status changed from Solved\nStatus is Open",
            "Group is 1\nGroup is not 2",
            "Subject contains \"a\"\nSubject does not contain \"a\"",
            "custom_fields_1 is a\ncustom_fields_1 is not b",
            // Equal as numbers, or as the same options in another order.
            "custom_fields_1 is 1\ncustom_fields_1 is \"1.0\"",
            "custom_fields_1 is \"a b\"\ncustom_fields_1 is \"b a\"",
        ] {
            assert!(!when(c).contains(&Code::UnsatisfiableConditions), "{c}");
        }
    }

    #[test]
    fn always_true_conditions() {
        finds(
            Code::AlwaysTrueCondition,
            &[
                "Status >= New",
                "Priority <= Urgent",
                "any {\nStatus is Open\nStatus is not Open\n}",
                "any {\nTags includes a\nTags excludes a\n}",
            ],
            &[
                "Status > New",
                "Group is present",
                "any {\nStatus is Open\nStatus is New\n}",
                // "Present (public or private)": the update must bring a comment.
                "Comment is \"Not relevant\"",
            ],
        );
    }

    #[test]
    fn redundant_conditions() {
        finds(
            Code::RedundantCondition,
            &[
                "Status is Open\nStatus is not Pending",
                "Status is Open\nStatus < Solved",
                "Priority is High\nPriority is High",
                "Tags includes vip\nTags includes vip gold",
                "Status changed to Solved\nStatus is Solved",
                "Subject contains \"x\"\nSubject contains \"x\"",
                "Group is 4\nGroup is present",
            ],
            &[
                "Status is not Open\nStatus is not Pending",
                "Status < Solved\nStatus > New",
                "Subject contains \"x\"\nSubject contains \"y\"",
            ],
        );
    }

    #[test]
    fn a_member_of_a_group_that_another_member_implies_is_redundant() {
        finds(
            Code::RedundantCondition,
            &[
                "any {\nStatus is Open\nPriority is High\nStatus is Open\n}",
                "any {\nStatus is Open\nStatus < Solved\n}",
                "any {\nSubject contains \"x\"\nSubject contains \"x\"\n}",
                "not {\nTags includes a\nTags includes a\n}",
                // The whole group, implied by a condition beside it.
                "Status is Open\nany {\nStatus is Open\nPriority is High\n}",
            ],
            &[
                "any {\nStatus is Open\nPriority is High\n}",
                "any {\nStatus is Open\nStatus is Pending\n}",
                "any {\nSubject contains \"x\"\nSubject contains \"y\"\n}",
                "Status is Open\nany {\nStatus is Pending\nPriority is High\n}",
            ],
        );
    }

    #[test]
    fn the_later_of_two_equal_members_is_reported() {
        let text = "trigger \"t\" {\n  when any {\n    Priority is High\n    Status is Open\n    Priority is High\n  }\n  then { Tags += d }\n}\n";
        let found: Vec<_> = findings(text)
            .into_iter()
            .filter(|d| d.code == Code::RedundantCondition)
            .collect();
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].labels[0].span.start,
            text.rfind("Priority is High").unwrap()
        );
        assert_eq!(
            found[0].labels[1].span.start,
            text.find("Priority is High").unwrap()
        );
    }

    #[test]
    fn an_empty_group_is_left_to_the_checker() {
        assert!(when("any {\n}").is_empty());
        assert!(when("not {\n}\nStatus is Open").is_empty());
    }

    #[test]
    fn the_later_of_two_equal_tests_is_reported() {
        let text = "trigger \"t\" {\n  when all {\n    Priority is High\n    Tags excludes d\n    Priority is High\n  }\n  then { Tags += d }\n}\n";
        let found = findings(text);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].labels[0].span.start,
            text.rfind("Priority is High").unwrap()
        );
    }

    #[test]
    fn finding_redundant_conditions_among_many_does_linear_work() {
        logic::tests::grows_linearly(|n| {
            let when: String = (0..n).map(|i| format!("Tags includes t{i}\n")).collect();
            let text = format!("trigger \"t\" {{\n when all {{\n{when} Tags includes t0\n }}\n then {{ Status = Open }}\n}}\n");
            let rules = crate::check(&[crate::Source::new("t.declic", text)])
                .into_result()
                .expect("checks");
            let c = &rules.triggers[0].conditions;
            let f = F::of(c);
            work::take();
            // The last `Tags includes t0` repeats the first.
            assert_eq!(super::redundant(c, &f, &[]).len(), 1);
            work::take()
        });
    }
}
