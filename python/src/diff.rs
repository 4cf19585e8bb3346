//! `declic.diff`: what a change to a rule set does to the same events, as the library's
//! backtest reports it (`declic diff --format json`).

use declic::diff::{Differ, EventDiff, Options, Report, Tally};
use declic::model::Event;
use declic::Code;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rayon::prelude::*;

use crate::events::{self, Problem};
use crate::rules::Rules;

/// Events compared at a time: enough to keep every core busy, few enough that the
/// comparisons waiting to be tallied stay small.
const CHUNK: usize = 4096;

/// Runs every event through the `old` and the `new` rule set (each a `Rules` or the path
/// of one) on all cores, without the GIL: the report `declic diff --format json` prints,
/// as a dict. Events are named by `names` if given (one each), else by their position
/// from 1; `show` is how many examples of each kind of difference the report keeps.
#[pyfunction]
#[pyo3(signature = (old, new, events, *, show = declic::diff::DEFAULT_SHOW, names = None))]
pub fn diff<'py>(
    py: Python<'py>,
    old: &Bound<'py, PyAny>,
    new: &Bound<'py, PyAny>,
    events: &Bound<'py, PyAny>,
    show: usize,
    names: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let (old, new) = (rules(old)?, rules(new)?);
    let texts = events::texts(events)?;
    let names: Vec<String> = match names {
        Some(names) => names
            .try_iter()?
            .map(|n| n?.extract())
            .collect::<PyResult<_>>()?,
        None => (1..=texts.len()).map(|n| n.to_string()).collect(),
    };
    if names.len() != texts.len() {
        let message = format!("{} names for {} events", names.len(), texts.len());
        return Err(PyValueError::new_err(message));
    }
    let options = Options { show };
    let (old, new) = (old.get(), new.get());
    let report = py.detach(|| compare(old, new, texts, &names, &options));
    // A report is plain data with string keys: serialising it cannot fail.
    let text = serde_json::to_string(&report).unwrap_or_default();
    py.import("json")?.getattr("loads")?.call1((text,))
}

/// A `Rules` as given, or the one loaded from the path given.
fn rules<'py>(given: &Bound<'py, PyAny>) -> PyResult<Bound<'py, Rules>> {
    if let Ok(rules) = given.cast::<Rules>() {
        return Ok(rules.clone());
    }
    Bound::new(given.py(), Rules::load(given.py(), given.extract()?, None)?)
}

/// Compares the events, a chunk at a time on all cores, and tallies them in order.
fn compare(
    old: &Rules,
    new: &Rules,
    texts: Vec<Result<String, Problem>>,
    names: &[String],
    options: &Options,
) -> Report {
    let differ = Differ::new(old.compiled(), new.compiled());
    let mut tally = Tally::new(&differ, options);
    let mut names = names.iter();
    for chunk in texts.chunks(CHUNK) {
        let diffs: Vec<Result<EventDiff, Problem>> = chunk
            .par_iter()
            .map(|text| one(&differ, text.as_ref()))
            .collect();
        for (diff, name) in diffs.into_iter().zip(names.by_ref()) {
            match diff {
                Ok(diff) => tally.add(name, diff),
                Err(problem) => tally.unreadable(name, problem.code, &problem.message),
            }
        }
    }
    tally.finish()
}

/// Compares one event; a problem for one that cannot be read, worded as the library's
/// own diff words it.
fn one(differ: &Differ<'_>, text: Result<&String, &Problem>) -> Result<EventDiff, Problem> {
    let text = text.map_err(Problem::clone)?;
    let event =
        Event::from_json(text).map_err(|e| Problem::new(Code::InvalidEvent, e.to_string()))?;
    Ok(differ.compare(&event))
}
