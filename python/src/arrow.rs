//! `Rules.run_arrow`: a column of event JSON texts in, columns of outcomes out, through
//! pyarrow's own Python API. The column's buffers are read as bytes and the outcomes go
//! back as buffers, so no Python object is made per event and no Arrow crate is built.

use declic::Code;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};
use rayon::prelude::*;

use crate::events::{Engine, Output, Problem};

/// One chunk of a string column, its buffers copied out of Arrow as Python bytes.
struct Chunk<'py> {
    /// Bit `offset + i` is 0 for a null; `None` when nothing is null.
    validity: Option<Bound<'py, PyBytes>>,
    /// `len + 1` little-endian integers from `offset`, of `width` bytes each.
    offsets: Bound<'py, PyBytes>,
    /// The texts, end to end.
    data: Option<Bound<'py, PyBytes>>,
    offset: usize,
    len: usize,
    width: usize,
}

/// What one event gave: its answer's JSON text (or its problem's), the titles of the
/// triggers that fired, and the problem's code if it did not run.
struct Ran {
    outcome: String,
    fired: Vec<String>,
    error: Option<Code>,
}

/// Runs every event of `column` in `batch` (a `pyarrow.RecordBatch` or `Table`) on all
/// cores, without the GIL: a `RecordBatch` of the answers named by `output` (`outcome`,
/// the JSON `declic run` prints, or `changes`, what `--output changes` prints), `fired`
/// (the triggers' titles, null for an event that did not run) and `error` (its code, null
/// for one that ran), a row per event in order.
pub fn run_arrow<'py>(
    engine: &Engine,
    batch: &Bound<'py, PyAny>,
    column: &str,
    output: Output,
) -> PyResult<Bound<'py, PyAny>> {
    let py = batch.py();
    let pa = py.import("pyarrow")?;
    let values = batch.call_method1("column", (column,))?;
    let chunks: Vec<Bound<'py, PyAny>> = match values.getattr("chunks") {
        Ok(chunks) => chunks.extract()?,
        Err(_) => vec![values],
    };
    let chunks = chunks
        .iter()
        .map(|c| chunk(&pa, c))
        .collect::<PyResult<Vec<_>>>()?;
    let mut texts = Vec::new();
    for c in &chunks {
        texts.extend(strings(c).map_err(|e| PyValueError::new_err(e.to_owned()))?);
    }
    let ran: Vec<Ran> = py.detach(|| {
        texts
            .into_par_iter()
            .map(|t| run(engine, t, output))
            .collect()
    });
    let (outcome, fired, error) = py.detach(|| columns(&ran));
    let arrays = [
        outcome.array(&pa, py)?,
        fired.array(&pa, py)?,
        error.array(&pa, py)?,
    ];
    let names = [output.name(), "fired", "error"];
    pa.getattr("RecordBatch")?
        .call_method1("from_arrays", (PyList::new(py, arrays)?, names))
}

/// The buffers of one chunk of a string column; other text types are cast first.
fn chunk<'py>(pa: &Bound<'py, PyModule>, array: &Bound<'py, PyAny>) -> PyResult<Chunk<'py>> {
    let kind = array.getattr("type")?;
    let width = if kind.eq(pa.call_method0("string")?)? {
        4
    } else if kind.eq(pa.call_method0("large_string")?)? {
        8
    } else {
        0
    };
    let (array, width) = if width == 0 {
        let cast = array.call_method1("cast", (pa.call_method0("large_string")?,));
        let cast = cast.map_err(|e| {
            PyTypeError::new_err(format!("the events column must hold JSON text: {e}"))
        })?;
        (cast, 8)
    } else {
        (array.clone(), width)
    };
    let buffers: Vec<Option<Bound<'py, PyAny>>> = array.call_method0("buffers")?.extract()?;
    let bytes = |i: usize| -> PyResult<Option<Bound<'py, PyBytes>>> {
        match buffers.get(i) {
            Some(Some(b)) => Ok(Some(b.call_method0("to_pybytes")?.cast_into()?)),
            _ => Ok(None),
        }
    };
    let offsets =
        bytes(1)?.ok_or_else(|| PyValueError::new_err("a string array without offsets"))?;
    Ok(Chunk {
        validity: bytes(0)?,
        offsets,
        data: bytes(2)?,
        offset: array.getattr("offset")?.extract()?,
        len: array.len()?,
        width,
    })
}

/// Each text of a chunk, or why it is not one; an error when the buffers do not hold
/// what Arrow says they hold.
fn strings<'a>(c: &'a Chunk<'_>) -> Result<Vec<Result<&'a str, Problem>>, &'static str> {
    let offsets = c.offsets.as_bytes();
    let data = c.data.as_ref().map_or(&[][..], |d| d.as_bytes());
    let validity = c.validity.as_ref().map(|v| v.as_bytes());
    let at = |i: usize| -> Option<usize> {
        let start = (c.offset + i).checked_mul(c.width)?;
        let bytes = offsets.get(start..start + c.width)?;
        let value = match c.width {
            4 => i64::from(i32::from_le_bytes(bytes.try_into().ok()?)),
            _ => i64::from_le_bytes(bytes.try_into().ok()?),
        };
        usize::try_from(value).ok()
    };
    let bad = "the events column's buffers are not a valid Arrow string array";
    (0..c.len)
        .map(|i| {
            let bit = c.offset + i;
            let valid =
                validity.is_none_or(|v| v.get(bit / 8).is_some_and(|b| b >> (bit % 8) & 1 == 1));
            if !valid {
                return Ok(Err(Problem::new(Code::InvalidEvent, "the event is null")));
            }
            let (start, end) = at(i).zip(at(i + 1)).ok_or(bad)?;
            let text = data.get(start..end).ok_or(bad)?;
            Ok(std::str::from_utf8(text)
                .map_err(|_| Problem::new(Code::NotUtf8, "the event is not UTF-8 text")))
        })
        .collect()
}

/// Runs one event.
fn run(engine: &Engine, text: Result<&str, Problem>, output: Output) -> Ran {
    match text.and_then(|t| engine.run(t, output)) {
        Ok(answer) => Ran {
            outcome: answer.json,
            fired: answer.fired,
            error: None,
        },
        Err(problem) => Ran {
            outcome: problem.json(),
            fired: Vec::new(),
            error: Some(problem.code),
        },
    }
}

/// The output columns' buffers.
fn columns(ran: &[Ran]) -> (Strings, Lists, Strings) {
    let mut outcome = Strings::default();
    let mut fired = Lists::default();
    let mut error = Strings::default();
    for r in ran {
        outcome.push(Some(&r.outcome));
        match r.error {
            None => {
                fired.push(Some(&r.fired));
                error.push(None);
            }
            Some(code) => {
                fired.push(None);
                error.push(Some(code.as_str()));
            }
        }
    }
    (outcome, fired, error)
}

/// A string column being built, as Arrow lays it out.
#[derive(Default)]
struct Strings {
    offsets: Vec<i64>,
    data: Vec<u8>,
    validity: Validity,
}

impl Strings {
    fn push(&mut self, text: Option<&str>) {
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        self.data.extend_from_slice(text.unwrap_or("").as_bytes());
        self.offsets.push(self.data.len() as i64);
        self.validity.push(text.is_some());
    }

    /// The column as a pyarrow array: `string`, or `large_string` past 2 GiB of text.
    fn array<'py>(
        &self,
        pa: &Bound<'py, PyModule>,
        py: Python<'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (offsets, wide) = offset_bytes(&self.offsets);
        let kind = pa.call_method0(if wide { "large_string" } else { "string" })?;
        let buffers = [
            self.validity.buffer(py)?,
            Some(buffer(pa, py, &offsets)?),
            Some(buffer(pa, py, &self.data)?),
        ];
        from_buffers(pa, &kind, self.validity.len, buffers, None)
    }
}

/// A `list<string>` column being built.
#[derive(Default)]
struct Lists {
    offsets: Vec<i64>,
    values: Strings,
    validity: Validity,
}

impl Lists {
    fn push(&mut self, items: Option<&[String]>) {
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        for item in items.unwrap_or_default() {
            self.values.push(Some(item));
        }
        self.offsets
            .push(self.values.offsets.len().saturating_sub(1) as i64);
        self.validity.push(items.is_some());
    }

    fn array<'py>(
        &self,
        pa: &Bound<'py, PyModule>,
        py: Python<'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let values = self.values.array(pa, py)?;
        let (offsets, wide) = offset_bytes(&self.offsets);
        let kind = if wide { "large_list" } else { "list_" };
        let kind = pa.call_method1(kind, (values.getattr("type")?,))?;
        let buffers = [self.validity.buffer(py)?, Some(buffer(pa, py, &offsets)?)];
        from_buffers(pa, &kind, self.validity.len, buffers, Some(values))
    }
}

/// A validity bitmap being built: bit i is 1 when value i is not null.
#[derive(Default)]
struct Validity {
    bits: Vec<u8>,
    len: usize,
    nulls: usize,
}

impl Validity {
    fn push(&mut self, valid: bool) {
        if self.len % 8 == 0 {
            self.bits.push(0);
        }
        if valid {
            self.bits[self.len / 8] |= 1 << (self.len % 8);
        } else {
            self.nulls += 1;
        }
        self.len += 1;
    }

    /// The bitmap as a pyarrow buffer, or `None` when nothing is null (Arrow's shorthand).
    fn buffer<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        if self.nulls == 0 {
            return Ok(None);
        }
        buffer(&py.import("pyarrow")?, py, &self.bits).map(Some)
    }
}

/// Offsets as Arrow's buffer: 32-bit when the last fits (`string`, `list`), else 64-bit
/// (`large_string`, `large_list`), which the second value tells.
fn offset_bytes(offsets: &[i64]) -> (Vec<u8>, bool) {
    // An empty column still has its one offset.
    let offsets = if offsets.is_empty() {
        &[0][..]
    } else {
        offsets
    };
    let narrow: Option<Vec<i32>> = offsets.iter().map(|&o| i32::try_from(o).ok()).collect();
    match narrow {
        Some(narrow) => (narrow.iter().flat_map(|o| o.to_le_bytes()).collect(), false),
        None => (offsets.iter().flat_map(|o| o.to_le_bytes()).collect(), true),
    }
}

/// `bytes` as a pyarrow buffer, through one copy into a Python `bytes` that the buffer
/// then shares.
fn buffer<'py>(
    pa: &Bound<'py, PyModule>,
    py: Python<'py>,
    bytes: &[u8],
) -> PyResult<Bound<'py, PyAny>> {
    pa.call_method1("py_buffer", (PyBytes::new(py, bytes),))
}

/// `pyarrow.Array.from_buffers`, with the values of a list as its child.
fn from_buffers<'py, const N: usize>(
    pa: &Bound<'py, PyModule>,
    kind: &Bound<'py, PyAny>,
    len: usize,
    buffers: [Option<Bound<'py, PyAny>>; N],
    child: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = pa.py();
    let buffers = PyList::new(py, buffers)?;
    let children = child.map(|c| PyList::new(py, [c])).transpose()?;
    pa.getattr("Array")?
        .call_method1("from_buffers", (kind, len, buffers, -1, 0, children))
}
