//! Conditions: `FIELD OPERATOR VALUE`, each part respelled in its author's language.

use super::layout::{Builder, Shape};
use super::terms::{canonical_value, first_item, text_of, Place};
use super::words::{self, OpForm, Spelled};
use crate::catalog::fields::FieldRef;
use crate::catalog::time::TimeField;
use crate::catalog::{Catalog, Found, Lang};
use crate::check::text::quote;
use crate::diagnostics::Span;
use crate::syntax::ast::{Condition, Item, Name, Test};

/// A field name as it will be written: its text, whether the catalog knows it, and the
/// language it tells.
struct FieldName {
    text: String,
    known: bool,
    lang: Option<Lang>,
}

/// One way to write a condition's operator and value, and the value's text as the checker
/// will read it back.
struct Candidate {
    op: String,
    value: Vec<String>,
    reads: String,
}

impl Builder<'_> {
    pub(super) fn condition(&mut self, c: &Condition, indent: usize) {
        let catalog = Catalog::get();
        let found = catalog.field(&c.field.text);
        let field = match catalog.time(&c.field.text) {
            Some(time) => time_name(&c.field, time.item),
            None => field_name(&c.field, found.as_ref()),
        };
        let op = self.operator(c, field.lang);
        let field_text = field.text.clone();
        let name = self.name(field.text, &c.field, field.known, Place::Field(op));
        let api = field.lang == Some(Lang::Api);
        let canonical = found.and_then(|f| canonical_value(f.item.domain(), &c.value, api));
        let (op, value) = self.settle(c, &field_text, &name, op, canonical);
        let mut words = vec![name, op];
        words.extend(value);
        // The line ends with its last token: without a value, the condition's span runs on
        // over the blanks and the comment after the operator.
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

    /// The operator and value as they will be written. A value's first word may extend
    /// the operator before it (`is` then `Not relevant` reads as `is not` then `relevant`),
    /// so the line is probed; failing that, a catalog value is quoted (the checker reads
    /// a quoted value alike); failing that, the operator keeps its author's spelling,
    /// which the grammar already read before this very value.
    fn settle(
        &mut self,
        c: &Condition,
        field: &str,
        name: &str,
        op: &str,
        canonical: Option<String>,
    ) -> (String, Vec<String>) {
        let written = Candidate {
            op: self.source(c.op.span).to_string(),
            value: self.atoms(&c.value),
            reads: text_of(&c.value),
        };
        if c.value.is_empty() {
            return (op.to_string(), written.value);
        }
        let mut candidates = Vec::new();
        if let Some(text) = canonical {
            let value = self.value_words(Some(&text), &c.value);
            let quoted = vec![quote(&text)];
            for value in [value, quoted] {
                candidates.push(Candidate {
                    op: op.to_string(),
                    value,
                    reads: text.clone(),
                });
            }
        } else {
            let value = written.value.clone();
            candidates.push(Candidate {
                op: op.to_string(),
                value,
                reads: written.reads.clone(),
            });
        }
        let chosen = candidates
            .into_iter()
            .find(|candidate| self.reads_back(c, field, name, candidate))
            .unwrap_or(written);
        (chosen.op, chosen.value)
    }

    /// Whether `name`, then `candidate`, reads back as this condition.
    fn reads_back(
        &mut self,
        c: &Condition,
        field: &str,
        name: &str,
        candidate: &Candidate,
    ) -> bool {
        let line = format!("{name} {} {}", candidate.op, candidate.value.join(" "));
        let probe = format!("trigger \"line\" {{\nwhen all {{\n{line}\n}}\n}}\n");
        self.probe(probe, |file| {
            let Some(Item::When(group)) = first_item(file) else {
                return false;
            };
            matches!(
                group.members.first(),
                Some(Test::Condition(read)) if read.field.text == field
                    && read.op.node == c.op.node
                    && text_of(&read.value) == candidate.reads
            )
        })
    }
}

/// A time condition's name in its canonical spelling (`Hours since pending`), or the API's
/// (`PENDING`) as it was written.
fn time_name(written: &Name, time: &TimeField) -> FieldName {
    let Spelled { text, lang } = words::spelling(&time.names, &written.text);
    FieldName {
        text: text.into(),
        known: true,
        lang,
    }
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
