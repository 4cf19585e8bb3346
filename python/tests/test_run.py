"""Rules.load and Rules.run: the outcomes `declic run` prints, and the errors' codes."""

import json

import pytest

import declic
from conftest import EVENTS, RECIPES, VIP, run_cli, vip_event


FRENCH = RECIPES.parent / "fr"


@pytest.mark.parametrize(
    "rules, account",
    [(RECIPES, None), (FRENCH, FRENCH / "compte")],
    ids=["recipes", "recipes-with-agents"],
)
def test_outcomes_are_those_of_the_command_line(cli, rules, account):
    loaded = declic.Rules.load(rules, account=account)
    with_account = ["--account", account] if account else []
    printed = run_cli(cli, "run", rules, *with_account, *EVENTS)
    assert printed.returncode == 0, printed.stderr
    expected = [json.loads(line) for line in printed.stdout.splitlines()]
    assert len(expected) == len(EVENTS) > 5
    assert [loaded.run(path.read_text()) for path in EVENTS] == expected
    # Some sample events fire triggers and some do not: the comparison is not of nothing.
    fired = [bool(outcome["fired"]) for outcome in expected]
    assert any(fired) and not all(fired)


def test_the_account_s_agents_take_part_in_routing():
    events = [path.read_text() for path in EVENTS]
    alone = declic.Rules.load(FRENCH).run_many(events)
    with_agents = declic.Rules.load(FRENCH, account=FRENCH / "compte").run_many(events)
    assert alone != with_agents


@pytest.mark.parametrize(
    "event",
    [vip_event("vip"), json.dumps(vip_event("vip")), json.dumps(vip_event("vip")).encode()],
    ids=["dict", "str", "bytes"],
)
def test_an_event_is_a_dict_or_its_json_text(write_rules, event):
    rules = declic.Rules.load(write_rules(VIP))
    outcome = rules.run(event)
    assert [f["trigger"] for f in outcome["fired"]] == ["Escalate VIP"]
    assert outcome["ticket"]["priority"] == "urgent"


def test_a_trigger_whose_conditions_fail_does_not_fire(write_rules):
    rules = declic.Rules.load(write_rules(VIP))
    outcome = rules.run(vip_event("vip", "escalated"))
    assert outcome["fired"] == []
    assert outcome["ticket"]["tags"] == ["vip", "escalated"]


def test_rules_name_their_triggers_and_warnings(write_rules):
    rules = declic.Rules.load(write_rules(VIP))
    assert rules.triggers == ["Escalate VIP"]
    assert rules.warnings == []
    assert repr(rules) == "<declic.Rules: 1 triggers>"
    # Without its nullifying condition the trigger fires on every update: a warning, and
    # the rules still load.
    loose = declic.Rules.load(write_rules(VIP.replace("Tags excludes escalated", "")))
    assert [w["code"] for w in loose.warnings] == ["declic::no_nullifying_condition"]


@pytest.mark.parametrize(
    "event, code, path, line",
    [
        # The paths and lines are those `declic run` reports for the same text.
        ("{", "declic::invalid_event", "?", 1),
        ('{"ticket": {"id": 1, "status": "archived"}}', "declic::invalid_event", "ticket.status", 1),
        ("[]", "declic::invalid_event", None, 1),
        (b"\xff{}", "declic::not_utf8", None, None),
        ({"ticket": {"id": 1, "tags": {"a set"}}}, "declic::invalid_event", None, None),
    ],
    ids=["truncated", "unknown-status", "array", "not-utf8", "not-json"],
)
def test_a_bad_event_raises_with_its_code(write_rules, event, code, path, line):
    rules = declic.Rules.load(write_rules(VIP))
    with pytest.raises(declic.EventError) as raised:
        rules.run(event)
    assert raised.value.code == code
    assert raised.value.path == path
    assert raised.value.line == line
    assert isinstance(raised.value, declic.DeclicError)


@pytest.mark.parametrize(
    "text, code",
    [
        ('trigger "Broken" {', "declic::syntax"),
        (VIP.replace("Priority", "Prioritee"), "declic::unknown_action"),
    ],
    ids=["syntax", "unknown-action"],
)
def test_rules_with_errors_raise_with_their_code(write_rules, text, code):
    with pytest.raises(declic.RulesError) as raised:
        declic.Rules.load(write_rules(text))
    assert raised.value.code == code
    assert code in [d["code"] for d in raised.value.diagnostics]
    assert "rules.declic:" in str(raised.value)


def test_a_missing_rule_set_raises_unreadable(tmp_path):
    with pytest.raises(declic.RulesError) as raised:
        declic.Rules.load(tmp_path / "nowhere")
    assert raised.value.code == "declic::unreadable"


def test_a_bad_account_folder_raises_its_code(write_rules, tmp_path):
    with pytest.raises(declic.DeclicError) as raised:
        declic.Rules.load(write_rules(VIP), account=tmp_path / "no-account")
    assert raised.value.code.startswith("declic::")
    assert not isinstance(raised.value, declic.RulesError)
