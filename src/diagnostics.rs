//! Diagnostics: what declic tells its users, as plain data, and its renderers.
//!
//! Every problem any step finds becomes a [`Diagnostic`]: a stable [`Code`], a severity, a
//! message, labelled spans into a [`Source`], help, and related diagnostics. It implements
//! [`miette::Diagnostic`], so one object renders as graphical text, plain text, JSON, SARIF
//! ([`sarif`]), GitHub annotations ([`github`]) and JUnit XML ([`junit`]) without any step
//! knowing how it will be shown.

use std::fmt;
use std::sync::{Arc, OnceLock};

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use serde::Serialize;

/// A named text: a rule file, a scenario, an event.
#[derive(Debug, Clone)]
pub struct Source {
    /// The name shown to users: the path as given, or `<stdin>`.
    pub name: String,
    /// The whole text.
    pub text: String,
    /// Where each line starts, found once when a position is first asked for: a file with
    /// thousands of diagnostics must not be rescanned from its start for each.
    line_starts: OnceLock<Vec<usize>>,
}

impl PartialEq for Source {
    fn eq(&self, other: &Source) -> bool {
        self.name == other.name && self.text == other.text
    }
}

impl Eq for Source {}

impl Source {
    /// A shareable source.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Source> {
        Arc::new(Source {
            name: name.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
        })
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            let newlines = self.text.match_indices('\n').map(|(i, _)| i + 1);
            std::iter::once(0).chain(newlines).collect()
        })
    }

    /// The 0-based line holding byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.line_starts().partition_point(|&start| start <= offset) - 1
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = self.line_of(offset);
        let line_start = self.line_starts()[line];
        let column = self.text[line_start..offset].chars().count() + 1;
        (line + 1, column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl SourceCode for Source {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // miette reads a `str` from its start for every span; reading only the lines
        // around the span keeps a file with many diagnostics linear. The window holds a
        // line more on each side than the context asks for, so that miette's own stopping
        // rules (a `\r\n`, an empty last line) decide as they would on the whole text.
        let starts = self.line_starts();
        let (start, end) = (span.offset(), span.offset() + span.len());
        if end > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first = self.line_of(start).saturating_sub(context_lines_before + 1);
        let last = self.line_of(end.saturating_sub(1).max(start)) + context_lines_after + 1;
        let base = starts[first];
        let stop = starts.get(last + 1).copied().unwrap_or(self.text.len());
        let window = &self.text[base..stop];
        let local = SourceSpan::new((start - base).into(), span.len());
        let inner = window.read_span(&local, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + base).into(), inner.span().len()),
            inner.line() + first,
            inner.column(),
            // miette counts the lines read from the text's start, the window's included.
            inner.line_count() + first,
        )))
    }
}

/// A byte range in a [`Source`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether it covers nothing.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

impl From<Span> for SourceSpan {
    fn from(span: Span) -> SourceSpan {
        SourceSpan::new(span.start.into(), span.len())
    }
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a run.
    Advice,
    /// Probably a mistake; fails a run only under `--deny warnings`.
    Warning,
    /// The rules cannot be used as written.
    Error,
}

macro_rules! codes {
    ($( $(#[doc = $doc:literal])* $variant:ident = $name:literal, )*) => {
        /// The stable code of a diagnostic. Codes never change meaning once released;
        /// tools may match on them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Code {
            /// Every code, for documentation and tests.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as users see it: `declic::unknown_field`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Code::$variant => concat!("declic::", $name), )*
                }
            }

            /// The code without its `declic::` prefix, as `declic.toml` and suppression
            /// comments name it.
            pub fn name(self) -> &'static str {
                match self {
                    $( Code::$variant => $name, )*
                }
            }

            /// One sentence on what the code means (its documentation), for SARIF rule
            /// descriptions and listings.
            pub fn description(self) -> &'static str {
                match self {
                    $( Code::$variant => concat!($($doc),*).trim_ascii(), )*
                }
            }
        }
    };
}

impl Code {
    /// Whether the input could not be read at all (a missing file, a device, a file past
    /// the size limit): commands exit 2 for these, as for a usage error.
    pub fn is_unreadable(self) -> bool {
        matches!(self, Code::Unreadable | Code::NotAFile | Code::FileTooLarge)
    }
}

codes! {
    /// The text does not follow the grammar.
    Syntax = "syntax",
    /// Blocks are nested deeper than declic accepts.
    TooDeep = "too_deep",
    /// A number does not fit.
    InvalidNumber = "invalid_number",
    /// The formatter could not lay a file out without changing what it says (a bug).
    FormatFailed = "format_failed",
    /// A file could not be read.
    Unreadable = "unreadable",
    /// A file could not be written.
    Unwritable = "unwritable",
    /// A path names a device, a pipe or a socket where a file was expected.
    NotAFile = "not_a_file",
    /// A file is larger than declic reads whole.
    FileTooLarge = "file_too_large",
    /// Symbolic links below a folder lead back into it.
    SymlinkLoop = "symlink_loop",
    /// A file is not UTF-8 text.
    NotUtf8 = "not_utf8",
    /// A file holds binary data.
    BinaryFile = "binary_file",
    /// A file holds no trigger.
    EmptyFile = "empty_file",
    /// A directory holds no rule file.
    NoRuleFiles = "no_rule_files",
    /// A condition names a field the catalog does not have.
    UnknownField = "unknown_field",
    /// A value is not in its field's domain.
    UnknownValue = "unknown_value",
    /// A value has the wrong shape for its field (text where a number goes).
    InvalidValue = "invalid_value",
    /// An action the catalog does not have.
    UnknownAction = "unknown_action",
    /// A conversation event the catalog does not have.
    UnknownEvent = "unknown_event",
    /// An operator the field does not allow.
    OperatorNotAllowed = "operator_not_allowed",
    /// An operator that needs a value has none.
    MissingValue = "missing_value",
    /// A value after an operator that takes none.
    UnexpectedValue = "unexpected_value",
    /// An action given the wrong arguments.
    WrongArguments = "wrong_arguments",
    /// Two triggers of one rule set share a title.
    DuplicateTitle = "duplicate_title",
    /// A trigger sets one property twice.
    DuplicateProperty = "duplicate_property",
    /// A trigger without conditions.
    MissingConditions = "missing_conditions",
    /// A trigger without actions.
    MissingActions = "missing_actions",
    /// A field, action or property that the trigger's kind cannot use.
    WrongTriggerKind = "wrong_trigger_kind",
    /// A group with nothing in it.
    EmptyGroup = "empty_group",
    /// A trigger larger than Zendesk accepts.
    RuleTooLarge = "rule_too_large",
    /// More active triggers than Zendesk accepts.
    TooManyTriggers = "too_many_triggers",
    /// A time condition (`Hours since pending > 48`) in a trigger: only automations have
    /// them.
    TimeConditionInTrigger = "time_condition_in_trigger",
    /// A time condition outside an automation's top-level all-list.
    MisplacedTimeCondition = "misplaced_time_condition",
    /// An automation whose all-list has no time condition.
    AutomationWithoutTimeCondition = "automation_without_time_condition",
    /// An automation whose all-list tests no status, type, group, assignee or requester.
    AutomationWithoutTicketCondition = "automation_without_ticket_condition",
    /// Two active automations with the same conditions.
    DuplicateAutomation = "duplicate_automation",
    /// More active automations than Zendesk accepts.
    TooManyAutomations = "too_many_automations",
    /// An update event that does not fit the model.
    InvalidEvent = "invalid_event",
    /// A trigger title that the rule set does not have.
    UnknownTrigger = "unknown_trigger",
    /// A trigger title that several triggers share: name one by its Zendesk id (`#123`).
    AmbiguousTrigger = "ambiguous_trigger",
    // Scenario files (`declic test`).
    /// A scenario file is not valid TOML.
    TomlSyntax = "toml_syntax",
    /// A key the scenario format does not have.
    UnknownKey = "unknown_key",
    /// A key the scenario format needs is absent.
    MissingKey = "missing_key",
    /// A scenario value of the wrong TOML type (a string where a list goes).
    WrongType = "wrong_type",
    /// A step whose `event` is not one declic knows.
    UnknownStep = "unknown_step",
    /// A step that cannot stand where it is (`created` after the first step).
    MisplacedStep = "misplaced_step",
    /// A ticket field the model does not have.
    UnknownTicketField = "unknown_ticket_field",
    /// An effect type, or an effect field, the model does not have.
    UnknownEffect = "unknown_effect",
    /// Two scenarios of one file share a name.
    DuplicateScenario = "duplicate_scenario",
    /// A scenario's ticket says since when the end user is silent, but no step carries the
    /// time to measure it.
    SilenceIgnored = "silence_ignored",
    /// A directory holds no scenario file.
    NoScenarioFiles = "no_scenario_files",
    // Timeline files (`declic simulate`).
    /// A timeline activity that is not one declic knows.
    UnknownActivity = "unknown_activity",
    /// A timeline activity that the conversation's product does not have (`visitor goes
    /// idle` in messaging).
    ActivityNotInProduct = "activity_not_in_product",
    /// A timeline activity written before the one it follows.
    ActivityOutOfOrder = "activity_out_of_order",
    /// A simulation horizon before the timeline's first activity.
    HorizonBeforeActivity = "horizon_before_activity",
    /// A time or duration of a timeline that cannot be read.
    InvalidTime = "invalid_time",
    /// Automations would update one ticket more than Zendesk's 100 times.
    AutomationLimit = "automation_limit",
    /// A Zendesk condition or action kept as the API wrote it: exported, not evaluated.
    Passthrough = "passthrough",
    /// A title that names several objects of the account.
    AmbiguousName = "ambiguous_name",
    /// A file given to import is not JSON, or not a Zendesk trigger or automation export.
    NotZendeskJson = "not_zendesk_json",
    /// A Zendesk rule lacks a key it needs (`conditions`, `actions`, `title`).
    ZendeskMissingKey = "zendesk_missing_key",
    /// A key of a Zendesk rule holds a value of the wrong type.
    ZendeskWrongType = "zendesk_wrong_type",
    /// A trigger whose logic Zendesk cannot express, or that the API does not take.
    NotExportable = "not_exportable",
    /// An output file exists and `--force` was not given.
    FileExists = "file_exists",
    /// An account metadata file is not what the Zendesk API returns.
    BadAccount = "bad_account",
    /// The rule set sets custom fields or tags, and without the account's ticket fields
    /// the engine cannot tie drop-down, multi-select and checkbox fields to their tags.
    FieldTagsUnlinked = "field_tags_unlinked",
    /// A trigger that keeps firing on every update: its actions falsify none of its
    /// conditions.
    NoNullifyingCondition = "no_nullifying_condition",
    /// Conditions that can never hold together: the trigger never fires.
    UnsatisfiableConditions = "unsatisfiable_conditions",
    /// A condition that every ticket meets.
    AlwaysTrueCondition = "always_true_condition",
    /// A condition that the trigger's other conditions already imply.
    RedundantCondition = "redundant_condition",
    /// A trigger with the same conditions and actions as an earlier one.
    DuplicateTrigger = "duplicate_trigger",
    /// A trigger that never fires because an earlier one always changes what it needs.
    ShadowedTrigger = "shadowed_trigger",
    /// Actions of one trigger that undo or override each other.
    ConflictingActions = "conflicting_actions",
    /// Two triggers that undo each other's changes on every update.
    PingPong = "ping_pong",
    /// A messaging trigger that needs an ended session, when messaging triggers no longer
    /// run.
    MessagingTriggerOnEndedSession = "messaging_trigger_on_ended_session",
    /// The messaging survey is sent, but never the email survey when a session ends.
    CsatWithoutEmailFallback = "csat_without_email_fallback",
    /// A trigger for tickets routed as messaging after their session ended, which are
    /// taken out of every queue.
    NeverRouted = "never_routed",
    /// A trigger that ends the session of tickets it does not restrict to messaging.
    EndSessionWithoutMessagingCondition = "end_session_without_messaging_condition",
    /// A group, webhook or custom field id that the account does not have.
    UnknownReference = "unknown_reference",
    /// A `declic.toml` that cannot be read, or a setting with a wrong value.
    InvalidConfig = "invalid_config",
    /// A `declic.toml` key that declic does not know.
    UnknownSetting = "unknown_setting",
    /// A lint name that declic does not know, in `declic.toml` or a suppression comment.
    UnknownLint = "unknown_lint",
    /// A routing queue no ticket reaches: an earlier queue in order takes every ticket it
    /// would.
    UnreachableQueue = "unreachable_queue",
    /// A routing queue whose conditions no routed ticket meets.
    QueueNeverMatches = "queue_never_matches",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A labelled span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What to say there.
    pub message: Option<String>,
}

/// One problem, with everything needed to show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Its stable code.
    pub code: Code,
    /// How bad it is.
    pub severity: Severity,
    /// One line, lower case, no trailing period; user input in backticks.
    pub message: String,
    /// The text the labels point into; absent for problems with no text (a missing file).
    pub source: Option<Arc<Source>>,
    /// The file the problem is about, when there is no source text to point into.
    pub file: Option<String>,
    /// The spans, primary first.
    pub labels: Vec<Label>,
    /// How to fix it.
    pub help: Option<String>,
    /// Other places that belong to the same problem.
    pub related: Vec<Diagnostic>,
}

impl Diagnostic {
    /// An error with `code` and `message`.
    pub fn error(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            source: None,
            file: None,
            labels: Vec::new(),
            help: None,
            related: Vec::new(),
        }
    }

    /// A warning with `code` and `message`.
    pub fn warning(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    /// An advice with `code` and `message`.
    pub fn advice(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Advice,
            ..Diagnostic::error(code, message)
        }
    }

    /// Points into `source`.
    pub fn in_source(mut self, source: &Arc<Source>) -> Diagnostic {
        self.file = Some(source.name.clone());
        self.source = Some(Arc::clone(source));
        self
    }

    /// Names a file that has no text to point into.
    pub fn in_file(mut self, file: impl Into<String>) -> Diagnostic {
        self.file = Some(file.into());
        self
    }

    /// Adds a label.
    pub fn label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: Some(message.into()),
        });
        self
    }

    /// Sets the help text.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Sets the help text when there is one.
    pub fn maybe_help(mut self, help: Option<String>) -> Diagnostic {
        self.help = help.or(self.help);
        self
    }

    /// Adds a related diagnostic.
    pub fn related(mut self, other: Diagnostic) -> Diagnostic {
        self.related.push(other);
        self
    }

    /// Whether it is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The primary span's 1-based line and column.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        let (source, label) = (self.source.as_ref()?, self.labels.first()?);
        Some(source.line_col(label.span.start))
    }

    /// Where the primary span starts and ends, as 1-based lines and columns; the end is
    /// the place just after it.
    pub fn region(&self) -> Option<((usize, usize), (usize, usize))> {
        let (source, label) = (self.source.as_ref()?, self.labels.first()?);
        Some((
            source.line_col(label.span.start),
            source.line_col(label.span.end),
        ))
    }

    /// The message, then the help on a line of its own: for formats with one text.
    pub fn message_with_help(&self) -> String {
        match &self.help {
            Some(help) => format!("{}\nhelp: {help}", self.message),
            None => self.message.clone(),
        }
    }
}

/// User text as shown in a message: long texts are cut in the middle, so a 1 MiB value
/// still gives a readable diagnostic.
pub fn excerpt(text: &str) -> String {
    const KEEP: usize = 30;
    if text.chars().count() <= 2 * KEEP + 5 {
        return text.to_string();
    }
    let head: String = text.chars().take(KEEP).collect();
    let mut tail: Vec<char> = text.chars().rev().take(KEEP).collect();
    tail.reverse();
    format!("{head}...{}", tail.into_iter().collect::<String>())
}

/// "did you mean `a`, `b` or `c`?", or nothing when there is no suggestion.
pub fn did_you_mean(suggestions: &[&str]) -> Option<String> {
    let quoted: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
    match quoted.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean {one}?")),
        [init @ .., last] => Some(format!("did you mean {} or {last}?", init.join(", "))),
    }
}

/// Several diagnostics as miette's list of related reports, for an error that carries
/// every problem of a file or a rule set.
pub fn as_related(
    diagnostics: &[Diagnostic],
) -> Option<Box<dyn Iterator<Item = &dyn miette::Diagnostic> + '_>> {
    Some(Box::new(
        diagnostics.iter().map(|d| d as &dyn miette::Diagnostic),
    ))
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Advice => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_deref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let labels = self.labels.iter().enumerate().map(|(i, label)| {
            let span = SourceSpan::from(label.span);
            if i == 0 {
                miette::LabeledSpan::new_primary_with_span(label.message.clone(), span)
            } else {
                miette::LabeledSpan::new_with_span(label.message.clone(), span)
            }
        });
        Some(Box::new(labels))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|d| d as &dyn miette::Diagnostic),
        ))
    }
}

pub mod github;
pub mod junit;
pub mod render;
pub mod sarif;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                "[a-zé ]{0,6}",
                Just("\n".to_string()),
                Just("\r\n".to_string())
            ],
            0..30,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        /// Reading only the lines around a span gives what miette reads from the whole text.
        #[test]
        fn spans_read_as_from_the_whole_text(
            text in text(),
            at in 0usize..200,
            len in 0usize..20,
            before in 0usize..3,
            after in 0usize..3,
        ) {
            let source = Source::new("f", text.clone());
            let start = floor_char_boundary(&text, at.min(text.len()));
            let end = floor_char_boundary(&text, (start + len).min(text.len()));
            let span = SourceSpan::new(start.into(), end - start);
            let ours = source.read_span(&span, before, after).unwrap();
            let whole = text.read_span(&span, before, after).unwrap();
            prop_assert_eq!(ours.data(), whole.data());
            prop_assert_eq!(ours.span(), whole.span());
            prop_assert_eq!(ours.line(), whole.line());
            prop_assert_eq!(ours.column(), whole.column());
            prop_assert_eq!(ours.line_count(), whole.line_count());
        }

        /// Line and column come out as counting from the start would give them.
        #[test]
        fn line_and_column_count_from_the_start(text in text(), at in 0usize..200) {
            let source = Source::new("f", text.clone());
            let offset = floor_char_boundary(&text, at.min(text.len()));
            let before = &text[..offset];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
            prop_assert_eq!(source.line_col(offset), (line, column));
        }
    }
}
