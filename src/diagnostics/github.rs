//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` line per
//! diagnostic, which GitHub shows as an annotation on the file and line.

use super::{Diagnostic, Severity};

/// The workflow command for `d`.
pub fn annotation(d: &Diagnostic) -> String {
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Advice => "notice",
    };
    let mut properties = Vec::new();
    if let Some(file) = &d.file {
        properties.push(format!("file={}", property(file)));
    }
    if let Some(((line, col), (end_line, end_col))) = d.region() {
        properties.push(format!(
            "line={line},col={col},endLine={end_line},endColumn={end_col}"
        ));
    }
    properties.push(format!("title={}", property(d.code.as_str())));
    format!(
        "::{command} {}::{}",
        properties.join(","),
        data(&d.message_with_help())
    )
}

/// A message: `%`, CR and LF escaped, as the runner decodes them.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: also `:` and `,`, which separate properties.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Code, Source, Span};

    #[test]
    fn an_annotation_names_the_place_and_escapes_its_text() {
        let text = "trigger \"x\" {\n  Canal is Messageri\n}\n";
        let source = Source::new("rules/a,b.declic", text);
        let at = text.find("Messageri").unwrap_or_default();
        let d = Diagnostic::error(Code::UnknownValue, "unknown value `Messageri`: 100%")
            .in_source(&source)
            .label(Span::new(at, at + 9), "here")
            .help("did you mean `Messagerie`?");
        assert_eq!(
            annotation(&d),
            "::error file=rules/a%2Cb.declic,line=2,col=12,endLine=2,endColumn=21,title=declic%3A%3Aunknown_value\
             ::unknown value `Messageri`: 100%25%0Ahelp: did you mean `Messagerie`?"
        );
    }

    #[test]
    fn a_diagnostic_without_a_place_still_annotates() {
        let d = Diagnostic::warning(Code::TooManyTriggers, "too many");
        assert_eq!(
            annotation(&d),
            "::warning title=declic%3A%3Atoo_many_triggers::too many"
        );
    }
}
