//! `declic fmt` as users run it: what it rewrites and what it leaves alone, `--check`
//! diffs and exit codes, files it refuses.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

const MESSY: &str = "TRIGGER \"Vip\" {\nwhen {  canal est messagerie }\n then { tags += vip }}";

const FORMATTED: &str = "trigger \"Vip\" {\n  when all {\n    Canal est Messagerie\n  }\n  then {\n    Tags += vip\n  }\n}\n";

const BROKEN: &str = "trigger \"Broken\" {\n  when all {\n    Canal Messagerie\n  }\n}\n";

fn declic() -> Command {
    let mut cmd = Command::cargo_bin("declic").expect("the binary is built");
    cmd.env_remove("NO_COLOR");
    cmd
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("a folder");
    }
    std::fs::write(&path, text).expect("a temp file");
    path
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("readable")
}

/// Exit code, stdout and stderr.
fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn check_prints_a_unified_diff_writes_nothing_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "messy.declic", MESSY);
    let (code, out, _) = run(declic().args(["fmt", "--check"]).arg(&path));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("messy.declic\n+++ "), "{out}");
    assert!(out.contains("\n-TRIGGER \"Vip\" {\n"), "{out}");
    assert!(out.contains("\n+trigger \"Vip\" {\n"), "{out}");
    assert!(out.contains("\n+    Canal est Messagerie\n"), "{out}");
    assert_eq!(read(&path), MESSY, "--check writes nothing");
}

#[test]
fn check_on_formatted_files_is_silent_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.declic", FORMATTED);
    let (code, out, err) = run(declic().args(["fmt", "--check"]).arg(dir.path()));
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
}

#[test]
fn rewriting_touches_only_the_rule_files_that_change() {
    let dir = tempfile::tempdir().unwrap();
    let messy = write(dir.path(), "a.declic", MESSY);
    let nested = write(dir.path(), "sub/b.declic", MESSY);
    let formatted = write(dir.path(), "c.declic", FORMATTED);
    let hidden = write(dir.path(), ".hidden/d.declic", MESSY);
    let notes = write(dir.path(), "notes.txt", MESSY);
    let before = std::fs::metadata(&formatted).unwrap().modified().unwrap();
    let (code, out, err) = run(declic().arg("fmt").arg(dir.path()));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(read(&messy), FORMATTED);
    assert_eq!(read(&nested), FORMATTED);
    assert!(
        out.contains("a.declic") && out.contains("b.declic") && !out.contains("c.declic"),
        "{out}"
    );
    let after = std::fs::metadata(&formatted).unwrap().modified().unwrap();
    assert_eq!(before, after, "a formatted file is not rewritten");
    assert_eq!((read(&hidden), read(&notes)), (MESSY.into(), MESSY.into()));
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [".hidden", "a.declic", "c.declic", "notes.txt", "sub"],
        "no temp file left"
    );
}

#[cfg(unix)]
#[test]
fn rewriting_keeps_permissions_and_symbolic_links() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let target = write(dir.path(), "real.declic", MESSY);
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.path().join("link.declic");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let (code, _, err) = run(declic().arg("fmt").arg(&link));
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(read(&target), FORMATTED);
    let mode = std::fs::metadata(&target).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_refused_and_left_untouched() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let locked = write(dir.path(), "locked.declic", MESSY);
    let open = write(dir.path(), "open.declic", MESSY);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o444)).unwrap();
    let (code, _, err) = run(declic().args(["fmt", "--format", "plain"]).arg(dir.path()));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("declic::unwritable") && err.contains("read-only"),
        "{err}"
    );
    assert_eq!(read(&locked), MESSY);
    assert_eq!(
        read(&open),
        FORMATTED,
        "the other files are still formatted"
    );
}

#[cfg(unix)]
#[test]
fn rewriting_keeps_hard_links_and_the_owner() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "a.declic", MESSY);
    let other_name = dir.path().join("b.declic.bak");
    std::fs::hard_link(&file, &other_name).unwrap();
    let (code, _, err) = run(declic().arg("fmt").arg(&file));
    assert_eq!(code, 0, "{err}");
    assert_eq!(read(&other_name), FORMATTED, "both names are the one file");
    assert_eq!(std::fs::metadata(&file).unwrap().nlink(), 2);

    // Given away to another user (possible when the tests run as the superuser, as CI's
    // do), a file stays theirs.
    let single = write(dir.path(), "c.declic", MESSY);
    let given = std::os::unix::fs::chown(&single, Some(4242), Some(4242)).is_ok();
    let owner = |p: &Path| {
        let meta = std::fs::metadata(p).unwrap();
        (meta.uid(), meta.gid())
    };
    let before = owner(&single);
    let (code, _, err) = run(declic().arg("fmt").arg(&single));
    assert_eq!(code, 0, "{err}");
    assert_eq!(read(&single), FORMATTED);
    assert_eq!(owner(&single), before, "given away: {given}");
}

#[test]
fn files_with_syntax_errors_are_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let broken = write(dir.path(), "broken.declic", BROKEN);
    let messy = write(dir.path(), "messy.declic", MESSY);
    let (code, _, err) = run(declic().args(["fmt", "--format", "plain"]).arg(dir.path()));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("declic::syntax") && err.contains("broken.declic"),
        "{err}"
    );
    assert_eq!(read(&broken), BROKEN);
    assert_eq!(
        read(&messy),
        FORMATTED,
        "the other files are still formatted"
    );
}

#[test]
fn json_lists_the_files_that_would_change() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.declic", MESSY);
    write(dir.path(), "b.declic", FORMATTED);
    write(dir.path(), "c.declic", BROKEN);
    let (code, out, _) = run(declic()
        .args(["fmt", "--check", "--format", "json"])
        .arg(dir.path()));
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&out).expect("one JSON document");
    let changed = report["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 1);
    assert!(changed[0].as_str().unwrap().ends_with("a.declic"));
    assert_eq!(report["diagnostics"][0]["code"], "declic::syntax");
    assert_eq!(report["summary"]["files"], 3);
}

#[test]
fn unreadable_paths_exit_2_and_help_has_examples() {
    let (code, _, err) = run(declic().args(["fmt", "no/such/file.declic"]));
    assert_eq!(code, 2);
    assert!(err.contains("declic::unreadable"), "{err}");
    let (code, _, _) = run(declic().arg("fmt"));
    assert_eq!(code, 2, "no path is a usage error");
    let (code, out, _) = run(declic().args(["fmt", "--help"]));
    assert_eq!(code, 0);
    assert!(
        out.contains("declic fmt --check") && out.contains("Exit codes:"),
        "{out}"
    );
}
