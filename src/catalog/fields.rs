//! The condition fields.

use super::values::*;
use super::{with_folded, Domain, Found, Lang, Names, Op, Scope, Value};

/// A field known to the catalog, by meaning. The engine maps each to the part of the
/// ticket it reads; custom fields are [`FieldRef::Custom`] instead.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // each variant is documented by its catalog row
pub enum FieldKey {
    UpdateType,
    Status,
    StatusCategory,
    Priority,
    TicketType,
    Group,
    Assignee,
    Requester,
    Organization,
    Form,
    Brand,
    Tags,
    Channel,
    UpdateVia,
    Subject,
    CommentText,
    CommentVisibility,
    TicketVisibility,
    InBusinessHours,
    WithinSchedule,
    CurrentUserRole,
    RequesterRole,
    Satisfaction,
    Recipient,
    RoutingChannel,
    SessionState,
    SessionInactiveReason,
    SessionEndReason,
}

impl FieldKey {
    /// Whether the field is free text searched for words and strings (subject, comment).
    pub fn is_text(self) -> bool {
        matches!(self, FieldKey::Subject | FieldKey::CommentText)
    }
}

/// One condition field of the catalog.
#[derive(Debug)]
pub struct Field {
    /// What it means.
    pub key: FieldKey,
    /// Its names.
    pub names: Names,
    /// The values it takes.
    pub domain: Domain,
    /// The operators it allows.
    pub ops: &'static [Op],
    /// The trigger kinds that may test it.
    pub scope: Scope,
}

/// A resolved field: a catalog row, or a custom field the account defines.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FieldRef {
    /// A catalog field.
    Known(&'static Field),
    /// A ticket custom field, by id (`custom_fields_123`).
    Custom(u64),
    /// An organization custom field, by key (`organization.custom_fields.plan`).
    OrganizationCustom(String),
    /// A custom field of the requester (a user field), by key
    /// (`requester.custom_fields.plan`).
    UserCustom(String),
}

impl PartialEq for Field {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl Eq for Field {}
impl std::hash::Hash for Field {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.key.hash(state)
    }
}

impl FieldRef {
    /// The values this field takes.
    pub fn domain(&self) -> Domain {
        match self {
            FieldRef::Known(f) => f.domain,
            FieldRef::Custom(_) | FieldRef::OrganizationCustom(_) | FieldRef::UserCustom(_) => {
                Domain::Raw
            }
        }
    }

    /// The operators this field allows.
    pub fn ops(&self) -> &'static [Op] {
        match self {
            FieldRef::Known(f) => f.ops,
            FieldRef::Custom(_) => CUSTOM_OPS,
            FieldRef::OrganizationCustom(_) | FieldRef::UserCustom(_) => ORG_CUSTOM_OPS,
        }
    }

    /// How the Zendesk API spells `op` on this field. User and organization fields name
    /// their word and string searches apart (`includes_words`, `includes_string`), where
    /// ticket fields say `includes`.
    pub fn op_api(&self, op: Op) -> &'static str {
        match (self, op) {
            (FieldRef::Known(f), Op::Contains) if f.key.is_text() => Op::Is.api(),
            (FieldRef::Known(f), Op::NotContains) if f.key.is_text() => Op::IsNot.api(),
            (FieldRef::OrganizationCustom(_) | FieldRef::UserCustom(_), Op::Includes) => {
                "includes_words"
            }
            (FieldRef::OrganizationCustom(_) | FieldRef::UserCustom(_), Op::Excludes) => {
                "not_includes_words"
            }
            _ => op.api(),
        }
    }

    /// The operator the API spells `name` on this field, if the field allows it; where two
    /// share a spelling (a subject's `is` and `contains`), the first the field lists.
    pub fn op_from_api(&self, name: &str) -> Option<Op> {
        self.ops()
            .iter()
            .copied()
            .find(|op| self.op_api(*op) == name)
    }

    /// The name to show in messages, in `lang`.
    pub fn display(&self, lang: Lang) -> String {
        match (self, lang) {
            (FieldRef::Known(f), _) => f.names.canonical(lang).to_string(),
            (FieldRef::Custom(id), Lang::Fr) => format!("Champ personnalisé {id}"),
            (FieldRef::Custom(id), Lang::En) => format!("Custom field {id}"),
            (FieldRef::Custom(id), Lang::Api) => format!("custom_fields_{id}"),
            (FieldRef::OrganizationCustom(key), _) => {
                format!("organization.custom_fields.{key}")
            }
            (FieldRef::UserCustom(key), _) => format!("requester.custom_fields.{key}"),
        }
    }

    /// The Zendesk API field name.
    pub fn api(&self) -> String {
        self.display(Lang::Api)
    }
}

/// Recognises the pattern-named fields: ticket custom fields by id in any language, and
/// organization custom fields by key.
pub(super) fn parse_custom(name: &str) -> Option<Found<FieldRef>> {
    let prefixes = [
        ("custom_fields_", Lang::Api),
        ("custom field ", Lang::En),
        ("champ personnalise ", Lang::Fr),
    ];
    let custom = with_folded(name, |folded| {
        prefixes.into_iter().find_map(|(prefix, lang)| {
            let id = folded.strip_prefix(prefix)?.trim().parse().ok()?;
            Some(Found {
                item: FieldRef::Custom(id),
                lang,
            })
        })
    });
    if custom.is_some() {
        return custom;
    }
    let name = name.trim();
    let (key, item): (&str, fn(String) -> FieldRef) =
        match name.strip_prefix("organization.custom_fields.") {
            Some(key) => (key, FieldRef::OrganizationCustom),
            None => (
                name.strip_prefix("requester.custom_fields.")?,
                FieldRef::UserCustom,
            ),
        };
    let valid = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_');
    valid.then(|| Found {
        item: item(key.to_string()),
        lang: Lang::Api,
    })
}

const DELTA: [Op; 6] = [
    Op::Changed,
    Op::NotChanged,
    Op::ChangedTo,
    Op::ChangedFrom,
    Op::NotChangedTo,
    Op::NotChangedFrom,
];

macro_rules! ops {
    ($($op:ident),* ; delta) => {
        &[$(Op::$op,)* DELTA[0], DELTA[1], DELTA[2], DELTA[3], DELTA[4], DELTA[5]]
    };
    ($($op:ident),*) => { &[$(Op::$op),*] };
}

const IS: &[Op] = ops!(Is, IsNot);
const ENUM_OPS: &[Op] = ops!(Is, IsNot; delta);
const ORDERED_OPS: &[Op] = ops!(Is, IsNot, Less, LessOrEqual, Greater, GreaterOrEqual; delta);
/// Fields a ticket may lack: ids, messaging session fields, the routing channel (absent
/// without omnichannel routing).
const OPTIONAL_OPS: &[Op] = ops!(Is, IsNot, Present, NotPresent; delta);
/// Subject and comment text, as Zendesk means them: `includes` at least one of the words,
/// `excludes` none, `is` contains the string, `is not` does not. `contains` and `does not
/// contain` say the same as `is` and `is not` in plainer words, and export as them.
const TEXT_OPS: &[Op] = ops!(Includes, Excludes, Is, IsNot, Contains, NotContains);
const TAG_OPS: &[Op] = ops!(Includes, Excludes);
/// Custom fields may be tested every way Zendesk allows for any field type.
const CUSTOM_OPS: &[Op] = ops!(
    Is, IsNot, Less, LessOrEqual, Greater, GreaterOrEqual, Includes, Excludes, Contains,
    NotContains, Present, NotPresent; delta
);
/// User and organization fields: text (words, strings), numbers and drop-downs.
const ORG_CUSTOM_OPS: &[Op] = ops!(
    Is,
    IsNot,
    Present,
    NotPresent,
    Includes,
    Excludes,
    Contains,
    NotContains,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual
);

const fn enumeration(values: &'static [Value]) -> Domain {
    Domain::Enum {
        values,
        ordered: false,
        open_integers: false,
    }
}

const fn ordered(values: &'static [Value]) -> Domain {
    Domain::Enum {
        values,
        ordered: true,
        open_integers: false,
    }
}

const fn id(of: &'static str, special: &'static [Value]) -> Domain {
    Domain::Id { of, special }
}

const fn field(
    key: FieldKey,
    en: &'static [&'static str],
    fr: &'static [&'static str],
    api: &'static str,
    domain: Domain,
    ops: &'static [Op],
) -> Field {
    Field {
        key,
        names: Names { en, fr, api },
        domain,
        ops,
        scope: Scope::Any,
    }
}

const CHANNELS: Domain = Domain::Enum {
    values: CHANNEL,
    ordered: false,
    open_integers: true,
};

/// Every condition field, in the order the reference documentation lists them.
pub static FIELDS: &[Field] = &[
    field(
        FieldKey::UpdateType,
        &["Ticket", "Update type"],
        &["Ticket", "Type de mise à jour"],
        "update_type",
        enumeration(UPDATE_TYPE),
        IS,
    ),
    field(
        FieldKey::Status,
        &["Status", "Ticket status"],
        &["Statut", "Statut du ticket"],
        "status",
        ordered(STATUS),
        ORDERED_OPS,
    ),
    field(
        FieldKey::StatusCategory,
        &["Status category"],
        &["Catégorie de statut", "Catégorie du statut"],
        "status_category",
        ordered(STATUS_CATEGORY),
        ORDERED_OPS,
    ),
    field(
        FieldKey::Priority,
        &["Priority"],
        &["Priorité"],
        "priority",
        ordered(PRIORITY),
        ORDERED_OPS,
    ),
    field(
        FieldKey::TicketType,
        &["Type", "Ticket type"],
        &["Type", "Type de ticket"],
        "type",
        enumeration(TICKET_TYPE),
        ENUM_OPS,
    ),
    field(
        FieldKey::Group,
        &["Group"],
        &["Groupe"],
        "group_id",
        id("group", GROUP_OR_NONE),
        OPTIONAL_OPS,
    ),
    field(
        FieldKey::Assignee,
        &["Assignee"],
        &["Assigné", "Agent assigné"],
        "assignee_id",
        id("user", USER_OR_NONE),
        OPTIONAL_OPS,
    ),
    field(
        FieldKey::Requester,
        &["Requester"],
        &["Demandeur"],
        "requester_id",
        id("user", USER_OR_NONE),
        OPTIONAL_OPS,
    ),
    field(
        FieldKey::Organization,
        &["Organization", "Organisation"],
        &["Organisation"],
        "organization_id",
        id("organization", NONE),
        OPTIONAL_OPS,
    ),
    field(
        FieldKey::Form,
        &["Form", "Ticket form"],
        &["Formulaire", "Formulaire de ticket"],
        "ticket_form_id",
        id("ticket form", NONE),
        OPTIONAL_OPS,
    ),
    field(
        FieldKey::Brand,
        &["Brand"],
        &["Marque"],
        "brand_id",
        id("brand", NONE),
        OPTIONAL_OPS,
    ),
    field(
        FieldKey::Tags,
        &["Tags"],
        &["Balises", "Étiquettes", "Tags"],
        "current_tags",
        Domain::Tags,
        TAG_OPS,
    ),
    field(
        FieldKey::Channel,
        &["Channel", "Via"],
        &["Canal"],
        "via_id",
        CHANNELS,
        ENUM_OPS,
    ),
    field(
        FieldKey::UpdateVia,
        &["Update via"],
        &["Mis à jour via", "Mise à jour via"],
        "current_via_id",
        CHANNELS,
        ENUM_OPS,
    ),
    field(
        FieldKey::Subject,
        &["Subject", "Subject text"],
        &["Objet", "Sujet", "Texte de l'objet"],
        "subject_includes_word",
        Domain::Text,
        TEXT_OPS,
    ),
    field(
        FieldKey::CommentText,
        &["Comment text"],
        &["Texte du commentaire"],
        "comment_includes_word",
        Domain::Text,
        TEXT_OPS,
    ),
    field(
        FieldKey::CommentVisibility,
        &["Comment", "Comment visibility"],
        &["Commentaire", "Visibilité du commentaire"],
        "comment_is_public",
        enumeration(COMMENT_VISIBILITY),
        IS,
    ),
    field(
        FieldKey::TicketVisibility,
        &["Ticket visibility"],
        &["Visibilité du ticket"],
        "ticket_is_public",
        enumeration(TICKET_VISIBILITY),
        IS,
    ),
    field(
        FieldKey::InBusinessHours,
        &[
            "Within business hours",
            "Within business hours?",
            "In business hours",
        ],
        &[
            "Dans les horaires d'ouverture",
            "Pendant les heures d'ouverture",
        ],
        "in_business_hours",
        Domain::Bool,
        IS,
    ),
    field(
        FieldKey::WithinSchedule,
        &["Within schedule"],
        &["Dans le calendrier", "Dans le planning"],
        "within_schedule",
        id("schedule", &[]),
        IS,
    ),
    field(
        FieldKey::CurrentUserRole,
        &["Current user", "Current user role"],
        &["Utilisateur actuel", "Rôle de l'utilisateur actuel"],
        "role",
        enumeration(ROLE),
        IS,
    ),
    field(
        FieldKey::RequesterRole,
        &["Requester role"],
        &["Rôle du demandeur"],
        "requester_role",
        enumeration(ROLE),
        IS,
    ),
    field(
        FieldKey::Satisfaction,
        &["Satisfaction"],
        &["Satisfaction"],
        "satisfaction_score",
        ordered(SATISFACTION),
        ORDERED_OPS,
    ),
    field(
        FieldKey::Recipient,
        &["Received at", "Recipient"],
        &["Reçu à", "Destinataire"],
        "recipient",
        Domain::Text,
        IS,
    ),
    field(
        FieldKey::RoutingChannel,
        &["Routing channel"],
        &["Canal de routage"],
        "routing_channel",
        enumeration(ROUTING_CHANNEL),
        OPTIONAL_OPS,
    ),
    field(
        FieldKey::SessionState,
        &["Messaging session state", "Session state"],
        &["État de la session de messagerie", "État de la session"],
        "messaging_session_state",
        enumeration(SESSION_STATE),
        ENUM_OPS,
    ),
    field(
        FieldKey::SessionInactiveReason,
        &[
            "Messaging session inactive reason",
            "Session inactive reason",
            "Inactive reason",
        ],
        &[
            "Raison de l'inactivité de la session de messagerie",
            "Raison d'inactivité de la session",
            "Raison d'inactivité",
        ],
        "messaging_session_inactive_reason",
        enumeration(SESSION_INACTIVE_REASON),
        OPTIONAL_OPS,
    ),
    field(
        FieldKey::SessionEndReason,
        &[
            "Messaging session end reason",
            "Session end reason",
            "End reason",
        ],
        &[
            "Raison de la fin de la session de messagerie",
            "Raison de fin de session",
            "Raison de la fin de session",
        ],
        "messaging_session_end_reason",
        enumeration(SESSION_END_REASON),
        OPTIONAL_OPS,
    ),
    // The spellings of a 2015 account, read and written back as they are.
    field(
        FieldKey::Assignee,
        &["assignee_id#all_agents"],
        &["assignee_id#all_agents"],
        "assignee_id#all_agents",
        id("user", LEGACY_USER),
        OPTIONAL_OPS,
    ),
    field(
        FieldKey::Group,
        &["group_id#current_groups"],
        &["group_id#current_groups"],
        "group_id#current_groups",
        id("group", GROUP_OR_NONE),
        OPTIONAL_OPS,
    ),
    field(
        FieldKey::Requester,
        &["requester_id#all_agents"],
        &["requester_id#all_agents"],
        "requester_id#all_agents",
        id("user", LEGACY_USER),
        OPTIONAL_OPS,
    ),
];

/// The catalog row for `key` (its current spelling, never a legacy one).
pub fn get(key: FieldKey) -> &'static Field {
    FIELDS
        .iter()
        .find(|f| f.key == key)
        .expect("every FieldKey has a catalog row (checked by a test)")
}
