//! Where a version of a rule set comes from: a file or folder on disk, or `git:REV:PATH`,
//! a file or folder as a revision of the current git repository holds it, read into memory
//! with the files' paths kept so that diagnostics name them.
//!
//! The revision is read with the `git` command rather than a git crate: `git2` builds
//! libgit2 (C) and `gix` a few hundred crates, a heavy price for reading a handful of
//! blobs, and the command is present wherever a repository is, honouring its user's
//! configuration (worktrees, alternates, partial clones, `safe.directory`) as no library
//! fully does.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::load::{self, Loaded};

/// Why a version of a rule set could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum DiffError {
    /// `git` could not be started.
    #[error("cannot run `git` to read `{spec}`: {reason}")]
    #[diagnostic(
        code(declic::diff::no_git),
        help("install git, or give the rule set as a file or folder")
    )]
    NoGit {
        /// The version as given.
        spec: String,
        /// Why.
        reason: String,
    },
    /// `git` refused: no such revision or path, not a repository.
    #[error("cannot read `{path}` at `{rev}` from git: {reason}")]
    #[diagnostic(
        code(declic::diff::git),
        help("`git:REV:PATH` reads PATH (relative to the current folder) as the revision REV of the current repository holds it, e.g. `git:origin/main:rules`")
    )]
    Git {
        /// The revision.
        rev: String,
        /// The path.
        path: String,
        /// What git said.
        reason: String,
    },
    /// The revision holds no rule file at the path.
    #[error("`{path}` at `{rev}` holds no `.declic` file")]
    #[diagnostic(
        code(declic::diff::no_rule_files),
        help("rule files end in `.declic`; check the path with `git ls-tree -r {rev} -- {path}`")
    )]
    NoRuleFiles {
        /// The revision.
        rev: String,
        /// The path.
        path: String,
    },
    /// `git:` without both a revision and a path.
    #[error("`{spec}` names no revision and path")]
    #[diagnostic(
        code(declic::diff::bad_version),
        help("write `git:REV:PATH`, e.g. `git:main:rules` or `git:HEAD~1:rules/vip.declic`")
    )]
    BadSpec {
        /// The version as given.
        spec: String,
    },
}

/// One version of a rule set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Version {
    /// A rule file or folder on disk.
    Path(PathBuf),
    /// A rule file or folder as a git revision holds it.
    Git {
        /// The revision: a branch, tag, commit, `HEAD~1`, `origin/main`...
        rev: String,
        /// The file or folder, relative to the folder git runs in.
        path: String,
    },
}

impl Version {
    /// Reads a command-line argument: `git:REV:PATH`, else a path.
    pub fn parse(spec: &str) -> Result<Version, DiffError> {
        let Some(rest) = spec.strip_prefix("git:") else {
            return Ok(Version::Path(PathBuf::from(spec)));
        };
        match rest.split_once(':') {
            Some((rev, path)) if !rev.is_empty() && !path.is_empty() => Ok(Version::Git {
                rev: rev.to_owned(),
                path: path.to_owned(),
            }),
            _ => Err(DiffError::BadSpec {
                spec: spec.to_owned(),
            }),
        }
    }

    /// Reads the version's rule files, git run in the current folder.
    pub fn load(&self) -> Result<Loaded, DiffError> {
        self.load_in(Path::new("."))
    }

    /// Reads the version's rule files, git run in `dir`: files that cannot be read as
    /// text are diagnostics of the [`Loaded`], as on disk.
    pub fn load_in(&self, dir: &Path) -> Result<Loaded, DiffError> {
        match self {
            // Paths stay as given where they can, to name the files in diagnostics so.
            Version::Path(path) if dir == Path::new(".") => Ok(load::load(path)),
            Version::Path(path) => Ok(load::load(&dir.join(path))),
            Version::Git { rev, path } => from_git(dir, rev, path),
        }
    }

    /// The version as the user wrote it.
    pub fn name(&self) -> String {
        match self {
            Version::Path(path) => path.display().to_string(),
            Version::Git { rev, path } => format!("git:{rev}:{path}"),
        }
    }
}

fn from_git(dir: &Path, rev: &str, path: &str) -> Result<Loaded, DiffError> {
    let failed = |reason: String| DiffError::Git {
        rev: rev.to_owned(),
        path: path.to_owned(),
        reason,
    };
    // `--full-name` names the files from the repository's root, as `REV:NAME` reads them;
    // the path itself is relative to `dir`, as a path on disk would be.
    let listing = git(
        dir,
        rev,
        path,
        &["ls-tree", "-r", "-z", "--full-name", rev, "--", path],
    )?;
    if !listing.status.success() {
        return Err(failed(stderr(&listing)));
    }
    let listing = String::from_utf8_lossy(&listing.stdout);
    // A file named alone is read whatever its name, as on disk.
    let named = path.trim_start_matches("./").trim_end_matches('/');
    let alone = |name: &str| name == named || name.ends_with(&format!("/{named}"));
    let mut files: Vec<(&str, &str)> = listing
        .split('\0')
        .filter_map(|entry| {
            let (meta, name) = entry.split_once('\t')?;
            let mut meta = meta.split(' ');
            let (_mode, kind, id) = (meta.next()?, meta.next()?, meta.next()?);
            (kind == "blob").then_some((name, id))
        })
        // In a folder, rule files only, hidden ones left out.
        .filter(|(name, _)| alone(name) || is_rule_file(name))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(DiffError::NoRuleFiles {
            rev: rev.to_owned(),
            path: path.to_owned(),
        });
    }
    let mut loaded = Loaded::default();
    for (name, id) in files {
        let blob = git(dir, rev, path, &["cat-file", "blob", id])?;
        if !blob.status.success() {
            return Err(failed(stderr(&blob)));
        }
        let shown = PathBuf::from(format!("{rev}:{name}"));
        match load::decode(&shown, blob.stdout) {
            Ok(source) => loaded.sources.push(source),
            Err(d) => loaded.diagnostics.push(*d),
        }
    }
    Ok(loaded)
}

fn is_rule_file(name: &str) -> bool {
    let suffix = format!(".{}", load::EXTENSION);
    name.ends_with(&suffix) && !name.split('/').any(|part| part.starts_with('.'))
}

fn git(dir: &Path, rev: &str, path: &str, args: &[&str]) -> Result<Output, DiffError> {
    Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .map_err(|e| DiffError::NoGit {
            spec: format!("git:{rev}:{path}"),
            reason: e.to_string(),
        })
}

/// What git said, on one line.
fn stderr(output: &Output) -> String {
    let text = String::from_utf8_lossy(&output.stderr);
    let text = text.trim();
    if text.is_empty() {
        format!("git exited with {}", output.status)
    } else {
        text.lines().collect::<Vec<_>>().join(" ")
    }
}
