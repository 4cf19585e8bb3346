//! Reading rule files from disk: a file is a rule set of its own, a directory is one rule set
//! of every `.declic` file below it, ordered by path. Whatever cannot be read becomes a
//! diagnostic naming the file; nothing here panics on bad input.

use std::collections::HashSet;
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
        let (files, problems) = find(path, &RULE_FILES);
        loaded.diagnostics.extend(problems);
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
/// could not be read, none of those files at all, links that lead back into the folder.
pub(crate) fn find(dir: &Path, kind: &FileKind) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut walk = Walk::new(std::slice::from_ref(&kind.suffix));
    let mut problems = Vec::new();
    match walk.folder(dir) {
        Err(e) => problems.push(unreadable(dir, &e)),
        Ok(()) if walk.files.is_empty() => problems.push(
            Diagnostic::error(
                kind.none,
                format!("`{}` holds no `{}` file", dir.display(), kind.suffix),
            )
            .in_file(dir.display().to_string())
            .help(format!("{} end in `{}`", kind.name, kind.suffix)),
        ),
        Ok(()) => {}
    }
    problems.extend(walk.loop_warning());
    let mut files = walk.files;
    files.sort();
    (files, problems)
}

/// A walk down a folder for the files whose names end in `suffix`, hidden files and folders
/// left out. Each folder is entered once, however many symbolic links lead to it: a link
/// back to a parent would otherwise make the walk endless, and a second link to a folder
/// would read its rules twice.
pub struct Walk<'a> {
    suffixes: &'a [&'a str],
    /// The files found, in the order met.
    pub files: Vec<PathBuf>,
    entered: HashSet<PathBuf>,
    /// The first link that led to a folder already entered.
    pub again: Option<PathBuf>,
}

impl<'a> Walk<'a> {
    /// A walk for the files whose names end in one of `suffixes`.
    pub fn new(suffixes: &'a [&'a str]) -> Walk<'a> {
        Walk {
            suffixes,
            files: Vec::new(),
            entered: HashSet::new(),
            again: None,
        }
    }

    /// Walks down `dir`, adding its files to [`Walk::files`].
    pub fn folder(&mut self, dir: &Path) -> std::io::Result<()> {
        if !self.entered.insert(std::fs::canonicalize(dir)?) {
            self.again.get_or_insert_with(|| dir.to_path_buf());
            return Ok(());
        }
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
                self.folder(&path)?;
            } else if self.suffixes.iter().any(|s| name.ends_with(s)) {
                self.files.push(path);
            }
        }
        Ok(())
    }

    /// One warning for all the links that led to a folder already read.
    pub fn loop_warning(&self) -> Option<Diagnostic> {
        let link = self.again.as_ref()?.display().to_string();
        Some(
            Diagnostic::warning(
                Code::SymlinkLoop,
                format!("`{link}` leads to a folder already read: its files are read once"),
            )
            .in_file(link)
            .help("a symbolic link below the folder leads back into it; remove the link"),
        )
    }
}

fn read_into(path: &Path, loaded: &mut Loaded) {
    match read_file(path) {
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
    let d =
        Diagnostic::error(io_code(error), format!("cannot read `{name}`: {reason}")).in_file(name);
    match io_code(error) {
        Code::NotAFile => d.help("give a regular file; to read a stream, give `-` and pipe it in"),
        Code::FileTooLarge => d.help(format!(
            "declic reads files of at most {} whole; split the file into several",
            size(MAX_FILE_BYTES)
        )),
        _ => d,
    }
}

/// The largest file declic reads whole (rules, scenarios, one-event files, exports,
/// account metadata). Zendesk's own limits (7,000 triggers of at most 64 KiB) fit in
/// 448 MiB of JSON at worst; real exports are a few MiB. Event streams are read line by
/// line: a stream has no such limit, each of its lines has.
pub const MAX_FILE_BYTES: u64 = 256 << 20;

/// Why a read was refused before it began, kept inside the `io::Error` so that every
/// caller's existing error path carries it, and [`io_code`] finds its code again.
#[derive(Debug)]
struct Refused {
    code: Code,
    reason: String,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for Refused {}

/// A size in the largest unit that divides it: `256 MiB`, `10 bytes`.
fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b => format!("{b} bytes"),
    }
}

fn refused(code: Code, reason: String) -> std::io::Error {
    std::io::Error::other(Refused { code, reason })
}

/// The code of a read error: a refused device or size, or [`Code::Unreadable`].
pub fn io_code(error: &std::io::Error) -> Code {
    error
        .get_ref()
        .and_then(|e| e.downcast_ref::<Refused>())
        .map_or(Code::Unreadable, |r| r.code)
}

/// Reads a whole file, refusing what is not a regular file (`/dev/zero`, a FIFO) and what
/// is larger than [`MAX_FILE_BYTES`], so that no input makes declic read without end.
pub fn read_file(path: &Path) -> std::io::Result<Vec<u8>> {
    read_at_most(path, MAX_FILE_BYTES)
}

fn read_at_most(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        let kind = if meta.is_dir() {
            "a folder"
        } else {
            "a device, pipe or socket"
        };
        return Err(refused(
            Code::NotAFile,
            format!("it is {kind}, not a regular file"),
        ));
    }
    let too_large = || {
        refused(
            Code::FileTooLarge,
            format!("it is larger than {}", size(limit)),
        )
    };
    if meta.len() > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The bound holds even when the file grows while it is read.
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
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
    let mut walk = Walk::new(&[".declic"]);
    walk.folder(path)?;
    let mut files = walk.files;
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;

    #[test]
    fn a_file_is_read_up_to_the_limit_and_refused_past_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rules.declic");
        std::fs::write(&path, "0123456789").unwrap();
        assert_eq!(read_at_most(&path, 10).unwrap(), b"0123456789");
        let past = read_at_most(&path, 9).unwrap_err();
        assert_eq!(io_code(&past), Code::FileTooLarge);
        assert_eq!(io_reason(&past), "it is larger than 9 bytes");
    }

    #[test]
    fn devices_and_folders_are_not_files() {
        let dir = tempfile::tempdir().unwrap();
        for path in [Path::new("/dev/zero"), dir.path()] {
            let e = read_file(path).unwrap_err();
            assert_eq!(io_code(&e), Code::NotAFile, "{}", path.display());
        }
        let missing = read_file(&dir.path().join("none")).unwrap_err();
        assert_eq!(io_code(&missing), Code::Unreadable);
    }

    #[cfg(unix)]
    #[test]
    fn links_back_up_are_followed_once_and_reported_once() {
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("a");
        std::fs::create_dir(&inner).unwrap();
        std::fs::write(inner.join("one.declic"), "").unwrap();
        std::os::unix::fs::symlink("..", inner.join("up")).unwrap();
        std::os::unix::fs::symlink(dir.path(), inner.join("root")).unwrap();
        let (files, problems) = find(dir.path(), &RULE_FILES);
        assert_eq!(files, [inner.join("one.declic")]);
        let codes: Vec<_> = problems.iter().map(|d| (d.code, d.severity)).collect();
        assert_eq!(codes, [(Code::SymlinkLoop, Severity::Warning)]);
    }

    #[cfg(unix)]
    #[test]
    fn two_links_to_one_folder_read_its_files_once() {
        let dir = tempfile::tempdir().unwrap();
        let shared = dir.path().join("shared");
        std::fs::create_dir(&shared).unwrap();
        std::fs::write(shared.join("one.declic"), "").unwrap();
        std::os::unix::fs::symlink(&shared, dir.path().join("link")).unwrap();
        let (files, problems) = find(dir.path(), &RULE_FILES);
        assert_eq!(files.len(), 1, "{files:?}");
        assert_eq!(problems.len(), 1);
    }
}
