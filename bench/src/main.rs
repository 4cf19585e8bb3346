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
mod events;
mod hand;
mod measure;
mod peers;
mod rules;
mod stream;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use datalogic_rs::bumpalo::Bump;
use declic::engine::Compiled;
use measure::{medians, throughput, Row};

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

const USAGE: &str = "\
usage: declic-bench [--quick] [--only SECTIONS] [--json PATH]

  --quick         fewer events and runs: the whole table in under a minute
  --only SECTIONS the sections to run, as letters: `--only c`, `--only ab` (all by default)
  --json PATH     also write the rows as JSON (section, name, per_second, micros, ratio,
                  against, peak_bytes)

Example:
  cargo run --release -p declic-bench -- --quick --json target/bench.json";

struct Options {
    quick: bool,
    sections: String,
    json: Option<PathBuf>,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        quick: false,
        sections: "abcd".to_owned(),
        json: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => o.quick = true,
            "--json" => o.json = Some(args.next().ok_or("--json needs a path")?.into()),
            "--only" => {
                o.sections = args.next().ok_or("--only needs sections, as letters")?;
                if let Some(bad) = o.sections.chars().find(|c| !"abcd".contains(*c)) {
                    return Err(format!(
                        "no section `{bad}`: the sections are a, b, c and d"
                    ));
                }
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(o)
}

fn main() -> ExitCode {
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

/// The rows of section a, in the order [`recipes_on_events`] measures them.
const EVAL_ROWS: [&str; 4] = [
    "declic",
    "hand-written Rust (the limit)",
    "JSONLogic (datalogic-rs)",
    "rhai",
];
const E2E_ROWS: [&str; 4] = [
    "declic (JSON text to outcome)",
    "hand-written Rust + serde",
    "JSONLogic (datalogic-rs) from JSON text",
    "rhai + serde_json",
];

/// Section a: the recipes on generated events, evaluation only (each engine's data already
/// in its own form) and end to end (from the JSON text). Every engine must fire as often
/// as declic.
fn recipes_on_events(o: &Options) -> Vec<Row> {
    let (n, runs) = if o.quick { (20_000, 3) } else { (100_000, 5) };
    eprintln!("a: the recipes on {n} generated events...");
    let texts = events::generate(n, 7);
    let engine = recipes();
    let logic = peers::jsonlogic::JsonLogic::new();
    let script = peers::rhai::Rhai::new();

    let ours: Vec<declic::model::Event> = texts
        .iter()
        .map(|t| declic::model::Event::from_json(t).expect("generated events are valid"))
        .collect();
    let typed: Vec<hand::Event> = texts
        .iter()
        .map(|t| serde_json::from_str(t).expect("generated events fit the typed struct"))
        .collect();
    let arena = Bump::new();
    let logic_data = peers::jsonlogic::prepare(&texts, &arena);
    let mut scopes = peers::rhai::prepare(&texts);
    let (mut scratch, mut json_scratch) = (Bump::new(), Bump::new());
    let mut json_scope = rhai::Scope::new();

    eprintln!("   evaluation only...");
    let eval = medians::<usize, 4>(
        runs,
        [
            &mut || ours.iter().map(|e| engine.run(e).fired.len()).sum(),
            &mut || typed.iter().map(|e| hand::run(e).1).sum(),
            &mut || {
                let data = logic_data.iter();
                data.map(|e| count(logic.run(e, &mut scratch))).sum()
            },
            &mut || scopes.iter_mut().map(|e| count(script.run(e))).sum(),
        ],
    );
    eprintln!("   end to end...");
    let e2e = medians::<usize, 4>(
        runs,
        [
            &mut || {
                let events = texts.iter().map(|t| declic::model::Event::from_json(t));
                events
                    .map(|e| engine.run(&e.expect("valid")).fired.len())
                    .sum()
            },
            &mut || {
                let events = texts
                    .iter()
                    .map(|t| serde_json::from_str(t).expect("valid"));
                events.map(|e| hand::run(&e).1).sum()
            },
            &mut || {
                let texts = texts.iter();
                texts
                    .map(|t| count(logic.run_json(t, &mut json_scratch)))
                    .sum()
            },
            &mut || {
                let texts = texts.iter();
                texts
                    .map(|t| count(script.run_json(t, &mut json_scope)))
                    .sum()
            },
        ],
    );

    let fired = eval[0].1;
    eprintln!("   {fired} firings");
    for (name, (_, count)) in EVAL_ROWS
        .iter()
        .chain(&E2E_ROWS)
        .zip(eval.iter().chain(&e2e))
    {
        assert_eq!(*count, fired, "`{name}` and declic disagree on the firings");
    }
    let mut rows = against_declic("a-eval", n, EVAL_ROWS, eval);
    rows.extend(against_declic("a-e2e", n, E2E_ROWS, e2e));
    rows
}

/// Throughput rows for `n` events, each but declic's own with its ratio to declic's (the
/// first).
fn against_declic(
    section: &str,
    n: usize,
    names: [&str; 4],
    times: [(Duration, usize); 4],
) -> Vec<Row> {
    let base = n as f64 / times[0].0.as_secs_f64();
    let rows = names.into_iter().zip(times).enumerate();
    rows.map(|(i, (name, (time, _)))| {
        let against = (i > 0).then_some(("declic", base));
        throughput(section, name, n, time, against)
    })
    .collect()
}

fn count(fired: peers::Fired) -> usize {
    fired.count_ones() as usize
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
