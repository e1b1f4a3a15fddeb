"""The docs are part of the product: the Quick start, the CI script and the command list stay true."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.cli.test_parser import COMMANDS

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text("utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1]
    block = re.search(r"```(?:sh|bash|console)?\n(.*?)```", section, re.S)
    assert block is not None, "Quick start must hold a code block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_has_exactly_two_one_line_commands() -> None:
    commands = quick_start_commands()
    assert len(commands) == 2
    assert all(not c.lstrip().startswith(("#", "$")) for c in commands)
    assert "toolkit render" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_quick_start_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text("utf-8")
    assert quick_start_commands()[1] in ci.splitlines()


def test_first_screen_says_what_it_does() -> None:
    first = README.split("## Quick start", 1)[0]
    assert "Word" in first and ".xlsx" in first


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented(command: str) -> None:
    assert f"toolkit {command}" in README


def test_every_template_variable_is_documented() -> None:
    from toolkit.render import TEMPLATE_VARIABLES

    for name in TEMPLATE_VARIABLES:
        assert f"`{name}`" in README, name


def test_sample_in_watched_is_the_seed() -> None:
    from tests.workbooks import seed_workbook
    from toolkit.read import read_workbook

    shipped = read_workbook((REPO / "watched" / "捐款名单.xlsx").read_bytes(), "捐款名单.xlsx")
    built = read_workbook(seed_workbook(), "捐款名单.xlsx")
    assert [list(r) for r in shipped.sheets[0].rows] == [list(r) for r in built.sheets[0].rows]


def test_gitignore_keeps_generated_output_out() -> None:
    ignored = (REPO / ".gitignore").read_text("utf-8").split()
    for entry in ("output/", ".venv/", "__pycache__/"):
        assert entry in ignored
