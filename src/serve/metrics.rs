//! The server's metrics, written as Prometheus text for `GET /metrics`: requests and
//! their latency by route, events run, firings by trigger, errors by code, reloads.
//!
//! Written by hand: a handful of counters and one histogram do not need a metrics
//! library, and the text format is a few lines of `format!`.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};
use std::time::Duration;

/// The upper bounds of the latency histogram's buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// Counters shared by every request.
#[derive(Default)]
pub struct Metrics {
    /// Requests by route and status.
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    /// Latency by route.
    latency: Mutex<BTreeMap<String, Histogram>>,
    /// Events run, in single requests and streams.
    events: AtomicU64,
    /// Errors answered, and bad lines of streams, by code.
    errors: Mutex<BTreeMap<&'static str, u64>>,
    /// Reloads whose files replaced the rules.
    reloads_applied: AtomicU64,
    /// Reloads whose files were refused.
    reloads_refused: AtomicU64,
}

#[derive(Default, Clone)]
struct Histogram {
    /// Observations at or below each bound of [`BUCKETS`].
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Metrics {
    /// Counts one answered request.
    pub fn request(&self, route: &str, status: u16, took: Duration) {
        if let Ok(mut requests) = self.requests.lock() {
            *requests.entry((route.to_owned(), status)).or_default() += 1;
        }
        if let Ok(mut latency) = self.latency.lock() {
            let histogram = latency.entry(route.to_owned()).or_default();
            let seconds = took.as_secs_f64();
            for (count, bound) in histogram.counts.iter_mut().zip(BUCKETS) {
                *count += u64::from(seconds <= bound);
            }
            histogram.count += 1;
            histogram.sum += seconds;
        }
    }

    /// Counts `n` events run.
    pub fn events(&self, n: u64) {
        self.events.fetch_add(n, Ordering::Relaxed);
    }

    /// Counts one error of code `code`.
    pub fn error(&self, code: &'static str) {
        if let Ok(mut errors) = self.errors.lock() {
            *errors.entry(code).or_default() += 1;
        }
    }

    /// Counts one reload.
    pub fn reload(&self, applied: bool) {
        let counter = if applied {
            &self.reloads_applied
        } else {
            &self.reloads_refused
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The Prometheus text of every metric; `sets` gives each rule set's account (if
    /// any), version and firings.
    pub fn text<'a>(&self, sets: impl Iterator<Item = Set<'a>>) -> String {
        let mut out = String::new();
        header(
            &mut out,
            "declic_requests_total",
            "counter",
            "HTTP requests answered, by route and status.",
        );
        for ((route, status), n) in locked(&self.requests) {
            let _ = writeln!(
                out,
                "declic_requests_total{{route=\"{}\",status=\"{status}\"}} {n}",
                escape(&route)
            );
        }
        header(
            &mut out,
            "declic_request_duration_seconds",
            "histogram",
            "Time to answer a request (to the head of a streamed answer), by route.",
        );
        for (route, h) in locked(&self.latency) {
            let route = escape(&route);
            for (bound, count) in BUCKETS.iter().zip(h.counts) {
                let _ = writeln!(out, "declic_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {count}");
            }
            let name = "declic_request_duration_seconds";
            let _ = writeln!(
                out,
                "{name}_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(out, "{name}_sum{{route=\"{route}\"}} {}", h.sum);
            let _ = writeln!(out, "{name}_count{{route=\"{route}\"}} {}", h.count);
        }
        header(&mut out, "declic_events_total", "counter", "Events run.");
        let _ = writeln!(
            out,
            "declic_events_total {}",
            self.events.load(Ordering::Relaxed)
        );
        header(
            &mut out,
            "declic_errors_total",
            "counter",
            "Errors answered and bad stream lines, by code.",
        );
        for (code, n) in locked(&self.errors) {
            let _ = writeln!(out, "declic_errors_total{{code=\"{code}\"}} {n}");
        }
        header(
            &mut out,
            "declic_reloads_total",
            "counter",
            "Reloads of the rules, by result.",
        );
        for (result, counter) in [
            ("applied", &self.reloads_applied),
            ("refused", &self.reloads_refused),
        ] {
            let _ = writeln!(
                out,
                "declic_reloads_total{{result=\"{result}\"}} {}",
                counter.load(Ordering::Relaxed)
            );
        }
        let sets: Vec<Set<'a>> = sets.collect();
        header(
            &mut out,
            "declic_rules_info",
            "gauge",
            "The version of the rules served.",
        );
        for set in &sets {
            let _ = writeln!(
                out,
                "declic_rules_info{{{}version=\"{}\"}} 1",
                set.account_label(),
                set.version
            );
        }
        header(
            &mut out,
            "declic_firings_total",
            "counter",
            "Triggers fired, by trigger.",
        );
        for set in &sets {
            for (title, n) in set.firings.counts() {
                let _ = writeln!(
                    out,
                    "declic_firings_total{{{}trigger=\"{}\"}} {n}",
                    set.account_label(),
                    escape(&title)
                );
            }
        }
        out
    }
}

/// What the metrics show of one rule set.
pub struct Set<'a> {
    /// Its account, under `--accounts`.
    pub account: Option<&'a str>,
    /// The version served.
    pub version: &'a str,
    /// Its firings.
    pub firings: &'a Firings,
}

impl Set<'_> {
    fn account_label(&self) -> String {
        self.account
            .map(|a| format!("account=\"{}\",", escape(a)))
            .unwrap_or_default()
    }
}

/// How often each trigger of a rule set fired, by title, across its versions: a read lock
/// and an atomic add on the hot path; the write lock only for a title never seen.
#[derive(Default)]
pub struct Firings {
    counts: RwLock<HashMap<Box<str>, AtomicU64>>,
}

impl Firings {
    /// Counts one firing of `title`.
    pub fn fired(&self, title: &str) {
        if let Ok(counts) = self.counts.read() {
            if let Some(n) = counts.get(title) {
                n.fetch_add(1, Ordering::Relaxed);
                return;
            }
        }
        if let Ok(mut counts) = self.counts.write() {
            counts
                .entry(title.into())
                .or_default()
                .fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Every count, by title.
    fn counts(&self) -> BTreeMap<String, u64> {
        self.counts
            .read()
            .map(|counts| {
                counts
                    .iter()
                    .map(|(title, n)| (title.to_string(), n.load(Ordering::Relaxed)))
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

fn locked<T: Clone + Default>(mutex: &Mutex<T>) -> T {
    mutex.lock().map(|m| m.clone()).unwrap_or_default()
}

/// A label value as Prometheus reads it: backslash, quote and newline escaped.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_counts_what_happened() {
        let metrics = Metrics::default();
        metrics.request("/v1/run", 200, Duration::from_millis(2));
        metrics.request("/v1/run", 200, Duration::from_millis(200));
        metrics.error("declic::invalid_event");
        let firings = Firings::default();
        firings.fired("A \"quoted\" title");
        firings.fired("A \"quoted\" title");
        let set = Set {
            account: Some("acme"),
            version: "0123",
            firings: &firings,
        };
        let text = metrics.text(std::iter::once(set));
        for line in [
            "declic_requests_total{route=\"/v1/run\",status=\"200\"} 2",
            "declic_request_duration_seconds_bucket{route=\"/v1/run\",le=\"0.0025\"} 1",
            "declic_request_duration_seconds_bucket{route=\"/v1/run\",le=\"0.25\"} 2",
            "declic_request_duration_seconds_count{route=\"/v1/run\"} 2",
            "declic_errors_total{code=\"declic::invalid_event\"} 1",
            "declic_rules_info{account=\"acme\",version=\"0123\"} 1",
            "declic_firings_total{account=\"acme\",trigger=\"A \\\"quoted\\\" title\"} 2",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} in:\n{text}");
        }
        // The near miss: a bucket below the fastest request counts none.
        assert!(text.contains("le=\"0.001\"} 0"), "{text}");
    }
}
