//! What conditions, actions and events share: names and values. Every name that
//! resolves against the catalog is written in its canonical spelling, in the language it
//! was written in; a name that does not resolve is kept as written, so formatting a file
//! with errors loses nothing.

use super::layout::Builder;
use super::words;
use crate::catalog::{find_value, Catalog, Domain, Value};
use crate::check::text::quote;
use crate::syntax::ast::{Action, Atom, File, Item, Name, Test};

impl Builder<'_> {
    /// A name as it will be written: bare where the grammar reads it back bare at its
    /// place (a bare name ends at the first operator word, so only parsing can tell),
    /// quoted elsewhere. An unknown name its author quoted stays quoted, as written.
    pub(super) fn name(
        &mut self,
        text: String,
        written: &Name,
        known: bool,
        place: Place<'_>,
    ) -> String {
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

    /// A value's words: its canonical name (see [`canonical_value`]) when it has one,
    /// else its atoms as written.
    pub(super) fn value_words(&self, canonical: Option<&str>, atoms: &[Atom]) -> Vec<String> {
        // A quoted `"false"` names the API's string; bare, `false` is the JSON boolean some
        // exports hold (`comment_is_public`), which the checker keeps apart.
        let quoted_bool =
            |text: &str| text.parse::<bool>().is_ok() && atoms.iter().any(|a| a.quoted);
        match canonical {
            Some(text) if words::bare_safe(text) && !quoted_bool(text) => vec![text.to_string()],
            Some(text) => vec![quote(text)],
            None => self.atoms(atoms),
        }
    }

    /// A value's words, respelled when it names a member of `domain`; `api` tells that
    /// its field or action was named in API form.
    pub(super) fn value(&self, domain: Option<Domain>, atoms: &[Atom], api: bool) -> Vec<String> {
        let canonical = domain.and_then(|d| canonical_value(d, atoms, api));
        self.value_words(canonical.as_deref(), atoms)
    }

    /// Atoms as written, strings in canonical form.
    pub(super) fn atoms(&self, atoms: &[Atom]) -> Vec<String> {
        atoms.iter().map(|a| self.atom(a)).collect()
    }

    pub(super) fn atom(&self, atom: &Atom) -> String {
        if atom.quoted {
            self.string_at(&atom.text, atom.span)
        } else {
            atom.text.clone()
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
pub(super) enum Place<'a> {
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
            Place::Field(op) => format!("trigger \"field\" {{\nwhen all {{\n{text} {op}\n}}\n}}\n"),
            Place::Assigned(op) => {
                format!("trigger \"assigned\" {{\nthen {{\n{text} {op}\n}}\n}}\n")
            }
            Place::Event => format!("trigger \"event\" {{\non {text}\n}}\n"),
        }
    }

    /// The name at this place in a parsed probe.
    fn name_in(self, file: &File) -> Option<&Name> {
        match (self, first_item(file)?) {
            (Place::Field(_), Item::When(group)) => match group.members.first()? {
                Test::Condition(c) => Some(&c.field),
                Test::Group(_) | Test::Zendesk(_) => None,
            },
            (Place::Assigned(_), Item::Then(actions)) => match actions.first()? {
                Action::Assign { name, .. } => Some(name),
                Action::Phrase { .. } | Action::Zendesk(_) => None,
            },
            (Place::Event, Item::On(name)) => Some(name),
            _ => None,
        }
    }
}

/// The first item of the first trigger of a probe.
pub(super) fn first_item(file: &File) -> Option<&Item> {
    Some(&file.triggers.first()?.items.first()?.node)
}

/// The text of a value: its atoms joined by single spaces, as the checker reads it.
pub(super) fn text_of(atoms: &[Atom]) -> String {
    let words: Vec<&str> = atoms.iter().map(|a| a.text.as_str()).collect();
    words.join(" ")
}

/// The canonical spelling of a value that names a member of `domain` (a status, a
/// symbolic user, a boolean); `None` for ids, numbers, text and unknown values, which
/// stay as written.
pub(super) fn canonical_value(domain: Domain, atoms: &[Atom], api: bool) -> Option<String> {
    if atoms.is_empty() {
        return None;
    }
    let written = text_of(atoms);
    let member = |values: &'static [Value]| {
        let found = find_value(values, &written)?;
        let value = values.get(found.item)?;
        Some(
            words::value_spelling(&value.names, &written, api)
                .text
                .to_string(),
        )
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
    use crate::diagnostics::Span;

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
            canonical_value(field(FieldKey::Status), &atoms("OUVERT"), false).as_deref(),
            Some("Ouvert")
        );
        assert_eq!(
            canonical_value(field(FieldKey::Status), &atoms("Ouvret"), false),
            None
        );
        assert_eq!(
            canonical_value(field(FieldKey::Channel), &atoms("75"), false),
            None
        );
        assert_eq!(
            canonical_value(field(FieldKey::Group), &atoms("360001"), false),
            None
        );
        assert_eq!(
            canonical_value(field(FieldKey::InBusinessHours), &atoms("Non"), false).as_deref(),
            Some("faux")
        );
    }
}
