//! Reading timeline files, good and bad.

use super::*;
use crate::model::Status;

fn parse(text: &str) -> Result<Timeline, Vec<(Code, String)>> {
    Timeline::parse(&Source::new("t.timeline.toml", text)).map_err(|e| {
        e.diagnostics
            .iter()
            .map(|d| {
                let span = d.labels.first().map(|l| l.span).expect("a label");
                (d.code, text[span.start..span.end].to_owned())
            })
            .collect()
    })
}

fn t(s: &str) -> Timestamp {
    s.parse().expect("valid")
}

#[test]
fn reads_conversations_their_times_and_the_account() {
    let timeline = parse(
        r#"
product = "messaging"
start = 2024-05-06T09:00:00Z
[account]
inactivity_minutes = 30
capacity_release = { end_session = true, steps = [{ after = 5, status = "on-hold" }] }
push_notifications = false
automations_minute = 15
[[ticket]]
name = "Marie"
agent = 42
activity = [
  "0:00 end user writes: where is my parcel?",
  "agent joins",
  "0:02:30 agent replies",
  "wait 3 days",
  "agent sets status solved",
]
"#,
    )
    .expect("reads");
    let c = &timeline.tickets[0];
    assert_eq!(
        (c.name.as_str(), c.agent, c.product),
        ("Marie", 42, Product::Messaging)
    );
    let at: Vec<_> = c.activity.iter().map(|a| (a.at, a.activity)).collect();
    assert_eq!(
        at,
        vec![
            (t("2024-05-06T09:00:00Z"), Activity::EndUserWrites),
            (t("2024-05-06T09:00:00Z"), Activity::AgentJoins),
            (t("2024-05-06T09:02:30Z"), Activity::AgentReplies),
            (
                t("2024-05-09T09:02:30Z"),
                Activity::AgentSetsStatus(Status::Solved)
            ),
        ]
    );
    assert_eq!(c.activity[0].body.as_deref(), Some("where is my parcel?"));
    let account = &timeline.account;
    assert_eq!(account.settings.inactivity_minutes, 30);
    assert_eq!(account.model.messaging_inactivity_minutes, Some(30));
    assert!(!account.settings.push_notifications);
    assert_eq!(account.automations_minute, 15);
    let release = account.settings.release.as_ref().expect("release on");
    assert!(release.end_session);
    assert_eq!(release.steps[0].status, Some(Status::Hold));
    assert_eq!(timeline.last_moment(), t("2024-05-09T09:02:30Z"));
}

#[test]
fn bad_timelines_name_each_mistake_where_it_is() {
    let cases: &[(&str, &str, Code, &str)] = &[
        (
            "an activity out of time order",
            r#"activity = ["0:10 end user writes", "0:05 agent replies"]"#,
            Code::ActivityOutOfOrder,
            r#""0:05 agent replies""#,
        ),
        (
            "an activity messaging does not have",
            r#"activity = ["0:00 end user writes", "visitor goes idle"]"#,
            Code::ActivityNotInProduct,
            r#""visitor goes idle""#,
        ),
        (
            "an unknown activity",
            r#"activity = ["0:00 end user wrote"]"#,
            Code::UnknownActivity,
            r#""0:00 end user wrote""#,
        ),
        (
            "a time that is not one",
            r#"activity = ["0:75 end user writes"]"#,
            Code::InvalidTime,
            r#""0:75 end user writes""#,
        ),
        (
            "a wait of nothing",
            r#"activity = ["0:00 end user writes", "wait a while"]"#,
            Code::InvalidTime,
            r#""wait a while""#,
        ),
        (
            "a status that is not one",
            r#"activity = ["0:00 end user writes", "agent sets status done"]"#,
            Code::InvalidValue,
            r#""agent sets status done""#,
        ),
    ];
    for (what, activity, code, at) in cases {
        let text = format!("product = \"messaging\"\n[[ticket]]\n{activity}\n");
        let errors = parse(&text).expect_err(what);
        assert_eq!(errors, vec![(*code, (*at).to_owned())], "{what}");
        // The near miss: the same file without the mistake reads.
        let fixed = text.replace(&at[1..at.len() - 1], "0:20 agent replies");
        assert!(parse(&fixed).is_ok(), "{what}, fixed: {fixed}");
    }
}

#[test]
fn a_horizon_before_the_first_activity_is_an_error() {
    let text = |until: &str| {
        format!("product = \"live chat\"\nuntil = \"{until}\"\n[[ticket]]\nactivity = [\"1:00 end user writes\"]\n")
    };
    let errors = parse(&text("0:30")).expect_err("before");
    assert_eq!(errors[0].0, Code::HorizonBeforeActivity);
    let ok = parse(&text("2 hours")).expect("after");
    assert_eq!(ok.until.map(|u| u.0), Some(t("2024-05-06T11:00:00Z")));
}

#[test]
fn keys_products_and_account_values_are_checked() {
    let errors = parse("product = \"live chatt\"\n[[ticket]]\nactivity = []\n").expect_err("bad");
    assert_eq!(errors[0].0, Code::InvalidValue);
    let errors = parse(
        "product = \"messaging\"\n[account]\nautomations_minute = 60\n[[ticket]]\nactivity = []\n",
    )
    .expect_err("bad minute");
    assert_eq!(errors, vec![(Code::InvalidValue, "60".to_owned())]);
    let errors = parse("product = \"messaging\"\n[[ticket]]\nactivty = []\n").expect_err("typo");
    assert!(
        errors.iter().any(|(c, _)| *c == Code::UnknownKey),
        "{errors:?}"
    );
    let errors = parse("[[ticket]]\nactivity = []\n").expect_err("no product");
    assert_eq!(errors[0].0, Code::MissingKey);
}

#[test]
fn durations_and_moments() {
    assert_eq!(duration("3 days"), Some(3 * 86_400));
    assert_eq!(duration("1 hour 30 minutes"), Some(5400));
    assert_eq!(duration("90 second"), Some(90));
    assert_eq!(duration("3"), None);
    assert_eq!(duration("-1 days"), None);
    let start = t("2024-05-06T09:00:00Z");
    assert_eq!(
        parse_moment("50:00", start),
        Some(t("2024-05-08T11:00:00Z"))
    );
    assert_eq!(
        parse_moment("2024-05-07T00:00:00Z", start),
        Some(t("2024-05-07T00:00:00Z"))
    );
    assert_eq!(parse_moment("soon", start), None);
}
