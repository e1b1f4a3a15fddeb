"""Spec of `toolkit.parse.currency`: money that is not 元 is never added to 元."""

from __future__ import annotations

from typing import Any

import pytest

from tests.parse.grids import found, parse


@pytest.mark.parametrize(
    ("header", "row", "cell"),
    [
        (["序号", "姓名", "金额", "备注"], [2, "Tom", 50, "美元"], "D3"),
        (["序号", "姓名", "金额"], [2, "Tom（美元）", 50], "B3"),
    ],
)
def test_a_row_marked_as_foreign_money_is_refused(header: list[Any], row: list[Any], cell: str) -> None:
    ledger = parse([header, [1, "甲", 100], row, ["合计", None, 150]])
    assert ("amount.foreign_currency", cell) in found(ledger)
    assert [d.donor for d in ledger.donations] == ["甲"]


def test_a_note_that_the_money_was_converted_is_no_foreign_mark() -> None:
    ledger = parse([["姓名", "金额", "备注"], ["Tom", 350, "100美元折合人民币"], ["合计", 350]])
    assert [d.donor for d in ledger.donations] == ["Tom"]
    assert "amount.foreign_currency" not in {p.code for p in ledger.problems}


@pytest.mark.parametrize(("unit", "code"), [("万元", "unit.conflict"), ("美元", "amount.foreign_currency")])
def test_amount_cells_formatted_to_show_another_unit_are_refused(unit: str, code: str) -> None:
    """``10`` shown as ``10万元`` (format 0"万元") under a plain 金额; ``100`` shown as ``$100.00``."""
    rows = [["姓名", "金额"], ["甲", 10], ["乙", 5], ["合计", 15]]
    ledger = parse(rows, unit_formats={(1, 1): unit, (2, 1): unit, (3, 1): unit})
    assert found(ledger) == {(code, "B2")}
    assert "B2 等 2 个单元格" in ledger.problems[0].message


def test_a_wan_format_under_a_wan_header_is_no_problem() -> None:
    ledger = parse([["姓名", "金额（万元）"], ["甲", 10]], unit_formats={(1, 1): "万元"})
    assert {p.code for p in ledger.problems} == {"unit.converted", "total.not_declared"} - {
        "total.not_declared"
    }
