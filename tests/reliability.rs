//! Hostile inputs at the command line: devices, files past the size limit, folders whose
//! links lead back into them. Each must end in a clear error or warning with its code,
//! never a hang, a panic or a read without end.

use std::path::Path;

use assert_cmd::Command;

fn declic(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("declic")
        .expect("the binary is built")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A file one byte past the limit, made sparse so that the test writes nothing to disk.
fn past_the_limit(dir: &Path, name: &str) -> String {
    let path = dir.join(name);
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(declic::load::MAX_FILE_BYTES + 1).unwrap();
    path.display().to_string()
}

#[test]
fn devices_are_refused_by_every_command_that_reads_a_file() {
    let commands: &[&[&str]] = &[
        &["check", "/dev/zero"],
        &["run", "recipes/en", "/dev/zero"],
        &["explain", "recipes/en", "/dev/zero"],
        &["fmt", "/dev/zero"],
        &["import", "zendesk", "/dev/zero"],
        &["test", "/dev/zero"],
    ];
    for args in commands {
        let (code, out, err) = declic(args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(
            format!("{out}{err}").contains("not_a_file"),
            "{args:?}: {out}{err}"
        );
    }
}

#[test]
fn files_past_the_size_limit_are_refused_with_their_code() {
    let dir = tempfile::tempdir().unwrap();
    let rules = past_the_limit(dir.path(), "big.declic");
    let event = past_the_limit(dir.path(), "big.json");
    let export = past_the_limit(dir.path(), "triggers.json");
    let commands: Vec<Vec<&str>> = vec![
        vec!["check", &rules],
        vec!["fmt", &rules],
        vec!["run", "recipes/en", &event],
        vec!["import", "zendesk", &export],
    ];
    for args in &commands {
        let (code, out, err) = declic(args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(
            format!("{out}{err}").contains("file_too_large"),
            "{args:?}: {out}{err}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_link_loop_in_a_rule_folder_is_read_once_with_one_warning() {
    let dir = tempfile::tempdir().unwrap();
    let inner = dir.path().join("rules");
    std::fs::create_dir(&inner).unwrap();
    std::fs::copy("recipes/en/1-after-hours.declic", inner.join("a.declic")).unwrap();
    std::os::unix::fs::symlink("..", inner.join("up")).unwrap();
    std::os::unix::fs::symlink("../rules", inner.join("again")).unwrap();
    let root = dir.path().display().to_string();
    let (code, out, _) = declic(&["check", &root, "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let codes: Vec<_> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    // Read once: no duplicate title, and one warning for both links.
    assert_eq!(codes, ["declic::symlink_loop"]);
    assert_eq!(report["summary"]["files"], 1);
}

#[cfg(unix)]
#[test]
fn a_link_loop_in_an_event_folder_runs_each_event_once() {
    let dir = tempfile::tempdir().unwrap();
    let events = dir.path().join("events");
    std::fs::create_dir(&events).unwrap();
    std::fs::copy(
        "events/agent-ends-session.json",
        events.join("agent-ends-session.json"),
    )
    .unwrap();
    std::os::unix::fs::symlink("..", events.join("up")).unwrap();
    let folder = dir.path().display().to_string();
    let (code, out, err) = declic(&["run", "recipes/en", &folder]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(err.contains("symlink_loop"), "{err}");
}
