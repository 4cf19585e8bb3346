//! declic's diagnostics as the protocol's: the same code, message, help and related
//! places as `declic check`, and the did-you-mean as a quick fix.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, DiagnosticRelatedInformation,
    DiagnosticSeverity, Location, NumberOrString, Range, TextEdit, Uri, WorkspaceEdit,
};
use serde_json::json;

use super::text::LineIndex;
use super::uri;
use crate::diagnostics::{Diagnostic, Severity};

/// Every diagnostic of a rule set, by the file it is about.
pub fn by_file(diagnostics: &[Diagnostic]) -> HashMap<PathBuf, Vec<lsp_types::Diagnostic>> {
    let mut out: HashMap<PathBuf, Vec<lsp_types::Diagnostic>> = HashMap::new();
    let mut indices: HashMap<String, LineIndex<'_>> = HashMap::new();
    for d in diagnostics {
        let Some(file) = d.file.as_deref() else {
            continue;
        };
        let range = primary_range(d, &mut indices);
        out.entry(PathBuf::from(file))
            .or_default()
            .push(convert(d, range, &mut indices));
    }
    out
}

/// Where a diagnostic points, from a cache of line indices by file.
fn primary_range<'a>(d: &'a Diagnostic, indices: &mut HashMap<String, LineIndex<'a>>) -> Range {
    let (Some(source), Some(label)) = (d.source.as_deref(), d.labels.first()) else {
        return Range::default();
    };
    let index = indices
        .entry(source.name.clone())
        .or_insert_with(|| LineIndex::new(&source.text));
    index.range(label.span.start, label.span.end)
}

fn convert<'a>(
    d: &'a Diagnostic,
    range: Range,
    indices: &mut HashMap<String, LineIndex<'a>>,
) -> lsp_types::Diagnostic {
    let mut related = Vec::new();
    let here = d.file.as_deref().map(Path::new).and_then(uri::from_path);
    // The labels after the first are places of the same problem.
    if let (Some(source), Some(uri)) = (d.source.as_deref(), &here) {
        for label in d.labels.iter().skip(1) {
            let index = indices
                .entry(source.name.clone())
                .or_insert_with(|| LineIndex::new(&source.text));
            related.push(DiagnosticRelatedInformation {
                location: Location::new(uri.clone(), index.range(label.span.start, label.span.end)),
                message: label.message.clone().unwrap_or_default(),
            });
        }
    }
    for other in &d.related {
        let Some(uri) = other
            .file
            .as_deref()
            .map(Path::new)
            .and_then(uri::from_path)
        else {
            continue;
        };
        let range = primary_range(other, indices);
        related.push(DiagnosticRelatedInformation {
            location: Location::new(uri, range),
            message: other.message_with_help(),
        });
    }
    let suggestions = suggestions(d);
    lsp_types::Diagnostic {
        range,
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.as_str().to_owned())),
        source: Some("declic".to_owned()),
        message: d.message_with_help(),
        related_information: (!related.is_empty()).then_some(related),
        data: (!suggestions.is_empty()).then(|| json!({ "suggestions": suggestions })),
        ..lsp_types::Diagnostic::default()
    }
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Advice => DiagnosticSeverity::INFORMATION,
    }
}

/// The names a message's or help's "did you mean `a` or `b`?" offers.
fn suggestions(d: &Diagnostic) -> Vec<String> {
    let said = [Some(d.message.as_str()), d.help.as_deref()];
    let Some(rest) = said
        .into_iter()
        .flatten()
        .find_map(|text| text.split_once("did you mean "))
    else {
        return Vec::new();
    };
    let offer = rest.1.split('?').next().unwrap_or_default();
    offer
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// One quick fix per name a diagnostic in `diagnostics` suggests: replace what its range
/// covers with the name.
pub fn quick_fixes(uri: &Uri, diagnostics: &[lsp_types::Diagnostic]) -> Vec<CodeActionOrCommand> {
    let mut out = Vec::new();
    for d in diagnostics {
        let names = d
            .data
            .as_ref()
            .and_then(|data| data.get("suggestions"))
            .and_then(|s| serde_json::from_value::<Vec<String>>(s.clone()).ok())
            .unwrap_or_default();
        for (i, name) in names.into_iter().enumerate() {
            let edit = TextEdit::new(d.range, name.clone());
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("replace with `{name}`"),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(i == 0),
                ..CodeAction::default()
            }));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Code, Source, Span};

    #[test]
    fn the_did_you_mean_names_become_suggestions() {
        let cases = [
            ("did you mean `Canal`?", vec!["Canal"]),
            ("did you mean `a`, `b` or `c`?", vec!["a", "b", "c"]),
            ("the fields are `a` and `b`", vec![]),
        ];
        for (help, want) in cases {
            let d = Diagnostic::error(Code::UnknownField, "x").help(help);
            assert_eq!(suggestions(&d), want, "{help}");
            let d = Diagnostic::error(Code::UnknownField, format!("unknown `x`; {help}"));
            assert_eq!(suggestions(&d), want, "{help}");
        }
    }

    #[test]
    fn a_diagnostic_keeps_its_code_range_help_and_related_places() {
        let source = Source::new("/r/a.declic", "x\nCanl is Messagerie\n");
        let other = Diagnostic::warning(Code::DuplicateTitle, "first here")
            .in_source(&source)
            .label(Span::new(0, 1), "");
        let d = Diagnostic::error(Code::UnknownField, "unknown field `Canl`")
            .in_source(&source)
            .label(Span::new(2, 6), "unknown")
            .help("did you mean `Canal`?")
            .related(other);
        let files = by_file(&[d]);
        let [got] = files[Path::new("/r/a.declic")].as_slice() else {
            panic!("{files:?}")
        };
        assert_eq!(
            got.range,
            Range::new(
                lsp_types::Position::new(1, 0),
                lsp_types::Position::new(1, 4)
            )
        );
        assert_eq!(
            got.code,
            Some(NumberOrString::String("declic::unknown_field".into()))
        );
        assert_eq!(
            got.message,
            "unknown field `Canl`\nhelp: did you mean `Canal`?"
        );
        let related = got.related_information.as_ref().unwrap();
        assert_eq!(related[0].message, "first here");
        let fixes = quick_fixes(
            &uri::from_path(Path::new("/r/a.declic")).unwrap(),
            &files[Path::new("/r/a.declic")],
        );
        assert_eq!(fixes.len(), 1);
    }
}
