//! Names that an account's metadata gives meaning to: custom fields, groups, users,
//! webhooks, schedules and brands by title, drop-down options by name. Without account
//! metadata none of this applies and rules use ids.

use super::Context;
use crate::account::{Kind, Lookup, TicketField};
use crate::catalog::fields::FieldRef;
use crate::diagnostics::{did_you_mean, excerpt, Code, Diagnostic, Span};

/// What looking a title up in the account gave.
pub(super) enum Titled<T> {
    /// The title names this.
    Found(T),
    /// The title is ambiguous, or names nothing the account lists; reported.
    Reported,
    /// There is no account, or it says nothing about such titles: decide without it.
    Unknown,
}

/// What to add to the help of `name`, a name that resolved to nothing and may be a title
/// of the account (a custom field, group, user...), when no account metadata was given:
/// how to give it.
pub(super) fn without_account(cx: &Context<'_>, name: &str) -> Option<String> {
    cx.account.is_none().then(|| {
        format!(
            "if `{}` is a title in your Zendesk account, pass `--account DIR` (a folder of \
             the account's API exports: ticket_fields.json, groups.json...) so that titles \
             resolve",
            excerpt(name)
        )
    })
}

/// The custom field titled `title` (`"Product area"`).
pub(super) fn field(cx: &mut Context<'_>, title: &str, span: Span) -> Titled<FieldRef> {
    let Some(account) = cx.account else {
        return Titled::Unknown;
    };
    match account.field(title) {
        Lookup::Found(f) => Titled::Found(FieldRef::Custom(f.id)),
        Lookup::Ambiguous(fields) => {
            let ids: Vec<String> = fields.iter().map(|f| f.id.to_string()).collect();
            cx.push(ambiguous(
                "custom fields",
                title,
                span,
                &ids,
                "custom_fields_",
            ));
            Titled::Reported
        }
        Lookup::Missing => Titled::Unknown,
    }
}

/// Custom field titles near an unknown field name, for did-you-mean.
pub(super) fn nearest_fields<'a>(cx: &Context<'a>, name: &str) -> Vec<&'a str> {
    cx.account
        .map(|a| a.nearest_fields(name))
        .unwrap_or_default()
}

/// The id of the object of kind `of` (`group`, `webhook`...) titled `text`. An id the
/// account lists is taken as written. When `text` may itself be an id (webhook ids are
/// text), one the account does not list is a warning, since the metadata may be older than
/// the rules; otherwise it is an error.
pub(super) fn id(
    cx: &mut Context<'_>,
    of: &str,
    text: &str,
    span: Span,
    may_be_id: bool,
) -> Titled<String> {
    let (Some(account), Some(kind)) = (cx.account, Kind::of(of)) else {
        return Titled::Unknown;
    };
    if account.by_id(kind, text).is_some() {
        return Titled::Found(text.to_string());
    }
    match account.find(kind, text) {
        Lookup::Found(n) => Titled::Found(n.id.clone()),
        Lookup::Ambiguous(found) => {
            let ids: Vec<String> = found.iter().map(|n| n.id.clone()).collect();
            cx.push(ambiguous(&format!("{of}s"), text, span, &ids, ""));
            Titled::Reported
        }
        Lookup::Missing if account.knows(kind) => {
            let near = account.nearest(kind, text);
            let message = match did_you_mean(&near) {
                Some(dym) => format!("no {of} is titled `{}`; {dym}", excerpt(text)),
                None => format!("no {of} is titled `{}`", excerpt(text)),
            };
            let help = format!("write the {of}'s title as the account metadata has it, or its id");
            if may_be_id {
                cx.push(
                    Diagnostic::warning(Code::UnknownValue, message)
                        .label(
                            span,
                            format!("taken as a {of} id the account does not list"),
                        )
                        .help(help),
                );
                return Titled::Found(text.to_string());
            }
            cx.push(
                Diagnostic::error(Code::UnknownValue, message)
                    .label(span, format!("not a {of} of the account"))
                    .help(help),
            );
            Titled::Reported
        }
        Lookup::Missing => Titled::Unknown,
    }
}

/// The value of drop-down field `id` named `text`: the option's value (its tag), which is
/// what Zendesk compares. Fields without options take any value; a value that is no option
/// is a warning (an option may have been removed since), and is kept as written.
pub(super) fn option(cx: &mut Context<'_>, id: u64, text: &str, span: Span) -> Titled<String> {
    let Some(field) = cx.account.and_then(|a| a.field_by_id(id)) else {
        return Titled::Unknown;
    };
    if field.options.is_empty() {
        return Titled::Unknown;
    }
    match field.option(text) {
        Lookup::Found(o) => Titled::Found(o.value.clone()),
        Lookup::Ambiguous(options) => {
            let values: Vec<String> = options.iter().map(|o| o.value.clone()).collect();
            cx.push(ambiguous("options", text, span, &values, ""));
            Titled::Reported
        }
        Lookup::Missing if text.is_empty() => Titled::Found(String::new()),
        Lookup::Missing => {
            cx.push(unknown_option(field, text, span));
            Titled::Found(text.to_string())
        }
    }
}

fn unknown_option(field: &TicketField, text: &str, span: Span) -> Diagnostic {
    let near = field.nearest_options(text);
    let title = &field.title;
    let message = match did_you_mean(&near) {
        Some(dym) => format!("`{title}` has no option `{}`; {dym}", excerpt(text)),
        None => format!("`{title}` has no option `{}`", excerpt(text)),
    };
    let names: Vec<String> = field
        .options
        .iter()
        .take(10)
        .map(|o| format!("`{}`", o.name))
        .collect();
    Diagnostic::warning(Code::UnknownValue, message)
        .label(span, format!("not an option of `{title}`"))
        .help(format!("`{title}` takes {}", names.join(", ")))
}

fn ambiguous(what: &str, title: &str, span: Span, ids: &[String], prefix: &str) -> Diagnostic {
    let ids: Vec<String> = ids.iter().map(|id| format!("`{prefix}{id}`")).collect();
    Diagnostic::error(
        Code::AmbiguousName,
        format!("{} {what} are titled `{}`", ids.len(), excerpt(title)),
    )
    .label(span, "this title names more than one")
    .help(format!("use the id instead: {}", ids.join(" or ")))
}
