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

/// What the last check and lint of one rule set found for each trigger.
#[derive(Default)]
pub struct Cache {
    check: crate::check::Cache,
    lints: crate::lint::Cache,
}

/// Checks and lints the rule set at `root` as `declic check` does, an open document's
/// text standing in for its file. A folder deleted while its files are open is a rule set
/// of the open files alone. `cache` holds what the last check of this rule set found for
/// each trigger: only what changed since is checked and linted again.
pub fn check(
    root: &Path,
    open: &HashMap<PathBuf, String>,
    account: Option<&Account>,
    cache: &mut Cache,
) -> Checked {
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
    crate::check_loaded_again(root, loaded, account, &mut cache.check, &mut cache.lints)
}

/// Whether `path` names a rule file.
pub fn is_rule_file(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == load::EXTENSION)
}

/// Whether `path` names a scenario file.
pub fn is_scenario_file(path: &Path) -> bool {
    path.to_str().is_some_and(|p| p.ends_with(SCENARIOS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_set_is_the_nearest_folder_with_settings_or_the_files_own() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        assert_eq!(root_of(&deep.join("r.declic")), deep);
        std::fs::write(dir.path().join("a").join(SETTINGS), "").unwrap();
        assert_eq!(root_of(&deep.join("r.declic")), dir.path().join("a"));
    }

    #[test]
    fn an_open_text_stands_in_for_its_file_and_a_new_file_joins_the_set() {
        let dir = tempfile::tempdir().unwrap();
        let on_disk = dir.path().join("a.declic");
        std::fs::write(&on_disk, "trigger {").unwrap();
        let fixed = "trigger \"a\" {\n  when all {\n    Ticket is Created\n  }\n  then {\n    send CSAT by email\n  }\n}\n";
        let unsaved = dir.path().join("b.declic");
        let open = HashMap::from([
            (on_disk.clone(), fixed.to_owned()),
            (unsaved, fixed.replace("\"a\"", "\"b\"")),
        ]);
        let mut cache = Cache::default();
        let checked = check(dir.path(), &open, None, &mut cache);
        assert_eq!(checked.files, 2);
        assert!(
            !checked.diagnostics.iter().any(|d| d.is_error()),
            "{:?}",
            checked.diagnostics
        );
        // Without the open text, the file on disk is what is checked.
        let checked = check(dir.path(), &HashMap::new(), None, &mut cache);
        assert!(checked.diagnostics.iter().any(|d| d.is_error()));
    }
}
