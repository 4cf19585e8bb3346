//! `declic fmt`: rewrites rule files in the canonical layout, or, with `--check`, shows
//! what it would change.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
                    report.file(&file, args.check);
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
    fn file(&mut self, path: &Path, check: bool) {
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
        if !check {
            if let Err(e) = write_atomically(path, &formatted) {
                return self.diagnostics.push(unwritable(&source.name, &e));
            }
        }
        let diff = similar::TextDiff::from_lines(&source.text, &formatted)
            .unified_diff()
            .header(&source.name, &source.name)
            .to_string();
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

/// Replaces the file at `path` (or, for a symbolic link, the file it points to) with
/// `text`: written and synced to a temporary file beside it, which is then renamed over
/// it. A rename within a directory is atomic, so readers and crashes see the old file or
/// the new one, never a part of it. The temporary file's name starts with a dot, so a
/// concurrent directory walk skips it.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let permissions = std::fs::metadata(&target)?.permissions();
    let mut temp = tempfile::Builder::new()
        .prefix(".declic-fmt-")
        .tempfile_in(dir)?;
    temp.write_all(text.as_bytes())?;
    temp.as_file().set_permissions(permissions)?;
    temp.as_file().sync_all()?;
    temp.persist(&target).map_err(|e| e.error)?;
    // The rename is durable once the directory is synced; where a directory cannot be
    // opened for syncing (Windows), the rename stands all the same.
    if let Ok(dir) = std::fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

fn unwritable(name: &str, error: &std::io::Error) -> Diagnostic {
    Diagnostic::error(Code::Unwritable, format!("cannot write `{name}`: {error}"))
        .in_file(name.to_string())
        .help("the file is left as it was")
}
