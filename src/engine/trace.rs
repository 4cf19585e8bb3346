//! A condition tree evaluated for an explanation: every member evaluated (no short
//! circuit, so a reader sees all the reasons), each test with the value it read, shown in
//! its author's language.

use std::slice;

use super::compile::{self, Cond, Read, Trigger};
use super::eval::{self, Val};
use super::explain::{Node, NodeKind};
use super::facts::Facts;
use super::snapshot::Snapshot;
use crate::catalog::fields::{self, FieldKey};
use crate::catalog::{Domain, Lang};
use crate::check::text::{bool_text, quote};

/// Longest text shown as a seen value; comments can be long.
const SHOWN_TEXT: usize = 60;

type Labels<'a> = slice::Iter<'a, (Box<str>, Lang)>;

/// The trigger's condition tree evaluated on `ticket`.
pub(crate) fn tree(t: &Trigger, ticket: &Facts<'_>, cx: &Snapshot<'_>) -> Node {
    node(&t.cond, ticket, cx, &mut t.labels.iter())
}

fn node(c: &Cond, ticket: &Facts<'_>, cx: &Snapshot<'_>, labels: &mut Labels<'_>) -> Node {
    let (kind, members) = match c {
        Cond::All(m) => (NodeKind::All, m),
        Cond::Any(m) => (NodeKind::Any, m),
        Cond::Not(m) => (NodeKind::Not, m),
        Cond::Test(t) => return leaf(c, &t.read, t.op.is_delta(), ticket, cx, labels),
        Cond::Code { key, .. } => return leaf(c, &Read::Known(*key), false, ticket, cx, labels),
        Cond::Tags { .. } => {
            return leaf(c, &Read::Known(FieldKey::Tags), false, ticket, cx, labels)
        }
    };
    let members: Vec<Node> = members
        .iter()
        .map(|m| node(m, ticket, cx, labels))
        .collect();
    let holds = match kind {
        NodeKind::Any => members.iter().any(|m| m.holds),
        NodeKind::Not => !members.iter().all(|m| m.holds),
        _ => members.iter().all(|m| m.holds),
    };
    Node {
        kind,
        holds,
        test: None,
        seen: None,
        members,
    }
}

/// A test, which reads `read` (before and after the update when `delta`).
fn leaf(
    c: &Cond,
    read: &Read,
    delta: bool,
    ticket: &Facts<'_>,
    cx: &Snapshot<'_>,
    labels: &mut Labels<'_>,
) -> Node {
    let (label, lang) = labels.next().map_or(("?", Lang::En), |(l, g)| (&**l, *g));
    Node {
        kind: NodeKind::Test,
        holds: eval::holds(c, ticket, cx),
        test: Some(label.to_owned()),
        seen: Some(seen(read, delta, ticket, cx, lang)),
        members: Vec::new(),
    }
}

/// The value a test read; for a change, the value before and after.
fn seen(read: &Read, delta: bool, ticket: &Facts<'_>, cx: &Snapshot<'_>, lang: Lang) -> String {
    let now = show(eval::read(read, ticket, cx), read, lang);
    if !delta {
        return now;
    }
    let before = match &cx.previous {
        Some(p) => show(eval::read(read, p, cx), read, lang),
        None => "(new ticket)".to_owned(),
    };
    format!("{before} → {now}")
}

fn show(v: Val<'_>, read: &Read, lang: Lang) -> String {
    match v {
        Val::Code(None) | Val::Text(None) | Val::Json(None) => "(none)".to_owned(),
        Val::Code(Some(c)) => code_name(read, c, lang),
        Val::Text(Some(s)) => quote(&shorten(s)),
        Val::Tags([]) => "(no tags)".to_owned(),
        Val::Tags(tags) => tags.join(" "),
        Val::Json(Some(j)) => shorten(&j.to_string()),
    }
}

/// An enumeration code by its name in `lang`; ids and unnamed channels as numbers.
fn code_name(read: &Read, code: i64, lang: Lang) -> String {
    let Read::Known(key) = read else {
        return code.to_string();
    };
    match fields::get(*key).domain {
        Domain::Bool => bool_text(code != 0, lang).to_owned(),
        Domain::Enum { values, .. } => values
            .iter()
            .find(|v| compile::enum_code(*key, v.names.api) == Some(Some(code)))
            .map_or_else(|| code.to_string(), |v| v.names.canonical(lang).to_owned()),
        _ => code.to_string(),
    }
}

fn shorten(s: &str) -> String {
    match s.char_indices().nth(SHOWN_TEXT) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_owned(),
    }
}
