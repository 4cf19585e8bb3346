//! `unknown_reference`: a group, webhook or custom field id that the account does not
//! have. Zendesk refuses such a trigger, or runs it against nothing. The ids come from the
//! account's metadata when the caller has it ([`Known`]); a kind of id it does not list
//! is not checked.

use std::collections::HashSet;

use super::{Cx, Finding};
use crate::catalog::actions::ActionKey;
use crate::catalog::fields::{FieldKey, FieldRef};
use crate::check::rules::{ActionTarget, Condition, Operand};
use crate::diagnostics::{Code, Span};

/// The ids an account has, by kind; `None` where the metadata says nothing of that kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Known {
    /// Group ids.
    pub groups: Option<HashSet<String>>,
    /// Webhook ids (Zendesk's are text, such as `01GZ8K...`).
    pub webhooks: Option<HashSet<String>>,
    /// Ticket custom field ids.
    pub custom_fields: Option<HashSet<String>>,
}

/// The kinds of ids the lint checks.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Group,
    Webhook,
    CustomField,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Group => "group",
            Kind::Webhook => "webhook",
            Kind::CustomField => "custom field",
        }
    }
}

impl From<&crate::account::Account> for Known {
    /// The ids `account` lists; a kind it lists nothing of is not checked.
    fn from(account: &crate::account::Account) -> Known {
        use crate::account::Kind as Of;
        let listed = |found: HashSet<String>| (!found.is_empty()).then_some(found);
        let named = |kind: Of| listed(account.ids(kind).map(str::to_owned).collect());
        Known {
            groups: named(Of::Group),
            // The checker already warns of webhooks the metadata does not list (it may be
            // older than the rules); the lint would say it twice.
            webhooks: None,
            custom_fields: listed(account.fields().iter().map(|f| f.id.to_string()).collect()),
        }
    }
}

impl Known {
    fn ids(&self, kind: Kind) -> Option<&HashSet<String>> {
        match kind {
            Kind::Group => self.groups.as_ref(),
            Kind::Webhook => self.webhooks.as_ref(),
            Kind::CustomField => self.custom_fields.as_ref(),
        }
    }

    /// Whether nothing is known, so there is nothing to check.
    fn is_empty(&self) -> bool {
        self.groups.is_none() && self.webhooks.is_none() && self.custom_fields.is_none()
    }
}

pub(super) fn check(cx: &Cx<'_>, i: usize, out: &mut Vec<Finding>) {
    if cx.known.is_empty() {
        return;
    }
    let t = &cx.rules.triggers[i];
    let mut refs = Vec::new();
    conditions(&t.conditions, &mut refs);
    for a in &t.actions {
        let kind = match (&a.target, a.target.key()) {
            (ActionTarget::CustomField(id), _) => Some((Kind::CustomField, id.to_string())),
            (_, Some(ActionKey::Group | ActionKey::NotifyGroup)) => {
                id(&a.value).map(|id| (Kind::Group, id))
            }
            (_, Some(ActionKey::NotifyWebhook)) => id(&a.value).map(|id| (Kind::Webhook, id)),
            _ => None,
        };
        refs.extend(kind.map(|(k, id)| (k, id, a.span)));
    }
    for (kind, id, span) in refs {
        let Some(ids) = cx.known.ids(kind) else {
            continue;
        };
        if ids.contains(&id) {
            continue;
        }
        let mut help = format!(
            "use the id of an existing {}, or create it in Zendesk first",
            kind.name()
        );
        if let Some(near) = nearest(ids, &id) {
            help.push_str(&format!("; known ids include {near}"));
        }
        let diagnostic = cx
            .at(
                i,
                Code::UnknownReference,
                format!("the account has no {} `{id}`", kind.name()),
                span,
                "unknown id",
            )
            .help(help);
        out.push(Finding {
            trigger: i,
            diagnostic,
        });
    }
}

fn id(value: &Operand) -> Option<String> {
    match value {
        Operand::Integer(n) => Some(n.to_string()),
        Operand::Text(s) => Some(s.clone()),
        _ => None,
    }
}

/// The group and custom field ids the conditions test.
fn conditions(c: &Condition, out: &mut Vec<(Kind, String, Span)>) {
    match c {
        Condition::All(m) | Condition::Any(m) | Condition::Not(m) => {
            m.iter().for_each(|c| conditions(c, out))
        }
        Condition::Test(t) => match &t.field {
            FieldRef::Custom(id) => out.push((Kind::CustomField, id.to_string(), t.span)),
            FieldRef::Known(f) if f.key == FieldKey::Group => {
                out.extend(id(&t.value).map(|id| (Kind::Group, id, t.span)));
            }
            _ => {}
        },
        Condition::Zendesk(_) | Condition::Hours { .. } => {}
    }
}

/// A few known ids close to `id` in value, for the help text (numeric ids only).
fn nearest(ids: &HashSet<String>, id: &str) -> Option<String> {
    let id: u64 = id.parse().ok()?;
    let mut sorted: Vec<u64> = ids.iter().filter_map(|k| k.parse().ok()).collect();
    sorted.sort_by_key(|k| k.abs_diff(id));
    sorted.truncate(3);
    sorted.sort_unstable();
    (!sorted.is_empty()).then(|| {
        sorted
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{lint, Config};

    const RULES: &str = "trigger \"r\" {\n when all {\n Ticket is Created\n Group is 10\n custom_fields_7 is present\n }\n then {\n Group = 11\n notify group 12 \"s\" \"b\"\n webhook 13 \"{}\"\n custom_fields_8 = x\n }\n}\n";

    fn ids(ids: &[u64]) -> HashSet<String> {
        ids.iter().map(u64::to_string).collect()
    }

    fn found(known: &Known) -> Vec<String> {
        let rules = crate::check(&[crate::Source::new("r.declic", RULES)])
            .into_result()
            .expect("checks");
        lint(&rules, &Config::default(), known)
            .iter()
            .filter(|d| d.code == Code::UnknownReference)
            .map(|d| d.message.clone())
            .collect()
    }

    #[test]
    fn nothing_is_checked_without_metadata() {
        assert!(found(&Known::default()).is_empty());
    }

    #[test]
    fn every_kind_of_id_is_checked_against_its_list() {
        let known = Known {
            groups: Some(ids(&[10, 11])),
            webhooks: Some(HashSet::new()),
            custom_fields: Some(ids(&[7])),
        };
        assert_eq!(
            found(&known),
            [
                "the account has no group `12`",
                "the account has no webhook `13`",
                "the account has no custom field `8`"
            ]
        );
    }

    #[test]
    fn a_kind_the_metadata_does_not_list_is_not_checked() {
        let known = Known {
            groups: Some(ids(&[10, 11, 12])),
            ..Known::default()
        };
        assert!(found(&known).is_empty());
    }

    #[test]
    fn unknown_references_are_errors_with_known_ids_in_the_help() {
        let rules = crate::check(&[crate::Source::new("r.declic", RULES)])
            .into_result()
            .expect("checks");
        let known = Known {
            groups: Some(ids(&[10, 11])),
            ..Known::default()
        };
        let d = lint(&rules, &Config::default(), &known);
        let d = d
            .iter()
            .find(|d| d.code == Code::UnknownReference)
            .expect("a finding");
        assert!(d.is_error());
        assert!(
            d.help.as_deref().unwrap_or_default().contains("`11`"),
            "{:?}",
            d.help
        );
    }
}
