//! The actions.

use super::values::*;
use super::{Domain, Names, Scope, Value};

/// An action known to the catalog, by meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // each variant is documented by its catalog row
pub enum ActionKey {
    Status,
    Priority,
    TicketType,
    Group,
    Assignee,
    Form,
    Brand,
    SetTags,
    AddTags,
    RemoveTags,
    NotifyUser,
    NotifyGroup,
    NotifyWebhook,
    NotifyTarget,
    SendCsat,
    SendCsatByEmail,
    Satisfaction,
    SetSchedule,
    ReplyPublic,
    ReplyInternal,
    SideConversationTicket,
    EndSession,
    RoutingChannel,
    SendMessage,
}

/// What an action takes after its name.
#[derive(Debug, Clone, Copy)]
pub enum Args {
    /// Nothing: `Mettre fin à la session`, `send CSAT`.
    None,
    /// One value, written `NAME = VALUE` (or `NAME VALUE`).
    Value(Domain),
    /// A list of tags: `Tags = a b`, `Tags += a`, `Tags -= a`.
    Tags,
    /// A recipient then texts: `notify requester "Subject" "Body"`,
    /// `webhook 123 "{...}"`. `texts` names the texts that follow, in order.
    Message {
        /// Who or what receives it.
        to: Domain,
        /// The texts after the recipient.
        texts: &'static [&'static str],
    },
    /// Texts only: `reply public "Hello"`.
    Texts(&'static [&'static str]),
}

impl Args {
    /// What the action takes, for listings and messages: "nothing", "a status"...
    pub fn describe(&self) -> String {
        match self {
            Args::None => "nothing".into(),
            Args::Value(domain) => domain.describe(),
            Args::Tags => "one or more tags".into(),
            Args::Message { to, texts } => {
                format!("{}, then {}", to.describe(), texts.join(" and "))
            }
            Args::Texts(texts) => texts.join(" and "),
        }
    }
}

/// One action of the catalog.
#[derive(Debug)]
pub struct Action {
    /// What it means.
    pub key: ActionKey,
    /// Its names.
    pub names: Names,
    /// What it takes.
    pub args: Args,
    /// The trigger kinds that may use it.
    pub scope: Scope,
}

impl PartialEq for Action {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

const fn action(
    key: ActionKey,
    en: &'static [&'static str],
    fr: &'static [&'static str],
    api: &'static str,
    args: Args,
) -> Action {
    Action {
        key,
        names: Names { en, fr, api },
        args,
        scope: Scope::Any,
    }
}

const fn one_of(values: &'static [Value]) -> Args {
    Args::Value(Domain::Enum {
        values,
        ordered: false,
        open_integers: false,
    })
}

const fn id(of: &'static str, special: &'static [Value]) -> Domain {
    Domain::Id { of, special }
}

const SUBJECT_BODY: &[&str] = &["subject", "body"];

/// Every action, in the order the reference documentation lists them.
pub static ACTIONS: &[Action] = &[
    action(
        ActionKey::Status,
        &["Status"],
        &["Statut"],
        "status",
        one_of(STATUS),
    ),
    action(
        ActionKey::Priority,
        &["Priority"],
        &["Priorité"],
        "priority",
        one_of(PRIORITY),
    ),
    action(
        ActionKey::TicketType,
        &["Type"],
        &["Type"],
        "type",
        one_of(TICKET_TYPE),
    ),
    action(
        ActionKey::Group,
        &["Group"],
        &["Groupe"],
        "group_id",
        Args::Value(id("group", NONE)),
    ),
    action(
        ActionKey::Assignee,
        &["Assignee"],
        &["Assigné", "Agent assigné"],
        "assignee_id",
        Args::Value(id("user", USER_SPECIAL)),
    ),
    action(
        ActionKey::Form,
        &["Form", "Ticket form"],
        &["Formulaire"],
        "ticket_form_id",
        Args::Value(id("ticket form", &[])),
    ),
    action(
        ActionKey::Brand,
        &["Brand"],
        &["Marque"],
        "brand_id",
        Args::Value(id("brand", &[])),
    ),
    action(
        ActionKey::SetTags,
        &["Tags", "Set tags"],
        &["Balises", "Étiquettes", "Définir les balises"],
        "set_tags",
        Args::Tags,
    ),
    action(
        ActionKey::AddTags,
        &["Add tags"],
        &["Ajouter des balises", "Ajouter les balises"],
        "current_tags",
        Args::Tags,
    ),
    action(
        ActionKey::RemoveTags,
        &["Remove tags"],
        &["Supprimer des balises", "Retirer les balises"],
        "remove_tags",
        Args::Tags,
    ),
    action(
        ActionKey::NotifyUser,
        &["Notify", "Email user"],
        &["Notifier", "Envoyer un e-mail à l'utilisateur"],
        "notification_user",
        Args::Message {
            to: id("user", RECIPIENT),
            texts: SUBJECT_BODY,
        },
    ),
    action(
        ActionKey::NotifyGroup,
        &["Notify group", "Email group"],
        &["Notifier le groupe", "Envoyer un e-mail au groupe"],
        "notification_group",
        Args::Message {
            to: id("group", GROUP_SPECIAL),
            texts: SUBJECT_BODY,
        },
    ),
    // The body is one JSON text; a webhook without a JSON body takes `[key, value]` pairs
    // instead, written as two texts each, or nothing (`webhook ID`).
    action(
        ActionKey::NotifyWebhook,
        &["Webhook", "Notify webhook", "Notify active webhook"],
        &["Webhook", "Notifier le webhook"],
        "notification_webhook",
        Args::Message {
            to: Domain::Key { of: "webhook" },
            texts: &["body"],
        },
    ),
    action(
        ActionKey::NotifyTarget,
        &["Notify target"],
        &["Notifier la cible"],
        "notification_target",
        Args::Message {
            to: Domain::Key { of: "target" },
            texts: &["message"],
        },
    ),
    action(
        ActionKey::SendCsat,
        &["Send CSAT", "Send CSAT survey", "Send satisfaction survey"],
        &[
            "Envoyer l'enquête CSAT",
            "Envoyer CSAT",
            "Envoyer l'enquête de satisfaction",
        ],
        "notification_messaging_csat",
        Args::None,
    ),
    action(
        ActionKey::SendCsatByEmail,
        &[
            "Send CSAT by email",
            "Send CSAT by e-mail",
            "Send CSAT survey by email",
        ],
        &[
            "Envoyer l'enquête CSAT par e-mail",
            "Envoyer CSAT par e-mail",
            "Envoyer l'enquête CSAT par courriel",
        ],
        "notification_csat_email",
        Args::None,
    ),
    action(
        ActionKey::Satisfaction,
        &["Satisfaction"],
        &["Satisfaction"],
        "satisfaction_score",
        one_of(SATISFACTION_ACTION),
    ),
    action(
        ActionKey::SetSchedule,
        &["Schedule", "Set schedule"],
        &["Calendrier", "Définir le calendrier"],
        "set_schedule",
        Args::Value(id("schedule", &[])),
    ),
    action(
        ActionKey::ReplyPublic,
        &["Public reply", "Reply publicly"],
        &["Réponse publique", "Répondre publiquement"],
        "reply_public",
        Args::Texts(&["body"]),
    ),
    action(
        ActionKey::ReplyInternal,
        &["Internal note", "Add internal note"],
        &["Note interne", "Ajouter une note interne"],
        "reply_internal",
        Args::Texts(&["body"]),
    ),
    // The API's value is four strings: subject, HTML body, the group the child ticket is
    // assigned to (`SupportAssignable:support_assignable/group/<id>`) and `text/html`.
    action(
        ActionKey::SideConversationTicket,
        &["Side conversation ticket", "Child ticket"],
        &["Conversation annexe ticket", "Ticket enfant"],
        "side_conversation_ticket",
        Args::Message {
            to: id("group", &[]),
            texts: SUBJECT_BODY,
        },
    ),
    action(
        ActionKey::EndSession,
        &["End messaging session", "End session", "End the session"],
        &[
            "Mettre fin à la session",
            "Mettre fin à la session de messagerie",
            "Terminer la session",
        ],
        "end_messaging_session",
        Args::None,
    ),
    action(
        ActionKey::RoutingChannel,
        &["Routing channel"],
        &["Canal de routage"],
        "routing_channel",
        one_of(ROUTING_CHANNEL),
    ),
    // A 2015 account's spelling of the assignee action, written back as it was read.
    action(
        ActionKey::Assignee,
        &["assignee_id#all_agents"],
        &["assignee_id#all_agents"],
        "assignee_id#all_agents",
        Args::Value(id("user", USER_SPECIAL)),
    ),
    Action {
        key: ActionKey::SendMessage,
        names: Names {
            en: &["Send message", "Send a message"],
            fr: &["Envoyer un message"],
            api: "messaging_send_message",
        },
        args: Args::Texts(&["message"]),
        scope: Scope::Messaging,
    },
];

/// The catalog row for `key` (its current spelling, never a legacy one).
pub fn get(key: ActionKey) -> &'static Action {
    ACTIONS
        .iter()
        .find(|a| a.key == key)
        .expect("every ActionKey has a catalog row (checked by a test)")
}
