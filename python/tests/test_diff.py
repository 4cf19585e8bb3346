"""declic.diff: the library's backtest report for two rule sets and the same events."""

import json

import pytest

import declic
from conftest import VIP, vip_event

# The new version drops the nullifying condition: the trigger now also fires on tickets
# it already escalated.
LOOSE = VIP.replace("Tags excludes escalated", "")
EVENTS = [vip_event("vip"), vip_event("vip", "escalated"), vip_event(), "{"]


@pytest.fixture
def versions(write_rules):
    return write_rules(VIP, "old.declic"), write_rules(LOOSE, "new.declic")


def test_a_condition_removed_shows_where_the_trigger_now_fires(versions):
    old, new = versions
    report = declic.diff(old, new, EVENTS)
    assert (report["events"], report["compared"], report["changed"]) == (4, 3, 1)
    [row] = report["triggers"]
    assert (row["title"], row["status"], row["before"], row["after"]) == (
        "Escalate VIP", "kept", 1, 2)
    kinds = {(g["kind"], g["subject"]): g for g in report["differences"]}
    fires = kinds[("now_fires", "Escalate VIP")]
    assert fires["events"] == 1
    assert [e["event"] for e in fires["examples"]] == ["2"]
    assert ("field", "priority") in kinds
    assert report["unreadable"]["count"] == 1
    assert report["unreadable"]["examples"][0]["event"] == "4"
    assert report["unreadable"]["examples"][0]["code"] == "declic::invalid_event"


def test_identical_rule_sets_differ_nowhere(versions):
    old, _ = versions
    report = declic.diff(old, old, EVENTS)
    assert report["changed"] == 0 and report["differences"] == []
    assert [(r["before"], r["after"]) for r in report["triggers"]] == [(1, 1)]


def test_rules_or_paths_and_names(versions):
    old, new = versions
    by_path = declic.diff(old, new, EVENTS, names=["a", "b", "c", "d"], show=0)
    loaded = declic.diff(declic.Rules.load(old), declic.Rules.load(new),
                         [json.dumps(e) if isinstance(e, dict) else e for e in EVENTS],
                         names=["a", "b", "c", "d"], show=0)
    assert by_path == loaded
    assert all(g["examples"] == [] for g in by_path["differences"])
    named = declic.diff(old, new, EVENTS, names=iter("abcd"))
    assert named["unreadable"]["examples"][0]["event"] == "d"


def test_names_must_match_the_events(versions):
    old, new = versions
    with pytest.raises(ValueError, match="3 names for 4 events"):
        declic.diff(old, new, EVENTS, names=["a", "b", "c"])


def test_a_rule_set_with_errors_raises(versions, write_rules):
    old, _ = versions
    with pytest.raises(declic.RulesError) as raised:
        declic.diff(old, write_rules('trigger "Broken" {', "broken.declic"), EVENTS)
    assert raised.value.code == "declic::syntax"
