//! Choosing how diagnostics are shown, and showing them.

use std::io::{IsTerminal, Write};

use clap::ValueEnum;
use declic::diagnostics::render::{self, Style};
use declic::Diagnostic;

use super::Exit;

/// How a command reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Graphical on a terminal, plain otherwise.
    Auto,
    /// Source excerpts with colour and box drawing.
    Human,
    /// The same layout without colour.
    Plain,
    /// One JSON document.
    Json,
    /// A SARIF 2.1.0 log, for code-scanning services.
    Sarif,
    /// GitHub Actions annotations (`::error file=...`), one a line.
    Github,
    /// A JUnit XML report, for CI test views.
    Junit,
}

impl Format {
    /// The text style `Auto` stands for: graphical only on a terminal without `NO_COLOR`.
    pub fn style(self) -> Style {
        match self {
            Format::Human => Style::Graphical,
            Format::Auto if std::io::stdout().is_terminal() && !no_color() => Style::Graphical,
            _ => Style::Plain,
        }
    }
}

/// The style for text on stderr: graphical on a terminal without `NO_COLOR`.
pub fn stderr_style() -> Style {
    if std::io::stderr().is_terminal() && !no_color() {
        Style::Graphical
    } else {
        Style::Plain
    }
}

fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

/// Every diagnostic as text, one after the other.
pub fn text(diagnostics: &[Diagnostic], style: Style) -> String {
    diagnostics
        .iter()
        .map(|d| render::text(d, style))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Writes `text` to stdout, the one way every command writes its result. A reader that
/// went away (`declic check | head -c1`) is a normal end: the process stops quietly with 0,
/// as nobody reads the rest. Any other failure (a full disk) loses the result: the process
/// stops with a message and exit 2 rather than report a success. `print!` panics in both.
pub fn emit(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        write_failed(&e)
    }
}

/// Ends the process after a write to stdout failed, as [`emit`] says.
pub fn write_failed(error: &std::io::Error) -> ! {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(Exit::Ok as i32)
    }
    eprintln!(
        "error[{}]: cannot write the output: {}",
        declic::Code::Unwritable,
        declic::load::io_reason(error)
    );
    std::process::exit(Exit::Usage as i32)
}

/// Shows diagnostics on standard error, for commands whose standard output is their
/// result (`import`, `export`). Advice is left out: those commands have nothing to advise.
pub fn to_stderr(diagnostics: &[Diagnostic], format: Format) {
    let shown: Vec<Diagnostic> = diagnostics
        .iter()
        .filter(|d| d.severity != declic::Severity::Advice)
        .cloned()
        .collect();
    if shown.is_empty() {
        return;
    }
    match format {
        Format::Json => {
            let list: Vec<serde_json::Value> = shown.iter().map(render::json).collect();
            eprintln!("{:#}", serde_json::Value::Array(list));
        }
        format => eprintln!("{}", text(&shown, format.style())),
    }
}
