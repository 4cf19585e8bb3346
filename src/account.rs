//! Account metadata: what the Zendesk API says about one account's custom ticket fields,
//! groups, users, webhooks, schedules, brands and trigger categories, so that rules can name
//! them by title (`"Product area" is Billing`, `Group is "Support N2"`) instead of by id.
//!
//! An account is a folder of the API's own JSON answers, saved as they come:
//! `ticket_fields.json` (`GET /api/v2/ticket_fields`), `groups.json`, `users.json`,
//! `webhooks.json`, `schedules.json`, `brands.json` and `trigger_categories.json`. Each file
//! is optional; a list that spans several pages may be saved as `groups.json`,
//! `groups-2.json`... Titles match like catalog names: case- and accent-insensitively.
//!
//! The checker resolves titles with it, the linter checks references against it, the
//! engine ties drop-down and checkbox fields to their tags with it, and interop writes
//! titles back as ids: it depends on none of them.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::catalog::{fold, nearest};
use crate::diagnostics::{Code, Diagnostic};

/// Why an account folder could not be read. Reading stops at the first such error: rules
/// checked against half an account would be wrong in ways no diagnostic points at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    /// A file or folder could not be read.
    #[error("cannot read `{path}`: {reason}")]
    Unreadable {
        /// The path as given.
        path: String,
        /// Why.
        reason: String,
        /// [`Code::Unreadable`], or the code of a refused read (a device, a size).
        code: Code,
    },
    /// A file is not the API's answer.
    #[error("account file `{path}`: `{json_path}` {reason}")]
    Bad {
        /// The file.
        path: String,
        /// Where in it.
        json_path: String,
        /// What is wrong.
        reason: String,
    },
}

impl AccountError {
    /// The stable diagnostic code.
    pub fn code(&self) -> Code {
        match self {
            AccountError::Unreadable { code, .. } => *code,
            AccountError::Bad { .. } => Code::BadAccount,
        }
    }

    /// The error as a diagnostic naming its file.
    pub fn to_diagnostic(&self) -> Diagnostic {
        match self {
            AccountError::Unreadable { path, .. } => {
                Diagnostic::error(self.code(), self.to_string()).in_file(path.clone())
            }
            AccountError::Bad { path, .. } => Diagnostic::error(self.code(), self.to_string())
                .in_file(path.clone())
                .help(
                    "account files are the API's answers saved as they come: \
                     `ticket_fields.json`, `groups.json`, `users.json`, `webhooks.json`, \
                     `schedules.json`, `brands.json`, `trigger_categories.json`",
                ),
        }
    }

    fn unreadable(path: &Path, error: &std::io::Error) -> AccountError {
        AccountError::Unreadable {
            path: path.display().to_string(),
            reason: crate::load::io_reason(error),
            code: crate::load::io_code(error),
        }
    }

    fn bad(path: &Path, json_path: impl Into<String>, reason: impl Into<String>) -> AccountError {
        AccountError::Bad {
            path: path.display().to_string(),
            json_path: json_path.into(),
            reason: reason.into(),
        }
    }
}

/// What a title names in an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A group (`group_id`).
    Group,
    /// A user: agent, requester (`assignee_id`, `requester_id`).
    User,
    /// A business-hours schedule (`set_schedule`, `within_schedule`).
    Schedule,
    /// A brand (`brand_id`).
    Brand,
    /// A webhook (`notification_webhook`); its id is text such as `01GZ8K...`.
    Webhook,
    /// A trigger category (`category_id`).
    Category,
}

impl Kind {
    /// The kind of object a catalog domain's ids refer to (`Domain::Id { of: "group" }`),
    /// when an account lists such objects.
    pub fn of(of: &str) -> Option<Kind> {
        Some(match of {
            "group" => Kind::Group,
            "user" => Kind::User,
            "schedule" => Kind::Schedule,
            "brand" => Kind::Brand,
            "webhook" => Kind::Webhook,
            _ => return None,
        })
    }

    /// The file stem and the list key of its API answer.
    fn key(self) -> &'static str {
        match self {
            Kind::Group => "groups",
            Kind::User => "users",
            Kind::Schedule => "schedules",
            Kind::Brand => "brands",
            Kind::Webhook => "webhooks",
            Kind::Category => "trigger_categories",
        }
    }

    const ALL: [Kind; 6] = [
        Kind::Group,
        Kind::User,
        Kind::Schedule,
        Kind::Brand,
        Kind::Webhook,
        Kind::Category,
    ];
}

/// An object with an id and a title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// Its id as the API writes it in rules: digits, or text for webhooks.
    pub id: String,
    /// Its title.
    pub name: String,
}

/// A custom ticket field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketField {
    /// Its id (`custom_fields_<id>`).
    pub id: u64,
    /// Its title.
    pub title: String,
    /// Its API type: `tagger` (drop-down), `multiselect`, `checkbox`, `text`...
    pub kind: String,
    /// The options of a drop-down or multi-select field.
    pub options: Vec<FieldOption>,
    /// The tag a checkbox field adds when checked, if it names one.
    pub tag: Option<String>,
}

/// One option of a drop-down field: conditions compare the option's value (a tag).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldOption {
    /// What agents see.
    pub name: String,
    /// What the API stores and rules compare.
    pub value: String,
}

/// What looking a title up found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup<'a, T> {
    /// Exactly one object has this title.
    Found(&'a T),
    /// Several objects share it: the rule must use an id.
    Ambiguous(Vec<&'a T>),
    /// None has it.
    Missing,
}

/// One account's metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Account {
    fields: Vec<TicketField>,
    named: Vec<(Kind, Named)>,
}

/// Ticket fields every account has: rules name them through the catalog, not by title.
const SYSTEM_FIELD_TYPES: &[&str] = &[
    "subject",
    "description",
    "status",
    "custom_status",
    "tickettype",
    "priority",
    "basic_priority",
    "group",
    "assignee",
    "brand",
];

impl Account {
    /// Reads an account folder. Missing files are fine; a file that is there but cannot be
    /// read or is not the API's answer is an error naming the file and the JSON path.
    pub fn load(dir: &Path) -> Result<Account, AccountError> {
        if !dir.is_dir() {
            return Err(AccountError::Unreadable {
                path: dir.display().to_string(),
                reason: "not a directory of account files".into(),
                code: Code::Unreadable,
            });
        }
        let mut account = Account::default();
        for path in pages(dir, "ticket_fields")? {
            let text = read_text(&path)?;
            account.add_fields(&path, &text)?;
        }
        for kind in Kind::ALL {
            for path in pages(dir, kind.key())? {
                let text = read_text(&path)?;
                account.add_named(kind, &path, &text)?;
            }
        }
        Ok(account)
    }

    /// Adds the custom fields of one `ticket_fields.json` page.
    pub fn add_fields(&mut self, path: &Path, text: &str) -> Result<(), AccountError> {
        let list: Vec<FieldJson> = parse_list(path, text, "ticket_fields")?;
        let custom = list.into_iter().filter(|f| {
            f.removable
                .unwrap_or_else(|| !SYSTEM_FIELD_TYPES.contains(&f.kind.as_str()))
        });
        self.fields.extend(custom.map(|f| {
            TicketField {
                id: f.id,
                title: f.title,
                kind: f.kind,
                options: f
                    .custom_field_options
                    .unwrap_or_default()
                    .into_iter()
                    .map(|o| FieldOption {
                        name: o.name,
                        value: o.value,
                    })
                    .collect(),
                tag: f.tag.filter(|t| !t.is_empty()),
            }
        }));
        Ok(())
    }

    /// Adds the objects of one page of `kind` (`groups.json`...).
    pub fn add_named(&mut self, kind: Kind, path: &Path, text: &str) -> Result<(), AccountError> {
        let list: Vec<NamedJson> = parse_list(path, text, kind.key())?;
        self.named.extend(list.into_iter().map(|n| {
            let named = Named {
                id: n.id.into_string(),
                name: n.name,
            };
            (kind, named)
        }));
        Ok(())
    }

    /// The ids of the objects of `kind` the account lists.
    pub fn ids(&self, kind: Kind) -> impl Iterator<Item = &str> {
        self.of(kind).map(|n| n.id.as_str())
    }

    /// The custom ticket fields.
    pub fn fields(&self) -> &[TicketField] {
        &self.fields
    }

    /// Whether the account lists anything.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.named.is_empty()
    }

    fn of(&self, kind: Kind) -> impl Iterator<Item = &Named> {
        self.named
            .iter()
            .filter(move |(k, _)| *k == kind)
            .map(|(_, n)| n)
    }

    /// Whether the account lists objects of `kind` at all (if not, titles of that kind
    /// cannot be checked).
    pub fn knows(&self, kind: Kind) -> bool {
        self.of(kind).next().is_some()
    }

    /// The object of `kind` titled `title`.
    pub fn find(&self, kind: Kind, title: &str) -> Lookup<'_, Named> {
        lookup(self.of(kind), title, |n| &n.name)
    }

    /// The object of `kind` whose id is `id`.
    pub fn by_id(&self, kind: Kind, id: &str) -> Option<&Named> {
        self.of(kind).find(|n| n.id == id)
    }

    /// The titles of `kind` nearest to `title`, for did-you-mean.
    pub fn nearest(&self, kind: Kind, title: &str) -> Vec<&str> {
        nearest(
            title,
            self.of(kind).map(|n| (n.name.as_str(), n.id.as_str())),
        )
    }

    /// The title a rule may use for object `id` of `kind`: only one that names it alone.
    pub fn unique_title(&self, kind: Kind, id: &str) -> Option<&str> {
        let named = self.by_id(kind, id)?;
        // Rules read a text that is some object's id as that id, before any title.
        if self.by_id(kind, &named.name).is_some() {
            return None;
        }
        match self.find(kind, &named.name) {
            Lookup::Found(n) if n.id == id => Some(&n.name),
            _ => None,
        }
    }

    /// The custom field titled `title`.
    pub fn field(&self, title: &str) -> Lookup<'_, TicketField> {
        lookup(self.fields.iter(), title, |f| &f.title)
    }

    /// The custom field with id `id`.
    pub fn field_by_id(&self, id: u64) -> Option<&TicketField> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// The custom field titles nearest to `title`.
    pub fn nearest_fields(&self, title: &str) -> Vec<&str> {
        nearest(title, self.fields.iter().map(|f| (f.title.as_str(), f.id)))
    }

    /// The title a rule may use for custom field `id`: only one that names it alone.
    pub fn unique_field_title(&self, id: u64) -> Option<&str> {
        let field = self.field_by_id(id)?;
        match self.field(&field.title) {
            Lookup::Found(f) if f.id == id => Some(&f.title),
            _ => None,
        }
    }
}

impl TicketField {
    /// The option named `name` (or whose value is `name`).
    pub fn option(&self, name: &str) -> Lookup<'_, FieldOption> {
        match self.options.iter().find(|o| o.value == name) {
            Some(exact) => Lookup::Found(exact),
            None => lookup(self.options.iter(), name, |o| &o.name),
        }
    }

    /// The option names nearest to `name`.
    pub fn nearest_options(&self, name: &str) -> Vec<&str> {
        nearest(
            name,
            self.options.iter().map(|o| (o.name.as_str(), &o.value)),
        )
    }

    /// The name a rule may use for the option whose value is `value`.
    pub fn unique_option_name(&self, value: &str) -> Option<&str> {
        let option = self.options.iter().find(|o| o.value == value)?;
        // The name must read back as this option, values being matched before names.
        match self.option(&option.name) {
            Lookup::Found(o) if o.value == value => Some(&option.name),
            _ => None,
        }
    }
}

fn lookup<'a, T>(
    items: impl Iterator<Item = &'a T>,
    title: &str,
    name: impl Fn(&T) -> &str,
) -> Lookup<'a, T> {
    let wanted = fold(title);
    let mut found: Vec<&T> = items.filter(|t| fold(name(t)) == wanted).collect();
    match found.len() {
        0 => Lookup::Missing,
        1 => Lookup::Found(found.remove(0)),
        _ => Lookup::Ambiguous(found),
    }
}

/// A file's text, a byte-order mark dropped.
fn read_text(path: &Path) -> Result<String, AccountError> {
    let bytes = crate::load::read_file(path).map_err(|e| AccountError::unreadable(path, &e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        AccountError::bad(path, "$", format!("is not UTF-8 text (byte {at})"))
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string())
}

/// `stem.json`, then its further pages `stem-*.json`, in name order.
fn pages(dir: &Path, stem: &str) -> Result<Vec<PathBuf>, AccountError> {
    let entries = std::fs::read_dir(dir).map_err(|e| AccountError::unreadable(dir, &e))?;
    let prefix = format!("{stem}-");
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let Some(base) = name.strip_suffix(".json") else {
                return false;
            };
            base == stem || base.starts_with(&prefix)
        })
        .collect();
    // `groups.json` sorts after `groups-2.json`; the first page goes first.
    found.sort_by_key(|p| (p.file_stem() != Some(std::ffi::OsStr::new(stem)), p.clone()));
    Ok(found)
}

/// The list under `key` of an API answer, or a bare array.
fn parse_list<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
    key: &str,
) -> Result<Vec<T>, AccountError> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| AccountError::bad(path, "$", format!("is not JSON: {e}")))?;
    let (list, at) = match value {
        serde_json::Value::Object(mut map) => match map.remove(key) {
            Some(list) => (list, key.to_string()),
            None => return Err(AccountError::bad(path, "$", format!("has no `{key}` list"))),
        },
        array @ serde_json::Value::Array(_) => (array, String::new()),
        _ => {
            let reason = format!("is neither an object with `{key}` nor an array");
            return Err(AccountError::bad(path, "$", reason));
        }
    };
    serde_path_to_error::deserialize(list).map_err(|e| {
        let inner = e.path().to_string();
        let json_path = crate::interop::join_path(&at, &inner);
        AccountError::bad(path, json_path, e.into_inner().to_string())
    })
}

#[derive(Deserialize)]
struct FieldJson {
    id: u64,
    title: String,
    #[serde(rename = "type")]
    kind: String,
    removable: Option<bool>,
    custom_field_options: Option<Vec<OptionJson>>,
    tag: Option<String>,
}

#[derive(Deserialize)]
struct OptionJson {
    name: String,
    value: String,
}

#[derive(Deserialize)]
struct NamedJson {
    id: IdJson,
    name: String,
}

/// Ids are numbers, except webhooks' and trigger categories', which are strings.
#[derive(Deserialize)]
#[serde(untagged)]
enum IdJson {
    Number(u64),
    Text(String),
}

impl IdJson {
    fn into_string(self) -> String {
        match self {
            IdJson::Number(n) => n.to_string(),
            IdJson::Text(s) => s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> Account {
        let mut a = Account::default();
        let groups = r#"{"groups": [{"id": 1, "name": "Support N2"}, {"id": 2, "name": "Twins"},
            {"id": 3, "name": "twins"}], "next_page": null}"#;
        a.add_named(Kind::Group, Path::new("groups.json"), groups)
            .unwrap();
        let fields = r#"{"ticket_fields": [
            {"id": 10, "type": "subject", "title": "Subject"},
            {"id": 11, "type": "tagger", "title": "Product area", "removable": true,
             "custom_field_options": [{"id": 1, "name": "Billing", "value": "billing"}]}]}"#;
        a.add_fields(Path::new("ticket_fields.json"), fields)
            .unwrap();
        a
    }

    #[test]
    fn titles_match_like_names_and_twins_are_ambiguous() {
        let a = account();
        assert!(matches!(a.find(Kind::Group, "support n2"), Lookup::Found(n) if n.id == "1"));
        assert!(matches!(a.find(Kind::Group, "Twins"), Lookup::Ambiguous(v) if v.len() == 2));
        assert_eq!(a.unique_title(Kind::Group, "1"), Some("Support N2"));
        assert_eq!(a.unique_title(Kind::Group, "2"), None);
        assert_eq!(a.nearest(Kind::Group, "Suport N2"), vec!["Support N2"]);
    }

    #[test]
    fn system_fields_are_left_to_the_catalog() {
        let a = account();
        assert!(matches!(a.field("Subject"), Lookup::Missing));
        let Lookup::Found(f) = a.field("product AREA") else {
            panic!("the custom field is found by title")
        };
        assert!(matches!(f.option("Billing"), Lookup::Found(o) if o.value == "billing"));
        assert_eq!(f.unique_option_name("billing"), Some("Billing"));
    }

    #[test]
    fn a_file_of_the_wrong_shape_names_its_json_path() {
        let mut a = Account::default();
        let err = a
            .add_named(
                Kind::Group,
                Path::new("groups.json"),
                r#"{"groups": [{"id": 1, "name": 5}]}"#,
            )
            .unwrap_err();
        assert!(err.to_string().contains("groups[0].name"), "{err}");
    }
}
