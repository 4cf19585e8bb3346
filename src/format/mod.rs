//! The formatter: one canonical layout for rule files, keeping every comment and every
//! author's choice of language.
//!
//! The layout:
//!
//! - Two spaces of indentation a level; one item, condition or action a line; a block
//!   opens with `{` at the end of its line (`when all {`, `then {`, `any {`) and closes
//!   with `}` on a line of its own. A trigger's items keep the order they were written in
//!   (the order carries meaning for readers: a comment, a disabled variant's `active false`).
//! - Exactly one blank line after each trigger; inside a block, a run of blank lines
//!   becomes one, and none follows a `{` or precedes a `}`.
//! - Comments stay where they were: after the code of their line (one space before `#`),
//!   or on a line of their own before what follows them, at its depth. Their text is kept,
//!   trailing blanks aside.
//! - Keywords and operators are written in the canonical spelling of the language they
//!   were written in (`SI TOUTES` becomes `quand tous`, `n’est pas` becomes `n'est pas`,
//!   `less than` becomes `<`); `when { ... }` becomes `when all { ... }`; `==` and `!=`
//!   become `is`/`est` and `is not`/`n'est pas` in the language of their field.
//! - Names of fields, values, actions and events that the catalog knows are written in the
//!   canonical spelling of the language they were written in (`canal est messagerie`
//!   becomes `Canal est Messagerie`, `Ticket status` becomes `Status`); a spelling that
//!   English and French share (`Tags`, `Organisation`) keeps its language-neutral form, and
//!   a Zendesk API identifier written exactly (`via_id`) stays one. Names the catalog does
//!   not know are kept exactly as written. Names are quoted only where the grammar needs it.
//! - Strings are written with `"` and the grammar's escapes; a raw string stays raw when it
//!   holds quotes or backslashes, with as few `#` as possible.
//! - Lines end with `\n`, and the file with one.
//!
//! A file that does not parse is refused with its syntax errors: formatting never guesses.

mod action;
mod condition;
mod layout;
mod queue;
mod render;
mod terms;
mod words;

use std::sync::Arc;

use crate::diagnostics::{Code, Diagnostic, Source};
use crate::syntax;
use crate::syntax::ast::File;

/// The text of `source` in the canonical layout, or its syntax errors when it does not
/// parse.
///
/// ```
/// use declic::Source;
///
/// let messy = Source::new("a.declic", "TRIGGER \"Vip\" {\nwhen {  canal est messagerie }\n then { tags += vip }}");
/// let formatted = declic::format::format(&messy).expect("the file parses");
/// assert_eq!(
///     formatted,
///     "trigger \"Vip\" {\n  when all {\n    Canal est Messagerie\n  }\n  then {\n    Tags += vip\n  }\n}\n"
/// );
/// ```
pub fn format(source: &Source) -> Result<String, Vec<Diagnostic>> {
    let shared = || Arc::new(source.clone());
    let file = syntax::parse(&source.text).map_err(|e| vec![e.into_diagnostic(&shared())])?;
    let lines = layout::lines(&source.text, &file);
    let formatted = render::render(&source.text, &lines, &file.comments);
    if reads_back(&formatted, &lines, &file) {
        Ok(formatted)
    } else {
        Err(vec![unsafe_layout(&shared())])
    }
}

/// Whether `formatted` parses into the very lines and comments it was written from: the
/// guard that a file is never rewritten into one that means something else, whatever
/// corner of the grammar a name or a value falls into.
fn reads_back(formatted: &str, lines: &[layout::Line], original: &File) -> bool {
    let Ok(file) = syntax::parse(formatted) else {
        return false;
    };
    let code = |lines: &[layout::Line]| -> Vec<(usize, Vec<String>)> {
        lines.iter().map(|l| (l.indent, l.words.clone())).collect()
    };
    let comments = |file: &File| -> Vec<String> {
        file.comments
            .iter()
            .map(|c| c.node.trim_end().to_string())
            .collect()
    };
    code(&layout::lines(formatted, &file)) == code(lines) && comments(&file) == comments(original)
}

fn unsafe_layout(source: &Arc<Source>) -> Diagnostic {
    Diagnostic::error(
        Code::FormatFailed,
        format!(
            "`{}` cannot be formatted without changing what it says",
            source.name
        ),
    )
    .in_source(source)
    .help("the file is left as it is; please report this file to the declic developers")
}

#[cfg(test)]
mod tests {
    use super::format;
    use crate::diagnostics::{Code, Source};

    /// The formatted text of one trigger whose `when all` block holds `conditions`.
    fn conditions(conditions: &str) -> String {
        let text = format!("trigger \"t\" {{\nwhen all {{\n{conditions}\n}}\n}}\n");
        let formatted = format(&Source::new("t.declic", text)).expect("formats");
        let body: Vec<&str> = formatted.lines().skip(2).map(str::trim).collect();
        body[..body.len() - 2].join("\n")
    }

    #[test]
    fn each_part_keeps_the_language_it_was_written_in() {
        let table = [
            ("canal est messagerie", "Canal est Messagerie"),
            ("Channel est Messagerie", "Channel est Messagerie"),
            (
                "statut du ticket n’EST PAS résolu",
                "Statut n'est pas Résolu",
            ),
            ("Statut == ouvert", "Statut est Ouvert"),
            ("Status != open", "Status is not Open"),
            (
                "status value_previous pending",
                "status value_previous pending",
            ),
            ("Priority less than urgent", "Priority < Urgent"),
            ("Tags INCLUT vip", "Tags inclut vip"),
            ("Satisfaction is Bonne", "Satisfaction is Bonne"),
            ("Channel is 75", "Channel is 75"),
            (
                "Champ personnalise 0042 est oui",
                "Champ personnalisé 42 est oui",
            ),
        ];
        for (written, formatted) in table {
            assert_eq!(conditions(written), formatted, "{written}");
        }
    }

    #[test]
    fn a_value_that_would_extend_its_operator_is_quoted() {
        // `is` then a bare `Present (public or private)` would read as `is present`.
        assert_eq!(
            conditions("Comment == not relevant"),
            "Comment is \"Present (public or private)\""
        );
        assert_eq!(
            conditions("\"Dans les horaires d'ouverture\" est NON"),
            "Dans les horaires d'ouverture est faux"
        );
    }

    #[test]
    fn a_quoted_true_or_false_stays_quoted() {
        // `"false"` is the API's string, bare `false` the JSON boolean: two values.
        assert_eq!(conditions("Comment is \"false\""), "Comment is \"false\"");
        assert_eq!(conditions("Comment is false"), "Comment is false");
        assert_eq!(conditions("Comment is Private"), "Comment is Private");
    }

    #[test]
    fn unknown_names_are_kept_as_written() {
        assert_eq!(conditions("Chanel  is  messagerie"), "Chanel is messagerie");
        assert_eq!(conditions("\"Mystery\" is x"), "\"Mystery\" is x");
        assert_eq!(conditions("Canal est Messageri"), "Canal est Messageri");
    }

    #[test]
    fn files_that_do_not_parse_are_refused_with_their_errors() {
        let errors =
            format(&Source::new("bad.declic", "trigger \"x\" {\n when all {\n")).unwrap_err();
        assert_eq!(errors[0].code, Code::Syntax);
        assert!(errors[0].source.is_some(), "the error points into the file");
    }

    #[test]
    fn empty_files_comments_and_line_ends() {
        let fmt = |text: &str| format(&Source::new("t.declic", text)).expect("formats");
        assert_eq!(fmt(""), "");
        assert_eq!(
            fmt("\n\n  # only\n\n\n# comments"),
            "# only\n\n# comments\n"
        );
        assert_eq!(
            fmt("trigger \"a\" {\r\n}\r\ntrigger \"b\" {\r\n}"),
            "trigger \"a\" {\n}\n\ntrigger \"b\" {\n}\n"
        );
    }
}
