//! What installing declic brings beside the binary: shell completions and manual pages,
//! generated from the command definitions.

use assert_cmd::Command;

fn declic(args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("declic")
        .expect("the binary is built")
        .args(args)
        .output()
        .expect("runs");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    (out.status.code().expect("exited"), stdout)
}

/// Commands every generated file must know, the newest among them.
const COMMANDS: [&str; 5] = ["check", "run", "diff", "completions", "man"];

#[test]
fn completions_know_every_command_in_every_shell() {
    // How each shell's script names the program: a near miss would be a script for
    // another program, or none.
    let cases = [
        ("bash", "complete -F _declic"),
        ("zsh", "#compdef declic"),
        ("fish", "complete -c declic"),
        (
            "powershell",
            "Register-ArgumentCompleter -Native -CommandName 'declic'",
        ),
    ];
    for (shell, marker) in cases {
        let (code, script) = declic(&["completions", shell]);
        assert_eq!(code, 0, "{shell}");
        assert!(script.contains(marker), "{shell}: {script}");
        for command in COMMANDS {
            assert!(script.contains(command), "{shell} lacks {command}");
        }
        assert!(
            script.contains("fail-on-change"),
            "{shell} lacks diff's flags"
        );
    }
    assert_eq!(declic(&["completions", "tcsh"]).0, 2);
}

#[test]
fn the_manual_page_lists_the_commands() {
    let (code, page) = declic(&["man"]);
    assert_eq!(code, 0);
    assert!(page.starts_with(".ie"), "{page}");
    assert!(page.contains(".TH declic 1"), "{page}");
    for command in COMMANDS {
        assert!(
            page.contains(&format!("declic\\-{command}(1)")),
            "lacks {command}: {page}"
        );
    }
}

#[test]
fn a_page_per_command_is_written_into_a_folder() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let out = dir.path().join("man1");
    let (code, _) = declic(&["man", "--out", out.to_str().expect("UTF-8 path")]);
    assert_eq!(code, 0);
    for page in ["declic.1", "declic-diff.1", "declic-check.1"] {
        assert!(out.join(page).is_file(), "{page} is missing");
    }
    let diff = std::fs::read_to_string(out.join("declic-diff.1")).expect("read");
    assert!(diff.contains("expect\\-change"), "{diff}");
    // A folder that cannot be made is a usage error.
    let blocked = dir.path().join("file");
    std::fs::write(&blocked, "").expect("written");
    let (code, _) = declic(&[
        "man",
        "--out",
        blocked.join("man1").to_str().expect("UTF-8"),
    ]);
    assert_eq!(code, 2);
}
