//! Zendesk's logic is narrower than declic's: one `all` list (every condition holds) and
//! one `any` list (at least one holds, when it has any). declic nests `all`, `any` and
//! `not` freely. Export rewrites a tree into the two lists when an equivalent form exists:
//! `not` is pushed down to the tests (De Morgan) and turned into the opposite operator,
//! nested groups of one kind are merged, and a lone `any` group becomes the any-list. What
//! has no such form (two `any` groups, an `all` group inside an `any`) is refused.

use crate::catalog::fields::FieldRef;
use crate::catalog::{Domain, Op};
use crate::check::rules::{Condition, Passthrough, Test};
use crate::model::HoursTest;

/// Deeper trees than this are refused rather than walked (the checker stops far earlier).
const MAX_DEPTH: usize = 64;

/// A condition tree in Zendesk's form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TwoLists {
    /// Every one must hold.
    pub all: Vec<Leaf>,
    /// At least one must hold, when there are any.
    pub any: Vec<Leaf>,
}

/// A member of Zendesk's lists: a test, or a passthrough.
#[derive(Debug, Clone, PartialEq)]
pub enum Leaf {
    /// A resolved test.
    Test(Test),
    /// A condition kept as Zendesk wrote it.
    Zendesk(Passthrough),
    /// An automation's time condition.
    Hours(HoursTest),
}

/// Why a condition tree has no Zendesk form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Inexpressible {
    /// `not` of a test whose operator has no opposite for its field.
    #[error("`not` of `{field} {op}`, which has no opposite operator in Zendesk")]
    NoOpposite {
        /// The API field.
        field: String,
        /// The API operator.
        op: String,
    },
    /// Two `any` groups of several conditions each: their conjunction is no single list.
    #[error("two `any` groups of several conditions each; Zendesk has one any-list")]
    TwoAnyGroups,
    /// An `all` group of several conditions inside an `any` group.
    #[error("an `all` group of several conditions inside an `any` group")]
    AllInsideAny,
    /// An empty `any` group never holds; Zendesk ignores an empty any-list instead.
    #[error("an empty `any` group, which never holds")]
    EmptyAny,
    /// An empty `all` group inside an `any` group always holds.
    #[error("an empty group inside an `any` group, which always holds")]
    EmptyAll,
    /// The tree nests deeper than declic walks.
    #[error("conditions nested deeper than {MAX_DEPTH} levels")]
    TooDeep,
}

/// The Zendesk form of `conditions`, if there is one.
pub fn two_lists(conditions: &Condition) -> Result<TwoLists, Inexpressible> {
    let nnf = flatten(nnf(conditions, false, 0)?);
    match nnf {
        Nnf::Leaf(leaf) => Ok(TwoLists {
            all: vec![leaf],
            any: Vec::new(),
        }),
        Nnf::Or(members) => Ok(TwoLists {
            all: Vec::new(),
            any: leaves(members)?,
        }),
        Nnf::And(members) => split(members),
    }
}

/// The test that holds exactly when `t` does not, when its field allows that operator.
pub fn opposite(t: &Test) -> Option<Test> {
    let op = match t.op {
        Op::Is => Op::IsNot,
        Op::IsNot => Op::Is,
        Op::Includes => Op::Excludes,
        Op::Excludes => Op::Includes,
        Op::Contains => Op::NotContains,
        Op::NotContains => Op::Contains,
        Op::Present => Op::NotPresent,
        Op::NotPresent => Op::Present,
        Op::Changed => Op::NotChanged,
        Op::NotChanged => Op::Changed,
        Op::ChangedTo => Op::NotChangedTo,
        Op::NotChangedTo => Op::ChangedTo,
        Op::ChangedFrom => Op::NotChangedFrom,
        Op::NotChangedFrom => Op::ChangedFrom,
        // `<` and `>=` split every ticket in two only where every ticket has a value in
        // the order: statuses, priorities (none is lowest), satisfaction. Hours since a
        // status the ticket never had hold neither.
        Op::Less | Op::GreaterOrEqual | Op::Greater | Op::LessOrEqual
            if !always_ordered(&t.field) =>
        {
            return None
        }
        Op::Less => Op::GreaterOrEqual,
        Op::GreaterOrEqual => Op::Less,
        Op::Greater => Op::LessOrEqual,
        Op::LessOrEqual => Op::Greater,
    };
    t.field
        .ops()
        .contains(&op)
        .then(|| Test { op, ..t.clone() })
}

fn always_ordered(field: &FieldRef) -> bool {
    matches!(
        field,
        FieldRef::Known(f) if matches!(f.domain, Domain::Enum { ordered: true, .. })
    )
}

/// A tree with `not` pushed down to the tests.
#[derive(Debug, Clone, PartialEq)]
enum Nnf {
    And(Vec<Nnf>),
    Or(Vec<Nnf>),
    Leaf(Leaf),
}

fn nnf(c: &Condition, negate: bool, depth: usize) -> Result<Nnf, Inexpressible> {
    if depth > MAX_DEPTH {
        return Err(Inexpressible::TooDeep);
    }
    let each = |members: &[Condition], negate: bool| -> Result<Vec<Nnf>, Inexpressible> {
        members.iter().map(|m| nnf(m, negate, depth + 1)).collect()
    };
    Ok(match (c, negate) {
        (Condition::All(m), false) | (Condition::Any(m), true) => Nnf::And(each(m, negate)?),
        (Condition::Any(m), false) | (Condition::All(m), true) => Nnf::Or(each(m, negate)?),
        // `not` holds when not every member holds: when some member fails.
        (Condition::Not(m), false) => Nnf::Or(each(m, true)?),
        (Condition::Not(m), true) => Nnf::And(each(m, false)?),
        (Condition::Test(t), false) => Nnf::Leaf(Leaf::Test(t.clone())),
        (Condition::Zendesk(p), false) => Nnf::Leaf(Leaf::Zendesk(p.clone())),
        (Condition::Hours { test, .. }, false) => Nnf::Leaf(Leaf::Hours(*test)),
        (Condition::Hours { test, .. }, true) => {
            return Err(Inexpressible::NoOpposite {
                field: test.moment.api().to_owned(),
                op: test.api_operator().to_owned(),
            })
        }
        (Condition::Test(t), true) => match opposite(t) {
            Some(o) => Nnf::Leaf(Leaf::Test(o)),
            None => {
                return Err(Inexpressible::NoOpposite {
                    field: t.field.api(),
                    op: t.field.op_api(t.op).to_string(),
                })
            }
        },
        (Condition::Zendesk(p), true) => {
            return Err(Inexpressible::NoOpposite {
                field: p.field().to_string(),
                op: p
                    .json
                    .get("operator")
                    .and_then(serde_json::Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            })
        }
    })
}

/// Merges groups into parents of their kind, and drops the group around one member of an
/// `all`, and around one `all` (an `any` of one test stays, to be the any-list it was
/// written as).
fn flatten(n: Nnf) -> Nnf {
    match n {
        Nnf::And(members) => {
            let mut out = merged(members, true);
            if out.len() == 1 && !matches!(out[0], Nnf::Or(_)) {
                return out.remove(0);
            }
            Nnf::And(out)
        }
        Nnf::Or(members) => {
            let mut out = merged(members, false);
            // An `any` of one `all` is that `all` (`not { any { a b } }`).
            if out.len() == 1 && matches!(out[0], Nnf::And(_)) {
                return out.remove(0);
            }
            Nnf::Or(out)
        }
        leaf => leaf,
    }
}

/// The flattened members of an `all` (`and`) or an `any`, groups of the same kind merged.
fn merged(members: Vec<Nnf>, and: bool) -> Vec<Nnf> {
    let mut out = Vec::new();
    for m in members.into_iter().map(flatten) {
        match m {
            Nnf::And(inner) if and => out.extend(inner),
            Nnf::Or(inner) if !and => out.extend(inner),
            other => out.push(other),
        }
    }
    out
}

/// The members of an `any`: tests only.
fn leaves(members: Vec<Nnf>) -> Result<Vec<Leaf>, Inexpressible> {
    if members.is_empty() {
        return Err(Inexpressible::EmptyAny);
    }
    members
        .into_iter()
        .map(|m| match m {
            Nnf::Leaf(leaf) => Ok(leaf),
            Nnf::And(inner) if inner.is_empty() => Err(Inexpressible::EmptyAll),
            Nnf::And(_) => Err(Inexpressible::AllInsideAny),
            // Flattening merged nested `any` groups; an empty one is left.
            Nnf::Or(_) => Err(Inexpressible::EmptyAny),
        })
        .collect()
}

/// An `all` of tests and `any` groups: the tests and the one `any` group (of several
/// members, or the only one) make the two lists; an `any` of one member among others
/// is that member, in place.
fn split(members: Vec<Nnf>) -> Result<TwoLists, Inexpressible> {
    let groups: Vec<usize> = members
        .iter()
        .filter_map(|m| match m {
            Nnf::Or(inner) => Some(inner.len()),
            _ => None,
        })
        .collect();
    if groups.iter().filter(|len| **len > 1).count() > 1 {
        return Err(Inexpressible::TwoAnyGroups);
    }
    let inline_single = groups.len() > 1;
    let mut lists = TwoLists::default();
    for m in members {
        match m {
            Nnf::Leaf(leaf) => lists.all.push(leaf),
            Nnf::Or(inner) if inline_single && inner.len() == 1 => {
                lists.all.extend(leaves(inner)?);
            }
            Nnf::Or(inner) => lists.any = leaves(inner)?,
            // Flattening merged nested `all` groups into this one.
            Nnf::And(_) => unreachable!("flatten merges an `all` into its parent `all`"),
        }
    }
    Ok(lists)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::fields::{self, FieldKey};
    use crate::check::rules::Operand;
    use crate::diagnostics::Span;

    fn test(key: FieldKey, op: Op, value: Operand) -> Condition {
        Condition::Test(Test {
            field: FieldRef::Known(fields::get(key)),
            op,
            value,
            lang: crate::catalog::Lang::En,
            span: Span::default(),
        })
    }

    fn a() -> Condition {
        test(FieldKey::Status, Op::Is, Operand::Enum(1))
    }
    fn b() -> Condition {
        test(FieldKey::Priority, Op::Less, Operand::Enum(3))
    }
    fn c() -> Condition {
        test(
            FieldKey::Tags,
            Op::Includes,
            Operand::Tags(vec!["vip".into()]),
        )
    }
    fn d() -> Condition {
        test(FieldKey::Assignee, Op::Changed, Operand::None)
    }
    fn not(c: Condition) -> Condition {
        let Condition::Test(t) = c else { panic!() };
        Condition::Test(opposite(&t).expect("an opposite"))
    }

    fn leaves(conditions: Vec<Condition>) -> Vec<Leaf> {
        conditions
            .into_iter()
            .map(|c| match c {
                Condition::Test(t) => Leaf::Test(t),
                other => panic!("not a test: {other:?}"),
            })
            .collect()
    }

    #[test]
    fn the_two_list_form_exports_as_written() {
        let tree = Condition::All(vec![a(), b(), Condition::Any(vec![c()])]);
        let lists = two_lists(&tree).unwrap();
        assert_eq!(lists.all, leaves(vec![a(), b()]));
        assert_eq!(
            lists.any,
            leaves(vec![c()]),
            "an any of one stays the any-list"
        );
        let any_only = two_lists(&Condition::Any(vec![c(), d()])).unwrap();
        assert_eq!((any_only.all.len(), any_only.any.len()), (0, 2));
    }

    #[test]
    fn not_becomes_the_opposite_operator_by_de_morgan() {
        let tree = Condition::All(vec![a(), Condition::Not(vec![b(), c()])]);
        let lists = two_lists(&tree).unwrap();
        assert_eq!(lists.all, leaves(vec![a()]));
        assert_eq!(lists.any, leaves(vec![not(b()), not(c())]));
        let not_any = Condition::Not(vec![Condition::Any(vec![a(), d()])]);
        let lists = two_lists(&not_any).unwrap();
        assert_eq!(lists.all, leaves(vec![not(a()), not(d())]));
    }

    #[test]
    fn nested_groups_of_one_kind_merge() {
        let tree = Condition::All(vec![
            Condition::All(vec![a()]),
            Condition::Any(vec![b(), Condition::Any(vec![c(), d()])]),
        ]);
        let lists = two_lists(&tree).unwrap();
        assert_eq!(lists.all, leaves(vec![a()]));
        assert_eq!(lists.any, leaves(vec![b(), c(), d()]));
        let singles = Condition::All(vec![
            Condition::Any(vec![a()]),
            Condition::Any(vec![b(), c()]),
            Condition::Any(vec![d()]),
        ]);
        let lists = two_lists(&singles).unwrap();
        assert_eq!(lists.all, leaves(vec![a(), d()]));
        assert_eq!(lists.any, leaves(vec![b(), c()]));
    }

    #[test]
    fn what_zendesk_cannot_say_is_refused() {
        let two = Condition::All(vec![
            Condition::Any(vec![a(), b()]),
            Condition::Any(vec![c(), d()]),
        ]);
        assert_eq!(two_lists(&two), Err(Inexpressible::TwoAnyGroups));
        let inside = Condition::Any(vec![a(), Condition::All(vec![b(), c()])]);
        assert_eq!(two_lists(&inside), Err(Inexpressible::AllInsideAny));
        let hours = Condition::Hours {
            test: crate::model::HoursTest {
                moment: crate::model::Moment::Solved,
                op: crate::model::HoursOp::GreaterThan,
                business: false,
                hours: 4,
            },
            lang: crate::catalog::Lang::En,
            span: crate::diagnostics::Span::default(),
        };
        let err = two_lists(&Condition::Not(vec![hours])).unwrap_err();
        assert!(err.to_string().contains("SOLVED greater_than"), "{err}");
        let empty = Condition::All(vec![a(), Condition::Any(vec![])]);
        assert_eq!(two_lists(&empty), Err(Inexpressible::EmptyAny));
    }
}
