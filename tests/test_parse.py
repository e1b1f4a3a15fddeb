"""Spec of `toolkit.parse`: which layouts become which `Ledger`, and which cells become which problems.

Grids are built as `Sheet` records directly (row 0 is Excel row 1), so each test reads as the sheet a
clerk would see; one test goes through a real .xlsx and ``toolkit.read`` as well.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest

from tests.workbooks import (
    SEED_DONORS,
    SEED_ORG,
    SEED_TITLE,
    SEED_TOTAL,
    build_workbook,
    plain_rows,
    seed_rows,
)
from toolkit.errors import Severity
from toolkit.parse import parse_sheet, parse_workbook
from toolkit.records import Ledger, Sheet, Workbook

HEADER = ["序号", "捐赠姓名", "金额/元"]
SIGNATURE = [["收款人: 朱蕊"], ["监督人: 刘刚"], [SEED_ORG], ["日期: 2020年2月5日"]]


def sheet(rows: Sequence[Sequence[Any]], name: str = "Sheet1", **kw: Any) -> Sheet:
    return Sheet(name, True, [list(r) for r in rows], **kw)


def parse(rows: Sequence[Sequence[Any]], **kw: Any) -> Ledger:
    return parse_sheet(sheet(rows, **kw), "捐款.xlsx")


def found(ledger: Ledger) -> set[tuple[str, str]]:
    return {(p.code, p.cell) for p in ledger.problems}


def donors(ledger: Ledger) -> list[tuple[int | None, str, Decimal]]:
    return [(d.serial, d.donor, d.amount) for d in ledger.donations]


def packed(names: Sequence[tuple[str, Any]], groups: int) -> list[list[Any]]:
    """Donors numbered down each group, then across, ``groups`` groups side by side."""
    height = -(-len(names) // groups)
    rows: list[list[Any]] = [HEADER * groups]
    for r in range(height):
        row: list[Any] = []
        for g in range(groups):
            i = g * height + r
            row += [i + 1, *names[i]] if i < len(names) else [None, None, None]
        rows.append(row)
    return rows


# --- the seed ------------------------------------------------------------------------------------


def test_seed_figure_2_exactly() -> None:
    ledger = parse_workbook(Workbook("捐款.xlsx", (sheet(seed_rows(), "捐款名单"),)))
    assert ledger.problems == ()
    assert ledger.sheet == "捐款名单"
    assert ledger.groups == 4
    assert ledger.title == SEED_TITLE
    assert [d.serial for d in ledger.donations] == list(range(1, 46))
    assert [(d.donor, d.amount) for d in ledger.donations] == [(n, Decimal(a)) for n, a in SEED_DONORS]
    assert ledger.total == SEED_TOTAL
    assert ledger.declared_total is not None
    assert (ledger.declared_total.value, ledger.declared_total.cell) == (Decimal("50000"), "C14")
    assert ledger.declared_capitals is not None
    assert (ledger.declared_capitals.value, ledger.declared_capitals.cell) == ("伍万元整", "D14")
    assert ledger.signature.receiver == "朱蕊"
    assert ledger.signature.supervisor == "刘刚"
    assert ledger.signature.organisation == SEED_ORG
    assert ledger.signature.date == dt.date(2020, 2, 5)
    first, last = ledger.donations[0], ledger.donations[-1]
    assert (first.cell, first.name_cell, first.sheet) == ("C3", "B3", "捐款名单")
    assert (last.serial, last.donor, last.cell, last.name_cell) == (45, "周立德", "L14", "K14")


def test_seed_total_row_as_the_text_export_prints_it() -> None:
    """The text export shifts donor 45 two columns left (H14:J14); it is still read as one donor."""
    rows = seed_rows()
    rows[13] = [
        "收款金额合计:",
        None,
        "50000元",
        "大写: 伍万元整",
        None,
        None,
        None,
        45,
        "周立德",
        50,
        None,
        None,
    ]
    ledger = parse(rows)
    assert ledger.problems == ()
    assert donors(ledger)[-1] == (45, "周立德", Decimal(50))
    assert ledger.donations[-1].cell == "J14"
    assert ledger.total == SEED_TOTAL


def test_seed_subtotals_by_kind() -> None:
    """The seed's text: 个人捐款 34461.73 元, 单位捐款 15538.27 元."""
    rows: list[list[Any]] = [[SEED_TITLE], [*HEADER, "类型", "备注"]]
    for i, (name, amount) in enumerate(SEED_DONORS, start=1):
        rows.append([i, name, amount, "单位" if i == 1 else "个人", "转账" if i % 2 else None])
    rows += [["合计", None, "50000"], *SIGNATURE]
    ledger = parse(rows)
    assert ledger.problems == ()
    assert ledger.has_kinds
    assert ledger.subtotal("个人") == Decimal("34461.73")
    assert ledger.subtotal("单位") == Decimal("15538.27")
    assert ledger.total == SEED_TOTAL


def test_seed_through_a_real_workbook() -> None:
    read = pytest.importorskip("toolkit.read")
    ledger = parse_workbook(read.read_workbook(build_workbook(seed_rows()), "捐款.xlsx"))
    assert ledger.problems == ()
    assert len(ledger.donations) == 45
    assert ledger.total == SEED_TOTAL
    assert ledger.signature.date == dt.date(2020, 2, 5)


# --- layouts -------------------------------------------------------------------------------------


def test_plain_list_with_total_capitals_and_side_by_side_signature() -> None:
    rows = plain_rows([("张三", 500), ("李四", 300.5)], total=800.5, capitals="捌佰元伍角整")
    ledger = parse(rows)
    assert ledger.problems == ()
    assert ledger.groups == 1
    assert ledger.title == "爱心捐款名单"
    assert donors(ledger) == [(1, "张三", Decimal(500)), (2, "李四", Decimal("300.5"))]
    assert ledger.declared_total is not None
    assert ledger.declared_total.value == Decimal("800.5")
    assert ledger.declared_total.cell == "C5"
    assert ledger.declared_capitals is not None
    assert (ledger.declared_capitals.value, ledger.declared_capitals.cell) == ("捌佰元伍角整", "B6")
    signature = ledger.signature
    assert (signature.receiver, signature.supervisor) == ("朱蕊", "刘刚")
    assert (signature.organisation, signature.date) == (SEED_ORG, dt.date(2020, 2, 5))


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


def test_packed_numbered_across_is_returned_in_serial_order() -> None:
    rows = [HEADER * 2, [1, "甲", 1, 2, "乙", 2], [3, "丙", 3, 4, "丁", 4]]
    assert [d.donor for d in parse(rows).donations] == ["甲", "乙", "丙", "丁"]


def test_blank_serial_keeps_its_place_after_the_donor_read_before_it() -> None:
    rows = [HEADER * 2, [1, "甲", 1, 3, "丙", 3], [None, "无号", 5, 4, "丁", 4], [2, "乙", 2]]
    assert [d.donor for d in parse(rows).donations] == ["甲", "无号", "乙", "丙", "丁"]


def test_packed_without_serials() -> None:
    rows = [["姓名", "金额"] * 2, ["甲", 1, "丙", 3], ["乙", 2]]
    ledger = parse(rows)
    assert ledger.groups == 2
    assert [d.donor for d in ledger.donations] == ["甲", "乙", "丙"]


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


def test_organisation_label_wins_over_a_lone_line() -> None:
    rows = [HEADER, [1, "张三", 100], ["单位：某协会"], ["另一行文字"], ["日期", "2020-02-05"]]
    assert parse(rows).signature.organisation == "某协会"


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


@pytest.mark.parametrize(
    ("value", "kind"),
    [("单位", "单位"), ("企业", "单位"), ("公司", "单位"), ("机构", "单位"), (" 个人 ", "个人")],
)
def test_kind_synonyms(value: str, kind: str) -> None:
    ledger = parse([["姓名", "金额", "类型"], ["张三", 1, value]])
    assert ledger.donations[0].kind == kind


def test_ragged_rows_and_none_cells() -> None:
    rows: list[list[Any]] = [HEADER, [1, "张三"], [2, "李四", 200, None, None], [None], [3, "王五", 300]]
    ledger = parse(rows)
    assert found(ledger) == {("amount.missing", "C2")}
    assert [d.donor for d in ledger.donations] == ["李四", "王五"]


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


# --- totals --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "value", "cell"),
    [
        (["收款金额合计:", None, "50000元"], Decimal(50000), "C4"),
        (["合计", None, 50000], Decimal(50000), "C4"),
        (["合计：50000"], Decimal(50000), "A4"),
        (["合计 50000元"], Decimal(50000), "A4"),
        ([None, "总计", "50000"], Decimal(50000), "C4"),
        (["捐款合计", 50000.0], Decimal(50000), "B4"),
        (["合  计", None, None, 50000], Decimal(50000), "D4"),
    ],
)
def test_total_forms(row: list[Any], value: Decimal, cell: str) -> None:
    ledger = parse([HEADER, [1, "甲", 20000], [2, "乙", 30000], row])
    assert ledger.declared_total is not None
    assert (ledger.declared_total.value, ledger.declared_total.cell) == (value, cell)
    assert len(ledger.donations) == 2


@pytest.mark.parametrize(
    ("rows", "cell"),
    [
        ([["大写", "伍万元整"]], "B4"),
        ([["大写：伍万元整"]], "A4"),
        ([["合计", None, 50000, "大写: 伍万元整"]], "D4"),
        ([["合计", None, 50000], ["金额大写", None, "伍万元整"]], "C5"),
        ([["合计（大写）：伍万元整"]], "A4"),
    ],
)
def test_capitals_forms(rows: list[list[Any]], cell: str) -> None:
    ledger = parse([HEADER, [1, "甲", 20000], [2, "乙", 30000], *rows])
    assert ledger.declared_capitals is not None
    assert (ledger.declared_capitals.value, ledger.declared_capitals.cell) == ("伍万元整", cell)


def test_no_total_row() -> None:
    ledger = parse([HEADER, [1, "甲", 1]])
    assert ledger.declared_total is None
    assert ledger.declared_capitals is None


# --- signature -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "row",
    [
        ["收款人: 朱蕊"],
        ["收款人：朱蕊"],
        ["收款人 朱蕊"],
        ["收款人朱蕊"],
        ["收 款 人：朱蕊"],
        ["收款人", "朱蕊"],
        ["收款人：", None, " 朱蕊 "],
    ],
)
def test_receiver_label_and_value_in_one_cell_or_side_by_side(row: list[Any]) -> None:
    assert parse([HEADER, [1, "甲", 1], row]).signature.receiver == "朱蕊"


def test_signature_labels_on_one_row() -> None:
    rows = [
        HEADER,
        [1, "甲", 1],
        ["收款人：朱蕊", None, "监督人：刘刚"],
        ["组织单位", "某协会", "日期", "2020/2/5"],
    ]
    signature = parse(rows).signature
    assert (signature.receiver, signature.supervisor) == ("朱蕊", "刘刚")
    assert (signature.organisation, signature.date) == ("某协会", dt.date(2020, 2, 5))


def test_a_phone_number_after_a_signature_is_no_donation() -> None:
    ledger = parse([HEADER, [1, "甲", 1], ["收款人", "朱蕊", 13800000000]])
    assert ledger.problems == ()
    assert len(ledger.donations) == 1
    assert ledger.signature.receiver == "朱蕊"


def test_several_labels_in_one_cell() -> None:
    rows = [HEADER, [1, "甲", 1], ["收款人：朱蕊  监督人：刘刚"], ["单位：某协会 日期：2020年2月5日"]]
    signature = parse(rows).signature
    assert (signature.receiver, signature.supervisor) == ("朱蕊", "刘刚")
    assert (signature.organisation, signature.date) == ("某协会", dt.date(2020, 2, 5))


@pytest.mark.parametrize(
    "name", ["大写意文化公司", "单位员工", "收款室", "合计划公司", "日期达人", "时间胶囊工作室", "金星"]
)
def test_names_that_start_like_a_label_are_donors(name: str) -> None:
    ledger = parse([HEADER, [None, name, 100], [2, "乙", 200]])
    assert ledger.problems == ()
    assert [d.donor for d in ledger.donations] == [name, "乙"]


@pytest.mark.parametrize(
    "row",
    [
        ["日期", dt.date(2020, 2, 5)],
        ["日期", dt.datetime(2020, 2, 5, 9, 30)],
        ["日期: 2020年2月5日"],
        ["日期：2020-02-05"],
        ["日期", "2020/2/5"],
        ["日期", "2020.2.5"],
        ["日期", "２０２０年２月５日"],
        ["日期", 43866],
        ["日期", 43866.0],
        ["日期", "20200205"],
    ],
)
def test_date_forms(row: list[Any]) -> None:
    ledger = parse([HEADER, [1, "甲", 1], row])
    assert ledger.signature.date == dt.date(2020, 2, 5)
    assert ledger.problems == ()


@pytest.mark.parametrize(
    ("value", "cell"), [("二〇二〇年二月五日", "B3"), ("2020-02-30", "B3"), (2020, "B3")]
)
def test_unreadable_date_is_a_warning(value: Any, cell: str) -> None:
    ledger = parse([HEADER, [1, "甲", 1], ["日期", value]])
    assert found(ledger) == {("signature.date_unreadable", cell)}
    assert ledger.problems[0].severity is Severity.WARNING
    assert ledger.signature.date is None


def test_missing_signature_is_left_to_validate() -> None:
    ledger = parse([HEADER, [1, "甲", 1]])
    assert ledger.problems == ()
    assert ledger.signature.receiver is None
    assert ledger.signature.date is None


# --- problems ------------------------------------------------------------------------------------


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


def test_name_too_long() -> None:
    ledger = parse([HEADER, [1, "名" * 101, 100], [2, "名" * 100, 100]])
    assert found(ledger) == {("name.too_long", "B2")}
    assert len(ledger.donations) == 1


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


@pytest.mark.parametrize(
    ("code", "where", "cell"),
    [
        ("total.formula_unknown", "formulas_without_value", (2, 2)),
        ("total.formula_unknown", "placeholder_formulas", (2, 2)),
        ("capitals.formula_unknown", "formulas_without_value", (3, 1)),
    ],
)
def test_total_and_capitals_formula_without_value_are_unknown(
    code: str, where: str, cell: tuple[int, int]
) -> None:
    rows = [HEADER, [1, "张三", 100], ["合计", None, 0 if cell == (2, 2) else 100], ["大写", ""]]
    ledger = parse(rows, **{where: frozenset({cell})})
    assert found(ledger) == {(code, "C3" if cell == (2, 2) else "B4")}
    assert ledger.problems[0].severity is Severity.WARNING
    declared = ledger.declared_total if code.startswith("total") else ledger.declared_capitals
    assert declared is not None
    assert declared.value is None


def test_total_not_a_number() -> None:
    ledger = parse([HEADER, [1, "张三", 100], ["合计", None, "一百"]])
    assert found(ledger) == {("total.not_a_number", "C3")}
    assert ledger.declared_total is not None
    assert ledger.declared_total.value is None


def test_error_value_in_total_cell() -> None:
    ledger = parse([HEADER, [1, "张三", 100], ["合计", None, "#REF!"]])
    assert found(ledger) == {("cell.error_value", "C3")}


# --- choosing the sheet --------------------------------------------------------------------------


def test_first_visible_sheet_with_a_header_is_read() -> None:
    hidden = Sheet("隐藏", False, [HEADER, [1, "隐", 1]])
    notes = sheet([["说明"], ["请在下一个工作表填写"]], "说明")
    data = sheet([HEADER, [1, "张三", 100]], "名单")
    later = sheet([HEADER, [1, "李四", 200]], "名单2")
    ledger = parse_workbook(Workbook("捐款.xlsx", (hidden, notes, data, later)))
    assert (ledger.file, ledger.sheet) == ("捐款.xlsx", "名单")
    assert [d.donor for d in ledger.donations] == ["张三"]


def test_header_not_found_lists_what_and_where() -> None:
    hidden = Sheet("隐藏", False, [HEADER, [1, "隐", 1]])
    ledger = parse_workbook(Workbook("捐款.xlsx", (sheet([["你好"]], "甲"), sheet([], "乙"), hidden)))
    assert ledger.donations == ()
    assert found(ledger) == {("header.not_found", "")}
    problem = ledger.problems[0]
    assert (problem.file, problem.severity) == ("捐款.xlsx", Severity.ERROR)
    for text in (
        "甲",
        "乙",
        "前 30 行",
        "序号",
        "编号",
        "捐赠姓名",
        "捐款人",
        "单位/个人",
        "金额/元",
        "捐款金额",
        "隐藏",
    ):
        assert text in problem.message


def test_parse_sheet_without_header() -> None:
    ledger = parse_sheet(sheet([["姓名"], ["张三"]], "Sheet9"), "x.xlsx")
    assert [(p.code, p.sheet, p.file) for p in ledger.problems] == [("header.not_found", "Sheet9", "x.xlsx")]


def test_header_without_donors_gives_an_empty_ledger() -> None:
    ledger = parse([["标题"], HEADER, *SIGNATURE])
    assert ledger.donations == ()
    assert ledger.problems == ()
    assert ledger.signature.receiver == "朱蕊"


def test_formulas_never_calculated_through_a_real_workbook() -> None:
    """openpyxl writes formulas with no saved result: the amount is refused, the 合计 is recomputed."""
    read = pytest.importorskip("toolkit.read")
    rows = [HEADER, [1, "张三", 100], [2, "李四", "=50*2"], ["合计", None, "=SUM(C2:C3)"]]
    ledger = parse_workbook(read.read_workbook(build_workbook(rows), "捐款.xlsx"))
    assert found(ledger) == {("amount.formula_without_value", "C3"), ("total.formula_unknown", "C4")}
    assert ledger.declared_total is not None
    assert ledger.declared_total.value is None
    assert donors(ledger) == [(1, "张三", Decimal(100))]


def test_signature_values_keep_full_width_brackets() -> None:
    rows = [HEADER, [1, "甲", 1], ["单位：新疆（乌鲁木齐）质量协会"], ["收款人：朱蕊（出纳）"]]
    signature = parse(rows).signature
    assert signature.organisation == "新疆（乌鲁木齐）质量协会"
    assert signature.receiver == "朱蕊（出纳）"


# --- donors the table no longer covers -------------------------------------------------------------

SIGNED = [["收款人：张三"], ["监督人：李四"], ["X协会"], ["日期：2020年2月5日"]]


@pytest.mark.parametrize(
    ("rows", "cell", "name"),
    [
        # below the 合计 (the QA repro)
        (
            [
                HEADER,
                [1, "甲", 100],
                [2, "乙", 200],
                ["合计", "", 300],
                [3, "丙", 50],
                [4, "丁", 60],
                *SIGNED,
            ],
            "B5",
            "丙",
        ),
        # below the whole signature block
        ([HEADER, [1, "甲", 100], [2, "乙", 200], ["合计", "", 300], *SIGNED, [3, "丙", 50]], "B9", "丙"),
        # inside the signature block, no 合计, no serial, amount typed as text
        ([HEADER, [1, "甲", 100], [2, "乙", 200], SIGNED[0], [None, "丙", "50元"], *SIGNED[1:]], "B5", "丙"),
        # right of the footer labels in a packed table
        (
            [
                HEADER * 2,
                [1, "甲", 100, 3, "丙", 50],
                [2, "乙", 200],
                ["合计", None, 350],
                [None, None, None, 4, "丁", 60],
            ],
            "E5",
            "丁",
        ),
        # shifted out of the group's columns: 序号, name and amount side by side
        ([HEADER, [1, "甲", 100], ["合计", None, 100], [None, 2, "乙", 200.5]], "C4", "乙"),
        # a second page with its own header below the first page's 合计
        ([HEADER, [1, "甲", 100], ["合计", None, 100], [], HEADER, [2, "乙", 200]], "B6", "乙"),
    ],
)
def test_donor_rows_below_the_total_or_the_signature_are_an_error(
    rows: list[list[Any]], cell: str, name: str
) -> None:
    ledger = parse(rows)
    assert found(ledger) == {("ledger.rows_after_total", cell)}
    problem = ledger.problems[0]
    assert (problem.severity, problem.value) == (Severity.ERROR, name)
    for text in (name, "没有计入", "合计行上方"):
        assert text in problem.message
    assert name not in [d.donor for d in ledger.donations]


def test_rows_after_total_error_counts_the_rows_and_names_the_end_of_the_table() -> None:
    rows = [HEADER, [1, "甲", 100], [2, "乙", 200], ["合计", "", 300], [3, "丙", 50], [4, "丁", 60], *SIGNED]
    ledger = parse(rows)
    assert donors(ledger) == [(1, "甲", Decimal(100)), (2, "乙", Decimal(200))]
    message = ledger.problems[0].message
    for text in ("第 4 行", "合计", "第 5、6 行", "50"):
        assert text in message


def test_donor_rows_past_the_footer_scan_window_are_still_found() -> None:
    rows = [HEADER, [1, "甲", 100], ["合计", None, 100], *SIGNED, *[[]] * 120, [2, "乙", 200]]
    assert found(parse(rows)) == {("ledger.rows_after_total", "B128")}


@pytest.mark.parametrize(
    "row",
    [
        [SEED_ORG],
        ["说明：以上捐款已全部转入协会账户，共 45 人", None, 45],
        ["制表人：", "朱蕊"],
        ["2020年2月5日"],
        [None, "2020年2月5日", 1],
        ["小计", None, 300],
        [None, "个人小计", 34461.73],
        [None, "个人捐款", 34461.73],
        [None, "其中单位", 15538.27],
        ["联系人", "朱蕊", 13800000000],
        [None, "朱蕊", 13800000000],
        ["经手人", "朱蕊", None, "电话", 13800000000],
        [3, None, None],
        [None, "捐赠姓名", "金额/元"],
        [None, 123, 456],
    ],
)
def test_lines_below_the_total_that_are_no_donors(row: list[Any]) -> None:
    rows = [HEADER, [1, "甲", 100], [2, "乙", 200], ["合计", None, 300], row, *SIGNATURE]
    ledger = parse(rows)
    assert "ledger.rows_after_total" not in {p.code for p in ledger.problems}
    assert len(ledger.donations) == 2


def test_unfilled_starter_rows_and_its_footer_are_no_stray_donors() -> None:
    read = pytest.importorskip("toolkit.read")
    starter = pytest.importorskip("toolkit.starter")
    for groups in (1, 4):
        workbook = read.read_workbook(starter.starter_workbook_bytes(groups=groups), "新.xlsx")
        ledger = parse_workbook(workbook)
        assert ledger.donations == ()
        assert {(p.code, p.cell) for p in ledger.problems} == {
            ("title.placeholder", "A1"),
            ("total.formula_unknown", "C103" if groups == 1 else "C28"),
        }


# --- serial cells, numbers in messages, the title --------------------------------------------------


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


def test_rows_after_total_message_quotes_a_clean_name() -> None:
    rows = [HEADER, [1, "甲", 100], ["合计", None, 100], [2, " 乙\x0b  二 ", "¥200"]]
    problem = parse(rows).problems[0]
    assert (problem.code, problem.cell, problem.value) == ("ledger.rows_after_total", "B4", "乙 二")
    assert "“乙 二”，金额 ¥200" in problem.message
