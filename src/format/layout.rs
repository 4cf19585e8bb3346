//! The syntax tree laid out as lines of code: one item a line, blocks opened at the end of
//! a line and closed on a line of their own, every word in its canonical spelling.
//! Comments and blank lines are placed afterwards ([`super::render`]), from the source
//! offsets each line keeps.

use std::collections::HashMap;

use super::words::{self, Keyword};
use crate::catalog::Lang;
use crate::diagnostics::Span;
use crate::syntax::ast::{File, Group, GroupKind, Item, Spanned, Test, Trigger, TriggerKind};
use crate::syntax::{self};

/// How a line stands in its block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    /// A property, a condition, an action.
    Plain,
    /// Ends with `{`.
    Opens,
    /// A `}` closing a block.
    Closes,
    /// The `}` closing a trigger.
    ClosesTrigger,
}

/// One line of code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Line {
    /// Depth of the block it stands in.
    pub indent: usize,
    /// Its tokens, as written out; the line is them joined by single spaces.
    pub words: Vec<String>,
    /// Where its first token starts in the source.
    pub start: usize,
    /// Where its last token ends in the source: a comment after it on its source line is
    /// its trailing comment.
    pub end: usize,
    /// How it stands in its block.
    pub shape: Shape,
}

impl Line {
    /// The line's code, without indentation.
    pub(super) fn code(&self) -> String {
        self.words.join(" ")
    }
}

/// Lays out a parsed file whose text is `text`.
pub(super) fn lines(text: &str, file: &File) -> Vec<Line> {
    let mut builder = Builder {
        text,
        lines: Vec::new(),
        probes: HashMap::new(),
        trigger_lang: Lang::En,
    };
    // Triggers and queues, in the order they were written.
    let mut queues = file.queues.iter().peekable();
    for trigger in &file.triggers {
        while let Some(q) = queues.next_if(|q| q.span.start < trigger.span.start) {
            builder.queue(q);
        }
        builder.trigger(trigger);
    }
    for q in queues {
        builder.queue(q);
    }
    builder.lines
}

/// What laying out one file needs.
pub(super) struct Builder<'a> {
    text: &'a str,
    pub(super) lines: Vec<Line>,
    /// Whether a probe text parsed as intended, by probe: names repeat a lot.
    probes: HashMap<String, bool>,
    /// The language of the current trigger's keyword, for words whose own language
    /// cannot tell.
    pub(super) trigger_lang: Lang,
}

impl Builder<'_> {
    /// The source text at `span`; empty when the span does not fit (it always does for
    /// spans of the tree parsed from this text).
    pub(super) fn source(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or_default()
    }

    /// A Zendesk passthrough line (`zendesk r#"{...}"#`), kept exactly as written: it is
    /// the API's JSON, which declic does not respell.
    pub(super) fn verbatim(&mut self, span: Span, indent: usize) {
        let line = self.source(span).trim().to_owned();
        self.push(indent, vec![line], span, Shape::Plain);
    }

    /// Whether the string written at `span` is a raw string.
    pub(super) fn string_at(&self, text: &str, span: Span) -> String {
        words::string(text, self.source(span).starts_with('r'))
    }

    /// Where the first `{` at or after `from` is (the brace after a keyword or a title).
    pub(super) fn brace(&self, from: usize) -> usize {
        self.text
            .get(from..)
            .and_then(|rest| rest.find('{'))
            .map_or(from, |i| from + i)
    }

    pub(super) fn push(&mut self, indent: usize, words: Vec<String>, span: Span, shape: Shape) {
        self.lines.push(Line {
            indent,
            words,
            start: span.start,
            end: span.end,
            shape,
        });
    }

    /// The closing line of a block whose last byte is its `}`.
    pub(super) fn close(&mut self, indent: usize, block: Span, shape: Shape) {
        let at = Span::new(block.end.saturating_sub(1), block.end);
        self.push(indent, vec!["}".into()], at, shape);
    }

    /// Whether `probe` parses, and what it parses to satisfies `intended`. The formatter
    /// asks the grammar itself where a name written bare would end, rather than keeping a
    /// second copy of the grammar's rules. Answers are kept by probe text: each kind of
    /// probe titles its trigger after itself, so that one text never stands for two
    /// questions.
    pub(super) fn probe(&mut self, probe: String, intended: impl Fn(&File) -> bool) -> bool {
        if let Some(known) = self.probes.get(&probe) {
            return *known;
        }
        let reads = syntax::parse(&probe).is_ok_and(|file| intended(&file));
        self.probes.insert(probe, reads);
        reads
    }

    fn trigger(&mut self, t: &Trigger) {
        let keyword = match t.kind.node {
            TriggerKind::Ticket => Keyword::Trigger,
            TriggerKind::Messaging => Keyword::MessagingTrigger,
            TriggerKind::Automation => Keyword::Automation,
        };
        self.trigger_lang = keyword.lang_of(self.source(t.kind.span));
        let title = self.string_at(&t.title.node, t.title.span);
        let brace = self.brace(t.title.span.end);
        let words = vec![keyword.in_lang(self.trigger_lang).into(), title, "{".into()];
        self.push(0, words, Span::new(t.span.start, brace + 1), Shape::Opens);
        for item in &t.items {
            self.item(item);
        }
        self.close(0, t.span, Shape::ClosesTrigger);
    }

    fn item(&mut self, item: &Spanned<Item>) {
        let written = self.source(item.span).to_string();
        let keyword = |k: Keyword| k.in_lang(k.lang_of(&written)).to_string();
        let words = match &item.node {
            Item::Category(s) => vec![keyword(Keyword::Category), self.argument(s, &written)],
            Item::Description(s) => {
                vec![keyword(Keyword::Description), self.argument(s, &written)]
            }
            Item::Position(n) => vec![keyword(Keyword::Position), n.to_string()],
            Item::ZendeskId(n) => vec![keyword(Keyword::Id), n.to_string()],
            Item::Active(b) => {
                let value = written.split_whitespace().last().unwrap_or_default();
                vec![keyword(Keyword::Active), words::boolean(*b, value).into()]
            }
            Item::Once => vec![keyword(Keyword::Once)],
            Item::On(name) => vec![keyword(Keyword::On), self.event(name)],
            Item::When(group) => {
                let when = Keyword::When.lang_of(&written);
                return self.group(group, 1, Some((when, item.span.start)));
            }
            Item::Then(actions) => {
                let brace = self.brace(item.span.start);
                let open = Span::new(item.span.start, brace + 1);
                self.push(
                    1,
                    vec![keyword(Keyword::Then), "{".into()],
                    open,
                    Shape::Opens,
                );
                for action in actions {
                    self.action(action, 2);
                }
                return self.close(1, item.span, Shape::Closes);
            }
        };
        self.push(1, words, item.span, Shape::Plain);
    }

    /// The string argument of a property written as `written` (`category r"..."`).
    fn argument(&self, text: &str, written: &str) -> String {
        let after_keyword = written
            .split_once(char::is_whitespace)
            .map_or("", |(_, rest)| rest.trim_start());
        words::string(text, after_keyword.starts_with('r'))
    }

    /// A group and its members; `when` carries the language and offset of the `when`
    /// keyword that opens a trigger's conditions.
    pub(super) fn group(&mut self, group: &Group, indent: usize, when: Option<(Lang, usize)>) {
        let written = self.source(group.span).to_string();
        let kind = match group.kind {
            GroupKind::All => Keyword::All,
            GroupKind::Any => Keyword::Any,
            GroupKind::Not => Keyword::Not,
        };
        // `when { ... }` means `when all { ... }`: written out in the language of `when`.
        let lang = match when {
            Some((when_lang, _)) if written.starts_with('{') => when_lang,
            _ => kind.lang_of(&written),
        };
        let mut words = Vec::new();
        if let Some((when_lang, _)) = when {
            words.push(Keyword::When.in_lang(when_lang).to_string());
        }
        words.extend([kind.in_lang(lang).to_string(), "{".to_string()]);
        let start = when.map_or(group.span.start, |(_, at)| at);
        let open = Span::new(start, self.brace(group.span.start) + 1);
        self.push(indent, words, open, Shape::Opens);
        for member in &group.members {
            match member {
                Test::Group(g) => self.group(g, indent + 1, None),
                Test::Condition(c) => self.condition(c, indent + 1),
                Test::Zendesk(raw) => self.verbatim(raw.span, indent + 1),
            }
        }
        self.close(indent, group.span, Shape::Closes);
    }
}
