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


@pytest.mark.parametrize(
    ("above", "title"),
    [
        (
            [["某某协会捐款公示"], ["截至2020年2月10日，我会共接收社会各界捐款1笔，现公示如下："]],
            "某某协会捐款公示",
        ),
        ([["截至2020年2月10日，我会共接收社会各界捐款1笔，现公示如下："]], None),
    ],
)
def test_an_introduction_above_the_header_is_never_the_title(
    above: list[list[Any]], title: str | None
) -> None:
    assert parse([*above, HEADER, [1, "张三", 100]]).title == title


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


# --- headers by meaning ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "捐赠单位（个人）",
        "捐款单位及个人",
        "捐赠(单位/姓名）个人",
        "姓名（姓氏隐去)",
        "捐赠单位（个人）隐去姓氏",
        "姓名/单位",
        "爱心企业（人士）",
        "对方户名",
        "微信昵称",
        "交易对方",
        "家长姓名",
        "校友姓名",
        "户主姓名",
        "职工姓名",
    ],
)
def test_real_name_headers_find_the_table(name: str) -> None:
    ledger = parse([["序号", name, "捐赠金额（元）"], [1, "张三", 100]])
    assert donors(ledger) == [(1, "张三", Decimal(100))]


def test_two_row_header_with_the_unit_under_the_amount() -> None:
    """捐赠金额 above （元）, 序号 and 捐赠人 merged down over both rows."""
    rows = [["序号", "捐赠人", "捐赠金额"], [None, None, "（元）"], [1, "甲", 100], [2, "乙", 200]]
    ledger = parse(rows, merged=((0, 0, 1, 0), (0, 1, 1, 1)))
    assert donors(ledger) == [(1, "甲", Decimal(100)), (2, "乙", Decimal(200))]
    assert ledger.tables[0].header == "A1:C2"
    assert ledger.problems == ()


def test_two_row_header_with_the_amount_merged_across_its_currencies() -> None:
    """捐赠金额 merged across 人民币 | 美元: the 人民币 column is read, the 美元 one never added."""
    rows = [
        ["序号", "姓名", "捐赠金额", None],
        [None, None, "人民币", "美元"],
        [1, "甲", 100, None],
        [2, "乙", None, 50],
        [3, "丙", 300, 20],
        ["合计", None, 400, 70],
    ]
    ledger = parse(rows, merged=((0, 2, 0, 3),))
    assert donors(ledger) == [(1, "甲", Decimal(100)), (3, "丙", Decimal(300))]
    assert found(ledger) == {("table.foreign_currency", "D1")}
    problem = ledger.problems[0]
    assert problem.severity is Severity.WARNING
    assert "美元" in problem.message
    assert "2 笔" in problem.message


def test_columns_headed_by_their_currency_alone_are_amount_columns() -> None:
    """姓名 | 人民币（元） | 美元: the 人民币 column is the amount; the 美元 one is left out with a warning."""
    rows = [["姓名", "人民币（元）", "美元"], ["甲", 100, None], ["乙", None, 50], ["合计", 100, 50]]
    ledger = parse(rows)
    assert donors(ledger) == [(None, "甲", Decimal(100))]
    assert found(ledger) == {("table.foreign_currency", "C1")}


def test_a_bank_statements_credit_column_is_the_amount() -> None:
    rows = [
        ["交易日期", "对方户名", "贷方发生额", "余额"],
        ["2020-02-01", "甲", 100, 1100],
        ["合计", None, 100, None],
    ]
    ledger = parse(rows)
    assert donors(ledger) == [(None, "甲", Decimal(100))]
    assert ledger.declared_total is not None and ledger.declared_total.value == Decimal(100)


def test_a_unit_cell_beside_the_amount_header_gives_the_amounts_unit() -> None:
    ledger = parse(
        [["序号", "姓名", "金额", "（万元）"], [1, "甲公司", 10], [2, "乙公司", 5], ["合计", None, 15]]
    )
    assert donors(ledger) == [(1, "甲公司", Decimal(100000)), (2, "乙公司", Decimal(50000))]
    assert ("unit.converted", "C1") in found(ledger)


@pytest.mark.parametrize("title", ["海外侨胞捐款明细（美元）", "美元账户捐款明细", "香港同胞捐款（港币）"])
def test_a_title_naming_a_foreign_currency_makes_the_list_foreign(title: str) -> None:
    ledger = parse([[title], ["序号", "姓名", "金额"], [1, "Tom", 100], ["合计", None, 100]])
    assert ledger.donations == ()
    assert ("table.foreign_currency", "C2") in found(ledger)


def test_a_sheet_named_for_a_foreign_account_holds_a_foreign_list() -> None:
    ledger = parse([["序号", "姓名", "金额"], [1, "Tom", 100]], name="美元账户")
    assert ledger.donations == ()
    assert "table.foreign_currency" in {p.code for p in ledger.problems}


def test_a_title_saying_the_money_was_converted_is_no_foreign_list() -> None:
    ledger = parse([["美元捐款（已折合人民币）"], ["序号", "姓名", "金额"], [1, "Tom", 700]])
    assert donors(ledger) == [(1, "Tom", Decimal(700))]


def test_a_name_header_merged_across_two_columns() -> None:
    """The name is read from the second column of the merge when the first is blank."""
    rows = [["序号", "捐赠人", None, "金额"], [1, "甲", None, 100], [2, None, "乙", 200]]
    ledger = parse(rows, merged=((0, 1, 0, 2),))
    assert [(d.donor, d.name_cell) for d in ledger.donations] == [("甲", "B2"), ("乙", "C3")]
    assert ledger.problems == ()


def test_a_unit_line_above_the_header_is_the_amounts_unit() -> None:
    ledger = parse([["某基金会捐赠明细"], ["单位：万元"], ["序号", "捐赠单位", "金额"], [1, "甲公司", 12.5]])
    assert donors(ledger) == [(1, "甲公司", Decimal(125000))]
    assert ledger.title == "某基金会捐赠明细"


@pytest.mark.parametrize(
    "title",
    [
        "某市慈善总会接收捐款明细（单位：万元）",
        "捐款明细 (金额单位: 万元)",
        "捐款明细 单位：万元",
        "捐款明细（万元）",
    ],
)
def test_a_title_that_states_the_unit_gives_the_amounts_unit(title: str) -> None:
    ledger = parse([[title], ["序号", "捐赠单位", "捐赠金额"], [1, "甲集团", 100], [2, "乙公司", 50]])
    assert donors(ledger) == [(1, "甲集团", Decimal(1000000)), (2, "乙公司", Decimal(500000))]


def test_a_title_that_only_mentions_wan_yuan_states_no_unit() -> None:
    ledger = parse([["累计收到社会捐款8550.11万元"], ["捐赠人", "金额"], ["甲", 100]])
    assert donors(ledger) == [(None, "甲", Decimal(100))]


def test_a_unit_line_that_contradicts_the_header_is_refused() -> None:
    ledger = parse([["单位：万元"], ["序号", "捐赠单位", "金额（元）"], [1, "甲公司", 12.5]])
    assert ("unit.conflict", "A1") in found(ledger)
    assert next(p for p in ledger.problems if p.code == "unit.conflict").severity is Severity.ERROR


@pytest.mark.parametrize("above", [[20200202], ["2020年2月2日"], [None, "2020-02-02"]])
def test_a_date_alone_above_the_header_is_the_lists_date(above: list[Any]) -> None:
    ledger = parse([["某协会捐款名单"], above, HEADER, [1, "甲", 100]])
    assert ledger.signature.date == dt.date(2020, 2, 2)


def test_a_date_under_the_list_wins_over_one_above_the_header() -> None:
    ledger = parse([[20200202], HEADER, [1, "甲", 100], ["日期：2020年2月5日"]])
    assert ledger.signature.date == dt.date(2020, 2, 5)


def test_the_title_skips_a_unit_cell_on_its_row() -> None:
    ledger = parse([["2020年新型肺炎捐款信息", None, "单位：元"], HEADER, [1, "甲", 100]])
    assert ledger.title == "2020年新型肺炎捐款信息"
