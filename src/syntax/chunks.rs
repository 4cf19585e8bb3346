//! A file read trigger by trigger, on every core.
//!
//! The fast reading takes each trigger on its own: cut after each top-level closing brace
//! (which [`lex`](super::lex) finds), each piece is a file of one trigger with the comments
//! before it, and the pieces are read in parallel. The grammar is a sequence of triggers,
//! so the pieces read as the whole file would, and pest holds one trigger's tokens at a
//! time instead of the whole file's: for a rule set of Zendesk's size that was two thirds
//! of the memory `check` needed.

use rayon::prelude::*;
use std::ops::Range;

use super::ast::*;
use crate::diagnostics::Span;

/// The pieces' trees as one file's.
pub(super) fn merge(files: Vec<File>) -> File {
    let mut whole = File::default();
    for file in files {
        whole.triggers.extend(file.triggers);
        whole.queues.extend(file.queues);
        whole.comments.extend(file.comments);
    }
    whole
}

/// Reads `text` piece by piece with `read`, the pieces ending at `ends`, and hands each
/// piece's tree, its spans counted from the start of `text`, to `each` on the core that
/// read it: the results in file order, or `None` if any piece is refused.
pub(super) fn map<T: Send>(
    text: &str,
    ends: &[usize],
    read: impl Fn(&str) -> Option<File> + Sync,
    each: impl Fn(File) -> T + Sync,
) -> Option<Vec<T>> {
    pieces(text.len(), ends)
        .into_par_iter()
        .map(|range| {
            let mut file = read(&text[range.clone()])?;
            file.shift(range.start);
            Some(each(file))
        })
        .collect()
}

/// The pieces: up to each end, and what follows the last.
pub(super) fn pieces(len: usize, ends: &[usize]) -> Vec<Range<usize>> {
    let mut start = 0;
    let mut out: Vec<Range<usize>> = ends
        .iter()
        .map(|&end| {
            let range = start..end;
            start = end;
            range
        })
        .collect();
    if start < len || out.is_empty() {
        out.push(start..len);
    }
    out
}

/// Moves every span of a piece's tree by where the piece starts in the file.
trait Shift {
    fn shift(&mut self, by: usize);
}

impl Shift for Span {
    fn shift(&mut self, by: usize) {
        self.start += by;
        self.end += by;
    }
}

impl<T> Shift for Spanned<T> {
    fn shift(&mut self, by: usize) {
        self.span.shift(by);
    }
}

impl<T: Shift> Shift for Vec<T> {
    fn shift(&mut self, by: usize) {
        self.iter_mut().for_each(|t| t.shift(by));
    }
}

impl Shift for File {
    fn shift(&mut self, by: usize) {
        self.triggers.shift(by);
        self.queues.shift(by);
        self.comments.shift(by);
    }
}

impl Shift for Trigger {
    fn shift(&mut self, by: usize) {
        self.kind.shift(by);
        self.title.shift(by);
        self.span.shift(by);
        for item in &mut self.items {
            item.span.shift(by);
            match &mut item.node {
                Item::On(name) => name.shift(by),
                Item::When(group) => group.shift(by),
                Item::Then(actions) => actions.shift(by),
                Item::Category(_)
                | Item::Description(_)
                | Item::Position(_)
                | Item::Active(_)
                | Item::ZendeskId(_)
                | Item::Once => {}
            }
        }
    }
}

impl Shift for Queue {
    fn shift(&mut self, by: usize) {
        self.keyword.shift(by);
        self.title.shift(by);
        self.span.shift(by);
        shift_items(&mut self.items, by);
    }
}

fn shift_items(items: &mut [Spanned<QueueItem>], by: usize) {
    for item in items {
        item.span.shift(by);
        match &mut item.node {
            QueueItem::When(group) => group.shift(by),
            QueueItem::Groups(lines) => lines.iter_mut().for_each(|l| {
                l.name.shift(by);
                l.span.shift(by);
            }),
            QueueItem::Subqueue(sub) => {
                sub.title.shift(by);
                shift_items(&mut sub.items, by);
            }
            QueueItem::Description(_)
            | QueueItem::Order(_)
            | QueueItem::Priority(_)
            | QueueItem::ZendeskId(_)
            | QueueItem::Percentage(_) => {}
        }
    }
}

impl Shift for Name {
    fn shift(&mut self, by: usize) {
        self.span.shift(by);
    }
}

impl Shift for Atom {
    fn shift(&mut self, by: usize) {
        self.span.shift(by);
    }
}

impl Shift for Group {
    fn shift(&mut self, by: usize) {
        self.span.shift(by);
        self.members.shift(by);
    }
}

impl Shift for Test {
    fn shift(&mut self, by: usize) {
        match self {
            Test::Group(group) => group.shift(by),
            Test::Condition(c) => {
                c.field.shift(by);
                c.op.shift(by);
                c.value.shift(by);
                c.span.shift(by);
            }
            Test::Zendesk(json) => json.shift(by),
        }
    }
}

impl Shift for Action {
    fn shift(&mut self, by: usize) {
        match self {
            Action::Assign {
                name,
                op,
                value,
                span,
            } => {
                name.shift(by);
                op.shift(by);
                value.shift(by);
                span.shift(by);
            }
            Action::Phrase { atoms, span } => {
                atoms.shift(by);
                span.shift(by);
            }
            Action::Zendesk(json) => json.shift(by),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pieces;

    #[test]
    fn pieces_cover_the_text_once() {
        assert_eq!(pieces(10, &[4, 7]), [0..4, 4..7, 7..10]);
        assert_eq!(pieces(7, &[4, 7]), [0..4, 4..7]);
        assert_eq!(pieces(3, &[]), vec![0..3]);
        assert_eq!(pieces(0, &[]), vec![0..0]);
    }
}
