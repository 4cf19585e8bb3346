//! Zendesk's omnichannel routing queues (`/api/v2/queues`) to declic text and back.
//!
//! The shapes are those of Zendesk's API reference, "Omnichannel Routing Queues" and
//! "Omnichannel Routing Percentage-based Queues" (developer.zendesk.com,
//! api-reference/agent-availability/omnichannel_routing_queues): a queue is `{id, name,
//! description, order, priority, definition: {all, any}, primary_groups,
//! secondary_groups}`, or with subqueues `{..., subqueues}` whose members have `name`,
//! `percentage`, `priority` and their own groups. Import reads both read shapes of the
//! groups, `{"count": 2, "groups": [{"id": 1, "name": "EWR"}]}` as the API returns them and
//! `primary_groups_id: [1]` as it takes them, in a list (`{"queues": [...]}`) or one queue
//! (`{"queue": {...}}`). Export writes the create/update shape, with `primary_groups_id`
//! and `secondary_groups_id`.
//!
//! A definition's conditions are a trigger's: they are imported and exported by the
//! triggers' own code.

use std::path::Path;

use serde_json::{json, Map, Value};

use super::export;
use super::import::Imported;
use super::logic;
use super::text::{self, Style};
use super::InteropError;
use crate::check::queue::{Groups, Queue};
use crate::check::RuleSet;
use crate::diagnostics::{excerpt, Code, Diagnostic};

/// Whether `value` is the API's answer for queues: `{"queues": [...]}` or `{"queue": {...}}`.
pub fn is_queues(value: &Value) -> bool {
    value.get("queues").is_some_and(Value::is_array)
        || value.get("queue").is_some_and(Value::is_object)
}

/// Queues imported as declic text, with what could not be read.
#[derive(Debug, Default)]
pub struct ImportedQueues {
    /// The queues as declic text, a blank line between them.
    pub text: String,
    /// How many queues were read.
    pub count: usize,
    /// Queues that could not be read (errors), and passthrough conditions (warnings).
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the queues of `value` (the contents of `path`) as declic text.
pub fn import(
    path: &Path,
    value: &Value,
    style: Style<'_>,
) -> Result<ImportedQueues, InteropError> {
    let queues: Vec<&Value> = match (value.get("queues"), value.get("queue")) {
        (Some(Value::Array(list)), _) => list.iter().collect(),
        (_, Some(one @ Value::Object(_))) => vec![one],
        _ => {
            return Err(InteropError::NotJson {
                path: path.display().to_string(),
                reason: "not a Zendesk queues answer (`queues` or `queue`)".to_owned(),
            })
        }
    };
    let mut out = ImportedQueues::default();
    let mut texts = Vec::new();
    for (i, q) in queues.iter().enumerate() {
        let name = q.get("name").and_then(Value::as_str);
        let Some(name) = name else {
            out.diagnostics.push(
                Diagnostic::error(Code::ZendeskMissingKey, format!("queue {i} has no `name`"))
                    .in_file(path.display().to_string())
                    .help("a Zendesk queue has `name` and `definition`"),
            );
            continue;
        };
        let when = conditions(path, name, q.get("definition"), style, &mut out.diagnostics);
        texts.push(queue_text(name, q, &when, style));
        out.count += 1;
    }
    out.text = texts.join("\n");
    Ok(out)
}

/// The `when` block of a definition, read by the triggers' import: the lines of a trigger
/// with these conditions, from `when` to its closing brace.
fn conditions(
    path: &Path,
    name: &str,
    definition: Option<&Value>,
    style: Style<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let definition = definition.cloned().unwrap_or(json!({"all": [], "any": []}));
    // A trigger needs an action to be read; only its conditions are kept.
    let placeholder = json!([{"field": "status", "value": "open"}]);
    let as_trigger =
        json!({"triggers": [{"title": name, "conditions": definition, "actions": placeholder}]});
    let source = format!("{} (queue `{}`)", path.display(), excerpt(name));
    let mut imported = Imported::default();
    if let Err(e) = imported.add_text(Path::new(&source), &as_trigger.to_string()) {
        diagnostics.push(e.to_diagnostic());
        return Vec::new();
    }
    diagnostics.extend(imported.diagnostics);
    let Some(rule) = imported.rules.first() else {
        return Vec::new();
    };
    let written = text::trigger(&rule.trigger, style);
    let mut lines = written.lines().skip_while(|l| {
        let l = l.trim_start();
        !(l.starts_with("when ") || l.starts_with("quand "))
    });
    let mut when = Vec::new();
    for line in lines.by_ref() {
        when.push(line.to_owned());
        if line == "  }" {
            break;
        }
    }
    when
}

fn queue_text(name: &str, q: &Value, when: &[String], style: Style<'_>) -> String {
    let fr = style.lang == crate::catalog::Lang::Fr;
    let k = |en: &'static str, fr_: &'static str| if fr { fr_ } else { en };
    let mut out = format!(
        "{} {} {{\n",
        k("queue", "file d'attente"),
        text::string(name)
    );
    if let Some(id) = q.get("id").and_then(id_text) {
        out += &format!("  {} {}\n", k("id", "identifiant"), text::string(&id));
    }
    if let Some(d) = q
        .get("description")
        .and_then(Value::as_str)
        .filter(|d| !d.is_empty())
    {
        out += &format!("  description {}\n", text::string(d));
    }
    if let Some(order) = q.get("order").and_then(Value::as_i64) {
        out += &format!("  {} {order}\n", k("order", "ordre"));
    }
    if let Some(priority) = q.get("priority").and_then(Value::as_i64) {
        out += &format!("  {} {priority}\n", k("priority", "priorité"));
    }
    for line in when {
        out += line;
        out.push('\n');
    }
    out += &groups_text(q, "  ", fr);
    for sub in subqueues(q) {
        let sub_name = sub
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("subqueue");
        out += &format!(
            "  {} {} {{\n",
            k("subqueue", "sous-file"),
            text::string(sub_name)
        );
        if let Some(p) = sub.get("percentage").and_then(Value::as_i64) {
            out += &format!("    {} {p}\n", k("percentage", "pourcentage"));
        }
        if let Some(p) = sub.get("priority").and_then(Value::as_i64) {
            out += &format!("    {} {p}\n", k("priority", "priorité"));
        }
        out += &groups_text(sub, "    ", fr);
        out += "  }\n";
    }
    out + "}\n"
}

/// A queue's subqueues: a list, or `{"subqueues": [...]}`.
fn subqueues(q: &Value) -> Vec<&Value> {
    match q.get("subqueues") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(Value::Object(o)) => o
            .get("subqueues")
            .and_then(Value::as_array)
            .map(|l| l.iter().collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The group ids of `kind` (`primary`, `secondary`) in either read shape.
fn group_ids(q: &Value, kind: &str) -> Vec<u64> {
    let id = |v: &Value| match v {
        Value::Object(o) => o.get("id").and_then(id_text),
        other => id_text(other),
    };
    let list = match (
        q.get(format!("{kind}_groups_id")),
        q.get(format!("{kind}_groups")),
    ) {
        (Some(Value::Array(ids)), _) => ids.clone(),
        (_, Some(Value::Object(o))) => o
            .get("groups")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        (_, Some(Value::Array(list))) => list.clone(),
        _ => Vec::new(),
    };
    list.iter().filter_map(|v| id(v)?.parse().ok()).collect()
}

fn groups_text(q: &Value, pad: &str, fr: bool) -> String {
    let (primary, secondary) = (group_ids(q, "primary"), group_ids(q, "secondary"));
    if primary.is_empty() && secondary.is_empty() {
        return String::new();
    }
    let (groups, p, s) = if fr {
        ("groupes", "principal", "secondaire")
    } else {
        ("groups", "primary", "secondary")
    };
    let mut out = format!("{pad}{groups} {{\n");
    for id in primary {
        out += &format!("{pad}  {p} {id}\n");
    }
    for id in secondary {
        out += &format!("{pad}  {s} {id}\n");
    }
    out + &format!("{pad}}}\n")
}

/// The queues of `rules` in the shape the API takes for create and update, as
/// `{"queues": [...]}`; a queue whose conditions have no Zendesk form is refused.
pub fn export(rules: &RuleSet) -> (Value, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let queues: Vec<Value> = rules
        .queues
        .iter()
        .filter_map(|q| match queue_json(q) {
            Ok(v) => Some(v),
            Err(d) => {
                diagnostics.push(*d);
                None
            }
        })
        .collect();
    (json!({ "queues": queues }), diagnostics)
}

fn queue_json(q: &Queue) -> Result<Value, Box<Diagnostic>> {
    let lists = logic::two_lists(&q.conditions).map_err(|why| {
        Box::new(
            Diagnostic::error(
                Code::NotExportable,
                format!("queue `{}` has conditions Zendesk cannot express: {why}", excerpt(&q.name)),
            )
            .in_source(&q.origin.source)
            .label(q.title_span, "this queue")
            .help("Zendesk has one `all` list and one `any` list: write the conditions as `when all { ... any { ... } }`"),
        )
    })?;
    let mut o = Map::new();
    if let Some(id) = &q.zendesk_id {
        o.insert("id".into(), json!(id));
    }
    o.insert("name".into(), json!(q.name));
    if let Some(d) = &q.description {
        o.insert("description".into(), json!(d));
    }
    if let Some(order) = q.order {
        o.insert("order".into(), json!(order));
    }
    o.insert("priority".into(), json!(q.priority));
    o.insert(
        "definition".into(),
        json!({
            "all": lists.all.iter().map(export::condition).collect::<Vec<_>>(),
            "any": lists.any.iter().map(export::condition).collect::<Vec<_>>(),
        }),
    );
    if q.subqueues.is_empty() {
        write_groups(&mut o, &q.groups);
    } else {
        let subs: Vec<Value> = q
            .subqueues
            .iter()
            .map(|s| {
                let mut so = Map::new();
                so.insert("name".into(), json!(s.name));
                so.insert("percentage".into(), json!(s.percentage));
                so.insert("priority".into(), json!(s.priority));
                write_groups(&mut so, &s.groups);
                Value::Object(so)
            })
            .collect();
        o.insert("subqueues".into(), json!(subs));
    }
    Ok(Value::Object(o))
}

fn write_groups(o: &mut Map<String, Value>, groups: &Groups) {
    o.insert("primary_groups_id".into(), json!(groups.primary));
    o.insert("secondary_groups_id".into(), json!(groups.secondary));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Lang;
    use crate::Source;

    /// The list read shape, as Zendesk's queues reference shows it.
    fn listed() -> Value {
        json!({"queues": [{
            "created_at": "2023-11-27T09:03:59Z",
            "definition": {"all": [{"field": "priority", "operator": "is", "value": "urgent"}], "any": []},
            "description": "Queue description",
            "id": "01HG80ATNNZK1N7XRFVKX48XD6",
            "name": "New queue with valid definition",
            "order": 1,
            "primary_groups": {"count": 2, "groups": [{"id": 6_784_729_637_757u64, "name": "EWR"}, {"id": 5_399_674_286_077u64, "name": "test"}]},
            "priority": 1,
            "secondary_groups": {"count": 0, "groups": []},
            "updated_at": "2023-11-27T09:03:59Z",
            "url": "https://example.zendesk.com/api/v2/queues/01HG80ATNNZK1N7XRFVKX48XD6.json"
        }], "count": 1, "next_page": null, "previous_page": null})
    }

    /// One queue, groups in the write shape, split into subqueues.
    fn split() -> Value {
        json!({"queue": {
            "id": "01JS1ER11YFTHV23SNY2NH0FT3", "name": "New queue", "order": 2,
            "definition": {"all": [{"field": "via_id", "operator": "is", "value": "75"},
                                   {"field": "routing_channel", "operator": "is", "value": "email"}],
                           "any": [{"field": "priority", "operator": "is", "value": "normal"}]},
            "subqueues": {"subqueues": [
                {"name": "A", "percentage": 30, "priority": 2, "primary_groups_id": [11], "secondary_groups_id": [12]},
                {"name": "B", "percentage": 70, "priority": 5, "primary_groups": {"count": 1, "groups": [{"id": 13}]}}
            ]}
        }})
    }

    fn import_text(v: &Value, lang: Lang) -> String {
        let style = Style {
            lang,
            account: None,
        };
        let imported = import(Path::new("queues.json"), v, style).expect("queues");
        assert!(
            imported.diagnostics.is_empty(),
            "{:?}",
            imported.diagnostics
        );
        imported.text
    }

    fn round_trip(v: &Value, lang: Lang) -> Value {
        let text = import_text(v, lang);
        let rules = crate::check(&[Source::new("q.declic", text.clone())])
            .into_result()
            .unwrap_or_else(|e| panic!("{text}\n{e:?}"));
        let (exported, diagnostics) = export(&rules);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        exported
    }

    #[test]
    fn both_read_shapes_import_and_export_in_the_write_shape() {
        for lang in [Lang::En, Lang::Fr] {
            let out = round_trip(&listed(), lang);
            let q = &out["queues"][0];
            assert_eq!(q["name"], "New queue with valid definition");
            assert_eq!(q["id"], "01HG80ATNNZK1N7XRFVKX48XD6");
            assert_eq!(
                (q["order"].clone(), q["priority"].clone()),
                (json!(1), json!(1))
            );
            assert_eq!(q["definition"], listed()["queues"][0]["definition"]);
            assert_eq!(
                q["primary_groups_id"],
                json!([6784729637757u64, 5399674286077u64])
            );
            assert_eq!(q["secondary_groups_id"], json!([]));
            assert!(q.get("primary_groups").is_none(), "the write shape only");

            let out = round_trip(&split(), lang);
            let q = &out["queues"][0];
            assert_eq!(q["definition"], split()["queue"]["definition"]);
            assert_eq!(
                q["subqueues"],
                json!([
                    {"name": "A", "percentage": 30, "priority": 2, "primary_groups_id": [11], "secondary_groups_id": [12]},
                    {"name": "B", "percentage": 70, "priority": 5, "primary_groups_id": [13], "secondary_groups_id": []}
                ])
            );
        }
        assert!(import_text(&split(), Lang::Fr).starts_with("file d'attente \"New queue\" {\n"));
    }

    #[test]
    fn only_queue_answers_are_queues() {
        assert!(is_queues(&listed()) && is_queues(&split()));
        assert!(!is_queues(&json!({"triggers": []})));
        assert!(!is_queues(&json!({"queue": []})));
        let style = Style {
            lang: Lang::En,
            account: None,
        };
        assert!(import(Path::new("t.json"), &json!({"triggers": []}), style).is_err());
        // A queue without a name is reported; the others still import.
        let v = json!({"queues": [{"definition": {}}, listed()["queues"][0].clone()]});
        let imported = import(Path::new("q.json"), &v, style).expect("queues");
        assert_eq!(imported.count, 1);
        assert_eq!(imported.diagnostics[0].code, Code::ZendeskMissingKey);
    }

    #[test]
    fn nested_logic_zendesk_cannot_express_is_refused() {
        let text = "queue \"q\" {\n  when all {\n    any {\n      Status is Open\n      Tags includes a\n    }\n    any {\n      Status is New\n      Tags includes b\n    }\n  }\n}\n";
        let rules = crate::check(&[Source::new("q.declic", text)])
            .into_result()
            .expect("checks");
        let (out, diagnostics) = export(&rules);
        assert_eq!(diagnostics[0].code, Code::NotExportable);
        assert_eq!(out, json!({"queues": []}));
    }
}
