"""examples/spark_backtest.py on a local Spark: the same counts as the library's diff
(`declic diff`) over the same history, NDJSON or Parquet. Needs Java and PySpark: the
tests fail, never skip, when either is missing."""

import importlib.util
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import declic
from conftest import RECIPES, ROOT
from generate import events, write_ndjson

SCRIPT = ROOT / "examples" / "spark_backtest.py"


def load_script():
    spec = importlib.util.spec_from_file_location("spark_backtest", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


backtest = load_script()


@pytest.fixture(scope="module")
def spark():
    assert shutil.which("java"), "Spark needs Java: install a JDK (17 or later)"
    from pyspark.sql import SparkSession

    import os
    import sys

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("declic backtest test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        # Several Arrow batches per partition: the sums over batches are tested too.
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "20000")
        .getOrCreate()
    )
    yield session
    session.stop()


@pytest.fixture(scope="module")
def changed(tmp_path_factory):
    """The English recipes with three known changes: the CSAT trigger loses its
    nullifying condition, the omnichannel surge sets another priority, and the auto-solve
    trigger is renamed (without a Zendesk id: one trigger removed, one added)."""
    folder = tmp_path_factory.mktemp("changed")
    edits = {
        "7-csat-at-session-end.declic": ("    Tags excludes csat_email\n", ""),
        "3-surge-omnichannel-routing.declic": ("    Priority = Low\n", "    Priority = Normal\n"),
        "5-auto-solve-abandoned.declic": ('"Abandoned: auto-solve"', '"Abandoned: solve"'),
    }
    for file in RECIPES.glob("*.declic"):
        text = file.read_text()
        if file.name in edits:
            was, becomes = edits[file.name]
            assert was in text, f"{file.name} no longer holds {was!r}"
            text = text.replace(was, becomes, 1)
        (folder / file.name).write_text(text)
    return folder


def read(out: Path, folder: str):
    """The rows Spark wrote to `out/folder`, from all its parts."""
    return [json.loads(line) for part in sorted((out / folder).glob("part-*.json"))
            for line in part.read_text().splitlines()]


def assert_same_as_diff(out: Path, report: dict):
    [summary] = read(out, "summary")
    assert summary == {"events": report["events"], "compared": report["compared"],
                       "changed": report["changed"],
                       "unreadable": report["unreadable"]["count"]}
    keep = ("title", "status", "before", "after")
    assert [{k: t.get(k) for k in keep} for t in read(out, "triggers")] == [
        {k: t.get(k) for k in keep} for t in report["triggers"]]
    kinds = {(k["kind"], k["subject"]): (k["events"], k["triggers"])
             for k in read(out, "kinds")}
    assert kinds == {(g["kind"], g["subject"]): (g["events"], sorted(g["triggers"]))
                     for g in report["differences"]}
    differing = read(out, "events")
    assert len({row["event"] for row in differing}) == report["changed"]
    assert len(differing) == sum(g["events"] for g in report["differences"])
    assert len(read(out, "unreadable")) == report["unreadable"]["count"]


def test_ndjson_history_gives_the_counts_of_diff(spark, changed, tmp_path):
    history = write_ndjson(tmp_path / "history.ndjson", 100_000, seed=11, bad_every=1000)
    summary = backtest.backtest(spark, RECIPES, changed, str(history), str(tmp_path / "out"))
    report = declic.diff(RECIPES, changed, history.read_text().splitlines(), show=0)
    assert_same_as_diff(tmp_path / "out", report)
    assert summary["events"] == 100_000 and summary["unreadable"] == 100
    # Each of the three changes shows, so the comparison above compares something.
    rows = {t["title"]: t for t in report["triggers"]}
    csat = rows["CSAT by email at the end of the messaging session"]
    assert csat["after"] > csat["before"] > 0
    assert rows["Abandoned: auto-solve"]["status"] == "removed"
    assert rows["Abandoned: solve"]["status"] == "added"
    assert ("field", "priority") in {(g["kind"], g["subject"]) for g in report["differences"]}


def test_parquet_history_names_events_by_its_id_column(spark, changed, tmp_path):
    texts = list(events(3_000, seed=5, bad_every=500))
    ids = [f"ticket-{i}" for i in range(len(texts))]
    pq.write_table(pa.table({"id": ids, "payload": texts}), tmp_path / "history.parquet")
    out = tmp_path / "out"
    backtest.backtest(spark, RECIPES, changed, str(tmp_path / "history.parquet"), str(out),
                      column="payload", id_column="id")
    assert_same_as_diff(out, declic.diff(RECIPES, changed, texts, show=0))
    named = declic.diff(RECIPES, changed, texts, names=ids, show=len(texts))
    expected = {(e["event"], g["kind"], g["subject"]) for g in named["differences"]
                for e in g["examples"]}
    assert {(r["event"], r["kind"], r["subject"]) for r in read(out, "events")} == expected
    assert {r["event"] for r in read(out, "unreadable")} == {"ticket-499", "ticket-999",
        "ticket-1499", "ticket-1999", "ticket-2499", "ticket-2999"}


def test_the_script_explains_itself(capsys):
    with pytest.raises(SystemExit) as done:
        backtest.main(["--help"])
    assert done.value.code == 0
    assert "mapInArrow" in capsys.readouterr().out
