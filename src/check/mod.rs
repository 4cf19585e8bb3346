//! Syntax to checked rules: every name resolved against the catalog, every operator checked
//! against its field and every value against its domain. The checker reports every problem
//! of a whole rule set in one run.

mod account;
mod action;
mod automation;
mod condition;
pub(crate) mod incremental;
mod passthrough;
pub mod queue;
pub mod rules;
pub mod text;
mod trigger;
mod value;

use foldhash::{HashMap, HashMapExt};
use std::sync::Arc;

pub use automation::MAX_ACTIVE_AUTOMATIONS;
pub use incremental::Cache;
pub use rules::RuleSet;

use crate::account::Account;
use crate::diagnostics::{Code, Diagnostic, Severity, Source, Span};
use crate::syntax::{self, ast};

/// Zendesk's limit of active triggers per account.
pub const MAX_ACTIVE_TRIGGERS: usize = 7_000;

/// What checking a rule set produced: the triggers without errors, in run order, and every
/// diagnostic.
#[derive(Debug, Default)]
pub struct Checked {
    /// The triggers that checked cleanly, in run order.
    pub rules: RuleSet,
    /// Every problem found, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// How many files were read.
    pub files: usize,
    /// How many triggers were written, with or without errors (automations apart).
    pub triggers: usize,
    /// How many automations were written, with or without errors.
    pub automations: usize,
    /// How many routing queues were written, with or without errors.
    pub queues: usize,
}

impl Checked {
    /// How many diagnostics of `severity` there are.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// The same result for `--strict`, which refuses a rule set declic cannot run whole:
    /// each Zendesk condition or action kept as written (`declic::passthrough`) becomes
    /// an error.
    pub fn strict(mut self) -> Checked {
        for d in &mut self.diagnostics {
            if d.code == Code::Passthrough {
                d.severity = Severity::Error;
                d.help = Some(
                    "--strict refuses rules declic cannot run whole: write this with the \
                     catalog's names, or run without --strict (the trigger is then not \
                     evaluated, or the action not applied, and the outcome says so)"
                        .to_owned(),
                );
            }
        }
        self
    }

    /// The rule set when there is no error, or every diagnostic as one error.
    pub fn into_result(self) -> Result<RuleSet, CheckError> {
        if self.diagnostics.iter().any(Diagnostic::is_error) {
            Err(CheckError {
                diagnostics: self.diagnostics,
            })
        } else {
            Ok(self.rules)
        }
    }
}

/// A rule set that did not check: every diagnostic, the first error shown as the main one
/// and the rest as related.
#[derive(Debug, Clone, thiserror::Error)]
#[error("the rules have {} error(s)", self.errors().count())]
pub struct CheckError {
    /// Every diagnostic, warnings included.
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckError {
    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

impl miette::Diagnostic for CheckError {
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        crate::diagnostics::as_related(&self.diagnostics)
    }
}

/// What the resolvers of one trigger share: where diagnostics go, the trigger's kind, and
/// the account whose titles rules may use.
pub(crate) struct Context<'a> {
    source: &'a Arc<Source>,
    diagnostics: &'a mut Vec<Diagnostic>,
    kind: ast::TriggerKind,
    account: Option<&'a Account>,
}

impl Context<'_> {
    /// The text at `span` in this trigger's file.
    fn text(&self, span: crate::diagnostics::Span) -> Option<&str> {
        self.source.text.get(span.start..span.end)
    }

    /// Records a diagnostic in this trigger's file.
    fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic.in_source(self.source));
    }

    fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

/// Checks the files of one rule set, given in rule-set order (file name order for a
/// directory).
pub fn check(sources: &[Arc<Source>]) -> Checked {
    check_with(sources, None)
}

/// Checks a rule set whose rules may name an account's custom fields, groups, users,
/// webhooks, schedules and brands by title.
pub fn check_with(sources: &[Arc<Source>], account: Option<&Account>) -> Checked {
    let mut checked = Checked {
        files: sources.len(),
        ..Checked::default()
    };
    let mut files = Vec::with_capacity(sources.len());
    for source in sources {
        match read(source, account) {
            Ok(parts) => {
                if parts.iter().all(Part::is_empty) {
                    let comment = parts.iter().find_map(|p| p.comments.first());
                    checked
                        .diagnostics
                        .push(empty_file(source, comment.map(|c| c.span)));
                }
                files.push((source, parts));
            }
            Err(e) => checked.diagnostics.push(e.into_diagnostic(source)),
        }
    }
    let all = || {
        files
            .iter()
            .flat_map(|(source, parts)| parts.iter().map(move |p| (*source, p)))
    };
    count(
        &mut checked,
        all().flat_map(|(_, p)| p.heads.iter().map(|h| h.kind)),
    );
    let titles: Vec<Titled<'_>> = all()
        .flat_map(|(source, p)| p.heads.iter().map(|h| Titled::of(source, h, 0)))
        .collect();
    check_titles(&titles, &mut checked.diagnostics);
    let mut queues = Vec::new();
    for (source, parts) in &mut files {
        // A queue's comments may be anywhere in its file, so its file's are gathered.
        let file = ast::File {
            triggers: Vec::new(),
            queues: parts.iter_mut().flat_map(|p| p.queues.drain(..)).collect(),
            comments: parts
                .iter_mut()
                .flat_map(|p| p.comments.drain(..))
                .collect(),
        };
        checked.queues += file.queues.len();
        queues.extend(queue::queues(
            source,
            &file,
            account,
            &mut checked.diagnostics,
        ));
    }
    let resolved = files
        .into_iter()
        .flat_map(|(_, parts)| parts.into_iter().flat_map(|p| p.resolved))
        .collect();
    combine(sources, checked, resolved, queues)
}

/// A piece of a file read and its triggers resolved: what the steps over the whole set
/// still need of it. A piece is a trigger or queue with the comments before it, or the
/// whole file when only the full grammar reads it.
struct Part {
    /// Its triggers' kinds, titles and ids, in file order.
    heads: Vec<Head>,
    /// Its triggers resolved, in file order.
    resolved: Vec<Resolved>,
    /// Its queues, which are resolved with the whole file's comments.
    queues: Vec<ast::Queue>,
    /// Its comments.
    comments: Vec<ast::Spanned<String>>,
}

impl Part {
    /// Resolves the triggers of `file`, and keeps the rest of it that the steps over the
    /// whole set need; the triggers' syntax trees are dropped.
    fn of(source: &Arc<Source>, file: ast::File, account: Option<&Account>) -> Part {
        let resolved = file
            .triggers
            .iter()
            .map(|t| resolve(source, &file.comments, true, t, account))
            .collect();
        Part {
            heads: file.triggers.iter().map(Head::of).collect(),
            resolved,
            queues: file.queues,
            comments: file.comments,
        }
    }

    fn is_empty(&self) -> bool {
        self.heads.is_empty() && self.queues.is_empty()
    }
}

/// Reads `source` and resolves its triggers: each piece as soon as it is read, on the core
/// that read it, so that its syntax tree is dropped while still in that core's cache and
/// the whole file's tree is never held at once.
fn read(source: &Arc<Source>, account: Option<&Account>) -> Result<Vec<Part>, syntax::SyntaxError> {
    syntax::parse_each(&source.text, |file| Part::of(source, file, account))
}

/// Counts the triggers and automations written, by their kinds in file order.
fn count(checked: &mut Checked, kinds: impl Iterator<Item = ast::TriggerKind>) {
    let (mut triggers, mut automations) = (0, 0);
    for kind in kinds {
        match kind {
            ast::TriggerKind::Automation => automations += 1,
            _ => triggers += 1,
        }
    }
    checked.triggers = triggers;
    checked.automations = automations;
}

/// One trigger resolved: the checked trigger if it has no error, and its diagnostics.
type Resolved = (Option<rules::Trigger>, Vec<Diagnostic>);

/// The step over the whole set, once each trigger is resolved (in file order) and each
/// queue read: run order, the limits, and every diagnostic in its place.
fn combine(
    sources: &[Arc<Source>],
    mut checked: Checked,
    resolved: Vec<Resolved>,
    queues: Vec<queue::Queue>,
) -> Checked {
    let mut triggers = Vec::with_capacity(resolved.len());
    let mut automations = Vec::new();
    for (trigger, diagnostics) in resolved {
        match trigger {
            Some(a) if a.kind == ast::TriggerKind::Automation => automations.push(a),
            Some(t) => triggers.push(t),
            None => {}
        }
        checked.diagnostics.extend(diagnostics);
    }
    let triggers = order(triggers);
    let automations = order(automations);
    automation::set(&automations, &mut checked.diagnostics);
    let active = triggers.iter().filter(|t| t.active).count();
    if active > MAX_ACTIVE_TRIGGERS {
        checked.diagnostics.push(
            Diagnostic::error(
                Code::TooManyTriggers,
                format!("{active} active triggers; Zendesk accepts at most {MAX_ACTIVE_TRIGGERS}"),
            )
            .help("deactivate or merge triggers"),
        );
    }
    checked.rules = RuleSet {
        triggers,
        automations,
        queues: queue::order(queues, &mut checked.diagnostics),
    };
    sort_by_place(sources, &mut checked.diagnostics);
    checked
}

/// Resolves one trigger: the checked trigger if it has no error, and its diagnostics.
/// `opens_line` says whether `source`'s text starts a line (see [`attached_comments`]).
fn resolve(
    source: &Arc<Source>,
    comments: &[ast::Spanned<String>],
    opens_line: bool,
    t: &ast::Trigger,
    account: Option<&Account>,
) -> Resolved {
    let mut diagnostics = Vec::new();
    let mut cx = Context {
        source,
        diagnostics: &mut diagnostics,
        kind: t.kind.node,
        account,
    };
    let comments = attached_comments(&source.text, comments, opens_line, t.span);
    let trigger = trigger::trigger(&mut cx, source, t, comments);
    (trigger, diagnostics)
}

/// The comments that belong to the trigger at `span`: those inside it, and the comment
/// lines directly above it (each alone on its line, no blank line between), so a note or a
/// suppression written just before a trigger stays with it.
///
/// `text` is a whole file, or a piece of one that the incremental check resolves alone;
/// such a piece starts after a closing brace, so unless `opens_line`, what its first line
/// holds follows that brace and is not alone on its line.
fn attached_comments(
    text: &str,
    comments: &[ast::Spanned<String>],
    opens_line: bool,
    span: Span,
) -> Vec<ast::Spanned<String>> {
    let line_start = |offset: usize| {
        text.get(..offset)
            .and_then(|t| t.rfind('\n'))
            .map(|i| i + 1)
    };
    // Comments are in file order: those before the trigger end where the others start.
    let before = comments.partition_point(|c| c.span.end <= span.start);
    let mut above = Vec::new();
    let mut boundary = line_start(span.start).unwrap_or(0);
    for c in comments[..before].iter().rev() {
        let (start, alone) = match line_start(c.span.start) {
            Some(start) => (start, true),
            None => (0, opens_line),
        };
        let alone = alone
            && text
                .get(start..c.span.start)
                .is_some_and(|t| t.trim().is_empty());
        let gap = text.get(c.span.end..boundary).unwrap_or("x");
        if !alone || !gap.trim().is_empty() || gap.matches('\n').count() != 1 {
            break;
        }
        above.push(c.clone());
        boundary = start;
    }
    above.reverse();
    let inside = comments[before..]
        .iter()
        .take_while(|c| c.span.end <= span.end)
        .filter(|c| c.span.start >= span.start);
    above.into_iter().chain(inside.cloned()).collect()
}

/// Reports read in file order, then top to bottom; problems of the whole set come last.
fn sort_by_place(sources: &[Arc<Source>], diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| {
        let file = d
            .source
            .as_ref()
            .and_then(|s| sources.iter().position(|other| Arc::ptr_eq(s, other)))
            .unwrap_or(usize::MAX);
        (file, d.labels.first().map_or(0, |l| l.span.start))
    });
}

/// A file with neither trigger nor queue, pointing at its first comment if it has one.
fn empty_file(source: &Arc<Source>, first_comment: Option<Span>) -> Diagnostic {
    let d = Diagnostic::warning(
        Code::EmptyFile,
        format!("`{}` holds no trigger", source.name),
    )
    .in_source(source)
    .help("write `trigger \"Title\" { when all { ... } then { ... } }`, or delete the file");
    match first_comment {
        Some(span) => d.label(span, "only comments here"),
        None => d,
    }
}

/// A trigger's title as the check of shared titles reads it.
struct Titled<'a> {
    source: &'a Arc<Source>,
    title: &'a str,
    span: Span,
    id: Option<i64>,
}

impl<'a> Titled<'a> {
    /// The title of the trigger `head`, read from a text that starts `by` bytes into
    /// `source`.
    fn of(source: &'a Arc<Source>, head: &'a Head, by: usize) -> Titled<'a> {
        Titled {
            source,
            title: head.title.node.trim(),
            span: Span::new(head.title.span.start + by, head.title.span.end + by),
            id: head.id,
        }
    }
}

/// What the steps over the whole set read of a trigger besides its resolution: its kind,
/// for the counts, and its title and `id` line, for the shared-title check.
struct Head {
    kind: ast::TriggerKind,
    title: ast::Spanned<String>,
    id: Option<i64>,
}

impl Head {
    fn of(t: &ast::Trigger) -> Head {
        Head {
            kind: t.kind.node,
            title: t.title.clone(),
            id: zendesk_id(t),
        }
    }
}

/// Zendesk accepts two triggers with one title (real accounts have them), so a repeated
/// title is a warning: what names a trigger by title (`explain --trigger`, scenarios) must
/// then name it by its Zendesk id, `#123`.
fn check_titles(titles: &[Titled<'_>], out: &mut Vec<Diagnostic>) {
    let mut first: HashMap<&str, &Titled<'_>> = HashMap::with_capacity(titles.len());
    for t in titles {
        match first.get(t.title) {
            None => {
                first.insert(t.title, t);
            }
            Some(first) => out.push(
                Diagnostic::warning(
                    Code::DuplicateTitle,
                    format!("two triggers are titled `{}`", t.title),
                )
                .in_source(t.source)
                .label(t.span, "this title is taken")
                .help(shared_title_help(first.id, t.id))
                .related(
                    Diagnostic::warning(Code::DuplicateTitle, "first used here")
                        .in_source(first.source)
                        .label(first.span, "first trigger with this title"),
                ),
            ),
        }
    }
}

/// How to tell two triggers with one title apart: by the ids they have, or by giving them
/// one.
fn shared_title_help(first: Option<i64>, again: Option<i64>) -> String {
    match (first, again) {
        (Some(a), Some(b)) => format!(
            "Zendesk allows it; where a trigger is named (`explain --trigger`, scenarios), \
             name these two by their ids, `#{a}` and `#{b}`, or give each its own title"
        ),
        _ => "Zendesk allows it, but nothing can name one of them: give each its own title, \
              or an `id` line (its Zendesk id) so that it can be named as `#ID`"
            .to_owned(),
    }
}

/// The `id` line of a trigger, if it has one.
fn zendesk_id(t: &ast::Trigger) -> Option<i64> {
    t.items.iter().find_map(|item| match item.node {
        ast::Item::ZendeskId(id) => Some(id),
        _ => None,
    })
}

/// Zendesk runs triggers by category, then by position in the category. Categories come in
/// the order they first appear; a trigger without `position` keeps its place in file order.
fn order(triggers: Vec<rules::Trigger>) -> Vec<rules::Trigger> {
    let mut categories: Vec<&Option<String>> = Vec::new();
    let mut keys: Vec<(usize, i64, usize)> = triggers
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let rank = categories
                .iter()
                .position(|c| **c == t.category)
                .unwrap_or_else(|| {
                    categories.push(&t.category);
                    categories.len() - 1
                });
            (rank, t.position.unwrap_or(i as i64), i)
        })
        .collect();
    // The keys are sorted, not the triggers: a trigger is large, and sorting moves each
    // one many times.
    keys.sort_unstable();
    let mut slots: Vec<Option<rules::Trigger>> = triggers.into_iter().map(Some).collect();
    keys.into_iter()
        .filter_map(|(_, _, i)| slots[i].take())
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::Source;

    fn trigger(title: &str, category: &str, position: Option<i64>) -> String {
        let position = position.map_or(String::new(), |p| format!("position {p}"));
        format!(
            "trigger \"{title}\" {{\n  category \"{category}\"\n  {position}\n  \
             when all {{\n    Status is Open\n  }}\n  then {{\n    Tags += t\n  }}\n}}\n"
        )
    }

    #[test]
    fn a_file_only_the_full_grammar_reads_checks_like_one_read_piece_by_piece() {
        // A raw string run into a bare word is read by the full grammar only.
        let plain = format!("# first\n{}", trigger("a", "A", None));
        let odd = plain.replace("Status is Open", "Subject contains abcr\"x\"");
        for (text, pieces) in [(plain, 1), (odd, 0)] {
            let text = format!("{text}# second\n{}", trigger("b", "A", None));
            let read = crate::syntax::parse_each(&text, |_| ()).map(|p| p.len());
            assert_eq!(read, Ok(if pieces == 1 { 3 } else { 1 }), "{text}");
            let checked = crate::check(&[Source::new("t.declic", text.clone())]);
            let found: Vec<(&str, usize)> = checked
                .rules
                .triggers
                .iter()
                .map(|t| (&*t.title, t.comments.len()))
                .collect();
            // Each trigger keeps the comment above it either way.
            assert_eq!(found, [("a", 1), ("b", 1)], "{:?}", checked.diagnostics);
        }
    }

    #[test]
    fn triggers_run_by_category_in_first_seen_order_then_by_position() {
        let text: String = [
            trigger("b1", "B", Some(5)),
            trigger("a1", "A", None),
            trigger("b2", "B", Some(1)),
            trigger("a2", "A", Some(0)),
            trigger("b3", "B", None),
        ]
        .concat();
        let checked = crate::check(&[Source::new("t.declic", text)]);
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        let titles: Vec<&str> = checked.rules.triggers.iter().map(|t| &*t.title).collect();
        // B first (seen first); in B, positions 1 and 5 then b3, which keeps its place (4);
        // in A, a2 at 0 before a1 at its place (1).
        assert_eq!(titles, ["b2", "b3", "b1", "a2", "a1"]);
    }

    #[test]
    fn a_shared_title_is_a_warning_that_names_the_ids() {
        let with_id = |title: &str, id: &str| {
            trigger(title, "A", None).replacen("{\n", &format!("{{\n  {id}\n"), 1)
        };
        let cases = [
            // Both have ids: the help names them.
            (
                with_id("T", "id 11") + &with_id("T", "id 22"),
                Some("`#11` and `#22`"),
            ),
            // One has none: the help says to give it one.
            (
                with_id("T", "id 11") + &trigger("T", "A", None),
                Some("an `id` line"),
            ),
            // Near miss: titles that differ only in case are two titles.
            (trigger("T", "A", None) + &trigger("t", "A", None), None),
        ];
        for (text, help) in cases {
            let checked = crate::check(&[Source::new("t.declic", text.clone())]);
            let shared: Vec<_> = checked
                .diagnostics
                .iter()
                .filter(|d| d.code == crate::Code::DuplicateTitle)
                .collect();
            match help {
                Some(help) => {
                    assert_eq!(shared.len(), 1, "{text}");
                    assert_eq!(shared[0].severity, crate::Severity::Warning);
                    assert!(
                        shared[0].help.as_deref().unwrap_or("").contains(help),
                        "{shared:?}"
                    );
                    assert_eq!(checked.rules.triggers.len(), 2, "both triggers are kept");
                }
                None => assert!(shared.is_empty(), "{shared:?}"),
            }
            assert!(checked.into_result().is_ok(), "{text}");
        }
    }

    #[test]
    fn a_name_that_may_be_an_account_title_asks_for_the_account() {
        let account = crate::account::Account::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/interop/account"
        )))
        .expect("the test account loads");
        let cases = [
            // (condition, action, with the account, whether the help asks for it)
            ("Group is \"Support N2\"", "Tags += t", false, true),
            ("\"Product area\" is Billing", "Tags += t", false, true),
            ("Status is Open", "\"Product area\" = Billing", false, true),
            ("Status is Open", "Group = \"Tier two\"", false, true),
            // Near misses: a typo of a catalog name, and names looked up in an account.
            ("Chanel is Email", "Tags += t", false, false),
            ("Status is Open", "Prority = High", false, false),
            ("Group is \"No such group\"", "Tags += t", true, false),
            ("\"No such field\" is x", "Tags += t", true, false),
        ];
        for (condition, action, with_account, asks) in cases {
            let text = format!(
                "trigger \"T\" {{\n  when all {{\n    {condition}\n  }}\n  then {{\n    {action}\n  }}\n}}\n"
            );
            let sources = [Source::new("t.declic", text)];
            let checked = crate::check::check_with(&sources, with_account.then_some(&account));
            let errors: Vec<_> = checked
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .collect();
            assert_eq!(errors.len(), 1, "{condition} / {action}: {errors:?}");
            let help = errors[0].help.as_deref().unwrap_or_default();
            assert_eq!(
                help.contains("--account DIR"),
                asks,
                "{condition} / {action}: {help}"
            );
        }
    }
}
