//! Section c: checking a rule file of Zendesk's maximum size (7,000 active triggers),
//! beside the cheapest way to merely read the same triggers: serde_json parsing them as
//! the API's JSON (written by declic's own export, so both hold the same rules).

use declic::interop::export;
use declic::interop::zendesk_json::RuleKind;
use declic::lint::{self, Config, Known};
use declic::Source;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::alloc::peak_during;
use crate::measure::{median, Row};
use crate::rules;

const TRIGGERS: usize = 7_000;

pub fn rows(quick: bool) -> Vec<Row> {
    let runs = if quick { 3 } else { 7 };
    eprintln!("c: check of {TRIGGERS} triggers...");
    let sources = [Source::new("generated.declic", rules::rule_set(TRIGGERS))];
    let text = &sources[0].text;
    let rules = declic::check(&sources)
        .into_result()
        .expect("generated rules check");
    let json = export::to_json(RuleKind::Trigger, &export::export(&rules, None).rules);

    let check_and_lint = || {
        let checked = declic::check(&sources);
        lint::lint(&checked.rules, &Config::default(), &Known::default()).len()
    };
    let (baseline, _) = median(runs, || {
        serde_json::from_str::<serde_json::Value>(&json).is_ok()
    });
    let (parse, _) = median(runs, || declic::syntax::parse(text).is_ok());
    let (check, _) = median(runs, || declic::check(&sources).rules.triggers.len());
    let (linted, _) = median(runs, check_and_lint);
    let (_, peak) = peak_during(check_and_lint);
    let binary = binary_check(text, runs);

    let row = |name: &str, time: std::time::Duration, peak: Option<usize>| Row {
        section: "c-check".to_owned(),
        name: name.to_owned(),
        per_second: None,
        micros: time.as_secs_f64() * 1e6,
        ratio: time.as_secs_f64() / baseline.as_secs_f64(),
        against: "serde_json reading the same triggers as API JSON".to_owned(),
        peak_bytes: peak,
    };
    eprintln!(
        "   {} KiB of rules, {} KiB as API JSON",
        text.len() / 1024,
        json.len() / 1024
    );
    let mut rows = vec![
        row("serde_json reads the API JSON (the limit)", baseline, None),
        row("declic parse (text to syntax tree)", parse, None),
        row("declic check (parse and resolve)", check, None),
        row(
            "declic check and lints (the CLI's work)",
            linted,
            Some(peak),
        ),
    ];
    match binary {
        Ok(time) => rows.push(row("`declic check` on the file, whole process", time, None)),
        Err(e) => eprintln!("   the binary's row is skipped: {e}"),
    }
    rows
}

/// The release binary checking the file as users run it: the process, its allocator
/// (mimalloc, where the rows above run on the system's) and its output included.
fn binary_check(text: &str, runs: usize) -> Result<Duration, String> {
    let declic = crate::stream::binary()?;
    let dir = std::env::temp_dir().join(format!("declic-bench-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot write {}: {e}", dir.display()))?;
    let written = std::fs::write(dir.join("generated.declic"), text)
        .map_err(|e| format!("cannot write {}: {e}", dir.display()));
    let timed = written.and_then(|()| {
        let mut failed = None;
        let (time, _) = median(runs, || {
            let status = Command::new(&declic)
                .arg("check")
                .arg(&dir)
                .stdout(Stdio::null())
                .status();
            if !matches!(status, Ok(s) if s.success()) {
                failed = Some(format!("declic check failed: {status:?}"));
            }
        });
        failed.map_or(Ok(time), Err)
    });
    let _ = std::fs::remove_dir_all(&dir);
    timed
}
