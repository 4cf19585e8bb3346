//! Section f: `declic diff` beside `declic run` on the same NDJSON file, as users run them
//! (the release binary, output to /dev/null). A diff runs every event through two rule
//! sets, so half of `run`'s throughput is what doing the work twice costs; the event is
//! read once, which a diff gains back.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::measure::{medians, throughput, Row};

/// The recipe the new version drops: removing a trigger file is a common change, and this
/// one's surveys make differences on real events.
const DROPPED: &str = "7-csat-fin-de-session.declic";

pub fn rows(quick: bool) -> Result<Vec<Row>, String> {
    let n = if quick { 20_000 } else { 100_000 };
    eprintln!("f: declic diff beside declic run on an NDJSON file of {n} events...");
    let declic = crate::stream::binary()?;
    let dir = std::env::temp_dir().join(format!("declic-bench-diff-{}", std::process::id()));
    let new = changed_recipes(&dir)?;
    let file = dir.join("events.ndjson");
    std::fs::write(&file, crate::events::generate(n, 29).join("\n") + "\n")
        .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    let old = crate::root().join("recipes/fr");
    let measured = medians::<Result<(), String>, 4>(
        3,
        [
            &mut || declic_on(&declic, &["run".as_ref(), old.as_os_str()], &file, None),
            &mut || {
                declic_on(
                    &declic,
                    &["diff".as_ref(), old.as_os_str(), new.as_os_str()],
                    &file,
                    None,
                )
            },
            &mut || declic_on(&declic, &["run".as_ref(), old.as_os_str()], &file, Some(1)),
            &mut || {
                declic_on(
                    &declic,
                    &["diff".as_ref(), old.as_os_str(), new.as_os_str()],
                    &file,
                    Some(1),
                )
            },
        ],
    );
    let _ = std::fs::remove_dir_all(&dir);
    for (_, outcome) in &measured {
        outcome.clone()?;
    }
    let [run, diff, run_one, diff_one] = measured.map(|(time, _)| time);
    let all = ("declic run, all cores", n as f64 / run.as_secs_f64());
    let one = ("declic run --threads 1", n as f64 / run_one.as_secs_f64());
    Ok(vec![
        throughput("f-diff", all.0, n, run, None),
        throughput("f-diff", "declic diff, all cores", n, diff, Some(all)),
        throughput("f-diff", one.0, n, run_one, None),
        throughput("f-diff", "declic diff --threads 1", n, diff_one, Some(one)),
    ])
}

/// A copy of the French recipes without [`DROPPED`], in `dir`.
fn changed_recipes(dir: &Path) -> Result<PathBuf, String> {
    let new = dir.join("new");
    std::fs::create_dir_all(&new).map_err(|e| format!("cannot make {}: {e}", new.display()))?;
    let recipes = crate::root().join("recipes/fr");
    let files = std::fs::read_dir(&recipes).map_err(|e| e.to_string())?;
    for entry in files {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.ends_with(".declic") && name != DROPPED {
            std::fs::copy(&path, new.join(name)).map_err(|e| e.to_string())?;
        }
    }
    Ok(new)
}

/// Runs `declic ARGS FILE` (with `--threads` when given), its output discarded.
pub fn declic_on(
    declic: &Path,
    args: &[&std::ffi::OsStr],
    file: &Path,
    threads: Option<usize>,
) -> Result<(), String> {
    let mut cmd = Command::new(declic);
    cmd.args(args).arg(file).stdout(Stdio::null());
    if let Some(t) = threads {
        cmd.args(["--threads", &t.to_string()]);
    }
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run declic: {e}"))?;
    if !status.success() {
        return Err(format!("declic {:?} failed: {status}", args[0]));
    }
    Ok(())
}
