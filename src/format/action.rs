//! Actions: assignments (`Priorité = Basse`, `Tags += vip`) and phrases
//! (`Mettre fin à la session`, `Notify Requester "Subject" "Body"`).

use super::layout::{Builder, Shape};
use super::terms::{text_of, Place};
use super::words::{self, Spelled};
use crate::catalog::actions::Args;
use crate::catalog::fields::FieldRef;
use crate::catalog::{Catalog, Domain, Lang};
use crate::diagnostics::Span;
use crate::syntax::ast::{Action, AssignOp, Atom, Name};

impl Builder<'_> {
    pub(super) fn action(&mut self, action: &Action, indent: usize) {
        if let Action::Zendesk(raw) = action {
            return self.verbatim(raw.span, indent);
        }
        // The line ends with its last token: a rule's span may run on over the blanks and
        // the comment after an optional part that is absent (`Tags +=  # none`).
        let (words, start, end) = match action {
            Action::Assign {
                name,
                op,
                value,
                span,
            } => {
                let end = value.last().map_or(op.span.end, |a| a.span.end);
                (self.assignment(name, op.node, value), span.start, end)
            }
            Action::Phrase { atoms, span } => {
                let end = atoms.last().map_or(span.end, |a| a.span.end);
                (self.phrase(atoms), span.start, end)
            }
            // Written verbatim above.
            Action::Zendesk(raw) => (Vec::new(), raw.span.start, raw.span.end),
        };
        self.push(indent, words, Span::new(start, end), Shape::Plain);
    }

    /// `NAME = VALUE`, `Tags += a b`: the name canonical, the value too when the action
    /// sets one of a list.
    fn assignment(&mut self, name: &Name, op: AssignOp, value: &[Atom]) -> Vec<String> {
        let op_text = match op {
            AssignOp::Set => "=",
            AssignOp::Add => "+=",
            AssignOp::Remove => "-=",
        };
        let target = assigned(name, op);
        let mut words = vec![
            self.name(target.text, name, target.known, Place::Assigned(op_text)),
            op_text.to_string(),
        ];
        words.extend(self.value(target.domain, value, target.api));
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
            return self.atoms(atoms);
        };
        let Spelled {
            text: spelled,
            lang,
        } = words::spelling(&action.names, &name);
        let args = atoms.get(n..).unwrap_or_default();
        let mut words = if words::bare_safe(spelled) {
            vec![spelled.to_string()]
        } else {
            self.atoms(atoms.get(..n).unwrap_or_default())
        };
        words.extend(self.arguments(action.args, args, lang == Some(Lang::Api)));
        words
    }

    /// A phrase's arguments: a value or a message's recipient respelled, texts as written.
    fn arguments(&self, args: Args, atoms: &[Atom], api: bool) -> Vec<String> {
        match args {
            Args::Value(domain) => self.value(Some(domain), atoms, api),
            Args::Message { to, .. } => {
                // The recipient is the words before the first string, as the checker reads it.
                let words = atoms.iter().take_while(|a| !a.quoted).count();
                let split = words.max(1).min(atoms.len());
                let (recipient, rest) = atoms.split_at(split);
                let mut out = self.value(Some(to), recipient, api);
                out.extend(rest.iter().map(|a| self.atom(a)));
                out
            }
            Args::None | Args::Tags | Args::Texts(_) => self.atoms(atoms),
        }
    }
}

/// What an assignment sets, as it will be written.
struct Target {
    /// The name: canonical for catalog actions and custom fields, else as written.
    text: String,
    /// The values it takes, when it sets one of a list.
    domain: Option<Domain>,
    /// Whether it was named in API form.
    api: bool,
    /// Whether the catalog knows it.
    known: bool,
}

fn assigned(name: &Name, op: AssignOp) -> Target {
    let catalog = Catalog::get();
    if let Some(found) = catalog.action(&name.text) {
        let spelled = words::spelling(&found.item.names, &name.text);
        return Target {
            text: spelled.text.to_string(),
            domain: match (op, found.item.args) {
                (AssignOp::Set, Args::Value(domain)) => Some(domain),
                _ => None,
            },
            api: spelled.lang == Some(Lang::Api),
            known: true,
        };
    }
    let custom = catalog
        .field(&name.text)
        .filter(|found| matches!(found.item, FieldRef::Custom(_)));
    Target {
        known: custom.is_some(),
        text: custom.map_or_else(|| name.text.clone(), |f| f.item.display(f.lang)),
        domain: None,
        api: false,
    }
}
