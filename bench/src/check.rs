//! Section c: checking a rule file of Zendesk's maximum size (7,000 active triggers),
//! beside the cheapest way to merely read the same triggers: serde_json parsing them as
//! the API's JSON (written by declic's own export, so both hold the same rules).

use declic::interop::export;
use declic::interop::zendesk_json::RuleKind;
use declic::lint::{self, Config, Known};
use declic::Source;

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
    vec![
        row("serde_json reads the API JSON (the limit)", baseline, None),
        row("declic parse (text to syntax tree)", parse, None),
        row("declic check (parse and resolve)", check, None),
        row(
            "declic check and lints (the CLI's work)",
            linted,
            Some(peak),
        ),
    ]
}
