"""Spec of `toolkit.parse.tables`: one table read whole, and what must be said about it."""

from __future__ import annotations

from decimal import Decimal

from tests.parse.grids import donors, found, parse


def test_a_second_amount_column_that_differs_is_refused_at_its_header() -> None:
    """捐款金额 | 到账金额: which one the bulletin should show cannot be known."""
    rows = [["姓名", "捐款金额", "到账金额"], ["甲", 100, 100], ["乙", 200, None], ["合计", 300, 100]]
    ledger = parse(rows)
    assert found(ledger) == {("table.two_amounts", "C1")}
    problem = ledger.problems[0]
    assert problem.is_error
    assert "B 列“捐款金额”" in problem.message and "第 3 行“乙”：200 元和空白" in problem.message


def test_a_second_amount_column_that_says_the_same_in_another_unit_is_no_problem() -> None:
    rows = [
        ["姓名", "金额（元）", "金额（万元）"],
        ["甲", 10000, 1],
        ["乙", 25000, 2.5],
        ["合计", 35000, 3.5],
    ]
    ledger = parse(rows)
    assert donors(ledger) == [(None, "甲", Decimal(10000)), (None, "乙", Decimal(25000))]
    assert ledger.problems == ()
