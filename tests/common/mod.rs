//! What the command-line tests share.

use std::path::Path;

use assert_cmd::Command;

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
