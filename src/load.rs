//! Reading rule files from disk: a file is a rule set of its own, a directory is one rule set
//! of every `.declic` file below it, ordered by path. Whatever cannot be read becomes a
//! diagnostic naming the file; nothing here panics on bad input.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{Code, Diagnostic, Source};

/// The extension of rule files.
pub const EXTENSION: &str = "declic";

/// The readable files of one rule set, and what could not be read.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The files, in rule-set order.
    pub sources: Vec<Arc<Source>>,
    /// Files that could not be read, directories without rule files.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the rule set at `path`: one file, or every `.declic` file below a directory.
pub fn load(path: &Path) -> Loaded {
    let mut loaded = Loaded::default();
    if path.is_dir() {
        let (files, problem) = find(path, &RULE_FILES);
        loaded.diagnostics.extend(problem);
        for file in files {
            read_into(&file, &mut loaded);
        }
    } else {
        read_into(path, &mut loaded);
    }
    loaded
}

/// A kind of file looked for in folders: rule files, scenario files.
pub(crate) struct FileKind {
    /// How their names end: `.declic`.
    pub(crate) suffix: &'static str,
    /// What they are called, in a help text: `rule files`.
    pub(crate) name: &'static str,
    /// The code of a folder that holds none.
    pub(crate) none: Code,
}

/// Rule files.
const RULE_FILES: FileKind = FileKind {
    suffix: ".declic",
    name: "rule files",
    none: Code::NoRuleFiles,
};

/// Every file of `kind` below `dir`, in path order, and what went wrong: a folder that
/// could not be read, or none of those files at all.
pub(crate) fn find(dir: &Path, kind: &FileKind) -> (Vec<PathBuf>, Option<Diagnostic>) {
    let mut files = Vec::new();
    let problem = match collect(dir, kind.suffix, &mut files) {
        Err(e) => Some(unreadable(dir, &e)),
        Ok(()) if files.is_empty() => Some(
            Diagnostic::error(
                kind.none,
                format!("`{}` holds no `{}` file", dir.display(), kind.suffix),
            )
            .in_file(dir.display().to_string())
            .help(format!("{} end in `{}`", kind.name, kind.suffix)),
        ),
        Ok(()) => None,
    };
    files.sort();
    (files, problem)
}

/// Every file below `dir` whose name ends in `suffix`, hidden files and folders left out.
fn collect(dir: &Path, suffix: &str, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect(&path, suffix, out)?;
        } else if name.ends_with(suffix) {
            out.push(path);
        }
    }
    Ok(())
}

fn read_into(path: &Path, loaded: &mut Loaded) {
    match std::fs::read(path) {
        Ok(bytes) => match decode(path, bytes) {
            Ok(source) => loaded.sources.push(source),
            Err(d) => loaded.diagnostics.push(*d),
        },
        Err(e) => loaded.diagnostics.push(unreadable(path, &e)),
    }
}

/// Reads `bytes` as a rule file's text: UTF-8, an optional byte-order mark dropped.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<Arc<Source>, Box<Diagnostic>> {
    let name = path.display().to_string();
    let sniff = &bytes[..bytes.len().min(8192)];
    if sniff.contains(&0) {
        return Err(Box::new(
            Diagnostic::error(
                Code::BinaryFile,
                format!("`{name}` is a binary file, not a rule file"),
            )
            .in_file(name)
            .help("rule files are UTF-8 text"),
        ));
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(Source::new(name, text))
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let line = prefix.matches('\n').count() + 1;
            let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Err(Box::new(
                Diagnostic::error(
                    Code::NotUtf8,
                    format!(
                        "`{name}` is not UTF-8 text: byte 0x{:02X} at line {line}, column {column}",
                        bytes[valid]
                    ),
                )
                .in_file(name)
                .help("save the file as UTF-8 (it may be Latin-1 or Windows-1252)"),
            ))
        }
    }
}

/// The diagnostic for a path that cannot be read.
pub fn unreadable(path: &Path, error: &std::io::Error) -> Diagnostic {
    let name = path.display().to_string();
    let reason = io_reason(error);
    Diagnostic::error(Code::Unreadable, format!("cannot read `{name}`: {reason}")).in_file(name)
}

/// Why a file operation failed, in the words every message of declic uses.
pub fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => error.to_string(),
    }
}

/// The rule files at `path`: the file itself, or every `.declic` file below a directory
/// (hidden folders left out), in path order. For commands that work file by file.
pub fn rule_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    if !path.is_dir() {
        std::fs::metadata(path)?;
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    collect(path, ".declic", &mut files)?;
    files.sort();
    Ok(files)
}
