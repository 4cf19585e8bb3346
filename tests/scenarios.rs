//! The scenario runner on its fixtures (`tests/scenarios/`, with a rule set of their own):
//! passing scenarios pass, each deliberately failing scenario fails in its own way with the
//! diff pinned as a snapshot, and each mistaken scenario file gets the diagnostic its
//! first line promises.

use std::path::PathBuf;

use declic::diagnostics::render::Style;
use declic::scenario::suite::{run_paths, Report, Verdict};
use declic::scenario::{report, Mismatch};

mod common;
use common::{promised_codes, relative};

fn run(path: &str, filter: Option<&str>) -> Report {
    run_paths(&[PathBuf::from(path)], filter)
}

#[test]
fn passing_scenarios_pass() {
    let report = run("tests/scenarios/pass", None);
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    assert_eq!(report.cases.len(), 4);
    for case in &report.cases {
        assert_eq!(case.failure, None, "{}", case.name);
    }
    assert_eq!(report.verdict(), Verdict::Passed);
}

/// The kind of the first mismatch each failing scenario must report, and at which step.
const FAILURES: &[(&str, usize, &str)] = &[
    (
        "fails: a trigger is missing from fired, another is extra",
        1,
        "fired",
    ),
    ("fails: fired in the wrong order", 1, "fired"),
    (
        "fails: a trigger fires that must not",
        1,
        "fired_unexpectedly",
    ),
    ("fails: ticket fields differ at the second step", 2, "field"),
    ("fails: tags missing and present", 1, "tags_missing"),
    ("fails: no effect matches", 1, "effect"),
    ("fails: the step cannot be applied", 1, "step"),
];

#[test]
fn every_failing_scenario_fails_where_and_how_it_should() {
    let report = run("tests/scenarios/fail", None);
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    assert_eq!(report.cases.len(), FAILURES.len());
    for (name, step, kind) in FAILURES {
        let case = report
            .cases
            .iter()
            .find(|c| c.name == *name)
            .unwrap_or_else(|| panic!("no scenario `{name}`"));
        let failure = case
            .failure
            .as_ref()
            .unwrap_or_else(|| panic!("`{name}` passed"));
        assert_eq!(failure.step, *step, "{name}");
        let first = serde_json::to_value(&failure.mismatches[0]).expect("serializes");
        assert_eq!(first["kind"], *kind, "{name}: {first}");
    }
    assert_eq!(report.verdict(), Verdict::Failed);
}

#[test]
fn a_failure_names_every_mismatch_of_its_step() {
    let report = run(
        "tests/scenarios/fail",
        Some("ticket fields differ at the second step"),
    );
    let failure = report.cases[0].failure.as_ref().expect("fails");
    assert_eq!(failure.description, "end user inactive for 5 minutes");
    let fields: Vec<&str> = failure
        .mismatches
        .iter()
        .filter_map(|m| match m {
            Mismatch::Field { field, .. } => Some(field.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(fields, ["messaging_session.state", "priority", "status"]);
}

#[test]
fn the_failure_report_reads_as_a_diff() {
    let report = run("tests/scenarios/fail", None);
    insta::assert_snapshot!(report::text(&report, Style::Plain));
}

#[test]
fn the_failure_report_as_json() {
    let report = run("tests/scenarios/fail", Some("fired in the wrong order"));
    insta::assert_json_snapshot!(report::json(&report));
}

#[test]
fn mistaken_scenario_files_render_as_snapshots() {
    insta::glob!("scenarios/invalid/*.toml", |path| {
        let report = run_paths(&[relative(path)], None);
        assert!(report.cases.is_empty(), "{}: ran", path.display());
        assert_eq!(report.verdict(), Verdict::Failed, "{}", path.display());
        let codes: Vec<&str> = report.diagnostics.iter().map(|d| d.code.as_str()).collect();
        let promised = promised_codes(path);
        assert!(!promised.is_empty(), "{}: promises no code", path.display());
        for code in promised {
            assert!(
                codes.contains(&code.as_str()),
                "{}: expected {code}, got {codes:?}",
                path.display()
            );
        }
        insta::assert_snapshot!(report::text(&report, Style::Plain));
    });
}

/// The README's example is a scenario file for the fixture rules: it must pass.
#[test]
fn the_readme_example_passes() {
    let readme = std::fs::read_to_string("README.md").expect("readable");
    let section = &readme[readme.find("## Scenario tests").expect("the section")..];
    let start = section.find("```toml\n").expect("an example") + "```toml\n".len();
    let end = start + section[start..].find("```").expect("closed");
    let dir = tempfile::tempdir().expect("temp dir");
    let rules = std::fs::canonicalize("tests/scenarios/rules").expect("fixture rules");
    let text = section[start..end].replace(
        "rules = \"../rules\"",
        &format!("rules = {:?}", rules.display().to_string()),
    );
    let path = dir.path().join("readme.scenarios.toml");
    std::fs::write(&path, text).expect("written");
    let report = run_paths(&[path], None);
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    assert_eq!(report.cases.len(), 1);
    assert_eq!(report.cases[0].failure, None);
}

#[test]
fn a_scenario_file_without_rules_beside_it_says_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("lonely.scenarios.toml");
    std::fs::write(
        &path,
        "[[scenario]]\nname = \"x\"\n[[scenario.step]]\nevent = \"changed\"\n",
    )
    .expect("written");
    let report = run_paths(&[path], None);
    let d = &report.diagnostics[0];
    assert_eq!(d.code.as_str(), "declic::no_rule_files");
    assert!(d.source.is_some(), "points into the scenario file");
    assert!(d.help.as_deref().unwrap_or_default().contains("rules = "));
}

#[test]
fn rule_errors_stop_the_scenarios_and_are_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("bad.declic"),
        "trigger \"T\" {\n  when all {\n    Canal is Messageri\n  }\n  then {\n    send CSAT\n  }\n}\n",
    )
    .expect("written");
    std::fs::write(
        dir.path().join("t.scenarios.toml"),
        "[[scenario]]\nname = \"x\"\n[[scenario.step]]\nevent = \"changed\"\n",
    )
    .expect("written");
    let report = run_paths(&[dir.path().to_path_buf()], None);
    assert!(report.cases.is_empty());
    assert_eq!(report.diagnostics[0].code.as_str(), "declic::unknown_value");
    assert_eq!(report.verdict(), Verdict::Failed);
}

mod robustness {
    use std::path::Path;
    use std::sync::OnceLock;

    use declic::engine::Compiled;
    use declic::scenario::{run, ScenarioFile};
    use declic::Source;
    use proptest::prelude::*;

    const VALID: &str = include_str!("scenarios/pass/messaging.scenarios.toml");

    fn engine() -> &'static (declic::RuleSet, Compiled) {
        static ENGINE: OnceLock<(declic::RuleSet, Compiled)> = OnceLock::new();
        ENGINE.get_or_init(|| {
            let rules = declic::check_path(Path::new("tests/scenarios/rules"))
                .into_result()
                .expect("the fixture rules check");
            let engine = Compiled::new(&rules).expect("compiles");
            (rules, engine)
        })
    }

    /// Reads `text` and runs whatever reads: either way is fine, what matters is that
    /// nothing panics.
    fn read(text: &str) {
        let source = Source::new("p.scenarios.toml", text);
        let Ok(file) = ScenarioFile::parse(&source) else {
            return;
        };
        let (rules, engine) = engine();
        if file.check_triggers(rules).is_empty() {
            for scenario in &file.scenarios {
                let _ = run(scenario, &file.source, engine);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn any_text_reads_without_panic(text in "\\PC{0,200}") {
            read(&text);
        }

        #[test]
        fn a_mangled_valid_file_reads_without_panic(at in 0usize..4000, cut in 0usize..40, insert in "[\\[\\]{}=\"',.a-z0-9 \n]{0,5}") {
            let at = at.min(VALID.len());
            let at = (0..=at).rev().find(|i| VALID.is_char_boundary(*i)).unwrap_or(0);
            let end = (at + cut).min(VALID.len());
            let end = (end..=VALID.len()).find(|i| VALID.is_char_boundary(*i)).unwrap_or(VALID.len());
            let text = format!("{}{}{}", &VALID[..at], insert, &VALID[end..]);
            read(&text);
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("x = {}{}", "[".repeat(100_000), "]".repeat(100_000));
        let tables = format!(
            "[[scenario]]\nname = \"n\"\nticket = {}{}",
            "{ a = ".repeat(50_000),
            "}".repeat(50_000)
        );
        for text in [&deep, &tables] {
            let codes: Vec<&str> =
                match ScenarioFile::parse(&Source::new("p.scenarios.toml", text.as_str())) {
                    Ok(_) => panic!("nesting 50,000 deep is refused"),
                    Err(e) => e.diagnostics.iter().map(|d| d.code.as_str()).collect(),
                };
            assert_eq!(codes, ["declic::toml_syntax"], "{}", &text[..40]);
        }
        // Near miss: nesting within the limit reads.
        let shallow = format!(
            "x = {}{}\n[[scenario]]\nname = \"n\"",
            "[".repeat(50),
            "]".repeat(50)
        );
        let read = ScenarioFile::parse(&Source::new("p.scenarios.toml", shallow.as_str()));
        assert!(!read.is_err_and(|e| e
            .diagnostics
            .iter()
            .any(|d| d.code.as_str() == "declic::toml_syntax")));
    }
}

/// Runs `scenario` against `rules`, each written to a file of its own in a fresh folder.
fn run_scenario(rules: &str, scenario: &str) -> Report {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("rules.declic"), rules).expect("write");
    let path = dir.path().join("this.scenarios.toml");
    std::fs::write(&path, scenario).expect("write");
    run_paths(&[path], None)
}

/// A scenario of one `changed` step that adds `tag` and expects `expect`.
fn tag_added(tag: &str, expect: &str) -> String {
    format!(
        "[[scenario]]\nname = \"s\"\nticket = {{ status = \"open\" }}\n\n\
         [[scenario.step]]\nevent = \"changed\"\nadd_tags = [\"{tag}\"]\n{expect}\n"
    )
}

/// Two triggers share a title: scenarios name each by its Zendesk id, and the shared title
/// alone is refused with the ids to choose from.
mod shared_titles {
    use super::*;

    const RULES: &str = r#"
trigger "Twin" {
  id 11
  when all {
    Tags includes a
  }
  then {
    Tags += from_a
  }
}

trigger "Twin" {
  id 22
  when all {
    Tags includes b
  }
  then {
    Tags += from_b
  }
}
"#;

    fn run_with(expect: &str) -> Report {
        run_scenario(RULES, &tag_added("b", expect))
    }

    #[test]
    fn a_trigger_is_named_by_its_id() {
        let report = run_with("expect.fired = [\"#22\"]\nexpect.not_fired = [\"#11\"]");
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
        assert_eq!(report.verdict(), Verdict::Passed, "{:?}", report.cases);
    }

    #[test]
    fn the_wrong_id_fails_and_the_diff_shows_the_title() {
        let report = run_with("expect.fired = [\"#11\"]");
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
        let failure = report.cases[0].failure.as_ref().expect("fails");
        match &failure.mismatches[0] {
            Mismatch::Fired { expected, actual } => {
                assert_eq!(expected, &["#11"]);
                assert_eq!(actual, &["Twin"]);
            }
            other => panic!("{other:?}"),
        }
        let report = run_with("expect.not_fired = [\"#22\"]");
        let failure = report.cases[0].failure.as_ref().expect("fails");
        assert!(matches!(
            &failure.mismatches[0],
            Mismatch::FiredUnexpectedly { trigger } if trigger == "#22"
        ));
    }

    #[test]
    fn a_shared_title_is_ambiguous_and_lists_the_ids() {
        for expect in ["expect.fired = [\"Twin\"]", "expect.not_fired = [\"Twin\"]"] {
            let report = run_with(expect);
            assert_eq!(report.diagnostics.len(), 1, "{:?}", report.diagnostics);
            let d = &report.diagnostics[0];
            assert_eq!(d.code, declic::Code::AmbiguousTrigger);
            assert!(d.is_error());
            let help = d.help.as_deref().unwrap_or_default();
            assert!(help.contains("`#11`") && help.contains("`#22`"), "{help}");
            assert_eq!(report.verdict(), Verdict::Failed);
        }
        // Near miss: an id no trigger has is unknown, not ambiguous.
        let report = run_with("expect.fired = [\"#33\"]");
        assert_eq!(report.diagnostics[0].code, declic::Code::UnknownTrigger);
    }
}

/// `expect.no_effects` refuses effects; `expect.effects_exactly` lists every effect.
mod effect_lists {
    use super::*;

    const RULES: &str = r#"
trigger "Notify" {
  when all {
    Tags includes vip
  }
  then {
    notify requester "Hello" "We are on it"
    Webhook 01GZ8K "{}"
  }
}
"#;

    fn run_with(expect: &str) -> Report {
        run_scenario(RULES, &tag_added("vip", expect))
    }

    fn kinds(report: &Report) -> Vec<String> {
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
        report.cases[0]
            .failure
            .iter()
            .flat_map(|f| &f.mismatches)
            .map(|m| serde_json::to_value(m).expect("serializes")["kind"].to_string())
            .collect()
    }

    #[test]
    fn each_list_holds_or_fails_in_its_own_way() {
        let cases = [
            // Absent effects: one that is not emitted holds; one that is fails.
            ("expect.no_effects = [{ type = \"csat_survey\" }]", vec![]),
            (
                "expect.no_effects = [{ type = \"webhook\", webhook_id = \"01GZ8K\" }]",
                vec!["\"effect_present\""],
            ),
            // Near miss: a field that differs keeps the refused effect apart.
            ("expect.no_effects = [{ type = \"webhook\", webhook_id = \"OTHER\" }]", vec![]),
            // The exact list, in emission order, each as far as named.
            (
                "expect.effects_exactly = [{ type = \"notification\", subject = \"Hello\" }, { type = \"webhook\" }]",
                vec![],
            ),
            // Near misses: one left out, the order swapped, none at all.
            ("expect.effects_exactly = [{ type = \"notification\" }]", vec!["\"effects\""]),
            (
                "expect.effects_exactly = [{ type = \"webhook\" }, { type = \"notification\" }]",
                vec!["\"effects\""],
            ),
            ("expect.effects_exactly = []", vec!["\"effects\""]),
        ];
        for (expect, want) in cases {
            assert_eq!(kinds(&run_with(expect)), want, "{expect}");
        }
    }

    #[test]
    fn the_failures_read_as_what_was_emitted() {
        let report = run_with("expect.no_effects = [{ type = \"webhook\" }]");
        let failure = report.cases[0].failure.as_ref().expect("fails");
        let lines = failure.mismatches[0].lines(declic::scenario::Colour::None);
        assert_eq!(
            lines,
            [
                r#"an effect matches webhook, and must not: emitted webhook body="{}" trigger="Notify" webhook_id="01GZ8K""#
            ]
        );
        let report = run_with("expect.effects_exactly = [{ type = \"webhook\" }]");
        let failure = report.cases[0].failure.as_ref().expect("fails");
        let lines = failure.mismatches[0].lines(declic::scenario::Colour::None);
        assert_eq!(lines[0], "effects differ (- expected, + emitted):");
        assert_eq!(lines[1], "  - webhook");
        assert!(lines[2].starts_with("  + notification"), "{lines:?}");
        assert!(lines[3].starts_with("  + webhook"), "{lines:?}");
    }

    #[test]
    fn an_effect_list_is_checked_like_effects() {
        let report = run_with("expect.no_effects = [{ type = \"notifcation\" }]");
        assert_eq!(report.diagnostics[0].code, declic::Code::UnknownEffect);
        let report =
            run_with("expect.effects_exactly = [{ type = \"webhook\", trigger = \"Nobody\" }]");
        assert_eq!(report.diagnostics[0].code, declic::Code::UnknownTrigger);
    }
}

/// A starting ticket's silence that no step lets the engine measure is worth a warning.
#[test]
fn a_silence_without_a_clock_is_a_warning() {
    const RULES: &str = "trigger \"T\" {\n  when all {\n    Tags includes x\n  }\n  then {\n    Tags += y\n  }\n}\n";
    let silent = "messaging_session = { state = \"active\", last_end_user_activity_at = \"2024-05-06T08:00:00Z\" }";
    let cases = [
        // (the scenario's `start`, its ticket's session, its first step, warned)
        ("", silent, "event = \"changed\"", true),
        // Near misses: a clock, a step that carries the time, no silence given.
        (
            "start = 2024-05-06T09:00:00Z",
            silent,
            "event = \"changed\"",
            false,
        ),
        (
            "",
            silent,
            "event = \"end user inactive\"\nminutes = 5",
            false,
        ),
        (
            "",
            "messaging_session = { state = \"active\" }",
            "event = \"changed\"",
            false,
        ),
    ];
    for (start, session, step, warned) in cases {
        let scenario = format!(
            "[[scenario]]\nname = \"s\"\n{start}\n\n[scenario.ticket]\nstatus = \"open\"\n{session}\n\n\
             [[scenario.step]]\n{step}\n"
        );
        let report = run_scenario(RULES, &scenario);
        let codes: Vec<_> = report.diagnostics.iter().map(|d| d.code).collect();
        if warned {
            assert_eq!(codes, [declic::Code::SilenceIgnored], "{scenario}");
            let d = &report.diagnostics[0];
            assert_eq!(d.severity, declic::Severity::Warning);
            let at = d.labels[0].span;
            let source = d.source.as_ref().expect("in the file");
            assert_eq!(&source.text[at.start..at.end], "last_end_user_activity_at");
        } else {
            assert!(codes.is_empty(), "{scenario}: {codes:?}");
        }
        assert_eq!(
            report.verdict(),
            Verdict::Passed,
            "a warning does not fail the run"
        );
    }
}

/// A bad value of an effect field is reported at that field, as a ticket field's is.
#[test]
fn an_effect_field_error_points_at_the_field() {
    let cases = [
        (
            "{ type = \"csat_survey\", channel = \"fax\" }",
            Some("\"fax\""),
        ),
        (
            "{ type = \"pass_limit_reached\", passes = \"many\" }",
            Some("\"many\""),
        ),
        ("{ type = \"csat_survey\", delivered = 3 }", Some("3")),
        // Near misses: values the effects take.
        ("{ type = \"csat_survey\", channel = \"email\" }", None),
        ("{ type = \"pass_limit_reached\", passes = 3 }", None),
    ];
    for (effect, at) in cases {
        let rules = "trigger \"T\" {\n  when all {\n    Tags includes x\n  }\n  then {\n    Tags += y\n  }\n}\n";
        let report = run_scenario(
            rules,
            &tag_added("x", &format!("expect.effects = [{effect}]")),
        );
        let errors: Vec<_> = report.diagnostics.iter().filter(|d| d.is_error()).collect();
        match at {
            Some(at) => {
                assert_eq!(errors.len(), 1, "{effect}: {errors:?}");
                assert_eq!(errors[0].code, declic::Code::InvalidValue);
                let span = errors[0].labels[0].span;
                let text = &errors[0].source.as_ref().expect("in the file").text;
                assert_eq!(&text[span.start..span.end], at, "{effect}");
            }
            None => assert!(errors.is_empty(), "{effect}: {errors:?}"),
        }
    }
}
