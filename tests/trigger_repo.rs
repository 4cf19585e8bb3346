//! `examples/trigger-repo/` as its users run it, on a copy in a temporary git repository:
//!
//! - its GitHub workflow's commands, run here as the workflow writes them (the declic this
//!   test built first on `PATH`), pass on a push and write the diff of a pull request into
//!   the job's summary;
//! - the pre-commit hooks of `.pre-commit-hooks.yaml`, run by the real `pre-commit` tool
//!   (PyPI), pass on the example and stop a commit whose rule file is broken or not
//!   formatted. `.ci/run` installs pre-commit; these tests fail when it is absent. The
//!   hooks are the repository's own, word for word, except that they run the declic this
//!   test built (`language: system`) instead of having pre-commit build one with cargo.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::git;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary git repository holding the example's rules, scenarios and sample events,
/// and a `.pre-commit-config.yaml` of the repository's hooks as a `local` repo.
fn example() -> tempfile::TempDir {
    let dir = copy_of_example();
    let hooks =
        std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).expect("the hooks file");
    let declic = env!("CARGO_BIN_EXE_declic");
    assert!(
        hooks.contains("language: rust") && hooks.contains("entry: declic "),
        "{hooks}"
    );
    let local: String = hooks
        .replace("language: rust", "language: system")
        .replace("entry: declic ", &format!("entry: {declic} "))
        .lines()
        .map(|l| format!("      {l}\n"))
        .collect();
    let config = format!("repos:\n  - repo: local\n    hooks:\n{local}");
    std::fs::write(dir.path().join(".pre-commit-config.yaml"), config).expect("written");
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    dir
}

/// A temporary folder holding the example's rules, scenarios and sample events.
fn copy_of_example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let example = root().join("examples/trigger-repo");
    for folder in ["rules", "scenarios"] {
        copy_folder(&example.join(folder), &dir.path().join(folder));
    }
    std::fs::copy(
        example.join("sample.ndjson"),
        dir.path().join("sample.ndjson"),
    )
    .expect("copied");
    dir
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("created");
    for entry in std::fs::read_dir(from).expect("readable") {
        let path: PathBuf = entry.expect("an entry").path();
        std::fs::copy(&path, to.join(path.file_name().expect("a name"))).expect("copied");
    }
}

/// `pre-commit run --all-files` in `dir`, its cache inside `dir` too.
fn pre_commit(dir: &Path) -> Output {
    let out = Command::new("pre-commit")
        .current_dir(dir)
        .args(["run", "--all-files", "--color", "never"])
        .env("PRE_COMMIT_HOME", dir.join(".cache"))
        .output();
    match out {
        Ok(out) => out,
        Err(e) => panic!("`pre-commit` must be installed (pip install pre-commit): {e}"),
    }
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

#[test]
fn the_hooks_pass_on_the_example() {
    let dir = example();
    let out = pre_commit(dir.path());
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(
        said.contains("declic check") && said.contains("declic fmt"),
        "{said}"
    );
    assert!(
        !said.contains("Failed") && !said.contains("Skipped"),
        "{said}"
    );
}

/// Edits the example's VIP rule file, replacing `from` by `to`, stages it and runs the
/// hooks: their output, whether they passed, and the rules as they were.
fn commit_with(dir: &Path, from: &str, to: &str) -> (bool, String, String) {
    let file = dir.join("rules/1-vip.declic");
    let rules = std::fs::read_to_string(&file).expect("read");
    assert!(rules.contains(from), "{rules}");
    std::fs::write(&file, rules.replace(from, to)).expect("written");
    git(dir, &["add", "."]);
    let out = pre_commit(dir);
    (out.status.success(), text(&out), rules)
}

#[test]
fn a_broken_rule_file_stops_the_commit() {
    let dir = example();
    let (passed, said, _) = commit_with(dir.path(), "Priority = Urgent", "Priorty = Urgent");
    assert!(!passed, "{said}");
    assert!(said.contains("declic::unknown_action"), "{said}");
}

#[test]
fn an_unformatted_rule_file_is_rewritten_and_stops_the_commit() {
    let dir = example();
    let (passed, said, rules) =
        commit_with(dir.path(), "    Priority = Urgent", "Priority   =   Urgent");
    assert!(!passed, "{said}");
    assert!(said.contains("files were modified by this hook"), "{said}");
    // The rule set itself is fine: only the formatting hook stopped the commit, and it
    // left the file as it was written first.
    let file = dir.path().join("rules/1-vip.declic");
    assert_eq!(std::fs::read_to_string(file).expect("read"), rules);
}

/// The shell commands of the workflow's steps, by step name: each `run:` line or block.
fn workflow_steps() -> Vec<(String, String)> {
    let path = root().join("examples/trigger-repo/.github/workflows/declic.yml");
    let text = std::fs::read_to_string(path).expect("the workflow");
    let lines: Vec<&str> = text.lines().collect();
    let mut steps = Vec::new();
    let mut name = String::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if let Some(n) = trimmed.strip_prefix("- name: ") {
            name = n.to_owned();
        }
        let Some(run) = trimmed.strip_prefix("run: ") else {
            continue;
        };
        let indent = line.len() - trimmed.len();
        let script = if run == "|" {
            let block = lines[i + 1..]
                .iter()
                .take_while(|l| l.trim().is_empty() || l.len() - l.trim_start().len() > indent);
            block.map(|l| l.trim()).collect::<Vec<_>>().join("\n")
        } else {
            run.to_owned()
        };
        steps.push((name.clone(), script));
    }
    steps
}

/// Runs the workflow's step `name` in `dir` as the runner would (bash, `-e`), with the
/// declic this test built first on `PATH`.
fn run_step(dir: &Path, name: &str, env: &[(&str, &str)]) -> Output {
    let steps = workflow_steps();
    let Some((_, script)) = steps.iter().find(|(n, _)| n == name) else {
        panic!("the workflow has no step `{name}`: {steps:?}");
    };
    let bin = Path::new(env!("CARGO_BIN_EXE_declic"))
        .parent()
        .expect("a folder");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("bash")
        .current_dir(dir)
        .args(["-e", "-c", script])
        .env("PATH", path)
        .envs(env.iter().copied())
        .output()
        .expect("bash runs")
}

#[test]
fn the_workflow_checks_a_push_and_diffs_a_pull_request() {
    let dir = copy_of_example();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "the rules"]);
    // The base branch as `actions/checkout` with `fetch-depth: 0` leaves it.
    git(
        dir.path(),
        &["update-ref", "refs/remotes/origin/main", "HEAD"],
    );
    for step in ["Install declic", "Formatting", "Rules", "Scenarios"] {
        let out = run_step(dir.path(), step, &[]);
        assert!(out.status.success(), "{step}: {}", text(&out));
    }
    let junit = std::fs::read_to_string(dir.path().join("declic-junit.xml")).expect("written");
    assert!(
        junit.contains("<testsuite") && junit.contains("failures=\"0\""),
        "{junit}"
    );

    // A pull request that drops the VIP trigger's condition on new tickets.
    let file = dir.path().join("rules/1-vip.declic");
    let rules = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, rules.replace("    Ticket is Created\n", "")).expect("written");
    let summary = dir.path().join("summary.md");
    let summary_var = summary.to_str().expect("UTF-8");
    let diff = "What the change does to the sample events";
    let env = [("BASE", "main"), ("GITHUB_STEP_SUMMARY", summary_var)];
    let out = run_step(dir.path(), diff, &env);
    assert!(out.status.success(), "{}", text(&out));
    let markdown = std::fs::read_to_string(&summary).expect("the summary");
    assert!(markdown.starts_with("### declic diff"), "{markdown}");
    assert!(
        markdown.contains("| VIP tickets are urgent | 1 | 2 | +1 |"),
        "{markdown}"
    );
    assert!(markdown.contains("sample.ndjson:4"), "{markdown}");
    // The same step on the unchanged rules says so.
    std::fs::write(&file, rules).expect("written");
    std::fs::remove_file(&summary).expect("removed");
    let out = run_step(dir.path(), diff, &env);
    assert!(out.status.success(), "{}", text(&out));
    let markdown = std::fs::read_to_string(&summary).expect("the summary");
    assert!(
        markdown.contains("0 of 5 events end differently: no change."),
        "{markdown}"
    );
}
