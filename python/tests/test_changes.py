"""`output="changes"` on Rules.run, run_many and run_arrow: what fired and changed without
the ticket, as `declic run --output changes` prints it; the outcome stays the default."""

import json

import pyarrow as pa
import pytest

import declic
from conftest import EVENTS, RECIPES, ROOT, VIP, run_cli, vip_event
from generate import BAD, events

FRENCH = RECIPES.parent / "fr"
# Triggers without routing queues: the events are read only as far as the rules read them.
MESSAGING = ROOT / "tests" / "corpus" / "valid" / "06-messaging-triggers.declic"

RULE_SETS = pytest.mark.parametrize(
    "rules, account, routes",
    [(MESSAGING, None, False), (FRENCH, FRENCH / "compte", True)],
    ids=["without-routing", "with-routing"],
)


def without_ticket(outcome):
    """The outcome with its ticket taken out; the ticket must have been there."""
    rest = dict(outcome)
    assert "ticket" in rest, outcome
    del rest["ticket"]
    return rest


@RULE_SETS
def test_changes_are_the_outcome_without_the_ticket(cli, rules, account, routes):
    loaded = declic.Rules.load(rules, account=account)
    texts = [path.read_text() for path in EVENTS]
    outcomes = [loaded.run(text) for text in texts]
    changes = [loaded.run(text, output="changes") for text in texts]
    assert changes == [without_ticket(o) for o in outcomes]
    # The same as the command line prints.
    with_account = ["--account", account] if account else []
    printed = run_cli(cli, "run", rules, *with_account, *EVENTS, "--output", "changes")
    assert printed.returncode == 0, printed.stderr
    assert changes == [json.loads(line) for line in printed.stdout.splitlines()]
    # Not a comparison of nothing: triggers fire, and routing decides when it runs.
    assert sum(len(c["fired"]) for c in changes) > 0
    assert any("routing" in c for c in changes) == routes
    # The near miss: the default, named or not, is the outcome with its ticket.
    assert [loaded.run(text, output="outcome") for text in texts] == outcomes


@RULE_SETS
def test_run_many_and_run_arrow_give_run_s_changes(rules, account, routes):
    loaded = declic.Rules.load(rules, account=account)
    history = list(events(300, seed=5, bad_every=40))
    many = loaded.run_many(history, output="changes")
    outcomes = loaded.run_many(history)
    assert len(many) == len(history)
    for text, changes, outcome in zip(history, many, outcomes):
        if text == BAD:
            assert changes == outcome
            assert changes["error"]["code"] == "declic::invalid_event"
        else:
            assert changes == without_ticket(outcome) == loaded.run(text, output="changes")
    batch = pa.RecordBatch.from_arrays([pa.array(history, pa.string())], names=["event"])
    arrow = loaded.run_arrow(batch, output="changes")
    arrow.validate(full=True)
    assert arrow.schema.names == ["changes", "fired", "error"]
    assert [json.loads(text) for text in arrow.column("changes").to_pylist()] == many
    # The other columns are those of the outcomes.
    whole = loaded.run_arrow(batch)
    assert whole.schema.names == ["outcome", "fired", "error"]
    for name in ("fired", "error"):
        assert arrow.column(name).to_pylist() == whole.column(name).to_pylist()
    assert any(arrow.column("fired").to_pylist())


@pytest.mark.parametrize("output", ["ticket", "Changes", ""])
def test_an_unknown_output_raises_its_code(write_rules, output):
    rules = declic.Rules.load(write_rules(VIP))
    batch = pa.RecordBatch.from_pydict({"event": [json.dumps(vip_event("vip"))]})
    calls = [
        lambda: rules.run(vip_event("vip"), output=output),
        lambda: rules.run_many([vip_event("vip")], output=output),
        lambda: rules.run_arrow(batch, output=output),
    ]
    for call in calls:
        with pytest.raises(declic.DeclicError) as raised:
            call()
        assert raised.value.code == "declic::unknown_output"
        assert f"`{output}`" in str(raised.value)


@pytest.mark.parametrize(
    "event, path",
    [("{", "?"), ('{"ticket": {"id": 1, "priority": "loud"}}', "ticket.priority")],
    ids=["truncated", "unknown-priority"],
)
def test_a_bad_event_raises_as_it_does_for_the_outcome(write_rules, event, path):
    rules = declic.Rules.load(write_rules(VIP))
    raised = []
    for output in ("outcome", "changes"):
        with pytest.raises(declic.EventError) as error:
            rules.run(event, output=output)
        raised.append((error.value.code, error.value.path, error.value.line))
    assert raised[0] == raised[1] == ("declic::invalid_event", path, 1)
    # The near miss: a good event gives changes, and no ticket.
    changes = rules.run(vip_event("vip"), output="changes")
    assert [f["trigger"] for f in changes["fired"]] == ["Escalate VIP"]
    assert changes["fired"][0]["changes"][0]["field"] == "priority"
    assert "ticket" not in changes
