//! declic's benchmark harness. Prints one table whose rows are all measured in this run,
//! each with its ratio to the row it is compared with.
//!
//! ```text
//! cargo run --release -p declic-bench -- --quick          # under a minute
//! cargo run --release -p declic-bench                     # the full run
//! cargo run --release -p declic-bench -- --json rows.json # the rows for tools, too
//! ```

mod alloc;
mod check;
mod diff;
mod events;
mod hand;
mod lsp;
mod measure;
mod peers;
mod routing;
mod rules;
mod serve;
mod simulate;
mod stream;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use datalogic_rs::bumpalo::Bump;
use declic::engine::{Compiled, Snapshot};
use measure::{median, medians, throughput, Row};

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

const USAGE: &str = "\
usage: declic-bench [--quick] [--only SECTIONS] [--json PATH]

  --quick         fewer events and runs: the whole table in under a minute
  --only SECTIONS the sections to run, as letters: `--only c`, `--only ab`, `--only h`
                  (all by default): a evaluation, b rule-set size, c check, d streaming,
                  e serve, f diff, g lsp, h simulate, i routing
  --json PATH     also write the rows as JSON (section, name, per_second, micros, ratio,
                  against, peak_bytes)

Example:
  cargo run --release -p declic-bench -- --quick --json target/bench.json";

/// The sections' letters, in the order the table prints them.
const SECTIONS: &str = "abcdefghi";

struct Options {
    quick: bool,
    sections: String,
    json: Option<PathBuf>,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        quick: false,
        sections: SECTIONS.to_owned(),
        json: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => o.quick = true,
            "--json" => o.json = Some(args.next().ok_or("--json needs a path")?.into()),
            "--only" => {
                o.sections = args.next().ok_or("--only needs sections, as letters")?;
                if let Some(bad) = o.sections.chars().find(|c| !SECTIONS.contains(*c)) {
                    return Err(format!("no section `{bad}`: the sections are {SECTIONS}"));
                }
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(o)
}

fn main() -> ExitCode {
    if let Some(exit) = check::resident_peak_helper() {
        return exit;
    }
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(if e.is_empty() { 0 } else { 2 });
        }
    };
    let runs = |section| o.sections.contains(section);
    let mut rows = Vec::new();
    if runs('a') {
        rows.extend(recipes_on_events(&o));
    }
    if runs('b') {
        rows.extend(rule_set_sizes(&o));
    }
    if runs('c') {
        rows.extend(check::rows(o.quick));
    }
    if runs('d') {
        match stream::rows(o.quick) {
            Ok(more) => rows.extend(more),
            Err(e) => eprintln!("d: skipped: {e}"),
        }
    }
    if runs('e') {
        match serve::rows(o.quick) {
            Ok(more) => rows.extend(more),
            Err(e) => eprintln!("e: failed: {e}"),
        }
    }
    if runs('f') {
        match diff::rows(o.quick) {
            Ok(more) => rows.extend(more),
            Err(e) => eprintln!("f: skipped: {e}"),
        }
    }
    if runs('g') {
        match lsp::rows(o.quick) {
            Ok(more) => rows.extend(more),
            Err(e) => eprintln!("g: failed: {e}"),
        }
    }
    if runs('h') {
        rows.extend(simulate::rows(&simulate::rules(), o.quick));
    }
    if runs('i') {
        rows.extend(routing::rows(o.quick, root()));
    }
    print!("{}", measure::table(&rows));
    if let Some(path) = &o.json {
        let text = serde_json::to_string_pretty(&rows).expect("rows serialise");
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// The recipes rule set, compiled.
fn recipes() -> Compiled {
    let rules = declic::check_path(&root().join("recipes/fr"))
        .into_result()
        .expect("the recipes check");
    Compiled::new(&rules).expect("the recipes compile")
}

/// Section a: the recipes on generated events, evaluation only and end to end.
///
/// Unlike the other sections, the peers are not taken in turn with declic: declic and the
/// hand-written function (in turn) are measured before the peers' data exists, and each
/// peer's data is dropped after its rows. With rhai's scopes and datalogic's arena alive
/// beside it, declic's end-to-end throughput fell from 188,000 to 128,000 events a second
/// in back-to-back runs, while the hand-written row's hardly moved.
fn recipes_on_events(o: &Options) -> Vec<Row> {
    let (n, runs) = if o.quick { (20_000, 3) } else { (100_000, 5) };
    eprintln!("a: the recipes on {n} generated events...");
    let texts = events::generate(n, 7);
    let engine = recipes();
    let ours: Vec<declic::model::Event> = texts
        .iter()
        .map(|t| declic::model::Event::from_json(t).expect("generated events are valid"))
        .collect();
    // declic's own form of an event, as a service that keeps its events so would hold it.
    let snapshots: Vec<Snapshot> = ours.iter().map(Snapshot::new).collect();
    let typed: Vec<hand::Event> = texts
        .iter()
        .map(|t| serde_json::from_str(t).expect("generated events fit the typed struct"))
        .collect();

    let (t_declic, t_hand, fired) = evaluations(&engine, &snapshots, &typed, n, runs);
    eprintln!("   {fired} firings");
    let warm = WARM_EVENTS.min(n);
    let (w_declic, w_hand, _) = evaluations(&engine, &snapshots, &typed, warm, runs);

    let [(e_declic, e_fired), (e_whole, e_whole_fired), (e_hand, e_hand_fired)] = medians(
        runs,
        [
            &mut || {
                texts
                    .iter()
                    .map(|t| engine.changes(t).expect("valid").fired.len())
                    .sum::<usize>()
            },
            &mut || {
                texts
                    .iter()
                    .map(|t| {
                        let e = declic::model::Event::from_json(t).expect("valid");
                        engine.run(&e).fired.len()
                    })
                    .sum::<usize>()
            },
            &mut || {
                texts
                    .iter()
                    .map(|t| hand::run(&serde_json::from_str(t).expect("valid")).1)
                    .sum::<usize>()
            },
        ],
    );
    assert_eq!(
        (e_fired, e_whole_fired, e_hand_fired),
        (fired, fired, fired)
    );

    let [logic, rhai] = [
        jsonlogic_on_events(&texts, runs, fired),
        rhai_on_events(&texts, runs, fired),
    ];
    let mut rows = against_declic(
        "a-eval",
        n,
        [
            ("declic", t_declic),
            ("hand-written Rust (the limit)", t_hand),
            (logic.name, logic.eval),
            (rhai.name, rhai.eval),
        ],
    );
    let warm_name = format!("declic, {warm} events over and over");
    rows.extend(against_declic(
        "a-warm",
        n / warm * warm,
        [
            (&warm_name, w_declic),
            ("hand-written Rust, the same", w_hand),
        ],
    ));
    rows.extend(against_declic(
        "a-e2e",
        n,
        [
            ("declic (JSON text to changes)", e_declic),
            ("declic, the whole outcome with the ticket", e_whole),
            ("hand-written Rust + serde", e_hand),
            (logic.e2e_name, logic.e2e),
            (rhai.e2e_name, rhai.e2e),
        ],
    ));
    rows
}

/// Events that stay in the cache when run over and over: the `a-warm` rows, which say
/// how much of the gap between declic and the hand-written function is memory rather
/// than work.
const WARM_EVENTS: usize = 1_000;

/// The median times of declic and of the hand-written function (taken in turn: both
/// their data is alive anyway) evaluating the first `first` events over and over, as
/// many times as make one evaluation per event; with the number of firings, which the
/// two must agree on. declic's evaluation is the cycle on its snapshot, up to what fired
/// and changed, as the hand-written function's is up to its typed ticket; writing the
/// changes onto the Zendesk ticket is end-to-end work.
fn evaluations(
    engine: &Compiled,
    ours: &[Snapshot],
    typed: &[hand::Event],
    first: usize,
    runs: usize,
) -> (Duration, Duration, usize) {
    let rounds = ours.len() / first.max(1);
    let [(t_declic, fired), (t_hand, hand_fired)] = medians(
        runs,
        [
            &mut || {
                (0..rounds)
                    .flat_map(|_| &ours[..first])
                    .map(|s| engine.cycle(s).fired().len())
                    .sum::<usize>()
            },
            &mut || {
                (0..rounds)
                    .flat_map(|_| &typed[..first])
                    .map(|e| hand::run(e).1)
                    .sum::<usize>()
            },
        ],
    );
    assert_eq!(
        fired, hand_fired,
        "declic and the hand-written recipes disagree"
    );
    (t_declic, t_hand, fired)
}

/// Throughput rows for `n` events, declic's first; the others with their ratio to it.
pub(crate) fn against_declic<const N: usize>(
    section: &str,
    n: usize,
    rows: [(&str, Duration); N],
) -> Vec<Row> {
    let base = n as f64 / rows[0].1.as_secs_f64();
    let rows = rows.into_iter().enumerate();
    rows.map(|(i, (name, time))| {
        let against = (i > 0).then_some(("declic", base));
        throughput(section, name, n, time, against)
    })
    .collect()
}

/// A peer engine's two times on section a: from its own form of the data (evaluation
/// only), and from the JSON text.
struct Peer {
    name: &'static str,
    e2e_name: &'static str,
    eval: Duration,
    e2e: Duration,
}

fn count(fired: peers::Fired) -> usize {
    fired.count_ones() as usize
}

/// The recipes in JSONLogic with datalogic-rs; it must fire as often as declic (`fired`).
fn jsonlogic_on_events(texts: &[String], runs: usize, fired: usize) -> Peer {
    let rules = peers::jsonlogic::JsonLogic::new();
    let arena = Bump::new();
    let data = peers::jsonlogic::prepare(texts, &arena);
    let mut scratch = Bump::new();
    let (eval, n_eval) = median(runs, || {
        data.iter()
            .map(|e| count(rules.run(e, &mut scratch)))
            .sum::<usize>()
    });
    let (e2e, n_e2e) = median(runs, || {
        texts
            .iter()
            .map(|t| count(rules.run_json(t, &mut scratch)))
            .sum::<usize>()
    });
    assert_eq!(
        (n_eval, n_e2e),
        (fired, fired),
        "JSONLogic and declic disagree"
    );
    Peer {
        name: "JSONLogic (datalogic-rs)",
        e2e_name: "JSONLogic (datalogic-rs) from JSON text",
        eval,
        e2e,
    }
}

/// The recipes in rhai; it must fire as often as declic (`fired`).
fn rhai_on_events(texts: &[String], runs: usize, fired: usize) -> Peer {
    let rules = peers::rhai::Rhai::new();
    let mut scopes = peers::rhai::prepare(texts);
    let (eval, n_eval) = median(runs, || {
        scopes
            .iter_mut()
            .map(|e| count(rules.run(e)))
            .sum::<usize>()
    });
    let mut scope = rhai::Scope::new();
    let (e2e, n_e2e) = median(runs, || {
        texts
            .iter()
            .map(|t| count(rules.run_json(t, &mut scope)))
            .sum::<usize>()
    });
    assert_eq!((n_eval, n_e2e), (fired, fired), "rhai and declic disagree");
    Peer {
        name: "rhai",
        e2e_name: "rhai + serde_json",
        eval,
        e2e,
    }
}

/// Section b: time per event as the rule set grows, against the 100-trigger time.
fn rule_set_sizes(o: &Options) -> Vec<Row> {
    let (n, runs) = if o.quick { (5_000, 3) } else { (20_000, 5) };
    eprintln!("b: rule sets of 10 to 7,000 triggers on {n} events...");
    let events: Vec<declic::model::Event> = events::generate(n, 11)
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut e = declic::model::Event::from_json(t).expect("valid");
            // Spread the events over the rule sets' groups.
            std::sync::Arc::make_mut(&mut e.ticket).group_id =
                Some(rules::FIRST_GROUP + i as u64 % rules::GROUPS);
            e
        })
        .collect();
    let sizes = [10, 100, 1_000, 7_000];
    let engines = sizes.map(|size| {
        let source = declic::Source::new("generated.declic", rules::rule_set(size));
        let set = declic::check(std::slice::from_ref(&source))
            .into_result()
            .expect("generated rules check");
        Compiled::new(&set).expect("compiles")
    });
    let events = &events;
    let mut jobs = engines
        .each_ref()
        .map(|engine| move || -> usize { events.iter().map(|e| engine.run(e).fired.len()).sum() });
    let times = medians(
        runs,
        jobs.each_mut().map(|job| job as &mut dyn FnMut() -> usize),
    );
    let micros = times.map(|(time, _)| time.as_secs_f64() * 1e6 / n as f64);
    let reference = micros[1];
    sizes
        .iter()
        .zip(&micros)
        .map(|(size, &micros)| Row {
            section: "b-size".to_owned(),
            name: format!("{size} triggers"),
            per_second: Some(1e6 / micros),
            micros,
            ratio: micros / reference,
            against: "time per event with 100 triggers".to_owned(),
            peak_bytes: None,
        })
        .collect()
}
