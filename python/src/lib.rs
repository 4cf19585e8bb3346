//! `declic` for Python: load a rule set once, run update events through it (one at a time,
//! by the thousand on all cores, or as Arrow columns), check rule files and compare two
//! rule sets on the same events.
//!
//! Every answer is the JSON the command line prints, as Python values: an outcome is what
//! `declic run` prints for the event, a diagnostic what `declic check --format json` lists.

mod arrow;
mod diff;
mod errors;
mod events;
mod rules;

use pyo3::prelude::*;

/// The Python module `declic`.
#[pymodule(name = "declic")]
fn declic_module(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<rules::Rules>()?;
    m.add_function(wrap_pyfunction!(rules::check, m)?)?;
    m.add_function(wrap_pyfunction!(diff::diff, m)?)?;
    errors::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
