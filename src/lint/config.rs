//! `declic.toml`: the lint settings of one rule set, at its root.
//!
//! ```toml
//! account = "../account"   # the account's API exports, relative to this file
//!
//! [lints]
//! no_nullifying_condition = "error"
//! redundant_condition = "off"
//! ```
//!
//! A file that is not TOML, or a level that is not `off`, `warning` or `error`, is an
//! [`Code::InvalidConfig`] error; a key declic does not know is a warning
//! ([`Code::UnknownSetting`], [`Code::UnknownLint`] for a lint name), so a file written
//! for a newer declic still works.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::LINTS;
use crate::diagnostics::{did_you_mean, excerpt, Code, Diagnostic, Severity, Source, Span};

/// The name of the settings file at a rule set's root.
pub const FILE: &str = "declic.toml";

/// What a lint reports as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    /// Not at all.
    Off,
    /// A warning: fails `check` only under `--deny warnings`.
    Warning,
    /// An error: fails `check`, and commands that load the rules refuse them.
    Error,
}

impl Level {
    /// The level as `declic.toml` writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    fn parse(text: &str) -> Option<Level> {
        [Level::Off, Level::Warning, Level::Error]
            .into_iter()
            .find(|l| l.as_str() == text)
    }

    /// The severity a finding at this level gets; `None` when it is off.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

/// The level of every lint: its default unless `declic.toml` says otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    levels: HashMap<Code, Level>,
    account: Option<PathBuf>,
}

impl Config {
    /// The level of the lint with `code`.
    pub fn level(&self, code: Code) -> Level {
        self.levels.get(&code).copied().unwrap_or_else(|| {
            LINTS
                .iter()
                .find(|l| l.code == code)
                .map_or(Level::Warning, |l| l.default)
        })
    }

    /// The folder of the account's API exports that `account = "..."` names: relative to
    /// the `declic.toml` once read by [`Config::load`]. Front ends that take `--account`
    /// use it when they are given none.
    pub fn account(&self) -> Option<&Path> {
        self.account.as_deref()
    }

    /// Sets the level of the lint with `code`.
    pub fn set(&mut self, code: Code, level: Level) {
        self.levels.insert(code, level);
    }

    /// The settings for the rule set at `path`: `declic.toml` in the directory, or beside
    /// the file. No file means every default; a file that cannot be read is reported.
    pub fn load(path: &Path) -> (Config, Vec<Diagnostic>) {
        let dir = if path.is_dir() {
            path
        } else {
            path.parent().unwrap_or(Path::new(""))
        };
        let file = dir.join(FILE);
        if !file.is_file() {
            return (Config::default(), Vec::new());
        }
        match std::fs::read_to_string(&file) {
            Ok(text) => {
                let (mut config, problems) =
                    Config::parse(&Source::new(file.display().to_string(), text));
                config.account = config.account.map(|a| dir.join(a));
                (config, problems)
            }
            Err(e) => (
                Config::default(),
                vec![Diagnostic::error(
                    Code::InvalidConfig,
                    format!("cannot read `{}`: {e}", file.display()),
                )
                .in_file(file.display().to_string())
                .help("make the file readable UTF-8 text, or delete it")],
            ),
        }
    }

    /// Reads the settings in `source`; what is wrong in it is reported and left out.
    pub fn parse(source: &Arc<Source>) -> (Config, Vec<Diagnostic>) {
        let mut config = Config::default();
        let mut out = Vec::new();
        match DeTable::parse(&source.text) {
            Ok(table) => {
                for (key, value) in table.get_ref().iter() {
                    match key.get_ref().as_ref() {
                        "lints" => config.read_lints(value, &mut out),
                        "account" => match value.get_ref().as_str() {
                            Some(dir) => config.account = Some(PathBuf::from(dir)),
                            None => out.push(
                                Diagnostic::error(Code::InvalidConfig, "`account` must be a string")
                                    .label(span(value), format!("a {}", value.get_ref().type_str()))
                                    .help("write `account = \"../account\"`: the folder of the account's API exports, relative to `declic.toml`"),
                            ),
                        },
                        other => out.push(unknown_key(
                            other,
                            span(key),
                            "a setting of `declic.toml`",
                            &["account", "lints"],
                        )),
                    }
                }
            }
            Err(e) => {
                let at = e
                    .span()
                    .map_or(Span::default(), |r| Span::new(r.start, r.end));
                out.push(
                    Diagnostic::error(Code::InvalidConfig, format!("`{FILE}` is not valid TOML: {}", e.message().trim()))
                        .label(at, "here")
                        .help("write `[lints]` then one `name = \"off\" | \"warning\" | \"error\"` a line"),
                );
            }
        }
        let out = out.into_iter().map(|d| d.in_source(source)).collect();
        (config, out)
    }

    fn read_lints(&mut self, value: &Spanned<DeValue<'_>>, out: &mut Vec<Diagnostic>) {
        let Some(table) = value.get_ref().as_table() else {
            out.push(
                Diagnostic::error(Code::InvalidConfig, "`lints` must be a table")
                    .label(span(value), format!("a {}", value.get_ref().type_str()))
                    .help("write `[lints]` on a line of its own, then the settings below it"),
            );
            return;
        };
        for (key, level) in table.iter() {
            let name = key.get_ref().as_ref();
            let Some(lint) = LINTS.iter().find(|l| l.code.name() == name) else {
                let names: Vec<&str> = LINTS.iter().map(|l| l.code.name()).collect();
                out.push(unknown_lint(name, span(key), &names));
                continue;
            };
            match level.get_ref().as_str().and_then(Level::parse) {
                Some(level) => self.set(lint.code, level),
                None => out.push(
                    Diagnostic::error(
                        Code::InvalidConfig,
                        format!("`{name}` cannot be set to this"),
                    )
                    .label(span(level), "not a level")
                    .help("a lint is set to \"off\", \"warning\" or \"error\""),
                ),
            }
        }
    }
}

fn span<T>(s: &Spanned<T>) -> Span {
    let r = s.span();
    Span::new(r.start, r.end)
}

fn unknown_key(name: &str, at: Span, what: &str, known: &[&'static str]) -> Diagnostic {
    Diagnostic::warning(
        Code::UnknownSetting,
        format!("`{}` is not {what}", excerpt(name)),
    )
    .label(at, "unknown setting")
    .help(format!("declic reads {}", quoted(known)))
}

/// A lint name declic does not know, with the nearest ones.
pub(crate) fn unknown_lint(name: &str, at: Span, names: &[&'static str]) -> Diagnostic {
    let near = crate::catalog::nearest(name, names.iter().map(|n| (*n, *n)));
    let message = format!("no lint is named `{}`", excerpt(name));
    Diagnostic::warning(Code::UnknownLint, message)
        .label(at, "unknown lint")
        .help(did_you_mean(&near).unwrap_or_else(|| format!("the lints are {}", quoted(names))))
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Config, Vec<Diagnostic>) {
        Config::parse(&Source::new(FILE, text))
    }

    #[test]
    fn levels_are_read_and_defaults_kept() {
        let (config, problems) =
            parse("[lints]\nno_nullifying_condition = \"error\"\nping_pong = \"off\"\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(config.level(Code::NoNullifyingCondition), Level::Error);
        assert_eq!(config.level(Code::PingPong), Level::Off);
        assert_eq!(config.level(Code::ConflictingActions), Level::Warning);
    }

    #[test]
    fn a_bad_level_points_at_its_value() {
        let text = "[lints]\nping_pong = \"loud\"\n";
        let (config, problems) = parse(text);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, Code::InvalidConfig);
        let at = problems[0].labels[0].span;
        assert_eq!(&text[at.start..at.end], "\"loud\"");
        assert_eq!(config, Config::default());
    }

    #[test]
    fn unknown_names_are_warnings_with_a_suggestion() {
        let text = "[lints]\nping_pongg = \"off\"\n[colours]\nx = 1\n";
        let (_, problems) = parse(text);
        let mut codes: Vec<Code> = problems.iter().map(|d| d.code).collect();
        codes.sort();
        assert_eq!(codes, [Code::UnknownSetting, Code::UnknownLint]);
        assert!(problems.iter().all(|d| d.severity == Severity::Warning));
        let lint = problems.iter().find(|d| d.code == Code::UnknownLint);
        assert_eq!(
            lint.and_then(|d| d.help.as_deref()),
            Some("did you mean `ping_pong`?")
        );
    }

    #[test]
    fn the_account_folder_is_read_relative_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), "account = \"../account\"\n").unwrap();
        let (config, problems) = Config::load(dir.path());
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            config.account(),
            Some(dir.path().join("../account").as_path())
        );
        let (config, problems) = parse("account = 3\n");
        assert_eq!(problems[0].code, Code::InvalidConfig);
        assert_eq!(config.account(), None);
    }

    #[test]
    fn malformed_toml_is_an_error_with_a_span() {
        let (_, problems) = parse("[lints\nping_pong = \"off\"\n");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].is_error());
        assert!(problems[0].line_col().is_some());
        let (_, problems) = parse("lints = 3\n");
        assert_eq!(problems[0].code, Code::InvalidConfig);
    }
}
