//! Conditions, actions and event names: every name that resolves against the catalog is
//! written in its canonical spelling, in the language it was written in; a name that does
//! not resolve is kept as written, so formatting a file with errors loses nothing.

use super::layout::{Builder, Shape};
use super::words::{self, OpForm, Spelled};
use crate::catalog::actions::Args;
use crate::catalog::fields::FieldRef;
use crate::catalog::{find_value, Catalog, Domain, Found, Lang, Value};
use crate::check::text::quote;
use crate::diagnostics::Span;
use crate::syntax::ast::{Action, AssignOp, Atom, Condition, File, Item, Name, Test};

/// A field name as it will be written: its text, whether the catalog knows it, and the
/// language it tells.
struct FieldName {
    text: String,
    known: bool,
    lang: Option<Lang>,
}

impl Builder<'_> {
    pub(super) fn condition(&mut self, c: &Condition, indent: usize) {
        let found = Catalog::get().field(&c.field.text);
        let field = field_name(&c.field, found.as_ref());
        let op = self.operator(c, field.lang);
        let name = self.name(field.text, &c.field, field.known, Place::Field(op));
        let mut words = vec![name, op.to_string()];
        words.extend(self.value(found.map(|f| f.item.domain()), &c.value));
        let end = c.value.last().map_or(c.op.span.end, |a| a.span.end);
        self.push(indent, words, Span::new(c.span.start, end), Shape::Plain);
    }

    /// The operator in the language it was written in; `==` and `!=` take the field's
    /// language, or the trigger's when the field's spelling tells none.
    fn operator(&self, c: &Condition, field_lang: Option<Lang>) -> &'static str {
        let lang = match words::op_form(c.op.node, self.source(c.op.span)) {
            OpForm::In(lang) => lang,
            OpForm::Neutral => match field_lang {
                Some(Lang::Fr) => Lang::Fr,
                Some(_) => Lang::En,
                None => self.trigger_lang,
            },
        };
        words::op_spelling(c.op.node, lang)
    }

    /// A name as it will be written: bare where the grammar reads it back bare at its
    /// place (a bare name ends at the first operator word, so only parsing can tell),
    /// quoted elsewhere. An unknown name its author quoted stays quoted, as written.
    fn name(&mut self, text: String, written: &Name, known: bool, place: Place<'_>) -> String {
        let probe = place.probe(&text);
        let bare = (known || !written.quoted)
            && self.probe(probe, |file| {
                place
                    .name_in(file)
                    .is_some_and(|n| !n.quoted && n.text == text)
            });
        if bare {
            text
        } else {
            self.string_at(&text, written.span)
        }
    }

    /// A value's words: one canonical name when the value names a member of the domain,
    /// else its atoms as written.
    fn value(&self, domain: Option<Domain>, atoms: &[Atom]) -> Vec<String> {
        match domain.and_then(|d| canonical_value(d, atoms)) {
            Some(text) if words::bare_safe(&text) => vec![text],
            Some(text) => vec![quote(&text)],
            None => atoms.iter().map(|a| self.atom(a)).collect(),
        }
    }

    fn atom(&self, atom: &Atom) -> String {
        if atom.quoted {
            self.string_at(&atom.text, atom.span)
        } else {
            atom.text.clone()
        }
    }

    pub(super) fn action(&mut self, action: &Action, indent: usize) {
        let (words, span) = match action {
            Action::Assign {
                name,
                op,
                value,
                span,
            } => (self.assignment(name, op.node, value), *span),
            Action::Phrase { atoms, span } => (self.phrase(atoms), *span),
        };
        let end = match action {
            Action::Assign { op, value, .. } => value.last().map_or(op.span.end, |a| a.span.end),
            Action::Phrase { atoms, .. } => atoms.last().map_or(span.end, |a| a.span.end),
        };
        self.push(indent, words, Span::new(span.start, end), Shape::Plain);
    }

    /// `NAME = VALUE`, `Tags += a b`: the name canonical, the value too when the action
    /// sets one of a list.
    fn assignment(&mut self, name: &Name, op: AssignOp, value: &[Atom]) -> Vec<String> {
        let op_text = match op {
            AssignOp::Set => "=",
            AssignOp::Add => "+=",
            AssignOp::Remove => "-=",
        };
        let catalog = Catalog::get();
        let (text, domain, known) = match catalog.action(&name.text) {
            Some(found) => {
                let domain = match (op, found.item.args) {
                    (AssignOp::Set, Args::Value(domain)) => Some(domain),
                    _ => None,
                };
                let text = words::spelling(&found.item.names, &name.text).text;
                (text.to_string(), domain, true)
            }
            None => match catalog.field(&name.text) {
                Some(
                    found @ Found {
                        item: FieldRef::Custom(_),
                        ..
                    },
                ) => (found.item.display(found.lang), None, true),
                _ => (name.text.clone(), None, false),
            },
        };
        let mut words = vec![
            self.name(text, name, known, Place::Assigned(op_text)),
            op_text.to_string(),
        ];
        words.extend(self.value(domain, value));
        words
    }

    /// A catalog phrase and its arguments. The checker takes the longest run of leading
    /// bare words that names an action as the phrase's name: the same run is respelled.
    fn phrase(&self, atoms: &[Atom]) -> Vec<String> {
        let catalog = Catalog::get();
        let bare = atoms.iter().take_while(|a| !a.quoted).count();
        let found = (1..=bare).rev().find_map(|n| {
            let name = text_of(atoms.get(..n)?);
            catalog.action(&name).map(|found| (found.item, name, n))
        });
        let Some((action, name, n)) = found else {
            return atoms.iter().map(|a| self.atom(a)).collect();
        };
        let spelled = words::spelling(&action.names, &name).text;
        let args = atoms.get(n..).unwrap_or_default();
        let mut words = if words::bare_safe(spelled) {
            vec![spelled.to_string()]
        } else {
            atoms
                .get(..n)
                .unwrap_or_default()
                .iter()
                .map(|a| self.atom(a))
                .collect()
        };
        words.extend(self.arguments(action.args, args));
        words
    }

    /// A phrase's arguments: a value or a message's recipient respelled, texts as written.
    fn arguments(&self, args: Args, atoms: &[Atom]) -> Vec<String> {
        match args {
            Args::Value(domain) => self.value(Some(domain), atoms),
            Args::Message { to, .. } => {
                // The recipient is the words before the first string, as the checker reads it.
                let words = atoms.iter().take_while(|a| !a.quoted).count();
                let split = words.max(1).min(atoms.len());
                let (recipient, rest) = atoms.split_at(split);
                let mut out = self.value(Some(to), recipient);
                out.extend(rest.iter().map(|a| self.atom(a)));
                out
            }
            Args::None | Args::Tags | Args::Texts(_) => {
                atoms.iter().map(|a| self.atom(a)).collect()
            }
        }
    }

    /// A conversation event's name, for `on`.
    pub(super) fn event(&mut self, name: &Name) -> String {
        let found = Catalog::get().event(&name.text);
        let text = match found.and_then(|f| crate::catalog::values::CONVERSATION_EVENTS.get(f.item))
        {
            Some(event) => words::spelling(&event.names, &name.text).text.to_string(),
            None => name.text.clone(),
        };
        self.name(text, name, found.is_some(), Place::Event)
    }
}

/// Where a name stands, for probing whether it may stand there bare.
#[derive(Clone, Copy)]
enum Place<'a> {
    /// The field of a condition with this operator.
    Field(&'a str),
    /// The name of an assignment with this operator.
    Assigned(&'a str),
    /// The event of `on`.
    Event,
}

impl Place<'_> {
    /// A trigger with `text` bare at this place.
    fn probe(self, text: &str) -> String {
        match self {
            Place::Field(op) => format!("trigger \"\" {{\nwhen all {{\n{text} {op}\n}}\n}}\n"),
            Place::Assigned(op) => format!("trigger \"\" {{\nthen {{\n{text} {op}\n}}\n}}\n"),
            Place::Event => format!("trigger \"\" {{\non {text}\n}}\n"),
        }
    }

    /// The name at this place in a parsed probe.
    fn name_in(self, file: &File) -> Option<&Name> {
        match (self, first_item(file)?) {
            (Place::Field(_), Item::When(group)) => match group.members.first()? {
                Test::Condition(c) => Some(&c.field),
                Test::Group(_) => None,
            },
            (Place::Assigned(_), Item::Then(actions)) => match actions.first()? {
                Action::Assign { name, .. } => Some(name),
                Action::Phrase { .. } => None,
            },
            (Place::Event, Item::On(name)) => Some(name),
            _ => None,
        }
    }
}

/// The first item of the first trigger of a probe.
fn first_item(file: &File) -> Option<&Item> {
    Some(&file.triggers.first()?.items.first()?.node)
}

/// A field's name: catalog fields in their canonical spelling, custom fields in the
/// canonical form of their pattern, unknown names as written.
fn field_name(written: &Name, found: Option<&Found<FieldRef>>) -> FieldName {
    match found {
        Some(Found {
            item: FieldRef::Known(field),
            ..
        }) => {
            let Spelled { text, lang } = words::spelling(&field.names, &written.text);
            FieldName {
                text: text.into(),
                known: true,
                lang,
            }
        }
        Some(found) => FieldName {
            text: found.item.display(found.lang),
            known: true,
            lang: Some(found.lang),
        },
        None => FieldName {
            text: written.text.clone(),
            known: false,
            lang: None,
        },
    }
}

/// The text of a value: its atoms joined by single spaces, as the checker reads it.
fn text_of(atoms: &[Atom]) -> String {
    let words: Vec<&str> = atoms.iter().map(|a| a.text.as_str()).collect();
    words.join(" ")
}

/// The canonical spelling of a value that names a member of `domain` (a status, a
/// symbolic user, a boolean); `None` for ids, numbers, text and unknown values, which
/// stay as written.
fn canonical_value(domain: Domain, atoms: &[Atom]) -> Option<String> {
    if atoms.is_empty() {
        return None;
    }
    let written = text_of(atoms);
    let member = |values: &'static [Value]| {
        let found = find_value(values, &written)?;
        let value = values.get(found.item)?;
        Some(words::spelling(&value.names, &written).text.to_string())
    };
    match domain {
        Domain::Enum {
            values,
            open_integers,
            ..
        } if !(open_integers && written.parse::<i64>().is_ok()) => member(values),
        Domain::Id { special, .. } if written.parse::<i64>().is_err() => member(special),
        Domain::Bool => {
            words::parse_boolean(&written).map(|b| words::boolean(b, &written).to_string())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_and_ids_stay_as_written() {
        let atoms = |text: &str| {
            vec![Atom {
                text: text.into(),
                quoted: false,
                span: Span::default(),
            }]
        };
        let field = |key| crate::catalog::fields::get(key).domain;
        use crate::catalog::fields::FieldKey;
        assert_eq!(
            canonical_value(field(FieldKey::Status), &atoms("OUVERT")).as_deref(),
            Some("Ouvert")
        );
        assert_eq!(
            canonical_value(field(FieldKey::Status), &atoms("Ouvret")),
            None
        );
        assert_eq!(
            canonical_value(field(FieldKey::Channel), &atoms("75")),
            None
        );
        assert_eq!(
            canonical_value(field(FieldKey::Group), &atoms("360001")),
            None
        );
        assert_eq!(
            canonical_value(field(FieldKey::InBusinessHours), &atoms("Non")).as_deref(),
            Some("faux")
        );
    }
}
