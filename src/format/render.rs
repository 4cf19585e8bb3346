//! Lines of code with the file's comments and blank lines put back, as text.
//!
//! A comment after code on its source line stays after that code's line; a comment on a
//! line of its own goes with the line that follows it, at that line's depth (at the
//! block's inner depth before a closing `}`). A run of blank lines between two lines of a
//! block becomes one blank line; none follows a `{` or precedes a `}`; exactly one
//! separates a trigger from what follows it.

use super::layout::{Line, Shape};
use crate::syntax::ast::Spanned;

/// Two spaces a level.
const INDENT: &str = "  ";

/// What stands on one output line, in source order.
enum Event<'a> {
    /// A line of code and its trailing comment.
    Code(&'a Line, Option<&'a str>),
    /// A comment on a line of its own, with its source span.
    Comment(&'a str, usize, usize),
}

impl Event<'_> {
    fn start(&self) -> usize {
        match self {
            Event::Code(line, _) => line.start,
            Event::Comment(_, start, _) => *start,
        }
    }

    fn end(&self) -> usize {
        match self {
            Event::Code(line, _) => line.end,
            Event::Comment(_, _, end) => *end,
        }
    }

    fn shape(&self) -> Option<Shape> {
        match self {
            Event::Code(line, _) => Some(line.shape),
            Event::Comment(..) => None,
        }
    }
}

/// The formatted text of `lines`, laid out from `text`, with its `comments`.
pub(super) fn render(text: &str, lines: &[Line], comments: &[Spanned<String>]) -> String {
    let events = events(text, lines, comments);
    let indents = comment_indents(&events);
    let mut out = String::new();
    for (i, event) in events.iter().enumerate() {
        if i > 0 && blank_before(text, &events[i - 1], event) {
            out.push('\n');
        }
        match event {
            Event::Code(line, trailing) => {
                out.push_str(&INDENT.repeat(line.indent));
                out.push_str(&line.code());
                if let Some(comment) = trailing {
                    out.push(' ');
                    out.push_str(comment.trim_end());
                }
            }
            Event::Comment(comment, ..) => {
                out.push_str(&INDENT.repeat(indents[i]));
                out.push_str(comment.trim_end());
            }
        }
        out.push('\n');
    }
    out
}

/// The lines of code and the comments of their own lines, in source order, each trailing
/// comment with the line it follows.
fn events<'a>(text: &str, lines: &'a [Line], comments: &'a [Spanned<String>]) -> Vec<Event<'a>> {
    let mut trailing: Vec<Option<&str>> = vec![None; lines.len()];
    let mut own = Vec::new();
    for comment in comments {
        let (start, end) = (comment.span.start, comment.span.end);
        // Line ends grow with the source: the line a trailing comment follows is the last
        // one ending before it.
        let before = lines.partition_point(|l| l.end <= start);
        let slot = before.checked_sub(1).and_then(|i| trailing.get_mut(i));
        match slot {
            Some(slot @ None) if after_code(text, start) => *slot = Some(comment.node.as_str()),
            _ => own.push(Event::Comment(&comment.node, start, end)),
        }
    }
    let mut events: Vec<Event<'a>> = lines
        .iter()
        .zip(trailing)
        .map(|(line, comment)| Event::Code(line, comment))
        .chain(own)
        .collect();
    events.sort_by_key(Event::start);
    events
}

/// Whether something other than blanks stands before `at` on its line.
fn after_code(text: &str, at: usize) -> bool {
    let before = text.get(..at).unwrap_or_default();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    !before[line_start..].trim().is_empty()
}

/// The depth of each comment event: that of the next line of code, one deeper when that
/// line closes a block (the comment is the block's last content). Zero at the end.
fn comment_indents(events: &[Event<'_>]) -> Vec<usize> {
    let mut indents = vec![0; events.len()];
    let mut next = 0;
    for (i, event) in events.iter().enumerate().rev() {
        if let Event::Code(line, _) = event {
            next = match line.shape {
                Shape::Closes | Shape::ClosesTrigger => line.indent + 1,
                Shape::Plain | Shape::Opens => line.indent,
            };
        }
        indents[i] = next;
    }
    indents
}

fn blank_before(text: &str, previous: &Event<'_>, event: &Event<'_>) -> bool {
    let closes = matches!(event.shape(), Some(Shape::Closes | Shape::ClosesTrigger));
    match previous.shape() {
        _ if closes => false,
        Some(Shape::Opens) => false,
        Some(Shape::ClosesTrigger) => true,
        _ => has_blank_line(text.get(previous.end()..event.start()).unwrap_or_default()),
    }
}

/// Whether `between`, the text between two lines' tokens, holds a line of blanks.
fn has_blank_line(between: &str) -> bool {
    let pieces: Vec<&str> = between.split('\n').collect();
    pieces.len() > 2
        && pieces[1..pieces.len() - 1]
            .iter()
            .any(|p| p.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::has_blank_line;

    #[test]
    fn blank_lines_are_lines_of_blanks_between_two_others() {
        assert!(!has_blank_line(" # trailing\n  "));
        assert!(has_blank_line(" # trailing\n\n  "));
        assert!(has_blank_line("\r\n \t\r\n"));
        assert!(!has_blank_line(""));
    }
}
