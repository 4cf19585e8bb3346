//! `declic fmt`: rewrites rule files in the canonical layout, or, with `--check`, shows
//! what it would change.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use declic::diagnostics::render;
use declic::{Code, Diagnostic, Source};
use serde_json::json;

use super::output::{self, Format};
use super::Exit;

const EXAMPLES: &str = "\
Examples:
  declic fmt recipes/                        rewrite every .declic file below recipes/
  declic fmt --check rules/                  print a diff of each file not yet formatted (CI)
  declic fmt --check rules/ --format json    list the files that would change

Each PATH is a file, or a directory whose .declic files (hidden folders aside) are formatted
one by one. A file is rewritten only when its layout changes, through a temporary file in
the same directory renamed over it: an interrupted run never leaves a half-written file.
A file with syntax errors is left untouched and its errors are reported.

Exit codes:
  0  every file is formatted (with --check: no file would change)
  1  with --check, a file would change; or a file has syntax errors
  2  bad arguments, or a path that cannot be read or written";

/// Format rule files: one layout, comments kept, every name in its author's language.
#[derive(Debug, clap::Args)]
#[command(after_help = EXAMPLES)]
pub struct Args {
    /// Rule files or directories.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Write nothing: print a unified diff of each file that would change, and exit 1 if
    /// any would.
    #[arg(long)]
    check: bool,
    /// How to report: diagnostics as text (`human`, `plain`), or one JSON document.
    #[arg(long, value_enum, default_value_t = Format::Auto)]
    format: Format,
}

/// What a run did, file by file.
#[derive(Default)]
struct Report {
    files: usize,
    /// The files that changed (or would, under `--check`), with their diffs.
    changed: Vec<(String, String)>,
    diagnostics: Vec<Diagnostic>,
}

/// Runs the command.
pub fn run(args: Args) -> Exit {
    let mut report = Report::default();
    for path in &args.paths {
        match declic::load::rule_files(path) {
            Ok(files) => {
                for file in files {
                    report.file(&file, &args);
                }
            }
            Err(e) => report.diagnostics.push(declic::load::unreadable(path, &e)),
        }
    }
    report.show(&args);
    report.exit(args.check)
}

impl Report {
    /// Formats one file: its diff under `--check`, else rewritten when it changes.
    fn file(&mut self, path: &Path, args: &Args) {
        self.files += 1;
        let source = match read(path) {
            Ok(source) => source,
            Err(d) => return self.diagnostics.push(*d),
        };
        let formatted = match declic::format::format(&source) {
            Ok(formatted) if formatted == source.text => return,
            Ok(formatted) => formatted,
            Err(diagnostics) => return self.diagnostics.extend(diagnostics),
        };
        if !args.check {
            if let Err(e) = rewrite(path, &source, &formatted) {
                return self.diagnostics.push(e.to_diagnostic(&source.name));
            }
        }
        // Only `--check` shows diffs, and JSON lists names alone.
        let diff = if args.check && args.format != Format::Json {
            diff(&source, &formatted)
        } else {
            String::new()
        };
        self.changed.push((source.name.clone(), diff));
    }

    fn show(&self, args: &Args) {
        if args.format == Format::Json {
            let changed: Vec<&str> = self.changed.iter().map(|(name, _)| name.as_str()).collect();
            let report = json!({
                "check": args.check,
                "changed": changed,
                "diagnostics": self.diagnostics.iter().map(render::json).collect::<Vec<_>>(),
                "summary": { "files": self.files, "changed": changed.len(), "errors": self.diagnostics.len() },
            });
            output::emit(&format!("{report:#}\n"));
            return;
        }
        for (name, diff) in &self.changed {
            if args.check {
                output::emit(diff);
            } else {
                output::emit(&format!("formatted {name}\n"));
            }
        }
        if !self.diagnostics.is_empty() {
            let style = match args.format {
                Format::Auto => output::stderr_style(),
                format => format.style(),
            };
            eprintln!("{}", output::text(&self.diagnostics, style));
        }
    }

    fn exit(&self, check: bool) -> Exit {
        let cannot_run = self
            .diagnostics
            .iter()
            .any(|d| d.code.is_unreadable() || d.code == Code::Unwritable);
        if cannot_run {
            Exit::Usage
        } else if !self.diagnostics.is_empty() || (check && !self.changed.is_empty()) {
            Exit::Problems
        } else {
            Exit::Ok
        }
    }
}

fn read(path: &Path) -> Result<Arc<Source>, Box<Diagnostic>> {
    let bytes =
        declic::load::read_file(path).map_err(|e| Box::new(declic::load::unreadable(path, &e)))?;
    declic::load::decode(path, bytes)
}

/// The unified diff from `source` to `formatted`. Diffing is quadratic at worst: past a
/// second, the diff is coarser (larger hunks), never wrong.
fn diff(source: &Source, formatted: &str) -> String {
    similar::TextDiff::configure()
        .timeout(Duration::from_secs(1))
        .diff_lines(source.text.as_str(), formatted)
        .unified_diff()
        .header(&source.name, &source.name)
        .to_string()
}

/// Why a file was not rewritten.
enum Refusal {
    /// The file's mode forbids writing it.
    ReadOnly,
    /// Another program changed the file after `fmt` read it: writing would lose that.
    ChangedSinceRead,
    /// The system refused.
    Io(std::io::Error),
}

impl From<std::io::Error> for Refusal {
    fn from(e: std::io::Error) -> Refusal {
        Refusal::Io(e)
    }
}

impl Refusal {
    fn to_diagnostic(&self, name: &str) -> Diagnostic {
        let (reason, help) = match self {
            Refusal::ReadOnly => (
                "the file is read-only".to_string(),
                "make it writable (`chmod u+w`) if it should be formatted",
            ),
            Refusal::ChangedSinceRead => (
                "another program changed it while it was being formatted".to_string(),
                "run `declic fmt` again once the other program is done",
            ),
            Refusal::Io(e) => (declic::load::io_reason(e), "the file is left as it was"),
        };
        Diagnostic::error(Code::Unwritable, format!("cannot write `{name}`: {reason}"))
            .in_file(name.to_string())
            .help(help)
    }
}

/// Replaces the text of the file at `path` (for a symbolic link, of the file it points to)
/// with `formatted`, unless its mode forbids it or it changed since `source` was read.
///
/// The file is written to a temporary file beside it, given the file's mode and owner,
/// synced, and renamed over it: readers and crashes see the old text or the new, never a
/// part. A file with several hard links is written in place instead, as a rename would
/// split it from its other names; so is a file whose owner only the superuser could give
/// the new one. Either way the file's text is read again just before: what another
/// program wrote meanwhile is never overwritten.
fn rewrite(path: &Path, source: &Source, formatted: &str) -> Result<(), Refusal> {
    let target = std::fs::canonicalize(path)?;
    let meta = std::fs::metadata(&target)?;
    if meta.permissions().readonly() {
        return Err(Refusal::ReadOnly);
    }
    let unchanged = || match read(&target) {
        Ok(now) if now.text == source.text => Ok(()),
        _ => Err(Refusal::ChangedSinceRead),
    };
    let dir = target.parent().unwrap_or(Path::new("."));
    // The name starts with a dot, so that a concurrent directory walk skips it.
    let mut temp = tempfile::Builder::new()
        .prefix(".declic-fmt-")
        .tempfile_in(dir)?;
    if links(&meta) > 1 || !same_owner(temp.as_file(), &meta) {
        drop(temp);
        unchanged()?;
        return write_in_place(&target, formatted);
    }
    temp.write_all(formatted.as_bytes())?;
    temp.as_file().set_permissions(meta.permissions())?;
    temp.as_file().sync_all()?;
    unchanged()?;
    temp.persist(&target).map_err(|e| e.error)?;
    // The rename is durable once the directory is synced; where a directory cannot be
    // opened for syncing (Windows), the rename stands all the same.
    if let Ok(dir) = std::fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

fn write_in_place(target: &Path, formatted: &str) -> Result<(), Refusal> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(target)?;
    file.write_all(formatted.as_bytes())?;
    file.sync_all()?;
    Ok(())
}

#[cfg(unix)]
fn links(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

#[cfg(not(unix))]
fn links(_: &std::fs::Metadata) -> u64 {
    1
}

/// Gives the new file the old one's owner and group; false when the system refuses (only
/// the superuser may give a file away).
#[cfg(unix)]
fn same_owner(file: &std::fs::File, meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid())).is_ok()
}

#[cfg(not(unix))]
fn same_owner(_: &std::fs::File, _: &std::fs::Metadata) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changed_since_it_was_read_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rules.declic");
        std::fs::write(&path, "trigger \"A\" {}").unwrap();
        let source = read(&path).unwrap();
        // Another program writes the file between fmt's read and its write.
        std::fs::write(&path, "trigger \"B\" {}").unwrap();
        let refused = rewrite(&path, &source, "trigger \"A\" {\n}\n");
        assert!(matches!(refused, Err(Refusal::ChangedSinceRead)));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "trigger \"B\" {}");
        // Unchanged, it is rewritten.
        let source = read(&path).unwrap();
        assert!(rewrite(&path, &source, "trigger \"B\" {\n}\n").is_ok());
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "trigger \"B\" {\n}\n"
        );
    }
}
