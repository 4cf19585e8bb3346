//! Routing queues, checked: a queue's conditions are a trigger's (with Routing channel
//! among them), its groups are ids, and its numbers are in Zendesk's ranges.

use std::sync::Arc;

use super::account::{self, Titled};
use super::rules::{Condition, Origin};
use super::{condition, Context};
use crate::account::Account;
use crate::catalog::TriggerKind;
use crate::diagnostics::{excerpt, Code, Diagnostic, Source, Span};
use crate::syntax::ast::{self, QueueItem, Spanned};

/// Zendesk's limit of custom queues per account.
pub const MAX_QUEUES: usize = 199;
/// Zendesk's limit of primary, and of secondary, groups per queue.
pub const MAX_GROUPS: usize = 20;
/// Zendesk's limit of subqueues per queue.
pub const MAX_SUBQUEUES: usize = 5;
/// The lowest queue priority; 1 is the highest.
pub const LOWEST_PRIORITY: u8 = 100;

/// One checked custom queue.
#[derive(Debug, Clone)]
pub struct Queue {
    /// Its name.
    pub name: String,
    /// Its description, if any.
    pub description: Option<String>,
    /// The Zendesk id it was imported from or exports to (Zendesk's queue ids are text).
    pub zendesk_id: Option<String>,
    /// Its explicit order, if any; queues without one follow in file order.
    pub order: Option<i64>,
    /// Its priority, 1 (highest) to 100; 1 when not given.
    pub priority: u8,
    /// The conditions a ticket must meet for the queue to take it.
    pub conditions: Condition,
    /// The groups whose agents take its work.
    pub groups: Groups,
    /// Its subqueues, each with its share of the tickets (Enterprise); empty for a queue
    /// that is not split.
    pub subqueues: Vec<Subqueue>,
    /// Where it was written.
    pub origin: Origin,
    /// Where its name was written.
    pub title_span: Span,
    /// The comments written inside it or directly above it.
    pub comments: Vec<Spanned<String>>,
}

/// A queue's or subqueue's groups, by id, in the order written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Groups {
    /// Tried first.
    pub primary: Vec<u64>,
    /// Tried when no agent of a primary group can take the work.
    pub secondary: Vec<u64>,
}

/// A share of a split queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subqueue {
    /// Its name.
    pub name: String,
    /// Its share of the queue's tickets, in percent; a queue's shares total 100.
    pub percentage: u8,
    /// Its priority, 1 (highest) to 100.
    pub priority: u8,
    /// Its groups.
    pub groups: Groups,
}

/// Resolves the queues of one file, in file order, with the comments that belong to each;
/// a queue with errors is left out (every error reported).
pub(super) fn queues(
    source: &Arc<Source>,
    file: &ast::File,
    account: Option<&Account>,
    out: &mut Vec<Diagnostic>,
) -> Vec<Queue> {
    file.queues
        .iter()
        .filter_map(|q| {
            let mut cx = Context {
                source,
                diagnostics: out,
                kind: TriggerKind::Ticket,
                account,
            };
            let comments = super::attached_comments(&source.text, &file.comments, true, q.span);
            queue(&mut cx, source, q, comments)
        })
        .collect()
}

/// Puts queues in the order routing tries them: by explicit `order`, those without one
/// after, each kind in file order.
pub(super) fn order(mut queues: Vec<Queue>, out: &mut Vec<Diagnostic>) -> Vec<Queue> {
    queues.sort_by_key(|q| q.order.map_or((1, 0), |o| (0, o)));
    if queues.len() > MAX_QUEUES {
        out.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!(
                    "{} custom queues; Zendesk accepts at most {MAX_QUEUES}",
                    queues.len()
                ),
            )
            .help("merge queues whose conditions overlap"),
        );
    }
    queues
}

fn queue(
    cx: &mut Context<'_>,
    source: &Arc<Source>,
    q: &ast::Queue,
    comments: Vec<Spanned<String>>,
) -> Option<Queue> {
    let errors_before = cx.errors();
    let mut resolved = Queue {
        name: q.title.node.clone(),
        description: None,
        zendesk_id: None,
        order: None,
        priority: 1,
        conditions: Condition::All(Vec::new()),
        groups: Groups::default(),
        subqueues: Vec::new(),
        origin: Origin {
            source: Arc::clone(source),
            span: q.span,
        },
        title_span: q.title.span,
        comments,
    };
    let mut seen: Vec<(&'static str, Span)> = Vec::new();
    let mut when = false;
    for item in &q.items {
        if !once(cx, &mut seen, &item.node, item.span) {
            continue;
        }
        match &item.node {
            QueueItem::Description(d) => resolved.description = Some(d.clone()),
            QueueItem::Order(o) => resolved.order = Some(*o),
            QueueItem::Priority(p) => resolved.priority = priority(cx, *p, item.span),
            QueueItem::ZendeskId(id) => resolved.zendesk_id = Some(id.clone()),
            QueueItem::When(group) => {
                when = true;
                if let Some(c) = condition::group(cx, group) {
                    resolved.conditions = c;
                }
            }
            QueueItem::Groups(lines) => resolved.groups = groups(cx, lines),
            QueueItem::Subqueue(sub) => {
                if let Some(sub) = subqueue(cx, sub) {
                    resolved.subqueues.push(sub);
                }
            }
            QueueItem::Percentage(_) => cx.push(
                Diagnostic::error(Code::InvalidValue, "`percentage` belongs to subqueues")
                    .label(item.span, "a queue takes every ticket its conditions match")
                    .help("split the queue with `subqueue \"Name\" { percentage 30 ... }`"),
            ),
        }
    }
    if !when {
        cx.push(
            Diagnostic::error(
                Code::MissingConditions,
                format!("queue `{}` has no conditions", q.title.node),
            )
            .label(q.title.span, "has no conditions")
            .help("add `when all { ... }`: a custom queue takes the tickets its conditions match"),
        );
    }
    check_split(cx, q, &resolved);
    (cx.errors() == errors_before).then_some(resolved)
}

/// Reports a property given twice; whether this one is the first.
fn once(
    cx: &mut Context<'_>,
    seen: &mut Vec<(&'static str, Span)>,
    item: &QueueItem,
    span: Span,
) -> bool {
    let name = match item {
        QueueItem::Description(_) => "description",
        QueueItem::Order(_) => "order",
        QueueItem::Priority(_) => "priority",
        QueueItem::ZendeskId(_) => "id",
        QueueItem::When(_) => "when",
        QueueItem::Groups(_) => "groups",
        QueueItem::Percentage(_) => "percentage",
        QueueItem::Subqueue(_) => return true,
    };
    if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
        cx.push(
            Diagnostic::error(Code::DuplicateProperty, format!("`{name}` is given twice"))
                .label(span, "given again here")
                .label(*first, "first given here")
                .help(format!(
                    "a queue has one `{name}`; merge the two or remove one"
                )),
        );
        return false;
    }
    seen.push((name, span));
    true
}

fn priority(cx: &mut Context<'_>, p: i64, span: Span) -> u8 {
    match u8::try_from(p) {
        Ok(p @ 1..=LOWEST_PRIORITY) => p,
        _ => {
            cx.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("priority `{p}` is out of range"),
                )
                .label(span, "not from 1 to 100")
                .help("a queue's priority is 1 (highest) to 100 (lowest)"),
            );
            1
        }
    }
}

/// The groups of a `groups { ... }` block, by id.
fn groups(cx: &mut Context<'_>, lines: &[ast::GroupLine]) -> Groups {
    let mut groups = Groups::default();
    for line in lines {
        let Some(id) = group_id(cx, &line.name) else {
            continue;
        };
        let list = if line.secondary {
            &mut groups.secondary
        } else {
            &mut groups.primary
        };
        list.push(id);
        if list.len() == MAX_GROUPS + 1 {
            cx.push(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("more than {MAX_GROUPS} {} groups", kind_of(line.secondary)),
                )
                .label(line.span, "one too many")
                .help(format!(
                    "Zendesk takes at most {MAX_GROUPS} primary and {MAX_GROUPS} secondary groups a queue"
                )),
            );
        }
    }
    groups
}

fn kind_of(secondary: bool) -> &'static str {
    if secondary {
        "secondary"
    } else {
        "primary"
    }
}

/// A group's id, from its id or, with account metadata, its title.
fn group_id(cx: &mut Context<'_>, name: &ast::Name) -> Option<u64> {
    match account::id(cx, "group", &name.text, name.span, false) {
        Titled::Found(id) => return id.parse().ok(),
        Titled::Reported => return None,
        Titled::Unknown => {}
    }
    if let Ok(id) = name.text.trim().parse::<u64>() {
        return Some(id);
    }
    let mut d = Diagnostic::error(
        Code::UnknownValue,
        format!("group `{}` is not a group id", excerpt(&name.text)),
    )
    .label(
        name.span,
        "a group id, or a group title with account metadata",
    );
    if let Some(help) = account::without_account(cx, &name.text) {
        d = d.help(help);
    }
    cx.push(d);
    None
}

fn subqueue(cx: &mut Context<'_>, sub: &ast::Subqueue) -> Option<Subqueue> {
    let errors_before = cx.errors();
    let mut resolved = Subqueue {
        name: sub.title.node.clone(),
        percentage: 0,
        priority: 1,
        groups: Groups::default(),
    };
    let mut seen = Vec::new();
    for item in &sub.items {
        if !once(cx, &mut seen, &item.node, item.span) {
            continue;
        }
        match &item.node {
            QueueItem::Percentage(p) => match u8::try_from(*p) {
                Ok(p @ 1..=100) => resolved.percentage = p,
                _ => cx.push(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("percentage `{p}` is out of range"),
                    )
                    .label(item.span, "not from 1 to 100")
                    .help("the percentages of a queue's subqueues total 100"),
                ),
            },
            QueueItem::Priority(p) => resolved.priority = priority(cx, *p, item.span),
            QueueItem::Groups(lines) => resolved.groups = groups(cx, lines),
            // The grammar admits nothing else in a subqueue.
            _ => {}
        }
    }
    (cx.errors() == errors_before).then_some(resolved)
}

/// A split queue's subqueues: at most five, their shares totalling 100, and the groups on
/// them rather than on the queue.
fn check_split(cx: &mut Context<'_>, q: &ast::Queue, resolved: &Queue) {
    if resolved.subqueues.is_empty() {
        return;
    }
    let total: u32 = resolved
        .subqueues
        .iter()
        .map(|s| u32::from(s.percentage))
        .sum();
    let problem = if resolved.subqueues.len() > MAX_SUBQUEUES {
        Some(format!(
            "queue `{}` has {} subqueues; Zendesk allows at most {MAX_SUBQUEUES}",
            q.title.node,
            resolved.subqueues.len()
        ))
    } else if total != 100 {
        Some(format!(
            "the subqueues of `{}` total {total}%, not 100%",
            q.title.node
        ))
    } else if resolved.groups != Groups::default() {
        Some(format!(
            "queue `{}` has subqueues and groups of its own",
            q.title.node
        ))
    } else {
        None
    };
    if let Some(message) = problem {
        cx.push(
            Diagnostic::error(Code::InvalidValue, message)
                .label(q.title.span, "this queue is split")
                .help("a split queue has up to 5 subqueues, each with its percentage (totalling 100) and its groups"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> crate::Checked {
        crate::check(&[Source::new("q.declic", text)])
    }

    fn codes(text: &str) -> Vec<Code> {
        check(text).diagnostics.iter().map(|d| d.code).collect()
    }

    #[test]
    fn queues_read_in_english_and_in_french() {
        let english = "queue \"Agent-ended sessions as email\" {\n  order 2\n  priority 10\n  id \"01HG80ATNNZK1N7XRFVKX48XD6\"\n  when all {\n    Channel is Messaging\n    Routing channel is Email\n  }\n  groups {\n    primary 11\n    secondary 12\n  }\n}\n";
        let french = "file d'attente \"Sessions terminées\" {\n  ordre 1\n  priorité 20\n  quand tous {\n    Canal est Messagerie\n    Canal de routage est E-mail\n  }\n  groupes {\n    principal 11\n    secondaire 12\n  }\n}\n";
        let checked = check(&format!("{english}\n{french}"));
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        let queues = &checked.rules.queues;
        // Ordered by `order`, not by file place.
        assert_eq!(queues[0].name, "Sessions terminées");
        assert_eq!(queues[1].priority, 10);
        assert_eq!(
            queues[1].zendesk_id.as_deref(),
            Some("01HG80ATNNZK1N7XRFVKX48XD6")
        );
        for q in queues {
            assert_eq!(
                q.groups,
                Groups {
                    primary: vec![11],
                    secondary: vec![12]
                }
            );
            assert!(matches!(&q.conditions, Condition::All(m) if m.len() == 2));
        }
    }

    #[test]
    fn subqueues_split_a_queue_by_percentage() {
        let text = "queue \"Split\" {\n  when all {\n    Channel is Messaging\n  }\n  subqueue \"A\" {\n    percentage 30\n    priority 2\n    groups {\n      primary 1\n    }\n  }\n  sous-file \"B\" {\n    pourcentage 70\n    groupes {\n      principal 2\n    }\n  }\n}\n";
        let checked = check(text);
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        let subs = &checked.rules.queues[0].subqueues;
        assert_eq!(
            (subs[0].percentage, subs[0].priority, subs[1].percentage),
            (30, 2, 70)
        );
        // Near miss: shares that do not total 100.
        let bad = text.replace("pourcentage 70", "pourcentage 60");
        assert_eq!(codes(&bad), [Code::InvalidValue]);
    }

    #[test]
    fn mistakes_in_queues_are_reported() {
        let cases = [
            ("queue \"q\" {\n  priority 101\n  when all {\n    Channel is Messaging\n  }\n}\n", Code::InvalidValue),
            ("queue \"q\" {\n  priority 0\n  when all {\n    Channel is Messaging\n  }\n}\n", Code::InvalidValue),
            ("queue \"q\" {\n  groups {\n    primary 1\n  }\n}\n", Code::MissingConditions),
            ("queue \"q\" {\n  when all {\n    Chanel is Messaging\n  }\n}\n", Code::UnknownField),
            ("queue \"q\" {\n  when all {\n    Routing channel is Fax\n  }\n}\n", Code::UnknownValue),
            ("queue \"q\" {\n  when all {\n    Channel is Messaging\n  }\n  groups {\n    primary \"Support N1\"\n  }\n}\n", Code::UnknownValue),
            ("queue \"q\" {\n  order 1\n  order 2\n  when all {\n    Channel is Messaging\n  }\n}\n", Code::DuplicateProperty),
        ];
        for (text, code) in cases {
            let checked = check(text);
            assert_eq!(codes(text), [code], "{text}");
            assert!(checked.rules.queues.is_empty(), "{text}");
        }
        // Near miss: the same queue, right, checks.
        assert!(codes(
            "queue \"q\" {\n  priority 100\n  when all {\n    Channel is Messaging\n  }\n}\n"
        )
        .is_empty());
    }

    #[test]
    fn group_titles_resolve_with_the_account() {
        let mut account = Account::default();
        account
            .add_named(
                crate::account::Kind::Group,
                std::path::Path::new("groups.json"),
                r#"{"groups": [{"id": 360001, "name": "Support N1"}]}"#,
            )
            .expect("valid groups");
        let text = "queue \"q\" {\n  when all {\n    Channel is Messaging\n  }\n  groups {\n    primary \"Support N1\"\n    secondary Support N2\n  }\n}\n";
        let checked = crate::check::check_with(&[Source::new("q.declic", text)], Some(&account));
        let codes: Vec<Code> = checked.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::UnknownValue], "N2 is no group of the account");
        let text = text.replace("    secondary Support N2\n", "");
        let checked = crate::check::check_with(&[Source::new("q.declic", text)], Some(&account));
        assert_eq!(checked.rules.queues[0].groups.primary, [360001]);
    }
}
