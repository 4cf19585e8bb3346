//! SARIF 2.1.0, the format code-scanning services read: one run of the `declic` tool, its
//! rules (every [`Code`]), and one result per diagnostic with its place in the file.

use serde_json::{json, Map, Value};

use super::{Code, Diagnostic, Severity};
use crate::lint::{Level, LINTS};

/// The schema the output follows, as SARIF consumers expect it named.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF log of `diagnostics`.
pub fn sarif(diagnostics: &[Diagnostic]) -> Value {
    let rules: Vec<Value> = Code::ALL.iter().map(|c| rule(*c)).collect();
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "declic",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            // Columns count characters, as in every other declic output.
            "columnKind": "unicodeCodePoints",
            "results": diagnostics.iter().map(result).collect::<Vec<_>>(),
        }]
    })
}

fn rule(code: Code) -> Value {
    let mut rule = json!({
        "id": code.as_str(),
        "name": code.name(),
        "shortDescription": { "text": code.description() },
    });
    let default = LINTS.iter().find(|l| l.code == code).map(|l| l.default);
    if let (Some(level), Some(map)) = (default, rule.as_object_mut()) {
        let level = match level {
            Level::Off => "none",
            Level::Warning => "warning",
            Level::Error => "error",
        };
        map.insert("defaultConfiguration".into(), json!({ "level": level }));
    }
    rule
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Advice => "note",
    }
}

fn result(d: &Diagnostic) -> Value {
    let mut result = Map::new();
    result.insert("ruleId".into(), json!(d.code.as_str()));
    if let Some(index) = Code::ALL.iter().position(|c| *c == d.code) {
        result.insert("ruleIndex".into(), json!(index));
    }
    result.insert("level".into(), json!(level(d.severity)));
    result.insert("message".into(), json!({ "text": d.message_with_help() }));
    result.insert(
        "locations".into(),
        json!(location(d).into_iter().collect::<Vec<_>>()),
    );
    let related: Vec<Value> = d
        .related
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let mut place = location(r)?;
            let map = place.as_object_mut()?;
            map.insert("id".into(), json!(i));
            map.insert("message".into(), json!({ "text": r.message }));
            Some(place)
        })
        .collect();
    if !related.is_empty() {
        result.insert("relatedLocations".into(), json!(related));
    }
    Value::Object(result)
}

/// Where a diagnostic is: its file, and the region of its primary span when it has text.
fn location(d: &Diagnostic) -> Option<Value> {
    let file = d.file.as_ref()?;
    let mut physical = Map::new();
    physical.insert("artifactLocation".into(), json!({ "uri": uri(file) }));
    if let (Some(((start_line, start_column), (end_line, end_column))), Some(label)) =
        (d.region(), d.labels.first())
    {
        physical.insert(
            "region".into(),
            json!({
                "startLine": start_line,
                "startColumn": start_column,
                "endLine": end_line,
                "endColumn": end_column,
                "byteOffset": label.span.start,
                "byteLength": label.span.len(),
            }),
        );
    }
    Some(json!({ "physicalLocation": physical }))
}

/// A path as a relative URI reference: `/` between segments, anything else outside the
/// unreserved characters percent-encoded.
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Source, Span};

    #[test]
    fn a_result_has_its_rule_level_and_region() {
        let text = "trigger \"x\" {\n  é Canal\n}\n";
        let source = Source::new("règles/a b.declic", text);
        let at = text.find("Canal").unwrap_or_default();
        let d = Diagnostic::warning(Code::UnknownField, "unknown field")
            .in_source(&source)
            .label(Span::new(at, at + 5), "here")
            .help("fix it");
        let log = sarif(&[d]);
        let result = &log["runs"][0]["results"][0];
        assert_eq!(result["ruleId"], "declic::unknown_field");
        assert_eq!(result["level"], "warning");
        assert_eq!(result["message"]["text"], "unknown field\nhelp: fix it");
        let place = &result["locations"][0]["physicalLocation"];
        assert_eq!(place["artifactLocation"]["uri"], "r%C3%A8gles/a%20b.declic");
        assert_eq!(place["region"]["startLine"], 2);
        assert_eq!(place["region"]["startColumn"], 5);
        assert_eq!(place["region"]["endColumn"], 10);
        let index = result["ruleIndex"].as_u64().expect("an index") as usize;
        assert_eq!(
            log["runs"][0]["tool"]["driver"]["rules"][index]["id"],
            "declic::unknown_field"
        );
    }

    #[test]
    fn lints_carry_their_default_level() {
        let log = sarif(&[]);
        let rules = log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let rule = |id: &str| {
            rules
                .iter()
                .find(|r| r["id"] == id)
                .cloned()
                .unwrap_or_default()
        };
        assert_eq!(
            rule("declic::unknown_reference")["defaultConfiguration"]["level"],
            "error"
        );
        assert_eq!(
            rule("declic::ping_pong")["defaultConfiguration"]["level"],
            "warning"
        );
        assert!(rule("declic::syntax").get("defaultConfiguration").is_none());
    }
}
