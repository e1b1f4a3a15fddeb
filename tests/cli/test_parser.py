"""The command line's declaration (`toolkit.cli.parser`): every command, with help and an example."""

from __future__ import annotations

import pytest

from toolkit.cli import main
from toolkit.cli.parser import EXIT_OK, EXIT_REJECTED, EXIT_USAGE

COMMANDS = ["render", "check", "capital", "watch", "init", "template"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([command, "--help"], capsys)
    assert code == 0
    assert "例子 (example):" in out
    assert f"toolkit {command}" in out


def test_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--help"], capsys)
    assert code == 0
    for command in COMMANDS:
        assert command in out


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["render", "--frobnicate"], capsys)
    assert code == 2
    assert "--frobnicate" in err


def test_exit_codes_are_the_documented_ones() -> None:
    """README.md: 0 when every file rendered, 1 when any was rejected or failed, 2 for usage errors."""
    assert (EXIT_OK, EXIT_REJECTED, EXIT_USAGE) == (0, 1, 2)
