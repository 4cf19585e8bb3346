//! Completion from the catalog, in the language the file is written in: a condition's
//! field, then the operators that field allows, then its values (and the account's titles
//! when its metadata is loaded); action phrases and their values; keywords; placeholders
//! inside strings.

use lsp_types::{CompletionItem, CompletionItemKind, CompletionTextEdit, TextEdit};

use super::outline::{lex, Lexeme};
use super::text::LineIndex;
use crate::account::{Account, Kind};
use crate::catalog::actions::{Args, ACTIONS};
use crate::catalog::fields::{FieldRef, FIELDS};
use crate::catalog::time::TIME_FIELDS;
use crate::catalog::{fold, Catalog, Domain, Lang, Op};

/// Where the cursor stands, as far as completion cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Outside every trigger.
    Top,
    /// In a trigger, outside its blocks.
    Trigger,
    /// In a `when` block, of an automation (which may use time conditions) or not.
    Conditions { automation: bool },
    /// In a `then` block.
    Actions,
}

/// The completions at byte `offset` of `text`.
pub fn complete(text: &str, offset: usize, account: Option<&Account>) -> Vec<CompletionItem> {
    let offset = floor(text, offset);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let prefix = &text[line_start..offset];
    if in_string(prefix) {
        return placeholders(text, offset);
    }
    if prefix.contains('#') {
        return Vec::new();
    }
    let lang = language(text);
    let words = prefix.trim_start();
    match place(text, offset) {
        Place::Top => top_keywords(lang),
        Place::Trigger => trigger_keywords(lang),
        Place::Conditions { automation } => condition(words, lang, account, automation),
        Place::Actions => action(words, lang, account),
    }
}

fn floor(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Whether the line so far leaves a string open.
fn in_string(prefix: &str) -> bool {
    let mut open = false;
    let mut escaped = false;
    for c in prefix.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if open => escaped = true,
            '"' => open = !open,
            '#' if !open => return false,
            _ => {}
        }
    }
    open
}

/// `{{ticket.id}}` and the others, once `{{` is typed inside a string.
fn placeholders(text: &str, offset: usize) -> Vec<CompletionItem> {
    let Some(open) = text[..offset].rfind("{{") else {
        return Vec::new();
    };
    let typed = &text[open + 2..offset];
    if typed.contains("}}") || typed.contains(['"', '\n']) {
        return Vec::new();
    }
    let index = LineIndex::new(text);
    let range = index.range(open + 2, offset);
    let closed = text[offset..].starts_with("}}");
    crate::engine::PLACEHOLDERS
        .iter()
        .map(|p| CompletionItem {
            label: format!("{{{{{p}}}}}"),
            kind: Some(CompletionItemKind::VARIABLE),
            filter_text: Some(p.to_string()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                range,
                if closed {
                    p.to_string()
                } else {
                    format!("{p}}}}}")
                },
            ))),
            ..CompletionItem::default()
        })
        .collect()
}

/// English unless the file's block keywords are mostly French.
fn language(text: &str) -> Lang {
    let (mut en, mut fr) = (0, 0);
    for line in text.lines() {
        let first = line.split_whitespace().next().unwrap_or_default();
        match fold(first).as_str() {
            "when" | "then" | "trigger" | "messaging" | "category" => en += 1,
            "quand" | "alors" | "declencheur" | "categorie" | "si" => fr += 1,
            _ => {}
        }
    }
    if fr > en {
        Lang::Fr
    } else {
        Lang::En
    }
}

/// The block around `offset`, from the braces open before it.
fn place(text: &str, offset: usize) -> Place {
    let mut open: Vec<usize> = Vec::new();
    for (kind, span) in lex(&text[..offset]) {
        match kind {
            Lexeme::Open => open.push(span.start),
            Lexeme::Close => {
                open.pop();
            }
            _ => {}
        }
    }
    let Some(&block) = open.get(1) else {
        return if open.is_empty() {
            Place::Top
        } else {
            Place::Trigger
        };
    };
    match first_word(text, block).as_str() {
        "then" | "alors" => Place::Actions,
        _ => Place::Conditions {
            automation: matches!(
                first_word(text, open[0]).as_str(),
                "automation" | "automatisation"
            ),
        },
    }
}

/// The first word, folded, of the line that holds byte `at`.
fn first_word(text: &str, at: usize) -> String {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let first = text[line_start..at]
        .split_whitespace()
        .next()
        .unwrap_or_default();
    fold(first)
}

fn keyword(label: &str, insert: &str) -> CompletionItem {
    CompletionItem {
        label: label.to_owned(),
        kind: Some(CompletionItemKind::KEYWORD),
        insert_text: Some(insert.to_owned()),
        ..CompletionItem::default()
    }
}

fn top_keywords(lang: Lang) -> Vec<CompletionItem> {
    let words: &[(&str, &str)] = match lang {
        Lang::Fr => &[
            ("déclencheur", "déclencheur \"\" {\n}"),
            (
                "déclencheur de messagerie",
                "déclencheur de messagerie \"\" {\n}",
            ),
            ("automatisation", "automatisation \"\" {\n}"),
        ],
        _ => &[
            ("trigger", "trigger \"\" {\n}"),
            ("messaging trigger", "messaging trigger \"\" {\n}"),
            ("automation", "automation \"\" {\n}"),
        ],
    };
    words.iter().map(|(l, i)| keyword(l, i)).collect()
}

fn trigger_keywords(lang: Lang) -> Vec<CompletionItem> {
    let words: &[(&str, &str)] = match lang {
        Lang::Fr => &[
            ("catégorie", "catégorie \"\""),
            ("description", "description \"\""),
            ("position", "position "),
            ("actif", "actif "),
            ("id", "id "),
            ("lors de", "lors de "),
            ("une fois par ticket", "une fois par ticket"),
            ("quand tous", "quand tous {\n}"),
            ("quand au moins un", "quand au moins un {\n}"),
            ("alors", "alors {\n}"),
        ],
        _ => &[
            ("category", "category \"\""),
            ("description", "description \"\""),
            ("position", "position "),
            ("active", "active "),
            ("id", "id "),
            ("on", "on "),
            ("once per ticket", "once per ticket"),
            ("when all", "when all {\n}"),
            ("when any", "when any {\n}"),
            ("then", "then {\n}"),
        ],
    };
    words.iter().map(|(l, i)| keyword(l, i)).collect()
}

/// The canonical name in `lang`, English for API names.
fn name_in(names: &crate::catalog::Names, lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => names.canonical(Lang::Fr),
        _ => names.canonical(Lang::En),
    }
}

/// The longest name among `names` that `folded` (a line folded) starts with, followed by
/// a space, and what follows it.
fn longest<'a, T: Copy>(
    folded: &'a str,
    names: impl Iterator<Item = (&'a str, T)>,
) -> Option<(T, &'a str)> {
    let mut best: Option<(usize, T)> = None;
    for (name, item) in names {
        let name = fold(name);
        let fits = folded
            .strip_prefix(name.as_str())
            .is_some_and(|rest| rest.starts_with(' '));
        if fits && best.is_none_or(|(len, _)| name.len() > len) {
            best = Some((name.len(), item));
        }
    }
    best.map(|(len, item)| (item, &folded[len + 1..]))
}

fn condition(
    words: &str,
    lang: Lang,
    account: Option<&Account>,
    automation: bool,
) -> Vec<CompletionItem> {
    let folded = folded_line(words);
    let Some((field, rest)) = find_field(&folded, account) else {
        if automation {
            if let Some(ops) = time_ops(&folded, lang) {
                return ops;
            }
        }
        let mut out = fields(lang, account);
        if automation {
            out.extend(time_fields(lang));
        }
        return out;
    };
    let lang = written_in(words, lang);
    let ops = field.ops();
    let spelled = ops.iter().flat_map(|op| [(op.en(), *op), (op.fr(), *op)]);
    match longest(&rest, spelled) {
        Some((op, _)) if op.takes_value() => values(&field, lang, account),
        Some(_) => Vec::new(),
        None => ops
            .iter()
            .map(|op| CompletionItem {
                label: op_name(*op, lang).to_owned(),
                kind: Some(CompletionItemKind::OPERATOR),
                detail: Some(format!("API `{}`", field.op_api(*op))),
                ..CompletionItem::default()
            })
            .collect(),
    }
}

/// A line so far, folded, keeping the space typed last: it ends the last word.
fn folded_line(words: &str) -> String {
    let mut folded = fold(words);
    if words.ends_with(char::is_whitespace) && !folded.ends_with(' ') {
        folded.push(' ');
    }
    folded
}

fn op_name(op: Op, lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => op.fr(),
        _ => op.en(),
    }
}

/// The language a line's field is written in, when it tells (`Canal`: French).
fn written_in(words: &str, default: Lang) -> Lang {
    let catalog = Catalog::get();
    let mut end = words.len();
    // The field is the longest run of words the catalog knows.
    while end > 0 {
        let head = words[..end].trim_end();
        if !catalog.field_spelled_alike(head) {
            if let Some(found) = catalog.field(head) {
                return match found.lang {
                    Lang::Api => default,
                    lang => lang,
                };
            }
        }
        end = head.rfind(' ').unwrap_or(0);
    }
    default
}

/// The field a folded condition line starts with: a catalog name, or a custom field's
/// title in the account.
fn find_field(folded: &str, account: Option<&Account>) -> Option<(FieldRef, String)> {
    let catalog = FIELDS
        .iter()
        .flat_map(|f| f.names.all().map(move |(_, n)| (n, FieldRef::Known(f))));
    let custom = account
        .into_iter()
        .flat_map(|a| a.fields())
        .map(|f| (f.title.as_str(), FieldRef::Custom(f.id)));
    let names: Vec<(&str, FieldRef)> = catalog.chain(custom).collect();
    let mut best: Option<(usize, FieldRef)> = None;
    for (name, field) in names {
        let name = fold(name);
        let fits = folded
            .strip_prefix(name.as_str())
            .is_some_and(|rest| rest.starts_with(' '));
        if fits && best.as_ref().is_none_or(|(len, _)| name.len() > *len) {
            best = Some((name.len(), field));
        }
    }
    best.map(|(len, field)| (field, folded[len + 1..].to_owned()))
}

fn fields(lang: Lang, account: Option<&Account>) -> Vec<CompletionItem> {
    let mut out: Vec<CompletionItem> = FIELDS
        .iter()
        .map(|f| CompletionItem {
            label: name_in(&f.names, lang).to_owned(),
            kind: Some(CompletionItemKind::FIELD),
            detail: Some(format!("API `{}`", f.names.api)),
            ..CompletionItem::default()
        })
        .collect();
    out.extend(
        account
            .into_iter()
            .flat_map(|a| a.fields())
            .map(|f| CompletionItem {
                label: f.title.clone(),
                kind: Some(CompletionItemKind::FIELD),
                detail: Some(format!("custom field `custom_fields_{}`", f.id)),
                ..CompletionItem::default()
            }),
    );
    let groups: &[&str] = match lang {
        Lang::Fr => &["tous", "au moins un", "non"],
        _ => &["all", "any", "not"],
    };
    out.extend(groups.iter().map(|g| keyword(g, &format!("{g} {{\n}}"))));
    out
}

/// The time conditions only automations have (`Hours since pending`), in `lang`.
fn time_fields(lang: Lang) -> impl Iterator<Item = CompletionItem> {
    TIME_FIELDS.iter().map(move |f| {
        let counted = if f.business {
            "business hours"
        } else {
            "hours"
        };
        CompletionItem {
            label: f.name(lang).to_owned(),
            kind: Some(CompletionItemKind::FIELD),
            detail: Some(format!(
                "time condition in {counted}, API `{}`",
                f.names.api
            )),
            ..CompletionItem::default()
        }
    })
}

/// The operators after a time condition (`Hours since pending `), when the line starts
/// with one and no operator yet.
fn time_ops(folded: &str, lang: Lang) -> Option<Vec<CompletionItem>> {
    let names = TIME_FIELDS
        .iter()
        .flat_map(|f| f.names.all().map(|(_, n)| (n, ())));
    let ((), rest) = longest(folded, names)?;
    let ops = [Op::Is, Op::Less, Op::Greater];
    let spelled = ops.iter().flat_map(|op| [(op.en(), ()), (op.fr(), ())]);
    if longest(rest, spelled).is_some() {
        return Some(Vec::new());
    }
    Some(
        ops.iter()
            .map(|op| CompletionItem {
                label: op_name(*op, lang).to_owned(),
                kind: Some(CompletionItemKind::OPERATOR),
                ..CompletionItem::default()
            })
            .collect(),
    )
}

/// The values a field of `domain` takes, in `lang`, with the account's titles.
fn values(field: &FieldRef, lang: Lang, account: Option<&Account>) -> Vec<CompletionItem> {
    let mut out = domain_values(field.domain(), lang, account);
    if let (FieldRef::Custom(id), Some(account)) = (field, account) {
        let options = account.fields().iter().filter(|f| f.id == *id);
        out.extend(options.flat_map(|f| &f.options).map(|o| CompletionItem {
            label: o.name.clone(),
            kind: Some(CompletionItemKind::ENUM_MEMBER),
            detail: Some(format!("tag `{}`", o.value)),
            ..CompletionItem::default()
        }));
    }
    out
}

fn domain_values(domain: Domain, lang: Lang, account: Option<&Account>) -> Vec<CompletionItem> {
    let mut out: Vec<CompletionItem> = domain
        .values()
        .iter()
        .filter(|v| v.listed)
        .map(|v| CompletionItem {
            label: name_in(&v.names, lang).to_owned(),
            kind: Some(CompletionItemKind::ENUM_MEMBER),
            detail: Some(format!("API `{}`", v.names.api)),
            ..CompletionItem::default()
        })
        .collect();
    match domain {
        Domain::Bool => {
            let words = if lang == Lang::Fr {
                ["vrai", "faux"]
            } else {
                ["true", "false"]
            };
            out.extend(words.map(|w| keyword(w, w)));
        }
        Domain::Id { of, .. } | Domain::Key { of } => {
            let kind = Kind::of(of.trim_start_matches("a ").trim_end_matches(" id"));
            if let (Some(kind), Some(account)) = (kind, account) {
                out.extend(account.ids(kind).filter_map(|id| {
                    let named = account.by_id(kind, id)?;
                    Some(CompletionItem {
                        label: named.name.clone(),
                        kind: Some(CompletionItemKind::REFERENCE),
                        detail: Some(format!("id {}", named.id)),
                        ..CompletionItem::default()
                    })
                }));
            }
        }
        _ => {}
    }
    out
}

fn action(words: &str, lang: Lang, account: Option<&Account>) -> Vec<CompletionItem> {
    if let Some((name, _)) = words.split_once('=') {
        let name = name.trim_end_matches(['+', '-']).trim();
        let Some(found) = Catalog::get().action(name) else {
            return Vec::new();
        };
        return match found.item.args {
            Args::Value(domain) => {
                domain_values(domain, written_in_action(found.lang, lang), account)
            }
            _ => Vec::new(),
        };
    }
    let folded = folded_line(words);
    let named = ACTIONS
        .iter()
        .flat_map(|a| a.names.all().map(move |(_, n)| (n, a)));
    if let Some((found, _)) = longest(&folded, named) {
        if let Args::Message { to, .. } = found.args {
            return domain_values(to, lang, account);
        }
        return Vec::new();
    }
    ACTIONS
        .iter()
        .map(|a| {
            let name = name_in(&a.names, lang);
            let insert = match a.args {
                Args::None => name.to_owned(),
                Args::Value(_) => format!("{name} = "),
                Args::Tags => format!("{name} += "),
                Args::Message { .. } => format!("{name} "),
                Args::Texts(texts) => format!("{name}{}", " \"\"".repeat(texts.len())),
            };
            CompletionItem {
                label: name.to_owned(),
                kind: Some(CompletionItemKind::FUNCTION),
                detail: Some(format!("takes {}", a.args.describe())),
                insert_text: Some(insert),
                ..CompletionItem::default()
            }
        })
        .collect()
}

fn written_in_action(found: Lang, default: Lang) -> Lang {
    match found {
        Lang::Api => default,
        lang => lang,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(text: &str) -> Vec<String> {
        let offset = text.find('|').expect("a cursor");
        let text = text.replace('|', "");
        complete(&text, offset, None)
            .into_iter()
            .map(|i| i.label)
            .collect()
    }

    fn has(text: &str, label: &str) -> bool {
        labels(text).iter().any(|l| l == label)
    }

    #[test]
    fn each_place_completes_what_may_come_there() {
        let cases = [
            // After a field, its values in the field's language; not the field names.
            (
                "trigger \"a\" {\n  when all {\n    Canal is |\n  }\n}",
                "Messagerie",
                true,
            ),
            (
                "trigger \"a\" {\n  when all {\n    Canal is |\n  }\n}",
                "Canal",
                false,
            ),
            (
                "trigger \"a\" {\n  when all {\n    Channel is |\n  }\n}",
                "Messaging",
                true,
            ),
            // After a field alone, its operators, in the file's language.
            ("quand tous {\n    Canal |", "est", false),
            (
                "déclencheur \"a\" {\n  quand tous {\n    Canal |\n  }\n}",
                "est",
                true,
            ),
            (
                "trigger \"a\" {\n  when all {\n    Channel |\n  }\n}",
                "is",
                true,
            ),
            (
                "trigger \"a\" {\n  when all {\n    Channel |\n  }\n}",
                "Messaging",
                false,
            ),
            // At a line's start, fields and groups.
            (
                "trigger \"a\" {\n  when all {\n    |\n  }\n}",
                "Priority",
                true,
            ),
            ("trigger \"a\" {\n  when all {\n    |\n  }\n}", "any", true),
            // Actions, then an action's values.
            (
                "trigger \"a\" {\n  then {\n    |\n  }\n}",
                "Send CSAT",
                true,
            ),
            ("trigger \"a\" {\n  then {\n    |\n  }\n}", "Priority", true),
            (
                "trigger \"a\" {\n  then {\n    Priority = |\n  }\n}",
                "High",
                true,
            ),
            (
                "trigger \"a\" {\n  then {\n    Priority = |\n  }\n}",
                "Send CSAT",
                false,
            ),
            // Keywords in and out of triggers.
            ("|", "trigger", true),
            ("trigger \"a\" {\n  |\n}", "when all", true),
            ("trigger \"a\" {\n  |\n}", "trigger", false),
            // Placeholders inside strings, only after `{{`.
            (
                "trigger \"a\" {\n  then {\n    notify requester \"S\" \"#{{|\"\n  }\n}",
                "{{ticket.id}}",
                true,
            ),
            (
                "trigger \"a\" {\n  then {\n    notify requester \"S\" \"#|\"\n  }\n}",
                "{{ticket.id}}",
                false,
            ),
            // Nothing in a comment.
            (
                "trigger \"a\" {\n  when all {\n    # Canal is |\n  }\n}",
                "Messagerie",
                false,
            ),
        ];
        for (text, label, want) in cases {
            assert_eq!(
                has(text, label),
                want,
                "{label} in {text:?}: {:?}",
                labels(text)
            );
        }
    }
}
