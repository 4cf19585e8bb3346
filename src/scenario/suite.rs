//! A test run over files and folders, as `declic test` makes it: find the scenario files,
//! find and check the rule set each one runs against, run the scenarios, collect the
//! results.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use super::file::ScenarioFile;
use super::run::{run_routed, Failure};
use crate::account::Account;
use crate::check::RuleSet;
use crate::diagnostics::{Code, Diagnostic, Severity, Source, Span};
use crate::engine::Compiled;
use crate::load;
use crate::routing::{Agents, Router};

/// How scenario files end.
pub const SUFFIX: &str = ".scenarios.toml";

const SCENARIO_FILES: load::FileKind = load::FileKind {
    suffix: SUFFIX,
    name: "scenario files",
    none: Code::NoScenarioFiles,
};

/// The result of one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    /// The scenario's name.
    pub name: String,
    /// Its file, as given on the command line or found below a folder.
    pub file: String,
    /// Its line in the file.
    pub line: usize,
    /// How it failed; `None` when it passed.
    pub failure: Option<Failure>,
}

/// Everything a test run found.
#[derive(Debug, Default)]
pub struct Report {
    /// The scenario files read.
    pub files: usize,
    /// The scenarios run, in file order.
    pub cases: Vec<Case>,
    /// Mistakes in scenario files and errors in the rules they run against.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether a path could not be read or held no scenario file.
    pub unreadable: bool,
}

/// How a run ended, which the exit code tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every scenario passed.
    Passed,
    /// A scenario failed, or a scenario file or its rules have errors.
    Failed,
    /// Nothing could run: a path is unreadable or holds no scenario, or no scenario
    /// matched the filter.
    CouldNotRun,
}

impl Report {
    /// How many scenarios passed.
    pub fn passed(&self) -> usize {
        self.cases.iter().filter(|c| c.failure.is_none()).count()
    }

    /// How many scenarios failed.
    pub fn failed(&self) -> usize {
        self.cases.len() - self.passed()
    }

    /// How many errors the scenario files and their rules have.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// How the run ended.
    pub fn verdict(&self) -> Verdict {
        if self.unreadable || (self.cases.is_empty() && self.errors() == 0) {
            Verdict::CouldNotRun
        } else if self.failed() > 0 || self.errors() > 0 {
            Verdict::Failed
        } else {
            Verdict::Passed
        }
    }
}

/// Runs every scenario file at `paths` (a file, or the `*.scenarios.toml` files below a
/// folder); with `filter`, only the scenarios whose name contains it.
pub fn run_paths(paths: &[PathBuf], filter: Option<&str>) -> Report {
    run_paths_with(paths, filter, None, false)
}

/// [`run_paths`] with the account whose API exports are in the folder `account`, for the
/// scenario files that do not name one with their `account_dir` key; with `strict`, a rule
/// set holding Zendesk conditions or actions declic cannot run (`zendesk r#"..."#`) is
/// refused as having errors, as `--strict` asks.
pub fn run_paths_with(
    paths: &[PathBuf],
    filter: Option<&str>,
    account: Option<&Path>,
    strict: bool,
) -> Report {
    let mut report = Report::default();
    let mut rule_sets = RuleSets {
        account: account.map(Path::to_path_buf),
        strict,
        ..RuleSets::default()
    };
    for path in discover(paths, &mut report) {
        report.files += 1;
        run_file(&path, filter, &mut rule_sets, &mut report);
    }
    report
}

fn discover(paths: &[PathBuf], report: &mut Report) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let (found, problems) = load::find(path, &SCENARIO_FILES);
        for problem in problems {
            report.unreadable |= problem.severity == Severity::Error;
            report.diagnostics.push(problem);
        }
        files.extend(found);
    }
    files
}

fn run_file(path: &Path, filter: Option<&str>, rule_sets: &mut RuleSets, report: &mut Report) {
    let source = match load::read_file(path) {
        Ok(bytes) => match load::decode(path, bytes) {
            Ok(source) => source,
            Err(d) => return report.diagnostics.push(*d),
        },
        Err(e) => {
            report.unreadable = true;
            return report.diagnostics.push(load::unreadable(path, &e));
        }
    };
    let file = match ScenarioFile::parse(&source) {
        Ok(file) => file,
        Err(e) => return report.diagnostics.extend(e.diagnostics),
    };
    report.diagnostics.extend(file.warnings.iter().cloned());
    let Some(rules) = rule_sets.get(&file, path, &mut report.diagnostics) else {
        return;
    };
    let unknown = file.check_triggers(&rules.rules);
    if !unknown.is_empty() {
        return report.diagnostics.extend(unknown);
    }
    let selected = file
        .scenarios
        .iter()
        .filter(|s| filter.is_none_or(|f| s.name.contains(f)));
    for scenario in selected {
        report.cases.push(Case {
            name: scenario.name.clone(),
            file: source.name.clone(),
            line: source.line_col(scenario.span.start).0,
            failure: run_routed(
                scenario,
                &source,
                &rules.engine,
                Some((&rules.router, rules.agents.as_ref())),
            ),
        });
    }
}

/// A checked and compiled rule set.
struct Rules {
    rules: RuleSet,
    engine: Compiled,
    /// The rule set's routing queues.
    router: Router,
    /// The agents of the account folder's `agents.json`, if it has one.
    agents: Option<Agents>,
}

/// Rule sets by path and account folder, each loaded, checked and reported once however
/// many scenario files run against it; `None` for one with errors.
#[derive(Default)]
struct RuleSets {
    loaded: HashMap<(PathBuf, Option<PathBuf>), Option<Arc<Rules>>>,
    /// The account folder of the files that name none.
    account: Option<PathBuf>,
    /// Whether Zendesk lines declic cannot run are errors.
    strict: bool,
}

impl RuleSets {
    fn get(
        &mut self,
        file: &ScenarioFile,
        path: &Path,
        out: &mut Vec<Diagnostic>,
    ) -> Option<Arc<Rules>> {
        let rules_path = rules_path(file, path);
        let account_path = match &file.account_dir {
            Some((dir, _)) => Some(folder_of(path).join(dir)),
            None => self.account.clone(),
        };
        let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let key = (
            canonical(&rules_path),
            account_path.as_deref().map(canonical),
        );
        if let Some(known) = self.loaded.get(&key) {
            return known.clone();
        }
        let account = match account_path
            .as_ref()
            .map(|dir| Account::load(dir))
            .transpose()
        {
            Ok(account) => account,
            Err(e) => {
                out.push(about_the_account_key(file, e.to_diagnostic()));
                self.loaded.insert(key, None);
                return None;
            }
        };
        let agents_file = account_path
            .as_ref()
            .map(|dir| dir.join("agents.json"))
            .filter(|p| p.is_file());
        let agents = match agents_file.map(|p| Agents::load(&p)).transpose() {
            Ok(agents) => agents,
            Err(e) => {
                out.push(about_the_account_key(
                    file,
                    Diagnostic::error(Code::BadAccount, e.to_string()),
                ));
                self.loaded.insert(key, None);
                return None;
            }
        };
        let loaded = load_rules(file, &rules_path, account.as_ref(), self.strict, out)
            .map(|rules| Arc::new(Rules { agents, ..rules }));
        self.loaded.insert(key, loaded.clone());
        loaded
    }
}

/// The folder a scenario file is in, which its `rules` and `account_dir` keys are
/// relative to.
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The rule set a scenario file runs against: its `rules` key, relative to the file, or
/// else the folder the file is in.
fn rules_path(file: &ScenarioFile, path: &Path) -> PathBuf {
    let folder = folder_of(path);
    match &file.rules {
        Some((rules, _)) => folder.join(rules),
        None => folder,
    }
}

fn load_rules(
    file: &ScenarioFile,
    path: &Path,
    account: Option<&Account>,
    strict: bool,
    out: &mut Vec<Diagnostic>,
) -> Option<Rules> {
    let mut checked = crate::check_path_with(path, account);
    if strict {
        checked = checked.strict();
    }
    let errors: Vec<Diagnostic> = checked
        .diagnostics
        .into_iter()
        .filter(Diagnostic::is_error)
        .map(|d| about_the_rules_key(file, d))
        .collect();
    if !errors.is_empty() {
        out.extend(errors);
        return None;
    }
    let compiled = Compiled::with_account(&checked.rules, account)
        .and_then(|engine| Ok((engine, Router::new(&checked.rules)?)));
    match compiled {
        Ok((engine, router)) => {
            // Said once for the rule set, whichever scenario files run against it.
            out.extend(engine.warnings().to_vec());
            Some(Rules {
                rules: checked.rules,
                engine,
                router,
                agents: None,
            })
        }
        Err(e) => {
            out.push(Diagnostic::error(Code::InvalidValue, e.to_string()));
            None
        }
    }
}

/// A rule set that cannot be read is a mistake of the scenario file that points at it:
/// say so there, at its `rules` key or, without one, at its first line.
fn about_the_rules_key(file: &ScenarioFile, d: Diagnostic) -> Diagnostic {
    if d.source.is_some() || !(d.code.is_unreadable() || d.code == Code::NoRuleFiles) {
        return d;
    }
    let (span, label) = match &file.rules {
        Some((_, span)) => (*span, "the rules this file runs against"),
        None => (
            first_line(&file.source),
            "no `rules` key: the file's folder is used",
        ),
    };
    Diagnostic {
        source: None,
        labels: Vec::new(),
        ..d
    }
    .in_source(&file.source)
    .label(span, label)
    .help("set `rules = \"path\"` to the rule file or folder, relative to this file")
}

/// An account folder that cannot be read is a mistake of the scenario file that names it,
/// or of the command line when the file names none.
fn about_the_account_key(file: &ScenarioFile, d: Diagnostic) -> Diagnostic {
    let Some((_, span)) = &file.account_dir else {
        return d;
    };
    Diagnostic {
        source: None,
        labels: Vec::new(),
        ..d
    }
    .in_source(&file.source)
    .label(*span, "the account this file's rules run with")
    .help("set `account_dir = \"path\"` to the folder of the account's API exports, relative to this file")
}

fn first_line(source: &Source) -> Span {
    let end = source.text.find('\n').unwrap_or(source.text.len());
    Span::new(0, end)
}
