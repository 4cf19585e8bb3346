//! The little logic the lints reason with: each condition becomes a formula over *slots*
//! (a field, a custom field, one tag) constrained to *sets of values*, and each trigger's
//! actions become the values they leave in the slots they write.
//!
//! Everything here is an approximation that errs one way: what cannot be modelled (text
//! `contains`, hours, symbolic ids, a survey that may or may not be delivered) is
//! *opaque* or *unknown*, and the lints only report what the model proves. A missed
//! finding is acceptable; a false one teaches users to ignore the linter.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use crate::catalog::actions::{ActionKey, Args};
use crate::catalog::fields::{self, FieldKey, FieldRef};
use crate::catalog::{Domain, Lang, Op};
use crate::check::rules::{Action, ActionTarget, Condition, Operand, Test};
use crate::diagnostics::Span;

/// What a condition reads or an action writes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Slot {
    /// A catalog field.
    Field(FieldKey),
    /// A ticket custom field, by id.
    Custom(u64),
    /// An organization custom field, by key.
    OrgCustom(String),
    /// One tag (lower-case): present or absent.
    Tag(String),
}

impl Slot {
    /// The slot as users name it in messages: `status`, `tag vip`.
    pub(crate) fn describe(&self) -> String {
        match self {
            Slot::Field(k) => fields::get(*k).names.api.to_owned(),
            Slot::Custom(id) => format!("custom_fields_{id}"),
            Slot::OrgCustom(key) => format!("organization.custom_fields.{key}"),
            Slot::Tag(tag) => format!("tag {tag}"),
        }
    }
}

/// One value a slot may hold.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum V {
    /// No value (no group, no session, a tag the ticket lacks).
    Absent,
    /// A tag the ticket has.
    Present,
    /// A member of the field's enumeration, by index into the catalog's list.
    Enum(usize),
    /// An id, a channel number, or a boolean as 0/1.
    Int(i64),
    /// Text, lower-cased as the engine compares it.
    Text(String),
}

/// The values a slot may hold. On a closed domain (an enumeration, a tag's presence) a
/// bit for each value of the slot's [`universe`], so that narrowing and negating cost an
/// instruction rather than a tree; on an open domain (ids, text) a finite set, or
/// everything but a finite set. A slot's sets always take the same form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Set {
    Bits(u64),
    Only(BTreeSet<V>),
    AllBut(BTreeSet<V>),
}

/// The values a slot can hold at all, when they are finitely many, sorted: a value's bit
/// in a [`Set::Bits`] is its position here. Built once per field.
fn universe(slot: &Slot) -> Option<&'static [V]> {
    static TAG: OnceLock<Vec<V>> = OnceLock::new();
    static FIELDS: OnceLock<Vec<Option<Vec<V>>>> = OnceLock::new();
    match slot {
        Slot::Tag(_) => Some(TAG.get_or_init(|| sorted([V::Present, V::Absent]))),
        Slot::Field(k) => {
            let all = FIELDS.get_or_init(|| {
                fields::FIELDS
                    .iter()
                    .map(|f| field_universe(f.key).map(sorted))
                    .collect()
            });
            let at = fields::FIELDS.iter().position(|f| f.key == *k)?;
            all[at].as_deref()
        }
        Slot::Custom(_) | Slot::OrgCustom(_) => None,
    }
}

fn sorted(values: impl IntoIterator<Item = V>) -> Vec<V> {
    let set: BTreeSet<V> = values.into_iter().collect();
    assert!(set.len() < 64, "a closed domain fits the bits of a u64");
    set.into_iter().collect()
}

fn field_universe(k: FieldKey) -> Option<Vec<V>> {
    let enums = |absent: bool| {
        let n = fields::get(k).domain.values().len();
        let mut u: Vec<V> = (0..n).map(V::Enum).collect();
        if absent {
            u.push(V::Absent);
        }
        Some(u)
    };
    match k {
        // Priority and type list "none" as their first value.
        FieldKey::UpdateType
        | FieldKey::Status
        | FieldKey::StatusCategory
        | FieldKey::Priority
        | FieldKey::TicketType
        | FieldKey::TicketVisibility
        | FieldKey::Satisfaction => enums(false),
        FieldKey::CurrentUserRole
        | FieldKey::RequesterRole
        | FieldKey::RoutingChannel
        | FieldKey::SessionState
        | FieldKey::SessionInactiveReason
        | FieldKey::SessionEndReason => enums(true),
        // Public or private; absent when the update has no comment.
        FieldKey::CommentVisibility => Some((0..2).map(V::Enum).chain([V::Absent]).collect()),
        // Business hours are unknown without a schedule.
        FieldKey::InBusinessHours => Some(vec![V::Int(0), V::Int(1), V::Absent]),
        _ => None,
    }
}

/// The bits of `values` in `universe`; a value outside it is no value the slot can hold.
fn bits(universe: &[V], values: impl IntoIterator<Item = V>) -> u64 {
    values
        .into_iter()
        .filter_map(|v| universe.binary_search(&v).ok())
        .fold(0, |bits, i| bits | 1 << i)
}

/// Every bit of `universe`.
fn full(universe: &[V]) -> u64 {
    (1 << universe.len()) - 1
}

impl Set {
    pub(crate) fn only(slot: &Slot, values: impl IntoIterator<Item = V>) -> Set {
        match universe(slot) {
            Some(u) => Set::Bits(bits(u, values)),
            None => Set::Only(values.into_iter().collect()),
        }
    }

    pub(crate) fn all_but(slot: &Slot, values: impl IntoIterator<Item = V>) -> Set {
        match universe(slot) {
            Some(u) => Set::Bits(full(u) & !bits(u, values)),
            None => Set::AllBut(values.into_iter().collect()),
        }
    }

    /// Every value: a write whose result is not known.
    fn any(slot: &Slot) -> Set {
        Set::all_but(slot, [])
    }

    fn complement(&self, slot: &Slot) -> Set {
        match self {
            Set::Bits(b) => Set::Bits(universe(slot).map_or(0, full) & !b),
            Set::Only(s) => Set::AllBut(s.clone()),
            Set::AllBut(s) => Set::Only(s.clone()),
        }
    }

    pub(crate) fn intersect(&self, other: &Set) -> Set {
        match (self, other) {
            (Set::Bits(a), Set::Bits(b)) => Set::Bits(a & b),
            (Set::Only(a), Set::Only(b)) => Set::Only(a.intersection(b).cloned().collect()),
            (Set::Only(a), Set::AllBut(b)) | (Set::AllBut(b), Set::Only(a)) => {
                Set::Only(a.difference(b).cloned().collect())
            }
            (Set::AllBut(a), Set::AllBut(b)) => Set::AllBut(a.union(b).cloned().collect()),
            (Set::Bits(_), _) | (_, Set::Bits(_)) => mixed(),
        }
    }

    /// Narrows `self` to `self ∩ other` in place: a long `AllBut` list (`Group is not 1`,
    /// `is not 2`...) grows by the other's members rather than being copied for each one,
    /// which made an env of many such conditions quadratic to build.
    pub(crate) fn narrow(&mut self, other: &Set) {
        match (&mut *self, other) {
            (Set::AllBut(a), Set::AllBut(b)) => a.extend(b.iter().cloned()),
            (Set::Only(a), Set::Only(b)) => a.retain(|v| b.contains(v)),
            (Set::Only(a), Set::AllBut(b)) => a.retain(|v| !b.contains(v)),
            _ => *self = self.intersect(other),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Set::Bits(b) => *b == 0,
            Set::Only(s) => s.is_empty(),
            Set::AllBut(_) => false,
        }
    }

    /// Whether every value of `self` is in `other`.
    pub(crate) fn subset(&self, other: &Set) -> bool {
        match (self, other) {
            (Set::Bits(a), Set::Bits(b)) => a & !b == 0,
            (Set::Only(a), Set::Only(b)) => a.is_subset(b),
            (Set::Only(a), Set::AllBut(b)) => a.is_disjoint(b),
            (Set::AllBut(_), Set::Only(_)) => false,
            (Set::AllBut(a), Set::AllBut(b)) => b.is_subset(a),
            (Set::Bits(_), _) | (_, Set::Bits(_)) => mixed(),
        }
    }

    /// Its values when they are finitely many, each once: lets the lints index the
    /// triggers by the values they need or write.
    pub(crate) fn values(&self) -> Option<Vec<Value>> {
        match self {
            Set::Bits(bits) => Some(
                (0..u64::BITS)
                    .filter(|i| bits & (1 << i) != 0)
                    .map(Value::Bit)
                    .collect(),
            ),
            Set::Only(values) => Some(values.iter().cloned().map(Value::Of).collect()),
            Set::AllBut(_) => None,
        }
    }

    /// Whether the set holds every value the slot can take.
    pub(crate) fn is_full(&self, slot: &Slot) -> bool {
        Set::any(slot).subset(self)
    }
}

/// One value of a slot whose values are few: a bit of a closed domain, or a value of a
/// finite set.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Value {
    Bit(u32),
    Of(V),
}

/// Sets are compared only on one slot, whose sets all take one form.
fn mixed() -> ! {
    unreachable!("two sets of one slot in different forms")
}

/// A constraint from one test: the slot must hold one of `set`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Lit {
    pub slot: Slot,
    pub set: Set,
    /// The test it comes from.
    pub span: Span,
}

/// A condition tree in the model. Negations are pushed down to the literals, so every
/// literal counts in the direction it is written: making one true never makes the whole
/// formula false.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum F {
    All(Vec<F>),
    Any(Vec<F>),
    Lit(Lit),
    /// A test the model cannot decide: it may hold or not. `key` names it (the same test
    /// written twice has the same key); `slot` is what it reads, when known.
    Opaque {
        key: String,
        slot: Option<Slot>,
        span: Span,
    },
}

/// Whether `c` needs an empty `any` or `not`, which never holds: on its all-path, not
/// beside another member of an `any` that can hold instead.
pub(crate) fn requires_empty_group(c: &Condition) -> bool {
    match c {
        Condition::Any(m) | Condition::Not(m) if m.is_empty() => true,
        Condition::All(m) => m.iter().any(requires_empty_group),
        Condition::Any(m) => m.iter().all(requires_empty_group),
        Condition::Not(_) | Condition::Test(_) | Condition::Zendesk(_) => false,
        Condition::Hours { .. } => false,
    }
}

/// The language-neutral text of a test, equal for the same test however it was written.
pub(crate) fn test_key(t: &Test) -> String {
    t.text_in(Lang::Api)
}

impl F {
    /// The formula of a condition tree.
    pub(crate) fn of(c: &Condition) -> F {
        match c {
            // An empty `any` or `not` never holds; the checker already says so
            // (`empty_group`), so the lints leave it aside rather than repeat it.
            Condition::Any(m) | Condition::Not(m) if m.is_empty() => F::Opaque {
                key: "empty group".to_owned(),
                slot: None,
                span: Span::default(),
            },
            Condition::All(m) => F::All(m.iter().map(F::of).collect()),
            Condition::Any(m) => F::Any(m.iter().map(F::of).collect()),
            Condition::Not(m) => F::Any(m.iter().map(|c| F::of(c).negate()).collect()),
            Condition::Test(t) => test(t),
            // A Zendesk condition kept as the API wrote it: nothing is known of it.
            Condition::Zendesk(p) => F::Opaque {
                key: format!("zendesk {:?}", p.json),
                slot: None,
                span: p.span,
            },
            // The clock is not part of what the lints reason about: an automation's time
            // condition is an unknown that its actions cannot change.
            Condition::Hours { test, span, .. } => F::Opaque {
                key: format!("hours {test:?}"),
                slot: None,
                span: *span,
            },
        }
    }

    /// The formula that holds exactly when this one does not.
    pub(crate) fn negate(self) -> F {
        match self {
            F::All(m) => F::Any(m.into_iter().map(F::negate).collect()),
            F::Any(m) => F::All(m.into_iter().map(F::negate).collect()),
            F::Lit(l) => F::Lit(Lit {
                set: l.set.complement(&l.slot),
                ..l
            }),
            F::Opaque { key, slot, span } => F::Opaque {
                key: format!("not ({key})"),
                slot,
                span,
            },
        }
    }

    /// The literals every ticket meeting the formula meets: those on its all-path.
    pub(crate) fn required(&self) -> Vec<&Lit> {
        let mut out = Vec::new();
        self.all_path(&mut |f| {
            if let F::Lit(l) = f {
                out.push(l);
            }
        });
        out
    }

    /// The keys of the opaque tests on the all-path.
    pub(crate) fn required_opaque(&self) -> BTreeSet<&str> {
        let mut out = BTreeSet::new();
        self.all_path(&mut |f| {
            if let F::Opaque { key, .. } = f {
                out.insert(key.as_str());
            }
        });
        out
    }

    /// Visits the literals and opaque tests on the all-path: those not under an `any` of
    /// two members or more.
    fn all_path<'a>(&'a self, visit: &mut impl FnMut(&'a F)) {
        match self {
            F::All(m) => m.iter().for_each(|f| f.all_path(visit)),
            F::Any(m) if m.len() == 1 => m[0].all_path(visit),
            F::Any(_) => {}
            leaf => visit(leaf),
        }
    }

    /// Every literal and opaque test, with what it reads.
    pub(crate) fn leaves(&self) -> Vec<&F> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(f) = stack.pop() {
            match f {
                F::All(m) | F::Any(m) => stack.extend(m.iter().rev()),
                leaf => out.push(leaf),
            }
        }
        out
    }

    /// The slots a change to which can make the formula false, sorted. Actions that write
    /// none of them cannot, which lets the lints between triggers skip most pairs.
    pub(crate) fn weak_points(&self) -> Vec<&Slot> {
        let mut out = Vec::new();
        self.collect_weak_points(&mut out);
        out.sort_unstable();
        out.dedup();
        out
    }

    fn collect_weak_points<'a>(&'a self, out: &mut Vec<&'a Slot>) {
        match self {
            F::Lit(l) => out.push(&l.slot),
            F::Opaque { .. } => {}
            F::All(m) => m.iter().for_each(|f| f.collect_weak_points(out)),
            // An `any` fails only when every member does: a member that cannot fail
            // saves it.
            F::Any(m) => {
                let start = out.len();
                for member in m {
                    let before = out.len();
                    member.collect_weak_points(out);
                    if out.len() == before {
                        out.truncate(start);
                        return;
                    }
                }
            }
        }
    }

    /// Whether every ticket that meets `env` (and has the `opaque` tests hold) meets the
    /// formula.
    pub(crate) fn implied(&self, env: &Env, opaque: &BTreeSet<&str>) -> bool {
        match self {
            F::All(m) => m.iter().all(|f| f.implied(env, opaque)),
            F::Any(m) => m.iter().any(|f| f.implied(env, opaque)),
            F::Lit(l) => match env.get(&l.slot) {
                Some(have) => have.subset(&l.set),
                None => l.set.is_full(&l.slot),
            },
            F::Opaque { key, .. } => opaque.contains(key.as_str()),
        }
    }

    /// Whether the formula holds, fails or may do either once `effects` applied.
    pub(crate) fn after(&self, effects: &Effects) -> Tri {
        match self {
            F::All(m) => Tri::all(m.iter().map(|f| f.after(effects))),
            F::Any(m) => Tri::any(m.iter().map(|f| f.after(effects))),
            F::Lit(l) => effects.decide(l),
            F::Opaque { .. } => Tri::Unknown,
        }
    }
}

/// Three-valued truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tri {
    True,
    False,
    Unknown,
}

impl Tri {
    fn all(items: impl Iterator<Item = Tri>) -> Tri {
        let mut out = Tri::True;
        for t in items {
            match t {
                Tri::False => return Tri::False,
                Tri::Unknown => out = Tri::Unknown,
                Tri::True => {}
            }
        }
        out
    }

    fn any(items: impl Iterator<Item = Tri>) -> Tri {
        let mut out = Tri::False;
        for t in items {
            match t {
                Tri::True => return Tri::True,
                Tri::Unknown => out = Tri::Unknown,
                Tri::False => {}
            }
        }
        out
    }
}

/// What is known of each slot: the values it may still hold.
pub(crate) type Env = BTreeMap<Slot, Set>;

/// The env where every literal of `lits` holds.
pub(crate) fn env_of<'a>(lits: impl IntoIterator<Item = &'a Lit>) -> Env {
    let mut env = Env::new();
    for l in lits {
        constrain(&mut env, l);
    }
    env
}

/// Narrows `env` by `l`; false when the slot has no value left.
pub(crate) fn constrain(env: &mut Env, l: &Lit) -> bool {
    match env.get_mut(&l.slot) {
        Some(have) => {
            have.narrow(&l.set);
            !have.is_empty()
        }
        None => {
            env.insert(l.slot.clone(), l.set.clone());
            !l.set.is_empty()
        }
    }
}

/// How many branches a satisfiability search may explore before it gives up and assumes
/// the formula can hold: hostile input must not make `check` slow.
const SEARCH_BUDGET: u32 = 4_096;

/// Whether some ticket meets `f` within `env`. Gives up (answering yes) past a budget.
pub(crate) fn satisfiable(f: &F, env: &Env) -> bool {
    let mut budget = SEARCH_BUDGET;
    search(vec![(f, false)], Narrowed::of(env), &mut budget)
}

/// Whether some ticket meets the negation of `f`, that is whether `f` can fail. The
/// search reads `f` with its polarity flipped rather than building the negated formula.
pub(crate) fn refutable(f: &F) -> bool {
    let mut budget = SEARCH_BUDGET;
    search(vec![(f, true)], Narrowed::default(), &mut budget)
}

/// The goals are formulas to meet, each with whether it is to be met negated.
fn search<'a>(mut goals: Vec<(&'a F, bool)>, mut env: Narrowed<'a>, budget: &mut u32) -> bool {
    if *budget == 0 {
        return true;
    }
    *budget -= 1;
    while let Some((goal, negated)) = goals.pop() {
        match (goal, negated) {
            (F::All(m), false) | (F::Any(m), true) => {
                goals.extend(m.iter().map(|f| (f, negated)));
            }
            (F::Lit(l), _) => {
                if !env.constrain(l, negated) {
                    return false;
                }
            }
            (F::Opaque { .. }, _) => {}
            // A choice of one is no choice: its member is met in place, spending the
            // budget as a branch would, rather than copying every goal and the env for
            // it (`Tags includes x` is such a group, and a trigger may hold hundreds).
            (F::Any(m), false) | (F::All(m), true) if m.len() == 1 => {
                if *budget == 0 {
                    return true;
                }
                *budget -= 1;
                goals.push((&m[0], negated));
            }
            (F::Any(m), false) | (F::All(m), true) => {
                return m.iter().any(|member| {
                    work::add(goals.len() + env.0.len());
                    let mut branch = goals.clone();
                    branch.push((member, negated));
                    search(branch, env.clone(), budget)
                })
            }
        }
    }
    true
}

/// A count of the steps that grow with the number of conditions a trigger has (goals and
/// slots copied for a branch, literals met on a slot), kept by each thread in tests: a
/// test tells linear work from pairwise work by it, without timing anything.
pub(crate) mod work {
    #[cfg(test)]
    thread_local! {
        static STEPS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// Counts `n` steps (in tests only).
    pub(crate) fn add(n: usize) {
        #[cfg(test)]
        STEPS.with(|s| s.set(s.get() + n));
        #[cfg(not(test))]
        let _ = n;
    }

    /// Runs `job` and returns what it returned with the steps it counted (none outside
    /// tests), leaving this thread's count as it was: work shared out between threads is
    /// added up on the thread that shared it out, where the tests read the count.
    pub(crate) fn counting<T>(job: impl FnOnce() -> T) -> (T, usize) {
        #[cfg(test)]
        {
            let before = STEPS.with(|s| s.replace(0));
            let out = job();
            (out, STEPS.with(|s| s.replace(before)))
        }
        #[cfg(not(test))]
        (job(), 0)
    }

    /// The steps this thread counted since the last call.
    #[cfg(test)]
    pub(crate) fn take() -> usize {
        STEPS.with(|s| s.replace(0))
    }
}

/// The env of a search: the slots the formula or the starting env constrain, each
/// narrowed from what they say. It borrows until two constraints meet on a slot, so that
/// a branch of an `any` copies the slots but no set; it is a map, since a trigger may
/// test hundreds of slots and a list would be searched for each of them.
#[derive(Clone, Default)]
struct Narrowed<'a>(BTreeMap<&'a Slot, Cow<'a, Set>>);

impl<'a> Narrowed<'a> {
    fn of(env: &'a Env) -> Narrowed<'a> {
        Narrowed(env.iter().map(|(s, v)| (s, Cow::Borrowed(v))).collect())
    }

    /// Narrows by `l` (by its negation when `negated`); false when the slot has no value
    /// left.
    fn constrain(&mut self, l: &'a Lit, negated: bool) -> bool {
        let set = if negated {
            Cow::Owned(l.set.complement(&l.slot))
        } else {
            Cow::Borrowed(&l.set)
        };
        match self.0.get_mut(&l.slot) {
            Some(have) => {
                let narrowed = have.intersect(&set);
                let ok = !narrowed.is_empty();
                *have = Cow::Owned(narrowed);
                ok
            }
            None => {
                let ok = !set.is_empty();
                self.0.insert(&l.slot, set);
                ok
            }
        }
    }
}

/// The first slot on which `lits` contradict each other, with the literals that do.
pub(crate) fn conflict<'a>(lits: &[&'a Lit]) -> Option<Vec<&'a Lit>> {
    let mut env = Env::new();
    for l in lits {
        if !constrain(&mut env, l) {
            return Some(lits.iter().filter(|o| o.slot == l.slot).copied().collect());
        }
    }
    None
}

/// The formula of one test.
fn test(t: &Test) -> F {
    let opaque = |slot: Option<Slot>| F::Opaque {
        key: test_key(t),
        slot,
        span: t.span,
    };
    let lit = |slot: Slot, set: Set| {
        F::Lit(Lit {
            set,
            slot,
            span: t.span,
        })
    };
    let slot = match &t.field {
        FieldRef::Known(f) if f.key == FieldKey::Tags => return tags(t),
        FieldRef::Known(f) => Slot::Field(f.key),
        FieldRef::Custom(id) => Slot::Custom(*id),
        FieldRef::OrganizationCustom(k) => Slot::OrgCustom(k.clone()),
        FieldRef::UserCustom(_) => return opaque(None),
    };
    let Some(value) = constraint(t, &slot) else {
        return opaque(Some(slot));
    };
    match t.op {
        // A change to a value leaves the field at that value (or, from one, away from
        // it): the literal is implied, the change itself stays opaque.
        Op::ChangedTo => F::All(vec![lit(slot.clone(), value), opaque(Some(slot))]),
        Op::ChangedFrom => F::All(vec![
            lit(slot.clone(), value.complement(&slot)),
            opaque(Some(slot)),
        ]),
        _ => lit(slot, value),
    }
}

/// `Tags includes a b` needs one of them; `Tags excludes a b` none of them.
fn tags(t: &Test) -> F {
    let Operand::Tags(tags) = &t.value else {
        return F::Opaque {
            key: test_key(t),
            slot: None,
            span: t.span,
        };
    };
    let lit = |tag: &String, v: V| {
        let slot = Slot::Tag(tag.to_lowercase());
        F::Lit(Lit {
            set: Set::only(&slot, [v]),
            slot,
            span: t.span,
        })
    };
    match t.op {
        Op::Excludes => F::All(tags.iter().map(|tag| lit(tag, V::Absent)).collect()),
        _ => F::Any(tags.iter().map(|tag| lit(tag, V::Present)).collect()),
    }
}

/// The set of values a non-delta test (or the value of a `changed to`/`changed from`)
/// allows; `None` when the model cannot say.
fn constraint(t: &Test, slot: &Slot) -> Option<Set> {
    let custom = matches!(slot, Slot::Custom(_) | Slot::OrgCustom(_));
    match t.op {
        Op::Present => Some(Set::all_but(slot, [V::Absent])),
        Op::NotPresent => Some(Set::only(slot, [V::Absent])),
        Op::Is if custom => custom_value(&t.value).map(|v| Set::only(slot, [v])),
        Op::IsNot if custom => custom_value(&t.value).map(|v| Set::all_but(slot, [v])),
        // Custom fields compare as text, number or option list: too many ways to model.
        _ if custom => None,
        Op::Is | Op::ChangedTo | Op::ChangedFrom => is_set(t, slot),
        Op::IsNot => is_set(t, slot).map(|s| s.complement(slot)),
        Op::Less | Op::LessOrEqual | Op::Greater | Op::GreaterOrEqual => ordered(t, slot),
        _ => None,
    }
}

/// The one value a custom field's `is VALUE` (or an action setting it) names, when the
/// engine's comparison is plain equality: `""` is no value, and a drop-down option's tag
/// (one lower-case word) is itself. Anything else may compare as a number, a boolean or a
/// set of options, where two spellings can be equal: the model leaves it aside.
fn custom_value(value: &Operand) -> Option<V> {
    let Operand::Text(s) = value else {
        return None;
    };
    let plain = !s.contains(char::is_whitespace)
        && s.to_lowercase() == *s
        && s.parse::<f64>().is_err()
        && !matches!(s.as_str(), "true" | "false");
    match s.as_str() {
        "" => Some(V::Absent),
        _ if plain => Some(V::Text(s.clone())),
        _ => None,
    }
}

/// The values `FIELD is VALUE` accepts.
fn is_set(t: &Test, slot: &Slot) -> Option<Set> {
    let FieldRef::Known(field) = &t.field else {
        return None;
    };
    let value = match (&t.value, field.domain) {
        (Operand::Enum(i), _) => return enum_is(field.key, *i, slot),
        // `None` (Zendesk's `-`, written `""`): no group, no assignee, no form.
        (Operand::Symbol(i), _) if is_none_symbol(&field.domain, *i) => V::Absent,
        // JSON `true` for an enumeration whose API value is `"true"` (`comment_is_public`).
        (Operand::Bool(b), Domain::Enum { values, .. }) => {
            let i = values.iter().position(|v| v.names.api == b.to_string())?;
            return enum_is(field.key, i, slot);
        }
        (Operand::Integer(n), _) => V::Int(*n),
        (Operand::Bool(b), _) => V::Int(i64::from(*b)),
        (Operand::Text(s), Domain::Text) => V::Text(s.to_lowercase()),
        _ => return None,
    };
    Some(Set::only(slot, [value]))
}

fn enum_is(key: FieldKey, i: usize, slot: &Slot) -> Option<Set> {
    let api = fields::get(key).domain.values().get(i)?.names.api;
    Some(match (key, api) {
        // Channels are open numbers: `Channel is Messaging` is `via_id is 75`.
        (FieldKey::Channel | FieldKey::UpdateVia, api) => {
            Set::only(slot, [V::Int(api.parse().ok()?)])
        }
        // Zendesk's editor calls it "Present (public or private)": the update has a
        // comment, of either kind.
        (FieldKey::CommentVisibility, "not_relevant") => Set::only(slot, [V::Enum(0), V::Enum(1)]),
        // The requester sees public comments only.
        (FieldKey::CommentVisibility, "requester_can_see_comment") => Set::only(slot, [V::Enum(0)]),
        _ => Set::only(slot, [V::Enum(i)]),
    })
}

/// Whether the symbolic value `i` of an id field is `None`, Zendesk's `-` (API `""`).
fn is_none_symbol(domain: &Domain, i: usize) -> bool {
    matches!(domain, Domain::Id { .. }) && symbol_api(domain, i) == Some("")
}

/// The API spelling of the symbolic value `i` of `domain`.
fn symbol_api(domain: &Domain, i: usize) -> Option<&'static str> {
    domain.values().get(i).map(|v| v.names.api)
}

/// The domain of the value an action takes, when it takes one.
fn action_domain(a: &Action) -> Option<&'static Domain> {
    match &a.target {
        ActionTarget::Known(k) => match &k.args {
            Args::Value(domain) => Some(domain),
            _ => None,
        },
        _ => None,
    }
}

/// `<`, `<=`, `>`, `>=` on an ordered enumeration: the positions on the right side.
fn ordered(t: &Test, slot: &Slot) -> Option<Set> {
    let (FieldRef::Known(field), Operand::Enum(i)) = (&t.field, &t.value) else {
        return None;
    };
    let Domain::Enum {
        values,
        ordered: true,
        ..
    } = field.domain
    else {
        return None;
    };
    // `__NULL__` comes last in the list but ranks with "none", the lowest.
    let rank = |j: usize| match values.get(j) {
        Some(v) if crate::catalog::values::is_empty_api(v.names.api) => 0,
        _ => j,
    };
    let i = &rank(*i);
    let keep = |j: usize| match t.op {
        Op::Less => rank(j) < *i,
        Op::LessOrEqual => rank(j) <= *i,
        Op::Greater => rank(j) > *i,
        _ => rank(j) >= *i,
    };
    Some(Set::only(
        slot,
        (0..values.len()).filter(|j| keep(*j)).map(V::Enum),
    ))
}

/// What a trigger's actions leave in the slots they write, applied in order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Effects {
    writes: BTreeMap<Slot, Set>,
    /// `Tags = ...` replaced every tag: a tag it did not name is gone.
    tags_reset: bool,
}

impl Effects {
    /// The effects of `actions`.
    pub(crate) fn of(actions: &[Action]) -> Effects {
        let mut e = Effects::default();
        for a in actions {
            e.apply(a);
        }
        e
    }

    /// Every slot written, with what it holds after the actions.
    pub(crate) fn writes(&self) -> impl Iterator<Item = (&Slot, &Set)> {
        self.writes.iter()
    }

    /// Every slot written, for listings (a reset of the tags shows as the tags it set).
    pub(crate) fn written(&self) -> impl Iterator<Item = &Slot> {
        self.writes.keys()
    }

    /// What is known of a ticket meeting `env` once the actions applied.
    pub(crate) fn apply_to(&self, env: &Env) -> Env {
        let mut out = env.clone();
        if self.tags_reset {
            for (slot, set) in out.iter_mut() {
                if matches!(slot, Slot::Tag(_)) {
                    *set = Set::only(slot, [V::Absent]);
                }
            }
        }
        for (slot, set) in &self.writes {
            out.insert(slot.clone(), set.clone());
        }
        out
    }

    /// Whether the actions replace every tag.
    pub(crate) fn resets_tags(&self) -> bool {
        self.tags_reset
    }

    /// Whether `l` holds after the actions.
    pub(crate) fn decide(&self, l: &Lit) -> Tri {
        let reset;
        let after = match self.writes.get(&l.slot) {
            Some(set) => set,
            None if self.tags_reset && matches!(l.slot, Slot::Tag(_)) => {
                reset = Set::only(&l.slot, [V::Absent]);
                &reset
            }
            None => return Tri::Unknown,
        };
        if after.intersect(&l.set).is_empty() {
            Tri::False
        } else if after.subset(&l.set) {
            Tri::True
        } else {
            Tri::Unknown
        }
    }

    fn set(&mut self, slot: Slot, values: impl IntoIterator<Item = V>) {
        let set = Set::only(&slot, values);
        self.writes.insert(slot, set);
    }

    fn unknown(&mut self, slot: Slot) {
        let set = Set::any(&slot);
        self.writes.insert(slot, set);
    }

    fn apply(&mut self, a: &Action) {
        let key = match &a.target {
            ActionTarget::CustomField(id) => return self.custom(*id, &a.value),
            ActionTarget::Known(k) => k.key,
            // A Zendesk action kept as the API wrote it: what it writes is not known.
            ActionTarget::Zendesk(_) => return,
        };
        let field = |k| Slot::Field(k);
        match (key, &a.value) {
            (ActionKey::Status, Operand::Enum(i)) => {
                // Closed counts as Solved in the status category.
                self.set(field(FieldKey::StatusCategory), [V::Enum((*i).min(4))]);
                self.set(field(FieldKey::Status), [V::Enum(*i)]);
            }
            (ActionKey::Priority, Operand::Enum(i)) => {
                self.set(field(FieldKey::Priority), [V::Enum(*i)])
            }
            (ActionKey::TicketType, Operand::Enum(i)) => {
                self.set(field(FieldKey::TicketType), [V::Enum(*i)])
            }
            (ActionKey::RoutingChannel, Operand::Enum(i)) => {
                self.set(field(FieldKey::RoutingChannel), [V::Enum(*i)])
            }
            (ActionKey::Group, Operand::Integer(n)) => {
                self.set(field(FieldKey::Group), [V::Int(*n)])
            }
            (ActionKey::Form, Operand::Integer(n)) => self.set(field(FieldKey::Form), [V::Int(*n)]),
            (ActionKey::Brand, Operand::Integer(n)) => {
                self.set(field(FieldKey::Brand), [V::Int(*n)])
            }
            (ActionKey::Assignee, Operand::Integer(n)) => {
                self.set(field(FieldKey::Assignee), [V::Int(*n)])
            }
            // Unassigned, no group: `Assignee = None`, or `""` as the API writes it.
            (ActionKey::Assignee | ActionKey::Group, v) if clears(a, v) => {
                let key = match key {
                    ActionKey::Group => FieldKey::Group,
                    _ => FieldKey::Assignee,
                };
                self.set(field(key), [V::Absent])
            }
            // The current user or the requester: someone, or nobody when unknown.
            (ActionKey::Assignee, _) => self.unknown(field(FieldKey::Assignee)),
            (ActionKey::Group, _) => self.unknown(field(FieldKey::Group)),
            (ActionKey::SetSchedule, _) => self.unknown(field(FieldKey::WithinSchedule)),
            // A rated ticket keeps its rating; an unrated one becomes Offered.
            (ActionKey::Satisfaction, _) => {
                let slot = field(FieldKey::Satisfaction);
                let set = Set::all_but(&slot, [V::Enum(0)]);
                self.writes.insert(slot, set);
            }
            // Delivered or not depends on the ticket: the satisfaction may change.
            (ActionKey::SendCsat | ActionKey::SendCsatByEmail, _) => {
                self.unknown(field(FieldKey::Satisfaction))
            }
            (ActionKey::EndSession, _) => self.end_session(),
            (ActionKey::SetTags, Operand::Tags(tags)) => {
                self.writes.retain(|slot, _| !matches!(slot, Slot::Tag(_)));
                self.tags_reset = true;
                self.tags(tags, V::Present);
            }
            (ActionKey::AddTags, Operand::Tags(tags)) => self.tags(tags, V::Present),
            (ActionKey::RemoveTags, Operand::Tags(tags)) => self.tags(tags, V::Absent),
            _ => {}
        }
    }

    fn tags(&mut self, tags: &[String], v: V) {
        for tag in tags {
            self.set(Slot::Tag(tag.to_lowercase()), [v.clone()]);
        }
    }

    fn custom(&mut self, id: u64, value: &Operand) {
        let slot = Slot::Custom(id);
        match (custom_value(value), value) {
            (Some(v), _) => self.set(slot, [v]),
            (None, Operand::Text(_)) => {
                let set = Set::all_but(&slot, [V::Absent]);
                self.writes.insert(slot, set);
            }
            (None, Operand::None) => self.set(slot, [V::Absent]),
            _ => self.unknown(slot),
        }
    }

    /// What is known of the ticket: an assignment to the current user gives the ticket
    /// an assignee when the conditions let only agents make the update (an end user is
    /// never assigned).
    pub(crate) fn given(mut self, actions: &[Action], env: &Env) -> Effects {
        let agent = value_named(FieldKey::CurrentUserRole, "end_user").is_some_and(|end_user| {
            let slot = Slot::Field(FieldKey::CurrentUserRole);
            env.get(&slot)
                .is_some_and(|s| s.intersect(&Set::only(&slot, [end_user])).is_empty())
        });
        let assigns_current_user = actions.iter().any(|a| match (&a.target, &a.value) {
            (ActionTarget::Known(k), Operand::Symbol(i)) if k.key == ActionKey::Assignee => {
                action_domain(a).and_then(|d| symbol_api(d, *i)) == Some("current_user")
            }
            _ => false,
        });
        let slot = Slot::Field(FieldKey::Assignee);
        // Only when the assignment is the last word on the assignee.
        let last = self.writes.get(&slot) == Some(&Set::any(&slot));
        if agent && assigns_current_user && last {
            let set = Set::all_but(&slot, [V::Absent]);
            self.writes.insert(slot, set);
        }
        self
    }

    /// The session ends (one is made if there was none), by this trigger unless it had
    /// ended already; the routing channel becomes Email only when it ends now.
    fn end_session(&mut self) {
        let ended = value_named(FieldKey::SessionState, "ended");
        self.set(Slot::Field(FieldKey::SessionState), ended);
        self.set(
            Slot::Field(FieldKey::SessionEndReason),
            [V::Enum(0), V::Enum(1)],
        );
        self.unknown(Slot::Field(FieldKey::RoutingChannel));
    }
}

/// Whether action `a` sets its id field to nothing: `None`, or `""` as the API writes it.
fn clears(a: &Action, value: &Operand) -> bool {
    match value {
        Operand::None => true,
        Operand::Text(s) => s.is_empty(),
        Operand::Symbol(i) => action_domain(a).is_some_and(|d| is_none_symbol(d, *i)),
        _ => false,
    }
}

/// The value of `key` whose API name is `api`, by index.
pub(crate) fn value_named(key: FieldKey, api: &str) -> Option<V> {
    fields::get(key)
        .domain
        .values()
        .iter()
        .position(|v| v.names.api == api)
        .map(V::Enum)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn narrowing_in_place_is_the_intersection() {
        let ids = |xs: &[i64]| xs.iter().map(|&x| V::Int(x)).collect::<BTreeSet<_>>();
        let sets = [
            Set::Only(ids(&[1, 2, 3])),
            Set::Only(ids(&[])),
            Set::AllBut(ids(&[2])),
            Set::AllBut(ids(&[3, 4])),
            Set::Bits(0b1010),
            Set::Bits(0b0110),
        ];
        for a in &sets {
            for b in &sets {
                if matches!(a, Set::Bits(_)) != matches!(b, Set::Bits(_)) {
                    continue; // a slot's sets always take the same form
                }
                let mut narrowed = a.clone();
                narrowed.narrow(b);
                assert_eq!(narrowed, a.intersect(b), "{a:?} ∩ {b:?}");
            }
        }
    }

    fn formula(when: &str) -> F {
        let text =
            format!("trigger \"t\" {{\n when all {{\n{when}\n}}\n then {{ Tags += x }}\n}}\n");
        let checked = crate::check(&[crate::Source::new("t.declic", text)]);
        let rules = checked.into_result().expect("checks");
        F::of(&rules.triggers[0].conditions)
    }

    fn sat(when: &str) -> bool {
        satisfiable(&formula(when), &Env::new())
    }

    #[test]
    fn contradictions_are_found() {
        assert!(!sat("Status is Open\nStatus is Solved"));
        assert!(!sat("Tags includes vip\nTags excludes vip"));
        assert!(!sat("Status < New"));
        assert!(!sat("Status changed to Solved\nStatus is Open"));
        assert!(!sat(
            "any {\nStatus is Open\nStatus is Pending\n}\nStatus is Solved"
        ));
        assert!(!sat("custom_fields_1 is a\ncustom_fields_1 is b"));
        assert!(!sat("Group is None\nGroup is 4"));
    }

    #[test]
    fn satisfiable_conditions_are_not() {
        assert!(sat("Status is Open\nPriority is High"));
        assert!(sat("Tags includes vip gold\nTags excludes vip"));
        assert!(sat("Status changed from Open\nStatus is Solved"));
        assert!(sat("Group is 1\nGroup is not 2"));
        assert!(sat(
            "Subject contains \"a\"\nSubject does not contain \"b\""
        ));
        assert!(sat(
            "not {\nStatus is Open\nPriority is High\n}\nStatus is Open"
        ));
        // "Present (public or private)": an update without a comment does not meet it.
        assert!(sat("Comment is not \"Not relevant\""));
        // A number field holds 1 whichever way it is written.
        assert!(sat("custom_fields_1 is 1\ncustom_fields_1 is \"1.0\""));
        assert!(sat("custom_fields_1 is a\ncustom_fields_1 is not b"));
        assert!(sat("Group is None\nGroup is not 4"));
    }

    #[test]
    fn negation_flips_literals() {
        assert!(!sat("not {\nStatus is Open\n}\nStatus is Open"));
        assert!(!sat("not {\nTags includes a\n}\nTags includes a"));
    }

    #[test]
    fn effects_decide_literals() {
        let f = formula("Tags excludes done\nStatus is Open");
        let rules = crate::check(&[crate::Source::new(
            "a.declic",
            "trigger \"a\" {\n when all { Status is New }\n then {\n Tags += done\n Status = Solved\n }\n}\n",
        )])
        .into_result()
        .expect("checks");
        let e = Effects::of(&rules.triggers[0].actions);
        assert_eq!(f.after(&e), Tri::False);
        assert_eq!(formula("Status category is Solved").after(&e), Tri::True);
        assert_eq!(formula("Priority is High").after(&e), Tri::Unknown);
    }

    /// A condition of a few tests, nested in `any` and `not` groups.
    fn condition() -> impl Strategy<Value = String> {
        let leaf = prop::sample::select(vec![
            "Status is Open",
            "Status is Solved",
            "Status < Solved",
            "Status changed to Solved",
            "Priority is High",
            "Tags includes x",
            "Tags excludes x",
            "Tags includes x y",
            "Group is 1",
            "Group is not 1",
            "Channel is Email",
            "Subject contains \"a\"",
        ])
        .prop_map(str::to_owned);
        leaf.prop_recursive(3, 16, 3, |inner| {
            (
                prop::sample::select(vec!["any", "not"]),
                prop::collection::vec(inner, 1..4),
            )
                .prop_map(|(group, members)| format!("{group} {{\n{}\n}}", members.join("\n")))
        })
    }

    /// weak_points written as unions of sets, as it reads in words.
    fn weak_points_by_sets(f: &F) -> BTreeSet<&Slot> {
        match f {
            F::Lit(l) => BTreeSet::from([&l.slot]),
            F::Opaque { .. } => BTreeSet::new(),
            F::All(m) => m.iter().flat_map(weak_points_by_sets).collect(),
            F::Any(m) => {
                let weak: Vec<BTreeSet<&Slot>> = m.iter().map(weak_points_by_sets).collect();
                if weak.iter().any(BTreeSet::is_empty) {
                    return BTreeSet::new();
                }
                weak.into_iter().flatten().collect()
            }
        }
    }

    proptest! {
        #[test]
        fn weak_points_are_the_slots_whose_change_can_fail_the_formula(members in prop::collection::vec(condition(), 1..4)) {
            let f = formula(&members.join("\n"));
            prop_assert_eq!(f.weak_points(), weak_points_by_sets(&f).into_iter().collect::<Vec<_>>());
        }

        #[test]
        fn refuting_searches_the_negation(members in prop::collection::vec(condition(), 1..4)) {
            let f = formula(&members.join("\n"));
            let negation = f.clone().negate();
            prop_assert_eq!(refutable(&f), satisfiable(&negation, &Env::new()));
            prop_assert_eq!(refutable(&negation), satisfiable(&f, &Env::new()));
        }
    }

    /// `Tags includes tI` for each of `n` tags, and one contradiction at the end.
    fn many_tags(n: usize, contradiction: bool) -> String {
        let mut when: String = (0..n).map(|i| format!("Tags includes t{i}\n")).collect();
        if contradiction {
            when.push_str("Tags excludes t0\n");
        }
        when
    }

    /// Whether `steps(400)` stays within what linear growth from `steps(100)` allows:
    /// pairwise work grows sixteen times.
    pub(crate) fn grows_linearly(steps: impl Fn(usize) -> usize) {
        let (small, large) = (steps(100), steps(400));
        assert!(large <= 5 * small + 400, "100: {small} steps, 400: {large}");
    }

    #[test]
    fn a_search_through_many_single_tags_does_linear_work() {
        for contradiction in [false, true] {
            grows_linearly(|n| {
                let f = formula(&many_tags(n, contradiction));
                work::take();
                assert_eq!(satisfiable(&f, &Env::new()), !contradiction);
                assert!(refutable(&f));
                work::take()
            });
        }
        // A real choice still costs a copy per branch, which the count sees.
        let f = formula("any {\nStatus is Open\nStatus is New\n}\nStatus is Solved");
        work::take();
        assert!(!satisfiable(&f, &Env::new()));
        assert!(work::take() > 0);
    }

    #[test]
    fn a_hostile_any_chain_stays_bounded() {
        // The contradiction comes first, so a naive search would try 2^40 branches
        // before reaching it; the budget gives up and assumes the formula can hold.
        let members: String = (0..40)
            .map(|i| format!("any {{\nTags includes a{i}\nTags includes b{i}\n}}\n"))
            .collect();
        let started = std::time::Instant::now();
        assert!(sat(&format!("Status is Open\nStatus is Solved\n{members}")));
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
}
