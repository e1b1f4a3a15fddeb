"""Spec of `toolkit.parse.donors`: donor cells, how they are cleaned, and which cells become which problems."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.parse.grids import HEADER, donors, found, parse, sheet
from tests.workbooks import (
    seed_rows,
)
from toolkit.errors import Severity
from toolkit.parse import parse_workbook
from toolkit.records import Workbook


def test_packed_numbered_across_is_returned_in_serial_order() -> None:
    rows = [HEADER * 2, [1, "甲", 1, 2, "乙", 2], [3, "丙", 3, 4, "丁", 4]]
    assert [d.donor for d in parse(rows).donations] == ["甲", "乙", "丙", "丁"]


def test_blank_serial_keeps_its_place_after_the_donor_read_before_it() -> None:
    rows = [HEADER * 2, [1, "甲", 1, 3, "丙", 3], [None, "无号", 5, 4, "丁", 4], [2, "乙", 2]]
    assert [d.donor for d in parse(rows).donations] == ["甲", "无号", "乙", "丙", "丁"]


@pytest.mark.parametrize(
    ("value", "kind"),
    [("单位", "单位"), ("企业", "单位"), ("公司", "单位"), ("机构", "单位"), (" 个人 ", "个人")],
)
def test_kind_synonyms(value: str, kind: str) -> None:
    ledger = parse([["姓名", "金额", "类型"], ["张三", 1, value]])
    assert ledger.donations[0].kind == kind


def test_names_are_trimmed_and_inner_whitespace_collapsed() -> None:
    rows = [HEADER, [1, "  张  三 ", 1], [2, "文山江·牙克丹\u3000", 2], [3, "A\nB", 3], [4, 12345, 4]]
    assert [d.donor for d in parse(rows).donations] == ["张 三", "文山江·牙克丹", "A B", "12345"]


@pytest.mark.parametrize(
    ("cell", "amount"),
    [
        ("¥8,000.00", Decimal("8000.00")),
        ("500元", Decimal(500)),
        ("１００", Decimal(100)),
        ("  200  ", Decimal(200)),
        (15538.27, Decimal("15538.27")),
        (500.0, Decimal(500)),
        (Decimal("0.01"), Decimal("0.01")),
    ],
)
def test_amounts_typed_as_text_or_numbers(cell: Any, amount: Decimal) -> None:
    ledger = parse([HEADER, [1, "张三", cell]])
    assert ledger.problems == ()
    assert ledger.donations[0].amount == amount


@pytest.mark.parametrize(
    ("cell_value", "code"),
    [
        ("abc", "amount.not_a_number"),
        ("伍佰元", "amount.not_a_number"),
        (True, "amount.not_a_number"),
        (dt.date(2020, 1, 1), "amount.not_a_number"),
        (-5, "amount.negative"),
        ("-5", "amount.negative"),
        (0, "amount.zero"),
        ("0.00", "amount.zero"),
        (1.005, "amount.too_many_decimals"),
        ("1.005", "amount.too_many_decimals"),
        ("1.000", "amount.too_many_decimals"),  # 1 or 1000? never guessed
        (10**17, "amount.out_of_range"),
        ("#DIV/0!", "cell.error_value"),
        ("#VALUE!", "cell.error_value"),
    ],
)
def test_bad_amount_names_its_cell(cell_value: Any, code: str) -> None:
    ledger = parse([HEADER, [1, "张三", 100], [2, "李四", cell_value], [3, "王五", 300]])
    assert found(ledger) == {(code, "C3")}
    problem = ledger.problems[0]
    assert (problem.file, problem.sheet, problem.severity) == ("捐款.xlsx", "Sheet1", Severity.ERROR)
    assert problem.message
    assert [d.donor for d in ledger.donations] == ["张三", "王五"]


def test_bad_amount_value_is_quoted() -> None:
    problem = parse([HEADER, [1, "张三", "abc"]]).problems[0]
    assert (problem.code, problem.cell, problem.value) == ("amount.not_a_number", "C2", "abc")
    assert "abc" in problem.message


def test_name_missing_and_amount_missing() -> None:
    ledger = parse([HEADER, [1, None, 100], [2, "李四", None], [3, "王五", " "]])
    assert found(ledger) == {("name.missing", "B2"), ("amount.missing", "C3"), ("amount.missing", "C4")}
    assert "李四" in next(p.message for p in ledger.problems if p.cell == "C3")
    assert ledger.donations == ()


def test_a_long_name_is_a_warning_and_only_pasted_garbage_is_refused() -> None:
    """A company listing its staff is a real donor; a name of over 1,000 characters is not."""
    staff = "某某科技有限公司全体员工：" + "、".join(f"员工{i}" for i in range(40))
    ledger = parse([HEADER, [1, staff, 100], [2, "名" * 1001, 100], [3, "名" * 100, 100]])
    assert found(ledger) == {("name.long", "B2"), ("name.too_long", "B3")}
    assert [p.severity for p in ledger.problems] == [Severity.WARNING, Severity.ERROR]
    assert [d.donor for d in ledger.donations] == [staff, "名" * 100]


def test_error_value_in_name_cell() -> None:
    assert found(parse([HEADER, [1, "#N/A", 100]])) == {("cell.error_value", "B2")}


@pytest.mark.parametrize("where", ["formulas_without_value", "placeholder_formulas"])
def test_amount_formula_without_value(where: str) -> None:
    ledger = parse([HEADER, [1, "张三", 100], [2, "李四", 0]], **{where: frozenset({(2, 2)})})
    assert found(ledger) == {("amount.formula_without_value", "C3")}
    assert "Excel" in ledger.problems[0].message
    assert "WPS" in ledger.problems[0].message


def test_illegal_xml_characters_are_stripped_with_a_warning() -> None:
    ledger = parse([HEADER, [1, "张\x0b三\x00", 100], ["收款人：朱\x1f蕊"]])
    assert found(ledger) == {("text.illegal_chars", "B2"), ("text.illegal_chars", "A3")}
    assert all(p.severity is Severity.WARNING for p in ledger.problems)
    assert ledger.donations[0].donor == "张三"
    assert ledger.signature.receiver == "朱蕊"


@pytest.mark.parametrize(("value", "shown"), [("其他", "其他"), (None, "")])
def test_unknown_kind_is_a_warning(value: Any, shown: str) -> None:
    ledger = parse([["姓名", "金额", "类型"], ["张三", 1, value]])
    assert found(ledger) == {("kind.unknown", "C2")}
    assert (ledger.problems[0].severity, ledger.problems[0].value) == (Severity.WARNING, shown)
    assert ledger.donations[0].kind is None


@pytest.mark.parametrize("value", ["1a", 1.5, "一"])
def test_bad_serial_is_a_warning_and_the_donor_is_kept(value: Any) -> None:
    ledger = parse([HEADER, [value, "张三", 100]])
    assert found(ledger) == {("serial.not_a_number", "A2")}
    assert donors(ledger) == [(None, "张三", Decimal(100))]


def test_donations_know_their_serial_cell() -> None:
    ledger = parse_workbook(Workbook("捐款.xlsx", (sheet(seed_rows(), "捐款名单"),)))
    assert [d.serial_cell for d in ledger.donations[:2]] == ["A3", "A4"]
    assert (ledger.donations[-1].serial, ledger.donations[-1].serial_cell) == (45, "J14")
    mixed = parse([["序号", "类型", "姓名", "金额"], [1, "个人", "张三", 100], [None, "个人", "李四", "abc"]])
    assert [d.serial_cell for d in mixed.donations] == ["A2"]
    assert [d.serial_cell for d in parse([["姓名", "金额"], ["张三", 1]]).donations] == [""]


@pytest.mark.parametrize(
    ("row", "code", "shown"),
    [
        ([1, "张三", -5.0], "amount.negative", "-5"),
        ([1, "张三", 1e17], "amount.out_of_range", "100000000000000000"),
        ([1, "张三", 1e-05], "amount.too_many_decimals", "0.00001"),
        (
            [1, "张三", 0.30000000000000004 - 0.3],
            "amount.too_many_decimals",
            "0.0000000000000000555111512312578",
        ),
        ([1e-05, "张三", 1], "serial.not_a_number", "0.00001"),
        ([7.5, "张三", 1], "serial.not_a_number", "7.5"),
    ],
)
def test_numbers_are_quoted_as_excel_shows_them(row: list[Any], code: str, shown: str) -> None:
    ledger = parse([HEADER, row])
    assert found(ledger) == {(code, "C2" if code.startswith("amount") else "A2")}
    problem = ledger.problems[0]
    assert problem.value == shown
    assert f"“{shown}”" in problem.message
    assert "e-" not in problem.message
    assert "e+" not in problem.message


def test_numbers_in_names_totals_and_dates_have_no_exponent() -> None:
    rows = [HEADER, [1, 1e-07, 100], ["合计", None, 1e-05], ["日期", 1e-06]]
    ledger = parse(rows)
    assert [d.donor for d in ledger.donations] == ["0.0000001"]
    quoted = {p.code: (p.value, p.message) for p in ledger.problems}
    assert quoted["total.not_a_number"][0] == "0.00001"
    assert "“0.00001”" in quoted["total.not_a_number"][1]
    assert quoted["signature.date_unreadable"][0] == "0.000001"
    assert "“0.000001”" in quoted["signature.date_unreadable"][1]


# --- bodies as real lists write them -------------------------------------------------------------


def test_names_padded_with_ideographic_spaces_or_tabs_are_trimmed_and_masks_kept() -> None:
    rows = [
        HEADER,
        [1, "金地（集团）股份有限公司\u3000\u3000\u3000", 1],
        [2, "张*\t", 2],
        [3, "*晶晶", 3],
        [4, "\u3000王　五", 4],
    ]
    ledger = parse(rows)
    assert [d.donor for d in ledger.donations] == ["金地（集团）股份有限公司", "张*", "*晶晶", "王 五"]
    assert ledger.problems == ()


@pytest.mark.parametrize(
    ("cell", "amount"),
    [
        ("\xa0 \xa0 4,000,000.00\xa0", Decimal("4000000.00")),
        ("4，000，000", Decimal(4000000)),
        ("  1,409.50 ", Decimal("1409.50")),
        (0.01, Decimal("0.01")),
        (300000000, Decimal(300000000)),
    ],
)
def test_amounts_as_real_lists_write_them(cell: Any, amount: Decimal) -> None:
    ledger = parse([HEADER, [1, "甲", cell]])
    assert ledger.problems == ()
    assert ledger.donations[0].amount == amount


def test_the_same_donor_several_times_is_kept_each_time() -> None:
    ledger = parse([HEADER, [1, "甲", 100], [2, "甲", 100]])
    assert [d.donor for d in ledger.donations] == ["甲", "甲"]


def test_amounts_in_wan_are_converted_exactly() -> None:
    ledger = parse(
        [
            ["序号", "捐赠单位", "捐赠金额（万元）"],
            [1, "甲公司", 12.5],
            [2, "乙公司", "0.0001"],
            [3, "丙", "1.2345678"],
        ]
    )
    assert [(d.donor, d.amount) for d in ledger.donations] == [
        ("甲公司", Decimal(125000)),
        ("乙公司", Decimal(1)),
    ]
    assert found(ledger) == {("unit.converted", "C1"), ("amount.too_many_decimals", "C4")}
    assert "万元" in next(p.message for p in ledger.problems if p.code == "amount.too_many_decimals")


def test_a_name_merged_down_over_two_amounts_names_both() -> None:
    """One donor, two dated gifts: the name cell merged over both rows gives both donations."""
    rows = [
        ["捐赠人", "日期", "金额"],
        ["甲公司", "1月25日", 100],
        [None, "1月26日", 200],
        ["乙", "1月26日", 300],
    ]
    ledger = parse(rows, merged=((1, 0, 2, 0),))
    assert [(d.donor, d.amount, d.name_cell) for d in ledger.donations] == [
        ("甲公司", Decimal(100), "A2"),
        ("甲公司", Decimal(200), "A3"),
        ("乙", Decimal(300), "A4"),
    ]
    assert ledger.problems == ()


def test_an_amount_merged_down_is_never_filled_down() -> None:
    """甲 and 乙 gave 300 together (amount merged over their rows): one amount, never two."""
    rows = [["捐赠人", "金额"], ["甲", 300], ["乙", None], ["丙", 50]]
    ledger = parse(rows, merged=((1, 1, 2, 1),))
    assert sum(d.amount for d in ledger.donations) == Decimal(350)
    assert [(p.code, p.cell, p.value) for p in ledger.problems] == [("amount.merged", "B3", "300")]
    assert "B2" in ledger.problems[0].message  # where the shared amount stands


def test_a_date_where_the_name_should_be_is_refused() -> None:
    ledger = parse([HEADER, [1, "甲", 100], [2, "2020年2月5日", 200]])
    assert ("name.missing", "B3") in found(ledger)
    assert [d.donor for d in ledger.donations] == ["甲"]


@pytest.mark.parametrize(
    "rows",
    [
        [["科室", "姓名", "金额"], ["内科", "甲", 500], ["外科", "乙", 300], ["合计", "2人", 800]],
        [["部门", "姓名", "金额"], ["销售部", "甲", 500], ["销售部", "共1人", 500], ["生产部", "乙", 300]],
        [["部门", "姓名", "金额"], ["销售部", "甲", 500], ["生产部", "乙", 300], [None, "2人", 800]],
    ],
    ids=["total-row", "department-count", "unlabelled"],
)
def test_a_head_count_where_a_name_should_be_is_no_donor(rows: list[list[Any]]) -> None:
    ledger = parse(rows)
    assert [d.donor for d in ledger.donations] == ["甲", "乙"]
    assert "row.not_donation" in {p.code for p in ledger.problems}
