//! Lints as `check_path` runs them on a rule set on disk: `declic.toml` settings, a
//! suppression comment, and lints held back while the rules have errors.

use std::path::Path;

use declic::{Code, Severity};

const LOOPING: &str = r#"trigger "Escalate urgent tickets" {
  when all {
    Priority is Urgent
  }
  then {
    Group = 42
  }
}
"#;

fn rule_set(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("written");
    }
    dir
}

fn found(path: &Path) -> Vec<(Code, Severity)> {
    declic::check_path(path)
        .diagnostics
        .iter()
        .map(|d| (d.code, d.severity))
        .collect()
}

#[test]
fn lints_run_with_their_default_level() {
    let dir = rule_set(&[("a.declic", LOOPING)]);
    assert_eq!(
        found(dir.path()),
        [(Code::NoNullifyingCondition, Severity::Warning)]
    );
}

#[test]
fn declic_toml_changes_levels_for_a_directory_and_its_files() {
    let dir = rule_set(&[
        ("a.declic", LOOPING),
        (
            "declic.toml",
            "[lints]\nno_nullifying_condition = \"error\"\n",
        ),
    ]);
    let expected = [(Code::NoNullifyingCondition, Severity::Error)];
    assert_eq!(found(dir.path()), expected);
    assert_eq!(found(&dir.path().join("a.declic")), expected);
    std::fs::write(
        dir.path().join("declic.toml"),
        "[lints]\nno_nullifying_condition = \"off\"\n",
    )
    .expect("written");
    assert!(found(dir.path()).is_empty());
}

#[test]
fn a_bad_setting_is_reported_in_declic_toml() {
    let dir = rule_set(&[
        ("a.declic", LOOPING),
        ("declic.toml", "[lints]\nno_nullifying_condition = 3\n"),
    ]);
    let checked = declic::check_path(dir.path());
    let bad = &checked.diagnostics[0];
    assert_eq!(bad.code, Code::InvalidConfig);
    assert!(bad
        .file
        .as_deref()
        .is_some_and(|f| f.ends_with("declic.toml")));
    assert_eq!(bad.line_col(), Some((2, 27)));
    // The lint keeps its default level.
    assert_eq!(checked.diagnostics[1].code, Code::NoNullifyingCondition);
    assert_eq!(checked.diagnostics[1].severity, Severity::Warning);
}

#[test]
fn a_comment_allows_a_lint_on_one_trigger() {
    let allowed = format!(
        "# declic-allow: no_nullifying_condition -- reassigns on every update on purpose\n{LOOPING}"
    );
    let other = LOOPING
        .replace("Escalate urgent tickets", "Another one")
        .replace("42", "43");
    let dir = rule_set(&[("a.declic", &allowed), ("b.declic", &other)]);
    let checked = declic::check_path(dir.path());
    assert_eq!(checked.diagnostics.len(), 1, "{:?}", checked.diagnostics);
    assert!(checked.diagnostics[0].message.contains("Another one"));
}

#[test]
fn lints_wait_until_the_rules_have_no_error() {
    let broken =
        "trigger \"Broken\" {\n  when all { Canal is Messageri }\n  then { Group = 1 }\n}\n";
    let dir = rule_set(&[("a.declic", LOOPING), ("b.declic", broken)]);
    assert_eq!(found(dir.path()), [(Code::UnknownValue, Severity::Error)]);
}

#[test]
fn the_recipes_and_the_valid_corpus_are_lint_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["recipes/fr", "recipes/en", "tests/corpus/valid"] {
        let checked = declic::check_path(&root.join(dir));
        assert!(
            checked.diagnostics.is_empty(),
            "{dir}: {:?}",
            checked.diagnostics
        );
    }
}

/// The lint findings on a real Zendesk export (`tests/fixtures/zendesk/`), imported then
/// checked as `declic import zendesk` then `declic check` would: each finding's code and
/// its trigger's title. Titles are numbered first, since a real export may repeat one and
/// the lints are what is looked at here.
fn fixture_findings(name: &str) -> Vec<(Code, String)> {
    use declic::interop::import::Imported;
    use declic::interop::text::{self, Style};
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/zendesk")
        .join(name);
    let mut imported = Imported::default();
    imported.add_file(&path).expect("the fixture imports");
    for (i, rule) in imported.rules.iter_mut().enumerate() {
        rule.trigger.title = format!("{} #{i}", rule.trigger.title);
    }
    let style = Style {
        lang: declic::catalog::Lang::En,
        account: None,
    };
    let sources: Vec<_> = text::files(&imported.rules, style, false)
        .into_iter()
        .map(|f| declic::diagnostics::Source::new(f.name, f.text))
        .collect();
    // What Zendesk refuses today (a 2015 automation without a time condition) is an error
    // of the checker: the rules without one are linted, as `declic check` would once
    // those are fixed.
    let checked = declic::check(&sources);
    // Their labels are on the titles of the automations they refuse.
    let refused = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| {
            let source = sources
                .iter()
                .find(|s| Some(s.name.as_str()) == d.file.as_deref());
            let title = match (source, d.labels.first()) {
                (Some(s), Some(l)) => s.text[l.span.start..l.span.end].trim_matches('"'),
                _ => "",
            };
            let title = title.rsplit_once(" #").map_or(title, |(t, _)| t);
            (d.code, title.to_owned())
        });
    let refused: Vec<(Code, String)> = refused.collect();
    let rules = checked.rules;
    let found = declic::lint::lint(
        &rules,
        &declic::lint::Config::default(),
        &declic::lint::Known::default(),
    );
    let linted = found.iter().map(|d| {
        // The finding's trigger: the last one whose title comes before its label.
        let at = d.labels.first().map_or(0, |l| l.span.start);
        let title = rules
            .triggers
            .iter()
            .chain(&rules.automations)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .find(|t| {
                Some(t.origin.source.name.as_str()) == d.file.as_deref() && t.title_span.start <= at
            })
            .map(|t| t.title.clone())
            .unwrap_or_default();
        let title = title.rsplit_once(" #").map_or(title.as_str(), |(t, _)| t);
        (d.code, title.to_owned())
    });
    refused.into_iter().chain(linted).collect()
}

/// The findings on every fixture account, each one judged true: the default triggers'
/// "Notify assignee of comment update" (a comment of either kind), the Slack trigger's
/// `comment_is_public` kept as Zendesk wrote it, the legacy spellings of changes, and the
/// automations' `Hours since pending is 24` are quiet.
#[test]
fn the_findings_on_real_accounts_are_true_ones() {
    let slack = "Slack Ticket Trigger".to_owned();
    let expected: &[(&str, Vec<(Code, String)>)] = &[
        (
            "salto_triggers.json",
            // It says "Ticket is Created or Updated" (always true), on every update.
            vec![
                (Code::NoNullifyingCondition, slack.clone()),
                (Code::AlwaysTrueCondition, slack),
            ],
        ),
        ("default_triggers.json", vec![]),
        (
            "legacy_triggers.json",
            vec![(Code::DuplicateTrigger, "my test trigger".to_owned()); 2],
        ),
        (
            "legacy_automations.json",
            vec![
                (
                    Code::AutomationWithoutTimeCondition,
                    "my test automation".to_owned()
                );
                3
            ],
        ),
        ("salto_automations.json", vec![]),
        ("default_automations.json", vec![]),
    ];
    for (name, findings) in expected {
        assert_eq!(&fixture_findings(name), findings, "{name}");
    }
}
