//! The Zendesk API's JSON to checked rules. Every condition and action the catalog models
//! becomes a resolved test or action, exactly as export will write it back; anything else
//! (a field, operator, value or action declic does not know, or a value in a form export
//! would not give back) is kept verbatim as a passthrough and reported as a warning, so
//! nothing is lost. A rule that cannot be read at all is reported with its file, title and
//! JSON path, and the others are still imported.

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use super::zendesk_json::{self, ApiAction, ApiCondition, ApiRule, Located, RuleKind};
use super::InteropError;
use crate::catalog::actions::{ActionKey, Args, ACTIONS};
use crate::catalog::fields::{FieldRef, FIELDS};
use crate::catalog::values::{is_empty_api, DAYS_FROM_NOW};
use crate::catalog::TriggerKind;
use crate::catalog::{Catalog, Domain, Lang, Op, Scope};
use crate::check::rules::{
    Action, ActionTarget, Condition, Operand, Origin, Passthrough, Test, Trigger,
};
use crate::diagnostics::{excerpt, Code, Diagnostic, Source, Span};
use crate::model::{HoursTest, Moment};

/// The value export writes for actions that take nothing (`notification_messaging_csat`).
pub const NO_ARGUMENT: &str = "true";

/// What an import read: the rules, in file order, and every problem.
#[derive(Debug, Default)]
pub struct Imported {
    /// The rules read, in the order of the files.
    pub rules: Vec<ImportedRule>,
    /// Rules that could not be read (errors), and passthroughs (warnings).
    pub diagnostics: Vec<Diagnostic>,
}

/// One imported trigger or automation.
#[derive(Debug, Clone)]
pub struct ImportedRule {
    /// Trigger or automation.
    pub kind: RuleKind,
    /// The rule, as checked rules.
    pub trigger: Trigger,
}

impl Imported {
    /// Reads one file of the API's JSON and adds its rules. A file that cannot be read, is
    /// not JSON or is not a Zendesk export stops only itself.
    pub fn add_file(&mut self, path: &Path) -> Result<(), InteropError> {
        let text = super::read_text(path)?;
        self.add_text(path, &text)
    }

    /// Adds the rules of `text`, the contents of `path`.
    pub fn add_text(&mut self, path: &Path, text: &str) -> Result<(), InteropError> {
        let value = super::parse_json(path, text)?;
        let located = zendesk_json::rules_of(path, value)?;
        let source = Source::new(path.display().to_string(), text);
        for rule in &located {
            self.add_rule(&source, rule);
        }
        Ok(())
    }

    /// Warns of titles two rules share: Zendesk allows it, a declic rule set does not, so
    /// the files would not check until one is renamed.
    pub fn warn_shared_titles(&mut self) {
        let mut seen: Vec<&str> = Vec::new();
        let mut warnings = Vec::new();
        for rule in &self.rules {
            let title = rule.trigger.title.trim();
            if seen.contains(&title) {
                warnings.push(
                    Diagnostic::warning(
                        Code::DuplicateTitle,
                        format!("two rules are titled `{}`", excerpt(title)),
                    )
                    .in_file(rule.trigger.origin.source.name.clone())
                    .help("Zendesk allows it; declic names such triggers by their ids (`#123`)"),
                );
            } else {
                seen.push(title);
            }
        }
        self.diagnostics.extend(warnings);
    }

    fn add_rule(&mut self, source: &Arc<Source>, rule: &Located) {
        let title = zendesk_json::title_of(rule).unwrap_or("(untitled)");
        let mut cx = Cx {
            file: &source.name,
            what: rule.kind.singular(),
            title,
            diagnostics: &mut self.diagnostics,
        };
        let api = match zendesk_json::read_rule(rule) {
            Ok(api) => api,
            Err(e) => return cx.error(e.code, &e.path, &e.message),
        };
        if let Some(trigger) = cx.trigger(&api, rule.kind, &rule.path, source) {
            self.rules.push(ImportedRule {
                kind: rule.kind,
                trigger,
            });
        }
    }
}

/// Where the problems of one rule go, and how they name it.
struct Cx<'a> {
    file: &'a str,
    what: &'static str,
    title: &'a str,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Cx<'_> {
    fn error(&mut self, code: Code, path: &str, message: &str) {
        let d = Diagnostic::error(
            code,
            format!(
                "{} `{}` in `{}`: `{path}` {message}",
                self.what,
                excerpt(self.title),
                self.file
            ),
        )
        .in_file(self.file)
        .help(format!(
            "this {} is not imported; the others are. Fix it in Zendesk or in the file, \
             and import again",
            self.what
        ));
        self.diagnostics.push(d);
    }

    fn kept(&mut self, path: &str, what: &str, why: &str) {
        let d = Diagnostic::warning(
            Code::Passthrough,
            format!(
                "{} `{}` in `{}`: `{path}` ({}) is kept as Zendesk wrote it: {why}",
                self.what,
                excerpt(self.title),
                self.file,
                excerpt(what)
            ),
        )
        .in_file(self.file)
        .help(
            "it is written `zendesk r#\"{...}\"#` and exports back unchanged, \
             but declic cannot check it or run it",
        );
        self.diagnostics.push(d);
    }

    fn trigger(
        &mut self,
        api: &ApiRule,
        kind: RuleKind,
        path: &str,
        source: &Arc<Source>,
    ) -> Option<Trigger> {
        let kind = match kind {
            RuleKind::Trigger => TriggerKind::Ticket,
            RuleKind::Automation => TriggerKind::Automation,
        };
        let timed = kind == TriggerKind::Automation;
        let all = self.conditions(
            &api.conditions.all,
            timed,
            &format!("{path}.conditions.all"),
        );
        let any = self.conditions(
            &api.conditions.any,
            timed,
            &format!("{path}.conditions.any"),
        );
        let conditions = match (all.is_empty(), any.is_empty()) {
            (true, true) => {
                let at = format!("{path}.conditions");
                self.error(Code::ZendeskMissingKey, &at, "holds no condition");
                return None;
            }
            (false, true) => Condition::All(all),
            (true, false) => Condition::Any(any),
            (false, false) => {
                let mut all = all;
                all.push(Condition::Any(any));
                Condition::All(all)
            }
        };
        if api.actions.is_empty() {
            let at = format!("{path}.actions");
            self.error(Code::ZendeskMissingKey, &at, "holds no action");
            return None;
        }
        let actions = api
            .actions
            .iter()
            .enumerate()
            .map(|(i, a)| self.action(a, &format!("{path}.actions[{i}]")))
            .collect();
        // `raw_title` keeps dynamic content placeholders (`{{dc.welcome}}`) that `title`
        // shows rendered; an update must send them unrendered.
        let title = match &api.raw_title {
            Some(raw) if !raw.is_empty() => raw.clone(),
            _ => api.title.clone(),
        };
        Some(Trigger {
            title,
            kind,
            category: api.category_id.clone(),
            description: api.description.clone(),
            position: api.position,
            active: api.active,
            zendesk_id: api.id,
            events: Vec::new(),
            once_per_ticket: false,
            conditions,
            actions,
            origin: Origin {
                source: Arc::clone(source),
                span: Span::default(),
            },
            title_span: Span::default(),
            comments: Vec::new(),
        })
    }

    /// The conditions of one list; `timed` for an automation's, where the API's time
    /// fields (`PENDING`, `assigned_at`...) are time conditions.
    fn conditions(&mut self, list: &[ApiCondition], timed: bool, path: &str) -> Vec<Condition> {
        let each = list.iter().enumerate().map(|(i, c)| {
            let at = format!("{path}[{i}]");
            let read = match Moment::from_api(&c.field) {
                Some(moment) if timed => hours(moment, c),
                _ => test(c).map(Condition::Test),
            };
            match read {
                Ok(c) => c,
                Err(why) => {
                    self.kept(&at, &format!("{} {}", c.field, c.operator), &why);
                    Condition::Zendesk(passthrough(condition_json(c)))
                }
            }
        });
        each.collect()
    }

    fn action(&mut self, a: &ApiAction, path: &str) -> Action {
        match action(a) {
            Ok(action) => action,
            Err(why) => {
                self.kept(path, &a.field, &why);
                let p = passthrough(action_json(a));
                Action {
                    target: ActionTarget::Zendesk(p),
                    value: Operand::None,
                    texts: Vec::new(),
                    lang: Lang::Api,
                    span: Span::default(),
                }
            }
        }
    }
}

fn passthrough(json: serde_json::Map<String, Value>) -> Passthrough {
    Passthrough {
        json,
        span: Span::default(),
    }
}

fn condition_json(c: &ApiCondition) -> serde_json::Map<String, Value> {
    let mut map = serde_json::Map::new();
    map.insert("field".into(), Value::String(c.field.clone()));
    map.insert("operator".into(), Value::String(c.operator.clone()));
    map.insert("value".into(), c.value.clone());
    map
}

fn action_json(a: &ApiAction) -> serde_json::Map<String, Value> {
    let mut map = serde_json::Map::new();
    map.insert("field".into(), Value::String(a.field.clone()));
    map.insert("value".into(), a.value.clone());
    map
}

/// An automation's time condition (`{"field": "PENDING", "operator":
/// "greater_than_business_hours", "value": "24"}`), or why declic does not read it: an
/// operator automations do not have, or hours that are not whole (or not written as
/// export writes them back).
fn hours(moment: Moment, c: &ApiCondition) -> Result<Condition, String> {
    let (op, business) = HoursTest::op_from_api(&c.operator).ok_or_else(|| {
        format!(
            "automations compare hours with `is`, `less_than`, `greater_than` and their \
             `_business_hours` forms, not `{}`",
            c.operator
        )
    })?;
    let hours = match &c.value {
        Value::String(s) => s.parse::<u32>().ok().filter(|h| h.to_string() == *s),
        _ => None,
    };
    let hours = hours.ok_or_else(|| unreadable_value(&c.value))?;
    Ok(Condition::Hours {
        test: HoursTest {
            moment,
            op,
            business,
            hours,
        },
        lang: Lang::Api,
        span: Span::default(),
    })
}

/// A condition the catalog models, or why it does not.
fn test(c: &ApiCondition) -> Result<Test, String> {
    let field =
        api_field(&c.field).ok_or_else(|| format!("the catalog has no field `{}`", c.field))?;
    let op = field
        .op_from_api(&c.operator)
        .ok_or_else(|| match Op::from_api(&c.operator) {
            Some(_) => format!("the catalog's `{}` does not take `{}`", c.field, c.operator),
            None => format!("declic has no operator `{}`", c.operator),
        })?;
    let value = if op.takes_value() {
        operand(field.domain(), &c.value)
    } else {
        no_value(&c.value)
    };
    let value = value.ok_or_else(|| unreadable_value(&c.value))?;
    Ok(Test {
        field,
        op,
        value,
        lang: Lang::Api,
        span: Span::default(),
    })
}

fn unreadable_value(value: &Value) -> String {
    format!(
        "declic does not read the value `{}`",
        excerpt(&value.to_string())
    )
}

/// The field the API names exactly `name` (`status`, `custom_fields_123`).
pub fn api_field(name: &str) -> Option<FieldRef> {
    if let Some(f) = FIELDS.iter().find(|f| f.names.api == name) {
        return Some(FieldRef::Known(f));
    }
    if let Some(id) = custom_field_id(name) {
        return Some(FieldRef::Custom(id));
    }
    match Catalog::get().field(name)?.item {
        user @ (FieldRef::OrganizationCustom(_) | FieldRef::UserCustom(_))
            if name == user.api() =>
        {
            Some(user)
        }
        _ => None,
    }
}

/// `custom_fields_123` → 123, written the one way export writes it.
fn custom_field_id(name: &str) -> Option<u64> {
    let digits = name.strip_prefix("custom_fields_")?;
    let id: u64 = digits.parse().ok()?;
    (id.to_string() == digits).then_some(id)
}

/// After an operator that takes no value, Zendesk writes `null` or `""`.
fn no_value(value: &Value) -> Option<Operand> {
    match value {
        Value::Null => Some(Operand::None),
        Value::String(s) if s.is_empty() => Some(Operand::Text(String::new())),
        _ => None,
    }
}

/// A string value; a number stands for its digits, as the API accepts either.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `value` in `domain`, only in a form export writes back the same.
pub fn operand(domain: Domain, value: &Value) -> Option<Operand> {
    if let (Domain::Bool, Value::Bool(b)) = (domain, value) {
        return Some(Operand::Bool(*b));
    }
    // `comment_is_public` comes as the string `"true"` or as JSON `true`: the boolean is
    // kept as one, so that it exports back as it was read.
    if let Value::Bool(b) = value {
        let spelt = domain.values().iter().any(|v| v.names.api == b.to_string());
        return spelt.then_some(Operand::Bool(*b));
    }
    let s = scalar(value)?;
    let integer = || s.parse::<i64>().ok().filter(|n| n.to_string() == s);
    match domain {
        Domain::Enum {
            values,
            open_integers,
            ..
        } => match values.iter().position(|v| v.names.api == s) {
            Some(i) => Some(Operand::Enum(i)),
            None if open_integers => integer().map(Operand::Integer),
            None => None,
        },
        Domain::Id { special, .. } => match special.iter().position(|v| v.names.api == s) {
            Some(i) => Some(Operand::Symbol(i)),
            None => integer().map(Operand::Integer),
        },
        Domain::Key { .. } => (!s.is_empty()).then_some(Operand::Text(s)),
        Domain::Bool => match s.as_str() {
            "true" => Some(Operand::Bool(true)),
            "false" => Some(Operand::Bool(false)),
            _ => None,
        },
        Domain::Number => {
            let n: f64 = s.parse().ok().filter(|n: &f64| n.is_finite())?;
            (super::export::number(n) == s).then_some(Operand::Number(n))
        }
        Domain::Tags => {
            let tags: Vec<String> = s.split_whitespace().map(str::to_string).collect();
            (!tags.is_empty()).then_some(Operand::Tags(tags))
        }
        Domain::Text | Domain::Raw => Some(Operand::Text(s)),
    }
}

/// An action the catalog models, or why it does not.
fn action(a: &ApiAction) -> Result<Action, String> {
    let unreadable = || unreadable_value(&a.value);
    if let Some(id) = custom_field_id(&a.field) {
        let value = match days_from_now(&a.value) {
            Some(days) => Operand::Number(days),
            None => Operand::Text(scalar(&a.value).ok_or_else(unreadable)?),
        };
        return Ok(resolved(ActionTarget::CustomField(id), value, vec![]));
    }
    // Messaging-only actions cannot stand in the ticket triggers the API holds.
    let known = ACTIONS
        .iter()
        .find(|x| x.names.api == a.field && x.scope != Scope::Messaging)
        .ok_or_else(|| format!("the catalog has no action `{}`", a.field))?;
    let target = ActionTarget::Known(known);
    let (value, texts) = match known.args {
        Args::None => match &a.value {
            Value::String(s) if s == NO_ARGUMENT => (Operand::None, vec![]),
            _ => return Err(unreadable()),
        },
        Args::Value(domain) => {
            let value = operand(domain, &a.value).ok_or_else(unreadable)?;
            if let (Operand::Enum(i), ActionKey::Priority | ActionKey::TicketType) =
                (&value, known.key)
            {
                if domain
                    .values()
                    .get(*i)
                    .is_some_and(|v| is_empty_api(v.names.api))
                {
                    return Err(format!("Zendesk cannot clear `{}` by an action", a.field));
                }
            }
            (value, vec![])
        }
        Args::Tags => (
            operand(Domain::Tags, &a.value).ok_or_else(unreadable)?,
            vec![],
        ),
        Args::Message { to, .. } if known.key == ActionKey::SideConversationTicket => {
            side_conversation(to, &a.value).ok_or_else(unreadable)?
        }
        Args::Message { to, .. } if known.key == ActionKey::NotifyWebhook => {
            webhook(to, &a.value).ok_or_else(unreadable)?
        }
        Args::Message { to, texts } => {
            let items = strings(&a.value, texts.len() + 1).ok_or_else(unreadable)?;
            let (first, rest) = items.split_first().ok_or_else(unreadable)?;
            let to = operand(to, &Value::String(first.clone())).ok_or_else(unreadable)?;
            (to, rest.to_vec())
        }
        Args::Texts(names) if names.len() == 1 => match &a.value {
            Value::String(s) => (Operand::None, vec![s.clone()]),
            _ => return Err(unreadable()),
        },
        Args::Texts(names) => (
            Operand::None,
            strings(&a.value, names.len()).ok_or_else(unreadable)?,
        ),
    };
    Ok(resolved(target, value, texts))
}

/// How the API names the group a side conversation's child ticket is assigned to.
pub const SIDE_CONVERSATION_GROUP: &str = "SupportAssignable:support_assignable/group/";
/// The body format of a side conversation, the one the API writes.
pub const SIDE_CONVERSATION_FORMAT: &str = "text/html";

/// `[subject, body, "SupportAssignable:support_assignable/group/<id>", "text/html"]`: the
/// group, then the subject and body.
fn side_conversation(to: Domain, value: &Value) -> Option<(Operand, Vec<String>)> {
    let items = strings(value, 4)?;
    let [subject, body, group, format] = &items[..] else {
        return None;
    };
    let id = group.strip_prefix(SIDE_CONVERSATION_GROUP)?;
    let to = operand(to, &Value::String(id.to_string()))?;
    let read = format == SIDE_CONVERSATION_FORMAT && matches!(to, Operand::Integer(_));
    read.then(|| (to, vec![subject.clone(), body.clone()]))
}

/// `[id, body]`, where the body is one JSON text, `[]`, or `[key, value]` pairs (webhooks
/// without a JSON body): the pairs become two texts each.
fn webhook(to: Domain, value: &Value) -> Option<(Operand, Vec<String>)> {
    let [id, body] = value.as_array()?.as_slice() else {
        return None;
    };
    let to = operand(to, &Value::String(scalar(id)?))?;
    let texts = match body {
        Value::Array(pairs) => {
            let mut texts = Vec::with_capacity(pairs.len() * 2);
            for pair in pairs {
                texts.extend(strings(pair, 2)?);
            }
            texts
        }
        body => vec![scalar(body)?],
    };
    Some((to, texts))
}

/// The days of `["days_from_now", "3"]`, written as export writes them back.
fn days_from_now(value: &Value) -> Option<f64> {
    let items = strings(value, 2)?;
    let [unit, days] = &items[..] else {
        return None;
    };
    let n: u32 = days.parse().ok()?;
    (unit == DAYS_FROM_NOW && n.to_string() == *days).then_some(f64::from(n))
}

/// An array of exactly `len` strings (numbers stand for their digits).
fn strings(value: &Value, len: usize) -> Option<Vec<String>> {
    let items = value.as_array().filter(|items| items.len() == len)?;
    items.iter().map(scalar).collect()
}

fn resolved(target: ActionTarget, value: Operand, texts: Vec<String>) -> Action {
    Action {
        target,
        value,
        texts,
        lang: Lang::Api,
        span: Span::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn import(value: Value) -> Imported {
        let mut imported = Imported::default();
        imported
            .add_text(Path::new("t.json"), &value.to_string())
            .expect("a Zendesk export");
        imported
    }

    fn rule(conditions: Value, actions: Value) -> Value {
        json!({"triggers": [{"title": "T", "conditions": conditions, "actions": actions}]})
    }

    #[test]
    fn known_conditions_resolve_and_unknown_ones_pass_through_with_a_warning() {
        let imported = import(rule(
            json!({"all": [
                {"field": "status", "operator": "is", "value": "open"},
                {"field": "sla_next_breach_at", "operator": "within_previous_n_days", "value": "3"}
            ]}),
            json!([{"field": "status", "value": "solved"}]),
        ));
        let Condition::All(all) = &imported.rules[0].trigger.conditions else {
            panic!("an all-list")
        };
        assert!(matches!(&all[0], Condition::Test(t) if t.op == Op::Is));
        assert!(matches!(&all[1], Condition::Zendesk(p) if p.field() == "sla_next_breach_at"));
        let warning = &imported.diagnostics[0];
        assert_eq!(warning.code, Code::Passthrough);
        assert!(
            warning.message.contains("`triggers[0].conditions.all[1]`"),
            "{}",
            warning.message
        );
    }

    #[test]
    fn values_export_would_write_differently_pass_through() {
        for value in [json!("Open"), json!(["open"]), json!(null)] {
            let c = ApiCondition {
                field: "status".into(),
                operator: "is".into(),
                value,
            };
            assert!(test(&c).is_err(), "{c:?}");
        }
        assert!(operand(Domain::Number, &json!("96")).is_some());
        assert!(operand(Domain::Number, &json!("096")).is_none());
    }

    #[test]
    fn a_broken_rule_is_reported_and_the_others_imported() {
        let imported = import(json!({"triggers": [
            {"title": "No conditions", "actions": [{"field": "status", "value": "open"}]},
            {"title": "Fine", "conditions": {"all": [{"field": "status", "operator": "is",
             "value": "new"}]}, "actions": [{"field": "status", "value": "open"}]}
        ]}));
        assert_eq!(imported.rules.len(), 1);
        let error = &imported.diagnostics[0];
        assert_eq!(error.code, Code::ZendeskMissingKey);
        assert!(
            error.message.contains("`No conditions`")
                && error.message.contains("`t.json`")
                && error.message.contains("`triggers[0].conditions`"),
            "{}",
            error.message
        );
    }
}
