//! The limits the README states, each tried at the limit (accepted) and just past it
//! (refused, or warned about, with its code).

use std::path::Path;

use declic::engine::{Compiled, DEFAULT_PASS_LIMIT};
use declic::model::Event;
use declic::{Code, Source};

/// The codes `check` reports for one rule file holding `text`.
fn codes(text: &str) -> Vec<Code> {
    let checked = declic::check(&[Source::new("limits.declic", text)]);
    checked.diagnostics.iter().map(|d| d.code).collect()
}

/// A file of `len` bytes that takes no room on disk.
fn sparse(dir: &Path, len: u64) -> std::path::PathBuf {
    let path = dir.join(format!("sparse-{len}.declic"));
    let file = std::fs::File::create(&path).expect("creates");
    file.set_len(len).expect("sizes");
    path
}

#[test]
fn a_file_is_read_up_to_256_mib() {
    let max = declic::load::MAX_FILE_BYTES;
    assert_eq!(max, 256 << 20, "the README states 256 MiB");
    let dir = tempfile::tempdir().expect("temp dir");
    let at = declic::load::read_file(&sparse(dir.path(), max)).expect("a file at the limit reads");
    assert_eq!(at.len() as u64, max);
    drop(at);
    let past = declic::load::read_file(&sparse(dir.path(), max + 1)).expect_err("refused");
    assert_eq!(declic::load::io_code(&past), Code::FileTooLarge);
    // The command line says so with the code, and exits 2.
    let out = assert_cmd::Command::cargo_bin("declic")
        .expect("the binary is built")
        .args(["check"])
        .arg(sparse(dir.path(), max + 1))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("declic::file_too_large"), "{said}");
}

/// A trigger whose blocks nest `depth` deep: the trigger's own, `when`'s, then groups.
fn nested(depth: usize) -> String {
    let groups = depth - 2;
    format!(
        "trigger \"t\" {{\n  when all {{\n{}Status is Open{}\n  }}\n  then {{ Priority = High }}\n}}\n",
        "any {\n".repeat(groups),
        "\n}".repeat(groups)
    )
}

#[test]
fn blocks_nest_at_most_32_deep() {
    assert_eq!(declic::syntax::MAX_DEPTH, 32, "the README states 32");
    let at = codes(&nested(declic::syntax::MAX_DEPTH));
    assert!(!at.contains(&Code::TooDeep), "{at:?}");
    let past = codes(&nested(declic::syntax::MAX_DEPTH + 1));
    assert!(past.contains(&Code::TooDeep), "{past:?}");
}

/// `n` triggers, `active` of them active, each with a title of its own.
fn triggers(n: usize, active: usize) -> String {
    (0..n)
        .map(|i| {
            let on = if i < active { "" } else { "  active false\n" };
            format!("trigger \"t{i}\" {{\n{on}  when all {{ Tags excludes t{i} }}\n  then {{ Tags += t{i} }}\n}}\n")
        })
        .collect()
}

#[test]
fn a_rule_set_holds_at_most_7000_active_triggers() {
    let max = declic::check::MAX_ACTIVE_TRIGGERS;
    assert_eq!(max, 7_000, "the README states 7,000");
    // An inactive trigger does not count.
    let at = codes(&triggers(max + 1, max));
    assert!(!at.contains(&Code::TooManyTriggers), "{at:?}");
    let past = codes(&triggers(max + 1, max + 1));
    assert!(past.contains(&Code::TooManyTriggers), "{past:?}");
}

/// `n` automations with conditions of their own, `active` of them active.
fn automations(n: usize, active: usize) -> String {
    (0..n)
        .map(|i| {
            let on = if i < active { "" } else { "  active false\n" };
            format!("automation \"a{i}\" {{\n{on}  when all {{\n    Status is Open\n    Hours since open is {i}\n  }}\n  then {{ Tags += a{i} }}\n}}\n")
        })
        .collect()
}

#[test]
fn a_rule_set_holds_at_most_500_active_automations() {
    let max = declic::check::MAX_ACTIVE_AUTOMATIONS;
    assert_eq!(max, 500, "the README states 500");
    // An inactive automation does not count, nor do triggers.
    let at = codes(&(automations(max + 1, max) + &triggers(3, 3)));
    assert!(!at.contains(&Code::TooManyAutomations), "{at:?}");
    let past = codes(&automations(max + 1, max + 1));
    assert!(past.contains(&Code::TooManyAutomations), "{past:?}");
}

/// One trigger of exactly `len` bytes, its description padded.
fn trigger_of(len: usize) -> String {
    let frame = |pad: &str| {
        format!("trigger \"t\" {{\n  description \"{pad}\"\n  when all {{ Status is Open }}\n  then {{ Priority = High }}\n}}")
    };
    let pad = "x".repeat(len - frame("").len());
    let text = frame(&pad);
    assert_eq!(text.len(), len);
    text
}

#[test]
fn a_trigger_over_64_kib_is_a_warning() {
    let at = codes(&trigger_of(64 * 1024));
    assert!(!at.contains(&Code::RuleTooLarge), "{at:?}");
    let past = codes(&trigger_of(64 * 1024 + 1));
    assert!(past.contains(&Code::RuleTooLarge), "{past:?}");
}

/// An event whose custom field value nests `depth` arrays deep.
fn event_nested(depth: usize) -> String {
    format!(
        r#"{{"ticket": {{"custom_fields": [{{"id": 1, "value": {}{}}}]}}}}"#,
        "[".repeat(depth),
        "]".repeat(depth)
    )
}

#[test]
fn an_event_nests_at_most_127_deep() {
    // The event object, the ticket, the custom field list and the field are 4 levels.
    let at = Event::from_json(&event_nested(127 - 4));
    assert!(at.is_ok(), "{at:?}");
    let past = Event::from_json(&event_nested(128 - 4)).expect_err("refused");
    assert_eq!(past.message, "recursion limit exceeded");
    assert!(
        past.path.starts_with("ticket.custom_fields[0].value"),
        "{}",
        past.path
    );
}

/// `n` triggers in reverse order of a chain: each adds the tag the one above it needs,
/// so each pass fires one of them and the cycle needs `n` passes and one more to settle.
fn chain(n: usize) -> String {
    (1..=n)
        .rev()
        .map(|i| {
            let prev = i - 1;
            format!("trigger \"c{i}\" {{\n  when all {{ Tags includes c{prev} }}\n  then {{ Tags += c{i} }}\n}}\n")
        })
        .collect()
}

/// The passes a cycle made over `chain(n)` on a ticket tagged `c0`, and whether it warned.
fn passes(n: usize) -> (u32, bool) {
    let text = chain(n);
    let rules = declic::check(&[Source::new("chain.declic", text.as_str())])
        .into_result()
        .expect("the chain checks");
    let event = Event::from_json(
        r#"{"ticket": {"status": "open", "tags": ["c0"]}, "update": {"kind": "change"}}"#,
    )
    .expect("an event");
    let outcome = Compiled::new(&rules).expect("compiles").run(&event);
    let warned = outcome.warnings.iter().any(|w| w.code == "pass_limit");
    (outcome.passes, warned)
}

#[test]
fn a_cycle_makes_at_most_100_passes() {
    assert_eq!(DEFAULT_PASS_LIMIT, 100, "the README states 100");
    let limit = DEFAULT_PASS_LIMIT as usize;
    // 99 firing passes and the one that finds nothing to fire.
    assert_eq!(passes(limit - 1), (DEFAULT_PASS_LIMIT, false));
    assert_eq!(passes(limit), (DEFAULT_PASS_LIMIT, true));
}

/// An NDJSON stream whose first line is `len` bytes (sparse, so zero bytes) and whose
/// second is a valid event.
fn stream(dir: &Path, len: u64) -> std::path::PathBuf {
    use std::io::{Seek, SeekFrom, Write};
    let path = dir.join(format!("stream-{len}.ndjson"));
    let mut file = std::fs::File::create(&path).expect("creates");
    file.set_len(len).expect("sizes");
    file.seek(SeekFrom::End(0)).expect("seeks");
    file.write_all(b"\n{\"ticket\": {\"status\": \"open\"}}\n")
        .expect("writes");
    path
}

#[test]
fn a_stream_line_holds_at_most_256_mib_and_the_next_line_still_runs() {
    let max = declic::load::MAX_FILE_BYTES;
    let dir = tempfile::tempdir().expect("temp dir");
    for (len, code, exit) in [
        // Read whole: zero bytes are not JSON.
        (max, "declic::invalid_event", 1),
        // Unreadable input exits 2, as a file past the limit does.
        (max + 1, "declic::file_too_large", 2),
    ] {
        let out = assert_cmd::Command::cargo_bin("declic")
            .expect("the binary is built")
            .args(["run", "recipes/en"])
            .arg(stream(dir.path(), len))
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(exit), "{len}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), 2, "{len}: one line per event");
        assert!(lines[0].contains(code), "{len}: {}", lines[0]);
        assert!(lines[1].starts_with("{\"ticket\""), "{len}: {}", lines[1]);
    }
}
