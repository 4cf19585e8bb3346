//! Actions: assignments (`Priorité = Basse`, `Tags += vip`) and phrases
//! (`Mettre fin à la session`, `notify requester "Subject" "Body"`).

use super::account::{self, Titled};
use super::rules::{Action, ActionTarget, Operand};
use super::value::{self, span_of, text_of};
use super::{passthrough, Context};
use crate::catalog::actions::{self, ActionKey, Args};
use crate::catalog::fields::FieldRef;
use crate::catalog::values::{self, DAYS_FROM_NOW};
use crate::catalog::{self, Catalog, Domain, Found, Lang, Scope};
use crate::diagnostics::{did_you_mean, excerpt, Code, Diagnostic, Span};
use crate::syntax::ast::{self, AssignOp, Atom, TriggerKind};

/// Resolves one action line.
pub(super) fn action(cx: &mut Context<'_>, action: &ast::Action) -> Option<Action> {
    match action {
        ast::Action::Assign {
            name,
            op,
            value,
            span,
        } => assignment(cx, name, op, value, *span),
        ast::Action::Phrase { atoms, span } => phrase(cx, atoms, *span),
        ast::Action::Zendesk(json) => passthrough::action(cx, json),
    }
}

fn assignment(
    cx: &mut Context<'_>,
    name: &ast::Name,
    op: &ast::Spanned<AssignOp>,
    value: &[Atom],
    span: Span,
) -> Option<Action> {
    let catalog = Catalog::get();
    let found = match catalog.action(&name.text) {
        Some(found) => found,
        None => return custom_field(cx, name, op, value, span),
    };
    let target = match (op.node, found.item.args) {
        (AssignOp::Set, _) => found.item,
        (AssignOp::Add, Args::Tags) => actions::get(ActionKey::AddTags),
        (AssignOp::Remove, Args::Tags) => actions::get(ActionKey::RemoveTags),
        (AssignOp::Add | AssignOp::Remove, _) => {
            cx.push(
                Diagnostic::error(
                    Code::OperatorNotAllowed,
                    format!("`{}` cannot be added to or removed from", name.text),
                )
                .label(op.span, "`+=` and `-=` work on tags only")
                .help(format!("set it with `=`: `{} = ...`", name.text)),
            );
            return None;
        }
    };
    let found = Found {
        item: target,
        lang: found.lang,
    };
    check_scope(cx, &found, name.span)?;
    let (value, texts) = arguments(cx, &found, &name.text, name.span, value)?;
    Some(Action {
        target: ActionTarget::Known(found.item),
        value,
        texts,
        lang: found.lang,
        span,
    })
}

/// `custom_fields_123 = premium`, `Champ personnalisé 123 = oui`.
fn custom_field(
    cx: &mut Context<'_>,
    name: &ast::Name,
    op: &ast::Spanned<AssignOp>,
    value: &[Atom],
    span: Span,
) -> Option<Action> {
    let found = match Catalog::get().field(&name.text) {
        Some(Found {
            item: FieldRef::Custom(id),
            lang,
        }) => Some((id, lang)),
        _ => match account::field(cx, &name.text, name.span) {
            Titled::Found(FieldRef::Custom(id)) => Some((id, Lang::En)),
            Titled::Reported => return None,
            _ => None,
        },
    };
    let Some((id, lang)) = found else {
        let mut d = unknown_action(&name.text, name.span);
        // Nothing of the catalog is near: more likely a custom field's title than a typo.
        let near = Catalog::get().nearest_actions(&name.text);
        if let (true, Some(hint)) = (near.is_empty(), account::without_account(cx, &name.text)) {
            d.help = d.help.map(|help| format!("{help}; {hint}"));
        }
        cx.push(d);
        return None;
    };
    if op.node != AssignOp::Set {
        cx.push(
            Diagnostic::error(Code::OperatorNotAllowed, "custom fields are set with `=`")
                .label(op.span, "`+=` and `-=` work on tags only"),
        );
        return None;
    }
    if value.is_empty() {
        cx.push(missing_value(&name.text, name.span, "a value"));
        return None;
    }
    let value = match relative_days(value) {
        Some(days) => Operand::Number(days),
        None => value::custom(cx, id, value, &name.text)?,
    };
    Some(Action {
        target: ActionTarget::CustomField(id),
        value,
        texts: Vec::new(),
        lang,
        span,
    })
}

/// The days of a date field set relative to the update's date, as bare words: `in 3 days`,
/// `dans 3 jours`, or the API's `days_from_now 3`. A quoted `"in 3 days"` stays text.
/// A custom field action holds them as [`Operand::Number`], which no other value of a
/// custom field action takes (those are text).
fn relative_days(atoms: &[Atom]) -> Option<f64> {
    if atoms.iter().any(|a| a.quoted) {
        return None;
    }
    let words: Vec<String> = atoms.iter().map(|a| catalog::fold(&a.text)).collect();
    let days = match words.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["in", n, "day" | "days"] | ["dans", n, "jour" | "jours"] | [DAYS_FROM_NOW, n] => n,
        _ => return None,
    };
    let n: u32 = days.parse().ok()?;
    (n.to_string() == days).then_some(f64::from(n))
}

/// A phrase's name is its longest run of leading words that names an action; the rest are
/// its arguments.
fn phrase(cx: &mut Context<'_>, atoms: &[Atom], span: Span) -> Option<Action> {
    let catalog = Catalog::get();
    let words = atoms.iter().take_while(|a| !a.quoted).count();
    let found = (1..=words).rev().find_map(|n| {
        let name = text_of(&atoms[..n]);
        catalog.action(&name).map(|found| (found, n))
    });
    let Some((found, n)) = found else {
        let name = text_of(&atoms[..words.max(1)]);
        cx.push(unknown_action(&name, span_of(&atoms[..words.max(1)])));
        return None;
    };
    let name_span = span_of(&atoms[..n]);
    let name = text_of(&atoms[..n]);
    check_scope(cx, &found, name_span)?;
    let (value, texts) = arguments(cx, &found, &name, name_span, &atoms[n..])?;
    Some(Action {
        target: ActionTarget::Known(found.item),
        value,
        texts,
        lang: found.lang,
        span,
    })
}

fn check_scope(
    cx: &mut Context<'_>,
    found: &Found<&'static actions::Action>,
    span: Span,
) -> Option<()> {
    let wrong = matches!(
        (found.item.scope, cx.kind),
        (
            Scope::Messaging,
            TriggerKind::Ticket | TriggerKind::Automation
        ) | (Scope::Ticket, TriggerKind::Messaging)
    );
    if wrong {
        let (kind, other) = match cx.kind {
            TriggerKind::Ticket => ("ticket", "messaging"),
            TriggerKind::Messaging => ("messaging", "ticket"),
            // Automations act on tickets: a messaging action is what they lack.
            TriggerKind::Automation => ("ticket", "messaging"),
        };
        cx.push(
            Diagnostic::error(
                Code::WrongTriggerKind,
                format!(
                    "`{}` is not an action of {kind} triggers",
                    found.item.names.canonical(found.lang)
                ),
            )
            .label(span, format!("only {other} triggers can do this"))
            .help(format!("move it to a `{other} trigger`")),
        );
        return None;
    }
    Some(())
}

/// Checks what follows an action's name against what the action takes.
fn arguments(
    cx: &mut Context<'_>,
    found: &Found<&'static actions::Action>,
    name: &str,
    name_span: Span,
    args: &[Atom],
) -> Option<(Operand, Vec<String>)> {
    match found.item.args {
        Args::None if args.is_empty() => Some((Operand::None, Vec::new())),
        Args::None => {
            cx.push(wrong_arguments(
                name,
                span_of(args),
                "takes no argument",
                "remove what follows it",
            ));
            None
        }
        Args::Value(_) | Args::Tags if args.is_empty() => {
            cx.push(missing_value(name, name_span, &found.item.args.describe()));
            None
        }
        Args::Value(domain) => {
            let value = value::resolve(cx, domain, args, name)?;
            if clears(found.item.key, domain, &value) {
                cx.push(cannot_clear(name, span_of(args)));
                return None;
            }
            Some((value, Vec::new()))
        }
        Args::Tags => Some((value::resolve(cx, Domain::Tags, args, name)?, Vec::new())),
        Args::Message { to, texts } => {
            // The recipient is the words before the first string (`current user`), or
            // the first argument.
            let words = args
                .iter()
                .take_while(|a| !a.quoted)
                .count()
                .max(1)
                .min(args.len());
            let (recipient, rest) = args.split_at(words);
            let count_fits = rest.len() == texts.len()
                || (found.item.key == ActionKey::NotifyWebhook && rest.len() % 2 == 0);
            if recipient.is_empty() || !count_fits || !rest.iter().all(|a| a.quoted) {
                let mut shape = format!("a recipient then {}, each in quotes", texts.join(" and "));
                if found.item.key == ActionKey::NotifyWebhook {
                    shape.push_str(", or pairs of a key and a value");
                }
                let at = if args.is_empty() {
                    name_span
                } else {
                    span_of(args)
                };
                cx.push(wrong_arguments(
                    name,
                    at,
                    &format!("takes {shape}"),
                    &example(found.item.key),
                ));
                return None;
            }
            let value = value::resolve(cx, to, recipient, name)?;
            Some((value, rest.iter().map(|a| a.text.clone()).collect()))
        }
        Args::Texts(texts) => {
            if args.len() != texts.len() || !args.iter().all(|a| a.quoted) {
                let at = if args.is_empty() {
                    name_span
                } else {
                    span_of(args)
                };
                let shape = format!("takes {}, each in quotes", texts.join(" and "));
                cx.push(wrong_arguments(name, at, &shape, &example(found.item.key)));
                return None;
            }
            Some((Operand::None, args.iter().map(|a| a.text.clone()).collect()))
        }
    }
}

/// Whether `value` would clear a field Zendesk offers no empty choice for: priority and
/// type keep a value once they have one.
fn clears(key: ActionKey, domain: Domain, value: &Operand) -> bool {
    let Operand::Enum(i) = value else {
        return false;
    };
    matches!(key, ActionKey::Priority | ActionKey::TicketType)
        && domain
            .values()
            .get(*i)
            .is_some_and(|v| values::is_empty_api(v.names.api))
}

fn cannot_clear(name: &str, span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::InvalidValue,
        format!("`{name}` cannot be cleared by an action"),
    )
    .label(span, "Zendesk offers no empty choice here")
    .help(format!(
        "a trigger may set `{name}` to a value but not remove it; \
         test `{name} is None` in the conditions instead, or drop the action"
    ))
}

fn example(key: ActionKey) -> String {
    let example = match key {
        ActionKey::NotifyUser => r#"notify requester "Subject" "Body {{ticket.id}}""#,
        ActionKey::NotifyGroup => r#"notify group 360001234567 "Subject" "Body""#,
        ActionKey::NotifyWebhook => r#"webhook 360001234567 "{\"id\": \"{{ticket.id}}\"}""#,
        ActionKey::NotifyTarget => r#"notify target 360001234567 "Message""#,
        ActionKey::ReplyPublic => r#"public reply "Thank you for your message""#,
        ActionKey::ReplyInternal => r#"internal note "Escalated by a trigger""#,
        ActionKey::SideConversationTicket => {
            r#"side conversation ticket 360001234567 "Subject" "Body""#
        }
        ActionKey::SendMessage => r#"send message "We will be right with you""#,
        _ => return String::new(),
    };
    format!("for example `{example}`")
}

fn wrong_arguments(name: &str, span: Span, what: &str, help: &str) -> Diagnostic {
    let d = Diagnostic::error(Code::WrongArguments, format!("`{name}` {what}"))
        .label(span, "these arguments do not fit");
    if help.is_empty() {
        d
    } else {
        d.help(help.to_string())
    }
}

fn missing_value(name: &str, span: Span, what: &str) -> Diagnostic {
    Diagnostic::error(Code::MissingValue, format!("`{name}` needs a value"))
        .label(span, "nothing is set")
        .help(format!("`{name}` takes {what}"))
}

fn unknown_action(name: &str, span: Span) -> Diagnostic {
    let near = Catalog::get().nearest_actions(name);
    let message = match did_you_mean(&near) {
        Some(dym) => format!("unknown action `{}`; {dym}", excerpt(name)),
        None => format!("unknown action `{}`", excerpt(name)),
    };
    Diagnostic::error(Code::UnknownAction, message)
        .label(span, "not an action of the catalog")
        .help(
            "actions are named in English, in French or by their Zendesk API name \
             (`End session`, `Mettre fin à la session`, `end_messaging_session`); \
             `declic catalog` lists them all",
        )
}
