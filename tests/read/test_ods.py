"""Tests for `toolkit.read.ods`: OpenDocument spreadsheets, built in code by `tests.read.odf`.

LibreOffice's own .ods of an .xlsx built in code is compared with it in `tests/read/test_xls.py`.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.read.helpers import NAME, only_sheet, refused
from tests.read.odf import Table, cell_xml, ods_bytes
from toolkit.read import read_workbook

ROWS = [
    ["爱心捐款名单"],
    ["序号", "捐赠姓名", "金额/元"],
    [1, "张三", 500.5],
    [2, "李四", 15538.27],
    ["日期", dt.date(2020, 2, 5)],
]


def test_values_follow_the_documented_conventions() -> None:
    sheet = only_sheet(read_workbook(ods_bytes(Table("捐款名单", ROWS)), "捐款名单.ods"))
    assert sheet.rows == (
        ("爱心捐款名单", "", ""),
        ("序号", "捐赠姓名", "金额/元"),
        (1.0, "张三", 500.5),
        (2.0, "李四", 15538.27),
        ("日期", dt.date(2020, 2, 5), ""),
    )


def test_hidden_sheets_and_rows() -> None:
    tables = [Table("名单", ROWS, hidden_rows=frozenset({2, 3})), Table("旧版", [[1]], hidden=True)]
    book = read_workbook(ods_bytes(tables), NAME)
    assert [(s.name, s.visible) for s in book.sheets] == [("名单", True), ("旧版", False)]
    assert book.sheets[0].hidden_rows == frozenset({2, 3})


def test_filtered_and_repeated_hidden_rows_inside_the_grid_only() -> None:
    xml = (
        f"<table:table-row>{cell_xml('a')}</table:table-row>"
        f'<table:table-row table:visibility="filter" table:number-rows-repeated="2">{cell_xml("b")}</table:table-row>'
        f"<table:table-row>{cell_xml('c')}</table:table-row>"
        '<table:table-row table:visibility="collapse" table:number-rows-repeated="1000000"><table:table-cell/></table:table-row>'
    )
    sheet = only_sheet(read_workbook(ods_bytes(Table("名单", xml=xml)), NAME))
    assert sheet.rows == (("a",), ("b",), ("b",), ("c",))
    assert sheet.hidden_rows == frozenset({1, 2})


def test_merged_cells_and_error_cells() -> None:
    xml = (
        '<table:table-row><table:table-cell office:value-type="string" table:number-columns-spanned="2" '
        'table:number-rows-spanned="1"><text:p>合计</text:p></table:table-cell><table:covered-table-cell/>'
        f"{cell_xml(100)}</table:table-row><table:table-row>{cell_xml('#DIV/0!')}</table:table-row>"
    )
    sheet = only_sheet(read_workbook(ods_bytes(Table("名单", xml=xml)), NAME))
    assert sheet.merged == ((0, 0, 0, 1),)
    assert sheet.rows == (("合计", "", 100.0), ("#DIV/0!", "", ""))


def test_rich_text_reads_as_its_plain_text() -> None:
    xml = (
        '<table:table-row><table:table-cell office:value-type="string"><text:p>新疆<text:span text:style-name="T1">'
        "质量</text:span>协会</text:p></table:table-cell></table:table-row>"
    )
    assert only_sheet(read_workbook(ods_bytes(Table("名单", xml=xml)), NAME)).rows == (("新疆质量协会",),)


def test_password_protected_ods_is_refused() -> None:
    assert refused(ods_bytes(Table("名单", ROWS), encrypted=True), "捐款.ods").code == "file.encrypted"


# --------------------------------------------------------------------------- hostile repeats

VALUE = '<table:table-cell office:value-type="float" office:value="1"/>'


@pytest.mark.parametrize(
    ("xml", "span"),
    [
        (
            '<table:table-row table:number-rows-repeated="100000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="200"/></table:table-row>',
            "A1:GR100000",
        ),
        (
            '<table:table-row table:number-rows-repeated="1048576"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="16384"/></table:table-row>',
            "A1:XFD1048576",
        ),
        (
            f'<table:table-row>{VALUE}</table:table-row><table:table-row table:number-rows-repeated="10000000"><table:table-cell/></table:table-row><table:table-row>{VALUE}</table:table-row>',
            "A1:A10000002",
        ),
        (
            f'<table:table-row><table:table-cell table:number-columns-repeated="9000000"/>{VALUE}</table:table-row>',
            "A1:SRAOW1",
        ),
    ],
    ids=[
        "rows of many cells repeated",
        "the whole sheet",
        "empty rows between two values",
        "empty cells before a value",
    ],
)
def test_a_tiny_ods_declaring_a_huge_sheet_is_refused_before_it_is_expanded(xml: str, span: str) -> None:
    # Each of these is under 1 KB; the first would take python-calamine 1.2 GB.
    data = ods_bytes(Table("名单", xml=xml))
    assert len(data) < 2000
    problem = refused(data)
    assert (problem.code, problem.sheet, problem.value) == ("sheet.too_large", "名单", span)
    assert "max_unpacked_mb" in problem.message


def test_repeated_rows_with_values_count_as_rows() -> None:
    xml = f'<table:table-row table:number-rows-repeated="8">{VALUE}</table:table-row>'
    assert len(only_sheet(read_workbook(ods_bytes(Table("名单", xml=xml)), NAME)).rows) == 8
    problem = refused(ods_bytes(Table("名单", xml=xml)), max_rows=5)
    assert (problem.code, problem.value) == ("sheet.too_many_rows", "8 行")
    assert "max_rows" in problem.message


def test_trailing_empty_repeats_cost_nothing() -> None:
    # ods_bytes ends every sheet as LibreOffice does: a million empty rows of a thousand cells.
    sheet = only_sheet(read_workbook(ods_bytes(Table("名单", [["x"]])), NAME, max_rows=1))
    assert sheet.rows == (("x",),)


def test_a_repeat_that_is_not_a_number_is_refused() -> None:
    xml = f'<table:table-row table:number-rows-repeated="-5">{VALUE}</table:table-row>'
    assert refused(ods_bytes(Table("名单", xml=xml))).code == "file.corrupt"
