//! Which rule set a file belongs to, and checking it with the editor's unsaved texts in
//! place of the files on disk.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::account::Account;
use crate::lint::config::FILE as SETTINGS;
use crate::load::{self, Loaded};
use crate::{Checked, Source};

/// The suffix of scenario files.
pub const SCENARIOS: &str = ".scenarios.toml";

/// The folder whose files make up `file`'s rule set: the nearest folder above it that
/// holds a `declic.toml`, else the file's own folder.
pub fn root_of(file: &Path) -> PathBuf {
    let folder = file.parent().unwrap_or(Path::new("/"));
    folder
        .ancestors()
        .find(|dir| dir.join(SETTINGS).is_file())
        .unwrap_or(folder)
        .to_path_buf()
}

/// Checks and lints the rule set at `root` as `declic check` does, an open document's
/// text standing in for its file. A folder deleted while its files are open is a rule set
/// of the open files alone.
pub fn check(root: &Path, open: &HashMap<PathBuf, String>, account: Option<&Account>) -> Checked {
    let mut files = load::rule_files(root).unwrap_or_default();
    files.extend(
        open.keys()
            .filter(|p| is_rule_file(p) && p.starts_with(root))
            .cloned(),
    );
    files.sort();
    files.dedup();
    let mut loaded = Loaded::default();
    for file in files {
        match open.get(&file) {
            Some(text) => loaded
                .sources
                .push(Source::new(file.display().to_string(), text.clone())),
            None => match load::read_file(&file) {
                Ok(bytes) => match load::decode(&file, bytes) {
                    Ok(source) => loaded.sources.push(source),
                    Err(d) => loaded.diagnostics.push(*d),
                },
                Err(e) => loaded.diagnostics.push(load::unreadable(&file, &e)),
            },
        }
    }
    crate::check_loaded(root, loaded, account)
}

/// Whether `path` names a rule file.
pub fn is_rule_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == load::EXTENSION)
}

/// Whether `path` names a scenario file.
pub fn is_scenario_file(path: &Path) -> bool {
    path.to_str().is_some_and(|p| p.ends_with(SCENARIOS))
}
