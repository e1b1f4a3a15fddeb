"""One version number, in `toolkit.version`, read by the wheel build, the CLI and the package."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import toolkit
from toolkit.cli import main
from toolkit.version import __version__

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent


def test_hatch_reads_the_version_module() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    assert pyproject["project"]["dynamic"] == ["version"]
    assert pyproject["tool"]["hatch"]["version"]["path"] == "toolkit/version.py"


def test_version_module_imports_nothing() -> None:
    """Any module may import it, so it must import none of them."""
    tree = ast.parse((REPO / "toolkit" / "version.py").read_text("utf-8"))
    assert not [node for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]


def test_the_package_shows_the_same_version() -> None:
    assert toolkit.__version__ == __version__


def test_cli_prints_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"toolkit {__version__}\n"
