//! Expectations after a step: what must have fired, what must not have, what the ticket
//! must hold and which effects must be among the outcome's. Only what is named is checked.

use serde_json::{Map, Value};

use super::diff::Mismatch;
use super::shape::{check_partial, effect_fields, effect_types};
use super::ticket::{self, custom_field_id};
use super::tree::{unknown_key, Node, Sink};
use crate::catalog::nearest;
use crate::check::rules::id_of;
use crate::diagnostics::{did_you_mean, excerpt, Code, Diagnostic, Span};
use crate::model::{Effect, Firing, Outcome};

/// A trigger named in an expectation, with its place for diagnostics.
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    /// The trigger's title, or its Zendesk id as `#123`.
    pub name: String,
    /// Where the name is written.
    pub span: Span,
}

impl Named {
    /// Whether this names the trigger that made `firing`: by its title, or else by its id.
    pub fn names(&self, firing: &Firing) -> bool {
        *firing.trigger == *self.name || id_of(&self.name).is_some_and(|id| firing.id == Some(id))
    }
}

/// One check of the resulting ticket.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldCheck {
    /// The value at a path of the ticket's JSON (`messaging_session.state`) is this one.
    Equals {
        /// The keys from the ticket down.
        path: Vec<String>,
        /// The value.
        expected: Value,
    },
    /// Custom field `id` holds this value.
    CustomField {
        /// The field id.
        id: u64,
        /// The value.
        expected: Value,
    },
    /// The tags are exactly these, in any order.
    Tags(Vec<String>),
    /// The tags include all of these.
    TagsInclude(Vec<String>),
    /// The tags include none of these.
    TagsExclude(Vec<String>),
}

/// An effect that must be among the outcome's: its type and the fields named.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectCheck {
    /// `type` and the other fields named, as the effect's JSON.
    pub expected: Map<String, Value>,
    /// The trigger the effect names, if the expectation names one.
    pub trigger: Option<Named>,
}

/// What must hold after a step.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Expect {
    /// The triggers that fire, exactly and in firing order.
    pub fired: Option<Vec<Named>>,
    /// Triggers that must not fire.
    pub not_fired: Vec<Named>,
    /// Checks of the resulting ticket.
    pub ticket: Vec<FieldCheck>,
    /// Effects that must be emitted.
    pub effects: Vec<EffectCheck>,
    /// Effects that must not be emitted: no effect may have every field one names.
    pub no_effects: Vec<EffectCheck>,
    /// The effects emitted, exactly and in emission order, each as far as it is named.
    pub effects_exactly: Option<Vec<EffectCheck>>,
    /// Checks of the routing decision after the triggers, each a path of its JSON
    /// (`queue.name`, `agent.agent_id`) and the value there.
    pub routing: Vec<FieldCheck>,
}

impl Expect {
    /// Every trigger title the expectation names, to check against the rule set.
    pub fn triggers(&self) -> impl Iterator<Item = &Named> {
        self.firings()
            .chain(self.effect_checks().filter_map(|e| e.trigger.as_ref()))
    }

    /// Every effect the expectation names: expected, refused or listed exactly.
    pub fn effect_checks(&self) -> impl Iterator<Item = &EffectCheck> {
        self.effects
            .iter()
            .chain(&self.no_effects)
            .chain(self.effects_exactly.iter().flatten())
    }

    /// The triggers `fired` and `not_fired` name, by title or by `#id`.
    pub fn firings(&self) -> impl Iterator<Item = &Named> {
        self.fired.iter().flatten().chain(&self.not_fired)
    }
}

const KEYS: &[&str] = &[
    "fired",
    "not_fired",
    "ticket",
    "effects",
    "no_effects",
    "effects_exactly",
    "routing",
];
const TAG_KEYS: &[&str] = &["tags_include", "tags_exclude"];

/// Reads a step's `expect` table.
pub(crate) fn parse(sink: &mut Sink, node: Node<'_, '_>) -> Option<Expect> {
    let mut table = node.table(sink, "expect")?;
    let names = |sink: &mut Sink, node: Option<Node<'_, '_>>, what: &str| {
        node.and_then(|n| n.strings(sink, what)).map(|list| {
            list.into_iter()
                .map(|(name, span)| Named { name, span })
                .collect::<Vec<_>>()
        })
    };
    let fired = table.get("fired");
    let not_fired = table.get("not_fired");
    let expect = Expect {
        fired: names(sink, fired, "fired"),
        not_fired: names(sink, not_fired, "not_fired").unwrap_or_default(),
        ticket: table
            .get("ticket")
            .and_then(|n| ticket_checks(sink, n))
            .unwrap_or_default(),
        effects: effects(sink, table.get("effects"), "effects").unwrap_or_default(),
        no_effects: effects(sink, table.get("no_effects"), "no_effects").unwrap_or_default(),
        effects_exactly: effects(sink, table.get("effects_exactly"), "effects_exactly"),
        routing: table
            .get("routing")
            .and_then(|n| routing_checks(sink, n))
            .unwrap_or_default(),
    };
    table.finish(sink, KEYS, "`expect`");
    Some(expect)
}

fn ticket_checks(sink: &mut Sink, node: Node<'_, '_>) -> Option<Vec<FieldCheck>> {
    let mut table = node.table(sink, "expect.ticket")?;
    let mut checks = Vec::new();
    for (key, check) in [
        ("tags_include", FieldCheck::TagsInclude as fn(_) -> _),
        ("tags_exclude", FieldCheck::TagsExclude),
    ] {
        if let Some(tags) = table.get(key).and_then(|n| n.strings(sink, key)) {
            checks.push(check(tags.into_iter().map(|(t, _)| t).collect()));
        }
    }
    let fields = ticket::fields(sink, &table, TAG_KEYS, "`expect.ticket`")?;
    for (key, value) in fields {
        match (custom_field_id(&key), key.as_str()) {
            (Some(id), _) => checks.push(FieldCheck::CustomField {
                id,
                expected: value,
            }),
            (None, "tags") => checks.push(FieldCheck::Tags(strings(&value))),
            (None, _) => flatten(vec![key], value, &mut checks),
        }
    }
    Some(checks)
}

/// `expect.routing`: a partial routing decision, each leaf one check.
fn routing_checks(sink: &mut Sink, node: Node<'_, '_>) -> Option<Vec<FieldCheck>> {
    node.table(sink, "expect.routing")?;
    let Value::Object(map) = node.json(sink)? else {
        return None;
    };
    let mut checks = Vec::new();
    for (key, value) in map {
        flatten(vec![key], value, &mut checks);
    }
    Some(checks)
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// A table in an expectation is partial at every depth: each of its leaves is one check.
fn flatten(path: Vec<String>, value: Value, out: &mut Vec<FieldCheck>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let mut deeper = path.clone();
                deeper.push(key);
                flatten(deeper, inner, out);
            }
        }
        expected => out.push(FieldCheck::Equals { path, expected }),
    }
}

/// A list of expected effects under `key`, if the expectation has it.
fn effects(sink: &mut Sink, node: Option<Node<'_, '_>>, key: &str) -> Option<Vec<EffectCheck>> {
    let items = node?.array(sink, key)?;
    Some(items.iter().filter_map(|n| effect(sink, *n)).collect())
}

fn effect(sink: &mut Sink, node: Node<'_, '_>) -> Option<EffectCheck> {
    let table = node.table(sink, "an expected effect")?;
    let before = sink.diagnostics.len();
    let mut expected = Map::new();
    let mut trigger = None;
    let mut kind = None;
    for (key, _, value) in table.entries() {
        if key == "type" {
            kind = value
                .str(sink, "type")
                .and_then(|k| effect_type(sink, k, value.span));
        }
        if key == "trigger" {
            trigger = value.str(sink, "trigger").map(|name| Named {
                name: name.to_owned(),
                span: value.span,
            });
        }
        if let Some(json) = value.json(sink) {
            expected.insert(key.to_owned(), json);
        }
    }
    let Some(kind) = kind else {
        if !expected.contains_key("type") {
            sink.push(
                Diagnostic::error(Code::MissingKey, "an expected effect needs `type`")
                    .label(table.span, "no `type` here")
                    .help(format!("effect types: {}", effect_types().join(", "))),
            );
        }
        return None;
    };
    let fields = effect_fields(kind).unwrap_or_default();
    for (key, key_span, _) in table.entries() {
        if !fields.contains(&key) {
            unknown_effect_field(sink, kind, key, key_span, &fields);
        }
    }
    if sink.diagnostics.len() > before {
        return None;
    }
    // Effects are told apart by their `type` tag, which hides the path of a bad value
    // from the error: each field is checked alone with the type, to point at it.
    let mut bad = false;
    for (key, _, value) in table.entries().filter(|(key, _, _)| *key != "type") {
        let Some(json) = expected.get(key) else {
            continue;
        };
        let alone = Map::from_iter([
            ("type".to_owned(), Value::from(kind)),
            (key.to_owned(), json.clone()),
        ]);
        if let Err((_, message)) = check_partial::<Effect>(&Value::Object(alone)) {
            sink.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("invalid value for effect field `{key}`"),
                )
                .label(value.span, "not accepted here")
                .help(message),
            );
            bad = true;
        }
    }
    if bad {
        return None;
    }
    if let Err((path, message)) = check_partial::<Effect>(&Value::Object(expected.clone())) {
        sink.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!("invalid value for effect field `{path}`"),
            )
            .label(table.at(&path), "not accepted here")
            .help(message),
        );
        return None;
    }
    Some(EffectCheck { expected, trigger })
}

fn effect_type(sink: &mut Sink, name: &str, span: Span) -> Option<&'static str> {
    let types = effect_types();
    if let Some(kind) = types.iter().find(|t| **t == name) {
        return Some(kind);
    }
    let nearest = nearest(name, types.iter().map(|t| (*t, *t)));
    sink.push(
        Diagnostic::error(
            Code::UnknownEffect,
            format!("unknown effect type `{}`", excerpt(name)),
        )
        .label(span, "not an effect type")
        .help(
            did_you_mean(&nearest).unwrap_or_else(|| format!("effect types: {}", types.join(", "))),
        ),
    );
    None
}

fn unknown_effect_field(
    sink: &mut Sink,
    kind: &str,
    key: &str,
    span: Span,
    fields: &[&'static str],
) {
    let before = sink.diagnostics.len();
    unknown_key(sink, key, span, fields, &format!("a `{kind}` effect"));
    // The same report as any unknown key, under the code of effects.
    if let Some(d) = sink.diagnostics.get_mut(before) {
        d.code = Code::UnknownEffect;
    }
}

/// What does not hold in `outcome`, in the order the expectation names it.
pub(crate) fn check(expect: &Expect, outcome: &Outcome) -> Vec<Mismatch> {
    let mut out = Vec::new();
    if let Some(expected) = &expect.fired {
        let fired = fired_names(expect, &outcome.fired);
        let expected: Vec<String> = expected.iter().map(|n| n.name.clone()).collect();
        if expected != fired {
            out.push(Mismatch::Fired {
                expected,
                actual: fired,
            });
        }
    }
    for name in &expect.not_fired {
        if outcome.fired.iter().any(|f| name.names(f)) {
            out.push(Mismatch::FiredUnexpectedly {
                trigger: name.name.clone(),
            });
        }
    }
    let ticket = serde_json::to_value(&outcome.ticket).unwrap_or(Value::Null);
    out.extend(expect.ticket.iter().filter_map(|c| check_field(c, &ticket)));
    let effects: Vec<Value> = outcome
        .effects
        .iter()
        .map(|e| serde_json::to_value(e).unwrap_or(Value::Null))
        .collect();
    out.extend(check_effects(&expect.effects, &effects));
    out.extend(check_no_effects(&expect.no_effects, &effects));
    if let Some(exactly) = &expect.effects_exactly {
        out.extend(check_effects_exactly(exactly, &effects));
    }
    if !expect.routing.is_empty() {
        // No routing is `null`, so that any expected value of it is a mismatch.
        let routing = serde_json::to_value(&outcome.routing).unwrap_or(Value::Null);
        out.extend(
            expect
                .routing
                .iter()
                .filter_map(|c| match check_field(c, &routing) {
                    Some(Mismatch::Field {
                        field,
                        expected,
                        actual,
                    }) => Some(Mismatch::Routing {
                        field,
                        expected,
                        actual,
                    }),
                    other => other,
                }),
        );
    }
    out
}

/// The triggers that fired, each named as the expectation names it: `#id` where it names
/// the trigger by id, its title otherwise; so the lists compare as written, and a diff
/// shows each trigger the way the scenario wrote it.
fn fired_names(expect: &Expect, fired: &[Firing]) -> Vec<String> {
    fired
        .iter()
        .map(|f| {
            expect
                .firings()
                .find(|n| id_of(&n.name).is_some() && n.names(f))
                .map_or_else(|| f.trigger.to_string(), |n| n.name.clone())
        })
        .collect()
}

fn check_field(check: &FieldCheck, ticket: &Value) -> Option<Mismatch> {
    let tags = strings(&ticket["tags"]);
    let field = |field: String, expected: &Value, actual: Value| {
        (*expected != actual).then(|| Mismatch::Field {
            field,
            expected: expected.clone(),
            actual,
        })
    };
    match check {
        FieldCheck::Equals { path, expected } => {
            let actual = path.iter().fold(ticket, |v, k| &v[k.as_str()]);
            field(path.join("."), expected, actual.clone())
        }
        FieldCheck::CustomField { id, expected } => {
            let actual = ticket["custom_fields"]
                .as_array()
                .and_then(|fields| fields.iter().find(|f| f["id"] == *id))
                .map_or(Value::Null, |f| f["value"].clone());
            field(format!("custom_fields_{id}"), expected, actual)
        }
        FieldCheck::Tags(expected) => {
            let (mut want, mut have) = (expected.clone(), tags);
            want.sort();
            have.sort();
            field("tags".to_owned(), &Value::from(want), Value::from(have))
        }
        FieldCheck::TagsInclude(expected) => {
            let missing: Vec<String> = expected
                .iter()
                .filter(|t| !tags.contains(t))
                .cloned()
                .collect();
            (!missing.is_empty()).then_some(Mismatch::TagsMissing {
                missing,
                actual: tags,
            })
        }
        FieldCheck::TagsExclude(expected) => {
            let present: Vec<String> = expected
                .iter()
                .filter(|t| tags.contains(t))
                .cloned()
                .collect();
            (!present.is_empty()).then_some(Mismatch::TagsPresent {
                present,
                actual: tags,
            })
        }
    }
}

/// Whether `effect` has every field `check` names, with its value.
fn matches(check: &EffectCheck, effect: &Value) -> bool {
    check.expected.iter().all(|(k, v)| effect[k.as_str()] == *v)
}

/// Each expected effect must match an effect of its own: the first one, in emission
/// order, that has every field it names.
fn check_effects(expected: &[EffectCheck], actual: &[Value]) -> Vec<Mismatch> {
    let mut used = vec![false; actual.len()];
    let mut out = Vec::new();
    for check in expected {
        let found = actual
            .iter()
            .enumerate()
            .position(|(i, effect)| !used[i] && matches(check, effect));
        match found {
            Some(i) => used[i] = true,
            None => out.push(Mismatch::Effect {
                expected: Value::Object(check.expected.clone()),
                actual: actual.to_vec(),
            }),
        }
    }
    out
}

/// No effect may match a refused one; each refused effect that is emitted is reported
/// once, with the first effect that matches it.
fn check_no_effects(refused: &[EffectCheck], actual: &[Value]) -> Vec<Mismatch> {
    refused
        .iter()
        .filter_map(|check| {
            let found = actual.iter().find(|effect| matches(check, effect))?;
            Some(Mismatch::EffectPresent {
                refused: Value::Object(check.expected.clone()),
                emitted: found.clone(),
            })
        })
        .collect()
}

/// The effects emitted are exactly as many as listed, and each matches the one listed at
/// its place.
fn check_effects_exactly(listed: &[EffectCheck], actual: &[Value]) -> Option<Mismatch> {
    let same = listed.len() == actual.len()
        && listed
            .iter()
            .zip(actual)
            .all(|(check, effect)| matches(check, effect));
    (!same).then(|| Mismatch::Effects {
        expected: listed
            .iter()
            .map(|c| Value::Object(c.expected.clone()))
            .collect(),
        actual: actual.to_vec(),
    })
}
