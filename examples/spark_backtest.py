"""Replays a history of update events through two versions of a rule set on Spark, and
writes what the change does: how often each trigger fires before and after, and every
event whose outcome differs. The same numbers as `declic diff OLD NEW HISTORY`, at the
scale of a cluster.

    spark-submit examples/spark_backtest.py OLD NEW HISTORY OUT

OLD and NEW are rule sets (a `.declic` file or a folder of them) on the driver. HISTORY
is NDJSON (one event a line) or Parquet (a column of event JSON text, `--column`). OUT
is a folder Spark writes, one sub-folder of JSON lines each:

    summary      events read, compared, changed, unreadable
    triggers     title, was, id, status, before, after, difference
    kinds        kind, subject, events, triggers: the differences by kind
    events       event, kind, subject, before, after: every difference of every event
    unreadable   event, code, message: every event that could not be read

Each executor's Python worker loads both rule sets once, from files the driver
broadcasts, and `mapInArrow` hands it Arrow batches: each batch is compared on all the
worker's cores by `declic.diff` (the library's backtest), and its report is summed with
the others by Spark.

Events are named by `--id COLUMN` when the history has such a column (a ticket id with
its update time, say), else by Spark's row id (`monotonically_increasing_id`: unique, in
order within a file, not consecutive).
"""

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Dict, Iterator

# A report of one batch, as `declic.diff` returns it: the values of a difference
# (`before`, `after`) are JSON of any type, which Spark keeps as their JSON text.
REPORT = """
    events LONG, compared LONG, changed LONG,
    triggers ARRAY<STRUCT<title: STRING, was: STRING, id: LONG, status: STRING,
                          before: LONG, after: LONG>>,
    differences ARRAY<STRUCT<kind: STRING, subject: STRING, events: LONG,
                             triggers: ARRAY<STRING>,
                             examples: ARRAY<STRUCT<event: STRING, before: STRING,
                                                    after: STRING>>>>,
    unreadable STRUCT<count: LONG,
                      examples: ARRAY<STRUCT<event: STRING, code: STRING, message: STRING>>>
"""

# The files of a rule set that loading it reads.
RULE_FILES = ("*.declic", "declic.toml")


def rule_files(path: Path) -> Dict[str, str]:
    """The texts of the rule set at `path`, by their path below it, to send to the
    executors."""
    if path.is_file():
        return {path.name: path.read_text(encoding="utf-8")}
    files = {}
    for pattern in RULE_FILES:
        for file in sorted(path.rglob(pattern)):
            files[str(file.relative_to(path))] = file.read_text(encoding="utf-8")
    if not files:
        sys.exit(f"error: {path} holds no .declic file")
    return files


# The rule sets this Python worker has loaded, by name: Spark reuses its workers, so each
# loads them once however many batches it runs.
_LOADED: Dict[str, object] = {}


def loaded(name: str, files: Dict[str, str]):
    """The rule set `name`, written from `files` to a folder of this worker's and loaded
    the first time it is asked for."""
    import declic

    if name not in _LOADED:
        folder = Path(tempfile.mkdtemp(prefix=f"declic-{name}-"))
        for relative, text in files.items():
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (folder / relative).write_text(text, encoding="utf-8")
        only = next(iter(files)) if len(files) == 1 else None
        _LOADED[name] = declic.Rules.load(folder / only if only else folder)
    return _LOADED[name]


def compare_batches(old, new, column: str, name: str):
    """The `mapInArrow` function: for each batch, the report of `declic.diff` on it, as
    one row of JSON text. `old` and `new` are broadcast rule files."""

    def compare(batches: Iterator) -> Iterator:
        import declic
        import pyarrow as pa

        before, after = loaded("old", old.value), loaded("new", new.value)
        for batch in batches:
            events = batch.column(column).to_pylist()
            names = [str(n) for n in batch.column(name).to_pylist()]
            # Every difference of every event is kept: Spark writes them all.
            report = declic.diff(before, after, events, names=names, show=len(events))
            yield pa.RecordBatch.from_pydict({"report": [json.dumps(report)]})

    return compare


def read_history(spark, history: str, column: str):
    """The history as a DataFrame with the events in `column`: Parquet when the path says
    so (a `.parquet` file, or a folder of them), else NDJSON, one event a line."""
    path = Path(history)
    parquet = history.endswith(".parquet") or (
        path.is_dir() and any(path.glob("*.parquet"))
    )
    if parquet:
        return spark.read.parquet(history)
    return spark.read.text(history).withColumnRenamed("value", column)


def backtest(spark, old: Path, new: Path, history: str, out: str,
             column: str = "event", id_column: str = "") -> dict:
    """Runs the backtest and writes its folders under `out`; the summary, as a dict."""
    from pyspark.sql import functions as F

    events = read_history(spark, history, column)
    name = id_column or "_event"
    if not id_column:
        events = events.withColumn(name, F.monotonically_increasing_id())
    events = events.select(F.col(column), F.col(name).cast("string").alias(name))
    context = spark.sparkContext
    compare = compare_batches(context.broadcast(rule_files(old)),
                              context.broadcast(rule_files(new)), column, name)
    reports = (
        events.mapInArrow(compare, "report STRING")
        .select(F.from_json("report", REPORT).alias("r"))
        .select("r.*")
        # Read four times below; compared once.
        .persist()
    )
    summary = reports.agg(
        F.sum("events").alias("events"),
        F.sum("compared").alias("compared"),
        F.sum("changed").alias("changed"),
        F.sum("unreadable.count").alias("unreadable"),
    )
    triggers = (
        reports.select(F.posexplode("triggers").alias("position", "t"))
        .groupBy("t.title", "t.was", "t.id", "t.status")
        .agg(F.sum("t.before").alias("before"), F.sum("t.after").alias("after"),
             F.min("position").alias("position"))
        .withColumn("difference", F.col("after") - F.col("before"))
        .orderBy("position")
        .drop("position")
    )
    groups = reports.select(F.explode("differences").alias("g"))
    kinds = (
        groups.groupBy("g.kind", "g.subject")
        .agg(F.sum("g.events").alias("events"),
             F.array_sort(F.array_distinct(F.flatten(F.collect_list("g.triggers"))))
             .alias("triggers"))
        .orderBy("kind", F.desc("events"), "subject")
    )
    differing = groups.select(
        F.explode("g.examples").alias("e"), "g.kind", "g.subject"
    ).select("e.event", "kind", "subject", "e.before", "e.after")
    unreadable = reports.select(F.explode("unreadable.examples").alias("u")).select("u.*")

    for folder, frame in [("summary", summary), ("triggers", triggers), ("kinds", kinds),
                          ("events", differing), ("unreadable", unreadable)]:
        # The small tables in one file each; the events as Spark partitions them.
        small = folder != "events" and folder != "unreadable"
        (frame.coalesce(1) if small else frame).write.mode("overwrite").json(
            f"{out}/{folder}")
    row = summary.first()
    reports.unpersist()
    return {k: row[k] or 0 for k in ("events", "compared", "changed", "unreadable")}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Replay an event history through two rule sets on Spark.",
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("old", type=Path, help="the rule set before the change")
    parser.add_argument("new", type=Path, help="the rule set after the change")
    parser.add_argument("history", help="NDJSON events, or Parquet with an event column")
    parser.add_argument("out", help="the folder to write the results to")
    parser.add_argument("--column", default="event",
                        help="Parquet: the column of event JSON text (default: event)")
    parser.add_argument("--id", default="", dest="id_column",
                        help="a column that names each event in the results")
    parser.add_argument("--master", help="Spark master when not run by spark-submit, "
                        "e.g. local[*]")
    args = parser.parse_args(argv)

    from pyspark.sql import SparkSession

    # Local runs start their Python workers with this interpreter, which has declic.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("declic backtest")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    try:
        summary = backtest(spark, args.old, args.new, args.history, args.out,
                           args.column, args.id_column)
    finally:
        spark.stop()
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
