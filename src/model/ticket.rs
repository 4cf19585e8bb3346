//! The ticket snapshot, shaped like the Zendesk API ticket object, and its enumerations.
//!
//! Every struct here mirrors a Zendesk object and keeps the keys it does not know in an
//! `extra` map, so that a ticket read from the API is written back with nothing lost: the
//! engine only looks at the fields it knows, and the caller gets its own data back.

use indexmap::IndexMap;
use serde::de::{self, IntoDeserializer, MapAccess};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::extra::{self, deserialize_keyed, keyed_object, Extra, Keyed};
use super::metrics::{MetricSet, StatusTimes};
use super::text::Text;
use super::time::Timestamp;

/// A ticket tag. Tags are short words, kept inline (up to 24 bytes) rather than each in
/// its own allocation: the engine copies a ticket's tags whenever a trigger changes them.
pub type Tag = compact_str::CompactString;

/// A ticket as triggers see it: the Zendesk API ticket object (`id`, `status`, `tags`,
/// `custom_fields`, ...) plus the messaging fields declic models (`routing_channel`,
/// `messaging_session`), the clock automations read (see [`Ticket::moment`]) and the
/// sideloaded `requester` and `organization`.
///
/// A known field that is absent from the input is not written back; one that the input
/// wrote as `null` (or `[]`, for a list) and that still holds nothing is written back the
/// same way, so a Zendesk ticket round-trips exactly (see [`EmptyKeys`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, schemars::JsonSchema)]
#[serde(into = "TicketWire")]
#[schemars(
    from = "TicketWire",
    description = "A ticket as triggers see it: the Zendesk API ticket object (`id`, \
    `status`, `tags`, `custom_fields`, ...) plus declic's messaging fields (`routing_channel`, \
    `messaging_session`), the clock automations read (`created_at`, `updated_at`, `due_at`, \
    the sideloaded `metric_set`, declic's `status_entered_at` and `sla_next_breach_at`) and \
    the sideloaded `requester` and `organization`. Unknown keys are kept and written back \
    unchanged; a known key given as `null` or `[]` is written back so."
)]
pub struct Ticket {
    /// Zendesk's ticket id; absent for a ticket being created.
    pub id: Option<u64>,
    /// The subject line.
    pub subject: Option<Text>,
    /// The first comment's text.
    pub description: Option<Text>,
    /// The status; `new` when absent.
    pub status: Status,
    /// The priority; `None` is Zendesk's "no priority" (`null`), lowest of all.
    pub priority: Option<Priority>,
    /// The ticket type (JSON key `type`); `None` is "no type".
    pub ticket_type: Option<TicketType>,
    /// How the ticket was created.
    pub via: Option<Via>,
    /// Tags, in the order Zendesk gave them.
    pub tags: Vec<Tag>,
    /// The assigned group.
    pub group_id: Option<u64>,
    /// The assigned agent.
    pub assignee_id: Option<u64>,
    /// The requester's user id.
    pub requester_id: Option<u64>,
    /// The requester's organization.
    pub organization_id: Option<u64>,
    /// The brand.
    pub brand_id: Option<u64>,
    /// The ticket form.
    pub ticket_form_id: Option<u64>,
    /// The business-hours schedule applied to the ticket.
    pub schedule_id: Option<u64>,
    /// The requester (Zendesk's sideloaded user), for conditions on the requester's role or
    /// email.
    pub requester: Option<User>,
    /// The requester's organization (sideloaded), for conditions on organization fields.
    // Boxed, as the clock's parts below: rarely there, and a ticket is moved whole several
    // times as it is read.
    pub organization: Option<Box<Organization>>,
    /// Whether the ticket has public comments.
    pub is_public: Option<bool>,
    /// The address the ticket was sent to (email tickets).
    pub recipient: Option<Text>,
    /// Custom field values, as Zendesk's `[{"id": ..., "value": ...}]` list.
    pub custom_fields: Vec<CustomField>,
    /// The satisfaction rating; absent means unoffered.
    pub satisfaction_rating: Option<SatisfactionRating>,
    /// The channel omnichannel routing uses for the ticket (declic).
    pub routing_channel: Option<RoutingChannel>,
    /// The messaging session the ticket belongs to, for messaging tickets (declic).
    pub messaging_session: Option<MessagingSession>,
    /// When the ticket was created.
    pub created_at: Option<Timestamp>,
    /// When the ticket was last updated; the engine sets it at each update's time.
    pub updated_at: Option<Timestamp>,
    /// A task's due date.
    pub due_at: Option<Timestamp>,
    /// When the next SLA target is breached (declic; Zendesk shows it only in views and
    /// automations).
    pub sla_next_breach_at: Option<Timestamp>,
    /// Zendesk's ticket metrics (sideloaded `metric_set`): when the ticket was assigned,
    /// updated by requester and assignee, changed status, solved. The engine keeps them.
    pub metric_set: Option<Box<MetricSet>>,
    /// When the ticket last entered each status (declic; Zendesk keeps these only
    /// internally, for automations).
    pub status_entered_at: Option<Box<StatusTimes>>,
    /// Which known keys the input wrote with no value; see [`EmptyKeys`].
    pub empty_keys: EmptyKeys,
    /// Every other key of the input ticket (`url`, `external_id`, `collaborator_ids`, ...).
    pub extra: Extra,
}

impl Ticket {
    /// The value of custom field `id`, if the ticket lists it.
    pub fn custom_field(&self, id: u64) -> Option<&Value> {
        self.custom_fields
            .iter()
            .find(|f| f.id == id)
            .map(|f| &f.value)
    }

    /// Whether the ticket has `tag` (Zendesk tags are compared exactly, they are already
    /// lowercase).
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }

    /// The satisfaction score, with an absent rating read as unoffered.
    pub fn satisfaction(&self) -> Satisfaction {
        self.satisfaction_rating
            .as_ref()
            .map_or(Satisfaction::Unoffered, |r| r.score)
    }
}

/// The known keys of a [`Ticket`] that may hold no value (`status` always has one).
#[derive(Debug, Clone, Copy)]
enum Key {
    Id,
    Subject,
    Description,
    Priority,
    Type,
    Via,
    Tags,
    GroupId,
    AssigneeId,
    RequesterId,
    OrganizationId,
    BrandId,
    TicketFormId,
    ScheduleId,
    Requester,
    Organization,
    IsPublic,
    Recipient,
    CustomFields,
    SatisfactionRating,
    RoutingChannel,
    MessagingSession,
    CreatedAt,
    UpdatedAt,
    DueAt,
    SlaNextBreachAt,
    MetricSet,
    StatusEnteredAt,
    /// Never empty: a key of its own only so that a read may skip it.
    Status,
}

impl Key {
    fn bit(self) -> u32 {
        1 << self as u32
    }

    /// The known key of the ticket JSON named `name`.
    fn named(name: &str) -> Option<Key> {
        Some(match name {
            "id" => Key::Id,
            "subject" => Key::Subject,
            "description" => Key::Description,
            "status" => Key::Status,
            "priority" => Key::Priority,
            "type" => Key::Type,
            "via" => Key::Via,
            "tags" => Key::Tags,
            "group_id" => Key::GroupId,
            "assignee_id" => Key::AssigneeId,
            "requester_id" => Key::RequesterId,
            "organization_id" => Key::OrganizationId,
            "brand_id" => Key::BrandId,
            "ticket_form_id" => Key::TicketFormId,
            "schedule_id" => Key::ScheduleId,
            "requester" => Key::Requester,
            "organization" => Key::Organization,
            "is_public" => Key::IsPublic,
            "recipient" => Key::Recipient,
            "custom_fields" => Key::CustomFields,
            "satisfaction_rating" => Key::SatisfactionRating,
            "routing_channel" => Key::RoutingChannel,
            "messaging_session" => Key::MessagingSession,
            "created_at" => Key::CreatedAt,
            "updated_at" => Key::UpdatedAt,
            "due_at" => Key::DueAt,
            "sla_next_breach_at" => Key::SlaNextBreachAt,
            "metric_set" => Key::MetricSet,
            "status_entered_at" => Key::StatusEnteredAt,
            _ => return None,
        })
    }
}

/// A set of a ticket's known keys, by their JSON names: those a read takes, the others'
/// values being skipped unread (see `extra::Reading`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TicketKeys(u32);

impl TicketKeys {
    /// Every known key.
    pub const ALL: TicketKeys = TicketKeys(u32::MAX);

    /// The keys `names` names; a name that is not a known key adds nothing.
    pub fn named(names: &[&str]) -> TicketKeys {
        TicketKeys(
            names
                .iter()
                .filter_map(|n| Key::named(n))
                .fold(0, |m, k| m | k.bit()),
        )
    }

    /// These keys but those of `other`.
    pub fn without(self, other: TicketKeys) -> TicketKeys {
        TicketKeys(self.0 & !other.0)
    }

    fn contains(self, key: Key) -> bool {
        self.0 & key.bit() != 0
    }
}

/// The known keys of a [`Ticket`] that the input wrote although they held no value
/// (`"priority": null`, `"tags": []`).
///
/// Zendesk writes every key, many of them `null`; a hand-written test ticket writes only a
/// few. Remembering which was which lets both come back as they were, which a plain
/// `Option` cannot. It is formatting memory, not data: it takes no part in equality, so
/// two tickets with the same values are equal however they were written. One bit per
/// known key, so that copying a ticket copies two words.
#[derive(Debug, Clone, Copy, Default)]
pub struct EmptyKeys {
    /// Keys written `null`.
    null: u32,
    /// List keys written `[]`.
    empty_list: u32,
}

impl PartialEq for EmptyKeys {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl EmptyKeys {
    fn has(mask: u32, key: Key) -> bool {
        mask & key.bit() != 0
    }

    /// How to write an empty optional field: `Some(None)` is an explicit `null`, `None`
    /// leaves the key out.
    fn option<T>(&self, key: Key, value: Option<T>) -> Option<Option<T>> {
        match value {
            Some(v) => Some(Some(v)),
            None if Self::has(self.null, key) => Some(None),
            None => None,
        }
    }

    /// How to write a list field: as it is when it has items, otherwise as it came in.
    fn list<T>(&self, key: Key, value: Vec<T>) -> Option<Option<Vec<T>>> {
        if !value.is_empty() || Self::has(self.empty_list, key) {
            Some(Some(value))
        } else if Self::has(self.null, key) {
            Some(None)
        } else {
            None
        }
    }

    /// Notes how a present optional key was read: `null` is remembered.
    fn read_option<T>(&mut self, key: Key, value: Option<T>) -> Option<T> {
        self.remember(key, value.is_none(), false);
        value
    }

    /// Notes how a present list key was read: `null` and `[]` are remembered.
    fn read_list<T>(&mut self, key: Key, value: Option<Vec<T>>) -> Vec<T> {
        let empty = value.as_ref().is_some_and(Vec::is_empty);
        self.remember(key, value.is_none(), empty);
        value.unwrap_or_default()
    }

    /// Sets or clears `key`'s bits, so that a repeated key leaves the last one's mark.
    fn remember(&mut self, key: Key, null: bool, empty_list: bool) {
        let set = |mask: &mut u32, on: bool| {
            if on {
                *mask |= key.bit();
            } else {
                *mask &= !key.bit();
            }
        };
        set(&mut self.null, null);
        set(&mut self.empty_list, empty_list);
    }
}

/// The JSON form of [`Ticket`]: every optional field is three-state (absent, `null`, a
/// value), which is what Zendesk's JSON is. Its field docs are the published schema's.
#[derive(Serialize, schemars::JsonSchema)]
struct TicketWire {
    /// Zendesk's ticket id; absent for a ticket being created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<Option<u64>>,
    /// The subject line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    subject: Option<Option<Text>>,
    /// The first comment's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<Option<Text>>,
    /// The status; `new` when absent.
    #[serde(default)]
    status: Status,
    /// The priority; `null` (or `""`) is "no priority".
    #[schemars(schema_with = "or_blank::<Priority>")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    priority: Option<Option<Priority>>,
    /// The ticket type; `null` (or `""`) is "no type".
    #[schemars(schema_with = "or_blank::<TicketType>")]
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    ticket_type: Option<Option<TicketType>>,
    /// How the ticket was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    via: Option<Option<Via>>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tags: Option<Option<Vec<Tag>>>,
    /// The assigned group.
    #[schemars(schema_with = "or_blank::<u64>")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    group_id: Option<Option<u64>>,
    /// The assigned agent.
    #[schemars(schema_with = "or_blank::<u64>")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    assignee_id: Option<Option<u64>>,
    /// The requester's user id.
    #[schemars(schema_with = "or_blank::<u64>")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    requester_id: Option<Option<u64>>,
    /// The requester's organization.
    #[schemars(schema_with = "or_blank::<u64>")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    organization_id: Option<Option<u64>>,
    /// The brand.
    #[schemars(schema_with = "or_blank::<u64>")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    brand_id: Option<Option<u64>>,
    /// The ticket form.
    #[schemars(schema_with = "or_blank::<u64>")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ticket_form_id: Option<Option<u64>>,
    /// The business-hours schedule applied to the ticket.
    #[schemars(schema_with = "or_blank::<u64>")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    schedule_id: Option<Option<u64>>,
    /// The requester (sideloaded user).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    requester: Option<Option<User>>,
    /// The requester's organization (sideloaded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    organization: Option<Option<Box<Organization>>>,
    /// Whether the ticket has public comments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    is_public: Option<Option<bool>>,
    /// The address the ticket was sent to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    recipient: Option<Option<Text>>,
    /// Custom field values as `[{"id": ..., "value": ...}]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    custom_fields: Option<Option<Vec<CustomField>>>,
    /// The satisfaction rating; absent or `null` means unoffered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    satisfaction_rating: Option<Option<SatisfactionRating>>,
    /// The channel omnichannel routing uses for the ticket (declic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    routing_channel: Option<Option<RoutingChannel>>,
    /// The messaging session of a messaging ticket (declic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    messaging_session: Option<Option<MessagingSession>>,
    /// When the ticket was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created_at: Option<Option<Timestamp>>,
    /// When the ticket was last updated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    updated_at: Option<Option<Timestamp>>,
    /// A task's due date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    due_at: Option<Option<Timestamp>>,
    /// When the next SLA target is breached (declic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sla_next_breach_at: Option<Option<Timestamp>>,
    /// Zendesk's ticket metrics, as the `metric_sets` sideload gives them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    metric_set: Option<Option<Box<MetricSet>>>,
    /// When the ticket last entered each status (declic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status_entered_at: Option<Option<Box<StatusTimes>>>,
    /// Every other key, kept as given.
    #[serde(flatten)]
    extra: Extra,
}

impl Keyed for Ticket {
    const EXPECTING: &'static str = "a ticket object";

    fn read_known<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<bool, A::Error> {
        let Some(known) = Key::named(key) else {
            return Ok(false);
        };
        if !extra::ticket_keys().contains(known) {
            map.next_value::<de::IgnoredAny>()?;
            return Ok(true);
        }
        let k = &mut self.empty_keys;
        match known {
            Key::Id => self.id = k.read_option(known, map.next_value()?),
            Key::Subject => self.subject = k.read_option(known, map.next_value()?),
            Key::Description => self.description = k.read_option(known, map.next_value()?),
            Key::Status => self.status = status(map)?,
            Key::Priority => self.priority = k.read_option(known, blank(map)?),
            Key::Type => self.ticket_type = k.read_option(known, blank(map)?),
            Key::Via => self.via = k.read_option(known, map.next_value()?),
            Key::Tags => self.tags = k.read_list(known, map.next_value()?),
            Key::GroupId => self.group_id = k.read_option(known, blank(map)?),
            Key::AssigneeId => self.assignee_id = k.read_option(known, blank(map)?),
            Key::RequesterId => self.requester_id = k.read_option(known, blank(map)?),
            Key::OrganizationId => self.organization_id = k.read_option(known, blank(map)?),
            Key::BrandId => self.brand_id = k.read_option(known, blank(map)?),
            Key::TicketFormId => self.ticket_form_id = k.read_option(known, blank(map)?),
            Key::ScheduleId => self.schedule_id = k.read_option(known, blank(map)?),
            Key::Requester => self.requester = k.read_option(known, map.next_value()?),
            Key::Organization => self.organization = k.read_option(known, map.next_value()?),
            Key::IsPublic => self.is_public = k.read_option(known, map.next_value()?),
            Key::Recipient => self.recipient = k.read_option(known, map.next_value()?),
            Key::CustomFields => self.custom_fields = k.read_list(known, map.next_value()?),
            Key::SatisfactionRating => {
                self.satisfaction_rating = k.read_option(known, map.next_value()?)
            }
            Key::RoutingChannel => self.routing_channel = k.read_option(known, map.next_value()?),
            Key::MessagingSession => {
                self.messaging_session = k.read_option(known, map.next_value()?)
            }
            Key::CreatedAt => self.created_at = k.read_option(known, map.next_value()?),
            Key::UpdatedAt => self.updated_at = k.read_option(known, map.next_value()?),
            Key::DueAt => self.due_at = k.read_option(known, map.next_value()?),
            Key::SlaNextBreachAt => {
                self.sla_next_breach_at = k.read_option(known, map.next_value()?)
            }
            Key::MetricSet => self.metric_set = k.read_option(known, map.next_value()?),
            Key::StatusEnteredAt => {
                self.status_entered_at = k.read_option(known, map.next_value()?)
            }
        }
        Ok(true)
    }

    fn extra_mut(&mut self) -> &mut Extra {
        &mut self.extra
    }
}

/// Reads a status. Given anything but a string, serde_json says only "expected value",
/// which reads like broken JSON: say instead which values `status` takes. A seed, so
/// that the error is raised inside the value and names its path.
fn status<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Status, A::Error> {
    map.next_value_seed(StatusSeed)
}

struct StatusSeed;

impl<'de> de::DeserializeSeed<'de> for StatusSeed {
    type Value = Status;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Status, D::Error> {
        // The visitor hands back what is wrong instead of failing, so that the error is
        // raised here: serde_json places an error where it is raised, and this is where
        // it was raised when the value was first read whole.
        d.deserialize_any(StatusVisitor)?.map_err(de::Error::custom)
    }
}

/// A status from the string naming it, without copying the string; any other value
/// becomes the message saying what `status` takes.
struct StatusVisitor;

impl StatusVisitor {
    fn not_a_status<E>(got: impl Into<Value>) -> Result<Result<Status, String>, E> {
        let got = got.into();
        Ok(Err(format!(
            "`status` must be one of new, open, pending, hold, solved, closed (got {got})"
        )))
    }
}

impl<'de> de::Visitor<'de> for StatusVisitor {
    type Value = Result<Status, String>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a status")
    }

    fn visit_str<E>(self, name: &str) -> Result<Self::Value, E> {
        let status = Status::deserialize(name.into_deserializer());
        Ok(status.map_err(|e: de::value::Error| e.to_string()))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Self::not_a_status(v)
    }

    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Self::not_a_status(v)
    }

    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Self::not_a_status(v)
    }

    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Self::not_a_status(v)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Self::not_a_status(Value::Null)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Self::not_a_status(Value::deserialize(de::value::SeqAccessDeserializer::new(
            seq,
        ))?)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Self::not_a_status(Value::deserialize(de::value::MapAccessDeserializer::new(
            map,
        ))?)
    }
}

/// The value of an optional field that may also be written `""`, as Zendesk's editor and
/// hand-written events write "no value" (`"group_id": ""`): read as `None`, like `null`,
/// and written back as `null`.
fn blank<'de, T: Deserialize<'de>, A: MapAccess<'de>>(map: &mut A) -> Result<Option<T>, A::Error> {
    Ok(map.next_value::<OrBlank<T>>()?.0)
}

/// The schema of a field [`blank`] reads: a `T`, `null` or `""`.
fn or_blank<T: schemars::JsonSchema>(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let value = g.subschema_for::<Option<T>>();
    schemars::json_schema!({"anyOf": [value, {"const": ""}]})
}

/// An optional value, `null` or `""`.
struct OrBlank<T>(Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OrBlank<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<OrBlank<T>, D::Error> {
        d.deserialize_any(OrBlankVisitor(std::marker::PhantomData))
    }
}

struct OrBlankVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> de::Visitor<'de> for OrBlankVisitor<T> {
    type Value = OrBlank<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a value, `null` or `\"\"`")
    }

    fn visit_unit<E: de::Error>(self) -> Result<OrBlank<T>, E> {
        Ok(OrBlank(None))
    }

    fn visit_none<E: de::Error>(self) -> Result<OrBlank<T>, E> {
        Ok(OrBlank(None))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<OrBlank<T>, D::Error> {
        OrBlank::deserialize(d)
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<OrBlank<T>, E> {
        if s.is_empty() {
            return Ok(OrBlank(None));
        }
        T::deserialize(s.into_deserializer()).map(|v| OrBlank(Some(v)))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<OrBlank<T>, E> {
        T::deserialize(n.into_deserializer()).map(|v| OrBlank(Some(v)))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<OrBlank<T>, E> {
        T::deserialize(n.into_deserializer()).map(|v| OrBlank(Some(v)))
    }
}

impl From<Ticket> for TicketWire {
    fn from(t: Ticket) -> TicketWire {
        let k = &t.empty_keys;
        TicketWire {
            id: k.option(Key::Id, t.id),
            subject: k.option(Key::Subject, t.subject),
            description: k.option(Key::Description, t.description),
            status: t.status,
            priority: k.option(Key::Priority, t.priority),
            ticket_type: k.option(Key::Type, t.ticket_type),
            via: k.option(Key::Via, t.via),
            tags: k.list(Key::Tags, t.tags),
            group_id: k.option(Key::GroupId, t.group_id),
            assignee_id: k.option(Key::AssigneeId, t.assignee_id),
            requester_id: k.option(Key::RequesterId, t.requester_id),
            organization_id: k.option(Key::OrganizationId, t.organization_id),
            brand_id: k.option(Key::BrandId, t.brand_id),
            ticket_form_id: k.option(Key::TicketFormId, t.ticket_form_id),
            schedule_id: k.option(Key::ScheduleId, t.schedule_id),
            requester: k.option(Key::Requester, t.requester),
            organization: k.option(Key::Organization, t.organization),
            is_public: k.option(Key::IsPublic, t.is_public),
            recipient: k.option(Key::Recipient, t.recipient),
            custom_fields: k.list(Key::CustomFields, t.custom_fields),
            satisfaction_rating: k.option(Key::SatisfactionRating, t.satisfaction_rating),
            routing_channel: k.option(Key::RoutingChannel, t.routing_channel),
            messaging_session: k.option(Key::MessagingSession, t.messaging_session),
            created_at: k.option(Key::CreatedAt, t.created_at),
            updated_at: k.option(Key::UpdatedAt, t.updated_at),
            due_at: k.option(Key::DueAt, t.due_at),
            sla_next_breach_at: k.option(Key::SlaNextBreachAt, t.sla_next_breach_at),
            metric_set: k.option(Key::MetricSet, t.metric_set),
            status_entered_at: k.option(Key::StatusEnteredAt, t.status_entered_at),
            extra: t.extra,
        }
    }
}

/// Ticket status. The declaration order is Zendesk's order for `less_than` and
/// `greater_than`, so the derived `Ord` agrees with [`Status::rank`].
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[schemars(description = "Ticket status, in Zendesk's order for `less_than` and \
    `greater_than`: new < open < pending < hold < solved < closed.")]
pub enum Status {
    /// New: nobody has worked on it yet.
    #[default]
    New,
    /// Open: being worked on.
    Open,
    /// Pending: waiting for the requester.
    Pending,
    /// On-hold: waiting for a third party.
    Hold,
    /// Solved.
    Solved,
    /// Closed: no longer changes, and triggers do not run on it.
    Closed,
}

impl Status {
    /// Position in Zendesk's order new < open < pending < hold < solved < closed, from 0.
    pub fn rank(self) -> u8 {
        self as u8
    }

    /// The status category messaging conditions test; Closed counts as Solved.
    pub fn category(self) -> StatusCategory {
        match self {
            Status::New => StatusCategory::New,
            Status::Open => StatusCategory::Open,
            Status::Pending => StatusCategory::Pending,
            Status::Hold => StatusCategory::Hold,
            Status::Solved | Status::Closed => StatusCategory::Solved,
        }
    }
}

/// The status category (New, Open, Pending, On-hold, Solved): the grouping of statuses the
/// messaging-era conditions use.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum StatusCategory {
    /// New.
    New,
    /// Open.
    Open,
    /// Pending.
    Pending,
    /// On-hold.
    Hold,
    /// Solved, which includes Closed.
    Solved,
}

/// Ticket priority. "No priority" is `Option::None`, which `Option`'s own ordering already
/// puts below `Low`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[schemars(
    description = "Ticket priority, in Zendesk's order low < normal < high < urgent; \
    `null` (no priority) is below low."
)]
pub enum Priority {
    /// Low.
    Low,
    /// Normal.
    Normal,
    /// High.
    High,
    /// Urgent.
    Urgent,
}

impl Priority {
    /// Position in Zendesk's order, from 1 (low) to 4 (urgent); 0 is left for no priority
    /// (see [`priority_rank`]).
    pub fn rank(self) -> u8 {
        self as u8 + 1
    }
}

/// Position of an optional priority in Zendesk's order none < low < normal < high <
/// urgent: 0 for none, then 1 to 4.
pub fn priority_rank(priority: Option<Priority>) -> u8 {
    priority.map_or(0, Priority::rank)
}

/// Ticket type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketType {
    /// Question.
    Question,
    /// Incident (may be linked to a problem).
    Incident,
    /// Problem.
    Problem,
    /// Task (has a due date).
    Task,
}

/// How a ticket was created: Zendesk's `via` object.
#[derive(Debug, Clone, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Via {
    /// Zendesk's channel string: `web`, `email`, `api`, `chat`, `native_messaging`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Text>,
    /// The channel as Zendesk's `via_id` number (0 web form, 4 email, 5 API, 29 chat, 75
    /// native messaging), which is what the `via_id` condition compares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u32>,
    /// Every other key (`source`, ...), kept as given.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A user, as Zendesk sideloads it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct User {
    /// The user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// The primary email; whether it is known decides if an email CSAT can be sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Text>,
    /// The role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// User field values by key, which `requester.custom_fields.<key>` conditions read.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub user_fields: IndexMap<String, Value>,
    /// Every other key, kept as given.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A user's role. Trigger conditions spell the end user `end_user`; the Users API spells it
/// `end-user`, which is accepted too (and written back as `end_user`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A customer.
    #[serde(alias = "end-user")]
    EndUser,
    /// An agent.
    Agent,
    /// An administrator.
    Admin,
}

/// An organization, as Zendesk sideloads it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Organization {
    /// The organization id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// Organization field values by key, which `organization.custom_fields.<key>`
    /// conditions read.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub organization_fields: IndexMap<String, Value>,
    /// Every other key, kept as given.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One entry of Zendesk's `custom_fields` list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CustomField {
    /// The field id.
    pub id: u64,
    /// The value, of whatever JSON type the field has (string, number, boolean, list of
    /// option tags, `null`).
    #[serde(default)]
    pub value: Value,
    /// Every other key, kept as given.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Zendesk's `satisfaction_rating` object.
#[derive(Debug, Clone, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SatisfactionRating {
    /// The score.
    pub score: Satisfaction,
    /// Every other key (`id`, `comment`, `reason`, ...), kept as given.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A satisfaction score.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    /// No survey was sent.
    #[default]
    Unoffered,
    /// A survey was sent and not answered.
    Offered,
    /// Rated bad.
    Bad,
    /// Rated bad, with a comment.
    BadWithComment,
    /// Rated good.
    Good,
    /// Rated good, with a comment.
    GoodWithComment,
}

/// The channel omnichannel routing uses for a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoutingChannel {
    /// Routed as messaging: counts against the agent's messaging capacity.
    Messaging,
    /// Routed as email: counts against email capacity.
    Email,
}

/// The messaging session a messaging ticket belongs to (declic's model; Zendesk shows it
/// only through conditions).
#[derive(Debug, Clone, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct MessagingSession {
    /// The state as given; with an event time the engine may derive it instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<SessionState>,
    /// Why the session became inactive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactive_reason: Option<InactiveReason>,
    /// Why the session ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_reason: Option<EndReason>,
    /// When the session ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<Timestamp>,
    /// When the end user last wrote, from which inactivity is measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_end_user_activity_at: Option<Timestamp>,
    /// Every other key, kept as given.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Messaging session state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SessionState {
    /// The end user and agent are exchanging messages.
    Active,
    /// The end user has gone quiet, or the status is no longer New or Open.
    Inactive,
    /// The session is over; messaging triggers no longer run.
    Ended,
}

/// Why a messaging session became inactive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InactiveReason {
    /// The end user went quiet or offline.
    UserInactiveOrOffline,
    /// The ticket status left New/Open.
    StatusChanged,
    /// The end user did not reply.
    NoEndUserReply,
}

/// Why a messaging session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// An agent ended it.
    EndedByAgent,
    /// The End session trigger action ended it (declic's name for this value).
    EndedByTrigger,
    /// Messaging capacity auto-release ended it, at its last reminder (declic's name: the
    /// article gives the behaviour, not the value Zendesk records).
    CapacityReleased,
}

deserialize_keyed!(Ticket);
keyed_object!(Via, "a via object", required [], { "channel" => channel, "id" => id });
keyed_object!(User, "a user object", required [], {
    "id" => id,
    "email" => email,
    "role" => role,
    "user_fields" => user_fields,
});
keyed_object!(Organization, "an organization object", required [], {
    "id" => id,
    "organization_fields" => organization_fields,
});
keyed_object!(CustomField, "a custom field object", required ["id"], {
    "id" => id,
    "value" => value,
});
keyed_object!(SatisfactionRating, "a satisfaction rating object", required ["score"], {
    "score" => score,
});
keyed_object!(MessagingSession, "a messaging session object", required [], {
    "state" => state,
    "inactive_reason" => inactive_reason,
    "end_reason" => end_reason,
    "ended_at" => ended_at,
    "last_end_user_activity_at" => last_end_user_activity_at,
});

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn status_order_and_rank_agree() {
        use Status::*;
        let all = [New, Open, Pending, Hold, Solved, Closed];
        for (i, s) in all.iter().enumerate() {
            assert_eq!(usize::from(s.rank()), i, "{s:?}");
        }
        assert!(all.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(Status::default(), New);
    }

    #[test]
    fn status_category_counts_closed_as_solved() {
        use Status::*;
        let cats: Vec<_> = [New, Open, Pending, Hold, Solved, Closed]
            .map(Status::category)
            .to_vec();
        use StatusCategory as C;
        assert_eq!(
            cats,
            [C::New, C::Open, C::Pending, C::Hold, C::Solved, C::Solved]
        );
    }

    #[test]
    fn priority_order_puts_none_lowest() {
        use Priority::*;
        let all = [None, Some(Low), Some(Normal), Some(High), Some(Urgent)];
        for (i, p) in all.iter().enumerate() {
            assert_eq!(usize::from(priority_rank(*p)), i, "{p:?}");
        }
        // `Option`'s derived order agrees, so `<` on `Option<Priority>` is Zendesk's order.
        assert!(all.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn enums_use_api_strings() {
        assert_eq!(json!(Status::Hold), json!("hold"));
        assert_eq!(
            json!(Satisfaction::BadWithComment),
            json!("bad_with_comment")
        );
        assert_eq!(
            json!(InactiveReason::UserInactiveOrOffline),
            json!("user_inactive_or_offline")
        );
        assert_eq!(json!(EndReason::EndedByTrigger), json!("ended_by_trigger"));
        assert_eq!(
            json!(EndReason::CapacityReleased),
            json!("capacity_released")
        );
        let r: Role = serde_json::from_value(json!("end-user")).expect("Users API spelling");
        assert_eq!(r, Role::EndUser);
    }

    #[test]
    fn unknown_enum_value_names_the_expected_ones() {
        let err = serde_json::from_value::<Status>(json!("archived")).expect_err("unknown");
        let msg = err.to_string();
        assert!(msg.contains("unknown variant `archived`"), "{msg}");
        assert!(msg.contains("`pending`"), "{msg}");
    }

    #[test]
    fn sparse_ticket_gets_defaults_and_adds_nothing_but_status() {
        let t: Ticket = serde_json::from_value(json!({"subject": "Hi"})).expect("valid");
        assert_eq!(t.status, Status::New);
        assert!(t.tags.is_empty() && t.priority.is_none());
        assert_eq!(json!(t), json!({"subject": "Hi", "status": "new"}));
    }

    #[test]
    fn zendesk_ticket_round_trips_exactly() {
        let input = json!({
            "url": "https://example.zendesk.com/api/v2/tickets/35436.json",
            "id": 35436,
            "external_id": null,
            "via": {"channel": "web", "source": {"from": {}, "to": {}, "rel": null}},
            "created_at": "2024-05-02T09:30:00Z",
            "type": null,
            "subject": "Help, my printer is on fire!",
            "raw_subject": "Help, my printer is on fire!",
            "description": "The fire is very colorful.",
            "priority": "high",
            "status": "open",
            "recipient": null,
            "requester_id": 20978392,
            "submitter_id": 76872,
            "assignee_id": null,
            "organization_id": 509974,
            "group_id": 98738,
            "collaborator_ids": [35334, 234],
            "follower_ids": [],
            "forum_topic_id": null,
            "has_incidents": false,
            "is_public": true,
            "due_at": null,
            "tags": [],
            "custom_fields": [
                {"id": 27642, "value": "745"},
                {"id": 27648, "value": 12.5},
                {"id": 27649, "value": true},
                {"id": 27650, "value": ["a", "b"]},
                {"id": 27651, "value": null},
                {"id": 27652, "value": {"nested": [1, 2]}}
            ],
            "satisfaction_rating": {"id": 1234, "score": "good", "comment": "Great support!"},
            "sharing_agreement_ids": [84432],
            "ticket_form_id": null,
            "brand_id": 1,
            "allow_channelback": false,
            "requester": {"id": 20978392, "email": "jo@example.com", "role": "end_user",
                          "name": "Jo", "locale": null},
            "organization": {"id": 509974, "name": "Acme",
                             "organization_fields": {"tier": "gold", "seats": 40}},
            "messaging_session": {"state": "active", "zendesk_conversation_id": "abc"},
            "routing_channel": "messaging"
        });
        let t: Ticket = serde_json::from_value(input.clone()).expect("valid");
        assert_eq!(t.priority, Some(Priority::High));
        assert_eq!(t.custom_field(27648), Some(&json!(12.5)));
        assert_eq!(t.satisfaction(), Satisfaction::Good);
        assert_eq!(t.extra.read("collaborator_ids"), Some(json!([35334, 234])));
        assert_eq!(serde_json::to_value(&t).expect("serializes"), input);
    }

    #[test]
    fn an_empty_field_set_later_is_written_with_its_value() {
        let mut t: Ticket =
            serde_json::from_value(json!({"priority": null, "tags": []})).expect("valid");
        t.priority = Some(Priority::Urgent);
        t.tags.push("vip".into());
        assert_eq!(
            json!(t),
            json!({"priority": "urgent", "tags": ["vip"], "status": "new"})
        );
        // Formatting memory does not make otherwise equal tickets differ.
        let u: Ticket =
            serde_json::from_value(json!({"priority": "urgent", "tags": ["vip"]})).expect("valid");
        assert_eq!(t, u);
    }

    #[test]
    fn objects_without_unknown_keys_share_one_empty_map() {
        let a: Ticket = serde_json::from_value(json!({"via": {"id": 75}})).expect("valid");
        let mut b: Ticket = serde_json::from_value(json!({"id": 2})).expect("valid");
        assert!(a.extra.shares_with(&b.extra));
        assert!(a.extra.shares_with(&a.via.as_ref().expect("via").extra));
        b.extra.set("url", &json!("u"));
        assert!(a.extra.is_empty(), "a write copies the shared map first");
        let c: Ticket = serde_json::from_value(json!({"url": "u"})).expect("valid");
        assert_eq!(c.extra.read("url"), Some(json!("u")));
    }

    #[test]
    fn a_repeated_key_is_written_back_as_its_last_value() {
        let t: Ticket = serde_json::from_str(
            r#"{"priority": null, "priority": "high",
            "tags": null, "tags": [], "type": "task", "type": null}"#,
        )
        .expect("valid");
        assert_eq!(
            json!(t),
            json!({"priority": "high", "tags": [], "type": null, "status": "new"})
        );
    }

    #[test]
    fn an_empty_string_is_no_value_like_null() {
        let cases = [
            (
                json!({"group_id": ""}),
                json!({"group_id": null, "status": "new"}),
            ),
            (
                json!({"assignee_id": ""}),
                json!({"assignee_id": null, "status": "new"}),
            ),
            (
                json!({"organization_id": ""}),
                json!({"organization_id": null, "status": "new"}),
            ),
            (
                json!({"priority": ""}),
                json!({"priority": null, "status": "new"}),
            ),
            (json!({"type": ""}), json!({"type": null, "status": "new"})),
        ];
        for (input, back) in cases {
            let t: Ticket = serde_json::from_value(input.clone()).expect("valid");
            assert_eq!(t, Ticket::default(), "{input}");
            assert_eq!(json!(t), back);
        }
        let t: Ticket =
            serde_json::from_value(json!({"group_id": 5, "priority": "high", "type": "task"}))
                .expect("valid");
        assert_eq!((t.group_id, t.priority), (Some(5), Some(Priority::High)));
        assert_eq!(t.ticket_type, Some(TicketType::Task));
        // A text that is not empty is no id, and an unknown priority is still an error.
        for bad in [
            json!({"group_id": "5"}),
            json!({"priority": "huge"}),
            json!({"group_id": -1}),
        ] {
            assert!(
                serde_json::from_value::<Ticket>(bad.clone()).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn null_list_is_written_back_as_null() {
        let t: Ticket = serde_json::from_value(json!({"tags": null})).expect("valid");
        assert!(t.tags.is_empty());
        assert_eq!(json!(t), json!({"tags": null, "status": "new"}));
    }
}
