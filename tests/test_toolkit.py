"""The package root (`toolkit/__init__.py`): its docstring example runs, and its API is complete."""

from __future__ import annotations

import doctest
import shutil
from pathlib import Path

import pytest

import toolkit

REPO = Path(__file__).resolve().parent.parent


def test_docstring_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(REPO / "watched", tmp_path / "watched")
    monkeypatch.chdir(tmp_path)
    results = doctest.testmod(toolkit, optionflags=doctest.ELLIPSIS, report=False)
    assert results.attempted >= 5
    assert results.failed == 0, "the toolkit/__init__.py example fails: run pytest -s to see how"
    assert (tmp_path / "output" / "捐款名单.docx").is_file()


def test_every_public_name_resolves() -> None:
    for name in toolkit.__all__:
        assert getattr(toolkit, name) is not None, name


def test_all_lists_every_lazy_export() -> None:
    assert set(toolkit.__all__) == set(toolkit._EXPORTS) | {"__version__"}
    assert toolkit.__all__ == sorted(toolkit.__all__, key=lambda n: (not n[0].isupper(), n))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = toolkit.nope


# A module stays under about 400 lines, unless its docstring says why (it mentions "400 lines").
MAX_LINES = 420
# PENDING: modules being split or changed on other branches; each entry goes when its branch lands.
_PENDING: dict[str, str] = {}


@pytest.mark.parametrize(
    "module", sorted(str(p.relative_to(REPO)) for p in (REPO / "toolkit").rglob("*.py")), ids=str
)
def test_no_module_is_long_without_saying_why(module: str) -> None:
    import ast

    source = (REPO / module).read_text("utf-8")
    lines = source.count("\n")
    if lines <= MAX_LINES:
        return
    if module in _PENDING:
        pytest.skip(f"PENDING: {module} has {lines} lines and {_PENDING[module]}")
    docstring = ast.get_docstring(ast.parse(source)) or ""
    assert "400 lines" in docstring, f"{module} has {lines} lines: split it, or say why in its docstring"
