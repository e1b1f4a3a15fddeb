"""Spec of `toolkit.parse.table`: which rows below the header are donors, and where the footer starts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.parse.grids import HEADER, SIGNATURE, donors, found, parse
from tests.workbooks import (
    SEED_ORG,
)


def test_signature_right_after_the_last_donor() -> None:
    rows = [HEADER, [1, "张三", 100], [2, "李四", 200], *SIGNATURE]
    ledger = parse(rows)
    assert ledger.problems == ()
    assert len(ledger.donations) == 2
    assert ledger.signature.organisation == SEED_ORG
    assert ledger.signature.receiver == "朱蕊"


def test_organisation_line_in_the_name_column_is_not_a_donor() -> None:
    rows = [HEADER, [1, "张三", 100], [None, SEED_ORG, None], ["日期", "2020-02-05"]]
    ledger = parse(rows)
    assert ledger.problems == ()
    assert len(ledger.donations) == 1
    assert ledger.signature.organisation == SEED_ORG


def test_pre_numbered_empty_rows_are_skipped() -> None:
    rows = [HEADER, [1, "张三", 100], [2, None, None], [3, "  ", ""], ["合计", None, 100]]
    ledger = parse(rows)
    assert ledger.problems == ()
    assert donors(ledger) == [(1, "张三", Decimal(100))]


def test_subtotal_rows_are_skipped() -> None:
    rows = [HEADER, [1, "张三", 100], ["小计", None, 100], [2, "李四", 200], ["合计", None, 300]]
    ledger = parse(rows)
    assert [d.donor for d in ledger.donations] == ["张三", "李四"]
    assert ledger.declared_total is not None
    assert ledger.declared_total.value == Decimal(300)


def test_kind_column_values_do_not_end_the_table() -> None:
    rows = [["序号", "类型", "姓名", "金额"], [1, "单位", "质协", 100], [2, "个人", "张三", 50]]
    ledger = parse(rows)
    assert [(d.donor, d.kind) for d in ledger.donations] == [("质协", "单位"), ("张三", "个人")]


def test_ragged_rows_and_none_cells() -> None:
    rows: list[list[Any]] = [HEADER, [1, "张三"], [2, "李四", 200, None, None], [None], [3, "王五", 300]]
    ledger = parse(rows)
    assert found(ledger) == {("amount.missing", "C2")}
    assert [d.donor for d in ledger.donations] == ["李四", "王五"]


@pytest.mark.parametrize(
    "name", ["大写意文化公司", "单位员工", "收款室", "合计划公司", "日期达人", "时间胶囊工作室", "金星"]
)
def test_names_that_start_like_a_label_are_donors(name: str) -> None:
    ledger = parse([HEADER, [None, name, 100], [2, "乙", 200]])
    assert ledger.problems == ()
    assert [d.donor for d in ledger.donations] == [name, "乙"]


# --- where a table ends ----------------------------------------------------------------------------


def test_a_total_merged_across_the_date_and_name_columns_ends_the_table() -> None:
    """Hubei's list: 合计 sits in the date column, merged over the blank name column."""
    rows = [
        ["序号", "捐赠日期", "捐赠(单位/姓名）", "捐赠金额（元）", "备注"],
        [1, "2020.01.22", "王宽", 100, None],
        [2, "2020.01.23", "裴长辉", 50000, None],
        [],
        [None, "合计", None, 50100, None],
    ]
    ledger = parse(rows, merged=((4, 1, 4, 2),))
    assert ledger.problems == ()
    assert [d.donor for d in ledger.donations] == ["王宽", "裴长辉"]
    assert ledger.declared_total is not None
    assert (ledger.declared_total.value, ledger.declared_total.cell) == (Decimal(50100), "D5")


def test_a_note_beside_a_donor_without_a_name_does_not_end_the_table() -> None:
    ledger = parse([["序号", "姓名", "金额", "备注"], [1, None, 500, "备注：匿名"], [2, "乙", 200]])
    assert found(ledger) == {("name.missing", "B2")}
    assert [d.donor for d in ledger.donations] == ["乙"]


def test_lines_under_the_last_donor_are_no_donors_even_without_a_label() -> None:
    """Wuhan's list ends with a note, the organisation and a date serial, and no 合计 or label."""
    rows = [
        ["捐赠人", "金额(元)"],
        ["甲", 100],
        ["乙", 200],
        [],
        ["注：以上为大额捐赠明细"],
        [],
        ["武汉市红十字会"],
        [43860.0],
    ]
    ledger = parse(rows)
    assert [d.donor for d in ledger.donations] == ["甲", "乙"]
    assert found(ledger) == {("footer.note", "A5")}
    assert (ledger.signature.organisation, ledger.signature.date) == ("武汉市红十字会", dt.date(2020, 1, 30))


def test_a_name_right_under_the_donors_with_no_amount_is_still_a_donor_without_an_amount() -> None:
    ledger = parse([["捐赠人", "金额"], ["甲", 100], ["乙", None]])
    assert found(ledger) == {("amount.missing", "B3")}


def test_a_second_header_starts_a_second_table_each_checked_against_its_own_total() -> None:
    rows = [
        ["第一页"],
        HEADER,
        [1, "甲", 100],
        ["合计", None, 100],
        [],
        ["第二页"],
        HEADER,
        [2, "乙", 200],
        [3, "丙", 300],
        ["合计", None, 500],
    ]
    ledger = parse(rows)
    assert ledger.problems == ()
    assert [(t.title, t.header, [d.donor for d in t.donations]) for t in ledger.tables] == [
        ("第一页", "A2:C2", ["甲"]),
        ("第二页", "A7:C7", ["乙", "丙"]),
    ]
    assert [d.donor for d in ledger.donations] == ["甲", "乙", "丙"]
    assert ledger.total == Decimal(600)
    assert ledger.declared_total is None  # each table has its own; see ledger.tables


def test_a_second_header_right_under_the_donors_ends_the_first_table() -> None:
    rows = [HEADER, [1, "甲", 100], ["个人捐赠名单"], ["序号", "姓名", "金额"], [1, "乙", 200]]
    ledger = parse(rows)
    assert [[d.donor for d in t.donations] for t in ledger.tables] == [["甲"], ["乙"]]
    assert [t.title for t in ledger.tables] == [None, "个人捐赠名单"]
    assert "amount.missing" not in {p.code for p in ledger.problems}


def test_sums_carried_between_pages_are_no_donors_and_are_said() -> None:
    """过次页 at the foot of a page, 承上页 at the head of the next, one 合计 for all."""
    rows = [
        HEADER,
        [1, "甲", 100],
        [2, "乙", 200],
        [None, "过次页", 300],
        HEADER,
        [None, "承上页", 300],
        [3, "丙", 400],
        ["合计", None, 700],
        *SIGNATURE,
    ]
    ledger = parse(rows)
    assert [d.donor for d in ledger.donations] == ["甲", "乙", "丙"]
    assert ledger.total == Decimal(700)
    assert found(ledger) == {("row.not_donation", "B4"), ("row.not_donation", "B6")}
    assert all(not p.is_error for p in ledger.problems)


def test_a_part_named_again_with_its_figure_is_no_donor() -> None:
    rows = [HEADER, [1, "甲", 100], [2, "乙", 200], [None, "其中：网络捐款", 100], ["合计", None, 300]]
    ledger = parse(rows)
    assert [d.donor for d in ledger.donations] == ["甲", "乙"]
    assert ("row.not_donation", "B4") in found(ledger)


@pytest.mark.parametrize("label", ["本表合计", "汇总", "捐款总数", "以上总计", "Total", "合计人民币"])
def test_totals_labelled_in_other_words_are_no_donors(label: str) -> None:
    ledger = parse([HEADER, [1, "甲", 100], [2, "乙", 200], [None, label, 300], *SIGNATURE])
    assert [d.donor for d in ledger.donations] == ["甲", "乙"]
    assert ledger.declared_total is not None and ledger.declared_total.value == Decimal(300)


def test_a_groups_total_in_the_serial_column_is_a_subtotal() -> None:
    rows = [HEADER, [1, "甲", 100], [2, "乙", 200], ["本组合计", None, 300], [3, "丙", 300]]
    rows += [["本组合计", None, 300], ["总合计", None, 600]]
    ledger = parse(rows)
    assert [d.donor for d in ledger.donations] == ["甲", "乙", "丙"]
    assert ledger.problems == ()
