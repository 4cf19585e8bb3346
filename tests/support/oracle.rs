//! What formatting must not change, computed without the formatter: the syntax tree with
//! spans left out and every name and value reduced to what it resolves to in the catalog
//! (a formatter may respell `canal` as `Canal`, never change what it names), and what the
//! checker makes of the file.

use std::fmt::Write as _;

use declic::catalog::actions::Args;
use declic::catalog::{find_value, fold, Catalog, Domain, Value};
use declic::check::rules::{Action as Checked, Condition};
use declic::syntax::ast::{Action, Atom, File, Group, Item, Name, Test};
use declic::Source;

/// The formatted text of `text`, named `name` in messages.
pub fn format(name: &str, text: &str) -> String {
    declic::format::format(&Source::new(name, text)).unwrap_or_else(|d| {
        let messages: Vec<&String> = d.iter().map(|d| &d.message).collect();
        panic!("{name}: {messages:?}\n{text}")
    })
}

/// Formats `text` and asserts the formatter's two promises: the result says the same,
/// and formats to itself.
pub fn round_trip(name: &str, text: &str) {
    let formatted = format(name, text);
    assert_same_meaning(name, text, &formatted);
    assert_eq!(
        format(name, &formatted),
        formatted,
        "{name}: not idempotent\n{text}"
    );
}

/// Asserts that `formatted` says what `original` says; `what` names the case in messages.
pub fn assert_same_meaning(what: &str, original: &str, formatted: &str) {
    let before = declic::syntax::parse(original).expect("the original parses");
    let after = declic::syntax::parse(formatted)
        .unwrap_or_else(|e| panic!("{what}: the formatted text does not parse: {e}\n{formatted}"));
    assert_eq!(
        tree(&before),
        tree(&after),
        "{what}: the syntax trees differ\n{formatted}"
    );
    assert_eq!(
        checked(original),
        checked(formatted),
        "{what}: the checker reads them differently\n{formatted}"
    );
}

/// The syntax tree as lines of text, spans left out, names and values resolved.
pub fn tree(file: &File) -> Vec<String> {
    let mut out: Vec<String> = file
        .comments
        .iter()
        .map(|c| c.node.trim_end().to_string())
        .collect();
    for t in &file.triggers {
        out.push(format!("trigger {:?} {:?}", t.kind.node, t.title.node));
        for item in &t.items {
            match &item.node {
                Item::When(group) => self::group(group, 1, &mut out),
                Item::Then(actions) => {
                    out.push("then".into());
                    out.extend(actions.iter().map(action));
                }
                Item::On(name) => out.push(format!("on {}", event(name))),
                other => out.push(format!("{other:?}")),
            }
        }
    }
    out
}

fn group(group: &Group, depth: usize, out: &mut Vec<String>) {
    out.push(format!("{depth} {:?}", group.kind));
    for member in &group.members {
        match member {
            Test::Group(g) => self::group(g, depth + 1, out),
            Test::Zendesk(raw) => out.push(format!("{depth} zendesk {}", raw.node)),
            Test::Condition(c) => {
                let found = Catalog::get().field(&c.field.text);
                let time = Catalog::get().time(&c.field.text);
                let field = match (&found, time) {
                    (Some(f), _) => format!("{:?}", f.item),
                    (None, Some(t)) => format!("{:?} business {}", t.item.moment, t.item.business),
                    (None, None) => unknown(&c.field),
                };
                let domain = found.map(|f| f.item.domain());
                out.push(format!(
                    "{depth} {field} {:?} {}",
                    c.op.node,
                    value(domain, &c.value)
                ));
            }
        }
    }
}

fn event(name: &Name) -> String {
    match Catalog::get().event(&name.text) {
        Some(found) => format!("event #{}", found.item),
        None => unknown(name),
    }
}

/// A name the catalog does not know: kept exactly as written, quotes included.
fn unknown(name: &Name) -> String {
    format!("{:?}/{}", name.text, name.quoted)
}

fn action(action: &Action) -> String {
    let catalog = Catalog::get();
    match action {
        Action::Zendesk(raw) => format!("zendesk {}", raw.node),
        Action::Assign {
            name, op, value, ..
        } => {
            let (target, domain) = match catalog.action(&name.text) {
                Some(found) => (
                    format!("{:?}", found.item.key),
                    value_domain(found.item.args),
                ),
                None => match catalog.field(&name.text) {
                    Some(found) => (format!("{:?}", found.item), None),
                    None => (unknown(name), None),
                },
            };
            format!("{target} {:?} {}", op.node, self::value(domain, value))
        }
        Action::Phrase { atoms, .. } => phrase(atoms),
    }
}

fn value_domain(args: Args) -> Option<Domain> {
    match args {
        Args::Value(domain) => Some(domain),
        _ => None,
    }
}

/// A phrase: its action (the longest run of leading words that names one) and arguments.
fn phrase(atoms: &[Atom]) -> String {
    let catalog = Catalog::get();
    let words = atoms.iter().take_while(|a| !a.quoted).count();
    let found = (1..=words).rev().find_map(|n| {
        catalog
            .action(&text_of(&atoms[..n]))
            .map(|found| (found.item, n))
    });
    let Some((action, n)) = found else {
        return format!("phrase {}", raw(atoms));
    };
    let args = &atoms[n..];
    let args = match action.args {
        Args::Value(domain) => value(Some(domain), args),
        Args::Message { to, .. } => {
            // As the checker reads it: the words before the first string, at least one.
            let bare = args.iter().take_while(|a| !a.quoted).count();
            let split = bare.clamp(args.len().min(1), args.len());
            let (recipient, rest) = args.split_at(split);
            format!("{} {}", value(Some(to), recipient), raw(rest))
        }
        _ => raw(args),
    };
    format!("{:?} {args}", action.key)
}

/// A value: the member of its domain it names, else its atoms.
fn value(domain: Option<Domain>, atoms: &[Atom]) -> String {
    let text = text_of(atoms);
    let member =
        |values: &'static [Value]| find_value(values, &text).map(|f| format!("#{}", f.item));
    let resolved = match domain {
        Some(Domain::Enum { values, .. }) => member(values),
        Some(Domain::Id { special, .. }) => member(special),
        Some(Domain::Bool) => match fold(&text).as_str() {
            "true" | "vrai" | "yes" | "oui" => Some("true".into()),
            "false" | "faux" | "no" | "non" => Some("false".into()),
            _ => None,
        },
        _ => None,
    };
    resolved.unwrap_or_else(|| raw(atoms))
}

fn raw(atoms: &[Atom]) -> String {
    let mut out = String::new();
    for atom in atoms {
        let _ = write!(out, "{:?}/{} ", atom.text, atom.quoted);
    }
    out
}

fn text_of(atoms: &[Atom]) -> String {
    atoms
        .iter()
        .map(|a| a.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the checker makes of a text: each clean trigger's properties, conditions and
/// actions (spans and the language names were written in left out), and the code of
/// every diagnostic.
pub fn checked(text: &str) -> (Vec<String>, Vec<String>) {
    let checked = declic::check(&[Source::new("t.declic", text)]);
    let triggers = checked
        .rules
        .triggers
        .iter()
        .chain(&checked.rules.automations)
        .map(|t| {
            let actions: Vec<Checked> = t.actions.iter().map(strip_action).collect();
            format!(
                "{:?} {:?} {:?} {:?} {:?} {} {:?} {:?} {} {:?} {:?}",
                t.title,
                t.kind,
                t.category,
                t.description,
                t.position,
                t.active,
                t.zendesk_id,
                t.events,
                t.once_per_ticket,
                strip(&t.conditions),
                actions
            )
        })
        .collect();
    let codes = checked
        .diagnostics
        .iter()
        .map(|d| format!("{} {:?}", d.code, d.severity))
        .collect();
    (triggers, codes)
}

fn strip(condition: &Condition) -> Condition {
    let members = |m: &[Condition]| m.iter().map(strip).collect();
    match condition {
        Condition::All(m) => Condition::All(members(m)),
        Condition::Any(m) => Condition::Any(members(m)),
        Condition::Not(m) => Condition::Not(members(m)),
        Condition::Test(t) => {
            let mut t = t.clone();
            t.span = Default::default();
            t.lang = declic::catalog::Lang::En;
            Condition::Test(t)
        }
        Condition::Zendesk(p) => {
            let mut p = p.clone();
            p.span = Default::default();
            Condition::Zendesk(p)
        }
        Condition::Hours { test, .. } => Condition::Hours {
            test: *test,
            lang: declic::catalog::Lang::En,
            span: Default::default(),
        },
    }
}

fn strip_action(action: &Checked) -> Checked {
    let mut action = action.clone();
    action.span = Default::default();
    action.lang = declic::catalog::Lang::En;
    action
}
