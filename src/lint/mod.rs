//! Lints: rules that check cleanly but will not do what their author meant. Each lint
//! has a stable [`Code`], a default [`Level`] that `declic.toml` may change
//! ([`Config`]), and can be allowed on one trigger with a comment
//! (`# declic-allow: no_nullifying_condition`, see [`allow::DIRECTIVE`]).
//!
//! ```
//! use declic::lint::{self, Config, Known};
//!
//! let rules = declic::check(&[declic::Source::new("a.declic", r#"
//! trigger "Escalate" {
//!   when all { Priority is Urgent }
//!   then { Group = 42 }
//! }
//! "#)]).into_result().expect("the rules check");
//! let found = lint::lint(&rules, &Config::default(), &Known::default());
//! assert_eq!(found[0].code, declic::Code::NoNullifyingCondition);
//! ```
//!
//! The lints reason on a model of conditions and actions (`logic.rs`) that only reports
//! what it can prove; each family lives in its own file.

mod actions;
pub mod allow;
mod cache;
mod conditions;
pub mod config;
pub(crate) mod logic;
mod messaging;
mod nullifying;
mod ping_pong;
mod queue;
pub mod references;
mod triggers;

use rayon::prelude::*;
use std::collections::HashSet;

pub use cache::Cache;
pub use config::{Config, Level};
pub use references::Known;

use crate::check::rules::Trigger;
use crate::check::RuleSet;
use crate::diagnostics::{Code, Diagnostic};
use logic::{Effects, Env, F};

/// One lint: its code and the level it reports at unless configured.
#[derive(Debug, Clone, Copy)]
pub struct Lint {
    /// Its stable code; `declic.toml` and suppressions name it without `declic::`.
    pub code: Code,
    /// Its level when `declic.toml` does not set one.
    pub default: Level,
}

const fn lint_(code: Code, default: Level) -> Lint {
    Lint { code, default }
}

/// Every lint, in the order the README lists them. Only a reference to an id the account
/// lacks is an error by default: Zendesk would refuse the trigger. The others describe
/// rules Zendesk accepts and runs, so they warn.
pub static LINTS: &[Lint] = &[
    lint_(Code::NoNullifyingCondition, Level::Warning),
    lint_(Code::UnsatisfiableConditions, Level::Warning),
    lint_(Code::AlwaysTrueCondition, Level::Warning),
    lint_(Code::RedundantCondition, Level::Warning),
    lint_(Code::DuplicateTrigger, Level::Warning),
    lint_(Code::ShadowedTrigger, Level::Warning),
    lint_(Code::ConflictingActions, Level::Warning),
    lint_(Code::PingPong, Level::Warning),
    lint_(Code::MessagingTriggerOnEndedSession, Level::Warning),
    lint_(Code::CsatWithoutEmailFallback, Level::Warning),
    lint_(Code::NeverRouted, Level::Warning),
    lint_(Code::EndSessionWithoutMessagingCondition, Level::Warning),
    lint_(Code::UnknownReference, Level::Error),
    lint_(Code::UnreachableQueue, Level::Warning),
    lint_(Code::QueueNeverMatches, Level::Warning),
];

/// Runs every lint that `config` does not turn off on `rules`; `known` holds the
/// account's ids, when there is account metadata. Findings on a trigger that allows
/// their lint are left out; a suppression naming no lint is reported.
///
/// Triggers and automations are linted each among their own kind: an automation runs
/// each hour, after the automations before it, never within a trigger cycle.
pub fn lint(rules: &RuleSet, config: &Config, known: &Known) -> Vec<Diagnostic> {
    lint_with(rules, config, known, None)
}

/// [`lint`], taking from `cache` what each trigger whose text did not change gave last
/// time (see [`Cache`]).
fn lint_with(
    rules: &RuleSet,
    config: &Config,
    known: &Known,
    mut cache: Option<&mut cache::Store>,
) -> Vec<Diagnostic> {
    let mut out = lint_kind(rules, config, known, cache.as_deref_mut());
    if !rules.automations.is_empty() {
        let automations = RuleSet {
            triggers: rules.automations.clone(),
            ..RuleSet::default()
        };
        out.extend(lint_kind(&automations, config, known, cache));
    }
    // Queues take no suppression comment: their findings take the configured level only.
    for diagnostic in queue::check(rules) {
        if let Some(severity) = config.level(diagnostic.code).severity() {
            out.push(Diagnostic {
                severity,
                ..diagnostic
            });
        }
    }
    // Files in rule-set order (their names sort that way), top to bottom in each.
    fn place(d: &Diagnostic) -> (Option<&String>, Option<usize>) {
        (d.file.as_ref(), d.labels.first().map(|l| l.span.start))
    }
    out.sort_by(|a, b| place(a).cmp(&place(b)));
    out
}

/// A family of lints, in the order their findings come out.
#[derive(Clone, Copy)]
enum Family {
    /// What it finds on one trigger, alone: what a trigger whose text did not change
    /// gave last time still holds.
    Each(fn(&Cx<'_>, usize, &mut Vec<Finding>)),
    /// What it finds between the triggers of the rule set.
    Whole(fn(&Cx<'_>, &mut Vec<Finding>)),
}

/// Every family of trigger lints, in the order their findings come out.
const FAMILIES: [Family; 8] = [
    Family::Each(nullifying::check),
    Family::Each(conditions::check),
    Family::Whole(triggers::check),
    Family::Each(actions::check),
    Family::Whole(ping_pong::check),
    Family::Each(messaging::check),
    Family::Whole(messaging::csat_fallback),
    Family::Each(references::check),
];

/// What the per-trigger families found on one trigger: each finding with its family's
/// place in [`FAMILIES`].
pub(crate) type Found = Vec<(usize, Diagnostic)>;

/// Every lint over the rules of one kind, the rules of `rules.triggers`; with `cache`,
/// the model and per-trigger findings of a trigger seen last time are taken from it.
fn lint_kind(
    rules: &RuleSet,
    config: &Config,
    known: &Known,
    mut cache: Option<&mut cache::Store>,
) -> Vec<Diagnostic> {
    let mut kept = match &mut cache {
        Some(store) => store.take(rules),
        None => Vec::new(),
    };
    kept.resize_with(rules.triggers.len(), || None);
    // Each trigger's model and findings on its own are independent of the others': they
    // are built on every core.
    let (facts, found): (Vec<Facts>, Vec<Option<Found>>) = rules
        .triggers
        .par_iter()
        .zip(kept)
        .map(|(t, kept)| match kept {
            Some(kept) => {
                let (facts, found) = kept.moved_to(t);
                (facts, Some(found))
            }
            None => (Facts::of(t), None),
        })
        .unzip();
    let cx = Cx::with(rules, facts, known);
    // The findings on each trigger alone and the families between triggers read the rules
    // and write nothing else: they run side by side, so that the cores share out the
    // families' long searches with the many short ones. The findings come out in the
    // families' order whatever order they finish in.
    let (found, mut whole): (Vec<Found>, Vec<Vec<Finding>>) = rayon::join(
        || {
            found
                .into_par_iter()
                .enumerate()
                .map(|(i, found)| found.unwrap_or_else(|| each(&cx, i)))
                .collect()
        },
        || {
            FAMILIES
                .par_iter()
                .map(|family| between(&cx, family))
                .collect()
        },
    );
    let mut findings = Vec::new();
    for (k, family) in FAMILIES.iter().enumerate() {
        match family {
            Family::Each(_) => {
                for (i, found) in found.iter().enumerate() {
                    findings.extend(found.iter().filter(|(f, _)| *f == k).map(|(_, d)| Finding {
                        trigger: i,
                        diagnostic: d.clone(),
                    }));
                }
            }
            Family::Whole(_) => findings.append(&mut whole[k]),
        }
    }
    match cache {
        Some(store) => store.keep(rules, cx.facts, found),
        // Each trigger's model is dropped in parallel, as it was built: one by one, on the
        // thread the cores then wait on, it cost as much as building them.
        None => cx.facts.into_par_iter().for_each(drop),
    }
    let mut out = Vec::new();
    let allowed: Vec<HashSet<Code>> = rules
        .triggers
        .iter()
        .map(|t| allow::allowed(t, &mut out))
        .collect();
    for Finding {
        trigger,
        diagnostic,
    } in findings
    {
        let Some(severity) = config.level(diagnostic.code).severity() else {
            continue;
        };
        if allowed
            .get(trigger)
            .is_some_and(|a| a.contains(&diagnostic.code))
        {
            continue;
        }
        // Related notes belong to the finding: they take its level too.
        let related = diagnostic
            .related
            .into_iter()
            .map(|r| Diagnostic { severity, ..r })
            .collect();
        out.push(Diagnostic {
            severity,
            related,
            ..diagnostic
        });
    }
    out
}

/// What `family` finds between the triggers (nothing, for a family of each trigger alone).
fn between(cx: &Cx<'_>, family: &Family) -> Vec<Finding> {
    let mut found = Vec::new();
    if let Family::Whole(check) = family {
        check(cx, &mut found);
    }
    found
}

/// What the per-trigger families find on trigger `i`.
fn each(cx: &Cx<'_>, i: usize) -> Found {
    let mut out = Vec::new();
    let mut found = Vec::new();
    for (k, family) in FAMILIES.iter().enumerate() {
        if let Family::Each(check) = family {
            check(cx, i, &mut found);
            out.extend(found.drain(..).map(|f| (k, f.diagnostic)));
        }
    }
    out
}

/// A lint's finding, and the trigger whose suppressions apply to it.
pub(crate) struct Finding {
    pub trigger: usize,
    pub diagnostic: Diagnostic,
}

/// What every lint reads: the rules, and each trigger's conditions and actions in the
/// model, computed once.
pub(crate) struct Cx<'a> {
    pub rules: &'a RuleSet,
    pub facts: Vec<Facts>,
    pub known: &'a Known,
    /// The titles more than one trigger has, found once rather than for each message.
    shared_titles: HashSet<&'a str>,
}

/// One trigger in the model.
pub(crate) struct Facts {
    /// Its conditions.
    pub formula: F,
    /// What its actions leave behind.
    pub effects: Effects,
    /// What every ticket it fires on meets.
    pub env: Env,
    /// Whether any ticket meets its conditions: most lints ask, and the search is costly.
    pub satisfiable: bool,
    /// Whether it never fires for an empty `any` or `not` it needs: the checker says so
    /// (`empty_group`), the lints need not.
    pub empty_group: bool,
    /// The slots its conditions cannot do without, sorted: only an action on one of them
    /// can make it false (`shadowed_trigger`).
    pub weak: Vec<logic::Slot>,
    /// What makes it the same trigger as another whatever the language, order of
    /// conditions in a group, or comments (`duplicate_trigger`).
    pub key: String,
}

impl Facts {
    /// The model of trigger `t`.
    fn of(t: &Trigger) -> Facts {
        let formula = F::of(&t.conditions);
        let env = logic::env_of(formula.required());
        let empty_group = logic::requires_empty_group(&t.conditions);
        Facts {
            effects: Effects::of(&t.actions).given(&t.actions, &env),
            satisfiable: !empty_group && logic::satisfiable(&formula, &Env::new()),
            empty_group,
            key: triggers::trigger_key(t),
            weak: formula.weak_points().into_iter().cloned().collect(),
            env,
            formula,
        }
    }
}

impl<'a> Cx<'a> {
    /// The context of `rules`, each trigger's model built now.
    #[cfg(test)]
    fn new(rules: &'a RuleSet, known: &'a Known) -> Cx<'a> {
        let facts = rules.triggers.par_iter().map(Facts::of).collect();
        Cx::with(rules, facts, known)
    }

    /// The context of `rules`, whose triggers' models are `facts`.
    fn with(rules: &'a RuleSet, facts: Vec<Facts>, known: &'a Known) -> Cx<'a> {
        let mut seen = HashSet::new();
        let shared_titles = rules
            .triggers
            .iter()
            .map(|t| t.title.as_str())
            .filter(|title| !seen.insert(*title))
            .collect();
        Cx {
            rules,
            facts,
            known,
            shared_titles,
        }
    }

    /// The triggers with their index and model.
    pub fn triggers(&self) -> impl Iterator<Item = (usize, &'a Trigger, &Facts)> {
        self.rules
            .triggers
            .iter()
            .zip(&self.facts)
            .enumerate()
            .map(|(i, (t, f))| (i, t, f))
    }

    /// The active triggers, in run order: the lints between triggers look at these only.
    pub fn active(&self) -> impl Iterator<Item = (usize, &'a Trigger, &Facts)> {
        self.triggers().filter(|(_, t, _)| t.active)
    }

    /// A finding about trigger `i`, pointing at its title.
    pub fn at_trigger(&self, i: usize, code: Code, message: String, label: &str) -> Diagnostic {
        let t = &self.rules.triggers[i];
        Diagnostic::warning(code, message)
            .in_source(&t.origin.source)
            .label(t.title_span, label)
    }

    /// A finding about trigger `i`, pointing at `span` in its file.
    pub fn at(
        &self,
        i: usize,
        code: Code,
        message: String,
        span: crate::diagnostics::Span,
        label: &str,
    ) -> Diagnostic {
        let t = &self.rules.triggers[i];
        Diagnostic::warning(code, message)
            .in_source(&t.origin.source)
            .label(span, label)
    }

    /// "see trigger `X`": a related note pointing at another trigger's title.
    pub fn see(&self, i: usize, code: Code, message: &str) -> Diagnostic {
        let t = &self.rules.triggers[i];
        Diagnostic::warning(code, message.to_owned())
            .in_source(&t.origin.source)
            .label(t.title_span, format!("trigger {}", self.name(i)))
    }

    /// How a message names trigger `i`: `` `Title` ``, with its Zendesk id when another
    /// trigger has the same title (`` `Title` (#123) ``), as Zendesk allows.
    pub fn name(&self, i: usize) -> String {
        let t = &self.rules.triggers[i];
        let shared = self.shared_titles.contains(t.title.as_str());
        match t.zendesk_id {
            Some(id) if shared => format!("`{}` (#{id})", t.title),
            _ => format!("`{}`", t.title),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The lint findings on one rule file that checks cleanly.
    pub fn findings(text: &str) -> Vec<Diagnostic> {
        let checked = crate::check(&[crate::Source::new("t.declic", text)]);
        let rules = checked.into_result().expect("the test rules check");
        lint(&rules, &Config::default(), &Known::default())
    }

    /// Their codes.
    pub fn codes(text: &str) -> Vec<Code> {
        findings(text).iter().map(|d| d.code).collect()
    }

    /// `n` triggers that each exclude and add the tag `done`, each for its own group,
    /// then `more`: each writes what every other one needs.
    pub fn done_tagged(n: usize, more: &str) -> RuleSet {
        let mut text: String = (1..=n)
            .map(|g| format!("trigger \"t{g}\" {{\n when all {{\n Tags excludes done\n Group is {g}\n }}\n then {{ Tags += done }}\n}}\n"))
            .collect();
        text.push_str(more);
        let checked = crate::check(&[crate::Source::new("t.declic", text)]);
        checked.into_result().expect("the test rules check")
    }

    /// The steps `family` counts on `rules` (on this thread), and how many findings it has.
    pub fn counted(rules: &RuleSet, family: impl Fn(&Cx<'_>, &mut Vec<Finding>)) -> (usize, usize) {
        let known = Known::default();
        let cx = Cx::new(rules, &known);
        let mut out = Vec::new();
        logic::work::take();
        family(&cx, &mut out);
        (logic::work::take(), out.len())
    }
}
