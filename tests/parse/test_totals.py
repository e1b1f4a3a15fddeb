"""Spec of `toolkit.parse.totals`: the declared 合计 and 大写 in every form, and their problems."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.parse.grids import HEADER, found, parse
from toolkit.errors import Severity


@pytest.mark.parametrize(
    ("row", "value", "cell"),
    [
        (["收款金额合计:", None, "50000元"], Decimal(50000), "C4"),
        (["合计", None, 50000], Decimal(50000), "C4"),
        (["合计：50000"], Decimal(50000), "A4"),
        (["合计 50000元"], Decimal(50000), "A4"),
        ([None, "总计", "50000"], Decimal(50000), "C4"),
        (["捐款合计", 50000.0], Decimal(50000), "B4"),
        (["合  计", None, None, 50000], Decimal(50000), "D4"),
    ],
)
def test_total_forms(row: list[Any], value: Decimal, cell: str) -> None:
    ledger = parse([HEADER, [1, "甲", 20000], [2, "乙", 30000], row])
    assert ledger.declared_total is not None
    assert (ledger.declared_total.value, ledger.declared_total.cell) == (value, cell)
    assert len(ledger.donations) == 2


@pytest.mark.parametrize(
    ("rows", "cell"),
    [
        ([["大写", "伍万元整"]], "B4"),
        ([["大写：伍万元整"]], "A4"),
        ([["合计", None, 50000, "大写: 伍万元整"]], "D4"),
        ([["合计", None, 50000], ["金额大写", None, "伍万元整"]], "C5"),
        ([["合计（大写）：伍万元整"]], "A4"),
    ],
)
def test_capitals_forms(rows: list[list[Any]], cell: str) -> None:
    ledger = parse([HEADER, [1, "甲", 20000], [2, "乙", 30000], *rows])
    assert ledger.declared_capitals is not None
    assert (ledger.declared_capitals.value, ledger.declared_capitals.cell) == ("伍万元整", cell)


def test_no_total_row() -> None:
    ledger = parse([HEADER, [1, "甲", 1]])
    assert ledger.declared_total is None
    assert ledger.declared_capitals is None


@pytest.mark.parametrize(
    ("code", "where", "cell"),
    [
        ("total.formula_unknown", "formulas_without_value", (2, 2)),
        ("total.formula_unknown", "placeholder_formulas", (2, 2)),
        ("capitals.formula_unknown", "formulas_without_value", (3, 1)),
    ],
)
def test_total_and_capitals_formula_without_value_are_unknown(
    code: str, where: str, cell: tuple[int, int]
) -> None:
    rows = [HEADER, [1, "张三", 100], ["合计", None, 0 if cell == (2, 2) else 100], ["大写", ""]]
    ledger = parse(rows, **{where: frozenset({cell})})
    assert found(ledger) == {(code, "C3" if cell == (2, 2) else "B4")}
    assert ledger.problems[0].severity is Severity.WARNING
    declared = ledger.declared_total if code.startswith("total") else ledger.declared_capitals
    assert declared is not None
    assert declared.value is None


def test_total_not_a_number() -> None:
    ledger = parse([HEADER, [1, "张三", 100], ["合计", None, "一百"]])
    assert found(ledger) == {("total.not_a_number", "C3")}
    assert ledger.declared_total is not None
    assert ledger.declared_total.value is None


def test_error_value_in_total_cell() -> None:
    ledger = parse([HEADER, [1, "张三", 100], ["合计", None, "#REF!"]])
    assert found(ledger) == {("cell.error_value", "C3")}
