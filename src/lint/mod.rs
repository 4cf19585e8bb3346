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
    let mut out = lint_kind(rules, config, known);
    if !rules.automations.is_empty() {
        let automations = RuleSet {
            triggers: rules.automations.clone(),
            ..RuleSet::default()
        };
        out.extend(lint_kind(&automations, config, known));
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

/// Every lint over the rules of one kind, the rules of `rules.triggers`.
fn lint_kind(rules: &RuleSet, config: &Config, known: &Known) -> Vec<Diagnostic> {
    let cx = Cx::new(rules, known);
    // The families read the rules and write nothing else: they run side by side, and their
    // findings come out in this order whatever order they finish in.
    let families: [Family; 7] = [
        nullifying::check,
        conditions::check,
        triggers::check,
        actions::check,
        ping_pong::check,
        messaging::check,
        references::check,
    ];
    let findings: Vec<Finding> = families
        .par_iter()
        .flat_map_iter(|check| {
            let mut found = Vec::new();
            check(&cx, &mut found);
            found
        })
        .collect();
    // Each trigger's model is dropped in parallel, as it was built: one by one, on the
    // thread the cores then wait on, it cost as much as building them.
    cx.facts.into_par_iter().for_each(drop);
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

/// A family of lints: what it finds in the rule set.
type Family = fn(&Cx<'_>, &mut Vec<Finding>);

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
}

impl<'a> Cx<'a> {
    fn new(rules: &'a RuleSet, known: &'a Known) -> Cx<'a> {
        let facts = rules
            .triggers
            .par_iter()
            .map(|t| {
                let formula = F::of(&t.conditions);
                let env = logic::env_of(formula.required());
                let empty_group = logic::requires_empty_group(&t.conditions);
                Facts {
                    effects: Effects::of(&t.actions).given(&t.actions, &env),
                    satisfiable: !empty_group && logic::satisfiable(&formula, &Env::new()),
                    empty_group,
                    env,
                    formula,
                }
            })
            .collect();
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
