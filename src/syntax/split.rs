//! The split of a line that the fast reading (`grammar/fast.pest`) took whole: a condition
//! into field, operator and value, an action into name, operator and value or a phrase,
//! exactly where `grammar/declic.pest` puts the boundaries. The rules it follows are that
//! grammar's `words`, `operator`, `plain_words`, `assign_op` and `value`, written out below
//! beside their names there.
//!
//! It reads the text itself and takes the line's atoms (strings and bare runs) from pest,
//! so strings are never looked into and every span is the grammar's. A line it cannot take
//! exactly as the grammar would is refused (`None`): the parser then reads the file with
//! the full grammar, which also explains any error.

use std::sync::OnceLock;

use super::ast::{Action, AssignOp, Atom, Condition, Name, Spanned, Test};
use crate::catalog::Op;
use crate::diagnostics::Span;

/// A line taken whole, with the atoms pest found in it.
pub(super) struct Line<'a> {
    /// The whole file, so that spans index it and lookaheads see past the line.
    pub text: &'a str,
    /// The line, from its first atom to the end of its last.
    pub span: Span,
    /// The atoms in order: strings with their contents, bare runs with `None`.
    pub atoms: Vec<(Span, Option<String>)>,
}

/// A line of a `when` block: a passthrough if it is one, else a condition, as the
/// grammar's `test = { group | zendesk | condition }` chooses.
pub(super) fn test(line: Line<'_>) -> Option<Test> {
    match passthrough(line)? {
        Ok(raw) => Some(Test::Zendesk(raw)),
        Err(line) => condition(line).map(Test::Condition),
    }
}

/// `zendesk "..."`, the grammar's `zendesk = { kw_zendesk ~ string }`, which it tries
/// before a condition and before an action. `Err` gives back a line that does not start as
/// one; `None` refuses a line that starts as one and goes on, which the grammar cannot read.
fn passthrough(mut line: Line<'_>) -> Option<Result<Spanned<String>, Line<'_>>> {
    let starts = match line.atoms.as_slice() {
        [(keyword, None), (_, Some(_)), ..] => {
            line.text[keyword.start..keyword.end].eq_ignore_ascii_case("zendesk")
        }
        _ => false,
    };
    if !starts {
        return Some(Err(line));
    }
    if line.atoms.len() != 2 {
        return None;
    }
    let (_, raw) = line.atoms.pop()?;
    Some(Ok(Spanned {
        node: raw?,
        span: line.span,
    }))
}

/// A condition line, or `None` if it is not one for the grammar (or not certainly).
fn condition(line: Line<'_>) -> Option<Condition> {
    let text = line.text;
    let mut atoms = line.atoms;
    let (first, string) = atoms.first_mut()?;
    let (field, (op, op_span)) = match string.take() {
        Some(quoted) => {
            let name = Name {
                text: quoted,
                quoted: true,
                span: *first,
            };
            let op = operator(text, spaces(text, first.end))?;
            (name, op)
        }
        None => {
            let (span, op) = words_before_operator(text, first.start)?;
            let name = Name {
                text: text[span.start..span.end].to_string(),
                quoted: false,
                span,
            };
            (name, op)
        }
    };
    if op_span.end > line.span.end {
        return None;
    }
    let value = value_from(text, atoms, op_span.end)?;
    Some(Condition {
        span: Span::new(field.span.start, end(text, &value, op_span.end)),
        field,
        op: Spanned {
            node: op,
            span: op_span,
        },
        value,
    })
}

/// An action line: an assignment if it reads as one, a phrase otherwise, as the grammar's
/// `action = { assignment | phrase }` chooses.
pub(super) fn action(line: Line<'_>) -> Option<Action> {
    let line = match passthrough(line)? {
        Ok(raw) => return Some(Action::Zendesk(raw)),
        Err(line) => line,
    };
    let text = line.text;
    if let Some((name, op, op_span)) = assignment_head(&line) {
        if op_span.end > line.span.end {
            return None;
        }
        let value = value_from(text, line.atoms, op_span.end)?;
        return Some(Action::Assign {
            span: Span::new(name.span.start, end(text, &value, op_span.end)),
            name,
            op: Spanned {
                node: op,
                span: op_span,
            },
            value,
        });
    }
    let atoms: Vec<Atom> = line
        .atoms
        .into_iter()
        .map(|(span, string)| atom(text, span, string))
        .collect();
    Some(Action::Phrase {
        span: Span::new(line.span.start, end(text, &atoms, line.span.start)),
        atoms,
    })
}

/// `action_name ~ assign_op`: the name and the operator, if the line starts with them.
fn assignment_head(line: &Line<'_>) -> Option<(Name, AssignOp, Span)> {
    let text = line.text;
    let (first, string) = line.atoms.first()?;
    let span = match string {
        Some(_) => *first,
        None => plain_words(text, first.start)?,
    };
    let at = spaces(text, span.end);
    let (op, len) = [
        ("+=", AssignOp::Add),
        ("-=", AssignOp::Remove),
        ("=", AssignOp::Set),
    ]
    .into_iter()
    .find(|(written, _)| text[at..].starts_with(written))
    .map(|(written, op)| (op, written.len()))?;
    let name = Name {
        text: string
            .clone()
            .unwrap_or_else(|| text[span.start..span.end].to_string()),
        quoted: string.is_some(),
        span,
    };
    Some((name, op, Span::new(at, at + len)))
}

/// `value?` after an operator ending at `from`, out of the line's atoms: those after it,
/// and the rest of a bare run the operator ended inside (`<3`). A raw string cannot start
/// there: the parser refuses a line where one follows a bare character.
fn value_from(text: &str, atoms: Vec<(Span, Option<String>)>, from: usize) -> Option<Vec<Atom>> {
    let from = spaces(text, from);
    let mut value = Vec::new();
    for (span, string) in atoms {
        if span.end <= from {
            continue;
        }
        if span.start < from {
            if string.is_some() {
                return None;
            }
            value.push(atom(text, Span::new(from, span.end), None));
        } else {
            value.push(atom(text, span, string));
        }
    }
    Some(value)
}

fn atom(text: &str, span: Span, string: Option<String>) -> Atom {
    Atom {
        quoted: string.is_some(),
        text: string.unwrap_or_else(|| text[span.start..span.end].to_string()),
        span,
    }
}

/// `words ~ operator`: the name's span and the operator after it. A name starts with a
/// word that is not an operator; each further word, after spaces, ends the name if an
/// operator starts there or it is no word at all.
fn words_before_operator(text: &str, start: usize) -> Option<(Span, (Op, Span))> {
    let (mut at, mut end) = (start, None);
    loop {
        if let Some(op) = operator(text, at) {
            return Some((Span::new(start, end?), op));
        }
        let word_end = word_end(text, at);
        if word_end == at {
            break;
        }
        end = Some(word_end);
        at = spaces(text, word_end);
        if at == word_end {
            break;
        }
    }
    Some((Span::new(start, end?), operator(text, at)?))
}

/// `plain_words = @{ word ~ (sp ~ word)* }`: an action name, or `None` without a word.
fn plain_words(text: &str, start: usize) -> Option<Span> {
    let mut end = word_end(text, start);
    if end == start {
        return None;
    }
    loop {
        let next = spaces(text, end);
        let word_end = word_end(text, next);
        if next == end || word_end == next {
            return Some(Span::new(start, end));
        }
        end = word_end;
    }
}

/// Past the spaces and tabs at `at`.
fn spaces(text: &str, at: usize) -> usize {
    at + text[at..]
        .bytes()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count()
}

/// Where the grammar's span of a condition or an action ends, given its atoms (its value's,
/// or a phrase's) and where the part before them ends. Pest reads `atom+` as `atom ~ atom*`
/// and skips spaces and comments before the `*`, as before an optional value, but inside
/// each further repetition: so the skip after an operator without a value, or after a
/// single atom, is in the span, and the skip after two atoms or more is not.
fn end(text: &str, atoms: &[Atom], before: usize) -> usize {
    match atoms {
        [] => skipped(text, before),
        [one] => skipped(text, one.span.end),
        [.., last] => last.span.end,
    }
}

/// Past what the grammar skips implicitly at `at`: spaces, tabs, a comment.
fn skipped(text: &str, at: usize) -> usize {
    let at = spaces(text, at);
    if !text[at..].starts_with('#') {
        return at;
    }
    at + text[at..].find(['\n', '\r']).unwrap_or(text.len() - at)
}

/// Past the word at `at` (`word = @{ word_char+ }`); `at` itself if none starts there.
fn word_end(text: &str, at: usize) -> usize {
    let mut end = at;
    while starts_word(&text.as_bytes()[end..]) {
        end += text[end..].chars().next().map_or(1, char::len_utf8);
    }
    end
}

/// Whether `rest` starts with a character the grammar's `word_char` takes: anything but
/// spaces, line breaks, quotes, `#`, braces, `=`, `<`, `>`, and `!=`, `+=`, `-=`.
fn starts_word(rest: &[u8]) -> bool {
    !matches!(
        rest,
        [] | [
            b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'#' | b'{' | b'}' | b'=' | b'<' | b'>',
            ..
        ] | [b'!' | b'+' | b'-', b'=', ..]
    )
}

/// The grammar's `operator` at `at`: the first of its rules that matches, in its order,
/// with the span written. Only the alternatives that can start with the byte at `at` are
/// tried, which for most words of a name is none.
fn operator(text: &str, at: usize) -> Option<(Op, Span)> {
    let bytes = text.as_bytes();
    let starts = &first_bytes()[usize::from(*bytes.get(at)?)];
    let mut rules = starts.rules;
    while rules != 0 {
        let i = rules.trailing_zeros() as usize;
        rules &= rules - 1;
        let spelling = &OPERATORS[i];
        // PEG keeps the first alternative that matches, even if `end_word` then fails.
        let end = spelling
            .alternatives
            .iter()
            .enumerate()
            .filter(|(j, _)| starts.alternatives[i] & (1 << j) != 0)
            .find_map(|(_, alternative)| sequence(alternative, bytes, at));
        if let Some(end) = end {
            if !spelling.end_word || !starts_word(&bytes[end..]) {
                return Some((spelling.op, Span::new(at, end)));
            }
        }
    }
    None
}

/// What can start with one byte: the operator rules (bit `i` for `OPERATORS[i]`) and,
/// for each, its alternatives (bit `j` for the `j`th).
#[derive(Clone, Copy, Default)]
struct Starts {
    rules: u32,
    alternatives: [u8; 18],
}

/// [`Starts`] for every byte, worked out from the spellings, once.
fn first_bytes() -> &'static [Starts; 256] {
    static TABLE: OnceLock<[Starts; 256]> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [Starts::default(); 256];
        for (i, spelling) in OPERATORS.iter().enumerate() {
            for (j, alternative) in spelling.alternatives.iter().enumerate() {
                let mut bytes = [false; 256];
                let empty = first_bytes_of(alternative, &mut bytes);
                assert!(!empty, "an operator spelling that can match nothing");
                for (starts, _) in table.iter_mut().zip(bytes).filter(|(_, b)| *b) {
                    starts.rules |= 1 << i;
                    starts.alternatives[i] |= 1 << j;
                }
            }
        }
        table
    })
}

/// An operator rule of the grammar, `op_x = @{ (a | b | ...) ~ end_word }`.
struct Spelling {
    op: Op,
    /// `a`, `b`...
    alternatives: &'static [&'static [Pat]],
    /// Whether `end_word` follows the choice (`op_less` has it inside one alternative).
    end_word: bool,
}

/// A part of an operator's spelling, as `grammar/declic.pest` writes it.
enum Pat {
    /// `^"..."`: these ASCII letters, in any case.
    Word(&'static str),
    /// `"..."`: exactly this.
    Exact(&'static str),
    /// `sp`: spaces and tabs, at least one.
    Sp,
    /// `e`: `e` or `é`, in either case.
    E,
    /// `a_grave`: `a` or `à`, in either case.
    AGrave,
    /// `apos`: a straight or a typographic apostrophe.
    Apos,
    /// `end_word`: no word character follows.
    End,
    /// `(...)?`
    Opt(&'static [Pat]),
    /// `a ~ b ~ ...`
    Seq(&'static [Pat]),
    /// `(a | b | ...)`: the first alternative that matches, which PEG then keeps even if
    /// what follows fails.
    Either(&'static [&'static [Pat]]),
}

impl Pat {
    /// Marks the bytes a match can start with; says whether it can match nothing at all,
    /// in which case what follows can start it too.
    fn first_bytes(&self, starts: &mut [bool; 256]) -> bool {
        let mut mark = |options: &[&str]| {
            for o in options {
                starts[usize::from(o.as_bytes()[0])] = true;
            }
            false
        };
        match self {
            Pat::Word(word) => mark(&[&word.to_ascii_lowercase(), &word.to_ascii_uppercase()]),
            Pat::Exact(s) => mark(&[s]),
            Pat::Sp => mark(&[" ", "\t"]),
            Pat::E => mark(&["é", "É", "e", "E"]),
            Pat::AGrave => mark(&["à", "À", "a", "A"]),
            Pat::Apos => mark(&["'", "\u{2019}"]),
            Pat::End => true,
            Pat::Opt(seq) => {
                first_bytes_of(seq, starts);
                true
            }
            Pat::Seq(seq) => first_bytes_of(seq, starts),
            Pat::Either(alternatives) => {
                // Every alternative marks its bytes: no short cut.
                let mut empty = false;
                for seq in *alternatives {
                    empty |= first_bytes_of(seq, starts);
                }
                empty
            }
        }
    }

    /// Where this matches up to, from `at`.
    /// Where this matches up to in `text`, from `at`. Bytes, not characters: every
    /// spelling is whole characters, so a match ends on a character boundary.
    fn matches(&self, text: &[u8], at: usize) -> Option<usize> {
        let rest = &text[at..];
        let one_of = |options: &[&str]| {
            options
                .iter()
                .find(|o| rest.starts_with(o.as_bytes()))
                .map(|o| at + o.len())
        };
        match self {
            Pat::Word(word) => rest
                .get(..word.len())
                .filter(|b| b.eq_ignore_ascii_case(word.as_bytes()))
                .map(|_| at + word.len()),
            Pat::Exact(s) => one_of(&[*s]),
            Pat::Sp => {
                let n = rest
                    .iter()
                    .take_while(|b| matches!(b, b' ' | b'\t'))
                    .count();
                (n > 0).then_some(at + n)
            }
            Pat::E => one_of(&["e", "E", "é", "É"]),
            Pat::AGrave => one_of(&["a", "A", "à", "À"]),
            Pat::Apos => one_of(&["'", "\u{2019}"]),
            Pat::End => (!starts_word(rest)).then_some(at),
            Pat::Opt(seq) => Some(sequence(seq, text, at).unwrap_or(at)),
            Pat::Seq(seq) => sequence(seq, text, at),
            Pat::Either(alternatives) => alternatives.iter().find_map(|s| sequence(s, text, at)),
        }
    }
}

fn first_bytes_of(pats: &[Pat], starts: &mut [bool; 256]) -> bool {
    pats.iter().all(|pat| pat.first_bytes(starts))
}

fn sequence(pats: &[Pat], text: &[u8], at: usize) -> Option<usize> {
    pats.iter().try_fold(at, |at, pat| pat.matches(text, at))
}

use Pat::*;

const CHANGED_FR: Pat = Seq(&[Either(&[&[Word("chang")], &[Word("modifi")]]), E]);
/// `fr_changed`
const FR_CHANGED: Pat = Seq(&[Opt(&[Word("a"), Sp]), CHANGED_FR]);
/// `fr_not_changed`
const FR_NOT_CHANGED: Pat = Seq(&[
    Opt(&[Exact("n"), Apos, Word("a"), Sp]),
    Word("pas"),
    Sp,
    CHANGED_FR,
]);
/// `fr_to`
const FR_TO: Pat = Either(&[&[Word("en")], &[Word("vers")], &[Word("pour")]]);
/// `fr_from`
const FR_FROM: Pat = Either(&[&[Word("depuis")], &[Word("de")]]);
const PRESENT_FR: Pat = Seq(&[Word("pr"), E, Word("sent"), Opt(&[Word("e")])]);
/// `op_less` but its symbol; `inf` is `inf ~ e ~ rieur`.
const LESS_WORDS: Pat = Either(&[
    &[Word("less"), Sp, Word("than")],
    &[Word("less_than")],
    &[Word("inf"), E, Word("rieur"), Sp, AGrave],
]);
/// `op_greater` but its symbol; `sup` is `sup ~ e ~ rieur`.
const GREATER_WORDS: Pat = Either(&[
    &[Word("greater"), Sp, Word("than")],
    &[Word("greater_than")],
    &[Word("sup"), E, Word("rieur"), Sp, AGrave],
]);

/// `op_x = @{ (a | b | ...) ~ end_word }`, or with no `end_word` after the choice.
const fn rule(op: Op, alternatives: &'static [&'static [Pat]], end_word: bool) -> Spelling {
    Spelling {
        op,
        alternatives,
        end_word,
    }
}

/// The grammar's `operator`: its `op_*` rules in its order, laid out as it writes them.
#[rustfmt::skip]
static OPERATORS: [Spelling; 18] = [
    rule(Op::NotPresent, &[
        &[Word("is"), Sp, Word("not"), Sp, Word("present")],
        &[Exact("n"), Apos, Word("est"), Sp, Word("pas"), Sp, PRESENT_FR],
        &[Word("not_present")]], true),
    rule(Op::Present, &[
        &[Word("is"), Sp, Word("present")], &[Word("est"), Sp, PRESENT_FR], &[Word("present")]], true),
    rule(Op::IsNot, &[
        &[Word("is"), Sp, Word("not")], &[Exact("n"), Apos, Word("est"), Sp, Word("pas")],
        &[Word("is_not")], &[Exact("!=")]], true),
    rule(Op::Is, &[&[Word("is")], &[Word("est")], &[Exact("==")]], true),

    rule(Op::LessOrEqual, &[&[Exact("<=")], &[Word("less_than_equal"), End]], false),
    rule(Op::GreaterOrEqual, &[&[Exact(">=")], &[Word("greater_than_equal"), End]], false),
    rule(Op::Less, &[&[Exact("<")], &[LESS_WORDS, End]], false),
    rule(Op::Greater, &[&[Exact(">")], &[GREATER_WORDS, End]], false),

    rule(Op::NotChangedTo, &[
        &[Word("not"), Sp, Word("changed"), Sp, Word("to")], &[FR_NOT_CHANGED, Sp, FR_TO],
        &[Word("not_value")]], true),
    rule(Op::NotChangedFrom, &[
        &[Word("not"), Sp, Word("changed"), Sp, Word("from")], &[FR_NOT_CHANGED, Sp, FR_FROM],
        &[Word("not_value_previous")]], true),
    rule(Op::NotChanged, &[
        &[Word("not"), Sp, Word("changed")], &[FR_NOT_CHANGED], &[Word("not_changed")]], true),
    rule(Op::ChangedTo, &[
        &[Word("changed"), Sp, Word("to")], &[FR_CHANGED, Sp, FR_TO], &[Word("value")]], true),
    rule(Op::ChangedFrom, &[
        &[Word("changed"), Sp, Word("from")], &[FR_CHANGED, Sp, FR_FROM],
        &[Word("value_previous")]], true),
    rule(Op::Changed, &[&[Word("changed")], &[FR_CHANGED]], true),

    rule(Op::Excludes, &[&[Word("excludes")], &[Word("exclut")], &[Word("not_includes")]], true),
    rule(Op::Includes, &[&[Word("includes")], &[Word("inclut")]], true),
    rule(Op::NotContains, &[
        &[Word("does"), Sp, Word("not"), Sp, Word("contain")], &[Word("not"), Sp, Word("contains")],
        &[Word("ne"), Sp, Word("contient"), Sp, Word("pas")], &[Word("not_includes_string")]], true),
    rule(Op::Contains, &[
        &[Word("contains")], &[Word("contient")], &[Word("includes_string")]], true),
];
