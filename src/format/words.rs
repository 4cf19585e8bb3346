//! Keywords, operators, names and strings in their canonical spelling, each in the
//! language its author wrote it in.
//!
//! The grammar accepts many spellings of one keyword (`si`, `quand`, `QUAND`) and the
//! catalog many of one name (`Ticket status`, `status`, `STATUT`): the formatter writes the
//! canonical one of the language the author chose, so a French rule stays French.

use crate::catalog::{fold, Lang, Names, Op};
use crate::check::text::quote;
use crate::syntax::literal;

/// The keywords of the grammar that have an English and a French form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Keyword {
    Trigger,
    MessagingTrigger,
    Automation,
    Category,
    Description,
    Position,
    Active,
    Id,
    On,
    Once,
    When,
    Then,
    All,
    Any,
    Not,
}

impl Keyword {
    /// The canonical English and French spellings.
    fn spellings(self) -> (&'static str, &'static str) {
        match self {
            Keyword::Trigger => ("trigger", "déclencheur"),
            Keyword::MessagingTrigger => ("messaging trigger", "déclencheur de messagerie"),
            Keyword::Automation => ("automation", "automatisation"),
            Keyword::Category => ("category", "catégorie"),
            Keyword::Description => ("description", "description"),
            Keyword::Position => ("position", "position"),
            Keyword::Active => ("active", "actif"),
            Keyword::Id => ("id", "identifiant"),
            Keyword::On => ("on", "lors de"),
            Keyword::Once => ("once per ticket", "une fois par ticket"),
            Keyword::When => ("when", "quand"),
            Keyword::Then => ("then", "alors"),
            Keyword::All => ("all", "tous"),
            Keyword::Any => ("any", "au moins un"),
            Keyword::Not => ("not", "non"),
        }
    }

    /// The spelling in `lang`; API-form authors read English keywords.
    pub(super) fn in_lang(self, lang: Lang) -> &'static str {
        let (en, fr) = self.spellings();
        match lang {
            Lang::Fr => fr,
            Lang::En | Lang::Api => en,
        }
    }

    /// The language of `written`, text that starts with this keyword. Every English form
    /// of a keyword starts with the first word of its canonical spelling and no French
    /// form does, so the first word decides.
    pub(super) fn lang_of(self, written: &str) -> Lang {
        let (en, _) = self.spellings();
        let first = en.split(' ').next().unwrap_or(en);
        if first_word(written) == first {
            Lang::En
        } else {
            Lang::Fr
        }
    }
}

/// The leading letters of `text`, folded: `when` in `WHEN{`, `n` in `n'est`.
fn first_word(text: &str) -> String {
    fold(text)
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect()
}

/// `true`/`false` in the language of `written` (`oui` is French, `yes` English).
pub(super) fn boolean(value: bool, written: &str) -> &'static str {
    let english = matches!(
        first_word(written).as_str(),
        "true" | "yes" | "false" | "no"
    );
    match (value, english) {
        (true, true) => "true",
        (false, true) => "false",
        (true, false) => "vrai",
        (false, false) => "faux",
    }
}

/// The value of a boolean written as a value (`est faux`), when it is one.
pub(super) fn parse_boolean(written: &str) -> Option<bool> {
    match fold(written).as_str() {
        "true" | "vrai" | "yes" | "oui" => Some(true),
        "false" | "faux" | "no" | "non" => Some(false),
        _ => None,
    }
}

/// How an operator was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OpForm {
    /// In a language (the API forms included).
    In(Lang),
    /// `==` or `!=`: symbols that belong to no language; `<` and its kin are the
    /// canonical spellings of both languages and need no such care.
    Neutral,
}

/// The first words of the grammar's French operator spellings (folded); no English or
/// API spelling starts with one of them.
const FRENCH_OP_WORDS: &[&str] = &[
    "est",
    "n",
    "inferieur",
    "superieur",
    "inclut",
    "exclut",
    "contient",
    "ne",
    "a",
    "pas",
    "change",
    "modifie",
];

/// How `written`, a spelling of `op`, was written.
pub(super) fn op_form(op: Op, written: &str) -> OpForm {
    let folded = fold(written);
    if matches!(folded.as_str(), "==" | "!=") {
        return OpForm::Neutral;
    }
    if folded == op.api() && folded != fold(op.en()) {
        return OpForm::In(Lang::Api);
    }
    if FRENCH_OP_WORDS.contains(&first_word(written).as_str()) {
        OpForm::In(Lang::Fr)
    } else {
        OpForm::In(Lang::En)
    }
}

/// The canonical spelling of `op` in `lang`.
pub(super) fn op_spelling(op: Op, lang: Lang) -> &'static str {
    match lang {
        Lang::En => op.en(),
        Lang::Fr => op.fr(),
        Lang::Api => op.api(),
    }
}

/// A catalog name as the formatter writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Spelled {
    /// The spelling.
    pub text: &'static str,
    /// Its language; `None` when English and French share the spelling (`Tags`,
    /// `Satisfaction`), so it tells nothing of the author's language.
    pub lang: Option<Lang>,
}

/// The spelling of the entry `names` that `written` names: the canonical name of the
/// language `written` is in. A spelling both languages use is kept (in the catalog's
/// case and accents), since rewriting it would pick a language the author never chose;
/// the exact API identifier is kept too, as an importer wrote it.
pub(super) fn spelling(names: &Names, written: &str) -> Spelled {
    spell(names, written, true)
}

/// The spelling of a value, as [`spelling`]; the exact API identifier is kept only when
/// `api_context`, the value's field or action, was written in API form too: lower-case
/// API values (`open`, `urgent`) are also what a hurried author types for `Open`.
pub(super) fn value_spelling(names: &Names, written: &str, api_context: bool) -> Spelled {
    spell(names, written, api_context)
}

fn spell(names: &Names, written: &str, keep_api: bool) -> Spelled {
    if keep_api && written.trim() == names.api {
        return Spelled {
            text: names.api,
            lang: Some(Lang::Api),
        };
    }
    let folded = fold(written);
    let find = |list: &'static [&'static str]| list.iter().copied().find(|n| fold(n) == folded);
    let (text, lang) = match (find(names.en), find(names.fr)) {
        (Some(en), Some(fr)) => (shared(names, en, fr), None),
        (Some(_), None) => (names.canonical(Lang::En), Some(Lang::En)),
        (None, Some(_)) => (names.canonical(Lang::Fr), Some(Lang::Fr)),
        // Only the API identifier matches (`end_user`, or `VIA_ID` in another case).
        (None, None) => (names.api, Some(Lang::Api)),
    };
    Spelled { text, lang }
}

/// Of two catalog spellings that fold alike, the one that is canonical in its language.
fn shared(names: &Names, en: &'static str, fr: &'static str) -> &'static str {
    if fold(fr) == fold(names.canonical(Lang::Fr)) && fold(en) != fold(names.canonical(Lang::En)) {
        fr
    } else {
        en
    }
}

/// Whether `text` reads back as the same bare words: no character that ends a word or
/// starts a string, comment or block, and single spaces between words.
pub(super) fn bare_safe(text: &str) -> bool {
    !text.is_empty()
        && text
            .split(' ')
            .all(|word| !word.is_empty() && !word.contains(|c: char| ends_bare(c)))
}

fn ends_bare(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '#' | '{' | '}')
}

/// A string in canonical form. A raw string stays raw when escaping would be needed
/// (quotes and backslashes: JSON bodies read better raw), with as few `#` as its contents
/// allow; every other string is double-quoted with the grammar's escapes.
pub(super) fn string(text: &str, was_raw: bool) -> String {
    if was_raw && text.contains(['"', '\\']) {
        literal::raw(text)
    } else {
        quote(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::fields::{get, FieldKey};

    #[test]
    fn keywords_keep_their_language() {
        assert_eq!(Keyword::When.lang_of("si"), Lang::Fr);
        assert_eq!(Keyword::When.lang_of("WHEN{"), Lang::En);
        assert_eq!(Keyword::Any.lang_of("Au Moins Une"), Lang::Fr);
        assert_eq!(Keyword::Id.lang_of("identifiant 3"), Lang::Fr);
        assert_eq!(Keyword::Id.lang_of("id 3"), Lang::En);
        assert_eq!(
            Keyword::MessagingTrigger
                .in_lang(Keyword::MessagingTrigger.lang_of("DECLENCHEUR DE MESSAGERIE")),
            "déclencheur de messagerie"
        );
        assert_eq!(boolean(true, "oui"), "vrai");
        assert_eq!(boolean(false, "no"), "false");
    }

    #[test]
    fn operators_keep_their_language() {
        assert_eq!(op_form(Op::IsNot, "n’est pas"), OpForm::In(Lang::Fr));
        assert_eq!(op_form(Op::Less, "inférieur à"), OpForm::In(Lang::Fr));
        assert_eq!(op_form(Op::Less, "less than"), OpForm::In(Lang::En));
        assert_eq!(op_form(Op::Less, "less_than"), OpForm::In(Lang::Api));
        assert_eq!(op_form(Op::Is, "is"), OpForm::In(Lang::En));
        assert_eq!(op_form(Op::Changed, "modifié"), OpForm::In(Lang::Fr));
        assert_eq!(op_form(Op::Changed, "changed"), OpForm::In(Lang::En));
        assert_eq!(op_form(Op::Is, "=="), OpForm::Neutral);
        assert_eq!(
            op_form(Op::NotContains, "not contains"),
            OpForm::In(Lang::En)
        );
        assert_eq!(op_spelling(Op::Less, Lang::Fr), "<");
    }

    #[test]
    fn names_take_the_canonical_spelling_of_their_language() {
        let status = get(FieldKey::Status).names;
        assert_eq!(spelling(&status, "ticket STATUS").text, "Status");
        assert_eq!(spelling(&status, "statut du ticket").text, "Statut");
        assert_eq!(spelling(&status, "status").text, "status");
        let tags = get(FieldKey::Tags).names;
        assert_eq!(
            spelling(&tags, "tags"),
            Spelled {
                text: "Tags",
                lang: None
            }
        );
        assert_eq!(spelling(&tags, "étiquettes").text, "Balises");
        let org = get(FieldKey::Organization).names;
        assert_eq!(spelling(&org, "organisation").text, "Organisation");
        let via = get(FieldKey::Channel).names;
        assert_eq!(spelling(&via, "VIA_ID").text, "via_id");
        let open = crate::catalog::values::STATUS[1].names;
        assert_eq!(value_spelling(&open, "open", false).text, "Open");
        assert_eq!(value_spelling(&open, "open", true).text, "open");
    }

    #[test]
    fn strings_are_quoted_canonically() {
        assert_eq!(string("a \"b\"", false), r#""a \"b\"""#);
        assert_eq!(string("plain", true), "\"plain\"");
        assert_eq!(string(r"C:\temp", true), r#"r"C:\temp""#);
        assert_eq!(string(r#"say "hi""#, true), r##"r#"say "hi""#"##);
        assert_eq!(string(r##"a "# b"##, true), r###"r##"a "# b"##"###);
        assert!(bare_safe("Phone call (inbound)"));
        assert!(!bare_safe("a  b") && !bare_safe("a#b") && !bare_safe(""));
    }
}
