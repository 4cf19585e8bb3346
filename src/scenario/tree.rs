//! A TOML document read with the place of every key and value.
//!
//! The scenario reader walks this tree itself rather than deriving serde types: it can then
//! report every mistake of a file in one run, each with its own code and the exact span,
//! where serde stops at the first one with a generic message.

use std::sync::Arc;

use serde_json::Value;
pub(crate) use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::catalog::nearest;
use crate::diagnostics::{did_you_mean, excerpt, Code, Diagnostic, Source, Span};

/// Where the diagnostics of one scenario file go.
pub(crate) struct Sink {
    source: Arc<Source>,
    /// Every problem found so far.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl Sink {
    pub(crate) fn new(source: &Arc<Source>) -> Sink {
        Sink {
            source: Arc::clone(source),
            diagnostics: Vec::new(),
        }
    }

    /// Records a diagnostic in this file.
    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic.in_source(&self.source));
    }

    /// Records an error of `code` at `span`.
    pub(crate) fn error(&mut self, code: Code, message: String, span: Span, label: &str) {
        self.push(Diagnostic::error(code, message).label(span, label));
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parses `source` as TOML; every syntax error becomes a diagnostic.
pub(crate) fn parse(source: &Arc<Source>) -> Result<Spanned<DeTable<'_>>, Vec<Diagnostic>> {
    let (doc, errors) = DeTable::parse_recoverable(&source.text);
    if errors.is_empty() {
        return Ok(doc);
    }
    Err(errors
        .iter()
        .map(|e| syntax_error(source, e.message(), e.span()))
        .collect())
}

fn syntax_error(
    source: &Arc<Source>,
    message: &str,
    span: Option<std::ops::Range<usize>>,
) -> Diagnostic {
    let len = source.text.len();
    let span = span.map_or_else(
        || end_of_input(&source.text),
        |r| Span::new(r.start.min(len), r.end.min(len)),
    );
    let span = if span.start >= source.text.trim_end().len() {
        end_of_input(&source.text)
    } else {
        span
    };
    let message = message.trim().trim_end_matches('.');
    Diagnostic::error(Code::TomlSyntax, format!("invalid TOML: {message}"))
        .in_source(source)
        .label(span, "here")
        .help("scenario files are TOML: `key = \"value\"`, `[table]`, `[[list of tables]]`")
}

/// miette draws no label on an empty span at the end of the text: point at the last
/// character that is not blank instead.
fn end_of_input(text: &str) -> Span {
    let end = text.trim_end().len();
    let start = text[..end].char_indices().next_back().map_or(0, |(i, _)| i);
    Span::new(start, end)
}

fn span_of<T>(spanned: &Spanned<T>) -> Span {
    let r = spanned.span();
    Span::new(r.start, r.end)
}

/// One value and its place.
#[derive(Clone, Copy)]
pub(crate) struct Node<'a, 'i> {
    pub(crate) value: &'a DeValue<'i>,
    pub(crate) span: Span,
}

impl<'a, 'i> Node<'a, 'i> {
    pub(crate) fn new(spanned: &'a Spanned<DeValue<'i>>) -> Node<'a, 'i> {
        Node {
            value: spanned.get_ref(),
            span: span_of(spanned),
        }
    }

    /// The value's type as a message names it.
    fn kind(&self) -> &'static str {
        match self.value {
            DeValue::String(_) => "a string",
            DeValue::Integer(_) => "an integer",
            DeValue::Float(_) => "a number",
            DeValue::Boolean(_) => "a boolean",
            DeValue::Datetime(_) => "a date-time",
            DeValue::Array(_) => "a list",
            DeValue::Table(_) => "a table",
        }
    }

    /// Reports that `what` should have been `expected`.
    pub(crate) fn wrong_type(&self, sink: &mut Sink, what: &str, expected: &str) {
        sink.push(
            Diagnostic::error(
                Code::WrongType,
                format!("`{what}` must be {expected}, not {}", self.kind()),
            )
            .label(self.span, format!("{} here", self.kind())),
        );
    }

    pub(crate) fn str(&self, sink: &mut Sink, what: &str) -> Option<&'a str> {
        match self.value {
            DeValue::String(s) => Some(s.as_ref()),
            _ => {
                self.wrong_type(sink, what, "a string");
                None
            }
        }
    }

    pub(crate) fn bool(&self, sink: &mut Sink, what: &str) -> Option<bool> {
        match self.value {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(sink, what, "`true` or `false`");
                None
            }
        }
    }

    /// A whole number from 0 to `u32::MAX`.
    pub(crate) fn u32(&self, sink: &mut Sink, what: &str) -> Option<u32> {
        let number = match self.value {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
            _ => None,
        };
        let fitting = number.and_then(|n| u32::try_from(n).ok());
        if fitting.is_none() {
            self.wrong_type(sink, what, "a whole number from 0 to 4294967295");
        }
        fitting
    }

    pub(crate) fn table(&self, sink: &mut Sink, what: &str) -> Option<Table<'a, 'i>> {
        match self.value {
            DeValue::Table(t) => Some(Table::new(t, self.span)),
            _ => {
                self.wrong_type(sink, what, "a table");
                None
            }
        }
    }

    pub(crate) fn array(&self, sink: &mut Sink, what: &str) -> Option<Vec<Node<'a, 'i>>> {
        match self.value {
            DeValue::Array(items) => Some(items.iter().map(Node::new).collect()),
            _ => {
                self.wrong_type(sink, what, "a list");
                None
            }
        }
    }

    /// A list of strings, each with its place; items that are not strings are reported.
    pub(crate) fn strings(&self, sink: &mut Sink, what: &str) -> Option<Vec<(String, Span)>> {
        let items = self.array(sink, what)?;
        let strings: Vec<_> = items
            .iter()
            .filter_map(|n| Some((n.str(sink, &format!("{what}[]"))?.to_owned(), n.span)))
            .collect();
        (strings.len() == items.len()).then_some(strings)
    }

    /// The value as JSON: date-times become RFC 3339 strings, as the model reads them.
    pub(crate) fn json(self, sink: &mut Sink) -> Option<Value> {
        Some(match self.value {
            DeValue::String(s) => Value::String(s.to_string()),
            DeValue::Boolean(b) => Value::Bool(*b),
            DeValue::Datetime(d) => Value::String(d.to_string()),
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => Value::from(n),
                Err(_) => return self.not_json(sink),
            },
            DeValue::Float(f) => match f.as_str().parse::<f64>().ok().filter(|f| f.is_finite()) {
                Some(n) => Value::from(n),
                None => return self.not_json(sink),
            },
            DeValue::Array(items) => {
                let values: Vec<_> = items
                    .iter()
                    .filter_map(|n| Node::new(n).json(sink))
                    .collect();
                (values.len() == items.len()).then_some(Value::Array(values))?
            }
            DeValue::Table(t) => {
                let mut map = serde_json::Map::new();
                for (key, value) in t.iter() {
                    map.insert(key.get_ref().to_string(), Node::new(value).json(sink)?);
                }
                Value::Object(map)
            }
        })
    }

    fn not_json(&self, sink: &mut Sink) -> Option<Value> {
        sink.error(
            Code::WrongType,
            "this number does not fit a ticket value".to_owned(),
            self.span,
            "too large, or not finite",
        );
        None
    }

    /// The entries of a table, without reporting anything when it is not one.
    pub(crate) fn entries(&self) -> Option<impl Iterator<Item = (&'a str, Span, Node<'a, 'i>)>> {
        match self.value {
            DeValue::Table(t) => Some(Table::new(t, self.span).entries()),
            _ => None,
        }
    }

    /// The place of the value at `path` below this one, as serde_path_to_error names it;
    /// the deepest place the path reaches in the text.
    fn at<'p>(&self, path: impl Iterator<Item = &'p serde_path_to_error::Segment>) -> Span {
        use serde_path_to_error::Segment;
        let mut node = *self;
        for segment in path {
            let next = match (segment, node.value) {
                (Segment::Map { key }, DeValue::Table(t)) => t
                    .iter()
                    .find(|(k, _)| k.get_ref() == key)
                    .map(|(_, v)| Node::new(v)),
                (Segment::Seq { index }, DeValue::Array(items)) => items.get(*index).map(Node::new),
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
        }
        node.span
    }
}

/// A table being read: hands out its entries and, at the end, reports those not read.
pub(crate) struct Table<'a, 'i> {
    entries: &'a DeTable<'i>,
    /// The whole table.
    pub(crate) span: Span,
    read: Vec<&'a str>,
}

impl<'a, 'i> Table<'a, 'i> {
    fn new(entries: &'a DeTable<'i>, span: Span) -> Table<'a, 'i> {
        Table {
            entries,
            span,
            read: Vec::new(),
        }
    }

    /// The document's top-level table.
    pub(crate) fn root(doc: &'a Spanned<DeTable<'i>>) -> Table<'a, 'i> {
        Table::new(doc.get_ref(), span_of(doc))
    }

    /// The value of `key`, marked as read.
    pub(crate) fn get(&mut self, key: &'static str) -> Option<Node<'a, 'i>> {
        let (k, v) = self.entries.iter().find(|(k, _)| k.get_ref() == key)?;
        self.read.push(k.get_ref().as_ref());
        Some(Node::new(v))
    }

    /// The value of `key`, reported when absent.
    pub(crate) fn require(
        &mut self,
        sink: &mut Sink,
        key: &'static str,
        what: &str,
    ) -> Option<Node<'a, 'i>> {
        let node = self.get(key);
        if node.is_none() {
            sink.push(
                Diagnostic::error(Code::MissingKey, format!("{what} needs `{key}`"))
                    .label(self.head(), format!("no `{key}` here")),
            );
        }
        node
    }

    /// Every entry, in file order: key, key's place, value.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (&'a str, Span, Node<'a, 'i>)> {
        self.entries
            .iter()
            .map(|(k, v)| (k.get_ref().as_ref(), span_of(k), Node::new(v)))
    }

    /// The place of the value at `path` below this table (see [`Node::at`]).
    pub(crate) fn at(&self, path: &serde_path_to_error::Path) -> Span {
        let mut segments = path.iter();
        let first = match segments.next() {
            Some(serde_path_to_error::Segment::Map { key }) => {
                self.entries().find(|(k, _, _)| k == key)
            }
            _ => None,
        };
        first.map_or(self.head(), |(_, _, node)| node.at(segments))
    }

    /// The first line of the table, where a label about the whole table reads best.
    pub(crate) fn head(&self) -> Span {
        let len = self.span.len().min(1);
        Span::new(self.span.start, self.span.start + len)
    }

    /// Reports every key that is not one of `known`, the keys the format has here, or
    /// that was not read.
    pub(crate) fn finish(self, sink: &mut Sink, known: &[&'static str], what: &str) {
        for (key, span, _) in self.entries() {
            if !self.read.contains(&key) || !known.contains(&key) {
                unknown_key(sink, key, span, known, what);
            }
        }
    }
}

/// Reports `key` as unknown in `what`, with the nearest of `known`.
pub(crate) fn unknown_key(
    sink: &mut Sink,
    key: &str,
    span: Span,
    known: &[&'static str],
    what: &str,
) {
    let nearest = nearest(key, known.iter().map(|k| (*k, *k)));
    let help = did_you_mean(&nearest).unwrap_or_else(|| {
        let list: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
        format!("{what} takes {}", list.join(", "))
    });
    sink.push(
        Diagnostic::error(
            Code::UnknownKey,
            format!("unknown key `{}` in {what}", excerpt(key)),
        )
        .label(span, "not a key here")
        .help(help),
    );
}
