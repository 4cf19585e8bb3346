//! Every name of the catalog, in English, French and API form, parses and resolves to its
//! own entry. The cases are generated from the catalog, so a new row is covered at once.

use declic::catalog::actions::{Args, ACTIONS};
use declic::catalog::fields::{FieldRef, FIELDS};
use declic::catalog::{self, fold, Domain, Lang, Op};
use declic::check::rules::{ActionTarget, Condition, Operand};
use declic::{check, Severity, Source};

/// Checks one trigger built from `when` and `then` lines and returns its only trigger.
fn check_one(when: &str, then: &str) -> declic::check::rules::Trigger {
    let text = format!(
        "trigger \"t\" {{\n  when all {{\n    {when}\n  }}\n  then {{\n    {then}\n  }}\n}}\n"
    );
    let checked = check(&[Source::new("generated.declic", text.clone())]);
    let problems: Vec<String> = checked
        .diagnostics
        .iter()
        .map(|d| d.message.clone())
        .collect();
    assert!(
        checked.count(Severity::Error) == 0,
        "{text}\nproblems: {problems:?}"
    );
    checked
        .rules
        .triggers
        .into_iter()
        .next()
        .expect("one trigger")
}

/// A value every field of `domain` accepts, as written in a rule.
fn sample(domain: &Domain) -> String {
    match domain {
        Domain::Enum { values, .. } => values[1.min(values.len() - 1)].names.en[0].to_string(),
        Domain::Id { .. } => "360001234567".into(),
        Domain::Key { .. } => "01GZ8K4XN2".into(),
        Domain::Text | Domain::Raw => "\"refund\"".into(),
        Domain::Bool => "true".into(),
        Domain::Tags => "vip urgent".into(),
        Domain::Number => "24".into(),
    }
}

/// A name as a rule writes it: quoted when it holds `#`, which would start a comment
/// (the legacy `assignee_id#all_agents`).
fn written(name: &str) -> String {
    if name.contains('#') {
        format!("\"{name}\"")
    } else {
        name.to_string()
    }
}

fn only_test(t: &declic::check::rules::Trigger) -> &declic::check::rules::Test {
    match &t.conditions {
        Condition::All(members) => match &members[..] {
            [Condition::Test(test)] => test,
            other => panic!("expected one test, got {other:?}"),
        },
        other => panic!("expected all, got {other:?}"),
    }
}

#[test]
fn every_field_name_resolves_to_its_field() {
    for field in FIELDS {
        let op = field.ops[0];
        let value = if op.takes_value() {
            sample(&field.domain)
        } else {
            String::new()
        };
        for (_, name) in field.names.all() {
            let op_text = if field.names.fr.contains(&name) {
                op.fr()
            } else {
                op.en()
            };
            let when = format!("{} {op_text} {value}", written(name));
            let t = check_one(&when, "send CSAT");
            let test = only_test(&t);
            assert_eq!(test.field, FieldRef::Known(field), "{when}");
            assert!(
                written_in(&field.names, test.lang, name),
                "{when}: {:?}",
                test.lang
            );
            // Upper case and without accents too.
            let shouted = format!(
                "{} {} {value}",
                written(&strip_accents(&name.to_uppercase())),
                op.en()
            );
            assert_eq!(
                only_test(&check_one(&shouted, "send CSAT")).field,
                FieldRef::Known(field),
                "{shouted}"
            );
        }
    }
}

#[test]
fn every_value_name_resolves_to_its_value() {
    for field in FIELDS {
        let Domain::Enum { values, .. } = field.domain else {
            continue;
        };
        let op = if field.ops.contains(&Op::Is) {
            Op::Is
        } else {
            continue;
        };
        for (index, value) in values.iter().enumerate() {
            for (lang, spelling) in value.names.all() {
                if spelling.is_empty() {
                    continue; // the API's "no priority": written as `None` or `Aucune`
                }
                let earlier = catalog::find_value(values, spelling).map(|f| f.item);
                if lang == Lang::Api && earlier < Some(index) {
                    continue; // a via name (`email`) means the channel it spells: Email
                }
                let when = format!("{} {op} \"{spelling}\"", field.names.api);
                let t = check_one(&when, "send CSAT");
                assert_eq!(only_test(&t).value, Operand::Enum(index), "{when}");
                if starts_with_operator_word(spelling) {
                    continue; // `is Not relevant` reads as `is not` + `relevant`: such values are quoted
                }
                let bare = format!(
                    "{} {op} {}",
                    field.names.api,
                    strip_accents(&spelling.to_lowercase())
                );
                // Bare, the API's `true` is the JSON boolean some exports hold.
                let expected = match spelling.parse::<bool>() {
                    Ok(b) if lang == Lang::Api => Operand::Bool(b),
                    _ => Operand::Enum(index),
                };
                assert_eq!(
                    only_test(&check_one(&bare, "send CSAT")).value,
                    expected,
                    "{bare}"
                );
            }
        }
    }
}

#[test]
fn every_action_name_resolves_to_its_action() {
    for action in ACTIONS {
        for (_, name) in action.names.all() {
            let name = &written(name);
            let line = match action.args {
                Args::None => name.to_string(),
                Args::Value(domain) => format!("{name} = {}", sample(&domain)),
                Args::Tags => format!("{name} = vip urgent"),
                Args::Message { to, texts } => {
                    let to = match to {
                        Domain::Id { special, .. } if !special.is_empty() => {
                            special[0].names.en[0].to_string()
                        }
                        _ => "360001234567".into(),
                    };
                    let texts: Vec<String> = texts.iter().map(|t| format!("\"{t}\"")).collect();
                    format!("{name} {to} {}", texts.join(" "))
                }
                Args::Texts(texts) => {
                    let texts: Vec<String> = texts.iter().map(|t| format!("\"{t}\"")).collect();
                    format!("{name} {}", texts.join(" "))
                }
            };
            let header = match action.scope {
                declic::catalog::Scope::Messaging => "messaging trigger",
                _ => "trigger",
            };
            let text = format!("{header} \"t\" {{\n when all {{\n Status is Open\n }}\n then {{\n {line}\n }}\n}}\n");
            let checked = check(&[Source::new("generated.declic", text.clone())]);
            assert_eq!(
                checked.count(Severity::Error),
                0,
                "{text}\n{:?}",
                checked.diagnostics
            );
            let resolved = &checked.rules.triggers[0].actions[0];
            assert_eq!(resolved.target, ActionTarget::Known(action), "{line}");
            assert!(
                written_in(&action.names, resolved.lang, name.trim_matches('"')),
                "{line}: {:?}",
                resolved.lang
            );
        }
    }
}

#[test]
fn custom_fields_by_id_in_every_form() {
    for name in [
        "custom_fields_4612925021719",
        "Custom field 4612925021719",
        "Champ personnalisé 4612925021719",
        "CHAMP PERSONNALISE 4612925021719",
    ] {
        let t = check_one(&format!("{name} is premium"), &format!("{name} = gold"));
        assert_eq!(
            only_test(&t).field,
            FieldRef::Custom(4612925021719),
            "{name}"
        );
        assert_eq!(
            t.actions[0].target,
            ActionTarget::CustomField(4612925021719),
            "{name}"
        );
    }
    let t = check_one("organization.custom_fields.plan is enterprise", "send CSAT");
    assert_eq!(
        only_test(&t).field,
        FieldRef::OrganizationCustom("plan".into())
    );
}

#[test]
fn tag_shorthands_add_remove_and_set() {
    use declic::catalog::actions::ActionKey;
    let t = check_one(
        "Tags includes vip",
        "Tags += a b\n Balises -= c\n Étiquettes = d",
    );
    let keys: Vec<_> = t.actions.iter().map(|a| a.target.key()).collect();
    assert_eq!(
        keys,
        [
            Some(ActionKey::AddTags),
            Some(ActionKey::RemoveTags),
            Some(ActionKey::SetTags)
        ]
    );
    assert_eq!(
        t.actions[0].value,
        Operand::Tags(vec!["a".into(), "b".into()])
    );
}

/// Whether `lang` has a spelling of `names` that matches `written`. Languages share some
/// spellings (`Ticket`, `Satisfaction`), so the one reported is any that has it.
fn written_in(names: &declic::catalog::Names, lang: Lang, written: &str) -> bool {
    names
        .all()
        .any(|(l, n)| l == lang && fold(n) == fold(written))
}

fn starts_with_operator_word(value: &str) -> bool {
    let first = fold(value)
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_string();
    ["not", "is", "est", "present", "changed", "n'est", "n'a"].contains(&first.as_str())
}

fn strip_accents(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'É' | 'È' | 'Ê' => 'E',
            'À' | 'Â' => 'A',
            'Ô' => 'O',
            'Ç' => 'C',
            'é' | 'è' | 'ê' => 'e',
            'à' | 'â' => 'a',
            'ô' => 'o',
            'ç' => 'c',
            c => c,
        })
        .collect()
}

/// Zendesk offers no empty choice for the priority or the type in actions: clearing them
/// is an error with help, in every spelling of "none"; setting them, or testing for none,
/// is fine.
#[test]
fn priority_and_type_cannot_be_cleared_by_an_action() {
    let run = |then: &str| {
        let text =
            format!("trigger \"t\" {{\n when all {{ Priority is None }}\n then {{ {then} }}\n}}\n");
        check(&[Source::new("t.declic", text)])
    };
    for then in [
        "Priority = None",
        "Priorité = Aucune",
        "Priority = \"\"",
        "Priority = __NULL__",
        "Type = None",
        "Type = Aucun",
    ] {
        let checked = run(then);
        let error = checked
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
            .unwrap_or_else(|| panic!("{then} is refused"));
        assert_eq!(error.code, declic::Code::InvalidValue, "{then}");
        assert!(
            error.message.contains("cannot be cleared"),
            "{}",
            error.message
        );
        assert!(
            error.help.as_deref().is_some_and(|h| h.contains("is None")),
            "{then}"
        );
    }
    for then in [
        "Priority = Low",
        "Type = Task",
        "Group = None",
        "Assignee = None",
    ] {
        assert_eq!(run(then).count(Severity::Error), 0, "{then}");
    }
}

/// Zendesk's own list of what triggers may test and do, as `GET
/// /api/v2/triggers/definitions` answered for a real account
/// (`tests/fixtures/zendesk/salto_definitions.json`): every condition subject and operator,
/// and every action subject, is in the catalog, or on the catalog's short list of what
/// declic does not support yet, with a reason; and nothing on that list is stale.
#[test]
fn the_catalog_holds_zendesks_trigger_definitions() {
    use declic::catalog::unsupported::{self, Unsupported};
    use declic::interop::import::api_field;
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/zendesk/salto_definitions.json"
    );
    let text = std::fs::read_to_string(path).expect("the definitions fixture");
    let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let definitions = &json["definitions"];
    let list = |key: &str| definitions[key].as_array().expect("a list").clone();
    let mut used: Vec<*const Unsupported> = Vec::new();
    let mut missing = Vec::new();
    let (mut supported, mut listed) = ((0, 0), (0, 0));
    // Zendesk offers the same conditions for its `all` and `any` lists.
    assert_eq!(list("conditions_all"), list("conditions_any"));
    {
        for condition in list("conditions_all") {
            let subject = condition["subject"].as_str().expect("a subject");
            let field = api_field(subject);
            let whole = unsupported::find(unsupported::CONDITIONS, subject, None);
            let operators = condition["operators"].as_array().expect("operators");
            for op in operators
                .iter()
                .map(|o| o["value"].as_str().expect("a value"))
            {
                let known = field.as_ref().and_then(|f| f.op_from_api(op));
                match (
                    known,
                    unsupported::find(unsupported::CONDITIONS, subject, Some(op)),
                ) {
                    (Some(_), _) => supported.1 += 1,
                    (None, Some(u)) => {
                        listed.1 += 1;
                        used.push(u);
                    }
                    (None, None) => missing.push(format!("condition `{subject}` `{op}`")),
                }
            }
            match (&field, whole) {
                (Some(_), _) => supported.0 += 1,
                (None, Some(u)) => {
                    listed.0 += 1;
                    used.push(u);
                }
                (None, None) => missing.push(format!("condition `{subject}`")),
            }
        }
    }
    let (mut actions_supported, mut actions_listed) = (0, 0);
    for action in list("actions") {
        let subject = action["subject"].as_str().expect("a subject");
        let known = declic::catalog::actions::ACTIONS
            .iter()
            .any(|a| a.names.api == subject)
            || subject
                .strip_prefix("custom_fields_")
                .is_some_and(|id| id.parse::<u64>().is_ok());
        match (
            known,
            unsupported::find(unsupported::ACTIONS, subject, None),
        ) {
            (true, _) => actions_supported += 1,
            (false, Some(u)) => {
                actions_listed += 1;
                used.push(u);
            }
            (false, None) => missing.push(format!("action `{subject}`")),
        }
    }
    assert!(
        missing.is_empty(),
        "neither in the catalog nor on its list of what declic lacks:\n{}",
        missing.join("\n")
    );
    for entry in unsupported::CONDITIONS.iter().chain(unsupported::ACTIONS) {
        assert!(
            used.contains(&(entry as *const Unsupported)),
            "`{}` is on the list but Zendesk's definitions do not need it",
            entry.subject
        );
        assert!(!entry.reason.is_empty(), "{}", entry.subject);
    }
    println!(
        "definitions: condition subjects {} supported, {} \
         listed; condition operators {} supported, {} listed; action subjects {} supported, \
         {} listed",
        supported.0, listed.0, supported.1, listed.1, actions_supported, actions_listed
    );
}

/// A webhook takes one body, or pairs of a key and a value, or nothing; a side
/// conversation takes its group before the subject and body.
#[test]
fn webhook_and_side_conversation_arguments() {
    let errors = |then: &str| {
        let text =
            format!("trigger \"t\" {{\n when all {{ Status is Open }}\n then {{ {then} }}\n}}\n");
        check(&[Source::new("t.declic", text)]).count(Severity::Error)
    };
    for fine in [
        "webhook 01GZ \"{}\"",
        "webhook 01GZ",
        "webhook 01GZ \"k\" \"v\" \"k2\" \"v2\"",
        "side conversation ticket 360001 \"S\" \"B\"",
        "Ticket enfant 360001 \"S\" \"B\"",
    ] {
        assert_eq!(errors(fine), 0, "{fine}");
    }
    for wrong in [
        "webhook 01GZ \"k\" \"v\" \"k2\"",
        "side conversation ticket \"S\" \"B\"",
        "side conversation ticket 360001 \"S\"",
    ] {
        assert_eq!(errors(wrong), 1, "{wrong}");
    }
}

/// Every time condition, in each of its spellings and with each operator, checks in an
/// automation into its own moment, hours counted as its row says.
#[test]
fn every_time_condition_resolves_in_every_spelling() {
    use declic::catalog::time::TIME_FIELDS;
    use declic::model::HoursOp;
    for row in TIME_FIELDS {
        for (lang, name) in row.names.all() {
            // A business-hours row shares its API name with its calendar row.
            if lang == Lang::Api && row.business {
                continue;
            }
            for (op, want) in [
                ("is", HoursOp::Is),
                ("<", HoursOp::LessThan),
                (">", HoursOp::GreaterThan),
            ] {
                let text = format!(
                    "automation \"a\" {{\n  when all {{\n    Status is Open\n    {name} {op} 24\n  }}\n  then {{\n    Tags += t\n  }}\n}}\n"
                );
                let checked = check(&[Source::new("generated.declic", text.clone())]);
                assert_eq!(
                    checked.count(Severity::Error),
                    0,
                    "{text}\n{:?}",
                    checked.diagnostics
                );
                let Condition::All(members) = &checked.rules.automations[0].conditions else {
                    panic!("{text}");
                };
                let Condition::Hours {
                    test, lang: read, ..
                } = &members[1]
                else {
                    panic!("{text}: {members:?}");
                };
                assert_eq!(
                    (test.moment, test.business, test.op, test.hours, *read),
                    (row.moment, row.business, want, 24, lang),
                    "{text}"
                );
            }
        }
    }
}
