"""Tests for `toolkit.read.xlsx` (and the grid conventions every format shares): .xlsx bytes → `Workbook`.

Every fixture is built in code, with openpyxl and xlsxwriter, or by writing sheet XML by hand.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
import xlsxwriter

from tests.read.helpers import (
    NAME,
    only_sheet,
    openpyxl_bytes,
    refused,
    rezip,
    with_sheet_xml,
    xlsxwriter_bytes,
)
from toolkit.read import read_workbook

# --------------------------------------------------------------------------- values and conventions


def _values(book: openpyxl.Workbook) -> None:
    ws = book.active
    ws.title = "捐款"
    ws["A1"] = 500
    ws["B1"] = 15538.27
    ws["C1"] = 0.15
    ws["C1"].number_format = "0%"
    ws["D1"] = True
    ws["E1"] = dt.date(2020, 2, 5)
    ws["F1"] = dt.datetime(2020, 2, 5, 10, 30)
    ws["G1"] = dt.time(13, 30)
    ws["A2"] = "123"
    ws["B2"] = "张三"
    ws["C2"] = 45296
    ws["D2"] = "x_x000B_y"


def test_values_follow_the_documented_conventions() -> None:
    sheet = only_sheet(read_workbook(openpyxl_bytes(_values), NAME))
    assert sheet.name == "捐款"
    assert sheet.visible
    assert sheet.rows == (
        (500.0, 15538.27, 0.15, True, dt.date(2020, 2, 5), dt.datetime(2020, 2, 5, 10, 30), dt.time(13, 30)),
        ("123", "张三", 45296.0, "x\x0by", "", "", ""),
    )
    first = sheet.rows[0]
    assert type(first[0]) is float
    assert repr(first[1]) == "15538.27"
    assert type(first[3]) is bool
    assert isinstance(sheet.rows, tuple)
    assert all(isinstance(row, tuple) for row in sheet.rows)


def test_workbook_records_name_and_sheet_order() -> None:
    def fill(book: openpyxl.Workbook) -> None:
        book.active.title = "说明"
        book.active["A1"] = "说明文字"
        hidden = book.create_sheet("隐藏")
        hidden.sheet_state = "hidden"
        hidden["A1"] = 1
        very = book.create_sheet("深藏")
        very.sheet_state = "veryHidden"
        very["A1"] = 2
        book.create_sheet("名单")["B2"] = "x"

    book = read_workbook(openpyxl_bytes(fill), NAME)
    assert book.name == NAME
    assert [(s.name, s.visible) for s in book.sheets] == [
        ("说明", True),
        ("隐藏", False),
        ("深藏", False),
        ("名单", True),
    ]


def test_rows_are_anchored_at_a1() -> None:
    def fill(book: openpyxl.Workbook) -> None:
        book.active["C3"] = "序号"
        book.active["D4"] = 7

    sheet = only_sheet(read_workbook(openpyxl_bytes(fill), NAME))
    assert sheet.rows == (
        ("", "", "", ""),
        ("", "", "", ""),
        ("", "", "序号", ""),
        ("", "", "", 7.0),
    )
    assert sheet.value(2, 2) == "序号"
    assert sheet.value(9, 9) is None


def test_1904_date_system() -> None:
    def fill(book: openpyxl.Workbook) -> None:
        book.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
        book.active["A1"] = dt.date(2020, 2, 5)
        book.active["B1"] = dt.date(2020, 2, 5)
        book.active["B1"].number_format = 'yyyy"年"m"月"d"日"'

    sheet = only_sheet(read_workbook(openpyxl_bytes(fill), NAME))
    assert sheet.rows == ((dt.date(2020, 2, 5), dt.date(2020, 2, 5)),)


def test_shared_inline_and_rich_strings() -> None:
    def fill(book: xlsxwriter.Workbook) -> None:
        ws = book.add_worksheet()
        bold = book.add_format({"bold": True})
        ws.write_string("A1", "共享")
        ws.write_rich_string("B1", "新疆", bold, "质量", "协会")

    shared = only_sheet(read_workbook(xlsxwriter_bytes(fill), NAME))
    assert shared.rows == (("共享", "新疆质量协会"),)
    inline = only_sheet(
        read_workbook(
            with_sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>内联</t></is></c></row>'), NAME
        )
    )
    assert inline.rows == (("内联",),)


def test_merged_ranges_keep_the_top_left_value() -> None:
    def fill(book: openpyxl.Workbook) -> None:
        book.active.merge_cells("A1:C1")
        book.active["A1"] = "爱心捐款名单"
        book.active.merge_cells("B3:B4")
        book.active["B3"] = 1

    sheet = only_sheet(read_workbook(openpyxl_bytes(fill), NAME))
    assert sorted(sheet.merged) == [(0, 0, 0, 2), (2, 1, 3, 1)]
    assert sheet.rows == (("爱心捐款名单", ""), ("", ""), ("", 1.0))  # as wide as the values, not the merges
    assert sheet.value(3, 1) is None


def test_trailing_empty_rows_are_dropped() -> None:
    cells = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
        '<row r="5"><c r="A5" t="inlineStr"><is><t></t></is></c></row>'
    )
    sheet = only_sheet(read_workbook(with_sheet_xml(cells), NAME))
    assert sheet.rows == (("x",),)


# --------------------------------------------------------------------------- errors and formulas


def test_error_cells_come_back_as_their_text() -> None:
    def fill(book: xlsxwriter.Workbook) -> None:
        ws = book.add_worksheet()
        ws.write_formula("A1", "=1/0", None, "#DIV/0!")
        ws.write_formula("B1", "=NA()", None, "#N/A")
        ws.write_number("C1", 1)

    sheet = only_sheet(read_workbook(xlsxwriter_bytes(fill), NAME))
    assert sheet.rows == (("#DIV/0!", "#N/A", 1.0),)
    assert sheet.formulas_without_value == frozenset()
    assert sheet.placeholder_formulas == frozenset()


def test_typed_error_cell_without_formula() -> None:
    def fill(book: openpyxl.Workbook) -> None:
        book.active["B2"] = "#REF!"  # openpyxl stores error strings as error cells

    sheet = only_sheet(read_workbook(openpyxl_bytes(fill), NAME))
    assert sheet.rows[1][1] == "#REF!"


FORMULA_CELLS = ["B2", "D2", "C7", "AA10"]


def _formulas_openpyxl(book: openpyxl.Workbook) -> None:
    ws = book.active
    ws["A1"] = 1
    for ref in FORMULA_CELLS:
        ws[ref] = "=A1*2"


def _formulas_xlsxwriter(book: xlsxwriter.Workbook) -> None:
    ws = book.add_worksheet()
    ws.write_number("A1", 1)
    for ref in FORMULA_CELLS:
        ws.write_formula(ref, "=A1*2")


def _positions(refs: list[str]) -> frozenset[tuple[int, int]]:
    from openpyxl.utils.cell import coordinate_to_tuple

    return frozenset((row - 1, col - 1) for row, col in map(coordinate_to_tuple, refs))


def test_openpyxl_formulas_have_no_value_and_scan_agrees_with_cells() -> None:
    book = read_workbook(openpyxl_bytes(_formulas_openpyxl), NAME)
    sheet = only_sheet(book)
    assert book.never_calculated
    assert sheet.formulas_without_value == _positions(FORMULA_CELLS)
    assert sheet.placeholder_formulas == frozenset()
    for row, col in sheet.formulas_without_value:
        assert sheet.rows[row][col] == ""


def test_xlsxwriter_formulas_have_placeholder_zero_and_scan_agrees_with_cells() -> None:
    book = read_workbook(xlsxwriter_bytes(_formulas_xlsxwriter), NAME)
    sheet = only_sheet(book)
    assert book.never_calculated
    assert sheet.placeholder_formulas == _positions(FORMULA_CELLS)
    assert sheet.formulas_without_value == frozenset()
    for row, col in sheet.placeholder_formulas:
        assert sheet.rows[row][col] == 0.0


def test_calculated_workbook_keeps_zero_results() -> None:
    calculated = rezip(
        xlsxwriter_bytes(_formulas_xlsxwriter),
        xl__workbook_dot_xml=lambda xml: xml.replace(b' fullCalcOnLoad="1"', b""),
    )
    book = read_workbook(calculated, NAME)
    assert not book.never_calculated
    assert only_sheet(book).placeholder_formulas == frozenset()


@pytest.mark.parametrize(
    ("cell", "missing"),
    [
        ('<c r="B1"><f>A1</f></c>', True),
        ('<c r="B1"><f>A1</f><v/></c>', True),
        ('<c r="B1"><f>A1</f><v></v></c>', True),
        ('<c r="B1" t="str"><f>IF(A1="","","x")</f><v></v></c>', False),
        ('<c r="B1"><f>A1</f><v>3</v></c>', False),
        ('<c r="B1" s="1"><f t="shared" si="0"/></c>', True),
        ('<c s="1" r="B1"><f>A1</f></c>', True),
    ],
)
def test_formula_without_result(cell: str, missing: bool) -> None:
    xml = f'<row r="1"><c r="A1"><v>1</v></c>{cell}</row>'
    sheet = only_sheet(read_workbook(with_sheet_xml(xml), NAME))
    assert sheet.formulas_without_value == (frozenset({(0, 1)}) if missing else frozenset())


def test_every_formula_cell_is_listed_with_or_without_a_saved_result() -> None:
    """``Sheet.formula_cells`` tells a =SUM under the amounts from a typed figure."""

    def fill(book: xlsxwriter.Workbook) -> None:
        ws = book.add_worksheet()
        ws.write_row(0, 0, ["捐赠人", "金额"])
        ws.write_row(1, 0, ["甲", 100])
        ws.write(2, 0, "乙")
        ws.write_formula(2, 1, "=250000+250000", None, 500000)
        ws.write_formula(3, 1, "=SUM(B2:B3)", None, 500100)

    sheet = only_sheet(read_workbook(xlsxwriter_bytes(fill), NAME))
    assert sheet.formula_cells == frozenset({(2, 1), (3, 1)})
    assert sheet.rows[3][1] == 500100.0


def test_formula_cells_of_cells_without_address() -> None:
    xml = "<row><c><v>1</v></c><c><f>A1</f><v>1</v></c></row>"
    assert only_sheet(read_workbook(with_sheet_xml(xml), NAME)).formula_cells == frozenset({(0, 1)})


def test_cells_without_address_are_numbered_in_order() -> None:
    xml = '<row><c><v>1</v></c><c t="e"><v>#N/A</v></c></row><row><c/><c><f>A1</f></c><c><v>2</v></c></row>'
    sheet = only_sheet(read_workbook(with_sheet_xml(xml), NAME))
    assert sheet.rows == ((1.0, "#N/A", ""), ("", "", 2.0))
    assert sheet.formulas_without_value == frozenset({(1, 1)})


def test_namespace_prefixed_sheet_xml() -> None:
    xml = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
        b'<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c><x:c r="B1"><x:f>A1</x:f></x:c>'
        b'<x:c r="C1" t="e"><x:v>#N/A</x:v></x:c></x:row></x:sheetData></x:worksheet>'
    )
    base = xlsxwriter_bytes(lambda book: book.add_worksheet().write("A1", "x"))
    sheet = only_sheet(read_workbook(rezip(base, xl__worksheets__sheet1_dot_xml=lambda _: xml), NAME))
    assert sheet.rows == ((1.0, "", "#N/A"),)
    assert sheet.formulas_without_value == frozenset({(0, 1)})


def test_chart_sheets_are_skipped() -> None:
    def fill(book: xlsxwriter.Workbook) -> None:
        book.add_worksheet("数据").write_column("A1", [1, 2, 3])
        chart = book.add_chart({"type": "column"})
        chart.add_series({"values": "=数据!$A$1:$A$3"})
        book.add_chartsheet("图表").set_chart(chart)

    book = read_workbook(xlsxwriter_bytes(fill), NAME)
    assert [sheet.name for sheet in book.sheets] == ["数据"]


# --------------------------------------------------------------------------- size and shape limits


def test_a_sheet_over_the_row_cap_is_refused_never_cut_short() -> None:
    def fill(book: openpyxl.Workbook) -> None:
        book.active.title = "名单"
        for row in range(1, 11):
            book.active.cell(row, 1, row)
        book.active["B9"] = "=A1"

    problem = refused(openpyxl_bytes(fill), max_rows=5)
    assert (problem.code, problem.sheet, problem.cell, problem.value) == (
        "sheet.too_many_rows",
        "名单",
        "A6",
        "10 行",
    )
    assert "max_rows" in problem.message and "5" in problem.message
    assert len(only_sheet(read_workbook(openpyxl_bytes(fill), NAME, max_rows=10)).rows) == 10


def test_trailing_empty_rows_do_not_count_against_the_row_cap() -> None:
    cells = (
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="9"><c r="A9" t="inlineStr"><is><t></t></is></c></row>'
    )
    assert only_sheet(read_workbook(with_sheet_xml(cells), NAME, max_rows=1)).rows == ((1.0,),)


def test_a_formula_without_result_below_the_cap_counts() -> None:
    cells = '<row r="1"><c r="A1"><v>1</v></c></row><row r="3"><c r="B3"><f>A1</f></c></row>'
    assert refused(with_sheet_xml(cells), max_rows=2).code == "sheet.too_many_rows"


def test_lone_cell_on_the_last_row_is_cheap() -> None:
    sheet = only_sheet(read_workbook(openpyxl_bytes(lambda b: b.active.__setitem__("A1048576", "x")), NAME))
    assert len(sheet.rows) == 1_048_576
    assert sheet.rows[-1] == ("x",)
    # All the empty rows above are one shared tuple, not a million row objects.
    assert sheet.rows[0] is sheet.rows[500_000]
    assert sheet.rows[0] == ("",)


def test_formatting_far_away_does_not_stretch_the_grid() -> None:
    def fill(book: openpyxl.Workbook) -> None:
        book.active["A1"] = "x"
        book.active["XFD1048576"].font = openpyxl.styles.Font(bold=True)

    assert only_sheet(read_workbook(openpyxl_bytes(fill), NAME)).rows == (("x",),)


def test_two_cells_spanning_the_whole_sheet_are_refused() -> None:
    def fill(book: openpyxl.Workbook) -> None:
        book.active.title = "名单"
        book.active["A1"] = "x"
        book.active["XFD1048576"] = "y"

    problem = refused(openpyxl_bytes(fill))
    assert problem.code == "sheet.too_large"
    assert problem.sheet == "名单"
    assert problem.value == "A1:XFD1048576"


def test_far_cell_is_found_when_cells_lack_addresses() -> None:
    xml = '<row r="1"><c><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
    problem = refused(with_sheet_xml(xml))
    assert problem.code == "sheet.too_large"
    assert problem.value == "A1:XFD1048576"


def test_cell_cap_is_configurable() -> None:
    def fill(book: openpyxl.Workbook) -> None:
        book.active["A1"] = 1
        book.active["J20"] = 1

    data = openpyxl_bytes(fill)  # A1:J20 is 200 cells
    assert refused(data, max_cells=199).code == "sheet.too_large"
    assert only_sheet(read_workbook(data, NAME, max_cells=200)).rows[19][9] == 1.0


# --------------------------------------------------------------------------- hidden rows and rich text


def test_hidden_rows_are_recorded() -> None:
    def fill(book: openpyxl.Workbook) -> None:
        for row in range(1, 8):
            book.active.cell(row, 1, row)
        book.active.row_dimensions[3].hidden = True
        book.active.row_dimensions[6].hidden = True
        book.active.row_dimensions[50].hidden = True  # below the last value: not in the grid

    sheet = only_sheet(read_workbook(openpyxl_bytes(fill), NAME))
    assert sheet.hidden_rows == frozenset({2, 5})


@pytest.mark.parametrize(
    "row",
    [
        '<row r="2" hidden="1">',
        '<row r="2" hidden="true" customHeight="true">',  # LibreOffice
        "<row hidden='1' r='2'>",
        '<row r="2" spans="1:1" ht="0" hidden="1" customHeight="1">',
    ],
)
def test_hidden_row_attribute_forms(row: str) -> None:
    cells = f'<row r="1" hidden="false"><c r="A1"><v>1</v></c></row>{row}<c r="A2"><v>2</v></c></row>'
    assert only_sheet(read_workbook(with_sheet_xml(cells), NAME)).hidden_rows == frozenset({1})


def test_hidden_rows_of_cells_without_address() -> None:
    cells = '<row><c><v>1</v></c></row><row hidden="1"><c><v>2</v></c></row><row><c><f>A1</f></c></row>'
    sheet = only_sheet(read_workbook(with_sheet_xml(cells), NAME))
    assert sheet.hidden_rows == frozenset({1})


def test_no_hidden_rows() -> None:
    cells = '<row r="1" hidden="0"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>'
    assert only_sheet(read_workbook(with_sheet_xml(cells), NAME)).hidden_rows == frozenset()


def test_rich_text_names_and_amounts_read_as_their_plain_text() -> None:
    def fill(book: xlsxwriter.Workbook) -> None:
        ws = book.add_worksheet()
        bold, red = book.add_format({"bold": True}), book.add_format({"font_color": "red"})
        ws.write_rich_string("A1", "新疆", bold, "质量", red, "协会")
        ws.write_rich_string("B1", bold, "1,000", ".00")

    assert only_sheet(read_workbook(xlsxwriter_bytes(fill), NAME)).rows == (("新疆质量协会", "1,000.00"),)


def test_inline_rich_text_and_phonetic_runs() -> None:
    cells = (
        '<row r="1"><c r="A1" t="inlineStr"><is><r><t>张</t></r><r><rPr><b/></rPr><t xml:space="preserve">三 </t></r>'
        '<rPh sb="0" eb="1"><t>zhang</t></rPh></is></c>'
        '<c r="B1" t="inlineStr"><is><r><t>5</t></r><r><rPr><i/></rPr><t>00</t></r></is></c></row>'
    )
    assert only_sheet(read_workbook(with_sheet_xml(cells), NAME)).rows == (("张三 ", "500"),)


def test_shared_rich_text_with_phonetic_runs() -> None:
    sst = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        b' count="1" uniqueCount="1"><si><r><t>\xe6\x96\xb0\xe7\x96\x86</t></r><r><rPr><b/></rPr><t>\xe5\x8d\x8f\xe4\xbc\x9a</t></r>'
        b'<rPh sb="0" eb="2"><t>xinjiang</t></rPh></si></sst>'
    )

    def fill(book: xlsxwriter.Workbook) -> None:
        book.add_worksheet().write_string("A1", "占位")

    data = rezip(xlsxwriter_bytes(fill), xl__sharedStrings_dot_xml=lambda _: sst)
    assert only_sheet(read_workbook(data, NAME)).rows == (("新疆协会",),)
