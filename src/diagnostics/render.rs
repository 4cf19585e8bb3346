//! Renderers: one [`Diagnostic`] shown as graphical text, plain text or JSON.

use serde::Serialize;

use super::{Code, Diagnostic, Severity};

/// How diagnostics are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Box drawing and colour, for a terminal.
    Graphical,
    /// The same layout without colour: for logs, pipes, `NO_COLOR` and snapshots.
    Plain,
}

/// Renders one diagnostic as text, with its source excerpt.
#[cfg(feature = "fancy")]
pub fn text(diagnostic: &Diagnostic, style: Style) -> String {
    use miette::{GraphicalReportHandler, GraphicalTheme};
    let theme = match style {
        Style::Graphical => GraphicalTheme::unicode(),
        Style::Plain => GraphicalTheme::unicode_nocolor(),
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = handler.render_report(&mut out, diagnostic);
    out
}

/// Renders one diagnostic as text. Without the `fancy` feature this is miette's
/// narrated form, which needs no terminal support.
#[cfg(not(feature = "fancy"))]
pub fn text(diagnostic: &Diagnostic, _style: Style) -> String {
    let mut out = String::new();
    let _ = miette::NarratableReportHandler::new().render_report(&mut out, diagnostic);
    out
}

/// The JSON form of a diagnostic: every field a tool needs, positions included.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic {
    /// `declic::unknown_field`.
    pub code: Code,
    /// `error`, `warning` or `advice`.
    pub severity: Severity,
    /// The message.
    pub message: String,
    /// The file, when the problem is about one.
    pub file: Option<String>,
    /// 1-based line of the primary span.
    pub line: Option<usize>,
    /// 1-based column (in characters) of the primary span.
    pub column: Option<usize>,
    /// Byte offset of the primary span.
    pub offset: Option<usize>,
    /// Byte length of the primary span.
    pub length: Option<usize>,
    /// The primary label's text.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
    /// Other places that belong to the same problem.
    pub related: Vec<JsonDiagnostic>,
}

impl From<&Diagnostic> for JsonDiagnostic {
    fn from(d: &Diagnostic) -> JsonDiagnostic {
        let primary = d.labels.first();
        let (line, column) = d.line_col().unzip();
        JsonDiagnostic {
            code: d.code,
            severity: d.severity,
            message: d.message.clone(),
            file: d.file.clone(),
            line,
            column,
            offset: primary.map(|l| l.span.start),
            length: primary.map(|l| l.span.len()),
            label: primary.and_then(|l| l.message.clone()),
            help: d.help.clone(),
            related: d.related.iter().map(JsonDiagnostic::from).collect(),
        }
    }
}

/// The JSON value of a diagnostic.
pub fn json(diagnostic: &Diagnostic) -> serde_json::Value {
    serde_json::to_value(JsonDiagnostic::from(diagnostic)).unwrap_or(serde_json::Value::Null)
}
