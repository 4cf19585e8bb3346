//! Every example line of a command's `--help` runs as shown and succeeds: the files it
//! names exist in the repository, the titles it names are triggers there.

use std::io::Write;
use std::path::Path;
use std::process::Stdio;

use assert_cmd::Command;

/// The example lines of `declic COMMAND --help`: those under `Examples:` up to the first
/// blank line, without the description that follows three spaces.
fn examples(command: &str) -> Vec<String> {
    let out = Command::cargo_bin("declic")
        .expect("the binary is built")
        .args([command, "--help"])
        .output()
        .expect("runs");
    let help = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<String> = help
        .lines()
        .skip_while(|l| l.trim() != "Examples:")
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.trim().split("   ").next().unwrap_or_default().to_owned())
        .collect();
    assert!(
        !lines.is_empty(),
        "`{command} --help` has examples:\n{help}"
    );
    lines
}

/// The words of a shell line: quotes group, and are removed.
fn words(line: &str) -> Vec<String> {
    let (mut words, mut word, mut quote, mut in_word) = (Vec::new(), String::new(), None, false);
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => (quote, in_word) = (Some(c), true),
            (None, ' ') if in_word => {
                words.push(std::mem::take(&mut word));
                in_word = false;
            }
            (None, ' ') => {}
            (None, c) => (word, in_word) = (word + &c.to_string(), true),
        }
    }
    if in_word {
        words.push(word);
    }
    words
}

/// Runs one example line in `dir`: `cat FILE |` and `< FILE` feed stdin, `> FILE` is the
/// output captured here. Returns the exit code, stdout and stderr.
fn run_example(dir: &Path, line: &str) -> (Option<i32>, String, String) {
    let mut words = words(line);
    let mut stdin = None;
    if words.first().map(String::as_str) == Some("cat")
        && words.get(2).map(String::as_str) == Some("|")
    {
        stdin = Some(words[1].clone());
        words.drain(..3);
    }
    let mut args = Vec::new();
    let mut rest = words.into_iter();
    assert_eq!(rest.next().as_deref(), Some("declic"), "{line}");
    while let Some(word) = rest.next() {
        match word.as_str() {
            "<" => stdin = rest.next(),
            ">" => {
                rest.next();
            }
            _ => args.push(word),
        }
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_declic"))
        .current_dir(dir)
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let input = stdin.map_or_else(Vec::new, |f| {
        std::fs::read(dir.join(&f)).unwrap_or_else(|e| panic!("{line}: {f}: {e}"))
    });
    if let Some(mut pipe) = child.stdin.take() {
        pipe.write_all(&input).expect("writes stdin");
    }
    let out = child.wait_with_output().expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A folder where the repository's `recipes`, `events`, `tests` and `examples` are, and
/// `updates.ndjson`, the stream the examples read: the sample events, one a line.
fn workdir() -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("temp dir");
    for name in ["recipes", "events", "tests", "examples"] {
        std::os::unix::fs::symlink(root.join(name), dir.path().join(name)).expect("links");
    }
    let mut events: Vec<_> = std::fs::read_dir(root.join("events"))
        .expect("events/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    events.sort();
    let mut stream = String::new();
    for path in events {
        let text = std::fs::read_to_string(&path).expect("reads");
        let value: serde_json::Value = serde_json::from_str(&text).expect("an event");
        stream += &format!("{value}\n");
    }
    std::fs::write(dir.path().join("updates.ndjson"), stream).expect("writes");
    dir
}

#[test]
fn every_example_of_explain_and_run_help_runs() {
    let dir = workdir();
    for command in ["explain", "run", "simulate"] {
        for line in examples(command) {
            let (code, stdout, stderr) = run_example(dir.path(), &line);
            assert_eq!(code, Some(0), "{line}\n{stderr}");
            assert!(!stdout.trim().is_empty(), "{line} prints its result");
            // A trigger named by `--trigger` is the one shown.
            let words = words(&line);
            if let Some(i) = words.iter().position(|w| w == "--trigger") {
                let name = words[i + 1].trim_start_matches('#');
                assert!(stdout.contains(name), "{line}\n{stdout}");
            }
        }
    }
}

#[test]
fn an_example_naming_a_missing_file_or_title_fails() {
    // The checks above would catch examples like the ones `explain --help` once showed.
    let dir = workdir();
    for line in [
        "declic explain recipes/fr events/surge.json",
        "declic explain recipes/fr events/agent-ends-session.json --trigger \"Afflux : messagerie\"",
        "declic explain recipes/fr - --format json < events/agent-ends-session.json --nope",
    ] {
        let (code, _, _) = run_example(dir.path(), line);
        assert_ne!(code, Some(0), "{line}");
    }
    assert_eq!(words("a \"b c\" 'd' e"), ["a", "b c", "d", "e"]);
}
