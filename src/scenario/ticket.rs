//! Ticket tables in a scenario: the starting ticket, a step's `set` and the ticket a step
//! expects. All three use the model's JSON field names, checked against the model, plus
//! `custom_fields_<id>` as a short way to name one custom field.

use serde_json::{Map, Value};

use super::shape::{check_partial, TicketPlace};
use super::tree::{Node, Sink, Table};
use crate::diagnostics::{did_you_mean, Code, Diagnostic, Span};
use crate::model::Ticket;

/// The prefix of the one-custom-field shorthand, as in trigger conditions.
const CUSTOM_PREFIX: &str = "custom_fields_";

/// The custom field id a `custom_fields_<id>` key names.
pub(crate) fn custom_field_id(key: &str) -> Option<u64> {
    key.strip_prefix(CUSTOM_PREFIX)?.parse().ok()
}

/// Reads a table of ticket fields as JSON, reporting unknown keys (`extra` are other keys
/// the caller reads itself and are left out) and values the model would not accept.
pub(crate) fn fields(
    sink: &mut Sink,
    table: &Table<'_, '_>,
    extra: &[&'static str],
    what: &str,
) -> Option<Map<String, Value>> {
    let before = sink.diagnostics.len();
    let mut map = Map::new();
    for (key, key_span, node) in table.entries() {
        if extra.contains(&key) {
            continue;
        }
        if custom_field_id(key).is_none() {
            let entry = (key, key_span, node);
            known_keys(sink, TicketPlace::root(), entry, extra, "", what);
        }
        if let Some(value) = node.json(sink) {
            map.insert(key.to_owned(), value);
        }
    }
    if sink.diagnostics.len() > before {
        return None;
    }
    check_values(sink, table, &map)?;
    Some(map)
}

/// One entry of a table: key, key's place, value.
type Entry<'a, 'i> = (&'a str, Span, Node<'a, 'i>);

/// Reports `key` when `place` (reached by `parent`, as `messaging_session.`) does not
/// have it, and the same below it for a table.
fn known_keys(
    sink: &mut Sink,
    place: TicketPlace,
    (key, key_span, node): Entry<'_, '_>,
    extra: &[&'static str],
    parent: &str,
    what: &str,
) {
    let Some(mut known) = place.keys() else {
        return;
    };
    let path = format!("{parent}{key}");
    let Some(child) = place.child(key) else {
        known.extend_from_slice(extra);
        return unknown_ticket_field(sink, &path, key_span, &known, what);
    };
    if let (true, Some(entries)) = (child.is_object(), node.entries()) {
        for entry in entries {
            known_keys(sink, child, entry, &[], &format!("{path}."), what);
        }
    }
}

/// Reports the field at `path` as unknown; `known` are the keys where it stands.
fn unknown_ticket_field(
    sink: &mut Sink,
    path: &str,
    span: Span,
    known: &[&'static str],
    what: &str,
) {
    let key = path.rsplit('.').next().unwrap_or(path);
    let nearest = crate::catalog::nearest(key, known.iter().map(|k| (*k, *k)));
    sink.push(
        Diagnostic::error(
            Code::UnknownTicketField,
            format!("`{path}` is not a ticket field, in {what}"),
        )
        .label(span, "unknown field")
        .help(did_you_mean(&nearest).unwrap_or_else(|| {
            let list: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
            format!("the fields here are {}", list.join(", "))
        })),
    );
}

/// Reports a value the model does not accept for its field (`status = "solvd"`).
fn check_values(sink: &mut Sink, table: &Table<'_, '_>, map: &Map<String, Value>) -> Option<()> {
    let model: Map<String, Value> = map
        .iter()
        .filter(|(k, _)| custom_field_id(k).is_none())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    match check_partial::<Ticket>(&Value::Object(model)) {
        Ok(()) => Some(()),
        Err((path, message)) => {
            let span = table.at(&path);
            sink.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("invalid value for ticket field `{path}`"),
                )
                .label(span, "not accepted here")
                .help(message),
            );
            None
        }
    }
}

/// Unknown keys of a `set`-like list of field names (`unset = ["assignee_id"]`).
pub(crate) fn field_name(sink: &mut Sink, name: &str, span: Span, what: &str) -> bool {
    let known = TicketPlace::root().keys().unwrap_or_default();
    if custom_field_id(name).is_some() || known.contains(&name) {
        return true;
    }
    unknown_ticket_field(sink, name, span, &known, what);
    false
}

/// Writes `patch` into `target`: tables merge key by key, anything else replaces, and a
/// `custom_fields_<id>` key sets that entry of the `custom_fields` list.
pub(crate) fn merge(target: &mut Map<String, Value>, patch: &Map<String, Value>) {
    for (key, value) in patch {
        if let Some(id) = custom_field_id(key) {
            set_custom_field(target, id, value.clone());
            continue;
        }
        match (target.get_mut(key), value) {
            (Some(Value::Object(inner)), Value::Object(patch)) => merge(inner, patch),
            _ => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

fn set_custom_field(ticket: &mut Map<String, Value>, id: u64, value: Value) {
    let list = ticket
        .entry("custom_fields")
        .or_insert_with(|| Value::Array(Vec::new()));
    if !list.is_array() {
        *list = Value::Array(Vec::new());
    }
    let Value::Array(items) = list else {
        return;
    };
    // Entries came from a checked ticket, so they are objects; a stray one is skipped
    // rather than indexed into, which would panic.
    match items
        .iter_mut()
        .filter_map(Value::as_object_mut)
        .find(|f| f.get("id").is_some_and(|v| *v == id))
    {
        Some(field) => {
            field.insert("value".to_owned(), value);
        }
        None => items.push(serde_json::json!({ "id": id, "value": value })),
    }
}

/// Removes a field, or one custom field's entry.
pub(crate) fn remove(ticket: &mut Map<String, Value>, key: &str) {
    match custom_field_id(key) {
        Some(id) => {
            if let Some(Value::Array(items)) = ticket.get_mut("custom_fields") {
                items.retain(|f| f["id"] != id);
            }
        }
        None => {
            ticket.remove(key);
        }
    }
}
