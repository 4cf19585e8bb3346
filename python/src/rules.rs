//! `declic.Rules`, a rule set loaded once and run many times, and `declic.check`.

use std::path::{Path, PathBuf};

use declic::account::Account;
use declic::engine::Compiled;
use declic::routing::{Agents, Router};
use declic::{Code, Diagnostic, Severity};
use pyo3::prelude::*;
use pyo3::types::PyList;
use rayon::prelude::*;

use crate::errors::{self, DeclicError};
use crate::events::{self, Engine, Output, Problem};

/// A checked and compiled rule set. It is immutable: threads may share one and call `run`
/// at once.
#[pyclass(frozen, module = "declic")]
pub struct Rules {
    engine: Engine,
    /// The triggers' titles, in run order.
    titles: Vec<String>,
    /// The warnings of checking and compiling: the rules still run.
    warnings: Vec<Diagnostic>,
}

/// Why a rule set did not load, before it is turned into an exception.
enum LoadError {
    /// Checking found errors, or the files could not be read.
    Rules(Vec<Diagnostic>),
    /// Something else: its code (`declic::...`) and message.
    Other(String, String),
}

#[pymethods]
impl Rules {
    /// Loads, checks and compiles the rule set at `path` (a `.declic` file or a folder of
    /// them), for the account whose API exports are in the folder `account` if given.
    #[staticmethod]
    #[pyo3(signature = (path, account = None))]
    pub fn load(py: Python<'_>, path: PathBuf, account: Option<PathBuf>) -> PyResult<Rules> {
        match py.detach(|| load(&path, account.as_deref())) {
            Ok(rules) => Ok(rules),
            Err(LoadError::Rules(diagnostics)) => Err(errors::rules_error(py, &diagnostics)),
            Err(LoadError::Other(code, message)) => {
                Err(errors::raise::<DeclicError>(py, message, &code, &[]))
            }
        }
    }

    /// The triggers' titles, in the order they run.
    #[getter]
    fn triggers(&self) -> Vec<String> {
        self.titles.clone()
    }

    /// The warnings of checking the rule set, as `declic check --format json` lists them.
    #[getter]
    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        diagnostics_list(py, &self.warnings)
    }

    /// The outcome of one event (a dict, or its JSON text): what `declic run` prints; with
    /// `output="changes"`, what `declic run --output changes` prints (what fired and
    /// changed, without the ticket). Raises `EventError` when the event is not a valid
    /// event, `DeclicError` when `output` names no output.
    #[pyo3(signature = (event, output = "outcome"))]
    fn run<'py>(
        &self,
        py: Python<'py>,
        event: &Bound<'py, PyAny>,
        output: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let output = Output::parse(py, output)?;
        let json = py.import("json")?;
        let text = events::text_of(event, &json.getattr("dumps")?).map_err(|p| p.into_err(py))?;
        let answer = py
            .detach(|| self.engine.run(&text, output))
            .map_err(|p| p.into_err(py))?;
        json.getattr("loads")?.call1((answer.json,))
    }

    /// The outcomes (or with `output="changes"`, the changes) of many events, in order,
    /// run on all cores. An event that is not valid has `{"error": {"code": ...,
    /// "message": ...}}` in its place, as `declic run` prints.
    #[pyo3(signature = (events, output = "outcome"))]
    fn run_many<'py>(
        &self,
        py: Python<'py>,
        events: &Bound<'py, PyAny>,
        output: &str,
    ) -> PyResult<Bound<'py, PyList>> {
        let output = Output::parse(py, output)?;
        let texts = events::texts(events)?;
        let outcomes = py.detach(|| self.run_texts(texts, output));
        let loads = py.import("json")?.getattr("loads")?;
        without_collector(py, || {
            let out = PyList::empty(py);
            for outcome in outcomes {
                out.append(loads.call1((outcome,))?)?;
            }
            Ok(out)
        })
    }

    /// Runs every event of `column` (JSON text) in `batch`, a `pyarrow.RecordBatch` or
    /// `Table`, on all cores: a `RecordBatch` of `outcome` (the JSON `declic run` prints;
    /// with `output="changes"`, a column `changes` of what `--output changes` prints),
    /// `fired` (the titles of the triggers that fired, null for an event that did not run)
    /// and `error` (its code, null for an event that ran), a row per event in order.
    #[pyo3(signature = (batch, column = "event", output = "outcome"))]
    fn run_arrow<'py>(
        &self,
        batch: &Bound<'py, PyAny>,
        column: &str,
        output: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let output = Output::parse(batch.py(), output)?;
        crate::arrow::run_arrow(&self.engine, batch, column, output)
    }

    fn __repr__(&self) -> String {
        format!("<declic.Rules: {} triggers>", self.titles.len())
    }
}

impl Rules {
    /// The compiled triggers.
    pub fn compiled(&self) -> &Compiled {
        &self.engine.compiled
    }

    /// Runs event texts on all cores: each answer's JSON text, or its problem's, in order.
    pub fn run_texts(&self, texts: Vec<Result<String, Problem>>, output: Output) -> Vec<String> {
        texts
            .into_par_iter()
            .map(|text| {
                text.and_then(|t| self.engine.run(&t, output))
                    .map_or_else(|p| p.json(), |answer| answer.json)
            })
            .collect()
    }
}

/// Runs `build` with Python's cyclic garbage collector paused, then restores it as it
/// was. The collector runs as container objects pile up: building a hundred thousand
/// outcome dicts set it off so often that, measured, it took 586 s against 20 s paused.
/// Outcomes hold no reference cycles, so pausing it leaves nothing uncollected.
fn without_collector<'py, T>(py: Python<'py>, build: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    let gc = py.import("gc")?;
    let was_on = gc.call_method0("isenabled")?.is_truthy()?;
    gc.call_method0("disable")?;
    let built = build();
    if was_on {
        gc.call_method0("enable")?;
    }
    built
}

/// Loads the rule set at `path` as `declic run --account account_dir` does, without
/// printing anything: its warnings are kept for `Rules.warnings`, and routing's agents
/// come from the account folder's `agents.json` when it has one.
fn load(path: &Path, account_dir: Option<&Path>) -> Result<Rules, LoadError> {
    let account = account_dir
        .map(Account::load)
        .transpose()
        .map_err(|e| LoadError::Other(e.code().to_string(), e.to_string()))?;
    let checked = declic::check_path_with(path, account.as_ref());
    let mut warnings: Vec<Diagnostic> = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .cloned()
        .collect();
    let rules = checked
        .into_result()
        .map_err(|e| LoadError::Rules(e.diagnostics))?;
    // A checked rule set always compiles; the error path guards against a change there.
    let compiled = Compiled::with_account(&rules, account.as_ref()).map_err(compile_error)?;
    warnings.extend(compiled.warnings().iter().cloned());
    let router = Router::new(&rules).map_err(compile_error)?;
    let titles = compiled.titles().map(str::to_owned).collect();
    Ok(Rules {
        engine: Engine {
            compiled,
            router,
            agents: agents(account_dir)?,
        },
        titles,
        warnings,
    })
}

/// The agents in `dir`'s `agents.json`, when the account folder has one.
fn agents(dir: Option<&Path>) -> Result<Option<Agents>, LoadError> {
    let Some(file) = dir.map(|d| d.join("agents.json")).filter(|f| f.is_file()) else {
        return Ok(None);
    };
    Agents::load(&file).map(Some).map_err(|e| {
        let code = miette::Diagnostic::code(&e).map(|c| c.to_string());
        LoadError::Other(
            code.unwrap_or_else(|| Code::Unreadable.to_string()),
            e.to_string(),
        )
    })
}

fn compile_error(e: declic::engine::CompileError) -> LoadError {
    use declic::engine::CompileError as E;
    let code = match e {
        E::OperatorNotAllowed { .. } => Code::OperatorNotAllowed,
        E::InvalidValue { .. } => Code::InvalidValue,
        E::TooDeep { .. } => Code::TooDeep,
    };
    LoadError::Other(code.to_string(), e.to_string())
}

/// Checks and lints the rule set at `path` (a file or a folder) as `declic check` does,
/// with the account its `declic.toml` names unless `account` is given: the diagnostics, as
/// `declic check --format json` lists them.
#[pyfunction]
#[pyo3(signature = (path, account = None))]
pub fn check(
    py: Python<'_>,
    path: PathBuf,
    account: Option<PathBuf>,
) -> PyResult<Bound<'_, PyList>> {
    let diagnostics = py.detach(|| checked(&path, account.as_deref()));
    diagnostics_list(py, &diagnostics)
}

fn checked(path: &Path, account: Option<&Path>) -> Vec<Diagnostic> {
    let (config, _) = declic::lint::Config::load(path);
    let dir = account.or(config.account());
    let account = match dir.map(Account::load).transpose() {
        Ok(account) => account,
        Err(e) => return vec![e.to_diagnostic()],
    };
    declic::check_path_with(path, account.as_ref()).diagnostics
}

/// Diagnostics as the list of dicts `declic check --format json` prints.
pub fn diagnostics_list<'py>(
    py: Python<'py>,
    diagnostics: &[Diagnostic],
) -> PyResult<Bound<'py, PyList>> {
    let loads = py.import("json")?.getattr("loads")?;
    let out = PyList::empty(py);
    for d in diagnostics {
        let text = declic::diagnostics::render::json(d).to_string();
        out.append(loads.call1((text,))?)?;
    }
    Ok(out)
}
