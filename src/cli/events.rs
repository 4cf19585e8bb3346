//! Where update events come from: JSON documents (one event a file), NDJSON streams (one
//! event a line, from a file or stdin), and directories of either. Streams are read in
//! chunks so that memory stays bounded on files larger than RAM.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use declic::model::{Event, EventError};
use declic::Code;
use serde_json::json;

/// One source of events.
#[derive(Debug)]
pub enum Input {
    /// Files holding one JSON event each, named one after the other.
    Documents(Vec<PathBuf>),
    /// One event a line: a file, or stdin when `None`.
    Lines(Option<PathBuf>),
}

/// The inputs `paths` name and the pool of `threads` workers (one per core by default)
/// that reads them, as `run` and `diff` both need; or the exit code, once the problem is
/// shown.
pub fn inputs_and_pool(
    paths: &[PathBuf],
    threads: Option<usize>,
) -> Result<(Vec<Input>, rayon::ThreadPool), super::Exit> {
    let inputs = expand(paths).map_err(|problem| {
        eprintln!("{}", problem.text());
        super::Exit::Usage
    })?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|_| {
            eprintln!("error: cannot start worker threads");
            super::Exit::Usage
        })?;
    Ok((inputs, pool))
}

/// The inputs the arguments name, in order, directories expanded to their `.json`,
/// `.ndjson` and `.jsonl` files in path order.
pub fn expand(paths: &[PathBuf]) -> Result<Vec<Input>, Problem> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Lines(None));
        } else if path.is_dir() {
            let found = files_below(path)?;
            if found.is_empty() {
                return Err(Problem::file(
                    Code::Unreadable,
                    path,
                    "the directory holds no .json, .ndjson or .jsonl file",
                ));
            }
            found.into_iter().for_each(|path| add(&mut inputs, path));
        } else {
            add(&mut inputs, path.clone());
        }
    }
    Ok(inputs)
}

/// Adds the file at `path`: a stream of its own, or one more event file for the
/// documents before it.
fn add(inputs: &mut Vec<Input>, path: PathBuf) {
    if matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("ndjson" | "jsonl")
    ) {
        inputs.push(Input::Lines(Some(path)));
    } else if let Some(Input::Documents(paths)) = inputs.last_mut() {
        paths.push(path);
    } else {
        inputs.push(Input::Documents(vec![path]));
    }
}

/// The event files below `dir`, in path order, each folder read once however many links
/// lead to it (a link back to a parent would make the walk endless, and run events twice).
fn files_below(dir: &Path) -> Result<Vec<PathBuf>, Problem> {
    let mut walk = declic::load::Walk::new(&[".json", ".ndjson", ".jsonl"]);
    walk.folder(dir).map_err(|e| Problem::io(dir, &e))?;
    if let Some(link) = &walk.again {
        eprintln!(
            "warning[{}]: {}: leads to a folder already read: its events run once",
            Code::SymlinkLoop,
            link.display()
        );
    }
    let mut found = walk.files;
    found.sort();
    Ok(found)
}

/// The text of a one-event file.
pub fn read_document(path: &Path) -> Result<String, Problem> {
    let bytes = declic::load::read_file(path).map_err(|e| Problem::io(path, &e))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        Problem::file(
            Code::NotUtf8,
            path,
            format!("the file is not UTF-8 text (byte {at})"),
        )
    })
}

/// One line of an NDJSON stream.
pub struct Line {
    /// From 1.
    pub number: usize,
    /// The text, or why it is not text.
    pub text: Result<String, Problem>,
}

/// Reads an NDJSON stream a chunk at a time, skipping blank lines.
pub struct Lines {
    reader: Box<dyn BufRead + Send>,
    name: String,
    line: usize,
}

impl Lines {
    /// Opens a file, or stdin for `None`.
    pub fn open(path: Option<&Path>) -> Result<Lines, Problem> {
        let (reader, name): (Box<dyn BufRead + Send>, String) = match path {
            Some(p) => (
                Box::new(BufReader::new(
                    File::open(p).map_err(|e| Problem::io(p, &e))?,
                )),
                p.display().to_string(),
            ),
            None => (Box::new(BufReader::new(io::stdin())), "<stdin>".to_owned()),
        };
        Ok(Lines {
            reader,
            name,
            line: 0,
        })
    }

    /// The stream's name in messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Up to `max` non-blank lines; empty at the end of the stream.
    pub fn chunk(&mut self, max: usize) -> Result<Vec<Line>, Problem> {
        let mut out = Vec::new();
        let mut buf = Vec::new();
        while out.len() < max {
            buf.clear();
            // A line holds one event, so it is bounded as a one-event file is: read up to
            // the limit, and the rest of a longer line skipped rather than held.
            let max = declic::load::MAX_FILE_BYTES;
            let read = (&mut self.reader).take(max + 1).read_until(b'\n', &mut buf);
            let n = read.map_err(|e| Problem::io(Path::new(&self.name), &e))?;
            if n == 0 {
                break;
            }
            self.line += 1;
            if n as u64 > max && buf.last() != Some(&b'\n') {
                skip_line(&mut self.reader).map_err(|e| Problem::io(Path::new(&self.name), &e))?;
                let message = format!(
                    "the line is larger than {} MiB, the most one event may be",
                    max >> 20
                );
                out.push(Line {
                    number: self.line,
                    text: Err(Problem::at(
                        &self.name,
                        Some(self.line),
                        Code::FileTooLarge,
                        message,
                    )),
                });
                buf = Vec::new();
                continue;
            }
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            // The next line's buffer starts at this one's size: lines of a stream are alike,
            // and growing a buffer from nothing copies a long line several times.
            let text = std::mem::replace(&mut buf, Vec::with_capacity(n));
            out.push(Line {
                number: self.line,
                text: String::from_utf8(text).map_err(|_| {
                    Problem::at(
                        &self.name,
                        Some(self.line),
                        Code::NotUtf8,
                        "the line is not UTF-8 text",
                    )
                }),
            });
        }
        Ok(out)
    }
}

/// Reads past the end of the current line without keeping it.
fn skip_line(reader: &mut dyn BufRead) -> io::Result<()> {
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            return Ok(());
        }
        match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => {
                reader.consume(i + 1);
                return Ok(());
            }
            None => {
                let len = chunk.len();
                reader.consume(len);
            }
        }
    }
}

/// Parses one event; `line` is its NDJSON line, if it came from a stream.
pub fn parse(text: &str, name: &str, line: Option<usize>) -> Result<Event, Problem> {
    parse_with(text, name, line, Event::from_json)
}

/// [`parse`] with another reader of the event (one that takes only what the rules read).
pub fn parse_with(
    text: &str,
    name: &str,
    line: Option<usize>,
    read: impl FnOnce(&str) -> Result<Event, EventError>,
) -> Result<Event, Problem> {
    read(text).map_err(|e| Problem::event(name, line, &e))
}

/// A problem with one event or event source, reported without stopping the others.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Its stable code.
    pub code: Code,
    /// The file or stream.
    pub file: String,
    /// The 1-based line: of the stream for NDJSON, of the document otherwise.
    pub line: Option<usize>,
    /// The 1-based column in that line.
    pub column: Option<usize>,
    /// The JSON path of the bad value (`ticket.status`), when there is one.
    pub path: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    fn at(file: &str, line: Option<usize>, code: Code, message: impl Into<String>) -> Problem {
        Problem {
            code,
            file: file.to_owned(),
            line,
            column: None,
            path: None,
            message: message.into(),
        }
    }

    fn file(code: Code, path: &Path, message: impl Into<String>) -> Problem {
        Problem::at(&path.display().to_string(), None, code, message)
    }

    fn io(path: &Path, e: &io::Error) -> Problem {
        Problem::file(declic::load::io_code(e), path, format!("cannot read: {e}"))
    }

    fn event(file: &str, stream_line: Option<usize>, e: &EventError) -> Problem {
        let known = |n: usize| (n > 0).then_some(n);
        Problem {
            code: Code::InvalidEvent,
            file: file.to_owned(),
            // In a stream, the event is the line; its own line is always 1.
            line: stream_line.or(known(e.line)),
            column: known(e.column),
            path: (!e.path.is_empty()).then(|| e.path.clone()),
            message: e.message.clone(),
        }
    }

    /// Whether the source itself could not be read (exit 2), rather than one event being
    /// wrong (exit 1).
    pub fn is_unreadable(&self) -> bool {
        self.code.is_unreadable()
    }

    /// One line for people: `error[declic::invalid_event]: a.ndjson:3:14: ... (at ticket.status)`.
    pub fn text(&self) -> String {
        let mut place = self.file.clone();
        for n in [self.line, self.column].into_iter().flatten() {
            place.push_str(&format!(":{n}"));
        }
        let at = self
            .path
            .as_ref()
            .map(|p| format!(" (at `{p}`)"))
            .unwrap_or_default();
        format!("error[{}]: {place}: {}{at}", self.code, self.message)
    }

    /// The JSON object that stands in the output for the event that could not run.
    pub fn json(&self) -> serde_json::Value {
        json!({ "error": {
            "code": self.code,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
        }})
    }
}
