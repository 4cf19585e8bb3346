//! Text to [`ast`](super::ast): pest does the recognising, and one small builder function
//! per grammar rule turns its pairs into owned syntax. Pest types stay in this file.

use pest::iterators::Pair;
use pest::Parser as _;

use super::ast::*;
use super::error::{self, SyntaxError};
use crate::catalog::Op;
use crate::diagnostics::Span;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/declic.pest"]
pub(super) struct Grammar;

/// How deeply blocks may nest. Real triggers use two or three levels; the limit keeps
/// hostile input from exhausting the stack in the parser, the checker or the engine.
pub const MAX_DEPTH: usize = 32;

/// Parses one file.
pub fn parse(text: &str) -> Result<File, SyntaxError> {
    check_depth(text)?;
    pest::set_error_detail(true);
    let mut pairs = Grammar::parse(Rule::file, text).map_err(|e| error::from_pest(text, e))?;
    let file = pairs.next().expect("the file rule always yields one pair");
    build_file(file)
}

/// Refuses text nested deeper than [`MAX_DEPTH`] before pest sees it, since pest descends
/// once per level.
fn check_depth(text: &str) -> Result<(), SyntaxError> {
    let mut depth = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '#' => while chars.next_if(|(_, c)| *c != '\n').is_some() {},
            '"' => skip_string(&mut chars),
            '{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(error::too_deep(Span::new(i, i + 1)));
                }
            }
            '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn skip_string(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) {
    while let Some((_, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '"' => return,
            _ => {}
        }
    }
}

fn span(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

/// The children of a pair, comments left out.
fn children<'a>(pair: Pair<'a, Rule>) -> impl Iterator<Item = Pair<'a, Rule>> {
    pair.into_inner().filter(|p| p.as_rule() != Rule::COMMENT)
}

/// The one child of a rule that only chooses between alternatives.
fn first_child(pair: Pair<'_, Rule>) -> Pair<'_, Rule> {
    children(pair)
        .next()
        .expect("a choice rule holds its choice")
}

fn build_file(pair: Pair<'_, Rule>) -> Result<File, SyntaxError> {
    let comments = pair
        .clone()
        .into_inner()
        .flatten()
        .filter(|p| p.as_rule() == Rule::COMMENT)
        .map(|p| Spanned {
            node: p.as_str().to_string(),
            span: span(&p),
        })
        .collect();
    let triggers = children(pair)
        .filter(|p| p.as_rule() == Rule::trigger)
        .map(build_trigger)
        .collect::<Result<_, _>>()?;
    Ok(File { triggers, comments })
}

fn build_trigger(pair: Pair<'_, Rule>) -> Result<Trigger, SyntaxError> {
    let whole = span(&pair);
    let mut inner = children(pair);
    let kind_pair = first_child(inner.next().expect("a trigger starts with its keyword"));
    let kind = Spanned {
        node: match kind_pair.as_rule() {
            Rule::kw_messaging_trigger => TriggerKind::Messaging,
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

fn build_item(pair: Pair<'_, Rule>) -> Result<Spanned<Item>, SyntaxError> {
    let item_span = span(&pair);
    let rule = pair.as_rule();
    // Every item is a keyword followed by at most one argument.
    let mut inner = children(pair);
    let _keyword = inner.next();
    let arg = inner.next();
    let node = match (rule, arg) {
        (Rule::category, Some(arg)) => Item::Category(build_string(arg)?),
        (Rule::description, Some(arg)) => Item::Description(build_string(arg)?),
        (Rule::position, Some(arg)) => Item::Position(build_integer(arg)?),
        (Rule::zendesk_id, Some(arg)) => Item::ZendeskId(build_integer(arg)?),
        (Rule::active, Some(arg)) => Item::Active(build_boolean(arg)),
        (Rule::event, Some(arg)) => Item::On(build_name(arg)?),
        (Rule::once, _) => Item::Once,
        (Rule::when, Some(arg)) => Item::When(build_group(arg)?),
        (Rule::then, first) => Item::Then(
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

fn build_group(pair: Pair<'_, Rule>) -> Result<Group, SyntaxError> {
    let whole = span(&pair);
    let bare = pair.as_rule() == Rule::bare_group;
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
            Rule::group => build_group(p).map(Test::Group),
            _ => build_condition(p).map(Test::Condition),
        })
        .collect::<Result<_, _>>()?;
    Ok(Group {
        kind,
        members,
        span: whole,
    })
}

fn build_condition(pair: Pair<'_, Rule>) -> Result<Condition, SyntaxError> {
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

fn build_action(pair: Pair<'_, Rule>) -> Result<Action, SyntaxError> {
    let whole = span(&pair);
    let inner = children(pair)
        .next()
        .expect("an action is an assignment or a phrase");
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

/// A `name`/`action_name` pair: a string, or words.
fn build_name(pair: Pair<'_, Rule>) -> Result<Name, SyntaxError> {
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

fn build_string(pair: Pair<'_, Rule>) -> Result<String, SyntaxError> {
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

fn build_integer(pair: Pair<'_, Rule>) -> Result<i64, SyntaxError> {
    pair.as_str()
        .parse()
        .map_err(|_| error::bad_integer(span(&pair), pair.as_str()))
}

fn build_boolean(pair: Pair<'_, Rule>) -> bool {
    children(pair).next().map(|p| p.as_rule()) == Some(Rule::kw_true)
}
