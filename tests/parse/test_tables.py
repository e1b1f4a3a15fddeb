"""Spec of `toolkit.parse.tables`: one table read whole, and what must be said about it."""

from __future__ import annotations

from decimal import Decimal

from tests.parse.grids import donors, found, parse
from toolkit.validate import validate_ledger


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


def test_a_heading_inside_the_list_naming_money_going_out_is_refused() -> None:
    rows = [
        ["序号", "姓名", "金额"],
        [1, "甲", 100],
        ["二、善款发放情况", None, None],
        [1, "困难户乙", 150],
        ["合计", None, 250],
    ]
    ledger = parse(rows)
    assert ("row.outflow", "A3") in found(ledger)
    assert any(p.is_error for p in ledger.problems)


def test_each_rows_capitals_are_checked_against_its_amount() -> None:
    rows = [
        ["序号", "姓名", "金额（小写）", "金额（大写）"],
        [1, "甲", 100, "壹佰元整"],
        [2, "乙", 200, "贰仟元整"],
    ]
    ledger = parse(rows)
    assert found(ledger) == {("capitals.mismatch", "D3")}
    assert "应为“贰佰元整”" in ledger.problems[0].message


def test_a_heading_inside_the_list_naming_a_foreign_currency_is_refused() -> None:
    rows = [
        ["序号", "姓名", "金额"],
        ["一、境内捐款", None, None],
        [1, "甲", 100],
        ["二、境外捐款（单位：美元）", None, None],
        [1, "Tom", 100],
        ["合计", None, 200],
    ]
    assert ("amount.foreign_currency", "A4") in found(parse(rows))


def test_pledged_amounts_are_no_amount_column_and_received_ones_are_read() -> None:
    rows = [
        ["序号", "姓名", "认捐金额", "实际到账"],
        [1, "甲", 100, 100],
        [2, "乙", 200, 150],
        ["合计", None, 300, 250],
    ]
    ledger = parse(rows)
    assert donors(ledger) == [(1, "甲", Decimal(100)), (2, "乙", Decimal(150))]


def test_an_amount_and_the_amount_received_that_differ_are_refused() -> None:
    rows = [["序号", "姓名", "金额", "实收金额"], [1, "甲", 100, 100], [2, "乙", 200, 150]]
    assert found(parse(rows)) == {("table.two_amounts", "D1")}


def test_pre_numbered_rows_left_empty_make_no_gap_in_the_numbering() -> None:
    """A starter workbook in two groups: 1…3 filled, 4…6 left empty, then 7 in the second group."""
    rows = [["序号", "姓名", "金额", "序号", "姓名", "金额"], [1, "甲", 100, 7, "丁", 50]]
    rows += [[2, "乙", 200, 8, None, None], [3, "丙", 300, 9, None, None]]
    rows += [[n, None, None, n + 6, None, None] for n in (4, 5, 6)]
    ledger = parse(rows)
    assert [d.serial for d in ledger.donations] == [1, 2, 3, 7]
    assert ledger.tables[0].blank_serials == frozenset({4, 5, 6, 8, 9, 10, 11, 12})
    assert "serial.out_of_sequence" not in {p.code for p in validate_ledger(ledger)}
