"""Tests for `toolkit.read.delimited`: CSV exports in the encodings and separators clerks' programs write."""

from __future__ import annotations

import pytest

from tests.read.helpers import only_sheet, refused
from toolkit.read import read_workbook

TEXT = "序号,捐赠姓名,金额\r\n1,张三,500\r\n2,李四,15538.27\r\n"
GRID = (("序号", "捐赠姓名", "金额"), (1.0, "张三", 500.0), (2.0, "李四", 15538.27))


@pytest.mark.parametrize(
    ("encoded", "label"),
    [
        (TEXT.encode("utf-8"), "UTF-8"),
        (TEXT.encode("utf-8-sig"), "UTF-8 with BOM (Excel's CSV UTF-8)"),
        (TEXT.encode("gbk"), "GBK (Excel and WPS on Chinese Windows)"),
        (TEXT.encode("gb18030"), "GB18030"),
        (TEXT.replace(",", "\t").encode("utf-16"), "UTF-16 tab-separated (Excel's Unicode text)"),
    ],
)
def test_encodings(encoded: bytes, label: str) -> None:
    sheet = only_sheet(read_workbook(encoded, "捐款名单.csv"))
    assert sheet.rows == GRID, label
    assert sheet.name == "捐款名单"
    assert sheet.hidden_rows == frozenset()


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_delimiters(delimiter: str) -> None:
    text = TEXT.replace(",", delimiter) + f'3{delimiter}"王,五"{delimiter}"1,000.00"\n'
    rows = only_sheet(read_workbook(text.encode(), "x.csv")).rows
    assert rows[:3] == GRID
    assert rows[3] == (3.0, "王,五", "1,000.00")


def test_excel_sep_line_names_the_delimiter() -> None:
    rows = only_sheet(read_workbook("sep=;\n姓名;金额,备注\n张三;500,x\n".encode(), "x.csv")).rows
    assert rows == (("姓名", "金额,备注"), ("张三", "500,x"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("500", 500.0),
        ("-3.5", -3.5),
        ("0.01", 0.01),
        ("123456789012345", 123456789012345.0),
        ("1234567890123456", "1234567890123456"),  # 16 digits: a transaction number, kept as text
        ("007", "007"),
        ("1,000", "1,000"),
        ("1e3", "1e3"),
        ("¥500", "¥500"),
        ("2020-01-30", "2020-01-30"),
        (" 500", " 500"),
        ("", ""),
    ],
)
def test_only_plain_numbers_become_numbers(field: str, value: object) -> None:
    rows = only_sheet(read_workbook(f'a,b\n"{field}",x\n'.encode(), "x.csv")).rows
    assert rows[1][0] == value
    assert type(rows[1][0]) is type(value)


def test_ragged_rows_are_padded_and_trailing_blank_lines_dropped() -> None:
    rows = only_sheet(read_workbook(b"a,b,c\n1\n\n2,x\n\n\n", "x.csv")).rows
    assert rows == (("a", "b", "c"), (1.0, "", ""), ("", "", ""), (2.0, "x", ""))


def test_quoted_line_breaks_stay_in_the_cell() -> None:
    rows = only_sheet(read_workbook('姓名,备注\n"张三","第一行\n第二行"\n'.encode(), "x.csv")).rows
    assert rows == (("姓名", "备注"), ("张三", "第一行\n第二行"))


def test_caps() -> None:
    data = ("a,b\n" + "1,2\n" * 20).encode()
    problem = refused(data, "x.csv", max_rows=10)
    assert (problem.code, problem.sheet, problem.cell) == ("sheet.too_many_rows", "x", "A11")
    assert "max_rows" in problem.message
    assert refused(data, "x.csv", max_cells=30).code == "sheet.too_large"
    assert refused(data, "x.csv", max_unpacked_bytes=len(data) - 1).code == "file.too_large"
    assert len(only_sheet(read_workbook(data, "x.csv", max_rows=21, max_cells=42)).rows) == 21


def test_a_line_of_a_million_fields_is_refused_before_it_is_split() -> None:
    problem = refused(("," * 6_000_000 + "\n").encode(), "x.csv")
    assert problem.code == "sheet.too_large"


@pytest.mark.parametrize(
    ("file", "sheet"),
    [("捐款名单.csv", "捐款名单"), ("a[1]:b.csv", "a_1__b"), ("x" * 40 + ".csv", "x" * 31), (".csv", ".csv")],
)
def test_the_sheet_is_named_after_the_file_as_excel_names_it(file: str, sheet: str) -> None:
    assert only_sheet(read_workbook(b"a,b\n1,2\n", file)).name == sheet
