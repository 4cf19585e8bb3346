//! The vocabulary of declic: every condition field, value, operator and action, with its
//! English, French and Zendesk API names.
//!
//! The catalog is data: [`fields::FIELDS`], [`actions::ACTIONS`] and the value lists in
//! [`values`] are plain tables, and everything that matches a name (the checker, the
//! importer, the formatter) goes through [`Catalog`]. Adding a field is adding a row.

pub mod actions;
pub mod fields;
mod fold;
mod op;
pub mod time;
pub mod unsupported;
pub mod values;

pub use fold::{fold, folds_to, with_folded};
pub use op::Op;

/// Ticket trigger, messaging trigger or automation: what a rule is, from its text to its
/// run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriggerKind {
    /// Runs when a ticket is created or updated.
    Ticket,
    /// Runs on messaging conversation events; never once the session has ended.
    Messaging,
    /// Runs each hour over every ticket not closed, with time conditions (DOMAIN.md 6b).
    Automation,
}

use foldhash::{HashMap, HashMapExt};
use std::sync::OnceLock;

/// The language a name was written in; the formatter keeps an author's choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    En,
    /// French.
    Fr,
    /// The Zendesk API's own identifier.
    Api,
}

/// The names of one catalog entry. The first English and French names are canonical; the
/// rest are accepted aliases.
#[derive(Debug, Clone, Copy)]
pub struct Names {
    /// English names, canonical first.
    pub en: &'static [&'static str],
    /// French names, canonical first.
    pub fr: &'static [&'static str],
    /// The Zendesk API identifier (field name, action name or value).
    pub api: &'static str,
}

impl Names {
    /// The canonical name in `lang`.
    pub fn canonical(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en[0],
            Lang::Fr => self.fr[0],
            Lang::Api => self.api,
        }
    }

    /// Every accepted spelling with its language, canonical names first.
    pub fn all(&self) -> impl Iterator<Item = (Lang, &'static str)> + '_ {
        let en = self.en.iter().map(|n| (Lang::En, *n));
        let fr = self.fr.iter().map(|n| (Lang::Fr, *n));
        en.chain(fr).chain(std::iter::once((Lang::Api, self.api)))
    }
}

/// One value of an enumerated domain.
#[derive(Debug, Clone, Copy)]
pub struct Value {
    /// Its names; `api` is the string the Zendesk API uses.
    pub names: Names,
    /// Whether lists of values in messages show it: not a row that only keeps another API
    /// spelling of a value as it was read (`__NULL__`, the via name `email`).
    pub listed: bool,
}

/// What values a field or an action argument accepts.
#[derive(Debug, Clone, Copy)]
pub enum Domain {
    /// One of a closed list. `ordered` lists run from lowest to highest, so `<` and `>`
    /// compare positions (status: new < open < ... < closed).
    Enum {
        /// The values, in order.
        values: &'static [Value],
        /// Whether `<`, `>`, `<=`, `>=` apply.
        ordered: bool,
        /// Whether a bare integer outside the list is accepted as an API value (channels:
        /// Zendesk has more `via_id` numbers than the catalog names).
        open_integers: bool,
    },
    /// A Zendesk object id (group, organization, user, form, brand, schedule...), or one of
    /// the listed symbolic values (`current_user`).
    Id {
        /// What the id refers to, for messages ("a group id").
        of: &'static str,
        /// Symbolic values accepted besides numbers.
        special: &'static [Value],
    },
    /// An id Zendesk writes as text, such as a webhook's `01GZ8K...`: one word or string,
    /// or, with account metadata, a title.
    Key {
        /// What the id refers to, for messages ("a webhook id").
        of: &'static str,
    },
    /// Free text.
    Text,
    /// `true` or `false`, in either language.
    Bool,
    /// A space-separated list of tags.
    Tags,
    /// A number (hours, for time conditions).
    Number,
    /// A value whose shape the catalog does not know (custom fields without account
    /// metadata): kept as written.
    Raw,
}

impl Domain {
    /// The enumerated values, when the domain is a list.
    pub fn values(&self) -> &'static [Value] {
        match self {
            Domain::Enum { values, .. } => values,
            Domain::Id { special, .. } => special,
            _ => &[],
        }
    }

    /// A short description for messages: "a status", "a group id", "text".
    pub fn describe(&self) -> String {
        match self {
            Domain::Enum { values, .. } => {
                let names: Vec<_> = values
                    .iter()
                    .filter(|v| v.listed)
                    .map(|v| v.names.en[0])
                    .collect();
                format!("one of {}", names.join(", "))
            }
            Domain::Id { of, .. } | Domain::Key { of } => format!("a {of} id"),
            Domain::Text => "text".into(),
            Domain::Bool => "true or false".into(),
            Domain::Tags => "one or more tags".into(),
            Domain::Number => "a number".into(),
            Domain::Raw => "a value".into(),
        }
    }
}

/// Which kind of trigger may use a field or an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Both ticket and messaging triggers.
    Any,
    /// Ticket triggers only.
    Ticket,
    /// Messaging triggers only.
    Messaging,
}

/// Where a name was found, and in which language it was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found<T> {
    /// The entry.
    pub item: T,
    /// The language of the spelling that matched.
    pub lang: Lang,
}

/// A name index over one list of entries, keyed by folded spelling.
struct Index {
    by_name: HashMap<String, Spelling>,
    /// Every spelling, for did-you-mean.
    spellings: Vec<(&'static str, usize)>,
}

/// What a folded spelling names.
#[derive(Clone, Copy)]
struct Spelling {
    entry: usize,
    lang: Lang,
    /// Whether English and French both spell the entry so (`Tags`).
    shared: bool,
}

impl Index {
    fn new<'a>(entries: impl Iterator<Item = &'a Names>) -> Self {
        let mut by_name = HashMap::new();
        let mut spellings = Vec::new();
        for (entry, names) in entries.enumerate() {
            for (lang, name) in names.all() {
                let folded = fold(name);
                let spelt = |list: &[&str]| list.iter().any(|n| folds_to(n, &folded));
                let shared = spelt(names.en) && spelt(names.fr);
                // The first entry to claim a spelling keeps it; a test checks there are
                // no clashes within one list.
                by_name.entry(folded).or_insert(Spelling {
                    entry,
                    lang,
                    shared,
                });
                spellings.push((name, entry));
            }
        }
        Index { by_name, spellings }
    }

    fn get(&self, name: &str) -> Option<Spelling> {
        with_folded(name, |folded| self.by_name.get(folded).copied())
    }

    /// The entry `name` spells, and its language.
    fn find(&self, name: &str) -> Option<(usize, Lang)> {
        self.get(name).map(|s| (s.entry, s.lang))
    }

    /// The spellings nearest to `name`, best first, one per entry.
    fn nearest(&self, name: &str) -> Vec<&'static str> {
        nearest(name, self.spellings.iter().map(|(s, i)| (*s, *i)))
    }
}

/// The spellings nearest to `name` by edit distance over folded names, best first, at most
/// one per entry and three in all.
pub fn nearest<'a, K: PartialEq>(
    name: &str,
    candidates: impl Iterator<Item = (&'a str, K)>,
) -> Vec<&'a str> {
    // No catalog name is this long: a longer text is not a typo of one, and comparing it
    // with every name would cost its length squared.
    if name.len() > MAX_NAME_LEN {
        return Vec::new();
    }
    let wanted = fold(name);
    let mut scored: Vec<(usize, &'a str, K)> = candidates
        .filter_map(|(spelling, key)| {
            let folded = fold(spelling);
            let distance = strsim::damerau_levenshtein(&wanted, &folded);
            // Accept up to a third of the longer name's length, so a typo in a long name
            // is found but `Foo` is not "near" `Tags`.
            let limit = (wanted.chars().count().max(folded.chars().count()) / 3).max(1);
            let prefix = folded.starts_with(&wanted) && wanted.len() >= 3;
            (distance <= limit || prefix).then_some((distance, spelling, key))
        })
        .collect();
    scored.sort_by_key(|(d, s, _)| (*d, s.len()));
    let mut out: Vec<(&'a str, K)> = Vec::new();
    for (_, spelling, key) in scored {
        if !out.iter().any(|(_, k)| *k == key) {
            out.push((spelling, key));
        }
    }
    out.into_iter().take(3).map(|(s, _)| s).collect()
}

/// The longest text worth comparing with catalog names for did-you-mean.
const MAX_NAME_LEN: usize = 80;

/// The whole vocabulary, indexed for lookup. Built once, on first use.
pub struct Catalog {
    fields: Index,
    actions: Index,
    events: Index,
    /// The time conditions: the calendar-hours rows come first, so they keep the API
    /// names the business-hours rows share, as [`time::find`] reads them.
    times: Index,
}

impl Catalog {
    /// The shared catalog.
    pub fn get() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| Catalog {
            fields: Index::new(fields::FIELDS.iter().map(|f| &f.names)),
            actions: Index::new(actions::ACTIONS.iter().map(|a| &a.names)),
            events: Index::new(values::CONVERSATION_EVENTS.iter().map(|v| &v.names)),
            times: Index::new(time::TIME_FIELDS.iter().map(|f| &f.names)),
        })
    }

    /// The field named `name` (any language, any case, with or without accents), including
    /// custom fields by id (`custom_fields_123`, `Custom field 123`, `Champ personnalisé
    /// 123`) and organization fields (`organization.custom_fields.plan`).
    pub fn field(&self, name: &str) -> Option<Found<fields::FieldRef>> {
        if let Some((i, lang)) = self.fields.find(name) {
            let field = &fields::FIELDS[i];
            return Some(Found {
                item: fields::FieldRef::Known(field),
                lang: api_if_exact(name, &field.names, lang),
            });
        }
        fields::parse_custom(name)
    }

    /// Whether `name` is both an English and a French spelling of a catalog field (`Tags`),
    /// which then tells nothing of the language it was written in.
    pub fn field_spelled_alike(&self, name: &str) -> bool {
        self.fields.get(name).is_some_and(|s| s.shared)
    }

    /// The nearest field names to an unknown one, time conditions included.
    pub fn nearest_fields(&self, name: &str) -> Vec<&'static str> {
        // Time conditions are keyed apart from fields, past the fields' entries.
        let offset = fields::FIELDS.len();
        let fields = self.fields.spellings.iter().map(|(s, i)| (*s, *i));
        let times = time::spellings().map(|(s, i)| (s, offset + i));
        nearest(name, fields.chain(times))
    }

    /// The time condition named `name` (automations' `Hours since pending`).
    pub fn time(&self, name: &str) -> Option<Found<&'static time::TimeField>> {
        // Every condition of a rule set is first tried as a time condition: one lookup in
        // the index, where trying each spelling in turn was a tenth of `declic check`.
        let (i, lang) = self.times.find(name)?;
        Some(Found {
            item: &time::TIME_FIELDS[i],
            lang,
        })
    }

    /// The action named `name`.
    pub fn action(&self, name: &str) -> Option<Found<&'static actions::Action>> {
        let (i, lang) = self.actions.find(name)?;
        let action = &actions::ACTIONS[i];
        Some(Found {
            item: action,
            lang: api_if_exact(name, &action.names, lang),
        })
    }

    /// The nearest action names to an unknown one.
    pub fn nearest_actions(&self, name: &str) -> Vec<&'static str> {
        self.actions.nearest(name)
    }

    /// The conversation event named `name` (messaging triggers' `on`).
    pub fn event(&self, name: &str) -> Option<Found<usize>> {
        let (i, lang) = self.events.find(name)?;
        Some(Found { item: i, lang })
    }

    /// The nearest conversation event names.
    pub fn nearest_events(&self, name: &str) -> Vec<&'static str> {
        self.events.nearest(name)
    }
}

/// `status` folds like the English `Status`; written exactly as the API spells it, it was
/// most likely written (or imported) in API form, and the formatter should keep it so.
fn api_if_exact(name: &str, names: &Names, lang: Lang) -> Lang {
    if name.trim() == names.api {
        Lang::Api
    } else {
        lang
    }
}

/// The value of `values` named `name`, by index, with the language it was written in.
pub fn find_value(values: &'static [Value], name: &str) -> Option<Found<usize>> {
    with_folded(name, |wanted| {
        values.iter().enumerate().find_map(|(i, v)| {
            v.names
                .all()
                .find(|(_, n)| folds_to(n, wanted))
                .map(|(lang, _)| Found { item: i, lang })
        })
    })
}

/// The nearest spellings of `values` to `name`.
pub fn nearest_values(values: &'static [Value], name: &str) -> Vec<&'static str> {
    let candidates = values
        .iter()
        .enumerate()
        .flat_map(|(i, v)| v.names.all().map(move |(_, n)| (n, i)));
    nearest(name, candidates)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two entries of one list must never share a spelling, or one would hide the other.
    fn assert_no_clash<'a>(what: &str, names: impl Iterator<Item = &'a Names>) {
        let mut owner: HashMap<String, usize> = HashMap::new();
        for (i, names) in names.enumerate() {
            // A via name is the old API spelling of the channel it folds like (`email`,
            // Email): typed in text it means that channel, which is what it stands for.
            let legacy_via = values::VIA_NAMES.iter().any(|(n, _)| *n == names.api);
            for (lang, name) in names.all() {
                if legacy_via && lang == Lang::Api {
                    continue;
                }
                if let Some(other) = owner.insert(fold(name), i) {
                    assert_eq!(other, i, "{what}: `{name}` names two entries");
                }
            }
        }
    }

    #[test]
    fn no_spelling_names_two_entries() {
        assert_no_clash("fields", fields::FIELDS.iter().map(|f| &f.names));
        assert_no_clash("actions", actions::ACTIONS.iter().map(|a| &a.names));
        for field in fields::FIELDS {
            assert_no_clash(
                field.names.api,
                field.domain.values().iter().map(|v| &v.names),
            );
        }
    }

    #[test]
    fn did_you_mean_finds_typos_in_both_languages() {
        let catalog = Catalog::get();
        assert_eq!(catalog.nearest_fields("Chanel")[0], "Channel");
        assert_eq!(catalog.nearest_fields("Canl")[0], "Canal");
        assert_eq!(catalog.nearest_actions("sned CSAT")[0], "Send CSAT");
        assert_eq!(
            catalog.nearest_actions("Mettre fin a la sesion")[0],
            "Mettre fin à la session"
        );
        assert!(catalog.nearest_fields("zzzzzzzz").is_empty());
        assert_eq!(nearest_values(values::STATUS, "Ouvret")[0], "Ouvert");
    }

    #[test]
    fn fields_both_languages_spell_alike() {
        let catalog = Catalog::get();
        for name in [
            "Tags",
            " TAGS ",
            "Ticket",
            "Type",
            "Organisation",
            "Satisfaction",
        ] {
            assert!(catalog.field_spelled_alike(name), "{name}");
        }
        for name in [
            "Balises",
            "Organization",
            "Status",
            "Statut",
            "custom_fields_1",
            "Nope",
        ] {
            assert!(!catalog.field_spelled_alike(name), "{name}");
        }
    }

    #[test]
    fn custom_field_patterns() {
        let catalog = Catalog::get();
        let found = catalog.field("Champ Personnalisé 42").unwrap();
        assert_eq!(
            (found.item, found.lang),
            (fields::FieldRef::Custom(42), Lang::Fr)
        );
        assert!(catalog.field("custom_fields_").is_none());
        assert!(catalog.field("custom field abc").is_none());
        assert!(catalog.field("organization.custom_fields.").is_none());
    }
}
