"""Spec of `toolkit.parse.overlaps`: a list on another sheet that would count donations twice."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.parse.grids import sheet
from toolkit.errors import Severity
from toolkit.parse import parse_workbook
from toolkit.records import Ledger, Sheet, Workbook

HEADER = ["序号", "姓名", "金额"]
LIST = [HEADER, [1, "张三", 100], [2, "李四", 200], [3, "王五", 400], ["合计", None, 700]]


def workbook(*sheets: Sheet) -> Ledger:
    return parse_workbook(Workbook("捐款.xlsx", sheets))


def refusals(ledger: Ledger) -> list[tuple[str, str, str]]:
    return [(p.code, p.sheet, p.cell) for p in ledger.problems if p.severity is Severity.ERROR]


def test_a_scratch_sheet_holding_part_of_the_list_is_refused() -> None:
    scratch = sheet([["姓名", "金额"], ["张三", 100], ["李四", 200]], "Sheet2")
    ledger = workbook(sheet(LIST, "捐款名单"), scratch)
    assert refusals(ledger) == [("table.double_counted", "Sheet2", "A1")]
    message = ledger.problems[0].message
    assert "“捐款名单”" in message and "一部分" in message and "删除或隐藏" in message


def test_a_part_is_told_by_donor_and_amount_together() -> None:
    """张三 gave again through another channel, with another amount: two donations, both read."""
    other = sheet([HEADER, [1, "张三", 50], [2, "李四", 200]], "微信")
    ledger = workbook(sheet(LIST, "银行"), other)
    assert refusals(ledger) == []
    assert ledger.total == Decimal(950)


def test_one_donor_in_both_lists_is_no_part() -> None:
    ledger = workbook(sheet(LIST, "银行"), sheet([HEADER, [1, "张三", 100]], "微信"))
    assert refusals(ledger) == []


@pytest.mark.parametrize("name", ["按单位汇总", "分类统计", "总表", "捐款汇总"])
def test_a_summary_sheet_with_the_same_total_is_refused_naming_both(name: str) -> None:
    summary = [HEADER, [1, "某某小学", 300], [2, "某某中学", 400], ["合计", None, 700]]
    ledger = workbook(sheet(LIST, "明细"), sheet(summary, name))
    assert refusals(ledger) == [("table.double_counted", name, "A1")]
    message = ledger.problems[0].message
    assert f"“{name}”" in message and "“明细”" in message and "700" in message


def test_a_title_naming_a_summary_counts_as_its_name() -> None:
    summary: list[list[Any]] = [["各单位捐款统计"], HEADER, [1, "某某小学", 300], [2, "某某中学", 400]]
    ledger = workbook(sheet(LIST, "明细"), sheet(summary, "Sheet2"))
    assert refusals(ledger) == [("table.double_counted", "Sheet2", "A2")]


def test_the_same_total_without_a_summary_name_is_read_twice_over() -> None:
    """Two accounts taking in the same sum: both lists are read (see the module docstring)."""
    other = [HEADER, [1, "某某小学", 300], [2, "某某中学", 400], ["合计", None, 700]]
    ledger = workbook(sheet(LIST, "农业银行"), sheet(other, "建设银行"))
    assert refusals(ledger) == []
    assert ledger.total == Decimal(1400)


def test_a_part_of_a_merged_list_is_said_once_at_the_merged_list() -> None:
    ledger = workbook(
        sheet([HEADER, [1, "张三", 100], [2, "李四", 200]], "农业银行"),
        sheet([HEADER, [1, "王五", 400]], "微信"),
        sheet(LIST, "全部"),
    )
    assert refusals(ledger) == [("table.double_counted", "全部", "A1")]


@pytest.mark.parametrize(
    "copy",
    [
        [HEADER, [1, "张 三", 100], [2, "李四 ", 200], [3, "王五", 400], ["合计", None, 700]],  # stray spaces
        [HEADER, [1, "张三", 100], [2, "李肆", 200], [3, "王五", 400], ["合计", None, 700]],  # a typo
        [HEADER, [1, "张三", 100], [2, "李四", 200], [3, "王五", 450], ["合计", None, 750]],  # one edit
        [["户名", "金额"], ["张三", 60], ["张三", 40], ["李四", 200], ["王五", 400]],  # raw bank lines
    ],
)
def test_a_near_copy_on_another_sheet_is_refused(copy: list[list[Any]]) -> None:
    ledger = workbook(sheet(LIST, "公示稿"), sheet(copy, "原始"))
    assert refusals(ledger) == [("table.double_counted", "原始", "A1")]


def test_full_and_half_width_brackets_make_no_difference_to_a_copy() -> None:
    first = [HEADER, [1, "甲公司（北京）", 1000], [2, "乙公司", 200], ["合计", None, 1200]]
    second = [HEADER, [1, "甲公司(北京)", 1000], [2, "乙公司", 200], ["合计", None, 1200]]
    ledger = workbook(sheet(first, "名单"), sheet(second, "名单备份"))
    assert refusals(ledger) == [("table.double_counted", "名单备份", "A1")]


def test_a_day_whose_total_happens_to_equal_the_others_is_no_merged_list() -> None:
    days = [
        sheet([HEADER, [1, "张三", 100], [2, "李四", 200], ["合计", None, 300]], "2月1日"),
        sheet([HEADER, [1, "王五", 500], ["合计", None, 500]], "2月2日"),
        sheet([HEADER, [1, "赵六", 600], [2, "钱七", 200], ["合计", None, 800]], "2月3日"),
    ]
    ledger = workbook(*days)
    assert refusals(ledger) == []
    assert ledger.total == Decimal(1600)
