"""Rules.run_many and Rules.run_arrow: the outcomes of `run`, in order, for many events at
once; and `run` called from many threads at once."""

import json
from concurrent.futures import ThreadPoolExecutor

import pyarrow as pa
import pytest

import declic
from conftest import RECIPES, VIP, vip_event
from generate import BAD, events


@pytest.fixture(scope="module")
def recipes():
    return declic.Rules.load(RECIPES)


@pytest.fixture(scope="module")
def history():
    """Generated events, every 50th one not a valid event."""
    return list(events(600, seed=3, bad_every=50))


def one_by_one(rules, texts):
    """What `run` gives for each event, with the error object `run_many` puts in the place
    of an event that does not run."""
    out = []
    for text in texts:
        try:
            out.append(rules.run(text))
        except declic.EventError as e:
            out.append({"error": {"code": e.code}})
    return out


def error_codes(outcomes):
    return [o["error"]["code"] if "error" in o else None for o in outcomes]


def test_run_many_gives_run_s_outcomes_in_order(recipes, history):
    many = recipes.run_many(history)
    expected = one_by_one(recipes, history)
    assert len(many) == len(history)
    assert error_codes(many) == error_codes(expected) == [
        "declic::invalid_event" if t == BAD else None for t in history
    ]
    ran = [(m, e) for m, e in zip(many, expected) if "error" not in e]
    assert all(m == e for m, e in ran)
    # The events differ, and so do their outcomes: order matters to the comparison.
    assert len({json.dumps(m, sort_keys=True) for m, _ in ran}) > 100


def test_run_many_takes_any_iterable_of_dicts_and_texts(write_rules):
    rules = declic.Rules.load(write_rules(VIP))
    given = (e if i % 2 else json.dumps(e) for i, e in enumerate(
        [vip_event("vip"), vip_event(), vip_event("vip", "escalated")]))
    fired = [[f["trigger"] for f in o["fired"]] for o in rules.run_many(given)]
    assert fired == [["Escalate VIP"], [], []]
    assert rules.run_many([]) == []


def test_an_invalid_event_in_run_many_keeps_its_place(write_rules):
    rules = declic.Rules.load(write_rules(VIP))
    out = rules.run_many([vip_event("vip"), "{", {"ticket": {"tags": {1}}}, vip_event("vip")])
    assert error_codes(out) == [None, "declic::invalid_event", "declic::invalid_event", None]
    assert out[1]["error"]["line"] == 1 and out[1]["error"]["message"]
    assert out[0] == out[3] == rules.run(vip_event("vip"))


def test_threads_share_one_rule_set(recipes, history):
    expected = one_by_one(recipes, history)
    with ThreadPoolExecutor(max_workers=8) as pool:
        at_once = list(pool.map(lambda t: one_by_one(recipes, [t])[0], history))
        # run_many from several threads too, each over the whole history.
        many = list(pool.map(lambda _: recipes.run_many(history), range(4)))
    assert at_once == expected
    assert all(error_codes(m) == error_codes(expected) for m in many)


def arrow_rows(rules, texts, **kw):
    batch = pa.RecordBatch.from_arrays([pa.array(texts, pa.string())], names=["event"])
    out = rules.run_arrow(batch, **kw)
    out.validate(full=True)
    return out


def test_run_arrow_gives_run_s_outcomes(recipes, history):
    out = arrow_rows(recipes, history)
    assert out.schema.names == ["outcome", "fired", "error"]
    assert out.num_rows == len(history)
    expected = one_by_one(recipes, history)
    for row, want in zip(out.to_pylist(), expected):
        if "error" in want:
            assert row["error"] == want["error"]["code"]
            assert row["fired"] is None
            assert json.loads(row["outcome"])["error"]["code"] == row["error"]
        else:
            assert row["error"] is None
            assert json.loads(row["outcome"]) == want
            assert row["fired"] == [f["trigger"] for f in want["fired"]]
    assert any(row["fired"] for row in out.to_pylist())


@pytest.mark.parametrize(
    "column",
    [
        pa.array(["{", None, json.dumps(vip_event("vip"))], pa.string()),
        pa.array(["{", None, json.dumps(vip_event("vip"))], pa.large_string()),
        pa.array(["x", "{", None, json.dumps(vip_event("vip"))], pa.string()).slice(1),
        pa.chunked_array([["{"], [None, json.dumps(vip_event("vip"))]], pa.string()),
        pa.array([b"{", None, json.dumps(vip_event("vip")).encode()], pa.binary()),
    ],
    ids=["string", "large-string", "sliced", "chunked", "binary"],
)
def test_run_arrow_reads_every_text_layout(write_rules, column):
    rules = declic.Rules.load(write_rules(VIP))
    table = pa.table({"id": pa.array(range(3)), "event": column})
    out = rules.run_arrow(table)
    out.validate(full=True)
    assert out.column("error").to_pylist() == ["declic::invalid_event"] * 2 + [None]
    assert out.column("fired").to_pylist() == [None, None, ["Escalate VIP"]]
    assert "the event is null" in out.column("outcome")[1].as_py()


def test_run_arrow_names_its_column(write_rules):
    rules = declic.Rules.load(write_rules(VIP))
    batch = pa.RecordBatch.from_pydict({"value": [json.dumps(vip_event("vip"))]})
    assert rules.run_arrow(batch, column="value").column("fired").to_pylist() == [["Escalate VIP"]]
    with pytest.raises(KeyError):
        rules.run_arrow(batch)
    empty = pa.RecordBatch.from_pydict({"event": pa.array([], pa.string())})
    assert rules.run_arrow(empty).num_rows == 0


def test_run_arrow_refuses_a_column_that_is_not_text(write_rules):
    rules = declic.Rules.load(write_rules(VIP))
    with pytest.raises(TypeError):
        rules.run_arrow(pa.RecordBatch.from_pydict({"event": [[1, 2]]}))


@pytest.mark.parametrize("enabled", [True, False], ids=["collector-on", "collector-off"])
def test_run_many_leaves_the_garbage_collector_as_it_was(write_rules, enabled):
    import gc

    rules = declic.Rules.load(write_rules(VIP))
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        assert len(rules.run_many([vip_event("vip")] * 3)) == 3
        assert gc.isenabled() == enabled
    finally:
        gc.enable() if was else gc.disable()
