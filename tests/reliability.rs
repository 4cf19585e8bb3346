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

/// Commands with something on stdout, run from the crate's root.
const PRINTING: &[&[&str]] = &[
    &["check", "recipes/en"],
    &["check", "recipes/en", "--format", "json"],
    &["run", "recipes/fr", "events/agent-ends-session.json"],
    &["explain", "recipes/fr", "events/agent-ends-session.json"],
    &["test", "recipes/"],
    &["catalog"],
    &["graph", "recipes/en"],
    &[
        "import",
        "zendesk",
        "tests/fixtures/zendesk/default_triggers.json",
    ],
    &["export", "zendesk", "recipes/seed"],
];

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_an_error_with_exit_2_never_a_silent_loss() {
    for args in PRINTING {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("declic"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(*args)
            .stdout(full)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("declic::unwritable") && err.contains("No space left"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_reader_that_goes_away_ends_the_output_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    // Far more output than a pipe holds, so that declic is still writing when the reader
    // has gone; and warnings denied, so that a finished check would exit 1, not 0.
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("many.declic");
    let trigger = |i| {
        format!("trigger \"t{i}\" {{\n  when all {{\n    Status is Open\n  }}\n  then {{\n    Tags += x{i}\n  }}\n}}\n")
    };
    std::fs::write(&rules, (0..2000).map(trigger).collect::<String>()).unwrap();
    let rules = rules.display().to_string();
    for args in [
        vec!["check", &rules, "--format", "json", "--deny", "warnings"],
        vec!["check", &rules, "--format", "plain", "--deny", "warnings"],
    ] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("declic"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 1];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // The pipe's read end is closed here, when the handle is dropped.
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}
