//! `declic check`'s output formats: SARIF validated against the SARIF 2.1.0 schema,
//! GitHub annotations, JUnit XML, and the exit codes `--help` documents.
//!
//! `sarif-schema-2.1.0.json` is the OASIS SARIF 2.1.0 schema (its final `rtm.5` draft) as
//! Microsoft ships it in the npm package `@microsoft/jest-sarif` 1.0.0-beta.0 (MIT),
//! `lib/schemas/sarif-2.1.0-rtm.5.json`, vendored unchanged.

use std::path::Path;

use assert_cmd::Command;

mod common;

/// Two errors in one file, and a rule set with lint warnings (one with a related place).
const BROKEN: &str = "trigger \"Typo\" {\n  when all {\n    Canal is Messageri\n  }\n  then {\n    sned CSAT\n  }\n}\n";
const LINTED: &str = "trigger \"Tag\" {\n  when all { Tags excludes x }\n  then { Tags += x }\n}\n\
                      trigger \"Untag\" {\n  when all { Tags includes x }\n  then { Tags -= x }\n}\n\
                      trigger \"Loop\" {\n  when all { Priority is Urgent }\n  then { Group = 4 }\n}\n";

fn fixtures() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    std::fs::write(dir.path().join("broken.declic"), BROKEN).expect("written");
    std::fs::create_dir(dir.path().join("linted dir")).expect("a dir");
    std::fs::write(dir.path().join("linted dir/rules.declic"), LINTED).expect("written");
    dir
}

fn check(dir: &Path, args: &[&str]) -> (i32, String) {
    let mut all = vec!["check", "broken.declic", "linted dir"];
    all.extend(args);
    common::declic_in(dir, &all)
}

#[test]
fn sarif_follows_the_sarif_2_1_0_schema() {
    let schema_text = include_str!("sarif-schema-2.1.0.json");
    let schema: serde_json::Value = serde_json::from_str(schema_text).expect("the schema is JSON");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles");
    let dir = fixtures();
    let (code, out) = check(dir.path(), &["--format", "sarif"]);
    assert_eq!(code, 1);
    let log: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    let results = log["runs"][0]["results"].as_array().expect("results");
    let ids: Vec<&str> = results
        .iter()
        .filter_map(|r| r["ruleId"].as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "declic::unknown_value",
            "declic::unknown_action",
            "declic::ping_pong",
            "declic::no_nullifying_condition"
        ]
    );
    let uri = &results[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "linted%20dir/rules.declic");
    assert!(results[2]["relatedLocations"][0]["message"]["text"].is_string());
}

#[test]
fn sarif_without_findings_is_valid_too() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("sarif-schema-2.1.0.json")).expect("JSON");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::cargo_bin("declic")
        .expect("built")
        .current_dir(root)
        .args(["check", "recipes/en", "--format", "sarif"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(jsonschema::is_valid(&schema, &log));
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn github_annotations_one_a_line_then_the_summary() {
    let dir = fixtures();
    let (code, out) = check(dir.path(), &["--format", "github"]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "{out}");
    assert!(
        lines[0].starts_with(
            "::error file=broken.declic,line=3,col=14,endLine=3,endColumn=23,title=declic%3A%3Aunknown_value::"
        ),
        "{out}"
    );
    assert!(
        lines[2].starts_with("::warning file=linted dir/rules.declic,line=5,"),
        "{out}"
    );
    assert_eq!(
        lines[4],
        "checked 2 files, 4 triggers: 2 errors, 2 warnings"
    );
}

#[test]
fn junit_has_a_suite_per_rule_set() {
    let dir = fixtures();
    let (code, out) = check(dir.path(), &["--format", "junit"]);
    assert_eq!(code, 1);
    assert!(out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"declic check\" tests=\"4\" failures=\"2\""), "{out}");
    assert!(
        out.contains("<testsuite name=\"broken.declic\" tests=\"2\" failures=\"2\""),
        "{out}"
    );
    assert!(
        out.contains("<testsuite name=\"linted dir\" tests=\"2\" failures=\"0\""),
        "{out}"
    );
    let (_, denied) = check(dir.path(), &["--format", "junit", "--deny", "warnings"]);
    assert!(
        denied.contains("<testsuite name=\"linted dir\" tests=\"2\" failures=\"2\""),
        "{denied}"
    );
    assert_eq!(
        out.matches("<testcase ").count(),
        out.matches("</testcase>").count()
    );
}

#[test]
fn help_lists_the_formats_and_exit_codes() {
    let out = Command::cargo_bin("declic")
        .expect("built")
        .args(["check", "--help"])
        .output()
        .expect("runs");
    let help = String::from_utf8_lossy(&out.stdout);
    for word in [
        "sarif",
        "github",
        "junit",
        "Exit codes:",
        "declic-allow",
        "declic.toml",
    ] {
        assert!(help.contains(word), "{word}: {help}");
    }
}
