//! Conversion to and from the Zendesk API's JSON: importing triggers and automations as
//! declic text ([`import`], [`text`]), exporting checked rules as the JSON the API accepts
//! ([`export`], [`logic`]), and reading an account's metadata so that rules can name its
//! fields, groups and webhooks by title ([`crate::account`]).
//!
//! Import and export meet in the checked [`RuleSet`](crate::RuleSet): import reads the API's
//! JSON into checked rules and writes them as text; export checks text into rules and writes
//! them as JSON. So `export(check(import(json)))` gives back `json`, which the tests prove.

pub mod export;
pub mod import;
pub mod logic;
pub mod queue;
pub mod text;
pub mod zendesk_json;

use std::io::Write as _;
use std::path::Path;

use crate::diagnostics::{Code, Diagnostic};

/// What stops an import or an export as a whole: a file that cannot be read, is not JSON or
/// not a Zendesk export, an output that exists or cannot be written, bad account metadata.
/// Problems of single triggers are [`Diagnostic`]s instead, so the others still go through.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InteropError {
    /// A file or folder could not be read.
    #[error("cannot read `{path}`: {reason}")]
    Unreadable {
        /// The path as given.
        path: String,
        /// Why.
        reason: String,
        /// [`Code::Unreadable`], or the code of a refused read (a device, a size).
        code: Code,
    },
    /// A file is not JSON.
    #[error("`{path}` is not JSON: {reason}")]
    NotJson {
        /// The path as given.
        path: String,
        /// The parser's message, with line and column.
        reason: String,
    },
    /// A file is JSON, but not what the Zendesk API returns for triggers or automations.
    #[error("`{path}` is not a Zendesk trigger or automation export: {reason}")]
    NotZendesk {
        /// The path as given.
        path: String,
        /// What was found instead.
        reason: String,
    },
    /// An output file exists and may not be replaced.
    #[error("`{path}` already exists")]
    Exists {
        /// The path.
        path: String,
    },
    /// An output file could not be written.
    #[error("cannot write `{path}`: {reason}")]
    Unwritable {
        /// The path.
        path: String,
        /// Why.
        reason: String,
    },
}

impl InteropError {
    /// The stable diagnostic code.
    pub fn code(&self) -> Code {
        match self {
            InteropError::Unreadable { code, .. } => *code,
            InteropError::NotJson { .. } | InteropError::NotZendesk { .. } => Code::NotZendeskJson,
            InteropError::Exists { .. } => Code::FileExists,
            InteropError::Unwritable { .. } => Code::Unwritable,
        }
    }

    fn path(&self) -> &str {
        match self {
            InteropError::Unreadable { path, .. }
            | InteropError::NotJson { path, .. }
            | InteropError::NotZendesk { path, .. }
            | InteropError::Exists { path }
            | InteropError::Unwritable { path, .. } => path,
        }
    }

    fn help(&self) -> Option<&'static str> {
        Some(match self {
            InteropError::NotJson { .. } | InteropError::NotZendesk { .. } => {
                "give the JSON that `GET /api/v2/triggers` or `GET /api/v2/automations` returns \
                 (a list, one `trigger`, or a bare array of rules)"
            }
            InteropError::Exists { .. } => {
                "declic does not replace a file it did not just write: choose another path, \
                 or pass `--force`"
            }
            InteropError::Unreadable { .. } | InteropError::Unwritable { .. } => return None,
        })
    }

    /// The error as a diagnostic naming its file.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let d = Diagnostic::error(self.code(), self.to_string()).in_file(self.path());
        match self.help() {
            Some(help) => d.help(help),
            None => d,
        }
    }

    pub(crate) fn unreadable(path: &Path, error: &std::io::Error) -> InteropError {
        InteropError::Unreadable {
            path: path.display().to_string(),
            reason: crate::load::io_reason(error),
            code: crate::load::io_code(error),
        }
    }
}

/// A file's text, a byte-order mark dropped.
pub(crate) fn read_text(path: &Path) -> Result<String, InteropError> {
    let bytes = crate::load::read_file(path).map_err(|e| InteropError::unreadable(path, &e))?;
    let text = String::from_utf8(bytes).map_err(|e| InteropError::NotJson {
        path: path.display().to_string(),
        reason: format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(&text).to_string())
}

/// Parses JSON, naming the file in the error.
pub(crate) fn parse_json(path: &Path, text: &str) -> Result<serde_json::Value, InteropError> {
    serde_json::from_str(text).map_err(|e| InteropError::NotJson {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

/// `triggers[2]` + `conditions.all[0]` → `triggers[2].conditions.all[0]`; serde's path of
/// the whole value is `.`.
pub(crate) fn join_path(outer: &str, inner: &str) -> String {
    let inner = inner.trim_start_matches('.');
    match (outer.is_empty(), inner.is_empty()) {
        (_, true) => outer.to_string(),
        (true, false) => inner.to_string(),
        (false, false) if inner.starts_with('[') => format!("{outer}{inner}"),
        (false, false) => format!("{outer}.{inner}"),
    }
}

/// Writes `text` to `path` in one step: a temporary file beside it, synced and renamed over
/// it, so a reader or a crash never sees half a file. Without `force`, an existing file is
/// left alone and the write refused, even if it appeared after the caller looked. A new
/// file gets the mode any program's new file gets (0666 less the umask); a replaced one
/// keeps its mode.
pub fn write_atomic(path: &Path, text: &str, force: bool) -> Result<(), InteropError> {
    let unwritable = |e: &dyn std::fmt::Display| InteropError::Unwritable {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    if !force && path.exists() {
        return Err(InteropError::Exists {
            path: path.display().to_string(),
        });
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut file = new_file_in(dir).map_err(|e| unwritable(&e))?;
    if let Ok(old) = std::fs::metadata(path) {
        let kept = file.as_file().set_permissions(old.permissions());
        kept.map_err(|e| unwritable(&e))?;
    }
    file.write_all(text.as_bytes())
        .and_then(|()| file.as_file().sync_all())
        .map_err(|e| unwritable(&e))?;
    let persisted = if force {
        file.persist(path)
    } else {
        file.persist_noclobber(path)
    };
    persisted.map(drop).map_err(|e| match e.error.kind() {
        std::io::ErrorKind::AlreadyExists => InteropError::Exists {
            path: path.display().to_string(),
        },
        _ => unwritable(&e.error),
    })?;
    // The rename is durable once the directory is synced (not possible on Windows).
    if let Ok(dir) = std::fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// A temporary file in `dir` created with mode 0666, which the system narrows by the umask
/// as for any new file (a temporary file is otherwise private, 0600).
fn new_file_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    builder.tempfile_in(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_paths_join_like_jq() {
        assert_eq!(join_path("triggers[2]", "."), "triggers[2]");
        assert_eq!(
            join_path("triggers[2]", "conditions.all[0].field"),
            "triggers[2].conditions.all[0].field"
        );
        assert_eq!(join_path("", "[3].title"), "[3].title");
        assert_eq!(join_path("groups", "[0].name"), "groups[0].name");
    }

    #[test]
    fn atomic_writes_refuse_to_replace_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.declic");
        write_atomic(&path, "one", false).unwrap();
        let err = write_atomic(&path, "two", false).unwrap_err();
        assert_eq!(err.code(), Code::FileExists);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one");
        write_atomic(&path, "three", true).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "three");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
    }
}

#[cfg(all(test, unix))]
mod modes {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_file_gets_the_usual_mode_and_a_replaced_one_keeps_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new.json");
        write_atomic(&new, "{}", false).unwrap();
        // The umask only takes bits away from 0666: the group or others keep some.
        assert_ne!(mode(&new) & 0o066, 0, "{:o}", mode(&new));
        assert_eq!(mode(&new) & 0o111, 0);

        let old = dir.path().join("old.json");
        std::fs::write(&old, "[]").unwrap();
        std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&old, "{}", true).unwrap();
        assert_eq!(mode(&old), 0o640);
        assert_eq!(std::fs::read_to_string(&old).unwrap(), "{}");
    }
}
