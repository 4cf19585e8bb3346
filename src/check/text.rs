//! Checked conditions written back as text, in the language their author used, for
//! explanations and messages that quote a rule.

use std::borrow::Cow;

use super::rules::{Operand, Test};
use crate::catalog::fields::FieldRef;
use crate::catalog::time::TimeField;
use crate::catalog::{Domain, Lang, Op};
use crate::model::{HoursOp, HoursTest};
pub use crate::syntax::literal::quoted as quote;

impl Test {
    /// The test as the author would write it: `Statut est Ouvert`, `Tags includes vip`.
    pub fn to_text(&self) -> String {
        self.text_in(self.lang)
    }

    /// The test as written in `lang`, whatever language its author used.
    pub fn text_in(&self, lang: Lang) -> String {
        // Built in one string: the lints spell out every test of a rule set.
        let mut out = String::with_capacity(64);
        match &self.field {
            FieldRef::Known(f) => out.push_str(f.names.canonical(lang)),
            other => out.push_str(&other.display(lang)),
        }
        out.push(' ');
        out.push_str(op_name(self.op, lang));
        if let Some(value) = operand_text(&self.field, &self.value, lang) {
            out.push(' ');
            out.push_str(&value);
        }
        out
    }
}

/// A time condition as written in `lang`: `Hours since pending > 48`, `Heures ouvrées
/// depuis En attente > 8`.
pub fn hours_text(test: &HoursTest, lang: Lang) -> String {
    let name = TimeField::get(test.moment, test.business).name(lang);
    let op = match test.op {
        HoursOp::Is => Op::Is,
        HoursOp::LessThan => Op::Less,
        HoursOp::GreaterThan => Op::Greater,
    };
    format!("{name} {} {}", op_name(op, lang), test.hours)
}

/// The operator's name in `lang`; API-form authors read the English one.
pub fn op_name(op: Op, lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => op.fr(),
        Lang::En | Lang::Api => op.en(),
    }
}

/// The operand as text; `None` when the operator takes none.
fn operand_text<'a>(field: &FieldRef, value: &'a Operand, lang: Lang) -> Option<Cow<'a, str>> {
    let domain = field.domain();
    Some(match value {
        Operand::None => return None,
        Operand::Enum(i) | Operand::Symbol(i) => match domain.values().get(*i) {
            Some(v) => Cow::Borrowed(v.names.canonical(lang)),
            None => Cow::Owned(format!("#{i}")),
        },
        Operand::Integer(n) => Cow::Owned(n.to_string()),
        Operand::Number(n) => Cow::Owned(n.to_string()),
        Operand::Bool(b) => Cow::Borrowed(bool_text(*b, lang)),
        Operand::Text(s) if matches!(domain, Domain::Raw) && is_bare(s) => Cow::Borrowed(s),
        Operand::Text(s) => Cow::Owned(quote(s)),
        Operand::Tags(tags) => Cow::Owned(tags.join(" ")),
    })
}

/// `true`/`false` in `lang`.
pub fn bool_text(b: bool, lang: Lang) -> &'static str {
    match (b, lang) {
        (true, Lang::Fr) => "vrai",
        (false, Lang::Fr) => "faux",
        (true, _) => "true",
        (false, _) => "false",
    }
}

/// Whether `s` reads back as one bare word.
fn is_bare(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '@' | ':' | '/'))
}

#[cfg(test)]
mod tests {
    use crate::check::rules::Condition;
    use crate::diagnostics::Source;

    fn first_test(text: &str) -> String {
        let checked = crate::check(&[Source::new("t.declic", text)]);
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        let Condition::All(members) = &checked.rules.triggers[0].conditions else {
            panic!("expected an all-group");
        };
        let Condition::Test(t) = &members[0] else {
            panic!("expected a test");
        };
        t.to_text()
    }

    #[test]
    fn tests_read_back_in_their_authors_language() {
        let fr = "déclencheur \"a\" {\n quand tous {\n  Statut est ouvert\n }\n alors {\n  Priorité = Urgente\n }\n}\n";
        assert_eq!(first_test(fr), "Statut est Ouvert");
        let en = "trigger \"a\" {\n when all {\n  tags includes vip gold\n }\n then {\n  Priority = Urgent\n }\n}\n";
        assert_eq!(first_test(en), "Tags includes vip gold");
        let text = "trigger \"a\" {\n when all {\n  Subject contains \"say \\\"hi\\\"\"\n }\n then {\n  Priority = Urgent\n }\n}\n";
        assert_eq!(first_test(text), "Subject contains \"say \\\"hi\\\"\"");
    }
}
