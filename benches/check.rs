//! How long checking a rule set of Zendesk's maximum size (7,000 active triggers) takes,
//! beside a baseline measured in the same run: serde_json parsing the same triggers written
//! as Zendesk API JSON, the cheapest way to merely read them.
//!
//! Run with `cargo bench --bench check`.

use std::hint::black_box;
use std::time::{Duration, Instant};

const TRIGGERS: usize = 7_000;
const RUNS: usize = 7;

/// One trigger shaped like those of real exports: group, tags, Ticket is, a custom field,
/// channel and status, with tag and notification actions.
fn trigger(i: usize) -> String {
    let channel = ["Messagerie", "Email", "Web form", "API"][i % 4];
    let status = ["Open", "Pending", "Solved", "New"][i % 4];
    format!(
        r#"trigger "Route {i}" {{
  category "Routing {cat}"
  when all {{
    Ticket is Updated
    Group is {group}
    Canal is {channel}
    Status is not {status}
    Tags excludes routed_{i}
    custom_fields_{field} is tier_{tier}
    any {{
      Priority > Normal
      Subject contains "refund {i}"
    }}
  }}
  then {{
    Tags += routed_{i}
    Priority = High
    notify group {group} "Ticket {{{{ticket.id}}}} needs you" "Routed by trigger {i}"
  }}
}}
"#,
        cat = i % 20,
        group = 360_000_000 + i % 50,
        field = 4_612_925_021_000u64 + (i % 30) as u64,
        tier = i % 3,
    )
}

fn json_trigger(i: usize) -> serde_json::Value {
    serde_json::json!({
        "id": i, "title": format!("Route {i}"), "active": true, "position": i,
        "category_id": (i % 20).to_string(),
        "conditions": {
            "all": [
                {"field": "update_type", "operator": "is", "value": "Change"},
                {"field": "group_id", "operator": "is", "value": (360_000_000 + i % 50).to_string()},
                {"field": "via_id", "operator": "is", "value": "75"},
                {"field": "status", "operator": "is_not", "value": "open"},
                {"field": "current_tags", "operator": "not_includes", "value": format!("routed_{i}")},
                {"field": format!("custom_fields_{}", 4_612_925_021_000u64 + (i % 30) as u64), "operator": "is", "value": format!("tier_{}", i % 3)}
            ],
            "any": [
                {"field": "priority", "operator": "greater_than", "value": "normal"},
                {"field": "subject_includes_word", "operator": "includes", "value": format!("refund {i}")}
            ]
        },
        "actions": [
            {"field": "current_tags", "value": format!("routed_{i}")},
            {"field": "priority", "value": "high"},
            {"field": "notification_group", "value": [(360_000_000 + i % 50).to_string(), "Ticket {{ticket.id}} needs you", format!("Routed by trigger {i}")]}
        ]
    })
}

/// The median of `RUNS` timings of `f`.
fn median(mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn main() {
    let text: String = (0..TRIGGERS).map(trigger).collect();
    let json = serde_json::to_string(&serde_json::json!({
        "triggers": (0..TRIGGERS).map(json_trigger).collect::<Vec<_>>()
    }))
    .expect("serialisable");
    let source = declic::Source::new("bench.declic", text.clone());

    let checked = declic::check(std::slice::from_ref(&source));
    assert_eq!(
        checked.rules.triggers.len(),
        TRIGGERS,
        "{:?}",
        checked.diagnostics.first()
    );

    let baseline = median(|| {
        black_box(serde_json::from_str::<serde_json::Value>(black_box(&json)).expect("valid"));
    });
    let parse = median(|| {
        black_box(declic::syntax::parse(black_box(&text)).expect("valid"));
    });
    let check = median(|| {
        black_box(declic::check(black_box(std::slice::from_ref(&source))));
    });

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let ratio = |d: Duration| d.as_secs_f64() / baseline.as_secs_f64();
    println!(
        "check of {TRIGGERS} triggers ({} KiB of rules), median of {RUNS} runs",
        text.len() / 1024
    );
    println!("{:<44} {:>10} {:>12}", "", "time (ms)", "vs baseline");
    println!(
        "{:<44} {:>10.1} {:>11.2}x",
        "baseline: serde_json reads the same as API JSON",
        ms(baseline),
        1.0
    );
    println!(
        "{:<44} {:>10.1} {:>11.2}x",
        "declic parse (text to syntax tree)",
        ms(parse),
        ratio(parse)
    );
    println!(
        "{:<44} {:>10.1} {:>11.2}x",
        "declic check (parse, resolve, diagnose)",
        ms(check),
        ratio(check)
    );
    println!(
        "target: check under 200 ms -> {}",
        if ms(check) < 200.0 { "met" } else { "NOT met" }
    );
}
