//! The enumerations that fields and actions share, each value with its English and French
//! labels and its Zendesk API value.

use super::{Names, Value};

/// Shorthand for a value row: English names, French names, API value.
const fn v(en: &'static [&'static str], fr: &'static [&'static str], api: &'static str) -> Value {
    Value {
        names: Names { en, fr, api },
        listed: true,
    }
}

/// A row that keeps another API spelling of a value (see [`Value::listed`](super::Value)).
const fn spelling(
    en: &'static [&'static str],
    fr: &'static [&'static str],
    api: &'static str,
) -> Value {
    Value {
        names: Names { en, fr, api },
        listed: false,
    }
}

/// Ticket status, lowest to highest (Zendesk's order for `<` and `>`).
pub static STATUS: &[Value] = &[
    v(&["New"], &["Nouveau"], "new"),
    v(&["Open"], &["Ouvert"], "open"),
    v(&["Pending"], &["En attente"], "pending"),
    v(&["On-hold", "Hold", "On hold"], &["En pause"], "hold"),
    v(&["Solved"], &["Résolu"], "solved"),
    v(&["Closed"], &["Clos", "Fermé"], "closed"),
];

/// Status category (the messaging-era grouping of statuses); Closed counts as Solved.
pub static STATUS_CATEGORY: &[Value] = &[
    v(&["New"], &["Nouveau"], "new"),
    v(&["Open"], &["Ouvert"], "open"),
    v(&["Pending"], &["En attente"], "pending"),
    v(&["On-hold", "Hold", "On hold"], &["En pause"], "hold"),
    v(&["Solved"], &["Résolu"], "solved"),
];

/// The API's other spelling of "no value": Zendesk's editor shows `-`, exports write `""`,
/// and the definitions endpoint writes `__NULL__`. A row of its own, so that an imported
/// `__NULL__` exports back as it was read.
pub const NULL: &str = "__NULL__";

/// `__NULL__` as a value row: named by its API spelling alone, which reads the same in
/// both languages.
const NULL_VALUE: Value = spelling(&[NULL], &[NULL], NULL);

/// Whether an API value is one of Zendesk's spellings of "no value" (`""`, `__NULL__`).
pub fn is_empty_api(api: &str) -> bool {
    api.is_empty() || api == NULL
}

/// Ticket priority, lowest to highest; the empty API value is "no priority". Conditions
/// only: an action cannot clear the priority (Zendesk offers no `-` there).
pub static PRIORITY: &[Value] = &[
    v(&["None", "No priority"], &["Aucune", "Sans priorité"], ""),
    v(&["Low"], &["Basse", "Faible"], "low"),
    v(&["Normal"], &["Normale"], "normal"),
    v(&["High"], &["Haute", "Élevée"], "high"),
    v(&["Urgent"], &["Urgente"], "urgent"),
    // Last, so that the others keep their places; it ranks with "none", the lowest.
    NULL_VALUE,
];

/// Ticket type; as for priority, "no type" is a condition's value, never an action's.
pub static TICKET_TYPE: &[Value] = &[
    v(&["None", "No type"], &["Aucun", "Sans type"], ""),
    v(&["Question"], &["Question"], "question"),
    v(&["Incident"], &["Incident"], "incident"),
    v(&["Problem"], &["Problème"], "problem"),
    v(&["Task"], &["Tâche"], "task"),
    NULL_VALUE,
];

/// `Ticket is Created` / `Ticket is Updated` (API `update_type`).
pub static UPDATE_TYPE: &[Value] = &[
    v(&["Created"], &["Créé"], "Create"),
    v(&["Updated"], &["Mis à jour", "Modifié"], "Change"),
];

/// How a ticket was created or updated (API `via_id`). Zendesk has more channels than
/// these; other numbers are accepted as they are.
pub static CHANNEL: &[Value] = &[
    v(&["Web form"], &["Formulaire Web"], "0"),
    v(&["Email", "E-mail", "Mail"], &["E-mail", "Courriel"], "4"),
    v(&["API", "Web service"], &["API", "Service Web"], "5"),
    v(&["Chat"], &["Chat", "Discussion"], "29"),
    v(&["Voicemail"], &["Messagerie vocale"], "33"),
    v(
        &["Phone call (inbound)", "Phone"],
        &["Appel entrant", "Téléphone"],
        "34",
    ),
    v(&["Phone call (outbound)"], &["Appel sortant"], "35"),
    v(&["Web Widget"], &["Web Widget"], "48"),
    v(&["Mobile SDK"], &["SDK mobile"], "49"),
    v(&["Messaging", "Native messaging"], &["Messagerie"], "75"),
    // A 2015 account's spelling of Email (see `VIA_NAMES`).
    spelling(&["Email (via name)"], &["E-mail (nom de canal)"], "email"),
];

/// The channel a ticket is routed on by omnichannel routing.
pub static ROUTING_CHANNEL: &[Value] = &[
    v(&["Messaging"], &["Messagerie"], "messaging"),
    v(&["Email", "E-mail"], &["E-mail", "Courriel"], "email"),
];

/// Messaging session state.
pub static SESSION_STATE: &[Value] = &[
    v(&["Active"], &["Active"], "active"),
    v(&["Inactive"], &["Inactive"], "inactive"),
    v(&["Ended"], &["Terminée", "Terminé"], "ended"),
];

/// Why a messaging session became inactive.
pub static SESSION_INACTIVE_REASON: &[Value] = &[
    v(
        &["User inactive or offline"],
        &["Utilisateur inactif ou hors ligne"],
        "user_inactive_or_offline",
    ),
    v(&["Status changed"], &["Statut modifié"], "status_changed"),
    v(
        &["No end-user reply", "No end user reply"],
        &["Pas de réponse de l'utilisateur final"],
        "no_end_user_reply",
    ),
];

/// Why a messaging session ended. "Ended by trigger" is declic's name for the value
/// Zendesk records when the End session action runs.
pub static SESSION_END_REASON: &[Value] = &[
    v(
        &["Ended by agent"],
        &["Terminée par l'agent", "Terminée par un agent"],
        "ended_by_agent",
    ),
    v(
        &["Ended by trigger"],
        &["Terminée par un déclencheur", "Terminée par le déclencheur"],
        "ended_by_trigger",
    ),
    v(
        &["Capacity released"],
        &["Capacité libérée"],
        "capacity_released",
    ),
];

/// The role of a user (current user, requester).
pub static ROLE: &[Value] = &[
    v(
        &["End user", "End-user"],
        &["Utilisateur final"],
        "end_user",
    ),
    v(&["Agent"], &["Agent"], "agent"),
    v(
        &["Admin", "Administrator"],
        &["Administrateur", "Admin"],
        "admin",
    ),
];

/// Comment visibility (API `comment_is_public`).
pub static COMMENT_VISIBILITY: &[Value] = &[
    v(&["Public"], &["Public"], "true"),
    v(&["Private"], &["Privé"], "false"),
    v(
        &[
            "Present (public or private)",
            "Not relevant",
            "Present or not",
        ],
        &["Présent (public ou privé)", "Non pertinent"],
        "not_relevant",
    ),
    v(
        &["Requester can see comment"],
        &["Visible par le demandeur"],
        "requester_can_see_comment",
    ),
];

/// Ticket visibility (API `ticket_is_public`).
pub static TICKET_VISIBILITY: &[Value] = &[
    v(&["Public"], &["Public"], "public"),
    v(&["Private"], &["Privé"], "private"),
];

/// Satisfaction rating state.
pub static SATISFACTION: &[Value] = &[
    v(
        &["Unoffered", "Not offered"],
        &["Non proposée", "Non proposé"],
        "unoffered",
    ),
    v(&["Offered"], &["Proposée", "Proposé"], "offered"),
    v(&["Bad"], &["Mauvaise", "Mauvais"], "bad"),
    v(
        &["Bad with comment"],
        &["Mauvaise avec commentaire"],
        "bad_with_comment",
    ),
    v(&["Good"], &["Bonne", "Bon"], "good"),
    v(
        &["Good with comment"],
        &["Bonne avec commentaire"],
        "good_with_comment",
    ),
];

const CURRENT_USER: Value = v(&["Current user"], &["Utilisateur actuel"], "current_user");
const REQUESTER: Value = v(&["Requester"], &["Demandeur"], "requester_id");
/// No id at all: Zendesk shows `-` and writes `""` (`assignee_id is ""`: unassigned).
const NO_ID: Value = v(&["None", "-"], &["Aucun", "Aucune", "-"], "");

/// The ticket's assignee, as a legacy account compares the assignee with it
/// (`assignee_id#all_agents value assignee_id`).
const ASSIGNEE: Value = v(&["Ticket assignee"], &["Assigné du ticket"], "assignee_id");

/// Who an assignee action may name besides an id: the current user, the requester, or
/// nobody (`Assignee = None` unassigns).
pub static USER_SPECIAL: &[Value] = &[CURRENT_USER, REQUESTER, NO_ID, NULL_VALUE];

/// What a condition may compare a user field with besides an id: no user is a value too.
pub static USER_OR_NONE: &[Value] = &[CURRENT_USER, REQUESTER, NO_ID, NULL_VALUE];

/// What the legacy `assignee_id#all_agents` and `requester_id#all_agents` compare with: as
/// [`USER_OR_NONE`], and the ticket's assignee.
pub static LEGACY_USER: &[Value] = &[CURRENT_USER, REQUESTER, NO_ID, NULL_VALUE, ASSIGNEE];

/// What a condition may compare an id field with besides an id, and what a group action
/// may set: nothing (`Form is None`, `Group = None`).
pub static NONE: &[Value] = &[NO_ID, NULL_VALUE];

/// Symbolic recipients of an email notification.
pub static RECIPIENT: &[Value] = &[
    v(&["Requester"], &["Demandeur"], "requester_id"),
    v(&["Assignee"], &["Assigné", "Agent assigné"], "assignee_id"),
    v(&["Current user"], &["Utilisateur actuel"], "current_user"),
    v(
        &["Requester and CCs"],
        &["Demandeur et CC", "Demandeur et copies"],
        "requester_and_ccs",
    ),
    v(&["All agents"], &["Tous les agents"], "all_agents"),
];

const TICKET_GROUP: Value = v(&["Ticket group"], &["Groupe du ticket"], "group_id");

/// Symbolic groups: the ticket's own group.
pub static GROUP_SPECIAL: &[Value] = &[TICKET_GROUP];

/// What a group condition may compare with besides an id: the ticket's group, or none.
pub static GROUP_OR_NONE: &[Value] = &[TICKET_GROUP, NO_ID, NULL_VALUE];

/// The via names old accounts write where a channel number is expected
/// (`current_via_id is "email"`), with the number each stands for. Each has a row of
/// [`CHANNEL`] of its own, so that it exports back as it was read.
pub(crate) const VIA_NAMES: &[(&str, i64)] = &[("email", 4)];

/// The channel number an API channel value stands for: its digits, or a via name's number.
pub fn via_number(api: &str) -> Option<i64> {
    match api.parse() {
        Ok(n) => Some(n),
        Err(_) => VIA_NAMES.iter().find(|(n, _)| *n == api).map(|(_, c)| *c),
    }
}

/// How the API sets a custom date field relative to the update's date:
/// `["days_from_now", "3"]`.
pub const DAYS_FROM_NOW: &str = "days_from_now";

/// The conversation events a messaging trigger runs on.
pub static CONVERSATION_EVENTS: &[Value] = &[
    v(
        &["Conversation requested"],
        &["Conversation demandée"],
        "conversation_requested",
    ),
    v(&["Message sent"], &["Message envoyé"], "message_sent"),
    v(
        &["Added to queue"],
        &["Ajoutée à la file"],
        "added_to_queue",
    ),
    v(
        &["Assigned from queue"],
        &["Assignée depuis la file"],
        "assigned_from_queue",
    ),
];

/// The satisfaction value an action may set: only Offered.
pub static SATISFACTION_ACTION: &[Value] = &[v(&["Offered"], &["Proposée", "Proposé"], "offered")];
