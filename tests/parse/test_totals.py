"""Spec of `toolkit.parse.totals`: the declared 合计 and 大写 in every form, and their problems."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.parse.grids import HEADER, found, parse
from toolkit.errors import Severity
from toolkit.validate import validate_ledger


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
        (["合计（2人）", None, 50000], Decimal(50000), "C4"),
        (["合计(元)：50000"], Decimal(50000), "A4"),
        (["本次合计", None, 50000], Decimal(50000), "C4"),
        (["以上合计", None, 50000], Decimal(50000), "C4"),
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


# --- every form real lists use ----------------------------------------------------------------------

DONORS = [HEADER, [1, "甲", 20000], [2, "乙", 30000]]


@pytest.mark.parametrize(
    ("rows", "cell"),
    [
        ([["合 计", None, 50000]], "C4"),  # spaced out, in the 序号 column
        ([[None, "合计", 50000]], "C4"),  # in the name column
        ([["合计", None, None, None, 50000]], "E4"),  # the amount column empty, figure further right
    ],
)
def test_more_total_forms(rows: list[list[Any]], cell: str) -> None:
    ledger = parse([*DONORS, *rows])
    assert ledger.declared_total is not None
    assert (ledger.declared_total.value, ledger.declared_total.cell) == (Decimal(50000), cell)
    assert [d.donor for d in ledger.donations] == ["甲", "乙"]


def test_a_total_label_left_of_the_amount_column_takes_the_amount_column_first() -> None:
    ledger = parse([*DONORS, ["合计", "2笔", 50000]])
    assert ledger.declared_total is not None
    assert ledger.declared_total.cell == "C4"


def test_count_and_total_as_text_side_by_side() -> None:
    """The 农业银行 list ends with 共计746人次 | 总金额61609585.05, both text."""
    ledger = parse([["捐赠人", "金额"], ["甲", 100], ["乙", 200.05], ["共计3人次", "总金额300.05"]])
    [table] = ledger.tables
    assert table.declared_total is not None
    assert table.declared_count is not None
    assert (table.declared_total.value, table.declared_total.cell) == (Decimal("300.05"), "B4")
    assert (table.declared_count.value, table.declared_count.cell) == (Decimal(3), "A4")
    assert ledger.problems == ()


@pytest.mark.parametrize(
    "rows",
    [
        [["合计：2笔，50000元"]],
        [["共计收到捐款2笔，合计50000元"]],
        [["合计", None, 50000], ["合计人数", 2]],
        [["合计", None, 50000], ["共2人"]],
    ],
)
def test_count_and_total_in_sentences(rows: list[list[Any]]) -> None:
    [table] = parse([*DONORS, *rows]).tables
    assert table.declared_total is not None
    assert table.declared_count is not None
    assert (table.declared_total.value, table.declared_count.value) == (Decimal(50000), Decimal(2))


@pytest.mark.parametrize(
    "text",
    [
        "人民币（大写）：伍万元整",
        "（大写）：伍万元整",
        "大写：人民币伍万元整",
        "大写：伍萬圓整",
        "人民币(大写) 伍萬元整",
    ],
)
def test_capitals_with_or_without_renminbi_and_in_traditional_forms(text: str) -> None:
    ledger = parse([*DONORS, ["合计", None, 50000], [text]])
    assert ledger.declared_capitals is not None
    assert all(p.code.startswith("signature.") for p in validate_ledger(ledger))


def test_an_unlabelled_figure_under_the_amounts_equal_to_the_sum_is_the_total() -> None:
    ledger = parse([["捐赠人", "金额"], ["甲", 100], ["乙", 200], [None, 300]])
    assert ledger.problems == ()
    assert ledger.declared_total is not None
    assert (ledger.declared_total.value, ledger.declared_total.cell) == (Decimal(300), "B4")


def test_an_unlabelled_sum_formula_is_the_total_and_is_checked() -> None:
    rows = [["捐赠人", "金额"], ["甲", 100], ["乙", 200], [None, 250]]
    ledger = parse(rows, formula_cells=frozenset({(3, 1)}))
    assert [(p.code, p.cell) for p in validate_ledger(ledger) if p.is_error] == [("total.mismatch", "B4")]


def test_an_unlabelled_figure_that_is_neither_is_an_amount_without_a_name() -> None:
    ledger = parse([["捐赠人", "金额"], ["甲", 100], ["乙", 200], [None, 250]])
    assert found(ledger) == {("name.missing", "A4")}
    assert ledger.declared_total is None


def test_a_total_in_wan_is_read_in_wan() -> None:
    ledger = parse(
        [["序号", "捐赠单位", "金额（万元）"], [1, "甲", 1.5], [2, "乙", 0.25], ["合计", None, 1.75]]
    )
    assert ledger.declared_total is not None
    assert ledger.declared_total.value == Decimal(17500)
    assert ledger.total == Decimal(17500)
    assert [p.code for p in validate_ledger(ledger) if p.is_error] == []


def test_no_total_at_all_is_valid_with_a_note() -> None:
    ledger = parse(
        [HEADER, [1, "甲", 100], ["收款人：张三"], ["监督人：李四"], ["X协会"], ["日期：2020年2月5日"]]
    )
    problems = validate_ledger(ledger)
    assert [(p.code, p.severity) for p in problems] == [("total.not_declared", Severity.WARNING)]
    assert "100" in problems[0].message


def test_capitals_without_a_label_on_the_total_row_are_the_declared_capitals() -> None:
    ledger = parse([*DONORS, ["合计", "伍万元整", 50000]])
    assert ledger.declared_capitals is not None
    assert (ledger.declared_capitals.value, ledger.declared_capitals.cell) == ("伍万元整", "B4")
    wrong = parse([*DONORS, ["合计", "肆万元整", 50000]])
    assert [p.code for p in validate_ledger(wrong) if p.is_error] == ["capitals.mismatch"]


def test_a_count_in_brackets_after_the_total_is_checked() -> None:
    ledger = parse([HEADER, [1, "甲", 20000], [2, "乙", 30000], ["合计（共3人）", None, 50000]])
    assert [d.donor for d in ledger.donations] == ["甲", "乙"]
    problems = validate_ledger(ledger)
    mismatch = [p for p in problems if p.code == "count.mismatch"]
    assert [(p.cell, p.severity) for p in mismatch] == [("A4", Severity.WARNING)]
