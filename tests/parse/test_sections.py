"""Spec of `toolkit.parse.sections`: heading rows give their donors a kind; each 小计 is checked, never a donor."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.parse.grids import found, parse
from toolkit.errors import Severity
from toolkit.parse.sections import heading_kind
from toolkit.validate import validate_ledger

HEADER = ["序号", "捐赠单位（个人）", "金额（元）"]
SECTIONS = [
    HEADER,
    ["一、单位捐款"],
    [1, "甲公司", 1000],
    [2, "乙公司", 2000],
    [None, "单位小计", 3000],
    ["二、个人捐款"],
    [3, "张三", 100],
    [4, "李四", 200],
    [None, "个人小计", 300],
    ["合计", None, 3300],
]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("一、单位捐款", "单位"),
        ("二、个人捐款", "个人"),
        ("（一）企业捐赠", "单位"),
        ("3、爱心人士捐款", "个人"),
        ("一、现金捐款", None),
        ("单位捐款", "单位"),
        ("个人捐赠名单", "个人"),
    ],
)
def test_headings_and_their_kind(text: str, kind: str | None) -> None:
    assert heading_kind(text) == (True, kind)


@pytest.mark.parametrize("text", ["张三", "一心堂药业", "单位员工", "新疆质量协会", "个人"])
def test_names_are_no_headings(text: str) -> None:
    assert heading_kind(text)[0] is False


def test_sections_give_their_donors_a_kind_and_subtotals_are_no_donors() -> None:
    ledger = parse(SECTIONS)
    assert ledger.problems == ()
    assert [(d.donor, d.kind) for d in ledger.donations] == [
        ("甲公司", "单位"),
        ("乙公司", "单位"),
        ("张三", "个人"),
        ("李四", "个人"),
    ]
    assert (ledger.subtotal("单位"), ledger.subtotal("个人"), ledger.total) == (
        Decimal(3000),
        Decimal(300),
        Decimal(3300),
    )
    [table] = ledger.tables
    assert [(s.heading, s.kind, s.cell, len(s.donations)) for s in table.sections] == [
        ("一、单位捐款", "单位", "A2", 2),
        ("二、个人捐款", "个人", "A6", 2),
    ]
    assert [(s.label, s.declared.value, s.declared.cell, s.computed) for s in table.subtotals] == [
        ("单位小计", Decimal(3000), "C5", Decimal(3000)),
        ("个人小计", Decimal(300), "C9", Decimal(300)),
    ]
    assert validate_ledger(ledger) == tuple(
        p for p in validate_ledger(ledger) if p.code.startswith("signature.")
    )


def test_a_wrong_subtotal_is_an_error_at_its_cell_and_the_right_total_is_no_mismatch() -> None:
    rows = [*SECTIONS[:4], [None, "单位小计", 3100], *SECTIONS[5:]]
    problems = [p for p in validate_ledger(parse(rows)) if not p.code.startswith("signature.")]
    assert [(p.code, p.cell, p.severity) for p in problems] == [("subtotal.mismatch", "C5", Severity.ERROR)]
    for text in ("单位小计", "3100", "3000", "100"):
        assert text in problems[0].message


def test_a_plain_subtotal_covers_the_rows_since_the_previous_one() -> None:
    rows = [
        ["序号", "姓名", "金额"],
        [1, "甲", 100],
        [2, "乙", 200],
        ["本页小计", None, 300],
        [3, "丙", 50],
        ["本页小计", None, 60],
        ["合计", None, 350],
    ]
    ledger = parse(rows)
    [table] = ledger.tables
    assert [(s.computed, s.scope) for s in table.subtotals] == [
        (Decimal(300), "第 2～3 行"),
        (Decimal(50), "第 5～5 行"),
    ]
    problems = [p for p in validate_ledger(ledger) if p.code == "subtotal.mismatch"]
    assert [(p.cell, p.value) for p in problems] == [("C6", "60")]


def test_sections_numbered_each_from_one_keep_the_sheets_order() -> None:
    rows = [
        ["序号", "捐赠单位（个人）", "金额（元）"],
        ["一、单位捐款", None, None],
        [1, "甲公司", 3000],
        [2, "乙公司", 2000],
        ["单位小计", None, 5000],
        ["二、个人捐款", None, None],
        [1, "张三", 100],
        [2, "李四", 200],
        [3, "王五", 300],
        ["个人小计", None, 600],
        ["合计", None, 5600],
    ]
    ledger = parse(rows)
    assert [d.donor for d in ledger.donations] == ["甲公司", "乙公司", "张三", "李四", "王五"]
    assert [p for p in validate_ledger(ledger) if p.is_error] == []


def test_a_days_subtotal_in_the_date_column_is_checked_and_is_no_donor() -> None:
    rows = [
        ["日期", "姓名", "金额"],
        ["2月1日", "甲", 100],
        ["2月1日", "乙", 200],
        ["2月1日小计", None, 333],
        ["2月2日", "丙", 50],
        ["2月2日合计", None, 50],
        ["合计", None, 350],
    ]
    ledger = parse(rows)
    assert [d.donor for d in ledger.donations] == ["甲", "乙", "丙"]
    problems = [p for p in validate_ledger(ledger) if p.is_error]
    assert [(p.code, p.cell) for p in problems] == [("subtotal.mismatch", "C4")]


def test_a_kind_subtotal_with_a_kind_column_counts_that_kind() -> None:
    rows = [
        ["姓名", "类型", "金额"],
        ["甲公司", "单位", 1000],
        ["张三", "个人", 100],
        ["单位小计", None, 1000],
        ["个人小计", None, 100],
        ["合计", None, 1100],
    ]
    ledger = parse(rows)
    assert ledger.problems == ()
    assert [(s.label, s.computed) for s in ledger.tables[0].subtotals] == [
        ("单位小计", Decimal(1000)),
        ("个人小计", Decimal(100)),
    ]


def test_a_kind_subtotal_under_donors_without_kinds_covers_the_rows_above_it() -> None:
    """单位小计 and 个人小计 closing runs of donors that no heading or 类型 cell typed: each covers
    the rows since the previous 小计, so right figures are no mismatch (they once summed 0)."""
    rows = [
        ["捐赠单位（个人）", "金额（元）"],
        ["甲公司", 1000],
        ["乙公司", 2000],
        ["单位小计", 3000],
        ["张三", 100],
        ["李四", 200],
        ["个人小计", 300],
        ["合计", 3300],
    ]
    ledger = parse(rows)
    assert [(s.label, s.computed, s.scope) for s in ledger.tables[0].subtotals] == [
        ("单位小计", Decimal(3000), "第 2～3 行"),
        ("个人小计", Decimal(300), "第 5～6 行"),
    ]
    assert not [p for p in validate_ledger(ledger) if p.is_error]


def test_a_date_between_donors_is_a_days_heading() -> None:
    rows = [
        ["姓名", "金额"],
        ["2020年1月25日"],
        ["甲", 100],
        [],
        ["1月26日"],
        ["乙", 200],
        ["合计", None, 300],
    ]
    ledger = parse(rows)
    assert ledger.problems == ()
    assert [s.heading for s in ledger.tables[0].sections] == ["2020年1月25日", "1月26日"]
    assert ledger.signature.date is None  # a day's heading is no signature date


def test_kind_lines_under_the_total_are_checked_when_the_list_tells_kinds() -> None:
    rows = [*SECTIONS, [None, "其中个人", 300], [None, "其中单位", 2900]]
    problems = validate_ledger(parse(rows))
    assert [(p.code, p.cell) for p in problems if p.code == "subtotal.mismatch"] == [
        ("subtotal.mismatch", "C12")
    ]


def test_kind_lines_under_the_total_of_a_list_without_kinds_are_reported_not_checked() -> None:
    rows = [["序号", "姓名", "金额"], [1, "甲", 100], ["合计", None, 100], [None, "个人捐款", 34461.73]]
    ledger = parse(rows)
    assert found(ledger) == {("footer.unrecognised", "C4")}
    assert "无法核对" in ledger.problems[0].message


def test_a_subtotal_that_is_no_amount_is_a_warning_and_is_not_checked() -> None:
    rows = [
        ["序号", "姓名", "金额"],
        [1, "甲", 100],
        ["小计", None, "见上"],
        [2, "乙", 200],
        ["合计", None, 300],
    ]
    ledger = parse(rows)
    assert found(ledger) == {("subtotal.unreadable", "C3")}
    assert ledger.problems[0].severity is Severity.WARNING
    assert not [p for p in validate_ledger(ledger) if p.code == "subtotal.mismatch"]


def test_sections_numbered_from_1_each_are_no_duplicate_serials() -> None:
    rows = [
        HEADER,
        ["一、单位捐款"],
        [1, "甲公司", 1000],
        [2, "乙公司", 2000],
        ["二、个人捐款"],
        [1, "张三", 100],
        [2, "李四", 200],
        ["合计", None, 3300],
    ]
    codes = {p.code for p in validate_ledger(parse(rows))}
    assert not codes & {"serial.duplicate", "serial.out_of_sequence"}


def test_a_slip_inside_a_section_numbered_from_1_is_still_reported() -> None:
    rows = [
        HEADER,
        ["一、单位捐款"],
        [1, "甲公司", 1000],
        [3, "乙公司", 2000],
        ["二、个人捐款"],
        [1, "张三", 100],
        [2, "李四", 200],
        ["合计", None, 3300],
    ]
    problems = [p for p in validate_ledger(parse(rows)) if p.code.startswith("serial.")]
    assert [(p.code, p.cell) for p in problems] == [("serial.out_of_sequence", "A4")]


def test_a_subtotal_with_a_head_count_takes_its_figure_from_beside_it() -> None:
    rows = [["科室", "姓名", "金额"], ["内科", "甲", 500], ["内科", "乙", 300], ["内科", "小计2人", 800]]
    rows += [["外科", "丙", 300], ["外科", "小计1人", 300], ["合计", None, 1100]]
    ledger = parse(rows)
    [table] = ledger.tables
    assert [(s.declared.value, s.computed) for s in table.subtotals] == [
        (Decimal(800), Decimal(800)),
        (Decimal(300), Decimal(300)),
    ]
    assert [p for p in validate_ledger(ledger) if p.is_error] == []
