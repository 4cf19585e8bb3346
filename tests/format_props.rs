//! Properties of the formatter over generated rule files: whatever parses formats into text
//! that says the same thing (the same syntax tree up to spans and spellings, the same
//! checked rules and diagnostics) and that formats to itself.
//!
//! The files are written from a list of random rolls, so proptest shrinks a failure to a
//! shorter list, hence a smaller file. They draw every field, operator spelling, value and
//! action from the catalog, in any language and case, with unknown names, wrong operators,
//! comments, blank lines, odd indentation and CRLF line ends mixed in.

#[path = "support/oracle.rs"]
mod oracle;

use declic::catalog::actions::{Args, ACTIONS};
use declic::catalog::fields::FIELDS;
use declic::catalog::time::TIME_FIELDS;
use declic::catalog::{fold, Domain, Names, Op};
use proptest::prelude::*;

/// Random choices read from a list of rolls; zeros once the list runs out.
struct Dice {
    rolls: Vec<u16>,
    next: usize,
}

impl Dice {
    fn roll(&mut self) -> usize {
        let roll = self.rolls.get(self.next).copied().unwrap_or(0);
        self.next += 1;
        usize::from(roll)
    }

    fn below(&mut self, n: usize) -> usize {
        self.roll() % n.max(1)
    }

    /// One chance in `n`.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0 && self.next <= self.rolls.len()
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        *self.pick_ref(items)
    }

    fn pick_ref<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Every way the grammar spells each operator, and a few more cases.
fn op_spellings(op: Op) -> &'static [&'static str] {
    match op {
        Op::Is => &["is", "est", "EST", "Is", "=="],
        Op::IsNot => &["is not", "n'est pas", "n’est pas", "is_not", "!=", "IS NOT"],
        Op::Less => &["<", "less than", "less_than", "inférieur à", "INFERIEUR A"],
        Op::LessOrEqual => &["<=", "less_than_equal"],
        Op::Greater => &[">", "greater than", "greater_than", "supérieur à"],
        Op::GreaterOrEqual => &[">=", "greater_than_equal"],
        Op::Includes => &["includes", "inclut", "INCLUDES"],
        Op::Excludes => &["excludes", "exclut", "not_includes"],
        Op::Contains => &["contains", "contient", "includes_string"],
        Op::NotContains => &["does not contain", "ne contient pas", "not contains"],
        Op::Present => &["is present", "est présent", "est presente", "present"],
        Op::NotPresent => &["is not present", "n'est pas présent", "not_present"],
        Op::Changed => &["changed", "a changé", "modifié", "CHANGED"],
        Op::NotChanged => &["not changed", "n'a pas changé", "pas changé", "not_changed"],
        Op::ChangedTo => &["changed to", "a changé en", "changé vers", "value"],
        Op::ChangedFrom => &["changed from", "a changé depuis", "value_previous"],
        Op::NotChangedTo => &["not changed to", "n'a pas changé en", "not_value"],
        Op::NotChangedFrom => &[
            "not changed from",
            "n'a pas changé depuis",
            "not_value_previous",
        ],
    }
}

/// A catalog name in one of its spellings, in some case.
fn name(d: &mut Dice, names: &Names) -> String {
    let spellings: Vec<&str> = names.all().map(|(_, n)| n).collect();
    let spelling = d.pick(&spellings);
    match d.below(5) {
        0 => spelling.to_uppercase(),
        1 => spelling.to_lowercase(),
        2 => fold(spelling),
        _ => spelling.to_string(),
    }
}

const TEXTS: &[&str] = &[
    "plain",
    "say \"hi\"",
    r"C:\temp",
    "two\nlines",
    "tab\there",
    "é ☃ ü",
    "{{ticket.id}}",
    "# not a comment",
    "",
    "a \"# b",
    "{\"id\": \"{{ticket.id}}\"}",
];

/// A string, quoted with escapes or raw.
fn string(d: &mut Dice) -> String {
    let text = d.pick(TEXTS);
    if d.one_in(3) {
        format!("r##\"{text}\"##")
    } else {
        declic::check::text::quote(text)
    }
}

fn value(d: &mut Dice, domain: Domain) -> String {
    let word = match domain {
        Domain::Enum { values, .. } if !values.is_empty() && !d.one_in(8) => {
            let value = d.pick(values);
            name(d, &value.names)
        }
        Domain::Id { special, .. } if !special.is_empty() && d.one_in(2) => {
            let value = d.pick(special);
            name(d, &value.names)
        }
        Domain::Bool => d
            .pick(&["true", "false", "vrai", "faux", "yes", "no", "oui", "NON"])
            .to_string(),
        Domain::Tags => d.pick(&["vip", "vip gold", "a b c", "x_1"]).to_string(),
        Domain::Text => return string(d),
        _ => d
            .pick(&["360001234567", "24", "1.5", "premium", "Messageri", "75"])
            .to_string(),
    };
    if d.one_in(8) {
        format!("\"{word}\"")
    } else {
        word
    }
}

fn field_and_domain(d: &mut Dice) -> (String, Option<Domain>, &'static [Op]) {
    match d.below(14) {
        0 => {
            let unknown = [
                "Chanel",
                "Foo bar",
                "\"Mystery field\"",
                "\"Is it # set\"",
                "\"x\"",
            ];
            (d.pick(&unknown).to_string(), None, &Op::ALL)
        }
        1 => {
            let custom = d.pick(&[
                "custom_fields_123",
                "Custom field 42",
                "champ personnalise 0007",
                "organization.custom_fields.plan",
            ]);
            (custom.to_string(), Some(Domain::Raw), &Op::ALL)
        }
        _ => {
            let field = d.pick_ref(FIELDS);
            let mut name = name(d, &field.names);
            if d.one_in(6) {
                name = format!("\"{name}\"");
            }
            (name, Some(field.domain), field.ops)
        }
    }
}

fn condition(d: &mut Dice) -> String {
    if d.one_in(8) {
        return time_condition(d);
    }
    let (field, domain, ops) = field_and_domain(d);
    let op = if d.one_in(10) {
        d.pick(&Op::ALL)
    } else {
        d.pick(ops)
    };
    let mut line = format!("{field} {}", d.pick(op_spellings(op)));
    if op.takes_value() != d.one_in(20) {
        line.push(' ');
        line.push_str(&value(d, domain.unwrap_or(Domain::Raw)));
    }
    line
}

/// An automation's time condition, in any spelling, mostly with the operators and whole
/// hours it takes.
fn time_condition(d: &mut Dice) -> String {
    let row = d.pick_ref(TIME_FIELDS);
    let name = name(d, &row.names);
    let op = d.pick(&[Op::Is, Op::Less, Op::Greater, Op::GreaterOrEqual]);
    let op = d.pick(op_spellings(op));
    let hours = d.pick(&["0", "24", "48", "1.5", "many"]);
    format!("{name} {op} {hours}")
}

fn action(d: &mut Dice) -> String {
    if d.one_in(12) {
        return d
            .pick(&[
                "sned CSAT",
                "custom_fields_7 = premium plan",
                "\"Mystery\" = 1",
                "\"Is = it\" = 2",
                "Canal = x",
            ])
            .to_string();
    }
    let action = d.pick_ref(ACTIONS);
    let name = name(d, &action.names);
    match action.args {
        Args::None => name,
        Args::Value(domain) if d.one_in(4) => format!("{name} {}", value(d, domain)),
        Args::Value(domain) => format!("{name} = {}", value(d, domain)),
        Args::Tags => format!(
            "{name} {} {}",
            d.pick(&["=", "+=", "-="]),
            value(d, Domain::Tags)
        ),
        Args::Message { to, texts } => {
            let strings: Vec<String> = texts.iter().map(|_| string(d)).collect();
            format!("{name} {} {}", value(d, to), strings.join(" "))
        }
        Args::Texts(texts) => {
            let strings: Vec<String> = texts.iter().map(|_| string(d)).collect();
            format!("{name} {}", strings.join(" "))
        }
    }
}

/// Writes a rule file, line by line, with the noise authors leave.
struct Writer<'d> {
    d: &'d mut Dice,
    out: String,
    comments: usize,
}

impl Writer<'_> {
    fn line(&mut self, depth: usize, code: &str) {
        if self.d.one_in(8) {
            self.comment(depth);
        }
        for _ in 0..self.d.below(3).saturating_sub(1) {
            self.out.push_str(self.d.pick(&["\n", "  \n"]));
        }
        let indent = self.d.pick(&["", " ", "\t", "      "]);
        self.out
            .push_str(&indent.repeat(depth.min(1) + self.d.below(2) * depth));
        self.out.push_str(code);
        if self.d.one_in(8) {
            self.comments += 1;
            let gap = self.d.pick(&[" ", "   ", "\t"]);
            self.out
                .push_str(&format!("{gap}# trailing {}", self.comments));
        }
        self.out.push_str(self.d.pick(&["\n", "\n", "\n", "\r\n"]));
    }

    fn comment(&mut self, depth: usize) {
        self.comments += 1;
        let text = self
            .d
            .pick(&["# note", "#tight", "# with \"quotes\" and { braces }"]);
        let indent = "  ".repeat(self.d.below(depth + 2));
        self.out
            .push_str(&format!("{indent}{text} {}\n", self.comments));
    }

    fn group(&mut self, depth: usize, opening: &str) {
        if self.d.one_in(6) {
            let member = condition(self.d);
            return self.line(depth, &format!("{opening} {{ {member} }}"));
        }
        self.line(depth, &format!("{opening} {{"));
        for _ in 0..self.d.below(4) {
            if depth < 4 && self.d.one_in(5) {
                let kind =
                    self.d
                        .pick(&["any", "all", "not", "au moins un", "tous", "non", "AUCUNE"]);
                self.group(depth + 1, kind);
            } else {
                let c = condition(self.d);
                self.line(depth + 1, &c);
            }
        }
        self.line(depth, "}");
    }

    fn trigger(&mut self, n: usize) {
        let messaging = self.d.one_in(4);
        let keyword = if messaging {
            self.d.pick(&[
                "messaging trigger",
                "déclencheur de messagerie",
                "DECLENCHEUR DE MESSAGERIE",
            ])
        } else {
            self.d.pick(&[
                "trigger",
                "TRIGGER",
                "déclencheur",
                "Declencheur",
                "automation",
                "Automatisation",
            ])
        };
        self.line(0, &format!("{keyword} \"Trigger {n}\" {{"));
        let mut items: Vec<usize> = (0..9).filter(|_| self.d.below(3) > 0).collect();
        for i in (1..items.len()).rev() {
            items.swap(i, self.d.below(i + 1));
        }
        for item in items {
            self.item(item);
        }
        self.line(0, "}");
    }

    fn item(&mut self, item: usize) {
        let line = match item {
            0 => format!(
                "{} {}",
                self.d.pick(&["category", "catégorie", "CATEGORIE"]),
                string(self.d)
            ),
            1 => format!("description {}", string(self.d)),
            2 => format!(
                "{} {}",
                self.d.pick(&["position", "POSITION"]),
                self.d.pick(&["1", "007", "-3"])
            ),
            3 => format!(
                "{} {}",
                self.d.pick(&["active", "actif", "ACTIVE"]),
                self.d
                    .pick(&["true", "false", "vrai", "faux", "yes", "no", "oui", "non"])
            ),
            4 => format!("{} 360056295714", self.d.pick(&["id", "identifiant"])),
            5 => {
                let event = self.d.pick(declic::catalog::values::CONVERSATION_EVENTS);
                let name = name(self.d, &event.names);
                let name = if self.d.one_in(6) {
                    format!("\"{name}\"")
                } else {
                    name
                };
                format!("{} {name}", self.d.pick(&["on", "lors de", "LORS DE"]))
            }
            6 => self
                .d
                .pick(&["once per ticket", "une fois par ticket"])
                .to_string(),
            7 => {
                let kind = self.d.pick(&[
                    "when all",
                    "quand tous",
                    "si toutes",
                    "when",
                    "WHEN ANY",
                    "quand au moins un",
                ]);
                return self.group(1, kind);
            }
            _ => return self.then(),
        };
        self.line(1, &line);
    }

    fn then(&mut self) {
        let keyword = self.d.pick(&["then", "alors", "THEN"]);
        self.line(1, &format!("{keyword} {{"));
        for _ in 0..self.d.below(4) {
            let a = action(self.d);
            self.line(2, &a);
        }
        self.line(1, "}");
    }
}

fn rule_file(rolls: Vec<u16>) -> String {
    let mut dice = Dice { rolls, next: 0 };
    let mut writer = Writer {
        d: &mut dice,
        out: String::new(),
        comments: 0,
    };
    if writer.d.one_in(3) {
        writer.comment(0);
    }
    for n in 0..1 + writer.d.below(3) {
        writer.trigger(n);
    }
    if writer.d.one_in(4) {
        writer.comment(0);
    }
    writer.out
}

/// The formatter's promises, for any text that parses.
fn holds(text: &str) {
    if declic::syntax::parse(text).is_ok() {
        oracle::round_trip("generated.declic", text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn generated_rule_files_format_into_the_same_rules(rolls in prop::collection::vec(any::<u16>(), 0..500)) {
        holds(&rule_file(rolls));
    }

    /// Random tokens spliced into a valid file reach corners no generator thinks of; the
    /// few results that still parse must format faithfully too.
    #[test]
    fn spliced_tokens_format_faithfully(cut in 0usize..400, tokens in prop::collection::vec(prop::sample::select(TOKENS), 0..6)) {
        let base = BASE;
        let mut cut = cut.min(base.len());
        while !base.is_char_boundary(cut) {
            cut -= 1;
        }
        holds(&format!("{}{}{}", &base[..cut], tokens.join(" "), &base[cut..]));
    }
}

const BASE: &str = "# head\ntrigger \"t\" {\n  category \"c\"\n  when all {\n    Canal is Messagerie # c1\n    any { Status category changed to Solved }\n\n    not {\n      Tags includes a b\n    }\n  }\n  then {\n    Mettre fin à la session\n    Tags += a\n    notify requester \"S\" \"B\"\n  }\n}\n";

const TOKENS: &[&str] = &[
    "\n",
    " ",
    "{",
    "}",
    "#",
    "# c\n",
    "\"",
    "r#\"x\"#",
    "is",
    "est",
    "not",
    "n'est pas",
    "a",
    "changed",
    "pas",
    "value",
    "present",
    "de",
    "contient",
    "=",
    "+=",
    "<",
    "all",
    "any",
    "tous",
    "non",
    "Status",
    "Statut",
    "Canal",
    "Messagerie",
    "Tags",
    "on",
    "lors de",
    "once per ticket",
    "send CSAT",
    "custom_fields_1",
    "x",
    "é",
    "\u{2019}",
    "\t",
    "\r\n",
];

/// The generator is only useful if what it writes mostly parses.
#[test]
fn most_generated_files_parse() {
    let parsed = (0u16..200)
        .filter(|seed| {
            let rolls: Vec<u16> = (0..400u16)
                .map(|i| i.wrapping_mul(7919).wrapping_add(*seed).wrapping_mul(31))
                .collect();
            declic::syntax::parse(&rule_file(rolls)).is_ok()
        })
        .count();
    assert!(parsed >= 150, "{parsed} of 200 generated files parse");
}
