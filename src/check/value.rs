//! Values against their domains.

use super::account::{self, Titled};
use super::rules::Operand;
use super::Context;
use crate::catalog::{self, Domain};
use crate::diagnostics::{did_you_mean, excerpt, Code, Diagnostic, Span};
use crate::syntax::ast::Atom;

/// The span covering all atoms.
pub(super) fn span_of(atoms: &[Atom]) -> Span {
    match (atoms.first(), atoms.last()) {
        (Some(first), Some(last)) => first.span.join(last.span),
        _ => Span::default(),
    }
}

/// The text of a value: one string as written, or bare words joined by single spaces.
pub(super) fn text_of(atoms: &[Atom]) -> String {
    let mut out = String::with_capacity(atoms.iter().map(|a| a.text.len() + 1).sum());
    for (i, atom) in atoms.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&atom.text);
    }
    out
}

/// The text of a subject or comment value as the API writes it: [`text_of`], except that
/// among several atoms a quoted one keeps its quotes, so that `includes refund "my
/// printer"` searches the phrase as one word (`refund "my printer"`), as Zendesk does. A
/// single string is the API value as written (`"refund \"my printer\""`).
fn words_of(atoms: &[Atom]) -> String {
    if atoms.len() < 2 || !atoms.iter().any(|a| a.quoted) {
        return text_of(atoms);
    }
    let parts: Vec<String> = atoms
        .iter()
        .map(|a| {
            if a.quoted {
                format!("\"{}\"", a.text)
            } else {
                a.text.clone()
            }
        })
        .collect();
    parts.join(" ")
}

/// Checks `atoms` against `domain`; `owner` names the field or action in messages.
pub(super) fn resolve(
    cx: &mut Context<'_>,
    domain: Domain,
    atoms: &[Atom],
    owner: &str,
) -> Option<Operand> {
    let span = span_of(atoms);
    let full = text_of(atoms);
    // How messages quote the value: only a value in error pays for it.
    let text = || excerpt(&full);
    match domain {
        Domain::Enum {
            values,
            open_integers,
            ..
        } => {
            // `true` as the API writes it, bare: the JSON boolean some exports hold
            // (`comment_is_public`), which export gives back as one.
            let json_bool = match atoms {
                [atom] if !atom.quoted => full.parse::<bool>().ok(),
                _ => None,
            };
            if let Some(b) =
                json_bool.filter(|b| values.iter().any(|v| v.names.api == b.to_string()))
            {
                return Some(Operand::Bool(b));
            }
            if let Some(found) = catalog::find_value(values, &full) {
                return Some(Operand::Enum(found.item));
            }
            if open_integers {
                if let Ok(n) = full.parse::<i64>() {
                    return Some(Operand::Integer(n));
                }
            }
            cx.push(unknown_value(&full, owner, span, values, &domain));
            None
        }
        Domain::Id { of, special } => {
            if let Ok(n) = full.parse::<i64>() {
                return Some(Operand::Integer(n));
            }
            if let Some(found) = catalog::find_value(special, &full) {
                return Some(Operand::Symbol(found.item));
            }
            match account::id(cx, of, &full, span, false) {
                Titled::Found(id) => {
                    if let Ok(n) = id.parse::<i64>() {
                        return Some(Operand::Integer(n));
                    }
                }
                Titled::Reported => return None,
                Titled::Unknown => {}
            }
            let mut help = format!("`{owner}` takes a {of} id, a number such as `360001234567`");
            if !special.is_empty() {
                let names: Vec<String> = special
                    .iter()
                    .filter(|v| v.listed)
                    .map(|v| format!("`{}`", v.names.en[0]))
                    .collect();
                help.push_str(&format!(", or {}", names.join(", ")));
            }
            let near = catalog::nearest_values(special, &full);
            let text = text();
            let message = match did_you_mean(&near) {
                Some(dym) => format!("`{text}` is not a {of} id; {dym}"),
                None => format!("`{text}` is not a {of} id"),
            };
            // Not a number and near no symbolic id: a title, which only the account's
            // metadata can turn into an id, for the kinds it lists.
            let titled = near.is_empty() && crate::account::Kind::of(of).is_some();
            if let Some(hint) = titled
                .then(|| account::without_account(cx, &text))
                .flatten()
            {
                help = format!("{help}; {hint}");
            }
            cx.push(
                Diagnostic::error(Code::InvalidValue, message)
                    .label(span, format!("expected a {of} id"))
                    .help(help),
            );
            None
        }
        Domain::Bool => match catalog::fold(&full).as_str() {
            "true" | "vrai" | "yes" | "oui" => Some(Operand::Bool(true)),
            "false" | "faux" | "no" | "non" => Some(Operand::Bool(false)),
            _ => {
                cx.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("`{}` is not true or false", text()),
                    )
                    .label(span, "expected `true` or `false`")
                    .help(format!("`{owner}` is true or false (`vrai` or `faux`)")),
                );
                None
            }
        },
        Domain::Number => match full.parse::<f64>() {
            Ok(n) if n.is_finite() => Some(Operand::Number(n)),
            _ => {
                cx.push(
                    Diagnostic::error(Code::InvalidValue, format!("`{}` is not a number", text()))
                        .label(span, "expected a number")
                        .help(format!("`{owner}` takes a number, such as `24`")),
                );
                None
            }
        },
        Domain::Key { of } => match account::id(cx, of, &full, span, true) {
            Titled::Found(id) => Some(Operand::Text(id)),
            Titled::Reported => None,
            Titled::Unknown if full.is_empty() => {
                cx.push(
                    Diagnostic::error(Code::InvalidValue, format!("an empty {of} id"))
                        .label(span, format!("expected a {of} id"))
                        .help(format!("`{owner}` takes a {of} id, such as `01GZ8K4XN2`")),
                );
                None
            }
            Titled::Unknown => Some(Operand::Text(full)),
        },
        Domain::Tags => tags(cx, atoms, owner),
        Domain::Text => Some(Operand::Text(words_of(atoms))),
        Domain::Raw => Some(Operand::Text(full)),
    }
}

/// The value of custom field `id`: with account metadata, a drop-down option by name.
pub(super) fn custom(
    cx: &mut Context<'_>,
    id: u64,
    atoms: &[Atom],
    owner: &str,
) -> Option<Operand> {
    match account::option(cx, id, &text_of(atoms), span_of(atoms)) {
        Titled::Found(value) => Some(Operand::Text(value)),
        Titled::Reported => None,
        Titled::Unknown => resolve(cx, Domain::Raw, atoms, owner),
    }
}

fn tags(cx: &mut Context<'_>, atoms: &[Atom], owner: &str) -> Option<Operand> {
    let mut out = Vec::with_capacity(atoms.len());
    for atom in atoms {
        if atom.text.is_empty() || atom.text.chars().any(char::is_whitespace) {
            cx.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("`{}` is not a tag", excerpt(&atom.text)),
                )
                .label(atom.span, "a tag is one word")
                .help(format!(
                    "`{owner}` takes tags separated by spaces; a tag has no space in it"
                )),
            );
            return None;
        }
        out.push(atom.text.clone());
    }
    Some(Operand::Tags(out))
}

fn unknown_value(
    text: &str,
    owner: &str,
    span: Span,
    values: &'static [catalog::Value],
    domain: &Domain,
) -> Diagnostic {
    let near = catalog::nearest_values(values, text);
    let text = excerpt(text);
    let message = match did_you_mean(&near) {
        Some(dym) => format!("unknown value `{text}` for `{owner}`; {dym}"),
        None => format!("unknown value `{text}` for `{owner}`"),
    };
    let french: Vec<&str> = values
        .iter()
        .filter(|v| v.listed)
        .map(|v| v.names.fr[0])
        .collect();
    Diagnostic::error(Code::UnknownValue, message)
        .label(span, format!("not a value of `{owner}`"))
        .help(format!(
            "`{owner}` takes {} (in French: {})",
            domain.describe(),
            french.join(", ")
        ))
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::Source;

    /// The rule holding the condition `when`, formatted, and the API value export gives it.
    fn formatted_and_exported(when: &str) -> (String, serde_json::Value) {
        let text = format!(
            "trigger \"t\" {{\n  when all {{\n    {when}\n  }}\n  then {{\n    Tags += x\n  }}\n}}\n"
        );
        let source = Source::new("t.declic", text);
        let formatted = crate::format::format(&source).expect("formats");
        let rules = crate::check(&[source]).into_result().expect("checks");
        let exported = crate::interop::export::export(&rules, None);
        let value = exported.triggers[0].conditions.all[0].value.clone();
        (formatted, value)
    }

    #[test]
    fn a_quoted_phrase_among_words_keeps_its_quotes_through_format_and_export() {
        let cases = [
            // Written by hand: the phrase is a string among bare words.
            (
                r#"Subject includes refund "my printer""#,
                r#"refund "my printer""#,
            ),
            (
                r#"Subject includes "my printer" refund"#,
                r#""my printer" refund"#,
            ),
            // As import writes it: the API value is one string.
            (
                r#"Subject includes "refund \"my printer\"""#,
                r#"refund "my printer""#,
            ),
            // Near miss: a single string is the API value as written, quotes and all.
            (
                r#"Subject includes "refund my printer""#,
                "refund my printer",
            ),
            (r"Subject includes refund my printer", "refund my printer"),
        ];
        for (when, api) in cases {
            let (formatted, value) = formatted_and_exported(when);
            assert!(formatted.contains(when), "{when} formats as\n{formatted}");
            assert_eq!(value, api, "{when}");
        }
    }
}
