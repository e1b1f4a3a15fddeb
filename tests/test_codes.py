"""Problem codes (`toolkit.codes`): one constant each, used by name, tested, and documented in the README.

The README's table of codes may shorten a code that follows another in the same cell: after
``signature.missing_receiver``, ``…_supervisor`` stands for ``signature.missing_supervisor`` (what
follows the last ``_`` of the code before is replaced).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from toolkit import codes

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text("utf-8")
SEVERITIES = {"error", "warning"}


def readme_rows() -> list[list[str]]:
    """The cells of each row of the README's table of codes."""
    section = README.split("### Problems and their codes", 1)[1]
    section = re.split(r"\n#{1,3} ", section, maxsplit=1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    assert rows[:2] == ["| code | severity | meaning | the clerk's fix |", "|---|---|---|---|"]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


def codes_in(cell: str) -> list[str]:
    found: list[str] = []
    for token in re.findall(r"`([^`]+)`", cell):
        if token.startswith("…_"):
            assert found, f"{token} follows no code to shorten: {cell}"
            token = found[-1].rsplit("_", 1)[0] + token[1:]
        found.append(token)
    return found


def documented() -> list[str]:
    return [code for row in readme_rows() for code in codes_in(row[0])]


def constants() -> dict[str, str]:
    return {name: value for name, value in vars(codes).items() if name.isupper() and isinstance(value, str)}


def test_readme_table_lists_exactly_the_codes() -> None:
    listed = documented()
    assert sorted(listed) == sorted(set(listed)), "a code is listed twice"
    assert set(listed) - codes.ALL == set(), "listed in README.md but not in toolkit/codes.py"
    assert codes.ALL - set(listed) == set(), "in toolkit/codes.py but not in README.md's table of codes"


def test_shorthand_expands_to_the_full_code() -> None:
    assert codes_in("`signature.missing_receiver`, `…_supervisor`, `…_date`") == [
        "signature.missing_receiver",
        "signature.missing_supervisor",
        "signature.missing_date",
    ]


@pytest.mark.parametrize("row", readme_rows(), ids=lambda row: codes_in(row[0])[0])
def test_every_row_has_a_severity_a_meaning_and_a_fix(row: list[str]) -> None:
    code, severity, meaning, fix = row
    assert severity in SEVERITIES
    assert meaning and fix


def test_each_constant_is_named_after_its_code() -> None:
    for name, value in constants().items():
        assert name == value.upper().replace(".", "_"), name
    assert len(constants()) == len(codes.ALL), "two constants hold the same code"


def test_every_code_is_a_group_and_a_name() -> None:
    for code in codes.ALL:
        assert re.fullmatch(r"[a-z]+\.[a-z_]+", code), code


def bare_codes(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text("utf-8"))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in codes.ALL
    ]


def test_no_module_writes_a_code_as_a_bare_string() -> None:
    found = {
        str(path.relative_to(REPO)): bare
        for path in sorted((REPO / "toolkit").rglob("*.py"))
        if path.name != "codes.py" and (bare := bare_codes(path))
    }
    assert found == {}, "use the constant from toolkit/codes.py"


def test_every_code_is_used_by_some_test() -> None:
    """A new code comes with a test that produces it; a code no test mentions is likely dead."""
    tests = "\n".join(
        path.read_text("utf-8")
        for path in (REPO / "tests").rglob("test_*.py")
        if path.name != "test_codes.py"
    )
    names = {value: name for name, value in constants().items()}
    unused = sorted(code for code in codes.ALL if code not in tests and f"codes.{names[code]}" not in tests)
    assert unused == []
