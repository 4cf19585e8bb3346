//! Condition trees: fields, operators and values.

use super::account::{self, Titled};
use super::rules::{Condition, Operand, Test};
use super::value::{self, span_of};
use super::{passthrough, Context};
use crate::catalog::fields::FieldRef;
use crate::catalog::time::TimeField;
use crate::catalog::{folds_to, with_folded, Catalog, Found, Lang, Op, Scope};
use crate::diagnostics::{did_you_mean, excerpt, Code, Diagnostic};
use crate::model::{HoursOp, HoursTest};
use crate::syntax::ast::{self, GroupKind, TriggerKind};

/// Resolves a group; `None` when anything in it is wrong (the problems are reported).
pub(super) fn group(cx: &mut Context<'_>, group: &ast::Group) -> Option<Condition> {
    if group.members.is_empty() {
        cx.push(
            Diagnostic::warning(Code::EmptyGroup, "this group has no conditions")
                .label(group.span, "empty group")
                .help("remove the group, or add conditions to it"),
        );
    }
    // Resolve every member before giving up, so one run reports every problem.
    let members: Vec<Option<Condition>> = group
        .members
        .iter()
        .map(|member| match member {
            ast::Test::Group(g) => self::group(cx, g),
            ast::Test::Condition(c) => condition(cx, c),
            ast::Test::Zendesk(json) => passthrough::condition(cx, json).map(Condition::Zendesk),
        })
        .collect();
    let members: Vec<Condition> = members.into_iter().collect::<Option<_>>()?;
    Some(match group.kind {
        GroupKind::All => Condition::All(members),
        GroupKind::Any => Condition::Any(members),
        GroupKind::Not => Condition::Not(members),
    })
}

fn condition(cx: &mut Context<'_>, c: &ast::Condition) -> Option<Condition> {
    if let Some(time) = Catalog::get().time(&c.field.text) {
        return hours(cx, c, time);
    }
    test(cx, c).map(Condition::Test)
}

/// A time condition: `Hours since pending > 48`. Where it may stand is the automation
/// checks' business ([`super::automation`]); here only its operator and hours.
fn hours(
    cx: &mut Context<'_>,
    c: &ast::Condition,
    found: Found<&'static TimeField>,
) -> Option<Condition> {
    let name = c.field.text.as_str();
    let lang = found.lang;
    let op = match c.op.node {
        Op::Is => HoursOp::Is,
        Op::Less => HoursOp::LessThan,
        Op::Greater => HoursOp::GreaterThan,
        other => {
            let allowed =
                [Op::Is, Op::Less, Op::Greater].map(|o| format!("`{}`", op_text(o, lang)));
            cx.push(
                Diagnostic::error(
                    Code::OperatorNotAllowed,
                    format!(
                        "`{name}` cannot be compared with `{}`",
                        op_text(other, lang)
                    ),
                )
                .label(c.op.span, "not an operator of time conditions")
                .help(format!(
                    "`{name}` allows {}, as Zendesk's automations do{}",
                    allowed.join(", "),
                    match other {
                        Op::GreaterOrEqual => "; hours are whole, so `>= 24` is `> 23`",
                        Op::LessOrEqual => "; hours are whole, so `<= 24` is `< 25`",
                        _ => "",
                    }
                )),
            );
            return None;
        }
    };
    let hours = match c.value.as_slice() {
        [] => {
            cx.push(
                Diagnostic::error(
                    Code::MissingValue,
                    format!("`{}` needs a value", op_text(c.op.node, lang)),
                )
                .label(c.op.span, "no number of hours after this operator")
                .help(format!(
                    "write the hours: `{name} {} 24`",
                    op_text(c.op.node, lang)
                )),
            );
            return None;
        }
        [atom] if !atom.quoted => whole_hours(&atom.text),
        _ => None,
    };
    let Some(hours) = hours else {
        let written = value::text_of(&c.value);
        cx.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!("`{}` is not a whole number of hours", excerpt(&written)),
            )
            .label(span_of(&c.value), "expected a number")
            .help(format!(
                "`{name}` takes a number of whole hours, such as `24` (automations run once \
                 an hour, so hours are whole)"
            )),
        );
        return None;
    };
    Some(Condition::Hours {
        test: HoursTest {
            moment: found.item.moment,
            op,
            business: found.item.business,
            hours,
        },
        lang,
        span: c.span,
    })
}

/// `48`: the hours of a time condition, a whole number.
fn whole_hours(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn test(cx: &mut Context<'_>, c: &ast::Condition) -> Option<Test> {
    let found = field(cx, &c.field)?;
    let name = c.field.text.as_str();
    let op = c.op.node;
    // The operator tells the language only of a name both languages spell alike; it is
    // read for those alone.
    let lang = if Catalog::get().field_spelled_alike(name) {
        op_lang(cx, c).unwrap_or(found.lang)
    } else {
        found.lang
    };
    let field = found.item;
    if !field.ops().contains(&op) {
        cx.push(operator_not_allowed(&field, name, op, c, lang));
        return None;
    }
    let value = match (op.takes_value(), c.value.is_empty()) {
        // Zendesk writes `""` as well as `null` after these operators; `""` keeps the
        // difference, so that an imported trigger exports back as it was.
        (false, false) if is_empty_string(&c.value) => Operand::Text(String::new()),
        (true, true) => {
            cx.push(
                Diagnostic::error(
                    Code::MissingValue,
                    format!("`{}` needs a value", op_text(op, lang)),
                )
                .label(c.op.span, "no value after this operator")
                .help(format!("`{name}` takes {}", field.domain().describe())),
            );
            return None;
        }
        (false, false) => {
            cx.push(
                Diagnostic::error(
                    Code::UnexpectedValue,
                    format!("`{}` takes no value", op_text(op, lang)),
                )
                .label(span_of(&c.value), "nothing may follow this operator")
                .help(format!(
                    "remove the value, or compare with it: `{name} {} ...`",
                    op_text(Op::Is, lang)
                )),
            );
            return None;
        }
        (false, true) => Operand::None,
        (true, false) => match &field {
            FieldRef::Custom(id) => value::custom(cx, *id, &c.value, name)?,
            _ => value::resolve(cx, field.domain(), &c.value, name)?,
        },
    };
    Some(Test {
        field,
        op,
        value,
        lang,
        span: c.span,
    })
}

/// `""`: the one value written after an operator that takes none.
fn is_empty_string(value: &[ast::Atom]) -> bool {
    matches!(value, [atom] if atom.quoted && atom.text.is_empty())
}

fn field(cx: &mut Context<'_>, name: &ast::Name) -> Option<Found<FieldRef>> {
    let catalog = Catalog::get();
    if let Some(found) = catalog.field(&name.text) {
        if let FieldRef::Known(f) = &found.item {
            let wrong_kind = matches!(
                (f.scope, cx.kind),
                (Scope::Ticket, TriggerKind::Messaging)
                    | (
                        Scope::Messaging,
                        TriggerKind::Ticket | TriggerKind::Automation
                    )
            );
            if wrong_kind {
                cx.push(
                    Diagnostic::error(
                        Code::WrongTriggerKind,
                        format!("`{}` cannot be tested by this kind of trigger", name.text),
                    )
                    .label(name.span, "not available here"),
                );
                return None;
            }
        }
        return Some(found);
    }
    match account::field(cx, &name.text, name.span) {
        Titled::Found(item) => {
            return Some(Found {
                item,
                lang: Lang::En,
            })
        }
        Titled::Reported => return None,
        Titled::Unknown => {}
    }
    let mut near: Vec<&str> = catalog.nearest_fields(&name.text);
    near.extend(account::nearest_fields(cx, &name.text));
    near.truncate(3);
    let message = match did_you_mean(&near) {
        Some(dym) => format!("unknown field `{}`; {dym}", excerpt(&name.text)),
        None => format!("unknown field `{}`", excerpt(&name.text)),
    };
    let mut help = "fields are named in English, in French or by their Zendesk API name \
                    (`Channel`, `Canal`, `via_id`); custom fields by id (`custom_fields_123`); \
                    `declic catalog` lists them all"
        .to_owned();
    // Nothing of the catalog is near: more likely a custom field's title than a typo.
    if let Some(hint) = near
        .is_empty()
        .then(|| account::without_account(cx, &name.text))
        .flatten()
    {
        help = format!("{help}; {hint}");
    }
    cx.push(
        Diagnostic::error(Code::UnknownField, message)
            .label(name.span, "not a field of the catalog")
            .help(help),
    );
    None
}

/// The language the operator was written in, when only one language spells it so.
fn op_lang(cx: &Context<'_>, c: &ast::Condition) -> Option<Lang> {
    let (en, fr) = with_folded(cx.text(c.op.span)?, |written| {
        (
            folds_to(c.op.node.en(), written),
            folds_to(c.op.node.fr(), written),
        )
    });
    match (en, fr) {
        (true, false) => Some(Lang::En),
        (false, true) => Some(Lang::Fr),
        _ => None,
    }
}

fn op_text(op: Op, lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => op.fr(),
        _ => op.en(),
    }
}

fn operator_not_allowed(
    field: &FieldRef,
    name: &str,
    op: Op,
    c: &ast::Condition,
    lang: Lang,
) -> Diagnostic {
    let allowed: Vec<String> = field
        .ops()
        .iter()
        .map(|o| format!("`{}`", op_text(*o, lang)))
        .collect();
    Diagnostic::error(
        Code::OperatorNotAllowed,
        format!("`{name}` cannot be compared with `{}`", op_text(op, lang)),
    )
    .label(c.op.span, "not an operator of this field")
    .help(format!("`{name}` allows {}", allowed.join(", ")))
}
