//! `declic test` as users run it: exit codes, one line per scenario, JSON, JUnit, filter,
//! help.

use assert_cmd::Command;

fn declic_test(args: &[&str]) -> (i32, String) {
    let mut cmd = Command::cargo_bin("declic").expect("the binary is built");
    cmd.env_remove("NO_COLOR").arg("test").args(args);
    let out = cmd.output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

const PASS: &str = "tests/scenarios/pass";
const FAIL: &str = "tests/scenarios/fail";

#[test]
fn passing_scenarios_exit_0_with_one_line_each() {
    let (code, out) = declic_test(&[PASS, "--format", "plain"]);
    assert_eq!(code, 0, "{out}");
    let ok = out.lines().filter(|l| l.starts_with("ok ")).count();
    assert_eq!(ok, 4, "{out}");
    assert!(out.ends_with("scenarios: 4 passed, 0 failed\n"), "{out}");
}

#[test]
fn a_failing_scenario_exits_1_and_shows_where() {
    let (code, out) = declic_test(&[FAIL, "--format", "plain"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("FAILED  fails: ticket fields differ at the second step"),
        "{out}"
    );
    assert!(
        out.contains(
            "mistaken-expectations.scenarios.toml:39: step 2, end user inactive for 5 minutes"
        ),
        "{out}"
    );
    assert!(!out.contains("\u{1b}"), "plain has no colour: {out}");
}

#[test]
fn human_output_is_coloured() {
    let (_, out) = declic_test(&[FAIL, "--format", "human"]);
    assert!(out.contains("\u{1b}[31mFAILED"), "{out}");
}

#[test]
fn mistakes_in_a_scenario_file_exit_1() {
    let (code, out) = declic_test(&[
        "tests/scenarios/invalid/04-unknown-step.scenarios.toml",
        "--format",
        "plain",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("declic::unknown_step"), "{out}");
}

#[test]
fn nothing_to_run_exits_2() {
    let (code, out) = declic_test(&["no/such/file.scenarios.toml"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("declic::unreadable"), "{out}");
    let (code, out) = declic_test(&["tests/scenarios/rules"]);
    assert_eq!(code, 2, "a folder without scenario files: {out}");
    assert!(out.contains("declic::no_scenario_files"), "{out}");
    let (code, _) = declic_test(&[PASS, "--filter", "no scenario has this name"]);
    assert_eq!(code, 2, "a filter that matches nothing");
    let (code, _) = declic_test(&[]);
    assert_eq!(code, 2, "no path");
    let (code, _) = declic_test(&[PASS, "--format", "yaml"]);
    assert_eq!(code, 2, "unknown format");
}

#[test]
fn filter_runs_only_matching_names() {
    let (code, out) = declic_test(&[FAIL, "--filter", "wrong order", "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let report: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    let scenarios = report["scenarios"].as_array().expect("a list");
    assert_eq!(scenarios.len(), 1, "{out}");
    assert_eq!(scenarios[0]["name"], "fails: fired in the wrong order");
    let (code, _) = declic_test(&[FAIL, PASS, "--filter", "abandoned conversation"]);
    assert_eq!(code, 0, "only the passing scenario of that name runs");
}

#[test]
fn json_reports_cases_mismatches_and_summary() {
    let (code, out) = declic_test(&[FAIL, PASS, "--format", "json"]);
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    assert_eq!(report["summary"]["passed"], 4);
    assert_eq!(report["summary"]["failed"], 7);
    assert_eq!(report["summary"]["files"], 2);
    let failed = report["scenarios"]
        .as_array()
        .expect("a list")
        .iter()
        .find(|s| s["name"] == "fails: a trigger fires that must not")
        .expect("present");
    assert_eq!(failed["status"], "failed");
    assert_eq!(failed["failure"]["step"], 1);
    assert_eq!(
        failed["failure"]["mismatches"][0],
        serde_json::json!({"kind": "fired_unexpectedly", "trigger": "VIP is urgent"})
    );
}

#[test]
fn json_carries_scenario_file_diagnostics() {
    let (code, out) = declic_test(&[
        "tests/scenarios/invalid/02-unknown-trigger.scenarios.toml",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    let first = &report["diagnostics"][0];
    assert_eq!(first["code"], "declic::unknown_trigger");
    assert_eq!(first["line"], 11);
    assert!(first["help"]
        .as_str()
        .unwrap_or_default()
        .contains("Auto-solve abandoned conversations"));
}

#[test]
fn junit_has_a_testcase_per_scenario_and_a_failure_per_failing_one() {
    let (code, out) = declic_test(&[
        FAIL,
        PASS,
        "tests/scenarios/invalid/07-unknown-effect.scenarios.toml",
        "--format",
        "junit",
    ]);
    assert_eq!(code, 1);
    assert!(
        out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites"),
        "{out}"
    );
    assert!(
        out.contains("<testsuites name=\"declic test\" tests=\"13\" failures=\"7\" errors=\"2\">"),
        "{out}"
    );
    assert_eq!(out.matches("<testsuite ").count(), 3, "{out}");
    assert_eq!(out.matches("<failure ").count(), 7, "{out}");
    assert_eq!(out.matches("<error ").count(), 2, "{out}");
    assert!(
        out.contains("<testcase name=\"an abandoned conversation is solved\""),
        "{out}"
    );
    // Quotes in trigger titles and diffs are escaped, not written raw into attributes.
    assert!(out.contains("&quot;"), "{out}");
    assert_eq!(
        out.matches("<testcase").count(),
        out.matches("</testcase>").count() + 4
    );
}

#[test]
fn help_shows_an_example_and_exit_codes() {
    let (code, out) = declic_test(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("[[scenario.step]]"), "{out}");
    assert!(out.contains("Exit codes:"), "{out}");
    assert!(out.contains("--filter"), "{out}");
}
