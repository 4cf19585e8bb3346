"""Throughput of the Python package beside the command line, on the same generated events:
`declic run` on an NDJSON file, `Rules.run_many` on a list of JSON texts (outcomes as
dicts), `Rules.run_arrow` on a RecordBatch (outcomes as Arrow columns); with `--spark`,
the Spark backtest of two rule sets on them too. Run it once, by hand, with the package
and the command line built in release mode:

    cargo build --release
    (cd python && maturin develop --release)
    python python/bench.py --events 100000 --spark
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa

import declic

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "tests"))
from generate import write_ndjson  # noqa: E402

ROOT = HERE.parent
RECIPES = ROOT / "recipes" / "en"


def timed(what):
    start = time.perf_counter()
    what()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--cli", type=Path, default=ROOT / "target" / "release" / "declic")
    parser.add_argument("--spark", action="store_true", help="time the Spark backtest too")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="declic-bench-"))
    history = write_ndjson(work / "events.ndjson", args.events)
    texts = history.read_text().splitlines()
    batch = pa.RecordBatch.from_arrays([pa.array(texts, pa.string())], names=["event"])
    rules = declic.Rules.load(RECIPES)

    def cli():
        with open(history) as given:
            subprocess.run([str(args.cli), "run", str(RECIPES), "-"], stdin=given,
                           stdout=subprocess.DEVNULL, check=True)

    rows = [
        ("declic run (CLI, NDJSON to stdout)", timed(cli)),
        ("Rules.run_many (outcomes as dicts)", timed(lambda: rules.run_many(texts))),
        ("Rules.run_arrow (outcomes as Arrow)", timed(lambda: rules.run_arrow(batch))),
    ]
    if args.spark:
        changed = work / "changed"
        shutil.copytree(RECIPES, changed)
        script = ROOT / "examples" / "spark_backtest.py"
        rows.append(("Spark backtest, two rule sets, local[2]", timed(lambda: subprocess.run(
            [sys.executable, str(script), str(RECIPES), str(changed), str(history),
             str(work / "out"), "--master", "local[2]"],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))))
    cli_rate = args.events / rows[0][1]
    print(f"{args.events:,} events, {len(rules.triggers)} triggers")
    for name, seconds in rows:
        rate = args.events / seconds
        print(f"{name:42} {seconds:7.2f} s {rate:10,.0f} events/s {rate / cli_rate:6.0%}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
