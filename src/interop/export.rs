//! Checked rules to the JSON the Zendesk API accepts for create and update:
//! `{"triggers": [{title, description, active, position, category_id, id, conditions:
//! {all, any}, actions}]}`, in run order, with values as the API writes them (strings, and
//! arrays for notifications). A trigger whose logic has no Zendesk form, or that the API
//! does not hold (messaging triggers), is refused with a diagnostic naming it. Automations
//! export the same way, to their own list (`{"automations": [...]}`), time conditions as
//! the API writes them (`{"field": "PENDING", "operator": "greater_than", "value": "48"}`).

use serde_json::Value;

use super::import::{NO_ARGUMENT, SIDE_CONVERSATION_FORMAT, SIDE_CONVERSATION_GROUP};
use super::logic::{self, Leaf};
use super::zendesk_json::{ApiAction, ApiCondition, ApiConditions, ApiRule, RuleKind};
use crate::account::{Account, Kind, Lookup};
use crate::catalog::actions::{ActionKey, Args};
use crate::catalog::values::DAYS_FROM_NOW;
use crate::catalog::Domain;
use crate::catalog::TriggerKind;
use crate::check::rules::{Action, ActionTarget, Operand, Passthrough, Trigger};
use crate::check::RuleSet;
use crate::diagnostics::{excerpt, Code, Diagnostic, Span};

/// What an export gave: the rules the API accepts, and why others were refused.
#[derive(Debug, Default)]
pub struct Exported {
    /// The triggers, in run order.
    pub triggers: Vec<ApiRule>,
    /// The automations, in run order.
    pub automations: Vec<ApiRule>,
    /// Refused triggers (errors) and dropped categories (warnings).
    pub diagnostics: Vec<Diagnostic>,
}

/// Exports every trigger and automation of `rules`; `account` turns category names into
/// ids.
pub fn export(rules: &RuleSet, account: Option<&Account>) -> Exported {
    let mut exported = Exported::default();
    for t in &rules.triggers {
        match rule(t, account, &mut exported.diagnostics) {
            Ok(api) => exported.triggers.push(api),
            Err(d) => exported.diagnostics.push(*d),
        }
    }
    for a in &rules.automations {
        match rule(a, account, &mut exported.diagnostics) {
            Ok(api) => exported.automations.push(api),
            Err(d) => exported.diagnostics.push(*d),
        }
    }
    exported
}

/// The document for what was exported, or for `only` one kind of it. A rule set of one
/// kind gives that kind's list, as the API's endpoint for it takes; one holding both
/// triggers and automations gives both lists in one document (`declic import` reads it
/// back whole), so that neither is lost.
pub fn document(exported: &Exported, only: Option<RuleKind>) -> String {
    let triggers = (RuleKind::Trigger, exported.triggers.as_slice());
    let automations = (RuleKind::Automation, exported.automations.as_slice());
    match only {
        Some(RuleKind::Trigger) => lists_to_json(&[triggers]),
        Some(RuleKind::Automation) => lists_to_json(&[automations]),
        None if exported.automations.is_empty() => lists_to_json(&[triggers]),
        None if exported.triggers.is_empty() => lists_to_json(&[automations]),
        None => lists_to_json(&[triggers, automations]),
    }
}

fn lists_to_json(lists: &[(RuleKind, &[ApiRule])]) -> String {
    // Serialised from the structs, not through `Value`, so keys keep the API's order.
    let document: std::collections::BTreeMap<&str, &[ApiRule]> = lists
        .iter()
        .map(|(kind, rules)| (kind.plural(), *rules))
        .collect();
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

/// One trigger as the API takes it.
pub fn rule(
    t: &Trigger,
    account: Option<&Account>,
    warnings: &mut Vec<Diagnostic>,
) -> Result<ApiRule, Box<Diagnostic>> {
    if t.kind == TriggerKind::Messaging {
        return Err(refused(
            t,
            "is a messaging trigger; the Zendesk triggers API holds ticket triggers only",
            "create messaging triggers in Admin Center, or write this one as a `trigger`",
        ));
    }
    let lists = logic::two_lists(&t.conditions).map_err(|why| {
        refused(
            t,
            &format!("has conditions Zendesk cannot express: {why}"),
            "Zendesk has one `all` list and one `any` list: split the trigger in two, \
             or write its conditions as `when all { ... any { ... } }`",
        )
    })?;
    Ok(ApiRule {
        title: t.title.clone(),
        raw_title: None,
        description: t.description.clone(),
        active: t.active,
        position: t.position,
        category_id: category_id(t, account, warnings),
        id: t.zendesk_id,
        conditions: ApiConditions {
            all: lists.all.iter().map(condition).collect(),
            any: lists.any.iter().map(condition).collect(),
        },
        actions: t.actions.iter().map(action).collect(),
    })
}

fn refused(t: &Trigger, what: &str, help: &str) -> Box<Diagnostic> {
    let d = Diagnostic::error(
        Code::NotExportable,
        format!("trigger `{}` {what}", excerpt(&t.title)),
    )
    .in_source(&t.origin.source)
    .label(first_line(t), "this trigger")
    .help(help);
    Box::new(d)
}

/// The trigger's first line: the whole trigger would underline everything.
fn first_line(t: &Trigger) -> Span {
    let text = &t.origin.source.text;
    let start = t.origin.span.start.min(text.len());
    let end = text[start..]
        .find('\n')
        .map_or(t.origin.span.end, |i| start + i)
        .min(t.origin.span.end.max(start));
    Span::new(start, end)
}

/// The API's `category_id`: the category as written when it is an id, or the id of the
/// account's category of that name.
fn category_id(
    t: &Trigger,
    account: Option<&Account>,
    warnings: &mut Vec<Diagnostic>,
) -> Option<String> {
    let category = t.category.as_ref()?;
    if !category.is_empty() && category.chars().all(|c| c.is_ascii_digit()) {
        return Some(category.clone());
    }
    if let Some(Lookup::Found(n)) = account.map(|a| a.find(Kind::Category, category)) {
        return Some(n.id.clone());
    }
    warnings.push(
        Diagnostic::warning(
            Code::UnknownValue,
            format!(
                "trigger `{}`: category `{}` is not a Zendesk category id; it is left out",
                excerpt(&t.title),
                excerpt(category)
            ),
        )
        .in_source(&t.origin.source)
        .label(first_line(t), "exported without a category")
        .help("write the category's id, or give `--account` a `trigger_categories.json`"),
    );
    None
}

/// A test or passthrough of the two lists as the API writes it.
pub fn condition(leaf: &Leaf) -> ApiCondition {
    match leaf {
        Leaf::Test(t) => ApiCondition {
            field: t.field.api(),
            operator: t.field.op_api(t.op).to_string(),
            value: operand(t.field.domain(), &t.value),
        },
        Leaf::Zendesk(p) => ApiCondition {
            field: p.field().to_string(),
            operator: text_of(p, "operator"),
            value: p.json.get("value").cloned().unwrap_or(Value::Null),
        },
        Leaf::Hours(test) => ApiCondition {
            field: test.moment.api().to_owned(),
            operator: test.api_operator().to_owned(),
            value: Value::String(test.hours.to_string()),
        },
    }
}

fn text_of(p: &Passthrough, key: &str) -> String {
    p.json
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// An action as the API writes it.
pub fn action(a: &Action) -> ApiAction {
    let known = match &a.target {
        ActionTarget::Zendesk(p) => {
            return ApiAction {
                field: p.field().to_string(),
                value: p.json.get("value").cloned().unwrap_or(Value::Null),
            }
        }
        ActionTarget::CustomField(id) => {
            let value = match a.value {
                // A date that many days after the update's.
                Operand::Number(days) => Value::Array(vec![
                    Value::String(DAYS_FROM_NOW.to_string()),
                    Value::String(number(days)),
                ]),
                _ => operand(Domain::Raw, &a.value),
            };
            return ApiAction {
                field: format!("custom_fields_{id}"),
                value,
            };
        }
        ActionTarget::Known(known) => known,
    };
    let texts = || a.texts.iter().cloned().map(Value::String);
    let value = match known.args {
        Args::Message { to, .. } if known.key == ActionKey::SideConversationTicket => {
            let group = match operand(to, &a.value) {
                Value::String(id) => format!("{SIDE_CONVERSATION_GROUP}{id}"),
                _ => String::new(),
            };
            Value::Array(
                texts()
                    .chain([group, SIDE_CONVERSATION_FORMAT.to_string()].map(Value::String))
                    .collect(),
            )
        }
        // A webhook's parameters go as `[key, value]` pairs, `[]` when there are none.
        Args::Message { to, .. } if known.key == ActionKey::NotifyWebhook && a.texts.len() != 1 => {
            let pairs = a
                .texts
                .chunks(2)
                .map(|kv| Value::Array(kv.iter().cloned().map(Value::String).collect()));
            Value::Array(vec![operand(to, &a.value), Value::Array(pairs.collect())])
        }
        Args::None => Value::String(NO_ARGUMENT.to_string()),
        Args::Value(domain) => operand(domain, &a.value),
        Args::Tags => operand(Domain::Tags, &a.value),
        Args::Message { to, .. } => Value::Array(
            std::iter::once(operand(to, &a.value))
                .chain(texts())
                .collect(),
        ),
        Args::Texts(names) if names.len() == 1 => texts().next().unwrap_or(Value::Null),
        Args::Texts(_) => Value::Array(texts().collect()),
    };
    ApiAction {
        field: known.names.api.to_string(),
        value,
    }
}

/// A value as the API writes it: a string, or `null` where there is none.
fn operand(domain: Domain, value: &Operand) -> Value {
    let api = |i: &usize| domain.values().get(*i).map(|v| v.names.api.to_string());
    Value::String(match value {
        Operand::None => return Value::Null,
        // An enumeration's value read from JSON `true` (`comment_is_public`).
        Operand::Bool(b) if matches!(domain, Domain::Enum { .. }) => return Value::Bool(*b),
        Operand::Enum(i) | Operand::Symbol(i) => api(i).unwrap_or_default(),
        Operand::Integer(n) => n.to_string(),
        Operand::Number(n) => number(*n),
        Operand::Bool(b) => b.to_string(),
        Operand::Text(s) => s.clone(),
        Operand::Tags(tags) => tags.join(" "),
    })
}

/// A number as Zendesk writes hours: `96`, not `96.0`.
pub fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_written_without_a_fraction_when_whole() {
        assert_eq!(number(96.0), "96");
        assert_eq!(number(1.5), "1.5");
        assert_eq!(number(-0.0), "0");
    }
}
