//! The playground's functions against the library called directly: what the page shows is
//! what `check`, `run` and `import` give for the same text.

use super::*;
use crate::model::Event;
use crate::Severity;

const RECIPE: &str = include_str!("../../../../recipes/en/1-after-hours.declic");
const RECIPE_NAME: &str = "en/1-after-hours.declic";
const FIRES: &str =
    include_str!("../../../../events/messaging-created-outside-business-hours.json");
/// The same recipe fires nothing on it.
const FIRES_NOTHING: &str = include_str!("../../../../events/agent-ends-session.json");
const EXPORT: &str = include_str!("../../../../tests/fixtures/zendesk/single_trigger.json");

fn request(rules: &str, event: EventInput) -> RunRequest {
    RunRequest {
        files: IndexMap::from([(RECIPE_NAME.to_owned(), rules.to_owned())]),
        event,
    }
}

fn text(event: &str) -> EventInput {
    EventInput::Text(event.to_owned())
}

/// The outcome of `event` on `rules` from the engine itself, routed as the CLI routes it.
fn engine_outcome(rules: &str, event: &str) -> Outcome {
    let checked = crate::check(&[Source::new(RECIPE_NAME, rules)]);
    let rules = checked.into_result().expect("the recipe checks");
    let engine = Compiled::new(&rules).expect("a checked rule set compiles");
    let router = Router::new(&rules).expect("a checked rule set routes");
    let event = Event::from_json(event).expect("the sample event reads");
    let mut outcome = engine.run(&event);
    router.route_outcome(&event, &mut outcome, None);
    outcome
}

fn json<T: Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).expect("plain data serialises")
}

fn errors(answer: &RunAnswer) -> Vec<&JsonDiagnostic> {
    let errors = answer.diagnostics.iter();
    errors.filter(|d| d.severity == Severity::Error).collect()
}

#[test]
fn a_run_gives_the_engines_outcome_and_explains_it() {
    for event in [FIRES, FIRES_NOTHING] {
        let answer = run(request(RECIPE, text(event)));
        assert!(errors(&answer).is_empty(), "{:?}", answer.diagnostics);
        assert_eq!(answer.event_error, None);
        let outcome = answer.outcome.expect("the rules check and the event reads");
        assert_eq!(json(&outcome), json(&engine_outcome(RECIPE, event)));
        // Every trigger that fired is fired in the explanation's passes, and no other.
        let explained = answer.explanation.expect("an outcome comes explained");
        let fired_in_passes: Vec<&str> = explained
            .passes
            .iter()
            .flat_map(|p| &p.triggers)
            .filter(|l| l.verdict == crate::engine::Verdict::Fired)
            .map(|l| l.trigger.as_str())
            .collect();
        let fired: Vec<&str> = outcome.fired.iter().map(|f| &*f.trigger).collect();
        assert_eq!(fired_in_passes, fired);
    }
    // The two events differ where it matters: one fires the recipe, the other does not.
    assert!(!engine_outcome(RECIPE, FIRES).fired.is_empty());
    assert!(engine_outcome(RECIPE, FIRES_NOTHING).fired.is_empty());
}

#[test]
fn a_mistake_is_reported_on_its_line_and_nothing_runs() {
    let broken = RECIPE.replacen("Channel is Messaging", "Chanel is Messaging", 1);
    assert_ne!(
        broken, RECIPE,
        "the recipe no longer holds the line the test breaks"
    );
    let line = 1 + broken[..broken.find("Chanel is").expect("just written")]
        .matches('\n')
        .count();
    let answer = run(request(&broken, text(FIRES)));
    let errors = errors(&answer);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].code, Code::UnknownField);
    assert_eq!(errors[0].line, Some(line));
    assert_eq!(errors[0].file.as_deref(), Some(RECIPE_NAME));
    assert!(answer.outcome.is_none() && answer.explanation.is_none());
}

#[test]
fn each_file_names_its_own_diagnostics() {
    let other = "other.declic";
    let mut request = request(RECIPE, text(FIRES));
    let broken =
        "trigger \"x\" {\n  when all {\n    Nope is 1\n  }\n  then {\n    Priority = Low\n  }\n}\n";
    request.files.insert(other.to_owned(), broken.to_owned());
    let answer = run(request);
    let files: Vec<Option<&str>> = errors(&answer).iter().map(|d| d.file.as_deref()).collect();
    assert_eq!(files, [Some(other)]);
    assert_eq!(errors(&answer)[0].line, Some(3));
}

#[test]
fn lints_speak_only_once_the_rules_check() {
    // The same trigger twice under two titles: a lint, once nothing is an error.
    let twice = format!(
        "{RECIPE}\n{}",
        RECIPE.replace("After hours:", "Copy of after hours:")
    );
    let answer = run(request(&twice, text(FIRES)));
    let linted = |a: &RunAnswer| {
        a.diagnostics
            .iter()
            .any(|d| d.code == Code::DuplicateTrigger)
    };
    assert!(linted(&answer), "{:?}", answer.diagnostics);
    let with_error = twice.replacen("Channel is Messaging", "Chanel is Messaging", 1);
    assert!(!linted(&run(request(&with_error, text(FIRES)))));
}

#[test]
fn an_event_that_does_not_read_is_located_in_its_text() {
    let cases = [
        // (event, the JSON path of its error)
        (
            "{\n  \"ticket\": {\n    \"status\": \"archived\"\n  }\n}",
            Some("ticket.status"),
        ),
        ("{\n  \"ticket\": \n", Some("ticket")),
        ("[1, 2]", None),
    ];
    for (event, path) in cases {
        let answer = run(request(RECIPE, text(event)));
        let problem = answer.event_error.clone().expect(event);
        assert_eq!(problem.code, Code::InvalidEvent, "{event}");
        assert!(problem.line.is_some(), "{event}: {problem:?}");
        assert_eq!(problem.path.as_deref(), path, "{event}");
        assert!(answer.outcome.is_none(), "{event}");
        // The rules are still checked, so their diagnostics show beside the event's.
        assert!(errors(&answer).is_empty());
    }
    assert_eq!(run(request(RECIPE, text(FIRES))).event_error, None);
}

#[test]
fn an_event_sent_as_json_runs_as_its_text_does() {
    let value: serde_json::Value = serde_json::from_str(FIRES).expect("sample JSON");
    let as_json = run(request(RECIPE, EventInput::Json(value)));
    let as_text = run(request(RECIPE, text(FIRES)));
    assert!(as_json.outcome.is_some());
    assert_eq!(json(&as_json.outcome), json(&as_text.outcome));
    // A JSON event's error has no position: it would point into text nobody wrote.
    let bad = serde_json::json!({"ticket": {"status": "archived"}});
    let problem = run(request(RECIPE, EventInput::Json(bad))).event_error;
    let problem = problem.expect("archived is no status");
    assert_eq!(
        (problem.line, problem.path.as_deref()),
        (None, Some("ticket.status"))
    );
}

#[test]
fn an_export_imports_into_one_rule_file_that_checks() {
    let title = serde_json::from_str::<serde_json::Value>(EXPORT).expect("fixture JSON")["trigger"]
        ["title"]
        .as_str()
        .expect("the fixture's trigger has a title")
        .to_owned();
    for (lang, keyword) in [(None, "trigger"), (Some(Lang::Fr), "déclencheur")] {
        let answer = import(&ImportRequest {
            export: EXPORT.to_owned(),
            lang,
        });
        assert_eq!(answer.files.len(), 1, "{lang:?}");
        let (name, text) = answer.files.first().expect("one file");
        assert!(text.contains(&format!("{keyword} \"{title}\"")), "{text}");
        let checked = crate::check(&[Source::new(name.as_str(), text.as_str())]);
        let rules = checked.into_result().expect("imported rules check");
        assert_eq!(rules.triggers[0].title, title);
    }
}

#[test]
fn an_export_that_is_not_one_gives_no_rules_and_says_why() {
    for (export, code) in [
        ("not json", Code::NotZendeskJson),
        ("{\"users\": []}", Code::NotZendeskJson),
    ] {
        let answer = import(&ImportRequest {
            export: export.to_owned(),
            lang: None,
        });
        assert!(answer.files.is_empty(), "{export}");
        let codes: Vec<Code> = answer.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, [code], "{export}");
    }
}

#[test]
fn only_a_request_of_the_routes_shape_is_read() {
    let good = br#"{"files": {"a.declic": ""}, "event": "{}"}"#;
    let read: RunRequest = super::request(good).expect("a run request");
    assert_eq!(read.files.len(), 1);
    let good = br#"{"export": "[]", "lang": "fr"}"#;
    let read: ImportRequest = super::request(good).expect("an import request");
    assert_eq!(read.lang, Some(Lang::Fr));
    let bad: [&[u8]; 4] = [
        b"not json",
        br#"{"files": {"a.declic": ""}}"#,
        br#"{"files": {"a.declic": 1}, "event": "{}"}"#,
        br#"{"files": {}, "event": "{}", "rules": "x"}"#,
    ];
    for body in bad {
        let e = super::request::<RunRequest>(body).expect_err(&String::from_utf8_lossy(body));
        assert!(e.to_string().starts_with("the request is not"), "{e}");
    }
}
