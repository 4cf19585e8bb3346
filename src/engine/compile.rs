//! Checked rules to the compiled form: every enumeration value resolved to the model's
//! integer code, every text lower-cased, every tag list split, once, so that evaluation
//! compares integers and pre-folded text only.

use std::sync::Arc;

use serde::de::DeserializeOwned;

use super::footprint;
use super::text::{self, Word};
use crate::catalog::actions::ActionKey;
use crate::catalog::fields::{Field, FieldKey, FieldRef};
use crate::catalog::values;
use crate::catalog::TriggerKind;
use crate::catalog::{Domain, Lang, Op};
use crate::check::rules::{self, ActionTarget, Condition, Operand, RuleSet};
use crate::model::{
    ConversationEvent, EndReason, HoursTest, InactiveReason, Part, Priority, Role, RoutingChannel,
    Satisfaction, SessionState, Status, StatusCategory, Tag, TicketType, Unsupported,
};

/// The deepest condition tree the engine evaluates; the checker's trees are far shallower,
/// and the guard keeps a hand-built [`RuleSet`] from overflowing the stack.
pub const MAX_DEPTH: usize = 64;

/// Why a rule set cannot be compiled. The checker never produces such a rule set; these
/// errors guard the public [`RuleSet`], which callers may also build by hand.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CompileError {
    /// A field was tested with an operator it does not allow.
    #[error("trigger `{trigger}`: `{field}` cannot be tested with `{op}`")]
    OperatorNotAllowed {
        /// The trigger's title.
        trigger: String,
        /// The field's API name.
        field: String,
        /// The operator.
        op: Op,
    },
    /// A value does not fit its field or action (wrong kind, index out of range, negative
    /// id).
    #[error("trigger `{trigger}`: invalid value for `{what}`: {detail}")]
    InvalidValue {
        /// The trigger's title.
        trigger: String,
        /// The field's or action's API name.
        what: String,
        /// What is wrong.
        detail: String,
    },
    /// A condition tree nests deeper than [`MAX_DEPTH`].
    #[error("trigger `{trigger}`: conditions nest deeper than {MAX_DEPTH} levels")]
    TooDeep {
        /// The trigger's title.
        trigger: String,
    },
}

/// One compiled trigger.
#[derive(Debug)]
pub(crate) struct Trigger {
    /// Shared with every firing and effect it records.
    pub title: Arc<str>,
    /// The Zendesk id, which tells apart triggers that share a title.
    pub zendesk_id: Option<i64>,
    pub kind: TriggerKind,
    /// Conversation events a messaging trigger runs on; empty means every event.
    pub events: Vec<ConversationEvent>,
    pub once_per_ticket: bool,
    pub cond: Cond,
    pub actions: Vec<Act>,
    /// Each test as its author wrote it, in tree order, with the author's language: only
    /// explanations read these.
    pub labels: Vec<(Box<str>, Lang)>,
    /// Its Zendesk conditions declic cannot evaluate: when there is one, the trigger is
    /// not evaluated (`cond` never holds) and the outcome lists them.
    pub not_evaluated: Vec<Unsupported>,
    /// Its Zendesk actions declic cannot apply, left out of `actions`: the outcome lists
    /// them each time the trigger fires.
    pub not_applied: Vec<Unsupported>,
    /// What it reads of the working ticket and what its firing writes
    /// ([`super::footprint`]).
    pub reads: u64,
    pub writes: u64,
}

impl Trigger {
    /// Whether it has a condition declic cannot evaluate, and so is never evaluated.
    pub fn unevaluable(&self) -> bool {
        !self.not_evaluated.is_empty()
    }
}

/// A compiled condition tree.
#[derive(Debug)]
pub(crate) enum Cond {
    All(Vec<Cond>),
    Any(Vec<Cond>),
    /// Not every member holds.
    Not(Vec<Cond>),
    Test(Test),
    /// `key is want` (`is`) or `key is not want`: the commonest tests, on a status, group,
    /// channel..., compiled apart so that they read the code directly (`eval::code_of`)
    /// rather than through the generic read and compare. `present` is `is not None`.
    Code {
        key: FieldKey,
        is: bool,
        want: Option<i64>,
    },
    /// `Tags includes want` (`any`) or `Tags excludes want`, likewise.
    Tags {
        any: bool,
        want: Vec<String>,
    },
    /// An automation's time condition, read on the ticket's clock at the update's time.
    Hours(HoursTest),
}

/// A compiled test.
#[derive(Debug)]
pub(crate) struct Test {
    pub read: Read,
    pub op: Op,
    pub want: Want,
}

/// What part of the ticket or update a test reads.
#[derive(Debug)]
pub(crate) enum Read {
    Known(FieldKey),
    Custom(u64),
    OrgCustom(Box<str>),
    /// A field of the requester (`requester.custom_fields.<key>`).
    UserCustom(Box<str>),
}

/// The compiled right-hand side of a test.
#[derive(Debug)]
pub(crate) enum Want {
    /// No value (`present`, `changed`).
    None,
    /// An enumeration code, an id, a channel number or a boolean (0/1); `None` is "no
    /// value" (no priority, no type).
    Code(Option<i64>),
    /// A symbolic id whose number depends on the update (`current_user`).
    Dynamic(Special),
    /// Any value at all: `Comment is Present (public or private)` holds when the update
    /// carries a comment, whichever its visibility.
    AnyValue,
    /// "No value": a custom field's `""` or `__NULL__`, which holds when the field is
    /// `null`, `""`, `[]` or missing.
    Empty,
    /// Text, lower-cased, compared whole (the recipient).
    Text(Box<str>),
    /// Text, lower-cased, that subject and comment tests look for anywhere (`is`,
    /// `contains`).
    Substring(Box<str>),
    /// Words and quoted phrases, lower-cased, that subject and comment tests look for on
    /// word boundaries (`includes`).
    Words(Vec<Word>),
    /// Tags, lower-cased.
    Tags(Vec<String>),
    /// A custom field value in every form it may be compared in.
    Raw(Raw),
}

/// Symbolic ids resolved at evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Special {
    CurrentUser,
    Requester,
    TicketGroup,
    /// The ticket's assignee, which a 2015 account compares the assignee with.
    TicketAssignee,
}

/// A custom field operand, pre-parsed every way a JSON value may be compared with it.
#[derive(Debug)]
pub(crate) struct Raw {
    pub text: Box<str>,
    pub lower: Box<str>,
    pub number: Option<f64>,
    pub boolean: Option<bool>,
    /// The words of the operand (option tags of a multi-select, words and quoted phrases
    /// of a text).
    pub words: Vec<Word>,
}

/// A compiled action.
#[derive(Debug)]
pub(crate) enum Act {
    Status(Status),
    Priority(Option<Priority>),
    TicketType(Option<TicketType>),
    /// `None` removes the group.
    Group(Option<u64>),
    Assignee(UserTarget),
    Form(u64),
    Brand(u64),
    Schedule(u64),
    SetTags(Vec<Tag>),
    AddTags(Vec<Tag>),
    RemoveTags(Vec<Tag>),
    CustomField {
        id: u64,
        value: String,
    },
    /// A date field set that many days after the update's date.
    CustomFieldDays {
        id: u64,
        days: u32,
    },
    SatisfactionOffered,
    RoutingChannel(RoutingChannel),
    NotifyUser {
        to: String,
        subject: String,
        body: String,
    },
    NotifyGroup {
        group: String,
        subject: String,
        body: String,
    },
    Webhook {
        id: String,
        body: String,
        params: Vec<[String; 2]>,
    },
    Target {
        id: String,
        message: String,
    },
    SendCsat,
    SendCsatByEmail,
    Reply {
        public: bool,
        body: String,
    },
    SideConversation {
        group: String,
        subject: String,
        body: String,
    },
    SendMessage(String),
    EndSession,
}

/// Who an assignee action assigns.
#[derive(Debug, Clone, Copy)]
pub(crate) enum UserTarget {
    Id(u64),
    CurrentUser,
    Requester,
    /// `Assignee = None`: unassigns.
    Nobody,
}

/// A model enumeration from its API spelling, the one key the catalog and the model share.
pub(crate) fn from_api<T: DeserializeOwned>(api: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(api.to_owned())).ok()
}

/// The integer code a test compares for an enumeration value; the evaluator computes the
/// same code from the ticket with the same `as i64` casts (see `eval::code_of`).
pub(crate) fn enum_code(key: FieldKey, api: &str) -> Option<Option<i64>> {
    Some(match key {
        FieldKey::UpdateType => Some(if api == "Create" { 0 } else { 1 }),
        FieldKey::Status => Some(from_api::<Status>(api)? as i64),
        FieldKey::StatusCategory => Some(from_api::<StatusCategory>(api)? as i64),
        // The empty API value is "no priority"/"no type": the absent value.
        FieldKey::Priority if values::is_empty_api(api) => None,
        FieldKey::Priority => Some(i64::from(from_api::<Priority>(api)?.rank())),
        FieldKey::TicketType if values::is_empty_api(api) => None,
        FieldKey::TicketType => Some(from_api::<TicketType>(api)? as i64),
        FieldKey::Channel | FieldKey::UpdateVia => Some(values::via_number(api)?),
        FieldKey::CommentVisibility | FieldKey::TicketVisibility => {
            Some(i64::from(api == "true" || api == "public"))
        }
        FieldKey::CurrentUserRole | FieldKey::RequesterRole => Some(from_api::<Role>(api)? as i64),
        FieldKey::Satisfaction => Some(from_api::<Satisfaction>(api)? as i64),
        FieldKey::RoutingChannel => Some(from_api::<RoutingChannel>(api)? as i64),
        FieldKey::SessionState => Some(from_api::<SessionState>(api)? as i64),
        FieldKey::SessionInactiveReason => Some(from_api::<InactiveReason>(api)? as i64),
        FieldKey::SessionEndReason => Some(from_api::<EndReason>(api)? as i64),
        _ => return None,
    })
}

pub(crate) fn compile_rules(rules: &RuleSet) -> Result<Vec<Trigger>, CompileError> {
    compile_active(&rules.triggers)
}

/// The active ones of `rules` (triggers or automations), compiled in order.
pub(crate) fn compile_active(rules: &[rules::Trigger]) -> Result<Vec<Trigger>, CompileError> {
    let mut triggers: Vec<Trigger> = rules
        .iter()
        .filter(|t| t.active)
        .map(compile_trigger)
        .collect::<Result<_, _>>()?;
    footprint::mark(&mut triggers);
    Ok(triggers)
}

fn compile_trigger(t: &rules::Trigger) -> Result<Trigger, CompileError> {
    let cx = Cx { trigger: &t.title };
    let events = t
        .events
        .iter()
        .map(|&i| {
            values::CONVERSATION_EVENTS
                .get(i)
                .and_then(|v| from_api::<ConversationEvent>(v.names.api))
                .ok_or_else(|| cx.invalid("on", format!("no conversation event {i}")))
        })
        .collect::<Result<_, _>>()?;
    let title: Arc<str> = t.title.as_str().into();
    let mut cond = cx.cond(&t.conditions, 0)?;
    let mut labels = labels(t);
    let mut kept = Vec::new();
    zendesk_conditions(&t.conditions, &mut kept);
    let not_evaluated: Vec<Unsupported> = kept
        .into_iter()
        .map(|p| unsupported(t, &title, Part::Condition, p))
        .collect();
    if !not_evaluated.is_empty() {
        // Not evaluated at all: a tree that never holds, with no test to explain.
        (cond, labels) = (Cond::Any(Vec::new()), Vec::new());
    }
    let mut actions = Vec::with_capacity(t.actions.len());
    let mut not_applied = Vec::new();
    for a in &t.actions {
        match &a.target {
            ActionTarget::Zendesk(p) => {
                not_applied.push(unsupported(t, &title, Part::Action, p));
            }
            _ => actions.push(cx.action(a)?),
        }
    }
    Ok(Trigger {
        title,
        zendesk_id: t.zendesk_id,
        kind: t.kind,
        events,
        once_per_ticket: t.once_per_ticket,
        cond,
        actions,
        labels,
        not_evaluated,
        not_applied,
        // Set with the other triggers', which share the tag bits.
        reads: 0,
        writes: 0,
    })
}

/// The Zendesk conditions of a tree [`Cx::cond`] has compiled (so no deeper than
/// [`MAX_DEPTH`]), in tree order.
fn zendesk_conditions<'c>(c: &'c Condition, out: &mut Vec<&'c rules::Passthrough>) {
    match c {
        Condition::All(m) | Condition::Any(m) | Condition::Not(m) => {
            m.iter().for_each(|c| zendesk_conditions(c, out));
        }
        Condition::Test(_) | Condition::Hours { .. } => {}
        Condition::Zendesk(p) => out.push(p),
    }
}

/// What the outcome says of a Zendesk condition or action of `t`: the line as written,
/// and why it does not run.
fn unsupported(
    t: &rules::Trigger,
    title: &Arc<str>,
    part: Part,
    p: &rules::Passthrough,
) -> Unsupported {
    let written = t.origin.source.text.get(p.span.start..p.span.end);
    let raw = match written.map(str::trim) {
        Some(w) if !w.is_empty() => w.to_owned(),
        // A hand-built rule set has no text: the line it stands for.
        _ => format!(
            "zendesk r#\"{}\"#",
            serde_json::Value::Object(p.json.clone())
        ),
    };
    let operator = p.json.get("operator").and_then(serde_json::Value::as_str);
    let reason = match (part, operator) {
        (Part::Condition, op) => format!(
            "declic cannot evaluate the Zendesk condition `{}{}`: the trigger was not evaluated",
            p.field(),
            op.map(|op| format!(" {op}")).unwrap_or_default()
        ),
        (Part::Action, _) => format!(
            "declic cannot apply the Zendesk action `{}`: it was not applied, the trigger's \
             other actions were",
            p.field()
        ),
    };
    Unsupported {
        trigger: Arc::clone(title),
        id: t.zendesk_id,
        part,
        raw: raw.into(),
        reason: reason.into(),
    }
}

/// The tests of a trigger in the order [`Cx::cond`] compiles them, each as its author
/// wrote it; a hand-built rule set without that text gets the canonical spelling.
fn labels(t: &rules::Trigger) -> Vec<(Box<str>, Lang)> {
    fn walk(c: &Condition, text: &str, out: &mut Vec<(Box<str>, Lang)>) {
        match c {
            Condition::All(m) | Condition::Any(m) | Condition::Not(m) => {
                m.iter().for_each(|c| walk(c, text, out));
            }
            Condition::Test(t) => {
                let written = text.get(t.span.start..t.span.end).map(str::trim);
                let label = match written {
                    Some(w) if !w.is_empty() => w.to_owned(),
                    _ => t.to_text(),
                };
                out.push((label.into(), t.lang));
            }
            Condition::Hours { test, lang, span } => {
                let written = text.get(span.start..span.end).map(str::trim);
                let label = match written {
                    Some(w) if !w.is_empty() => w.to_owned(),
                    _ => crate::check::text::hours_text(test, *lang),
                };
                out.push((label.into(), *lang));
            }
            // A trigger with one is not evaluated: its labels are dropped.
            Condition::Zendesk(_) => {}
        }
    }
    let mut out = Vec::new();
    walk(&t.conditions, &t.origin.source.text, &mut out);
    out
}

/// Whether field `key` is read as a code (`eval::code_of`): an enumeration, an id or a
/// boolean.
pub(crate) fn reads_code(key: FieldKey) -> bool {
    matches!(
        crate::catalog::fields::get(key).domain,
        Domain::Enum { .. } | Domain::Id { .. } | Domain::Bool
    )
}

/// A test in its direct form when it has one ([`Cond::Code`], [`Cond::Tags`]).
pub(crate) fn direct(t: Test) -> Cond {
    let Read::Known(key) = t.read else {
        return Cond::Test(t);
    };
    match (key, t.op, t.want) {
        (_, Op::Is | Op::IsNot, Want::Code(want)) => Cond::Code {
            key,
            is: t.op == Op::Is,
            want,
        },
        // A code is present when it is not "no value".
        (_, Op::Present | Op::NotPresent, Want::None) if reads_code(key) => Cond::Code {
            key,
            is: t.op == Op::NotPresent,
            want: None,
        },
        (FieldKey::Tags, Op::Includes | Op::Excludes, Want::Tags(want)) => Cond::Tags {
            any: t.op == Op::Includes,
            want,
        },
        (_, op, want) => Cond::Test(Test {
            read: t.read,
            op,
            want,
        }),
    }
}

/// Subject and comment text as Zendesk tests it: `is` and `contains` look for the string
/// anywhere, `includes` and `excludes` for the words.
fn searched(key: FieldKey, op: Op, want: Want) -> Want {
    let Want::Text(lower) = want else {
        return want;
    };
    match (key, op) {
        (FieldKey::Subject | FieldKey::CommentText, Op::Includes | Op::Excludes) => {
            Want::Words(text::words(&lower))
        }
        (FieldKey::Subject | FieldKey::CommentText, _) => Want::Substring(lower),
        _ => Want::Text(lower),
    }
}

struct Cx<'a> {
    trigger: &'a str,
}

impl Cx<'_> {
    fn invalid(&self, what: &str, detail: impl Into<String>) -> CompileError {
        CompileError::InvalidValue {
            trigger: self.trigger.to_owned(),
            what: what.to_owned(),
            detail: detail.into(),
        }
    }

    fn cond(&self, c: &Condition, depth: usize) -> Result<Cond, CompileError> {
        if depth > MAX_DEPTH {
            return Err(CompileError::TooDeep {
                trigger: self.trigger.to_owned(),
            });
        }
        let all = |members: &[Condition]| -> Result<Vec<Cond>, CompileError> {
            members.iter().map(|m| self.cond(m, depth + 1)).collect()
        };
        Ok(match c {
            Condition::All(m) => Cond::All(all(m)?),
            Condition::Any(m) => Cond::Any(all(m)?),
            Condition::Not(m) => Cond::Not(all(m)?),
            Condition::Test(t) => direct(self.test(t)?),
            // Never holds; `compile_trigger` marks the whole trigger not evaluated.
            Condition::Zendesk(_) => Cond::Any(Vec::new()),
            // Read on the ticket's clock at the update's time: the hourly run's time for
            // an automation (the checker keeps time conditions out of triggers).
            Condition::Hours { test, .. } => Cond::Hours(*test),
        })
    }

    fn test(&self, t: &rules::Test) -> Result<Test, CompileError> {
        if !t.field.ops().contains(&t.op) {
            return Err(CompileError::OperatorNotAllowed {
                trigger: self.trigger.to_owned(),
                field: t.field.api(),
                op: t.op,
            });
        }
        let (read, want) = match &t.field {
            FieldRef::Known(f) => (
                Read::Known(f.key),
                searched(f.key, t.op, self.want(f, &t.value)?),
            ),
            FieldRef::Custom(id) => (Read::Custom(*id), self.raw(&t.field.api(), &t.value)?),
            FieldRef::OrganizationCustom(k) => (
                Read::OrgCustom(k.as_str().into()),
                self.raw(&t.field.api(), &t.value)?,
            ),
            FieldRef::UserCustom(k) => (
                Read::UserCustom(k.as_str().into()),
                self.raw(&t.field.api(), &t.value)?,
            ),
        };
        Ok(Test {
            read,
            op: t.op,
            want,
        })
    }

    /// The operand of a test on `field`, read in that catalog row's own values (a legacy
    /// spelling's row may list more than the current one).
    fn want(&self, field: &Field, value: &Operand) -> Result<Want, CompileError> {
        let key = field.key;
        let bad = |detail: &str| self.invalid(field.names.api, detail);
        Ok(match value {
            Operand::None => Want::None,
            Operand::Enum(i) => {
                let v = field
                    .domain
                    .values()
                    .get(*i)
                    .ok_or_else(|| bad("enumeration index out of range"))?;
                match (key, v.names.api) {
                    (FieldKey::CommentVisibility, "not_relevant") => Want::AnyValue,
                    // The requester sees public comments only: a public comment is there.
                    (FieldKey::CommentVisibility, "requester_can_see_comment") => {
                        Want::Code(Some(1))
                    }
                    (_, api) => Want::Code(
                        enum_code(key, api).ok_or_else(|| bad("unknown enumeration value"))?,
                    ),
                }
            }
            Operand::Symbol(i) => {
                let api = field.domain.values().get(*i).map(|v| v.names.api);
                if api.is_some_and(values::is_empty_api) {
                    // `Group is None`: the absent id.
                    return Ok(Want::Code(None));
                }
                Want::Dynamic(match api {
                    Some("current_user") => Special::CurrentUser,
                    Some("requester_id") => Special::Requester,
                    Some("group_id") => Special::TicketGroup,
                    Some("assignee_id") => Special::TicketAssignee,
                    _ => return Err(bad("unknown symbolic id")),
                })
            }
            Operand::Integer(n) => Want::Code(Some(*n)),
            Operand::Bool(b) => Want::Code(Some(i64::from(*b))),
            // Hours are time conditions now (`Condition::Hours`), not fields.
            Operand::Number(_) => return Err(bad("no catalog field takes a number")),
            Operand::Text(s) => Want::Text(s.to_lowercase().into()),
            Operand::Tags(tags) => Want::Tags(tags.iter().map(|t| t.to_lowercase()).collect()),
        })
    }

    fn raw(&self, what: &str, value: &Operand) -> Result<Want, CompileError> {
        let text = match value {
            Operand::None => return Ok(Want::None),
            Operand::Text(s) if values::is_empty_api(s) => return Ok(Want::Empty),
            Operand::Text(s) => s.clone(),
            Operand::Integer(n) => n.to_string(),
            Operand::Number(n) => n.to_string(),
            Operand::Bool(b) => b.to_string(),
            Operand::Tags(t) => t.join(" "),
            Operand::Enum(_) | Operand::Symbol(_) => {
                return Err(self.invalid(what, "a custom field takes a plain value"))
            }
        };
        let lower = text.to_lowercase();
        Ok(Want::Raw(Raw {
            number: text.trim().parse().ok(),
            boolean: match lower.trim() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            words: text::words(&lower),
            lower: lower.into(),
            text: text.into(),
        }))
    }

    fn action(&self, a: &rules::Action) -> Result<Act, CompileError> {
        let key = match &a.target {
            ActionTarget::CustomField(id) => {
                if let Operand::Number(days) = a.value {
                    // A whole number of days, as the checker and the importer read it.
                    return Ok(Act::CustomFieldDays {
                        id: *id,
                        days: days as u32,
                    });
                }
                let Operand::Text(value) = &a.value else {
                    return Err(self.invalid("custom_fields", "expected text"));
                };
                return Ok(Act::CustomField {
                    id: *id,
                    value: value.clone(),
                });
            }
            // `compile_trigger` keeps these apart, as not applied.
            ActionTarget::Zendesk(p) => {
                return Err(self.invalid(p.field(), "a Zendesk action declic cannot apply"))
            }
            ActionTarget::Known(k) => k,
        };
        let api = key.names.api;
        let bad = |detail: &str| self.invalid(api, detail);
        let enum_api = || match (&a.value, key.args) {
            (Operand::Enum(i), crate::catalog::actions::Args::Value(d)) => d
                .values()
                .get(*i)
                .map(|v| v.names.api)
                .ok_or_else(|| bad("enumeration index out of range")),
            _ => Err(bad("expected an enumeration value")),
        };
        let id = || match a.value {
            Operand::Integer(n) => u64::try_from(n).map_err(|_| bad("negative id")),
            _ => Err(bad("expected an id")),
        };
        let tags = || match &a.value {
            Operand::Tags(t) => Ok(t.iter().map(|t| Tag::from(t.to_lowercase())).collect()),
            _ => Err(bad("expected tags")),
        };
        let text = |i: usize| a.texts.get(i).cloned().ok_or_else(|| bad("missing text"));
        let recipient = || match (&a.value, key.args) {
            (Operand::Integer(n), _) => Ok(n.to_string()),
            // Webhook and target ids are text (`01GZ8K...`).
            (Operand::Text(id), _) => Ok(id.clone()),
            (Operand::Symbol(i), crate::catalog::actions::Args::Message { to, .. }) => to
                .values()
                .get(*i)
                .map(|v| v.names.api.to_owned())
                .ok_or_else(|| bad("unknown recipient")),
            _ => Err(bad("expected a recipient")),
        };
        Ok(match key.key {
            ActionKey::Status => Act::Status(from_api(enum_api()?).ok_or_else(|| bad("status"))?),
            ActionKey::Priority => Act::Priority(match enum_api()? {
                "" => None,
                p => Some(from_api(p).ok_or_else(|| bad("priority"))?),
            }),
            ActionKey::TicketType => Act::TicketType(match enum_api()? {
                "" => None,
                t => Some(from_api(t).ok_or_else(|| bad("type"))?),
            }),
            // `Group = None` (`""`, `__NULL__`) removes the group.
            ActionKey::Group => Act::Group(match a.value {
                Operand::Symbol(_) => None,
                _ => Some(id()?),
            }),
            ActionKey::Assignee => Act::Assignee(match &a.value {
                Operand::Symbol(i) => match values::USER_SPECIAL.get(*i).map(|v| v.names.api) {
                    Some("current_user") => UserTarget::CurrentUser,
                    Some("requester_id") => UserTarget::Requester,
                    Some(api) if values::is_empty_api(api) => UserTarget::Nobody,
                    _ => return Err(bad("unknown symbolic user")),
                },
                _ => UserTarget::Id(id()?),
            }),
            ActionKey::Form => Act::Form(id()?),
            ActionKey::Brand => Act::Brand(id()?),
            ActionKey::SetSchedule => Act::Schedule(id()?),
            ActionKey::SetTags => Act::SetTags(tags()?),
            ActionKey::AddTags => Act::AddTags(tags()?),
            ActionKey::RemoveTags => Act::RemoveTags(tags()?),
            ActionKey::Satisfaction => Act::SatisfactionOffered,
            ActionKey::RoutingChannel => {
                Act::RoutingChannel(from_api(enum_api()?).ok_or_else(|| bad("routing channel"))?)
            }
            ActionKey::NotifyUser => Act::NotifyUser {
                to: recipient()?,
                subject: text(0)?,
                body: text(1)?,
            },
            ActionKey::NotifyGroup => Act::NotifyGroup {
                group: recipient()?,
                subject: text(0)?,
                body: text(1)?,
            },
            // One text is a JSON body; none, or pairs of texts, a webhook's parameters.
            ActionKey::NotifyWebhook => match &a.texts[..] {
                [body] => Act::Webhook {
                    id: recipient()?,
                    body: body.clone(),
                    params: Vec::new(),
                },
                pairs => Act::Webhook {
                    id: recipient()?,
                    body: String::new(),
                    params: pairs
                        .chunks(2)
                        .map(|kv| [kv[0].clone(), kv.get(1).cloned().unwrap_or_default()])
                        .collect(),
                },
            },
            ActionKey::NotifyTarget => Act::Target {
                id: recipient()?,
                message: text(0)?,
            },
            ActionKey::SendCsat => Act::SendCsat,
            ActionKey::SendCsatByEmail => Act::SendCsatByEmail,
            ActionKey::ReplyPublic => Act::Reply {
                public: true,
                body: text(0)?,
            },
            ActionKey::ReplyInternal => Act::Reply {
                public: false,
                body: text(0)?,
            },
            ActionKey::SideConversationTicket => Act::SideConversation {
                group: recipient()?,
                subject: text(0)?,
                body: text(1)?,
            },
            ActionKey::SendMessage => Act::SendMessage(text(0)?),
            ActionKey::EndSession => Act::EndSession,
        })
    }
}
