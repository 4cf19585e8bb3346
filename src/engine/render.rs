//! Placeholders (`{{ticket.id}}`, `{{ticket.requester.name}}`) in notifications, webhook
//! bodies and comments, rendered once the cycle ends against the final ticket and the
//! update that brought it, as Zendesk renders them.
//!
//! A value is read only from what the event carries: the ticket and its sideloaded people
//! (`requester`, and `assignee`, `submitter`, `group` objects beside the ids), the update's
//! comment, author and time. A placeholder the event cannot fill in, or one declic does
//! not know, is left as written and listed in the outcome's warnings: never dropped.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::Value;

use super::compile::{Act, Trigger};
use super::field_tags::FieldTags;
use crate::catalog::values;
use crate::model::{Effect, Event, Ticket, Timestamp, Warning};

/// The placeholders declic fills in, for documentation and tests. `<id>` stands for a
/// custom field's id.
pub const PLACEHOLDERS: &[&str] = &[
    "ticket.id",
    "ticket.title",
    "ticket.description",
    "ticket.status",
    "ticket.priority",
    "ticket.ticket_type",
    "ticket.tags",
    "ticket.via",
    "ticket.url",
    "ticket.link",
    "ticket.created_at",
    "ticket.created_at_with_timestamp",
    "ticket.updated_at",
    "ticket.updated_at_with_timestamp",
    "ticket.group.id",
    "ticket.group.name",
    "ticket.organization.id",
    "ticket.organization.name",
    "ticket.brand.id",
    "ticket.requester.id",
    "ticket.requester.name",
    "ticket.requester.first_name",
    "ticket.requester.email",
    "ticket.assignee.id",
    "ticket.assignee.name",
    "ticket.assignee.first_name",
    "ticket.assignee.email",
    "ticket.submitter.id",
    "ticket.submitter.name",
    "ticket.submitter.first_name",
    "ticket.submitter.email",
    "current_user.id",
    "current_user.name",
    "current_user.first_name",
    "current_user.email",
    "ticket.ticket_field_<id>",
    "ticket.ticket_field_option_title_<id>",
    "ticket.latest_comment",
    "ticket.latest_public_comment",
    "ticket.comments_formatted",
    "satisfaction.rating_section",
];

/// Why a placeholder declic does not know is left as written.
const UNKNOWN: &str = "declic does not know this placeholder";

/// The code of the outcome's warning for a placeholder left as written.
pub const UNRENDERED: &str = "unrendered_placeholder";

/// The text that stands for `{{satisfaction.rating_section}}`: Zendesk's links carry a
/// token only it can make, so the section is the question and its two answers.
const RATING_SECTION: &str =
    "How would you rate the support you received?\n\nGood, I'm satisfied\nBad, I'm unsatisfied";

/// What separates two comments in `{{ticket.comments_formatted}}`.
const COMMENT_RULE: &str = "\n\n----------------------------------------------\n\n";

/// Renders every text of every effect in place, from the ticket after the cycle, its
/// event and, when given, the account's fields (for option titles); one warning for each
/// placeholder left as written, however often it appears.
pub(crate) fn render_effects(
    effects: &mut [Effect],
    (t, event): (&Ticket, &Event),
    links: Option<&FieldTags>,
) -> Vec<Warning> {
    let cx = Context {
        ticket: t,
        event: Some(event),
        links,
    };
    let mut left: BTreeMap<String, String> = BTreeMap::new();
    for text in effects.iter_mut().flat_map(texts_mut) {
        if text.contains("{{") {
            *text = cx.render(text, &mut left);
        }
    }
    left.into_iter()
        .map(|(placeholder, why)| Warning {
            code: UNRENDERED.to_owned(),
            message: format!("`{placeholder}` is left as written: {why}"),
        })
        .collect()
}

/// The texts of an effect that placeholders may stand in.
fn texts_mut(e: &mut Effect) -> Vec<&mut String> {
    match e {
        Effect::Notification { subject, body, .. }
        | Effect::GroupNotification { subject, body, .. }
        | Effect::SideConversation { subject, body, .. } => vec![subject, body],
        Effect::Webhook { body, params, .. } => std::iter::once(body)
            .chain(params.iter_mut().map(|[_, value]| value))
            .collect(),
        Effect::Reply { body, .. } | Effect::Message { body, .. } => vec![body],
        Effect::Target { message, .. } => vec![message],
        _ => Vec::new(),
    }
}

/// Whether any text of `effects` holds a placeholder, and so needs the final ticket to
/// be rendered. (Mutable only to share [`texts_mut`] with the rendering itself.)
pub(crate) fn any_placeholder(effects: &mut [Effect]) -> bool {
    effects
        .iter_mut()
        .flat_map(texts_mut)
        .any(|text| text.contains("{{"))
}

/// The texts of an action that become an effect's, where placeholders may stand.
fn action_texts(a: &Act) -> Vec<&str> {
    match a {
        Act::NotifyUser { subject, body, .. }
        | Act::NotifyGroup { subject, body, .. }
        | Act::SideConversation { subject, body, .. } => vec![subject, body],
        Act::Webhook { body, params, .. } => std::iter::once(body.as_str())
            .chain(params.iter().map(|[_, value]| value.as_str()))
            .collect(),
        Act::Reply { body, .. } | Act::SendMessage(body) => vec![body],
        Act::Target { message, .. } => vec![message],
        _ => Vec::new(),
    }
}

/// Whether no action of `triggers` has a placeholder in its texts.
pub(crate) fn no_placeholders(triggers: &[Trigger]) -> bool {
    let actions = triggers.iter().flat_map(|t| &t.actions);
    !actions
        .flat_map(action_texts)
        .any(|text| text.contains("{{"))
}

/// `text` with each placeholder the ticket alone fills in replaced by its value; the
/// others (those that need the update, and unknown ones) are left as written.
pub fn render(text: &str, t: &Ticket) -> String {
    let cx = Context {
        ticket: t,
        event: None,
        links: None,
    };
    cx.render(text, &mut BTreeMap::new())
}

/// What placeholders are read from: the ticket after the cycle, the event, and the
/// account's fields tied to tags.
struct Context<'a> {
    ticket: &'a Ticket,
    event: Option<&'a Event>,
    links: Option<&'a FieldTags>,
}

/// Why a placeholder was left as written.
type Why = String;

impl Context<'_> {
    /// Renders `text`; each placeholder left as written goes into `left`, with why.
    fn render(&self, text: &str, left: &mut BTreeMap<String, Why>) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find("{{") {
            out.push_str(&rest[..open]);
            let after = &rest[open + 2..];
            let Some(close) = after.find("}}") else {
                rest = &rest[open..];
                break;
            };
            let whole = &rest[open..open + 2 + close + 2];
            match self.expression(&after[..close]) {
                Ok(value) => out.push_str(&value),
                Err(why) => {
                    out.push_str(whole);
                    left.entry(whole.to_owned()).or_insert(why);
                }
            }
            rest = &after[close + 2..];
        }
        out.push_str(rest);
        out
    }

    /// The value of `name | filter | ...`, Liquid's form; spaces around the parts do not
    /// count.
    fn expression(&self, inner: &str) -> Result<String, Why> {
        let mut parts = inner.split('|').map(str::trim);
        let name = parts.next().unwrap_or_default();
        let mut value = self.value(name)?;
        for filter in parts {
            value = match filter {
                "upcase" => value.to_uppercase(),
                "downcase" => value.to_lowercase(),
                "capitalize" => capitalize(&value),
                "strip" => value.trim().to_owned(),
                _ => return Err(format!("declic does not apply the filter `{filter}`")),
            };
        }
        Ok(value)
    }

    /// The value of placeholder `name`, or why it cannot be given.
    fn value(&self, name: &str) -> Result<String, Why> {
        let t = self.ticket;
        let id = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
        if let Some(rest) = name.strip_prefix("ticket.ticket_field_option_title_") {
            return self.option_title(rest);
        }
        if let Some(rest) = name.strip_prefix("ticket.ticket_field_") {
            return custom_field(t, rest);
        }
        for (prefix, role) in [
            ("ticket.requester.", Role::Requester),
            ("ticket.assignee.", Role::Assignee),
            ("ticket.submitter.", Role::Submitter),
            ("current_user.", Role::CurrentUser),
        ] {
            if let Some(property) = name.strip_prefix(prefix) {
                return self.person(role, property);
            }
        }
        Ok(match name {
            "ticket.id" => id(t.id),
            "ticket.title" => t.subject.as_deref().unwrap_or("").to_owned(),
            "ticket.description" => t.description.as_deref().unwrap_or("").to_owned(),
            // Zendesk renders the status as its label ("Open"), not its API value.
            "ticket.status" => values::STATUS[t.status.rank() as usize].names.en[0].to_owned(),
            "ticket.priority" => {
                let rank = crate::model::priority_rank(t.priority) as usize;
                if rank > 0 {
                    values::PRIORITY[rank].names.en[0].to_owned()
                } else {
                    String::new()
                }
            }
            "ticket.ticket_type" => t
                .ticket_type
                .map(|x| values::TICKET_TYPE[x as usize + 1].names.en[0].to_owned())
                .unwrap_or_default(),
            "ticket.tags" => t.tags.join(" "),
            "ticket.via" => t
                .via
                .as_ref()
                .and_then(|v| v.channel.as_deref())
                .unwrap_or("")
                .to_owned(),
            "ticket.group.id" => id(t.group_id),
            "ticket.organization.id" => id(t.organization_id),
            "ticket.brand.id" => id(t.brand_id),
            "ticket.group.name" => self.sideloaded_name("group", t.group_id, |t| t.group_id)?,
            "ticket.organization.name" => self.organization_name()?,
            "ticket.url" => self.agent_url()?,
            "ticket.link" => format!("https://{}", self.agent_url()?),
            "ticket.created_at" => date(self.created_at()?),
            "ticket.created_at_with_timestamp" => timestamp(self.created_at()?),
            "ticket.updated_at" => date(self.update_time()?),
            "ticket.updated_at_with_timestamp" => timestamp(self.update_time()?),
            "ticket.latest_comment" => self.latest_comment(false)?,
            "ticket.latest_public_comment" => self.latest_comment(true)?,
            "ticket.comments_formatted" => self.comments_formatted()?,
            "satisfaction.rating_section" => RATING_SECTION.to_owned(),
            "ticket.account" => return Err("the event does not carry the account's name".into()),
            _ => return Err(UNKNOWN.into()),
        })
    }

    /// The event, or why a placeholder that needs it cannot be rendered.
    fn event(&self) -> Result<&Event, Why> {
        self.event
            .ok_or_else(|| "it needs the update, and only the ticket was given".to_owned())
    }

    /// A property of one of the ticket's people.
    fn person(&self, role: Role, property: &str) -> Result<String, Why> {
        let Some(user) = self.user(role)? else {
            // No assignee (or submitter) at all: Zendesk renders nothing.
            return Ok(String::new());
        };
        let name = || {
            string(user.get("name"))
                .ok_or_else(|| format!("the event does not give the {}'s name", role.noun()))
        };
        match property {
            "id" => Ok(user.get("id").map(json_text).unwrap_or_default()),
            "name" => name(),
            // Zendesk splits the full name at its first space.
            "first_name" => Ok(name()?.split_whitespace().next().unwrap_or("").to_owned()),
            "email" => string(user.get("email"))
                .ok_or_else(|| format!("the event does not give the {}'s email", role.noun())),
            _ => Err(UNKNOWN.into()),
        }
    }

    /// The user in `role` as a JSON object: `None` when the ticket has no such person,
    /// an error when it has one the event does not describe.
    fn user(&self, role: Role) -> Result<Option<serde_json::Map<String, Value>>, Why> {
        let t = self.ticket;
        let before = self.event.map(|e| &*e.ticket);
        let missing = || format!("the event does not describe the {}", role.noun());
        match role {
            Role::Requester => {
                let Some(r) = &t.requester else {
                    return Err(missing());
                };
                let object = as_object(&serde_json::to_value(r).map_err(|e| e.to_string())?);
                same_person(object, t.requester_id, before.map(|b| b.requester_id))
                    .ok_or_else(missing)
                    .map(Some)
            }
            Role::Assignee | Role::Submitter => {
                let key = role.key();
                let now = match role {
                    Role::Assignee => t.assignee_id,
                    _ => t.extra.read::<u64>("submitter_id"),
                };
                let was = before.map(|b| match role {
                    Role::Assignee => b.assignee_id,
                    _ => b.extra.read::<u64>("submitter_id"),
                });
                let object = t.extra.read::<Value>(key).map(|v| as_object(&v));
                if now.is_none() && object.is_none() {
                    return Ok(None);
                }
                object
                    .and_then(|o| same_person(o, now, was))
                    .ok_or_else(missing)
                    .map(Some)
            }
            Role::CurrentUser => {
                let actor = self.event()?.update.actor.as_ref();
                let Some(actor_id) = actor.and_then(|a| a.id) else {
                    return Err("the update does not say who made it".into());
                };
                // The update's author, when one of the ticket's people is that user.
                [Role::Requester, Role::Assignee, Role::Submitter]
                    .into_iter()
                    .filter_map(|r| self.user(r).ok().flatten())
                    .find(|u| u.get("id").and_then(Value::as_u64) == Some(actor_id))
                    .map(Some)
                    .ok_or_else(missing)
            }
        }
    }

    /// The name of a sideloaded object (`group`), when it is the one the ticket has now.
    fn sideloaded_name(
        &self,
        key: &str,
        now: Option<u64>,
        of: impl Fn(&Ticket) -> Option<u64>,
    ) -> Result<String, Why> {
        if now.is_none() {
            return Ok(String::new());
        }
        let was = self.event.map(|e| of(&e.ticket));
        self.ticket
            .extra
            .read::<Value>(key)
            .and_then(|v| same_person(as_object(&v), now, was))
            .and_then(|o| string(o.get("name")))
            .ok_or_else(|| format!("the event does not give the {key}'s name"))
    }

    fn organization_name(&self) -> Result<String, Why> {
        let t = self.ticket;
        if t.organization_id.is_none() {
            return Ok(String::new());
        }
        let was = self.event.map(|e| e.ticket.organization_id);
        t.organization
            .as_ref()
            .and_then(|o| serde_json::to_value(o).ok())
            .and_then(|v| same_person(as_object(&v), t.organization_id, was))
            .and_then(|o| string(o.get("name")))
            .ok_or_else(|| "the event does not give the organization's name".to_owned())
    }

    /// `acme.zendesk.com/agent/tickets/12`, from the ticket's API `url`.
    fn agent_url(&self) -> Result<String, Why> {
        let t = self.ticket;
        let host = t
            .extra
            .read::<String>("url")
            .and_then(|url| {
                let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
                rest.split('/').next().map(str::to_owned)
            })
            .filter(|h| !h.is_empty());
        match (host, t.id) {
            (Some(host), Some(id)) => Ok(format!("{host}/agent/tickets/{id}")),
            _ => Err("the ticket has no API `url` and id to make it from".into()),
        }
    }

    /// When the ticket was created: its `created_at`, or the update's time when the update
    /// creates it.
    fn created_at(&self) -> Result<Timestamp, Why> {
        if let Some(at) = self.ticket.created_at {
            return Ok(at);
        }
        let event = self.event()?;
        match event.update.time {
            Some(at) if event.is_create() => Ok(at),
            _ => Err("the ticket has no `created_at`".into()),
        }
    }

    fn update_time(&self) -> Result<Timestamp, Why> {
        self.event()?
            .update
            .time
            .ok_or_else(|| "the update has no `time`".to_owned())
    }

    /// The comments the event carries, oldest first, when they are all the ticket's
    /// comments: those of the ticket's `comments` list then the update's, or on the update
    /// that creates the ticket its comment (or description) alone.
    fn comments(&self) -> Result<Vec<Comment>, Why> {
        let event = self.event()?;
        let mut out: Vec<Comment> = match self.ticket.extra.read::<Vec<Value>>("comments") {
            Some(list) => list.iter().filter_map(Comment::of_json).collect(),
            None if event.is_create() => Vec::new(),
            None => {
                return Err(
                    "the event carries only this update's comment: give the ticket's `comments` to render every one"
                        .into(),
                )
            }
        };
        match &event.update.comment {
            Some(c) => out.push(Comment {
                body: c.body.clone(),
                public: c.public,
                author: event.update.actor.as_ref().and_then(|a| a.id),
                at: event.update.time,
            }),
            None if out.is_empty() => {
                out.extend(self.ticket.description.as_deref().map(|d| Comment {
                    body: d.to_owned(),
                    public: self.ticket.is_public.unwrap_or(true),
                    author: self.ticket.requester_id,
                    at: event.update.time,
                }))
            }
            None => {}
        }
        Ok(out)
    }

    /// The newest comment (the newest public one when `public`): the update's when it
    /// has one of that kind, else the newest the event carries.
    fn latest_comment(&self, public: bool) -> Result<String, Why> {
        let event = self.event()?;
        if let Some(c) = &event.update.comment {
            if c.public || !public {
                return Ok(c.body.clone());
            }
        }
        let comments = self.comments()?;
        Ok(comments
            .iter()
            .rev()
            .find(|c| c.public || !public)
            .map(|c| c.body.clone())
            .unwrap_or_default())
    }

    /// Every comment, newest first, each under its author's name and date when known.
    fn comments_formatted(&self) -> Result<String, Why> {
        let comments = self.comments()?;
        let parts: Vec<String> = comments
            .iter()
            .rev()
            .map(|c| {
                let author = c.author.and_then(|id| self.name_of(id));
                let heading: Vec<String> = author.into_iter().chain(c.at.map(date_time)).collect();
                if heading.is_empty() {
                    c.body.clone()
                } else {
                    format!("{}\n\n{}", heading.join(", "), c.body)
                }
            })
            .collect();
        Ok(parts.join(COMMENT_RULE))
    }

    /// The name of user `id`, when one of the ticket's people is that user.
    fn name_of(&self, id: u64) -> Option<String> {
        [Role::Requester, Role::Assignee, Role::Submitter]
            .into_iter()
            .filter_map(|r| self.user(r).ok().flatten())
            .find(|u| u.get("id").and_then(Value::as_u64) == Some(id))
            .and_then(|u| string(u.get("name")))
    }

    /// The title of the selected option of a drop-down; a multi-select's titles joined
    /// by commas **(declic decision)**.
    fn option_title(&self, id: &str) -> Result<String, Why> {
        let value = custom_field(self.ticket, id)?;
        if value.is_empty() {
            return Ok(value);
        }
        let links = self.links.filter(|l| !l.is_empty()).ok_or(
            "option titles are in the account's ticket fields, which the run was not given \
             (`--account DIR`)",
        )?;
        let id: u64 = id.parse().map_err(|_| UNKNOWN.to_owned())?;
        let titles = links
            .option_titles(id, self.ticket.custom_field(id))
            .ok_or_else(|| {
                format!("the account's ticket fields have no drop-down or multi-select {id}")
            })?;
        if titles.is_empty() {
            return Err(format!(
                "`{value}` is not an option of field {id} in the account's ticket fields"
            ));
        }
        Ok(titles.join(", "))
    }
}

/// The people a placeholder may name.
#[derive(Debug, Clone, Copy)]
enum Role {
    Requester,
    Assignee,
    Submitter,
    CurrentUser,
}

impl Role {
    /// The ticket key that sideloads it.
    fn key(self) -> &'static str {
        match self {
            Role::Requester => "requester",
            Role::Assignee => "assignee",
            Role::Submitter => "submitter",
            Role::CurrentUser => "current_user",
        }
    }

    /// Its name in messages.
    fn noun(self) -> &'static str {
        match self {
            Role::CurrentUser => "current user",
            other => other.key(),
        }
    }
}

/// One comment, from the update or the ticket's `comments` list.
struct Comment {
    body: String,
    public: bool,
    author: Option<u64>,
    at: Option<Timestamp>,
}

impl Comment {
    /// A comment object as Zendesk's comments API gives it.
    fn of_json(v: &Value) -> Option<Comment> {
        let body = string(v.get("plain_body")).or_else(|| string(v.get("body")))?;
        Some(Comment {
            body,
            public: v.get("public").and_then(Value::as_bool).unwrap_or(true),
            author: v.get("author_id").and_then(Value::as_u64),
            at: string(v.get("created_at")).and_then(|s| s.parse().ok()),
        })
    }
}

/// `object` when it describes the person (or group, organization) the ticket has `now`:
/// its `id` is that one, or it has no id and the ticket's did not change in the cycle.
fn same_person(
    object: serde_json::Map<String, Value>,
    now: Option<u64>,
    was: Option<Option<u64>>,
) -> Option<serde_json::Map<String, Value>> {
    let fits = match object.get("id").and_then(Value::as_u64) {
        Some(id) => Some(id) == now,
        None => was.is_none_or(|was| was == now),
    };
    fits.then_some(object)
}

fn as_object(v: &Value) -> serde_json::Map<String, Value> {
    v.as_object().cloned().unwrap_or_default()
}

fn string(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_owned)
}

/// A JSON scalar as text: a string without its quotes.
fn json_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Array(items) => items.iter().map(json_text).collect::<Vec<_>>().join(" "),
        other => other.to_string(),
    }
}

/// The value of custom field `id` (digits): its text, a multi-select's options joined by
/// spaces, nothing when the field is empty or not listed.
fn custom_field(t: &Ticket, id: &str) -> Result<String, Why> {
    let id: u64 = id.parse().map_err(|_| UNKNOWN.to_owned())?;
    Ok(t.custom_field(id).map(json_text).unwrap_or_default())
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A date as Zendesk writes it in notifications, in UTC: `May 18, 2024`.
fn date(at: Timestamp) -> String {
    at.0.to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%B %-d, %Y")
        .to_string()
}

/// A date and time, in UTC: `May 18, 2024, 09:30`.
fn date_time(at: Timestamp) -> String {
    let mut out = date(at);
    let zoned = at.0.to_zoned(jiff::tz::TimeZone::UTC);
    // Writing to a String cannot fail.
    let _ = write!(out, ", {}", zoned.strftime("%H:%M"));
    out
}

/// An instant as ISO 8601, to the minute: `2024-05-18T09:30Z`.
fn timestamp(at: Timestamp) -> String {
    at.0.to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%Y-%m-%dT%H:%MZ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// An update by the assignee on a ticket whose people, group and organization are
    /// sideloaded, with earlier comments listed.
    fn full() -> Event {
        serde_json::from_value(json!({
            "ticket": {
                "id": 12, "url": "https://acme.zendesk.com/api/v2/tickets/12.json",
                "subject": "Refund", "description": "Please refund me",
                "status": "open", "priority": "high", "type": "question",
                "tags": ["vip", "refund"], "created_at": "2024-05-02T09:30:00Z",
                "group_id": 4, "group": {"id": 4, "name": "Billing"},
                "organization_id": 6, "organization": {"id": 6, "name": "Globex"},
                "requester_id": 1,
                "requester": {"id": 1, "name": "Ann Lee", "email": "ann@example.com"},
                "assignee_id": 2,
                "assignee": {"id": 2, "name": "Bob Stone", "email": "bob@acme.test"},
                "submitter_id": 3,
                "submitter": {"id": 3, "name": "Cy Vance", "email": "cy@acme.test"},
                "custom_fields": [
                    {"id": 30, "value": "gold_plan"},
                    {"id": 31, "value": ["a", "b"]},
                    {"id": 32, "value": 3.5},
                    {"id": 33, "value": null}
                ],
                "comments": [
                    {"body": "Please refund me", "public": true, "author_id": 1,
                     "created_at": "2024-05-02T09:30:00Z"},
                    {"body": "Checking with finance", "public": false, "author_id": 2,
                     "created_at": "2024-05-03T10:00:00Z"}
                ]
            },
            "previous": {"id": 12, "status": "open", "assignee_id": 2, "group_id": 4,
                         "organization_id": 6, "requester_id": 1},
            "update": {
                "actor": {"id": 2, "role": "agent"},
                "comment": {"body": "Refunded today", "public": true},
                "time": "2024-05-04T16:05:00Z"
            }
        }))
        .expect("the test event reads")
    }

    fn rendered(event: &Event, text: &str) -> (String, BTreeMap<String, Why>) {
        rendered_with(event, text, None)
    }

    fn rendered_with(
        event: &Event,
        text: &str,
        links: Option<&FieldTags>,
    ) -> (String, BTreeMap<String, Why>) {
        let cx = Context {
            ticket: &event.ticket,
            event: Some(event),
            links,
        };
        let mut left = BTreeMap::new();
        (cx.render(text, &mut left), left)
    }

    /// The account's fields of [`full`]'s custom fields: drop-down 30, multi-select 31,
    /// and a drop-down 34 that the ticket holds an option of the account does not list.
    pub(super) fn account() -> crate::account::Account {
        crate::engine::tests::account_of(
            r#"{"ticket_fields": [
            {"id": 30, "type": "tagger", "title": "Plan", "removable": true,
             "custom_field_options": [{"name": "Silver", "value": "silver_plan"},
                                      {"name": "Gold", "value": "gold_plan"}]},
            {"id": 31, "type": "multiselect", "title": "Parts", "removable": true,
             "custom_field_options": [{"name": "Part A", "value": "a"},
                                      {"name": "Part B", "value": "b"},
                                      {"name": "Part C", "value": "c"}]},
            {"id": 34, "type": "tagger", "title": "Region", "removable": true,
             "custom_field_options": [{"name": "Europe", "value": "eu"}]}
        ]}"#,
        )
    }

    #[test]
    fn option_titles_come_from_the_account_and_values_from_the_ticket() {
        let mut event = full();
        let ticket = std::sync::Arc::make_mut(&mut event.ticket);
        let region = serde_json::from_value(json!({"id": 34, "value": "us"})).expect("a field");
        ticket.custom_fields.push(region);
        let links = FieldTags::new(&account());
        let with = |placeholder: &str| {
            rendered_with(&event, &format!("{{{{{placeholder}}}}}"), Some(&links))
        };
        for (placeholder, expected) in [
            ("ticket.ticket_field_option_title_30", "Gold"),
            ("ticket.ticket_field_option_title_31", "Part A, Part B"),
            ("ticket.ticket_field_option_title_33", ""),
            // The field's own placeholder is the option's value (its tag), as in Zendesk.
            ("ticket.ticket_field_30", "gold_plan"),
        ] {
            let (text, left) = with(placeholder);
            assert_eq!(text, expected, "{placeholder}: {left:?}");
        }
        // Near misses: a value the account does not list, a field it does not have (32 is
        // a number), and no account at all, are left as written with why.
        for (placeholder, why, links) in [
            (
                "ticket.ticket_field_option_title_34",
                "`us` is not an option",
                Some(&links),
            ),
            (
                "ticket.ticket_field_option_title_32",
                "no drop-down or multi-select 32",
                Some(&links),
            ),
            (
                "ticket.ticket_field_option_title_30",
                "`--account DIR`",
                None,
            ),
        ] {
            let written = format!("{{{{{placeholder}}}}}");
            let (text, left) = rendered_with(&event, &written, links);
            assert_eq!(text, written, "{placeholder}");
            let reason = left.get(&written).map(String::as_str).unwrap_or_default();
            assert!(reason.contains(why), "{placeholder}: {left:?}");
        }
    }

    #[test]
    fn every_placeholder_is_rendered_from_the_event() {
        let event = full();
        for (placeholder, expected) in [
            ("ticket.id", "12"),
            ("ticket.title", "Refund"),
            ("ticket.description", "Please refund me"),
            ("ticket.status", "Open"),
            ("ticket.priority", "High"),
            ("ticket.ticket_type", "Question"),
            ("ticket.tags", "vip refund"),
            ("ticket.url", "acme.zendesk.com/agent/tickets/12"),
            ("ticket.link", "https://acme.zendesk.com/agent/tickets/12"),
            ("ticket.created_at", "May 2, 2024"),
            ("ticket.created_at_with_timestamp", "2024-05-02T09:30Z"),
            ("ticket.updated_at", "May 4, 2024"),
            ("ticket.updated_at_with_timestamp", "2024-05-04T16:05Z"),
            ("ticket.group.id", "4"),
            ("ticket.group.name", "Billing"),
            ("ticket.organization.id", "6"),
            ("ticket.organization.name", "Globex"),
            ("ticket.requester.id", "1"),
            ("ticket.requester.name", "Ann Lee"),
            ("ticket.requester.first_name", "Ann"),
            ("ticket.requester.email", "ann@example.com"),
            ("ticket.assignee.id", "2"),
            ("ticket.assignee.name", "Bob Stone"),
            ("ticket.assignee.first_name", "Bob"),
            ("ticket.assignee.email", "bob@acme.test"),
            ("ticket.submitter.name", "Cy Vance"),
            ("ticket.submitter.first_name", "Cy"),
            ("ticket.submitter.email", "cy@acme.test"),
            ("current_user.name", "Bob Stone"),
            ("current_user.first_name", "Bob"),
            ("current_user.email", "bob@acme.test"),
            ("ticket.ticket_field_30", "gold_plan"),
            ("ticket.ticket_field_31", "a b"),
            ("ticket.ticket_field_32", "3.5"),
            ("ticket.ticket_field_33", ""),
            ("ticket.ticket_field_99", ""),
            ("ticket.ticket_field_option_title_33", ""),
            ("ticket.latest_comment", "Refunded today"),
            ("ticket.latest_public_comment", "Refunded today"),
            (
                "ticket.comments_formatted",
                "Bob Stone, May 4, 2024, 16:05\n\nRefunded today\n\n\
                 ----------------------------------------------\n\n\
                 Bob Stone, May 3, 2024, 10:00\n\nChecking with finance\n\n\
                 ----------------------------------------------\n\n\
                 Ann Lee, May 2, 2024, 09:30\n\nPlease refund me",
            ),
            ("satisfaction.rating_section", RATING_SECTION),
        ] {
            let (text, left) = rendered(&event, &format!("[{{{{{placeholder}}}}}]"));
            assert_eq!(text, format!("[{expected}]"), "{placeholder}");
            assert!(left.is_empty(), "{placeholder}: {left:?}");
        }
    }

    #[test]
    fn spaces_and_liquid_filters_are_tolerated() {
        let event = full();
        for (text, expected) in [
            ("{{ ticket.id }}", "12"),
            ("{{ticket.requester.first_name | upcase}}", "ANN"),
            ("{{ ticket.title|downcase }}", "refund"),
            (
                "{{ticket.ticket_field_30 | capitalize | strip}}",
                "Gold_plan",
            ),
        ] {
            assert_eq!(
                rendered(&event, text),
                (expected.to_owned(), BTreeMap::new())
            );
        }
    }

    #[test]
    fn nobody_and_nothing_render_empty() {
        let event: Event = serde_json::from_value(json!({"ticket": {"id": 5}})).expect("reads");
        for placeholder in [
            "ticket.assignee.name",
            "ticket.submitter.email",
            "ticket.group.name",
            "ticket.organization.name",
            "ticket.priority",
        ] {
            let (text, left) = rendered(&event, &format!("{{{{{placeholder}}}}}"));
            assert_eq!((text.as_str(), left.len()), ("", 0), "{placeholder}");
        }
    }

    #[test]
    fn what_the_event_does_not_carry_is_left_as_written_with_why() {
        let mut event = full();
        // A trigger assigned someone the event does not describe; the update has a
        // private comment and no author id.
        let ticket = std::sync::Arc::make_mut(&mut event.ticket);
        ticket.assignee_id = Some(9);
        ticket.extra.make_mut().shift_remove("comments");
        event.update.comment = Some(crate::model::Comment {
            body: "note".into(),
            public: false,
            ..Default::default()
        });
        event.update.actor = None;
        for (placeholder, why) in [
            ("ticket.assignee.name", "does not describe the assignee"),
            ("current_user.name", "does not say who made it"),
            (
                "ticket.latest_public_comment",
                "give the ticket's `comments`",
            ),
            ("ticket.comments_formatted", "give the ticket's `comments`"),
            (
                "ticket.ticket_field_option_title_30",
                "account's ticket fields",
            ),
            ("ticket.account", "account's name"),
            ("ticket.nope", "does not know this placeholder"),
            ("ticket.id | reverse", "filter `reverse`"),
        ] {
            let written = format!("{{{{{placeholder}}}}}");
            let (text, left) = rendered(&event, &format!("a {written} b"));
            assert_eq!(text, format!("a {written} b"), "{placeholder}");
            let reason = left.get(&written).map(String::as_str).unwrap_or_default();
            assert!(reason.contains(why), "{placeholder}: {left:?}");
        }
        // The private comment is still the latest comment.
        assert_eq!(rendered(&event, "{{ticket.latest_comment}}").0, "note");
    }

    #[test]
    fn the_comments_of_a_new_ticket_are_all_in_the_event() {
        let event: Event = serde_json::from_value(json!({
            "ticket": {"id": 5, "description": "Help", "requester_id": 1,
                       "requester": {"id": 1, "name": "Ann Lee"}},
        }))
        .expect("reads");
        assert_eq!(
            rendered(
                &event,
                "{{ticket.comments_formatted}}|{{ticket.latest_public_comment}}"
            )
            .0,
            "Ann Lee\n\nHelp|Help"
        );
    }

    #[test]
    fn the_outcome_lists_each_placeholder_left_once() {
        let event = full();
        let mut effects = vec![
            Effect::Notification {
                trigger: None,
                to: "requester_id".into(),
                subject: "[{{ticket.account}}] {{ticket.title}}".into(),
                body: "Hi {{ticket.requester.first_name}}, {{ticket.account}}".into(),
            },
            Effect::Webhook {
                trigger: None,
                webhook_id: "w".into(),
                body: r#"{"who": "{{current_user.name}}", "x": "{{nope}}"}"#.into(),
                params: Vec::new(),
            },
        ];
        let warnings = render_effects(&mut effects, (&event.ticket, &event), None);
        let codes: Vec<(&str, &str)> = warnings
            .iter()
            .map(|w| (w.code.as_str(), w.message.split(' ').next().unwrap_or("")))
            .collect();
        assert_eq!(
            codes,
            [
                (UNRENDERED, "`{{nope}}`"),
                (UNRENDERED, "`{{ticket.account}}`")
            ]
        );
        let Effect::Notification { subject, body, .. } = &effects[0] else {
            unreachable!("the first effect is the notification")
        };
        assert_eq!(subject, "[{{ticket.account}}] Refund");
        assert_eq!(body, "Hi Ann, {{ticket.account}}");
        let Effect::Webhook { body, .. } = &effects[1] else {
            unreachable!("the second effect is the webhook")
        };
        assert_eq!(body, r#"{"who": "Bob Stone", "x": "{{nope}}"}"#);
    }

    #[test]
    fn a_run_renders_its_notifications_and_warns_of_what_it_left() {
        let text = "trigger \"t\" {\n  when all { Ticket is Updated }\n  then {\n    notify requester \"[{{ticket.account}}] {{ticket.title}}\" \"Hi {{ticket.requester.first_name}}: {{ticket.latest_public_comment}}\"\n  }\n}\n";
        let rules = crate::check(&[crate::Source::new("t.declic", text)])
            .into_result()
            .expect("the rules check");
        let outcome = crate::engine::Compiled::new(&rules)
            .expect("compiles")
            .run(&full());
        let Some(Effect::Notification { subject, body, .. }) = outcome.effects.first() else {
            panic!("a notification: {:?}", outcome.effects)
        };
        assert_eq!(subject, "[{{ticket.account}}] Refund");
        assert_eq!(body, "Hi Ann: Refunded today");
        let left: Vec<&str> = outcome.warnings.iter().map(|w| w.code.as_str()).collect();
        assert_eq!(left, [UNRENDERED]);
    }
}

#[cfg(test)]
mod run_tests {
    use serde_json::json;

    use crate::model::{Effect, Event};

    /// The body of the note a run adds when a trigger sets drop-down 30 to Silver and
    /// writes its option title, with or without the account's fields.
    fn note(with_account: bool) -> String {
        let text = "trigger \"t\" {\n  when all { Ticket is Updated }\n  then {\n    \
                    custom_fields_30 = silver_plan\n    \
                    internal note \"{{ticket.ticket_field_option_title_30}}\"\n  }\n}\n";
        let rules = crate::check(&[crate::Source::new("t.declic", text)])
            .into_result()
            .expect("the rules check");
        let account = super::tests::account();
        let engine =
            crate::engine::Compiled::with_account(&rules, with_account.then_some(&account))
                .expect("compiles");
        let event: Event = serde_json::from_value(json!({
            "ticket": {"custom_fields": [{"id": 30, "value": "gold_plan"}]},
            "previous": {}
        }))
        .expect("reads");
        let outcome = engine.run(&event);
        match outcome.effects.as_slice() {
            [Effect::Reply { body, .. }] => body.clone(),
            other => panic!("one note: {other:?}"),
        }
    }

    #[test]
    fn a_run_with_the_account_shows_the_title_of_the_option_the_cycle_set() {
        assert_eq!(note(true), "Silver");
        assert_eq!(note(false), "{{ticket.ticket_field_option_title_30}}");
    }
}
