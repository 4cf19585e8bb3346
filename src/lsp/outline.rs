//! What an editor draws from a file's shape: the formatter's edit, the triggers as
//! symbols, folding ranges and semantic tokens.

use lsp_types::{
    DocumentSymbol, FoldingRange, FoldingRangeKind, Range, SemanticToken, SemanticTokenType,
    SemanticTokens, SemanticTokensLegend, SymbolKind, TextEdit,
};

use super::text::Document;
use crate::diagnostics::{Source, Span};
use crate::syntax::ast::{Action, Group, Item, Test};
use crate::syntax::{self, ast};

/// The whole file in `declic fmt`'s layout, as one edit; nothing when it is already so,
/// and `None` when it does not parse (the diagnostics say why).
pub fn format(doc: &Document) -> Option<Vec<TextEdit>> {
    let formatted = crate::format::format(&Source::new("", doc.text.as_str())).ok()?;
    if formatted == doc.text {
        return Some(Vec::new());
    }
    let all = Range::new(doc.position(0), doc.position(doc.text.len()));
    Some(vec![TextEdit::new(all, formatted)])
}

/// The triggers, for the outline; none while the file does not parse.
pub fn symbols(doc: &Document) -> Vec<DocumentSymbol> {
    let Ok(file) = syntax::parse(&doc.text) else {
        return Vec::new();
    };
    file.triggers
        .iter()
        .map(|t| {
            let kind = serde_json::to_value(t.kind.node)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            let category = t.items.iter().find_map(|i| match &i.node {
                Item::Category(c) => Some(c.as_str()),
                _ => None,
            });
            #[allow(deprecated)] // `deprecated` is a field the protocol still requires
            DocumentSymbol {
                name: t.title.node.clone(),
                detail: Some(match category {
                    Some(c) => format!("{kind} · {c}"),
                    None => kind,
                }),
                kind: SymbolKind::FUNCTION,
                tags: None,
                deprecated: None,
                range: range(doc, t.span),
                selection_range: range(doc, t.title.span),
                children: None,
            }
        })
        .collect()
}

fn range(doc: &Document, span: Span) -> Range {
    Range::new(doc.position(span.start), doc.position(span.end))
}

/// One fold per pair of braces over several lines, and per run of comment lines; found
/// from the text alone, so a file being typed still folds.
pub fn folding(doc: &Document) -> Vec<FoldingRange> {
    let mut out = Vec::new();
    let mut open = Vec::new();
    let mut comments: Option<(u32, u32)> = None;
    for (kind, span) in lex(&doc.text) {
        let line = doc.position(span.start).line;
        match kind {
            Lexeme::Open => open.push(line),
            Lexeme::Close => {
                if let Some(start) = open.pop().filter(|&start| start < line) {
                    out.push(fold(start, line.saturating_sub(1), None));
                }
            }
            Lexeme::Comment => {
                comments = match comments {
                    Some((first, last)) if last + 1 == line => Some((first, line)),
                    Some((first, last)) => {
                        out.extend(
                            (first < last)
                                .then(|| fold(first, last, Some(FoldingRangeKind::Comment))),
                        );
                        Some((line, line))
                    }
                    None => Some((line, line)),
                }
            }
            _ => {}
        }
    }
    if let Some((first, last)) = comments.filter(|(f, l)| f < l) {
        out.push(fold(first, last, Some(FoldingRangeKind::Comment)));
    }
    out.sort_by_key(|f| (f.start_line, f.end_line));
    out
}

fn fold(start: u32, end: u32, kind: Option<FoldingRangeKind>) -> FoldingRange {
    FoldingRange {
        start_line: start,
        end_line: end.max(start),
        kind,
        ..FoldingRange::default()
    }
}

/// The kinds of semantic tokens, in the legend's order.
const TOKEN_TYPES: &[SemanticTokenType] = &[
    SemanticTokenType::KEYWORD,
    SemanticTokenType::STRING,
    SemanticTokenType::COMMENT,
    SemanticTokenType::NUMBER,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::OPERATOR,
    SemanticTokenType::ENUM_MEMBER,
    SemanticTokenType::FUNCTION,
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Keyword,
    String,
    Comment,
    Number,
    Field,
    Operator,
    Value,
    Action,
}

/// The legend the server's tokens are written in.
pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TOKEN_TYPES.to_vec(),
        token_modifiers: Vec::new(),
    }
}

/// Semantic tokens: comments, strings and numbers from the text; keywords, fields,
/// operators, values and actions from the syntax tree when the file parses.
pub fn tokens(doc: &Document) -> SemanticTokens {
    let mut found: Vec<(Span, Token)> = lex(&doc.text)
        .into_iter()
        .filter_map(|(kind, span)| match kind {
            Lexeme::Comment => Some((span, Token::Comment)),
            Lexeme::String => Some((span, Token::String)),
            Lexeme::Number => Some((span, Token::Number)),
            Lexeme::Keyword => Some((span, Token::Keyword)),
            _ => None,
        })
        .collect();
    if let Ok(file) = syntax::parse(&doc.text) {
        for trigger in &file.triggers {
            tree_tokens(trigger, &mut found);
        }
    }
    found.sort_by_key(|(span, _)| (span.start, std::cmp::Reverse(span.end)));
    let mut data = Vec::new();
    let (mut line, mut column, mut end) = (0, 0, 0);
    for (span, token) in found {
        // Each place gets one token: the first, widest one found there.
        if span.start < end || span.is_empty() || doc.text[span.start..span.end].contains('\n') {
            continue;
        }
        end = span.end;
        let at = doc.position(span.start);
        let length = doc.position(span.end).character - at.character;
        let delta_start = if at.line == line {
            at.character - column
        } else {
            at.character
        };
        data.push(SemanticToken {
            delta_line: at.line - line,
            delta_start,
            length,
            token_type: token as u32,
            token_modifiers_bitset: 0,
        });
        (line, column) = (at.line, at.character);
    }
    SemanticTokens {
        result_id: None,
        data,
    }
}

fn tree_tokens(trigger: &ast::Trigger, out: &mut Vec<(Span, Token)>) {
    for item in &trigger.items {
        match &item.node {
            Item::When(group) => group_tokens(group, out),
            Item::Then(actions) => {
                for action in actions {
                    match action {
                        Action::Assign {
                            name, op, value, ..
                        } => {
                            out.push((name.span, Token::Field));
                            out.push((op.span, Token::Operator));
                            out.extend(
                                value
                                    .iter()
                                    .filter(|a| !a.quoted)
                                    .map(|a| (a.span, Token::Value)),
                            );
                        }
                        Action::Phrase { atoms, .. } => {
                            out.extend(
                                atoms
                                    .iter()
                                    .filter(|a| !a.quoted)
                                    .map(|a| (a.span, Token::Action)),
                            );
                        }
                        Action::Zendesk(_) => {}
                    }
                }
            }
            _ => {}
        }
    }
}

fn group_tokens(group: &Group, out: &mut Vec<(Span, Token)>) {
    for member in &group.members {
        match member {
            Test::Group(inner) => group_tokens(inner, out),
            Test::Condition(c) => {
                out.push((c.field.span, Token::Field));
                out.push((c.op.span, Token::Operator));
                out.extend(
                    c.value
                        .iter()
                        .filter(|a| !a.quoted)
                        .map(|a| (a.span, Token::Value)),
                );
            }
            Test::Zendesk(_) => {}
        }
    }
}

/// What the text alone tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lexeme {
    Comment,
    String,
    Number,
    Keyword,
    Open,
    Close,
}

/// The words that open a line or a block, in both languages.
const KEYWORDS: &[&str] = &[
    "trigger",
    "déclencheur",
    "declencheur",
    "messaging",
    "messagerie",
    "de",
    "when",
    "quand",
    "then",
    "alors",
    "all",
    "tous",
    "any",
    "au",
    "moins",
    "un",
    "not",
    "non",
    "category",
    "catégorie",
    "categorie",
    "description",
    "position",
    "active",
    "actif",
    "id",
    "on",
    "lors",
    "once",
    "per",
    "ticket",
    "une",
    "fois",
    "par",
    "automation",
    "automatisation",
    "queue",
];

/// Comments, strings, numbers, braces and block keywords, by a scan that knows strings
/// (`"..."` with escapes, `r#"..."#`) so that a `#` or a brace inside one counts for
/// nothing.
pub(super) fn lex(text: &str) -> Vec<(Lexeme, Span)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut line_start = true;
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        match b {
            b'\n' => {
                line_start = true;
                i += 1;
                continue;
            }
            b'#' => {
                i = text[i..].find('\n').map_or(text.len(), |n| i + n);
                out.push((Lexeme::Comment, Span::new(start, i)));
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                out.push((Lexeme::String, Span::new(start, i)));
            }
            b'r' if text[i..].starts_with("r#\"") => {
                i = text[i + 3..]
                    .find("\"#")
                    .map_or(text.len(), |n| i + 3 + n + 2);
                out.push((Lexeme::String, Span::new(start, i)));
            }
            b'{' | b'}' => {
                out.push((
                    if b == b'{' {
                        Lexeme::Open
                    } else {
                        Lexeme::Close
                    },
                    Span::new(i, i + 1),
                ));
                i += 1;
            }
            _ if b.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            _ => {
                let word_end = text[i..]
                    .find(|c: char| {
                        c.is_whitespace() || c == '{' || c == '}' || c == '"' || c == '#'
                    })
                    .map_or(text.len(), |n| i + n);
                let word = &text[i..word_end.max(i + 1).min(text.len())];
                i = word_end.max(i + text[i..].chars().next().map_or(1, char::len_utf8));
                if word.bytes().all(|b| b.is_ascii_digit()) {
                    out.push((Lexeme::Number, Span::new(start, i)));
                } else if line_start && KEYWORDS.contains(&word.to_lowercase().as_str()) {
                    out.push((Lexeme::Keyword, Span::new(start, i)));
                    continue;
                }
            }
        }
        line_start = false;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        Document::new(text.to_owned(), 1)
    }

    const RULES: &str = "# one\n# two\ntrigger \"A # not a comment {\" {\n  when all {\n    Canal is Messagerie\n  }\n  then {\n    Priorité = Haute\n  }\n}\n";

    #[test]
    fn braces_and_comment_runs_fold_and_strings_do_not() {
        let folds: Vec<(u32, u32)> = folding(&doc(RULES))
            .iter()
            .map(|f| (f.start_line, f.end_line))
            .collect();
        assert_eq!(folds, [(0, 1), (2, 8), (3, 4), (6, 7)]);
    }

    #[test]
    fn triggers_are_symbols_with_their_title_selected() {
        let found = symbols(&doc(RULES));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "A # not a comment {");
        assert_eq!(
            found[0].selection_range.start,
            lsp_types::Position::new(2, 8)
        );
        assert!(symbols(&doc("trigger \"A\" {")).is_empty());
    }

    #[test]
    fn tokens_name_fields_operators_and_values() {
        let tokens = tokens(&doc(RULES));
        let kinds: Vec<u32> = tokens.data.iter().map(|t| t.token_type).collect();
        use Token::*;
        let want = [
            Comment, Comment, Keyword, String, Keyword, Keyword, Field, Operator, Value, Keyword,
            Field, Operator, Value,
        ];
        assert_eq!(kinds, want.map(|t| t as u32));
    }

    #[test]
    fn formatting_is_one_edit_or_none() {
        let messy = doc("trigger \"A\" {\nwhen { canal est messagerie }\nthen { tags += a }}");
        let edits = format(&messy).unwrap();
        assert_eq!(edits.len(), 1);
        assert!(edits[0]
            .new_text
            .starts_with("trigger \"A\" {\n  when all {"));
        let clean = doc(&edits[0].new_text);
        assert_eq!(format(&clean), Some(Vec::new()));
        assert_eq!(format(&doc("trigger {")), None);
    }
}
