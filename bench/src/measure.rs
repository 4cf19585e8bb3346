//! Timing and the table: every row is measured in the same run as the row it is compared
//! with, so the ratios hold whatever the machine.

use std::time::{Duration, Instant};

use serde::Serialize;

/// The median time of each of `jobs` over `runs` rounds, with what each returned in the
/// last round (so that the work cannot be optimised away and rows can be checked to
/// agree). A round runs every job once, in turn: on a shared machine a slow spell then
/// falls on all the rows it compares, not on whichever row was being measured.
pub fn medians<T, const N: usize>(
    runs: usize,
    mut jobs: [&mut dyn FnMut() -> T; N],
) -> [(Duration, T); N] {
    let mut times: [Vec<Duration>; N] = std::array::from_fn(|_| Vec::with_capacity(runs));
    let mut last: [Option<T>; N] = std::array::from_fn(|_| None);
    for _ in 0..runs.max(1) {
        for (i, job) in jobs.iter_mut().enumerate() {
            let start = Instant::now();
            let out = std::hint::black_box(job());
            times[i].push(start.elapsed());
            last[i] = Some(out);
        }
    }
    std::array::from_fn(|i| {
        times[i].sort();
        let out = last[i].take().expect("at least one round");
        (times[i][times[i].len() / 2], out)
    })
}

/// The median of `runs` timings of one job, with what it returned last.
pub fn median<T>(runs: usize, mut job: impl FnMut() -> T) -> (Duration, T) {
    let [only] = medians(runs, [&mut job]);
    only
}

/// One row of the table.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Which section: `a-eval`, `a-e2e`, ...
    pub section: String,
    /// What was measured.
    pub name: String,
    /// Items (events) per second, for throughput rows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_second: Option<f64>,
    /// The time of one item or of the whole job, in microseconds.
    pub micros: f64,
    /// This row's figure against its section's reference (how many times faster than
    /// the reference for throughput; how many times slower for times).
    pub ratio: f64,
    /// What the ratio is against.
    pub against: String,
    /// The most heap memory the job held at once, where it was measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peak_bytes: Option<usize>,
}

/// A throughput row: `items` processed in `time`, with its ratio to `reference` (events per
/// second of the reference row).
pub fn throughput(
    section: &str,
    name: &str,
    items: usize,
    time: Duration,
    reference: Option<(&str, f64)>,
) -> Row {
    let per_second = items as f64 / time.as_secs_f64();
    let (against, ratio) = match reference {
        Some((name, base)) => (name.to_owned(), per_second / base),
        None => (name.to_owned(), 1.0),
    };
    Row {
        section: section.to_owned(),
        name: name.to_owned(),
        per_second: Some(per_second),
        micros: time.as_secs_f64() * 1e6 / items as f64,
        ratio,
        against,
        peak_bytes: None,
    }
}

/// The rows as one table.
pub fn table(rows: &[Row]) -> String {
    let mut out = format!(
        "{:<8} {:<46} {:>14} {:>12} {:>9} {:>10}  {}\n",
        "section", "row", "events/s", "µs each", "ratio", "peak heap", "against"
    );
    for r in rows {
        let per_second = r
            .per_second
            .map_or_else(|| "-".to_owned(), |p| format!("{p:.0}"));
        let peak = r.peak_bytes.map_or_else(
            || "-".to_owned(),
            |b| format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)),
        );
        out.push_str(&format!(
            "{:<8} {:<46} {:>14} {:>12.3} {:>8.2}× {:>10}  {}\n",
            r.section, r.name, per_second, r.micros, r.ratio, peak, r.against
        ));
    }
    out
}
