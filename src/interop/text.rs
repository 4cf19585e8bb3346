//! Checked rules as declic text, in English or French: catalog names in the chosen
//! language, account titles instead of ids where they name one object alone, and quotes
//! wherever a bare word would read back as something else. Every condition and action line
//! is parsed back before it is kept; a line that does not read back as written is written
//! again with every name and value quoted, which always does.

use super::export::number;
use super::import::ImportedRule;
use super::zendesk_json::RuleKind;
use crate::account::{Account, Kind};
use crate::catalog::actions::{ActionKey, Args};
use crate::catalog::fields::FieldRef;
use crate::catalog::values::CONVERSATION_EVENTS;
use crate::catalog::{find_value, Catalog, Domain, Lang, Op};
use crate::check::rules::{Action, ActionTarget, Condition, Operand, Passthrough, Test, Trigger};
use crate::syntax::ast::{self, Item, TriggerKind};
use crate::syntax::literal;

/// How to write rules.
#[derive(Debug, Clone, Copy)]
pub struct Style<'a> {
    /// English or French ([`Lang::Api`] writes English keywords and API names).
    pub lang: Lang,
    /// The account whose titles to use instead of ids.
    pub account: Option<&'a Account>,
}

/// The keywords of one language.
struct Words {
    trigger: &'static str,
    messaging_trigger: &'static str,
    automation: &'static str,
    category: &'static str,
    description: &'static str,
    id: &'static str,
    position: &'static str,
    active: &'static str,
    on: &'static str,
    once: &'static str,
    when: &'static str,
    then: &'static str,
    all: &'static str,
    any: &'static str,
    not: &'static str,
    yes: &'static str,
    no: &'static str,
}

const ENGLISH: Words = Words {
    trigger: "trigger",
    messaging_trigger: "messaging trigger",
    automation: "automation",
    category: "category",
    description: "description",
    id: "id",
    position: "position",
    active: "active",
    on: "on",
    once: "once per ticket",
    when: "when",
    then: "then",
    all: "all",
    any: "any",
    not: "not",
    yes: "true",
    no: "false",
};

const FRENCH: Words = Words {
    trigger: "déclencheur",
    messaging_trigger: "déclencheur de messagerie",
    automation: "automatisation",
    category: "catégorie",
    description: "description",
    id: "identifiant",
    position: "position",
    active: "actif",
    on: "lors de",
    once: "une fois par ticket",
    when: "quand",
    then: "alors",
    all: "tous",
    any: "au moins un",
    not: "non",
    yes: "vrai",
    no: "faux",
};

/// One file of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Its name, without folder: `triggers.declic`, `triggers-01-10026.declic`.
    pub name: String,
    /// Its text.
    pub text: String,
}

/// What puts rules in one file: their kind, and their category.
type FileKey = (RuleKind, Option<String>);

/// The files of an import: one per kind and category, named so that reading them in name
/// order keeps Zendesk's category order; or one file in all with `single`.
pub fn files(rules: &[ImportedRule], style: Style<'_>, single: bool) -> Vec<OutputFile> {
    let mut groups: Vec<(FileKey, Vec<&Trigger>)> = Vec::new();
    for rule in rules {
        let key = if single {
            (rule.kind, None)
        } else {
            (rule.kind, rule.trigger.category.clone())
        };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(&rule.trigger),
            None => groups.push((key, vec![&rule.trigger])),
        }
    }
    if single && groups.len() > 1 {
        let all: Vec<&Trigger> = rules.iter().map(|r| &r.trigger).collect();
        return vec![file("rules.declic".into(), "Zendesk rules", &all, style)];
    }
    let mut rank = 0;
    groups
        .into_iter()
        .map(|((kind, category), triggers)| {
            let name = match &category {
                None => format!("{}.declic", kind.plural()),
                Some(c) => {
                    rank += 1;
                    let shown = category_name(c, style).unwrap_or(c);
                    format!("{}-{rank:02}-{}.declic", kind.plural(), slug(shown))
                }
            };
            file(
                name,
                &format!("Zendesk {}", kind.plural()),
                &triggers,
                style,
            )
        })
        .collect()
}

fn file(name: String, what: &str, triggers: &[&Trigger], style: Style<'_>) -> OutputFile {
    let mut text = format!(
        "# {what}, imported by `declic import zendesk`; `declic export zendesk` writes \
         them back.\n\n"
    );
    text.push_str(&rules(triggers, style));
    OutputFile { name, text }
}

/// A file-name-safe form of a category: `Billing & refunds` → `billing-refunds`.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out: String = out.trim_matches('-').chars().take(40).collect();
    if out.is_empty() {
        "category".into()
    } else {
        out
    }
}

/// The account's name for category `id`, when the name reads back as that category only.
fn category_name<'a>(id: &str, style: Style<'a>) -> Option<&'a str> {
    let name = style.account?.unique_title(Kind::Category, id)?;
    (!name.chars().all(|c| c.is_ascii_digit())).then_some(name)
}

/// Triggers as text, a blank line between them.
pub fn rules(triggers: &[&Trigger], style: Style<'_>) -> String {
    let texts: Vec<String> = triggers.iter().map(|t| trigger(t, style)).collect();
    texts.join("\n")
}

/// One trigger as text.
pub fn trigger(t: &Trigger, style: Style<'_>) -> String {
    let mut w = Writer {
        out: String::new(),
        style,
        words: match style.lang {
            Lang::Fr => &FRENCH,
            _ => &ENGLISH,
        },
    };
    w.trigger(t);
    w.out
}

struct Writer<'a> {
    out: String,
    style: Style<'a>,
    words: &'static Words,
}

/// A name or a value as it will be written.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Atom {
    text: String,
    /// Written as is, rather than as a string.
    bare: bool,
}

impl Atom {
    fn bare_if_safe(text: impl Into<String>) -> Atom {
        let text = text.into();
        let bare = is_bare_safe(&text);
        Atom { text, bare }
    }

    fn quoted(text: impl Into<String>) -> Atom {
        Atom {
            text: text.into(),
            bare: false,
        }
    }

    fn render(&self) -> String {
        if self.bare {
            self.text.clone()
        } else {
            string(&self.text)
        }
    }

    /// The atoms the parser reads: a bare phrase is one atom per word.
    fn parsed(&self) -> Vec<(String, bool)> {
        if self.bare {
            self.text
                .split(' ')
                .map(|w| (w.to_string(), false))
                .collect()
        } else {
            vec![(self.text.clone(), true)]
        }
    }

    fn all_quoted(atoms: &[Atom]) -> Vec<Atom> {
        atoms.iter().map(|a| Atom::quoted(a.text.clone())).collect()
    }
}

/// Words the grammar reads as one bare name or value: no quote, comment, brace or
/// operator sign, one space between words.
fn is_bare_safe(text: &str) -> bool {
    !text.is_empty()
        && text.split(' ').all(|w| !w.is_empty())
        && text.chars().all(|c| !c.is_whitespace() || c == ' ')
        && !text
            .chars()
            .any(|c| c.is_control() || "\"#{}=<>!+\\".contains(c))
}

impl Writer<'_> {
    fn line(&mut self, depth: usize, text: &str) {
        for _ in 0..depth {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn trigger(&mut self, t: &Trigger) {
        let keyword = match t.kind {
            TriggerKind::Ticket => self.words.trigger,
            TriggerKind::Messaging => self.words.messaging_trigger,
            TriggerKind::Automation => self.words.automation,
        };
        self.line(0, &format!("{keyword} {} {{", string(&t.title)));
        self.properties(t);
        self.conditions(&t.conditions);
        self.line(1, &format!("{} {{", self.words.then));
        for a in &t.actions {
            let text = self.action(a);
            self.line(2, &text);
        }
        self.line(1, "}");
        self.line(0, "}");
    }

    fn properties(&mut self, t: &Trigger) {
        let w = self.words;
        if let Some(c) = &t.category {
            let shown = category_name(c, self.style).unwrap_or(c);
            self.line(1, &format!("{} {}", w.category, string(shown)));
        }
        if let Some(d) = &t.description {
            self.line(1, &format!("{} {}", w.description, string(d)));
        }
        if let Some(id) = t.zendesk_id {
            self.line(1, &format!("{} {id}", w.id));
        }
        if let Some(p) = t.position {
            self.line(1, &format!("{} {p}", w.position));
        }
        if !t.active {
            self.line(1, &format!("{} {}", w.active, w.no));
        }
        for &e in &t.events {
            if let Some(event) = CONVERSATION_EVENTS.get(e) {
                let name = event.names.canonical(self.style.lang);
                self.line(1, &format!("{} {name}", w.on));
            }
        }
        if t.once_per_ticket {
            self.line(1, w.once);
        }
    }

    fn conditions(&mut self, c: &Condition) {
        let when = self.words.when;
        match c {
            Condition::All(m) | Condition::Any(m) | Condition::Not(m) => {
                self.line(1, &format!("{when} {} {{", self.group_word(c)));
                self.members(m, 2);
            }
            leaf => {
                self.line(1, &format!("{when} {} {{", self.words.all));
                self.members(std::slice::from_ref(leaf), 2);
            }
        }
        self.line(1, "}");
    }

    fn group_word(&self, c: &Condition) -> &'static str {
        match c {
            Condition::Any(_) => self.words.any,
            Condition::Not(_) => self.words.not,
            _ => self.words.all,
        }
    }

    fn members(&mut self, members: &[Condition], depth: usize) {
        for m in members {
            match m {
                Condition::All(inner) | Condition::Any(inner) | Condition::Not(inner) => {
                    self.line(depth, &format!("{} {{", self.group_word(m)));
                    self.members(inner, depth + 1);
                    self.line(depth, "}");
                }
                Condition::Test(t) => {
                    let text = self.test(t);
                    self.line(depth, &text);
                }
                Condition::Zendesk(p) => self.line(depth, &passthrough(p)),
                Condition::Hours { test, .. } => {
                    let text = crate::check::text::hours_text(test, self.style.lang);
                    self.line(depth, &text);
                }
            }
        }
    }

    fn op(&self, op: Op) -> &'static str {
        match self.style.lang {
            Lang::Fr => op.fr(),
            _ => op.en(),
        }
    }

    fn test(&self, t: &Test) -> String {
        let name = self.field_name(&t.field);
        let custom = match t.field {
            FieldRef::Custom(id) => Some(id),
            _ => None,
        };
        let value = match &t.value {
            // `""` after an operator that takes none: Zendesk's other way to say nothing.
            Operand::Text(s) if !t.op.takes_value() => vec![Atom::quoted(s.clone())],
            v => self.operand(t.field.domain(), v, custom),
        };
        let op = self.op(t.op);
        let write = |name: &Atom, value: &[Atom]| join(format!("{} {op}", name.render()), value);
        let quoted = Atom::all_quoted(&value);
        // The most readable form that reads back: bare, then the value quoted.
        for value in [value, quoted.clone()] {
            let line = write(&name, &value);
            if condition_reads_back(&line, &name, t.op, &value) {
                return line;
            }
        }
        // A quoted name ends where its string does: everything quoted always reads back.
        write(&Atom::quoted(name.text), &quoted)
    }

    fn field_name(&self, field: &FieldRef) -> Atom {
        if let (FieldRef::Custom(id), Some(account)) = (field, self.style.account) {
            let catalog = Catalog::get();
            // A title that is also a catalog name would read back as the catalog's.
            let title = account
                .unique_field_title(*id)
                .filter(|t| catalog.field(t).is_none() && catalog.action(t).is_none());
            if let Some(title) = title {
                return Atom::bare_if_safe(title);
            }
        }
        Atom::bare_if_safe(field.display(self.style.lang))
    }

    /// The atoms of a value. `custom` is the custom field it belongs to, whose drop-down
    /// options the account may name.
    fn operand(&self, domain: Domain, value: &Operand, custom: Option<u64>) -> Vec<Atom> {
        let lang = self.style.lang;
        let one = |atom: Atom| vec![atom];
        match value {
            Operand::None => vec![],
            Operand::Enum(i) | Operand::Symbol(i) => match domain.values().get(*i) {
                Some(v) => one(Atom::bare_if_safe(v.names.canonical(lang))),
                None => vec![],
            },
            Operand::Integer(n) => one(self
                .id_title(domain, &n.to_string())
                .map_or_else(|| Atom::bare_if_safe(n.to_string()), Atom::quoted)),
            Operand::Number(n) => one(Atom::bare_if_safe(number(*n))),
            // JSON `true` for an enumeration: its API spelling, in either language.
            Operand::Bool(b) if matches!(domain, Domain::Enum { .. }) => {
                one(Atom::bare_if_safe(b.to_string()))
            }
            Operand::Bool(b) => one(Atom::bare_if_safe(if *b {
                self.words.yes
            } else {
                self.words.no
            })),
            Operand::Tags(tags) => tags.iter().map(|t| Atom::bare_if_safe(t.clone())).collect(),
            Operand::Text(s) => one(self.text(domain, s, custom)),
        }
    }

    fn text(&self, domain: Domain, s: &str, custom: Option<u64>) -> Atom {
        if let Domain::Key { .. } = domain {
            return match self.id_title(domain, s) {
                Some(title) => Atom::quoted(title),
                None => Atom::bare_if_safe(s),
            };
        }
        let option = custom
            .and_then(|id| self.style.account?.field_by_id(id))
            .and_then(|f| f.unique_option_name(s));
        match option {
            Some(name) => Atom::bare_if_safe(name),
            None => Atom::quoted(s),
        }
    }

    /// The account's title for id `id` of an id domain, when it reads back as that id only:
    /// not a number, not one of the domain's symbolic values.
    fn id_title(&self, domain: Domain, id: &str) -> Option<String> {
        let of = match domain {
            Domain::Id { of, .. } | Domain::Key { of } => of,
            _ => return None,
        };
        let title = self.style.account?.unique_title(Kind::of(of)?, id)?;
        let readable = title.parse::<i64>().is_err()
            && find_value(domain.values(), title).is_none()
            && !title.is_empty();
        readable.then(|| title.to_string())
    }

    fn action(&self, a: &Action) -> String {
        let lang = self.style.lang;
        let known = match &a.target {
            ActionTarget::Zendesk(p) => return passthrough(p),
            ActionTarget::CustomField(id) => {
                let name = self.field_name(&FieldRef::Custom(*id));
                let value = match a.value {
                    // A date that many days after the update's: `in 3 days`.
                    Operand::Number(days) => {
                        let days = number(days);
                        let words = match lang {
                            Lang::Fr => ["dans", &days, "jours"],
                            _ => ["in", &days, "days"],
                        };
                        words.map(Atom::bare_if_safe).to_vec()
                    }
                    _ => self.operand(Domain::Raw, &a.value, Some(*id)),
                };
                return assignment(&name, "=", &value);
            }
            ActionTarget::Known(known) => known,
        };
        let name = known.names.canonical(lang);
        let (op, tags_name) = match known.key {
            ActionKey::SetTags => ("=", true),
            ActionKey::AddTags => ("+=", true),
            ActionKey::RemoveTags => ("-=", true),
            _ => ("=", false),
        };
        if tags_name {
            // `Tags += a`: adding and removing are written on the tags' own name.
            let tags = crate::catalog::actions::get(ActionKey::SetTags);
            let name = Atom::bare_if_safe(tags.names.canonical(lang));
            return assignment(&name, op, &self.operand(Domain::Tags, &a.value, None));
        }
        match known.args {
            Args::Value(domain) => assignment(
                &Atom::bare_if_safe(name),
                op,
                &self.operand(domain, &a.value, None),
            ),
            Args::Message { to, .. } => {
                let mut args = self.operand(to, &a.value, None);
                args.extend(a.texts.iter().map(|t| Atom::quoted(t.clone())));
                phrase(name, &args)
            }
            Args::None | Args::Tags | Args::Texts(_) => {
                let texts: Vec<Atom> = a.texts.iter().map(|t| Atom::quoted(t.clone())).collect();
                phrase(name, &texts)
            }
        }
    }
}

/// `NAME = VALUE`, read back, or every part quoted.
fn assignment(name: &Atom, op: &str, value: &[Atom]) -> String {
    let write = |name: &Atom, value: &[Atom]| join(format!("{} {op}", name.render()), value);
    let line = write(name, value);
    let atoms: Vec<(String, bool)> = value.iter().flat_map(Atom::parsed).collect();
    let reads_back = action_reads_back(&line, |action| match action {
        ast::Action::Assign {
            name: n, value: v, ..
        } => n.text == name.text && atoms_of(v) == atoms,
        _ => false,
    });
    if reads_back {
        return line;
    }
    write(&Atom::quoted(name.text.clone()), &Atom::all_quoted(value))
}

/// `NAME ARG...`: the name is bare words (the checker finds where it ends), the arguments
/// read back, or quoted.
fn phrase(name: &str, args: &[Atom]) -> String {
    let write = |args: &[Atom]| join(name.to_string(), args);
    let line = write(args);
    let mut atoms: Vec<(String, bool)> = name.split(' ').map(|w| (w.to_string(), false)).collect();
    atoms.extend(args.iter().flat_map(Atom::parsed));
    let reads_back = action_reads_back(&line, |action| match action {
        ast::Action::Phrase { atoms: a, .. } => atoms_of(a) == atoms,
        _ => false,
    });
    if reads_back {
        line
    } else {
        write(&Atom::all_quoted(args))
    }
}

/// `head` then each atom, a space before each.
fn join(mut head: String, atoms: &[Atom]) -> String {
    for atom in atoms {
        head.push(' ');
        head.push_str(&atom.render());
    }
    head
}

fn atoms_of(atoms: &[ast::Atom]) -> Vec<(String, bool)> {
    atoms.iter().map(|a| (a.text.clone(), a.quoted)).collect()
}

/// Whether `line`, as the only condition of a trigger, parses as `name op value`.
fn condition_reads_back(line: &str, name: &Atom, op: Op, value: &[Atom]) -> bool {
    let text = format!("trigger \"t\" {{\n when all {{\n{line}\n }}\n}}\n");
    let Ok(file) = crate::syntax::parse(&text) else {
        return false;
    };
    let atoms: Vec<(String, bool)> = value.iter().flat_map(Atom::parsed).collect();
    let condition = file
        .triggers
        .first()
        .and_then(|t| t.items.first())
        .and_then(|item| match &item.node {
            Item::When(group) => group.members.first(),
            _ => None,
        });
    match condition {
        Some(ast::Test::Condition(c)) => {
            c.field.text == name.text && c.op.node == op && atoms_of(&c.value) == atoms
        }
        _ => false,
    }
}

/// Whether `line`, as the only action of a trigger, parses to what `fits` expects.
fn action_reads_back(line: &str, fits: impl Fn(&ast::Action) -> bool) -> bool {
    let text = format!("trigger \"t\" {{\n then {{\n{line}\n }}\n}}\n");
    let Ok(file) = crate::syntax::parse(&text) else {
        return false;
    };
    let action = file
        .triggers
        .first()
        .and_then(|t| t.items.first())
        .and_then(|item| match &item.node {
            Item::Then(actions) => actions.first(),
            _ => None,
        });
    action.is_some_and(fits)
}

/// `zendesk r#"{"field": ...}"#`.
fn passthrough(p: &Passthrough) -> String {
    let json = serde_json::to_string(&p.json).unwrap_or_default();
    format!("zendesk {}", string(&json))
}

/// A string literal that reads back as `s`: plain quotes when nothing needs escaping, a raw
/// string when `s` has quotes or backslashes (JSON bodies stay readable), escapes when it
/// has control characters (line breaks in bodies).
pub fn string(s: &str) -> String {
    let has_control = s.chars().any(char::is_control);
    if !has_control && !s.contains('"') && !s.contains('\\') {
        format!("\"{s}\"")
    } else if !has_control {
        literal::raw(s)
    } else {
        literal::quoted(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_string(literal: &str) -> String {
        let text = format!("trigger {literal} {{\n}}\n");
        let file = crate::syntax::parse(&text).unwrap_or_else(|e| panic!("{literal}: {e:?}"));
        file.triggers[0].title.node.clone()
    }

    #[test]
    fn strings_read_back_whatever_they_hold() {
        for s in [
            "",
            "plain",
            "say \"hi\"",
            "{\"id\": \"{{ticket.id}}\"}",
            "a\"#b",
            "back\\slash",
            "two\nlines\tand\r\u{0}\u{7f}",
            "é ✓ \u{2028}",
        ] {
            assert_eq!(parse_string(&string(s)), s, "{}", string(s));
        }
        assert_eq!(string(r#"{"a": 1}"#), r##"r#"{"a": 1}"#"##);
    }

    #[test]
    fn bare_values_that_would_extend_the_operator_are_quoted() {
        let name = Atom::bare_if_safe("Comment");
        let value = [Atom::bare_if_safe("Not relevant")];
        let line = "Comment is Not relevant";
        assert!(!condition_reads_back(line, &name, Op::Is, &value));
        let value = [Atom::bare_if_safe("Requester can see comment")];
        assert!(condition_reads_back(
            "Comment is Requester can see comment",
            &name,
            Op::Is,
            &value
        ));
    }

    #[test]
    fn slugs_are_file_name_safe() {
        assert_eq!(slug("Billing & Refunds"), "billing-refunds");
        assert_eq!(slug("10026"), "10026");
        assert_eq!(slug("!!!"), "category");
    }
}
