//! Helpers the test files share; each test file uses some of them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The path relative to the crate, so reports and snapshots do not depend on where the
/// tree is.
pub fn relative(path: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// The codes a fixture's first line promises, as in `# ...; expect declic::unknown_value`.
pub fn promised_codes(path: &Path) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap_or_default();
    let first_line = String::from_utf8_lossy(&bytes)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    first_line
        .split(|c: char| !(c.is_alphanumeric() || c == ':' || c == '_'))
        .filter(|w| w.starts_with("declic::"))
        .map(str::to_string)
        .collect()
}

/// Runs `declic ARGS` in `dir`: its exit code and stdout.
pub fn declic_in(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("declic")
        .expect("the binary is built")
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// Runs `git ARGS` in `dir`, as a committer of its own (CI machines may have none set),
/// and fails the test if git fails.
pub fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=declic",
            "-c",
            "user.email=declic@example.com",
        ])
        .args(args)
        .status()
        .expect("git runs (the tests need it)");
    assert!(status.success(), "git {args:?}");
}
