//! JUnit XML, which CI services show as test results: one test suite per rule set, one
//! test case per diagnostic (failed for errors, and for warnings when they are denied),
//! and one passing case for a rule set without any.

use std::fmt::Write;

use super::{Diagnostic, Severity};

/// The diagnostics of one rule set.
#[derive(Debug, Clone, Copy)]
pub struct Suite<'a> {
    /// The rule set as it was named (`recipes/fr`).
    pub name: &'a str,
    /// Its diagnostics.
    pub diagnostics: &'a [Diagnostic],
}

/// The JUnit report of `suites`; `deny_warnings` makes warnings failures too.
pub fn junit(suites: &[Suite<'_>], deny_warnings: bool) -> String {
    let fails = |d: &Diagnostic| d.is_error() || (deny_warnings && d.severity == Severity::Warning);
    let tests: usize = suites.iter().map(|s| s.diagnostics.len().max(1)).sum();
    let failures: usize = suites
        .iter()
        .flat_map(|s| s.diagnostics)
        .filter(|d| fails(d))
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"declic check\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">"
    );
    for suite in suites {
        let failed = suite.diagnostics.iter().filter(|d| fails(d)).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\">",
            escape(suite.name),
            suite.diagnostics.len().max(1)
        );
        if suite.diagnostics.is_empty() {
            let _ = writeln!(
                out,
                "    <testcase name=\"no problem\" classname=\"{}\"/>",
                escape(suite.name)
            );
        }
        for d in suite.diagnostics {
            case(&mut out, suite.name, d, fails(d));
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn case(out: &mut String, suite: &str, d: &Diagnostic, failed: bool) {
    let file = d.file.as_deref().unwrap_or(suite);
    let place = match d.line_col() {
        Some((line, col)) => format!("{file}:{line}:{col}"),
        None => file.to_owned(),
    };
    let name = format!("{} at {place}", d.code);
    let text = format!("{place}: {}", d.message_with_help());
    let _ = writeln!(
        out,
        "    <testcase name=\"{}\" classname=\"{}\">",
        escape(&name),
        escape(file)
    );
    if failed {
        let _ = writeln!(
            out,
            "      <failure type=\"{}\" message=\"{}\">{}</failure>",
            d.code,
            escape(&d.message),
            escape(&text)
        );
    } else {
        let _ = writeln!(
            out,
            "      <system-out>{}: {}</system-out>",
            severity(d.severity),
            escape(&text)
        );
    }
    out.push_str("    </testcase>\n");
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Advice => "advice",
    }
}

/// Text as XML character data or attribute value: markup characters escaped, and the
/// characters XML 1.0 cannot carry at all (most control characters) replaced.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Code, Source, Span};

    #[test]
    fn errors_fail_and_warnings_fail_only_when_denied() {
        let source = Source::new("a.declic", "trigger \"<x>\" {\n}\n");
        let error = Diagnostic::error(Code::MissingConditions, "trigger `<x>` has no conditions")
            .in_source(&source)
            .label(Span::new(8, 13), "here");
        let warning = Diagnostic::warning(Code::EmptyFile, "empty \u{1}").in_file("b.declic");
        let all = [error, warning];
        let suites = [
            Suite {
                name: "rules",
                diagnostics: &all,
            },
            Suite {
                name: "clean",
                diagnostics: &[],
            },
        ];
        let report = junit(&suites, false);
        assert!(
            report.contains("<testsuites name=\"declic check\" tests=\"3\" failures=\"1\""),
            "{report}"
        );
        assert!(
            report.contains("name=\"declic::missing_conditions at a.declic:1:9\""),
            "{report}"
        );
        assert!(
            report.contains("message=\"trigger `&lt;x&gt;` has no conditions\""),
            "{report}"
        );
        assert!(
            report.contains("<system-out>warning: b.declic: empty \u{fffd}</system-out>"),
            "{report}"
        );
        assert!(
            report.contains("<testcase name=\"no problem\" classname=\"clean\"/>"),
            "{report}"
        );
        assert!(junit(&suites, true).contains("failures=\"2\""));
    }
}
