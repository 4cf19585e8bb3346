//! A test run as people and tools read it: text with one line per scenario, one JSON
//! document, or JUnit XML for CI servers.

use indexmap::IndexMap;
use serde_json::json;

use super::diff::Colour;
use super::run::Failure;
use super::suite::{Case, Report};
use crate::diagnostics::junit::escape;
use crate::diagnostics::render::{self, Style};
use crate::diagnostics::Diagnostic;

/// Columns the details of a failure are indented by, under its name.
const INDENT: &str = "        ";

/// The run as text: diagnostics first (they say why some files did not run), then one
/// line per scenario with the details of each failure, then a summary line.
pub fn text(report: &Report, style: Style) -> String {
    let colour = match style {
        Style::Graphical => Colour::Ansi,
        Style::Plain => Colour::None,
    };
    let mut out = String::new();
    for d in &report.diagnostics {
        out.push_str(&render::text(d, style));
        out.push('\n');
    }
    for case in &report.cases {
        out.push_str(&case_text(case, colour));
    }
    if !report.cases.is_empty() {
        out.push('\n');
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

fn case_text(case: &Case, colour: Colour) -> String {
    let Some(failure) = &case.failure else {
        return format!("{}      {}\n", colour.green("ok"), case.name);
    };
    let mut out = format!("{}  {}\n", colour.red("FAILED"), case.name);
    out.push_str(&format!("{INDENT}{}\n", failure_heading(case, failure)));
    for line in failure.mismatches.iter().flat_map(|m| m.lines(colour)) {
        out.push_str(&format!("{INDENT}{line}\n"));
    }
    out
}

/// Where a scenario failed: `file:line: step 2, end user inactive for 12 minutes`.
fn failure_heading(case: &Case, failure: &Failure) -> String {
    format!(
        "{}:{}: step {}, {}",
        case.file, failure.line, failure.step, failure.description
    )
}

/// `scenarios: 3 passed, 1 failed`, and the errors that stopped files from running.
pub fn summary(report: &Report) -> String {
    let mut line = format!(
        "scenarios: {} passed, {} failed",
        report.passed(),
        report.failed()
    );
    let errors = report.errors();
    if errors > 0 {
        let s = if errors == 1 { "" } else { "s" };
        line.push_str(&format!(
            "; {errors} error{s} in scenario files or their rules"
        ));
    }
    line
}

/// The run as one JSON document: `scenarios`, `diagnostics` and `summary`.
pub fn json(report: &Report) -> serde_json::Value {
    let scenarios: Vec<_> = report
        .cases
        .iter()
        .map(|c| {
            json!({
                "name": c.name,
                "file": c.file,
                "line": c.line,
                "status": if c.failure.is_some() { "failed" } else { "passed" },
                "failure": c.failure,
            })
        })
        .collect();
    json!({
        "scenarios": scenarios,
        "diagnostics": report.diagnostics.iter().map(render::json).collect::<Vec<_>>(),
        "summary": {
            "files": report.files,
            "scenarios": report.cases.len(),
            "passed": report.passed(),
            "failed": report.failed(),
            "errors": report.errors(),
        },
    })
}

/// What one file contributes to the JUnit report.
#[derive(Default)]
struct Suite<'r> {
    cases: Vec<&'r Case>,
    errors: Vec<&'r Diagnostic>,
}

/// The run as JUnit XML: one `testsuite` per scenario file, one `testcase` per scenario,
/// and one `testcase` with an `error` per mistake that kept a file from running.
pub fn junit(report: &Report) -> String {
    let mut suites: IndexMap<String, Suite> = IndexMap::new();
    for d in report.diagnostics.iter().filter(|d| d.is_error()) {
        let file = d.file.clone().unwrap_or_else(|| "declic".to_owned());
        suites.entry(file).or_default().errors.push(d);
    }
    for case in &report.cases {
        suites
            .entry(case.file.clone())
            .or_default()
            .cases
            .push(case);
    }
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str(&format!(
        "<testsuites name=\"declic test\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n",
        report.cases.len() + report.errors(),
        report.failed(),
        report.errors()
    ));
    for (file, suite) in &suites {
        xml.push_str(&suite_xml(file, suite));
    }
    xml.push_str("</testsuites>\n");
    xml
}

fn suite_xml(file: &str, suite: &Suite) -> String {
    let failures = suite.cases.iter().filter(|c| c.failure.is_some()).count();
    let file = escape(file);
    let mut xml = format!(
        "  <testsuite name=\"{file}\" tests=\"{}\" failures=\"{failures}\" errors=\"{}\">\n",
        suite.cases.len() + suite.errors.len(),
        suite.errors.len()
    );
    for d in &suite.errors {
        let (line, _) = d.line_col().unwrap_or((0, 0));
        xml.push_str(&format!(
            "    <testcase name=\"{} (line {line})\" classname=\"{file}\">\n      <error message=\"{}\" type=\"{}\">{}</error>\n    </testcase>\n",
            escape(d.code.as_str()),
            escape(&d.message),
            escape(d.code.as_str()),
            escape(&render::text(d, Style::Plain)),
        ));
    }
    for case in &suite.cases {
        let head = format!(
            "    <testcase name=\"{}\" classname=\"{file}\" file=\"{file}\" line=\"{}\"",
            escape(&case.name),
            case.line
        );
        match &case.failure {
            None => xml.push_str(&format!("{head}/>\n")),
            Some(f) => xml.push_str(&format!(
                "{head}>\n      <failure message=\"{}\" type=\"expectation\">{}</failure>\n    </testcase>\n",
                escape(&format!("step {}, {}", f.step, f.description)),
                escape(&case_text(case, Colour::None)),
            )),
        }
    }
    xml.push_str("  </testsuite>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_handles_markup_and_control_characters() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>\u{1b}[31m\u{0}\n"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;\u{fffd}[31m\u{fffd}\n"
        );
    }
}
