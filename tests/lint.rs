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
