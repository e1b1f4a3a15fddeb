"""Spec of `toolkit.parse.sheets`: which sheet is read, and whole sheets from the seed to the starter workbook."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.parse.grids import HEADER, SIGNATURE, donors, found, parse, sheet
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
from toolkit.records import Sheet, Workbook


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
