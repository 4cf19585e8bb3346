//! `zendesk r#"{...}"#`: conditions and actions the catalog does not model, kept as the
//! Zendesk API wrote them. The checker makes sure they are JSON objects of the API's shape,
//! and says that declic will export them unchanged but cannot evaluate them.

use serde_json::{Map, Value};

use super::rules::{Action, ActionTarget, Operand, Passthrough};
use super::Context;
use crate::catalog::Lang;
use crate::diagnostics::{excerpt, Code, Diagnostic};
use crate::syntax::ast::Spanned;

/// A passthrough condition: an object whose `field` and `operator` are strings.
pub(super) fn condition(cx: &mut Context<'_>, json: &Spanned<String>) -> Option<Passthrough> {
    let object = object(cx, json, &["field", "operator"])?;
    let what = format!("`{} {}`", text(&object, "field"), text(&object, "operator"));
    cx.push(kept(&what, json));
    Some(Passthrough {
        json: object,
        span: json.span,
    })
}

/// A passthrough action: an object whose `field` is a string.
pub(super) fn action(cx: &mut Context<'_>, json: &Spanned<String>) -> Option<Action> {
    let object = object(cx, json, &["field"])?;
    cx.push(kept(&format!("`{}`", text(&object, "field")), json));
    Some(Action {
        target: ActionTarget::Zendesk(Passthrough {
            json: object,
            span: json.span,
        }),
        value: Operand::None,
        texts: Vec::new(),
        lang: Lang::Api,
        span: json.span,
    })
}

fn text<'a>(object: &'a Map<String, Value>, key: &str) -> &'a str {
    object.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn kept(what: &str, json: &Spanned<String>) -> Diagnostic {
    Diagnostic::advice(
        Code::Passthrough,
        format!("{} is kept as Zendesk wrote it", excerpt(what)),
    )
    .label(json.span, "exported unchanged, never evaluated")
    .help("declic's catalog does not model this: only its shape is checked, and the engine does not run it")
}

/// The JSON object written, with every key in `strings` a string (even empty: what
/// Zendesk wrote is kept, not judged).
fn object(
    cx: &mut Context<'_>,
    json: &Spanned<String>,
    strings: &[&str],
) -> Option<Map<String, Value>> {
    let problem = match serde_json::from_str::<Value>(&json.node) {
        Err(e) => format!("is not JSON: {e}"),
        Ok(Value::Object(object)) => match strings
            .iter()
            .find(|k| !object.get(**k).is_some_and(Value::is_string))
        {
            None => return Some(object),
            Some(key) => format!("needs a string `{key}`"),
        },
        Ok(_) => "is not a JSON object".to_string(),
    };
    let shape = if strings.contains(&"operator") {
        r##"zendesk r#"{"field": "...", "operator": "...", "value": "..."}"#"##
    } else {
        r##"zendesk r#"{"field": "...", "value": "..."}"#"##
    };
    cx.push(
        Diagnostic::error(
            Code::InvalidValue,
            format!("this Zendesk passthrough {problem}"),
        )
        .label(json.span, "not a Zendesk API object")
        .help(format!("write the API's object as it is: `{shape}`")),
    );
    None
}
