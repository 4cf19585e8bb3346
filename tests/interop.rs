//! Import, then export, gives back what Zendesk wrote: on Zendesk's own exports (kept in
//! `tests/fixtures/zendesk/`), on this project's fixtures covering every field, operator and
//! action of the domain, and on generated triggers. Golden snapshots show what import
//! writes; bad inputs are reported with their file, title and JSON path.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use declic::account::Account;
use declic::catalog::Lang;
use declic::diagnostics::Source;
use declic::interop::export;
use declic::interop::import::Imported;
use declic::interop::text::{self, OutputFile, Style};
use declic::interop::zendesk_json::{self, ApiRule};
use declic::{Code, Diagnostic, Severity};
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop")
}

/// Zendesk's public exports, kept in the repository (`tests/fixtures/zendesk/SOURCE.md`
/// says where each comes from); a missing folder fails the test.
fn real_fixtures() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/zendesk/");
    assert!(dir.is_dir(), "{} is missing", dir.display());
    dir
}

fn account() -> Account {
    Account::load(&fixtures().join("account")).expect("the fixture account loads")
}

/// The rules of a file as Zendesk wrote them: what a round trip must give back.
fn originals(path: &Path) -> Vec<ApiRule> {
    let text = std::fs::read_to_string(path).expect("a fixture");
    let value: Value = serde_json::from_str(&text).expect("JSON");
    let located = zendesk_json::rules_of(path, value).expect("a Zendesk export");
    located
        .iter()
        .filter_map(|r| zendesk_json::read_rule(r).ok())
        .collect()
}

/// What a round trip went through.
struct RoundTrip {
    files: Vec<OutputFile>,
    imported: Vec<Diagnostic>,
    checked: Vec<Diagnostic>,
    exported: Vec<ApiRule>,
}

impl RoundTrip {
    fn warnings(&self, code: Code) -> usize {
        self.imported
            .iter()
            .filter(|d| d.code == code && d.severity == Severity::Warning)
            .count()
    }

    fn text(&self) -> String {
        let texts: Vec<String> = self
            .files
            .iter()
            .map(|f| format!("==> {} <==\n{}", f.name, f.text))
            .collect();
        texts.join("\n")
    }
}

/// Imports `json` (the contents of files named `names`), writes the declic files, checks
/// them as one rule set as `declic check DIR` would, and exports them.
fn round_trip_texts(inputs: &[(&str, String)], lang: Lang, account: Option<&Account>) -> RoundTrip {
    let mut imported = Imported::default();
    for (name, json) in inputs {
        imported
            .add_text(Path::new(name), json)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let files = text::files(&imported.rules, Style { lang, account }, false);
    let mut sources: Vec<Arc<Source>> = files
        .iter()
        .map(|f| Source::new(f.name.clone(), f.text.clone()))
        .collect();
    sources.sort_by(|a, b| a.name.cmp(&b.name));
    let checked = declic::check::check_with(&sources, account);
    let check_diagnostics = checked.diagnostics.clone();
    let rules = match checked.into_result() {
        Ok(rules) => rules,
        Err(e) => panic!("the import does not check:\n{:#?}\n{}", e.diagnostics, {
            let texts: Vec<&str> = files.iter().map(|f| f.text.as_str()).collect();
            texts.join("\n")
        }),
    };
    let exported = export::export(&rules, account);
    let errors: Vec<&Diagnostic> = exported
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .collect();
    assert!(errors.is_empty(), "export refused: {errors:#?}");
    RoundTrip {
        files,
        imported: imported.diagnostics,
        checked: check_diagnostics,
        exported: [exported.triggers, exported.automations].concat(),
    }
}

fn round_trip(paths: &[PathBuf], lang: Lang, account: Option<&Account>) -> RoundTrip {
    let inputs: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(p).expect("a fixture"),
            )
        })
        .collect();
    let inputs: Vec<(&str, String)> = inputs
        .iter()
        .map(|(n, t)| (n.as_str(), t.clone()))
        .collect();
    round_trip_texts(&inputs, lang, account)
}

/// A value as Zendesk means it: a number and its digits are one value.
fn canonical(value: &Value) -> Value {
    match value {
        Value::Number(n) => Value::String(n.to_string()),
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

/// Fails unless `text` holds every one of `parts`.
fn assert_mentions(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "`{part}` in:\n{text}");
    }
}

/// The parts of a rule a round trip keeps, as comparable JSON.
fn kept(rule: &ApiRule) -> Value {
    let conditions = |list: &[zendesk_json::ApiCondition]| -> Vec<Value> {
        list.iter()
            .map(|c| serde_json::json!([c.field, c.operator, canonical(&c.value)]))
            .collect()
    };
    let actions: Vec<Value> = rule
        .actions
        .iter()
        .map(|a| serde_json::json!([a.field, canonical(&a.value)]))
        .collect();
    let title = rule.raw_title.clone().unwrap_or_else(|| rule.title.clone());
    serde_json::json!({
        "title": title,
        "description": rule.description,
        "active": rule.active,
        "position": rule.position,
        "category_id": rule.category_id,
        "id": rule.id,
        "all": conditions(&rule.conditions.all),
        "any": conditions(&rule.conditions.any),
        "actions": actions,
    })
}

/// Every original rule comes back, with the same conditions and actions in the same order.
/// Rules are matched by id (export writes them in run order, by category then position).
fn assert_same(originals: &[ApiRule], exported: &[ApiRule]) -> usize {
    assert_eq!(originals.len(), exported.len(), "as many rules come back");
    for original in originals {
        let back = exported
            .iter()
            .find(|e| e.id == original.id && (e.id.is_some() || e.title == original.title))
            .unwrap_or_else(|| panic!("`{}` comes back", original.title));
        assert_eq!(kept(back), kept(original), "`{}`", original.title);
    }
    originals.len()
}

#[test]
fn zendesk_default_triggers_and_automations_round_trip_in_both_languages() {
    let dir = real_fixtures();
    let mut figures = Vec::new();
    for (file, kind) in [
        ("default_triggers.json", "triggers"),
        ("default_automations.json", "automations"),
        ("single_trigger.json", "triggers"),
    ] {
        let path = dir.join(file);
        for lang in [Lang::En, Lang::Fr] {
            let trip = round_trip(std::slice::from_ref(&path), lang, None);
            let same = assert_same(&originals(&path), &trip.exported);
            assert_eq!(trip.warnings(Code::Passthrough), 0, "{file}: all readable");
            assert!(trip.checked.iter().all(|d| !d.is_error()));
            figures.push(format!("{file} ({lang:?}): {same} {kind} round-tripped"));
        }
    }
    println!("{}", figures.join("\n"));
}

#[test]
fn import_of_the_real_fixtures_reads_as_snapshots() {
    let dir = real_fixtures();
    for (file, lang, name) in [
        (
            "default_triggers.json",
            Lang::En,
            "real_default_triggers_en",
        ),
        (
            "default_automations.json",
            Lang::Fr,
            "real_default_automations_fr",
        ),
        ("single_trigger.json", Lang::En, "real_single_trigger_en"),
    ] {
        let trip = round_trip(&[dir.join(file)], lang, None);
        insta::assert_snapshot!(name, trip.text());
    }
}

/// A fixture every part of which the catalog reads: it round-trips in both languages with
/// no passthrough, and its text in `shown` is the snapshot `name`.
fn readable_fixture_round_trips(file: &str, shown: Lang, name: &str) {
    let path = fixtures().join(file);
    for lang in [Lang::En, Lang::Fr] {
        let trip = round_trip(std::slice::from_ref(&path), lang, None);
        assert_same(&originals(&path), &trip.exported);
        assert_eq!(trip.warnings(Code::Passthrough), 0, "every one is readable");
        if lang == shown {
            insta::assert_snapshot!(name, trip.text());
        }
    }
}

#[test]
fn every_condition_field_and_operator_round_trips() {
    readable_fixture_round_trips("every_condition.json", Lang::En, "every_condition_en");
}

#[test]
fn every_action_round_trips() {
    readable_fixture_round_trips("every_action.json", Lang::Fr, "every_action_fr");
}

/// The fixtures hold every API field and operator of the catalog, and every action.
#[test]
fn the_fixtures_cover_the_whole_catalog() {
    let mut fields = std::collections::BTreeSet::new();
    let mut operators = std::collections::BTreeSet::new();
    let mut actions = std::collections::BTreeSet::new();
    for file in [
        "every_condition.json",
        "every_action.json",
        "automations.json",
    ] {
        for rule in originals(&fixtures().join(file)) {
            for c in rule.conditions.all.iter().chain(&rule.conditions.any) {
                fields.insert(c.field.clone());
                operators.insert(c.operator.clone());
            }
            actions.extend(rule.actions.iter().map(|a| a.field.clone()));
        }
    }
    for field in declic::catalog::fields::FIELDS {
        assert!(fields.contains(field.names.api), "{}", field.names.api);
    }
    for op in declic::catalog::Op::ALL {
        assert!(operators.contains(op.api()), "{}", op.api());
    }
    for action in declic::catalog::actions::ACTIONS {
        let messaging = action.scope == declic::catalog::Scope::Messaging;
        assert!(
            messaging || actions.contains(action.names.api),
            "{}",
            action.names.api
        );
    }
    assert!(fields.iter().any(|f| f.starts_with("custom_fields_")));
    assert!(fields
        .iter()
        .any(|f| f.starts_with("organization.custom_fields.")));
}

#[test]
fn automations_stay_automations_with_their_time_conditions_in_words() {
    let path = fixtures().join("automations.json");
    for (lang, words) in [
        (
            Lang::En,
            [
                "automation \"Hours since every status\"",
                "Hours since created > 24",
                "Business hours since pending > 24",
                "Business hours since solved is 12",
                "Hours until due date < 6",
                "Business hours since next SLA breach is 7",
            ],
        ),
        (
            Lang::Fr,
            [
                "automatisation \"Hours since every status\"",
                "Heures depuis Nouveau > 24",
                "Heures ouvrées depuis En attente > 24",
                "Heures ouvrées depuis Résolu est 12",
                "Heures avant l'échéance < 6",
                "Heures ouvrées depuis la prochaine violation de SLA est 7",
            ],
        ),
    ] {
        let trip = round_trip(std::slice::from_ref(&path), lang, None);
        assert_same(&originals(&path), &trip.exported);
        // Zendesk's automations have no `>=` nor fractional hours: those two are kept as
        // written, everything else (business hours and SLA included) in words.
        assert_eq!(trip.warnings(Code::Passthrough), 2, "{lang:?}");
        assert_mentions(&trip.text(), &words);
        assert_mentions(
            &trip.text(),
            &[r#""operator":"greater_than_equal""#, r#""value":"1.5""#],
        );
        assert!(!trip.text().contains("business_hours"), "{}", trip.text());
        assert_eq!(trip.files[0].name, "automations.declic");
    }
}

#[test]
fn what_the_catalog_lacks_is_kept_verbatim_and_reported() {
    let path = fixtures().join("passthrough.json");
    let trip = round_trip(std::slice::from_ref(&path), Lang::En, None);
    assert_same(&originals(&path), &trip.exported);
    // Five conditions and four actions: the words search on a subject and the unassigning
    // `group_id ""` are read since Zendesk's definitions were followed.
    assert_eq!(trip.warnings(Code::Passthrough), 5 + 4);
    let first = trip
        .imported
        .iter()
        .find(|d| d.code == Code::Passthrough)
        .expect("a warning");
    assert_mentions(
        &first.message,
        &[
            "`triggers[0].conditions.all[1]`",
            "sla_next_breach_at",
            "passthrough.json",
        ],
    );
    insta::assert_snapshot!("passthrough_en", trip.text());
}

#[test]
fn every_envelope_and_several_pages_import() {
    let dir = fixtures();
    let paths = [
        dir.join("single.json"),
        dir.join("bare_array.json"),
        dir.join("page1.json"),
        dir.join("page2.json"),
    ];
    let trip = round_trip(&paths, Lang::En, None);
    let originals: Vec<ApiRule> = paths.iter().flat_map(|p| originals(p)).collect();
    assert_same(&originals, &trip.exported);
    let names: Vec<&str> = trip.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "triggers.declic",
            "triggers-01-10026.declic",
            "triggers-02-10027.declic"
        ]
    );
}

#[test]
fn with_an_account_titles_replace_ids_and_read_back() {
    let account = account();
    let path = fixtures().join("with_account.json");
    let trip = round_trip(std::slice::from_ref(&path), Lang::En, Some(&account));
    assert_same(&originals(&path), &trip.exported);
    let text = trip.text();
    for expected in [
        r#"category "Routing""#,
        "Product area is Billing",
        r#"Group is not "Support N2""#,
        r#"Assignee is "Jeanne Dupont""#,
        r#"Brand is "Acme""#,
        r#"Within schedule is "Paris hours""#,
        r#"Group = "Support N2""#,
        r#"Webhook "Slack alerts""#,
        r#"Notify group "Support N2""#,
        // Twins share a title, `2024` reads as an id, `Priority` is a catalog field.
        "Group is 360002222222",
        "Group = 360003333333",
        r#"Order count > "3""#,
    ] {
        assert_mentions(&text, &[expected]);
    }
    let names: Vec<&str> = trip.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "triggers-01-routing.declic",
            "triggers-02-notifications.declic"
        ]
    );
    // The option and the webhook the account does not list are kept, with a warning.
    let warnings: Vec<&str> = trip
        .checked
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    insta::assert_snapshot!("with_account_en", text);
}

fn check_with_account(text: &str) -> declic::Checked {
    let account = account();
    declic::check::check_with(&[Source::new("t.declic", text)], Some(&account))
}

#[test]
fn the_checker_resolves_account_titles_with_did_you_mean() {
    let checked = check_with_account(
        r#"trigger "t" {
  when all {
    "Product area" is Shiping
    Group is "Suport N2"
    Group is Twins
  }
  then {
    "Order cont" = 3
  }
}
"#,
    );
    let messages: Vec<String> = checked
        .diagnostics
        .iter()
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    assert_mentions(
        &messages.join("\n"),
        &[
            "did you mean `Shipping`?",
            "did you mean `Support N2`?",
            "declic::ambiguous_name 2 groups are titled `Twins`",
            "declic::unknown_action",
        ],
    );
    let checked = check_with_account(
        "trigger \"t\" {\n when all {\n Produc area is Billing\n }\n then {\n send CSAT\n }\n}\n",
    );
    assert!(
        checked.diagnostics[0]
            .message
            .contains("did you mean `Product area`?"),
        "{:?}",
        checked.diagnostics
    );
}

#[test]
fn titles_two_rules_share_are_a_warning() {
    let path = fixtures().join("single.json");
    let mut imported = Imported::default();
    imported.add_file(&path).unwrap();
    imported.add_file(&path).unwrap();
    imported.warn_shared_titles();
    assert_eq!(imported.rules.len(), 2);
    let d = &imported.diagnostics[0];
    assert_eq!(
        (d.code, d.severity),
        (Code::DuplicateTitle, Severity::Warning)
    );
    assert!(d.message.contains("`Single trigger`"), "{}", d.message);
}

fn import_bad(file: &str) -> (Imported, Result<(), declic::interop::InteropError>) {
    let mut imported = Imported::default();
    let result = imported.add_file(&fixtures().join("bad").join(file));
    (imported, result)
}

#[test]
fn a_file_that_is_not_zendesk_json_is_a_coded_error_naming_it() {
    for file in ["not_json.json", "not_zendesk.json"] {
        let (_, result) = import_bad(file);
        let d = result.expect_err("refused").to_diagnostic();
        assert_eq!(d.code, Code::NotZendeskJson);
        assert!(d.message.contains(file), "{}", d.message);
        assert!(d.file.as_deref().is_some_and(|f| f.ends_with(file)));
    }
    let (_, result) = import_bad("not_json.json");
    let message = result.unwrap_err().to_string();
    assert!(message.contains("line 1 column"), "{message}");
}

#[test]
fn broken_rules_are_reported_by_file_title_and_path_and_the_others_imported() {
    let (imported, result) = import_bad("mixed.json");
    result.expect("the file itself is a Zendesk export");
    let titles: Vec<&str> = imported
        .rules
        .iter()
        .map(|r| r.trigger.title.as_str())
        .collect();
    assert_eq!(titles, ["Fine before", "Fine after"]);
    let found: Vec<(Code, &str)> = imported
        .diagnostics
        .iter()
        .map(|d| (d.code, d.message.as_str()))
        .collect();
    let expect = [
        (
            Code::ZendeskMissingKey,
            "`Missing conditions`",
            "`triggers[1].conditions`",
        ),
        (
            Code::ZendeskWrongType,
            "`Wrong field type`",
            "`triggers[2].conditions.all[0].field`",
        ),
        (
            Code::ZendeskWrongType,
            "`Active is not a boolean`",
            "`triggers[3].active`",
        ),
        (
            Code::ZendeskWrongType,
            "`Conditions is a list`",
            "`triggers[4].conditions`",
        ),
        (Code::ZendeskWrongType, "`(untitled)`", "`triggers[5]`"),
    ];
    assert_eq!(found.len(), expect.len(), "{found:#?}");
    for ((code, message), (want, title, path)) in found.iter().zip(expect) {
        assert_eq!(*code, want, "{message}");
        assert_mentions(message, &[title, path, "mixed.json"]);
    }
}

#[test]
fn export_refuses_logic_zendesk_cannot_express_naming_the_trigger() {
    let source = Source::new(
        "nested.declic",
        r#"trigger "Fine" {
  when all {
    Status is Open
    not {
      Priority is Urgent
      Tags includes vip
    }
  }
  then {
    Priority = High
  }
}

trigger "Two any groups" {
  when all {
    any {
      Status is Open
      Status is New
    }
    any {
      Priority is High
      Priority is Urgent
    }
  }
  then {
    Priority = Low
  }
}
"#,
    );
    let rules = declic::check(&[source])
        .into_result()
        .expect("the rules check");
    let exported = export::export(&rules, None);
    assert_eq!(exported.triggers.len(), 1);
    let fine = &exported.triggers[0];
    let any: Vec<(&str, &str)> = fine
        .conditions
        .any
        .iter()
        .map(|c| (c.field.as_str(), c.operator.as_str()))
        .collect();
    assert_eq!(
        any,
        [("priority", "is_not"), ("current_tags", "not_includes")]
    );
    let refused = &exported.diagnostics[0];
    assert_eq!(refused.code, Code::NotExportable);
    assert!(
        refused.message.contains("`Two any groups`") && refused.message.contains("any-list"),
        "{}",
        refused.message
    );
    assert_eq!(refused.line_col(), Some((14, 1)));
}

mod generated {
    //! Generated triggers: any mix of catalog conditions and actions, values of every
    //! shape (quotes, line breaks, `#`, braces, accents), passthroughs, with and without
    //! account titles, in both languages, come back unchanged.

    use super::*;
    use declic::catalog::actions::{ActionKey, Args, ACTIONS};
    use declic::catalog::fields::FIELDS;
    use declic::catalog::{Domain, Op, Scope};
    use proptest::prelude::*;
    use serde_json::json;

    /// Ids drawn partly from the fixture account, so titles are exercised too.
    fn id() -> impl Strategy<Value = String> {
        prop_oneof![
            (1u64..10_000_000_000_000).prop_map(|n| n.to_string()),
            prop::sample::select(vec![
                "360001234567",
                "360002222222",
                "360003333333",
                "361111111111",
                "360000333444",
                "360000012345",
            ])
            .prop_map(str::to_string),
        ]
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            ".{0,12}",
            "[a-z \"\\\\#{}=<>\\n\\t\\r'é]{0,12}",
            Just(String::new()),
            Just("is not present".to_string()),
            Just(r#"{"a": "{{ticket.id}}"}"#.to_string()),
        ]
    }

    fn tag() -> impl Strategy<Value = String> {
        "[a-z0-9_:\\-#\"]{1,8}"
    }

    fn tags() -> impl Strategy<Value = String> {
        prop::collection::vec(tag(), 1..4).prop_map(|t| t.join(" "))
    }

    /// A value of `domain` as the API writes it.
    fn value(domain: Domain) -> BoxedStrategy<Value> {
        match domain {
            Domain::Enum {
                values,
                open_integers,
                ..
            } => {
                let apis: Vec<&'static str> = values.iter().map(|v| v.names.api).collect();
                let named = prop::sample::select(apis).prop_map(|s| json!(s));
                if open_integers {
                    prop_oneof![named, (0u32..200).prop_map(|n| json!(n.to_string()))].boxed()
                } else {
                    named.boxed()
                }
            }
            Domain::Id { special, .. } => {
                let apis: Vec<&'static str> = special.iter().map(|v| v.names.api).collect();
                if apis.is_empty() {
                    id().prop_map(|s| json!(s)).boxed()
                } else {
                    let named = prop::sample::select(apis).prop_map(|s| json!(s));
                    prop_oneof![named, id().prop_map(|s| json!(s))].boxed()
                }
            }
            Domain::Key { .. } => prop_oneof![
                "[0-9A-Z]{1,26}".prop_map(|s| json!(s)),
                Just(json!("01GZ8K4XN2Q9W7E3R5T1Y6U8I0")),
            ]
            .boxed(),
            Domain::Bool => prop::sample::select(vec!["true", "false"])
                .prop_map(|s| json!(s))
                .boxed(),
            Domain::Number => prop_oneof![
                (0u32..2000).prop_map(|n| json!(n.to_string())),
                (0u32..100).prop_map(|n| json!(format!("{n}.5"))),
            ]
            .boxed(),
            Domain::Tags => tags().prop_map(|s| json!(s)).boxed(),
            Domain::Text | Domain::Raw => text().prop_map(|s| json!(s)).boxed(),
        }
    }

    fn known_condition() -> impl Strategy<Value = Value> {
        (0..FIELDS.len()).prop_flat_map(|i| {
            let field = &FIELDS[i];
            (prop::sample::select(field.ops.to_vec()), Just(field))
                .prop_flat_map(|(op, field)| {
                    (Just(field.names.api), Just(op), operand(field.domain, op))
                })
                .prop_map(|(f, op, v)| json!({"field": f, "operator": op.api(), "value": v}))
        })
    }

    fn operand(domain: Domain, op: Op) -> BoxedStrategy<Value> {
        if op.takes_value() {
            value(domain)
        } else {
            prop_oneof![Just(Value::Null), Just(json!(""))].boxed()
        }
    }

    fn custom_condition() -> impl Strategy<Value = Value> {
        let field = prop_oneof![
            prop::sample::select(vec![4612925021719u64, 360000555666, 360000999000, 42])
                .prop_map(|id| format!("custom_fields_{id}")),
            "[a-z_]{1,8}".prop_map(|k| format!("organization.custom_fields.{k}")),
        ];
        let ops = prop::sample::select(vec![Op::Is, Op::IsNot, Op::Present, Op::ChangedTo]);
        (field, ops).prop_flat_map(|(f, op)| {
            let value = if op.takes_value() {
                prop_oneof![text(), Just("billing".to_string())]
                    .prop_map(|s| json!(s))
                    .boxed()
            } else {
                Just(Value::Null).boxed()
            };
            value.prop_map(move |v| json!({"field": f, "operator": op.api(), "value": v}))
        })
    }

    fn passthrough_condition() -> impl Strategy<Value = Value> {
        let value = prop_oneof![
            text().prop_map(|s| json!(s)),
            any::<i32>().prop_map(|n| json!(n)),
            Just(json!(["a", 1, null])),
            Just(json!({"nested": true})),
        ];
        ("[a-z_]{1,12}", "[a-z_]{1,20}", value)
            .prop_map(|(f, op, v)| json!({"field": format!("x_{f}"), "operator": op, "value": v}))
    }

    fn condition() -> impl Strategy<Value = Value> {
        prop_oneof![
            6 => known_condition(),
            2 => custom_condition(),
            1 => passthrough_condition(),
        ]
    }

    fn known_action() -> impl Strategy<Value = Value> {
        let actions: Vec<usize> = (0..ACTIONS.len())
            .filter(|i| ACTIONS[*i].scope != Scope::Messaging)
            .collect();
        prop::sample::select(actions).prop_flat_map(|i| {
            let a = &ACTIONS[i];
            let value: BoxedStrategy<Value> = match a.args {
                // The API's four strings: subject, body, the group, the format.
                _ if a.key == ActionKey::SideConversationTicket => (id(), text(), text())
                    .prop_map(|(group, subject, body)| {
                        let group = format!("SupportAssignable:support_assignable/group/{group}");
                        json!([subject, body, group, "text/html"])
                    })
                    .boxed(),
                // A webhook without a JSON body: `[key, value]` pairs, maybe none.
                Args::Message { to, .. } if a.key == ActionKey::NotifyWebhook => (
                    value(to),
                    prop::collection::vec((text(), text()), 0..3),
                    any::<bool>(),
                )
                    .prop_map(|(to, pairs, json_body)| match pairs.first() {
                        Some((body, _)) if json_body => json!([to, body]),
                        _ => json!([
                            to,
                            pairs.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>()
                        ]),
                    })
                    .boxed(),
                Args::None => Just(json!("true")).boxed(),
                Args::Value(domain) => value(domain),
                Args::Tags => tags().prop_map(|s| json!(s)).boxed(),
                Args::Message { to, texts } => {
                    (value(to), prop::collection::vec(text(), texts.len()))
                        .prop_map(|(to, texts)| {
                            let mut items = vec![to];
                            items.extend(texts.into_iter().map(Value::String));
                            Value::Array(items)
                        })
                        .boxed()
                }
                Args::Texts(names) if names.len() == 1 => text().prop_map(|s| json!(s)).boxed(),
                Args::Texts(names) => prop::collection::vec(text(), names.len())
                    .prop_map(|t| json!(t))
                    .boxed(),
            };
            value.prop_map(move |v| json!({"field": a.names.api, "value": v}))
        })
    }

    fn action() -> impl Strategy<Value = Value> {
        prop_oneof![
            6 => known_action(),
            1 => (prop::sample::select(vec![4612925021719u64, 42]), text())
                .prop_map(|(id, v)| json!({"field": format!("custom_fields_{id}"), "value": v})),
            1 => ("[a-z_]{1,12}", text()).prop_map(|(f, v)| json!({"field": format!("x_{f}"), "value": v})),
        ]
    }

    fn rule() -> impl Strategy<Value = Value> {
        let conditions = (
            prop::collection::vec(condition(), 0..4),
            prop::collection::vec(condition(), 0..4),
        )
            .prop_filter("Zendesk needs a condition", |(all, any)| {
                !all.is_empty() || !any.is_empty()
            });
        (
            ".{0,16}",
            prop::option::of(text()),
            any::<bool>(),
            prop::option::of(0i64..10_000),
            prop::option::of(prop::sample::select(vec!["10026", "10027"])),
            prop::option::of(1i64..1_000_000_000_000),
            conditions,
            prop::collection::vec(action(), 1..4),
        )
            .prop_map(
                |(title, description, active, position, category, id, (all, any), actions)| {
                    json!({
                        "title": title, "description": description, "active": active,
                        "position": position, "category_id": category, "id": id,
                        "conditions": {"all": all, "any": any}, "actions": actions,
                    })
                },
            )
    }

    /// Titles must be unique in a rule set, and ids tell rules apart on the way back.
    fn rules() -> impl Strategy<Value = Vec<Value>> {
        prop::collection::vec(rule(), 1..5).prop_map(|mut rules| {
            for (i, r) in rules.iter_mut().enumerate() {
                let title = format!("{} #{i}", r["title"].as_str().unwrap_or(""));
                r["title"] = json!(title);
                r["id"] = json!(1000 + i);
            }
            rules
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        #[test]
        fn generated_triggers_round_trip(
            rules in rules(),
            french in any::<bool>(),
            with_account in any::<bool>(),
        ) {
            let json = json!({"triggers": rules, "next_page": null, "count": rules.len()});
            let text = json.to_string();
            let account = with_account.then(account);
            let lang = if french { Lang::Fr } else { Lang::En };
            let trip = round_trip_texts(&[("generated.json", text.clone())], lang, account.as_ref());
            let originals = originals_of(&text);
            assert_same(&originals, &trip.exported);
        }
    }

    fn originals_of(text: &str) -> Vec<ApiRule> {
        let value: Value = serde_json::from_str(text).expect("JSON");
        zendesk_json::rules_of(Path::new("generated.json"), value)
            .expect("an export")
            .iter()
            .map(|r| zendesk_json::read_rule(r).expect("a rule"))
            .collect()
    }
}

mod logic {
    //! Export's rewriting of nested logic keeps its meaning: on every assignment of truth
    //! to the tests, the two lists hold exactly when the tree does.

    use declic::catalog::fields::FieldRef;
    use declic::catalog::{Lang, Op};
    use declic::check::rules::{Condition, Operand, Test};
    use declic::diagnostics::Span;
    use declic::interop::logic::{two_lists, Leaf};
    use proptest::prelude::*;

    const TESTS: u64 = 4;

    fn leaf(field: u64, negated: bool) -> Condition {
        Condition::Test(Test {
            field: FieldRef::Custom(field),
            op: if negated { Op::IsNot } else { Op::Is },
            value: Operand::Text("x".into()),
            lang: Lang::En,
            span: Span::default(),
        })
    }

    fn tree() -> impl Strategy<Value = Condition> {
        let leaf = (0..TESTS, any::<bool>()).prop_map(|(f, n)| leaf(f, n));
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 1..4).prop_map(Condition::All),
                prop::collection::vec(inner.clone(), 1..4).prop_map(Condition::Any),
                prop::collection::vec(inner, 1..3).prop_map(Condition::Not),
            ]
        })
    }

    fn holds_test(t: &Test, truth: u64) -> bool {
        let FieldRef::Custom(field) = t.field else {
            return false;
        };
        let is = truth >> field & 1 == 1;
        if t.op == Op::IsNot {
            !is
        } else {
            is
        }
    }

    fn holds(c: &Condition, truth: u64) -> bool {
        match c {
            Condition::All(m) => m.iter().all(|c| holds(c, truth)),
            Condition::Any(m) => m.iter().any(|c| holds(c, truth)),
            Condition::Not(m) => !m.iter().all(|c| holds(c, truth)),
            Condition::Test(t) => holds_test(t, truth),
            Condition::Zendesk(_) | Condition::Hours { .. } => false,
        }
    }

    fn leaf_holds(l: &Leaf, truth: u64) -> bool {
        match l {
            Leaf::Test(t) => holds_test(t, truth),
            Leaf::Zendesk(_) | Leaf::Hours(_) => false,
        }
    }

    proptest! {
        #[test]
        fn rewritten_conditions_mean_the_same(tree in tree()) {
            if let Ok(lists) = two_lists(&tree) {
                for truth in 0..1 << TESTS {
                    let all = lists.all.iter().all(|l| leaf_holds(l, truth));
                    let any = lists.any.is_empty() || lists.any.iter().any(|l| leaf_holds(l, truth));
                    prop_assert_eq!(all && any, holds(&tree, truth), "{:?}", tree);
                }
            }
        }
    }
}

mod hostile {
    //! Any JSON at all: import never panics, and what it writes always checks and exports.

    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn scalar() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<f64>()
                .prop_filter("JSON numbers are finite", |f| f.is_finite())
                .prop_map(|f| json!(f)),
            ".{0,8}".prop_map(Value::String),
            prop::sample::select(vec![
                "status",
                "is",
                "value",
                "current_tags",
                "includes",
                "via_id",
                "75",
                "",
                "notification_user",
                "requester_id",
                "custom_fields_1",
                "group_id",
                "true",
            ])
            .prop_map(|s| json!(s)),
        ]
    }

    fn json_value() -> impl Strategy<Value = Value> {
        scalar().prop_recursive(3, 24, 4, |inner| {
            let keys = prop::sample::select(vec![
                "field", "operator", "value", "all", "any", "title", "x",
            ]);
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(keys.prop_map(str::to_string), inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn name() -> impl Strategy<Value = Value> {
        let names = prop::sample::select(vec![
            "status",
            "is",
            "is_not",
            "value",
            "changed",
            "current_tags",
            "includes",
            "via_id",
            "group_id",
            "assignee_id",
            "custom_fields_1",
            "SOLVED",
            "greater_than",
            "notification_user",
            "notification_webhook",
            "set_tags",
            "priority",
            "x",
        ]);
        prop_oneof![3 => names.prop_map(|s| json!(s)), 1 => scalar()]
    }

    /// Objects shaped like conditions and actions, with anything in them.
    fn item() -> impl Strategy<Value = Value> {
        (name(), name(), prop_oneof![name(), json_value()])
            .prop_map(|(field, operator, value)| {
                json!({"field": field, "operator": operator, "value": value})
            })
    }

    fn lists() -> impl Strategy<Value = Value> {
        prop_oneof![
            1 => json_value(),
            3 => (
                prop::collection::vec(item(), 0..3),
                prop::collection::vec(item(), 0..3)
            )
                .prop_map(|(all, any)| json!({"all": all, "any": any})),
        ]
    }

    fn rule() -> impl Strategy<Value = Value> {
        (
            prop::option::weighted(
                0.9,
                prop_oneof![
                    3 => ".{0,8}".prop_map(Value::String),
                    1 => json_value()
                ],
            ),
            prop::option::weighted(0.9, lists()),
            prop::option::weighted(
                0.9,
                prop_oneof![
                    1 => json_value(),
                    3 => prop::collection::vec(item(), 1..3).prop_map(Value::Array)
                ],
            ),
            prop::option::weighted(
                0.9,
                prop_oneof![
                    3 => any::<bool>().prop_map(Value::Bool),
                    1 => json_value()
                ],
            ),
        )
            .prop_map(|(title, conditions, actions, active)| {
                let mut rule = serde_json::Map::new();
                for (key, value) in [
                    ("title", title),
                    ("conditions", conditions),
                    ("actions", actions),
                    ("active", active),
                ] {
                    if let Some(value) = value {
                        rule.insert(key.into(), value);
                    }
                }
                Value::Object(rule)
            })
    }

    proptest! {
        // About one case in ten imports a rule; the others test the refusals.
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn any_json_imports_without_panic_and_what_is_written_checks(
            rules in prop::collection::vec(prop_oneof![4 => rule(), 1 => json_value()], 0..4),
            wrap in any::<bool>(),
        ) {
            let document = if wrap { json!({"triggers": rules}) } else { Value::Array(rules) };
            let mut imported = Imported::default();
            if imported.add_text(Path::new("any.json"), &document.to_string()).is_err() {
                return Ok(());
            }
            imported.warn_shared_titles();
            let files = text::files(&imported.rules, Style { lang: Lang::En, account: None }, true);
            let sources: Vec<Arc<Source>> =
                files.iter().map(|f| Source::new(f.name.clone(), f.text.clone())).collect();
            let checked = declic::check(&sources);
            let shared = imported.diagnostics.iter().any(|d| d.code == Code::DuplicateTitle);
            if !shared {
                let errors: Vec<&Diagnostic> =
                    checked.diagnostics.iter().filter(|d| d.is_error()).collect();
                prop_assert!(errors.is_empty(), "{:#?}\n{}", errors, files[0].text);
                let rules = checked.into_result().expect("no errors");
                let exported = export::export(&rules, None);
                prop_assert_eq!(exported.triggers.len() + exported.automations.len(), imported.rules.len());
            }
        }

        #[test]
        fn any_text_is_refused_or_imported_without_panic(text in ".{0,64}") {
            let mut imported = Imported::default();
            let _ = imported.add_text(Path::new("any.json"), &text);
        }
    }
}

/// One trigger holding `condition` (a `{field, operator, value}` object) and `action`.
fn one_rule(condition: Value, action: Value) -> String {
    serde_json::json!({"triggers": [{"id": 1, "title": "t", "active": true, "position": 1,
        "conditions": {"all": [condition], "any": []}, "actions": [action]}]})
    .to_string()
}

/// Imports `json` in both languages, checks the text, exports it and asserts the rule comes
/// back as it was read; returns how many parts were kept as passthroughs.
fn read_and_returned(json: &str) -> usize {
    let originals: Vec<ApiRule> = {
        let value: Value = serde_json::from_str(json).expect("JSON");
        let located = zendesk_json::rules_of(Path::new("t.json"), value).expect("an export");
        located
            .iter()
            .filter_map(|r| zendesk_json::read_rule(r).ok())
            .collect()
    };
    let mut passthroughs = 0;
    for lang in [Lang::En, Lang::Fr] {
        let trip = round_trip_texts(&[("t.json", json.to_string())], lang, None);
        assert_same(&originals, &trip.exported);
        passthroughs = trip.warnings(Code::Passthrough);
    }
    passthroughs
}

/// What real accounts write and the catalog now reads as conditions and actions of its
/// own, each exported back as it was read; and the near misses it must keep verbatim.
#[test]
fn empty_values_user_fields_and_legacy_spellings_are_read_and_given_back() {
    use serde_json::json;
    let status = json!({"field": "status", "value": "open"});
    // (field, operator, value, parts kept verbatim): 0 is read, 1 a near miss kept as
    // Zendesk wrote it (and still given back), never read as something else.
    let cases: &[(&str, &str, Value, usize)] = &[
        ("priority", "is", json!("__NULL__"), 0),
        ("type", "is_not", json!("__NULL__"), 0),
        ("group_id", "is", json!("__NULL__"), 0),
        ("assignee_id", "is_not", json!("__NULL__"), 0),
        ("organization_id", "is", json!("__NULL__"), 0),
        (
            "requester.custom_fields.plan",
            "includes_words",
            json!("gold silver"),
            0,
        ),
        (
            "requester.custom_fields.plan",
            "not_includes_string",
            json!("old"),
            0,
        ),
        (
            "requester.custom_fields.seats",
            "greater_than",
            json!("10"),
            0,
        ),
        (
            "organization.custom_fields.tier",
            "includes_words",
            json!("vip"),
            0,
        ),
        ("organization.custom_fields.tier", "present", Value::Null, 0),
        (
            "subject_includes_word",
            "includes",
            json!("refund \"money back\""),
            0,
        ),
        ("comment_includes_word", "is_not", json!("thanks"), 0),
        ("assignee_id#all_agents", "is_not", json!("requester_id"), 0),
        ("assignee_id#all_agents", "is", json!(""), 0),
        ("assignee_id#all_agents", "value", json!("assignee_id"), 0),
        ("group_id#current_groups", "changed", json!(""), 0),
        ("requester_id#all_agents", "is", json!("current_user"), 0),
        ("current_via_id", "is", json!("email"), 0),
        (
            "comment_is_public",
            "is",
            json!("requester_can_see_comment"),
            0,
        ),
        // A ticket field's spelling of the word search, on a user field.
        ("requester.custom_fields.plan", "includes", json!("gold"), 1),
        ("requester.custom_fields.", "is", json!("x"), 1),
        ("requester_id#some_agents", "is", json!("current_user"), 1),
        ("current_via_id", "is", json!("emial"), 1),
        ("subject_includes_word", "includes_string", json!("a"), 1),
        ("priority", "is", json!("__null__"), 1),
    ];
    for (field, operator, value, verbatim) in cases {
        let condition = json!({"field": field, "operator": operator, "value": value});
        let kept = read_and_returned(&one_rule(condition.clone(), status.clone()));
        assert_eq!(kept, *verbatim, "{condition}");
    }
    let legacy_action = json!({"field": "assignee_id#all_agents", "value": "current_user"});
    let is_open = json!({"field": "status", "operator": "is", "value": "open"});
    let kept = read_and_returned(&one_rule(is_open, legacy_action));
    assert_eq!(kept, 0, "the legacy assignee action is read");
}

/// `contains` on a subject or comment is Zendesk's `is` (contains the string): written in
/// declic's plainer words, it exports as the operator Zendesk has.
#[test]
fn text_contains_exports_as_zendesks_is() {
    let text = "trigger \"t\" {\n when all {\n  Subject contains \"refund\"\n  Comment text does not contain \"spam\"\n  Subject includes refund money\n }\n then { Status = Open }\n}\n";
    let rules = declic::check::check(&[Source::new("t.declic", text)])
        .into_result()
        .expect("checks");
    let exported = export::export(&rules, None);
    let all: Vec<(String, String)> = exported.triggers[0]
        .conditions
        .all
        .iter()
        .map(|c| (c.field.clone(), c.operator.clone()))
        .collect();
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        all,
        pairs(&[
            ("subject_includes_word", "is"),
            ("comment_includes_word", "is_not"),
            ("subject_includes_word", "includes"),
        ])
    );
}

/// Clearing actions and JSON booleans real exports hold are read and given back; clearing
/// the priority, which Zendesk has no action for, is kept as written.
#[test]
fn clearing_actions_and_json_booleans_round_trip() {
    use serde_json::json;
    let is_open = json!({"field": "status", "operator": "is", "value": "open"});
    for action in [
        json!({"field": "assignee_id", "value": ""}),
        json!({"field": "assignee_id", "value": "__NULL__"}),
        json!({"field": "group_id", "value": ""}),
        json!({"field": "group_id", "value": "__NULL__"}),
        json!({"field": "custom_fields_360001", "value": ""}),
    ] {
        let kept = read_and_returned(&one_rule(is_open.clone(), action.clone()));
        assert_eq!(kept, 0, "{action} is read");
    }
    let set_status = json!({"field": "status", "value": "open"});
    for condition in [
        json!({"field": "comment_is_public", "operator": "is", "value": true}),
        json!({"field": "comment_is_public", "operator": "is", "value": false}),
        json!({"field": "comment_is_public", "operator": "is", "value": "true"}),
    ] {
        let kept = read_and_returned(&one_rule(condition.clone(), set_status.clone()));
        assert_eq!(kept, 0, "{condition} is read");
    }
    for (condition, action) in [
        (is_open.clone(), json!({"field": "priority", "value": ""})),
        (
            is_open.clone(),
            json!({"field": "type", "value": "__NULL__"}),
        ),
        // JSON `true` where the field has no such value.
        (
            json!({"field": "status", "operator": "is", "value": true}),
            set_status.clone(),
        ),
    ] {
        let kept = read_and_returned(&one_rule(condition.clone(), action.clone()));
        assert_eq!(kept, 1, "{condition} {action}: one part kept as written");
    }
}

/// Every real export of `tests/fixtures/zendesk/` (Zendesk's defaults, a 2021 account, a
/// 2015 account with legacy spellings) imports, checks without error and exports back the
/// same conditions and actions, in both languages. A title two rules share is Zendesk's
/// right: the only error allowed, until the checker makes it a warning. The figures are
/// printed for the record.
#[test]
fn every_real_fixture_imports_checks_and_exports_back_the_same() {
    let dir = real_fixtures();
    let mut figures = Vec::new();
    for file in [
        "default_triggers.json",
        "default_automations.json",
        "single_trigger.json",
        "salto_triggers.json",
        "salto_automations.json",
        "legacy_triggers.json",
        "legacy_automations.json",
    ] {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).expect("a fixture");
        for lang in [Lang::En, Lang::Fr] {
            let mut imported = Imported::default();
            imported.add_text(&path, &text).expect("a Zendesk export");
            let kept = imported
                .diagnostics
                .iter()
                .filter(|d| d.code == Code::Passthrough)
                .count();
            // Every condition and action of these accounts is one the catalog reads.
            assert_eq!(kept, 0, "{file}: {:#?}", imported.diagnostics);
            let files = text::files(
                &imported.rules,
                Style {
                    lang,
                    account: None,
                },
                false,
            );
            let sources: Vec<Arc<Source>> = files
                .iter()
                .map(|f| Source::new(f.name.clone(), f.text.clone()))
                .collect();
            let checked = declic::check::check_with(&sources, None);
            let errors: Vec<&Diagnostic> = checked
                .diagnostics
                .iter()
                .filter(|d| d.is_error() && d.code != Code::DuplicateTitle)
                .collect();
            // The 2015 account's three copies of "my test automation" test only `status is
            // open`: Zendesk refuses such an automation today, and so does the checker.
            let refused = if file == "legacy_automations.json" {
                3
            } else {
                0
            };
            assert_eq!(errors.len(), refused, "{file} ({lang:?}): {errors:#?}");
            assert!(
                errors
                    .iter()
                    .all(|d| d.code == Code::AutomationWithoutTimeCondition
                        && d.message.contains("`my test automation`")),
                "{file} ({lang:?}): {errors:#?}"
            );
            let exported = export::export(&checked.rules, None);
            assert!(exported.diagnostics.iter().all(|d| !d.is_error()), "{file}");
            // Automations stay automations: each export is all of one kind.
            let (ours, other) = if file.contains("automations") {
                (&exported.automations, &exported.triggers)
            } else {
                (&exported.triggers, &exported.automations)
            };
            assert!(other.is_empty(), "{file}: exported as the other kind");
            let mut originals = originals(&path);
            originals.retain(|r| refused == 0 || r.title != "my test automation");
            let same = assert_same(&originals, ours);
            if lang == Lang::En {
                figures.push(format!(
                    "{file}: {same} rules back, {kept} passthrough lines, {} errors (shared \
                     titles), {} warnings",
                    checked.count(Severity::Error),
                    checked.count(Severity::Warning)
                ));
            }
        }
    }
    println!("{}", figures.join("\n"));
}

/// A side conversation's four strings and a webhook's body in each of its three forms are
/// read and given back; a value of another shape is kept as written.
#[test]
fn side_conversations_and_webhook_bodies_round_trip() {
    use serde_json::json;
    let is_open = json!({"field": "status", "operator": "is", "value": "open"});
    let group = "SupportAssignable:support_assignable/group/360001";
    let side = |v: Value| json!({"field": "side_conversation_ticket", "value": v});
    let hook = |v: Value| json!({"field": "notification_webhook", "value": v});
    for action in [
        side(json!([
            "Check",
            "<p>Hi {{ticket.id}}</p>",
            group,
            "text/html"
        ])),
        hook(json!(["01GZ8K", "{\"id\": \"{{ticket.id}}\"}"])),
        hook(json!(["01GZ8K", []])),
        hook(json!([
            "01GZ8K",
            [["id", "{{ticket.id}}"], ["kind", "urgent"]]
        ])),
    ] {
        let kept = read_and_returned(&one_rule(is_open.clone(), action.clone()));
        assert_eq!(kept, 0, "{action} is read");
    }
    for action in [
        side(json!(["Check", "Hi"])),
        side(json!(["Check", "Hi", group, "text/plain"])),
        side(json!([
            "Check",
            "Hi",
            "SupportAssignable:support_assignable/agent/7",
            "text/html"
        ])),
        hook(json!(["01GZ8K", [["id"]]])),
        hook(json!(["01GZ8K", {"id": 1}])),
    ] {
        let kept = read_and_returned(&one_rule(is_open.clone(), action.clone()));
        assert_eq!(kept, 1, "{action} is kept as written");
    }
}

/// A custom date field set `["days_from_now", "3"]` reads as `in 3 days` (`dans 3 jours`)
/// and exports back as it was read; other arrays are kept as written.
#[test]
fn custom_dates_relative_to_the_update_round_trip() {
    use serde_json::json;
    let is_open = json!({"field": "status", "operator": "is", "value": "open"});
    let date = |v: Value| json!({"field": "custom_fields_360002", "value": v});
    let kept = read_and_returned(&one_rule(
        is_open.clone(),
        date(json!(["days_from_now", "3"])),
    ));
    assert_eq!(kept, 0);
    for value in [
        json!(["days_from_now", "03"]),
        json!(["days_from_now", "-1"]),
        json!(["weeks_from_now", "3"]),
        json!(["days_from_now"]),
    ] {
        let kept = read_and_returned(&one_rule(is_open.clone(), date(value.clone())));
        assert_eq!(kept, 1, "{value} is kept as written");
    }
    // Quoted, the same words are text.
    let text = "trigger \"t\" {\n when all { Status is Open }\n then {\n custom_fields_1 = in 3 days\n custom_fields_2 = \"in 3 days\"\n Champ personnalisé 3 = dans 2 jours\n }\n}\n";
    let rules = declic::check::check(&[Source::new("t.declic", text)])
        .into_result()
        .expect("checks");
    let values: Vec<Value> = export::export(&rules, None).triggers[0]
        .actions
        .iter()
        .map(|a| a.value.clone())
        .collect();
    assert_eq!(
        values,
        [
            json!(["days_from_now", "3"]),
            json!("in 3 days"),
            json!(["days_from_now", "2"])
        ]
    );
}
