//! Syntax errors, in the users' words: the token found and what could come there, never a
//! grammar rule's name.

use std::collections::BTreeSet;
use std::sync::Arc;

use pest::error::{Error as PestError, InputLocation};

use super::parser::Rule;
use crate::diagnostics::{Code, Diagnostic, Source, Span};

/// Why a file could not be read as declic: plain data, turned into a [`Diagnostic`] once
/// its source is known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct SyntaxError {
    /// `declic::syntax`, `declic::too_deep` or `declic::invalid_number`.
    pub code: Code,
    /// What went wrong.
    pub message: String,
    /// Where.
    pub span: Span,
    /// What to say at the span.
    pub label: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl SyntaxError {
    /// The diagnostic for this error in `source`.
    pub fn into_diagnostic(self, source: &Arc<Source>) -> Diagnostic {
        Diagnostic::error(self.code, self.message)
            .in_source(source)
            .label(self.span, self.label)
            .maybe_help(self.help)
    }
}

pub(super) fn too_deep(span: Span) -> SyntaxError {
    SyntaxError {
        code: Code::TooDeep,
        message: format!(
            "blocks are nested more than {} levels deep",
            super::parser::MAX_DEPTH
        ),
        span,
        label: "this block is one level too deep".into(),
        help: Some(
            "flatten the conditions: `all` and `any` groups rarely need more than three levels"
                .into(),
        ),
    }
}

pub(super) fn bad_integer(span: Span, text: &str) -> SyntaxError {
    SyntaxError {
        code: Code::InvalidNumber,
        message: format!("`{text}` is too large a number"),
        span,
        label: "does not fit in 64 bits".into(),
        help: None,
    }
}

pub(super) fn bad_escape(span: Span, hex: &str) -> SyntaxError {
    SyntaxError {
        code: Code::Syntax,
        message: format!("`\\u{{{hex}}}` is not a character"),
        span,
        label: "invalid unicode escape".into(),
        help: Some("write the code point of a character in hexadecimal, as in `\\u{e9}`".into()),
    }
}

/// Translates pest's error into ours.
pub(super) fn from_pest(text: &str, error: PestError<Rule>) -> SyntaxError {
    let pos = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((start, _)) => start,
    };
    if let Some(start) = super::lex::shape(text, usize::MAX).open_string_at {
        if start <= pos {
            return unterminated_string(text, start);
        }
    }
    let expected = expected(&error);
    let (found, span) = found_at(text, pos);
    let list = join_alternatives(&expected);
    SyntaxError {
        code: Code::Syntax,
        message: format!("unexpected {found}"),
        span,
        label: if list.is_empty() {
            "not expected here".into()
        } else {
            format!("expected {list}")
        },
        help: help_for(&expected),
    }
}

/// What could have come at the error, described in words, in a stable order. A line break
/// could come almost anywhere, so it is named only when nothing else could; a quote is the
/// start of a string, already named.
fn expected(error: &PestError<Rule>) -> BTreeSet<&'static str> {
    let mut out = expected_raw(error);
    if out.len() > 1 {
        out.remove(QUOTE);
    }
    if out.iter().any(|e| ![CLOSE, LINE_BREAK].contains(e)) {
        out.remove(LINE_BREAK);
    }
    out
}

const LINE_BREAK: &str = "a line break";
const QUOTE: &str = "`\"`";
const CLOSE: &str = "`}`";

fn expected_raw(error: &PestError<Rule>) -> BTreeSet<&'static str> {
    let mut out = BTreeSet::new();
    if let Some(attempts) = error.parse_attempts() {
        for stack in attempts.call_stacks() {
            let rule = stack.deepest.get_rule().copied().or(stack.parent);
            if let Some(words) = rule.and_then(describe) {
                out.insert(words);
            }
        }
        for token in attempts.expected_tokens() {
            if let Some(words) = describe_token(&token.to_string()) {
                out.insert(words);
            }
        }
    }
    if out.is_empty() {
        if let pest::error::ErrorVariant::ParsingError { positives, .. } = &error.variant {
            out.extend(positives.iter().filter_map(|r| describe(*r)));
        }
    }
    out
}

/// Every rule's name for users. The match is exhaustive so that a new rule cannot be
/// added without saying how to name it; `None` for rules never worth naming alone.
///
/// Pest reports a rule whose many alternatives all failed as the rule itself, so a block
/// rule stands for "what could come inside it".
fn describe(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        file => "`trigger`, `automation`, `queue` or end of file",
        EOI => "end of file",
        trigger | item => "a trigger line (`when`, `then`, `category`...)",
        trigger_kind | kw_trigger | kw_messaging_trigger => "`trigger`",
        kw_automation => "`automation`",
        category | kw_category => "`category`",
        description | kw_description => "`description`",
        position | kw_position => "`position`",
        active | kw_active => "`active`",
        zendesk_id | kw_id => "`id`",
        event | kw_on => "`on`",
        once | kw_once => "`once per ticket`",
        kw_when => "`when`",
        kw_then => "`then`",
        when | group_kind | kw_all | kw_any | kw_not => "a group (`all {`, `any {`, `not {`)",
        group | bare_group => "a condition",
        then => "an action",
        test | condition => "a condition",
        name | words | name_word => "a field name",
        value | atom | bare => "a value",
        action | assignment | phrase => "an action",
        action_name | plain_words => "an action name",
        assign_op | op_add | op_remove | op_set => "`=`, `+=` or `-=`",
        operator | op_not_present | op_present | op_is_not | op_is | op_less_equal
        | op_greater_equal | op_less | op_greater | op_not_changed_to | op_not_changed_from
        | op_not_changed | op_changed_to | op_changed_from | op_changed | op_includes
        | op_excludes | op_contains | op_not_contains => {
            "an operator (`is`, `is not`, `changed to`, `includes`...)"
        }
        queue | kw_queue => "`queue`",
        queue_item | subqueue_item => "a queue line (`when`, `groups`, `priority`...)",
        order | kw_order => "`order`",
        priority | kw_priority => "`priority`",
        queue_id => "`id`",
        groups | kw_groups => "`groups`",
        group_line | kw_primary | kw_secondary => "`primary` or `secondary`",
        group_name => "a group name",
        subqueue | kw_subqueue => "`subqueue`",
        percentage | kw_percentage => "`percentage`",
        fast_queue => return None,
        // A passthrough stands where a condition or an action does, and is never what a
        // user meant to write by hand: the surrounding rule names the place better.
        zendesk | kw_zendesk => return None,
        boolean | kw_true | kw_false => "`true` or `false`",
        integer => "a whole number",
        string | quoted | raw_string => "a quoted string",
        quoted_inner | raw_inner | escape => "a string character",
        word | word_char => "a word",
        COMMENT | WHITESPACE | blank | end_word | sp | e | a_grave | apos | fr_changed
        | fr_not_changed | fr_to | fr_from | inf | sup => return None,
        // The fast reading's rules: its failures are explained by the full grammar.
        fast_file | fast_trigger | fast_item | fast_category | fast_description | fast_when
        | fast_group | fast_bare_group | fast_tests | fast_test | fast_then | line | line_start
        | line_text | fast_string | fast_quoted | fast_quoted_inner | fast_comment | lines
        | lines1 | ws => return None,
    })
}

/// A literal token pest expected, as pest prints it (pest does not export its type).
fn describe_token(token: &str) -> Option<&'static str> {
    Some(match token {
        "{" => "`{`",
        "}" => CLOSE,
        "\"" => QUOTE,
        "=" | "+=" | "-=" => "`=`, `+=` or `-=`",
        "\n" | "\r\n" | "\r" => LINE_BREAK,
        _ => return None,
    })
}

fn join_alternatives(items: &BTreeSet<&'static str>) -> String {
    let items: Vec<&str> = items.iter().copied().collect();
    match items.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn help_for(expected: &BTreeSet<&'static str>) -> Option<String> {
    let has = |s: &str| expected.iter().any(|e| e.starts_with(s));
    if has("an operator") {
        return Some(
            "a condition reads `FIELD OPERATOR VALUE`, as in `Channel is Messaging` or \
             `Canal est Messagerie`; quote a field name that contains an operator word"
                .into(),
        );
    }
    if has("`trigger`") {
        return Some(
            "a rule file holds triggers, automations and routing queues: \
             `trigger \"Title\" { when all { ... } then { ... } }`"
                .into(),
        );
    }
    if has("a quoted string") {
        return Some("strings are written in double quotes: `\"like this\"`".into());
    }
    if has("a group") {
        return Some(
            "`when` is followed by a group: `when all { ... }` or `when any { ... }`".into(),
        );
    }
    None
}

/// The token at `pos`, for "unexpected ..." and the span to underline. At the end of the
/// text the span is the last non-blank character, since an empty span there is not drawn.
fn found_at(text: &str, pos: usize) -> (String, Span) {
    let rest = &text[pos.min(text.len())..];
    let Some(first) = rest.chars().next() else {
        return ("end of file".into(), last_visible(text));
    };
    if first == '\n' || first == '\r' {
        let span = last_visible(&text[..pos]);
        return ("end of line".into(), span);
    }
    let len: usize = if first.is_alphanumeric() || first == '_' {
        rest.char_indices()
            .find(|(_, c)| c.is_whitespace() || "{}\"#=<>".contains(*c))
            .map_or(rest.len(), |(i, _)| i)
    } else {
        first.len_utf8()
    };
    let token: String = rest[..len].chars().take(40).collect();
    let shown = if token.chars().count() < rest[..len].chars().count() {
        format!("{token}...")
    } else {
        token
    };
    (
        format!("`{}`", shown.escape_debug()),
        Span::new(pos, pos + len),
    )
}

fn last_visible(text: &str) -> Span {
    match text.char_indices().rev().find(|(_, c)| !c.is_whitespace()) {
        Some((i, c)) => Span::new(i, i + c.len_utf8()),
        None => Span::new(0, 0),
    }
}

fn unterminated_string(text: &str, start: usize) -> SyntaxError {
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    SyntaxError {
        code: Code::Syntax,
        message: "unterminated string".into(),
        span: Span::new(start, line_end),
        label: "this string is never closed".into(),
        help: Some("close the string with `\"`; write `\\\"` for a quote inside it".into()),
    }
}
