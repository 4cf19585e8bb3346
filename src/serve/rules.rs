//! The rule sets the server runs: loaded, checked and compiled from a folder, each named
//! by its version, a hash of its files.

use std::path::{Path, PathBuf};

use crate::account::Account;
use crate::diagnostics::{Diagnostic, Severity};
use crate::engine::Compiled;
use crate::routing::{Agents, Router};

/// One rule set, ready to run: what a request holds from start to end, so that a reload
/// in the meantime does not change its outcome.
pub struct Version {
    /// A hash of the rule files' names and texts, in hex: the same files give the same
    /// version, in any process.
    pub id: String,
    /// The compiled triggers.
    pub engine: Compiled,
    /// The routing queues, for the step after the triggers.
    pub router: Router,
    /// The agents routing hands work to, when the account folder lists them.
    pub agents: Option<Agents>,
    /// The checker's warnings and advice on these files.
    pub diagnostics: Vec<Diagnostic>,
}

/// Where a rule set comes from: its rules and the account's exports.
#[derive(Debug, Clone)]
pub struct Origin {
    /// A rule file or a folder of them.
    pub rules: PathBuf,
    /// The folder of the account's API exports, if any.
    pub account: Option<PathBuf>,
}

/// Why a rule set could not be loaded: its diagnostics, errors among them, and the version
/// of the files that gave them.
#[derive(Debug, Clone)]
pub struct Rejected {
    /// The version the files would have had.
    pub id: String,
    /// Every diagnostic, errors first among them as the checker found them.
    pub diagnostics: Vec<Diagnostic>,
}

impl Origin {
    /// Reads, checks and compiles the rule set; its diagnostics if it has errors.
    pub fn load(&self) -> Result<Version, Rejected> {
        let account = self.account().map_err(|d| Rejected {
            id: String::new(),
            diagnostics: vec![*d],
        })?;
        let loaded = crate::load::load(&self.rules);
        let id = version_of(&loaded.sources);
        let checked = crate::check_loaded(&self.rules, loaded, account.as_ref());
        let rejected = |diagnostics| Rejected {
            id: id.clone(),
            diagnostics,
        };
        if checked.diagnostics.iter().any(Diagnostic::is_error) {
            return Err(rejected(checked.diagnostics));
        }
        let diagnostics = checked.diagnostics.clone();
        let rules = checked
            .into_result()
            .map_err(|_| rejected(diagnostics.clone()))?;
        let error = |message: String| {
            let code = crate::Code::Unreadable;
            rejected(vec![Diagnostic::error(code, message)])
        };
        let engine =
            Compiled::with_account(&rules, account.as_ref()).map_err(|e| error(e.to_string()))?;
        let router = Router::new(&rules).map_err(|e| error(e.to_string()))?;
        let agents = self.agents().map_err(error)?;
        let mut diagnostics = diagnostics;
        diagnostics.extend(engine.warnings().iter().cloned());
        diagnostics.retain(|d| d.severity > Severity::Advice);
        Ok(Version {
            id,
            engine,
            router,
            agents,
            diagnostics,
        })
    }

    fn account(&self) -> Result<Option<Account>, Box<Diagnostic>> {
        match &self.account {
            None => Ok(None),
            Some(dir) => Account::load(dir)
                .map(Some)
                .map_err(|e| Box::new(e.to_diagnostic())),
        }
    }

    /// The agents of the account folder's `agents.json`, if it has one.
    fn agents(&self) -> Result<Option<Agents>, String> {
        let Some(path) = self.account.as_ref().map(|dir| dir.join("agents.json")) else {
            return Ok(None);
        };
        if !path.is_file() {
            return Ok(None);
        }
        Agents::load(&path).map(Some).map_err(|e| e.to_string())
    }

    /// The folders to watch for changes: the rules' and the account's.
    pub fn watched(&self) -> Vec<&Path> {
        std::iter::once(self.rules.as_path())
            .chain(self.account.as_deref())
            .collect()
    }
}

/// The version of a rule set's files: FNV-1a over each file's name and text, which is
/// stable across processes and releases, unlike the standard library's hasher.
fn version_of(sources: &[std::sync::Arc<crate::Source>]) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut hash = OFFSET;
    for source in sources {
        for part in [source.name.as_bytes(), &[0], source.text.as_bytes(), &[0]] {
            for &byte in part {
                hash = (hash ^ u64::from(byte)).wrapping_mul(PRIME);
            }
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(name: &str, text: &str) -> std::sync::Arc<crate::Source> {
        crate::Source::new(name, text)
    }

    #[test]
    fn the_version_follows_names_and_texts() {
        let a = version_of(&[source("a.declic", "x")]);
        assert_eq!(a, version_of(&[source("a.declic", "x")]));
        assert_ne!(a, version_of(&[source("a.declic", "y")]));
        assert_ne!(a, version_of(&[source("b.declic", "x")]));
        // The separator keeps a name's end from passing for a text's start.
        assert_ne!(
            version_of(&[source("ab", "c")]),
            version_of(&[source("a", "bc")])
        );
    }
}
