//! Suppressing a lint on one trigger: a comment inside the trigger, or on the comment lines
//! directly above it, names the lints it allows, with an optional reason after `--`:
//!
//! ```text
//! # declic-allow: no_nullifying_condition -- notifies on every update on purpose
//! trigger "Escalation reminder" { ... }
//! ```

use std::collections::HashSet;

use super::config::unknown_lint;
use super::LINTS;
use crate::check::rules::Trigger;
use crate::diagnostics::{Code, Diagnostic, Span};

/// The word that starts a suppression comment.
pub const DIRECTIVE: &str = "declic-allow:";

/// The lints `trigger` allows; names that are no lint are reported into `out`.
pub(crate) fn allowed(trigger: &Trigger, out: &mut Vec<Diagnostic>) -> HashSet<Code> {
    let mut codes = HashSet::new();
    for comment in &trigger.comments {
        let text = comment.node.as_str();
        let body = text.trim_start_matches('#').trim_start();
        let Some(rest) = body.strip_prefix(DIRECTIVE) else {
            continue;
        };
        let names = rest.split("--").next().unwrap_or_default();
        let names_at = comment.span.start + (text.len() - rest.len());
        for (offset, name) in words(names) {
            let bare = name.strip_prefix("declic::").unwrap_or(name);
            match LINTS.iter().find(|l| l.code.name() == bare) {
                Some(lint) => {
                    codes.insert(lint.code);
                }
                None => {
                    let at = Span::new(names_at + offset, names_at + offset + name.len());
                    let names: Vec<&str> = LINTS.iter().map(|l| l.code.name()).collect();
                    out.push(unknown_lint(bare, at, &names).in_source(&trigger.origin.source));
                }
            }
        }
    }
    codes
}

/// The names of a list separated by commas or spaces, with their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .scan(0, move |at, word| {
            let start = *at;
            *at += word.len() + 1;
            Some((start, word))
        })
        .filter(|(_, w)| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trigger(text: &str) -> (Trigger, Vec<Diagnostic>) {
        let checked = crate::check(&[crate::Source::new("t.declic", text)]);
        let t = checked
            .rules
            .triggers
            .into_iter()
            .next()
            .expect("a trigger");
        (t, checked.diagnostics)
    }

    #[test]
    fn comments_above_and_inside_allow_lints() {
        let (t, _) = trigger(
            "# declic-allow: ping_pong -- on purpose\ntrigger \"a\" {\n  # declic-allow: declic::redundant_condition, no_nullifying_condition\n  when all { Status is Open }\n  then { Tags += a }\n}\n",
        );
        let mut out = Vec::new();
        let codes = allowed(&t, &mut out);
        assert!(out.is_empty(), "{out:?}");
        assert_eq!(
            codes,
            HashSet::from([
                Code::PingPong,
                Code::RedundantCondition,
                Code::NoNullifyingCondition
            ])
        );
    }

    #[test]
    fn a_comment_separated_by_a_blank_line_or_after_code_does_not_count() {
        let (t, _) = trigger(
            "# declic-allow: ping_pong\n\ntrigger \"a\" {\n  when all { Status is Open }\n  then { Tags += a }\n}\n",
        );
        assert!(allowed(&t, &mut Vec::new()).is_empty());
    }

    #[test]
    fn unknown_names_are_reported_at_the_name() {
        let text = "trigger \"a\" { # declic-allow: ping_pog\n  when all { Status is Open }\n  then { Tags += a }\n}\n";
        let (t, _) = trigger(text);
        let mut out = Vec::new();
        assert!(allowed(&t, &mut out).is_empty());
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].code, Code::UnknownLint);
        let at = out[0].labels[0].span;
        assert_eq!(&text[at.start..at.end], "ping_pog");
    }
}
