//! Scenario files in the editor: their mistakes, the triggers they name that the rule set
//! lacks, and the way from a trigger's title to the trigger.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use lsp_types::Location;

use super::text::LineIndex;
use super::{ruleset, uri};
use crate::check::RuleSet;
use crate::diagnostics::{Diagnostic, Source};
use crate::scenario::ScenarioFile;

/// The rule set folder a scenario file runs against: its `rules` key, relative to the
/// file, or else the rule set of the folder it is in. (A `rules` key naming one file
/// checks that file's folder, the unit the server checks.)
pub fn target(path: &Path, text: &str) -> PathBuf {
    let folder = path.parent().unwrap_or(Path::new("/"));
    let source = Source::new(path.display().to_string(), text);
    let rules = ScenarioFile::parse(&source)
        .ok()
        .and_then(|file| file.rules.map(|(rules, _)| folder.join(rules)));
    match rules {
        Some(dir) if dir.is_dir() => dir,
        Some(file) => ruleset::root_of(&file),
        None => ruleset::root_of(path),
    }
}

/// What is wrong in a scenario file, the triggers it names that `rules` lacks included.
pub fn diagnostics(path: &Path, text: &str, rules: &RuleSet) -> Vec<Diagnostic> {
    let source = Source::new(path.display().to_string(), text);
    match ScenarioFile::parse(&source) {
        Err(e) => e.diagnostics,
        Ok(file) => {
            let mut out = file.warnings.clone();
            out.extend(file.check_triggers(rules));
            out
        }
    }
}

/// Where the trigger whose title is the string at `offset` of a scenario file is written.
pub fn definition(text: &str, offset: usize, rules: &RuleSet) -> Option<Location> {
    let title = string_at(text, offset)?;
    let i = rules.find(&title).ok()?;
    let trigger = rules.triggers.get(i)?;
    let source: &Arc<Source> = &trigger.origin.source;
    let uri = uri::from_path(Path::new(&source.name))?;
    let index = LineIndex::new(&source.text);
    let span = trigger.title_span;
    Some(Location::new(uri, index.range(span.start, span.end)))
}

/// The contents of the double-quoted string around `offset` on its line.
fn string_at(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[start..end];
    let at = offset - start;
    let mut open = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match (c, open) {
            (_, Some(_)) if escaped => escaped = false,
            ('\\', Some(_)) => escaped = true,
            ('"', None) => open = Some(i),
            ('"', Some(from)) => {
                if (from..=i).contains(&at) {
                    let quoted = &line[from..=i];
                    return serde_json::from_str(quoted).ok();
                }
                open = None;
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_string_under_the_cursor_is_found() {
        let text = "fired = [\"A \\\"b\\\"\", \"C\"]\nx = 1";
        assert_eq!(string_at(text, 11).as_deref(), Some("A \"b\""));
        assert_eq!(string_at(text, 21).as_deref(), Some("C"));
        assert_eq!(string_at(text, 2), None);
        assert_eq!(string_at(text, text.len()), None);
    }
}
