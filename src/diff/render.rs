//! A [`Report`] for people: as text for a terminal, and as Markdown sized for a pull
//! request's comment or a CI job's summary.

use std::fmt::Write;

use serde_json::Value;

use super::report::{Kind, Report, Status, TriggerRow};

/// The most characters a Markdown report holds: GitHub refuses comments over 65,536.
pub const MARKDOWN_LIMIT: usize = 60_000;

/// The most trigger rows a Markdown report lists.
const MARKDOWN_ROWS: usize = 100;

/// The most characters of a value shown in an example.
const VALUE_CHARS: usize = 120;

impl Report {
    /// The report as text: the summary, the triggers that changed, each kind of difference
    /// with its examples, the events that could not be read.
    pub fn to_text(&self) -> String {
        let mut out = self.headline() + "\n";
        let changed: Vec<&TriggerRow> = self.triggers.iter().filter(|r| r.changed()).collect();
        if !changed.is_empty() {
            let width = changed.iter().map(|r| label(r).chars().count()).max();
            let width = width.unwrap_or(0).max("Trigger".len());
            let _ = writeln!(out, "\n{:width$}  before   after  difference", "Trigger");
            for row in &changed {
                let _ = writeln!(
                    out,
                    "{:width$}  {:>6}  {:>6}  {:>10}{}",
                    label(row),
                    row.before,
                    row.after,
                    signed(row.difference),
                    status(row.status)
                        .map(|s| format!("  {s}"))
                        .unwrap_or_default(),
                );
            }
        }
        let same = self.triggers.len() - changed.len();
        if same > 0 {
            let _ = writeln!(out, "\n{same} {} unchanged", plural(same, "trigger"));
        }
        for group in &self.differences {
            let _ = write!(
                out,
                "\n{}: {} {}",
                group.kind.describe(&group.subject),
                group.events,
                plural(group.events, "event")
            );
            let about_trigger = matches!(group.kind, Kind::NowFires | Kind::NoLongerFires);
            if !group.triggers.is_empty() && !about_trigger {
                let _ = write!(out, " (by {})", group.triggers.join(", "));
            }
            out.push('\n');
            for example in &group.examples {
                let _ = writeln!(
                    out,
                    "  {}: {} -> {}",
                    example.event,
                    short(&example.before),
                    short(&example.after)
                );
            }
        }
        if self.unreadable.count > 0 {
            let _ = writeln!(
                out,
                "\n{} {} could not be read:",
                self.unreadable.count,
                plural(self.unreadable.count, "event")
            );
            for bad in &self.unreadable.examples {
                let _ = writeln!(out, "  {}: error[{}]: {}", bad.event, bad.code, bad.message);
            }
        }
        out
    }

    /// The report as GitHub-flavoured Markdown: a summary table of the triggers that
    /// changed and of the kinds of difference, the examples folded in `<details>`, the
    /// whole within [`MARKDOWN_LIMIT`] characters.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("### declic diff\n\n{}\n", self.headline());
        let changed: Vec<&TriggerRow> = self.triggers.iter().filter(|r| r.changed()).collect();
        if !changed.is_empty() {
            out.push_str("\n| Trigger | Before | After | Difference |\n|---|--:|--:|--:|\n");
            for row in changed.iter().take(MARKDOWN_ROWS) {
                let status = status(row.status)
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "| {}{status} | {} | {} | {} |",
                    cell(&label(row)),
                    row.before,
                    row.after,
                    signed(row.difference)
                );
            }
            if changed.len() > MARKDOWN_ROWS {
                let _ = writeln!(
                    out,
                    "\n…and {} more triggers.",
                    changed.len() - MARKDOWN_ROWS
                );
            }
        }
        if !self.differences.is_empty() {
            out.push_str("\n| Difference | Events | Triggers |\n|---|--:|---|\n");
            for group in &self.differences {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} |",
                    cell(&group.kind.describe(&group.subject)),
                    group.events,
                    cell(&group.triggers.join(", "))
                );
            }
            out.push_str("\n<details><summary>Examples</summary>\n");
            for group in &self.differences {
                let _ = write!(
                    out,
                    "\n**{}**\n\n| Event | Before | After |\n|---|---|---|\n",
                    cell(&group.kind.describe(&group.subject))
                );
                for example in &group.examples {
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} |",
                        cell(&example.event),
                        code(&short(&example.before)),
                        code(&short(&example.after))
                    );
                }
            }
            out.push_str("\n</details>\n");
        }
        if self.unreadable.count > 0 {
            let count = self.unreadable.count;
            let _ = write!(
                out,
                "\n<details><summary>{count} {} could not be read</summary>\n\n| Event | Code | Problem |\n|---|---|---|\n",
                plural(count, "event")
            );
            for bad in &self.unreadable.examples {
                let _ = writeln!(
                    out,
                    "| {} | `{}` | {} |",
                    cell(&bad.event),
                    bad.code,
                    cell(&bad.message)
                );
            }
            out.push_str("\n</details>\n");
        }
        bounded(out)
    }

    /// One sentence: how many events, how many differ, how many could not be read.
    fn headline(&self) -> String {
        let mut line = format!(
            "{} of {} {} end differently",
            self.changed,
            self.compared,
            plural(self.compared, "event")
        );
        if self.unreadable.count > 0 {
            let _ = write!(line, "; {} could not be read", self.unreadable.count);
        }
        if !self.has_changes() {
            line.push_str(": no change");
        }
        line + "."
    }
}

/// A trigger's name in a table, with its old name when it was renamed.
fn label(row: &TriggerRow) -> String {
    match &row.was {
        Some(was) => format!("{} (was {was})", row.title),
        None => row.title.clone(),
    }
}

fn status(status: Status) -> Option<&'static str> {
    match status {
        Status::Kept => None,
        Status::Renamed => Some("renamed"),
        Status::Added => Some("added"),
        Status::Removed => Some("removed"),
    }
}

fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        word.to_owned()
    } else {
        format!("{word}s")
    }
}

/// A value as JSON on one line, cut short when long.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= VALUE_CHARS {
        return text;
    }
    text.chars().take(VALUE_CHARS).collect::<String>() + "…"
}

/// Text safe in a table cell: no line breaks, no column bars.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// A value in a table cell as code: backticks inside it would end the span early.
fn code(text: &str) -> String {
    format!("`{}`", cell(text).replace('`', "'"))
}

/// `text` cut at a line to fit [`MARKDOWN_LIMIT`], an open `<details>` closed, and a
/// note saying where the whole report is.
fn bounded(text: String) -> String {
    if text.len() <= MARKDOWN_LIMIT {
        return text;
    }
    let note = "\n_The report is cut short here: `declic diff --format json` gives all of it._\n";
    let room = MARKDOWN_LIMIT - note.len() - "\n</details>\n".len();
    let mut end = room;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let end = text[..end].rfind('\n').map_or(0, |i| i + 1);
    let mut out = text[..end].to_owned();
    if out.matches("<details>").count() > out.matches("</details>").count() {
        out.push_str("\n</details>\n");
    }
    out + note
}
