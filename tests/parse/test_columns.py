"""Spec of `toolkit.parse.columns`: a header cell read by meaning, tried on every header of the field guide."""

from __future__ import annotations

import pytest

from toolkit.parse.columns import read_column

# The name headers seen in real published lists (../shared/realworld/README.md), as typed: brackets
# full- or half-width, mixed in one cell, with a trailing no-break space.
REAL_NAME_HEADERS = [
    "捐赠单位（个人）",
    "捐赠单位(个人)",
    "捐款单位及个人",
    "捐赠单位及个人",
    "捐赠(单位/姓名）",
    "捐赠(单位/姓名）个人",
    "姓名（姓氏隐去)",
    "捐赠单位（个人）隐去姓氏",
    "姓名/单位",
    "捐赠人",
    "捐赠人\xa0",
    "捐赠(单位/姓名）\xa0",
]


@pytest.mark.parametrize("text", REAL_NAME_HEADERS)
def test_every_real_name_header_is_a_name_column(text: str) -> None:
    assert read_column(text).role == "name"


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("金额", None),
        ("金额(元)", "元"),
        ("金额(元）", "元"),
        ("捐赠额（单位：元）", "元"),
        ("捐赠金额（元）", "元"),
        ("捐赠金额（万元）", "万元"),
        ("金额（美元）", "美元"),
        ("金额/元", "元"),
        ("金额元", "元"),
        ("捐款金额（人民币）", "元"),
        ("金额（USD）", "美元"),
        ("美元金额", "美元"),
        ("金额（港币）", "港币"),
        ("金额【欧元】", "欧元"),
        ("金额（小写）", None),
    ],
)
def test_amount_headers_and_their_unit(text: str, unit: str | None) -> None:
    column = read_column(text)
    assert (column.role, column.unit) == ("amount", unit)


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("序号", "serial"),
        (" 序 号 ", "serial"),
        ("编号", "serial"),
        ("捐赠日期", "date"),
        ("时间", "date"),
        ("备注", "note"),
        ("付款附言", "note"),
        ("交易单号", "transaction"),
        ("类型", "kind"),
        ("捐赠人类型", "kind"),
        ("币种", "currency"),
        ("品名", "goods"),
        ("规格型号", "goods"),
        ("数量", "goods"),
        ("捐赠人电话", "other"),
        ("金额大写", "capitals_column"),  # amounts in capitals: checked, never the amount column
        ("金额（大写）", "capitals_column"),
    ],
)
def test_other_columns_by_meaning(text: str, role: str) -> None:
    assert read_column(text).role == role


@pytest.mark.parametrize(
    "text",
    [
        "单位",  # a goods list's unit of measure, never a donor's name on its own
        "个人",
        "金额日期",  # two roles: no column
        "2020年新型肺炎捐款信息",
        "武汉市红十字会",
    ],
)
def test_no_column(text: str) -> None:
    assert read_column(text).role is None


@pytest.mark.parametrize(
    ("text", "unit"),
    [("（元）", "元"), ("(万元)", "万元"), ("单位：元", "元"), ("金额单位：万元", "万元"), ("USD", "美元")],
)
def test_a_cell_that_is_only_a_unit(text: str, unit: str) -> None:
    column = read_column(text)
    assert (column.role, column.unit, column.unit_only) == (None, unit, True)


def test_not_text_is_no_column() -> None:
    assert read_column(5).role is None
    assert read_column(None).role is None
