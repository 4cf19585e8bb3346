//! Section c: checking a rule file of Zendesk's maximum size (7,000 active triggers),
//! beside the cheapest way to merely read the same triggers: serde_json parsing them as
//! the API's JSON (written by declic's own export, so both hold the same rules).

use declic::interop::export;
use declic::interop::zendesk_json::RuleKind;
use declic::lint::{self, Config, Known};
use declic::Source;
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};

use crate::alloc::peak_during;
use crate::measure::{medians, Row};
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
    let json = export::document(&export::export(&rules, None), Some(RuleKind::Trigger));

    let check_and_lint = || {
        let checked = declic::check(&sources);
        lint::lint(&checked.rules, &Config::default(), &Known::default()).len()
    };
    let binary = BinaryCheck::new(text);
    let measured = medians::<usize, 5>(
        runs,
        [
            &mut || usize::from(serde_json::from_str::<serde_json::Value>(&json).is_ok()),
            &mut || usize::from(declic::syntax::parse(text).is_ok()),
            &mut || declic::check(&sources).rules.triggers.len(),
            &mut || check_and_lint(),
            &mut || binary.as_ref().map_or(0, |b| usize::from(b.run())),
        ],
    );
    let [baseline, parse, check, linted, process] = measured.map(|(time, _)| time);
    let (_, peak) = peak_during(check_and_lint);
    let resident = binary.as_ref().ok().and_then(BinaryCheck::resident_peak);

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
    // The binary's job returns 1 when its last check succeeded.
    let succeeded = binary.and_then(|_| match measured[4].1 {
        1 => Ok(()),
        _ => Err("`declic check` failed on the generated file".to_owned()),
    });
    match succeeded {
        Ok(()) => rows.push(row(
            "`declic check`, whole process (peak: RSS)",
            process,
            resident,
        )),
        Err(e) => eprintln!("   the binary's row is skipped: {e}"),
    }
    rows
}

/// The release binary checking the file as users run it: the process, its allocator
/// (mimalloc, where the rows above run on the system's) and its output included.
struct BinaryCheck {
    declic: PathBuf,
    /// Holds the file; removed when the check is dropped.
    dir: PathBuf,
}

impl BinaryCheck {
    /// Builds the binary and writes `text` where it can check it.
    fn new(text: &str) -> Result<BinaryCheck, String> {
        let declic = crate::stream::binary()?;
        let dir = std::env::temp_dir().join(format!("declic-bench-check-{}", std::process::id()));
        let cannot = |e: std::io::Error| format!("cannot write {}: {e}", dir.display());
        std::fs::create_dir_all(&dir).map_err(cannot)?;
        std::fs::write(dir.join("generated.declic"), text).map_err(cannot)?;
        Ok(BinaryCheck { declic, dir })
    }

    /// Checks the file once; whether `declic check` succeeded.
    fn run(&self) -> bool {
        let status = Command::new(&self.declic)
            .arg("check")
            .arg(&self.dir)
            .stdout(Stdio::null())
            .status();
        status.is_ok_and(|s| s.success())
    }

    /// The most memory one run of the binary held resident (its heap on mimalloc, its
    /// code and stacks), in bytes; not timed.
    ///
    /// A child's peak as `wait4` reports it also counts the memory of the process it was
    /// started from, which Linux records when the child replaces itself with the binary:
    /// started from this harness, holding the JSON and the rules, that would be the
    /// harness's peak. So a fresh, small copy of the harness starts the binary and reports
    /// its peak ([`resident_peak_helper`]).
    fn resident_peak(&self) -> Option<usize> {
        let harness = std::env::current_exe().ok()?;
        let out = Command::new(harness)
            .arg(RESIDENT_PEAK_OF)
            .arg(&self.declic)
            .arg("check")
            .arg(&self.dir)
            .stderr(Stdio::null())
            .output()
            .ok()?;
        String::from_utf8(out.stdout).ok()?.trim().parse().ok()
    }
}

/// The argument that makes the harness the small starter of [`BinaryCheck::resident_peak`].
const RESIDENT_PEAK_OF: &str = "--resident-peak-of";

/// When the harness was started as `declic-bench --resident-peak-of PROGRAM ARGS...`:
/// runs the program, prints its peak resident memory in bytes, and says how to exit
/// (with failure when the program could not run or failed).
pub fn resident_peak_helper() -> Option<ExitCode> {
    let mut args = std::env::args_os().skip(1);
    if args.next()? != RESIDENT_PEAK_OF {
        return None;
    }
    let program = args.next()?;
    let child = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .spawn();
    match child.ok().and_then(|c| wait_with_peak(&c)) {
        Some((true, peak)) => {
            println!("{peak}");
            Some(ExitCode::SUCCESS)
        }
        _ => Some(ExitCode::FAILURE),
    }
}

/// Waits for `child` with `wait4`: whether it exited with success, and its peak resident
/// set in bytes.
fn wait_with_peak(child: &std::process::Child) -> Option<(bool, usize)> {
    let pid = libc::pid_t::try_from(child.id()).ok()?;
    let mut status = 0;
    // SAFETY: `rusage` is plain integers, for which all zeroes is a value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is this process's own child, not yet waited for (std waits only
        // when asked), and both pointers are to live locals of the right types.
        let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if waited == pid {
            break;
        }
        if std::io::Error::last_os_error().kind() != std::io::ErrorKind::Interrupted {
            return None;
        }
    }
    let succeeded = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    // Linux gives `ru_maxrss` in KiB.
    let kib = usize::try_from(usage.ru_maxrss).ok()?;
    Some((succeeded, kib * 1024))
}

impl Drop for BinaryCheck {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
