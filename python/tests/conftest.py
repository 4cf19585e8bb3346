"""What the tests share: the repository's paths, the command line to compare against, and
small rule sets written for a test."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RECIPES = ROOT / "recipes" / "en"
EVENTS = sorted((ROOT / "events").glob("*.json"))

# A trigger whose effect on a small event is plain to see, and one that never fires.
VIP = """
trigger "Escalate VIP" {
  when all {
    Tags includes vip
    Tags excludes escalated
  }
  then {
    Priority = Urgent
    Tags += escalated
  }
}
"""


@pytest.fixture(scope="session")
def cli() -> Path:
    """The `declic` command line the package must agree with: $DECLIC, else the debug
    build. A test that needs it fails when it is absent, never skips."""
    path = Path(os.environ.get("DECLIC", ROOT / "target" / "debug" / "declic"))
    assert path.is_file(), f"{path} is missing: build it with `cargo build` at the root"
    return path


def run_cli(cli: Path, *args: object) -> subprocess.CompletedProcess:
    """Runs the command line; its output as text, whatever its exit code."""
    return subprocess.run(
        [str(cli), *map(str, args)], capture_output=True, text=True, check=False
    )


@pytest.fixture
def write_rules(tmp_path):
    """Writes `text` as a rule file of its own and returns its path."""

    def write(text: str, name: str = "rules.declic") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def vip_event(*tags: str) -> dict:
    """An update of an open ticket with `tags`."""
    return {"ticket": {"id": 1, "status": "open", "tags": list(tags)}}
