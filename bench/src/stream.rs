//! Section d: `declic run` on an NDJSON file, as users run it (the release binary, output
//! to /dev/null), beside serde_json merely parsing the same lines: the limit of any
//! NDJSON consumer.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::measure::{medians, throughput, Row};

pub fn rows(quick: bool) -> Result<Vec<Row>, String> {
    let n = if quick { 20_000 } else { 100_000 };
    eprintln!("d: declic run on an NDJSON file of {n} events...");
    let declic = binary()?;
    let file = std::env::temp_dir().join(format!("declic-bench-{n}.ndjson"));
    std::fs::write(&file, crate::events::generate(n, 23).join("\n") + "\n")
        .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    // The three ways to read the file, taken in turn by `medians`.
    let measured = medians::<Result<(), String>, 3>(
        3,
        [
            &mut || parse_only(&file),
            &mut || run(&declic, &file, None),
            &mut || run(&declic, &file, Some(1)),
        ],
    );
    let _ = std::fs::remove_file(&file);
    for (_, outcome) in &measured {
        outcome.clone()?;
    }
    let [parse, all, one] = measured.map(|(time, _)| time);
    let base = n as f64 / parse.as_secs_f64();
    let limit = Some(("serde_json parse only", base));
    Ok(vec![
        throughput("d-run", "serde_json parse only (the limit)", n, parse, None),
        throughput("d-run", "declic run, all cores", n, all, limit),
        throughput("d-run", "declic run --threads 1", n, one, limit),
    ])
}

/// The release `declic` beside this harness, built (or brought up to date) first: a stale
/// binary would measure old code.
pub fn binary() -> Result<PathBuf, String> {
    let here = std::env::current_exe().map_err(|e| e.to_string())?;
    let path = here.with_file_name("declic");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .args(["build", "--release", "--quiet", "--bin", "declic"])
        .current_dir(crate::root())
        .status()
        .map_err(|e| format!("cannot build declic: {e}"))?;
    if !status.success() || !path.exists() {
        return Err("build the CLI first: cargo build --release".to_owned());
    }
    Ok(path)
}

fn parse_only(file: &Path) -> Result<(), String> {
    let reader = BufReader::new(std::fs::File::open(file).map_err(|e| e.to_string())?);
    let mut parsed = 0usize;
    for line in reader.lines() {
        let line = line.map_err(|e| e.to_string())?;
        let value: serde_json::Value = serde_json::from_str(&line).map_err(|e| e.to_string())?;
        parsed += usize::from(value.is_object());
    }
    std::hint::black_box(parsed);
    Ok(())
}

fn run(declic: &Path, file: &Path, threads: Option<usize>) -> Result<(), String> {
    let recipes = crate::root().join("recipes/fr");
    crate::diff::declic_on(
        declic,
        &["run".as_ref(), recipes.as_os_str()],
        file,
        threads,
    )
}
