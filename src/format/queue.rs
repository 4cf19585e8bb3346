//! Routing queues laid out as lines, as triggers are: one item a line, blocks opened at the
//! end of a line, keywords in the language the queue's keyword was written in.

use super::layout::{Builder, Shape};
use super::words::{self, Keyword};
use crate::catalog::Lang;
use crate::diagnostics::Span;
use crate::syntax::ast::{GroupLine, Queue, QueueItem, Spanned};

/// The queue keywords: canonical English and French spellings.
const QUEUE: (&str, &str) = ("queue", "file d'attente");
const ORDER: (&str, &str) = ("order", "ordre");
const PRIORITY: (&str, &str) = ("priority", "priorité");
const GROUPS: (&str, &str) = ("groups", "groupes");
const PRIMARY: (&str, &str) = ("primary", "principal");
const SECONDARY: (&str, &str) = ("secondary", "secondaire");
const SUBQUEUE: (&str, &str) = ("subqueue", "sous-file");
const PERCENTAGE: (&str, &str) = ("percentage", "pourcentage");

fn spell(keyword: (&'static str, &'static str), lang: Lang) -> String {
    match lang {
        Lang::Fr => keyword.1.to_owned(),
        Lang::En | Lang::Api => keyword.0.to_owned(),
    }
}

impl Builder<'_> {
    pub(super) fn queue(&mut self, q: &Queue) {
        let written = self.source(q.keyword).to_lowercase();
        let lang = if written.starts_with(QUEUE.0) {
            Lang::En
        } else {
            Lang::Fr
        };
        self.trigger_lang = lang;
        let title = self.string_at(&q.title.node, q.title.span);
        let open = Span::new(q.span.start, self.brace(q.title.span.end) + 1);
        self.push(
            0,
            vec![spell(QUEUE, lang), title, "{".into()],
            open,
            Shape::Opens,
        );
        self.queue_items(&q.items, 1, lang);
        self.close(0, q.span, Shape::ClosesTrigger);
    }

    fn queue_items(&mut self, items: &[Spanned<QueueItem>], indent: usize, lang: Lang) {
        for item in items {
            let words = match &item.node {
                QueueItem::Description(d) => {
                    let raw = self.source(item.span).contains(" r");
                    vec![
                        Keyword::Description.in_lang(lang).into(),
                        words::string(d, raw),
                    ]
                }
                QueueItem::Order(n) => vec![spell(ORDER, lang), n.to_string()],
                QueueItem::Priority(n) => vec![spell(PRIORITY, lang), n.to_string()],
                QueueItem::Percentage(n) => vec![spell(PERCENTAGE, lang), n.to_string()],
                QueueItem::ZendeskId(id) => {
                    let quoted = self.source(item.span).contains('"');
                    let id = if quoted {
                        words::string(id, false)
                    } else {
                        id.clone()
                    };
                    vec![Keyword::Id.in_lang(lang).into(), id]
                }
                QueueItem::When(group) => {
                    let when = Keyword::When.lang_of(self.source(item.span));
                    self.group(group, indent, Some((when, item.span.start)));
                    continue;
                }
                QueueItem::Groups(lines) => {
                    self.groups_block(lines, item.span, indent, lang);
                    continue;
                }
                QueueItem::Subqueue(sub) => {
                    let title = self.string_at(&sub.title.node, sub.title.span);
                    let open = Span::new(item.span.start, self.brace(sub.title.span.end) + 1);
                    self.push(
                        indent,
                        vec![spell(SUBQUEUE, lang), title, "{".into()],
                        open,
                        Shape::Opens,
                    );
                    self.queue_items(&sub.items, indent + 1, lang);
                    self.close(indent, item.span, Shape::Closes);
                    continue;
                }
            };
            self.push(indent, words, item.span, Shape::Plain);
        }
    }

    fn groups_block(&mut self, lines: &[GroupLine], span: Span, indent: usize, lang: Lang) {
        let open = Span::new(span.start, self.brace(span.start) + 1);
        self.push(
            indent,
            vec![spell(GROUPS, lang), "{".into()],
            open,
            Shape::Opens,
        );
        for line in lines {
            let keyword = if line.secondary { SECONDARY } else { PRIMARY };
            let name = if line.name.quoted {
                self.string_at(&line.name.text, line.name.span)
            } else {
                line.name.text.clone()
            };
            self.push(
                indent + 1,
                vec![spell(keyword, lang), name],
                line.span,
                Shape::Plain,
            );
        }
        self.close(indent, span, Shape::Closes);
    }
}

#[cfg(test)]
mod tests {
    use crate::format::format;
    use crate::Source;

    fn fmt(text: &str) -> String {
        format(&Source::new("q.declic", text)).expect("formats")
    }

    #[test]
    fn queues_are_laid_out_in_their_language_among_the_triggers() {
        let messy = "QUEUE \"Q\" {\nORDER 1\n  priority   10\n  when { channel is messaging }   # seed\n  groups { primary \"Support N1\"\n  secondary 12 }\n}\ntrigger \"t\" {\n when all { Tags includes x }\n then { Tags += y }\n}\nfile d'attente \"F\" {\n quand tous { canal est messagerie }\n sous-file \"A\" {\n pourcentage 100\n groupes { principal 1 }\n }\n}\n";
        let want = "queue \"Q\" {\n  order 1\n  priority 10\n  when all {\n    Channel is Messaging\n  } # seed\n  groups {\n    primary \"Support N1\"\n    secondary 12\n  }\n}\n\ntrigger \"t\" {\n  when all {\n    Tags includes x\n  }\n  then {\n    Tags += y\n  }\n}\n\nfile d'attente \"F\" {\n  quand tous {\n    Canal est Messagerie\n  }\n  sous-file \"A\" {\n    pourcentage 100\n    groupes {\n      principal 1\n    }\n  }\n}\n";
        assert_eq!(fmt(messy), want);
        assert_eq!(fmt(want), want, "formatting is stable");
    }
}
