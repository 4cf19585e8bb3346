//! Linting a rule set again after an edit, redoing only what the edit touched.
//!
//! Most of the lints' work is each trigger's own: its model (`Facts`: its conditions and
//! actions in the logic, whether it can fire, its spelled-out key) and the families that
//! look at one trigger alone. Both depend on nothing but the trigger, so the [`Cache`]
//! keeps them by the trigger's text and file, moved to where the trigger now is when an
//! edit above it shifted it. The families between triggers run again each time on the
//! models, by the same code as [`lint`](super::lint), so that both give the same
//! findings in the same order.

use foldhash::HashMap;
use std::sync::Arc;

use super::logic::F;
use super::{Config, Facts, Found, Known};
use crate::account::Account;
use crate::check::incremental::{move_diagnostic, shifted};
use crate::check::rules::Trigger;
use crate::check::RuleSet;
use crate::diagnostics::{Diagnostic, Source};

/// What the lints of a rule set found on each trigger last time: keep one per rule set,
/// and lint it again with [`Cache::lint`]. It holds the triggers of the last lint only.
#[derive(Default)]
pub struct Cache {
    store: Store,
    /// The account whose ids the references were checked against, by address: another
    /// account empties the cache, as it resolves names differently.
    account: Option<usize>,
    /// Its ids.
    known: Known,
}

impl Cache {
    /// A cache that holds nothing yet.
    pub fn new() -> Cache {
        Cache::default()
    }

    /// Lints `rules` as [`lint`](super::lint) does with `account`'s ids, with the same
    /// result, modelling and linting on its own again only each trigger whose text
    /// changed since the last call.
    pub fn lint(
        &mut self,
        rules: &RuleSet,
        config: &Config,
        account: Option<&Account>,
    ) -> Vec<Diagnostic> {
        let address = account.map(|a| a as *const Account as usize);
        if address != self.account {
            self.store = Store::default();
            self.known = account.map(Known::from).unwrap_or_default();
            self.account = address;
        }
        self.store.last = std::mem::take(&mut self.store.kept);
        self.store.modelled = 0;
        let found = super::lint_with(rules, config, &self.known, Some(&mut self.store));
        // What no trigger took again is an edit's old text.
        self.store.last = HashMap::default();
        found
    }

    /// How many triggers the last [`Cache::lint`] modelled and linted on their own, not
    /// finding them kept.
    pub fn modelled(&self) -> usize {
        self.store.modelled
    }
}

/// The triggers kept, by their file's name, then by their text.
#[derive(Default)]
pub(super) struct Store {
    /// Those of the last lint, taken from as this one goes.
    last: HashMap<String, Entries>,
    /// Those of this lint.
    kept: HashMap<String, Entries>,
    /// The texts of the triggers of the rule set being linted, once taken.
    texts: Vec<Option<Box<str>>>,
    /// How many triggers this lint modelled.
    modelled: usize,
}

type Entries = HashMap<Box<str>, Entry>;

/// One trigger's model and findings on its own, as of where it was last time.
pub(super) struct Entry {
    /// Its file as it was, which the findings point into.
    source: Arc<Source>,
    /// Where the trigger started in it.
    start: usize,
    facts: Facts,
    found: Found,
}

/// The text of trigger `t`; `None` (never kept) if its span does not fit its file.
fn text_of(t: &Trigger) -> Option<&str> {
    t.origin
        .source
        .text
        .get(t.origin.span.start..t.origin.span.end)
}

impl Store {
    /// The entry of each trigger of `rules` whose text the last lint saw in its file.
    pub(super) fn take(&mut self, rules: &RuleSet) -> Vec<Option<Entry>> {
        self.texts.clear();
        let mut out = Vec::with_capacity(rules.triggers.len());
        for t in &rules.triggers {
            let kept = text_of(t).and_then(|text| {
                let entries = self.last.get_mut(&t.origin.source.name)?;
                entries.remove_entry(text)
            });
            match kept {
                Some((text, entry)) => {
                    self.texts.push(Some(text));
                    out.push(Some(entry));
                }
                None => {
                    self.modelled += 1;
                    self.texts.push(None);
                    out.push(None);
                }
            }
        }
        out
    }

    /// Keeps each trigger of `rules` with its model and findings, for the next lint. Of
    /// two triggers with the same text in one file, the first is kept.
    pub(super) fn keep(&mut self, rules: &RuleSet, facts: Vec<Facts>, found: Vec<Found>) {
        let texts = std::mem::take(&mut self.texts);
        let all = rules.triggers.iter().zip(facts).zip(found).zip(texts);
        for (((t, facts), found), text) in all {
            let Some(text) = text.or_else(|| text_of(t).map(Box::from)) else {
                continue;
            };
            let name = &t.origin.source.name;
            if !self.kept.contains_key(name) {
                self.kept.insert(name.clone(), Entries::default());
            }
            let Some(entries) = self.kept.get_mut(name) else {
                continue;
            };
            entries.entry(text).or_insert(Entry {
                source: Arc::clone(&t.origin.source),
                start: t.origin.span.start,
                facts,
                found,
            });
        }
    }
}

impl Entry {
    /// Its model and findings, moved to where trigger `t`, of the same text, is now.
    pub(super) fn moved_to(self, t: &Trigger) -> (Facts, Found) {
        let Entry {
            source,
            start,
            mut facts,
            mut found,
        } = self;
        let by = t.origin.span.start as isize - start as isize;
        if by != 0 {
            shift(&mut facts.formula, by);
        }
        if by != 0 || !Arc::ptr_eq(&source, &t.origin.source) {
            for (_, d) in &mut found {
                move_diagnostic(d, &source, &t.origin.source, by);
            }
        }
        (facts, found)
    }
}

/// Moves the spans of `f` by `by` bytes. An empty span stands for no place (an empty
/// group's): it stays.
fn shift(f: &mut F, by: isize) {
    match f {
        F::All(members) | F::Any(members) => members.iter_mut().for_each(|m| shift(m, by)),
        F::Lit(l) if !l.span.is_empty() => l.span = shifted(l.span, by),
        F::Opaque { span, .. } if !span.is_empty() => *span = shifted(*span, by),
        F::Lit(_) | F::Opaque { .. } => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Code;
    use std::path::Path;

    /// Lints `files` whole and with `cache`, asserts that both agree, and gives the
    /// findings.
    fn agree(cache: &mut Cache, files: &[(String, String)], what: &str) -> Vec<Diagnostic> {
        let sources: Vec<Arc<Source>> = files
            .iter()
            .map(|(name, text)| Source::new(name.clone(), text.clone()))
            .collect();
        let rules = crate::check::check_with(&sources, None).rules;
        let config = Config::default();
        let whole = super::super::lint(&rules, &config, &Known::default());
        let again = cache.lint(&rules, &config, None);
        assert_eq!(whole, again, "{what}");
        whole
    }

    fn codes(found: &[Diagnostic]) -> Vec<Code> {
        found.iter().map(|d| d.code).collect()
    }

    /// The files of the rule set at `path`, by name.
    fn files_of(path: &Path) -> Vec<(String, String)> {
        let loaded = crate::load::load(path);
        let files = loaded.sources.iter();
        files.map(|s| (s.name.clone(), s.text.clone())).collect()
    }

    /// Where the title of the first trigger of file `f` starts, after its quote.
    fn first_title(files: &[(String, String)], f: usize) -> Option<usize> {
        let (name, text) = &files[f];
        let checked = crate::check::check(&[Source::new(name.clone(), text.clone())]);
        let rules = checked.rules;
        let first = rules.triggers.iter().chain(&rules.automations);
        first.map(|t| t.title_span.start + 1).min()
    }

    #[test]
    fn the_recipes_lint_alike_whole_and_trigger_by_trigger_through_edits() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for set in ["recipes/en", "recipes/fr", "recipes/seed"] {
            let mut files = files_of(&root.join(set));
            let mut cache = Cache::new();
            let first = agree(&mut cache, &files, set);
            assert_eq!(agree(&mut cache, &files, set), first);
            assert_eq!(cache.modelled(), 0, "{set}: nothing changed");
            // A character typed in the first title of each file moves every finding below.
            for f in 0..files.len() {
                let Some(at) = first_title(&files, f) else {
                    continue;
                };
                files[f].1.insert(at + 1, 'x');
                agree(&mut cache, &files, &format!("{set}: a title typed in"));
                assert_eq!(cache.modelled(), 1, "{set}: only the trigger typed in");
                files[f].1.remove(at + 1);
                agree(&mut cache, &files, &format!("{set}: the title given back"));
            }
            // Findings between triggers, across the files, come and go.
            let last = files.len() - 1;
            files[0].1.insert_str(0, FIRST);
            files[last].1.push_str(SHADOWED);
            files[last].1.push_str(PING);
            let found = codes(&agree(&mut cache, &files, &format!("{set}: pairs")));
            assert!(found.contains(&Code::ShadowedTrigger), "{set}: {found:?}");
            files[0].1.push_str(PONG);
            let found = codes(&agree(&mut cache, &files, &format!("{set}: pairs")));
            assert!(found.contains(&Code::PingPong), "{set}: {found:?}");
            assert_eq!(cache.modelled(), 1);
            files[0].1 = files[0].1.replacen(FIRST, "", 1).replacen(PONG, "", 1);
            let found = codes(&agree(&mut cache, &files, &format!("{set}: pairs gone")));
            assert_eq!(found, codes(&first), "{set}");
        }
    }

    /// Trigger `i` of a generated set: each with its own done tag, in a few categories
    /// (so run order is not file order); every seventh with no nullifying condition.
    fn trigger(i: usize) -> String {
        let done = if i % 7 == 0 {
            String::new()
        } else {
            format!("\n    Tags excludes t{i}")
        };
        format!(
            "trigger \"Rule {i}\" {{\n  category \"C{}\"\n  when all {{\n    Group is {}{done}\n  }}\n  \
             then {{\n    Tags += t{i}\n    Priority = High\n  }}\n}}\n",
            i % 3,
            i % 5 + 1,
        )
    }

    const FIRST: &str = "trigger \"first\" {\n  when all {\n    Tags excludes triaged\n  }\n  then {\n    Tags += triaged\n    Group = 1\n  }\n}\n";
    const SHADOWED: &str = "trigger \"shadowed\" {\n  when all {\n    Tags excludes triaged\n    Channel is Email\n  }\n  then {\n    Tags += triaged\n    Group = 2\n  }\n}\n";
    const PING: &str =
        "trigger \"ping\" {\n  when all { Tags excludes x }\n  then { Tags += x }\n}\n";
    const PONG: &str =
        "trigger \"pong\" {\n  when all { Tags includes x }\n  then { Tags -= x }\n}\n";

    #[test]
    fn a_generated_set_lints_alike_whole_and_trigger_by_trigger_through_edits() {
        type Edit = fn(&mut Vec<(String, String)>);
        let edits: [(&str, Edit); 15] = [
            ("a character typed in the first title", |f| {
                f[0].1 = f[0].1.replacen("Rule 0\"", "Rule 0x\"", 1)
            }),
            ("a copy of a trigger under another title", |f| {
                f[1].1
                    .push_str(&trigger(3).replace("Rule 3\"", "Rule 3 again\""))
            }),
            ("the copy's actions changed", |f| {
                f[1].1 = f[1].1.replacen(
                    "Tags += t3\n    Priority = High\n  }\n}\n",
                    "Tags += t3\n    Priority = Low\n  }\n}\n",
                    2,
                )
            }),
            ("a trigger that runs first and one it shadows", |f| {
                f[0].1.insert_str(0, FIRST);
                f[0].1.push_str(SHADOWED);
            }),
            ("a line above both", |f| f[0].1.insert_str(0, "# routing\n")),
            ("the shadowing one deleted", |f| {
                f[0].1 = f[0].1.replacen(FIRST, "", 1)
            }),
            ("one of a ping-pong pair", |f| f[1].1.push_str(PING)),
            ("the other one", |f| f[2].1.insert_str(0, PONG)),
            ("a finding allowed by a comment above", |f| {
                f[2].1.insert_str(0, "# declic-allow: ping_pong\n")
            }),
            ("the pair's first one deleted", |f| {
                f[1].1 = f[1].1.replacen(PING, "", 1)
            }),
            ("a line that does not check", |f| {
                f[0].1 = f[0].1.replacen("Group is 2", "Group is", 1)
            }),
            ("the line fixed", |f| {
                f[0].1 = f[0].1.replacen("Group is\n", "Group is 2\n", 1)
            }),
            ("a trigger written twice in one file", |f| {
                f[2].1.push_str(&trigger(200));
                f[2].1.push_str(&trigger(200));
            }),
            ("one of the two deleted", |f| {
                f[2].1 = f[2].1.replacen(&trigger(200), "", 1)
            }),
            ("a file emptied", |f| f[1].1 = "# nothing yet\n".to_owned()),
        ];
        let mut files: Vec<(String, String)> = (0..3)
            .map(|f| {
                let text = (f * 30..f * 30 + 30).map(trigger).collect();
                (format!("/set/{f}.declic"), text)
            })
            .collect();
        let mut cache = Cache::new();
        agree(&mut cache, &files, "the first lint");
        let mut found = Vec::new();
        for (what, edit) in edits {
            edit(&mut files);
            let findings = agree(&mut cache, &files, what);
            found.push((codes(&findings), cache.modelled()));
        }
        // The edits did what they say: each finding between triggers comes and goes, and
        // only the triggers an edit wrote are modelled again.
        let count = |k: usize, code| found[k].0.iter().filter(|c| **c == code).count();
        let modelled = |k: usize| found[k].1;
        let duplicates = count(0, Code::DuplicateTrigger);
        assert_eq!(modelled(0), 1);
        assert_eq!(count(1, Code::DuplicateTrigger), duplicates + 1);
        assert_eq!(count(2, Code::DuplicateTrigger), duplicates);
        let shadowed = count(2, Code::ShadowedTrigger);
        assert_eq!(count(3, Code::ShadowedTrigger), shadowed + 1);
        assert_eq!(count(4, Code::ShadowedTrigger), shadowed + 1);
        assert_eq!((modelled(3), modelled(4)), (2, 0));
        assert_eq!(count(5, Code::ShadowedTrigger), shadowed);
        let pairs = count(6, Code::PingPong);
        assert_eq!(count(7, Code::PingPong), pairs + 1);
        assert_eq!(modelled(7), 1);
        assert_eq!(count(8, Code::PingPong), pairs, "allowed");
        assert_eq!((modelled(10), modelled(11)), (0, 1), "the trigger left out");
        assert_eq!(count(12, Code::DuplicateTrigger), duplicates + 1);
        assert_eq!(modelled(12), 2, "two new triggers");
        assert_eq!(count(13, Code::DuplicateTrigger), duplicates);
        assert_eq!(modelled(13), 0, "the one left is kept");
    }
}
