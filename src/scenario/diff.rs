//! What differs between a step's expectations and its outcome, as data and as the lines a
//! person reads: which trigger, which field, which effect.

use serde::Serialize;
use serde_json::Value;
use similar::{capture_diff_slices, Algorithm, ChangeTag};

/// One expectation that does not hold.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mismatch {
    /// The triggers that fired, in order, are not the expected ones.
    Fired {
        /// As expected.
        expected: Vec<String>,
        /// As fired.
        actual: Vec<String>,
    },
    /// A trigger fired that must not.
    FiredUnexpectedly {
        /// Its title.
        trigger: String,
    },
    /// A ticket field does not hold the expected value.
    Field {
        /// The field's path: `status`, `messaging_session.state`, `custom_fields_123`.
        field: String,
        /// As expected.
        expected: Value,
        /// As found (`null` when absent).
        actual: Value,
    },
    /// The routing decision after the triggers does not hold the expected value.
    Routing {
        /// The path in the decision: `queue.name`, `agent.agent_id`.
        field: String,
        /// As expected.
        expected: Value,
        /// As found (`null` when absent, or when routing did not run).
        actual: Value,
    },
    /// Tags that must be on the ticket and are not.
    TagsMissing {
        /// The tags missing.
        missing: Vec<String>,
        /// The ticket's tags.
        actual: Vec<String>,
    },
    /// Tags that must not be on the ticket and are.
    TagsPresent {
        /// The tags present.
        present: Vec<String>,
        /// The ticket's tags.
        actual: Vec<String>,
    },
    /// No effect has every field an expected one names.
    Effect {
        /// The effect expected, as far as it is named.
        expected: Value,
        /// Every effect of the outcome.
        actual: Vec<Value>,
    },
    /// An effect was emitted that must not be (`no_effects`).
    EffectPresent {
        /// The effect refused, as far as it is named.
        refused: Value,
        /// The first emitted effect that has every field it names.
        emitted: Value,
    },
    /// The effects emitted are not exactly the ones listed (`effects_exactly`).
    Effects {
        /// As listed, each as far as it is named.
        expected: Vec<Value>,
        /// Every effect of the outcome, in emission order.
        actual: Vec<Value>,
    },
    /// The step could not be applied to the ticket.
    Step {
        /// Why.
        message: String,
    },
}

/// Whether lines are coloured for a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    /// ANSI red and green on removed and added lines.
    Ansi,
    /// No escape codes.
    None,
}

impl Colour {
    fn paint(self, code: &str, text: &str) -> String {
        match self {
            Colour::Ansi => format!("\u{1b}[{code}m{text}\u{1b}[0m"),
            Colour::None => text.to_owned(),
        }
    }

    /// Text in red.
    pub fn red(self, text: &str) -> String {
        self.paint("31", text)
    }

    /// Text in green.
    pub fn green(self, text: &str) -> String {
        self.paint("32", text)
    }
}

impl Mismatch {
    /// The mismatch as lines, without indentation.
    pub fn lines(&self, colour: Colour) -> Vec<String> {
        match self {
            Mismatch::Fired { expected, actual } => fired_lines(expected, actual, colour),
            Mismatch::FiredUnexpectedly { trigger } => {
                vec![format!("`{trigger}` fired, and must not")]
            }
            Mismatch::Field {
                field,
                expected,
                actual,
            } => vec![format!(
                "ticket.{field}: expected {}, found {}",
                colour.green(&show(expected)),
                colour.red(&show(actual))
            )],
            Mismatch::Routing {
                field,
                expected,
                actual,
            } => vec![format!(
                "routing.{field}: expected {}, found {}",
                colour.green(&show(expected)),
                colour.red(&show(actual))
            )],
            Mismatch::TagsMissing { missing, actual } => vec![format!(
                "ticket.tags: missing {}; the tags are {}",
                colour.green(&list(missing)),
                list(actual)
            )],
            Mismatch::TagsPresent { present, actual } => vec![format!(
                "ticket.tags: must not have {}; the tags are {}",
                colour.red(&list(present)),
                list(actual)
            )],
            Mismatch::Effect { expected, actual } => effect_lines(expected, actual, colour),
            Mismatch::EffectPresent { refused, emitted } => vec![format!(
                "an effect matches {}, and must not: emitted {}",
                colour.green(&effect_line(refused)),
                colour.red(&effect_line(emitted))
            )],
            Mismatch::Effects { expected, actual } => effects_lines(expected, actual, colour),
            Mismatch::Step { message } => vec![format!("the step could not run: {message}")],
        }
    }
}

/// A JSON value as a scenario writes it: strings quoted, nothing as `nothing`.
fn show(value: &Value) -> String {
    match value {
        Value::Null => "nothing".to_owned(),
        other => other.to_string(),
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        return "none".to_owned();
    }
    let quoted: Vec<String> = items.iter().map(|t| format!("`{t}`")).collect();
    quoted.join(", ")
}

/// The fired triggers as a line diff: kept lines plain, `-` expected and not fired, `+`
/// fired and not expected, so a wrong order shows as one line moving.
fn fired_lines(expected: &[String], actual: &[String], colour: Colour) -> Vec<String> {
    let mut lines = vec!["fired triggers differ (- expected, + fired):".to_owned()];
    if expected.is_empty() && actual.is_empty() {
        return lines;
    }
    let ops = capture_diff_slices(Algorithm::Myers, expected, actual);
    for change in ops.iter().flat_map(|op| op.iter_changes(expected, actual)) {
        let title = change.value();
        lines.push(match change.tag() {
            ChangeTag::Equal => format!("    {title}"),
            ChangeTag::Delete => colour.red(&format!("  - {title}")),
            ChangeTag::Insert => colour.green(&format!("  + {title}")),
        });
    }
    if actual.is_empty() {
        lines.push("  (nothing fired)".to_owned());
    }
    lines
}

/// An effect as one line: `csat_survey channel="email" delivered=true`.
fn effect_line(effect: &Value) -> String {
    let kind = effect["type"].as_str().unwrap_or("?");
    let fields: Vec<String> = effect
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, v)| *k != "type" && !v.is_null())
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if fields.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind} {}", fields.join(" "))
    }
}

/// Listed and emitted effects side by side, place by place: a place where the emitted
/// effect has every field the listed one names is one plain line; elsewhere `-` the
/// listed effect and `+` the emitted one.
fn effects_lines(expected: &[Value], actual: &[Value], colour: Colour) -> Vec<String> {
    let mut lines = vec!["effects differ (- expected, + emitted):".to_owned()];
    for i in 0..expected.len().max(actual.len()) {
        match (expected.get(i), actual.get(i)) {
            (Some(want), Some(got)) if has_fields(got, want) => {
                lines.push(format!("    {}", effect_line(got)));
            }
            (want, got) => {
                if let Some(want) = want {
                    lines.push(colour.red(&format!("  - {}", effect_line(want))));
                }
                if let Some(got) = got {
                    lines.push(colour.green(&format!("  + {}", effect_line(got))));
                }
            }
        }
    }
    if actual.is_empty() {
        lines.push("  (no effect emitted)".to_owned());
    }
    lines
}

/// Whether `effect` has every field of `named`, with its value.
fn has_fields(effect: &Value, named: &Value) -> bool {
    named
        .as_object()
        .into_iter()
        .flatten()
        .all(|(k, v)| effect[k.as_str()] == *v)
}

fn effect_lines(expected: &Value, actual: &[Value], colour: Colour) -> Vec<String> {
    let mut lines = vec![format!(
        "no effect matches {}",
        colour.green(&effect_line(expected))
    )];
    // Effects of the expected type are the ones worth reading; others only when there
    // are none of it.
    let same: Vec<&Value> = actual
        .iter()
        .filter(|e| e["type"] == expected["type"])
        .collect();
    let shown: Vec<&Value> = if same.is_empty() {
        actual.iter().collect()
    } else {
        same
    };
    if shown.is_empty() {
        lines.push("  the step emitted no effect".to_owned());
    }
    for effect in shown {
        lines.push(format!("  emitted: {}", colour.red(&effect_line(effect))));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn names(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn fired_diff_marks_missing_and_extra_triggers() {
        let m = Mismatch::Fired {
            expected: names(&["A", "B", "C"]),
            actual: names(&["A", "C", "D"]),
        };
        assert_eq!(
            m.lines(Colour::None),
            [
                "fired triggers differ (- expected, + fired):",
                "    A",
                "  - B",
                "    C",
                "  + D"
            ]
        );
    }

    #[test]
    fn nothing_fired_is_said() {
        let m = Mismatch::Fired {
            expected: names(&["A"]),
            actual: vec![],
        };
        assert_eq!(
            m.lines(Colour::None).last().map(String::as_str),
            Some("  (nothing fired)")
        );
    }

    #[test]
    fn field_shows_both_values() {
        let m = Mismatch::Field {
            field: "messaging_session.state".into(),
            expected: json!("ended"),
            actual: Value::Null,
        };
        assert_eq!(
            m.lines(Colour::None),
            [r#"ticket.messaging_session.state: expected "ended", found nothing"#]
        );
        assert!(m.lines(Colour::Ansi)[0].contains("\u{1b}[32m\"ended\""));
    }

    #[test]
    fn effect_shows_the_emitted_ones_of_its_type() {
        let m = Mismatch::Effect {
            expected: json!({"type": "csat_survey", "channel": "email"}),
            actual: vec![
                json!({"type": "session_ended", "trigger": "T", "by": "ended_by_trigger"}),
                json!({"type": "csat_survey", "trigger": "T", "channel": "messaging",
                       "delivered": false, "reason": "ended"}),
            ],
        };
        assert_eq!(
            m.lines(Colour::None),
            [
                r#"no effect matches csat_survey channel="email""#,
                r#"  emitted: csat_survey channel="messaging" delivered=false reason="ended" trigger="T""#
            ]
        );
    }
}
