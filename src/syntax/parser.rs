//! Text to [`ast`](super::ast): pest does the recognising, and one small builder function
//! per grammar rule turns its pairs into owned syntax. Pest types stay in this file.
//!
//! A file is read twice at most. First by the fast reading (`grammar/fast.pest`), which
//! takes each condition and action line whole and leaves its split to [`split`](super::split);
//! if that reading or a split refuses anything, or the builder meets an error, the full
//! grammar (`grammar/declic.pest`) reads the file again, builds it or explains what is wrong.
//! Both readings build through the same functions below.

use pest::iterators::Pair;
use pest::Parser as _;

use super::ast::*;
use super::chunks;
use super::error::{self, SyntaxError};
use super::split;
use crate::catalog::Op;
use crate::diagnostics::Span;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/declic.pest"]
#[grammar = "../grammar/fast.pest"]
pub(super) struct Grammar;

/// How deeply blocks may nest. Real triggers use two or three levels; the limit keeps
/// hostile input from exhausting the stack in the parser, the checker or the engine.
pub const MAX_DEPTH: usize = 32;

/// Parses one file.
pub fn parse(text: &str) -> Result<File, SyntaxError> {
    parse_each(text, |piece| piece).map(chunks::merge)
}

/// Reads `text` as [`parse`] does, handing each piece's tree (a trigger or queue with the
/// comments before it, spans counted from the start of `text`) to `each` on the core that
/// read it, so that a caller can take each tree further while it is at hand instead of
/// holding the whole file's: the results in file order. A file the pieces cannot take is
/// read whole by the full grammar, which explains any error, and handed to `each` as one
/// piece.
pub fn parse_each<T: Send>(
    text: &str,
    each: impl Fn(File) -> T + Sync,
) -> Result<Vec<T>, SyntaxError> {
    let shape = super::lex::shape(text, MAX_DEPTH);
    // Refused before pest sees it, since pest descends once per level.
    if let Some(i) = shape.too_deep_at {
        return Err(error::too_deep(Span::new(i, i + 1)));
    }
    match chunks::map(text, &shape.top_level_ends, read_fast, &each) {
        Some(pieces) => Ok(pieces),
        None => read_full(text).map(|file| vec![each(file)]),
    }
}

/// Where the fast reading cuts `text`: each piece a trigger or queue with the comments and
/// blank lines before it, read on its own by [`read_piece`] (the last piece holds what
/// follows the last one). A caller that keeps each piece's reading can read again only
/// the pieces that changed: when every piece reads, the file is the pieces' trees, each
/// moved by where its piece starts; when one does not, [`parse`] says why.
pub fn pieces(text: &str) -> Result<Vec<std::ops::Range<usize>>, SyntaxError> {
    let shape = super::lex::shape(text, MAX_DEPTH);
    if let Some(i) = shape.too_deep_at {
        return Err(error::too_deep(Span::new(i, i + 1)));
    }
    Ok(chunks::pieces(text.len(), &shape.top_level_ends))
}

/// The fast reading of one piece [`pieces`] cut, its spans counted from the piece's start;
/// `None` when the whole file must be read by [`parse`].
pub fn read_piece(text: &str) -> Option<File> {
    read_fast(text)
}

/// The fast reading of a file or of a piece of one, or `None` for text it cannot take
/// exactly as the full grammar would and for text with an error, which the full grammar
/// then reports.
fn read_fast(text: &str) -> Option<File> {
    let mut pairs = Grammar::parse(Rule::fast_file, text).ok()?;
    build_file(pairs.next()?).ok()
}

/// The full grammar's reading, which explains syntax errors.
fn read_full(text: &str) -> Result<File, SyntaxError> {
    let mut pairs = Grammar::parse(Rule::file, text).map_err(|_| detailed_error(text))?;
    let file = pairs.next().expect("the file rule always yields one pair");
    build_file(file).map_err(|stop| match stop {
        Stop::Error(e) => e,
        Stop::Unsplit => unreachable!("the full grammar has no lines left to split"),
    })
}

/// Why building stopped.
pub(super) enum Stop {
    /// An error in the text: a number too large, an invalid escape.
    Error(SyntaxError),
    /// A line of the fast reading that [`split`] refused.
    Unsplit,
}

impl From<SyntaxError> for Stop {
    fn from(e: SyntaxError) -> Self {
        Stop::Error(e)
    }
}

pub(super) type Built<T> = Result<T, Stop>;

/// Parses again, this time recording every attempt so the error can say what could have
/// come. Recording makes parsing many times slower, so only failures pay for it.
fn detailed_error(text: &str) -> SyntaxError {
    pest::set_error_detail(true);
    let result = Grammar::parse(Rule::file, text);
    pest::set_error_detail(false);
    match result {
        Err(e) => error::from_pest(text, e),
        Ok(_) => unreachable!("pest parses the same text the same way twice"),
    }
}

pub(super) fn span(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

fn is_comment(pair: &Pair<'_, Rule>) -> bool {
    matches!(pair.as_rule(), Rule::COMMENT | Rule::fast_comment)
}

/// The children of a pair, comments and the fast reading's line breaks left out.
pub(super) fn children<'a>(pair: Pair<'a, Rule>) -> impl Iterator<Item = Pair<'a, Rule>> {
    pair.into_inner().filter(|p| {
        !matches!(
            p.as_rule(),
            Rule::COMMENT | Rule::fast_comment | Rule::lines | Rule::lines1
        )
    })
}

/// The one child of a rule that only chooses between alternatives.
fn first_child(pair: Pair<'_, Rule>) -> Pair<'_, Rule> {
    children(pair)
        .next()
        .expect("a choice rule holds its choice")
}

fn build_file(pair: Pair<'_, Rule>) -> Built<File> {
    // Every comment starts with `#`: a text without one (most pieces of a large file)
    // spares the walk over all of its tokens.
    let comments = if pair.as_str().contains('#') {
        pair.clone()
            .into_inner()
            .flatten()
            .filter(is_comment)
            .map(|p| Spanned {
                node: p.as_str().to_string(),
                span: span(&p),
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut triggers = Vec::new();
    let mut queues = Vec::new();
    for p in children(pair) {
        match p.as_rule() {
            Rule::trigger | Rule::fast_trigger => triggers.push(build_trigger(p)?),
            Rule::queue => queues.push(super::queue::build_queue(p)?),
            Rule::fast_queue => queues.push(super::queue::build_queue(first_child(p))?),
            _ => {}
        }
    }
    Ok(File {
        triggers,
        queues,
        comments,
    })
}

fn build_trigger(pair: Pair<'_, Rule>) -> Built<Trigger> {
    let whole = span(&pair);
    let mut inner = children(pair);
    let kind_pair = first_child(inner.next().expect("a trigger starts with its keyword"));
    let kind = Spanned {
        node: match kind_pair.as_rule() {
            Rule::kw_messaging_trigger => TriggerKind::Messaging,
            Rule::kw_automation => TriggerKind::Automation,
            _ => TriggerKind::Ticket,
        },
        span: span(&kind_pair),
    };
    let title_pair = inner.next().expect("a trigger has a title");
    let title = Spanned {
        span: span(&title_pair),
        node: build_string(title_pair)?,
    };
    let items = inner
        .map(|item| build_item(first_child(item)))
        .collect::<Result<_, _>>()?;
    Ok(Trigger {
        kind,
        title,
        items,
        span: whole,
    })
}

fn build_item(pair: Pair<'_, Rule>) -> Built<Spanned<Item>> {
    let item_span = span(&pair);
    let rule = pair.as_rule();
    // Every item is a keyword followed by at most one argument.
    let mut inner = children(pair);
    let _keyword = inner.next();
    let arg = inner.next();
    let node = match (rule, arg) {
        (Rule::category | Rule::fast_category, Some(arg)) => Item::Category(build_string(arg)?),
        (Rule::description | Rule::fast_description, Some(arg)) => {
            Item::Description(build_string(arg)?)
        }
        (Rule::position, Some(arg)) => Item::Position(build_integer(arg)?),
        (Rule::zendesk_id, Some(arg)) => Item::ZendeskId(build_integer(arg)?),
        (Rule::active, Some(arg)) => Item::Active(build_boolean(arg)),
        (Rule::event, Some(arg)) => Item::On(build_name(arg)?),
        (Rule::once, _) => Item::Once,
        (Rule::when | Rule::fast_when, Some(arg)) => Item::When(build_group(arg)?),
        (Rule::then | Rule::fast_then, first) => Item::Then(
            first
                .into_iter()
                .chain(inner)
                .map(build_action)
                .collect::<Result<_, _>>()?,
        ),
        (other, _) => unreachable!("not an item rule, or one without its argument: {other:?}"),
    };
    Ok(Spanned {
        node,
        span: item_span,
    })
}

pub(super) fn build_group(pair: Pair<'_, Rule>) -> Built<Group> {
    let whole = span(&pair);
    let bare = matches!(pair.as_rule(), Rule::bare_group | Rule::fast_bare_group);
    let mut inner = children(pair).peekable();
    let kind = if bare {
        GroupKind::All
    } else {
        match inner.next().map(|p| p.as_rule()) {
            Some(Rule::kw_any) => GroupKind::Any,
            Some(Rule::kw_not) => GroupKind::Not,
            _ => GroupKind::All,
        }
    };
    let members = inner
        .map(|p| match p.as_rule() {
            Rule::group | Rule::fast_group => build_group(p).map(Test::Group),
            Rule::zendesk => build_zendesk(p).map(Test::Zendesk),
            Rule::line => split::test(line(p)?).ok_or(Stop::Unsplit),
            _ => build_condition(p).map(Test::Condition),
        })
        .collect::<Result<_, _>>()?;
    Ok(Group {
        kind,
        members,
        span: whole,
    })
}

fn build_condition(pair: Pair<'_, Rule>) -> Built<Condition> {
    let whole = span(&pair);
    let mut inner = children(pair);
    let field = build_name(inner.next().expect("a condition starts with a name"))?;
    let op_pair = first_child(inner.next().expect("a condition has an operator"));
    let op = Spanned {
        node: operator(op_pair.as_rule()),
        span: span(&op_pair),
    };
    let value = match inner.next() {
        Some(value) => build_atoms(value)?,
        None => Vec::new(),
    };
    Ok(Condition {
        field,
        op,
        value,
        span: whole,
    })
}

fn operator(rule: Rule) -> Op {
    match rule {
        Rule::op_is => Op::Is,
        Rule::op_is_not => Op::IsNot,
        Rule::op_less => Op::Less,
        Rule::op_less_equal => Op::LessOrEqual,
        Rule::op_greater => Op::Greater,
        Rule::op_greater_equal => Op::GreaterOrEqual,
        Rule::op_includes => Op::Includes,
        Rule::op_excludes => Op::Excludes,
        Rule::op_contains => Op::Contains,
        Rule::op_not_contains => Op::NotContains,
        Rule::op_present => Op::Present,
        Rule::op_not_present => Op::NotPresent,
        Rule::op_changed => Op::Changed,
        Rule::op_not_changed => Op::NotChanged,
        Rule::op_changed_to => Op::ChangedTo,
        Rule::op_changed_from => Op::ChangedFrom,
        Rule::op_not_changed_to => Op::NotChangedTo,
        Rule::op_not_changed_from => Op::NotChangedFrom,
        other => unreachable!("not an operator rule: {other:?}"),
    }
}

fn build_action(pair: Pair<'_, Rule>) -> Built<Action> {
    if pair.as_rule() == Rule::line {
        return split::action(line(pair)?).ok_or(Stop::Unsplit);
    }
    let whole = span(&pair);
    let inner = children(pair)
        .next()
        .expect("an action is an assignment or a phrase");
    if inner.as_rule() == Rule::zendesk {
        return build_zendesk(inner).map(Action::Zendesk);
    }
    if inner.as_rule() == Rule::phrase {
        return Ok(Action::Phrase {
            atoms: build_atoms(inner)?,
            span: whole,
        });
    }
    let mut parts = children(inner);
    let name_pair = parts.next().expect("an assignment starts with a name");
    let name = build_name(name_pair)?;
    let op_pair = parts.next().expect("an assignment has an operator");
    let op = Spanned {
        node: match op_pair.as_rule() {
            Rule::op_add => AssignOp::Add,
            Rule::op_remove => AssignOp::Remove,
            _ => AssignOp::Set,
        },
        span: span(&op_pair),
    };
    let value = match parts.next() {
        Some(value) => build_atoms(value)?,
        None => Vec::new(),
    };
    Ok(Action::Assign {
        name,
        op,
        value,
        span: whole,
    })
}

/// `zendesk "..."`: the JSON text, spanning the whole line so messages point at it.
fn build_zendesk(pair: Pair<'_, Rule>) -> Built<Spanned<String>> {
    let whole = span(&pair);
    let string = children(pair)
        .find(|p| p.as_rule() == Rule::string)
        .expect("a passthrough holds its string");
    Ok(Spanned {
        node: build_string(string)?,
        span: whole,
    })
}

/// A line of the fast reading, for [`split`]: its atoms are its strings, which pest found,
/// and the bare runs between them. Refused where a raw string follows a bare character:
/// the grammar reads that `r` as the end of the bare run, not as the start of a string.
fn line(pair: Pair<'_, Rule>) -> Built<split::Line<'_>> {
    let text = pair.get_input();
    let whole = span(&pair);
    let end = whole.start
        + text[whole.start..whole.end]
            .trim_end_matches([' ', '\t'])
            .len();
    // Room for the atoms of nearly every line at once, rather than growing twice.
    let mut atoms = Vec::with_capacity(8);
    let mut bare_from = whole.start;
    let strings = pair.into_inner().filter(|p| p.as_rule() != Rule::line_text);
    for string in strings {
        let at = span(&string);
        let atom_start = at.start == bare_from || text[..at.start].ends_with([' ', '\t']);
        if !atom_start && text[at.start..].starts_with('r') {
            return Err(Stop::Unsplit);
        }
        bare_runs(text, Span::new(bare_from, at.start), &mut atoms);
        atoms.push((at, Some(build_string(string)?)));
        bare_from = at.end;
    }
    bare_runs(text, Span::new(bare_from, end), &mut atoms);
    Ok(split::Line {
        text,
        span: Span::new(whole.start, end),
        atoms,
    })
}

/// The bare atoms in `within`, text without strings: its runs between spaces and tabs.
fn bare_runs(text: &str, within: Span, atoms: &mut Vec<(Span, Option<String>)>) {
    let mut at = within.start;
    // Split as bytes: a space or a tab is never part of a longer character, and a search
    // for either of two characters decoded every character of every line.
    let line = &text.as_bytes()[within.start..within.end];
    for run in line.split(|b| matches!(b, b' ' | b'\t')) {
        if !run.is_empty() {
            atoms.push((Span::new(at, at + run.len()), None));
        }
        at += run.len() + 1;
    }
}

/// A `name`/`action_name` pair: a string, or words.
pub(super) fn build_name(pair: Pair<'_, Rule>) -> Result<Name, SyntaxError> {
    let whole = span(&pair);
    let inner = children(pair)
        .next()
        .expect("a name holds a string or words");
    let quoted = inner.as_rule() == Rule::string;
    let text = if quoted {
        build_string(inner)?
    } else {
        inner.as_str().to_string()
    };
    Ok(Name {
        text,
        quoted,
        span: whole,
    })
}

fn build_atoms(pair: Pair<'_, Rule>) -> Result<Vec<Atom>, SyntaxError> {
    children(pair)
        .map(|atom| {
            let quoted = atom.as_rule() == Rule::string;
            Ok(Atom {
                span: span(&atom),
                text: if quoted {
                    build_string(atom)?
                } else {
                    atom.as_str().to_string()
                },
                quoted,
            })
        })
        .collect()
}

pub(super) fn build_string(pair: Pair<'_, Rule>) -> Result<String, SyntaxError> {
    let inner = pair.into_inner().next().expect("a string is raw or quoted");
    if inner.as_rule() == Rule::raw_string {
        let raw = inner
            .into_inner()
            .find(|p| p.as_rule() == Rule::raw_inner)
            .expect("a raw string has contents");
        return Ok(raw.as_str().to_string());
    }
    let contents = inner
        .into_inner()
        .next()
        .expect("a quoted string has contents");
    unescape(contents.as_str(), span(&contents))
}

/// Resolves the escapes the grammar admits: `\"`, `\\`, `\n`, `\t`, `\r`, `\u{...}`.
fn unescape(text: &str, at: Span) -> Result<String, SyntaxError> {
    // Most strings hold no escape: they are copied whole rather than character by character.
    if !text.contains('\\') {
        return Ok(text.to_owned());
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some((_, 'n')) => out.push('\n'),
            Some((_, 't')) => out.push('\t'),
            Some((_, 'r')) => out.push('\r'),
            Some((_, 'u')) => {
                let hex: String = chars
                    .by_ref()
                    .map(|(_, c)| c)
                    .skip(1)
                    .take_while(|c| *c != '}')
                    .collect();
                let c = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                let escape = Span::new(at.start + i, at.start + i + hex.len() + 4);
                out.push(c.ok_or_else(|| error::bad_escape(escape, &hex))?);
            }
            Some((_, c)) => out.push(c),
            None => {}
        }
    }
    Ok(out)
}

pub(super) fn build_integer(pair: Pair<'_, Rule>) -> Result<i64, SyntaxError> {
    pair.as_str()
        .parse()
        .map_err(|_| error::bad_integer(span(&pair), pair.as_str()))
}

fn build_boolean(pair: Pair<'_, Rule>) -> bool {
    children(pair).next().map(|p| p.as_rule()) == Some(Rule::kw_true)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one trigger of `text`.
    fn trigger(text: &str) -> Trigger {
        let mut file = parse(text).unwrap_or_else(|e| panic!("{text}\n{e:?}"));
        assert_eq!(file.triggers.len(), 1, "{text}");
        file.triggers.remove(0)
    }

    /// The conditions of a trigger whose `when all` block holds `body`.
    fn conditions(body: &str) -> Vec<Test> {
        let t = trigger(&format!("trigger \"t\" {{\n when all {{\n{body}\n }}\n}}"));
        match &t.items[0].node {
            Item::When(group) => group.members.clone(),
            other => panic!("expected when, got {other:?}"),
        }
    }

    fn condition(line: &str) -> (String, Op, Vec<String>) {
        match conditions(line).remove(0) {
            Test::Condition(c) => (
                c.field.text,
                c.op.node,
                c.value.into_iter().map(|a| a.text).collect(),
            ),
            other => panic!("expected a condition, got {other:?}"),
        }
    }

    fn actions(body: &str) -> Vec<Action> {
        let t = trigger(&format!("trigger \"t\" {{\n then {{\n{body}\n }}\n}}"));
        match &t.items[0].node {
            Item::Then(actions) => actions.clone(),
            other => panic!("expected then, got {other:?}"),
        }
    }

    #[test]
    fn seed_phrases_read_as_written() {
        assert_eq!(
            condition("Canal is Messagerie"),
            ("Canal".into(), Op::Is, vec!["Messagerie".into()])
        );
        assert_eq!(
            condition("Raison de fin de session changed to Ended by agent"),
            (
                "Raison de fin de session".into(),
                Op::ChangedTo,
                vec!["Ended".into(), "by".into(), "agent".into()]
            )
        );
        for phrase in ["Mettre fin à la session", "send CSAT"] {
            match &actions(phrase)[0] {
                Action::Phrase { atoms, .. } => {
                    let words: Vec<&str> = atoms.iter().map(|a| a.text.as_str()).collect();
                    assert_eq!(words.join(" "), phrase);
                }
                other => panic!("{phrase}: {other:?}"),
            }
        }
    }

    #[test]
    fn every_operator_in_english_french_and_api_form() {
        let table = [
            ("is", Op::Is),
            ("est", Op::Is),
            ("EST", Op::Is),
            ("==", Op::Is),
            ("is not", Op::IsNot),
            ("n'est pas", Op::IsNot),
            ("n’est pas", Op::IsNot),
            ("is_not", Op::IsNot),
            ("!=", Op::IsNot),
            ("<", Op::Less),
            ("less than", Op::Less),
            ("less_than", Op::Less),
            ("inférieur à", Op::Less),
            ("<=", Op::LessOrEqual),
            (">", Op::Greater),
            ("greater_than", Op::Greater),
            ("supérieur à", Op::Greater),
            (">=", Op::GreaterOrEqual),
            ("includes", Op::Includes),
            ("inclut", Op::Includes),
            ("excludes", Op::Excludes),
            ("exclut", Op::Excludes),
            ("not_includes", Op::Excludes),
            ("contains", Op::Contains),
            ("contient", Op::Contains),
            ("includes_string", Op::Contains),
            ("does not contain", Op::NotContains),
            ("ne contient pas", Op::NotContains),
            ("not_includes_string", Op::NotContains),
            ("is present", Op::Present),
            ("est présent", Op::Present),
            ("est presente", Op::Present),
            ("present", Op::Present),
            ("is not present", Op::NotPresent),
            ("n'est pas présent", Op::NotPresent),
            ("not_present", Op::NotPresent),
            ("changed", Op::Changed),
            ("a changé", Op::Changed),
            ("modifié", Op::Changed),
            ("not changed", Op::NotChanged),
            ("n'a pas changé", Op::NotChanged),
            ("not_changed", Op::NotChanged),
            ("changed to", Op::ChangedTo),
            ("a changé en", Op::ChangedTo),
            ("changé vers", Op::ChangedTo),
            ("value", Op::ChangedTo),
            ("changed from", Op::ChangedFrom),
            ("a changé depuis", Op::ChangedFrom),
            ("value_previous", Op::ChangedFrom),
            ("not changed to", Op::NotChangedTo),
            ("n'a pas changé en", Op::NotChangedTo),
            ("not_value", Op::NotChangedTo),
            ("not changed from", Op::NotChangedFrom),
            ("n'a pas changé depuis", Op::NotChangedFrom),
            ("not_value_previous", Op::NotChangedFrom),
        ];
        for (written, op) in table {
            let (field, parsed, _) = condition(&format!("Statut du ticket {written} x"));
            assert_eq!(
                (field.as_str(), parsed),
                ("Statut du ticket", op),
                "{written}"
            );
        }
    }

    #[test]
    fn operators_without_value_and_quoted_names() {
        assert_eq!(
            condition("Assignee is not present"),
            ("Assignee".into(), Op::NotPresent, vec![])
        );
        assert_eq!(
            condition("Status changed"),
            ("Status".into(), Op::Changed, vec![])
        );
        let (field, op, value) = condition(r#""Is it public" is "yes # really""#);
        assert_eq!(
            (field.as_str(), op, value),
            ("Is it public", Op::Is, vec!["yes # really".to_string()])
        );
    }

    #[test]
    fn operator_words_inside_other_words_do_not_split_names() {
        let (field, op, _) = condition("Isolation island estate is x");
        assert_eq!((field.as_str(), op), ("Isolation island estate", Op::Is));
    }

    #[test]
    fn groups_nest_freely_in_both_languages() {
        let members = conditions("any {\n a is b\n not {\n c is d\n tous { e is f }\n }\n}\nau moins un { g is h }\nnon { i is j }");
        let kinds: Vec<GroupKind> = members
            .iter()
            .map(|m| match m {
                Test::Group(g) => g.kind,
                _ => panic!("expected groups"),
            })
            .collect();
        assert_eq!(kinds, [GroupKind::Any, GroupKind::Any, GroupKind::Not]);
        let Test::Group(any) = &members[0] else {
            unreachable!()
        };
        let Test::Group(not) = &any.members[1] else {
            panic!("nested not")
        };
        assert_eq!(not.kind, GroupKind::Not);
        assert!(matches!(&not.members[1], Test::Group(g) if g.kind == GroupKind::All));
    }

    #[test]
    fn properties_in_both_languages() {
        let t = trigger(
            "déclencheur \"t\" {\n catégorie \"Messagerie\"\n description \"d\"\n position 3\n actif faux\n identifiant 360056295714\n quand {\n a est b\n }\n alors {\n x = y\n }\n}",
        );
        let items: Vec<Item> = t.items.into_iter().map(|i| i.node).collect();
        assert_eq!(items[0], Item::Category("Messagerie".into()));
        assert_eq!(items[1], Item::Description("d".into()));
        assert_eq!(items[2], Item::Position(3));
        assert_eq!(items[3], Item::Active(false));
        assert_eq!(items[4], Item::ZendeskId(360056295714));
        assert!(matches!(&items[5], Item::When(g) if g.kind == GroupKind::All));
        assert!(matches!(&items[6], Item::Then(a) if a.len() == 1));
    }

    #[test]
    fn automations_in_both_languages() {
        for (header, kind) in [
            ("automation", TriggerKind::Automation),
            ("Automatisation", TriggerKind::Automation),
            ("AUTOMATISATION", TriggerKind::Automation),
            // Near miss: the trigger keyword still reads as a ticket trigger.
            ("trigger", TriggerKind::Ticket),
        ] {
            let t = trigger(&format!(
                "{header} \"a\" {{\n when all {{\n Hours since pending > 48\n }}\n}}"
            ));
            assert_eq!(t.kind.node, kind, "{header}");
        }
        assert!(parse("automations \"a\" {\n}").is_err());
    }

    #[test]
    fn messaging_triggers_with_events() {
        for header in [
            "messaging trigger",
            "Déclencheur de messagerie",
            "DECLENCHEUR DE MESSAGERIE",
        ] {
            let t = trigger(&format!(
                "{header} \"m\" {{\n on conversation requested\n once per ticket\n}}"
            ));
            assert_eq!(t.kind.node, TriggerKind::Messaging, "{header}");
            assert!(matches!(&t.items[0].node, Item::On(n) if n.text == "conversation requested"));
            assert_eq!(t.items[1].node, Item::Once);
        }
        let t = trigger(
            "messaging trigger \"m\" {\n lors de \"Message envoyé\"\n une fois par ticket\n}",
        );
        assert!(matches!(&t.items[0].node, Item::On(n) if n.quoted && n.text == "Message envoyé"));
    }

    #[test]
    fn zendesk_passthroughs_stand_for_a_condition_or_an_action() {
        let json = r#"{"field":"x","operator":"y","value":"z"}"#;
        let members = conditions(&format!("zendesk r#\"{json}\"#\nZendesk plan is gold"));
        assert!(matches!(&members[0], Test::Zendesk(j) if j.node == json));
        assert!(
            matches!(&members[1], Test::Condition(c) if c.field.text == "Zendesk plan"),
            "a field whose name starts with the keyword is still a field"
        );
        let acts = actions(r#"ZENDESK "{}""#);
        assert!(matches!(&acts[0], Action::Zendesk(j) if j.node == "{}"));
    }

    #[test]
    fn action_forms() {
        let acts = actions("Tags += a b\nBalises -= c\nPriorité = Basse\nnotify requester \"S\" \"B {{ticket.id}}\"\nwebhook 12 r#\"{\"a\": \"b\"}\"#");
        let ops: Vec<Option<AssignOp>> = acts
            .iter()
            .map(|a| match a {
                Action::Assign { op, .. } => Some(op.node),
                _ => None,
            })
            .collect();
        assert_eq!(
            ops,
            [
                Some(AssignOp::Add),
                Some(AssignOp::Remove),
                Some(AssignOp::Set),
                None,
                None
            ]
        );
        let Action::Phrase { atoms, .. } = &acts[4] else {
            unreachable!()
        };
        assert_eq!(atoms[2].text, r#"{"a": "b"}"#);
        assert!(atoms[2].quoted);
    }

    #[test]
    fn strings_resolve_escapes() {
        let acts = actions(r#"public reply "a \"quoted\" line\nand \u{e9} \\ end""#);
        let Action::Phrase { atoms, .. } = &acts[0] else {
            unreachable!()
        };
        assert_eq!(atoms[2].text, "a \"quoted\" line\nand é \\ end");
    }

    #[test]
    fn many_triggers_comments_and_blank_lines() {
        let file = parse("# head\n\ntrigger \"a\" { # c1\n\n when all { x is y } # c2\n\n}\n\n\ntrigger \"b\" {\n}\n# tail").unwrap();
        assert_eq!(file.triggers.len(), 2);
        let comments: Vec<&str> = file.comments.iter().map(|c| c.node.as_str()).collect();
        assert_eq!(comments, ["# head", "# c1", "# c2", "# tail"]);
    }

    /// Comments are looked for only in pieces with a `#`: each piece keeps its own, and
    /// a `#` in a string is not one.
    #[test]
    fn comments_of_each_piece() {
        let cases: [(&str, &[&str]); 4] = [
            ("trigger \"a\" {\n when all { x is y }\n}\n", &[]),
            ("trigger \"a #1\" {\n when all { x is \"#y\" }\n}\n", &[]),
            (
                "trigger \"a\" {\n}\ntrigger \"b\" {\n when all { x is y } # why\n}\n",
                &["# why"],
            ),
            ("trigger \"#a\" {\n}\n# end\n", &["# end"]),
        ];
        for (text, expected) in cases {
            let file = parse(text).unwrap_or_else(|e| panic!("{text}\n{e:?}"));
            let comments: Vec<&str> = file.comments.iter().map(|c| c.node.as_str()).collect();
            assert_eq!(comments, expected, "{text}");
        }
    }

    #[test]
    fn crlf_line_endings() {
        let file = parse("trigger \"a\" {\r\n when all {\r\n x is y\r\n }\r\n}\r\n").unwrap();
        assert_eq!(file.triggers.len(), 1);
    }

    #[test]
    fn depth_is_guarded_before_parsing() {
        let deep = format!("trigger \"t\" {{\n when {}", "all {\n".repeat(10_000));
        let e = parse(&deep).unwrap_err();
        assert_eq!(e.code, crate::diagnostics::Code::TooDeep);
        let ok = format!(
            "trigger \"t\" {{\n when {}x is y{}\n}}",
            "all {\n".repeat(MAX_DEPTH - 2),
            "\n}".repeat(MAX_DEPTH - 2)
        );
        assert!(parse(&ok).is_ok());
        // Braces inside strings and comments do not count.
        let quoted = format!(
            "trigger \"{}\" {{\n}} # {}",
            "{".repeat(100),
            "{".repeat(100)
        );
        assert!(parse(&quoted).is_ok());
    }

    #[test]
    fn syntax_errors_name_the_token_and_the_alternatives() {
        let e = parse("trigger \"x\" {\n when all {\n Canal Messagerie\n }\n}").unwrap_err();
        assert_eq!(e.message, "unexpected end of line");
        assert!(e.label.contains("an operator"), "{}", e.label);
        let e = parse("triger \"x\" {}").unwrap_err();
        assert_eq!(e.message, "unexpected `triger`");
        assert!(e.label.contains("`trigger`"), "{}", e.label);
        assert!(
            !e.label.contains("kw_"),
            "rule names never leak: {}",
            e.label
        );
    }

    #[test]
    fn errors_at_end_of_file_point_at_the_last_character() {
        let text = "trigger \"x\" {\n  when all {\n";
        let e = parse(text).unwrap_err();
        assert_eq!(e.message, "unexpected end of file");
        assert_eq!(&text[e.span.start..e.span.end], "{");
    }

    /// Reads `text` both ways: wherever the fast reading takes a file, trigger by trigger,
    /// it must build what the full grammar builds from the whole. Says whether it took it.
    fn read_both(text: &str) -> bool {
        let full = read_full(text);
        let ends = super::super::lex::shape(text, MAX_DEPTH).top_level_ends;
        match chunks::map(text, &ends, read_fast, |piece| piece).map(chunks::merge) {
            Some(fast) => {
                assert_eq!(Ok(&fast), full.as_ref(), "{text:?}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn the_fast_reading_takes_passthrough_lines() {
        let text = "trigger \"t\" {\n when all {\n  zendesk r#\"{\"field\": \"x\"}\"#\n  Zendesk plan is gold\n }\n then {\n  Zendesk \"{}\"\n }\n}\n";
        assert!(read_both(text), "refused {text:?}");
        let goes_on = text.replace("\"{}\"", "\"{}\" more");
        assert!(!read_both(&goes_on) && read_full(&goes_on).is_err());
    }

    #[test]
    fn parse_each_hands_over_each_piece_as_the_whole_reading_holds_it() {
        let text = "# about a\ntrigger \"a\" {\n when all { Status is Open }\n then { Priority = High }\n}\n\nqueue \"q\" {\n when all { Priority is High }\n groups {\n  primary 1\n }\n}\n# b\ntrigger \"b\" {\n then { Tags += x }\n}\n# the end\n";
        let pieces = parse_each(text, |piece| piece).expect("reads");
        // A trigger, a queue, a trigger, and the comment after them.
        let counts: Vec<_> = pieces
            .iter()
            .map(|p| (p.triggers.len(), p.queues.len(), p.comments.len()))
            .collect();
        assert_eq!(counts, [(1, 0, 1), (0, 1, 0), (1, 0, 1), (0, 0, 1)]);
        // Spans count from the file's start, so the pieces together are the whole reading.
        assert_eq!(Ok(chunks::merge(pieces)), read_full(text));
        // Text the pieces cannot take comes whole from the full grammar, as one piece.
        let only_full = "trigger \"t\" {\n when all {\n  Subject contains abcr\"x\"\n }\n}\n";
        assert!(!read_both(only_full) && read_full(only_full).is_ok());
        let whole = read_full(only_full).map(|file| vec![file]);
        assert_eq!(parse_each(only_full, |piece| piece), whole);
        // An error is the full grammar's.
        let bad = "trigger \"a\" {\n}\ntrigger \"b\" {\n when all {\n";
        let error = read_full(bad).expect_err("an unclosed group");
        assert_eq!(parse_each(bad, |piece| piece).map(|_| ()), Err(error));
    }

    #[test]
    fn the_fast_reading_takes_every_valid_corpus_file() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/valid");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(read_both(&text), "{} took the full grammar", path.display());
        }
    }

    #[test]
    fn the_fast_reading_splits_every_operator_spelling() {
        let body = "trigger \"t\" {\n when all {\n{}\n }\n then {\n{}\n }\n}";
        let lines = [
            "Statut du ticket is not present",
            "Statut  du\tticket   n’est   pas  présente # why",
            "a<b",
            "a <= b c",
            "a>=\"b\"r\"c\"",
            "\"Is it\" is \"x\" y",
            "r#\"raw\"# est x",
            "Isolation island estate is x",
            "Priorité a changé en Haute",
            "Priorité pas modifié depuis Basse",
            "a is=b",
            "a is present",
            "a includes_string b",
            "a value_previous b",
            "a inférieur à 3",
            "a SUPERIEUR A 3",
        ];
        let actions = [
            "Tags+=a b",
            "a+b = c",
            "a !=b",
            "\"Custom\" = \"x\"",
            "x = # nothing",
            "Mettre fin à la session",
            "notify requester \"S\" \"B\"",
        ];
        for (line, action) in lines.iter().zip(actions.iter().cycle()) {
            let text = body.replacen("{}", line, 1).replacen("{}", action, 1);
            assert!(read_both(&text), "{text}");
        }
        let every = include_str!("../../tests/corpus/valid/03-operators-english.declic");
        assert!(read_both(every));
    }

    /// Pieces of names, operators, values and actions, so that random lines hit operator
    /// spellings, near misses and the places where a name, an operator or an atom ends.
    const PIECES: &[&str] = &[
        "Canal",
        "Statut du ticket",
        "a",
        "x_r",
        "r",
        "Is",
        "IS",
        "is",
        "not",
        "NOT",
        "n'",
        "n\u{2019}",
        "N'",
        "est",
        "pas",
        "présent",
        "presente",
        "pr",
        "é",
        "É",
        "e",
        "sent",
        "changed",
        "chang",
        "modifié",
        "to",
        "from",
        "en",
        "vers",
        "pour",
        "de",
        "depuis",
        "less",
        "than",
        "_",
        "less_than",
        "less_than_equal",
        "inférieur",
        "inferieur",
        "à",
        "sup",
        "supérieur",
        "greater_than",
        "<",
        ">",
        "=",
        "==",
        "!=",
        "<=",
        ">=",
        "+=",
        "-=",
        "!",
        "+",
        "-",
        "value",
        "value_previous",
        "not_value",
        "_previous",
        "includes",
        "inclut",
        "excludes",
        "exclut",
        "not_includes",
        "includes_string",
        "contains",
        "contain",
        "contient",
        "does",
        "ne",
        "present",
        "not_present",
        "is_not",
        "not_changed",
        "zendesk",
        "Zendesk",
        "ZENDESKx",
        "\"q\"",
        "\"a\\\"b\"",
        "\"\"",
        "r\"x\"",
        "r#\"y\"#",
        "#c",
        "{",
        "}",
        "3",
        "-1",
        "\u{e9}t\u{e9}",
        "|",
        "~",
        "$",
        "\u{0}",
        "\u{b}",
        "\u{1f}",
        "\u{7f}",
    ];
    const GLUE: &[&str] = &["", " ", " ", " ", "\t", "  "];
    /// Item lines before the blocks.
    const ITEMS: &[&str] = &[
        "",
        " category \"Esc\\\"aped \\u{e9}\"\n",
        " description r#\"raw \"q\"\"#\n",
        " catégorie\t\"x\"  # c\n",
        " description \"a\\q\"\n",
        " position 3 # c\n active non\n",
        " category \"Multi\nline\"\n",
    ];
    /// Group keywords, and words that start like them.
    const GROUPS: &[&str] = &[
        "all",
        "ALL",
        "tous",
        "Toutes",
        "any",
        "au moins un",
        "AU MOINS UNE",
        "not",
        "non",
        "aucun",
        "Aucune",
        "allx",
        "tout",
        "no",
        "au",
        "anyway",
    ];

    fn random_line() -> impl Strategy<Value = String> {
        prop::collection::vec(
            (prop::sample::select(GLUE), prop::sample::select(PIECES)),
            1..8,
        )
        .prop_map(|parts| parts.into_iter().map(|(g, p)| format!("{g}{p}")).collect())
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn the_fast_reading_builds_what_the_full_grammar_builds(
            conditions in prop::collection::vec(random_line(), 1..4),
            actions in prop::collection::vec(random_line(), 1..4),
            group in prop::option::of(prop::sample::select(GROUPS)),
            items in prop::sample::select(ITEMS),
        ) {
            let when = match group {
                Some(kind) => format!("{kind} {{\n{}\n }}", conditions.join("\n")),
                None => conditions.join("\n"),
            };
            let trigger = format!(
                "trigger \"t\" {{\n{items} when all {{\n{when}\n }}\n then {{\n{}\n }}\n}}",
                actions.join("\n")
            );
            // Two triggers, so that the pieces are put together too: the second on the
            // line that closes the first, after a comment with a brace.
            let text = format!("# {{\n{trigger} {trigger}\n# }}\n");
            let taken = read_both(&text);
            // The fast reading refuses only around raw strings (see `line` and `split`).
            let near_raw = text.contains("r\"") || text.contains("r#");
            prop_assert!(taken || near_raw || read_full(&text).is_err(), "refused {text:?}");
        }
    }

    #[test]
    fn unterminated_strings_point_at_their_opening_quote() {
        let text = "trigger \"x\" {\n when all {\n Canal is \"Messagerie\n }\n}\n";
        let e = parse(text).unwrap_err();
        assert_eq!(e.message, "unterminated string");
        assert!(text[e.span.start..].starts_with("\"Messagerie"));
    }
}
