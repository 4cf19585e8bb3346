"""declic.check: the diagnostics `declic check --format json` lists."""

import json

import declic
from conftest import RECIPES, VIP, run_cli


def cli_diagnostics(cli, path):
    printed = run_cli(cli, "check", path, "--format", "json")
    return json.loads(printed.stdout)["diagnostics"]


def test_check_lists_what_the_command_line_lists(cli, write_rules):
    loose = write_rules(VIP.replace("Tags excludes escalated", ""))
    broken = write_rules(VIP.replace("Priority", "Prioritee"), "broken.declic")
    for path in (loose, broken, RECIPES):
        assert declic.check(path) == cli_diagnostics(cli, path)
    assert [d["code"] for d in declic.check(loose)] == ["declic::no_nullifying_condition"]
    assert declic.check(broken)[0]["severity"] == "error"


def test_clean_rules_have_no_diagnostics(write_rules):
    assert declic.check(write_rules(VIP)) == []


def test_a_missing_path_is_unreadable(tmp_path):
    [diagnostic] = declic.check(tmp_path / "nowhere")
    assert diagnostic["code"] == "declic::unreadable"
    assert diagnostic["severity"] == "error"
