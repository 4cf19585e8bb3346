"""Generated update events for the tests, the benchmark and the Spark example: the
repository's sample events (events/*.json), each copied many times with its own ticket
id, tags and priority, so that the recipes fire on some and not on others. Seeded: the
same arguments give the same events."""

import json
import random
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

SAMPLES = Path(__file__).resolve().parents[2] / "events"
TAGS = ["vip", "billing", "abandoned_queue", "csat_email", "after_hours", "returns"]
PRIORITIES = ["low", "normal", "high"]
# What stands in for an event that cannot be read: a status Zendesk does not have.
BAD = '{"ticket": {"id": 1, "status": "archived"}}'


def templates() -> List[dict]:
    """The sample events, in file order."""
    return [json.loads(p.read_text()) for p in sorted(SAMPLES.glob("*.json"))]


def events(n: int, seed: int = 7, bad_every: int = 0) -> Iterator[str]:
    """`n` events as JSON text, one a line's worth each; every `bad_every`-th (if not 0)
    is not a valid event."""
    rng = random.Random(seed)
    samples = [_blank(t) for t in templates()]
    for i in range(n):
        if bad_every and i % bad_every == bad_every - 1:
            yield BAD
            continue
        text, tags_of = rng.choice(samples)
        tags = rng.sample(TAGS, rng.choice([0, 0, 1, 2]))
        text = text.replace('"@id"', str(100_000 + i))
        text = text.replace("@priority", rng.choice(PRIORITIES))
        for key, had in tags_of.items():
            text = text.replace(f'"@tags-{key}"', json.dumps(sorted(set(had) | set(tags))))
        yield text


def _blank(template: dict) -> Tuple[str, Dict[str, List[str]]]:
    """A sample's JSON text with blanks where each copy has its own id, priority and tags
    (filled by text replacement: much faster than reading and writing each copy), and
    the tags its tickets had."""
    tags_of = {}
    for key in ("ticket", "previous"):
        ticket = template.get(key)
        if ticket is not None:
            tags_of[key] = ticket.get("tags", [])
            ticket.update({"id": "@id", "priority": "@priority", "tags": f"@tags-{key}"})
    return json.dumps(template), tags_of


def write_ndjson(path: Path, n: int, seed: int = 7, bad_every: int = 0) -> Path:
    """Writes `events(n, seed, bad_every)` to `path`, one a line."""
    with open(path, "w", encoding="utf-8") as out:
        for text in events(n, seed, bad_every):
            out.write(text + "\n")
    return path
