//! The exceptions the module raises: each carries the stable `declic::...` code of the
//! problem as `.code`, as the command line prints it.

use declic::Code;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

pyo3::create_exception!(
    declic,
    DeclicError,
    PyException,
    "Base of declic's errors; `.code` is the stable `declic::...` code."
);
pyo3::create_exception!(
    declic,
    RulesError,
    DeclicError,
    "The rule set has errors, or cannot be read; `.diagnostics` lists them all."
);
pyo3::create_exception!(
    declic,
    EventError,
    DeclicError,
    "An event is not valid JSON or not a valid event; `.path`, `.line` and `.column` say where."
);

/// The code of an `output` argument that names no output: the code `declic serve` gives
/// an unknown `?output=`.
pub const UNKNOWN_OUTPUT: &str = "declic::unknown_output";

/// Adds the exception classes to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("DeclicError", py.get_type::<DeclicError>())?;
    m.add("RulesError", py.get_type::<RulesError>())?;
    m.add("EventError", py.get_type::<EventError>())?;
    Ok(())
}

/// A [`DeclicError`] (or a subclass `E`) with `message` and `code`, and `attributes` set
/// on it for the caller to read.
pub fn raise<E: pyo3::PyTypeInfo>(
    py: Python<'_>,
    message: String,
    code: &str,
    attributes: &[(&str, Bound<'_, PyAny>)],
) -> PyErr {
    let err = PyErr::new::<E, _>(message);
    let value = err.value(py);
    // Setting an attribute on a fresh exception instance cannot fail.
    let _ = value.setattr("code", code);
    for (name, v) in attributes {
        let _ = value.setattr(*name, v);
    }
    err
}

/// The error of a rule set that does not load: its first error's message and code, and
/// every diagnostic (the same dicts as [`crate::rules::check`] returns).
pub fn rules_error(py: Python<'_>, diagnostics: &[declic::Diagnostic]) -> PyErr {
    let first = diagnostics.iter().find(|d| d.is_error());
    let (message, code) = match first {
        Some(d) => (rules_message(d, diagnostics), d.code),
        None => ("the rule set has errors".to_owned(), Code::Syntax),
    };
    match crate::rules::diagnostics_list(py, diagnostics) {
        Ok(list) => raise::<RulesError>(
            py,
            message,
            code.as_str(),
            &[("diagnostics", list.into_any())],
        ),
        Err(e) => e,
    }
}

/// `file:line:column: message (and N more errors)`.
fn rules_message(first: &declic::Diagnostic, all: &[declic::Diagnostic]) -> String {
    let mut place = first.file.clone().unwrap_or_default();
    if let Some((line, column)) = first.line_col() {
        place.push_str(&format!(":{line}:{column}"));
    }
    let more = all.iter().filter(|d| d.is_error()).count() - 1;
    let more = match more {
        0 => String::new(),
        1 => " (and 1 more error)".to_owned(),
        n => format!(" (and {n} more errors)"),
    };
    let place = if place.is_empty() {
        place
    } else {
        place + ": "
    };
    format!("{place}{}{more}", first.message)
}
