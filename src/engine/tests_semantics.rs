//! Zendesk's condition semantics (DOMAIN.md sections 3 and 3b), one table per rule, each
//! with cases that hold and near misses that must not.

use serde_json::{json, Value};

use super::tests::give;

fn update(ticket: Value, previous: Value) -> Value {
    json!({"ticket": ticket, "previous": previous})
}

/// The ways an event says a field has no value: a missing key, `null`, `""`.
fn empties(key: &str) -> [Value; 3] {
    [json!({}), json!({ key: null }), json!({ key: "" })]
}

/// The fields whose `""` is Zendesk's "-", as written in a rule, with the JSON key the
/// event uses and a value.
const NO_VALUE_FIELDS: [(&str, &str, &str); 5] = [
    ("Group", "group_id", "5"),
    ("Assignee", "assignee_id", "4"),
    ("Organization", "organization_id", "7"),
    ("Priority", "priority", "\"high\""),
    ("Type", "type", "\"task\""),
];

#[test]
fn is_empty_holds_for_every_spelling_of_no_value() {
    for (name, key, value) in NO_VALUE_FIELDS {
        let value: Value = serde_json::from_str(value).expect("JSON");
        // The editor's "-" is `""` in exports and `__NULL__` in the definitions.
        for spelled in ["\"\"", "__NULL__"] {
            for empty in empties(key) {
                give(empty.clone(), &format!("{name} is {spelled}"), true);
                give(empty, &format!("{name} is not {spelled}"), false);
            }
            give(
                json!({ key: value }),
                &format!("{name} is {spelled}"),
                false,
            );
            give(
                json!({ key: value }),
                &format!("{name} is not {spelled}"),
                true,
            );
        }
    }
}

#[test]
fn no_value_does_not_change_into_another_spelling_of_it() {
    for (name, key, value) in NO_VALUE_FIELDS {
        let value: Value = serde_json::from_str(value).expect("JSON");
        let [missing, null, blank] = empties(key);
        for (now, before) in [
            (blank.clone(), null.clone()),
            (null, missing.clone()),
            (missing, blank),
        ] {
            give(
                update(now.clone(), before.clone()),
                &format!("{name} changed"),
                false,
            );
            give(update(now, before), &format!("{name} not changed"), true);
        }
        let set = json!({ key: value });
        let cleared = update(json!({ key: "" }), set.clone());
        give(cleared.clone(), &format!("{name} changed to \"\""), true);
        give(cleared.clone(), &format!("{name} changed from \"\""), false);
        give(cleared, &format!("{name} changed"), true);
        let filled = update(set, json!({ key: null }));
        give(filled.clone(), &format!("{name} changed from \"\""), true);
        give(filled, &format!("{name} changed to \"\""), false);
    }
}

/// A drop-down custom field with `value`, or without the field at all.
fn drop_down(value: Option<Value>) -> Value {
    match value {
        Some(v) => json!({"custom_fields": [{"id": 1, "value": v}]}),
        None => json!({"custom_fields": [{"id": 2, "value": "other"}]}),
    }
}

#[test]
fn a_drop_down_is_empty_however_the_event_writes_it() {
    let empty = [None, Some(Value::Null), Some(json!(""))];
    for v in empty {
        give(drop_down(v.clone()), "custom_fields_1 is __NULL__", true);
        give(
            drop_down(v.clone()),
            "custom_fields_1 is not __NULL__",
            false,
        );
        give(drop_down(v.clone()), "custom_fields_1 is \"\"", true);
        give(drop_down(v.clone()), "custom_fields_1 is not \"\"", false);
        give(drop_down(v.clone()), "custom_fields_1 is gold", false);
        give(drop_down(v), "custom_fields_1 is not gold", true);
    }
    let gold = || drop_down(Some(json!("gold")));
    give(gold(), "custom_fields_1 is \"\"", false);
    give(gold(), "custom_fields_1 is __NULL__", false);
    give(gold(), "custom_fields_1 is not \"\"", true);
    give(gold(), "custom_fields_1 is gold", true);
    give(gold(), "custom_fields_1 is silver", false);
}

#[test]
fn a_drop_down_changes_only_between_values() {
    let at = |v: Value| json!({"custom_fields": [{"id": 1, "value": v}]});
    let cases = [
        (
            update(at(json!("")), at(Value::Null)),
            "custom_fields_1 changed",
            false,
        ),
        (
            update(at(json!("")), json!({})),
            "custom_fields_1 changed",
            false,
        ),
        (
            update(at(json!("gold")), at(json!(""))),
            "custom_fields_1 changed",
            true,
        ),
        (
            update(at(json!("gold")), at(json!(""))),
            "custom_fields_1 changed from \"\"",
            true,
        ),
        (
            update(at(json!("gold")), json!({})),
            "custom_fields_1 changed from \"\"",
            true,
        ),
        (
            update(at(json!("gold")), at(json!("silver"))),
            "custom_fields_1 changed from \"\"",
            false,
        ),
        (
            update(at(Value::Null), at(json!("gold"))),
            "custom_fields_1 changed to \"\"",
            true,
        ),
        (
            update(json!({}), at(json!("gold"))),
            "custom_fields_1 changed to \"\"",
            true,
        ),
        (
            update(at(json!("silver")), at(json!("gold"))),
            "custom_fields_1 changed to \"\"",
            false,
        ),
    ];
    for (input, when, expected) in cases {
        give(input, when, expected);
    }
}

#[test]
fn subject_is_contains_the_string_anywhere_case_ignored() {
    let subject = |s: &str| json!({ "subject": s });
    let cases = [
        ("SLA_Tracking: printer", true),
        ("Printer sla_tracking issue", true),
        ("Printer outage SLA_TRACKING", true),
        ("xSLA_Trackingx", true),
        ("SLA Tracking", false),
        ("SLA_Trackin", false),
    ];
    for (s, expected) in cases {
        give(subject(s), "Subject is \"SLA_Tracking\"", expected);
        give(subject(s), "Subject is not \"SLA_Tracking\"", !expected);
    }
    give(json!({}), "Subject is \"SLA_Tracking\"", false);
    give(json!({}), "Subject is not \"SLA_Tracking\"", true);
}

#[test]
fn comment_is_contains_the_string_of_the_update_comment() {
    let comment = |body: &str| json!({"ticket": {}, "update": {"comment": {"body": body}}});
    let cases = [
        ("Order #123 is late", true),
        ("where is my ORDER #123?", true),
        ("late: order #1234", true),
        ("order #12", false),
    ];
    for (body, expected) in cases {
        give(comment(body), "Comment text is \"order #123\"", expected);
        give(
            comment(body),
            "Comment text is not \"order #123\"",
            !expected,
        );
    }
    // The ticket's description is not the update's comment.
    let described = json!({"ticket": {"description": "order #123"}});
    give(described.clone(), "Comment text is \"order #123\"", false);
    give(described, "Comment text is not \"order #123\"", true);
}

#[test]
fn comment_visibility_needs_a_comment_of_that_kind() {
    let comment = |public: Option<bool>| match public {
        None => json!({"ticket": {}}),
        Some(p) => json!({"ticket": {}, "update": {"comment": {"body": "b", "public": p}}}),
    };
    // Each value against no comment, a private comment and a public one.
    let cases = [
        ("Public", [false, false, true]),
        ("Private", [false, true, false]),
        ("\"Present (public or private)\"", [false, true, true]),
        ("\"Not relevant\"", [false, true, true]),
        ("\"Présent (public ou privé)\"", [false, true, true]),
        ("\"Requester can see comment\"", [false, false, true]),
    ];
    for (value, expected) in cases {
        for (public, expected) in [None, Some(false), Some(true)].into_iter().zip(expected) {
            give(comment(public), &format!("Comment is {value}"), expected);
        }
    }
}

/// An account with a drop-down (1: free, paying), a multi-select (2: component_a,
/// component_b), a checkbox with a tag (3: urgent_box) and one without (4), as
/// `ticket_fields.json` gives them.
fn account() -> crate::account::Account {
    super::tests::account_of(
        r#"{"ticket_fields": [
        {"id": 1, "type": "tagger", "title": "Customer Tier", "removable": true,
         "custom_field_options": [{"name": "Free", "value": "free"},
                                  {"name": "Paying", "value": "paying"}]},
        {"id": 2, "type": "multiselect", "title": "Product components", "removable": true,
         "custom_field_options": [{"name": "Component A", "value": "component_a"},
                                  {"name": "Component B", "value": "Component_B"}]},
        {"id": 3, "type": "checkbox", "title": "Urgent", "removable": true, "tag": "urgent_box"},
        {"id": 4, "type": "checkbox", "title": "Quiet", "removable": true, "tag": null}
    ]}"#,
    )
}

/// Two triggers: "set" changes something, then "read" (later in the file) tests `read`
/// and adds the tag `seen`.
fn set_then_read(set: &str, read: &str) -> String {
    format!(
        "trigger \"set\" {{\n  when all {{\n    Ticket is Created\n  }}\n  then {{\n    {set}\n  }}\n}}\n\
         trigger \"read\" {{\n  when all {{\n    {read}\n  }}\n  then {{\n    Tags += seen\n  }}\n}}\n"
    )
}

/// The outcome of `text` on `ticket`, the rules compiled with the account or without.
fn outcome(text: &str, ticket: Value, with_account: bool) -> Value {
    let rules = crate::check(&[crate::Source::new("t.declic", text)])
        .into_result()
        .unwrap_or_else(|e| panic!("{text}\ndoes not check: {e:?}"));
    let account = account();
    let engine =
        super::Compiled::with_account(&rules, with_account.then_some(&account)).expect("compiles");
    let event: crate::model::Event =
        serde_json::from_value(json!({ "ticket": ticket })).expect("an event");
    json!(engine.run(&event))
}

fn fired(out: &Value) -> Vec<&str> {
    let fired = out["fired"].as_array().expect("a list");
    fired.iter().filter_map(|f| f["trigger"].as_str()).collect()
}

fn tier(value: &str, tags: &[&str]) -> Value {
    json!({"custom_fields": [{"id": 1, "value": value}], "tags": tags})
}

#[test]
fn a_field_action_swaps_the_option_tags_and_a_later_trigger_sees_them() {
    let reads = [
        ("Tags includes paying", true),
        ("Tags excludes free", true),
        ("custom_fields_1 is paying", true),
        ("Tags includes free", false),
        ("custom_fields_1 is free", false),
    ];
    for (read, expected) in reads {
        let text = set_then_read("custom_fields_1 = paying", read);
        let out = outcome(&text, tier("free", &["free", "x"]), true);
        assert_eq!(fired(&out).contains(&"read"), expected, "{read}: {out:#}");
        // The outcome shows both changes.
        assert_eq!(
            out["fired"][0]["changes"],
            json!([
                {"field": "custom_fields_1", "from": "free", "to": "paying"},
                {"field": "tags", "added": ["paying"], "removed": ["free"]}
            ])
        );
    }
    // Without the account the tag cannot follow, and the rule set says so.
    let text = set_then_read("custom_fields_1 = paying", "Tags includes paying");
    let out = outcome(&text, tier("free", &["free"]), false);
    assert_eq!(fired(&out), ["set"]);
}

#[test]
fn a_tag_action_swaps_the_option_and_a_later_trigger_sees_it() {
    let reads = [
        ("custom_fields_1 is paying", true),
        ("Tags excludes free", true),
        ("custom_fields_1 is free", false),
        ("custom_fields_1 is \"\"", false),
    ];
    for (read, expected) in reads {
        let text = set_then_read("Tags += paying", read);
        let out = outcome(&text, tier("free", &["free"]), true);
        assert_eq!(fired(&out).contains(&"read"), expected, "{read}: {out:#}");
        assert_eq!(
            out["fired"][0]["changes"],
            json!([
                {"field": "tags", "added": ["paying"], "removed": ["free"]},
                {"field": "custom_fields_1", "from": "free", "to": "paying"}
            ])
        );
    }
    let text = set_then_read("Tags += paying", "custom_fields_1 is paying");
    assert_eq!(
        fired(&outcome(&text, tier("free", &["free"]), false)),
        ["set"]
    );
}

#[test]
fn removing_an_option_tag_clears_the_drop_down() {
    let cases = [
        ("Tags -= free", "custom_fields_1 is \"\"", true),
        ("Tags -= free", "custom_fields_1 is present", false),
        ("Tags = x", "custom_fields_1 is \"\"", true),
        // A tag of no option, or of another option than the one set, leaves it.
        ("Tags -= x", "custom_fields_1 is free", true),
        ("Tags -= paying", "custom_fields_1 is free", true),
    ];
    for (set, read, expected) in cases {
        let out = outcome(
            &set_then_read(set, read),
            tier("free", &["free", "x", "paying"]),
            true,
        );
        assert_eq!(
            fired(&out).contains(&"read"),
            expected,
            "{set} then {read}: {out:#}"
        );
    }
}

#[test]
fn a_checkbox_with_a_tag_is_checked_when_the_tag_is_there() {
    let box3 =
        |v: bool, tags: &[&str]| json!({"custom_fields": [{"id": 3, "value": v}], "tags": tags});
    let cases = [
        (
            "custom_fields_3 = true",
            box3(false, &[]),
            "Tags includes urgent_box",
            true,
        ),
        (
            "custom_fields_3 = false",
            box3(true, &["urgent_box"]),
            "Tags excludes urgent_box",
            true,
        ),
        (
            "Tags += urgent_box",
            box3(false, &[]),
            "custom_fields_3 is true",
            true,
        ),
        (
            "Tags -= urgent_box",
            box3(true, &["urgent_box"]),
            "custom_fields_3 is false",
            true,
        ),
        (
            "Tags += other",
            box3(false, &[]),
            "custom_fields_3 is true",
            false,
        ),
        // A checkbox that names no tag is tied to none.
        (
            "custom_fields_4 = true",
            json!({}),
            "Tags includes urgent_box",
            false,
        ),
    ];
    for (set, ticket, read, expected) in cases {
        let out = outcome(&set_then_read(set, read), ticket, true);
        assert_eq!(
            fired(&out).contains(&"read"),
            expected,
            "{set} then {read}: {out:#}"
        );
    }
}

#[test]
fn a_multi_select_lists_the_options_whose_tags_are_there() {
    let picked =
        |v: Value, tags: &[&str]| json!({"custom_fields": [{"id": 2, "value": v}], "tags": tags});
    let cases = [
        (
            "Tags += component_b",
            picked(json!(["component_a"]), &["component_a"]),
            "custom_fields_2 includes component_b",
            true,
        ),
        (
            "Tags -= component_a",
            picked(json!(["component_a"]), &["component_a"]),
            "custom_fields_2 is not present",
            true,
        ),
        (
            "Tags += component_b",
            picked(json!(["component_a"]), &["component_a"]),
            "custom_fields_2 excludes component_a",
            false,
        ),
        (
            "custom_fields_2 = \"component_a component_b\"",
            picked(json!([]), &[]),
            "Tags includes component_b",
            true,
        ),
        (
            "custom_fields_2 = component_b",
            picked(json!(["component_a"]), &["component_a"]),
            "Tags excludes component_a",
            true,
        ),
    ];
    for (set, ticket, read, expected) in cases {
        let out = outcome(&set_then_read(set, read), ticket, true);
        assert_eq!(
            fired(&out).contains(&"read"),
            expected,
            "{set} then {read}: {out:#}"
        );
    }
    let out = outcome(
        &set_then_read("Tags += component_b", "Ticket is Created"),
        picked(json!(["component_a"]), &["component_a"]),
        true,
    );
    assert_eq!(
        out["ticket"]["custom_fields"][0]["value"],
        json!(["component_a", "component_b"])
    );
}

#[test]
fn without_ticket_fields_a_set_field_keeps_the_kind_the_ticket_shows() {
    let set = set_then_read(
        "custom_fields_2 = \"component_a component_b\"",
        "custom_fields_2 includes component_b",
    );
    let field = |v: Value| json!({"custom_fields": [{"id": 2, "value": v}]});
    let list = json!(["component_a", "component_b"]);
    let text = json!("component_a component_b");
    let cases = [
        // The ticket holds a list: a multi-select, with or without the account.
        (field(json!(["component_a"])), false, &list),
        (field(json!([])), false, &list),
        (field(json!(["component_a"])), true, &list),
        (json!({}), true, &list),
        // Near misses: a text field, or one the ticket does not list, is not guessed to
        // be a multi-select without the account: the text as written.
        (field(json!("old")), false, &text),
        (json!({}), false, &text),
    ];
    for (ticket, with_account, expected) in cases {
        let out = outcome(&set, ticket.clone(), with_account);
        let value = &out["ticket"]["custom_fields"][0]["value"];
        assert_eq!(value, expected, "{ticket} (account: {with_account})");
        assert_eq!(fired(&out), ["set", "read"], "{ticket}: {out:#}");
    }
}

#[test]
fn without_ticket_fields_one_warning_says_the_link_is_not_made() {
    let compiled = |text: &str, with_account: bool| {
        let rules = crate::check(&[crate::Source::new("t.declic", text)])
            .into_result()
            .expect("checks");
        let account = account();
        super::Compiled::with_account(&rules, with_account.then_some(&account)).expect("compiles")
    };
    let sets_field = format!(
        "{}{}",
        set_then_read("custom_fields_1 = paying", "Ticket is Created"),
        set_then_read("custom_fields_1 = free", "Ticket is Created")
            .replace("\"set\"", "\"set 2\"")
            .replace("\"read\"", "\"read 2\"")
    );
    let warnings = |text: &str, with: bool| compiled(text, with).warnings().to_vec();
    let w = warnings(&sets_field, false);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].code, crate::Code::FieldTagsUnlinked);
    assert!(w[0].message.contains("`set`"), "{}", w[0].message);
    assert!(warnings(&sets_field, true).is_empty());
    let tags_and_field_test = set_then_read("Tags += paying", "custom_fields_1 is paying");
    assert_eq!(warnings(&tags_and_field_test, false).len(), 1);
    // Tags alone, with no custom field in sight, need no account.
    let tags_only = set_then_read("Tags += paying", "Tags includes paying");
    assert!(warnings(&tags_only, false).is_empty());
}

#[test]
fn present_holds_for_a_value_of_every_custom_field_kind() {
    // The kind rides along as an unknown ticket key, to name the failing case.
    let field =
        |kind: &str, v: Value| json!({"kind": kind, "custom_fields": [{"id": 1, "value": v}]});
    let values = [
        ("text", json!("Late delivery"), true),
        ("text, empty", json!(""), false),
        ("number", json!(0), true),
        ("decimal", json!(12.5), true),
        ("regex", json!("AB-123"), true),
        ("checkbox, unchecked", json!(false), true),
        ("drop-down", json!("gold"), true),
        ("multi-select", json!(["component_a"]), true),
        ("multi-select, none", json!([]), false),
        ("date", json!("2024-05-06"), true),
        ("null", Value::Null, false),
    ];
    for (kind, value, present) in values {
        let t = field(kind, value);
        give(t.clone(), "custom_fields_1 is present", present);
        give(t, "custom_fields_1 is not present", !present);
    }
    give(json!({}), "custom_fields_1 is present", false);
    give(json!({}), "custom_fields_1 is not present", true);
}

#[test]
fn a_multi_select_includes_one_of_the_options() {
    let picked = |v: Value| json!({"custom_fields": [{"id": 1, "value": v}]});
    let ab = || picked(json!(["component_a", "component_b"]));
    let cases = [
        (ab(), "custom_fields_1 includes component_b", true),
        (
            ab(),
            "custom_fields_1 includes component_c component_a",
            true,
        ),
        (ab(), "custom_fields_1 includes component_c", false),
        // A tag is one option, not a part of one.
        (ab(), "custom_fields_1 includes component", false),
        (ab(), "custom_fields_1 excludes component_c", true),
        (
            ab(),
            "custom_fields_1 excludes component_c component_a",
            false,
        ),
        (
            picked(json!([])),
            "custom_fields_1 includes component_a",
            false,
        ),
        (
            picked(json!([])),
            "custom_fields_1 excludes component_a",
            true,
        ),
        (json!({}), "custom_fields_1 includes component_a", false),
        (json!({}), "custom_fields_1 excludes component_a", true),
    ];
    for (input, when, expected) in cases {
        give(input, when, expected);
    }
}

#[test]
fn includes_finds_one_of_the_words_and_a_quoted_phrase_is_one_word() {
    let subject = |s: &str| json!({ "subject": s });
    let cases = [
        ("Refund please", "Subject includes refund", true),
        ("REFUND please", "Subject includes refund", true),
        ("Refunded", "Subject includes refund", false),
        ("Late order", "Subject includes refund late", true),
        ("Lately", "Subject includes refund late", false),
        // A phrase in quotes is one word: both words, together, in order.
        (
            "My printer is on fire",
            r#"Subject includes "refund \"my printer\"""#,
            true,
        ),
        (
            "My old printer",
            r#"Subject includes "refund \"my printer\"""#,
            false,
        ),
        (
            "printer: my",
            r#"Subject includes "refund \"my printer\"""#,
            false,
        ),
        // Unquoted, the same words are two words, each enough.
        (
            "My old printer",
            "Subject includes \"refund my printer\"",
            true,
        ),
        ("Refund please", "Subject excludes refund late", false),
        ("Refunded", "Subject excludes refund late", true),
        ("", "Subject includes refund", false),
    ];
    for (s, when, expected) in cases {
        give(subject(s), when, expected);
    }
    let comment = |body: &str| json!({"ticket": {}, "update": {"comment": {"body": body}}});
    give(
        comment("The screen is broken."),
        "Comment text includes broken cracked",
        true,
    );
    give(
        comment("Unbroken screen"),
        "Comment text includes broken cracked",
        false,
    );
    give(
        comment("Unbroken screen"),
        "Comment text excludes broken cracked",
        true,
    );
    give(json!({}), "Comment text excludes broken", true);
}

#[test]
fn a_phrase_is_one_word_whether_written_as_a_string_among_words_or_inside_one() {
    let subject = |s: &str| json!({ "subject": s });
    let spellings = [
        r#"Subject includes refund "my printer""#,
        r#"Subject includes "refund \"my printer\"""#,
        r#"Subject excludes refund "my printer""#,
    ];
    let cases = [
        ("My printer is on fire", true),
        ("Refund please", true),
        ("My old printer", false),
        ("printer: my", false),
    ];
    for (s, expected) in cases {
        give(subject(s), spellings[0], expected);
        give(subject(s), spellings[1], expected);
        give(subject(s), spellings[2], !expected);
    }
}

#[test]
fn user_and_organization_fields_search_strings_and_words() {
    let org = |v: Value| json!({"organization": {"organization_fields": {"plan": v}}});
    let user = |v: Value| json!({"requester": {"id": 3, "user_fields": {"plan": v}}});
    for (who, at) in [
        ("organization", &org as &dyn Fn(Value) -> Value),
        ("requester", &user),
    ] {
        let f = format!("{who}.custom_fields.plan");
        let cases = [
            (json!("Gold plus"), format!("{f} contains \"old pl\""), true),
            (
                json!("Gold plus"),
                format!("{f} does not contain \"old pl\""),
                false,
            ),
            (
                json!("Gold plus"),
                format!("{f} contains \"silver\""),
                false,
            ),
            (
                json!("Gold plus"),
                format!("{f} includes gold silver"),
                true,
            ),
            (
                json!("Goldplus"),
                format!("{f} includes gold silver"),
                false,
            ),
            (
                json!("Gold plus"),
                format!("{f} includes \"\\\"gold plus\\\"\""),
                true,
            ),
            (
                json!("Gold and plus"),
                format!("{f} includes \"\\\"gold plus\\\"\""),
                false,
            ),
            (json!("Gold plus"), format!("{f} excludes silver"), true),
            (json!("Gold plus"), format!("{f} excludes gold"), false),
            (json!("gold"), format!("{f} is gold"), true),
            (json!("gold"), format!("{f} is not gold"), false),
            (json!(""), format!("{f} is present"), false),
            (json!("gold"), format!("{f} is present"), true),
        ];
        for (value, when, expected) in cases {
            give(at(value), &when, expected);
        }
        give(json!({}), &format!("{f} is not present"), true);
        give(json!({}), &format!("{f} excludes gold"), true);
    }
}

#[test]
fn the_decisions_where_zendesk_is_silent_on_drop_down_tags() {
    // Several options of one drop-down added at once: the last listed is selected.
    let out = outcome(
        &set_then_read("Tags += paying free", "custom_fields_1 is free"),
        tier("", &[]),
        true,
    );
    assert_eq!(fired(&out), ["set", "read"], "{out:#}");
    assert_eq!(out["ticket"]["tags"], json!(["free", "seen"]));
    let out = outcome(
        &set_then_read("Tags += free paying", "custom_fields_1 is paying"),
        tier("", &[]),
        true,
    );
    assert_eq!(fired(&out), ["set", "read"], "{out:#}");
    // A field set to the value it has still gets its option's tag.
    let out = outcome(
        &set_then_read("custom_fields_1 = free", "Tags includes free"),
        tier("free", &[]),
        true,
    );
    assert_eq!(fired(&out), ["set", "read"], "{out:#}");
    assert_eq!(
        out["fired"][0]["changes"],
        json!([{"field": "tags", "added": ["free"], "removed": []}])
    );
}

#[test]
fn a_legacy_assignee_compared_with_the_ticket_assignee_runs() {
    let when = "\"assignee_id#all_agents\" changed to Ticket assignee";
    give(
        update(json!({"assignee_id": 4}), json!({"assignee_id": null})),
        when,
        true,
    );
    give(
        update(json!({"assignee_id": 4}), json!({"assignee_id": 4})),
        when,
        false,
    );
    give(update(json!({}), json!({"assignee_id": 4})), when, false);
}
