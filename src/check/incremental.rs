//! Checking a rule set again after an edit, redoing only what the edit touched.
//!
//! The check has two steps. The first is each trigger's own: the parser cuts a file into
//! pieces, each a trigger or queue with the comments before it ([`syntax::pieces`]), and
//! a piece is read and its triggers resolved without looking at anything else. The
//! [`Cache`] keeps that work for each piece's text, spans counted from the piece's start;
//! a piece an edit did not change is taken from it, moved to where it now starts. The
//! second step is the whole set's: shared titles, queues, run order and limits, done
//! again each time by the same code as [`check_with`](super::check_with), so that both
//! give the same rules and the same diagnostics in the same order.

use foldhash::HashMap;
use rayon::prelude::*;
use std::sync::Arc;

use super::rules::{Action, ActionTarget, Condition, Trigger};
use super::{combine, count, empty_file, queue, resolve, Checked, Head, Resolved, Titled};
use crate::account::Account;
use crate::diagnostics::{Diagnostic, Source, Span};
use crate::syntax::{self, ast};

/// What the checks of a rule set so far found for each piece of its files: keep one per
/// rule set, and check it again with [`Cache::check`]. It holds the pieces of the last
/// check only, so it never grows past one copy of the rule set's checked triggers.
#[derive(Default)]
pub struct Cache {
    /// The pieces by their file's name, then by their text.
    pieces: HashMap<String, Pieces>,
    /// The account the pieces were resolved with, by address: names it holds resolve
    /// differently, so another account empties the cache.
    account: Option<usize>,
    /// How many pieces the last check read and resolved, not finding them here.
    read: usize,
}

/// The pieces of one file by their text.
type Pieces = HashMap<Box<str>, Arc<Piece>>;

/// One piece checked on its own.
struct Piece {
    /// Whether it starts a line of its file (see [`super::attached_comments`]).
    opens_line: bool,
    /// Its triggers' kinds, titles and ids, in file order.
    triggers: Vec<Head>,
    /// How many queues it holds.
    queues: usize,
    /// Where its first comment is, for a file with nothing else.
    first_comment: Option<Span>,
    /// The text its triggers were resolved in, which their rules and diagnostics point
    /// into until they are moved into their file.
    local: Arc<Source>,
    /// Its triggers resolved, in file order.
    resolved: Vec<Resolved>,
}

impl Cache {
    /// A cache that holds nothing yet.
    pub fn new() -> Cache {
        Cache::default()
    }

    /// Checks the files of one rule set as [`check_with`](super::check_with) does, with
    /// the same result, reading and resolving again only the pieces not seen last time.
    pub fn check(&mut self, sources: &[Arc<Source>], account: Option<&Account>) -> Checked {
        let address = account.map(|a| a as *const Account as usize);
        if address != self.account {
            self.pieces.clear();
            self.account = address;
        }
        let mut last_check = std::mem::take(&mut self.pieces);
        self.read = 0;
        let mut checked = Checked {
            files: sources.len(),
            ..Checked::default()
        };
        let mut files = Vec::with_capacity(sources.len());
        for source in sources {
            let mut last = last_check.remove(&source.name).unwrap_or_default();
            let mut kept = self.pieces.remove(&source.name).unwrap_or_default();
            let pieces = self.pieces_of(source, &mut last, &mut kept, account);
            self.pieces.insert(source.name.clone(), kept);
            match pieces {
                Ok(pieces) => {
                    let none = pieces
                        .iter()
                        .all(|(_, p)| p.triggers.is_empty() && p.queues == 0);
                    if none {
                        let comment = pieces.iter().find_map(|(start, p)| {
                            p.first_comment.map(|c| shifted(c, *start as isize))
                        });
                        checked.diagnostics.push(empty_file(source, comment));
                    }
                    files.push((source, pieces));
                }
                Err(d) => checked.diagnostics.push(*d),
            }
        }
        let all = || {
            files
                .iter()
                .flat_map(|(s, pieces)| pieces.iter().map(move |p| (*s, p)))
        };
        count(
            &mut checked,
            all().flat_map(|(_, (_, p))| p.triggers.iter().map(|h| h.kind)),
        );
        checked.queues = all().map(|(_, (_, p))| p.queues).sum();
        let titles: Vec<Titled<'_>> = all()
            .flat_map(|(source, (start, p))| {
                p.triggers
                    .iter()
                    .map(move |h| Titled::of(source, h, *start))
            })
            .collect();
        super::check_titles(&titles, &mut checked.diagnostics);
        drop(titles);
        let mut queues = Vec::new();
        for (source, pieces) in &files {
            // Queues are few and their files small: such a file is read whole for them.
            if pieces.iter().any(|(_, p)| p.queues > 0) {
                if let Ok(file) = syntax::parse(&source.text) {
                    queues.extend(queue::queues(
                        source,
                        &file,
                        account,
                        &mut checked.diagnostics,
                    ));
                }
            }
        }
        let pieces: Vec<_> = all().collect();
        let resolved: Vec<Resolved> = pieces
            .par_iter()
            .flat_map_iter(|(source, (start, piece))| piece.moved(source, *start))
            .collect();
        drop(pieces);
        drop(files);
        combine(sources, checked, resolved, queues)
    }

    /// How many pieces the last [`Cache::check`] read and resolved, not finding them kept.
    pub fn pieces_read(&self) -> usize {
        self.read
    }

    /// The pieces of `source` with where each starts: from `last` check's pieces of the
    /// file where their text is the same, else read and resolved now; each is `kept` for
    /// the next check. A file that does not read is its syntax error.
    fn pieces_of(
        &mut self,
        source: &Arc<Source>,
        last: &mut Pieces,
        kept: &mut Pieces,
        account: Option<&Account>,
    ) -> Result<Vec<(usize, Arc<Piece>)>, Box<Diagnostic>> {
        let text = &source.text;
        let ranges = syntax::pieces(text).map_err(|e| Box::new(e.into_diagnostic(source)))?;
        let mut found: Vec<Option<Arc<Piece>>> = Vec::with_capacity(ranges.len());
        for range in &ranges {
            let piece = &text[range.clone()];
            let opens_line = range.start == 0 || text[..range.start].ends_with('\n');
            let fits = |p: &Arc<Piece>| p.opens_line == opens_line;
            let known = match kept.get(piece).filter(|p| fits(p)) {
                Some(p) => Some(Arc::clone(p)),
                None => last.remove(piece).filter(fits),
            };
            found.push(known);
        }
        let read: Vec<(usize, Result<Piece, Box<Diagnostic>>)> = found
            .iter()
            .enumerate()
            .filter(|(_, p)| p.is_none())
            .map(|(i, _)| i)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|i| {
                let range = ranges[i].clone();
                let opens_line = range.start == 0 || text[..range.start].ends_with('\n');
                let piece = read(source, range, opens_line, account);
                (i, piece)
            })
            .collect();
        self.read += read.len();
        // The first piece that does not read is the file's error, as the whole file's
        // reading says; the others are kept, so that only that one is read again.
        let mut error = None;
        for (i, piece) in read {
            match piece {
                Ok(piece) => found[i] = Some(Arc::new(piece)),
                Err(d) => {
                    error.get_or_insert(d);
                }
            }
        }
        let mut out = Vec::with_capacity(ranges.len());
        for (range, piece) in ranges.iter().zip(found) {
            let Some(piece) = piece else { continue };
            kept.insert(text[range.clone()].into(), Arc::clone(&piece));
            out.push((range.start, piece));
        }
        match error {
            Some(d) => Err(d),
            None => Ok(out),
        }
    }
}

/// The piece of `source` at `range`, read and resolved on its own: by the fast reading,
/// or else by the full grammar, which reads a piece as it reads it in its file (pieces
/// end where the top level does) and says what is wrong with one that does not read.
/// Only the piece typed in is read again while a line of it is half written.
fn read(
    source: &Arc<Source>,
    range: std::ops::Range<usize>,
    opens_line: bool,
    account: Option<&Account>,
) -> Result<Piece, Box<Diagnostic>> {
    let text = &source.text[range.clone()];
    let file = match syntax::read_piece(text) {
        Some(file) => file,
        None => syntax::parse(text).map_err(|e| {
            let local = Source::new(source.name.clone(), text);
            let mut d = e.into_diagnostic(&local);
            move_diagnostic(&mut d, &local, source, range.start as isize);
            Box::new(d)
        })?,
    };
    Ok(Piece::new(&source.name, opens_line, text, file, account))
}

impl Piece {
    /// Resolves the triggers of `file`, the reading of `text`, a piece of the file `name`.
    fn new(
        name: &str,
        opens_line: bool,
        text: &str,
        file: ast::File,
        account: Option<&Account>,
    ) -> Piece {
        let local = Source::new(name, text);
        let resolved = file
            .triggers
            .iter()
            .map(|t| resolve(&local, &file.comments, opens_line, t, account))
            .collect();
        Piece {
            opens_line,
            triggers: file.triggers.iter().map(Head::of).collect(),
            queues: file.queues.len(),
            first_comment: file.comments.first().map(|c| c.span),
            local,
            resolved,
        }
    }

    /// Its triggers resolved, as if resolved in `source` where the piece starts at `start`.
    fn moved<'a>(
        &'a self,
        source: &'a Arc<Source>,
        start: usize,
    ) -> impl Iterator<Item = Resolved> + 'a {
        self.resolved.iter().map(move |(trigger, diagnostics)| {
            let trigger = trigger.clone().map(|mut t| {
                move_trigger(&mut t, source, start as isize);
                t
            });
            let diagnostics = diagnostics
                .iter()
                .map(|d| {
                    let mut d = d.clone();
                    move_diagnostic(&mut d, &self.local, source, start as isize);
                    d
                })
                .collect();
            (trigger, diagnostics)
        })
    }
}

/// `span` moved by `by` bytes.
pub(crate) fn shifted(span: Span, by: isize) -> Span {
    let at = |offset: usize| offset.saturating_add_signed(by);
    Span::new(at(span.start), at(span.end))
}

/// Moves a trigger resolved in a piece into `source`, where the piece starts at `by`.
fn move_trigger(t: &mut Trigger, source: &Arc<Source>, by: isize) {
    t.origin.source = Arc::clone(source);
    t.origin.span = shifted(t.origin.span, by);
    t.title_span = shifted(t.title_span, by);
    for c in &mut t.comments {
        c.span = shifted(c.span, by);
    }
    move_condition(&mut t.conditions, by);
    t.actions.iter_mut().for_each(|a| move_action(a, by));
}

fn move_condition(c: &mut Condition, by: isize) {
    match c {
        Condition::All(members) | Condition::Any(members) | Condition::Not(members) => {
            members.iter_mut().for_each(|m| move_condition(m, by));
        }
        Condition::Test(test) => test.span = shifted(test.span, by),
        Condition::Hours { span, .. } => *span = shifted(*span, by),
        Condition::Zendesk(raw) => raw.span = shifted(raw.span, by),
    }
}

fn move_action(a: &mut Action, by: isize) {
    a.span = shifted(a.span, by);
    if let ActionTarget::Zendesk(raw) = &mut a.target {
        raw.span = shifted(raw.span, by);
    }
}

/// Moves a diagnostic about the text `local` into `source`, where that text starts `by`
/// bytes further; a diagnostic about another text stays as it is.
pub(crate) fn move_diagnostic(
    d: &mut Diagnostic,
    local: &Arc<Source>,
    source: &Arc<Source>,
    by: isize,
) {
    if d.source.as_ref().is_some_and(|s| Arc::ptr_eq(s, local)) {
        d.source = Some(Arc::clone(source));
        for label in &mut d.labels {
            label.span = shifted(label.span, by);
        }
    }
    for related in &mut d.related {
        move_diagnostic(related, local, source, by);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// What a checked trigger or queue is, its file by name and text.
    fn fingerprint(checked: &Checked) -> Vec<String> {
        let rules = &checked.rules;
        let triggers = rules.triggers.iter().chain(&rules.automations).map(|t| {
            format!(
                "{:?}",
                (
                    (&t.title, t.kind, &t.category, &t.description, t.position),
                    (t.active, t.zendesk_id, &t.events, t.once_per_ticket),
                    (&t.conditions, &t.actions, &t.comments, t.title_span),
                    (t.origin.span, &t.origin.source.name, &t.origin.source.text),
                )
            )
        });
        let queues = rules.queues.iter().map(|q| {
            let place = (q.origin.span, &q.origin.source.name, q.title_span);
            format!("{:?}", (&q.name, &q.conditions, &q.groups, place))
        });
        let counts = (checked.files, checked.triggers, checked.automations);
        let counts = format!("{counts:?} {}", checked.queues);
        triggers.chain(queues).chain([counts]).collect()
    }

    /// Checks `files` whole and with `cache`, and asserts that both agree.
    fn agree(cache: &mut Cache, files: &[(String, String)], what: &str) -> Checked {
        let sources: Vec<Arc<Source>> = files
            .iter()
            .map(|(name, text)| Source::new(name.clone(), text.clone()))
            .collect();
        let whole = super::super::check_with(&sources, None);
        let again = cache.check(&sources, None);
        assert_eq!(whole.diagnostics, again.diagnostics, "{what}: diagnostics");
        assert_eq!(fingerprint(&whole), fingerprint(&again), "{what}: rules");
        again
    }

    #[test]
    fn the_recipes_and_the_corpus_check_alike_whole_and_piece_by_piece() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sets: Vec<std::path::PathBuf> = ["recipes/en", "recipes/fr", "recipes/seed"]
            .iter()
            .map(|d| root.join(d))
            .collect();
        for corpus in ["tests/corpus/valid", "tests/corpus/invalid"] {
            let mut files: Vec<_> = std::fs::read_dir(root.join(corpus))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "declic"))
                .collect();
            files.sort();
            sets.extend(files);
        }
        for set in sets {
            let loaded = crate::load::load(&set);
            let files: Vec<(String, String)> = loaded
                .sources
                .iter()
                .map(|s| (s.name.clone(), s.text.clone()))
                .collect();
            let what = set.display().to_string();
            // Twice with one cache: read at first, then taken from it.
            let mut cache = Cache::new();
            agree(&mut cache, &files, &what);
            let again = agree(&mut cache, &files, &what);
            if what.contains("invalid") {
                // Unless it does not even load (not UTF-8).
                let diagnosed = !again.diagnostics.is_empty() || !loaded.diagnostics.is_empty();
                assert!(diagnosed, "{what} is diagnosed");
            } else {
                assert_eq!(
                    cache.pieces_read(),
                    0,
                    "{what}: the second check reads nothing"
                );
            }
        }
    }

    /// Trigger `i` of a generated set, of several shapes; `title` overrides its title.
    fn trigger(i: usize) -> String {
        let note = if i % 5 == 0 { "# a note on it\n" } else { "" };
        let kind = if i % 7 == 3 { "automation" } else { "trigger" };
        let when = if kind == "automation" {
            "Hours since pending > 48\n    Status is Pending"
        } else {
            "Ticket is Updated\n    Canal is Messagerie"
        };
        format!(
            "{note}{kind} \"Rule {i}\" {{\n  category \"C{}\"\n  when all {{\n    {when}\n    \
             Tags excludes t{i}\n  }}\n  then {{\n    Tags += t{i}\n  }}\n}}\n",
            i % 3
        )
    }

    /// Three files of generated triggers.
    fn generated() -> Vec<(String, String)> {
        (0..3)
            .map(|f| {
                let text = (f * 40..f * 40 + 40).map(trigger).collect();
                (format!("/set/{f}.declic"), text)
            })
            .collect()
    }

    #[test]
    fn a_sequence_of_edits_checks_alike_whole_and_piece_by_piece() {
        type Edit = fn(&mut Vec<(String, String)>);
        let edits: [(&str, Edit); 12] = [
            ("a character typed in a title", |f| {
                f[0].1 = f[0].1.replacen("Rule 0", "Rule 0x", 1)
            }),
            ("a title taken from another file", |f| {
                f[1].1 = f[1].1.replacen("Rule 41\"", "Rule 2\"", 1)
            }),
            ("the shared title given back", |f| {
                f[1].1 = f[1].1.replacen("Rule 2\"", "Rule 41\"", 1)
            }),
            ("a line that does not read", |f| {
                f[2].1 = f[2].1.replacen("Tags += t85", "Tags += ", 1)
            }),
            ("the line fixed", |f| {
                f[2].1 = f[2].1.replacen("Tags += \n", "Tags += t85\n", 1)
            }),
            ("an unknown field", |f| {
                f[0].1 = f[0]
                    .1
                    .replacen("Canal is Messagerie", "Canl is Messagerie", 1)
            }),
            ("comments after a brace and above a trigger", |f| {
                f[1].1 = f[1].1.replacen(
                    "}\ntrigger \"Rule 42\"",
                    "} # after\n# declic-allow: duplicate_trigger\ntrigger \"Rule 42\"",
                    1,
                )
            }),
            ("a trigger deleted", |f| {
                let start = f[2].1.find("trigger \"Rule 90\"").unwrap();
                let end = start + f[2].1[start..].find("\n}\n").unwrap() + 3;
                f[2].1.replace_range(start..end, "");
            }),
            ("a trigger written twice", |f| {
                let copy = trigger(7);
                f[0].1.push_str(&copy);
                f[0].1.push_str(&copy);
            }),
            ("a queue", |f| {
                f[1].1.push_str(
                    "queue \"Q\" {\n  when all {\n    Canal is Messagerie\n  }\n  groups {\n    primary 123\n  }\n}\n",
                )
            }),
            ("a file of comments only", |f| {
                f[2].1 = "# nothing yet\n".to_owned()
            }),
            ("a title shared within a file and across", |f| {
                f[0].1 = f[0].1.replacen("Rule 1\"", "Rule 45\"", 1);
                f[2].1 = trigger(45);
            }),
        ];
        let mut files = generated();
        let mut cache = Cache::new();
        agree(&mut cache, &files, "the first check");
        let mut found_duplicates = Vec::new();
        for (what, edit) in edits {
            edit(&mut files);
            let checked = agree(&mut cache, &files, what);
            let duplicates = checked
                .diagnostics
                .iter()
                .filter(|d| d.code == crate::Code::DuplicateTitle)
                .map(|d| d.message.clone())
                .collect::<Vec<_>>();
            found_duplicates.push(duplicates);
        }
        // The edits did what they say: a duplicate title across files comes and goes.
        let rule_2 = "two triggers are titled `Rule 2`";
        assert_eq!(found_duplicates[1], [rule_2]);
        assert!(found_duplicates[2].is_empty(), "{:?}", found_duplicates[2]);
        let rule_45 = "two triggers are titled `Rule 45`";
        let last = &found_duplicates[11];
        assert_eq!(last.iter().filter(|m| *m == rule_45).count(), 2, "{last:?}");
    }

    #[test]
    fn an_edit_reads_only_the_piece_it_changed() {
        let mut files = generated();
        let sources = |files: &[(String, String)]| -> Vec<Arc<Source>> {
            files
                .iter()
                .map(|(name, text)| Source::new(name.clone(), text.clone()))
                .collect()
        };
        let mut cache = Cache::new();
        cache.check(&sources(&files), None);
        // Each trigger is a piece, and so is the line end after the last one of a file.
        assert_eq!(cache.pieces_read(), 123);
        cache.check(&sources(&files), None);
        assert_eq!(cache.pieces_read(), 0, "nothing changed");
        files[1].1 = files[1].1.replacen("Rule 50\"", "Rule 50 bis\"", 1);
        cache.check(&sources(&files), None);
        assert_eq!(cache.pieces_read(), 1, "one title changed");
        // A line half written: only its piece is read again, and once it is whole again,
        // nothing else either.
        let whole = files[1].1.clone();
        files[1].1 = files[1].1.replacen("Tags += t51", "Tags += t51 { }", 1);
        let checked = cache.check(&sources(&files), None);
        assert!(checked.diagnostics.iter().any(Diagnostic::is_error));
        assert_eq!(cache.pieces_read(), 1, "the piece half written");
        files[1].1 = whole;
        cache.check(&sources(&files), None);
        assert_eq!(cache.pieces_read(), 1, "the piece written whole again");
        // Near miss: the same text in a file of another name is read again, since its
        // diagnostics name its file.
        files[1].0 = "/set/renamed.declic".to_owned();
        cache.check(&sources(&files), None);
        assert_eq!(cache.pieces_read(), 41);
    }
}
