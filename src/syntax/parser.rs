//! Text to [`ast`](super::ast): pest does the recognising, and one small builder function
//! per grammar rule turns its pairs into owned syntax. Pest types stay in this file.

use pest::iterators::Pair;
use pest::Parser as _;

use super::ast::*;
use super::error::{self, SyntaxError};
use crate::catalog::Op;
use crate::diagnostics::Span;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/declic.pest"]
pub(super) struct Grammar;

/// How deeply blocks may nest. Real triggers use two or three levels; the limit keeps
/// hostile input from exhausting the stack in the parser, the checker or the engine.
pub const MAX_DEPTH: usize = 32;

/// Parses one file.
pub fn parse(text: &str) -> Result<File, SyntaxError> {
    check_depth(text)?;
    let mut pairs = Grammar::parse(Rule::file, text).map_err(|_| detailed_error(text))?;
    let file = pairs.next().expect("the file rule always yields one pair");
    build_file(file)
}

/// Parses again, this time recording every attempt so the error can say what could have
/// come. Recording makes parsing many times slower, so only failures pay for it.
fn detailed_error(text: &str) -> SyntaxError {
    pest::set_error_detail(true);
    let result = Grammar::parse(Rule::file, text);
    pest::set_error_detail(false);
    match result {
        Err(e) => error::from_pest(text, e),
        Ok(_) => unreachable!("pest parses the same text the same way twice"),
    }
}

/// Refuses text nested deeper than [`MAX_DEPTH`] before pest sees it, since pest descends
/// once per level.
fn check_depth(text: &str) -> Result<(), SyntaxError> {
    match super::lex::shape(text, MAX_DEPTH).too_deep_at {
        Some(i) => Err(error::too_deep(Span::new(i, i + 1))),
        None => Ok(()),
    }
}

fn span(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

/// The children of a pair, comments left out.
fn children<'a>(pair: Pair<'a, Rule>) -> impl Iterator<Item = Pair<'a, Rule>> {
    pair.into_inner().filter(|p| p.as_rule() != Rule::COMMENT)
}

/// The one child of a rule that only chooses between alternatives.
fn first_child(pair: Pair<'_, Rule>) -> Pair<'_, Rule> {
    children(pair)
        .next()
        .expect("a choice rule holds its choice")
}

fn build_file(pair: Pair<'_, Rule>) -> Result<File, SyntaxError> {
    let comments = pair
        .clone()
        .into_inner()
        .flatten()
        .filter(|p| p.as_rule() == Rule::COMMENT)
        .map(|p| Spanned {
            node: p.as_str().to_string(),
            span: span(&p),
        })
        .collect();
    let triggers = children(pair)
        .filter(|p| p.as_rule() == Rule::trigger)
        .map(build_trigger)
        .collect::<Result<_, _>>()?;
    Ok(File { triggers, comments })
}

fn build_trigger(pair: Pair<'_, Rule>) -> Result<Trigger, SyntaxError> {
    let whole = span(&pair);
    let mut inner = children(pair);
    let kind_pair = first_child(inner.next().expect("a trigger starts with its keyword"));
    let kind = Spanned {
        node: match kind_pair.as_rule() {
            Rule::kw_messaging_trigger => TriggerKind::Messaging,
            _ => TriggerKind::Ticket,
        },
        span: span(&kind_pair),
    };
    let title_pair = inner.next().expect("a trigger has a title");
    let title = Spanned {
        span: span(&title_pair),
        node: build_string(title_pair)?,
    };
    let items = inner
        .map(|item| build_item(first_child(item)))
        .collect::<Result<_, _>>()?;
    Ok(Trigger {
        kind,
        title,
        items,
        span: whole,
    })
}

fn build_item(pair: Pair<'_, Rule>) -> Result<Spanned<Item>, SyntaxError> {
    let item_span = span(&pair);
    let rule = pair.as_rule();
    // Every item is a keyword followed by at most one argument.
    let mut inner = children(pair);
    let _keyword = inner.next();
    let arg = inner.next();
    let node = match (rule, arg) {
        (Rule::category, Some(arg)) => Item::Category(build_string(arg)?),
        (Rule::description, Some(arg)) => Item::Description(build_string(arg)?),
        (Rule::position, Some(arg)) => Item::Position(build_integer(arg)?),
        (Rule::zendesk_id, Some(arg)) => Item::ZendeskId(build_integer(arg)?),
        (Rule::active, Some(arg)) => Item::Active(build_boolean(arg)),
        (Rule::event, Some(arg)) => Item::On(build_name(arg)?),
        (Rule::once, _) => Item::Once,
        (Rule::when, Some(arg)) => Item::When(build_group(arg)?),
        (Rule::then, first) => Item::Then(
            first
                .into_iter()
                .chain(inner)
                .map(build_action)
                .collect::<Result<_, _>>()?,
        ),
        (other, _) => unreachable!("not an item rule, or one without its argument: {other:?}"),
    };
    Ok(Spanned {
        node,
        span: item_span,
    })
}

fn build_group(pair: Pair<'_, Rule>) -> Result<Group, SyntaxError> {
    let whole = span(&pair);
    let bare = pair.as_rule() == Rule::bare_group;
    let mut inner = children(pair).peekable();
    let kind = if bare {
        GroupKind::All
    } else {
        match inner.next().map(|p| p.as_rule()) {
            Some(Rule::kw_any) => GroupKind::Any,
            Some(Rule::kw_not) => GroupKind::Not,
            _ => GroupKind::All,
        }
    };
    let members = inner
        .map(|p| match p.as_rule() {
            Rule::group => build_group(p).map(Test::Group),
            Rule::zendesk => build_zendesk(p).map(Test::Zendesk),
            _ => build_condition(p).map(Test::Condition),
        })
        .collect::<Result<_, _>>()?;
    Ok(Group {
        kind,
        members,
        span: whole,
    })
}

fn build_condition(pair: Pair<'_, Rule>) -> Result<Condition, SyntaxError> {
    let whole = span(&pair);
    let mut inner = children(pair);
    let field = build_name(inner.next().expect("a condition starts with a name"))?;
    let op_pair = first_child(inner.next().expect("a condition has an operator"));
    let op = Spanned {
        node: operator(op_pair.as_rule()),
        span: span(&op_pair),
    };
    let value = match inner.next() {
        Some(value) => build_atoms(value)?,
        None => Vec::new(),
    };
    Ok(Condition {
        field,
        op,
        value,
        span: whole,
    })
}

fn operator(rule: Rule) -> Op {
    match rule {
        Rule::op_is => Op::Is,
        Rule::op_is_not => Op::IsNot,
        Rule::op_less => Op::Less,
        Rule::op_less_equal => Op::LessOrEqual,
        Rule::op_greater => Op::Greater,
        Rule::op_greater_equal => Op::GreaterOrEqual,
        Rule::op_includes => Op::Includes,
        Rule::op_excludes => Op::Excludes,
        Rule::op_contains => Op::Contains,
        Rule::op_not_contains => Op::NotContains,
        Rule::op_present => Op::Present,
        Rule::op_not_present => Op::NotPresent,
        Rule::op_changed => Op::Changed,
        Rule::op_not_changed => Op::NotChanged,
        Rule::op_changed_to => Op::ChangedTo,
        Rule::op_changed_from => Op::ChangedFrom,
        Rule::op_not_changed_to => Op::NotChangedTo,
        Rule::op_not_changed_from => Op::NotChangedFrom,
        other => unreachable!("not an operator rule: {other:?}"),
    }
}

fn build_action(pair: Pair<'_, Rule>) -> Result<Action, SyntaxError> {
    let whole = span(&pair);
    let inner = children(pair)
        .next()
        .expect("an action is an assignment or a phrase");
    if inner.as_rule() == Rule::zendesk {
        return build_zendesk(inner).map(Action::Zendesk);
    }
    if inner.as_rule() == Rule::phrase {
        return Ok(Action::Phrase {
            atoms: build_atoms(inner)?,
            span: whole,
        });
    }
    let mut parts = children(inner);
    let name_pair = parts.next().expect("an assignment starts with a name");
    let name = build_name(name_pair)?;
    let op_pair = parts.next().expect("an assignment has an operator");
    let op = Spanned {
        node: match op_pair.as_rule() {
            Rule::op_add => AssignOp::Add,
            Rule::op_remove => AssignOp::Remove,
            _ => AssignOp::Set,
        },
        span: span(&op_pair),
    };
    let value = match parts.next() {
        Some(value) => build_atoms(value)?,
        None => Vec::new(),
    };
    Ok(Action::Assign {
        name,
        op,
        value,
        span: whole,
    })
}

/// `zendesk "..."`: the JSON text, spanning the whole line so messages point at it.
fn build_zendesk(pair: Pair<'_, Rule>) -> Result<Spanned<String>, SyntaxError> {
    let whole = span(&pair);
    let string = children(pair)
        .find(|p| p.as_rule() == Rule::string)
        .expect("a passthrough holds its string");
    Ok(Spanned {
        node: build_string(string)?,
        span: whole,
    })
}

/// A `name`/`action_name` pair: a string, or words.
fn build_name(pair: Pair<'_, Rule>) -> Result<Name, SyntaxError> {
    let whole = span(&pair);
    let inner = children(pair)
        .next()
        .expect("a name holds a string or words");
    let quoted = inner.as_rule() == Rule::string;
    let text = if quoted {
        build_string(inner)?
    } else {
        inner.as_str().to_string()
    };
    Ok(Name {
        text,
        quoted,
        span: whole,
    })
}

fn build_atoms(pair: Pair<'_, Rule>) -> Result<Vec<Atom>, SyntaxError> {
    children(pair)
        .map(|atom| {
            let quoted = atom.as_rule() == Rule::string;
            Ok(Atom {
                span: span(&atom),
                text: if quoted {
                    build_string(atom)?
                } else {
                    atom.as_str().to_string()
                },
                quoted,
            })
        })
        .collect()
}

fn build_string(pair: Pair<'_, Rule>) -> Result<String, SyntaxError> {
    let inner = pair.into_inner().next().expect("a string is raw or quoted");
    if inner.as_rule() == Rule::raw_string {
        let raw = inner
            .into_inner()
            .find(|p| p.as_rule() == Rule::raw_inner)
            .expect("a raw string has contents");
        return Ok(raw.as_str().to_string());
    }
    let contents = inner
        .into_inner()
        .next()
        .expect("a quoted string has contents");
    unescape(contents.as_str(), span(&contents))
}

/// Resolves the escapes the grammar admits: `\"`, `\\`, `\n`, `\t`, `\r`, `\u{...}`.
fn unescape(text: &str, at: Span) -> Result<String, SyntaxError> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some((_, 'n')) => out.push('\n'),
            Some((_, 't')) => out.push('\t'),
            Some((_, 'r')) => out.push('\r'),
            Some((_, 'u')) => {
                let hex: String = chars
                    .by_ref()
                    .map(|(_, c)| c)
                    .skip(1)
                    .take_while(|c| *c != '}')
                    .collect();
                let c = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                let escape = Span::new(at.start + i, at.start + i + hex.len() + 4);
                out.push(c.ok_or_else(|| error::bad_escape(escape, &hex))?);
            }
            Some((_, c)) => out.push(c),
            None => {}
        }
    }
    Ok(out)
}

fn build_integer(pair: Pair<'_, Rule>) -> Result<i64, SyntaxError> {
    pair.as_str()
        .parse()
        .map_err(|_| error::bad_integer(span(&pair), pair.as_str()))
}

fn build_boolean(pair: Pair<'_, Rule>) -> bool {
    children(pair).next().map(|p| p.as_rule()) == Some(Rule::kw_true)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one trigger of `text`.
    fn trigger(text: &str) -> Trigger {
        let mut file = parse(text).unwrap_or_else(|e| panic!("{text}\n{e:?}"));
        assert_eq!(file.triggers.len(), 1, "{text}");
        file.triggers.remove(0)
    }

    /// The conditions of a trigger whose `when all` block holds `body`.
    fn conditions(body: &str) -> Vec<Test> {
        let t = trigger(&format!("trigger \"t\" {{\n when all {{\n{body}\n }}\n}}"));
        match &t.items[0].node {
            Item::When(group) => group.members.clone(),
            other => panic!("expected when, got {other:?}"),
        }
    }

    fn condition(line: &str) -> (String, Op, Vec<String>) {
        match conditions(line).remove(0) {
            Test::Condition(c) => (
                c.field.text,
                c.op.node,
                c.value.into_iter().map(|a| a.text).collect(),
            ),
            other => panic!("expected a condition, got {other:?}"),
        }
    }

    fn actions(body: &str) -> Vec<Action> {
        let t = trigger(&format!("trigger \"t\" {{\n then {{\n{body}\n }}\n}}"));
        match &t.items[0].node {
            Item::Then(actions) => actions.clone(),
            other => panic!("expected then, got {other:?}"),
        }
    }

    #[test]
    fn seed_phrases_read_as_written() {
        assert_eq!(
            condition("Canal is Messagerie"),
            ("Canal".into(), Op::Is, vec!["Messagerie".into()])
        );
        assert_eq!(
            condition("Raison de fin de session changed to Ended by agent"),
            (
                "Raison de fin de session".into(),
                Op::ChangedTo,
                vec!["Ended".into(), "by".into(), "agent".into()]
            )
        );
        for phrase in ["Mettre fin à la session", "send CSAT"] {
            match &actions(phrase)[0] {
                Action::Phrase { atoms, .. } => {
                    let words: Vec<&str> = atoms.iter().map(|a| a.text.as_str()).collect();
                    assert_eq!(words.join(" "), phrase);
                }
                other => panic!("{phrase}: {other:?}"),
            }
        }
    }

    #[test]
    fn every_operator_in_english_french_and_api_form() {
        let table = [
            ("is", Op::Is),
            ("est", Op::Is),
            ("EST", Op::Is),
            ("==", Op::Is),
            ("is not", Op::IsNot),
            ("n'est pas", Op::IsNot),
            ("n’est pas", Op::IsNot),
            ("is_not", Op::IsNot),
            ("!=", Op::IsNot),
            ("<", Op::Less),
            ("less than", Op::Less),
            ("less_than", Op::Less),
            ("inférieur à", Op::Less),
            ("<=", Op::LessOrEqual),
            (">", Op::Greater),
            ("greater_than", Op::Greater),
            ("supérieur à", Op::Greater),
            (">=", Op::GreaterOrEqual),
            ("includes", Op::Includes),
            ("inclut", Op::Includes),
            ("excludes", Op::Excludes),
            ("exclut", Op::Excludes),
            ("not_includes", Op::Excludes),
            ("contains", Op::Contains),
            ("contient", Op::Contains),
            ("includes_string", Op::Contains),
            ("does not contain", Op::NotContains),
            ("ne contient pas", Op::NotContains),
            ("not_includes_string", Op::NotContains),
            ("is present", Op::Present),
            ("est présent", Op::Present),
            ("est presente", Op::Present),
            ("present", Op::Present),
            ("is not present", Op::NotPresent),
            ("n'est pas présent", Op::NotPresent),
            ("not_present", Op::NotPresent),
            ("changed", Op::Changed),
            ("a changé", Op::Changed),
            ("modifié", Op::Changed),
            ("not changed", Op::NotChanged),
            ("n'a pas changé", Op::NotChanged),
            ("not_changed", Op::NotChanged),
            ("changed to", Op::ChangedTo),
            ("a changé en", Op::ChangedTo),
            ("changé vers", Op::ChangedTo),
            ("value", Op::ChangedTo),
            ("changed from", Op::ChangedFrom),
            ("a changé depuis", Op::ChangedFrom),
            ("value_previous", Op::ChangedFrom),
            ("not changed to", Op::NotChangedTo),
            ("n'a pas changé en", Op::NotChangedTo),
            ("not_value", Op::NotChangedTo),
            ("not changed from", Op::NotChangedFrom),
            ("n'a pas changé depuis", Op::NotChangedFrom),
            ("not_value_previous", Op::NotChangedFrom),
        ];
        for (written, op) in table {
            let (field, parsed, _) = condition(&format!("Statut du ticket {written} x"));
            assert_eq!(
                (field.as_str(), parsed),
                ("Statut du ticket", op),
                "{written}"
            );
        }
    }

    #[test]
    fn operators_without_value_and_quoted_names() {
        assert_eq!(
            condition("Assignee is not present"),
            ("Assignee".into(), Op::NotPresent, vec![])
        );
        assert_eq!(
            condition("Status changed"),
            ("Status".into(), Op::Changed, vec![])
        );
        let (field, op, value) = condition(r#""Is it public" is "yes # really""#);
        assert_eq!(
            (field.as_str(), op, value),
            ("Is it public", Op::Is, vec!["yes # really".to_string()])
        );
    }

    #[test]
    fn operator_words_inside_other_words_do_not_split_names() {
        let (field, op, _) = condition("Isolation island estate is x");
        assert_eq!((field.as_str(), op), ("Isolation island estate", Op::Is));
    }

    #[test]
    fn groups_nest_freely_in_both_languages() {
        let members = conditions("any {\n a is b\n not {\n c is d\n tous { e is f }\n }\n}\nau moins un { g is h }\nnon { i is j }");
        let kinds: Vec<GroupKind> = members
            .iter()
            .map(|m| match m {
                Test::Group(g) => g.kind,
                _ => panic!("expected groups"),
            })
            .collect();
        assert_eq!(kinds, [GroupKind::Any, GroupKind::Any, GroupKind::Not]);
        let Test::Group(any) = &members[0] else {
            unreachable!()
        };
        let Test::Group(not) = &any.members[1] else {
            panic!("nested not")
        };
        assert_eq!(not.kind, GroupKind::Not);
        assert!(matches!(&not.members[1], Test::Group(g) if g.kind == GroupKind::All));
    }

    #[test]
    fn properties_in_both_languages() {
        let t = trigger(
            "déclencheur \"t\" {\n catégorie \"Messagerie\"\n description \"d\"\n position 3\n actif faux\n identifiant 360056295714\n quand {\n a est b\n }\n alors {\n x = y\n }\n}",
        );
        let items: Vec<Item> = t.items.into_iter().map(|i| i.node).collect();
        assert_eq!(items[0], Item::Category("Messagerie".into()));
        assert_eq!(items[1], Item::Description("d".into()));
        assert_eq!(items[2], Item::Position(3));
        assert_eq!(items[3], Item::Active(false));
        assert_eq!(items[4], Item::ZendeskId(360056295714));
        assert!(matches!(&items[5], Item::When(g) if g.kind == GroupKind::All));
        assert!(matches!(&items[6], Item::Then(a) if a.len() == 1));
    }

    #[test]
    fn messaging_triggers_with_events() {
        for header in [
            "messaging trigger",
            "Déclencheur de messagerie",
            "DECLENCHEUR DE MESSAGERIE",
        ] {
            let t = trigger(&format!(
                "{header} \"m\" {{\n on conversation requested\n once per ticket\n}}"
            ));
            assert_eq!(t.kind.node, TriggerKind::Messaging, "{header}");
            assert!(matches!(&t.items[0].node, Item::On(n) if n.text == "conversation requested"));
            assert_eq!(t.items[1].node, Item::Once);
        }
        let t = trigger(
            "messaging trigger \"m\" {\n lors de \"Message envoyé\"\n une fois par ticket\n}",
        );
        assert!(matches!(&t.items[0].node, Item::On(n) if n.quoted && n.text == "Message envoyé"));
    }

    #[test]
    fn zendesk_passthroughs_stand_for_a_condition_or_an_action() {
        let json = r#"{"field":"x","operator":"y","value":"z"}"#;
        let members = conditions(&format!("zendesk r#\"{json}\"#\nZendesk plan is gold"));
        assert!(matches!(&members[0], Test::Zendesk(j) if j.node == json));
        assert!(
            matches!(&members[1], Test::Condition(c) if c.field.text == "Zendesk plan"),
            "a field whose name starts with the keyword is still a field"
        );
        let acts = actions(r#"ZENDESK "{}""#);
        assert!(matches!(&acts[0], Action::Zendesk(j) if j.node == "{}"));
    }

    #[test]
    fn action_forms() {
        let acts = actions("Tags += a b\nBalises -= c\nPriorité = Basse\nnotify requester \"S\" \"B {{ticket.id}}\"\nwebhook 12 r#\"{\"a\": \"b\"}\"#");
        let ops: Vec<Option<AssignOp>> = acts
            .iter()
            .map(|a| match a {
                Action::Assign { op, .. } => Some(op.node),
                _ => None,
            })
            .collect();
        assert_eq!(
            ops,
            [
                Some(AssignOp::Add),
                Some(AssignOp::Remove),
                Some(AssignOp::Set),
                None,
                None
            ]
        );
        let Action::Phrase { atoms, .. } = &acts[4] else {
            unreachable!()
        };
        assert_eq!(atoms[2].text, r#"{"a": "b"}"#);
        assert!(atoms[2].quoted);
    }

    #[test]
    fn strings_resolve_escapes() {
        let acts = actions(r#"public reply "a \"quoted\" line\nand \u{e9} \\ end""#);
        let Action::Phrase { atoms, .. } = &acts[0] else {
            unreachable!()
        };
        assert_eq!(atoms[2].text, "a \"quoted\" line\nand é \\ end");
    }

    #[test]
    fn many_triggers_comments_and_blank_lines() {
        let file = parse("# head\n\ntrigger \"a\" { # c1\n\n when all { x is y } # c2\n\n}\n\n\ntrigger \"b\" {\n}\n# tail").unwrap();
        assert_eq!(file.triggers.len(), 2);
        let comments: Vec<&str> = file.comments.iter().map(|c| c.node.as_str()).collect();
        assert_eq!(comments, ["# head", "# c1", "# c2", "# tail"]);
    }

    #[test]
    fn crlf_line_endings() {
        let file = parse("trigger \"a\" {\r\n when all {\r\n x is y\r\n }\r\n}\r\n").unwrap();
        assert_eq!(file.triggers.len(), 1);
    }

    #[test]
    fn depth_is_guarded_before_parsing() {
        let deep = format!("trigger \"t\" {{\n when {}", "all {\n".repeat(10_000));
        let e = parse(&deep).unwrap_err();
        assert_eq!(e.code, crate::diagnostics::Code::TooDeep);
        let ok = format!(
            "trigger \"t\" {{\n when {}x is y{}\n}}",
            "all {\n".repeat(MAX_DEPTH - 2),
            "\n}".repeat(MAX_DEPTH - 2)
        );
        assert!(parse(&ok).is_ok());
        // Braces inside strings and comments do not count.
        let quoted = format!(
            "trigger \"{}\" {{\n}} # {}",
            "{".repeat(100),
            "{".repeat(100)
        );
        assert!(parse(&quoted).is_ok());
    }

    #[test]
    fn syntax_errors_name_the_token_and_the_alternatives() {
        let e = parse("trigger \"x\" {\n when all {\n Canal Messagerie\n }\n}").unwrap_err();
        assert_eq!(e.message, "unexpected end of line");
        assert!(e.label.contains("an operator"), "{}", e.label);
        let e = parse("triger \"x\" {}").unwrap_err();
        assert_eq!(e.message, "unexpected `triger`");
        assert!(e.label.contains("`trigger`"), "{}", e.label);
        assert!(
            !e.label.contains("kw_"),
            "rule names never leak: {}",
            e.label
        );
    }

    #[test]
    fn errors_at_end_of_file_point_at_the_last_character() {
        let text = "trigger \"x\" {\n  when all {\n";
        let e = parse(text).unwrap_err();
        assert_eq!(e.message, "unexpected end of file");
        assert_eq!(&text[e.span.start..e.span.end], "{");
    }

    #[test]
    fn unterminated_strings_point_at_their_opening_quote() {
        let text = "trigger \"x\" {\n when all {\n Canal is \"Messagerie\n }\n}\n";
        let e = parse(text).unwrap_err();
        assert_eq!(e.message, "unterminated string");
        assert!(text[e.span.start..].starts_with("\"Messagerie"));
    }
}
