"""Spec of `toolkit.parse.header`: the header row, its words and groups, and the title above it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.parse.grids import HEADER, SIGNATURE, donors, found, packed, parse
from toolkit.errors import Severity


def test_titles_tabulation_lines_and_blank_rows_above_the_header() -> None:
    rows = [
        ["新疆质量协会", None, None],
        [],
        ["  抗击疫情爱心捐款名单  "],
        ["制表单位：新疆质协", None, "制表日期：2020年2月5日"],
        ["制表人: 朱蕊"],
        [],
        HEADER,
        [1, "张三", 100],
    ]
    ledger = parse(rows)
    assert ledger.title == "抗击疫情爱心捐款名单"
    assert donors(ledger) == [(1, "张三", Decimal(100))]
    assert ledger.donations[0].cell == "C8"


def test_no_title() -> None:
    assert parse([HEADER, [1, "张三", 100]]).title is None


def test_header_below_row_20_is_found_and_after_row_30_is_not() -> None:
    assert len(parse([[]] * 25 + [HEADER, [1, "张三", 100]]).donations) == 1
    ledger = parse([[]] * 30 + [HEADER, [1, "张三", 100]])
    assert found(ledger) == {("header.not_found", "")}


@pytest.mark.parametrize(
    "header",
    [
        ["编号", "姓名", "金额（元）"],
        ["序号", "捐款人", "捐款金额"],
        ["序号", "捐赠人", "捐赠金额"],
        ["序号", "单位/个人", "金额(元)"],
        ["序号", "单位／个人", "金额（元）"],
        ["序号", "捐赠单位", "金额元"],
        ["序号", "名称", "金额"],
        [" 序 号 ", "捐 赠 姓 名", "金额："],
        ["序号", "捐赠姓名", "金额/元"],
    ],
)
def test_header_synonyms(header: list[str]) -> None:
    ledger = parse([header, [1, "张三", 100]])
    assert donors(ledger) == [(1, "张三", Decimal(100))]


def test_extra_columns_are_ignored() -> None:
    rows = [
        ["序号", "日期", "捐赠姓名", "类型", "金额/元", "备注"],
        [1, dt.date(2020, 2, 1), "张三", "个人", 100, "单位：质协转交"],
        [2, dt.date(2020, 2, 2), "质协", "单位", 200, None],
    ]
    ledger = parse(rows)
    assert ledger.problems == ()
    assert [(d.donor, d.kind, d.cell, d.name_cell) for d in ledger.donations] == [
        ("张三", "个人", "E2", "C2"),
        ("质协", "单位", "E3", "C3"),
    ]


def test_without_serial_column_serials_are_none() -> None:
    ledger = parse([["捐赠姓名", "金额/元"], ["张三", 100], ["李四", 200]])
    assert donors(ledger) == [(None, "张三", Decimal(100)), (None, "李四", Decimal(200))]


@pytest.mark.parametrize("groups", [2, 3, 4, 6])
def test_packed_groups(groups: int) -> None:
    names = [(f"捐赠人{i}", 10 * i) for i in range(1, 31)]
    ledger = parse([["名单"], *packed(names, groups), [], *SIGNATURE])
    assert ledger.problems == ()
    assert ledger.groups == groups
    assert [d.serial for d in ledger.donations] == list(range(1, 31))
    assert [d.donor for d in ledger.donations] == [n for n, _ in names]
    assert ledger.total == Decimal(10 * sum(range(1, 31)))


def test_packed_without_serials() -> None:
    rows = [["姓名", "金额"] * 2, ["甲", 1, "丙", 3], ["乙", 2]]
    ledger = parse(rows)
    assert ledger.groups == 2
    assert [d.donor for d in ledger.donations] == ["甲", "乙", "丙"]


@pytest.mark.parametrize(
    ("title", "cell"),
    [
        (["××单位爱心捐款名单（请修改标题）"], "A1"),
        ([None, "  某协会捐款名单(请修改标题)"], "B1"),
    ],
)
def test_the_starter_title_left_unchanged_is_a_warning(title: list[Any], cell: str) -> None:
    ledger = parse([title, HEADER, [1, "张三", 100]])
    assert found(ledger) == {("title.placeholder", cell)}
    problem = ledger.problems[0]
    assert problem.severity is Severity.WARNING
    assert "请修改标题" in problem.value
    assert "标题" in problem.message
    assert ledger.title is not None


def test_a_real_title_is_no_warning() -> None:
    assert parse([["爱心捐款名单（修改版）"], HEADER, [1, "张三", 100]]).problems == ()
